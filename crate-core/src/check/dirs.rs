//! Passes 2 (directory entries), 3 (connectivity) and 4 (reference counts),
//! in e2fsck's order and with its questions.

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::string::String;
use alloc::vec::Vec;

use super::codes::*;
use super::{Abort, Ctx, InodeFields, Pctx, State};
use crate::format::dir::{file_type_for, rec_len_from_disk, DirEntryHeader};
use crate::format::features::*;
use crate::format::inode::FileType;
use crate::format::inode::{Inode, EA_INODE_FL, INLINE_DATA_FL, ROOT_INO};
use crate::fs::Fs;

type R = Result<(), Abort>;

/// Directory blocks e2fsck would look at, at most: a bound on memory (32
/// bytes each) for a hostile image whose directories map every block.
const MAX_DIR_BLOCKS: usize = 1 << 20;

/// One entry of e2fsck's directory block list.
#[derive(Debug, Clone, Copy)]
struct DirBlockRef {
    ino: u32,
    /// Physical block, 0 for a hole (or the inline area).
    blk: u64,
    /// Logical block.
    blockcnt: u64,
    /// Not an htree index block.
    leaf: bool,
    /// metadata_csum: the checksum failed (or the leaf has no tail).
    failed_csum: bool,
    /// metadata_csum: the leaf ends in a checksum tail.
    has_tail: bool,
}

/// e2fsck's pass 2.
pub(crate) fn pass2(fs: &Fs, ctx: &mut Ctx, state: &mut State) -> R {
    if let Some(i) = state.dir_index(ROOT_INO) {
        state.parent[i] = ROOT_INO;
    }
    let csum = fs.sb.has_metadata_csum();
    let mut list: Vec<DirBlockRef> = Vec::new();
    let mut inline: BTreeSet<u32> = BTreeSet::new();
    for &ino in &state.dirs {
        if list.len() >= MAX_DIR_BLOCKS {
            break;
        }
        let Ok(inode) = fs.inode(ino) else { continue };
        if inode.flags() & INLINE_DATA_FL != 0 {
            inline.insert(ino);
            list.push(DirBlockRef {
                ino,
                blk: 0,
                blockcnt: 0,
                leaf: true,
                failed_csum: false,
                has_tail: false,
            });
            continue;
        }
        // The directory's blocks from its map, the htree index blocks from
        // the index (leaf checksums are checked where the block is read).
        let map = fs.file_map(&inode);
        let index: BTreeMap<u64, bool> = if inode.flags() & crate::format::inode::INDEX_FL != 0
            && fs.features().compat(COMPAT_DIR_INDEX)
        {
            match crate::format::htree::read_tree(fs, &inode, &map).0 {
                Some(t) => t.nodes.iter().map(|n| (n.logical, n.checksum.ok == Some(false))).collect(),
                None => BTreeMap::new(),
            }
        } else {
            BTreeMap::new()
        };
        let mut expect = 0u64;
        'runs: for run in &map.data {
            let in_fs = fs.geo.blocks_count.saturating_sub(run.physical).min(run.len);
            for k in 0..in_fs {
                if list.len() >= MAX_DIR_BLOCKS {
                    break 'runs;
                }
                let logical = run.logical + k;
                while expect < logical && list.len() < MAX_DIR_BLOCKS {
                    list.push(DirBlockRef {
                        ino,
                        blk: 0,
                        blockcnt: expect,
                        leaf: true,
                        failed_csum: false,
                        has_tail: false,
                    });
                    expect += 1;
                }
                expect = logical.saturating_add(1);
                let node = index.get(&logical);
                list.push(DirBlockRef {
                    ino,
                    blk: run.physical + k,
                    blockcnt: logical,
                    leaf: node.is_none(),
                    failed_csum: csum && node.is_some_and(|&bad| bad),
                    has_tail: false,
                });
            }
        }
    }
    if fs.features().compat(COMPAT_DIR_INDEX) {
        // special_dir_block_cmp: every first block, then the rest, by block.
        list.sort_by(|a, b| {
            (a.blockcnt != 0, a.blk, a.ino, a.blockcnt).cmp(&(b.blockcnt != 0, b.blk, b.ino, b.blockcnt))
        });
    }
    let largedir = fs.features().incompat(INCOMPAT_LARGEDIR);
    let inline_fs = fs.features().incompat(INCOMPAT_INLINE_DATA);
    let mut ck = DirCheck { fs, filetype: fs.features().incompat(INCOMPAT_FILETYPE), gen_of: (0, 0, false) };
    for db in &list {
        if inline.contains(&db.ino) {
            ck.inline_dir(ctx, state, db.ino)?;
            continue;
        }
        if db.blk == 0 {
            if largedir && !inline_fs {
                continue;
            }
            let mut pc = Pctx::ino(db.ino);
            pc.blkcount = i64::try_from(db.blockcnt).ok();
            ctx.fix(PR_2_DIRECTORY_HOLE, &pc)?;
            continue;
        }
        ck.block(ctx, state, db)?;
    }
    Ok(())
}

