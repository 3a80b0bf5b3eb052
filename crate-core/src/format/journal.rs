//! jbd2 journal blocks: the journal superblock, the common block header,
//! descriptor blocks and their tags, commit blocks and revoke blocks (kernel
//! `include/linux/jbd2.h`). Unlike the rest of ext4, every jbd2 number is
//! big-endian: the `Be*` field types say so in the field tables.
//!
//! This module reads single blocks; walking the log (transactions, replay)
//! builds on it.

use alloc::string::String;
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

use crate::checksum::crc32c;
use crate::disk_struct;
use crate::fields::{FieldKind, LeRead};
use crate::format::group_desc::{ChecksumKind, ChecksumStatus};

macro_rules! be_int {
    ($(#[$m:meta])* $name:ident, $t:ty, $n:expr) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
        pub struct $name(pub $t);

        impl LeRead for $name {
            const SIZE: usize = $n;
            const KIND: FieldKind = FieldKind::UintBe;
            fn read_le(b: &[u8], off: usize) -> Self {
                let mut a = [0u8; $n];
                for (i, x) in a.iter_mut().enumerate() {
                    *x = off.checked_add(i).and_then(|j| b.get(j)).copied().unwrap_or(0);
                }
                $name(<$t>::from_be_bytes(a))
            }
        }
    };
}
be_int!(
    /// A big-endian `u16` field.
    Be16, u16, 2
);
be_int!(
    /// A big-endian `u32` field.
    Be32, u32, 4
);
be_int!(
    /// A big-endian `u64` field.
    Be64, u64, 8
);

/// `JBD2_MAGIC_NUMBER`, the first word of every journal metadata block.
pub const JBD2_MAGIC: u32 = 0xC03B_3998;

/// `h_blocktype` values.
pub const BT_DESCRIPTOR: u32 = 1;
/// Commit block.
pub const BT_COMMIT: u32 = 2;
/// Journal superblock, version 1.
pub const BT_SUPERBLOCK_V1: u32 = 3;
/// Journal superblock, version 2.
pub const BT_SUPERBLOCK_V2: u32 = 4;
/// Revoke block.
pub const BT_REVOKE: u32 = 5;

/// `s_feature_compat`: commit blocks carry a crc32 of the transaction (v1 checksums).
pub const COMPAT_CHECKSUM: u32 = 0x1;
/// `s_feature_incompat`: revoke blocks.
pub const INCOMPAT_REVOKE: u32 = 0x1;
/// 64-bit block numbers in tags and revoke records.
pub const INCOMPAT_64BIT: u32 = 0x2;
/// Commit blocks may be written before the data blocks.
pub const INCOMPAT_ASYNC_COMMIT: u32 = 0x4;
/// crc32c checksums, tags with 16-bit checksums.
pub const INCOMPAT_CSUM_V2: u32 = 0x8;
/// crc32c checksums, `journal_block_tag3_t` tags.
pub const INCOMPAT_CSUM_V3: u32 = 0x10;
/// Fast commits.
pub const INCOMPAT_FAST_COMMIT: u32 = 0x20;

/// Tag flag: the block's first word was the magic number and was zeroed in the log.
pub const TAG_ESCAPE: u32 = 0x1;
/// Tag flag: same UUID as the previous tag (no UUID follows).
pub const TAG_SAME_UUID: u32 = 0x2;
/// Tag flag: block deleted by this transaction (unused by jbd2).
pub const TAG_DELETED: u32 = 0x4;
/// Tag flag: last tag of the descriptor block.
pub const TAG_LAST: u32 = 0x8;

disk_struct! {
    /// `journal_header_t`: the first 12 bytes of every journal metadata block.
    pub struct JournalHeader, JOURNAL_HEADER_FIELDS, size = 12 {
        0x0 h_magic: Be32,
        0x4 h_blocktype: Be32,
        0x8 h_sequence: Be32,
    }
}

disk_struct! {
    /// `journal_superblock_t`, the first block of the journal.
    pub struct JournalSuperblock, JOURNAL_SUPERBLOCK_FIELDS, size = 1024 {
        0x000 h_magic: Be32,
        0x004 h_blocktype: Be32,
        0x008 h_sequence: Be32,
        0x00C s_blocksize: Be32,
        0x010 s_maxlen: Be32,
        0x014 s_first: Be32,
        0x018 s_sequence: Be32,
        0x01C s_start: Be32,
        0x020 s_errno: Be32,
        0x024 s_feature_compat: Be32,
        0x028 s_feature_incompat: Be32,
        0x02C s_feature_ro_compat: Be32,
        0x030 s_uuid: [u8; 16],
        0x040 s_nr_users: Be32,
        0x044 s_dynsuper: Be32,
        0x048 s_max_transaction: Be32,
        0x04C s_max_trans_data: Be32,
        0x050 s_checksum_type: u8,
        0x051 s_padding2: [u8; 3],
        0x054 s_num_fc_blks: Be32,
        0x058 s_head: Be32,
        0x05C s_padding: [u8; 160],
        0x0FC s_checksum: Be32,
        0x100 s_users: [u8; 768],
    }
}

disk_struct! {
    /// `struct commit_header`.
    pub struct CommitBlock, COMMIT_BLOCK_FIELDS, size = 60 {
        0x00 h_magic: Be32,
        0x04 h_blocktype: Be32,
        0x08 h_sequence: Be32,
        0x0C h_chksum_type: u8,
        0x0D h_chksum_size: u8,
        0x0E h_padding: [u8; 2],
        0x10 h_chksum: [u8; 32],
        0x30 h_commit_sec: Be64,
        0x38 h_commit_nsec: Be32,
    }
}

disk_struct! {
    /// `jbd2_journal_revoke_header_t`; `r_count` counts bytes used, header included.
    pub struct RevokeHeader, REVOKE_HEADER_FIELDS, size = 16 {
        0x0 h_magic: Be32,
        0x4 h_blocktype: Be32,
        0x8 h_sequence: Be32,
        0xC r_count: Be32,
    }
}

disk_struct! {
    /// `journal_block_tag3_t` (`csum_v3` journals).
    pub struct BlockTag3, BLOCK_TAG3_FIELDS, size = 16 {
        0x0 t_blocknr: Be32,
        0x4 t_flags: Be32,
        0x8 t_blocknr_high: Be32,
        0xC t_checksum: Be32,
    }
}

disk_struct! {
    /// `journal_block_tag_t` (journals without `csum_v3`); its tail is cut
    /// short by [`JournalFeatures::tag_bytes`].
    pub struct BlockTag, BLOCK_TAG_FIELDS, size = 12 {
        0x0 t_blocknr: Be32,
        0x4 t_checksum: Be16,
        0x6 t_flags: Be16,
        0x8 t_blocknr_high: Be32,
    }
}

/// The journal features that change how blocks are laid out and checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct JournalFeatures {
    /// `s_feature_compat`.
    pub compat: u32,
    /// `s_feature_incompat`.
    pub incompat: u32,
    /// `s_feature_ro_compat`.
    pub ro_compat: u32,
    /// crc32c of `s_uuid` from `~0`: the seed of every v2/v3 block checksum.
    pub csum_seed: u32,
}

