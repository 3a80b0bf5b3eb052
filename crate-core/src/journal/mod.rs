//! The jbd2 journal as recovery sees it: where it lives, its superblock, the
//! log walked from `s_start` (transactions, tags, revokes, checksums), replay to
//! any crash point as an [`Overlay`](crate::Overlay), and what each logged
//! block is and changes.
//!
//! - [`Journal::open`] (this file): the journal inode (any block map), the
//!   journal superblock, the ring's bounds; an external journal is named.
//! - [`log`]: the walk, as `do_one_pass(PASS_SCAN)` walks it, plus history.
//! - [`replay`]: PASS_REVOKE + PASS_REPLAY through transaction N → overlay,
//!   and the replayed image as e2fsck leaves it.
//! - [`diff`]: a logged block decoded at its home location and diffed.
//! - [`fast_commit`]: the fast-commit area and its tags.
//!
//! Single blocks (superblock, descriptor tags, commit, revoke) are parsed by
//! [`crate::format::journal`]; nothing here repeats a layout.

pub mod diff;
pub mod fast_commit;
pub mod log;
pub mod replay;

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

use crate::error::{Location, Problem, Result, Severity};
use crate::filemap::FileMap;
use crate::format::features::{COMPAT_HAS_JOURNAL, INCOMPAT_JOURNAL_DEV, INCOMPAT_RECOVER};
use crate::format::group_desc::ChecksumStatus;
use crate::format::journal::{
    self as jfmt, JournalFeatures, JournalSuperblock, BT_SUPERBLOCK_V1, BT_SUPERBLOCK_V2,
    INCOMPAT_FAST_COMMIT,
};
use crate::format::superblock::uuid_string;
use crate::fs::Fs;
use crate::io::Block;

pub use log::{Log, LogBlock, Transaction};

/// Fast-commit blocks when `s_num_fc_blks` is 0 (`JBD2_DEFAULT_FAST_COMMIT_BLOCKS`).
pub const DEFAULT_FAST_COMMIT_BLOCKS: u32 = 256;

/// Incompat features this reader (and e2fsprogs 1.47.0) knows.
pub const KNOWN_INCOMPAT: u32 = jfmt::INCOMPAT_REVOKE
    | jfmt::INCOMPAT_64BIT
    | jfmt::INCOMPAT_ASYNC_COMMIT
    | jfmt::INCOMPAT_CSUM_V2
    | jfmt::INCOMPAT_CSUM_V3
    | INCOMPAT_FAST_COMMIT;

/// Where the journal is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum JournalLocation {
    /// In an inode of this file system (normally 8).
    Internal {
        /// `s_journal_inum`.
        inode: u32,
    },
    /// On another device: named, not read.
    External {
        /// `s_journal_uuid`, formatted.
        uuid: String,
        /// `s_journal_dev`.
        device: u32,
    },
}

/// The journal superblock, as the CLI and the views show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuperblockInfo {
    /// 1 or 2 (`h_blocktype` 3 or 4).
    pub version: u32,
    /// `s_blocksize`.
    pub block_size: u32,
    /// `s_maxlen`: blocks in the journal.
    pub maxlen: u32,
    /// `s_first`: the first log block.
    pub first: u32,
    /// `s_sequence`: the first transaction expected in the log.
    pub sequence: u32,
    /// `s_start`: the first log block (0: the journal is empty, no recovery).
    pub start: u32,
    /// `s_errno`.
    pub errno: i32,
    /// Feature names as dumpe2fs prints them.
    pub features: Vec<String>,
    /// `s_feature_compat`.
    pub compat: u32,
    /// `s_feature_incompat`.
    pub incompat: u32,
    /// `s_feature_ro_compat`.
    pub ro_compat: u32,
    /// `s_uuid`.
    pub uuid: String,
    /// `s_nr_users`.
    pub nr_users: u32,
    /// `s_checksum_type` (4 = crc32c).
    pub checksum_type: u8,
    /// The superblock's own checksum (v2/v3).
    pub checksum: ChecksumStatus,
    /// `s_num_fc_blks` (0 unless fast_commit; then 0 means 256).
    pub num_fc_blocks: u32,
    /// Bytes per descriptor tag.
    pub tag_bytes: u32,
}

/// An opened journal.
#[derive(Debug, Clone)]
pub struct Journal {
    /// Where it is.
    pub location: JournalLocation,
    /// The journal inode's block map (internal journals).
    pub map: Option<FileMap>,
    /// The journal superblock's bytes (first 1024).
    pub sb_raw: Vec<u8>,
    /// The decoded superblock.
    pub sb: JournalSuperblock,
    /// Layout features and the checksum seed.
    pub features: JournalFeatures,
    /// Journal block size (the file system's).
    pub block_size: u32,
    /// `j_first`: first block of the log ring.
    pub first: u32,
    /// `j_last`: one past the last block of the log ring (the fast-commit area
    /// after it when `fast_commit`).
    pub last: u32,
    /// Fast-commit area: first journal block and count.
    pub fc_area: Option<(u32, u32)>,
    /// The file system says `needs_recovery`.
    pub needs_recovery: bool,
    /// Why recovery would refuse this journal outright (e2fsck "journal
    /// superblock is corrupt", unknown incompat features), if it would.
    pub refused: Option<String>,
    /// Problems with the journal itself.
    pub problems: Vec<Problem>,
}

