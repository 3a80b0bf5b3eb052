//! File data and names: `write` into the page cache (delayed allocation:
//! no blocks, the in-memory size only), writeback (`ext4_writepages`: blocks
//! allocated, extents inserted, `i_disksize` raised, the data written before
//! the commit under data=ordered), `fsync`, `sync`, creating a file,
//! `mv` (with auto_da_alloc's flush when it replaces a file) and `rm` (the
//! orphan list, then `ext4_evict_inode`: every block freed, metadata revoked,
//! data not). Directories are linear (an htree directory, or one that would
//! have to grow, is refused with an error saying so).
//!
//! Data allocation follows mballoc for the cases modelled. Delayed
//! allocation's writeback: a file of at most `s_mb_stream_request` (16)
//! blocks takes its blocks from the locality group's preallocation, created
//! by the regular allocator below for 512 blocks from the group of the goal
//! (`ext4_ext_find_goal`; on a flex_bg file system of 4 groups or more a new
//! regular file's goal is the group after its flex group's first, and
//! `CR_POWER2_ALIGNED` passes over the first group of each flex group;
//! checked against the kernel in `sync-range.txt` and, with
//! `mb_optimize_scan`, `mb-scan.txt`) and handed out in order; a bigger file written up to its end and closed (no inode
//! preallocation for it in `ext4_mb_group_or_file`, so
//! `EXT4_MB_HINT_NOPREALLOC`, nothing normalised) goes through the regular
//! allocator below from its goal's group (after its last extent, else its
//! inode's group; checked against the kernel in `big-writes.txt`). A write
//! inside a file bigger than 16 blocks would be a stream allocation with a
//! normalised inode preallocation, which is not modelled: it is refused with
//! an error saying so.
//!
//! fallocate and zero_range (`ext4_alloc_file_blocks`) ask for each hole with
//! `EXT4_GET_BLOCKS_NO_NORMALIZE` (every request up to
//! `EXT_UNWRITTEN_MAX_LEN`), which `ext4_ext_map_blocks` turns into
//! `EXT4_MB_HINT_NOPREALLOC`: `ext4_mb_normalize_request` returns at once, so
//! the request keeps its length, no preallocation is made and
//! `EXT4_MB_HINT_TRY_GOAL` (set there only, to merge with a neighbour) is
//! never set, so `ext4_mb_find_by_goal` does not try the goal block.
//! `ext4_mb_group_or_file` makes it a stream allocation when the request's
//! end or the size passes 16 blocks (the file is open for write): then
//! `ext4_mb_regular_allocator` starts at the group of the stream goal
//! `s_mb_last_groups[ino % s_mb_nr_global_goals]` (all 0 at mount), and
//! `ext4_mb_use_best_found` sets that goal to the group allocated in. A
//! smaller file uses the locality group's preallocation if it has that many
//! blocks left, else searches from its goal's group. Without
//! `mb_optimize_scan` the groups are scanned in order (`ext4_mb_scan_groups_linear`) criterion by criterion:
//! `CR_POWER2_ALIGNED` for a power-of-2 length of order >= 1
//! (`ext4_mb_simple_scan_group`: the first free buddy of the lowest order
//! that fits; `ext4_mb_good_group` skips, for data, the first group of each
//! flex group of 4 or more), then `CR_GOAL_LEN_FAST` and `CR_BEST_AVAIL_LEN`
//! (groups whose free/fragments is at least the length), `CR_GOAL_LEN_SLOW`,
//! `CR_ANY_FREE`, with `ext4_mb_complex_scan_group`: from the group's first
//! free bit, free runs shorter than the request skipped (but at the slow
//! criteria), each free extent found by `mb_find_extent` (the rest of the
//! buddy holding its first bit, then whole buddies while shorter than the
//! request) measured by `ext4_mb_measure_extent`: one of exactly the length
//! is taken at once; otherwise the longest while none is long enough, then
//! the shortest that is, taken once more than `s_mb_min_to_scan` (10) were
//! measured or at the group's end; past `s_mb_max_to_scan` (200) the best so
//! far. The buddy is the bitmap plus the blocks freed by uncommitted
//! transactions and the group preallocation. With `mb_optimize_scan` (on by
//! default with 16 groups or more) the cheap criteria take
//! `s_mb_max_linear_groups` groups in order (4 on a rotational device, 0 on
//! another), then groups from the largest-free-order and
//! average-fragment-size xarrays (Linux 6.17+; see `mb_regular`), and the
//! locality group preallocation is found the same way from the file's goal
//! group (checked against the kernel in `mb-scan.txt`); `CR_BEST_AVAIL_LEN`
//! trimming a group preallocation's goal is refused. Not modelled: groups
//! whose buddy was never loaded (right after the mount, before the
//! ext4lazyinit thread's bitmap prefetch) being passed over at the cheap
//! criteria, RAID stripes, inode preallocations; the number of stream goals
//! assumes 2 possible CPUs.

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::jrn::WriteKind;
use super::mem::{le, put_le, refuse};
use super::tree::{Extent, Tree};
use super::Ctx;
use crate::error::Result;
use crate::format::dir::{rec_len_from_disk, rec_len_needed};
use crate::format::inode::{EXTENTS_FL, INDEX_FL, INLINE_DATA_FL};

/// `s_mb_stream_request`: files up to this many blocks use group preallocation.
const STREAM_REQUEST: u64 = 16;
/// `s_mb_group_prealloc`: blocks of a locality group preallocation.
const GROUP_PREALLOC: u64 = 512;
/// The page size (x86-64): the unit of the page cache and of writeback.
const PAGE_SIZE: u64 = 4096;

/// A file's pages not yet written back.
#[derive(Debug, Clone, Default)]
pub struct Cached {
    /// `i_size` in memory (the record holds `i_disksize`).
    pub size: u64,
    /// Dirty blocks by logical number, with their content.
    pub dirty: BTreeMap<u64, Vec<u8>>,
    /// The byte ranges of the writes that dirtied them, [start, end).
    pub writes: Vec<(u64, u64)>,
}

/// The locality group preallocation: blocks [next, end) reserved in memory.
#[derive(Debug, Clone, Copy)]
pub struct GroupPa {
    /// Next block handed out.
    pub next: u64,
    /// One past the last.
    pub end: u64,
}

/// The bytes `write PATH OFF LEN` writes (recognisable: "PATH@OFFSET\n" repeated).
pub fn content(path: &str, off: u64, len: usize) -> Vec<u8> {
    let mut v = Vec::with_capacity(len);
    let mut o = off;
    while v.len() < len {
        let line = format!("{path}@{o}\n");
        for &b in line.as_bytes() {
            if v.len() < len {
                v.push(b);
            }
        }
        o += line.len() as u64;
    }
    v
}

impl Ctx {
    fn split_path(path: &str) -> Result<(&str, &str)> {
        let p = path.trim_end_matches('/');
        let (dir, name) =
            p.rsplit_once('/').ok_or_else(|| refuse(path, String::from("paths start with /")))?;
        if name.is_empty() || name.len() > 255 {
            return Err(refuse(path, String::from("a file name of 1 to 255 bytes is needed")));
        }
        Ok((if dir.is_empty() { "/" } else { dir }, name))
    }

    fn find(&self, path: &str) -> Result<Option<u32>> {
        let view = self.mem.view()?;
        Ok(view.lookup(path).ok())
    }

    /// The blocks of directory `dir`, in logical order (linear directories only).
    fn dir_blocks(&self, dir: u32, what: &str) -> Result<Vec<u64>> {
        let view = self.mem.view()?;
        let inode = view.inode(dir)?;
        if inode.flags() & INDEX_FL != 0 {
            return Err(refuse(what, format!("directory inode {dir} is an htree directory: adding and removing names there is not modelled yet")));
        }
        if inode.flags() & INLINE_DATA_FL != 0 {
            return Err(refuse(what, format!("directory inode {dir} has inline data: not modelled yet")));
        }
        let map = view.file_map(&inode);
        Ok(map.data.iter().flat_map(|r| (0..r.len).map(move |i| r.physical + i)).collect())
    }

    /// Recompute a directory leaf block's checksum tail (metadata_csum).
    fn seal_dir_block(&self, dir: u32, b: &mut [u8]) -> Result<()> {
        if !self.mem.base.sb.has_metadata_csum() || b.len() < 12 {
            return Ok(());
        }
        let generation = le(&self.mem.inode_bytes(dir)?, 0x64, 4) as u32;
        let seed = crate::format::extent::inode_seed_from(self.mem.base.sb.csum_seed(), dir, generation);
        let n = b.len() - 12;
        let c = crate::checksum::crc32c(seed, &b[..n]);
        put_le(b, b.len() - 4, 4, u64::from(c));
        Ok(())
    }

    /// `ext4_add_entry` in a linear directory: the first entry with room is split.
    fn add_entry(&mut self, dir: u32, name: &str, ino: u32, ft: u8, what: &str) -> Result<()> {
        let bs = self.mem.bs();
        let tail = if self.mem.base.sb.has_metadata_csum() { 12 } else { 0 };
        let need = rec_len_needed(name.len()) as usize;
        for blk in self.dir_blocks(dir, what)? {
            let mut b = self.mem.get(blk)?;
            let mut off = 0usize;
            while off + 8 <= bs - tail {
                let de_ino = le(&b, off, 4) as u32;
                let rl = rec_len_from_disk(le(&b, off + 4, 2) as u16, bs as u32) as usize;
                if rl < 8 || off + rl > bs - tail {
                    break;
                }
                let used = if de_ino != 0 { rec_len_needed(le(&b, off + 6, 1) as usize) as usize } else { 0 };
                if rl - used >= need {
                    let at = off + used;
                    if de_ino != 0 {
                        put_le(&mut b, off + 4, 2, used as u64);
                    }
                    put_le(&mut b, at, 4, u64::from(ino));
                    put_le(&mut b, at + 4, 2, (rl - used) as u64);
                    put_le(&mut b, at + 6, 1, name.len() as u64);
                    put_le(&mut b, at + 7, 1, u64::from(ft));
                    b[at + 8..at + 8 + name.len()].copy_from_slice(name.as_bytes());
                    self.seal_dir_block(dir, &mut b)?;
                    self.mem.set(blk, b);
                    self.jrn.dirty(blk);
                    return Ok(());
                }
                off += rl;
            }
        }
        Err(refuse(what, format!("directory inode {dir} has no room for the name: growing a directory (or turning it into an htree) is not modelled yet")))
    }

