//! The bodies of the fuzz targets, shared by the libFuzzer binaries
//! (`fuzz_targets/*.rs`) and by `cargo test` here, which replays the committed
//! regression inputs (`regressions/<target>/*`) on stable Rust without libFuzzer.
//!
//! Every target feeds bytes into the core through its public API, the way an
//! image arrives: either the input *is* the image (`superblock_groups`,
//! `image_walk`), or the input is spliced into one structure of a small valid
//! base image (`base/*.img.gz`, built by `make-base.sh`) so the fuzzer reaches
//! the record-level parsers through the real code path (`inode`, `extent_tree`,
//! `indirect_map`, ...). Besides "no panic" (libFuzzer reports those), each
//! target asserts that the work done is bounded by the input: the bytes the core
//! read from the host stay below a multiple of the image size.

pub mod base;

use ext4scope_core::{Fs, ReadAt};

/// Most groups whose bitmaps a target reads (a hostile superblock can claim
/// millions; the core's own bound is `layout::MAX_GROUPS`).
pub const MAX_GROUPS_VISITED: u32 = 1 << 12;

/// Most bytes of file data a target reads through `read_file`.
pub const MAX_FILE_READ: usize = 1 << 16;

/// Open `src` the way a host does.
pub fn open(src: impl ReadAt + 'static) -> Option<Fs> {
    Fs::open(Box::new(src)).ok()
}

/// Assert that `fs` read no more from the host than a fixed multiple of the
/// image size (plus the fixed reads of opening: superblock, file sniffing).
///
/// The block cache holds far more than the images the fuzzer builds, so each
/// block should come from the host about once; a parser that re-reads
/// without bound, or loops over the same blocks, trips this.
pub fn assert_io_bounded(fs: &Fs, what: &str) {
    let len = fs.image().len();
    let stats = fs.image().stats();
    let limit = len.saturating_mul(8).saturating_add(256 << 10);
    assert!(
        stats.bytes <= limit,
        "{what}: read {} bytes from the host in {} reads for a {len}-byte image (limit {limit})",
        stats.bytes,
        stats.reads
    );
}

/// `superblock_groups`: the input is a whole image. Open it, build the info
/// report, read and check every group's block and inode bitmap (the first
/// [`MAX_GROUPS_VISITED`] groups), and the group reports.
pub fn superblock_groups(data: &[u8]) {
    let Some(fs) = open(data.to_vec()) else { return };
    let info = fs.info();
    assert_eq!(info.groups_count, fs.geo.groups_count);
    for g in 0..fs.geo.groups_count.min(MAX_GROUPS_VISITED) {
        let _ = fs.group_report(g);
        if let Ok(b) = fs.block_bitmap(g) {
            assert!(b.bits.len() <= fs.block_size() as usize);
            let _ = fs.bitmap_problems(&b);
        }
        if let Ok(b) = fs.inode_bitmap(g) {
            let _ = fs.bitmap_problems(&b);
        }
    }
    let _ = fs.superblock_checksum();
    assert_io_bounded(&fs, "superblock_groups");
}

/// Names looked up in every directory a target decodes: present in the base
/// images, absent, the dot entries, and degenerate ones.
pub const NAMES: &[&[u8]] = &[
    b".",
    b"..",
    b"a",
    b"file",
    b"entry-with-a-rather-long-name-number-007",
    b"entry-with-a-rather-long-name-number-060",
    b"not-there",
    b"",
];

/// Decode inode `ino` every way the core offers: the record, the report (with
/// its block map and the orphan chain), the map walked and looked up, the
/// first and last bytes of its data, its xattrs, its symlink target, and for a
/// directory the listing, the hash index and name lookups.
pub fn exercise_inode(fs: &Fs, ino: u32) {
    use ext4scope_core::format::inode::FileType;
    let _ = fs.inode_in_use(ino);
    let Ok(inode) = fs.inode(ino) else { return };
    let _ = fs.inode_report(ino);
    let map = fs.file_map(&inode);
    let _ = map.walk();
    let _ = map.data_blocks();
    for r in map.data.iter().take(16) {
        let _ = map.lookup(r.logical);
        let _ = map.lookup(r.logical_end().saturating_sub(1));
    }
    let _ = fs.read_file_with_map(&inode, &map, 0, MAX_FILE_READ);
    let size = inode.size();
    if size > MAX_FILE_READ as u64 {
        let _ = fs.read_file_with_map(&inode, &map, size - 4096, 8192);
    }
    let x = fs.xattrs(&inode);
    for a in &x.entries {
        let _ = ext4scope_core::format::xattr::posix_acl_text(&a.value);
    }
    match inode.file_type() {
        FileType::Symlink => {
            let _ = fs.symlink_target(&inode);
        }
        FileType::Directory => exercise_dir(fs, &inode, &map),
        _ => {}
    }
}

