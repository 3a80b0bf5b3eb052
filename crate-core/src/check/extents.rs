//! Pass 1 on an extent-mapped inode, as e2fsck's `check_blocks_extents` and
//! `scan_extent_node` see it under `-n`, and the pass-1E verdict that follows
//! (`e2fsck_should_rebuild_extents`: could the tree be shorter or narrower?).
//!
//! The walk is e2fsck's, not the ownership scan's: libext2fs' extent handle
//! takes a node to be a leaf when it sits at the root's `eh_depth` (the child's
//! own `eh_depth` is not looked at), an index entry spans up to the next key (or
//! the end its parent gives it), and a problem answered "no" leaves the entry
//! as it is and skips it: its blocks are neither marked in use nor counted.
//! So the blocks this walk puts in the [`MapBuilder`] are those e2fsck marks,
//! which pass 5 then compares with the bitmaps.
//!
//! Problems are collected in the order e2fsck asks them and asked by pass 1
//! when it gets to the inode's blocks (the walk runs while the scan claims the
//! inode, before pass 1 looks at the rest of it).

use alloc::collections::BTreeSet;
use alloc::string::String;
use alloc::vec::Vec;

use super::codes::*;
use super::{InodeFields, Pctx};
use crate::filemap::{DataRun, MapBuilder, MetaBlock, MetaKind};
use crate::format::extent::{block_checksum, inode_seed, EXTENT_MAGIC, INIT_MAX_LEN};
use crate::format::features::INCOMPAT_LARGEDIR;
use crate::format::inode::Inode;
use crate::fs::Fs;

/// e2fsck's `MAX_EXTENT_DEPTH_COUNT`: levels it keeps statistics for.
pub(crate) const MAX_EXTENT_DEPTH_COUNT: usize = 8;

/// Levels this walk follows at most (e2fsck has no bound but its stack; a
/// hostile root can claim a depth of 65535). Deeper, the walk stops as on a
/// read error.
const MAX_WALK_LEVELS: usize = 64;

/// Tree blocks read again (a node reached from two index entries: e2fsck
/// walks it each time) before the walk gives up as on a read error.
const MAX_REVISITS: u32 = 4096;

/// Entries and room at one level of the tree (e2fsck's `extent_tree_level`).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Level {
    pub num_extents: u32,
    pub max_extents: u32,
}

/// What e2fsck's extent walk found for one inode.
#[derive(Debug, Default)]
pub(crate) struct ExtentScan {
    /// The inode.
    pub ino: u32,
    /// Problems in the order e2fsck asks them (at most
    /// [`MAX_FINDINGS`](super::MAX_FINDINGS) with their context).
    pub problems: Vec<(u32, Pctx)>,
    /// Problems past those, asked after them with the inode alone.
    pub more: Vec<u32>,
    /// Clusters counted (tree blocks count one each), e2fsck's `num_blocks`.
    pub num_blocks: u64,
    /// e2fsck's `last_block` (-1: none).
    pub last_block: i64,
    /// e2fsck's `last_init_lblock` (-1: none).
    pub last_init: i64,
    /// The walk stopped on an error e2fsck does not fix (`pctx->errcode` is
    /// left set: check_blocks then stops e2fsck with PR_1_BLOCK_ITERATE).
    pub failed: bool,
}

/// `ext2fs_extent_header_verify` on a node of `size` bytes.
pub(crate) fn header_ok(node: &[u8], size: usize) -> bool {
    let le16 = |o: usize| node.get(o..o + 2).map_or(0, |b| u16::from_le_bytes([b[0], b[1]]));
    let (magic, entries, max) = (le16(0), le16(2), le16(4));
    if magic != EXTENT_MAGIC || entries > max {
        return false;
    }
    // Index entries and extents are both 12 bytes.
    let room = size.saturating_sub(12) / 12;
    let max = usize::from(max);
    max <= room && max + 2 >= room
}

/// `ext2fs_max_extent_depth`: the deepest tree that can be needed to map
/// 2^32 blocks with blocks of `block_size` bytes.
pub(crate) fn max_extent_depth(block_size: u32) -> u64 {
    let per_block = (block_size.saturating_sub(12) / 12).max(2);
    // log2(EXT_MAX_EXTENT_LBLK = 2^32 - 1) = 31, log2(4 entries in i_block) = 2.
    1 + u64::from((31 - 2) / per_block.ilog2())
}

