//! The simulator's jbd2 log writer (`sim::jbd2`) against the kernel and
//! e2fsprogs.
//!
//! - Byte for byte against the kernel: every committed transaction of the
//!   kernel-written fixtures (tests/fixtures/crash/kernel-journal and
//!   tests/fixtures/journal/kernel-*) is fed back to a writer that starts
//!   where the kernel's log starts; every journal block it writes (revoke,
//!   descriptor, copies, commit) must equal the kernel's.
//! - Round trip: transactions written into an overlay read back with our
//!   walker (every tag, revoke and checksum verifies) and replay home.
//! - Real tools: `debugfs logdump -a` lists what was written and `e2fsck
//!   -fy` replays it and finds the file system clean (skipped, with a note,
//!   without e2fsprogs).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::rc::Rc;

use std::collections::BTreeMap;

use ext4scope_core::format::journal::{
    self as jfmt, unescape, CommitBlock, JournalSuperblock, COMPAT_CHECKSUM, INCOMPAT_64BIT,
    INCOMPAT_ASYNC_COMMIT, INCOMPAT_CSUM_V2, INCOMPAT_CSUM_V3, INCOMPAT_REVOKE, JBD2_MAGIC,
};
use ext4scope_core::io::Block;
use ext4scope_core::journal::{Journal, Transaction};
use ext4scope_core::sim::jbd2::{revoke_order, JKind, JWrite, LogWriter, MountFeatures, TxContent};
use ext4scope_core::{Fs, Overlay};

