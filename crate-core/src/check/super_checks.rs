//! Before pass 1: how e2fsck opens the file system (`ext2fs_open2`'s
//! superblock checks, `ext2fs_check_desc`, and the retry with the backup
//! superblock and descriptors that e2fsck's `main` makes when those fail).

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;

use super::codes::*;
use super::{Abort, Ctx, Pctx};
use crate::format::features::*;
use crate::format::superblock::{superblock_checksum, Superblock, EXT4_MAGIC};
use crate::fs::{backup_groups, Fs};
use crate::layout::Geometry;

/// INCOMPAT features e2fsprogs 1.47.0 opens (`EXT2_LIB_FEATURE_INCOMPAT_SUPP`).
pub(crate) const E2FSPROGS_INCOMPAT: u32 = 0x0003_E7DE;

/// The libext2fs errors of opening a file system, as e2fsck tells them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OpenError {
    BadMagic,
    SbCsumInvalid,
    UnknownCsum,
    RevTooHigh,
    UnsuppFeature,
    Corrupt,
    BadDescSize,
    BadBlockMap,
    BadInodeMap,
    BadInodeTable,
}

impl OpenError {
    /// libext2fs' message for it (`error_message`).
    pub(crate) fn message(self) -> &'static str {
        match self {
            OpenError::BadMagic => "Bad magic number in super-block",
            OpenError::SbCsumInvalid => "Superblock checksum does not match superblock",
            OpenError::UnknownCsum => "Unknown checksum algorithm",
            OpenError::RevTooHigh => "Filesystem revision too high",
            OpenError::UnsuppFeature => "Filesystem has unsupported feature(s)",
            OpenError::Corrupt => "The ext2 superblock is corrupt",
            OpenError::BadDescSize => "Block group descriptor size incorrect",
            OpenError::BadBlockMap => "Corrupt group descriptor: bad block for block bitmap",
            OpenError::BadInodeMap => "Corrupt group descriptor: bad block for inode bitmap",
            OpenError::BadInodeTable => "Corrupt group descriptor: bad block for inode table",
        }
    }

    /// e2fsck tries the backup superblock after these.
    fn retries_backup(self) -> bool {
        matches!(self, OpenError::BadMagic | OpenError::SbCsumInvalid | OpenError::Corrupt)
    }
}

/// `ext2fs_open2`'s checks of a superblock (1024 bytes), in its order, for a
/// read-only open; `ignore` is `EXT2_FLAG_IGNORE_SB_ERRORS`.
pub(crate) fn open_verdict(raw: &[u8], ignore: bool) -> Result<(), OpenError> {
    let sb = Superblock::parse(raw);
    let mut err = None;
    if sb.has_metadata_csum() {
        if sb.s_checksum_type != 1 {
            err = Some(OpenError::UnknownCsum);
        }
        if sb.s_checksum != superblock_checksum(raw) {
            err = Some(OpenError::SbCsumInvalid);
        }
    }
    if sb.s_magic != EXT4_MAGIC {
        err = Some(OpenError::BadMagic);
    }
    if let Some(e) = err {
        return Err(e);
    }
    if sb.s_rev_level > 1 {
        return Err(OpenError::RevTooHigh);
    }
    let f = sb.features();
    if f.incompat & !E2FSPROGS_INCOMPAT != 0 || f.incompat(INCOMPAT_JOURNAL_DEV) {
        return Err(OpenError::UnsuppFeature);
    }
    let corrupt = Err(OpenError::Corrupt);
    let (lb, lc) = (sb.s_log_block_size, sb.s_log_cluster_size);
    if lb > 6 || lc > 19 || lb > lc || sb.s_log_groups_per_flex > 31 {
        return corrupt;
    }
    let bigalloc = f.ro_compat(RO_COMPAT_BIGALLOC);
    if !bigalloc && lb != lc {
        return corrupt;
    }
    let bs = 1024u64 << lb;
    let isz = u64::from(sb.inode_size());
    if isz < 128 || isz > bs || !isz.is_power_of_two() {
        return corrupt;
    }
    if f.incompat(INCOMPAT_64BIT) {
        let ds = sb.s_desc_size;
        if ds == 0 || (!ignore && (!(64..=1024).contains(&ds) || !ds.is_power_of_two())) {
            return Err(OpenError::BadDescSize);
        }
    }
    let ratio_bits = lc - lb;
    let bpg = u64::from(sb.s_blocks_per_group);
    if bpg != u64::from(sb.s_clusters_per_group) << ratio_bits {
        return corrupt;
    }
    let ipg = u64::from(sb.s_inodes_per_group);
    if ipg == 0 {
        return corrupt;
    }
    let inode_blocks = (ipg * isz).div_ceil(bs);
    let ratio = 1u64 << ratio_bits;
    let max_bpg = ((1u64 << 16) - 8) * ratio;
    let max_ipg = (1u64 << 16) - bs / isz;
    let desc_size = u64::from(sb.desc_size());
    let descs_per_block = bs.checked_div(desc_size).unwrap_or(0);
    let blocks = sb.blocks_count();
    let first = u64::from(sb.s_first_data_block);
    if bpg < 8 || bpg > max_bpg || inode_blocks > max_ipg || descs_per_block == 0 || first >= blocks {
        return corrupt;
    }
    let groups = (blocks - first).div_ceil(bpg);
    if groups >> 32 != 0 {
        return corrupt;
    }
    if !ignore && groups * ipg != u64::from(sb.s_inodes_count) {
        return corrupt;
    }
    let desc_blocks = groups.div_ceil(descs_per_block);
    if f.incompat(INCOMPAT_META_BG) && u64::from(sb.s_first_meta_bg) > desc_blocks && !ignore {
        return corrupt;
    }
    Ok(())
}

