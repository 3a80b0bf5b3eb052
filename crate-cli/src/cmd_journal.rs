//! `ext4scope journal | replay | diff`: the jbd2 log as recovery walks it, the
//! image replayed to a crash point, and what changed between two points.

use std::fs::File;
use std::io::{Seek, SeekFrom, Write};
use std::os::unix::fs::FileExt;
use std::rc::Rc;

use ext4scope_core::journal::diff::{block_change, BlockChange};
use ext4scope_core::journal::log::{flag_names, Log};
use ext4scope_core::journal::replay::{export, ReplayReport};
use ext4scope_core::journal::{Journal, JournalLocation};
use ext4scope_core::ownership::OwnershipMap;
use ext4scope_core::Fs;
use serde::Serialize;

fn open_journal(path: &str) -> Result<(Fs, Journal), String> {
    let fs = crate::open(path)?;
    let j = Journal::open(&fs)
        .map_err(|e| format!("{path}: {e}"))?
        .ok_or_else(|| format!("{path}: the file system has no journal"))?;
    Ok((fs, j))
}

/// `ext4scope journal IMAGE [--json]`.
pub fn run_journal(path: &str, json: bool) -> Result<(), String> {
    let (fs, j) = open_journal(path)?;
    let log = j.log(&fs);
    if json {
        return crate::print_json(&log);
    }
    print_log(&log);
    Ok(())
}

fn ok(v: Option<bool>) -> &'static str {
    match v {
        Some(true) => " (checksum ok)",
        Some(false) => " (checksum BAD)",
        None => "",
    }
}

/// Text in the manner of `debugfs logdump`: one line per journal block recovery reads.
fn print_log(log: &Log) {
    let sb = &log.superblock;
    match &log.location {
        JournalLocation::Internal { inode } => outln!("Journal in inode {inode}"),
        JournalLocation::External { uuid, device } => {
            outln!("External journal on device 0x{device:x} (UUID {uuid}): not in this image");
        }
    }
    if let Some(r) = &log.refused {
        outln!("Recovery would not use this journal: {r}");
    }
    outln!(
        "Journal superblock v{}: block size {}, {} blocks, first {}, sequence {}, start {}, errno {}{}",
        sb.version,
        sb.block_size,
        sb.maxlen,
        sb.first,
        sb.sequence,
        sb.start,
        sb.errno,
        ok(sb.checksum.ok)
    );
    outln!(
        "Journal features: {}",
        if sb.features.is_empty() { "(none)".into() } else { sb.features.join(" ") }
    );
    outln!("needs_recovery: {}", if log.needs_recovery { "yes" } else { "no" });
    if sb.start == 0 {
        outln!("Journal is empty (s_start 0): nothing to replay");
    } else {
        outln!("Journal starts at block {}, transaction {}", sb.start, sb.sequence);
    }
    for t in &log.transactions {
        print_transaction(t);
    }
    if let Some(e) = &log.end {
        outln!("End of log at journal block {}: {}", e.journal_block, e.reason);
        outln!("Recovery replays transactions {} to {}", sb.sequence, e.sequence.wrapping_sub(1));
        if let Some(f) = e.failed_commit {
            outln!("e2fsck: Journal transaction {f} was corrupt, replay was aborted.");
        }
        if let Some(err) = &e.error {
            outln!("Recovery fails: {err}");
        }
    }
    if !log.history.is_empty() {
        outln!();
        outln!("History: {} older transaction(s) still intact in the ring", log.history.len());
        for t in &log.history {
            print_transaction(t);
        }
    }
    if let Some(fc) = &log.fast_commit {
        outln!();
        outln!(
            "Fast-commit area: journal blocks {}-{}, expected tid {}: {} fast commit(s), {} tag(s) replayed; {}",
            fc.first,
            fc.first + fc.count.saturating_sub(1),
            fc.expected_tid,
            fc.commits.len(),
            fc.replay_tags,
            fc.stop
        );
        for t in &fc.tags {
            let v = serde_json::to_string(&t.value).unwrap_or_default();
            let r = if t.replayed { "" } else { " (not replayed)" };
            outln!("  tag {} at journal block {} offset {}: {v}{r}", t.name, t.block, t.offset);
        }
    }
    if !log.problems.is_empty() {
        outln!();
        outln!("Problems:");
        for p in &log.problems {
            outln!("  [{:?}] {}: {}", p.severity, p.structure, p.message);
        }
    }
}

