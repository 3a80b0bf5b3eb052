//! What a block is, at its home location, and the named fields of the records
//! in it: what the hex view highlights.
//!
//! The owner comes from [`Fs::owner_of`] (layout metadata at once; inode claims
//! once a scan has run). Extent tree nodes, xattr blocks and journal blocks
//! that no scan has attributed yet are recognised by their magic numbers and
//! said to be so.
//! Every field comes from the structures' `*_FIELDS` tables: there is no second
//! copy of any layout here.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::fields::{read_field, Field, FieldValue};
use crate::format::bitmap::Bitmap;
use crate::format::dir::{rec_len_from_disk, DirEntryHeader, DIR_ENTRY_FIELDS, DIR_TAIL_FIELDS};
use crate::format::extent::{
    ExtentHeader, EXTENT_FIELDS, EXTENT_HEADER_FIELDS, EXTENT_IDX_FIELDS, EXTENT_MAGIC, EXTENT_TAIL_FIELDS,
};
use crate::format::group_desc::GROUP_DESC_FIELDS;
use crate::format::inode::{InodeRaw, EXTENTS_FL, GOOD_OLD_INODE_SIZE, INODE_FIELDS, I_BLOCK_OFFSET};
use crate::format::journal::{
    self, JournalBlockKind, JournalFeatures, JournalSuperblock, BLOCK_TAG3_FIELDS, BLOCK_TAG_FIELDS,
    COMMIT_BLOCK_FIELDS, INCOMPAT_CSUM_V3, JOURNAL_HEADER_FIELDS, JOURNAL_SUPERBLOCK_FIELDS,
    REVOKE_HEADER_FIELDS, TAG_LAST, TAG_SAME_UUID,
};
use crate::format::superblock::{SUPERBLOCK_FIELDS, SUPERBLOCK_OFFSET};
use crate::format::xattr::{XattrEntryRaw, XATTR_ENTRY_FIELDS, XATTR_HEADER_FIELDS};
use crate::fs::Fs;
use crate::ownership::{Owner, OwnerKind, OwnershipMap};

/// Most fields listed for one block (the rest are left out; `truncated` says so).
pub const MAX_FIELDS: usize = 8192;

use crate::format::xattr::XATTR_MAGIC;

/// One named field at a byte range of the block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecodedField {
    /// Byte offset in the block.
    pub offset: u32,
    /// Size in bytes.
    pub size: u32,
    /// The spec's name (`s_inodes_count`, `ee_start_lo`).
    pub name: String,
    /// The raw value.
    pub value: FieldValue,
}

/// One record in the block (a superblock, a descriptor, an inode, an extent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecodedStruct {
    /// What it is, in words (`inode 12`, `extent 3`, `group descriptor 5`).
    pub name: String,
    /// Byte offset in the block.
    pub offset: u32,
    /// Length in bytes.
    pub len: u32,
    /// Its fields.
    pub fields: Vec<DecodedField>,
}

/// What a block is and the records in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlockDecode {
    /// The block.
    pub block: u64,
    /// The kind of the first owner (or the kind recognised by a magic number).
    pub kind: Option<OwnerKind>,
    /// In words: `inode table of group 0 (inodes 1-16)`.
    pub what: String,
    /// How the kind was found: `owner` (layout or scan) or `magic` (content only).
    pub how: String,
    /// Records, in block order.
    pub structures: Vec<DecodedStruct>,
    /// True when [`MAX_FIELDS`] cut the list.
    pub truncated: bool,
}

/// A group's two bitmaps, for the group page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupBitmaps {
    /// Block (cluster) bitmap, or why it could not be read.
    pub block: core::result::Result<Bitmap, String>,
    /// Inode bitmap, or why it could not be read.
    pub inode: core::result::Result<Bitmap, String>,
}

struct Out {
    structures: Vec<DecodedStruct>,
    fields: usize,
    truncated: bool,
}