/// Blocks marked so far, as disjoint half-open ranges merged when they touch
/// (memory in ranges, not in blocks).
#[derive(Default)]
struct Marks {
    ranges: BTreeMap<u64, u64>,
}

impl Marks {
    /// Any block of `start..start+len` marked?
    fn test(&self, start: u64, len: u64) -> bool {
        let end = start.saturating_add(len);
        self.ranges.range(..end).next_back().is_some_and(|(_, &e)| e > start)
    }

    fn mark(&mut self, start: u64, len: u64) {
        if len == 0 {
            return;
        }
        let mut s = start;
        let mut e = start.saturating_add(len);
        // Merge with every range that overlaps or touches.
        while let Some((&a, &b)) = self.ranges.range(..=e).next_back() {
            if b < s {
                break;
            }
            s = s.min(a);
            e = e.max(b);
            self.ranges.remove(&a);
        }
        self.ranges.insert(s, e);
    }
}

/// `ext2fs_reserve_super_and_bgd` for group `g`: its superblock copy and
/// descriptor blocks (and, without meta_bg, the reserved GDT blocks).
fn reserve_super_and_bgd(geo: &Geometry, g: u32, marks: &mut Marks) {
    let meta = geo.features.incompat(INCOMPAT_META_BG);
    let desc_blocks = geo.gdt_blocks;
    let old_desc_blocks =
        if meta { u64::from(geo.first_meta_bg) } else { desc_blocks + u64::from(geo.reserved_gdt_blocks) };
    let mut group_block = geo.group_first_block(g);
    if group_block == 0 && geo.block_size == 1024 {
        group_block = 1;
    }
    let has_super = geo.has_super(g);
    let per = geo.descs_per_block.max(1);
    let meta_bg = g / per;
    let super_blk = if has_super { group_block } else { 0 };
    let (mut old_desc_blk, mut new_desc_blk) = (0, 0);
    if !meta || meta_bg < geo.first_meta_bg {
        if has_super {
            old_desc_blk = group_block + 1;
        }
    } else if matches!(g % per, 0 | 1) || g % per == per - 1 {
        new_desc_blk = group_block + u64::from(has_super);
    }
    if super_blk != 0 || g == 0 {
        marks.mark(super_blk, 1);
    }
    if g == 0 && geo.block_size == 1024 && geo.cluster_ratio > 1 {
        marks.mark(0, 1);
    }
    if old_desc_blk != 0 {
        let mut n = old_desc_blocks;
        if old_desc_blk + n >= geo.blocks_count {
            n = geo.blocks_count.saturating_sub(old_desc_blk);
        }
        marks.mark(old_desc_blk, n);
    }
    if new_desc_blk != 0 {
        marks.mark(new_desc_blk, 1);
    }
}

