//! e2fsck's journal checks before pass 1: `e2fsck_check_ext3_journal`, with
//! `e2fsck_get_journal` (where the journal is, and whether its inode can hold
//! it) and `e2fsck_journal_load` (what its superblock says), as e2fsprogs
//! 1.47.0 asks them under `-n`. An error they return stops e2fsck ("Cannot
//! proceed with file system check") before the file system was marked valid:
//! exit 12.

use alloc::vec::Vec;

use super::codes::*;
use super::{Abort, Ctx, Pctx};
use crate::format::features::*;
use crate::format::inode::{Inode, EXTENTS_FL};
use crate::format::journal as jfmt;
use crate::fs::Fs;

type R = Result<(), Abort>;

/// `JBD2_MIN_JOURNAL_BLOCKS`.
const MIN_JOURNAL_BLOCKS: u64 = 1024;
/// `EXT4_ENCRYPT_FL`.
const ENCRYPT_FL: u32 = 0x800;
/// `EXT4_INLINE_DATA_FL`.
const INLINE_DATA_FL: u32 = 0x1000_0000;
/// `JBD2_CRC32C_CHKSUM`.
const CRC32C_CHKSUM: u8 = 4;
const BT_DESCRIPTOR: u32 = 1;
const BT_COMMIT: u32 = 2;
const BT_REVOKE: u32 = 5;

/// The libext2fs errors the checks return (`errcode_t`), as far as they
/// decide what e2fsck does next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Err {
    BadInodeNum,
    JournalTooSmall,
    NoJournal,
    CorruptJournalSb,
    UnsuppFeature,
    RoUnsuppFeature,
    UnsuppVersion,
    /// Any other error: e2fsck stops with it.
    Other,
}

/// What `e2fsck_get_journal` found: the journal superblock's block and the
/// journal's length in blocks.
struct Got {
    sb_block: u64,
    total_len: u64,
}

/// e2fsck's `e2fsck_check_ext3_journal` and unix.c around it.
pub(crate) fn journal(fs: &Fs, ctx: &mut Ctx, backup_sb: bool) -> R {
    let r = check_ext3_journal(fs, ctx, backup_sb);
    if r.is_err() || ctx.fatal.is_some() {
        // fatal_error before ext2fs_mark_valid: "still has errors".
        ctx.unmark_valid();
        return Err(Abort);
    }
    Ok(())
}

fn check_ext3_journal(fs: &Fs, ctx: &mut Ctx, backup_sb: bool) -> R {
    let sb = &fs.sb;
    let f = fs.features();
    if f.incompat(INCOMPAT_JOURNAL_DEV) {
        // A journal device: ext2fs_open refuses it before this (open_fs).
        return Ok(());
    }
    let has_journal = f.compat(COMPAT_HAS_JOURNAL);
    let recover = f.incompat(INCOMPAT_RECOVER);
    let uuid_null = sb.s_journal_uuid.iter().all(|b| *b == 0);
    if !has_journal && !recover && sb.s_journal_inum == 0 && sb.s_journal_dev == 0 && uuid_null {
        return Ok(());
    }
    let mut pc = Pctx { num: Some(u64::from(sb.s_journal_inum)), ..Pctx::default() };
    let got = match get_journal(fs, ctx, &pc)? {
        Ok(g) => g,
        Err(Err::BadInodeNum | Err::JournalTooSmall | Err::NoJournal) => {
            let failed = fix_bad_inode(fs, ctx, &mut pc)?;
            return finish(ctx, failed);
        }
        Err(_) => return finish(ctx, Some(())),
    };
    let jsb = match journal_load(fs, ctx, &mut pc, &got)? {
        Ok(jsb) => jsb,
        Err(e) => {
            let corrupt = match e {
                Err::CorruptJournalSb => true,
                Err::UnsuppFeature => !ctx.fix(PR_0_JOURNAL_UNSUPP_INCOMPAT, &pc)?,
                Err::RoUnsuppFeature => !ctx.fix(PR_0_JOURNAL_UNSUPP_ROCOMPAT, &pc)?,
                Err::UnsuppVersion => !ctx.fix(PR_0_JOURNAL_UNSUPP_VERSION, &pc)?,
                _ => false,
            };
            let failed = if corrupt { fix_corrupt_super(fs, ctx, &mut pc)? } else { Some(()) };
            return finish(ctx, failed);
        }
    };
    if !has_journal {
        // Answered no: under -n nothing changes.
        ctx.fix(PR_0_JOURNAL_HAS_JOURNAL, &pc)?;
    }
    if has_journal && !recover && jsb.as_ref().is_some_and(|j| j.s_start.0 != 0) {
        ctx.fix(PR_0_JOURNAL_RECOVERY_CLEAR, &pc)?;
        let run = if backup_sb { PR_0_JOURNAL_RUN_DEFAULT } else { PR_0_JOURNAL_RUN };
        if !ctx.fix(run, &pc)? {
            ctx.fix(PR_0_JOURNAL_RESET_JOURNAL, &pc)?;
        }
    }
    Ok(())
}

