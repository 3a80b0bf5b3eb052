//! Handles and transactions, as ext4 uses jbd2: a handle joins the running
//! transaction and dirties metadata blocks (or revokes freed ones); a commit
//! logs the transaction's blocks as they are in memory then, in the image's
//! jbd2 format ([`super::jbd2::LogWriter`]); a checkpoint writes the logged
//! blocks home and moves the log tail; an unmount empties the journal and
//! writes the superblock. Every device write goes into the [`Stream`], which
//! is all a crash can leave: any prefix of it.

use alloc::collections::BTreeSet;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use serde::Serialize;

use super::jbd2::{JKind, JWrite, LogWriter, TxContent};
use super::mem::{internal, Mem};
use crate::error::Result;
use crate::io::Block;

/// What a device write is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum WriteKind {
    /// The primary superblock, written directly (mount, unmount).
    Superblock,
    /// The journal superblock (log tail, empty journal).
    JournalSuperblock,
    /// A descriptor block (tags naming the logged blocks).
    Descriptor,
    /// The logged copy of a metadata block.
    LoggedCopy {
        /// Its home block.
        home: u64,
        /// Its first word was the jbd2 magic number and was zeroed (tag ESCAPE).
        escaped: bool,
    },
    /// A revoke block.
    Revoke,
    /// A commit block: the transaction is complete once it is on disk.
    Commit,
    /// A checkpoint: a logged block written to its home location.
    Checkpoint {
        /// The block (same as the write's block).
        home: u64,
    },
    /// File data written to its home location (data=ordered: before the commit).
    Data {
        /// The file.
        inode: u32,
        /// Zeros written by `ext4_ext_zeroout` to part of an unwritten extent
        /// being initialised, not the file's bytes.
        #[serde(skip_serializing_if = "core::ops::Not::not")]
        zeroout: bool,
    },
}

/// One block write of the stream.
#[derive(Debug, Clone, Serialize)]
pub struct Write {
    /// Position in the stream (0-based); crash point K keeps writes 0..K.
    pub index: usize,
    /// The device block written.
    pub block: u64,
    /// What it is.
    pub what: WriteKind,
    /// The transaction it belongs to (journal writes and checkpoints).
    pub tid: Option<u32>,
    /// For a logged copy or a checkpoint: the first handle of the transaction
    /// that dirtied the block.
    pub handle: Option<u32>,
    /// The operation (0-based line of the script) that caused it.
    pub op: usize,
    /// A cache flush is issued before this write (REQ_PREFLUSH).
    pub flush_before: bool,
    /// Written with FUA (on stable storage when it completes).
    pub fua: bool,
    /// The bytes.
    #[serde(skip)]
    pub data: Block,
}

/// One handle: a piece of an operation that changed metadata atomically.
#[derive(Debug, Clone, Serialize)]
pub struct HandleInfo {
    /// Handle number (1-based, in order).
    pub id: u32,
    /// The transaction it joined.
    pub tid: u32,
    /// The operation.
    pub op: usize,
    /// What the kernel calls it (e.g. "ext4_ext_migrate: ext4_new_inode").
    pub name: String,
    /// Blocks it dirtied, in order.
    pub dirtied: Vec<u64>,
    /// Blocks it revoked.
    pub revoked: Vec<u64>,
}

/// One transaction, as committed.
#[derive(Debug, Clone, Serialize)]
pub struct TxInfo {
    /// jbd2 transaction id (sequence number).
    pub tid: u32,
    /// Its handles.
    pub handles: Vec<u32>,
    /// Home blocks logged, in tag order.
    pub logged: Vec<u64>,
    /// Blocks revoked, in the order the revoke blocks list them.
    pub revoked: Vec<u64>,
    /// Index of its first write (or of the commit when empty), and of the commit block.
    pub first_write: usize,
    /// Index of the commit block write.
    pub commit_write: usize,
    /// Index of the journal superblock write that ended its checkpoint, if any.
    pub checkpointed: Option<usize>,
}

/// The writes and what caused them.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Stream {
    /// Every device write, in order.
    pub writes: Vec<Write>,
    /// Handles in order.
    pub handles: Vec<HandleInfo>,
    /// Committed transactions in order.
    pub transactions: Vec<TxInfo>,
}

#[derive(Debug, Clone)]
struct Running {
    tid: u32,
    blocks: Vec<u64>,
    set: BTreeSet<u64>,
    revoked: Vec<u64>,
    handles: Vec<u32>,
}

#[derive(Debug, Clone)]
struct Committed {
    tid: u32,
    blocks: Vec<(u64, Block)>,
    revoked: Vec<u64>,
}

