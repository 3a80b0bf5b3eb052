//! Pass 0 (superblock and group descriptors), pass 1 (every inode, riding on
//! the ownership scan) and passes 1B–1D (multiply-claimed blocks).

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::vec::Vec;

use super::codes::*;
use super::extents::{check_extents, has_valid_blocks, header_ok, ExtentScan, MetadataMap};
use super::{Abort, Ctx, InodeFields, Pctx, State};
use crate::filemap::MapBuilder;
use crate::format::features::*;
use crate::format::group_desc::{BG_BLOCK_UNINIT, BG_INODE_UNINIT};
use crate::format::inode::{Inode, EXTENTS_FL, INLINE_DATA_FL, ROOT_INO};

const IMMUTABLE_FL: u32 = 0x10;
const IMAGIC_FL: u32 = 0x2000;
const CASEFOLD_FL: u32 = 0x4000_0000;
const APPEND_FL: u32 = 0x20;
use crate::fs::Fs;
use crate::ownership::{InodeVisitor, ScanReport};

type R = Result<(), Abort>;

/// RO_COMPAT features e2fsprogs 1.47.0 checks (`EXT2_LIB_FEATURE_RO_COMPAT_SUPP`).
const E2FSPROGS_RO_COMPAT: u32 = 0x0001_F77B;

/// What makes e2fsck's `ext2fs_open2` or its feature check refuse the file
/// system although this reader opens it: e2fsck then stops before any pass
/// (exit 8; 12 when the file system was open, for RO_COMPAT features).
pub(crate) fn open_refusal(fs: &Fs, ctx: &mut Ctx) -> R {
    // ext2fs_open2's own refusals (revision, checksums, INCOMPAT features)
    // are `super_checks::open_fs`'s.
    let sb = &fs.sb;
    let f = fs.features();
    if sb.s_rev_level > 0 && f.ro_compat & !E2FSPROGS_RO_COMPAT != 0 {
        // The file system was opened (read-only) but not yet marked valid.
        ctx.unmark_valid();
        return Err(ctx.abort("e2fsck: Get a newer version of e2fsck!"));
    }
    Ok(())
}

/// e2fsck's `check_super_block`, the per-group part.
pub(crate) fn pass0(fs: &Fs, ctx: &mut Ctx) -> R {
    let geo = fs.geo;
    let flex = fs.features().incompat(INCOMPAT_FLEX_BG);
    let csum_flag = fs.has_group_csum();
    let n = geo.groups_count;
    let itb = u64::from(geo.inode_table_blocks);
    for g in 0..n {
        let Ok(gr) = fs.group(g) else { continue };
        let (first, last) = if flex {
            (geo.first_data_block, geo.blocks_count.saturating_sub(1))
        } else {
            (geo.group_first_block(g), geo.group_last_block(g))
        };
        let mut pc = Pctx::group(g);
        if gr.block_bitmap < first || gr.block_bitmap > last {
            pc.blk = Some(gr.block_bitmap);
            ctx.fix(PR_0_BB_NOT_GROUP, &pc)?;
        }
        if gr.inode_bitmap < first || gr.inode_bitmap > last {
            pc.blk = Some(gr.inode_bitmap);
            ctx.fix(PR_0_IB_NOT_GROUP, &pc)?;
        }
        let it_end = gr.inode_table.saturating_add(itb.saturating_sub(1));
        if gr.inode_table < first || it_end > last {
            pc.blk = Some(gr.inode_table);
            ctx.fix(PR_0_ITABLE_NOT_GROUP, &pc)?;
        }
        pc.blk = None;
        let ipg = geo.inodes_per_group;
        if gr.free_blocks_count > geo.blocks_per_group
            || gr.free_inodes_count > ipg
            || gr.used_dirs_count > ipg
        {
            ctx.unmark_valid();
        }
        if gr.checksum.ok == Some(false) {
            pc.csum1 = Some(gr.checksum.stored);
            pc.csum2 = Some(gr.checksum.computed);
            ctx.fix(PR_0_GDT_CSUM, &pc)?;
            ctx.unmark_valid();
            pc.csum1 = None;
            pc.csum2 = None;
        }
        if !csum_flag && (gr.flags & (BG_BLOCK_UNINIT | BG_INODE_UNINIT) != 0 || gr.itable_unused != 0) {
            ctx.fix(PR_0_GDT_UNINIT, &pc)?;
            ctx.unmark_valid();
        }
        if g + 1 == n && gr.flags & BG_BLOCK_UNINIT != 0 {
            ctx.fix(PR_0_BB_UNINIT_LAST, &pc)?;
            ctx.unmark_valid();
        }
        if csum_flag && (gr.itable_unused > gr.free_inodes_count || gr.itable_unused > ipg) {
            pc.blk = Some(u64::from(gr.itable_unused));
            ctx.fix(PR_0_GDT_ITABLE_UNUSED, &pc)?;
            ctx.unmark_valid();
        }
    }
    ctx.end_latch(PR_LATCH_BG_CHECKSUM)?;
    Ok(())
}

/// The checker's pass 1: sees every inode the ownership scan decodes.
pub(crate) struct Pass1 {
    ctx: Ctx,
    pub state: State,
    aborted: bool,
    first_ino: u32,
    inodes_count: u32,
    low_dtime_check: bool,
    extent_fs: bool,
    /// e2fsck's walk of the extent tree of the inode being claimed (made
    /// while the scan claims its blocks, asked in `check_blocks`).
    extent_scan: Option<ExtentScan>,
    /// e2fsck's critical metadata blocks.
    metadata: MetadataMap,
    /// Blocks of the indirect map being claimed that e2fsck's process_block
    /// finds too big for the file (inode; logical block, block, problem):
    /// neither marked nor counted.
    toobig: (u32, Vec<(u64, u64, u32)>),
    /// The bad blocks inode's walk (`process_bad_block`), asked in
    /// `check_blocks`: its problems, and whether it stops e2fsck.
    bad_blocks: Option<(Vec<(u32, Pctx)>, BadStop)>,
    /// EA blocks and EA inodes met so far.
    ea: super::xattrs::EaState,
    /// The quota blocks of the EA inodes the inode being checked names in
    /// its body (e2fsck's `ea_ibody_quota`).
    ibody_quota: u64,
    /// The last inode table block judged by `check_inode_block_sanity`:
    /// (block, more than half of its inodes insane).
    itable_sanity: Option<(u64, bool)>,
}

/// How the bad blocks inode's walk ends e2fsck.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BadStop {
    No,
    /// An indirect pointer outside the file system (PR_1_BLOCK_ITERATE).
    Iterate,
    /// A block of its map on metadata (PR_1_BBINODE_BAD_METABLOCK_PROMPT).
    MetaBlock,
}

