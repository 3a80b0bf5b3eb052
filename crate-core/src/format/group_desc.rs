//! Block group descriptors (32-byte, and 64-byte with the 64bit feature), with
//! their checksums: crc32c & 0xFFFF for metadata_csum, crc16 for gdt_csum.

use serde::{Deserialize, Serialize};

use crate::checksum::{crc16, Crc32c};
use crate::disk_struct;
use crate::error::Location;
use crate::format::superblock::{lo_hi, Superblock};

disk_struct! {
    /// The raw group descriptor. In a 32-byte descriptor the `_hi` fields read as zero.
    pub struct GroupDescRaw, GROUP_DESC_FIELDS, size = 64 {
        0x00 bg_block_bitmap_lo: u32,
        0x04 bg_inode_bitmap_lo: u32,
        0x08 bg_inode_table_lo: u32,
        0x0C bg_free_blocks_count_lo: u16,
        0x0E bg_free_inodes_count_lo: u16,
        0x10 bg_used_dirs_count_lo: u16,
        0x12 bg_flags: u16,
        0x14 bg_exclude_bitmap_lo: u32,
        0x18 bg_block_bitmap_csum_lo: u16,
        0x1A bg_inode_bitmap_csum_lo: u16,
        0x1C bg_itable_unused_lo: u16,
        0x1E bg_checksum: u16,
        0x20 bg_block_bitmap_hi: u32,
        0x24 bg_inode_bitmap_hi: u32,
        0x28 bg_inode_table_hi: u32,
        0x2C bg_free_blocks_count_hi: u16,
        0x2E bg_free_inodes_count_hi: u16,
        0x30 bg_used_dirs_count_hi: u16,
        0x32 bg_itable_unused_hi: u16,
        0x34 bg_exclude_bitmap_hi: u32,
        0x38 bg_block_bitmap_csum_hi: u16,
        0x3A bg_inode_bitmap_csum_hi: u16,
        0x3C bg_reserved: u32,
    }
}

/// Offset of `bg_checksum`.
pub const BG_CHECKSUM_OFFSET: usize = 0x1E;

/// `bg_flags` bits.
pub const BG_INODE_UNINIT: u16 = 0x1;
/// Block bitmap not initialised.
pub const BG_BLOCK_UNINIT: u16 = 0x2;
/// Inode table zeroed.
pub const BG_INODE_ZEROED: u16 = 0x4;

/// How a checksum was checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChecksumKind {
    /// No checksum feature covers this structure.
    None,
    /// crc16 (`gdt_csum` / `uninit_bg`).
    Crc16,
    /// crc32c (`metadata_csum`).
    Crc32c,
}

/// A checksum and its verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecksumStatus {
    /// Algorithm.
    pub kind: ChecksumKind,
    /// Value on disk.
    pub stored: u32,
    /// Value computed from the bytes.
    pub computed: u32,
    /// `None` when not checksummed.
    pub ok: Option<bool>,
}

impl ChecksumStatus {
    /// Not checksummed.
    pub const NONE: ChecksumStatus =
        ChecksumStatus { kind: ChecksumKind::None, stored: 0, computed: 0, ok: None };
    /// Compare stored and computed.
    pub fn new(kind: ChecksumKind, stored: u32, computed: u32) -> Self {
        ChecksumStatus { kind, stored, computed, ok: Some(stored == computed) }
    }
}

/// A decoded group descriptor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Group {
    /// Group number.
    pub index: u32,
    /// Where the descriptor lives.
    pub at: Location,
    /// First block of the group.
    pub first_block: u64,
    /// Last block of the group.
    pub last_block: u64,
    /// Block bitmap block.
    pub block_bitmap: u64,
    /// Inode bitmap block.
    pub inode_bitmap: u64,
    /// First block of the inode table.
    pub inode_table: u64,
    /// Free blocks (clusters with bigalloc) as recorded.
    pub free_blocks_count: u32,
    /// Free inodes as recorded.
    pub free_inodes_count: u32,
    /// Directories as recorded.
    pub used_dirs_count: u32,
    /// Unused inodes at the end of the table.
    pub itable_unused: u32,
    /// `bg_flags`.
    pub flags: u16,
    /// Flag names (`INODE_UNINIT`, `BLOCK_UNINIT`, `ITABLE_ZEROED`).
    pub flag_names: alloc::vec::Vec<&'static str>,
    /// Block bitmap checksum (metadata_csum), as stored.
    pub block_bitmap_csum: u32,
    /// Inode bitmap checksum (metadata_csum), as stored.
    pub inode_bitmap_csum: u32,
    /// Descriptor checksum.
    pub checksum: ChecksumStatus,
    /// The raw record.
    #[serde(skip)]
    pub raw: GroupDescRaw,
}

