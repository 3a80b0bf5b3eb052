//! `ext4scope`: the core's reports on the command line, as JSON (`--json`) or text.

use std::fs::File;
use std::io::Write;
use std::os::unix::fs::FileExt;
use std::process::ExitCode;

/// `print!` that never panics: see [`write_out`].
macro_rules! out {
    ($($t:tt)*) => { $crate::write_out(format_args!($($t)*)) };
}

/// `println!` that never panics: see [`write_out`].
macro_rules! outln {
    () => { $crate::write_out(format_args!("\n")) };
    ($($t:tt)*) => { $crate::write_out(format_args!("{}\n", format_args!($($t)*))) };
}

mod cmd_cat;
mod cmd_check;
mod cmd_inode;
mod cmd_journal;
mod cmd_learn;
mod cmd_ls;
mod cmd_mount;
mod cmd_owner;
mod cmd_path;
mod cmd_scan;
mod cmd_sim;

use clap::{Parser, Subcommand};
use ext4scope_core::io::IoError;
use ext4scope_core::{Fs, ReadAt};

/// An ext4 image inspector.
#[derive(Parser)]
#[command(name = "ext4scope", version, about)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Superblock, features and group table.
    Info {
        /// The image file.
        image: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Who claims a block (like debugfs icheck, plus metadata kinds). Scans the inode tables.
    Owner {
        /// The image file.
        image: String,
        /// Block numbers.
        #[arg(required = true)]
        blocks: Vec<u64>,
        /// Print JSON (one object for one block, an array for several).
        #[arg(long)]
        json: bool,
        /// Do not scan: only metadata at fixed places (superblocks, bitmaps, tables).
        #[arg(long)]
        layout_only: bool,
    },
    /// One pass over the inode tables: block ownership, multiply-claimed blocks,
    /// bitmap and free-count differences, checksum failures.
    Scan {
        /// The image file.
        image: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
        /// With --json, add a whole-disk map summary of at most this many buckets.
        #[arg(long)]
        map: Option<u32>,
    },
    /// One inode decoded, with its block map (extents, indirect blocks, inline data).
    Inode {
        /// The image file.
        image: String,
        /// Inode number (`12` or `<12>`).
        ino: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// A file's bytes to stdout (holes as zeros).
    Cat {
        /// The image file.
        image: String,
        /// `<INO>` or an absolute path (`/dir/file`).
        file: String,
    },
    /// A directory's entries like debugfs `ls -l` (htree, inline and linear directories).
    Ls {
        /// The image file.
        image: String,
        /// An absolute path (`/dir`) or `<INO>`.
        dir: String,
        /// Print JSON: entries with block and offset, blocks with checksums, the htree, problems.
        #[arg(long)]
        json: bool,
        /// Also show deleted entries found in the slack after others (debugfs `ls -d`).
        #[arg(short, long)]
        deleted: bool,
    },
    /// The jbd2 journal as recovery walks it: transactions, logged blocks,
    /// revokes, commits and their checksums, where recovery stops, history.
    Journal {
        /// The image file.
        image: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Write the image as recovery (e2fsck) leaves it after replaying the
    /// journal, through transaction SEQ ("crash right after SEQ committed").
    Replay {
        /// The image file (never written).
        image: String,
        /// Where to write the replayed image.
        #[arg(long, short)]
        output: String,
        /// Replay only through this transaction.
        #[arg(long)]
        through: Option<u32>,
        /// Print the replay report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// What `e2fsck -fn` would say: its problems (codes, messages) and exit
    /// code, which is also this command's exit code (0, 4, 8 or 12).
    Check {
        /// The image file.
        image: String,
        /// Check the image as journal recovery leaves it after this transaction.
        #[arg(long)]
        through: Option<u32>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Simulate operations (`chattr +e PATH; fsync PATH`…) as the kernel
    /// performs them: jbd2 transactions, the stream of block writes, and the
    /// image as a crash after K writes leaves it.
    Simulate {
        /// The image file (never written).
        image: String,
        /// The operations (`;`- or newline-separated), or @FILE.
        #[arg(long)]
        ops: String,
        /// Write the resulting image here.
        #[arg(long, short)]
        output: Option<String>,
        /// kernel (default), orphan-list, single-transaction or in-memory-temp.
        #[arg(long)]
        design: Option<String>,
        /// data= mode: ordered (default), journal, writeback.
        #[arg(long)]
        data: Option<String>,
        /// Kernel era: 6.x (default) or 4.14 (as released, before
        /// 51e3ae81ec58 and 801674f34ecf: fallocate and writeback only).
        #[arg(long)]
        kernel: Option<String>,
        /// `end` (every transaction committed, nothing checkpointed) or K (the
        /// first K writes reached the disk). Default: after a clean unmount.
        #[arg(long)]
        crash: Option<String>,
        /// Print the stream (and outcomes) as JSON.
        #[arg(long)]
        json: bool,
        /// The outcome of a crash at each interesting point.
        #[arg(long)]
        outcomes: bool,
        /// Every design's outcomes side by side (with --restart-commits).
        #[arg(long)]
        compare: bool,
        /// Every handle restart (ext4_journal_restart) ends the transaction, as
        /// when kjournald wins the race; by default the restarted handle
        /// rejoins it, as the recorded kernel did.
        #[arg(long)]
        restart_commits: bool,
        /// mb_optimize_scan=0|1 (default: the kernel's choice, on from 16 groups).
        #[arg(long)]
        mb_optimize_scan: Option<u8>,
        /// The device is non-rotational (SSD, NVMe): mballoc tries no group
        /// in order before its optimised scan (default: rotational, 4 groups).
        #[arg(long)]
        non_rotational: bool,
    },
    /// Guided scenarios (journaling and crash consistency): without arguments
    /// the list; with one and its sample image, every step explained.
    Learn {
        /// The scenario (`migration`, `delalloc-rename`, …).
        scenario: Option<String>,
        /// Its sample image.
        image: Option<String>,
        /// The variant (default: the first).
        #[arg(long)]
        variant: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Blocks that differ between two crash points, each decoded at its home
    /// location with its field changes.
    Diff {
        /// The image file.
        image: String,
        /// The state after this transaction (default: the image as it is).
        #[arg(long)]
        from: Option<u32>,
        /// The state after this transaction (default: the whole valid log).
        #[arg(long)]
        to: Option<u32>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// What Linux 6.18 does when it mounts the image (read-only device with
    /// `mount -r`, and read-write): mounted ro, mounted rw or refused, the
    /// kernel's log lines and every check in ext4_fill_super's order.
    /// The mount verdict as one report: read-only device and read-write,
    /// and what `-o noblock_validity` and `-o noload` change.
    MountVerdict {
        /// The image file.
        image: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    Mount {
        /// The image file.
        image: String,
        /// Only the read-only device (`losetup -r` + `mount -r`).
        #[arg(long, conflicts_with = "rw")]
        ro: bool,
        /// Only the read-write mount.
        #[arg(long)]
        rw: bool,
        /// `-o noload`: do not load the journal.
        #[arg(long)]
        noload: bool,
        /// `-o noblock_validity`: no system zone.
        #[arg(long)]
        noblock_validity: bool,
        /// Print JSON: {"ro": verdict, "rw": verdict}.
        #[arg(long)]
        json: bool,
    },
    /// Every path of inodes, from a walk of the tree (like debugfs `ncheck`).
    Path {
        /// The image file.
        image: String,
        /// Inode numbers (`12` or `<12>`).
        inos: Vec<String>,
        /// Every inode reachable from the root.
        #[arg(long)]
        all: bool,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// A file read with positioned reads.
struct FileSource {
    file: File,
    len: u64,
}

impl ReadAt for FileSource {
    fn len(&self) -> u64 {
        self.len
    }
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> Result<(), IoError> {
        self.file.read_exact_at(buf, offset).map_err(|e| IoError {
            offset,
            len: buf.len() as u64,
            message: e.to_string(),
        })
    }
}

/// The block cache budget of commands that read the disk once (scan, check).
pub const STREAMING_CACHE_BYTES: usize = 8 << 20;

fn open(path: &str) -> Result<Fs, String> {
    let file = File::open(path).map_err(|e| format!("{path}: {e}"))?;
    let len = file.metadata().map_err(|e| format!("{path}: {e}"))?.len();
    let mut fs = Fs::open(Box::new(FileSource { file, len })).map_err(|e| format!("{path}: {e}"))?;
    // The command line reports every descriptor's problems, however many groups.
    fs.check_all_descriptors();
    Ok(fs)
}

/// Open the image as e2fsck does for a check: from its first backup
/// superblock when the primary cannot be opened.
fn open_for_check(path: &str) -> Result<Fs, String> {
    let file = File::open(path).map_err(|e| format!("{path}: {e}"))?;
    let len = file.metadata().map_err(|e| format!("{path}: {e}"))?.len();
    let mut src = || -> Box<dyn ReadAt> {
        match file.try_clone() {
            Ok(file) => Box::new(FileSource { file, len }),
            Err(_) => Box::new(Vec::new()),
        }
    };
    Fs::open_or_backup(&mut src).map_err(|e| format!("{path}: {e}"))
}

/// Write to stdout. A reader that went away (`ext4scope scan IMG --json | head
/// -c 10`) ends the program quietly with success, as it would end with SIGPIPE
/// had Rust not ignored it: `println!` would panic there instead. Any other
/// write error ends it with a message and failure.
pub fn write_out(args: std::fmt::Arguments<'_>) {
    let r = std::io::stdout().lock().write_fmt(args);
    stdout_result(r);
}

/// What to do after a write to stdout: nothing, or end the program (see [`write_out`]).
pub fn stdout_result(r: std::io::Result<()>) {
    match r {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        Err(e) => {
            eprintln!("ext4scope: stdout: {e}");
            std::process::exit(1);
        }
    }
}

fn print_json<T: serde::Serialize>(v: &T) -> Result<(), String> {
    let mut s = serde_json::to_string_pretty(v).map_err(|e| e.to_string())?;
    s.push('\n');
    let mut o = std::io::stdout().lock();
    stdout_result(o.write_all(s.as_bytes()).and_then(|()| o.flush()));
    Ok(())
}

fn info(path: &str, json: bool) -> Result<(), String> {
    let fs = open(path)?;
    let report = fs.info_with_groups();
    if json {
        return print_json(&report);
    }
    for (k, v) in &report.summary {
        outln!("{:<26}{v}", format!("{k}:"));
    }
    let cs = match report.superblock_checksum_ok {
        None => "not checksummed".to_string(),
        Some(true) => "ok".to_string(),
        Some(false) => format!(
            "BAD (stored 0x{:08x}, computed 0x{:08x})",
            report.superblock_checksum.stored, report.superblock_checksum.computed
        ),
    };
    outln!("{:<26}{cs}", "Superblock checksum:");
    outln!();
    for g in &report.groups {
        let csum = match g.checksum.ok {
            None => String::new(),
            Some(ok) => format!(" csum 0x{:04x}{}", g.checksum.stored, if ok { "" } else { " BAD" }),
        };
        let flags = if g.flags.is_empty() { String::new() } else { format!(" [{}]", g.flags.join(", ")) };
        outln!("Group {}: (Blocks {}-{}){csum}{flags}", g.group, g.first_block, g.last_block);
        if let Some(s) = g.head.superblock {
            outln!("  {} superblock at {s}", if g.group == 0 { "Primary" } else { "Backup" });
        }
        if let Some((s, n)) = g.head.gdt {
            outln!("  Group descriptors at {s}-{}", s + n - 1);
        }
        if let Some((s, n)) = g.head.reserved_gdt {
            outln!("  Reserved GDT blocks at {s}-{}", s + n - 1);
        }
        outln!("  Block bitmap at {}, Inode bitmap at {}", g.block_bitmap, g.inode_bitmap);
        outln!("  Inode table at {}-{}", g.inode_table, g.inode_table + u64::from(g.inode_table_blocks) - 1);
        outln!(
            "  {} free blocks, {} free inodes, {} directories, {} unused inodes",
            g.free_blocks_count,
            g.free_inodes_count,
            g.used_dirs_count,
            g.itable_unused
        );
    }
    if !report.problems.is_empty() {
        outln!();
        outln!("Problems:");
        for p in &report.problems {
            outln!("  [{:?}] {}: {}", p.severity, p.structure, p.message);
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let r = match cli.cmd {
        Cmd::Info { image, json } => info(&image, json),
        Cmd::Owner { image, blocks, json, layout_only } => cmd_owner::run(&image, &blocks, json, layout_only),
        Cmd::Scan { image, json, map } => cmd_scan::run(&image, json, map),
        Cmd::Inode { image, ino, json } => cmd_inode::run(&image, &ino, json),
        Cmd::Cat { image, file } => cmd_cat::run(&image, &file),
        Cmd::Ls { image, dir, json, deleted } => cmd_ls::run(&image, &dir, json, deleted),
        Cmd::Path { image, inos, all, json } => cmd_path::run(&image, &inos, all, json),
        Cmd::MountVerdict { image, json } => cmd_mount::run_verdict(&image, json),
        Cmd::Mount { image, ro, rw, noload, noblock_validity, json } => {
            cmd_mount::run(&image, ro, rw, noload, noblock_validity, json)
        }
        Cmd::Journal { image, json } => cmd_journal::run_journal(&image, json),
        Cmd::Replay { image, output, through, json } => {
            cmd_journal::run_replay(&image, &output, through, json)
        }
        Cmd::Simulate {
            image,
            ops,
            output,
            design,
            data,
            kernel,
            crash,
            json,
            outcomes,
            compare,
            restart_commits,
            mb_optimize_scan,
            non_rotational,
        } => cmd_sim::run(&cmd_sim::Args {
            image: &image,
            ops: &ops,
            output: output.as_deref(),
            design: design.as_deref(),
            data: data.as_deref(),
            kernel: kernel.as_deref(),
            crash: crash.as_deref(),
            json,
            outcomes,
            compare,
            restart_commits,
            mb_optimize_scan,
            non_rotational,
        }),
        Cmd::Learn { scenario, image, variant, json } => {
            cmd_learn::run(scenario.as_deref(), image.as_deref(), variant.as_deref(), json)
        }
        Cmd::Diff { image, from, to, json } => cmd_journal::run_diff(&image, from, to, json),
        Cmd::Check { image, through, json } => match cmd_check::run(&image, through, json) {
            Ok(code) => return ExitCode::from(u8::try_from(code).unwrap_or(8)),
            Err(e) => Err(e),
        },
    };
    match r {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ext4scope: {e}");
            ExitCode::FAILURE
        }
    }
}
