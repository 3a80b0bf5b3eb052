//! Block ownership: for any block, who claims it.
//!
//! Metadata at fixed places (superblocks, descriptor tables, reserved GDT, bitmaps,
//! inode tables, the MMP block) is computed from the layout and needs no scan:
//! [`Fs::owner_of`](crate::Fs::owner_of) answers for it at once. Blocks that
//! inodes claim (file data, directory blocks, extent tree nodes, indirect blocks,
//! xattr blocks, the journal) are known after a [`Scanner`] has walked the inode
//! tables once.
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

use alloc::string::String;
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

use crate::error::{Location, Problem, Severity};
use crate::io::IoStats;

mod map;
mod scan;
mod store;

pub use map::OwnershipMap;
pub(crate) use scan::InodeVisitor;
pub use scan::Scanner;

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

/// The resize inode.
pub const RESIZE_INO: u32 = 7;

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