impl JournalFeatures {
    /// From a journal superblock.
    pub fn of(sb: &JournalSuperblock) -> Self {
        // Version 1 superblocks have no feature words.
        let v2 = sb.h_blocktype.0 == BT_SUPERBLOCK_V2;
        JournalFeatures {
            compat: if v2 { sb.s_feature_compat.0 } else { 0 },
            incompat: if v2 { sb.s_feature_incompat.0 } else { 0 },
            ro_compat: if v2 { sb.s_feature_ro_compat.0 } else { 0 },
            csum_seed: crc32c(!0, &sb.s_uuid),
        }
    }

    /// v2 or v3 (crc32c) checksums.
    pub fn csum_v2_or_v3(&self) -> bool {
        self.incompat & (INCOMPAT_CSUM_V2 | INCOMPAT_CSUM_V3) != 0
    }

    /// 64-bit block numbers.
    pub fn is_64bit(&self) -> bool {
        self.incompat & INCOMPAT_64BIT != 0
    }

    /// Bytes per descriptor tag (the kernel's `journal_tag_bytes`).
    pub fn tag_bytes(&self) -> usize {
        if self.incompat & INCOMPAT_CSUM_V3 != 0 {
            return BlockTag3::SIZE;
        }
        let mut sz = BlockTag::SIZE;
        if self.incompat & INCOMPAT_CSUM_V2 != 0 {
            sz += 2;
        }
        if self.is_64bit() {
            sz
        } else {
            sz - 4
        }
    }

