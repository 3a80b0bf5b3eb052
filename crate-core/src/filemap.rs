//! File block maps: which physical blocks hold a file's data, whichever way the
//! inode maps them (extent tree, indirect blocks, inline data), plus the
//! metadata blocks of the map and a tree for drawing. Building a map never
//! fails: corruption becomes [`Problem`]s and the rest of the map is still shown.

use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Location, Problem, Result, Severity};
use crate::format::group_desc::ChecksumStatus;
use crate::format::inode::{Inode, EXTENTS_FL, INLINE_DATA_FL};
use crate::fs::Fs;

/// How an inode maps its data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MapKind {
    /// `EXTENTS_FL`: an extent tree rooted in `i_block`.
    Extents,
    /// Classic ext2/3 block map: 12 direct slots, IND, DIND, TIND.
    Indirect,
    /// `INLINE_DATA_FL`: data in `i_block` and the `system.data` xattr.
    Inline,
    /// No data blocks: fast symlinks, devices, fifos, sockets.
    None,
}

/// A run of logically and physically contiguous data blocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataRun {
    /// First logical block.
    pub logical: u64,
    /// First physical block.
    pub physical: u64,
    /// Number of blocks.
    pub len: u64,
    /// Allocated but unwritten (reads as zeros).
    pub unwritten: bool,
}

impl DataRun {
    /// One past the last logical block.
    pub fn logical_end(&self) -> u64 {
        self.logical.saturating_add(self.len)
    }
}

/// What a metadata block of a file's map is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum MetaKind {
    /// Single indirect block.
    #[serde(rename = "IND")]
    Ind,
    /// Double indirect block.
    #[serde(rename = "DIND")]
    Dind,
    /// Triple indirect block.
    #[serde(rename = "TIND")]
    Tind,
    /// Extent tree block (index or leaf node outside the inode).
    #[serde(rename = "ETB")]
    Etb,
}

impl MetaKind {
    /// The name debugfs prints (`IND`, `DIND`, `TIND`, `ETB`).
    pub fn name(self) -> &'static str {
        match self {
            MetaKind::Ind => "IND",
            MetaKind::Dind => "DIND",
            MetaKind::Tind => "TIND",
            MetaKind::Etb => "ETB",
        }
    }
}

/// A metadata block of a file's map.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MetaBlock {
    /// What it is.
    pub kind: MetaKind,
    /// Level of the node that points to it: 0 = pointed to from `i_block` (as
    /// debugfs's `ETB0`), 1 = pointed to from a level-0 block, and so on.
    pub level: u32,
    /// Block number.
    pub block: u64,
}

/// What a tree node is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NodeKind {
    /// The extent tree root in `i_block`.
    ExtentRoot,
    /// An extent tree block (index or leaf).
    ExtentBlock,
    /// The 15 block pointers in `i_block`.
    IndirectRoot,
    /// An indirect block.
    Ind,
    /// A double indirect block.
    Dind,
    /// A triple indirect block.
    Tind,
    /// Inline data (no tree).
    Inline,
}

/// One entry of a tree node.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum MapItem {
    /// An extent index entry.
    Index {
        /// Entry number in the node (0-based).
        entry: u32,
        /// `ei_block`: first logical block covered.
        logical: u64,
        /// The child block.
        block: u64,
        /// The child node in [`MapTree::nodes`], when it was read.
        child: Option<u32>,
    },
    /// An extent leaf entry.
    Extent {
        /// Entry number in the node (0-based).
        entry: u32,
        /// `ee_block`.
        logical: u64,
        /// `ee_start`.
        physical: u64,
        /// Length in blocks.
        len: u64,
        /// `ee_len` > 32768.
        unwritten: bool,
    },
    /// Consecutive slots of data pointers to contiguous blocks.
    Pointers {
        /// First slot number.
        slot: u32,
        /// Logical block of the first slot.
        logical: u64,
        /// Physical block of the first slot.
        physical: u64,
        /// Number of slots.
        len: u64,
    },
    /// A pointer to an indirect block.
    Indirect {
        /// Slot number.
        slot: u32,
        /// What the pointed block is.
        kind: MetaKind,
        /// The block.
        block: u64,
        /// The child node, when it was read.
        child: Option<u32>,
    },
}