/// `ext2fs_inode_has_valid_blocks2`: does `i_block` hold a block map?
pub(crate) fn has_valid_blocks(inode: &Inode) -> bool {
    let mode = inode.mode() & 0xF000;
    if mode != 0x4000 && mode != 0x8000 && mode != 0xA000 {
        return false;
    }
    let r = &inode.raw;
    if mode == 0xA000 {
        if inode.file_acl() == 0 {
            // With no EA block, libext2fs 1.47.0 goes by i_blocks alone (the
            // blocks of EA inodes' values count there too: a fast symlink
            // with such an attribute is then walked as a block map).
            return r.i_blocks_lo != 0;
        }
        if r.i_size_lo >= 60 {
            return true;
        }
        return r.i_size_lo > 4 && inode.i_block_words()[1] == 0;
    }
    inode.flags() & crate::format::inode::INLINE_DATA_FL == 0
}

/// e2fsck's `e2fsck_should_rebuild_extents` under `-n` (never a forced
/// rebuild): the problem to ask, with its level, if the tree could be shorter
/// or narrower.
pub(crate) fn rebuild_verdict(
    levels: &[Level; MAX_EXTENT_DEPTH_COUNT],
    max_depth: u16,
    block_size: u32,
) -> Option<(u32, u64)> {
    let per_block = block_size.saturating_sub(12) / 12;
    if usize::from(max_depth) > MAX_EXTENT_DEPTH_COUNT - 1 {
        return Some((PR_1E_CAN_COLLAPSE_EXTENT_TREE, u64::from(max_depth)));
    }
    for i in 0..=usize::from(max_depth) {
        let ei = levels.get(i).copied().unwrap_or_default();
        // Unsigned, as e2fsck computes it.
        if ei.max_extents.wrapping_sub(ei.num_extents) > per_block {
            return Some((PR_1E_CAN_NARROW_EXTENT_TREE, i as u64));
        }
        if levels.iter().take(i).any(|ej| ei.num_extents < ej.max_extents) {
            return Some((PR_1E_CAN_COLLAPSE_EXTENT_TREE, i as u64));
        }
    }
    None
}

/// e2fsck's `block_metadata_map`: superblocks, descriptor tables, reserved
/// GDT blocks, bitmaps and inode tables, as sorted disjoint ranges.
#[derive(Debug, Default)]
pub(crate) struct MetadataMap {
    ranges: Vec<(u64, u64)>,
}

impl MetadataMap {
    pub(crate) fn new(fs: &Fs) -> MetadataMap {
        let geo = fs.geo;
        let mut r: Vec<(u64, u64)> = Vec::new();
        for g in 0..geo.groups_count {
            let head = geo.group_head(g);
            if let Some(b) = head.superblock {
                r.push((b, 1));
            }
            r.extend(head.gdt);
            r.extend(head.reserved_gdt);
        }
        let itb = u64::from(geo.inode_table_blocks);
        for gr in fs.groups() {
            for (b, n) in [(gr.block_bitmap, 1), (gr.inode_bitmap, 1), (gr.inode_table, itb)] {
                if b != 0 && n > 0 {
                    r.push((b, n));
                }
            }
        }
        MetadataMap::from_ranges(r)
    }

    /// From (first block, blocks) ranges in any order, overlapping or not.
    fn from_ranges(mut r: Vec<(u64, u64)>) -> MetadataMap {
        r.sort_unstable();
        let mut ranges: Vec<(u64, u64)> = Vec::with_capacity(r.len());
        for (a, n) in r {
            let end = a.saturating_add(n);
            match ranges.last_mut() {
                Some(last) if a <= last.1 => last.1 = last.1.max(end),
                _ => ranges.push((a, end)),
            }
        }
        MetadataMap { ranges }
    }

    /// Is `b` critical metadata?
    pub(crate) fn contains(&self, b: u64) -> bool {
        let i = self.ranges.partition_point(|r| r.1 <= b);
        self.ranges.get(i).is_some_and(|r| r.0 <= b)
    }
}

/// The little-endian u16 at `o` (0 past the end).
fn le16_at(b: &[u8], o: usize) -> u16 {
    b.get(o..o + 2).map_or(0, |x| u16::from_le_bytes([x[0], x[1]]))
}