impl Pass1 {
    pub(crate) fn new(fs: &Fs, ctx: Ctx) -> Pass1 {
        let sb = &fs.sb;
        let inodes_count = sb.s_inodes_count;
        // e2fsck trusts low dtimes only when the superblock's times are sane.
        let low = |t: u32| t != 0 && t < inodes_count;
        let busted = low(sb.s_wtime) || low(sb.s_mtime) || low(sb.s_mkfs_time);
        Pass1 {
            ctx,
            state: State { quota: super::quota::Usage::new(fs), ..State::default() },
            aborted: false,
            first_ino: sb.first_ino(),
            inodes_count,
            low_dtime_check: !busted,
            extent_fs: fs.features().incompat(INCOMPAT_EXTENTS),
            extent_scan: None,
            metadata: MetadataMap::new(fs),
            toobig: (0, Vec::new()),
            bad_blocks: None,
            ea: super::xattrs::EaState::default(),
            ibody_quota: 0,
            itable_sanity: None,
        }
    }

    /// libext2fs's `check_inode_block_sanity`, as e2fsck's inode scan runs it
    /// (`EXT2_SF_WARN_GARBAGE_INODES`): an inode table block in which more
    /// than half of the inodes fail their checksum or have an insane extent
    /// header or block map makes every inode in it "garbage".
    fn itable_block_insane(&mut self, fs: &Fs, ino: u32) -> bool {
        let Ok((blk, _)) = fs.inode_location(ino) else { return false };
        if let Some((b, v)) = self.itable_sanity {
            if b == blk {
                return v;
            }
        }
        let isz = fs.geo.inode_size as usize;
        let per = fs.geo.block_size as usize / isz.max(1);
        let v = per >= 2 && {
            let ipg = fs.geo.inodes_per_group;
            let idx = (ino - 1) % ipg;
            let first = ino - idx % per as u32;
            let in_group_left = ipg - (first - 1) % ipg;
            let n = (per as u32).min(in_group_left) as usize;
            match fs.block(blk) {
                Err(_) => false,
                Ok(b) => {
                    let csum = fs.sb.has_metadata_csum().then(|| fs.sb.csum_seed());
                    let mut badness = 0usize;
                    for i in 0..n {
                        let Some(rec) = b.get(i * isz..(i + 1) * isz) else { break };
                        let this = first + i as u32;
                        let bad_csum = csum.is_some_and(|seed| {
                            crate::format::inode::inode_checksum_with_seed(seed, this, rec).ok == Some(false)
                                && rec.iter().take(128).any(|&x| x != 0)
                        });
                        if bad_csum || record_looks_insane(fs, rec) {
                            badness += 1;
                        }
                    }
                    badness > per / 2
                }
            }
        };
        self.itable_sanity = Some((blk, v));
        v
    }

    /// True when a problem stopped e2fsck during the inode scan.
    pub(crate) fn aborted(&self) -> bool {
        self.aborted
    }

