//! Our listings, paths, symlink targets and xattrs against debugfs and the
//! kernel on every fixture image.

use std::collections::{BTreeMap, BTreeSet};

use ext4scope_core::format::dir::{DirBlockKind, DirEntry, DirFormat};
use ext4scope_core::format::inode::FileType;
use ext4scope_core::format::xattr::{
    posix_acl_to_xattr, INDEX_ENCRYPTION, INDEX_POSIX_ACL_ACCESS, INDEX_POSIX_ACL_DEFAULT, INDEX_SYSTEM,
};
use ext4scope_core::Fs;
use sha2::{Digest, Sha256};

use crate::golden::*;

fn open(name: &str) -> Fs {
    Fs::open(Box::new(load_image(name))).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// One line of debugfs `ls -l`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct LsLine {
    deleted: bool,
    inode: u32,
    mode: u32,
    file_type: u8,
    uid: u32,
    gid: u32,
    size: u64,
    date: String,
    name: String,
}

impl std::fmt::Display for LsLine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (l, r) = if self.deleted { ('<', '>') } else { (' ', ' ') };
        write!(
            f,
            "{l}{:6}{r} {:6o} ({}) {:5} {:5} {:5} {:17} {}",
            self.inode, self.mode, self.file_type, self.uid, self.gid, self.size, self.date, self.name
        )
    }
}

/// Parse `debugfs: ls ... <N>` sections: (command, directory inode, lines).
fn parse_ls(text: &str) -> Vec<(String, u32, Vec<LsLine>)> {
    let mut out: Vec<(String, u32, Vec<LsLine>)> = Vec::new();
    for line in text.lines() {
        if let Some(cmd) = line.strip_prefix("debugfs: ") {
            let ino =
                cmd.rsplit_once('<').and_then(|(_, n)| n.trim_end_matches('>').parse().ok()).expect("ls <N>");
            out.push((cmd.to_string(), ino, Vec::new()));
            continue;
        }
        if line.trim().is_empty() {
            continue;
        }
        let sec = out.last_mut().expect("a line before any command");
        sec.2.push(parse_ls_line(line));
    }
    out
}

fn parse_ls_line(line: &str) -> LsLine {
    let deleted = line.starts_with('<');
    let clean: String = line.replacen('<', " ", 1).replacen('>', " ", 1);
    // Six numeric fields, then " " + 17-character date + " " + name.
    let mut fields = Vec::new();
    let mut rest = clean.as_str();
    for _ in 0..6 {
        let t = rest.trim_start();
        let end = t.find(' ').unwrap_or(t.len());
        fields.push(t[..end].to_string());
        rest = &t[end..];
    }
    let rest = rest.strip_prefix(' ').unwrap_or_else(|| panic!("no date in {line:?}"));
    // Kept as printed: `%2d` pads a one-digit day with a space. An entry
    // with no inode has no date (17 spaces).
    let raw = rest.get(..17).unwrap_or_else(|| panic!("short line {line:?}"));
    let date = if raw.trim().is_empty() { String::new() } else { raw.to_string() };
    let name = rest.get(18..).unwrap_or("").to_string();
    LsLine {
        deleted,
        inode: fields[0].parse().expect("inode"),
        mode: u32::from_str_radix(&fields[1], 8).expect("mode"),
        file_type: fields[2].trim_matches(|c| c == '(' || c == ')').parse().expect("file type"),
        uid: fields[3].parse().expect("uid"),
        gid: fields[4].parse().expect("gid"),
        size: fields[5].parse().expect("size"),
        date,
        name,
    }
}

/// Our entry as debugfs `ls -l` prints it.
fn render(fs: &Fs, e: &DirEntry) -> LsLine {
    let mut l = LsLine {
        deleted: e.deleted,
        // debugfs prints 0 in place of a deleted entry's inode number.
        inode: if e.deleted { 0 } else { e.inode },
        mode: 0,
        file_type: e.file_type,
        uid: 0,
        gid: 0,
        size: 0,
        date: String::new(),
        name: e.name.clone(),
    };
    if !e.deleted && e.inode != 0 {
        let i = fs.inode(e.inode).unwrap_or_else(|err| panic!("inode {}: {err}", e.inode));
        l.mode = u32::from(i.mode());
        l.uid = i.uid();
        l.gid = i.gid();
        l.size = i.size();
        l.date = ext4scope_core::time::ls_date(i.mtime().seconds);
    }
    l
}

