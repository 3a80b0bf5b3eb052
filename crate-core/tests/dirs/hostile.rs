//! Hostile bytes in real images: corrupt directory entries, htree loops,
//! xattr offsets past the block, symlink and directory loops. Every case must
//! end in problems or errors, never a panic or a hang.

use ext4scope_core::format::dir::DirBlockKind;
use ext4scope_core::path::LookupError;
use std::rc::Rc;

use ext4scope_core::{Fs, Overlay, Problem};

use crate::golden::load_image;

fn open(img: &[u8]) -> Fs {
    Fs::open(Box::new(img.to_vec())).expect("open")
}

fn put16(img: &mut [u8], at: u64, v: u16) {
    img[at as usize..at as usize + 2].copy_from_slice(&v.to_le_bytes());
}

fn put32(img: &mut [u8], at: u64, v: u32) {
    img[at as usize..at as usize + 4].copy_from_slice(&v.to_le_bytes());
}

fn has(problems: &[Problem], what: &str) -> bool {
    problems.iter().any(|p| p.message.contains(what))
}

/// The extents fixture, its `/links` directory (513: ".", "..", link1, link2) and root.
fn extents() -> (Vec<u8>, Fs) {
    let img = load_image("extents");
    let fs = open(&img);
    (img, fs)
}

#[test]
fn rec_len_zero_and_overruns_in_a_real_block() {
    let (img, fs) = extents();
    let l = fs.read_dir(513).expect("links");
    let link1 = l.entries.iter().find(|e| e.name == "link1").expect("link1").clone();
    let at = link1.byte.expect("byte");
    for (rec_len, what) in [(0u16, "smaller than the minimum"), (4000, "runs past"), (14, "multiple of 4")] {
        let mut bad = img.clone();
        put16(&mut bad, at + 4, rec_len);
        let fs = open(&bad);
        let l = fs.read_dir(513).expect("still listed");
        let names: Vec<&str> = l.entries.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, [".", ".."], "rec_len {rec_len}");
        assert!(has(&l.problems, what), "rec_len {rec_len}: {:?}", l.problems);
        let p = l.problems.iter().find(|p| p.message.contains(what)).expect("problem");
        assert_eq!(p.at.byte, Some(at));
        assert_eq!(p.at.block, link1.physical_block);
        assert!(has(&l.problems, "checksum does not match"));
        // Paths below still resolve where they can; the lost name is not found.
        assert!(matches!(fs.lookup("/links/link1"), Err(LookupError::NotFound { .. })));
        assert_eq!(fs.lookup("/links/.."), Ok(2));
    }
    // name_len larger than the record.
    let mut bad = img.clone();
    bad[at as usize + 6] = 255;
    let l = open(&bad).read_dir(513).expect("listed");
    assert!(has(&l.problems, "does not fit"), "{:?}", l.problems);
}

