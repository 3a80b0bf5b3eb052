//! Fast commits written by the real kernel (`tests/fixtures/fastcommit/`, made
//! by `make-fastcommit-images.sh`): the area's tags against e2fsprogs'
//! `logdump -a`, the scan as recovery does it, and the replay (full commits,
//! then fast commits) against the kernel's own replay at mount
//! (`NAME.kernel.txt`: path, inode, type, size, links, sha256), plus
//! `e2fsck -fn` of the result when e2fsprogs is installed.

use std::path::PathBuf;
use std::rc::Rc;

use ext4scope_core::format::inode::FileType;
use ext4scope_core::journal::fast_commit::{
    self, kernel_area, read_area_with, FastCommitArea, FcOutcome, FcValue, TAG_HEAD, TAG_TAIL,
};
use ext4scope_core::journal::Journal;
use ext4scope_core::{Fs, Overlay};
use sha2::{Digest, Sha256};

fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/fastcommit")
}

fn image(name: &str) -> Vec<u8> {
    use std::io::Read;
    let f = std::fs::File::open(fixture_dir().join(format!("{name}.img.gz"))).expect("fixture image");
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(f).read_to_end(&mut out).expect("gunzip");
    out
}

fn text(name: &str) -> String {
    std::fs::read_to_string(fixture_dir().join(name)).expect("fixture text")
}

struct Loaded {
    bytes: Vec<u8>,
    fs: Fs,
    journal: Journal,
    area: FastCommitArea,
    log: ext4scope_core::journal::Log,
    /// The image after the full-commit replay.
    full: Overlay,
    end_tid: u32,
}

fn load(name: &str) -> Loaded {
    let bytes = image(name);
    let fs = Fs::open(Box::new(bytes.clone())).expect("open");
    let journal = Journal::open(&fs).expect("journal").expect("has a journal");
    let log = journal.log(&fs);
    let end = log.end.as_ref().expect("the journal needs recovery");
    assert!(end.error.is_none(), "{end:?}");
    let end_tid = end.sequence;
    // Crash point end - 1: the full commits only, just before the fast commits.
    let full = journal.replay(&fs, &log, Some(end_tid.wrapping_sub(1))).expect("full replay").overlay;
    let (first, count) = kernel_area(journal.sb.s_maxlen.0, journal.sb.s_num_fc_blks.0).expect("fc area");
    let mut read = |j: u32| journal.read(&fs, j).ok().map(|b| b.to_vec());
    let area = read_area_with(&mut read, first, count, end_tid, fs.geo.inode_size as usize);
    Loaded { bytes, fs, journal, area, log, full, end_tid }
}

/// A tag as `debugfs logdump` prints it.
fn logdump_line(t: &fast_commit::FcTag) -> String {
    match &t.value {
        FcValue::Head { features, tid } => format!("tag HEAD, features 0x{features:x}, tid {tid}"),
        FcValue::AddRange { ino, lblk, len, pblk, .. } => {
            format!("tag ADD_RANGE, inode {ino}, lblk {lblk}, pblk {pblk}, len {len}")
        }
        FcValue::DelRange { ino, lblk, len } => {
            format!("tag DEL_RANGE, inode {ino}, lblk {}, len {}", *lblk as i32, *len as i32)
        }
        FcValue::Dentry { parent, ino, name, .. } => {
            format!("tag {}, parent {parent}, ino {ino}, name \"{name}\"", t.name)
        }
        FcValue::Inode { ino, .. } => format!("tag INODE, inode {ino}"),
        FcValue::Pad => String::from("tag PAD"),
        FcValue::Tail { tid, .. } => format!("tag TAIL, tid {tid}"),
        FcValue::Invalid { reason } => format!("invalid: {reason}"),
    }
}

