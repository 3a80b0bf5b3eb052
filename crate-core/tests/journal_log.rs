//! The log walk and the replay against e2fsprogs, on every journal image we
//! have: images written by debugfs `jo`/`jw`/`jc` at test time, the committed
//! fixtures in tests/fixtures/{crash,journal} (debugfs- and kernel-written).
//!
//! - Transactions, tags and revoke records equal `debugfs logdump -a`.
//! - The replay equals `e2fsck -E journal_only` block for block, except the
//!   primary superblock's block (e2fsck stamps times and counters there).
//! - Every crash point: "crash after transaction N" equals e2fsck's replay of
//!   a copy whose log is cut right after N's commit block.
//!
//! Needs e2fsprogs (scripts/test.sh installs it).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::rc::Rc;

use ext4scope_core::journal::{Journal, Log};
use ext4scope_core::Fs;

#[path = "golden/mod.rs"]
mod golden;
use golden::{parse_logdump, Logdump};

fn tool(cmd: &str, args: &[&str], dir: &Path) -> std::process::Output {
    Command::new(cmd)
        .args(args)
        .current_dir(dir)
        .env("TZ", "UTC")
        .env("LC_ALL", "C")
        .env("E2FSPROGS_FAKE_TIME", "1796202300")
        .output()
        .unwrap_or_else(|e| panic!("{cmd} could not run ({e}): install e2fsprogs (scripts/test.sh does)"))
}

