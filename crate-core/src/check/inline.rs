//! Pass 1's inline data checks and `check_is_really_dir`, as e2fsck 1.47.0
//! makes them: inodes with both the inline data and the extents flags
//! (`fix_inline_data_extents_file`), the inline data flag without the
//! feature, inline data without its `system.data` attribute, and inodes of
//! another type whose contents look like a directory.

use super::codes::*;
use super::extents::{header_ok, MetadataMap};
use super::xattrs::{inline_data_size, system_data_size, LibErr};
use super::{Abort, Ctx, Pctx};
use crate::format::dir::{csum_tail, leaf_checksum, rec_len_from_disk};
use crate::format::features::{INCOMPAT_EXTENTS, INCOMPAT_INLINE_DATA};
use crate::format::inode::{Inode, EXTENTS_FL, GOOD_OLD_INODE_SIZE, INLINE_DATA_FL, ROOT_INO};
use crate::fs::Fs;

type R = Result<(), Abort>;

fn is_special(mode: u16) -> bool {
    matches!(mode & 0xF000, 0x2000 | 0x6000 | 0x1000 | 0xC000)
}

/// The inline data checks of the inode loop, before the extent flag checks
/// (`failed_csum`: the inode's own checksum failed).
pub(crate) fn flag_checks(fs: &Fs, ctx: &mut Ctx, inode: &Inode, pc: &Pctx, failed_csum: bool) -> R {
    let f = fs.features();
    let flags = inode.flags();
    let inline_fs = f.incompat(INCOMPAT_INLINE_DATA);
    if flags & INLINE_DATA_FL != 0 && flags & EXTENTS_FL != 0 {
        both_flags(fs, ctx, inode, pc)?;
    }
    if flags & INLINE_DATA_FL == 0 || inode.ino < fs.sb.first_ino() {
        return Ok(());
    }
    if !inline_fs {
        // Under -n the feature is not set and the inode is not cleared.
        if system_data_size(fs, inode, false).is_ok() {
            ctx.fix(PR_1_INLINE_DATA_FEATURE, pc)?;
        }
        ctx.fix(PR_1_INLINE_DATA_SET, pc)?;
        return Ok(());
    }
    match system_data_size(fs, inode, failed_csum) {
        Ok(_) => Ok(()),
        Err(LibErr::Xattr) => {
            ctx.fix(PR_1_INLINE_DATA_NO_ATTR, pc)?;
            Ok(())
        }
        Err(LibErr::Other) => Err(ctx.abort("e2fsck: aborted")),
    }
}

/// `fix_inline_data_extents_file`: every question is answered no, so each
/// is asked in turn.
fn both_flags(fs: &Fs, ctx: &mut Ctx, inode: &Inode, pc: &Pctx) -> R {
    let f = fs.features();
    if !f.incompat(INCOMPAT_EXTENTS) && !f.incompat(INCOMPAT_INLINE_DATA) {
        return Ok(());
    }
    if is_special(inode.mode()) {
        ctx.fix(PR_1_SPECIAL_EXTENTS_IDATA, pc)?;
        return Ok(());
    }
    if header_ok(inode.i_block(), 60) {
        ctx.fix(PR_1_CLEAR_INLINE_DATA_FOR_EXTENT, pc)?;
    }
    // The room for inline data past i_block, in e2fsck's unsigned arithmetic.
    let isz = u64::from(fs.geo.inode_size);
    let max_ea = if isz > GOOD_OLD_INODE_SIZE as u64 {
        isz.wrapping_sub(GOOD_OLD_INODE_SIZE as u64 + u64::from(inode.raw.i_extra_isize))
    } else {
        0
    };
    let size = u64::from(inode.raw.i_size_lo) | (u64::from(inode.raw.i_size_high) << 32);
    if size < 60u64.wrapping_add(max_ea) {
        ctx.fix(PR_1_CLEAR_EXTENT_FOR_INLINE_DATA, pc)?;
    }
    let could_be_map = inode.i_block_words().iter().all(|&w| u64::from(w) < fs.geo.blocks_count);
    if could_be_map {
        ctx.fix(PR_1_CLEAR_EXTENT_INLINE_DATA_FLAGS, pc)?;
    }
    ctx.fix(PR_1_CLEAR_EXTENT_INLINE_DATA_INODE, pc)?;
    Ok(())
}

