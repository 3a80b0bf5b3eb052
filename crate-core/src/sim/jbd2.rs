//! The jbd2 log writer: a committed transaction turned into the journal
//! blocks the kernel writes for it, byte for byte, in this journal's format.
//!
//! It mirrors, in the kernel's `fs/jbd2`:
//! - `jbd2_journal_load` → `jbd2_journal_recover` (clean journal:
//!   `j_transaction_sequence = s_sequence + 1`) → `journal_reset` (`j_head =
//!   j_tail = j_first`, `j_free = j_last - j_first`, and `JBD2_FLUSHED`: the
//!   superblock update is deferred to the first commit) — [`LogWriter::new`];
//! - `jbd2_journal_commit_transaction` — [`LogWriter::commit`]: the deferred
//!   superblock write (`s_sequence`, `s_start`; `REQ_SYNC` only), then the
//!   revoke blocks (`jbd2_journal_write_revoke_records`: records in hash-bucket
//!   order, `r_count`, the block tail checksum), then descriptor blocks each
//!   followed by its logged copies (a copy whose first word is the jbd2 magic
//!   is logged with that word zeroed and `JBD2_FLAG_ESCAPE`; the first tag of
//!   a descriptor is followed by the journal UUID, the others carry
//!   `JBD2_FLAG_SAME_UUID`; `JBD2_FLAG_LAST_TAG` on the last; a descriptor is
//!   closed when less than `tag_bytes + 16 + csum_size` is left or
//!   `j_wbufsize` buffers are queued), then the commit block
//!   (`journal_submit_commit_record`: commit time, the v1 crc32 of descriptors
//!   and copies, or the v2/v3 crc32c; `REQ_PREFLUSH | REQ_FUA` unless
//!   `async_commit`, which flushes after the commit block instead);
//!   `jbd2_journal_next_log_block` hands out log blocks around the ring
//!   (`j_first..j_last`, the fast-commit area after `j_last` is never used);
//! - `jbd2_journal_revoke` — the `INCOMPAT_REVOKE` feature set in the
//!   in-memory superblock (written with the next superblock write);
//! - `jbd2_cleanup_journal_tail` → `jbd2_journal_get_log_tail` →
//!   `__jbd2_update_log_tail` — [`LogWriter::checkpointed`]: a flush of the
//!   file-system device, then the superblock with the new tail, `REQ_FUA`;
//! - `jbd2_journal_destroy` → `jbd2_mark_journal_empty` —
//!   [`LogWriter::unmount`]: `j_tail_sequence = ++j_transaction_sequence`,
//!   `s_start = 0`, `s_head = j_head`, fast commit cleared in the copy
//!   written; `REQ_PREFLUSH | REQ_FUA`; nothing when the log was never used;
//! - `jbd2_journal_set_features` / `jbd2_journal_clear_features` and ext4's
//!   `set_journal_csum_feature_set` — the features a mount gives the journal
//!   (a journal fresh from mkfs has none: the kernel adds them at mount).
//!
//! Layouts (headers, tags, revoke records, checksums) come from
//! [`crate::format::journal`]; nothing here repeats a field table.
//!
//! Checked against the kernel (`crate-core/tests/sim_jbd2.rs`): every
//! transaction of the kernel-written fixtures comes out byte for byte, as do
//! the first commit's superblock and the unmount's.
//!
//! Left to the caller (the simulator), as the kernel's callers decide them:
//! when to commit and how big a transaction may grow
//! ([`LogWriter::max_transaction_blocks`]); when to checkpoint (the kernel
//! also moves the tail inside a commit, after the commit block, once a
//! quarter of the log is reclaimable: call [`LogWriter::checkpointed`]
//! there); the data blocks `data=ordered` writes before the log; the content
//! of each buffer at commit time (ext4's checksum triggers included). Not
//! modelled: fast commits, `journal_cycle_record`, aborts.

use alloc::collections::VecDeque;
use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use crate::checksum::{crc32_be, Crc32c};
use crate::error::{Error, Location, Result};
use crate::format::journal::{
    JournalFeatures, JournalHeader, JournalSuperblock, RevokeHeader, BT_COMMIT, BT_DESCRIPTOR, BT_REVOKE,
    BT_SUPERBLOCK_V2, COMPAT_CHECKSUM, INCOMPAT_64BIT, INCOMPAT_ASYNC_COMMIT, INCOMPAT_CSUM_V2,
    INCOMPAT_CSUM_V3, INCOMPAT_FAST_COMMIT, INCOMPAT_REVOKE, JBD2_MAGIC, TAG_ESCAPE, TAG_LAST, TAG_SAME_UUID,
};
use crate::io::Block;
use crate::journal::log::tid_gt;
use crate::journal::{Journal, KNOWN_INCOMPAT};

