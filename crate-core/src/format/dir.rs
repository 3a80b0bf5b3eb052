//! Directories: linear directory blocks (`ext4_dir_entry_2`), the checksum tail
//! (`ext4_dir_entry_tail`), deleted entries hidden in the slack after a short
//! entry, inline directories, and [`Fs::read_dir`], which lists any directory
//! (linear, hashed or inline) the way debugfs `ls` walks it: every mapped block
//! in logical order, every entry in the `rec_len` chain (unused entries with
//! inode 0 included), the checksum tail left out.
//!
//! A block is a chain of entries: inode (le32), `rec_len` (le16, the distance
//! to the next entry), `name_len` (u8), `file_type` (u8, meaningful with
//! `INCOMPAT_FILETYPE`; e2fsprogs and the kernel read the byte either way),
//! then the name, padded to 4 bytes. The last entry reaches the end of the
//! block, or the 12-byte tail when the file system has metadata_csum: inode 0,
//! `rec_len` 12, `name_len` 0, `file_type` 0xDE, then the crc32c of the block
//! up to the tail, seeded with the file system seed, the directory's inode
//! number and its generation.
//!
//! With 64 KiB blocks `rec_len` cannot hold 65536: the low two bits (always
//! zero in a real length) carry bits 16-17, and 0 or 65535 mean 65536.
//!
//! Corrupt entries (`rec_len` below 12 or not a multiple of 4, running past the
//! block, too short for the name) end the walk of that block with a problem
//! naming the block and byte offset; the other blocks are still read.

use alloc::collections::BTreeSet;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

use crate::checksum::Crc32c;
use crate::disk_struct;
use crate::error::{Error, Location, Problem, Result, Severity};
use crate::format::features::{COMPAT_DIR_INDEX, INCOMPAT_FILETYPE};
use crate::format::group_desc::{ChecksumKind, ChecksumStatus};
use crate::format::htree::{self, Htree};
use crate::format::inode::{FileType, Inode, INDEX_FL, INLINE_DATA_FL, I_BLOCK_LEN, I_BLOCK_OFFSET};
use crate::format::xattr;
use crate::fs::Fs;

disk_struct! {
    /// `ext4_dir_entry_2`: the fixed part of a directory entry; the name follows.
    pub struct DirEntryHeader, DIR_ENTRY_FIELDS, size = 8 {
        0x0 inode: u32,
        0x4 rec_len: u16,
        0x6 name_len: u8,
        0x7 file_type: u8,
    }
}

disk_struct! {
    /// `ext4_dir_entry_tail`: the last 12 bytes of a leaf block with metadata_csum.
    pub struct DirEntryTail, DIR_TAIL_FIELDS, size = 12 {
        0x0 det_reserved_zero1: u32,
        0x4 det_rec_len: u16,
        0x6 det_reserved_zero2: u8,
        0x7 det_reserved_ft: u8,
        0x8 det_checksum: u32,
    }
}

/// `file_type` of the checksum tail (`EXT4_FT_DIR_CSUM`).
pub const FT_DIR_CSUM: u8 = 0xDE;
/// Size of the checksum tail.
pub const TAIL_SIZE: usize = 12;
/// Smallest valid entry: 8 bytes of header and a 1-byte name, padded.
pub const MIN_REC_LEN: u32 = 12;
/// Longest name (`EXT4_NAME_LEN`).
pub const NAME_LEN_MAX: usize = 255;
/// Most directory blocks listed before giving up (1 GiB of 1 KiB blocks, 4 GiB
/// of 4 KiB blocks; a hostile map can claim far more).
pub const MAX_DIR_BLOCKS: u64 = 1 << 20;
/// Most entries (live and deleted) kept in one listing: about 160 MiB of them.
/// A real directory this large is rare; a hostile map can repeat one block full
/// of 12-byte entries a million times (85 million entries with 1 KiB blocks).
pub const MAX_DIR_ENTRIES: usize = 1 << 21;
/// Blocks mapped past `i_size` that are still read and listed (e2fsprogs
/// lists them all; a hostile map can put millions there).
pub const MAX_PAST_SIZE_BLOCKS: u64 = 64;
/// Most problems kept for one listing; the rest are counted.
pub const MAX_PROBLEMS: usize = 1000;

/// The bytes an entry with a name of `name_len` bytes needs (`EXT4_DIR_REC_LEN`).
pub fn rec_len_needed(name_len: usize) -> u32 {
    ((8 + name_len as u32) + 3) & !3
}

/// Decode an on-disk `rec_len` (`ext4_rec_len_from_disk`).
pub fn rec_len_from_disk(raw: u16, block_size: u32) -> u32 {
    let len = u32::from(raw);
    if block_size < 65536 {
        return len;
    }
    if raw == 0xFFFF || raw == 0 {
        return 1 << 16;
    }
    (len & 0xFFFC) | ((len & 3) << 16)
}

/// The file type names for the `file_type` byte (`EXT4_FT_*`).
pub fn file_type_name(ft: u8) -> &'static str {
    match ft {
        0 => "unknown",
        1 => "regular",
        2 => "directory",
        3 => "character device",
        4 => "block device",
        5 => "fifo",
        6 => "socket",
        7 => "symlink",
        FT_DIR_CSUM => "checksum tail",
        _ => "invalid",
    }
}

