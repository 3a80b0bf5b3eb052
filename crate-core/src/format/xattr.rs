//! Extended attributes: in the inode (after `128 + i_extra_isize`) and in an
//! external block (`i_file_acl`), with large values in EA inodes (`ea_inode`).
//!
//! In the inode, the area starts with the magic 0xEA020000, then entries;
//! value offsets count from the first entry. In a block, a 32-byte header
//! (`h_magic`, `h_refcount`, `h_blocks`, `h_hash`, `h_checksum`) comes first and
//! value offsets count from the block start. An entry is 16 bytes
//! (`e_name_len`, `e_name_index`, `e_value_offs`, `e_value_inum`,
//! `e_value_size`, `e_hash`) and the name, padded to 4 bytes; four zero bytes
//! end the list. Values are packed at the end of the area, each padded to 4.
//!
//! Hashes: an entry's `e_hash` mixes the name bytes (rotate left 5, xor) and
//! then the value's le32 words (rotate left 16, xor); with the value in an EA
//! inode, the one word is that inode's value hash (kept in its `i_atime`). The
//! block's `h_hash` mixes the entry hashes (rotate left 16, xor), and is 0 if
//! any entry hash is 0. With metadata_csum the block has a crc32c: file system
//! seed, le64 block number, the block with `h_checksum` as zero.
//!
//! Kernels before 6.2 hashed name bytes as signed `char` on most
//! architectures, so a hash that matches only the signed variant is accepted
//! (as the kernel and e2fsck do).

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

use crate::checksum::{crc32c, Crc32c};
use crate::disk_struct;
use crate::error::{Location, Problem, Severity};
use crate::format::features::INCOMPAT_EA_INODE;
use crate::format::group_desc::{ChecksumKind, ChecksumStatus};
use crate::format::inode::{Inode, EA_INODE_FL};
use crate::fs::Fs;

disk_struct! {
    /// `ext4_xattr_header`: the start of an xattr block.
    pub struct XattrBlockHeader, XATTR_HEADER_FIELDS, size = 32 {
        0x00 h_magic: u32,
        0x04 h_refcount: u32,
        0x08 h_blocks: u32,
        0x0C h_hash: u32,
        0x10 h_checksum: u32,
        0x14 h_reserved: [u32; 3],
    }
}

disk_struct! {
    /// `ext4_xattr_ibody_header`: the start of the in-inode area.
    pub struct XattrIbodyHeader, XATTR_IBODY_HEADER_FIELDS, size = 4 {
        0x0 h_magic: u32,
    }
}

disk_struct! {
    /// `ext4_xattr_entry`: the fixed part of an entry; the name follows.
    pub struct XattrEntryRaw, XATTR_ENTRY_FIELDS, size = 16 {
        0x0 e_name_len: u8,
        0x1 e_name_index: u8,
        0x2 e_value_offs: u16,
        0x4 e_value_inum: u32,
        0x8 e_value_size: u32,
        0xC e_hash: u32,
    }
}

/// Magic of both the block header and the in-inode header.
pub const XATTR_MAGIC: u32 = 0xEA02_0000;
/// `user.`
pub const INDEX_USER: u8 = 1;
/// `system.posix_acl_access`
pub const INDEX_POSIX_ACL_ACCESS: u8 = 2;
/// `system.posix_acl_default`
pub const INDEX_POSIX_ACL_DEFAULT: u8 = 3;
/// `trusted.`
pub const INDEX_TRUSTED: u8 = 4;
/// `lustre.` (no handler in the kernel)
pub const INDEX_LUSTRE: u8 = 5;
/// `security.`
pub const INDEX_SECURITY: u8 = 6;
/// `system.` (`system.data` holds inline data)
pub const INDEX_SYSTEM: u8 = 7;
/// `system.richacl`
pub const INDEX_RICHACL: u8 = 8;
/// The encryption context (`c`), not visible to users.
pub const INDEX_ENCRYPTION: u8 = 9;
/// Largest value the kernel accepts (`XATTR_SIZE_MAX`); also the most read from an EA inode.
pub const VALUE_MAX: u32 = 65536;

