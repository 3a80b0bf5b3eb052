//! Regression tests for what the fuzzers (`fuzz/`) found, one per problem and
//! named after it. Each builds the hostile bytes by patching a fixture image,
//! so the test says what was wrong; the minimized fuzzer inputs are kept in
//! `fuzz/regressions/<target>/` and replayed by `cargo test` in `fuzz/`.

mod golden;

use ext4scope_core::{Error, Fs};
use golden::load_image;

/// Write `bytes` at `offset` of the primary superblock.
fn patch_sb(img: &mut [u8], offset: usize, bytes: &[u8]) {
    img[1024 + offset..1024 + offset + bytes.len()].copy_from_slice(bytes);
}

fn open_err(img: Vec<u8>) -> String {
    match Fs::open(Box::new(img)) {
        Ok(fs) => panic!("opened with geometry {:?}", fs.geo),
        Err(e @ Error::Corrupt { .. }) => e.to_string(),
        Err(e) => panic!("expected a corrupt superblock, got {e}"),
    }
}

/// s_inodes_per_group far beyond what one bitmap block holds was accepted; an
/// `INODE_UNINIT` group then computed a bitmap of `ipg / 8` bytes (512 MiB for
/// 0xFFFFFFF0), and every inode number mapped far past the inode table.
#[test]
fn regression_inodes_per_group_beyond_one_bitmap() {
    let mut img = load_image("default-1k");
    patch_sb(&mut img, 0x28, &0xFFFF_FFF0u32.to_le_bytes());
    let e = open_err(img);
    assert!(e.contains("s_inodes_per_group is 4294967280"), "{e}");

    // The largest legal value still opens.
    let mut img = load_image("default-1k");
    patch_sb(&mut img, 0x28, &8192u32.to_le_bytes());
    Fs::open(Box::new(img)).expect("8 * block size inodes per group is legal");
}

/// Without bigalloc, s_blocks_per_group up to 16 bitmap blocks' worth was
/// accepted (the bound meant for bigalloc clusters), so an uninit block bitmap
/// came out 16 blocks long.
#[test]
fn regression_blocks_per_group_beyond_one_bitmap_without_bigalloc() {
    let mut img = load_image("default-1k");
    patch_sb(&mut img, 0x20, &(8 * 1024 * 16u32).to_le_bytes());
    let e = open_err(img);
    assert!(e.contains("s_blocks_per_group is 131072 (131072 clusters)"), "{e}");
}

/// Inode 12 of the ext2 fixture with its `i_block` replaced, the given blocks
/// written through an overlay.
fn ext2_with_map(
    i_block: [u32; 15],
    blocks: Vec<(u64, Vec<u8>)>,
) -> (Fs, ext4scope_core::format::inode::Inode) {
    use ext4scope_core::format::inode::I_BLOCK_OFFSET;
    use ext4scope_core::Overlay;
    use std::rc::Rc;
    let fs = Fs::open(Box::new(load_image("ext2"))).unwrap();
    let (blk, off) = fs.inode_location(12).unwrap();
    let mut table = fs.block(blk).unwrap().to_vec();
    for (i, w) in i_block.iter().enumerate() {
        let at = off + I_BLOCK_OFFSET + 4 * i;
        table[at..at + 4].copy_from_slice(&w.to_le_bytes());
    }
    let mut ov = Overlay::new();
    ov.write(blk, Rc::from(table));
    for (b, data) in blocks {
        ov.write(b, Rc::from(data));
    }
    let fs = fs.with_overlay(Rc::new(ov)).unwrap();
    let inode = fs.inode(12).unwrap();
    (fs, inode)
}