    fn inode(&mut self, fs: &Fs, inode: &Inode, map: Option<&MapBuilder>) -> R {
        let ino = inode.ino;
        // The raw field: `dtime()` also formats the time.
        let dtime = inode.raw.i_dtime;
        let links = inode.links();
        let mode = inode.mode();
        let mut pc = Pctx::ino(ino);
        pc.inode = Some(InodeFields::of(inode));
        // EXT2_ET_INODE_IS_GARBAGE: "Clear trashed inode?" for a linked one.
        // The block is judged when one of its inodes is itself bad (its
        // checksum or its map): a sound file system never reads its inode
        // tables twice. (A sound inode before the first bad one of an insane
        // block is not flagged: e2fsck would flag it.)
        let bad_here = (inode.checksum.ok == Some(false) && inode.bytes.iter().take(128).any(|&b| b != 0))
            || record_looks_insane(fs, &inode.bytes);
        let garbage = match self.itable_sanity {
            Some((b, v)) if fs.inode_location(ino).is_ok_and(|(blk, _)| blk == b) => v,
            _ if bad_here => self.itable_block_insane(fs, ino),
            _ => false,
        };
        if garbage && links > 0 {
            self.ctx.fix(PR_1_INODE_IS_GARBAGE, &pc)?;
        }
        if dtime != 0 && self.low_dtime_check && dtime < self.inodes_count {
            self.ctx.fix(PR_1_LOW_DTIME, &pc)?;
        }
        let reserved = ino < self.first_ino;
        self.ibody_quota = 0;
        let Some(map) = map else {
            // Not in use: links 0 (the scan claimed nothing).
            if !reserved && dtime == 0 && mode != 0 {
                self.ctx.fix(PR_1_ZERO_DTIME, &pc)?;
            }
            return Ok(());
        };
        let flags = inode.flags();
        if flags & CASEFOLD_FL != 0 {
            // Both asked under -n when both apply.
            if mode & 0xF000 != 0x4000 {
                self.ctx.fix(PR_1_CASEFOLD_NONDIR, &pc)?;
            }
            if !fs.features().incompat(INCOMPAT_CASEFOLD) {
                self.ctx.fix(PR_1_CASEFOLD_FEATURE, &pc)?;
            }
        }
        let failed_csum =
            garbage || (inode.checksum.ok == Some(false) && inode.bytes.iter().any(|&b| b != 0));
        super::inline::flag_checks(fs, &mut self.ctx, inode, &pc, failed_csum)?;
        // The extents flag against the feature (under -n the inode is neither
        // cleared nor changed).
        if (links != 0 || matches!(ino, 1 | ROOT_INO | 8)) && flags & EXTENTS_FL != 0 && !self.extent_fs {
            if header_ok(inode.i_block(), 60) {
                self.ctx.fix(PR_1_EXTENT_FEATURE, &pc)?;
            }
            self.ctx.fix(PR_1_EXTENTS_SET, &pc)?;
        }
        if (links != 0 || matches!(ino, 1 | ROOT_INO | 8))
            && self.extent_fs
            && flags & EXTENTS_FL == 0
            && matches!(mode & 0xF000, 0x4000 | 0x8000)
            && header_ok(inode.i_block(), 60)
        {
            self.ctx.fix(PR_1_UNSET_EXTENT_FL, &pc)?;
        }
        if ino == ROOT_INO {
            if mode & 0xF000 != 0x4000 {
                self.ctx.fix(PR_1_ROOT_NO_DIR, &pc)?;
            }
            if dtime != 0 && links != 0 {
                self.ctx.fix(PR_1_ROOT_DTIME, &pc)?;
            }
        } else if ino == 1 {
            // The bad blocks inode: its list, not a file (no size or block
            // count checks).
            self.record(ino, links, mode);
            let r = &inode.raw;
            let csum_bad = inode.checksum.ok == Some(false) && inode.bytes.iter().any(|&b| b != 0);
            if csum_bad
                || mode != 0
                || r.i_uid != 0
                || r.i_gid != 0
                || links != 0
                || inode.flags() & INLINE_DATA_FL != 0
                || inode.file_acl() != 0
            {
                self.ctx.fix(PR_1_INVALID_BAD_INODE, &pc)?;
            }
            let Some((problems, stop)) = self.bad_blocks.take() else { return Ok(()) };
            for (code, p) in &problems {
                self.ctx.fix(*code, p)?;
            }
            match stop {
                BadStop::No => {}
                BadStop::Iterate => {
                    self.ctx.fix(PR_1_BLOCK_ITERATE, &pc)?;
                }
                BadStop::MetaBlock => {
                    self.ctx.fix(PR_1_BBINODE_BAD_METABLOCK_PROMPT, &pc)?;
                    return Err(self.ctx.abort("e2fsck: aborted"));
                }
            }
            return Ok(());
        } else if reserved {
            // Reserved inodes are in use whatever their links; their blocks count.
            self.record(ino, links, mode);
            self.check_blocks(fs, inode, map, &mut pc)?;
            return Ok(());
        }
        if links == 0 {
            return Ok(());
        }
        if dtime != 0 && !(dtime < self.inodes_count && self.low_dtime_check) {
            self.ctx.fix(PR_1_SET_DTIME, &pc)?;
        }
        self.record(ino, links, mode);
        let r = &inode.raw;
        let f = fs.features();
        let hurd = fs.sb.s_creator_os == 1;
        let mut bad = r.i_obso_faddr != 0
            || (!f.incompat(INCOMPAT_LARGEDIR) && mode & 0xF000 == 0x4000 && r.i_size_high != 0)
            || (!hurd && !f.incompat(INCOMPAT_64BIT) && r.l_i_file_acl_high != 0)
            || (!hurd && !f.ro_compat(RO_COMPAT_HUGE_FILE) && r.l_i_blocks_high != 0);
        if flags & IMAGIC_FL != 0 {
            if f.compat(COMPAT_IMAGIC_INODES) {
                self.state.imagic.insert(ino);
            } else {
                self.ctx.fix(PR_1_SET_IMAGIC, &pc)?;
            }
        }
        self.ibody_quota =
            super::xattrs::check_inode_extra_space(fs, &mut self.ctx, &mut self.ea, inode, &mut pc)?;
        pc.num = None;
        super::inline::is_really_dir(fs, &mut self.ctx, inode, &pc, &self.metadata)?;
        if self.extent_fs && flags & EXTENTS_FL != 0 && mode & 0xF000 == 0xA000 && !has_valid_blocks(inode) {
            self.ctx.fix(PR_1_FAST_SYMLINK_EXTENT_FL, &pc)?;
        }
        if flags & crate::format::casefold::ENCRYPT_FL != 0 {
            // `add_encrypted_file`: the `c` attribute, read as libext2fs does
            // (any error reading the attributes counts as none).
            match super::xattrs::encryption_context(fs, inode) {
                None => {
                    self.ctx.fix(PR_1_MISSING_ENCRYPTION_XATTR, &pc)?;
                }
                Some((len, version)) if !super::xattrs::context_well_formed(len, version) => {
                    self.ctx.fix(PR_1_CORRUPT_ENCRYPTION_XATTR, &pc)?;
                }
                Some(_) => {}
            }
        }
        let special = |s: &mut Self, pc: &Pctx| -> R {
            if flags & (EXTENTS_FL | INLINE_DATA_FL) != 0 {
                s.ctx.fix(PR_1_SPECIAL_EXTENTS_IDATA, pc)?;
            }
            if flags & (IMMUTABLE_FL | APPEND_FL) != 0 {
                s.ctx.fix(PR_1_SET_IMMUTABLE, pc)?;
            }
            if inode.size() != 0 {
                let mut p = pc.clone();
                p.num = Some(0);
                s.ctx.fix(PR_1_SET_NONZSIZE, &p)?;
            }
            Ok(())
        };
        match mode & 0xF000 {
            0x4000 | 0x8000 => {}
            0x2000 | 0x6000 | 0x1000 | 0xC000 if super::dirs::device_ok(inode) => special(self, &pc)?,
            0xA000 if super::dirs::symlink_ok(fs, inode) => {
                if flags & (IMMUTABLE_FL | APPEND_FL) != 0 {
                    self.ctx.fix(PR_1_SET_IMMUTABLE, &pc)?;
                }
                if flags & INLINE_DATA_FL != 0 {
                    self.mark_bad(ino, bad);
                    return Ok(());
                }
            }
            _ => bad = true,
        }
        let acl = inode.file_acl();
        if acl != 0
            && (!f.compat(COMPAT_EXT_ATTR) || acl < fs.geo.first_data_block || acl >= fs.geo.blocks_count)
        {
            bad = true;
        }
        self.mark_bad(ino, bad);
        self.check_blocks(fs, inode, map, &mut pc)?;
        Ok(())
    }

    fn mark_bad(&mut self, ino: u32, bad: bool) {
        if bad && self.state.bad.last().is_none_or(|&l| l < ino) {
            self.state.bad.push(ino);
        }
    }

    fn record(&mut self, ino: u32, links: u16, mode: u16) {
        let s = &mut self.state;
        if s.used.last().is_some_and(|&l| l >= ino) {
            return;
        }
        s.used.push(ino);
        s.links.push(links);
        s.counted.push(0);
        s.mode.push(mode);
        if mode & 0xF000 == 0x4000 {
            s.dirs.push(ino);
            s.parent.push(if ino == ROOT_INO { ROOT_INO } else { 0 });
            s.dotdot.push(0);
        }
    }