/// The name prefix of a name index, as e2fsprogs and the kernel spell it.
pub fn prefix(index: u8) -> Option<&'static str> {
    Some(match index {
        INDEX_USER => "user.",
        INDEX_POSIX_ACL_ACCESS => "system.posix_acl_access",
        INDEX_POSIX_ACL_DEFAULT => "system.posix_acl_default",
        INDEX_TRUSTED => "trusted.",
        INDEX_LUSTRE => "lustre.",
        INDEX_SECURITY => "security.",
        INDEX_SYSTEM => "system.",
        INDEX_RICHACL => "system.richacl",
        INDEX_ENCRYPTION => "encryption.",
        _ => return None,
    })
}

/// The full name of an attribute: prefix and stored name (lossy UTF-8).
pub fn full_name(index: u8, suffix: &[u8]) -> String {
    let s = String::from_utf8_lossy(suffix);
    match prefix(index) {
        Some(p) => format!("{p}{s}"),
        None => format!("index{index}:{s}"),
    }
}

/// An entry's hash: name bytes, then value words (`ext4_xattr_hash_entry`).
/// `signed` reads name bytes as signed `char` (pre-6.2 kernels on x86).
pub fn entry_hash(name: &[u8], words: impl IntoIterator<Item = u32>, signed: bool) -> u32 {
    let mut h = 0u32;
    for &c in name {
        let c = if signed { i32::from(c as i8) as u32 } else { u32::from(c) };
        h = h.rotate_left(5) ^ c;
    }
    for w in words {
        h = h.rotate_left(16) ^ w;
    }
    h
}

/// The value's little-endian words, zero-padded to a multiple of 4 bytes.
pub fn value_words(v: &[u8]) -> impl Iterator<Item = u32> + '_ {
    v.chunks(4).map(|c| {
        let mut w = [0u8; 4];
        w[..c.len()].copy_from_slice(c);
        u32::from_le_bytes(w)
    })
}

/// A block's `h_hash` from its entries' hashes (`ext4_xattr_rehash`).
pub fn block_hash(entry_hashes: impl IntoIterator<Item = u32>) -> u32 {
    let mut h = 0u32;
    for e in entry_hashes {
        if e == 0 {
            return 0;
        }
        h = h.rotate_left(16) ^ e;
    }
    h
}

/// Where an attribute lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum XattrPlace {
    /// In the inode record.
    Inode,
    /// In the external block.
    Block,
}

/// An entry hash and its verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct HashStatus {
    /// `e_hash` as stored.
    pub stored: u32,
    /// Computed (unsigned name bytes), when the value could be read.
    pub computed: Option<u32>,
    /// `None` when not checked (value unread, or 0 stored in the inode, which old kernels wrote).
    pub ok: Option<bool>,
}

/// One extended attribute.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Xattr {
    /// Full name (`user.foo`, `system.posix_acl_access`).
    pub name: String,
    /// `e_name_index`.
    pub name_index: u8,
    /// The stored name after the prefix.
    pub suffix: Vec<u8>,
    /// In the inode or the block.
    pub place: XattrPlace,
    /// Byte offset of the entry in its area (inode record or block).
    pub entry_offset: u32,
    /// Absolute byte of the entry in the image.
    pub entry_byte: Option<u64>,
    /// `e_value_offs`.
    pub value_offs: u16,
    /// `e_value_inum`: the EA inode holding the value (0 = value stored here).
    pub value_inum: u32,
    /// `e_value_size`.
    pub value_size: u32,
    /// The value (empty when it could not be read; see `value_complete`).
    pub value: Vec<u8>,
    /// Absolute byte of the value in the image, for values stored in the area.
    pub value_byte: Option<u64>,
    /// The whole value was read.
    pub value_complete: bool,
    /// The value as text: printable UTF-8, or a decoded POSIX ACL.
    pub value_text: Option<String>,
    /// `e_hash`.
    pub hash: HashStatus,
}