/// Compare every `ls` section of a golden file with our listings.
fn compare_ls(name: &str, suffix: &str, fs: &Fs, diffs: &mut Vec<String>) -> usize {
    let text = golden(name, suffix);
    let mut compared = 0;
    for (cmd, ino, theirs) in parse_ls(&text) {
        let with_deleted = cmd.contains(" -d");
        let listing = match fs.read_dir(ino) {
            Ok(l) => l,
            Err(e) => {
                diffs.push(format!("{name}: {cmd}: we cannot list it: {e}"));
                continue;
            }
        };
        let ours: Vec<LsLine> =
            listing.entries.iter().filter(|e| with_deleted || !e.deleted).map(|e| render(fs, e)).collect();
        if ours != theirs {
            let mut d =
                format!("{name}: {cmd}: {} lines from debugfs, {} from us\n", theirs.len(), ours.len());
            for i in 0..ours.len().max(theirs.len()) {
                let (a, b) = (theirs.get(i), ours.get(i));
                if a != b {
                    d += &format!(
                        "  line {i}:\n    debugfs: {}\n    ours:    {}\n",
                        a.map_or("(none)".into(), |l| l.to_string()),
                        b.map_or("(none)".into(), |l| l.to_string())
                    );
                }
            }
            diffs.push(d);
        }
        compared += theirs.len();
    }
    compared
}

#[test]
fn ls_equals_debugfs_on_every_fixture() {
    let mut diffs = Vec::new();
    let (mut lines, mut dirs) = (0, 0);
    for name in fixture_names() {
        let fs = open(&name);
        lines += compare_ls(&name, "ls.txt", &fs, &mut diffs);
        dirs += parse_ls(&golden(&name, "ls.txt")).len();
        if images_dir().join(format!("{name}.ls-deleted.txt")).exists() {
            lines += compare_ls(&name, "ls-deleted.txt", &fs, &mut diffs);
        }
    }
    println!("ls: {lines} debugfs ls -l lines in {dirs} directories compared");
    assert!(lines > 1000, "too few lines compared: {lines}");
    assert!(diffs.is_empty(), "{} differences:\n{}", diffs.len(), diffs.join("\n"));
}