/// The journaling machinery of one simulation.
#[derive(Debug, Clone)]
pub struct Jrn {
    writer: LogWriter,
    running: Option<Running>,
    committed: Vec<Committed>,
    handle: Option<usize>,
    /// The current handle's buffer credits (`jbd2_handle_buffer_credits`):
    /// each block new to the transaction costs one.
    credits: i64,
    /// The op being simulated (for writes and handles).
    pub op: usize,
    /// The stream so far.
    pub stream: Stream,
    /// Seconds since the epoch for commit blocks and inode times.
    pub clock: u64,
}

impl Jrn {
    /// Journaling over a journal as the kernel's mount leaves it.
    pub fn new(writer: LogWriter, clock: u64) -> Self {
        Jrn {
            writer,
            running: None,
            committed: Vec::new(),
            handle: None,
            credits: 0,
            op: 0,
            stream: Stream::default(),
            clock,
        }
    }

    /// Append a write to the stream.
    pub fn push(&mut self, block: u64, data: Block, what: WriteKind, tid: Option<u32>) -> usize {
        let index = self.stream.writes.len();
        let home = match what {
            WriteKind::LoggedCopy { home, .. } | WriteKind::Checkpoint { home } => Some(home),
            _ => None,
        };
        let handle = home.zip(tid).and_then(|(h, t)| {
            self.stream.handles.iter().find(|x| x.tid == t && x.dirtied.contains(&h)).map(|x| x.id)
        });
        self.stream.writes.push(Write {
            index,
            block,
            what,
            tid,
            handle,
            op: self.op,
            flush_before: false,
            fua: false,
            data,
        });
        index
    }

    fn push_j(&mut self, w: JWrite, tid: Option<u32>) -> usize {
        let what = match w.kind {
            JKind::Superblock => WriteKind::JournalSuperblock,
            JKind::Descriptor => WriteKind::Descriptor,
            JKind::Copy { home, escaped } => WriteKind::LoggedCopy { home, escaped },
            JKind::Revoke => WriteKind::Revoke,
            JKind::Commit => WriteKind::Commit,
        };
        let i = self.push(w.fs_block, w.data, what, tid);
        if let Some(x) = self.stream.writes.get_mut(i) {
            x.flush_before = w.flush_before;
            x.fua = w.fua;
        }
        i
    }

    /// Start a handle named `name` with `credits` buffer credits in the
    /// running transaction (a new one if none runs).
    pub fn start(&mut self, name: &str, credits: u32) {
        self.credits = i64::from(credits);
        if self.handle.is_some() {
            self.stop();
        }
        let tid = match &self.running {
            Some(r) => r.tid,
            None => {
                let tid = self.writer.next_tid();
                self.running = Some(Running {
                    tid,
                    blocks: Vec::new(),
                    set: BTreeSet::new(),
                    revoked: Vec::new(),
                    handles: Vec::new(),
                });
                tid
            }
        };
        let id = self.stream.handles.len() as u32 + 1;
        self.stream.handles.push(HandleInfo {
            id,
            tid,
            op: self.op,
            name: String::from(name),
            dirtied: Vec::new(),
            revoked: Vec::new(),
        });
        if let Some(r) = &mut self.running {
            r.handles.push(id);
        }
        self.handle = Some(self.stream.handles.len() - 1);
    }

    /// Stop the current handle.
    pub fn stop(&mut self) {
        self.handle = None;
    }

    /// The current handle's transaction id.
    pub fn tid(&self) -> Option<u32> {
        self.running.as_ref().map(|r| r.tid)
    }

    /// The current handle dirtied metadata block `b` (jbd2_journal_dirty_metadata).
    pub fn dirty(&mut self, b: u64) {
        let Some(h) = self.handle.and_then(|i| self.stream.handles.get_mut(i)) else { return };
        if !h.dirtied.contains(&b) {
            h.dirtied.push(b);
        }
        if let Some(r) = &mut self.running {
            if r.set.insert(b) {
                r.blocks.push(b);
                self.credits -= 1;
            }
            // Writing a revoked block again cancels the revoke (jbd2_journal_cancel_revoke).
            r.revoked.retain(|&x| x != b);
        }
    }

    /// The current handle revoked block `b` (a freed metadata block: its logged
    /// copies must not be replayed). A block dirtied earlier in this transaction
    /// is forgotten (not logged).
    pub fn revoke(&mut self, b: u64) {
        if let Some(h) = self.handle.and_then(|i| self.stream.handles.get_mut(i)) {
            h.revoked.push(b);
        }
        if let Some(r) = &mut self.running {
            if r.set.remove(&b) {
                r.blocks.retain(|&x| x != b);
            }
            if !r.revoked.contains(&b) {
                r.revoked.push(b);
            }
        }
    }

