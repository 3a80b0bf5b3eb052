//! The worker's answers for the journal views: the journal superblock and the
//! recovery verdict, the transactions page by page (each with one byte per
//! journal block it occupies, for the timeline), one transaction's logged
//! blocks decoded at their home locations and diffed against the state before
//! it, the blocks that differ between two crash points, and the replays that
//! make those states.
//!
//! The core's journal types serialise only; the app reads these mirrors.
//! Free of browser calls: native tests drive it over the kernel-written crash
//! fixture.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::rc::Rc;

use ext4scope_core::decode::{kind_by_content, LayoutIndex};
use ext4scope_core::journal::diff::{block_change, BlockChange};
use ext4scope_core::journal::log::{flag_names, tid_gt, Log, LogBlock, LogEnd};
use ext4scope_core::journal::{Journal, JournalLocation, SuperblockInfo, Transaction};
use ext4scope_core::overlay::Overlay;
use ext4scope_core::ownership::{OwnerKind, OwnershipMap, Scanner};
use ext4scope_core::{Fs, Problem};
use serde::{Deserialize, Serialize};

use super::protocol::WorkerError;
use crate::b64;
use crate::route::CrashPoint;

/// At most this many transactions per [`super::protocol::Request::JournalPage`] answer.
pub const MAX_TX_PAGE: u32 = 256;
/// A page of transactions stops once it holds this many timeline cells
/// (journal blocks), after at least one transaction.
pub const MAX_PAGE_CELLS: usize = 16_384;
/// At most this many logged blocks per [`super::protocol::Request::Transaction`] answer.
pub const MAX_BLOCK_PAGE: u32 = 128;
/// At most this many changed blocks per [`super::protocol::Request::JournalDiff`] answer.
pub const MAX_DIFF_PAGE: u32 = 128;
/// Problems sent with the summary.
const MAX_PROBLEMS: usize = 50;
/// Revoked block numbers sent with a transaction.
const MAX_REVOKED: usize = 4096;
/// Replayed states kept (overlays).
const MAX_REPLAYS: usize = 4;
/// States kept for decoding (each with its ownership scan).
const MAX_DECODERS: usize = 2;
/// Work units of the ownership scan of a state that decodes logged blocks
/// (about one in-use inode each): enough to finish on ordinary images, a
/// bound on huge ones (then data blocks are named as far as it got).
pub const DECODE_SCAN_BUDGET: u64 = 2_000_000;
/// Journal blocks read per host read when the timeline sniffs logged copies.
const READ_RUN: usize = 1024;

/// Timeline cell codes: one byte per journal block of a transaction, in
/// journal order. The low 6 bits say what the block is; bit 7 a checksum that
/// fails; bit 6 a logged copy recovery does not write (revoked by a later
/// transaction).
pub mod cell {
    /// A descriptor block.
    pub const DESCRIPTOR: u8 = 1;
    /// A revoke block.
    pub const REVOKE: u8 = 2;
    /// The commit block.
    pub const COMMIT: u8 = 3;
    /// A logged block whose home is not layout metadata and whose content
    /// says nothing (file data in data=journal mode, indirect blocks, …).
    pub const LOGGED: u8 = 4;
    /// A logged block that could not be read.
    pub const UNREADABLE: u8 = 5;
    /// A logged block of this [`super::OwnerKind`]: `KIND + kind as u8`.
    pub const KIND: u8 = 8;
    /// Mask of the code.
    pub const CODE: u8 = 0x3F;
    /// Recovery skips this copy: a later transaction revokes it.
    pub const SKIPPED: u8 = 0x40;
    /// Its checksum (tag, descriptor/revoke tail, commit) fails.
    pub const BAD: u8 = 0x80;
}

/// The journal in one answer: everything but the transactions themselves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JournalSummary {
    /// Where the journal is, in words (`inode 8`).
    pub location: String,
    /// The journal inode, for an internal journal.
    pub inode: Option<u32>,
    /// Its superblock.
    pub superblock: SuperblockInfo,
    /// The file-system block holding journal block 0.
    pub superblock_block: Option<u64>,
    /// The file system says `needs_recovery`.
    pub needs_recovery: bool,
    /// Recovery would not use this journal, and why.
    pub refused: Option<String>,
    /// The log was walked (else only the superblock was read: `s_start` is 0
    /// and nothing asked for the history yet).
    pub walked: bool,
    /// Transactions from `s_start`, in log order.
    pub live: u32,
    /// Older intact transactions in the rest of the ring.
    pub history: u32,
    /// Where recovery stops.
    pub end: Option<LogEnd>,
    /// The file-system block of the journal block that ended the log.
    pub end_block: Option<u64>,
    /// Sequences recovery replays, in order: the crash points.
    pub crash_points: Vec<u32>,
    /// Logged blocks recovery writes home (a block logged twice counts twice).
    pub replay_blocks: u64,
    /// What e2fsck would do, one line each.
    pub verdict: Vec<String>,
    /// Journal blocks the live log occupies.
    pub log_blocks: u64,
    /// Blocks in the log ring.
    pub ring: u32,
    /// The fast-commit area (as the core reports it).
    pub fast_commit: Option<serde_json::Value>,
    /// Problems (first few).
    pub problems: Vec<Problem>,
    /// How many problems in all.
    pub problems_total: usize,
}

/// One transaction for the timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TxSummary {
    /// Its column: history (oldest first), then the live log.
    pub index: u32,
    /// Sequence number.
    pub sequence: u32,
    /// An older transaction outside the live log.
    pub history: bool,
    /// First journal block.
    pub start: u32,
    /// Journal block after its last.
    pub end: u32,
    /// A commit block was found.
    pub committed: bool,
    /// Recovery replays it.
    pub replayed: bool,
    /// The commit block's checksum.
    pub checksum_ok: Option<bool>,
    /// `h_commit_sec`.
    pub commit_time: Option<i64>,
    /// `h_commit_nsec`.
    pub commit_nsec: Option<u32>,
    /// Descriptor blocks.
    pub descriptors: u32,
    /// Revoke blocks.
    pub revoke_blocks: u32,
    /// Logged blocks.
    pub blocks: u32,
    /// Revoke records.
    pub revoked: u32,
    /// Checksums that fail in it (descriptors, revoke blocks, tags, commit).
    pub bad: u32,
    /// Logged copies recovery does not write (revoked later).
    pub skipped: u32,
    /// One [`cell`] code per journal block in journal order, base64
    /// (empty where not asked for).
    pub cells: String,
}

/// A descriptor, revoke or commit block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MetaBlockInfo {
    /// Journal block.
    pub journal_block: u32,
    /// The file-system block holding it.
    pub fs_block: Option<u64>,
    /// Its checksum.
    pub checksum_ok: Option<bool>,
}