/// `ext2fs_check_desc`: every group's bitmaps and inode table within the
/// file system (within its group without flex_bg) and on no metadata block
/// already placed.
pub(crate) fn check_desc(fs: &Fs) -> Result<(), OpenError> {
    let geo = &fs.geo;
    let mut marks = Marks::default();
    for g in 0..geo.groups_count {
        reserve_super_and_bgd(geo, g, &mut marks);
    }
    let flex = geo.features.incompat(INCOMPAT_FLEX_BG);
    let itb = u64::from(geo.inode_table_blocks);
    let (mut first, mut last) = (geo.first_data_block, geo.blocks_count.saturating_sub(1));
    for g in 0..geo.groups_count {
        if !flex {
            first = geo.group_first_block(g);
            last = geo.group_last_block(g);
        }
        // A descriptor that cannot be read: libext2fs would have failed to
        // read the table; this reader lets the passes say what they find.
        let Ok(gr) = fs.group(g) else { continue };
        let b = gr.block_bitmap;
        if b < first || b > last || marks.test(b, 1) {
            return Err(OpenError::BadBlockMap);
        }
        marks.mark(b, 1);
        let b = gr.inode_bitmap;
        if b < first || b > last || marks.test(b, 1) {
            return Err(OpenError::BadInodeMap);
        }
        marks.mark(b, 1);
        let b = gr.inode_table;
        if b < first || b.saturating_add(itb.saturating_sub(1)) > last || marks.test(b, itb) {
            return Err(OpenError::BadInodeTable);
        }
        marks.mark(b, itb);
    }
    Ok(())
}

/// e2fsck's `get_backup_sb` for an open file system: the first group of 1,
/// 3, 5, 7, 9, 25, … (within the file system) whose first block holds a
/// superblock of the same block size.
fn backup_sb_known(fs: &Fs) -> Option<u64> {
    let bs = u64::from(fs.geo.block_size);
    let bpg = u64::from(fs.sb.s_blocks_per_group).max(1);
    let limit = fs.sb.blocks_count() / bpg;
    find_backup(fs, bs, bpg, limit)
}

/// `get_backup_sb` without a file system: each block size from 1 KiB, with
/// groups of `8 * block size` blocks, within the image.
fn backup_sb_unknown(fs: &Fs) -> Option<u64> {
    let len = fs.image().len();
    (0..7u32).find_map(|log| {
        let bs = 1024u64 << log;
        let bpg = bs * 8;
        // Only the image's own block size can be viewed here.
        if bs != u64::from(fs.geo.block_size) {
            return None;
        }
        find_backup(fs, bs, bpg, len / bs / bpg)
    })
}

fn find_backup(fs: &Fs, bs: u64, bpg: u64, limit: u64) -> Option<u64> {
    for grp in backup_groups().take_while(|g| u64::from(*g) <= limit) {
        let blk = u64::from(grp).checked_mul(bpg)? + u64::from(bs == 1024);
        let Ok(raw) = fs.image().cache().read_bytes(blk.checked_mul(bs)?, 1024) else { continue };
        let sb = Superblock::parse(&raw);
        if sb.s_magic == EXT4_MAGIC && sb.block_size().map(u64::from) == Some(bs) {
            return Some(blk);
        }
    }
    None
}

