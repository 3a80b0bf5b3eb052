//! Block ownership: for any block, who claims it.
//!
//! Metadata at fixed places (superblocks, descriptor tables, reserved GDT, bitmaps,
//! inode tables, the MMP block) is computed from the layout and needs no scan:
//! [`Fs::owner_of`] answers for it at once. Blocks that inodes claim (file data,
//! directory blocks, extent tree nodes, indirect blocks, xattr blocks, the journal)
//! are known after a [`Scanner`] has walked the inode tables once.
//!
//! The scan reads each group's inode table in coalesced runs (only the part the
//! inode bitmap and `bg_itable_unused` say is in use), can be stepped with a budget
//! so a user interface stays responsive, reports progress and can be cancelled.
//! Memory is two bitsets of one bit per cluster ("claimed", "claimed again") plus
//! one record per run of blocks claimed; only blocks claimed more than once get
//! details. Like e2fsck's pass 1B, those details are found by a second look at the
//! recorded runs when the inode pass is over.
//!
//! With bigalloc, ownership is per cluster: block numbers are reported, clusters are
//! reasoned about (two claims on one cluster by the same inode, or by layout
//! metadata, are legal when they do not claim the same block).

use alloc::boxed::Box;
use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

use crate::checksum::Crc32c;
use crate::error::{Error, Location, Problem, Result, Severity};
use crate::filemap::{MapBuilder, MapKind, MetaKind, NodeKind};
use crate::format::features::*;
use crate::format::group_desc::BG_INODE_UNINIT;
use crate::format::inode::{Inode, EA_INODE_FL, ROOT_INO};
use crate::fs::Fs;
use crate::io::{IoError, IoStats};

// ---------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------

/// What a block is used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[repr(u8)]
pub enum OwnerKind {
    /// Nobody claims it (only in map exports).
    Free = 0,
    /// Block 0 of a 1 KiB-block file system: the boot sector, outside the groups.
    BootBlock,
    /// A superblock, primary (group 0) or backup.
    Superblock,
    /// Group descriptor table block (primary or backup copy).
    GroupDescriptors,
    /// Reserved GDT block (for online resize; the resize inode, 7, maps them).
    ReservedGdt,
    /// A group's block bitmap.
    BlockBitmap,
    /// A group's inode bitmap.
    InodeBitmap,
    /// Inode table block.
    InodeTable,
    /// Multi-mount protection block (`s_mmp_block`).
    Mmp,
    /// Journal (the journal inode's data, usually inode 8).
    Journal,
    /// The resize inode's (7) own blocks other than the reserved GDT.
    ResizeInode,
    /// Quota file data (inodes 3 and 4, or `s_*_quota_inum`).
    Quota,
    /// Orphan file data (`s_orphan_file_inum`).
    OrphanFile,
    /// The bad blocks inode's (1) list of bad blocks.
    BadBlocks,
    /// The boot loader inode's (5) data.
    BootLoader,
    /// Data of another reserved inode (below `s_first_ino`).
    ReservedInode,
    /// Regular file data.
    FileData,
    /// Directory block.
    DirData,
    /// Slow symlink target block.
    SymlinkData,
    /// Data of another inode type (device, fifo, socket: should have none).
    OtherData,
    /// Extent tree node (index or leaf block).
    ExtentTree,
    /// Indirect block.
    Ind,
    /// Double indirect block.
    Dind,
    /// Triple indirect block.
    Tind,
    /// Extended attribute block (possibly shared by several inodes).
    Xattr,
}

/// Number of [`OwnerKind`]s.
pub const KIND_COUNT: usize = 25;

impl OwnerKind {
    /// Every kind, in code order.
    pub const ALL: [OwnerKind; KIND_COUNT] = [
        OwnerKind::Free,
        OwnerKind::BootBlock,
        OwnerKind::Superblock,
        OwnerKind::GroupDescriptors,
        OwnerKind::ReservedGdt,
        OwnerKind::BlockBitmap,
        OwnerKind::InodeBitmap,
        OwnerKind::InodeTable,
        OwnerKind::Mmp,
        OwnerKind::Journal,
        OwnerKind::ResizeInode,
        OwnerKind::Quota,
        OwnerKind::OrphanFile,
        OwnerKind::BadBlocks,
        OwnerKind::BootLoader,
        OwnerKind::ReservedInode,
        OwnerKind::FileData,
        OwnerKind::DirData,
        OwnerKind::SymlinkData,
        OwnerKind::OtherData,
        OwnerKind::ExtentTree,
        OwnerKind::Ind,
        OwnerKind::Dind,
        OwnerKind::Tind,
        OwnerKind::Xattr,
    ];

    /// The kind with code `c` (its `as u8` value), `Free` if unknown.
    pub fn from_code(c: u8) -> OwnerKind {
        OwnerKind::ALL.get(usize::from(c)).copied().unwrap_or(OwnerKind::Free)
    }

    /// The name used in JSON and on the command line (`block_bitmap`).
    pub fn name(self) -> &'static str {
        match self {
            OwnerKind::Free => "free",
            OwnerKind::BootBlock => "boot_block",
            OwnerKind::Superblock => "superblock",
            OwnerKind::GroupDescriptors => "group_descriptors",
            OwnerKind::ReservedGdt => "reserved_gdt",
            OwnerKind::BlockBitmap => "block_bitmap",
            OwnerKind::InodeBitmap => "inode_bitmap",
            OwnerKind::InodeTable => "inode_table",
            OwnerKind::Mmp => "mmp",
            OwnerKind::Journal => "journal",
            OwnerKind::ResizeInode => "resize_inode",
            OwnerKind::Quota => "quota",
            OwnerKind::OrphanFile => "orphan_file",
            OwnerKind::BadBlocks => "bad_blocks",
            OwnerKind::BootLoader => "boot_loader",
            OwnerKind::ReservedInode => "reserved_inode",
            OwnerKind::FileData => "file_data",
            OwnerKind::DirData => "dir_data",
            OwnerKind::SymlinkData => "symlink_data",
            OwnerKind::OtherData => "other_data",
            OwnerKind::ExtentTree => "extent_tree",
            OwnerKind::Ind => "ind",
            OwnerKind::Dind => "dind",
            OwnerKind::Tind => "tind",
            OwnerKind::Xattr => "xattr",
        }
    }

    /// Metadata whose place follows from the superblock and the descriptors alone.
    pub fn is_layout(self) -> bool {
        matches!(
            self,
            OwnerKind::BootBlock
                | OwnerKind::Superblock
                | OwnerKind::GroupDescriptors
                | OwnerKind::ReservedGdt
                | OwnerKind::BlockBitmap
                | OwnerKind::InodeBitmap
                | OwnerKind::InodeTable
                | OwnerKind::Mmp
        )
    }

    /// Blocks that map an inode's blocks (extent nodes, indirect blocks).
    pub fn is_block_map(self) -> bool {
        matches!(self, OwnerKind::ExtentTree | OwnerKind::Ind | OwnerKind::Dind | OwnerKind::Tind)
    }

    /// Blocks holding an inode's contents (logical block numbers apply).
    pub fn is_inode_data(self) -> bool {
        !self.is_layout() && !self.is_block_map() && self != OwnerKind::Xattr && self != OwnerKind::Free
    }
}

/// One claim on a block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Owner {
    /// What the block is.
    pub kind: OwnerKind,
    /// The inode that claims it (for xattr blocks: the first inode seen to refer to it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inode: Option<u32>,
    /// Logical block number in the inode (data), or the tree level (block maps).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logical: Option<u64>,
    /// The group the structure belongs to (layout metadata).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<u32>,
    /// First block of the claim this owner makes here.
    pub first_block: u64,
    /// Number of blocks of that claim.
    pub blocks: u64,
    /// In words.
    pub detail: String,
}

