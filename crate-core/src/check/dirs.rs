//! Passes 2 (directory entries), 3 (connectivity) and 4 (reference counts),
//! in e2fsck's order and with its questions.

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::codes::*;
use super::dx::{self, DxDir};
use super::{Abort, Ctx, InodeFields, Pctx, State};
use crate::format::casefold::CASEFOLD_FL;
use crate::format::dir::{file_type_for, rec_len_from_disk, DirEntryHeader};
use crate::format::features::*;
use crate::format::inode::FileType;
use crate::format::inode::{Inode, EA_INODE_FL, INDEX_FL, INLINE_DATA_FL, ROOT_INO};
use crate::fs::Fs;

type R = Result<(), Abort>;

/// Directory blocks e2fsck would look at, at most: a bound on memory (32
/// bytes each) for a hostile image whose directories map every block.
const MAX_DIR_BLOCKS: usize = 1 << 20;

/// One entry of e2fsck's directory block list.
#[derive(Debug, Clone, Copy)]
struct DirBlockRef {
    ino: u32,
    /// Physical block, 0 for a hole (or the inline area).
    blk: u64,
    /// Logical block.
    blockcnt: u64,
}

/// e2fsck's pass 2.
/// Pass 2 resumable: the directory blocks listed and ordered as e2fsck's
/// `dblist` (at [`Pass2::begin`]), then read a budget of blocks at a time,
/// then the htree checks and the large-file check ([`Pass2::end`]).
#[derive(Debug)]
pub(crate) struct Pass2 {
    list: Vec<DirBlockRef>,
    inline: BTreeSet<u32>,
    pos: usize,
    largedir: bool,
    inline_fs: bool,
    parts: DirParts,
}

impl Pass2 {
    /// Blocks read so far and in all.
    pub(crate) fn progress(&self) -> (u64, u64) {
        (self.pos as u64, self.list.len() as u64)
    }

    pub(crate) fn begin(fs: &Fs, state: &mut State) -> Pass2 {
        if let Some(i) = state.dir_index(ROOT_INO) {
            state.parent[i] = ROOT_INO;
        }
        let mut list: Vec<DirBlockRef> = Vec::new();
        let mut inline: BTreeSet<u32> = BTreeSet::new();
        let mut dx: BTreeMap<u32, DxDir> = BTreeMap::new();
        for &ino in &state.dirs {
            if list.len() >= MAX_DIR_BLOCKS {
                break;
            }
            let Ok(inode) = fs.inode(ino) else { continue };
            if inode.flags() & INLINE_DATA_FL != 0 {
                inline.insert(ino);
                list.push(DirBlockRef { ino, blk: 0, blockcnt: 0 });
                continue;
            }
            let map = fs.file_map(&inode);
            let extents = inode.flags() & crate::format::inode::EXTENTS_FL != 0
                && fs.features().incompat(INCOMPAT_EXTENTS);
            // Blocks pass 1 refuses to list (and, under -n, leaves mapped): outside
            // the file system, or past the largest directory without large_dir
            // (PR_1_TOOBIG_DIR: a block-mapped block past the limit, an extent
            // reaching past it).
            let toobig = (!fs.features().incompat(INCOMPAT_LARGEDIR) && inode.raw.i_size_high == 0)
                .then(|| 1u64 << 21u32.saturating_sub(fs.sb.s_log_block_size).min(63))
                .map(|limit| if extents { limit } else { limit.saturating_add(1) });
            let first = list.len();
            let mut expect = 0u64;
            'runs: for run in &map.data {
                // The part of the run pass 1 lists: k in lo..hi.
                let lo = fs.geo.first_data_block.saturating_sub(run.physical);
                let mut hi = fs.geo.blocks_count.saturating_sub(run.physical).min(run.len);
                if let Some(limit) = toobig {
                    hi = hi.min(limit.saturating_sub(run.logical));
                }
                for k in lo..hi {
                    if list.len() >= MAX_DIR_BLOCKS {
                        break 'runs;
                    }
                    let logical = run.logical + k;
                    while expect < logical && list.len() < MAX_DIR_BLOCKS {
                        list.push(DirBlockRef { ino, blk: 0, blockcnt: expect });
                        expect += 1;
                    }
                    expect = logical.saturating_add(1);
                    list.push(DirBlockRef { ino, blk: run.physical + k, blockcnt: logical });
                }
            }
            // A block-mapped directory's block 0 is looked at even when nothing
            // maps it (pass 1 walks the holes of such directories); an extent
            // tree with no extents gives no blocks at all.
            if list.len() == first && !extents && map.lookup(0).is_none() {
                list.push(DirBlockRef { ino, blk: 0, blockcnt: 0 });
            }
            if inode.flags() & INDEX_FL != 0 {
                // Pass 1 keeps an htree record for every directory with the
                // index flag (under -n its doubts about the root are answered
                // "no" and the flag stays): as many blocks as it listed.
                let numblocks =
                    list[first..].iter().filter(|d| d.blk != 0).map(|d| d.blockcnt + 1).max().unwrap_or(0);
                dx.insert(ino, DxDir::new(numblocks, inode.flags() & CASEFOLD_FL != 0));
            }
        }
        if fs.features().compat(COMPAT_DIR_INDEX) {
            // special_dir_block_cmp: every first block, then the rest, by block.
            list.sort_by(|a, b| {
                (a.blockcnt != 0, a.blk, a.ino, a.blockcnt).cmp(&(b.blockcnt != 0, b.blk, b.ino, b.blockcnt))
            });
        } else {
            // The list's own order (dir_block_cmp2): by block.
            list.sort_by_key(|d| (d.blk, d.ino, d.blockcnt));
        }
        let largedir = fs.features().incompat(INCOMPAT_LARGEDIR);
        let inline_fs = fs.features().incompat(INCOMPAT_INLINE_DATA);
        let parts = DirParts {
            filetype: fs.features().incompat(INCOMPAT_FILETYPE),
            info: DirInfo::default(),
            dx,
            cur_dx: None,
            last_hash: 0,
            rehash_now: false,
            last_group: None,
            names: NameSet::default(),
        };
        Pass2 { list, inline, pos: 0, largedir, inline_fs, parts }
    }

    /// Read up to `budget` directory blocks; true when every block is read.
    pub(crate) fn step(
        &mut self,
        fs: &Fs,
        ctx: &mut Ctx,
        state: &mut State,
        budget: u64,
    ) -> Result<bool, Abort> {
        let parts = core::mem::take(&mut self.parts);
        let mut ck = DirCheck::from_parts(fs, parts);
        let mut n = 0u64;
        let r = (|| -> R {
            while self.pos < self.list.len() && n < budget {
                let db = self.list[self.pos];
                self.pos += 1;
                n += 1;
                if self.inline.contains(&db.ino) {
                    ck.inline_dir(ctx, state, db.ino)?;
                    continue;
                }
                if db.blk == 0 {
                    if self.largedir && !self.inline_fs {
                        continue;
                    }
                    let mut pc = Pctx::ino(db.ino);
                    pc.blkcount = i64::try_from(db.blockcnt).ok();
                    ctx.fix(PR_2_DIRECTORY_HOLE, &pc)?;
                    continue;
                }
                ck.block(ctx, state, &db)?;
            }
            Ok(())
        })();
        self.parts = ck.into_parts();
        r?;
        Ok(self.pos >= self.list.len())
    }

    /// The htree checks, directory by directory (those to be rebuilt are
    /// left to the rebuild), and the large-file check.
    pub(crate) fn end(&mut self, fs: &Fs, ctx: &mut Ctx, state: &mut State) -> R {
        for (&ino, d) in self.parts.dx.iter_mut() {
            if state.rehash.contains(&ino) || d.numblocks == 0 {
                continue;
            }
            d.check(ctx, ino)?;
        }
        large_files(fs, ctx, state)
    }
}

