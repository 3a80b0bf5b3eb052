//! The small valid images the record-level targets splice their input into
//! (`base/*.img.gz`, made by `make-base.sh`, embedded in the binary), where
//! their structures are, and a [`ReadAt`] that shows a base image with patches
//! on top without copying it.
//!
//! Locations are decoded here by hand from the known-good base images, not by
//! the core: a bug in the core must not move the splice point.

use std::io::Read;
use std::sync::OnceLock;

use ext4scope_core::io::IoError;
use ext4scope_core::ReadAt;

/// Which base image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Base {
    /// 1 MiB, 1 KiB blocks, 2 groups, metadata_csum, 64bit, extents, flex_bg,
    /// 256-byte inodes. 12 `/file`, 13 `/dir`, 15 `/htree` (hash-indexed),
    /// 17 `/frag` (depth-1 extent tree), 19 `/xattr` (xattrs in the inode and
    /// in a block), 21 fast symlink, 23 slow symlink.
    Csum,
    /// 1 MiB, inline_data: 12 `/file` and 13 `/dir` are inline.
    Inline,
    /// 1 MiB, no extents, no checksums, 128-byte inodes: 12 `/file` uses
    /// direct, IND and DIND pointers, 13 `/dir`.
    Ext2,
    /// 3 MiB, metadata_csum, a 1024-block journal in three extents holding
    /// four transactions written by debugfs (`make-journal-base.sh`). Not
    /// picked by [`Base::from_byte`]: only `journal_log` uses it.
    Journal,
}

/// `/file` in every base.
pub const INO_FILE: u32 = 12;
/// `/dir` in every base.
pub const INO_DIR: u32 = 13;
/// `/htree` in [`Base::Csum`].
pub const INO_HTREE: u32 = 15;
/// `/frag` in [`Base::Csum`].
pub const INO_FRAG: u32 = 17;
/// `/xattr` in [`Base::Csum`].
pub const INO_XATTR: u32 = 19;

static CSUM: &[u8] = include_bytes!("../base/base.img.gz");
static INLINE: &[u8] = include_bytes!("../base/inline.img.gz");
static EXT2: &[u8] = include_bytes!("../base/ext2.img.gz");
static JOURNAL: &[u8] = include_bytes!("../base/journal.img.gz");

fn gunzip(gz: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(gz).read_to_end(&mut out).expect("embedded base image is valid gzip");
    out
}

impl Base {
    /// Pick a base from a selector byte.
    pub fn from_byte(b: u8) -> Base {
        match b % 3 {
            0 => Base::Csum,
            1 => Base::Inline,
            _ => Base::Ext2,
        }
    }