struct DirCheck<'a> {
    fs: &'a Fs,
    filetype: bool,
    /// The last directory looked up: inode, generation, casefolded.
    gen_of: (u32, u32, bool),
}

/// One directory entry as e2fsck's loop sees it.
struct Dirent {
    inode: u32,
    rec_len: u32,
    name: Vec<u8>,
    /// The byte after the name (e2fsck looks at `name[1]` of `.`).
    after_name: [u8; 2],
    file_type: u8,
}

impl DirCheck<'_> {
    /// `i_generation` of a directory (its leaf checksums cover it) and
    /// whether it is casefolded (`EXT4_CASEFOLD_FL` on a casefold file system).
    fn dir_info(&mut self, ino: u32) -> (u32, bool) {
        if self.gen_of.0 != ino {
            let cf_fs = self.fs.features().incompat(INCOMPAT_CASEFOLD);
            let (g, cf) = self
                .fs
                .inode(ino)
                .map_or((0, false), |i| (i.generation(), cf_fs && i.flags() & 0x4000_0000 != 0));
            self.gen_of = (ino, g, cf);
        }
        (self.gen_of.1, self.gen_of.2)
    }

    fn generation(&mut self, ino: u32) -> u32 {
        self.dir_info(ino).0
    }

    fn casefolded(&mut self, ino: u32) -> bool {
        self.dir_info(ino).1
    }

    fn block(&mut self, ctx: &mut Ctx, state: &mut State, db: &DirBlockRef) -> R {
        let fs = self.fs;
        let bs = fs.block_size();
        let mut pc = Pctx::ino(db.ino);
        pc.blk = Some(db.blk);
        pc.blkcount = i64::try_from(db.blockcnt).ok();
        let buf = match fs.block(db.blk) {
            Ok(b) => b,
            Err(_) => {
                ctx.fix(PR_2_READ_DIRBLOCK, &pc)?;
                return Err(ctx.abort("e2fsck: aborted"));
            }
        };
        let csum = fs.sb.has_metadata_csum();
        let mut db = *db;
        if csum && db.leaf {
            // ext2fs_read_dir_block4's verdict: a leaf needs its tail and a
            // matching checksum.
            db.has_tail = crate::format::dir::csum_tail(&buf, bs).is_some();
            db.failed_csum = !db.has_tail
                || crate::format::dir::leaf_checksum(fs, db.ino, self.generation(db.ino), &buf)
                    .is_some_and(|c| c.ok == Some(false));
        }
        let db = &db;
        let mut de_csum = if csum && db.leaf { 12usize } else { 0 };
        if db.leaf && db.failed_csum && !db.has_tail {
            de_csum = 0;
            ctx.fix(PR_2_LEAF_NODE_MISSING_CSUM, &pc)?;
        }
        let max = (bs as usize).saturating_sub(de_csum);
        let dot_state = if db.blockcnt == 0 { 0 } else { 2 };
        let (mut names, mut dups) = (BTreeSet::new(), false);
        self.walk_entries(ctx, state, db.ino, (&buf, max, bs), dot_state, &pc, 0, (&mut names, &mut dups))?;
        if db.leaf && db.failed_csum && db.has_tail {
            ctx.fix(PR_2_LEAF_NODE_ONLY_CSUM_INVALID, &pc)?;
        }
        Ok(())
    }

    /// An inline directory: `.` and `..` made up, then the entries of `i_block`.
    fn inline_dir(&mut self, ctx: &mut Ctx, state: &mut State, ino: u32) -> R {
        let fs = self.fs;
        let Ok(inode) = fs.inode(ino) else { return Ok(()) };
        let ib = inode.i_block();
        let parent = u32::from_le_bytes([ib[0], ib[1], ib[2], ib[3]]);
        let (mut names, mut dups) = (BTreeSet::new(), false);
        let pc = Pctx::ino(ino);
        for (dot_state, (target, name)) in [(ino, &b"."[..]), (parent, &b".."[..])].into_iter().enumerate() {
            // e2fsck makes these up with the directory file type (when the
            // file system records types).
            let ft = if self.filetype { 2 } else { 0 };
            let d =
                Dirent { inode: target, rec_len: 12, name: name.to_vec(), after_name: [0, 0], file_type: ft };
            let mut p = pc.clone();
            p.dirent = Some(d.param());
            self.entry(ctx, state, ino, &d, dot_state as u32, &mut p, &mut names, &mut dups)?;
        }
        // Block 0: the rest of i_block (offsets from i_block, after the parent).
        let rest = ib.get(4..60).unwrap_or(&[]);
        let p0 = Pctx { blkcount: Some(0), ..pc.clone() };
        self.walk_entries(ctx, state, ino, (rest, rest.len(), 65536), 2, &p0, 4, (&mut names, &mut dups))?;
        // Block 1: the system.data value, when there is one (its own dictionary).
        let xr = crate::format::xattr::in_inode(fs, &inode);
        let data = xr
            .entries
            .iter()
            .find(|e| e.name_index == crate::format::xattr::INDEX_SYSTEM && e.suffix == b"data");
        if let Some(e) = data.filter(|e| !e.value.is_empty()) {
            let mut p = pc.clone();
            p.blkcount = Some(1);
            let (mut names, mut dups) = (BTreeSet::new(), false);
            let v = &e.value;
            self.walk_entries(ctx, state, ino, (v, v.len(), 65536), 2, &p, 0, (&mut names, &mut dups))?;
        }
        Ok(())
    }

    /// e2fsck's dirent loop over `buf[..max]` (`rec_len`s decoded for block
    /// size `bs`): a corrupt entry is a directory e2fsck -n cannot salvage and
    /// stops it; each valid one goes to [`DirCheck::entry`]. `names` and `dups`
    /// are the block's duplicate-name dictionary.
    #[allow(clippy::too_many_arguments)]
    fn walk_entries(
        &mut self,
        ctx: &mut Ctx,
        state: &mut State,
        dir: u32,
        (buf, max, bs): (&[u8], usize, u32),
        mut dot_state: u32,
        pc: &Pctx,
        num_base: u64,
        (names, dups): (&mut BTreeSet<Vec<u8>>, &mut bool),
    ) -> R {
        let mut offset = 0usize;
        while offset < max {
            let d = read_dirent(buf, offset, max, bs);
            let mut p = pc.clone();
            p.num = Some(num_base + offset as u64);
            p.dirent = Some(d.param());
            if offset + d.rec_len as usize > max
                || d.rec_len < 12
                || !d.rec_len.is_multiple_of(4)
                || rec_len_for(d.name.len()) > d.rec_len
            {
                ctx.fix(PR_2_DIR_CORRUPTED, &p)?;
                return Err(ctx.abort("e2fsck: aborted"));
            }
            self.entry(ctx, state, dir, &d, dot_state, &mut p, names, dups)?;
            offset += d.rec_len as usize;
            dot_state += 1;
        }
        Ok(())
    }

    /// The body of e2fsck's dirent loop for one valid entry.
    #[allow(clippy::too_many_arguments)]
    fn entry(
        &mut self,
        ctx: &mut Ctx,
        state: &mut State,
        dir: u32,
        d: &Dirent,
        dot_state: u32,
        p: &mut Pctx,
        names: &mut BTreeSet<Vec<u8>>,
        dups_found: &mut bool,
    ) -> R {
        let fs = self.fs;
        let sb = &fs.sb;
        let mut problem = 0u32;
        let mut inode_no = d.inode;
        if dot_state == 0 {
            self.check_dot(ctx, d, dir, p)?;
        } else if dot_state == 1 {
            if !self.check_dotdot(ctx, d, p)? {
                if let Some(i) = state.dir_index(dir) {
                    state.dotdot[i] = d.inode;
                }
            }
        } else if d.inode == dir {
            problem = PR_2_LINK_DOT;
            ctx.fix(PR_2_LINK_DOT, p)?;
        }
        if dot_state == 0 && d.inode == 0 {
            inode_no = 0;
        }
        if inode_no == 0 {
            return Ok(());
        }
        let ino = inode_no;
        let name = &d.name;
        let first_ino = sb.first_ino();
        let f = fs.features();
        let quota = |q: u32| q != 0 && q == ino;
        if (ino != ROOT_INO && ino < first_ino)
            || ino > sb.s_inodes_count
            || quota(sb.s_usr_quota_inum)
            || quota(sb.s_grp_quota_inum)
            || quota(sb.s_prj_quota_inum)
            || (f.compat(COMPAT_ORPHAN_FILE) && quota(sb.s_orphan_file_inum))
        {
            problem = PR_2_BAD_INO;
        } else if dot_state > 1 && name.as_slice() == b"." {
            problem = PR_2_DUP_DOT;
        } else if dot_state > 1 && name.as_slice() == b".." {
            problem = PR_2_DUP_DOT_DOT;
        } else if dot_state > 1 && ino == ROOT_INO {
            problem = PR_2_LINK_ROOT;
        } else if dot_state > 1 && name.is_empty() {
            problem = PR_2_NULL_NAME;
        }
        if problem != 0 {
            ctx.fix(problem, p)?;
            ctx.unmark_valid();
            if problem == PR_2_BAD_INO {
                return Ok(());
            }
        }
        if state.bad.binary_search(&ino).is_ok() {
            process_bad_inode(fs, ctx, dir, ino, Some(name))?;
        }
        let ipg = fs.geo.inodes_per_group.max(1);
        let group = (ino - 1) / ipg;
        p.group = Some(group);
        if let Ok(gr) = fs.group(group) {
            let csum = fs.sb.has_metadata_csum() || f.ro_compat(RO_COMPAT_GDT_CSUM);
            let unused = if csum { gr.itable_unused } else { 0 };
            let first_unused =
                u64::from(group) * u64::from(ipg) + 1 + u64::from(ipg) - u64::from(unused.min(ipg));
            if csum && gr.flags & crate::format::group_desc::BG_INODE_UNINIT != 0 {
                p.num = Some(u64::from(ino));
                ctx.fix(PR_2_INOREF_BG_INO_UNINIT, p)?;
                ctx.unmark_valid();
                if problem == PR_2_BAD_INO {
                    return Ok(());
                }
            } else if csum && u64::from(ino) >= first_unused {
                p.num = Some(u64::from(ino));
                ctx.fix(PR_2_INOREF_IN_UNUSED, p)?;
                ctx.unmark_valid();
                if problem == PR_2_BAD_INO {
                    return Ok(());
                }
            }
        }
        if !state.is_used(ino) {
            problem = PR_2_UNUSED_INODE;
        }
        if problem != 0 {
            ctx.fix(problem, p)?;
            ctx.unmark_valid();
        }
        self.check_filetype(ctx, state, d, ino, p)?;
        if self.casefolded(dir) {
            // encoded_check_name: a casefolded directory's names must be
            // valid UTF-8 (checked instead of check_name's '/' and NUL).
            if core::str::from_utf8(name).is_err() {
                ctx.fix(PR_2_BAD_ENCODED_NAME, p)?;
            }
        } else if self.check_name_bad(name) {
            ctx.fix(PR_2_BAD_NAME, p)?;
        }
        if dot_state > 1 {
            if let Some(i) = state.dir_index(ino) {
                if state.parent[i] != 0 {
                    p.ino2 = Some(state.parent[i]);
                    ctx.fix(PR_2_LINK_DIR, p)?;
                    p.ino2 = None;
                } else {
                    state.parent[i] = dir;
                    if !name.is_empty() {
                        ctx.names.insert(ino, (dir, String::from_utf8_lossy(name).into_owned()));
                    }
                }
            }
        }
        if !*dups_found {
            if names.contains(name) {
                let mut q = Pctx::ino(dir);
                q.dirent = p.dirent.clone();
                ctx.fix(PR_2_REPORT_DUP_DIRENT, &q)?;
                *dups_found = true;
            } else {
                names.insert(name.clone());
            }
        }
        if let Some(i) = state.index(ino) {
            state.counted[i] = state.counted[i].saturating_add(1);
        }
        Ok(())
    }

    /// The missing / misnamed / unterminated question for `.` (`which` 0)
    /// or `..` (1), as check_dot and check_dotdot ask it; 0 when it is fine.
    fn dot_problem(d: &Dirent, which: usize) -> u32 {
        let (codes, want): ([u32; 3], &[u8]) = if which == 0 {
            ([PR_2_MISSING_DOT, PR_2_1ST_NOT_DOT, PR_2_DOT_NULL_TERM], b".")
        } else {
            ([PR_2_MISSING_DOT_DOT, PR_2_2ND_NOT_DOT_DOT, PR_2_DOT_DOT_NULL_TERM], b"..")
        };
        if d.inode == 0 {
            codes[0]
        } else if d.name.as_slice() != want {
            codes[1]
        } else if d.after_name[which] != 0 {
            codes[2]
        } else {
            0
        }
    }

    fn check_dot(&mut self, ctx: &mut Ctx, d: &Dirent, dir: u32, p: &Pctx) -> R {
        let problem = Self::dot_problem(d, 0);
        if problem != 0 {
            ctx.fix(problem, p)?;
        }
        if d.inode != dir {
            ctx.fix(PR_2_BAD_INODE_DOT, p)?;
        }
        if d.rec_len > 24 {
            ctx.fix(PR_2_SPLIT_DOT, p)?;
        }
        Ok(())
    }

    /// Returns true when `..` is bad (its target is then not recorded).
    fn check_dotdot(&mut self, ctx: &mut Ctx, d: &Dirent, p: &Pctx) -> Result<bool, Abort> {
        let problem = Self::dot_problem(d, 1);
        if problem != 0 {
            ctx.fix(problem, p)?;
        }
        Ok(problem != 0)
    }

    fn check_filetype(&mut self, ctx: &mut Ctx, state: &State, d: &Dirent, ino: u32, p: &mut Pctx) -> R {
        if !self.filetype {
            if d.file_type != 0 {
                ctx.fix(PR_2_CLEAR_FILETYPE, p)?;
            }
            return Ok(());
        }
        let should_be = if state.dir_index(ino).is_some() {
            2
        } else if state.index(ino).is_some_and(|i| FileType::from_mode(state.mode[i]) == FileType::Regular) {
            1
        } else if state.bad.binary_search(&ino).is_ok() {
            0
        } else {
            match self.fs.inode(ino) {
                Ok(i) => file_type_for(FileType::from_mode(i.mode())),
                Err(_) => 0,
            }
        };
        if d.file_type == should_be {
            return Ok(());
        }
        p.num = Some(u64::from(should_be));
        ctx.fix(if d.file_type != 0 { PR_2_BAD_FILETYPE } else { PR_2_SET_FILETYPE }, p)?;
        Ok(())
    }

    fn check_name_bad(&self, name: &[u8]) -> bool {
        name.iter().any(|&c| c == b'/' || c == 0)
    }
}

