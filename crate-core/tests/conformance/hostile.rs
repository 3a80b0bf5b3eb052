//! Hostile block maps: extent trees and indirect maps built by hand on top of a
//! real image (through an overlay), which must give problems, never panics,
//! hangs or unbounded work.

use std::rc::Rc;
use std::time::{Duration, Instant};

use ext4scope_core::filemap::{DataRun, FileMap, MapKind, MetaBlock, MetaKind, WalkItem};
use ext4scope_core::format::extent::{inode_seed, ENTRY_SIZE};
use ext4scope_core::format::inode::{Inode, EXTENTS_FL, I_BLOCK_OFFSET};
use ext4scope_core::{Fs, Overlay};

use crate::golden::load_image;

fn open(name: &str) -> Fs {
    Fs::open(Box::new(load_image(name))).expect("open fixture")
}

fn hdr(entries: u16, max: u16, depth: u16) -> Vec<u8> {
    let mut v = Vec::new();
    v.extend_from_slice(&0xF30Au16.to_le_bytes());
    v.extend_from_slice(&entries.to_le_bytes());
    v.extend_from_slice(&max.to_le_bytes());
    v.extend_from_slice(&depth.to_le_bytes());
    v.extend_from_slice(&0u32.to_le_bytes());
    v
}

fn idx(lblk: u32, leaf: u64) -> Vec<u8> {
    let mut v = Vec::new();
    v.extend_from_slice(&lblk.to_le_bytes());
    v.extend_from_slice(&(leaf as u32).to_le_bytes());
    v.extend_from_slice(&((leaf >> 32) as u16).to_le_bytes());
    v.extend_from_slice(&0u16.to_le_bytes());
    v
}

fn ext(lblk: u32, len: u16, start: u64) -> Vec<u8> {
    let mut v = Vec::new();
    v.extend_from_slice(&lblk.to_le_bytes());
    v.extend_from_slice(&len.to_le_bytes());
    v.extend_from_slice(&((start >> 32) as u16).to_le_bytes());
    v.extend_from_slice(&(start as u32).to_le_bytes());
    v
}

/// A test inode: inode 12 of the image made a regular file with `i_block`, flags and size replaced.
fn inode_with(fs: &Fs, i_block: &[u8], flags: u32, size: u64) -> Inode {
    let base = fs.inode(12).expect("inode 12");
    let mut bytes = base.bytes.clone();
    let mut ib = [0u8; 60];
    ib[..i_block.len().min(60)].copy_from_slice(&i_block[..i_block.len().min(60)]);
    bytes[I_BLOCK_OFFSET..I_BLOCK_OFFSET + 60].copy_from_slice(&ib);
    bytes[0x20..0x24].copy_from_slice(&flags.to_le_bytes());
    bytes[0..2].copy_from_slice(&0o100644u16.to_le_bytes());
    bytes[0x04..0x08].copy_from_slice(&(size as u32).to_le_bytes());
    bytes[0x6C..0x70].copy_from_slice(&((size >> 32) as u32).to_le_bytes());
    Inode::from_bytes(fs, 12, bytes, base.at)
}

/// A tree block: `parts` concatenated, zero-padded, with a valid extent tail
/// for `inode` when the file system has metadata_csum (`eh_max` read from the header).
fn tree_block(fs: &Fs, inode: &Inode, parts: &[Vec<u8>]) -> Vec<u8> {
    let mut b: Vec<u8> = parts.concat();
    b.resize(fs.block_size() as usize, 0);
    if fs.sb.has_metadata_csum() {
        let max = usize::from(u16::from_le_bytes([b[4], b[5]])).min((b.len() - 12) / 12);
        let tail = ENTRY_SIZE + ENTRY_SIZE * max;
        let c = ext4scope_core::checksum::crc32c(inode_seed(fs, inode), &b[..tail]);
        b[tail..tail + 4].copy_from_slice(&c.to_le_bytes());
    }
    b
}

fn with_blocks(fs: &Fs, blocks: Vec<(u64, Vec<u8>)>) -> Fs {
    let mut o = Overlay::new();
    for (n, b) in blocks {
        o.write(n, Rc::from(b));
    }
    fs.with_overlay(Rc::new(o)).expect("overlay")
}

