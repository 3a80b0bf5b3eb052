//! ext4 fast commits: the journal's fast-commit area, its tag-length-value
//! records, which of them the kernel's recovery accepts, and their replay on
//! top of the full-commit replay, as Linux 6.x does it (`fs/ext4/fast_commit.c`,
//! `fs/jbd2/recovery.c` `fc_do_one_pass`, `fs/jbd2/journal.c`).
//!
//! # Where the area is
//!
//! With the jbd2 incompat feature `FAST_COMMIT` (0x20), the journal keeps its
//! last `n = s_num_fc_blks` blocks (256 when 0) for fast commits. When the
//! journal superblock is loaded the kernel sets `j_fc_last = s_maxlen`,
//! `j_last = s_maxlen - n` (the full-commit ring is `[s_first, s_maxlen - n)`),
//! and `j_fc_first = j_last + 1 = s_maxlen - n + 1`. So:
//! - journal block `s_maxlen - n` belongs to neither: the ring stops before it
//!   and fast commits start after it;
//! - `jbd2_fc_get_buf` hands out `j_fc_first + off` while it is `< j_fc_last`:
//!   fast commits are **written** to blocks `s_maxlen - n + 1 ..= s_maxlen - 1`
//!   (`n - 1` blocks);
//! - recovery (`fc_do_one_pass`) **reads** `j_fc_first ..= j_fc_last`, that is
//!   `s_maxlen - n + 1 ..= s_maxlen`: `n` blocks, the last one past the end of
//!   the journal (its read fails; recovery only gets there when every block
//!   before it holds valid fast commits).
//!
//! [`kernel_area`] gives `(s_maxlen - n + 1, n)`, what [`read_area`] wants.
//!
//! # Which fast commits recovery replays
//!
//! Recovery first scans the full-commit log; its `end_transaction` (the
//! transaction after the last committed full transaction, `s_sequence` when
//! none is committed) is the `expected_tid` handed to the fast-commit scan.
//! Every fast commit is written by `ext4_fc_commit` for the running
//! transaction (`j_running_transaction->t_tid`) and only after at least one
//! full commit since the mount; a later full commit of that transaction makes
//! its fast commits obsolete (the area is then reused from its first block for
//! the next transaction). Recovery runs only when `s_start != 0` (with
//! `s_start == 0` the kernel replays nothing, fast commits included).
//!
//! The scan (`ext4_fc_replay_scan`, called per block) accepts, in order: a
//! first block starting with `HEAD` (features 0, tid = expected); tags whose
//! length is valid for their type (`ext4_fc_value_len_isvalid`); the crc32c
//! (seed 0, the bytes of every tag since the previous `TAIL`, then the `TAIL`'s
//! tag, length and tid) must equal the `TAIL`'s `fc_crc`, and its tid the
//! expected one. Each good `TAIL` makes every tag up to it replayable. The
//! valid region ends at the first bad length, unknown tag, `HEAD` of another
//! tid, bad `TAIL`, or the end of the area. When that happens before any good
//! `TAIL`, the scan returns an error and the whole journal recovery fails
//! (`-ECANCELED`, `-EFSBADCRC`, `-EOPNOTSUPP`), except for a `HEAD` of another
//! tid (nothing to replay) and a first block without `HEAD` (no fast commits).
//!
//! # Replay
//!
//! [`replay`] applies the accepted tags in order on a [`Fs`] state (the image
//! after the full-commit replay), as `ext4_fc_replay` does: `INODE` copies the
//! logged inode except `i_block` (the blocks the inode had are freed first,
//! and `i_blocks` is recounted from the extent tree), `ADD_RANGE` maps blocks
//! into the extent tree, `DEL_RANGE` unmaps them and frees them, `CREAT`,
//! `LINK` and `UNLINK` change directory entries and link counts (an inode whose
//! last link goes is deleted at once, as the kernel's `iput` does), then every
//! block of every inode touched by `INODE`, `ADD_RANGE` or `DEL_RANGE` is marked
//! in use (`ext4_fc_set_bitmaps_and_counters`). Bitmaps, group descriptors and
//! their checksums, inode and extent-block checksums and directory-block tails
//! are rewritten; the superblock's free counts become the sums of the group
//! descriptors (as the kernel's counters are after the mount).
//!
//! Extent trees of depth 0 and 1 are edited as the kernel edits them: inserts
//! merge with their neighbours, a fifth extent in the inode grows the tree
//! into a leaf block taken by the replay allocator (`ext4_mb_new_blocks_simple`:
//! the first free block from the inode's goal, skipping every block a replayed
//! `ADD_RANGE` or a freed old map uses), an emptied leaf goes, and a single leaf
//! that fits in the inode moves back into it. What the kernel would do but
//! this does not is a problem naming the tag: a full leaf (a split) or an edit
//! of a deeper tree, adding to an htree, inline, casefolded or encrypted
//! directory or one without room (a new block), `CREAT` of a directory (its
//! `.` and `..` block), blocks mapped without extents, deleting an inode with
//! an xattr block, bigalloc. Times the kernel stamps at replay (directory
//! mtime and ctime, `i_dtime`) take the `now` given; `i_version` is not bumped;
//! the allocator goal assumes delayed allocation (the default mount).

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::format;
use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use serde::Serialize;

use crate::checksum::crc32c;
use crate::format::dir::{file_type_for, rec_len_from_disk, rec_len_needed, TAIL_SIZE};
use crate::format::extent::{
    inode_seed_from, node_capacity, Extent, ExtentHeader, ExtentIdx, EXTENT_MAGIC, INIT_MAX_LEN,
};
use crate::format::features::{INCOMPAT_FILETYPE, RO_COMPAT_GDT_CSUM};
use crate::format::group_desc::{desc_checksum, BG_BLOCK_UNINIT, BG_INODE_UNINIT};
use crate::format::inode::{
    inode_checksum_with_seed, FileType, CHECKSUM_HI_OFFSET, CHECKSUM_LO_OFFSET, EXTENTS_FL,
    GOOD_OLD_INODE_SIZE, INDEX_FL, INLINE_DATA_FL, I_BLOCK_LEN, I_BLOCK_OFFSET,
};
use crate::format::superblock::{superblock_checksum, CHECKSUM_OFFSET, SUPERBLOCK_OFFSET};
use crate::fs::Fs;
use crate::overlay::Overlay;

/// `EXT4_FC_TAG_ADD_RANGE`.
pub const TAG_ADD_RANGE: u16 = 1;
/// `EXT4_FC_TAG_DEL_RANGE`.
pub const TAG_DEL_RANGE: u16 = 2;
/// `EXT4_FC_TAG_CREAT`.
pub const TAG_CREAT: u16 = 3;
/// `EXT4_FC_TAG_LINK`.
pub const TAG_LINK: u16 = 4;
/// `EXT4_FC_TAG_UNLINK`.
pub const TAG_UNLINK: u16 = 5;
/// `EXT4_FC_TAG_INODE`.
pub const TAG_INODE: u16 = 6;
/// `EXT4_FC_TAG_PAD`.
pub const TAG_PAD: u16 = 7;
/// `EXT4_FC_TAG_TAIL`.
pub const TAG_TAIL: u16 = 8;
/// `EXT4_FC_TAG_HEAD`.
pub const TAG_HEAD: u16 = 9;
/// `EXT4_FC_SUPPORTED_FEATURES`: no `HEAD` feature bit is known.
pub const SUPPORTED_FEATURES: u32 = 0;
/// `struct ext4_fc_tl`: le16 tag, le16 length.
pub const TL_LEN: usize = 4;
/// Fast-commit blocks when `s_num_fc_blks` is 0 (`JBD2_DEFAULT_FAST_COMMIT_BLOCKS`).
pub const DEFAULT_BLOCKS: u32 = 256;
/// `EXT_MAX_BLOCKS`: one past the last logical block.
const EXT_MAX_BLOCKS: u64 = 0xFFFF_FFFF;
/// Longest unwritten extent.
const UNWRITTEN_MAX_LEN: u32 = 32767;
/// Most extent-tree nodes read for one inode (hostile trees).
const MAX_TREE_NODES: usize = 1 << 16;

/// The blocks recovery reads as the fast-commit area of a journal of `maxlen`
/// blocks with `s_num_fc_blks = num_fc_blks`: `(first, count)` =
/// `(s_maxlen - n + 1, n)` (see the module documentation: the last one is past
/// the journal). `None` when `n` does not fit (the kernel then keeps no area).
pub fn kernel_area(maxlen: u32, num_fc_blks: u32) -> Option<(u32, u32)> {
    let n = if num_fc_blks == 0 { DEFAULT_BLOCKS } else { num_fc_blks };
    let last = maxlen.checked_sub(n)?;
    Some((last.checked_add(1)?, n))
}

/// The kernel's name of a tag (`tag2str`, as e2fsprogs' logdump prints it).
pub fn tag_name(tag: u16) -> &'static str {
    match tag {
        TAG_LINK => "ADD_ENTRY",
        TAG_UNLINK => "DEL_ENTRY",
        TAG_ADD_RANGE => "ADD_RANGE",
        TAG_CREAT => "CREAT_DENTRY",
        TAG_DEL_RANGE => "DEL_RANGE",
        TAG_INODE => "INODE",
        TAG_PAD => "PAD",
        TAG_TAIL => "TAIL",
        TAG_HEAD => "HEAD",
        _ => "ERROR",
    }
}

/// A decoded tag value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FcValue {
    /// `ext4_fc_head`: starts the first fast commit of a transaction.
    Head {
        /// `fc_features` (must be 0).
        features: u32,
        /// `fc_tid`.
        tid: u32,
    },
    /// `ext4_fc_add_range`: an extent mapped into an inode.
    AddRange {
        /// Inode.
        ino: u32,
        /// First logical block.
        lblk: u32,
        /// Blocks (the extent's actual length).
        len: u32,
        /// First physical block.
        pblk: u64,
        /// The extent is unwritten.
        unwritten: bool,
    },
    /// `ext4_fc_del_range`: logical blocks unmapped.
    DelRange {
        /// Inode.
        ino: u32,
        /// First logical block.
        lblk: u32,
        /// Blocks.
        len: u32,
    },
    /// `ext4_fc_dentry_info` of `CREAT`, `LINK` (`ADD_ENTRY`) or `UNLINK`
    /// (`DEL_ENTRY`).
    Dentry {
        /// The directory.
        parent: u32,
        /// The inode the entry names.
        ino: u32,
        /// The name, lossy UTF-8.
        name: String,
        /// The name's bytes.
        name_bytes: Vec<u8>,
    },
    /// `ext4_fc_inode`: an inode record (up to `i_extra_isize`, or the whole
    /// record for inline data).
    Inode {
        /// Inode.
        ino: u32,
        /// `i_mode`.
        mode: u16,
        /// `i_links_count`.
        links: u16,
        /// `i_size`.
        size: u64,
        /// `i_flags`.
        flags: u32,
        /// `i_generation`.
        generation: u32,
        /// The record's bytes.
        #[serde(skip)]
        raw: Vec<u8>,
    },
    /// Padding to the end of the block.
    Pad,
    /// `ext4_fc_tail`: ends a fast commit.
    Tail {
        /// `fc_tid`.
        tid: u32,
        /// `fc_crc` as stored.
        crc: u32,
        /// The crc32c the scan computes for this fast commit.
        computed: u32,
    },
    /// A tag the scan refuses: unknown, or a length invalid for its type. It
    /// ends its block's tags.
    Invalid {
        /// Why.
        reason: String,
    },
}