#[test]
fn area_is_where_the_kernel_writes_it() {
    let l = load("fc-basic");
    let (maxlen, n) = (l.journal.sb.s_maxlen.0, l.journal.sb.s_num_fc_blks.0);
    assert_eq!((maxlen, n), (1040, 16), "mke2fs: 1024 journal blocks + 1024/64 fast-commit blocks");
    assert_eq!(kernel_area(maxlen, n), Some((1025, 16)));
    assert_eq!(kernel_area(2000, 0), Some((1745, 256)), "s_num_fc_blks 0 means 256");
    assert_eq!(kernel_area(100, 200), None);
    // j_last = s_maxlen - n = 1024 is in neither the ring nor the area: never written.
    let b = l.journal.read(&l.fs, maxlen - n).expect("block 1024");
    assert!(b.iter().all(|&x| x == 0), "journal block s_maxlen - n is not used");
    // The area's first block starts with HEAD; the read of block s_maxlen fails.
    let first = l.journal.read(&l.fs, maxlen - n + 1).expect("block 1025");
    assert_eq!(u16::from_le_bytes([first[0], first[1]]), TAG_HEAD);
    assert!(l.journal.read(&l.fs, maxlen).is_err(), "block s_maxlen is past the journal");
}

/// The fixtures: name, fast commits replayed, their tid, journal blocks they
/// fill (from 1025), what ends the scan.
const FIXTURES: &[(&str, usize, u32, &str)] = &[
    ("fc-basic", 8, 3, "unknown tag 0"),
    ("fc-frag", 6, 3, "unknown tag 0"),
    // The area overflowed in transaction 3 (full commit), transaction 4 reused
    // it from its first block: the fifth block still holds a fast commit of 3.
    ("fc-overflow", 4, 4, "has tid 3, expected 4"),
];

#[test]
fn tags_match_logdump() {
    for &(name, commits, tid, stop) in FIXTURES {
        let l = load(name);
        let dump = text(&format!("{name}.logdump.txt"));
        // logdump prints up to the first TAIL (or HEAD) of an older
        // transaction, or the first block with an unknown tag.
        let want: Vec<&str> = dump
            .split("*** Fast Commit Area ***")
            .nth(1)
            .expect("logdump shows the area")
            .lines()
            .filter(|s| s.starts_with("tag "))
            .collect();
        let got: Vec<String> = l.area.tags.iter().map(logdump_line).collect();
        assert!(got.len() >= want.len(), "{name}: {got:#?}");
        for (g, w) in got.iter().zip(&want) {
            if g.ends_with('"') {
                // debugfs prints the name with %s though it is not NUL-terminated:
                // the bytes after it, up to a zero, follow it.
                assert!(w.starts_with(&g[..g.len() - 1]), "{name}: {g} / {w}");
            } else {
                assert_eq!(g, w, "{name}");
            }
        }
        // The fast commits belong to the transaction after the last full commit.
        assert_eq!(l.end_tid, tid, "{name}");
        assert_eq!(l.area.expected_tid, tid, "{name}");
        assert_eq!(l.area.outcome, Some(FcOutcome::Replay), "{name}: {}", l.area.stop);
        assert_eq!(l.area.error, None);
        assert!(l.area.problems.is_empty(), "{name}: {:?}", l.area.problems);
        assert!(l.area.stop.contains(stop), "{name}: {}", l.area.stop);
        // One fast commit per fsync, each ending its own block with a good TAIL.
        assert_eq!(l.area.commits.len(), commits, "{name}");
        assert!(l.area.tags[..l.area.replay_tags].iter().all(|t| t.replayed));
        assert!(l.area.tags[l.area.replay_tags..].iter().all(|t| !t.replayed));
        for (i, c) in l.area.commits.iter().enumerate() {
            assert_eq!(c.tid, tid);
            assert_eq!((c.first_block, c.last_block), (1025 + i as u32, 1025 + i as u32), "{name}");
            let tail = &l.area.tags[c.tail_tag];
            assert_eq!(tail.tag, TAG_TAIL);
            let FcValue::Tail { crc, computed, .. } = tail.value else { panic!("not a tail") };
            assert_eq!(crc, computed);
            // The TAIL's length runs to the end of the block.
            assert_eq!(tail.offset as usize + 4 + tail.len as usize, 4096);
        }
        let last = 1025 + commits as u32 - 1;
        assert_eq!(l.area.valid_until.map(|p| (p.block, p.offset)), Some((last, 4096)), "{name}");
        // Only the first fast commit of a transaction has a HEAD.
        assert_eq!(l.area.tags[..l.area.replay_tags].iter().filter(|t| t.tag == TAG_HEAD).count(), 1);
    }
}

