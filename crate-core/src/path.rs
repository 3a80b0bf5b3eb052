//! Paths: name lookup in a directory (through the hash index when there is
//! one), absolute path resolution with `.`, `..` and symlinks, and the
//! reverse — every path of every inode reachable from the root (debugfs
//! `ncheck`).
//!
//! `..` is resolved through the directory's own `..` entry, as on disk.
//! Symlinks in the middle of a path are always followed (at most
//! [`MAX_SYMLINKS`] of them, like the kernel's limit of 40); the last
//! component is followed only by [`Fs::lookup_follow`]. The reverse walk visits
//! each directory once, so directory loops (a corrupt entry pointing back up
//! the tree) end the walk there with a problem instead of looping.

use alloc::collections::{BTreeMap, BTreeSet, VecDeque};
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Location, Problem, Severity};
use crate::format::dir::DirListing;
use crate::format::features::INCOMPAT_FILETYPE;
use crate::format::inode::{FileType, Inode, INDEX_FL, INLINE_DATA_FL, ROOT_INO};
use crate::fs::Fs;

/// Most symlinks followed while resolving one path (the kernel's `MAXSYMLINKS`).
pub const MAX_SYMLINKS: u32 = 40;
/// Most directories the reverse walk reads.
pub const MAX_WALK_DIRS: usize = 1 << 21;
/// Deepest directory the reverse walk descends into.
pub const MAX_WALK_DEPTH: usize = 4096;

/// Why a path could not be resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LookupError {
    /// A component does not exist.
    NotFound {
        /// The path up to and including the missing component.
        path: String,
    },
    /// A component used as a directory is not one.
    NotADirectory {
        /// The path up to that component.
        path: String,
    },
    /// More than [`MAX_SYMLINKS`] symlinks (probably a loop).
    SymlinkLoop {
        /// The path being resolved.
        path: String,
    },
    /// The path is not absolute, or is empty.
    Invalid {
        /// The path.
        path: String,
        /// Why.
        message: String,
    },
    /// The file system could not be read on the way.
    Fs(Error),
}

impl From<Error> for LookupError {
    fn from(e: Error) -> Self {
        LookupError::Fs(e)
    }
}

impl core::fmt::Display for LookupError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            LookupError::NotFound { path } => write!(f, "{path}: no such file or directory"),
            LookupError::NotADirectory { path } => write!(f, "{path}: not a directory"),
            LookupError::SymlinkLoop { path } => {
                write!(f, "{path}: too many levels of symbolic links (more than {MAX_SYMLINKS})")
            }
            LookupError::Invalid { path, message } => write!(f, "{path:?}: {message}"),
            LookupError::Fs(e) => write!(f, "{e}"),
        }
    }
}

/// Every path of every inode reachable from the root.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PathIndex {
    /// Inode number to its paths (`/` for the root), in walk order.
    pub paths: BTreeMap<u32, Vec<String>>,
    /// Directories read.
    pub directories: u32,
    /// Entries seen (without `.` and `..`).
    pub entries: u64,
    /// The walk stopped early (limits).
    pub truncated: bool,
    /// Problems: unreadable directories, loops, entries that are not what they say.
    pub problems: Vec<Problem>,
}

fn split(path: &[u8]) -> impl DoubleEndedIterator<Item = &[u8]> {
    path.split(|&b| b == b'/').filter(|c| !c.is_empty())
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.ends_with('/') {
        format!("{prefix}{name}")
    } else {
        format!("{prefix}/{name}")
    }
}

impl Fs {
    /// Find `name` in the directory `dir`: through the hash index when the
    /// directory has a sound one, else by reading every entry. `Ok(None)` when
    /// the name is not there.
    pub fn lookup_in(&self, dir: &Inode, name: &[u8]) -> crate::Result<Option<u32>> {
        if dir.flags() & INDEX_FL != 0 && dir.flags() & INLINE_DATA_FL == 0 && name != b"." && name != b".." {
            if let Ok(l) = self.htree_lookup(dir, name) {
                if let Some(e) = l.found {
                    return Ok(Some(e.inode));
                }
                if l.problems.is_empty() {
                    return Ok(None);
                }
            }
        }
        let listing = self.read_dir_inode(dir)?;
        if let Some(e) = listing.find(name) {
            return Ok(Some(e.inode));
        }
        // A casefolded directory matches names by their folded forms.
        let folded = crate::format::casefold::is_casefolded(self, dir);
        Ok(folded
            .then(|| listing.live().find(|e| crate::format::casefold::names_match(true, &e.name_bytes, name)))
            .flatten()
            .map(|e| e.inode))
    }

    /// The inode of an absolute path, following symlinks on the way but not at
    /// the end (like `lstat`).
    pub fn lookup(&self, path: &str) -> Result<u32, LookupError> {
        self.resolve(path, false)
    }

    /// The inode of an absolute path, following a symlink at the end too (like `stat`).
    pub fn lookup_follow(&self, path: &str) -> Result<u32, LookupError> {
        self.resolve(path, true)
    }

