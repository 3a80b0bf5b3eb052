//! The ownership scan: [`Scanner`] walks the inode tables and fills an [`OwnershipMap`].

use alloc::boxed::Box;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::checksum::Crc32c;
use crate::error::{Error, Location, Problem, Result, Severity};
use crate::filemap::{MapBuilder, MapKind, MetaKind, NodeKind};
use crate::format::features::*;
use crate::format::group_desc::BG_INODE_UNINIT;
use crate::format::inode::{Inode, EA_INODE_FL, ROOT_INO};
use crate::fs::Fs;
use crate::io::IoError;

use super::map::{is_reserved_gdt, mmp_block, OwnershipMap, XattrUse};
use super::store::RUN_UNWRITTEN;
use super::{
    BitmapDifference, BitmapDifferenceKind, ChecksumFailure, FreeCountDifference, OwnerKind, Phase, Progress,
    ScanReport, MAX_LISTED, RESIZE_INO,
};

// ---------------------------------------------------------------------------
// The scanner
// ---------------------------------------------------------------------------

/// Inode-table bytes read per host read: coalesced, bounded, and small enough
/// that the allocator reuses the buffer instead of mapping fresh pages each time.
#[cfg(not(target_arch = "wasm32"))]
const ITABLE_CHUNK_BYTES: u64 = 1 << 16;
#[cfg(target_arch = "wasm32")]
const ITABLE_CHUNK_BYTES: u64 = 1 << 20;

/// Budget of one step of [`Scanner::run`].
const RUN_STEP: u64 = 1024;

/// Budget units a group costs to open (it reads the inode bitmap).
const GROUP_COST: u64 = 32;

struct GroupCursor {
    group: u32,
    bits: Vec<u8>,
    /// Inodes past this index are not looked at.
    limit: u32,
    next: u32,
    /// Index of the first inode of the scanner's `chunk`.
    chunk_first: u32,
    /// Bytes of the scanner's `chunk` read for this group (0: none yet).
    chunk_len: usize,
    /// The group's inode table (from its descriptor, read once).
    inode_table: u64,
}

/// An incremental ownership scan. Make one with [`Scanner::new`], call
/// [`Scanner::step`] with a budget until it says done (or [`Scanner::run`] with a
/// progress callback), then [`Scanner::report`]. Every step must be given the same
/// [`Fs`] the scanner was made for.
pub struct Scanner {
    map: OwnershipMap,
    phase: Phase,
    group: u32,
    cur: Option<GroupCursor>,
    inodes_scanned: u64,
    inodes_expected: u64,
    groups_total: u32,
    fs_id: (u64, u32, u32),
    problems: Vec<Problem>,
    problem_count: u64,
    checksum_failures: Vec<ChecksumFailure>,
    free_diffs: Vec<FreeCountDifference>,
    bitmap_free_total: u64,
    roles: Roles,
    /// Reused for every inode's block map.
    builder: MapBuilder,
    /// Inode table bytes being scanned (see `GroupCursor::chunk_len`), reused
    /// from read to read so that no read has to allocate or zero a buffer.
    chunk: Vec<u8>,
    /// What `chunk` holds (first block, bytes): groups whose descriptors name
    /// the same inode table blocks are read once, not once per group.
    chunk_held: Option<(u64, usize)>,
    /// The inode being claimed, decoded into the same buffers from inode to
    /// inode (boxed: taking it out and putting it back moves a pointer).
    inode: Option<Box<Inode>>,
    /// e2fsck's pass 1 selection (see [`Scanner::for_check`]).
    check_mode: bool,
    /// Check mode: the blocks the bad blocks inode lists, ascending (at most
    /// [`MAX_BAD_BLOCKS`]).
    bad_blocks: Vec<u64>,
    /// Check mode: the group whose inode table libext2fs's scan refuses, and
    /// the last inode scanned before it (e2fsck's pass 1 ends there).
    iscan_error: Option<(u32, u32)>,
}

/// The most bad blocks the check-mode scan takes from the bad blocks inode.
const MAX_BAD_BLOCKS: usize = 1 << 16;

/// Sees every inode a [`Scanner`] decodes (the checker's pass 1 rides on the
/// ownership scan instead of walking the inode tables a second time).
pub(crate) trait InodeVisitor {
    /// `inode` was decoded. `map` is its block map when the scan claimed its
    /// blocks (`None`: the inode is not in use, nothing was claimed).
    /// `in_bitmap`: the inode bitmap marks it in use.
    fn visit(&mut self, fs: &Fs, inode: &Inode, map: Option<&MapBuilder>, in_bitmap: bool);

    /// Build the block map of in-use `inode` into the (cleared) `map` instead
    /// of the scan's own walk, which then claims what is in `map`; false: let
    /// the scan walk it. (The checker walks extent trees as e2fsck does:
    /// what it refuses is not claimed.)
    fn walk(&mut self, _fs: &Fs, _inode: &Inode, _map: &mut MapBuilder) -> bool {
        false
    }

    /// Inode `ino` lies in an inode table block the bad blocks inode lists
    /// (check mode): libext2fs's scan gives no contents for it.
    fn in_bad_block(&mut self, _fs: &Fs, _ino: u32) {}
}

/// An [`InodeVisitor`] that does nothing.
struct NoVisitor;

impl InodeVisitor for NoVisitor {
    fn visit(&mut self, _: &Fs, _: &Inode, _: Option<&MapBuilder>, _: bool) {}
}