#[test]
fn scan_refuses_what_recovery_refuses() {
    let l = load("fc-basic");
    let (first, count) = kernel_area(1040, 16).unwrap();
    let blocks: Vec<Vec<u8>> = (first..first + count)
        .map(|j| l.journal.read(&l.fs, j).map(|b| b.to_vec()).unwrap_or_default())
        .collect();
    let scan = |blocks: &[Vec<u8>], tid: u32| {
        let mut read = |j: u32| blocks.get((j - first) as usize).filter(|b| !b.is_empty()).cloned();
        read_area_with(&mut read, first, count, tid, 256)
    };
    // Another transaction's HEAD: obsolete fast commits, nothing replayed.
    let a = scan(&blocks, 4);
    assert_eq!(a.outcome, Some(FcOutcome::OtherTransaction));
    assert_eq!(a.replay_tags, 0);
    // A byte flipped in the third fast commit: the first two are replayed.
    let mut bad = blocks.clone();
    bad[2][40] ^= 1;
    let a = scan(&bad, 3);
    assert_eq!(a.outcome, Some(FcOutcome::Replay));
    assert_eq!(a.commits.len(), 2);
    assert!(a.stop.contains("crc"), "{}", a.stop);
    assert!(a.tags.iter().filter(|t| t.replayed).all(|t| t.block < first + 2));
    // ...in the first one: nothing valid, the scan (and the whole recovery) fails.
    let mut bad = blocks.clone();
    bad[0][40] ^= 1;
    let a = scan(&bad, 3);
    assert_eq!((a.outcome, a.error), (Some(FcOutcome::RecoveryFails), Some("EFSBADCRC")));
    // No HEAD in the first block: no fast commits (the scan stops there, even
    // if a later block has one).
    let mut bad = blocks.clone();
    bad[0] = vec![0; 4096];
    bad[3] = blocks[0].clone();
    let a = scan(&bad, 3);
    assert_eq!((a.outcome, a.replay_tags), (Some(FcOutcome::NoFastCommits), 0));
    // A HEAD whose fast commit has no TAIL yet (torn): the scan fails.
    let mut bad = blocks.clone();
    bad[0][0x181] = 0;
    bad[0][0x182] = 0;
    let a = scan(&bad, 3);
    assert_eq!((a.outcome, a.error), (Some(FcOutcome::RecoveryFails), Some("ECANCELED")), "{}", a.stop);
    // Unknown HEAD features.
    let mut bad = blocks.clone();
    bad[0][4] = 1;
    assert_eq!(scan(&bad, 3).error, Some("EOPNOTSUPP"));
    // A full area: the read of block s_maxlen fails (I/O error).
    let mut full = blocks.clone();
    for b in full.iter_mut().take(15).skip(1) {
        *b = blocks[1].clone();
    }
    let a = scan(&full, 3);
    assert_eq!((a.outcome, a.error), (Some(FcOutcome::RecoveryFails), Some("EIO")), "{}", a.stop);
    // Hostile bytes: every tag length and garbage never panics, and is bounded.
    let mut seed = 0x1234_5678u32;
    for _ in 0..200 {
        let mut junk = blocks.clone();
        for b in junk.iter_mut().take(3) {
            for _ in 0..64 {
                seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
                let i = (seed >> 8) as usize % b.len();
                b[i] = (seed >> 24) as u8;
            }
        }
        let a = scan(&junk, 3);
        assert!(a.tags.len() <= 16 * 1024);
    }
}

/// One line of `NAME.kernel.txt`.
struct KernelFile {
    path: String,
    ino: u32,
    kind: String,
    size: u64,
    links: u16,
    sha256: String,
}

