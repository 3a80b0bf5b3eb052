//! Pass 2's htree bookkeeping, as e2fsck keeps it (`dx_dir_info`): every
//! hashed directory gets a record per logical block, filled in while its
//! blocks go by in pass 2's order. A block is classified from its own bytes
//! (block 0 is the root; a block that starts with an empty entry covering it
//! and has the node `limit` is an interior node; anything else is a leaf),
//! leaves record the lowest and highest hash of their names, and each index
//! block (`parse_int_node`) marks the children it points at (referenced once
//! or twice, first or last of their parent) with the hash range the index
//! gives them. When every block has been seen, the ranges are compared: a
//! child whose names fall outside the range its parent gives it, a leaf at
//! the wrong depth, a block nothing points at or two entries point at; any of
//! them and e2fsck offers to clear the index (`PR_2_HTREE_CLEAR`).
//!
//! Under `-n` every question is answered "no", so nothing is cleared and no
//! directory is scheduled for rebuilding from here, except that an index
//! block failing its checksum in a directory already scheduled (by a
//! duplicate name) makes e2fsck clear the index, which it cannot write on a
//! read-only file system: it stops there.

use alloc::collections::BTreeMap;

use super::codes::*;
use super::{Abort, Ctx, Pctx};
use crate::format::dir::dir_csum_seed;
use crate::format::group_desc::{ChecksumKind, ChecksumStatus};
use crate::fs::Fs;

type R = Result<(), Abort>;

/// `DX_DIRBLOCK_ROOT`, `_LEAF`, `_NODE` (0: not seen).
pub(super) const ROOT: u8 = 1;
pub(super) const LEAF: u8 = 2;
pub(super) const NODE: u8 = 3;

const REFERENCED: u8 = 1;
const DUP_REF: u8 = 2;
const FIRST: u8 = 4;
const LAST: u8 = 8;

/// e2fsck's `MAX_DEPTH` for `htree_depth`.
const MAX_DEPTH: u32 = 32000;
/// `EXT4_DX_BLOCK_MASK`.
const DX_BLOCK_MASK: u32 = 0x0fff_ffff;
/// Blocks looked at in the end-of-pass checks, per directory at most (a
/// directory sparse up to logical block 2^32 would otherwise take hours).
const MAX_CHECKED_BLOCKS: u64 = 1 << 22;

/// `struct dx_dirblock_info`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct DxBlock {
    pub kind: u8,
    flags: u8,
    parent: u64,
    previous: u64,
    pub min_hash: u32,
    pub max_hash: u32,
    node_min_hash: u32,
    node_max_hash: u32,
}

/// `struct dx_dir_info`: one hashed directory.
#[derive(Debug, Clone)]
pub(super) struct DxDir {
    /// Its highest mapped logical block + 1 (0: nothing to check).
    pub numblocks: u64,
    /// The root's hash version (the unsigned variant per `s_flags`).
    pub hashversion: u8,
    /// `indirect_levels + 1`.
    pub depth: u32,
    /// The directory is casefolded (names are folded before hashing).
    pub casefolded_hash: bool,
    /// The blocks seen or pointed at (the others are all zero).
    blocks: BTreeMap<u64, DxBlock>,
}

impl DxDir {
    pub(super) fn new(numblocks: u64, casefolded_hash: bool) -> DxDir {
        DxDir { numblocks, hashversion: 0, depth: 0, casefolded_hash, blocks: BTreeMap::new() }
    }

    pub(super) fn block(&mut self, b: u64) -> &mut DxBlock {
        self.blocks.entry(b).or_default()
    }

    fn get(&self, b: u64) -> DxBlock {
        self.blocks.get(&b).copied().unwrap_or_default()
    }

