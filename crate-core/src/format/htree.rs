//! Hashed directories (htree, `INDEX_FL`): a B-tree of name hashes hidden in
//! directory blocks that look empty to code that reads them linearly.
//!
//! Logical block 0 is the root (`dx_root`): a real `.` entry (rec_len 12), a
//! `..` entry whose `rec_len` covers the rest of the block, then
//! `dx_root_info` (reserved_zero, hash_version, info_length = 8,
//! indirect_levels, unused_flags) and the index: a `count`/`limit` header in
//! the slot of entry 0's hash, entry 0's block, then `count - 1` entries of
//! (hash, block), sorted by hash. Entry *i* covers the names whose hash is at
//! least its own hash and below the next entry's. Interior nodes (`dx_node`,
//! with `indirect_levels` 1 or 2) start with a fake empty entry whose
//! `rec_len` is the whole block, then the same count/limit index. With
//! metadata_csum, `limit` leaves room for an 8-byte `dx_tail` (dt_reserved,
//! dt_checksum) after `limit` entries: crc32c from the directory's seed over
//! the block up to the last used entry, then `dt_reserved` and four zero bytes.
//!
//! [`read_tree`] reads and checks the index (count <= limit, limit matches the
//! room, hashes sorted, children inside the directory, no block twice, depth
//! within what the features allow). [`check_leaves`] then checks every leaf
//! entry's hash against the range its index entry gives it. [`Fs::htree_lookup`]
//! finds a name the way the kernel does (hash, descend, scan the leaf, follow
//! hash collisions into the next leaf).

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

use crate::disk_struct;
use crate::error::{Error, Location, Problem, Result, Severity};
use crate::filemap::FileMap;
use crate::format::casefold;
use crate::format::dir::{
    dir_csum_seed, rec_len_from_disk, walk_region, DirBlock, DirBlockKind, DirEntry, EntryRegion, RegionCtx,
};
use crate::format::dx_hash::{dx_hash, effective_version, version_name, DxHash};
use crate::format::features::INCOMPAT_LARGEDIR;
use crate::format::group_desc::{ChecksumKind, ChecksumStatus};
use crate::format::inode::{Inode, INDEX_FL, INLINE_DATA_FL};
use crate::fs::Fs;

disk_struct! {
    /// `dx_root`: the first block of a hashed directory, up to the first index entry.
    pub struct DxRoot, DX_ROOT_FIELDS, size = 0x28 {
        0x00 dot_inode: u32,
        0x04 dot_rec_len: u16,
        0x06 dot_name_len: u8,
        0x07 dot_file_type: u8,
        0x08 dot_name: [u8; 4],
        0x0C dotdot_inode: u32,
        0x10 dotdot_rec_len: u16,
        0x12 dotdot_name_len: u8,
        0x13 dotdot_file_type: u8,
        0x14 dotdot_name: [u8; 4],
        0x18 reserved_zero: u32,
        0x1C hash_version: u8,
        0x1D info_length: u8,
        0x1E indirect_levels: u8,
        0x1F unused_flags: u8,
        0x20 limit: u16,
        0x22 count: u16,
        0x24 block: u32,
    }
}

disk_struct! {
    /// `dx_node`: an interior block, up to the first index entry.
    pub struct DxNodeHeader, DX_NODE_FIELDS, size = 0x10 {
        0x0 fake_inode: u32,
        0x4 fake_rec_len: u16,
        0x6 name_len: u8,
        0x7 file_type: u8,
        0x8 limit: u16,
        0xA count: u16,
        0xC block: u32,
    }
}

disk_struct! {
    /// `dx_entry`: (hash, block) of an index entry.
    pub struct DxEntryRaw, DX_ENTRY_FIELDS, size = 8 {
        0x0 hash: u32,
        0x4 block: u32,
    }
}

disk_struct! {
    /// `dx_tail`: after `limit` entries with metadata_csum.
    pub struct DxTail, DX_TAIL_FIELDS, size = 8 {
        0x0 dt_reserved: u32,
        0x4 dt_checksum: u32,
    }
}

