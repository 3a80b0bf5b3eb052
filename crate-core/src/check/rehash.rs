//! Pass 3A as `e2fsck -n` runs it: the directories pass 2 scheduled for
//! rebuilding (a name twice in one block, `PR_2_REPORT_DUP_DIRENT`) are read
//! whole and their names sorted the way the rebuild would sort them, and
//! every name that appears twice is reported: the same name for the same
//! inode is an entry to clear (`PR_2_DUPLICATE_DIRENT`), in an encrypted
//! directory one to drop (`PR_2_NON_UNIQUE_FILE_NO_RENAME`), and otherwise
//! one to rename (`PR_2_NON_UNIQUE_FILE`, with the name e2fsck would give it).
//! Under `-n` nothing is renamed and the rebuild stops there, before anything
//! is written.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use super::codes::*;
use super::{Abort, Ctx, Pctx, State};
use crate::format::casefold;
use crate::format::dir::rec_len_from_disk;
use crate::format::dx_hash::{dx_hash, effective_version};
use crate::format::features::*;
use crate::format::inode::INLINE_DATA_FL;
use crate::fs::Fs;

type R = Result<(), Abort>;

/// Names read from one directory at most (memory: a hostile directory can
/// claim a million blocks of tiny entries).
const MAX_NAMES: usize = 1 << 21;
/// Directory blocks read in pass 3A at most, over all directories (many
/// large directories with duplicates mapping the same blocks would otherwise
/// be read over and over).
const MAX_BLOCKS_READ: u64 = 1 << 22;
/// Renames tried for one name at most (`mutate_name` always ends, this is a
/// bound on time when most of the candidates are taken).
const MAX_MUTATIONS: usize = 100_000;

/// One name of the directory (`struct hash_entry`).
#[derive(Debug, Clone)]
struct Entry {
    hash: u32,
    minor: u32,
    ino: u32,
    name: Vec<u8>,
    /// The name compared in a casefolded directory.
    key: Vec<u8>,
    rec_len: u32,
    file_type: u8,
}

/// Why the directory cannot be read for the rebuild (`%m`).
const DIR_CORRUPTED: &str = "Ext2 directory corrupted";
const HASH_UNSUPP: &str = "Unsupported directory hash version";
const READ_ERROR: &str = "Attempt to read block from filesystem resulted in short read";

/// e2fsck's `e2fsck_rehash_directories` for the directories pass 2 marked.
pub(crate) fn pass3a(fs: &Fs, ctx: &mut Ctx, state: &State) -> R {
    let dirs: Vec<u32> = state.rehash.iter().copied().filter(|&d| state.dir_index(d).is_some()).collect();
    let mut budget = MAX_BLOCKS_READ;
    for ino in dirs {
        if let Err(why) = rehash_dir(fs, ctx, ino, &mut budget)? {
            let pc = Pctx { dir: Some(ino), s: Some(String::from(why)), ..Pctx::default() };
            ctx.fix(PR_3A_OPTIMIZE_DIR_ERR, &pc)?;
        }
    }
    Ok(())
}

/// `e2fsck_rehash_dir` under `-n`: read, sort, report duplicates.
fn rehash_dir(fs: &Fs, ctx: &mut Ctx, ino: u32, budget: &mut u64) -> Result<Result<(), &'static str>, Abort> {
    let Ok(inode) = fs.inode(ino) else { return Ok(Ok(())) };
    if fs.features().incompat(INCOMPAT_INLINE_DATA) && inode.flags() & INLINE_DATA_FL != 0 {
        return Ok(Ok(()));
    }
    let bs = u64::from(fs.block_size());
    let size = u64::from(inode.raw.i_size_lo);
    let mut compress = !fs.features().compat(COMPAT_DIR_INDEX) || size / bs < 2;
    let map = fs.file_map(&inode);
    let casefolded = fs.features().incompat(INCOMPAT_CASEFOLD) && inode.flags() & casefold::CASEFOLD_FL != 0;
    let encrypted = inode.flags() & casefold::ENCRYPT_FL != 0;
    let hash_in_entry = casefolded && encrypted;
    let alg = effective_version(fs.sb.s_def_hash_version, fs.sb.s_flags);
    let mut entries = loop {
        let (entries, dir_size) =
            match fill(fs, &map, size, compress, (alg, casefolded, hash_in_entry), budget) {
                Ok(x) => x,
                Err(why) => return Ok(Err(why)),
            };
        // Less than a block of names: not indexed.
        if !compress && dir_size < bs.saturating_sub(24) {
            compress = true;
            continue;
        }
        break entries;
    };
    let from = if compress && entries.len() > 1 { 2.min(entries.len()) } else { 0 };
    entries[from..].sort_by(|a, b| {
        (a.hash, a.minor)
            .cmp(&(b.hash, b.minor))
            .then_with(|| a.key.cmp(&b.key))
            .then_with(|| a.name.len().cmp(&b.name.len()))
            .then_with(|| b.ino.cmp(&a.ino))
    });
    duplicates(ctx, ino, &entries, encrypted, casefolded)?;
    Ok(Ok(()))
}

