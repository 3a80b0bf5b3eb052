//! `chattr +e` (`ext4_ext_migrate`) and `chattr -e` (`ext4_ind_migrate`), step
//! by step as Linux 6.x does them, and the other designs discussed on
//! linux-ext4 for making the migration crash-safe ([`Design`]).
//!
//! `ext4_ext_migrate` in 6.x:
//! 1. handle 1: a temporary inode T (`ext4_new_inode`, S_IFREG, goal = the first
//!    inode of the original's group), links 0, an empty extent root;
//! 2. handle 2: i_data[0..11], then the IND, DIND and TIND trees are walked in
//!    logical order, each run of physically contiguous blocks becoming one
//!    extent inserted into T (`finish_range`); before each insertion the handle
//!    is extended by the credits one extent needs or, when it still holds 12 or
//!    more, restarted (`ext4_journal_restart`: jbd2 is asked to commit, a
//!    transaction boundary). A fifth extent moves the root into a leaf block
//!    (`ext4_ext_grow_indepth`, allocated near T's goal block), a full leaf
//!    gets a sibling (`ext4_ext_split`, allocated after the last extent);
//! 3. still handle 2, the swap (`ext4_ext_swap_inode_data`): EXTENTS_FL set,
//!    T's 60-byte i_block copied into the original, its i_blocks added; every
//!    IND/DIND/TIND block freed as metadata (a revoke record each, i_blocks
//!    lowered); then T emptied (size 0, i_blocks 0, a new empty root);
//! 4. `iput(T)` → `ext4_evict_inode`: dtime set, T freed.
//!
//! Data blocks never move. T's leaf blocks become the original's.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::alloc::{words, write_empty_root};
use super::mem::{le, put_le, refuse};
use super::{Ctx, Design};
use crate::error::Result;
use crate::format::extent::{node_capacity, EXTENT_MAGIC};
use crate::format::inode::{EXTENTS_FL, INLINE_DATA_FL, I_BLOCK_OFFSET};

/// `EXT4_RESERVE_TRANS_BLOCKS`.
const RESERVE_TRANS_BLOCKS: i64 = 12;
/// `EXT4_XATTR_TRANS_BLOCKS`.
const XATTR_TRANS_BLOCKS: u32 = 6;

/// One extent: logical start, physical start, length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ext {
    /// First logical block.
    pub logical: u32,
    /// First physical block.
    pub physical: u64,
    /// Blocks.
    pub len: u32,
}

/// T's extent tree as it grows: the root in the inode, and leaves.
#[derive(Debug, Clone, Default)]
struct Tree {
    /// Depth 0: the root's extents.
    root: Vec<Ext>,
    /// Depth 1: (leaf block, first logical, its extents).
    leaves: Vec<(u64, u32, Vec<Ext>)>,
    /// Blocks allocated for the tree (i_blocks of T, in fs blocks).
    allocated: u32,
}

impl Tree {
    fn depth(&self) -> u16 {
        u16::from(!self.leaves.is_empty())
    }

    /// The 60-byte root as the inode holds it.
    fn root_bytes(&self) -> [u8; 60] {
        let mut r = [0u8; 60];
        put_le(&mut r, 0, 2, u64::from(EXTENT_MAGIC));
        put_le(&mut r, 4, 2, 4);
        if self.leaves.is_empty() {
            put_le(&mut r, 2, 2, self.root.len() as u64);
            for (i, e) in self.root.iter().enumerate() {
                put_ext(&mut r, 12 + 12 * i, e);
            }
        } else {
            put_le(&mut r, 2, 2, self.leaves.len() as u64);
            put_le(&mut r, 6, 2, 1);
            for (i, (blk, first, _)) in self.leaves.iter().enumerate() {
                let o = 12 + 12 * i;
                put_le(&mut r, o, 4, u64::from(*first));
                put_le(&mut r, o + 4, 4, *blk & 0xFFFF_FFFF);
                put_le(&mut r, o + 8, 2, *blk >> 32);
            }
        }
        r
    }
}

fn put_ext(b: &mut [u8], o: usize, e: &Ext) {
    put_le(b, o, 4, u64::from(e.logical));
    put_le(b, o + 4, 2, u64::from(e.len));
    put_le(b, o + 6, 2, e.physical >> 32);
    put_le(b, o + 8, 4, e.physical & 0xFFFF_FFFF);
}