fn messages(map: &FileMap) -> String {
    map.problems.iter().map(|p| format!("{}\n", p.message)).collect()
}

fn has(map: &FileMap, needle: &str) -> bool {
    map.problems.iter().any(|p| p.message.contains(needle))
}

fn map_in_time(fs: &Fs, inode: &Inode) -> FileMap {
    let t = Instant::now();
    let map = fs.file_map(inode);
    // Reading through the map must not panic either.
    let _ = fs.read_file_with_map(inode, &map, 0, 1 << 16);
    assert!(t.elapsed() < Duration::from_secs(10), "map took {:?}", t.elapsed());
    map
}

const A: u64 = 60_000;
const B: u64 = 60_001;
const C: u64 = 60_002;

#[test]
fn extent_depth_over_5_is_reported_and_not_followed() {
    let fs = open("extents");
    let root = [hdr(1, 4, 6), idx(0, A)].concat();
    let inode = inode_with(&fs, &root, EXTENTS_FL, 4096);
    let fs = with_blocks(&fs, vec![(A, tree_block(&fs, &inode, &[hdr(0, 84, 5)]))]);
    let map = map_in_time(&fs, &inode);
    assert_eq!(map.kind, MapKind::Extents);
    assert!(has(&map, "eh_depth is 6 (the most is 5)"), "{}", messages(&map));
    assert!(map.metadata.is_empty() && map.data.is_empty());
    let p = &map.problems[0];
    assert_eq!(p.at.inode, Some(12));
    assert!(p.structure.contains("inode 12 extent tree"));
}

#[test]
fn extent_index_pointing_at_itself_is_a_loop() {
    let fs = open("extents");
    let root = [hdr(1, 4, 2), idx(0, A)].concat();
    let inode = inode_with(&fs, &root, EXTENTS_FL, 100 * 1024);
    let a = tree_block(&fs, &inode, &[hdr(2, 84, 1), idx(0, A), idx(50, B)]);
    let b = tree_block(&fs, &inode, &[hdr(1, 84, 0), ext(50, 3, 1000)]);
    let fs = with_blocks(&fs, vec![(A, a), (B, b)]);
    let map = map_in_time(&fs, &inode);
    assert!(
        has(
            &map,
            "level 1 node at block 60000, entry 0: index points to block 60000, already part of this tree"
        ),
        "{}",
        messages(&map)
    );
    assert_eq!(map.data, [DataRun { logical: 50, physical: 1000, len: 3, unwritten: false }]);
    assert_eq!(
        map.metadata,
        [
            MetaBlock { kind: MetaKind::Etb, level: 0, block: A },
            MetaBlock { kind: MetaKind::Etb, level: 1, block: B }
        ]
    );
    assert_eq!(map.problems.len(), 1, "{}", messages(&map));
}

#[test]
fn extent_index_pointing_at_an_ancestor_is_a_loop() {
    let fs = open("extents");
    let root = [hdr(1, 4, 3), idx(0, A)].concat();
    let inode = inode_with(&fs, &root, EXTENTS_FL, 100 * 1024);
    let a = tree_block(&fs, &inode, &[hdr(1, 84, 2), idx(0, B)]);
    let b = tree_block(&fs, &inode, &[hdr(2, 84, 1), idx(0, A), idx(10, C)]);
    let c = tree_block(&fs, &inode, &[hdr(1, 84, 0), ext(10, 1, 2000)]);
    let fs = with_blocks(&fs, vec![(A, a), (B, b), (C, c)]);
    let map = map_in_time(&fs, &inode);
    assert!(
        has(&map, "block 60001, entry 0: index points to block 60000, already part of this tree"),
        "{}",
        messages(&map)
    );
    assert_eq!(map.lookup(10), Some((2000, false)));
    assert_eq!(map.metadata.len(), 3);
}