fn print_transaction(t: &ext4scope_core::journal::Transaction) {
    let state = if t.replayed {
        "replayed"
    } else if t.committed {
        "committed, not replayed"
    } else {
        "uncommitted"
    };
    let when = t
        .commit_time
        .map(ext4scope_core::time::ctime)
        .map(|c| format!(", committed {c}"))
        .unwrap_or_default();
    outln!(
        "Transaction {} ({state}): journal blocks {}-{}{when}{}",
        t.sequence,
        t.start,
        t.end,
        ok(t.checksum_ok)
    );
    for d in &t.descriptors {
        outln!("  descriptor block at {}{}", d.journal_block, ok(d.checksum_ok));
    }
    for b in &t.blocks {
        let f = flag_names(b.flags);
        let f = if f.is_empty() { String::new() } else { format!(" [{}]", f.join(",")) };
        outln!(
            "    FS block {} logged at journal block {} (flags 0x{:x}){f}{}",
            b.fs_block,
            b.journal_block,
            b.flags,
            ok(b.checksum_ok)
        );
    }
    for r in &t.revoke_blocks {
        outln!("  revoke block at {}{}", r.journal_block, ok(r.checksum_ok));
    }
    if !t.revoked.is_empty() {
        let v: Vec<String> = t.revoked.iter().map(u64::to_string).collect();
        outln!("    revoked: {}", v.join(" "));
    }
    if let Some(c) = t.commit_block {
        outln!("  commit block at {c}{}", ok(t.checksum_ok));
    }
}

/// `ext4scope replay IMAGE --output OUT [--through SEQ] [--json]`.
pub fn run_replay(path: &str, output: &str, through: Option<u32>, json: bool) -> Result<(), String> {
    let (fs, j) = open_journal(path)?;
    let log = j.log_for_replay(&fs);
    let r = j.replay(&fs, &log, through).map_err(|e| format!("{path}: {e}"))?;
    if std::fs::canonicalize(output).ok().is_some_and(|o| std::fs::canonicalize(path).ok() == Some(o)) {
        return Err(format!("{output}: refusing to write over the image being read"));
    }
    let state = fs.with_overlay(Rc::new(r.overlay)).map_err(|e| format!("{path}: {e}"))?;
    write_state(path, &state, output)?;
    if json {
        return crate::print_json(&r.report);
    }
    print_replay(&r.report, output);
    Ok(())
}

/// Write the image `path` as of `state` (its overlay over the original) to
/// `output`: the original copied sparsely, the overlay's blocks written over it.
pub fn write_state(path: &str, state: &Fs, output: &str) -> Result<(), String> {
    if std::fs::canonicalize(output).ok().is_some_and(|o| std::fs::canonicalize(path).ok() == Some(o)) {
        return Err(format!("{output}: refusing to write over the image being read"));
    }
    let overlay = state.image().overlay().cloned().unwrap_or_default();
    let mut out = File::create(output).map_err(|e| format!("{output}: {e}"))?;
    let len = state.image().len();
    // The original's data extents copied in the kernel (holes kept), then the
    // replayed blocks written over them; a plain streamed copy where the
    // file systems cannot do that.
    let copied = File::open(path).ok().is_some_and(|src| copy_sparse(&src, &out, len).is_ok());
    if copied {
        let bs = u64::from(state.block_size());
        for blk in overlay.written() {
            let data = overlay.get(blk).expect("written block");
            out.write_all_at(data, blk * bs).map_err(|e| format!("{output}: {e}"))?;
        }
    } else {
        out.set_len(0).map_err(|e| format!("{output}: {e}"))?;
        export(state, 1 << 20, &mut |off, data| {
            if let Some(d) = data {
                out.seek(SeekFrom::Start(off)).map_err(|e| e.to_string())?;
                out.write_all(d).map_err(|e| e.to_string())?;
            }
            Ok(())
        })
        .map_err(|e| format!("{output}: {e}"))?;
    }
    out.set_len(len).map_err(|e| format!("{output}: {e}"))?;
    Ok(())
}

