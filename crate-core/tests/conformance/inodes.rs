//! Every in-use inode of every fixture image against debugfs `stat`, `ex` and
//! `blocks`, and every file's bytes against the sha256 the kernel read.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use ext4scope_core::filemap::{FileMap, MapItem, MapKind, WalkItem};
use ext4scope_core::format::group_desc::ChecksumKind;
use ext4scope_core::format::inode::Inode;
use ext4scope_core::Fs;
use sha2::{Digest, Sha256};

use super::debugfs::{parse_inodes, ExLine, InodeGolden, Labelled};
use crate::golden::{fixture_names, golden, load_image};

/// Our map as the labelled list of debugfs `stat` (`(ETB0):N`, `(L):P`, ...).
pub fn labelled(map: &FileMap) -> Vec<Labelled> {
    let mut out = Vec::new();
    for w in map.walk() {
        match w {
            WalkItem::Meta(m) => {
                let name = match m.kind.name() {
                    "ETB" => format!("ETB{}", m.level),
                    n => n.to_string(),
                };
                out.push(Labelled::Meta(name, m.block));
            }
            WalkItem::Data(r) => {
                for i in 0..r.len {
                    out.push(Labelled::Data(r.logical + i, r.physical + i, r.unwritten));
                }
            }
        }
    }
    out
}

/// Our map as the block list of debugfs `blocks`.
pub fn block_list(inode: &Inode, map: &FileMap) -> Vec<u64> {
    if map.kind == MapKind::None {
        // debugfs lists the raw i_block words of devices and fast symlinks.
        return inode.i_block_words().iter().filter(|&&w| w != 0).map(|&w| u64::from(w)).collect();
    }
    labelled(map)
        .into_iter()
        .map(|l| match l {
            Labelled::Meta(_, b) => b,
            Labelled::Data(_, p, _) => p,
        })
        .collect()
}

/// Our extent tree as debugfs `ex` prints it (libext2fs computes an index
/// entry's length from the next key, or the parent's end, which for the root is
/// i_size rounded up to blocks).
pub fn ex_lines(inode: &Inode, map: &FileMap, block_size: u64) -> Vec<ExLine> {
    let mut out = Vec::new();
    let Some(root) = map.tree.nodes.first() else { return out };
    let max_level = u32::from(root.depth.unwrap_or(0));
    let end = inode.size().div_ceil(block_size);
    fn walk(map: &FileMap, n: usize, end_blk: u64, max_level: u32, out: &mut Vec<ExLine>) {
        let node = &map.tree.nodes[n];
        let count = node.items.len() as u32;
        for (i, item) in node.items.iter().enumerate() {
            match item {
                MapItem::Extent { logical, physical, len, unwritten, .. } => {
                    let l32 = *len as u32;
                    out.push(ExLine {
                        level: node.level,
                        max_level,
                        entry: i as u32 + 1,
                        entries: count,
                        lstart: *logical,
                        lend: logical + u64::from(l32.wrapping_sub(1)),
                        pstart: *physical,
                        pend: Some(physical + u64::from(l32.wrapping_sub(1))),
                        len: *len,
                        uninit: *unwritten,
                    });
                }
                MapItem::Index { logical, block, child, .. } => {
                    let next = match node.items.get(i + 1) {
                        Some(MapItem::Index { logical: k, .. }) => *k,
                        _ => end_blk,
                    };
                    let l32 = next.wrapping_sub(*logical) as u32;
                    out.push(ExLine {
                        level: node.level,
                        max_level,
                        entry: i as u32 + 1,
                        entries: count,
                        lstart: *logical,
                        lend: logical + u64::from(l32.wrapping_sub(1)),
                        pstart: *block,
                        pend: None,
                        len: u64::from(l32),
                        uninit: false,
                    });
                    if let Some(c) = child {
                        walk(map, *c as usize, next, max_level, out);
                    }
                }
                _ => {}
            }
        }
    }
    walk(map, 0, end, max_level, &mut out);
    out
}

