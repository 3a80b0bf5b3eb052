//! Where things live: group boundaries, superblock backups (sparse_super,
//! sparse_super2), group descriptor blocks (classic and meta_bg), reserved GDT.

use serde::{Deserialize, Serialize};

use crate::format::features::*;
use crate::format::superblock::Superblock;

/// The numbers every other computation needs, validated once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Geometry {
    /// Block size in bytes.
    pub block_size: u32,
    /// Blocks in the file system.
    pub blocks_count: u64,
    /// `s_first_data_block` (1 for 1 KiB blocks without bigalloc, else 0).
    pub first_data_block: u64,
    /// Blocks per group.
    pub blocks_per_group: u32,
    /// Inodes per group.
    pub inodes_per_group: u32,
    /// Inode record size.
    pub inode_size: u32,
    /// Number of groups.
    pub groups_count: u32,
    /// Group descriptor size.
    pub desc_size: u32,
    /// Descriptors per block.
    pub descs_per_block: u32,
    /// Blocks per cluster (1 without bigalloc).
    pub cluster_ratio: u32,
    /// Inode table blocks per group.
    pub inode_table_blocks: u32,
    /// Blocks of the classic group descriptor table.
    pub gdt_blocks: u64,
    /// Feature words (copied for quick tests).
    pub features: Features,
    /// `s_first_meta_bg`.
    pub first_meta_bg: u32,
    /// `s_reserved_gdt_blocks`.
    pub reserved_gdt_blocks: u32,
    /// `s_backup_bgs` (sparse_super2).
    pub backup_bgs: [u32; 2],
}

/// The most groups this inspector will index (4M groups is 512 TiB at 128 MiB/group).
pub const MAX_GROUPS: u64 = 1 << 22;

impl Geometry {
    /// Validate the superblock's geometry. `Err` says what is impossible.
    pub fn from_superblock(sb: &Superblock) -> Result<Geometry, alloc::string::String> {
        use alloc::format;
        let block_size = sb.block_size().ok_or_else(|| {
            format!("s_log_block_size is {}: block size would exceed 64 KiB", sb.s_log_block_size)
        })?;
        if sb.s_blocks_per_group == 0 {
            return Err(alloc::string::String::from("s_blocks_per_group is 0"));
        }
        if sb.s_inodes_per_group == 0 {
            return Err(alloc::string::String::from("s_inodes_per_group is 0"));
        }
        let features = sb.features();
        let cluster_ratio = if features.ro_compat(RO_COMPAT_BIGALLOC) {
            let cs = sb.cluster_size().unwrap_or(u64::from(block_size));
            u32::try_from(cs / u64::from(block_size)).unwrap_or(1).max(1)
        } else {
            1
        };
        // One bitmap block describes a group, as the kernel requires: at most
        // 8 * block_size clusters and inodes. (Larger counts would also make a
        // computed `*_UNINIT` bitmap far larger than a block.)
        let bitmap_bits = 8 * u64::from(block_size);
        let clusters_per_group = u64::from(sb.s_blocks_per_group) / u64::from(cluster_ratio);
        if clusters_per_group > bitmap_bits {
            return Err(format!(
                "s_blocks_per_group is {} ({clusters_per_group} clusters), more than one bitmap block can describe ({bitmap_bits})",
                sb.s_blocks_per_group
            ));
        }
        if u64::from(sb.s_inodes_per_group) > bitmap_bits {
            return Err(format!(
                "s_inodes_per_group is {}, more than one bitmap block can describe ({bitmap_bits})",
                sb.s_inodes_per_group
            ));
        }
        let inode_size = sb.inode_size();
        if inode_size < 128 || inode_size > block_size || !inode_size.is_power_of_two() {
            return Err(format!(
                "s_inode_size is {inode_size}: must be a power of two from 128 to the block size"
            ));
        }
        let desc_size = sb.desc_size();
        if desc_size < 32 || desc_size > block_size || !desc_size.is_power_of_two() {
            return Err(format!(
                "s_desc_size is {desc_size}: must be a power of two from 32 (64 with 64bit) to the block size"
            ));
        }
        let blocks_count = sb.blocks_count();
        let first_data_block = u64::from(sb.s_first_data_block);
        if first_data_block >= blocks_count {
            return Err(format!(
                "s_first_data_block ({first_data_block}) is not below s_blocks_count ({blocks_count})"
            ));
        }
        let groups = (blocks_count - first_data_block).div_ceil(u64::from(sb.s_blocks_per_group));
        if groups > MAX_GROUPS {
            return Err(format!("{groups} block groups: more than this inspector indexes ({MAX_GROUPS})"));
        }
        let inode_table_bytes = u64::from(sb.s_inodes_per_group) * u64::from(inode_size);
        let inode_table_blocks = u32::try_from(inode_table_bytes.div_ceil(u64::from(block_size)))
            .map_err(|_| format!("inode table of {inode_table_bytes} bytes per group"))?;
        let descs_per_block = block_size / desc_size;
        let gdt_blocks = groups.div_ceil(u64::from(descs_per_block));
        Ok(Geometry {
            block_size,
            blocks_count,
            first_data_block,
            blocks_per_group: sb.s_blocks_per_group,
            inodes_per_group: sb.s_inodes_per_group,
            inode_size,
            groups_count: groups as u32,
            desc_size,
            descs_per_block,
            cluster_ratio,
            inode_table_blocks,
            gdt_blocks,
            features,
            first_meta_bg: sb.s_first_meta_bg,
            reserved_gdt_blocks: u32::from(sb.s_reserved_gdt_blocks),
            backup_bgs: sb.s_backup_bgs,
        })
    }