/// One tag of the area.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FcTag {
    /// Journal block.
    pub block: u32,
    /// Byte offset of the tag in its block.
    pub offset: u32,
    /// `fc_tag`.
    pub tag: u16,
    /// The kernel's name for it.
    pub name: &'static str,
    /// `fc_len`.
    pub len: u16,
    /// The value.
    pub value: FcValue,
    /// Recovery replays this tag (it is before the last good `TAIL` of the
    /// valid region).
    pub replayed: bool,
    /// Index of the fast commit it belongs to in [`FastCommitArea::commits`]
    /// (replayed tags only).
    pub commit: Option<usize>,
}

/// A fast commit the scan accepted: from the tag after the previous good
/// `TAIL` (or the `HEAD`) through its `TAIL`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FcCommit {
    /// The `TAIL`'s tid.
    pub tid: u32,
    /// Index of its first tag in [`FastCommitArea::tags`].
    pub first_tag: usize,
    /// Index of its `TAIL`.
    pub tail_tag: usize,
    /// Journal block of its first tag.
    pub first_block: u32,
    /// Journal block of its `TAIL`.
    pub last_block: u32,
}

/// How recovery ends the fast-commit scan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FcOutcome {
    /// The first block does not start with `HEAD`: no fast commits (recovery
    /// goes on without them).
    NoFastCommits,
    /// A `HEAD` of another transaction: the fast commits are obsolete; nothing
    /// is replayed.
    OtherTransaction,
    /// The tags up to the last good `TAIL` are replayed.
    Replay,
    /// The scan returns an error: the whole journal recovery fails and the
    /// kernel refuses to mount (e2fsck reports the journal as corrupt).
    RecoveryFails,
}

/// Where a tag ends: its block and the byte after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FcPos {
    /// Journal block.
    pub block: u32,
    /// Byte offset just past the tag.
    pub offset: u32,
}

/// The fast-commit area, decoded and scanned as recovery scans it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FastCommitArea {
    /// First journal block read (`j_fc_first`).
    pub first: u32,
    /// Blocks read at most.
    pub count: u32,
    /// The transaction the fast commits must belong to (recovery's
    /// `end_transaction`).
    pub expected_tid: u32,
    /// Every tag of every block that holds any (all-zero blocks are skipped),
    /// in area order, the replayed ones first.
    pub tags: Vec<FcTag>,
    /// The fast commits that are replayed.
    pub commits: Vec<FcCommit>,
    /// Tags replayed (`fc_replay_num_tags`): `tags[..replay_tags]`.
    pub replay_tags: usize,
    /// The end of the last replayed tag (a `TAIL`).
    pub valid_until: Option<FcPos>,
    /// How the scan ends.
    pub outcome: Option<FcOutcome>,
    /// Why the scan stops, in words.
    pub stop: String,
    /// The kernel's error, for [`FcOutcome::RecoveryFails`] (`EFSBADCRC`, ...).
    pub error: Option<&'static str>,
    /// Problems (unreadable blocks, odd block sizes).
    pub problems: Vec<String>,
}

/// What `inode_blocks` returns: an inode's runs of blocks and its map blocks.
type InodeBlocks = (Vec<(u64, u64)>, Vec<u64>);

fn le16(b: &[u8], o: usize) -> u16 {
    match b.get(o..o.saturating_add(2)) {
        Some(&[x, y]) => u16::from_le_bytes([x, y]),
        _ => 0,
    }
}

fn le32(b: &[u8], o: usize) -> u32 {
    match b.get(o..o.saturating_add(4)) {
        Some(&[a, c, d, e]) => u32::from_le_bytes([a, c, d, e]),
        _ => 0,
    }
}

fn put16(b: &mut [u8], o: usize, v: u16) {
    if let Some(s) = b.get_mut(o..o.saturating_add(2)) {
        s.copy_from_slice(&v.to_le_bytes());
    }
}

fn put32(b: &mut [u8], o: usize, v: u32) {
    if let Some(s) = b.get_mut(o..o.saturating_add(4)) {
        s.copy_from_slice(&v.to_le_bytes());
    }
}

/// `ext4_fc_value_len_isvalid` (6.x): `inode_size` is the file system's.
fn len_valid(tag: u16, len: usize, inode_size: usize) -> bool {
    match tag {
        TAG_ADD_RANGE => len == 16,
        TAG_DEL_RANGE => len == 12,
        TAG_CREAT | TAG_LINK | TAG_UNLINK => len.checked_sub(8).is_some_and(|n| (1..=255).contains(&n)),
        TAG_INODE => len.checked_sub(4).is_some_and(|n| n >= GOOD_OLD_INODE_SIZE && n <= inode_size),
        TAG_PAD => true,
        TAG_TAIL => len >= 8,
        TAG_HEAD => len == 8,
        _ => false,
    }
}

fn decode_value(tag: u16, v: &[u8]) -> FcValue {
    match tag {
        TAG_HEAD => FcValue::Head { features: le32(v, 0), tid: le32(v, 4) },
        TAG_ADD_RANGE => {
            let e = Extent::parse(v.get(4..).unwrap_or(&[]));
            let (len, unwritten) = e.len();
            FcValue::AddRange {
                ino: le32(v, 0),
                lblk: e.ee_block,
                len: len as u32,
                pblk: e.start(),
                unwritten,
            }
        }
        TAG_DEL_RANGE => FcValue::DelRange { ino: le32(v, 0), lblk: le32(v, 4), len: le32(v, 8) },
        TAG_CREAT | TAG_LINK | TAG_UNLINK => {
            let name_bytes = v.get(8..).unwrap_or(&[]).to_vec();
            FcValue::Dentry {
                parent: le32(v, 0),
                ino: le32(v, 4),
                name: String::from_utf8_lossy(&name_bytes).into_owned(),
                name_bytes,
            }
        }
        TAG_INODE => {
            let raw = v.get(4..).unwrap_or(&[]).to_vec();
            FcValue::Inode {
                ino: le32(v, 0),
                mode: le16(&raw, 0),
                links: le16(&raw, 0x1A),
                size: u64::from(le32(&raw, 0x04)) | u64::from(le32(&raw, 0x6C)) << 32,
                flags: le32(&raw, 0x20),
                generation: le32(&raw, 0x64),
                raw,
            }
        }
        TAG_PAD => FcValue::Pad,
        TAG_TAIL => FcValue::Tail { tid: le32(v, 0), crc: le32(v, 4), computed: 0 },
        _ => FcValue::Invalid { reason: String::from("unknown tag") },
    }
}

/// The tags of one block, walked as the scan walks them (`cur <= end - 4`),
/// with each tag's byte range. An invalid tag is the last.
fn block_tags(b: &[u8], jb: u32, inode_size: usize) -> Vec<(FcTag, core::ops::Range<usize>)> {
    let mut out = Vec::new();
    let end = b.len();
    let mut cur = 0usize;
    while cur + TL_LEN <= end {
        let tag = le16(b, cur);
        let len = le16(b, cur + 2);
        let val = cur + TL_LEN;
        let n = usize::from(len);
        let mut t = FcTag {
            block: jb,
            offset: cur as u32,
            tag,
            name: tag_name(tag),
            len,
            value: FcValue::Pad,
            replayed: false,
            commit: None,
        };
        if n > end - val {
            t.value = FcValue::Invalid {
                reason: format!("length {n} runs past the block ({} bytes left)", end - val),
            };
            out.push((t, cur..end));
            break;
        }
        if !len_valid(tag, n, inode_size) {
            t.value = FcValue::Invalid {
                reason: if tag_name(tag) == "ERROR" {
                    format!("unknown tag {tag}")
                } else {
                    format!("length {n} is not valid for {}", tag_name(tag))
                },
            };
            out.push((t, cur..val + n));
            break;
        }
        t.value = decode_value(tag, &b[val..val + n]);
        out.push((t, cur..val + n));
        cur = val + n;
    }
    out
}

/// Decode the fast-commit area and scan it as recovery does. `read_block(j)`
/// reads journal block `j` (`None`: it cannot be read, as the kernel's read of
/// block `s_maxlen` fails). `first` and `count` are the blocks to scan
/// ([`kernel_area`]), `expected_tid` recovery's `end_transaction` (see the
/// module documentation). Never fails: what is wrong is in the result.
pub fn read_area(
    read_block: &mut dyn FnMut(u32) -> Option<Vec<u8>>,
    first: u32,
    count: u32,
    expected_tid: u32,
) -> FastCommitArea {
    read_area_with(read_block, first, count, expected_tid, 1024)
}