/// `JBD2_MIN_JOURNAL_BLOCKS`: `journal_reset` refuses a shorter log.
pub const MIN_JOURNAL_BLOCKS: u32 = 1024;
/// `JOURNAL_REVOKE_DEFAULT_HASH`: buckets of the revoke table (a power of two).
pub const REVOKE_HASH_SIZE: usize = 256;
/// `JBD2_CRC32_CHKSUM`: `h_chksum_type` of a v1 commit checksum.
const CRC32_CHKSUM: u8 = 1;
/// `JBD2_CRC32_CHKSUM_SIZE`.
const CRC32_CHKSUM_SIZE: u8 = 4;
/// `JBD2_CRC32C_CHKSUM`: `s_checksum_type` with v3 checksums.
const CRC32C_CHKSUM: u8 = 4;
/// `GOLDEN_RATIO_64`, the multiplier of the kernel's `hash_64` (64-bit builds).
const GOLDEN_RATIO_64: u64 = 0x61C8_8646_80B5_83EB;

// Journal superblock byte offsets (`journal_superblock_t`), for the fields
// the writer changes; the field table is `JOURNAL_SUPERBLOCK_FIELDS`.
const SB_SEQUENCE: usize = 0x18;
const SB_START: usize = 0x1C;
const SB_COMPAT: usize = 0x24;
const SB_INCOMPAT: usize = 0x28;
const SB_RO_COMPAT: usize = 0x2C;
const SB_CHECKSUM_TYPE: usize = 0x50;
const SB_HEAD: usize = 0x58;
const SB_CHECKSUM: usize = 0xFC;

/// One committed transaction's content, as ext4 hands it to jbd2.
#[derive(Debug, Clone, Default)]
pub struct TxContent {
    /// The buffers of the transaction in `t_buffers` order (the order of
    /// their first `jbd2_journal_dirty_metadata` in the transaction, which
    /// files them at the list's tail), each with its home file-system block
    /// and its content at commit time (block-size bytes). A home named twice is logged once, at
    /// its first place, with the last content (a buffer joins a transaction
    /// once).
    pub blocks: Vec<(u64, Block)>,
    /// Blocks revoked by the transaction, in the order `jbd2_journal_revoke`
    /// was called (a repeat is ignored, as the kernel finds the record).
    pub revoked: Vec<u64>,
    /// `h_commit_sec`, `h_commit_nsec`: the clock when the commit block is written.
    pub commit_time: (u64, u32),
}

/// What a journal write is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JKind {
    /// The journal superblock (journal block 0).
    Superblock,
    /// A descriptor block.
    Descriptor,
    /// A logged copy of home block `home`; `escaped`: its first word (the
    /// jbd2 magic) is zeroed in the log and the tag says `JBD2_FLAG_ESCAPE`.
    Copy {
        /// Home file-system block.
        home: u64,
        /// Logged escaped.
        escaped: bool,
    },
    /// A revoke block.
    Revoke,
    /// The commit block.
    Commit,
}

/// One block write to the journal, in submission order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JWrite {
    /// Journal-relative block number.
    pub jblock: u32,
    /// Where it lands on the device (file-system block).
    pub fs_block: u64,
    /// The whole block.
    pub data: Block,
    /// What it is.
    pub kind: JKind,
    /// `REQ_PREFLUSH` (or a `blkdev_issue_flush` right before it): every
    /// earlier write is on stable storage before this one is.
    pub flush_before: bool,
    /// `REQ_FUA`: this block is on stable storage when the write completes.
    pub fua: bool,
    /// A `blkdev_issue_flush` of the journal device once this write is done
    /// (the `async_commit` commit block).
    pub flush_after: bool,
}

/// A transaction in the log, not yet checkpointed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Logged {
    tid: u32,
    /// `t_log_start`.
    start: u32,
}

/// The mount options and file-system features that decide the journal's
/// features (ext4's `set_journal_csum_feature_set`, and `journal_64bit` for
/// a 64bit file system).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MountFeatures {
    /// The file system has `metadata_csum` (then `journal_checksum` is on by default).
    pub metadata_csum: bool,
    /// The file system has `64bit`.
    pub is_64bit: bool,
    /// Mounted with `journal_checksum`.
    pub journal_checksum: bool,
    /// Mounted with `journal_async_commit`.
    pub async_commit: bool,
}

/// The jbd2 writer state of one mounted journal.
#[derive(Debug, Clone)]
pub struct LogWriter {
    journal: Journal,
    /// The in-memory journal superblock (`j_superblock`), a whole block.
    sb: Vec<u8>,
    features: JournalFeatures,
    /// `j_first`, `j_last`.
    first: u32,
    last: u32,
    /// `j_head`: the next log block to hand out.
    head: u32,
    /// `j_tail`, `j_tail_sequence`.
    tail: u32,
    tail_sequence: u32,
    /// `j_transaction_sequence`: the tid of the next transaction.
    next: u32,
    /// `j_free`.
    free: u32,
    /// `JBD2_FLUSHED`: the superblock says the log is empty; the next commit
    /// writes it first.
    flushed: bool,
    /// `JBD2_BARRIER` (ext4's default `barrier` mount option).
    pub barrier: bool,
    /// Committed transactions still in the log, oldest first.
    logged: VecDeque<Logged>,
}

fn err(message: String) -> Error {
    Error::corrupt("jbd2 log writer", Location::default(), message)
}

fn be32_at(b: &[u8], off: usize) -> u32 {
    let mut a = [0u8; 4];
    if let Some(s) = b.get(off..off + 4) {
        a.copy_from_slice(s);
    }
    u32::from_be_bytes(a)
}