#[test]
fn htree_count_over_limit_and_loops() {
    let (img, fs) = extents();
    let l = fs.read_dir(516).expect("htree2");
    let t = l.htree.as_ref().expect("htree");
    let root = &t.nodes[0];
    assert_eq!(t.indirect_levels, 1);
    let bs = u64::from(fs.block_size());
    let root_cl = root.physical * bs + u64::from(root.count_offset);

    // count > limit.
    let mut bad = img.clone();
    put16(&mut bad, root_cl + 2, root.limit + 5);
    let fs2 = open(&bad);
    let l2 = fs2.read_dir(516).expect("listed");
    assert!(has(&l2.problems, "is larger than limit"), "{:?}", l2.problems);
    // The listing itself does not depend on the index.
    assert_eq!(l2.live().count(), l.live().count());

    // A root entry pointing back at the root (block 0), and one pointing at the
    // node itself from inside the node: both reported, no loop.
    let node = &t.nodes[1];
    let mut bad = img.clone();
    put32(&mut bad, root_cl + 8 + 4, 0); // root entry 1's block
    put32(&mut bad, node.physical * bs + u64::from(node.count_offset) + 8 + 4, node.logical as u32);
    let fs3 = open(&bad);
    let l3 = fs3.read_dir(516).expect("listed");
    assert!(has(&l3.problems, "points at logical block 0 (the root)"), "{:?}", l3.problems);
    assert!(has(&l3.problems, "which the index already uses"), "{:?}", l3.problems);
    let dir = fs3.inode(516).expect("inode");
    for e in l3.live().take(50) {
        let r = fs3.htree_lookup(&dir, &e.name_bytes).expect("lookup runs");
        assert!(r.leaves.len() < 100);
        // Whatever the index says, lookup_in falls back to the listing when the index is damaged.
        assert_eq!(fs3.lookup_in(&dir, &e.name_bytes).expect("lookup_in"), Some(e.inode));
    }

    // A leaf block's entries moved under the wrong hash range: swap two root entries' blocks.
    let mut bad = img.clone();
    let b1 = root.entries[0].block;
    let b2 = root.entries[1].block;
    put32(&mut bad, root_cl + 4, b2);
    put32(&mut bad, root_cl + 8 + 4, b1);
    let l4 = open(&bad).read_dir(516).expect("listed");
    assert!(has(&l4.problems, "outside its hash range"), "{:?}", l4.problems);
    assert!(l4.htree.as_ref().expect("htree").misplaced_entries > 0);

    // indirect_levels beyond what the features allow.
    let mut bad = img.clone();
    bad[(root.physical * bs + 0x1E) as usize] = 3;
    let l5 = open(&bad).read_dir(516).expect("listed");
    assert!(has(&l5.problems, "indirect_levels is 3"), "{:?}", l5.problems);
}

#[test]
fn xattr_offsets_past_the_block() {
    let (img, fs) = extents();
    let ino = fs.lookup("/xattr-block").expect("xattr-block");
    let inode = fs.inode(ino).expect("inode");
    let r = fs.xattrs(&inode);
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    let blk = r.block.as_ref().expect("block").block;
    assert_eq!(r.block.as_ref().expect("block").checksum.ok, Some(true));
    let x = r.get("user.big").expect("user.big");
    assert_eq!(x.value.len(), 700);
    let entry = x.entry_byte.expect("entry byte");

    let mut bad = img.clone();
    put16(&mut bad, entry + 2, 0xFFF0); // e_value_offs
    let fs2 = open(&bad);
    let r2 = fs2.xattrs(&fs2.inode(ino).expect("inode"));
    assert!(has(&r2.problems, "runs past the end of the area"), "{:?}", r2.problems);
    assert!(has(&r2.problems, "checksum does not match"), "{:?}", r2.problems);
    assert!(!r2.get("user.big").expect("entry still listed").value_complete);

    // A name running past the block, and a huge value size.
    let mut bad = img.clone();
    put32(&mut bad, entry + 8, u32::MAX);
    let fs3 = open(&bad);
    let r3 = fs3.xattrs(&fs3.inode(ino).expect("inode"));
    assert!(has(&r3.problems, "is over 65536"), "{:?}", r3.problems);

    // Not an xattr block at all.
    let mut bad = img.clone();
    put32(&mut bad, blk * u64::from(fs.block_size()), 0x1234_5678);
    let fs4 = open(&bad);
    let r4 = fs4.xattrs(&fs4.inode(ino).expect("inode"));
    assert!(has(&r4.problems, "not an xattr block"), "{:?}", r4.problems);
}

