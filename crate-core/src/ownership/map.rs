//! The ownership map, layout metadata computed without a scan, and [`Fs::owner_of`].

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use crate::error::{Error, Result, Severity};
use crate::format::features::*;
use crate::fs::Fs;
use crate::io::IoError;

use super::scan::Scanner;
use super::store::{Bits, Run, RunKey, RunStore, MAX_RUN, RUN_UNWRITTEN};
use super::{
    BitmapDifference, KindCount, KindRun, MapBucket, MapSummary, MultiplyClaimed, Owner, OwnerKind,
    OwnerReport, Progress, ScanReport, KIND_COUNT, MAX_BUCKETS, MAX_LISTED, RESIZE_INO,
};

// ---------------------------------------------------------------------------
// The ownership map
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy)]
pub(super) struct XattrUse {
    pub(super) first_inode: u32,
    pub(super) refs: u32,
    pub(super) refcount: Option<u32>,
}

/// Which block claims which: built by a [`Scanner`], queried by [`Fs::owner_of`]
/// and by the map exports.
#[derive(Debug, Clone)]
pub struct OwnershipMap {
    pub(super) blocks_count: u64,
    pub(super) ratio: u64,
    pub(super) claimed: Bits,
    /// Clusters claimed a second time (candidates; legality is decided in `resolve`).
    multi: Bits,
    runs: RunStore,
    seq: u64,
    max_len: u64,
    /// Last run of each kind in the tree, to extend instead of adding.
    last: [Option<RunKey>; KIND_COUNT],
    /// The run of each kind being extended, not yet in the tree.
    pending: [Option<(RunKey, Run)>; KIND_COUNT],
    pub(super) xattr: BTreeMap<u64, XattrUse>,
    /// Illegal (or shared_blocks) multiply-claimed ranges, sorted, after `resolve`.
    pub(super) dups: Vec<MultiplyClaimed>,
    pub(super) dup_blocks: u64,
    pub(super) shared_blocks: bool,
    /// Bitmap differences, sorted, after the bitmap phase.
    pub(super) diffs: Vec<BitmapDifference>,
    pub(super) diff_blocks: (u64, u64),
    pub(super) complete: bool,
    /// Layout facts needed to describe runs.
    inode_table_blocks: u32,
    inodes_per_group: u32,
    inode_size: u32,
    pub(super) block_size: u32,
}

impl OwnershipMap {
    pub(super) fn new(fs: &Fs) -> OwnershipMap {
        let ratio = u64::from(fs.geo.cluster_ratio.max(1));
        let clusters = fs.geo.blocks_count.div_ceil(ratio);
        OwnershipMap {
            blocks_count: fs.geo.blocks_count,
            ratio,
            claimed: Bits::new(clusters),
            multi: Bits::new(clusters),
            runs: RunStore::default(),
            seq: 0,
            max_len: 0,
            last: [None; KIND_COUNT],
            pending: [None; KIND_COUNT],
            xattr: BTreeMap::new(),
            dups: Vec::new(),
            dup_blocks: 0,
            shared_blocks: fs.features().ro_compat(RO_COMPAT_SHARED_BLOCKS),
            diffs: Vec::new(),
            diff_blocks: (0, 0),
            complete: false,
            inode_table_blocks: fs.geo.inode_table_blocks.max(1),
            inodes_per_group: fs.geo.inodes_per_group,
            inode_size: fs.geo.inode_size,
            block_size: fs.geo.block_size,
        }
    }

    /// True after a scan finished (inode claims and bitmap comparison included).
    pub fn is_complete(&self) -> bool {
        self.complete
    }

    /// Blocks in the file system.
    pub fn blocks_count(&self) -> u64 {
        self.blocks_count
    }

    /// Bytes of heap the map holds (approximate: bitsets plus run records).
    pub fn heap_bytes(&self) -> usize {
        self.claimed.heap_bytes() + self.multi.heap_bytes() + self.runs.len() * 48 + self.xattr.len() * 40
    }

