//! Every in-use inode of every e2fsprogs test image (`$E2FSPROGS_TESTS/<test>/image.gz`,
//! many deliberately corrupt): `inode`, `file_map` and `read_file` of the first
//! 64 KiB must finish, without a panic, in bounded time.

use std::io::Read;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use ext4scope_core::Fs;

fn tests_dir() -> PathBuf {
    std::env::var_os("E2FSPROGS_TESTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/e2fsprogs-tests"))
}

/// Most inodes walked per image (the test images are small; this bounds the odd huge one).
const MAX_INODES: u32 = 1 << 16;

#[test]
fn every_inode_of_every_e2fsprogs_image_is_walked_without_panic() {
    let dir = tests_dir();
    assert!(dir.is_dir(), "e2fsprogs tests not found at {} (set E2FSPROGS_TESTS)", dir.display());
    let mut tests: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("read e2fsprogs tests")
        .filter_map(|e| e.ok())
        .map(|e| e.path().join("image.gz"))
        .filter(|p| p.is_file())
        .collect();
    tests.sort();
    let (mut images, mut unopened, mut inodes, mut unreadable, mut problems, mut bytes) =
        (0, 0, 0u64, 0u64, 0u64, 0u64);
    let mut slowest = (Duration::ZERO, String::new());
    let start = Instant::now();
    for path in &tests {
        let name = path
            .parent()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut img = Vec::new();
        let f = std::fs::File::open(path).expect("open image.gz");
        if flate2::read::GzDecoder::new(f).read_to_end(&mut img).is_err() {
            unopened += 1;
            continue;
        }
        let t = Instant::now();
        let fs = match Fs::open(Box::new(img)) {
            Ok(fs) => fs,
            Err(_) => {
                unopened += 1;
                continue;
            }
        };
        images += 1;
        let last = fs.sb.s_inodes_count.min(MAX_INODES);
        for ino in 1..=last {
            if !fs.inode_in_use(ino).unwrap_or(false) {
                continue;
            }
            let inode = match fs.inode(ino) {
                Ok(i) => i,
                Err(_) => {
                    unreadable += 1;
                    continue;
                }
            };
            inodes += 1;
            let map = fs.file_map(&inode);
            problems += (map.problems.len() + inode.problems.len()) as u64;
            // The walk and the lookup agree with the runs.
            for w in map.walk() {
                if let ext4scope_core::filemap::WalkItem::Data(r) = w {
                    if r.len > 0 && map.problems.is_empty() {
                        assert_eq!(
                            map.lookup(r.logical).map(|x| x.0),
                            Some(r.physical),
                            "{name} inode {ino}: lookup of logical {}",
                            r.logical
                        );
                    }
                }
            }
            if let Ok(b) = fs.read_file_with_map(&inode, &map, 0, 64 * 1024) {
                assert!(b.len() as u64 <= inode.size().min(64 * 1024), "{name} inode {ino}: read too much");
                bytes += b.len() as u64;
            }
            let _ = fs.inode_report(ino);
        }
        let el = t.elapsed();
        assert!(el < Duration::from_secs(60), "{name}: {el:?} to walk its inodes");
        if el > slowest.0 {
            slowest = (el, name);
        }
    }
    assert!(images > 100, "only {images} e2fsprogs images opened");
    println!(
        "e2fsprogs: {images} images ({unopened} not openable), {inodes} in-use inodes walked ({unreadable} unreadable), {problems} problems reported, {bytes} bytes read, in {:?} (slowest {} {:?})",
        start.elapsed(),
        slowest.1,
        slowest.0
    );
}

/// `Clearing orphaned inode 15 (uid=0, gid=0, mode=040755, size=1024)` (or
/// `Truncating ...`) lines of an e2fsck expect file: (inode, mode, size) in the
/// order e2fsck walked the orphan list.
fn expected_orphans(expect: &str) -> Vec<(u32, u16, u64)> {
    expect
        .lines()
        .filter_map(|l| {
            let r = l.split_once("ing orphaned inode ")?.1;
            let (ino, rest) = r.split_once(' ')?;
            let mode = rest.split_once("mode=")?.1.split(',').next()?;
            let size = rest.split_once("size=")?.1.trim_end_matches(')');
            Some((ino.parse().ok()?, u16::from_str_radix(mode, 8).ok()?, size.parse().ok()?))
        })
        .collect()
}

#[test]
fn orphan_chain_is_the_list_e2fsck_releases() {
    use ext4scope_core::format::features::INCOMPAT_RECOVER;
    let dir = tests_dir();
    assert!(dir.is_dir(), "e2fsprogs tests not found at {} (set E2FSPROGS_TESTS)", dir.display());
    let mut compared = 0;
    for test in ["f_orphan", "f_badorphan", "f_orphan_extents_inode", "f_orphan_indirect_inode"] {
        let want =
            expected_orphans(&std::fs::read_to_string(dir.join(test).join("expect.1")).expect("expect.1"));
        assert!(!want.is_empty(), "{test}: no orphan lines in expect.1");
        let mut img = Vec::new();
        let f = std::fs::File::open(dir.join(test).join("image.gz")).expect("image.gz");
        flate2::read::GzDecoder::new(f).read_to_end(&mut img).expect("gunzip");
        let fs = Fs::open(Box::new(img)).unwrap_or_else(|e| panic!("{test}: {e}"));
        assert!(!fs.features().incompat(INCOMPAT_RECOVER), "{test}: needs journal replay first");
        let (chain, _) = fs.orphan_chain();
        let ours: Vec<u32> = chain.iter().copied().take(want.len()).collect();
        let theirs: Vec<u32> = want.iter().map(|w| w.0).collect();
        assert_eq!(ours, theirs, "{test}: orphan chain");
        for &(ino, mode, size) in &want {
            let r = fs.inode_report(ino).expect("inode report");
            assert_eq!((r.mode, r.size), (mode, size), "{test}: inode {ino}");
            let next = r.orphan_next.unwrap_or_else(|| panic!("{test}: inode {ino} not marked as an orphan"));
            assert_eq!(next, r.dtime, "{test}: inode {ino}: next orphan is i_dtime");
            compared += 1;
        }
    }
    println!("e2fsprogs: {compared} orphan-list inodes in e2fsck's order");
}