#[test]
fn fixture_directories_have_no_problems() {
    // The fixtures pass e2fsck -fn, so every directory must read cleanly.
    let mut checked = 0;
    let mut checksums = 0;
    let mut bad = Vec::new();
    for name in fixture_names() {
        let fs = open(&name);
        for (_, ino, _) in parse_ls(&golden(&name, "ls.txt")) {
            // The long listing also checks each entry against its inode
            // (file_type byte, bitmap); the fixtures have no such problems.
            let l = fs.read_dir_long(ino).expect("listing");
            assert!(l.live().all(|e| e.detail.is_some()), "{name}: {ino}: an entry without its inode");
            checked += 1;
            for b in &l.blocks {
                if b.checksum.ok == Some(true) {
                    checksums += 1;
                }
                if fs.sb.has_metadata_csum() && b.kind != DirBlockKind::Unreadable {
                    assert_eq!(
                        b.checksum.ok,
                        Some(true),
                        "{name}: dir {ino} block {} ({:?})",
                        b.logical,
                        b.kind
                    );
                }
            }
            if !l.problems.is_empty() {
                bad.push(format!("{name}: directory {ino}: {:#?}", l.problems));
            }
        }
    }
    println!("directories: {checked} read without problems, {checksums} block checksums verified");
    assert!(checksums > 100);
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// `ncheck` goldens: (asked inodes, inode -> paths).
fn parse_ncheck(text: &str) -> (BTreeSet<u32>, BTreeMap<u32, BTreeSet<String>>) {
    let mut asked = BTreeSet::new();
    let mut found: BTreeMap<u32, BTreeSet<String>> = BTreeMap::new();
    for line in text.lines() {
        if let Some(cmd) = line.strip_prefix("debugfs: ncheck ") {
            asked.extend(cmd.split_whitespace().map(|n| n.parse::<u32>().expect("ino")));
        } else if let Some((ino, path)) = line.split_once('\t') {
            let Ok(ino) = ino.parse::<u32>() else { continue };
            // debugfs prints the root's children as //name.
            let path = path.strip_prefix('/').filter(|p| p.starts_with('/')).unwrap_or(path);
            found.entry(ino).or_default().insert(path.to_string());
        }
    }
    (asked, found)
}

#[test]
fn paths_equal_debugfs_ncheck_on_every_fixture() {
    let mut diffs = Vec::new();
    let mut compared = 0;
    for name in fixture_names() {
        let fs = open(&name);
        let ix = fs.path_index();
        assert!(ix.problems.is_empty(), "{name}: {:?}", ix.problems);
        let (asked, theirs) = parse_ncheck(&golden(&name, "ncheck.txt"));
        assert!(!theirs.is_empty(), "{name}: empty ncheck golden");
        for ino in asked {
            if ino == 2 {
                continue; // ncheck never names the root.
            }
            let ours: BTreeSet<String> = ix.paths.get(&ino).into_iter().flatten().cloned().collect();
            let want = theirs.get(&ino).cloned().unwrap_or_default();
            if ours != want {
                diffs.push(format!("{name}: inode {ino}: debugfs {want:?}, ours {ours:?}"));
            }
            compared += want.len();
        }
        // paths_of agrees with the index.
        for (&ino, want) in theirs.iter().take(5) {
            let got: BTreeSet<String> = fs.paths_of(ino).into_iter().collect();
            assert_eq!(&got, want, "{name}: paths_of({ino})");
        }
    }
    println!("ncheck: {compared} paths compared");
    assert!(compared > 700, "{compared}");
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
}

/// One line of `NAME.files.txt`.
struct FileLine {
    path: String,
    inode: u32,
    kind: String,
    perm: u32,
    size: u64,
    content: String,
    xattrs: String,
}

fn parse_files(text: &str) -> (Vec<FileLine>, Vec<(String, usize, String)>) {
    let mut v = Vec::new();
    let mut digests = Vec::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("# /") {
            // "# /htree1: 250 entries, sha256 of the sorted names joined by newlines = HEX; ..."
            let (dir, rest) = rest.split_once(':').expect("digest line");
            let n: usize = rest.split_whitespace().next().expect("count").parse().expect("count");
            let hex = rest.split("= ").nth(1).expect("hash").split(';').next().expect("hash").trim();
            digests.push((format!("/{dir}"), n, hex.to_string()));
            continue;
        }
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        assert_eq!(f.len(), 10, "files line {line:?}");
        v.push(FileLine {
            path: f[0].to_string(),
            inode: f[1].parse().expect("inode"),
            kind: f[2].to_string(),
            perm: u32::from_str_radix(f[3], 8).expect("perm"),
            size: f[7].parse().expect("size"),
            content: f[8].to_string(),
            xattrs: f[9].to_string(),
        });
    }
    (v, digests)
}

fn sha_hex(b: &[u8]) -> String {
    Sha256::digest(b).iter().map(|x| format!("{x:02x}")).collect()
}