    /// Number of run records.
    pub fn run_count(&self) -> usize {
        self.runs.len()
    }

    /// Is the cluster of `block` claimed by anything recorded so far?
    pub fn is_claimed(&self, block: u64) -> bool {
        self.claimed.get(block / self.ratio)
    }

    /// Record a claim of `len` blocks from `start`. Blocks past the end of the file
    /// system are the caller's to report; they are clipped here.
    pub(super) fn claim(&mut self, start: u64, len: u64, kind: OwnerKind, id: u32, logical: u32, flags: u8) {
        let end = start.saturating_add(len).min(self.blocks_count);
        if start >= end {
            return;
        }
        let mut s = start;
        let mut lg = logical;
        while s < end {
            let n = (end - s).min(MAX_RUN);
            self.claim_one(s, n as u32, kind, id, lg, flags);
            s += n;
            lg = lg.wrapping_add(n as u32);
        }
    }

    fn claim_one(&mut self, start: u64, len: u32, kind: OwnerKind, id: u32, logical: u32, flags: u8) {
        let end = start + u64::from(len);
        let mut first_cluster = start / self.ratio;
        let slot = kind as usize;
        let itb = self.inode_table_blocks;
        let ratio = self.ratio;
        // Extend the previous run of this kind when the claim continues it: the
        // pending one (not yet in the tree), else the last one flushed.
        let extend = |k: RunKey, prev: &mut Run, first_cluster: &mut u64| -> bool {
            let prev_end = k.0 + u64::from(prev.len);
            if prev_end == start
                && prev.flags == flags
                && u64::from(prev.len) + u64::from(len) <= MAX_RUN
                && Self::continues(prev, kind, id, logical, itb)
            {
                // The cluster the previous run ends in is already marked (bigalloc).
                if (prev_end - 1) / ratio == *first_cluster {
                    *first_cluster += 1;
                }
                prev.len += len;
                return true;
            }
            false
        };
        let mut merged = false;
        if let Some(Some((k, prev))) = self.pending.get_mut(slot) {
            merged = extend(*k, prev, &mut first_cluster);
            if merged {
                self.max_len = self.max_len.max(u64::from(prev.len));
            }
        } else if let Some(k) = self.last.get(slot).copied().flatten() {
            if let Some(prev) = self.runs.get_mut(&k) {
                merged = extend(k, prev, &mut first_cluster);
                if merged {
                    self.max_len = self.max_len.max(u64::from(prev.len));
                }
            }
        }
        if !merged {
            // The key is given now, so the tree's order does not depend on when
            // pending runs are flushed (stepped and whole scans agree).
            let key = (start, self.seq);
            self.seq += 1;
            let new = Some((key, Run { len, id, logical, kind, flags }));
            if let Some(p) = self.pending.get_mut(slot) {
                if let Some((k, r)) = core::mem::replace(p, new) {
                    self.runs.insert(k, r);
                    if let Some(l) = self.last.get_mut(slot) {
                        *l = Some(k);
                    }
                }
            }
            self.max_len = self.max_len.max(u64::from(len));
        }
        self.mark(first_cluster, (end - 1) / self.ratio + 1);
    }

    /// Move pending runs into the tree (queries only look there).
    pub(super) fn flush(&mut self) {
        self.flush_pending();
        self.runs.compact();
    }

    /// Sort the runs added since the last look into the query structure. Queries
    /// are right without it but slower (they sort what they need of the rest).
    pub fn compact(&mut self) {
        self.flush();
    }

    pub(super) fn flush_pending(&mut self) {
        for slot in 0..KIND_COUNT {
            if let Some((k, r)) = self.pending.get_mut(slot).and_then(|p| p.take()) {
                self.runs.insert(k, r);
                if let Some(l) = self.last.get_mut(slot) {
                    *l = Some(k);
                }
            }
        }
    }