    /// e2fsck's `check_blocks`: blocks outside the file system, `i_size` and
    /// `i_blocks` against the block map.
    fn check_blocks(&mut self, fs: &Fs, inode: &Inode, map: &MapBuilder, pc: &mut Pctx) -> R {
        let geo = fs.geo;
        let bs = u64::from(geo.block_size);
        let mode = inode.mode();
        let is_dir = mode & 0xF000 == 0x4000;
        let inline = inode.flags() & INLINE_DATA_FL != 0;
        let extents = inode.flags() & EXTENTS_FL != 0;
        let scan = self.extent_scan.take().filter(|s| s.ino == inode.ino);
        let ea_blocks = super::xattrs::check_ext_attr(fs, &mut self.ctx, &mut self.ea, inode, pc)?;
        pc.blk = None;
        pc.num = None;
        if let Some(scan) = &scan {
            for (code, p) in &scan.problems {
                self.ctx.fix(*code, p)?;
            }
            let bare = Pctx::ino(inode.ino);
            for code in &scan.more {
                self.ctx.fix(*code, &bare)?;
            }
            self.ctx.end_latch(PR_LATCH_BLOCK)?;
            self.ctx.end_latch(PR_LATCH_TOOBIG)?;
            if scan.failed {
                // check_blocks_extents leaves pctx->errcode set.
                self.ctx.fix(PR_1_BLOCK_ITERATE, pc)?;
            }
        }
        // Blocks outside the file system.
        let illegal = |b: u64| b < geo.first_data_block || b >= geo.blocks_count;
        for r in map.runs.iter().filter(|_| scan.is_none()) {
            if illegal(r.physical) || illegal(r.physical.saturating_add(r.len.saturating_sub(1))) {
                let mut p = pc.clone();
                p.blk = Some(r.physical);
                p.blkcount = i64::try_from(r.logical).ok();
                if extents {
                    p.blk2 = Some(r.logical);
                    p.num = Some(r.len);
                    self.ctx.fix(PR_1_EXTENT_BAD_START_BLK, &p)?;
                } else {
                    self.ctx.fix(PR_1_ILLEGAL_BLOCK_NUM, &p)?;
                }
            }
        }
        for m in map.metadata.iter().filter(|_| scan.is_none()) {
            if illegal(m.block) {
                let mut p = pc.clone();
                p.blk = Some(m.block);
                p.blkcount = Some(-1 - i64::from(m.level.min(3)));
                if extents {
                    self.ctx.fix(PR_1_EXTENT_BAD_START_BLK, &p)?;
                } else {
                    self.ctx.fix(PR_1_ILLEGAL_BLOCK_NUM, &p)?;
                }
            }
        }
        // Indirect maps: the pointers the walker did not follow and the
        // blocks too big for the file, in the block iterator's order (an
        // indirect block before what it maps). Every twelfth, e2fsck offers to
        // clear the inode, then to suppress.
        let toobig =
            if self.toobig.0 == inode.ino { core::mem::take(&mut self.toobig.1) } else { Vec::new() };
        // (position, data?, blockcnt, block, problem, indirect block holding it)
        type Event = (u64, bool, i64, u64, u32, u64);
        let on_metadata = |m: &MetadataMap, b: u64| {
            inode.ino != crate::ownership::RESIZE_INO
                && b < u64::from(fs.sb.s_blocks_count_lo)
                && m.contains(b)
        };
        // Indirect blocks on critical metadata: said, not counted as bad.
        let mut bad: Vec<Event> = map
            .metadata
            .iter()
            .zip(&map.meta_at)
            .filter(|(m, _)| on_metadata(&self.metadata, m.block))
            .map(|(m, &at)| (at, false, -1, m.block, PR_1_CRITICAL_METADATA_COLLISION, 0))
            .collect();
        bad.extend(map.illegal.iter().map(|&(blockcnt, ptr, at, parent)| {
            (at, blockcnt >= 0, blockcnt, ptr, PR_1_ILLEGAL_BLOCK_NUM, parent)
        }));
        bad.extend(
            toobig.iter().map(|&(l, b, code)| (l, true, i64::try_from(l).unwrap_or(i64::MAX), b, code, 0)),
        );
        bad.sort_by_key(|x| (x.0, x.1));
        let mut k = 0u64;
        for &(_, _, blockcnt, ptr, code, parent) in &bad {
            let mut p = pc.clone();
            p.blk = Some(ptr);
            if code == PR_1_CRITICAL_METADATA_COLLISION {
                self.ctx.fix(code, &p)?;
                continue;
            }
            k += 1;
            // A bad pointer in an indirect block on critical metadata is
            // dropped in memory without a word (pass 1B moves the block).
            if parent != 0 && on_metadata(&self.metadata, parent) {
                continue;
            }
            if k.is_multiple_of(12) {
                self.ctx.fix(PR_1_TOO_MANY_BAD_BLOCKS, &p)?;
                self.ctx.fix(PR_1_SUPPRESS_MESSAGES, &p)?;
            }
            p.blkcount = Some(blockcnt);
            self.ctx.fix(code, &p)?;
        }
        self.ctx.end_latch(PR_LATCH_BLOCK)?;
        self.ctx.end_latch(PR_LATCH_TOOBIG)?;
        // An indirect pointer left outside the file system stops libext2fs'
        // block iterator (EXT2_ET_BAD_IND_BLOCK), and e2fsck with it.
        if bad.iter().any(|&(_, _, blockcnt, _, code, parent)| {
            code == PR_1_ILLEGAL_BLOCK_NUM
                && blockcnt < 0
                && !(parent != 0 && on_metadata(&self.metadata, parent))
        }) {
            self.ctx.fix(PR_1_BLOCK_ITERATE, pc)?;
        }
        let ratio = u64::from(geo.cluster_ratio.max(1));
        // e2fsck counts clusters: a new one each time the block map moves to
        // another physical cluster (blocks of a cluster in a row count once).
        // (The resize inode counts every block as one.)
        let data: u64 = if let Some(scan) = &scan {
            // Tree blocks included.
            scan.num_blocks.saturating_mul(ratio)
        } else if ratio == 1 {
            map.runs.iter().map(|r| r.len).sum()
        } else if inode.ino == crate::ownership::RESIZE_INO {
            map.runs.iter().map(|r| r.len).sum::<u64>().saturating_mul(ratio)
        } else {
            let mut runs: Vec<_> = map.runs.iter().collect();
            runs.sort_by_key(|r| r.logical);
            let mut n = 0u64;
            let mut last: Option<u64> = None;
            for r in runs {
                let first_c = r.physical / ratio;
                let last_c = r.physical.saturating_add(r.len.saturating_sub(1)) / ratio;
                let start = if last == Some(first_c) { first_c + 1 } else { first_c };
                n = n.saturating_add((last_c + 1).saturating_sub(start));
                last = Some(last_c);
            }
            n.saturating_mul(ratio)
        };
        let meta = if scan.is_some() { 0 } else { map.metadata.len() as u64 };
        let mut num_blocks = data.saturating_add(meta.saturating_mul(ratio));
        // The EA block when check_ext_attr counts it, and the values kept in
        // EA inodes (in blocks of whole clusters).
        num_blocks = num_blocks.saturating_add(ea_blocks.unwrap_or(0)).saturating_add(self.ibody_quota);
        let (last_block, last_init): (Option<u64>, Option<u64>) = match &scan {
            Some(s) => (u64::try_from(s.last_block).ok(), u64::try_from(s.last_init).ok()),
            None => (
                map.runs.iter().map(|r| r.logical_end()).max().map(|e| e.saturating_sub(1)),
                map.runs
                    .iter()
                    .filter(|r| !r.unwritten)
                    .map(|r| r.logical_end())
                    .max()
                    .map(|e| e.saturating_sub(1)),
            ),
        };
        if inode.flags() & crate::format::inode::INDEX_FL != 0 {
            self.handle_htree(fs, inode, map, pc)?;
        }
        if num_blocks == 0 && is_dir && !inline {
            self.ctx.fix(PR_1_ZERO_LENGTH_DIR, pc)?;
        }
        // quota_data_add / quota_data_inodes (not for the project quota
        // inode, the orphan file, reserved inodes but the root, EA inodes).
        let sb = &fs.sb;
        let ino = inode.ino;
        if ino != sb.s_prj_quota_inum
            && ino != sb.s_orphan_file_inum
            && (ino == crate::format::inode::ROOT_INO || ino >= self.first_ino)
            && inode.flags() & 0x0020_0000 == 0
        {
            self.state.quota.add(inode, num_blocks.saturating_mul(bs), 1);
        }
        // EXT2_I_SIZE: i_size_high counts whatever the file type.
        let size = u64::from(inode.raw.i_size_lo) | (u64::from(inode.raw.i_size_high) << 32);
        let blocks_after = last_block.map_or(0, |l| l.saturating_add(1));
        let mut bad_size = 0;
        let mut inline_size = 0;
        if is_dir {
            let nblock = size >> geo.block_size.trailing_zeros();
            if inline {
                // Against the inline data's size (0 when it cannot be read).
                let sz = super::xattrs::inline_data_size(fs, inode, true).unwrap_or(0);
                if sz as u64 != size {
                    bad_size = 7;
                    inline_size = sz as u64;
                }
            } else if size & (bs - 1) != 0 {
                bad_size = 5;
            } else if nblock > blocks_after {
                bad_size = 1;
            } else if nblock < blocks_after && blocks_after - nblock > u64::from(fs.sb.s_prealloc_dir_blocks)
            {
                bad_size = 2;
            }
        } else {
            let verity = inode.flags() & 0x0010_0000 != 0;
            if last_init.is_some_and(|l| size < l.saturating_mul(bs)) && !verity {
                bad_size = 3;
            } else if !(self.extent_fs && extents) && size > max_indirect_size(geo.block_size) {
                bad_size = 4;
            } else if self.extent_fs && extents && size > (1u64 << (32 + geo.block_size.trailing_zeros())) - 1
            {
                bad_size = 6;
            }
        }
        if bad_size != 0 && mode & 0xF000 != 0xA000 {
            let mut p = pc.clone();
            p.num = Some(if bad_size == 7 { inline_size } else { blocks_after.saturating_mul(bs) });
            p.group = Some(bad_size);
            self.ctx.fix(PR_1_BAD_I_SIZE, &p)?;
        }
        let huge = fs.features().ro_compat(RO_COMPAT_HUGE_FILE)
            && inode.flags() & crate::format::inode::HUGE_FILE_FL != 0;
        let expect = if huge { num_blocks } else { num_blocks.saturating_mul(bs / 512) };
        let stored = if huge { inode.blocks_raw() } else { inode.blocks_512() };
        if expect != stored {
            let mut p = pc.clone();
            p.num = Some(expect);
            self.ctx.fix(PR_1_BAD_I_BLOCKS, &p)?;
        }
        // A block-mapped file on bigalloc (e2fsck would rebuild it with extents).
        let ino = inode.ino;
        let r = &inode.raw;
        if fs.features().ro_compat(RO_COMPAT_BIGALLOC)
            && matches!(mode & 0xF000, 0x4000 | 0x8000)
            && (ino == ROOT_INO || ino >= self.first_ino)
            && inode.flags() & (EXTENTS_FL | INLINE_DATA_FL) == 0
        {
            // ext2fs_inode_data_blocks2, on the i_blocks as they are.
            let hi = if fs.features().ro_compat(RO_COMPAT_HUGE_FILE) {
                u64::from(r.l_i_blocks_high) << 32
            } else {
                0
            };
            let ea = if r.i_file_acl_lo != 0 { bs.saturating_mul(ratio) >> 9 } else { 0 };
            if (u64::from(r.i_blocks_lo) | hi).wrapping_sub(ea) > 0 {
                self.ctx.fix(PR_1_NO_BIGALLOC_BLOCKMAP_FILES, pc)?;
            }
        }
        Ok(())
    }

