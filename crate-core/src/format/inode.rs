//! Inodes: the 128-byte base record and the extra part (`i_extra_isize`), read
//! from the inode table slot of their group, with the metadata_csum checksum,
//! 64-bit sizes, huge_file block counts, nanosecond timestamps with epoch bits,
//! flags by their kernel names and the orphan chain through `i_dtime`.

use alloc::collections::BTreeSet;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

use crate::checksum::{crc32c, Crc32c};
use crate::disk_struct;
use crate::error::{Error, Location, Problem, Result, Severity};
use crate::fields::{dump_fields, FieldValue};
use crate::filemap::{DataRun, MapKind, MapTree, MetaBlock};
use crate::format::features::{INCOMPAT_LARGEDIR, RO_COMPAT_GDT_CSUM, RO_COMPAT_HUGE_FILE};
use crate::format::group_desc::{ChecksumKind, ChecksumStatus, BG_INODE_UNINIT};
use crate::fs::Fs;
use crate::time::iso8601;

disk_struct! {
    /// The raw inode: the 128-byte base (`ext4_inode` up to `osd2`) and the extra
    /// part that `i_extra_isize` covers. Fields past the record's `i_extra_isize`
    /// (or past a 128-byte record) are not in use; [`Inode`] decodes them only
    /// when they are covered.
    pub struct InodeRaw, INODE_FIELDS, size = 160 {
        0x00 i_mode: u16,
        0x02 i_uid: u16,
        0x04 i_size_lo: u32,
        0x08 i_atime: u32,
        0x0C i_ctime: u32,
        0x10 i_mtime: u32,
        0x14 i_dtime: u32,
        0x18 i_gid: u16,
        0x1A i_links_count: u16,
        0x1C i_blocks_lo: u32,
        0x20 i_flags: u32,
        0x24 l_i_version: u32,
        0x28 i_block: [u8; 60],
        0x64 i_generation: u32,
        0x68 i_file_acl_lo: u32,
        0x6C i_size_high: u32,
        0x70 i_obso_faddr: u32,
        0x74 l_i_blocks_high: u16,
        0x76 l_i_file_acl_high: u16,
        0x78 l_i_uid_high: u16,
        0x7A l_i_gid_high: u16,
        0x7C l_i_checksum_lo: u16,
        0x7E l_i_reserved: u16,
        0x80 i_extra_isize: u16,
        0x82 i_checksum_hi: u16,
        0x84 i_ctime_extra: u32,
        0x88 i_mtime_extra: u32,
        0x8C i_atime_extra: u32,
        0x90 i_crtime: u32,
        0x94 i_crtime_extra: u32,
        0x98 i_version_hi: u32,
        0x9C i_projid: u32,
    }
}

/// Size of the base record (`EXT2_GOOD_OLD_INODE_SIZE`).
pub const GOOD_OLD_INODE_SIZE: usize = 128;
/// Offset of `i_block`.
pub const I_BLOCK_OFFSET: usize = 0x28;
/// Length of `i_block`.
pub const I_BLOCK_LEN: usize = 60;
/// Offset of `l_i_checksum_lo`.
pub const CHECKSUM_LO_OFFSET: usize = 0x7C;
/// Offset of `i_checksum_hi`.
pub const CHECKSUM_HI_OFFSET: usize = 0x82;

/// The root directory.
pub const ROOT_INO: u32 = 2;

/// `i_flags` bits, named as the kernel names them.
pub const INODE_FLAGS: &[(u32, &str)] = &[
    (0x0000_0001, "SECRM_FL"),
    (0x0000_0002, "UNRM_FL"),
    (0x0000_0004, "COMPR_FL"),
    (0x0000_0008, "SYNC_FL"),
    (0x0000_0010, "IMMUTABLE_FL"),
    (0x0000_0020, "APPEND_FL"),
    (0x0000_0040, "NODUMP_FL"),
    (0x0000_0080, "NOATIME_FL"),
    (0x0000_0100, "DIRTY_FL"),
    (0x0000_0200, "COMPRBLK_FL"),
    (0x0000_0400, "NOCOMPR_FL"),
    (0x0000_0800, "ENCRYPT_FL"),
    (0x0000_1000, "INDEX_FL"),
    (0x0000_2000, "IMAGIC_FL"),
    (0x0000_4000, "JOURNAL_DATA_FL"),
    (0x0000_8000, "NOTAIL_FL"),
    (0x0001_0000, "DIRSYNC_FL"),
    (0x0002_0000, "TOPDIR_FL"),
    (0x0004_0000, "HUGE_FILE_FL"),
    (0x0008_0000, "EXTENTS_FL"),
    (0x0010_0000, "VERITY_FL"),
    (0x0020_0000, "EA_INODE_FL"),
    (0x0200_0000, "DAX_FL"),
    (0x1000_0000, "INLINE_DATA_FL"),
    (0x2000_0000, "PROJINHERIT_FL"),
    (0x4000_0000, "CASEFOLD_FL"),
    (0x8000_0000, "RESERVED_FL"),
];

