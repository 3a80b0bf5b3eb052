//! The superblock and group table against `dumpe2fs` on real images, and
//! annotated byte fixtures for single structures.

mod golden;

use ext4scope_core::format::group_desc::{desc_checksum, ChecksumKind, GroupDescRaw};
use ext4scope_core::format::superblock::Superblock;
use ext4scope_core::Fs;
use golden::*;

#[test]
fn summary_equals_dumpe2fs_h_on_every_fixture() {
    let mut compared = 0;
    for name in fixture_names() {
        let fs = Fs::open(Box::new(load_image(&name))).unwrap_or_else(|e| panic!("{name}: {e}"));
        let ours = fs.summary();
        let theirs = dumpe2fs_header(&golden(&name, "dumpe2fs-h.txt"));
        assert!(theirs.len() > 30, "{name}: golden header too short");
        for (k, v) in &theirs {
            if JOURNAL_KEYS.contains(&k.as_str()) {
                continue;
            }
            let mine = ours.iter().find(|(ok, _)| ok == k).map(|(_, v)| v);
            assert_eq!(mine, Some(v), "{name}: dumpe2fs -h says {k:?} = {v:?}");
            compared += 1;
        }
        for (k, v) in &ours {
            assert!(
                theirs.iter().any(|(tk, _)| tk == k),
                "{name}: we print {k:?} = {v:?}, dumpe2fs -h does not"
            );
        }
        assert!(fs.problems.is_empty(), "{name}: unexpected problems {:?}", fs.problems);
    }
    println!("superblock: {compared} dumpe2fs -h fields equal");
}

#[test]
fn groups_equal_dumpe2fs_on_every_fixture() {
    let mut compared = 0;
    for name in fixture_names() {
        let fs = Fs::open(Box::new(load_image(&name))).unwrap_or_else(|e| panic!("{name}: {e}"));
        let info = fs.info_with_groups();
        let golden = dumpe2fs_groups(&golden(&name, "dumpe2fs.txt"));
        assert_eq!(info.groups.len(), golden.len(), "{name}: group count");
        for (g, d) in info.groups.iter().zip(&golden) {
            let ctx = format!("{name} group {}", d.group);
            assert_eq!((g.first_block, g.last_block), (d.first, d.last), "{ctx}: range");
            assert_eq!(g.flags, d.flags, "{ctx}: flags");
            match d.csum {
                Some(c) => {
                    assert_eq!(g.checksum.stored, c, "{ctx}: stored csum");
                    assert_eq!(g.checksum.ok, Some(true), "{ctx}: csum verdict {:?}", g.checksum);
                }
                None => assert_eq!(g.checksum.kind, ChecksumKind::None, "{ctx}"),
            }
            assert_eq!(g.head.superblock, d.superblock, "{ctx}: superblock copy");
            assert_eq!(g.head.gdt, d.gdt, "{ctx}: descriptor blocks");
            assert_eq!(g.head.reserved_gdt, d.reserved_gdt, "{ctx}: reserved GDT");
            assert_eq!(g.block_bitmap, d.block_bitmap, "{ctx}: block bitmap");
            assert_eq!(g.inode_bitmap, d.inode_bitmap, "{ctx}: inode bitmap");
            assert_eq!(
                (g.inode_table, g.inode_table + u64::from(g.inode_table_blocks) - 1),
                d.inode_table,
                "{ctx}: inode table"
            );
            if let Some(c) = d.block_bitmap_csum {
                assert_eq!(g.block_bitmap_csum, c, "{ctx}: block bitmap csum");
            }
            if let Some(c) = d.inode_bitmap_csum {
                assert_eq!(g.inode_bitmap_csum, c, "{ctx}: inode bitmap csum");
            }
            assert_eq!(g.free_blocks_count, d.free_blocks, "{ctx}: free blocks");
            assert_eq!(g.free_inodes_count, d.free_inodes, "{ctx}: free inodes");
            assert_eq!(g.used_dirs_count, d.dirs, "{ctx}: directories");
            if let Some(u) = d.unused_inodes {
                assert_eq!(g.itable_unused, u, "{ctx}: unused inodes");
            }
            compared += 1;
        }
    }
    println!("groups: {compared} groups equal to dumpe2fs");
}

