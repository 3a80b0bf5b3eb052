//! `ext4scope inode --json` and `ext4scope cat` against debugfs and the kernel.

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::Value;

use crate::debugfs::{parse_inodes, Labelled};
use crate::golden::golden;
use crate::golden::load_image;
use crate::{run, scratch};

/// The fixture written under a name of this test's own (tests run in parallel).
fn write_fixture(name: &str, test: &str) -> std::path::PathBuf {
    let p = scratch().join(format!("{name}-{test}.img"));
    std::fs::write(&p, load_image(name)).expect("write image");
    p
}

/// Data runs as (logical, physical, unwritten).
type Runs = Vec<(u64, u64, bool)>;

/// Data blocks (logical, physical, uninit) and metadata (label, block) from the JSON.
fn from_json(j: &Value) -> (Runs, Vec<(String, u64)>) {
    let mut data = Vec::new();
    for r in j["data"].as_array().expect("data array") {
        let (l, p, n) =
            (r["logical"].as_u64().unwrap(), r["physical"].as_u64().unwrap(), r["len"].as_u64().unwrap());
        let u = r["unwritten"].as_bool().expect("unwritten");
        for i in 0..n {
            data.push((l + i, p + i, u));
        }
    }
    let meta = j["metadata"]
        .as_array()
        .expect("metadata array")
        .iter()
        .map(|m| {
            let kind = m["kind"].as_str().expect("kind").to_string();
            let label = if kind == "ETB" { format!("ETB{}", m["level"].as_u64().unwrap()) } else { kind };
            (label, m["block"].as_u64().expect("block"))
        })
        .collect();
    (data, meta)
}

#[test]
fn inode_json_equals_debugfs_for_every_inode() {
    let mut checked = 0;
    for name in ["extents", "ext3", "inline", "bigalloc", "bs2k", "bs64k"] {
        let path = write_fixture(name, "inode");
        let p = path.to_str().expect("utf-8");
        for g in parse_inodes(&golden(name, "inodes.txt")) {
            let (code, out, err) = run(&["inode", p, &g.ino.to_string(), "--json"]);
            assert_eq!(code, 0, "{name} inode {}: {err}", g.ino);
            let j: Value = serde_json::from_str(&out).expect("JSON");
            let ctx = format!("{name} inode {}", g.ino);
            assert_eq!(j["ino"], g.ino, "{ctx}");
            assert_eq!(j["mode"].as_u64().unwrap() & 0o7777, u64::from(g.perm), "{ctx}");
            assert_eq!(j["size"], g.size, "{ctx}");
            assert_eq!(j["links_count"], g.links, "{ctx}");
            assert_eq!(j["blocks"], g.blockcount, "{ctx}");
            assert_eq!(j["flags"], g.flags, "{ctx}");
            assert_eq!(
                j["checksum_ok"],
                if g.checksum.is_some() { Value::Bool(true) } else { Value::Null },
                "{ctx}"
            );
            let kind = j["map_kind"].as_str().expect("map_kind");
            let want_kind = if g.inline_size.is_some() {
                "inline"
            } else if g.list.is_none() || matches!(g.type_name.as_str(), "FIFO" | "socket") {
                // debugfs prints an empty BLOCKS: list for fifos and sockets; we say they map nothing.
                "none"
            } else if g.ex.is_some() {
                "extents"
            } else {
                "indirect"
            };
            assert_eq!(kind, want_kind, "{ctx}");
            let (mut data, meta) = from_json(&j);
            let mut gdata: Vec<(u64, u64, bool)> = Vec::new();
            let mut gmeta: Vec<(String, u64)> = Vec::new();
            for l in g.list.clone().unwrap_or_default() {
                match l {
                    Labelled::Data(l, p, u) => gdata.push((l, p, u)),
                    Labelled::Meta(n, b) => gmeta.push((n, b)),
                }
            }
            data.sort();
            gdata.sort();
            assert_eq!(data, gdata, "{ctx}: data blocks");
            assert_eq!(meta, gmeta, "{ctx}: metadata blocks");
            checked += 1;
        }
    }
    assert!(checked > 500, "only {checked} inodes");
    println!("cli: inode --json equal to debugfs for {checked} inodes");
}

fn sha256(bytes: &[u8]) -> String {
    let mut child =
        Command::new("sha256sum").stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().expect("sha256sum");
    let mut stdin = child.stdin.take().expect("stdin");
    let data = bytes.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&data));
    let out = child.wait_with_output().expect("sha256sum output");
    writer.join().expect("writer").expect("write");
    String::from_utf8_lossy(&out.stdout).split_whitespace().next().unwrap_or("").to_string()
}

#[test]
fn cat_writes_the_bytes_the_kernel_read() {
    let mut checked = 0;
    for name in ["extents", "ext3", "inline"] {
        let path = write_fixture(name, "cat");
        let p = path.to_str().expect("utf-8");
        for line in golden(name, "files.txt").lines().filter(|l| !l.starts_with('#')) {
            let c: Vec<&str> = line.split('\t').collect();
            let (Some(ino), Some(size), Some(content)) = (c.get(1), c.get(7), c.get(8)) else { continue };
            let Some(want) = content.strip_prefix("sha256=") else { continue };
            // Keep the test quick: the 5 GiB sparse file is covered by the core's test.
            if size.parse::<u64>().unwrap_or(0) > 64 << 20 {
                continue;
            }
            // By inode number, and by the path the kernel saw (first column).
            for what in [format!("<{ino}>"), c[0].to_string()] {
                let out = Command::new(crate::bin()).args(["cat", p, &what]).output().expect("run cat");
                assert!(out.status.success(), "{name} {what}: {}", String::from_utf8_lossy(&out.stderr));
                assert_eq!(out.stdout.len().to_string(), *size, "{name} {what}: size");
                assert_eq!(sha256(&out.stdout), want, "{name} {what}: sha256");
                checked += 1;
            }
        }
    }
    assert!(checked > 80, "only {checked} reads");
    let (code, _, err) = run(&["cat", write_fixture("extents", "cat").to_str().unwrap(), "<999999>"]);
    assert_ne!(code, 0);
    assert!(err.contains("inode 999999 does not exist"), "{err}");
    let (code, _, err) = run(&["cat", write_fixture("extents", "cat").to_str().unwrap(), "/no/such/file"]);
    assert_ne!(code, 0);
    assert!(err.contains("no such file or directory"), "{err}");
    println!("cli: cat equal to the kernel's bytes for {checked} reads (by inode and by path)");
}