/// `INDEX_FL`: hashed (htree) directory.
pub const INDEX_FL: u32 = 0x0000_1000;
/// `HUGE_FILE_FL`: `i_blocks` counts file-system blocks, not 512-byte sectors.
pub const HUGE_FILE_FL: u32 = 0x0004_0000;
/// `EXTENTS_FL`: `i_block` holds an extent tree.
pub const EXTENTS_FL: u32 = 0x0008_0000;
/// `EA_INODE_FL`: the inode holds a large extended attribute value.
pub const EA_INODE_FL: u32 = 0x0020_0000;
/// `INLINE_DATA_FL`: data lives in `i_block` and the `system.data` xattr.
pub const INLINE_DATA_FL: u32 = 0x1000_0000;

/// Names of the set flags; unknown bits as `FLAG_0x...`.
pub fn flag_names(flags: u32) -> Vec<String> {
    let mut out = Vec::new();
    for i in 0..32 {
        let bit = 1u32 << i;
        if flags & bit == 0 {
            continue;
        }
        match INODE_FLAGS.iter().find(|(b, _)| *b == bit) {
            Some((_, n)) => out.push(String::from(*n)),
            None => out.push(format!("FLAG_0x{bit:08X}")),
        }
    }
    out
}

/// The file type from the top four bits of `i_mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileType {
    /// `S_IFIFO`.
    Fifo,
    /// `S_IFCHR`.
    CharDevice,
    /// `S_IFDIR`.
    Directory,
    /// `S_IFBLK`.
    BlockDevice,
    /// `S_IFREG`.
    Regular,
    /// `S_IFLNK`.
    Symlink,
    /// `S_IFSOCK`.
    Socket,
    /// Any other value of the type bits (0 for an unused inode).
    Unknown,
}

impl FileType {
    /// From `i_mode`.
    pub fn from_mode(mode: u16) -> Self {
        match mode & 0xF000 {
            0x1000 => FileType::Fifo,
            0x2000 => FileType::CharDevice,
            0x4000 => FileType::Directory,
            0x6000 => FileType::BlockDevice,
            0x8000 => FileType::Regular,
            0xA000 => FileType::Symlink,
            0xC000 => FileType::Socket,
            _ => FileType::Unknown,
        }
    }
    /// The name debugfs `stat` prints after `Type:`.
    pub fn debugfs_name(self) -> &'static str {
        match self {
            FileType::Fifo => "FIFO",
            FileType::CharDevice => "character special",
            FileType::Directory => "directory",
            FileType::BlockDevice => "block special",
            FileType::Regular => "regular",
            FileType::Symlink => "symlink",
            FileType::Socket => "socket",
            FileType::Unknown => "bad type",
        }
    }
}

/// A timestamp: seconds since the epoch (with the epoch bits of the extra field)
/// and nanoseconds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timestamp {
    /// Seconds since 1970-01-01 UTC.
    pub seconds: i64,
    /// Nanoseconds (0 when the inode has no extra field for this time).
    pub nanos: u32,
    /// The raw 32-bit field.
    pub raw: u32,
    /// The raw extra field, when the inode has one for this time.
    pub extra: Option<u32>,
    /// ISO-8601 UTC.
    pub iso: String,
}

impl Timestamp {
    /// Decode a time and its optional `_extra` field: the low 2 bits of the extra
    /// field extend the signed 32-bit seconds, the upper 30 bits are nanoseconds.
    pub fn new(raw: u32, extra: Option<u32>) -> Self {
        let mut seconds = i64::from(raw as i32);
        let mut nanos = 0;
        if let Some(x) = extra {
            seconds += i64::from(x & 3) << 32;
            nanos = x >> 2;
        }
        Timestamp { seconds, nanos, raw, extra, iso: iso8601(seconds, nanos) }
    }
}

/// An inode as read from its table slot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inode {
    /// Inode number.
    pub ino: u32,
    /// The raw fields (fields past the record or `i_extra_isize` read as stored or zero).
    pub raw: InodeRaw,
    /// The whole on-disk record, `inode_size` bytes long.
    pub bytes: Vec<u8>,
    /// Where the record is.
    pub at: Location,
    /// The inode checksum (metadata_csum).
    pub checksum: ChecksumStatus,
    /// Whether the file system has `huge_file` (changes how `i_blocks` counts).
    pub huge_file: bool,
    /// Whether the file system has `large_dir` (`i_size_high` counts for every type).
    pub large_dir: bool,
    /// File-system block size (for `HUGE_FILE_FL` block counts).
    pub block_size: u32,
    /// Problems seen in the record itself (checksum, extra size).
    pub problems: Vec<Problem>,
}

