//! The worker's answers for the Files view: pages of a directory's entries
//! (from a per-session cache of listings, so paging through a 100k-entry
//! htree directory reads it once), path lookup, the path of an inode, and the
//! stepped walk that finds in-use inodes no directory reaches. Free of browser
//! calls: native tests drive it over fixture images.

use std::collections::{BTreeMap, VecDeque};
use std::rc::Rc;

use ext4scope_core::format::dir::{file_type_of, DirFormat, DirListing};
use ext4scope_core::format::features::INCOMPAT_FILETYPE;
use ext4scope_core::format::inode::{FileType, ROOT_INO};
use ext4scope_core::path::LookupError;
use ext4scope_core::{Fs, Problem};
use serde::{Deserialize, Serialize};

/// At most this many entries per [`super::protocol::Request::Dir`] answer.
pub const MAX_DIR_PAGE: u32 = 2000;
/// Listings kept in the session's cache (the most recently used ones).
pub const CACHED_DIRS: usize = 8;
/// The cache drops older listings once it holds more entries than this (the
/// newest listing is always kept, whatever its size).
pub const CACHED_ENTRIES: usize = 400_000;
/// At most this many directory problems per answer.
pub const MAX_DIR_PROBLEMS: usize = 50;
/// At most this many unreachable inodes are listed (all are counted).
pub const MAX_UNREACHABLE: usize = 10_000;
/// At most this many walk problems are kept.
pub const MAX_WALK_PROBLEMS: usize = 200;
/// Deepest path [`path_of`] climbs.
const MAX_CLIMB: usize = 4096;

/// The order of a directory's entries in pages.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Order {
    /// As on disk (hash order in htree directories): what `debugfs ls` shows.
    #[default]
    Disk,
    /// By the name's bytes (what `LC_ALL=C ls` shows).
    Name,
}

/// One entry of a directory (neither `.` nor `..`), with what `ls -l` shows
/// of the inode it names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    /// The name, lossy UTF-8.
    pub name: String,
    /// The name's bytes in hex, when they are not valid UTF-8.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw_hex: Option<String>,
    /// Inode number.
    pub ino: u32,
    /// The entry's `file_type` byte (`EXT4_FT_*`; 0 without the filetype feature).
    pub dirent_type: u8,
    /// The type from the inode's `i_mode` (or from the entry when the inode
    /// could not be read).
    pub kind: FileType,
    /// `i_mode`, when the inode could be read.
    pub mode: Option<u16>,
    /// Size in bytes.
    pub size: Option<u64>,
    /// `i_links_count`.
    pub links: Option<u16>,
    /// Marked in use in the inode bitmap.
    pub in_use: Option<bool>,
    /// What is wrong with the entry, if anything.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
    /// A symlink's target (lossy UTF-8, at most [`MAX_TARGET`] bytes shown).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
}

/// Longest symlink target sent with an entry (the kernel's limit is a block).
pub const MAX_TARGET: usize = 4096;

/// A deleted entry still readable in the slack after a live one (debugfs
/// `ls -d` shows these in `<>`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeletedEntry {
    /// The name, lossy UTF-8.
    pub name: String,
    /// The name's bytes in hex, when they are not valid UTF-8.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw_hex: Option<String>,
    /// The inode number still in the record (0 when it was cleared).
    pub ino: u32,
    /// The block it sits in.
    pub block: Option<u64>,
    /// Its byte offset in that block.
    pub offset: u32,
}

/// At most this many deleted entries per directory are sent.
pub const MAX_DELETED: usize = 200;

/// A page of a directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirPage {
    /// The directory.
    pub ino: u32,
    /// How it stores its entries.
    pub format: DirFormat,
    /// `i_size`.
    pub size: u64,
    /// Where its `..` entry points.
    pub parent: Option<u32>,
    /// Live entries without `.` and `..`.
    pub total: u32,
    /// Index of the first entry of `entries`.
    pub start: u32,
    /// Entries `start..start+entries.len()`, in on-disk order (debugfs `ls` order).
    pub entries: Vec<FileEntry>,
    /// Directory blocks.
    pub blocks: u32,
    /// Blocks whose checksum verified.
    pub checksums_ok: u32,
    /// Blocks whose checksum did not.
    pub checksums_bad: u32,
    /// Deleted entries still visible in slack space.
    pub deleted: u32,
    /// The first [`MAX_DELETED`] of them, in on-disk order.
    #[serde(default)]
    pub deleted_entries: Vec<DeletedEntry>,
    /// The directory's problems (the first [`MAX_DIR_PROBLEMS`]).
    pub problems: Vec<Problem>,
    /// How many problems in all.
    pub problem_count: u32,
}

/// A directory entry as cached.
#[derive(Debug, Clone)]
struct Slim {
    name: String,
    raw: Option<Box<[u8]>>,
    ino: u32,
    ft: u8,
}

/// A directory listing as cached: the page-independent part of [`DirPage`].
#[derive(Debug)]
struct Cached {
    ino: u32,
    format: DirFormat,
    size: u64,
    parent: Option<u32>,
    entries: Vec<Slim>,
    blocks: u32,
    checksums_ok: u32,
    checksums_bad: u32,
    deleted: u32,
    deleted_entries: Vec<DeletedEntry>,
    problems: Vec<Problem>,
    problem_count: u32,
    /// Indices of `entries` sorted by name, made on first use.
    by_name: std::cell::OnceCell<Vec<u32>>,
}

impl Cached {
    /// Index into `entries` of the `i`-th entry in `order`.
    fn index(&self, order: Order, i: u32) -> Option<usize> {
        match order {
            Order::Disk => Some(i as usize),
            Order::Name => self.sorted().get(i as usize).map(|&j| j as usize),
        }
    }

    /// The position in `order` of `entries[j]`.
    fn position(&self, order: Order, j: usize) -> u32 {
        match order {
            Order::Disk => j as u32,
            Order::Name => self.sorted().iter().position(|&x| x as usize == j).unwrap_or(0) as u32,
        }
    }

