//! Inodes as the mount reads them: `__ext4_iget`'s checks (for the root, the
//! journal inode and orphans), the root inode's own checks, and
//! `ext4_orphan_cleanup`.

use alloc::collections::BTreeSet;
use alloc::format;

use super::{Mount, StepStatus, Stop, EFSCORRUPTED, ERROR_FS};
use crate::format::extent::{ExtentHeader, EXTENT_MAGIC};
use crate::format::features::COMPAT_ORPHAN_FILE;
use crate::format::inode::{FileType, Inode, EXTENTS_FL, INLINE_DATA_FL, ROOT_INO};
use crate::fs::Fs;

/// `EFSBADCRC`, `ESTALE`, `EIO`.
const EFSBADCRC: i32 = -74;
const ESTALE: i32 = -116;
const EIO: i32 = -5;
/// `EXT4_BOOT_LOADER_INO`.
const BOOT_LOADER_INO: u32 = 5;
/// `S_IAPPEND` / `S_IMMUTABLE` as inode flags (`EXT4_APPEND_FL`, `EXT4_IMMUTABLE_FL`).
const APPEND_FL: u32 = 0x20;
const IMMUTABLE_FL: u32 = 0x10;
/// `EXT4_ENCRYPT_FL`.
pub(super) const ENCRYPT_FL: u32 = 0x800;

/// How an inode is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Iget {
    /// `EXT4_IGET_SPECIAL`: a reserved inode; unallocated is an error.
    Special,
    /// `EXT4_IGET_NORMAL` under `EXT4_ORPHAN_FS` (orphan cleanup): a deleted
    /// inode that still has a mode is read, it is what cleanup deletes.
    Orphan,
}

/// `__ext4_iget(sb, ino, flags, function, line)`: the inode, or the errno
/// after the kernel's error line. `function:line` is the caller's.
pub(super) fn iget(
    m: &mut Mount,
    fs: &Fs,
    ino: u32,
    flags: Iget,
    function: &str,
    line: Option<u32>,
) -> Result<Inode, i32> {
    let sb = &fs.sb;
    let special_ino = (ino < sb.first_ino() && ino != ROOT_INO)
        || [sb.s_usr_quota_inum, sb.s_grp_quota_inum, sb.s_prj_quota_inum].contains(&ino)
        || (fs.features().compat(COMPAT_ORPHAN_FILE) && ino == sb.s_orphan_file_inum);
    if (flags == Iget::Orphan && special_ino) || ino < ROOT_INO || ino > sb.s_inodes_count {
        m.error(function, line, format!("inode #{ino}: comm mount: iget: illegal inode #"));
        return Err(EFSCORRUPTED);
    }
    // __ext4_get_inode_loc
    let Some((g, _)) = fs.geo.inode_group(ino) else { return Err(EFSCORRUPTED) };
    let Ok(gr) = fs.group(g) else { return Err(EIO) };
    if gr.inode_table <= fs.geo.first_data_block || gr.inode_table >= fs.geo.blocks_count {
        m.error(
            "__ext4_get_inode_loc",
            None,
            format!("Invalid inode table block {} in block_group {g}", gr.inode_table),
        );
        return Err(EFSCORRUPTED);
    }
    let inode = match fs.inode(ino) {
        Ok(i) => i,
        Err(_) => {
            let blk = fs.inode_location(ino).map(|l| l.0).unwrap_or(0);
            m.error_inode("__ext4_get_inode_loc", None, ino, blk, "unable to read itable block");
            return Err(EIO);
        }
    };
    let isz = fs.geo.inode_size;
    if isz > 128 {
        let extra = u32::from(inode.raw.i_extra_isize);
        if 128 + extra > isz || extra & 3 != 0 {
            m.error_inode(
                function,
                line,
                ino,
                0,
                format!("iget: bad extra_isize {extra} (inode size {isz})"),
            );
            return Err(EFSCORRUPTED);
        }
    }
    if sb.s_creator_os != super::superblock::OS_HURD && inode.checksum.ok == Some(false) {
        m.error_inode(function, line, ino, 0, "iget: checksum invalid");
        return Err(EFSBADCRC);
    }
    if inode.links() == 0 {
        // `(mode == 0 || SPECIAL || !EXT4_ORPHAN_FS)`: normal reads happen
        // only under EXT4_ORPHAN_FS here.
        if (inode.mode() == 0 || flags == Iget::Special) && ino != BOOT_LOADER_INO {
            if flags == Iget::Special {
                m.error_inode(function, line, ino, 0, "iget: special inode unallocated");
                return Err(EFSCORRUPTED);
            }
            return Err(ESTALE);
        }
    }
    let size = inode.size();
    if size > i64::MAX as u64 {
        m.error_inode(function, line, ino, 0, format!("iget: bad i_size value: {}", size as i64));
        return Err(EFSCORRUPTED);
    }
    let acl = inode.file_acl();
    if acl != 0 && !block_valid(fs, acl, 1) {
        m.error_inode(function, line, ino, 0, format!("iget: bad extended attribute block {acl}"));
        return Err(EFSCORRUPTED);
    }
    let ty = inode.file_type();
    let mapped = matches!(ty, FileType::Regular | FileType::Directory)
        || (ty == FileType::Symlink && !inode.is_fast_symlink());
    if inode.flags() & INLINE_DATA_FL == 0 && mapped {
        if inode.flags() & EXTENTS_FL != 0 {
            if let Err(why) = extent_root_ok(fs, &inode) {
                m.error_inode("ext4_ext_check_inode", None, ino, 0, why);
                return Err(EFSCORRUPTED);
            }
        } else if ino != sb.s_journal_inum {
            // ext4_ind_check_inode: every block pointer in i_block is a valid block.
            if let Some(&blk) =
                inode.i_block_words().iter().find(|&&b| b != 0 && !block_valid(fs, u64::from(b), 1))
            {
                m.error_inode("ext4_ind_check_inode", None, ino, u64::from(blk), "invalid block");
                return Err(EFSCORRUPTED);
            }
        }
    }
    if ty == FileType::Unknown {
        m.error_inode(function, line, ino, 0, format!("iget: bogus i_mode ({:o})", inode.mode()));
        return Err(EFSCORRUPTED);
    }
    Ok(inode)
}