/// A directory: listing (short and long), hash index, lookups by name.
pub fn exercise_dir(
    fs: &Fs,
    dir: &ext4scope_core::format::inode::Inode,
    map: &ext4scope_core::filemap::FileMap,
) {
    use ext4scope_core::format::htree;
    let _ = fs.read_dir_long(dir.ino);
    let (tree, _) = htree::read_tree(fs, dir, map);
    if let (Some(tree), Ok(listing)) = (tree, fs.read_dir_inode(dir)) {
        let size_blocks = dir.size().div_ceil(u64::from(fs.block_size()));
        let mut problems = Vec::new();
        let _ = htree::check_leaves(
            fs,
            dir,
            tree,
            &listing.entries,
            &listing.blocks,
            size_blocks,
            &mut problems,
        );
    }
    for name in NAMES {
        let _ = fs.htree_lookup(dir, name);
        let _ = fs.lookup_in(dir, name);
    }
}

/// Paths through the tree: lookups with and without following symlinks, and
/// the whole-tree path index.
pub fn exercise_paths(fs: &Fs) {
    for p in [
        "/",
        "/file",
        "/dir/a",
        "/dir/../dir/./a",
        "/fast",
        "/slowlink",
        "/htree/entry-with-a-rather-long-name-number-033",
        "/lost+found/x",
    ] {
        let _ = fs.lookup(p);
        let _ = fs.lookup_follow(p);
    }
    let ix = fs.path_index();
    let _ = ix.paths.len();
}

/// Decode up to `n` blocks starting at `first` (what the block page shows).
pub fn exercise_decode(fs: &Fs, first: u64, n: u64) {
    for b in first..first.saturating_add(n).min(fs.geo.blocks_count) {
        let _ = fs.decode_block(b, None);
    }
}

/// `image_walk`: the input is a whole image. Open it, decode the reserved
/// inodes and the first user inodes, follow the orphan chain, and run the
/// ownership scan with a bounded budget.
pub fn image_walk(data: &[u8]) {
    let Some(fs) = open(data.to_vec()) else { return };
    let first = fs.sb.first_ino().max(11);
    for ino in (1..=first.saturating_add(8)).take(32) {
        exercise_inode(&fs, ino);
    }
    let _ = fs.orphan_chain();
    exercise_paths(&fs);
    exercise_decode(&fs, 0, 64);
    let mut scanner = ext4scope_core::ownership::Scanner::new(&fs);
    let mut done = false;
    for _ in 0..64 {
        match scanner.step(&fs, 1024) {
            Ok(true) => {
                done = true;
                break;
            }
            Ok(false) => {}
            Err(_) => break,
        }
    }
    let _ = scanner.progress();
    if done {
        let report = scanner.report(&fs);
        let _ = report;
        let map = scanner.map();
        let _ = map.summary(0, map.blocks_count(), 64);
        let _ = map.blocks_by_kind();
        for b in [0, 1, 2, fs.geo.blocks_count / 2, fs.geo.blocks_count.saturating_sub(1)] {
            let _ = fs.owner_of(b, Some(map));
            let _ = fs.decode_block(b, Some(map));
        }
    }
    assert_io_bounded(&fs, "image_walk");
}

/// A whole image through the checker (passes 0-5, as `e2fsck -fn`) and the
/// mount verdict for every access mode: both must finish, bounded, on any bytes.
pub fn check_mount(data: &[u8]) {
    use ext4scope_core::mount::{verdict, Access, MountOptions};
    for access in [Access::ReadOnlyDevice, Access::ReadOnly, Access::ReadWrite] {
        let _ = verdict(Box::new(data.to_vec()), &MountOptions::new(access));
    }
    let Some(fs) = open(data.to_vec()) else { return };
    // As image_walk bounds its scan steps: a hostile superblock can claim
    // billions of blocks in a few KiB, and the check is linear in them (a
    // cancelled check must still end with a consistent partial report).
    let mut calls = 0u32;
    let r = ext4scope_core::check::check(&fs, &mut |_| {
        calls += 1;
        calls <= 64
    });
    assert!(matches!(r.exit_code, 0 | 4 | 8 | 12), "exit code {}", r.exit_code);
    assert_eq!(r.clean, r.exit_code == 0, "clean and exit code disagree");
    assert_io_bounded(&fs, "check_mount");
}