impl Dirent {
    /// The entry as a problem's `%D…` parameters.
    fn param(&self) -> (u32, String, u32, u32, u8) {
        (
            self.inode,
            String::from_utf8_lossy(&self.name).into_owned(),
            self.rec_len,
            self.name.len() as u32,
            self.file_type,
        )
    }
}

/// `EXT2_DIR_REC_LEN(name_len)`.
fn rec_len_for(name_len: usize) -> u32 {
    ((name_len as u32) + 8 + 3) & !3
}

fn read_dirent(buf: &[u8], offset: usize, max: usize, bs: u32) -> Dirent {
    let get = |i: usize| buf.get(offset + i).copied().unwrap_or(0);
    if max.saturating_sub(offset) < 8 {
        // Not even room for the header: e2fsck forces a salvage.
        return Dirent { inode: 0, rec_len: 12, name: Vec::new(), after_name: [0, 0], file_type: 0 };
    }
    let Some(h) = buf.get(offset..offset + 8).map(DirEntryHeader::parse) else {
        return Dirent { inode: 0, rec_len: 12, name: Vec::new(), after_name: [0, 0], file_type: 0 };
    };
    let (inode, rec_len) = (h.inode, rec_len_from_disk(h.rec_len, bs));
    let (name_len, file_type) = (usize::from(h.name_len), h.file_type);
    let end = (offset + 8 + name_len).min(buf.len());
    let name = buf.get(offset + 8..end).unwrap_or(&[]).to_vec();
    let after_name = [get(8 + 1), get(8 + 2)];
    Dirent { inode, rec_len, name, after_name, file_type }
}

