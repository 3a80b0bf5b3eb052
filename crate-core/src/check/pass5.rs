//! Pass 5: the bitmaps on disk against what passes 1–4 found, and the free
//! counts against the bitmaps on disk (under -n nothing is rewritten, so the
//! counts are those of the bitmaps as they are).

use super::codes::*;
use super::{Abort, Ctx, Pctx, State};
use crate::format::features::RO_COMPAT_GDT_CSUM;
use crate::format::group_desc::{BG_BLOCK_UNINIT, BG_INODE_UNINIT};
use crate::fs::Fs;
use crate::ownership::{BitmapDifferenceKind, ScanReport};

type R = Result<(), Abort>;

pub(crate) fn pass5(fs: &Fs, ctx: &mut Ctx, report: &ScanReport, state: &State) -> R {
    block_bitmaps(fs, ctx, report)?;
    inode_bitmaps(fs, ctx, state)?;
    bitmap_ends(fs, ctx)?;
    bitmap_checksums(fs, ctx)?;
    Ok(())
}

/// e2fsck's `check_block_bitmaps`.
fn block_bitmaps(fs: &Fs, ctx: &mut Ctx, report: &ScanReport) -> R {
    // The scan's differences, merged across groups as e2fsck's one walk over
    // every block merges them.
    let ratio = u64::from(fs.geo.cluster_ratio.max(1));
    let mut runs: alloc::vec::Vec<(u64, u64, BitmapDifferenceKind)> = alloc::vec::Vec::new();
    let mut diffs = report.bitmap_differences.clone();
    diffs.sort_by_key(|d| d.start);
    for d in &diffs {
        match runs.last_mut() {
            Some(last) if last.2 == d.kind && last.0 + last.1 == d.start => last.1 += d.len,
            _ => runs.push((d.start, d.len, d.kind)),
        }
    }
    let csum = fs.sb.has_metadata_csum() || fs.features().ro_compat(RO_COMPAT_GDT_CSUM);
    let had_problem = !runs.is_empty();
    for (start, len, kind) in runs {
        let last = start + len.saturating_sub(1);
        let mut pc = Pctx { blk: Some(start), ..Pctx::default() };
        let code = match kind {
            BitmapDifferenceKind::MarkedButUnowned => {
                if len > ratio {
                    pc.blk2 = Some(last);
                    PR_5_BLOCK_RANGE_UNUSED
                } else {
                    PR_5_BLOCK_UNUSED
                }
            }
            BitmapDifferenceKind::UsedButFree => {
                if csum {
                    // A used block in a BLOCK_UNINIT group is asked about once per block.
                    let g = fs.geo.group_of_block(start).unwrap_or(0);
                    if fs.group(g).is_ok_and(|gr| gr.flags & BG_BLOCK_UNINIT != 0) {
                        let mut p = Pctx::group(g);
                        p.blk = Some(start);
                        ctx.fix(PR_5_BLOCK_UNINIT, &p)?;
                    }
                }
                if len > ratio {
                    pc.blk2 = Some(last);
                    PR_5_BLOCK_RANGE_USED
                } else {
                    PR_5_BLOCK_USED
                }
            }
        };
        ctx.fix(code, &pc)?;
    }
    if had_problem {
        ctx.end_latch(PR_LATCH_BBITMAP)?;
        ctx.unmark_valid();
    }
    let mut total: u64 = 0;
    for g in 0..fs.geo.groups_count {
        let Ok(b) = fs.block_bitmap(g) else { continue };
        total = total.saturating_add(u64::from(b.computed_free));
        if b.computed_free != b.recorded_free {
            let mut pc = Pctx::group(g);
            pc.blk = Some(u64::from(b.recorded_free));
            pc.blk2 = Some(u64::from(b.computed_free));
            ctx.fix(PR_5_FREE_BLOCK_COUNT_GROUP, &pc)?;
            ctx.unmark_valid();
        }
    }
    let total = total.saturating_mul(ratio);
    if total != fs.sb.free_blocks_count() {
        let mut pc = Pctx::group(0);
        pc.blk = Some(fs.sb.free_blocks_count());
        pc.blk2 = Some(total);
        ctx.fix(PR_5_FREE_BLOCK_COUNT, &pc)?;
    }
    Ok(())
}