/// One logged block of a transaction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoggedBlock {
    /// Position in the transaction (tag order).
    pub index: u32,
    /// Home location.
    pub fs_block: u64,
    /// Journal block of the copy.
    pub journal_block: u32,
    /// The file-system block holding the copy.
    pub copy_block: Option<u64>,
    /// `t_flags`.
    pub flags: u32,
    /// The flags in words.
    pub flag_names: Vec<String>,
    /// The tag's checksum over the copy.
    pub checksum_ok: Option<bool>,
    /// The descriptor naming it.
    pub descriptor: u32,
    /// The copy could not be read.
    pub unreadable: bool,
    /// Why recovery does not write this copy home, when it does not.
    pub skipped: Option<String>,
    /// What it is and changes (`None` when it could not be decoded: `error`).
    pub change: Option<BlockChange>,
    /// Why it could not be decoded.
    pub error: Option<String>,
}

/// One transaction: its blocks, a page of logged blocks decoded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TxDetail {
    /// The transaction (`cells` empty).
    pub summary: TxSummary,
    /// The transaction before it in log order (history first).
    pub prev: Option<u32>,
    /// The transaction after it.
    pub next: Option<u32>,
    /// What its logged blocks are compared with.
    pub against: String,
    /// The state its blocks are decoded in.
    pub decoded_in: CrashPoint,
    /// Descriptor blocks.
    pub descriptors: Vec<MetaBlockInfo>,
    /// Revoke blocks.
    pub revoke_blocks: Vec<MetaBlockInfo>,
    /// The commit block.
    pub commit: Option<MetaBlockInfo>,
    /// Blocks it revokes (first [`MAX_REVOKED`]).
    pub revoked: Vec<u64>,
    /// First logged block in `blocks`.
    pub start: u32,
    /// Logged blocks in all.
    pub total: u32,
    /// Logged blocks `start..start + blocks.len()`.
    pub blocks: Vec<LoggedBlock>,
}

/// Blocks that differ between two crash points, a page of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffPage {
    /// The earlier state.
    pub from: CrashPoint,
    /// The later state.
    pub to: CrashPoint,
    /// Blocks that differ.
    pub total: u32,
    /// First change in `changes`.
    pub start: u32,
    /// Changes `start..`.
    pub changes: Vec<BlockChange>,
}

/// What a replay did (mirror of the core's report).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplayInfo {
    /// Sequences replayed.
    pub transactions: Vec<u32>,
    /// Blocks copied home.
    pub replayed_blocks: usize,
    /// Distinct blocks written.
    pub distinct_blocks: usize,
    /// Copies skipped by revoke records.
    pub revoke_hits: usize,
    /// Revoke records read.
    pub revokes: usize,
    /// Copies skipped for bad tag checksums.
    pub bad_checksums: usize,
    /// `s_sequence` afterwards.
    pub next_sequence: u32,
    /// e2fsck's messages.
    pub e2fsck: Vec<String>,
    /// Problems.
    pub problems: Vec<Problem>,
}

fn not_found(what: String) -> WorkerError {
    WorkerError::Core {
        error: ext4scope_core::Error::corrupt("journal", ext4scope_core::Location::default(), what),
    }
}

/// `replayed` over the overlay `fs` already reads through (a simulated disk):
/// the state recovery leaves on that disk.
fn under(fs: &Fs, replayed: Overlay) -> Rc<Overlay> {
    let Some(o) = fs.image().overlay() else { return Rc::new(replayed) };
    let mut all = (**o).clone();
    for b in replayed.written().collect::<Vec<_>>() {
        if let Some(d) = replayed.get(b) {
            all.write(b, d.clone());
        }
    }
    Rc::new(all)
}

/// A state of the image with the ownership scan that names its data blocks.
struct Decoder {
    crash: CrashPoint,
    fs: Fs,
    scan: Scanner,
}

/// The blocks that differ between two crash points (the last pair asked).
type DiffList = ((CrashPoint, CrashPoint), Rc<Vec<u64>>);

/// The journal of the open image, walked once, and the states replayed from it.
pub struct JournalState {
    journal: Journal,
    log: Option<Log>,
    /// Revoke records of the replayed transactions: block → highest sequence.
    revoked: HashMap<u64, u32>,
    layout: Option<LayoutIndex>,
    replays: Vec<(CrashPoint, Rc<Overlay>, ReplayInfo)>,
    decoders: Vec<Decoder>,
    /// Blocks that differ between two states, by (from, to).
    diffs: Option<DiffList>,
}

impl JournalState {
    /// The journal of `fs` (the image as on disk), or `None` when it has none.
    pub fn open(fs: &Fs) -> Result<Option<JournalState>, WorkerError> {
        let Some(journal) = Journal::open(fs)? else { return Ok(None) };
        Ok(Some(JournalState {
            journal,
            log: None,
            revoked: HashMap::new(),
            layout: None,
            replays: Vec::new(),
            decoders: Vec::new(),
            diffs: None,
        }))
    }

    /// Walk the log (once).
    pub fn walk(&mut self, fs: &Fs) {
        if self.log.is_some() {
            return;
        }
        let log = self.journal.log(fs);
        let mut revoked: HashMap<u64, u32> = HashMap::new();
        for t in log.transactions.iter().filter(|t| t.replayed) {
            for &b in &t.revoked {
                let e = revoked.entry(b).or_insert(t.sequence);
                if tid_gt(t.sequence, *e) {
                    *e = t.sequence;
                }
            }
        }
        self.revoked = revoked;
        self.log = Some(log);
    }

    /// The walked log (every caller walks first).
    fn log(&self) -> &Log {
        self.log.as_ref().expect("the log is walked before it is read")
    }