/// The external xattr block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct XattrBlock {
    /// Block number (`i_file_acl`).
    pub block: u64,
    /// `h_magic`.
    pub magic: u32,
    /// `h_refcount`: inodes sharing the block.
    pub refcount: u32,
    /// `h_blocks` (1).
    pub blocks: u32,
    /// `h_hash` as stored.
    pub hash: u32,
    /// `h_hash` computed from the entries.
    pub hash_computed: u32,
    /// The block checksum (metadata_csum).
    pub checksum: ChecksumStatus,
}

/// Everything about an inode's extended attributes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct XattrReport {
    /// The inode.
    pub ino: u32,
    /// Bytes available for in-inode attributes (after the extra fields).
    pub in_inode_space: u32,
    /// The in-inode area starts with the magic.
    pub in_inode_magic: bool,
    /// The external block, when `i_file_acl` is set and readable.
    pub block: Option<XattrBlock>,
    /// Attributes: in-inode ones first, then the block's, in stored order.
    pub entries: Vec<Xattr>,
    /// Problems.
    pub problems: Vec<Problem>,
}

impl XattrReport {
    /// The attribute with this full name.
    pub fn get(&self, name: &str) -> Option<&Xattr> {
        self.entries.iter().find(|x| x.name == name)
    }
}

/// Decode a POSIX ACL value (`ext4_acl_header` version 1, then entries of
/// tag, perm and, for named users and groups, an id) as `getfacl` text.
pub fn posix_acl_text(v: &[u8]) -> Option<String> {
    let le16 = |i: usize| v.get(i..i + 2).map(|b| u16::from_le_bytes([b[0], b[1]]));
    let le32 = |i: usize| v.get(i..i + 4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]));
    if le32(0)? != 1 {
        return None;
    }
    let mut out: Vec<String> = Vec::new();
    let mut at = 4;
    while at < v.len() {
        let tag = le16(at)?;
        let perm = le16(at + 2)?;
        let p = |bit: u16, c: char| if perm & bit != 0 { c } else { '-' };
        let perms: String = [p(4, 'r'), p(2, 'w'), p(1, 'x')].iter().collect();
        let (text, len) = match tag {
            0x01 => (format!("user::{perms}"), 4),
            0x02 => (format!("user:{}:{perms}", le32(at + 4)?), 8),
            0x04 => (format!("group::{perms}"), 4),
            0x08 => (format!("group:{}:{perms}", le32(at + 4)?), 8),
            0x10 => (format!("mask::{perms}"), 4),
            0x20 => (format!("other::{perms}"), 4),
            _ => return None,
        };
        out.push(text);
        at += len;
    }
    Some(out.join(","))
}

/// Convert a stored POSIX ACL (`ext4_acl` version 1, short entries for the
/// owner, group, mask and other) to what `getxattr` returns
/// (`posix_acl_xattr` version 2: every entry 8 bytes, id -1 where there is none).
pub fn posix_acl_to_xattr(v: &[u8]) -> Option<Vec<u8>> {
    let le16 = |i: usize| v.get(i..i + 2).map(|b| u16::from_le_bytes([b[0], b[1]]));
    let le32 = |i: usize| v.get(i..i + 4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]));
    if le32(0)? != 1 {
        return None;
    }
    let mut out = 2u32.to_le_bytes().to_vec();
    let mut at = 4;
    while at < v.len() {
        let tag = le16(at)?;
        let perm = le16(at + 2)?;
        let (id, len) = match tag {
            0x02 | 0x08 => (le32(at + 4)?, 8),
            0x01 | 0x04 | 0x10 | 0x20 => (u32::MAX, 4),
            _ => return None,
        };
        out.extend_from_slice(&tag.to_le_bytes());
        out.extend_from_slice(&perm.to_le_bytes());
        out.extend_from_slice(&id.to_le_bytes());
        at += len;
    }
    Some(out)
}