fn kernel_files(name: &str) -> Vec<KernelFile> {
    text(&format!("{name}.kernel.txt"))
        .lines()
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            KernelFile {
                path: f[0].to_string(),
                ino: f[1].parse().unwrap(),
                kind: f[2].to_string(),
                size: f[3].parse().unwrap(),
                links: f[4].parse().unwrap(),
                sha256: f[5].to_string(),
            }
        })
        .collect()
}

fn hex(d: &[u8]) -> String {
    d.iter().map(|b| format!("{b:02x}")).collect()
}

/// The extent trees the kernel's replay left (`NAME.kernel-extents.txt`,
/// debugfs `ex`): per inode, index entries (logical, block) and leaf extents
/// (logical, physical, length), in tree order.
type Tree = (Vec<(u64, u64)>, Vec<(u64, u64, u64)>);

fn kernel_extents(name: &str) -> std::collections::BTreeMap<u32, Tree> {
    let mut out = std::collections::BTreeMap::new();
    let mut cur: Option<u32> = None;
    for line in text(&format!("{name}.kernel-extents.txt")).lines() {
        if let Some(n) = line.strip_prefix("# inode ") {
            cur = Some(n.parse().unwrap());
            out.insert(cur.unwrap(), (Vec::new(), Vec::new()));
            continue;
        }
        let t: Vec<&str> = line.split_whitespace().collect();
        let (Some(ino), true) = (cur, t.len() >= 9 && t[0].ends_with('/')) else { continue };
        let n = |i: usize| t[i].parse::<u64>().unwrap();
        let e: &mut Tree = out.get_mut(&ino).unwrap();
        if t.get(8) == Some(&"-") {
            e.1.push((n(4), n(7), n(10)));
        } else {
            e.0.push((n(4), n(7)));
        }
    }
    out
}

fn our_extents(fs: &Fs, ino: u32) -> Tree {
    use ext4scope_core::filemap::MapItem;
    let inode = fs.inode(ino).unwrap();
    let map = fs.file_map(&inode);
    let mut t: Tree = (Vec::new(), Vec::new());
    // Depth first, as debugfs prints it.
    fn walk(map: &ext4scope_core::filemap::FileMap, node: usize, t: &mut Tree) {
        for item in &map.tree.nodes[node].items {
            match item {
                MapItem::Index { logical, block, child, .. } => {
                    t.0.push((*logical, *block));
                    if let Some(c) = child {
                        walk(map, *c as usize, t);
                    }
                }
                MapItem::Extent { logical, physical, len, .. } => t.1.push((*logical, *physical, *len)),
                _ => {}
            }
        }
    }
    if !map.tree.nodes.is_empty() {
        walk(&map, 0, &mut t);
    }
    t
}

#[test]
fn replay_matches_the_kernel() {
    for &(name, ..) in FIXTURES {
        replay_one(name);
    }
}