impl Out {
    /// Add a record at `base` decoded with `table`, keeping fields that end by
    /// `limit` bytes into the record and inside the block.
    fn record(&mut self, name: String, block: &[u8], base: usize, len: usize, table: &[Field], limit: usize) {
        if base >= block.len() {
            return;
        }
        let rec = &block[base..block.len().min(base + len)];
        let mut fields = Vec::new();
        for f in table {
            if f.offset + f.size > limit.min(rec.len()) {
                continue;
            }
            if self.fields >= MAX_FIELDS {
                self.truncated = true;
                break;
            }
            self.fields += 1;
            fields.push(DecodedField {
                offset: (base + f.offset) as u32,
                size: f.size as u32,
                name: String::from(f.name),
                value: read_field(rec, f),
            });
        }
        self.structures.push(DecodedStruct { name, offset: base as u32, len: rec.len() as u32, fields });
    }

    /// A record with one raw field (names, pointer slots).
    fn raw(&mut self, name: String, offset: usize, size: usize, field: &str, value: FieldValue) {
        if self.fields >= MAX_FIELDS {
            self.truncated = true;
            return;
        }
        self.fields += 1;
        let f = DecodedField { offset: offset as u32, size: size as u32, name: String::from(field), value };
        self.structures.push(DecodedStruct {
            name,
            offset: offset as u32,
            len: size as u32,
            fields: [f].into(),
        });
    }
}

/// Layout metadata by block, for many lookups: every group's bitmaps and
/// inode table as sorted runs (built once), superblock copies and descriptor
/// blocks from the geometry. A cheap [`Fs::owner_of`] without a map, for
/// callers that ask about thousands of blocks (the journal timeline).
#[derive(Debug, Clone)]
pub struct LayoutIndex {
    /// (first, last, kind), sorted by first.
    runs: Vec<(u64, u64, OwnerKind)>,
}

impl LayoutIndex {
    /// The index of `fs`'s layout.
    pub fn new(fs: &Fs) -> Self {
        let itb = u64::from(fs.geo.inode_table_blocks);
        let mut runs = Vec::new();
        for g in fs.groups() {
            runs.push((g.block_bitmap, g.block_bitmap, OwnerKind::BlockBitmap));
            runs.push((g.inode_bitmap, g.inode_bitmap, OwnerKind::InodeBitmap));
            if itb > 0 {
                runs.push((g.inode_table, g.inode_table.saturating_add(itb - 1), OwnerKind::InodeTable));
            }
        }
        runs.sort_unstable_by_key(|r| r.0);
        LayoutIndex { runs }
    }

    /// The layout structure at block `b`, if any.
    pub fn kind(&self, fs: &Fs, b: u64) -> Option<OwnerKind> {
        if let Some(g) = fs.geo.group_of_block(b) {
            let head = fs.geo.group_head(g);
            if head.superblock == Some(b) {
                return Some(OwnerKind::Superblock);
            }
            let within = |r: Option<(u64, u64)>| r.is_some_and(|(s, n)| b >= s && b - s < n);
            if within(head.gdt) {
                return Some(OwnerKind::GroupDescriptors);
            }
            if within(head.reserved_gdt) {
                return Some(OwnerKind::ReservedGdt);
            }
        }
        let i = self.runs.partition_point(|r| r.0 <= b);
        // Runs can overlap on hostile images: look back a little.
        self.runs[..i].iter().rev().take(4).find(|r| b <= r.1).map(|r| r.2)
    }
}