fn put_be32(b: &mut [u8], off: usize, v: u32) {
    if let Some(s) = b.get_mut(off..off + 4) {
        s.copy_from_slice(&v.to_be_bytes());
    }
}

fn put_be64(b: &mut [u8], off: usize, v: u64) {
    if let Some(s) = b.get_mut(off..off + 8) {
        s.copy_from_slice(&v.to_be_bytes());
    }
}

/// The revoke-table bucket of `block` (`hash_64(block, 8)` on a 64-bit kernel).
pub fn revoke_bucket(block: u64) -> usize {
    let bits = REVOKE_HASH_SIZE.trailing_zeros();
    (block.wrapping_mul(GOLDEN_RATIO_64) >> (64 - bits)) as usize
}

/// Revoke records in the order `jbd2_journal_write_revoke_records` writes
/// them: bucket by bucket, the newest record of a bucket first (records are
/// added at the head of the bucket's list); a repeat is dropped.
pub fn revoke_order(revoked: &[u64]) -> Vec<u64> {
    let mut seen: Vec<u64> = Vec::with_capacity(revoked.len());
    for &b in revoked {
        if !seen.contains(&b) {
            seen.push(b);
        }
    }
    let mut keyed: Vec<(usize, usize, u64)> =
        seen.iter().enumerate().map(|(i, &b)| (revoke_bucket(b), usize::MAX - i, b)).collect();
    keyed.sort_unstable();
    keyed.into_iter().map(|(_, _, b)| b).collect()
}

impl LogWriter {
    /// Writer state as `jbd2_journal_load` leaves it for this journal: a
    /// clean journal (`s_start == 0`) gets its first tid `s_sequence + 1`,
    /// head and tail at `s_first`, the whole ring free, and the superblock
    /// update deferred to the first commit (`JBD2_FLUSHED`). A journal that
    /// needs recovery is refused: replay it first.
    pub fn new(journal: &Journal) -> Result<LogWriter> {
        if journal.needs_recovery || journal.sb.s_start.0 != 0 {
            return Err(err(format!(
                "the journal needs recovery (s_start {}, needs_recovery {}): replay it before writing new transactions",
                journal.sb.s_start.0, journal.needs_recovery
            )));
        }
        let mut w = Self::base(journal)?;
        let tid = journal.sb.s_sequence.0.wrapping_add(1);
        w.next = tid;
        w.tail_sequence = tid;
        w.flushed = true;
        Ok(w)
    }

    /// Writer state with the log starting at journal block `jblock` with
    /// transaction `tid`, as if the superblock already said so (`s_start =
    /// jblock`, `s_sequence = tid`) and nothing were in the log: for
    /// continuing where another writer (the kernel) started.
    pub fn resume(journal: &Journal, tid: u32, jblock: u32) -> Result<LogWriter> {
        let mut w = Self::base(journal)?;
        if jblock < w.first || jblock >= w.last {
            return Err(err(format!(
                "journal block {jblock} is outside the log ring {}..{}",
                w.first, w.last
            )));
        }
        w.next = tid;
        w.tail_sequence = tid;
        w.head = jblock;
        w.tail = jblock;
        put_be32(&mut w.sb, SB_SEQUENCE, tid);
        put_be32(&mut w.sb, SB_START, jblock);
        w.flushed = false;
        Ok(w)
    }

    fn base(journal: &Journal) -> Result<LogWriter> {
        if let Some(why) = &journal.refused {
            return Err(err(format!("the journal cannot be written: {why}")));
        }
        if journal.map.is_none() {
            return Err(err(String::from("the journal is not in this image")));
        }
        let bs = journal.block_size as usize;
        if bs < JournalSuperblock::SIZE || journal.sb_raw.len() < JournalSuperblock::SIZE {
            return Err(err(format!("journal block size {bs} is smaller than its superblock")));
        }
        let (first, last) = (journal.first, journal.last);
        // journal_reset: "JBD2: Journal too short".
        if u64::from(first) + u64::from(MIN_JOURNAL_BLOCKS) > u64::from(journal.sb.s_maxlen.0) + 1
            || first >= last
        {
            return Err(err(format!("JBD2: Journal too short (blocks {first}-{})", journal.sb.s_maxlen.0)));
        }
        // The superblock block as jbd2 holds it: the 1024 bytes read, the
        // rest of the block zero (as mkfs writes it).
        let mut sb = vec![0u8; bs];
        sb[..JournalSuperblock::SIZE].copy_from_slice(&journal.sb_raw[..JournalSuperblock::SIZE]);
        Ok(LogWriter {
            journal: journal.clone(),
            sb,
            features: journal.features,
            first,
            last,
            head: first,
            tail: first,
            tail_sequence: 0,
            next: 0,
            free: last - first,
            flushed: false,
            barrier: true,
            logged: VecDeque::new(),
        })
    }

    /// `j_transaction_sequence`: the tid the next commit gets.
    pub fn next_tid(&self) -> u32 {
        self.next
    }

    /// `j_free`: log blocks not holding an uncheckpointed transaction. A
    /// commit of `n` blocks needs `n < free_blocks()` (jbd2 never hands out
    /// the last free block); see [`Self::blocks_needed`].
    pub fn free_blocks(&self) -> u32 {
        self.free
    }