/// [`read_area`] with the file system's inode size (the longest valid `INODE`
/// value; [`read_area`] accepts up to 1024 bytes).
pub fn read_area_with(
    read_block: &mut dyn FnMut(u32) -> Option<Vec<u8>>,
    first: u32,
    count: u32,
    expected_tid: u32,
    inode_size: usize,
) -> FastCommitArea {
    let mut a = FastCommitArea { first, count, expected_tid, ..Default::default() };
    // Scan state (ext4_fc_replay_state).
    let mut expected_off = 0u32;
    let mut cur_tag = 0usize;
    let mut crc = 0u32;
    let mut commit_start: Option<usize> = None;
    let mut block_size: Option<usize> = None;
    let mut done = false;
    for off in 0..count {
        let Some(jb) = first.checked_add(off) else { break };
        let Some(b) = read_block(jb) else {
            if !done {
                done = true;
                a.outcome = Some(FcOutcome::RecoveryFails);
                a.error = Some("EIO");
                a.stop = format!("journal block {jb} cannot be read: recovery fails with an I/O error");
            }
            break;
        };
        if b.len() < TL_LEN || block_size.is_some_and(|s| s != b.len()) {
            a.problems.push(format!("journal block {jb} is {} bytes", b.len()));
            if !done {
                done = true;
                a.outcome = Some(FcOutcome::RecoveryFails);
                a.error = Some("EIO");
                a.stop = format!("journal block {jb} is short");
            }
            break;
        }
        block_size = Some(b.len());
        let zero = b.iter().all(|&x| x == 0);
        let mut tags = block_tags(&b, jb, inode_size);
        if !done {
            // ext4_fc_replay_scan for this block. It returns 0, which is
            // JBD2_FC_REPLAY_STOP, when the area's first block has no HEAD.
            let mut scan = true;
            if expected_off == 0 && le16(&b, 0) != TAG_HEAD {
                done = true;
                a.outcome = Some(FcOutcome::NoFastCommits);
                a.stop = format!("journal block {jb}, the area's first, does not start with a HEAD tag");
                scan = false;
            }
            if scan {
                expected_off += 1;
                let base = a.tags.len();
                for (i, (t, range)) in tags.iter_mut().enumerate() {
                    let idx = base + i;
                    let bytes = b.get(range.clone()).unwrap_or(&[]);
                    let stop_or_fail = |a: &mut FastCommitArea, err: &'static str, why: String| {
                        if a.replay_tags > 0 {
                            a.outcome = Some(FcOutcome::Replay);
                            a.stop = why;
                        } else {
                            a.outcome = Some(FcOutcome::RecoveryFails);
                            a.error = Some(err);
                            a.stop = format!("{why}, before any valid TAIL: the scan fails");
                        }
                    };
                    let at = format!("journal block {jb} offset {}", t.offset);
                    let tname = t.name;
                    match (&mut t.value, t.tag) {
                        (FcValue::Invalid { reason }, _) => {
                            let why = format!("{tname} tag at {at}: {reason}");
                            stop_or_fail(&mut a, "ECANCELED", why);
                            done = true;
                        }
                        (FcValue::Tail { tid, crc: stored, computed }, _) => {
                            cur_tag += 1;
                            crc = crc32c(crc, bytes.get(..TL_LEN + 4).unwrap_or(bytes));
                            *computed = crc;
                            if *tid == expected_tid && *stored == crc {
                                a.replay_tags = cur_tag;
                                let first_tag = commit_start.unwrap_or(base);
                                let first_block = if first_tag < base {
                                    a.tags.get(first_tag).map_or(jb, |x| x.block)
                                } else {
                                    jb
                                };
                                a.commits.push(FcCommit {
                                    tid: *tid,
                                    first_tag,
                                    tail_tag: idx,
                                    first_block,
                                    last_block: jb,
                                });
                                a.valid_until = Some(FcPos { block: jb, offset: range.end as u32 });
                                commit_start = Some(idx + 1);
                            } else {
                                let why = if *tid != expected_tid {
                                    format!("TAIL at {at} has tid {tid}, expected {expected_tid}")
                                } else {
                                    format!("TAIL at {at}: crc 0x{stored:08x} stored, 0x{crc:08x} computed")
                                };
                                stop_or_fail(&mut a, "EFSBADCRC", why);
                                done = true;
                            }
                            crc = 0;
                        }
                        (FcValue::Head { features, tid }, _) => {
                            if *features & !SUPPORTED_FEATURES != 0 {
                                a.outcome = Some(FcOutcome::RecoveryFails);
                                a.error = Some("EOPNOTSUPP");
                                a.stop = format!(
                                    "HEAD at {at} has unknown features 0x{features:x}: the scan fails"
                                );
                                done = true;
                            } else if *tid != expected_tid {
                                if a.replay_tags > 0 {
                                    a.outcome = Some(FcOutcome::Replay);
                                } else {
                                    a.outcome = Some(FcOutcome::OtherTransaction);
                                }
                                a.stop = format!("HEAD at {at} has tid {tid}, expected {expected_tid}");
                                done = true;
                            } else {
                                cur_tag += 1;
                                crc = crc32c(crc, bytes);
                                if commit_start.is_none() {
                                    commit_start = Some(idx);
                                }
                            }
                        }
                        _ => {
                            cur_tag += 1;
                            crc = crc32c(crc, bytes);
                            if commit_start.is_none() {
                                commit_start = Some(idx);
                            }
                        }
                    }
                    if done {
                        break;
                    }
                }
            }
        }
        if !zero {
            a.tags.extend(tags.into_iter().map(|(t, _)| t));
        }
    }
    if !done && a.outcome.is_none() {
        a.outcome = Some(if a.replay_tags > 0 { FcOutcome::Replay } else { FcOutcome::NoFastCommits });
        a.stop = String::from("the end of the area");
    }
    if a.outcome == Some(FcOutcome::RecoveryFails) || a.outcome == Some(FcOutcome::OtherTransaction) {
        a.replay_tags = 0;
        a.commits.clear();
        a.valid_until = None;
    }
    if a.outcome == Some(FcOutcome::NoFastCommits) {
        a.replay_tags = 0;
    }
    let n = a.replay_tags.min(a.tags.len());
    for (ci, c) in a.commits.iter().enumerate() {
        for t in a.tags.iter_mut().take(c.tail_tag + 1).skip(c.first_tag) {
            t.commit = Some(ci);
        }
    }
    for t in a.tags.iter_mut().take(n) {
        t.replayed = true;
    }
    a
}

// ---------------------------------------------------------------------------
// Replay.

/// What replaying one tag did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FcAction {
    /// Index of the tag in [`FastCommitArea::tags`].
    pub tag: usize,
    /// The tag's name.
    pub name: &'static str,
    /// What was done, in words.
    pub done: String,
}

/// The result of [`replay`].
#[derive(Debug, Clone, Default, Serialize)]
pub struct FcReplayReport {
    /// Tags replayed.
    pub tags: usize,
    /// What each did.
    pub actions: Vec<FcAction>,
    /// Inodes whose blocks were marked in use at the end.
    pub modified_inodes: Vec<u32>,
    /// File-system blocks written into the overlay.
    pub blocks_written: Vec<u64>,
    /// What was not done as the kernel does it, naming the tag.
    pub problems: Vec<String>,
}

impl FcReplayReport {
    /// Every tag was replayed as the kernel replays it.
    pub fn complete(&self) -> bool {
        self.problems.is_empty()
    }
}

/// A leaf extent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Ext {
    lblk: u32,
    len: u32,
    pblk: u64,
    unwritten: bool,
}

impl Ext {
    fn end(&self) -> u64 {
        u64::from(self.lblk) + u64::from(self.len)
    }
    fn max_len(&self) -> u32 {
        if self.unwritten {
            UNWRITTEN_MAX_LEN
        } else {
            u32::from(INIT_MAX_LEN)
        }
    }
    /// `ext4_can_extents_be_merged(self, next)`.
    fn merges_with(&self, next: &Ext) -> bool {
        self.unwritten == next.unwritten
            && self.end() == u64::from(next.lblk)
            && self.pblk.checked_add(u64::from(self.len)) == Some(next.pblk)
            && self.len.checked_add(next.len).is_some_and(|l| l <= self.max_len())
    }
    fn encode(&self, out: &mut [u8]) {
        let len = if self.unwritten { self.len.saturating_add(u32::from(INIT_MAX_LEN)) } else { self.len };
        put32(out, 0, self.lblk);
        put16(out, 4, len.min(0xFFFF) as u16);
        put16(out, 6, (self.pblk >> 32) as u16);
        put32(out, 8, self.pblk as u32);
    }
}

/// A leaf of an extent tree (the root in `i_block` for depth 0).
#[derive(Debug, Clone)]
struct Leaf {
    /// Its block (`None`: the root in the inode).
    block: Option<u64>,
    /// `eh_max`.
    max: usize,
    /// `eh_generation`.
    generation: u32,
    /// The index entry's `ei_block` (depth >= 1).
    first: u32,
    exts: Vec<Ext>,
    dirty: bool,
}

/// An inode's extent tree, flattened to its leaves.
#[derive(Debug, Clone)]
struct Tree {
    depth: u16,
    root_max: usize,
    root_generation: u32,
    leaves: Vec<Leaf>,
    /// Interior blocks below the root (depth >= 2).
    index_blocks: Vec<u64>,
    /// Tree blocks freed by edits.
    freed: Vec<u64>,
    /// The leaf block allocated when the root grew a level.
    grown: Option<u64>,
}

enum Mapping {
    Mapped { pblk: u64, len: u32, unwritten: bool },
    Hole { len: u32 },
}

impl Tree {
    fn editable(&self) -> bool {
        self.depth <= 1
    }
    fn exts(&self) -> impl Iterator<Item = &Ext> {
        self.leaves.iter().flat_map(|l| l.exts.iter())
    }
    fn tree_blocks(&self) -> Vec<u64> {
        let mut v: Vec<u64> = self.index_blocks.clone();
        v.extend(self.leaves.iter().filter_map(|l| l.block));
        v
    }
    fn leaf_for(&self, lblk: u32) -> usize {
        self.leaves.iter().rposition(|l| l.first <= lblk).unwrap_or(0)
    }
    /// `ext4_map_blocks(..., 0)` for `[lblk, lblk + len)`.
    fn map(&self, lblk: u32, len: u32) -> Mapping {
        let l = u64::from(lblk);
        let mut next: Option<u64> = None;
        for e in self.exts() {
            if u64::from(e.lblk) <= l && l < e.end() {
                let n = (e.end() - l).min(u64::from(len)) as u32;
                return Mapping::Mapped {
                    pblk: e.pblk + (l - u64::from(e.lblk)),
                    len: n,
                    unwritten: e.unwritten,
                };
            }
            if u64::from(e.lblk) > l {
                next = Some(next.map_or(u64::from(e.lblk), |x| x.min(u64::from(e.lblk))));
            }
        }
        let hole = next.map_or(EXT_MAX_BLOCKS - l.min(EXT_MAX_BLOCKS), |n| n - l);
        Mapping::Hole { len: hole.min(u64::from(len)) as u32 }
    }
    /// `ext4_ext_insert_extent`: into the leaf that covers it, merged with its
    /// neighbours.
    fn insert(&mut self, e: Ext) {
        let li = self.leaf_for(e.lblk);
        let Some(leaf) = self.leaves.get_mut(li) else { return };
        let mut i = leaf.exts.partition_point(|x| x.lblk < e.lblk);
        leaf.exts.insert(i, e);
        leaf.dirty = true;
        if i > 0 && leaf.exts[i - 1].merges_with(&leaf.exts[i]) {
            let r = leaf.exts.remove(i);
            leaf.exts[i - 1].len += r.len;
            i -= 1;
        }
        while i + 1 < leaf.exts.len() && leaf.exts[i].merges_with(&leaf.exts[i + 1]) {
            let r = leaf.exts.remove(i + 1);
            leaf.exts[i].len += r.len;
        }
    }
    /// Give `[lblk, lblk + len)`, inside one extent, its own extent mapped to
    /// `pblk` (`ext4_ext_replay_update_ex`: split, then set).
    fn set_range(&mut self, lblk: u32, len: u32, pblk: u64, unwritten: bool) -> bool {
        let (a, b) = (u64::from(lblk), u64::from(lblk) + u64::from(len));
        for leaf in &mut self.leaves {
            let Some(i) = leaf.exts.iter().position(|e| u64::from(e.lblk) <= a && b <= e.end()) else {
                continue;
            };
            let e = leaf.exts[i];
            let mut parts = Vec::new();
            if u64::from(e.lblk) < a {
                parts.push(Ext {
                    lblk: e.lblk,
                    len: (a - u64::from(e.lblk)) as u32,
                    pblk: e.pblk,
                    unwritten: e.unwritten,
                });
            }
            parts.push(Ext { lblk, len, pblk, unwritten });
            if b < e.end() {
                let skip = b - u64::from(e.lblk);
                parts.push(Ext {
                    lblk: b as u32,
                    len: (e.end() - b) as u32,
                    pblk: e.pblk + skip,
                    unwritten: e.unwritten,
                });
            }
            leaf.exts.splice(i..=i, parts);
            leaf.dirty = true;
            return true;
        }
        false
    }
    /// `ext4_ext_remove_space(start, end)`: unmap `[start, end]`; the physical
    /// pieces removed.
    fn punch(&mut self, start: u64, end_incl: u64) -> Vec<(u64, u64)> {
        let mut removed = Vec::new();
        let end = end_incl.saturating_add(1);
        for leaf in &mut self.leaves {
            let mut out = Vec::with_capacity(leaf.exts.len() + 1);
            let mut changed = false;
            for e in leaf.exts.drain(..) {
                let (s, t) = (u64::from(e.lblk), e.end());
                if t <= start || s >= end {
                    out.push(e);
                    continue;
                }
                changed = true;
                let a = s.max(start);
                let b = t.min(end);
                removed.push((e.pblk + (a - s), b - a));
                if s < a {
                    out.push(Ext { len: (a - s) as u32, ..e });
                }
                if b < t {
                    out.push(Ext {
                        lblk: b as u32,
                        len: (t - b) as u32,
                        pblk: e.pblk + (b - s),
                        unwritten: e.unwritten,
                    });
                }
            }
            leaf.exts = out;
            leaf.dirty |= changed;
        }
        removed
    }
    /// `ext4_ext_replay_shrink_inode(end)`: merge neighbours, then move a
    /// single small leaf into the inode (`ext4_ext_try_to_merge_up`).
    fn shrink(&mut self, end: u64) {
        if end == 0 || self.exts().next().is_none() {
            return;
        }
        for leaf in &mut self.leaves {
            let mut i = 0;
            while i + 1 < leaf.exts.len() {
                if leaf.exts[i].merges_with(&leaf.exts[i + 1]) {
                    let r = leaf.exts.remove(i + 1);
                    leaf.exts[i].len += r.len;
                    leaf.dirty = true;
                } else {
                    i += 1;
                }
            }
        }
        if self.depth == 1 && self.leaves.len() == 1 && self.leaves[0].exts.len() <= self.root_max {
            let leaf = self.leaves.remove(0);
            if let Some(b) = leaf.block {
                self.freed.push(b);
            }
            self.depth = 0;
            self.leaves.push(Leaf {
                block: None,
                max: self.root_max,
                generation: self.root_generation,
                first: 0,
                exts: leaf.exts,
                dirty: true,
            });
        }
    }
}