    /// Does a claim continue `prev` (same owner, next logical block)?
    fn continues(prev: &Run, kind: OwnerKind, id: u32, logical: u32, itb: u32) -> bool {
        match kind {
            OwnerKind::BlockBitmap | OwnerKind::InodeBitmap => prev.id.checked_add(prev.len) == Some(id),
            OwnerKind::InodeTable => {
                // `logical` is the run's offset in blocks from the start of group
                // `id`'s table.
                let end = prev.logical.saturating_add(prev.len);
                logical == 0 && end.is_multiple_of(itb) && prev.id.checked_add(end / itb) == Some(id)
            }
            OwnerKind::ExtentTree
            | OwnerKind::Ind
            | OwnerKind::Dind
            | OwnerKind::Tind
            | OwnerKind::Xattr
            | OwnerKind::Superblock
            | OwnerKind::GroupDescriptors
            | OwnerKind::ReservedGdt
            | OwnerKind::Mmp
            | OwnerKind::BootBlock
            | OwnerKind::Free => false,
            _ => prev.id == id && prev.logical.checked_add(prev.len) == Some(logical),
        }
    }

    /// Set clusters `[a, b)` claimed; those already claimed become candidates.
    fn mark(&mut self, a: u64, b: u64) {
        let b = b.min(self.claimed.len);
        if a >= b {
            return;
        }
        let mut w = a / 64;
        while w * 64 < b {
            let m = Bits::mask(w, a, b);
            let old = self.claimed.or_word(w, m);
            if old != 0 {
                self.multi.or_word(w, old);
            }
            w += 1;
        }
    }

    /// Runs that may contain `block`, newest first (walks back at most `max_len`).
    fn runs_at(&self, block: u64, all: bool) -> Vec<(RunKey, Run)> {
        let mut out = Vec::new();
        let c = block / self.ratio;
        if !self.claimed.get(c) {
            return out;
        }
        let lo_cluster = c * self.ratio;
        let hi_cluster = lo_cluster + self.ratio; // exclusive
        let floor = lo_cluster.saturating_sub(self.max_len);
        for (k, r) in self.runs.covering(floor, (hi_cluster, 0)) {
            let end = k.0 + u64::from(r.len);
            if end > lo_cluster {
                out.push((k, r));
                if !all {
                    break;
                }
            }
        }
        out
    }

    fn owner_from_run(&self, fs: &Fs, key: RunKey, r: &Run, at: u64, span: Option<(u64, u64)>) -> Owner {
        let (first_block, blocks) = span.unwrap_or((key.0, u64::from(r.len)));
        let off = at.saturating_sub(key.0);
        let off32 = u32::try_from(off).unwrap_or(u32::MAX);
        let mut o = Owner {
            kind: r.kind,
            inode: None,
            logical: None,
            group: None,
            first_block,
            blocks,
            detail: String::new(),
        };
        match r.kind {
            OwnerKind::BlockBitmap | OwnerKind::InodeBitmap => {
                let g = r.id.saturating_add(off32);
                o.group = Some(g);
                o.detail = format!(
                    "{} of group {g}",
                    if r.kind == OwnerKind::BlockBitmap { "block bitmap" } else { "inode bitmap" }
                );
            }
            OwnerKind::InodeTable => {
                let itb = self.inode_table_blocks;
                let off32 = off32.saturating_add(r.logical);
                let g = r.id.saturating_add(off32 / itb);
                let idx = off32 % itb;
                let per = (self.block_size / self.inode_size.max(1)).max(1);
                let first = u64::from(g) * u64::from(self.inodes_per_group) + u64::from(idx * per) + 1;
                let last = first + u64::from(per) - 1;
                o.group = Some(g);
                o.logical = Some(u64::from(idx));
                o.detail = format!("inode table of group {g}, block {idx}: inodes {first}-{last}");
            }
            _ if r.kind.is_layout() => {
                let d = layout_owners(fs, at);
                if let Some(x) = d.into_iter().find(|x| x.kind == r.kind) {
                    o.group = x.group;
                    o.inode = x.inode;
                    o.detail = x.detail;
                }
            }
            OwnerKind::Xattr => {
                o.inode = Some(r.id);
                let u = self.xattr.get(&key.0);
                let refs = u.map(|u| u.refs).unwrap_or(1);
                o.detail = match u.and_then(|u| u.refcount) {
                    Some(rc) => format!(
                        "extended attribute block, refcount {rc}, referenced by {refs} inode(s) (first: inode {})",
                        r.id
                    ),
                    None => format!("extended attribute block of inode {}", r.id),
                };
            }
            k if k.is_block_map() => {
                o.inode = Some(r.id);
                o.logical = Some(u64::from(r.logical));
                o.detail = match k {
                    OwnerKind::ExtentTree => {
                        format!("extent tree block of inode {} (level {})", r.id, r.logical)
                    }
                    OwnerKind::Ind => format!("indirect block of inode {}", r.id),
                    OwnerKind::Dind => format!("double indirect block of inode {}", r.id),
                    _ => format!("triple indirect block of inode {}", r.id),
                };
            }
            _ => {
                o.inode = Some(r.id);
                let lg = u64::from(r.logical) + off;
                o.logical = Some(lg);
                let what = match r.kind {
                    OwnerKind::Journal => "journal",
                    OwnerKind::DirData => "directory block",
                    OwnerKind::SymlinkData => "symlink target",
                    OwnerKind::ResizeInode => "resize inode block",
                    OwnerKind::Quota => "quota file",
                    OwnerKind::OrphanFile => "orphan file",
                    OwnerKind::BadBlocks => "bad block list",
                    OwnerKind::BootLoader => "boot loader",
                    OwnerKind::ReservedInode => "reserved inode data",
                    OwnerKind::OtherData => "data of a special file",
                    _ => "file data",
                };
                let unwritten = if r.flags & RUN_UNWRITTEN != 0 { " (unwritten)" } else { "" };
                o.detail = format!("{what}: inode {} logical block {lg}{unwritten}", r.id);
            }
        }
        o
    }

