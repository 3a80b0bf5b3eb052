//! The ext4 superblock (1024 bytes at byte 1024), every field under its spec name.

use alloc::string::String;
use alloc::vec::Vec;

use crate::checksum::crc32c;
use crate::disk_struct;
use crate::format::features::{Features, INCOMPAT_64BIT, INCOMPAT_CSUM_SEED, RO_COMPAT_METADATA_CSUM};

/// Byte offset of the primary superblock.
pub const SUPERBLOCK_OFFSET: u64 = 1024;
/// `s_magic`.
pub const EXT4_MAGIC: u16 = 0xEF53;
/// Offset of `s_magic` within the superblock.
pub const MAGIC_OFFSET: usize = 0x38;
/// Offset of `s_checksum`.
pub const CHECKSUM_OFFSET: usize = 0x3FC;

disk_struct! {
    /// The raw superblock.
    pub struct Superblock, SUPERBLOCK_FIELDS, size = 1024 {
        0x000 s_inodes_count: u32,
        0x004 s_blocks_count_lo: u32,
        0x008 s_r_blocks_count_lo: u32,
        0x00C s_free_blocks_count_lo: u32,
        0x010 s_free_inodes_count: u32,
        0x014 s_first_data_block: u32,
        0x018 s_log_block_size: u32,
        0x01C s_log_cluster_size: u32,
        0x020 s_blocks_per_group: u32,
        0x024 s_clusters_per_group: u32,
        0x028 s_inodes_per_group: u32,
        0x02C s_mtime: u32,
        0x030 s_wtime: u32,
        0x034 s_mnt_count: u16,
        0x036 s_max_mnt_count: u16,
        0x038 s_magic: u16,
        0x03A s_state: u16,
        0x03C s_errors: u16,
        0x03E s_minor_rev_level: u16,
        0x040 s_lastcheck: u32,
        0x044 s_checkinterval: u32,
        0x048 s_creator_os: u32,
        0x04C s_rev_level: u32,
        0x050 s_def_resuid: u16,
        0x052 s_def_resgid: u16,
        0x054 s_first_ino: u32,
        0x058 s_inode_size: u16,
        0x05A s_block_group_nr: u16,
        0x05C s_feature_compat: u32,
        0x060 s_feature_incompat: u32,
        0x064 s_feature_ro_compat: u32,
        0x068 s_uuid: [u8; 16],
        0x078 s_volume_name: [u8; 16],
        0x088 s_last_mounted: [u8; 64],
        0x0C8 s_algorithm_usage_bitmap: u32,
        0x0CC s_prealloc_blocks: u8,
        0x0CD s_prealloc_dir_blocks: u8,
        0x0CE s_reserved_gdt_blocks: u16,
        0x0D0 s_journal_uuid: [u8; 16],
        0x0E0 s_journal_inum: u32,
        0x0E4 s_journal_dev: u32,
        0x0E8 s_last_orphan: u32,
        0x0EC s_hash_seed: [u32; 4],
        0x0FC s_def_hash_version: u8,
        0x0FD s_jnl_backup_type: u8,
        0x0FE s_desc_size: u16,
        0x100 s_default_mount_opts: u32,
        0x104 s_first_meta_bg: u32,
        0x108 s_mkfs_time: u32,
        0x10C s_jnl_blocks: [u32; 17],
        0x150 s_blocks_count_hi: u32,
        0x154 s_r_blocks_count_hi: u32,
        0x158 s_free_blocks_count_hi: u32,
        0x15C s_min_extra_isize: u16,
        0x15E s_want_extra_isize: u16,
        0x160 s_flags: u32,
        0x164 s_raid_stride: u16,
        0x166 s_mmp_update_interval: u16,
        0x168 s_mmp_block: u64,
        0x170 s_raid_stripe_width: u32,
        0x174 s_log_groups_per_flex: u8,
        0x175 s_checksum_type: u8,
        0x176 s_encryption_level: u8,
        0x177 s_reserved_pad: u8,
        0x178 s_kbytes_written: u64,
        0x180 s_snapshot_inum: u32,
        0x184 s_snapshot_id: u32,
        0x188 s_snapshot_r_blocks_count: u64,
        0x190 s_snapshot_list: u32,
        0x194 s_error_count: u32,
        0x198 s_first_error_time: u32,
        0x19C s_first_error_ino: u32,
        0x1A0 s_first_error_block: u64,
        0x1A8 s_first_error_func: [u8; 32],
        0x1C8 s_first_error_line: u32,
        0x1CC s_last_error_time: u32,
        0x1D0 s_last_error_ino: u32,
        0x1D4 s_last_error_line: u32,
        0x1D8 s_last_error_block: u64,
        0x1E0 s_last_error_func: [u8; 32],
        0x200 s_mount_opts: [u8; 64],
        0x240 s_usr_quota_inum: u32,
        0x244 s_grp_quota_inum: u32,
        0x248 s_overhead_clusters: u32,
        0x24C s_backup_bgs: [u32; 2],
        0x254 s_encrypt_algos: [u8; 4],
        0x258 s_encrypt_pw_salt: [u8; 16],
        0x268 s_lpf_ino: u32,
        0x26C s_prj_quota_inum: u32,
        0x270 s_checksum_seed: u32,
        0x274 s_wtime_hi: u8,
        0x275 s_mtime_hi: u8,
        0x276 s_mkfs_time_hi: u8,
        0x277 s_lastcheck_hi: u8,
        0x278 s_first_error_time_hi: u8,
        0x279 s_last_error_time_hi: u8,
        0x27A s_first_error_errcode: u8,
        0x27B s_last_error_errcode: u8,
        0x27C s_encoding: u16,
        0x27E s_encoding_flags: u16,
        0x280 s_orphan_file_inum: u32,
        0x284 s_reserved: [u32; 94],
        0x3FC s_checksum: u32,
    }
}