/// A whole image through the simulator: `chattr +e`, `fsync`, `chattr -e`,
/// `checkpoint` on the first regular files of the root directory, every
/// design, and the outcome of a few crash points (recovery, orphan cleanup,
/// the checker). Errors are fine; panics, hangs and unbounded I/O are not.
pub fn simulate(data: &[u8]) {
    use ext4scope_core::sim::{outcome, simulate, Design, Options};
    let Some(fs) = open(data.to_vec()) else { return };
    let Ok(root) = fs.read_dir(2) else { return };
    let files: Vec<String> = root
        .live()
        .filter(|e| !e.is_dot_or_dotdot() && e.file_type == 1)
        .take(3)
        .map(|e| format!("/{}", String::from_utf8_lossy(&e.name_bytes)))
        .filter(|p| !p.contains([';', '#', ' ', '\n', '\t', '\r']))
        .collect();
    let mut script = String::new();
    for f in &files {
        script += &format!("chattr +e {f}; fsync {f}\nchattr -e {f}\n");
    }
    script += "checkpoint\n";
    for design in Design::ALL {
        let opts = Options { design, restart_commits: design == Design::Kernel, ..Options::default() };
        let Ok(run) = simulate(&fs, &script, &opts) else { continue };
        assert!(run.end <= run.len(), "end past the stream");
        let points = outcome::interesting_points(&run);
        for &k in points.iter().take(6) {
            if let Ok(o) = outcome::outcome(&run, k) {
                assert!(matches!(o.exit_code, 0 | 4 | 8 | 12), "exit code {}", o.exit_code);
            }
        }
    }
    assert_io_bounded(&fs, "simulate");
}

use base::{Base, Patched, INO_DIR, INO_FILE, INO_FRAG, INO_HTREE, INO_XATTR};

/// The inodes the `inode` target can replace, per base image.
pub fn inode_choices(base: Base) -> &'static [u32] {
    match base {
        Base::Csum => &[INO_FILE, INO_DIR, INO_HTREE, INO_FRAG, INO_XATTR, 21, 23],
        Base::Inline | Base::Ext2 | Base::Journal => &[INO_FILE, INO_DIR],
    }
}

/// Open a patched base and check the I/O bound after `f`.
fn with_patched(p: Patched, what: &str, f: impl FnOnce(&Fs)) {
    let fs = Fs::open(Box::new(p)).expect("a base image with a patched record still opens");
    f(&fs);
    assert_io_bounded(&fs, what);
}

/// `inode`: byte 0 picks a base image and one of its inodes; the rest replaces
/// that inode's record (up to the inode size). Then the inode is decoded every
/// way the core offers.
pub fn inode(data: &[u8]) {
    let Some((&sel, rest)) = data.split_first() else { return };
    let base = Base::from_byte(sel);
    let choices = inode_choices(base);
    let ino = choices[usize::from(sel / 3) % choices.len()];
    let mut p = Patched::new(base);
    p.splice(base.inode_offset(ino), rest, base.inode_size() as usize);
    with_patched(p, "inode", |fs| exercise_inode(fs, ino));
}

/// Bytes of `i_block`.
pub const I_BLOCK_LEN: usize = 60;

/// `extent_tree`: the input's first 60 bytes replace `/frag`'s extent root
/// (`i_block`, a depth-1 root in the base), the rest its extent tree block.
pub fn extent_tree(data: &[u8]) {
    let base = Base::Csum;
    let (root, leaf) = data.split_at(data.len().min(I_BLOCK_LEN));
    let etb = base.extent_root_target(INO_FRAG);
    let mut p = Patched::new(base);
    p.splice(base.i_block_offset(INO_FRAG), root, I_BLOCK_LEN);
    p.splice(etb * base.block_size(), leaf, base.block_size() as usize);
    with_patched(p, "extent_tree", |fs| exercise_inode(fs, INO_FRAG));
}