/// The `file_type` byte that goes with a file type from `i_mode`.
pub fn file_type_for(t: FileType) -> u8 {
    match t {
        FileType::Regular => 1,
        FileType::Directory => 2,
        FileType::CharDevice => 3,
        FileType::BlockDevice => 4,
        FileType::Fifo => 5,
        FileType::Socket => 6,
        FileType::Symlink => 7,
        FileType::Unknown => 0,
    }
}

/// The file type a `file_type` byte names (the inverse of [`file_type_for`];
/// 0, the checksum tail and invalid bytes are `Unknown`).
pub fn file_type_of(ft: u8) -> FileType {
    match ft {
        1 => FileType::Regular,
        2 => FileType::Directory,
        3 => FileType::CharDevice,
        4 => FileType::BlockDevice,
        5 => FileType::Fifo,
        6 => FileType::Socket,
        7 => FileType::Symlink,
        _ => FileType::Unknown,
    }
}

/// Where an entry was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryRegion {
    /// In a directory block.
    Block,
    /// In `i_block` of an inline directory (offsets count from `i_block`).
    InlineIBlock,
    /// In the `system.data` value of an inline directory (offsets count from the value).
    InlineXattr,
    /// Made up, as e2fsprogs does, for an inline directory's `.` and `..`
    /// (inline directories store only the parent's inode number).
    Synthetic,
}

/// One directory entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirEntry {
    /// Inode number (0: unused entry).
    pub inode: u32,
    /// Decoded record length.
    pub rec_len: u32,
    /// Name length.
    pub name_len: u8,
    /// The `file_type` byte (`EXT4_FT_*`).
    pub file_type: u8,
    /// The name, lossy UTF-8.
    pub name: String,
    /// The name's bytes.
    pub name_bytes: Vec<u8>,
    /// Byte offset of the entry in its block (or inline region).
    pub offset: u32,
    /// Logical block of the directory (block entries).
    pub logical_block: Option<u64>,
    /// Physical block (block entries).
    pub physical_block: Option<u64>,
    /// Absolute byte offset of the entry in the image, when known.
    pub byte: Option<u64>,
    /// Where the entry was found.
    pub region: EntryRegion,
    /// Found in the slack after another entry's name: deleted (debugfs `ls -d`
    /// shows these in `<>`). Not part of the directory.
    pub deleted: bool,
    /// The inode the entry names, when the listing was read with
    /// [`Fs::read_dir_long`] (live entries only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<EntryInode>,
}

/// What `ls -l` shows of the inode an entry names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryInode {
    /// `i_mode`.
    pub mode: u16,
    /// File type from `i_mode`.
    pub file_type: FileType,
    /// Owner.
    pub uid: u32,
    /// Group.
    pub gid: u32,
    /// Size in bytes.
    pub size: u64,
    /// `i_links_count`.
    pub links: u16,
    /// Modification time, seconds since the epoch.
    pub mtime: i64,
    /// Marked in use in the inode bitmap.
    pub in_use: Option<bool>,
}

impl DirEntry {
    /// A live entry: in the `rec_len` chain and pointing to an inode.
    pub fn is_live(&self) -> bool {
        !self.deleted && self.inode != 0
    }
    /// `.` or `..`.
    pub fn is_dot_or_dotdot(&self) -> bool {
        self.name_bytes == b"." || self.name_bytes == b".."
    }
}

/// How a directory stores its entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DirFormat {
    /// Blocks of entries, searched linearly.
    Linear,
    /// Blocks of entries with a hash index (`INDEX_FL`).
    Htree,
    /// Entries in `i_block` and `system.data` (`INLINE_DATA_FL`).
    Inline,
}

/// What a directory block is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DirBlockKind {
    /// Entries.
    Leaf,
    /// The htree root (`.`, `..`, `dx_root_info`, index entries).
    DxRoot,
    /// An interior htree node (a fake empty entry, then index entries).
    DxNode,
    /// Could not be read.
    Unreadable,
}

/// One block of a directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirBlock {
    /// Logical block.
    pub logical: u64,
    /// Physical block.
    pub physical: u64,
    /// What it is.
    pub kind: DirBlockKind,
    /// The leaf tail checksum or the htree node's `dx_tail` checksum.
    pub checksum: ChecksumStatus,
    /// Whether the block has a checksum tail (leaves with metadata_csum).
    pub has_tail: bool,
    /// Entries listed from this block (deleted ones included).
    pub entries: u32,
}

/// A directory's entries and what was found wrong with them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirListing {
    /// The directory's inode.
    pub ino: u32,
    /// How it stores its entries.
    pub format: DirFormat,
    /// `i_size`.
    pub size: u64,
    /// Entries in block order, then offset order (deleted ones marked).
    pub entries: Vec<DirEntry>,
    /// Blocks in logical order (empty for inline directories).
    pub blocks: Vec<DirBlock>,
    /// The hash index, for htree directories.
    pub htree: Option<Htree>,
    /// Problems found.
    pub problems: Vec<Problem>,
}

impl DirListing {
    /// Live entries (not deleted, inode not 0).
    pub fn live(&self) -> impl Iterator<Item = &DirEntry> {
        self.entries.iter().filter(|e| e.is_live())
    }
    /// The live entry named `name`.
    pub fn find(&self, name: &[u8]) -> Option<&DirEntry> {
        self.live().find(|e| e.name_bytes == name)
    }
}