fn value_text(index: u8, v: &[u8]) -> Option<String> {
    if index == INDEX_POSIX_ACL_ACCESS || index == INDEX_POSIX_ACL_DEFAULT {
        return posix_acl_text(v);
    }
    let body = v.strip_suffix(&[0]).unwrap_or(v);
    let s = core::str::from_utf8(body).ok()?;
    (!s.chars().any(|c| c.is_control() && c != '\n' && c != '\t')).then(|| String::from(s))
}

struct Area<'a> {
    bytes: &'a [u8],
    /// Offset of the first entry in `bytes`.
    entries_start: usize,
    /// Offset that value offsets count from.
    value_base: usize,
    /// Absolute byte of `bytes[0]`.
    base_byte: Option<u64>,
    /// Offset of `bytes[0]` in the structure reported (inode record / block).
    report_base: usize,
    place: XattrPlace,
    structure: String,
    location: Location,
}

impl Area<'_> {
    fn at(&self, off: usize) -> Location {
        Location { byte: self.base_byte.and_then(|b| b.checked_add(off as u64)), ..self.location }
    }
}

/// Walk an area's entries. Each entry is at least 16 bytes, so the walk ends
/// within the area; values are bounds-checked against it.
fn walk_entries(fs: &Fs, a: &Area<'_>, problems: &mut Vec<Problem>) -> Vec<Xattr> {
    let b = a.bytes;
    let mut out = Vec::new();
    let mut off = a.entries_start;
    let mut ended = false;
    let mut heads = Vec::new();
    while off + 4 <= b.len() {
        if b[off..off + 4] == [0; 4] {
            ended = true;
            break;
        }
        let Some(head) = b.get(off..off + 16) else {
            problems.push(Problem {
                severity: Severity::Error,
                structure: a.structure.clone(),
                at: a.at(off),
                message: format!(
                    "xattr entry at offset {} runs past the end of the area",
                    off + a.report_base
                ),
            });
            break;
        };
        let e = XattrEntryRaw::parse(head);
        let name_end = off + 16 + usize::from(e.e_name_len);
        let Some(name) = b.get(off + 16..name_end) else {
            problems.push(Problem {
                severity: Severity::Error,
                structure: a.structure.clone(),
                at: a.at(off),
                message: format!(
                    "xattr entry at offset {}: name of {} bytes runs past the end of the area",
                    off + a.report_base,
                    e.e_name_len
                ),
            });
            break;
        };
        heads.push((off, e, name));
        off = (name_end + 3) & !3;
    }
    if !ended {
        problems.push(Problem {
            severity: Severity::Error,
            structure: a.structure.clone(),
            at: a.at(off.min(b.len())),
            message: String::from("the xattr entry list has no end marker (four zero bytes) inside the area"),
        });
    }
    let entries_end = off + 4;
    for (off, e, name) in heads {
        let mut x = Xattr {
            name: full_name(e.e_name_index, name),
            name_index: e.e_name_index,
            suffix: name.to_vec(),
            place: a.place,
            entry_offset: (off + a.report_base) as u32,
            entry_byte: a.base_byte.and_then(|x| x.checked_add(off as u64)),
            value_offs: e.e_value_offs,
            value_inum: e.e_value_inum,
            value_size: e.e_value_size,
            value: Vec::new(),
            value_byte: None,
            value_complete: false,
            value_text: None,
            hash: HashStatus { stored: e.e_hash, computed: None, ok: None },
        };
        let label = x.name.clone();
        let mut problem = |sev: Severity, msg: String| {
            problems.push(Problem {
                severity: sev,
                structure: a.structure.clone(),
                at: a.at(off),
                message: msg,
            })
        };
        if prefix(e.e_name_index).is_none() {
            problem(Severity::Warning, format!("xattr {label:?}: unknown name index {}", e.e_name_index));
        }
        if e.e_value_size > VALUE_MAX {
            problem(
                Severity::Error,
                format!("xattr {label:?}: value size {} is over {VALUE_MAX}", e.e_value_size),
            );
        }
        let mut hash_words: Option<Vec<u32>> = None;
        if e.e_value_inum != 0 {
            if !fs.features().incompat(INCOMPAT_EA_INODE) {
                problem(
                    Severity::Error,
                    format!(
                        "xattr {label:?}: value in EA inode {} but the file system has no ea_inode feature",
                        e.e_value_inum
                    ),
                );
            }
            match read_ea_inode(fs, e.e_value_inum, e.e_value_size) {
                Ok((value, ea_hash)) => {
                    x.value_text = value_text(e.e_name_index, &value);
                    x.value_complete = value.len() == e.e_value_size as usize;
                    x.value = value;
                    hash_words = Some(alloc::vec![ea_hash]);
                }
                Err(m) => problem(Severity::Error, format!("xattr {label:?}: {m}")),
            }
        } else if e.e_value_size > 0 {
            let start = a.value_base.checked_add(usize::from(e.e_value_offs));
            let end = start.and_then(|s| s.checked_add(e.e_value_size as usize));
            match (start, end) {
                (Some(s), Some(t)) if t <= b.len() => {
                    if s < entries_end {
                        problem(
                            Severity::Error,
                            format!(
                                "xattr {label:?}: value at offset {} overlaps the entry list (ends at {})",
                                s + a.report_base,
                                entries_end + a.report_base
                            ),
                        );
                    }
                    let v = &b[s..t];
                    x.value = v.to_vec();
                    x.value_byte = a.base_byte.and_then(|q| q.checked_add(s as u64));
                    x.value_complete = true;
                    x.value_text = value_text(e.e_name_index, v);
                    hash_words = Some(value_words(v).collect());
                }
                _ => problem(
                    Severity::Error,
                    format!(
                        "xattr {label:?}: value ({} bytes at offset {}) runs past the end of the area ({} bytes)",
                        e.e_value_size,
                        e.e_value_offs,
                        b.len().saturating_sub(a.value_base)
                    ),
                ),
            }
        } else {
            x.value_complete = true;
            hash_words = Some(Vec::new());
        }
        if let Some(words) = hash_words {
            let unsigned = entry_hash(name, words.iter().copied(), false);
            let signed = entry_hash(name, words.iter().copied(), true);
            x.hash.computed = Some(unsigned);
            // Old kernels left e_hash 0 for in-inode attributes.
            let checked = !(a.place == XattrPlace::Inode && e.e_hash == 0);
            if checked {
                let ok = e.e_hash == unsigned || e.e_hash == signed;
                x.hash.ok = Some(ok);
                if !ok {
                    problem(
                        Severity::Error,
                        format!("xattr {label:?}: e_hash is 0x{:08x}, computed 0x{unsigned:08x}", e.e_hash),
                    );
                }
            }
        }
        out.push(x);
    }
    out
}

