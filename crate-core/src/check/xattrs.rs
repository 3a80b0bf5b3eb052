//! Pass 1's extended attribute checks, as e2fsck 1.47.0 makes them: the
//! in-inode area (`check_inode_extra_space`, `check_ea_in_inode`), the EA
//! block (`check_ext_attr`, with the block reference counts settled at the end
//! of pass 1), the values kept in EA inodes (`check_large_ea_inode`, with the
//! references counted for pass 4), and libext2fs' own reader of an inode's
//! attributes (`ext2fs_xattrs_read_inode`), whose errors the inline data
//! checks go by.
//!
//! Everything is read with bounds checks: bytes past an area read as zero,
//! every loop moves forward by at least 16 bytes within its area, and the
//! maps kept hold one entry per EA block or EA inode referenced.

use alloc::collections::BTreeMap;
use alloc::vec::Vec;

use super::codes::*;
use super::{Abort, Ctx, Pctx};
use crate::format::features::{COMPAT_EXT_ATTR, INCOMPAT_EA_INODE, INCOMPAT_INLINE_DATA};
use crate::format::inode::{Inode, EA_INODE_FL, GOOD_OLD_INODE_SIZE, INLINE_DATA_FL};
use crate::format::xattr::{block_checksum, entry_hash, value_words, XATTR_MAGIC};
use crate::fs::Fs;

/// Magic of version 1 EA blocks (accepted by libext2fs' header check only).
const XATTR_MAGIC_V1: u32 = 0xEA01_0000;
/// `EXT2_XATTR_SIZE_MAX` as e2fsck checks block values.
const CHECK_VALUE_MAX: u32 = 1 << 24;
/// Entries' fixed part.
const ENTRY: usize = 16;

fn le16(b: &[u8], at: usize) -> u16 {
    let mut w = [0u8; 2];
    for (i, x) in w.iter_mut().enumerate() {
        *x = at.checked_add(i).and_then(|j| b.get(j)).copied().unwrap_or(0);
    }
    u16::from_le_bytes(w)
}

fn le32(b: &[u8], at: usize) -> u32 {
    let mut w = [0u8; 4];
    for (i, x) in w.iter_mut().enumerate() {
        *x = at.checked_add(i).and_then(|j| b.get(j)).copied().unwrap_or(0);
    }
    u32::from_le_bytes(w)
}

fn round4(n: usize) -> usize {
    n.saturating_add(3) & !3
}

/// An entry's fixed part, read at `off` of `b` (zeros past the end).
#[derive(Debug, Clone, Copy)]
struct Entry {
    name_len: usize,
    index: u8,
    value_offs: usize,
    value_inum: u32,
    value_size: u32,
    hash: u32,
}

impl Entry {
    fn at(b: &[u8], off: usize) -> Entry {
        let byte = |i: usize| off.checked_add(i).and_then(|j| b.get(j)).copied().unwrap_or(0);
        Entry {
            name_len: usize::from(byte(0)),
            index: byte(1),
            value_offs: usize::from(le16(b, off.saturating_add(2))),
            value_inum: le32(b, off.saturating_add(4)),
            value_size: le32(b, off.saturating_add(8)),
            hash: le32(b, off.saturating_add(12)),
        }
    }
    /// `EXT2_EXT_ATTR_LEN`: the entry with its name, padded.
    fn len(&self) -> usize {
        round4(ENTRY + self.name_len)
    }
    fn name(&self, b: &[u8], off: usize) -> Vec<u8> {
        let s = off.saturating_add(ENTRY);
        (0..self.name_len).map(|i| b.get(s.saturating_add(i)).copied().unwrap_or(0)).collect()
    }
}

/// e2fsck's `ext2fs_ext_attr_hash_entry` (and its signed variant): the name,
/// then the value's words (rounded up; bytes past `b` read as zero) when the
/// value is stored here.
fn hashes(b: &[u8], off: usize, e: &Entry, value_at: Option<usize>) -> (u32, u32) {
    let name = e.name(b, off);
    let words: Vec<u32> = match value_at {
        Some(v) if e.value_inum == 0 && e.value_size != 0 => {
            let n = (e.value_size as usize).div_ceil(4);
            let bytes: Vec<u8> =
                (0..n * 4).map(|i| v.checked_add(i).and_then(|j| b.get(j)).copied().unwrap_or(0)).collect();
            value_words(&bytes).collect()
        }
        _ => Vec::new(),
    };
    (entry_hash(&name, words.iter().copied(), false), entry_hash(&name, words.iter().copied(), true))
}

