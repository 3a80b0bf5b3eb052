//! The simulator: file operations as the kernel performs them, as real jbd2
//! transactions over a copy-on-write overlay. The result is the stream of
//! block writes a real device would see ([`jrn::Stream`]); a crash is any
//! prefix of it, and "the image as of crash point K" is an overlay like any
//! other, read by the journal replay, the checker and every view unchanged.
//!
//! - [`ops`]: the operations language.
//! - [`mem`]: the buffer cache and the record editors (checksums kept right).
//! - [`jrn`]: handles, transactions, commit, checkpoint, the write stream.
//! - [`jbd2`]: the log writer (descriptor, revoke and commit blocks in the
//!   image's journal format).
//! - [`alloc`]: inode and block allocation, freeing.
//! - [`migrate`]: `chattr +e` / `chattr -e` and the designs compared.
//! - [`scenario`]: guided scenarios, each step explained from the facts.
//! - [`outcome`]: a crash point's consequences: replay, orphan cleanup at
//!   mount, what e2fsck says, data loss or leaks.

pub mod alloc;
pub mod files;
pub mod jbd2;
pub mod jrn;
pub mod mem;
pub mod migrate;
pub mod ops;
pub mod outcome;
pub mod scenario;
pub mod tree;

use ::alloc::collections::BTreeSet;
use ::alloc::format;
use ::alloc::rc::Rc;
use ::alloc::string::String;
use ::alloc::vec::Vec;
use serde::Serialize;

use crate::error::Result;
use crate::format::features::INCOMPAT_RECOVER;
use crate::fs::Fs;
use crate::journal::Journal;
use crate::overlay::Overlay;
use jrn::{Jrn, Stream, WriteKind};
use mem::{put_le, refuse, Mem};
use ops::{Op, OpLine};

/// How the migration is made crash-safe (`--design`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Design {
    /// Linux 6.x: the temporary inode stays off the orphan list (a crash can
    /// leak it, links 0; e2fsck cleans up).
    #[default]
    Kernel,
    /// Before the 2022 fix: the temporary inode on the orphan list, so orphan
    /// cleanup at the next mount truncates it — freeing the original's data
    /// when it had an extent leaf.
    OrphanList,
    /// The swap and the freeing in one transaction (no restarts inside).
    SingleTransaction,
    /// Ted's 2011 idea: the temporary inode only in memory, one transaction.
    InMemoryTemp,
}

impl Design {
    /// Every design, in the order they are compared.
    pub const ALL: [Design; 4] =
        [Design::Kernel, Design::OrphanList, Design::SingleTransaction, Design::InMemoryTemp];

    /// Its name on the command line and in links.
    pub fn name(self) -> &'static str {
        match self {
            Design::Kernel => "kernel",
            Design::OrphanList => "orphan-list",
            Design::SingleTransaction => "single-transaction",
            Design::InMemoryTemp => "in-memory-temp",
        }
    }

    /// Parse a name.
    pub fn parse(s: &str) -> Option<Design> {
        Design::ALL.into_iter().find(|d| d.name() == s)
    }
}

/// `data=` mount option.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum DataMode {
    /// data=ordered (the default): data written before the commit.
    #[default]
    Ordered,
    /// data=journal: data logged too; freed metadata is forgotten, not revoked.
    Journal,
    /// data=writeback: no ordering of data against the commit.
    Writeback,
}

/// Which kernel's write path (`--kernel`): the behaviours that differ
/// between eras, and only those that are modelled. Everything else is the
/// same code (recorded on 6.18); an operation whose old path is not modelled
/// is refused in [`Kernel::V4_14`], naming it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
pub enum Kernel {
    /// Linux 6.x (recorded on 6.18): fallocate and zero_range raise
    /// `i_disksize` when the range ends past it (51e3ae81ec58, 2017);
    /// `dioread_nolock` is on by default (every block size since 6.x), so
    /// buffered writeback into an unwritten extent splits it and converts
    /// only what was written, at I/O completion, never zeroing past
    /// `i_disksize` (801674f34ecf, 2020).
    #[default]
    #[serde(rename = "6.x")]
    V6,
    /// Linux 4.14 as released (v4.14, November 2017), before both fixes:
    /// fallocate and zero_range without KEEP_SIZE set a new size only when
    /// the range ends past the in-memory `i_size`, so a range ending in
    /// (`i_disksize`, `i_size`] (over delayed-allocation data) commits its
    /// extents with the old `i_disksize`; no `dioread_nolock` by default, so
    /// writeback converts an unwritten extent when it maps it
    /// (`ext4_ext_convert_to_initialized`): when the extent ends within the
    /// in-memory `i_size` and the rest of it fits in `s_extent_max_zeroout_kb`
    /// (32 KiB), that rest is zeroed out and the whole extent initialised,
    /// while `i_disksize` is raised only to the end of the pages written.
    #[serde(rename = "4.14")]
    V4_14,
}

