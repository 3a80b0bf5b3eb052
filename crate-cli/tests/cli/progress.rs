//! `ext4scope scan` draws a progress bar on a terminal (and only there: see
//! `owner_scan.rs` for the silent stderr of a pipe).

use std::process::Command;

use crate::golden::load_image;
use crate::{bin, scratch};

#[test]
fn scan_draws_a_progress_bar_on_a_terminal() {
    let img = scratch().join("extents-progress.img");
    std::fs::write(&img, load_image("extents")).expect("write image");
    // util-linux `script` runs the command on a pseudo-terminal and copies what
    // it writes there (stdout and stderr) to our stdout.
    let cmd = format!("{} scan {} --json", bin(), img.to_str().expect("utf-8"));
    let Ok(out) = Command::new("script").args(["-q", "-e", "-c", &cmd, "/dev/null"]).output() else {
        println!("progress: util-linux script is not installed; skipped");
        return;
    };
    let tty = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "scan on a terminal failed: {tty}");
    // A bar of 30 cells with a percentage and the phase, redrawn with \r,
    // erased at the end (a line of spaces), then the JSON.
    let bar = tty.split('\r').find(|s| s.starts_with('[') && s.contains("% ")).unwrap_or_else(|| {
        panic!("no progress bar in {tty:?}");
    });
    let cells = bar.get(1..31).unwrap_or_else(|| panic!("short bar {bar:?}"));
    assert!(cells.chars().all(|c| c == '#' || c == ' '), "bar cells {cells:?}");
    assert_eq!(bar.as_bytes().get(31), Some(&b']'), "bar {bar:?}");
    assert!(bar.contains("group ") && bar.contains(" inodes"), "bar {bar:?}");
    assert!(tty.contains(&format!("\r{:79}\r", "")), "the bar is erased at the end");
    let json_start = tty.find('{').expect("JSON after the bar");
    let v: serde_json::Value =
        serde_json::from_str(&tty[json_start..].replace("\r\n", "\n")).expect("the JSON is intact");
    assert!(v["inodes_scanned"].as_u64().is_some_and(|n| n > 0), "{v}");
    println!("progress: bar drawn on a terminal: {bar:?}");
}