/// Differences between our reading of one inode and debugfs's.
fn compare(fs: &Fs, g: &InodeGolden) -> Vec<String> {
    let mut d = Vec::new();
    let inode = match fs.inode(g.ino) {
        Ok(i) => i,
        Err(e) => return vec![format!("cannot read: {e}")],
    };
    let map = fs.file_map(&inode);
    macro_rules! eq {
        ($what:expr, $ours:expr, $theirs:expr) => {
            if $ours != $theirs {
                d.push(format!("{}: ours {:?}, debugfs {:?}", $what, $ours, $theirs));
            }
        };
    }
    eq!("type", inode.file_type().debugfs_name(), g.type_name.as_str());
    eq!("mode", inode.mode() & 0o7777, g.perm);
    eq!("flags", inode.flags(), g.flags);
    eq!("generation", inode.generation(), g.generation);
    eq!("uid", inode.uid(), g.uid);
    eq!("gid", inode.gid(), g.gid);
    eq!("size", inode.size(), g.size);
    eq!("links", u32::from(inode.links()), g.links);
    eq!("blockcount", inode.blocks_512(), g.blockcount);
    eq!("file acl", inode.file_acl(), g.file_acl);
    if let Some(x) = g.extra_isize {
        eq!("extra isize", u32::from(inode.raw.i_extra_isize), x);
    }
    match g.checksum {
        Some(c) => {
            eq!("checksum stored", inode.checksum.stored, c);
            eq!("checksum verdict", inode.checksum.ok, Some(true));
        }
        None => eq!("checksum kind", inode.checksum.kind, ChecksumKind::None),
    }
    for (name, s, x) in &g.times {
        let t = match name.as_str() {
            "ctime" => Some(inode.ctime()),
            "atime" => Some(inode.atime()),
            "mtime" => Some(inode.mtime()),
            "crtime" => inode.crtime(),
            _ => Some(inode.dtime()),
        };
        match t {
            Some(t) => {
                eq!(format!("{name} seconds"), t.raw, *s);
                eq!(format!("{name} extra"), t.extra, *x);
            }
            None => d.push(format!("{name}: debugfs prints it, we have none")),
        }
    }
    eq!("inline data size", (map.kind == MapKind::Inline).then(|| fs.inline_len(&inode)), g.inline_size);
    if let Some(t) = &g.fast_link {
        eq!("fast symlink map", map.kind, MapKind::None);
        let target =
            inode.i_block().get(..inode.size() as usize).map(|b| String::from_utf8_lossy(b).into_owned());
        eq!("fast symlink target", target.as_deref(), Some(t.as_str()));
    }
    eq!("device", inode.device(), g.device);
    match (&g.list, map.kind) {
        (Some(list), _) => {
            let ours = labelled(&map);
            if &ours != list {
                let at =
                    ours.iter().zip(list).position(|(a, b)| a != b).unwrap_or(ours.len().min(list.len()));
                d.push(format!(
                    "stat block list differs at item {at}: ours {:?}, debugfs {:?} (ours {} items, debugfs {})",
                    ours.get(at),
                    list.get(at),
                    ours.len(),
                    list.len()
                ));
            }
            if let Some(t) = g.total {
                eq!("TOTAL", ours.len() as u64, t);
            }
        }
        (None, MapKind::Extents | MapKind::Indirect) => {
            d.push(format!("debugfs prints no block list, but we map it as {:?}", map.kind))
        }
        _ => {}
    }
    if let Some(ex) = &g.ex {
        let ours = ex_lines(&inode, &map, u64::from(fs.block_size()));
        if &ours != ex {
            let at = ours.iter().zip(ex).position(|(a, b)| a != b).unwrap_or(ours.len().min(ex.len()));
            d.push(format!(
                "ex differs at line {at}: ours {:?}, debugfs {:?} (ours {} lines, debugfs {})",
                ours.get(at),
                ex.get(at),
                ours.len(),
                ex.len()
            ));
        }
    } else if inode.flags() & ext4scope_core::format::inode::EXTENTS_FL != 0 {
        d.push(String::from("EXTENTS_FL is set but the golden has no ex output"));
    }
    let ours = block_list(&inode, &map);
    if ours != g.blocks {
        let at =
            ours.iter().zip(&g.blocks).position(|(a, b)| a != b).unwrap_or(ours.len().min(g.blocks.len()));
        d.push(format!(
            "blocks differ at {at}: ours {:?}, debugfs {:?} (ours {}, debugfs {})",
            ours.get(at),
            g.blocks.get(at),
            ours.len(),
            g.blocks.len()
        ));
    }
    // Metadata from the map equals the metadata of the walk, in the same order.
    let walk_meta: Vec<_> = map
        .walk()
        .into_iter()
        .filter_map(|w| if let WalkItem::Meta(m) = w { Some(m) } else { None })
        .collect();
    eq!("metadata list", map.metadata, walk_meta);
    let problems: Vec<_> = inode.problems.iter().chain(&map.problems).map(|p| p.message.clone()).collect();
    if !problems.is_empty() {
        d.push(format!("problems on a clean image: {problems:?}"));
    }
    d
}