/// One node of a map tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MapNode {
    /// What it is.
    pub kind: NodeKind,
    /// Its block (`None` for the root in the inode).
    pub block: Option<u64>,
    /// Level: 0 for the root in the inode, 1 for the blocks it points to, ...
    pub level: u32,
    /// `eh_depth` for extent nodes.
    pub depth: Option<u16>,
    /// Entries in use (`eh_entries`; nonzero slots for indirect nodes).
    pub entries: u32,
    /// Room (`eh_max`; pointer slots for indirect nodes).
    pub max: u32,
    /// `eh_generation` for extent nodes.
    pub generation: Option<u32>,
    /// The extent tail checksum (tree blocks with metadata_csum).
    pub checksum: ChecksumStatus,
    /// The decoded entries.
    pub items: Vec<MapItem>,
}

/// The whole tree of a file's map; `nodes[0]` is the root (when there is one).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MapTree {
    /// Nodes, parents before children.
    pub nodes: Vec<MapNode>,
}

/// A step of the tree walk in the order debugfs `blocks` lists blocks:
/// each metadata block before the blocks it maps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WalkItem {
    /// A metadata block.
    Meta(MetaBlock),
    /// Data blocks.
    Data(DataRun),
}

/// A file's block map.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileMap {
    /// How the inode maps its data.
    pub kind: MapKind,
    /// Data runs in logical order, contiguous runs merged.
    pub data: Vec<DataRun>,
    /// Metadata blocks in walk order (parents before children).
    pub metadata: Vec<MetaBlock>,
    /// The tree, for drawing.
    pub tree: MapTree,
    /// Problems found while walking.
    pub problems: Vec<Problem>,
}

impl FileMap {
    /// The physical block of a logical block and whether it is unwritten.
    pub fn lookup(&self, logical: u64) -> Option<(u64, bool)> {
        let i = self.data.partition_point(|r| r.logical_end() <= logical);
        let r = self.data.get(i)?;
        if logical < r.logical {
            return None;
        }
        Some((r.physical.checked_add(logical - r.logical)?, r.unwritten))
    }

    /// Number of data blocks mapped.
    pub fn data_blocks(&self) -> u64 {
        self.data.iter().fold(0u64, |a, r| a.saturating_add(r.len))
    }

    /// The tree walked in debugfs `blocks` order: metadata blocks before what
    /// they map, entries in on-disk order.
    pub fn walk(&self) -> Vec<WalkItem> {
        let mut out = Vec::new();
        if !self.tree.nodes.is_empty() {
            let mut stack = vec![(0u32, 0usize)];
            // Each node is pushed at most once (children are distinct nodes), so
            // this terminates after visiting every item once.
            while let Some((n, i)) = stack.pop() {
                let Some(node) = self.tree.nodes.get(n as usize) else { continue };
                let Some(item) = node.items.get(i) else { continue };
                stack.push((n, i + 1));
                match item {
                    MapItem::Extent { logical, physical, len, unwritten, .. } => {
                        out.push(WalkItem::Data(DataRun {
                            logical: *logical,
                            physical: *physical,
                            len: *len,
                            unwritten: *unwritten,
                        }));
                    }
                    MapItem::Pointers { logical, physical, len, .. } => {
                        out.push(WalkItem::Data(DataRun {
                            logical: *logical,
                            physical: *physical,
                            len: *len,
                            unwritten: false,
                        }));
                    }
                    MapItem::Index { block, child: Some(c), .. } => {
                        out.push(WalkItem::Meta(MetaBlock {
                            kind: MetaKind::Etb,
                            level: node.level,
                            block: *block,
                        }));
                        if *c > n {
                            stack.push((*c, 0));
                        }
                    }
                    MapItem::Indirect { kind, block, child: Some(c), .. } => {
                        out.push(WalkItem::Meta(MetaBlock { kind: *kind, level: node.level, block: *block }));
                        if *c > n {
                            stack.push((*c, 0));
                        }
                    }
                    _ => {}
                }
            }
        }
        out
    }
}

/// Most problems one map lists; past this they are counted in a last problem.
/// A hostile map can have a bad pointer in every slot of every block (256 per
/// 1 KiB indirect block), which would otherwise cost far more memory than the
/// image.
pub const MAX_MAP_PROBLEMS: usize = 1000;