/// What a block's bytes alone say it is, wherever it lives: an extent tree
/// node (magic 0xF30A and a sane `eh_max`), an xattr block (magic
/// 0xEA020000), a directory block (its records chain exactly to the end of
/// the block, live ones with a name and a known file type).
pub fn kind_by_content(block: &[u8], block_size: u32) -> Option<OwnerKind> {
    if u16_at(block, 0) == EXTENT_MAGIC {
        let h = ExtentHeader::parse(block);
        let cap = crate::format::extent::node_capacity(block.len());
        return (h.eh_max > 0 && usize::from(h.eh_max) <= cap).then_some(OwnerKind::ExtentTree);
    }
    if u32_at(block, 0) == XATTR_MAGIC {
        return Some(OwnerKind::Xattr);
    }
    let len = block.len();
    let (mut pos, mut live) = (0usize, 0usize);
    // Each step moves at least 12 bytes forward, so this ends.
    while pos < len {
        let h = DirEntryHeader::parse(block.get(pos..)?);
        let rec = rec_len_from_disk(h.rec_len, block_size) as usize;
        let name_len = usize::from(h.name_len);
        if rec < 12 || !rec.is_multiple_of(4) || pos + rec > len || 8 + name_len > rec {
            return None;
        }
        if h.inode != 0 {
            if name_len == 0 || h.file_type > 7 {
                return None;
            }
            live += 1;
        }
        pos += rec;
    }
    (pos == len && (live > 0 || len >= 1024)).then_some(OwnerKind::DirData)
}

fn u16_at(b: &[u8], o: usize) -> u16 {
    u16::from_le_bytes([b.get(o).copied().unwrap_or(0), b.get(o + 1).copied().unwrap_or(0)])
}

fn u32_at(b: &[u8], o: usize) -> u32 {
    u32::from(u16_at(b, o)) | (u32::from(u16_at(b, o + 2)) << 16)
}

impl Fs {
    /// What block `blk` is and the named fields of its records. `map` (a scan's
    /// ownership map, finished or not) adds inode claims to the layout ones.
    pub fn decode_block(&self, blk: u64, map: Option<&OwnershipMap>) -> Result<BlockDecode> {
        let block = self.block(blk)?;
        self.decode_block_bytes(blk, &block, map)
    }

    /// [`Fs::decode_block`] of other bytes for block `blk`: what a copy of the
    /// block (a logged one, an older one) says at that home location.
    pub fn decode_block_bytes(
        &self,
        blk: u64,
        block: &[u8],
        map: Option<&OwnershipMap>,
    ) -> Result<BlockDecode> {
        let report = self.owner_of(blk, map)?;
        let owner =
            report.owners.iter().find(|o| o.first_block <= blk && blk - o.first_block < o.blocks.max(1));
        let owner = owner.or(report.owners.first());
        let mut out = Out { structures: Vec::new(), fields: 0, truncated: false };
        let (kind, what, how) = match owner {
            Some(o) => {
                let what = self.decode_owned(blk, o, block, &mut out);
                (Some(o.kind), what, "owner")
            }
            None => match self.decode_by_magic(block, &mut out) {
                Some((k, what)) => (Some(k), what, "magic"),
                None if report.scan_complete => {
                    (Some(OwnerKind::Free), String::from("free: nothing claims it"), "owner")
                }
                None => (
                    None,
                    String::from("not layout metadata; run the block map scan to find which inode owns it"),
                    "none",
                ),
            },
        };
        Ok(BlockDecode {
            block: blk,
            kind,
            what,
            how: String::from(how),
            structures: out.structures,
            truncated: out.truncated,
        })
    }

