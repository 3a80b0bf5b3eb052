//! Shared helpers for tests that compare against the real tools' outputs saved
//! beside the fixture images (`tests/fixtures/images/NAME.*`).
#![allow(dead_code)]

use std::io::Read;
use std::path::{Path, PathBuf};

/// `tests/fixtures/images` at the repository root.
pub fn images_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/images")
}

/// Names of every fixture image (`NAME` of `NAME.img.gz`), sorted.
pub fn fixture_names() -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(images_dir())
        .expect("tests/fixtures/images exists")
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().to_str().and_then(|n| n.strip_suffix(".img.gz")).map(String::from))
        .collect();
    v.sort();
    assert!(!v.is_empty(), "no fixture images found in {}", images_dir().display());
    v
}

/// The decompressed image.
pub fn load_image(name: &str) -> Vec<u8> {
    let f = std::fs::File::open(images_dir().join(format!("{name}.img.gz"))).expect("image");
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(f).read_to_end(&mut out).expect("gunzip");
    out
}

/// A golden text file beside the image.
pub fn golden(name: &str, suffix: &str) -> String {
    std::fs::read_to_string(images_dir().join(format!("{name}.{suffix}")))
        .unwrap_or_else(|e| panic!("{name}.{suffix}: {e}"))
}

/// `Key: value` pairs of `dumpe2fs -h` (up to the first blank line after them).
pub fn dumpe2fs_header(text: &str) -> Vec<(String, String)> {
    let mut v = Vec::new();
    for line in text.lines() {
        if is_group_line(line) {
            break;
        }
        if let Some((k, val)) = line.split_once(':') {
            if k.starts_with(' ') || k.is_empty() {
                continue;
            }
            v.push((k.trim().to_string(), val.trim().to_string()));
        }
    }
    v
}

fn is_group_line(line: &str) -> bool {
    line.strip_prefix("Group ")
        .and_then(|r| r.split_once(':'))
        .is_some_and(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// One group as `dumpe2fs` prints it.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct DumpGroup {
    pub group: u32,
    pub first: u64,
    pub last: u64,
    pub csum: Option<u32>,
    pub flags: Vec<String>,
    pub superblock: Option<u64>,
    pub gdt: Option<(u64, u64)>,
    pub reserved_gdt: Option<(u64, u64)>,
    pub block_bitmap: u64,
    pub block_bitmap_csum: Option<u32>,
    pub inode_bitmap: u64,
    pub inode_bitmap_csum: Option<u32>,
    pub inode_table: (u64, u64),
    pub free_blocks: u32,
    pub free_inodes: u32,
    pub dirs: u32,
    pub unused_inodes: Option<u32>,
    /// "Free blocks:" ranges (block numbers).
    pub free_block_ranges: Vec<(u64, u64)>,
    /// "Free inodes:" ranges (inode numbers).
    pub free_inode_ranges: Vec<(u64, u64)>,
}

fn hex(s: &str) -> u32 {
    u32::from_str_radix(s.trim().trim_start_matches("0x"), 16).expect("hex")
}

fn range(s: &str) -> (u64, u64) {
    let s = s.trim();
    match s.split_once('-') {
        Some((a, b)) => (a.trim().parse().expect("num"), b.trim().parse().expect("num")),
        None => {
            let a = s.parse().expect("num");
            (a, a)
        }
    }
}

/// Every group of a full `dumpe2fs` output.
pub fn dumpe2fs_groups(text: &str) -> Vec<DumpGroup> {
    let mut out: Vec<DumpGroup> = Vec::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("Group ").filter(|_| is_group_line(line)) {
            // Group 0: (Blocks 1-8192) csum 0x10df [ITABLE_ZEROED]
            let (num, rest) = rest.split_once(':').expect("group line");
            let mut g = DumpGroup { group: num.parse().expect("group number"), ..Default::default() };
            let inner = rest.split_once("(Blocks ").expect("blocks").1;
            let (r, after) = inner.split_once(')').expect(")");
            (g.first, g.last) = range(r);
            if let Some(c) = after.split_once("csum ") {
                g.csum = Some(hex(c.1.split_whitespace().next().expect("csum")));
            }
            if let Some((_, f)) = after.split_once('[') {
                g.flags = f.trim_end_matches(']').split(", ").map(String::from).collect();
            }
            out.push(g);
            continue;
        }
        let Some(g) = out.last_mut() else { continue };
        let l = line.trim();
        for part in l.split(", ") {
            let part = part.trim();
            if let Some(x) =
                part.strip_prefix("Primary superblock at ").or(part.strip_prefix("Backup superblock at "))
            {
                g.superblock = Some(x.trim().parse().expect("sb"));
            } else if let Some(x) =
                part.strip_prefix("Group descriptors at ").or(part.strip_prefix("Group descriptor at "))
            {
                let (a, b) = range(x);
                g.gdt = Some((a, b - a + 1));
            } else if let Some(x) = part.strip_prefix("Reserved GDT blocks at ") {
                let (a, b) = range(x);
                g.reserved_gdt = Some((a, b - a + 1));
            }
        }
        if let Some(x) = l.strip_prefix("Free blocks: ") {
            g.free_block_ranges = x.split(", ").filter(|r| !r.trim().is_empty()).map(range).collect();
        } else if let Some(x) = l.strip_prefix("Free inodes: ") {
            g.free_inode_ranges = x.split(", ").filter(|r| !r.trim().is_empty()).map(range).collect();
        } else if let Some(x) = l.strip_prefix("Block bitmap at ") {
            g.block_bitmap = x.split_whitespace().next().expect("bb").parse().expect("bb");
            g.block_bitmap_csum = x.split_once("csum ").map(|c| hex(c.1));
        } else if let Some(x) = l.strip_prefix("Inode bitmap at ") {
            g.inode_bitmap = x.split_whitespace().next().expect("ib").parse().expect("ib");
            g.inode_bitmap_csum = x.split_once("csum ").map(|c| hex(c.1));
        } else if let Some(x) = l.strip_prefix("Inode table at ") {
            g.inode_table = range(x.split_whitespace().next().expect("it"));
        } else if l.contains(" free ") && l.contains("directories") {
            // 3808 free blocks, 2037 free inodes, 2 directories, 2037 unused inodes
            for part in l.split(", ") {
                let mut w = part.split_whitespace();
                let n: u32 = w.next().expect("n").parse().expect("n");
                let what: Vec<&str> = w.collect();
                match what.as_slice() {
                    ["free", "blocks"] | ["free", "clusters"] => g.free_blocks = n,
                    ["free", "inodes"] => g.free_inodes = n,
                    ["directories"] => g.dirs = n,
                    ["unused", "inodes"] => g.unused_inodes = Some(n),
                    _ => {}
                }
            }
        }
    }
    out
}

