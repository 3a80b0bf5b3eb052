//! `ext4scope cat IMAGE <INO>|PATH`: a file's bytes to stdout, streamed in
//! chunks (holes and unwritten extents as zeros, inline data included; a
//! path's last symlink is followed).

use std::io::Write;

use ext4scope_core::Fs;

/// Bytes per read.
const CHUNK: usize = 1 << 20;

/// Resolve `<N>` to an inode number, anything else as a path from the root.
fn resolve(fs: &Fs, what: &str) -> Result<u32, String> {
    if let Some(n) = crate::cmd_inode::parse_ino(what).filter(|_| what.trim().starts_with('<')) {
        return Ok(n);
    }
    fs.lookup_follow(what).map_err(|e| e.to_string())
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