/// A superblock built field by field, as the spec lays it out.
#[test]
fn annotated_superblock_bytes() {
    let mut sb = [0u8; 1024];
    let mut put = |off: usize, bytes: &[u8]| sb[off..off + bytes.len()].copy_from_slice(bytes);
    put(0x00, &2048u32.to_le_bytes()); // s_inodes_count
    put(0x04, &8192u32.to_le_bytes()); // s_blocks_count_lo
    put(0x08, &409u32.to_le_bytes()); // s_r_blocks_count_lo
    put(0x0C, &6000u32.to_le_bytes()); // s_free_blocks_count_lo
    put(0x10, &2037u32.to_le_bytes()); // s_free_inodes_count
    put(0x14, &1u32.to_le_bytes()); // s_first_data_block
    put(0x18, &0u32.to_le_bytes()); // s_log_block_size: 1024 << 0
    put(0x20, &8192u32.to_le_bytes()); // s_blocks_per_group
    put(0x28, &2048u32.to_le_bytes()); // s_inodes_per_group
    put(0x38, &0xEF53u16.to_le_bytes()); // s_magic
    put(0x3A, &1u16.to_le_bytes()); // s_state: clean
    put(0x4C, &1u32.to_le_bytes()); // s_rev_level: dynamic
    put(0x54, &11u32.to_le_bytes()); // s_first_ino
    put(0x58, &256u16.to_le_bytes()); // s_inode_size
    put(0x5C, &0x0000_003Cu32.to_le_bytes()); // s_feature_compat: has_journal ext_attr resize_inode dir_index
    put(0x60, &0x0000_00C2u32.to_le_bytes()); // s_feature_incompat: filetype extent 64bit
    put(0x64, &0x0000_0403u32.to_le_bytes()); // s_feature_ro_compat: sparse_super large_file metadata_csum
    put(0x68, &[0x11; 16]); // s_uuid
    put(0x78, b"label\0"); // s_volume_name
    put(0xFE, &64u16.to_le_bytes()); // s_desc_size
    put(0x150, &1u32.to_le_bytes()); // s_blocks_count_hi: counts with 64bit
    let sb = Superblock::parse(&sb);
    assert_eq!(sb.blocks_count(), (1 << 32) | 8192);
    assert_eq!(sb.block_size(), Some(1024));
    assert_eq!(sb.volume_name(), "label");
    assert_eq!(sb.desc_size(), 64);
    assert_eq!(
        sb.features().names(),
        [
            "has_journal",
            "ext_attr",
            "resize_inode",
            "dir_index",
            "filetype",
            "extent",
            "64bit",
            "sparse_super",
            "large_file",
            "metadata_csum"
        ]
    );
}

/// A 64-byte group descriptor from a real image (default-1k, group 0), annotated.
#[test]
fn annotated_group_descriptor_bytes() {
    let name = "default-1k";
    let img = load_image(name);
    let fs = Fs::open(Box::new(img.clone())).expect("open");
    let (blk, off) = fs.geo.descriptor_location(0);
    let at = blk as usize * 1024 + off;
    let bytes = &img[at..at + 64];
    let d = GroupDescRaw::parse(bytes);
    let golden = &dumpe2fs_groups(&golden(name, "dumpe2fs.txt"))[0];
    // 0x00 bg_block_bitmap_lo, 0x20 bg_block_bitmap_hi
    assert_eq!(d.block_bitmap(), golden.block_bitmap);
    assert_eq!(u64::from(u32::from_le_bytes(bytes[0..4].try_into().unwrap())), golden.block_bitmap);
    // 0x04 bg_inode_bitmap_lo
    assert_eq!(d.inode_bitmap(), golden.inode_bitmap);
    // 0x08 bg_inode_table_lo
    assert_eq!(d.inode_table(), golden.inode_table.0);
    // 0x0C bg_free_blocks_count_lo
    assert_eq!(u32::from(u16::from_le_bytes([bytes[0x0C], bytes[0x0D]])), golden.free_blocks);
    // 0x0E bg_free_inodes_count_lo
    assert_eq!(d.free_inodes_count(), golden.free_inodes);
    // 0x1E bg_checksum: crc32c(seed, group, desc with checksum zeroed) & 0xffff
    let cs = desc_checksum(&fs.sb, 0, bytes);
    assert_eq!(cs.kind, ChecksumKind::Crc32c);
    assert_eq!(Some(cs.stored), golden.csum);
    assert_eq!(cs.ok, Some(true));
    // Flip one bit of the free count: the checksum must catch it.
    let mut bad = bytes.to_vec();
    bad[0x0C] ^= 1;
    assert_eq!(desc_checksum(&fs.sb, 0, &bad).ok, Some(false));
}