/// How e2fsck -n opens the file system, up to its open succeeding: the
/// superblock as libext2fs checks it, the descriptors as `ext2fs_check_desc`
/// checks them, and when either fails, the backup superblock and descriptors
/// (checked instead of `fs` from then on: `Ok(Some(backup))`), or the
/// primary again, loaded "despite errors". `Err` when e2fsck stops.
pub(crate) fn open_fs(fs: &Fs, ctx: &mut Ctx) -> Result<Option<Fs>, Abort> {
    let pc = Pctx::default();
    let failed = |ctx: &mut Ctx, e: OpenError| -> Abort {
        match e {
            OpenError::UnsuppFeature => ctx.abort("e2fsck: Get a newer version of e2fsck!"),
            _ => {
                let p = Pctx { s: Some(String::from(e.message())), ..Pctx::default() };
                if ctx.fix(PR_0_SB_CORRUPT, &p).is_err() {
                    return Abort;
                }
                ctx.abort(&format!("e2fsck: {}", e.message()))
            }
        }
    };
    if fs.backup_superblock.is_some() {
        // The caller opened the backup because this reader could not open
        // the primary superblock: e2fsck's first open failed too.
        let primary = fs.image().cache().read_bytes(1024, 1024).ok();
        let e = match primary.as_deref().map(|raw| open_verdict(raw, false)) {
            Some(Err(e)) => e,
            _ => OpenError::Corrupt,
        };
        if !e.retries_backup() {
            return Err(failed(ctx, e));
        }
        let p = Pctx { s: Some(String::from(e.message())), ..pc.clone() };
        ctx.fix(PR_0_OPEN_FAILED, &p)?;
        ctx.note("TRYING_BACKUP", "e2fsck: Superblock invalid, trying backup blocks...");
        if open_verdict(&fs.sb_raw, false).is_err() {
            return Err(failed(ctx, e));
        }
        ctx.prelatch(PR_LATCH_RELOC);
        return Ok(None);
    }
    let mut ignore = false;
    loop {
        let v = open_verdict(&fs.sb_raw, ignore);
        let desc = if v.is_ok() { check_desc(fs) } else { Ok(()) };
        let retry = matches!(v, Err(e) if e.retries_backup()) || desc.is_err();
        if retry {
            if let Err(e) = v {
                let p = Pctx { s: Some(String::from(e.message())), ..pc.clone() };
                ctx.fix(PR_0_OPEN_FAILED, &p)?;
            }
            if let Err(e) = desc {
                let p = Pctx { s: Some(String::from(e.message())), ..pc.clone() };
                ctx.fix(PR_0_CHECK_DESC_FAILED, &p)?;
            }
            if v.is_err() || fs.geo.groups_count > 1 {
                let why = if v.is_err() { "Superblock invalid," } else { "Group descriptors look bad..." };
                ctx.note("TRYING_BACKUP", &format!("e2fsck: {why} trying backup blocks..."));
                let at = if v.is_ok() { backup_sb_known(fs) } else { backup_sb_unknown(fs) };
                let backup = at.and_then(|blk| {
                    match fs.at_superblock(blk) {
                        Ok(b) => open_verdict(&b.sb_raw, ignore).map(|()| b).map_err(Some),
                        Err(_) => Err(None),
                    }
                    .ok()
                });
                if let Some(b) = backup {
                    ctx.prelatch(PR_LATCH_RELOC);
                    return Ok(Some(b));
                }
                if v.is_ok() {
                    if at.is_some() {
                        ctx.note("BACKUP_FAILED", "e2fsck: going back to original superblock");
                    }
                    return Ok(None);
                }
            }
        }
        match v {
            Ok(()) => return Ok(None),
            Err(e) if matches!(e, OpenError::Corrupt | OpenError::BadDescSize) && !ignore => {
                ctx.note("DESPITE_ERRORS", "e2fsck: Trying to load superblock despite errors...");
                ignore = true;
            }
            Err(e) => return Err(failed(ctx, e)),
        }
    }
}

/// `check_super_value`: `value` outside `min..=max` (each bound when asked)
/// or not a power of two (when asked) is "Corruption found in superblock",
/// and e2fsck stops after the superblock checks.
fn super_value(
    ctx: &mut Ctx,
    descr: &str,
    value: u64,
    min: Option<u64>,
    max: Option<u64>,
    log2: bool,
) -> Result<(), Abort> {
    let bad = min.is_some_and(|m| value < m)
        || max.is_some_and(|m| value > m)
        || (log2 && value & value.wrapping_sub(1) != 0);
    if bad {
        let pc = Pctx { num: Some(value), s: Some(String::from(descr)), ..Pctx::default() };
        ctx.fix(PR_0_MISC_CORRUPT_SUPER, &pc)?;
        return Err(ctx.abort("e2fsck: aborted"));
    }
    Ok(())
}

