//! The operations language the CLI, the web app and the tests share: one
//! operation per line or `;`-separated, `#` starts a comment.
//!
//! ```text
//! chattr +e /big; fsync /big
//! commit
//! ```

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use serde::Serialize;

/// One operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Op {
    /// `chattr +e PATH` / `chattr -e PATH`.
    Chattr {
        /// The file.
        path: String,
        /// `+e` (to extents) or `-e` (back to a block map).
        extents: bool,
    },
    /// `fsync PATH`: commit the transaction holding the file's changes.
    Fsync {
        /// The file.
        path: String,
    },
    /// `sync`: write back and commit everything.
    Sync,
    /// `sync_range PATH OFFSET LEN`: `sync_file_range(2)` with
    /// `SYNC_FILE_RANGE_WAIT_BEFORE | WRITE | WAIT_AFTER`: the dirty pages
    /// holding bytes [OFFSET, OFFSET + LEN) written back (blocks allocated or
    /// converted, data written), waited for; no commit.
    SyncRange {
        /// The file.
        path: String,
        /// Byte offset.
        offset: u64,
        /// Bytes (more than 0).
        len: u64,
    },
    /// `write PATH OFFSET LEN`: into the page cache (delayed allocation); the
    /// file is created when missing.
    Write {
        /// The file.
        path: String,
        /// Byte offset.
        offset: u64,
        /// Bytes.
        len: u64,
    },
    /// `mv A B`: rename (replacing B).
    Mv {
        /// From.
        from: String,
        /// To.
        to: String,
    },
    /// `rm PATH`: unlink.
    Rm {
        /// The file.
        path: String,
    },
    /// `fallocate PATH OFFSET LEN [keep_size]`.
    Fallocate {
        /// The file.
        path: String,
        /// Byte offset.
        offset: u64,
        /// Bytes.
        len: u64,
        /// FALLOC_FL_KEEP_SIZE.
        keep_size: bool,
    },
    /// `zero_range PATH OFFSET LEN [keep_size]`.
    ZeroRange {
        /// The file.
        path: String,
        /// Byte offset.
        offset: u64,
        /// Bytes.
        len: u64,
        /// FALLOC_FL_KEEP_SIZE.
        keep_size: bool,
    },
    /// `truncate PATH SIZE`.
    Truncate {
        /// The file.
        path: String,
        /// New size in bytes.
        size: u64,
    },
    /// `mkdir PATH`.
    Mkdir {
        /// The directory.
        path: String,
    },
    /// `ln A B`: a hard link.
    Ln {
        /// Existing.
        from: String,
        /// New name.
        to: String,
    },
    /// `commit`: the running transaction commits (the commit interval expiring).
    Commit,
    /// `checkpoint`: committed blocks are written home, the log tail moves.
    Checkpoint,
}

/// An operation with where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OpLine {
    /// Its index in the script (0-based).
    pub index: usize,
    /// The text as written.
    pub text: String,
    /// The operation.
    pub op: Op,
}

fn need(name: &str, args: &[&str], n: core::ops::RangeInclusive<usize>, usage: &str) -> Result<(), String> {
    if n.contains(&args.len()) {
        Ok(())
    } else {
        Err(format!("`{name}` takes {usage}"))
    }
}

fn number(name: &str, s: &str) -> Result<u64, String> {
    let (digits, mult) = match s.as_bytes().last() {
        Some(b'k' | b'K') => (&s[..s.len() - 1], 1024u64),
        Some(b'm' | b'M') => (&s[..s.len() - 1], 1 << 20),
        Some(b'g' | b'G') => (&s[..s.len() - 1], 1 << 30),
        _ => (s, 1),
    };
    digits.parse::<u64>().ok().and_then(|v| v.checked_mul(mult)).ok_or_else(|| {
        format!("`{name}`: `{s}` is not a size (a number of bytes, optionally with K, M or G)")
    })
}