impl Inode {
    /// Decode an inode record. `bytes` is the record (`inode_size` long); `fs`
    /// supplies the checksum seed and features.
    pub fn from_bytes(fs: &Fs, ino: u32, bytes: Vec<u8>, at: Location) -> Inode {
        let raw = InodeRaw::parse(&bytes);
        let checksum = if fs.sb.has_metadata_csum() {
            checksum_of_parsed(fs.sb.csum_seed(), ino, &bytes, &raw)
        } else {
            ChecksumStatus::NONE
        };
        let mut inode = Inode {
            ino,
            raw,
            bytes,
            at,
            checksum,
            huge_file: fs.features().ro_compat(RO_COMPAT_HUGE_FILE),
            large_dir: fs.features().incompat(INCOMPAT_LARGEDIR),
            block_size: fs.block_size(),
            problems: Vec::new(),
        };
        inode.check_record();
        inode
    }

    /// [`Inode::from_bytes`] into this inode, reusing its buffers (a scan
    /// decodes every record into one inode instead of making one each).
    pub(crate) fn refill(&mut self, fs: &Fs, ino: u32, record: &[u8], at: Location) {
        self.bytes.clear();
        self.bytes.extend_from_slice(record);
        self.raw = InodeRaw::parse(&self.bytes);
        self.checksum = if fs.sb.has_metadata_csum() {
            checksum_of_parsed(fs.sb.csum_seed(), ino, &self.bytes, &self.raw)
        } else {
            ChecksumStatus::NONE
        };
        self.ino = ino;
        self.at = at;
        self.huge_file = fs.features().ro_compat(RO_COMPAT_HUGE_FILE);
        self.large_dir = fs.features().incompat(INCOMPAT_LARGEDIR);
        self.block_size = fs.block_size();
        self.problems.clear();
        self.check_record();
    }

    fn problem(&mut self, severity: Severity, offset: usize, message: String) {
        let at = Location { byte: self.at.byte.and_then(|b| b.checked_add(offset as u64)), ..self.at };
        self.problems.push(Problem { severity, structure: format!("inode {}", self.ino), at, message });
    }

    fn check_record(&mut self) {
        if self.checksum.ok == Some(false) {
            let (s, c) = (self.checksum.stored, self.checksum.computed);
            self.problem(
                Severity::Error,
                CHECKSUM_LO_OFFSET,
                format!("inode checksum does not match (stored 0x{s:08x}, computed 0x{c:08x})"),
            );
        }
        if self.raw.i_size_high != 0 && !self.size_high_counts() {
            let m = format!(
                "i_size_high is {} on a {} without large_dir: ignored, as the kernel does",
                self.raw.i_size_high,
                self.file_type().debugfs_name()
            );
            self.problem(Severity::Warning, 0x6C, m);
        }
        if self.raw.l_i_blocks_high != 0 && !self.huge_file {
            let m = format!(
                "l_i_blocks_high is {} without huge_file: ignored, as the kernel does (debugfs adds it to Blockcount)",
                self.raw.l_i_blocks_high
            );
            self.problem(Severity::Warning, 0x74, m);
        }
        if self.bytes.len() > GOOD_OLD_INODE_SIZE {
            let extra = usize::from(self.raw.i_extra_isize);
            let room = self.bytes.len() - GOOD_OLD_INODE_SIZE;
            if extra > room {
                self.problem(
                    Severity::Error,
                    0x80,
                    format!("i_extra_isize is {extra}, but the record has only {room} bytes past 128"),
                );
            } else if extra % 4 != 0 {
                self.problem(
                    Severity::Warning,
                    0x80,
                    format!("i_extra_isize {extra} is not a multiple of 4"),
                );
            }
        }
    }

    /// Bytes of the extra part in use (0 for 128-byte records), clamped to the record.
    pub fn extra_isize(&self) -> usize {
        if self.bytes.len() <= GOOD_OLD_INODE_SIZE {
            return 0;
        }
        usize::from(self.raw.i_extra_isize).min(self.bytes.len() - GOOD_OLD_INODE_SIZE)
    }

    /// True when the extra part covers the field at `offset` of `size` bytes.
    pub fn has_extra_field(&self, offset: usize, size: usize) -> bool {
        offset + size <= GOOD_OLD_INODE_SIZE + self.extra_isize()
    }