/// e2fsck's `e2fsck_process_bad_inode` under -n: the questions it asks about
/// an inode pass 1 marked bad (asked at every entry that names it).
pub(crate) fn process_bad_inode(fs: &Fs, ctx: &mut Ctx, dir: u32, ino: u32, name: Option<&[u8]>) -> R {
    let Ok(inode) = fs.inode(ino) else { return Ok(()) };
    let mut pc = Pctx::ino(ino);
    pc.dir = Some(dir);
    pc.name = name.map(|n| String::from_utf8_lossy(n).into_owned());
    pc.inode = Some(InodeFields::of(&inode));
    let f = fs.features();
    let acl = inode.file_acl();
    if acl != 0 && !f.compat(COMPAT_EXT_ATTR) {
        ctx.fix(PR_2_FILE_ACL_ZERO, &pc)?;
    }
    let ft = inode.file_type();
    let problem = match ft {
        FileType::Directory | FileType::Regular => 0,
        FileType::Unknown => PR_2_BAD_MODE,
        FileType::Symlink if !symlink_ok(fs, &inode) => PR_2_INVALID_SYMLINK,
        FileType::Symlink => 0,
        _ if device_ok(&inode) => 0,
        FileType::CharDevice => PR_2_BAD_CHAR_DEV,
        FileType::BlockDevice => PR_2_BAD_BLOCK_DEV,
        FileType::Fifo => PR_2_BAD_FIFO,
        FileType::Socket => PR_2_BAD_SOCKET,
    };
    if problem != 0 {
        ctx.fix(problem, &pc)?;
    }
    if inode.raw.i_obso_faddr != 0 {
        ctx.fix(PR_2_FADDR_ZERO, &pc)?;
    }
    let linux = fs.sb.s_creator_os == 0;
    if linux && !f.ro_compat(RO_COMPAT_HUGE_FILE) && inode.raw.l_i_blocks_high != 0 {
        pc.num = Some(u64::from(inode.raw.l_i_blocks_high));
        ctx.fix(PR_2_BLOCKS_HI_ZERO, &pc)?;
    }
    if linux && !f.incompat(INCOMPAT_64BIT) && inode.raw.l_i_file_acl_high != 0 {
        pc.num = Some(u64::from(inode.raw.l_i_file_acl_high));
        ctx.fix(PR_2_I_FILE_ACL_HI_ZERO, &pc)?;
    }
    let acl = inode.file_acl();
    if acl != 0 && (acl < fs.geo.first_data_block || acl >= fs.geo.blocks_count) {
        ctx.fix(PR_2_FILE_ACL_BAD, &pc)?;
    }
    if inode.raw.i_size_high != 0
        && !f.incompat(INCOMPAT_LARGEDIR)
        && u64::from(inode.raw.i_blocks_lo) < (1u64 << (29 - fs.geo.block_size.trailing_zeros().min(29)))
        && ft == FileType::Directory
    {
        ctx.fix(PR_2_DIR_SIZE_HIGH_ZERO, &pc)?;
    }
    Ok(())
}