/// How to walk one region of entries.
#[derive(Debug, Clone, Copy)]
pub struct RegionCtx {
    /// The directory's inode.
    pub ino: u32,
    /// Block size, for `rec_len` decoding (a value below 65536 for inline regions).
    pub block_size: u32,
    /// Logical block, for block entries.
    pub logical: Option<u64>,
    /// Physical block, for block entries.
    pub physical: Option<u64>,
    /// Absolute byte of the region's first byte, when known.
    pub base_byte: Option<u64>,
    /// Offset added to reported entry offsets (4 for the entries in `i_block`).
    pub offset_base: u32,
    /// Where the region is.
    pub region: EntryRegion,
    /// Recognise the metadata_csum tail at the end of the region.
    pub csum_tail: bool,
    /// Look for deleted entries in the slack after each entry.
    pub deleted: bool,
    /// Highest valid inode number (`s_inodes_count`).
    pub inodes_count: u32,
}

/// What walking one region found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegionWalk {
    /// Entries, in offset order.
    pub entries: Vec<DirEntry>,
    /// The checksum tail, when recognised.
    pub tail: Option<DirEntryTail>,
    /// Problems.
    pub problems: Vec<Problem>,
}

impl RegionCtx {
    fn at(&self, offset: usize) -> Location {
        let mut l = Location {
            block: self.physical,
            byte: self.base_byte.and_then(|b| b.checked_add(offset as u64)),
            ..Default::default()
        };
        l.inode = Some(self.ino);
        l
    }
    fn where_(&self, offset: usize) -> String {
        match (self.region, self.logical) {
            (EntryRegion::Block, Some(l)) => format!(
                "logical block {l} (block {}) offset {}",
                self.physical.unwrap_or(0),
                offset + self.offset_base as usize
            ),
            (EntryRegion::InlineXattr, _) => {
                format!("system.data offset {}", offset + self.offset_base as usize)
            }
            _ => format!("i_block offset {}", offset + self.offset_base as usize),
        }
    }
}

/// Check that the entries from `start` chain exactly to `end` (used to find
/// deleted entries in slack, as e2fsprogs does for `ls -d`).
/// `budget` counts the entries examined, so a block of hostile slack costs at
/// most a fixed multiple of its size.
fn chain_reaches(b: &[u8], start: usize, end: usize, block_size: u32, budget: &mut usize) -> bool {
    let mut at = start;
    while at < end {
        if *budget == 0 {
            return false;
        }
        *budget -= 1;
        let Some(head) = b.get(at..at + 8) else { return false };
        let h = DirEntryHeader::parse(head);
        let rl = rec_len_from_disk(h.rec_len, block_size) as usize;
        if rl < MIN_REC_LEN as usize
            || !rl.is_multiple_of(4)
            || 8 + usize::from(h.name_len) > rl
            || at.checked_add(rl).is_none_or(|e| e > end)
        {
            return false;
        }
        at += rl;
    }
    at == end
}

/// The metadata_csum tail (`struct ext2_dir_entry_tail`) that ends `b`, if
/// it ends with one (libext2fs' `ext2fs_dirent_has_tail`).
pub fn csum_tail(b: &[u8], block_size: u32) -> Option<DirEntryTail> {
    let len = b.len();
    if len < TAIL_SIZE {
        return None;
    }
    let t = DirEntryTail::parse(&b[len - TAIL_SIZE..]);
    (t.det_reserved_zero1 == 0
        && rec_len_from_disk(t.det_rec_len, block_size) == TAIL_SIZE as u32
        && t.det_reserved_zero2 == 0
        && t.det_reserved_ft == FT_DIR_CSUM)
        .then_some(t)
}

/// Walk the entries of one block (or inline region). Never fails: a corrupt
/// entry ends the walk with a problem.
pub fn walk_region(b: &[u8], ctx: &RegionCtx) -> RegionWalk {
    let mut out = RegionWalk::default();
    let len = b.len();
    let structure = format!("directory {}", ctx.ino);
    // The checksum tail, if the region ends with one.
    let mut end = len;
    if ctx.csum_tail {
        if let Some(t) = csum_tail(b, ctx.block_size) {
            end = len - TAIL_SIZE;
            out.tail = Some(t);
        }
    }
    let mut off = 0usize;
    let mut next_real = 0usize;
    // Entries examined while looking for deleted ones: linear in the block size.
    let mut budget = 4 * len + 64;
    let mut budget_spent = false;
    while off + 8 <= end {
        let h = DirEntryHeader::parse(&b[off..off + 8]);
        let rl = rec_len_from_disk(h.rec_len, ctx.block_size) as usize;
        let name_len = usize::from(h.name_len);
        let deleted = off < next_real;
        let bad = if rl < MIN_REC_LEN as usize {
            Some(format!("rec_len {rl} is smaller than the minimum {MIN_REC_LEN}"))
        } else if !rl.is_multiple_of(4) {
            Some(format!("rec_len {rl} is not a multiple of 4"))
        } else if off + rl > end {
            Some(format!(
                "rec_len {rl} runs past the end of the {} ({} bytes from offset {})",
                if ctx.region == EntryRegion::Block { "block" } else { "inline area" },
                end,
                off + ctx.offset_base as usize
            ))
        } else if 8 + name_len > rl {
            Some(format!("name_len {name_len} does not fit in rec_len {rl}"))
        } else {
            None
        };
        if let Some(m) = bad {
            // Slack candidates were validated, so only the live chain gets here.
            out.problems.push(Problem {
                severity: Severity::Error,
                structure: structure.clone(),
                at: ctx.at(off),
                message: format!(
                    "corrupt entry at {}: {m}; the rest of the {} is skipped",
                    ctx.where_(off),
                    if ctx.region == EntryRegion::Block { "block" } else { "area" }
                ),
            });
            break;
        }
        let name = &b[off + 8..off + 8 + name_len];
        if !deleted {
            check_entry(&h, name, ctx, off, &structure, &mut out.problems);
        }
        out.entries.push(DirEntry {
            inode: h.inode,
            rec_len: rl as u32,
            name_len: h.name_len,
            file_type: h.file_type,
            name: String::from_utf8_lossy(name).into_owned(),
            name_bytes: name.to_vec(),
            offset: (off as u32).saturating_add(ctx.offset_base),
            logical_block: ctx.logical,
            physical_block: ctx.physical,
            byte: ctx.base_byte.and_then(|x| x.checked_add(off as u64)),
            region: ctx.region,
            deleted,
            detail: None,
        });
        if off == next_real {
            next_real += rl;
        }
        let needed = rec_len_needed(name_len) as usize;
        if ctx.deleted && rl > needed {
            // Look for a chain of entries in the slack that ends where this one does.
            let stop = off + rl;
            let mut p = off + needed;
            while p < stop && !chain_reaches(b, p, stop, ctx.block_size, &mut budget) {
                p += 4;
            }
            if budget == 0 && !budget_spent {
                budget_spent = true;
                out.problems.push(Problem {
                    severity: Severity::Info,
                    structure: structure.clone(),
                    at: ctx.at(off),
                    message: format!(
                        "stopped looking for deleted entries at {}: the slack holds too many entry-like bytes",
                        ctx.where_(off)
                    ),
                });
            }
            off = p;
            continue;
        }
        off += rl;
    }
    if off < end && !out.problems.iter().any(|p| p.severity == Severity::Error) {
        out.problems.push(Problem {
            severity: Severity::Error,
            structure,
            at: ctx.at(off),
            message: format!(
                "the entries end at {} with {} bytes left, too few for an entry",
                ctx.where_(off),
                end - off
            ),
        });
    }
    out
}

