//! e2fsck's `check_resize_inode` (e2fsck/super.c), run after
//! `check_super_block` and before e2fsck marks the file system valid again:
//! what it finds is printed and asked, but does not count in the exit code.

use super::codes::*;
use super::{Abort, Ctx, Pctx};
use crate::format::features::*;
use crate::fs::Fs;

/// The resize inode's number.
const RESIZE_INO: u32 = 7;
/// `EXT2_DIND_BLOCK`.
const DIND: usize = 13;

/// The little-endian word `i` of a block (`None` past its end: e2fsck would
/// read past its buffer, which we take as a mismatch).
fn word(b: &[u8], i: usize) -> Option<u32> {
    let s = b.get(i.checked_mul(4)?..i.checked_mul(4)?.checked_add(4)?)?;
    Some(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

pub(crate) fn check_resize_inode(fs: &Fs, ctx: &mut Ctx) -> Result<(), Abort> {
    let sb = &fs.sb;
    let f = fs.features();
    let mut pc = Pctx::default();
    // Under -n the answer is no: the feature stays.
    let resize = f.compat(COMPAT_RESIZE_INODE);
    if resize && f.incompat(INCOMPAT_META_BG) {
        ctx.fix(PR_0_DISABLE_RESIZE_INODE, &pc)?;
    }
    if !resize && sb.s_reserved_gdt_blocks != 0 {
        pc.num = Some(u64::from(sb.s_reserved_gdt_blocks));
        ctx.fix(PR_0_NONZERO_RESERVED_GDT_BLOCKS, &pc)?;
        pc.num = None;
    }
    pc.ino = Some(RESIZE_INO);
    let Ok(inode) = fs.inode(RESIZE_INO) else {
        return Ok(());
    };
    let words = inode.i_block_words();
    if !resize {
        if words.iter().any(|w| *w != 0) {
            ctx.fix(PR_0_CLEAR_RESIZE_INODE, &pc)?;
        }
        return Ok(());
    }
    if !valid(fs, &inode, &words) {
        ctx.fix(PR_0_RESIZE_INODE_INVALID, &pc)?;
    }
    Ok(())
}

/// The resize inode maps only its double indirect block, and that maps the
/// reserved descriptor blocks and their backups where e2fsck expects them.
fn valid(fs: &Fs, inode: &crate::format::inode::Inode, words: &[u32; 15]) -> bool {
    let sb = &fs.sb;
    let geo = &fs.geo;
    let blk = words[DIND];
    if words.iter().enumerate().any(|(i, w)| i != DIND && *w != 0)
        || blk == 0
        || inode.links() == 0
        || inode.mode() & 0x8000 == 0
        || blk < sb.s_first_data_block
        || u64::from(blk) >= sb.blocks_count()
    {
        return false;
    }
    let Ok(dind) = fs.block(u64::from(blk)) else {
        return false;
    };
    let per_block = (geo.block_size / 4) as usize;
    if per_block == 0 {
        return false;
    }
    let bpg = geo.blocks_per_group;
    let mut gdt_off = geo.gdt_blocks;
    // blk_t arithmetic: 32 bits.
    let mut pblk = sb.s_first_data_block.wrapping_add(1).wrapping_add(geo.gdt_blocks as u32);
    if geo.block_size == 1024 && sb.s_first_data_block == 0 {
        pblk = pblk.wrapping_add(1);
    }
    for _ in 0..sb.s_reserved_gdt_blocks / 4 {
        gdt_off %= per_block as u64;
        if word(&dind, gdt_off as usize) != Some(pblk) {
            return false;
        }
        let Ok(ind) = fs.block(u64::from(pblk)) else {
            return false;
        };
        let mut ind_off = 0usize;
        for j in 1..geo.groups_count {
            if !geo.has_super(j) {
                continue;
            }
            let expect = pblk.wrapping_add(bpg.wrapping_mul(j));
            if word(&ind, ind_off) != Some(expect) {
                return false;
            }
            ind_off += 1;
        }
        gdt_off += 1;
        pblk = pblk.wrapping_add(1);
    }
    true
}