    /// `ext4_delete_entry`: the entry merged into the one before it (or its inode zeroed).
    fn remove_entry(&mut self, dir: u32, name: &str, what: &str) -> Result<u32> {
        let bs = self.mem.bs();
        for blk in self.dir_blocks(dir, what)? {
            let mut b = self.mem.get(blk)?;
            let (mut off, mut prev) = (0usize, None::<usize>);
            while off + 8 <= bs {
                let de_ino = le(&b, off, 4) as u32;
                let rl = rec_len_from_disk(le(&b, off + 4, 2) as u16, bs as u32) as usize;
                if rl < 8 || off + rl > bs {
                    break;
                }
                let nl = le(&b, off + 6, 1) as usize;
                if de_ino != 0 && b.get(off + 8..off + 8 + nl) == Some(name.as_bytes()) {
                    match prev {
                        Some(p) => {
                            let prl = rec_len_from_disk(le(&b, p + 4, 2) as u16, bs as u32) as usize;
                            put_le(&mut b, p + 4, 2, (prl + rl) as u64);
                        }
                        None => put_le(&mut b, off, 4, 0),
                    }
                    self.seal_dir_block(dir, &mut b)?;
                    self.mem.set(blk, b);
                    self.jrn.dirty(blk);
                    return Ok(de_ino);
                }
                prev = Some(off);
                off += rl;
            }
        }
        Err(refuse(what, format!("no entry `{name}` in directory inode {dir}")))
    }

    /// A directory's mtime and ctime set to now (marked dirty).
    fn touch(&mut self, ino: u32, mtime: bool) -> Result<()> {
        let now = self.jrn.clock & 0xFFFF_FFFF;
        self.edit_inode(ino, |r| {
            put_le(r, 0x0C, 4, now);
            if mtime {
                put_le(r, 0x10, 4, now);
            }
        })
    }

    /// `ext4_create`: a new regular file `name` in `dir` (the lowest free
    /// inode of the directory's group first, as `find_group_other` starts).
    fn create(&mut self, dir: u32, name: &str, what: &str) -> Result<u32> {
        let ipg = self.mem.base.geo.inodes_per_group;
        let goal = (dir - 1) / ipg * ipg + 1;
        self.jrn.start("ext4_create", 16);
        let ino = self.new_inode(goal, 0o100644, 0, 0)?;
        self.add_entry(dir, name, ino, 1, what)?;
        self.touch(dir, true)?;
        self.jrn.stop();
        Ok(ino)
    }

    /// `write PATH OFFSET LEN`: into the page cache (the file created if missing).
    pub fn write(&mut self, path: &str, off: u64, len: u64) -> Result<()> {
        let what = format!("write {path}");
        let ino = match self.find(path)? {
            Some(i) => i,
            None => {
                let (dir, name) = Self::split_path(path)?;
                let d = self.find(dir)?.ok_or_else(|| refuse(&what, format!("no directory {dir}")))?;
                self.create(d, name, &what)?
            }
        };
        let rec = self.mem.inode_bytes(ino)?;
        let mode = le(&rec, 0, 2) as u16;
        if mode & 0xF000 != 0x8000 {
            return Err(refuse(&what, String::from("only regular files are written")));
        }
        let flags = le(&rec, 0x20, 4) as u32;
        if flags & EXTENTS_FL == 0 || flags & INLINE_DATA_FL != 0 {
            return Err(refuse(
                &what,
                String::from(
                    "writing a block-mapped or inline file is not modelled yet (only extent-mapped files)",
                ),
            ));
        }
        let end =
            off.checked_add(len).ok_or_else(|| refuse(&what, String::from("offset + length overflows")))?;
        if len > 64 << 20 {
            return Err(refuse(&what, String::from("more than 64 MiB in one write is not simulated")));
        }
        let bs = self.mem.bs() as u64;
        let disk_size = le(&rec, 0x04, 4) | (le(&rec, 0x6C, 4) << 32);
        let tree = Tree::load(self, ino, &what)?;
        let view = self.mem.view()?;
        let data = content(path, off, len as usize);
        let c = self.pc.entry(ino).or_insert_with(|| Cached { size: disk_size, ..Cached::default() });
        c.writes.push((off, end));
        for l in off / bs..end.div_ceil(bs) {
            let page = match c.dirty.get(&l) {
                Some(p) => p.clone(),
                None => match tree.lookup(l) {
                    Some((p, false)) => view.block(p)?.to_vec(),
                    _ => alloc::vec![0u8; bs as usize],
                },
            };
            let mut page = page;
            let from = (l * bs).max(off);
            let to = ((l + 1) * bs).min(end);
            page[(from - l * bs) as usize..(to - l * bs) as usize]
                .copy_from_slice(&data[(from - off) as usize..(to - off) as usize]);
            c.dirty.insert(l, page);
        }
        if end > c.size {
            c.size = end;
        }
        // file_update_time: mtime and ctime, the record marked dirty (its
        // size stays i_disksize until writeback).
        self.jrn.start("ext4_dirty_inode (file_update_time)", 1);
        self.touch(ino, true)?;
        self.jrn.stop();
        Ok(())
    }

    /// Blocks for `len` logical blocks of `ino` at `logical`: (physical, count) runs.
    fn alloc_data(
        &mut self,
        ino: u32,
        tree: &Tree,
        logical: u64,
        len: u64,
        size_blocks: u64,
    ) -> Result<Vec<(u64, u64)>> {
        let mut out = Vec::new();
        let mut left = len;
        let size = size_blocks.max(logical + len);
        while left > 0 {
            let got = if size <= STREAM_REQUEST {
                self.take_group_pa(ino, tree, logical + (len - left), left)?
            } else {
                let goal = match tree.before(logical) {
                    Some(e) => e.physical + (logical - u64::from(e.logical)),
                    None => self.goal_block(ino, true),
                };
                if logical + len == size_blocks {
                    // Writeback of a closed file up to its end
                    // (`ext4_mb_group_or_file`: no inode preallocation, so
                    // HINT_NOPREALLOC, nothing normalised): the regular
                    // allocator from the goal's group.
                    let geo = self.mem.base.geo;
                    let g = if goal < geo.first_data_block || goal >= geo.blocks_count {
                        0
                    } else {
                        geo.group_of_block(goal).unwrap_or(0)
                    };
                    self.note_optimize_scan();
                    match self.mb_regular(g, left, left)? {
                        Some((b, n, _)) => (b, n),
                        None => {
                            return Err(refuse("ext4_mb_new_blocks", String::from("no free block (ENOSPC)")))
                        }
                    }
                } else {
                    // Inside a file bigger than s_mb_stream_request: a stream
                    // allocation with a normalised inode preallocation, which
                    // is not modelled (refused rather than guessed).
                    return Err(refuse(
                        &format!("writeback of inode {ino}"),
                        format!(
                            "allocating logical blocks {logical}-{} inside a file of more than {STREAM_REQUEST} blocks (mballoc's stream allocation with an inode preallocation) is not modelled yet",
                            logical + left - 1
                        ),
                    ));
                }
            };
            let (start, n) = got;
            for b in start..start + n {
                self.mark_data_block(b)?;
            }
            out.push((start, n));
            left -= n;
        }
        Ok(out)
    }

    /// From the locality group preallocation, made when missing or used up
    /// by `ext4_mb_regular_allocator` for `s_mb_group_prealloc` (512) blocks
    /// (`ext4_mb_normalize_group_request`: no goal block tried, no stream
    /// goal) from the group of the goal `ext4_ext_find_goal` gives logical
    /// block `logical`: after the extent before it, else before the first
    /// extent, else the inode's goal (`ext4_inode_to_goal_block`: with
    /// flex_bg of 4 groups or more, the group after its flex group's first
    /// for a regular file). With `mb_optimize_scan` the allocator's cheap
    /// criteria use its lists (see [`Ctx::mb_regular`]).
    fn take_group_pa(&mut self, ino: u32, tree: &Tree, logical: u64, want: u64) -> Result<(u64, u64)> {
        if self.group_pa.is_none_or(|p| p.next >= p.end) {
            if self.optimize_scan().is_some() {
                self.note_optimize_scan();
            }
            let goal = match (tree.before(logical), tree.extents().first()) {
                (Some(e), _) => e.physical + (logical - u64::from(e.logical)),
                (None, Some(e)) => e.physical.saturating_sub(u64::from(e.logical) - logical),
                (None, None) => self.goal_block(ino, true),
            };
            let geo = self.mem.base.geo;
            let g = if goal < geo.first_data_block || goal >= geo.blocks_count {
                0
            } else {
                geo.group_of_block(goal).unwrap_or(0)
            };
            let Some((start, n, _)) = self.mb_regular(g, GROUP_PREALLOC, want)? else {
                return Err(refuse("ext4_mb_new_blocks", String::from("no free block (ENOSPC)")));
            };
            if n < GROUP_PREALLOC && self.optimize_scan().is_none() {
                // Found only at CR_GOAL_LEN_SLOW / CR_ANY_FREE: not checked
                // against the kernel.
                return Err(refuse(
                    "ext4_mb_new_blocks",
                    format!("no free run of {GROUP_PREALLOC} blocks for the group preallocation (a shorter one, {n} blocks, from the small free space is not modelled yet)"),
                ));
            }
            self.group_pa = Some(GroupPa { next: start, end: start + n });
        }
        let pa = self.group_pa.as_mut().ok_or_else(|| super::mem::internal("group PA"))?;
        let n = want.min(pa.end - pa.next);
        let s = pa.next;
        pa.next += n;
        Ok((s, n))
    }