/// Read an EA inode's value, at most [`VALUE_MAX`] bytes: (value, its hash from `i_atime`).
fn read_ea_inode(fs: &Fs, inum: u32, size: u32) -> core::result::Result<(Vec<u8>, u32), String> {
    if size > VALUE_MAX {
        return Err(format!("EA inode {inum} value of {size} bytes is over {VALUE_MAX}; not read"));
    }
    let ea = fs.inode(inum).map_err(|e| format!("EA inode {inum} cannot be read: {e}"))?;
    if ea.flags() & EA_INODE_FL == 0 {
        return Err(format!("inode {inum} is referenced as an EA inode but has no EA_INODE_FL; not read"));
    }
    if ea.size() != u64::from(size) {
        return Err(format!("EA inode {inum} has i_size {} but the entry says {size} bytes", ea.size()));
    }
    let v = fs
        .read_file(&ea, 0, size as usize)
        .map_err(|e| format!("EA inode {inum} value cannot be read: {e}"))?;
    Ok((v, ea.raw.i_atime))
}

/// The value hash an EA inode should carry in `i_atime`: crc32c of the value from the file system seed.
pub fn ea_inode_value_hash(fs: &Fs, value: &[u8]) -> u32 {
    crc32c(fs.sb.csum_seed(), value)
}

