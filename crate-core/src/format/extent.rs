//! Extent trees: a 12-byte header, then index entries (interior nodes) or
//! extents (leaves), rooted in the inode's 60-byte `i_block` and continued in
//! tree blocks that end with an `ext4_extent_tail` crc32c (metadata_csum).
//!
//! The walk checks what a checker needs: magic, `eh_entries <= eh_max`, `eh_max`
//! against the room in the node, depth at most 5 and decreasing by one per level,
//! entries sorted and non-overlapping, children inside the range their index
//! entry gives them, pointers inside the file system, no block visited twice
//! (loops), zero-length extents. Every bad node is reported with the inode,
//! level, block and entry, and the rest of the tree is still walked.

use alloc::collections::BTreeSet;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::checksum::crc32c;
use crate::disk_struct;
use crate::error::{Location, Severity};
use crate::filemap::{structure, DataRun, MapBuilder, MapItem, MapNode, MetaBlock, MetaKind, NodeKind};
use crate::format::group_desc::{ChecksumKind, ChecksumStatus};
use crate::format::inode::{Inode, I_BLOCK_OFFSET};
use crate::fs::Fs;

disk_struct! {
    /// `ext4_extent_header`: starts every node.
    pub struct ExtentHeader, EXTENT_HEADER_FIELDS, size = 12 {
        0x0 eh_magic: u16,
        0x2 eh_entries: u16,
        0x4 eh_max: u16,
        0x6 eh_depth: u16,
        0x8 eh_generation: u32,
    }
}

disk_struct! {
    /// `ext4_extent_idx`: an interior node entry.
    pub struct ExtentIdx, EXTENT_IDX_FIELDS, size = 12 {
        0x0 ei_block: u32,
        0x4 ei_leaf_lo: u32,
        0x8 ei_leaf_hi: u16,
        0xA ei_unused: u16,
    }
}

disk_struct! {
    /// `ext4_extent`: a leaf entry.
    pub struct Extent, EXTENT_FIELDS, size = 12 {
        0x0 ee_block: u32,
        0x4 ee_len: u16,
        0x6 ee_start_hi: u16,
        0x8 ee_start_lo: u32,
    }
}

disk_struct! {
    /// `ext4_extent_tail`: after `eh_max` entries in a tree block.
    pub struct ExtentTail, EXTENT_TAIL_FIELDS, size = 4 {
        0x0 et_checksum: u32,
    }
}

/// `eh_magic`.
pub const EXTENT_MAGIC: u16 = 0xF30A;
/// Deepest tree the kernel builds (`EXT4_MAX_EXTENT_DEPTH`).
pub const MAX_DEPTH: u16 = 5;
/// Longest initialized extent; longer `ee_len` values mark unwritten extents.
pub const INIT_MAX_LEN: u16 = 32768;
/// Size of the header and of each entry.
pub const ENTRY_SIZE: usize = 12;

impl ExtentIdx {
    /// The child block.
    pub fn leaf(&self) -> u64 {
        u64::from(self.ei_leaf_lo) | (u64::from(self.ei_leaf_hi) << 32)
    }
}

impl Extent {
    /// First physical block.
    pub fn start(&self) -> u64 {
        u64::from(self.ee_start_lo) | (u64::from(self.ee_start_hi) << 32)
    }
    /// Length in blocks and whether the extent is unwritten.
    pub fn len(&self) -> (u64, bool) {
        if self.ee_len > INIT_MAX_LEN {
            (u64::from(self.ee_len - INIT_MAX_LEN), true)
        } else {
            (u64::from(self.ee_len), false)
        }
    }
}

/// Entries that fit in a node of `bytes` bytes.
pub fn node_capacity(bytes: usize) -> usize {
    bytes.saturating_sub(ENTRY_SIZE) / ENTRY_SIZE
}

/// The crc32c seed of an inode's tree blocks: fs seed → le32 inode → le32 generation.
pub fn inode_seed(fs: &Fs, inode: &Inode) -> u32 {
    inode_seed_from(fs.sb.csum_seed(), inode.ino, inode.generation())
}

