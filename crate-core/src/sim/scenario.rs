//! Guided scenarios: journaling and crash consistency on real ext4
//! structures. Each scenario is a built-in sample image (made by the real
//! tools), a few steps of operations, and variants (designs, mount options);
//! [`walk`] runs one variant and explains every step from what the
//! simulator did: the transactions and their handles, each logged block
//! decoded and diffed against its previous state, and what a crash at the end
//! of the step leads to. The narration is generated from those facts, never
//! written by hand, so it cannot disagree with the picture.

use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use serde::Serialize;

use super::jrn::WriteKind;
use super::outcome::{interesting_points, outcome, recover, CrashOutcome, Verdict};
use super::{simulate, DataMode, Design, Kernel, Options, Run};
use crate::error::Result;
use crate::fs::Fs;
use crate::journal::diff::{block_change, BlockChange};

/// One way to run a scenario.
#[derive(Debug, Clone, Serialize)]
pub struct Variant {
    /// Its name in links (`kernel`, `writeback`…).
    pub name: &'static str,
    /// What differs, in a line.
    pub label: &'static str,
    /// The options.
    #[serde(skip)]
    pub options: Options,
    /// Steps replacing the scenario's, if this variant changes them.
    #[serde(skip)]
    pub steps: Option<&'static [&'static str]>,
}

/// A scenario.
#[derive(Debug, Clone, Serialize)]
pub struct Scenario {
    /// Its name in links.
    pub name: &'static str,
    /// Title.
    pub title: &'static str,
    /// The built-in sample it runs on.
    pub sample: &'static str,
    /// What it shows, in a sentence or two.
    pub summary: &'static str,
    /// The operations, one step per entry.
    pub steps: &'static [&'static str],
    /// The variants compared (the first is the default).
    pub variants: Vec<Variant>,
}

fn opts(design: Design, data: DataMode, auto_da_alloc: bool, restart_commits: bool) -> Options {
    Options { design, data, auto_da_alloc, restart_commits, ..Options::default() }
}

/// `fallocate-delalloc` on a file with an extent leaf: five one-block
/// extents (one written, four fallocated with holes between) move the root
/// to a leaf, then 16 KiB at block 12 go through the page cache, fallocate
/// and the first page's writeback as in the depth-0 steps.
const LEAF_STEPS: &[&str] = &[
    "write /leaf.log 0 1024; fallocate /leaf.log 2048 1024; fallocate /leaf.log 4096 1024; fallocate /leaf.log 6144 1024; fallocate /leaf.log 8192 1024; fsync /leaf.log",
    "write /leaf.log 12288 4096; write /leaf.log 16384 12288",
    "fallocate /leaf.log 12288 16384",
    "sync_range /leaf.log 12288 4096",
    "commit",
    "fsync /leaf.log",
];