    /// The summary; walks the log when `walk` or when the journal has one (`s_start` ≠ 0).
    pub fn summary(&mut self, fs: &Fs, walk: bool) -> JournalSummary {
        let j = &self.journal;
        if walk || (j.sb.s_start.0 != 0 && j.refused.is_none()) {
            self.walk(fs);
        }
        let j = &self.journal;
        let info = j.info();
        let (location, inode) = match &j.location {
            JournalLocation::Internal { inode } => (format!("inode {inode}"), Some(*inode)),
            JournalLocation::External { uuid, device } => {
                (format!("an external device (0x{device:x}, UUID {uuid}): not in this image"), None)
            }
        };
        let mut s = JournalSummary {
            location,
            inode,
            superblock: info,
            superblock_block: j.fs_block(0),
            needs_recovery: j.needs_recovery,
            refused: j.refused.clone(),
            walked: self.log.is_some(),
            live: 0,
            history: 0,
            end: None,
            end_block: None,
            crash_points: Vec::new(),
            replay_blocks: 0,
            verdict: Vec::new(),
            log_blocks: 0,
            ring: j.ring_len(),
            fast_commit: None,
            problems: j.problems.iter().take(MAX_PROBLEMS).cloned().collect(),
            problems_total: j.problems.len(),
        };
        if let Some(r) = &j.refused {
            s.verdict.push(format!("Recovery would not use this journal: {r}."));
        }
        let Some(log) = &self.log else {
            if j.refused.is_none() {
                s.verdict.push("The journal is empty (s_start 0): e2fsck replays nothing.".to_string());
            }
            return s;
        };
        s.live = log.transactions.len() as u32;
        s.history = log.history.len() as u32;
        s.problems = log.problems.iter().take(MAX_PROBLEMS).cloned().collect();
        s.problems_total = log.problems.len();
        s.fast_commit = log.fast_commit.as_ref().and_then(|f| serde_json::to_value(f).ok());
        s.log_blocks = log.transactions.iter().map(|t| t.journal_blocks() as u64).sum();
        let replayed: Vec<&Transaction> = log.replayed().collect();
        s.crash_points = replayed.iter().map(|t| t.sequence).collect();
        s.replay_blocks = replayed
            .iter()
            .flat_map(|t| t.blocks.iter().map(move |b| (t.sequence, b)))
            .filter(|(seq, b)| b.checksum_ok != Some(false) && !self.revoked_after(*seq, b.fs_block))
            .count() as u64;
        if !log.needs_recovery && !log.transactions.is_empty() {
            s.verdict.push(
                "needs_recovery is clear, but the journal has data: e2fsck asks \"Run journal anyway?\""
                    .to_string(),
            );
        }
        match &log.end {
            None if j.refused.is_none() => {
                s.verdict.push("The journal is empty (s_start 0): e2fsck replays nothing.".to_string());
            }
            None => {}
            Some(e) => {
                if let Some(err) = &e.error {
                    s.verdict.push(format!("Recovery fails: {err}; nothing is replayed."));
                } else if let (Some(a), Some(z)) = (replayed.first(), replayed.last()) {
                    let n = replayed.len();
                    let range = if n == 1 {
                        format!("transaction {}", a.sequence)
                    } else {
                        format!("transactions {}–{}", a.sequence, z.sequence)
                    };
                    s.verdict.push(format!(
                        "e2fsck replays {range} ({n} transaction{}, {} block{} written home).",
                        if n == 1 { "" } else { "s" },
                        s.replay_blocks,
                        if s.replay_blocks == 1 { "" } else { "s" }
                    ));
                } else {
                    s.verdict.push("No committed transaction to replay.".to_string());
                }
                if let Some(f) = e.failed_commit {
                    s.verdict.push(format!("Journal transaction {f} was corrupt, replay was aborted."));
                }
                s.verdict.push(format!("The log ends at journal block {}: {}.", e.journal_block, e.reason));
                s.end_block = j.fs_block(e.journal_block);
                s.end = Some(e.clone());
            }
        }
        s
    }

    /// Recovery skips block `b` logged in transaction `seq`: a replayed
    /// transaction with a sequence ≥ `seq` revokes it.
    fn revoked_after(&self, seq: u32, b: u64) -> bool {
        self.revoked.get(&b).is_some_and(|&r| !tid_gt(seq, r))
    }

    fn count(&self) -> usize {
        let log = self.log();
        log.history.len() + log.transactions.len()
    }

    /// A transaction by sequence: (its timeline index, history?, it). The
    /// live log first (history sequences are older).
    fn find(&self, seq: u32) -> Option<(usize, bool, &Transaction)> {
        let log = self.log();
        if let Some(i) = log.transactions.iter().position(|t| t.sequence == seq) {
            return Some((log.history.len() + i, false, &log.transactions[i]));
        }
        log.history.iter().position(|t| t.sequence == seq).map(|i| (i, true, &log.history[i]))
    }

    fn at_index(&self, i: usize) -> Option<(bool, &Transaction)> {
        let log = self.log();
        match i.checked_sub(log.history.len()) {
            None => log.history.get(i).map(|t| (true, t)),
            Some(k) => log.transactions.get(k).map(|t| (false, t)),
        }
    }

    fn summarise(&self, index: usize, history: bool, t: &Transaction) -> TxSummary {
        let bad = t
            .descriptors
            .iter()
            .chain(t.revoke_blocks.iter())
            .filter(|d| d.checksum_ok == Some(false))
            .count()
            + t.blocks.iter().filter(|b| b.checksum_ok == Some(false)).count()
            + usize::from(t.checksum_ok == Some(false));
        let skipped = if t.replayed {
            t.blocks.iter().filter(|b| self.revoked_after(t.sequence, b.fs_block)).count()
        } else {
            0
        };
        TxSummary {
            index: index as u32,
            sequence: t.sequence,
            history,
            start: t.start,
            end: t.end,
            committed: t.committed,
            replayed: t.replayed,
            checksum_ok: t.checksum_ok,
            commit_time: t.commit_time,
            commit_nsec: t.commit_nsec,
            descriptors: t.descriptors.len() as u32,
            revoke_blocks: t.revoke_blocks.len() as u32,
            blocks: t.blocks.len() as u32,
            revoked: t.revoked.len() as u32,
            bad: bad as u32,
            skipped: skipped as u32,
            cells: String::new(),
        }
    }

    /// Position of journal block `jb` from `start` around the ring.
    fn offset(&self, start: u32, jb: u32) -> u64 {
        let j = &self.journal;
        let ring = u64::from(j.ring_len().max(1));
        let rel = |x: u32| u64::from(x.saturating_sub(j.first));
        (rel(jb) + ring - rel(start) % ring) % ring
    }

    /// Journal blocks `jbs` as `fs` holds them, coalesced into host reads.
    fn read_many(&self, fs: &Fs, jbs: &[u32]) -> HashMap<u32, ext4scope_core::io::Block> {
        let mut out = HashMap::new();
        let phys: Vec<(u32, Option<u64>)> = jbs.iter().map(|&j| (j, self.journal.fs_block(j))).collect();
        let mut i = 0;
        while i < phys.len() {
            let Some(p0) = phys[i].1 else {
                i += 1;
                continue;
            };
            let mut k = i + 1;
            while k < phys.len() && k - i < READ_RUN && phys[k].1 == Some(p0 + (k - i) as u64) {
                k += 1;
            }
            match fs.image().blocks(p0, (k - i) as u64) {
                Ok(v) => {
                    for (n, b) in v.into_iter().enumerate() {
                        out.insert(phys[i + n].0, b);
                    }
                }
                Err(_) => {
                    // One at a time, so a bad block spoils only itself.
                    for &(j, p) in &phys[i..k] {
                        if let Some(b) = p.and_then(|p| fs.block(p).ok()) {
                            out.insert(j, b);
                        }
                    }
                }
            }
            i = k;
        }
        out
    }

