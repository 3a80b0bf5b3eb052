//! Block ownership against the real tools: debugfs `icheck` and `blocks` on the
//! fixture images, dumpe2fs free counts, e2fsck on hand-corrupted images, and the
//! e2fsprogs test suite's multiply-claimed block lists.

mod golden;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use ext4scope_core::ownership::{OwnerKind, OwnershipMap, Phase, ScanReport, Scanner};
use ext4scope_core::{Fs, Severity};
use golden::*;

fn open(bytes: Vec<u8>) -> Fs {
    Fs::open(Box::new(bytes)).expect("open image")
}

fn scan(fs: &Fs) -> (OwnershipMap, ScanReport) {
    fs.scan(&mut |_| true).expect("scan not cancelled")
}

/// The metadata kinds a debugfs icheck category names.
fn category_kinds(category: &str) -> Option<&'static [OwnerKind]> {
    use OwnerKind::*;
    let c = category.trim_start_matches('#').trim();
    Some(match c {
        _ if c.starts_with("superblocks") => &[Superblock],
        _ if c.starts_with("group descriptor") => &[GroupDescriptors],
        _ if c.starts_with("reserved GDT") => &[ReservedGdt],
        _ if c.starts_with("block bitmaps") => &[BlockBitmap],
        _ if c.starts_with("inode bitmaps") => &[InodeBitmap],
        _ if c.starts_with("inode table") => &[InodeTable],
        _ if c.starts_with("journal") => &[Journal],
        _ if c.starts_with("xattr") => &[Xattr],
        // The resize inode's IND blocks are the primary reserved GDT blocks.
        _ if c.starts_with("indirect") => &[Ind, Dind, Tind, ReservedGdt],
        _ if c.starts_with("extent tree") => &[ExtentTree],
        _ if c.starts_with("directory data") => &[DirData],
        _ if c.starts_with("file data") => &[FileData],
        _ if c.starts_with("free blocks") || c.starts_with("last block") => &[],
        _ => return None,
    })
}

/// (category, block, debugfs's inode or None for `<block not found>`).
fn icheck_lines(text: &str) -> Vec<(String, u64, Option<u32>)> {
    let mut out = Vec::new();
    let mut cat = String::new();
    for line in text.lines() {
        if line.starts_with('#') {
            cat = line.to_string();
            continue;
        }
        let mut parts = line.split('\t');
        let (Some(b), Some(i)) = (parts.next(), parts.next()) else { continue };
        let Ok(b) = b.trim().parse::<u64>() else { continue };
        let ino = if i.contains("not found") { None } else { Some(i.trim().parse().expect("inode number")) };
        out.push((cat.clone(), b, ino));
    }
    out
}

#[test]
fn owner_agrees_with_debugfs_icheck_on_every_fixture() {
    let mut checked = 0;
    for name in fixture_names() {
        let fs = open(load_image(&name));
        let (map, _) = scan(&fs);
        let lines = icheck_lines(&golden(&name, "icheck.txt"));
        assert!(lines.len() >= 20, "{name}: too few icheck lines");
        for (cat, block, ino) in lines {
            let kinds = category_kinds(&cat).unwrap_or_else(|| panic!("{name}: unknown category {cat:?}"));
            let r = fs.owner_of(block, Some(&map)).expect("owner_of");
            let ctx = format!("{name}: block {block} ({cat}): debugfs says {ino:?}, we say {:#?}", r.owners);
            match ino {
                Some(i) => assert!(r.owners.iter().any(|o| o.inode == Some(i)), "{ctx}"),
                None => assert!(
                    r.owners.iter().all(|o| o.kind.is_layout()),
                    "{ctx}: debugfs finds no inode, we name a non-metadata owner"
                ),
            }
            if kinds.is_empty() {
                assert!(r.owners.is_empty(), "{ctx}: should be free");
                assert_eq!(r.bitmap_says_used, Some(false), "{ctx}");
            } else {
                assert!(r.owners.iter().any(|o| kinds.contains(&o.kind)), "{ctx}: expected one of {kinds:?}");
                assert_eq!(r.bitmap_says_used, Some(true), "{ctx}");
            }
            assert!(!r.multiply_claimed, "{ctx}");
            assert!(r.scan_complete);
            checked += 1;
        }
    }
    println!("icheck: {checked} blocks agree");
}