fn check_entry(
    h: &DirEntryHeader,
    name: &[u8],
    ctx: &RegionCtx,
    off: usize,
    structure: &str,
    problems: &mut Vec<Problem>,
) {
    let mut p = |severity, message: String| {
        problems.push(Problem { severity, structure: String::from(structure), at: ctx.at(off), message })
    };
    if h.inode == 0 {
        return;
    }
    if h.inode > ctx.inodes_count {
        p(
            Severity::Error,
            format!(
                "entry {:?} at {} points to inode {}, past the last inode {}",
                String::from_utf8_lossy(name),
                ctx.where_(off),
                h.inode,
                ctx.inodes_count
            ),
        );
    }
    if name.is_empty() {
        p(Severity::Error, format!("entry at {} for inode {} has an empty name", ctx.where_(off), h.inode));
    } else if name.contains(&b'/') || name.contains(&0) {
        p(
            Severity::Warning,
            format!(
                "entry {:?} at {} has a '/' or NUL byte in its name",
                String::from_utf8_lossy(name),
                ctx.where_(off)
            ),
        );
    }
    if h.file_type > 7 {
        p(
            Severity::Warning,
            format!(
                "entry {:?} at {} has file_type {}, not a known type",
                String::from_utf8_lossy(name),
                ctx.where_(off),
                h.file_type
            ),
        );
    }
}

/// The crc32c seed for a directory's blocks: the file system seed, then the
/// le32 inode number and le32 generation.
pub fn dir_csum_seed(fs: &Fs, ino: u32, generation: u32) -> Crc32c {
    let mut c = Crc32c::new(fs.sb.csum_seed());
    c.update(&ino.to_le_bytes()).update(&generation.to_le_bytes());
    c
}

/// The leaf block checksum: over the block up to the tail.
pub fn leaf_checksum(fs: &Fs, ino: u32, generation: u32, block: &[u8]) -> Option<ChecksumStatus> {
    let len = block.len();
    if len < TAIL_SIZE {
        return None;
    }
    let t = DirEntryTail::parse(&block[len - TAIL_SIZE..]);
    let mut c = dir_csum_seed(fs, ino, generation);
    c.update(&block[..len - TAIL_SIZE]);
    Some(ChecksumStatus::new(ChecksumKind::Crc32c, t.det_checksum, c.value()))
}

impl Fs {
    fn region_ctx(&self, ino: u32, region: EntryRegion) -> RegionCtx {
        RegionCtx {
            ino,
            block_size: self.block_size(),
            logical: None,
            physical: None,
            base_byte: None,
            offset_base: 0,
            region,
            csum_tail: false,
            deleted: true,
            inodes_count: self.sb.s_inodes_count,
        }
    }

    /// List directory `ino`. `Err` only when the inode cannot be read or is not
    /// a directory; corruption in the directory is in the listing's problems.
    pub fn read_dir(&self, ino: u32) -> Result<DirListing> {
        let inode = self.inode(ino)?;
        self.read_dir_inode(&inode)
    }

    /// List the directory `inode`.
    pub fn read_dir_inode(&self, inode: &Inode) -> Result<DirListing> {
        if inode.file_type() != FileType::Directory {
            return Err(Error::corrupt(
                format!("inode {}", inode.ino),
                inode.at,
                format!("inode {} is not a directory (i_mode 0{:o})", inode.ino, inode.mode()),
            ));
        }
        if inode.flags() & INLINE_DATA_FL != 0 {
            return Ok(self.read_inline_dir(inode));
        }
        Ok(self.read_block_dir(inode))
    }