fn parse_exts(node: &[u8], entries: usize) -> Vec<Ext> {
    (0..entries)
        .map(|i| {
            let e = Extent::parse(node.get(12 + 12 * i..).unwrap_or(&[]));
            let (len, unwritten) = e.len();
            Ext { lblk: e.ee_block, len: len as u32, pblk: e.start(), unwritten }
        })
        .collect()
}

/// Replay state: the blocks read and changed, on top of `fs`.
struct Rp<'a> {
    fs: &'a Fs,
    blocks: BTreeMap<u64, Vec<u8>>,
    now: i64,
    modified: Vec<u32>,
    actions: Vec<FcAction>,
    problems: Vec<String>,
    csum: bool,
    gd_csum: bool,
    seed: u32,
    /// Bitmap bits left to touch (hostile trees map the same blocks again and again).
    budget: u64,
    /// Physical ranges the replay allocator must not use (`fc_regions`): the
    /// replayed `ADD_RANGE`s, then what `INODE` tags free.
    excluded: Vec<(u64, u64)>,
}

/// Why a tag could not be replayed as the kernel does.
type R<T> = core::result::Result<T, String>;

impl Rp<'_> {
    fn bs(&self) -> usize {
        self.fs.block_size() as usize
    }

    fn get(&mut self, blk: u64) -> R<&mut Vec<u8>> {
        if blk >= self.fs.geo.blocks_count {
            return Err(format!(
                "block {blk} is outside the file system ({} blocks)",
                self.fs.geo.blocks_count
            ));
        }
        if !self.blocks.contains_key(&blk) {
            let b = self.fs.block(blk).map_err(|e| format!("block {blk} cannot be read: {e}"))?;
            self.blocks.insert(blk, b.to_vec());
        }
        self.blocks.get_mut(&blk).ok_or_else(|| String::from("internal: block vanished"))
    }

    /// A block as of the replay so far, without taking it into the set of
    /// blocks that may be written (directory scans, tree walks).
    fn peek(&self, blk: u64) -> R<Vec<u8>> {
        if let Some(b) = self.blocks.get(&blk) {
            return Ok(b.clone());
        }
        if blk >= self.fs.geo.blocks_count {
            return Err(format!(
                "block {blk} is outside the file system ({} blocks)",
                self.fs.geo.blocks_count
            ));
        }
        self.fs.block(blk).map(|b| b.to_vec()).map_err(|e| format!("block {blk} cannot be read: {e}"))
    }

    // ---- inodes

    fn rec(&mut self, ino: u32) -> R<Vec<u8>> {
        let (blk, off) = self.fs.inode_location(ino).map_err(|e| format!("{e}"))?;
        let isz = self.fs.geo.inode_size as usize;
        let b = self.get(blk)?;
        b.get(off..off + isz).map(<[u8]>::to_vec).ok_or_else(|| format!("inode {ino} runs past its block"))
    }

    fn put(&mut self, ino: u32, rec: &mut [u8], with_csum: bool) -> R<()> {
        if self.csum && with_csum {
            let c = inode_checksum_with_seed(self.seed, ino, rec).computed;
            put16(rec, CHECKSUM_LO_OFFSET, c as u16);
            let extra = if rec.len() > GOOD_OLD_INODE_SIZE { usize::from(le16(rec, 0x80)) } else { 0 };
            if rec.len() > GOOD_OLD_INODE_SIZE && extra >= CHECKSUM_HI_OFFSET + 2 - GOOD_OLD_INODE_SIZE {
                put16(rec, CHECKSUM_HI_OFFSET, (c >> 16) as u16);
            }
        }
        let (blk, off) = self.fs.inode_location(ino).map_err(|e| format!("{e}"))?;
        let b = self.get(blk)?;
        let dst =
            b.get_mut(off..off + rec.len()).ok_or_else(|| format!("inode {ino} runs past its block"))?;
        dst.copy_from_slice(rec);
        Ok(())
    }

    /// `ext4_iget(sb, ino, EXT4_IGET_NORMAL)` succeeds (checksums are not
    /// checked during fast-commit replay).
    fn iget(&mut self, ino: u32) -> R<Vec<u8>> {
        let first_ino = self.fs.sb.first_ino();
        if ino < 2 || (ino < first_ino && ino != 2) || ino > self.fs.sb.s_inodes_count {
            return Err(format!("inode {ino} is not a normal inode"));
        }
        let rec = self.rec(ino)?;
        if le16(&rec, 0x1A) == 0 {
            return Err(format!("inode {ino} has no links (deleted)"));
        }
        Ok(rec)
    }

    fn set_time(&self, rec: &mut [u8], lo: usize, extra: Option<usize>) {
        let now = self.now;
        put32(rec, lo, now as u32);
        if let Some(x) = extra {
            let covered = rec.len() > GOOD_OLD_INODE_SIZE
                && x + 4 <= GOOD_OLD_INODE_SIZE + usize::from(le16(rec, 0x80));
            if covered {
                let epoch = ((now - i64::from(now as u32 as i32)) >> 32) as u32 & 3;
                put32(rec, x, epoch);
            }
        }
    }

    fn record_modified(&mut self, ino: u32) {
        if !self.modified.contains(&ino) {
            self.modified.push(ino);
        }
    }

    // ---- group descriptors and bitmaps

    fn gd(&mut self, g: u32) -> R<Vec<u8>> {
        if g >= self.fs.geo.groups_count {
            return Err(format!("group {g} does not exist"));
        }
        let (blk, off) = self.fs.geo.descriptor_location(g);
        let ds = self.fs.geo.desc_size as usize;
        let b = self.get(blk)?;
        b.get(off..off + ds).map(<[u8]>::to_vec).ok_or_else(|| format!("descriptor {g} runs past its block"))
    }

    fn put_gd(&mut self, g: u32, d: &mut [u8]) -> R<()> {
        let c = desc_checksum(&self.fs.sb, g, d);
        if c.kind != crate::format::group_desc::ChecksumKind::None {
            put16(d, 0x1E, c.computed as u16);
        }
        let (blk, off) = self.fs.geo.descriptor_location(g);
        let b = self.get(blk)?;
        let dst =
            b.get_mut(off..off + d.len()).ok_or_else(|| format!("descriptor {g} runs past its block"))?;
        dst.copy_from_slice(d);
        Ok(())
    }

    fn gd_field(&self, d: &[u8], lo: usize, hi: usize) -> u32 {
        let mut v = u32::from(le16(d, lo));
        if self.fs.geo.desc_size >= 64 {
            v |= u32::from(le16(d, hi)) << 16;
        }
        v
    }

    fn set_gd_field(&self, d: &mut [u8], lo: usize, hi: usize, v: u32) {
        put16(d, lo, v as u16);
        if self.fs.geo.desc_size >= 64 {
            put16(d, hi, (v >> 16) as u16);
        }
    }

    fn gd_block(&self, d: &[u8], lo: usize, hi: usize) -> u64 {
        let mut v = u64::from(le32(d, lo));
        if self.fs.geo.desc_size >= 64 {
            v |= u64::from(le32(d, hi)) << 32;
        }
        v
    }

    /// The block bitmap of group `g` as the kernel reads it: a `BLOCK_UNINIT`
    /// group's is computed and the flag cleared, the free count set from it
    /// (`ext4_free_clusters_after_init`).
    fn block_bitmap(&mut self, g: u32, d: &mut [u8]) -> R<u64> {
        let blk = self.gd_block(d, 0x00, 0x20);
        let flags = le16(d, 0x12);
        if self.gd_csum && flags & BG_BLOCK_UNINIT != 0 {
            let init = self.fs.block_bitmap(g).map_err(|e| format!("{e}"))?;
            let bs = self.bs();
            let b = self.get(blk)?;
            b.fill(0xFF);
            let n = init.bits.len().min(bs);
            b[..n].copy_from_slice(&init.bits[..n]);
            put16(d, 0x12, flags & !BG_BLOCK_UNINIT);
            self.set_gd_field(d, 0x0C, 0x2C, init.computed_free);
        }
        Ok(blk)
    }

    fn bitmap_csum(&mut self, blk: u64, nbits: u32) -> R<u32> {
        let seed = self.seed;
        let n = (nbits as usize).div_ceil(8);
        let b = self.get(blk)?;
        Ok(crc32c(seed, b.get(..n).unwrap_or(b)))
    }

    /// `ext4_mb_mark_bb(block, len, used)`: bits changed counted into the
    /// descriptor's free count, checksums updated.
    fn mark_blocks(&mut self, start: u64, len: u64, used: bool) -> R<u64> {
        let geo = self.fs.geo;
        let mut blk = start;
        let end = start.checked_add(len).ok_or_else(|| format!("block range {start}+{len} overflows"))?;
        if start < geo.first_data_block || end > geo.blocks_count {
            return Err(format!("blocks {start}..{end} are outside the file system"));
        }
        let mut total = 0u64;
        while blk < end {
            let g = geo.group_of_block(blk).ok_or_else(|| format!("block {blk} has no group"))?;
            let first = geo.group_first_block(g);
            let n = (end - blk).min(u64::from(geo.blocks_per_group) - (blk - first));
            let mut d = self.gd(g)?;
            let bm = self.block_bitmap(g, &mut d)?;
            self.budget = self.budget.checked_sub(n).ok_or_else(|| {
                String::from(
                    "the replay's work limit is reached (block ranges far larger than the file system)",
                )
            })?;
            let bits = self.get(bm)?;
            let mut changed = 0u64;
            for i in (blk - first)..(blk - first + n) {
                let (byte, bit) = ((i / 8) as usize, (i % 8) as u8);
                let Some(x) = bits.get_mut(byte) else { break };
                let was = *x & (1 << bit) != 0;
                if was != used {
                    *x ^= 1 << bit;
                    changed += 1;
                }
            }
            let free = self.gd_field(&d, 0x0C, 0x2C);
            let c = u32::try_from(changed).unwrap_or(u32::MAX);
            let free = if used { free.saturating_sub(c) } else { free.saturating_add(c) };
            self.set_gd_field(&mut d, 0x0C, 0x2C, free);
            if self.csum {
                let cs = self.bitmap_csum(bm, self.fs.clusters_per_group())?;
                self.set_gd_field(&mut d, 0x18, 0x38, cs);
            }
            self.put_gd(g, &mut d)?;
            total += changed;
            blk += n;
        }
        Ok(total)
    }

    /// The inode bitmap block of group `g`, zeroed (end bits set) for an
    /// `INODE_UNINIT` group as `ext4_read_inode_bitmap` does.
    fn inode_bitmap(&mut self, d: &[u8]) -> R<u64> {
        let blk = self.gd_block(d, 0x04, 0x24);
        let flags = le16(d, 0x12);
        if self.gd_csum && flags & BG_INODE_UNINIT != 0 {
            let ipg = self.fs.geo.inodes_per_group as usize;
            let b = self.get(blk)?;
            b.fill(0);
            for i in ipg..b.len() * 8 {
                b[i / 8] |= 1 << (i % 8);
            }
        }
        Ok(blk)
    }

    /// `ext4_mark_inode_used`.
    fn mark_inode_used(&mut self, ino: u32) -> R<bool> {
        if ino < self.fs.sb.first_ino() || ino > self.fs.sb.s_inodes_count {
            return Err(format!("inode {ino} cannot be marked in use (below s_first_ino or past the end)"));
        }
        let ipg = self.fs.geo.inodes_per_group;
        let (g, bit) = ((ino - 1) / ipg, (ino - 1) % ipg);
        let mut d = self.gd(g)?;
        let bm = self.inode_bitmap(&d)?;
        {
            let b = self.get(bm)?;
            let byte = b.get_mut((bit / 8) as usize).ok_or_else(|| String::from("inode bitmap too short"))?;
            if *byte & (1 << (bit % 8)) != 0 {
                return Ok(false);
            }
            *byte |= 1 << (bit % 8);
        }
        if self.gd_csum && le16(&d, 0x12) & BG_BLOCK_UNINIT != 0 {
            let bb = self.block_bitmap(g, &mut d)?;
            if self.csum {
                let cs = self.bitmap_csum(bb, self.fs.clusters_per_group())?;
                self.set_gd_field(&mut d, 0x18, 0x38, cs);
            }
        }
        if self.gd_csum {
            let flags = le16(&d, 0x12);
            let mut free = ipg.saturating_sub(self.gd_field(&d, 0x1C, 0x32));
            if flags & BG_INODE_UNINIT != 0 {
                put16(&mut d, 0x12, flags & !BG_INODE_UNINIT);
                free = 0;
            }
            if bit >= free {
                self.set_gd_field(&mut d, 0x1C, 0x32, ipg - bit - 1);
            }
        }
        let fi = self.gd_field(&d, 0x0E, 0x2E).saturating_sub(1);
        self.set_gd_field(&mut d, 0x0E, 0x2E, fi);
        if self.csum {
            let cs = self.bitmap_csum(bm, ipg)?;
            self.set_gd_field(&mut d, 0x1A, 0x3A, cs);
        }
        self.put_gd(g, &mut d)?;
        Ok(true)
    }

    /// `ext4_free_inode`: the bit cleared, counts and checksums updated.
    fn free_inode(&mut self, ino: u32, dir: bool) -> R<()> {
        let ipg = self.fs.geo.inodes_per_group;
        let (g, bit) = ((ino - 1) / ipg, (ino - 1) % ipg);
        let mut d = self.gd(g)?;
        let bm = self.inode_bitmap(&d)?;
        let cleared = {
            let b = self.get(bm)?;
            let byte = b.get_mut((bit / 8) as usize).ok_or_else(|| String::from("inode bitmap too short"))?;
            let was = *byte & (1 << (bit % 8)) != 0;
            *byte &= !(1 << (bit % 8));
            was
        };
        if cleared {
            let fi = self.gd_field(&d, 0x0E, 0x2E).saturating_add(1);
            self.set_gd_field(&mut d, 0x0E, 0x2E, fi);
            if dir {
                let ud = self.gd_field(&d, 0x10, 0x30).saturating_sub(1);
                self.set_gd_field(&mut d, 0x10, 0x30, ud);
            }
        }
        if self.csum {
            let cs = self.bitmap_csum(bm, ipg)?;
            self.set_gd_field(&mut d, 0x1A, 0x3A, cs);
        }
        self.put_gd(g, &mut d)
    }

    /// `ext4_inode_to_goal_block` with delayed allocation (the default mount):
    /// the first block of the inode's group, or with flex_bg groups of 4 or
    /// more, of its flex group (plus one group for regular files).
    fn goal_block(&self, ino: u32, mode: u16) -> u64 {
        let geo = &self.fs.geo;
        let mut g = u64::from((ino.saturating_sub(1)) / geo.inodes_per_group.max(1));
        let flex = if self.fs.features().incompat(crate::format::features::INCOMPAT_FLEX_BG) {
            1u64 << self.fs.sb.s_log_groups_per_flex.min(31)
        } else {
            1
        };
        if flex >= 4 {
            g &= !(flex - 1);
            if FileType::from_mode(mode) == FileType::Regular {
                g += 1;
            }
        }
        geo.first_data_block.saturating_add(g.saturating_mul(u64::from(geo.blocks_per_group)))
    }

    /// `ext4_fc_replay_check_excluded`.
    fn excluded(&self, blk: u64) -> bool {
        self.excluded.iter().any(|&(p, l)| blk >= p && blk - p < l)
    }

    /// `ext4_mb_new_blocks_simple`, as `ext4_ext_grow_indepth` calls it: the
    /// first free block at or after the goal (wrapping through the groups)
    /// that no replayed range uses, marked in use.
    fn alloc_meta_block(&mut self, ino: u32, mode: u16) -> R<u64> {
        let geo = self.fs.geo;
        let mut goal = self.goal_block(ino, mode);
        if goal < geo.first_data_block || goal >= geo.blocks_count {
            goal = geo.first_data_block;
        }
        let mut g = geo.group_of_block(goal).ok_or_else(|| String::from("goal outside the file system"))?;
        let mut off = goal - geo.group_first_block(g);
        let max = u64::from(self.fs.clusters_per_group());
        for _ in 0..geo.groups_count {
            let mut d = self.gd(g)?;
            let bm = self.block_bitmap(g, &mut d)?;
            let bits = self.peek(bm)?;
            let first = geo.group_first_block(g);
            let mut i = off;
            while i < max {
                let set = bits.get((i / 8) as usize).is_none_or(|b| b & (1 << (i % 8)) != 0);
                if !set && !self.excluded(first + i) {
                    break;
                }
                i += 1;
            }
            if i < max {
                let blk = first + i;
                self.put_gd(g, &mut d)?;
                self.mark_blocks(blk, 1, true)?;
                return Ok(blk);
            }
            g = (g + 1) % geo.groups_count;
            off = 0;
        }
        Err(String::from("no free block for a new extent tree block (ENOSPC)"))
    }

    // ---- extent trees

    fn load_tree(&mut self, ino: u32, rec: &[u8]) -> R<Tree> {
        let ib = rec.get(I_BLOCK_OFFSET..I_BLOCK_OFFSET + I_BLOCK_LEN).unwrap_or(&[]);
        let h = ExtentHeader::parse(ib);
        if h.eh_magic != EXTENT_MAGIC {
            return Err(format!("inode {ino} has no extent header in i_block"));
        }
        let root_max = usize::from(h.eh_max);
        if root_max > node_capacity(I_BLOCK_LEN) || usize::from(h.eh_entries) > root_max || h.eh_depth > 5 {
            return Err(format!("inode {ino}: extent root header is corrupt"));
        }
        let mut t = Tree {
            depth: h.eh_depth,
            root_max,
            root_generation: h.eh_generation,
            leaves: Vec::new(),
            index_blocks: Vec::new(),
            freed: Vec::new(),
            grown: None,
        };
        if h.eh_depth == 0 {
            t.leaves.push(Leaf {
                block: None,
                max: root_max,
                generation: h.eh_generation,
                first: 0,
                exts: parse_exts(ib, usize::from(h.eh_entries)),
                dirty: false,
            });
            return Ok(t);
        }
        // (block, depth of the node, ei_block of its index entry)
        let mut todo: Vec<(u64, u16, u32)> = (0..usize::from(h.eh_entries))
            .map(|i| {
                let x = ExtentIdx::parse(ib.get(12 + 12 * i..).unwrap_or(&[]));
                (x.leaf(), h.eh_depth - 1, x.ei_block)
            })
            .collect();
        todo.reverse();
        let mut seen = BTreeSet::new();
        while let Some((blk, depth, first)) = todo.pop() {
            if seen.len() >= MAX_TREE_NODES || !seen.insert(blk) {
                return Err(format!("inode {ino}: extent tree loops or is too large"));
            }
            let node = self.peek(blk)?;
            let nh = ExtentHeader::parse(&node);
            let max = usize::from(nh.eh_max);
            if nh.eh_magic != EXTENT_MAGIC
                || nh.eh_depth != depth
                || usize::from(nh.eh_entries) > max
                || max > node_capacity(node.len())
            {
                return Err(format!("inode {ino}: extent tree block {blk} is corrupt"));
            }
            if depth == 0 {
                t.leaves.push(Leaf {
                    block: Some(blk),
                    max,
                    generation: nh.eh_generation,
                    first,
                    exts: parse_exts(&node, usize::from(nh.eh_entries)),
                    dirty: false,
                });
            } else {
                t.index_blocks.push(blk);
                for i in (0..usize::from(nh.eh_entries)).rev() {
                    let x = ExtentIdx::parse(node.get(12 + 12 * i..).unwrap_or(&[]));
                    todo.push((x.leaf(), depth - 1, x.ei_block));
                }
            }
        }
        Ok(t)
    }

    /// Write an edited tree back: the root into `rec`, changed leaves into
    /// their blocks (with the extent tail checksum), freed blocks cleared.
    fn store_tree(&mut self, ino: u32, rec: &mut [u8], t: &mut Tree) -> R<()> {
        if !t.editable() {
            return Err(format!(
                "inode {ino}: extent tree of depth {} (only depth 0 and 1 are edited)",
                t.depth
            ));
        }
        if t.depth == 1 {
            // ext4_ext_rm_idx: empty leaves go, with their index entry.
            let mut keep = Vec::new();
            for l in t.leaves.drain(..) {
                if l.exts.is_empty() {
                    if let Some(b) = l.block {
                        t.freed.push(b);
                    }
                } else {
                    keep.push(l);
                }
            }
            t.leaves = keep;
            if t.leaves.is_empty() {
                // Everything removed: the kernel resets the root to depth 0.
                t.depth = 0;
                t.leaves.push(Leaf {
                    block: None,
                    max: node_capacity(I_BLOCK_LEN),
                    generation: t.root_generation,
                    first: 0,
                    exts: Vec::new(),
                    dirty: true,
                });
                t.root_max = node_capacity(I_BLOCK_LEN);
            }
        }
        let mut ib = vec![0u8; I_BLOCK_LEN];
        if t.depth == 0 && t.leaves.first().is_some_and(|l| l.exts.len() > t.root_max) {
            // ext4_ext_grow_indepth: the root's extents move to a new leaf
            // block; the root keeps its old bytes after the one index entry.
            let blk = self.alloc_meta_block(ino, le16(rec, 0))?;
            if let Some(old) = rec.get(I_BLOCK_OFFSET + 24..I_BLOCK_OFFSET + I_BLOCK_LEN) {
                ib[24..].copy_from_slice(old);
            }
            let exts = t.leaves.pop().map(|l| l.exts).unwrap_or_default();
            let cap = node_capacity(self.bs());
            if let Some(b) = self.blocks.get_mut(&blk) {
                b.fill(0);
            } else {
                self.blocks.insert(blk, vec![0u8; self.bs()]);
            }
            t.leaves.push(Leaf {
                block: Some(blk),
                max: cap,
                generation: t.root_generation,
                first: exts.first().map_or(0, |e| e.lblk),
                exts,
                dirty: true,
            });
            t.depth = 1;
            t.root_max = node_capacity(I_BLOCK_LEN);
            t.grown = Some(blk);
        }
        put16(&mut ib, 0, EXTENT_MAGIC);
        put16(&mut ib, 4, t.root_max as u16);
        put16(&mut ib, 6, t.depth);
        put32(&mut ib, 8, t.root_generation);
        if t.depth == 0 {
            let leaf = t.leaves.first().ok_or_else(|| String::from("internal: no root"))?;
            if leaf.exts.len() > t.root_max {
                return Err(format!(
                    "inode {ino} would need {} extents in i_block (room for {}): the kernel grows the tree into a new block (ext4_ext_grow_indepth), not done here",
                    leaf.exts.len(),
                    t.root_max
                ));
            }
            put16(&mut ib, 2, leaf.exts.len() as u16);
            for (i, e) in leaf.exts.iter().enumerate() {
                e.encode(&mut ib[12 + 12 * i..24 + 12 * i]);
            }
        } else {
            if t.leaves.len() > t.root_max {
                return Err(format!("inode {ino}: {} leaves do not fit in i_block", t.leaves.len()));
            }
            put16(&mut ib, 2, t.leaves.len() as u16);
            let seed = inode_seed_from(self.seed, ino, le32(rec, 0x64));
            for (i, l) in t.leaves.iter_mut().enumerate() {
                if l.exts.len() > l.max {
                    return Err(format!(
                        "inode {ino}: leaf block {} would need {} extents (room for {}): the kernel splits it (ext4_ext_split), not done here",
                        l.block.unwrap_or(0),
                        l.exts.len(),
                        l.max
                    ));
                }
                if l.dirty {
                    if let Some(f) = l.exts.first() {
                        l.first = f.lblk;
                    }
                }
                let blk = l.block.ok_or_else(|| String::from("internal: leaf without a block"))?;
                put32(&mut ib, 12 + 12 * i, l.first);
                put32(&mut ib, 16 + 12 * i, blk as u32);
                put16(&mut ib, 20 + 12 * i, (blk >> 32) as u16);
                if !l.dirty {
                    continue;
                }
                let csum = self.csum;
                let b = self.get(blk)?;
                let tail = 12 + 12 * l.max;
                if tail + 4 > b.len() {
                    return Err(format!("inode {ino}: leaf block {blk} header is corrupt"));
                }
                put16(b, 0, EXTENT_MAGIC);
                put16(b, 2, l.exts.len() as u16);
                put16(b, 4, l.max as u16);
                put16(b, 6, 0);
                put32(b, 8, l.generation);
                b[12..tail].fill(0);
                for (k, e) in l.exts.iter().enumerate() {
                    e.encode(&mut b[12 + 12 * k..24 + 12 * k]);
                }
                if csum {
                    let c = crc32c(seed, &b[..tail]);
                    put32(b, tail, c);
                }
            }
        }
        if let Some(dst) = rec.get_mut(I_BLOCK_OFFSET..I_BLOCK_OFFSET + I_BLOCK_LEN) {
            dst.copy_from_slice(&ib);
        }
        for b in core::mem::take(&mut t.freed) {
            self.mark_blocks(b, 1, false)?;
        }
        Ok(())
    }

    /// Every block of an inode (data and tree), for freeing or marking.
    fn inode_blocks(&mut self, ino: u32, rec: &[u8]) -> R<Option<InodeBlocks>> {
        let flags = le32(rec, 0x20);
        if flags & INLINE_DATA_FL != 0 {
            return Ok(None);
        }
        if flags & EXTENTS_FL == 0 {
            if le32(rec, 0x1C) != 0 {
                return Err(format!(
                    "inode {ino} maps its blocks without extents (indirect blocks): not handled"
                ));
            }
            return Ok(None);
        }
        let t = self.load_tree(ino, rec)?;
        let data = t.exts().filter(|e| e.len > 0).map(|e| (e.pblk, u64::from(e.len))).collect();
        Ok(Some((data, t.tree_blocks())))
    }

    // ---- directories

    /// The directory's blocks in logical order (`i_size` / block size), as
    /// `ext4_read_dirblock` reads them.
    fn dir_blocks(&mut self, dir: u32, rec: &[u8]) -> R<Vec<u64>> {
        let flags = le32(rec, 0x20);
        if FileType::from_mode(le16(rec, 0)) != FileType::Directory {
            return Err(format!("inode {dir} is not a directory"));
        }
        if flags & INLINE_DATA_FL != 0 {
            return Err(format!("directory {dir} has inline data: not handled"));
        }
        if flags & 0x4000_0000 != 0 || flags & 0x800 != 0 {
            return Err(format!("directory {dir} is casefolded or encrypted: not handled"));
        }
        let t = self.load_tree(dir, rec)?;
        let size = u64::from(le32(rec, 0x04)) | u64::from(le32(rec, 0x6C)) << 32;
        let n = size / self.bs() as u64;
        if n > (1 << 20) {
            return Err(format!("directory {dir} claims {n} blocks"));
        }
        let mut exts: Vec<Ext> = t.exts().copied().collect();
        exts.sort_by_key(|e| e.lblk);
        let mut out = Vec::new();
        let mut k = 0usize;
        for l in 0..n {
            while exts.get(k).is_some_and(|e| e.end() <= l) {
                k += 1;
            }
            match exts.get(k) {
                Some(e) if u64::from(e.lblk) <= l => out.push(e.pblk + (l - u64::from(e.lblk))),
                _ => {
                    return Err(format!(
                        "directory {dir} has a hole at block {l} (the kernel fails: EFSCORRUPTED)"
                    ))
                }
            }
        }
        Ok(out)
    }

    /// The entries of a directory block: (offset, rec_len, inode, name_len).
    /// `Err` where `ext4_check_dir_entry` would fail.
    fn dir_entries(&self, b: &[u8], limit: usize, blk: u64) -> R<Vec<(usize, usize, u32, usize)>> {
        let bs = self.fs.block_size();
        let mut out = Vec::new();
        let mut off = 0usize;
        while off < limit {
            let rl = rec_len_from_disk(le16(b, off + 4), bs) as usize;
            let nl = usize::from(b.get(off + 6).copied().unwrap_or(0));
            if rl < 12 || !rl.is_multiple_of(4) || rl < 8 + nl || off + rl > limit {
                return Err(format!("directory block {blk}: bad entry at offset {off}"));
            }
            out.push((off, rl, le32(b, off), nl));
            off += rl;
        }
        Ok(out)
    }

    fn csum_limit(&self) -> usize {
        if self.csum {
            self.bs() - TAIL_SIZE
        } else {
            self.bs()
        }
    }

    /// Set a leaf block's tail checksum (`ext4_dirblock_csum_set`).
    fn dir_csum(&mut self, dir: u32, gen: u32, blk: u64) -> R<()> {
        if !self.csum {
            return Ok(());
        }
        let seed = self.seed;
        let b = self.get(blk)?;
        let len = b.len();
        let t = len - TAIL_SIZE;
        if le32(b, t) != 0 || le16(b, t + 4) != 12 || b[t + 6] != 0 || b[t + 7] != 0xDE {
            return Ok(()); // no tail: the kernel warns and leaves it
        }
        let mut c = crc32c(seed, &dir.to_le_bytes());
        c = crc32c(c, &gen.to_le_bytes());
        c = crc32c(c, &b[..t]);
        put32(b, t + 8, c);
        Ok(())
    }

    /// `ext4_add_entry` on a linear directory: the first block with room,
    /// `-EEXIST` (Ok(false)) when the name is met before room is found.
    fn add_entry(&mut self, dir: u32, drec: &mut Vec<u8>, name: &[u8], ino: u32, mode: u16) -> R<bool> {
        if le32(drec, 0x20) & INDEX_FL != 0
            && self.fs.features().compat(crate::format::features::COMPAT_DIR_INDEX)
        {
            return Err(format!("directory {dir} is an htree: adding an entry is not handled"));
        }
        let blocks = self.dir_blocks(dir, drec)?;
        let need = rec_len_needed(name.len()) as usize;
        let limit = self.csum_limit();
        let filetype = self.fs.features().incompat(INCOMPAT_FILETYPE);
        let gen = le32(drec, 0x64);
        for blk in blocks {
            let b = self.peek(blk)?;
            let ents = self.dir_entries(&b, limit, blk)?;
            let top = limit.saturating_sub(need);
            let mut dest = None;
            for &(off, rl, eino, nl) in &ents {
                if off > top {
                    break;
                }
                if eino != 0 && nl == name.len() && b.get(off + 8..off + 8 + nl) == Some(name) {
                    return Ok(false);
                }
                let nlen = rec_len_needed(nl) as usize;
                let room = if eino != 0 { rl.saturating_sub(nlen) } else { rl };
                if room >= need {
                    dest = Some((off, rl, eino, nl));
                    break;
                }
            }
            let Some((mut off, rl, eino, nl)) = dest else { continue };
            let bsz = self.fs.block_size();
            let to_disk =
                |l: usize| if l >= 65536 || (l as u32) == bsz && bsz >= 65536 { 0xFFFFu16 } else { l as u16 };
            let bm = self.get(blk)?;
            if eino != 0 {
                let nlen = rec_len_needed(nl) as usize;
                put16(bm, off + 4, to_disk(nlen));
                off += nlen;
                put16(bm, off + 4, to_disk(rl - nlen));
            }
            put32(bm, off, ino);
            bm[off + 6] = name.len() as u8;
            bm[off + 7] = if filetype { file_type_for(FileType::from_mode(mode)) } else { 0 };
            if let Some(dst) = bm.get_mut(off + 8..off + 8 + name.len()) {
                dst.copy_from_slice(name);
            }
            self.dir_csum(dir, gen, blk)?;
            self.set_time(drec, 0x10, Some(0x88));
            self.set_time(drec, 0x0C, Some(0x84));
            let mut d = drec.clone();
            self.put(dir, &mut d, true)?;
            *drec = d;
            return Ok(true);
        }
        Err(format!(
            "directory {dir} has no room for {:?}: the kernel appends a block (ext4_append), not done here",
            String::from_utf8_lossy(name)
        ))
    }

    /// `ext4_find_entry` + `ext4_delete_entry`: the live entry `name`, its
    /// inode and where it is.
    fn find_entry(&mut self, dir: u32, drec: &[u8], name: &[u8]) -> R<Option<(u64, usize, u32)>> {
        let blocks = self.dir_blocks(dir, drec)?;
        let limit = self.csum_limit();
        for blk in blocks {
            let b = self.peek(blk)?;
            let Ok(ents) = self.dir_entries(&b, limit, blk) else { continue };
            for &(off, _, eino, nl) in &ents {
                if eino != 0 && nl == name.len() && b.get(off + 8..off + 8 + nl) == Some(name) {
                    return Ok(Some((blk, off, eino)));
                }
            }
        }
        Ok(None)
    }

    fn delete_entry(&mut self, dir: u32, gen: u32, blk: u64, at: usize) -> R<()> {
        let limit = self.csum_limit();
        let b = self.peek(blk)?;
        let ents = self.dir_entries(&b, limit, blk)?;
        let pos = ents.iter().position(|e| e.0 == at).ok_or_else(|| String::from("entry vanished"))?;
        let (off, rl, _, _) = ents[pos];
        let bsz = self.fs.block_size();
        let bm = self.get(blk)?;
        if pos > 0 {
            let (poff, prl, _, _) = ents[pos - 1];
            let l = prl + rl;
            put16(
                bm,
                poff + 4,
                if l >= 65536 || (l as u32 == bsz && bsz >= 65536) { 0xFFFF } else { l as u16 },
            );
            bm[off..off + rl].fill(0);
        } else {
            put32(bm, off, 0);
            bm[off + 6..off + rl].fill(0);
        }
        self.dir_csum(dir, gen, blk)
    }

    // ---- the tags

    fn inode_tag(&mut self, ino: u32, raw: &[u8]) -> R<String> {
        let mut said = Vec::new();
        // ext4_ext_clear_bb: the blocks the inode has now are freed.
        if let Ok(rec) = self.iget(ino) {
            if let Some((data, tree)) = self.inode_blocks(ino, &rec)? {
                let mut n = 0;
                for b in &tree {
                    n += self.mark_blocks(*b, 1, false)?;
                    self.excluded.push((*b, 1));
                }
                for &(p, l) in &data {
                    n += self.mark_blocks(p, l, false)?;
                    self.excluded.push((p, l));
                }
                said.push(format!("{n} block bits of its old map cleared"));
            }
        }
        self.record_modified(ino);
        if raw.len() < GOOD_OLD_INODE_SIZE {
            return Err(format!("the logged inode is {} bytes, shorter than 128", raw.len()));
        }
        let mut rec = self.rec(ino)?;
        let n = raw.len().min(rec.len());
        rec[..I_BLOCK_OFFSET].copy_from_slice(&raw[..I_BLOCK_OFFSET]);
        rec[0x64..n].copy_from_slice(&raw[0x64..n]);
        let flags = le32(&rec, 0x20);
        if flags & EXTENTS_FL != 0 {
            if le16(&rec, I_BLOCK_OFFSET) != EXTENT_MAGIC {
                rec[I_BLOCK_OFFSET..I_BLOCK_OFFSET + 12].fill(0);
                put16(&mut rec, I_BLOCK_OFFSET, EXTENT_MAGIC);
                put16(&mut rec, I_BLOCK_OFFSET + 4, node_capacity(I_BLOCK_LEN) as u16);
                said.push(String::from("empty extent root"));
            } else {
                said.push(String::from("i_block kept"));
            }
        } else if flags & INLINE_DATA_FL != 0 {
            rec[I_BLOCK_OFFSET..I_BLOCK_OFFSET + I_BLOCK_LEN]
                .copy_from_slice(&raw[I_BLOCK_OFFSET..I_BLOCK_OFFSET + I_BLOCK_LEN]);
            said.push(String::from("inline i_block copied"));
        } else {
            said.push(String::from("i_block kept"));
        }
        if ino < self.fs.sb.first_ino() {
            // ext4_mark_inode_used fails: the record stays as copied.
            self.put(ino, &mut rec, false)?;
            return Err(format!(
                "inode {ino} is below s_first_ino: the kernel writes the copied record and stops (checksum not updated)"
            ));
        }
        self.put(ino, &mut rec, false)?;
        if self.mark_inode_used(ino)? {
            said.push(String::from("marked in use"));
        }
        if le16(&rec, 0x1A) == 0 {
            return Err(format!(
                "inode {ino} has no links after the copy: the kernel's iget fails (EFSCORRUPTED)"
            ));
        }
        if flags & INLINE_DATA_FL == 0 {
            // ext4_ext_replay_set_iblocks.
            let blocks = match self.inode_blocks(ino, &rec)? {
                Some((data, tree)) => {
                    let d: u64 = data.iter().map(|x| x.1).sum();
                    if d == 0 {
                        0
                    } else {
                        d + tree.len() as u64
                    }
                }
                None => 0,
            };
            let sectors = blocks.saturating_mul(u64::from(self.fs.block_size() / 512));
            if let Ok(lo) = u32::try_from(sectors) {
                put32(&mut rec, 0x1C, lo);
                put16(&mut rec, 0x74, 0);
                let f = le32(&rec, 0x20) & !crate::format::inode::HUGE_FILE_FL;
                put32(&mut rec, 0x20, f);
            } else {
                return Err(format!("inode {ino}: {sectors} sectors do not fit i_blocks_lo"));
            }
            said.push(format!("i_blocks {sectors}"));
        }
        self.put(ino, &mut rec, true)?;
        Ok(format!(
            "inode {ino}: record copied (mode 0{:o}, size {}, links {}); {}",
            le16(&rec, 0),
            u64::from(le32(&rec, 4)) | u64::from(le32(&rec, 0x6C)) << 32,
            le16(&rec, 0x1A),
            said.join(", ")
        ))
    }

    fn add_range(&mut self, ino: u32, lblk: u32, len: u32, pblk: u64, unwritten: bool) -> R<String> {
        let Ok(mut rec) = self.iget(ino) else {
            return Ok(format!("inode {ino} not found: skipped"));
        };
        self.record_modified(ino);
        if le32(&rec, 0x20) & EXTENTS_FL == 0 {
            return Err(format!("inode {ino} does not use extents: not handled"));
        }
        let mut t = self.load_tree(ino, &rec)?;
        let mut cur = u64::from(lblk);
        let end = cur + u64::from(len);
        let mut said = Vec::new();
        let mut guard = 0usize;
        while cur < end {
            guard += 1;
            if guard > 1 << 16 {
                return Err(String::from("too many pieces"));
            }
            let want = pblk + (cur - u64::from(lblk));
            let remaining = (end - cur) as u32;
            match t.map(cur as u32, remaining) {
                Mapping::Hole { len: n } => {
                    let n = n.max(1).min(remaining);
                    t.insert(Ext { lblk: cur as u32, len: n, pblk: want, unwritten });
                    said.push(format!("{n} blocks from {cur} mapped to {want}"));
                    cur += u64::from(n);
                }
                Mapping::Mapped { pblk: have, len: n, .. } if have != want => {
                    t.set_range(cur as u32, n, want, unwritten);
                    self.mark_blocks(have, u64::from(n), false)?;
                    said.push(format!("{n} blocks from {cur} remapped from {have} to {want}"));
                    cur += u64::from(n);
                }
                Mapping::Mapped { len: n, unwritten: was, .. } => {
                    if was != unwritten {
                        t.set_range(cur as u32, n, want, unwritten);
                        said.push(format!(
                            "{n} blocks from {cur} now {}",
                            if unwritten { "unwritten" } else { "written" }
                        ));
                    }
                    t.shrink(end);
                    cur += u64::from(n);
                }
            }
        }
        let size = u64::from(le32(&rec, 4)) | u64::from(le32(&rec, 0x6C)) << 32;
        t.shrink(size >> self.fs.block_size().trailing_zeros());
        self.store_tree(ino, &mut rec, &mut t)?;
        self.put(ino, &mut rec, true)?;
        if said.is_empty() {
            said.push(String::from("already mapped"));
        }
        Ok(format!("inode {ino}: {}", said.join("; ")))
    }

    fn del_range(&mut self, ino: u32, lblk: u32, len: u32) -> R<String> {
        let Ok(mut rec) = self.iget(ino) else {
            return Ok(format!("inode {ino} not found: skipped"));
        };
        self.record_modified(ino);
        if le32(&rec, 0x20) & EXTENTS_FL == 0 {
            return Err(format!("inode {ino} does not use extents: not handled"));
        }
        if len == 0 {
            return Ok(format!("inode {ino}: empty range"));
        }
        let last = u64::from(lblk) + u64::from(len) - 1;
        if last > 0xFFFF_FFFF {
            return Err(format!("inode {ino}: range {lblk}+{len} wraps past logical block 2^32"));
        }
        let mut t = self.load_tree(ino, &rec)?;
        let removed = t.punch(u64::from(lblk), last);
        let mut n = 0u64;
        for &(p, l) in &removed {
            self.mark_blocks(p, l, false)?;
            n += l;
        }
        let size = u64::from(le32(&rec, 4)) | u64::from(le32(&rec, 0x6C)) << 32;
        t.shrink(size >> self.fs.block_size().trailing_zeros());
        self.store_tree(ino, &mut rec, &mut t)?;
        self.put(ino, &mut rec, true)?;
        Ok(format!("inode {ino}: {n} blocks unmapped from {lblk}..={last} and freed"))
    }

    /// `ext4_fc_replay_link_internal` + `__ext4_link`: Ok(true) when added.
    fn link_internal(&mut self, parent: u32, ino: u32, name: &[u8]) -> R<Option<bool>> {
        let Ok(mut drec) = self.iget(parent) else {
            return Ok(None);
        };
        let rec = self.rec(ino)?;
        let added = self.add_entry(parent, &mut drec, name, ino, le16(&rec, 0))?;
        if added {
            let mut rec = self.rec(ino)?;
            let l = le16(&rec, 0x1A).wrapping_add(1);
            put16(&mut rec, 0x1A, l);
            self.set_time(&mut rec, 0x0C, Some(0x84));
            self.put(ino, &mut rec, true)?;
        }
        Ok(Some(added))
    }

    fn link(&mut self, parent: u32, ino: u32, name: &[u8]) -> R<String> {
        if self.iget(ino).is_err() {
            return Ok(format!("inode {ino} not found: skipped"));
        }
        Ok(match self.link_internal(parent, ino, name)? {
            None => format!("directory {parent} not found: skipped"),
            Some(true) => {
                format!("{:?} -> inode {ino} added to directory {parent}", String::from_utf8_lossy(name))
            }
            Some(false) => format!("{:?} already in directory {parent}", String::from_utf8_lossy(name)),
        })
    }

    fn creat(&mut self, parent: u32, ino: u32, name: &[u8]) -> R<String> {
        self.mark_inode_used(ino).map_err(|e| format!("{e}: the kernel's replay fails here"))?;
        let rec = self.iget(ino).map_err(|e| format!("{e}: the kernel's replay fails here (EINVAL)"))?;
        if FileType::from_mode(le16(&rec, 0)) == FileType::Directory {
            return Err(format!(
                "inode {ino} is a directory: the kernel writes its . and .. block (ext4_init_new_dir), not done here"
            ));
        }
        let r = self.link_internal(parent, ino, name)?;
        let mut rec = self.rec(ino)?;
        put16(&mut rec, 0x1A, 1);
        self.put(ino, &mut rec, true)?;
        Ok(match r {
            None => format!("directory {parent} not found; inode {ino} links set to 1"),
            Some(true) => format!(
                "{:?} -> inode {ino} created in directory {parent}, links set to 1",
                String::from_utf8_lossy(name)
            ),
            Some(false) => {
                format!("{:?} already in directory {parent}; links set to 1", String::from_utf8_lossy(name))
            }
        })
    }

    fn unlink(&mut self, parent: u32, ino: u32, name: &[u8]) -> R<String> {
        if self.iget(ino).is_err() {
            return Ok(format!("inode {ino} not found: skipped"));
        }
        let Ok(mut drec) = self.iget(parent) else {
            return Ok(format!("directory {parent} not found: skipped"));
        };
        let Some((blk, off, found)) = self.find_entry(parent, &drec, name)? else {
            return Ok(format!("{:?} not in directory {parent}: skipped", String::from_utf8_lossy(name)));
        };
        let mut said = Vec::new();
        if found == ino {
            let gen = le32(&drec, 0x64);
            self.delete_entry(parent, gen, blk, off)?;
            self.set_time(&mut drec, 0x10, Some(0x88));
            self.set_time(&mut drec, 0x0C, Some(0x84));
            self.put(parent, &mut drec, true)?;
            said.push(format!("{:?} removed from directory {parent}", String::from_utf8_lossy(name)));
        } else {
            said.push(format!(
                "{:?} names inode {found}, not {ino}: entry kept",
                String::from_utf8_lossy(name)
            ));
        }
        let mut rec = self.rec(ino)?;
        let links = le16(&rec, 0x1A);
        if links > 0 {
            put16(&mut rec, 0x1A, links - 1);
        }
        self.set_time(&mut rec, 0x0C, Some(0x84));
        self.put(ino, &mut rec, true)?;
        if links <= 1 {
            said.push(self.delete_inode(ino)?);
        } else {
            said.push(format!("inode {ino} links {}", links - 1));
        }
        Ok(said.join("; "))
    }

    /// `ext4_evict_inode` of an inode whose last link went: size 0, blocks
    /// freed (`ext4_truncate`; `i_blocks` is left, as replay's block freeing
    /// does not count), `i_dtime`, inode freed.
    fn delete_inode(&mut self, ino: u32) -> R<String> {
        let mut rec = self.rec(ino)?;
        if le32(&rec, 0x68) != 0 || (rec.len() > GOOD_OLD_INODE_SIZE && le16(&rec, 0x76) != 0) {
            return Err(format!("inode {ino} has an xattr block: deleting it is not handled"));
        }
        let dir = FileType::from_mode(le16(&rec, 0)) == FileType::Directory;
        put32(&mut rec, 0x04, 0);
        put32(&mut rec, 0x6C, 0);
        let mut freed = 0u64;
        if le32(&rec, 0x20) & EXTENTS_FL != 0 && le32(&rec, 0x1C) != 0 {
            let mut t = self.load_tree(ino, &rec)?;
            for b in t.tree_blocks() {
                freed += self.mark_blocks(b, 1, false)?;
            }
            for e in t.exts().copied().collect::<Vec<_>>() {
                freed += self.mark_blocks(e.pblk, u64::from(e.len), false)?;
            }
            t.leaves = vec![Leaf {
                block: None,
                max: node_capacity(I_BLOCK_LEN),
                generation: t.root_generation,
                first: 0,
                exts: Vec::new(),
                dirty: true,
            }];
            t.index_blocks.clear();
            t.depth = 0;
            t.root_max = node_capacity(I_BLOCK_LEN);
            self.store_tree(ino, &mut rec, &mut t)?;
        } else if le32(&rec, 0x20) & (EXTENTS_FL | INLINE_DATA_FL) == 0 && le32(&rec, 0x1C) != 0 {
            return Err(format!("inode {ino} maps blocks without extents: deleting it is not handled"));
        }
        put32(&mut rec, 0x14, self.now as u32);
        self.put(ino, &mut rec, true)?;
        self.free_inode(ino, dir)?;
        Ok(format!("inode {ino} deleted ({freed} block bits cleared, inode freed)"))
    }

    /// `ext4_fc_set_bitmaps_and_counters`.
    fn set_bitmaps(&mut self) {
        for ino in self.modified.clone() {
            let Ok(rec) = self.iget(ino) else { continue };
            match self.inode_blocks(ino, &rec) {
                Ok(Some((data, tree))) => {
                    let mut err = None;
                    for b in tree {
                        if let Err(e) = self.mark_blocks(b, 1, true) {
                            err = Some(e);
                        }
                    }
                    for (p, l) in data {
                        if let Err(e) = self.mark_blocks(p, l, true) {
                            err = Some(e);
                        }
                    }
                    if let Some(e) = err {
                        self.problems.push(format!("marking the blocks of inode {ino} in use: {e}"));
                    }
                }
                Ok(None) => {}
                Err(e) => self.problems.push(format!("marking the blocks of inode {ino} in use: {e}")),
            }
        }
    }

    /// The superblock's free counts from the descriptors.
    fn superblock_counts(&mut self) -> R<()> {
        let (mut fb, mut fi) = (0u64, 0u64);
        for g in 0..self.fs.geo.groups_count {
            let d = self.gd(g)?;
            fb += u64::from(self.gd_field(&d, 0x0C, 0x2C));
            fi += u64::from(self.gd_field(&d, 0x0E, 0x2E));
        }
        let bs = self.bs() as u64;
        let blk = SUPERBLOCK_OFFSET / bs;
        let off = (SUPERBLOCK_OFFSET % bs) as usize;
        let wide = self.fs.features().incompat(crate::format::features::INCOMPAT_64BIT);
        let csum = self.csum;
        let b = self.get(blk)?;
        let sb = b.get_mut(off..off + 1024).ok_or_else(|| String::from("superblock runs past its block"))?;
        put32(sb, 0x0C, fb as u32);
        if wide {
            put32(sb, 0x158, (fb >> 32) as u32);
        }
        put32(sb, 0x10, fi as u32);
        if csum {
            let c = superblock_checksum(sb);
            put32(sb, CHECKSUM_OFFSET, c);
        }
        Ok(())
    }
}

