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

fn open_test(dir: &std::path::Path, test: &str) -> Option<Fs> {
    let mut img = Vec::new();
    let f = std::fs::File::open(dir.join(test).join("image.gz")).ok()?;
    flate2::read::GzDecoder::new(f).read_to_end(&mut img).ok()?;
    Fs::open(Box::new(img)).ok()
}

/// Tests whose `expect.1` is only the pass banners and a clean summary.
fn clean_tests(dir: &std::path::Path) -> Vec<String> {
    let mut v = Vec::new();
    for e in std::fs::read_dir(dir).expect("read tests").filter_map(|e| e.ok()) {
        let name = e.file_name().to_string_lossy().into_owned();
        let Ok(expect) = std::fs::read_to_string(e.path().join("expect.1")) else { continue };
        if !e.path().join("image.gz").is_file() {
            continue;
        }
        let clean = expect.lines().all(|l| {
            l.is_empty()
                || l.starts_with("Pass ")
                || l == "Exit status is 0"
                || (l.starts_with("test_filesys: ") && l.contains(" files ("))
        });
        if clean && expect.contains("Exit status is 0") {
            v.push(name);
        }
    }
    v.sort();
    v
}

#[test]
fn images_e2fsck_finds_clean_have_no_inode_problems() {
    let dir = tests_dir();
    assert!(dir.is_dir(), "e2fsprogs tests not found at {} (set E2FSPROGS_TESTS)", dir.display());
    let tests = clean_tests(&dir);
    assert!(tests.len() >= 10, "only {} clean e2fsprogs tests", tests.len());
    let mut inodes = 0;
    let mut found = Vec::new();
    for test in &tests {
        let Some(fs) = open_test(&dir, test) else { panic!("{test}: e2fsck reads it, we cannot open it") };
        for ino in 1..=fs.sb.s_inodes_count.min(MAX_INODES) {
            if !fs.inode_in_use(ino).unwrap_or(false) {
                continue;
            }
            let inode = fs.inode(ino).unwrap_or_else(|e| panic!("{test} inode {ino}: {e}"));
            let map = fs.file_map(&inode);
            for p in inode.problems.iter().chain(&map.problems) {
                found.push(format!("{test} inode {ino}: {}", p.message));
            }
            inodes += 1;
        }
    }
    assert!(found.is_empty(), "problems on images e2fsck finds clean:\n{}", found.join("\n"));
    println!("e2fsprogs: {} clean images, {inodes} inodes, no problems", tests.len());
}

#[test]
fn inode_problems_e2fsck_reports_are_found() {
    let dir = tests_dir();
    assert!(dir.is_dir(), "e2fsprogs tests not found at {} (set E2FSPROGS_TESTS)", dir.display());
    let mut checked = 0;
    let mut missed = Vec::new();
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("read tests")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for test in names {
        let Ok(expect) = std::fs::read_to_string(dir.join(&test).join("expect.1")) else { continue };
        let lines: Vec<&str> = expect.lines().collect();
        // (inode, what we must report, a check on our problems)
        let mut wants: Vec<(u32, String)> = Vec::new();
        for (i, l) in lines.iter().enumerate() {
            let Some(r) = l.strip_prefix("Inode ") else { continue };
            let Some((ino, rest)) = r.split_once(' ') else { continue };
            let Ok(ino) = ino.parse::<u32>() else { continue };
            if rest.starts_with("passes checks, but checksum does not match inode") {
                wants.push((ino, String::from("inode checksum does not match")));
            } else if rest.starts_with("extent block passes checks, but checksum does not match extent") {
                wants.push((ino, String::from("extent block checksum does not match")));
            } else if let Some(x) = rest.strip_prefix("has an invalid extent node (blk ") {
                let blk = x.split(',').next().unwrap_or("").to_string();
                wants.push((ino, format!("node at block {blk}")));
            } else if rest == "has an invalid extent" {
                // Next line: (logical block L, invalid physical block P, len N)
                let next = lines.get(i + 1).copied().unwrap_or("");
                if let Some(p) = next.split_once("invalid physical block ").map(|x| x.1) {
                    let p = p.split(',').next().unwrap_or("").to_string();
                    wants.push((ino, format!("outside:{p}")));
                }
            }
        }
        // e2fsck rewrites colliding inode tables before it reaches inode 12 there,
        // so its view of the extent tree is not the one on disk.
        if wants.is_empty() || test == "f_itable_collision" {
            continue;
        }
        let Some(fs) = open_test(&dir, &test) else { continue };
        for (ino, needle) in wants {
            let Ok(inode) = fs.inode(ino) else { continue };
            let map = fs.file_map(&inode);
            let all: Vec<&str> =
                inode.problems.iter().chain(&map.problems).map(|p| p.message.as_str()).collect();
            let found = match needle.strip_prefix("outside:") {
                // An extent or index pointer to block P outside the file system.
                Some(p) => all.iter().any(|m| {
                    m.contains("outside the file system")
                        && (m.contains(&format!("block {p},")) || m.contains(&format!("blocks {p}-")))
                }),
                None => all.iter().any(|m| m.contains(&needle)),
            };
            if found {
                checked += 1;
            } else {
                missed.push(format!("{test} inode {ino}: e2fsck reports {needle:?}; we report {all:?}"));
            }
        }
    }
    println!("e2fsprogs: {checked} inode problems e2fsck reports found");
    assert!(missed.is_empty(), "inode problems e2fsck reports that we miss:\n{}", missed.join("\n"));
    assert!(checked >= 10, "only {checked} compared");
}
