//! The log walked as recovery walks it (`do_one_pass(PASS_SCAN)` in the
//! kernel's and e2fsprogs' `recovery.c`): from `s_start` with `s_sequence`,
//! block by block around the ring, each block needing the jbd2 magic and the
//! expected sequence; descriptors (their tags and the logged blocks after
//! them), revoke blocks, commit blocks. The end of the log is where recovery
//! finds it: a block without the magic, an unexpected sequence, an unknown
//! block type, a commit whose checksum fails (sync commit: replay aborted;
//! async commit: the log goes on but replay ends there), a descriptor or
//! revoke block with a bad checksum (then the commit time decides between
//! "stale block, end here" and "corrupt journal, recovery fails").
//!
//! Every block's checksum is recorded, tags' too. Transactions still intact
//! in the rest of the ring (before `s_start`, or all of it in an empty
//! journal) are collected as history.

use alloc::collections::BTreeSet;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

use super::Journal;
use crate::checksum::{crc32_be, Crc32c};
use crate::error::{Location, Problem, Severity};
use crate::fields::LeRead;
use crate::format::journal::{
    self as jfmt, Be32, CommitBlock, JournalBlockKind, COMPAT_CHECKSUM, INCOMPAT_ASYNC_COMMIT,
    INCOMPAT_CSUM_V3, TAG_ESCAPE, TAG_LAST, TAG_SAME_UUID,
};
use crate::fs::Fs;

/// `JBD2_CRC32_CHKSUM`: `h_chksum_type` of a v1 commit checksum.
const CRC32_CHKSUM: u8 = 1;

/// One logged block (a descriptor tag and the block after it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LogBlock {
    /// Home location in the file system.
    pub fs_block: u64,
    /// Where the copy sits in the journal.
    pub journal_block: u32,
    /// `t_flags` (1 escape, 2 same UUID, 4 deleted, 8 last tag).
    pub flags: u32,
    /// The tag's checksum over the block (v2/v3 journals; `null` otherwise).
    pub checksum_ok: Option<bool>,
    /// The descriptor block that names it.
    pub descriptor: u32,
    /// The copy could not be read (past the journal inode's map).
    #[serde(skip_serializing_if = "core::ops::Not::not")]
    pub unreadable: bool,
}

/// A jbd2 metadata block of a transaction (descriptor or revoke).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MetaBlock {
    /// Journal block.
    pub journal_block: u32,
    /// Its tail checksum (v2/v3).
    pub checksum_ok: Option<bool>,
}

/// One transaction in the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Transaction {
    /// Its sequence number (tid).
    pub sequence: u32,
    /// Journal block of its first block.
    pub start: u32,
    /// Journal block after its last block (its commit block, when committed).
    pub end: u32,
    /// A commit block with this sequence was found.
    pub committed: bool,
    /// Journal block of the commit block.
    pub commit_block: Option<u32>,
    /// `h_commit_sec` (seconds since 1970).
    pub commit_time: Option<i64>,
    /// `h_commit_nsec`.
    pub commit_nsec: Option<u32>,
    /// The commit block's checksum (v2/v3 crc32c; v1 crc32 of the transaction).
    pub checksum_ok: Option<bool>,
    /// Descriptor blocks.
    pub descriptors: Vec<MetaBlock>,
    /// Revoke blocks.
    pub revoke_blocks: Vec<MetaBlock>,
    /// Logged blocks, in descriptor order.
    pub blocks: Vec<LogBlock>,
    /// File-system blocks this transaction revokes.
    pub revoked: Vec<u64>,
    /// Recovery replays it (committed, before the end of the valid log).
    pub replayed: bool,
}

impl Transaction {
    fn new(sequence: u32, start: u32) -> Self {
        Transaction {
            sequence,
            start,
            end: start,
            committed: false,
            commit_block: None,
            commit_time: None,
            commit_nsec: None,
            checksum_ok: None,
            descriptors: Vec::new(),
            revoke_blocks: Vec::new(),
            blocks: Vec::new(),
            revoked: Vec::new(),
            replayed: false,
        }
    }