#[test]
fn extent_entries_over_max_are_reported_and_clamped() {
    let fs = open("extents");
    let root = [hdr(5, 4, 0), ext(0, 1, 100), ext(1, 1, 200), ext(2, 1, 300), ext(3, 1, 400)].concat();
    let inode = inode_with(&fs, &root, EXTENTS_FL, 8 * 1024);
    let map = map_in_time(&fs, &inode);
    assert!(has(&map, "eh_entries is 5, more than eh_max 4"), "{}", messages(&map));
    assert_eq!(map.data.len(), 4);
    // A tree block claiming 65535 entries and room for 65535.
    let root = [hdr(1, 4, 1), idx(0, A)].concat();
    let inode = inode_with(&fs, &root, EXTENTS_FL, 8 * 1024);
    let mut a = tree_block(&fs, &inode, &[hdr(0xFFFF, 0xFFFF, 0)]);
    for (i, chunk) in a[12..].chunks_exact_mut(12).enumerate() {
        chunk.copy_from_slice(&ext(i as u32, 1, 5000 + i as u64));
    }
    let fs = with_blocks(&fs, vec![(A, a)]);
    let map = map_in_time(&fs, &inode);
    assert!(has(&map, "eh_max is 65535, but the node has room for 84"), "{}", messages(&map));
    assert!(has(&map, "eh_entries is 65535"), "{}", messages(&map));
    assert!(map.data_blocks() <= 84);
}

#[test]
fn extent_zero_length_and_out_of_range_pointers() {
    let fs = open("extents");
    let n = fs.geo.blocks_count;
    let root = [hdr(3, 4, 0), ext(0, 0, 1000), ext(1, 4, n - 2), ext(10, 2, 3000)].concat();
    let inode = inode_with(&fs, &root, EXTENTS_FL, 20 * 1024);
    let map = map_in_time(&fs, &inode);
    assert!(has(&map, "root in the inode, entry 0: extent at logical 0 has length 0"), "{}", messages(&map));
    assert!(has(
        &map,
        &format!("entry 1: extent maps to blocks {}-{}, outside the file system", n - 2, n + 1)
    ));
    assert_eq!(map.data, [DataRun { logical: 10, physical: 3000, len: 2, unwritten: false }]);
    // An index past the end and one at block 0 are not followed.
    let root = [hdr(2, 4, 1), idx(0, n + 10), idx(5, 0)].concat();
    let inode = inode_with(&fs, &root, EXTENTS_FL, 20 * 1024);
    let map = map_in_time(&fs, &inode);
    assert!(
        has(&map, &format!("index points to block {}, outside the file system", n + 10)),
        "{}",
        messages(&map)
    );
    assert!(has(&map, "index points to block 0, outside the file system"), "{}", messages(&map));
    assert!(map.metadata.is_empty());
    // A 64-bit start that overflows.
    let root = [hdr(1, 4, 0), ext(0, 32767, u64::from(u32::MAX) << 16 | 0xFFFF_FFFF)].concat();
    let inode = inode_with(&fs, &root, EXTENTS_FL, 20 * 1024);
    let map = map_in_time(&fs, &inode);
    assert!(has(&map, "outside the file system"), "{}", messages(&map));
}

#[test]
fn extent_bad_magic_depth_mismatch_and_checksum() {
    let fs = open("extents");
    let root = [hdr(3, 4, 2), idx(0, A), idx(10, B), idx(20, C)].concat();
    let inode = inode_with(&fs, &root, EXTENTS_FL, 40 * 1024);
    let a = vec![0u8; 1024];
    let b = tree_block(&fs, &inode, &[hdr(1, 84, 0), ext(10, 1, 100)]);
    let mut c = tree_block(&fs, &inode, &[hdr(0, 84, 1)]);
    c[100] ^= 0xFF;
    let fs = with_blocks(&fs, vec![(A, a), (B, b), (C, c)]);
    let map = map_in_time(&fs, &inode);
    let m = messages(&map);
    assert!(has(&map, "level 1 node at block 60000: bad extent header magic 0x0000"), "{m}");
    assert!(has(&map, "level 1 node at block 60001: eh_depth is 0, but its parent implies 1"), "{m}");
    assert!(has(&map, "level 1 node at block 60002: extent block checksum does not match"), "{m}");
    assert_eq!(map.tree.nodes.len(), 4);
}