/// Keys of `dumpe2fs -h` that come from the journal superblock, not the fs superblock.
pub const JOURNAL_KEYS: &[&str] = &[
    "Journal features",
    "Total journal size",
    "Total journal blocks",
    "Max transaction length",
    "Fast commit length",
    "Journal sequence",
    "Journal start",
    "Journal checksum type",
    "Journal checksum",
    "Journal number of users",
    "Journal users",
    "Journal errno",
    "Next check after",
];

/// logdump -a: (journal block, sequence, type) per header found, FS blocks per
/// descriptor, revoked blocks per revoke block.
/// (FS block, journal block, flags) of one tag.
pub type LoggedTag = (u64, u64, u32);

#[derive(Debug, Default, PartialEq)]
pub struct Logdump {
    /// Every header found: (journal block, sequence, block type).
    pub blocks: Vec<(u64, u32, u32)>,
    /// Each descriptor block's tags.
    pub tags: Vec<(u64, Vec<LoggedTag>)>,
    /// Each revoke block's records.
    pub revoked: Vec<(u64, Vec<u64>)>,
}

/// Parse `debugfs -R "logdump -a"` output.
pub fn parse_logdump(text: &str) -> Logdump {
    let mut l = Logdump::default();
    for line in text.lines() {
        let w: Vec<&str> = line.split_whitespace().collect();
        if line.starts_with("Found expected sequence") {
            // Found expected sequence 1, type 1 (descriptor block) at block 1
            let seq = w[3].trim_end_matches(',').parse().expect("seq");
            let ty = w[5].parse().expect("type");
            let at = w.last().expect("block").parse().expect("block");
            l.blocks.push((at, seq, ty));
        } else if line.starts_with("Dumping descriptor block") {
            let at = w.last().expect("at").trim_end_matches(':').parse().expect("at");
            l.tags.push((at, Vec::new()));
        } else if line.trim_start().starts_with("FS block") && line.contains("logged at journal block") {
            // FS block 300 logged at journal block 2 (flags 0x0)
            let fs_block = w[2].parse().expect("fs block");
            let jblock = w[7].parse().expect("journal block");
            let flags =
                u32::from_str_radix(w[9].trim_start_matches("0x").trim_end_matches(')'), 16).expect("flags");
            l.tags.last_mut().expect("descriptor").1.push((fs_block, jblock, flags));
        } else if line.starts_with("Dumping revoke block") {
            let at = w.last().expect("at").trim_end_matches(':').parse().expect("at");
            l.revoked.push((at, Vec::new()));
        } else if line.trim_start().starts_with("Revoke FS block") {
            l.revoked.last_mut().expect("revoke").1.push(w[3].parse().expect("revoked"));
        }
    }
    l
}