/// One 12-byte entry of a node: (key, 32-bit length field or 0, start).
fn entry(node: &[u8], i: usize, leaf: bool) -> (u64, u16, u64) {
    let o = 12 * (i + 1);
    let b = node.get(o..o + 12).unwrap_or(&[0; 12]);
    let le16 = |k: usize| u16::from_le_bytes([b[k], b[k + 1]]);
    let le32 = |k: usize| u32::from_le_bytes([b[k], b[k + 1], b[k + 2], b[k + 3]]);
    let key = u64::from(le32(0));
    if leaf {
        // ee_len, ee_start_hi, ee_start_lo
        (key, le16(4), u64::from(le32(8)) | (u64::from(le16(6)) << 32))
    } else {
        // ei_leaf_lo, ei_leaf_hi
        (key, 0, u64::from(le32(4)) | (u64::from(le16(8)) << 32))
    }
}

struct Walker<'a> {
    fs: &'a Fs,
    metadata: &'a MetadataMap,
    inode: &'a Inode,
    map: &'a mut MapBuilder,
    out: ExtentScan,
    /// The problem context as e2fsck's `pctx` evolves through the walk
    /// (borrowed: moving it into the walker copied it for every inode).
    pc: &'a mut Pctx,
    max_depth: usize,
    is_dir: bool,
    /// `i_size_high` is zero and the file system has no `largedir`.
    dir_limit: Option<u64>,
    eof_block: u64,
    next_lblock: u64,
    previous_block: u64,
    levels: [Level; MAX_EXTENT_DEPTH_COUNT],
    seed: Option<Option<u32>>,
    /// Blocks of the nodes from level 1 down to the current one.
    path: Vec<u64>,
    seen: BTreeSet<u64>,
    revisits: u32,
}

/// The walk stopped (`pctx->errcode` set and not cleared).
struct Stop;