/// e2fsck's `region_t`: byte ranges of an area handed out once each.
struct Region {
    max: usize,
    used: BTreeMap<usize, usize>,
}

impl Region {
    fn new(max: usize) -> Region {
        Region { max, used: BTreeMap::new() }
    }
    /// True on a collision (overlap, or past the area), as `region_allocate`.
    fn allocate(&mut self, start: usize, n: usize) -> bool {
        let Some(end) = start.checked_add(n) else { return true };
        if end > self.max {
            return true;
        }
        if let Some((_, &e)) = self.used.range(..=start).next_back() {
            if e > start {
                return true;
            }
        }
        if let Some((&s, _)) = self.used.range(start..).next() {
            if s < end {
                return true;
            }
        }
        if n > 0 {
            self.used.insert(start, end);
        }
        false
    }
}

/// What pass 1 keeps about EA blocks and EA inodes across inodes.
#[derive(Debug, Default)]
pub(crate) struct EaState {
    /// EA blocks validated (e2fsck's `block_ea_map`): the references still
    /// expected (`ctx->refcount`), the quota blocks and inodes of the block.
    blocks: BTreeMap<u64, SeenBlock>,
    /// References past `h_refcount` (`ctx->refcount_extra`).
    extra: BTreeMap<u64, u64>,
    /// References to EA inodes from attributes (`ctx->ea_inode_refs`).
    pub ea_refs: BTreeMap<u32, u64>,
}

#[derive(Debug, Clone, Copy)]
struct SeenBlock {
    remaining: u64,
    quota_blocks: u64,
}

impl EaState {
    /// `inc_ea_inode_refs` over the entries from `first` in `b` up to `end`.
    fn count_refs(&mut self, b: &[u8], first: usize, end: usize) {
        let mut off = first;
        loop {
            let e = Entry::at(b, off);
            let np = off.saturating_add(e.len());
            if off >= end || np >= end || le32(b, off) == 0 {
                break;
            }
            if e.value_inum != 0 {
                let r = self.ea_refs.entry(e.value_inum).or_insert(0);
                *r = r.saturating_add(1);
            }
            off = np;
        }
    }
}

/// `size_to_quota_blocks`: whole clusters of the value, in blocks.
fn quota_blocks(fs: &Fs, size: u32) -> u64 {
    let ratio = u64::from(fs.geo.cluster_ratio.max(1));
    let cluster = u64::from(fs.geo.block_size).saturating_mul(ratio);
    u64::from(size).div_ceil(cluster.max(1)).saturating_mul(ratio)
}

/// e2fsck's `check_large_ea_inode`: the problem with the EA inode an entry
/// names (0 when none), with `pc.num` set as e2fsck sets it, and the quota
/// blocks it adds.
fn check_large_ea_inode(
    fs: &Fs,
    ctx: &mut Ctx,
    e: &Entry,
    name: &[u8],
    owner: &Inode,
    pc: &mut Pctx,
) -> Result<(u32, u64), Abort> {
    if e.value_inum < fs.sb.first_ino() || e.value_inum > fs.sb.s_inodes_count {
        pc.num = Some(u64::from(e.value_inum));
        return Ok((PR_1_ATTR_VALUE_EA_INODE, 0));
    }
    let Ok(ea) = fs.inode(e.value_inum) else {
        return Err(ctx.abort("e2fsck: aborted"));
    };
    let ea_hash = ea.raw.i_atime;
    let hash = entry_hash(name, [ea_hash], false);
    let signed = entry_hash(name, [ea_hash], true);
    let mut quota = 0;
    if e.hash == hash || e.hash == signed {
        quota = quota_blocks(fs, e.value_size);
    } else if !(ea.raw.i_mtime == owner.ino && ea.raw.i_generation == owner.raw.i_generation) {
        // Not an old Lustre-style reference either.
        if ea.flags() & EA_INODE_FL == 0 {
            pc.num = Some(u64::from(e.value_inum));
            return Ok((PR_1_ATTR_VALUE_EA_INODE, 0));
        }
        pc.num = Some(u64::from(e.hash));
        return Ok((PR_1_ATTR_HASH, 0));
    }
    if ea.flags() & EA_INODE_FL == 0 {
        pc.num = Some(u64::from(e.value_inum));
        if !ctx.fix(PR_1_ATTR_SET_EA_INODE_FL, pc)? {
            return Ok((PR_1_ATTR_NO_EA_INODE_FL, quota));
        }
    }
    Ok((0, quota))
}

