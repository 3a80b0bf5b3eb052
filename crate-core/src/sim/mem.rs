//! The simulator's buffer cache: the blocks ext4 has in memory (read from the
//! state the simulation started on, then changed by operations), and the
//! editors of the on-disk records inside them (inode records, bitmaps, group
//! descriptors, the superblock), each recomputing the checksum that covers what
//! it changed, as the kernel does before a buffer is logged.
//!
//! Nothing here knows about transactions: [`super::jrn`] records which blocks a
//! handle dirtied; this file only changes bytes.

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec::Vec;

use crate::checksum::crc32c;
use crate::error::{Error, Location, Result};
use crate::format::extent::{block_checksum, inode_seed_from};
use crate::format::features::RO_COMPAT_GDT_CSUM;
use crate::format::group_desc::{desc_checksum, BG_CHECKSUM_OFFSET};
use crate::format::inode::{
    inode_checksum_with_seed, CHECKSUM_HI_OFFSET, CHECKSUM_LO_OFFSET, GOOD_OLD_INODE_SIZE,
};
use crate::format::superblock::superblock_checksum;
use crate::fs::Fs;
use crate::io::Block;
use crate::overlay::Overlay;

/// Byte offset of the primary superblock.
pub const SB_OFFSET: u64 = 1024;

/// Read a little-endian number of `N` bytes at `off` (0 past the end).
pub fn le(b: &[u8], off: usize, n: usize) -> u64 {
    let mut v = 0u64;
    for i in (0..n).rev() {
        v = (v << 8) | u64::from(off.checked_add(i).and_then(|j| b.get(j)).copied().unwrap_or(0));
    }
    v
}

/// Write a little-endian number of `n` bytes at `off` (ignored past the end).
pub fn put_le(b: &mut [u8], off: usize, n: usize, v: u64) {
    for i in 0..n {
        if let Some(x) = off.checked_add(i).and_then(|j| b.get_mut(j)) {
            *x = (v >> (8 * i)) as u8;
        }
    }
}

/// The blocks in memory over a starting state.
#[derive(Debug, Clone)]
pub struct Mem {
    /// The state the simulation started on (layout and unchanged blocks).
    pub base: Fs,
    blocks: BTreeMap<u64, Vec<u8>>,
}

impl Mem {
    /// Nothing changed yet.
    pub fn new(base: Fs) -> Self {
        Mem { base, blocks: BTreeMap::new() }
    }

    /// Block size in bytes.
    pub fn bs(&self) -> usize {
        self.base.geo.block_size as usize
    }

    /// The current content of block `b`.
    pub fn get(&self, b: u64) -> Result<Vec<u8>> {
        if let Some(v) = self.blocks.get(&b) {
            return Ok(v.clone());
        }
        Ok(self.base.block(b)?.to_vec())
    }

    /// The current content of block `b`, as a shared block.
    pub fn block(&self, b: u64) -> Result<Block> {
        Ok(Rc::from(self.get(b)?))
    }

    /// Change block `b` in place.
    pub fn edit<R>(&mut self, b: u64, f: impl FnOnce(&mut [u8]) -> R) -> Result<R> {
        if !self.blocks.contains_key(&b) {
            let v = self.base.block(b)?.to_vec();
            self.blocks.insert(b, v);
        }
        let v = self.blocks.get_mut(&b).ok_or_else(|| internal("block vanished"))?;
        Ok(f(v))
    }

    /// Replace block `b` (a newly allocated block whose old content does not matter).
    pub fn set(&mut self, b: u64, data: Vec<u8>) {
        self.blocks.insert(b, data);
    }

    /// The in-memory state as a file system (for the read side's parsers).
    pub fn view(&self) -> Result<Fs> {
        let mut o = self.base.image().overlay().map(|o| (**o).clone()).unwrap_or_default();
        for (b, v) in &self.blocks {
            o.write(*b, Rc::from(v.as_slice()));
        }
        self.base.with_overlay(Rc::new(o))
    }