    /// `ext4_writepages` of inode `ino`: its delayed blocks allocated and mapped,
    /// `i_disksize` raised, the data written home (before the commit).
    pub fn writeback(&mut self, ino: u32) -> Result<()> {
        self.writeback_range(ino, 0, u64::MAX)
    }

    /// `ext4_writepages` of the dirty blocks of `ino` in logical blocks
    /// [first, end) (whole pages: the caller rounds), in one handle: holes
    /// allocated, unwritten extents converted as the kernel era does it (see
    /// [`Ctx::convert_4_14`] and the end_io conversion below), `i_disksize`
    /// raised to the end of the last page written (at most `i_size`,
    /// `mpage_map_and_submit_extent`), the data written home. The other
    /// dirty blocks stay in the page cache.
    pub fn writeback_range(&mut self, ino: u32, first: u64, end: u64) -> Result<()> {
        let Some(mut c) = self.pc.remove(&ino) else { return Ok(()) };
        let rest = c.dirty.split_off(&end);
        let mut sel = core::mem::replace(&mut c.dirty, rest);
        let mut before = sel.split_off(&first);
        core::mem::swap(&mut sel, &mut before);
        c.dirty.extend(before);
        if sel.is_empty() {
            if !c.dirty.is_empty() {
                self.pc.insert(ino, c);
            }
            return Ok(());
        }
        let what = format!("writeback of inode {ino}");
        let bs = self.mem.bs() as u64;
        let era = self.opts.kernel;
        self.jrn.start("ext4_writepages", 64);
        let mut tree = Tree::load(self, ino, &what)?;
        let size_blocks = c.size.div_ceil(bs);
        // Runs of consecutive dirty blocks of one kind: holes (delayed
        // allocation), or inside one unwritten extent; written blocks are
        // overwritten in place.
        let mut runs: Vec<(u64, u64, bool)> = Vec::new();
        for &l in sel.keys() {
            let kind = match tree.lookup(l) {
                None => Some(false),
                Some((_, true)) => Some(true),
                Some((_, false)) => None,
            };
            let Some(unwritten) = kind else { continue };
            let same_extent = |a: u64| {
                !unwritten || tree.in_node(a).map(|x| x.1.logical) == tree.in_node(l).map(|x| x.1.logical)
            };
            match runs.last_mut() {
                Some((s, n, u)) if *s + *n == l && *u == unwritten && same_extent(*s) => *n += 1,
                _ => runs.push((l, 1, unwritten)),
            }
        }
        if runs.iter().any(|r| r.2) && self.opts.data != super::DataMode::Ordered {
            return Err(refuse(
                &what,
                String::from("writing back into an unwritten extent is modelled under data=ordered only"),
            ));
        }
        let mut zeroed: Vec<u64> = Vec::new();
        let mut end_io: Vec<(u64, u64)> = Vec::new();
        for (l, n, unwritten) in runs {
            if unwritten {
                match era {
                    super::Kernel::V4_14 => {
                        let z = self.convert_4_14(&mut tree, l, n, c.size, &what)?;
                        zeroed.extend(z);
                    }
                    // dioread_nolock: the range split off its extent before
                    // the I/O (EXT4_GET_BLOCKS_IO_CREATE_EXT), converted at
                    // I/O completion; both in the running transaction.
                    super::Kernel::V6 => end_io.push((l, n)),
                }
                continue;
            }
            let got = self.alloc_data(ino, &tree, l, n, size_blocks)?;
            let mut at = l;
            for (p, k) in got {
                let e = Extent { logical: at as u32, physical: p, len: k as u32, unwritten: false };
                tree.insert(self, e, &what)?;
                at += k;
            }
        }
        tree.store(self)?;
        // mpage_map_and_submit_extent: i_disksize to the end of the last
        // page submitted, at most i_size.
        let last = sel.keys().next_back().copied().unwrap_or(0);
        let page_end = (last * bs / PAGE_SIZE + 1) * PAGE_SIZE;
        let size = c.size.min(page_end);
        let tree_after = tree.clone();
        self.edit_inode(ino, |r| {
            let disk = le(r, 0x04, 4) | (le(r, 0x6C, 4) << 32);
            if size > disk {
                put_le(r, 0x04, 4, size & 0xFFFF_FFFF);
                put_le(r, 0x6C, 4, size >> 32);
            }
            // i_blocks: every mapped block (data and tree), in 512-byte sectors.
            let mapped: u64 = tree_after.extents().iter().map(|e| u64::from(e.len)).sum();
            let tree_blocks = tree_after.leaves.len() as u64;
            let v = (mapped + tree_blocks) * (bs / 512);
            put_le(r, 0x1C, 4, v & 0xFFFF_FFFF);
            put_le(r, 0x74, 2, v >> 32);
        })?;
        self.jrn.stop();
        // ext4_ext_zeroout (4.14): zeros written to the whole extent, at once
        // (sb_issue_zeroout), before the pages.
        for p in zeroed {
            let z = alloc::vec![0u8; bs as usize];
            self.jrn.push(
                p,
                alloc::rc::Rc::from(z.as_slice()),
                WriteKind::Data { inode: ino, zeroout: true },
                None,
            );
            self.mem.set(p, z);
        }
        // The data. data=ordered: written home now, before the commit of the
        // transaction that maps it; data=journal: logged in that transaction
        // (checkpointed home later); data=writeback: written with no order
        // against the commit (here: right after it, the window that exposes
        // stale blocks).
        for (l, page) in sel {
            let Some((p, _)) = tree.lookup(l) else { continue };
            match self.opts.data {
                super::DataMode::Ordered => {
                    self.jrn.push(
                        p,
                        alloc::rc::Rc::from(page.as_slice()),
                        WriteKind::Data { inode: ino, zeroout: false },
                        None,
                    );
                    self.mem.set(p, page);
                }
                super::DataMode::Journal => {
                    self.jrn.start("ext4_journalled_write_end", 1);
                    self.mem.set(p, page);
                    self.jrn.dirty(p);
                    self.jrn.stop();
                }
                super::DataMode::Writeback => {
                    self.mem.set(p, page.clone());
                    self.late_data.push((p, ino, page));
                }
            }
        }
        if !end_io.is_empty() {
            // ext4_end_io_rsv_work -> ext4_convert_unwritten_extents: each
            // written range marked initialised (ext4_ext_try_to_merge with
            // its neighbours), in a handle of its own.
            self.jrn.start("ext4_convert_unwritten_extents (end_io)", 8);
            let mut tree = Tree::load(self, ino, &what)?;
            for (l, n) in end_io {
                let Some((p, true)) = tree.lookup(l) else {
                    return Err(super::mem::internal("end_io: the range is not unwritten"));
                };
                tree.truncate_range(l, l + n);
                tree.insert(
                    self,
                    Extent { logical: l as u32, physical: p, len: n as u32, unwritten: false },
                    &what,
                )?;
                Self::no_merge_up(&tree, &what)?;
            }
            tree.store(self)?;
            self.refresh_i_blocks(&tree)?;
            self.jrn.stop();
        }
        if !c.dirty.is_empty() {
            self.pc.insert(ino, c);
        }
        Ok(())
    }

    /// `ext4_ext_try_to_merge_up` moves a depth-1 tree's single leaf back
    /// into the inode when its extents fit there (and frees the leaf): not
    /// modelled, so refused when a conversion would trigger it.
    fn no_merge_up(tree: &Tree, what: &str) -> Result<()> {
        if tree.leaves.len() == 1 && tree.leaves[0].exts.len() <= 4 {
            return Err(refuse(
                what,
                String::from("the conversion leaves one extent leaf with 4 extents or fewer, which ext4_ext_try_to_merge_up would move back into the inode: not modelled yet"),
            ));
        }
        Ok(())
    }