impl Walker<'_> {
    fn ask(&mut self, code: u32) {
        if self.out.problems.len() < super::MAX_FINDINGS {
            self.out.problems.push((code, self.pc.clone()));
        } else {
            self.out.more.push(code);
        }
    }

    fn set(&mut self, blk: u64, lblk: u64, len: u64) {
        self.pc.blk = Some(blk);
        self.pc.blk2 = Some(lblk);
        self.pc.num = Some(len);
        self.pc.blkcount = i64::try_from(lblk.wrapping_add(len)).ok();
    }

    fn csum_ok(&mut self, block: &[u8]) -> bool {
        let (fs, inode) = (self.fs, self.inode);
        let seed = *self.seed.get_or_insert_with(|| fs.sb.has_metadata_csum().then(|| inode_seed(fs, inode)));
        let Some(seed) = seed else { return true };
        let max = usize::from(le16_at(block, 4));
        block_checksum(seed, block, max).ok != Some(false)
    }

    /// e2fsck's `scan_extent_node` on the node `node` at `level`, whose
    /// entries end at `end_blk` (the handle's `end_blk`).
    #[allow(clippy::too_many_arguments)]
    fn scan(
        &mut self,
        node: &[u8],
        level: usize,
        end_blk: u64,
        mut start_block: u64,
        end_block: u64,
        try_repairs: bool,
        failed_csum: bool,
    ) -> Result<(), Stop> {
        let le16 = |o: usize| node.get(o..o + 2).map_or(0, |b| u16::from_le_bytes([b[0], b[1]]));
        let entries = usize::from(le16(2));
        let max = u32::from(le16(4));
        if let Some(l) = self.levels.get_mut(level) {
            l.num_extents = l.num_extents.wrapping_add(entries as u32);
            l.max_extents = l.max_extents.wrapping_add(max);
            if level > 0 && (entries as u32) < max {
                l.max_extents = l.max_extents.wrapping_sub(1);
            }
        }
        let geo = self.fs.geo;
        let ratio = u64::from(geo.cluster_ratio.max(1));
        let leaf = level >= self.max_depth;
        for i in 0..entries {
            let (lblk, raw_len, pblk) = entry(node, i, leaf);
            let (len, uninit) = if leaf {
                if raw_len > INIT_MAX_LEN {
                    (u64::from(raw_len - INIT_MAX_LEN), true)
                } else {
                    (u64::from(raw_len), false)
                }
            } else {
                // An index spans up to the next key, or to the node's end
                // (e_len is 32 bits).
                let end = if i + 1 < entries { entry(node, i + 1, false).0 } else { end_blk };
                (u64::from(end.wrapping_sub(lblk) as u32), false)
            };
            let last_lblk = lblk.wrapping_add(len).wrapping_sub(1);
            self.set(pblk, lblk, len);
            let verity = self.inode.flags() & 0x0010_0000 != 0;
            let mut problem = if pblk == 0 || pblk < geo.first_data_block || pblk >= geo.blocks_count {
                PR_1_EXTENT_BAD_START_BLK
            } else if lblk < start_block {
                PR_1_OUT_OF_ORDER_EXTENTS
            } else if end_block != 0
                && last_lblk > end_block
                && !(last_lblk > self.eof_block && (uninit || verity))
            {
                PR_1_EXTENT_END_OUT_OF_BOUNDS
            } else if leaf && len == 0 {
                PR_1_EXTENT_LENGTH_ZERO
            } else if leaf && pblk.saturating_add(len) > geo.blocks_count {
                PR_1_EXTENT_ENDS_BEYOND
            } else if leaf && self.is_dir && self.dir_limit.is_some_and(|lim| lblk.saturating_add(len) > lim)
            {
                PR_1_TOOBIG_DIR
            } else {
                0
            };
            if leaf && problem == 0 && len > 0 {
                if lblk < self.next_lblock {
                    problem = PR_1_EXTENT_COLLISION;
                } else if lblk + len > self.next_lblock {
                    self.next_lblock = lblk + len;
                }
            }
            if try_repairs && self.is_dir && problem == 0 && uninit {
                self.ask(PR_1_UNINIT_DBLOCK);
            }
            if try_repairs && problem != 0 {
                // Answered "no": the entry stays and is skipped.
                self.ask(problem);
                continue;
            }
            if !leaf {
                self.index(pblk, lblk, last_lblk, level, i, entries, node, end_blk, try_repairs)?;
                continue;
            }
            if try_repairs && self.is_dir && (self.out.last_block.wrapping_add(1) as u64) < lblk {
                let mut new_lblk = self.out.last_block.wrapping_add(1) as u64;
                if ratio > 1 {
                    new_lblk = ((new_lblk + ratio - 1) & !(ratio - 1)) | (pblk & (ratio - 1));
                }
                self.pc.blk = Some(lblk);
                self.pc.blk2 = Some(new_lblk);
                self.ask(PR_1_COLLAPSE_DBLOCK);
            }
            if ratio > 1 && self.unaligned_cluster(pblk, lblk) {
                for k in 0..len {
                    self.pc.blk = Some(lblk + k);
                    self.pc.blk2 = Some(pblk + k);
                    self.ask(PR_1_MISALIGNED_CLUSTER);
                }
                // e2fsck marks these blocks an extra time ("will fix in pass
                // 1B"): they become multiply claimed.
                self.map.add_run(DataRun { logical: lblk, physical: pblk, len, unwritten: uninit });
            }
            // The first cluster may have been counted with the previous extent.
            let c = pblk / ratio;
            let from = if ratio > 1 && self.previous_block != 0 && c == self.previous_block / ratio {
                (c + 1) * ratio
            } else {
                c * ratio
            };
            let end = pblk.saturating_add(len);
            if from < end {
                self.map.add_run(DataRun { logical: lblk, physical: pblk, len, unwritten: uninit });
                self.out.num_blocks = self.out.num_blocks.saturating_add((end - from).div_ceil(ratio));
            }
            self.out.last_block = last_lblk as i64;
            self.previous_block = end.wrapping_sub(1);
            start_block = last_lblk;
            if !self.is_dir && !uninit {
                self.out.last_init = last_lblk as i64;
            }
        }
        if failed_csum {
            self.ask(PR_1_EXTENT_ONLY_CSUM_INVALID);
        }
        Ok(())
    }

    /// `has_unaligned_cluster_map`.
    fn unaligned_cluster(&self, pblk: u64, lblk: u64) -> bool {
        let ratio = u64::from(self.fs.geo.cluster_ratio.max(1));
        let mask = ratio - 1;
        if lblk & mask != pblk & mask {
            return true;
        }
        let last_lblk = self.out.last_block as u64;
        self.previous_block != 0
            && lblk & mask != 0
            && lblk / ratio == last_lblk / ratio
            && pblk / ratio != self.previous_block / ratio
    }

    /// An index entry: down to its child (`EXT2_EXTENT_DOWN`), the child's
    /// scan, and the child block counted.
    #[allow(clippy::too_many_arguments)]
    fn index(
        &mut self,
        blk: u64,
        lblk: u64,
        last_lblk: u64,
        level: usize,
        i: usize,
        entries: usize,
        node: &[u8],
        end_blk: u64,
        try_repairs: bool,
    ) -> Result<(), Stop> {
        let fail = |w: &mut Self| {
            w.pc.s = Some(String::from("EXT2_EXTENT_DOWN"));
            Stop
        };
        // A tree block on critical metadata: its subtree is walked without
        // repairs (pass 1B will move the block first).
        let mut try_repairs = try_repairs;
        if self.inode.ino != crate::ownership::RESIZE_INO
            && blk < u64::from(self.fs.sb.s_blocks_count_lo)
            && self.metadata.contains(blk)
        {
            try_repairs = false;
            self.pc.blk = Some(blk);
            self.ask(PR_1_CRITICAL_METADATA_COLLISION);
        }
        if self.path.contains(&blk) || level + 1 >= MAX_WALK_LEVELS {
            // EXT2_ET_EXTENT_CYCLE (or deeper than we follow).
            return Err(fail(self));
        }
        if !self.seen.insert(blk) {
            self.revisits += 1;
            if self.revisits > MAX_REVISITS {
                return Err(fail(self));
            }
        }
        let Ok(child) = self.fs.block(blk) else { return Err(fail(self)) };
        if !header_ok(&child, child.len()) {
            self.pc.s = Some(String::from("EXT2_EXTENT_DOWN"));
            if !try_repairs {
                return Err(Stop);
            }
            self.ask(PR_1_EXTENT_HEADER_INVALID);
            return Ok(());
        }
        let failed_csum = !self.csum_ok(&child);
        let child_entries = le16_at(&child, 2);
        if child_entries == 0 {
            // EXT2_ET_EXTENT_NO_DOWN.
            return Err(fail(self));
        }
        let child_end = if i + 1 < entries { entry(node, i + 1, false).0 } else { end_blk };
        let first = entry(&child, 0, level + 1 >= self.max_depth).0;
        if first != lblk {
            self.pc.blk = Some(lblk);
            self.pc.blk2 = Some(first);
            self.pc.num = Some(level as u64);
            self.ask(PR_1_EXTENT_INDEX_START_INVALID);
        }
        self.path.push(blk);
        let r = self.scan(&child, level + 1, child_end, first, last_lblk, try_repairs, failed_csum);
        self.path.pop();
        r?;
        self.map.metadata.push(MetaBlock { kind: MetaKind::Etb, level: level as u32, block: blk });
        self.out.num_blocks = self.out.num_blocks.saturating_add(1);
        Ok(())
    }
}

