//! Inode and block allocation as ext4 does it for the operations simulated:
//! `ext4_new_inode` with a goal (the lowest free inode of the goal's group,
//! then the following groups), `ext4_mb_new_blocks` for one metadata block
//! (the goal block if free, else the first free block of the goal's group,
//! then the following groups, never a block freed in a transaction not yet
//! committed), `ext4_free_blocks` (bits cleared at once, the block busy until
//! the commit, a revoke record for metadata outside data=journal).

use alloc::vec::Vec;

use super::mem::{le, put_le, refuse, Mem};
use super::Ctx;
use crate::error::Result;
use crate::format::group_desc::{BG_BLOCK_UNINIT, BG_INODE_UNINIT};
use crate::format::inode::EXTENTS_FL;

/// `bg_flags` offset in a descriptor.
const BG_FLAGS: usize = 0x12;

fn bit(b: &[u8], i: u32) -> bool {
    b.get((i / 8) as usize).is_some_and(|x| x & (1 << (i % 8)) != 0)
}

fn set_bit(b: &mut [u8], i: u32, on: bool) {
    if let Some(x) = b.get_mut((i / 8) as usize) {
        if on {
            *x |= 1 << (i % 8);
        } else {
            *x &= !(1 << (i % 8));
        }
    }
}

impl Ctx {
    fn group_csum(&self) -> bool {
        let sb = &self.mem.base.sb;
        sb.has_metadata_csum() || sb.features().ro_compat(crate::format::features::RO_COMPAT_GDT_CSUM)
    }

    /// Bring a `BLOCK_UNINIT` group's block bitmap into memory (as the kernel
    /// initialises it) and clear the flag; the bitmap and descriptor are dirtied.
    fn init_block_bitmap(&mut self, g: u32) -> Result<()> {
        let d = self.mem.gd(g)?;
        if !self.group_csum() || le(&d, BG_FLAGS, 2) as u16 & BG_BLOCK_UNINIT == 0 {
            return Ok(());
        }
        let view = self.mem.view()?;
        let bm = view.block_bitmap(g)?;
        let grp = view.group(g)?;
        let mut blk = alloc::vec![0u8; self.mem.bs()];
        let n = bm.bits.len().min(blk.len());
        blk[..n].copy_from_slice(&bm.bits[..n]);
        // The padding past the group's last block reads as in use.
        for i in bm.nbits..(blk.len() as u32 * 8) {
            set_bit(&mut blk, i, true);
        }
        self.mem.set(grp.block_bitmap, blk);
        self.jrn.dirty(grp.block_bitmap);
        let free = bm.computed_free;
        let wide = self.mem.base.geo.desc_size >= 64;
        let b = self.mem.edit_gd(g, |d| {
            let f = le(d, BG_FLAGS, 2) as u16 & !BG_BLOCK_UNINIT;
            put_le(d, BG_FLAGS, 2, u64::from(f));
            Mem::set_gd_counter(wide, d, 0x0C, 0x2C, free);
        })?;
        self.jrn.dirty(b);
        let b = self.mem.refresh_block_bitmap_csum(g, grp.block_bitmap)?;
        self.jrn.dirty(b);
        Ok(())
    }