    /// Start a block of the directory in pass 2: what kind of block it is
    /// (from its bytes), with an empty hash range. Returns the kind.
    pub(super) fn classify(
        &mut self,
        fs: &Fs,
        ctx: &mut Ctx,
        pc: &Pctx,
        blockcnt: u64,
        buf: &[u8],
    ) -> Result<u8, Abort> {
        let bs = buf.len();
        let csum_size = if fs.sb.has_metadata_csum() { 8 } else { 0 };
        let rec_len = crate::format::dir::rec_len_from_disk(le16(buf, 4), bs as u32);
        let db = self.block(blockcnt);
        db.kind = LEAF;
        db.min_hash = u32::MAX;
        db.max_hash = 0;
        if blockcnt == 0 {
            db.kind = ROOT;
            db.flags |= FIRST | LAST;
            let reserved_zero = le32(buf, 24);
            let (hash_version, info_length, levels) = (byte(buf, 28), byte(buf, 29), byte(buf, 30));
            let max_levels =
                if fs.features().incompat(crate::format::features::INCOMPAT_LARGEDIR) { 3 } else { 2 };
            if reserved_zero != 0 || info_length < 8 || levels >= max_levels {
                ctx.fix(PR_2_HTREE_BAD_ROOT, pc)?;
            }
            self.hashversion = crate::format::dx_hash::effective_version(hash_version, fs.sb.s_flags);
            self.depth = u32::from(levels) + 1;
        } else if le32(buf, 0) == 0
            && rec_len as usize == bs
            && byte(buf, 6) == 0
            && usize::from(le16(buf, 8)) == (bs - (8 + csum_size)) / 8
        {
            db.kind = NODE;
        }
        Ok(self.get(blockcnt).kind)
    }

    /// A name's hash joins block `blockcnt`'s range.
    pub(super) fn add_hash(&mut self, blockcnt: u64, hash: u32) {
        let db = self.block(blockcnt);
        db.min_hash = db.min_hash.min(hash);
        db.max_hash = db.max_hash.max(hash);
    }