fn replay_one(name: &str) {
    let l = load(name);
    // The journal's own replay of the whole log applies the fast commits
    // after the full ones, as the kernel's recovery does.
    let r = l.journal.replay(&l.fs, &l.log, None).expect("replay");
    let report = r.report.fast_commit.clone().expect("fast commits replayed");
    let overlay = r.overlay;
    assert!(report.complete(), "{name}: {:#?}", report.problems);
    // Crash point end - 1 (just before the fast commits) is another state.
    assert!(
        overlay.written().any(|b| l.full.get(b) != overlay.get(b)),
        "{name}: the fast commits changed nothing"
    );
    assert_eq!(report.tags, l.area.replay_tags);
    let fs = l.fs.with_overlay(Rc::new(overlay.clone())).expect("replayed state");

    // Every path the kernel shows, as the kernel shows it.
    let files = kernel_files(name);
    let trees = kernel_extents(name);
    for k in &files {
        let at = format!("{name}:{}", k.path);
        let ino = fs.lookup(&k.path).unwrap_or_else(|e| panic!("{at}: {e}"));
        assert_eq!(ino, k.ino, "{at}");
        let inode = fs.inode(ino).unwrap();
        assert!(inode.problems.is_empty(), "{at}: {:?}", inode.problems);
        assert_eq!(inode.links(), k.links, "{at} links");
        assert_eq!(inode.size(), k.size, "{at} size");
        match k.kind.as_str() {
            "directory" => {
                assert_eq!(inode.file_type(), FileType::Directory);
                let d = fs.read_dir(ino).unwrap();
                assert!(d.problems.is_empty(), "{at}: {:?}", d.problems);
            }
            "symbolic link" => assert_eq!(inode.file_type(), FileType::Symlink, "{at}"),
            _ => {
                assert_eq!(inode.file_type(), FileType::Regular, "{at}");
                let data = fs.read_file(&inode, 0, k.size as usize).unwrap();
                assert_eq!(hex(&Sha256::digest(&data)), k.sha256, "{at} content");
                let map = fs.file_map(&inode);
                assert!(map.problems.is_empty(), "{at}: {:?}", map.problems);
                // i_blocks recounted from the extent tree (512-byte sectors).
                let tree_blocks = map.metadata.len() as u64;
                assert_eq!(inode.blocks_512(), (map.data_blocks() + tree_blocks) * 8, "{at} i_blocks");
            }
        }
        // The same extent tree, leaf blocks the replay allocated included.
        if let Some(want) = trees.get(&ino) {
            assert_eq!(&our_extents(&fs, ino), want, "{at} extent tree");
        }
    }
    // Nothing else is reachable: unlinked files are gone.
    let index = fs.path_index();
    let mut seen: Vec<String> = index
        .paths
        .values()
        .flatten()
        .filter(|p| *p != "/" && !p.starts_with("/lost+found"))
        .cloned()
        .collect();
    seen.sort();
    let mut want: Vec<String> = files.iter().map(|k| k.path.clone()).filter(|p| p != "/").collect();
    want.sort();
    assert_eq!(seen, want, "{name}");

    // Bitmaps, counts and checksums consistent, and the same totals as the
    // kernel's image (e2fsck -fn of it: "N/M files ..., B/C blocks").
    assert!(fs.problems.is_empty(), "{name}: {:?}", fs.problems);
    for g in 0..fs.geo.groups_count {
        for b in [fs.block_bitmap(g).unwrap(), fs.inode_bitmap(g).unwrap()] {
            let p = fs.bitmap_problems(&b);
            assert!(p.is_empty(), "{name} group {g}: {p:?}");
        }
    }
    let summary = text(&format!("{name}.kernel-e2fsck.txt"));
    assert!(summary.contains("exit code: 0"), "{summary}");
    let line = summary.lines().find(|l| l.contains(" files (")).expect("e2fsck summary");
    let nums: Vec<u64> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().unwrap())
        .collect();
    let (files_used, inodes, blocks_used, blocks) =
        (nums[0], nums[1], nums[nums.len() - 2], nums[nums.len() - 1]);
    assert_eq!(u64::from(fs.sb.s_inodes_count), inodes);
    assert_eq!(fs.sb.blocks_count(), blocks);
    assert_eq!(inodes - u64::from(fs.sb.s_free_inodes_count), files_used, "{name}: inodes in use");
    assert_eq!(blocks - fs.sb.free_blocks_count(), blocks_used, "{name}: blocks in use");

    // e2fsck agrees the result is clean (when e2fsprogs is installed).
    if std::process::Command::new("e2fsck").arg("-V").output().is_ok() {
        let mut img = l.bytes.clone();
        let bs = fs.block_size() as usize;
        for b in overlay.written() {
            let data = overlay.get(b).unwrap();
            img[b as usize * bs..(b as usize + 1) * bs].copy_from_slice(data);
        }
        let path = std::env::temp_dir().join(format!("ext4scope-{name}-{}.img", std::process::id()));
        std::fs::write(&path, &img).unwrap();
        let out = std::process::Command::new("e2fsck").arg("-fn").arg(&path).output().unwrap();
        let _ = std::fs::remove_file(&path);
        let said = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{name}: e2fsck -fn of the replayed image:\n{said}");
        assert!(said.contains(&format!("{files_used}/{inodes} files")), "{said}");
        assert!(said.contains(&format!("{blocks_used}/{blocks} blocks")), "{said}");
    }
}