    /// First block of group `g`.
    pub fn group_first_block(&self, g: u32) -> u64 {
        self.first_data_block + u64::from(g) * u64::from(self.blocks_per_group)
    }

    /// Last block of group `g`.
    pub fn group_last_block(&self, g: u32) -> u64 {
        if g + 1 >= self.groups_count {
            self.blocks_count - 1
        } else {
            self.group_first_block(g) + u64::from(self.blocks_per_group) - 1
        }
    }

    /// The group a block belongs to.
    pub fn group_of_block(&self, blk: u64) -> Option<u32> {
        if blk < self.first_data_block || blk >= self.blocks_count {
            return None;
        }
        u32::try_from((blk - self.first_data_block) / u64::from(self.blocks_per_group)).ok()
    }

    /// The group an inode belongs to and its index in that group's table.
    pub fn inode_group(&self, ino: u32) -> Option<(u32, u32)> {
        let i = ino.checked_sub(1)?;
        let g = i / self.inodes_per_group;
        if g >= self.groups_count {
            return None;
        }
        Some((g, i % self.inodes_per_group))
    }

    /// Total inodes the groups can hold.
    pub fn inodes_count(&self) -> u64 {
        u64::from(self.groups_count) * u64::from(self.inodes_per_group)
    }

    /// Does group `g` hold a superblock backup (and, without meta_bg, a GDT copy)?
    pub fn has_super(&self, g: u32) -> bool {
        if g == 0 {
            return true;
        }
        if self.features.compat(COMPAT_SPARSE_SUPER2) {
            return g == self.backup_bgs[0] || g == self.backup_bgs[1];
        }
        if g <= 1 || !self.features.ro_compat(RO_COMPAT_SPARSE_SUPER) {
            return true;
        }
        if g & 1 == 0 {
            return false;
        }
        is_power_of(g, 3) || is_power_of(g, 5) || is_power_of(g, 7)
    }

    fn meta_bg(&self) -> bool {
        self.features.incompat(INCOMPAT_META_BG)
    }

    /// Where descriptor block `i` of the primary table lives.
    pub fn descriptor_block(&self, i: u64) -> u64 {
        // With bigalloc and 1 KiB blocks, block 0 is the boot block cluster's start
        // and the primary GDT follows the superblock one block later.
        let zero_adjust = u64::from(i == 0 && self.block_size == 1024 && self.cluster_ratio > 1);
        if !self.meta_bg() || i < u64::from(self.first_meta_bg) {
            return self.first_data_block + i + 1 + zero_adjust;
        }
        // meta_bg: descriptor block i sits in the first group of meta group i.
        let g = i * u64::from(self.descs_per_block);
        let g32 = u32::try_from(g).unwrap_or(u32::MAX);
        let first = self.first_data_block + g * u64::from(self.blocks_per_group);
        first + u64::from(self.has_super(g32)) + zero_adjust
    }