/// The end of pass 2: files pass 1 found too large for a file system
/// without `large_file` (`ctx->large_files`).
fn large_files(fs: &Fs, ctx: &mut Ctx, state: &State) -> R {
    let f = fs.features();
    let old_rev = fs.sb.s_rev_level == 0;
    if f.ro_compat(RO_COMPAT_LARGE_FILE) && !old_rev {
        return Ok(());
    }
    // ext2fs_needs_large_file_feature: 2 GiB and up, regular files only.
    let large = state.used.iter().zip(&state.mode).any(|(&ino, &mode)| {
        FileType::from_mode(mode) == FileType::Regular && fs.inode(ino).is_ok_and(|i| i.size() >= 0x8000_0000)
    });
    if !large {
        return Ok(());
    }
    let pc = Pctx::default();
    if !f.ro_compat(RO_COMPAT_LARGE_FILE) {
        ctx.fix(PR_2_FEATURE_LARGE_FILES, &pc)?;
    }
    if old_rev {
        ctx.fix(PR_1_FS_REV_LEVEL, &pc)?;
    }
    Ok(())
}

/// What pass 2 knows about the directory whose block it is reading.
#[derive(Debug, Clone, Default)]
struct DirInfo {
    ino: u32,
    generation: u32,
    /// `EXT4_CASEFOLD_FL` (e2fsck's `casefolded_dirs`).
    casefolded: bool,
    /// Names must be valid in the encoding (casefolded, strict mode).
    cf_dir: bool,
    /// Its encryption policy.
    policy: Policy,
}

/// An inode's encryption policy as e2fsck tells them apart
/// (`find_encryption_policy`): the fscrypt context without its nonce.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
enum Policy {
    /// Not encrypted, or its context is missing or corrupt.
    #[default]
    None,
    /// A context version e2fsck does not know.
    Unrecognized,
    Known(Vec<u8>),
}

/// The encryption policy of inode `ino` (pass 1 records one for every inode
/// in use with `EXT4_ENCRYPT_FL` and a valid `c` attribute).
fn policy_of(fs: &Fs, state: &State, ino: u32) -> Policy {
    if !state.is_used(ino) {
        return Policy::None;
    }
    let Ok(inode) = fs.inode(ino) else { return Policy::None };
    if inode.flags() & crate::format::casefold::ENCRYPT_FL == 0 {
        return Policy::None;
    }
    // Pass 1 recorded a policy only where libext2fs could read the attribute.
    if super::xattrs::encryption_context(fs, &inode).is_none() {
        return Policy::None;
    }
    let xr = fs.xattrs(&inode);
    let Some(x) = xr.entries.iter().find(|e| {
        (e.name_index == crate::format::xattr::INDEX_ENCRYPTION
            || crate::format::xattr::prefix(e.name_index).is_none())
            && e.suffix == b"c"
    }) else {
        return Policy::None;
    };
    let v = &x.value;
    match v.first() {
        None | Some(0) => Policy::None,
        Some(1) if v.len() == 28 => Policy::Known(v[..12].to_vec()),
        Some(2) if v.len() == 40 => Policy::Known(v[..24].to_vec()),
        Some(1) | Some(2) => Policy::None,
        Some(_) => Policy::Unrecognized,
    }
}

struct DirCheck<'a> {
    fs: &'a Fs,
    filetype: bool,
    /// The last directory looked up.
    info: DirInfo,
    /// The hashed directories (e2fsck's `dx_dir_info`).
    dx: BTreeMap<u32, DxDir>,
    /// The htree block whose entries are being read: directory, logical block.
    cur_dx: Option<(u32, u64)>,
    /// The hash of the last entry (kept across entries as e2fsck keeps it).
    last_hash: u32,
    /// The directory of the block being read is to be rebuilt in pass 3A.
    rehash_now: bool,
    /// The names of the block being read (reused from block to block).
    names: NameSet,
    /// The last group descriptor looked at (see [`DirCheck::group_bits`]).
    last_group: Option<(u32, Option<(u32, u16)>)>,
}

/// What [`DirCheck`] keeps from block to block (all of it but the file system).
#[derive(Debug, Default)]
struct DirParts {
    filetype: bool,
    info: DirInfo,
    dx: BTreeMap<u32, DxDir>,
    cur_dx: Option<(u32, u64)>,
    last_hash: u32,
    rehash_now: bool,
    names: NameSet,
    last_group: Option<(u32, Option<(u32, u16)>)>,
}

impl<'a> DirCheck<'a> {
    fn from_parts(fs: &'a Fs, p: DirParts) -> Self {
        DirCheck {
            fs,
            filetype: p.filetype,
            info: p.info,
            dx: p.dx,
            cur_dx: p.cur_dx,
            last_hash: p.last_hash,
            rehash_now: p.rehash_now,
            names: p.names,
            last_group: p.last_group,
        }
    }

    fn into_parts(self) -> DirParts {
        DirParts {
            filetype: self.filetype,
            info: self.info,
            dx: self.dx,
            cur_dx: self.cur_dx,
            last_hash: self.last_hash,
            rehash_now: self.rehash_now,
            names: self.names,
            last_group: self.last_group,
        }
    }
}