    /// Drop block `b` from the running transaction without a revoke record
    /// (`jbd2_journal_forget`).
    pub fn forget(&mut self, b: u64) {
        if let Some(r) = &mut self.running {
            if r.set.remove(&b) {
                r.blocks.retain(|&x| x != b);
            }
        }
    }

    /// The current handle's remaining buffer credits.
    pub fn credits(&self) -> i64 {
        self.credits
    }

    /// `jbd2_journal_extend`: more credits for the current handle.
    pub fn extend(&mut self, n: u32) {
        self.credits += i64::from(n);
    }

    /// Blocks the running transaction holds (dirtied so far).
    pub fn running_blocks(&self) -> Vec<u64> {
        self.running.as_ref().map(|r| r.blocks.clone()).unwrap_or_default()
    }

    /// Commit the running transaction (if it changed anything): the log writes,
    /// checkpointing first when the log has no room.
    pub fn commit(&mut self, mem: &Mem) -> Result<()> {
        self.stop();
        let Some(r) = self.running.take() else { return Ok(()) };
        if r.blocks.is_empty() && r.revoked.is_empty() {
            // An empty transaction commits nothing to disk (jbd2 still uses its tid).
            self.running = None;
            return Ok(());
        }
        let mut blocks = Vec::with_capacity(r.blocks.len());
        for &b in &r.blocks {
            blocks.push((b, mem.block(b)?));
        }
        let need = r.blocks.len() as u32 + 4 + (r.revoked.len() as u32) / 64;
        if self.writer.free_blocks() < need {
            self.checkpoint()?;
        }
        let tx =
            TxContent { blocks: blocks.clone(), revoked: r.revoked.clone(), commit_time: (self.clock, 0) };
        let writes = self.writer.commit(&tx)?;
        let first = self.stream.writes.len();
        let mut commit_write = first;
        for w in writes {
            let is_commit = matches!(w.kind, JKind::Commit);
            let i = self.push_j(w, Some(r.tid));
            if is_commit {
                commit_write = i;
            }
        }
        self.stream.transactions.push(TxInfo {
            tid: r.tid,
            handles: r.handles.clone(),
            logged: r.blocks.clone(),
            // In the order the revoke blocks hold them (hash-bucket order).
            revoked: super::jbd2::revoke_order(&r.revoked),
            first_write: first,
            commit_write,
            checkpointed: None,
        });
        self.committed.push(Committed { tid: r.tid, blocks, revoked: r.revoked.clone() });
        Ok(())
    }

    /// Write every committed block home (its last committed copy), then move
    /// the log tail past them.
    pub fn checkpoint(&mut self) -> Result<()> {
        if self.committed.is_empty() {
            return Ok(());
        }
        let committed = core::mem::take(&mut self.committed);
        let last_tid = committed.last().map(|c| c.tid).ok_or_else(|| internal("no transaction"))?;
        // The last committed copy of each block, written once, in the order the
        // transactions are checkpointed (oldest first, each block at its last).
        let mut latest: alloc::collections::BTreeMap<u64, (usize, u32, Block)> = Default::default();
        for (i, c) in committed.iter().enumerate() {
            for (b, d) in &c.blocks {
                latest.insert(*b, (i, c.tid, d.clone()));
            }
            // A block revoked after it was logged was forgotten (freed
            // metadata): its old copy is never written home.
            for r in &c.revoked {
                if latest.get(r).is_some_and(|x| x.0 <= i) {
                    latest.remove(r);
                }
            }
        }
        let mut order: Vec<(usize, u64, u32, Block)> =
            latest.into_iter().map(|(b, (i, tid, d))| (i, b, tid, d)).collect();
        order.sort_by_key(|x| (x.0, x.1));
        for (_, b, tid, d) in order {
            self.push(b, d, WriteKind::Checkpoint { home: b }, Some(tid));
        }
        let end = match self.writer.checkpointed(last_tid)? {
            Some(w) => self.push_j(w, None),
            None => self.stream.writes.len().saturating_sub(1),
        };
        for t in self.stream.transactions.iter_mut().filter(|t| t.checkpointed.is_none()) {
            t.checkpointed = Some(end);
        }
        Ok(())
    }

    /// A clean unmount of the journal: commit, checkpoint, mark the journal empty.
    pub fn unmount(&mut self, mem: &Mem) -> Result<()> {
        self.commit(mem)?;
        self.checkpoint()?;
        if let Some(w) = self.writer.unmount()? {
            self.push_j(w, None);
        }
        Ok(())
    }

    /// Describe the stream's size (for errors and notes).
    pub fn summary(&self) -> String {
        format!("{} writes, {} transactions", self.stream.writes.len(), self.stream.transactions.len())
    }
}