/// e2fsck's `check_super_block` before its per-group part: the superblock's
/// constants, the inode count, the device size, the first data block, the
/// extra inode sizes, feature combinations and `s_first_meta_bg`.
pub(crate) fn super_block(fs: &Fs, ctx: &mut Ctx) -> Result<(), Abort> {
    let sb = &fs.sb;
    let geo = &fs.geo;
    let bs = u64::from(geo.block_size);
    let ratio = u64::from(geo.cluster_ratio);
    let isz = u64::from(sb.inode_size());
    let inodes_per_block = bs / isz.max(1);
    let bpg = u64::from(sb.s_blocks_per_group);
    let mut ipg_max = inodes_per_block.saturating_mul(bpg.saturating_sub(4));
    ipg_max = ipg_max.min((1 << 16) - inodes_per_block);
    let cpg_max = (8 * bs).min((1 << 16) - 8);
    let bpg_max = (8 * bs * ratio).min(((1 << 16) - 8) * ratio);
    let f = fs.features();
    let mut blks_max = (1u64 << 32).saturating_mul(((1 << 16) - 8) * ratio);
    blks_max = blks_max.min(if f.incompat(INCOMPAT_64BIT) { (1 << 48) - 1 } else { (1 << 32) - 1 });
    let blocks = sb.blocks_count();
    let (mn, mx) = (Some, Some);
    super_value(ctx, "inodes_count", u64::from(sb.s_inodes_count), mn(1), None, false)?;
    super_value(ctx, "blocks_count", blocks, mn(1), mx(blks_max), false)?;
    super_value(ctx, "first_data_block", u64::from(sb.s_first_data_block), None, mx(blocks), false)?;
    super_value(ctx, "log_block_size", u64::from(sb.s_log_block_size), mn(0), mx(6), false)?;
    let lc = u64::from(sb.s_log_cluster_size);
    super_value(ctx, "log_cluster_size", lc, mn(u64::from(sb.s_log_block_size)), mx(19), false)?;
    super_value(ctx, "clusters_per_group", u64::from(sb.s_clusters_per_group), mn(8), mx(cpg_max), false)?;
    super_value(ctx, "blocks_per_group", bpg, mn(8), mx(bpg_max), false)?;
    let ipg = u64::from(sb.s_inodes_per_group);
    super_value(ctx, "inodes_per_group", ipg, mn(inodes_per_block), mx(ipg_max), false)?;
    super_value(ctx, "r_blocks_count", sb.r_blocks_count(), None, mx(blocks / 2), false)?;
    super_value(ctx, "reserved_gdt_blocks", u64::from(sb.s_reserved_gdt_blocks), None, mx(bs / 4), false)?;
    super_value(ctx, "desc_size", u64::from(sb.s_desc_size), None, mx(1024), true)?;
    let should_be = ipg * u64::from(geo.groups_count);
    if should_be > u64::from(u32::MAX) {
        let pc = Pctx { num: Some(should_be), ..Pctx::default() };
        ctx.fix(PR_0_INODE_COUNT_BIG, &pc)?;
        return Err(ctx.abort("e2fsck: aborted"));
    }
    if u64::from(sb.s_inodes_count) != should_be {
        let pc = Pctx { ino: Some(sb.s_inodes_count), ino2: Some(should_be as u32), ..Pctx::default() };
        ctx.fix(PR_0_INODE_COUNT_WRONG, &pc)?;
        let pc = Pctx {
            num: Some(u64::from(sb.s_inodes_count)),
            s: Some(String::from("inodes_count")),
            ..Pctx::default()
        };
        ctx.fix(PR_0_MISC_CORRUPT_SUPER, &pc)?;
        return Err(ctx.abort("e2fsck: aborted"));
    }
    if sb.s_rev_level > 0 {
        super_value(
            ctx,
            "first_ino",
            u64::from(sb.s_first_ino),
            mn(11),
            mx(u64::from(sb.s_inodes_count)),
            false,
        )?;
    }
    super_value(ctx, "inode_size", isz, mn(128), mx(bs), true)?;
    if bpg != u64::from(sb.s_clusters_per_group) * ratio {
        let pc = Pctx {
            num: Some(u64::from(sb.s_clusters_per_group) * ratio),
            s: Some(String::from("block_size")),
            ..Pctx::default()
        };
        ctx.fix(PR_0_MISC_CORRUPT_SUPER, &pc)?;
        return Err(ctx.abort("e2fsck: aborted"));
    }
    // The device is the image: its size in blocks.
    let dev_blocks = fs.image().len() / bs;
    if dev_blocks < blocks {
        let pc = Pctx { blk: Some(blocks), blk2: Some(dev_blocks), ..Pctx::default() };
        ctx.fix(PR_0_FS_SIZE_WRONG, &pc)?;
    }
    let first_should_be = u64::from(sb.s_log_block_size == 0 && ratio == 1);
    if u64::from(sb.s_first_data_block) != first_should_be {
        let pc = Pctx {
            blk: Some(u64::from(sb.s_first_data_block)),
            blk2: Some(first_should_be),
            ..Pctx::default()
        };
        ctx.fix(PR_0_FIRST_DATA_BLOCK, &pc)?;
        return Err(ctx.abort("e2fsck: aborted"));
    }
    if isz > 128 {
        // i_extra_isize and i_checksum_hi at least, the whole inode at most.
        let (min, max) = (4u16, (isz - 128) as u16);
        for (code, v) in [
            (PR_0_BAD_MIN_EXTRA_ISIZE, sb.s_min_extra_isize),
            (PR_0_BAD_WANT_EXTRA_ISIZE, sb.s_want_extra_isize),
        ] {
            if v != 0 && (v < min || v > max || v & 3 != 0) {
                ctx.fix(code, &Pctx { num: Some(u64::from(v)), ..Pctx::default() })?;
            }
        }
    }
    let pc = Pctx::default();
    if sb.has_metadata_csum() && f.ro_compat(RO_COMPAT_GDT_CSUM) {
        ctx.fix(PR_0_META_AND_GDT_CSUM_SET, &pc)?;
    }
    if !sb.has_metadata_csum() && f.incompat(INCOMPAT_CSUM_SEED) {
        ctx.fix(PR_0_CSUM_SEED_WITHOUT_META_CSUM, &pc)?;
    }
    if f.incompat(INCOMPAT_64BIT) && !f.incompat(INCOMPAT_EXTENTS) {
        ctx.fix(PR_0_64BIT_WITHOUT_EXTENTS, &pc)?;
    }
    if f.incompat(INCOMPAT_META_BG) && u64::from(sb.s_first_meta_bg) > geo.gdt_blocks {
        let pc = Pctx {
            group: Some(geo.gdt_blocks as u32),
            num: Some(u64::from(sb.s_first_meta_bg)),
            ..Pctx::default()
        };
        ctx.fix(PR_0_FIRST_META_BG_TOO_BIG, &pc)?;
    }
    Ok(())
}