/// A leaf block's bytes.
fn leaf_bytes(bs: usize, exts: &[Ext]) -> Vec<u8> {
    let mut b = alloc::vec![0u8; bs];
    put_le(&mut b, 0, 2, u64::from(EXTENT_MAGIC));
    put_le(&mut b, 2, 2, exts.len() as u64);
    put_le(&mut b, 4, 2, node_capacity(bs) as u64);
    for (i, e) in exts.iter().enumerate() {
        put_ext(&mut b, 12 + 12 * i, e);
    }
    b
}

/// What the walk of the original's indirect map found.
struct Walk {
    /// Extents in logical order (closed runs).
    runs: Vec<Ext>,
    /// Indirect blocks in the order the kernel frees them.
    meta: Vec<u64>,
}

/// The walk of `update_*_extent_range`: logical order, physically
/// contiguous blocks coalesced.
struct Walker<'a> {
    ctx: &'a Ctx,
    per: u64,
    /// The next logical block.
    cur: u64,
    /// Words left to read (against hostile maps).
    budget: u64,
    /// Indirect blocks seen: a map naming one twice is corrupt (and would
    /// make the walk exponential).
    seen: alloc::collections::BTreeSet<u64>,
    out: Walk,
}

impl Walker<'_> {
    fn add(&mut self, p: u64) -> Result<()> {
        let logical = u32::try_from(self.cur)
            .map_err(|_| refuse("chattr +e", String::from("logical block past 2^32")))?;
        self.cur += 1;
        if let Some(last) = self.out.runs.last_mut() {
            if last.physical + u64::from(last.len) == p
                && last.logical + last.len == logical
                && last.len < 32768
            {
                last.len += 1;
                return Ok(());
            }
        }
        self.out.runs.push(Ext { logical, physical: p, len: 1 });
        Ok(())
    }

    /// An indirect block of `level` (1 = IND, 2 = DIND, 3 = TIND); children
    /// are freed before their parent (free_ind_block / free_dind_blocks /
    /// free_tind_blocks), so that is the order recorded.
    fn visit(&mut self, blk: u64, level: u32) -> Result<()> {
        if blk >= self.ctx.mem.base.geo.blocks_count {
            return Err(refuse("chattr +e", format!("indirect block {blk} is outside the file system")));
        }
        if !self.seen.insert(blk) {
            return Err(refuse(
                "chattr +e",
                format!("indirect block {blk} appears twice in the block map (corrupt)"),
            ));
        }
        let ws = words(&self.ctx.mem.get(blk)?);
        self.budget = self.budget.saturating_sub(ws.len() as u64);
        if self.budget == 0 {
            return Err(refuse("chattr +e", String::from("indirect map too large to simulate")));
        }
        let span = self.per.pow(level - 1);
        for &w in &ws {
            if w == 0 {
                self.cur += span;
            } else if level == 1 {
                self.add(u64::from(w))?;
            } else {
                self.visit(u64::from(w), level - 1)?;
            }
        }
        self.out.meta.push(blk);
        Ok(())
    }
}

/// The original inode's block map as the migration sees it.
fn walk(ctx: &Ctx, i_block: &[u32; 15]) -> Result<Walk> {
    let per = (ctx.mem.bs() / 4) as u64;
    let mut w = Walker {
        ctx,
        per,
        cur: 0,
        budget: 1 << 24,
        seen: Default::default(),
        out: Walk { runs: Vec::new(), meta: Vec::new() },
    };
    for &p in &i_block[..12] {
        if p != 0 {
            w.add(u64::from(p))?;
        } else {
            w.cur += 1;
        }
    }
    for (i, level) in [(12usize, 1u32), (13, 2), (14, 3)] {
        if i_block[i] != 0 {
            w.visit(u64::from(i_block[i]), level)?;
        } else {
            w.cur += per.pow(level);
        }
    }
    Ok(w.out)
}