    /// Blocks changed in memory so far.
    pub fn changed(&self) -> impl Iterator<Item = u64> + '_ {
        self.blocks.keys().copied()
    }

    // ---- the superblock ----

    /// The block holding the primary superblock and its offset in it.
    pub fn sb_location(&self) -> (u64, usize) {
        let bs = self.bs() as u64;
        (SB_OFFSET / bs, (SB_OFFSET % bs) as usize)
    }

    /// Change the primary superblock; its checksum is recomputed (metadata_csum).
    pub fn edit_sb(&mut self, f: impl FnOnce(&mut [u8])) -> Result<u64> {
        let (blk, off) = self.sb_location();
        let csum = self.base.sb.has_metadata_csum();
        self.edit(blk, |b| {
            if let Some(sb) = b.get_mut(off..off + 1024) {
                f(sb);
                if csum {
                    let c = superblock_checksum(sb);
                    put_le(sb, 0x3FC, 4, u64::from(c));
                }
            }
        })?;
        Ok(blk)
    }

    /// A superblock field.
    pub fn sb_field(&self, off: usize, n: usize) -> Result<u64> {
        let (blk, o) = self.sb_location();
        Ok(le(&self.get(blk)?, o + off, n))
    }

    // ---- group descriptors ----

    /// Where group `g`'s descriptor is.
    pub fn gd_location(&self, g: u32) -> (u64, usize) {
        self.base.geo.descriptor_location(g)
    }

    /// Change group `g`'s descriptor; its checksum is recomputed.
    pub fn edit_gd(&mut self, g: u32, f: impl FnOnce(&mut [u8])) -> Result<u64> {
        let (blk, off) = self.gd_location(g);
        let ds = self.base.geo.desc_size as usize;
        let sb = self.base.sb.clone();
        let with_csum = sb.has_metadata_csum() || sb.features().ro_compat(RO_COMPAT_GDT_CSUM);
        self.edit(blk, |b| {
            if let Some(d) = b.get_mut(off..off + ds) {
                f(d);
                if with_csum {
                    let c = desc_checksum(&sb, g, d).computed;
                    put_le(d, BG_CHECKSUM_OFFSET, 2, u64::from(c));
                }
            }
        })?;
        Ok(blk)
    }

    /// Group `g`'s descriptor bytes.
    pub fn gd(&self, g: u32) -> Result<Vec<u8>> {
        let (blk, off) = self.gd_location(g);
        let ds = self.base.geo.desc_size as usize;
        let b = self.get(blk)?;
        b.get(off..off + ds).map(<[u8]>::to_vec).ok_or_else(|| internal("descriptor past its block"))
    }

    /// A split lo/hi descriptor counter (16+16 bits; hi only with 64-byte descriptors).
    pub fn gd_counter(&self, d: &[u8], lo: usize, hi: usize) -> u32 {
        let mut v = le(d, lo, 2) as u32;
        if self.base.geo.desc_size >= 64 {
            v |= (le(d, hi, 2) as u32) << 16;
        }
        v
    }

    /// Set a split lo/hi descriptor counter.
    pub fn set_gd_counter(wide: bool, d: &mut [u8], lo: usize, hi: usize, v: u32) {
        put_le(d, lo, 2, u64::from(v & 0xFFFF));
        if wide {
            put_le(d, hi, 2, u64::from(v >> 16));
        }
    }

    // ---- inodes ----

    /// Where inode `ino`'s record is: (block, offset).
    pub fn inode_location(&self, ino: u32) -> Result<(u64, usize)> {
        self.base.inode_location(ino)
    }

    /// Inode `ino`'s record bytes as in memory.
    pub fn inode_bytes(&self, ino: u32) -> Result<Vec<u8>> {
        let (blk, off) = self.inode_location(ino)?;
        let isz = self.base.geo.inode_size as usize;
        let b = self.get(blk)?;
        b.get(off..off + isz).map(<[u8]>::to_vec).ok_or_else(|| internal("inode record past its block"))
    }

    /// Change inode `ino`'s record (ext4_mark_inode_dirty: the record is copied
    /// into its inode table block, with a fresh checksum). Returns the block.
    pub fn edit_inode(&mut self, ino: u32, f: impl FnOnce(&mut [u8])) -> Result<u64> {
        self.edit_inode_seeded(ino, None, f)
    }

    /// [`Mem::edit_inode`] with the checksum computed from `i_csum_seed`
    /// `seed` instead of the record's own (inode number, generation): what the
    /// kernel writes when an inode's in-memory seed is another inode's.
    pub fn edit_inode_seeded(
        &mut self,
        ino: u32,
        seed: Option<u32>,
        f: impl FnOnce(&mut [u8]),
    ) -> Result<u64> {
        let (blk, off) = self.inode_location(ino)?;
        let isz = self.base.geo.inode_size as usize;
        let csum = self.base.sb.has_metadata_csum().then(|| self.base.sb.csum_seed());
        self.edit(blk, |b| {
            if let Some(rec) = b.get_mut(off..off + isz) {
                f(rec);
                if let Some(fs_seed) = csum {
                    let c = match seed {
                        None => inode_checksum_with_seed(fs_seed, ino, rec).computed,
                        Some(s) => record_checksum(s, rec),
                    };
                    put_le(rec, CHECKSUM_LO_OFFSET, 2, u64::from(c & 0xFFFF));
                    let has_hi = rec.len() > GOOD_OLD_INODE_SIZE
                        && le(rec, 0x80, 2) as usize >= CHECKSUM_HI_OFFSET + 2 - GOOD_OLD_INODE_SIZE;
                    if has_hi {
                        put_le(rec, CHECKSUM_HI_OFFSET, 2, u64::from(c >> 16));
                    }
                }
            }
        })?;
        Ok(blk)
    }

    // ---- bitmaps ----

    /// Recompute group `g`'s block bitmap checksum into its descriptor.
    pub fn refresh_block_bitmap_csum(&mut self, g: u32, bitmap_block: u64) -> Result<u64> {
        if !self.base.sb.has_metadata_csum() {
            return self.edit_gd(g, |_| {});
        }
        let n = (self.base.geo.blocks_per_group / self.base.geo.cluster_ratio.max(1)).div_ceil(8) as usize;
        let bits = self.get(bitmap_block)?;
        let c = crc32c(self.base.sb.csum_seed(), bits.get(..n).unwrap_or(&bits));
        let wide = self.base.geo.desc_size >= 64;
        self.edit_gd(g, |d| Self::set_gd_counter(wide, d, 0x18, 0x38, c))
    }

    /// Recompute group `g`'s inode bitmap checksum into its descriptor.
    pub fn refresh_inode_bitmap_csum(&mut self, g: u32, bitmap_block: u64) -> Result<u64> {
        if !self.base.sb.has_metadata_csum() {
            return self.edit_gd(g, |_| {});
        }
        let n = self.base.geo.inodes_per_group.div_ceil(8) as usize;
        let bits = self.get(bitmap_block)?;
        let c = crc32c(self.base.sb.csum_seed(), bits.get(..n).unwrap_or(&bits));
        let wide = self.base.geo.desc_size >= 64;
        self.edit_gd(g, |d| Self::set_gd_counter(wide, d, 0x1A, 0x3A, c))
    }

    /// An extent tree block's tail checksum for inode `ino` (metadata_csum).
    pub fn seal_extent_block(&self, ino: u32, generation: u32, block: &mut [u8]) {
        if !self.base.sb.has_metadata_csum() {
            return;
        }
        let seed = inode_seed_from(self.base.sb.csum_seed(), ino, generation);
        let eh_max = le(block, 4, 2) as usize;
        let st = block_checksum(seed, block, eh_max);
        let tail = 12 + 12 * eh_max.min(crate::format::extent::node_capacity(block.len()));
        put_le(block, tail, 4, u64::from(st.computed));
    }

    /// All changed blocks as an overlay on top of the base's own overlay.
    pub fn overlay(&self) -> Overlay {
        let mut o = self.base.image().overlay().map(|o| (**o).clone()).unwrap_or_default();
        for (b, v) in &self.blocks {
            o.write(*b, Rc::from(v.as_slice()));
        }
        o
    }
}