    /// `jbd2_journal_get_max_txn_bufs`: the most log blocks one transaction
    /// may take (a quarter of the journal, fast-commit area excluded); the
    /// kernel commits a transaction before it grows past this.
    pub fn max_transaction_blocks(&self) -> u32 {
        let fc = self.journal.fc_area.map_or(0, |(_, n)| n);
        self.journal.sb.s_maxlen.0.saturating_sub(fc) / 4
    }

    /// `j_head`: the journal block the next log block goes to.
    pub fn head(&self) -> u32 {
        self.head
    }

    /// `(j_tail_sequence, j_tail)`: where recovery would start.
    pub fn tail(&self) -> (u32, u32) {
        (self.tail_sequence, self.tail)
    }

    /// The features the log is written with.
    pub fn features(&self) -> JournalFeatures {
        self.features
    }

    /// The in-memory journal superblock (what the next superblock write
    /// writes, before its `s_sequence`/`s_start` update).
    pub fn superblock(&self) -> &[u8] {
        &self.sb
    }

    /// Tids of the committed transactions still in the log, oldest first.
    pub fn in_log(&self) -> Vec<u32> {
        self.logged.iter().map(|t| t.tid).collect()
    }

    fn sb_words(&self) -> (u32, u32, u32) {
        (be32_at(&self.sb, SB_COMPAT), be32_at(&self.sb, SB_RO_COMPAT), be32_at(&self.sb, SB_INCOMPAT))
    }

    fn set_words(&mut self, compat: u32, ro: u32, incompat: u32) {
        put_be32(&mut self.sb, SB_COMPAT, compat);
        put_be32(&mut self.sb, SB_RO_COMPAT, ro);
        put_be32(&mut self.sb, SB_INCOMPAT, incompat);
        self.features = JournalFeatures::of(&JournalSuperblock::parse(&self.sb));
    }

    /// Set the feature words as they are given, with no kernel rules (what
    /// debugfs or a hex editor would leave): for journals in a format the
    /// kernel itself no longer writes (csum v2).
    pub fn set_format(&mut self, compat: u32, incompat: u32) -> Result<()> {
        if self.sb_words() == (compat, self.sb_words().1, incompat) {
            return Ok(());
        }
        if be32_at(&self.sb, 4) != BT_SUPERBLOCK_V2 {
            return Err(err(String::from("a version 1 journal superblock has no feature words")));
        }
        if incompat & !KNOWN_INCOMPAT != 0 {
            return Err(err(format!(
                "unknown incompatible journal features 0x{:x}",
                incompat & !KNOWN_INCOMPAT
            )));
        }
        if incompat & INCOMPAT_FAST_COMMIT != self.features.incompat & INCOMPAT_FAST_COMMIT {
            return Err(err(String::from(
                "fast commit cannot be switched here (it moves the end of the log)",
            )));
        }
        let ro = self.sb_words().1;
        self.set_words(compat, ro, incompat);
        if self.features.csum_v2_or_v3() {
            self.sb[SB_CHECKSUM_TYPE] = CRC32C_CHKSUM;
        }
        Ok(())
    }

    /// `jbd2_journal_set_features`: v2 asked is v3 given, v3 drops v1, v1
    /// drops v2/v3, v3 sets `s_checksum_type`. False (nothing changed) when
    /// the superblock is version 1 or a feature is unknown; fast commit
    /// cannot be switched on here.
    pub fn set_features(&mut self, compat: u32, ro: u32, incompat: u32) -> bool {
        let (c0, r0, i0) = self.sb_words();
        if c0 & compat == compat && r0 & ro == ro && i0 & incompat == incompat {
            return true;
        }
        if be32_at(&self.sb, 4) != BT_SUPERBLOCK_V2
            || compat & !COMPAT_CHECKSUM != 0
            || incompat & !(KNOWN_INCOMPAT & !INCOMPAT_FAST_COMMIT) != 0
            || ro != 0
        {
            return false;
        }
        let mut compat = compat;
        let mut incompat = incompat;
        if incompat & INCOMPAT_CSUM_V2 != 0 {
            incompat = (incompat & !INCOMPAT_CSUM_V2) | INCOMPAT_CSUM_V3;
        }
        if incompat & INCOMPAT_CSUM_V3 != 0 && compat & COMPAT_CHECKSUM != 0 {
            compat &= !COMPAT_CHECKSUM;
        }
        let (mut c, r, mut i) = (c0, r0, i0);
        if incompat & INCOMPAT_CSUM_V3 != 0 && i & INCOMPAT_CSUM_V3 == 0 {
            self.sb[SB_CHECKSUM_TYPE] = CRC32C_CHKSUM;
            c &= !COMPAT_CHECKSUM;
        }
        if compat & COMPAT_CHECKSUM != 0 && c & COMPAT_CHECKSUM == 0 {
            i &= !(INCOMPAT_CSUM_V2 | INCOMPAT_CSUM_V3);
        }
        self.set_words(c | compat, r, i | incompat);
        true
    }

    /// `jbd2_journal_clear_features`.
    pub fn clear_features(&mut self, compat: u32, ro: u32, incompat: u32) {
        let (c, r, i) = self.sb_words();
        self.set_words(c & !compat, r & !ro, i & !incompat);
    }