    /// Linux 4.14 (no dioread_nolock): writeback maps dirty blocks
    /// [l, l + n) inside an unwritten extent with `EXT4_GET_BLOCKS_CREATE`,
    /// so `ext4_ext_handle_unwritten_extents` calls
    /// `ext4_ext_convert_to_initialized` in the writeback handle (v4.14).
    /// `eof_block` is the in-memory `i_size` in blocks (at least the mapped
    /// range's end; 801674f34ecf in 2020 made it `i_disksize`); when the
    /// extent ends within it, `max_zeroout` is `s_extent_max_zeroout_kb`
    /// (32) KiB in blocks. The rest of the extent after the write is zeroed
    /// out (`ext4_ext_zeroout`) when it fits in `max_zeroout`, and the part
    /// before it when the whole is shorter than that; what is to be
    /// initialised is then the whole extent, marked so by
    /// `ext4_split_extent_at` (merged with its neighbours by
    /// `ext4_ext_try_to_merge`). The fast path that hands the blocks to an
    /// initialised neighbour and a real split are refused, not guessed.
    /// Returns the physical blocks zeroed.
    fn convert_4_14(&mut self, tree: &mut Tree, l: u64, n: u64, i_size: u64, what: &str) -> Result<Vec<u64>> {
        let bs = self.mem.bs() as u64;
        let Some((prev, ex, next)) = tree.in_node(l) else {
            return Err(super::mem::internal("convert: no extent"));
        };
        let (eb, elen) = (u64::from(ex.logical), u64::from(ex.len));
        let init_max = u64::from(crate::format::extent::INIT_MAX_LEN);
        // The left branch is taken whenever its outer test holds (the
        // right one is then not tried), as in the kernel's if / else if.
        let fast = if l == eb && n < elen && prev.is_some() {
            prev.is_some_and(|p| {
                !p.unwritten
                    && u64::from(p.logical) + u64::from(p.len) == eb
                    && p.physical + u64::from(p.len) == ex.physical
                    && u64::from(p.len) < init_max - n
            })
        } else {
            l + n == eb + elen
                && n < elen
                && next.is_some_and(|x| {
                    !x.unwritten
                        && u64::from(x.logical) == l + n
                        && ex.physical + elen == x.physical
                        && u64::from(x.len) < init_max - n
                })
        };
        if fast {
            return Err(refuse(
                what,
                format!("writing back blocks {l}-{} at an end of an unwritten extent next to an initialised one (4.14's ext4_ext_convert_to_initialized fast path handing them to the neighbour) is not modelled yet", l + n - 1),
            ));
        }
        let eof_block = i_size.div_ceil(bs).max(l + n);
        let ee_end = eb + elen;
        let max_zeroout = if ee_end <= eof_block { 32 * 1024 / bs } else { 0 };
        // The blocks to initialise (split_map) and those zeroed: the tail
        // after the write when the rest of the extent fits in max_zeroout
        // (cases 3 and 5), then the head before it when the whole is
        // shorter than max_zeroout (cases 2 and 5).
        let allocated = ee_end - l;
        let (mut s_lblk, mut s_len) = (l, n);
        let mut zeroed: Vec<u64> = Vec::new();
        if max_zeroout > 0 && allocated > s_len {
            if allocated <= max_zeroout {
                zeroed.extend((l + n..ee_end).map(|x| ex.physical + (x - eb)));
                s_len = allocated;
            }
            if s_lblk - eb + s_len < max_zeroout {
                zeroed.extend((eb..s_lblk).map(|x| ex.physical + (x - eb)));
                s_len += s_lblk - eb;
                s_lblk = eb;
            }
        }
        if s_lblk != eb || s_lblk + s_len != ee_end {
            return Err(refuse(
                what,
                format!(
                    "writing back blocks {l}-{} into the unwritten extent {eb}-{} would split it (4.14's ext4_split_extent: {}): not modelled yet",
                    l + n - 1,
                    ee_end - 1,
                    if max_zeroout == 0 {
                        String::from("the extent ends past i_size, so no zeroout")
                    } else {
                        format!("it does not fit in max_zeroout, {max_zeroout} blocks")
                    }
                ),
            ));
        }
        // ext4_split_extent_at at the extent's first block: the whole extent
        // marked initialised and merged with its neighbours.
        tree.truncate_range(eb, ee_end);
        tree.insert(self, Extent { unwritten: false, ..ex }, what)?;
        Self::no_merge_up(tree, what)?;
        zeroed.sort_unstable();
        if !zeroed.is_empty() {
            self.note(format!(
                "4.14: writeback of logical blocks {l}-{} initialised the whole unwritten extent {eb}-{} and zeroed out the {} block(s) of it not written (ext4_ext_zeroout: the rest fits in s_extent_max_zeroout_kb = 32 KiB, and the extent ends within i_size {i_size})",
                l + n - 1,
                ee_end - 1,
                zeroed.len()
            ));
        }
        Ok(zeroed)
    }

    /// `sync_range PATH OFFSET LEN` (`sync_file_range` WAIT_BEFORE | WRITE |
    /// WAIT_AFTER): the dirty pages holding the bytes written back and
    /// waited for (`ext4_writepages` over that range), no commit. On 6.x a
    /// write may have put its bytes in one large folio (ext4 has large
    /// folios since 6.16), which writeback writes whole: a range that cuts
    /// through one write's pages is refused.
    pub fn sync_range(&mut self, path: &str, off: u64, len: u64) -> Result<()> {
        let what = format!("sync_range {path}");
        let ino = self.find(path)?.ok_or_else(|| refuse(&what, format!("no file {path}")))?;
        let end =
            off.checked_add(len).ok_or_else(|| refuse(&what, String::from("offset + length overflows")))?;
        let (p0, p1) = (off / PAGE_SIZE * PAGE_SIZE, end.div_ceil(PAGE_SIZE) * PAGE_SIZE);
        if self.opts.kernel == super::Kernel::V6 {
            if let Some(c) = self.pc.get(&ino) {
                if let Some(&(a, b)) =
                    c.writes.iter().find(|&&(a, b)| (a < p0 && b > p0) || (a < p1 && b > p1))
                {
                    return Err(refuse(
                        &what,
                        format!("bytes [{p0}, {p1}) cut through the pages of a write of [{a}, {b}), which 6.x may hold in one large folio written back whole: not modelled (write in whole pages, or sync the whole write)"),
                    ));
                }
            }
        }
        let bs = self.mem.bs() as u64;
        self.writeback_range(ino, p0 / bs, p1.div_ceil(bs))
    }

    /// `fsync PATH`: its data written back, then the transaction holding its changes committed.
    pub fn fsync(&mut self, ino: u32) -> Result<()> {
        self.writeback(ino)?;
        self.commit()
    }

    /// `sync`: every file written back, then a commit.
    pub fn sync_all(&mut self) -> Result<()> {
        let inos: Vec<u32> = self.pc.keys().copied().collect();
        for i in inos {
            self.writeback(i)?;
        }
        self.commit()
    }

    /// A data block taken: its bit set, the descriptor's count lowered.
    fn mark_data_block(&mut self, b: u64) -> Result<()> {
        self.alloc_exact(b)
    }

    /// `mv A B` (`ext4_rename` within or across linear directories; B, if it
    /// exists, is unlinked: with auto_da_alloc A's delayed data is flushed first).
    pub fn rename(&mut self, from: &str, to: &str) -> Result<()> {
        let what = format!("mv {from} {to}");
        let src = self.find(from)?.ok_or_else(|| refuse(&what, format!("no file {from}")))?;
        let (fdir, fname) = Self::split_path(from)?;
        let (tdir, tname) = Self::split_path(to)?;
        let fd = self.find(fdir)?.ok_or_else(|| refuse(&what, format!("no directory {fdir}")))?;
        let td = self.find(tdir)?.ok_or_else(|| refuse(&what, format!("no directory {tdir}")))?;
        let mode = le(&self.mem.inode_bytes(src)?, 0, 2) as u16;
        if mode & 0xF000 == 0x4000 {
            return Err(refuse(&what, String::from("renaming a directory (its `..`) is not modelled yet")));
        }
        let target = self.find(to)?;
        if let Some(t) = target {
            if le(&self.mem.inode_bytes(t)?, 0, 2) as u16 & 0xF000 == 0x4000 {
                return Err(refuse(&what, format!("{to} is a directory")));
            }
            if self.opts.auto_da_alloc {
                // ext4_alloc_da_blocks: the flush starts A's writeback now.
                self.writeback(src)?;
            }
        }
        self.jrn.start("ext4_rename", 32);
        self.remove_entry(fd, fname, &what)?;
        if let Some(t) = target {
            self.remove_entry(td, tname, &what)?;
            self.add_entry(td, tname, src, 1, &what)?;
            self.unlink_inode(t)?;
        } else {
            self.add_entry(td, tname, src, 1, &what)?;
        }
        self.touch(src, false)?;
        self.touch(fd, true)?;
        if td != fd {
            self.touch(td, true)?;
        }
        self.jrn.stop();
        if let Some(t) = target {
            self.evict_if_unlinked(t)?;
        }
        Ok(())
    }

    /// `rm PATH` (`ext4_unlink`, then the last reference dropped).
    pub fn unlink(&mut self, path: &str) -> Result<()> {
        let what = format!("rm {path}");
        let ino = self.find(path)?.ok_or_else(|| refuse(&what, format!("no file {path}")))?;
        if le(&self.mem.inode_bytes(ino)?, 0, 2) as u16 & 0xF000 == 0x4000 {
            return Err(refuse(&what, String::from("removing a directory (rmdir) is not modelled yet")));
        }
        let (dir, name) = Self::split_path(path)?;
        let d = self.find(dir)?.ok_or_else(|| refuse(&what, format!("no directory {dir}")))?;
        self.jrn.start("ext4_unlink", 16);
        self.remove_entry(d, name, &what)?;
        self.touch(d, true)?;
        self.unlink_inode(ino)?;
        self.jrn.stop();
        self.evict_if_unlinked(ino)?;
        Ok(())
    }

    /// One link fewer; at zero the inode goes on the orphan list.
    fn unlink_inode(&mut self, ino: u32) -> Result<()> {
        let links = le(&self.mem.inode_bytes(ino)?, 0x1A, 2);
        let now = self.jrn.clock & 0xFFFF_FFFF;
        self.edit_inode(ino, |r| {
            put_le(r, 0x1A, 2, links.saturating_sub(1));
            put_le(r, 0x0C, 4, now);
        })?;
        if links <= 1 {
            self.orphan_add(ino)?;
        }
        Ok(())
    }

    /// `ext4_evict_inode` of an inode with no links: its page cache dropped,
    /// every block freed (tree blocks and indirect blocks revoked, data not),
    /// off the orphan list, dtime set, the inode freed.
    fn evict_if_unlinked(&mut self, ino: u32) -> Result<()> {
        let rec = self.mem.inode_bytes(ino)?;
        if le(&rec, 0x1A, 2) != 0 {
            return Ok(());
        }
        self.pc.remove(&ino);
        let what = format!("ext4_evict_inode of inode {ino}");
        self.jrn.start("ext4_evict_inode", 64);
        let flags = le(&rec, 0x20, 4) as u32;
        let view = self.mem.view()?;
        let inode = view.inode(ino)?;
        let map = view.file_map(&inode);
        if flags & EXTENTS_FL != 0 && flags & INLINE_DATA_FL == 0 {
            let mut tree = Tree::load(self, ino, &what)?;
            let runs = tree.truncate(0);
            for (p, n) in runs {
                for b in p..p + n {
                    self.free_data_block(b)?;
                }
            }
            for b in core::mem::take(&mut tree.freed) {
                self.free_meta_block(b)?;
            }
            tree.store(self)?;
        } else if flags & INLINE_DATA_FL == 0 {
            for r in &map.data {
                for b in r.physical..r.physical + r.len {
                    self.free_data_block(b)?;
                }
            }
            for m in &map.metadata {
                self.free_meta_block(m.block)?;
            }
        }
        let now = self.jrn.clock & 0xFFFF_FFFF;
        self.edit_inode(ino, |r| {
            put_le(r, 0x04, 4, 0);
            put_le(r, 0x6C, 4, 0);
            put_le(r, 0x1C, 4, 0);
            put_le(r, 0x74, 2, 0);
            if flags & EXTENTS_FL == 0 {
                if let Some(x) = r.get_mut(0x28..0x28 + 60) {
                    x.fill(0);
                }
            }
        })?;
        self.orphan_del(ino)?;
        self.edit_inode(ino, |r| put_le(r, 0x14, 4, now))?;
        self.free_inode(ino, false)?;
        self.jrn.stop();
        Ok(())
    }
}

