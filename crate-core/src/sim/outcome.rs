//! What a crash at point K leaves, and what happens next: the journal
//! recovered (as the kernel's mount and e2fsck replay it), the orphan list
//! processed by the next read-write mount (`ext4_orphan_cleanup`: an inode with
//! no links is deleted, its blocks freed), then what `e2fsck -fn` says about
//! that state, and for each file the operations touched: is every data block
//! it had still mapped, at the same place, and marked in use (no data loss)?
//! Which inodes are left in use with no links (leaks)?

use alloc::collections::BTreeSet;
use alloc::format;
use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec::Vec;
use serde::Serialize;

use super::mem::{le, put_le, Mem};
use super::Run;
use crate::error::Result;
use crate::filemap::DataRun;
use crate::format::features::INCOMPAT_RECOVER;
use crate::fs::Fs;
use crate::journal::Journal;

/// The consequence of a crash, in a word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// e2fsck finds nothing; every file keeps its data.
    Clean,
    /// An inode (or blocks) left allocated with nothing using it; no data lost.
    Leak,
    /// A file's data block is free, remapped or claimed by another inode.
    DataLoss,
    /// A file shows blocks holding someone else's old bytes (data=writeback:
    /// the metadata committed before the data was written).
    StaleData,
    /// e2fsck finds other problems; no data lost.
    Inconsistent,
}

/// A file's data after the crash and the next mount.
#[derive(Debug, Clone, Serialize)]
pub struct FileFate {
    /// The inode.
    pub inode: u32,
    /// Its path.
    pub path: String,
    /// Data blocks it had before the operations.
    pub blocks: u64,
    /// Of those, no longer mapped at the same logical block.
    pub unmapped: u64,
    /// Of those, still mapped but marked free in the block bitmap.
    pub freed: u64,
}

/// A file the operations wrote, after the crash and the next mount.
#[derive(Debug, Clone, Serialize)]
pub struct WrittenFate {
    /// Its path after the operations (renames followed).
    pub path: String,
    /// Its inode, if the name exists.
    pub inode: Option<u32>,
    /// Size the operations gave it.
    pub expected_size: u64,
    /// Size found (`None`: the name does not exist).
    pub size: Option<u64>,
    /// What its bytes are: `as-written`, `unchanged` (as before the
    /// operations), `short` (smaller than written: what was written is not
    /// there yet), `zeros` (reads as zeros where data was written), `stale`
    /// (blocks holding other bytes than written), `missing`.
    pub content: &'static str,
}

/// A revoke record that matters: without it, recovery would copy an old
/// logged block over what the block holds now.
#[derive(Debug, Clone, Serialize)]
pub struct RevokeGuard {
    /// The block.
    pub block: u64,
    /// The transaction that logged the old copy.
    pub logged_in: u32,
    /// The transaction whose revoke record skips it.
    pub revoked_in: u32,
    /// Which written file holds data there now, if any.
    pub now_data_of: Option<String>,
}

/// What Linux does mounting the crashed disk (before any recovery).
#[derive(Debug, Clone, Serialize)]
pub struct CrashMount {
    /// `mounted-ro`, `mounted-rw` or `refused`: `mount -o loop,ro` of the
    /// crashed disk from a read-only device.
    pub ro: String,
    /// The kernel's log lines for it.
    pub ro_messages: Vec<String>,
    /// The same for a read-write mount (which runs recovery).
    pub rw: String,
    /// Its log lines.
    pub rw_messages: Vec<String>,
}

/// One crash point's outcome.
#[derive(Debug, Clone, Serialize)]
pub struct CrashOutcome {
    /// Writes that reached the disk.
    pub point: usize,
    /// Transactions the recovery replays.
    pub replayed: Vec<u32>,
    /// What the next mount's orphan cleanup does.
    pub orphan_cleanup: Vec<String>,
    /// `e2fsck -fn` after that mount: exit code.
    pub exit_code: i32,
    /// … and the problems it raises (e2fsck names, in order, deduplicated).
    pub problems: Vec<String>,
    /// … as problem_log codes (`"0x010017"`), sorted, without fatal ones
    /// (e2fsck stops before logging those).
    pub codes: Vec<String>,
    /// The files the operations touched.
    pub files: Vec<FileFate>,
    /// The files the operations wrote: size and content.
    pub written: Vec<WrittenFate>,
    /// Revoke records that keep recovery from copying old metadata over
    /// blocks reused since (replay without them would).
    pub revoke_guards: Vec<RevokeGuard>,
    /// Inodes in use with no links (not on the orphan list) after the mount.
    pub leaked_inodes: Vec<u32>,
    /// In a word.
    pub verdict: Verdict,
    /// What mount does with the crashed disk, read-only and read-write.
    pub mount: CrashMount,
}