    fn resolve(&self, path: &str, follow_last: bool) -> Result<u32, LookupError> {
        if !path.starts_with('/') {
            return Err(LookupError::Invalid {
                path: String::from(path),
                message: String::from("paths must be absolute (start with '/')"),
            });
        }
        // Components still to resolve; a symlink's target is pushed in front.
        let mut todo: VecDeque<Vec<u8>> = split(path.as_bytes()).map(<[u8]>::to_vec).collect();
        let mut cur = ROOT_INO;
        let mut walked = String::new();
        let mut links = 0u32;
        while let Some(comp) = todo.pop_front() {
            let dir = self.inode(cur)?;
            if dir.file_type() != FileType::Directory {
                return Err(LookupError::NotADirectory {
                    path: if walked.is_empty() { String::from("/") } else { walked },
                });
            }
            walked = join(if walked.is_empty() { "/" } else { &walked }, &String::from_utf8_lossy(&comp));
            if comp == b"." {
                continue;
            }
            let Some(next) = self.lookup_in(&dir, &comp)? else {
                return Err(LookupError::NotFound { path: walked });
            };
            let node = self.inode(next)?;
            let last = todo.is_empty();
            if node.file_type() == FileType::Symlink && (!last || follow_last) {
                links += 1;
                if links > MAX_SYMLINKS {
                    return Err(LookupError::SymlinkLoop { path: String::from(path) });
                }
                let target = self.symlink_target(&node)?;
                if target.bytes.is_empty() {
                    return Err(LookupError::NotFound { path: walked });
                }
                for c in split(&target.bytes).rev() {
                    todo.push_front(c.to_vec());
                }
                if target.bytes.first() == Some(&b'/') {
                    cur = ROOT_INO;
                }
                // A relative target resolves from the link's directory: `cur` stays.
                continue;
            }
            cur = next;
        }
        Ok(cur)
    }

    /// Every path of inode `ino` (debugfs `ncheck`), from a walk of the whole tree.
    pub fn paths_of(&self, ino: u32) -> Vec<String> {
        self.path_index().paths.remove(&ino).unwrap_or_default()
    }

    /// Walk the tree from the root once and record every path of every inode.
    pub fn path_index(&self) -> PathIndex {
        let mut ix = PathIndex::default();
        ix.paths.insert(ROOT_INO, alloc::vec![String::from("/")]);
        let filetype = self.features().incompat(INCOMPAT_FILETYPE);
        let mut seen = BTreeSet::new();
        seen.insert(ROOT_INO);
        let mut queue: VecDeque<(u32, String, usize)> = VecDeque::new();
        queue.push_back((ROOT_INO, String::from("/"), 0));
        while let Some((dir, path, depth)) = queue.pop_front() {
            if ix.directories as usize >= MAX_WALK_DIRS {
                ix.truncated = true;
                ix.problems.push(Problem {
                    severity: Severity::Warning,
                    structure: String::from("path walk"),
                    at: Location::default(),
                    message: format!("stopped after {MAX_WALK_DIRS} directories"),
                });
                break;
            }
            ix.directories += 1;
            let listing: DirListing = match self.read_dir(dir) {
                Ok(l) => l,
                Err(e) => {
                    ix.problems.push(Problem {
                        severity: Severity::Error,
                        structure: format!("directory {dir}"),
                        at: Location { inode: Some(dir), ..Default::default() },
                        message: format!("{path}: cannot be listed: {e}"),
                    });
                    continue;
                }
            };
            for e in listing.live().filter(|e| !e.is_dot_or_dotdot()) {
                ix.entries += 1;
                let p = join(&path, &e.name);
                let is_dir = if filetype && e.file_type != 0 {
                    e.file_type == 2
                } else {
                    self.inode(e.inode).is_ok_and(|i| i.file_type() == FileType::Directory)
                };
                ix.paths.entry(e.inode).or_default().push(p.clone());
                if !is_dir {
                    continue;
                }
                if !seen.insert(e.inode) {
                    ix.problems.push(Problem {
                        severity: Severity::Error,
                        structure: format!("directory {dir}"),
                        at: Location { inode: Some(dir), block: e.physical_block, byte: e.byte, group: None },
                        message: format!(
                            "{p} is directory {} again (already reached another way): a directory loop or a hard-linked directory",
                            e.inode
                        ),
                    });
                    continue;
                }
                if depth + 1 > MAX_WALK_DEPTH {
                    ix.truncated = true;
                    ix.problems.push(Problem {
                        severity: Severity::Warning,
                        structure: format!("directory {}", e.inode),
                        at: Location { inode: Some(e.inode), ..Default::default() },
                        message: format!("{p}: deeper than {MAX_WALK_DEPTH} levels; not walked"),
                    });
                    continue;
                }
                queue.push_back((e.inode, p, depth + 1));
            }
        }
        ix
    }
}