/// An error returned to unix.c stops the check.
fn finish(ctx: &mut Ctx, failed: Option<()>) -> R {
    match failed {
        None => Ok(()),
        Some(()) => Err(ctx.abort("e2fsck: Cannot proceed with file system check")),
    }
}

/// `e2fsck_journal_fix_bad_inode`: `Some(())` when it returns an error.
fn fix_bad_inode(fs: &Fs, ctx: &mut Ctx, pc: &mut Pctx) -> Result<Option<()>, Abort> {
    let sb = &fs.sb;
    let f = fs.features();
    if f.compat(COMPAT_HAS_JOURNAL) || sb.s_journal_inum != 0 {
        pc.ino = Some(sb.s_journal_inum);
        ctx.fix(PR_0_JOURNAL_BAD_INODE, pc)?;
        return Ok(Some(()));
    }
    if f.incompat(INCOMPAT_RECOVER) {
        ctx.fix(PR_0_JOURNAL_RECOVER_SET, pc)?;
        return Ok(Some(()));
    }
    Ok(None)
}

/// `e2fsck_journal_fix_corrupt_super`.
fn fix_corrupt_super(fs: &Fs, ctx: &mut Ctx, pc: &mut Pctx) -> Result<Option<()>, Abort> {
    if fs.features().compat(COMPAT_HAS_JOURNAL) {
        ctx.fix(PR_0_JOURNAL_BAD_SUPER, pc)?;
        return Ok(Some(()));
    }
    fix_bad_inode(fs, ctx, pc)
}

/// `e2fsck_get_journal`.
fn get_journal(fs: &Fs, ctx: &mut Ctx, pc: &Pctx) -> Result<Result<Got, Err>, Abort> {
    let sb = &fs.sb;
    if sb.s_journal_uuid.iter().any(|b| *b != 0) {
        // An external journal: not in this image. e2fsck looks for it by
        // UUID (blkid), then by s_journal_dev (blkid_devno_to_devname). With
        // no device number there is nothing to find; with one, the host's
        // device of that number is taken as what e2fsck opens, and it does
        // not hold the journal (an unattached loop device, as 7:1 is on the
        // oracle's host): reading its superblock fails, which e2fsck says on
        // stderr only ("short read while checking journal").
        if sb.s_journal_dev == 0 {
            ctx.fix(PR_0_CANT_FIND_JOURNAL, pc)?;
        }
        return Ok(Err(Err::Other));
    }
    let ino = sb.s_journal_inum;
    let max = u64::from(fs.geo.groups_count).saturating_mul(u64::from(fs.geo.inodes_per_group));
    if ino == 0 || u64::from(ino) > max {
        return Ok(Err(Err::BadInodeNum));
    }
    let bs = u64::from(fs.geo.block_size);
    let mut last = Err::Other;
    let candidates = [fs.inode(ino).ok(), backup_inode(fs, ino)];
    for (n, i) in candidates.into_iter().enumerate() {
        let Some(i) = i else {
            if n == 0 {
                continue;
            }
            break;
        };
        match usable(fs, &i, bs) {
            Ok(got) => return Ok(Ok(got)),
            Err(e) => last = e,
        }
    }
    Ok(Err(last))
}

/// The inode libext2fs makes from the superblock's backup of the journal
/// inode (`s_jnl_blocks`), when there is one.
fn backup_inode(fs: &Fs, ino: u32) -> Option<Inode> {
    if fs.sb.s_jnl_backup_type != 1 {
        return None;
    }
    let j = &fs.sb.s_jnl_blocks;
    let mut bytes = alloc::vec![0u8; fs.geo.inode_size as usize];
    let mut put = |name: &str, v: &[u8]| {
        if let Some(f) = crate::format::inode::INODE_FIELDS.iter().find(|f| f.name == name) {
            if let Some(dst) = bytes.get_mut(f.offset..f.offset + v.len().min(f.size)) {
                dst.copy_from_slice(&v[..dst.len()]);
            }
        }
    };
    put("i_mode", &0x8180u16.to_le_bytes());
    put("i_links_count", &1u16.to_le_bytes());
    put("i_size_lo", &j[16].to_le_bytes());
    put("i_size_high", &j[15].to_le_bytes());
    // i_flags stays 0 (the memset): e2fsck 1.47.0 walks a copied extent
    // tree as a block map, and ext2fs_bmap2 maps it so too.
    let words: Vec<u8> = j.iter().take(15).flat_map(|w| w.to_le_bytes()).collect();
    put("i_block", &words);
    Some(Inode::from_bytes(fs, ino, bytes, crate::error::Location::default()))
}