    /// The features ext4's mount gives the journal: `journal_64bit` on a
    /// 64bit file system, then `set_journal_csum_feature_set`: v3 with
    /// `metadata_csum` (which turns `journal_checksum` on), v1
    /// (`COMPAT_CHECKSUM`) with `journal_checksum` alone, none otherwise;
    /// `journal_async_commit` (which implies checksums) or not.
    pub fn ext4_mount_features(&mut self, m: MountFeatures) -> bool {
        let mut ok = true;
        if m.is_64bit {
            ok &= self.set_features(0, 0, INCOMPAT_64BIT);
        }
        let (compat, incompat) = if m.metadata_csum { (0, INCOMPAT_CSUM_V3) } else { (COMPAT_CHECKSUM, 0) };
        self.clear_features(COMPAT_CHECKSUM, 0, INCOMPAT_CSUM_V3 | INCOMPAT_CSUM_V2);
        if m.async_commit {
            ok &= self.set_features(compat, 0, INCOMPAT_ASYNC_COMMIT | incompat);
        } else if m.journal_checksum || m.metadata_csum {
            ok &= self.set_features(compat, 0, incompat);
            self.clear_features(0, 0, INCOMPAT_ASYNC_COMMIT);
        } else {
            self.clear_features(0, 0, INCOMPAT_ASYNC_COMMIT);
        }
        ok
    }

    fn csum_size(&self) -> usize {
        if self.features.csum_v2_or_v3() {
            4
        } else {
            0
        }
    }

    /// Tags per descriptor block and records per revoke block.
    fn capacities(&self) -> (usize, usize) {
        let bs = self.journal.block_size as usize;
        let tag = self.features.tag_bytes();
        let csum = self.csum_size();
        // Descriptor: the first tag carries the UUID; the block is closed
        // when space_left < tag_bytes + 16 + csum_size, or at j_wbufsize
        // buffers (the descriptor included; j_wbufsize = blocksize / 8).
        let mut space = bs - JournalHeader::SIZE;
        let mut tags = 0usize;
        let wbufsize = bs / 8;
        loop {
            space = space.saturating_sub(tag + if tags == 0 { 16 } else { 0 });
            tags += 1;
            if tags + 1 == wbufsize || space < tag + 16 + csum {
                break;
            }
        }
        let rec = self.features.revoke_record_bytes();
        let records = (bs - csum - RevokeHeader::SIZE) / rec;
        (tags, records.max(1))
    }

    /// Log blocks `tx` takes: revoke blocks, descriptor blocks, copies, the
    /// commit block.
    pub fn blocks_needed(&self, tx: &TxContent) -> u32 {
        let (per_desc, per_revoke) = self.capacities();
        let n = dedup_blocks(&tx.blocks).len();
        let r = revoke_order(&tx.revoked).len();
        let total = r.div_ceil(per_revoke) + n.div_ceil(per_desc) + n + 1;
        u32::try_from(total).unwrap_or(u32::MAX)
    }

    /// `jbd2_journal_next_log_block`.
    fn next_log_block(&mut self) -> Result<(u32, u64)> {
        if self.free <= 1 {
            return Err(err(String::from("the log is full (j_free <= 1)")));
        }
        let j = self.head;
        self.head += 1;
        self.free -= 1;
        if self.head == self.last {
            self.head = self.first;
        }
        let fsb = self
            .journal
            .fs_block(j)
            .ok_or_else(|| err(format!("journal block {j} is not mapped by the journal inode")))?;
        Ok((j, fsb))
    }

    fn sb_write(&mut self, flush_before: bool, fua: bool, fast_commit_off: bool) -> Result<JWrite> {
        let fsb = self
            .journal
            .fs_block(0)
            .ok_or_else(|| err(String::from("journal block 0 is not mapped by the journal inode")))?;
        let mut b = self.sb.clone();
        if fast_commit_off {
            let i = be32_at(&b, SB_INCOMPAT) & !INCOMPAT_FAST_COMMIT;
            put_be32(&mut b, SB_INCOMPAT, i);
        }
        if JournalFeatures::of(&JournalSuperblock::parse(&b)).csum_v2_or_v3() {
            let mut c = Crc32c::new(!0);
            c.update(&b[..SB_CHECKSUM]).zeros(4).update(&b[SB_CHECKSUM + 4..JournalSuperblock::SIZE]);
            put_be32(&mut b, SB_CHECKSUM, c.value());
            // The in-memory copy keeps the checksum too (jbd2 sets it in place).
            if !fast_commit_off {
                put_be32(&mut self.sb, SB_CHECKSUM, c.value());
            }
        }
        Ok(JWrite {
            jblock: 0,
            fs_block: fsb,
            data: Block::from(b),
            kind: JKind::Superblock,
            flush_before: flush_before && self.barrier,
            fua: fua && self.barrier,
            flush_after: false,
        })
    }

    /// `jbd2_descriptor_block_csum_set` (descriptor and revoke blocks).
    fn tail_csum(&self, b: &mut [u8]) {
        if !self.features.csum_v2_or_v3() {
            return;
        }
        let end = b.len() - 4;
        put_be32(b, end, 0);
        let mut c = Crc32c::new(self.features.csum_seed);
        c.update(b);
        let v = c.value();
        put_be32(b, end, v);
    }