/// Who claims one block: what `ext4scope owner` prints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnerReport {
    /// The block asked about.
    pub block: u64,
    /// Its cluster (equal to the block without bigalloc).
    pub cluster: u64,
    /// Its group, if inside one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<u32>,
    /// Every claim on it (on its cluster, with bigalloc). Empty: nobody claims it.
    pub owners: Vec<Owner>,
    /// Claimed more than once where that is not legal (or legal only because of
    /// `RO_COMPAT_SHARED_BLOCKS`, see `shared_blocks`).
    pub multiply_claimed: bool,
    /// The file system has `RO_COMPAT_SHARED_BLOCKS`: sharing is legal.
    pub shared_blocks: bool,
    /// What the block bitmap says (`None` if it could not be read or the block is
    /// outside the groups).
    pub bitmap_says_used: Option<bool>,
    /// True when inode claims were included (a finished scan); false: only layout
    /// metadata is known, data owners are not.
    pub scan_complete: bool,
}

/// What a scan step is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Walking the inode tables.
    Inodes,
    /// Finding the owners of blocks claimed more than once.
    Resolve,
    /// Comparing with the block bitmaps and free counts.
    Bitmaps,
    /// Finished.
    Done,
}

/// How far a scan is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// Current phase.
    pub phase: Phase,
    /// Groups finished in the current phase.
    pub groups_done: u32,
    /// Groups in the file system.
    pub groups_total: u32,
    /// In-use inodes decoded so far.
    pub inodes_scanned: u64,
    /// In-use inodes the group descriptors announce (an estimate).
    pub inodes_expected: u64,
    /// Overall progress in thousandths (0..=1000).
    pub permille: u32,
}

/// Blocks per kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindCount {
    /// The kind.
    pub kind: OwnerKind,
    /// Blocks claimed as that kind (a block claimed twice counts twice).
    pub blocks: u64,
}

/// A range of blocks claimed more than once, and by whom.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MultiplyClaimed {
    /// First block (cluster-aligned with bigalloc).
    pub start: u64,
    /// Number of blocks.
    pub len: u64,
    /// Every claim on the range; `first_block`/`blocks` say which part each claims.
    pub owners: Vec<Owner>,
    /// `Error`, or `Info` when `RO_COMPAT_SHARED_BLOCKS` makes sharing legal.
    pub severity: Severity,
}

/// How the block bitmap and the scan disagree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BitmapDifferenceKind {
    /// Something claims the blocks, the bitmap says free (e2fsck: `-` in pass 5).
    UsedButFree,
    /// The bitmap says used, nothing claims them (e2fsck: `+` in pass 5).
    MarkedButUnowned,
}

/// A range of blocks where the bitmap and the scan disagree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BitmapDifference {
    /// Group.
    pub group: u32,
    /// First block.
    pub start: u64,
    /// Blocks.
    pub len: u64,
    /// Which way.
    pub kind: BitmapDifferenceKind,
}

/// A free count that differs from what the scan counted (in clusters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FreeCountDifference {
    /// The group; `None` for the superblock's total.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<u32>,
    /// Recorded in the descriptor (or superblock).
    pub recorded: u64,
    /// Zero bits in the bitmap(s).
    pub bitmap: u64,
    /// Clusters nothing claims, per the scan.
    pub computed: u64,
}

/// A checksum that does not match.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecksumFailure {
    /// The structure (`group descriptor 3`, `block bitmap of group 2`, `inode 12`).
    pub structure: String,
    /// Where.
    pub at: Location,
    /// Stored value.
    pub stored: u32,
    /// Computed value.
    pub computed: u32,
}

/// What `ext4scope scan` prints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScanReport {
    /// False when the scan was stopped early (partial results).
    pub complete: bool,
    /// Block size.
    pub block_size: u32,
    /// Blocks per cluster (1 without bigalloc).
    pub cluster_ratio: u32,
    /// Blocks in the file system.
    pub blocks_count: u64,
    /// Blocks claimed, per kind.
    pub blocks_by_kind: Vec<KindCount>,
    /// Clusters claimed by anything.
    pub owned_clusters: u64,
    /// Blocks in claimed clusters (`owned_clusters` × ratio, within the file system).
    pub owned_blocks: u64,
    /// `RO_COMPAT_SHARED_BLOCKS` is set: sharing is legal.
    pub shared_blocks: bool,
    /// Blocks in illegal multiply-claimed ranges.
    pub multiply_claimed_blocks: u64,
    /// Multiply-claimed ranges (at most [`MAX_LISTED`]).
    pub multiply_claimed: Vec<MultiplyClaimed>,
    /// Ranges where bitmap and scan disagree (at most [`MAX_LISTED`]).
    pub bitmap_differences: Vec<BitmapDifference>,
    /// Blocks in those ranges: (used but free, marked but unowned).
    pub bitmap_difference_blocks: (u64, u64),
    /// Free counts that differ from the scan.
    pub free_count_differences: Vec<FreeCountDifference>,
    /// Checksums that do not match.
    pub checksum_failures: Vec<ChecksumFailure>,
    /// Everything else found.
    pub problems: Vec<Problem>,
    /// In-use inodes decoded.
    pub inodes_scanned: u64,
    /// I/O so far (for the whole image state, including reads before the scan).
    pub io: IoStats,
}

/// Most buckets [`OwnershipMap::summary`] returns (bounded memory whatever is asked).
pub const MAX_BUCKETS: u32 = 1 << 20;

/// Lists in reports stop at this many entries (counts stay exact).
pub const MAX_LISTED: usize = 10_000;

/// One bucket of a down-sampled map.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MapBucket {
    /// The most common claimed kind (`Free` if nothing is claimed).
    pub dominant: OwnerKind,
    /// Blocks claimed (clusters × ratio, within the bucket).
    pub used: u64,
    /// Bit `k` set: some block of kind code `k` is in the bucket.
    pub kinds: u32,
    /// Some block in the bucket is multiply claimed.
    pub multiply_claimed: bool,
    /// Some block in the bucket differs from the bitmap.
    pub bitmap_difference: bool,
}

/// A bounded summary of a range of blocks, drawable at any zoom.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MapSummary {
    /// First block.
    pub start: u64,
    /// One past the last block.
    pub end: u64,
    /// Blocks per bucket (the last may be short).
    pub blocks_per_bucket: u64,
    /// The buckets, in order.
    pub buckets: Vec<MapBucket>,
}

/// A run of blocks of one kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindRun {
    /// First block.
    pub start: u64,
    /// Blocks.
    pub len: u64,
    /// Kind.
    pub kind: OwnerKind,
}

// ---------------------------------------------------------------------------
// Bitsets
// ---------------------------------------------------------------------------

const CHUNK_WORDS: usize = 512;
const CHUNK_BITS: u64 = (CHUNK_WORDS as u64) * 64;

/// A bitset allocated in 4 KiB chunks on first write (sparse file systems stay small).
#[derive(Debug, Clone, Default)]
struct Bits {
    chunks: Vec<Option<Box<[u64]>>>,
    len: u64,
}

impl Bits {
    fn new(len: u64) -> Bits {
        let n = usize::try_from(len.div_ceil(CHUNK_BITS)).unwrap_or(0);
        let mut chunks = Vec::new();
        chunks.resize_with(n, || None);
        Bits { chunks, len }
    }