/// `ext4_inode_block_valid` before the system zone exists: inside the file
/// system, past the first data block.
fn block_valid(fs: &Fs, start: u64, count: u64) -> bool {
    start > fs.geo.first_data_block && start.checked_add(count).is_some_and(|end| end <= fs.geo.blocks_count)
}

/// `ext4_ext_check_inode`: the extent header in `i_block` (`__ext4_ext_check`
/// at the root), in the kernel's words.
fn extent_root_ok(fs: &Fs, inode: &Inode) -> Result<(), alloc::string::String> {
    let eh = ExtentHeader::parse(inode.i_block());
    let depth = eh.eh_depth;
    // ext4_ext_space_root(_idx): (60 - 12) / 12 entries in the inode.
    let max = 4u16;
    let why = if eh.eh_magic != EXTENT_MAGIC {
        Some("invalid magic")
    } else if eh.eh_max == 0 {
        Some("invalid eh_max")
    } else if eh.eh_max > max {
        Some("too large eh_max")
    } else if eh.eh_entries > eh.eh_max {
        Some("invalid eh_entries")
    } else if eh.eh_entries == 0 && depth > 0 {
        Some("eh_entries is 0 but eh_depth is > 0")
    } else if !root_entries_valid(fs, inode, eh.eh_entries, depth) {
        Some("invalid extent entries")
    } else if depth > 32 {
        Some("too large eh_depth")
    } else {
        None
    };
    match why {
        None => Ok(()),
        Some(w) => Err(format!(
            "pblk 0 bad header/extent: {w} - magic {:x}, entries {}, max {}({max}), depth {depth}({depth})",
            eh.eh_magic, eh.eh_entries, eh.eh_max
        )),
    }
}

/// `ext4_valid_extent_entries` at the root: each extent (or index) points
/// into the file system and the logical starts increase.
fn root_entries_valid(fs: &Fs, inode: &Inode, entries: u16, depth: u16) -> bool {
    use crate::format::extent::{Extent, ExtentIdx, ENTRY_SIZE};
    let b = inode.i_block();
    let mut prev: Option<u64> = None;
    for k in 0..usize::from(entries) {
        let Some(e) = b.get(ENTRY_SIZE * (k + 1)..ENTRY_SIZE * (k + 2)) else { return false };
        if depth == 0 {
            let x = Extent::parse(e);
            let (len, _) = x.len();
            let lblk = u64::from(x.ee_block);
            if len == 0 || prev.is_some_and(|p| lblk <= p) || !block_valid(fs, x.start(), len) {
                return false;
            }
            prev = Some(lblk + len - 1);
        } else {
            let x = ExtentIdx::parse(e);
            let lblk = u64::from(x.ei_block);
            if prev.is_some_and(|p| lblk <= p) || !block_valid(fs, x.leaf(), 1) {
                return false;
            }
            prev = Some(lblk);
        }
    }
    true
}

/// The root inode: `ext4_iget(sb, EXT4_ROOT_INO, EXT4_IGET_SPECIAL)`, then a
/// directory with blocks and a size.
pub(super) fn root(m: &mut Mount, fs: &Fs) -> Result<(), Stop> {
    const F: &str = "__ext4_fill_super";
    let root = match iget(m, fs, ROOT_INO, Iget::Special, F, super::LINE_ROOT_IGET) {
        Ok(r) => r,
        Err(e) => {
            m.msg("get root inode failed");
            m.msg("mount failed");
            m.step(F, "root inode", StepStatus::Fail, format!("ext4_iget: error {e}"));
            return Err(Stop::Refused);
        }
    };
    if root.file_type() != FileType::Directory || root.blocks_512() == 0 || root.size() == 0 {
        m.msg("corrupt root inode, run e2fsck");
        m.msg("mount failed");
        m.step(
            F,
            "root inode",
            StepStatus::Fail,
            format!(
                "{}, {} blocks, {} bytes: not a directory with blocks and a size",
                root.file_type().debugfs_name(),
                root.blocks_512(),
                root.size()
            ),
        );
        return Err(Stop::Refused);
    }
    m.step(F, "root inode", StepStatus::Pass, "a directory");
    Ok(())
}