    fn header_block(&self, kind: u32, tid: u32) -> Vec<u8> {
        let mut b = vec![0u8; self.journal.block_size as usize];
        put_be32(&mut b, 0, JBD2_MAGIC);
        put_be32(&mut b, 4, kind);
        put_be32(&mut b, 8, tid);
        b
    }

    /// The journal writes of one transaction, in the order the kernel
    /// submits them. Errors, changing nothing, when a block is not block-size,
    /// a block number does not fit a 32-bit journal, the transaction does
    /// not fit in the free log space (checkpoint first: [`Self::free_blocks`]),
    /// or a log block is not mapped by the journal inode.
    pub fn commit(&mut self, tx: &TxContent) -> Result<Vec<JWrite>> {
        let saved = (self.head, self.free, self.flushed, self.sb.clone(), self.features);
        let r = self.commit_inner(tx);
        if r.is_err() {
            (self.head, self.free, self.flushed, self.sb, self.features) = saved;
        }
        r
    }

    /// [`Self::commit`], then the tail update the kernel makes inside the
    /// commit: with the transactions up to `written_back` checkpointed (their
    /// home blocks written; `__jbd2_journal_clean_checkpoint_list` drops
    /// them), `jbd2_journal_get_log_tail` is taken before the commit block
    /// (the oldest transaction left, else this one), and when that frees at
    /// least a quarter of the journal (`j_maxlen / 4`) the superblock with
    /// the new tail is written after the commit block (`jbd2_update_log_tail`:
    /// FUA, no flush of its own: the commit block's PREFLUSH, or the
    /// async-commit flush, came first).
    pub fn commit_updating_tail(&mut self, tx: &TxContent, written_back: Option<u32>) -> Result<Vec<JWrite>> {
        let mut out = self.commit(tx)?;
        let Some(done) = self.logged.back().copied() else { return Ok(out) };
        if let Some(wb) = written_back {
            while self.logged.front().is_some_and(|t| t.tid != done.tid && !tid_gt(t.tid, wb)) {
                self.logged.pop_front();
            }
        }
        let (tid, block) = self.logged.front().map_or((done.tid, done.start), |t| (t.tid, t.start));
        if !tid_gt(tid, self.tail_sequence) {
            return Ok(out);
        }
        let freed = self.ring_distance(self.tail, block);
        if freed < self.journal.sb.s_maxlen.0 / 4 {
            return Ok(out);
        }
        out.push(self.move_tail(tid, block, false)?);
        Ok(out)
    }

    /// Blocks from `from` forward to `to` around the ring.
    fn ring_distance(&self, from: u32, to: u32) -> u32 {
        let ring = u64::from(self.last - self.first);
        let d = if to >= from {
            u64::from(to - from)
        } else {
            (u64::from(to) + ring).saturating_sub(u64::from(from))
        };
        u32::try_from(d).unwrap_or(u32::MAX)
    }

    /// `__jbd2_update_log_tail`: the superblock with the new tail (FUA), the
    /// freed blocks back in `j_free`.
    fn move_tail(&mut self, tid: u32, block: u32, flush_before: bool) -> Result<JWrite> {
        put_be32(&mut self.sb, SB_SEQUENCE, tid);
        put_be32(&mut self.sb, SB_START, block);
        let w = self.sb_write(flush_before, true, false)?;
        self.flushed = false;
        let freed = self.ring_distance(self.tail, block);
        self.free = self.free.saturating_add(freed).min(self.last - self.first);
        self.tail_sequence = tid;
        self.tail = block;
        Ok(w)
    }

