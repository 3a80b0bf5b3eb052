//! The journal as the mount loads it: `ext4_get_journal_inode`,
//! `jbd2_journal_init_inode` with `journal_check_superblock`,
//! `ext4_load_journal` (recovery, or its refusal on a read-only device; the
//! replay itself is [`Journal::replay`]), `ext4_clear_journal_err` and the
//! data mode `ext4_load_and_init_journal` settles on.

use alloc::format;
use alloc::rc::Rc;
use alloc::string::String;

use super::inode::{iget, Iget, ENCRYPT_FL};
use super::{
    Flow, Mount, StepStatus, Stop, DEFM_JMODE, DEFM_JMODE_DATA, DEFM_JMODE_WBACK, DEFM_NOBARRIER, DEVICE,
    ERROR_FS,
};
use crate::format::features::{
    COMPAT_FAST_COMMIT, INCOMPAT_64BIT, INCOMPAT_RECOVER, RO_COMPAT_METADATA_CSUM,
};
use crate::format::inode::{FileType, Inode};
use crate::format::journal::{
    self as jfmt, JournalFeatures, JournalSuperblock, BT_SUPERBLOCK_V1, BT_SUPERBLOCK_V2, JBD2_MAGIC,
};
use crate::fs::Fs;
use crate::io::Block;
use crate::journal::{Journal, Log};
use crate::overlay::Overlay;

/// `JBD2_MIN_JOURNAL_BLOCKS`.
const MIN_JOURNAL_BLOCKS: u32 = 1024;
/// `JBD2_DEFAULT_FAST_COMMIT_BLOCKS`.
const DEFAULT_FAST_COMMIT_BLOCKS: u32 = 256;
/// `JBD2_CRC32C_CHKSUM`.
const JBD2_CRC32C_CHKSUM: u8 = 4;
/// `JBD2_KNOWN_INCOMPAT_FEATURES`; no ro_compat feature is known.
const KNOWN_INCOMPAT: u32 = jfmt::INCOMPAT_REVOKE
    | jfmt::INCOMPAT_ASYNC_COMMIT
    | jfmt::INCOMPAT_64BIT
    | jfmt::INCOMPAT_CSUM_V2
    | jfmt::INCOMPAT_CSUM_V3
    | jfmt::INCOMPAT_FAST_COMMIT;

/// A loaded (and, when it needed it, recovered) journal.
pub(super) struct Loaded {
    /// The data mode as the "mounted filesystem" line words it (`" ordered data mode"`).
    pub data_mode: &'static str,
    /// The file system as the kernel reads it after recovery.
    pub fs: Fs,
}

/// `ext4_get_journal_inode`: the journal inode read as a reserved inode, a
/// regular file, not encrypted.
fn get_journal_inode(m: &mut Mount, fs: &Fs, ino: u32) -> Option<Inode> {
    const F: &str = "ext4_get_journal_inode";
    let inode = match iget(m, fs, ino, Iget::Special, F, super::LINE_JOURNAL_IGET) {
        Ok(i) => i,
        Err(e) => {
            m.msg("no journal found");
            m.step(F, "journal inode", StepStatus::Fail, format!("inode {ino}: ext4_iget error {e}"));
            return None;
        }
    };
    if inode.file_type() != FileType::Regular || inode.flags() & ENCRYPT_FL != 0 {
        m.msg("invalid journal inode");
        m.step(F, "journal inode", StepStatus::Fail, format!("inode {ino} is not a plain regular file"));
        return None;
    }
    m.step(F, "journal inode", StepStatus::Pass, format!("inode {ino}, {} bytes", inode.size()));
    Some(inode)
}

/// [`get_journal_inode`] for `ext4_calculate_overhead`, which sizes the
/// journal even when it is not loaded.
pub(super) fn journal_inode_ok(m: &mut Mount, fs: &Fs, ino: u32) -> bool {
    get_journal_inode(m, fs, ino).is_some()
}