/// e2fsck's `check_blocks_extents` for `inode` (base problem context: the
/// inode and its fields): the blocks it marks go into `map`.
pub(crate) fn check_extents(
    fs: &Fs,
    metadata: &MetadataMap,
    inode: &Inode,
    map: &mut MapBuilder,
) -> ExtentScan {
    let mut out = ExtentScan { ino: inode.ino, last_block: -1, last_init: -1, ..ExtentScan::default() };
    let mut pc = Pctx::ino(inode.ino);
    pc.inode = Some(InodeFields::of(inode));
    let root: &[u8] = &inode.raw.i_block;
    if !header_ok(root, 60) {
        out.problems.push((PR_1_MISSING_EXTENT_HEADER, pc));
        return out;
    }
    let depth = u16::from_le_bytes([root[6], root[7]]);
    let most = max_extent_depth(fs.geo.block_size);
    if most < u64::from(depth) {
        pc.blk = Some(u64::from(depth));
        pc.blk2 = Some(most);
        out.problems.push((PR_1_EXTENT_BAD_MAX_DEPTH, pc.clone()));
    }
    if most > MAX_EXTENT_DEPTH_COUNT as u64 {
        pc.blk = Some(MAX_EXTENT_DEPTH_COUNT as u64);
        pc.blk2 = Some(most);
        out.problems.push((PR_1E_MAX_EXTENT_TREE_DEPTH, pc.clone()));
    }
    let r = &inode.raw;
    let size = u64::from(r.i_size_lo) | (u64::from(r.i_size_high) << 32);
    let bits = fs.geo.block_size.trailing_zeros();
    let end_blk = size.wrapping_add(u64::from(fs.geo.block_size) - 1) >> bits;
    let is_dir = inode.mode() & 0xF000 == 0x4000;
    let dir_limit = (r.i_size_high == 0 && !fs.features().incompat(INCOMPAT_LARGEDIR))
        .then(|| 1u64 << (21u32.saturating_sub(bits.saturating_sub(10))));
    let mut w = Walker {
        fs,
        metadata,
        inode,
        map,
        out,
        pc: &mut pc,
        max_depth: usize::from(depth),
        is_dir,
        dir_limit,
        eof_block: end_blk.wrapping_sub(1),
        next_lblock: 0,
        previous_block: 0,
        levels: [Level::default(); MAX_EXTENT_DEPTH_COUNT],
        seed: None,
        path: Vec::new(),
        seen: BTreeSet::new(),
        revisits: 0,
    };
    let root = inode.raw.i_block;
    if w.scan(&root, 0, end_blk, 0, 0, true, false).is_err() {
        w.out.failed = true;
        w.ask(PR_1_EXTENT_ITERATE_FAILURE);
    }
    // e2fsck_should_rebuild_extents (a directory is never being rehashed
    // under -n: there is no list of directories to rehash).
    if let Some((code, level)) = rebuild_verdict(&w.levels, depth, fs.geo.block_size) {
        w.pc.blk = Some(level);
        w.ask(code);
    }
    w.out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lv(n: u32, m: u32) -> Level {
        Level { num_extents: n, max_extents: m }
    }

    fn levels(l: &[Level]) -> [Level; MAX_EXTENT_DEPTH_COUNT] {
        let mut a = [Level::default(); MAX_EXTENT_DEPTH_COUNT];
        a[..l.len()].copy_from_slice(l);
        a
    }

    #[test]
    fn metadata_ranges() {
        let m = MetadataMap::from_ranges(alloc::vec![(10, 5), (1, 1), (12, 10), (30, 1), (31, 2)]);
        assert_eq!(m.ranges, [(1, 2), (10, 22), (30, 33)]);
        for (b, want) in
            [(0, false), (1, true), (2, false), (10, true), (21, true), (22, false), (32, true), (33, false)]
        {
            assert_eq!(m.contains(b), want, "block {b}");
        }
        assert!(!MetadataMap::default().contains(0));
    }

    #[test]
    fn max_depths() {
        assert_eq!(max_extent_depth(1024), 5);
        assert_eq!(max_extent_depth(4096), 4);
        assert_eq!(max_extent_depth(65536), 3);
    }

    #[test]
    fn header_verify() {
        let mut n = [0u8; 60];
        n[0..2].copy_from_slice(&EXTENT_MAGIC.to_le_bytes());
        n[4] = 4;
        assert!(header_ok(&n, 60));
        n[2] = 5; // more entries than room
        assert!(!header_ok(&n, 60));
        n[2] = 0;
        n[4] = 2; // room for 4, two fewer is still accepted
        assert!(header_ok(&n, 60));
        n[4] = 1;
        assert!(!header_ok(&n, 60));
        assert!(!header_ok(&[0u8; 60], 60));
    }

    #[test]
    fn rebuild_heuristics() {
        // A leaf in the inode: nothing to do.
        assert_eq!(rebuild_verdict(&levels(&[lv(3, 4)]), 0, 4096), None);
        // One leaf block holding 3 extents below a root with one index: the
        // 3 extents fit in the root's 4 slots, the tree could be shorter.
        let one = levels(&[lv(1, 4), lv(3, 339)]);
        assert_eq!(rebuild_verdict(&one, 1, 4096), Some((PR_1E_CAN_COLLAPSE_EXTENT_TREE, 1)));
        // Five extents do not fit in the root, and 334 free slots are fewer
        // than a block's 340: keep it.
        assert_eq!(rebuild_verdict(&levels(&[lv(1, 4), lv(5, 339)]), 1, 4096), None);
        // Two half-empty leaf blocks: more than a block of free slots.
        let wide = levels(&[lv(2, 4), lv(10, 339 + 339)]);
        assert_eq!(rebuild_verdict(&wide, 1, 4096), Some((PR_1E_CAN_NARROW_EXTENT_TREE, 1)));
        // Too deep for the statistics: always shorter.
        assert_eq!(rebuild_verdict(&levels(&[]), 8, 4096), Some((PR_1E_CAN_COLLAPSE_EXTENT_TREE, 8)));
        // A level never reached (its node was refused) counts as empty.
        let missing = levels(&[lv(1, 4)]);
        assert_eq!(rebuild_verdict(&missing, 1, 1024), Some((PR_1E_CAN_COLLAPSE_EXTENT_TREE, 1)));
    }
}