/// The in-inode attributes of `inode` (empty when the area has no magic).
pub fn in_inode(fs: &Fs, inode: &Inode) -> XattrReport {
    let area = inode.xattr_area();
    let mut r = XattrReport {
        ino: inode.ino,
        in_inode_space: area.len() as u32,
        in_inode_magic: false,
        block: None,
        entries: Vec::new(),
        problems: Vec::new(),
    };
    if area.len() < 4 || XattrIbodyHeader::parse(area).h_magic != XATTR_MAGIC {
        return r;
    }
    r.in_inode_magic = true;
    let off = inode.xattr_area_offset();
    let a = Area {
        bytes: area,
        entries_start: 4,
        value_base: 4,
        base_byte: inode.at.byte.and_then(|b| b.checked_add(off as u64)),
        report_base: off,
        place: XattrPlace::Inode,
        structure: format!("inode {} xattrs", inode.ino),
        location: Location { block: inode.at.block, inode: Some(inode.ino), ..Default::default() },
    };
    let mut problems = Vec::new();
    r.entries = walk_entries(fs, &a, &mut problems);
    r.problems = problems;
    r
}

/// The block checksum: seed, le64 block number, the block with `h_checksum` zero.
pub fn block_checksum(fs: &Fs, blk: u64, block: &[u8]) -> ChecksumStatus {
    if !fs.sb.has_metadata_csum() {
        return ChecksumStatus::NONE;
    }
    let h = XattrBlockHeader::parse(block);
    let mut c = Crc32c::new(fs.sb.csum_seed());
    c.update(&blk.to_le_bytes());
    c.update(block.get(..0x10).unwrap_or(block)).zeros(4);
    c.update(block.get(0x14..).unwrap_or(&[]));
    ChecksumStatus::new(ChecksumKind::Crc32c, h.h_checksum, c.value())
}