impl Ctx {
    /// The in-memory size of `ino` (page cache first, else the record's).
    fn mem_size(&self, ino: u32) -> Result<u64> {
        if let Some(c) = self.pc.get(&ino) {
            return Ok(c.size);
        }
        let r = self.mem.inode_bytes(ino)?;
        Ok(le(&r, 0x04, 4) | (le(&r, 0x6C, 4) << 32))
    }

    /// Set the size in memory and on disk (`ext4_update_inode_size`).
    fn set_size(&mut self, ino: u32, size: u64) -> Result<()> {
        if let Some(c) = self.pc.get_mut(&ino) {
            c.size = size;
        }
        self.edit_inode(ino, |r| {
            put_le(r, 0x04, 4, size & 0xFFFF_FFFF);
            put_le(r, 0x6C, 4, size >> 32);
        })
    }

    /// i_blocks from the tree (every mapped block and leaf, in sectors).
    fn refresh_i_blocks(&mut self, tree: &Tree) -> Result<()> {
        let bs = self.mem.bs() as u64;
        let mapped: u64 = tree.extents().iter().map(|e| u64::from(e.len)).sum();
        let v = (mapped + tree.leaves.len() as u64) * (bs / 512);
        self.edit_inode(tree.ino, |r| {
            put_le(r, 0x1C, 4, v & 0xFFFF_FFFF);
            put_le(r, 0x74, 2, v >> 32);
        })
    }

    /// Unwritten extents for the unmapped blocks of [first, end), each hole
    /// allocated as `ext4_alloc_file_blocks` asks mballoc (`alloc_nonormalize`).
    fn alloc_unwritten(&mut self, tree: &mut Tree, first: u64, end: u64, what: &str) -> Result<()> {
        let mut l = first;
        while l < end {
            if tree.lookup(l).is_some() {
                l += 1;
                continue;
            }
            let mut n = 1;
            while l + n < end && tree.lookup(l + n).is_none() {
                n += 1;
            }
            let mut at = l;
            let mut left = n;
            while left > 0 {
                // ext4_ext_find_goal: after the extent before, else the inode's group.
                let goal = match tree.before(at) {
                    Some(e) => e.physical + (at - u64::from(e.logical)),
                    None => self.goal_block(tree.ino, true),
                };
                let isize = self.mem_size(tree.ino)?.div_ceil(self.mem.bs() as u64);
                let (p, k) = self.alloc_nonormalize(tree.ino, at, left, isize, goal)?;
                for b in p..p + k {
                    self.alloc_exact(b)?;
                }
                tree.insert(
                    self,
                    Extent { logical: at as u32, physical: p, len: k as u32, unwritten: true },
                    what,
                )?;
                at += k;
                left -= k;
            }
            l += n;
        }
        Ok(())
    }

    /// `fallocate PATH OFFSET LEN [keep_size]` (mode 0 or FALLOC_FL_KEEP_SIZE):
    /// unwritten extents for the holes, the size raised unless keep_size.
    pub fn fallocate(&mut self, path: &str, off: u64, len: u64, keep: bool) -> Result<()> {
        let what = format!("fallocate {path}");
        let ino = self.find(path)?.ok_or_else(|| refuse(&what, format!("no file {path}")))?;
        self.extent_file(ino, &what)?;
        let bs = self.mem.bs() as u64;
        let end =
            off.checked_add(len).ok_or_else(|| refuse(&what, String::from("offset + length overflows")))?;
        let new_size = self.falloc_new_size(ino, end, keep)?;
        if new_size.is_none() && self.opts.kernel == super::Kernel::V4_14 {
            // ext4_alloc_file_blocks with no new size sets EXT4_INODE_EOFBLOCKS
            // when the blocks reach past i_size (removed in 2020).
            let epos = end.div_ceil(bs) * bs;
            if epos > self.mem_size(ino)? {
                return Err(refuse(
                    &what,
                    String::from("4.14: blocks allocated past i_size without a new size set EOFBLOCKS_FL in the inode, which is not modelled (keep_size past EOF, or an end not on a block boundary)"),
                ));
            }
        }
        self.jrn.start("ext4_alloc_file_blocks", 32);
        let mut tree = Tree::load(self, ino, &what)?;
        self.alloc_unwritten(&mut tree, off / bs, end.div_ceil(bs), &what)?;
        tree.store(self)?;
        self.refresh_i_blocks(&tree)?;
        self.touch(ino, true)?;
        if let Some(n) = new_size {
            self.update_inode_size(ino, n)?;
        }
        self.jrn.stop();
        Ok(())
    }

    /// The size fallocate or zero_range without keep_size sets (`new_size`
    /// in `ext4_fallocate`, `ext4_zero_range`): the range's end when it is
    /// past `i_size` — or, since 51e3ae81ec58 (2017), past `i_disksize`
    /// (delayed-allocation data not written back yet).
    fn falloc_new_size(&self, ino: u32, end: u64, keep: bool) -> Result<Option<u64>> {
        if keep {
            return Ok(None);
        }
        let r = self.mem.inode_bytes(ino)?;
        let disk = le(&r, 0x04, 4) | (le(&r, 0x6C, 4) << 32);
        let past = match self.opts.kernel {
            super::Kernel::V6 => end > self.mem_size(ino)? || end > disk,
            super::Kernel::V4_14 => end > self.mem_size(ino)?,
        };
        Ok(past.then_some(end))
    }

    /// `ext4_update_inode_size`: `i_size` and `i_disksize` each raised to
    /// `size` (never lowered).
    fn update_inode_size(&mut self, ino: u32, size: u64) -> Result<()> {
        if let Some(c) = self.pc.get_mut(&ino) {
            c.size = c.size.max(size);
        }
        self.edit_inode(ino, |r| {
            let disk = le(r, 0x04, 4) | (le(r, 0x6C, 4) << 32);
            if size > disk {
                put_le(r, 0x04, 4, size & 0xFFFF_FFFF);
                put_le(r, 0x6C, 4, size >> 32);
            }
        })
    }

    /// `zero_range PATH OFFSET LEN [keep_size]` (FALLOC_FL_ZERO_RANGE): dirty
    /// pages of the range written back, the whole blocks inside made unwritten
    /// (written extents split, holes allocated unwritten), the size raised
    /// unless keep_size. Partial blocks at the edges are not modelled.
    pub fn zero_range(&mut self, path: &str, off: u64, len: u64, keep: bool) -> Result<()> {
        let what = format!("zero_range {path}");
        let ino = self.find(path)?.ok_or_else(|| refuse(&what, format!("no file {path}")))?;
        self.extent_file(ino, &what)?;
        let bs = self.mem.bs() as u64;
        let end =
            off.checked_add(len).ok_or_else(|| refuse(&what, String::from("offset + length overflows")))?;
        if !off.is_multiple_of(bs) || !end.is_multiple_of(bs) {
            return Err(refuse(&what, String::from("zeroing part of a block (through the page cache) is not modelled yet: use block-aligned offsets and lengths")));
        }
        if self.opts.kernel == super::Kernel::V4_14 {
            return Err(refuse(
                &what,
                String::from("zero_range on 4.14 (its flush of the page cache, EOFBLOCKS_FL and the new size before 51e3ae81ec58) is not modelled: only fallocate is"),
            ));
        }
        let new_size = self.falloc_new_size(ino, end, keep)?;
        self.writeback(ino)?;
        self.jrn.start("ext4_zero_range", 32);
        let mut tree = Tree::load(self, ino, &what)?;
        let (first, last) = (off / bs, end / bs);
        // Written extents overlapping [first, last) split, the middle unwritten.
        for e in tree.extents() {
            let (s, t) = (u64::from(e.logical), u64::from(e.logical) + u64::from(e.len));
            if e.unwritten || t <= first || s >= last {
                continue;
            }
            let (a, b) = (s.max(first), t.min(last));
            tree.truncate_range(a, b);
            if s < a {
                // (kept by truncate_range)
            }
            tree.insert(
                self,
                Extent {
                    logical: a as u32,
                    physical: e.physical + (a - s),
                    len: (b - a) as u32,
                    unwritten: true,
                },
                &what,
            )?;
        }
        self.alloc_unwritten(&mut tree, first, last, &what)?;
        tree.store(self)?;
        self.refresh_i_blocks(&tree)?;
        self.touch(ino, true)?;
        if let Some(n) = new_size {
            self.update_inode_size(ino, n)?;
        }
        self.jrn.stop();
        Ok(())
    }

