//! Classic (ext2/ext3) block maps: `i_block` holds 12 direct pointers, then one
//! pointer each to a single (IND), double (DIND) and triple (TIND) indirect
//! block; an indirect block is an array of `block_size / 4` little-endian block
//! numbers. Zero pointers are holes.
//!
//! Out-of-range pointers are reported and not followed; an indirect block met
//! a second time is reported and not read again (so a hostile map cannot make
//! the walk revisit blocks), and the walk stops after as many data pointers as
//! the file system has blocks.

use alloc::collections::BTreeSet;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::error::{Location, Severity};
use crate::filemap::{structure, DataRun, MapBuilder, MapItem, MapNode, MetaBlock, MetaKind, NodeKind};
use crate::format::group_desc::ChecksumStatus;
use crate::format::inode::{Inode, I_BLOCK_OFFSET};
use crate::fs::Fs;

/// Direct pointers in `i_block`.
pub const DIRECT_SLOTS: usize = 12;
/// Slot of the IND pointer.
pub const IND_SLOT: usize = 12;
/// Slot of the DIND pointer.
pub const DIND_SLOT: usize = 13;
/// Slot of the TIND pointer.
pub const TIND_SLOT: usize = 14;

/// First logical block mapped through slot 12, 13 and 14 for `p` pointers per block.
pub fn slot_bases(p: u64) -> [u64; 3] {
    let ind = DIRECT_SLOTS as u64;
    let dind = ind + p;
    let tind = dind + p * p;
    [ind, dind, tind]
}

/// The largest logical block count an indirect map can address with `p` pointers per block.
pub fn max_blocks(p: u64) -> u64 {
    slot_bases(p)[2] + p * p * p
}

struct Walk<'a> {
    fs: &'a Fs,
    inode: &'a Inode,
    /// Pointers per block.
    p: u64,
    visited: BTreeSet<u64>,
    /// Nonzero data pointers left before the walk gives up.
    budget: u64,
    /// Nonzero pointers to indirect blocks left (followed or not): a DIND or
    /// TIND full of bad pointers would otherwise cost one problem per slot.
    ind_budget: u64,
    exhausted: bool,
}

fn kind_of(levels: u32) -> MetaKind {
    match levels {
        1 => MetaKind::Ind,
        2 => MetaKind::Dind,
        _ => MetaKind::Tind,
    }
}

fn node_kind(levels: u32) -> NodeKind {
    match levels {
        1 => NodeKind::Ind,
        2 => NodeKind::Dind,
        _ => NodeKind::Tind,
    }
}

/// Collects runs of slots that point to contiguous blocks.
struct Runs {
    items: Vec<MapItem>,
    cur: Option<(u32, u64, u64, u64)>,
}

impl Runs {
    fn new() -> Self {
        Runs { items: Vec::new(), cur: None }
    }
    fn push(&mut self, slot: u32, logical: u64, physical: u64) {
        if let Some((s, l, p, n)) = &mut self.cur {
            if *l + *n == logical && p.checked_add(*n) == Some(physical) && *s + *n as u32 == slot {
                *n += 1;
                return;
            }
        }
        self.flush();
        self.cur = Some((slot, logical, physical, 1));
    }
    fn flush(&mut self) {
        if let Some((slot, logical, physical, len)) = self.cur.take() {
            self.items.push(MapItem::Pointers { slot, logical, physical, len });
        }
    }
    fn item(&mut self, item: MapItem) {
        self.flush();
        self.items.push(item);
    }
    fn finish(mut self) -> Vec<MapItem> {
        self.flush();
        self.items
    }
}