    /// [`Fs::read_dir`] plus the inode of every live entry (mode, owner, size,
    /// mtime, bitmap state), with problems for entries that name an unused or
    /// unreadable inode or whose `file_type` byte disagrees with the inode.
    pub fn read_dir_long(&self, ino: u32) -> Result<DirListing> {
        let mut l = self.read_dir(ino)?;
        let filetype = self.features().incompat(INCOMPAT_FILETYPE);
        let mut problems = Vec::new();
        for e in l.entries.iter_mut().filter(|e| e.is_live()) {
            let at = Location { block: e.physical_block, byte: e.byte, inode: Some(ino), group: None };
            let mut p = |severity, message: String| {
                problems.push(Problem { severity, structure: format!("directory {ino}"), at, message })
            };
            let i = match self.inode(e.inode) {
                Ok(i) => i,
                Err(err) => {
                    p(
                        Severity::Error,
                        format!("entry {:?} names inode {}, which cannot be read: {err}", e.name, e.inode),
                    );
                    continue;
                }
            };
            let in_use = self.inode_in_use(e.inode).ok();
            if in_use == Some(false) {
                p(
                    Severity::Error,
                    format!(
                        "entry {:?} names inode {}, which the inode bitmap marks unused",
                        e.name, e.inode
                    ),
                );
            }
            let want = file_type_for(i.file_type());
            if filetype && e.file_type != 0 && e.file_type != want && e.region != EntryRegion::Synthetic {
                p(
                    Severity::Error,
                    format!(
                        "entry {:?} has file_type {} ({}) but inode {} is a {} (file_type {want})",
                        e.name,
                        e.file_type,
                        file_type_name(e.file_type),
                        e.inode,
                        i.file_type().debugfs_name()
                    ),
                );
            }
            e.detail = Some(EntryInode {
                mode: i.mode(),
                file_type: i.file_type(),
                uid: i.uid(),
                gid: i.gid(),
                size: i.size(),
                links: i.links(),
                mtime: i.mtime().seconds,
                in_use,
            });
        }
        l.problems.extend(problems);
        Ok(l)
    }

    fn read_inline_dir(&self, inode: &Inode) -> DirListing {
        let ino = inode.ino;
        let mut l = DirListing {
            ino,
            format: DirFormat::Inline,
            size: inode.size(),
            entries: Vec::new(),
            blocks: Vec::new(),
            htree: None,
            problems: Vec::new(),
        };
        let ib = inode.i_block();
        let parent = u32::from_le_bytes([ib[0], ib[1], ib[2], ib[3]]);
        let iblock_byte = inode.at.byte.and_then(|b| b.checked_add(I_BLOCK_OFFSET as u64));
        for (name, target, offset) in [(&b"."[..], ino, None), (&b".."[..], parent, Some(0u32))] {
            l.entries.push(DirEntry {
                inode: target,
                rec_len: 0,
                name_len: name.len() as u8,
                file_type: 0,
                name: String::from_utf8_lossy(name).into_owned(),
                name_bytes: name.to_vec(),
                offset: offset.unwrap_or(0),
                logical_block: None,
                physical_block: None,
                byte: offset.and(iblock_byte),
                region: EntryRegion::Synthetic,
                deleted: false,
                detail: None,
            });
        }
        if parent == 0 || parent > self.sb.s_inodes_count {
            l.problems.push(Problem {
                severity: Severity::Error,
                structure: format!("directory {ino}"),
                at: inode.at,
                message: format!("inline directory's parent inode number {parent} is not a valid inode"),
            });
        }
        // The inline area: i_block after the parent, then the system.data value.
        let mut ctx = self.region_ctx(ino, EntryRegion::InlineIBlock);
        ctx.base_byte = iblock_byte.and_then(|b| b.checked_add(4));
        ctx.offset_base = 4;
        // With i_size 60 only i_block holds entries; a larger size continues in system.data.
        let w = walk_region(ib.get(4..I_BLOCK_LEN).unwrap_or(&[]), &ctx);
        l.entries.extend(w.entries);
        l.problems.extend(w.problems);
        let xr = xattr::in_inode(self, inode);
        l.problems.extend(xr.problems.iter().cloned());
        let data = xr.entries.iter().find(|e| e.name_index == xattr::INDEX_SYSTEM && e.suffix == b"data");
        match data {
            Some(e) if !e.value.is_empty() => {
                let mut ctx = self.region_ctx(ino, EntryRegion::InlineXattr);
                ctx.base_byte = e.value_byte;
                let w = walk_region(&e.value, &ctx);
                l.entries.extend(w.entries);
                l.problems.extend(w.problems);
            }
            _ => {}
        }
        let have = I_BLOCK_LEN as u64 + data.map_or(0, |e| e.value.len() as u64);
        if inode.size() > have {
            l.problems.push(Problem {
                severity: Severity::Error,
                structure: format!("directory {ino}"),
                at: inode.at,
                message: format!(
                    "i_size is {} but the inline directory holds only {have} bytes",
                    inode.size()
                ),
            });
        }
        l
    }