/// Special inodes and what their data is.
#[derive(Debug, Clone, Copy)]
struct Roles {
    journal: u32,
    quota: [u32; 3],
    orphan: u32,
    first_ino: u32,
}

impl Roles {
    fn of(fs: &Fs) -> Roles {
        let sb = &fs.sb;
        let f = fs.features();
        Roles {
            journal: if f.compat(COMPAT_HAS_JOURNAL) { sb.s_journal_inum } else { 0 },
            quota: if f.ro_compat(RO_COMPAT_QUOTA) {
                [sb.s_usr_quota_inum, sb.s_grp_quota_inum, sb.s_prj_quota_inum]
            } else {
                [0; 3]
            },
            orphan: if f.compat(COMPAT_ORPHAN_FILE) { sb.s_orphan_file_inum } else { 0 },
            first_ino: sb.first_ino(),
        }
    }

    /// What the data of inode `ino` is, given its file type bits.
    fn data_kind(&self, ino: u32, mode: u16, ea_inode: bool) -> OwnerKind {
        if ino == 0 {
            return OwnerKind::OtherData;
        }
        if ino == self.journal {
            return OwnerKind::Journal;
        }
        if self.quota.contains(&ino) {
            return OwnerKind::Quota;
        }
        if ino == self.orphan {
            return OwnerKind::OrphanFile;
        }
        if ino < self.first_ino && ino != ROOT_INO {
            return match ino {
                1 => OwnerKind::BadBlocks,
                3 | 4 => OwnerKind::Quota,
                5 => OwnerKind::BootLoader,
                RESIZE_INO => OwnerKind::ResizeInode,
                8 => OwnerKind::Journal,
                _ => OwnerKind::ReservedInode,
            };
        }
        if ea_inode {
            return OwnerKind::Xattr;
        }
        match mode & 0xF000 {
            0x8000 => OwnerKind::FileData,
            0x4000 => OwnerKind::DirData,
            0xA000 => OwnerKind::SymlinkData,
            _ => OwnerKind::OtherData,
        }
    }
}

impl Scanner {
    /// Start a scan: layout metadata is claimed at once (cheap: no reads).
    pub fn new(fs: &Fs) -> Scanner {
        let mut s = Scanner {
            map: OwnershipMap::new(fs),
            phase: Phase::Inodes,
            group: 0,
            cur: None,
            inodes_scanned: 0,
            inodes_expected: fs
                .groups()
                .map(|g| u64::from(fs.geo.inodes_per_group.saturating_sub(g.free_inodes_count)))
                .sum(),
            groups_total: fs.geo.groups_count,
            fs_id: (fs.geo.blocks_count, fs.geo.groups_count, fs.geo.inodes_per_group),
            problems: Vec::new(),
            problem_count: 0,
            checksum_failures: Vec::new(),
            free_diffs: Vec::new(),
            bitmap_free_total: 0,
            roles: Roles::of(fs),
            builder: MapBuilder { skip_items: true, ..MapBuilder::default() },
            chunk: Vec::new(),
            chunk_held: None,
            inode: None,
            check_mode: false,
            iscan_error: None,
            bad_blocks: Vec::new(),
        };
        s.claim_layout(fs);
        s.map.flush();
        s
    }

