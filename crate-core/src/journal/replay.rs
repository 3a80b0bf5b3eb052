//! Replay with recovery's semantics, to any crash point, into an [`Overlay`].
//!
//! PASS_REVOKE: every revoke record of the transactions replayed, keeping the
//! highest sequence per block (revokes in later or uncommitted transactions do
//! not exist at that crash point). PASS_REPLAY: the logged blocks of each
//! transaction in order, skipping those revoked by a transaction with a
//! sequence ≥ theirs and those whose tag checksum fails; an escaped block gets
//! its magic number back. Then what e2fsck does when it has replayed:
//! `s_start = 0` and `s_sequence = end + 1` in the journal superblock (with its
//! checksum; `s_sequence` unchanged when recovery failed), `needs_recovery`
//! cleared in the primary superblock (with its checksum), `ERROR_FS` set there
//! after a corrupt commit.
//! Every view reads "the image as of crash point N" as
//! `fs.with_overlay(replay.overlay)`.

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec::Vec;
use serde::Serialize;

use super::log::{tid_geq, tid_gt, Log};
use super::Journal;
use crate::error::{Location, Problem, Result, Severity};
use crate::format::features::INCOMPAT_RECOVER;
use crate::format::journal::{JournalBlockKind, TAG_ESCAPE};
use crate::format::superblock::{superblock_checksum, SUPERBLOCK_OFFSET};
use crate::fs::Fs;
use crate::io::Block;
use crate::overlay::Overlay;

/// The result of a replay.
#[derive(Debug, Clone)]
pub struct Replay {
    /// Blocks written: the image as of the crash point, after recovery.
    pub overlay: Overlay,
    /// What was done.
    pub report: ReplayReport,
}

/// What a replay did, for the CLI and the views.
#[derive(Debug, Clone, Serialize)]
pub struct ReplayReport {
    /// The crash point asked for (`None`: the whole valid log).
    pub through: Option<u32>,
    /// Sequences replayed, in order.
    pub transactions: Vec<u32>,
    /// Blocks copied home (a block logged twice counts twice).
    pub replayed_blocks: usize,
    /// Distinct file-system blocks written by the replay.
    pub distinct_blocks: usize,
    /// Logged copies skipped because a revoke record covers them.
    pub revoke_hits: usize,
    /// Revoke records read.
    pub revokes: usize,
    /// Logged copies skipped because their tag checksum failed (seq, block).
    pub bad_checksums: Vec<(u32, u64)>,
    /// The journal superblock's `s_sequence` afterwards.
    pub next_sequence: u32,
    /// e2fsck's messages about the journal, in its words.
    pub e2fsck: Vec<String>,
    /// Problems (blocks outside the file system, unreadable copies).
    pub problems: Vec<Problem>,
    /// The fast commits replayed after the last full commit, as the kernel
    /// replays them (`None`: none to replay, or the crash point is earlier).
    pub fast_commit: Option<super::fast_commit::FcReplayReport>,
}