/// Collects a map while a walker runs.
#[derive(Debug, Default)]
pub(crate) struct MapBuilder {
    pub tree: MapTree,
    pub runs: Vec<DataRun>,
    pub metadata: Vec<MetaBlock>,
    pub problems: Vec<Problem>,
    /// Problems past [`MAX_MAP_PROBLEMS`], not listed.
    pub unlisted: u64,
    /// Pointers outside the file system, in walk order, as e2fsck's block
    /// iterator meets them: (logical block, or -1/-2/-3 for an IND/DIND/TIND
    /// pointer; the pointer; the first logical block of what it maps; the
    /// indirect block holding the pointer, 0 for `i_block`). At most
    /// [`MAX_MAP_PROBLEMS`].
    pub illegal: Vec<(i64, u64, u64, u64)>,
    /// Indirect maps: for each of `metadata`, the first logical block it maps.
    pub meta_at: Vec<u64>,
    /// Leave the extent tree's node items (the entries, for drawing) out: the
    /// ownership scan needs only the runs, metadata blocks and node checksums.
    pub skip_items: bool,
}

impl MapBuilder {
    pub fn problem(&mut self, severity: Severity, structure: String, at: Location, message: String) {
        if self.problems.len() < MAX_MAP_PROBLEMS {
            self.problems.push(Problem { severity, structure, at, message });
        } else {
            self.unlisted += 1;
        }
    }

    pub fn add_node(&mut self, node: MapNode) -> u32 {
        self.tree.nodes.push(node);
        (self.tree.nodes.len() - 1) as u32
    }

    /// Add a data run, extending the last one when contiguous.
    pub fn add_run(&mut self, run: DataRun) {
        if run.len == 0 {
            return;
        }
        if let Some(last) = self.runs.last_mut() {
            if last.logical_end() == run.logical
                && last.physical.checked_add(last.len) == Some(run.physical)
                && last.unwritten == run.unwritten
            {
                last.len += run.len;
                return;
            }
        }
        self.runs.push(run);
    }

    pub fn finish(mut self, kind: MapKind) -> FileMap {
        if self.unlisted > 0 {
            let last = self.problems.last().map(|p| (p.structure.clone(), p.at)).unwrap_or_default();
            self.problems.push(Problem {
                severity: Severity::Error,
                structure: last.0,
                at: last.1,
                message: format!("{} more problems in this map are not listed", self.unlisted),
            });
        }
        self.runs.sort_by_key(|r| (r.logical, r.physical));
        let mut data: Vec<DataRun> = Vec::with_capacity(self.runs.len());
        for r in self.runs {
            if let Some(last) = data.last_mut() {
                if last.logical_end() == r.logical
                    && last.physical.checked_add(last.len) == Some(r.physical)
                    && last.unwritten == r.unwritten
                {
                    last.len += r.len;
                    continue;
                }
            }
            data.push(r);
        }
        FileMap { kind, data, metadata: self.metadata, tree: self.tree, problems: self.problems }
    }
}

/// Bytes read per host request when reading file data.
const READ_CHUNK_BLOCKS: u64 = 256;

impl Fs {
    /// How `inode` maps its data.
    pub fn map_kind(&self, inode: &Inode) -> MapKind {
        use crate::format::inode::FileType;
        if inode.flags() & INLINE_DATA_FL != 0 {
            return MapKind::Inline;
        }
        match inode.file_type() {
            FileType::CharDevice | FileType::BlockDevice | FileType::Fifo | FileType::Socket => {
                return MapKind::None
            }
            FileType::Symlink if inode.is_fast_symlink() => return MapKind::None,
            _ => {}
        }
        if inode.flags() & EXTENTS_FL != 0 {
            MapKind::Extents
        } else {
            MapKind::Indirect
        }
    }

    /// The block map of `inode`. Never fails: problems are inside.
    pub fn file_map(&self, inode: &Inode) -> FileMap {
        let kind = self.map_kind(inode);
        let mut b = MapBuilder::default();
        match kind {
            MapKind::Extents => crate::format::extent::walk(self, inode, &mut b),
            MapKind::Indirect => crate::format::indirect::walk(self, inode, &mut b),
            MapKind::Inline => crate::format::inline::describe(self, inode, &mut b),
            MapKind::None => {}
        }
        b.finish(kind)
    }