    /// `i_mode`.
    pub fn mode(&self) -> u16 {
        self.raw.i_mode
    }
    /// The file type from `i_mode`.
    pub fn file_type(&self) -> FileType {
        FileType::from_mode(self.raw.i_mode)
    }
    /// File size in bytes: `i_size_lo` | `i_size_high` << 32 for regular files
    /// (and for every type with `large_dir`), else `i_size_lo` alone, as the
    /// kernel's `ext4_isize` reads it.
    pub fn size(&self) -> u64 {
        if self.size_high_counts() {
            u64::from(self.raw.i_size_lo) | (u64::from(self.raw.i_size_high) << 32)
        } else {
            u64::from(self.raw.i_size_lo)
        }
    }
    fn size_high_counts(&self) -> bool {
        self.large_dir || self.file_type() == FileType::Regular
    }
    /// `i_flags`.
    pub fn flags(&self) -> u32 {
        self.raw.i_flags
    }
    /// `i_links_count`.
    pub fn links(&self) -> u16 {
        self.raw.i_links_count
    }
    /// Owner (`i_uid` | `l_i_uid_high` << 16).
    pub fn uid(&self) -> u32 {
        u32::from(self.raw.i_uid) | (u32::from(self.raw.l_i_uid_high) << 16)
    }
    /// Group (`i_gid` | `l_i_gid_high` << 16).
    pub fn gid(&self) -> u32 {
        u32::from(self.raw.i_gid) | (u32::from(self.raw.l_i_gid_high) << 16)
    }
    /// Extended attribute block (`i_file_acl_lo` | `l_i_file_acl_high` << 32).
    pub fn file_acl(&self) -> u64 {
        u64::from(self.raw.i_file_acl_lo) | (u64::from(self.raw.l_i_file_acl_high) << 32)
    }
    /// `i_blocks` as stored: `i_blocks_lo`, plus `l_i_blocks_high` << 32 with huge_file.
    pub fn blocks_raw(&self) -> u64 {
        let hi = if self.huge_file { u64::from(self.raw.l_i_blocks_high) << 32 } else { 0 };
        u64::from(self.raw.i_blocks_lo) | hi
    }
    /// Blocks in 512-byte units (debugfs's "Blockcount"): `i_blocks` with the
    /// huge_file high half, scaled from file-system blocks when `HUGE_FILE_FL` is set.
    pub fn blocks_512(&self) -> u64 {
        let raw = self.blocks_raw();
        if self.huge_file && self.flags() & HUGE_FILE_FL != 0 {
            raw.saturating_mul(u64::from(self.block_size / 512))
        } else {
            raw
        }
    }
    /// The 60 bytes of `i_block`.
    pub fn i_block(&self) -> &[u8] {
        &self.raw.i_block
    }
    /// The 15 little-endian words of `i_block`.
    pub fn i_block_words(&self) -> [u32; 15] {
        let mut w = [0u32; 15];
        for (i, x) in w.iter_mut().enumerate() {
            let b = &self.raw.i_block[i * 4..i * 4 + 4];
            *x = u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        }
        w
    }
    /// `i_generation`.
    pub fn generation(&self) -> u32 {
        self.raw.i_generation
    }
    /// Access time.
    pub fn atime(&self) -> Timestamp {
        Timestamp::new(self.raw.i_atime, self.extra_u32(0x8C))
    }
    /// Inode change time.
    pub fn ctime(&self) -> Timestamp {
        Timestamp::new(self.raw.i_ctime, self.extra_u32(0x84))
    }
    /// Modification time.
    pub fn mtime(&self) -> Timestamp {
        Timestamp::new(self.raw.i_mtime, self.extra_u32(0x88))
    }
    /// Creation time, when the extra part covers it.
    pub fn crtime(&self) -> Option<Timestamp> {
        self.extra_u32(0x90).map(|c| Timestamp::new(c, self.extra_u32(0x94)))
    }
    /// Deletion time (or, on the orphan list, the next orphan's inode number).
    pub fn dtime(&self) -> Timestamp {
        Timestamp::new(self.raw.i_dtime, None)
    }
    /// `l_i_version` | `i_version_hi` << 32 (the high half when covered).
    pub fn version(&self) -> u64 {
        u64::from(self.raw.l_i_version) | (u64::from(self.extra_u32(0x98).unwrap_or(0)) << 32)
    }
    /// Project id, when the extra part covers it.
    pub fn projid(&self) -> Option<u32> {
        self.extra_u32(0x9C)
    }
    /// A 32-bit extra field, if `i_extra_isize` covers it.
    fn extra_u32(&self, offset: usize) -> Option<u32> {
        self.has_extra_field(offset, 4).then(|| {
            let b = self.bytes.get(offset..offset + 4).unwrap_or(&[0; 4]);
            u32::from_le_bytes([b[0], b[1], b[2], b[3]])
        })
    }
    /// Device numbers `(major, minor)` for character and block devices: the old
    /// 16-bit encoding in `i_block[0]`, else the new one in `i_block[1]`.
    pub fn device(&self) -> Option<(u32, u32)> {
        if !matches!(self.file_type(), FileType::CharDevice | FileType::BlockDevice) {
            return None;
        }
        let w = self.i_block_words();
        if w[0] != 0 {
            Some(((w[0] >> 8) & 0xFF, w[0] & 0xFF))
        } else {
            let d = w[1];
            Some(((d & 0xFFF00) >> 8, (d & 0xFF) | ((d >> 12) & 0xFFF00)))
        }
    }
    /// The in-inode extended attribute area: bytes after the extra fields
    /// (empty for 128-byte records).
    pub fn xattr_area(&self) -> &[u8] {
        let start = GOOD_OLD_INODE_SIZE + self.extra_isize();
        self.bytes.get(start..).unwrap_or(&[])
    }
    /// Byte offset of the in-inode xattr area within the record.
    pub fn xattr_area_offset(&self) -> usize {
        GOOD_OLD_INODE_SIZE + self.extra_isize()
    }
    /// True when the inode is a fast symlink: the target lives in `i_block`.
    pub fn is_fast_symlink(&self) -> bool {
        if self.file_type() != FileType::Symlink || self.flags() & INLINE_DATA_FL != 0 {
            return false;
        }
        let size = self.size();
        if size == 0 || size >= I_BLOCK_LEN as u64 {
            return false;
        }
        // A short symlink stored in an extent-mapped block has a valid extent header.
        !(self.flags() & EXTENTS_FL != 0 && self.raw.i_block[0..2] == [0x0A, 0xF3])
    }
}