    /// The timeline cells of `t`, in journal order (the layout index is built first).
    fn cells(&self, fs: &Fs, t: &Transaction) -> Vec<u8> {
        let Some(layout) = self.layout.as_ref() else { return Vec::new() };
        let mut v: Vec<(u64, u8)> = Vec::with_capacity(t.journal_blocks());
        let bad = |ok: Option<bool>| if ok == Some(false) { cell::BAD } else { 0 };
        for d in &t.descriptors {
            v.push((self.offset(t.start, d.journal_block), cell::DESCRIPTOR | bad(d.checksum_ok)));
        }
        for d in &t.revoke_blocks {
            v.push((self.offset(t.start, d.journal_block), cell::REVOKE | bad(d.checksum_ok)));
        }
        if let Some(c) = t.commit_block {
            v.push((self.offset(t.start, c), cell::COMMIT | bad(t.checksum_ok)));
        }
        // Logged blocks: layout metadata by their home, the rest by content.
        let mut sniff_these: Vec<usize> = Vec::new();
        let mut logged: Vec<(u64, u8)> = Vec::with_capacity(t.blocks.len());
        for (i, b) in t.blocks.iter().enumerate() {
            let mut code = match (b.unreadable, layout.kind(fs, b.fs_block)) {
                (true, _) => cell::UNREADABLE,
                (false, Some(k)) => cell::KIND + k as u8,
                (false, None) => {
                    sniff_these.push(i);
                    cell::LOGGED
                }
            };
            code |= bad(b.checksum_ok);
            if t.replayed && self.revoked_after(t.sequence, b.fs_block) {
                code |= cell::SKIPPED;
            }
            logged.push((self.offset(t.start, b.journal_block), code));
        }
        for chunk in sniff_these.chunks(READ_RUN) {
            let jbs: Vec<u32> = chunk.iter().map(|&i| t.blocks[i].journal_block).collect();
            let got = self.read_many(fs, &jbs);
            for &i in chunk {
                if let Some(k) = got
                    .get(&t.blocks[i].journal_block)
                    .and_then(|d| kind_by_content(&escaped(&t.blocks[i], d), fs.block_size()))
                {
                    logged[i].1 = (logged[i].1 & !cell::CODE) | (cell::KIND + k as u8);
                }
            }
        }
        v.extend(logged);
        v.sort_by_key(|c| c.0);
        v.into_iter().map(|c| c.1).collect()
    }

    /// Transactions `start..` of the timeline, with their cells.
    pub fn page(&mut self, fs: &Fs, start: u32, count: u32) -> (u32, Vec<TxSummary>) {
        self.walk(fs);
        let total = self.count() as u32;
        let end = start.saturating_add(count.clamp(1, MAX_TX_PAGE)).min(total);
        if self.layout.is_none() {
            self.layout = Some(LayoutIndex::new(fs));
        }
        let mut out = Vec::new();
        let mut cells = 0usize;
        for i in start..end {
            if !out.is_empty() && cells >= MAX_PAGE_CELLS {
                break;
            }
            let Some((history, t)) = self.at_index(i as usize) else { break };
            let mut s = self.summarise(i as usize, history, t);
            let c = self.cells(fs, t);
            cells += c.len();
            s.cells = b64::encode(&c);
            out.push(s);
        }
        (total, out)
    }

    /// The overlay and report of crash point `crash` (replayed once, kept for a while).
    fn replay(&mut self, fs: &Fs, crash: CrashPoint) -> Result<(Rc<Overlay>, ReplayInfo), WorkerError> {
        self.walk(fs);
        if let Some(i) = self.replays.iter().position(|r| r.0 == crash) {
            let r = self.replays.remove(i);
            let out = (r.1.clone(), r.2.clone());
            self.replays.push(r);
            return Ok(out);
        }
        let through = match crash {
            CrashPoint::Disk => return Ok((under(fs, Overlay::new()), empty_replay(&self.journal))),
            CrashPoint::All => None,
            CrashPoint::After(n) => {
                if !self.log().replayed().any(|t| t.sequence == n) {
                    let points: Vec<String> = self.log().replayed().map(|t| t.sequence.to_string()).collect();
                    return Err(not_found(format!(
                        "transaction {n} is not a crash point of this journal (recovery replays {})",
                        if points.is_empty() { "nothing".to_string() } else { points.join(", ") }
                    )));
                }
                Some(n)
            }
        };
        let r = self.journal.replay(fs, self.log(), through)?;
        let rep = &r.report;
        let info = ReplayInfo {
            transactions: rep.transactions.clone(),
            replayed_blocks: rep.replayed_blocks,
            distinct_blocks: rep.distinct_blocks,
            revoke_hits: rep.revoke_hits,
            revokes: rep.revokes,
            bad_checksums: rep.bad_checksums.len(),
            next_sequence: rep.next_sequence,
            e2fsck: rep.e2fsck.clone(),
            problems: rep.problems.iter().take(MAX_PROBLEMS).cloned().collect(),
        };
        let overlay = under(fs, r.overlay);
        if self.replays.len() >= MAX_REPLAYS {
            self.replays.remove(0);
        }
        self.replays.push((crash, overlay.clone(), info.clone()));
        Ok((overlay, info))
    }

    /// The image as of `crash`, opened, and what the replay did.
    pub fn state(&mut self, base: &Fs, crash: CrashPoint) -> Result<(Option<Fs>, ReplayInfo), WorkerError> {
        if crash == CrashPoint::Disk {
            return Ok((None, empty_replay(&self.journal)));
        }
        let (overlay, info) = self.replay(base, crash)?;
        Ok((Some(base.with_overlay(overlay)?), info))
    }

    /// A state with its ownership scan run (up to [`DECODE_SCAN_BUDGET`]), for decoding.
    fn decoder(&mut self, base: &Fs, crash: CrashPoint) -> Result<usize, WorkerError> {
        if let Some(i) = self.decoders.iter().position(|d| d.crash == crash) {
            return Ok(i);
        }
        let fs = match self.state(base, crash)?.0 {
            Some(fs) => fs,
            None => base.clone(),
        };
        let mut scan = Scanner::new(&fs);
        // A scan that fails part way still names what it reached.
        let _ = scan.step(&fs, DECODE_SCAN_BUDGET);
        if self.decoders.len() >= MAX_DECODERS {
            self.decoders.remove(0);
        }
        self.decoders.push(Decoder { crash, fs, scan });
        Ok(self.decoders.len() - 1)
    }