/// Offset of `dx_root_info` in the root block.
pub const ROOT_INFO_OFFSET: usize = 0x18;
/// Offset of count/limit in a `dx_node`.
pub const NODE_COUNT_OFFSET: usize = 0x8;
/// Size of an index entry.
pub const DX_ENTRY_SIZE: usize = 8;
/// Size of the `dx_tail`.
pub const DX_TAIL_SIZE: usize = 8;

/// An index entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DxEntry {
    /// Lowest hash of the child (0 for entry 0, whose slot holds count/limit).
    /// The low bit marks a hash collision continuing from the previous child.
    pub hash: u32,
    /// The child's logical block in the directory.
    pub block: u32,
}

/// One index block (the root or an interior node).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DxNode {
    /// Logical block in the directory.
    pub logical: u64,
    /// Physical block.
    pub physical: u64,
    /// 0 for the root, 1 and 2 for interior nodes below it.
    pub level: u8,
    /// Byte offset of count/limit in the block.
    pub count_offset: u32,
    /// `count` as stored.
    pub count: u16,
    /// `limit` as stored.
    pub limit: u16,
    /// What `limit` should be for this block size and features.
    pub expected_limit: u16,
    /// The entries read (at most `min(count, limit)` and what fits the block).
    pub entries: Vec<DxEntry>,
    /// Lowest hash this node covers (from its parent entry).
    pub hash_lo: u32,
    /// First hash past this node's range (from the parent's next entry), if any.
    pub hash_hi: Option<u32>,
    /// The `dx_tail` checksum (metadata_csum).
    pub checksum: ChecksumStatus,
}

/// A leaf block the index points to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DxLeaf {
    /// Logical block.
    pub logical: u64,
    /// Lowest hash of names in it.
    pub hash_lo: u32,
    /// First hash past its range (from the next index entry), if any; a low
    /// bit of 1 means names hashing to `hash_hi & !1` may be in both blocks.
    pub hash_hi: Option<u32>,
    /// The index block pointing to it.
    pub parent: u64,
    /// The entry number in that block.
    pub entry: u16,
}

/// A directory's hash index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Htree {
    /// `hash_version` as stored in `dx_root_info`.
    pub hash_version: u8,
    /// The version names are hashed with (unsigned variant per `s_flags`).
    pub effective_hash_version: u8,
    /// Its name (`half_md4`, `tea_unsigned`, ...).
    pub hash_name: String,
    /// `info_length` (8).
    pub info_length: u8,
    /// `indirect_levels`: 0 = the root points at leaves.
    pub indirect_levels: u8,
    /// `unused_flags`.
    pub unused_flags: u8,
    /// `reserved_zero`.
    pub reserved_zero: u32,
    /// Index blocks: the root first, then interior nodes in tree order.
    pub nodes: Vec<DxNode>,
    /// Leaf blocks in hash order.
    pub leaves: Vec<DxLeaf>,
    /// Live leaf entries whose hash is outside their block's range.
    pub misplaced_entries: u32,
}

/// The result of looking a name up through the index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HtreeLookup {
    /// The name looked up (lossy UTF-8).
    pub name: String,
    /// Its hash.
    pub hash: DxHash,
    /// The hash version used.
    pub hash_version: u8,
    /// The index entries followed: (index block, entry number, entry hash, child block).
    pub path: Vec<(u64, u16, u32, u32)>,
    /// Leaf blocks searched, in order.
    pub leaves: Vec<u64>,
    /// The entry, when found.
    pub found: Option<DirEntry>,
    /// Problems met on the way.
    pub problems: Vec<Problem>,
}

struct Ctx<'a> {
    fs: &'a Fs,
    inode: &'a Inode,
    map: &'a FileMap,
    csum: bool,
    size_blocks: u64,
    structure: String,
}

