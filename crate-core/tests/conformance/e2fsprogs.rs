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