/// [`inode_seed`] from the file system seed, an inode number and its generation.
pub fn inode_seed_from(fs_seed: u32, ino: u32, generation: u32) -> u32 {
    crc32c(crc32c(fs_seed, &ino.to_le_bytes()), &generation.to_le_bytes())
}

/// The tail checksum of a tree block: stored after `eh_max` entries, computed
/// over the bytes before it.
pub fn block_checksum(seed: u32, block: &[u8], eh_max: usize) -> ChecksumStatus {
    let tail = ENTRY_SIZE + ENTRY_SIZE * eh_max.min(node_capacity(block.len()));
    let stored = ExtentTail::parse(block.get(tail..).unwrap_or(&[])).et_checksum;
    ChecksumStatus::new(ChecksumKind::Crc32c, stored, crc32c(seed, block.get(..tail).unwrap_or(block)))
}

struct Walk<'a> {
    fs: &'a Fs,
    inode: &'a Inode,
    /// The inode's checksum seed (metadata_csum), computed at the first tree block:
    /// most trees have none, only the root in the inode.
    seed: Option<Option<u32>>,
    visited: BTreeSet<u64>,
}

/// Where a node is, for problems.
#[derive(Clone, Copy)]
struct NodeAt {
    block: Option<u64>,
    level: u32,
}