#[test]
fn lookup_symlinks_and_xattrs_equal_the_kernel_on_every_fixture() {
    let mut diffs = Vec::new();
    let (mut paths, mut links, mut attrs, mut digests) = (0, 0, 0, 0);
    for name in fixture_names() {
        let fs = open(&name);
        let (files, dirs) = parse_files(&golden(&name, "files.txt"));
        for f in &files {
            let ino = match fs.lookup(&f.path) {
                Ok(i) => i,
                Err(e) => {
                    diffs.push(format!("{name}: lookup {}: {e}", f.path));
                    continue;
                }
            };
            paths += 1;
            if ino != f.inode {
                diffs.push(format!("{name}: lookup {} = {ino}, the kernel says {}", f.path, f.inode));
                continue;
            }
            let inode = fs.inode(ino).expect("inode");
            let kind = match inode.file_type() {
                FileType::Directory => "d",
                FileType::Regular => "-",
                FileType::Symlink => "l",
                FileType::CharDevice => "c",
                FileType::BlockDevice => "b",
                FileType::Fifo => "p",
                FileType::Socket => "s",
                FileType::Unknown => "?",
            };
            if kind != f.kind || u32::from(inode.mode() & 0o7777) != f.perm || inode.size() != f.size {
                diffs.push(format!("{name}: {}: type/perm/size differ", f.path));
            }
            if let Some(target) = f.content.strip_prefix("target=") {
                let t = fs.symlink_target(&inode).expect("symlink");
                links += 1;
                if t.text != target || !t.problems.is_empty() {
                    diffs.push(format!(
                        "{name}: {}: target {:?} ({:?}), kernel {target:?}",
                        f.path, t.text, t.problems
                    ));
                }
                // Following the link lands where its target resolves from the link's directory.
                let dir = f.path.rsplit_once('/').map_or("", |(d, _)| d);
                let absolute =
                    if target.starts_with('/') { target.to_string() } else { format!("{dir}/{target}") };
                match (fs.lookup_follow(&f.path), fs.lookup_follow(&absolute)) {
                    (Ok(a), Ok(b)) => assert_eq!(a, b, "{name}: following {}", f.path),
                    (Err(a), Err(b)) => assert_eq!(std::mem::discriminant(&a), std::mem::discriminant(&b)),
                    (a, b) => panic!("{name}: {}: {a:?} vs {absolute}: {b:?}", f.path),
                }
            }
            // Extended attributes as the kernel lists them (system.data and
            // the encryption context are hidden; ACLs are converted to the
            // getxattr format).
            let report = fs.xattrs(&inode);
            if !report.problems.is_empty() {
                diffs.push(format!("{name}: {}: xattr problems {:?}", f.path, report.problems));
            }
            let mut ours: Vec<String> = report
                .entries
                .iter()
                .filter(|x| x.name_index != INDEX_SYSTEM && x.name_index != INDEX_ENCRYPTION)
                .map(|x| {
                    let v = if x.name_index == INDEX_POSIX_ACL_ACCESS
                        || x.name_index == INDEX_POSIX_ACL_DEFAULT
                    {
                        posix_acl_to_xattr(&x.value).expect("acl")
                    } else {
                        x.value.clone()
                    };
                    format!("{}={}:{}", x.name, v.len(), &sha_hex(&v)[..16])
                })
                .collect();
            ours.sort();
            let mut theirs: Vec<String> =
                if f.xattrs == "-" { Vec::new() } else { f.xattrs.split(',').map(String::from).collect() };
            theirs.sort();
            attrs += theirs.len();
            if ours != theirs {
                diffs.push(format!("{name}: {}: xattrs ours {ours:?}, kernel {theirs:?}", f.path));
            }
        }
        // Large directories: the sorted names' digest.
        for (dir, n, hex) in dirs {
            let ino = fs.lookup(&dir).expect("dir");
            let l = fs.read_dir(ino).expect("listing");
            let mut names: Vec<String> =
                l.live().filter(|e| !e.is_dot_or_dotdot()).map(|e| e.name.clone()).collect();
            names.sort();
            assert_eq!(names.len(), n, "{name}: {dir} entry count");
            assert_eq!(sha_hex(names.join("\n").as_bytes()), hex, "{name}: {dir} names digest");
            digests += 1;
        }
    }
    println!("files: {paths} paths looked up, {links} symlink targets, {attrs} xattrs, {digests} directory digests");
    assert!(paths > 250 && links > 15 && attrs > 15 && digests >= 2, "{paths} {links} {attrs} {digests}");
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
}

/// An index block as debugfs `htree` dumps it: count, limit, checksum, (hash, block) entries.
type DumpNode = (u16, u16, Option<u32>, Vec<(u32, u32)>);

/// `htree <N>` goldens: per directory, the root info and each index block's
/// count, limit, checksum and entries.
#[derive(Debug, Default, Clone, PartialEq)]
struct HtreeDump {
    hash_version: u8,
    indirect_levels: u8,
    /// (count, limit, checksum, entries) in dump order.
    nodes: Vec<DumpNode>,
}