/// `journal_check_superblock`: the jbd2 superblock `jbd2_journal_init_inode`
/// loads, in the kernel's words when it refuses it.
fn check_superblock(raw: &[u8], block_size: u32, total_len: u64) -> Result<(), String> {
    let sb = JournalSuperblock::parse(raw);
    if raw.len() < JournalSuperblock::SIZE || sb.h_magic.0 != JBD2_MAGIC || sb.s_blocksize.0 != block_size {
        return Err(String::from("no valid journal superblock found"));
    }
    let blocktype = sb.h_blocktype.0;
    if blocktype != BT_SUPERBLOCK_V1 && blocktype != BT_SUPERBLOCK_V2 {
        return Err(String::from("unrecognised superblock format ID"));
    }
    let maxlen = sb.s_maxlen.0;
    if u64::from(maxlen) > total_len {
        return Err(String::from("journal file too short"));
    }
    let first = sb.s_first.0;
    if first == 0 || u64::from(first) >= total_len {
        return Err(format!("Invalid start block of journal: {first}"));
    }
    if blocktype == BT_SUPERBLOCK_V1 {
        return Ok(());
    }
    let f = JournalFeatures::of(&sb);
    if f.ro_compat != 0 || f.incompat & !KNOWN_INCOMPAT != 0 {
        return Err(String::from("Unrecognised features on journal"));
    }
    let fc = if f.incompat & jfmt::INCOMPAT_FAST_COMMIT != 0 {
        match sb.s_num_fc_blks.0 {
            0 => DEFAULT_FAST_COMMIT_BLOCKS,
            n => n,
        }
    } else {
        0
    };
    if maxlen < MIN_JOURNAL_BLOCKS || maxlen - MIN_JOURNAL_BLOCKS < fc {
        return Err(format!("journal file too short {maxlen},{fc}"));
    }
    let (v2, v3) = (f.incompat & jfmt::INCOMPAT_CSUM_V2 != 0, f.incompat & jfmt::INCOMPAT_CSUM_V3 != 0);
    if v2 && v3 {
        return Err(String::from("Can't enable checksumming v2 and v3 at the same time!"));
    }
    if (v2 || v3) && f.compat & jfmt::COMPAT_CHECKSUM != 0 {
        return Err(String::from("Can't enable checksumming v1 and v2/3 at the same time!"));
    }
    if v2 || v3 {
        if sb.s_checksum_type != JBD2_CRC32C_CHKSUM {
            return Err(String::from("Unknown checksum type"));
        }
        if jfmt::superblock_checksum(raw).ok == Some(false) {
            return Err(String::from("journal checksum error"));
        }
    }
    Ok(())
}