/// Credits one extent insertion needs (`ext4_ext_calc_credits_for_single_extent`).
fn credits_for_extent(ctx: &Ctx, tree: &Tree) -> u32 {
    let quota =
        if ctx.mem.base.features().ro_compat(crate::format::features::RO_COMPAT_QUOTA) { 3 } else { 0 };
    let meta = XATTR_TRANS_BLOCKS + quota;
    let room = if tree.leaves.is_empty() {
        tree.root.len() < 4
    } else {
        tree.leaves.last().is_some_and(|l| l.2.len() < node_capacity(ctx.mem.bs()))
    };
    if room {
        return 2 + meta;
    }
    // ext4_chunk_trans_blocks: index blocks (depth * 2), groups and descriptor blocks.
    let idx = 2 * u32::from(tree.depth());
    let groups = (idx + 1).min(ctx.mem.base.geo.groups_count);
    let gdp = (idx + 1).min(ctx.mem.base.geo.gdt_blocks.max(1) as u32);
    idx + groups + gdp + meta
}

impl Ctx {
    /// `chattr +e` on inode `ino` (reached as `path`).
    pub fn chattr_plus_e(&mut self, path: &str, ino: u32) -> Result<()> {
        let op = format!("chattr +e {path}");
        if !self.mem.base.features().incompat(crate::format::features::INCOMPAT_EXTENTS) {
            return Err(refuse(&op, String::from("the file system has no extents feature (EINVAL)")));
        }
        let rec = self.mem.inode_bytes(ino)?;
        let flags = le(&rec, 0x20, 4) as u32;
        if flags & EXTENTS_FL != 0 {
            // Nothing to migrate: ext4_ioctl_setflags sees no change of EXTENTS_FL.
            self.note(format!("{op}: already extent-mapped, nothing to do"));
            return Ok(());
        }
        if flags & INLINE_DATA_FL != 0 {
            return Err(refuse(&op, String::from("inline data cannot be migrated (EINVAL)")));
        }
        let mode = le(&rec, 0, 2) as u16;
        let blocks_lo = le(&rec, 0x1C, 4);
        if mode & 0xF000 == 0xA000 && blocks_lo == 0 {
            self.note(format!("{op}: a fast symlink is not migrated"));
            return Ok(());
        }
        if !matches!(mode & 0xF000, 0x8000 | 0x4000 | 0xA000) {
            return Err(refuse(
                &op,
                String::from("only regular files, directories and symlinks have block maps"),
            ));
        }
        let mut i_block = [0u32; 15];
        for (i, w) in i_block.iter_mut().enumerate() {
            *w = le(&rec, I_BLOCK_OFFSET + 4 * i, 4) as u32;
        }
        let walked = walk(self, &i_block)?;
        let uid = (le(&rec, 0x02, 2) | (le(&rec, 0x78, 2) << 16)) as u32;
        let gid = (le(&rec, 0x18, 2) | (le(&rec, 0x7A, 2) << 16)) as u32;
        let generation = le(&rec, 0x64, 4) as u32;
        let now = self.jrn.clock;

        // ext4_ioctl_setflags: the flags handle (ctime, i_version) before the migration.
        self.jrn.start("ext4_ioctl_setflags", 1);
        self.edit_inode(ino, |r| {
            put_le(r, 0x0C, 4, now & 0xFFFF_FFFF);
            bump_version(r);
        })?;
        self.jrn.stop();

        let design = self.opts.design;
        let ipg = self.mem.base.geo.inodes_per_group;
        let goal = ((ino - 1) / ipg) * ipg + 1;
        let mut tmp = None;
        if design != Design::InMemoryTemp {
            self.jrn.start("ext4_ext_migrate: ext4_new_inode (temp inode)", 3);
            let t = self.new_inode(goal, 0x8000, uid, gid)?;
            if design != Design::OrphanList {
                // T takes the original's i_csum_seed (since 5.16, December
                // 2021) until it is emptied (its own restored: 6.0, June 2022):
                // its record is written with the original's seed meanwhile.
                let seed =
                    crate::format::extent::inode_seed_from(self.mem.base.sb.csum_seed(), ino, generation);
                self.seeds.insert(t, seed);
            }
            // clear_nlink + ext4_ext_tree_init: links 0, an empty root.
            self.edit_inode(t, |r| put_le(r, 0x1A, 2, 0))?;
            if design == Design::OrphanList {
                self.orphan_add(t)?;
            }
            self.jrn.stop();
            self.note(format!("{op}: temporary inode {t} (goal {goal})"));
            self.temps.push((self.jrn.op, t));
            tmp = Some(t);
        }
        let restarts = design == Design::Kernel || design == Design::OrphanList;
        let name = "ext4_ext_migrate: extents into the temp inode";
        self.jrn.start(name, if restarts { 1 } else { u32::MAX / 2 });

        // Build T's tree, extent by extent (finish_range). Tree blocks are
        // checksummed with the original's seed (5.16 on give T the original's
        // i_csum_seed); before that (the orphan-list design's kernels), with
        // T's own, so under metadata_csum the migrated file's leaf fails its
        // checksum (kernel bugzilla 213357) while orphan cleanup can truncate T.
        let t_ino = tmp.unwrap_or(ino);
        let (seal_ino, seal_gen) = match (design, tmp) {
            (Design::OrphanList, Some(t)) => (t, le(&self.mem.inode_bytes(t)?, 0x64, 4) as u32),
            _ => (ino, generation),
        };
        let mut tree = Tree::default();
        for e in &walked.runs {
            // Every extent's insertion checks the credits first.
            let needed = credits_for_extent(self, &tree);
            if restarts {
                if self.jrn.credits() >= RESERVE_TRANS_BLOCKS {
                    // ext4_journal_restart: jbd2 is asked to commit.
                    if self.opts.restart_commits {
                        self.commit()?;
                        self.jrn.start(name, needed);
                    } else {
                        self.jrn.start(name, needed);
                    }
                } else {
                    self.jrn.extend(needed);
                }
            }
            self.insert_extent(tmp, t_ino, seal_ino, seal_gen, &mut tree, *e)?;
        }
        // The swap.
        if restarts {
            self.jrn.extend(1);
        }
        let root = tree.root_bytes();
        let sectors = (self.mem.bs() / 512) as u64;
        let added = u64::from(tree.allocated) * sectors;
        self.edit_inode(ino, |r| {
            let f = le(r, 0x20, 4) as u32 | EXTENTS_FL;
            put_le(r, 0x20, 4, u64::from(f));
            if let Some(x) = r.get_mut(I_BLOCK_OFFSET..I_BLOCK_OFFSET + 60) {
                x.copy_from_slice(&root);
            }
            add_blocks(r, added as i64);
        })?;
        for &b in &walked.meta {
            if restarts && self.jrn.credits() < RESERVE_TRANS_BLOCKS + 1 {
                self.jrn.extend(3);
            }
            self.free_meta_block(b)?;
            self.edit_inode(ino, |r| add_blocks(r, -(sectors as i64)))?;
        }
        if let Some(t) = tmp {
            // T emptied: size 0, i_blocks 0, its own seed back, a new empty root.
            self.seeds.remove(&t);
            self.edit_inode(t, |r| {
                put_le(r, 0x04, 4, 0);
                put_le(r, 0x6C, 4, 0);
                put_le(r, 0x1C, 4, 0);
                put_le(r, 0x74, 2, 0);
                write_empty_root(r);
            })?;
        }
        self.jrn.stop();

        // iput(T) → ext4_evict_inode.
        if let Some(t) = tmp {
            self.jrn.start("ext4_evict_inode (temp inode)", 8);
            if design == Design::OrphanList {
                self.orphan_del(t)?;
            }
            self.edit_inode(t, |r| put_le(r, 0x14, 4, now & 0xFFFF_FFFF))?;
            self.free_inode(t, false)?;
            self.jrn.stop();
        }
        self.note(format!(
            "{op}: {} extent(s), {} leaf block(s), {} indirect block(s) freed",
            walked.runs.len(),
            tree.leaves.len(),
            walked.meta.len()
        ));
        Ok(())
    }