    /// Bytes per revoke record.
    pub fn revoke_record_bytes(&self) -> usize {
        if self.is_64bit() {
            8
        } else {
            4
        }
    }

    /// Feature names as `dumpe2fs` prints them ("Journal features:").
    pub fn names(&self) -> Vec<String> {
        let mut out = Vec::new();
        let known: [(u8, u32, &str); 7] = [
            (b'C', COMPAT_CHECKSUM, "journal_checksum"),
            (b'I', INCOMPAT_REVOKE, "journal_incompat_revoke"),
            (b'I', INCOMPAT_64BIT, "journal_64bit"),
            (b'I', INCOMPAT_ASYNC_COMMIT, "journal_async_commit"),
            (b'I', INCOMPAT_CSUM_V2, "journal_checksum_v2"),
            (b'I', INCOMPAT_CSUM_V3, "journal_checksum_v3"),
            (b'I', INCOMPAT_FAST_COMMIT, "journal_fast_commit"),
        ];
        for (letter, word) in [(b'C', self.compat), (b'I', self.incompat), (b'R', self.ro_compat)] {
            for bit in 0..32 {
                let mask = 1u32 << bit;
                if word & mask == 0 {
                    continue;
                }
                match known.iter().find(|(l, m, _)| *l == letter && *m == mask) {
                    Some((_, _, name)) => out.push(String::from(*name)),
                    None => out.push(alloc::format!("FEATURE_{}{bit}", letter as char)),
                }
            }
        }
        out
    }
}

/// The kind of a journal block, from its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JournalBlockKind {
    /// Descriptor: tags of the blocks that follow.
    Descriptor,
    /// Commit: the transaction is complete.
    Commit,
    /// Journal superblock (v1 or v2).
    Superblock,
    /// Revoke: blocks not to replay from earlier transactions.
    Revoke,
    /// The magic number with an unknown block type.
    Unknown,
}

impl JournalBlockKind {
    /// From `h_blocktype`.
    pub fn of(blocktype: u32) -> Self {
        match blocktype {
            BT_DESCRIPTOR => JournalBlockKind::Descriptor,
            BT_COMMIT => JournalBlockKind::Commit,
            BT_SUPERBLOCK_V1 | BT_SUPERBLOCK_V2 => JournalBlockKind::Superblock,
            BT_REVOKE => JournalBlockKind::Revoke,
            _ => JournalBlockKind::Unknown,
        }
    }

    /// In words, as debugfs logdump says it.
    pub fn name(self) -> &'static str {
        match self {
            JournalBlockKind::Descriptor => "descriptor block",
            JournalBlockKind::Commit => "commit block",
            JournalBlockKind::Superblock => "journal superblock",
            JournalBlockKind::Revoke => "revoke table",
            JournalBlockKind::Unknown => "unknown journal block type",
        }
    }
}

/// The header of `block` when it starts with the jbd2 magic number.
pub fn header(block: &[u8]) -> Option<JournalHeader> {
    let h = JournalHeader::parse(block);
    (block.len() >= JournalHeader::SIZE && h.h_magic.0 == JBD2_MAGIC).then_some(h)
}

/// A logged copy as it belongs at home: with [`TAG_ESCAPE`] in the tag's
/// `flags`, jbd2 zeroed its first word (the magic number) in the log.
pub fn unescape(flags: u32, copy: &[u8]) -> Vec<u8> {
    let mut v = copy.to_vec();
    if flags & TAG_ESCAPE != 0 {
        if let Some(w) = v.get_mut(..4) {
            w.copy_from_slice(&JBD2_MAGIC.to_be_bytes());
        }
    }
    v
}

/// One tag of a descriptor block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tag {
    /// Byte offset of the tag in the descriptor block.
    pub offset: usize,
    /// Bytes of the tag itself (the UUID that may follow is not counted).
    pub len: usize,
    /// File-system block the logged block belongs at.
    pub fs_block: u64,
    /// `t_flags`.
    pub flags: u32,
    /// `t_checksum` (16 bits in v2 tags).
    pub checksum: u32,
}