/// e2fsck's `check_inode_extra_space` (with `check_ea_in_inode`): the
/// `i_extra_isize` check, the in-inode attributes and the extra time fields.
/// Returns the quota blocks of the EA inodes the area names.
pub(crate) fn check_inode_extra_space(
    fs: &Fs,
    ctx: &mut Ctx,
    st: &mut EaState,
    inode: &Inode,
    pc: &mut Pctx,
) -> Result<u64, Abort> {
    let isz = fs.geo.inode_size as usize;
    if isz <= GOOD_OLD_INODE_SIZE {
        return Ok(0);
    }
    let b = &inode.bytes;
    let extra = usize::from(inode.raw.i_extra_isize);
    let min = 4;
    let max = isz - GOOD_OLD_INODE_SIZE;
    if extra != 0 && (extra < min || extra > max || extra & 3 != 0) {
        // Under -n the size stays as it is: nothing more is looked at.
        ctx.fix(PR_1_EXTRA_ISIZE, pc)?;
        return Ok(0);
    }
    let mut quota = 0;
    if extra < max.saturating_sub(4) && le32(b, GOOD_OLD_INODE_SIZE + extra) == XATTR_MAGIC {
        quota = check_ea_in_inode(fs, ctx, st, inode, pc, extra)?;
    }
    // Times of the old, pre-1970 encoding (e2fsck assumes a date before 2242).
    let neg = |t: usize, x: usize| le32(b, t) & 0x8000_0000 != 0 && le32(b, x) & 3 == 3;
    // (Read from the record whatever i_extra_isize says, as e2fsck does.)
    if [(0x08, 0x8C), (0x0C, 0x84), (0x90, 0x94), (0x10, 0x88)].iter().any(|&(t, x)| neg(t, x)) {
        ctx.fix(PR_1_EA_TIME_OUT_OF_RANGE, pc)?;
    }
    Ok(quota)
}

fn check_ea_in_inode(
    fs: &Fs,
    ctx: &mut Ctx,
    st: &mut EaState,
    inode: &Inode,
    pc: &mut Pctx,
    extra: usize,
) -> Result<u64, Abort> {
    let isz = fs.geo.inode_size as usize;
    let storage = isz - GOOD_OLD_INODE_SIZE - extra;
    // The area from its magic; value offsets count from `start` (4).
    let area: &[u8] = inode.bytes.get(GOOD_OLD_INODE_SIZE + extra..).unwrap_or(&[]);
    let area = area.get(..storage).unwrap_or(area);
    let mut remain = storage - 4;
    let mut region = Region::new(storage);
    let mut problem = 0;
    let mut quota = 0u64;
    let mut off = 4usize;
    if region.allocate(0, 4) {
        problem = PR_1_INODE_EA_ALLOC_COLLISION;
    }
    while problem == 0 && remain >= ENTRY && le32(area, off) != 0 {
        let e = Entry::at(area, off);
        if region.allocate(off, e.len()) {
            problem = PR_1_INODE_EA_ALLOC_COLLISION;
            break;
        }
        remain -= ENTRY;
        if round4(e.name_len) > remain {
            pc.num = Some(e.name_len as u64);
            problem = PR_1_ATTR_NAME_LEN;
            break;
        }
        remain -= round4(e.name_len);
        if e.value_inum == 0 {
            if e.value_size as usize > remain {
                pc.num = Some(u64::from(e.value_size));
                problem = PR_1_ATTR_VALUE_SIZE;
                break;
            }
            if e.value_size != 0 && region.allocate(4 + e.value_offs, round4(e.value_size as usize)) {
                problem = PR_1_INODE_EA_ALLOC_COLLISION;
                break;
            }
            let (h, s) = hashes(area, off, &e, Some(4 + e.value_offs));
            // Old kernels left e_hash 0 in the inode.
            if e.hash != 0 && e.hash != h && e.hash != s {
                pc.num = Some(u64::from(e.hash));
                problem = PR_1_ATTR_HASH;
                break;
            }
            remain -= e.value_size as usize;
        } else {
            let name = e.name(area, off);
            let (p, q) = check_large_ea_inode(fs, ctx, &e, &name, inode, pc)?;
            if p != 0 {
                problem = p;
                break;
            }
            quota = quota.saturating_add(q);
        }
        off += e.len();
    }
    if problem == 0 && region.allocate(off, 4) {
        problem = PR_1_INODE_EA_ALLOC_COLLISION;
    }
    if problem != 0 {
        // Under -n the attributes stay.
        ctx.fix(problem, pc)?;
    }
    st.count_refs(area, 4, storage);
    Ok(quota)
}