/// `check_super_block` after its per-group part: the free counts and
/// `e2fsck_validate_quota_inodes`.
pub(crate) fn super_block_end(fs: &Fs, ctx: &mut Ctx) -> Result<(), Abort> {
    let sb = &fs.sb;
    if sb.free_blocks_count() > sb.blocks_count() || sb.s_free_inodes_count > sb.s_inodes_count {
        ctx.unmark_valid();
    }
    for (qtype, ino) in
        [sb.s_usr_quota_inum, sb.s_grp_quota_inum, sb.s_prj_quota_inum].into_iter().enumerate()
    {
        // The reserved inodes other than the quota inodes (3, 4), and past
        // the inode count.
        if ino != 0 && (matches!(ino, 1 | 2 | 5 | 6 | 7 | 8 | 9 | 10) || ino > sb.s_inodes_count) {
            let pc = Pctx { ino: Some(ino), num: Some(qtype as u64), ..Pctx::default() };
            ctx.fix(PR_0_INVALID_QUOTA_INO, &pc)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_merge_and_test_overlaps() {
        let mut m = Marks::default();
        m.mark(10, 5);
        m.mark(20, 5);
        assert!(m.test(14, 1) && !m.test(15, 5) && m.test(15, 6) && !m.test(0, 10));
        m.mark(15, 5);
        assert_eq!(m.ranges.len(), 1);
        assert_eq!(m.ranges.get(&10), Some(&25));
        m.mark(0, 3);
        assert!(m.test(2, 1) && !m.test(3, 7));
    }

    #[test]
    fn backup_groups_are_the_sparse_super_list() {
        let v: alloc::vec::Vec<u32> = backup_groups().take(10).collect();
        assert_eq!(v, [1, 3, 5, 7, 9, 25, 27, 49, 81, 125]);
    }

    #[test]
    fn verdict_tells_the_open_errors_apart() {
        let mut raw = alloc::vec![0u8; 1024];
        assert_eq!(open_verdict(&raw, false), Err(OpenError::BadMagic));
        raw[0x38..0x3A].copy_from_slice(&EXT4_MAGIC.to_le_bytes());
        raw[0x4C] = 1; // rev 1
        raw[0x58] = 0; // inode size 0
        assert_eq!(open_verdict(&raw, false), Err(OpenError::Corrupt));
        raw[0x58..0x5A].copy_from_slice(&256u16.to_le_bytes());
        raw[0x18] = 2; // 4 KiB blocks
        raw[0x1C] = 2;
        for (off, v) in [(0x04, 1000u32), (0x20, 32768), (0x24, 32768), (0x28, 64), (0x00, 64)] {
            raw[off..off + 4].copy_from_slice(&v.to_le_bytes());
        }
        assert_eq!(open_verdict(&raw, false), Ok(()));
        raw[0x00..0x04].copy_from_slice(&65u32.to_le_bytes());
        assert_eq!(open_verdict(&raw, false), Err(OpenError::Corrupt));
        assert_eq!(open_verdict(&raw, true), Ok(()));
    }
}