/// Replay the fast commits `area` accepts on `fs` (the image after the
/// full-commit replay: `base.with_overlay(full_replay_overlay)`), writing the
/// blocks they change into `overlay` (that same overlay, to open as
/// `base.with_overlay(Rc::new(overlay))` afterwards). `now` is the time the
/// kernel would stamp (seconds since the epoch): directory and inode ctime and
/// mtime on link and unlink, `i_dtime` of a deleted inode; the kernel uses the
/// clock at mount time.
pub fn replay(fs: &Fs, area: &FastCommitArea, overlay: &mut Overlay, now: i64) -> FcReplayReport {
    let mut report = FcReplayReport::default();
    if area.outcome != Some(FcOutcome::Replay) {
        return report;
    }
    if fs.geo.cluster_ratio > 1 {
        report.problems.push(String::from("bigalloc file systems are not replayed"));
        return report;
    }
    let mut rp = Rp {
        fs,
        blocks: BTreeMap::new(),
        now,
        modified: Vec::new(),
        actions: Vec::new(),
        problems: Vec::new(),
        csum: fs.sb.has_metadata_csum(),
        gd_csum: fs.sb.has_metadata_csum() || fs.features().ro_compat(RO_COMPAT_GDT_CSUM),
        seed: fs.sb.csum_seed(),
        budget: fs.geo.blocks_count.saturating_mul(8).saturating_add(1 << 24),
        excluded: area
            .tags
            .iter()
            .take(area.replay_tags)
            .filter_map(|t| match t.value {
                FcValue::AddRange { ino, len, pblk, .. } if ino != 0 && len != 0 => {
                    Some((pblk, u64::from(len)))
                }
                _ => None,
            })
            .collect(),
    };
    for (i, t) in area.tags.iter().enumerate().take(area.replay_tags) {
        if !t.replayed {
            continue;
        }
        report.tags += 1;
        let r: R<String> = match &t.value {
            FcValue::Inode { ino, raw, .. } => rp.inode_tag(*ino, raw),
            FcValue::AddRange { ino, lblk, len, pblk, unwritten } => {
                rp.add_range(*ino, *lblk, *len, *pblk, *unwritten)
            }
            FcValue::DelRange { ino, lblk, len } => rp.del_range(*ino, *lblk, *len),
            FcValue::Dentry { parent, ino, name_bytes, .. } => match t.tag {
                TAG_CREAT => rp.creat(*parent, *ino, name_bytes),
                TAG_LINK => rp.link(*parent, *ino, name_bytes),
                _ => rp.unlink(*parent, *ino, name_bytes),
            },
            FcValue::Head { .. } | FcValue::Pad | FcValue::Tail { .. } => continue,
            FcValue::Invalid { .. } => Err(String::from("invalid tag in the replayed region")),
        };
        match r {
            Ok(done) => rp.actions.push(FcAction { tag: i, name: t.name, done }),
            Err(why) => rp.problems.push(format!(
                "tag {i} ({} at journal block {} offset {}): {why}",
                t.name, t.block, t.offset
            )),
        }
    }
    rp.set_bitmaps();
    if let Err(e) = rp.superblock_counts() {
        rp.problems.push(format!("superblock free counts: {e}"));
    }
    for (blk, data) in core::mem::take(&mut rp.blocks) {
        let same = fs.block(blk).is_ok_and(|b| b[..] == data[..]);
        if !same {
            overlay.write(blk, Rc::from(data));
            report.blocks_written.push(blk);
        }
    }
    report.actions = rp.actions;
    report.modified_inodes = rp.modified;
    report.problems.extend(rp.problems);
    report
}