    fn word(&self, w: u64) -> u64 {
        let c = (w / CHUNK_WORDS as u64) as usize;
        match self.chunks.get(c) {
            Some(Some(ch)) => ch.get((w % CHUNK_WORDS as u64) as usize).copied().unwrap_or(0),
            _ => 0,
        }
    }

    /// OR `mask` into word `w`; returns the bits of `mask` that were already set.
    fn or_word(&mut self, w: u64, mask: u64) -> u64 {
        let c = (w / CHUNK_WORDS as u64) as usize;
        let Some(slot) = self.chunks.get_mut(c) else { return 0 };
        let ch = slot.get_or_insert_with(|| vec![0u64; CHUNK_WORDS].into_boxed_slice());
        match ch.get_mut((w % CHUNK_WORDS as u64) as usize) {
            Some(x) => {
                let old = *x & mask;
                *x |= mask;
                old
            }
            None => 0,
        }
    }

    fn get(&self, i: u64) -> bool {
        i < self.len && self.word(i / 64) & (1 << (i % 64)) != 0
    }

    fn is_empty(&self) -> bool {
        self.chunks.iter().all(|c| c.as_ref().is_none_or(|c| c.iter().all(|&w| w == 0)))
    }

    /// Mask of bits `[start, end)` within word `w`.
    fn mask(w: u64, start: u64, end: u64) -> u64 {
        let lo = (w * 64).max(start) - w * 64;
        let hi = ((w + 1) * 64).min(end) - w * 64;
        if hi <= lo {
            return 0;
        }
        if hi - lo == 64 {
            u64::MAX
        } else {
            ((1u64 << (hi - lo)) - 1) << lo
        }
    }

    fn count_range(&self, start: u64, end: u64) -> u64 {
        let end = end.min(self.len);
        if start >= end {
            return 0;
        }
        let mut n = 0u64;
        let mut w = start / 64;
        while w * 64 < end {
            // Skip unallocated chunks quickly.
            let c = (w / CHUNK_WORDS as u64) as usize;
            if matches!(self.chunks.get(c), Some(None)) {
                w = (c as u64 + 1) * CHUNK_WORDS as u64;
                continue;
            }
            n += u64::from((self.word(w) & Self::mask(w, start, end)).count_ones());
            w += 1;
        }
        n
    }

    /// First set bit in `[from, end)`.
    fn next_set(&self, from: u64, end: u64) -> Option<u64> {
        let end = end.min(self.len);
        let mut w = from / 64;
        while w * 64 < end {
            let c = (w / CHUNK_WORDS as u64) as usize;
            if matches!(self.chunks.get(c), Some(None)) {
                w = (c as u64 + 1) * CHUNK_WORDS as u64;
                continue;
            }
            let m = self.word(w) & Self::mask(w, from, end);
            if m != 0 {
                return Some(w * 64 + u64::from(m.trailing_zeros()));
            }
            w += 1;
        }
        None
    }

    /// First clear bit in `[from, end)`, or `end`.
    fn next_clear(&self, from: u64, end: u64) -> u64 {
        let end = end.min(self.len);
        let mut w = from / 64;
        while w * 64 < end {
            let m = !self.word(w) & Self::mask(w, from, end);
            if m != 0 {
                return w * 64 + u64::from(m.trailing_zeros());
            }
            w += 1;
        }
        end.max(from)
    }

    /// Bits `[i, i + 64)` as a word (bit 0 = bit `i`); bits past the end read 0.
    fn bits64(&self, i: u64) -> u64 {
        let w = i / 64;
        let s = i % 64;
        if s == 0 {
            self.word(w)
        } else {
            (self.word(w) >> s) | (self.word(w + 1) << (64 - s))
        }
    }

    fn clear_range(&mut self, start: u64, end: u64) {
        let end = end.min(self.len);
        let mut w = start / 64;
        while w * 64 < end {
            let c = (w / CHUNK_WORDS as u64) as usize;
            if let Some(Some(ch)) = self.chunks.get_mut(c) {
                if let Some(x) = ch.get_mut((w % CHUNK_WORDS as u64) as usize) {
                    *x &= !Self::mask(w, start, end);
                }
            }
            w += 1;
        }
    }

    fn heap_bytes(&self) -> usize {
        self.chunks.len() * 8 + self.chunks.iter().flatten().count() * CHUNK_WORDS * 8
    }
}

// ---------------------------------------------------------------------------
// The ownership map
// ---------------------------------------------------------------------------

/// A run of claimed blocks (internal record, 24 bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Run {
    /// Blocks.
    len: u32,
    /// Inode number, or first group for layout metadata.
    id: u32,
    /// Logical block of the first block (data), or level (block maps), or the index
    /// of the first block within its structure (descriptor tables, inode tables).
    logical: u32,
    kind: OwnerKind,
    /// `RUN_UNWRITTEN`.
    flags: u8,
}

const RUN_UNWRITTEN: u8 = 1;

/// Longest run record. Finding what covers a block looks back this far, so a
/// query costs the runs of at most 32768 blocks, whatever the file sizes.
const MAX_RUN: u64 = 1 << 15;

/// Key: (first block, insertion number) so several runs may start at one block.
type RunKey = (u64, u64);

/// Run records, sorted for queries: a few sorted levels of geometrically
/// decreasing size (merged like a binary counter, so adding `n` runs costs
/// `O(n log n)` in all) and an unsorted tail that [`RunStore::compact`] sorts
/// into a level when someone looks (between scan steps, or at the end). A scan
/// adds runs in inode order, not block order: adding stays cheap, and partial
/// results stay queryable.
#[derive(Debug, Clone, Default)]
struct RunStore {
    levels: Vec<Vec<(RunKey, Run)>>,
    tail: Vec<(RunKey, Run)>,
    len: usize,
}

impl RunStore {
    fn len(&self) -> usize {
        self.len
    }

    fn insert(&mut self, k: RunKey, r: Run) {
        self.tail.push((k, r));
        self.len += 1;
    }

    /// Sort the tail into the levels.
    fn compact(&mut self) {
        if self.tail.is_empty() {
            return;
        }
        let mut t = core::mem::take(&mut self.tail);
        t.sort_unstable_by_key(|e| e.0);
        self.levels.push(t);
        while self.levels.len() >= 2 {
            let n = self.levels.len();
            let (a, b) = (self.levels[n - 2].len(), self.levels[n - 1].len());
            if a > 2 * b {
                break;
            }
            let (Some(y), Some(mut x)) = (self.levels.pop(), self.levels.pop()) else { break };
            if x.last().map(|e| e.0) <= y.first().map(|e| e.0) {
                // Disjoint and in order (runs added in block order): concatenate.
                x.extend_from_slice(&y);
                self.levels.push(x);
                continue;
            }
            let mut m = Vec::with_capacity(x.len() + y.len());
            let (mut i, mut j) = (0, 0);
            while let (Some(p), Some(q)) = (x.get(i), y.get(j)) {
                if p.0 <= q.0 {
                    m.push(*p);
                    i += 1;
                } else {
                    m.push(*q);
                    j += 1;
                }
            }
            m.extend_from_slice(x.get(i..).unwrap_or(&[]));
            m.extend_from_slice(y.get(j..).unwrap_or(&[]));
            self.levels.push(m);
        }
    }

    fn get_mut(&mut self, k: &RunKey) -> Option<&mut Run> {
        if let Some(e) = self.tail.iter_mut().find(|e| e.0 == *k) {
            return Some(&mut e.1);
        }
        for l in self.levels.iter_mut() {
            if let Ok(i) = l.binary_search_by_key(k, |e| e.0) {
                return l.get_mut(i).map(|e| &mut e.1);
            }
        }
        None
    }