/// Parse a script. Errors name the line and say what was expected.
pub fn parse(script: &str) -> Result<Vec<OpLine>, String> {
    let mut out = Vec::new();
    for (ln, line) in script.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("");
        for piece in line.split(';') {
            let text = piece.trim();
            if text.is_empty() {
                continue;
            }
            let words: Vec<&str> = text.split_whitespace().collect();
            let (name, args) = (words[0], &words[1..]);
            let at = |e: String| format!("line {}: {e}", ln + 1);
            let path = |i: usize| -> Result<String, String> {
                let p = args.get(i).copied().unwrap_or("");
                if p.starts_with('/') {
                    Ok(p.to_string())
                } else {
                    Err(format!("`{name}`: paths start with / (got `{p}`)"))
                }
            };
            let op = match name {
                "chattr" => {
                    need(name, args, 2..=2, "+e PATH or -e PATH").map_err(at)?;
                    let extents = match args[0] {
                        "+e" => true,
                        "-e" => false,
                        other => return Err(at(format!("`chattr`: only +e and -e are simulated (got `{other}`)"))),
                    };
                    Op::Chattr { path: path(1).map_err(at)?, extents }
                }
                "fsync" => {
                    need(name, args, 1..=1, "PATH").map_err(at)?;
                    Op::Fsync { path: path(0).map_err(at)? }
                }
                "sync" | "commit" | "checkpoint" => {
                    need(name, args, 0..=0, "no arguments").map_err(at)?;
                    match name {
                        "sync" => Op::Sync,
                        "commit" => Op::Commit,
                        _ => Op::Checkpoint,
                    }
                }
                "write" | "fallocate" | "zero_range" => {
                    need(name, args, 3..=4, "PATH OFFSET LEN").map_err(at)?;
                    path(0).map_err(at)?;
                    number(name, args[1]).map_err(at)?;
                    number(name, args[2]).map_err(at)?;
                    if args.len() == 4 && (name == "write" || args[3] != "keep_size") {
                        return Err(at(format!("`{name}`: unexpected `{}`", args[3])));
                    }
                    if name == "write" {
                        Op::Write {
                            path: path(0).map_err(at)?,
                            offset: number(name, args[1]).map_err(at)?,
                            len: number(name, args[2]).map_err(at)?,
                        }
                    } else {
                        let (path, offset, len) = (path(0).map_err(at)?, number(name, args[1]).map_err(at)?, number(name, args[2]).map_err(at)?);
                        let keep_size = args.len() == 4;
                        if name == "fallocate" {
                            Op::Fallocate { path, offset, len, keep_size }
                        } else {
                            Op::ZeroRange { path, offset, len, keep_size }
                        }
                    }
                }
                "sync_range" => {
                    need(name, args, 3..=3, "PATH OFFSET LEN").map_err(at)?;
                    let len = number(name, args[2]).map_err(at)?;
                    if len == 0 {
                        return Err(at(String::from(
                            "`sync_range`: LEN 0 (sync_file_range's \"to the end of the file\") is not simulated: give the length",
                        )));
                    }
                    Op::SyncRange { path: path(0).map_err(at)?, offset: number(name, args[1]).map_err(at)?, len }
                }
                "truncate" => {
                    need(name, args, 2..=2, "PATH SIZE").map_err(at)?;
                    Op::Truncate { path: path(0).map_err(at)?, size: number(name, args[1]).map_err(at)? }
                }
                "rm" => {
                    need(name, args, 1..=1, "PATH").map_err(at)?;
                    Op::Rm { path: path(0).map_err(at)? }
                }
                "mkdir" => {
                    need(name, args, 1..=1, "PATH").map_err(at)?;
                    Op::Mkdir { path: path(0).map_err(at)? }
                }
                "mv" => {
                    need(name, args, 2..=2, "A B").map_err(at)?;
                    Op::Mv { from: path(0).map_err(at)?, to: path(1).map_err(at)? }
                }
                "ln" => {
                    need(name, args, 2..=2, "A B").map_err(at)?;
                    Op::Ln { from: path(0).map_err(at)?, to: path(1).map_err(at)? }
                }
                other => {
                    return Err(at(format!(
                        "unknown operation `{other}` (known: chattr, write, fsync, sync, sync_range, truncate, fallocate, zero_range, rm, mv, mkdir, ln, commit, checkpoint)"
                    )))
                }
            };
            out.push(OpLine { index: out.len(), text: text.to_string(), op });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_lines_and_semicolons() {
        let ops = parse("chattr +e /a; fsync /a\n# comment\ncommit\nwrite /b 0 4K\n").unwrap();
        assert_eq!(ops.len(), 4);
        assert_eq!(ops[0].op, Op::Chattr { path: "/a".into(), extents: true });
        assert_eq!(ops[1].op, Op::Fsync { path: "/a".into() });
        assert_eq!(ops[2].op, Op::Commit);
        assert_eq!(ops[3].op, Op::Write { path: "/b".into(), offset: 0, len: 4096 });
        assert_eq!(
            parse("sync_range /a 0 4K").unwrap()[0].op,
            Op::SyncRange { path: "/a".into(), offset: 0, len: 4096 }
        );
        assert!(parse("sync_range /a 0 0").unwrap_err().contains("LEN 0"));
        assert_eq!(parse("ln /a /b").unwrap()[0].op, Op::Ln { from: "/a".into(), to: "/b".into() });
        assert_eq!(
            parse("zero_range /a 4K 8K keep_size").unwrap()[0].op,
            Op::ZeroRange { path: "/a".into(), offset: 4096, len: 8192, keep_size: true }
        );
    }

    #[test]
    fn errors_name_the_line() {
        assert_eq!(
            parse("sync\nchattr +x /a").unwrap_err(),
            "line 2: `chattr`: only +e and -e are simulated (got `+x`)"
        );
        assert!(parse("fsync a").unwrap_err().contains("paths start with /"));
        assert!(parse("frobnicate").unwrap_err().starts_with("line 1: unknown operation `frobnicate`"));
        assert!(parse("write /a 0 lots").unwrap_err().contains("not a size"));
    }
}