    /// Insert extent `e` at the end of T's tree (`ext4_ext_insert_extent` for
    /// an append), growing it as the kernel does.
    /// `t` is the inode whose tree grows (the original itself when the
    /// temporary inode lives only in memory); tree blocks are sealed with the
    /// seed of (`seal_ino`, `seal_gen`).
    fn insert_extent(
        &mut self,
        t: Option<u32>,
        goal_ino: u32,
        seal_ino: u32,
        seal_gen: u32,
        tree: &mut Tree,
        e: Ext,
    ) -> Result<()> {
        let bs = self.mem.bs();
        let cap = node_capacity(bs);
        if tree.leaves.is_empty() && tree.root.len() < 4 {
            tree.root.push(e);
        } else if tree.leaves.is_empty() {
            // ext4_ext_grow_indepth: the root's extents move to a new leaf.
            let goal = self.goal_block(goal_ino, true);
            let leaf = self.alloc_block(goal)?;
            tree.allocated += 1;
            let mut exts = core::mem::take(&mut tree.root);
            let first = exts.first().map_or(e.logical, |x| x.logical);
            exts.push(e);
            tree.leaves.push((leaf, first, exts));
        } else if tree.leaves.last().is_some_and(|l| l.2.len() < cap) {
            if let Some(l) = tree.leaves.last_mut() {
                l.2.push(e);
            }
        } else if tree.leaves.len() < 4 {
            // ext4_ext_split at the root: a new leaf for the appended extent,
            // allocated after the last extent (ext4_ext_find_goal).
            let last = tree.leaves.last().and_then(|l| l.2.last()).copied();
            let goal = last
                .map_or(self.goal_block(goal_ino, true), |x| x.physical + u64::from(e.logical - x.logical));
            let leaf = self.alloc_block(goal)?;
            tree.allocated += 1;
            tree.leaves.push((leaf, e.logical, alloc::vec![e]));
        } else {
            return Err(refuse(
                "chattr +e",
                format!(
                    "more than {} extents would need a tree of depth 2, which is not modelled yet",
                    4 * cap
                ),
            ));
        }
        // Write what changed: the leaf (checksummed with the original's seed:
        // ext4_ext_migrate gives T the original's i_csum_seed) and T's root.
        if let Some((blk, _, exts)) = tree.leaves.last() {
            let mut b = leaf_bytes(bs, exts);
            self.mem.seal_extent_block(seal_ino, seal_gen, &mut b);
            self.mem.set(*blk, b);
            self.jrn.dirty(*blk);
        }
        let root = tree.root_bytes();
        let sectors = (bs / 512) as u64 * u64::from(tree.allocated);
        if let Some(t) = t {
            self.edit_inode(t, |r| {
                if let Some(x) = r.get_mut(I_BLOCK_OFFSET..I_BLOCK_OFFSET + 60) {
                    x.copy_from_slice(&root);
                }
                put_le(r, 0x1C, 4, sectors & 0xFFFF_FFFF);
                put_le(r, 0x74, 2, sectors >> 32);
            })?;
        }
        Ok(())
    }