/// `fill_dir_block` over the directory's blocks: its names (without `.` and
/// `..` when it will be indexed) and the room they need.
fn fill(
    fs: &Fs,
    map: &crate::filemap::FileMap,
    size: u64,
    compress: bool,
    (alg, casefolded, hash_in_entry): (u8, bool, bool),
    budget: &mut u64,
) -> Result<(Vec<Entry>, u64), &'static str> {
    let bs = fs.block_size();
    let csum = fs.sb.has_metadata_csum();
    let mut out = Vec::new();
    let mut dir_size = 0u64;
    for run in &map.data {
        for k in 0..run.len {
            let (logical, phys) = (run.logical + k, run.physical + k);
            if logical.saturating_mul(u64::from(bs)).saturating_add(u64::from(bs)) > size {
                return Err(DIR_CORRUPTED);
            }
            if *budget == 0 {
                return Ok((out, dir_size));
            }
            *budget -= 1;
            let buf = fs.block(phys).map_err(|_| READ_ERROR)?;
            let mut off = 0usize;
            while off < bs as usize {
                // The two fake entries of block 0 and the checksum tail are
                // never extended (no stored hash).
                let fake = (logical == 0 && off <= 12) || (csum && off == bs as usize - 12);
                let extended = hash_in_entry && !fake;
                let min_rec = if extended { 16 } else { 8 };
                let at = off;
                let get = |i: usize| buf.get(at + i).copied().unwrap_or(0);
                let word = |i: usize| u32::from_le_bytes([get(i), get(i + 1), get(i + 2), get(i + 3)]);
                let rec_len = rec_len_from_disk(u16::from_le_bytes([get(4), get(5)]), bs) as usize;
                let name_len = usize::from(get(6));
                if off + rec_len > bs as usize
                    || rec_len < min_rec
                    || !rec_len.is_multiple_of(4)
                    || name_len + min_rec > rec_len
                {
                    return Err(DIR_CORRUPTED);
                }
                off += rec_len;
                let ino = word(0);
                if ino == 0 {
                    continue;
                }
                if name_len == 0 {
                    return Err(DIR_CORRUPTED);
                }
                let name = buf.get(at + 8..at + 8 + name_len).unwrap_or(&[]).to_vec();
                if !compress && (name == b"." || name == b"..") {
                    continue;
                }
                if out.len() >= MAX_NAMES {
                    return Ok((out, dir_size));
                }
                let padded = (name_len + 3) & !3;
                let (hash, minor) = if extended {
                    (word(8 + padded), word(12 + padded))
                } else if compress {
                    (0, 0)
                } else {
                    let input = if casefolded {
                        casefold::casefold(&name).unwrap_or_else(|| name.clone())
                    } else {
                        name.clone()
                    };
                    let h = dx_hash(alg, &input, &fs.sb.s_hash_seed).ok_or(HASH_UNSUPP)?;
                    (h.major, h.minor)
                };
                dir_size += ((name_len + 8 + if extended { 8 } else { 0 } + 3) & !3) as u64;
                let key = name_key(&name, casefolded);
                out.push(Entry { hash, minor, ino, name, key, rec_len: rec_len as u32, file_type: get(7) });
            }
        }
    }
    Ok((out, dir_size))
}