impl Journal {
    /// The journal of `fs`, or `None` when it has none. An external journal
    /// is returned with [`JournalLocation::External`] and nothing to walk.
    pub fn open(fs: &Fs) -> Result<Option<Journal>> {
        let f = fs.features();
        let ino = fs.sb.s_journal_inum;
        let needs_recovery = f.incompat(INCOMPAT_RECOVER);
        if f.incompat(INCOMPAT_JOURNAL_DEV) {
            // This image *is* an external journal device: not a file system to walk.
            return Ok(None);
        }
        if !f.compat(COMPAT_HAS_JOURNAL) && ino == 0 {
            return Ok(None);
        }
        if ino == 0 {
            let location = JournalLocation::External {
                uuid: uuid_string(&fs.sb.s_journal_uuid),
                device: fs.sb.s_journal_dev,
            };
            let msg = String::from(
                "the journal is on another device (external journal): it is not in this image, so its log cannot be read",
            );
            return Ok(Some(Journal {
                location,
                map: None,
                sb_raw: Vec::new(),
                sb: JournalSuperblock::parse(&[]),
                features: JournalFeatures::default(),
                block_size: fs.block_size(),
                first: 0,
                last: 0,
                fc_area: None,
                needs_recovery,
                refused: Some(msg.clone()),
                problems: alloc::vec![Problem {
                    severity: Severity::Info,
                    structure: String::from("journal"),
                    at: Location::default(),
                    message: msg,
                }],
            }));
        }
        let inode = fs.inode(ino)?;
        let map = fs.file_map(&inode);
        let bs = fs.block_size();
        let mut problems: Vec<Problem> = map.problems.clone();
        let sb_raw: Vec<u8> = match map.lookup(0) {
            Some((b, _)) => {
                let blk = fs.block(b)?;
                blk.get(..1024).map(<[u8]>::to_vec).unwrap_or_default()
            }
            None => Vec::new(),
        };
        let sb = JournalSuperblock::parse(&sb_raw);
        let features = JournalFeatures::of(&sb);
        let at = Location::default().with_inode(ino);
        let mut refused = None;
        let mut refuse = |why: String, problems: &mut Vec<Problem>| {
            problems.push(Problem {
                severity: Severity::Error,
                structure: String::from("journal superblock"),
                at,
                message: why.clone(),
            });
            if refused.is_none() {
                refused = Some(why);
            }
        };
        let blocks_in_inode = inode.size() / u64::from(bs);
        if sb_raw.len() < 1024 || jfmt::header(&sb_raw).is_none() {
            refuse(
                format!("journal block 0 (inode {ino}) has no jbd2 magic number 0xC03B3998: the journal superblock is corrupt"),
                &mut problems,
            );
        } else if !matches!(sb.h_blocktype.0, BT_SUPERBLOCK_V1 | BT_SUPERBLOCK_V2) {
            refuse(
                format!("journal superblock has block type {}, expected 3 or 4", sb.h_blocktype.0),
                &mut problems,
            );
        } else if sb.s_blocksize.0 != bs {
            refuse(
                format!("journal block size {} differs from the file system's {bs}", sb.s_blocksize.0),
                &mut problems,
            );
        } else if u64::from(sb.s_maxlen.0) > blocks_in_inode {
            refuse(
                format!(
                    "s_maxlen {} is past the end of the journal inode ({blocks_in_inode} blocks)",
                    sb.s_maxlen.0
                ),
                &mut problems,
            );
        } else if sb.s_first.0 == 0 || sb.s_first.0 >= sb.s_maxlen.0 {
            refuse(
                format!("s_first {} is outside the journal (1..{})", sb.s_first.0, sb.s_maxlen.0),
                &mut problems,
            );
        }
        let unknown = features.incompat & !KNOWN_INCOMPAT;
        if unknown != 0 {
            refuse(format!("unknown incompatible journal features 0x{unknown:x}"), &mut problems);
        }
        let csum = jfmt::superblock_checksum(&sb_raw);
        if csum.ok == Some(false) {
            problems.push(Problem {
                severity: Severity::Error,
                structure: String::from("journal superblock"),
                at,
                message: format!(
                    "journal superblock checksum does not match (stored 0x{:08x}, computed 0x{:08x})",
                    csum.stored, csum.computed
                ),
            });
            if refused.is_none() {
                refused = Some(String::from("the journal superblock checksum does not match"));
            }
        }
        let maxlen = sb.s_maxlen.0;
        let first = sb.s_first.0;
        let mut last = maxlen;
        let mut fc_area = None;
        if features.incompat & INCOMPAT_FAST_COMMIT != 0 {
            let n = if sb.s_num_fc_blks.0 == 0 { DEFAULT_FAST_COMMIT_BLOCKS } else { sb.s_num_fc_blks.0 };
            match (maxlen.checked_sub(n), fast_commit::kernel_area(maxlen, sb.s_num_fc_blks.0)) {
                (Some(l), Some(area)) if l > sb.s_first.0 => {
                    // j_last = s_maxlen - n; the area starts one block later.
                    last = l;
                    fc_area = Some(area);
                }
                _ => problems.push(Problem {
                    severity: Severity::Error,
                    structure: String::from("journal superblock"),
                    at,
                    message: format!("{n} fast-commit blocks do not fit in a journal of {maxlen} blocks"),
                }),
            }
        }
        Ok(Some(Journal {
            location: JournalLocation::Internal { inode: ino },
            map: Some(map),
            sb_raw,
            sb,
            features,
            block_size: bs,
            first,
            last,
            fc_area,
            needs_recovery,
            refused,
            problems,
        }))
    }

