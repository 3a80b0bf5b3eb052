//! The group descriptors as `ext4_group_desc_init` and
//! `ext4_check_descriptors` check them, and the system zone
//! (`block_validity.c`): every group's metadata and the journal's blocks in
//! one tree of ranges, where a range that starts inside another refuses the
//! mount.

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;

use super::{inode, Flow, Mount, StepStatus, Stop, EFSCORRUPTED, EINVAL};
use crate::format::features::{COMPAT_HAS_JOURNAL, INCOMPAT_FLEX_BG, INCOMPAT_META_BG};
use crate::fs::Fs;
use crate::layout::Geometry;

/// `ext4_bg_num_gdb`: descriptor blocks at the head of group `g` (reserved
/// GDT blocks not counted).
fn bg_num_gdb(geo: &Geometry, g: u32) -> u64 {
    let meta_bg = geo.features.incompat(INCOMPAT_META_BG);
    let metagroup = g / geo.descs_per_block;
    if !meta_bg || metagroup < geo.first_meta_bg {
        if !geo.has_super(g) {
            0
        } else if meta_bg {
            u64::from(geo.first_meta_bg)
        } else {
            geo.gdt_blocks
        }
    } else {
        let first = metagroup * geo.descs_per_block;
        u64::from(g == first || g == first + 1 || g == first + (geo.descs_per_block - 1))
    }
}

/// `s_itb_per_group`: inode table blocks as the kernel counts them
/// (inodes per group over inodes per block, rounded down).
pub(super) fn itb_per_group(fs: &Fs) -> u64 {
    let per_block = (fs.geo.block_size / fs.geo.inode_size.max(1)).max(1);
    u64::from(fs.geo.inodes_per_group / per_block)
}

/// `ext4_group_desc_init`: `s_first_meta_bg`, every descriptor block read,
/// then `ext4_check_descriptors`.
pub(super) fn group_desc_init(m: &mut Mount, fs: &Fs) -> Flow<()> {
    const F: &str = "ext4_group_desc_init";
    let geo = &fs.geo;
    let db_count = geo.gdt_blocks;
    if geo.features.incompat(INCOMPAT_META_BG) && u64::from(geo.first_meta_bg) > db_count {
        m.msg(format!(
            "first meta block group too large: {} (group descriptor block count {db_count})",
            geo.first_meta_bg
        ));
        m.step(F, "s_first_meta_bg", StepStatus::Fail, format!("{} > {db_count}", geo.first_meta_bg));
        return Err(Stop::Refused);
    }
    for i in 0..db_count {
        let blk = geo.descriptor_block(i);
        if let Err(e) = fs.block(blk) {
            m.msg(format!("can't read group descriptor {i}"));
            m.step(F, "descriptor blocks", StepStatus::Fail, format!("block {blk}: {e}"));
            return Err(Stop::Refused);
        }
    }
    m.step(F, "descriptor blocks", StepStatus::Pass, format!("{db_count} read"));
    if !check_descriptors(m, fs) {
        m.msg("group descriptors corrupted!");
        return Err(Stop::Refused);
    }
    Ok(())
}