/// `e2fsck_pass1_check_device_inode`.
pub(crate) fn device_ok(inode: &Inode) -> bool {
    let flags = inode.flags();
    if flags & (crate::format::inode::INDEX_FL | crate::format::inode::EXTENTS_FL) != 0 {
        return false;
    }
    if flags & (0x10 | 0x20) != 0 {
        let w = inode.i_block_words();
        if w[4..].iter().any(|&x| x != 0) {
            return false;
        }
    }
    true
}

/// `e2fsck_pass1_check_symlink`.
pub(crate) fn symlink_ok(fs: &Fs, inode: &Inode) -> bool {
    let flags = inode.flags();
    let size = inode.raw.i_size_lo;
    if inode.raw.i_size_high != 0 || size == 0 || flags & crate::format::inode::INDEX_FL != 0 {
        return false;
    }
    let extents = flags & crate::format::inode::EXTENTS_FL != 0;
    if flags & INLINE_DATA_FL != 0 {
        if extents {
            return false;
        }
        let xr = crate::format::xattr::in_inode(fs, inode);
        let extra = xr
            .entries
            .iter()
            .find(|e| e.name_index == crate::format::xattr::INDEX_SYSTEM && e.suffix == b"data")
            .map_or(0, |e| e.value.len());
        return u64::from(size) == 60 + extra as u64 || (extra == 0 && size <= 60);
    }
    let buf: Vec<u8>;
    if inode.is_fast_symlink() {
        if extents {
            return false;
        }
        buf = inode.i_block().to_vec();
    } else {
        let map = fs.file_map(inode);
        let blk = if extents {
            if map.data.len() != 1
                || map.data[0].logical != 0
                || map.data[0].len != 1
                || !map.metadata.is_empty()
            {
                return false;
            }
            map.data[0].physical
        } else {
            let w = inode.i_block_words();
            if w[1..].iter().any(|&x| x != 0) {
                return false;
            }
            u64::from(w[0])
        };
        if blk < fs.geo.first_data_block || blk >= fs.geo.blocks_count {
            return false;
        }
        match fs.block(blk) {
            Ok(b) => buf = b.to_vec(),
            Err(_) => return false,
        }
    }
    let len = if flags & 0x800 != 0 {
        usize::from(u16::from_le_bytes([buf.first().copied().unwrap_or(0), buf.get(1).copied().unwrap_or(0)]))
            + 2
    } else {
        buf.iter().position(|&c| c == 0).unwrap_or(buf.len())
    };
    len < buf.len() && len as u32 == size
}

