//! Quota usage: what e2fsck counts per user, group and project id in pass 1
//! (lib/support/mkquota.c's `quota_data_add` / `quota_data_inodes`) and how
//! it compares them with the quota files' records at the end of the run
//! (`quota_compare_and_update`, then `PR_6_UPDATE_QUOTAS` in e2fsck/unix.c).

use alloc::collections::BTreeMap;
use alloc::vec;
use alloc::vec::Vec;

use super::codes::*;
use super::{Abort, Ctx, Pctx};
use crate::format::features::*;
use crate::format::inode::Inode;
use crate::fs::Fs;

/// The quota files' magics (`INITQMAGICS`).
const MAGICS: [u32; 3] = [0xd9c0_1f11, 0xd9c0_1927, 0xd9c0_3f14];
/// `QT_BLKSIZE`.
const QT_BLK: usize = 1024;
/// `QT_TREEDEPTH`.
const DEPTH: u32 = 4;
/// Data blocks read at most in one quota file (bounded work on hostile trees).
const MAX_BLOCKS: usize = 1 << 16;

/// Usage per (quota type, id): space in bytes and inodes.
#[derive(Debug, Default)]
pub(crate) struct Usage {
    /// The quota feature is on: e2fsck keeps a quota context.
    on: bool,
    /// Quota types with a quota inode (e2fsck's dictionaries).
    types: [bool; 3],
    /// Project ids are counted (large inodes: `project_quota_valid`).
    projects: bool,
    map: BTreeMap<(u8, u32), (i64, i64)>,
}

impl Usage {
    pub(crate) fn new(fs: &Fs) -> Usage {
        let sb = &fs.sb;
        let inums = [sb.s_usr_quota_inum, sb.s_grp_quota_inum, sb.s_prj_quota_inum];
        let mut types = [false; 3];
        for (t, ino) in inums.iter().enumerate() {
            types[t] = *ino != 0;
        }
        Usage {
            on: fs.features().ro_compat(RO_COMPAT_QUOTA),
            types,
            projects: fs.geo.inode_size > 128,
            map: BTreeMap::new(),
        }
    }

    /// `quota_data_add` and `quota_data_inodes` for one inode.
    pub(crate) fn add(&mut self, inode: &Inode, space: u64, inodes: i64) {
        if !self.on {
            return;
        }
        let ids = [inode.uid(), inode.gid(), inode.projid().unwrap_or(0)];
        for (t, id) in ids.into_iter().enumerate() {
            if !self.types[t] || (t == 2 && !self.projects) {
                continue;
            }
            let e = self.map.entry((t as u8, id)).or_insert((0, 0));
            e.0 = e.0.saturating_add(i64::try_from(space).unwrap_or(i64::MAX));
            e.1 = e.1.saturating_add(inodes);
        }
    }
}

/// The quota checks at the end of the run.
pub(crate) fn compare(fs: &Fs, ctx: &mut Ctx, usage: &Usage) -> Result<(), Abort> {
    if !usage.on {
        return Ok(());
    }
    // e2fsck's invalid_bitmaps: a group without a bitmap or inode table
    // (under -n nothing is relocated).
    let invalid = (0..fs.geo.groups_count)
        .any(|g| fs.group(g).is_ok_and(|d| d.block_bitmap == 0 || d.inode_bitmap == 0 || d.inode_table == 0));
    if invalid {
        return Ok(());
    }
    let sb = &fs.sb;
    let inums = [sb.s_usr_quota_inum, sb.s_grp_quota_inum, sb.s_prj_quota_inum];
    for (t, ino) in inums.into_iter().enumerate() {
        if ino == 0 {
            continue;
        }
        if !consistent(fs, t, ino, usage) {
            let pc = Pctx { num: Some(t as u64), ..Pctx::default() };
            ctx.fix(PR_6_UPDATE_QUOTAS, &pc)?;
        }
    }
    Ok(())
}

/// The quota file as `quota_file_open` and `qtree_scan_dquots` read it.
struct QFile<'a> {
    fs: &'a Fs,
    inode: Inode,
    map: crate::filemap::FileMap,
}