fn parse_htree(text: &str) -> BTreeMap<u32, HtreeDump> {
    let mut out: BTreeMap<u32, HtreeDump> = BTreeMap::new();
    let mut cur: Option<u32> = None;
    let mut in_node = false;
    for line in text.lines() {
        if let Some(cmd) = line.strip_prefix("debugfs: htree <") {
            let ino = cmd.trim_end_matches('>').parse().expect("ino");
            out.insert(ino, HtreeDump::default());
            cur = Some(ino);
            continue;
        }
        let Some(d) = cur.and_then(|c| out.get_mut(&c)) else { continue };
        let t = line.trim();
        if let Some(v) = t.strip_prefix("Hash Version: ") {
            d.hash_version = v.parse().expect("hash version");
        } else if let Some(v) = t.strip_prefix("Indirect levels: ") {
            d.indirect_levels = v.parse().expect("levels");
        } else if let Some(v) = t.strip_prefix("Number of entries (count): ") {
            d.nodes.push((v.parse().expect("count"), 0, None, Vec::new()));
            in_node = true;
        } else if let Some(v) = t.strip_prefix("Number of entries (limit): ") {
            d.nodes.last_mut().expect("node").1 = v.parse().expect("limit");
        } else if let Some(v) = t.strip_prefix("Checksum: 0x") {
            d.nodes.last_mut().expect("node").2 = Some(u32::from_str_radix(v, 16).expect("csum"));
        } else if let Some(v) = t.strip_prefix("Entry #").filter(|_| in_node) {
            // "Entry #3: Hash 0x2335590a, block 14"
            let (_, rest) = v.split_once(": Hash 0x").expect("entry");
            let (h, b) = rest.split_once(", block ").expect("entry");
            let n = d.nodes.last_mut().expect("node");
            if n.3.len() < usize::from(n.0) {
                n.3.push((u32::from_str_radix(h, 16).expect("hash"), b.trim().parse().expect("block")));
            }
        } else if t.is_empty() {
            in_node = false;
        }
    }
    out
}

#[test]
fn htree_index_equals_debugfs_htree() {
    let mut nodes = 0;
    let mut lookups = 0;
    for name in fixture_names() {
        let path = images_dir().join(format!("{name}.htree.txt"));
        if !path.exists() {
            continue;
        }
        let fs = open(&name);
        for (ino, want) in parse_htree(&golden(&name, "htree.txt")) {
            let l = fs.read_dir(ino).expect("listing");
            assert_eq!(l.format, DirFormat::Htree, "{name}: {ino}");
            let t = l.htree.as_ref().expect("htree");
            assert_eq!(t.hash_version, want.hash_version, "{name}: {ino}");
            assert_eq!(t.indirect_levels, want.indirect_levels, "{name}: {ino}");
            // debugfs dumps the root, then each interior node followed by its
            // leaves; index blocks come in the same depth-first order as ours.
            let ours: Vec<_> = t
                .nodes
                .iter()
                .map(|n| {
                    (
                        n.count,
                        n.limit,
                        n.checksum.ok.map(|_| n.checksum.stored),
                        n.entries.iter().map(|e| (e.hash, e.block)).collect::<Vec<_>>(),
                    )
                })
                .collect();
            assert_eq!(ours, want.nodes, "{name}: directory {ino}");
            nodes += ours.len();
            assert!(
                t.leaves.len() >= usize::from(want.nodes[0].0),
                "{name}: {ino}: {} leaves",
                t.leaves.len()
            );
            // Every name found through the index, agreeing with the linear listing.
            let dir = fs.inode(ino).expect("inode");
            for e in l.live() {
                let r = fs.htree_lookup(&dir, &e.name_bytes).expect("lookup");
                assert!(r.problems.is_empty(), "{:?}", r.problems);
                let found = r.found.unwrap_or_else(|| panic!("{name}: {:?} not found by hash", e.name));
                assert_eq!(
                    (found.inode, found.logical_block, found.offset),
                    (e.inode, e.logical_block, e.offset)
                );
                assert_eq!(fs.lookup_in(&dir, &e.name_bytes).expect("lookup_in"), Some(e.inode));
                lookups += 1;
            }
            for missing in
                [&b"no-such-name"[..], b"entry-999-with-a-fairly-long-name-to-fill-the-blocks", b"x"]
            {
                let r = fs.htree_lookup(&dir, missing).expect("lookup");
                assert_eq!(r.found, None);
                assert_eq!(r.leaves.len(), 1, "one leaf searched for a missing name without collisions");
            }
        }
    }
    println!("htree: {nodes} index blocks equal to debugfs htree, {lookups} names found by hash");
    assert!(nodes >= 4 && lookups > 600, "{nodes} {lookups}");
}