    /// Illegal multiply-claimed ranges found so far (complete after the resolve phase).
    pub fn multiply_claimed(&self) -> &[MultiplyClaimed] {
        &self.dups
    }

    /// The kind of each block in `[start, start + count)`, at most 1 Mi blocks; the
    /// first claim recorded wins where several claim a block.
    pub fn kinds(&self, start: u64, count: u64) -> Vec<OwnerKind> {
        let count = count.min(1 << 20).min(self.blocks_count.saturating_sub(start));
        let mut out = vec![OwnerKind::Free; count as usize];
        let end = start + count;
        for (k, r) in self.runs.range((start.saturating_sub(self.max_len), 0), (end, 0)) {
            let a = k.0.max(start);
            let b = (k.0 + u64::from(r.len)).min(end);
            for i in a..b {
                if let Some(x) = out.get_mut((i - start) as usize) {
                    if *x == OwnerKind::Free {
                        *x = r.kind;
                    }
                }
            }
        }
        out
    }

    /// Runs of one kind in `[start, end)`, free runs included, at most `max` runs
    /// (the rest of the range is then left out; check the last run's end).
    pub fn kind_runs(&self, start: u64, end: u64, max: usize) -> Vec<KindRun> {
        let end = end.min(self.blocks_count);
        let mut out: Vec<KindRun> = Vec::new();
        let mut pos = start;
        let push = |out: &mut Vec<KindRun>, s: u64, e: u64, kind: OwnerKind| {
            if e <= s {
                return;
            }
            if let Some(l) = out.last_mut() {
                if l.kind == kind && l.start + l.len == s {
                    l.len += e - s;
                    return;
                }
            }
            out.push(KindRun { start: s, len: e - s, kind });
        };
        for (k, r) in self.runs.range((start.saturating_sub(self.max_len), 0), (end, 0)) {
            if out.len() >= max {
                break;
            }
            let a = k.0.max(pos);
            let b = (k.0 + u64::from(r.len)).min(end);
            if b <= a {
                continue;
            }
            push(&mut out, pos, a, OwnerKind::Free);
            push(&mut out, a, b, r.kind);
            pos = b;
        }
        if out.len() < max {
            push(&mut out, pos, end, OwnerKind::Free);
        }
        out.truncate(max);
        out
    }