/// The checks of `e2fsck_get_journal` on one inode (the journal inode or
/// its backup): type, size, and `ext2fs_block_iterate3` with
/// `process_journal_block`, which stops at the first block outside the file
/// system.
fn usable(fs: &Fs, i: &Inode, bs: u64) -> Result<Got, Err> {
    let r = &i.raw;
    if r.i_links_count == 0 || r.i_mode & 0xF000 != 0x8000 || r.i_flags & ENCRYPT_FL != 0 {
        return Err(Err::NoJournal);
    }
    let size = u64::from(r.i_size_lo) | (u64::from(r.i_size_high) << 32);
    if size / bs < MIN_JOURNAL_BLOCKS {
        return Err(Err::JournalTooSmall);
    }
    if r.i_flags & INLINE_DATA_FL != 0 {
        // EXT2_ET_INLINE_DATA_CANT_ITERATE: the size check then decides.
        return Err(Err::JournalTooSmall);
    }
    let first = fs.geo.first_data_block;
    let count = fs.geo.blocks_count;
    let ok = |b: u64| b != 0 && b >= first && b < count;
    // Once the walk has covered the size, going on cannot change the answer.
    let need = i64::try_from(size.div_ceil(bs)).unwrap_or(i64::MAX);
    let (last_block, sb_block) = if r.i_flags & EXTENTS_FL != 0 {
        let map = fs.file_map(i);
        // Tree blocks come before the data under them; one outside the file
        // system stops the walk (taken as before all data).
        let mut last: i64 = -1;
        if map.metadata.iter().all(|m| ok(m.block)) {
            'runs: for run in &map.data {
                for k in 0..run.len {
                    if !ok(run.physical.saturating_add(k)) {
                        break 'runs;
                    }
                    last = i64::try_from(run.logical.saturating_add(k)).unwrap_or(i64::MAX);
                    if last.saturating_add(1) >= need {
                        break 'runs;
                    }
                }
            }
        }
        (last, map.lookup(0).map_or(0, |(b, _)| b))
    } else {
        let words = i.i_block_words();
        let mut w = Walk { fs, ok: &ok, last: -1, count: 0, need };
        w.iterate(&words);
        (w.last, u64::from(words[0]))
    };
    // `(pb.last_block + 1) * blocksize < (int) EXT2_I_SIZE(inode)`.
    let size_int = i64::from(size as u32 as i32);
    if last_block.saturating_add(1).saturating_mul(bs as i64) < size_int {
        return Err(Err::JournalTooSmall);
    }
    Ok(Got { sb_block, total_len: size / bs })
}

/// `ext2fs_block_iterate3` over a block map with `BLOCK_FLAG_HOLE`, calling
/// `process_journal_block`.
struct Walk<'a, F: Fn(u64) -> bool> {
    fs: &'a Fs,
    ok: &'a F,
    last: i64,
    /// The logical block of the next data block.
    count: i64,
    /// Data blocks that cover the size: the walk stops there.
    need: i64,
}

impl<F: Fn(u64) -> bool> Walk<'_, F> {
    /// `process_journal_block` on block `b` (`blockcnt` < 0: a map block).
    fn visit(&mut self, b: u64, blockcnt: i64) -> bool {
        if !(self.ok)(b) {
            return false;
        }
        if blockcnt >= 0 {
            self.last = blockcnt;
            if self.last.saturating_add(1) >= self.need {
                return false;
            }
        }
        true
    }

    fn iterate(&mut self, words: &[u32; 15]) {
        for w in &words[..12] {
            let c = self.count;
            self.count += 1;
            if !self.visit(u64::from(*w), c) {
                return;
            }
        }
        for (level, w) in words[12..].iter().enumerate() {
            if !self.map_block(u64::from(*w), level as u32) {
                return;
            }
        }
    }

    /// An indirect block of `depth` (0: single): false when the walk stops.
    fn map_block(&mut self, b: u64, depth: u32) -> bool {
        let per = u64::from(self.fs.geo.block_size / 4);
        if !self.visit(b, -1 - i64::from(depth)) {
            return false;
        }
        let Ok(blk) = self.fs.block(b) else {
            // BLOCK_ERROR without BLOCK_ABORT: its children are skipped.
            self.count = self.count.saturating_add(per.saturating_pow(depth + 1) as i64);
            return true;
        };
        let ptrs: Vec<u64> = blk
            .chunks_exact(4)
            .take(per as usize)
            .map(|c| u64::from(u32::from_le_bytes([c[0], c[1], c[2], c[3]])))
            .collect();
        for p in ptrs {
            if depth == 0 {
                let c = self.count;
                self.count += 1;
                if !self.visit(p, c) {
                    return false;
                }
            } else if !self.map_block(p, depth - 1) {
                return false;
            }
        }
        true
    }
}