/// e2fsck's pass 3: the root, then every directory's way up to it.
pub(crate) fn pass3(fs: &Fs, ctx: &mut Ctx, state: &mut State) -> R {
    let _ = fs;
    let pc = Pctx::default();
    if state.is_used(ROOT_INO) {
        if state.dir_index(ROOT_INO).is_none() {
            ctx.fix(PR_3_ROOT_NOT_DIR_ABORT, &pc)?;
            return Err(ctx.abort("e2fsck: aborted"));
        }
    } else {
        ctx.fix(PR_3_NO_ROOT_INODE, &pc)?;
        ctx.fix(PR_3_NO_ROOT_INODE_ABORT, &pc)?;
        return Err(ctx.abort("e2fsck: aborted"));
    }
    let n = state.dirs.len();
    let mut done = alloc::vec![false; n];
    if let Some(r) = state.dir_index(ROOT_INO) {
        done[r] = true;
    }
    for k in 0..n {
        let dir = state.dirs[k];
        let mut i = k;
        let mut steps = 0usize;
        loop {
            if done[i] {
                break;
            }
            done[i] = true;
            let parent = state.parent[i];
            if parent == 0 {
                let mut p = Pctx::ino(state.dirs[i]);
                p.dir = Some(state.dotdot[i]);
                ctx.fix(PR_3_UNCONNECTED_DIR, &p)?;
                break;
            }
            match state.dir_index(parent) {
                Some(j) => i = j,
                None => break,
            }
            steps += 1;
            if steps > n {
                let mut p = Pctx::ino(state.dirs[i]);
                p.dir = Some(parent);
                ctx.fix(PR_3_LOOPED_DIR, &p)?;
                break;
            }
        }
        let mut p = Pctx::ino(dir);
        p.ino2 = Some(state.dotdot[k]);
        p.dir = Some(state.parent[k]);
        if state.dotdot[k] != state.parent[k] {
            ctx.fix(PR_3_BAD_DOT_DOT, &p)?;
        }
    }
    Ok(())
}