/// Compute an inode record's checksum (metadata_csum): crc32c from the file
/// system seed over the le32 inode number, the le32 `i_generation` and the whole
/// record with `l_i_checksum_lo` (and `i_checksum_hi` when the extra part covers
/// it) as zero. 16-bit when the extra part does not cover `i_checksum_hi`.
pub fn inode_checksum(fs: &Fs, ino: u32, bytes: &[u8]) -> ChecksumStatus {
    if !fs.sb.has_metadata_csum() {
        return ChecksumStatus::NONE;
    }
    inode_checksum_with_seed(fs.sb.csum_seed(), ino, bytes)
}

/// [`inode_checksum`] from the file system's checksum seed (`Superblock::csum_seed`).
pub fn inode_checksum_with_seed(seed: u32, ino: u32, bytes: &[u8]) -> ChecksumStatus {
    checksum_of_parsed(seed, ino, bytes, &InodeRaw::parse(bytes))
}

/// [`inode_checksum_with_seed`] for a record already parsed into `raw`.
fn checksum_of_parsed(seed: u32, ino: u32, bytes: &[u8], raw: &InodeRaw) -> ChecksumStatus {
    let has_hi = bytes.len() > GOOD_OLD_INODE_SIZE
        && usize::from(raw.i_extra_isize) >= CHECKSUM_HI_OFFSET + 2 - GOOD_OLD_INODE_SIZE;
    let lo = u32::from(raw.l_i_checksum_lo);
    // The usual records (128 or up to 256 bytes): one crc32c over ino, generation
    // and a copy of the record with the checksum fields zeroed, instead of seven
    // pieces (each with a byte-at-a-time tail).
    const FAST_MAX: usize = 256;
    let len = bytes.len();
    if len == GOOD_OLD_INODE_SIZE || (CHECKSUM_HI_OFFSET + 2..=FAST_MAX).contains(&len) {
        let mut buf = [0u8; 8 + FAST_MAX];
        buf[..4].copy_from_slice(&ino.to_le_bytes());
        buf[4..8].copy_from_slice(&raw.i_generation.to_le_bytes());
        if let Some(rec) = buf.get_mut(8..8 + len) {
            rec.copy_from_slice(bytes);
        }
        buf[8 + CHECKSUM_LO_OFFSET..8 + CHECKSUM_LO_OFFSET + 2].fill(0);
        if has_hi {
            buf[8 + CHECKSUM_HI_OFFSET..8 + CHECKSUM_HI_OFFSET + 2].fill(0);
        }
        let value = crc32c(seed, buf.get(..8 + len).unwrap_or(&buf));
        return if has_hi {
            ChecksumStatus::new(ChecksumKind::Crc32c, lo | (u32::from(raw.i_checksum_hi) << 16), value)
        } else {
            ChecksumStatus::new(ChecksumKind::Crc32c, lo, value & 0xFFFF)
        };
    }
    checksum_in_pieces(seed, ino, bytes, raw, has_hi)
}