/// The files the operations migrate and keep (not removed or renamed
/// later), with their data runs before the operations.
fn watched(run: &Run) -> Vec<(u32, String, Vec<DataRun>)> {
    use super::ops::Op;
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    let gone = |p: &str| {
        run.ops.iter().any(|o| match &o.op {
            Op::Rm { path } => path == p,
            Op::Mv { from, to } => from == p || to == p,
            Op::Truncate { path, .. } => path == p,
            _ => false,
        })
    };
    for op in &run.ops {
        let path = match &op.op {
            Op::Chattr { path, .. } if !gone(path) => path,
            _ => continue,
        };
        let Ok(ino) = run.start.lookup(path) else { continue };
        if !seen.insert(ino) {
            continue;
        }
        let Ok(inode) = run.start.inode(ino) else { continue };
        let map = run.start.file_map(&inode);
        out.push((ino, path.clone(), map.data));
    }
    out
}

/// Recover the journal of `fs` as mount does (all committed transactions).
pub fn recover(fs: &Fs) -> Result<(Fs, Vec<u32>)> {
    if fs.sb.s_feature_incompat & INCOMPAT_RECOVER == 0 {
        return Ok((fs.clone(), Vec::new()));
    }
    let Some(j) = Journal::open(fs)? else { return Ok((fs.clone(), Vec::new())) };
    let log = j.log_for_replay(fs);
    let r = j.replay(fs, &log, None)?;
    let mut o = fs.image().overlay().map(|o| (**o).clone()).unwrap_or_default();
    for b in r.overlay.written().collect::<Vec<_>>() {
        if let Some(d) = r.overlay.get(b) {
            o.write(b, d.clone());
        }
    }
    Ok((fs.with_overlay(Rc::new(o))?, r.report.transactions))
}

/// `ext4_orphan_cleanup` at a read-write mount: each inode of the classic
/// orphan list with no links is deleted (every block of its map freed, the
/// inode freed, dtime set); one with links is truncated to its size (blocks
/// past it freed). The list is emptied.
pub fn orphan_cleanup(fs: &Fs) -> Result<(Fs, Vec<String>)> {
    let (chain, problems) = fs.orphan_chain();
    let mut said: Vec<String> = problems.iter().map(|p| p.message.clone()).collect();
    if chain.is_empty() {
        return Ok((fs.clone(), said));
    }
    let mut mem = Mem::new(fs.clone());
    let bs = u64::from(fs.geo.block_size);
    let now = u64::from(fs.sb.s_wtime);
    for &ino in &chain {
        let inode = fs.inode(ino)?;
        let map = fs.file_map(&inode);
        // ext4_evict_inode truncates only when i_blocks is not 0 (a temporary
        // inode whose extents all sit in i_block keeps its "blocks").
        let truncate = inode.links() != 0 || inode.blocks_raw() != 0;
        let keep = if inode.links() == 0 { 0 } else { inode.size().div_ceil(bs) };
        if truncate && inode.links() == 0 {
            if let Some(n) = truncate_underflowing(&mut mem, &inode, &map, bs)? {
                // The orphan is taken off the list (NEXT_ORPHAN cleared), the
                // inode stays allocated, the file system has an error recorded.
                mem.edit_inode(ino, |r| put_le(r, 0x14, 4, 0))?;
                mem.edit_sb(|sb| {
                    let st = le(sb, 0x3A, 2) | 2; // EXT4_ERROR_FS
                    put_le(sb, 0x3A, 2, st);
                })?;
                said.push(format!(
                    "inode {ino} (links 0): the truncate freed {n} data block(s), then i_blocks ({} sectors, less than what it freed) \
                     could not be written back (\"corrupted inode contents\", -117: \"couldn't truncate inode {ino}\"): its \
                     extent leaf and the inode stay allocated, the inode leaves the orphan list, the file system is marked with errors",
                    inode.blocks_raw()
                ));
                continue;
            }
        }
        let mut freed = 0u64;
        for r in map.data.iter().filter(|_| truncate) {
            for i in 0..r.len {
                if r.logical + i >= keep {
                    free_block(&mut mem, r.physical + i)?;
                    freed += 1;
                }
            }
        }
        if inode.links() == 0 {
            for m in map.metadata.iter().filter(|_| truncate) {
                free_block(&mut mem, m.block)?;
                freed += 1;
            }
            free_inode(&mut mem, ino)?;
            mem.edit_inode(ino, |r| {
                put_le(r, 0x14, 4, now & 0xFFFF_FFFF);
                put_le(r, 0x1C, 4, 0);
                put_le(r, 0x74, 2, 0);
                put_le(r, 0x04, 4, 0);
                super::alloc::write_empty_root(r);
            })?;
            if truncate {
                said.push(format!("inode {ino} (links 0) deleted: truncated, {freed} block(s) freed"));
            } else {
                said.push(format!(
                    "inode {ino} (links 0) deleted: i_blocks is 0, so not truncated; only the inode is freed"
                ));
            }
        } else {
            said.push(format!(
                "inode {ino} truncated to its size {} bytes: {freed} data block(s) past it freed (its block map itself is not rewritten by the simulator)",
                inode.size()
            ));
        }
    }
    mem.edit_sb(|sb| put_le(sb, 0xE8, 4, 0))?;
    Ok((mem.view()?, said))
}