/// One directory entry as e2fsck's loop sees it.
struct Dirent<'a> {
    inode: u32,
    rec_len: u32,
    name: &'a [u8],
    /// The byte after the name (e2fsck looks at `name[1]` of `.`).
    after_name: [u8; 2],
    file_type: u8,
    /// The hash stored after the name (casefolded and encrypted directories).
    stored_hash: u32,
}

impl DirCheck<'_> {
    /// What pass 1 knows about directory `ino`.
    fn dir_info(&mut self, state: &State, ino: u32) -> &DirInfo {
        if self.info.ino != ino {
            let fs = self.fs;
            let cf_fs = fs.features().incompat(INCOMPAT_CASEFOLD);
            let strict = fs.sb.s_encoding_flags & 1 != 0;
            self.info = match fs.inode(ino) {
                Ok(i) => {
                    let casefolded = i.flags() & CASEFOLD_FL != 0;
                    DirInfo {
                        ino,
                        generation: i.generation(),
                        casefolded,
                        cf_dir: cf_fs && casefolded && strict,
                        policy: policy_of(fs, state, ino),
                    }
                }
                Err(_) => DirInfo { ino, ..DirInfo::default() },
            };
        }
        &self.info
    }

    fn block(&mut self, ctx: &mut Ctx, state: &mut State, db: &DirBlockRef) -> R {
        let fs = self.fs;
        let bs = fs.block_size();
        let mut pc = Pctx::ino(db.ino);
        pc.blk = Some(db.blk);
        pc.blkcount = i64::try_from(db.blockcnt).ok();
        pc.num = Some(0);
        let buf = match fs.block(db.blk) {
            Ok(b) => b,
            Err(_) => {
                ctx.fix(PR_2_READ_DIRBLOCK, &pc)?;
                return Err(ctx.abort("e2fsck: aborted"));
            }
        };
        let csum = fs.sb.has_metadata_csum();
        let generation = self.dir_info(state, db.ino).generation;
        // ext2fs_read_dir_block4's verdict (a leaf against its tail, an
        // index block against its dx_tail, anything else fails).
        let mut failed_csum = csum && !dx::block_csum_ok(fs, db.ino, generation, &buf);
        let mut kind = 0u8;
        if let Some(d) = self.dx.get_mut(&db.ino).filter(|d| d.numblocks > 0) {
            if db.blockcnt >= d.numblocks {
                let p = Pctx { ino: Some(db.ino), dir: Some(db.ino), num: Some(0), ..Pctx::default() };
                ctx.fix(PR_2_UNEXPECTED_HTREE_BLOCK, &p)?;
                return Err(ctx.abort("e2fsck: Can not continue."));
            }
            kind = d.classify(fs, ctx, &pc, db.blockcnt, &buf)?;
        }
        let is_leaf = kind == 0 || kind == dx::LEAF;
        self.rehash_now = state.rehash.contains(&db.ino);
        let mut de_csum = if csum && is_leaf { 12usize } else { 0 };
        if is_leaf && failed_csum && dx::dirent_tail(&buf) == dx::Tail::NoSpace {
            // A leaf without room for a tail: rebuilt in pass 3A if answered.
            de_csum = 0;
            if self.rehash_now {
                failed_csum = false;
            } else {
                ctx.fix(PR_2_LEAF_NODE_MISSING_CSUM, &pc)?;
            }
        }
        let max = (bs as usize).saturating_sub(de_csum);
        let dot_state = if db.blockcnt == 0 { 0 } else { 2 };
        let (mut names, mut dups) = (core::mem::take(&mut self.names), self.rehash_now);
        names.clear();
        self.cur_dx = (kind != 0).then_some((db.ino, db.blockcnt));
        let walked = self.walk_entries(
            ctx,
            state,
            db.ino,
            (&buf, max, bs),
            dot_state,
            &pc,
            0,
            (&mut names, &mut dups),
        );
        self.cur_dx = None;
        self.names = names;
        walked?;
        if kind == dx::ROOT || kind == dx::NODE {
            pc.dir = Some(db.ino);
            let will_rehash = state.rehash.contains(&db.ino);
            if let Some(d) = self.dx.get_mut(&db.ino) {
                d.parse_int_node(fs, ctx, &mut pc, db.blockcnt, &buf, failed_csum, will_rehash)?;
            }
        }
        if is_leaf && failed_csum {
            ctx.fix(PR_2_LEAF_NODE_ONLY_CSUM_INVALID, &pc)?;
        }
        Ok(())
    }

    /// An inline directory: `.` and `..` made up, then the entries of `i_block`.
    fn inline_dir(&mut self, ctx: &mut Ctx, state: &mut State, ino: u32) -> R {
        let fs = self.fs;
        let Ok(inode) = fs.inode(ino) else { return Ok(()) };
        let ib = inode.i_block();
        let parent = u32::from_le_bytes([ib[0], ib[1], ib[2], ib[3]]);
        let (mut names, mut dups) = (NameSet::default(), false);
        let pc = Pctx::ino(ino);
        for (dot_state, (target, name)) in [(ino, &b"."[..]), (parent, &b".."[..])].into_iter().enumerate() {
            // e2fsck makes these up with the directory file type (when the
            // file system records types).
            let ft = if self.filetype { 2 } else { 0 };
            let d = Dirent {
                inode: target,
                rec_len: 12,
                name,
                after_name: [0, 0],
                file_type: ft,
                stored_hash: 0,
            };
            let mut p = pc.clone();
            p.dirent = Some(d.param());
            self.entry(ctx, state, ino, &d, dot_state as u32, &mut p, &mut names, &mut dups)?;
        }
        // Block 0: the rest of i_block (offsets from i_block, after the parent).
        let rest = ib.get(4..60).unwrap_or(&[]);
        let p0 = Pctx { blkcount: Some(0), ..pc.clone() };
        self.walk_entries(ctx, state, ino, (rest, rest.len(), 65536), 2, &p0, 4, (&mut names, &mut dups))?;
        // Block 1: the system.data value, when there is one (its own dictionary).
        let xr = crate::format::xattr::in_inode(fs, &inode);
        let data = xr
            .entries
            .iter()
            .find(|e| e.name_index == crate::format::xattr::INDEX_SYSTEM && e.suffix == b"data");
        if let Some(e) = data.filter(|e| !e.value.is_empty()) {
            let mut p = pc.clone();
            p.blkcount = Some(1);
            let (mut names, mut dups) = (NameSet::default(), false);
            let v = &e.value;
            self.walk_entries(ctx, state, ino, (v, v.len(), 65536), 2, &p, 0, (&mut names, &mut dups))?;
        }
        Ok(())
    }

    /// e2fsck's dirent loop over `buf[..max]` (`rec_len`s decoded for block
    /// size `bs`): a corrupt entry is a directory e2fsck -n cannot salvage and
    /// stops it; each valid one goes to [`DirCheck::entry`]. `names` and `dups`
    /// are the block's duplicate-name dictionary.
    #[allow(clippy::too_many_arguments)]
    fn walk_entries(
        &mut self,
        ctx: &mut Ctx,
        state: &mut State,
        dir: u32,
        (buf, max, bs): (&[u8], usize, u32),
        mut dot_state: u32,
        pc: &Pctx,
        num_base: u64,
        (names, dups): (&mut NameSet, &mut bool),
    ) -> R {
        let mut offset = 0usize;
        let mut max = max;
        let info = self.dir_info(state, dir);
        // Casefolded and encrypted: names are followed by their hash.
        let hash_in_dirent = info.casefolded && info.policy != Policy::None;
        // One context for every entry, reset to `pc` for each.
        let mut p = pc.clone();
        while offset < max {
            let extended = dot_state > 1 && hash_in_dirent;
            let d = read_dirent(buf, offset, max, bs, extended);
            p.reset_but_dirent(pc);
            p.num = Some(num_base + offset as u64);
            d.set_param(&mut p);
            if offset + d.rec_len as usize > max
                || d.rec_len < rec_len_for(1, extended)
                || !d.rec_len.is_multiple_of(4)
                || rec_len_for(d.name.len(), extended) > d.rec_len
            {
                // A block that is one empty entry, in a directory to be
                // rebuilt, is left to the rebuild.
                if offset == 0 && d.rec_len == self.fs.block_size() && d.inode == 0 && self.rehash_now {
                    max = self.fs.block_size() as usize;
                } else {
                    ctx.fix(PR_2_DIR_CORRUPTED, &p)?;
                    return Err(ctx.abort("e2fsck: aborted"));
                }
            }
            self.entry(ctx, state, dir, &d, dot_state, &mut p, names, dups)?;
            offset += d.rec_len as usize;
            dot_state += 1;
        }
        Ok(())
    }

    /// The body of e2fsck's dirent loop for one valid entry.
    #[allow(clippy::too_many_arguments)]
    fn entry(
        &mut self,
        ctx: &mut Ctx,
        state: &mut State,
        dir: u32,
        d: &Dirent,
        dot_state: u32,
        p: &mut Pctx,
        names: &mut NameSet,
        dups_found: &mut bool,
    ) -> R {
        let fs = self.fs;
        let sb = &fs.sb;
        let mut problem = 0u32;
        let mut inode_no = d.inode;
        if dot_state == 0 {
            self.check_dot(ctx, d, dir, p)?;
        } else if dot_state == 1 {
            if !self.check_dotdot(ctx, d, p)? {
                if let Some(i) = state.dir_index(dir) {
                    state.dotdot[i] = d.inode;
                }
            }
        } else if d.inode == dir {
            problem = PR_2_LINK_DOT;
            ctx.fix(PR_2_LINK_DOT, p)?;
        }
        if dot_state == 0 && d.inode == 0 {
            inode_no = 0;
        }
        if inode_no == 0 {
            return Ok(());
        }
        let ino = inode_no;
        let name = d.name;
        let first_ino = sb.first_ino();
        let f = fs.features();
        let quota = |q: u32| q != 0 && q == ino;
        if (ino != ROOT_INO && ino < first_ino)
            || ino > sb.s_inodes_count
            || quota(sb.s_usr_quota_inum)
            || quota(sb.s_grp_quota_inum)
            || quota(sb.s_prj_quota_inum)
            || (f.compat(COMPAT_ORPHAN_FILE) && quota(sb.s_orphan_file_inum))
        {
            problem = PR_2_BAD_INO;
        } else if state.bb.contains(&ino) {
            // In a bad inode table block (pass 1's inode_bb_map).
            problem = PR_2_BB_INODE;
        } else if dot_state > 1 && name == b"." {
            problem = PR_2_DUP_DOT;
        } else if dot_state > 1 && name == b".." {
            problem = PR_2_DUP_DOT_DOT;
        } else if dot_state > 1 && ino == ROOT_INO {
            problem = PR_2_LINK_ROOT;
        } else if dot_state > 1 && name.is_empty() {
            problem = PR_2_NULL_NAME;
        }
        if problem != 0 {
            ctx.fix(problem, p)?;
            ctx.unmark_valid();
            if problem == PR_2_BAD_INO {
                return Ok(());
            }
        }
        if state.bad.binary_search(&ino).is_ok() {
            process_bad_inode(fs, ctx, dir, ino, Some(name))?;
        }
        let ipg = fs.geo.inodes_per_group.max(1);
        let group = (ino - 1) / ipg;
        p.group = Some(group);
        if let Some((itable_unused, bg_flags)) = self.group_bits(group) {
            let csum = fs.sb.has_metadata_csum() || f.ro_compat(RO_COMPAT_GDT_CSUM);
            let unused = if csum { itable_unused } else { 0 };
            let first_unused =
                u64::from(group) * u64::from(ipg) + 1 + u64::from(ipg) - u64::from(unused.min(ipg));
            if csum && bg_flags & crate::format::group_desc::BG_INODE_UNINIT != 0 {
                p.num = Some(u64::from(ino));
                ctx.fix(PR_2_INOREF_BG_INO_UNINIT, p)?;
                ctx.unmark_valid();
                if problem == PR_2_BAD_INO {
                    return Ok(());
                }
            } else if csum && u64::from(ino) >= first_unused {
                p.num = Some(u64::from(ino));
                ctx.fix(PR_2_INOREF_IN_UNUSED, p)?;
                ctx.unmark_valid();
                if problem == PR_2_BAD_INO {
                    return Ok(());
                }
            }
        }
        // Where the inode is in pass 1's lists (they do not change in pass 2).
        let index = state.index(ino);
        let dir_index = state.dir_index_at(index, ino);
        if index.is_none() {
            problem = PR_2_UNUSED_INODE;
        }
        if problem != 0 {
            ctx.fix(problem, p)?;
            ctx.unmark_valid();
        }
        self.check_filetype(ctx, state, d, (ino, index, dir_index), p)?;
        let (dir_policy, cf_dir) = {
            let info = self.dir_info(state, dir);
            (info.policy.clone(), info.cf_dir)
        };
        if dir_policy != Policy::None {
            // An encrypted directory: names are ciphertext (no check_name),
            // at least a cipher block long, and what they name is encrypted
            // the same way.
            if dot_state > 1 {
                if name.len() < 16 {
                    ctx.fix(PR_2_BAD_ENCRYPTED_NAME, p)?;
                    ctx.unmark_valid();
                }
                self.check_encryption_policy(ctx, state, d, &dir_policy, p)?;
            }
        } else if cf_dir {
            // encoded_check_name (strict mode): names must be valid UTF-8,
            // then check_name as well.
            if core::str::from_utf8(name).is_err() {
                ctx.fix(PR_2_BAD_ENCODED_NAME, p)?;
            }
            if self.check_name_bad(name) {
                ctx.fix(PR_2_BAD_NAME, p)?;
            }
        } else if self.check_name_bad(name) {
            ctx.fix(PR_2_BAD_NAME, p)?;
        }
        if let Some((dx_ino, blockcnt)) = self.cur_dx {
            self.hash_entry(dx_ino, blockcnt, d, dot_state);
        }
        if dot_state > 1 {
            if let Some(i) = dir_index {
                if state.parent[i] != 0 {
                    p.ino2 = Some(state.parent[i]);
                    ctx.fix(PR_2_LINK_DIR, p)?;
                    p.ino2 = None;
                } else {
                    state.parent[i] = dir;
                    if !name.is_empty() {
                        ctx.names.insert(ino, (dir, String::from_utf8_lossy(name).into_owned()));
                    }
                }
            }
        }
        if !*dups_found {
            // The block's dictionary of names (folded in strict casefolded
            // directories).
            let folded = if cf_dir { crate::format::casefold::casefold(name) } else { None };
            let key = folded.as_deref().unwrap_or(name);
            if !names.insert(key) {
                let mut q = Pctx::ino(dir);
                q.dirent = p.dirent.clone();
                ctx.fix(PR_2_REPORT_DUP_DIRENT, &q)?;
                state.rehash.insert(dir);
                *dups_found = true;
            }
        }
        if let Some(i) = index {
            state.counted[i] = state.counted[i].saturating_add(1);
        }
        Ok(())
    }

    /// Group `g`'s `bg_itable_unused` and `bg_flags` (the last group asked
    /// is kept: the entries of a directory mostly name inodes of one group).
    fn group_bits(&mut self, g: u32) -> Option<(u32, u16)> {
        if let Some((cached, bits)) = self.last_group {
            if cached == g {
                return bits;
            }
        }
        let bits = self.fs.group(g).ok().map(|gr| (gr.itable_unused, gr.flags));
        self.last_group = Some((g, bits));
        bits
    }

    /// The missing / misnamed / unterminated question for `.` (`which` 0)
    /// or `..` (1), as check_dot and check_dotdot ask it; 0 when it is fine.
    fn dot_problem(d: &Dirent, which: usize) -> u32 {
        let (codes, want): ([u32; 3], &[u8]) = if which == 0 {
            ([PR_2_MISSING_DOT, PR_2_1ST_NOT_DOT, PR_2_DOT_NULL_TERM], b".")
        } else {
            ([PR_2_MISSING_DOT_DOT, PR_2_2ND_NOT_DOT_DOT, PR_2_DOT_DOT_NULL_TERM], b"..")
        };
        if d.inode == 0 {
            codes[0]
        } else if d.name != want {
            codes[1]
        } else if d.after_name[which] != 0 {
            codes[2]
        } else {
            0
        }
    }

    fn check_dot(&mut self, ctx: &mut Ctx, d: &Dirent, dir: u32, p: &Pctx) -> R {
        let problem = Self::dot_problem(d, 0);
        if problem != 0 {
            ctx.fix(problem, p)?;
        }
        if d.inode != dir {
            ctx.fix(PR_2_BAD_INODE_DOT, p)?;
        }
        if d.rec_len > 24 {
            ctx.fix(PR_2_SPLIT_DOT, p)?;
        }
        Ok(())
    }

    /// Returns true when `..` is bad (its target is then not recorded).
    fn check_dotdot(&mut self, ctx: &mut Ctx, d: &Dirent, p: &Pctx) -> Result<bool, Abort> {
        let problem = Self::dot_problem(d, 1);
        if problem != 0 {
            ctx.fix(problem, p)?;
        }
        Ok(problem != 0)
    }

    /// `ino` with its [`State::index`] and [`State::dir_index`].
    fn check_filetype(
        &mut self,
        ctx: &mut Ctx,
        state: &State,
        d: &Dirent,
        (ino, index, dir_index): (u32, Option<usize>, Option<usize>),
        p: &mut Pctx,
    ) -> R {
        if !self.filetype {
            if d.file_type != 0 {
                ctx.fix(PR_2_CLEAR_FILETYPE, p)?;
            }
            return Ok(());
        }
        let should_be = if dir_index.is_some() {
            2
        } else if index.is_some_and(|i| FileType::from_mode(state.mode[i]) == FileType::Regular) {
            1
        } else if state.bad.binary_search(&ino).is_ok() {
            0
        } else {
            match self.fs.inode(ino) {
                Ok(i) => file_type_for(FileType::from_mode(i.mode())),
                Err(_) => 0,
            }
        };
        if d.file_type == should_be {
            return Ok(());
        }
        p.num = Some(u64::from(should_be));
        ctx.fix(if d.file_type != 0 { PR_2_BAD_FILETYPE } else { PR_2_SET_FILETYPE }, p)?;
        Ok(())
    }

    /// The entry's hash joins its htree block's range.
    fn hash_entry(&mut self, dir: u32, blockcnt: u64, d: &Dirent, dot_state: u32) {
        let fs = self.fs;
        let Some(dx) = self.dx.get_mut(&dir) else { return };
        if dx.hashversion == crate::format::dx_hash::DX_HASH_SIPHASH {
            if dot_state > 1 {
                self.last_hash = d.stored_hash;
            }
        } else {
            let folded = (dx.casefolded_hash && fs.features().incompat(INCOMPAT_CASEFOLD))
                .then(|| crate::format::casefold::casefold(d.name))
                .flatten();
            let input = folded.as_deref().unwrap_or(d.name);
            // An unknown version hashes to 0.
            self.last_hash = crate::format::dx_hash::dx_hash(dx.hashversion, input, &fs.sb.s_hash_seed)
                .map_or(0, |h| h.major);
        }
        dx.add_hash(blockcnt, self.last_hash);
    }

    /// `check_encryption_policy`: what an encrypted directory names is
    /// encrypted with the directory's policy (or needs no encryption).
    fn check_encryption_policy(
        &mut self,
        ctx: &mut Ctx,
        state: &State,
        d: &Dirent,
        dir: &Policy,
        p: &Pctx,
    ) -> R {
        let file = policy_of(self.fs, state, d.inode);
        if file == *dir {
            return Ok(());
        }
        if file == Policy::None {
            // needs_encryption: regular files, directories and symlinks.
            let needs = match d.file_type {
                0 => {
                    state.dir_index(d.inode).is_some()
                        || state
                            .index(d.inode)
                            .is_some_and(|i| FileType::from_mode(state.mode[i]) == FileType::Regular)
                        || self.fs.inode(d.inode).is_ok_and(|i| {
                            matches!(
                                FileType::from_mode(i.mode()),
                                FileType::Regular | FileType::Directory | FileType::Symlink
                            )
                        })
                }
                t => t == 1 || t == 2 || t == 7,
            };
            if needs {
                ctx.fix(PR_2_UNENCRYPTED_FILE, p)?;
            }
            return Ok(());
        }
        ctx.fix(PR_2_INCONSISTENT_ENCRYPTION_POLICY, p)?;
        Ok(())
    }

    fn check_name_bad(&self, name: &[u8]) -> bool {
        name.iter().any(|&c| c == b'/' || c == 0)
    }
}

