//! Block and inode bitmaps: one block each per group, their crc32c checksums
//! (metadata_csum), `BLOCK_UNINIT` / `INODE_UNINIT` groups (bitmaps computed as
//! the kernel would), and free counts counted from the bits beside the recorded ones.

use alloc::format;
use alloc::vec;
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

use crate::checksum::crc32c;
use crate::error::{Location, Problem, Result, Severity};
use crate::format::group_desc::{ChecksumKind, ChecksumStatus, BG_BLOCK_UNINIT, BG_INODE_UNINIT};
use crate::fs::Fs;

/// Which bitmap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BitmapKind {
    /// Blocks (clusters with bigalloc).
    Block,
    /// Inodes.
    Inode,
}

/// One group's bitmap, as the kernel would see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bitmap {
    /// Which bitmap.
    pub kind: BitmapKind,
    /// Group number.
    pub group: u32,
    /// Where the bitmap block is.
    pub block: u64,
    /// True when the group is `*_UNINIT` and the bits were computed, not read.
    pub uninit: bool,
    /// Bits in use (clusters per group or inodes per group).
    pub nbits: u32,
    /// The bits, little-endian bit order within bytes, `ceil(nbits / 8)` bytes.
    pub bits: Vec<u8>,
    /// Checksum over the bitmap bytes (metadata_csum), `NONE` when not checksummed or uninit.
    pub checksum: ChecksumStatus,
    /// Free count recorded in the group descriptor.
    pub recorded_free: u32,
    /// Free count counted from the bits.
    pub computed_free: u32,
}

impl Bitmap {
    /// Is bit `i` set?
    pub fn get(&self, i: u32) -> bool {
        self.bits.get((i / 8) as usize).is_some_and(|b| b & (1 << (i % 8)) != 0)
    }
}

fn set_bit(bits: &mut [u8], i: u64) {
    if let Some(b) = usize::try_from(i / 8).ok().and_then(|j| bits.get_mut(j)) {
        *b |= 1 << (i % 8);
    }
}

fn count_zero_bits(bits: &[u8], nbits: u32) -> u32 {
    let full = (nbits / 8) as usize;
    let mut ones: u32 = bits.iter().take(full).map(|b| b.count_ones()).sum();
    if !nbits.is_multiple_of(8) {
        let mask = (1u8 << (nbits % 8)) - 1;
        ones += (bits.get(full).copied().unwrap_or(0) & mask).count_ones();
    }
    nbits - ones.min(nbits)
}

impl Fs {
    /// Clusters per group as the bitmap counts them.
    pub fn clusters_per_group(&self) -> u32 {
        (self.geo.blocks_per_group / self.geo.cluster_ratio.max(1)).max(1)
    }

    /// Clusters that exist in group `g` (the last group may be short).
    pub fn clusters_in_group(&self, g: u32) -> u32 {
        let blocks = self.geo.group_last_block(g) - self.geo.group_first_block(g) + 1;
        let r = u64::from(self.geo.cluster_ratio.max(1));
        u32::try_from(blocks.div_ceil(r)).unwrap_or(u32::MAX).min(self.clusters_per_group())
    }

    /// The block bitmap of group `g`.
    pub fn block_bitmap(&self, g: u32) -> Result<Bitmap> {
        let group = self.group(g)?;
        let nbits = self.clusters_per_group();
        let in_group = self.clusters_in_group(g);
        let uninit = self.trusts_uninit(&group, BG_BLOCK_UNINIT);
        let nbytes = nbits.div_ceil(8) as usize;
        let (bits, checksum) = if uninit {
            (self.uninit_block_bitmap(g, nbytes), ChecksumStatus::NONE)
        } else {
            let blk = self.block(group.block_bitmap)?;
            let mut bits = blk.get(..nbytes).unwrap_or(&blk[..]).to_vec();
            if self.has_group_csum() && group.flags & BG_BLOCK_UNINIT != 0 {
                // BLOCK_UNINIT under a bad descriptor checksum: read, and the
                // group's own metadata marked on top, as libext2fs does
                // (`mark_uninit_bg_group_blocks` looks at the flag alone).
                for (b, u) in bits.iter_mut().zip(self.uninit_block_bitmap(g, nbytes)) {
                    *b |= u;
                }
            }
            let checksum = if self.sb.has_metadata_csum() {
                let c = crc32c(self.sb.csum_seed(), &bits);
                let wide = self.geo.desc_size >= 64;
                let (stored, computed) = if wide {
                    (group.block_bitmap_csum, c)
                } else {
                    (group.block_bitmap_csum & 0xFFFF, c & 0xFFFF)
                };
                ChecksumStatus::new(ChecksumKind::Crc32c, stored, computed)
            } else {
                ChecksumStatus::NONE
            };
            (bits, checksum)
        };
        Ok(Bitmap {
            kind: BitmapKind::Block,
            group: g,
            block: group.block_bitmap,
            uninit,
            nbits,
            computed_free: count_zero_bits(&bits, in_group),
            bits,
            checksum,
            recorded_free: group.free_blocks_count,
        })
    }

