//! `ext4scope scan IMAGE`: one pass over the inode tables; who owns which block,
//! blocks claimed twice, bitmap and free-count differences, checksum failures.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

use ext4scope_core::ownership::{MapSummary, Progress, ScanReport, Scanner};
use ext4scope_core::Fs;
use serde::Serialize;

/// A `\r` progress line on stderr when it is a terminal.
pub struct ProgressLine {
    tty: bool,
    last: Option<Instant>,
    shown: bool,
}

impl ProgressLine {
    /// Shown only if stderr is a terminal.
    pub fn new() -> Self {
        ProgressLine { tty: std::io::stderr().is_terminal(), last: None, shown: false }
    }

    /// Draw (at most ten times a second). Always returns true (never cancels).
    pub fn update(&mut self, p: Progress) -> bool {
        if !self.tty {
            return true;
        }
        let now = Instant::now();
        if self.last.is_some_and(|t| now.duration_since(t) < Duration::from_millis(100)) {
            return true;
        }
        self.last = Some(now);
        let pct = p.permille / 10;
        let width = 30usize;
        let filled = (p.permille as usize * width / 1000).min(width);
        let mut err = std::io::stderr().lock();
        let _ = write!(
            err,
            "\r[{}{}] {pct:>3}% {:?}: group {}/{}, {} inodes ",
            "#".repeat(filled),
            " ".repeat(width - filled),
            p.phase,
            p.groups_done,
            p.groups_total,
            p.inodes_scanned
        );
        let _ = err.flush();
        self.shown = true;
        true
    }

    /// Erase the line.
    pub fn finish(&mut self) {
        if self.shown {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r{:79}\r", "");
            let _ = err.flush();
            self.shown = false;
        }
    }
}

/// Run a full scan with a progress line.
pub fn scan_with_progress(fs: &Fs) -> Result<Scanner, String> {
    let mut line = ProgressLine::new();
    let mut s = Scanner::new(fs);
    let done = s.run(fs, &mut |p| line.update(p));
    line.finish();
    if !done {
        return Err(String::from("scan stopped before the end"));
    }
    Ok(s)
}

#[derive(Serialize)]
struct ScanOutput<'a> {
    #[serde(flatten)]
    report: &'a ScanReport,
    #[serde(skip_serializing_if = "Option::is_none")]
    map: Option<MapSummary>,
}

/// `ext4scope scan`.
pub fn run(path: &str, json: bool, map_buckets: Option<u32>) -> Result<(), String> {
    let fs = crate::open(path)?;
    // The scan reads each block about once: a small cache is enough.
    fs.image().cache().set_budget(crate::STREAMING_CACHE_BYTES);
    let mut scanner = scan_with_progress(&fs)?;
    let report = scanner.report(&fs);
    if json {
        let summary = map_buckets.map(|n| {
            let map = scanner.map();
            map.summary(0, map.blocks_count(), n)
        });
        return crate::print_json(&ScanOutput { report: &report, map: summary });
    }
    let ratio = u64::from(report.cluster_ratio);
    outln!("Blocks:                   {} ({} bytes each)", report.blocks_count, report.block_size);
    if ratio > 1 {
        outln!("Cluster ratio:            {ratio} blocks per cluster");
    }
    outln!("In-use inodes scanned:    {}", report.inodes_scanned);
    outln!("Owned blocks:             {} ({} clusters)", report.owned_blocks, report.owned_clusters);
    outln!("Blocks by kind:");
    for k in &report.blocks_by_kind {
        outln!("  {:<20}{}", k.kind.name(), k.blocks);
    }
    outln!("Multiply-claimed blocks:  {}", report.multiply_claimed_blocks);
    for d in &report.multiply_claimed {
        let end = d.start + d.len - 1;
        outln!("  {}-{end} ({:?}):", d.start, d.severity);
        for o in &d.owners {
            outln!("    {}", o.detail);
        }
    }
    let (ubf, mbu) = report.bitmap_difference_blocks;
    outln!("Bitmap differences:       {ubf} used but free, {mbu} marked but unowned");
    for d in &report.bitmap_differences {
        let sign = match d.kind {
            ext4scope_core::ownership::BitmapDifferenceKind::UsedButFree => "+",
            ext4scope_core::ownership::BitmapDifferenceKind::MarkedButUnowned => "-",
        };
        outln!("  {sign}({}--{}) group {}", d.start, d.start + d.len - 1, d.group);
    }
    for f in &report.free_count_differences {
        match f.group {
            Some(g) => outln!(
                "Free clusters in group {g}: recorded {}, bitmap {}, counted {}",
                f.recorded,
                f.bitmap,
                f.computed
            ),
            None => outln!(
                "Free clusters (superblock): recorded {}, bitmaps {}, counted {}",
                f.recorded,
                f.bitmap,
                f.computed
            ),
        }
    }
    for c in &report.checksum_failures {
        outln!("Checksum: {} stored 0x{:08x} computed 0x{:08x}", c.structure, c.stored, c.computed);
    }
    for p in &report.problems {
        outln!("[{:?}] {}: {}", p.severity, p.structure, p.message);
    }
    outln!("I/O: {} reads, {} bytes", report.io.reads, report.io.bytes);
    Ok(())
}