    /// `chattr -e` (`ext4_ind_migrate`): only a depth-0 tree of at most one
    /// extent ending before logical block 12; one handle, nothing allocated or freed.
    pub fn chattr_minus_e(&mut self, path: &str, ino: u32) -> Result<()> {
        let op = format!("chattr -e {path}");
        let rec = self.mem.inode_bytes(ino)?;
        let flags = le(&rec, 0x20, 4) as u32;
        if flags & EXTENTS_FL == 0 {
            self.note(format!("{op}: already block-mapped, nothing to do"));
            return Ok(());
        }
        if self.mem.base.features().ro_compat(crate::format::features::RO_COMPAT_BIGALLOC) {
            return Err(refuse(
                &op,
                String::from("bigalloc file systems cannot go back to block maps (EOPNOTSUPP)"),
            ));
        }
        let ib = I_BLOCK_OFFSET;
        let depth = le(&rec, ib + 6, 2);
        let entries = le(&rec, ib + 2, 2);
        if le(&rec, ib, 2) as u16 != EXTENT_MAGIC {
            return Err(refuse(&op, String::from("the extent root is corrupt (EFSCORRUPTED)")));
        }
        if self.mem.base.geo.blocks_count > u64::from(u32::MAX) || depth != 0 || entries > 1 {
            return Err(refuse(&op, format!("depth {depth} with {entries} extents: only one extent at depth 0 can go back (EOPNOTSUPP)")));
        }
        let (start, len) = if entries == 0 {
            (0u64, 0u64)
        } else {
            let logical = le(&rec, ib + 12, 4);
            let len = le(&rec, ib + 16, 2) & 0x7FFF;
            let phys = le(&rec, ib + 20, 4) | (le(&rec, ib + 18, 2) << 32);
            if logical + len > 12 {
                return Err(refuse(
                    &op,
                    format!(
                        "the extent ends at logical block {}, past the 12 direct blocks (EOPNOTSUPP)",
                        logical + len - 1
                    ),
                ));
            }
            // ext4_ind_migrate maps blocks from i_data[0] regardless of ee_block.
            (phys, len)
        };
        let now = self.jrn.clock;
        self.jrn.start("ext4_ioctl_setflags", 1);
        self.edit_inode(ino, |r| {
            put_le(r, 0x0C, 4, now & 0xFFFF_FFFF);
            bump_version(r);
        })?;
        self.jrn.stop();
        self.jrn.start("ext4_ind_migrate", 1);
        self.edit_inode(ino, |r| {
            let f = le(r, 0x20, 4) as u32 & !EXTENTS_FL;
            put_le(r, 0x20, 4, u64::from(f));
            if let Some(x) = r.get_mut(ib..ib + 60) {
                x.fill(0);
            }
            for i in 0..len {
                put_le(r, ib + 4 * i as usize, 4, start + i);
            }
        })?;
        self.jrn.stop();
        Ok(())
    }