#[test]
fn extent_unsorted_overlapping_and_out_of_index_range() {
    let fs = open("extents");
    let root = [hdr(3, 4, 0), ext(10, 5, 1000), ext(12, 3, 2000), ext(5, 1, 3000)].concat();
    let inode = inode_with(&fs, &root, EXTENTS_FL, 40 * 1024);
    let map = map_in_time(&fs, &inode);
    assert!(
        has(&map, "entry 1: extent at logical 12 starts before the previous one ends (15)"),
        "{}",
        messages(&map)
    );
    assert!(
        has(&map, "entry 2: extent at logical 5 starts before the previous one ends"),
        "{}",
        messages(&map)
    );
    // The child's extent lies before its index key and past the next key.
    let root = [hdr(2, 4, 1), idx(10, A), idx(20, B)].concat();
    let inode = inode_with(&fs, &root, EXTENTS_FL, 40 * 1024);
    let a = tree_block(&fs, &inode, &[hdr(2, 84, 0), ext(5, 2, 100), ext(18, 4, 200)]);
    let b = tree_block(&fs, &inode, &[hdr(1, 84, 0), ext(20, 1, 300)]);
    let fs = with_blocks(&fs, vec![(A, a), (B, b)]);
    let map = map_in_time(&fs, &inode);
    assert!(
        has(&map, "entry 0: extent covers logical blocks 5-6, outside the range 10-19"),
        "{}",
        messages(&map)
    );
    assert!(
        has(&map, "entry 1: extent covers logical blocks 18-21, outside the range 10-19"),
        "{}",
        messages(&map)
    );
    // Unsorted index keys.
    let root = [hdr(2, 4, 1), idx(20, A), idx(10, B)].concat();
    let inode = inode_with(&fs, &root, EXTENTS_FL, 40 * 1024);
    let map = map_in_time(&fs, &inode);
    assert!(has(&map, "index key 10 is not above the previous key 20"), "{}", messages(&map));
    // eh_max of the root is not 4.
    let root = [hdr(1, 5, 0), ext(0, 1, 100)].concat();
    let inode = inode_with(&fs, &root, EXTENTS_FL, 4 * 1024);
    let map = map_in_time(&fs, &inode);
    assert!(has(&map, "eh_max is 5, but the node has room for 4"), "{}", messages(&map));
}

#[test]
fn extent_tree_of_depth_5_is_walked_in_order() {
    let fs = open("extents");
    let chain = [60_010u64, 60_011, 60_012, 60_013, 60_014];
    let root = [hdr(1, 4, 5), idx(0, chain[0])].concat();
    let inode = inode_with(&fs, &root, EXTENTS_FL, 64 * 1024);
    let mut blocks = Vec::new();
    for (i, &b) in chain.iter().enumerate() {
        let depth = 4 - i as u16;
        let part = if depth == 0 { ext(7, 32769, 4000) } else { idx(0, chain[i + 1]) };
        blocks.push((b, tree_block(&fs, &inode, &[hdr(1, 84, depth), part])));
    }
    let fs = with_blocks(&fs, blocks);
    let map = map_in_time(&fs, &inode);
    assert!(map.problems.is_empty(), "{}", messages(&map));
    let levels: Vec<(u32, u64)> = map.metadata.iter().map(|m| (m.level, m.block)).collect();
    assert_eq!(levels, [(0, 60_010), (1, 60_011), (2, 60_012), (3, 60_013), (4, 60_014)]);
    assert_eq!(map.data, [DataRun { logical: 7, physical: 4000, len: 1, unwritten: true }]);
    assert_eq!(map.walk().len(), 6);
    assert!(matches!(map.walk()[5], WalkItem::Data(_)));
    // Unwritten blocks read as zeros even though the block has data.
    let bytes = fs.read_file_with_map(&inode, &map, 7 * 1024, 1024).expect("read");
    assert!(bytes.iter().all(|&b| b == 0) && bytes.len() == 1024);
}

fn ind_block(fs: &Fs, words: &[(usize, u32)]) -> Vec<u8> {
    let mut b = vec![0u8; fs.block_size() as usize];
    for &(slot, w) in words {
        b[slot * 4..slot * 4 + 4].copy_from_slice(&w.to_le_bytes());
    }
    b
}

fn words(list: &[(usize, u32)]) -> Vec<u8> {
    let mut ib = vec![0u8; 60];
    for &(slot, w) in list {
        ib[slot * 4..slot * 4 + 4].copy_from_slice(&w.to_le_bytes());
    }
    ib
}

const I1: u32 = 7000;
const I2: u32 = 7001;
const I3: u32 = 7002;