/// `ext4_orphan_cleanup`: the orphan list from `s_last_orphan`, each inode
/// deleted (no links) or truncated, unless nothing may be written.
pub(super) fn orphan_cleanup(m: &mut Mount, fs: &Fs) {
    const F: &str = "ext4_orphan_cleanup";
    let sb = &fs.sb;
    if fs.features().compat(COMPAT_ORPHAN_FILE) {
        m.step(
            "ext4_init_orphan_info",
            "orphan file",
            StepStatus::Unmodelled,
            "the orphan file (its blocks' magic and checksums, its entries) is not read",
        );
    }
    if sb.s_last_orphan == 0 {
        m.step(F, "orphans", StepStatus::Pass, "no orphan list");
        return;
    }
    if m.bdev_ro {
        m.msg("write access unavailable, skipping orphan cleanup");
        m.step(F, "orphans", StepStatus::Skipped, "read-only device");
        return;
    }
    let saved_rdonly = m.sb_rdonly;
    if !m.feature_set_ok(sb, false) {
        m.msg("Skipping orphan cleanup due to unknown ROCOMPAT features");
        m.step(F, "orphans", StepStatus::Skipped, "unknown ro_compat features");
        m.sb_rdonly = saved_rdonly;
        return;
    }
    if m.mount_state & ERROR_FS != 0 {
        if !saved_rdonly {
            m.msg("Errors on filesystem, clearing orphan list.");
        }
        m.step(F, "orphans", StepStatus::Skipped, "the file system has errors");
        m.sb_rdonly = saved_rdonly;
        return;
    }
    if saved_rdonly {
        m.msg("orphan cleanup on readonly fs");
        m.sb_rdonly = false;
    }
    let (mut deleted, mut truncated) = (0u32, 0u32);
    let mut seen = BTreeSet::new();
    let mut next = sb.s_last_orphan;
    while next != 0 {
        if m.mount_state & ERROR_FS != 0 {
            break;
        }
        let ino = next;
        let Some(inode) = orphan_get(m, fs, ino, &seen) else { break };
        if !seen.insert(ino) {
            m.unknown(format!("the orphan list loops back to inode {ino}, which still has links"));
            break;
        }
        if inode.links() > 0 {
            truncated += 1;
        } else {
            deleted += 1;
        }
        next = inode.raw.i_dtime;
    }
    let plural = |n: u32| if n == 1 { "" } else { "s" };
    if deleted > 0 {
        m.msg(format!("{deleted} orphan inode{} deleted", plural(deleted)));
    }
    if truncated > 0 {
        m.msg(format!("{truncated} truncate{} cleaned up", plural(truncated)));
    }
    m.step(F, "orphans", StepStatus::Pass, format!("{deleted} deleted, {truncated} truncated"));
    m.sb_rdonly = saved_rdonly;
}

/// `ext4_orphan_get`: an inode number in range, marked in use, readable,
/// truncatable when it has links, and its next pointer in range. `seen`
/// holds the orphans already processed (a deleted one is free by now).
fn orphan_get(m: &mut Mount, fs: &Fs, ino: u32, seen: &BTreeSet<u32>) -> Option<Inode> {
    const F: &str = "ext4_orphan_get";
    let max = fs.sb.s_inodes_count;
    let bad = |m: &mut Mount| {
        m.error(F, None, format!("bad orphan inode {ino}"));
        None
    };
    if ino < fs.sb.first_ino() || ino > max {
        return bad(m);
    }
    match fs.inode_in_use(ino) {
        Ok(true) => {}
        Ok(false) => return bad(m),
        Err(_) => return None,
    }
    let inode = match iget(m, fs, ino, Iget::Orphan, F, None) {
        Ok(i) => i,
        Err(e) => {
            m.error(F, None, format!("couldn't read orphan inode {ino} (err {e})"));
            return None;
        }
    };
    let links = inode.links();
    if seen.contains(&ino) && links == 0 {
        // Deleted on the first visit: its bitmap bit is clear now.
        return bad(m);
    }
    let truncatable = inode.flags() & (APPEND_FL | IMMUTABLE_FL) == 0
        && match inode.file_type() {
            FileType::Regular | FileType::Directory => true,
            FileType::Symlink => !inode.is_fast_symlink(),
            _ => false,
        };
    if (links > 0 && !truncatable) || inode.raw.i_dtime > max {
        return bad(m);
    }
    Some(inode)
}