impl Dirent<'_> {
    /// The entry as a problem's `%D…` parameters.
    fn param(&self) -> (u32, Vec<u8>, u32, u32, u8) {
        (self.inode, self.name.to_vec(), self.rec_len, self.name.len() as u32, self.file_type)
    }

    /// [`Dirent::param`] into `p`, reusing its buffer for the name.
    fn set_param(&self, p: &mut Pctx) {
        match &mut p.dirent {
            Some(d) => {
                d.1.clear();
                d.1.extend_from_slice(self.name);
                (d.0, d.2, d.3, d.4) = (self.inode, self.rec_len, self.name.len() as u32, self.file_type);
            }
            None => p.dirent = Some(self.param()),
        }
    }
}

/// `ext2fs_dir_rec_len(name_len, extended)`: with the stored hash, 8 more.
fn rec_len_for(name_len: usize, extended: bool) -> u32 {
    ((name_len as u32) + 8 + if extended { 8 } else { 0 } + 3) & !3
}

fn read_dirent(buf: &[u8], offset: usize, max: usize, bs: u32, extended: bool) -> Dirent<'_> {
    let get = |i: usize| buf.get(offset + i).copied().unwrap_or(0);
    let short = Dirent {
        inode: 0,
        rec_len: rec_len_for(1, extended),
        name: &[],
        after_name: [0, 0],
        file_type: 0,
        stored_hash: 0,
    };
    if max.saturating_sub(offset) < 8 {
        // Not even room for the header: e2fsck forces a salvage.
        return short;
    }
    let Some(h) = buf.get(offset..offset + 8).map(DirEntryHeader::parse) else {
        return short;
    };
    let (inode, rec_len) = (h.inode, rec_len_from_disk(h.rec_len, bs));
    let (name_len, file_type) = (usize::from(h.name_len), h.file_type);
    let end = (offset + 8 + name_len).min(buf.len());
    let name = buf.get(offset + 8..end).unwrap_or(&[]);
    let after_name = [get(8 + 1), get(8 + 2)];
    let h = 8 + ((name_len + 3) & !3);
    let stored_hash = u32::from_le_bytes([get(h), get(h + 1), get(h + 2), get(h + 3)]);
    Dirent { inode, rec_len, name, after_name, file_type, stored_hash }
}