impl Ctx<'_> {
    fn problem(&self, problems: &mut Vec<Problem>, severity: Severity, at: Location, message: String) {
        problems.push(Problem { severity, structure: self.structure.clone(), at, message });
    }

    /// Read logical block `logical` of the directory.
    fn read(&self, logical: u64) -> core::result::Result<(u64, crate::io::Block), String> {
        let (phys, _) = self
            .map
            .lookup(logical)
            .ok_or_else(|| format!("logical block {logical} is not mapped (a hole)"))?;
        let b = self
            .fs
            .block(phys)
            .map_err(|e| format!("cannot read logical block {logical} (block {phys}): {e}"))?;
        Ok((phys, b))
    }

    /// Decode the index part of a root or node block.
    fn index(
        &self,
        logical: u64,
        physical: u64,
        block: &[u8],
        level: u8,
        count_offset: usize,
        problems: &mut Vec<Problem>,
    ) -> DxNode {
        let bs = block.len();
        let at = |off: usize| Location::block(physical, bs as u32, off).with_inode(self.inode.ino);
        let head = DxEntryRaw::parse(block.get(count_offset..).unwrap_or(&[]));
        let limit = (head.hash & 0xFFFF) as u16;
        let count = (head.hash >> 16) as u16;
        let tail = if self.csum { DX_TAIL_SIZE } else { 0 };
        let room = bs.saturating_sub(count_offset).saturating_sub(tail) / DX_ENTRY_SIZE;
        let expected_limit = room.min(usize::from(u16::MAX)) as u16;
        let what =
            if level == 0 { String::from("htree root") } else { format!("htree node (level {level})") };
        if limit != expected_limit {
            self.problem(
                problems,
                Severity::Error,
                at(count_offset),
                format!(
                    "{what} at logical block {logical}: limit is {limit}, expected {expected_limit} for {bs}-byte blocks{}",
                    if self.csum { " with a dx_tail" } else { "" }
                ),
            );
        }
        if count > limit {
            self.problem(
                problems,
                Severity::Error,
                at(count_offset + 2),
                format!("{what} at logical block {logical}: count {count} is larger than limit {limit}"),
            );
        }
        if count == 0 {
            self.problem(
                problems,
                Severity::Error,
                at(count_offset + 2),
                format!("{what} at logical block {logical}: count is 0 (entry 0 must exist)"),
            );
        }
        // Entries that fit both the count and the block.
        let fit = (bs.saturating_sub(count_offset)) / DX_ENTRY_SIZE;
        let n = usize::from(count.min(limit)).min(fit);
        let mut entries = Vec::with_capacity(n);
        for i in 0..n {
            let e = DxEntryRaw::parse(block.get(count_offset + i * DX_ENTRY_SIZE..).unwrap_or(&[]));
            entries.push(DxEntry { hash: if i == 0 { 0 } else { e.hash }, block: e.block });
        }
        for i in 2..entries.len() {
            if entries[i].hash < entries[i - 1].hash {
                self.problem(
                    problems,
                    Severity::Error,
                    at(count_offset + i * DX_ENTRY_SIZE),
                    format!(
                        "{what} at logical block {logical}: entry {i} hash 0x{:08x} is below entry {} hash 0x{:08x} (not sorted)",
                        entries[i].hash,
                        i - 1,
                        entries[i - 1].hash
                    ),
                );
            }
        }
        let checksum = if self.csum {
            let tail_off = count_offset + usize::from(limit) * DX_ENTRY_SIZE;
            match block.get(tail_off..tail_off + DX_TAIL_SIZE) {
                Some(t) if count <= limit => {
                    let t = DxTail::parse(t);
                    let mut c = dir_csum_seed(self.fs, self.inode.ino, self.inode.generation());
                    c.update(block.get(..count_offset + usize::from(count) * DX_ENTRY_SIZE).unwrap_or(&[]));
                    c.update(&t.dt_reserved.to_le_bytes()).zeros(4);
                    let cs = ChecksumStatus::new(ChecksumKind::Crc32c, t.dt_checksum, c.value());
                    if cs.ok == Some(false) {
                        self.problem(
                            problems,
                            Severity::Error,
                            at(tail_off + 4),
                            format!(
                                "{what} at logical block {logical}: dx_tail checksum does not match (stored 0x{:08x}, computed 0x{:08x})",
                                cs.stored, cs.computed
                            ),
                        );
                    }
                    cs
                }
                _ => {
                    self.problem(
                        problems,
                        Severity::Error,
                        at(count_offset),
                        format!("{what} at logical block {logical}: no room for the dx_tail checksum after {limit} entries"),
                    );
                    ChecksumStatus::NONE
                }
            }
        } else {
            ChecksumStatus::NONE
        };
        DxNode {
            logical,
            physical,
            level,
            count_offset: count_offset as u32,
            count,
            limit,
            expected_limit,
            entries,
            hash_lo: 0,
            hash_hi: None,
            checksum,
        }
    }

    /// Read and check an interior node.
    fn node(&self, logical: u64, level: u8, problems: &mut Vec<Problem>) -> Option<DxNode> {
        let (physical, block) = match self.read(logical) {
            Ok(x) => x,
            Err(m) => {
                self.problem(problems, Severity::Error, self.inode.at, format!("htree node: {m}"));
                return None;
            }
        };
        let h = DxNodeHeader::parse(&block);
        let bs = block.len() as u32;
        let rl = rec_len_from_disk(h.fake_rec_len, bs);
        if h.fake_inode != 0 || rl != bs || h.name_len != 0 {
            self.problem(
                problems,
                Severity::Error,
                Location::block(physical, bs, 0).with_inode(self.inode.ino),
                format!(
                    "logical block {logical} should be an htree node (level {level}) but does not start with an empty entry covering the block (inode {}, rec_len {rl}, name_len {})",
                    h.fake_inode, h.name_len
                ),
            );
            return None;
        }
        Some(self.index(logical, physical, &block, level, NODE_COUNT_OFFSET, problems))
    }

    /// Where a child entry's block is invalid, say why.
    fn bad_child(&self, e: &DxEntry) -> Option<String> {
        let b = u64::from(e.block);
        if b == 0 {
            Some(String::from("points at logical block 0 (the root)"))
        } else if b >= self.size_blocks {
            Some(format!("points at logical block {b}, past the directory's {} blocks", self.size_blocks))
        } else {
            None
        }
    }
}