    /// A summary of `[start, end)` in at most `max_buckets` (at most
    /// [`MAX_BUCKETS`]) buckets of at least one block each: enough to draw the whole disk, or any zoom of it, from a bounded
    /// message.
    pub fn summary(&self, start: u64, end: u64, max_buckets: u32) -> MapSummary {
        let end = end.min(self.blocks_count);
        let start = start.min(end);
        let span = end - start;
        let nb = u64::from(max_buckets.clamp(1, MAX_BUCKETS));
        let per = span.div_ceil(nb).max(1);
        let n = span.div_ceil(per) as usize;
        let mut counts: Vec<[u32; KIND_COUNT]> = vec![[0; KIND_COUNT]; n];
        let mut kinds = vec![0u32; n];
        for (k, r) in self.runs.range((start.saturating_sub(self.max_len), 0), (end, 0)) {
            let a = k.0.max(start);
            let b = (k.0 + u64::from(r.len)).min(end);
            let mut x = a;
            while x < b {
                let i = ((x - start) / per) as usize;
                let bucket_end = start + (i as u64 + 1) * per;
                let y = b.min(bucket_end);
                if let (Some(c), Some(m)) = (counts.get_mut(i), kinds.get_mut(i)) {
                    let slot = &mut c[r.kind as usize];
                    *slot = slot.saturating_add((y - x) as u32);
                    *m |= 1 << (r.kind as u32);
                }
                x = y;
            }
        }
        let mut buckets = Vec::with_capacity(n);
        for i in 0..n {
            let a = start + i as u64 * per;
            let b = (a + per).min(end);
            let (ca, cb) = (a / self.ratio, (b - 1) / self.ratio + 1);
            let used = (self.claimed.count_range(ca, cb) * self.ratio).min(b - a);
            let c = counts.get(i).copied().unwrap_or([0; KIND_COUNT]);
            let mut dominant = OwnerKind::Free;
            let mut best = 0;
            for (k, &v) in c.iter().enumerate() {
                if v > best {
                    best = v;
                    dominant = OwnerKind::from_code(k as u8);
                }
            }
            let dup_i = self.dups.partition_point(|d| d.start + d.len <= a);
            let diff_i = self.diffs.partition_point(|d| d.start + d.len <= a);
            buckets.push(MapBucket {
                dominant,
                used,
                kinds: kinds.get(i).copied().unwrap_or(0),
                multiply_claimed: self.dups.get(dup_i).is_some_and(|d| d.start < b),
                bitmap_difference: self.diffs.get(diff_i).is_some_and(|d| d.start < b),
            });
        }
        MapSummary { start, end, blocks_per_bucket: per, buckets }
    }

    /// Blocks claimed per kind (a block claimed twice counts twice).
    pub fn blocks_by_kind(&self) -> Vec<KindCount> {
        let mut c = [0u64; KIND_COUNT];
        for (_, r) in self.runs.iter() {
            c[r.kind as usize] += u64::from(r.len);
        }
        c.iter()
            .enumerate()
            .filter(|(_, &n)| n > 0)
            .map(|(k, &n)| KindCount { kind: OwnerKind::from_code(k as u8), blocks: n })
            .collect()
    }

    /// Clusters claimed by anything.
    pub fn owned_clusters(&self) -> u64 {
        self.claimed.count_range(0, self.claimed.len)
    }