    fn read_block_dir(&self, inode: &Inode) -> DirListing {
        let ino = inode.ino;
        let bs = self.block_size();
        let csum = self.sb.has_metadata_csum();
        let map = self.file_map(inode);
        let mut l = DirListing {
            ino,
            format: DirFormat::Linear,
            size: inode.size(),
            entries: Vec::new(),
            blocks: Vec::new(),
            htree: None,
            problems: map.problems.clone(),
        };
        let structure = format!("directory {ino}");
        let size_blocks = inode.size().div_ceil(u64::from(bs));
        if !inode.size().is_multiple_of(u64::from(bs)) {
            l.problems.push(Problem {
                severity: Severity::Warning,
                structure: structure.clone(),
                at: inode.at,
                message: format!("i_size {} is not a multiple of the block size {bs}", inode.size()),
            });
        }
        // The hash index, when the directory has one.
        let indexed = inode.flags() & INDEX_FL != 0;
        let mut index_blocks = BTreeSet::new();
        if indexed {
            if !self.features().compat(COMPAT_DIR_INDEX) {
                l.problems.push(Problem {
                    severity: Severity::Warning,
                    structure: structure.clone(),
                    at: inode.at,
                    message: String::from(
                        "INDEX_FL is set but the file system has no dir_index feature; the kernel reads the directory linearly",
                    ),
                });
            }
            let (tree, problems) = htree::read_tree(self, inode, &map);
            l.problems.extend(problems);
            if let Some(t) = tree {
                index_blocks = t.nodes.iter().map(|n| n.logical).collect();
                l.format = DirFormat::Htree;
                l.htree = Some(t);
            }
        }
        // Every mapped block in logical order, as e2fsprogs iterates them.
        let mut listed = 0u64;
        let mut expect = 0u64;
        let mut past_size = 0u64;
        let mut dropped = 0usize;
        let fs_blocks = self.geo.blocks_count;
        'runs: for run in &map.data {
            if run.logical > expect && expect < size_blocks {
                l.problems.push(Problem {
                    severity: Severity::Error,
                    structure: structure.clone(),
                    at: inode.at,
                    message: format!(
                        "hole in the directory at logical blocks {expect}-{}",
                        run.logical.min(size_blocks) - 1
                    ),
                });
            }
            expect = run.logical_end();
            // Only the part of the run inside the file system can be read.
            let in_range = fs_blocks.saturating_sub(run.physical).min(run.len);
            if in_range < run.len {
                l.problems.push(Problem {
                    severity: Severity::Error,
                    structure: structure.clone(),
                    at: inode.at,
                    message: format!(
                        "logical blocks {}-{} map to blocks {}-{}, outside the file system ({fs_blocks} blocks)",
                        run.logical + in_range,
                        run.logical_end() - 1,
                        run.physical.saturating_add(in_range),
                        run.physical.saturating_add(run.len - 1)
                    ),
                });
            }
            if run.unwritten {
                l.problems.push(Problem {
                    severity: Severity::Error,
                    structure: structure.clone(),
                    at: Location::block(run.physical, bs, 0).with_inode(ino),
                    message: format!(
                        "logical blocks {}-{} are in an unwritten extent (they read as zeros)",
                        run.logical,
                        run.logical_end() - 1
                    ),
                });
            }
            for k in 0..in_range {
                if l.entries.len() >= MAX_DIR_ENTRIES {
                    // First, so that trimming the problem list keeps it.
                    l.problems.insert(0, Problem {
                        severity: Severity::Error,
                        structure: structure.clone(),
                        at: inode.at,
                        message: format!(
                            "listing stopped after {} entries in {listed} blocks (at most {MAX_DIR_ENTRIES} are kept)",
                            l.entries.len()
                        ),
                    });
                    break 'runs;
                }
                if listed >= MAX_DIR_BLOCKS {
                    l.problems.insert(
                        0,
                        Problem {
                            severity: Severity::Error,
                            structure: structure.clone(),
                            at: inode.at,
                            message: format!("listing stopped after {MAX_DIR_BLOCKS} blocks"),
                        },
                    );
                    break 'runs;
                }
                let logical = run.logical + k;
                let physical = run.physical.saturating_add(k);
                if logical >= size_blocks {
                    if past_size == 0 {
                        l.problems.push(Problem {
                            severity: Severity::Warning,
                            structure: structure.clone(),
                            at: inode.at,
                            message: format!(
                                "blocks are mapped past i_size {} (from logical block {logical}); at most {MAX_PAST_SIZE_BLOCKS} of them are listed",
                                inode.size()
                            ),
                        });
                    }
                    past_size += 1;
                    if past_size > MAX_PAST_SIZE_BLOCKS {
                        break 'runs;
                    }
                }
                listed += 1;
                if l.problems.len() > 2 * MAX_PROBLEMS {
                    dropped += l.problems.len() - MAX_PROBLEMS;
                    l.problems.truncate(MAX_PROBLEMS);
                }
                let block = match self.block(physical) {
                    Ok(b) => b,
                    Err(e) => {
                        l.problems.push(Problem {
                            severity: Severity::Error,
                            structure: structure.clone(),
                            at: Location::block(physical, bs, 0).with_inode(ino),
                            message: format!("cannot read logical block {logical} (block {physical}): {e}"),
                        });
                        l.blocks.push(DirBlock {
                            logical,
                            physical,
                            kind: DirBlockKind::Unreadable,
                            checksum: ChecksumStatus::NONE,
                            has_tail: false,
                            entries: 0,
                        });
                        continue;
                    }
                };
                let kind = if l.format == DirFormat::Htree && logical == 0 {
                    DirBlockKind::DxRoot
                } else if index_blocks.contains(&logical) {
                    DirBlockKind::DxNode
                } else {
                    DirBlockKind::Leaf
                };
                let ctx = RegionCtx {
                    ino,
                    block_size: bs,
                    logical: Some(logical),
                    physical: Some(physical),
                    base_byte: physical.checked_mul(u64::from(bs)),
                    offset_base: 0,
                    region: EntryRegion::Block,
                    csum_tail: csum && kind == DirBlockKind::Leaf,
                    deleted: kind == DirBlockKind::Leaf,
                    inodes_count: self.sb.s_inodes_count,
                };
                let w = walk_region(&block, &ctx);
                let checksum = match kind {
                    DirBlockKind::Leaf if csum => match &w.tail {
                        Some(_) => leaf_checksum(self, ino, inode.generation(), &block)
                            .unwrap_or(ChecksumStatus::NONE),
                        None => {
                            l.problems.push(Problem {
                                severity: Severity::Error,
                                structure: structure.clone(),
                                at: Location::block(physical, bs, block.len().saturating_sub(TAIL_SIZE))
                                    .with_inode(ino),
                                message: format!(
                                    "logical block {logical} (block {physical}) has no checksum tail (metadata_csum)"
                                ),
                            });
                            ChecksumStatus::NONE
                        }
                    },
                    DirBlockKind::DxRoot | DirBlockKind::DxNode => l
                        .htree
                        .as_ref()
                        .and_then(|t| t.nodes.iter().find(|n| n.logical == logical))
                        .map_or(ChecksumStatus::NONE, |n| n.checksum),
                    _ => ChecksumStatus::NONE,
                };
                if checksum.ok == Some(false) && kind == DirBlockKind::Leaf {
                    l.problems.push(Problem {
                        severity: Severity::Error,
                        structure: structure.clone(),
                        at: Location::block(physical, bs, block.len().saturating_sub(4)).with_inode(ino),
                        message: format!(
                            "logical block {logical} (block {physical}) checksum does not match (stored 0x{:08x}, computed 0x{:08x})",
                            checksum.stored, checksum.computed
                        ),
                    });
                }
                l.blocks.push(DirBlock {
                    logical,
                    physical,
                    kind,
                    checksum,
                    has_tail: w.tail.is_some(),
                    entries: w.entries.len() as u32,
                });
                l.entries.extend(w.entries);
                l.problems.extend(w.problems);
            }
        }
        if expect < size_blocks && listed < MAX_DIR_BLOCKS {
            l.problems.push(Problem {
                severity: Severity::Error,
                structure: structure.clone(),
                at: inode.at,
                message: format!(
                    "i_size {} covers {size_blocks} blocks but only {expect} are mapped",
                    inode.size()
                ),
            });
        }
        self.check_dots(inode, &mut l);
        if let Some(t) = l.htree.take() {
            let t = htree::check_leaves(self, inode, t, &l.entries, &l.blocks, size_blocks, &mut l.problems);
            l.htree = Some(t);
        }
        if l.problems.len() > MAX_PROBLEMS {
            dropped += l.problems.len() - MAX_PROBLEMS;
            l.problems.truncate(MAX_PROBLEMS);
        }
        if dropped > 0 {
            l.problems.push(Problem {
                severity: Severity::Error,
                structure,
                at: inode.at,
                message: format!("{dropped} more problems not listed"),
            });
        }
        l
    }

    /// `.` and `..` must be the first two entries of the first block.
    fn check_dots(&self, inode: &Inode, l: &mut DirListing) {
        let first: Vec<&DirEntry> =
            l.entries.iter().filter(|e| e.logical_block == Some(0) && !e.deleted).take(2).collect();
        let ok_dot = first.first().is_some_and(|e| e.name_bytes == b"." && e.inode == inode.ino);
        let ok_dotdot = first.get(1).is_some_and(|e| e.name_bytes == b".." && e.inode != 0);
        if l.blocks.first().is_some_and(|b| b.logical == 0) && !(ok_dot && ok_dotdot) {
            l.problems.push(Problem {
                severity: Severity::Warning,
                structure: format!("directory {}", inode.ino),
                at: inode.at,
                message: String::from(
                    "the first block does not start with '.' (this directory) and '..' (its parent)",
                ),
            });
        }
        let filetype = self.features().incompat(INCOMPAT_FILETYPE);
        if !filetype && l.entries.iter().any(|e| e.is_live() && e.file_type != 0) {
            l.problems.push(Problem {
                severity: Severity::Info,
                structure: format!("directory {}", inode.ino),
                at: inode.at,
                message: String::from(
                    "entries have file_type bytes but the file system has no filetype feature (they are ignored)",
                ),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_type_byte_round_trips() {
        for ft in 0..=7u8 {
            assert_eq!(file_type_for(file_type_of(ft)), ft);
        }
        assert_eq!(file_type_of(FT_DIR_CSUM), FileType::Unknown);
    }
    use crate::fields::table_is_contiguous;
    use alloc::vec;

    fn ctx(bs: u32) -> RegionCtx {
        RegionCtx {
            ino: 2,
            block_size: bs,
            logical: Some(0),
            physical: Some(100),
            base_byte: Some(100 * u64::from(bs)),
            offset_base: 0,
            region: EntryRegion::Block,
            csum_tail: true,
            deleted: true,
            inodes_count: 1000,
        }
    }

    /// Write an entry: inode, rec_len, name_len, file_type, name.
    fn put(b: &mut [u8], at: usize, ino: u32, rec_len: u16, ft: u8, name: &[u8]) {
        b[at..at + 4].copy_from_slice(&ino.to_le_bytes());
        b[at + 4..at + 6].copy_from_slice(&rec_len.to_le_bytes());
        b[at + 6] = name.len() as u8;
        b[at + 7] = ft;
        b[at + 8..at + 8 + name.len()].copy_from_slice(name);
    }

    fn names(w: &RegionWalk) -> Vec<(String, u32, bool)> {
        w.entries.iter().map(|e| (e.name.clone(), e.inode, e.deleted)).collect()
    }

    #[test]
    fn field_tables_are_contiguous() {
        assert_eq!(table_is_contiguous(DIR_ENTRY_FIELDS, DirEntryHeader::SIZE), Ok(()));
        assert_eq!(table_is_contiguous(DIR_TAIL_FIELDS, DirEntryTail::SIZE), Ok(()));
    }

    #[test]
    fn rec_len_encoding_for_64k_blocks() {
        assert_eq!(rec_len_from_disk(12, 4096), 12);
        assert_eq!(rec_len_from_disk(0, 4096), 0);
        assert_eq!(rec_len_from_disk(0, 65536), 65536);
        assert_eq!(rec_len_from_disk(0xFFFF, 65536), 65536);
        // 65524 = 0xFFF4 stays; 0x0001 in the low bits adds 65536.
        assert_eq!(rec_len_from_disk(0xFFF4, 65536), 0xFFF4);
        assert_eq!(rec_len_from_disk(0x0005, 65536), 4 | (1 << 16));
    }

    #[test]
    fn block_with_tail_and_deleted_entry() {
        // ".", "..", "a" (which hides a deleted "gone" in its slack), tail.
        let mut b = vec![0u8; 1024];
        put(&mut b, 0, 2, 12, 2, b".");
        put(&mut b, 12, 2, 12, 2, b"..");
        put(&mut b, 24, 12, 1024 - 24 - 12, 1, b"a");
        put(&mut b, 36, 13, 1024 - 36 - 12, 1, b"gone");
        put(&mut b, 1012, 0, 12, FT_DIR_CSUM, b"");
        let w = walk_region(&b, &ctx(1024));
        assert_eq!(
            names(&w),
            [
                (String::from("."), 2, false),
                (String::from(".."), 2, false),
                (String::from("a"), 12, false),
                (String::from("gone"), 13, true),
            ]
        );
        assert!(w.tail.is_some());
        assert!(w.problems.is_empty(), "{:?}", w.problems);
        assert_eq!(w.entries[3].offset, 36);
        assert_eq!(w.entries[3].byte, Some(100 * 1024 + 36));
        // Without slack scanning the deleted entry is not listed.
        let w = walk_region(&b, &RegionCtx { deleted: false, ..ctx(1024) });
        assert_eq!(w.entries.len(), 3);
    }

    #[test]
    fn rec_len_zero_does_not_loop() {
        let mut b = vec![0u8; 1024];
        put(&mut b, 0, 2, 12, 2, b".");
        put(&mut b, 12, 2, 0, 2, b"..");
        let w = walk_region(&b, &ctx(1024));
        assert_eq!(w.entries.len(), 1);
        assert_eq!(w.problems.len(), 1);
        assert!(w.problems[0].message.contains("smaller than the minimum"), "{:?}", w.problems);
        assert_eq!(w.problems[0].at.byte, Some(100 * 1024 + 12));
        // An all-zero block: one problem at offset 0.
        let w = walk_region(&[0u8; 4096], &ctx(4096));
        assert!(w.entries.is_empty());
        assert_eq!(w.problems.len(), 1);
        // With 64 KiB blocks rec_len 0 means 65536, which overruns from offset 12.
        let mut b = vec![0u8; 65536];
        put(&mut b, 0, 2, 12, 2, b".");
        put(&mut b, 12, 2, 0, 2, b"..");
        let w = walk_region(&b, &ctx(65536));
        assert_eq!(w.entries.len(), 1);
        assert!(w.problems[0].message.contains("runs past"), "{:?}", w.problems);
    }

    #[test]
    fn corrupt_entries_are_problems() {
        for (rec_len, name_len, what) in [
            (2000u16, 1u8, "runs past"),
            (14, 1, "multiple of 4"),
            (12, 200, "does not fit"),
            (8, 0, "minimum"),
        ] {
            let mut b = vec![0u8; 1024];
            put(&mut b, 0, 2, 12, 2, b".");
            put(&mut b, 12, 5, rec_len, 1, b"x");
            b[12 + 6] = name_len;
            let w = walk_region(&b, &RegionCtx { csum_tail: false, ..ctx(1024) });
            assert_eq!(w.entries.len(), 1, "{what}");
            assert_eq!(w.problems.len(), 1, "{what}");
            assert!(w.problems[0].message.contains(what), "{what}: {:?}", w.problems);
            assert_eq!(w.problems[0].at.block, Some(100));
        }
    }

    #[test]
    fn garbage_slack_is_not_an_entry() {
        // "a" with slack full of 0xFF: nothing valid chains to the end.
        let mut b = vec![0xFFu8; 1024];
        put(&mut b, 0, 12, 1024, 1, b"a");
        let w = walk_region(&b, &RegionCtx { csum_tail: false, ..ctx(1024) });
        assert_eq!(w.entries.len(), 1);
        assert!(w.problems.is_empty());
    }

    #[test]
    fn hostile_blocks_never_panic() {
        // Every byte pattern of a small region, in a few shapes.
        let mut seed = 0x1234_5678u32;
        for _ in 0..2000 {
            let mut b = vec![0u8; 64];
            for x in b.iter_mut() {
                seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
                *x = (seed >> 16) as u8 & 0x1F;
            }
            let w = walk_region(&b, &RegionCtx { block_size: 64, ..ctx(1024) });
            assert!(w.entries.len() <= 64 / 8);
        }
    }
}