/// A descriptor block's tags, in order, up to the `LAST_TAG` one or the end
/// of the room (the v2/v3 tail excluded). Never reads past `block`.
pub fn descriptor_tags(block: &[u8], f: &JournalFeatures) -> Vec<Tag> {
    let tag_bytes = f.tag_bytes();
    let end = block.len().saturating_sub(if f.csum_v2_or_v3() { 4 } else { 0 });
    let mut tags = Vec::new();
    let mut at = JournalHeader::SIZE;
    while at.checked_add(tag_bytes).is_some_and(|e| e <= end) {
        let b = &block[at..at + tag_bytes];
        let (lo, hi, flags, checksum) = if f.incompat & INCOMPAT_CSUM_V3 != 0 {
            let t = BlockTag3::parse(b);
            (t.t_blocknr.0, t.t_blocknr_high.0, t.t_flags.0, t.t_checksum.0)
        } else {
            // Fields past tag_bytes read as zero (32-bit journals have no high word).
            let t = BlockTag::parse(b);
            (t.t_blocknr.0, t.t_blocknr_high.0, u32::from(t.t_flags.0), u32::from(t.t_checksum.0))
        };
        let hi = if f.is_64bit() { u64::from(hi) } else { 0 };
        tags.push(Tag { offset: at, len: tag_bytes, fs_block: hi << 32 | u64::from(lo), flags, checksum });
        at += tag_bytes;
        if flags & TAG_SAME_UUID == 0 {
            at = at.saturating_add(16);
        }
        if flags & TAG_LAST != 0 {
            break;
        }
    }
    tags
}

/// The block numbers a revoke block revokes (records past `r_count` or the
/// block's end are not read).
pub fn revoke_records(block: &[u8], f: &JournalFeatures) -> Vec<(usize, u64)> {
    let h = RevokeHeader::parse(block);
    let rec = f.revoke_record_bytes();
    let end = (h.r_count.0 as usize).min(block.len());
    let mut out = Vec::new();
    let mut at = RevokeHeader::SIZE;
    while at + rec <= end {
        let b = &block[at..at + rec];
        let v = if rec == 8 { Be64::read_le(b, 0).0 } else { u64::from(Be32::read_le(b, 0).0) };
        out.push((at, v));
        at += rec;
    }
    out
}

/// Checksum of the journal superblock (v2/v3 journals; `NONE` otherwise).
pub fn superblock_checksum(block: &[u8]) -> ChecksumStatus {
    let sb = JournalSuperblock::parse(block);
    if !JournalFeatures::of(&sb).csum_v2_or_v3() || block.len() < JournalSuperblock::SIZE {
        return ChecksumStatus::NONE;
    }
    let mut c = crate::checksum::Crc32c::new(!0);
    c.update(&block[..0xFC]).zeros(4).update(&block[0x100..JournalSuperblock::SIZE]);
    ChecksumStatus::new(ChecksumKind::Crc32c, sb.s_checksum.0, c.value())
}

/// Checksum of a descriptor or revoke block (the `jbd2_journal_block_tail`
/// in its last 4 bytes), for v2/v3 journals.
pub fn tail_checksum(block: &[u8], f: &JournalFeatures) -> ChecksumStatus {
    if !f.csum_v2_or_v3() || block.len() < JournalHeader::SIZE + 4 {
        return ChecksumStatus::NONE;
    }
    let end = block.len() - 4;
    let stored = Be32::read_le(block, end).0;
    let mut c = crate::checksum::Crc32c::new(f.csum_seed);
    c.update(&block[..end]).zeros(4);
    ChecksumStatus::new(ChecksumKind::Crc32c, stored, c.value())
}