/// e2fsck's `e2fsck_process_bad_inode` under -n: the questions it asks about
/// an inode pass 1 marked bad (asked at every entry that names it).
pub(crate) fn process_bad_inode(fs: &Fs, ctx: &mut Ctx, dir: u32, ino: u32, name: Option<&[u8]>) -> R {
    let Ok(inode) = fs.inode(ino) else { return Ok(()) };
    // It begins with `e2fsck_read_inode`, which checks the checksum (after
    // pass 1, whose inode scan tolerates bad ones): under -n a bad one was not
    // fixed, so the read fails, and e2fsck_read_inode's failure is fatal.
    if inode.checksum.ok == Some(false) {
        return Err(ctx.abort(&format!(
            "ext2fs_read_inode: Inode checksum does not match inode while reading inode {ino} in process_bad_inode"
        )));
    }
    let mut pc = Pctx::ino(ino);
    pc.dir = Some(dir);
    pc.name = name.map(|n| String::from_utf8_lossy(n).into_owned());
    pc.inode = Some(InodeFields::of(&inode));
    let f = fs.features();
    // ext2fs_file_acl_block: the high half counts only with 64bit.
    let acl_block = |i: &Inode| {
        if f.incompat(INCOMPAT_64BIT) {
            i.file_acl()
        } else {
            u64::from(i.raw.i_file_acl_lo)
        }
    };
    let acl = acl_block(&inode);
    if acl != 0 && !f.compat(COMPAT_EXT_ATTR) {
        ctx.fix(PR_2_FILE_ACL_ZERO, &pc)?;
    }
    let ft = inode.file_type();
    let problem = match ft {
        FileType::Directory | FileType::Regular => 0,
        FileType::Unknown => PR_2_BAD_MODE,
        FileType::Symlink if !symlink_ok(fs, &inode) => PR_2_INVALID_SYMLINK,
        FileType::Symlink => 0,
        _ if device_ok(&inode) => 0,
        FileType::CharDevice => PR_2_BAD_CHAR_DEV,
        FileType::BlockDevice => PR_2_BAD_BLOCK_DEV,
        FileType::Fifo => PR_2_BAD_FIFO,
        FileType::Socket => PR_2_BAD_SOCKET,
    };
    if problem != 0 {
        ctx.fix(problem, &pc)?;
    }
    if inode.raw.i_obso_faddr != 0 {
        ctx.fix(PR_2_FADDR_ZERO, &pc)?;
    }
    let linux = fs.sb.s_creator_os == 0;
    if linux && !f.ro_compat(RO_COMPAT_HUGE_FILE) && inode.raw.l_i_blocks_high != 0 {
        pc.num = Some(u64::from(inode.raw.l_i_blocks_high));
        ctx.fix(PR_2_BLOCKS_HI_ZERO, &pc)?;
    }
    if linux && !f.incompat(INCOMPAT_64BIT) && inode.raw.l_i_file_acl_high != 0 {
        pc.num = Some(u64::from(inode.raw.l_i_file_acl_high));
        ctx.fix(PR_2_I_FILE_ACL_HI_ZERO, &pc)?;
    }
    let acl = acl_block(&inode);
    if acl != 0 && (acl < fs.geo.first_data_block || acl >= fs.geo.blocks_count) {
        ctx.fix(PR_2_FILE_ACL_BAD, &pc)?;
    }
    if inode.raw.i_size_high != 0
        && !f.incompat(INCOMPAT_LARGEDIR)
        && u64::from(inode.raw.i_blocks_lo) < (1u64 << (29 - fs.geo.block_size.trailing_zeros().min(29)))
        && ft == FileType::Directory
    {
        ctx.fix(PR_2_DIR_SIZE_HIGH_ZERO, &pc)?;
    }
    Ok(())
}