    /// Transaction `seq` with logged blocks `start..start+count` decoded and
    /// diffed against the state before it.
    pub fn transaction(
        &mut self,
        base: &Fs,
        seq: u32,
        start: u32,
        count: u32,
    ) -> Result<TxDetail, WorkerError> {
        self.walk(base);
        let (index, history, t) = match self.find(seq) {
            Some((i, h, t)) => (i, h, t.clone()),
            None => return Err(not_found(format!("the journal has no transaction {seq}"))),
        };
        let log_len = self.log().history.len();
        let prev = index.checked_sub(1).and_then(|i| self.at_index(i)).map(|(_, t)| t.sequence);
        let next = self.at_index(index + 1).map(|(_, t)| t.sequence);
        let decoded_in = if history {
            CrashPoint::Disk
        } else if t.replayed {
            CrashPoint::After(seq)
        } else {
            CrashPoint::All
        };
        let total = t.blocks.len() as u32;
        let start = start.min(total);
        let end = start.saturating_add(count.clamp(1, MAX_BLOCK_PAGE)).min(total);
        let page: Vec<LogBlock> = t.blocks[start as usize..end as usize].to_vec();
        // The state before it: the replayed transactions before it in the
        // log; the newest copy of each of these blocks recovery would have
        // written by then, under the revoke records in force at that point.
        let (against, copies) = {
            let prior: Vec<&Transaction> = if history {
                Vec::new()
            } else {
                self.log().transactions[..index - log_len].iter().filter(|t| t.replayed).collect()
            };
            let against = if history {
                "the block on disk (an older transaction: the disk may hold later changes)".to_string()
            } else {
                match prior.last() {
                    Some(p) => format!("the block after transaction {}", p.sequence),
                    None => "the block on disk".to_string(),
                }
            };
            let wanted: HashSet<u64> = page.iter().map(|b| b.fs_block).collect();
            let mut revoked_then: HashMap<u64, u32> = HashMap::new();
            for p in &prior {
                for b in p.revoked.iter().filter(|b| wanted.contains(b)) {
                    let e = revoked_then.entry(*b).or_insert(p.sequence);
                    if tid_gt(p.sequence, *e) {
                        *e = p.sequence;
                    }
                }
            }
            let mut copies: BTreeMap<u64, (u32, LogBlock)> = BTreeMap::new();
            for p in &prior {
                for b in p.blocks.iter().filter(|b| wanted.contains(&b.fs_block)) {
                    let revoked = revoked_then.get(&b.fs_block).is_some_and(|&r| !tid_gt(p.sequence, r));
                    if revoked || b.checksum_ok == Some(false) || b.unreadable {
                        continue;
                    }
                    copies.insert(b.fs_block, (p.sequence, b.clone()));
                }
            }
            (against, copies)
        };
        let di = self.decoder(base, decoded_in)?;
        let mut blocks = Vec::with_capacity(page.len());
        let new_copies = {
            let jbs: Vec<u32> = page.iter().map(|b| b.journal_block).collect();
            self.read_many(base, &jbs)
        };
        let old_copies = {
            let jbs: Vec<u32> = copies.values().map(|(_, b)| b.journal_block).collect();
            self.read_many(base, &jbs)
        };
        for (k, b) in page.iter().enumerate() {
            let skipped = if b.checksum_ok == Some(false) {
                Some("its tag checksum fails: recovery does not write it".to_string())
            } else if t.replayed && self.revoked_after(t.sequence, b.fs_block) {
                let r = self.revoked.get(&b.fs_block).copied().unwrap_or(t.sequence);
                Some(format!(
                    "revoked by transaction {r}: recovery through transaction {r} or later does not write it"
                ))
            } else if !t.replayed && !history {
                Some("its transaction is not replayed".to_string())
            } else {
                None
            };
            let mut lb = LoggedBlock {
                index: start + k as u32,
                fs_block: b.fs_block,
                journal_block: b.journal_block,
                copy_block: self.journal.fs_block(b.journal_block),
                flags: b.flags,
                flag_names: flag_names(b.flags).into_iter().map(str::to_string).collect(),
                checksum_ok: b.checksum_ok,
                descriptor: b.descriptor,
                unreadable: b.unreadable,
                skipped,
                change: None,
                error: None,
            };
            let new = match new_copies.get(&b.journal_block) {
                Some(d) => escaped(b, d),
                None => {
                    lb.error = Some(format!("journal block {} cannot be read", b.journal_block));
                    blocks.push(lb);
                    continue;
                }
            };
            let (old, against_here) = match copies.get(&b.fs_block) {
                Some((s, c)) => match old_copies.get(&c.journal_block) {
                    Some(d) => (Ok(escaped(c, d)), format!("its copy in transaction {s}")),
                    None => (Err(format!("journal block {} cannot be read", c.journal_block)), String::new()),
                },
                None => (
                    base.block(b.fs_block).map(|d| d.to_vec()).map_err(|e| e.to_string()),
                    "the block on disk".to_string(),
                ),
            };
            let old = match old {
                Ok(o) => o,
                Err(e) => {
                    lb.error = Some(e);
                    blocks.push(lb);
                    continue;
                }
            };
            let d = &mut self.decoders[di];
            let map: &OwnershipMap = d.scan.map();
            match block_change(&d.fs, Some(map), b.fs_block, &old, &new, against_here) {
                Ok(c) => lb.change = Some(change_of(c)),
                Err(e) => lb.error = Some(e.to_string()),
            }
            blocks.push(lb);
        }
        let meta = |m: &ext4scope_core::journal::log::MetaBlock| MetaBlockInfo {
            journal_block: m.journal_block,
            fs_block: self.journal.fs_block(m.journal_block),
            checksum_ok: m.checksum_ok,
        };
        Ok(TxDetail {
            summary: self.summarise(index, history, &t),
            prev,
            next,
            against,
            decoded_in,
            descriptors: t.descriptors.iter().map(meta).collect(),
            revoke_blocks: t.revoke_blocks.iter().map(meta).collect(),
            commit: t.commit_block.map(|c| MetaBlockInfo {
                journal_block: c,
                fs_block: self.journal.fs_block(c),
                checksum_ok: t.checksum_ok,
            }),
            revoked: t.revoked.iter().take(MAX_REVOKED).copied().collect(),
            start,
            total,
            blocks,
        })
    }

    /// Blocks that differ between crash points `from` and `to`, changes `start..`.
    pub fn diff(
        &mut self,
        base: &Fs,
        from: CrashPoint,
        to: CrashPoint,
        start: u32,
        count: u32,
    ) -> Result<DiffPage, WorkerError> {
        let (oa, _) = self.replay(base, from)?;
        let (ob, _) = self.replay(base, to)?;
        let fa = base.with_overlay(oa.clone())?;
        let fb = base.with_overlay(ob.clone())?;
        let list = match &self.diffs {
            Some((k, v)) if *k == (from, to) => v.clone(),
            _ => {
                let mut blocks: Vec<u64> = oa.written().chain(ob.written()).collect();
                blocks.sort_unstable();
                blocks.dedup();
                let mut v = Vec::new();
                for blk in blocks {
                    if fa.block(blk)? != fb.block(blk)? {
                        v.push(blk);
                    }
                }
                let v = Rc::new(v);
                self.diffs = Some(((from, to), v.clone()));
                v
            }
        };
        let total = list.len() as u32;
        let start = start.min(total);
        let end = start.saturating_add(count.clamp(1, MAX_DIFF_PAGE)).min(total);
        let di = self.decoder(base, to)?;
        let against = format!("the block {}", from.words());
        let mut changes = Vec::new();
        for &blk in &list[start as usize..end as usize] {
            let old = fa.block(blk)?;
            let new = fb.block(blk)?;
            let d = &mut self.decoders[di];
            let map: &OwnershipMap = d.scan.map();
            changes.push(change_of(block_change(&d.fs, Some(map), blk, &old, &new, against.clone())?));
        }
        Ok(DiffPage { from, to, total, start, changes })
    }
}

/// The logged copy with its magic number put back when the tag says it was escaped.
fn escaped(b: &LogBlock, data: &[u8]) -> Vec<u8> {
    ext4scope_core::format::journal::unescape(b.flags, data)
}

/// A block change as the app gets it: the summary lines, not the list of
/// every field (up to 8,192 per bitmap block), which stays in the worker.
fn change_of(c: BlockChange) -> BlockChange {
    BlockChange { fields: Vec::new(), ..c }
}