/// The most levels of index below the root: 1 (2 with `large_dir`).
pub fn max_indirect_levels(fs: &Fs) -> u8 {
    if fs.features().incompat(INCOMPAT_LARGEDIR) {
        2
    } else {
        1
    }
}

/// Parse and check the root; `None` (with a problem) when block 0 is not a root.
fn root(c: &Ctx<'_>, problems: &mut Vec<Problem>) -> Option<(DxRoot, DxNode)> {
    let (physical, block) = match c.read(0) {
        Ok(x) => x,
        Err(m) => {
            c.problem(problems, Severity::Error, c.inode.at, format!("htree root: {m}"));
            return None;
        }
    };
    let bs = block.len() as u32;
    let at = |off: usize| Location::block(physical, bs, off).with_inode(c.inode.ino);
    let r = DxRoot::parse(&block);
    if r.dot_name_len != 1 || r.dot_name[0] != b'.' || r.dotdot_name_len != 2 || &r.dotdot_name[..2] != b".."
    {
        c.problem(
            problems,
            Severity::Error,
            at(0),
            String::from("INDEX_FL is set but block 0 does not start with '.' and '..': not an htree root; read linearly"),
        );
        return None;
    }
    if rec_len_from_disk(r.dot_rec_len, bs) != 12 {
        c.problem(
            problems,
            Severity::Error,
            at(4),
            format!("htree root: '.' has rec_len {}, expected 12", r.dot_rec_len),
        );
    }
    if rec_len_from_disk(r.dotdot_rec_len, bs) != bs - 12 {
        c.problem(
            problems,
            Severity::Error,
            at(0x10),
            format!(
                "htree root: '..' has rec_len {}, expected {} (the rest of the block)",
                r.dotdot_rec_len,
                bs - 12
            ),
        );
    }
    if r.info_length != 8 {
        c.problem(
            problems,
            Severity::Error,
            at(0x1D),
            format!(
                "htree root: info_length is {}, expected 8: not an htree root; read linearly",
                r.info_length
            ),
        );
        return None;
    }
    if r.reserved_zero != 0 {
        c.problem(
            problems,
            Severity::Warning,
            at(0x18),
            format!("htree root: reserved_zero is 0x{:08x}", r.reserved_zero),
        );
    }
    if r.unused_flags & 1 != 0 {
        c.problem(
            problems,
            Severity::Error,
            at(0x1F),
            format!(
                "htree root: unused_flags 0x{:02x} has bit 0 set (unimplemented hash flags)",
                r.unused_flags
            ),
        );
    }
    if r.hash_version > 2 && r.hash_version != 6 {
        c.problem(
            problems,
            Severity::Error,
            at(0x1C),
            format!(
                "htree root: hash_version {} is not legacy (0), half_md4 (1), tea (2) or siphash (6)",
                r.hash_version
            ),
        );
    }
    let max = max_indirect_levels(c.fs);
    if r.indirect_levels > max {
        c.problem(
            problems,
            Severity::Error,
            at(0x1E),
            format!(
                "htree root: indirect_levels is {}, more than {max}{}",
                r.indirect_levels,
                if max == 1 { " (without large_dir)" } else { "" }
            ),
        );
    }
    let node = c.index(0, physical, &block, 0, ROOT_INFO_OFFSET + usize::from(r.info_length), problems);
    Some((r, node))
}