    /// Every run, in no particular order.
    fn iter(&self) -> impl Iterator<Item = &(RunKey, Run)> {
        self.levels.iter().flatten().chain(self.tail.iter())
    }

    /// Runs with keys in `[lo, hi)`, in key order.
    fn range(&self, lo: RunKey, hi: RunKey) -> MergeIter<'_> {
        let mut cursors: Vec<&[(RunKey, Run)]> = Vec::with_capacity(self.levels.len());
        for l in &self.levels {
            let a = l.partition_point(|e| e.0 < lo);
            let b = l.partition_point(|e| e.0 < hi);
            if let Some(sl) = l.get(a..b) {
                if !sl.is_empty() {
                    cursors.push(sl);
                }
            }
        }
        let mut extra: Vec<(RunKey, Run)> =
            self.tail.iter().filter(|e| e.0 >= lo && e.0 < hi).copied().collect();
        extra.sort_unstable_by_key(|e| e.0);
        MergeIter { cursors, extra, extra_pos: 0 }
    }

    /// Runs starting at or before `hi` (exclusive key) and not before `floor`, in
    /// descending key order: for finding what covers a block.
    fn covering(&self, floor: u64, hi: RunKey) -> Vec<(RunKey, Run)> {
        let mut v: Vec<(RunKey, Run)> = self.range((floor, 0), hi).collect();
        v.reverse();
        v
    }
}

/// Key-ordered merge of sorted slices.
struct MergeIter<'a> {
    cursors: Vec<&'a [(RunKey, Run)]>,
    extra: Vec<(RunKey, Run)>,
    extra_pos: usize,
}