/// `indirect_map`: the input's first 60 bytes replace the ext2 base's `/file`
/// `i_block` (12 direct pointers, IND, DIND, TIND), the next block its IND
/// block, the next its DIND block.
pub fn indirect_map(data: &[u8]) {
    let base = Base::Ext2;
    let bs = base.block_size() as usize;
    let (root, rest) = data.split_at(data.len().min(I_BLOCK_LEN));
    let (ind, dind) = rest.split_at(rest.len().min(bs));
    let (ind_blk, dind_blk) = (base.i_block_word(INO_FILE, 12), base.i_block_word(INO_FILE, 13));
    let mut p = Patched::new(base);
    p.splice(base.i_block_offset(INO_FILE), root, I_BLOCK_LEN);
    p.splice(ind_blk * bs as u64, ind, bs);
    p.splice(dind_blk * bs as u64, dind, bs);
    with_patched(p, "indirect_map", |fs| exercise_inode(fs, INO_FILE));
}

/// The first block of `/dir` (leaf root) in an extent-mapped base, or the
/// first direct pointer in the ext2 base.
fn first_block(base: Base, ino: u32) -> u64 {
    match base {
        Base::Ext2 => base.i_block_word(ino, 0),
        _ => base.extent_root_target(ino),
    }
}

/// Where `i_extra_isize` leaves the in-inode xattr area of a 256-byte record
/// in the base images (128 + 32).
pub const XATTR_AREA_OFFSET: u64 = 0xA0;

/// `directory_block`: byte 0 picks the directory: `/dir` of the checksummed
/// base (the rest replaces its one block), of the ext2 base (the same, no
/// checksums), or of the inline base (the next 60 bytes replace `i_block`, the
/// rest the in-inode xattr area that holds `system.data`). Then the directory
/// is listed, looked up, walked by path, and its block decoded; the bytes are
/// also walked directly as one region of each kind.
pub fn directory_block(data: &[u8]) {
    use ext4scope_core::format::dir::{walk_region, EntryRegion, RegionCtx};
    let Some((&sel, rest)) = data.split_first() else { return };
    let base = Base::from_byte(sel);
    let mut p = Patched::new(base);
    let blk = match base {
        Base::Inline => {
            let (ib, area) = rest.split_at(rest.len().min(I_BLOCK_LEN));
            p.splice(base.i_block_offset(INO_DIR), ib, I_BLOCK_LEN);
            let room = (base.inode_size() - XATTR_AREA_OFFSET) as usize;
            p.splice(base.inode_offset(INO_DIR) + XATTR_AREA_OFFSET, area, room);
            None
        }
        _ => {
            let blk = first_block(base, INO_DIR);
            p.splice(blk * base.block_size(), rest, base.block_size() as usize);
            Some(blk)
        }
    };
    with_patched(p, "directory_block", |fs| {
        exercise_inode(fs, INO_DIR);
        exercise_paths(fs);
        if let Some(b) = blk {
            exercise_decode(fs, b, 1);
        }
    });
    for (region, csum_tail) in [
        (EntryRegion::Block, true),
        (EntryRegion::Block, false),
        (EntryRegion::InlineIBlock, false),
        (EntryRegion::InlineXattr, false),
    ] {
        let ctx = RegionCtx {
            ino: INO_DIR,
            block_size: if region == EntryRegion::Block { 1024 } else { 60 },
            logical: Some(0),
            physical: Some(100),
            base_byte: Some(102_400),
            offset_base: 0,
            region,
            csum_tail,
            deleted: true,
            inodes_count: 128,
        };
        let w = walk_region(rest, &ctx);
        assert!(
            w.entries.len() <= rest.len() / 8 + 2,
            "{} entries from {} bytes",
            w.entries.len(),
            rest.len()
        );
    }
}