/// Every scenario, in teaching order.
pub fn all() -> Vec<Scenario> {
    let k = Design::Kernel;
    let o = DataMode::Ordered;
    vec![
        Scenario {
            name: "migration",
            title: "Migration crash: chattr +e",
            sample: "ext3-migrate",
            summary: "A block-mapped file becomes extent-mapped through a temporary inode. Where a crash can land depends on the design: before 2022 the temporary inode sat on the orphan list, and the next mount's orphan cleanup freed the file's data once it had an extent leaf; 6.x leaks the inode instead.",
            steps: &["chattr +e /var/log/fragmented", "fsync /var/log/fragmented"],
            variants: vec![
                Variant { name: "kernel", label: "Linux 6.x: the temporary inode off the orphan list (every handle restart a commit)", options: opts(k, o, true, true), steps: None },
                Variant { name: "orphan-list", label: "before 5.16: the temporary inode on the orphan list, its leaf sealed with its own seed", options: opts(Design::OrphanList, o, true, true), steps: None },
                Variant { name: "single-transaction", label: "the swap and the freeing in one transaction", options: opts(Design::SingleTransaction, o, true, true), steps: None },
                Variant { name: "in-memory-temp", label: "the temporary inode only in memory (2011 proposal)", options: opts(Design::InMemoryTemp, o, true, true), steps: None },
            ],
        },
        Scenario {
            name: "eof-extents",
            title: "i_disksize and extents past it",
            sample: "ext4-small",
            summary: "Delayed allocation keeps the new size in memory; a fallocate past it allocates unwritten extents at once. If the commit takes the extents before the writeback raises i_disksize, the disk holds extents past the size it records.",
            steps: &["write /notes.log 0 8192", "fallocate /notes.log 8192 8192 keep_size", "commit", "fsync /notes.log"],
            variants: vec![Variant { name: "6.x", label: "Linux 6.x (fallocate with keep_size sets no size in any era; the 2017 fix for fallocate without it is the fallocate-delalloc scenario)", options: opts(k, o, true, false), steps: None }],
        },
        Scenario {
            name: "fallocate-delalloc",
            title: "fallocate over delayed allocation: before and after the 2017 fix",
            sample: "ext4-small",
            summary: "16 KiB written into the page cache (i_size 16384, i_disksize 0), then fallocate over the same range, then only the first page written back (sync_file_range) and a commit. Before 51e3ae81ec58 ('ext4: fix interaction between i_size, fallocate, and delalloc after a crash', 2017) fallocate set a new size only past the in-memory i_size, so its extent commits with i_disksize 0; on 4.14 the writeback of one page then zeroes out the other 12 blocks and initialises the whole 16-block extent (ext4_ext_convert_to_initialized: eof_block from i_size, until 801674f34ecf 'ext4: do not zeroout extents beyond i_disksize', 2020) but raises i_disksize only to 4096: a crash there leaves initialised blocks past the size, and e2fsck says 'i_size is 4096, should be 16384'. With the fix (6.x) fallocate raises i_disksize to 16384 and only the page written is converted (dioread_nolock): the crash is consistent. The leaf variants do the same on a file with an extent leaf (depth 1), where e2fsck says 'end of extent exceeds allowed value' instead.",
            steps: &[
                "write /notes.log 0 4096; write /notes.log 4096 12288",
                "fallocate /notes.log 0 16384",
                "sync_range /notes.log 0 4096",
                "commit",
                "fsync /notes.log",
            ],
            variants: vec![
                Variant {
                    name: "4.14",
                    label: "Linux 4.14 as released, before 51e3ae81ec58 (2017) and 801674f34ecf (2020): fallocate keeps i_disksize 0; writeback of the first page zeroes out the rest of the extent and initialises all of it, i_disksize 4096",
                    options: Options { kernel: Kernel::V4_14, ..opts(k, o, true, false) },
                    steps: None,
                },
                Variant {
                    name: "6.x",
                    label: "Linux 6.x, with 51e3ae81ec58 and 801674f34ecf: fallocate raises i_disksize to 16384; writeback converts only the page written (dioread_nolock), at I/O completion",
                    options: opts(k, o, true, false),
                    steps: None,
                },
                Variant {
                    name: "4.14-leaf",
                    label: "Linux 4.14, a file with an extent leaf (depth 1): the initialised extent 12-27 (16-27 zeroed out) sits in the leaf past i_disksize 16384, and e2fsck says 'end of extent exceeds allowed value'",
                    options: Options { kernel: Kernel::V4_14, ..opts(k, o, true, false) },
                    steps: Some(LEAF_STEPS),
                },
                Variant {
                    name: "6.x-leaf",
                    label: "Linux 6.x, with 51e3ae81ec58 and 801674f34ecf, the same file with an extent leaf: i_disksize 28672 from the fallocate, only blocks 12-15 converted",
                    options: opts(k, o, true, false),
                    steps: Some(LEAF_STEPS),
                },
            ],
        },
        Scenario {
            name: "delalloc-rename",
            title: "Delayed allocation and the empty file",
            sample: "ext4-small",
            summary: "A file written without fsync has no blocks yet; a rename commits with the next transaction, and a crash then leaves a zero-length file that e2fsck finds consistent. auto_da_alloc flushes the data when the rename replaces a file; fsync before the rename is the fix.",
            steps: &[
                "write /home/alice/notes/todo.txt.new 0 2048",
                "mv /home/alice/notes/todo.txt.new /home/alice/notes/todo.txt",
                "commit",
            ],
            variants: vec![
                Variant { name: "noauto_da_alloc", label: "mounted with noauto_da_alloc", options: opts(k, o, false, false), steps: None },
                Variant { name: "auto_da_alloc", label: "auto_da_alloc (the default): the rename over a file flushes it", options: opts(k, o, true, false), steps: None },
                Variant {
                    name: "fsync-first",
                    label: "fsync before the rename",
                    options: opts(k, o, false, false),
                    steps: Some(&[
                        "write /home/alice/notes/todo.txt.new 0 2048; fsync /home/alice/notes/todo.txt.new",
                        "mv /home/alice/notes/todo.txt.new /home/alice/notes/todo.txt",
                        "commit",
                    ]),
                },
            ],
        },
        Scenario {
            name: "revoke",
            title: "Revoke: freed metadata reused for data",
            sample: "ext3-migrate",
            summary: "An extent leaf is logged, then its file is removed (the leaf freed: a revoke record) and a new file's data lands in that block. Recovery must not copy the old logged leaf over the data: the revoke record is what stops it.",
            steps: &[
                "chattr +e /var/log/fragmented; fsync /var/log/fragmented",
                "rm /var/log/fragmented; sync",
                "write /big 0 24576; fsync /big",
            ],
            variants: vec![Variant { name: "ordered", label: "data=ordered", options: opts(k, o, true, false), steps: None }],
        },
        Scenario {
            name: "torn-commit",
            title: "A torn transaction",
            sample: "ext4-small",
            summary: "A transaction's blocks reach the journal but its commit block does not: recovery drops the whole transaction, and the file system is as before it.",
            steps: &["write /etc/hostname 0 100; fsync /etc/hostname"],
            variants: vec![Variant { name: "ordered", label: "data=ordered", options: opts(k, o, true, false), steps: None }],
        },
        Scenario {
            name: "data-modes",
            title: "Ordered, writeback and journal data modes",
            sample: "ext4-small",
            summary: "data=ordered writes new data before the commit that maps it; data=writeback does not order them, so a crash can leave a file mapping blocks that still hold someone else's old bytes; data=journal logs the data itself.",
            steps: &["write /README 0 4096; fsync /README"],
            variants: vec![
                Variant { name: "ordered", label: "data=ordered (the default)", options: opts(k, o, true, false), steps: None },
                Variant { name: "writeback", label: "data=writeback", options: opts(k, DataMode::Writeback, true, false), steps: None },
                Variant { name: "journal", label: "data=journal", options: opts(k, DataMode::Journal, true, false), steps: None },
            ],
        },
    ]
}