    /// e2fsck's `handle_htree` under -n: the questions about an inode with
    /// `INDEX_FL` and its dx root, each refused, so every later one is asked
    /// too (but none after a root block that cannot be found).
    fn handle_htree(&mut self, fs: &Fs, inode: &Inode, map: &MapBuilder, pc: &Pctx) -> R {
        let geo = fs.geo;
        let f = fs.features();
        if inode.mode() & 0xF000 != 0x4000 {
            self.ctx.fix(PR_1_HTREE_NODIR, pc)?;
        }
        if !f.compat(COMPAT_DIR_INDEX) {
            self.ctx.fix(PR_1_HTREE_SET, pc)?;
        }
        // ext2fs_bmap2 of logical block 0: none for inline data; i_block[0]
        // as it is for a block map; the extent tree's mapping otherwise.
        let flags = inode.flags();
        let blk = if flags & INLINE_DATA_FL != 0 {
            None
        } else if flags & EXTENTS_FL == 0 {
            inode.bytes.get(0x28..0x2C).map(|b| u64::from(u32::from_le_bytes([b[0], b[1], b[2], b[3]])))
        } else {
            Some(map.runs.iter().find(|r| r.logical == 0).map_or(0, |r| r.physical))
        };
        let root = blk
            .filter(|&b| b != 0 && b >= geo.first_data_block && b < geo.blocks_count)
            .and_then(|b| fs.block(b).ok());
        let Some(root) = root else {
            self.ctx.fix(PR_1_HTREE_BADROOT, pc)?;
            return Ok(());
        };
        let byte = |i: usize| root.get(i).copied().unwrap_or(0);
        let reserved_zero = u32::from_le_bytes([byte(24), byte(25), byte(26), byte(27)]);
        let (hash_version, info_length, levels, unused_flags) = (byte(28), byte(29), byte(30), byte(31));
        if reserved_zero != 0 || info_length < 8 {
            self.ctx.fix(PR_1_HTREE_BADROOT, pc)?;
        }
        let mut p = pc.clone();
        p.num = Some(u64::from(hash_version));
        const SIPHASH: u8 = 6;
        if !matches!(hash_version, 0 | 1 | 2 | SIPHASH) {
            self.ctx.fix(PR_1_HTREE_HASHV, &p)?;
        }
        // ext4_hash_in_dirent: encrypted and casefolded.
        let in_dirent = flags & crate::format::casefold::ENCRYPT_FL != 0
            && flags & crate::format::casefold::CASEFOLD_FL != 0;
        if in_dirent && hash_version != SIPHASH {
            self.ctx.fix(PR_1_HTREE_NEEDS_SIPHASH, &p)?;
        } else if !in_dirent && hash_version == SIPHASH {
            self.ctx.fix(PR_1_HTREE_CANNOT_SIPHASH, &p)?;
        }
        if unused_flags & 1 != 0 {
            self.ctx.fix(PR_1_HTREE_INCOMPAT, &p)?;
        }
        p.num = Some(u64::from(levels));
        if levels > 3 {
            self.ctx.fix(PR_1_HTREE_DEPTH, &p)?;
        }
        let largedir = f.incompat(INCOMPAT_LARGEDIR);
        if levels > 2 && !largedir {
            // A two-level tree's largest size and i_blocks, computed (and
            // wrapped) in 32-bit unsigned arithmetic as e2fsck does.
            let blockbits = fs.sb.s_log_block_size.wrapping_add(10).wrapping_add(10);
            let idx_pb = 1u32.checked_shl(blockbits.wrapping_sub(3)).unwrap_or(0);
            let prod = idx_pb.wrapping_sub(1).wrapping_mul(idx_pb.wrapping_sub(2));
            let max_size = prod.checked_shl(blockbits).unwrap_or(0);
            let max_blocks = prod.checked_shl(blockbits.wrapping_sub(9)).unwrap_or(0);
            if inode.size() < u64::from(max_size) && inode.raw.i_blocks_lo < max_blocks {
                self.ctx.fix(PR_1_HTREE_DEPTH, &p)?;
            }
        }
        Ok(())
    }