    /// `truncate PATH SIZE`: growing sets the size; shrinking puts the inode
    /// on the orphan list, frees the blocks past the size (tree blocks
    /// revoked), sets the size and takes it off the list.
    pub fn truncate(&mut self, path: &str, size: u64) -> Result<()> {
        let what = format!("truncate {path}");
        let ino = self.find(path)?.ok_or_else(|| refuse(&what, format!("no file {path}")))?;
        self.extent_file(ino, &what)?;
        let bs = self.mem.bs() as u64;
        let old = self.mem_size(ino)?;
        if let Some(c) = self.pc.get_mut(&ino) {
            c.dirty.retain(|&l, _| l < size.div_ceil(bs));
        }
        self.jrn.start("ext4_setattr (truncate)", 16);
        if size >= old {
            self.set_size(ino, size)?;
            self.touch(ino, true)?;
            self.jrn.stop();
            return Ok(());
        }
        self.orphan_add(ino)?;
        self.set_size(ino, size)?;
        self.jrn.stop();
        self.jrn.start("ext4_truncate", 64);
        let mut tree = Tree::load(self, ino, &what)?;
        for (p, n) in tree.truncate(size.div_ceil(bs)) {
            for b in p..p + n {
                self.free_data_block(b)?;
            }
        }
        for b in core::mem::take(&mut tree.freed) {
            self.free_meta_block(b)?;
        }
        tree.store(self)?;
        self.refresh_i_blocks(&tree)?;
        self.touch(ino, true)?;
        self.orphan_del(ino)?;
        self.jrn.stop();
        Ok(())
    }

    fn extent_file(&self, ino: u32, what: &str) -> Result<()> {
        let r = self.mem.inode_bytes(ino)?;
        if le(&r, 0, 2) as u16 & 0xF000 != 0x8000 {
            return Err(refuse(what, String::from("only regular files")));
        }
        let f = le(&r, 0x20, 4) as u32;
        if f & EXTENTS_FL == 0 || f & INLINE_DATA_FL != 0 {
            return Err(refuse(
                what,
                String::from("only extent-mapped files are modelled for this operation"),
            ));
        }
        Ok(())
    }

    /// `mkdir PATH` (`ext4_mkdir`): a directory inode (the parent's group
    /// first), one block with `.` and `..`, links 2, the parent's links + 1.
    pub fn mkdir(&mut self, path: &str) -> Result<()> {
        let what = format!("mkdir {path}");
        if self.find(path)?.is_some() {
            return Err(refuse(&what, String::from("exists")));
        }
        let (dir, name) = Self::split_path(path)?;
        let parent = self.find(dir)?.ok_or_else(|| refuse(&what, format!("no directory {dir}")))?;
        let ipg = self.mem.base.geo.inodes_per_group;
        let goal = (parent - 1) / ipg * ipg + 1;
        self.jrn.start("ext4_mkdir", 32);
        let ino = self.new_inode(goal, 0o040755, 0, 0)?;
        let bs = self.mem.bs();
        let goal_b = self.goal_block(ino, false);
        let blk = self.alloc_block(goal_b)?;
        let csum = self.mem.base.sb.has_metadata_csum();
        let mut b = alloc::vec![0u8; bs];
        put_le(&mut b, 0, 4, u64::from(ino));
        put_le(&mut b, 4, 2, 12);
        put_le(&mut b, 6, 1, 1);
        put_le(&mut b, 7, 1, 2);
        b[8] = b'.';
        put_le(&mut b, 12, 4, u64::from(parent));
        put_le(&mut b, 16, 2, (bs - 12 - if csum { 12 } else { 0 }) as u64);
        put_le(&mut b, 18, 1, 2);
        put_le(&mut b, 19, 1, 2);
        b[20] = b'.';
        b[21] = b'.';
        if csum {
            let t = bs - 12;
            put_le(&mut b, t + 4, 2, 12);
            put_le(&mut b, t + 7, 1, 0xDE);
        }
        self.seal_dir_block(ino, &mut b)?;
        self.mem.set(blk, b);
        self.jrn.dirty(blk);
        let mut tree = Tree::load(self, ino, &what)?;
        tree.insert(self, Extent { logical: 0, physical: blk, len: 1, unwritten: false }, &what)?;
        tree.store(self)?;
        self.refresh_i_blocks(&tree)?;
        self.edit_inode(ino, |r| {
            put_le(r, 0x1A, 2, 2);
            put_le(r, 0x04, 4, bs as u64);
        })?;
        self.add_entry(parent, name, ino, 2, &what)?;
        let links = le(&self.mem.inode_bytes(parent)?, 0x1A, 2);
        self.edit_inode(parent, |r| put_le(r, 0x1A, 2, links + 1))?;
        self.touch(parent, true)?;
        self.jrn.stop();
        Ok(())
    }

    /// `ln A B` (`ext4_link`): a second name, links + 1.
    pub fn link(&mut self, from: &str, to: &str) -> Result<()> {
        let what = format!("ln {from} {to}");
        let ino = self.find(from)?.ok_or_else(|| refuse(&what, format!("no file {from}")))?;
        if self.find(to)?.is_some() {
            return Err(refuse(&what, format!("{to} exists")));
        }
        if le(&self.mem.inode_bytes(ino)?, 0, 2) as u16 & 0xF000 == 0x4000 {
            return Err(refuse(&what, String::from("hard links to directories are not allowed")));
        }
        let (dir, name) = Self::split_path(to)?;
        let d = self.find(dir)?.ok_or_else(|| refuse(&what, format!("no directory {dir}")))?;
        self.jrn.start("ext4_link", 16);
        self.add_entry(d, name, ino, 1, &what)?;
        let links = le(&self.mem.inode_bytes(ino)?, 0x1A, 2);
        self.edit_inode(ino, |r| put_le(r, 0x1A, 2, links + 1))?;
        self.touch(ino, false)?;
        self.touch(d, true)?;
        self.jrn.stop();
        Ok(())
    }
}

/// `s_mb_min_to_scan`: extents measured before a good-enough best is taken.
const MIN_TO_SCAN: u32 = 10;
/// `s_mb_max_to_scan`: extents measured before the search stops.
const MAX_TO_SCAN: u32 = 200;
/// `s_mb_order2_reqs`: the smallest order (fls of the length) searched by buddy.
const ORDER2_REQS: u32 = 2;
/// `EXT4_FLEX_SIZE_DIR_ALLOC_SCHEME`.
const FLEX_SIZE_DIR_ALLOC_SCHEME: u32 = 4;
/// `MB_DEFAULT_LINEAR_SCAN_THRESHOLD`: `mb_optimize_scan` is on by default
/// from this many groups.
const LINEAR_SCAN_THRESHOLD: u32 = 16;
/// `MB_DEFAULT_LINEAR_LIMIT`: `s_mb_max_linear_groups` on a rotational device.
const LINEAR_LIMIT: u32 = 4;
/// `MB_DEFAULT_BEST_AVAIL_TRIM_ORDER`.
const BEST_AVAIL_TRIM_ORDER: u32 = 3;
/// `num_possible_cpus()` assumed for `s_mb_nr_global_goals` (only matters on
/// file systems of more than 4 groups).
const ASSUMED_CPUS: u32 = 2;

/// `mb_avg_fragment_size_order`: the average-fragment-size list of a length
/// (fls - 2, at least 0, at most `MB_NUM_ORDERS - 1`).
fn avg_fragment_size_order(len: u64, num_orders: u32) -> u32 {
    let fls = u64::BITS - len.leading_zeros();
    fls.saturating_sub(2).min(num_orders - 1)
}

/// What `ext4_mb_good_group` needs to know of a request besides its length.
struct Request {
    /// `ac_2order`: the request's order when it is a power of two (>= 2 blocks).
    two_order: Option<u32>,
    /// Groups per flex group.
    flex: u32,
}

/// The allocation criteria (`enum criteria`), in the order they are tried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Cr {
    Power2Aligned,
    GoalLenFast,
    BestAvailLen,
    GoalLenSlow,
    AnyFree,
}

impl Cr {
    fn next(self) -> Option<Cr> {
        match self {
            Cr::Power2Aligned => Some(Cr::GoalLenFast),
            Cr::GoalLenFast => Some(Cr::BestAvailLen),
            Cr::BestAvailLen => Some(Cr::GoalLenSlow),
            Cr::GoalLenSlow => Some(Cr::AnyFree),
            Cr::AnyFree => None,
        }
    }

    /// `ext4_mb_cr_expensive`.
    fn expensive(self) -> bool {
        self >= Cr::GoalLenSlow
    }
}

/// One group as mballoc's in-memory buddy sees it: a block is used when its
/// bit is set, when it was freed by a transaction not yet committed, or
/// when the locality group preallocation holds it.
/// A group's keys in `mb_optimize_scan`'s xarrays: the order of its average
/// free extent and of its largest free buddy (None: in neither).
#[derive(Debug, Clone, Copy)]
struct ListKey {
    avg: Option<u32>,
    largest: Option<u32>,
}

/// Groups past which the xarray scan is refused (each allocation builds every
/// group's buddy).
const MAX_XARRAY_GROUPS: u32 = 4096;

/// The buddies one allocation has built, at most [`BuddyCache::MAX`] kept
/// (a 32768-block group's is about 160 KiB): a search over thousands of
/// groups rebuilds what it evicted instead of holding them all.
#[derive(Default)]
struct BuddyCache {
    /// (group, buddy), oldest first.
    kept: Vec<(u32, Buddy)>,
}

impl BuddyCache {
    const MAX: usize = 64;

    fn get(&mut self, ctx: &Ctx, g: u32) -> Result<&Buddy> {
        let i = match self.kept.iter().position(|(k, _)| *k == g) {
            Some(i) => i,
            None => {
                if self.kept.len() >= Self::MAX {
                    self.kept.remove(0);
                }
                self.kept.push((g, ctx.buddy(g)?));
                self.kept.len() - 1
            }
        };
        self.kept.get(i).map(|(_, b)| b).ok_or_else(|| crate::error::Error::internal("buddy just built"))
    }
}

struct Buddy {
    free: Vec<bool>,
    /// The free buddies, by first bit: (first bit, order).
    chunks: Vec<(usize, u32)>,
    /// For each free bit, its buddy's index in `chunks`.
    chunk_of: Vec<u32>,
    /// `bb_counters`: free buddies per order.
    counters: Vec<u32>,
    /// `bb_free`, `bb_fragments` (free runs), `bb_first_free`.
    nfree: u64,
    fragments: u64,
    first_free: usize,
}