/// `duplicate_search_and_fix` under `-n`: neighbours in the sorted list with
/// the same name.
fn duplicates(ctx: &mut Ctx, dir: u32, entries: &[Entry], encrypted: bool, casefolded: bool) -> R {
    let mut names: Option<BTreeMap<&[u8], usize>> = None;
    for i in 1..entries.len() {
        let (ent, prev) = (&entries[i], &entries[i - 1]);
        if ent.key != prev.key {
            continue;
        }
        let mut pc = Pctx::ino(dir);
        pc.dirent = Some((ent.ino, ent.name.to_vec(), ent.rec_len, ent.name.len() as u32, ent.file_type));
        if ent.ino == prev.ino {
            ctx.fix(PR_2_DUPLICATE_DIRENT, &pc)?;
        }
        if encrypted {
            ctx.fix(PR_2_NON_UNIQUE_FILE_NO_RENAME, &pc)?;
        }
        // The new name: mutated until no other entry has it.
        let names = names.get_or_insert_with(|| {
            let mut m = BTreeMap::new();
            for e in entries {
                *m.entry(e.key.as_slice()).or_insert(0usize) += 1;
            }
            m
        });
        let mut new = ent.name.clone();
        mutate_name(&mut new);
        for _ in 0..MAX_MUTATIONS {
            let key = name_key(&new, casefolded);
            let taken =
                names.get(key.as_slice()).copied().unwrap_or(0).saturating_sub(usize::from(key == ent.key));
            if taken == 0 {
                break;
            }
            mutate_name(&mut new);
        }
        pc.s = Some(String::from_utf8_lossy(&new).into_owned());
        ctx.fix(PR_2_NON_UNIQUE_FILE, &pc)?;
    }
    Ok(())
}

/// The bytes names are compared (and hashed) by: folded in a casefolded
/// directory (a name that is not UTF-8 is taken as it is).
fn name_key(name: &[u8], casefolded: bool) -> Vec<u8> {
    if casefolded {
        casefold::casefold(name).unwrap_or_else(|| name.to_vec())
    } else {
        name.to_vec()
    }
}

/// e2fsck's `mutate_name`: append `~0`, or count the `~N` suffix up.
fn mutate_name(s: &mut Vec<u8>) {
    let l = s.len();
    if l == 0 {
        return;
    }
    let mut i = l - 1;
    while i > 0 && s[i].is_ascii_digit() {
        i -= 1;
    }
    if i == l - 1 || s[i] != b'~' {
        let mut n = if (l - 1) & 3 < 2 { l + 2 } else { (l + 3) & !3 };
        n = n.min(255);
        s.resize(n, 0);
        s[n - 2] = b'~';
        s[n - 1] = b'0';
        return;
    }
    for i in (0..l).rev() {
        if s[i].is_ascii_digit() {
            if s[i] == b'9' {
                s[i] = b'0';
                continue;
            }
            s[i] += 1;
            return;
        }
        if i == 1 {
            match s[0] {
                b'z' => s[0] = b'A',
                b'Z' => {
                    s[0] = b'~';
                    s[1] = b'0';
                }
                c => s[0] = c.wrapping_add(1),
            }
        } else if i > 0 {
            s[i] = b'1';
            s[i - 1] = b'~';
        } else if s[0] == b'~' {
            s[0] = b'a';
        } else {
            s[0] = s[0].wrapping_add(1);
        }
        break;
    }
}

#[cfg(test)]
mod tests {
    use super::mutate_name;
    use alloc::string::String;

    fn m(s: &str) -> String {
        let mut v = s.as_bytes().to_vec();
        mutate_name(&mut v);
        String::from_utf8(v).unwrap_or_default()
    }

    #[test]
    fn names_mutate_as_e2fsck_renames_them() {
        // Room for "~0" in the padding of the entry or the name's last bytes.
        assert_eq!(m("a"), "a~0");
        assert_eq!(m("ab"), "ab~0");
        assert_eq!(m("abc"), "ab~0");
        assert_eq!(m("abcd"), "ab~0");
        assert_eq!(m("abcde"), "abcde~0");
        assert_eq!(m("file~0"), "file~1");
        assert_eq!(m("file~9"), "fil~10");
        assert_eq!(m("fi~99"), "f~100");
        assert_eq!(m("f~99"), "g~00");
    }
}