/// `ext4_check_descriptors`: each group's bitmaps and inode table lie in its
/// group (anywhere in the file system with flex_bg), not on the superblock
/// or the descriptors (fatal only read-write), and its checksum matches
/// (fatal only read-write).
fn check_descriptors(m: &mut Mount, fs: &Fs) -> bool {
    const F: &str = "ext4_check_descriptors";
    let geo = &fs.geo;
    // The superblock's block: 1 with 1 KiB blocks, else 0 (at byte 1024 of block 0).
    let sb_block: u64 = u64::from(geo.block_size == 1024);
    let last_bg_block = sb_block + bg_num_gdb(geo, 0);
    let flex = geo.features.incompat(INCOMPAT_FLEX_BG);
    let itb = itb_per_group(fs);
    let mut first_block = geo.first_data_block;
    let mut warned = 0u32;
    for g in 0..geo.groups_count {
        let last_block = if g + 1 == geo.groups_count || flex {
            geo.blocks_count - 1
        } else {
            first_block + u64::from(geo.blocks_per_group) - 1
        };
        let gr = match fs.group(g) {
            Ok(gr) => gr,
            Err(e) => {
                m.step(F, "descriptors", StepStatus::Fail, format!("group {g}: {e}"));
                return false;
            }
        };
        for (what, blk, len) in [
            ("Block bitmap", gr.block_bitmap, 1),
            ("Inode bitmap", gr.inode_bitmap, 1),
            ("Inode table", gr.inode_table, itb),
        ] {
            if blk == sb_block {
                m.msg(format!("{F}: {what} for group {g} overlaps superblock"));
                if !m.sb_rdonly {
                    m.step(
                        F,
                        "descriptors",
                        StepStatus::Fail,
                        format!("group {g}: {what} on the superblock"),
                    );
                    return false;
                }
                warned += 1;
            }
            if blk > sb_block && blk <= last_bg_block {
                m.msg(format!("{F}: {what} for group {g} overlaps block group descriptors"));
                if !m.sb_rdonly {
                    m.step(
                        F,
                        "descriptors",
                        StepStatus::Fail,
                        format!("group {g}: {what} on the descriptors"),
                    );
                    return false;
                }
                warned += 1;
            }
            let end = blk.saturating_add(len - 1);
            if blk < first_block || end > last_block {
                m.msg(format!("{F}: {what} for group {g} not in group (block {blk})!"));
                m.step(
                    F,
                    "descriptors",
                    StepStatus::Fail,
                    format!("group {g}: {what} at {blk}, outside {first_block}-{last_block}"),
                );
                return false;
            }
        }
        if gr.checksum.ok == Some(false) {
            m.msg(format!(
                "{F}: Checksum for group {g} failed ({}!={})",
                gr.checksum.computed, gr.checksum.stored
            ));
            if !m.sb_rdonly {
                m.step(F, "descriptor checksums", StepStatus::Fail, format!("group {g}"));
                return false;
            }
            warned += 1;
        }
        if !flex {
            first_block += u64::from(geo.blocks_per_group);
        }
    }
    let status = if warned > 0 { StepStatus::Warn } else { StepStatus::Pass };
    let detail = if warned > 0 {
        format!("{warned} problems, not fatal to a read-only mount")
    } else {
        format!("{} groups", geo.groups_count)
    };
    m.step(F, "descriptors", status, detail);
    true
}

/// The system zone: ranges of metadata blocks, keyed by their first block.
///
/// `add_system_zone` walks an rb-tree comparing only the new range's start:
/// it refuses a range that starts inside one already there, and lets one in
/// that starts before an existing range and covers it. This keeps the
/// ranges in a map and looks at the range starting at or before the new
/// start. While the ranges are disjoint that is exactly the kernel's walk;
/// once a covering range got in, the kernel's answer depends on the tree's
/// shape, which is not modelled.
#[derive(Default)]
struct Zones {
    /// first block → (count, owning inode or 0)
    map: BTreeMap<u64, (u64, u32)>,
}

impl Zones {
    /// `add_system_zone`; `false` when the range starts inside another.
    fn add(&mut self, start: u64, count: u64, ino: u32) -> bool {
        if let Some((&s, &(c, _))) = self.map.range(..=start).next_back() {
            if start < s.saturating_add(c) {
                return false;
            }
        }
        let (mut start, mut count) = (start, count);
        // Merge with the range before and the range after when they touch
        // and belong to the same inode.
        if let Some((&s, &(c, i))) = self.map.range(..start).next_back() {
            if s.saturating_add(c) == start && i == ino {
                self.map.remove(&s);
                start = s;
                count += c;
            }
        }
        let end = start.saturating_add(count);
        if let Some((&s, &(c, i))) = self.map.range(start.saturating_add(1)..).next() {
            if s == end && i == ino {
                self.map.remove(&s);
                count += c;
            }
        }
        self.map.insert(start, (count, ino));
        true
    }
}