/// `ext4_truncate` of an unlinked extent-mapped inode of depth 1 whose
/// `i_blocks` counts less than its blocks (the migration's temporary inode
/// holds the original's data blocks but counts only its leaves): the kernel
/// removes the last leaf's extents, each freeing its blocks and subtracting
/// them from `i_blocks` (`dquot_free_block`, which lets it go below zero);
/// the next update of the inode (the root's index, before the leaf itself is
/// freed) finds `i_blocks` unrepresentable without huge_file and fails with
/// -EFSCORRUPTED ("corrupted inode contents"), so the truncate stops there. Returns the data blocks freed when that happens
/// (`None`: `i_blocks` suffices, the ordinary path).
fn truncate_underflowing(
    mem: &mut Mem,
    inode: &crate::format::inode::Inode,
    map: &crate::filemap::FileMap,
    bs: u64,
) -> Result<Option<u64>> {
    // With huge_file an i_blocks below zero is still written (as a huge
    // count in blocks, EXT4_HUGE_FILE_FL): the truncate goes on. Without it
    // ext4_inode_blocks_set refuses with -EFSCORRUPTED.
    let huge = mem.base.features().ro_compat(crate::format::features::RO_COMPAT_HUGE_FILE);
    if huge || inode.flags() & crate::format::inode::EXTENTS_FL == 0 {
        return Ok(None);
    }
    let ib = &inode.raw.i_block;
    let u16_at = |o: usize| u64::from(u16::from_le_bytes([ib[o], ib[o + 1]]));
    let u32_at = |o: usize| u64::from(u32::from_le_bytes([ib[o], ib[o + 1], ib[o + 2], ib[o + 3]]));
    // The root header (magic, entries, max, depth, generation), then 12-byte
    // index entries (ei_block first).
    let (magic, entries, depth) = (u16_at(0), u16_at(2), u16_at(6));
    if magic != 0xF30A || depth != 1 || entries == 0 || entries > 4 {
        return Ok(None);
    }
    let spb = (bs / 512).max(1);
    let last_start = u32_at(12 + 12 * (entries as usize - 1));
    let last: alloc::vec::Vec<&crate::filemap::DataRun> =
        map.data.iter().filter(|r| r.logical >= last_start).collect();
    let sectors: u64 = last.iter().map(|r| r.len * spb).sum();
    // Freeing the last leaf's data goes below zero: the root update after it fails.
    if sectors <= inode.blocks_raw() {
        return Ok(None);
    }
    let mut freed = 0u64;
    for r in last {
        for i in 0..r.len {
            free_block(mem, r.physical + i)?;
            freed += 1;
        }
    }
    Ok(Some(freed))
}