impl Journal {
    /// Replay `log` (walked on `fs`) through transaction `through` (all of the
    /// valid log when `None`), as recovery would after a crash right after
    /// that transaction's commit, and leave the superblocks as e2fsck does.
    pub fn replay(&self, fs: &Fs, log: &Log, through: Option<u32>) -> Result<Replay> {
        let mut overlay = Overlay::new();
        let mut report = ReplayReport {
            through,
            transactions: Vec::new(),
            replayed_blocks: 0,
            distinct_blocks: 0,
            revoke_hits: 0,
            revokes: 0,
            bad_checksums: Vec::new(),
            next_sequence: self.sb.s_sequence.0,
            e2fsck: Vec::new(),
            problems: Vec::new(),
            fast_commit: None,
        };
        if self.refused.is_some() {
            return Ok(Replay { overlay, report });
        }
        let Some(end) = &log.end else {
            // s_start == 0: nothing to recover; e2fsck leaves the journal alone.
            return Ok(Replay { overlay, report });
        };
        if let Some(e) = &end.error {
            report.e2fsck.push(format!("{e}: the journal is not replayed"));
            return Ok(Replay { overlay, report });
        }
        // end_transaction, cut at the crash point.
        let mut end_seq = end.sequence;
        let mut cut = false;
        if let Some(n) = through {
            let after = n.wrapping_add(1);
            if tid_gt(end_seq, after) {
                end_seq = after;
                cut = true;
            }
        }
        let start = self.sb.s_sequence.0;
        let replayed: Vec<&super::Transaction> = log
            .transactions
            .iter()
            .filter(|t| t.committed && tid_geq(t.sequence, start) && tid_gt(end_seq, t.sequence))
            .collect();
        // PASS_REVOKE.
        let mut revoked: BTreeMap<u64, u32> = BTreeMap::new();
        for t in &replayed {
            for &b in &t.revoked {
                report.revokes += 1;
                let e = revoked.entry(b).or_insert(t.sequence);
                if tid_gt(t.sequence, *e) {
                    *e = t.sequence;
                }
            }
        }
        // PASS_REPLAY: walked again, reading the journal as it is *now*: a
        // logged block whose home is inside the journal overwrites the log
        // that is still to be read, as it does for the kernel and e2fsck.
        let fs_blocks = fs.geo.blocks_count;
        let mut next_id = start;
        let mut jb = self.sb.s_start.0;
        let mut steps = 0u64;
        let budget = u64::from(self.ring_len()).saturating_add(1);
        // -EFSBADCRC / -EIO from the pass, in e2fsck's words.
        let mut pass_error: Option<String> = None;
        let mut failed = false;
        let now = |o: &Overlay, j: u32| -> Result<Block> {
            match self.fs_block(j).and_then(|b| o.get(b)) {
                Some(b) => Ok(b.clone()),
                None => self.read_ahead(fs, j),
            }
        };
        let problem = |report: &mut ReplayReport, seq: u32, message: String| {
            report.problems.push(Problem {
                severity: Severity::Error,
                structure: format!("transaction {seq}"),
                at: Location::default(),
                message,
            });
        };
        // The scan's verdict on each logged copy, reused while the copy is
        // still the one the scan read.
        let scanned: BTreeMap<u32, Option<bool>> =
            replayed.iter().flat_map(|t| t.blocks.iter().map(|b| (b.journal_block, b.checksum_ok))).collect();
        while tid_gt(end_seq, next_id) && steps <= budget {
            let this = jb;
            let Ok(block) = now(&overlay, this) else {
                pass_error = Some(format!("journal block {this} cannot be read"));
                failed = true;
                break;
            };
            jb = self.next(jb);
            steps += 1;
            let Some(h) = crate::format::journal::header(&block) else { break };
            if h.h_sequence.0 != next_id {
                break;
            }
            match JournalBlockKind::of(h.h_blocktype.0) {
                JournalBlockKind::Descriptor => {
                    if crate::format::journal::tail_checksum(&block, &self.features).ok == Some(false) {
                        pass_error = Some(format!("JBD2: Invalid checksum recovering block {jb} in log"));
                        failed = true;
                        break;
                    }
                    let tags = super::log::tags(&block, self);
                    self.prefetch(fs, jb, tags.len() as u32);
                    for tag in tags {
                        let io = jb;
                        jb = self.next(jb);
                        steps += 1;
                        let data = match now(&overlay, io) {
                            Ok(d) => d,
                            Err(e) => {
                                problem(&mut report, next_id, format!("journal block {io}: {e}"));
                                pass_error.get_or_insert_with(|| {
                                    format!("JBD2: IO error recovering block {io} in log")
                                });
                                continue;
                            }
                        };
                        if revoked.get(&tag.fs_block).is_some_and(|&r| !tid_gt(next_id, r)) {
                            report.revoke_hits += 1;
                            continue;
                        }
                        let overwritten = self.fs_block(io).is_some_and(|b| overlay.get(b).is_some());
                        // The scan's verdict when it read this very copy;
                        // else (not read, or overwritten since) computed now.
                        let csum = match scanned.get(&io) {
                            Some(&Some(c)) if !overwritten => Some(c),
                            _ => super::log::tag_checksum_ok(&self.features, &data, &tag, next_id),
                        };
                        if csum == Some(false) {
                            report.bad_checksums.push((next_id, tag.fs_block));
                            continue;
                        }
                        if tag.fs_block >= fs_blocks {
                            problem(
                                &mut report,
                                next_id,
                                format!(
                                    "logged block at journal block {io} belongs at block {}, past the end of the file system ({fs_blocks} blocks): not written",
                                    tag.fs_block
                                ),
                            );
                            continue;
                        }
                        let data = if tag.flags & TAG_ESCAPE != 0 {
                            Block::from(crate::format::journal::unescape(tag.flags, &data))
                        } else {
                            data
                        };
                        overlay.write(tag.fs_block, data);
                        report.replayed_blocks += 1;
                    }
                }
                JournalBlockKind::Commit => {
                    report.transactions.push(next_id);
                    next_id = next_id.wrapping_add(1);
                }
                JournalBlockKind::Revoke => {}
                _ => break,
            }
        }
        if !failed && next_id != end_seq {
            pass_error.get_or_insert_with(|| {
                format!("JBD2: recovery pass 2 ended at transaction {next_id}, expected {end_seq}")
            });
        }
        // Fast commits: replayed at the end of PASS_REPLAY (fc_do_one_pass),
        // on top of the full commits. They carry the tid of the transaction
        // after the last full commit (`end`): crash point `end` (or the whole
        // log) includes them, crash point `end - 1` is just before them.
        let fc_point = through.is_none_or(|n| tid_geq(n, end.sequence));
        if let Some(area) = log.fast_commit.as_ref().filter(|_| fc_point && !cut) {
            use super::fast_commit::FcOutcome;
            match area.outcome {
                Some(FcOutcome::Replay) if pass_error.is_none() => {
                    let state = fs.with_overlay(Rc::new(overlay.clone()))?;
                    // The kernel stamps the mount's clock on what it changes;
                    // the last write time stands in for it (deterministic).
                    let now = i64::from(fs.sb.s_wtime);
                    report.fast_commit = Some(super::fast_commit::replay(&state, area, &mut overlay, now));
                }
                Some(FcOutcome::RecoveryFails) if pass_error.is_none() => {
                    pass_error = Some(format!(
                        "fast-commit replay fails ({}): the kernel refuses to mount",
                        area.error.unwrap_or("corrupt fast-commit area")
                    ));
                }
                _ => {}
            }
        }
        report.distinct_blocks = overlay.len();
        // A copy whose tag checksum fails makes jbd2_journal_recover() return
        // -EFSBADCRC after replaying the rest; e2fsck then leaves s_sequence
        // as it was and marks the file system not clean.
        let error = !report.bad_checksums.is_empty() || pass_error.is_some();
        for (seq, b) in &report.bad_checksums {
            report
                .e2fsck
                .push(format!("JBD2: Invalid checksum recovering data block {b} in log (transaction {seq})"));
        }
        if let Some(e) = &pass_error {
            report.e2fsck.push(e.clone());
        }
        if pass_error.is_some() && report.bad_checksums.is_empty() {
            report.e2fsck.push(String::from("Input/output error while recovering journal"));
        } else if error {
            report.e2fsck.push(String::from("Journal checksum error found"));
        }
        let failed = if cut || error { None } else { end.failed_commit };
        if let Some(f) = failed {
            report.e2fsck.push(format!("Journal transaction {f} was corrupt, replay was aborted."));
        }
        report.next_sequence = if error { self.sb.s_sequence.0 } else { end_seq.wrapping_add(1) };
        self.finish(fs, &mut overlay, report.next_sequence, error, failed.is_some())?;
        Ok(Replay { overlay, report })
    }