    /// Journal blocks it occupies (its own and logged ones).
    pub fn journal_blocks(&self) -> usize {
        self.descriptors.len() + self.revoke_blocks.len() + self.blocks.len() + usize::from(self.committed)
    }
}

/// Where and why the walk stopped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogEnd {
    /// The journal block recovery read last (the one that ended the log).
    pub journal_block: u32,
    /// `end_transaction`: the first transaction not replayed.
    pub sequence: u32,
    /// Why, in words.
    pub reason: String,
    /// e2fsck's `j_failed_commit`: "Journal transaction N was corrupt, replay
    /// was aborted."
    pub failed_commit: Option<u32>,
    /// Recovery fails as a whole (nothing is replayed), and why.
    pub error: Option<String>,
}

/// The journal's log.
#[derive(Debug, Clone, Serialize)]
pub struct Log {
    /// The journal superblock.
    pub superblock: super::SuperblockInfo,
    /// Where the journal is.
    pub location: super::JournalLocation,
    /// The file system says `needs_recovery`.
    pub needs_recovery: bool,
    /// Recovery would not touch this journal, and why.
    pub refused: Option<String>,
    /// Transactions from `s_start` in log order, the last possibly uncommitted.
    pub transactions: Vec<Transaction>,
    /// Where recovery stops.
    pub end: Option<LogEnd>,
    /// Intact older transactions elsewhere in the ring, by sequence.
    pub history: Vec<Transaction>,
    /// The fast-commit area, when the journal has one.
    pub fast_commit: Option<super::fast_commit::FastCommitArea>,
    /// Problems found while walking.
    pub problems: Vec<Problem>,
}

impl Log {
    /// Transactions recovery replays.
    pub fn replayed(&self) -> impl Iterator<Item = &Transaction> {
        self.transactions.iter().filter(|t| t.replayed)
    }

    /// A transaction of the log or the history by sequence.
    pub fn transaction(&self, seq: u32) -> Option<&Transaction> {
        self.transactions.iter().chain(self.history.iter()).find(|t| t.sequence == seq)
    }
}

/// `tid_gt`.
pub fn tid_gt(x: u32, y: u32) -> bool {
    (x.wrapping_sub(y) as i32) > 0
}

/// `tid_geq`.
pub fn tid_geq(x: u32, y: u32) -> bool {
    (x.wrapping_sub(y) as i32) >= 0
}

struct Walker<'a> {
    fs: &'a Fs,
    j: &'a Journal,
    problems: Vec<Problem>,
    /// Read each logged copy to verify its tag checksum.
    read_copies: bool,
}

enum Read {
    Ok(crate::io::Block),
    Err(String),
}

impl Walker<'_> {
    fn read(&mut self, jb: u32) -> Read {
        match self.j.read_ahead(self.fs, jb) {
            Ok(b) if b.len() == self.j.block_size as usize => Read::Ok(b),
            Ok(_) => Read::Err(format!("journal block {jb} is short")),
            Err(e) => Read::Err(format!("journal block {jb} cannot be read: {e}")),
        }
    }

    fn tag_checksum_ok(&self, block: &[u8], tag: &jfmt::Tag, seq: u32) -> Option<bool> {
        tag_checksum_ok(&self.j.features, block, tag, seq)
    }

    fn problem(&mut self, severity: Severity, jb: u32, message: String) {
        let at = match self.j.fs_block(jb) {
            Some(b) => Location::block(b, self.j.block_size, 0),
            None => Location::default(),
        };
        self.problems.push(Problem {
            severity,
            structure: format!("journal block {jb}"),
            at: at.with_inode(match self.j.location {
                super::JournalLocation::Internal { inode } => inode,
                super::JournalLocation::External { .. } => 0,
            }),
            message,
        });
    }
}