/// e2fsck's `check_ext_attr`: the EA block of `inode`, checked the first
/// time it is met, counted against `h_refcount` every time. Returns the
/// blocks it adds to the inode's count (`None`: not counted).
pub(crate) fn check_ext_attr(
    fs: &Fs,
    ctx: &mut Ctx,
    st: &mut EaState,
    inode: &Inode,
    pc: &mut Pctx,
) -> Result<Option<u64>, Abort> {
    let blk = inode.file_acl();
    if blk == 0 {
        return Ok(None);
    }
    let geo = fs.geo;
    if !fs.features().compat(COMPAT_EXT_ATTR) || blk < geo.first_data_block || blk >= geo.blocks_count {
        // The inode is marked bad (pass 2 looks at it again).
        return Ok(None);
    }
    let ratio = u64::from(geo.cluster_ratio.max(1));
    if let Some(seen) = st.blocks.get_mut(&blk) {
        let q = seen.quota_blocks;
        if seen.remaining == 0 {
            let x = st.extra.entry(blk).or_insert(0);
            *x = x.saturating_add(1);
        } else {
            seen.remaining -= 1;
        }
        return Ok(Some(q));
    }
    pc.blk = Some(blk);
    let b = match fs.block(blk) {
        Ok(b) => b,
        Err(_) => {
            ctx.fix(PR_1_READ_EA_BLOCK, pc)?;
            return Ok(Some(ratio));
        }
    };
    let bs = b.len();
    let magic = le32(&b, 0);
    let h_blocks = le32(&b, 8);
    let header_ok = (magic == XATTR_MAGIC || magic == XATTR_MAGIC_V1) && h_blocks == 1;
    // libext2fs checks the checksum unless the inode's own failed.
    let ignore_csum = inode.checksum.ok == Some(false);
    let failed_csum = header_ok && !ignore_csum && block_checksum(fs, blk, &b).ok == Some(false);
    if magic != XATTR_MAGIC {
        ctx.fix(PR_1_BAD_EA_BLOCK, pc)?;
    }
    if h_blocks != 1 {
        ctx.fix(PR_1_EA_MULTI_BLOCK, pc)?;
    }
    let mut region = Region::new(bs);
    if region.allocate(0, 32) {
        ctx.fix(PR_1_EA_ALLOC_COLLISION, pc)?;
    }
    let mut quota = ratio;
    let mut off = 32usize;
    // Each entry is at least 16 bytes and must fit the block, so this ends.
    while off < bs && le32(&b, off) != 0 {
        let e = Entry::at(&b, off);
        if region.allocate(off, e.len()) {
            ctx.fix(PR_1_EA_ALLOC_COLLISION, pc)?;
            break;
        }
        if e.index == 0 {
            ctx.fix(PR_1_EA_BAD_NAME, pc)?;
            break;
        }
        if e.value_inum == 0 {
            if e.value_size > CHECK_VALUE_MAX || e.value_offs + e.value_size as usize > bs {
                ctx.fix(PR_1_EA_BAD_VALUE, pc)?;
                break;
            }
            if e.value_size != 0 && region.allocate(e.value_offs, round4(e.value_size as usize)) {
                ctx.fix(PR_1_EA_ALLOC_COLLISION, pc)?;
            }
            let (h, s) = hashes(&b, off, &e, Some(e.value_offs));
            if e.hash != h && e.hash != s {
                pc.num = Some(u64::from(e.hash));
                ctx.fix(PR_1_ATTR_HASH, pc)?;
            }
        } else {
            let name = e.name(&b, off);
            let (p, q) = check_large_ea_inode(fs, ctx, &e, &name, inode, pc)?;
            if p != 0 {
                ctx.fix(p, pc)?;
            } else {
                quota = quota.saturating_add(q);
            }
        }
        off += e.len();
    }
    if region.allocate(off, 4) {
        ctx.fix(PR_1_EA_ALLOC_COLLISION, pc)?;
    }
    if failed_csum {
        ctx.fix(PR_1_EA_BLOCK_ONLY_CSUM_INVALID, pc)?;
    }
    st.count_refs(&b, 32, bs);
    let refcount = le32(&b, 4).wrapping_sub(1);
    st.blocks.insert(blk, SeenBlock { remaining: u64::from(refcount), quota_blocks: quota });
    Ok(Some(quota))
}