    /// e2fsck's `parse_int_node` for index block `blockcnt` (the root or a
    /// node): its count and limit, and what it says about its children.
    /// `will_rehash`: the directory is to be rebuilt in pass 3A.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn parse_int_node(
        &mut self,
        fs: &Fs,
        ctx: &mut Ctx,
        pc: &mut Pctx,
        blockcnt: u64,
        buf: &[u8],
        failed_csum: bool,
        will_rehash: bool,
    ) -> R {
        let bs = buf.len();
        let ent = if blockcnt == 0 { 24 + usize::from(byte(buf, 29)) } else { 8 };
        if failed_csum {
            if will_rehash {
                // clear_htree: the inode cannot be written read-only.
                return Err(
                    ctx.abort("e2fsck: cannot write the inode (clear_htree on a read-only file system)")
                );
            }
            ctx.fix(
                if blockcnt == 0 { PR_2_HTREE_ROOT_CSUM_INVALID } else { PR_2_HTREE_NODE_CSUM_INVALID },
                pc,
            )?;
        }
        let limit = le16(buf, ent);
        let mut count = usize::from(le16(buf, ent + 2));
        let csum_size = if fs.sb.has_metadata_csum() { 8 } else { 0 };
        let expect_limit = bs.saturating_sub(csum_size + ent) / 8;
        if usize::from(limit) != expect_limit {
            pc.num = Some(u64::from(limit));
            ctx.fix(PR_2_HTREE_BAD_LIMIT, pc)?;
        }
        if count > expect_limit {
            pc.num = Some(count as u64);
            ctx.fix(PR_2_HTREE_BAD_COUNT, pc)?;
            count = expect_limit;
        }
        let entry = |i: usize| (le32(buf, ent + 8 * i), le32(buf, ent + 8 * i + 4) & DX_BLOCK_MASK);
        let (mut min_hash, mut max_hash, mut hash) = (u32::MAX, 0u32, 0u32);
        for i in 0..count {
            let prev_hash = hash;
            let (h, blk) = entry(i);
            hash = if i == 0 { 0 } else { h & !1 };
            if u64::from(blk) >= self.numblocks {
                pc.blk = Some(u64::from(blk));
                ctx.fix(PR_2_HTREE_BADBLK, pc)?;
                continue;
            }
            if hash < prev_hash {
                ctx.fix(PR_2_HTREE_HASH_ORDER, pc)?;
            }
            let previous = if i == 0 { 0 } else { u64::from(entry(i - 1).1) };
            let node_max = if i + 1 < count { Some(entry(i + 1).0 & !1) } else { None };
            let db = self.block(u64::from(blk));
            if db.flags & REFERENCED != 0 {
                db.flags |= DUP_REF;
            } else {
                db.flags |= REFERENCED;
                db.parent = blockcnt;
            }
            db.previous = previous;
            min_hash = min_hash.min(hash);
            max_hash = max_hash.max(hash);
            db.node_min_hash = hash;
            match node_max {
                Some(m) => db.node_max_hash = m,
                None => {
                    db.node_max_hash = 0xffff_fffe;
                    db.flags |= LAST;
                }
            }
            if i == 0 {
                db.flags |= FIRST;
            }
        }
        let db = self.block(blockcnt);
        db.min_hash = min_hash;
        db.max_hash = max_hash;
        Ok(())
    }

    /// `update_parents`: the first and last children of type `kind` give
    /// their parent its range.
    fn update_parents(&mut self, kind: u8) {
        let keys: alloc::vec::Vec<u64> = self.blocks.keys().copied().collect();
        for b in keys {
            let db = self.get(b);
            if db.kind != kind {
                continue;
            }
            if db.flags & FIRST != 0 {
                let p = self.block(db.parent);
                p.min_hash = db.min_hash;
                let (previous, min) = (p.previous, p.min_hash);
                if previous != 0 && previous < self.numblocks {
                    self.block(previous).node_max_hash = min;
                }
            }
            if db.flags & LAST != 0 {
                let max = self.get(b).max_hash;
                self.block(db.parent).max_hash = max;
            }
        }
    }

    /// `htree_depth` of every leaf: steps up to the root, `MAX_DEPTH` when
    /// the parents loop.
    fn depths(&self) -> BTreeMap<u64, u32> {
        let mut memo: BTreeMap<u64, u32> = BTreeMap::new();
        let mut out = BTreeMap::new();
        for (&b, db) in &self.blocks {
            if db.kind != LEAF {
                continue;
            }
            // The path up from this leaf until the root, a block already
            // known, or a loop.
            let mut path: alloc::vec::Vec<u64> = alloc::vec::Vec::new();
            let mut on_path = alloc::collections::BTreeSet::new();
            let mut cur = b;
            let base = loop {
                if let Some(&d) = memo.get(&cur) {
                    break d;
                }
                if self.get(cur).kind == ROOT {
                    break 0;
                }
                if !on_path.insert(cur) {
                    break MAX_DEPTH;
                }
                path.push(cur);
                cur = self.get(cur).parent;
            };
            let mut d = base;
            for &p in path.iter().rev() {
                d = if base == MAX_DEPTH { MAX_DEPTH } else { (d + 1).min(MAX_DEPTH) };
                memo.insert(p, d);
            }
            out.insert(b, memo.get(&b).copied().unwrap_or(0));
        }
        out
    }

    /// The checks at the end of pass 2 for directory `ino`.
    pub(super) fn check(&mut self, ctx: &mut Ctx, ino: u32) -> R {
        let mut pc = Pctx { dir: Some(ino), ..Pctx::default() };
        let root = self.block(0);
        root.flags |= if root.flags & REFERENCED != 0 { DUP_REF } else { REFERENCED };
        self.update_parents(LEAF);
        self.update_parents(NODE);
        let depths = self.depths();
        let mut bad = false;
        for b in 0..self.numblocks.min(MAX_CHECKED_BLOCKS) {
            let db = self.get(b);
            pc.blkcount = i64::try_from(b).ok();
            pc.group = u32::try_from(db.parent).ok();
            if db.flags & FIRST == 0 && db.min_hash < db.node_min_hash {
                pc.blk = Some(u64::from(db.min_hash));
                pc.blk2 = Some(u64::from(db.node_min_hash));
                ctx.fix(PR_2_HTREE_MIN_HASH, &pc)?;
                bad = true;
            }
            if db.kind == LEAF {
                let depth = depths.get(&b).copied().unwrap_or(0);
                if depth != self.depth {
                    pc.num = Some(u64::from(self.depth));
                    ctx.fix(PR_2_HTREE_BAD_DEPTH, &pc)?;
                    bad = true;
                }
            }
            if b != 0 && db.max_hash > db.node_max_hash {
                pc.blk = Some(u64::from(db.max_hash));
                pc.blk2 = Some(u64::from(db.node_max_hash));
                ctx.fix(PR_2_HTREE_MAX_HASH, &pc)?;
                bad = true;
            }
            if db.flags & REFERENCED == 0 {
                ctx.fix(PR_2_HTREE_NOTREF, &pc)?;
                bad = true;
            } else if db.flags & DUP_REF != 0 {
                ctx.fix(PR_2_HTREE_DUPREF, &pc)?;
                bad = true;
            }
        }
        if bad {
            ctx.fix(PR_2_HTREE_CLEAR, &pc)?;
        }
        Ok(())
    }
}