/// `ext4_setup_system_zone`: every group's superblock and descriptor copy
/// (groups 0-4; the flex size is not yet known then), bitmaps and inode
/// table, then the journal inode's blocks (`ext4_protect_reserved_inode`).
pub(super) fn setup_system_zone(m: &mut Mount, fs: &Fs) -> Flow<()> {
    const F: &str = "ext4_setup_system_zone";
    let geo = &fs.geo;
    let itb = itb_per_group(fs);
    let mut zones = Zones::default();
    let mut err = 0i32;
    let mut why = String::new();
    'groups: for g in 0..geo.groups_count {
        // `(i < 5) || (i % flex_size == 0)` with flex_size 1: s_log_groups_per_flex
        // is set later, by ext4_fill_flex_info.
        if geo.has_super(g) && !zones.add(geo.group_first_block(g), bg_num_gdb(geo, g) + 1, 0) {
            err = EFSCORRUPTED;
            why = format!("group {g}'s superblock and descriptors overlap other metadata");
            break;
        }
        let Ok(gr) = fs.group(g) else {
            err = -5;
            why = format!("group {g}'s descriptor cannot be read");
            break;
        };
        for (what, blk, n) in [
            ("block bitmap", gr.block_bitmap, 1),
            ("inode bitmap", gr.inode_bitmap, 1),
            ("inode table", gr.inode_table, itb),
        ] {
            if !zones.add(blk, n, 0) {
                err = EFSCORRUPTED;
                why = format!("group {g}'s {what} (block {blk}) overlaps other metadata");
                break 'groups;
            }
        }
    }
    let j_inum = fs.sb.s_journal_inum;
    if err == 0 && fs.features().compat(COMPAT_HAS_JOURNAL) && j_inum != 0 {
        if let Err((e, w)) = protect_reserved_inode(m, fs, &mut zones, j_inum) {
            err = e;
            why = w;
        }
    }
    if err != 0 {
        m.msg(format!("failed to initialize system zone ({err})"));
        m.msg("mount failed");
        m.step(F, "block_validity", StepStatus::Fail, why);
        return Err(Stop::Refused);
    }
    m.step(F, "block_validity", StepStatus::Pass, format!("{} metadata ranges, no overlap", zones.map.len()));
    Ok(())
}

/// `ext4_protect_reserved_inode`: the journal's blocks join the zone, one
/// mapped run at a time. `Err`: the errno and what went wrong.
fn protect_reserved_inode(m: &mut Mount, fs: &Fs, zones: &mut Zones, ino: u32) -> Result<(), (i32, String)> {
    const F: &str = "ext4_protect_reserved_inode";
    if ino < 2 || ino > fs.sb.s_inodes_count {
        return Err((EINVAL, format!("the journal inode number {ino} is out of range")));
    }
    let inode = match inode::iget(m, fs, ino, inode::Iget::Special, F, super::LINE_PROTECT_IGET) {
        Ok(i) => i,
        Err(e) => return Err((e, format!("the journal inode {ino} cannot be read (error {e})"))),
    };
    let bs = u64::from(fs.geo.block_size);
    let num = inode.size().div_ceil(bs);
    let map = fs.file_map(&inode);
    // ext4_map_blocks from block i onwards: a hole moves on one block, a
    // mapped run (as the extent status cache joins contiguous extents) adds
    // its blocks up to `num`.
    for run in &map.data {
        if run.logical >= num {
            break;
        }
        let n = run.len.min(num - run.logical);
        if !zones.add(run.physical, n, ino) {
            let last = run.physical.saturating_add(n - 1);
            m.error_inode(
                F,
                super::LINE_PROTECT_OVERLAP,
                ino,
                0,
                format!("blocks {}-{last} from inode overlap system zone", run.physical),
            );
            return Err((
                EFSCORRUPTED,
                format!("the journal's blocks {}-{last} overlap other metadata", run.physical),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::Zones;

    #[test]
    fn a_range_starting_inside_another_is_refused_one_covering_it_is_not() {
        let mut z = Zones::default();
        assert!(z.add(1, 2, 0));
        assert!(z.add(259, 1, 0));
        assert!(!z.add(2, 1, 0), "starts inside 1-2");
        assert!(!z.add(259, 1, 0), "the same block twice");
        assert!(z.add(4500, 1, 0));
        assert!(z.add(4097, 1024, 8), "starts before 4500 and covers it: the kernel lets it in");
        assert!(z.add(260, 5, 0), "touches 259: merged");
        assert_eq!(z.map.get(&259), Some(&(6, 0)));
        assert!(!z.add(4097, 1, 0));
    }
}
