//! `ext4scope ls IMAGE PATH|<INO>`: a directory's entries like debugfs `ls -l`
//! (inode, mode, file type, owner, size, mtime, name), `--deleted` adds the
//! entries hidden in the slack after others (debugfs `ls -d`), `--json` prints
//! the whole listing: entries with their block and offset, the blocks with
//! their checksums, the htree index and the problems found.

use std::io::Write;

use ext4scope_core::format::dir::{DirEntry, DirListing};
use ext4scope_core::format::inode::FileType;
use ext4scope_core::Fs;

/// Resolve `<N>` / `N` or an absolute path to an inode number.
pub fn resolve(fs: &Fs, what: &str) -> Result<u32, String> {
    let t = what.trim();
    if t.starts_with('<') || (!t.is_empty() && t.bytes().all(|b| b.is_ascii_digit())) {
        return crate::cmd_inode::parse_ino(t).ok_or_else(|| format!("{what:?} is not an inode number"));
    }
    fs.lookup(t).map_err(|e| e.to_string())
}

fn date(secs: i64) -> String {
    ext4scope_core::time::ls_date(secs)
}

/// One entry as debugfs `ls -l` prints it. Deleted entries are in `<>` with
/// the inode number they still hold (debugfs prints 0 there).
fn line(e: &DirEntry) -> String {
    let (l, r) = if e.deleted { ('<', '>') } else { (' ', ' ') };
    match &e.detail {
        Some(d) => format!(
            "{l}{:6}{r} {:6o} ({})  {:5}  {:5}   {:5} {} {}",
            e.inode,
            d.mode,
            e.file_type,
            d.uid,
            d.gid,
            d.size,
            date(d.mtime),
            e.name
        ),
        None => format!(
            "{l}{:6}{r} {:6o} ({})  {:5}  {:5}   {:5} {:17} {}",
            e.inode, 0, e.file_type, 0, 0, 0, "", e.name
        ),
    }
}

/// The listing with deleted entries kept only when asked for.
fn listing(fs: &Fs, ino: u32, deleted: bool) -> Result<DirListing, String> {
    let mut l = fs.read_dir_long(ino).map_err(|e| e.to_string())?;
    if !deleted {
        l.entries.retain(|e| !e.deleted);
    }
    Ok(l)
}

/// `ext4scope ls`.
pub fn run(path: &str, what: &str, json: bool, deleted: bool) -> Result<(), String> {
    let fs = crate::open(path)?;
    let ino = resolve(&fs, what).map_err(|e| format!("{path}: {e}"))?;
    let inode = fs.inode(ino).map_err(|e| format!("{path}: {e}"))?;
    if inode.file_type() != FileType::Directory {
        return Err(format!(
            "{path}: {what} (inode {ino}) is a {}, not a directory",
            inode.file_type().debugfs_name()
        ));
    }
    let l = listing(&fs, ino, deleted).map_err(|e| format!("{path}: {e}"))?;
    let text = if json {
        let mut s = serde_json::to_string_pretty(&l).map_err(|e| e.to_string())?;
        s.push('\n');
        s
    } else {
        l.entries.iter().map(|e| line(e) + "\n").collect()
    };
    write_stdout(text.as_bytes())?;
    if json {
        return Ok(());
    }
    if let Some(t) = &l.htree {
        eprintln!(
            "htree: hash {} ({}), {} index levels, {} index blocks, {} leaves",
            t.hash_version,
            t.hash_name,
            t.indirect_levels,
            t.nodes.len(),
            t.leaves.len()
        );
    }
    for p in &l.problems {
        eprintln!("ext4scope: {:?}: {}: {}", p.severity, p.structure, p.message);
    }
    Ok(())
}

/// Write to stdout; a reader that went away (`| head`) is not an error.
pub fn write_stdout(b: &[u8]) -> Result<(), String> {
    let mut out = std::io::stdout().lock();
    match out.write_all(b).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(format!("stdout: {e}")),
        _ => Ok(()),
    }
}