    fn commit_inner(&mut self, tx: &TxContent) -> Result<Vec<JWrite>> {
        let bs = self.journal.block_size as usize;
        let blocks = dedup_blocks(&tx.blocks);
        let revoked = revoke_order(&tx.revoked);
        for (home, data) in &blocks {
            if data.len() != bs {
                return Err(err(format!("block {home}: {} bytes, the block size is {bs}", data.len())));
            }
        }
        if !self.features.is_64bit() {
            if let Some(b) = blocks
                .iter()
                .map(|(h, _)| *h)
                .chain(revoked.iter().copied())
                .find(|&b| b > u64::from(u32::MAX))
            {
                return Err(err(format!("block {b} does not fit the 32-bit block numbers of this journal")));
            }
        }
        let needed = self.blocks_needed(tx);
        if needed >= self.free {
            return Err(err(format!(
                "transaction {} needs {needed} log blocks, {} are free (one always stays free): checkpoint first",
                self.next, self.free
            )));
        }
        let tid = self.next;
        let mut out = Vec::new();
        // jbd2_journal_revoke sets the feature in the in-memory superblock.
        if !revoked.is_empty() && self.features.incompat & INCOMPAT_REVOKE == 0 {
            self.set_features(0, 0, INCOMPAT_REVOKE);
        }
        if self.flushed {
            put_be32(&mut self.sb, SB_SEQUENCE, self.tail_sequence);
            put_be32(&mut self.sb, SB_START, self.tail);
            out.push(self.sb_write(false, false, false)?);
            self.flushed = false;
        }
        let start = self.head;
        let csum = self.csum_size();
        // Revoke blocks.
        let rec = self.features.revoke_record_bytes();
        let mut cur: Option<(u32, u64, Vec<u8>, usize)> = None;
        for &b in &revoked {
            if let Some((j, f, d, off)) = cur.take() {
                if off + rec > bs - csum {
                    out.push(self.finish_revoke(j, f, d, off));
                } else {
                    cur = Some((j, f, d, off));
                }
            }
            if cur.is_none() {
                let (j, f) = self.next_log_block()?;
                cur = Some((j, f, self.header_block(BT_REVOKE, tid), RevokeHeader::SIZE));
            }
            if let Some((_, _, d, off)) = cur.as_mut() {
                if rec == 8 {
                    put_be64(d, *off, b);
                } else {
                    put_be32(d, *off, b as u32);
                }
                *off += rec;
            }
        }
        if let Some((j, f, d, off)) = cur.take() {
            out.push(self.finish_revoke(j, f, d, off));
        }
        // Descriptors and copies.
        let tag_bytes = self.features.tag_bytes();
        let v3 = self.features.incompat & INCOMPAT_CSUM_V3 != 0;
        let v1 = self.features.compat & COMPAT_CHECKSUM != 0;
        let wbufsize = bs / 8;
        // The kernel copies journal->j_uuid after the first tag, a field it
        // never initialises for a journal: 16 zero bytes (the kernel fixtures
        // say so; linux-ext4, "journal->j_uuid is not initialized", 2022).
        let uuid = [0u8; 16];
        let mut crc32_sum = !0u32;
        let mut batch: Vec<JWrite> = Vec::new();
        let mut desc: Option<(u32, u64, Vec<u8>)> = None;
        let (mut tagp, mut space_left, mut first_tag) = (0usize, 0usize, true);
        for (i, (home, data)) in blocks.iter().enumerate() {
            if desc.is_none() {
                let (j, f) = self.next_log_block()?;
                desc = Some((j, f, self.header_block(BT_DESCRIPTOR, tid)));
                tagp = JournalHeader::SIZE;
                space_left = bs - JournalHeader::SIZE;
                first_tag = true;
            }
            let (j, f) = self.next_log_block()?;
            // jbd2_journal_write_metadata_buffer: escape the magic.
            let escaped = data.get(..4).is_some_and(|w| w == JBD2_MAGIC.to_be_bytes());
            let copy: Block = if escaped {
                let mut c = data.to_vec();
                c[..4].fill(0);
                Block::from(c)
            } else {
                data.clone()
            };
            let mut flags = 0u32;
            if escaped {
                flags |= TAG_ESCAPE;
            }
            if !first_tag {
                flags |= TAG_SAME_UUID;
            }
            let Some((_, _, d)) = desc.as_mut() else { return Err(Error::internal("descriptor")) };
            // write_tag_block + t_flags (be16 at offset 6 of journal_block_tag_t).
            put_be32(d, tagp, *home as u32);
            if self.features.is_64bit() {
                put_be32(d, tagp + 8, (*home >> 32) as u32);
            }
            if let Some(s) = d.get_mut(tagp + 6..tagp + 8) {
                s.copy_from_slice(&(flags as u16).to_be_bytes());
            }
            // jbd2_block_tag_csum_set over the copy as logged.
            if self.features.csum_v2_or_v3() {
                let mut c = Crc32c::new(self.features.csum_seed);
                c.update(&tid.to_be_bytes()).update(&copy);
                let v = c.value();
                if v3 {
                    put_be32(d, tagp + 12, v);
                } else if let Some(s) = d.get_mut(tagp + 4..tagp + 6) {
                    s.copy_from_slice(&(v as u16).to_be_bytes());
                }
            }
            // "tag" still points to the last tag set up when the block closes.
            let this_tag = tagp;
            tagp += tag_bytes;
            space_left = space_left.saturating_sub(tag_bytes);
            if first_tag {
                if let Some(s) = d.get_mut(tagp..tagp + 16) {
                    s.copy_from_slice(&uuid);
                }
                tagp += 16;
                space_left = space_left.saturating_sub(16);
                first_tag = false;
            }
            batch.push(JWrite {
                jblock: j,
                fs_block: f,
                data: copy,
                kind: JKind::Copy { home: *home, escaped },
                flush_before: false,
                fua: false,
                flush_after: false,
            });
            let done = i + 1 == blocks.len();
            if batch.len() + 1 == wbufsize || done || space_left < tag_bytes + 16 + csum {
                let Some((dj, df, mut d)) = desc.take() else { return Err(Error::internal("descriptor")) };
                if let Some(s) = d.get_mut(this_tag + 6..this_tag + 8) {
                    let fl = u16::from_be_bytes([s[0], s[1]]) | TAG_LAST as u16;
                    s.copy_from_slice(&fl.to_be_bytes());
                }
                self.tail_csum(&mut d);
                if v1 {
                    crc32_sum = crc32_be(crc32_sum, &d);
                    for w in &batch {
                        crc32_sum = crc32_be(crc32_sum, &w.data);
                    }
                }
                out.push(JWrite {
                    jblock: dj,
                    fs_block: df,
                    data: Block::from(d),
                    kind: JKind::Descriptor,
                    flush_before: false,
                    fua: false,
                    flush_after: false,
                });
                out.append(&mut batch);
            }
        }
        // Commit block.
        let (cj, cf) = self.next_log_block()?;
        let mut c = self.header_block(BT_COMMIT, tid);
        put_be64(&mut c, 0x30, tx.commit_time.0);
        put_be32(&mut c, 0x38, tx.commit_time.1);
        if v1 {
            c[0x0C] = CRC32_CHKSUM;
            c[0x0D] = CRC32_CHKSUM_SIZE;
            put_be32(&mut c, 0x10, crc32_sum);
        }
        if self.features.csum_v2_or_v3() {
            // jbd2_commit_block_csum_set.
            c[0x0C] = 0;
            c[0x0D] = 0;
            put_be32(&mut c, 0x10, 0);
            let mut s = Crc32c::new(self.features.csum_seed);
            s.update(&c);
            let v = s.value();
            put_be32(&mut c, 0x10, v);
        }
        let async_commit = self.features.incompat & INCOMPAT_ASYNC_COMMIT != 0;
        out.push(JWrite {
            jblock: cj,
            fs_block: cf,
            data: Block::from(c),
            kind: JKind::Commit,
            flush_before: self.barrier && !async_commit,
            fua: self.barrier && !async_commit,
            flush_after: self.barrier && async_commit,
        });
        self.logged.push_back(Logged { tid, start });
        self.next = tid.wrapping_add(1);
        Ok(out)
    }