/// e2fsck's `check_inode_bitmaps`.
fn inode_bitmaps(fs: &Fs, ctx: &mut Ctx, state: &State) -> R {
    let ipg = fs.geo.inodes_per_group;
    let count = fs.sb.s_inodes_count;
    let csum = fs.sb.has_metadata_csum() || fs.features().ro_compat(RO_COMPAT_GDT_CSUM);
    let mut pending: Option<(u32, u32, u32)> = None; // (first, last, code)
    let mut had_problem = false;
    let mut free_total: u64 = 0;
    let flush = |ctx: &mut Ctx, p: (u32, u32, u32)| -> R {
        let mut pc = Pctx::ino(p.0);
        let code = if p.0 == p.1 {
            p.2
        } else {
            pc.ino2 = Some(p.1);
            if p.2 == PR_5_INODE_UNUSED {
                PR_5_INODE_RANGE_UNUSED
            } else {
                PR_5_INODE_RANGE_USED
            }
        };
        ctx.fix(code, &pc)?;
        Ok(())
    };
    let mut used_at = 0usize;
    let mut counts = alloc::vec::Vec::new();
    for g in 0..fs.geo.groups_count {
        let first = u64::from(g) * u64::from(ipg) + 1;
        if first > u64::from(count) {
            break;
        }
        let first = first as u32;
        let last = first.saturating_add(ipg - 1).min(count);
        let Ok(gr) = fs.group(g) else { continue };
        let uninit = csum && gr.flags & BG_INODE_UNINIT != 0;
        let bitmap = if uninit { None } else { fs.inode_bitmap(g).ok() };
        // Inodes in use in this group, from pass 1.
        while used_at < state.used.len() && state.used[used_at] < first {
            used_at += 1;
        }
        let mut free = 0u32;
        let mut dirs = 0u32;
        if uninit && state.used.get(used_at).is_none_or(|&u| u > last) {
            free = last - first + 1;
        } else {
            let mut k = used_at;
            for i in first..=last {
                while k < state.used.len() && state.used[k] < i {
                    k += 1;
                }
                let actual = state.used.get(k) == Some(&i);
                let on_disk = bitmap.as_ref().is_some_and(|b| b.get(i - first));
                if actual != on_disk {
                    let code = if on_disk { PR_5_INODE_UNUSED } else { PR_5_INODE_USED };
                    if !on_disk && uninit {
                        let mut p = Pctx::group(g);
                        p.blk = Some(u64::from(i));
                        ctx.fix(PR_5_INODE_UNINIT, &p)?;
                    }
                    pending = match pending {
                        Some(p) if p.2 == code && p.1 + 1 == i => Some((p.0, i, code)),
                        Some(p) => {
                            flush(ctx, p)?;
                            Some((i, i, code))
                        }
                        None => Some((i, i, code)),
                    };
                    had_problem = true;
                }
                if on_disk {
                    if state.dir_index_at(actual.then_some(k), i).is_some() {
                        dirs += 1;
                    }
                } else {
                    free += 1;
                }
            }
        }
        free_total += u64::from(free);
        // Per-group counts are compared after the whole walk.
        counts.push((g, free, dirs, gr.free_inodes_count, gr.used_dirs_count));
    }
    if let Some(p) = pending {
        flush(ctx, p)?;
    }
    if had_problem {
        ctx.end_latch(PR_LATCH_IBITMAP)?;
        ctx.unmark_valid();
    }
    for (g, free, dirs, rec_free, rec_dirs) in counts {
        if free != rec_free {
            let mut pc = Pctx::group(g);
            pc.ino = Some(rec_free);
            pc.ino2 = Some(free);
            ctx.fix(PR_5_FREE_INODE_COUNT_GROUP, &pc)?;
            ctx.unmark_valid();
        }
        if dirs != rec_dirs {
            let mut pc = Pctx::group(g);
            pc.ino = Some(rec_dirs);
            pc.ino2 = Some(dirs);
            ctx.fix(PR_5_FREE_DIR_COUNT_GROUP, &pc)?;
            ctx.unmark_valid();
        }
    }
    if free_total != u64::from(fs.sb.s_free_inodes_count) {
        let pc = Pctx {
            ino: Some(fs.sb.s_free_inodes_count),
            ino2: u32::try_from(free_total).ok(),
            ..Pctx::default()
        };
        ctx.fix(PR_5_FREE_INODE_COUNT, &pc)?;
    }
    Ok(())
}