    /// The inode bitmap of group `g`.
    pub fn inode_bitmap(&self, g: u32) -> Result<Bitmap> {
        let group = self.group(g)?;
        let nbits = self.geo.inodes_per_group;
        let nbytes = nbits.div_ceil(8) as usize;
        let uninit = self.trusts_uninit(&group, BG_INODE_UNINIT);
        let (bits, checksum) = if uninit {
            (vec![0u8; nbytes], ChecksumStatus::NONE)
        } else {
            let blk = self.block(group.inode_bitmap)?;
            let bits = blk.get(..nbytes).unwrap_or(&blk[..]).to_vec();
            let checksum = if self.sb.has_metadata_csum() {
                let c = crc32c(self.sb.csum_seed(), &bits);
                let wide = self.geo.desc_size >= 64;
                let (stored, computed) = if wide {
                    (group.inode_bitmap_csum, c)
                } else {
                    (group.inode_bitmap_csum & 0xFFFF, c & 0xFFFF)
                };
                ChecksumStatus::new(ChecksumKind::Crc32c, stored, computed)
            } else {
                ChecksumStatus::NONE
            };
            (bits, checksum)
        };
        Ok(Bitmap {
            kind: BitmapKind::Inode,
            group: g,
            block: group.inode_bitmap,
            uninit,
            nbits,
            computed_free: count_zero_bits(&bits, nbits),
            bits,
            checksum,
            recorded_free: group.free_inodes_count,
        })
    }

    /// Problems with a bitmap: checksum mismatch, free count differing from the bits.
    pub fn bitmap_problems(&self, b: &Bitmap) -> Vec<Problem> {
        let what = match b.kind {
            BitmapKind::Block => "block bitmap",
            BitmapKind::Inode => "inode bitmap",
        };
        let at = Location::block(b.block, self.geo.block_size, 0).with_group(b.group);
        let mut v = Vec::new();
        if b.checksum.ok == Some(false) {
            v.push(Problem {
                severity: Severity::Error,
                structure: format!("group {} {what}", b.group),
                at,
                message: format!(
                    "{what} checksum does not match (stored 0x{:08x}, computed 0x{:08x})",
                    b.checksum.stored, b.checksum.computed
                ),
            });
        }
        if b.recorded_free != b.computed_free {
            v.push(Problem {
                severity: Severity::Warning,
                structure: format!("group {} {what}", b.group),
                at,
                message: format!(
                    "group descriptor records {} free, the bitmap has {} free",
                    b.recorded_free, b.computed_free
                ),
            });
        }
        v
    }

    pub(crate) fn has_group_csum(&self) -> bool {
        use crate::format::features::RO_COMPAT_GDT_CSUM;
        self.sb.has_metadata_csum() || self.features().ro_compat(RO_COMPAT_GDT_CSUM)
    }

    /// True when group `group`'s `flag` (`BLOCK_UNINIT` or `INODE_UNINIT`)
    /// means its bitmap is not read: with group checksums, and only while the
    /// descriptor's own checksum holds (libext2fs' `read_bitmaps`; the kernel
    /// also refuses to initialise a bitmap from a descriptor that fails).
    pub(crate) fn trusts_uninit(&self, group: &crate::format::group_desc::Group, flag: u16) -> bool {
        self.has_group_csum() && group.flags & flag != 0 && group.checksum.ok != Some(false)
    }

    /// The bitmap the kernel computes for a `BLOCK_UNINIT` group: the superblock
    /// copy, descriptor blocks and reserved GDT at its head, and the group's own
    /// bitmaps and inode table when they lie inside it; bits past the group's end set.
    fn uninit_block_bitmap(&self, g: u32, nbytes: usize) -> Vec<u8> {
        let mut bits = vec![0u8; nbytes];
        let first = self.geo.group_first_block(g);
        let last = self.geo.group_last_block(g);
        let r = u64::from(self.geo.cluster_ratio.max(1));
        let mut mark = |blk: u64| {
            if blk >= first && blk <= last {
                set_bit(&mut bits, (blk - first) / r);
            }
        };
        let head = self.geo.group_head(g);
        if let Some(s) = head.superblock {
            mark(s);
            if g == 0 && self.geo.first_data_block == 0 && self.geo.block_size == 1024 {
                mark(0);
            }
        }
        for (s, n) in [head.gdt, head.reserved_gdt].into_iter().flatten() {
            for b in s..s.saturating_add(n).min(last + 1) {
                mark(b);
            }
        }
        if let Ok(gr) = self.group(g) {
            mark(gr.block_bitmap);
            mark(gr.inode_bitmap);
            let end = gr.inode_table.saturating_add(u64::from(self.geo.inode_table_blocks));
            for b in gr.inode_table.max(first)..end.min(last + 1) {
                mark(b);
            }
        }
        let in_group = u64::from(self.clusters_in_group(g));
        for i in in_group..(nbytes as u64 * 8) {
            set_bit(&mut bits, i);
        }
        bits
    }
}

#[cfg(test)]
mod tests {
    use super::count_zero_bits;

    #[test]
    fn zero_bits_ignore_padding() {
        assert_eq!(count_zero_bits(&[0xFF, 0x01], 9), 0);
        assert_eq!(count_zero_bits(&[0x0F, 0xFE], 9), 5);
        assert_eq!(count_zero_bits(&[], 16), 16);
    }
}
