//! The orphan file at the end of the run (e2fsck/unix.c after the passes,
//! and `check_init_orphan_file` in e2fsck/super.c), as e2fsck -n asks it.

use alloc::vec;

use super::codes::*;
use super::{Abort, Ctx, Pctx};
use crate::filemap::MapKind;
use crate::format::features::*;
use crate::fs::Fs;

/// `EXT4_ORPHAN_BLOCK_MAGIC`.
const ORPHAN_BLOCK_MAGIC: u32 = 0x0b10_ca04;

/// What `check_init_orphan_file` returns: 0 clean, 1 inconsistent, 2 blocks
/// cleared (never under -n).
#[derive(PartialEq, Eq)]
enum Init {
    Clean,
    Bad,
}

pub(crate) fn end_checks(fs: &Fs, ctx: &mut Ctx) -> Result<(), Abort> {
    let f = fs.features();
    let pc = Pctx::default();
    if f.compat(COMPAT_ORPHAN_FILE) {
        if !f.compat(COMPAT_HAS_JOURNAL) {
            ctx.fix(PR_6_ORPHAN_FILE_WITHOUT_JOURNAL, &pc)?;
        }
        match check_init(fs, ctx)? {
            Init::Clean => {
                if f.ro_compat(RO_COMPAT_ORPHAN_PRESENT) {
                    ctx.fix(PR_6_ORPHAN_PRESENT_CLEAN_FILE, &pc)?;
                }
            }
            Init::Bad => {
                // Answered no: nothing is recreated.
                ctx.fix(PR_6_ORPHAN_FILE_CORRUPTED, &pc)?;
            }
        }
    } else if f.ro_compat(RO_COMPAT_ORPHAN_PRESENT) {
        ctx.fix(PR_6_ORPHAN_PRESENT_NO_FILE, &pc)?;
    }
    Ok(())
}

/// `check_init_orphan_file` under -n: every block of the orphan file must be
/// an initialized orphan block (zeros, the tail's magic and, with
/// metadata_csum, its checksum).
fn check_init(fs: &Fs, ctx: &mut Ctx) -> Result<Init, Abort> {
    let ino = fs.sb.s_orphan_file_inum;
    let Ok(inode) = fs.inode(ino) else {
        // e2fsck_read_inode fails: e2fsck stops.
        return Err(ctx.abort("e2fsck: aborted"));
    };
    let bs = u64::from(fs.geo.block_size);
    let bsz = fs.geo.block_size as usize;
    let size = inode.size();
    if bs == 0 || size & (bs - 1) != 0 || bsz < 8 {
        ctx.fix(PR_6_ORPHAN_FILE_WRONG_SIZE, &Pctx::ino(ino))?;
        return Ok(Init::Bad);
    }
    let blocks = size / bs;
    // The initialized block, its checksum set per block.
    let mut want = vec![0u8; bsz];
    want[bsz - 8..bsz - 4].copy_from_slice(&ORPHAN_BLOCK_MAGIC.to_le_bytes());
    let csum = fs.sb.has_metadata_csum();
    let per_ob = (bsz - 8) / 4;
    let map = fs.file_map(&inode);
    // The blocks block_iterate3 hands over, in order: (logical, physical).
    let mut visit = |logical: u64, phys: u64, ctx: &mut Ctx| -> Result<bool, Abort> {
        if csum {
            let mut c = crate::checksum::crc32c(fs.sb.csum_seed(), &ino.to_le_bytes());
            c = crate::checksum::crc32c(c, &inode.generation().to_le_bytes());
            c = crate::checksum::crc32c(c, &phys.to_le_bytes());
            c = crate::checksum::crc32c(c, &want[..per_ob * 4]);
            want[bsz - 4..].copy_from_slice(&c.to_le_bytes());
        }
        let clean = fs.block(phys).is_ok_and(|b| b.get(..bsz) == Some(&want[..]));
        if clean {
            return Ok(true);
        }
        let pc = Pctx { ino: Some(ino), blk: Some(logical), ..Pctx::default() };
        ctx.fix(PR_6_ORPHAN_BLOCK_DIRTY, &pc)?;
        Ok(false)
    };
    match map.kind {
        MapKind::Extents => {
            for r in &map.data {
                for i in 0..r.len {
                    if !visit(r.logical.saturating_add(i), r.physical.saturating_add(i), ctx)? {
                        return Ok(Init::Bad);
                    }
                }
            }
        }
        MapKind::Indirect => {
            // BLOCK_FLAG_HOLE: the direct slots' holes are handed over too
            // (holes under absent indirect blocks are not).
            let mut next = 0u64;
            for r in &map.data {
                if next < r.logical && next < 12 {
                    if next == blocks {
                        return Ok(Init::Clean);
                    }
                    let pc = Pctx { ino: Some(ino), blk: Some(next), ..Pctx::default() };
                    ctx.fix(PR_6_ORPHAN_FILE_HOLE, &pc)?;
                    return Ok(Init::Bad);
                }
                for i in 0..r.len {
                    if !visit(r.logical.saturating_add(i), r.physical.saturating_add(i), ctx)? {
                        return Ok(Init::Bad);
                    }
                }
                next = r.logical_end();
            }
            if next < 12 && next != blocks {
                let pc = Pctx { ino: Some(ino), blk: Some(next), ..Pctx::default() };
                ctx.fix(PR_6_ORPHAN_FILE_HOLE, &pc)?;
                return Ok(Init::Bad);
            }
        }
        // Inline data or no map: block_iterate3 hands over nothing (or
        // fails on inline data).
        MapKind::Inline => return Ok(Init::Bad),
        MapKind::None => {}
    }
    Ok(Init::Clean)
}