    /// The superblocks as e2fsck leaves them after replaying.
    ///
    /// After a corrupt commit e2fsck sets `s_errno = -EINVAL`, then (its last
    /// check of the journal) moves it to the file system: `ERROR_FS` in
    /// `s_state` and `s_errno` back to 0. After a recovery error the file
    /// system is marked not clean (`VALID_FS` cleared).
    fn finish(
        &self,
        fs: &Fs,
        overlay: &mut Overlay,
        next_sequence: u32,
        error: bool,
        corrupt: bool,
    ) -> Result<()> {
        let state = fs.with_overlay(Rc::new(overlay.clone()))?;
        // Journal superblock: s_start = 0 marks it empty.
        if let Some(jsb) = self.fs_block(0) {
            let mut b = state.block(jsb)?.to_vec();
            let sb = &self.sb;
            let v1_with_v2_fields = sb.h_blocktype.0 == crate::format::journal::BT_SUPERBLOCK_V1
                && (sb.s_feature_compat.0
                    | sb.s_feature_incompat.0
                    | sb.s_feature_ro_compat.0
                    | sb.s_nr_users.0)
                    != 0;
            if v1_with_v2_fields && b.len() > 0x24 {
                // e2fsck: "Found invalid V2 journal superblock fields (from V1
                // journal). Clearing fields beyond the V1 journal superblock..."
                b[0x24..].fill(0);
            }
            if b.len() >= 1024 {
                b[0x18..0x1C].copy_from_slice(&next_sequence.to_be_bytes());
                b[0x1C..0x20].copy_from_slice(&0u32.to_be_bytes());
                if corrupt {
                    // -EINVAL, then moved to the file system's s_state by e2fsck.
                    b[0x20..0x24].copy_from_slice(&0u32.to_be_bytes());
                }
                if self.features.csum_v2_or_v3() {
                    let mut c = crate::checksum::Crc32c::new(!0);
                    c.update(&b[..0xFC]).zeros(4).update(&b[0x100..1024]);
                    let v = c.value();
                    b[0xFC..0x100].copy_from_slice(&v.to_be_bytes());
                }
                overlay.write(jsb, Block::from(b));
            }
        }
        // Primary superblock: needs_recovery cleared (and not valid after an error).
        let bs = u64::from(fs.block_size());
        let sb_blk = SUPERBLOCK_OFFSET / bs;
        let off = (SUPERBLOCK_OFFSET % bs) as usize;
        let mut b = state.block(sb_blk)?.to_vec();
        if let Some(sb) = b.get_mut(off..off + 1024) {
            let incompat = u32::from_le_bytes([sb[0x60], sb[0x61], sb[0x62], sb[0x63]]) & !INCOMPAT_RECOVER;
            sb[0x60..0x64].copy_from_slice(&incompat.to_le_bytes());
            let mut st = u16::from_le_bytes([sb[0x3A], sb[0x3B]]);
            if error {
                st &= !1; // EXT2_VALID_FS
            }
            if corrupt {
                st |= 2; // EXT2_ERROR_FS
            }
            sb[0x3A..0x3C].copy_from_slice(&st.to_le_bytes());
            if state.sb.has_metadata_csum() {
                let c = superblock_checksum(sb);
                sb[0x3FC..0x400].copy_from_slice(&c.to_le_bytes());
            }
            overlay.write(sb_blk, Block::from(b));
        }
        Ok(())
    }
}

/// Where [`export`] hands each chunk: its offset and bytes (`None`: all zeros).
pub type ExportSink<'a> = dyn FnMut(u64, Option<&[u8]>) -> core::result::Result<(), String> + 'a;

/// Stream the image as of `overlay` (original slices with the overlay's
/// blocks patched in) to `sink`, `chunk` bytes at a time; all-zero chunks
/// are handed over as `None` so a caller can leave holes.
pub fn export(fs: &Fs, chunk: usize, sink: &mut ExportSink<'_>) -> Result<()> {
    let len = fs.image().len();
    let chunk = chunk.max(4096);
    let mut buf = alloc::vec![0u8; chunk];
    let mut off = 0u64;
    while off < len {
        let n = (len - off).min(chunk as u64) as usize;
        let b = &mut buf[..n];
        fs.image().read_into(off, b)?;
        // Eight bytes at a time: a 16 GiB image is mostly zeros.
        let zero = b.chunks(8).all(|w| w.iter().fold(0u8, |a, &x| a | x) == 0);
        sink(off, if zero { None } else { Some(b) })
            .map_err(|m| crate::Error::Io(crate::io::IoError { offset: off, len: n as u64, message: m }))?;
        off += n as u64;
    }
    Ok(())
}