    /// Find every owner of the clusters claimed twice and keep the illegal ranges
    /// (e2fsck's pass 1B, over the recorded runs instead of the inode tables).
    pub(super) fn resolve(&mut self, fs: &Fs) {
        self.dups.clear();
        self.dup_blocks = 0;
        if self.multi.is_empty() {
            return;
        }
        let r = self.ratio;
        // Pieces: the parts of runs that lie on candidate clusters.
        struct Piece {
            c0: u64,
            c1: u64,
            key: RunKey,
            run: Run,
        }
        let mut pieces: Vec<Piece> = Vec::new();
        for (k, run) in self.runs.iter() {
            let c_first = k.0 / r;
            let c_end = (k.0 + u64::from(run.len) - 1) / r + 1;
            let mut c = c_first;
            while let Some(s) = self.multi.next_set(c, c_end) {
                let e = self.multi.next_clear(s, c_end);
                pieces.push(Piece { c0: s, c1: e, key: *k, run: *run });
                c = e;
            }
        }
        pieces.sort_unstable_by_key(|p| (p.c0, p.key));
        let mut by_key: Vec<(RunKey, Run)> = pieces.iter().map(|p| (p.key, p.run)).collect();
        by_key.sort_unstable_by_key(|e| e.0);
        by_key.dedup_by_key(|e| e.0);
        // Sweep over piece boundaries: intervals with a constant set of claims.
        let mut bounds: Vec<u64> = pieces.iter().flat_map(|p| [p.c0, p.c1]).collect();
        bounds.sort_unstable();
        bounds.dedup();
        let mut active: Vec<usize> = Vec::new();
        let mut next = 0usize;
        let mut ranges: Vec<(u64, u64, Vec<RunKey>)> = Vec::new();
        for w in bounds.windows(2) {
            let (x, y) = (w[0], w[1]);
            active.retain(|&i| pieces.get(i).is_some_and(|p| p.c1 > x));
            while let Some(p) = pieces.get(next) {
                if p.c0 > x {
                    break;
                }
                if p.c1 > x {
                    active.push(next);
                }
                next += 1;
            }
            if active.len() < 2 {
                continue;
            }
            let mut keys: Vec<RunKey> = active.iter().filter_map(|&i| pieces.get(i).map(|p| p.key)).collect();
            keys.sort_unstable();
            keys.dedup();
            match ranges.last_mut() {
                Some(last) if last.1 == x && last.2 == keys => last.1 = y,
                _ => ranges.push((x, y, keys)),
            }
        }
        let severity = if self.shared_blocks { Severity::Info } else { Severity::Error };
        for (c0, c1, keys) in ranges {
            let b0 = c0 * r;
            let b1 = (c1 * r).min(self.blocks_count);
            // Pieces are few (only parts of runs on candidate clusters): find the
            // runs there, not in the whole store (whose tail may be unsorted).
            let runs: Vec<(RunKey, Run)> = keys
                .iter()
                .filter_map(|k| {
                    by_key.binary_search_by_key(k, |e| e.0).ok().and_then(|i| by_key.get(i)).copied()
                })
                .collect();
            if r > 1 && Self::legal_cluster_share(&runs, b0, b1) {
                self.multi.clear_range(c0, c1);
                continue;
            }
            self.dup_blocks += b1 - b0;
            if self.dups.len() >= MAX_LISTED {
                continue;
            }
            let owners = runs
                .iter()
                .take(64)
                .map(|(k, run)| {
                    let s = k.0.max(b0);
                    let e = (k.0 + u64::from(run.len)).min(b1);
                    self.owner_from_run(fs, *k, run, s, Some((s, e.saturating_sub(s))))
                })
                .collect();
            self.dups.push(MultiplyClaimed { start: b0, len: b1 - b0, owners, severity });
        }
    }

    /// Bigalloc: claims on one cluster are legal when they claim different blocks
    /// and come only from layout metadata, or only from one inode.
    fn legal_cluster_share(runs: &[(RunKey, Run)], b0: u64, b1: u64) -> bool {
        let mut spans: Vec<(u64, u64)> = runs
            .iter()
            .map(|(k, r)| (k.0.max(b0), (k.0 + u64::from(r.len)).min(b1)))
            .filter(|(a, b)| a < b)
            .collect();
        spans.sort_unstable();
        if spans.windows(2).any(|w| w[1].0 < w[0].1) {
            return false;
        }
        let all_layout = runs.iter().all(|(_, r)| r.kind.is_layout());
        // The inode a claim belongs to: reserved GDT blocks are the resize inode's.
        let inode_of = |r: &Run| match r.kind {
            OwnerKind::ReservedGdt => Some(RESIZE_INO),
            OwnerKind::Xattr => None,
            k if k.is_layout() => None,
            _ => Some(r.id),
        };
        let first = runs.first().and_then(|(_, r)| inode_of(r));
        let one_inode = first.is_some() && runs.iter().all(|(_, r)| inode_of(r) == first);
        all_layout || one_inode
    }
}