/// The end of pass 1: EA blocks referenced fewer or more times than their
/// `h_refcount` says (`adjust_extattr_refcount`).
pub(crate) fn adjust_refcounts(fs: &Fs, ctx: &mut Ctx, st: &EaState) -> Result<(), Abort> {
    let fewer: Vec<(u64, u64)> =
        st.blocks.iter().filter(|(_, s)| s.remaining != 0).map(|(&b, s)| (b, s.remaining)).collect();
    let more: Vec<(u64, u64)> = st.extra.iter().filter(|(_, &n)| n != 0).map(|(&b, &n)| (b, n)).collect();
    for (list, sign) in [(fewer, -1i64), (more, 1)] {
        for (blk, count) in list {
            let mut pc = Pctx { blk: Some(blk), ..Pctx::default() };
            let Ok(b) = fs.block(blk) else {
                ctx.fix(PR_1_EXTATTR_READ_ABORT, &pc)?;
                return Ok(());
            };
            let magic = le32(&b, 0);
            let header_ok = (magic == XATTR_MAGIC || magic == XATTR_MAGIC_V1) && le32(&b, 8) == 1;
            if !header_ok || block_checksum(fs, blk, &b).ok == Some(false) {
                pc.s = Some(alloc::string::String::from(if header_ok {
                    "Extended attribute block checksum does not match block"
                } else {
                    "Extended attribute block has a bad header"
                }));
                ctx.fix(PR_1_EXTATTR_READ_ABORT, &pc)?;
                return Ok(());
            }
            let h = le32(&b, 4);
            pc.blkcount = Some(i64::from(h));
            // `h_refcount + sign * (int)count`, in 32 bits.
            let c = count as u32;
            let should = if sign < 0 { h.wrapping_sub(c) } else { h.wrapping_add(c) };
            pc.num = Some(u64::from(should));
            ctx.fix(PR_1_EXTATTR_REFCOUNT, &pc)?;
        }
    }
    Ok(())
}

/// Errors of libext2fs' attribute reader that e2fsck's inline data checks
/// tell apart: those of the attributes (the inode is then truncated) and any
/// other (pass 1 stops).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LibErr {
    Xattr,
    Other,
}

/// libext2fs' prefixes (`ea_names`).
fn lib_prefix(index: u8) -> &'static [u8] {
    match index {
        1 => b"user.",
        2 => b"system.posix_acl_access",
        3 => b"system.posix_acl_default",
        4 => b"trusted.",
        6 => b"security.",
        7 => b"system.",
        8 => b"system.richacl",
        _ => b"",
    }
}