    /// After the scan: the EA blocks' reference counts (the orphan checks
    /// belong here too).
    pub(crate) fn finish(&mut self, fs: &Fs) -> R {
        self.state.ea_refs = core::mem::take(&mut self.ea.ea_refs);
        self.state.build_index(fs.geo.inodes_per_group);
        super::xattrs::adjust_refcounts(fs, &mut self.ctx, &self.ea)
    }

    /// The problem context so far.
    pub(crate) fn ctx(&self) -> &Ctx {
        &self.ctx
    }

    /// The same, to raise a problem of the scan itself.
    pub(crate) fn ctx_mut(&mut self) -> &mut Ctx {
        &mut self.ctx
    }

    /// The context and what pass 1 learnt, for the passes after it.
    pub(crate) fn into_parts(self) -> (Ctx, State) {
        (self.ctx, self.state)
    }
}

impl Pass1 {
    /// e2fsck's walk of the bad blocks inode (`process_bad_block`): the
    /// blocks it marks go into `map`, the problems it asks are returned.
    fn bad_blocks_walk(&self, fs: &Fs, inode: &Inode, map: &mut MapBuilder) -> (Vec<(u32, Pctx)>, BadStop) {
        // libext2fs' block iterator walks an extent tree when the flag says
        // so, whatever the features.
        let mut all = MapBuilder { skip_items: true, ..MapBuilder::default() };
        match fs.map_kind(inode) {
            crate::filemap::MapKind::Indirect => crate::format::indirect::walk(fs, inode, &mut all),
            crate::filemap::MapKind::Extents => crate::format::extent::walk(fs, inode, &mut all),
            _ => {}
        }
        // The iterator's callbacks in order: (position, data?, blockcnt, block,
        // outside). Tree blocks of an extent map are taken first.
        let mut calls: Vec<(u64, bool, i64, u64, bool)> = Vec::new();
        for (i, m) in all.metadata.iter().enumerate() {
            let at = all.meta_at.get(i).copied().unwrap_or(0);
            calls.push((at, false, -1 - i64::from(m.level.min(2)), m.block, false));
        }
        for &(blockcnt, ptr, at, _) in &all.illegal {
            calls.push((at, blockcnt >= 0, blockcnt, ptr, true));
        }
        for r in &all.runs {
            for k in 0..r.len {
                if calls.len() >= super::MAX_FINDINGS.saturating_mul(4) {
                    break;
                }
                let l = r.logical + k;
                calls.push((l, true, i64::try_from(l).unwrap_or(i64::MAX), r.physical + k, false));
            }
        }
        calls.sort_by_key(|c| (c.0, c.1));
        let geo = fs.geo;
        let words = inode.i_block_words();
        let mut seen: BTreeSet<u64> = BTreeSet::new();
        let mut problems = Vec::new();
        let mut stop = BadStop::No;
        let mut budget: u64 = 1 << 24;
        let base = {
            let mut p = Pctx::ino(1);
            p.inode = Some(InodeFields::of(inode));
            p
        };
        for &(_, _, blockcnt, blk, outside) in &calls {
            let mut p = base.clone();
            p.blk = Some(blk);
            p.blkcount = Some(blockcnt);
            if outside {
                problems.push((PR_1_BB_ILLEGAL_BLOCK_NUM, p));
                if blockcnt < 0 {
                    stop = BadStop::Iterate;
                }
                continue;
            }
            let claimed = self.metadata.contains(blk) || seen.contains(&blk);
            if blockcnt < 0 {
                if self.metadata.contains(blk) {
                    problems.push((PR_1_BB_FS_BLOCK, p));
                    stop = stop_meta(stop);
                } else if claimed {
                    problems.push((PR_1_BBINODE_BAD_METABLOCK, p));
                    stop = stop_meta(stop);
                } else {
                    seen.insert(blk);
                    map.metadata.push(crate::filemap::MetaBlock {
                        kind: crate::filemap::MetaKind::Ind,
                        level: 0,
                        block: blk,
                    });
                }
                continue;
            }
            if !claimed {
                seen.insert(blk);
                map.add_run(crate::filemap::DataRun {
                    logical: blockcnt as u64,
                    physical: blk,
                    len: 1,
                    unwritten: false,
                });
                continue;
            }
            // Where is the block used? Superblocks and descriptors, bitmaps,
            // inode tables (quietly), else the list's own indirect blocks.
            // (Group by group as e2fsck looks, within a budget: a hostile
            // list of many such blocks on many groups must stay cheap.)
            let mut code = None;
            let groups = geo.groups_count.min(u32::try_from(budget).unwrap_or(u32::MAX));
            budget = budget.saturating_sub(u64::from(groups));
            for g in 0..groups {
                let first = geo.group_first_block(g);
                p.group = Some(g);
                if geo.group_head(g).superblock.is_some() {
                    if blk == first {
                        code = Some(if g == 0 { PR_1_BAD_PRIMARY_SUPERBLOCK } else { PR_1_BAD_SUPERBLOCK });
                        break;
                    }
                    if blk > first && blk <= first.saturating_add(geo.gdt_blocks) {
                        code = Some(if g == 0 {
                            PR_1_BAD_PRIMARY_GROUP_DESCRIPTOR
                        } else {
                            PR_1_BAD_GROUP_DESCRIPTORS
                        });
                        break;
                    }
                }
                let Ok(gr) = fs.group(g) else { continue };
                if blk == gr.block_bitmap {
                    code = Some(PR_1_BB_BAD_BLOCK);
                    break;
                }
                if blk == gr.inode_bitmap {
                    code = Some(PR_1_IB_BAD_BLOCK);
                    break;
                }
                if blk >= gr.inode_table && blk - gr.inode_table < u64::from(geo.inode_table_blocks) {
                    code = Some(0);
                    break;
                }
            }
            match code {
                Some(0) => {}
                Some(c) => problems.push((c, p)),
                None => {
                    if [words[12], words[13], words[14]].contains(&(blk as u32)) && blk <= u64::from(u32::MAX)
                    {
                        problems.push((PR_1_BBINODE_BAD_METABLOCK, p));
                        stop = stop_meta(stop);
                    } else {
                        p.group = None;
                        problems.push((PR_1_PROGERR_CLAIMED_BLOCK, p));
                    }
                }
            }
        }
        (problems, stop)
    }
}