/// e2fsck's pass 4: inodes nothing names, and link counts.
pub(crate) fn pass4(fs: &Fs, ctx: &mut Ctx, state: &mut State) -> R {
    let sb = &fs.sb;
    let first_ino = sb.first_ino();
    let prj = sb.s_prj_quota_inum;
    let orphan = if fs.features().compat(COMPAT_ORPHAN_FILE) { sb.s_orphan_file_inum } else { 0 };
    let dir_nlink = fs.features().ro_compat(RO_COMPAT_DIR_NLINK);
    for k in 0..state.used.len() {
        let i = state.used[k];
        if (prj != 0 && i == prj) || (orphan != 0 && i == orphan) || i == 1 || (i > ROOT_INO && i < first_ino)
        {
            continue;
        }
        let link_count = state.links[k];
        let mut counted = state.counted[k];
        if counted == 0 {
            let Ok(inode) = fs.inode(i) else { continue };
            if inode.flags() & EA_INODE_FL != 0 {
                // Referenced from extended attributes (not counted here).
                continue;
            }
            if state.bad.binary_search(&i).is_ok() {
                process_bad_inode(fs, ctx, 0, i, None)?;
            }
            let mut pc = Pctx::ino(i);
            pc.inode = Some(InodeFields::of(&inode));
            let extra = inode.extra_isize();
            let isz = fs.geo.inode_size as usize;
            let ea_magic = if isz > 128 + extra {
                inode
                    .bytes
                    .get(128 + extra..132 + extra)
                    .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                    .unwrap_or(0)
            } else {
                0
            };
            let ft = inode.file_type();
            if inode.blocks_raw() == 0
                && ea_magic != crate::format::xattr::XATTR_MAGIC
                && matches!(ft, FileType::Regular | FileType::Directory)
            {
                ctx.fix(PR_4_ZERO_LEN_INODE, &pc)?;
            }
            ctx.fix(PR_4_UNATTACHED_INODE, &pc)?;
            ctx.unmark_valid();
            continue;
        }
        let isdir = state.dir_index(i).is_some();
        if isdir && counted > 65000 {
            if !dir_nlink {
                ctx.fix(PR_4_DIR_NLINK_FEATURE, &Pctx::default())?;
            }
            counted = 1;
        }
        if counted != link_count {
            let mut pc = Pctx::ino(i);
            if let Ok(inode) = fs.inode(i) {
                pc.inode = Some(InodeFields::of(&inode));
                pc.num = Some(u64::from(counted));
                let indexed = inode.flags() & crate::format::inode::INDEX_FL != 0;
                if isdir && counted > 1 && indexed && link_count == 1 {
                    // DIR_OVERFLOW_REF_COUNT is not asked with -n.
                } else {
                    ctx.fix(PR_4_BAD_REF_COUNT, &pc)?;
                }
            }
        }
    }
    Ok(())
}