/// A TIND block pointing to 256 DIND blocks whose every slot is out of range
/// gave one problem per slot: 65,536 problems (and their strings) from 257
/// blocks, about 1,000 times the memory of the blocks read. Now pointers to
/// indirect blocks are budgeted like data pointers (no more than the file
/// system has blocks: 8192 here), and a map lists at most `MAX_MAP_PROBLEMS`
/// problems, then counts the rest.
#[test]
fn regression_indirect_map_problem_flood() {
    use ext4scope_core::filemap::MAX_MAP_PROBLEMS;
    let tind = 4000u64;
    let dinds: Vec<u64> = (0..256).map(|i| 4001 + i).collect();
    let mut blocks = vec![(tind, dinds.iter().flat_map(|&b| (b as u32).to_le_bytes()).collect())];
    for &b in &dinds {
        blocks.push((b, vec![0xFF; 1024]));
    }
    let mut i_block = [0u32; 15];
    i_block[14] = tind as u32;
    let (fs, inode) = ext2_with_map(i_block, blocks);
    assert_eq!(fs.geo.blocks_count, 8192);
    let map = fs.file_map(&inode);
    // 8192 pointers to indirect blocks: the TIND, then 31 DINDs with their 256
    // slots each (31 * 257), the 32nd DIND and 223 of its slots.
    assert_eq!(map.metadata.len(), 1 + 32);
    let problems = 31 * 256 + 223 + 1;
    assert_eq!(map.problems.len(), MAX_MAP_PROBLEMS + 1);
    let last = &map.problems.last().unwrap().message;
    assert_eq!(last, &format!("{} more problems in this map are not listed", problems - MAX_MAP_PROBLEMS));
    assert!(map.problems[0].message.contains("outside the file system"), "{:?}", map.problems[0]);
}

/// With bigalloc, `owner_of` names the owners of the whole cluster, so when no
/// owner contains the block `decode_block` fell back to one that starts after
/// it, and `blk - first_block` underflowed (a panic with overflow checks, a
/// huge inode number without). Here group 0's inode table is moved to one block
/// into a cluster of the data area, so the cluster's first block has only that
/// cluster-mate.
#[test]
fn regression_decode_block_before_its_cluster_mate() {
    let mut img = load_image("bigalloc");
    let fs = Fs::open(Box::new(img.clone())).unwrap();
    let ratio = u64::from(fs.geo.cluster_ratio);
    assert!(ratio > 1);
    let cluster = fs.geo.blocks_count / 2 / ratio * ratio;
    let desc = fs.group(0).expect("group").at.byte.unwrap() as usize;
    img[desc + 0x08..desc + 0x0C].copy_from_slice(&((cluster + 1) as u32).to_le_bytes());
    let fs = Fs::open(Box::new(img)).unwrap();
    assert_eq!(fs.group(0).expect("group").inode_table, cluster + 1);
    let d = fs.decode_block(cluster, None).unwrap();
    assert!(d.what.contains("in the same cluster as the"), "{d:?}");
    assert!(d.structures.is_empty(), "{d:?}");
    // The table's own blocks still decode as inodes.
    let d = fs.decode_block(cluster + 1, None).unwrap();
    assert!(d.structures.first().is_some_and(|s| s.name == "inode 1"), "{:?}", d.what);
}

/// `s_kbytes_written` near 2^64 overflowed the rounding addition of the
/// "Lifetime writes" line (a panic with overflow checks). dumpe2fs adds in
/// wrapping 64-bit arithmetic; so does the summary now.
#[test]
fn regression_lifetime_writes_near_u64_max() {
    let mut img = load_image("default-1k");
    patch_sb(&mut img, 0x178, &0xFFFF_FFFF_FFFF_FF00u64.to_le_bytes());
    let fs = Fs::open(Box::new(img)).unwrap();
    let s = fs.summary();
    let line = s.iter().find(|(k, _)| k == "Lifetime writes").map(|(_, v)| v.as_str());
    // (2^64 - 256 + 2^39) mod 2^64 = 2^39 - 256, >> 40 = 0.
    assert_eq!(line, Some("0 PB"));
    let _ = fs.info();
}