/// True when `bytes[from..]` are all ones (libext2fs' `bitmap_tail_verify`).
fn tail_ok(bytes: &[u8], from: usize) -> bool {
    bytes.get(from..).is_none_or(|t| t.iter().all(|&b| b == 0xff))
}

/// e2fsck's `check_inode_end` and `check_block_end`: the bits past the last
/// inode and block must be set, in the last group and (the "tail") in every
/// bitmap block read from disk after its group's last bit.
fn bitmap_ends(fs: &Fs, ctx: &mut Ctx) -> R {
    let geo = fs.geo;
    let n = geo.groups_count;
    let ipg = geo.inodes_per_group;
    let cpg = fs.clusters_per_group();
    // Inodes: past s_inodes_count up to the groups' end (normally none).
    let first = fs.sb.s_inodes_count; // the bit of inode s_inodes_count + 1
    let end_bad = u64::from(first) < u64::from(ipg) * u64::from(n)
        && fs.inode_bitmap(first / ipg).is_ok_and(|b| !b.uninit && (first % ipg..ipg).any(|i| !b.get(i)));
    // Bitmaps read from disk: not those of UNINIT groups whose descriptor
    // checksum holds (libext2fs' `read_bitmaps`).
    let tail = |gr: &crate::format::group_desc::Group| {
        (!fs.trusts_uninit(gr, BG_INODE_UNINIT)).then_some(gr.inode_bitmap)
    };
    padding(fs, ctx, PR_5_INODE_BMAP_PADDING, end_bad, (ipg / 8) as usize, &tail)?;
    // Blocks: the last group's bits past the last block.
    let last = n.saturating_sub(1);
    let used = fs.clusters_in_group(last);
    let end_bad = n > 0
        && used < cpg
        && fs.block_bitmap(last).is_ok_and(|b| !b.uninit && (used..cpg).any(|i| !b.get(i)));
    let tail = |gr: &crate::format::group_desc::Group| {
        (!fs.trusts_uninit(gr, BG_BLOCK_UNINIT)).then_some(gr.block_bitmap)
    };
    padding(fs, ctx, PR_5_BLOCK_BMAP_PADDING, end_bad, (cpg / 8) as usize, &tail)
}

/// Ask `code` once when the end is not padded (`end_bad`) or, failing that,
/// when some bitmap block read from disk (`tail` names it per group) has a
/// clear bit in its tail bytes from `nbytes` on (EXT2_FLAG_*BITMAP_TAIL_PROBLEM).
fn padding(
    fs: &Fs,
    ctx: &mut Ctx,
    code: u32,
    end_bad: bool,
    nbytes: usize,
    tail: &dyn Fn(&crate::format::group_desc::Group) -> Option<u64>,
) -> R {
    let bad = end_bad
        || (0..fs.geo.groups_count).any(|g| {
            fs.group(g).is_ok_and(|gr| {
                tail(&gr).is_some_and(|blk| fs.block(blk).is_ok_and(|b| !tail_ok(&b, nbytes)))
            })
        });
    if bad {
        ctx.fix(code, &Pctx::default())?;
        ctx.unmark_valid();
    }
    Ok(())
}

/// e2fsck's `check_inode_bitmap_checksum` and `check_block_bitmap_checksum`.
fn bitmap_checksums(fs: &Fs, ctx: &mut Ctx) -> R {
    if !fs.sb.has_metadata_csum() {
        return Ok(());
    }
    type Read = fn(&Fs, u32) -> crate::error::Result<crate::format::bitmap::Bitmap>;
    let kinds: [(u16, Read, u32); 2] = [
        (BG_INODE_UNINIT, Fs::inode_bitmap, PR_5_INODE_BITMAP_CSUM_INVALID),
        (BG_BLOCK_UNINIT, Fs::block_bitmap, PR_5_BLOCK_BITMAP_CSUM_INVALID),
    ];
    for (uninit, read, code) in kinds {
        for g in 0..fs.geo.groups_count {
            let Ok(gr) = fs.group(g) else { continue };
            if gr.flags & uninit == 0 && read(fs, g).is_ok_and(|b| b.checksum.ok == Some(false)) {
                ctx.fix(code, &Pctx::group(g))?;
            }
        }
    }
    Ok(())
}