    fn decode_owned(&self, blk: u64, o: &Owner, block: &[u8], out: &mut Out) -> String {
        let geo = &self.geo;
        let bs = geo.block_size as usize;
        let g = o.group.unwrap_or(0);
        match o.kind {
            OwnerKind::Superblock => {
                let base = if blk == 0 { SUPERBLOCK_OFFSET as usize } else { 0 };
                let name = if g == 0 {
                    String::from("primary superblock")
                } else {
                    format!("backup superblock (group {g})")
                };
                out.record(name.clone(), block, base, 1024, SUPERBLOCK_FIELDS, 1024);
                name
            }
            OwnerKind::GroupDescriptors => {
                let dpb = u64::from(geo.descs_per_block.max(1));
                let per_meta = u64::from(g) / dpb;
                let meta = geo.features.incompat(crate::format::features::INCOMPAT_META_BG)
                    && per_meta >= u64::from(geo.first_meta_bg)
                    && o.blocks == 1;
                // With bigalloc the owner may be a cluster-mate that starts after `blk`.
                let Some(rel) = blk.checked_sub(o.first_block) else {
                    return format!("in the same cluster as the {}", o.detail);
                };
                let index = if meta { per_meta } else { rel };
                let first = index * dpb;
                let ds = geo.desc_size as usize;
                for k in 0..dpb {
                    let gg = first + k;
                    if gg >= u64::from(geo.groups_count) {
                        break;
                    }
                    out.record(
                        format!("group descriptor {gg}"),
                        block,
                        k as usize * ds,
                        ds,
                        GROUP_DESC_FIELDS,
                        ds,
                    );
                }
                let last = (first + dpb).min(u64::from(geo.groups_count)).saturating_sub(1);
                format!("group descriptor table (groups {first}-{last}, copy in group {g})")
            }
            OwnerKind::InodeTable => {
                let isz = geo.inode_size as usize;
                let per = (bs / isz.max(1)) as u64;
                let Some(rel) = blk.checked_sub(o.first_block) else {
                    return format!("in the same cluster as the {}", o.detail);
                };
                let idx0 = rel * per;
                let first_ino = u64::from(g) * u64::from(geo.inodes_per_group) + idx0 + 1;
                for k in 0..per {
                    let ino = first_ino + k;
                    let base = k as usize * isz;
                    let rec = block.get(base..base + isz).unwrap_or(&[]);
                    let extra = if isz > GOOD_OLD_INODE_SIZE {
                        usize::from(u16_at(rec, 0x80)).min(isz - GOOD_OLD_INODE_SIZE)
                    } else {
                        0
                    };
                    out.record(
                        format!("inode {ino}"),
                        block,
                        base,
                        isz,
                        INODE_FIELDS,
                        GOOD_OLD_INODE_SIZE + extra,
                    );
                    let raw = InodeRaw::parse(rec);
                    if raw.i_flags & EXTENTS_FL != 0 && u16_at(rec, I_BLOCK_OFFSET) == EXTENT_MAGIC {
                        self.extent_node(
                            &format!("inode {ino} extent root"),
                            block,
                            base + I_BLOCK_OFFSET,
                            60,
                            out,
                        );
                    }
                }
                format!("inode table of group {g} (inodes {first_ino}-{})", first_ino + per.saturating_sub(1))
            }
            OwnerKind::BlockBitmap | OwnerKind::InodeBitmap => {
                let (what, bits) = if o.kind == OwnerKind::BlockBitmap {
                    ("block bitmap", self.clusters_per_group())
                } else {
                    ("inode bitmap", geo.inodes_per_group)
                };
                let n = (bits.div_ceil(8) as usize).min(bs);
                out.structures.push(DecodedStruct {
                    name: format!("{what} of group {g} ({bits} bits)"),
                    offset: 0,
                    len: n as u32,
                    fields: Vec::new(),
                });
                format!("{what} of group {g}")
            }
            OwnerKind::ExtentTree => {
                let ino = o.inode.unwrap_or(0);
                self.extent_node(&format!("inode {ino} extent node"), block, 0, bs, out);
                format!("extent tree node of inode {ino}")
            }
            OwnerKind::Ind | OwnerKind::Dind | OwnerKind::Tind => {
                let ino = o.inode.unwrap_or(0);
                let name = match o.kind {
                    OwnerKind::Ind => "indirect block",
                    OwnerKind::Dind => "double indirect block",
                    _ => "triple indirect block",
                };
                for i in 0..bs / 4 {
                    let p = u32_at(block, i * 4);
                    if p != 0 {
                        out.raw(
                            format!("slot {i}"),
                            i * 4,
                            4,
                            "block pointer",
                            FieldValue::Uint(u64::from(p)),
                        );
                    }
                }
                format!("{name} of inode {ino}")
            }
            OwnerKind::DirData => {
                let ino = o.inode.unwrap_or(0);
                self.dir_entries(block, out);
                match o.logical {
                    Some(l) => format!("directory block {l} of inode {ino}"),
                    None => format!("directory block of inode {ino}"),
                }
            }
            OwnerKind::Journal => {
                let at = o.logical.map(|l| format!(" (journal block {l})")).unwrap_or_default();
                match self.journal_block(block, out) {
                    Some(what) => format!("{what}{at}"),
                    None => format!("journal{at}: logged data, or not written yet"),
                }
            }
            OwnerKind::Xattr => {
                self.xattr_block(block, out);
                match o.inode {
                    Some(i) => format!("extended attribute block (inode {i})"),
                    None => String::from("extended attribute block"),
                }
            }
            _ => {
                let mut s = String::from(o.detail.as_str());
                if s.is_empty() {
                    s = String::from(o.kind.name());
                }
                s
            }
        }
    }