#[test]
fn layout_owners_need_no_scan() {
    for name in fixture_names() {
        let fs = open(load_image(&name));
        for (cat, block, _) in icheck_lines(&golden(&name, "icheck.txt")) {
            let Some(kinds) = category_kinds(&cat) else { continue };
            if kinds.is_empty() || !kinds.iter().all(|k| k.is_layout()) {
                continue;
            }
            let r = fs.owner_of(block, None).expect("owner_of");
            assert!(!r.scan_complete);
            assert!(
                r.owners.iter().any(|o| kinds.contains(&o.kind)),
                "{name}: block {block} ({cat}) without a scan: {:?}",
                r.owners
            );
        }
    }
}

/// Every in-use inode's `blocks <N>` list, for inodes whose list names real blocks
/// (not fast symlinks, devices, fifos, sockets or inline data).
fn inode_blocks(text: &str) -> Vec<(u32, Vec<u64>)> {
    let mut out = Vec::new();
    let mut skip = false;
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        if line.starts_with("debugfs: stat <") {
            skip = false;
        } else if let Some(rest) = line.strip_prefix("Inode: ") {
            let special = ["character special", "block special", "FIFO", "socket"];
            skip |= special.iter().any(|t| rest.contains(&format!("Type: {t}")));
            let flags =
                rest.split("Flags: 0x").nth(1).map(|f| u32::from_str_radix(f.trim(), 16).expect("flags"));
            skip |= flags.is_some_and(|f| f & 0x1000_0000 != 0);
        } else if line.starts_with("Fast link dest") {
            skip = true;
        } else if let Some(n) = line.strip_prefix("debugfs: blocks <") {
            let ino: u32 = n.trim_end_matches('>').parse().expect("inode");
            let list = lines.peek().copied().unwrap_or("");
            if list.starts_with("debugfs:") || skip {
                continue;
            }
            let blocks: Vec<u64> = list.split_whitespace().map(|b| b.parse().expect("block")).collect();
            out.push((ino, blocks));
        }
    }
    out
}