    /// `ext4_new_inode` with `goal` (an inode number): mark the lowest free
    /// inode of the goal's group (or of the next group with one) in use, update
    /// the descriptor (free count, `INODE_UNINIT`, `itable_unused`, directories),
    /// and write a fresh record (mode, owner, times, links 1, extent root for
    /// regular files, directories and symlinks). Returns the inode number.
    pub fn new_inode(&mut self, goal: u32, mode: u16, uid: u32, gid: u32) -> Result<u32> {
        let geo = self.mem.base.geo;
        let ipg = geo.inodes_per_group;
        let first_group = goal.saturating_sub(1) / ipg.max(1);
        let first_ino = self.mem.base.sb.first_ino();
        for step in 0..geo.groups_count {
            let g = (first_group + step) % geo.groups_count;
            let d = self.mem.gd(g)?;
            if self.mem.gd_counter(&d, 0x0E, 0x2E) == 0 {
                continue;
            }
            let grp = self.mem.base.group(g)?;
            let flags = le(&d, BG_FLAGS, 2) as u16;
            let uninit = self.group_csum() && flags & BG_INODE_UNINIT != 0;
            let bits =
                if uninit { alloc::vec![0u8; self.mem.bs()] } else { self.mem.get(grp.inode_bitmap)? };
            let Some(idx) = (0..ipg).find(|&i| !bit(&bits, i) && (g > 0 || i + 1 >= first_ino)) else {
                continue;
            };
            let ino = g * ipg + idx + 1;
            // Block bitmap of a BLOCK_UNINIT group first (ext4_new_inode does it too).
            self.init_block_bitmap(g)?;
            let mut bits = bits;
            set_bit(&mut bits, idx, true);
            if uninit {
                for i in ipg..(bits.len() as u32 * 8) {
                    set_bit(&mut bits, i, true);
                }
            }
            self.mem.set(grp.inode_bitmap, bits);
            self.jrn.dirty(grp.inode_bitmap);
            let wide = geo.desc_size >= 64;
            let csum = self.group_csum();
            let is_dir = mode & 0xF000 == 0x4000;
            let b = self.mem.edit_gd(g, |d| {
                let free = le(d, 0x0E, 2) as u32 | if wide { (le(d, 0x2E, 2) as u32) << 16 } else { 0 };
                Mem::set_gd_counter(wide, d, 0x0E, 0x2E, free.saturating_sub(1));
                if csum {
                    let mut f = le(d, BG_FLAGS, 2) as u16;
                    let unused = le(d, 0x1C, 2) as u32 | if wide { (le(d, 0x32, 2) as u32) << 16 } else { 0 };
                    let mut used = ipg.saturating_sub(unused);
                    if f & BG_INODE_UNINIT != 0 {
                        f &= !BG_INODE_UNINIT;
                        used = 0;
                    }
                    put_le(d, BG_FLAGS, 2, u64::from(f));
                    if idx + 1 > used {
                        Mem::set_gd_counter(wide, d, 0x1C, 0x32, ipg - (idx + 1));
                    }
                }
                if is_dir {
                    let dirs = le(d, 0x10, 2) as u32 | if wide { (le(d, 0x30, 2) as u32) << 16 } else { 0 };
                    Mem::set_gd_counter(wide, d, 0x10, 0x30, dirs + 1);
                }
            })?;
            self.jrn.dirty(b);
            let b = self.mem.refresh_inode_bitmap_csum(g, grp.inode_bitmap)?;
            self.jrn.dirty(b);
            self.write_new_inode(ino, mode, uid, gid)?;
            return Ok(ino);
        }
        Err(refuse("ext4_new_inode", alloc::string::String::from("no free inode in any group (ENOSPC)")))
    }

    /// The record of a new inode, zeroed and filled as `__ext4_new_inode` and
    /// `ext4_do_update_inode` fill it.
    fn write_new_inode(&mut self, ino: u32, mode: u16, uid: u32, gid: u32) -> Result<()> {
        let now = self.jrn.clock;
        let generation = self.next_random();
        let extents = self.mem.base.features().incompat(crate::format::features::INCOMPAT_EXTENTS);
        let kind = mode & 0xF000;
        let want_extra = self.want_extra_isize();
        let large = self.mem.base.geo.inode_size > 128;
        let b = self.mem.edit_inode(ino, |r| {
            r.fill(0);
            put_le(r, 0x00, 2, u64::from(mode));
            put_le(r, 0x02, 2, u64::from(uid & 0xFFFF));
            put_le(r, 0x78, 2, u64::from(uid >> 16));
            put_le(r, 0x18, 2, u64::from(gid & 0xFFFF));
            put_le(r, 0x7A, 2, u64::from(gid >> 16));
            for off in [0x08, 0x0C, 0x10] {
                put_le(r, off, 4, now & 0xFFFF_FFFF);
            }
            put_le(r, 0x1A, 2, 1);
            put_le(r, 0x64, 4, u64::from(generation));
            if extents && (kind == 0x8000 || kind == 0x4000 || kind == 0xA000) {
                put_le(r, 0x20, 4, u64::from(EXTENTS_FL));
                write_empty_root(r);
            }
            if large {
                put_le(r, 0x80, 2, u64::from(want_extra));
                // crtime; the *_extra words carry the epoch bits (0 before 2038).
                put_le(r, 0x90, 4, now & 0xFFFF_FFFF);
            }
        })?;
        self.jrn.dirty(b);
        Ok(())
    }

    /// `s_want_extra_isize`, at least what the kernel's struct needs (32).
    pub fn want_extra_isize(&self) -> u16 {
        let isz = self.mem.base.geo.inode_size;
        if isz <= 128 {
            return 0;
        }
        let want = self.mem.base.sb.s_want_extra_isize.max(32);
        want.min((isz - 128) as u16)
    }

    /// Deterministic stand-in for `get_random_u32` (generation numbers).
    pub fn next_random(&mut self) -> u32 {
        // xorshift64*: the same script on the same image gives the same bytes.
        let mut x = self.rng;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.rng = x;
        (x.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 32) as u32
    }