// ---------------------------------------------------------------------------
// Layout metadata, computed without a scan
// ---------------------------------------------------------------------------

/// Claims that follow from the superblock and the descriptors, for one block.
fn layout_owners(fs: &Fs, block: u64) -> Vec<Owner> {
    let geo = &fs.geo;
    let mut v = Vec::new();
    let one = |kind, group: Option<u32>, first_block, blocks, detail: String| Owner {
        kind,
        inode: None,
        logical: None,
        group,
        first_block,
        blocks,
        detail,
    };
    if block == 0 && geo.block_size == 1024 && fs.geo.group_head(0).superblock != Some(0) {
        v.push(one(
            OwnerKind::BootBlock,
            None,
            0,
            1,
            String::from("boot block (block 0 of a 1 KiB-block file system, before the superblock)"),
        ));
    }
    if let Some(g) = geo.group_of_block(block) {
        let head = geo.group_head(g);
        let which = if g == 0 { "primary" } else { "backup" };
        if head.superblock == Some(block) {
            v.push(one(OwnerKind::Superblock, Some(g), block, 1, format!("{which} superblock (group {g})")));
        }
        if let Some((s, n)) = head.gdt {
            if block >= s && block - s < n {
                let meta_bg = geo.features.incompat(INCOMPAT_META_BG);
                let i = if meta_bg && g >= geo.first_meta_bg.saturating_mul(geo.descs_per_block) {
                    u64::from(g / geo.descs_per_block.max(1))
                } else {
                    block - s
                };
                let first = i * u64::from(geo.descs_per_block);
                let last = (first + u64::from(geo.descs_per_block)).min(u64::from(geo.groups_count)) - 1;
                let copy = if g == 0 || (meta_bg && g % geo.descs_per_block.max(1) == 0) {
                    "primary"
                } else {
                    "backup"
                };
                v.push(one(
                    OwnerKind::GroupDescriptors,
                    Some(g),
                    s,
                    n,
                    format!("group descriptors of groups {first}-{last} ({copy} copy in group {g})"),
                ));
            }
        }
        if let Some((s, n)) = head.reserved_gdt {
            if block >= s && block - s < n {
                let mut o = one(
                    OwnerKind::ReservedGdt,
                    Some(g),
                    s,
                    n,
                    format!("reserved GDT block {} ({which} copy in group {g})", block - s),
                );
                if geo.features.compat(COMPAT_RESIZE_INODE) {
                    o.inode = Some(RESIZE_INO);
                    o.detail.push_str(", mapped by the resize inode (7)");
                }
                v.push(o);
            }
        }
    }
    let itb = u64::from(geo.inode_table_blocks);
    for gr in fs.groups() {
        let g = gr.index;
        if gr.block_bitmap == block {
            v.push(one(OwnerKind::BlockBitmap, Some(g), block, 1, format!("block bitmap of group {g}")));
        }
        if gr.inode_bitmap == block {
            v.push(one(OwnerKind::InodeBitmap, Some(g), block, 1, format!("inode bitmap of group {g}")));
        }
        if block >= gr.inode_table && block - gr.inode_table < itb {
            let idx = block - gr.inode_table;
            let per = u64::from(geo.block_size / geo.inode_size.max(1)).max(1);
            let first = u64::from(g) * u64::from(geo.inodes_per_group) + idx * per + 1;
            let mut o = one(
                OwnerKind::InodeTable,
                Some(g),
                gr.inode_table,
                itb,
                format!("inode table of group {g}, block {idx}: inodes {first}-{}", first + per - 1),
            );
            o.logical = Some(idx);
            v.push(o);
        }
    }
    if let Some(m) = mmp_block(fs) {
        if m == block {
            v.push(one(OwnerKind::Mmp, None, m, 1, String::from("multi-mount protection block")));
        }
    }
    v
}