/// `read_xattrs_from_buffer`: the (full name, value length) of each entry.
fn lib_read_buffer(
    fs: &Fs,
    owner: &Inode,
    b: &[u8],
    first: usize,
    storage: usize,
    value_start: usize,
    out: &mut Vec<(Vec<u8>, usize)>,
) -> Result<(), LibErr> {
    let values_size = storage + (first - value_start);
    let mut end = first;
    let mut remain = storage;
    while remain >= ENTRY && le32(b, end) != 0 {
        let e = Entry::at(b, end);
        remain -= ENTRY;
        if round4(e.name_len) > remain {
            return Err(LibErr::Xattr);
        }
        remain -= round4(e.name_len);
        end += e.len();
    }
    let ea_inode_fs = fs.features().incompat(INCOMPAT_EA_INODE);
    let mut off = first;
    remain = storage;
    while remain >= ENTRY && le32(b, off) != 0 {
        let e = Entry::at(b, off);
        remain = remain.saturating_sub(ENTRY + round4(e.name_len));
        if !ea_inode_fs && e.value_inum != 0 {
            return Err(LibErr::Xattr);
        }
        if e.value_inum == 0 {
            let size = e.value_size as usize;
            if size > remain || e.value_offs + size > values_size {
                return Err(LibErr::Xattr);
            }
            if size > 0 && value_start + e.value_offs < end + 4 {
                return Err(LibErr::Xattr);
            }
            remain -= size;
        } else {
            if e.value_offs != 0 || e.value_size > 65536 {
                return Err(LibErr::Xattr);
            }
            if e.value_inum > fs.sb.s_inodes_count {
                return Err(LibErr::Other);
            }
            let ea = fs.inode(e.value_inum).map_err(|_| LibErr::Other)?;
            if ea.flags() & INLINE_DATA_FL != 0 || ea.flags() & EA_INODE_FL == 0 || ea.links() == 0 {
                return Err(LibErr::Xattr);
            }
            if ea.size() != u64::from(e.value_size) {
                return Err(LibErr::Xattr);
            }
        }
        if e.hash != 0 {
            let (h, s) = if e.value_inum == 0 {
                hashes(b, off, &e, Some(value_start + e.value_offs))
            } else {
                let ea = fs.inode(e.value_inum).map_err(|_| LibErr::Other)?;
                let name = e.name(b, off);
                (entry_hash(&name, [ea.raw.i_atime], false), entry_hash(&name, [ea.raw.i_atime], true))
            };
            if e.hash != h && e.hash != s {
                if e.value_inum == 0 || e.value_inum > fs.sb.s_inodes_count {
                    return Err(LibErr::Other);
                }
                let child = fs.inode(e.value_inum).map_err(|_| LibErr::Other)?;
                if child.raw.i_mtime != owner.ino || child.raw.i_generation != owner.raw.i_generation {
                    return Err(LibErr::Xattr);
                }
            }
        }
        let mut name = lib_prefix(e.index).to_vec();
        name.extend(e.name(b, off));
        out.push((name, e.value_size as usize));
        off += e.len();
    }
    Ok(())
}

/// libext2fs' `ext2fs_xattrs_open` and `ext2fs_xattrs_read_inode`: the
/// attributes of `inode` (full name, value length), or the kind of error.
/// `ignore_csum`: the EA block's checksum is not verified.
pub(crate) fn lib_read(fs: &Fs, inode: &Inode, ignore_csum: bool) -> Result<Vec<(Vec<u8>, usize)>, LibErr> {
    let f = fs.features();
    if !f.compat(COMPAT_EXT_ATTR) && !f.incompat(INCOMPAT_INLINE_DATA) {
        return Err(LibErr::Xattr);
    }
    let mut out = Vec::new();
    let isz = fs.geo.inode_size as usize;
    let extra = usize::from(inode.raw.i_extra_isize);
    let b = &inode.bytes;
    if !(extra < 2 || isz <= GOOD_OLD_INODE_SIZE + extra + 4) {
        if extra & 3 != 0 {
            return Err(LibErr::Other);
        }
        if le32(b, GOOD_OLD_INODE_SIZE + extra) == XATTR_MAGIC {
            let start = GOOD_OLD_INODE_SIZE + extra + 4;
            lib_read_buffer(fs, inode, b, start, isz - start, start, &mut out)?;
        }
    }
    let blk = inode.file_acl();
    if blk != 0 {
        if blk < fs.geo.first_data_block || blk >= fs.geo.blocks_count {
            return Err(LibErr::Xattr);
        }
        let blockbuf = fs.block(blk).map_err(|_| LibErr::Other)?;
        let magic = le32(&blockbuf, 0);
        let header_ok = (magic == XATTR_MAGIC || magic == XATTR_MAGIC_V1) && le32(&blockbuf, 8) == 1;
        if !header_ok || magic != XATTR_MAGIC {
            return Err(LibErr::Xattr);
        }
        if !ignore_csum && block_checksum(fs, blk, &blockbuf).ok == Some(false) {
            return Err(LibErr::Xattr);
        }
        let bs = blockbuf.len();
        lib_read_buffer(fs, inode, &blockbuf, 32, bs - 32, 0, &mut out)?;
    }
    Ok(out)
}