impl QFile<'_> {
    /// `read_blk`: a short read is padded with zeros.
    fn block(&self, blk: u32) -> Vec<u8> {
        let off = u64::from(blk) * QT_BLK as u64;
        let mut b = self.fs.read_file_with_map(&self.inode, &self.map, off, QT_BLK).unwrap_or_default();
        b.resize(QT_BLK, 0);
        b
    }
}

fn le32(b: &[u8], o: usize) -> u32 {
    b.get(o..o + 4).map_or(0, |s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}
fn le64(b: &[u8], o: usize) -> u64 {
    u64::from(le32(b, o)) | (u64::from(le32(b, o + 4)) << 32)
}

/// False when e2fsck would find the usage inconsistent or could not read
/// the file (`retval || needs_writeout`).
fn consistent(fs: &Fs, t: usize, ino: u32, usage: &Usage) -> bool {
    // No dictionary: nothing is opened or compared.
    if !usage.types[t] {
        return true;
    }
    // ext2fs_file_open: the inode number must be valid and readable.
    if ino == 0 || ino > fs.sb.s_inodes_count {
        return false;
    }
    let Ok(inode) = fs.inode(ino) else { return false };
    let map = fs.file_map(&inode);
    let q = QFile { fs, inode, map };
    let head = q.block(0);
    // v2_check_file and v2_init_io.
    let version = le32(&head, 4);
    if le32(&head, 0) != MAGICS[t] || version > 1 {
        return false;
    }
    let filesize = q.inode.size();
    let blocks = le32(&head, 8 + 12);
    let free_blk = le32(&head, 8 + 16);
    let free_entry = le32(&head, 8 + 20);
    if !(8 + 24..=(1u64 << 31)).contains(&filesize)
        || u64::from(blocks) > filesize.div_ceil(QT_BLK as u64)
        || free_blk >= blocks
        || free_entry >= blocks
    {
        return false;
    }
    let (entry_size, r1) = if version == 1 { (72usize, true) } else { (48usize, false) };
    let mut seen = vec![false; blocks as usize];
    let mut found: BTreeMap<u32, ()> = BTreeMap::new();
    let mut ok = true;
    let mut budget = MAX_BLOCKS;
    let scanned = walk(
        &q,
        1,
        0,
        blocks,
        &mut seen,
        &mut budget,
        &mut |ddata: &[u8]| {
            let id = le32(ddata, 0);
            let (inodes, space) = if r1 {
                (le64(ddata, 24) as i64, le64(ddata, 48) as i64)
            } else {
                (i64::from(le32(ddata, 12)), le64(ddata, 24) as i64)
            };
            found.insert(id, ());
            let mine = usage.map.get(&(t as u8, id)).copied().unwrap_or((0, 0));
            if mine != (space, inodes) {
                ok = false;
            }
        },
        entry_size,
    );
    if !scanned {
        return false;
    }
    // Ids counted that the file does not list.
    let missing =
        usage.map.keys().filter(|(qt, _)| usize::from(*qt) == t).any(|(_, id)| !found.contains_key(id));
    ok && !missing
}

/// `report_tree`: false on an illegal reference (the scan fails).
#[allow(clippy::too_many_arguments)]
fn walk(
    q: &QFile<'_>,
    blk: u32,
    depth: u32,
    blocks: u32,
    seen: &mut [bool],
    budget: &mut usize,
    f: &mut dyn FnMut(&[u8]),
    entry_size: usize,
) -> bool {
    if *budget == 0 {
        return false;
    }
    *budget -= 1;
    let buf = q.block(blk);
    for i in 0..QT_BLK / 4 {
        let r = le32(&buf, i * 4);
        if depth == DEPTH - 1 {
            if r >= blocks {
                return false;
            }
            if r != 0 && !seen[r as usize] {
                seen[r as usize] = true;
                *budget = budget.saturating_sub(1);
                let data = q.block(r);
                let per = (QT_BLK - 16) / entry_size;
                for k in 0..per {
                    let e = &data[16 + k * entry_size..16 + (k + 1) * entry_size];
                    if e.iter().any(|b| *b != 0) {
                        f(e);
                    }
                }
            }
        } else if r != 0 {
            if r >= blocks {
                return false;
            }
            if !walk(q, r, depth + 1, blocks, seen, budget, f, entry_size) {
                return false;
            }
        }
    }
    true
}