fn empty_replay(j: &Journal) -> ReplayInfo {
    ReplayInfo {
        transactions: Vec::new(),
        replayed_blocks: 0,
        distinct_blocks: 0,
        revoke_hits: 0,
        revokes: 0,
        bad_checksums: 0,
        next_sequence: j.sb.s_sequence.0,
        e2fsck: Vec::new(),
        problems: Vec::new(),
    }
}

/// Unpack the cells of a [`TxSummary`].
pub fn cells_of(t: &TxSummary) -> Vec<u8> {
    b64::decode(&t.cells).unwrap_or_default()
}

/// Words for a cell code.
pub fn cell_words(code: u8) -> String {
    let what = match code & cell::CODE {
        cell::DESCRIPTOR => "descriptor block".to_string(),
        cell::REVOKE => "revoke block".to_string(),
        cell::COMMIT => "commit block".to_string(),
        cell::LOGGED => "logged block (other metadata)".to_string(),
        cell::UNREADABLE => "logged block (unreadable)".to_string(),
        c if c >= cell::KIND => format!("logged {}", kind_words(OwnerKind::from_code(c - cell::KIND))),
        _ => "block".to_string(),
    };
    let mut s = what;
    if code & cell::BAD != 0 {
        s.push_str(", checksum BAD");
    }
    if code & cell::SKIPPED != 0 {
        s.push_str(", revoked later: recovery skips it");
    }
    s
}