/// `e2fsck_pass1_check_device_inode`.
pub(crate) fn device_ok(inode: &Inode) -> bool {
    let flags = inode.flags();
    if flags & (crate::format::inode::INDEX_FL | crate::format::inode::EXTENTS_FL) != 0 {
        return false;
    }
    if flags & (0x10 | 0x20) != 0 {
        let w = inode.i_block_words();
        if w[4..].iter().any(|&x| x != 0) {
            return false;
        }
    }
    true
}

/// `e2fsck_pass1_check_symlink`.
pub(crate) fn symlink_ok(fs: &Fs, inode: &Inode) -> bool {
    let flags = inode.flags();
    let size = inode.raw.i_size_lo;
    if inode.raw.i_size_high != 0 || size == 0 || flags & crate::format::inode::INDEX_FL != 0 {
        return false;
    }
    let extents = flags & crate::format::inode::EXTENTS_FL != 0;
    if flags & INLINE_DATA_FL != 0 {
        if extents {
            return false;
        }
        let xr = crate::format::xattr::in_inode(fs, inode);
        let extra = xr
            .entries
            .iter()
            .find(|e| e.name_index == crate::format::xattr::INDEX_SYSTEM && e.suffix == b"data")
            .map_or(0, |e| e.value.len());
        return u64::from(size) == 60 + extra as u64 || (extra == 0 && size <= 60);
    }
    let buf: Vec<u8>;
    if inode.is_fast_symlink() {
        if extents {
            return false;
        }
        buf = inode.i_block().to_vec();
    } else {
        let map = fs.file_map(inode);
        let blk = if extents {
            if map.data.len() != 1
                || map.data[0].logical != 0
                || map.data[0].len != 1
                || !map.metadata.is_empty()
            {
                return false;
            }
            map.data[0].physical
        } else {
            let w = inode.i_block_words();
            if w[1..].iter().any(|&x| x != 0) {
                return false;
            }
            u64::from(w[0])
        };
        if blk < fs.geo.first_data_block || blk >= fs.geo.blocks_count {
            return false;
        }
        match fs.block(blk) {
            Ok(b) => buf = b.to_vec(),
            Err(_) => return false,
        }
    }
    let len = if flags & 0x800 != 0 {
        usize::from(u16::from_le_bytes([buf.first().copied().unwrap_or(0), buf.get(1).copied().unwrap_or(0)]))
            + 2
    } else {
        buf.iter().position(|&c| c == 0).unwrap_or(buf.len())
    };
    len < buf.len() && len as u32 == size
}