impl Buddy {
    /// `ext4_mb_generate_buddy`: each free run cut into the largest aligned
    /// buddies (`ext4_mb_mark_free_simple`), orders 0 to `blkbits + 1`.
    fn new(free: Vec<bool>, max_order: u32) -> Buddy {
        let n = free.len();
        let mut chunks = Vec::new();
        let mut chunk_of = alloc::vec![u32::MAX; n];
        let mut counters = alloc::vec![0u32; max_order as usize + 1];
        let (mut nfree, mut fragments, mut first_free) = (0u64, 0u64, n);
        let mut i = 0;
        while i < n {
            if !free[i] {
                i += 1;
                continue;
            }
            let start = i;
            while i < n && free[i] {
                i += 1;
            }
            fragments += 1;
            nfree += (i - start) as u64;
            first_free = first_free.min(start);
            let (mut s, mut len) = (start, i - start);
            while len > 0 {
                let align = (s | (1usize << max_order)).trailing_zeros();
                let fit = usize::BITS - 1 - len.leading_zeros();
                let ord = align.min(fit);
                chunk_of[s..s + (1 << ord)].fill(chunks.len() as u32);
                chunks.push((s, ord));
                counters[ord as usize] += 1;
                s += 1 << ord;
                len -= 1 << ord;
            }
        }
        Buddy { free, chunks, chunk_of, counters, nfree, fragments, first_free }
    }

    fn largest_free_order(&self) -> Option<u32> {
        (0..self.counters.len()).rev().find(|&o| self.counters[o] > 0).map(|o| o as u32)
    }

    fn is_free(&self, i: usize) -> bool {
        self.free.get(i).copied().unwrap_or(false)
    }

    fn next_free(&self, from: usize) -> Option<usize> {
        (from..self.free.len()).find(|&i| self.free[i])
    }

    fn next_used(&self, from: usize) -> usize {
        (from..self.free.len()).find(|&i| !self.free[i]).unwrap_or(self.free.len())
    }

    /// `mb_find_extent`: the free extent at bit `i`, the rest of its buddy
    /// and then whole following buddies while shorter than `needed`.
    fn find_extent(&self, i: usize, needed: u64) -> u64 {
        if !self.is_free(i) {
            return 0;
        }
        let (s, o) = self.chunks[self.chunk_of[i] as usize];
        let mut end = s + (1 << o);
        let mut len = (end - i) as u64;
        while needed > len && self.is_free(end) {
            let (_, o) = self.chunks[self.chunk_of[end] as usize];
            len += 1 << o;
            end += 1 << o;
        }
        len
    }
}

/// An allocation context's search state (`ac_found`, `ac_b_ex`, `ac_status`).
struct Search {
    /// `ac_g_ex.fe_len`.
    goal_len: u64,
    found: u32,
    /// The best extent so far: (group, first bit, length).
    best: Option<(u32, usize, u64)>,
    /// `AC_STATUS_BREAK`.
    stop: bool,
    /// `AC_STATUS_FOUND`: (group, first bit, length).
    done: Option<(u32, usize, u64)>,
}

impl Search {
    /// `ext4_mb_use_best_found`: the best extent, cut to the goal length.
    fn use_best(&mut self) {
        if let Some((g, s, l)) = self.best {
            self.done = Some((g, s, l.min(self.goal_len)));
        }
    }

    /// `ext4_mb_check_limits`.
    fn check_limits(&mut self, finish_group: bool) {
        if self.done.is_some() {
            return;
        }
        if self.found > MAX_TO_SCAN {
            self.stop = true;
            return;
        }
        if self.best.is_none_or(|b| b.2 < self.goal_len) {
            return;
        }
        if finish_group || self.found > MIN_TO_SCAN {
            self.use_best();
        }
    }

    /// `ext4_mb_measure_extent`: the goal length at once; else the longest
    /// while none is long enough, then the shortest that is.
    fn measure(&mut self, ex: (u32, usize, u64)) {
        self.found += 1;
        if ex.2 == self.goal_len {
            self.best = Some(ex);
            self.use_best();
            return;
        }
        let Some(b) = self.best else {
            self.best = Some(ex);
            return;
        };
        if b.2 < self.goal_len {
            if ex.2 > b.2 {
                self.best = Some(ex);
            }
        } else if ex.2 > self.goal_len && ex.2 < b.2 {
            self.best = Some(ex);
        }
        self.check_limits(false);
    }

    fn going(&self) -> bool {
        self.done.is_none() && !self.stop
    }
}

impl Ctx {
    /// Group `g` as the buddy sees it.
    fn buddy(&self, g: u32) -> Result<Buddy> {
        let geo = self.mem.base.geo;
        let view = self.mem.view()?;
        let bm = view.block_bitmap(g)?;
        let first = geo.group_first_block(g);
        let in_group = (geo.group_last_block(g) - first + 1) as usize;
        let pa = self.group_pa;
        let free: Vec<bool> = (0..in_group)
            .map(|i| {
                let b = first + i as u64;
                i < bm.nbits as usize
                    && !bm.get(i as u32)
                    && !self.busy.contains(&b)
                    && !pa.is_some_and(|p| b >= p.next && b < p.end)
            })
            .collect();
        let max_order = geo.block_size.trailing_zeros() + 1;
        Ok(Buddy::new(free, max_order))
    }

    /// Whether the mount has `mb_optimize_scan` on, and then
    /// `s_mb_max_linear_groups` (the groups tried in order first).
    fn optimize_scan(&self) -> Option<u32> {
        let on =
            self.opts.mb_optimize_scan.unwrap_or(self.mem.base.geo.groups_count >= LINEAR_SCAN_THRESHOLD);
        on.then_some(if self.opts.rotational { LINEAR_LIMIT } else { 0 })
    }

    /// Say once per run how the groups are chosen when `mb_optimize_scan` is on.
    fn note_optimize_scan(&mut self) {
        const HEAD: &str = "mb_optimize_scan";
        let Some(linear) = self.optimize_scan() else { return };
        if self.notes.iter().any(|n| n.starts_with(HEAD)) {
            return;
        }
        let groups = self.mem.base.geo.groups_count;
        let device = if self.opts.rotational { "a rotational device" } else { "a non-rotational device" };
        self.note(format!(
            "{HEAD} is on ({groups} groups): when the goal group cannot take a request, the block allocator tries {linear} group(s) in order ({device}), then picks groups by largest free order and average fragment size (Linux 6.17+ xarrays); every group's buddy is taken as loaded, as the ext4lazyinit thread's bitmap prefetch leaves it a few seconds after the mount"
        ));
    }

    /// `ext4_mb_scan_group` for a data request: group `g` checked by
    /// `ext4_mb_good_group` at criterion `cr`, then searched
    /// (`ext4_mb_simple_scan_group` at `CR_POWER2_ALIGNED`, else
    /// `ext4_mb_complex_scan_group`). Every group's buddy is taken as loaded.
    fn mb_scan_group(
        &self,
        g: u32,
        cr: Cr,
        rq: &Request,
        groups: &mut BuddyCache,
        s: &mut Search,
    ) -> Result<()> {
        let bd = groups.get(self, g)?;
        let len = s.goal_len;
        // ext4_mb_good_group_nolock, ext4_mb_good_group.
        if bd.nfree == 0 || bd.fragments == 0 || (cr < Cr::AnyFree && bd.nfree < len) {
            return Ok(());
        }
        let good = match cr {
            Cr::Power2Aligned => {
                let o = rq.two_order.unwrap_or(0);
                !(rq.flex >= FLEX_SIZE_DIR_ALLOC_SCHEME && g.is_multiple_of(rq.flex))
                    && bd.largest_free_order().is_some_and(|l| l >= o)
            }
            Cr::GoalLenFast | Cr::BestAvailLen => bd.nfree / bd.fragments >= len,
            Cr::GoalLenSlow => bd.nfree >= len,
            Cr::AnyFree => true,
        };
        if !good {
            return Ok(());
        }
        if cr == Cr::Power2Aligned {
            // ext4_mb_simple_scan_group: the first free buddy of the lowest
            // order at least the request's.
            let o = rq.two_order.unwrap_or(0);
            if let Some(&(first, ord)) = bd.chunks.iter().filter(|c| c.1 >= o).min_by_key(|c| (c.1, c.0)) {
                s.found += 1;
                s.best = Some((g, first, 1 << ord));
                s.use_best();
            }
            return Ok(());
        }
        // ext4_mb_complex_scan_group.
        let mut i = bd.first_free;
        let mut free = bd.nfree;
        while free > 0 && s.going() {
            let Some(j) = bd.next_free(i) else { break };
            i = j;
            if !cr.expensive() {
                let e = bd.next_used(i);
                let run = (e - i) as u64;
                if run < len {
                    i = e;
                    free = free.saturating_sub(run);
                    continue;
                }
            }
            let n = bd.find_extent(i, len);
            if n == 0 {
                break;
            }
            s.measure((g, i, n));
            i += n as usize;
            free = free.saturating_sub(n);
        }
        s.check_limits(true);
        Ok(())
    }