    /// Number of primary descriptor blocks.
    pub fn descriptor_blocks(&self) -> u64 {
        self.gdt_blocks
    }

    /// Where the descriptor of group `g` lives: (block, byte offset in block).
    pub fn descriptor_location(&self, g: u32) -> (u64, usize) {
        let i = u64::from(g / self.descs_per_block);
        let off = (g % self.descs_per_block) * self.desc_size;
        (self.descriptor_block(i), off as usize)
    }

    /// Metadata at the start of group `g`: superblock copy, GDT copy, reserved GDT
    /// blocks. Returns (has_super, gdt range, reserved gdt range) as block ranges.
    pub fn group_head(&self, g: u32) -> GroupHead {
        let first = self.group_first_block(g);
        let mut head = GroupHead { superblock: None, gdt: None, reserved_gdt: None };
        let zero_adjust = u64::from(g == 0 && self.block_size == 1024 && self.cluster_ratio > 1);
        let has_super = self.has_super(g);
        if has_super {
            // Group 0 with 1 KiB blocks: the superblock is block 1 (= first_data_block).
            head.superblock = Some(first + zero_adjust);
        }
        let sb_blocks = u64::from(has_super) + zero_adjust;
        if self.meta_bg() {
            // Classic GDT blocks (before first_meta_bg) go with superblock copies:
            // s_first_meta_bg of them, even past the table (as the kernel and
            // libext2fs count them), within the file system.
            let old_desc_blocks = u64::from(self.first_meta_bg)
                .min(self.blocks_count.saturating_sub(first + sb_blocks))
                .min(u64::from(self.blocks_per_group));
            if has_super && old_desc_blocks > 0 {
                head.gdt = Some((first + sb_blocks, old_desc_blocks));
            }
            // meta_bg descriptor blocks: first, second and last group of each meta group.
            let per = u64::from(self.descs_per_block);
            let mg = u64::from(g) / per;
            let idx = u64::from(g) % per;
            if mg >= u64::from(self.first_meta_bg) && (idx == 0 || idx == 1 || idx == per - 1) {
                head.gdt = Some((first + u64::from(has_super) + zero_adjust, 1));
            }
            if has_super && self.reserved_gdt_blocks > 0 && old_desc_blocks > 0 {
                head.reserved_gdt =
                    Some((first + sb_blocks + old_desc_blocks, u64::from(self.reserved_gdt_blocks)));
            }
        } else if has_super {
            head.gdt = Some((first + sb_blocks, self.gdt_blocks));
            if self.reserved_gdt_blocks > 0 {
                head.reserved_gdt =
                    Some((first + sb_blocks + self.gdt_blocks, u64::from(self.reserved_gdt_blocks)));
            }
        }
        head
    }
}

/// Metadata at the head of a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupHead {
    /// Superblock (primary or backup) block.
    pub superblock: Option<u64>,
    /// Group descriptor blocks (start, count).
    pub gdt: Option<(u64, u64)>,
    /// Reserved GDT blocks (start, count).
    pub reserved_gdt: Option<(u64, u64)>,
}

fn is_power_of(mut n: u32, base: u32) -> bool {
    while n > 1 {
        if !n.is_multiple_of(base) {
            return false;
        }
        n /= base;
    }
    n == 1
}

#[cfg(test)]
mod tests {
    use super::is_power_of;

    #[test]
    fn sparse_super_groups() {
        let sparse: alloc::vec::Vec<u32> = (2..200)
            .filter(|&g| g & 1 == 1 && (is_power_of(g, 3) || is_power_of(g, 5) || is_power_of(g, 7)))
            .collect();
        assert_eq!(sparse, [3, 5, 7, 9, 25, 27, 49, 81, 125]);
    }
}