/// [`checksum_of_parsed`] for any record length, fed piece by piece.
fn checksum_in_pieces(seed: u32, ino: u32, bytes: &[u8], raw: &InodeRaw, has_hi: bool) -> ChecksumStatus {
    let lo = u32::from(raw.l_i_checksum_lo);
    let mut c = Crc32c::new(seed);
    c.update(&ino.to_le_bytes()).update(&raw.i_generation.to_le_bytes());
    c.update(bytes.get(..CHECKSUM_LO_OFFSET).unwrap_or(bytes)).zeros(2);
    let base_end = bytes.len().min(GOOD_OLD_INODE_SIZE);
    c.update(bytes.get(CHECKSUM_LO_OFFSET + 2..base_end).unwrap_or(&[]));
    if bytes.len() > GOOD_OLD_INODE_SIZE {
        if has_hi {
            c.update(bytes.get(GOOD_OLD_INODE_SIZE..CHECKSUM_HI_OFFSET).unwrap_or(&[])).zeros(2);
            c.update(bytes.get(CHECKSUM_HI_OFFSET + 2..).unwrap_or(&[]));
        } else {
            c.update(bytes.get(GOOD_OLD_INODE_SIZE..).unwrap_or(&[]));
        }
    }
    if has_hi {
        ChecksumStatus::new(ChecksumKind::Crc32c, lo | (u32::from(raw.i_checksum_hi) << 16), c.value())
    } else {
        ChecksumStatus::new(ChecksumKind::Crc32c, lo, c.value() & 0xFFFF)
    }
}

/// Everything about one inode, decoded: what `ext4scope inode` prints.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InodeReport {
    /// Inode number.
    pub ino: u32,
    /// In use according to the inode bitmap.
    pub in_use: Option<bool>,
    /// Group of the inode.
    pub group: u32,
    /// Where the record is.
    pub at: Location,
    /// `i_mode`.
    pub mode: u16,
    /// `i_mode` in octal, as `ls` shows the permission bits (`0644`).
    pub mode_octal: String,
    /// File type.
    pub file_type: FileType,
    /// File type as debugfs names it.
    pub type_name: String,
    /// Owner.
    pub uid: u32,
    /// Group.
    pub gid: u32,
    /// Size in bytes.
    pub size: u64,
    /// `i_links_count`.
    pub links_count: u16,
    /// Blocks in 512-byte units (debugfs's "Blockcount").
    pub blocks: u64,
    /// `i_blocks` as stored (with the huge_file high half).
    pub blocks_raw: u64,
    /// `i_flags`.
    pub flags: u32,
    /// Flag names (`EXTENTS_FL`, ...; unknown bits as `FLAG_0x...`).
    pub flag_names: Vec<String>,
    /// `i_generation`.
    pub generation: u32,
    /// Extended attribute block.
    pub file_acl: u64,
    /// `l_i_version` | `i_version_hi` << 32.
    pub version: u64,
    /// Project id, when covered.
    pub projid: Option<u32>,
    /// `i_extra_isize`, when the record has an extra part.
    pub extra_isize: Option<u16>,
    /// Access time.
    pub atime: Timestamp,
    /// Change time.
    pub ctime: Timestamp,
    /// Modification time.
    pub mtime: Timestamp,
    /// Creation time.
    pub crtime: Option<Timestamp>,
    /// Deletion time as stored (the next orphan's number when on the orphan list).
    pub dtime: u32,
    /// When this inode is on the orphan chain (from `s_last_orphan`): the next
    /// inode of the chain (0 ends it).
    pub orphan_next: Option<u32>,
    /// Device `(major, minor)` for device files.
    pub device: Option<(u32, u32)>,
    /// Checksum verdict (`null` when not checksummed).
    pub checksum_ok: Option<bool>,
    /// Checksum details.
    pub checksum: ChecksumStatus,
    /// How the data is mapped.
    pub map_kind: MapKind,
    /// Data runs in logical order (logical, physical, len in blocks).
    pub data: Vec<DataRun>,
    /// Extent tree and indirect blocks.
    pub metadata: Vec<MetaBlock>,
    /// The mapping tree, for drawing.
    pub tree: MapTree,
    /// Inline data length (i_block plus `system.data`), for inline inodes.
    pub inline_size: Option<u64>,
    /// Every raw field of the record.
    pub fields: Vec<(String, FieldValue)>,
    /// Problems in the record and its block map.
    pub problems: Vec<Problem>,
}