fn byte(b: &[u8], at: usize) -> u8 {
    b.get(at).copied().unwrap_or(0)
}

fn le16(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([byte(b, at), byte(b, at + 1)])
}

fn le32(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([byte(b, at), byte(b, at + 1), byte(b, at + 2), byte(b, at + 3)])
}

/// Why a directory block has no usable checksum tail (libext2fs'
/// `__get_dirent_tail`): its entries do not chain up to the tail's place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Tail {
    /// A tail is there.
    Ok,
    /// The entries are corrupt before the tail's place.
    Corrupted,
    /// No room for a tail, or not a tail where it should be.
    NoSpace,
}

/// `__get_dirent_tail` over a whole block.
pub(super) fn dirent_tail(buf: &[u8]) -> Tail {
    let bs = buf.len();
    if bs < 1024 {
        return Tail::Corrupted;
    }
    let top = bs - 12;
    let mut d = 0usize;
    while d < top {
        // The raw rec_len (no 64 KiB decoding), as libext2fs reads it here.
        let rec_len = usize::from(le16(buf, d + 4));
        if rec_len < 8 || rec_len & 3 != 0 {
            return Tail::Corrupted;
        }
        d += rec_len;
    }
    if d > bs {
        return Tail::Corrupted;
    }
    if d != top {
        return Tail::NoSpace;
    }
    if le32(buf, top) != 0 || le16(buf, top + 4) != 12 || le16(buf, top + 6) != 0xde00 {
        return Tail::NoSpace;
    }
    Tail::Ok
}

/// Where an index block's count/limit is (libext2fs' `__get_dx_countlimit`),
/// `None` when the block is not one.
fn dx_countlimit(buf: &[u8]) -> Option<usize> {
    let bs = buf.len();
    let rec_len = usize::from(le16(buf, 4));
    let count_offset = if rec_len == bs && le16(buf, 6) == 0 {
        8
    } else if rec_len == 12 {
        if usize::from(le16(buf, 16)) != bs - 12 || le32(buf, 24) != 0 || byte(buf, 29) != 8 {
            return None;
        }
        32
    } else {
        return None;
    };
    let max_sane = (bs - count_offset) / 8;
    if usize::from(le16(buf, count_offset)) > max_sane || usize::from(le16(buf, count_offset + 2)) > max_sane
    {
        return None;
    }
    Some(count_offset)
}

