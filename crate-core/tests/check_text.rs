//! The checker's text ([`ext4scope_core::check::text`]) against what
//! `e2fsck -fn` prints, run here on every e2fsprogs f_* test image it
//! finishes on (the list of tests/peer/e2fsck-fn.txt): the pass headers, each
//! message with its paths, times and checksums, each question and its "no" or
//! "IGNORED.", everything but e2fsck's closing summary. Prints "same text:
//! N/M" and each image whose text differs, with the first differing line.
//! Needs e2fsck on the PATH (scripts/test.sh installs e2fsprogs).

use std::io::Read;
use std::path::PathBuf;
use std::process::Command;

use ext4scope_core::check::{check, text};
use ext4scope_core::Fs;

/// Lowest acceptable number of images whose text equals e2fsck's.
const TEXT_FLOOR: usize = 161;

fn tests_dir() -> PathBuf {
    std::env::var_os("E2FSPROGS_TESTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/e2fsprogs-tests"))
}

/// e2fsck's stdout without its summary ("FS: ***** …" and "FS: N/M files …"
/// to the end) and without trailing blank lines.
fn e2fsck_text(img: &std::path::Path) -> Option<String> {
    let out = Command::new("timeout")
        .args(["60", "e2fsck", "-fn"])
        .arg(img)
        .env("LC_ALL", "C")
        .env("TZ", "UTC")
        .output()
        .ok()?;
    let s = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut kept = Vec::new();
    for line in s.split_inclusive('\n') {
        let summary = line.contains(": ********** WARNING")
            || line.contains(": ***** FILE SYSTEM WAS MODIFIED")
            || line.split_once(": ").is_some_and(|(_, rest)| {
                rest.split_once(" files (").is_some_and(|(n, _)| {
                    n.contains('/') && n.chars().all(|c| c.is_ascii_digit() || c == '/')
                })
            });
        if summary {
            break;
        }
        kept.push(line);
    }
    Some(kept.concat().trim_end_matches('\n').to_string())
}

#[test]
fn text_equals_e2fsck_on_the_peer_suite() {
    let dir = tests_dir();
    assert!(dir.is_dir(), "e2fsprogs tests not found at {} (set E2FSPROGS_TESTS)", dir.display());
    if Command::new("e2fsck").arg("-V").output().is_err() {
        panic!("e2fsck not found: install e2fsprogs (bash scripts/test.sh does)");
    }
    let list = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/peer/e2fsck-fn.txt"),
    )
    .expect("tests/peer/e2fsck-fn.txt");
    let tmp = std::env::temp_dir().join(format!("ext4scope-check-text-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).expect("temp dir");
    let (mut total, mut same) = (0usize, 0usize);
    let mut differ = Vec::new();
    for line in list.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
        let mut w = line.split_whitespace();
        let name = w.next().unwrap_or_default();
        // Only images e2fsck finishes on (a number as its exit code).
        if w.next().and_then(|rc| rc.parse::<i32>().ok()).is_none() {
            continue;
        }
        let Ok(f) = std::fs::File::open(dir.join(name).join("image.gz")) else { continue };
        let mut img = Vec::new();
        if flate2::read::GzDecoder::new(f).read_to_end(&mut img).is_err() {
            continue;
        }
        let path = tmp.join("image");
        std::fs::write(&path, &img).expect("write image");
        let Some(want) = e2fsck_text(&path) else { continue };
        let ours = match Fs::open_or_backup(&mut || Box::new(img.clone())) {
            Ok(fs) => text(&check(&fs, &mut |_| true), false),
            Err(_) => continue,
        };
        let ours = ours.trim_end_matches('\n').to_string();
        total += 1;
        if ours == want {
            same += 1;
        } else {
            let first = ours
                .lines()
                .zip(want.lines())
                .position(|(a, b)| a != b)
                .unwrap_or_else(|| ours.lines().count().min(want.lines().count()));
            differ.push(format!(
                "{name}: line {}: ours {:?}, e2fsck {:?}",
                first + 1,
                ours.lines().nth(first).unwrap_or("(end)"),
                want.lines().nth(first).unwrap_or("(end)")
            ));
        }
    }
    let _ = std::fs::remove_dir_all(&tmp);
    println!("text differs ({}):", differ.len());
    for d in &differ {
        println!("  {d}");
    }
    println!("same text: {same}/{total}");
    assert!(total >= 150, "only {total} images compared");
    assert!(same >= TEXT_FLOOR, "same text on {same}/{total}, floor {TEXT_FLOOR}");
}

/// The text of a report made by hand: headers for every pass, the newlines
/// e2fsck's table puts around messages, latched questions "IGNORED.".
#[test]
fn text_of_the_broken_sample_is_e2fsck_s() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../static/samples/ext4-broken.img.gz");
    let mut img = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(&path).expect("sample"))
        .read_to_end(&mut img)
        .expect("gunzip");
    let fs = Fs::open(Box::new(img)).expect("opens");
    let r = check(&fs, &mut |_| true);
    let t = text(&r, false);
    assert!(t.starts_with("Pass 1: Checking inodes, blocks, and sizes\nInode 27, i_size is 1000, should be 20480.  Fix? no\n\n"), "{t}");
    assert!(t.contains("where _INODE_UNINIT is set.\nFix? no\n\n"), "{t}");
    assert!(
        t.contains("Pass 3: Checking directory connectivity\nPass 4: Checking reference counts\n"),
        "{t}"
    );
    assert!(t.contains("Block bitmap differences:  +376\nFix? no\n\n"), "{t}");
    let coded = text(&r, true);
    assert!(coded.contains("Fix? no  [PR_1_BAD_I_SIZE 0x01000c]\n"), "{coded}");
}