impl Kernel {
    /// Every era, newest first.
    pub const ALL: [Kernel; 2] = [Kernel::V6, Kernel::V4_14];

    /// Its name on the command line and in links.
    pub fn name(self) -> &'static str {
        match self {
            Kernel::V6 => "6.x",
            Kernel::V4_14 => "4.14",
        }
    }

    /// Parse a name.
    pub fn parse(s: &str) -> Option<Kernel> {
        Kernel::ALL.into_iter().find(|k| k.name() == s)
    }
}

/// How to simulate.
#[derive(Debug, Clone, Serialize)]
pub struct Options {
    /// The migration design.
    pub design: Design,
    /// data= mode.
    pub data: DataMode,
    /// auto_da_alloc (on by default).
    pub auto_da_alloc: bool,
    /// Seconds since the epoch at the first operation (default: one second
    /// after the image's last write or mount time), one more per operation.
    pub clock: Option<u64>,
    /// Where the file system is mounted: the first file opened after the
    /// mount journals the superblock with it in `s_last_mounted`
    /// (`ext4_sample_last_mounted`).
    pub mount_point: String,
    /// When a handle is restarted (`ext4_journal_restart`), jbd2 is asked to
    /// commit the running transaction, and the restarted handle joins
    /// whichever transaction runs when it starts. `false` (the default, what
    /// the recorded 6.18 kernel did every time): it rejoins the same
    /// transaction, kjournald not having locked it yet, so the whole
    /// operation commits at once. `true`: kjournald wins the race and every
    /// restart is a transaction boundary (the windows a crash can hit).
    pub restart_commits: bool,
    /// Which kernel's write path.
    pub kernel: Kernel,
    /// `mb_optimize_scan=`: `None` (the default) is the kernel's own choice,
    /// on when the file system has `MB_DEFAULT_LINEAR_SCAN_THRESHOLD` (16)
    /// groups or more. When on, the block allocator's cheap criteria pick
    /// groups from its largest-free-order and average-fragment-size xarrays
    /// instead of walking the groups in order.
    pub mb_optimize_scan: Option<bool>,
    /// Whether the device is rotational: `ext4_mb_init` sets
    /// `s_mb_max_linear_groups` to `MB_DEFAULT_LINEAR_LIMIT` (4) for a
    /// rotational device and to 0 for a non-rotational one (SSD, NVMe), the
    /// number of groups tried in order before the optimised scan. `true` by
    /// default: what the recorded kernel reported for its loop device (whose
    /// backing disk was rotational).
    pub rotational: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            design: Design::Kernel,
            data: DataMode::Ordered,
            auto_da_alloc: true,
            clock: None,
            mount_point: String::from("/mnt"),
            restart_commits: false,
            kernel: Kernel::V6,
            mb_optimize_scan: None,
            rotational: true,
        }
    }
}

/// The state a simulation works on (private to the simulator's files).
pub(crate) struct Ctx {
    pub(crate) mem: Mem,
    pub(crate) jrn: Jrn,
    pub(crate) opts: Options,
    /// Blocks freed in a transaction not yet committed (not reusable).
    pub(crate) busy: BTreeSet<u64>,
    pub(crate) rng: u64,
    pub(crate) notes: Vec<String>,
    /// `EXT4_MF_MNTDIR_SAMPLED`: a file was opened since the mount.
    pub(crate) sampled: bool,
    /// Inodes whose in-memory `i_csum_seed` is not their own (the migration's
    /// temporary inode carries the original's): their records are written
    /// with this seed.
    pub(crate) seeds: ::alloc::collections::BTreeMap<u32, u32>,
    /// Temporary inodes allocated: (operation, inode).
    pub(crate) temps: Vec<(usize, u32)>,
    /// Files with pages not written back (delayed allocation).
    pub(crate) pc: ::alloc::collections::BTreeMap<u32, files::Cached>,
    /// The locality group's preallocation (mballoc), in memory only.
    pub(crate) group_pa: Option<files::GroupPa>,
    /// mballoc's stream goals (`s_mb_last_groups`, by inode number modulo
    /// their count): the group of each goal's last stream allocation.
    pub(crate) last_groups: ::alloc::collections::BTreeMap<u32, u32>,
    /// data=writeback: data written back but not yet on disk (block, inode, bytes).
    pub(crate) late_data: Vec<(u64, u32, Vec<u8>)>,
}