/// `ext2fs_dir_block_csum_verify`: a leaf with a tail is checked against
/// it, an index block against its `dx_tail`; any other block fails.
pub(super) fn block_csum_ok(fs: &Fs, ino: u32, generation: u32, buf: &[u8]) -> bool {
    if !fs.sb.has_metadata_csum() {
        return true;
    }
    if dirent_tail(buf) == Tail::Ok {
        return crate::format::dir::leaf_checksum(fs, ino, generation, buf)
            .is_some_and(|c| c.ok == Some(true));
    }
    let Some(off) = dx_countlimit(buf) else { return false };
    let (limit, count) = (usize::from(le16(buf, off)), usize::from(le16(buf, off + 2)));
    let bs = buf.len();
    if off + limit * 8 > bs - 8 {
        return false;
    }
    let t = off + limit * 8;
    let size = (off + count * 8).min(bs);
    let mut c = dir_csum_seed(fs, ino, generation);
    c.update(&buf[..size]);
    c.update(buf.get(t..t + 4).unwrap_or(&[0; 4])).zeros(4);
    ChecksumStatus::new(ChecksumKind::Crc32c, le32(buf, t + 4), c.value()).ok == Some(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaf(bs: usize, entries: &[usize], tail: bool) -> alloc::vec::Vec<u8> {
        let mut b = alloc::vec![0u8; bs];
        let mut off = 0;
        for &rl in entries {
            b[off + 4..off + 6].copy_from_slice(&(rl as u16).to_le_bytes());
            off += rl;
        }
        if tail {
            let t = bs - 12;
            b[t + 4..t + 6].copy_from_slice(&12u16.to_le_bytes());
            b[t + 6..t + 8].copy_from_slice(&0xde00u16.to_le_bytes());
        }
        b
    }

    #[test]
    fn tails_as_libext2fs_finds_them() {
        assert_eq!(dirent_tail(&leaf(1024, &[12, 1000], true)), Tail::Ok);
        // Entries running over the tail's place: no room.
        assert_eq!(dirent_tail(&leaf(1024, &[12, 1012], false)), Tail::NoSpace);
        // Chained up to the place, but no tail there.
        assert_eq!(dirent_tail(&leaf(1024, &[12, 1000], false)), Tail::NoSpace);
        // A rec_len that is not a multiple of 4 is corruption, not "no tail"
        // (e2fsck then does not ask about a missing checksum).
        assert_eq!(dirent_tail(&leaf(1024, &[13], false)), Tail::Corrupted);
        assert_eq!(dirent_tail(&leaf(1024, &[12, 0], false)), Tail::Corrupted);
    }

    #[test]
    fn depth_follows_parents_and_stops_at_loops() {
        let mut d = DxDir::new(8, false);
        d.block(0).kind = ROOT;
        for (b, kind, parent) in
            [(1, NODE, 0), (2, LEAF, 1), (3, LEAF, 0), (4, NODE, 5), (5, NODE, 4), (6, LEAF, 4)]
        {
            let x = d.block(b);
            x.kind = kind;
            x.parent = parent;
        }
        let depths = d.depths();
        assert_eq!(depths.get(&2), Some(&2));
        assert_eq!(depths.get(&3), Some(&1));
        assert_eq!(depths.get(&6), Some(&MAX_DEPTH));
    }

    #[test]
    fn ranges_from_first_and_last_children() {
        // Root -> node 1 (entries for leaves 2 and 3, hashes 0 and 0x100),
        // leaf 3 holding a name hashing below its range.
        let mut d = DxDir::new(4, false);
        d.depth = 2;
        d.block(0).kind = ROOT;
        {
            let n = d.block(1);
            n.kind = NODE;
            n.flags = REFERENCED | FIRST | LAST;
            n.parent = 0;
            n.node_max_hash = 0xffff_fffe;
        }
        for (b, lo, hi, flags, nmin, nmax) in [
            (2u64, 0x10u32, 0x20u32, REFERENCED | FIRST, 0, 0x100),
            (3, 0x50, 0x200, REFERENCED | LAST, 0x100, 0xffff_fffe),
        ] {
            let x = d.block(b);
            x.kind = LEAF;
            x.parent = 1;
            x.min_hash = lo;
            x.max_hash = hi;
            x.flags = flags;
            x.node_min_hash = nmin;
            x.node_max_hash = nmax;
        }
        d.update_parents(LEAF);
        d.update_parents(NODE);
        assert_eq!(d.get(1).min_hash, 0x10);
        assert_eq!(d.get(1).max_hash, 0x200);
        let b3 = d.get(3);
        assert!(b3.flags & FIRST == 0 && b3.min_hash < b3.node_min_hash, "leaf 3 is below its range");
    }
}