/// `check_is_really_dir`: a device, fifo or socket (or an inode of no type)
/// whose first block starts with `.` and `..` (or whose inline data starts
/// like a directory's). `metadata` stands for e2fsck's blocks found so far.
pub(crate) fn is_really_dir(fs: &Fs, ctx: &mut Ctx, inode: &Inode, pc: &Pctx, metadata: &MetadataMap) -> R {
    let mode = inode.mode() & 0xF000;
    let words = inode.i_block_words();
    if matches!(mode, 0x4000 | 0x8000 | 0xA000) || words[0] == 0 {
        return Ok(());
    }
    let f = fs.features();
    let flags = inode.flags();
    let sb = &fs.sb;
    let first_ino = sb.first_ino();
    let mut not_device = false;
    let blk: u64;
    if f.incompat(INCOMPAT_INLINE_DATA) && flags & INLINE_DATA_FL != 0 {
        // ext2fs_inline_data_size reads the inode again (checksum included).
        if inode.checksum.ok == Some(false) {
            return Ok(());
        }
        let Ok(size) = inline_data_size(fs, inode, false) else { return Ok(()) };
        if size & 3 != 0 {
            return Ok(());
        }
        let b = inode.i_block();
        let w = |o: usize| u32::from_le_bytes([b[o], b[o + 1], b[o + 2], b[o + 3]]);
        let dotdot = w(0);
        let de_inode = w(4);
        let rec_len = rec_len_from_disk(u16::from_le_bytes([b[8], b[9]]), fs.geo.block_size);
        if dotdot >= sb.s_inodes_count
            || (dotdot < first_ino && dotdot != ROOT_INO)
            || de_inode >= sb.s_inodes_count
            || (de_inode < first_ino && de_inode != 0)
            || rec_len > 60 - 4
        {
            return Ok(());
        }
        ctx.fix(PR_1_TREAT_AS_DIRECTORY, pc)?;
        return Ok(());
    } else if f.incompat(INCOMPAT_EXTENTS) && flags & EXTENTS_FL != 0 {
        let Some((b, _)) = fs.file_map(inode).lookup(0) else { return Ok(()) };
        blk = b;
        not_device = true;
    } else {
        for (i, &w) in words.iter().enumerate() {
            if w == 0 {
                continue;
            }
            if i >= 4 {
                not_device = true;
            }
            let w = u64::from(w);
            if w < fs.geo.first_data_block || w >= fs.geo.blocks_count || metadata.contains(w) {
                return Ok(());
            }
        }
        blk = u64::from(words[0]);
    }
    if matches!(mode, 0x2000 | 0x6000) && inode.links() == 1 && !not_device {
        return Ok(());
    }
    let Ok(b) = fs.block(blk) else { return Ok(()) };
    let bs = fs.geo.block_size;
    if sb.has_metadata_csum() {
        // ext2fs_read_dir_block4 verifies the block's checksum.
        let ok = csum_tail(&b, bs).is_some()
            && leaf_checksum(fs, inode.ino, inode.raw.i_generation, &b).is_some_and(|c| c.ok != Some(false));
        if !ok {
            return Ok(());
        }
    }
    let at = |o: usize| -> Option<(u32, u32, u8, [u8; 2])> {
        let h = b.get(o..o.checked_add(10)?)?;
        let ino = u32::from_le_bytes([h[0], h[1], h[2], h[3]]);
        let rl = rec_len_from_disk(u16::from_le_bytes([h[4], h[5]]), bs);
        Some((ino, rl, h[6], [h[8], h[9]]))
    };
    let Some((ino, rl, nl, name)) = at(0) else { return Ok(()) };
    if nl != 1 || name[0] != b'.' || ino != inode.ino || rl < 12 || rl % 4 != 0 || rl >= bs.saturating_sub(12)
    {
        return Ok(());
    }
    let Some((_, rl2, nl2, name2)) = at(rl as usize) else { return Ok(()) };
    if nl2 != 2 || name2 != *b".." || rl2 < 12 || rl2 % 4 != 0 {
        return Ok(());
    }
    ctx.fix(PR_1_TREAT_AS_DIRECTORY, pc)?;
    Ok(())
}