    fn decode_by_magic(&self, block: &[u8], out: &mut Out) -> Option<(OwnerKind, String)> {
        if u16_at(block, 0) == EXTENT_MAGIC {
            let h = ExtentHeader::parse(block);
            if usize::from(h.eh_max) <= crate::format::extent::node_capacity(block.len()) && h.eh_max > 0 {
                self.extent_node("extent node", block, 0, block.len(), out);
                return Some((
                    OwnerKind::ExtentTree,
                    String::from("extent tree node (by its magic number 0xF30A)"),
                ));
            }
        }
        if journal::header(block).is_some() {
            if let Some(what) = self.journal_block(block, out) {
                return Some((OwnerKind::Journal, format!("{what} (by its magic number 0xC03B3998)")));
            }
        }
        if u32_at(block, 0) == XATTR_MAGIC {
            self.xattr_block(block, out);
            return Some((
                OwnerKind::Xattr,
                String::from("extended attribute block (by its magic number 0xEA020000)"),
            ));
        }
        None
    }

    /// The features of this file system's internal journal, from its superblock.
    pub fn journal_features(&self) -> Option<JournalFeatures> {
        let ino = self.sb.s_journal_inum;
        if ino == 0 {
            return None;
        }
        let inode = self.inode(ino).ok()?;
        let data = self.read_file(&inode, 0, JournalSuperblock::SIZE).ok()?;
        let sb = JournalSuperblock::parse(&data);
        let is_sb = journal::header(&data)
            .is_some_and(|h| JournalBlockKind::of(h.h_blocktype.0) == JournalBlockKind::Superblock);
        is_sb.then(|| JournalFeatures::of(&sb))
    }