impl Walk<'_> {
    fn seed(&mut self) -> Option<u32> {
        let (fs, inode) = (self.fs, self.inode);
        *self.seed.get_or_insert_with(|| fs.sb.has_metadata_csum().then(|| inode_seed(fs, inode)))
    }

    fn at(&self, node: NodeAt, entry: Option<usize>) -> Location {
        let off = ENTRY_SIZE * entry.map_or(0, |e| e + 1);
        match node.block {
            Some(b) => Location::block(b, self.fs.block_size(), off).with_inode(self.inode.ino),
            None => Location {
                byte: self.inode.at.byte.and_then(|x| x.checked_add((I_BLOCK_OFFSET + off) as u64)),
                ..self.inode.at
            },
        }
    }

    fn problem(&self, b: &mut MapBuilder, sev: Severity, node: NodeAt, entry: Option<usize>, msg: String) {
        let where_ = match (node.block, entry) {
            (Some(blk), Some(e)) => format!("level {} node at block {blk}, entry {e}: ", node.level),
            (Some(blk), None) => format!("level {} node at block {blk}: ", node.level),
            (None, Some(e)) => format!("root in the inode, entry {e}: "),
            (None, None) => String::from("root in the inode: "),
        };
        b.problem(
            sev,
            structure(self.inode.ino, "extent tree"),
            self.at(node, entry),
            format!("{where_}{msg}"),
        );
    }

    /// Decode one node and, below it, its children. `expect_depth` is the depth the
    /// parent implies (`None` for the root); `lo..hi` is the logical range the
    /// parent's index entry gives this node. Returns the node's index in the tree.
    fn node(
        &mut self,
        b: &mut MapBuilder,
        bytes: &[u8],
        at: NodeAt,
        expect_depth: Option<u16>,
        lo: u64,
        hi: u64,
    ) -> u32 {
        let h = ExtentHeader::parse(bytes);
        let cap = node_capacity(bytes.len());
        let seed = if at.block.is_some() { self.seed() } else { None };
        let checksum = match seed {
            Some(seed) => block_checksum(seed, bytes, usize::from(h.eh_max)),
            None => ChecksumStatus::NONE,
        };
        let idx = b.add_node(MapNode {
            kind: if at.block.is_some() { NodeKind::ExtentBlock } else { NodeKind::ExtentRoot },
            block: at.block,
            level: at.level,
            depth: Some(h.eh_depth),
            entries: u32::from(h.eh_entries),
            max: u32::from(h.eh_max),
            generation: Some(h.eh_generation),
            checksum,
            items: Vec::new(),
        });
        if h.eh_magic != EXTENT_MAGIC {
            let m =
                format!("bad extent header magic 0x{:04X} (expected 0xF30A); node not decoded", h.eh_magic);
            self.problem(b, Severity::Error, at, None, m);
            return idx;
        }
        if checksum.ok == Some(false) {
            let m = format!(
                "extent block checksum does not match (stored 0x{:08x}, computed 0x{:08x})",
                checksum.stored, checksum.computed
            );
            self.problem(b, Severity::Error, at, None, m);
        }
        let max = usize::from(h.eh_max);
        // e2fsprogs accepts eh_max from the room in the node down to room - 2.
        if max > cap || max + 2 < cap {
            let m = format!("eh_max is {max}, but the node has room for {cap} entries");
            self.problem(b, Severity::Error, at, None, m);
        }
        let mut n = usize::from(h.eh_entries);
        if n > max.min(cap) {
            let m = format!(
                "eh_entries is {n}, more than eh_max {max} (room for {cap}); decoding {}",
                max.min(cap)
            );
            self.problem(b, Severity::Error, at, None, m);
            n = max.min(cap);
        }
        if let Some(d) = expect_depth {
            if h.eh_depth != d {
                let m = format!("eh_depth is {}, but its parent implies {d}; node not decoded", h.eh_depth);
                self.problem(b, Severity::Error, at, None, m);
                return idx;
            }
        }
        if h.eh_depth > MAX_DEPTH {
            let m = format!("eh_depth is {} (the most is {MAX_DEPTH}); children not followed", h.eh_depth);
            self.problem(b, Severity::Error, at, None, m);
        }
        let mut items = Vec::new();
        if h.eh_depth == 0 {
            self.leaf(b, bytes, at, n, lo, hi, &mut items);
        } else {
            self.index(b, bytes, at, &h, n, lo, hi, &mut items);
        }
        if let Some(node) = b.tree.nodes.get_mut(idx as usize) {
            node.items = items;
        }
        idx
    }

    #[allow(clippy::too_many_arguments)]
    fn leaf(
        &mut self,
        b: &mut MapBuilder,
        bytes: &[u8],
        at: NodeAt,
        n: usize,
        lo: u64,
        hi: u64,
        items: &mut Vec<MapItem>,
    ) {
        let blocks = self.fs.geo.blocks_count;
        let first = self.fs.geo.first_data_block;
        let mut prev_end: Option<u64> = None;
        for e in 0..n {
            let x = Extent::parse(bytes.get(ENTRY_SIZE * (e + 1)..).unwrap_or(&[]));
            let logical = u64::from(x.ee_block);
            let (len, unwritten) = x.len();
            let physical = x.start();
            if !b.skip_items {
                items.push(MapItem::Extent { entry: e as u32, logical, physical, len, unwritten });
            }
            if len == 0 {
                self.problem(
                    b,
                    Severity::Error,
                    at,
                    Some(e),
                    format!("extent at logical {logical} has length 0"),
                );
                continue;
            }
            let lend = logical + len;
            if let Some(p) = prev_end {
                if logical < p {
                    let m = format!(
                        "extent at logical {logical} starts before the previous one ends ({p}): unsorted or overlapping"
                    );
                    self.problem(b, Severity::Error, at, Some(e), m);
                }
            }
            prev_end = Some(prev_end.map_or(lend, |p| p.max(lend)));
            if logical < lo || lend > hi {
                let m = format!(
                    "extent covers logical blocks {logical}-{}, outside the range {lo}-{} its index entry gives",
                    lend - 1,
                    hi.saturating_sub(1)
                );
                self.problem(b, Severity::Error, at, Some(e), m);
            }
            if lend > 1u64 << 32 {
                let m = format!("extent ends at logical block {}, past 2^32", lend - 1);
                self.problem(b, Severity::Error, at, Some(e), m);
            }
            let pend = physical.checked_add(len);
            if physical < first || pend.is_none_or(|p| p > blocks) {
                let m = format!(
                    "extent maps to blocks {physical}-{}, outside the file system ({first}-{}); not mapped",
                    physical.saturating_add(len - 1),
                    blocks - 1
                );
                self.problem(b, Severity::Error, at, Some(e), m);
                continue;
            }
            b.add_run(DataRun { logical, physical, len, unwritten });
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn index(
        &mut self,
        b: &mut MapBuilder,
        bytes: &[u8],
        at: NodeAt,
        h: &ExtentHeader,
        n: usize,
        lo: u64,
        hi: u64,
        items: &mut Vec<MapItem>,
    ) {
        let blocks = self.fs.geo.blocks_count;
        let first = self.fs.geo.first_data_block;
        let entries: Vec<ExtentIdx> =
            (0..n).map(|e| ExtentIdx::parse(bytes.get(ENTRY_SIZE * (e + 1)..).unwrap_or(&[]))).collect();
        let mut prev: Option<u64> = None;
        for (e, x) in entries.iter().enumerate() {
            let logical = u64::from(x.ei_block);
            let child_blk = x.leaf();
            if let Some(p) = prev {
                if logical <= p {
                    let m = format!("index key {logical} is not above the previous key {p}: unsorted");
                    self.problem(b, Severity::Error, at, Some(e), m);
                }
            }
            prev = Some(logical);
            if logical < lo || logical >= hi {
                let m = format!(
                    "index key {logical} is outside the range {lo}-{} its parent gives",
                    hi.saturating_sub(1)
                );
                self.problem(b, Severity::Error, at, Some(e), m);
            }
            let mut child = None;
            let follow = h.eh_depth <= MAX_DEPTH;
            if child_blk < first || child_blk >= blocks {
                let m = format!(
                    "index points to block {child_blk}, outside the file system ({first}-{}); not followed",
                    blocks - 1
                );
                self.problem(b, Severity::Error, at, Some(e), m);
            } else if follow && !self.visited.insert(child_blk) {
                let m = format!(
                    "index points to block {child_blk}, already part of this tree (a loop or a shared node); not followed again"
                );
                self.problem(b, Severity::Error, at, Some(e), m);
            } else if follow {
                match self.fs.block(child_blk) {
                    Ok(data) => {
                        // The child covers from its key to the next key (or the parent's end).
                        let next =
                            entries.get(e + 1).map_or(hi, |y| u64::from(y.ei_block)).min(hi).max(logical);
                        let child_at = NodeAt { block: Some(child_blk), level: at.level + 1 };
                        b.metadata.push(MetaBlock { kind: MetaKind::Etb, level: at.level, block: child_blk });
                        let c = self.node(b, &data, child_at, Some(h.eh_depth - 1), logical, next);
                        child = Some(c);
                    }
                    Err(err) => {
                        let m = format!("index points to block {child_blk}, which cannot be read: {err}");
                        self.problem(b, Severity::Error, at, Some(e), m);
                    }
                }
            }
            if !b.skip_items {
                items.push(MapItem::Index { entry: e as u32, logical, block: child_blk, child });
            }
        }
    }
}

/// Walk `inode`'s extent tree into `b`.
pub(crate) fn walk(fs: &Fs, inode: &Inode, b: &mut MapBuilder) {
    let mut w = Walk { fs, inode, seed: None, visited: BTreeSet::new() };
    let root = inode.raw.i_block;
    w.node(b, &root, NodeAt { block: None, level: 0 }, None, 0, 1u64 << 32);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::table_is_contiguous;

    #[test]
    fn tables_are_contiguous() {
        assert_eq!(table_is_contiguous(EXTENT_HEADER_FIELDS, 12), Ok(()));
        assert_eq!(table_is_contiguous(EXTENT_IDX_FIELDS, 12), Ok(()));
        assert_eq!(table_is_contiguous(EXTENT_FIELDS, 12), Ok(()));
    }

    #[test]
    fn unwritten_lengths() {
        let e = |ee_len| Extent { ee_block: 0, ee_len, ee_start_hi: 0, ee_start_lo: 0 };
        assert_eq!(e(1).len(), (1, false));
        assert_eq!(e(32768).len(), (32768, false));
        assert_eq!(e(32769).len(), (1, true));
        assert_eq!(e(65535).len(), (32767, true));
    }

    #[test]
    fn capacity() {
        assert_eq!(node_capacity(60), 4);
        assert_eq!(node_capacity(1024), 84);
        assert_eq!(node_capacity(4096), 340);
    }
}