    fn sorted(&self) -> &[u32] {
        self.by_name.get_or_init(|| {
            let key = |s: &Slim| -> Vec<u8> {
                s.raw.as_deref().map_or_else(|| s.name.as_bytes().to_vec(), <[u8]>::to_vec)
            };
            let mut v: Vec<u32> = (0..self.entries.len() as u32).collect();
            v.sort_by_cached_key(|&i| key(&self.entries[i as usize]));
            v
        })
    }

    fn from_listing(l: DirListing) -> Cached {
        let parent = l.live().find(|e| e.name_bytes == b"..").map(|e| e.inode);
        let deleted = l.entries.iter().filter(|e| e.deleted).count() as u32;
        let problem_count = l.problems.len() as u32;
        let checksums_ok = l.blocks.iter().filter(|b| b.checksum.ok == Some(true)).count() as u32;
        let checksums_bad = l.blocks.iter().filter(|b| b.checksum.ok == Some(false)).count() as u32;
        let blocks = l.blocks.len() as u32;
        let deleted_entries = l
            .entries
            .iter()
            .filter(|e| e.deleted)
            .take(MAX_DELETED)
            .map(|e| DeletedEntry {
                name: e.name.clone(),
                raw_hex: std::str::from_utf8(&e.name_bytes).is_err().then(|| hex(&e.name_bytes)),
                ino: e.inode,
                block: e.physical_block,
                offset: e.offset,
            })
            .collect();
        let entries = l
            .entries
            .into_iter()
            .filter(|e| e.is_live() && !e.is_dot_or_dotdot())
            .map(|e| {
                let raw =
                    std::str::from_utf8(&e.name_bytes).is_err().then(|| e.name_bytes.into_boxed_slice());
                Slim { name: e.name, raw, ino: e.inode, ft: e.file_type }
            })
            .collect();
        let mut problems = l.problems;
        problems.truncate(MAX_DIR_PROBLEMS);
        Cached {
            ino: l.ino,
            format: l.format,
            size: l.size,
            parent,
            entries,
            blocks,
            checksums_ok,
            checksums_bad,
            deleted,
            deleted_entries,
            problems,
            problem_count,
            by_name: std::cell::OnceCell::new(),
        }
    }
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// The entry with its inode read.
fn entry(fs: &Fs, s: &Slim) -> FileEntry {
    let mut e = FileEntry {
        name: s.name.clone(),
        raw_hex: s.raw.as_deref().map(hex),
        ino: s.ino,
        dirent_type: s.ft,
        kind: file_type_of(s.ft),
        mode: None,
        size: None,
        links: None,
        in_use: None,
        problem: None,
        target: None,
    };
    match fs.inode(s.ino) {
        Ok(i) => {
            if i.file_type() == FileType::Symlink {
                e.target = match fs.symlink_target(&i) {
                    Ok(t) if t.encrypted => Some("(encrypted)".into()),
                    Ok(t) => {
                        Some(String::from_utf8_lossy(&t.bytes[..t.bytes.len().min(MAX_TARGET)]).into_owned())
                    }
                    Err(err) => {
                        e.problem = Some(format!("the link target cannot be read: {err}"));
                        None
                    }
                };
            }
            e.kind = i.file_type();
            e.mode = Some(i.mode());
            e.size = Some(i.size());
            e.links = Some(i.links());
            e.in_use = fs.inode_in_use(s.ino).ok();
            let filetype = fs.features().incompat(INCOMPAT_FILETYPE);
            if e.in_use == Some(false) {
                e.problem = Some(format!("inode {} is marked free in the inode bitmap", s.ino));
            } else if filetype && s.ft != 0 && file_type_of(s.ft) != e.kind {
                e.problem = Some(format!(
                    "the entry says {} (file_type {}) but inode {} is a {}",
                    file_type_of(s.ft).debugfs_name(),
                    s.ft,
                    s.ino,
                    e.kind.debugfs_name()
                ));
            }
        }
        Err(err) => e.problem = Some(format!("inode {} cannot be read: {err}", s.ino)),
    }
    e
}

/// Recently listed directories.
#[derive(Default)]
pub struct DirCache {
    /// Most recently used last.
    dirs: VecDeque<Rc<Cached>>,
    /// Listings read (cache misses), for tests and I/O accounting.
    pub reads: u64,
}

impl DirCache {
    fn get(&mut self, fs: &Fs, ino: u32) -> ext4scope_core::Result<Rc<Cached>> {
        if let Some(i) = self.dirs.iter().position(|c| c.ino == ino) {
            let c = self.dirs.remove(i).expect("position is in range");
            self.dirs.push_back(c.clone());
            return Ok(c);
        }
        let c = Rc::new(Cached::from_listing(fs.read_dir(ino)?));
        self.reads += 1;
        self.dirs.push_back(c.clone());
        while self.dirs.len() > CACHED_DIRS
            || (self.dirs.len() > 1
                && self.dirs.iter().map(|c| c.entries.len()).sum::<usize>() > CACHED_ENTRIES)
        {
            self.dirs.pop_front();
        }
        Ok(c)
    }

    /// Entries `start..start+count` of directory `ino` in disk order (count
    /// clamped to [`MAX_DIR_PAGE`]).
    pub fn page(&mut self, fs: &Fs, ino: u32, start: u32, count: u32) -> ext4scope_core::Result<DirPage> {
        self.page_in(fs, ino, start, count, Order::Disk)
    }

