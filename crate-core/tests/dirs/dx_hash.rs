//! Directory hashes against e2fsprogs: a committed table made by
//! `make-dx-hash-table.py`, and debugfs `dx_hash` run now when it is installed.

use std::io::Write;
use std::process::{Command, Stdio};

use ext4scope_core::format::dx_hash::{dx_hash, seed_from_uuid_bytes, DxHash};

fn seed(uuid: &str) -> [u32; 4] {
    if uuid == "-" {
        return [0; 4];
    }
    let hex: String = uuid.chars().filter(|c| *c != '-').collect();
    let mut b = [0u8; 16];
    for (i, x) in b.iter_mut().enumerate() {
        *x = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).expect("uuid hex");
    }
    seed_from_uuid_bytes(&b)
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex")).collect()
}

#[test]
fn dx_hash_equals_the_committed_debugfs_table() {
    let table = include_str!("dx_hash_table.txt");
    let mut rows = 0;
    let mut bad = Vec::new();
    for line in table.lines().filter(|l| !l.starts_with('#')) {
        let f: Vec<&str> = line.split('\t').collect();
        let v: u8 = f[0].parse().expect("version");
        let name = unhex(f[2]);
        let want = DxHash {
            major: u32::from_str_radix(f[3], 16).expect("major"),
            minor: u32::from_str_radix(f[4], 16).expect("minor"),
        };
        let got = dx_hash(v, &name, &seed(f[1]));
        if got != Some(want) {
            bad.push(format!("version {v} seed {} name {:?}: debugfs {want:x?}, ours {got:x?}", f[1], f[2]));
        }
        rows += 1;
    }
    println!("dx_hash: {rows} table rows compared");
    assert!(rows > 1000);
    assert!(bad.is_empty(), "{} of {rows} differ:\n{}", bad.len(), bad.join("\n"));
}

#[test]
fn dx_hash_equals_debugfs_now() {
    // Fresh names each run would make failures hard to reproduce: a fixed
    // generator, different from the table's.
    let mut x = 0x9E37_79B9u32;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        x
    };
    let allowed: Vec<u8> = (0x21u8..=0xFF).filter(|b| !b"\"'\\/\x7f".contains(b)).collect();
    let mut cases = Vec::new();
    for _ in 0..60 {
        let len = 1 + (next() % 255) as usize;
        let name: Vec<u8> = (0..len).map(|_| allowed[next() as usize % allowed.len()]).collect();
        let s = [next(), next(), next(), next()];
        let version = (next() % 6) as u8;
        cases.push((version, s, name));
    }
    let mut script = Vec::new();
    for (v, s, name) in &cases {
        let b: Vec<u8> = s.iter().flat_map(|w| w.to_le_bytes()).collect();
        let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
        let uuid = format!("{}-{}-{}-{}-{}", &h[0..8], &h[8..12], &h[12..16], &h[16..20], &h[20..32]);
        script.extend_from_slice(format!("dx_hash -h {v} -s {uuid} ").as_bytes());
        script.extend_from_slice(name);
        script.push(b'\n');
    }
    let child = Command::new("debugfs")
        .arg("-f")
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn();
    let Ok(mut child) = child else {
        println!(
            "dx_hash: debugfs is not installed; live comparison skipped (the committed table still ran)"
        );
        return;
    };
    child.stdin.take().expect("stdin").write_all(&script).expect("write");
    let out = child.wait_with_output().expect("debugfs");
    let hashes: Vec<DxHash> = out
        .stdout
        .split(|&b| b == b'\n')
        .filter(|l| l.starts_with(b"Hash of "))
        .map(|l| {
            let pos = l.windows(4).rposition(|w| w == b" is ").expect("is");
            let tail = std::str::from_utf8(&l[pos + 4..]).expect("ascii");
            let major = tail.split_whitespace().next().expect("major").trim_start_matches("0x");
            let minor = tail.split("minor 0x").nth(1).expect("minor").trim_end_matches(')');
            DxHash {
                major: u32::from_str_radix(major, 16).expect("major"),
                minor: u32::from_str_radix(minor, 16).expect("minor"),
            }
        })
        .collect();
    assert_eq!(
        hashes.len(),
        cases.len(),
        "debugfs answered {} of {} dx_hash commands",
        hashes.len(),
        cases.len()
    );
    for ((v, s, name), want) in cases.iter().zip(&hashes) {
        assert_eq!(
            dx_hash(*v, name, s),
            Some(*want),
            "version {v} seed {s:x?} name {:?}",
            String::from_utf8_lossy(name)
        );
    }
    println!("dx_hash: {} names compared with debugfs dx_hash run now", cases.len());
}