/// Join a lo/hi pair of 32-bit halves.
pub fn lo_hi(lo: u32, hi: u32) -> u64 {
    u64::from(lo) | (u64::from(hi) << 32)
}

/// A timestamp with its extra high byte (`s_*_time_hi`), as a signed Unix time.
pub fn time_hi(lo: u32, hi: u8) -> i64 {
    i64::from(lo) | (i64::from(hi) << 32)
}

impl Superblock {
    /// Feature flags.
    pub fn features(&self) -> Features {
        Features {
            compat: self.s_feature_compat,
            incompat: self.s_feature_incompat,
            ro_compat: self.s_feature_ro_compat,
        }
    }
    /// True when the 64bit feature's hi halves are in use.
    fn is_64bit(&self) -> bool {
        self.s_feature_incompat & INCOMPAT_64BIT != 0
    }
    /// `s_blocks_count` (hi half only with 64bit).
    pub fn blocks_count(&self) -> u64 {
        lo_hi(self.s_blocks_count_lo, if self.is_64bit() { self.s_blocks_count_hi } else { 0 })
    }
    /// `s_r_blocks_count`.
    pub fn r_blocks_count(&self) -> u64 {
        lo_hi(self.s_r_blocks_count_lo, if self.is_64bit() { self.s_r_blocks_count_hi } else { 0 })
    }
    /// `s_free_blocks_count`.
    pub fn free_blocks_count(&self) -> u64 {
        lo_hi(self.s_free_blocks_count_lo, if self.is_64bit() { self.s_free_blocks_count_hi } else { 0 })
    }
    /// Block size in bytes, if `s_log_block_size` is sane (1 KiB to 64 KiB).
    pub fn block_size(&self) -> Option<u32> {
        if self.s_log_block_size <= 6 {
            Some(1024u32 << self.s_log_block_size)
        } else {
            None
        }
    }
    /// Cluster size in bytes (bigalloc), if sane.
    pub fn cluster_size(&self) -> Option<u64> {
        if self.s_log_cluster_size <= 29 {
            Some(1024u64 << self.s_log_cluster_size)
        } else {
            None
        }
    }
    /// Group descriptor size in bytes (32 without 64bit).
    pub fn desc_size(&self) -> u32 {
        if self.is_64bit() {
            u32::from(self.s_desc_size)
        } else {
            32
        }
    }
    /// Inode record size (128 for revision 0).
    pub fn inode_size(&self) -> u32 {
        if self.s_rev_level == 0 {
            128
        } else {
            u32::from(self.s_inode_size)
        }
    }
    /// First non-reserved inode.
    pub fn first_ino(&self) -> u32 {
        if self.s_rev_level == 0 {
            11
        } else {
            self.s_first_ino
        }
    }
    /// The seed for metadata checksums.
    pub fn csum_seed(&self) -> u32 {
        if self.s_feature_incompat & INCOMPAT_CSUM_SEED != 0 {
            self.s_checksum_seed
        } else {
            crc32c(!0, &self.s_uuid)
        }
    }
    /// True when metadata_csum is on.
    pub fn has_metadata_csum(&self) -> bool {
        self.s_feature_ro_compat & RO_COMPAT_METADATA_CSUM != 0
    }
    /// The volume label as text (NUL-terminated).
    pub fn volume_name(&self) -> String {
        c_string(&self.s_volume_name)
    }
    /// The last mount point as text.
    pub fn last_mounted(&self) -> String {
        c_string(&self.s_last_mounted)
    }
}

