//! `ext4scope cat IMAGE <INO>|PATH`: a file's bytes to stdout, streamed in
//! chunks (holes and unwritten extents as zeros, inline data included).

use std::io::Write;

use ext4scope_core::Fs;

/// Bytes per read.
const CHUNK: usize = 1 << 20;

/// Resolve `<N>` (or a bare number) to an inode; paths need directory lookup.
fn resolve(fs: &Fs, what: &str) -> Result<u32, String> {
    if let Some(n) = crate::cmd_inode::parse_ino(what).filter(|_| what.trim().starts_with('<')) {
        return Ok(n);
    }
    lookup_path(fs, what)
}

/// A path to an inode number, once the core can look paths up.
fn lookup_path(_fs: &Fs, what: &str) -> Result<u32, String> {
    Err(format!("{what:?}: path lookup is not available yet; name the inode as <INO> (e.g. <12>)"))
}

/// `ext4scope cat`.
pub fn run(path: &str, what: &str) -> Result<(), String> {
    let fs = crate::open(path)?;
    let ino = resolve(&fs, what)?;
    let inode = fs.inode(ino).map_err(|e| format!("{path}: {e}"))?;
    let map = fs.file_map(&inode);
    for p in &map.problems {
        eprintln!("ext4scope: warning: {}: {}", p.structure, p.message);
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut off = 0u64;
    while off < inode.size() {
        let buf = fs
            .read_file_with_map(&inode, &map, off, CHUNK)
            .map_err(|e| format!("{path}: inode {ino}: {e}"))?;
        if buf.is_empty() {
            break;
        }
        match out.write_all(&buf) {
            Ok(()) => {}
            // The reader went away (`| head`): stop quietly.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(()),
            Err(e) => return Err(format!("stdout: {e}")),
        }
        off += buf.len() as u64;
    }
    match out.flush() {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(format!("stdout: {e}")),
        _ => Ok(()),
    }
}