    fn finish_revoke(&self, j: u32, f: u64, mut d: Vec<u8>, off: usize) -> JWrite {
        // flush_descriptor: r_count = bytes used, then the tail checksum.
        put_be32(&mut d, 0x0C, off as u32);
        self.tail_csum(&mut d);
        JWrite {
            jblock: j,
            fs_block: f,
            data: Block::from(d),
            kind: JKind::Revoke,
            flush_before: false,
            fua: false,
            flush_after: false,
        }
    }

    /// The caller wrote every home block of the transactions up to `tid`
    /// (a checkpoint): `jbd2_cleanup_journal_tail` moves the tail to the
    /// oldest transaction left (or, none left, to `j_head` with the next
    /// tid) and writes the superblock after a flush of the file-system
    /// device, with FUA. `None` when the tail does not move (nothing to
    /// write). Errors when `tid` is not committed yet.
    pub fn checkpointed(&mut self, tid: u32) -> Result<Option<JWrite>> {
        if !tid_gt(self.next, tid) {
            return Err(err(format!("transaction {tid} is not committed (the next tid is {})", self.next)));
        }
        while self.logged.front().is_some_and(|t| !tid_gt(t.tid, tid)) {
            self.logged.pop_front();
        }
        // jbd2_journal_get_log_tail.
        let (new_tid, new_block) = match self.logged.front() {
            Some(t) => (t.tid, t.start),
            None => (self.next, self.head),
        };
        if !tid_gt(new_tid, self.tail_sequence) {
            return Ok(None);
        }
        // jbd2_cleanup_journal_tail flushes the file-system device first.
        self.move_tail(new_tid, new_block, true).map(Some)
    }

    /// A clean unmount (`jbd2_journal_destroy`): with every transaction
    /// checkpointed, `j_tail_sequence = ++j_transaction_sequence` and
    /// `jbd2_mark_journal_empty` writes `s_sequence` = that, `s_start = 0`,
    /// `s_head = j_head` (fast commit cleared in the block written), with
    /// PREFLUSH and FUA; `None` when the superblock already says empty (the
    /// log was not used since the mount). Afterwards the writer is as a new
    /// mount's `jbd2_journal_load` leaves it.
    pub fn unmount(&mut self) -> Result<Option<JWrite>> {
        if let Some(t) = self.logged.front() {
            return Err(err(format!(
                "transaction {} is still in the log: checkpoint it before unmounting",
                t.tid
            )));
        }
        self.next = self.next.wrapping_add(1);
        self.tail_sequence = self.next;
        let mut w = None;
        if be32_at(&self.sb, SB_START) != 0 {
            put_be32(&mut self.sb, SB_SEQUENCE, self.tail_sequence);
            put_be32(&mut self.sb, SB_START, 0);
            put_be32(&mut self.sb, SB_HEAD, self.head);
            let fc = self.features.incompat & INCOMPAT_FAST_COMMIT != 0;
            w = Some(self.sb_write(true, true, fc)?);
        }
        // The next mount: jbd2_journal_recover + journal_reset.
        let tid = be32_at(&self.sb, SB_SEQUENCE).wrapping_add(1);
        self.next = tid;
        self.tail_sequence = tid;
        self.head = self.first;
        self.tail = self.first;
        self.free = self.last - self.first;
        self.flushed = true;
        Ok(w)
    }
}

/// Homes in first-appearance order, each with its last content.
fn dedup_blocks(blocks: &[(u64, Block)]) -> Vec<(u64, Block)> {
    let mut out: Vec<(u64, Block)> = Vec::with_capacity(blocks.len());
    let mut at: alloc::collections::BTreeMap<u64, usize> = alloc::collections::BTreeMap::new();
    for (h, d) in blocks {
        match at.get(h) {
            Some(&i) => out[i].1 = d.clone(),
            None => {
                at.insert(*h, out.len());
                out.push((*h, d.clone()));
            }
        }
    }
    out
}