/// `ext4_load_and_init_journal`.
pub(super) fn load_journal(m: &mut Mount, fs: &Fs) -> Flow<Loaded> {
    const F: &str = "ext4_load_journal";
    let sb = &fs.sb;
    let (ino, dev) = (sb.s_journal_inum, sb.s_journal_dev);
    if ino != 0 && dev != 0 {
        m.msg("filesystem has both journal inode and journal device!");
        m.step(F, "journal location", StepStatus::Fail, format!("inode {ino} and device {dev:#x}"));
        return Err(Stop::Refused);
    }
    if ino == 0 {
        m.step(
            F,
            "external journal",
            StepStatus::Unmodelled,
            format!("device {dev:#x} is not in this image"),
        );
        m.unknown(format!(
            "the journal is on another device ({dev:#x}): whether the kernel finds it is not known here"
        ));
        return Err(Stop::Unknown);
    }
    let Some(inode) = get_journal_inode(m, fs, ino) else { return Err(Stop::Refused) };

    // jbd2_journal_init_inode: bmap of block 0, then the superblock.
    const J: &str = "jbd2_journal_init_inode";
    let map = fs.file_map(&inode);
    let block0 = map.lookup(0).map(|(b, _)| b).filter(|&b| b != 0);
    let Some(block0) = block0 else {
        m.raw(format!("{J}: Cannot locate journal superblock"));
        m.msg("Could not load journal inode");
        m.step(J, "journal superblock", StepStatus::Fail, "journal block 0 is not mapped");
        return Err(Stop::Refused);
    };
    let raw = match fs.block(block0) {
        Ok(b) => b,
        Err(e) => {
            m.jbd2("IO error reading journal superblock");
            m.msg("Could not load journal inode");
            m.step(J, "journal superblock", StepStatus::Fail, format!("block {block0}: {e}"));
            return Err(Stop::Refused);
        }
    };
    let raw = raw.get(..JournalSuperblock::SIZE).unwrap_or(&raw);
    let total_len = inode.size() / u64::from(fs.geo.block_size);
    if let Err(why) = check_superblock(raw, fs.geo.block_size, total_len) {
        m.jbd2(&why);
        m.msg("Could not load journal inode");
        m.step("journal_check_superblock", "journal superblock", StepStatus::Fail, why);
        return Err(Stop::Refused);
    }
    let jsb = JournalSuperblock::parse(raw);
    m.step("journal_check_superblock", "journal superblock", StepStatus::Pass, format!("block {block0}"));

    let recover = fs.features().incompat(INCOMPAT_RECOVER);
    if recover && m.sb_rdonly {
        m.msg("INFO: recovery required on readonly filesystem");
        if m.bdev_ro {
            m.msg("write access unavailable, cannot proceed (try mounting with noload)");
            m.step(F, "recovery", StepStatus::Fail, "needs_recovery on a read-only device");
            return Err(Stop::Refused);
        }
        m.msg("write access will be enabled during recovery");
    }
    if sb.s_default_mount_opts & DEFM_NOBARRIER != 0 {
        m.msg("barriers disabled");
    }
    let start = jsb.s_start.0;
    if !recover && start != 0 {
        // jbd2_journal_wipe: a log without needs_recovery is dropped.
        m.jbd2(format!(
            "{} recovery information on journal",
            if m.bdev_ro { "Ignoring" } else { "Clearing" }
        ));
    }
    let fs = if recover && start != 0 {
        recover_journal(m, fs, ino)?
    } else {
        let why = if recover { "needs_recovery, but the log is empty (s_start 0)" } else { "clean" };
        m.step("jbd2_journal_load", "recovery", StepStatus::Skipped, why);
        fs.clone()
    };
    clear_journal_err(m, jsb.s_errno.0 as i32);

    // The journal's features, then the data mode.
    const I: &str = "ext4_load_and_init_journal";
    let v2 = jsb.h_blocktype.0 == BT_SUPERBLOCK_V2;
    let f = fs.features();
    let refuse = |m: &mut Mount, text: &str| {
        m.msg(text);
        m.step(
            I,
            "journal features",
            StepStatus::Fail,
            "a version 1 journal superblock has no feature words",
        );
        Err(Stop::Refused)
    };
    if !v2 && f.incompat(INCOMPAT_64BIT) {
        return refuse(m, "Failed to set 64-bit journal feature");
    }
    if !v2 && f.ro_compat(RO_COMPAT_METADATA_CSUM) {
        return refuse(m, "Failed to set journal checksum feature set");
    }
    if !v2 && f.compat(COMPAT_FAST_COMMIT) {
        return refuse(m, "Failed to set fast commit journal feature");
    }
    let jmode = sb.s_default_mount_opts & DEFM_JMODE;
    let data_mode = if jmode == DEFM_JMODE_DATA || (jmode == 0 && !v2) {
        " journalled data mode"
    } else if jmode == 0 {
        " ordered data mode"
    } else if !v2 {
        // data=ordered or data=writeback need revoke records: a v2 superblock.
        return refuse(m, "Journal does not support requested data journaling mode");
    } else if jmode == DEFM_JMODE_WBACK {
        " writeback data mode"
    } else {
        " ordered data mode"
    };
    m.step(I, "data mode", StepStatus::Pass, String::from(data_mode.trim_start()));
    Ok(Loaded { data_mode, fs })
}

/// `jbd2_journal_load` → `jbd2_journal_recover`: the log replayed; a bad
/// block checksum or an unreadable log fails recovery, a corrupt commit
/// fails the load after it.
fn recover_journal(m: &mut Mount, fs: &Fs, ino: u32) -> Flow<Fs> {
    const F: &str = "jbd2_journal_recover";
    let Some((journal, log, scan_fs)) = kernel_log(m, fs) else {
        m.unknown("the inspector cannot open the journal it is to replay");
        return Err(Stop::Unknown);
    };
    let failed = |m: &mut Mount, why: String| {
        m.jbd2("journal recovery failed");
        m.msg("error loading journal");
        m.step(F, "recovery", StepStatus::Fail, why);
        Err(Stop::Refused)
    };
    if let Some(e) = log.end.as_ref().and_then(|e| e.error.clone()) {
        return failed(m, e);
    }
    let replay = match journal.replay(&scan_fs, &log, None) {
        Ok(r) => r,
        Err(e) => {
            m.unknown(format!("the replay failed: {e}"));
            return Err(Stop::Unknown);
        }
    };
    if !replay.report.bad_checksums.is_empty() {
        for &(seq, blk) in &replay.report.bad_checksums {
            let jb = log
                .transaction(seq)
                .and_then(|t| t.blocks.iter().find(|b| b.fs_block == blk))
                .map_or(0, |b| b.journal_block);
            m.jbd2(format!("Invalid checksum recovering data block {blk} in journal block {jb}"));
        }
        let n = replay.report.bad_checksums.len();
        return failed(m, format!("{n} logged blocks fail their tag checksum"));
    }
    if let Some(t) = log.end.as_ref().and_then(|e| e.failed_commit) {
        m.jbd2(format!("journal transaction {t} on {DEVICE}-{ino} is corrupt."));
        m.msg("error loading journal");
        m.step(
            "jbd2_journal_load",
            "recovery",
            StepStatus::Fail,
            format!("transaction {t}'s commit is corrupt"),
        );
        return Err(Stop::Refused);
    }
    let replayed = replay.report.transactions.len();
    match on_top(fs, &replay.overlay) {
        Ok(after) => {
            m.step(F, "recovery", StepStatus::Pass, format!("{replayed} transactions replayed"));
            Ok(after)
        }
        Err(e) => {
            m.unknown(format!("the recovered image cannot be opened: {e}"));
            Err(Stop::Unknown)
        }
    }
}