    /// `ext4_orphan_add` on the classic list: T's dtime points at the old head,
    /// `s_last_orphan` at T (the superblock is journalled).
    pub fn orphan_add(&mut self, ino: u32) -> Result<()> {
        let head = self.mem.sb_field(0xE8, 4)? as u32;
        self.edit_inode(ino, |r| put_le(r, 0x14, 4, u64::from(head)))?;
        let b = self.mem.edit_sb(|sb| put_le(sb, 0xE8, 4, u64::from(ino)))?;
        self.jrn.dirty(b);
        Ok(())
    }

    /// `ext4_orphan_del` of the list's head (or of an inode further down).
    pub fn orphan_del(&mut self, ino: u32) -> Result<()> {
        let next = le(&self.mem.inode_bytes(ino)?, 0x14, 4) as u32;
        let head = self.mem.sb_field(0xE8, 4)? as u32;
        if head == ino {
            let b = self.mem.edit_sb(|sb| put_le(sb, 0xE8, 4, u64::from(next)))?;
            self.jrn.dirty(b);
        } else {
            // Find the predecessor (bounded by the inode count).
            let mut prev = head;
            let mut n = 0u64;
            while prev != 0 && n < self.mem.base.geo.inodes_count() {
                let p_next = le(&self.mem.inode_bytes(prev)?, 0x14, 4) as u32;
                if p_next == ino {
                    self.edit_inode(prev, |r| put_le(r, 0x14, 4, u64::from(next)))?;
                    break;
                }
                prev = p_next;
                n += 1;
            }
        }
        self.edit_inode(ino, |r| put_le(r, 0x14, 4, 0))?;
        Ok(())
    }
}

/// `inode_inc_iversion`: the 64-bit i_version (osd1 low word, `i_version_hi`).
fn bump_version(r: &mut [u8]) {
    let extra = le(r, 0x80, 2) as usize;
    let hi_ok = r.len() > 128 && extra >= 0x9C - 128;
    let mut v = le(r, 0x24, 4);
    if hi_ok {
        v |= le(r, 0x98, 4) << 32;
    }
    v = v.wrapping_add(1);
    put_le(r, 0x24, 4, v & 0xFFFF_FFFF);
    if hi_ok {
        put_le(r, 0x98, 4, v >> 32);
    }
}

/// Add `delta` 512-byte sectors to i_blocks (48 bits, no HUGE_FILE scaling).
fn add_blocks(r: &mut [u8], delta: i64) {
    let v = le(r, 0x1C, 4) | (le(r, 0x74, 2) << 32);
    let v = (v as i64).saturating_add(delta).max(0) as u64;
    put_le(r, 0x1C, 4, v & 0xFFFF_FFFF);
    put_le(r, 0x74, 2, v >> 32);
}