/// Run a command; `None` when the tool is not installed.
fn tool(cmd: &str, args: &[&str]) -> Option<std::process::Output> {
    std::process::Command::new(cmd).args(args).output().ok()
}

#[test]
fn blocks_of_64k_equal_debugfs_now() {
    // 64 KiB blocks store rec_len 65536 as 0xFFFF (or with its high bits in the
    // low two bits): made with mkfs.ext4 -d now, compared with debugfs ls -l.
    let dir = std::env::temp_dir().join(format!("ext4scope-dirs-64k-{}", std::process::id()));
    let tree = dir.join("tree");
    std::fs::create_dir_all(tree.join("sub")).expect("tree");
    for i in 0..300 {
        std::fs::write(tree.join(format!("file-{i:03}-{}", "n".repeat(i % 60))), format!("{i}\n"))
            .expect("file");
    }
    let mut compared = 0;
    for features in ["^metadata_csum", "metadata_csum"] {
        let img = dir.join(format!("{features}.img"));
        let Some(out) = tool(
            "mkfs.ext4",
            &[
                "-q",
                "-F",
                "-b",
                "65536",
                "-O",
                features,
                "-d",
                tree.to_str().expect("utf-8"),
                img.to_str().expect("utf-8"),
                "64M",
            ],
        ) else {
            println!("64k: mkfs.ext4 is not installed; skipped");
            return;
        };
        assert!(out.status.success(), "mkfs: {}", String::from_utf8_lossy(&out.stderr));
        let bytes = std::fs::read(&img).expect("image");
        let fs = Fs::open(Box::new(bytes)).expect("open");
        assert_eq!(fs.block_size(), 65536);
        for d in ["/", "/lost+found", "/sub"] {
            let ino = fs.lookup(d).expect("dir");
            let Some(out) = tool("debugfs", &["-R", &format!("ls -l <{ino}>"), img.to_str().expect("utf-8")])
            else {
                println!("64k: debugfs is not installed; skipped");
                return;
            };
            let theirs: Vec<LsLine> = String::from_utf8_lossy(&out.stdout)
                .lines()
                .filter(|l| !l.is_empty())
                .map(parse_ls_line)
                .collect();
            let l = fs.read_dir(ino).expect("listing");
            assert!(l.problems.is_empty(), "{features} {d}: {:?}", l.problems);
            let ours: Vec<LsLine> = l.entries.iter().map(|e| render(&fs, e)).collect();
            assert_eq!(ours, theirs, "{features} {d}");
            compared += ours.len();
        }
    }
    std::fs::remove_dir_all(&dir).ok();
    println!("64k: {compared} entries equal to debugfs ls -l");
    assert!(compared > 600);
}

#[test]
fn lookup_edge_cases() {
    use ext4scope_core::path::LookupError;
    let fs = open("extents");
    assert_eq!(fs.lookup("/"), Ok(2));
    assert_eq!(fs.lookup("//links///link1"), Ok(22));
    assert_eq!(fs.lookup("/links/./link1/"), Ok(22));
    assert_eq!(fs.lookup("/links/../hello.txt"), Ok(12));
    assert_eq!(fs.lookup("/../../hello.txt"), Ok(12));
    assert_eq!(fs.lookup("/htree2/.."), Ok(2));
    assert!(matches!(fs.lookup("hello.txt"), Err(LookupError::Invalid { .. })));
    assert!(matches!(fs.lookup("/hello.txt/x"), Err(LookupError::NotADirectory { .. })));
    assert_eq!(
        fs.lookup("/links/nope/x").map_err(|e| e.to_string()),
        Err(String::from("/links/nope: no such file or directory"))
    );
    // A symlink in the middle of a path is followed, at the end only on request.
    let link = fs.lookup("/fast-symlink").expect("link");
    assert_ne!(link, 12);
    assert_eq!(fs.lookup_follow("/fast-symlink"), Ok(12));
    // Inline directories: `..` comes from i_block.
    let fs = open("inline");
    assert_eq!(fs.lookup("/inline-dir-xattr/name-6"), Ok(28));
    assert_eq!(fs.lookup("/inline-dir-xattr/../inline-dir/.."), Ok(2));
}
