//! The worker's answers for the inspector views: inodes, file content, blocks,
//! the block ownership scan and group bitmaps. Free of browser calls: native
//! tests drive it over fixture images.

pub use ext4scope_core::group_layout::{free_runs, group_layout, runs_text, GroupLayout, Piece, PieceKind};
use ext4scope_core::ownership::{OwnerKind, Scanner};
use ext4scope_core::Fs;

use super::protocol::{Request, Response, WorkerError, MAX_BUCKETS, MAX_CHUNK};
use crate::b64;

/// At most this many scan problems per answer.
const MAX_PROBLEMS: usize = 50;

/// Answer one inspector request for the open `fs`; `scan` is the session's
/// ownership scan (started on the first [`Request::Scan`]).
pub fn answer(fs: &Fs, scan: &mut Option<Scanner>, request: Request) -> Result<Response, WorkerError> {
    Ok(match request {
        Request::ReadFile { ino, offset, len } => {
            let inode = fs.inode(ino)?;
            let data = fs.read_file(&inode, offset, len.min(MAX_CHUNK) as usize)?;
            Response::FileChunk { offset, data: b64::encode(&data), size: inode.size() }
        }
        Request::Block { block } => {
            let map = scan.as_mut().map(|s| s.map());
            let decoded = fs.decode_block(block, map)?;
            let data = fs.block(block)?;
            let (owner, owner_error) = match fs.owner_of(block, map) {
                Ok(o) => (Some(Box::new(o)), None),
                Err(e) => (None, Some(e.to_string())),
            };
            Response::Block { data: b64::encode(&data), decoded: Box::new(decoded), owner, owner_error }
        }
        Request::Scan { budget, start, end, buckets } => {
            let s = scan.get_or_insert_with(|| Scanner::new(fs));
            let mut error = None;
            let t0 = super::clock::now_ms();
            if budget > 0 && !s.is_done() {
                if let Err(e) = s.step(fs, budget) {
                    error = Some(e.to_string());
                }
            }
            let worked_ms = super::clock::now_ms() - t0;
            let progress = s.progress();
            let report_problems = if s.is_done() { s.report(fs).problems } else { Vec::new() };
            let map = s.map();
            let summary = map.summary(start, end, buckets.clamp(1, MAX_BUCKETS));
            let mut packed = Vec::with_capacity(summary.buckets.len() * 8);
            for (i, b) in summary.buckets.iter().enumerate() {
                let a = summary.start + i as u64 * summary.blocks_per_bucket;
                let n = summary.blocks_per_bucket.min(summary.end.saturating_sub(a)).max(1);
                let share = (b.used.min(n) * 255 / n) as u8;
                let flags = u8::from(b.multiply_claimed)
                    | (u8::from(b.bitmap_difference) << 1)
                    | (u8::from(b.used >= n) << 2);
                packed.extend_from_slice(&[b.dominant as u8, share, flags, 0]);
                packed.extend_from_slice(&b.kinds.to_le_bytes());
            }
            Response::Scan {
                worked_ms,
                progress,
                start: summary.start,
                end: summary.end,
                per: summary.blocks_per_bucket,
                buckets: b64::encode(&packed),
                by_kind: map.blocks_by_kind(),
                problems: report_problems.into_iter().take(MAX_PROBLEMS).collect(),
                error,
            }
        }
        Request::GroupDetail { group } => {
            let report = fs.group_report(group).ok_or_else(|| WorkerError::Core {
                error: ext4scope_core::Error::corrupt(
                    "group descriptor",
                    ext4scope_core::Location::default(),
                    format!(
                        "group {group} does not exist (the file system has {} groups)",
                        fs.geo.groups_count
                    ),
                ),
            })?;
            Response::Group {
                report: Box::new(report),
                detail: Box::new(fs.group_bitmaps(group)),
                layout: Box::new(group_layout(fs, group)),
            }
        }
        other => {
            return Err(WorkerError::BadRequest { message: format!("not an inspector request: {other:?}") })
        }
    })
}