#[test]
fn indirect_out_of_range_pointers_and_holes() {
    let fs = open("ext2");
    let n = fs.geo.blocks_count as u32;
    let ib = words(&[(1, 500), (3, 501), (4, 502), (12, I1), (13, n + 5)]);
    let inode = inode_with(&fs, &ib, 0, 300 * 1024);
    let fs = with_blocks(&fs, vec![(u64::from(I1), ind_block(&fs, &[(0, 600), (1, n), (7, 601)]))]);
    let map = map_in_time(&fs, &inode);
    assert_eq!(map.kind, MapKind::Indirect);
    let m = messages(&map);
    assert!(m.contains(&format!("slot 13 points to DIND block {}, outside the file system", n + 5)), "{m}");
    assert!(
        m.contains(&format!("slot 1 (logical block 13) points to block {n}, outside the file system")),
        "{m}"
    );
    assert_eq!(map.problems.len(), 2, "{m}");
    assert_eq!(
        map.data,
        [
            DataRun { logical: 1, physical: 500, len: 1, unwritten: false },
            DataRun { logical: 3, physical: 501, len: 2, unwritten: false },
            DataRun { logical: 12, physical: 600, len: 1, unwritten: false },
            DataRun { logical: 19, physical: 601, len: 1, unwritten: false },
        ]
    );
    assert_eq!(map.lookup(0), None);
    assert_eq!(map.lookup(2), None);
    assert_eq!(map.lookup(13), None);
    assert_eq!(map.metadata, [MetaBlock { kind: MetaKind::Ind, level: 0, block: u64::from(I1) }]);
}

#[test]
fn indirect_shared_and_self_referencing_blocks_are_read_once() {
    let fs = open("ext2");
    // A DIND whose 256 slots all point to the same IND, and a TIND pointing to itself.
    let ib = words(&[(13, I1), (14, I3)]);
    let inode = inode_with(&fs, &ib, 0, 1 << 30);
    let all: Vec<(usize, u32)> = (0..256).map(|s| (s, I2)).collect();
    let fs = with_blocks(
        &fs,
        vec![
            (u64::from(I1), ind_block(&fs, &all)),
            (u64::from(I2), ind_block(&fs, &[(0, 800)])),
            (u64::from(I3), ind_block(&fs, &[(0, I3), (1, I3)])),
        ],
    );
    let map = map_in_time(&fs, &inode);
    let m = messages(&map);
    assert_eq!(
        map.problems.iter().filter(|p| p.message.contains("already used by this map")).count(),
        255 + 2,
        "{m}"
    );
    assert_eq!(map.data, [DataRun { logical: 12 + 256, physical: 800, len: 1, unwritten: false }]);
    let kinds: Vec<MetaKind> = map.metadata.iter().map(|m| m.kind).collect();
    assert_eq!(kinds, [MetaKind::Dind, MetaKind::Ind, MetaKind::Tind]);
}

#[test]
fn indirect_walk_stops_after_as_many_pointers_as_blocks() {
    let fs = open("ext2");
    let n = fs.geo.blocks_count;
    // A DIND with 40 distinct IND blocks, each full of data pointers: 10240 > n.
    assert!(40 * 256 > n);
    let inds: Vec<u32> = (0..40).map(|i| 7100 + i).collect();
    let dind: Vec<(usize, u32)> = inds.iter().enumerate().map(|(s, &b)| (s, b)).collect();
    let full: Vec<(usize, u32)> = (0..256).map(|s| (s, 100)).collect();
    let mut blocks = vec![(u64::from(I1), ind_block(&fs, &dind))];
    for &b in &inds {
        blocks.push((u64::from(b), ind_block(&fs, &full)));
    }
    let inode = inode_with(&fs, &words(&[(13, I1)]), 0, 1 << 30);
    let fs = with_blocks(&fs, blocks);
    let map = map_in_time(&fs, &inode);
    assert!(has(&map, "more data pointers than the file system has blocks"), "{}", messages(&map));
    assert_eq!(map.data_blocks(), n);
}