impl Fs {
    /// Every extended attribute of `inode`, in the inode and in its block.
    pub fn xattrs(&self, inode: &Inode) -> XattrReport {
        let mut r = in_inode(self, inode);
        let blk = inode.file_acl();
        if blk == 0 {
            return r;
        }
        let structure = format!("xattr block {blk}");
        let bs = self.block_size();
        let at = Location::block(blk, bs, 0).with_inode(inode.ino);
        if blk < self.geo.first_data_block || blk >= self.geo.blocks_count {
            r.problems.push(Problem {
                severity: Severity::Error,
                structure,
                at,
                message: format!("i_file_acl {blk} is outside the file system"),
            });
            return r;
        }
        let block = match self.block(blk) {
            Ok(b) => b,
            Err(e) => {
                r.problems.push(Problem {
                    severity: Severity::Error,
                    structure,
                    at,
                    message: format!("cannot read the xattr block: {e}"),
                });
                return r;
            }
        };
        let h = XattrBlockHeader::parse(&block);
        if h.h_magic != XATTR_MAGIC {
            r.problems.push(Problem {
                severity: Severity::Error,
                structure,
                at,
                message: format!(
                    "h_magic is 0x{:08x}, expected 0x{XATTR_MAGIC:08x}: not an xattr block",
                    h.h_magic
                ),
            });
            return r;
        }
        if h.h_blocks != 1 {
            r.problems.push(Problem {
                severity: Severity::Error,
                structure: structure.clone(),
                at: Location::block(blk, bs, 8).with_inode(inode.ino),
                message: format!("h_blocks is {}, expected 1", h.h_blocks),
            });
        }
        if h.h_refcount == 0 {
            r.problems.push(Problem {
                severity: Severity::Error,
                structure: structure.clone(),
                at: Location::block(blk, bs, 4).with_inode(inode.ino),
                message: String::from("h_refcount is 0 but an inode uses the block"),
            });
        }
        let checksum = block_checksum(self, blk, &block);
        if checksum.ok == Some(false) {
            r.problems.push(Problem {
                severity: Severity::Error,
                structure: structure.clone(),
                at: Location::block(blk, bs, 0x10).with_inode(inode.ino),
                message: format!(
                    "xattr block checksum does not match (stored 0x{:08x}, computed 0x{:08x})",
                    checksum.stored, checksum.computed
                ),
            });
        }
        let a = Area {
            bytes: &block,
            entries_start: XattrBlockHeader::SIZE,
            value_base: 0,
            base_byte: blk.checked_mul(u64::from(bs)),
            report_base: 0,
            place: XattrPlace::Block,
            structure: structure.clone(),
            location: Location { block: Some(blk), inode: Some(inode.ino), ..Default::default() },
        };
        let entries = walk_entries(self, &a, &mut r.problems);
        let hash_computed = block_hash(entries.iter().map(|x| x.hash.stored));
        if hash_computed != h.h_hash {
            // The kernel uses h_hash only to find identical blocks to share
            // (mbcache) and e2fsck does not check it; debugfs leaves it 0.
            r.problems.push(Problem {
                severity: Severity::Info,
                structure,
                at: Location::block(blk, bs, 0x0C).with_inode(inode.ino),
                message: format!(
                    "h_hash is 0x{:08x}, computed 0x{hash_computed:08x} from the entry hashes \
                     (used only to share identical blocks; e2fsck does not check it)",
                    h.h_hash
                ),
            });
        }
        r.block = Some(XattrBlock {
            block: blk,
            magic: h.h_magic,
            refcount: h.h_refcount,
            blocks: h.h_blocks,
            hash: h.h_hash,
            hash_computed,
            checksum,
        });
        r.entries.extend(entries);
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::table_is_contiguous;

    #[test]
    fn field_tables_are_contiguous() {
        assert_eq!(table_is_contiguous(XATTR_HEADER_FIELDS, XattrBlockHeader::SIZE), Ok(()));
        assert_eq!(table_is_contiguous(XATTR_IBODY_HEADER_FIELDS, XattrIbodyHeader::SIZE), Ok(()));
        assert_eq!(table_is_contiguous(XATTR_ENTRY_FIELDS, XattrEntryRaw::SIZE), Ok(()));
    }

    #[test]
    fn acl_text() {
        // From the extents fixture's acl-file (debugfs ea_list).
        let v = [
            0x01, 0, 0, 0, 0x01, 0, 0x06, 0, 0x02, 0, 0x04, 0, 0xe8, 0x03, 0, 0, 0x04, 0, 0x04, 0, 0x10, 0,
            0x04, 0, 0x20, 0, 0x04, 0,
        ];
        assert_eq!(
            posix_acl_text(&v).as_deref(),
            Some("user::rw-,user:1000:r--,group::r--,mask::r--,other::r--")
        );
        assert_eq!(posix_acl_text(&v[..7]), None);
        assert_eq!(posix_acl_text(&[2, 0, 0, 0]), None);
    }

    #[test]
    fn names() {
        assert_eq!(full_name(INDEX_USER, b"k00"), "user.k00");
        assert_eq!(full_name(INDEX_POSIX_ACL_ACCESS, b""), "system.posix_acl_access");
        assert_eq!(full_name(200, b"x"), "index200:x");
    }

    #[test]
    fn hashes_signed_and_unsigned() {
        assert_eq!(entry_hash(b"a", [], false), 0x61);
        assert_eq!(entry_hash(b"ab", [], false), (0x61u32 << 5) ^ 0x62);
        assert_ne!(entry_hash(b"\xe9", [], false), entry_hash(b"\xe9", [], true));
        assert_eq!(value_words(b"abcde").collect::<Vec<_>>(), [0x6463_6261, 0x65]);
        assert_eq!(block_hash([1, 0, 3]), 0);
        assert_eq!(block_hash([1, 2]), (1u32 << 16) ^ 2);
    }
}