impl Ctx {
    /// Change an inode record in the current handle.
    pub(crate) fn edit_inode(&mut self, ino: u32, f: impl FnOnce(&mut [u8])) -> Result<()> {
        let seed = self.seeds.get(&ino).copied();
        let b = self.mem.edit_inode_seeded(ino, seed, f)?;
        self.jrn.dirty(b);
        Ok(())
    }

    /// A note for the report.
    pub(crate) fn note(&mut self, s: String) {
        self.notes.push(s);
    }

    /// Commit the running transaction (freed blocks become reusable).
    pub(crate) fn commit(&mut self) -> Result<()> {
        let Ctx { jrn, mem, busy, .. } = self;
        jrn.commit(mem)?;
        busy.clear();
        for (b, ino, data) in core::mem::take(&mut self.late_data) {
            self.jrn.push(b, Rc::from(data.as_slice()), WriteKind::Data { inode: ino, zeroout: false }, None);
        }
        Ok(())
    }

    fn lookup(&self, path: &str) -> Result<u32> {
        let view = self.mem.view()?;
        view.lookup(path).map_err(|e| refuse(path, format!("{e}")))
    }
}

/// A simulated run: the write stream and what caused it.
#[derive(Debug, Clone, Serialize)]
pub struct Run {
    /// The operations.
    pub ops: Vec<OpLine>,
    /// The design used.
    pub design: Design,
    /// Every write, handle and transaction.
    pub stream: Stream,
    /// Writes up to here are the operations' (every transaction committed,
    /// nothing more): crash point `end`. Later writes are the clean unmount.
    pub end: usize,
    /// What the simulator did that the stream does not say.
    pub notes: Vec<String>,
    /// Temporary inodes the operations allocated: (operation index, inode).
    pub temp_inodes: Vec<(usize, u32)>,
    /// The state the simulation started from (journal recovered first if needed).
    #[serde(skip)]
    pub start: Fs,
}

impl Run {
    /// Number of writes in the stream (crash points are 0..=len).
    pub fn len(&self) -> usize {
        self.stream.writes.len()
    }

    /// True when nothing was written.
    pub fn is_empty(&self) -> bool {
        self.stream.writes.is_empty()
    }

    /// The disk after the first `k` writes (over the start state's overlay).
    pub fn overlay_at(&self, k: usize) -> Overlay {
        let mut o = self.start.image().overlay().map(|o| (**o).clone()).unwrap_or_default();
        for w in self.stream.writes.iter().take(k) {
            o.write(w.block, w.data.clone());
        }
        o
    }

    /// The file system as the disk holds it after the first `k` writes (not replayed).
    pub fn state_at(&self, k: usize) -> Result<Fs> {
        self.start.with_overlay(Rc::new(self.overlay_at(k)))
    }

    /// The state after a clean unmount (the whole stream).
    pub fn final_state(&self) -> Result<Fs> {
        self.state_at(self.len())
    }
}

