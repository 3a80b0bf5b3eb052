//! Journal blocks decoded one at a time (what the block page shows), against
//! e2fsprogs: images made here by mkfs.ext4 with transactions written by
//! debugfs `jo`/`jw`/`jc` (never replayed), read back with `dumpe2fs -h` and
//! `debugfs logdump -a`. Needs e2fsprogs (scripts/test.sh installs it).

use std::path::{Path, PathBuf};
use std::process::Command;

use ext4scope_core::format::journal::{self, JournalFeatures, JournalSuperblock};
use ext4scope_core::ownership::OwnerKind;
use ext4scope_core::Fs;

#[path = "golden/mod.rs"]
mod golden;
use golden::{parse_logdump, Logdump};

fn run(cmd: &str, args: &[&str], dir: &Path) -> String {
    let out = Command::new(cmd)
        .args(args)
        .current_dir(dir)
        .env("TZ", "UTC")
        .env("LC_ALL", "C")
        .output()
        .unwrap_or_else(|e| panic!("{cmd} could not run ({e}): install e2fsprogs (scripts/test.sh does)"));
    assert!(out.status.success(), "{cmd} {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

struct Made {
    dir: PathBuf,
    img: PathBuf,
}

impl Drop for Made {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// An image from `mkfs.ext4 MKFS` with three transactions written by debugfs:
/// three blocks logged, then a revoke of one of them, then two blocks again.
fn make(name: &str, mkfs: &[&str], jo: &str) -> Made {
    let dir = std::env::temp_dir().join(format!("ext4scope-journal-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let img = dir.join("j.img");
    std::fs::File::create(&img).and_then(|f| f.set_len(16 << 20)).expect("image file");
    let mut args = vec!["-q", "-F"];
    args.extend_from_slice(mkfs);
    args.push("j.img");
    run("mkfs.ext4", &args, &dir);
    let data: Vec<u8> = (0..65536u32).map(|i| (i * 7 + 3) as u8).collect();
    std::fs::write(dir.join("data"), &data).expect("data");
    let cmds = format!("{jo}\njw -b 300,301,302 data\njc\njo\njw -r 301\njc\njo\njw -b 400,401 data\njc\n");
    std::fs::write(dir.join("cmds"), cmds).expect("cmds");
    run("debugfs", &["-w", "-f", "cmds", "j.img"], &dir);
    Made { dir, img }
}

fn logdump(img: &Path) -> Logdump {
    parse_logdump(&run("debugfs", &["-R", "logdump -a", img.to_str().expect("utf-8 path")], Path::new("/")))
}

fn dumpe2fs(img: &Path) -> Vec<(String, String)> {
    parse_dumpe2fs(&run("dumpe2fs", &["-h", img.to_str().expect("path")], Path::new("/")))
}

fn parse_dumpe2fs(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect()
}

fn get<'a>(d: &'a [(String, String)], k: &str) -> &'a str {
    d.iter().find(|(x, _)| x == k).map(|(_, v)| v.as_str()).unwrap_or_else(|| panic!("dumpe2fs has no {k}"))
}

fn open(img: &Path) -> Fs {
    Fs::open(Box::new(std::fs::read(img).expect("read image"))).expect("open")
}

/// Physical block of journal block `j` (the journal inode's map).
fn physical(fs: &Fs, j: u64) -> u64 {
    let inode = fs.inode(fs.sb.s_journal_inum).expect("journal inode");
    fs.file_map(&inode).lookup(j).expect("mapped").0
}

fn check(name: &str, mkfs: &[&str], csum: bool) {
    let m = make(name, mkfs, if csum { "jo -c" } else { "jo" });
    let fs = open(&m.img);
    let d = dumpe2fs(&m.img);
    let log = logdump(&m.img);
    assert_eq!(log.blocks.iter().filter(|b| b.2 == 2).count(), 3, "{name}: three commits: {log:?}");
    assert_eq!(log.tags.len(), 2, "{name}: two descriptors: {log:?}");
    assert_eq!(log.revoked.len(), 1, "{name}: one revoke block: {log:?}");
    compare(name, &fs, &std::fs::read(&m.img).expect("read"), &d, &log, csum);
}

/// Our decode of the journal superblock and of every block logdump found,
/// against dumpe2fs -h (`d`) and logdump -a (`log`).
fn compare(name: &str, fs: &Fs, image: &[u8], d: &[(String, String)], log: &Logdump, csum: bool) {
    // The journal superblock against dumpe2fs -h.
    let sb_block = physical(fs, 0);
    let dec = fs.decode_block(sb_block, None).expect("decode");
    assert_eq!(dec.kind, Some(OwnerKind::Journal), "{name}: {}", dec.what);
    let bytes = fs.block(sb_block).expect("block");
    let jsb = JournalSuperblock::parse(&bytes);
    let f = JournalFeatures::of(&jsb);
    assert_eq!(jsb.s_maxlen.0.to_string(), get(d, "Total journal blocks"), "{name}");
    assert_eq!(format!("0x{:08x}", jsb.s_sequence.0), get(d, "Journal sequence"), "{name}");
    assert_eq!(jsb.s_start.0.to_string(), get(d, "Journal start"), "{name}");
    assert_eq!(f.names().join(" "), get(d, "Journal features"), "{name}");
    let c = journal::superblock_checksum(&bytes);
    if csum {
        assert_eq!(format!("0x{:08x}", jsb.s_checksum.0), get(d, "Journal checksum"), "{name}");
        assert_eq!(c.ok, Some(true), "{name}: {c:?}");
        assert!(dec.what.contains("checksum ok"), "{}", dec.what);
    } else {
        assert_eq!(c.ok, None, "{name}");
    }
    let sb_fields = &dec.structures[0].fields;
    let field = |n: &str| sb_fields.iter().find(|x| x.name == n).map(|x| x.value.clone());
    assert_eq!(field("s_maxlen"), Some(ext4scope_core::fields::FieldValue::Uint(jsb.s_maxlen.0.into())));

    // Every block logdump found, decoded alike by owner (after a scan) and by magic.
    let (map, _) = fs.scan(&mut |_| true).expect("scan");
    let mut seen = 0;
    for &(j, seq, ty) in &log.blocks {
        let p = physical(fs, j);
        for (how, dec) in [("owner", fs.decode_block(p, Some(&map))), ("magic", fs.decode_block(p, None))] {
            let dec = dec.expect("decode");
            let what = &dec.what;
            assert_eq!(dec.kind, Some(OwnerKind::Journal), "{name} {how} j{j}: {what}");
            assert!(what.contains(&format!("transaction {seq}")), "{name} {how} j{j}: {what}");
            let word = match ty {
                1 => "descriptor",
                2 => "commit",
                5 => "revoke",
                _ => panic!("type {ty}"),
            };
            assert!(what.contains(word), "{name} {how} j{j}: {what}");
            if csum {
                assert!(what.contains("checksum ok"), "{name} {how} j{j}: {what}");
            } else {
                assert!(!what.contains("checksum"), "{name} {how} j{j}: {what}");
            }
            if how == "owner" {
                assert!(what.contains(&format!("(journal block {j})")), "{name} j{j}: {what}");
            }
            // Descriptor tags: the FS blocks and flags logdump lists, in order.
            if let Some((_, tags)) = log.tags.iter().find(|t| t.0 == j) {
                let ours: Vec<(u64, u32)> = dec
                    .structures
                    .iter()
                    .filter_map(|s| s.name.strip_prefix("tag "))
                    .filter(|n| !n.ends_with("UUID"))
                    .map(|n| {
                        let (_, rest) = n.split_once(": FS block ").expect("tag name");
                        let (b, fl) = rest.split_once(" (flags 0x").expect("flags");
                        (b.parse().expect("b"), u32::from_str_radix(fl.trim_end_matches(')'), 16).expect("f"))
                    })
                    .collect();
                let theirs: Vec<(u64, u32)> = tags.iter().map(|t| (t.0, t.2)).collect();
                assert_eq!(ours, theirs, "{name} descriptor at j{j}");
                // Logged blocks follow their descriptor in order.
                for (i, t) in tags.iter().enumerate() {
                    assert_eq!(t.1, j + 1 + i as u64, "{name}");
                }
            }
            if let Some((_, revoked)) = log.revoked.iter().find(|t| t.0 == j) {
                let ours: Vec<u64> = dec
                    .structures
                    .iter()
                    .filter(|s| s.name.starts_with("revoke record"))
                    .map(|s| match s.fields[0].value {
                        ext4scope_core::fields::FieldValue::Uint(v) => v,
                        _ => panic!("revoke value"),
                    })
                    .collect();
                assert_eq!(&ours, revoked, "{name} revoke at j{j}");
            }
            seen += 1;
        }
    }
    assert_eq!(seen, 2 * log.blocks.len());
    println!("{name}: {} journal blocks decoded by owner and by magic equal logdump -a", log.blocks.len());

    if csum {
        // One flipped byte in the first descriptor's tag area: its checksum fails.
        let (j, _) = log.tags[0];
        let p = physical(fs, j);
        let mut img = image.to_vec();
        let at = p as usize * fs.block_size() as usize + 40;
        img[at] ^= 0x40;
        let bad = Fs::open(Box::new(img)).expect("open");
        let dec = bad.decode_block(p, None).expect("decode");
        assert!(dec.what.contains("checksum BAD"), "{}", dec.what);
    }
}

/// A journal the kernel wrote: tests/fixtures/make-crash-images.sh copied the
/// image while mounted (needs_recovery), with its dumpe2fs -h and logdump -a.
#[test]
fn kernel_journal_blocks_equal_logdump() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/crash");
    let gz = std::fs::read(dir.join("kernel-journal.img.gz")).expect("kernel-journal.img.gz");
    let mut image = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&gz[..]), &mut image).expect("gunzip");
    let text = |s: &str| std::fs::read_to_string(dir.join(format!("kernel-journal.{s}"))).expect(s);
    let d = parse_dumpe2fs(&text("dumpe2fs-h.txt"));
    let log = parse_logdump(&text("logdump.txt"));
    assert!(get(&d, "Filesystem features").contains("needs_recovery"));
    assert!(
        log.tags.len() >= 2 && !log.revoked.is_empty() && log.blocks.iter().filter(|b| b.2 == 2).count() >= 3
    );
    let fs = Fs::open(Box::new(image.clone())).expect("open");
    compare("kernel-journal", &fs, &image, &d, &log, true);
}

#[test]
fn journal_blocks_equal_logdump_csum_v3_64bit() {
    check("v3", &["-b", "1024"], true);
}

#[test]
fn journal_blocks_equal_logdump_without_checksums_32bit() {
    check("plain", &["-b", "4096", "-O", "^metadata_csum,^64bit"], false);
}