    /// A jbd2 metadata block (superblock, descriptor, commit, revoke): its
    /// records, and in words what it is and whether its checksum holds.
    fn journal_block(&self, block: &[u8], out: &mut Out) -> Option<String> {
        let h = journal::header(block)?;
        let kind = JournalBlockKind::of(h.h_blocktype.0);
        let seq = h.h_sequence.0;
        let verdict = |c: crate::format::group_desc::ChecksumStatus| match c.ok {
            Some(true) => String::from("; checksum ok"),
            Some(false) => {
                format!("; checksum BAD (stored 0x{:08x}, computed 0x{:08x})", c.stored, c.computed)
            }
            None => String::new(),
        };
        if kind == JournalBlockKind::Superblock {
            out.record(String::from("journal superblock"), block, 0, 1024, JOURNAL_SUPERBLOCK_FIELDS, 1024);
            let sb = JournalSuperblock::parse(block);
            let f = JournalFeatures::of(&sb);
            let names = f.names().join(" ");
            return Some(format!(
                "jbd2 journal superblock (v{}): {} blocks, sequence {}, start {}{}{}",
                if h.h_blocktype.0 == journal::BT_SUPERBLOCK_V2 { 2 } else { 1 },
                sb.s_maxlen.0,
                sb.s_sequence.0,
                sb.s_start.0,
                if names.is_empty() { String::new() } else { format!(", features {names}") },
                verdict(journal::superblock_checksum(block)),
            ));
        }
        // The layout of the other blocks depends on the journal's features.
        let f = self.journal_features().unwrap_or_default();
        Some(match kind {
            JournalBlockKind::Descriptor => {
                out.record(format!("{} header", kind.name()), block, 0, 12, JOURNAL_HEADER_FIELDS, 12);
                let tags = journal::descriptor_tags(block, &f);
                let table =
                    if f.incompat & INCOMPAT_CSUM_V3 != 0 { BLOCK_TAG3_FIELDS } else { BLOCK_TAG_FIELDS };
                for (i, t) in tags.iter().enumerate() {
                    out.record(
                        format!("tag {i}: FS block {} (flags 0x{:x})", t.fs_block, t.flags),
                        block,
                        t.offset,
                        t.len,
                        table,
                        t.len,
                    );
                    if t.flags & TAG_SAME_UUID == 0 {
                        let at = t.offset + t.len;
                        if at + 16 <= block.len() {
                            let uuid =
                                FieldValue::List(block[at..at + 16].iter().map(|&b| u64::from(b)).collect());
                            out.raw(format!("tag {i} UUID"), at, 16, "uuid", uuid);
                        }
                    }
                }
                let last = tags.last().is_some_and(|t| t.flags & TAG_LAST != 0);
                format!(
                    "jbd2 descriptor block, transaction {seq}: {} tag{}{}{}",
                    tags.len(),
                    if tags.len() == 1 { "" } else { "s" },
                    if last || tags.is_empty() { "" } else { " (no LAST_TAG flag)" },
                    verdict(journal::tail_checksum(block, &f)),
                )
            }
            JournalBlockKind::Commit => {
                out.record(String::from("commit block"), block, 0, 60, COMMIT_BLOCK_FIELDS, 60);
                let c = journal::CommitBlock::parse(block);
                format!(
                    "jbd2 commit block, transaction {seq}, committed at {}{}",
                    crate::time::iso8601(c.h_commit_sec.0 as i64, c.h_commit_nsec.0),
                    verdict(journal::commit_checksum(block, &f)),
                )
            }
            JournalBlockKind::Revoke => {
                out.record(String::from("revoke header"), block, 0, 16, REVOKE_HEADER_FIELDS, 16);
                let recs = journal::revoke_records(block, &f);
                let size = f.revoke_record_bytes();
                for (i, &(at, b)) in recs.iter().enumerate() {
                    out.raw(format!("revoke record {i}"), at, size, "FS block", FieldValue::Uint(b));
                }
                format!(
                    "jbd2 revoke block, transaction {seq}: {} block{} revoked{}",
                    recs.len(),
                    if recs.len() == 1 { "" } else { "s" },
                    verdict(journal::tail_checksum(block, &f)),
                )
            }
            JournalBlockKind::Superblock | JournalBlockKind::Unknown => {
                out.record(String::from("journal block header"), block, 0, 12, JOURNAL_HEADER_FIELDS, 12);
                format!("jbd2 block of unknown type {}, transaction {seq}", h.h_blocktype.0)
            }
        })
    }

    /// An extent node at `base`, `room` bytes long (60 in the inode).
    fn extent_node(&self, name: &str, block: &[u8], base: usize, room: usize, out: &mut Out) {
        let node = block.get(base..block.len().min(base + room)).unwrap_or(&[]);
        let h = ExtentHeader::parse(node);
        out.record(format!("{name} header"), block, base, 12, EXTENT_HEADER_FIELDS, 12);
        let cap = crate::format::extent::node_capacity(node.len());
        let n = usize::from(h.eh_entries).min(cap);
        let (table, what) =
            if h.eh_depth == 0 { (EXTENT_FIELDS, "extent") } else { (EXTENT_IDX_FIELDS, "index") };
        for i in 0..n {
            out.record(format!("{name} {what} {i}"), block, base + 12 + 12 * i, 12, table, 12);
        }
        let tail = 12 + 12 * usize::from(h.eh_max);
        if room > 60 && self.sb.has_metadata_csum() && tail + 4 <= node.len() {
            out.record(format!("{name} tail"), block, base + tail, 4, EXTENT_TAIL_FIELDS, 4);
        }
    }