#[test]
fn indirect_map_reaches_the_tind_limit() {
    let fs = open("ext2");
    // The last block a 1 KiB-block indirect map can address.
    let ib = words(&[(14, I1)]);
    let last = 12 + 256 + 256 * 256 + 256 * 256 * 256 - 1;
    let size = (last + 1) * 1024;
    let inode = inode_with(&fs, &ib, 0, size);
    let fs = with_blocks(
        &fs,
        vec![
            (u64::from(I1), ind_block(&fs, &[(255, I2)])),
            (u64::from(I2), ind_block(&fs, &[(255, I3)])),
            (u64::from(I3), ind_block(&fs, &[(255, 900)])),
            (900, vec![0xAB; 1024]),
        ],
    );
    let map = map_in_time(&fs, &inode);
    assert!(map.problems.is_empty(), "{}", messages(&map));
    assert_eq!(map.data, [DataRun { logical: last, physical: 900, len: 1, unwritten: false }]);
    let lv: Vec<(MetaKind, u32)> = map.metadata.iter().map(|m| (m.kind, m.level)).collect();
    assert_eq!(lv, [(MetaKind::Tind, 0), (MetaKind::Dind, 1), (MetaKind::Ind, 2)]);
    let tail = fs.read_file_with_map(&inode, &map, size - 2048, 4096).expect("read");
    assert_eq!(tail.len(), 2048);
    assert!(tail[..1024].iter().all(|&b| b == 0) && tail[1024..].iter().all(|&b| b == 0xAB));
}

/// xorshift64*: a small deterministic generator for the mutation test.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

#[test]
fn randomly_corrupted_maps_never_panic() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut problems = 0;
    let mut runs = 0;
    let t = Instant::now();
    for (name, ino) in [("extents", 15u32), ("extents", 14), ("ext3", 15), ("ext2", 24)] {
        let fs = open(name);
        let good = fs.inode(ino).expect("inode");
        let map = fs.file_map(&good);
        let meta: Vec<u64> = map.metadata.iter().map(|m| m.block).collect();
        for _ in 0..150 {
            // Corrupt a few bytes of i_block and of a few tree blocks.
            let mut bytes = good.bytes.clone();
            for _ in 0..(rng.next() % 4) {
                let i = I_BLOCK_OFFSET + (rng.next() % 60) as usize;
                bytes[i] = rng.next() as u8;
            }
            let inode = Inode::from_bytes(&fs, ino, bytes, good.at);
            let mut o = Overlay::new();
            for _ in 0..(rng.next() % 4) {
                if meta.is_empty() {
                    break;
                }
                let blk = meta[(rng.next() % meta.len() as u64) as usize];
                let mut data = fs.block(blk).expect("block").to_vec();
                for _ in 0..(1 + rng.next() % 8) {
                    let i = (rng.next() % data.len() as u64) as usize;
                    // Bias towards small numbers and self-references.
                    data[i] = match rng.next() % 3 {
                        0 => rng.next() as u8,
                        1 => 0,
                        _ => (blk >> (8 * (i % 4))) as u8,
                    };
                }
                o.write(blk, Rc::from(data));
            }
            let fs2 = fs.with_overlay(Rc::new(o)).expect("overlay");
            let map = map_in_time(&fs2, &inode);
            let _ = fs2.read_file_with_map(&inode, &map, inode.size().saturating_sub(4096), 8192);
            problems += map.problems.len();
            runs += 1;
        }
    }
    assert!(problems > 100, "only {problems} problems in {runs} corrupted maps");
    println!(
        "hostile: {runs} randomly corrupted maps walked in {:?}, {problems} problems, no panic",
        t.elapsed()
    );
}

#[test]
fn size_and_block_count_high_halves_follow_the_kernel() {
    // No large_dir, no huge_file on this image.
    let fs = open("ext2");
    let base = fs.inode(12).expect("inode 12");
    let mut bytes = base.bytes.clone();
    bytes[0..2].copy_from_slice(&0o120777u16.to_le_bytes()); // a symlink
    bytes[0x04..0x08].copy_from_slice(&62u32.to_le_bytes());
    bytes[0x6C..0x70].copy_from_slice(&1u32.to_le_bytes()); // i_size_high
    bytes[0x74..0x76].copy_from_slice(&1024u16.to_le_bytes()); // l_i_blocks_high
    let inode = Inode::from_bytes(&fs, 12, bytes.clone(), base.at);
    assert_eq!(inode.size(), 62);
    assert_eq!(inode.blocks_512(), u64::from(inode.raw.i_blocks_lo));
    let m: Vec<&str> = inode.problems.iter().map(|p| p.message.as_str()).collect();
    assert!(m.iter().any(|p| p.starts_with("i_size_high is 1 on a symlink without large_dir")), "{m:?}");
    assert!(m.iter().any(|p| p.starts_with("l_i_blocks_high is 1024 without huge_file")), "{m:?}");
    // A regular file uses i_size_high.
    bytes[0..2].copy_from_slice(&0o100644u16.to_le_bytes());
    let inode = Inode::from_bytes(&fs, 12, bytes, base.at);
    assert_eq!(inode.size(), (1 << 32) + 62);
}