pub(super) fn mmp_block(fs: &Fs) -> Option<u64> {
    let m = fs.sb.s_mmp_block;
    (fs.features().incompat(INCOMPAT_MMP) && m > 0 && m < fs.geo.blocks_count).then_some(m)
}

/// Is `block` a reserved GDT block (primary or backup)?
pub(super) fn is_reserved_gdt(fs: &Fs, block: u64) -> bool {
    let Some(g) = fs.geo.group_of_block(block) else { return false };
    fs.geo.group_head(g).reserved_gdt.is_some_and(|(s, n)| block >= s && block - s < n)
}

impl Fs {
    /// Who claims `block`. Without `map` (or with an unfinished one) only layout
    /// metadata is known, computed from the superblock and descriptors; with a
    /// finished scan's map, inode claims too.
    pub fn owner_of(&self, block: u64, map: Option<&OwnershipMap>) -> Result<OwnerReport> {
        if block >= self.geo.blocks_count {
            return Err(Error::Io(IoError {
                offset: block.saturating_mul(u64::from(self.geo.block_size)),
                len: u64::from(self.geo.block_size),
                message: format!(
                    "block {block} is outside the file system (blocks 0-{})",
                    self.geo.blocks_count - 1
                ),
            }));
        }
        let ratio = u64::from(self.geo.cluster_ratio.max(1));
        let cluster = block / ratio;
        let group = self.geo.group_of_block(block);
        // With bigalloc every block of the cluster counts.
        let c0 = cluster * ratio;
        let c1 = (c0 + ratio).min(self.geo.blocks_count);
        let mut owners: Vec<Owner> = Vec::new();
        for b in c0..c1 {
            for o in layout_owners(self, b) {
                if !owners
                    .iter()
                    .any(|x| x.kind == o.kind && x.first_block == o.first_block && x.group == o.group)
                {
                    owners.push(o);
                }
            }
        }
        if let Some(m) = map {
            let mut found = m.runs_at(block, true);
            found.sort_unstable_by_key(|(k, _)| *k);
            for (k, r) in found {
                if r.kind.is_layout() {
                    continue;
                }
                let at = block.clamp(k.0, k.0 + u64::from(r.len) - 1);
                owners.push(m.owner_from_run(self, k, &r, at, None));
            }
        }
        let multiply_claimed = match map {
            // After the resolve phase, `multi` holds exactly the illegal clusters
            // (legal bigalloc sharing was cleared), listed in the report or not.
            Some(m) if m.complete => m.multi.get(cluster),
            _ => {
                // Layout alone: two layout structures on one block (never legal).
                let mut n = 0;
                for o in &owners {
                    if o.first_block <= block && block - o.first_block < o.blocks {
                        n += 1;
                    }
                }
                n > 1
            }
        };
        let bitmap_says_used = group.and_then(|g| {
            let bm = self.block_bitmap(g).ok()?;
            let first = self.geo.group_first_block(g);
            Some(bm.get(u32::try_from((block - first) / ratio).ok()?))
        });
        Ok(OwnerReport {
            block,
            cluster,
            group,
            owners,
            multiply_claimed,
            shared_blocks: self.features().ro_compat(RO_COMPAT_SHARED_BLOCKS),
            bitmap_says_used,
            scan_complete: map.is_some_and(|m| m.complete),
        })
    }

    /// Scan the whole file system, calling `progress` now and then; it returns
    /// false to cancel (then `None`).
    pub fn scan(&self, progress: &mut dyn FnMut(Progress) -> bool) -> Option<(OwnershipMap, ScanReport)> {
        let mut s = Scanner::new(self);
        if !s.run(self, progress) {
            return None;
        }
        let report = s.report(self);
        Some((s.into_map(), report))
    }
}
