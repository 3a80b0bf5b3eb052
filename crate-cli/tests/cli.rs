//! The `ext4scope` binary against the real tools' outputs.

#[path = "../../crate-core/tests/golden/mod.rs"]
mod golden;

use std::path::{Path, PathBuf};
use std::process::Command;

use golden::*;
use serde_json::Value;

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_ext4scope")
}

/// A scratch directory for this test process.
fn scratch() -> PathBuf {
    let d = std::env::temp_dir().join(format!("ext4scope-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&d).expect("scratch dir");
    d
}

fn write_fixture(name: &str) -> PathBuf {
    let p = scratch().join(format!("{name}.img"));
    std::fs::write(&p, load_image(name)).expect("write image");
    p
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(bin()).args(args).output().expect("run ext4scope");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn info_json(path: &Path) -> Value {
    let (code, out, err) = run(&["info", path.to_str().expect("utf-8 path"), "--json"]);
    assert_eq!(code, 0, "info failed: {err}");
    serde_json::from_str(&out).expect("valid JSON")
}

#[test]
fn info_json_matches_dumpe2fs_on_every_fixture() {
    let mut checked = 0;
    for name in fixture_names() {
        let path = write_fixture(&name);
        let j = info_json(&path);
        let h = dumpe2fs_header(&golden(&name, "dumpe2fs-h.txt"));
        let get = |k: &str| {
            h.iter()
                .find(|(hk, _)| hk == k)
                .map(|(_, v)| v.clone())
                .unwrap_or_else(|| panic!("{name}: no {k}"))
        };
        let num = |k: &str| get(k).parse::<u64>().unwrap_or_else(|_| panic!("{name}: {k}"));
        assert_eq!(j["block_size"], num("Block size"), "{name}");
        assert_eq!(j["blocks_count"], num("Block count"), "{name}");
        assert_eq!(j["inodes_count"], num("Inode count"), "{name}");
        assert_eq!(j["free_blocks_count"], num("Free blocks"), "{name}");
        assert_eq!(j["free_inodes_count"], num("Free inodes"), "{name}");
        assert_eq!(j["uuid"], get("Filesystem UUID"), "{name}");
        let label = get("Filesystem volume name");
        assert_eq!(j["volume_name"], if label == "<none>" { String::new() } else { label }, "{name}");
        let feature_line = get("Filesystem features");
        let features: Vec<&str> = feature_line.split_whitespace().collect();
        let ours: Vec<&str> =
            j["features"].as_array().expect("features").iter().map(|v| v.as_str().expect("str")).collect();
        assert_eq!(ours, features, "{name}");
        assert_eq!(j["needs_recovery"], features.contains(&"needs_recovery"), "{name}");
        let csum = features.contains(&"metadata_csum");
        assert_eq!(j["superblock_checksum_ok"], if csum { Value::Bool(true) } else { Value::Null }, "{name}");
        let groups = dumpe2fs_groups(&golden(&name, "dumpe2fs.txt"));
        let jg = j["groups"].as_array().expect("groups");
        assert_eq!(jg.len(), groups.len(), "{name}");
        for (a, b) in jg.iter().zip(&groups) {
            assert_eq!(a["block_bitmap"], b.block_bitmap, "{name} group {}", b.group);
            assert_eq!(a["inode_bitmap"], b.inode_bitmap, "{name} group {}", b.group);
            assert_eq!(a["inode_table"], b.inode_table.0, "{name} group {}", b.group);
            assert_eq!(a["free_blocks_count"], b.free_blocks, "{name} group {}", b.group);
            assert_eq!(a["free_inodes_count"], b.free_inodes, "{name} group {}", b.group);
            let flags: Vec<&str> =
                a["flags"].as_array().expect("flags").iter().map(|v| v.as_str().expect("s")).collect();
            assert_eq!(flags, b.flags, "{name} group {}", b.group);
            if b.csum.is_some() {
                assert_eq!(a["checksum"]["ok"], true, "{name} group {}", b.group);
            }
        }
        checked += 1;
    }
    println!("cli info --json: {checked} images equal to dumpe2fs");
}

#[test]
fn info_text_is_readable() {
    let path = write_fixture("default-1k");
    let (code, out, _) = run(&["info", path.to_str().expect("path")]);
    assert_eq!(code, 0);
    assert!(out.contains("Filesystem features:"), "{out}");
    assert!(out.contains("Group 0: (Blocks 1-"), "{out}");
}

#[test]
fn not_ext4_files_get_errors_that_say_what_was_found() {
    let d = scratch();
    // A PNG signature followed by padding.
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.resize(4096, 0);
    let cases: [(&str, Vec<u8>, &[&str]); 4] = [
        ("empty", Vec::new(), &["empty", "0 bytes"]),
        ("short", vec![0u8; 1500], &["1500 bytes", "2048"]),
        ("png", png, &["0xEF53", "byte 1080", "PNG"]),
        (
            "random",
            (0..65536u32).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8).collect(),
            &["0xEF53", "found 0x"],
        ),
    ];
    for (name, bytes, needles) in cases {
        let p = d.join(format!("{name}.bin"));
        std::fs::write(&p, bytes).expect("write");
        let (code, out, err) = run(&["info", p.to_str().expect("path"), "--json"]);
        assert_ne!(code, 0, "{name}: should fail, printed {out}");
        for n in needles {
            assert!(err.contains(n), "{name}: error {err:?} should mention {n:?}");
        }
    }
}

#[test]
fn truncated_image_still_opens_and_says_so() {
    let mut img = load_image("default-1k");
    img.truncate(img.len() / 2);
    let p = scratch().join("truncated.img");
    std::fs::write(&p, img).expect("write");
    let j = info_json(&p);
    let problems = j["problems"].as_array().expect("problems");
    assert!(
        problems.iter().any(|p| p["message"].as_str().is_some_and(|m| m.contains("truncated"))),
        "{problems:?}"
    );
}

fn have(tool: &str) -> bool {
    Command::new(tool).arg("-V").output().is_ok()
}

/// Opening a 16 GiB image reads the superblock and group table, not the image.
#[test]
fn sixteen_gib_image_opens_reading_under_one_mib() {
    if !have("mkfs.ext4") {
        panic!("mkfs.ext4 (e2fsprogs) is needed for this test; scripts/test.sh installs it");
    }
    let p = scratch().join("big16g.img");
    let f = std::fs::File::create(&p).expect("create");
    f.set_len(16 << 30).expect("sparse 16 GiB");
    drop(f);
    let st = Command::new("mkfs.ext4")
        .args(["-q", "-F", "-E", "lazy_itable_init=1,nodiscard"])
        .arg(&p)
        .status()
        .expect("mkfs");
    assert!(st.success());
    let j = info_json(&p);
    std::fs::remove_file(&p).ok();
    assert_eq!(j["blocks_count"], 4 << 20);
    let bytes = j["io"]["bytes"].as_u64().expect("io.bytes");
    let reads = j["io"]["reads"].as_u64().expect("io.reads");
    println!(
        "16 GiB image: {reads} reads, {bytes} bytes to open and list {} groups",
        j["groups"].as_array().map_or(0, |g| g.len())
    );
    assert!(bytes < 1 << 20, "read {bytes} bytes");
}

#[path = "../../crate-core/tests/conformance/debugfs.rs"]
mod debugfs;
#[path = "cli/inode.rs"]
mod inode_cmd;
#[path = "cli/ls.rs"]
mod ls_cmd;
#[path = "cli/owner_scan.rs"]
mod owner_scan_cmd;
#[path = "cli/pipe.rs"]
mod pipe;
#[path = "cli/progress.rs"]
mod progress;

/// A committed journal fixture (tests/fixtures/{crash,journal}), gunzipped to scratch.
fn journal_fixture(rel: &str) -> PathBuf {
    let gz = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures").join(format!("{rel}.img.gz"));
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(
        &mut flate2::read::GzDecoder::new(std::fs::File::open(&gz).expect("fixture")),
        &mut bytes,
    )
    .expect("gunzip");
    let p = scratch().join(format!("{}.img", rel.replace('/', "-")));
    std::fs::write(&p, bytes).expect("write");
    p
}

#[test]
fn journal_json_lists_transactions_as_logdump_does() {
    let img = journal_fixture("journal/kernel-wrap");
    let (code, out, err) = run(&["journal", img.to_str().unwrap(), "--json"]);
    assert_eq!(code, 0, "{err}");
    let j: Value = serde_json::from_str(&out).expect("JSON");
    let logdump = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/journal/kernel-wrap.logdump.txt"),
    )
    .unwrap();
    let commits: Vec<u64> = logdump
        .lines()
        .filter(|l| l.contains("type 2 (commit block)"))
        .map(|l| l.split_whitespace().nth(3).unwrap().trim_end_matches(',').parse().unwrap())
        .collect();
    let ts = j["transactions"].as_array().expect("transactions");
    let ours: Vec<u64> =
        ts.iter().filter(|t| t["committed"] == true).map(|t| t["sequence"].as_u64().unwrap()).collect();
    assert_eq!(ours, commits);
    // Every logged block has the stable keys other tools read.
    let b = &ts[0]["blocks"][0];
    for k in ["fs_block", "journal_block", "flags", "checksum_ok"] {
        assert!(b.get(k).is_some(), "no {k} in {b}");
    }
    for k in ["sequence", "committed", "commit_time", "revoked", "checksum_ok"] {
        assert!(ts[0].get(k).is_some(), "no {k}");
    }
    assert!(j["superblock"]["features"].as_array().unwrap().iter().any(|f| f == "journal_checksum_v3"));
    // The log wraps: some transaction's journal blocks go past the end of the ring and start again.
    assert!(ts.iter().any(|t| t["end"].as_u64() < t["start"].as_u64()), "no transaction wraps");
    // The text form reads like logdump.
    let (code, text, _) = run(&["journal", img.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(text.contains("Journal starts at block 714, transaction 24"), "{text}");
}

#[test]
fn replay_writes_the_image_e2fsck_would_and_never_the_input() {
    let img = journal_fixture("journal/kernel-revoke");
    let before = std::fs::read(&img).unwrap();
    let out = scratch().join("kernel-revoke.replayed.img");
    let (code, text, err) =
        run(&["replay", img.to_str().unwrap(), "--output", out.to_str().unwrap(), "--json"]);
    assert_eq!(code, 0, "{err}");
    let r: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(r["transactions"].as_array().unwrap().len(), 4);
    assert!(r["revoke_hits"].as_u64().unwrap() > 0);
    assert_eq!(std::fs::read(&img).unwrap(), before, "the input was written");
    // Same bytes as the golden of e2fsck's replay: every block it changed.
    let golden = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/journal/kernel-revoke.replay.txt"),
    )
    .unwrap();
    let ours = std::fs::read(&out).unwrap();
    assert_eq!(ours.len(), before.len());
    let bs = 1024;
    let mut checked = 0;
    for line in golden.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
        let mut w = line.split_whitespace();
        let (blk, sha) = (w.next().unwrap().parse::<usize>().unwrap(), w.next().unwrap());
        if blk == 1 {
            continue; // the primary superblock: e2fsck stamps times there
        }
        let got = Command::new("sha256sum")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut c| {
                use std::io::Write;
                c.stdin.take().unwrap().write_all(&ours[blk * bs..(blk + 1) * bs])?;
                c.wait_with_output()
            });
        let got = String::from_utf8(got.expect("sha256sum").stdout).unwrap();
        assert!(got.starts_with(sha), "block {blk}: {got} vs {sha}");
        checked += 1;
    }
    assert!(checked > 10, "{checked} blocks checked");
    // Replaying onto the input itself is refused.
    let (code, _, err) = run(&["replay", img.to_str().unwrap(), "--output", img.to_str().unwrap()]);
    assert_ne!(code, 0);
    assert!(err.contains("refusing"), "{err}");
}