#[test]
fn inline_data_with_a_corrupt_system_data_entry() {
    let fs = open("inline");
    // Inode 15: 100 bytes, 60 in i_block and 40 in system.data.
    let good = fs.inode(15).expect("inode 15");
    assert_eq!(fs.file_map(&good).problems, []);
    let area = good.xattr_area_offset() + 4;
    // The value offset points past the in-inode area.
    let mut bytes = good.bytes.clone();
    bytes[area + 2..area + 4].copy_from_slice(&0xFFF0u16.to_le_bytes());
    let inode = Inode::from_bytes(&fs, 15, bytes, good.at);
    let map = map_in_time(&fs, &inode);
    assert_eq!(map.kind, MapKind::Inline);
    assert!(
        has(&map, "system.data value (40 bytes at offset 65520) runs past the xattr area"),
        "{}",
        messages(&map)
    );
    assert!(
        has(&map, "i_size is 100 but the inode holds only 60 bytes of inline data"),
        "{}",
        messages(&map)
    );
    // What is there still reads: 60 bytes from i_block, zeros after.
    let data = fs.read_file_with_map(&inode, &map, 0, 1000).expect("read");
    assert_eq!(data.len(), 100);
    assert_eq!(&data[..60], &good.i_block()[..60]);
    assert!(data[60..].iter().all(|&b| b == 0));
    // A name length running past the area, and no magic at all.
    let mut bytes = good.bytes.clone();
    bytes[area] = 0xFF;
    let map = map_in_time(&fs, &Inode::from_bytes(&fs, 15, bytes, good.at));
    assert!(has(&map, "has a name past the area"), "{}", messages(&map));
    let mut bytes = good.bytes.clone();
    bytes[area - 4..area].copy_from_slice(&[0; 4]);
    let map = map_in_time(&fs, &Inode::from_bytes(&fs, 15, bytes, good.at));
    assert!(has(&map, "INLINE_DATA_FL is set but there is no system.data attribute"), "{}", messages(&map));
}

#[test]
fn inode_record_problems() {
    let fs = open("extents");
    let good = fs.inode(12).expect("inode 12");
    assert!(good.problems.is_empty());
    let mut bytes = good.bytes.clone();
    bytes[0x80..0x82].copy_from_slice(&200u16.to_le_bytes()); // i_extra_isize past the record
    let inode = Inode::from_bytes(&fs, 12, bytes, good.at);
    let m: Vec<&str> = inode.problems.iter().map(|p| p.message.as_str()).collect();
    assert!(
        m.iter().any(|p| p.contains("i_extra_isize is 200, but the record has only 128 bytes past 128")),
        "{m:?}"
    );
    assert!(m.iter().any(|p| p.starts_with("inode checksum does not match")), "{m:?}");
    assert_eq!(inode.extra_isize(), 128);
    // A record shorter than 128 bytes (hostile input to from_bytes) decodes without panicking.
    let inode = Inode::from_bytes(&fs, 12, good.bytes[..40].to_vec(), good.at);
    assert_eq!(inode.size(), 22);
    let _ = fs.file_map(&inode);
    assert!(inode.crtime().is_none() && inode.xattr_area().is_empty());
    // Numbers outside the table are errors, not panics.
    assert!(fs.inode(0).is_err());
    assert!(fs.inode(fs.sb.s_inodes_count + 1).is_err());
    assert!(fs.inode(u32::MAX).is_err());
    assert!(fs.inode_in_use(0).is_err());
    assert!(fs.inode_report(u32::MAX).is_err());
}