#[test]
fn every_block_debugfs_lists_for_an_inode_is_owned_by_it() {
    let mut checked = 0u64;
    for name in fixture_names() {
        let fs = open(load_image(&name));
        let (map, _) = scan(&fs);
        let list = inode_blocks(&golden(&name, "inodes.txt"));
        assert!(list.len() > 5, "{name}: too few inodes");
        for (ino, blocks) in list {
            for b in blocks {
                let r = fs.owner_of(b, Some(&map)).expect("owner_of");
                assert!(
                    r.owners.iter().any(|o| o.inode == Some(ino)),
                    "{name}: debugfs lists block {b} for inode {ino}; we say {:#?}",
                    r.owners
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 1000);
    println!("blocks: {checked} inode blocks owned as debugfs says");
}

#[test]
fn scan_of_every_fixture_is_clean_and_owned_equals_used() {
    for name in fixture_names() {
        let fs = open(load_image(&name));
        let (map, r) = scan(&fs);
        assert!(r.complete && map.is_complete(), "{name}");
        assert_eq!(r.multiply_claimed_blocks, 0, "{name}: {:#?}", r.multiply_claimed);
        assert!(r.bitmap_differences.is_empty(), "{name}: {:#?}", r.bitmap_differences);
        assert!(r.free_count_differences.is_empty(), "{name}: {:#?}", r.free_count_differences);
        assert!(r.checksum_failures.is_empty(), "{name}: {:#?}", r.checksum_failures);
        let errors: Vec<_> = r.problems.iter().filter(|p| p.severity >= Severity::Warning).collect();
        assert!(errors.is_empty(), "{name}: {errors:#?}");
        let header = dumpe2fs_header(&golden(&name, "dumpe2fs-h.txt"));
        let get = |k: &str| -> u64 {
            header.iter().find(|(hk, _)| hk == k).map(|(_, v)| v.parse().expect(k)).expect(k)
        };
        let used = get("Block count") - get("Free blocks");
        assert_eq!(r.owned_blocks, used, "{name}: owned blocks vs blocks_count - free (dumpe2fs)");
        let in_use_inodes = get("Inode count") - get("Free inodes");
        assert_eq!(r.inodes_scanned, in_use_inodes, "{name}: in-use inodes");
        // Kinds every file system has.
        for k in [OwnerKind::Superblock, OwnerKind::BlockBitmap, OwnerKind::InodeTable, OwnerKind::DirData] {
            assert!(r.blocks_by_kind.iter().any(|c| c.kind == k), "{name}: no {k:?}");
        }
        // The per-kind sum equals the owned total on a clean file system (no block
        // claimed twice), up to bigalloc clusters shared by metadata.
        let sum: u64 = r.blocks_by_kind.iter().map(|c| c.blocks).sum();
        if r.cluster_ratio == 1 {
            assert_eq!(sum, r.owned_blocks, "{name}: blocks by kind");
        }
        // The whole-disk summary is bounded and adds up.
        let s = map.summary(0, map.blocks_count(), 500);
        assert!(s.buckets.len() <= 500 && !s.buckets.is_empty());
        let used_sum: u64 = s.buckets.iter().map(|b| b.used).sum();
        assert_eq!(used_sum, r.owned_blocks, "{name}: summary used");
        let runs = map.kind_runs(0, map.blocks_count(), usize::MAX);
        assert_eq!(
            runs.iter().map(|r| r.len).sum::<u64>(),
            map.blocks_count(),
            "{name}: runs cover the disk"
        );
    }
}

#[test]
fn stepping_with_small_budgets_gives_the_same_report() {
    for name in ["ext3", "extents", "bigalloc"] {
        let fs = open(load_image(name));
        let (_, full) = scan(&fs);
        let mut s = Scanner::new(&fs);
        let mut steps = 0;
        let mut last = 0;
        while !s.step(&fs, 7).expect("same fs") {
            let p = s.progress();
            assert!(p.permille >= last && p.permille <= 1000, "{name}: progress goes forward");
            last = p.permille;
            steps += 1;
            assert!(steps < 1_000_000);
            // Layout metadata is known from the first step on.
            let r = fs.owner_of(fs.group(0).expect("group").block_bitmap, Some(s.map())).expect("owner_of");
            assert!(r.owners.iter().any(|o| o.kind == OwnerKind::BlockBitmap));
        }
        assert!(steps >= 3, "{name}: {steps} steps");
        assert_eq!(s.progress().phase, Phase::Done);
        let mut r = s.report(&fs);
        r.io = full.io;
        assert_eq!(r, full, "{name}");
    }
}

#[test]
fn cancel_stops_and_resume_finishes() {
    let fs = open(load_image("extents"));
    let mut calls = 0;
    let mut first = None;
    let r = fs.scan(&mut |p| {
        calls += 1;
        first = Some(p);
        false
    });
    assert_eq!(calls, 1);
    let first = first.expect("progress was reported");
    assert!(first.phase != Phase::Done && first.permille < 1000, "{first:?}");
    assert!(r.is_none(), "cancelled before the end: no result");
    let mut s = Scanner::new(&fs);
    assert!(!s.run(&fs, &mut |_| false) || s.is_done());
    assert!(s.run(&fs, &mut |_| true));
    assert!(s.is_done() && s.map().is_complete());
    let other = open(load_image("ext2"));
    assert!(Scanner::new(&fs).step(&other, 10).is_err(), "a scanner refuses another file system");
}

// ---------------------------------------------------------------------------
// Hand-corrupted images
// ---------------------------------------------------------------------------

fn le32(b: &[u8], o: usize) -> u32 {
    u32::from_le_bytes(b[o..o + 4].try_into().expect("4 bytes"))
}

/// Byte offset of inode `ino`'s record in the image.
fn inode_offset(fs: &Fs, ino: u32) -> usize {
    let (blk, off) = fs.inode_location(ino).expect("inode location");
    blk as usize * fs.block_size() as usize + off
}

/// Rewrite inode `ino`'s checksum after an edit.
fn fix_inode_checksum(img: &mut [u8], fs: &Fs, ino: u32) {
    use ext4scope_core::format::inode::{inode_checksum, CHECKSUM_HI_OFFSET, CHECKSUM_LO_OFFSET};
    let at = inode_offset(fs, ino);
    let isz = fs.geo.inode_size as usize;
    let c = inode_checksum(fs, ino, &img[at..at + isz]);
    img[at + CHECKSUM_LO_OFFSET..at + CHECKSUM_LO_OFFSET + 2]
        .copy_from_slice(&(c.computed as u16).to_le_bytes());
    if isz > 128 && c.computed > 0xFFFF || c.stored > 0xFFFF {
        img[at + CHECKSUM_HI_OFFSET..at + CHECKSUM_HI_OFFSET + 2]
            .copy_from_slice(&((c.computed >> 16) as u16).to_le_bytes());
    }
}

/// Two regular files with data: (inode, its first physical block, its block count).
fn two_files(fs: &Fs, map: &OwnershipMap) -> ((u32, u64), (u32, u64)) {
    let mut found: Vec<(u32, u64)> = Vec::new();
    let runs = map.kind_runs(0, map.blocks_count(), usize::MAX);
    for r in runs.iter().filter(|r| r.kind == OwnerKind::FileData) {
        let o = fs.owner_of(r.start, Some(map)).expect("owner_of");
        let Some(ino) = o.owners.iter().find(|o| o.kind == OwnerKind::FileData).and_then(|o| o.inode) else {
            continue;
        };
        let inode = fs.inode(ino).expect("inode");
        let fm = fs.file_map(&inode);
        // A file whose first data run starts at logical 0 and holds its first block.
        let first_run = fm.data.first().is_some_and(|d| d.logical == 0 && d.physical == r.start);
        if ino > 11 && first_run && !found.iter().any(|f| f.0 == ino) {
            found.push((ino, r.start));
        }
        if found.len() == 2 {
            break;
        }
    }
    assert_eq!(found.len(), 2, "two files with data");
    (found[0], found[1])
}

/// e2fsck -fn on `img`: (exit code, output), or None when e2fsck is not installed.
fn e2fsck(img: &[u8], tag: &str) -> Option<(i32, String)> {
    let path = std::env::temp_dir().join(format!("ext4scope-own-{tag}-{}.img", std::process::id()));
    std::fs::write(&path, img).expect("write temp image");
    let out = std::process::Command::new("e2fsck").arg("-fn").arg(&path).output();
    let _ = std::fs::remove_file(&path);
    let out = out.ok()?;
    let text = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    Some((out.status.code().unwrap_or(-1), text))
}

/// "Multiply-claimed block(s) in inode N: 25--26 57" → {N: {25, 26, 57}}.
fn e2fsck_dups(text: &str) -> BTreeMap<u32, BTreeSet<u64>> {
    let mut m: BTreeMap<u32, BTreeSet<u64>> = BTreeMap::new();
    for line in text.lines() {
        let Some(rest) = line.strip_prefix("Multiply-claimed block(s) in inode ") else { continue };
        let (ino, list) = rest.split_once(':').expect("colon");
        let set = m.entry(ino.trim().parse().expect("inode")).or_default();
        for item in list.split_whitespace() {
            match item.split_once("--") {
                Some((a, b)) => set.extend(a.parse::<u64>().expect("a")..=b.parse::<u64>().expect("b")),
                None => {
                    set.insert(item.parse().expect("block"));
                }
            }
        }
    }
    m
}

/// Our multiply-claimed blocks per inode.
fn our_dups(r: &ScanReport) -> BTreeMap<u32, BTreeSet<u64>> {
    let mut m: BTreeMap<u32, BTreeSet<u64>> = BTreeMap::new();
    for d in &r.multiply_claimed {
        for o in &d.owners {
            if let Some(i) = o.inode {
                m.entry(i).or_default().extend(o.first_block..o.first_block + o.blocks);
            }
        }
    }
    m
}

/// `img` with inode `a`'s first data block pointed at `target` (one block long).
fn point_first_block(img: &[u8], fs: &Fs, a: u32, target: u64, fix_checksum: bool) -> Vec<u8> {
    let mut bad = img.to_vec();
    let at = inode_offset(fs, a) + 0x28;
    if le32(&bad, at) & 0xFFFF == 0xF30A {
        // Extent header, then the first extent: ee_block, ee_len, ee_start_hi, ee_start_lo.
        assert_eq!(u16::from_le_bytes([bad[at + 6], bad[at + 7]]), 0, "inode {a} is a leaf in i_block");
        bad[at + 12 + 4..at + 12 + 6].copy_from_slice(&1u16.to_le_bytes());
        bad[at + 12 + 6..at + 12 + 8].copy_from_slice(&((target >> 32) as u16).to_le_bytes());
        bad[at + 12 + 8..at + 12 + 12].copy_from_slice(&(target as u32).to_le_bytes());
    } else {
        // Block map: i_block[0] is the first data block.
        bad[at..at + 4].copy_from_slice(&(target as u32).to_le_bytes());
    }
    if fix_checksum {
        fix_inode_checksum(&mut bad, fs, a);
    }
    bad
}

fn corrupt_extent_start(fixture: &str, fix_checksum: bool) {
    let img = load_image(fixture);
    let fs = open(img.clone());
    let (map, _) = scan(&fs);
    let ((a, _pa), (b, pb)) = two_files(&fs, &map);
    let bad = point_first_block(&img, &fs, a, pb, fix_checksum);
    let fs2 = open(bad.clone());
    let (map2, r) = scan(&fs2);
    let ctx = format!("{fixture} (inode {a} now points at inode {b}'s block {pb})");
    assert!(r.multiply_claimed_blocks >= 1, "{ctx}: {r:#?}");
    let d = r.multiply_claimed.iter().find(|d| d.start <= pb && pb < d.start + d.len).expect("range with pb");
    let inodes: BTreeSet<u32> = d.owners.iter().filter_map(|o| o.inode).collect();
    assert!(inodes.contains(&a) && inodes.contains(&b), "{ctx}: owners {:#?}", d.owners);
    assert_eq!(d.severity, Severity::Error);
    let o = fs2.owner_of(pb, Some(&map2)).expect("owner_of");
    assert!(o.multiply_claimed, "{ctx}");
    assert!(o.owners.iter().any(|x| x.inode == Some(a)) && o.owners.iter().any(|x| x.inode == Some(b)));
    // A's old first block is now marked in the bitmap but owned by nobody.
    assert!(!r.bitmap_differences.is_empty(), "{ctx}");
    let csum_failed = r.checksum_failures.iter().any(|c| c.structure == format!("inode {a}"));
    assert_eq!(csum_failed, !fix_checksum && fs.sb.has_metadata_csum(), "{ctx}: {:#?}", r.checksum_failures);
    // The oracle: e2fsck finds the same multiply-claimed blocks (pass 1B).
    if fix_checksum || !fs.sb.has_metadata_csum() {
        if let Some((code, text)) = e2fsck(&bad, fixture) {
            assert_ne!(code, 0, "{ctx}: e2fsck finds nothing:\n{text}");
            assert!(text.contains("Pass 1B"), "{ctx}: e2fsck:\n{text}");
            let theirs = e2fsck_dups(&text);
            let ours = our_dups(&r);
            assert_eq!(ours, theirs, "{ctx}: e2fsck:\n{text}");
        }
    }
}

#[test]
fn extent_pointed_at_another_files_block_is_multiply_claimed_checksum_fixed() {
    corrupt_extent_start("bs4k", true);
}

#[test]
fn extent_pointed_at_another_files_block_is_multiply_claimed_checksum_left_bad() {
    corrupt_extent_start("bs4k", false);
}

#[test]
fn block_map_pointed_at_another_files_block_is_multiply_claimed() {
    corrupt_extent_start("ext2", false);
}

#[test]
fn extent_pointed_at_an_inode_table_names_the_group_and_block() {
    // 4k-flex: 8 groups in flex groups of 4, so inode tables lie back to back.
    let img = load_image("4k-flex");
    let fs = open(img.clone());
    let (map, _) = scan(&fs);
    let ((a, _), _) = two_files(&fs, &map);
    let target = fs.group(2).expect("group").inode_table + 5;
    let bad = point_first_block(&img, &fs, a, target, true);
    let fs2 = open(bad.clone());
    let (_, r) = scan(&fs2);
    let d =
        r.multiply_claimed.iter().find(|d| d.start <= target && target < d.start + d.len).expect("dup range");
    let it = d.owners.iter().find(|o| o.kind == OwnerKind::InodeTable).expect("inode table owner");
    assert_eq!((it.group, it.logical), (Some(2), Some(5)), "{it:#?}");
    assert!(it.detail.contains("group 2"), "{}", it.detail);
    assert!(d.owners.iter().any(|o| o.inode == Some(a) && o.kind == OwnerKind::FileData));
    if let Some((code, text)) = e2fsck(&bad, "itable") {
        assert_ne!(code, 0);
        assert_eq!(our_dups(&r), e2fsck_dups(&text), "e2fsck:\n{text}");
    }
}

#[test]
fn extent_block_checksum_failure_is_reported() {
    // Change an unused entry slot of an extent tree block: the tree still reads
    // the same, only the block's checksum no longer matches.
    let img = load_image("extents");
    let fs = open(img.clone());
    let (map, _) = scan(&fs);
    let bs = fs.block_size() as usize;
    let header = |b: u64| {
        let at = b as usize * bs;
        (
            u16::from_le_bytes([img[at + 2], img[at + 3]]) as usize,
            u16::from_le_bytes([img[at + 4], img[at + 5]]) as usize,
        )
    };
    let etb = map
        .kind_runs(0, map.blocks_count(), usize::MAX)
        .into_iter()
        .filter(|r| r.kind == OwnerKind::ExtentTree)
        .flat_map(|r| r.start..r.start + r.len)
        .find(|&b| header(b).0 < header(b).1)
        .expect("an extent tree block with a free slot");
    let owner = fs.owner_of(etb, Some(&map)).expect("owner_of").owners[0].inode.expect("inode");
    let at = etb as usize * bs;
    let max = header(etb).1;
    let mut bad = img.clone();
    bad[at + 12 + 12 * (max - 1)] ^= 0x5A;
    let (_, r) = scan(&open(bad.clone()));
    let want = format!("inode {owner} extent tree block {etb}");
    assert!(r.checksum_failures.iter().any(|c| c.structure == want), "{want}: {:#?}", r.checksum_failures);
    assert_eq!(r.multiply_claimed_blocks, 0);
    if let Some((code, text)) = e2fsck(&bad, "etb") {
        assert_ne!(code, 0);
        assert!(text.contains("checksum does not match extent"), "e2fsck:\n{text}");
    }
}

#[test]
fn hostile_inode_tables_never_panic() {
    // Flip bytes all over the inode tables and the extent/indirect blocks: the scan
    // must finish, whatever it reports.
    for name in ["extents", "ext3", "inline"] {
        let img = load_image(name);
        let fs = open(img.clone());
        let itb = fs.geo.inode_table_blocks as usize;
        let bs = fs.block_size() as usize;
        let start = fs.group(0).expect("group").inode_table as usize * bs;
        let len = (itb * bs).min(64 * 1024);
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        for round in 0..24 {
            let mut bad = img.clone();
            for _ in 0..(40 + round * 20) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                let off = start + (seed as usize % len);
                bad[off] = (seed >> 32) as u8;
            }
            let fs = open(bad);
            let (map, r) = scan(&fs);
            assert!(r.complete);
            assert!(map.heap_bytes() < 64 << 20, "{name}: memory stays bounded");
        }
    }
}

#[test]
fn truncated_and_scrambled_metadata_still_give_a_report() {
    // Half the image missing: unreadable inode tables and bitmaps become problems.
    let img = load_image("4k-flex");
    let fs = open(img[..img.len() / 2].to_vec());
    let (map, r) = scan(&fs);
    assert!(r.complete);
    assert!(r.problems.iter().any(|p| p.message.contains("cannot read")), "{:#?}", r.problems);
    assert!(map.summary(0, u64::MAX, u32::MAX).buckets.len() as u64 <= fs.geo.blocks_count);
    // Group descriptors pointing anywhere: the scan still ends, memory stays bounded.
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    for name in ["4k-flex", "metabg", "bigalloc"] {
        let img = load_image(name);
        let fs = open(img.clone());
        let (blk, _) = fs.geo.descriptor_location(0);
        let start = blk as usize * fs.block_size() as usize;
        let len = (fs.geo.groups_count * fs.geo.desc_size) as usize;
        for _ in 0..8 {
            let mut bad = img.clone();
            for _ in 0..16 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                bad[start + seed as usize % len] = (seed >> 40) as u8;
            }
            let Ok(fs) = Fs::open(Box::new(bad)) else { continue };
            let (map, r) = scan(&fs);
            assert!(r.complete && map.heap_bytes() < 64 << 20, "{name}");
        }
    }
}

// ---------------------------------------------------------------------------
// The e2fsprogs test suite
// ---------------------------------------------------------------------------

fn e2fsprogs_tests() -> PathBuf {
    std::env::var_os("E2FSPROGS_TESTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/e2fsprogs-tests"))
}