impl Walk<'_> {
    fn in_range(&self, blk: u64) -> bool {
        blk >= self.fs.geo.first_data_block && blk < self.fs.geo.blocks_count
    }

    fn problem(&self, b: &mut MapBuilder, at: Location, msg: String) {
        b.problem(Severity::Error, structure(self.inode.ino, "block map"), at, msg);
    }

    fn slot_at(&self, block: Option<u64>, slot: usize) -> Location {
        match block {
            Some(blk) => Location::block(blk, self.fs.block_size(), slot * 4).with_inode(self.inode.ino),
            None => Location {
                byte: self.inode.at.byte.and_then(|x| x.checked_add((I_BLOCK_OFFSET + slot * 4) as u64)),
                ..self.inode.at
            },
        }
    }

    /// A data pointer in `slot` of `block` (None = `i_block`) for logical block `logical`.
    fn data(
        &mut self,
        b: &mut MapBuilder,
        runs: &mut Runs,
        block: Option<u64>,
        slot: usize,
        logical: u64,
        ptr: u64,
    ) {
        if self.budget == 0 {
            if !self.exhausted {
                self.exhausted = true;
                let m = format!(
                    "more data pointers than the file system has blocks ({}); the rest of the map is not walked",
                    self.fs.geo.blocks_count
                );
                self.problem(b, self.slot_at(block, slot), m);
            }
            return;
        }
        self.budget -= 1;
        if !self.in_range(ptr) {
            let m = format!(
                "slot {slot} (logical block {logical}) points to block {ptr}, outside the file system ({}-{}); not mapped",
                self.fs.geo.first_data_block,
                self.fs.geo.blocks_count - 1
            );
            self.problem(b, self.slot_at(block, slot), m);
            if b.illegal.len() < crate::filemap::MAX_MAP_PROBLEMS {
                b.illegal.push((
                    i64::try_from(logical).unwrap_or(i64::MAX),
                    ptr,
                    logical,
                    block.unwrap_or(0),
                ));
            }
            return;
        }
        runs.push(slot as u32, logical, ptr);
        b.add_run(DataRun { logical, physical: ptr, len: 1, unwritten: false });
    }

    /// A pointer to an indirect block with `levels` levels below it (1 = IND),
    /// found in `slot` of `parent` at tree level `level`. Returns the child node.
    #[allow(clippy::too_many_arguments)]
    fn indirect(
        &mut self,
        b: &mut MapBuilder,
        parent: Option<u64>,
        slot: usize,
        level: u32,
        levels: u32,
        base: u64,
        ptr: u64,
    ) -> Option<u32> {
        let kind = kind_of(levels);
        if self.exhausted {
            return None;
        }
        if self.ind_budget == 0 {
            self.exhausted = true;
            let m = format!(
                "more indirect block pointers than the file system has blocks ({}); the rest of the map is not walked",
                self.fs.geo.blocks_count
            );
            self.problem(b, self.slot_at(parent, slot), m);
            return None;
        }
        self.ind_budget -= 1;
        if !self.in_range(ptr) {
            let m = format!(
                "slot {slot} points to {} block {ptr}, outside the file system ({}-{}); not followed",
                kind.name(),
                self.fs.geo.first_data_block,
                self.fs.geo.blocks_count - 1
            );
            self.problem(b, self.slot_at(parent, slot), m);
            if b.illegal.len() < crate::filemap::MAX_MAP_PROBLEMS {
                b.illegal.push((-i64::from(levels.min(3)), ptr, base, parent.unwrap_or(0)));
            }
            return None;
        }
        if !self.visited.insert(ptr) {
            let m = format!(
                "slot {slot} points to {} block {ptr}, already used by this map (a loop or a shared block); not followed again",
                kind.name()
            );
            self.problem(b, self.slot_at(parent, slot), m);
            return None;
        }
        let data = match self.fs.block(ptr) {
            Ok(d) => d,
            Err(err) => {
                let m = format!("{} block {ptr} cannot be read: {err}", kind.name());
                self.problem(b, self.slot_at(parent, slot), m);
                return None;
            }
        };
        b.metadata.push(MetaBlock { kind, level, block: ptr });
        b.meta_at.push(base);
        let idx = b.add_node(MapNode {
            kind: node_kind(levels),
            block: Some(ptr),
            level: level + 1,
            depth: None,
            entries: 0,
            max: self.p as u32,
            generation: None,
            checksum: ChecksumStatus::NONE,
            items: Vec::new(),
        });
        if levels > 1 {
            self.read_ahead(&data);
        }
        // Logical blocks mapped by one slot of this block.
        let span = self.p.pow(levels - 1);
        let mut runs = Runs::new();
        let mut used = 0u32;
        for s in 0..self.p as usize {
            let Some(w) = data.get(s * 4..s * 4 + 4) else { break };
            let q = u64::from(u32::from_le_bytes([w[0], w[1], w[2], w[3]]));
            if q == 0 {
                continue;
            }
            used += 1;
            let logical = base + s as u64 * span;
            if levels == 1 {
                self.data(b, &mut runs, Some(ptr), s, logical, q);
            } else {
                let child = self.indirect(b, Some(ptr), s, level + 1, levels - 1, logical, q);
                runs.item(MapItem::Indirect { slot: s as u32, kind: kind_of(levels - 1), block: q, child });
            }
            if self.exhausted {
                break;
            }
        }
        if let Some(node) = b.tree.nodes.get_mut(idx as usize) {
            node.entries = used;
            node.items = runs.finish();
        }
        Some(idx)
    }
}

