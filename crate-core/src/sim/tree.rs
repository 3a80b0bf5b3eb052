//! An inode's extent tree as the simulator edits it (depth 0, or depth 1
//! with up to four leaves): loaded from the record and its leaf blocks,
//! extents inserted in logical order (merged with a neighbour when
//! `ext4_ext_try_to_merge` would), removed (truncation), and written back:
//! the 60-byte root into the record, each changed leaf as a block with its
//! tail checksum. Deeper trees are refused with an error saying so.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::mem::{le, put_le, refuse};
use super::Ctx;
use crate::error::Result;
use crate::format::extent::{node_capacity, EXTENT_MAGIC, INIT_MAX_LEN};
use crate::format::inode::I_BLOCK_OFFSET;

/// One extent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Extent {
    /// First logical block.
    pub logical: u32,
    /// First physical block.
    pub physical: u64,
    /// Blocks.
    pub len: u32,
    /// Allocated but not written (reads as zeros).
    pub unwritten: bool,
}

impl Extent {
    fn end(&self) -> u64 {
        u64::from(self.logical) + u64::from(self.len)
    }
}

/// A leaf of a depth-1 tree.
#[derive(Debug, Clone)]
pub struct Leaf {
    /// Its block.
    pub block: u64,
    /// Its extents.
    pub exts: Vec<Extent>,
    /// Changed since loaded.
    pub dirty: bool,
}

/// The tree of one inode.
#[derive(Debug, Clone)]
pub struct Tree {
    /// The inode.
    pub ino: u32,
    /// Depth 0: the extents in the root.
    pub root: Vec<Extent>,
    /// Depth 1: the leaves, in logical order.
    pub leaves: Vec<Leaf>,
    /// Leaf blocks allocated while editing (the caller adds them to i_blocks).
    pub new_blocks: u32,
    /// Leaf blocks no longer used (the caller frees and revokes them).
    pub freed: Vec<u64>,
}

fn get_ext(b: &[u8], o: usize) -> Extent {
    let raw_len = le(b, o + 4, 2) as u32;
    let (len, unwritten) = if raw_len > u32::from(INIT_MAX_LEN) {
        (raw_len - u32::from(INIT_MAX_LEN), true)
    } else {
        (raw_len, false)
    };
    Extent {
        logical: le(b, o, 4) as u32,
        physical: le(b, o + 8, 4) | (le(b, o + 6, 2) << 32),
        len,
        unwritten,
    }
}

fn put_ext(b: &mut [u8], o: usize, e: &Extent) {
    put_le(b, o, 4, u64::from(e.logical));
    let raw = if e.unwritten { e.len + u32::from(INIT_MAX_LEN) } else { e.len };
    put_le(b, o + 4, 2, u64::from(raw));
    put_le(b, o + 6, 2, e.physical >> 32);
    put_le(b, o + 8, 4, e.physical & 0xFFFF_FFFF);
}

fn header(b: &[u8], o: usize) -> Option<(u16, u16, u16)> {
    (le(b, o, 2) as u16 == EXTENT_MAGIC)
        .then(|| (le(b, o + 2, 2) as u16, le(b, o + 4, 2) as u16, le(b, o + 6, 2) as u16))
}

impl Tree {
    /// Load inode `ino`'s tree (its record must have EXTENTS_FL).
    pub(crate) fn load(ctx: &Ctx, ino: u32, what: &str) -> Result<Tree> {
        let rec = ctx.mem.inode_bytes(ino)?;
        let ib = I_BLOCK_OFFSET;
        let Some((entries, _max, depth)) = header(&rec, ib) else {
            return Err(refuse(what, format!("inode {ino}: the extent root has no magic number (corrupt)")));
        };
        let mut t = Tree { ino, root: Vec::new(), leaves: Vec::new(), new_blocks: 0, freed: Vec::new() };
        match depth {
            0 => {
                for i in 0..usize::from(entries.min(4)) {
                    t.root.push(get_ext(&rec, ib + 12 + 12 * i));
                }
            }
            1 => {
                for i in 0..usize::from(entries.min(4)) {
                    let o = ib + 12 + 12 * i;
                    let blk = le(&rec, o + 4, 4) | (le(&rec, o + 8, 2) << 32);
                    if blk >= ctx.mem.base.geo.blocks_count {
                        return Err(refuse(
                            what,
                            format!("inode {ino}: leaf block {blk} outside the file system"),
                        ));
                    }
                    let b = ctx.mem.get(blk)?;
                    let Some((n, _, 0)) = header(&b, 0) else {
                        return Err(refuse(
                            what,
                            format!("inode {ino}: leaf block {blk} is not an extent leaf"),
                        ));
                    };
                    let cap = node_capacity(b.len());
                    let exts = (0..usize::from(n).min(cap)).map(|j| get_ext(&b, 12 + 12 * j)).collect();
                    t.leaves.push(Leaf { block: blk, exts, dirty: false });
                }
            }
            d => {
                return Err(refuse(
                    what,
                    format!("inode {ino}: an extent tree of depth {d} is not modelled yet"),
                ));
            }
        }
        Ok(t)
    }