/// What the kernel's unmount writes into the superblock: the free counts
/// (its per-cpu counters, set from the descriptors at mount and kept since).
fn unmounted(fs: &Fs) -> Result<Fs> {
    let mut mem = Mem::new(fs.clone());
    let (mut free_b, mut free_i) = (0u64, 0u64);
    for g in 0..fs.geo.groups_count {
        let d = mem.gd(g)?;
        free_b += u64::from(mem.gd_counter(&d, 0x0C, 0x2C)) * u64::from(fs.geo.cluster_ratio.max(1));
        free_i += u64::from(mem.gd_counter(&d, 0x0E, 0x2E));
    }
    mem.edit_sb(|sb| {
        put_le(sb, 0x0C, 4, free_b & 0xFFFF_FFFF);
        put_le(sb, 0x158, 4, free_b >> 32);
        put_le(sb, 0x10, 4, free_i);
        // The mount recovered the journal (or found it empty) and the
        // unmount leaves needs_recovery clear.
        let incompat = le(sb, 0x60, 4) as u32 & !INCOMPAT_RECOVER;
        put_le(sb, 0x60, 4, u64::from(incompat));
    })?;
    mem.view()
}

fn free_block(mem: &mut Mem, b: u64) -> Result<()> {
    let geo = mem.base.geo;
    let Some(g) = geo.group_of_block(b) else { return Ok(()) };
    let grp = mem.base.group(g)?;
    let i = ((b - geo.group_first_block(g)) / u64::from(geo.cluster_ratio.max(1))) as u32;
    let was = mem.edit(grp.block_bitmap, |bm| {
        let x = bm.get((i / 8) as usize).copied().unwrap_or(0);
        if let Some(y) = bm.get_mut((i / 8) as usize) {
            *y &= !(1 << (i % 8));
        }
        x & (1 << (i % 8)) != 0
    })?;
    if was {
        let wide = geo.desc_size >= 64;
        mem.edit_gd(g, |d| {
            let free = le(d, 0x0C, 2) as u32 | if wide { (le(d, 0x2C, 2) as u32) << 16 } else { 0 };
            Mem::set_gd_counter(wide, d, 0x0C, 0x2C, free + 1);
        })?;
    }
    mem.refresh_block_bitmap_csum(g, grp.block_bitmap)?;
    Ok(())
}

fn free_inode(mem: &mut Mem, ino: u32) -> Result<()> {
    let geo = mem.base.geo;
    let Some((g, idx)) = geo.inode_group(ino) else { return Ok(()) };
    let grp = mem.base.group(g)?;
    mem.edit(grp.inode_bitmap, |bm| {
        if let Some(y) = bm.get_mut((idx / 8) as usize) {
            *y &= !(1 << (idx % 8));
        }
    })?;
    let wide = geo.desc_size >= 64;
    mem.edit_gd(g, |d| {
        let free = le(d, 0x0E, 2) as u32 | if wide { (le(d, 0x2E, 2) as u32) << 16 } else { 0 };
        Mem::set_gd_counter(wide, d, 0x0E, 0x2E, free + 1);
    })?;
    mem.refresh_inode_bitmap_csum(g, grp.inode_bitmap)?;
    Ok(())
}

/// Inodes in use with `i_links_count` 0 in the groups of `inos` (bounded: at
/// most 64 groups are looked at).
fn unlinked_in_use(fs: &Fs, inos: &[u32]) -> Vec<u32> {
    let ipg = fs.geo.inodes_per_group;
    let groups: BTreeSet<u32> =
        inos.iter().filter_map(|&i| fs.geo.inode_group(i).map(|x| x.0)).take(64).collect();
    let mut out = Vec::new();
    for g in groups {
        let Ok(bm) = fs.inode_bitmap(g) else { continue };
        for idx in 0..ipg {
            let ino = g * ipg + idx + 1;
            if ino < fs.sb.first_ino() || !bm.get(idx) {
                continue;
            }
            if let Ok(inode) = fs.inode(ino) {
                if inode.links() == 0 && inode.mode() != 0 {
                    out.push(ino);
                }
            }
        }
    }
    out
}