    /// A scan that selects inodes as e2fsck's pass 1 does: every inode of the
    /// used part of each inode table (up to `bg_itable_unused`; groups with
    /// `INODE_UNINIT` skipped), whatever the inode bitmap says. An inode is in use
    /// when it is reserved (below `s_first_ino`) or has links; only in-use
    /// inodes claim blocks. Pass 5 then compares the bitmaps with that.
    pub fn for_check(fs: &Fs) -> Scanner {
        let mut s = Scanner::new(fs);
        s.check_mode = true;
        // The bad blocks list as ext2fs_read_bb_inode reads it: inode 1's blocks.
        if let Ok(bad) = fs.inode(1) {
            if bad.mode() == 0 || bad.links() == 0 {
                let map = fs.file_map(&bad);
                let mut v: Vec<u64> = Vec::new();
                'runs: for r in &map.data {
                    for i in 0..r.len {
                        if v.len() >= MAX_BAD_BLOCKS {
                            break 'runs;
                        }
                        v.push(r.physical.saturating_add(i));
                    }
                }
                v.sort_unstable();
                v.dedup();
                s.bad_blocks = v;
            }
        }
        s
    }

    /// Check mode: the group whose inode table lies outside the file system,
    /// where libext2fs's inode scan (and so e2fsck's pass 1) stopped, and the
    /// last inode before it.
    pub(crate) fn iscan_error(&self) -> Option<(u32, u32)> {
        self.iscan_error
    }

    fn problem(&mut self, severity: Severity, structure: String, at: Location, message: String) {
        self.problem_count += 1;
        if self.problems.len() < MAX_LISTED {
            self.problems.push(Problem { severity, structure, at, message });
        }
    }

    fn checksum_failure(&mut self, structure: String, at: Location, stored: u32, computed: u32) {
        if self.checksum_failures.len() < MAX_LISTED {
            self.checksum_failures.push(ChecksumFailure { structure, at, stored, computed });
        }
    }

    fn claim_layout(&mut self, fs: &Fs) {
        let geo = fs.geo;
        let n = geo.blocks_count;
        if geo.block_size == 1024 && geo.group_head(0).superblock != Some(0) {
            self.map.claim(0, 1, OwnerKind::BootBlock, 0, 0, 0);
        }
        if let Some(cs) = Some(fs.superblock_checksum()).filter(|c| c.ok == Some(false)) {
            self.checksum_failure(String::from("superblock"), Location::byte(1024), cs.stored, cs.computed);
        }
        for g in 0..geo.groups_count {
            let head = geo.group_head(g);
            if let Some(s) = head.superblock {
                self.map.claim(s, 1, OwnerKind::Superblock, g, 0, 0);
            }
            if let Some((s, c)) = head.gdt {
                self.map.claim(s, c, OwnerKind::GroupDescriptors, g, 0, 0);
            }
            if let Some((s, c)) = head.reserved_gdt {
                self.map.claim(s, c, OwnerKind::ReservedGdt, g, 0, 0);
            }
        }
        let itb = u64::from(geo.inode_table_blocks);
        for gr in fs.groups() {
            let g = gr.index;
            let at = gr.at;
            let (bb, ib, it) = (gr.block_bitmap, gr.inode_bitmap, gr.inode_table);
            let csum = gr.checksum;
            if csum.ok == Some(false) {
                self.checksum_failure(format!("group descriptor {g}"), at, csum.stored, csum.computed);
            }
            for (b, len, kind) in [
                (bb, 1, OwnerKind::BlockBitmap),
                (ib, 1, OwnerKind::InodeBitmap),
                (it, itb, OwnerKind::InodeTable),
            ] {
                if b < geo.first_data_block || b.checked_add(len).is_none_or(|e| e > n) {
                    // fs.rs reports the location; the part inside is still claimed.
                    if b >= n {
                        continue;
                    }
                }
                self.map.claim(b, len, kind, g, 0, 0);
            }
        }
        if let Some(m) = mmp_block(fs) {
            self.map.claim(m, 1, OwnerKind::Mmp, 0, 0, 0);
        }
    }

    /// Where the scan is.
    pub fn progress(&self) -> Progress {
        let groups_done = match self.phase {
            Phase::Inodes => self.group,
            Phase::Resolve => self.groups_total,
            Phase::Bitmaps => self.group,
            Phase::Done => self.groups_total,
        };
        let gt = u64::from(self.groups_total.max(1));
        let by_groups = u64::from(groups_done) * 850 / gt;
        let by_inodes = (self.inodes_scanned.min(self.inodes_expected) * 850)
            .checked_div(self.inodes_expected)
            .unwrap_or(0);
        let inode_part = by_inodes.max(by_groups).min(850);
        let permille = match self.phase {
            Phase::Inodes => inode_part,
            Phase::Resolve => 850,
            Phase::Bitmaps => 900 + u64::from(groups_done) * 100 / gt,
            Phase::Done => 1000,
        } as u32;
        Progress {
            phase: self.phase,
            groups_done,
            groups_total: self.groups_total,
            inodes_scanned: self.inodes_scanned,
            inodes_expected: self.inodes_expected,
            permille: permille.min(1000),
        }
    }

    /// True when finished.
    pub fn is_done(&self) -> bool {
        self.phase == Phase::Done
    }

    /// The map as built so far (partial results can be drawn).
    pub fn map(&mut self) -> &OwnershipMap {
        self.map.flush();
        &self.map
    }

    /// The map, taking it.
    pub fn into_map(mut self) -> OwnershipMap {
        self.map.flush();
        self.map
    }

    /// Do about `budget` units of work (one unit ≈ one in-use inode, or 64
    /// clusters of bitmap comparison; opening a group costs 32), then return.
    /// Returns `Ok(true)` when the scan is finished. `fs` must be the file system
    /// the scanner was made for.
    pub fn step(&mut self, fs: &Fs, budget: u64) -> Result<bool> {
        self.step_with(fs, budget, &mut NoVisitor)
    }

    /// [`Scanner::step`], showing every decoded inode to `visitor`.
    pub(crate) fn step_with(&mut self, fs: &Fs, budget: u64, visitor: &mut dyn InodeVisitor) -> Result<bool> {
        if (fs.geo.blocks_count, fs.geo.groups_count, fs.geo.inodes_per_group) != self.fs_id {
            return Err(Error::Internal {
                message: String::from(
                    "Scanner::step was given another file system than the one it was made for",
                ),
            });
        }
        let mut left = budget.max(1);
        while left > 0 {
            match self.phase {
                Phase::Inodes => self.step_inodes(fs, &mut left, visitor),
                Phase::Resolve => {
                    self.map.flush_pending();
                    self.map.resolve(fs);
                    self.check_xattr_refs();
                    if self.map.dup_blocks > 0 {
                        let (sev, why) = if self.map.shared_blocks {
                            (Severity::Info, "legal: the file system has RO_COMPAT_SHARED_BLOCKS")
                        } else {
                            (Severity::Error, "each block should belong to one owner")
                        };
                        let n = self.map.dup_blocks;
                        self.problem(
                            sev,
                            String::from("block ownership"),
                            Location::default(),
                            format!("{n} block(s) are claimed more than once ({why})"),
                        );
                    }
                    self.phase = Phase::Bitmaps;
                    self.group = 0;
                    left = left.saturating_sub(GROUP_COST);
                }
                Phase::Bitmaps => {
                    if self.group >= fs.geo.groups_count {
                        self.finish_free_counts(fs);
                        self.phase = Phase::Done;
                        self.map.complete = true;
                    } else {
                        let g = self.group;
                        let cost = self.compare_bitmap(fs, g);
                        self.group += 1;
                        left = left.saturating_sub(cost);
                    }
                }
                Phase::Done => break,
            }
        }
        Ok(self.phase == Phase::Done)
    }

    /// Step until done, calling `progress` after each step; `progress` returns
    /// false to stop (the scanner keeps its state and can be run again). Returns
    /// true when finished.
    pub fn run(&mut self, fs: &Fs, progress: &mut dyn FnMut(Progress) -> bool) -> bool {
        self.run_with(fs, progress, &mut NoVisitor)
    }

    /// [`Scanner::run`], showing every decoded inode to `visitor`.
    pub(crate) fn run_with(
        &mut self,
        fs: &Fs,
        progress: &mut dyn FnMut(Progress) -> bool,
        visitor: &mut dyn InodeVisitor,
    ) -> bool {
        loop {
            let done = match self.step_with(fs, RUN_STEP, visitor) {
                Ok(d) => d,
                Err(e) => {
                    self.problem(Severity::Error, String::from("scan"), Location::default(), format!("{e}"));
                    return false;
                }
            };
            if !progress(self.progress()) {
                return done;
            }
            if done {
                return true;
            }
        }
    }

    fn step_inodes(&mut self, fs: &Fs, left: &mut u64, visitor: &mut dyn InodeVisitor) {
        let all = self.check_mode;
        while *left > 0 {
            if self.cur.is_none() {
                if self.group >= fs.geo.groups_count {
                    self.phase = Phase::Resolve;
                    return;
                }
                let g = self.group;
                *left = left.saturating_sub(GROUP_COST);
                match self.open_group(fs, g) {
                    Some(c) => self.cur = Some(c),
                    None => {
                        self.group += 1;
                        continue;
                    }
                }
            }
            let Some(cur) = self.cur.as_mut() else { continue };
            let next = if all {
                Some(cur.next).filter(|&i| i < cur.limit)
            } else {
                next_bit(&cur.bits, cur.next, cur.limit)
            };
            let Some(i) = next else {
                self.cur = None;
                self.group += 1;
                continue;
            };
            cur.next = i + 1;
            let g = cur.group;
            let isz = u64::from(fs.geo.inode_size);
            let bs = u64::from(fs.geo.block_size);
            let per_block = (bs / isz).max(1);
            let chunk_blocks = (cur.chunk_len as u64) / bs;
            let in_chunk = i >= cur.chunk_first && u64::from(i - cur.chunk_first) / per_block < chunk_blocks;
            if !in_chunk {
                // One coalesced read from this inode's block up to the last inode
                // in use, at most ITABLE_CHUNK_BYTES. It bypasses the block cache:
                // a scan would only push everything else out of it.
                let first_blk = u64::from(i) / per_block;
                let last_inode = if all {
                    cur.limit.saturating_sub(1).max(i)
                } else {
                    last_bit(&cur.bits, cur.limit).unwrap_or(i).max(i)
                };
                let last_blk = u64::from(last_inode) / per_block;
                let n = (last_blk - first_blk + 1).min((ITABLE_CHUNK_BYTES / bs).max(1));
                let start = cur.inode_table.saturating_add(first_blk);
                let len = (n * bs) as usize;
                if self.chunk.len() < len {
                    self.chunk.resize(len, 0);
                }
                let read = if self.chunk_held == Some((start, len)) {
                    Ok(())
                } else if start.checked_add(n).is_some_and(|e| e <= fs.geo.blocks_count) {
                    match self.chunk.get_mut(..len) {
                        Some(buf) => fs.image().read_into(start * bs, buf),
                        None => Err(Error::internal("inode table buffer too short")),
                    }
                } else {
                    Err(Error::Io(IoError {
                        offset: start.saturating_mul(bs),
                        len: n * bs,
                        message: format!(
                            "blocks {start}-{} are outside the file system",
                            start.saturating_add(n - 1)
                        ),
                    }))
                };
                self.chunk_held = read.is_ok().then_some((start, len));
                match read {
                    Ok(()) => {
                        cur.chunk_len = len;
                        cur.chunk_first = (first_blk * per_block) as u32;
                    }
                    Err(e) => {
                        let limit = cur.limit;
                        // Skip the inodes of the unreadable part.
                        cur.next = ((first_blk + n) * per_block).min(u64::from(limit)) as u32;
                        cur.chunk_len = 0;
                        self.problem(
                            Severity::Error,
                            format!("inode table of group {g}"),
                            Location::block(start, fs.geo.block_size, 0).with_group(g),
                            format!(
                                "cannot read {n} inode table block(s): {e}; their inodes are not scanned"
                            ),
                        );
                        continue;
                    }
                }
            }
            let rel = u64::from(i - cur.chunk_first);
            let byte = (rel * isz) as usize;
            let off = ((rel % per_block) * isz) as usize;
            let Some(raw) = self.chunk.get(..cur.chunk_len).and_then(|c| c.get(byte..byte + isz as usize))
            else {
                continue;
            };
            let ino = g.saturating_mul(fs.geo.inodes_per_group).saturating_add(i + 1);
            let blk_no = cur.inode_table.saturating_add(u64::from(i) / per_block);
            // The chunk is borrowed from the scanner while claims are recorded:
            // the record is decoded into the reused inode (which copies it).
            let at = Location::block(blk_no, fs.geo.block_size, off).with_inode(ino);
            let inode = match self.inode.take() {
                Some(mut inode) => {
                    inode.refill(fs, ino, raw, at);
                    inode
                }
                None => Box::new(Inode::from_bytes(fs, ino, raw.to_vec(), at)),
            };
            let in_bitmap = cur.bits.get((i / 8) as usize).is_some_and(|b| b >> (i % 8) & 1 != 0);
            if self.bad_blocks.binary_search(&blk_no).is_ok() {
                // libext2fs's scan (EXT2_SF_CHK_BADBLOCKS) returns an inode in
                // a listed bad block as EXT2_ET_BAD_BLOCK_IN_INODE_TABLE,
                // without its contents.
                visitor.in_bad_block(fs, ino);
            } else {
                self.claim_inode(fs, &inode, blk_no, in_bitmap, visitor);
            }
            self.inode = Some(inode);
            self.inodes_scanned += 1;
            *left = left.saturating_sub(1);
        }
    }

    /// Read group `g`'s inode bitmap and decide which inodes to look at.
    fn open_group(&mut self, fs: &Fs, g: u32) -> Option<GroupCursor> {
        let gr = fs.group(g).ok()?;
        if self.check_mode && gr.inode_table != 0 {
            // libext2fs's inode scan refuses a group whose inode table lies
            // outside the file system (EXT2_ET_GDESC_BAD_INODE_TABLE), and
            // e2fsck's pass 1 stops there (PR_1_ISCAN_ERROR, fatal).
            let last = gr.inode_table.checked_add(u64::from(fs.geo.inode_table_blocks.saturating_sub(1)));
            if gr.inode_table < fs.geo.first_data_block || last.is_none_or(|l| l >= fs.geo.blocks_count) {
                self.iscan_error = Some((g, g.saturating_mul(fs.geo.inodes_per_group)));
                self.group = fs.geo.groups_count;
                self.phase = Phase::Resolve;
                return None;
            }
        }
        let csum = fs.sb.has_metadata_csum() || fs.features().ro_compat(RO_COMPAT_GDT_CSUM);
        if csum && gr.flags & BG_INODE_UNINIT != 0 {
            return None;
        }
        let ipg = fs.geo.inodes_per_group;
        let limit = if csum { ipg.saturating_sub(gr.itable_unused) } else { ipg };
        let bm = match fs.inode_bitmap(g) {
            Ok(b) => b,
            Err(_) if self.check_mode => {
                // e2fsck reads an unusable bitmap as all zeros and still
                // walks the inode table (its pass 0 has said the bitmap is
                // not in the group; pass 5 reports the differences).
                return Some(GroupCursor {
                    group: g,
                    bits: alloc::vec![0; (ipg as usize).div_ceil(8)],
                    limit,
                    next: 0,
                    chunk_first: 0,
                    chunk_len: 0,
                    inode_table: gr.inode_table,
                });
            }
            Err(e) => {
                self.problem(
                    Severity::Error,
                    format!("inode bitmap of group {g}"),
                    Location::block(gr.inode_bitmap, fs.geo.block_size, 0).with_group(g),
                    format!("cannot read the inode bitmap: {e}; the group's inodes are not scanned"),
                );
                return None;
            }
        };
        if bm.checksum.ok == Some(false) {
            self.checksum_failure(
                format!("inode bitmap of group {g}"),
                Location::block(bm.block, fs.geo.block_size, 0).with_group(g),
                bm.checksum.stored,
                bm.checksum.computed,
            );
        }
        for p in fs.bitmap_problems(&bm) {
            if !p.message.contains("checksum") {
                self.problem(p.severity, p.structure, p.at, p.message);
            }
        }
        if let Some(extra) = next_bit(&bm.bits, limit, ipg) {
            self.problem(
                Severity::Warning,
                format!("group {g}"),
                Location::default().with_group(g),
                format!(
                    "inode {} is marked in use but lies in the unused part of the inode table (bg_itable_unused = {}); not scanned",
                    u64::from(g) * u64::from(ipg) + u64::from(extra) + 1,
                    gr.itable_unused
                ),
            );
        }
        Some(GroupCursor {
            group: g,
            bits: bm.bits,
            limit,
            next: 0,
            chunk_first: 0,
            chunk_len: 0,
            inode_table: gr.inode_table,
        })
    }

    /// Record the claims of one in-use inode whose bytes are `raw` (at `blk`+`off`).
    #[allow(clippy::too_many_arguments)]
    fn claim_inode(
        &mut self,
        fs: &Fs,
        inode: &Inode,
        blk: u64,
        in_bitmap: bool,
        visitor: &mut dyn InodeVisitor,
    ) {
        if self.check_mode && inode.ino >= self.roles.first_ino && inode.links() == 0 {
            // Not in use for e2fsck: nothing claimed (pass 5 reports the bitmap).
            visitor.visit(fs, inode, None, in_bitmap);
        } else {
            self.claim_decoded(fs, inode, blk, inode.at, in_bitmap, visitor);
        }
    }

    fn claim_decoded(
        &mut self,
        fs: &Fs,
        inode: &Inode,
        blk: u64,
        at: Location,
        in_bitmap: bool,
        visitor: &mut dyn InodeVisitor,
    ) {
        let ino = inode.ino;
        if inode.checksum.ok == Some(false) {
            self.checksum_failure(format!("inode {ino}"), at, inode.checksum.stored, inode.checksum.computed);
        }
        for p in &inode.problems {
            self.problem(p.severity, p.structure.clone(), p.at, p.message.clone());
        }
        if !self.check_mode && ino >= self.roles.first_ino && inode.links() == 0 && inode.mode() == 0 {
            // Marked in the bitmap, but a cleared record: nothing to claim.
            self.problem(
                Severity::Warning,
                format!("inode {ino}"),
                at,
                String::from(
                    "marked in use in the inode bitmap, but the record is cleared (mode 0, no links)",
                ),
            );
            return;
        }
        let kind = self.roles.data_kind(ino, inode.mode(), inode.flags() & EA_INODE_FL != 0);
        // As `Fs::file_map`, but into a builder reused from inode to inode (no
        // per-inode allocation of the run and metadata lists) and without sorting.
        let mut map = core::mem::take(&mut self.builder);
        map.tree.nodes.clear();
        map.runs.clear();
        map.metadata.clear();
        map.illegal.clear();
        map.meta_at.clear();
        map.problems.clear();
        map.unlisted = 0;
        if !(self.check_mode && visitor.walk(fs, inode, &mut map)) {
            match fs.map_kind(inode) {
                MapKind::Extents => crate::format::extent::walk(fs, inode, &mut map),
                MapKind::Indirect => crate::format::indirect::walk(fs, inode, &mut map),
                MapKind::Inline => crate::format::inline::describe(fs, inode, &mut map),
                MapKind::None => {}
            }
        }
        self.claim_map(fs, ino, kind, &map, blk, at);
        visitor.visit(fs, inode, Some(&map), in_bitmap);
        self.builder = map;
        let acl = inode.file_acl();
        // Without ext_attr, e2fsck's check_ext_attr does not take the block.
        if acl != 0 && (!self.check_mode || fs.features().compat(COMPAT_EXT_ATTR)) {
            self.claim_xattr(fs, ino, acl);
        }
    }

    /// Record the blocks of one inode's map.
    fn claim_map(&mut self, fs: &Fs, ino: u32, kind: OwnerKind, map: &MapBuilder, blk: u64, at: Location) {
        let bs = fs.geo.block_size;
        for p in &map.problems {
            self.problem(p.severity, p.structure.clone(), p.at, p.message.clone());
        }
        for node in &map.tree.nodes {
            if node.checksum.ok == Some(false) {
                let b = node.block.unwrap_or(blk);
                let what = if node.kind == NodeKind::ExtentBlock { "extent tree block" } else { "block map" };
                self.checksum_failure(
                    format!("inode {ino} {what} {b}"),
                    Location::block(b, bs, 0).with_inode(ino),
                    node.checksum.stored,
                    node.checksum.computed,
                );
            }
        }
        let n = fs.geo.blocks_count;
        let mut outside = 0u64;
        for m in &map.metadata {
            if m.block >= n || m.block < fs.geo.first_data_block {
                outside += 1;
                continue;
            }
            let k = match m.kind {
                MetaKind::Etb => OwnerKind::ExtentTree,
                MetaKind::Ind => OwnerKind::Ind,
                MetaKind::Dind => OwnerKind::Dind,
                MetaKind::Tind => OwnerKind::Tind,
            };
            if ino == RESIZE_INO && is_reserved_gdt(fs, m.block) {
                // The resize inode maps the reserved GDT: already claimed as such.
                continue;
            }
            if self.check_mode && ino == RESIZE_INO && m.kind != MetaKind::Dind {
                // e2fsck's process_block marks only the resize inode's
                // double indirect block.
                continue;
            }
            self.map.claim(m.block, 1, k, ino, m.level, 0);
        }
        for r in &map.runs {
            let end = r.physical.saturating_add(r.len);
            outside += end.saturating_sub(n.max(r.physical))
                + fs.geo.first_data_block.min(end).saturating_sub(r.physical);
            let start = r.physical.max(fs.geo.first_data_block);
            if start >= end.min(n) {
                continue;
            }
            let logical = r.logical + (start - r.physical);
            let flags = if r.unwritten { RUN_UNWRITTEN } else { 0 };
            if self.check_mode && ino == RESIZE_INO {
                // Not marked by e2fsck (see above).
            } else if ino == RESIZE_INO {
                self.claim_skipping_reserved_gdt(fs, start, end.min(n), kind, logical);
            } else {
                let lg = u32::try_from(logical).unwrap_or(u32::MAX);
                self.map.claim(start, end.min(n) - start, kind, ino, lg, flags);
            }
        }
        if outside > 0 {
            self.problem(
                Severity::Error,
                format!("inode {ino}"),
                at,
                format!(
                    "maps {outside} block(s) outside the file system (blocks {}-{})",
                    fs.geo.first_data_block,
                    n - 1
                ),
            );
        }
    }

    /// Claim `[start, end)` for the resize inode, leaving out reserved GDT blocks
    /// (its data are the backup reserved GDT blocks, already claimed as such).
    fn claim_skipping_reserved_gdt(&mut self, fs: &Fs, start: u64, end: u64, kind: OwnerKind, logical: u64) {
        let mut b = start;
        while b < end {
            let Some(g) = fs.geo.group_of_block(b) else { break };
            let gend = (fs.geo.group_last_block(g) + 1).min(end);
            let (rs, re) = match fs.geo.group_head(g).reserved_gdt {
                Some((s, c)) => (s, s.saturating_add(c)),
                None => (gend, gend),
            };
            // Up to three pieces in this group: before, inside (skipped), after.
            for (a, z) in [(b, rs.clamp(b, gend)), (re.clamp(b, gend), gend)] {
                if a < z {
                    let lg = u32::try_from(logical + (a - start)).unwrap_or(u32::MAX);
                    self.map.claim(a, z - a, kind, RESIZE_INO, lg, 0);
                }
            }
            b = gend;
        }
    }

    /// Count a reference to xattr block `b` from `ino`; the first reference claims it.
    fn claim_xattr(&mut self, fs: &Fs, ino: u32, b: u64) {
        if b >= fs.geo.blocks_count || b < fs.geo.first_data_block {
            self.problem(
                Severity::Error,
                format!("inode {ino}"),
                Location::default().with_inode(ino),
                format!("extended attribute block {b} is outside the file system"),
            );
            return;
        }
        if let Some(u) = self.map.xattr.get_mut(&b) {
            u.refs = u.refs.saturating_add(1);
            return;
        }
        let mut refcount = None;
        match fs.block(b) {
            Ok(data) => {
                let le32 = |o: usize| {
                    data.get(o..o + 4).map(|x| u32::from_le_bytes([x[0], x[1], x[2], x[3]])).unwrap_or(0)
                };
                let at = Location::block(b, fs.geo.block_size, 0).with_inode(ino);
                if le32(0) != XATTR_MAGIC {
                    self.problem(
                        Severity::Error,
                        format!("extended attribute block {b}"),
                        at,
                        format!(
                            "inode {ino} refers to block {b} as its xattr block, but it does not start with the magic 0xEA020000 (found 0x{:08X})",
                            le32(0)
                        ),
                    );
                } else {
                    refcount = Some(le32(4));
                    if fs.sb.has_metadata_csum() {
                        let stored = le32(0x10);
                        let mut c = Crc32c::new(fs.sb.csum_seed());
                        c.update(&b.to_le_bytes())
                            .update(data.get(..0x10).unwrap_or(&[]))
                            .zeros(4)
                            .update(data.get(0x14..).unwrap_or(&[]));
                        if c.value() != stored {
                            self.checksum_failure(
                                format!("extended attribute block {b}"),
                                Location::block(b, fs.geo.block_size, 0x10).with_inode(ino),
                                stored,
                                c.value(),
                            );
                        }
                    }
                }
            }
            Err(e) => self.problem(
                Severity::Error,
                format!("extended attribute block {b}"),
                Location::block(b, fs.geo.block_size, 0).with_inode(ino),
                format!("cannot read it: {e}"),
            ),
        }
        self.map.xattr.insert(b, XattrUse { first_inode: ino, refs: 1, refcount });
        self.map.claim(b, 1, OwnerKind::Xattr, ino, 0, 0);
    }

    fn check_xattr_refs(&mut self) {
        let mismatches: Vec<(u64, XattrUse)> = self
            .map
            .xattr
            .iter()
            .filter(|(_, u)| u.refcount.is_some_and(|rc| rc != u.refs))
            .map(|(b, u)| (*b, *u))
            .collect();
        for (b, u) in mismatches {
            self.problem(
                Severity::Warning,
                format!("extended attribute block {b}"),
                Location::block(b, self.map.block_size, 4).with_inode(u.first_inode),
                format!(
                    "reference count is {}, but {} inode(s) refer to it",
                    u.refcount.unwrap_or(0),
                    u.refs
                ),
            );
        }
    }

    /// Compare group `g`'s block bitmap with the claims; returns the work done.
    fn compare_bitmap(&mut self, fs: &Fs, g: u32) -> u64 {
        let bm = match fs.block_bitmap(g) {
            Ok(b) => b,
            Err(e) => {
                let at = fs.group(g).map(|gr| gr.at).unwrap_or_default();
                self.problem(
                    Severity::Error,
                    format!("block bitmap of group {g}"),
                    at,
                    format!("cannot read the block bitmap: {e}"),
                );
                return GROUP_COST;
            }
        };
        let bs = fs.geo.block_size;
        if bm.checksum.ok == Some(false) {
            self.checksum_failure(
                format!("block bitmap of group {g}"),
                Location::block(bm.block, bs, 0).with_group(g),
                bm.checksum.stored,
                bm.checksum.computed,
            );
        }
        let ratio = self.map.ratio;
        let first_block = fs.geo.group_first_block(g);
        let base = first_block / ratio;
        let n = u64::from(fs.clusters_in_group(g));
        let mut owned = 0u64;
        let mut i = 0u64;
        // Open difference run: (kind, first cluster index in group).
        let mut open: Option<(BitmapDifferenceKind, u64)> = None;
        let close = |s: &mut Scanner, open: &mut Option<(BitmapDifferenceKind, u64)>, end: u64| {
            if let Some((kind, a)) = open.take() {
                let start = first_block + a * ratio;
                let last = (first_block + end * ratio).min(fs.geo.blocks_count);
                let len = last - start;
                match kind {
                    BitmapDifferenceKind::UsedButFree => s.map.diff_blocks.0 += len,
                    BitmapDifferenceKind::MarkedButUnowned => s.map.diff_blocks.1 += len,
                }
                if s.map.diffs.len() < MAX_LISTED {
                    s.map.diffs.push(BitmapDifference { group: g, start, len, kind });
                }
            }
        };
        while i < n {
            let k = (n - i).min(64);
            let mask = if k == 64 { u64::MAX } else { (1u64 << k) - 1 };
            let mut bmw = 0u64;
            for j in 0..k.div_ceil(8) {
                let byte = bm.bits.get(((i / 8) + j) as usize).copied().unwrap_or(0);
                bmw |= u64::from(byte) << (8 * j);
            }
            bmw &= mask;
            let cw = self.map.claimed.bits64(base + i) & mask;
            owned += u64::from(cw.count_ones());
            let diff = bmw ^ cw;
            if diff == 0 && open.is_none() {
                i += k;
                continue;
            }
            for j in 0..k {
                let c = cw >> j & 1 != 0;
                let b = bmw >> j & 1 != 0;
                let kind = match (c, b) {
                    (true, false) => Some(BitmapDifferenceKind::UsedButFree),
                    (false, true) => Some(BitmapDifferenceKind::MarkedButUnowned),
                    _ => None,
                };
                if open.map(|o| o.0) != kind {
                    close(self, &mut open, i + j);
                    if let Some(kind) = kind {
                        open = Some((kind, i + j));
                    }
                }
            }
            i += k;
        }
        close(self, &mut open, n);
        let computed = n - owned.min(n);
        self.bitmap_free_total += u64::from(bm.computed_free);
        if computed != u64::from(bm.recorded_free) || computed != u64::from(bm.computed_free) {
            self.free_diffs.push(FreeCountDifference {
                group: Some(g),
                recorded: u64::from(bm.recorded_free),
                bitmap: u64::from(bm.computed_free),
                computed,
            });
        }
        1 + n / 64
    }

    fn finish_free_counts(&mut self, fs: &Fs) {
        let ratio = self.map.ratio;
        let total_clusters = fs.groups().map(|gr| u64::from(fs.clusters_in_group(gr.index))).sum::<u64>();
        let owned_in_groups: u64 = {
            let first = fs.geo.first_data_block / ratio;
            self.map.claimed.count_range(first, self.map.claimed.len)
        };
        let computed = total_clusters.saturating_sub(owned_in_groups);
        let recorded = fs.sb.free_blocks_count() / ratio;
        if computed != recorded || computed != self.bitmap_free_total {
            self.free_diffs.push(FreeCountDifference {
                group: None,
                recorded,
                bitmap: self.bitmap_free_total,
                computed,
            });
        }
    }

    /// The report as of now (partial before the scan is done).
    pub fn report(&mut self, fs: &Fs) -> ScanReport {
        if self.is_done() {
            // No more claims: the tail may stay unsorted (the report needs no order).
            self.map.flush_pending();
        } else {
            self.map.flush();
        }
        let m = &self.map;
        let owned_clusters = m.owned_clusters();
        let mut problems = self.problems.clone();
        if self.problem_count > self.problems.len() as u64 {
            problems.push(Problem {
                severity: Severity::Info,
                structure: String::from("scan"),
                at: Location::default(),
                message: format!(
                    "{} more problems not listed",
                    self.problem_count - self.problems.len() as u64
                ),
            });
        }
        ScanReport {
            complete: m.complete,
            block_size: fs.geo.block_size,
            cluster_ratio: m.ratio as u32,
            blocks_count: m.blocks_count,
            blocks_by_kind: m.blocks_by_kind(),
            owned_clusters,
            owned_blocks: (owned_clusters * m.ratio).min(m.blocks_count),
            shared_blocks: m.shared_blocks,
            multiply_claimed_blocks: m.dup_blocks,
            multiply_claimed: m.dups.clone(),
            bitmap_differences: m.diffs.clone(),
            bitmap_difference_blocks: m.diff_blocks,
            free_count_differences: self.free_diffs.clone(),
            checksum_failures: self.checksum_failures.clone(),
            problems,
            inodes_scanned: self.inodes_scanned,
            io: fs.image().stats(),
        }
    }
}