/// crc32c of an inode record from its `i_csum_seed`, the checksum fields as zero.
fn record_checksum(seed: u32, rec: &[u8]) -> u32 {
    let has_hi = rec.len() > GOOD_OLD_INODE_SIZE
        && le(rec, 0x80, 2) as usize >= CHECKSUM_HI_OFFSET + 2 - GOOD_OLD_INODE_SIZE;
    let mut c = crate::checksum::Crc32c::new(seed);
    c.update(rec.get(..CHECKSUM_LO_OFFSET).unwrap_or(rec)).zeros(2);
    if has_hi {
        c.update(rec.get(CHECKSUM_LO_OFFSET + 2..CHECKSUM_HI_OFFSET).unwrap_or(&[])).zeros(2);
        c.update(rec.get(CHECKSUM_HI_OFFSET + 2..).unwrap_or(&[]));
    } else {
        c.update(rec.get(CHECKSUM_LO_OFFSET + 2..).unwrap_or(&[]));
    }
    let v = c.value();
    if has_hi {
        v
    } else {
        v & 0xFFFF
    }
}

/// An internal inconsistency of the simulator (never the image's fault).
pub fn internal(what: &str) -> Error {
    Error::corrupt("simulator", Location::default(), format!("internal: {what}"))
}

/// An error the user can act on: the operation cannot be simulated as asked.
pub fn refuse(op: &str, why: String) -> Error {
    Error::corrupt("simulator", Location::default(), format!("{op}: {why}"))
}

/// `String` helper.
pub fn s(x: &str) -> String {
    String::from(x)
}