    /// One block as mballoc finds it for a request of one block: the goal
    /// itself if free (`ext4_mb_find_by_goal`); else, group by group from the
    /// goal's, `ext4_mb_complex_scan_group`: the free space from the group's
    /// first free bit is taken buddy by buddy (each free extent found is the
    /// rest of the largest free aligned buddy holding its first block), the
    /// first of exactly one block wins; otherwise the smallest seen once more
    /// than `s_mb_min_to_scan` (10) were measured, or at the group's end.
    /// Blocks freed by uncommitted transactions and the group preallocation's
    /// reserve count as used, as in the in-memory buddy.
    fn find_free_block(&mut self, goal: u64) -> Result<Option<u64>> {
        let geo = self.mem.base.geo;
        let goal =
            if goal < geo.first_data_block || goal >= geo.blocks_count { geo.first_data_block } else { goal };
        let g0 = geo.group_of_block(goal).unwrap_or(0);
        let ratio = u64::from(geo.cluster_ratio.max(1));
        let max_order = u64::from(geo.block_size.trailing_zeros()) + 1;
        for step in 0..geo.groups_count {
            let g = (g0 + step) % geo.groups_count;
            let d = self.mem.gd(g)?;
            if self.mem.gd_counter(&d, 0x0C, 0x2C) == 0 {
                continue;
            }
            let bits = {
                let flags = le(&d, BG_FLAGS, 2) as u16;
                if self.group_csum() && flags & BG_BLOCK_UNINIT != 0 {
                    self.mem.view()?.block_bitmap(g)?.bits
                } else {
                    self.mem.get(self.mem.base.group(g)?.block_bitmap)?
                }
            };
            let first = geo.group_first_block(g);
            let nbits = (geo.group_last_block(g) - first) / ratio + 1;
            let pa = self.group_pa;
            let busy = &self.busy;
            let free = |i: u64| -> bool {
                let b = first + i * ratio;
                i < nbits
                    && !bit(&bits, i as u32)
                    && !busy.contains(&b)
                    && !pa.is_some_and(|p| b >= p.next && b < p.end)
            };
            if step == 0 && free((goal - first) / ratio) {
                return Ok(Some(goal));
            }
            // The largest free aligned buddy holding bit i.
            let order_at = |i: u64| -> u64 {
                let mut k = 0;
                while k < max_order {
                    let n = 1u64 << (k + 1);
                    let start = i & !(n - 1);
                    if !(start..start + n).all(free) {
                        break;
                    }
                    k += 1;
                }
                k
            };
            let (mut best, mut found) = (None::<(u64, u64)>, 0u32);
            let mut i = 0u64;
            while i < nbits {
                if !free(i) {
                    i += 1;
                    continue;
                }
                let k = order_at(i);
                let len = (1u64 << k) - (i & ((1u64 << k) - 1));
                found += 1;
                if len == 1 {
                    return Ok(Some(first + i * ratio));
                }
                if best.is_none_or(|(_, l)| len < l) {
                    best = Some((i, len));
                }
                if found > 10 {
                    break;
                }
                i += len;
            }
            if let Some((i, _)) = best {
                return Ok(Some(first + i * ratio));
            }
        }
        Ok(None)
    }

    /// Allocate one block for metadata of inode `ino` near `goal`; the bitmap
    /// and descriptor are dirtied. The caller accounts `i_blocks`.
    pub fn alloc_block(&mut self, goal: u64) -> Result<u64> {
        let Some(b) = self.find_free_block(goal)? else {
            return Err(refuse("ext4_mb_new_blocks", alloc::string::String::from("no free block (ENOSPC)")));
        };
        self.mark_block(b, true)?;
        Ok(b)
    }

    /// Set or clear block `b`'s bit, with the descriptor's free count and checksums.
    fn mark_block(&mut self, b: u64, used: bool) -> Result<()> {
        let geo = self.mem.base.geo;
        let g = geo
            .group_of_block(b)
            .ok_or_else(|| refuse("block", alloc::format!("block {b} is outside the file system")))?;
        self.init_block_bitmap(g)?;
        let grp = self.mem.base.group(g)?;
        let i = ((b - geo.group_first_block(g)) / u64::from(geo.cluster_ratio.max(1))) as u32;
        let was = self.mem.edit(grp.block_bitmap, |bm| {
            let was = bit(bm, i);
            set_bit(bm, i, used);
            was
        })?;
        self.jrn.dirty(grp.block_bitmap);
        if was != used {
            let wide = geo.desc_size >= 64;
            let bb = self.mem.edit_gd(g, |d| {
                let free = le(d, 0x0C, 2) as u32 | if wide { (le(d, 0x2C, 2) as u32) << 16 } else { 0 };
                let free = if used { free.saturating_sub(1) } else { free.saturating_add(1) };
                Mem::set_gd_counter(wide, d, 0x0C, 0x2C, free);
            })?;
            self.jrn.dirty(bb);
        }
        let bb = self.mem.refresh_block_bitmap_csum(g, grp.block_bitmap)?;
        self.jrn.dirty(bb);
        Ok(())
    }