    /// Entries `start..start+count` of directory `ino` in `order`.
    pub fn page_in(
        &mut self,
        fs: &Fs,
        ino: u32,
        start: u32,
        count: u32,
        order: Order,
    ) -> ext4scope_core::Result<DirPage> {
        let c = self.get(fs, ino)?;
        let total = u32::try_from(c.entries.len()).unwrap_or(u32::MAX);
        let start = start.min(total);
        let end = start.saturating_add(count.min(MAX_DIR_PAGE)).min(total);
        let entries = (start..end)
            .filter_map(|i| c.index(order, i).and_then(|j| c.entries.get(j)))
            .map(|s| entry(fs, s))
            .collect();
        Ok(DirPage {
            ino: c.ino,
            format: c.format,
            size: c.size,
            parent: c.parent,
            total,
            start,
            entries,
            blocks: c.blocks,
            checksums_ok: c.checksums_ok,
            checksums_bad: c.checksums_bad,
            deleted: c.deleted,
            deleted_entries: c.deleted_entries.clone(),
            problems: c.problems.clone(),
            problem_count: c.problem_count,
        })
    }

    /// The name of `child` in directory `dir`.
    fn name_in(&mut self, fs: &Fs, dir: u32, child: u32) -> Option<String> {
        let c = self.get(fs, dir).ok()?;
        c.entries.iter().find(|e| e.ino == child).map(|e| e.name.clone())
    }
}

/// What a path resolves to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LookupReport {
    /// The path as asked (with a leading `/`).
    pub path: String,
    /// The inode of the path (symlinks followed on the way, not at the end).
    pub ino: Option<u32>,
    /// Why not.
    pub error: Option<LookupError>,
    /// The inodes met walking the path literally from `/` (no symlinks
    /// followed, no `.`/`..`): the root, then one per component found. The
    /// tree expands along this chain.
    pub chain: Vec<u32>,
    /// `positions[i]`: the index of `chain[i + 1]` among the entries of
    /// `chain[i]` (as [`DirPage`] numbers them in the order asked for).
    pub positions: Vec<u32>,
    /// The whole path was walked and ends at a directory.
    pub last_is_dir: bool,
}

/// Resolve `path` (absolute; a missing leading `/` is added), positions in disk order.
pub fn lookup(fs: &Fs, cache: &mut DirCache, path: &str) -> LookupReport {
    lookup_in(fs, cache, path, Order::Disk)
}

/// Resolve `path`, with the positions of its components in `order`.
pub fn lookup_in(fs: &Fs, cache: &mut DirCache, path: &str, order: Order) -> LookupReport {
    let path = if path.starts_with('/') { path.to_string() } else { format!("/{path}") };
    let comps: Vec<&str> = path.split('/').filter(|c| !c.is_empty()).collect();
    let mut chain = vec![ROOT_INO];
    let mut positions = Vec::new();
    for comp in &comps {
        if *comp == "." || *comp == ".." {
            break;
        }
        let Some(&cur) = chain.last() else { break };
        // Not a directory, or unreadable: the walk stops here.
        let Ok(c) = cache.get(fs, cur) else { break };
        // A name that is not UTF-8 travels in URLs in its lossy form: match
        // that too, so the tree can still open at it.
        let lossy = comp.contains('\u{FFFD}');
        let found = c.entries.iter().position(|e| match &e.raw {
            Some(raw) => &raw[..] == comp.as_bytes() || (lossy && e.name == *comp),
            None => e.name == *comp,
        });
        let Some(i) = found else { break };
        chain.push(c.entries[i].ino);
        positions.push(c.position(order, i));
    }
    let last_is_dir = chain.len() == comps.len() + 1
        && chain.last().and_then(|&i| fs.inode(i).ok()).is_some_and(|i| i.file_type() == FileType::Directory);
    let (ino, error) = match fs.lookup(&path) {
        Ok(i) => (Some(i), None),
        Err(e) => (None, Some(e)),
    };
    LookupReport { path, ino, error, chain, positions, last_is_dir }
}

/// Where the unreachable walk is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WalkPhase {
    /// Reading every directory from `/`.
    Tree,
    /// Checking every in-use inode (per the inode bitmaps) against the tree.
    Inodes,
    /// Finished.
    Done,
}

/// Progress of the walk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WalkProgress {
    /// Phase.
    pub phase: WalkPhase,
    /// Directories read.
    pub dirs_read: u64,
    /// Directories the group descriptors announce (an estimate).
    pub dirs_expected: u64,
    /// Entries seen.
    pub entries: u64,
    /// Distinct inodes reached from `/`.
    pub reached: u64,
    /// Groups whose inode bitmap was checked.
    pub groups_done: u32,
    /// Groups.
    pub groups_total: u32,
    /// Overall, in thousandths.
    pub permille: u32,
}

/// An in-use inode that no directory entry reaches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unreached {
    /// Inode number.
    pub ino: u32,
    /// Type from `i_mode`.
    pub kind: FileType,
    /// `i_mode`.
    pub mode: u16,
    /// Size.
    pub size: u64,
    /// `i_links_count`.
    pub links: u16,
    /// `i_dtime` (non-zero: deleted, or on the orphan list).
    pub dtime: u32,
}

/// The walk's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnreachableReport {
    /// Progress.
    pub progress: WalkProgress,
    /// In-use inodes (from `s_first_ino` on) no entry reaches, the first
    /// [`MAX_UNREACHABLE`], in inode order; complete only when done.
    pub inodes: Vec<Unreached>,
    /// How many found so far.
    pub count: u64,
    /// Problems met (unreadable directories, loops, unreadable bitmaps).
    pub problems: Vec<Problem>,
}

/// The stepped walk. Memory: one map entry per reached inode, the queue of
/// directories still to read, and at most [`MAX_UNREACHABLE`] results.
pub struct Walk {
    /// Reached inode → the directory it was first reached from (the root maps to itself).
    parent: BTreeMap<u32, u32>,
    queue: VecDeque<u32>,
    next_group: u32,
    progress: WalkProgress,
    inodes: Vec<Unreached>,
    count: u64,
    problems: Vec<Problem>,
}

impl Walk {
    /// A walk of `fs`, not started.
    pub fn new(fs: &Fs) -> Walk {
        let dirs_expected = fs.groups().map(|g| u64::from(g.used_dirs_count)).sum();
        let mut parent = BTreeMap::new();
        parent.insert(ROOT_INO, ROOT_INO);
        Walk {
            parent,
            queue: VecDeque::from([ROOT_INO]),
            next_group: 0,
            progress: WalkProgress {
                phase: WalkPhase::Tree,
                dirs_read: 0,
                dirs_expected,
                entries: 0,
                reached: 1,
                groups_done: 0,
                groups_total: fs.geo.groups_count,
                permille: 0,
            },
            inodes: Vec::new(),
            count: 0,
            problems: Vec::new(),
        }
    }

