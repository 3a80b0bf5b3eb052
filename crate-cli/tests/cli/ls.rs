//! `ext4scope ls` and `ext4scope path` against debugfs `ls -l` and `ncheck`.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::golden::{fixture_names, golden, load_image};
use crate::{run, scratch};

fn write_fixture(name: &str, test: &str) -> std::path::PathBuf {
    let p = scratch().join(format!("{name}-{test}.img"));
    std::fs::write(&p, load_image(name)).expect("write image");
    p
}

/// `debugfs: ls -l <N>` sections: (N, lines).
fn sections(text: &str) -> Vec<(u32, Vec<String>)> {
    let mut out: Vec<(u32, Vec<String>)> = Vec::new();
    for line in text.lines() {
        if let Some(n) = line.strip_prefix("debugfs: ls -l <") {
            out.push((n.trim_end_matches('>').parse().expect("ino"), Vec::new()));
        } else if !line.is_empty() {
            out.last_mut().expect("section").1.push(line.to_string());
        }
    }
    out
}

#[test]
fn ls_text_is_debugfs_ls_l_on_every_fixture() {
    let mut lines = 0;
    for name in fixture_names() {
        let img = write_fixture(&name, "ls");
        let img = img.to_str().expect("utf-8");
        for (ino, want) in sections(&golden(&name, "ls.txt")) {
            let (code, out, err) = run(&["ls", img, &format!("<{ino}>")]);
            assert_eq!(code, 0, "{name}: ls <{ino}>: {err}");
            let got: Vec<&str> = out.lines().collect();
            assert_eq!(got, want, "{name}: ls <{ino}>");
            lines += want.len();
        }
    }
    println!("ls: {lines} lines equal to debugfs ls -l");
    assert!(lines > 1000);
}

#[test]
fn ls_json_and_deleted_entries() {
    let img = write_fixture("extents", "lsjson");
    let img = img.to_str().expect("utf-8");
    let (code, out, err) = run(&["ls", img, "/deleted-by-debugfs", "--json", "--deleted"]);
    assert_eq!(code, 0, "{err}");
    let j: Value = serde_json::from_str(&out).expect("JSON");
    let entries = j["entries"].as_array().expect("entries");
    let deleted: Vec<&str> =
        entries.iter().filter(|e| e["deleted"] == true).map(|e| e["name"].as_str().expect("name")).collect();
    assert_eq!(deleted, ["file-02", "file-05", "file-06", "file-13", "file-20"]);
    assert!(entries.iter().all(|e| e["byte"].is_u64() && e["logical_block"] == 0));
    assert_eq!(j["blocks"][0]["checksum"]["ok"], true);
    assert_eq!(j["problems"].as_array().map(Vec::len), Some(0));
    // Without --deleted they are left out; an htree directory carries its index.
    let (_, out, _) = run(&["ls", img, "/deleted-by-debugfs", "--json"]);
    let j: Value = serde_json::from_str(&out).expect("JSON");
    assert!(j["entries"].as_array().expect("entries").iter().all(|e| e["deleted"] == false));
    let (_, out, _) = run(&["ls", img, "/htree2", "--json"]);
    let j: Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(j["format"], "htree");
    assert_eq!(j["htree"]["indirect_levels"], 1);
    assert_eq!(j["htree"]["hash_name"], "half_md4");
    // Errors say what is wrong.
    let (code, _, err) = run(&["ls", img, "/hello.txt"]);
    assert_ne!(code, 0);
    assert!(err.contains("not a directory"), "{err}");
    let (code, _, err) = run(&["ls", img, "/no/such"]);
    assert_ne!(code, 0);
    assert!(err.contains("/no: no such file or directory"), "{err}");
}

#[test]
fn path_equals_debugfs_ncheck() {
    let img = write_fixture("extents", "path");
    let img = img.to_str().expect("utf-8");
    let text = golden("extents", "ncheck.txt");
    let mut want: BTreeSet<(u32, String)> = BTreeSet::new();
    for line in text.lines() {
        if let Some((ino, path)) = line.split_once('\t') {
            if let Ok(ino) = ino.parse::<u32>() {
                let path = path.strip_prefix('/').filter(|p| p.starts_with('/')).unwrap_or(path);
                want.insert((ino, path.to_string()));
            }
        }
    }
    let inos: BTreeSet<u32> = want.iter().map(|(i, _)| *i).collect();
    let mut args = vec!["path".to_string(), img.to_string()];
    args.extend(inos.iter().map(u32::to_string));
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, out, err) = run(&argv);
    assert_eq!(code, 0, "{err}");
    let got: BTreeSet<(u32, String)> = out
        .lines()
        .map(|l| {
            let (i, p) = l.split_once('\t').expect("ino\\tpath");
            (i.parse().expect("ino"), p.to_string())
        })
        .collect();
    assert_eq!(got, want);
    println!("path: {} ncheck lines equal", want.len());
    // An inode no path reaches is an error.
    let (code, _, err) = run(&["path", img, "7"]);
    assert_ne!(code, 0);
    assert!(err.contains("no path from the root reaches inode 7"), "{err}");
    // JSON of everything.
    let (code, out, _) = run(&["path", img, "--all", "--json"]);
    assert_eq!(code, 0);
    let j: Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(j["paths"]["2"][0], "/");
    assert_eq!(j["paths"]["22"].as_array().map(Vec::len), Some(3));
}