    /// Every extent in logical order.
    pub fn extents(&self) -> Vec<Extent> {
        if self.leaves.is_empty() {
            self.root.clone()
        } else {
            self.leaves.iter().flat_map(|l| l.exts.iter().copied()).collect()
        }
    }

    /// The physical block of logical `l`, if mapped (and whether unwritten).
    pub fn lookup(&self, l: u64) -> Option<(u64, bool)> {
        self.extents()
            .into_iter()
            .find(|e| u64::from(e.logical) <= l && l < e.end())
            .map(|e| (e.physical + (l - u64::from(e.logical)), e.unwritten))
    }

    /// The extent holding logical `l` and its neighbours in the same node
    /// (the root at depth 0, its leaf at depth 1): (before, it, after).
    pub fn in_node(&self, l: u64) -> Option<(Option<Extent>, Extent, Option<Extent>)> {
        let lists: Vec<&Vec<Extent>> = if self.leaves.is_empty() {
            alloc::vec![&self.root]
        } else {
            self.leaves.iter().map(|x| &x.exts).collect()
        };
        for list in lists {
            if let Some(i) = list.iter().position(|e| u64::from(e.logical) <= l && l < e.end()) {
                let before = i.checked_sub(1).map(|j| list[j]);
                return Some((before, list[i], list.get(i + 1).copied()));
            }
        }
        None
    }

    /// The extent before logical `l` (for the allocation goal).
    pub fn before(&self, l: u64) -> Option<Extent> {
        self.extents().into_iter().rev().find(|e| u64::from(e.logical) <= l)
    }

    /// Insert `e` (not overlapping any extent), merging with a neighbour when
    /// contiguous both ways and of the same kind. A fifth extent at depth 0
    /// moves the root to a leaf allocated by `ctx` near `goal`; a full leaf
    /// gets a sibling.
    pub(crate) fn insert(&mut self, ctx: &mut Ctx, e: Extent, what: &str) -> Result<()> {
        let max_len = if e.unwritten { u32::from(INIT_MAX_LEN) - 1 } else { u32::from(INIT_MAX_LEN) };
        let mergeable = |a: &Extent, b: &Extent| {
            a.end() == u64::from(b.logical)
                && a.physical + u64::from(a.len) == b.physical
                && a.unwritten == b.unwritten
                && a.len + b.len <= max_len
        };
        let cap = node_capacity(ctx.mem.bs());
        let list: &mut Vec<Extent> = if self.leaves.is_empty() {
            &mut self.root
        } else {
            let i = self
                .leaves
                .iter()
                .rposition(|l| l.exts.first().is_some_and(|x| x.logical <= e.logical))
                .unwrap_or(0);
            let leaf = &mut self.leaves[i];
            leaf.dirty = true;
            &mut leaf.exts
        };
        let pos = list.iter().position(|x| x.logical > e.logical).unwrap_or(list.len());
        if pos > 0 && mergeable(&list[pos - 1], &e) {
            list[pos - 1].len += e.len;
            // And with the next one, if the gap closed.
            if pos < list.len() && mergeable(&list[pos - 1], &list[pos]) {
                let n = list.remove(pos);
                list[pos - 1].len += n.len;
            }
            return Ok(());
        }
        if pos < list.len() && mergeable(&e, &list[pos]) {
            list[pos].logical = e.logical;
            list[pos].physical = e.physical;
            list[pos].len += e.len;
            return Ok(());
        }
        list.insert(pos, e);
        if self.leaves.is_empty() {
            if self.root.len() > 4 {
                // ext4_ext_grow_indepth: the root's extents move to a new leaf.
                let goal = ctx.goal_block(self.ino, true);
                let blk = ctx.alloc_block(goal)?;
                self.new_blocks += 1;
                let exts = core::mem::take(&mut self.root);
                self.leaves.push(Leaf { block: blk, exts, dirty: true });
            }
        } else if let Some(i) = self.leaves.iter().position(|l| l.exts.len() > cap) {
            if self.leaves.len() >= 4 {
                return Err(refuse(
                    what,
                    String::from("the extent tree would need depth 2, which is not modelled yet"),
                ));
            }
            // ext4_ext_split: the entries after the insertion point move to a new leaf.
            let split_at = self.leaves[i].exts.len() - 1;
            let moved: Vec<Extent> = self.leaves[i].exts.split_off(split_at);
            let goal = moved.first().map_or(ctx.goal_block(self.ino, true), |x| x.physical);
            let blk = ctx.alloc_block(goal)?;
            self.new_blocks += 1;
            self.leaves.insert(i + 1, Leaf { block: blk, exts: moved, dirty: true });
        }
        Ok(())
    }