#[test]
fn diff_names_what_each_block_is_and_what_changed() {
    let img = journal_fixture("crash/kernel-journal");
    let (code, out, err) = run(&["diff", img.to_str().unwrap(), "--from", "2", "--to", "3", "--json"]);
    assert_eq!(code, 0, "{err}");
    let d: Value = serde_json::from_str(&out).unwrap();
    let blocks = d["blocks"].as_array().unwrap();
    assert!(!blocks.is_empty());
    let lines: Vec<String> = blocks
        .iter()
        .flat_map(|b| b["summary"].as_array().unwrap().iter().map(|l| l.as_str().unwrap().to_string()))
        .collect();
    let all = lines.join("\n");
    // Transaction 3 removes /d and its 300 files.
    assert!(all.contains("inode bitmap: −"), "{all}");
    assert!(all.contains("directory: entry 'd' removed"), "{all}");
    assert!(blocks.iter().any(|b| b["what"].as_str().unwrap().starts_with("inode table of group 0")));
}

/// `check --through N` says what `e2fsck -fn` says about the image replayed
/// through N (`replay --through N`), at every crash point of two kernel-made
/// journals: same exit code, same problem codes. Runs the real e2fsck
/// (scripts/tools.sh installs e2fsprogs).
#[test]
fn check_at_each_crash_point_agrees_with_e2fsck_on_the_replayed_image() {
    let mut compared = 0;
    for rel in ["journal/kernel-revoke", "crash/kernel-journal"] {
        let img = journal_fixture(rel);
        let (code, out, err) = run(&["journal", img.to_str().unwrap(), "--json"]);
        assert_eq!(code, 0, "{err}");
        let j: Value = serde_json::from_str(&out).unwrap();
        let seqs: Vec<u64> = j["transactions"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|t| t["replayed"].as_bool() == Some(true))
            .map(|t| t["sequence"].as_u64().unwrap())
            .collect();
        assert!(!seqs.is_empty(), "{rel}: no transaction to replay");
        for seq in seqs {
            let s = seq.to_string();
            let out_img = scratch().join(format!("{}-through-{seq}.img", rel.replace('/', "-")));
            let (code, _, err) =
                run(&["replay", img.to_str().unwrap(), "-o", out_img.to_str().unwrap(), "--through", &s]);
            assert_eq!(code, 0, "{err}");
            let log = scratch().join(format!("{}-through-{seq}.xml", rel.replace('/', "-")));
            let _ = std::fs::remove_file(&log);
            let e2 = Command::new("e2fsck")
                .args(["-fn", "-E", &format!("problem_log={}", log.display()), out_img.to_str().unwrap()])
                .output()
                .expect("e2fsck (e2fsprogs) must be installed: scripts/tools.sh does it");
            let want_exit = e2.status.code().unwrap_or(-1);
            let xml = std::fs::read_to_string(&log).unwrap_or_default();
            let want: std::collections::BTreeSet<String> = xml
                .split("<problem code=\"")
                .skip(1)
                .filter_map(|p| p.split('"').next().map(String::from))
                .collect();
            let (code, text, err) = run(&["check", img.to_str().unwrap(), "--through", &s, "--json"]);
            let r: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {err}"));
            assert_eq!(code, want_exit, "{rel} through {seq}: exit code, e2fsck {want_exit}");
            assert_eq!(r["exit_code"].as_i64(), Some(i64::from(want_exit)));
            let ours: std::collections::BTreeSet<String> = r["problems"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|p| p["fatal"].as_bool() != Some(true))
                .filter_map(|p| p["e2fsck_code"].as_str().map(String::from))
                .collect();
            assert_eq!(ours, want, "{rel} through {seq}: problem codes");
            compared += 1;
        }
    }
    assert!(compared >= 4, "{compared} crash points compared");
}