/// The outcome of a crash after the first `k` writes of `run`.
pub fn outcome(run: &Run, k: usize) -> Result<CrashOutcome> {
    let (mounted, replayed, orphan_cleanup) = after_mount(run, k)?;
    let report = crate::check::check(&mounted, &mut |_| true);
    let mut problems: Vec<String> = Vec::new();
    for f in &report.problems {
        let name = f.e2fsck.clone().unwrap_or_else(|| f.code.clone());
        if !problems.contains(&name) {
            problems.push(name);
        }
    }
    let mut codes: Vec<String> =
        report.problems.iter().filter(|p| !p.fatal).filter_map(|p| p.e2fsck_code.clone()).collect();
    codes.sort();
    codes.dedup();
    let watch = watched(run);
    let mut files = Vec::new();
    for (ino, path, runs) in &watch {
        let inode = mounted.inode(*ino)?;
        let map = mounted.file_map(&inode);
        let mut fate = FileFate { inode: *ino, path: path.clone(), blocks: 0, unmapped: 0, freed: 0 };
        for r in runs {
            for i in 0..r.len {
                fate.blocks += 1;
                let (l, p) = (r.logical + i, r.physical + i);
                match map.lookup(l) {
                    Some((q, _)) if q == p => {
                        if !block_in_use(&mounted, p) {
                            fate.freed += 1;
                        }
                    }
                    _ => fate.unmapped += 1,
                }
            }
        }
        files.push(fate);
    }
    let written = written_fates(run, &mounted);
    let revoke_guards = revoke_guards(run, k, &mounted, &written);
    let mut inos: Vec<u32> = watch.iter().map(|w| w.0).collect();
    inos.extend(run.temp_inodes.iter().map(|t| t.1));
    let leaked_inodes = unlinked_in_use(&mounted, &inos);
    let lost = files.iter().any(|f| f.unmapped > 0 || f.freed > 0);
    let stale = written.iter().any(|w| w.content == "stale");
    let verdict = if lost {
        Verdict::DataLoss
    } else if stale {
        Verdict::StaleData
    } else if report.exit_code == 0 && leaked_inodes.is_empty() {
        Verdict::Clean
    } else if !leaked_inodes.is_empty() {
        Verdict::Leak
    } else {
        Verdict::Inconsistent
    };
    let m = crate::mount::verdicts_image(run.state_at(k)?.image());
    let mount = CrashMount {
        ro: String::from(m.ro.outcome.as_str()),
        ro_messages: m.ro.messages,
        rw: String::from(m.rw.outcome.as_str()),
        rw_messages: m.rw.messages,
    };
    Ok(CrashOutcome {
        mount,
        point: k,
        replayed,
        orphan_cleanup,
        exit_code: report.exit_code,
        problems,
        codes,
        files,
        written,
        revoke_guards,
        leaked_inodes,
        verdict,
    })
}

/// What each written file should hold after all the operations (renames
/// followed, removed names dropped): path → bytes.
fn expected_files(run: &Run) -> alloc::collections::BTreeMap<String, Vec<u8>> {
    use super::ops::Op;
    let mut m: alloc::collections::BTreeMap<String, Vec<u8>> = Default::default();
    for op in &run.ops {
        match &op.op {
            Op::Write { path, offset, len } => {
                let data = super::files::content(path, *offset, *len as usize);
                let v = m.entry(path.clone()).or_insert_with(|| {
                    // A file that existed: its bytes as they were.
                    run.start
                        .lookup(path)
                        .ok()
                        .and_then(|i| run.start.inode(i).ok())
                        .and_then(|ino| run.start.read_file(&ino, 0, ino.size().min(64 << 20) as usize).ok())
                        .unwrap_or_default()
                });
                let end = (*offset + *len) as usize;
                if v.len() < end {
                    v.resize(end, 0);
                }
                v[*offset as usize..end].copy_from_slice(&data);
            }
            Op::Mv { from, to } => {
                if let Some(v) = m.remove(from) {
                    m.insert(to.clone(), v);
                } else {
                    m.remove(to);
                }
            }
            Op::Rm { path } => {
                m.remove(path);
            }
            Op::Truncate { path, size } => {
                if let Some(v) = m.get_mut(path) {
                    v.resize(*size as usize, 0);
                }
            }
            _ => {}
        }
    }
    m
}