/// A metadata problem of the bad blocks inode's walk: e2fsck asks to go on
/// at its end (unless the iterator has failed first).
fn stop_meta(stop: BadStop) -> BadStop {
    if stop == BadStop::Iterate {
        stop
    } else {
        BadStop::MetaBlock
    }
}

/// The data blocks of indirect map `map` that e2fsck's `process_block`
/// refuses as too big for the file (a directory past 2^31 bytes without
/// `largedir`, any block but the first of a symlink), taken out of `map`:
/// e2fsck neither marks nor counts them. (Its other test, a file of 2^31
/// KiB of blocks or more, is not modelled.)
fn toobig_blocks(fs: &Fs, inode: &Inode, map: &mut MapBuilder) -> Vec<(u64, u64, u32)> {
    let mode = inode.mode() & 0xF000;
    let log = fs.geo.block_size.trailing_zeros().saturating_sub(10);
    let (from, code) = match mode {
        0x4000 if inode.raw.i_size_high == 0 && !fs.features().incompat(INCOMPAT_LARGEDIR) => {
            ((1u64 << (21u32.saturating_sub(log))) + 1, PR_1_TOOBIG_DIR)
        }
        0x4000 | 0x8000 => return Vec::new(),
        _ => (1, PR_1_TOOBIG_SYMLINK),
    };
    let mut out = Vec::new();
    if map.runs.iter().all(|r| r.logical_end() <= from) {
        return out;
    }
    let mut kept = Vec::with_capacity(map.runs.len());
    for r in map.runs.drain(..) {
        if r.logical_end() <= from {
            kept.push(r);
            continue;
        }
        let keep = from.saturating_sub(r.logical).min(r.len);
        if keep > 0 {
            kept.push(crate::filemap::DataRun { len: keep, ..r });
        }
        for k in keep..r.len {
            if out.len() >= super::MAX_FINDINGS {
                break;
            }
            out.push((r.logical + k, r.physical + k, code));
        }
    }
    map.runs = kept;
    out
}

/// e2fsck's `ext2_max_sizes`: what it takes as the largest size an indirect
/// map can describe, (12 + n + n² + n³) blocks of n = block size / 4 pointers.
fn max_indirect_size(block_size: u32) -> u64 {
    let bs = u64::from(block_size);
    let apb = bs / 4;
    12u64
        .saturating_add(apb)
        .saturating_add(apb.saturating_mul(apb))
        .saturating_add(apb.saturating_mul(apb).saturating_mul(apb))
        .saturating_mul(bs)
}

impl InodeVisitor for Pass1 {
    fn in_bad_block(&mut self, _fs: &Fs, ino: u32) {
        // pass1: "If badblocks says badblocks is bad, offer to clear the
        // list" (refused under -n); the inode is in use, in inode_bb_map.
        if ino == 1 {
            let pc = Pctx { ino: Some(ino), ..Pctx::default() };
            if self.ctx.fix(PR_1_BADBLOCKS_IN_BADBLOCKS, &pc).is_err() {
                return;
            }
        }
        self.record(ino, 0, 0);
        self.state.bb.insert(ino);
    }

    fn walk(&mut self, fs: &Fs, inode: &Inode, map: &mut MapBuilder) -> bool {
        // check_blocks: inline data first, then extents when the file system
        // has them (else libext2fs' block iterator, the scan's own walk).
        // The bad blocks inode has its own walk.
        let flags = inode.flags();
        self.extent_scan = None;
        self.toobig = (0, Vec::new());
        if inode.ino == 1 {
            self.bad_blocks = Some(self.bad_blocks_walk(fs, inode, map));
            return true;
        }
        if flags & INLINE_DATA_FL != 0 {
            return false;
        }
        if !has_valid_blocks(inode) {
            // Nothing in i_block is a block map to e2fsck.
            return true;
        }
        if !self.extent_fs || flags & EXTENTS_FL == 0 {
            // (A symlink e2fsck takes as mapped is walked whatever its size.)
            let symlink = inode.mode() & 0xF000 == 0xA000;
            if (fs.map_kind(inode) != crate::filemap::MapKind::Indirect && !symlink)
                || inode.ino == crate::ownership::RESIZE_INO
            {
                return false;
            }
            crate::format::indirect::walk(fs, inode, map);
            self.toobig = (inode.ino, toobig_blocks(fs, inode, map));
            return true;
        }
        self.extent_scan = Some(check_extents(fs, &self.metadata, inode, map));
        true
    }

    fn visit(&mut self, fs: &Fs, inode: &Inode, map: Option<&MapBuilder>, _in_bitmap: bool) {
        if self.aborted {
            return;
        }
        if self.inode(fs, inode, map).is_err() {
            self.aborted = true;
            return;
        }
        // finish_processing_inode: a checksum nothing else fixed (an
        // all-zero record passes, as libext2fs lets it).
        if inode.checksum.ok == Some(false) && inode.bytes.iter().any(|&b| b != 0) {
            let pc = Pctx::ino(inode.ino);
            if self.ctx.fix(PR_1_INODE_ONLY_CSUM_INVALID, &pc).is_err() {
                self.aborted = true;
            }
        }
    }
}