    /// The superblock, for display.
    pub fn info(&self) -> SuperblockInfo {
        let sb = &self.sb;
        SuperblockInfo {
            version: if sb.h_blocktype.0 == BT_SUPERBLOCK_V2 { 2 } else { 1 },
            block_size: sb.s_blocksize.0,
            maxlen: sb.s_maxlen.0,
            first: sb.s_first.0,
            sequence: sb.s_sequence.0,
            start: sb.s_start.0,
            errno: sb.s_errno.0 as i32,
            features: self.features.names(),
            compat: self.features.compat,
            incompat: self.features.incompat,
            ro_compat: self.features.ro_compat,
            uuid: uuid_string(&sb.s_uuid),
            nr_users: sb.s_nr_users.0,
            checksum_type: sb.s_checksum_type,
            checksum: jfmt::superblock_checksum(&self.sb_raw),
            num_fc_blocks: sb.s_num_fc_blks.0,
            tag_bytes: self.features.tag_bytes() as u32,
        }
    }

    /// The file-system block that holds journal block `j`.
    pub fn fs_block(&self, j: u32) -> Option<u64> {
        self.map.as_ref()?.lookup(u64::from(j)).map(|(b, _)| b)
    }

    /// Journal block `j`, as it is in `fs`'s state of the image.
    pub fn read(&self, fs: &Fs, j: u32) -> Result<Block> {
        let b = self.fs_block(j).ok_or_else(|| {
            crate::Error::corrupt(
                "journal",
                Location::default(),
                format!("journal block {j} is not mapped by the journal inode"),
            )
        })?;
        fs.block(b)
    }

    /// Warm the cache with journal blocks `j, next(j), ...` (`count` of them):
    /// one host read per physically contiguous run, not one per block.
    pub fn prefetch(&self, fs: &Fs, j: u32, count: u32) {
        let mut at = j;
        let mut left = count.min(self.ring_len().max(1));
        while left > 0 {
            let Some(first) = self.fs_block(at) else { return };
            let mut n = 1u32;
            let mut next = self.next(at);
            while n < left && self.fs_block(next) == first.checked_add(u64::from(n)) && next > at {
                n += 1;
                next = self.next(next);
            }
            fs.image().cache().prefetch(first, u64::from(n));
            left -= n;
            at = next;
        }
    }

    /// Blocks read ahead when a walk reaches a journal block not in the cache.
    pub const READ_AHEAD: u32 = 256;

    /// Journal block `j` for a walk that goes on forward: on a cache miss the
    /// next [`Self::READ_AHEAD`] blocks come in one host read per physical
    /// run (a browser pays per read, not per byte).
    pub fn read_ahead(&self, fs: &Fs, j: u32) -> Result<Block> {
        if let Some(b) = self.fs_block(j) {
            if fs.image().overlay().and_then(|o| o.get(b)).is_none() && !fs.image().cache().is_cached(b) {
                self.prefetch(fs, j, Self::READ_AHEAD);
            }
        }
        self.read(fs, j)
    }

    /// `wrap()`: the block after `j` in the ring.
    pub fn next(&self, j: u32) -> u32 {
        let n = j.saturating_add(1);
        if n >= self.last {
            n - self.last.saturating_sub(self.first)
        } else {
            n
        }
    }

    /// Blocks in the log ring.
    pub fn ring_len(&self) -> u32 {
        self.last.saturating_sub(self.first)
    }
}