fn load_gz(path: &std::path::Path) -> Vec<u8> {
    use std::io::Read;
    let f = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(f).read_to_end(&mut out).expect("gunzip");
    out
}

/// Tests whose expect.1 lists multiply-claimed blocks per inode, compared with ours.
const DUP_TESTS: &[&str] =
    &["f_dup", "f_dup2", "f_dup3", "f_dupfsblks", "f_dupsuper", "f_bbfile", "f_dup_ba"];

#[test]
fn multiply_claimed_blocks_equal_e2fsprogs_expect() {
    let dir = e2fsprogs_tests();
    assert!(dir.is_dir(), "e2fsprogs tests not found at {} (set E2FSPROGS_TESTS)", dir.display());
    for t in DUP_TESTS {
        let expect = std::fs::read_to_string(dir.join(t).join("expect.1")).expect("expect.1");
        let mut theirs = e2fsck_dups(&expect);
        assert!(!theirs.is_empty(), "{t}: expect.1 lists no multiply-claimed blocks");
        let fs = open(load_gz(&dir.join(t).join("image.gz")));
        let (_, r) = scan(&fs);
        let mut ours = our_dups(&r);
        // e2fsck lists the bad blocks inode's (1) claims only from the files' side.
        ours.remove(&1);
        theirs.remove(&1);
        assert_eq!(ours, theirs, "{t}: multiply-claimed blocks per inode\n{:#?}", r.multiply_claimed);
        assert!(r.problems.iter().any(|p| p.severity == Severity::Error), "{t}");
    }
}