#[test]
fn symlink_and_directory_loops_end() {
    let (img, fs) = extents();
    // /fast-symlink -> "fast-symlink" (itself).
    let ino = fs.lookup("/fast-symlink").expect("link");
    let inode = fs.inode(ino).expect("inode");
    let at = inode.at.byte.expect("byte");
    let mut bad = img.clone();
    let target = b"fast-symlink";
    bad[at as usize + 0x28..at as usize + 0x28 + target.len()].copy_from_slice(target);
    put32(&mut bad, at + 4, target.len() as u32);
    let fs2 = open(&bad);
    assert_eq!(fs2.lookup("/fast-symlink"), Ok(ino));
    assert!(matches!(fs2.lookup_follow("/fast-symlink"), Err(LookupError::SymlinkLoop { .. })));
    assert!(matches!(fs2.lookup("/fast-symlink/x"), Err(LookupError::SymlinkLoop { .. })));

    // /links/link1 -> the root directory (a directory loop for the tree walk).
    let l = fs.read_dir(513).expect("links");
    let link1 = l.entries.iter().find(|e| e.name == "link1").expect("link1");
    let at = link1.byte.expect("byte");
    let mut bad = img.clone();
    put32(&mut bad, at, 2);
    bad[at as usize + 7] = 2; // file type: directory
    let fs3 = open(&bad);
    let ix = fs3.path_index();
    assert!(has(&ix.problems, "directory loop"), "{:?}", ix.problems);
    assert!(ix.paths[&2].contains(&String::from("/links/link1")));
    assert_eq!(fs3.lookup("/links/link1/links/link1/links/link1/hello.txt"), fs3.lookup("/hello.txt"));
}

#[test]
fn every_byte_of_a_directory_block_flipped() {
    // Flip each byte of the first block of /links and of an htree node in
    // turn (through an overlay, as a replayed journal would): listing, lookup
    // and the path walk must always return.
    let (_, fs) = extents();
    let l = fs.read_dir(513).expect("links");
    let leaf = l.blocks[0].physical;
    let h = fs.read_dir(516).expect("htree2");
    let node = h.blocks.iter().find(|b| b.kind == DirBlockKind::DxNode).expect("node").physical;
    let mut listed = 0;
    let bs = fs.block_size() as usize;
    // Every byte of the leaf; the htree node's header, first entries and tail.
    let node_bytes: Vec<usize> = (0..128).chain(bs - 16..bs).collect();
    for (blk, ino, bytes) in [(leaf, 513u32, (0..bs).collect::<Vec<_>>()), (node, 516, node_bytes)] {
        let orig = fs.block(blk).expect("block");
        for &i in &bytes {
            for flip in [0xFFu8, 0x01] {
                let mut b = orig.to_vec();
                b[i] ^= flip;
                let mut ov = Overlay::new();
                ov.write(blk, Rc::from(b));
                let fs = fs.with_overlay(Rc::new(ov)).expect("overlay");
                if let Ok(l) = fs.read_dir(ino) {
                    listed += 1;
                    assert!(l.entries.len() <= 600);
                }
                let _ = fs.lookup("/links/link2");
                let _ = fs.lookup("/htree2/link-001-LLLL");
            }
        }
    }
    println!("flipped bytes: {listed} listings");
    assert!(listed >= 2 * (1024 + 144));
}

#[test]
fn in_inode_xattr_corruption() {
    let (img, fs) = extents();
    let ino = fs.lookup("/xattr-inode").expect("xattr-inode");
    let inode = fs.inode(ino).expect("inode");
    let r = fs.xattrs(&inode);
    assert!(r.problems.is_empty() && r.in_inode_magic, "{:?}", r.problems);
    let a = r.get("user.a").expect("user.a");
    // The kernel leaves e_hash 0 for attributes in the inode: not checked then.
    assert_eq!((a.value.as_slice(), a.hash.stored, a.hash.ok), (&b"small"[..], 0, None));
    let entry = a.entry_byte.expect("entry byte");
    let area_end = inode.at.byte.expect("byte") + fs.sb.inode_size() as u64;
    type Corrupt = Box<dyn Fn(&mut Vec<u8>)>;
    let cases: [(&str, Corrupt); 5] = [
        ("runs past the end of the area", Box::new(move |b| put16(b, entry + 2, 0x7FF0))),
        ("name of 255 bytes runs past", Box::new(move |b| b[entry as usize] = 255)),
        ("is over 65536", Box::new(move |b| put32(b, entry + 8, 0x0100_0000))),
        ("e_hash is", Box::new(move |b| put32(b, entry + 12, 0xDEAD_BEEF))),
        (
            "no end marker",
            Box::new(move |b| {
                // Empty 16-byte entries (name_len 0, index 1) to the end: no terminator.
                let next = entry as usize + 16 + 4;
                for (i, x) in b[next..area_end as usize].iter_mut().enumerate() {
                    *x = u8::from(i % 16 == 1);
                }
            }),
        ),
    ];
    for (what, corrupt) in cases {
        let mut bad = img.clone();
        corrupt(&mut bad);
        let fs = open(&bad);
        let r = fs.xattrs(&fs.inode(ino).expect("inode"));
        assert!(has(&r.problems, what), "{what}: {:?}", r.problems);
    }
}