/// The scenario named `name`.
pub fn find(name: &str) -> Option<Scenario> {
    all().into_iter().find(|s| s.name == name)
}

/// One step explained.
#[derive(Debug, Clone, Serialize)]
pub struct StepView {
    /// 0-based.
    pub index: usize,
    /// Its operations.
    pub ops: String,
    /// The writes it caused: [first, end).
    pub writes: (usize, usize),
    /// Transactions it committed.
    pub transactions: Vec<u32>,
    /// Its handles, by kernel name.
    pub handles: Vec<String>,
    /// Every logged block of those transactions, decoded and diffed.
    pub changes: Vec<BlockChange>,
    /// The explanation, from the facts above.
    pub narration: Vec<String>,
    /// A crash right after the step's last write.
    pub crash: CrashOutcome,
}

/// A scenario run in one variant.
#[derive(Debug, Clone, Serialize)]
pub struct Walkthrough {
    /// The scenario.
    pub scenario: &'static str,
    /// The variant.
    pub variant: &'static str,
    /// Steps.
    pub steps: Vec<StepView>,
    /// Crash points worth trying, with their outcomes (every commit block
    /// written or not, and the end).
    pub crash_points: Vec<CrashOutcome>,
    /// The run itself (the stream).
    pub run: Run,
}