fn ctx<'a>(fs: &'a Fs, inode: &'a Inode, map: &'a FileMap) -> Ctx<'a> {
    Ctx {
        fs,
        inode,
        map,
        csum: fs.sb.has_metadata_csum(),
        size_blocks: inode.size().div_ceil(u64::from(fs.block_size())),
        structure: format!("directory {} htree", inode.ino),
    }
}

/// Read a directory's hash index. `None` when block 0 is not an htree root
/// (problems say why); the directory can still be read linearly.
pub fn read_tree(fs: &Fs, inode: &Inode, map: &FileMap) -> (Option<Htree>, Vec<Problem>) {
    let c = ctx(fs, inode, map);
    let mut problems = Vec::new();
    let Some((r, root_node)) = root(&c, &mut problems) else {
        return (None, problems);
    };
    let levels = r.indirect_levels.min(2);
    let effective = effective_version(r.hash_version, fs.sb.s_flags);
    let mut tree = Htree {
        hash_version: r.hash_version,
        effective_hash_version: effective,
        hash_name: String::from(version_name(effective)),
        info_length: r.info_length,
        indirect_levels: r.indirect_levels,
        unused_flags: r.unused_flags,
        reserved_zero: r.reserved_zero,
        nodes: Vec::new(),
        leaves: Vec::new(),
        misplaced_entries: 0,
    };
    // Depth-first, in entry order, so leaves come out in hash order. Depth is
    // at most 3 levels; every block is visited at most once.
    let mut seen = BTreeSet::new();
    seen.insert(0u64);
    walk(&c, root_node, levels, &mut seen, &mut tree, &mut problems);
    (Some(tree), problems)
}

fn walk(
    c: &Ctx<'_>,
    node: DxNode,
    levels: u8,
    seen: &mut BTreeSet<u64>,
    tree: &mut Htree,
    problems: &mut Vec<Problem>,
) {
    let entries = node.entries.clone();
    let (level, logical, hi) = (node.level, node.logical, node.hash_hi);
    let lo = node.hash_lo;
    tree.nodes.push(node);
    for (i, e) in entries.iter().enumerate() {
        let e_lo = if i == 0 { lo } else { e.hash & !1 };
        let e_hi = entries.get(i + 1).map(|n| n.hash).or(hi);
        if i > 0 && (e.hash & !1) < lo {
            c.problem(
                problems,
                Severity::Error,
                c.inode.at,
                format!(
                    "htree block {logical} entry {i}: hash 0x{:08x} is below the node's range (from 0x{lo:08x})",
                    e.hash
                ),
            );
        }
        if let (Some(h), true) = (hi, i > 0) {
            if e.hash & !1 >= h & !1 && !(e.hash & !1 == h & !1 && h & 1 == 1) {
                c.problem(
                    problems,
                    Severity::Error,
                    c.inode.at,
                    format!(
                        "htree block {logical} entry {i}: hash 0x{:08x} is past the node's range (below 0x{h:08x})",
                        e.hash
                    ),
                );
            }
        }
        if let Some(m) = c.bad_child(e) {
            c.problem(problems, Severity::Error, c.inode.at, format!("htree block {logical} entry {i} {m}"));
            continue;
        }
        let child = u64::from(e.block);
        if !seen.insert(child) {
            c.problem(
                problems,
                Severity::Error,
                c.inode.at,
                format!("htree block {logical} entry {i} points at logical block {child}, which the index already uses (loop or shared child)"),
            );
            continue;
        }
        if level < levels {
            if let Some(mut n) = c.node(child, level + 1, problems) {
                n.hash_lo = e_lo;
                n.hash_hi = e_hi;
                walk(c, n, levels, seen, tree, problems);
            }
        } else {
            tree.leaves.push(DxLeaf {
                logical: child,
                hash_lo: e_lo,
                hash_hi: e_hi,
                parent: logical,
                entry: i as u16,
            });
        }
    }
}