    /// `ext4_mb_regular_allocator` for a data request of `len` blocks that
    /// does not try its goal block (no `EXT4_MB_HINT_TRY_GOAL`): criterion by
    /// criterion from `goal_group` (`ext4_mb_scan_groups`). Without
    /// `mb_optimize_scan` every criterion walks all groups in order
    /// (`ext4_mb_scan_groups_linear`). With it, the cheap criteria first try
    /// `s_mb_max_linear_groups` groups in order from the goal's, then the
    /// xarrays from the group after those, ascending group numbers within an
    /// xarray, every xarray over [start, ngroups) before any over [0, start)
    /// (Linux 6.17+, `ext4_mb_scan_groups_*`):
    /// - `CR_POWER2_ALIGNED`: `s_mb_largest_free_orders[o]` for o from the
    ///   request's order up;
    /// - `CR_GOAL_LEN_FAST`: `s_mb_avg_fragment_size[o]` for o from
    ///   `mb_avg_fragment_size_order(len)` up (a group is in list
    ///   `mb_avg_fragment_size_order(free / fragments)`);
    /// - `CR_BEST_AVAIL_LEN`: the same lists for goal lengths trimmed to
    ///   powers of two no shorter than the original request: none for these
    ///   requests, which are never normalised (so it scans only its linear
    ///   groups);
    ///
    /// and `CR_GOAL_LEN_SLOW`, `CR_ANY_FREE` stay linear over all groups.
    /// `orig` is the original request (`ac_o_ex`), `len` the goal length
    /// (`ac_g_ex`: longer for a group preallocation). Returns (block, count)
    /// and the group, or None when nothing is free.
    fn mb_regular(&self, goal_group: u32, len: u64, orig: u64) -> Result<Option<(u64, u64, u32)>> {
        let geo = self.mem.base.geo;
        let ngroups = geo.groups_count;
        let blkbits = geo.block_size.trailing_zeros();
        let num_orders = blkbits + 2; // MB_NUM_ORDERS
        let flex = if self.mem.base.features().incompat(crate::format::features::INCOMPAT_FLEX_BG) {
            1u32.checked_shl(u32::from(self.mem.base.sb.s_log_groups_per_flex)).unwrap_or(1)
        } else {
            1
        };
        let fls = u64::BITS - len.leading_zeros();
        let two_order = (fls >= ORDER2_REQS && fls <= num_orders && len.is_power_of_two()).then_some(fls - 1);
        let rq = Request { two_order, flex };
        let mut groups = BuddyCache::default();
        // Each group's place in the xarrays (built once, when needed).
        let mut lists: Vec<Option<ListKey>> = Vec::new();
        let mut s = Search { goal_len: len, found: 0, best: None, stop: false, done: None };
        let mut cr = if two_order.is_some() { Cr::Power2Aligned } else { Cr::GoalLenFast };
        let goal = if goal_group < ngroups { goal_group } else { 0 };
        let optimize = self.optimize_scan();
        'crit: loop {
            let mut start = goal;
            let Some(linear) = optimize.filter(|_| !cr.expensive()) else {
                // ext4_mb_scan_groups_linear over every group.
                for step in 0..ngroups {
                    self.mb_scan_group((goal + step) % ngroups, cr, &rq, &mut groups, &mut s)?;
                    if !s.going() {
                        break 'crit;
                    }
                }
                match cr.next() {
                    Some(c) => cr = c,
                    None => break,
                }
                continue;
            };
            // The linear groups first (no change of criterion after them).
            for _ in 0..linear {
                self.mb_scan_group(start, cr, &rq, &mut groups, &mut s)?;
                if !s.going() {
                    break 'crit;
                }
                start = if start + 1 >= ngroups { 0 } else { start + 1 };
            }
            // Every group's buddy is loaded: its place in the xarrays. Each
            // buddy is built, summarised and dropped (a few hundred KiB
            // each); past MAX_XARRAY_GROUPS that is refused, not run for
            // minutes.
            if lists.is_empty() {
                if ngroups > MAX_XARRAY_GROUPS {
                    return Err(refuse(
                        "ext4_mb_regular_allocator",
                        format!(
                            "mb_optimize_scan over {ngroups} groups (modelled up to {MAX_XARRAY_GROUPS})"
                        ),
                    ));
                }
                for g in 0..ngroups {
                    let b = groups.get(self, g)?;
                    let avg =
                        (b.fragments > 0).then(|| avg_fragment_size_order(b.nfree / b.fragments, num_orders));
                    let largest = if b.nfree > 0 { b.largest_free_order() } else { None };
                    lists.push(Some(ListKey { avg, largest }));
                }
            }
            let in_list = |g: u32, o: u32, by_avg: bool| -> bool {
                lists.get(g as usize).copied().flatten().is_some_and(|k| {
                    if by_avg {
                        k.avg == Some(o)
                    } else {
                        k.largest == Some(o)
                    }
                })
            };
            let (orders, by_avg): (Vec<u32>, bool) = match cr {
                Cr::Power2Aligned => (((two_order.unwrap_or(0))..num_orders).collect(), false),
                Cr::GoalLenFast => ((avg_fragment_size_order(len, num_orders)..num_orders).collect(), true),
                _ => {
                    // ext4_mb_scan_groups_best_avail: goal lengths 1 << i for
                    // i from fls(len) - 1 down to a floor that is raised to
                    // fls(orig) whenever 1 << floor is shorter than the
                    // original request, which it is when the goal is the
                    // request itself: then no list is scanned. Trimming a
                    // longer goal (a group preallocation) is not modelled.
                    let order = fls - 1;
                    let mut min_order = order.saturating_sub(BEST_AVAIL_TRIM_ORDER);
                    if (1u64 << min_order) < orig {
                        min_order = u64::BITS - orig.leading_zeros();
                    }
                    if min_order <= order {
                        return Err(refuse(
                            "ext4_mb_regular_allocator",
                            format!("a goal of {len} blocks for a request of {orig} (a group preallocation) that no group can give whole (no free buddy that large, no group whose free extents are that long on average) goes to CR_BEST_AVAIL_LEN, whose trimming of the goal (mb_optimize_scan) is not modelled yet"),
                        ));
                    }
                    (Vec::new(), true)
                }
            };
            let ranges = if start == 0 {
                alloc::vec![(0, ngroups)]
            } else {
                alloc::vec![(start, ngroups), (0, start)]
            };
            let mut order_of_visit = Vec::new();
            for &(lo, hi) in &ranges {
                for &o in &orders {
                    order_of_visit.extend((lo..hi).filter(|&g| in_list(g, o, by_avg)));
                }
            }
            for g in order_of_visit {
                self.mb_scan_group(g, cr, &rq, &mut groups, &mut s)?;
                if !s.going() {
                    break 'crit;
                }
            }
            match cr.next() {
                Some(c) => cr = c,
                None => break,
            }
        }
        if s.done.is_none() {
            // ext4_mb_try_best_found: what was best when the search ended.
            s.use_best();
        }
        Ok(s.done.map(|(g, i, n)| (geo.group_first_block(g) + i as u64, n, g)))
    }

    /// `ext4_mb_new_blocks` for fallocate and zero_range (`ext4_alloc_file_blocks`
    /// passes `EXT4_GET_BLOCKS_NO_NORMALIZE`, so `EXT4_MB_HINT_NOPREALLOC`: no
    /// normalisation, no new preallocation, no goal block tried): `len` blocks
    /// at `logical` of `ino`, whose size is `isize` blocks, near `goal`.
    /// `ext4_mb_group_or_file`: a file of at most `s_mb_stream_request` blocks
    /// (the request's end or the size) takes them from the locality group's
    /// preallocation when it has that many left, else from the goal's group
    /// on; a bigger one is a stream allocation, from the group of its stream
    /// goal (`s_mb_last_groups[ino % s_mb_nr_global_goals]`), which then
    /// becomes the group allocated in.
    fn alloc_nonormalize(
        &mut self,
        ino: u32,
        logical: u64,
        len: u64,
        isize: u64,
        goal: u64,
    ) -> Result<(u64, u64)> {
        let geo = self.mem.base.geo;
        let size = (logical + len).max(isize);
        let stream = size > STREAM_REQUEST;
        if !stream {
            if let Some(pa) = self.group_pa.as_mut() {
                if pa.end - pa.next >= len {
                    let s = pa.next;
                    pa.next += len;
                    return Ok((s, len));
                }
            }
        }
        let nr_goals = geo.groups_count.div_ceil(4).clamp(1, ASSUMED_CPUS);
        let hash = ino % nr_goals;
        let goal_group = if stream {
            self.last_groups.get(&hash).copied().unwrap_or(0)
        } else {
            let goal = if goal < geo.first_data_block || goal >= geo.blocks_count {
                geo.first_data_block
            } else {
                goal
            };
            geo.group_of_block(goal).unwrap_or(0)
        };
        self.note_optimize_scan();
        let Some((b, n, g)) = self.mb_regular(goal_group, len, len)? else {
            return Err(refuse("ext4_mb_new_blocks", String::from("no free block (ENOSPC)")));
        };
        if stream {
            self.last_groups.insert(hash, g);
        }
        Ok((b, n))
    }
}

#[cfg(test)]
mod tests {
    use super::{Buddy, Search};

    /// Free bits 6..64 of a 64-bit group, buddies up to order 5.
    fn sample() -> Buddy {
        let free = (0..64).map(|i| i >= 6).collect();
        Buddy::new(free, 5)
    }

    #[test]
    fn free_runs_are_cut_into_aligned_buddies() {
        let b = sample();
        assert_eq!(b.chunks, [(6, 1), (8, 3), (16, 4), (32, 5)]);
        assert_eq!((b.nfree, b.fragments, b.first_free), (58, 1, 6));
        assert_eq!(b.largest_free_order(), Some(5));
    }

    #[test]
    fn find_extent_grows_by_whole_buddies_until_long_enough() {
        let b = sample();
        assert_eq!(b.find_extent(6, 1), 2);
        assert_eq!(b.find_extent(6, 4), 10);
        assert_eq!(b.find_extent(7, 12), 25);
        assert_eq!(b.find_extent(3, 1), 0);
    }

    #[test]
    fn measure_takes_the_exact_length_else_the_shortest_long_enough() {
        let mut s = Search { goal_len: 4, found: 0, best: None, stop: false, done: None };
        for ex in [(0, 0, 2), (0, 10, 18), (0, 40, 128)] {
            s.measure(ex);
        }
        assert_eq!(s.best, Some((0, 10, 18)));
        assert!(s.done.is_none());
        s.check_limits(true);
        assert_eq!(s.done, Some((0, 10, 4)));
        let mut s = Search { goal_len: 4, found: 0, best: None, stop: false, done: None };
        s.measure((0, 10, 18));
        s.measure((0, 50, 4));
        assert_eq!(s.done, Some((0, 50, 4)));
    }
}