    /// True when finished.
    pub fn is_done(&self) -> bool {
        self.progress.phase == WalkPhase::Done
    }

    fn problem(&mut self, p: Problem) {
        if self.problems.len() < MAX_WALK_PROBLEMS {
            self.problems.push(p);
        }
    }

    /// Work for about `budget` units (one per directory, entry or in-use inode).
    pub fn step(&mut self, fs: &Fs, budget: u64) {
        let filetype = fs.features().incompat(INCOMPAT_FILETYPE);
        let mut spent = 0u64;
        while spent < budget && self.progress.phase == WalkPhase::Tree {
            let Some(dir) = self.queue.pop_front() else {
                self.progress.phase = WalkPhase::Inodes;
                break;
            };
            spent += 1;
            self.progress.dirs_read += 1;
            let listing = match fs.read_dir(dir) {
                Ok(l) => l,
                Err(e) => {
                    self.problem(Problem {
                        severity: ext4scope_core::Severity::Error,
                        structure: format!("directory {dir}"),
                        at: ext4scope_core::Location { inode: Some(dir), ..Default::default() },
                        message: format!("directory {dir} cannot be listed: {e}"),
                    });
                    continue;
                }
            };
            for e in listing.live().filter(|e| !e.is_dot_or_dotdot()) {
                spent += 1;
                self.progress.entries += 1;
                if self.parent.contains_key(&e.inode) {
                    continue;
                }
                self.parent.insert(e.inode, dir);
                self.progress.reached += 1;
                let is_dir = if filetype && e.file_type != 0 {
                    e.file_type == 2
                } else {
                    fs.inode(e.inode).is_ok_and(|i| i.file_type() == FileType::Directory)
                };
                if is_dir {
                    self.queue.push_back(e.inode);
                }
            }
        }
        let first = fs.sb.first_ino();
        while spent < budget && self.progress.phase == WalkPhase::Inodes {
            let g = self.next_group;
            if g >= fs.geo.groups_count {
                self.progress.phase = WalkPhase::Done;
                break;
            }
            self.next_group += 1;
            self.progress.groups_done = self.next_group;
            spent += 1;
            let bm = match fs.inode_bitmap(g) {
                Ok(b) => b,
                Err(e) => {
                    self.problem(Problem {
                        severity: ext4scope_core::Severity::Error,
                        structure: format!("inode bitmap of group {g}"),
                        at: ext4scope_core::Location { group: Some(g), ..Default::default() },
                        message: format!("cannot be read: {e}"),
                    });
                    continue;
                }
            };
            if bm.computed_free >= bm.nbits {
                continue;
            }
            let base = u64::from(g) * u64::from(fs.geo.inodes_per_group);
            // Byte by byte: whole bytes of free inodes are skipped at once.
            let set = bm.bits.iter().enumerate().filter(|(_, b)| **b != 0).flat_map(|(i, b)| {
                (0..8u32).filter(move |k| b & (1 << k) != 0).map(move |k| i as u32 * 8 + k)
            });
            for idx in set {
                if idx >= bm.nbits {
                    break;
                }
                let Ok(ino) = u32::try_from(base + u64::from(idx) + 1) else { break };
                if ino > fs.sb.s_inodes_count {
                    break;
                }
                spent += 1;
                if ino < first || self.parent.contains_key(&ino) {
                    continue;
                }
                self.count += 1;
                if self.inodes.len() < MAX_UNREACHABLE {
                    let u = match fs.inode(ino) {
                        Ok(i) => Unreached {
                            ino,
                            kind: i.file_type(),
                            mode: i.mode(),
                            size: i.size(),
                            links: i.links(),
                            dtime: i.dtime().raw,
                        },
                        Err(_) => {
                            Unreached { ino, kind: FileType::Unknown, mode: 0, size: 0, links: 0, dtime: 0 }
                        }
                    };
                    self.inodes.push(u);
                }
            }
        }
        let p = &mut self.progress;
        p.permille = match p.phase {
            WalkPhase::Tree => {
                let f = p.dirs_read.saturating_mul(900) / p.dirs_expected.max(p.dirs_read).max(1);
                f.min(899) as u32
            }
            WalkPhase::Inodes => {
                900 + (u64::from(p.groups_done) * 100 / u64::from(p.groups_total.max(1))).min(99) as u32
            }
            WalkPhase::Done => 1000,
        };
    }

    /// The answer so far.
    pub fn report(&self) -> UnreachableReport {
        UnreachableReport {
            progress: self.progress,
            inodes: self.inodes.clone(),
            count: self.count,
            problems: self.problems.clone(),
        }
    }

    /// The directory `ino` was first reached from, once the tree phase has seen it.
    fn parent_of(&self, ino: u32) -> Option<u32> {
        self.parent.get(&ino).copied()
    }
}

/// Where [`path_of`] stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PathOfReport {
    /// The inode asked about.
    pub ino: u32,
    /// A path of it (the first the walk met), once known.
    pub path: Option<String>,
    /// The tree walk is still needed (step again) to know.
    pub pending: bool,
    /// Progress of the tree walk, when it was needed.
    pub progress: Option<WalkProgress>,
    /// Why there is no path.
    pub error: Option<String>,
}

