//! Output to a reader that goes away (`ext4scope scan IMG --json | head -c 10`)
//! ends the program quietly: exit status 0, no panic message, for every
//! subcommand in text and JSON.

use std::io::Read;
use std::process::{Command, Stdio};

use crate::golden::load_image;
use crate::{bin, run, scratch};

/// The fixture in a file of this test's own (tests run in parallel).
fn write_fixture(name: &str, test: &str) -> std::path::PathBuf {
    let p = scratch().join(format!("{name}-{test}.img"));
    std::fs::write(&p, load_image(name)).expect("write image");
    p
}

/// Linux's default pipe capacity: a writer with more than this to say blocks
/// until the reader reads or goes away, so it must meet the closed pipe.
const PIPE_CAPACITY: usize = 64 << 10;

/// Run `ext4scope args`, read `keep` bytes of its stdout, close the pipe, and
/// return (exit code, bytes read, stderr).
fn run_into_closed_pipe(args: &[&str], keep: usize) -> (Option<i32>, Vec<u8>, String) {
    let mut child = Command::new(bin())
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn ext4scope");
    let mut got = vec![0u8; keep];
    let mut stdout = child.stdout.take().expect("stdout");
    stdout.read_exact(&mut got).expect("the first bytes");
    drop(stdout);
    let out = child.wait_with_output().expect("wait");
    (out.status.code(), got, String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn json_to_a_pipe_closed_after_ten_bytes_exits_quietly() {
    let img = write_fixture("extents", "pipe-json");
    let p = img.to_str().expect("utf-8");
    // The whole-disk map summary makes the JSON larger than the pipe can hold,
    // so the writer is certain to meet the closed pipe.
    let args = ["scan", p, "--json", "--map", "20000"];
    let (code, full, err) = run(&args);
    assert_eq!(code, 0, "{err}");
    assert!(full.len() > 2 * PIPE_CAPACITY, "the output ({} bytes) must not fit in a pipe", full.len());

    let (code, got, err) = run_into_closed_pipe(&args, 10);
    assert_eq!(got, &full.as_bytes()[..10], "the first ten bytes are the JSON's");
    assert!(!err.contains("panicked"), "no panic: {err}");
    assert_eq!(err, "", "nothing on stderr");
    assert_eq!(code, Some(0), "exit quietly (a signal or abort has no code): {err}");
}

#[test]
fn every_subcommand_to_a_closed_pipe_exits_quietly() {
    let img = write_fixture("extents", "pipe-all");
    let p = img.to_str().expect("utf-8");
    let cases: &[&[&str]] = &[
        &["info", p],
        &["info", p, "--json"],
        &["scan", p],
        &["scan", p, "--json"],
        &["inode", p, "2"],
        &["inode", p, "2", "--json"],
        &["ls", p, "/"],
        &["ls", p, "/", "--json"],
        &["cat", p, "/frag-depth2"],
        &["owner", p, "0", "1", "2"],
        &["owner", p, "0", "1", "2", "--json"],
        &["path", p, "--all"],
        &["path", p, "--all", "--json"],
    ];
    for args in cases {
        let (code, full, err) = run(args);
        assert_eq!(code, 0, "{args:?}: {err}");
        assert!(!full.is_empty(), "{args:?} prints something");
        // Keep one byte, then close: every later write meets the closed pipe
        // (or, for output that fits the pipe's buffer, none does: still no panic).
        let (code, got, err) = run_into_closed_pipe(args, 1);
        assert_eq!(got, &full.as_bytes()[..1], "{args:?}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert_eq!(code, Some(0), "{args:?}: {err}");
    }
}