    /// Read up to `len` bytes of the file from byte `offset`, stopping at the end
    /// of the file (`i_size`). Holes and unwritten extents read as zeros; inline
    /// data comes from `i_block` and `system.data`. Builds the map each call: use
    /// [`Fs::read_file_with_map`] when reading a file in chunks.
    pub fn read_file(&self, inode: &Inode, offset: u64, len: usize) -> Result<Vec<u8>> {
        let map = self.file_map(inode);
        self.read_file_with_map(inode, &map, offset, len)
    }

    /// [`Fs::read_file`] with a map built by [`Fs::file_map`].
    pub fn read_file_with_map(
        &self,
        inode: &Inode,
        map: &FileMap,
        offset: u64,
        len: usize,
    ) -> Result<Vec<u8>> {
        let size = inode.size();
        if offset >= size || len == 0 {
            return Ok(Vec::new());
        }
        let end = offset.saturating_add(len as u64).min(size);
        let n = usize::try_from(end - offset).map_err(|_| Error::internal("read length overflows"))?;
        if map.kind == MapKind::Inline {
            let data = crate::format::inline::inline_bytes(self, inode);
            let mut out = vec![0u8; n];
            let start = usize::try_from(offset).unwrap_or(usize::MAX);
            if let Some(src) = data.get(start..) {
                let k = src.len().min(n);
                out[..k].copy_from_slice(&src[..k]);
            }
            return Ok(out);
        }
        let mut out = vec![0u8; n];
        if map.kind == MapKind::None {
            return Ok(out);
        }
        let bs = u64::from(self.block_size());
        let first = offset / bs;
        let last = (end - 1) / bs;
        let i0 = map.data.partition_point(|r| r.logical_end() <= first);
        for r in map.data.get(i0..).unwrap_or(&[]) {
            if r.logical > last {
                break;
            }
            if r.unwritten {
                continue;
            }
            let lo = r.logical.max(first);
            let hi = r.logical_end().min(last + 1);
            let mut l = lo;
            while l < hi {
                let count = (hi - l).min(READ_CHUNK_BLOCKS);
                let phys = r.physical + (l - r.logical);
                let blocks = self.image().blocks(phys, count)?;
                for (k, blk) in blocks.iter().enumerate() {
                    let lb = l + k as u64;
                    // The file bytes this block holds, clipped to [offset, end).
                    let bstart = lb * bs;
                    let from = bstart.max(offset);
                    let to = (bstart + bs).min(end);
                    if from >= to {
                        continue;
                    }
                    let (s0, s1) = ((from - bstart) as usize, (to - bstart) as usize);
                    let (d0, d1) = ((from - offset) as usize, (to - offset) as usize);
                    if let (Some(dst), Some(src)) = (out.get_mut(d0..d1), blk.get(s0..s1)) {
                        dst.copy_from_slice(src);
                    }
                }
                l += count;
            }
        }
        Ok(out)
    }
}

/// A problem's structure name for inode `ino`'s map.
pub(crate) fn structure(ino: u32, what: &str) -> String {
    format!("inode {ino} {what}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(runs: &[(u64, u64, u64, bool)]) -> FileMap {
        let mut b = MapBuilder::default();
        for &(logical, physical, len, unwritten) in runs {
            b.add_run(DataRun { logical, physical, len, unwritten });
        }
        b.finish(MapKind::Extents)
    }

    #[test]
    fn runs_are_sorted_and_merged() {
        let m = map(&[(8, 108, 8, false), (0, 100, 8, false), (16, 300, 4, false), (20, 304, 2, true)]);
        assert_eq!(
            m.data,
            [
                DataRun { logical: 0, physical: 100, len: 16, unwritten: false },
                DataRun { logical: 16, physical: 300, len: 4, unwritten: false },
                DataRun { logical: 20, physical: 304, len: 2, unwritten: true },
            ]
        );
        assert_eq!(m.lookup(0), Some((100, false)));
        assert_eq!(m.lookup(15), Some((115, false)));
        assert_eq!(m.lookup(21), Some((305, true)));
        assert_eq!(m.lookup(22), None);
        assert_eq!(m.data_blocks(), 22);
    }

    #[test]
    fn lookup_in_holes() {
        let m = map(&[(10, 500, 2, false), (100, 600, 1, false)]);
        assert_eq!(m.lookup(0), None);
        assert_eq!(m.lookup(11), Some((501, false)));
        assert_eq!(m.lookup(12), None);
        assert_eq!(m.lookup(100), Some((600, false)));
        assert_eq!(m.lookup(u64::MAX), None);
    }
}