/// A path of inode `ino`. A directory's path comes from climbing `..`
/// entries (no walk); any other inode's needs the tree walk, stepped
/// `budget` units per call.
pub fn path_of(
    fs: &Fs,
    cache: &mut DirCache,
    walk: &mut Option<Walk>,
    ino: u32,
    budget: u64,
) -> PathOfReport {
    let mut r = PathOfReport { ino, path: None, pending: false, progress: None, error: None };
    let inode = match fs.inode(ino) {
        Ok(i) => i,
        Err(e) => {
            r.error = Some(e.to_string());
            return r;
        }
    };
    if ino == ROOT_INO {
        r.path = Some("/".into());
        return r;
    }
    if inode.file_type() == FileType::Directory {
        if let Some(p) = climb(fs, cache, ino) {
            r.path = Some(p);
            return r;
        }
    }
    let w = walk.get_or_insert_with(|| Walk::new(fs));
    if w.progress.phase == WalkPhase::Tree {
        w.step(fs, budget);
    }
    r.progress = Some(w.progress);
    if w.progress.phase == WalkPhase::Tree {
        r.pending = true;
        return r;
    }
    // Names from the parents the walk recorded.
    let mut names = Vec::new();
    let mut cur = ino;
    while cur != ROOT_INO && names.len() < MAX_CLIMB {
        let Some(p) = w.parent_of(cur) else {
            r.error = Some(format!("inode {ino} is not reached from / by any directory entry"));
            return r;
        };
        match cache.name_in(fs, p, cur) {
            Some(n) => names.push(n),
            None => {
                r.error = Some(format!("directory {p} no longer names inode {cur}"));
                return r;
            }
        }
        cur = p;
    }
    names.reverse();
    r.path = Some(format!("/{}", names.join("/")));
    r
}