/// Checksum of a commit block (`h_chksum[0]`), for v2/v3 journals.
pub fn commit_checksum(block: &[u8], f: &JournalFeatures) -> ChecksumStatus {
    if !f.csum_v2_or_v3() || block.len() < CommitBlock::SIZE {
        return ChecksumStatus::NONE;
    }
    let stored = Be32::read_le(block, 0x10).0;
    let mut c = crate::checksum::Crc32c::new(f.csum_seed);
    c.update(&block[..0x10]).zeros(4).update(&block[0x14..]);
    ChecksumStatus::new(ChecksumKind::Crc32c, stored, c.value())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::table_is_contiguous;

    #[test]
    fn tables_are_contiguous() {
        assert_eq!(table_is_contiguous(JOURNAL_HEADER_FIELDS, 12), Ok(()));
        assert_eq!(table_is_contiguous(JOURNAL_SUPERBLOCK_FIELDS, 1024), Ok(()));
        assert_eq!(table_is_contiguous(COMMIT_BLOCK_FIELDS, 60), Ok(()));
        assert_eq!(table_is_contiguous(REVOKE_HEADER_FIELDS, 16), Ok(()));
        assert_eq!(table_is_contiguous(BLOCK_TAG3_FIELDS, 16), Ok(()));
        assert_eq!(table_is_contiguous(BLOCK_TAG_FIELDS, 12), Ok(()));
    }

    #[test]
    fn tag_sizes_follow_the_kernel() {
        let f = |incompat| JournalFeatures { incompat, ..Default::default() };
        assert_eq!(f(0).tag_bytes(), 8);
        assert_eq!(f(INCOMPAT_64BIT).tag_bytes(), 12);
        assert_eq!(f(INCOMPAT_CSUM_V2).tag_bytes(), 10);
        assert_eq!(f(INCOMPAT_CSUM_V2 | INCOMPAT_64BIT).tag_bytes(), 14);
        assert_eq!(f(INCOMPAT_CSUM_V3).tag_bytes(), 16);
        assert_eq!(f(INCOMPAT_CSUM_V3 | INCOMPAT_64BIT).tag_bytes(), 16);
    }

    #[test]
    fn big_endian_fields() {
        let b = [0xC0, 0x3B, 0x39, 0x98, 0, 0, 0, 2, 0, 0, 1, 0];
        let h = header(&b).expect("magic");
        assert_eq!((h.h_blocktype.0, h.h_sequence.0), (2, 256));
        assert_eq!(header(&b[..11]), None);
        assert_eq!(header(&[0u8; 12]), None);
        assert_eq!(Be16::read_le(&[1, 2], 0).0, 0x0102);
        assert_eq!(Be64::read_le(&[1], 0).0, 1 << 56);
        assert_eq!(Be32::read_le(&[1, 2, 3, 4], usize::MAX).0, 0);
    }

    #[test]
    fn hostile_descriptors_stay_in_the_block() {
        let f = JournalFeatures { incompat: INCOMPAT_CSUM_V3 | INCOMPAT_64BIT, ..Default::default() };
        // Every tag says SAME_UUID and never LAST: tags fill the block and stop.
        let mut b = [0u8; 1024];
        for t in 0..(1024 - 16) / 16 {
            b[12 + t * 16 + 7] = TAG_SAME_UUID as u8;
        }
        let tags = descriptor_tags(&b, &f);
        assert_eq!(tags.len(), (1024 - 12 - 4) / 16);
        assert!(tags.iter().all(|t| t.offset + t.len <= 1020));
        // A tiny block, and a revoke count far past the end.
        assert!(descriptor_tags(&b[..20], &f).is_empty());
        let mut r = [0u8; 64];
        r[12..16].copy_from_slice(&u32::MAX.to_be_bytes());
        assert_eq!(revoke_records(&r, &f).len(), (64 - 16) / 8);
        assert_eq!(tail_checksum(&b[..8], &f), ChecksumStatus::NONE);
        assert_eq!(commit_checksum(&b[..20], &f), ChecksumStatus::NONE);
    }

    #[test]
    fn feature_names() {
        let f = JournalFeatures {
            compat: 0,
            incompat: INCOMPAT_REVOKE | INCOMPAT_64BIT | INCOMPAT_CSUM_V3 | 0x400,
            ro_compat: 1,
            csum_seed: 0,
        };
        assert_eq!(
            f.names(),
            ["journal_incompat_revoke", "journal_64bit", "journal_checksum_v3", "FEATURE_I10", "FEATURE_R0"]
        );
    }
}
