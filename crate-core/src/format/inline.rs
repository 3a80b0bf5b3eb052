//! Inline data (`INLINE_DATA_FL`): the first 60 bytes of the file live in
//! `i_block`, the rest in the value of the `system.data` extended attribute in
//! the inode's in-inode xattr area.
//!
//! This module carries its own minimal reader of the in-inode xattr area, just
//! enough to find `system.data`: the area after the extra fields starts with the
//! magic 0xEA020000, then entries (`e_name_len`, `e_name_index`, `e_value_offs`,
//! `e_value_inum`, `e_value_size`, `e_hash`, name padded to 4 bytes) until four
//! zero bytes; value offsets count from the first entry.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::error::{Location, Severity};
use crate::filemap::{structure, MapBuilder, MapNode, NodeKind};
use crate::format::group_desc::ChecksumStatus;
use crate::format::inode::{Inode, I_BLOCK_LEN};
use crate::fs::Fs;

/// Magic at the start of the in-inode xattr area.
pub const XATTR_MAGIC: u32 = 0xEA02_0000;
/// `e_name_index` of the `system.` namespace.
pub const SYSTEM_INDEX: u8 = 7;

/// Where the `system.data` value is, or why it could not be found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SystemData {
    /// Found: the value's bytes.
    Found(Vec<u8>),
    /// The inode has no in-inode xattr area or no `system.data` entry.
    Absent,
    /// The area or the entry is corrupt.
    Corrupt(String),
}

fn le32(b: &[u8], at: usize) -> Option<u32> {
    let w = b.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes([w[0], w[1], w[2], w[3]]))
}

fn le16(b: &[u8], at: usize) -> Option<u16> {
    let w = b.get(at..at.checked_add(2)?)?;
    Some(u16::from_le_bytes([w[0], w[1]]))
}

/// Find `system.data` in an in-inode xattr area (`area` starts at the magic).
pub fn find_system_data(area: &[u8]) -> SystemData {
    if area.len() < 4 || le32(area, 0) != Some(XATTR_MAGIC) {
        return SystemData::Absent;
    }
    let entries = &area[4..];
    let mut off = 0usize;
    // Each entry is at least 16 bytes, so this loop ends within the area.
    while let Some(head) = entries.get(off..off + 16) {
        if le32(head, 0) == Some(0) {
            break;
        }
        let name_len = usize::from(head[0]);
        let index = head[1];
        let value_offs = usize::from(le16(head, 2).unwrap_or(0));
        let value_inum = le32(head, 4).unwrap_or(0);
        let value_size = le32(head, 8).unwrap_or(0) as usize;
        let Some(name) = entries.get(off + 16..off + 16 + name_len) else {
            return SystemData::Corrupt(format!("xattr entry at byte {off} has a name past the area"));
        };
        if index == SYSTEM_INDEX && name == b"data" {
            if value_inum != 0 {
                return SystemData::Corrupt(String::from("system.data is stored in an EA inode"));
            }
            return match entries.get(value_offs..value_offs.saturating_add(value_size)) {
                Some(v) => SystemData::Found(v.to_vec()),
                None => SystemData::Corrupt(format!(
                    "system.data value ({value_size} bytes at offset {value_offs}) runs past the xattr area ({} bytes)",
                    entries.len()
                )),
            };
        }
        off += (16 + name_len).div_ceil(4) * 4;
    }
    SystemData::Absent
}

/// The inline bytes: `i_block` then the `system.data` value, cut to `i_size`.
pub fn inline_bytes(_fs: &Fs, inode: &Inode) -> Vec<u8> {
    let mut v = inode.i_block().to_vec();
    if let SystemData::Found(extra) = find_system_data(inode.xattr_area()) {
        v.extend_from_slice(&extra);
    }
    let size = usize::try_from(inode.size()).unwrap_or(usize::MAX);
    v.truncate(size);
    v
}

impl Fs {
    /// Bytes of inline data available (60 in `i_block` plus the `system.data` value).
    pub fn inline_len(&self, inode: &Inode) -> u64 {
        let extra = match find_system_data(inode.xattr_area()) {
            SystemData::Found(v) => v.len(),
            _ => 0,
        };
        (I_BLOCK_LEN + extra) as u64
    }
}

/// Describe an inline inode's map: one node, problems when `i_size` exceeds what
/// the inode holds or `system.data` is corrupt.
pub(crate) fn describe(fs: &Fs, inode: &Inode, b: &mut MapBuilder) {
    b.add_node(MapNode {
        kind: NodeKind::Inline,
        block: None,
        level: 0,
        depth: None,
        entries: 0,
        max: 0,
        generation: None,
        checksum: ChecksumStatus::NONE,
        items: Vec::new(),
    });
    let area_at = Location {
        byte: inode.at.byte.and_then(|x| x.checked_add(inode.xattr_area_offset() as u64)),
        ..inode.at
    };
    match find_system_data(inode.xattr_area()) {
        SystemData::Corrupt(m) => {
            b.problem(Severity::Error, structure(inode.ino, "inline data"), area_at, m);
        }
        SystemData::Absent if inode.bytes.len() > 128 => {
            b.problem(
                Severity::Warning,
                structure(inode.ino, "inline data"),
                area_at,
                String::from("INLINE_DATA_FL is set but there is no system.data attribute in the inode"),
            );
        }
        _ => {}
    }
    let have = fs.inline_len(inode);
    if inode.size() > have {
        b.problem(
            Severity::Error,
            structure(inode.ino, "inline data"),
            inode.at,
            format!("i_size is {} but the inode holds only {have} bytes of inline data", inode.size()),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_system_data_after_other_entries() {
        let mut a = XATTR_MAGIC.to_le_bytes().to_vec();
        // entry 1: user.x = "hi" (index 1, name_len 1), 2 bytes at 44
        a.extend_from_slice(&[1, 1]);
        a.extend_from_slice(&44u16.to_le_bytes());
        a.extend_from_slice(&0u32.to_le_bytes());
        a.extend_from_slice(&2u32.to_le_bytes());
        a.extend_from_slice(&0u32.to_le_bytes());
        a.extend_from_slice(b"x\0\0\0");
        // entry 2: system.data, 3 bytes at 48
        a.extend_from_slice(&[4, 7]);
        a.extend_from_slice(&48u16.to_le_bytes());
        a.extend_from_slice(&0u32.to_le_bytes());
        a.extend_from_slice(&3u32.to_le_bytes());
        a.extend_from_slice(&0u32.to_le_bytes());
        a.extend_from_slice(b"data");
        a.extend_from_slice(&[0; 4]);
        // Values start after the end marker: "hi" at 44, "abc" at 48.
        assert_eq!(a.len(), 4 + 44);
        a.extend_from_slice(b"hi\0\0abc");
        assert_eq!(find_system_data(&a), SystemData::Found(b"abc".to_vec()));
        // The value past the end is corrupt, not a panic.
        let short = &a[..a.len() - 2];
        assert!(matches!(find_system_data(short), SystemData::Corrupt(_)));
        assert_eq!(find_system_data(&[0; 16]), SystemData::Absent);
    }
}