impl Walk<'_> {
    /// The indirect blocks an indirect block points to, read ahead: one host
    /// read per run of consecutive block numbers (up to 256 blocks), not one
    /// per block (a resize inode's map is 2-256 in a row). A read that fails
    /// is left for the block's own read.
    fn read_ahead(&self, data: &[u8]) {
        let cache = self.fs.image().cache();
        let mut run: Option<(u64, u64)> = None;
        let flush = |r: Option<(u64, u64)>| {
            if let Some((first, n)) = r.filter(|&(_, n)| n > 1) {
                cache.prefetch(first, n);
            }
        };
        for w in data.chunks_exact(4).take(self.p as usize) {
            let q = u64::from(u32::from_le_bytes([w[0], w[1], w[2], w[3]]));
            match run {
                Some((first, n)) if q == first + n && n < 256 => run = Some((first, n + 1)),
                _ => {
                    flush(run);
                    run = (self.in_range(q) && !cache.is_cached(q)).then_some((q, 1));
                }
            }
        }
        flush(run);
    }
}

/// Walk `inode`'s indirect block map into `b`.
pub(crate) fn walk(fs: &Fs, inode: &Inode, b: &mut MapBuilder) {
    let p = u64::from(fs.block_size() / 4);
    let mut w = Walk {
        fs,
        inode,
        p,
        visited: BTreeSet::new(),
        budget: fs.geo.blocks_count,
        ind_budget: fs.geo.blocks_count,
        exhausted: false,
    };
    let words = inode.i_block_words();
    let root = b.add_node(MapNode {
        kind: NodeKind::IndirectRoot,
        block: None,
        level: 0,
        depth: None,
        entries: words.iter().filter(|&&x| x != 0).count() as u32,
        max: 15,
        generation: None,
        checksum: ChecksumStatus::NONE,
        items: Vec::new(),
    });
    let mut runs = Runs::new();
    for (s, &ptr) in words.iter().enumerate().take(DIRECT_SLOTS) {
        if ptr != 0 {
            w.data(b, &mut runs, None, s, s as u64, u64::from(ptr));
        }
    }
    let bases = slot_bases(p);
    for (i, slot) in [IND_SLOT, DIND_SLOT, TIND_SLOT].into_iter().enumerate() {
        let ptr = u64::from(words[slot]);
        if ptr == 0 {
            continue;
        }
        let levels = i as u32 + 1;
        let child = w.indirect(b, None, slot, 0, levels, bases[i], ptr);
        runs.item(MapItem::Indirect { slot: slot as u32, kind: kind_of(levels), block: ptr, child });
    }
    if let Some(node) = b.tree.nodes.get_mut(root as usize) {
        node.items = runs.finish();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bases_for_1k_blocks() {
        assert_eq!(slot_bases(256), [12, 268, 65_804]);
        assert_eq!(max_blocks(256), 65_804 + 16_777_216);
    }
}