/// Unpack one bucket of [`Response::Scan::buckets`]: (dominant kind, used
/// share 0-255, flags, kinds mask).
pub fn bucket(packed: &[u8], i: usize) -> Option<(OwnerKind, u8, u8, u32)> {
    let b = packed.get(i * 8..i * 8 + 8)?;
    Some((OwnerKind::from_code(b[0]), b[1], b[2], u32::from_le_bytes([b[4], b[5], b[6], b[7]])))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::worker::session::Session;
    use std::io::Read;

    fn session(fixture: &str) -> Session {
        let path = format!("{}/../tests/fixtures/images/{fixture}.img.gz", env!("CARGO_MANIFEST_DIR"));
        let gz = std::fs::read(&path).expect("fixture");
        let mut img = Vec::new();
        flate2::read::GzDecoder::new(&gz[..]).read_to_end(&mut img).expect("gunzip");
        let mut s = Session::new();
        s.handle(Request::Open { name: fixture.into() }, Some(Box::new(img)));
        assert!(s.is_open());
        s
    }

    #[test]
    fn inode_and_file_chunks() {
        let mut s = session("extents");
        let Response::Inode { report, .. } = s.handle(Request::Inode { ino: 2 }, None) else {
            panic!("inode")
        };
        assert_eq!(report.ino, 2);
        // Root directory content read in two chunks equals one read.
        let r = |s: &mut Session, offset, len| match s.handle(Request::ReadFile { ino: 2, offset, len }, None)
        {
            Response::FileChunk { data, size, .. } => (b64::decode(&data).expect("b64"), size),
            other => panic!("{}", other.kind()),
        };
        let (all, size) = r(&mut s, 0, 1 << 20);
        assert_eq!(all.len() as u64, size);
        let (a, _) = r(&mut s, 0, 100);
        let (b, _) = r(&mut s, 100, 1 << 20);
        assert_eq!([a, b].concat(), all);
        assert!(matches!(s.handle(Request::Inode { ino: 0 }, None), Response::Failed { .. }));
    }

    #[test]
    fn blocks_and_scan_summaries() {
        let mut s = session("default-1k");
        let Response::Block { data, decoded, owner, .. } = s.handle(Request::Block { block: 1 }, None) else {
            panic!("block")
        };
        assert_eq!(b64::decode(&data).map(|d| d.len()), Some(1024));
        assert_eq!(decoded.kind, Some(OwnerKind::Superblock));
        assert!(owner.is_some_and(|o| o.owners.iter().any(|x| x.kind == OwnerKind::Superblock)));
        assert!(matches!(s.handle(Request::Block { block: u64::MAX }, None), Response::Failed { .. }));

        let mut done = false;
        for _ in 0..10_000 {
            match s.handle(Request::Scan { budget: 64, start: 0, end: u64::MAX, buckets: 100 }, None) {
                Response::Scan { progress, buckets, per, start, end, error, .. } => {
                    assert_eq!(error, None);
                    let packed = b64::decode(&buckets).expect("b64");
                    assert_eq!(packed.len() as u64 / 8, (end - start).div_ceil(per));
                    assert!(packed.len() / 8 <= 100);
                    if progress.phase == ext4scope_core::ownership::Phase::Done {
                        done = true;
                        // Block 1 (the superblock) sits in the first bucket.
                        let (_, _, _, kinds) = bucket(&packed, 0).expect("bucket");
                        assert!(kinds & (1 << OwnerKind::Superblock as u32) != 0);
                        break;
                    }
                }
                other => panic!("{}", other.kind()),
            }
        }
        assert!(done, "scan finished");
        // With the scan done, the owner of a data block is known.
        let Response::Block { owner, .. } = s.handle(Request::Block { block: 1 }, None) else { panic!() };
        assert!(owner.is_some_and(|o| o.scan_complete));
    }

    #[test]
    fn group_detail() {
        let mut s = session("default-1k");
        let Response::Group { report, detail, .. } = s.handle(Request::GroupDetail { group: 0 }, None) else {
            panic!("group")
        };
        assert_eq!(report.group, 0);
        let bb = detail.block.expect("block bitmap");
        assert_eq!(bb.recorded_free, report.free_blocks_count);
        assert!(matches!(s.handle(Request::GroupDetail { group: 1 << 30 }, None), Response::Failed { .. }));
    }

    /// One group of a dumpe2fs golden.
    #[derive(Debug, Default)]
    struct Golden {
        group: u32,
        first: u64,
        last: u64,
        superblock: Option<u64>,
        gdt: Option<(u64, u64)>,
        reserved_gdt: Option<(u64, u64)>,
        block_bitmap: u64,
        inode_bitmap: u64,
        inode_table: (u64, u64),
        free_blocks: u32,
        free_inodes: u32,
        free_blocks_list: String,
        free_inodes_list: String,
        flags: String,
    }

    fn num(s: &str) -> u64 {
        s.trim().trim_end_matches(',').parse().unwrap_or_else(|_| panic!("number: {s:?}"))
    }

    /// `a-b` or `a` after `key` in `line`.
    fn range_after(line: &str, key: &str) -> Option<(u64, u64)> {
        let rest = &line[line.find(key)? + key.len()..];
        let word = rest.split([' ', ',', ')']).next()?;
        Some(match word.split_once('-') {
            Some((a, b)) => (num(a), num(b)),
            None => (num(word), num(word)),
        })
    }

    fn golden_groups(fixture: &str) -> Vec<Golden> {
        let path = format!("{}/../tests/fixtures/images/{fixture}.dumpe2fs.txt", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(path).expect("golden");
        let mut out: Vec<Golden> = Vec::new();
        for line in text.lines() {
            if let Some((g, rest)) = line.strip_prefix("Group ").and_then(|r| r.split_once(": (Blocks ")) {
                let (a, b) = range_after(rest, "").expect("blocks");
                let flags = rest.split_once('[').map(|(_, f)| f.trim_end_matches(']').to_string());
                out.push(Golden {
                    group: num(g) as u32,
                    first: a,
                    last: b,
                    flags: flags.unwrap_or_default(),
                    ..Default::default()
                });
                continue;
            }
            let Some(g) = out.last_mut() else { continue };
            let t = line.trim();
            for key in ["Primary superblock at ", "Backup superblock at "] {
                if let Some((a, _)) = range_after(t, key) {
                    g.superblock = Some(a);
                }
            }
            for key in ["Group descriptors at ", "Group descriptor at "] {
                if let Some(r) = range_after(t, key) {
                    g.gdt = Some(r);
                }
            }
            if let Some(r) = range_after(t, "Reserved GDT blocks at ") {
                g.reserved_gdt = Some(r);
            }
            if let Some((a, _)) = range_after(t, "Block bitmap at ") {
                g.block_bitmap = a;
            }
            if let Some((a, _)) = range_after(t, "Inode bitmap at ") {
                g.inode_bitmap = a;
            }
            if let Some(r) = range_after(t, "Inode table at ") {
                g.inode_table = r;
            }
            if let Some(l) = t.strip_prefix("Free blocks:") {
                g.free_blocks_list = l.trim().to_string();
            } else if let Some(l) = t.strip_prefix("Free inodes:") {
                g.free_inodes_list = l.trim().to_string();
            } else if t.contains(" free inodes, ") {
                let w: Vec<&str> = t.split_whitespace().collect();
                g.free_blocks = num(w[0]) as u32;
                g.free_inodes = num(w[3]) as u32;
            }
        }
        out
    }

    /// Every group of every fixture: the counts, the free lists and the
    /// layout the group page shows equal what dumpe2fs printed.
    #[test]
    fn group_pages_equal_dumpe2fs() {
        for fixture in [
            "default-1k",
            "4k-flex",
            "bigalloc",
            "metabg",
            "no64-nocsum",
            "extents",
            "ext2",
            "bs2k",
            "bs64k",
            "sparse-super2",
        ] {
            let golden = golden_groups(fixture);
            assert!(!golden.is_empty(), "{fixture}");
            let mut s = session(fixture);
            let ipg = match s.handle(Request::Info, None) {
                Response::Info { info } => info.inodes_per_group,
                other => panic!("{}", other.kind()),
            };
            let mut uninit = 0;
            for gg in &golden {
                let at = format!("{fixture} group {}", gg.group);
                let Response::Group { report, detail, layout } =
                    s.handle(Request::GroupDetail { group: gg.group }, None)
                else {
                    panic!("{at}")
                };
                assert_eq!((report.first_block, report.last_block), (gg.first, gg.last), "{at}");
                let bb = detail.block.as_ref().expect("block bitmap");
                let ib = detail.inode.as_ref().expect("inode bitmap");
                assert_eq!((bb.recorded_free, ib.recorded_free), (gg.free_blocks, gg.free_inodes), "{at}");
                assert_eq!(bb.uninit, gg.flags.contains("BLOCK_UNINIT"), "{at}");
                uninit += usize::from(bb.uninit);
                let ratio = u64::from(layout.cluster_ratio);
                let blocks = runs_text(&free_runs(&bb.bits, layout.clusters_in_group), gg.first, ratio);
                assert_eq!(blocks, gg.free_blocks_list, "{at}: free blocks");
                let base = u64::from(gg.group) * u64::from(ipg) + 1;
                assert_eq!(runs_text(&free_runs(&ib.bits, ib.nbits), base, 1), gg.free_inodes_list, "{at}");
                // On these clean images the bits agree with the descriptor.
                assert_eq!((bb.computed_free, ib.computed_free), (gg.free_blocks, gg.free_inodes), "{at}");

                // The group's own metadata, wherever it lives.
                let own: Vec<(PieceKind, u64, u64)> =
                    layout.own.iter().map(|o| (o.kind, o.first, o.last)).collect();
                assert_eq!(
                    own,
                    [
                        (PieceKind::BlockBitmap, gg.block_bitmap, gg.block_bitmap),
                        (PieceKind::InodeBitmap, gg.inode_bitmap, gg.inode_bitmap),
                        (PieceKind::InodeTable, gg.inode_table.0, gg.inode_table.1),
                    ],
                    "{at}"
                );
                for o in &layout.own {
                    let holder =
                        golden.iter().find(|h| h.first <= o.first && o.first <= h.last).map(|h| h.group);
                    assert_eq!(o.holder, holder, "{at}: {o:?}");
                }
                // The pieces cover the group, in order, without gaps.
                let mut next = gg.first;
                for p in &layout.pieces {
                    assert_eq!(p.first, next, "{at}: {:?}", layout.pieces);
                    assert!(p.last >= p.first && p.last <= gg.last, "{at}");
                    next = p.last + 1;
                }
                assert_eq!(next, gg.last + 1, "{at}");
                assert!(!layout.truncated);
                let piece_at = |b: u64| layout.pieces.iter().find(|p| p.first <= b && b <= p.last).copied();
                let is = |b: u64, kind: PieceKind, group: Option<u32>| {
                    let p = piece_at(b).unwrap_or_else(|| panic!("{at}: no piece at {b}"));
                    assert_eq!(p.kind, kind, "{at}: block {b}");
                    if let Some(h) = group {
                        let (a, z) = p.groups.expect("groups");
                        assert!(a <= h && h <= z, "{at}: block {b} is in {p:?}, want group {h}");
                    }
                };
                if let Some(b) = gg.superblock {
                    is(b, PieceKind::Superblock, None);
                }
                for (r, kind) in
                    [(gg.gdt, PieceKind::GroupDescriptors), (gg.reserved_gdt, PieceKind::ReservedGdt)]
                {
                    if let Some((a, z)) = r {
                        is(a, kind, None);
                        is(z, kind, None);
                    }
                }
                // Every group's bitmaps and inode table that dumpe2fs puts in
                // this group's blocks are drawn here, named after their group.
                for h in &golden {
                    let inside = |b: u64| gg.first <= b && b <= gg.last;
                    if inside(h.block_bitmap) {
                        is(h.block_bitmap, PieceKind::BlockBitmap, Some(h.group));
                    }
                    if inside(h.inode_bitmap) {
                        is(h.inode_bitmap, PieceKind::InodeBitmap, Some(h.group));
                    }
                    for b in [h.inode_table.0, h.inode_table.1] {
                        if inside(b) {
                            is(b, PieceKind::InodeTable, Some(h.group));
                        }
                    }
                }
                let hosted = layout.pieces.iter().filter(|p| p.kind != PieceKind::Data).count();
                let expect_flex = golden.len() > 1 && fixture == "4k-flex";
                if expect_flex && gg.group == 0 {
                    // flex_bg: group 0 holds the bitmaps of the whole flex group in one run.
                    let bitmaps =
                        layout.pieces.iter().find(|p| p.kind == PieceKind::BlockBitmap).expect("bitmaps");
                    assert_eq!(bitmaps.groups, Some((0, layout.flex_size.expect("flex") as u32 - 1)), "{at}");
                    assert!(hosted >= 6, "{at}: {:?}", layout.pieces);
                }
            }
            if fixture == "4k-flex" {
                assert!(uninit > 0, "4k-flex has BLOCK_UNINIT groups");
            }
        }
    }

    #[test]
    fn inode_answers_carry_xattrs() {
        use ext4scope_core::format::inode::InodeReport;
        use ext4scope_core::format::xattr::{XattrPlace, XattrReport};
        // Inode numbers from the fixture's `ls -l` golden; the values are the
        // ones make-images.sh set with setxattr.
        let ls = std::fs::read_to_string(format!(
            "{}/../tests/fixtures/images/extents.ls.txt",
            env!("CARGO_MANIFEST_DIR")
        ))
        .expect("golden");
        let ino_of = |name: &str| -> u32 {
            let line = ls.lines().find(|l| l.split_whitespace().last() == Some(name)).expect(name);
            num(line.split_whitespace().next().expect("ino")) as u32
        };
        let mut s = session("extents");
        let mut get = |name: &str| -> (Box<InodeReport>, Box<XattrReport>) {
            match s.handle(Request::Inode { ino: ino_of(name) }, None) {
                Response::Inode { report, xattrs, .. } => (report, xattrs),
                other => panic!("{}", other.kind()),
            }
        };

        let (r, x) = get("xattr-inode");
        assert_eq!(x.ino, r.ino);
        let names: Vec<&str> = x.entries.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["user.a"]);
        let a = &x.entries[0];
        assert_eq!(
            (a.place, a.value.as_slice(), a.value_text.as_deref()),
            (XattrPlace::Inode, &b"small"[..], Some("small"))
        );
        assert!(x.block.is_none() && x.problems.is_empty());

        let (r, x) = get("xattr-block");
        let big = x.get("user.big").expect("user.big");
        let want: Vec<u8> = (0..=255u8).cycle().take(700).collect();
        assert_eq!((big.place, &big.value, big.value_complete), (XattrPlace::Block, &want, true));
        assert_eq!(big.hash.ok, Some(true));
        let blk = x.block.as_ref().expect("xattr block");
        assert_eq!(blk.block, r.file_acl);
        assert_eq!(blk.checksum.ok, Some(true), "metadata_csum fixture: the block checksum is checked");
        assert_eq!(blk.hash, blk.hash_computed);

        let (_, x) = get("xattr-both");
        let mut names: Vec<&str> = x.entries.iter().map(|e| e.name.as_str()).collect();
        names.sort_unstable();
        let want: Vec<String> = (0..12).map(|i| format!("user.k{i:02}")).collect();
        assert_eq!(names, want);
        assert!(x.entries.iter().any(|e| e.place == XattrPlace::Inode));
        assert!(x.entries.iter().any(|e| e.place == XattrPlace::Block));
        for (i, e) in x.entries.iter().enumerate() {
            let k: usize = e.name["user.k".len()..].parse().expect("k");
            assert_eq!(e.value_text.as_deref(), Some(format!("value-{k:02}-").repeat(3).as_str()), "{i}");
        }

        let (_, x) = get("acl-file");
        let acl = x.get("system.posix_acl_access").expect("acl");
        assert_eq!(
            acl.value_text.as_deref(),
            Some("user::rw-,user:1000:r--,group::r--,mask::r--,other::r--")
        );
    }

    /// Descriptors pointing outside the file system or into each other's
    /// blocks: the group page still answers, says where things are not, and
    /// lists the overlap instead of failing.
    #[test]
    fn group_layout_of_hostile_descriptors() {
        let path = format!("{}/../tests/fixtures/images/4k-flex.img.gz", env!("CARGO_MANIFEST_DIR"));
        let gz = std::fs::read(&path).expect("fixture");
        let mut img = Vec::new();
        flate2::read::GzDecoder::new(&gz[..]).read_to_end(&mut img).expect("gunzip");
        let fs = Fs::open(Box::new(img.clone())).expect("open");
        let bs = fs.block_size() as usize;
        let it0 = fs.group(0).expect("group").inode_table;
        let at = |g: u32| {
            let (b, o) = fs.geo.descriptor_location(g);
            b as usize * bs + o
        };
        // Group 1's block bitmap inside group 0's inode table; its inode table
        // (bg_inode_table_lo, and _hi when 64-byte) far past the end.
        let (d1, wide) = (at(1), fs.geo.desc_size >= 64);
        img[d1..d1 + 4].copy_from_slice(&((it0 + 2) as u32).to_le_bytes());
        img[d1 + 8..d1 + 12].copy_from_slice(&0xFFFF_FF00u32.to_le_bytes());
        if wide {
            img[d1 + 0x28..d1 + 0x2C].copy_from_slice(&0xFFu32.to_le_bytes());
        }
        let mut s = Session::new();
        s.handle(Request::Open { name: "hostile".into() }, Some(Box::new(img)));
        assert!(s.is_open());
        let Response::Group { layout, .. } = s.handle(Request::GroupDetail { group: 0 }, None) else {
            panic!("group 0")
        };
        let holding = |b: u64| {
            layout
                .pieces
                .iter()
                .filter(|p| p.first <= b && b <= p.last)
                .map(|p| (p.kind, p.groups))
                .collect::<Vec<_>>()
        };
        let both = holding(it0 + 2);
        assert!(both.contains(&(PieceKind::InodeTable, Some((0, 0)))), "{both:?}");
        assert!(both.contains(&(PieceKind::BlockBitmap, Some((1, 1)))), "{both:?}");
        let Response::Group { layout, detail, .. } = s.handle(Request::GroupDetail { group: 1 }, None) else {
            panic!("group 1")
        };
        let it = layout.own.iter().find(|o| o.kind == PieceKind::InodeTable).expect("inode table");
        assert_eq!(it.holder, None, "{it:?}");
        assert_eq!(
            layout.own.iter().find(|o| o.kind == PieceKind::BlockBitmap).and_then(|o| o.holder),
            Some(0)
        );
        // The bitmap read from inside the inode table is still a bitmap of the right size.
        assert_eq!(detail.block.as_ref().map(|b| b.nbits).ok(), Some(fs.clusters_per_group()));
    }
}