/// e2fsck's pass 3: the root, then every directory's way up to it.
pub(crate) fn pass3(fs: &Fs, ctx: &mut Ctx, state: &mut State) -> R {
    let pc = Pctx::default();
    if state.is_used(ROOT_INO) {
        if state.dir_index(ROOT_INO).is_none() {
            ctx.fix(PR_3_ROOT_NOT_DIR_ABORT, &pc)?;
            return Err(ctx.abort("e2fsck: aborted"));
        }
    } else {
        ctx.fix(PR_3_NO_ROOT_INODE, &pc)?;
        ctx.fix(PR_3_NO_ROOT_INODE_ABORT, &pc)?;
        return Err(ctx.abort("e2fsck: aborted"));
    }
    let n = state.dirs.len();
    let mut done = alloc::vec![false; n];
    if let Some(r) = state.dir_index(ROOT_INO) {
        done[r] = true;
    }
    for k in 0..n {
        let dir = state.dirs[k];
        let mut i = k;
        let mut steps = 0usize;
        loop {
            if done[i] {
                break;
            }
            done[i] = true;
            let parent = state.parent[i];
            if parent == 0 {
                let mut p = Pctx::ino(state.dirs[i]);
                p.dir = Some(state.dotdot[i]);
                ctx.fix(PR_3_UNCONNECTED_DIR, &p)?;
                break;
            }
            match state.dir_index(parent) {
                Some(j) => i = j,
                None => break,
            }
            steps += 1;
            if steps > n {
                let mut p = Pctx::ino(state.dirs[i]);
                p.dir = Some(parent);
                ctx.fix(PR_3_LOOPED_DIR, &p)?;
                break;
            }
        }
        let mut p = Pctx::ino(dir);
        p.ino2 = Some(state.dotdot[k]);
        p.dir = Some(state.parent[k]);
        if state.dotdot[k] != state.parent[k] {
            ctx.fix(PR_3_BAD_DOT_DOT, &p)?;
        }
    }
    // Pass 3A: the directories pass 2 scheduled for rebuilding.
    ctx.set_pass("3A");
    super::rehash::pass3a(fs, ctx, state)?;
    ctx.set_pass("3");
    Ok(())
}