/// Simulate `script` on `fs`.
pub fn simulate(fs: &Fs, script: &str, opts: &Options) -> Result<Run> {
    let ops = ops::parse(script).map_err(|e| refuse("script", e))?;
    let mut notes = Vec::new();
    // A journal that needs recovery is recovered first, as mount would.
    let mut start = fs.clone();
    if fs.sb.s_feature_incompat & INCOMPAT_RECOVER != 0 {
        if let Some(j) = Journal::open(fs)? {
            let log = j.log_for_replay(fs);
            let r = j.replay(fs, &log, None)?;
            let mut o = fs.image().overlay().map(|o| (**o).clone()).unwrap_or_default();
            for b in r.overlay.written().collect::<Vec<_>>() {
                if let Some(d) = r.overlay.get(b) {
                    o.write(b, d.clone());
                }
            }
            start = fs.with_overlay(Rc::new(o))?;
            notes.push(format!(
                "the journal needed recovery: {} transaction(s) replayed before the operations",
                r.report.transactions.len()
            ));
        }
    }
    let journal = Journal::open(&start)?.ok_or_else(|| {
        refuse("simulate", String::from("the file system has no journal (has_journal): nothing to simulate"))
    })?;
    if let Some(why) = &journal.refused {
        return Err(refuse("simulate", format!("the journal cannot be written: {why}")));
    }
    let mut writer = jbd2::LogWriter::new(&journal)?;
    // The journal features ext4's mount gives the journal (checksums v3 with
    // metadata_csum, 64-bit tags on a 64bit file system).
    writer.ext4_mount_features(jbd2::MountFeatures {
        metadata_csum: start.sb.has_metadata_csum(),
        is_64bit: start.features().incompat(crate::format::features::INCOMPAT_64BIT),
        journal_checksum: false,
        async_commit: false,
    });
    let sb = &start.sb;
    let clock = opts.clock.unwrap_or_else(|| u64::from(sb.s_wtime.max(sb.s_mtime).max(sb.s_mkfs_time)) + 1);
    let mut ctx = Ctx {
        mem: Mem::new(start.clone()),
        jrn: Jrn::new(writer, clock),
        opts: opts.clone(),
        busy: BTreeSet::new(),
        rng: 0x9E37_79B9_7F4A_7C15 ^ u64::from(sb.s_wtime) ^ u64::from(sb.s_inodes_count).rotate_left(32),
        notes,
        sampled: false,
        seeds: Default::default(),
        temps: Vec::new(),
        pc: Default::default(),
        group_pa: None,
        last_groups: Default::default(),
        late_data: Vec::new(),
    };
    if sb.s_last_orphan != 0 {
        ctx.note(format!(
            "the start state has an orphan list (s_last_orphan = {}); it is left alone",
            sb.s_last_orphan
        ));
    }
    mount(&mut ctx)?;
    for op in &ops {
        ctx.jrn.op = op.index;
        ctx.jrn.clock = clock + op.index as u64;
        run_op(&mut ctx, op)?;
    }
    // Crash point "end": every transaction committed.
    ctx.commit()?;
    let end = ctx.jrn.stream.writes.len();
    ctx.jrn.op = ops.len();
    unmount(&mut ctx)?;
    Ok(Run {
        ops,
        design: opts.design,
        stream: ctx.jrn.stream,
        end,
        notes: ctx.notes,
        temp_inodes: ctx.temps,
        start,
    })
}

/// `ext4_setup_super` at mount: needs_recovery set, the mount count and time,
/// written directly (ext4_commit_super).
fn mount(ctx: &mut Ctx) -> Result<()> {
    let now = ctx.jrn.clock;
    let blk = ctx.mem.edit_sb(|sb| {
        let incompat = mem::le(sb, 0x60, 4) as u32 | INCOMPAT_RECOVER;
        put_le(sb, 0x60, 4, u64::from(incompat));
        let count = mem::le(sb, 0x34, 2) as u16;
        put_le(sb, 0x34, 2, u64::from(count.wrapping_add(1)));
        put_le(sb, 0x2C, 4, now & 0xFFFF_FFFF);
        put_le(sb, 0x30, 4, now & 0xFFFF_FFFF);
    })?;
    let data = ctx.mem.block(blk)?;
    ctx.jrn.push(blk, data, WriteKind::Superblock, None);
    Ok(())
}