/// `NAME.files.txt`: (inode, type, size, content) of every path the kernel saw.
fn files(name: &str) -> Vec<(u32, String, u64, String)> {
    golden(name, "files.txt")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            (c.len() >= 9).then(|| {
                (c[1].parse().expect("inode"), c[2].to_string(), c[7].parse().unwrap_or(0), c[8].to_string())
            })
        })
        .collect()
}

fn sha256_of_file(fs: &Fs, inode: &Inode) -> String {
    let map = fs.file_map(inode);
    let mut h = Sha256::new();
    let mut off = 0u64;
    let chunk = 1 << 20;
    loop {
        let buf = fs.read_file_with_map(inode, &map, off, chunk).expect("read_file");
        if buf.is_empty() {
            break;
        }
        off += buf.len() as u64;
        h.update(&buf);
    }
    assert_eq!(off, inode.size(), "inode {}: read {off} bytes of {}", inode.ino, inode.size());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn every_inode_equals_debugfs_stat_ex_blocks() {
    let mut inodes = 0;
    let mut images = 0;
    let mut diffs = String::new();
    let mut ndiff = 0;
    for name in fixture_names() {
        let fs = Fs::open(Box::new(load_image(&name))).unwrap_or_else(|e| panic!("{name}: {e}"));
        let goldens = parse_inodes(&golden(&name, "inodes.txt"));
        assert!(!goldens.is_empty(), "{name}: empty inodes golden");
        // The golden lists exactly the inodes the bitmap marks in use.
        let ours: BTreeSet<u32> =
            (1..=fs.sb.s_inodes_count).filter(|&i| fs.inode_in_use(i).unwrap_or(false)).collect();
        let theirs: BTreeSet<u32> = goldens.iter().map(|g| g.ino).collect();
        if ours != theirs {
            ndiff += 1;
            let _ = writeln!(
                diffs,
                "{name}: in-use inodes differ: only ours {:?}, only debugfs {:?}",
                ours.difference(&theirs).collect::<Vec<_>>(),
                theirs.difference(&ours).collect::<Vec<_>>()
            );
        }
        for g in &goldens {
            for msg in compare(&fs, g) {
                ndiff += 1;
                if ndiff <= 60 {
                    let _ = writeln!(diffs, "{name} inode {}: {msg}", g.ino);
                }
            }
            inodes += 1;
        }
        images += 1;
    }
    assert!(ndiff == 0, "{ndiff} differences from debugfs:\n{diffs}");
    assert!(images >= 10 && inodes > 700, "only {inodes} inodes in {images} images");
    println!("conformance: {inodes} inodes in {images} images, all equal to debugfs stat/ex/blocks");
}

#[test]
fn every_file_reads_as_the_kernel_read_it() {
    let mut files_read = 0;
    let mut bytes = 0u64;
    let mut links = 0;
    for name in fixture_names() {
        let fs = Fs::open(Box::new(load_image(&name))).unwrap_or_else(|e| panic!("{name}: {e}"));
        for (ino, kind, size, content) in files(&name) {
            let inode = fs.inode(ino).unwrap_or_else(|e| panic!("{name} inode {ino}: {e}"));
            assert_eq!(inode.size(), size, "{name} inode {ino}: size");
            if let Some(want) = content.strip_prefix("sha256=") {
                assert_eq!(sha256_of_file(&fs, &inode), want, "{name} inode {ino}: content sha256");
                files_read += 1;
                bytes += size;
            } else if let Some(target) = content.strip_prefix("target=").filter(|_| kind == "l") {
                let got = fs.read_file(&inode, 0, size as usize).expect("read symlink");
                let got = if fs.file_map(&inode).kind == MapKind::None {
                    inode.i_block()[..size as usize].to_vec()
                } else {
                    got
                };
                assert_eq!(String::from_utf8_lossy(&got), target, "{name} inode {ino}: symlink target");
                links += 1;
            }
        }
    }
    assert!(files_read > 50, "only {files_read} files compared");
    println!("conformance: {files_read} files ({bytes} bytes) and {links} symlink targets equal to what the kernel read");
}
