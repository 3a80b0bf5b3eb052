//! Memory stays bounded on hostile geometry. The fuzzer (superblock_groups)
//! found a superblock claiming 4M groups on a small image: opening it asked
//! for one 939 MB allocation (a descriptor record per group, kept at open).
//! Descriptors are now read on demand; this binary counts live heap bytes
//! with its own allocator (one test, so no other test shares the count).

mod golden;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use ext4scope_core::layout::MAX_GROUPS;
use ext4scope_core::Fs;
use golden::load_image;

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(l) };
        if !p.is_null() {
            let live = LIVE.fetch_add(l.size(), Ordering::Relaxed) + l.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        unsafe { System.dealloc(p, l) };
        LIVE.fetch_sub(l.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static A: Counting = Counting;

/// Write `bytes` at `offset` of the primary superblock.
fn patch_sb(img: &mut [u8], offset: usize, bytes: &[u8]) {
    img[1024 + offset..1024 + offset + bytes.len()].copy_from_slice(bytes);
}

#[test]
fn regression_four_million_groups_on_a_small_image() {
    let mut img = load_image("default-1k");
    let len = img.len();
    // 1 KiB blocks, 1024 blocks per group, 2^32 - 1 blocks: 4,194,304 groups,
    // the most the inspector indexes, whose descriptors (128 MiB) lie mostly
    // past the end of the image.
    patch_sb(&mut img, 0x04, &u32::MAX.to_le_bytes());
    patch_sb(&mut img, 0x20, &1024u32.to_le_bytes());
    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let mut fs = Fs::open(Box::new(img)).expect("opens: the geometry is legal");
    assert_eq!(u64::from(fs.groups_count()), MAX_GROUPS);
    // 131,072 descriptor blocks: not read at open, one note says so.
    assert!(!fs.descriptors_checked);
    assert!(fs
        .problems
        .iter()
        .any(|p| p.structure == "group descriptors" && p.message.contains("read when a view needs them")));
    assert!(fs.image().stats().bytes < 64 << 10, "open read {} bytes", fs.image().stats().bytes);
    fs.check_all_descriptors();
    let info = fs.info();
    assert_eq!(info.groups_count, fs.groups_count());
    // The groups whose descriptors the image holds are read; the rest is one
    // problem naming the run.
    assert!(fs.group(0).is_ok());
    let unreadable: Vec<_> =
        fs.problems.iter().filter(|p| p.message.contains("cannot read the descriptor block")).collect();
    assert_eq!(unreadable.len(), 1, "{:#?}", &fs.problems[..5.min(fs.problems.len())]);
    assert!(unreadable[0].message.contains("-4194303:"), "{}", unreadable[0].message);
    assert!(
        fs.problems.len() <= ext4scope_core::fs::MAX_GROUP_PROBLEMS + 8,
        "{} problems",
        fs.problems.len()
    );
    let e = fs.group(4_000_000).expect_err("past the image");
    assert!(e.to_string().contains("group 4000000 has no readable descriptor"), "{e}");
    for g in [0, 1, 5000, 4_194_303] {
        let _ = fs.group_report(g);
        let _ = fs.block_bitmap(g);
        let _ = fs.inode_bitmap(g);
    }
    let peak = PEAK.load(Ordering::Relaxed) - base;
    // The image itself is `len` bytes; the block cache and the problems
    // list are bounded. 939 MB before the fix.
    assert!(peak < len + (64 << 20), "peak heap {peak} bytes over an image of {len}");
    drop(fs);
}