/// `mount-verdict --json` gives the kernel's recorded outcome and lines for a
/// read-only device and read-write, and with `noblock_validity` / `noload`
/// (tests/fixtures/mount/expected.json, from real loop mounts).
#[test]
fn mount_verdict_reports_what_the_kernel_did_with_each_option() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/mount");
    let expected: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json")).unwrap()).unwrap();
    for name in ["gd-csum-bad", "bbitmap-in-journal-start", "needs-recovery", "ro-compat-shared-blocks"] {
        let img = journal_fixture(&format!("mount/{name}"));
        let (code, out, err) = run(&["mount-verdict", img.to_str().unwrap(), "--json"]);
        assert_eq!(code, 0, "{err}");
        let got: Value = serde_json::from_str(&out).unwrap();
        let want = &expected["images"][name];
        for (g, w) in [
            (&got["ro"], &want["ro"]),
            (&got["rw"], &want["rw"]),
            (&got["options"]["noblock_validity"]["ro"], &want["options"]["noblock_validity"]["ro"]),
            (&got["options"]["noblock_validity"]["rw"], &want["options"]["noblock_validity"]["rw"]),
            (&got["options"]["noload"]["ro"], &want["options"]["noload"]["ro"]),
            (&got["options"]["noload"]["rw"], &want["options"]["noload"]["rw"]),
        ] {
            assert_eq!(g["outcome"], w["outcome"], "{name}: {g} vs {w}");
            assert_eq!(g["messages"], w["messages"], "{name}: {g} vs {w}");
        }
    }
}
