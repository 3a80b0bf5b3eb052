//! Casefolded directories against e2fsprogs: the folded names hash as
//! `debugfs dx_hash -c -e utf8` says (tricky Unicode included), and a directory
//! that e2fsck rehashed with casefolding (`-fD`) lists without problems and
//! finds its names in any case, as the kernel does. Needs e2fsprogs.

use std::io::Write;
use std::process::{Command, Stdio};

use ext4scope_core::format::casefold::casefold;
use ext4scope_core::format::dx_hash::{dx_hash, seed_from_uuid_bytes};
use ext4scope_core::Fs;

/// Names whose folding is not plain ASCII lowercasing.
const NAMES: &[&str] = &[
    "File_Name_77",
    "README.TXT",
    "Straße",
    "STRASSE",
    "\u{1E9E}tadt",
    "Café",
    "cafe\u{301}",
    "ΣΊΣΥΦΟΣ",
    "σίσυφος",
    "\u{FB01}le",
    "\u{212A}elvin",
    "\u{212B}ngstrom",
    "\u{017F}hort",
    "\u{00B5}icro",
    "\u{0130}stanbul",
    "\u{01C5}ungla",
    "한국어",
    "\u{13F8}\u{AB70}",
    "ЁЛКА",
    "日本語ファイル",
    "emoji-😀",
    "ǰ-Ǳ-ǲ",
    "ΐΰ",
    "\u{1E9B}\u{0323}",
];

fn debugfs_hashes(names: &[&str], seed: &str) -> Vec<u32> {
    let mut script = String::new();
    for n in names {
        script.push_str(&format!("dx_hash -c -e utf8 -h half_md4 -s {seed} {n}\n"));
    }
    let mut child = Command::new("debugfs")
        .args(["-f", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("debugfs (install e2fsprogs: scripts/test.sh does)");
    child.stdin.take().expect("stdin").write_all(script.as_bytes()).expect("write");
    let out = child.wait_with_output().expect("debugfs");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| l.starts_with("Hash of "))
        .map(|l| {
            let tail = &l[l.rfind(" is 0x").expect("hash") + 6..];
            u32::from_str_radix(tail.split_whitespace().next().expect("hex"), 16).expect("hex")
        })
        .collect()
}

#[test]
fn folded_names_hash_as_debugfs_says() {
    let uuid = "5eed5eed-0000-4000-8000-000000000001";
    let hex: Vec<u8> = uuid
        .replace('-', "")
        .as_bytes()
        .chunks(2)
        .map(|c| u8::from_str_radix(std::str::from_utf8(c).unwrap(), 16).unwrap())
        .collect();
    let seed = seed_from_uuid_bytes(&hex.try_into().expect("16 bytes"));
    let theirs = debugfs_hashes(NAMES, uuid);
    assert_eq!(theirs.len(), NAMES.len(), "debugfs answered every name");
    for (n, h) in NAMES.iter().zip(&theirs) {
        let folded = casefold(n.as_bytes()).expect("utf-8");
        let ours = dx_hash(1, &folded, &seed).expect("half_md4").major;
        assert_eq!(ours, *h, "{n:?} folds to {:?}", String::from_utf8_lossy(&folded));
    }
    println!("{} casefolded names hash equal to debugfs dx_hash -c -e utf8", NAMES.len());
}

fn run(cmd: &str, args: &[&str]) -> i32 {
    Command::new(cmd)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap_or_else(|e| panic!("{cmd}: {e} (install e2fsprogs)"))
        .code()
        .unwrap_or(-1)
}

#[test]
fn a_casefolded_htree_directory_lists_clean_and_finds_names_in_any_case() {
    let dir = std::env::temp_dir().join(format!("ext4scope-casefold-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let tree = dir.join("tree/cf");
    std::fs::create_dir_all(&tree).expect("tree");
    let mut names: Vec<String> = (0..300).map(|i| format!("File_Name_{i}")).collect();
    names.extend(NAMES.iter().skip(2).enumerate().map(|(i, n)| format!("{n}-{i}")));
    for n in &names {
        std::fs::write(tree.join(n), n.as_bytes()).expect("file");
    }
    let img = dir.join("cf.img");
    std::fs::File::create(&img).and_then(|f| f.set_len(32 << 20)).expect("image");
    let img_s = img.to_str().expect("path");
    let src = dir.join("tree");
    assert_eq!(
        run("mkfs.ext4", &["-q", "-F", "-O", "casefold", "-b", "1024", "-d", src.to_str().unwrap(), img_s]),
        0
    );
    // Casefold and index the directory, and let e2fsck rebuild its htree with folded hashes.
    assert_eq!(run("debugfs", &["-w", "-R", "set_inode_field /cf flags 0x40081000", img_s]), 0);
    assert!(run("e2fsck", &["-fyD", img_s]) <= 1);
    assert_eq!(run("e2fsck", &["-fn", img_s]), 0, "e2fsck finds the rehashed image clean");

    let fs = Fs::open(Box::new(std::fs::read(&img).expect("read"))).expect("open");
    let ino = fs.lookup("/cf").expect("/cf");
    let l = fs.read_dir(ino).expect("listed");
    assert!(l.htree.is_some(), "an htree directory");
    assert!(l.problems.is_empty(), "{:?}", &l.problems[..3.min(l.problems.len())]);
    assert_eq!(l.live().count(), names.len() + 2);
    let mut found = 0;
    for n in &names {
        let exact = fs.lookup(&format!("/cf/{n}")).unwrap_or_else(|e| panic!("{n}: {e:?}"));
        for variant in [n.to_uppercase(), n.to_lowercase()] {
            assert_eq!(fs.lookup(&format!("/cf/{variant}")).ok(), Some(exact), "{n} as {variant}");
        }
        found += 1;
    }
    println!("{found} names found in a casefolded htree directory, each also in upper and lower case");
    let _ = std::fs::remove_dir_all(&dir);
}