/// `extent_head_looks_insane` or `block_map_looks_insane` on a raw record.
fn record_looks_insane(fs: &Fs, rec: &[u8]) -> bool {
    let le = |o: usize, n: usize| -> u64 {
        (0..n).rev().fold(0u64, |v, i| (v << 8) | u64::from(rec.get(o + i).copied().unwrap_or(0)))
    };
    let flags = le(0x20, 4) as u32;
    let i_block = rec.get(0x28..0x28 + 60).unwrap_or(&[]);
    if flags & EXTENTS_FL != 0 {
        return !header_ok(i_block, 60);
    }
    if flags & INLINE_DATA_FL != 0 {
        return false;
    }
    let mode = le(0, 2) as u16 & 0xF000;
    if !matches!(mode, 0x8000 | 0xA000 | 0x4000) {
        return false;
    }
    let size = le(0x04, 4) | (le(0x6C, 4) << 32);
    if mode == 0xA000 && size <= 60 {
        return false;
    }
    if le(0x1A, 2) == 0 {
        return false;
    }
    let first = u64::from(fs.sb.s_first_data_block);
    let blocks = fs.geo.blocks_count;
    let bad = (0..15).map(|i| le(0x28 + 4 * i, 4)).filter(|&b| b != 0 && (b < first || b >= blocks)).count();
    bad > 15 / 2
}

/// Other inodes listed as sharing an inode's multiply-claimed blocks, at most.
const MAX_SHARERS: usize = 1000;

/// Per inode: its multiply-claimed ranges (start, length), the other inodes
/// sharing them, and whether file-system metadata is among the claimants.
type DupInfo = (Vec<(u64, u64)>, BTreeSet<u32>, bool);

/// Passes 1B–1D: blocks claimed by more than one owner (none under
/// `RO_COMPAT_SHARED_BLOCKS`, which e2fsck skips).
pub(crate) fn duplicates(fs: &Fs, ctx: &mut Ctx, report: &ScanReport, dirs: &[u32]) -> R {
    if report.shared_blocks || report.multiply_claimed.is_empty() {
        return Ok(());
    }
    // Per inode: its multiply-claimed ranges, who else shares them, and
    // whether file-system metadata is among them.
    let mut per: BTreeMap<u32, DupInfo> = BTreeMap::new();
    // Without ext_attr e2fsck does not take i_file_acl as a block claim.
    let ext_attr = fs.features().compat(COMPAT_EXT_ATTR);
    for mc in &report.multiply_claimed {
        let kept: Vec<&crate::ownership::Owner> =
            mc.owners.iter().filter(|o| ext_attr || o.kind != crate::ownership::OwnerKind::Xattr).collect();
        if kept.len() < 2 {
            continue;
        }
        let inodes: BTreeSet<u32> = kept.iter().filter_map(|o| o.inode).collect();
        let meta = kept.iter().any(|o| o.inode.is_none());
        for o in kept {
            let Some(i) = o.inode else { continue };
            let e = per.entry(i).or_default();
            let a = o.first_block.max(mc.start);
            let z = o.first_block.saturating_add(o.blocks).min(mc.start.saturating_add(mc.len));
            if a < z {
                match e.0.last_mut() {
                    Some(last) if last.0 + last.1 == a => last.1 += z - a,
                    _ => e.0.push((a, z - a)),
                }
            }
            // Bounded: a block claimed by every inode of a hostile image
            // must not cost inodes² (e2fsck lists them all; we list at most
            // MAX_SHARERS per inode).
            for &x in &inodes {
                if e.1.len() >= MAX_SHARERS {
                    break;
                }
                if x != i {
                    e.1.insert(x);
                }
            }
            e.2 |= meta;
        }
    }
    if per.is_empty() {
        return Ok(());
    }
    for (ino, (ranges, _, _)) in &per {
        let mut ranges = ranges.clone();
        ranges.sort_unstable();
        for (a, len) in ranges {
            let mut p = Pctx::ino(*ino);
            p.blk = Some(a);
            if len > 1 {
                p.blk2 = Some(a + len - 1);
                ctx.fix(PR_1B_DUP_RANGE, &p)?;
            } else {
                ctx.fix(PR_1B_DUP_BLOCK, &p)?;
            }
        }
        ctx.end_latch(PR_LATCH_DBLOCK)?;
    }
    let found = containing_dirs(fs, dirs, &per);
    let fields = |ino: u32| fs.inode(ino).ok().map(|i| InodeFields::of(&i));
    ctx.set_pass("1D");
    let p = Pctx { num: Some(per.len() as u64), ..Pctx::default() };
    ctx.fix(PR_1D_NUM_DUP_INODES, &p)?;
    for (ino, (ranges, sharers, meta)) in &per {
        let mut p = Pctx::ino(*ino);
        p.blkcount = i64::try_from(ranges.iter().map(|r| r.1).sum::<u64>()).ok();
        p.num = Some(sharers.len() as u64 + u64::from(*meta));
        p.dir = Some(found.get(ino).copied().unwrap_or(0));
        p.inode = fields(*ino);
        ctx.fix(PR_1D_DUP_FILE, &p)?;
        if *meta {
            ctx.fix(PR_1D_SHARE_METADATA, &p)?;
        }
        for s in sharers {
            let mut q = Pctx::ino(*s);
            q.dir = Some(found.get(s).copied().unwrap_or(0));
            q.inode = fields(*s);
            ctx.fix(PR_1D_DUP_FILE_LIST, &q)?;
        }
        if !ctx.fix(PR_1D_CLONE_QUESTION, &p)? && !ctx.fix(PR_1D_DELETE_QUESTION, &p)? {
            ctx.unmark_valid();
        }
    }
    Ok(())
}

/// Pass 1C: for each inode with multiply-claimed blocks, the directory of
/// the first entry naming it, directory blocks taken in physical order as
/// e2fsck's sorted dblist walks them (`.` and `..` skipped; the root is its
/// own). Reads every directory, so only when there are such inodes.
fn containing_dirs(fs: &Fs, dirs: &[u32], per: &BTreeMap<u32, DupInfo>) -> BTreeMap<u32, u32> {
    let mut found = BTreeMap::new();
    if per.contains_key(&ROOT_INO) {
        found.insert(ROOT_INO, ROOT_INO);
    }
    let first = fs.sb.first_ino();
    let max = fs.sb.s_inodes_count;
    // (physical block, byte in the image, directory, inode named).
    let mut hits: Vec<(u64, u64, u32, u32)> = Vec::new();
    for &dir in dirs {
        let Ok(l) = fs.read_dir(dir) else { continue };
        for e in l.entries.iter().filter(|e| e.is_live() && !e.is_dot_or_dotdot()) {
            if e.inode < first || e.inode > max || !per.contains_key(&e.inode) {
                continue;
            }
            hits.push((e.physical_block.unwrap_or(u64::MAX), e.byte.unwrap_or(u64::MAX), dir, e.inode));
        }
    }
    hits.sort_unstable();
    for (_, _, dir, ino) in hits {
        found.entry(ino).or_insert(dir);
    }
    found
}