/// `htree`: the first 1024 bytes replace the hash-indexed `/htree`'s root
/// block (logical 0: `.`, `..`, `dx_root`), the next 1024 its logical block 1
/// (a leaf). Then the index is read and checked, names are looked up through
/// it, and the directory is listed.
pub fn htree(data: &[u8]) {
    let base = Base::Csum;
    let bs = base.block_size() as usize;
    let (root, leaf) = data.split_at(data.len().min(bs));
    let root_blk = first_block(base, INO_HTREE);
    let mut p = Patched::new(base);
    let leaf_blk = base.extent_lookup(INO_HTREE, 1).expect("the base's /htree has a block 1");
    p.splice(root_blk * bs as u64, root, bs);
    p.splice(leaf_blk * bs as u64, leaf, bs);
    with_patched(p, "htree", |fs| {
        exercise_inode(fs, INO_HTREE);
        exercise_decode(fs, root_blk, 1);
        exercise_decode(fs, leaf_blk, 1);
    });
}

/// `xattr`: the first 96 bytes replace `/xattr`'s in-inode xattr area, the
/// rest its xattr block. Then the attributes are decoded (and the inode with
/// them), and the block decoded.
pub fn xattr(data: &[u8]) {
    let base = Base::Csum;
    let room = (base.inode_size() - XATTR_AREA_OFFSET) as usize;
    let (area, block) = data.split_at(data.len().min(room));
    let blk = base.xattr_block(INO_XATTR);
    let mut p = Patched::new(base);
    p.splice(base.inode_offset(INO_XATTR) + XATTR_AREA_OFFSET, area, room);
    p.splice(blk * base.block_size(), block, base.block_size() as usize);
    with_patched(p, "xattr", |fs| {
        exercise_inode(fs, INO_XATTR);
        exercise_decode(fs, blk, 1);
    });
}

/// `journal_block`: byte 0 picks journal features (bit 0 compat checksum,
/// bits 1-6 the incompat bits: revoke, 64bit, async commit, csum v2, v3, fast
/// commit); the rest is one journal block. The jbd2 block parsers run on it
/// directly (tags and revoke records must stay inside the block), then it is
/// spliced into a base image and decoded as the block page does (found by its
/// magic number).
pub fn journal_block(data: &[u8]) {
    use ext4scope_core::format::journal::{self, JournalFeatures, JournalSuperblock};
    let Some((&sel, block)) = data.split_first() else { return };
    let f = JournalFeatures {
        compat: u32::from(sel & 1),
        incompat: u32::from(sel >> 1) & 0x3f,
        ro_compat: 0,
        csum_seed: ext4scope_core::checksum::crc32c(!0, block.get(..16).unwrap_or(block)),
    };
    let tags = journal::descriptor_tags(block, &f);
    assert!(tags.len() <= block.len() / 8 + 1, "{} tags in {} bytes", tags.len(), block.len());
    for t in &tags {
        assert!(t.offset + t.len <= block.len(), "tag at {} + {} past {}", t.offset, t.len, block.len());
    }
    for (at, _) in journal::revoke_records(block, &f) {
        assert!(at + f.revoke_record_bytes() <= block.len());
    }
    let _ = (
        journal::superblock_checksum(block),
        journal::tail_checksum(block, &f),
        journal::commit_checksum(block, &f),
    );
    let _ = JournalFeatures::of(&JournalSuperblock::parse(block)).names();

    let base = Base::Csum;
    let blk = base.xattr_block(INO_XATTR);
    let mut p = Patched::new(base);
    p.splice(blk * base.block_size(), block, base.block_size() as usize);
    with_patched(p, "journal_block", |fs| exercise_decode(fs, blk, 1));
}

/// Journal blocks of [`Base::Journal`] the `journal_log` input covers.
pub const JOURNAL_BLOCKS_SPLICED: u64 = 64;