impl Iterator for MergeIter<'_> {
    type Item = (RunKey, Run);
    fn next(&mut self) -> Option<(RunKey, Run)> {
        let mut best: Option<(usize, RunKey)> = None;
        for (i, c) in self.cursors.iter().enumerate() {
            if let Some(e) = c.first() {
                if best.is_none_or(|b| e.0 < b.1) {
                    best = Some((i, e.0));
                }
            }
        }
        let extra = self.extra.get(self.extra_pos);
        match (best, extra) {
            (Some((_, k)), Some(x)) if x.0 < k => {
                self.extra_pos += 1;
                Some(*x)
            }
            (None, Some(x)) => {
                self.extra_pos += 1;
                Some(*x)
            }
            (Some((i, _)), _) => {
                let c = self.cursors.get_mut(i)?;
                let (first, rest) = c.split_first()?;
                *c = rest;
                Some(*first)
            }
            (None, None) => None,
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct XattrUse {
    first_inode: u32,
    refs: u32,
    refcount: Option<u32>,
}

/// Which block claims which: built by a [`Scanner`], queried by [`Fs::owner_of`]
/// and by the map exports.
#[derive(Debug, Clone)]
pub struct OwnershipMap {
    blocks_count: u64,
    ratio: u64,
    claimed: Bits,
    /// Clusters claimed a second time (candidates; legality is decided in `resolve`).
    multi: Bits,
    runs: RunStore,
    seq: u64,
    max_len: u64,
    /// Last run of each kind in the tree, to extend instead of adding.
    last: [Option<RunKey>; KIND_COUNT],
    /// The run of each kind being extended, not yet in the tree.
    pending: [Option<(RunKey, Run)>; KIND_COUNT],
    xattr: BTreeMap<u64, XattrUse>,
    /// Illegal (or shared_blocks) multiply-claimed ranges, sorted, after `resolve`.
    dups: Vec<MultiplyClaimed>,
    dup_blocks: u64,
    shared_blocks: bool,
    /// Bitmap differences, sorted, after the bitmap phase.
    diffs: Vec<BitmapDifference>,
    diff_blocks: (u64, u64),
    complete: bool,
    /// Layout facts needed to describe runs.
    inode_table_blocks: u32,
    inodes_per_group: u32,
    inode_size: u32,
    block_size: u32,
}

impl OwnershipMap {
    fn new(fs: &Fs) -> OwnershipMap {
        let ratio = u64::from(fs.geo.cluster_ratio.max(1));
        let clusters = fs.geo.blocks_count.div_ceil(ratio);
        OwnershipMap {
            blocks_count: fs.geo.blocks_count,
            ratio,
            claimed: Bits::new(clusters),
            multi: Bits::new(clusters),
            runs: RunStore::default(),
            seq: 0,
            max_len: 0,
            last: [None; KIND_COUNT],
            pending: [None; KIND_COUNT],
            xattr: BTreeMap::new(),
            dups: Vec::new(),
            dup_blocks: 0,
            shared_blocks: fs.features().ro_compat(RO_COMPAT_SHARED_BLOCKS),
            diffs: Vec::new(),
            diff_blocks: (0, 0),
            complete: false,
            inode_table_blocks: fs.geo.inode_table_blocks.max(1),
            inodes_per_group: fs.geo.inodes_per_group,
            inode_size: fs.geo.inode_size,
            block_size: fs.geo.block_size,
        }
    }

    /// True after a scan finished (inode claims and bitmap comparison included).
    pub fn is_complete(&self) -> bool {
        self.complete
    }

    /// Blocks in the file system.
    pub fn blocks_count(&self) -> u64 {
        self.blocks_count
    }

    /// Bytes of heap the map holds (approximate: bitsets plus run records).
    pub fn heap_bytes(&self) -> usize {
        self.claimed.heap_bytes() + self.multi.heap_bytes() + self.runs.len() * 48 + self.xattr.len() * 40
    }

    /// Number of run records.
    pub fn run_count(&self) -> usize {
        self.runs.len()
    }

    /// Is the cluster of `block` claimed by anything recorded so far?
    pub fn is_claimed(&self, block: u64) -> bool {
        self.claimed.get(block / self.ratio)
    }

    /// Record a claim of `len` blocks from `start`. Blocks past the end of the file
    /// system are the caller's to report; they are clipped here.
    fn claim(&mut self, start: u64, len: u64, kind: OwnerKind, id: u32, logical: u32, flags: u8) {
        let end = start.saturating_add(len).min(self.blocks_count);
        if start >= end {
            return;
        }
        let mut s = start;
        let mut lg = logical;
        while s < end {
            let n = (end - s).min(MAX_RUN);
            self.claim_one(s, n as u32, kind, id, lg, flags);
            s += n;
            lg = lg.wrapping_add(n as u32);
        }
    }

    fn claim_one(&mut self, start: u64, len: u32, kind: OwnerKind, id: u32, logical: u32, flags: u8) {
        let end = start + u64::from(len);
        let mut first_cluster = start / self.ratio;
        let slot = kind as usize;
        let itb = self.inode_table_blocks;
        let ratio = self.ratio;
        // Extend the previous run of this kind when the claim continues it: the
        // pending one (not yet in the tree), else the last one flushed.
        let extend = |k: RunKey, prev: &mut Run, first_cluster: &mut u64| -> bool {
            let prev_end = k.0 + u64::from(prev.len);
            if prev_end == start
                && prev.flags == flags
                && u64::from(prev.len) + u64::from(len) <= MAX_RUN
                && Self::continues(prev, kind, id, logical, itb)
            {
                // The cluster the previous run ends in is already marked (bigalloc).
                if (prev_end - 1) / ratio == *first_cluster {
                    *first_cluster += 1;
                }
                prev.len += len;
                return true;
            }
            false
        };
        let mut merged = false;
        if let Some(Some((k, prev))) = self.pending.get_mut(slot) {
            merged = extend(*k, prev, &mut first_cluster);
            if merged {
                self.max_len = self.max_len.max(u64::from(prev.len));
            }
        } else if let Some(k) = self.last.get(slot).copied().flatten() {
            if let Some(prev) = self.runs.get_mut(&k) {
                merged = extend(k, prev, &mut first_cluster);
                if merged {
                    self.max_len = self.max_len.max(u64::from(prev.len));
                }
            }
        }
        if !merged {
            // The key is given now, so the tree's order does not depend on when
            // pending runs are flushed (stepped and whole scans agree).
            let key = (start, self.seq);
            self.seq += 1;
            let new = Some((key, Run { len, id, logical, kind, flags }));
            if let Some(p) = self.pending.get_mut(slot) {
                if let Some((k, r)) = core::mem::replace(p, new) {
                    self.runs.insert(k, r);
                    if let Some(l) = self.last.get_mut(slot) {
                        *l = Some(k);
                    }
                }
            }
            self.max_len = self.max_len.max(u64::from(len));
        }
        self.mark(first_cluster, (end - 1) / self.ratio + 1);
    }

    /// Move pending runs into the tree (queries only look there).
    fn flush(&mut self) {
        self.flush_pending();
        self.runs.compact();
    }

    /// Sort the runs added since the last look into the query structure. Queries
    /// are right without it but slower (they sort what they need of the rest).
    pub fn compact(&mut self) {
        self.flush();
    }

    fn flush_pending(&mut self) {
        for slot in 0..KIND_COUNT {
            if let Some((k, r)) = self.pending.get_mut(slot).and_then(|p| p.take()) {
                self.runs.insert(k, r);
                if let Some(l) = self.last.get_mut(slot) {
                    *l = Some(k);
                }
            }
        }
    }

    /// Does a claim continue `prev` (same owner, next logical block)?
    fn continues(prev: &Run, kind: OwnerKind, id: u32, logical: u32, itb: u32) -> bool {
        match kind {
            OwnerKind::BlockBitmap | OwnerKind::InodeBitmap => prev.id.checked_add(prev.len) == Some(id),
            OwnerKind::InodeTable => {
                // `logical` is the run's offset in blocks from the start of group
                // `id`'s table.
                let end = prev.logical.saturating_add(prev.len);
                logical == 0 && end.is_multiple_of(itb) && prev.id.checked_add(end / itb) == Some(id)
            }
            OwnerKind::ExtentTree
            | OwnerKind::Ind
            | OwnerKind::Dind
            | OwnerKind::Tind
            | OwnerKind::Xattr
            | OwnerKind::Superblock
            | OwnerKind::GroupDescriptors
            | OwnerKind::ReservedGdt
            | OwnerKind::Mmp
            | OwnerKind::BootBlock
            | OwnerKind::Free => false,
            _ => prev.id == id && prev.logical.checked_add(prev.len) == Some(logical),
        }
    }

    /// Set clusters `[a, b)` claimed; those already claimed become candidates.
    fn mark(&mut self, a: u64, b: u64) {
        let b = b.min(self.claimed.len);
        if a >= b {
            return;
        }
        let mut w = a / 64;
        while w * 64 < b {
            let m = Bits::mask(w, a, b);
            let old = self.claimed.or_word(w, m);
            if old != 0 {
                self.multi.or_word(w, old);
            }
            w += 1;
        }
    }

    /// Runs that may contain `block`, newest first (walks back at most `max_len`).
    fn runs_at(&self, block: u64, all: bool) -> Vec<(RunKey, Run)> {
        let mut out = Vec::new();
        let c = block / self.ratio;
        if !self.claimed.get(c) {
            return out;
        }
        let lo_cluster = c * self.ratio;
        let hi_cluster = lo_cluster + self.ratio; // exclusive
        let floor = lo_cluster.saturating_sub(self.max_len);
        for (k, r) in self.runs.covering(floor, (hi_cluster, 0)) {
            let end = k.0 + u64::from(r.len);
            if end > lo_cluster {
                out.push((k, r));
                if !all {
                    break;
                }
            }
        }
        out
    }

    fn owner_from_run(&self, fs: &Fs, key: RunKey, r: &Run, at: u64, span: Option<(u64, u64)>) -> Owner {
        let (first_block, blocks) = span.unwrap_or((key.0, u64::from(r.len)));
        let off = at.saturating_sub(key.0);
        let off32 = u32::try_from(off).unwrap_or(u32::MAX);
        let mut o = Owner {
            kind: r.kind,
            inode: None,
            logical: None,
            group: None,
            first_block,
            blocks,
            detail: String::new(),
        };
        match r.kind {
            OwnerKind::BlockBitmap | OwnerKind::InodeBitmap => {
                let g = r.id.saturating_add(off32);
                o.group = Some(g);
                o.detail = format!(
                    "{} of group {g}",
                    if r.kind == OwnerKind::BlockBitmap { "block bitmap" } else { "inode bitmap" }
                );
            }
            OwnerKind::InodeTable => {
                let itb = self.inode_table_blocks;
                let off32 = off32.saturating_add(r.logical);
                let g = r.id.saturating_add(off32 / itb);
                let idx = off32 % itb;
                let per = (self.block_size / self.inode_size.max(1)).max(1);
                let first = u64::from(g) * u64::from(self.inodes_per_group) + u64::from(idx * per) + 1;
                let last = first + u64::from(per) - 1;
                o.group = Some(g);
                o.logical = Some(u64::from(idx));
                o.detail = format!("inode table of group {g}, block {idx}: inodes {first}-{last}");
            }
            _ if r.kind.is_layout() => {
                let d = layout_owners(fs, at);
                if let Some(x) = d.into_iter().find(|x| x.kind == r.kind) {
                    o.group = x.group;
                    o.inode = x.inode;
                    o.detail = x.detail;
                }
            }
            OwnerKind::Xattr => {
                o.inode = Some(r.id);
                let u = self.xattr.get(&key.0);
                let refs = u.map(|u| u.refs).unwrap_or(1);
                o.detail = match u.and_then(|u| u.refcount) {
                    Some(rc) => format!(
                        "extended attribute block, refcount {rc}, referenced by {refs} inode(s) (first: inode {})",
                        r.id
                    ),
                    None => format!("extended attribute block of inode {}", r.id),
                };
            }
            k if k.is_block_map() => {
                o.inode = Some(r.id);
                o.logical = Some(u64::from(r.logical));
                o.detail = match k {
                    OwnerKind::ExtentTree => {
                        format!("extent tree block of inode {} (level {})", r.id, r.logical)
                    }
                    OwnerKind::Ind => format!("indirect block of inode {}", r.id),
                    OwnerKind::Dind => format!("double indirect block of inode {}", r.id),
                    _ => format!("triple indirect block of inode {}", r.id),
                };
            }
            _ => {
                o.inode = Some(r.id);
                let lg = u64::from(r.logical) + off;
                o.logical = Some(lg);
                let what = match r.kind {
                    OwnerKind::Journal => "journal",
                    OwnerKind::DirData => "directory block",
                    OwnerKind::SymlinkData => "symlink target",
                    OwnerKind::ResizeInode => "resize inode block",
                    OwnerKind::Quota => "quota file",
                    OwnerKind::OrphanFile => "orphan file",
                    OwnerKind::BadBlocks => "bad block list",
                    OwnerKind::BootLoader => "boot loader",
                    OwnerKind::ReservedInode => "reserved inode data",
                    OwnerKind::OtherData => "data of a special file",
                    _ => "file data",
                };
                let unwritten = if r.flags & RUN_UNWRITTEN != 0 { " (unwritten)" } else { "" };
                o.detail = format!("{what}: inode {} logical block {lg}{unwritten}", r.id);
            }
        }
        o
    }

    /// Illegal multiply-claimed ranges found so far (complete after the resolve phase).
    pub fn multiply_claimed(&self) -> &[MultiplyClaimed] {
        &self.dups
    }

    /// The kind of each block in `[start, start + count)`, at most 1 Mi blocks; the
    /// first claim recorded wins where several claim a block.
    pub fn kinds(&self, start: u64, count: u64) -> Vec<OwnerKind> {
        let count = count.min(1 << 20).min(self.blocks_count.saturating_sub(start));
        let mut out = vec![OwnerKind::Free; count as usize];
        let end = start + count;
        for (k, r) in self.runs.range((start.saturating_sub(self.max_len), 0), (end, 0)) {
            let a = k.0.max(start);
            let b = (k.0 + u64::from(r.len)).min(end);
            for i in a..b {
                if let Some(x) = out.get_mut((i - start) as usize) {
                    if *x == OwnerKind::Free {
                        *x = r.kind;
                    }
                }
            }
        }
        out
    }

    /// Runs of one kind in `[start, end)`, free runs included, at most `max` runs
    /// (the rest of the range is then left out; check the last run's end).
    pub fn kind_runs(&self, start: u64, end: u64, max: usize) -> Vec<KindRun> {
        let end = end.min(self.blocks_count);
        let mut out: Vec<KindRun> = Vec::new();
        let mut pos = start;
        let push = |out: &mut Vec<KindRun>, s: u64, e: u64, kind: OwnerKind| {
            if e <= s {
                return;
            }
            if let Some(l) = out.last_mut() {
                if l.kind == kind && l.start + l.len == s {
                    l.len += e - s;
                    return;
                }
            }
            out.push(KindRun { start: s, len: e - s, kind });
        };
        for (k, r) in self.runs.range((start.saturating_sub(self.max_len), 0), (end, 0)) {
            if out.len() >= max {
                break;
            }
            let a = k.0.max(pos);
            let b = (k.0 + u64::from(r.len)).min(end);
            if b <= a {
                continue;
            }
            push(&mut out, pos, a, OwnerKind::Free);
            push(&mut out, a, b, r.kind);
            pos = b;
        }
        if out.len() < max {
            push(&mut out, pos, end, OwnerKind::Free);
        }
        out.truncate(max);
        out
    }

    /// A summary of `[start, end)` in at most `max_buckets` (at most
    /// [`MAX_BUCKETS`]) buckets of at least one block each: enough to draw the whole disk, or any zoom of it, from a bounded
    /// message.
    pub fn summary(&self, start: u64, end: u64, max_buckets: u32) -> MapSummary {
        let end = end.min(self.blocks_count);
        let start = start.min(end);
        let span = end - start;
        let nb = u64::from(max_buckets.clamp(1, MAX_BUCKETS));
        let per = span.div_ceil(nb).max(1);
        let n = span.div_ceil(per) as usize;
        let mut counts: Vec<[u32; KIND_COUNT]> = vec![[0; KIND_COUNT]; n];
        let mut kinds = vec![0u32; n];
        for (k, r) in self.runs.range((start.saturating_sub(self.max_len), 0), (end, 0)) {
            let a = k.0.max(start);
            let b = (k.0 + u64::from(r.len)).min(end);
            let mut x = a;
            while x < b {
                let i = ((x - start) / per) as usize;
                let bucket_end = start + (i as u64 + 1) * per;
                let y = b.min(bucket_end);
                if let (Some(c), Some(m)) = (counts.get_mut(i), kinds.get_mut(i)) {
                    let slot = &mut c[r.kind as usize];
                    *slot = slot.saturating_add((y - x) as u32);
                    *m |= 1 << (r.kind as u32);
                }
                x = y;
            }
        }
        let mut buckets = Vec::with_capacity(n);
        for i in 0..n {
            let a = start + i as u64 * per;
            let b = (a + per).min(end);
            let (ca, cb) = (a / self.ratio, (b - 1) / self.ratio + 1);
            let used = (self.claimed.count_range(ca, cb) * self.ratio).min(b - a);
            let c = counts.get(i).copied().unwrap_or([0; KIND_COUNT]);
            let mut dominant = OwnerKind::Free;
            let mut best = 0;
            for (k, &v) in c.iter().enumerate() {
                if v > best {
                    best = v;
                    dominant = OwnerKind::from_code(k as u8);
                }
            }
            let dup_i = self.dups.partition_point(|d| d.start + d.len <= a);
            let diff_i = self.diffs.partition_point(|d| d.start + d.len <= a);
            buckets.push(MapBucket {
                dominant,
                used,
                kinds: kinds.get(i).copied().unwrap_or(0),
                multiply_claimed: self.dups.get(dup_i).is_some_and(|d| d.start < b),
                bitmap_difference: self.diffs.get(diff_i).is_some_and(|d| d.start < b),
            });
        }
        MapSummary { start, end, blocks_per_bucket: per, buckets }
    }

    /// Blocks claimed per kind (a block claimed twice counts twice).
    pub fn blocks_by_kind(&self) -> Vec<KindCount> {
        let mut c = [0u64; KIND_COUNT];
        for (_, r) in self.runs.iter() {
            c[r.kind as usize] += u64::from(r.len);
        }
        c.iter()
            .enumerate()
            .filter(|(_, &n)| n > 0)
            .map(|(k, &n)| KindCount { kind: OwnerKind::from_code(k as u8), blocks: n })
            .collect()
    }

    /// Clusters claimed by anything.
    pub fn owned_clusters(&self) -> u64 {
        self.claimed.count_range(0, self.claimed.len)
    }

    /// Find every owner of the clusters claimed twice and keep the illegal ranges
    /// (e2fsck's pass 1B, over the recorded runs instead of the inode tables).
    fn resolve(&mut self, fs: &Fs) {
        self.dups.clear();
        self.dup_blocks = 0;
        if self.multi.is_empty() {
            return;
        }
        let r = self.ratio;
        // Pieces: the parts of runs that lie on candidate clusters.
        struct Piece {
            c0: u64,
            c1: u64,
            key: RunKey,
            run: Run,
        }
        let mut pieces: Vec<Piece> = Vec::new();
        for (k, run) in self.runs.iter() {
            let c_first = k.0 / r;
            let c_end = (k.0 + u64::from(run.len) - 1) / r + 1;
            let mut c = c_first;
            while let Some(s) = self.multi.next_set(c, c_end) {
                let e = self.multi.next_clear(s, c_end);
                pieces.push(Piece { c0: s, c1: e, key: *k, run: *run });
                c = e;
            }
        }
        pieces.sort_unstable_by_key(|p| (p.c0, p.key));
        let mut by_key: Vec<(RunKey, Run)> = pieces.iter().map(|p| (p.key, p.run)).collect();
        by_key.sort_unstable_by_key(|e| e.0);
        by_key.dedup_by_key(|e| e.0);
        // Sweep over piece boundaries: intervals with a constant set of claims.
        let mut bounds: Vec<u64> = pieces.iter().flat_map(|p| [p.c0, p.c1]).collect();
        bounds.sort_unstable();
        bounds.dedup();
        let mut active: Vec<usize> = Vec::new();
        let mut next = 0usize;
        let mut ranges: Vec<(u64, u64, Vec<RunKey>)> = Vec::new();
        for w in bounds.windows(2) {
            let (x, y) = (w[0], w[1]);
            active.retain(|&i| pieces.get(i).is_some_and(|p| p.c1 > x));
            while let Some(p) = pieces.get(next) {
                if p.c0 > x {
                    break;
                }
                if p.c1 > x {
                    active.push(next);
                }
                next += 1;
            }
            if active.len() < 2 {
                continue;
            }
            let mut keys: Vec<RunKey> = active.iter().filter_map(|&i| pieces.get(i).map(|p| p.key)).collect();
            keys.sort_unstable();
            keys.dedup();
            match ranges.last_mut() {
                Some(last) if last.1 == x && last.2 == keys => last.1 = y,
                _ => ranges.push((x, y, keys)),
            }
        }
        let severity = if self.shared_blocks { Severity::Info } else { Severity::Error };
        for (c0, c1, keys) in ranges {
            let b0 = c0 * r;
            let b1 = (c1 * r).min(self.blocks_count);
            // Pieces are few (only parts of runs on candidate clusters): find the
            // runs there, not in the whole store (whose tail may be unsorted).
            let runs: Vec<(RunKey, Run)> = keys
                .iter()
                .filter_map(|k| {
                    by_key.binary_search_by_key(k, |e| e.0).ok().and_then(|i| by_key.get(i)).copied()
                })
                .collect();
            if r > 1 && Self::legal_cluster_share(&runs, b0, b1) {
                self.multi.clear_range(c0, c1);
                continue;
            }
            self.dup_blocks += b1 - b0;
            if self.dups.len() >= MAX_LISTED {
                continue;
            }
            let owners = runs
                .iter()
                .take(64)
                .map(|(k, run)| {
                    let s = k.0.max(b0);
                    let e = (k.0 + u64::from(run.len)).min(b1);
                    self.owner_from_run(fs, *k, run, s, Some((s, e.saturating_sub(s))))
                })
                .collect();
            self.dups.push(MultiplyClaimed { start: b0, len: b1 - b0, owners, severity });
        }
    }

    /// Bigalloc: claims on one cluster are legal when they claim different blocks
    /// and come only from layout metadata, or only from one inode.
    fn legal_cluster_share(runs: &[(RunKey, Run)], b0: u64, b1: u64) -> bool {
        let mut spans: Vec<(u64, u64)> = runs
            .iter()
            .map(|(k, r)| (k.0.max(b0), (k.0 + u64::from(r.len)).min(b1)))
            .filter(|(a, b)| a < b)
            .collect();
        spans.sort_unstable();
        if spans.windows(2).any(|w| w[1].0 < w[0].1) {
            return false;
        }
        let all_layout = runs.iter().all(|(_, r)| r.kind.is_layout());
        // The inode a claim belongs to: reserved GDT blocks are the resize inode's.
        let inode_of = |r: &Run| match r.kind {
            OwnerKind::ReservedGdt => Some(RESIZE_INO),
            OwnerKind::Xattr => None,
            k if k.is_layout() => None,
            _ => Some(r.id),
        };
        let first = runs.first().and_then(|(_, r)| inode_of(r));
        let one_inode = first.is_some() && runs.iter().all(|(_, r)| inode_of(r) == first);
        all_layout || one_inode
    }
}

// ---------------------------------------------------------------------------
// Layout metadata, computed without a scan
// ---------------------------------------------------------------------------

/// Claims that follow from the superblock and the descriptors, for one block.
fn layout_owners(fs: &Fs, block: u64) -> Vec<Owner> {
    let geo = &fs.geo;
    let mut v = Vec::new();
    let one = |kind, group: Option<u32>, first_block, blocks, detail: String| Owner {
        kind,
        inode: None,
        logical: None,
        group,
        first_block,
        blocks,
        detail,
    };
    if block == 0 && geo.block_size == 1024 && fs.geo.group_head(0).superblock != Some(0) {
        v.push(one(
            OwnerKind::BootBlock,
            None,
            0,
            1,
            String::from("boot block (block 0 of a 1 KiB-block file system, before the superblock)"),
        ));
    }
    if let Some(g) = geo.group_of_block(block) {
        let head = geo.group_head(g);
        let which = if g == 0 { "primary" } else { "backup" };
        if head.superblock == Some(block) {
            v.push(one(OwnerKind::Superblock, Some(g), block, 1, format!("{which} superblock (group {g})")));
        }
        if let Some((s, n)) = head.gdt {
            if block >= s && block - s < n {
                let meta_bg = geo.features.incompat(INCOMPAT_META_BG);
                let i = if meta_bg && g >= geo.first_meta_bg.saturating_mul(geo.descs_per_block) {
                    u64::from(g / geo.descs_per_block.max(1))
                } else {
                    block - s
                };
                let first = i * u64::from(geo.descs_per_block);
                let last = (first + u64::from(geo.descs_per_block)).min(u64::from(geo.groups_count)) - 1;
                let copy = if g == 0 || (meta_bg && g % geo.descs_per_block.max(1) == 0) {
                    "primary"
                } else {
                    "backup"
                };
                v.push(one(
                    OwnerKind::GroupDescriptors,
                    Some(g),
                    s,
                    n,
                    format!("group descriptors of groups {first}-{last} ({copy} copy in group {g})"),
                ));
            }
        }
        if let Some((s, n)) = head.reserved_gdt {
            if block >= s && block - s < n {
                let mut o = one(
                    OwnerKind::ReservedGdt,
                    Some(g),
                    s,
                    n,
                    format!("reserved GDT block {} ({which} copy in group {g})", block - s),
                );
                if geo.features.compat(COMPAT_RESIZE_INODE) {
                    o.inode = Some(RESIZE_INO);
                    o.detail.push_str(", mapped by the resize inode (7)");
                }
                v.push(o);
            }
        }
    }
    let itb = u64::from(geo.inode_table_blocks);
    for gr in fs.groups() {
        let g = gr.index;
        if gr.block_bitmap == block {
            v.push(one(OwnerKind::BlockBitmap, Some(g), block, 1, format!("block bitmap of group {g}")));
        }
        if gr.inode_bitmap == block {
            v.push(one(OwnerKind::InodeBitmap, Some(g), block, 1, format!("inode bitmap of group {g}")));
        }
        if block >= gr.inode_table && block - gr.inode_table < itb {
            let idx = block - gr.inode_table;
            let per = u64::from(geo.block_size / geo.inode_size.max(1)).max(1);
            let first = u64::from(g) * u64::from(geo.inodes_per_group) + idx * per + 1;
            let mut o = one(
                OwnerKind::InodeTable,
                Some(g),
                gr.inode_table,
                itb,
                format!("inode table of group {g}, block {idx}: inodes {first}-{}", first + per - 1),
            );
            o.logical = Some(idx);
            v.push(o);
        }
    }
    if let Some(m) = mmp_block(fs) {
        if m == block {
            v.push(one(OwnerKind::Mmp, None, m, 1, String::from("multi-mount protection block")));
        }
    }
    v
}

fn mmp_block(fs: &Fs) -> Option<u64> {
    let m = fs.sb.s_mmp_block;
    (fs.features().incompat(INCOMPAT_MMP) && m > 0 && m < fs.geo.blocks_count).then_some(m)
}

/// The resize inode.
pub const RESIZE_INO: u32 = 7;

/// Is `block` a reserved GDT block (primary or backup)?
fn is_reserved_gdt(fs: &Fs, block: u64) -> bool {
    let Some(g) = fs.geo.group_of_block(block) else { return false };
    fs.geo.group_head(g).reserved_gdt.is_some_and(|(s, n)| block >= s && block - s < n)
}

impl Fs {
    /// Who claims `block`. Without `map` (or with an unfinished one) only layout
    /// metadata is known, computed from the superblock and descriptors; with a
    /// finished scan's map, inode claims too.
    pub fn owner_of(&self, block: u64, map: Option<&OwnershipMap>) -> Result<OwnerReport> {
        if block >= self.geo.blocks_count {
            return Err(Error::Io(IoError {
                offset: block.saturating_mul(u64::from(self.geo.block_size)),
                len: u64::from(self.geo.block_size),
                message: format!(
                    "block {block} is outside the file system (blocks 0-{})",
                    self.geo.blocks_count - 1
                ),
            }));
        }
        let ratio = u64::from(self.geo.cluster_ratio.max(1));
        let cluster = block / ratio;
        let group = self.geo.group_of_block(block);
        // With bigalloc every block of the cluster counts.
        let c0 = cluster * ratio;
        let c1 = (c0 + ratio).min(self.geo.blocks_count);
        let mut owners: Vec<Owner> = Vec::new();
        for b in c0..c1 {
            for o in layout_owners(self, b) {
                if !owners
                    .iter()
                    .any(|x| x.kind == o.kind && x.first_block == o.first_block && x.group == o.group)
                {
                    owners.push(o);
                }
            }
        }
        if let Some(m) = map {
            let mut found = m.runs_at(block, true);
            found.sort_unstable_by_key(|(k, _)| *k);
            for (k, r) in found {
                if r.kind.is_layout() {
                    continue;
                }
                let at = block.clamp(k.0, k.0 + u64::from(r.len) - 1);
                owners.push(m.owner_from_run(self, k, &r, at, None));
            }
        }
        let multiply_claimed = match map {
            // After the resolve phase, `multi` holds exactly the illegal clusters
            // (legal bigalloc sharing was cleared), listed in the report or not.
            Some(m) if m.complete => m.multi.get(cluster),
            _ => {
                // Layout alone: two layout structures on one block (never legal).
                let mut n = 0;
                for o in &owners {
                    if o.first_block <= block && block - o.first_block < o.blocks {
                        n += 1;
                    }
                }
                n > 1
            }
        };
        let bitmap_says_used = group.and_then(|g| {
            let bm = self.block_bitmap(g).ok()?;
            let first = self.geo.group_first_block(g);
            Some(bm.get(u32::try_from((block - first) / ratio).ok()?))
        });
        Ok(OwnerReport {
            block,
            cluster,
            group,
            owners,
            multiply_claimed,
            shared_blocks: self.features().ro_compat(RO_COMPAT_SHARED_BLOCKS),
            bitmap_says_used,
            scan_complete: map.is_some_and(|m| m.complete),
        })
    }

    /// Scan the whole file system, calling `progress` now and then; it returns
    /// false to cancel (then `None`).
    pub fn scan(&self, progress: &mut dyn FnMut(Progress) -> bool) -> Option<(OwnershipMap, ScanReport)> {
        let mut s = Scanner::new(self);
        if !s.run(self, progress) {
            return None;
        }
        let report = s.report(self);
        Some((s.into_map(), report))
    }
}

// ---------------------------------------------------------------------------
// The scanner
// ---------------------------------------------------------------------------

/// Inode-table bytes read per host read: coalesced, bounded, and small enough
/// that the allocator reuses the buffer instead of mapping fresh pages each time.
const ITABLE_CHUNK_BYTES: u64 = 1 << 16;

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
    /// The record of the inode being claimed, reused from inode to inode.
    record: Vec<u8>,
    /// e2fsck's pass 1 selection (see [`Scanner::for_check`]).
    check_mode: bool,
}

/// Sees every inode a [`Scanner`] decodes (the checker's pass 1 rides on the
/// ownership scan instead of walking the inode tables a second time).
pub(crate) trait InodeVisitor {
    /// `inode` was decoded. `map` is its block map when the scan claimed its
    /// blocks (`None`: the inode is not in use, nothing was claimed).
    /// `in_bitmap`: the inode bitmap marks it in use.
    fn visit(&mut self, fs: &Fs, inode: &Inode, map: Option<&MapBuilder>, in_bitmap: bool);
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
            record: Vec::new(),
            check_mode: false,
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
        s
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
                let read = if start.checked_add(n).is_some_and(|e| e <= fs.geo.blocks_count) {
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
            // copy the record into the reused record buffer.
            let mut record = core::mem::take(&mut self.record);
            record.clear();
            record.extend_from_slice(raw);
            let in_bitmap = cur.bits.get((i / 8) as usize).is_some_and(|b| b >> (i % 8) & 1 != 0);
            self.claim_inode(fs, ino, record, blk_no, off, in_bitmap, visitor);
            self.inodes_scanned += 1;
            *left = left.saturating_sub(1);
        }
    }

    /// Read group `g`'s inode bitmap and decide which inodes to look at.
    fn open_group(&mut self, fs: &Fs, g: u32) -> Option<GroupCursor> {
        let gr = fs.group(g).ok()?;
        let csum = fs.sb.has_metadata_csum() || fs.features().ro_compat(RO_COMPAT_GDT_CSUM);
        if csum && gr.flags & BG_INODE_UNINIT != 0 {
            return None;
        }
        let ipg = fs.geo.inodes_per_group;
        let limit = if csum { ipg.saturating_sub(gr.itable_unused) } else { ipg };
        let bm = match fs.inode_bitmap(g) {
            Ok(b) => b,
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
        ino: u32,
        raw: Vec<u8>,
        blk: u64,
        off: usize,
        in_bitmap: bool,
        visitor: &mut dyn InodeVisitor,
    ) {
        let at = Location::block(blk, fs.geo.block_size, off).with_inode(ino);
        let inode = Inode::from_bytes(fs, ino, raw, at);
        if self.check_mode && ino >= self.roles.first_ino && inode.links() == 0 {
            // Not in use for e2fsck: nothing claimed (pass 5 reports the bitmap).
            visitor.visit(fs, &inode, None, in_bitmap);
        } else {
            self.claim_decoded(fs, &inode, blk, at, in_bitmap, visitor);
        }
        // Hand the record's buffer back for the next inode.
        self.record = inode.bytes;
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
        map.problems.clear();
        map.unlisted = 0;
        match fs.map_kind(inode) {
            MapKind::Extents => crate::format::extent::walk(fs, inode, &mut map),
            MapKind::Indirect => crate::format::indirect::walk(fs, inode, &mut map),
            MapKind::Inline => crate::format::inline::describe(fs, inode, &mut map),
            MapKind::None => {}
        }
        self.claim_map(fs, ino, kind, &map, blk, at);
        visitor.visit(fs, inode, Some(&map), in_bitmap);
        self.builder = map;
        let acl = inode.file_acl();
        if acl != 0 {
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
            if ino == RESIZE_INO {
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

    #[test]
    fn bitset_ranges() {
        let mut b = Bits::new(200_000);
        for w in 0..3 {
            b.or_word(w, u64::MAX);
        }
        assert_eq!(b.count_range(0, 200_000), 192);
        assert_eq!(b.count_range(10, 130), 120);
        assert_eq!(b.next_set(192, 200_000), None);
        assert_eq!(b.next_clear(5, 200_000), 192);
        assert_eq!(b.bits64(190), 0b11);
        b.clear_range(64, 128);
        assert_eq!(b.count_range(0, 200_000), 128);
        assert!(!b.get(100) && b.get(130));
        assert!(b.next_set(64, 128).is_none());
    }
}