/// Inode `inode`'s encryption context (`c` in the encryption index) as
/// e2fsck's `read_encryption_xattr` finds it: its length and first byte (the
/// context's version), or None when the attributes cannot be read
/// (libext2fs' errors) or there is none.
pub(crate) fn encryption_context(fs: &Fs, inode: &Inode) -> Option<(usize, Option<u8>)> {
    let attrs = lib_read(fs, inode, false).ok()?;
    let len = attrs.iter().find(|(n, _)| n == b"c")?.1;
    let xr = fs.xattrs(inode);
    let version = xr
        .entries
        .iter()
        .find(|e| e.name_index == crate::format::xattr::INDEX_ENCRYPTION && e.suffix == b"c")
        .and_then(|e| e.value.first().copied());
    Some((len, version))
}

/// `fscrypt_context_to_policy` does not call a context of `len` bytes and
/// `version` corrupt: a known version (1 or 2) of the right size, or a
/// version it does not know.
pub(crate) fn context_well_formed(len: usize, version: Option<u8>) -> bool {
    match version {
        None | Some(0) => false,
        Some(1) => len == 28,
        Some(2) => len == 40,
        Some(_) => len >= 1,
    }
}

/// The length of `system.data` (`get_inline_data_ea_size`; missing is an
/// attribute error).
pub(crate) fn system_data_size(fs: &Fs, inode: &Inode, ignore_csum: bool) -> Result<usize, LibErr> {
    let attrs = lib_read(fs, inode, ignore_csum)?;
    attrs.iter().find(|(n, _)| n == b"system.data").map(|a| a.1).ok_or(LibErr::Xattr)
}

/// `ext2fs_inline_data_size`: 60 bytes and the `system.data` value.
pub(crate) fn inline_data_size(fs: &Fs, inode: &Inode, ignore_csum: bool) -> Result<usize, LibErr> {
    if inode.flags() & INLINE_DATA_FL == 0 {
        return Err(LibErr::Xattr);
    }
    let attrs = lib_read(fs, inode, ignore_csum)?;
    Ok(60 + attrs.iter().find(|(n, _)| n == b"system.data").map_or(0, |a| a.1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_collisions() {
        let mut r = Region::new(64);
        assert!(!r.allocate(0, 4));
        assert!(r.allocate(2, 4), "overlaps the first range");
        assert!(!r.allocate(4, 16));
        assert!(!r.allocate(40, 24));
        assert!(r.allocate(60, 8), "past the end");
        assert!(r.allocate(36, 8), "overlaps the range at 40");
        assert!(!r.allocate(20, 20));
        assert!(r.allocate(usize::MAX, 2));
    }

    #[test]
    fn references_counted_to_the_end_of_the_area() {
        let mut a = alloc::vec![0u8; 64];
        // Entry at 4: name_len 1, inum 12; entry at 24: inum 12 again, but
        // its next entry would reach the end: not counted.
        a[4] = 1;
        a[5] = 1;
        a[8..12].copy_from_slice(&12u32.to_le_bytes());
        a[24] = 28;
        a[25] = 1;
        a[28..32].copy_from_slice(&12u32.to_le_bytes());
        let mut st = EaState::default();
        st.count_refs(&a, 4, 64);
        assert_eq!(st.ea_refs.get(&12), Some(&1));
        st.count_refs(&a, 4, 80);
        assert_eq!(st.ea_refs.get(&12), Some(&3));
    }
}