    /// The image bytes.
    pub fn bytes(self) -> &'static [u8] {
        static C: OnceLock<Vec<u8>> = OnceLock::new();
        static I: OnceLock<Vec<u8>> = OnceLock::new();
        static E: OnceLock<Vec<u8>> = OnceLock::new();
        static J: OnceLock<Vec<u8>> = OnceLock::new();
        match self {
            Base::Journal => J.get_or_init(|| gunzip(JOURNAL)),
            Base::Csum => C.get_or_init(|| gunzip(CSUM)),
            Base::Inline => I.get_or_init(|| gunzip(INLINE)),
            Base::Ext2 => E.get_or_init(|| gunzip(EXT2)),
        }
    }

    fn le16(self, at: usize) -> u64 {
        let b = self.bytes();
        u64::from(u16::from_le_bytes([b[at], b[at + 1]]))
    }

    fn le32(self, at: usize) -> u64 {
        let b = self.bytes();
        u64::from(u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]]))
    }

    /// Block size in bytes.
    pub fn block_size(self) -> u64 {
        1024 << self.le32(1024 + 0x18)
    }

    /// Inode record size.
    pub fn inode_size(self) -> u64 {
        self.le16(1024 + 0x58)
    }

    /// The physical block of logical block `logical` of inode `ino`, whose
    /// extent root (depth 0) is decoded here by hand.
    pub fn extent_lookup_root(self, ino: u32, logical: u64) -> Option<u64> {
        let o = self.i_block_offset(ino) as usize;
        let entries = self.le16(o + 2) as usize;
        for e in 0..entries.min(4) {
            let at = o + 12 + 12 * e;
            let (first, len) = (self.le32(at), self.le16(at + 4));
            let start = self.le32(at + 8) | (self.le16(at + 6) << 32);
            if (first..first + len).contains(&logical) {
                return Some(start + logical - first);
            }
        }
        None
    }

    /// Byte offset of inode `ino`'s record.
    pub fn inode_offset(self, ino: u32) -> u64 {
        let bs = self.block_size();
        let ipg = self.le32(1024 + 0x28);
        let first_data_block = self.le32(1024 + 0x14);
        let incompat = self.le32(1024 + 0x60);
        let desc_size = if incompat & 0x80 != 0 { self.le16(1024 + 0xFE) } else { 32 };
        let i = u64::from(ino - 1);
        let (g, idx) = (i / ipg, i % ipg);
        let desc = ((first_data_block + 1) * bs + g * desc_size) as usize;
        let mut table = self.le32(desc + 0x08);
        if desc_size >= 64 {
            table |= self.le32(desc + 0x28) << 32;
        }
        table * bs + idx * self.inode_size()
    }

    /// Byte offset of inode `ino`'s `i_block` (60 bytes).
    pub fn i_block_offset(self, ino: u32) -> u64 {
        self.inode_offset(ino) + 0x28
    }

    /// The block the first entry of an inode's extent root points to (an extent
    /// tree block for an index root, the first data block for a leaf root).
    pub fn extent_root_target(self, ino: u32) -> u64 {
        let ib = self.i_block_offset(ino) as usize;
        let depth = self.le16(ib + 6);
        let e = ib + 12;
        if depth > 0 {
            self.le32(e + 4) | (self.le16(e + 8) << 32)
        } else {
            self.le32(e + 8) | (self.le16(e + 6) << 32)
        }
    }

    /// The physical block of logical block `logical` of an inode whose extent
    /// root is a leaf (depth 0), if mapped.
    pub fn extent_lookup(self, ino: u32, logical: u64) -> Option<u64> {
        let ib = self.i_block_offset(ino) as usize;
        if self.le16(ib) != 0xF30A || self.le16(ib + 6) != 0 {
            return None;
        }
        (0..self.le16(ib + 2).min(4) as usize).find_map(|i| {
            let e = ib + 12 * (i + 1);
            let (first, len) = (self.le32(e), self.le16(e + 4) & 0x7FFF);
            let start = self.le32(e + 8) | (self.le16(e + 6) << 32);
            (logical >= first && logical < first + len).then(|| start + logical - first)
        })
    }

    /// The block in `i_block` slot `slot` of an indirect-mapped inode.
    pub fn i_block_word(self, ino: u32, slot: usize) -> u64 {
        self.le32(self.i_block_offset(ino) as usize + slot * 4)
    }

    /// The inode's extended attribute block (`i_file_acl`).
    pub fn xattr_block(self, ino: u32) -> u64 {
        let o = self.inode_offset(ino) as usize;
        self.le32(o + 0x68) | (self.le16(o + 0x76) << 32)
    }
}

/// A base image with byte ranges replaced; reads never copy the base.
#[derive(Debug, Clone)]
pub struct Patched {
    base: &'static [u8],
    /// (offset, bytes), applied in order (later patches win).
    patches: Vec<(u64, Vec<u8>)>,
}

impl Patched {
    /// The base image as it is.
    pub fn new(base: Base) -> Patched {
        Patched { base: base.bytes(), patches: Vec::new() }
    }

    /// Replace the bytes at `offset` with `bytes`, clipped to the image, and at
    /// most `max` bytes of them.
    pub fn splice(&mut self, offset: u64, bytes: &[u8], max: usize) -> &mut Self {
        let room = (self.base.len() as u64).saturating_sub(offset) as usize;
        let n = bytes.len().min(max).min(room);
        if n > 0 {
            self.patches.push((offset, bytes[..n].to_vec()));
        }
        self
    }

    /// The patched image as one buffer (for writing out seeds and crash images).
    pub fn to_vec(&self) -> Vec<u8> {
        let mut v = self.base.to_vec();
        for (off, p) in &self.patches {
            let o = *off as usize;
            v[o..o + p.len()].copy_from_slice(p);
        }
        v
    }
}

impl ReadAt for Patched {
    fn len(&self) -> u64 {
        self.base.len() as u64
    }

    fn read_at(&self, offset: u64, buf: &mut [u8]) -> Result<(), IoError> {
        self.base.read_at(offset, buf)?;
        let end = offset + buf.len() as u64;
        for (off, p) in &self.patches {
            let pend = off + p.len() as u64;
            let (from, to) = (offset.max(*off), end.min(pend));
            if from < to {
                buf[(from - offset) as usize..(to - offset) as usize]
                    .copy_from_slice(&p[(from - off) as usize..(to - off) as usize]);
            }
        }
        Ok(())
    }
}
