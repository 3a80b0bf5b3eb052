//! `ext4scope owner` against debugfs `icheck`, and `ext4scope scan` against
//! dumpe2fs's free counts.

use serde_json::Value;

use crate::golden::{dumpe2fs_header, fixture_names, golden, load_image};
use crate::{run, scratch};

fn write_fixture(name: &str) -> std::path::PathBuf {
    let p = scratch().join(format!("{name}-owner.img"));
    std::fs::write(&p, load_image(name)).expect("write image");
    p
}

/// (block, debugfs's inode) from `NAME.icheck.txt`.
fn icheck(text: &str) -> Vec<(u64, Option<u64>)> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("debugfs") && !l.starts_with("Block"))
        .filter_map(|l| {
            let (b, i) = l.split_once('\t')?;
            Some((b.parse().ok()?, i.parse().ok()))
        })
        .collect()
}

#[test]
fn owner_json_names_the_inode_debugfs_icheck_names() {
    for name in ["default-1k", "extents", "bigalloc"] {
        let path = write_fixture(name);
        let p = path.to_str().expect("utf-8");
        let lines = icheck(&golden(name, "icheck.txt"));
        let blocks: Vec<String> = lines.iter().map(|(b, _)| b.to_string()).collect();
        let mut args = vec!["owner", p];
        args.extend(blocks.iter().map(String::as_str));
        args.push("--json");
        let (code, out, err) = run(&args);
        assert_eq!(code, 0, "{name}: {err}");
        assert!(err.is_empty(), "{name}: no progress line when stderr is not a terminal: {err:?}");
        let v: Value = serde_json::from_str(&out).expect("JSON");
        let reports = v.as_array().expect("an array for several blocks");
        assert_eq!(reports.len(), lines.len());
        for (r, (b, ino)) in reports.iter().zip(&lines) {
            assert_eq!(r["block"], *b);
            assert_eq!(r["scan_complete"], true);
            let owners = r["owners"].as_array().expect("owners");
            match ino {
                Some(i) => assert!(owners.iter().any(|o| o["inode"] == *i), "{name}: block {b}: {r}"),
                None => assert!(
                    owners.iter().all(|o| o["inode"].is_null() || o["kind"] == "reserved_gdt"),
                    "{name}: block {b}: debugfs finds no inode: {r}"
                ),
            }
        }
        // One block: one object; the text form says what debugfs says for free blocks.
        let (free, _) = lines.iter().find(|(_, i)| i.is_none()).expect("a not-found line");
        let (code, out, _) = run(&["owner", p, &free.to_string(), "--json"]);
        assert_eq!(code, 0);
        assert!(serde_json::from_str::<Value>(&out).expect("JSON").is_object());
        let (_, text, _) = run(&["owner", p, &free.to_string(), "--layout-only"]);
        assert!(text.lines().nth(1).is_some_and(|l| l.starts_with(&format!("{free}\t"))), "{text}");
    }
}

#[test]
fn owner_of_a_block_outside_the_file_system_fails_with_a_message() {
    let path = write_fixture("ext2");
    let (code, _, err) = run(&["owner", path.to_str().expect("utf-8"), "99999999", "--layout-only"]);
    assert_ne!(code, 0);
    assert!(err.contains("outside the file system"), "{err}");
}

#[test]
fn scan_json_owned_blocks_equal_dumpe2fs_used_blocks() {
    for name in fixture_names() {
        let path = write_fixture(&name);
        let (code, out, err) = run(&["scan", path.to_str().expect("utf-8"), "--json", "--map", "64"]);
        assert_eq!(code, 0, "{name}: {err}");
        let v: Value = serde_json::from_str(&out).expect("JSON");
        let h = dumpe2fs_header(&golden(&name, "dumpe2fs-h.txt"));
        let num =
            |k: &str| h.iter().find(|(hk, _)| hk == k).map(|(_, v)| v.parse::<u64>().expect(k)).expect(k);
        assert_eq!(v["complete"], true);
        assert_eq!(v["owned_blocks"], num("Block count") - num("Free blocks"), "{name}");
        assert_eq!(v["multiply_claimed_blocks"], 0, "{name}");
        assert_eq!(v["bitmap_differences"].as_array().map(Vec::len), Some(0), "{name}");
        let buckets = v["map"]["buckets"].as_array().expect("map buckets");
        assert!(!buckets.is_empty() && buckets.len() <= 64, "{name}");
        let used: u64 = buckets.iter().map(|b| b["used"].as_u64().expect("used")).sum();
        assert_eq!(used, num("Block count") - num("Free blocks"), "{name}: map adds up");
        // The text form runs too.
        let (code, text, _) = run(&["scan", path.to_str().expect("utf-8")]);
        assert_eq!(code, 0);
        assert!(text.contains("Multiply-claimed blocks:  0"), "{name}: {text}");
    }
}
