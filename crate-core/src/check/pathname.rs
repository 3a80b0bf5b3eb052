//! The paths in e2fsck's messages (`%p`, `%P`, `%q`, `%Q`), found as
//! e2fsck's `print_pathname` finds them: from the directories on disk (the
//! name of an inode in a directory, then that directory's `..` upwards, at
//! most 32 levels), not from what the passes have read so far. Under `-n`
//! nothing on disk changes during the check, so resolving the paths when
//! the check ends gives what e2fsck printed along the way.

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::format::inode::{FileType, ROOT_INO};
use crate::Fs;

/// e2fsck's names for the reserved inodes, printed when a path is asked for
/// one of them with no directory.
const SPECIAL: [&str; 11] = [
    "<The NULL inode>",
    "<The bad blocks inode>",
    "/",
    "<The user quota inode>",
    "<The group quota inode>",
    "<The boot loader inode>",
    "<The undelete directory inode>",
    "<The group descriptor inode>",
    "<The journal inode>",
    "<Reserved inode 9>",
    "<Reserved inode 10>",
];

/// Directories read once for every path asked.
enum Dir {
    /// Its live entries.
    Listed(Vec<(u32, String)>),
    /// Not a directory (`EXT2_ET_NO_DIRECTORY`).
    NotADirectory,
    /// Could not be read.
    Unreadable,
}

/// Paths as `print_pathname` prints them, with the directories it read.
pub(crate) struct Pathnames<'a> {
    fs: &'a Fs,
    dirs: BTreeMap<u32, Dir>,
}

/// How many directories a report may read for its paths (hostile images:
/// thousands of problems in thousands of directories).
const MAX_DIRS: usize = 4096;

/// e2fsck's name for reserved inode `ino` (0 to 10).
pub(crate) fn special(ino: u32) -> Option<&'static str> {
    SPECIAL.get(ino as usize).copied()
}

impl<'a> Pathnames<'a> {
    pub(crate) fn new(fs: &'a Fs) -> Self {
        Pathnames { fs, dirs: BTreeMap::new() }
    }

    /// `print_pathname(fs, dir, ino)`.
    pub(crate) fn print(&mut self, dir: u32, ino: u32) -> String {
        if dir == 0 {
            if let Some(s) = special(ino) {
                return String::from(s);
            }
        }
        let ino = if dir == ino { 0 } else { ino };
        self.get(dir, ino, 32).unwrap_or_else(|| String::from("???"))
    }

    fn dir(&mut self, dir: u32) -> &Dir {
        if !self.dirs.contains_key(&dir) {
            let d = if self.dirs.len() >= MAX_DIRS { Dir::Unreadable } else { read(self.fs, dir) };
            self.dirs.insert(dir, d);
        }
        self.dirs.get(&dir).unwrap_or(&Dir::Unreadable)
    }

    /// `ext2fs_get_pathname_int`: `None` for an error ("???" at the top).
    fn get(&mut self, dir: u32, ino: u32, depth: i32) -> Option<String> {
        if dir == ino {
            return Some(String::from(if dir == ROOT_INO { "/" } else { "." }));
        }
        if dir == 0 || depth < 0 {
            return Some(String::from("..."));
        }
        let (parent, name) = match self.dir(dir) {
            Dir::Unreadable => return None,
            Dir::NotADirectory => {
                return Some(if ino != 0 { format!("<{dir}>/<{ino}>") } else { format!("<{dir}>") });
            }
            Dir::Listed(entries) => {
                // The walk stops at the entry it looks for; a `..` after it is not seen.
                let mut p = 0;
                let mut name = None;
                for (i, n) in entries {
                    if n == ".." {
                        p = *i;
                    }
                    if *i == ino {
                        name = Some(n.clone());
                        break;
                    }
                }
                (p, name)
            }
        };
        let parent_name = self.get(parent, dir, depth - 1)?;
        if ino == 0 {
            return Some(parent_name);
        }
        let mut s = if parent_name.len() > 1 { parent_name } else { String::new() };
        s.push('/');
        s.push_str(name.as_deref().unwrap_or("???"));
        Some(s)
    }
}

fn read(fs: &Fs, dir: u32) -> Dir {
    if dir > fs.sb.s_inodes_count {
        return Dir::Unreadable;
    }
    let Ok(inode) = fs.inode(dir) else { return Dir::Unreadable };
    // ext2fs_check_directory reads the inode with its checksum verified.
    if inode.checksum.ok == Some(false) {
        return Dir::Unreadable;
    }
    if inode.file_type() != FileType::Directory {
        return Dir::NotADirectory;
    }
    match fs.read_dir_inode(&inode) {
        Ok(l) => {
            Dir::Listed(l.entries.iter().filter(|e| e.is_live()).map(|e| (e.inode, e.name.clone())).collect())
        }
        Err(_) => Dir::Unreadable,
    }
}