/// Flag names as dumpe2fs prints them.
pub fn flag_names(flags: u16) -> alloc::vec::Vec<&'static str> {
    let mut v = alloc::vec::Vec::new();
    if flags & BG_INODE_UNINIT != 0 {
        v.push("INODE_UNINIT");
    }
    if flags & BG_BLOCK_UNINIT != 0 {
        v.push("BLOCK_UNINIT");
    }
    if flags & BG_INODE_ZEROED != 0 {
        v.push("ITABLE_ZEROED");
    }
    v
}

/// Compute a descriptor's checksum (`bytes` is exactly `desc_size` long).
pub fn desc_checksum(sb: &Superblock, group: u32, bytes: &[u8]) -> ChecksumStatus {
    let stored = u32::from(u16::from_le_bytes([
        bytes.get(BG_CHECKSUM_OFFSET).copied().unwrap_or(0),
        bytes.get(BG_CHECKSUM_OFFSET + 1).copied().unwrap_or(0),
    ]));
    let head = bytes.get(..BG_CHECKSUM_OFFSET).unwrap_or(bytes);
    let tail = bytes.get(BG_CHECKSUM_OFFSET + 2..).unwrap_or(&[]);
    if sb.has_metadata_csum() {
        let mut c = Crc32c::new(sb.csum_seed());
        c.update(&group.to_le_bytes()).update(head).zeros(2).update(tail);
        ChecksumStatus::new(ChecksumKind::Crc32c, stored, c.value() & 0xFFFF)
    } else if sb.features().ro_compat(crate::format::features::RO_COMPAT_GDT_CSUM) {
        let mut c = crc16(0xFFFF, &sb.s_uuid);
        c = crc16(c, &group.to_le_bytes());
        c = crc16(c, head);
        if sb.features().incompat(crate::format::features::INCOMPAT_64BIT) {
            c = crc16(c, tail);
        }
        ChecksumStatus::new(ChecksumKind::Crc16, stored, u32::from(c))
    } else {
        ChecksumStatus::NONE
    }
}

impl GroupDescRaw {
    /// Block bitmap location.
    pub fn block_bitmap(&self) -> u64 {
        lo_hi(self.bg_block_bitmap_lo, self.bg_block_bitmap_hi)
    }
    /// Inode bitmap location.
    pub fn inode_bitmap(&self) -> u64 {
        lo_hi(self.bg_inode_bitmap_lo, self.bg_inode_bitmap_hi)
    }
    /// Inode table location.
    pub fn inode_table(&self) -> u64 {
        lo_hi(self.bg_inode_table_lo, self.bg_inode_table_hi)
    }
    /// Free blocks.
    pub fn free_blocks_count(&self) -> u32 {
        u32::from(self.bg_free_blocks_count_lo) | u32::from(self.bg_free_blocks_count_hi) << 16
    }
    /// Free inodes.
    pub fn free_inodes_count(&self) -> u32 {
        u32::from(self.bg_free_inodes_count_lo) | u32::from(self.bg_free_inodes_count_hi) << 16
    }
    /// Directories.
    pub fn used_dirs_count(&self) -> u32 {
        u32::from(self.bg_used_dirs_count_lo) | u32::from(self.bg_used_dirs_count_hi) << 16
    }
    /// Unused inodes.
    pub fn itable_unused(&self) -> u32 {
        u32::from(self.bg_itable_unused_lo) | u32::from(self.bg_itable_unused_hi) << 16
    }
    /// Block bitmap checksum (hi half only in 64-byte descriptors).
    pub fn block_bitmap_csum(&self) -> u32 {
        u32::from(self.bg_block_bitmap_csum_lo) | u32::from(self.bg_block_bitmap_csum_hi) << 16
    }
    /// Inode bitmap checksum.
    pub fn inode_bitmap_csum(&self) -> u32 {
        u32::from(self.bg_inode_bitmap_csum_lo) | u32::from(self.bg_inode_bitmap_csum_hi) << 16
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::table_is_contiguous;

    #[test]
    fn field_table_covers_64_bytes() {
        assert_eq!(table_is_contiguous(GROUP_DESC_FIELDS, 64), Ok(()));
    }
}