/// Copy `len` bytes of `src` to `dst` extent by extent (SEEK_DATA/SEEK_HOLE
/// and copy_file_range), leaving holes as holes.
fn copy_sparse(src: &File, dst: &File, len: u64) -> std::io::Result<()> {
    use rustix::fs::{copy_file_range, seek, SeekFrom as S};
    dst.set_len(len)?;
    let mut pos = 0u64;
    while pos < len {
        let data = match seek(src, S::Data(pos)) {
            Ok(d) => d,
            Err(rustix::io::Errno::NXIO) => break, // only a hole is left
            Err(e) => return Err(e.into()),
        };
        let hole = seek(src, S::Hole(data))?.min(len);
        let (mut a, mut b) = (data, data);
        while a < hole {
            let want = (hole - a).min(1 << 30) as usize;
            let n = copy_file_range(src, Some(&mut a), dst, Some(&mut b), want)?;
            if n == 0 {
                return Err(std::io::Error::other("copy_file_range copied nothing"));
            }
        }
        pos = hole;
    }
    Ok(())
}

fn print_replay(r: &ReplayReport, output: &str) {
    let seqs = match (r.transactions.first(), r.transactions.last()) {
        (Some(a), Some(b)) if r.transactions.len() > 2 => vec![format!("{a}..{b}")],
        _ => r.transactions.iter().map(u32::to_string).collect(),
    };
    outln!(
        "Replayed {} transaction(s) [{}]: {} block(s) written ({} distinct), {} revoke hit(s) of {} record(s)",
        r.transactions.len(),
        seqs.join(" "),
        r.replayed_blocks,
        r.distinct_blocks,
        r.revoke_hits,
        r.revokes
    );
    for m in &r.e2fsck {
        outln!("{m}");
    }
    for p in &r.problems {
        outln!("  [{:?}] {}: {}", p.severity, p.structure, p.message);
    }
    if let Some(fc) = &r.fast_commit {
        outln!("Fast commits: {} tag(s) replayed as the kernel does", fc.tags);
        for a in &fc.actions {
            outln!("  {}: {}", a.name, a.done);
        }
        for p in &fc.problems {
            outln!("  not replayed as the kernel would: {p}");
        }
    }
    outln!("Journal superblock: s_start 0, s_sequence {}; needs_recovery cleared", r.next_sequence);
    outln!("Wrote {output}");
}

#[derive(Serialize)]
struct DiffOutput {
    from: Option<u32>,
    to: Option<u32>,
    blocks: Vec<BlockChange>,
}

/// `ext4scope diff IMAGE [--from SEQ] [--to SEQ] [--json]`: blocks that differ
/// between the state after transaction FROM (the image as it is when absent)
/// and the state after TO (the whole valid log when absent).
pub fn run_diff(path: &str, from: Option<u32>, to: Option<u32>, json: bool) -> Result<(), String> {
    let (fs, j) = open_journal(path)?;
    let log = j.log(&fs);
    let err = |e: ext4scope_core::Error| format!("{path}: {e}");
    let a = match from {
        Some(n) => Some(Rc::new(j.replay(&fs, &log, Some(n)).map_err(err)?.overlay)),
        None => None,
    };
    let b = Rc::new(j.replay(&fs, &log, to).map_err(err)?.overlay);
    let fa = match &a {
        Some(o) => fs.with_overlay(o.clone()).map_err(err)?,
        None => fs.clone(),
    };
    let fb = fs.with_overlay(b.clone()).map_err(err)?;
    let map: Option<OwnershipMap> = crate::cmd_scan::scan_with_progress(&fb).ok().map(|s| s.into_map());
    let mut blocks: Vec<u64> = b.written().collect();
    if let Some(a) = &a {
        blocks.extend(a.written());
    }
    blocks.sort_unstable();
    blocks.dedup();
    let mut out = Vec::new();
    for blk in blocks {
        let old = fa.block(blk).map_err(err)?;
        let new = fb.block(blk).map_err(err)?;
        if old == new {
            continue;
        }
        let against = match from {
            Some(n) => format!("the block after transaction {n}"),
            None => String::from("the block on disk"),
        };
        out.push(block_change(&fb, map.as_ref(), blk, &old, &new, against).map_err(err)?);
    }
    if json {
        return crate::print_json(&DiffOutput { from, to, blocks: out });
    }
    for c in &out {
        outln!("block {}: {}", c.fs_block, c.what);
        for l in &c.summary {
            outln!("  {l}");
        }
    }
    outln!("{} block(s) differ", out.len());
    Ok(())
}