    fn dir_entries(&self, block: &[u8], out: &mut Out) {
        let bs = self.geo.block_size;
        let mut off = 0usize;
        // Each step moves at least 8 bytes forward, so this ends.
        while off + 8 <= block.len() {
            let h = DirEntryHeader::parse(&block[off..]);
            let rec = rec_len_from_disk(h.rec_len, bs) as usize;
            if rec < 8 || off + rec > block.len() {
                break;
            }
            let tail = self.sb.has_metadata_csum()
                && rec == 12
                && h.inode == 0
                && h.name_len == 0
                && h.file_type == 0xDE;
            if tail {
                out.record(String::from("directory block tail"), block, off, 12, DIR_TAIL_FIELDS, 12);
            } else {
                let nl = usize::from(h.name_len).min(rec - 8);
                let name_bytes = &block[off + 8..off + 8 + nl];
                let label = match core::str::from_utf8(name_bytes) {
                    Ok(s) if h.inode != 0 => format!("entry \"{s}\" -> inode {}", h.inode),
                    Ok(s) => format!("unused entry \"{s}\""),
                    Err(_) => format!("entry (non-UTF-8 name) -> inode {}", h.inode),
                };
                out.record(label, block, off, rec, DIR_ENTRY_FIELDS, 8);
                if nl > 0 {
                    if let Some(s) = out.structures.last_mut() {
                        s.fields.push(DecodedField {
                            offset: (off + 8) as u32,
                            size: nl as u32,
                            name: String::from("name"),
                            value: FieldValue::List(name_bytes.iter().map(|&b| u64::from(b)).collect()),
                        });
                    }
                }
            }
            off += rec;
        }
    }

    fn xattr_block(&self, block: &[u8], out: &mut Out) {
        out.record(String::from("xattr block header"), block, 0, 32, XATTR_HEADER_FIELDS, 32);
        let mut off = 32usize;
        let mut i = 0;
        // Each entry is at least 16 bytes, so this ends.
        while off + 16 <= block.len() && u32_at(block, off) != 0 {
            let e = XattrEntryRaw::parse(&block[off..]);
            let len = (16 + usize::from(e.e_name_len)).next_multiple_of(4);
            out.record(format!("xattr entry {i}"), block, off, len, XATTR_ENTRY_FIELDS, 16);
            off += len;
            i += 1;
        }
    }