    /// Remove every mapping at or past logical `from`: returns the data
    /// blocks no longer mapped, as (physical, count) runs. Emptied leaves
    /// go to `freed`; a depth-1 tree left with no extents goes back to depth 0.
    pub fn truncate(&mut self, from: u64) -> Vec<(u64, u64)> {
        let mut out = Vec::new();
        let cut = |list: &mut Vec<Extent>, out: &mut Vec<(u64, u64)>| {
            list.retain_mut(|e| {
                if e.end() <= from {
                    return true;
                }
                let keep = from.saturating_sub(u64::from(e.logical));
                out.push((e.physical + keep, u64::from(e.len) - keep));
                e.len = keep as u32;
                keep > 0
            });
        };
        if self.leaves.is_empty() {
            cut(&mut self.root, &mut out);
        } else {
            for l in &mut self.leaves {
                let before = l.exts.len();
                cut(&mut l.exts, &mut out);
                if l.exts.len() != before || out.iter().any(|_| true) {
                    l.dirty = true;
                }
            }
            let freed: Vec<u64> = self.leaves.iter().filter(|l| l.exts.is_empty()).map(|l| l.block).collect();
            self.freed.extend(freed);
            self.leaves.retain(|l| !l.exts.is_empty());
        }
        out
    }

    /// Drop the mappings of [from, to), splitting an extent that straddles
    /// an end (the pieces outside stay). Leaves are marked changed.
    pub fn truncate_range(&mut self, from: u64, to: u64) {
        let cut = |list: &mut Vec<Extent>| {
            let mut out = Vec::new();
            for e in list.drain(..) {
                let (s, t) = (u64::from(e.logical), e.end());
                if t <= from || s >= to {
                    out.push(e);
                    continue;
                }
                if s < from {
                    out.push(Extent { len: (from - s) as u32, ..e });
                }
                if t > to {
                    out.push(Extent {
                        logical: to as u32,
                        physical: e.physical + (to - s),
                        len: (t - to) as u32,
                        unwritten: e.unwritten,
                    });
                }
            }
            *list = out;
        };
        if self.leaves.is_empty() {
            cut(&mut self.root);
        } else {
            for l in &mut self.leaves {
                cut(&mut l.exts);
                l.dirty = true;
            }
        }
    }

    /// Write the tree back: the root into the record (`i_blocks` adjusted by
    /// the caller), the changed leaves as blocks (dirtied in the handle).
    pub(crate) fn store(&mut self, ctx: &mut Ctx) -> Result<()> {
        let ino = self.ino;
        let generation = le(&ctx.mem.inode_bytes(ino)?, 0x64, 4) as u32;
        let bs = ctx.mem.bs();
        for l in self.leaves.iter_mut().filter(|l| l.dirty) {
            let mut b = alloc::vec![0u8; bs];
            put_le(&mut b, 0, 2, u64::from(EXTENT_MAGIC));
            put_le(&mut b, 2, 2, l.exts.len() as u64);
            put_le(&mut b, 4, 2, node_capacity(bs) as u64);
            for (i, e) in l.exts.iter().enumerate() {
                put_ext(&mut b, 12 + 12 * i, e);
            }
            ctx.mem.seal_extent_block(ino, generation, &mut b);
            ctx.mem.set(l.block, b);
            ctx.jrn.dirty(l.block);
            l.dirty = false;
        }
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
            for (i, l) in self.leaves.iter().enumerate() {
                let o = 12 + 12 * i;
                put_le(&mut r, o, 4, u64::from(l.exts.first().map_or(0, |e| e.logical)));
                put_le(&mut r, o + 4, 4, l.block & 0xFFFF_FFFF);
                put_le(&mut r, o + 8, 2, l.block >> 32);
            }
        }
        ctx.edit_inode(ino, |rec| {
            if let Some(x) = rec.get_mut(I_BLOCK_OFFSET..I_BLOCK_OFFSET + 60) {
                x.copy_from_slice(&r);
            }
        })
    }
}