/// e2fsck's pass 4: inodes nothing names, and link counts.
pub(crate) fn pass4(fs: &Fs, ctx: &mut Ctx, state: &mut State) -> R {
    let sb = &fs.sb;
    let first_ino = sb.first_ino();
    let prj = sb.s_prj_quota_inum;
    let orphan = if fs.features().compat(COMPAT_ORPHAN_FILE) { sb.s_orphan_file_inum } else { 0 };
    let dir_nlink = fs.features().ro_compat(RO_COMPAT_DIR_NLINK);
    for k in 0..state.used.len() {
        let i = state.used[k];
        if (prj != 0 && i == prj) || (orphan != 0 && i == orphan) || i == 1 || (i > ROOT_INO && i < first_ino)
        {
            continue;
        }
        if state.imagic.contains(&i) || state.bb.contains(&i) {
            continue;
        }
        let link_count = state.links[k];
        let mut counted = state.counted[k];
        if counted == 0 {
            let Ok(inode) = fs.inode(i) else { continue };
            // check_ea_inode: an EA inode referenced from attributes counts
            // as linked once; its stored count (i_ctime:i_version) against
            // the references (unless i_ctime is i_atime, as Lustre's are).
            let refs = state.ea_refs.get(&i).copied().unwrap_or(0);
            if inode.flags() & EA_INODE_FL != 0 && refs != 0 {
                counted = 1;
                let r = &inode.raw;
                let stored = (u64::from(r.i_ctime) << 32) | u64::from(r.l_i_version);
                if stored != refs && r.i_ctime != r.i_atime {
                    let mut pc = Pctx::ino(i);
                    pc.inode = Some(InodeFields::of(&inode));
                    pc.num = Some(stored);
                    pc.num2 = Some(refs);
                    ctx.fix(PR_4_EA_INODE_REF_COUNT, &pc)?;
                }
            }
        }
        if counted == 0 {
            let Ok(inode) = fs.inode(i) else { continue };
            if state.bad.binary_search(&i).is_ok() {
                process_bad_inode(fs, ctx, 0, i, None)?;
            }
            let mut pc = Pctx::ino(i);
            pc.inode = Some(InodeFields::of(&inode));
            let extra = inode.extra_isize();
            let isz = fs.geo.inode_size as usize;
            let ea_magic = if isz > 128 + extra {
                inode
                    .bytes
                    .get(128 + extra..132 + extra)
                    .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                    .unwrap_or(0)
            } else {
                0
            };
            let ft = inode.file_type();
            if inode.blocks_raw() == 0
                && ea_magic != crate::format::xattr::XATTR_MAGIC
                && matches!(ft, FileType::Regular | FileType::Directory)
            {
                ctx.fix(PR_4_ZERO_LEN_INODE, &pc)?;
            }
            ctx.fix(PR_4_UNATTACHED_INODE, &pc)?;
            ctx.unmark_valid();
            continue;
        }
        let isdir = state.dir_index_at(Some(k), i).is_some();
        if isdir && counted > 65000 {
            if !dir_nlink {
                ctx.fix(PR_4_DIR_NLINK_FEATURE, &Pctx::default())?;
            }
            counted = 1;
        }
        if counted != link_count {
            let mut pc = Pctx::ino(i);
            if let Ok(inode) = fs.inode(i) {
                pc.inode = Some(InodeFields::of(&inode));
                pc.num = Some(u64::from(counted));
                let indexed = inode.flags() & crate::format::inode::INDEX_FL != 0;
                if isdir && counted > 1 && indexed && link_count == 1 {
                    // DIR_OVERFLOW_REF_COUNT is not asked with -n.
                } else {
                    ctx.fix(PR_4_BAD_REF_COUNT, &pc)?;
                }
            }
        }
    }
    Ok(())
}

/// The names of one directory block, as e2fsck's duplicate-name dictionary
/// holds them: a hash table over one buffer of names (no allocation per
/// name; cleared and reused from block to block). Memory is bounded by the
/// block: its names and one slot per name, doubled.
#[derive(Debug, Default)]
pub(crate) struct NameSet {
    /// The names, one after the other.
    bytes: Vec<u8>,
    /// Each name's start and end in `bytes`.
    spans: Vec<(u32, u32)>,
    /// Open addressing: 0 empty, else an index into `spans` plus one
    /// (a power of two long, at least twice as long as `spans`).
    slots: Vec<u32>,
}

impl NameSet {
    pub(crate) fn clear(&mut self) {
        self.bytes.clear();
        self.spans.clear();
        self.slots.iter_mut().for_each(|s| *s = 0);
    }

    fn hash(name: &[u8]) -> u64 {
        // Word by word (the last 1-7 bytes as one word), then murmur3's
        // finaliser: the names come from the image, but a collision costs
        // only a comparison.
        let mut h = 0xcbf2_9ce4_8422_2325u64 ^ name.len() as u64;
        let mut chunks = name.chunks_exact(8);
        let mut mix = |w: u64| h = (h ^ w).wrapping_mul(0x9e37_79b9_7f4a_7c15).rotate_left(29);
        for c in &mut chunks {
            mix(u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            mix(u64::from_le_bytes(w));
        }
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }

    fn name(&self, i: u32) -> &[u8] {
        let (a, b) = self.spans[i as usize];
        &self.bytes[a as usize..b as usize]
    }

    /// Add `name`; false when it was there already.
    pub(crate) fn insert(&mut self, name: &[u8]) -> bool {
        if (self.spans.len() + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let mask = self.slots.len() - 1;
        let mut at = Self::hash(name) as usize & mask;
        loop {
            match self.slots[at] {
                0 => break,
                k if self.name(k - 1) == name => return false,
                _ => at = (at + 1) & mask,
            }
        }
        let start = self.bytes.len() as u32;
        self.bytes.extend_from_slice(name);
        self.spans.push((start, self.bytes.len() as u32));
        self.slots[at] = self.spans.len() as u32;
        true
    }

    fn grow(&mut self) {
        let n = (self.slots.len() * 2).max(64);
        self.slots.clear();
        self.slots.resize(n, 0);
        let mask = n - 1;
        for k in 0..self.spans.len() as u32 {
            let mut at = Self::hash(self.name(k)) as usize & mask;
            while self.slots[at] != 0 {
                at = (at + 1) & mask;
            }
            self.slots[at] = k + 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::NameSet;
    use alloc::format;
    use alloc::vec::Vec;

    #[test]
    fn name_set_finds_each_duplicate_once_inserted() {
        let mut set = NameSet::default();
        let names: Vec<Vec<u8>> = (0..1000).map(|i| format!("f{i:06}").into_bytes()).collect();
        for n in &names {
            assert!(set.insert(n));
        }
        for n in &names {
            assert!(!set.insert(n));
        }
        assert!(set.insert(b""));
        assert!(!set.insert(b""));
        assert!(set.insert(b"f000001\0"));
        set.clear();
        assert!(set.insert(&names[0]));
        assert!(!set.insert(&names[0]));
    }
}