    /// Both bitmaps of group `g` (each may fail alone).
    pub fn group_bitmaps(&self, g: u32) -> GroupBitmaps {
        GroupBitmaps {
            block: self.block_bitmap(g).map_err(|e| format!("{e}")),
            inode: self.inode_bitmap(g).map_err(|e| format!("{e}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;
    use std::vec;

    fn open(name: &str) -> Fs {
        let path = format!("{}/../tests/fixtures/images/{name}.img.gz", env!("CARGO_MANIFEST_DIR"));
        let gz = std::fs::read(&path).expect("fixture");
        let mut img = vec![];
        flate2::read::GzDecoder::new(&gz[..]).read_to_end(&mut img).expect("gunzip");
        Fs::open(alloc::boxed::Box::new(img)).expect("open")
    }

    fn field<'a>(d: &'a BlockDecode, s: &str, f: &str) -> &'a DecodedField {
        let st = d.structures.iter().find(|x| x.name == s).unwrap_or_else(|| panic!("no {s}: {:?}", d.what));
        st.fields.iter().find(|x| x.name == f).unwrap_or_else(|| panic!("no {f} in {s}"))
    }

    #[test]
    fn primary_superblock_and_descriptors() {
        for name in ["default-1k", "bs4k", "metabg"] {
            let fs = open(name);
            let sb_block = u64::from(fs.block_size() == 1024);
            let d = fs.decode_block(sb_block, None).expect("decode");
            assert_eq!(d.kind, Some(OwnerKind::Superblock), "{name}");
            let magic = field(&d, "primary superblock", "s_magic");
            assert_eq!(magic.value, FieldValue::Uint(0xEF53));
            assert_eq!(magic.offset, if sb_block == 0 { 1024 + 0x38 } else { 0x38 });
            // Group descriptor of group 0 names the block bitmap the Fs read.
            let (gdt, off) = fs.geo.descriptor_location(0);
            let d = fs.decode_block(gdt, None).expect("decode");
            assert_eq!(d.kind, Some(OwnerKind::GroupDescriptors), "{name}");
            let lo = field(&d, "group descriptor 0", "bg_block_bitmap_lo");
            assert_eq!(lo.offset as usize, off);
            assert_eq!(lo.value, FieldValue::Uint(fs.group(0).expect("group").block_bitmap & 0xFFFF_FFFF));
        }
    }

    #[test]
    fn inode_table_names_inodes_and_extent_roots() {
        let fs = open("extents");
        let it = fs.group(0).expect("group").inode_table;
        let d = fs.decode_block(it, None).expect("decode");
        assert_eq!(d.kind, Some(OwnerKind::InodeTable));
        // Inode 2 (root) is a directory: i_mode 0o40755-ish, with an extent root.
        let mode = field(&d, "inode 2", "i_mode");
        assert_eq!(mode.offset, fs.geo.inode_size);
        let FieldValue::Uint(m) = mode.value else { panic!() };
        assert_eq!(m & 0xF000, 0x4000);
        let magic = field(&d, "inode 2 extent root header", "eh_magic");
        assert_eq!(magic.value, FieldValue::Uint(0xF30A));
        assert_eq!(magic.offset, fs.geo.inode_size + 0x28);
    }

    #[test]
    fn scanned_blocks_are_decoded_by_owner() {
        let fs = open("extents");
        let (map, _) = fs.scan(&mut |_| true).expect("scan");
        let mut seen_extent_node = false;
        let mut seen_dir = false;
        for b in 0..fs.geo.blocks_count {
            let d = fs.decode_block(b, Some(&map)).expect("decode");
            match d.kind {
                Some(OwnerKind::ExtentTree) => {
                    seen_extent_node = true;
                    let st = d.structures.iter().find(|s| s.name.ends_with("header")).expect("header");
                    assert_eq!(st.fields[0].value, FieldValue::Uint(0xF30A), "block {b}");
                    assert_eq!(d.how, "owner");
                }
                Some(OwnerKind::DirData) if !seen_dir => {
                    seen_dir = true;
                    assert!(
                        d.structures.iter().any(|s| s.name.starts_with("entry \".\""))
                            || !d.structures.is_empty(),
                        "block {b}"
                    );
                }
                _ => {}
            }
        }
        assert!(seen_extent_node && seen_dir);
    }

    #[test]
    fn unscanned_extent_nodes_are_found_by_magic() {
        let fs = open("extents");
        let (map, _) = fs.scan(&mut |_| true).expect("scan");
        let b = (0..fs.geo.blocks_count)
            .find(|&b| map.kinds(b, 1).first() == Some(&OwnerKind::ExtentTree))
            .expect("an extent tree block");
        let d = fs.decode_block(b, None).expect("decode");
        assert_eq!((d.kind, d.how.as_str()), (Some(OwnerKind::ExtentTree), "magic"));
    }

    #[test]
    fn out_of_range_is_an_error() {
        let fs = open("default-1k");
        assert!(fs.decode_block(fs.geo.blocks_count, None).is_err());
        assert!(fs.decode_block(u64::MAX, None).is_err());
    }
}