/// `journal_log`: the input replaces the first 64 blocks of the journal of
/// [`Base::Journal`] (its superblock and log, 1 KiB each: hostile `s_maxlen`,
/// `s_start`, sequences, tag counts, revoke counts, wrap-around). The log is
/// walked as recovery walks it, replayed whole and through each of its first
/// transactions, and the replayed blocks diffed. Bounds: transactions at most
/// the ring's blocks, the overlay at most the tags read, the I/O bounded.
pub fn journal_log(data: &[u8]) {
    use ext4scope_core::journal::Journal;
    let base = Base::Journal;
    let bs = base.block_size();
    let mut p = Patched::new(base);
    for (i, chunk) in data.chunks(bs as usize).take(JOURNAL_BLOCKS_SPLICED as usize).enumerate() {
        let Some(phys) = base.extent_lookup_root(8, i as u64) else { break };
        p.splice(phys * bs, chunk, bs as usize);
    }
    with_patched(p, "journal_log", |fs| {
        let Ok(Some(j)) = Journal::open(fs) else { return };
        let log = j.log(fs);
        let ring = u64::from(j.ring_len()).max(1);
        assert!(log.transactions.len() as u64 <= ring, "{} transactions in a ring of {ring}", log.transactions.len());
        assert!(log.history.len() as u64 <= ring);
        let tags: usize = log.transactions.iter().map(|t| t.blocks.len()).sum();
        assert!(tags as u64 <= ring + 1, "{tags} tags in a ring of {ring}");
        let _ = serde_json::to_string(&log).expect("serializable");
        let Ok(r) = j.replay(fs, &log, None) else { return };
        assert!(r.overlay.len() <= tags + 2, "{} blocks written for {tags} tags", r.overlay.len());
        for t in log.transactions.iter().take(3) {
            let _ = j.replay(fs, &log, Some(t.sequence));
        }
        let Ok(state) = fs.with_overlay(std::rc::Rc::new(r.overlay.clone())) else { return };
        for blk in r.overlay.written().take(8) {
            if let (Ok(old), Ok(new)) = (fs.block(blk), state.block(blk)) {
                let _ = ext4scope_core::journal::diff::block_change(&state, None, blk, &old, &new, String::new());
            }
        }
    });
}

/// `fast_commit`: the input is a fast-commit area (up to 16 blocks of 4 KiB)
/// read as the kernel's replay scan reads it, then replayed over a small
/// base image: tags must stay inside their blocks, the scan must end, and
/// the replay must stay bounded by the tags it replays.
pub fn fast_commit(data: &[u8]) {
    use ext4scope_core::journal::fast_commit::{read_area_with, replay};
    let Some((&tid, area)) = data.split_first() else { return };
    let blocks: Vec<&[u8]> = area.chunks(4096).take(16).collect();
    let mut read = |j: u32| blocks.get(j.checked_sub(100)? as usize).map(|b| b.to_vec());
    let a = read_area_with(&mut read, 100, 16, u32::from(tid), 256);
    for t in &a.tags {
        assert!((100..116).contains(&t.block), "tag in block {}", t.block);
        assert!(t.offset as usize <= 4096);
    }
    assert!(a.replay_tags <= a.tags.len());
    let _ = serde_json::to_string(&a).expect("serializable");
    // Replay over the base image (its inodes, bitmaps and directories).
    let Some(fs) = open(Base::Csum.bytes().to_vec()) else { return };
    let mut overlay = ext4scope_core::Overlay::new();
    let r = replay(&fs, &a, &mut overlay, 0);
    assert!(r.tags <= a.replay_tags);
    assert!(overlay.len() <= 64 + 8 * a.replay_tags, "{} blocks written for {} tags", overlay.len(), a.replay_tags);
}

#[cfg(test)]
mod tests {
    use super::base::*;
    use super::*;

    /// The base journal's first 64 blocks, as the journal_log target sees them.
    fn base_journal() -> Vec<u8> {
        let b = Base::Journal;
        let mut v = Vec::new();
        for j in 0..JOURNAL_BLOCKS_SPLICED {
            let p = b.extent_lookup_root(8, j).expect("mapped") as usize * 1024;
            v.extend_from_slice(&b.bytes()[p..p + 1024]);
        }
        v
    }

    fn be(v: &mut [u8], at: usize, x: u32) {
        v[at..at + 4].copy_from_slice(&x.to_be_bytes());
    }