#[path = "golden/mod.rs"]
mod golden;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn gunzip(p: &Path) -> Vec<u8> {
    use std::io::Read;
    let f = std::fs::File::open(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    let mut v = Vec::new();
    flate2::read::GzDecoder::new(f).read_to_end(&mut v).expect("gunzip");
    v
}

fn open(bytes: Vec<u8>) -> (Fs, Journal) {
    let fs = Fs::open(Box::new(bytes)).expect("open");
    let j = Journal::open(&fs).expect("journal").expect("has a journal");
    (fs, j)
}

/// A transaction of a log as ext4 handed it to jbd2: home blocks with their
/// unescaped content, revokes in ascending block order (the order
/// `ext4_free_blocks` revokes the blocks of one extent: kernel-manyrevokes
/// frees one 473-block extent, and its 177 buckets with several records
/// only come out right from that order), the commit time.
fn content_of(fs: &Fs, j: &Journal, t: &Transaction) -> TxContent {
    let blocks = t
        .blocks
        .iter()
        .map(|b| {
            let d = j.read(fs, b.journal_block).expect("logged copy");
            (b.fs_block, Block::from(unescape(b.flags, &d)))
        })
        .collect();
    let mut revoked = t.revoked.clone();
    revoked.sort_unstable();
    let c = CommitBlock::parse(&j.read(fs, t.commit_block.expect("committed")).expect("commit block"));
    TxContent { blocks, revoked, commit_time: (c.h_commit_sec.0, c.h_commit_nsec.0) }
}

/// The kernel's journal blocks of `t`, in log order from its start.
fn kernel_blocks(j: &Journal, t: &Transaction) -> Vec<u32> {
    let mut v = Vec::new();
    let mut at = t.start;
    while at != t.end {
        v.push(at);
        at = j.next(at);
    }
    v
}

fn first_diff(a: &[u8], b: &[u8]) -> Option<usize> {
    (0..a.len().max(b.len())).find(|&i| a.get(i) != b.get(i))
}

struct KernelResult {
    transactions: usize,
    identical: usize,
    blocks: usize,
    diffs: Vec<String>,
}

fn against_kernel(gz: &Path) -> KernelResult {
    let (fs, j) = open(gunzip(gz));
    let log = j.log(&fs);
    let mut w = LogWriter::resume(&j, j.sb.s_sequence.0, j.sb.s_start.0).expect("resume");
    let mut r = KernelResult { transactions: 0, identical: 0, blocks: 0, diffs: Vec::new() };
    for t in log.transactions.iter().filter(|t| t.committed) {
        r.transactions += 1;
        let tx = content_of(&fs, &j, t);
        let writes = w.commit(&tx).unwrap_or_else(|e| panic!("{}: commit {}: {e}", gz.display(), t.sequence));
        let theirs = kernel_blocks(&j, t);
        let ours: Vec<u32> = writes.iter().map(|w| w.jblock).collect();
        let mut same = ours == theirs;
        if !same {
            r.diffs.push(format!("tx {}: journal blocks ours {ours:?} kernel {theirs:?}", t.sequence));
        }
        for wr in &writes {
            r.blocks += 1;
            let k = j.read(&fs, wr.jblock).expect("kernel block");
            assert_eq!(Some(wr.fs_block), j.fs_block(wr.jblock));
            if let Some(at) = first_diff(&wr.data, &k) {
                same = false;
                r.diffs.push(format!(
                    "tx {} {:?} at journal block {}: first difference at byte {at} (ours {:02x?}, kernel {:02x?})",
                    t.sequence,
                    wr.kind,
                    wr.jblock,
                    wr.data.get(at..(at + 8).min(wr.data.len())),
                    k.get(at..(at + 8).min(k.len())),
                ));
            }
        }
        r.identical += usize::from(same);
    }
    r
}

#[test]
fn kernel_transactions_byte_for_byte() {
    let mut imgs = vec![];
    for n in ["kernel-journal", "kernel-manyrevokes", "kernel-nocsum-4k"] {
        imgs.push(root().join(format!("tests/fixtures/crash/{n}.img.gz")));
    }
    for n in ["kernel-async", "kernel-datajournal", "kernel-revoke", "kernel-v1csum", "kernel-wrap"] {
        imgs.push(root().join(format!("tests/fixtures/journal/{n}.img.gz")));
    }
    let mut all = Vec::new();
    for p in &imgs {
        let r = against_kernel(p);
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        println!(
            "{name}: {}/{} kernel transactions byte-identical ({} journal blocks compared)",
            r.identical, r.transactions, r.blocks
        );
        for d in r.diffs.iter().take(10) {
            println!("  {d}");
        }
        assert!(r.transactions > 0, "{name}: no committed transactions");
        if r.identical != r.transactions {
            all.push(format!("{name}: {} differ: {}", r.transactions - r.identical, r.diffs.join("; ")));
        }
    }
    assert!(all.is_empty(), "{}", all.join("\n"));
}

/// The kernel's first commit after mounting a clean journal writes the
/// journal superblock first (JBD2_FLUSHED): from the fixtures whose log
/// starts at s_first, rebuild the clean superblock the mount saw (s_start 0,
/// s_sequence one before the first tid) and compare that write with the
/// kernel's journal block 0.
#[test]
fn kernel_flushed_superblock_write() {
    let mut n = 0;
    let names = [
        "crash/kernel-journal",
        "crash/kernel-nocsum-4k",
        "journal/kernel-async",
        "journal/kernel-datajournal",
        "journal/kernel-revoke",
        "journal/kernel-v1csum",
    ];
    for name in names {
        let (fs, j) = open(gunzip(&root().join(format!("tests/fixtures/{name}.img.gz"))));
        assert_eq!(j.sb.s_start.0, j.first, "{name}: the log starts at s_first");
        let tid = j.sb.s_sequence.0;
        let mut clean = j.clone();
        clean.sb_raw[0x18..0x1C].copy_from_slice(&(tid - 1).to_be_bytes());
        clean.sb_raw[0x1C..0x20].copy_from_slice(&0u32.to_be_bytes());
        clean.sb = JournalSuperblock::parse(&clean.sb_raw);
        clean.needs_recovery = false;
        let mut w = LogWriter::new(&clean).expect("clean journal");
        assert_eq!(w.next_tid(), tid);
        let log = j.log(&fs);
        let t = log.transactions.iter().find(|t| t.committed).expect("a transaction");
        let writes = w.commit(&content_of(&fs, &j, t)).expect("commit");
        let sb = &writes[0];
        assert_eq!(sb.kind, JKind::Superblock);
        assert_eq!((sb.jblock, sb.flush_before, sb.fua), (0, false, false), "{name}: REQ_SYNC only");
        let k = j.read(&fs, 0).expect("journal superblock");
        assert_eq!(first_diff(&sb.data, &k), None, "{name}: journal superblock differs from the kernel's");
        // The rest of the commit is the kernel's too.
        for wr in &writes[1..] {
            assert_eq!(
                first_diff(&wr.data, &j.read(&fs, wr.jblock).unwrap()),
                None,
                "{name}: block {}",
                wr.jblock
            );
        }
        n += 1;
    }
    println!("{n}/{} FLUSHED superblock writes byte-identical to the kernel's", names.len());
}

/// Revoke records come out bucket by bucket (`hash_64`), the newest record
/// of a bucket first: kernel-manyrevokes revokes one extent of 473 blocks
/// (ascending, as `ext4_free_blocks` does) into 256 buckets; its revoke
/// blocks hold them in that order, and the opposite order within a bucket
/// would be visibly different.
#[test]
fn revoke_records_in_hash_bucket_order() {
    use ext4scope_core::sim::jbd2::revoke_bucket;
    let (fs, j) = open(gunzip(&root().join("tests/fixtures/crash/kernel-manyrevokes.img.gz")));
    let log = j.log(&fs);
    let t = log.transactions.iter().max_by_key(|t| t.revoked.len()).expect("a transaction with revokes");
    let buckets: std::collections::BTreeSet<usize> = t.revoked.iter().map(|&b| revoke_bucket(b)).collect();
    assert!(buckets.len() < t.revoked.len(), "some bucket holds several records");
    let keys: Vec<usize> = t.revoked.iter().map(|&b| revoke_bucket(b)).collect();
    assert!(keys.windows(2).all(|w| w[0] <= w[1]), "records ascend by hash_64 bucket");
    let mut asc = t.revoked.clone();
    asc.sort_unstable();
    assert_eq!(asc.last().unwrap() - asc[0] + 1, asc.len() as u64, "one extent");
    assert_eq!(revoke_order(&asc), t.revoked, "newest record of a bucket first");
    let desc: Vec<u64> = asc.iter().rev().copied().collect();
    assert_ne!(revoke_order(&desc), t.revoked, "the order within a bucket shows");
    println!("{} revoke records in {} buckets, in the kernel's order", t.revoked.len(), buckets.len());
}

// ------------------------------------------------------------ round trip

/// A clean image from mkfs.ext4 (fixtures' mke2fs.conf), or `None` without e2fsprogs.
fn mkfs(dir: &Path, name: &str, size: &str, args: &[&str]) -> Option<Vec<u8>> {
    let img = dir.join(format!("{name}.img"));
    let _ = std::fs::remove_file(&img);
    std::fs::File::create(&img).ok()?;
    Command::new("truncate").arg("-s").arg(size).arg(&img).status().ok()?;
    let out = Command::new("mkfs.ext4")
        .args([
            "-q",
            "-F",
            "-U",
            "e4e4e4e4-0000-4000-8000-0000000051a1",
            "-E",
            "hash_seed=5eed5eed-0000-4000-8000-000000000001,root_owner=0:0",
        ])
        .args(args)
        .arg(&img)
        .env("MKE2FS_CONFIG", root().join("tests/fixtures/mke2fs.conf"))
        .env("E2FSPROGS_FAKE_TIME", "1700000000")
        .output()
        .ok()?;
    assert!(out.status.success(), "mkfs.ext4 {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    std::fs::read(&img).ok()
}

fn have(tool: &str) -> bool {
    Command::new(tool).arg("-V").output().is_ok()
}

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("ext4scope-simjbd2-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

/// Free blocks of `fs`, from the last group backwards.
fn free_blocks(fs: &Fs, n: usize) -> Vec<u64> {
    let g = &fs.geo;
    let mut out = Vec::new();
    for grp in (0..g.groups_count).rev() {
        let bm = fs.block_bitmap(grp).expect("bitmap");
        let base = g.first_data_block + u64::from(grp) * u64::from(g.blocks_per_group);
        for i in (0..g.blocks_per_group).rev() {
            let b = base + u64::from(i);
            if b < g.blocks_count && !bm.get(i) {
                out.push(b);
                if out.len() == n {
                    out.sort_unstable();
                    return out;
                }
            }
        }
    }
    panic!("not {n} free blocks");
}

fn pattern(bs: usize, tag: &str) -> Block {
    let line = format!("{tag}\n");
    let v: Vec<u8> = line.bytes().cycle().take(bs).collect();
    Block::from(v)
}

fn with_magic(b: &Block) -> Block {
    let mut v = b.to_vec();
    v[..4].copy_from_slice(&JBD2_MAGIC.to_be_bytes());
    Block::from(v)
}

/// The image bytes with `o` applied.
fn apply(bytes: &[u8], bs: usize, o: &Overlay) -> Vec<u8> {
    let mut v = bytes.to_vec();
    for b in o.written() {
        let at = b as usize * bs;
        v[at..at + bs].copy_from_slice(o.get(b).unwrap());
    }
    v
}

/// Set `needs_recovery` in the primary superblock (with its checksum), as a
/// mount that logged transactions leaves it.
fn mark_needs_recovery(fs: &Fs, o: &mut Overlay) {
    let bs = fs.block_size() as usize;
    let blk = 1024 / bs as u64;
    let off = 1024 % bs;
    let mut b = fs.image().with_overlay(Rc::new(o.clone())).block(blk).unwrap().to_vec();
    let sb = &mut b[off..off + 1024];
    let inc = u32::from_le_bytes(sb[0x60..0x64].try_into().unwrap()) | 0x4;
    sb[0x60..0x64].copy_from_slice(&inc.to_le_bytes());
    if fs.sb.has_metadata_csum() {
        let c = ext4scope_core::format::superblock::superblock_checksum(sb);
        sb[0x3FC..0x400].copy_from_slice(&c.to_le_bytes());
    }
    o.write(blk, Block::from(b));
}

/// What was written, and what recovery must leave at home.
struct Written {
    /// The state: home writes of checkpointed transactions + every journal write.
    overlay: Overlay,
    /// Transactions left in the log, in order, with what was given.
    in_log: Vec<(u32, TxContent)>,
    /// Home block → content after recovery (blocks not listed keep theirs).
    expect: BTreeMap<u64, Block>,
    /// Home blocks whose logged copies recovery must skip (revoked).
    untouched: Vec<u64>,
    /// The log wrapped around the end of the ring.
    wrapped: bool,
    writes: Vec<JWrite>,
}

fn write_all(o: &mut Overlay, ws: &[JWrite]) {
    for w in ws {
        o.write(w.fs_block, w.data.clone());
    }
}

/// Checkpointed transactions until the log is about to wrap, then four
/// transactions left in the log across the wrap: copies (one escaped),
/// a many-descriptor one, many revokes (several revoke blocks), a re-log
/// after a revoke.
fn scenario(fs: &Fs, j: &Journal, w: &mut LogWriter) -> Written {
    let bs = fs.block_size() as usize;
    let (per_desc_guess, ring) = (bs / 16, j.ring_len() as usize);
    let big = (per_desc_guess * 2 + 7).min(ring / 4);
    let f = free_blocks(fs, big + 200);
    let mut overlay = Overlay::new();
    let mut expect = BTreeMap::new();
    let mut time = 1_700_000_100u64;
    let mut tick = || {
        time += 1;
        (time, (time % 1000) as u32 * 1000)
    };
    let start_head = w.head();
    let mut wrapped = false;
    let mut writes = Vec::new();
    // Phase A: checkpointed traffic until less than one big transaction
    // (and a few blocks) is left before the end of the ring.
    let mut round = 0;
    while (j.last - w.head()) as usize > big + 10 {
        round += 1;
        let tx = TxContent {
            blocks: f[..big].iter().map(|&b| (b, pattern(bs, &format!("A{round} block {b}")))).collect(),
            revoked: Vec::new(),
            commit_time: tick(),
        };
        let before = w.head();
        let ws = w.commit(&tx).expect("phase A commit");
        write_all(&mut overlay, &ws);
        writes.extend(ws);
        wrapped |= w.head() < before;
        for (b, d) in &tx.blocks {
            overlay.write(*b, d.clone());
            expect.insert(*b, d.clone());
        }
        let tid = w.next_tid() - 1;
        let sbw = w.checkpointed(tid).expect("checkpoint").expect("the tail moves");
        assert_eq!((sbw.flush_before, sbw.fua), (true, true));
        overlay.write(sbw.fs_block, sbw.data.clone());
        writes.push(sbw);
    }
    let _ = start_head;
    // Phase B: left in the log.
    let t1 = TxContent {
        blocks: (0..5)
            .map(|i| {
                let d = pattern(bs, &format!("T1 block {}", f[big + i]));
                (f[big + i], if i == 2 { with_magic(&d) } else { d })
            })
            .collect(),
        revoked: Vec::new(),
        commit_time: tick(),
    };
    let t2 = TxContent {
        blocks: f[..big].iter().map(|&b| (b, pattern(bs, &format!("T2 block {b}")))).collect(),
        revoked: Vec::new(),
        commit_time: tick(),
    };
    // Revokes: T1's first block and 150 of T2's (and 50 never logged).
    let mut revoked: Vec<u64> = vec![f[big]];
    revoked.extend(f[..150.min(big)].iter().copied());
    revoked.extend(f[big + 20..big + 70].iter().copied());
    let t3 = TxContent {
        blocks: (5..10).map(|i| (f[big + i], pattern(bs, &format!("T3 block {}", f[big + i])))).collect(),
        revoked,
        commit_time: tick(),
    };
    let t4 = TxContent {
        blocks: vec![
            (f[big], pattern(bs, "T4 relogged after its revoke")),
            (f[0], pattern(bs, "T4 relogged too")),
        ],
        revoked: Vec::new(),
        commit_time: tick(),
    };
    let mut in_log = Vec::new();
    for tx in [t1, t2, t3, t4] {
        let tid = w.next_tid();
        let before = w.head();
        let ws = w.commit(&tx).expect("phase B commit");
        wrapped |= w.head() < before;
        write_all(&mut overlay, &ws);
        writes.extend(ws);
        in_log.push((tid, tx));
    }
    // Recovery's result: later copies win; a revoke hides earlier copies.
    let mut untouched = Vec::new();
    let revoked_in_t3: Vec<u64> = in_log[2].1.revoked.clone();
    for (i, (_, tx)) in in_log.iter().enumerate() {
        for (b, d) in &tx.blocks {
            if i < 2 && revoked_in_t3.contains(b) {
                continue;
            }
            expect.insert(*b, d.clone());
        }
    }
    for b in &revoked_in_t3 {
        if !in_log[3].1.blocks.iter().any(|(h, _)| h == b) && !in_log[2].1.blocks.iter().any(|(h, _)| h == b)
        {
            untouched.push(*b);
        }
    }
    Written { overlay, in_log, expect, untouched, wrapped, writes }
}

/// Read `written` back with our walker and replay it: every checksum
/// verifies, the transactions are the ones written, the homes are right.
fn verify_ours(name: &str, fs: &Fs, w: &LogWriter, written: &Written) -> usize {
    let mut o = written.overlay.clone();
    mark_needs_recovery(fs, &mut o);
    let state = fs.with_overlay(Rc::new(o.clone())).expect("state");
    let j = Journal::open(&state).unwrap().unwrap();
    assert!(j.refused.is_none(), "{name}: {:?}", j.refused);
    let v23 = j.features.csum_v2_or_v3().then_some(true);
    assert_eq!(jfmt::superblock_checksum(&j.sb_raw).ok, v23, "{name}: journal superblock checksum");
    // On disk: the features of the last superblock write (the in-memory ones
    // may have gained INCOMPAT_REVOKE since, as the kernel's do).
    let last_sb =
        written.writes.iter().rev().find(|x| x.kind == JKind::Superblock).expect("a superblock write");
    assert_eq!(
        &j.sb_raw[..],
        &last_sb.data[..1024],
        "{name}: the journal superblock is the last one written"
    );
    assert_eq!(
        j.features.incompat | INCOMPAT_REVOKE,
        w.features().incompat | INCOMPAT_REVOKE,
        "{name}: features on disk"
    );
    let log = j.log(&state);
    let seqs: Vec<u32> = log.transactions.iter().map(|t| t.sequence).collect();
    let want: Vec<u32> = written.in_log.iter().map(|(t, _)| *t).collect();
    assert_eq!(seqs, want, "{name}: transactions in the log ({:?})", log.end);
    let csums = j.features.csum_v2_or_v3() || j.features.compat & COMPAT_CHECKSUM != 0;
    let mut tags = 0;
    for (t, (_, tx)) in log.transactions.iter().zip(&written.in_log) {
        assert!(t.committed && t.replayed, "{name}: tx {} committed and replayed", t.sequence);
        if csums {
            assert_eq!(t.checksum_ok, Some(true), "{name}: tx {} commit checksum", t.sequence);
        }
        for m in t.descriptors.iter().chain(&t.revoke_blocks) {
            assert_eq!(
                m.checksum_ok,
                j.features.csum_v2_or_v3().then_some(true),
                "{name}: tx {} block {}",
                t.sequence,
                m.journal_block
            );
        }
        let homes: Vec<u64> = t.blocks.iter().map(|b| b.fs_block).collect();
        let given: Vec<u64> = tx.blocks.iter().map(|(b, _)| *b).collect();
        assert_eq!(homes, given, "{name}: tx {} tags", t.sequence);
        for b in &t.blocks {
            tags += 1;
            assert_eq!(
                b.checksum_ok,
                j.features.csum_v2_or_v3().then_some(true),
                "{name}: tag of {}",
                b.fs_block
            );
            let (_, d) = tx.blocks.iter().find(|(h, _)| *h == b.fs_block).unwrap();
            let escaped = d[..4] == JBD2_MAGIC.to_be_bytes();
            assert_eq!(b.flags & 1 != 0, escaped, "{name}: escape flag of {}", b.fs_block);
        }
        assert_eq!(t.revoked, revoke_order(&tx.revoked), "{name}: tx {} revoke records", t.sequence);
        assert_eq!(t.commit_time, Some(tx.commit_time.0 as i64));
        assert_eq!(t.commit_nsec, Some(tx.commit_time.1));
    }
    assert!(log.problems.is_empty(), "{name}: {:?}", log.problems);
    if fs.block_size() == 1024 {
        let (t2, t3) = (&log.transactions[1], &log.transactions[2]);
        assert!(t2.descriptors.len() > 1, "{name}: T2 needs several descriptor blocks");
        if j.features.is_64bit() {
            assert!(t3.revoke_blocks.len() > 1, "{name}: T3 needs several revoke blocks");
        }
    }
    let r = j.replay(&state, &log, None).expect("replay");
    assert!(r.report.e2fsck.is_empty() && r.report.problems.is_empty(), "{name}: {:?}", r.report);
    // The replay's blocks on top of the state (with_overlay replaces an overlay).
    let mut merged = o;
    for b in r.overlay.written() {
        merged.write(b, r.overlay.get(b).unwrap().clone());
    }
    let after = fs.with_overlay(Rc::new(merged)).unwrap();
    for (b, d) in &written.expect {
        let got = after.block(*b).unwrap();
        assert!(
            got[..] == d[..],
            "{name}: block {b} after replay: {:?}, expected {:?}",
            String::from_utf8_lossy(&got[..40]),
            String::from_utf8_lossy(&d[..40])
        );
    }
    for b in &written.untouched {
        assert_eq!(after.block(*b).unwrap(), state.block(*b).unwrap(), "{name}: revoked block {b} replayed");
    }
    tags
}

/// A clean journal's writer with the features of `setup`.
fn writer(j: &Journal, setup: &dyn Fn(&mut LogWriter)) -> LogWriter {
    let mut w = LogWriter::new(j).expect("clean journal");
    setup(&mut w);
    w
}

fn round_trip(name: &str, bytes: Vec<u8>, setup: &dyn Fn(&mut LogWriter), tools: Option<&Path>) {
    let (fs, j) = open(bytes.clone());
    let mut w = writer(&j, setup);
    let first_tid = w.next_tid();
    // A transaction larger than the log is refused and changes nothing.
    let bs = fs.block_size() as usize;
    let huge = TxContent {
        blocks: (0..u64::from(j.ring_len())).map(|i| (1000 + i, pattern(bs, "x"))).collect(),
        ..TxContent::default()
    };
    let free = w.free_blocks();
    assert!(w.commit(&huge).is_err(), "{name}: a transaction larger than the log");
    assert_eq!((w.free_blocks(), w.next_tid()), (free, first_tid));

    let written = scenario(&fs, &j, &mut w);
    assert!(written.wrapped, "{name}: the log wraps around");
    assert_eq!(written.writes[0].kind, JKind::Superblock, "{name}: the first commit writes the superblock");
    let async_commit = w.features().incompat & INCOMPAT_ASYNC_COMMIT != 0;
    for c in written.writes.iter().filter(|x| x.kind == JKind::Commit) {
        assert_eq!(
            (c.flush_before, c.fua, c.flush_after),
            (!async_commit, !async_commit, async_commit),
            "{name}"
        );
    }
    let tags = verify_ours(name, &fs, &w, &written);
    println!(
        "{name}: {} features {:?}; {} transactions left in the log across the wrap, {tags} tags, {} revoke records: walker and replay agree",
        fs.block_size(),
        w.features().names(),
        written.in_log.len(),
        written.in_log[2].1.revoked.len()
    );
    if let Some(dir) = tools {
        with_tools(name, dir, &fs, &bytes, &written);
    }
    // Checkpoint the rest, unmount: s_start 0, s_sequence = next tid + 1.
    let last = w.next_tid() - 1;
    let cp = w.checkpointed(last).unwrap().expect("tail moves");
    assert_eq!(jfmt::JournalSuperblock::parse(&cp.data).s_start.0, w.head());
    let head = w.head();
    let next = w.next_tid();
    let um = w.unmount().unwrap().expect("unmount writes the superblock");
    let sb = JournalSuperblock::parse(&um.data);
    assert_eq!((sb.s_start.0, sb.s_sequence.0, sb.s_head.0), (0, next + 1, head));
    assert_eq!((um.flush_before, um.fua), (true, true));
    assert_eq!(jfmt::superblock_checksum(&um.data).ok, w.features().csum_v2_or_v3().then_some(true));
    assert_eq!(w.next_tid(), next + 2, "{name}: the next mount's first tid");
    assert_eq!(w.unmount().unwrap(), None, "{name}: a second unmount has nothing to write");
}

/// debugfs logdump lists what we wrote; e2fsck -fy replays it, leaves our
/// homes and a clean file system.
fn with_tools(name: &str, dir: &Path, fs: &Fs, bytes: &[u8], written: &Written) {
    let bs = fs.block_size() as usize;
    let mut o = written.overlay.clone();
    mark_needs_recovery(fs, &mut o);
    let img = dir.join(format!("{name}-crash.img"));
    std::fs::write(&img, apply(bytes, bs, &o)).unwrap();
    let out = Command::new("debugfs").args(["-R", "logdump -a"]).arg(&img).env("TZ", "UTC").output().unwrap();
    let ld = golden::parse_logdump(&String::from_utf8_lossy(&out.stdout));
    let tags: Vec<u64> = ld.tags.iter().flat_map(|(_, t)| t.iter().map(|x| x.0)).collect();
    let ours: Vec<u64> =
        written.in_log.iter().flat_map(|(_, tx)| tx.blocks.iter().map(|(b, _)| *b)).collect();
    assert_eq!(tags, ours, "{name}: logdump's tags");
    let lrev: Vec<u64> = ld.revoked.iter().flat_map(|(_, r)| r.iter().copied()).collect();
    assert_eq!(lrev, revoke_order(&written.in_log[2].1.revoked), "{name}: logdump's revoke records");
    let commits: Vec<u32> = ld.blocks.iter().filter(|b| b.2 == 2).map(|b| b.1).collect();
    let want: Vec<u32> = written.in_log.iter().map(|(t, _)| *t).collect();
    assert_eq!(commits, want, "{name}: logdump's commit blocks");
    // e2fsck -fy on a copy replays and fixes nothing else.
    let copy = dir.join(format!("{name}-fsck.img"));
    std::fs::copy(&img, &copy).unwrap();
    let out =
        Command::new("e2fsck").args(["-fy"]).arg(&copy).env("E2FSCK_TIME", "1700003600").output().unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(matches!(out.status.code(), Some(0 | 1)), "{name}: e2fsck -fy: {text}");
    assert!(text.contains("recovering journal"), "{name}: {text}");
    for bad in ["Fix?", "Clear?", "checksum", "corrupt", "Invalid"] {
        assert!(!text.contains(bad), "{name}: e2fsck -fy said {bad:?}: {text}");
    }
    let after = std::fs::read(&copy).unwrap();
    for (b, d) in &written.expect {
        let at = *b as usize * bs;
        assert_eq!(&after[at..at + bs], &d[..], "{name}: e2fsck's replay of block {b}");
    }
    let state = apply(bytes, bs, &o);
    for b in &written.untouched {
        let at = *b as usize * bs;
        assert_eq!(&after[at..at + bs], &state[at..at + bs], "{name}: e2fsck replayed revoked block {b}");
    }
    let out = Command::new("e2fsck").args(["-fn"]).arg(&copy).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{name}: e2fsck -fn after the replay: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    println!("{name}: logdump lists {} tags and {} revoke records as written; e2fsck -fy replays them, -fn then clean", tags.len(), lrev.len());
}

fn mount(
    metadata_csum: bool,
    is_64bit: bool,
    journal_checksum: bool,
    async_commit: bool,
) -> impl Fn(&mut LogWriter) {
    move |w: &mut LogWriter| {
        assert!(w.ext4_mount_features(MountFeatures {
            metadata_csum,
            is_64bit,
            journal_checksum,
            async_commit
        }));
    }
}

#[test]
fn round_trip_mkfs_images() {
    if !have("mkfs.ext4") || !have("debugfs") || !have("e2fsck") {
        println!(
            "note: e2fsprogs is not installed: the mkfs round trips and the real-tool checks are skipped"
        );
        return;
    }
    let dir = scratch("mkfs");
    let v2 = |w: &mut LogWriter| {
        w.ext4_mount_features(MountFeatures { metadata_csum: true, is_64bit: true, ..Default::default() });
        // debugfs/tune2fs-style: crc32c v2 tags (the kernel itself writes v3).
        w.set_format(0, INCOMPAT_64BIT | INCOMPAT_CSUM_V2).unwrap();
    };
    let v2_32 = |w: &mut LogWriter| w.set_format(0, INCOMPAT_CSUM_V2 | INCOMPAT_REVOKE).unwrap();
    type Setup = Box<dyn Fn(&mut LogWriter)>;
    let cases: Vec<(&str, &str, Vec<&str>, Setup)> = vec![
        ("v3-64bit-1k", "16M", vec!["-b", "1024"], Box::new(mount(true, true, false, false))),
        ("v3-64bit-4k", "32M", vec!["-b", "4096"], Box::new(mount(true, true, false, false))),
        (
            "v3-32bit-4k",
            "32M",
            vec!["-b", "4096", "-O", "^64bit"],
            Box::new(mount(true, false, false, false)),
        ),
        ("v3-async-4k", "32M", vec!["-b", "4096"], Box::new(mount(true, true, false, true))),
        ("v2-64bit-1k", "16M", vec!["-b", "1024"], Box::new(v2)),
        ("v2-32bit-1k", "16M", vec!["-b", "1024", "-O", "^metadata_csum,^64bit"], Box::new(v2_32)),
        (
            "v1-64bit-1k",
            "16M",
            vec!["-b", "1024", "-O", "^metadata_csum"],
            Box::new(mount(false, true, true, false)),
        ),
        (
            "nocsum-32bit-1k",
            "16M",
            vec!["-b", "1024", "-O", "^metadata_csum,^64bit"],
            Box::new(mount(false, false, false, false)),
        ),
        (
            "nocsum-32bit-4k",
            "32M",
            vec!["-b", "4096", "-O", "^metadata_csum,^64bit"],
            Box::new(mount(false, false, false, false)),
        ),
    ];
    for (name, size, args, setup) in &cases {
        let bytes = mkfs(&dir, name, size, args).expect("mkfs");
        round_trip(name, bytes, setup.as_ref(), Some(&dir));
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Without e2fsprogs: the kernel fixtures, replayed (a clean journal in the
/// kernel's format), written on by the writer and read back.
#[test]
fn round_trip_after_kernel_replay() {
    for name in [
        "crash/kernel-journal",
        "journal/kernel-async",
        "journal/kernel-v1csum",
        "journal/kernel-wrap",
        "journal/kernel-datajournal",
    ] {
        let bytes = gunzip(&root().join(format!("tests/fixtures/{name}.img.gz")));
        let (fs, j) = open(bytes.clone());
        assert!(LogWriter::new(&j).is_err(), "{name}: needs recovery: refused");
        let r = j.replay(&fs, &j.log(&fs), None).unwrap();
        let bs = fs.block_size() as usize;
        let clean = apply(&bytes, bs, &r.overlay);
        let kf = j.features;
        round_trip(name, clean, &|w: &mut LogWriter| assert_eq!(w.features(), kf), None);
    }
}

#[test]
fn features_as_the_kernel_sets_them() {
    let (_, j) = open(gunzip(&root().join("tests/fixtures/crash/kernel-journal.img.gz")));
    let mut w = LogWriter::resume(&j, 5, j.first).unwrap();
    // v2 asked is v3 given; v1 asked with v3 dropped.
    w.clear_features(0xFFFF_FFFF, 0, INCOMPAT_CSUM_V3);
    assert!(w.set_features(COMPAT_CHECKSUM, 0, INCOMPAT_CSUM_V2));
    assert_eq!(
        (w.features().compat, w.features().incompat & (INCOMPAT_CSUM_V2 | INCOMPAT_CSUM_V3)),
        (0, INCOMPAT_CSUM_V3)
    );
    // v1 switches v3 off.
    assert!(w.set_features(COMPAT_CHECKSUM, 0, 0));
    assert_eq!(w.features().incompat & INCOMPAT_CSUM_V3, 0);
    assert!(!w.set_features(0, 0, 0x8000), "an unknown feature is refused");
    // A short block, or a 64-bit block number in a 32-bit journal: refused, nothing changes.
    let mut w = LogWriter::resume(&j, 5, j.first).unwrap();
    let before = (w.head(), w.free_blocks(), w.next_tid(), w.superblock().to_vec());
    let short = TxContent { blocks: vec![(100, Block::from(vec![0u8; 100]))], ..TxContent::default() };
    assert!(w.commit(&short).is_err());
    w.clear_features(0, 0, INCOMPAT_64BIT);
    let wide = TxContent { revoked: vec![1 << 33], ..TxContent::default() };
    assert!(w.commit(&wide).is_err());
    w.set_features(0, 0, INCOMPAT_64BIT);
    assert_eq!((w.head(), w.free_blocks(), w.next_tid(), w.superblock().to_vec()), before);
    assert!(w.commit(&wide).is_ok(), "fits a 64-bit journal");
    assert!(LogWriter::resume(&j, 5, 0).is_err(), "block 0 is not in the ring");
    assert!(LogWriter::resume(&j, 5, j.last).is_err());
}

/// A clean unmount after the recorded transactions: checkpoint them all,
/// then `jbd2_journal_destroy`'s superblock (s_sequence = next tid + 1,
/// s_start 0, s_head, INCOMPAT_REVOKE once a revoke was logged) equals what
/// the kernel's umount left (NAME.umount-jsb.bin, recorded by
/// make-sim-jbd2-images.sh).
#[test]
fn kernel_unmount_superblock() {
    for name in ["kernel-manyrevokes", "kernel-nocsum-4k"] {
        let dir = root().join("tests/fixtures/crash");
        let (fs, j) = open(gunzip(&dir.join(format!("{name}.img.gz"))));
        let kernel = std::fs::read(dir.join(format!("{name}.umount-jsb.bin"))).expect("umount golden");
        let log = j.log(&fs);
        let mut w = LogWriter::resume(&j, j.sb.s_sequence.0, j.sb.s_start.0).unwrap();
        for t in log.transactions.iter().filter(|t| t.committed) {
            w.commit(&content_of(&fs, &j, t)).unwrap();
        }
        let last = w.next_tid() - 1;
        w.checkpointed(last).unwrap().expect("the tail moves");
        let um = w.unmount().unwrap().expect("a superblock write");
        assert_eq!(um.data.len(), kernel.len());
        let d = first_diff(&um.data, &kernel);
        assert_eq!(
            d,
            None,
            "{name}: unmount superblock differs at byte {d:?}: ours {:02x?} kernel {:02x?}",
            d.map(|i| &um.data[i..(i + 8).min(um.data.len())]),
            d.map(|i| &kernel[i..(i + 8).min(kernel.len())])
        );
        println!(
            "{name}: unmount superblock byte-identical (s_sequence {})",
            JournalSuperblock::parse(&kernel).s_sequence.0
        );
    }
}

/// Hostile journal superblocks (checksums recomputed so they get past the
/// checksum check): the writer refuses or writes, never panics.
#[test]
fn hostile_journal_superblocks() {
    let bytes = gunzip(&root().join("tests/fixtures/crash/kernel-journal.img.gz"));
    let (fs, j) = open(bytes.clone());
    let r = j.replay(&fs, &j.log(&fs), None).unwrap();
    let clean = apply(&bytes, fs.block_size() as usize, &r.overlay);
    let (fs, j) = open(clean);
    let jsb = j.fs_block(0).unwrap();
    let field = |off: usize, v: u32| (off, v);
    let cases = [
        vec![field(0x14, 0)],
        vec![field(0x14, 1023)],
        vec![field(0x14, 1024)],
        vec![field(0x14, u32::MAX)],
        vec![field(0x10, 0)],
        vec![field(0x10, 1)],
        vec![field(0x10, 1023)],
        vec![field(0x10, u32::MAX)],
        vec![field(0x10, 1025)],
        vec![field(0x28, 0x20), field(0x54, u32::MAX)],
        vec![field(0x28, 0x20), field(0x54, 1000)],
        vec![field(0x28, 0x20), field(0x54, 1)],
        vec![field(0x28, 0xFFFF_FFFF)],
        vec![field(0x28, 0x3F & !0x20)],
        vec![field(0x28, 0x0A)],
        vec![field(0x24, 0xFFFF_FFFF)],
        vec![field(0x0C, 4096)],
        vec![field(0x04, 3)],
        vec![field(0x18, u32::MAX)],
        vec![field(0x1C, 5)],
        vec![field(0x1C, u32::MAX)],
    ];
    let (mut refused, mut wrote) = (0, 0);
    for patch in &cases {
        let mut b = fs.block(jsb).unwrap().to_vec();
        for &(off, v) in patch {
            b[off..off + 4].copy_from_slice(&v.to_be_bytes());
        }
        let mut c = ext4scope_core::checksum::Crc32c::new(!0);
        c.update(&b[..0xFC]).zeros(4).update(&b[0x100..1024]);
        let v = c.value();
        b[0xFC..0x100].copy_from_slice(&v.to_be_bytes());
        let mut o = Overlay::new();
        o.write(jsb, Block::from(b));
        let state = fs.with_overlay(Rc::new(o)).unwrap();
        let Ok(Some(hj)) = Journal::open(&state) else {
            refused += 1;
            continue;
        };
        let bs = state.block_size() as usize;
        for w in [
            LogWriter::new(&hj),
            LogWriter::resume(&hj, 7, hj.first),
            LogWriter::resume(&hj, 7, hj.last.wrapping_sub(1)),
        ] {
            let Ok(mut w) = w else {
                refused += 1;
                continue;
            };
            let tx = TxContent {
                blocks: (0..70).map(|i| (3000 + i, pattern(bs, "hostile"))).collect(),
                revoked: (0..200).collect(),
                commit_time: (1, 2),
            };
            for _ in 0..40 {
                if w.commit(&tx).is_ok() {
                    wrote += 1;
                }
                let _ = w.checkpointed(w.next_tid().wrapping_sub(1));
            }
            let _ = w.unmount();
            let _ = w.max_transaction_blocks();
        }
    }
    println!("{} hostile superblocks: {refused} refusals, {wrote} commits written, no panic", cases.len());
    assert!(refused > 0 && wrote > 0);
}

/// The tail moved inside commits (`jbd2_update_log_tail` after the commit
/// block once a quarter of the journal is reclaimable), twice around the
/// ring: the superblock writes are FUA without a flush of their own, and the
/// log as the superblock then says is what recovery reads.
#[test]
fn tail_moved_inside_commits() {
    let bytes = gunzip(&root().join("tests/fixtures/crash/kernel-journal.img.gz"));
    let (fs, j) = open(bytes.clone());
    let r = j.replay(&fs, &j.log(&fs), None).unwrap();
    let (fs, j) = open(apply(&bytes, fs.block_size() as usize, &r.overlay));
    let mut w = LogWriter::new(&j).unwrap();
    let bs = fs.block_size() as usize;
    let mut o = Overlay::new();
    let (mut tail_writes, mut commits) = (0u32, 0u32);
    let mut prev: Option<u32> = None;
    let ring = j.ring_len();
    let mut used = 0u32;
    while used < 2 * ring {
        let tx = TxContent {
            blocks: (0..90).map(|i| (9000 + i, pattern(bs, &format!("round {commits} block {i}")))).collect(),
            revoked: vec![],
            commit_time: (1_700_000_000 + u64::from(commits), 0),
        };
        let ws = w.commit_updating_tail(&tx, prev).expect("commit");
        used += w.blocks_needed(&tx);
        let n_sb = ws.iter().filter(|x| x.kind == JKind::Superblock).count();
        if let Some(last) = ws.last().filter(|x| x.kind == JKind::Superblock && ws.len() > 1 && commits > 0) {
            assert_eq!((last.flush_before, last.fua), (false, true), "jbd2_update_log_tail: FUA only");
            tail_writes += 1;
        }
        assert!(n_sb <= 2);
        write_all(&mut o, &ws);
        // Home writes lag three transactions behind.
        prev = Some(w.next_tid() - 4);
        commits += 1;
    }
    let state = fs.with_overlay(Rc::new(o)).unwrap();
    let jj = Journal::open(&state).unwrap().unwrap();
    assert_eq!((jj.sb.s_sequence.0, jj.sb.s_start.0), w.tail());
    let log = jj.log(&state);
    let seqs: Vec<u32> = log.transactions.iter().filter(|t| t.committed).map(|t| t.sequence).collect();
    let want: Vec<u32> = (w.tail().0..w.next_tid()).collect();
    assert_eq!(seqs, want, "the log from the tail");
    assert!(log.transactions.iter().all(|t| t.checksum_ok == Some(true)));
    assert!(tail_writes >= 4, "{tail_writes} tail updates in {commits} commits");
    println!("{commits} commits twice around a {ring}-block ring: {tail_writes} tail updates inside commits; recovery reads {} transactions from the tail", seqs.len());
}