/// Is `h` in the range `[lo, hi)` (with `hi`'s collision bit allowing `h == hi & !1`)?
pub fn hash_in_range(h: u32, lo: u32, hi: Option<u32>) -> bool {
    if h < lo {
        return false;
    }
    match hi {
        None => true,
        Some(hi) => h < (hi & !1) || (hi & 1 == 1 && h == hi & !1),
    }
}

/// Check the leaves against the index: every live entry's hash in its block's
/// range, every leaf block referenced by the index, index blocks not used as leaves.
pub fn check_leaves(
    fs: &Fs,
    dir: &Inode,
    mut tree: Htree,
    entries: &[DirEntry],
    blocks: &[DirBlock],
    size_blocks: u64,
    problems: &mut Vec<Problem>,
) -> Htree {
    let ino = dir.ino;
    let structure = |ino: u32| format!("directory {ino} htree");
    let seed = fs.sb.s_hash_seed;
    let encrypted_casefold = casefold::is_casefolded(fs, dir) && dir.flags() & casefold::ENCRYPT_FL != 0;
    let version = tree.effective_hash_version;
    let kinds: BTreeMap<u64, (DirBlockKind, u64)> =
        blocks.iter().map(|b| (b.logical, (b.kind, b.physical))).collect();
    let mut by_block: BTreeMap<u64, Vec<&DirEntry>> = BTreeMap::new();
    for e in entries.iter().filter(|e| e.is_live()) {
        if let Some(l) = e.logical_block {
            by_block.entry(l).or_default().push(e);
        }
    }
    // Encrypted and casefolded: the hash is stored in each entry (siphash of
    // the plaintext), not computable from the encrypted name.
    let hashing = dx_hash(version, b"x", &seed).is_some() && !encrypted_casefold;
    if !hashing {
        problems.push(Problem {
            severity: Severity::Info,
            structure: structure(ino),
            at: Location::default(),
            message: format!(
                "names are not hashed with {} here: leaf hash ranges not checked",
                tree.hash_name
            ),
        });
    }
    let mut referenced = BTreeSet::new();
    for leaf in &tree.leaves {
        referenced.insert(leaf.logical);
        match kinds.get(&leaf.logical) {
            Some((DirBlockKind::Leaf, _)) | Some((DirBlockKind::Unreadable, _)) => {}
            Some((k, _)) => {
                problems.push(Problem {
                    severity: Severity::Error,
                    structure: structure(ino),
                    at: Location::default(),
                    message: format!(
                        "htree block {} entry {} points at logical block {} as a leaf, but it is an index block ({k:?})",
                        leaf.parent, leaf.entry, leaf.logical
                    ),
                });
                continue;
            }
            None => continue,
        }
        if !hashing {
            continue;
        }
        let mut bad = 0u32;
        let mut first_bad = None;
        for e in by_block.get(&leaf.logical).map(Vec::as_slice).unwrap_or(&[]) {
            let Some(h) = dx_hash(version, &casefold::hash_input(fs, dir, &e.name_bytes), &seed) else {
                continue;
            };
            if !hash_in_range(h.major, leaf.hash_lo, leaf.hash_hi) {
                bad += 1;
                first_bad.get_or_insert((*e, h.major));
            }
        }
        if let Some((e, h)) = first_bad {
            tree.misplaced_entries += bad;
            problems.push(Problem {
                severity: Severity::Error,
                structure: structure(ino),
                at: Location { block: e.physical_block, byte: e.byte, inode: Some(ino), group: None },
                message: format!(
                    "{bad} entries in logical block {} are outside its hash range 0x{:08x}-{}; first: {:?} hashes to 0x{h:08x}",
                    leaf.logical,
                    leaf.hash_lo,
                    leaf.hash_hi.map_or(String::from("end"), |x| format!("0x{x:08x}")),
                    e.name
                ),
            });
        }
    }
    for b in blocks {
        if b.kind == DirBlockKind::Leaf
            && b.logical != 0
            && b.logical < size_blocks
            && !referenced.contains(&b.logical)
        {
            problems.push(Problem {
                severity: Severity::Warning,
                structure: structure(ino),
                at: Location::block(b.physical, fs.block_size(), 0),
                message: format!(
                    "leaf logical block {} is not referenced by the index (its names cannot be found by hash lookup)",
                    b.logical
                ),
            });
        }
    }
    tree
}