    #[test]
    fn fast_commit_areas_end() {
        // The kernel's fc-basic area, and hostile ones.
        let gz = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/fastcommit/fc-basic.img.gz"))
            .expect("fixture");
        let mut img = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&gz[..]), &mut img).unwrap();
        let fs = Fs::open(Box::new(img)).unwrap();
        let j = ext4scope_core::journal::Journal::open(&fs).unwrap().unwrap();
        let (first, count) = j.fc_area.expect("fc area");
        let mut area = vec![3u8];
        // The area's last block is s_maxlen itself, past the journal.
        for b in first..first + count.min(16) {
            let Ok(blk) = j.read(&fs, b) else { break };
            area.extend_from_slice(&blk);
        }
        fast_commit(&area);
        let mut zeros = vec![3u8];
        zeros.extend(std::iter::repeat(0xFFu8).take(16 * 4096));
        fast_commit(&zeros);
        let mut lens = area.clone();
        for i in (1..lens.len()).step_by(7) {
            lens[i] = lens[i].wrapping_mul(31);
        }
        fast_commit(&lens);
    }

    #[test]
    fn base_journal_has_its_transactions() {
        let fs = Fs::open(Box::new(Base::Journal.bytes().to_vec())).unwrap();
        let j = ext4scope_core::journal::Journal::open(&fs).unwrap().unwrap();
        let log = j.log(&fs);
        assert_eq!(log.transactions.iter().filter(|t| t.replayed).count(), 4, "{:?}", log.end);
        journal_log(&base_journal());
    }

    #[test]
    fn hostile_journals_end() {
        let good = base_journal();
        let seq = u32::from_be_bytes(good[0x18..0x1C].try_into().unwrap());
        // s_maxlen past the inode, s_first 0, s_start past the ring, at its last block.
        for (at, v) in [(0x10, u32::MAX), (0x14, 0), (0x1C, 5000), (0x1C, 1023), (0x1C, 63)] {
            let mut j = good.clone();
            be(&mut j, at, v);
            journal_log(&j);
        }
        // A ring of revoke blocks that all carry s_sequence: recovery itself
        // would go round forever; the walk stops after one lap.
        let mut j = good.clone();
        for b in 1..64 {
            let o = b * 1024;
            j[o..o + 1024].fill(0);
            be(&mut j, o, 0xC03B_3998);
            be(&mut j, o + 4, 5);
            be(&mut j, o + 8, seq);
            be(&mut j, o + 12, 16);
        }
        be(&mut j, 0x10, 64); // s_maxlen: the ring is the 63 blocks spliced
        be(&mut j, 0x28, 0x1); // revoke only: no checksums to fail
        journal_log(&j);
        // Descriptors full of tags without LAST_TAG, every block.
        let mut j = good.clone();
        for b in 1..64 {
            let o = b * 1024;
            j[o..o + 1024].fill(0x02);
            be(&mut j, o, 0xC03B_3998);
            be(&mut j, o + 4, 1);
            be(&mut j, o + 8, seq);
        }
        journal_log(&j);
        // Revoke counts far past the block.
        let mut j = good;
        for b in 1..64 {
            let o = b * 1024;
            be(&mut j, o + 12, u32::MAX);
        }
        journal_log(&j);
    }

    /// The hand-decoded locations agree with the core on the valid base images.
    #[test]
    fn base_locations_match_the_core() {
        for base in [Base::Csum, Base::Inline, Base::Ext2] {
            let fs = Fs::open(Box::new(base.bytes())).unwrap();
            assert!(fs.problems.is_empty(), "{base:?}: {:?}", fs.problems);
            for &ino in inode_choices(base) {
                let (blk, off) = fs.inode_location(ino).unwrap();
                assert_eq!(blk * u64::from(fs.block_size()) + off as u64, base.inode_offset(ino));
                let inode = fs.inode(ino).unwrap();
                assert!(inode.problems.is_empty(), "{base:?} inode {ino}: {:?}", inode.problems);
                let map = fs.file_map(&inode);
                assert!(map.problems.is_empty(), "{base:?} inode {ino}: {:?}", map.problems);
            }
        }
        let fs = Fs::open(Box::new(Base::Csum.bytes())).unwrap();
        let frag = fs.file_map(&fs.inode(INO_FRAG).unwrap());
        assert_eq!(frag.metadata.len(), 1);
        assert_eq!(frag.metadata[0].block, Base::Csum.extent_root_target(INO_FRAG));
        let htree = fs.file_map(&fs.inode(INO_HTREE).unwrap());
        for l in 0..5 {
            assert_eq!(htree.lookup(l).map(|x| x.0), Base::Csum.extent_lookup(INO_HTREE, l), "logical {l}");
        }
        assert_eq!(htree.lookup(0).map(|x| x.0), Some(first_block(Base::Csum, INO_HTREE)));
        assert!(fs.read_dir(INO_HTREE).unwrap().htree.is_some());
        let x = fs.xattrs(&fs.inode(INO_XATTR).unwrap());
        assert_eq!(x.block.as_ref().map(|b| b.block), Some(Base::Csum.xattr_block(INO_XATTR)));
        // debugfs leaves h_hash 0 (e2fsck accepts it); the core notes it, nothing worse.
        assert!(x.in_inode_magic, "{x:?}");
        assert!(
            x.problems.iter().all(|p| p.severity == ext4scope_core::Severity::Info),
            "{:?}",
            x.problems
        );
        assert_eq!(x.entries.len(), 3);
        assert_eq!(u64::from(x.in_inode_space), Base::Csum.inode_size() - XATTR_AREA_OFFSET);
        for base in [Base::Csum, Base::Ext2] {
            let fs = Fs::open(Box::new(base.bytes())).unwrap();
            let dir = fs.read_dir(INO_DIR).unwrap();
            assert_eq!(dir.blocks.first().map(|b| b.physical), Some(first_block(base, INO_DIR)));
            assert!(dir.find(b"a").is_some() && dir.problems.is_empty(), "{base:?}: {dir:?}");
        }
        let fs = Fs::open(Box::new(Base::Inline.bytes())).unwrap();
        let dir = fs.read_dir(INO_DIR).unwrap();
        assert!(dir.find(b"a").is_some() && dir.problems.is_empty(), "inline: {dir:?}");
        let fs = Fs::open(Box::new(Base::Ext2.bytes())).unwrap();
        let file = fs.file_map(&fs.inode(INO_FILE).unwrap());
        let meta: Vec<u64> = file.metadata.iter().map(|m| m.block).collect();
        assert_eq!(meta[..2], [Base::Ext2.i_block_word(INO_FILE, 12), Base::Ext2.i_block_word(INO_FILE, 13)]);
    }

    /// Patches show through reads that straddle them, and only there.
    #[test]
    fn patched_reads() {
        let mut p = Patched::new(Base::Inline);
        p.splice(1000, &[1, 2, 3, 4], 3);
        let mut buf = [0xAAu8; 8];
        p.read_at(998, &mut buf).unwrap();
        let b = Base::Inline.bytes();
        assert_eq!(buf, [b[998], b[999], 1, 2, 3, b[1003], b[1004], b[1005]]);
        assert_eq!(p.to_vec()[1000..1004], [1, 2, 3, b[1003]]);
        assert!(p.read_at(p.len() - 2, &mut buf).is_err());
    }

    /// Every committed regression input still runs clean.
    #[test]
    fn regressions() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("regressions");
        let mut n = 0;
        for (name, f) in TARGETS {
            let Ok(entries) = std::fs::read_dir(dir.join(name)) else { continue };
            for e in entries {
                let path = e.unwrap().path();
                f(&std::fs::read(&path).unwrap());
                n += 1;
            }
        }
        eprintln!("{n} regression inputs replayed");
        assert!(n > 0, "no regression inputs under {}", dir.display());
    }
}