    /// Take block `b` (a data block chosen by the caller).
    pub(crate) fn alloc_exact(&mut self, b: u64) -> Result<()> {
        self.mark_block(b, true)
    }

    /// `ext4_free_blocks` of a data block: the bit cleared, busy until the
    /// commit; no revoke record (file data is not journalled), except that
    /// data=journal forgets a buffer it may have logged.
    pub fn free_data_block(&mut self, b: u64) -> Result<()> {
        self.mark_block(b, false)?;
        self.busy.insert(b);
        if self.opts.data == super::DataMode::Journal {
            self.jrn.forget(b);
        }
        Ok(())
    }

    /// `ext4_free_blocks` of one metadata block (`EXT4_FREE_BLOCKS_METADATA |
    /// EXT4_FREE_BLOCKS_FORGET`): the bit cleared, the block busy until the
    /// commit, and a revoke record (none under data=journal, where ext4_forget
    /// only forgets the buffer).
    pub fn free_meta_block(&mut self, b: u64) -> Result<()> {
        self.mark_block(b, false)?;
        self.busy.insert(b);
        if self.opts.data != super::DataMode::Journal {
            self.jrn.revoke(b);
        } else {
            self.jrn.forget(b);
        }
        Ok(())
    }

    /// `ext4_free_inode`: the bit cleared, the descriptor's counts updated.
    pub fn free_inode(&mut self, ino: u32, is_dir: bool) -> Result<()> {
        let geo = self.mem.base.geo;
        let (g, idx) = geo
            .inode_group(ino)
            .ok_or_else(|| refuse("ext4_free_inode", alloc::format!("no inode {ino}")))?;
        let grp = self.mem.base.group(g)?;
        self.mem.edit(grp.inode_bitmap, |bm| set_bit(bm, idx, false))?;
        self.jrn.dirty(grp.inode_bitmap);
        let wide = geo.desc_size >= 64;
        let b = self.mem.edit_gd(g, |d| {
            let free = le(d, 0x0E, 2) as u32 | if wide { (le(d, 0x2E, 2) as u32) << 16 } else { 0 };
            Mem::set_gd_counter(wide, d, 0x0E, 0x2E, free + 1);
            if is_dir {
                let dirs = le(d, 0x10, 2) as u32 | if wide { (le(d, 0x30, 2) as u32) << 16 } else { 0 };
                Mem::set_gd_counter(wide, d, 0x10, 0x30, dirs.saturating_sub(1));
            }
        })?;
        self.jrn.dirty(b);
        let b = self.mem.refresh_inode_bitmap_csum(g, grp.inode_bitmap)?;
        self.jrn.dirty(b);
        Ok(())
    }

    /// The goal block for a new block of inode `ino` (`ext4_inode_to_goal_block`
    /// under delalloc: the first block of its group; with flex_bg of 4 groups or
    /// more, of its flex group's first group, or the next one for regular files).
    pub fn goal_block(&self, ino: u32, regular: bool) -> u64 {
        let geo = &self.mem.base.geo;
        let mut g = geo.inode_group(ino).map_or(0, |x| x.0);
        let flex = if self.mem.base.features().incompat(crate::format::features::INCOMPAT_FLEX_BG) {
            1u32.checked_shl(u32::from(self.mem.base.sb.s_log_groups_per_flex)).unwrap_or(1)
        } else {
            1
        };
        if flex >= 4 {
            g &= !(flex - 1);
            if regular {
                g += 1;
            }
        }
        geo.group_first_block(g)
    }
}

/// An empty extent root in an inode record's `i_block` (ext4_ext_tree_init).
pub fn write_empty_root(r: &mut [u8]) {
    let ib = crate::format::inode::I_BLOCK_OFFSET;
    if let Some(x) = r.get_mut(ib..ib + 60) {
        x.fill(0);
    }
    put_le(r, ib, 2, u64::from(crate::format::extent::EXTENT_MAGIC));
    put_le(r, ib + 2, 2, 0);
    put_le(r, ib + 4, 2, 4);
    put_le(r, ib + 6, 2, 0);
}

/// Indirect-map words of a block (little-endian u32s).
pub fn words(b: &[u8]) -> Vec<u32> {
    b.chunks_exact(4).map(|w| u32::from_le_bytes([w[0], w[1], w[2], w[3]])).collect()
}