/// A clean unmount: commit, checkpoint, journal emptied, then the superblock
/// (needs_recovery cleared, free counts from the descriptors, valid).
fn unmount(ctx: &mut Ctx) -> Result<()> {
    // umount syncs first: every delayed page written back.
    let inos: Vec<u32> = ctx.pc.keys().copied().collect();
    for i in inos {
        ctx.writeback(i)?;
    }
    ctx.commit()?;
    let Ctx { jrn, mem, busy, .. } = ctx;
    jrn.unmount(mem)?;
    busy.clear();
    let groups = ctx.mem.base.geo.groups_count;
    let (mut free_b, mut free_i) = (0u64, 0u64);
    for g in 0..groups {
        let d = ctx.mem.gd(g)?;
        free_b +=
            u64::from(ctx.mem.gd_counter(&d, 0x0C, 0x2C)) * u64::from(ctx.mem.base.geo.cluster_ratio.max(1));
        free_i += u64::from(ctx.mem.gd_counter(&d, 0x0E, 0x2E));
    }
    let now = ctx.jrn.clock;
    let blk = ctx.mem.edit_sb(|sb| {
        let incompat = mem::le(sb, 0x60, 4) as u32 & !INCOMPAT_RECOVER;
        put_le(sb, 0x60, 4, u64::from(incompat));
        put_le(sb, 0x0C, 4, free_b & 0xFFFF_FFFF);
        put_le(sb, 0x158, 4, free_b >> 32);
        put_le(sb, 0x10, 4, free_i);
        put_le(sb, 0x30, 4, now & 0xFFFF_FFFF);
        let st = mem::le(sb, 0x3A, 2) | 1;
        put_le(sb, 0x3A, 2, st);
    })?;
    let data = ctx.mem.block(blk)?;
    let i = ctx.jrn.push(blk, data, WriteKind::Superblock, None);
    if let Some(w) = ctx.jrn.stream.writes.get_mut(i) {
        w.flush_before = true;
        w.fua = true;
    }
    Ok(())
}

/// `ext4_sample_last_mounted`: the first file opened after the mount
/// journals the superblock with the mount point in `s_last_mounted`.
fn sample_last_mounted(ctx: &mut Ctx) -> Result<()> {
    if ctx.sampled {
        return Ok(());
    }
    ctx.sampled = true;
    let mut path = [0u8; 64];
    for (d, s) in path.iter_mut().zip(ctx.opts.mount_point.bytes().take(63)) {
        *d = s;
    }
    ctx.jrn.start("ext4_sample_last_mounted", 1);
    let b = ctx.mem.edit_sb(|sb| {
        if let Some(x) = sb.get_mut(0x88..0xC8) {
            x.copy_from_slice(&path);
        }
    })?;
    ctx.jrn.dirty(b);
    ctx.jrn.stop();
    Ok(())
}

fn run_op(ctx: &mut Ctx, op: &OpLine) -> Result<()> {
    if matches!(
        op.op,
        Op::Chattr { .. }
            | Op::Fsync { .. }
            | Op::Write { .. }
            | Op::Fallocate { .. }
            | Op::ZeroRange { .. }
            | Op::Truncate { .. }
            | Op::SyncRange { .. }
    ) {
        sample_last_mounted(ctx)?;
    }
    match &op.op {
        Op::Chattr { path, .. } if ctx.opts.kernel == Kernel::V4_14 => Err(refuse(
            &op.text,
            format!("chattr {path} on 4.14: the migration of that era is the orphan-list design (--design orphan-list, on 6.x); the 4.14 option covers fallocate and writeback only"),
        )),
        Op::Chattr { path, extents } => {
            let ino = ctx.lookup(path)?;
            if *extents {
                ctx.chattr_plus_e(path, ino)
            } else {
                ctx.chattr_minus_e(path, ino)
            }
        }
        Op::Fsync { path } => {
            let ino = ctx.lookup(path)?;
            ctx.fsync(ino)
        }
        Op::Write { path, offset, len } => ctx.write(path, *offset, *len),
        Op::Mv { from, to } => ctx.rename(from, to),
        Op::Rm { path } => ctx.unlink(path),
        Op::Fallocate { path, offset, len, keep_size } => ctx.fallocate(path, *offset, *len, *keep_size),
        Op::ZeroRange { path, offset, len, keep_size } => ctx.zero_range(path, *offset, *len, *keep_size),
        Op::Truncate { path, size } => ctx.truncate(path, *size),
        Op::Mkdir { path } => ctx.mkdir(path),
        Op::Ln { from, to } => ctx.link(from, to),
        Op::SyncRange { path, offset, len } => ctx.sync_range(path, *offset, *len),
        Op::Sync => ctx.sync_all(),
        Op::Commit => ctx.commit(),
        Op::Checkpoint => {
            ctx.commit()?;
            ctx.jrn.checkpoint()
        }
    }
}