/// Every target by name, for replaying inputs without libFuzzer.
pub const TARGETS: &[(&str, fn(&[u8]))] = &[
    ("superblock_groups", superblock_groups),
    ("image_walk", image_walk),
    ("check_mount", check_mount),
    ("simulate", simulate),
    ("inode", inode),
    ("extent_tree", extent_tree),
    ("indirect_map", indirect_map),
    ("directory_block", directory_block),
    ("htree", htree),
    ("xattr", xattr),
    ("journal_block", journal_block),
];

#[cfg(test)]
mod timing {
    /// Time each target over its corpus and name its slowest inputs:
    /// `cargo test --release -- --ignored timing --nocapture` (or `TARGET=inode ...`).
    #[test]
    #[ignore]
    fn timing() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        let only = std::env::var("TARGET").ok();
        for (name, f) in super::TARGETS {
            if only.as_deref().is_some_and(|o| o != *name) {
                continue;
            }
            let Ok(entries) = std::fs::read_dir(dir.join(name)) else { continue };
            let mut times = Vec::new();
            for e in entries {
                let path = e.unwrap().path();
                let input = std::fs::read(&path).unwrap();
                let t = std::time::Instant::now();
                f(&input);
                times.push((t.elapsed(), path));
            }
            times.sort();
            let total: std::time::Duration = times.iter().map(|t| t.0).sum();
            eprintln!("{name}: {} inputs, {:?} per input", times.len(), total / times.len().max(1) as u32);
            for (d, p) in times.iter().rev().take(3) {
                eprintln!("  {d:?} {}", p.display());
            }
        }
    }
}
