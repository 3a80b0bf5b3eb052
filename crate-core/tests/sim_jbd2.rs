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

use ext4scope_core::format::journal::{
    self as jfmt, unescape, CommitBlock, COMPAT_CHECKSUM, INCOMPAT_64BIT, INCOMPAT_CSUM_V2,
    INCOMPAT_CSUM_V3, INCOMPAT_REVOKE, JBD2_MAGIC,
};
use ext4scope_core::io::Block;
use ext4scope_core::journal::{Journal, Log, Transaction};
use ext4scope_core::sim::jbd2::{JKind, JWrite, LogWriter, MountFeatures, TxContent};
use ext4scope_core::{Fs, Overlay};

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
/// unescaped content, revokes in an order the kernel could have been given
/// them (the records' order reversed: within a hash bucket the newest
/// record comes first), the commit time.
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
    revoked.reverse();
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
    let mut imgs = vec![root().join("tests/fixtures/crash/kernel-journal.img.gz")];
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