fn run(cmd: &str, args: &[&str], dir: &Path) -> String {
    let out = tool(cmd, args, dir);
    assert!(out.status.success(), "{cmd} {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("ext4scope-jlog-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

fn gunzip(gz: &Path) -> Vec<u8> {
    let out = Command::new("gzip").args(["-dc"]).arg(gz).output().expect("gzip");
    assert!(out.status.success());
    out.stdout
}

/// Ours, in logdump's terms, for the transactions recovery reads.
fn ours_as_logdump(log: &Log) -> Logdump {
    let mut l = Logdump::default();
    for t in &log.transactions {
        let mut hs: Vec<(u64, u32, u32)> = Vec::new();
        for d in &t.descriptors {
            hs.push((u64::from(d.journal_block), t.sequence, 1));
            let tags = t
                .blocks
                .iter()
                .filter(|b| b.descriptor == d.journal_block)
                .map(|b| (b.fs_block, u64::from(b.journal_block), b.flags));
            l.tags.push((u64::from(d.journal_block), tags.collect()));
        }
        for r in &t.revoke_blocks {
            hs.push((u64::from(r.journal_block), t.sequence, 5));
        }
        if let Some(c) = t.commit_block {
            hs.push((u64::from(c), t.sequence, 2));
        }
        // In log order (the ring wraps: order by distance from the transaction's start).
        let ring = u64::from(log.superblock.maxlen);
        hs.sort_by_key(|&(b, _, _)| (b + ring - u64::from(t.start)) % ring);
        l.blocks.extend(hs);
        if !t.revoked.is_empty() {
            // One list per transaction; compared as a multiset below.
            l.revoked.push((u64::from(t.sequence), t.revoked.clone()));
        }
    }
    l
}

struct Checked {
    transactions: usize,
    tags: usize,
    replayed_blocks: usize,
    crash_points: usize,
}

/// Blocks of `a` and `b` (images of one size) that differ.
fn differing_blocks(a: &[u8], b: &[u8], bs: usize) -> Vec<u64> {
    assert_eq!(a.len(), b.len(), "image sizes");
    a.chunks(bs).zip(b.chunks(bs)).enumerate().filter(|(_, (x, y))| x != y).map(|(i, _)| i as u64).collect()
}

fn state_bytes(fs: &Fs) -> Vec<u8> {
    let len = fs.image().len() as usize;
    fs.image().read_bytes(0, len).expect("read state")
}

/// e2fsck -E journal_only on a copy of `bytes`: the replayed image and e2fsck's output.
fn e2fsck_replay(dir: &Path, name: &str, bytes: &[u8]) -> (Vec<u8>, String) {
    let p = dir.join(format!("{name}.e2fsck.img"));
    std::fs::write(&p, bytes).expect("copy");
    let out = tool("e2fsck", &["-y", "-E", "journal_only", p.to_str().expect("utf-8")], dir);
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.code().is_some_and(|c| c <= 1), "e2fsck on {name}: {text}");
    let r = std::fs::read(&p).expect("replayed");
    let _ = std::fs::remove_file(&p);
    (r, text)
}

/// Compare our replay through `through` with e2fsck's of `input`.
#[allow(clippy::too_many_arguments)]
fn compare_replay(
    dir: &Path,
    name: &str,
    fs: &Fs,
    j: &Journal,
    log: &Log,
    through: Option<u32>,
    input: &[u8],
    ignore: &[u64],
) -> (usize, String) {
    let r = j.replay(fs, log, through).expect("replay");
    let state = fs.with_overlay(Rc::new(r.overlay)).expect("state");
    let ours = state_bytes(&state);
    let (theirs, text) = e2fsck_replay(dir, name, input);
    let bs = fs.block_size() as usize;
    let sb_block = 1024 / bs as u64;
    let diff: Vec<u64> = differing_blocks(&ours, &theirs, bs)
        .into_iter()
        .filter(|b| *b != sb_block && !ignore.contains(b))
        .collect();
    assert!(
        diff.is_empty(),
        "{name} through {through:?}: blocks differ from e2fsck's replay: {diff:?}\ne2fsck: {text}"
    );
    // e2fsck's words about a corrupt transaction are ours too.
    for line in text.lines().filter(|l| l.contains("was corrupt, replay was aborted")) {
        assert!(
            r.report.e2fsck.iter().any(|m| line.contains(m.as_str())),
            "{name}: e2fsck says {line:?}, we say {:?}",
            r.report.e2fsck
        );
    }
    (r.report.replayed_blocks, text)
}

/// Every check on one image; `logdump` is its `logdump -a` text. Without
/// `e2fsck_oracle` (fast-commit images, which e2fsprogs 1.47.0 replays unlike
/// the kernel: tests/fast_commit.rs checks those against the kernel) only
/// the log is compared.
fn check(dir: &Path, name: &str, bytes: &[u8], logdump: &str, e2fsck_oracle: bool) -> Checked {
    let fs = Fs::open(Box::new(bytes.to_vec())).expect("open");
    let j = Journal::open(&fs).expect("journal").expect("has a journal");
    let log = j.log(&fs);
    assert!(log.refused.is_none(), "{name}: {:?}", log.refused);
    let theirs = parse_logdump(logdump);
    let ours = ours_as_logdump(&log);
    // logdump reads on past a commit whose checksum fails, recovery does not:
    // ours must be a prefix of theirs, and all of it when the log ends cleanly.
    let end = log.end.as_ref();
    let clean_end = end.is_none_or(|e| e.failed_commit.is_none() && e.error.is_none());
    assert!(
        theirs.blocks.starts_with(&ours.blocks),
        "{name}: headers differ\n ours   {:?}\n theirs {:?}",
        ours.blocks,
        theirs.blocks
    );
    if clean_end {
        assert_eq!(ours.blocks, theirs.blocks, "{name}: headers");
    }
    for (at, tags) in &ours.tags {
        let t =
            theirs.tags.iter().find(|(b, _)| b == at).unwrap_or_else(|| panic!("{name}: descriptor {at}"));
        assert_eq!(tags, &t.1, "{name}: tags of descriptor {at}");
    }
    let mut a: Vec<u64> = ours.revoked.iter().flat_map(|(_, v)| v.clone()).collect();
    let mut b: Vec<u64> = theirs
        .revoked
        .iter()
        .filter(|(at, _)| ours.blocks.iter().any(|h| h.0 == *at))
        .flat_map(|(_, v)| v.clone())
        .collect();
    a.sort_unstable();
    b.sort_unstable();
    assert_eq!(a, b, "{name}: revoked blocks");
    let tags: usize = ours.tags.iter().map(|(_, t)| t.len()).sum();
    if !e2fsck_oracle {
        return Checked { transactions: log.transactions.len(), tags, replayed_blocks: 0, crash_points: 0 };
    }
    // The whole replay.
    let (replayed, e2fsck_text) = compare_replay(dir, name, &fs, &j, &log, None, bytes, &[]);
    // The replay-only walk (no history, copies verified by the replay pass)
    // replays the same blocks and says the same.
    let quick = j.replay(&fs, &j.log_for_replay(&fs), None).expect("replay");
    let full = j.replay(&fs, &log, None).expect("replay");
    assert!(
        quick.overlay.written().eq(full.overlay.written())
            && quick.overlay.written().all(|b| quick.overlay.get(b) == full.overlay.get(b)),
        "{name}: the replay-only walk replays other blocks"
    );
    assert_eq!(quick.report.e2fsck, full.report.e2fsck, "{name}");
    // Every checksum of an image e2fsck finds healthy holds.
    let healthy = !e2fsck_text.contains("checksum") && !e2fsck_text.contains("corrupt");
    if clean_end && healthy {
        for t in log.transactions.iter().filter(|t| t.committed) {
            assert_ne!(t.checksum_ok, Some(false), "{name}: transaction {}", t.sequence);
            assert!(t.blocks.iter().all(|b| b.checksum_ok != Some(false)), "{name}: tags of {}", t.sequence);
        }
    }
    // Every crash point: cut the log after N's commit (zero the next block).
    let mut points = 0;
    let committed: Vec<_> = log.transactions.iter().filter(|t| t.replayed).collect();
    for (i, t) in committed.iter().enumerate() {
        if i + 1 == committed.len() {
            break;
        }
        let next = committed[i + 1].start;
        let Some(phys) = j.fs_block(next) else { continue };
        let bs = fs.block_size() as usize;
        let mut cut = bytes.to_vec();
        cut[phys as usize * bs..(phys as usize + 1) * bs].fill(0);
        compare_replay(
            dir,
            &format!("{name}-cut{}", t.sequence),
            &fs,
            &j,
            &log,
            Some(t.sequence),
            &cut,
            &[phys],
        );
        points += 1;
    }
    Checked { transactions: log.transactions.len(), tags, replayed_blocks: replayed, crash_points: points }
}

/// An image made here: mkfs.ext4 `mkfs`, then debugfs `cmds` (with `data`, 1 MiB of a pattern).
fn made(dir: &Path, size: &str, mkfs: &[&str], cmds: &str) -> Vec<u8> {
    let img = dir.join("j.img");
    let _ = std::fs::remove_file(&img);
    run("truncate", &["-s", size, "j.img"], dir);
    let mut args = vec!["-q", "-F"];
    args.extend_from_slice(mkfs);
    args.push("j.img");
    run("mkfs.ext4", &args, dir);
    let mut data: Vec<u8> = (0..1u32 << 20).map(|i| (i * 7 + 3) as u8).collect();
    // Block 1 of the data file starts with the jbd2 magic: logged escaped.
    for bs in [1024usize, 4096] {
        data[bs..bs + 4].copy_from_slice(&[0xC0, 0x3B, 0x39, 0x98]);
    }
    std::fs::write(dir.join("data"), &data).expect("data");
    std::fs::write(dir.join("cmds"), cmds).expect("cmds");
    run("debugfs", &["-w", "-f", "cmds", "j.img"], dir);
    std::fs::read(&img).expect("image")
}

#[test]
fn logs_and_replays_equal_e2fsprogs() {
    let dir = scratch("all");
    let mut total = Checked { transactions: 0, tags: 0, replayed_blocks: 0, crash_points: 0 };
    let mut images = 0;
    let mut add = |c: Checked| {
        total.transactions += c.transactions;
        total.tags += c.tags;
        total.replayed_blocks += c.replayed_blocks;
        total.crash_points += c.crash_points;
        images += 1;
    };
    // debugfs-written, several layouts: tags of 32/64 bits with and without
    // csum v3 (debugfs writes v3 with -c), 1 KiB and 4 KiB blocks, revokes,
    // an escaped block, a transaction of 200 blocks (several descriptors on 1 KiB).
    let many: Vec<String> = (2000..2200).map(|b| b.to_string()).collect();
    let cmds = |c: &str| {
        format!(
            "jo {c}\njw -b 300,301,302 data\njc\njo {c}\njw -r 301\njc\njo {c}\njw -b 400,401 data\njc\njo {c}\njw -b {} data\njc\njo {c}\njw -b 301 data\njc\n",
            many.join(",")
        )
    };
    for (name, size, mkfs, c) in [
        ("v3-64-4k", "64M", &["-b", "4096"][..], "-c"),
        ("v3-64-1k", "16M", &["-b", "1024"][..], "-c"),
        ("32-nocsum-1k", "16M", &["-b", "1024", "-O", "^64bit,^metadata_csum"][..], ""),
        ("64-nocsum-4k", "64M", &["-b", "4096", "-O", "^metadata_csum"][..], ""),
        ("v3-32-1k", "16M", &["-b", "1024", "-O", "^64bit"][..], "-c"),
    ] {
        let bytes = made(&dir, size, mkfs, &cmds(c));
        let text = run("debugfs", &["-R", "logdump -a", "j.img"], &dir);
        let c = check(&dir, name, &bytes, &text, true);
        assert!(c.transactions >= 5 && c.crash_points >= 4, "{name}: {} transactions", c.transactions);
        add(c);
    }
    // Committed fixtures with their logdump goldens.
    let mut fixtures: Vec<PathBuf> = Vec::new();
    for sub in ["tests/fixtures/crash", "tests/fixtures/journal", "tests/fixtures/fastcommit"] {
        if let Ok(rd) = std::fs::read_dir(root().join(sub)) {
            for e in rd.flatten() {
                let p = e.path();
                if p.to_string_lossy().ends_with(".img.gz") {
                    fixtures.push(p);
                }
            }
        }
    }
    fixtures.sort();
    for gz in &fixtures {
        let name = gz.file_name().unwrap().to_string_lossy().trim_end_matches(".img.gz").to_string();
        let golden = gz.with_file_name(format!("{name}.logdump.txt"));
        let Ok(text) = std::fs::read_to_string(&golden) else { continue };
        let bytes = gunzip(gz);
        add(check(&dir, &name, &bytes, &text, !gz.to_string_lossy().contains("fastcommit")));
    }
    println!(
        "journal conformance: {images} images, {} transactions, {} tags equal logdump -a; {} blocks replayed equal e2fsck -E journal_only; {} crash points equal e2fsck on a cut log",
        total.transactions, total.tags, total.replayed_blocks, total.crash_points
    );
    assert!(images >= 6, "only {images} images");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_revoked_block_is_not_replayed_over_newer_data() {
    // Block 300 logged in transaction 1, revoked in 2, then rewritten at home
    // (outside the journal, as file data reusing a freed metadata block
    // would be): replay must keep the new data.
    let dir = scratch("revoke");
    let bytes = made(&dir, "16M", &["-b", "1024"], "jo -c\njw -b 300 data\njc\njo -c\njw -r 300\njc\n");
    let mut bytes = bytes;
    bytes[300 * 1024..301 * 1024].fill(0xAB);
    let fs = Fs::open(Box::new(bytes.clone())).expect("open");
    let j = Journal::open(&fs).unwrap().unwrap();
    let log = j.log(&fs);
    let r = j.replay(&fs, &log, None).expect("replay");
    assert_eq!(r.report.revoke_hits, 1);
    assert!(r.overlay.get(300).is_none(), "the revoked copy was replayed");
    // Without the revoke (crash after transaction 1), the old copy comes back.
    let first = log.transactions[0].sequence;
    let r1 = j.replay(&fs, &log, Some(first)).expect("replay 1");
    assert!(r1.overlay.get(300).is_some_and(|b| b[0] != 0xAB));
    compare_replay(&dir, "revoke", &fs, &j, &log, None, &bytes, &[]);
    let _ = std::fs::remove_dir_all(&dir);
}

/// debugfs commands writing three one-block transactions (blocks 300-302).
const THREE_TRANSACTIONS: &str =
    "jo -c\njw -b 300 data\njc\njo -c\njw -b 301 data\njc\njo -c\njw -b 302 data\njc\n";

/// `bytes` with one journal block damaged by `hurt`: the journal block that
/// `pick` names in the undamaged log. Returns the damaged image, its file
/// system, journal and log.
fn damaged(
    mut bytes: Vec<u8>,
    pick: impl Fn(&Log) -> u32,
    hurt: impl FnOnce(&mut [u8]),
) -> (Vec<u8>, Fs, Journal, Log) {
    let fs = Fs::open(Box::new(bytes.clone())).expect("open");
    let j = Journal::open(&fs).unwrap().unwrap();
    let bs = fs.block_size() as usize;
    let at = j.fs_block(pick(&j.log(&fs))).expect("mapped") as usize * bs;
    hurt(&mut bytes[at..at + bs]);
    let fs = Fs::open(Box::new(bytes.clone())).expect("open");
    let j = Journal::open(&fs).unwrap().unwrap();
    let log = j.log(&fs);
    (bytes, fs, j, log)
}

#[test]
fn an_uncommitted_last_transaction_is_shown_not_replayed() {
    let dir = scratch("uncommitted");
    // debugfs commits what it opened when it exits, so the crash is made by
    // hand: the last commit block never reached the disk (zeroed).
    let made =
        made(&dir, "16M", &["-b", "1024"], "jo -c\njw -b 300 data\njc\njo -c\njw -b 301,302 data\njc\n");
    let (bytes, fs, j, log) =
        damaged(made, |l| l.transactions[1].commit_block.expect("commit"), |b| b.fill(0));
    let last = log.transactions.last().expect("transactions");
    assert!(!last.committed && !last.replayed, "{last:?}");
    assert_eq!(last.blocks.len(), 2);
    let r = j.replay(&fs, &log, None).expect("replay");
    assert!(r.overlay.get(301).is_none());
    compare_replay(&dir, "uncommitted", &fs, &j, &log, None, &bytes, &[]);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_bad_tag_checksum_skips_the_block_and_fails_recovery_as_e2fsck_does() {
    let dir = scratch("badtag");
    let made = made(&dir, "16M", &["-b", "1024"], THREE_TRANSACTIONS);
    let (bytes, fs, j, log) =
        damaged(made, |l| l.transactions[1].blocks[0].journal_block, |b| b[100] ^= 0xFF);
    assert_eq!(log.transactions[1].blocks[0].checksum_ok, Some(false));
    let r = j.replay(&fs, &log, None).expect("replay");
    assert_eq!(r.report.bad_checksums, vec![(log.transactions[1].sequence, 301)]);
    assert!(r.overlay.get(301).is_none() && r.overlay.get(302).is_some());
    assert_eq!(r.report.next_sequence, j.sb.s_sequence.0, "e2fsck keeps s_sequence after a recovery error");
    compare_replay(&dir, "badtag", &fs, &j, &log, None, &bytes, &[]);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_bad_commit_checksum_aborts_replay_as_e2fsck_says() {
    let dir = scratch("badcommit");
    let made = made(&dir, "16M", &["-b", "1024"], THREE_TRANSACTIONS);
    // Damage the commit time (inside the checksummed bytes).
    let (bytes, fs, j, log) =
        damaged(made, |l| l.transactions[1].commit_block.expect("commit"), |b| b[0x35] ^= 0xFF);
    let second = &log.transactions[1];
    let end = log.end.as_ref().expect("end");
    assert_eq!(end.failed_commit, Some(second.sequence));
    assert_eq!(log.transactions.iter().filter(|t| t.replayed).count(), 1);
    let r = j.replay(&fs, &log, None).expect("replay");
    assert!(r
        .report
        .e2fsck
        .iter()
        .any(|m| m == &format!("Journal transaction {} was corrupt, replay was aborted.", second.sequence)));
    compare_replay(&dir, "badcommit", &fs, &j, &log, None, &bytes, &[]);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn block_changes_are_named_fields() {
    // The kernel crash fixture: its first transaction creates /d with 300 files.
    let bytes = gunzip(&root().join("tests/fixtures/crash/kernel-journal.img.gz"));
    let fs = Fs::open(Box::new(bytes)).expect("open");
    let j = Journal::open(&fs).unwrap().unwrap();
    let log = j.log(&fs);
    let t = &log.transactions[0];
    let r = j.replay(&fs, &log, Some(t.sequence)).expect("replay");
    let after = fs.with_overlay(Rc::new(r.overlay)).expect("state");
    let mut by_kind: BTreeMap<String, usize> = BTreeMap::new();
    let mut lines = Vec::new();
    for b in &t.blocks {
        let old = fs.block(b.fs_block).unwrap();
        let new = after.block(b.fs_block).unwrap();
        let c =
            ext4scope_core::journal::diff::block_change(&after, None, b.fs_block, &old, &new, "disk".into())
                .expect("change");
        *by_kind.entry(format!("{:?}", c.kind)).or_default() += 1;
        lines.extend(c.summary);
    }
    let all = lines.join("\n");
    assert!(all.contains("inode bitmap: +"), "{all}");
    assert!(all.contains("block bitmap: +"), "{all}");
    assert!(
        all.lines()
            .any(|l| l.starts_with("inode 12: ") && l.contains("i_links_count") || l.starts_with("inode 13")),
        "{all}"
    );
    assert!(by_kind.contains_key("Some(InodeTable)"), "{by_kind:?}");
}

#[test]
fn kernel_fixtures_replay_to_what_the_kernel_mounts() {
    // NAME.kernel.txt: every file of a copy the kernel mounted (and so
    // replayed): path, type, size, links, sha256. Our replayed state must
    // show the same through the core's own path lookup and file reads.
    use sha2::{Digest, Sha256};
    let mut files = 0;
    let mut images = 0;
    let dir = root().join("tests/fixtures/journal");
    let mut names: Vec<PathBuf> =
        std::fs::read_dir(&dir).expect("fixtures").flatten().map(|e| e.path()).collect();
    names.sort();
    for p in names.iter().filter(|p| p.to_string_lossy().ends_with(".kernel.txt")) {
        let name = p.file_name().unwrap().to_string_lossy().trim_end_matches(".kernel.txt").to_string();
        let bytes = gunzip(&dir.join(format!("{name}.img.gz")));
        let fs = Fs::open(Box::new(bytes)).expect("open");
        let j = Journal::open(&fs).unwrap().unwrap();
        let log = j.log(&fs);
        let r = j.replay(&fs, &log, None).expect("replay");
        let st = fs.with_overlay(Rc::new(r.overlay)).expect("state");
        for line in std::fs::read_to_string(p).unwrap().lines().filter(|l| !l.starts_with('#')) {
            let f: Vec<&str> = line.split('\t').collect();
            let (path, ty, size, nlink, sha) = (f[0], f[1], f[2], f[3], f[4]);
            let ino = st.lookup(path).unwrap_or_else(|e| panic!("{name}: {path}: {e:?}"));
            let inode = st.inode(ino).expect("inode");
            assert_eq!(inode.links().to_string(), nlink, "{name}: {path} links");
            if ty == "d" {
                continue;
            }
            assert_eq!(inode.size().to_string(), size, "{name}: {path} size");
            if ty == "-" {
                let data = st.read_file(&inode, 0, inode.size() as usize).expect("read");
                assert_eq!(format!("{:x}", Sha256::digest(&data)), sha, "{name}: {path} content");
            }
            files += 1;
        }
        images += 1;
    }
    println!("kernel replay oracle: {images} images, {files} files equal in size, links and content");
    assert!(images >= 3 && files > 10, "{images} images, {files} files");
}

#[test]
fn a_replayed_block_that_lands_in_the_log_changes_what_replay_reads_next() {
    // Transaction 1's block belongs where transaction 2's descriptor sits in
    // the journal: replaying 1 overwrites the log, so PASS_REPLAY ends early
    // ("recovery pass 2 ended at transaction 2, expected 3") as it does for
    // e2fsck, which then keeps s_sequence.
    let dir = scratch("overwrite");
    let probe = made(&dir, "16M", &["-b", "1024"], "");
    let fs = Fs::open(Box::new(probe)).expect("open");
    let j = Journal::open(&fs).unwrap().unwrap();
    // Transaction 1 = descriptor (1) + one block (2) + commit (3): 2's descriptor is journal block 4.
    let target = j.fs_block(4).expect("mapped");
    let bytes = made(
        &dir,
        "16M",
        &["-b", "1024"],
        &format!("jo -c\njw -b {target} data\njc\njo -c\njw -b 300 data\njc\n"),
    );
    let fs = Fs::open(Box::new(bytes.clone())).expect("open");
    let j = Journal::open(&fs).unwrap().unwrap();
    let log = j.log(&fs);
    assert_eq!(log.transactions.iter().filter(|t| t.replayed).count(), 2, "{:?} {:?}", log.end, log.refused);
    let r = j.replay(&fs, &log, None).expect("replay");
    assert_eq!(r.report.transactions, vec![log.transactions[0].sequence]);
    assert!(r.report.e2fsck.iter().any(|m| m.contains("recovery pass 2 ended")), "{:?}", r.report.e2fsck);
    compare_replay(&dir, "overwrite", &fs, &j, &log, None, &bytes, &[]);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn after_recovery_the_old_transactions_are_history() {
    // e2fsck replays and empties the journal (s_start 0); the transactions
    // are still in the ring and are shown as history, blocks and all.
    let dir = scratch("history");
    for rel in ["crash/kernel-journal", "journal/kernel-wrap", "journal/dbg-v3-4k"] {
        let bytes = gunzip(&root().join(format!("tests/fixtures/{rel}.img.gz")));
        let fs = Fs::open(Box::new(bytes.clone())).expect("open");
        let j = Journal::open(&fs).unwrap().unwrap();
        let live = j.log(&fs);
        let (after, _) = e2fsck_replay(&dir, "history", &bytes);
        let fs2 = Fs::open(Box::new(after)).expect("open replayed");
        let j2 = Journal::open(&fs2).unwrap().unwrap();
        let old = j2.log(&fs2);
        assert_eq!(old.superblock.start, 0, "{rel}");
        assert!(old.transactions.is_empty(), "{rel}");
        for t in live.transactions.iter().filter(|t| t.committed) {
            let h =
                old.transaction(t.sequence).unwrap_or_else(|| panic!("{rel}: {} not in history", t.sequence));
            assert_eq!(h.blocks, t.blocks, "{rel}: transaction {}", t.sequence);
            assert_eq!(h.revoked, t.revoked, "{rel}: transaction {}", t.sequence);
            assert_eq!(h.commit_block, t.commit_block);
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn damaged_v1_and_async_commit_journals_end_where_e2fsck_ends() {
    // kernel-v1csum: a logged block of the second transaction damaged: its
    // crc32_be transaction checksum fails at the commit (sync commit: replay
    // aborted there). kernel-async: the second commit block damaged: with
    // async_commit the scan goes on, but replay still ends before it.
    let dir = scratch("v1async");
    for (rel, what) in [("journal/kernel-v1csum", "block"), ("journal/kernel-async", "commit")] {
        let original = gunzip(&root().join(format!("tests/fixtures/{rel}.img.gz")));
        let pick = |l: &Log| {
            let t = &l.transactions[1];
            if what == "block" {
                t.blocks[0].journal_block
            } else {
                t.commit_block.expect("commit")
            }
        };
        let (bytes, fs, j, log) = damaged(original, pick, |b| b[0x34] ^= 0x5A);
        let t = &log.transactions[1];
        assert_eq!(log.end.as_ref().unwrap().sequence, t.sequence, "{rel}: {:?}", log.end);
        assert_eq!(log.transactions.iter().filter(|x| x.replayed).count(), 1, "{rel}");
        let (_, text) =
            compare_replay(&dir, rel.rsplit('/').next().unwrap(), &fs, &j, &log, None, &bytes, &[]);
        println!(
            "{rel}: {}",
            text.lines().filter(|l| !l.contains("recovering journal")).collect::<Vec<_>>().join(" | ")
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_external_journal_is_named_not_refused() {
    // A file system whose journal is on another device: s_journal_inum 0,
    // s_journal_uuid and s_journal_dev set (as mkfs.ext4 -J device= leaves it).
    let dir = scratch("external");
    let mut bytes = made(&dir, "8M", &["-b", "1024"], "");
    let sb = 1024;
    bytes[sb + 0xE0..sb + 0xE4].copy_from_slice(&0u32.to_le_bytes());
    bytes[sb + 0xE4..sb + 0xE8].copy_from_slice(&0x0701u32.to_le_bytes());
    bytes[sb + 0xD0..sb + 0xE0].copy_from_slice(&[0x11; 16]);
    let c = ext4scope_core::format::superblock::superblock_checksum(&bytes[sb..sb + 1024]);
    bytes[sb + 0x3FC..sb + 0x400].copy_from_slice(&c.to_le_bytes());
    let fs = Fs::open(Box::new(bytes)).expect("open");
    let j = Journal::open(&fs).expect("no error").expect("a journal");
    let log = j.log(&fs);
    match &log.location {
        ext4scope_core::journal::JournalLocation::External { uuid, device } => {
            assert_eq!(uuid, "11111111-1111-1111-1111-111111111111");
            assert_eq!(*device, 0x0701);
        }
        other => panic!("{other:?}"),
    }
    assert!(log.refused.as_deref().is_some_and(|r| r.contains("another device")));
    assert!(log.transactions.is_empty() && log.end.is_none());
    let r = j.replay(&fs, &log, None).expect("replay");
    assert!(r.overlay.is_empty());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_version_1_journal_superblock_replays_as_e2fsck_replays_it() {
    // dbg-32-1k with its journal superblock turned into version 1: no feature
    // words (e2fsck clears them, and whatever follows, from a v1 superblock).
    let dir = scratch("v1sb");
    let mut bytes = gunzip(&root().join("tests/fixtures/journal/dbg-32-1k.img.gz"));
    let fs = Fs::open(Box::new(bytes.clone())).expect("open");
    let j = Journal::open(&fs).unwrap().unwrap();
    let at = j.fs_block(0).unwrap() as usize * fs.block_size() as usize;
    bytes[at + 4..at + 8].copy_from_slice(&3u32.to_be_bytes());
    let fs = Fs::open(Box::new(bytes.clone())).expect("open");
    let j = Journal::open(&fs).unwrap().unwrap();
    let log = j.log(&fs);
    assert_eq!(log.superblock.version, 1);
    assert!(log.superblock.features.is_empty());
    assert_eq!(log.transactions.iter().filter(|t| t.replayed).count(), 5);
    compare_replay(&dir, "v1sb", &fs, &j, &log, None, &bytes, &[]);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn logged_copies_are_named_by_content_as_the_ownership_scan_names_their_homes() {
    // decode::kind_by_content (what the timeline colours a logged block with
    // when its home is not layout metadata) against the ownership scan of the
    // replayed state, on every kernel-written fixture: directory blocks,
    // extent nodes, and file data (data=journal) that must not pass for either.
    use ext4scope_core::decode::{kind_by_content, LayoutIndex};
    use ext4scope_core::ownership::OwnerKind;
    let mut agree = std::collections::BTreeMap::<String, usize>::new();
    for rel in
        ["crash/kernel-journal", "journal/kernel-revoke", "journal/kernel-datajournal", "journal/kernel-wrap"]
    {
        let bytes = gunzip(&root().join(format!("tests/fixtures/{rel}.img.gz")));
        let fs = Fs::open(Box::new(bytes)).expect("open");
        let j = Journal::open(&fs).unwrap().unwrap();
        let log = j.log(&fs);
        let Some(last) = log.transactions.iter().rfind(|t| t.replayed) else { continue };
        // Only the last transaction's copies are what is at home after recovery.
        let r = j.replay(&fs, &log, None).expect("replay");
        let st = fs.with_overlay(Rc::new(r.overlay)).expect("state");
        let (map, _) = st.scan(&mut |_| true).expect("scan");
        let layout = LayoutIndex::new(&st);
        for b in &last.blocks {
            if layout.kind(&st, b.fs_block).is_some() || b.flags & 1 != 0 {
                continue;
            }
            let copy = j.read(&fs, b.journal_block).expect("copy");
            let home = st.owner_of(b.fs_block, Some(&map)).expect("owner");
            let Some(owner) = home.owners.first().map(|o| o.kind) else { continue };
            let by_content = kind_by_content(&copy, fs.block_size());
            match owner {
                OwnerKind::DirData | OwnerKind::ExtentTree | OwnerKind::Xattr => {
                    assert_eq!(by_content, Some(owner), "{rel}: block {} ({owner:?})", b.fs_block)
                }
                other => assert_eq!(by_content, None, "{rel}: block {} is {other:?}", b.fs_block),
            }
            *agree.entry(format!("{owner:?}")).or_default() += 1;
        }
    }
    println!("logged copies named by content as the scan names their homes: {agree:?}");
    assert!(agree.get("DirData").is_some_and(|&n| n > 0), "{agree:?}");
    assert!(agree.get("FileData").is_some_and(|&n| n > 0), "{agree:?}");
}