fn written_fates(run: &Run, fs: &Fs) -> Vec<WrittenFate> {
    let mut out = Vec::new();
    for (path, want) in expected_files(run) {
        let ino = fs.lookup(&path).ok();
        let inode = ino.and_then(|i| fs.inode(i).ok());
        let before = run
            .start
            .lookup(&path)
            .ok()
            .and_then(|i| run.start.inode(i).ok())
            .and_then(|i| run.start.read_file(&i, 0, i.size().min(64 << 20) as usize).ok());
        let (size, content) = match &inode {
            None => (None, "missing"),
            Some(i) => {
                let got = fs.read_file(i, 0, (i.size().min(64 << 20)) as usize).unwrap_or_default();
                let c = if got == want {
                    "as-written"
                } else if before.as_ref() == Some(&got) {
                    "unchanged"
                } else if (got.len() as u64) < want.len() as u64 && want.starts_with(&got) {
                    "short"
                } else if got.len() == want.len() && got.iter().zip(&want).all(|(g, w)| g == w || *g == 0) {
                    "zeros"
                } else {
                    "stale"
                };
                (Some(i.size()), c)
            }
        };
        out.push(WrittenFate { path, inode: ino, expected_size: want.len() as u64, size, content });
    }
    out
}

/// Revoke records of the log recovery would replay at crash point `k` that
/// skip an older logged copy of their block.
fn revoke_guards(run: &Run, k: usize, mounted: &Fs, written: &[WrittenFate]) -> Vec<RevokeGuard> {
    let Ok(crashed) = run.state_at(k.min(run.len())) else { return Vec::new() };
    let Ok(Some(j)) = Journal::open(&crashed) else { return Vec::new() };
    let log = j.log_for_replay(&crashed);
    let txs: Vec<_> = log.replayed().collect();
    let mut out = Vec::new();
    for t in &txs {
        for &r in &t.revoked {
            for s in txs
                .iter()
                .filter(|s| crate::journal::log::tid_gt(t.sequence, s.sequence) || s.sequence == t.sequence)
            {
                if s.blocks.iter().any(|b| b.fs_block == r) {
                    let now_data_of = written.iter().find_map(|w| {
                        let i = mounted.inode(w.inode?).ok()?;
                        let map = mounted.file_map(&i);
                        map.data
                            .iter()
                            .any(|d| r >= d.physical && r < d.physical + d.len)
                            .then(|| w.path.clone())
                    });
                    out.push(RevokeGuard {
                        block: r,
                        logged_in: s.sequence,
                        revoked_in: t.sequence,
                        now_data_of,
                    });
                }
            }
        }
    }
    out
}

/// The state the next read-write mount leaves after a crash at `k`: the
/// journal recovered, the orphan list processed. Also the transactions
/// replayed and what the orphan cleanup did.
pub fn after_mount(run: &Run, k: usize) -> Result<(Fs, Vec<u32>, Vec<String>)> {
    let crashed = run.state_at(k.min(run.len()))?;
    let (replayed_fs, replayed) = recover(&crashed)?;
    let (mounted, said) = orphan_cleanup(&replayed_fs)?;
    Ok((unmounted(&mounted)?, replayed, said))
}

fn block_in_use(fs: &Fs, b: u64) -> bool {
    let Some(g) = fs.geo.group_of_block(b) else { return false };
    let Ok(bm) = fs.block_bitmap(g) else { return false };
    let i = ((b - fs.geo.group_first_block(g)) / u64::from(fs.geo.cluster_ratio.max(1))) as u32;
    bm.get(i)
}

/// The crash points worth showing: before anything, after each write that
/// changes what a crash leaves (each commit block, each checkpoint's end), the
/// end of the operations and the clean unmount.
pub fn interesting_points(run: &Run) -> Vec<usize> {
    let mut v = alloc::vec![0usize];
    for t in &run.stream.transactions {
        v.push(t.commit_write);
        v.push(t.commit_write + 1);
        if let Some(c) = t.checkpointed {
            v.push(c + 1);
        }
    }
    v.push(run.end);
    v.push(run.len());
    v.sort_unstable();
    v.dedup();
    v.retain(|&k| k <= run.len());
    v
}