/// Most inodes followed on the orphan chain before giving up (besides cycle detection).
const MAX_ORPHAN_CHAIN: usize = 1 << 20;

impl Fs {
    /// Where inode `ino`'s record lives: (block, byte offset in block).
    pub fn inode_location(&self, ino: u32) -> Result<(u64, usize)> {
        let at = Location { inode: Some(ino), ..Default::default() };
        let (g, idx) = self.geo.inode_group(ino).ok_or_else(|| {
            Error::corrupt(
                "inode",
                at,
                format!("inode {ino} does not exist (inodes are numbered 1 to {})", self.geo.inodes_count()),
            )
        })?;
        let group = self.group(g)?;
        let bs = u64::from(self.geo.block_size);
        let byte = u64::from(idx) * u64::from(self.geo.inode_size);
        let blk = group.inode_table.checked_add(byte / bs).ok_or_else(|| {
            Error::corrupt("inode", at.with_group(g), String::from("inode table block overflows"))
        })?;
        Ok((blk, (byte % bs) as usize))
    }

    /// Read inode `ino` from its inode table slot. `Err` only when the number is
    /// out of range or the table block cannot be read; a corrupt record is an
    /// [`Inode`] with problems.
    pub fn inode(&self, ino: u32) -> Result<Inode> {
        let (blk, off) = self.inode_location(ino)?;
        let g = self.geo.inode_group(ino).map_or(0, |x| x.0);
        let block = self.block(blk)?;
        let isz = self.geo.inode_size as usize;
        let bytes = block.get(off..off + isz).ok_or_else(|| {
            Error::corrupt(
                "inode",
                Location::block(blk, self.geo.block_size, off).with_inode(ino),
                String::from("inode record runs past its block"),
            )
        })?;
        let at = Location::block(blk, self.geo.block_size, off).with_inode(ino).with_group(g);
        Ok(Inode::from_bytes(self, ino, bytes.to_vec(), at))
    }

    /// Is inode `ino` marked in use in its group's inode bitmap? Groups with
    /// `INODE_UNINIT` (under a group checksum feature) have no inodes in use.
    pub fn inode_in_use(&self, ino: u32) -> Result<bool> {
        let at = Location { inode: Some(ino), ..Default::default() };
        let (g, idx) = self
            .geo
            .inode_group(ino)
            .ok_or_else(|| Error::corrupt("inode", at, format!("inode {ino} does not exist")))?;
        let group = self.group(g)?;
        let csum = self.sb.has_metadata_csum() || self.features().ro_compat(RO_COMPAT_GDT_CSUM);
        if csum && group.flags & BG_INODE_UNINIT != 0 {
            return Ok(false);
        }
        let bm = self.block(group.inode_bitmap)?;
        Ok(bm.get((idx / 8) as usize).is_some_and(|b| b & (1 << (idx % 8)) != 0))
    }

    /// The orphan chain: `s_last_orphan`, then each inode's `i_dtime`, until 0.
    /// Stops (with a problem) at a loop, an out-of-range number or an unreadable inode.
    pub fn orphan_chain(&self) -> (Vec<u32>, Vec<Problem>) {
        let mut chain = Vec::new();
        let mut problems = Vec::new();
        let mut seen = BTreeSet::new();
        let mut next = self.sb.s_last_orphan;
        while next != 0 {
            if chain.len() >= MAX_ORPHAN_CHAIN || !seen.insert(next) {
                problems.push(Problem {
                    severity: Severity::Error,
                    structure: String::from("orphan list"),
                    at: Location { inode: Some(next), ..Default::default() },
                    message: format!("the orphan list loops back to inode {next}"),
                });
                break;
            }
            match self.inode(next) {
                Ok(inode) => {
                    chain.push(next);
                    next = inode.raw.i_dtime;
                }
                Err(e) => {
                    problems.push(Problem {
                        severity: Severity::Error,
                        structure: String::from("orphan list"),
                        at: Location { inode: Some(next), ..Default::default() },
                        message: format!("orphan list points to inode {next}, which cannot be read: {e}"),
                    });
                    break;
                }
            }
        }
        (chain, problems)
    }