/// Run `scenario` in variant `variant` (an index into its variants) on `fs`
/// (the scenario's sample).
pub fn walk(fs: &Fs, scenario: &Scenario, variant: usize) -> Result<Walkthrough> {
    let v = scenario
        .variants
        .get(variant)
        .or_else(|| scenario.variants.first())
        .ok_or_else(|| super::mem::refuse("scenario", format!("{} has no variant", scenario.name)))?;
    let steps = v.steps.unwrap_or(scenario.steps);
    let script = steps.join("\n");
    let run = simulate(fs, &script, &v.options)?;
    // Which step each operation belongs to.
    let mut step_of = Vec::new();
    for (i, s) in steps.iter().enumerate() {
        let n = super::ops::parse(s).map(|o| o.len()).unwrap_or(0);
        step_of.extend(core::iter::repeat_n(i, n));
    }
    let mut out = Vec::new();
    let mut first = 0usize;
    for (i, s) in steps.iter().enumerate() {
        let end = run
            .stream
            .writes
            .iter()
            .rposition(|w| step_of.get(w.op).copied() == Some(i))
            .map_or(first, |p| p + 1)
            .max(first);
        let end = end.min(run.end);
        let txs: Vec<&super::jrn::TxInfo> = run
            .stream
            .transactions
            .iter()
            .filter(|t| t.commit_write >= first && t.commit_write < end)
            .collect();
        let mut handles = Vec::new();
        let mut changes = Vec::new();
        let mut narration = Vec::new();
        for t in &txs {
            let names: Vec<String> = t
                .handles
                .iter()
                .filter_map(|h| run.stream.handles.iter().find(|x| x.id == *h))
                .map(|h| h.name.clone())
                .collect();
            let before = recover(&run.state_at(t.first_write)?)?.0;
            let after = recover(&run.state_at(t.commit_write + 1)?)?.0;
            // Who owns each block after the transaction (names directory
            // blocks, extent leaves and data for the diff).
            let mut scan = crate::ownership::Scanner::new(&after);
            scan.run(&after, &mut |_| true);
            let map = scan.into_map();
            let mut lines = Vec::new();
            for w in run.stream.writes[t.first_write..=t.commit_write].iter() {
                let WriteKind::LoggedCopy { home, .. } = w.what else { continue };
                let old = before.block(home)?;
                let new = after.block(home)?;
                let c = block_change(
                    &after,
                    Some(&map),
                    home,
                    &old,
                    &new,
                    format!("before transaction {}", t.tid),
                )?;
                let detail = if c.summary.is_empty() {
                    String::from("rewritten, no field changes")
                } else {
                    c.summary.join("; ")
                };
                lines.push(format!("block {home}, {}: {detail}", c.what));
                changes.push(c);
            }
            let revoked = if t.revoked.is_empty() {
                String::new()
            } else {
                format!(
                    " and revokes {}",
                    t.revoked.iter().map(|b| format!("{b}")).collect::<Vec<_>>().join(", ")
                )
            };
            narration.push(format!(
                "Transaction {} ({}) logs {} block(s){revoked}, then its commit block (write {}).",
                t.tid,
                dedup(&names).join(", "),
                t.logged.len(),
                t.commit_write
            ));
            narration.extend(lines);
            handles.extend(names);
        }
        let data =
            run.stream.writes[first..end].iter().filter(|w| matches!(w.what, WriteKind::Data { .. })).count();
        let zeroed = run.stream.writes[first..end]
            .iter()
            .filter(|w| matches!(w.what, WriteKind::Data { zeroout: true, .. }))
            .count();
        if zeroed > 0 {
            narration.push(format!(
                "{zeroed} block(s) of an unwritten extent zeroed out (ext4_ext_zeroout) so that the whole extent can be marked initialised."
            ));
        }
        if data > zeroed {
            narration.push(format!("{} data block(s) written to their home locations.", data - zeroed));
        }
        if txs.is_empty() && data == 0 {
            narration.push(String::from(
                "Nothing reaches the disk: the changes wait in memory (page cache, running transaction).",
            ));
        }
        let crash = outcome(&run, end)?;
        narration.push(explain(&crash));
        out.push(StepView {
            index: i,
            ops: String::from(*s),
            writes: (first, end),
            transactions: txs.iter().map(|t| t.tid).collect(),
            handles: dedup(&handles),
            changes,
            narration,
            crash,
        });
        first = end;
    }
    let mut crash_points = Vec::new();
    for k in interesting_points(&run) {
        crash_points.push(outcome(&run, k)?);
    }
    Ok(Walkthrough { scenario: scenario.name, variant: v.name, steps: out, crash_points, run })
}

fn dedup(v: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in v {
        if !out.contains(s) {
            out.push(s.clone());
        }
    }
    out
}

/// A crash outcome in words.
pub fn explain(o: &CrashOutcome) -> String {
    let mut s = format!("A crash after write {}: ", o.point);
    if o.replayed.is_empty() {
        s.push_str("recovery has nothing to replay");
    } else {
        s.push_str(&format!(
            "recovery replays transaction(s) {}",
            o.replayed.iter().map(|t| format!("{t}")).collect::<Vec<_>>().join(", ")
        ));
    }
    for c in &o.orphan_cleanup {
        s.push_str(&format!("; the next mount's orphan cleanup: {c}"));
    }
    s.push_str(&format!("; e2fsck -fn exits {}", o.exit_code));
    if !o.problems.is_empty() {
        s.push_str(&format!(" ({})", o.problems.join(", ")));
    }
    for f in &o.files {
        if f.unmapped + f.freed > 0 {
            s.push_str(&format!(
                "; {} lost {} of its {} data blocks ({} freed while still mapped, {} no longer mapped)",
                f.path,
                f.unmapped + f.freed,
                f.blocks,
                f.freed,
                f.unmapped
            ));
        }
    }
    for w in &o.written {
        s.push_str(&format!(
            "; {} is {} ({}; the operations gave it {} bytes)",
            w.path,
            w.content,
            w.size.map_or(String::from("no such file"), |x| format!("{x} bytes on disk")),
            w.expected_size
        ));
    }
    for g in &o.revoke_guards {
        s.push_str(&format!(
            "; the revoke record of transaction {} keeps recovery from copying transaction {}'s old block {} {}",
            g.revoked_in,
            g.logged_in,
            g.block,
            g.now_data_of.as_deref().map(|p| format!("over {p}'s data")).unwrap_or_else(|| String::from("back"))
        ));
    }
    if !o.leaked_inodes.is_empty() {
        s.push_str(&format!(
            "; inode(s) {} left in use with no links (leaked)",
            o.leaked_inodes.iter().map(|i| format!("{i}")).collect::<Vec<_>>().join(", ")
        ));
    }
    s.push_str(match o.verdict {
        Verdict::Clean => ". Clean.",
        Verdict::Leak => ". A leak, no data lost.",
        Verdict::DataLoss => ". Data loss.",
        Verdict::StaleData => ". Stale data exposed.",
        Verdict::Inconsistent => ". Inconsistent, no data lost.",
    });
    s
}