/// Turn a bitmap into ranges of clear bits, numbered from `base`, `scale` units per bit.
fn clear_ranges(
    b: &ext4scope_core::format::bitmap::Bitmap,
    n: u32,
    base: u64,
    scale: u64,
) -> Vec<(u64, u64)> {
    let mut v: Vec<(u64, u64)> = Vec::new();
    for i in 0..n {
        if !b.get(i) {
            let (s, e) = (base + u64::from(i) * scale, base + u64::from(i + 1) * scale - 1);
            match v.last_mut() {
                Some(last) if last.1 + 1 == s => last.1 = e,
                _ => v.push((s, e)),
            }
        }
    }
    v
}

#[test]
fn bitmaps_equal_dumpe2fs_free_ranges_on_every_fixture() {
    let mut compared = 0;
    for name in fixture_names() {
        let fs = Fs::open(Box::new(load_image(&name))).unwrap_or_else(|e| panic!("{name}: {e}"));
        let golden = dumpe2fs_groups(&golden(&name, "dumpe2fs.txt"));
        for d in &golden {
            let ctx = format!("{name} group {}", d.group);
            let bb = fs.block_bitmap(d.group).unwrap_or_else(|e| panic!("{ctx}: {e}"));
            let ib = fs.inode_bitmap(d.group).unwrap_or_else(|e| panic!("{ctx}: {e}"));
            assert_ne!(bb.checksum.ok, Some(false), "{ctx}: block bitmap checksum {:?}", bb.checksum);
            assert_ne!(ib.checksum.ok, Some(false), "{ctx}: inode bitmap checksum {:?}", ib.checksum);
            let r = u64::from(fs.geo.cluster_ratio);
            // dumpe2fs prints each range's end as the first block of its last cluster.
            let ours: Vec<(u64, u64)> = clear_ranges(&bb, fs.clusters_in_group(d.group), d.first, r)
                .into_iter()
                .map(|(s, e)| (s, e + 1 - r))
                .collect();
            assert_eq!(ours, d.free_block_ranges, "{ctx}: free blocks");
            let ipg = fs.geo.inodes_per_group;
            let ino_base = u64::from(d.group) * u64::from(ipg) + 1;
            assert_eq!(clear_ranges(&ib, ipg, ino_base, 1), d.free_inode_ranges, "{ctx}: free inodes");
            assert_eq!(bb.computed_free, bb.recorded_free, "{ctx}: block free count");
            assert_eq!(ib.computed_free, ib.recorded_free, "{ctx}: inode free count");
            assert!(fs.bitmap_problems(&bb).is_empty() && fs.bitmap_problems(&ib).is_empty(), "{ctx}");
            compared += 1;
        }
    }
    println!("bitmaps: {compared} groups' free ranges equal to dumpe2fs");
}

#[test]
fn fingerprint_identifies_the_image_state() {
    let img = load_image("default-1k");
    let a = Fs::open(Box::new(img.clone())).expect("open").fingerprint();
    let b = Fs::open(Box::new(img.clone())).expect("open").fingerprint();
    assert_eq!(a, b);
    assert_eq!(a.len(), 16);
    let other = Fs::open(Box::new(load_image("bs4k"))).expect("open").fingerprint();
    assert_ne!(a, other);
    // The same file system after a write (mount count bumped) is another state.
    let mut changed = img;
    changed[1024 + 0x34] ^= 1; // s_mnt_count
    assert_ne!(a, Fs::open(Box::new(changed)).expect("open").fingerprint());
}
