//! `ext4scope check IMAGE [--through SEQ] [--json]`: what `e2fsck -fn` would
//! say about the image (or about the image replayed through transaction SEQ),
//! and its exit code as this program's.

use std::rc::Rc;

use ext4scope_core::check::{check, CheckReport};
use ext4scope_core::journal::Journal;

use crate::cmd_scan::ProgressLine;

/// Run the check; returns e2fsck's exit code.
pub fn run(path: &str, through: Option<u32>, json: bool) -> Result<i32, String> {
    let report = match crate::open_for_check(path) {
        Ok(fs) => {
            let fs = match through {
                None => fs,
                Some(seq) => {
                    let j = Journal::open(&fs)
                        .map_err(|e| format!("{path}: {e}"))?
                        .ok_or_else(|| format!("{path}: the file system has no journal"))?;
                    let log = j.log_for_replay(&fs);
                    let r = j.replay(&fs, &log, Some(seq)).map_err(|e| format!("{path}: {e}"))?;
                    fs.with_overlay(Rc::new(r.overlay)).map_err(|e| format!("{path}: {e}"))?
                }
            };
            // Pass 1 streams the inode tables; later passes read each
            // directory block once: a small cache is enough.
            fs.image().cache().set_budget(crate::STREAMING_CACHE_BYTES);
            let mut line = ProgressLine::new();
            let r = check(&fs, &mut |p| line.update(p.scan));
            line.finish();
            r
        }
        // e2fsck cannot open it either: it stops with exit 8.
        Err(e) => CheckReport::unopenable(&e),
    };
    if json {
        crate::print_json(&report)?;
    } else {
        print(&report);
    }
    Ok(report.exit_code)
}

fn print(r: &CheckReport) {
    out!("{}", ext4scope_core::check::text(r, true));
    if let Some(a) = &r.aborted {
        outln!("{a}");
    }
    let verdict = match r.exit_code {
        0 => "clean",
        4 => "errors left uncorrected",
        8 => "e2fsck would abort",
        12 => "e2fsck would abort, errors left uncorrected",
        _ => "",
    };
    outln!("e2fsck -fn exit code: {} ({verdict})", r.exit_code);
}