/// `h_magic` of an xattr block.
const XATTR_MAGIC: u32 = 0xEA02_0000;

/// First set bit in `bits` at index `>= from` and `< limit`.
fn next_bit(bits: &[u8], from: u32, limit: u32) -> Option<u32> {
    let mut i = from;
    while i < limit {
        let byte = *bits.get((i / 8) as usize)?;
        let m = byte >> (i % 8);
        if m == 0 {
            i = (i / 8 + 1) * 8;
            continue;
        }
        let j = i + m.trailing_zeros();
        return (j < limit).then_some(j);
    }
    None
}

/// Last set bit below `limit`.
fn last_bit(bits: &[u8], limit: u32) -> Option<u32> {
    let mut i = limit;
    while i > 0 {
        let byte_i = (i - 1) / 8;
        let byte = bits.get(byte_i as usize).copied().unwrap_or(0);
        let valid = i - byte_i * 8; // bits of this byte below `i`
        let mask = if valid >= 8 { 0xFF } else { (1u8 << valid) - 1 };
        let m = byte & mask;
        if m != 0 {
            return Some(byte_i * 8 + 7 - m.leading_zeros());
        }
        i = byte_i * 8;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bit_helpers() {
        let bits = [0b0000_0100u8, 0, 0b1000_0000];
        assert_eq!(next_bit(&bits, 0, 24), Some(2));
        assert_eq!(next_bit(&bits, 3, 24), Some(23));
        assert_eq!(next_bit(&bits, 3, 23), None);
        assert_eq!(last_bit(&bits, 24), Some(23));
        assert_eq!(last_bit(&bits, 23), Some(2));
        assert_eq!(last_bit(&bits, 2), None);
    }
}