/// A directory's path by its `..` entries, or `None` when the chain breaks
/// (an orphaned or corrupt directory).
fn climb(fs: &Fs, cache: &mut DirCache, ino: u32) -> Option<String> {
    let mut names = Vec::new();
    let mut cur = ino;
    while cur != ROOT_INO {
        if names.len() >= MAX_CLIMB {
            return None;
        }
        let parent = cache.get(fs, cur).ok()?.parent?;
        if parent == cur {
            return None;
        }
        names.push(cache.name_in(fs, parent, cur)?);
        cur = parent;
    }
    names.reverse();
    Some(format!("/{}", names.join("/")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;
    use std::io::Read;

    fn images() -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/images")
    }

    fn fixture_names() -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(images())
            .expect("fixtures")
            .filter_map(|e| e.ok()?.file_name().to_str()?.strip_suffix(".img.gz").map(String::from))
            .collect();
        v.sort();
        assert!(v.len() >= 8, "fixtures found: {v:?}");
        v
    }

    fn image(name: &str) -> Vec<u8> {
        let gz = std::fs::read(images().join(format!("{name}.img.gz"))).expect("fixture");
        let mut img = Vec::new();
        flate2::read::GzDecoder::new(&gz[..]).read_to_end(&mut img).expect("gunzip");
        img
    }

    fn open(name: &str) -> Fs {
        Fs::open(Box::new(image(name))).expect("opens")
    }

    fn golden(name: &str, suffix: &str) -> String {
        std::fs::read_to_string(images().join(format!("{name}.{suffix}"))).expect("golden")
    }

    /// debugfs `ls -l` line: (inode, mode, file type byte, size, name).
    type Ls = (u32, u16, u8, u64, String);

    /// `debugfs: ls -l <N>` sections of a golden: (N, lines without `.` and `..`).
    fn ls_sections(text: &str) -> Vec<(u32, Vec<Ls>)> {
        let mut out: Vec<(u32, Vec<Ls>)> = Vec::new();
        for line in text.lines() {
            if let Some(cmd) = line.strip_prefix("debugfs: ") {
                let ino = cmd.rsplit_once('<').and_then(|(_, n)| n.trim_end_matches('>').parse().ok());
                out.push((ino.expect("ls <N>"), Vec::new()));
                continue;
            }
            if line.trim().is_empty() {
                continue;
            }
            let mut rest = line;
            let mut f = Vec::new();
            for _ in 0..6 {
                let t = rest.trim_start();
                let end = t.find(' ').unwrap_or(t.len());
                f.push(&t[..end]);
                rest = &t[end..];
            }
            let name = rest.get(19..).unwrap_or("").to_string();
            // debugfs lists the empty records (inode 0) of a block too; they are not entries.
            if name == "." || name == ".." || f[0] == "0" {
                continue;
            }
            let l = (
                f[0].parse().expect("inode"),
                u16::from_str_radix(f[1], 8).expect("mode"),
                f[2].trim_matches(|c| c == '(' || c == ')').parse().expect("type"),
                f[5].parse().expect("size"),
                name,
            );
            out.last_mut().expect("a command first").1.push(l);
        }
        out
    }

    /// Every path of every inode per debugfs `ncheck`.
    fn ncheck(name: &str) -> BTreeMap<u32, BTreeSet<String>> {
        let mut m: BTreeMap<u32, BTreeSet<String>> = BTreeMap::new();
        for line in golden(name, "ncheck.txt").lines() {
            // Skip the command and header lines of each batch.
            let Some((ino, path)) = line.split_once('\t') else { continue };
            if ino == "Inode" {
                continue;
            }
            let path = path.strip_prefix("//").map(|p| format!("/{p}")).unwrap_or(path.to_string());
            m.entry(ino.parse().expect("ino")).or_default().insert(path);
        }
        m
    }

    #[test]
    fn every_fixture_directory_pages_equal_debugfs_ls() {
        let (mut lines, mut dirs) = (0, 0);
        for name in fixture_names() {
            let fs = open(&name);
            let mut cache = DirCache::default();
            for (ino, want) in ls_sections(&golden(&name, "ls.txt")) {
                // Pages of 7 entries: the pages join up to the whole listing.
                let mut got: Vec<Ls> = Vec::new();
                let mut start = 0;
                loop {
                    let p = cache.page(&fs, ino, start, 7).unwrap_or_else(|e| panic!("{name} <{ino}>: {e}"));
                    assert_eq!(p.start, start);
                    assert_eq!(p.total as usize, want.len(), "{name} <{ino}>");
                    assert_eq!(p.problem_count, 0, "{name} <{ino}>: {:?}", p.problems);
                    assert_eq!(p.checksums_bad, 0);
                    for e in &p.entries {
                        assert_eq!(e.problem, None, "{name} <{ino}> {}", e.name);
                        assert_eq!(e.in_use, Some(true));
                        got.push((
                            e.ino,
                            e.mode.expect("mode"),
                            e.dirent_type,
                            e.size.expect("size"),
                            e.name.clone(),
                        ));
                    }
                    if p.entries.is_empty() {
                        break;
                    }
                    start += p.entries.len() as u32;
                }
                assert_eq!(got, want, "{name}: ls -l <{ino}>");
                lines += want.len();
                dirs += 1;
            }
            // One read per directory however many pages.
            assert!(cache.reads as usize <= dirs, "{name}: {} reads", cache.reads);
        }
        println!("{lines} entries in {dirs} directories equal debugfs ls -l");
        assert!(lines > 1000 && dirs > 30, "{lines} lines, {dirs} dirs");
    }

    #[test]
    fn htree_directory_is_read_once_for_all_its_pages() {
        let fs = open("extents");
        let l = lookup(&fs, &mut DirCache::default(), "/htree2");
        let ino = l.ino.expect("htree2");
        let mut cache = DirCache::default();
        let first = cache.page(&fs, ino, 0, 100).expect("page");
        assert_eq!(first.format, DirFormat::Htree);
        assert!(first.total >= 400, "{} entries", first.total);
        let mut seen = BTreeSet::new();
        let mut start = 0;
        while start < first.total {
            let p = cache.page(&fs, ino, start, 100).expect("page");
            assert!(p.entries.len() <= 100);
            seen.extend(p.entries.iter().map(|e| e.name.clone()));
            start += p.entries.len() as u32;
        }
        assert_eq!(seen.len() as u32, first.total);
        assert_eq!(cache.reads, 1);
        // Past the end: an empty page, the start clamped.
        let p = cache.page(&fs, ino, u32::MAX, 10).expect("page");
        assert!(p.entries.is_empty());
        assert_eq!(p.start, p.total);
        // Not a directory: an error, not a panic.
        let file = lookup(&fs, &mut DirCache::default(), "/hello.txt").ino.expect("hello.txt");
        assert!(cache.page(&fs, file, 0, 10).is_err());
    }

    #[test]
    fn lookup_and_path_of_agree_with_ncheck() {
        let mut checked = 0;
        for name in fixture_names() {
            let fs = open(&name);
            let mut cache = DirCache::default();
            let mut walk = None;
            for (ino, paths) in ncheck(&name) {
                for p in &paths {
                    let r = lookup(&fs, &mut cache, p);
                    assert_eq!(r.ino, Some(ino), "{name}: {p}: {:?}", r.error);
                    assert_eq!(r.chain.last(), Some(&ino), "{name}: {p}");
                    assert_eq!(r.chain.len(), p.split('/').filter(|c| !c.is_empty()).count() + 1);
                    assert_eq!(r.positions.len() + 1, r.chain.len());
                    // Each position names the next inode of the chain in its directory's pages.
                    for (i, &pos) in r.positions.iter().enumerate() {
                        let page = cache.page(&fs, r.chain[i], pos, 1).expect("page");
                        assert_eq!(page.entries[0].ino, r.chain[i + 1], "{name}: {p}");
                    }
                    assert_eq!(
                        r.last_is_dir,
                        fs.inode(ino).expect("inode").file_type() == FileType::Directory
                    );
                    // Without the leading slash too (the route's form).
                    assert_eq!(lookup(&fs, &mut cache, p.trim_start_matches('/')).ino, Some(ino));
                }
                let mut r = path_of(&fs, &mut cache, &mut walk, ino, 1000);
                for _ in 0..10_000 {
                    if !r.pending {
                        break;
                    }
                    r = path_of(&fs, &mut cache, &mut walk, ino, 1000);
                }
                let got = r.path.unwrap_or_else(|| panic!("{name}: path of {ino}: {:?}", r.error));
                assert!(paths.contains(&got), "{name}: {ino}: {got} not in {paths:?}");
                checked += 1;
            }
            let r = lookup(&fs, &mut cache, "/no/such/file");
            assert_eq!(r.ino, None);
            assert!(matches!(r.error, Some(LookupError::NotFound { .. })), "{:?}", r.error);
            assert_eq!(r.chain, vec![ROOT_INO]);
        }
        assert!(checked > 500, "{checked}");
    }

    fn walk_to_end(fs: &Fs) -> UnreachableReport {
        let mut w = Walk::new(fs);
        let mut last = 0;
        for _ in 0..100_000 {
            w.step(fs, 50);
            let r = w.report();
            assert!(r.progress.permille >= last, "progress goes forward");
            last = r.progress.permille;
            if w.is_done() {
                return r;
            }
        }
        panic!("the walk did not finish");
    }

    #[test]
    fn fixtures_have_no_unreachable_inodes() {
        // e2fsck -fn passes on every fixture: no unattached inodes.
        for name in fixture_names() {
            let fs = open(&name);
            let r = walk_to_end(&fs);
            assert_eq!(r.count, 0, "{name}: {:?}", r.inodes);
            assert!(r.problems.is_empty(), "{name}: {:?}", r.problems);
            assert_eq!(r.progress.permille, 1000);
            // Every inode ncheck names was reached (plus the root).
            assert!(r.progress.reached as usize > ncheck(&name).len(), "{name}");
        }
    }

    #[test]
    fn a_file_whose_entry_is_cleared_is_unreachable() {
        // ext2: no checksums, so clearing an entry's inode field is the
        // whole of an unlink that leaves the inode in use.
        let mut img = image("ext2");
        let fs = Fs::open(Box::new(img.clone())).expect("opens");
        let listing = fs.read_dir(ROOT_INO).expect("root");
        let victim = listing
            .live()
            .filter(|e| !e.is_dot_or_dotdot() && e.offset > 0 && e.file_type == 1)
            .find(|e| fs.inode(e.inode).is_ok_and(|i| i.links() == 1))
            .expect("a regular file with one link")
            .clone();
        let at = victim.byte.expect("byte offset") as usize;
        img[at..at + 4].copy_from_slice(&[0; 4]);
        let fs = Fs::open(Box::new(img)).expect("opens");
        assert_eq!(fs.lookup(&format!("/{}", victim.name)).ok(), None);
        let r = walk_to_end(&fs);
        assert_eq!(r.count, 1);
        assert_eq!(r.inodes[0].ino, victim.inode);
        assert_eq!(r.inodes[0].kind, FileType::Regular);
        assert_eq!(r.inodes[0].links, 1);
        let mut walk = None;
        let p = path_of(&fs, &mut DirCache::default(), &mut walk, victim.inode, u64::MAX);
        assert_eq!(p.path, None);
        assert!(p.error.is_some());
    }

    #[test]
    fn session_answers_files_requests() {
        use crate::worker::protocol::{decode, encode, Request, Response};
        use crate::worker::session::Session;
        let mut s = Session::new();
        assert!(matches!(
            s.handle(Request::Dir { ino: 2, start: 0, count: 10, order: Order::Disk }, None),
            Response::Failed { .. }
        ));
        s.handle(Request::Open { name: "extents".into() }, Some(Box::new(image("extents"))));
        // Through JSON, as in the browser.
        let round = |s: &mut Session, r: Request| {
            let json = encode(1, &r);
            let req = decode::<Request>(&json).expect("request decodes").body;
            let json = encode(1, &s.handle(req, None));
            decode::<Response>(&json).expect("response decodes").body
        };
        let Response::Lookup { report } =
            round(&mut s, Request::Lookup { path: "/htree1".into(), order: Order::Disk })
        else {
            panic!("lookup")
        };
        let ino = report.ino.expect("htree1");
        let Response::Dir { page } =
            round(&mut s, Request::Dir { ino, start: 10, count: 5000, order: Order::Disk })
        else {
            panic!("dir")
        };
        assert_eq!(page.entries.len() as u32, page.total - 10);
        assert_eq!(page.format, DirFormat::Htree);
        // Hard links have several paths: take a file with one.
        let last = page.entries.iter().rev().find(|e| e.links == Some(1)).expect("an entry").clone();
        let Response::PathOf { report } = round(&mut s, Request::PathOf { ino: last.ino, budget: u64::MAX })
        else {
            panic!("path_of")
        };
        assert_eq!(report.path, Some(format!("/htree1/{}", last.name)));
        let Response::Unreachable { report } = round(&mut s, Request::Unreachable { budget: u64::MAX })
        else {
            panic!("unreachable")
        };
        assert_eq!(report.progress.phase, WalkPhase::Done);
        assert_eq!(report.count, 0);
        assert!(matches!(
            s.handle(Request::Dir { ino: 0, start: 0, count: 1, order: Order::Name }, None),
            Response::Failed { .. }
        ));
    }

    #[test]
    fn a_name_that_is_not_utf8_comes_with_its_bytes() {
        // ext2: no checksums, no hash index on the root; one byte of a name
        // becomes 0xFF, which no UTF-8 string holds.
        let mut img = image("ext2");
        let fs = Fs::open(Box::new(img.clone())).expect("opens");
        let e = fs
            .read_dir(ROOT_INO)
            .expect("root")
            .live()
            .find(|e| !e.is_dot_or_dotdot())
            .expect("an entry")
            .clone();
        let at = e.byte.expect("byte offset") as usize + 8;
        assert_eq!(&img[at..at + e.name_bytes.len()], &e.name_bytes[..]);
        img[at] = 0xFF;
        let fs = Fs::open(Box::new(img)).expect("opens");
        let mut cache = DirCache::default();
        let page = cache.page(&fs, ROOT_INO, 0, MAX_DIR_PAGE).expect("page");
        let got = page.entries.iter().find(|x| x.ino == e.inode).expect("the entry");
        let mut want = e.name_bytes.clone();
        want[0] = 0xFF;
        assert_eq!(got.raw_hex.as_deref(), Some(hex(&want).as_str()));
        assert!(got.name.starts_with('\u{FFFD}'), "{:?}", got.name);
        // The lossy name is not the name's bytes, so a path lookup fails, but
        // the tree's walk finds the entry by it (URLs carry the lossy form).
        let r = lookup(&fs, &mut cache, &format!("/{}", got.name));
        assert_eq!(r.ino, None);
        assert!(r.error.is_some());
        assert_eq!(r.chain, vec![ROOT_INO, e.inode]);
        assert_eq!(r.positions.len(), 1);
        // Every other entry is untouched.
        assert!(page.entries.iter().filter(|x| x.ino != e.inode).all(|x| x.raw_hex.is_none()));
    }

    #[test]
    fn a_directory_block_with_a_bad_checksum_is_reported_and_still_listed() {
        let name = fixture_names()
            .into_iter()
            .find(|n| open(n).sb.has_metadata_csum())
            .expect("a fixture with metadata_csum");
        let mut img = image(&name);
        let fs = Fs::open(Box::new(img.clone())).expect("opens");
        let before = DirCache::default().page(&fs, ROOT_INO, 0, MAX_DIR_PAGE).expect("page");
        assert_eq!((before.checksums_bad, before.problem_count), (0, 0));
        assert!(before.checksums_ok > 0, "{name}");
        // Change one letter of a name: the block still parses, its checksum no longer matches.
        let l = fs.read_dir(ROOT_INO).expect("root");
        let e =
            l.live().find(|e| !e.is_dot_or_dotdot() && e.name_bytes[0].is_ascii_lowercase()).expect("entry");
        let at = e.byte.expect("byte") as usize + 8;
        img[at] = if img[at] == b'z' { b'y' } else { img[at] + 1 };
        let fs = Fs::open(Box::new(img)).expect("opens");
        let after = DirCache::default().page(&fs, ROOT_INO, 0, MAX_DIR_PAGE).expect("page");
        assert_eq!(after.checksums_bad, 1, "{name}");
        assert!(after.problem_count >= 1 && !after.problems.is_empty());
        assert!(after.problems.iter().any(|p| p.message.contains("checksum")), "{:?}", after.problems);
        assert_eq!(after.total, before.total, "every entry is still listed");
        let renamed = after.entries.iter().find(|x| x.ino == e.inode).expect("the entry");
        assert_ne!(renamed.name, e.name);
    }

    #[test]
    fn name_order_sorts_the_same_entries_and_lookup_positions_follow_it() {
        let fs = open("extents");
        let mut cache = DirCache::default();
        let ino = lookup(&fs, &mut cache, "/htree1").ino.expect("htree1");
        let disk = cache.page_in(&fs, ino, 0, MAX_DIR_PAGE, Order::Disk).expect("page");
        let mut by_name = Vec::new();
        let mut start = 0;
        while start < disk.total {
            let p = cache.page_in(&fs, ino, start, 50, Order::Name).expect("page");
            start += p.entries.len() as u32;
            by_name.extend(p.entries);
        }
        let mut want = disk.entries.clone();
        want.sort_by(|a, b| a.name.as_bytes().cmp(b.name.as_bytes()));
        assert_ne!(disk.entries, want, "htree order is not name order");
        assert_eq!(by_name, want);
        assert_eq!(cache.reads, 2, "root and htree1, each read once");
        // Lookup positions count in the order asked for.
        for e in want.iter().step_by(17) {
            let path = format!("/htree1/{}", e.name);
            for order in [Order::Disk, Order::Name] {
                let r = lookup_in(&fs, &mut cache, &path, order);
                let pos = r.positions[1];
                let p = cache.page_in(&fs, ino, pos, 1, order).expect("page");
                assert_eq!(p.entries[0].name, e.name, "{order:?}");
            }
        }
    }

    #[test]
    fn entries_equal_the_kernels_view_of_every_fixture_file() {
        // NAME.files.txt was written from the mounted image (stat, readlink):
        // path, inode, type, perm, uid, gid, nlink, size, content.
        let mut checked = 0;
        let mut links = 0;
        for name in fixture_names() {
            let fs = open(&name);
            let mut cache = DirCache::default();
            for line in golden(&name, "files.txt").lines().filter(|l| !l.starts_with('#')) {
                let f: Vec<&str> = line.split('\t').collect();
                if f.len() < 9 || f[0] == "/" {
                    continue;
                }
                let r = lookup(&fs, &mut cache, f[0]);
                assert_eq!(
                    r.chain.len(),
                    f[0].split('/').filter(|c| !c.is_empty()).count() + 1,
                    "{name}: {}",
                    f[0]
                );
                let dir = r.chain[r.chain.len() - 2];
                let pos = *r.positions.last().expect("a position");
                let e = cache.page(&fs, dir, pos, 1).expect("page").entries.remove(0);
                let at = format!("{name}: {}", f[0]);
                assert_eq!(e.ino.to_string(), f[1], "{at}");
                assert_eq!(e.mode.map(|m| format!("{:o}", m & 0o7777)).as_deref(), Some(f[3]), "{at}");
                assert_eq!(e.links.map(|n| n.to_string()).as_deref(), Some(f[6]), "{at}");
                assert_eq!(e.size.map(|n| n.to_string()).as_deref(), Some(f[7]), "{at}");
                let kind = match f[2] {
                    "d" => FileType::Directory,
                    "-" => FileType::Regular,
                    "l" => FileType::Symlink,
                    "c" => FileType::CharDevice,
                    "b" => FileType::BlockDevice,
                    "p" => FileType::Fifo,
                    "s" => FileType::Socket,
                    other => panic!("{at}: type {other}"),
                };
                assert_eq!(e.kind, kind, "{at}");
                match f[8].strip_prefix("target=") {
                    Some(t) => {
                        assert_eq!(e.target.as_deref(), Some(t), "{at}");
                        links += 1;
                    }
                    None => assert_eq!(e.target, None, "{at}"),
                }
                assert_eq!(e.problem, None, "{at}");
                checked += 1;
            }
        }
        println!("{checked} files (with {links} symlink targets) equal the mounted image's stat/readlink");
        assert!(checked > 250 && links >= 20, "{checked} files, {links} links");
    }

    #[test]
    fn deleted_entries_equal_debugfs_ls_d() {
        // NAME.ls-deleted.txt: debugfs ls -d -l of the directories where it
        // differs from ls -l; deleted names are the lines in <>.
        let mut compared = 0;
        for name in fixture_names() {
            if !images().join(format!("{name}.ls-deleted.txt")).exists() {
                continue;
            }
            let fs = open(&name);
            let mut cache = DirCache::default();
            let mut section: Option<(u32, Vec<String>)> = None;
            let text = golden(&name, "ls-deleted.txt");
            let mut check = |sec: Option<(u32, Vec<String>)>, cache: &mut DirCache| {
                if let Some((ino, want)) = sec {
                    let p = cache.page(&fs, ino, 0, 1).expect("page");
                    let got: Vec<String> = p.deleted_entries.iter().map(|d| d.name.clone()).collect();
                    assert_eq!(got, want, "{name}: ls -d <{ino}>");
                    assert_eq!(p.deleted as usize, want.len());
                    compared += want.len();
                }
            };
            for line in text.lines() {
                if let Some(cmd) = line.strip_prefix("debugfs: ") {
                    check(section.take(), &mut cache);
                    let ino = cmd.rsplit_once('<').and_then(|(_, n)| n.trim_end_matches('>').parse().ok());
                    section = Some((ino.expect("ls <N>"), Vec::new()));
                } else if line.starts_with('<') {
                    let n = line.get(60..).unwrap_or("").to_string();
                    section.as_mut().expect("a command first").1.push(n);
                }
            }
            check(section.take(), &mut cache);
        }
        assert!(compared >= 5, "{compared} deleted names compared");
    }
}