/// A kind in a few words.
pub fn kind_words(k: OwnerKind) -> &'static str {
    use OwnerKind::*;
    match k {
        Free => "free block",
        BootBlock => "boot block",
        Superblock => "superblock",
        GroupDescriptors => "group descriptors",
        ReservedGdt => "reserved GDT block",
        BlockBitmap => "block bitmap",
        InodeBitmap => "inode bitmap",
        InodeTable => "inode table block",
        Mmp => "MMP block",
        Journal => "journal block",
        ResizeInode => "resize inode block",
        Quota => "quota block",
        OrphanFile => "orphan file block",
        BadBlocks => "bad blocks list",
        BootLoader => "boot loader block",
        ReservedInode => "reserved inode block",
        FileData => "file data",
        DirData => "directory block",
        SymlinkData => "symlink target",
        OtherData => "other inode data",
        ExtentTree => "extent tree node",
        Ind => "indirect block",
        Dind => "double indirect block",
        Tind => "triple indirect block",
        Xattr => "xattr block",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::worker::files::{LookupReport, Order};
    use crate::worker::protocol::{Request, Response};
    use crate::worker::session::Session;
    use std::io::Read;

    const FIXTURE: &str = "/../tests/fixtures/crash/kernel-journal";

    fn image() -> Vec<u8> {
        let gz = std::fs::read(format!("{}{FIXTURE}.img.gz", env!("CARGO_MANIFEST_DIR"))).expect("fixture");
        let mut img = Vec::new();
        flate2::read::GzDecoder::new(&gz[..]).read_to_end(&mut img).expect("gunzip");
        img
    }

    fn session() -> Session {
        let mut s = Session::new();
        s.handle(Request::Open { name: "kernel-journal.img".into() }, Some(Box::new(image())));
        assert!(s.is_open());
        s
    }

    /// `debugfs logdump -a`: per sequence, its tags (fs block, journal block, flags) in order.
    fn logdump() -> BTreeMap<u32, Vec<(u64, u32, u32)>> {
        let text = std::fs::read_to_string(format!("{}{FIXTURE}.logdump.txt", env!("CARGO_MANIFEST_DIR")))
            .expect("golden");
        let mut out: BTreeMap<u32, Vec<(u64, u32, u32)>> = BTreeMap::new();
        let mut seq = 0;
        for line in text.lines() {
            if let Some(rest) = line.strip_prefix("Found expected sequence ") {
                seq = rest.split(',').next().and_then(|n| n.parse().ok()).expect("sequence");
                out.entry(seq).or_default();
            } else if let Some(rest) = line.trim().strip_prefix("FS block ") {
                let w: Vec<&str> = rest.split_whitespace().collect();
                // "132 logged at journal block 2 (flags 0x0)"
                let flags = u32::from_str_radix(w[7].trim_start_matches("0x").trim_end_matches(')'), 16)
                    .expect("flags");
                out.entry(seq).or_default().push((
                    w[0].parse().expect("fs"),
                    w[5].parse().expect("jb"),
                    flags,
                ));
            }
        }
        out
    }

    fn summary(s: &mut Session) -> Box<JournalSummary> {
        match s.handle(Request::Journal { walk: false }, None) {
            Response::Journal { summary: Some(j) } => j,
            other => panic!("{}", other.kind()),
        }
    }

    fn set(s: &mut Session, crash: CrashPoint) -> Response {
        s.handle(Request::SetState { crash, sim: None }, None)
    }

    fn lookup(s: &mut Session, path: &str) -> Box<LookupReport> {
        match s.handle(Request::Lookup { path: path.into(), order: Order::Disk }, None) {
            Response::Lookup { report } => report,
            other => panic!("{}", other.kind()),
        }
    }

    fn dir_total(s: &mut Session, ino: u32) -> u32 {
        match s.handle(Request::Dir { ino, start: 0, count: 1, order: Order::Disk }, None) {
            Response::Dir { page } => page.total,
            other => panic!("{}", other.kind()),
        }
    }

    #[test]
    fn summary_and_timeline_equal_logdump() {
        let golden = logdump();
        let mut s = session();
        let j = summary(&mut s);
        assert!(j.walked && j.needs_recovery && j.refused.is_none());
        assert_eq!(j.location, "inode 8");
        assert_eq!((j.superblock.sequence, j.superblock.start), (2, 1));
        assert_eq!(j.superblock.checksum.ok, Some(true));
        assert!(
            j.superblock.features.iter().any(|f| f == "journal_checksum_v3"),
            "{:?}",
            j.superblock.features
        );
        assert_eq!(j.crash_points, golden.keys().copied().collect::<Vec<_>>());
        assert_eq!((j.live, j.history), (3, 0));
        let end = j.end.as_ref().expect("end");
        assert_eq!((end.journal_block, end.sequence, end.failed_commit), (203, 5, None));
        assert!(
            j.verdict.iter().any(|v| v.starts_with("e2fsck replays transactions 2–4 (3 transactions")),
            "{:?}",
            j.verdict
        );

        let Response::JournalPage { start, total, transactions } =
            s.handle(Request::JournalPage { start: 0, count: 1000 }, None)
        else {
            panic!("page")
        };
        assert_eq!((start, total), (0, 3));
        let seqs: Vec<u32> = transactions.iter().map(|t| t.sequence).collect();
        assert_eq!(seqs, [2, 3, 4]);
        for t in &transactions {
            let tags = &golden[&t.sequence];
            assert_eq!(t.blocks as usize, tags.len(), "transaction {}", t.sequence);
            assert!(t.committed && t.replayed && t.bad == 0 && !t.history);
            let c = cells_of(t);
            // One cell per journal block from its first to its commit.
            assert_eq!(c.len() as u32, t.end - t.start, "transaction {}", t.sequence);
            assert_eq!(c.last().map(|x| x & cell::CODE), Some(cell::COMMIT));
            for (fs, jb, _) in tags {
                let code = c[(jb - t.start) as usize];
                assert!(code & cell::CODE >= cell::KIND || code & cell::CODE == cell::LOGGED, "{fs}: {code}");
                let kind = OwnerKind::from_code((code & cell::CODE).wrapping_sub(cell::KIND));
                match fs {
                    1 => assert_eq!(kind, OwnerKind::Superblock),
                    2 => assert_eq!(kind, OwnerKind::GroupDescriptors),
                    _ => {}
                }
            }
        }
        let c2 = cells_of(&transactions[0]);
        assert_eq!(c2[0], cell::DESCRIPTOR);
        // Transaction 3 opens with its revoke block; it revokes /d's directory
        // blocks 1172-1177, which transaction 2 logged: recovery skips those copies.
        assert_eq!(cells_of(&transactions[1])[0] & cell::CODE, cell::REVOKE);
        let t2 = &golden[&2];
        for (fs, jb, _) in t2 {
            let code = c2[(jb - transactions[0].start) as usize];
            assert_eq!(code & cell::SKIPPED != 0, (1172..=1177).contains(fs), "block {fs}");
            if (1172..=1177).contains(fs) {
                assert_eq!(
                    code & cell::CODE,
                    cell::KIND + OwnerKind::DirData as u8,
                    "{fs} is a directory block"
                );
            }
        }
        assert_eq!(transactions[0].skipped, 6);
        // Pages: from the middle, and past the end.
        let Response::JournalPage { transactions, .. } =
            s.handle(Request::JournalPage { start: 2, count: 1 }, None)
        else {
            panic!()
        };
        assert_eq!(transactions.iter().map(|t| t.sequence).collect::<Vec<_>>(), [4]);
        let Response::JournalPage { transactions, .. } =
            s.handle(Request::JournalPage { start: 9, count: 5 }, None)
        else {
            panic!()
        };
        assert!(transactions.is_empty());
    }

    #[test]
    fn transaction_blocks_equal_logdump_and_diff_against_the_state_before() {
        let golden = logdump();
        let mut s = session();
        let base = Fs::open(Box::new(image())).expect("open");
        let j = Journal::open(&base).expect("journal").expect("has one");
        let log = j.log(&base);
        for (&seq, tags) in &golden {
            let Response::Transaction { detail } =
                s.handle(Request::Transaction { sequence: seq, start: 0, count: MAX_BLOCK_PAGE }, None)
            else {
                panic!("transaction {seq}")
            };
            assert_eq!(detail.total as usize, tags.len());
            let got: Vec<(u64, u32, u32)> =
                detail.blocks.iter().map(|b| (b.fs_block, b.journal_block, b.flags)).collect();
            assert_eq!(&got, tags, "transaction {seq}");
            assert_eq!(detail.prev, if seq == 2 { None } else { Some(seq - 1) });
            assert_eq!(detail.next, if seq == 4 { None } else { Some(seq + 1) });
            assert!(detail.commit.as_ref().is_some_and(|c| c.checksum_ok == Some(true)));
            assert_eq!(detail.decoded_in, CrashPoint::After(seq));
            // Against the state after the transaction before it, as the core's
            // replay leaves it; blocks the replay's superblock updates touch
            // (the primary superblock, the journal superblock) aside.
            let before = if seq == 2 {
                base.clone()
            } else {
                base.with_overlay(Rc::new(j.replay(&base, &log, Some(seq - 1)).expect("replay").overlay))
                    .expect("state")
            };
            let jsb = j.fs_block(0).expect("jsb");
            for b in &detail.blocks {
                let c = b.change.as_ref().unwrap_or_else(|| panic!("{seq}/{}: {:?}", b.fs_block, b.error));
                assert!(b.checksum_ok == Some(true));
                if b.fs_block == 1 || b.fs_block == jsb {
                    continue;
                }
                let old = before.block(b.fs_block).expect("old");
                let new = base.block(j.fs_block(b.journal_block).expect("copy")).expect("new");
                let n = old.iter().zip(new.iter()).filter(|(a, b)| a != b).count();
                assert_eq!(c.bytes_changed, n, "transaction {seq}, block {}", b.fs_block);
                assert_eq!(c.identical, n == 0);
            }
            let what =
                |blk: u64| detail.blocks.iter().find(|b| b.fs_block == blk).and_then(|b| b.change.clone());
            if tags.iter().any(|t| t.0 == 1) {
                assert_eq!(what(1).and_then(|c| c.kind), Some(OwnerKind::Superblock));
            }
            assert_eq!(what(2).and_then(|c| c.kind), Some(OwnerKind::GroupDescriptors));
            if seq == 2 {
                // /d's directory blocks: entries added, decoded in the state after 2.
                let d: Vec<BlockChange> = (1172..=1177).filter_map(what).collect();
                assert_eq!(d.len(), 6);
                assert!(d.iter().all(|c| c.kind == Some(OwnerKind::DirData)), "{d:?}");
                // The kernel had already written 1173-1177 home (the copies on
                // disk equal the logged ones); 1172 went on to hold /e's entries.
                assert!(d[1..].iter().all(|c| c.identical), "{d:?}");
                assert!(
                    d[0].summary.iter().any(|l| l == "directory: entry 'g1' removed (was inode 13)"),
                    "{:?}",
                    d[0].summary
                );
                let skipped =
                    detail.blocks.iter().find(|b| b.fs_block == 1172).and_then(|b| b.skipped.clone());
                assert!(skipped.is_some_and(|s| s.contains("revoked by transaction 3")));
                // An inode table block: inode fields named.
                let it = detail
                    .blocks
                    .iter()
                    .filter_map(|b| b.change.as_ref())
                    .find(|c| c.kind == Some(OwnerKind::InodeTable))
                    .expect("inode table");
                assert!(it.summary.iter().any(|l| l.starts_with("inode ")), "{:?}", it.summary);
            }
            if seq == 3 {
                assert_eq!(detail.revoked.len(), 6);
                assert_eq!(detail.revoke_blocks.len(), 1);
                assert!(detail.against.contains("after transaction 2"));
            }
        }
        // Paging and a missing transaction.
        let Response::Transaction { detail } =
            s.handle(Request::Transaction { sequence: 2, start: 80, count: 5 }, None)
        else {
            panic!()
        };
        assert_eq!((detail.start, detail.blocks.len()), (80, 5));
        assert_eq!(detail.blocks[0].fs_block, golden[&2][80].0);
        assert!(matches!(
            s.handle(Request::Transaction { sequence: 99, start: 0, count: 1 }, None),
            Response::Failed { .. }
        ));
    }

    #[test]
    fn set_state_switches_every_view_and_keeps_the_fingerprint() {
        let mut s = session();
        let Response::Info { info: disk } = s.handle(Request::Info, None) else { panic!() };
        // On disk: /e, no /d.
        assert!(lookup(&mut s, "/e").ino.is_some());
        assert!(lookup(&mut s, "/d").ino.is_none());
        // After transaction 2: /d with its 300 files; inode 12 is /d.
        let Response::State { crash, info, replay, .. } = set(&mut s, CrashPoint::After(2)) else {
            panic!("state")
        };
        assert_eq!(crash, CrashPoint::After(2));
        assert_eq!(s.crash(), CrashPoint::After(2));
        assert_eq!(info.fingerprint, disk.fingerprint, "links name the image on disk");
        assert_eq!(replay.transactions, [2]);
        assert_eq!(replay.replayed_blocks, 89);
        let d = lookup(&mut s, "/d").ino.expect("/d after transaction 2");
        assert_eq!(dir_total(&mut s, d), 300);
        assert!(lookup(&mut s, "/e").ino.is_none());
        let Response::Inode { report, .. } = s.handle(Request::Inode { ino: 12 }, None) else { panic!() };
        assert_eq!(report.size, 6144);
        // Info follows the state: needs_recovery cleared by the replay.
        assert!(disk.features.iter().any(|f| f == "needs_recovery"));
        assert!(!info.features.iter().any(|f| f == "needs_recovery"));
        // After 3: /d removed, /e not there yet. After all: /e again.
        set(&mut s, CrashPoint::After(3));
        assert!(lookup(&mut s, "/d").ino.is_none() && lookup(&mut s, "/e").ino.is_none());
        let Response::State { replay, .. } = set(&mut s, CrashPoint::All) else { panic!() };
        assert_eq!(replay.transactions, [2, 3, 4]);
        assert!(lookup(&mut s, "/e").ino.is_some());
        // A sequence that is not a crash point fails and leaves the state alone.
        let Response::Failed { error } = set(&mut s, CrashPoint::After(7)) else { panic!("7") };
        assert!(error.to_string().contains("not a crash point"), "{error}");
        assert_eq!(s.crash(), CrashPoint::All);
        // Back to the disk.
        let Response::State { info, .. } = set(&mut s, CrashPoint::Disk) else { panic!() };
        assert_eq!(info.fingerprint, disk.fingerprint);
        assert!(info.features.iter().any(|f| f == "needs_recovery"));
        assert!(lookup(&mut s, "/d").ino.is_none());
    }

    #[test]
    fn export_streams_the_state_as_the_core_exports_it() {
        let mut s = session();
        set(&mut s, CrashPoint::After(3));
        let mut got = Vec::new();
        let mut offset = 0u64;
        let mut zero_chunks = 0;
        loop {
            let Response::ImageChunk { offset: o, len, data, size, crash } =
                s.handle(Request::Export { offset, len: crate::worker::protocol::MAX_CHUNK }, None)
            else {
                panic!("chunk")
            };
            assert_eq!((o, crash), (offset, CrashPoint::After(3)));
            if len == 0 {
                assert_eq!(offset, size);
                break;
            }
            match data {
                Some(d) => got.extend(b64::decode(&d).expect("b64")),
                None => {
                    zero_chunks += 1;
                    got.resize(got.len() + len as usize, 0);
                }
            }
            offset += u64::from(len);
        }
        assert!(zero_chunks > 0, "an empty 16 MiB image has all-zero MiBs");
        let base = Fs::open(Box::new(image())).expect("open");
        let j = Journal::open(&base).expect("j").expect("journal");
        let log = j.log(&base);
        let state = base
            .with_overlay(Rc::new(j.replay(&base, &log, Some(3)).expect("replay").overlay))
            .expect("state");
        let mut want = vec![0u8; state.image().len() as usize];
        ext4scope_core::journal::replay::export(&state, 1 << 20, &mut |off, d| {
            if let Some(d) = d {
                want[off as usize..off as usize + d.len()].copy_from_slice(d);
            }
            Ok(())
        })
        .expect("export");
        assert!(got == want, "exported bytes differ");
    }

    #[test]
    fn diff_between_crash_points() {
        let mut s = session();
        let Response::JournalDiff { page } = s.handle(
            Request::JournalDiff { from: CrashPoint::Disk, to: CrashPoint::After(2), start: 0, count: 1000 },
            None,
        ) else {
            panic!("diff")
        };
        assert!(page.total > 0 && page.changes.len() as u32 == page.total.min(MAX_DIFF_PAGE));
        let dir = page.changes.iter().find(|c| c.fs_block == 1172).expect("/d's first directory block");
        assert_eq!(dir.kind, Some(OwnerKind::DirData));
        assert!(dir.summary.iter().any(|l| l.contains("entry 'g1' removed")), "{:?}", dir.summary);
        // The inode of /d (12) is written: its size is the directory's.
        let it = page
            .changes
            .iter()
            .find(|c| c.summary.iter().any(|l| l.starts_with("inode 12:")))
            .expect("inode 12");
        assert_eq!(it.kind, Some(OwnerKind::InodeTable));
        assert!(page.changes.iter().all(|c| !c.identical && c.against == "the block as on disk"));
        // From a state to itself: nothing.
        let Response::JournalDiff { page } = s.handle(
            Request::JournalDiff { from: CrashPoint::All, to: CrashPoint::All, start: 0, count: 10 },
            None,
        ) else {
            panic!()
        };
        assert_eq!(page.total, 0);
    }

    #[test]
    fn images_without_a_journal_answer_none() {
        let path = format!("{}/../tests/fixtures/images/ext2.img.gz", env!("CARGO_MANIFEST_DIR"));
        let gz = std::fs::read(path).expect("fixture");
        let mut img = Vec::new();
        flate2::read::GzDecoder::new(&gz[..]).read_to_end(&mut img).expect("gunzip");
        let mut s = Session::new();
        s.handle(Request::Open { name: "ext2".into() }, Some(Box::new(img)));
        assert!(matches!(
            s.handle(Request::Journal { walk: true }, None),
            Response::Journal { summary: None }
        ));
        assert!(matches!(set(&mut s, CrashPoint::Disk), Response::State { .. }));
        assert!(matches!(set(&mut s, CrashPoint::All), Response::Failed { .. }));
    }

    /// Every journal answer survives the JSON trip to the app (the app decodes
    /// what the worker encodes).
    #[test]
    fn journal_answers_round_trip_as_json() {
        use crate::worker::protocol::{decode, encode, Envelope};
        let mut s = session();
        for r in [
            Request::Journal { walk: true },
            Request::JournalPage { start: 0, count: 10 },
            Request::Transaction { sequence: 3, start: 0, count: 10 },
            Request::JournalDiff { from: CrashPoint::Disk, to: CrashPoint::All, start: 0, count: 5 },
            Request::SetState { crash: CrashPoint::After(2), sim: None },
            Request::Export { offset: 1024, len: 4096 },
        ] {
            let req: Envelope<Request> = decode(&encode(1, &r)).expect("request decodes");
            assert_eq!(req.body, r);
            let answer = s.handle(r, None);
            assert!(!matches!(answer, Response::Failed { .. }), "{}", answer.kind());
            let json = encode(7, &answer);
            let back: Envelope<Response> = decode(&json).unwrap_or_else(|e| panic!("{}: {e}", answer.kind()));
            assert_eq!(encode(7, &back.body), json, "{}", answer.kind());
        }
    }
}