/// A tag's checksum over the logged `block` of transaction `seq`
/// (`jbd2_block_tag_csum_verify`); `None` without v2/v3 checksums.
pub(crate) fn tag_checksum_ok(
    f: &jfmt::JournalFeatures,
    block: &[u8],
    tag: &jfmt::Tag,
    seq: u32,
) -> Option<bool> {
    if !f.csum_v2_or_v3() {
        return None;
    }
    let mut c = Crc32c::new(f.csum_seed);
    c.update(&seq.to_be_bytes()).update(block);
    let v = c.value();
    Some(if f.incompat & INCOMPAT_CSUM_V3 != 0 { tag.checksum == v } else { tag.checksum == v & 0xFFFF })
}

/// Tags of a descriptor with flags read as recovery reads them (16 bits).
pub(crate) fn tags(block: &[u8], j: &Journal) -> Vec<jfmt::Tag> {
    let mut t = jfmt::descriptor_tags(block, &j.features);
    for tag in &mut t {
        tag.flags &= 0xFFFF;
    }
    t
}

impl Journal {
    /// Walk the log as recovery does, and collect the history.
    pub fn log(&self, fs: &Fs) -> Log {
        self.log_with(fs, true)
    }

    /// [`Journal::log`] for a replay only: no history, and the logged
    /// copies are not read by the scan (their tag checksums are left `None`
    /// and verified by the replay pass, as recovery's PASS_SCAN skips them
    /// too), unless v1 checksums need them.
    pub fn log_for_replay(&self, fs: &Fs) -> Log {
        self.log_with(fs, false)
    }

    fn log_with(&self, fs: &Fs, with_history: bool) -> Log {
        let mut w = Walker { fs, j: self, problems: Vec::new(), read_copies: with_history };
        let mut transactions = Vec::new();
        let mut end = None;
        let mut visited = BTreeSet::new();
        if self.refused.is_none() && self.sb.s_start.0 != 0 {
            let (t, e) = scan(&mut w, &mut visited);
            transactions = t;
            end = Some(e);
        }
        let history = if self.refused.is_none() && with_history {
            history(&mut w, &visited, end.as_ref())
        } else {
            Vec::new()
        };
        // Fast commits belong to the transaction after the last full commit;
        // with s_start 0 the kernel recovers nothing, fast commits included.
        let fast_commit = match (self.fc_area, &end) {
            (Some((first, count)), Some(e)) if self.refused.is_none() => {
                let mut read = |jb: u32| self.read(fs, jb).ok().map(|b| b.to_vec());
                Some(super::fast_commit::read_area_with(
                    &mut read,
                    first,
                    count,
                    e.sequence,
                    fs.geo.inode_size as usize,
                ))
            }
            _ => None,
        };
        let mut problems = self.problems.clone();
        problems.append(&mut w.problems);
        Log {
            superblock: self.info(),
            location: self.location.clone(),
            needs_recovery: self.needs_recovery,
            refused: self.refused.clone(),
            transactions,
            end,
            history,
            fast_commit,
            problems,
        }
    }
}