/// `e2fsck_journal_load`: the journal superblock, or the error it returns
/// (`Ok(None)`: no jbd2 magic, and `e2fsck_journal_fix_bad_inode` let it be).
#[allow(clippy::type_complexity)]
fn journal_load(
    fs: &Fs,
    ctx: &mut Ctx,
    pc: &mut Pctx,
    got: &Got,
) -> Result<Result<Option<jfmt::JournalSuperblock>, Err>, Abort> {
    let Ok(blk) = fs.block(got.sb_block) else {
        // "reading journal superblock" (on stderr).
        return Ok(Err(Err::Other));
    };
    let raw = blk.get(..jfmt::JournalSuperblock::SIZE).unwrap_or(&[]);
    if jfmt::header(raw).is_none() || raw.len() < jfmt::JournalSuperblock::SIZE {
        return Ok(match fix_bad_inode(fs, ctx, pc)? {
            Some(()) => Err(Err::CorruptJournalSb),
            None => Ok(None),
        });
    }
    let jsb = jfmt::JournalSuperblock::parse(raw);
    let feat = jfmt::JournalFeatures::of(&jsb);
    let blank = Pctx::default();
    match jsb.h_blocktype.0 {
        jfmt::BT_SUPERBLOCK_V1 => {
            if jsb.s_feature_compat.0 != 0
                || jsb.s_feature_incompat.0 != 0
                || jsb.s_feature_ro_compat.0 != 0
                || jsb.s_nr_users.0 != 0
            {
                // Answered no under -n: the fields stay.
                ctx.fix(PR_0_CLEAR_V2_JOURNAL, &blank)?;
            }
        }
        jfmt::BT_SUPERBLOCK_V2 => {
            let uuid_null = fs.sb.s_journal_uuid.iter().all(|b| *b == 0);
            if jsb.s_nr_users.0 > 1 && uuid_null {
                ctx.fix(PR_0_CLEAR_V2_JOURNAL, &blank)?;
            }
            if jsb.s_nr_users.0 > 1 {
                // PR_FATAL.
                ctx.fix(PR_0_JOURNAL_UNSUPP_MULTIFS, &blank)?;
                return Ok(Err(Err::UnsuppVersion));
            }
        }
        BT_DESCRIPTOR | BT_COMMIT | BT_REVOKE => return Ok(Err(Err::CorruptJournalSb)),
        _ => return Ok(Err(Err::UnsuppVersion)),
    }
    // A V1 superblock's feature fields count as they are in memory.
    if feat.incompat & !crate::journal::KNOWN_INCOMPAT != 0 {
        return Ok(Err(Err::UnsuppFeature));
    }
    if feat.ro_compat != 0 {
        return Ok(Err(Err::RoUnsuppFeature));
    }
    let v2 = feat.incompat & jfmt::INCOMPAT_CSUM_V2 != 0;
    let v3 = feat.incompat & jfmt::INCOMPAT_CSUM_V3 != 0;
    if v2 && v3 {
        return Ok(Err(Err::CorruptJournalSb));
    }
    if (v2 || v3) && feat.compat & jfmt::COMPAT_CHECKSUM != 0 {
        return Ok(Err(Err::CorruptJournalSb));
    }
    if (v2 || v3)
        && (jsb.s_checksum_type != CRC32C_CHKSUM || jfmt::superblock_checksum(raw).ok == Some(false))
    {
        return Ok(Err(Err::CorruptJournalSb));
    }
    if u64::from(jsb.s_blocksize.0) != u64::from(fs.geo.block_size) {
        return Ok(Err(Err::CorruptJournalSb));
    }
    let maxlen = jsb.s_maxlen.0;
    if u64::from(maxlen) > got.total_len {
        return Ok(Err(Err::CorruptJournalSb));
    }
    if feat.incompat & jfmt::INCOMPAT_FAST_COMMIT != 0 {
        let n = if jsb.s_num_fc_blks.0 == 0 {
            crate::journal::DEFAULT_FAST_COMMIT_BLOCKS
        } else {
            jsb.s_num_fc_blks.0
        };
        if u64::from(maxlen.wrapping_sub(n)) < MIN_JOURNAL_BLOCKS {
            return Ok(Err(Err::CorruptJournalSb));
        }
    }
    Ok(Ok(Some(jsb)))
}