/// Most leaf blocks searched for one name (hash collisions spanning blocks).
const MAX_COLLISION_LEAVES: usize = 1024;

impl Fs {
    /// Look `name` up in the hashed directory `dir` through its index, as the
    /// kernel does. `Err` when the directory is not hashed or its root cannot
    /// be read; a name that is not there is `found: None`.
    pub fn htree_lookup(&self, dir: &Inode, name: &[u8]) -> Result<HtreeLookup> {
        let structure = format!("directory {} htree", dir.ino);
        if dir.flags() & INDEX_FL == 0 || dir.flags() & INLINE_DATA_FL != 0 {
            return Err(Error::corrupt(structure, dir.at, "the directory has no hash index (INDEX_FL)"));
        }
        let map = self.file_map(dir);
        let c = ctx(self, dir, &map);
        let mut problems = Vec::new();
        let Some((r, root_node)) = root(&c, &mut problems) else {
            let why = problems.first().map_or(String::new(), |p| p.message.clone());
            return Err(Error::corrupt(structure, dir.at, why));
        };
        let version = effective_version(r.hash_version, self.sb.s_flags);
        let folded = casefold::is_casefolded(self, dir);
        let hash = dx_hash(version, &casefold::hash_input(self, dir, name), &self.sb.s_hash_seed)
            .ok_or_else(|| Error::Incompatible {
                message: format!("hash version {} ({}) is not computed", version, version_name(version)),
            })?;
        let levels = r.indirect_levels.min(2);
        let mut out = HtreeLookup {
            name: String::from_utf8_lossy(name).into_owned(),
            hash,
            hash_version: version,
            path: Vec::new(),
            leaves: Vec::new(),
            found: None,
            problems: Vec::new(),
        };
        // `.` and `..` are not in the index: they are the root block's first entries.
        if name == b"." || name == b".." {
            out.leaves.push(0);
            if let Ok((phys, block)) = c.read(0) {
                let rctx = RegionCtx {
                    ino: dir.ino,
                    block_size: self.block_size(),
                    logical: Some(0),
                    physical: Some(phys),
                    base_byte: phys.checked_mul(u64::from(self.block_size())),
                    offset_base: 0,
                    region: EntryRegion::Block,
                    csum_tail: false,
                    deleted: false,
                    inodes_count: self.sb.s_inodes_count,
                };
                let w = walk_region(&block, &rctx);
                out.found = w.entries.into_iter().take(2).find(|e| e.is_live() && e.name_bytes == name);
            }
            out.problems.extend(problems);
            return Ok(out);
        }
        // Descend: at each level take the last entry whose hash is <= the name's.
        let mut stack: Vec<(DxNode, usize)> = Vec::new();
        let mut node = root_node;
        loop {
            if node.entries.is_empty() {
                out.problems.extend(problems);
                return Ok(out);
            }
            let i = node.entries.partition_point(|e| e.hash <= hash.major).saturating_sub(1);
            let Some(&e) = node.entries.get(i) else { break };
            out.path.push((node.logical, i as u16, e.hash, e.block));
            let level = node.level;
            stack.push((node, i));
            if let Some(m) = c.bad_child(&e) {
                c.problem(&mut problems, Severity::Error, dir.at, format!("htree entry {i} {m}"));
                out.problems.extend(problems);
                return Ok(out);
            }
            if level >= levels {
                break;
            }
            match c.node(u64::from(e.block), level + 1, &mut problems) {
                Some(n) => node = n,
                None => {
                    out.problems.extend(problems);
                    return Ok(out);
                }
            }
        }
        // Search the leaf, then following leaves while the hash continues.
        while let Some((n, i)) = stack.last() {
            let Some(leaf) = n.entries.get(*i).map(|e| u64::from(e.block)) else { break };
            out.leaves.push(leaf);
            match c.read(leaf) {
                Ok((phys, block)) => {
                    let rctx = RegionCtx {
                        ino: dir.ino,
                        block_size: self.block_size(),
                        logical: Some(leaf),
                        physical: Some(phys),
                        base_byte: phys.checked_mul(u64::from(self.block_size())),
                        offset_base: 0,
                        region: EntryRegion::Block,
                        csum_tail: c.csum,
                        deleted: false,
                        inodes_count: self.sb.s_inodes_count,
                    };
                    let w = walk_region(&block, &rctx);
                    problems.extend(w.problems);
                    if let Some(e) = w
                        .entries
                        .into_iter()
                        .find(|e| e.is_live() && casefold::names_match(folded, &e.name_bytes, name))
                    {
                        out.found = Some(e);
                        break;
                    }
                }
                Err(m) => c.problem(&mut problems, Severity::Error, dir.at, m),
            }
            if out.leaves.len() >= MAX_COLLISION_LEAVES {
                break;
            }
            // The next leaf in hash order, if its range starts with this hash.
            let mut next_hash = None;
            while let Some((n, i)) = stack.last_mut() {
                if *i + 1 < n.entries.len() {
                    *i += 1;
                    next_hash = n.entries.get(*i).map(|e| e.hash);
                    break;
                }
                stack.pop();
            }
            match next_hash {
                Some(h) if h & !1 == hash.major => {}
                _ => break,
            }
            // Descend to the leftmost leaf under the new entry.
            while let Some((n, i)) = stack.last() {
                if n.level >= levels {
                    break;
                }
                let Some(&e) = n.entries.get(*i) else { break };
                if c.bad_child(&e).is_some() {
                    break;
                }
                match c.node(u64::from(e.block), n.level + 1, &mut problems) {
                    Some(child) => stack.push((child, 0)),
                    None => break,
                }
            }
            if stack.last().is_none_or(|(n, _)| n.level < levels) {
                break;
            }
        }
        out.problems.extend(problems);
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::table_is_contiguous;

    #[test]
    fn field_tables_are_contiguous() {
        assert_eq!(table_is_contiguous(DX_ROOT_FIELDS, DxRoot::SIZE), Ok(()));
        assert_eq!(table_is_contiguous(DX_NODE_FIELDS, DxNodeHeader::SIZE), Ok(()));
        assert_eq!(table_is_contiguous(DX_ENTRY_FIELDS, DxEntryRaw::SIZE), Ok(()));
        assert_eq!(table_is_contiguous(DX_TAIL_FIELDS, DxTail::SIZE), Ok(()));
    }

    #[test]
    fn hash_ranges_with_collision_bit() {
        assert!(hash_in_range(10, 10, Some(20)));
        assert!(!hash_in_range(9, 10, Some(20)));
        assert!(!hash_in_range(20, 10, Some(20)));
        assert!(hash_in_range(20, 10, Some(21)));
        assert!(hash_in_range(u32::MAX, 10, None));
    }
}