/// PASS_SCAN, recording every block.
fn scan(w: &mut Walker<'_>, visited: &mut BTreeSet<u32>) -> (Vec<Transaction>, LogEnd) {
    let j = w.j;
    let f = j.features;
    let v1 = f.compat & COMPAT_CHECKSUM != 0;
    let async_commit = f.incompat & INCOMPAT_ASYNC_COMMIT != 0;
    let mut next_id = j.sb.s_sequence.0;
    let mut next_block = j.sb.s_start.0;
    let mut crc32_sum = !0u32;
    let mut need_check_commit_time = false;
    let mut last_commit_time = 0u64;
    let mut end_transaction: Option<u32> = None;
    let mut failed_commit = None;
    let mut error = None;
    let mut out: Vec<Transaction> = Vec::new();
    let mut cur: Option<Transaction> = None;
    let mut bad_revokes: Vec<u32> = Vec::new();
    // Recovery itself would loop forever on a ring of revoke blocks that all
    // carry one sequence; a real log is never longer than the ring.
    let budget = u64::from(j.ring_len()).saturating_add(1);
    let mut walked = 0u64;
    let reason;
    let mut last_read = next_block;
    loop {
        if walked > budget {
            reason = format!("the log runs around the whole ring ({} blocks) without ending", j.ring_len());
            w.problem(Severity::Error, next_block, reason.clone());
            break;
        }
        let this = next_block;
        last_read = this;
        let block = match w.read(this) {
            Read::Ok(b) => b,
            Read::Err(e) => {
                reason = e.clone();
                error = Some(e);
                break;
            }
        };
        walked += 1;
        next_block = j.next(next_block);
        let Some(h) = jfmt::header(&block) else {
            reason = format!("journal block {this} has no jbd2 magic number");
            break;
        };
        let seq = h.h_sequence.0;
        if seq != next_id {
            reason = format!("journal block {this} has sequence {seq}, expected {next_id}");
            break;
        }
        let t = cur.get_or_insert_with(|| Transaction::new(next_id, this));
        visited.insert(this);
        match JournalBlockKind::of(h.h_blocktype.0) {
            JournalBlockKind::Descriptor => {
                let csum = jfmt::tail_checksum(&block, &f).ok;
                t.descriptors.push(MetaBlock { journal_block: this, checksum_ok: csum });
                if csum == Some(false) {
                    need_check_commit_time = true;
                    w.problem(
                        Severity::Warning,
                        this,
                        format!("descriptor block of transaction {seq}: checksum does not match"),
                    );
                }
                let sum_v1 = v1 && !need_check_commit_time && end_transaction.is_none();
                if sum_v1 {
                    crc32_sum = crc32_be(crc32_sum, &block);
                }
                let mut v1_failed = false;
                let tags = tags(&block, j);
                let read_copies = w.read_copies || sum_v1;
                if read_copies {
                    j.prefetch(w.fs, next_block, tags.len() as u32);
                }
                for tag in tags {
                    let io = next_block;
                    next_block = j.next(next_block);
                    walked += 1;
                    visited.insert(io);
                    let copy = if read_copies { w.read(io) } else { Read::Err(String::new()) };
                    let (checksum_ok, unreadable) = match copy {
                        Read::Err(e) if e.is_empty() => (None, false),
                        Read::Ok(data) => {
                            if sum_v1 {
                                crc32_sum = crc32_be(crc32_sum, &data);
                            }
                            (w.tag_checksum_ok(&data, &tag, seq), false)
                        }
                        Read::Err(e) => {
                            w.problem(Severity::Error, io, e);
                            v1_failed |= sum_v1;
                            (None, true)
                        }
                    };
                    if checksum_ok == Some(false) {
                        w.problem(
                            Severity::Warning,
                            io,
                            format!("logged copy of block {} (transaction {seq}): tag checksum does not match; recovery skips it", tag.fs_block),
                        );
                    }
                    t.blocks.push(LogBlock {
                        fs_block: tag.fs_block,
                        journal_block: io,
                        flags: tag.flags,
                        checksum_ok,
                        descriptor: this,
                        unreadable,
                    });
                }
                t.end = next_block;
                if v1_failed {
                    // calc_chksums() failing to read ends the scan.
                    reason = format!("a block of transaction {seq} cannot be read");
                    break;
                }
            }
            JournalBlockKind::Commit => {
                let c = CommitBlock::parse(&block);
                let commit_time = c.h_commit_sec.0;
                t.commit_block = Some(this);
                t.commit_time = Some(commit_time as i64);
                t.commit_nsec = Some(c.h_commit_nsec.0);
                t.end = next_block;
                if need_check_commit_time {
                    if commit_time >= last_commit_time {
                        let m = format!("JBD2: Invalid checksum found in transaction {seq}");
                        w.problem(Severity::Error, this, format!("{m}: recovery fails and replays nothing"));
                        error = Some(m.clone());
                        reason = m;
                    } else {
                        reason = format!(
                            "transaction {seq} has a block with a bad checksum and an older commit time: stale, the log ends before it"
                        );
                    }
                    t.checksum_ok = Some(false);
                    break;
                }
                let mut csum_error = false;
                if v1 {
                    if let Some(e) = end_transaction {
                        failed_commit = Some(e);
                        reason = format!("transaction {e} was corrupt");
                        break;
                    }
                    let found = Be32::read_le(&block, 0x10).0;
                    let ok = (crc32_sum == found && c.h_chksum_type == CRC32_CHKSUM && c.h_chksum_size == 4)
                        || (c.h_chksum_type == 0 && c.h_chksum_size == 0 && found == 0);
                    t.checksum_ok = Some(ok);
                    csum_error = !ok;
                    crc32_sum = !0;
                }
                if !csum_error {
                    let s = jfmt::commit_checksum(&block, &f).ok;
                    if s.is_some() {
                        t.checksum_ok = s;
                    }
                    csum_error = s == Some(false);
                }
                if csum_error {
                    if commit_time < last_commit_time {
                        reason = format!(
                            "commit block of transaction {seq}: bad checksum and an older commit time (stale), the log ends before it"
                        );
                        break;
                    }
                    end_transaction.get_or_insert(next_id);
                    w.problem(
                        Severity::Error,
                        this,
                        format!("commit block of transaction {seq}: checksum does not match; replay stops before it"),
                    );
                    if !async_commit {
                        failed_commit = Some(next_id);
                        reason = format!("transaction {seq} was corrupt (commit block checksum)");
                        break;
                    }
                }
                last_commit_time = commit_time;
                t.committed = true;
                if let Some(t) = cur.take() {
                    out.push(t);
                }
                next_id = next_id.wrapping_add(1);
            }
            JournalBlockKind::Revoke => {
                let csum = jfmt::tail_checksum(&block, &f).ok;
                t.revoke_blocks.push(MetaBlock { journal_block: this, checksum_ok: csum });
                if csum == Some(false) {
                    need_check_commit_time = true;
                    w.problem(
                        Severity::Warning,
                        this,
                        format!("revoke block of transaction {seq}: checksum does not match"),
                    );
                }
                let r = jfmt::RevokeHeader::parse(&block);
                let csum_size = if f.csum_v2_or_v3() { 4 } else { 0 };
                if r.r_count.0 as usize > block.len() - csum_size {
                    w.problem(
                        Severity::Error,
                        this,
                        format!("revoke block of transaction {seq}: r_count {} is larger than the block; recovery fails (-EINVAL)", r.r_count.0),
                    );
                    bad_revokes.push(seq);
                }
                t.revoked.extend(jfmt::revoke_records(&block, &f).into_iter().map(|(_, b)| b));
                t.end = next_block;
            }
            JournalBlockKind::Superblock | JournalBlockKind::Unknown => {
                reason = format!("journal block {this} has block type {}: end of the log", h.h_blocktype.0);
                break;
            }
        }
    }
    if let Some(mut t) = cur.take() {
        // Started, never committed (or its commit failed): shown, not replayed.
        if t.blocks.is_empty()
            && t.descriptors.is_empty()
            && t.revoke_blocks.is_empty()
            && t.commit_block.is_none()
        {
            // Only the block that ended the log: nothing of it is real.
        } else {
            if t.end == t.start {
                t.end = j.next(t.start);
            }
            out.push(t);
        }
    }
    let end_seq = end_transaction.unwrap_or(next_id);
    // A revoke block's r_count past the block fails PASS_REVOKE, which reads
    // the revoke blocks of every transaction before the end.
    if error.is_none() {
        if let Some(&s) = bad_revokes.iter().find(|&&s| tid_gt(end_seq, s)) {
            error = Some(format!(
                "revoke block of transaction {s} is corrupt (r_count): recovery fails with -EINVAL"
            ));
        }
    }
    for t in &mut out {
        t.replayed = error.is_none() && t.committed && tid_gt(end_seq, t.sequence);
    }
    let end = LogEnd { journal_block: last_read, sequence: end_seq, reason, failed_commit, error };
    (out, end)
}