#[test]
fn directory_maps_that_claim_too_much() {
    let (img, fs) = extents();
    let inode = fs.inode(513).expect("links");
    let at = inode.at.byte.expect("byte");
    // The first extent (i_block + 12): ee_len 30000 (in range) for a 1-block directory.
    let mut bad = img.clone();
    put16(&mut bad, at + 0x28 + 12 + 4, 30000);
    let l = open(&bad).read_dir(513).expect("listed");
    assert!(has(&l.problems, "mapped past i_size"), "{:?}", l.problems);
    assert!(l.blocks.len() <= 1 + 64, "{} blocks listed", l.blocks.len());
    assert!(l.problems.len() <= 1001);
    // i_size of almost 2 GiB: the missing blocks are a problem, the listing is the same.
    let mut bad = img.clone();
    put32(&mut bad, at + 4, 0x7FFF_FC00);
    let l2 = open(&bad).read_dir(513).expect("listed");
    assert!(has(&l2.problems, "only 1 are mapped"), "{:?}", l2.problems);
    assert_eq!(l2.live().count(), 4);
    // The extent pointing past the end of the file system.
    let mut bad = img.clone();
    put32(&mut bad, at + 0x28 + 12 + 8, 0xFFFF_FF00);
    let l3 = open(&bad).read_dir(513).expect("listed");
    assert!(!l3.problems.is_empty());
    assert_eq!(l3.live().count(), 0);
    assert!(matches!(open(&bad).lookup("/links/link1"), Err(LookupError::NotFound { .. })));
}

/// A directory whose one extent covers 30,000 blocks, each packed with 85
/// entries of 12 bytes (what a hostile image can do with any block range): the
/// listing stops at MAX_DIR_ENTRIES and says so, instead of holding 2.5 million
/// entries (with 1 KiB blocks and a map that repeats blocks, 85 million).
#[test]
fn directory_with_millions_of_entries_is_cut() {
    use ext4scope_core::format::dir::MAX_DIR_ENTRIES;
    let (img, fs) = extents();
    let inode = fs.inode(513).expect("links");
    let at = inode.at.byte.expect("byte");
    let bs = u64::from(fs.block_size());
    let (first, blocks) = (20_000u64, 30_000u64);
    let mut bad = img.clone();
    for b in first..first + blocks {
        let base = b * bs;
        for e in 0..85u64 {
            let o = base + e * 12;
            put32(&mut bad, o, 12); // inode 12
            let rec = if e == 84 { (bs - 84 * 12) as u16 } else { 12 };
            put16(&mut bad, o + 4, rec);
            bad[(o + 6) as usize] = 1; // name_len
            bad[(o + 7) as usize] = 1; // file type
            bad[(o + 8) as usize] = b'x';
        }
    }
    // i_size = blocks * bs; the first extent: 30000 blocks from `first`.
    put32(&mut bad, at + 4, (blocks * bs) as u32);
    put16(&mut bad, at + 0x28 + 12 + 4, blocks as u16);
    put32(&mut bad, at + 0x28 + 12 + 8, first as u32);
    let l = open(&bad).read_dir(513).expect("listed");
    assert!(l.entries.len() >= MAX_DIR_ENTRIES, "{} entries", l.entries.len());
    assert!(l.entries.len() < MAX_DIR_ENTRIES + 100, "{} entries", l.entries.len());
    assert!(has(&l.problems, "listing stopped after"), "{:?}", &l.problems[..3.min(l.problems.len())]);
    assert!(l.problems.len() <= 1001);
}