/// Compute the superblock checksum of a 1024-byte superblock.
pub fn superblock_checksum(raw: &[u8]) -> u32 {
    crc32c(!0, raw.get(..CHECKSUM_OFFSET).unwrap_or(raw))
}

/// Text up to the first NUL, lossy.
pub fn c_string(b: &[u8]) -> String {
    let end = b.iter().position(|&c| c == 0).unwrap_or(b.len());
    String::from_utf8_lossy(&b[..end]).into_owned()
}

/// A UUID as dumpe2fs prints it (`8-4-4-4-12` lowercase hex), or `<none>` when zero.
pub fn uuid_string(u: &[u8; 16]) -> String {
    if u.iter().all(|&b| b == 0) {
        return String::from("<none>");
    }
    let mut s = String::with_capacity(36);
    for (i, b) in u.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            s.push('-');
        }
        let _ = core::fmt::write(&mut s, format_args!("{b:02x}"));
    }
    s
}

/// Named bits of `s_state`.
pub fn state_string(state: u16) -> String {
    // dumpe2fs: "clean"/"not clean", then ", with errors" / " with errors", ", orphans being recovered"
    let mut s = String::from(if state & 1 != 0 { "clean" } else { "not clean" });
    if state & 2 != 0 {
        s.push_str(" with errors");
    }
    if state & 4 != 0 {
        s.push_str(", orphans being recovered");
    }
    s
}

/// `s_errors` as dumpe2fs prints it.
pub fn errors_string(e: u16) -> String {
    match e {
        1 => String::from("Continue"),
        2 => String::from("Remount read-only"),
        3 => String::from("Panic"),
        n => alloc::format!("Unknown (continue) ({n})"),
    }
}

/// `s_creator_os` as dumpe2fs prints it.
pub fn creator_os_string(os: u32) -> String {
    String::from(match os {
        0 => "Linux",
        1 => "Hurd",
        2 => "Masix",
        3 => "FreeBSD",
        4 => "Lites",
        _ => "(unknown os)",
    })
}

/// `s_def_hash_version` / dx hash version names.
pub fn hash_version_name(v: u8) -> &'static str {
    match v {
        0 => "legacy",
        1 => "half_md4",
        2 => "tea",
        3 => "legacy_unsigned",
        4 => "half_md4_unsigned",
        5 => "tea_unsigned",
        6 => "siphash",
        _ => "unknown",
    }
}

/// `s_default_mount_opts` names in dumpe2fs's spelling, or `(none)`.
pub fn default_mount_opts(v: u32) -> Vec<String> {
    const NAMES: &[(u32, &str)] = &[
        (0x0001, "debug"),
        (0x0002, "bsdgroups"),
        (0x0004, "user_xattr"),
        (0x0008, "acl"),
        (0x0010, "uid16"),
        (0x0020, "journal_data"),
        (0x0040, "journal_data_ordered"),
        (0x0060, "journal_data_writeback"),
        (0x0100, "nobarrier"),
        (0x0200, "block_validity"),
        (0x0400, "discard"),
        (0x0800, "nodelalloc"),
    ];
    let mut out = Vec::new();
    // The journalling mode occupies bits 5-6 as a 2-bit value.
    let jmode = v & 0x60;
    for &(bit, name) in NAMES {
        if bit & 0x60 != 0 {
            if jmode == bit {
                out.push(String::from(name));
            }
        } else if v & bit != 0 {
            out.push(String::from(name));
        }
    }
    let known: u32 = 0x0001 | 0x0002 | 0x0004 | 0x0008 | 0x0010 | 0x0060 | 0x0100 | 0x0200 | 0x0400 | 0x0800;
    for i in 0..32 {
        if v & !known & (1 << i) != 0 {
            out.push(alloc::format!("MNTOPT_{i}"));
        }
    }
    out
}

/// `s_flags` names as dumpe2fs prints them.
pub fn fs_flags(v: u32) -> Vec<&'static str> {
    let mut out = Vec::new();
    if v & 1 != 0 {
        out.push("signed_directory_hash");
    }
    if v & 2 != 0 {
        out.push("unsigned_directory_hash");
    }
    if v & 4 != 0 {
        out.push("test_filesystem");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::table_is_contiguous;

    #[test]
    fn field_table_covers_1024_bytes_without_gaps() {
        assert_eq!(table_is_contiguous(SUPERBLOCK_FIELDS, 1024), Ok(()));
    }

    #[test]
    fn uuid_format() {
        let u =
            [0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef];
        assert_eq!(uuid_string(&u), "12345678-9abc-def0-0123-456789abcdef");
        assert_eq!(uuid_string(&[0; 16]), "<none>");
    }
}