/// Intact transactions in the rest of the ring: from where the log ends (or
/// `s_first` in an empty journal) once around, each one a descriptor/revoke
/// chain of one sequence ending in its commit block.
fn history(w: &mut Walker<'_>, visited: &BTreeSet<u32>, end: Option<&LogEnd>) -> Vec<Transaction> {
    let j = w.j;
    let f = j.features;
    let ring = j.ring_len();
    if ring == 0 {
        return Vec::new();
    }
    let start = match end {
        Some(e) => e.journal_block,
        None => j.first,
    };
    let mut out = Vec::new();
    let mut pos = start;
    let mut left = ring;
    while left > 0 {
        let this = pos;
        pos = j.next(pos);
        left -= 1;
        if visited.contains(&this) {
            continue;
        }
        let Read::Ok(block) = w.read(this) else { continue };
        let Some(h) = jfmt::header(&block) else { continue };
        let kind = JournalBlockKind::of(h.h_blocktype.0);
        if !matches!(kind, JournalBlockKind::Descriptor | JournalBlockKind::Revoke) {
            continue;
        }
        let seq = h.h_sequence.0;
        let mut t = Transaction::new(seq, this);
        let mut b = block;
        let mut at = this;
        let mut ok = false;
        // Follow one transaction (it may run past the lap's end, around the
        // ring); at most one ring of blocks.
        let mut fpos = pos;
        let mut fleft = ring;
        while let Some(h) = jfmt::header(&b) {
            if h.h_sequence.0 != seq {
                break;
            }
            match JournalBlockKind::of(h.h_blocktype.0) {
                JournalBlockKind::Descriptor => {
                    t.descriptors
                        .push(MetaBlock { journal_block: at, checksum_ok: jfmt::tail_checksum(&b, &f).ok });
                    for tag in tags(&b, j) {
                        if fleft == 0 {
                            break;
                        }
                        let io = fpos;
                        fpos = j.next(fpos);
                        fleft -= 1;
                        let (checksum_ok, unreadable) = match w.read(io) {
                            Read::Ok(d) => (w.tag_checksum_ok(&d, &tag, seq), false),
                            Read::Err(_) => (None, true),
                        };
                        t.blocks.push(LogBlock {
                            fs_block: tag.fs_block,
                            journal_block: io,
                            flags: tag.flags,
                            checksum_ok,
                            descriptor: at,
                            unreadable,
                        });
                    }
                }
                JournalBlockKind::Revoke => {
                    t.revoke_blocks
                        .push(MetaBlock { journal_block: at, checksum_ok: jfmt::tail_checksum(&b, &f).ok });
                    t.revoked.extend(jfmt::revoke_records(&b, &f).into_iter().map(|(_, x)| x));
                }
                JournalBlockKind::Commit => {
                    let c = CommitBlock::parse(&b);
                    t.commit_block = Some(at);
                    t.commit_time = Some(c.h_commit_sec.0 as i64);
                    t.commit_nsec = Some(c.h_commit_nsec.0);
                    t.checksum_ok = jfmt::commit_checksum(&b, &f).ok;
                    t.committed = true;
                    ok = true;
                    break;
                }
                _ => break,
            }
            if fleft == 0 {
                break;
            }
            at = fpos;
            fpos = j.next(fpos);
            fleft -= 1;
            b = match w.read(at) {
                Read::Ok(x) => x,
                Read::Err(_) => break,
            };
        }
        t.end = fpos;
        if ok {
            // Go on after it: its blocks are not the start of another.
            left = left.saturating_sub(ring - fleft);
            pos = fpos;
            out.push(t);
        }
    }
    // Oldest first, counted back from s_sequence (tids wrap).
    let base = j.sb.s_sequence.0;
    out.sort_by_key(|t: &Transaction| t.sequence.wrapping_sub(base) as i32);
    out.dedup_by_key(|t| t.sequence);
    out
}

/// Flags in words, as debugfs logdump prints them would be too terse: for views.
pub fn flag_names(flags: u32) -> Vec<&'static str> {
    let mut v = Vec::new();
    for (bit, name) in
        [(TAG_ESCAPE, "escape"), (TAG_SAME_UUID, "same_uuid"), (4, "deleted"), (TAG_LAST, "last_tag")]
    {
        if flags & bit != 0 {
            v.push(name);
        }
    }
    v
}