/// `sizeof(struct commit_header)`: 60 bytes of fields, padded to 64 by its `__be64`.
const COMMIT_HEADER_SIZE: usize = 64;

/// The log as the kernel's PASS_SCAN finds it. The core walks it as
/// e2fsprogs 1.47.0 does; newer kernels (6.18 among them) also take a commit block
/// whose checksum fails as torn, and goes on, when the checksum over its
/// header alone (the rest zero) matches (`jbd2_commit_block_csum_verify_partial`).
/// Such a block is patched to that form in an overlay and the log walked
/// again; the journal and the log returned read the patched image, which is
/// also the one to replay from.
fn kernel_log(m: &mut Mount, fs: &Fs) -> Option<(Journal, Log, Fs)> {
    let mut patch = Overlay::new();
    let mut scan_fs = fs.clone();
    // Each pass patches one more commit block: bounded by the transactions.
    loop {
        let journal = Journal::open(&scan_fs).ok()??;
        let log = journal.log_for_replay(&scan_fs);
        let torn = log.end.as_ref().and_then(|e| e.failed_commit).and_then(|t| {
            let tr = log.transactions.iter().find(|x| x.sequence == t)?;
            let jb = tr.commit_block?;
            let block = journal.read(&scan_fs, jb).ok()?;
            let mut header_only = alloc::vec![0u8; block.len()];
            let n = COMMIT_HEADER_SIZE.min(block.len());
            header_only[..n].copy_from_slice(&block[..n]);
            let ok = jfmt::commit_checksum(&header_only, &journal.features).ok == Some(true);
            Some((t, jb, journal.fs_block(jb)?, header_only)).filter(|_| ok)
        });
        let Some((t, jb, home, header_only)) = torn else { return Some((journal, log, scan_fs)) };
        if patch.get(home).is_some() {
            return Some((journal, log, scan_fs));
        }
        m.jbd2(format!("Find incomplete commit block in transaction {t} block {}", journal.next(jb)));
        patch.write(home, Block::from(header_only));
        scan_fs = on_top(fs, &patch).ok()?;
    }
}

/// `fs` with `extra`'s blocks over its own overlay (overlays do not stack by
/// themselves: [`Fs::with_overlay`] replaces).
fn on_top(fs: &Fs, extra: &Overlay) -> crate::Result<Fs> {
    let mut all = fs.image().overlay().map(|o| (**o).clone()).unwrap_or_default();
    for blk in extra.written() {
        if let Some(data) = extra.get(blk) {
            all.write(blk, data.clone());
        }
    }
    fs.with_overlay(Rc::new(all))
}

/// `ext4_clear_journal_err`: an error the journal recorded (`s_errno`) marks
/// the file system as having errors.
fn clear_journal_err(m: &mut Mount, errno: i32) {
    const F: &str = "ext4_clear_journal_err";
    if errno == 0 {
        return;
    }
    let what = match errno {
        -117 => String::from("Corrupt filesystem"),
        -74 => String::from("Filesystem failed CRC"),
        -5 => String::from("IO failure"),
        -12 => String::from("Out of memory"),
        -30 => String::from("Readonly filesystem"),
        e => format!("error {}", e.wrapping_neg()),
    };
    m.warning(F, None, format!("Filesystem error recorded from previous mount: {what}"));
    m.mount_state |= ERROR_FS;
    m.warning(F, None, "Marked fs in need of filesystem check.");
    m.step(F, "s_errno", StepStatus::Warn, format!("{errno}: the file system is marked as having errors"));
}