    /// Every field of inode `ino` decoded, with its block map.
    pub fn inode_report(&self, ino: u32) -> Result<InodeReport> {
        let inode = self.inode(ino)?;
        let map = self.file_map(&inode);
        let in_use = self.inode_in_use(ino).ok();
        let (chain, _) =
            if self.sb.s_last_orphan != 0 { self.orphan_chain() } else { (Vec::new(), Vec::new()) };
        let orphan_next = chain.contains(&ino).then_some(inode.raw.i_dtime);
        let mut problems = inode.problems.clone();
        problems.extend(map.problems.iter().cloned());
        let inline_size = (map.kind == MapKind::Inline).then(|| self.inline_len(&inode));
        Ok(InodeReport {
            ino,
            in_use,
            group: self.geo.inode_group(ino).map_or(0, |x| x.0),
            at: inode.at,
            mode: inode.mode(),
            mode_octal: format!("{:04o}", inode.mode() & 0o7777),
            file_type: inode.file_type(),
            type_name: String::from(inode.file_type().debugfs_name()),
            uid: inode.uid(),
            gid: inode.gid(),
            size: inode.size(),
            links_count: inode.links(),
            blocks: inode.blocks_512(),
            blocks_raw: inode.blocks_raw(),
            flags: inode.flags(),
            flag_names: flag_names(inode.flags()),
            generation: inode.generation(),
            file_acl: inode.file_acl(),
            version: inode.version(),
            projid: inode.projid(),
            extra_isize: (inode.bytes.len() > GOOD_OLD_INODE_SIZE).then_some(inode.raw.i_extra_isize),
            atime: inode.atime(),
            ctime: inode.ctime(),
            mtime: inode.mtime(),
            crtime: inode.crtime(),
            dtime: inode.raw.i_dtime,
            orphan_next,
            device: inode.device(),
            checksum_ok: inode.checksum.ok,
            checksum: inode.checksum,
            map_kind: map.kind,
            data: map.data,
            metadata: map.metadata,
            tree: map.tree,
            inline_size,
            fields: dump_fields(&inode.bytes, INODE_FIELDS)
                .into_iter()
                .filter(|(name, _)| {
                    INODE_FIELDS
                        .iter()
                        .find(|f| f.name == *name)
                        .is_some_and(|f| f.offset + f.size <= inode.bytes.len())
                })
                .map(|(k, v)| (String::from(k), v))
                .collect(),
            problems,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::table_is_contiguous;

    #[test]
    fn one_piece_checksum_equals_the_piecewise_one() {
        let mut compared = 0;
        for len in [128usize, 132, 136, 160, 200, 252, 256] {
            for extra in [0u16, 2, 3, 4, 28, 32, 124, 200] {
                for k in 0..4u32 {
                    let mut rec: Vec<u8> = (0..len as u32)
                        .map(|i| (i.wrapping_add(k).wrapping_mul(2_654_435_761) >> 11) as u8)
                        .collect();
                    if len > GOOD_OLD_INODE_SIZE {
                        rec[0x80..0x82].copy_from_slice(&extra.to_le_bytes());
                    }
                    let raw = InodeRaw::parse(&rec);
                    let has_hi = len > GOOD_OLD_INODE_SIZE
                        && usize::from(raw.i_extra_isize) >= CHECKSUM_HI_OFFSET + 2 - GOOD_OLD_INODE_SIZE;
                    let seed = 0x1234_5678 ^ k;
                    let ino = 12 + k;
                    assert_eq!(
                        checksum_of_parsed(seed, ino, &rec, &raw),
                        checksum_in_pieces(seed, ino, &rec, &raw, has_hi),
                        "len {len} extra {extra}"
                    );
                    compared += 1;
                }
            }
        }
        assert_eq!(compared, 7 * 8 * 4);
    }

    #[test]
    fn field_table_is_contiguous() {
        assert_eq!(table_is_contiguous(INODE_FIELDS, InodeRaw::SIZE), Ok(()));
    }

    #[test]
    fn timestamps_use_epoch_bits_and_nanoseconds() {
        // 0x6b0290d2:8fa9d1b4 from a debugfs stat: epoch bits 0, nanos 0x8fa9d1b4 >> 2.
        let t = Timestamp::new(0x6b02_90d2, Some(0x8fa9_d1b4));
        assert_eq!(t.seconds, 0x6b02_90d2);
        assert_eq!(t.nanos, 0x8fa9_d1b4 >> 2);
        // A negative 32-bit time (before 1970) with epoch bits 1 lands after 2038.
        let t = Timestamp::new(0x8000_0000, Some(1));
        assert_eq!(t.seconds, -(1i64 << 31) + (1i64 << 32));
        assert_eq!(Timestamp::new(0xFFFF_FFFF, None).seconds, -1);
    }

    #[test]
    fn flag_names_cover_unknown_bits() {
        assert_eq!(flag_names(EXTENTS_FL | INDEX_FL), ["INDEX_FL", "EXTENTS_FL"]);
        assert_eq!(flag_names(0x0040_0000), ["FLAG_0x00400000"]);
    }
}
