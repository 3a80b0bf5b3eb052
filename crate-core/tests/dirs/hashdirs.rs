//! An image made by `make-hash-image.sh` (kernel + e2fsprogs): htree
//! directories hashed with the unsigned legacy, half-MD4 and TEA variants, and
//! an xattr value in an EA inode.

use std::io::Read;

use ext4scope_core::format::dx_hash::dx_hash;
use ext4scope_core::format::htree::hash_in_range;
use ext4scope_core::format::xattr::{ea_inode_value_hash, XattrPlace};
use ext4scope_core::Fs;

fn open() -> Fs {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/dirs/hashdirs.img.gz");
    let mut img = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(path).expect("hashdirs.img.gz"))
        .read_to_end(&mut img)
        .expect("gunzip");
    Fs::open(Box::new(img)).expect("open")
}

#[test]
fn unsigned_hash_variants_index_every_name() {
    let fs = open();
    let mut found = 0;
    for (dir, stored, effective) in [("/md4u", 1u8, 4u8), ("/teau", 2, 5), ("/legacyu", 0, 3)] {
        let ino = fs.lookup(dir).expect("dir");
        let l = fs.read_dir(ino).expect("listing");
        // Leaf hash ranges are checked with the effective version: no problems
        // means the kernel hashed every name the way we do.
        assert!(l.problems.is_empty(), "{dir}: {:#?}", l.problems);
        let t = l.htree.as_ref().expect("htree");
        assert_eq!((t.hash_version, t.effective_hash_version), (stored, effective), "{dir}");
        let names: Vec<_> = l.live().filter(|e| !e.is_dot_or_dotdot()).collect();
        assert_eq!(names.len(), 300, "{dir}");
        let inode = fs.inode(ino).expect("inode");
        for e in &names {
            let r = fs.htree_lookup(&inode, &e.name_bytes).expect("lookup");
            assert_eq!(r.hash_version, effective);
            assert_eq!(r.found.as_ref().map(|f| f.inode), Some(e.inode), "{dir}: {:?}", e.name);
            let path = format!("{dir}/{}", e.name);
            // Lossy names (bytes >= 0x80 that are not UTF-8) cannot be typed as &str.
            if std::str::from_utf8(&e.name_bytes).is_ok() {
                assert_eq!(fs.lookup(&path).ok(), Some(e.inode), "{path}");
            }
            found += 1;
        }
        // The signed variant puts names in the wrong leaves: this test can tell them apart.
        let misplaced = t
            .leaves
            .iter()
            .flat_map(|leaf| {
                l.live().filter(move |e| e.logical_block == Some(leaf.logical)).filter(move |e| {
                    let h = dx_hash(stored, &e.name_bytes, &fs.sb.s_hash_seed).expect("hash").major;
                    !hash_in_range(h, leaf.hash_lo, leaf.hash_hi)
                })
            })
            .count();
        assert!(misplaced > 10, "{dir}: the signed hash misplaces only {misplaced} names");
    }
    println!("hashdirs: {found} names found through unsigned-hash indexes");
}

#[test]
fn xattr_value_in_an_ea_inode() {
    let fs = open();
    let ino = fs.lookup("/ea").expect("ea");
    let r = fs.xattrs(&fs.inode(ino).expect("inode"));
    assert!(r.problems.is_empty(), "{:#?}", r.problems);
    let huge = r.get("user.huge").expect("user.huge");
    assert_ne!(huge.value_inum, 0);
    assert!(huge.value_complete);
    assert_eq!(huge.value, vec![b'v'; 5000]);
    assert_eq!(huge.hash.ok, Some(true));
    let ea = fs.inode(huge.value_inum).expect("EA inode");
    assert_eq!(ea_inode_value_hash(&fs, &huge.value), ea.raw.i_atime);
    let mid = r.get("user.mid").expect("user.mid");
    assert_eq!((mid.place, mid.value.len(), mid.hash.ok), (XattrPlace::Block, 600, Some(true)));
    let small = r.get("user.small").expect("user.small");
    assert_eq!((small.place, &small.value[..]), (XattrPlace::Inode, &b"hello"[..]));
    let b = r.block.as_ref().expect("block");
    assert_eq!((b.checksum.ok, b.hash, b.refcount), (Some(true), b.hash_computed, 1));
}
