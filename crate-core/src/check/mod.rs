//! The checker: what `e2fsck -fn` would say about a state of the image.
//!
//! The passes follow e2fsck's: pass 0 (superblock and group descriptors), pass 1
//! (inodes and their block maps; it is the ownership [`Scanner`] in e2fsck's
//! inode selection, with a visitor for the per-inode checks, not a second walk;
//! the visitor walks extent trees, indirect maps' too-big blocks and the bad
//! blocks inode as e2fsck does, so that what the scan claims is what e2fsck
//! marks, and asks pass 1E's "could be shorter / narrower" there, as e2fsck),
//! 1B–1D (multiply-claimed blocks, skipped under `RO_COMPAT_SHARED_BLOCKS` as
//! e2fsck skips them), 2 (directory entries), 3 (connectivity), 4 (reference
//! counts) and 5 (bitmaps and free counts).
//!
//! Every finding is asked the way e2fsck's `fix_problem` asks it under `-n`:
//! the answer is always "no", latch questions are asked once before the first
//! problem of their latch, `PR_AFTER_CODE` asks the second question, and the
//! answer decides the exit code exactly as there: a problem with a prompt and
//! without `PR_NO_OK` leaves the file system with errors (exit 4); `PR_FATAL`,
//! an answered `PROMPT_ABORT` or a pass that must stop when it cannot fix
//! something aborts (exit 8, or 12 with errors left). The problem codes, names,
//! messages, prompts and flags are e2fsprogs' own table ([`codes`]).
//!
//! The checker reads through the [`Fs`] it is handed, so it checks whatever
//! state that is: the image, the image replayed through a transaction, a
//! simulated state.

pub mod codes;
mod dirs;
mod dx;
mod extents;
mod inline;
mod journal_checks;
mod orphan;
mod pass1;
mod pass5;
mod pathname;
mod quota;
mod rehash;
mod resize;
mod super_checks;
mod xattrs;

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

use crate::fs::Fs;
use crate::ownership::{Progress, Scanner};
use codes::{ProblemDef, Prompt};

/// Findings listed in a report at most (counts stay exact).
pub const MAX_FINDINGS: usize = 20_000;

/// One problem e2fsck would raise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// Our code: e2fsck's name when it has one.
    pub code: String,
    /// e2fsck's name (`PR_1_BAD_I_SIZE`), or `None` for a finding of ours.
    pub e2fsck: Option<String>,
    /// e2fsck's value as problem_log writes it (`"0x01000c"`).
    pub e2fsck_code: Option<String>,
    /// The pass (`"0"`, `"1"`, `"1B"`, `"2"`, … `"5"`).
    pub pass: String,
    /// The inode concerned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inode: Option<u32>,
    /// The block concerned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub block: Option<u64>,
    /// The group concerned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<u32>,
    /// What e2fsck prints (its wording), without the question.
    pub message: String,
    /// The question e2fsck asks (`"Fix"`, `"Clear"`…), empty when it asks none.
    pub prompt: String,
    /// e2fsck's answer under `-n` (false: "no"; for a latch question that is
    /// what every later problem of the latch is answered).
    pub answer: bool,
    /// True when this finding leaves the file system marked with errors.
    pub error: bool,
    /// e2fsck stops at this problem (`PR_FATAL`); it exits before its
    /// problem_log records it.
    #[serde(default, skip_serializing_if = "core::ops::Not::not")]
    pub fatal: bool,
    /// How e2fsck -n prints it.
    #[serde(default)]
    pub printed: Printed,
}

/// How `fix_problem` prints a problem under `-n`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Printed {
    /// The message and the question answered: "Fix? no", then a blank line.
    #[default]
    Asked,
    /// The message and "IGNORED." (a question whose latch was already
    /// answered, or one e2fsck forces to no).
    Ignored,
    /// The message alone (no question).
    Message,
    /// Nothing (`PR_NO_NOMSG` under -n); problem_log still records it.
    Suppressed,
}

/// What the checker concluded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckReport {
    /// The exit code `e2fsck -fn` would give (0, 4, 8, 12).
    pub exit_code: i32,
    /// No finding that leaves errors.
    pub clean: bool,
    /// Where e2fsck would stop, if it aborts (`"e2fsck: aborted"`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aborted: Option<String>,
    /// The pass it aborts in ("1", "2", …): its header is printed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aborted_in: Option<String>,
    /// The findings, in the order e2fsck raises them (at most [`MAX_FINDINGS`]).
    pub problems: Vec<Finding>,
    /// Findings not listed.
    pub unlisted: u64,
    /// False when the check was cancelled (partial results).
    pub complete: bool,
}

impl CheckReport {
    /// The report for an image that cannot be opened at all: e2fsck stops
    /// before any pass with exit code 8.
    pub fn unopenable(err: &dyn core::fmt::Display) -> CheckReport {
        // ext2fs_open2 fails (PR_0_OPEN_FAILED), the backups fail too, and
        // e2fsck explains the superblock (PR_0_SB_CORRUPT) before it stops.
        let mut ctx = Ctx::new();
        let pc = Pctx { s: Some(format!("{err}")), ..Pctx::default() };
        let _ = ctx.fix(codes::PR_0_OPEN_FAILED, &pc);
        let _ = ctx.fix(codes::PR_0_SB_CORRUPT, &pc);
        CheckReport {
            exit_code: 8,
            clean: false,
            aborted: Some(format!("e2fsck cannot open the file system: {err}")),
            aborted_in: None,
            problems: ctx.findings,
            unlisted: 0,
            complete: true,
        }
    }
}

/// Parameters of one problem (e2fsck's `problem_context`).
#[derive(Debug, Clone, Default)]
pub(crate) struct Pctx {
    pub ino: Option<u32>,
    pub ino2: Option<u32>,
    pub dir: Option<u32>,
    pub blk: Option<u64>,
    pub blk2: Option<u64>,
    pub blkcount: Option<i64>,
    pub group: Option<u32>,
    pub num: Option<u64>,
    /// e2fsck's `num2` (`%n`).
    pub num2: Option<u64>,
    pub csum1: Option<u32>,
    pub csum2: Option<u32>,
    pub s: Option<String>,
    /// Dirent: inode, name (as stored: printed lossily as UTF-8), rec_len,
    /// name_len, file type.
    pub dirent: Option<(u32, Vec<u8>, u32, u32, u8)>,
    /// The inode's fields (e2fsck's `%I…`).
    pub inode: Option<InodeFields>,
    /// The name the entry being looked at gives the inode (for `%Q`).
    pub name: Option<String>,
}

/// The inode fields e2fsck's messages print (`%Is`, `%Ib`, …).
#[derive(Debug, Clone, Default)]
pub(crate) struct InodeFields {
    /// `EXT2_I_SIZE`: i_size_lo and i_size_high.
    pub size: u64,
    pub size_high: u32,
    pub blocks: u64,
    pub links: u16,
    pub mode: u16,
    pub file_acl: u64,
    pub faddr: u32,
    pub uid: u32,
    pub gid: u32,
    pub extra_isize: u16,
    pub mtime: u32,
}

impl InodeFields {
    pub(crate) fn of(i: &crate::format::inode::Inode) -> InodeFields {
        let r = &i.raw;
        InodeFields {
            size: u64::from(r.i_size_lo) | (u64::from(r.i_size_high) << 32),
            size_high: r.i_size_high,
            blocks: i.blocks_raw(), // %Ib: not scaled by HUGE_FILE_FL
            links: i.links(),
            mode: i.mode(),
            file_acl: i.file_acl(),
            faddr: r.i_obso_faddr,
            uid: i.uid(),
            gid: i.gid(),
            extra_isize: r.i_extra_isize,
            mtime: r.i_mtime,
        }
    }
}

impl Pctx {
    /// Become a copy of `src` but for `dirent`, which the caller sets (a loop
    /// over directory entries reuses one context and its buffers).
    pub(crate) fn reset_but_dirent(&mut self, src: &Pctx) {
        let Pctx {
            ino,
            ino2,
            dir,
            blk,
            blk2,
            blkcount,
            group,
            num,
            num2,
            csum1,
            csum2,
            s,
            dirent: _,
            inode,
            name,
        } = src;
        (self.ino, self.ino2, self.dir, self.blk, self.blk2, self.blkcount) =
            (*ino, *ino2, *dir, *blk, *blk2, *blkcount);
        (self.group, self.num, self.num2, self.csum1, self.csum2) = (*group, *num, *num2, *csum1, *csum2);
        self.s.clone_from(s);

        self.inode.clone_from(inode);
        self.name.clone_from(name);
    }

    pub(crate) fn ino(ino: u32) -> Pctx {
        Pctx { ino: Some(ino), ..Pctx::default() }
    }
    pub(crate) fn group(g: u32) -> Pctx {
        Pctx { group: Some(g), ..Pctx::default() }
    }
}

/// Stop: e2fsck would abort here.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Abort;

/// e2fsck's `fix_problem` under `-n`, and what it leaves.
pub(crate) struct Ctx {
    findings: Vec<Finding>,
    unlisted: u64,
    /// The file system is marked invalid (exit 4).
    pub invalid: bool,
    /// e2fsck aborted (exit 8).
    pub fatal: Option<String>,
    /// The pass it aborted in.
    fatal_pass: Option<&'static str>,
    latched: BTreeMap<u32, bool>,
    pass: &'static str,
    /// Directory parents known so far (for the paths in messages).
    pub names: BTreeMap<u32, (u32, String)>,
    /// The first backup superblock (e2fsck's `get_backup_sb`, `%S`).
    backup_sb: u64,
    /// How the problem being recorded is printed.
    printed: Printed,
    /// Findings whose messages name paths, with their parameters.
    deferred: Vec<(usize, Pctx)>,
    /// Latches marked latched without their question (e2fsck's
    /// `set_latch_flags(…, PRL_LATCHED, 0)`): their problems are asked as
    /// if the latch had none.
    prelatched: alloc::collections::BTreeSet<u32>,
    /// e2fsck checks a backup superblock (its `ctx->superblock`).
    pub backup_in_use: bool,
}

impl Ctx {
    fn new() -> Ctx {
        Ctx {
            findings: Vec::new(),
            unlisted: 0,
            invalid: false,
            fatal: None,
            fatal_pass: None,
            latched: BTreeMap::new(),
            pass: "0",
            names: BTreeMap::new(),
            // e2fsck's answer when it has no file system to ask.
            backup_sb: 8193,
            printed: Printed::Asked,
            deferred: Vec::new(),
            prelatched: alloc::collections::BTreeSet::new(),
            backup_in_use: false,
        }
    }

    /// Mark `latch` latched without asking its question.
    pub(crate) fn prelatch(&mut self, latch: u32) {
        self.prelatched.insert(latch);
    }

    pub(crate) fn set_pass(&mut self, pass: &'static str) {
        self.pass = pass;
    }

    /// Ask problem `code` as e2fsck -n does; returns the answer (always "no"
    /// under -n) or `Err(Abort)` when e2fsck would stop.
    pub(crate) fn fix(&mut self, code: u32, pc: &Pctx) -> Result<bool, Abort> {
        let Some(def) = codes::by_code(code) else {
            self.record(None, code, pc, false, false);
            return Ok(false);
        };
        let latch = def.flags & codes::PR_LATCH_MASK;
        // A latch whose question has been answered answers its members.
        let mut latched = false;
        if latch != 0 && !self.prelatched.contains(&latch) {
            if let Some(l) = codes::LATCHES.iter().find(|l| l.latch == latch) {
                if l.question != 0 {
                    if let alloc::collections::btree_map::Entry::Vacant(e) = self.latched.entry(latch) {
                        e.insert(false);
                        self.fix(l.question, pc)?;
                    }
                    // A question without a prompt that does not collate
                    // answers "-1": neither yes nor no, so its problems are
                    // asked each on its own.
                    latched = codes::by_code(l.question)
                        .is_none_or(|q| q.prompt != Prompt::None || q.flags & codes::PR_NOCOLLATE == 0);
                }
            }
        }
        self.printed = if def.flags & codes::PR_NO_NOMSG != 0 {
            Printed::Suppressed
        } else if def.prompt == Prompt::None {
            Printed::Message
        } else if def.flags & codes::PR_FORCE_NO != 0 || latched {
            Printed::Ignored
        } else {
            Printed::Asked
        };
        if def.flags & codes::PR_FATAL != 0 {
            self.record(Some(def), code, pc, false, false);
            self.fatal = Some(String::from(def.name));
            self.fatal_pass = Some(self.pass);
            return Err(Abort);
        }
        let answer = false;
        let mut error = false;
        if def.prompt != Prompt::None && def.flags & codes::PR_NO_OK == 0 {
            self.invalid = true;
            error = true;
        }
        self.record(Some(def), code, pc, answer, error);
        if def.flags & codes::PR_AFTER_CODE != 0 && def.second_code != 0 {
            return self.fix(def.second_code, pc);
        }
        Ok(answer)
    }

    /// e2fsck's `end_problem_latch`: the latch's closing message, if its
    /// question was asked, and the latch is reset.
    pub(crate) fn end_latch(&mut self, latch: u32) -> Result<(), Abort> {
        if self.latched.remove(&latch).is_some() {
            if let Some(l) = codes::LATCHES.iter().find(|l| l.latch == latch) {
                if l.end != 0 {
                    self.fix(l.end, &Pctx::default())?;
                }
            }
        }
        Ok(())
    }

    /// Something e2fsck prints that is not a problem of its table (no code,
    /// no question, no effect on the exit code).
    pub(crate) fn note(&mut self, code: &str, message: &str) {
        if self.findings.len() >= MAX_FINDINGS {
            self.unlisted += 1;
            return;
        }
        self.findings.push(Finding {
            code: String::from(code),
            e2fsck: None,
            e2fsck_code: None,
            pass: String::from(self.pass),
            inode: None,
            block: None,
            group: None,
            message: String::from(message),
            prompt: String::new(),
            answer: false,
            error: false,
            fatal: false,
            printed: Printed::Message,
        });
    }

    /// e2fsck stops the check here (a pass sets `E2F_FLAG_ABORT`).
    pub(crate) fn abort(&mut self, why: &str) -> Abort {
        if self.fatal.is_none() {
            self.fatal = Some(String::from(why));
            self.fatal_pass = Some(self.pass);
        }
        Abort
    }

    /// Mark the file system invalid without a problem (e2fsck's
    /// `ext2fs_unmark_valid` after a refused fix).
    pub(crate) fn unmark_valid(&mut self) {
        self.invalid = true;
    }

    fn record(&mut self, def: Option<&'static ProblemDef>, code: u32, pc: &Pctx, answer: bool, error: bool) {
        if self.findings.len() >= MAX_FINDINGS {
            self.unlisted += 1;
            return;
        }
        let message = match def {
            Some(d) => expand(d.message, pc, self, &mut |dir, ino| self.print_by_names(dir, ino, pc)),
            None => format!("unhandled e2fsck problem 0x{code:06x}"),
        };
        // Paths are found on disk when the check ends (see `pathname`).
        if def.is_some_and(|d| ["%p", "%P", "%q", "%Q"].iter().any(|k| d.message.contains(k))) {
            self.deferred.push((self.findings.len(), pc.clone()));
        }
        let prompt = def.map(|d| d.prompt.text()).filter(|p| *p != "(no prompt)").unwrap_or("");
        self.findings.push(Finding {
            code: def.map(|d| String::from(d.name)).unwrap_or_else(|| codes::hex(code)),
            e2fsck: def.map(|d| String::from(d.name)),
            e2fsck_code: Some(codes::hex(code)),
            pass: String::from(self.pass),
            // Pass 5's free counts carry numbers, not an inode or a block, in
            // those parameters.
            inode: pc.ino.filter(|_| !counts_only(code)),
            block: pc.blk.filter(|_| !counts_only(code)),
            group: pc
                .group
                .filter(|_| !matches!(code, codes::PR_5_FREE_INODE_COUNT | codes::PR_5_FREE_BLOCK_COUNT)),
            message,
            prompt: String::from(prompt),
            answer,
            error,
            fatal: def.is_some_and(|d| d.flags & codes::PR_FATAL != 0),
            printed: if def.is_some() { self.printed } else { Printed::Message },
        });
    }

    /// `print_pathname(dir, ino)` from the names seen so far (for a report
    /// before the end; [`Ctx::resolve_paths`] then reads them on disk).
    fn print_by_names(&self, dir: u32, ino: u32, pc: &Pctx) -> String {
        if dir == 0 {
            if let Some(s) = pathname::special(ino) {
                return String::from(s);
            }
        }
        let ino = if dir == ino { 0 } else { ino };
        let base = self.path(dir);
        if ino == 0 {
            return base;
        }
        let name = match (&pc.name, self.names.get(&ino)) {
            (Some(n), _) if pc.ino == Some(ino) => n.clone(),
            (_, Some((parent, n))) if *parent == dir => n.clone(),
            _ => String::from("???"),
        };
        let sep = if base.len() > 1 { base.as_str() } else { "" };
        format!("{sep}/{name}")
    }

    /// The messages with paths, expanded again with the paths on disk.
    fn resolve_paths(&mut self, fs: &Fs) {
        let deferred = core::mem::take(&mut self.deferred);
        let mut names = pathname::Pathnames::new(fs);
        for (i, pc) in deferred {
            let Some(def) = self.findings.get(i).and_then(|f| f.e2fsck.as_deref()).and_then(codes::by_name)
            else {
                continue;
            };
            let message = expand(def.message, &pc, self, &mut |dir, ino| names.print(dir, ino));
            if let Some(f) = self.findings.get_mut(i) {
                f.message = message;
            }
        }
    }

    /// A path for directory `ino` from the names seen so far (e2fsck's `%p`).
    fn path(&self, ino: u32) -> String {
        if ino == crate::format::inode::ROOT_INO {
            return String::from("/");
        }
        let mut parts: Vec<&str> = Vec::new();
        let mut cur = ino;
        for _ in 0..64 {
            if cur == crate::format::inode::ROOT_INO {
                let mut s = String::new();
                for p in parts.iter().rev() {
                    s.push('/');
                    s.push_str(p);
                }
                return s;
            }
            match self.names.get(&cur) {
                Some((parent, name)) => {
                    parts.push(name);
                    cur = *parent;
                }
                None => break,
            }
        }
        String::from("???")
    }
}

/// Problems whose `ino`/`blk` parameters are counts (pass 5's free counts).
fn counts_only(code: u32) -> bool {
    matches!(
        code,
        codes::PR_5_FREE_INODE_COUNT_GROUP
            | codes::PR_5_FREE_DIR_COUNT_GROUP
            | codes::PR_5_FREE_INODE_COUNT
            | codes::PR_5_FREE_BLOCK_COUNT_GROUP
            | codes::PR_5_FREE_BLOCK_COUNT
    )
}

/// e2fsck's header for `pass` ("1", "1B", … "5"), as it prints it (without
/// the newline): "Pass 1: Checking inodes, blocks, and sizes".
pub fn pass_header(pass: &str) -> Option<&'static str> {
    let code = match pass {
        "1" => codes::PR_1_PASS_HEADER,
        "1B" => codes::PR_1B_PASS_HEADER,
        "1C" => codes::PR_1C_PASS_HEADER,
        "1D" => codes::PR_1D_PASS_HEADER,
        "1E" => codes::PR_1E_PASS_HEADER,
        "2" => codes::PR_2_PASS_HEADER,
        "3" => codes::PR_3_PASS_HEADER,
        "3A" => codes::PR_3A_PASS_HEADER,
        "4" => codes::PR_4_PASS_HEADER,
        "5" => codes::PR_5_PASS_HEADER,
        _ => return None,
    };
    codes::by_code(code).map(|d| d.message.trim_end())
}

/// The report as e2fsck -fn prints it on stdout: the pass headers, each
/// problem's message and its question answered "no" (`with_codes` appends
/// each problem's name and code in brackets). Where e2fsck aborts, its
/// stderr line is [`CheckReport::aborted`].
pub fn text(r: &CheckReport, with_codes: bool) -> String {
    use core::fmt::Write;
    let mut out = String::new();
    let order = ["0", "1", "1B", "1C", "1D", "1E", "2", "3", "3A", "4", "5", "6"];
    // e2fsck prints passes 1-5 always; 1B-1D together when 1B runs.
    let shown = |p: &str| match p {
        "1" | "2" | "3" | "4" | "5" => true,
        "1B" | "1C" | "1D" => r.problems.iter().any(|f| matches!(f.pass.as_str(), "1B" | "1C" | "1D")),
        _ => r.problems.iter().any(|f| f.pass == p),
    };
    let header = |out: &mut String, from: usize, upto: usize| {
        for p in &order[from..upto] {
            if shown(p) {
                if let Some(h) = pass_header(p) {
                    out.push_str(h);
                    out.push('\n');
                }
            }
        }
    };
    let mut at = 0usize;
    let mut line_open = false;
    for f in r.problems.iter().filter(|f| f.printed != Printed::Suppressed) {
        let idx = order.iter().position(|p| *p == f.pass).unwrap_or(0);
        if idx >= at {
            if line_open {
                out.push('\n');
            }
            header(&mut out, at, idx + 1);
            at = idx + 1;
        }
        let tag = || format!("  [{} {}]", f.code, f.e2fsck_code.as_deref().unwrap_or(""));
        // The report's messages are trimmed of the newlines e2fsck's table
        // puts around them; the text puts them back.
        // A note of ours is a line of its own.
        let raw = f.e2fsck.as_deref().and_then(codes::by_name).map_or("x\n", |d| d.message);
        let lead = raw.len() - raw.trim_start_matches('\n').len();
        let trail = if lead == raw.len() { 0 } else { raw.len() - raw.trim_end_matches('\n').len() };
        for _ in 0..lead {
            out.push('\n');
        }
        out.push_str(&f.message);
        let answered = f.printed != Printed::Message;
        if with_codes && !answered && trail > 0 {
            // A message of its own line: its codes before the newline.
            out.push_str(&tag());
        }
        for _ in 0..trail {
            out.push('\n');
        }
        line_open = trail == 0 && !(f.message.is_empty() && lead > 0);
        if answered {
            let yes = if f.answer { "yes" } else { "no" };
            if f.printed == Printed::Ignored {
                out.push_str(if f.answer { "FIXED." } else { "IGNORED." });
            } else {
                let _ = write!(out, "{}? {yes}", f.prompt);
            }
            if with_codes {
                out.push_str(&tag());
            }
            out.push_str(if f.printed == Printed::Ignored { "\n" } else { "\n\n" });
            line_open = false;
        }
    }
    if line_open {
        out.push('\n');
    }
    match (&r.aborted, &r.aborted_in) {
        (None, _) => header(&mut out, at, order.len()),
        // Up to the pass that stopped (its header printed before it began).
        (Some(_), Some(p)) => {
            if let Some(idx) = order.iter().position(|o| o == p) {
                if idx >= at {
                    header(&mut out, at, idx + 1);
                }
            }
        }
        (Some(_), None) => {}
    }
    if r.unlisted > 0 {
        let _ = writeln!(out, "({} more problems not listed)", r.unlisted);
    }
    // "e2fsck: aborted" and the like go to stderr: not part of this text.
    out
}

/// `%It`: the file type as e2fsck names it.
fn type_name(mode: u16) -> String {
    String::from(match mode & 0xF000 {
        0x8000 => "regular file",
        0x4000 => "directory",
        0x2000 => "character device",
        0x6000 => "block device",
        0x1000 => "named pipe",
        0xA000 => "symbolic link",
        0xC000 => "socket",
        _ => return format!("unknown file type with mode 0{mode:o}"),
    })
}

/// Expand e2fsck's `%` parameters in an (already @-expanded) message.
fn expand(msg: &str, pc: &Pctx, ctx: &Ctx, paths: &mut dyn FnMut(u32, u32) -> String) -> String {
    let mut out = String::new();
    let mut it = msg.chars().peekable();
    let n = |v: Option<u64>| v.map(|x| format!("{x}")).unwrap_or_default();
    while let Some(c) = it.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        // A field width (`%04x`, `%6i`), as print_e2fsck_message reads it.
        let mut width = 0usize;
        while let Some(d) = it.peek().and_then(|c| c.to_digit(10)) {
            width = width.saturating_mul(10).saturating_add(d as usize).min(64);
            it.next();
        }
        let first = out.is_empty();
        let Some(k) = it.next() else { break };
        let pad = |s: String| format!("{s:>width$}");
        let s = match k {
            'x' => format!("0x{:0width$x}", pc.csum1.unwrap_or(0)),
            'y' => format!("0x{:0width$x}", pc.csum2.unwrap_or(0)),
            't' => pc.num.map(|t| crate::time::ctime(t as i64)).unwrap_or_default(),
            'U' => match pc.num {
                Some(0) => String::from(if first { "User" } else { "user" }),
                Some(1) => String::from(if first { "Group" } else { "group" }),
                Some(2) => String::from(if first { "Project" } else { "project" }),
                Some(q) => format!("{} {q}", if first { "Unknown quota type" } else { "unknown quota type" }),
                None => String::new(),
            },
            'B' => {
                let mut w = match pc.blkcount {
                    Some(-1) => String::from("indirect block"),
                    Some(-2) => String::from("double indirect block"),
                    Some(-3) => String::from("triple indirect block"),
                    Some(-4) => String::from("translator block"),
                    Some(b) => format!("block #{b}"),
                    None => String::new(),
                };
                if first {
                    if let Some(c) = w.get_mut(0..1) {
                        c.make_ascii_uppercase();
                    }
                }
                w
            }
            'b' => pad(n(pc.blk)),
            'c' => pad(n(pc.blk2)),
            'g' => pad(n(pc.group.map(u64::from))),
            'i' => pad(n(pc.ino.map(u64::from))),
            'j' => pad(n(pc.ino2.map(u64::from))),
            'd' => pad(n(pc.dir.map(u64::from))),
            'N' => pad(n(pc.num)),
            'n' => pad(n(pc.num2)),
            'X' => pc.num.map(|x| format!("0x{x:0width$x}")).unwrap_or_default(),
            'r' => pad(pc.blkcount.map(|x| format!("{x}")).unwrap_or_default()),
            's' => pad(pc.s.clone().unwrap_or_default()),
            'm' => pc.s.clone().unwrap_or_default(),
            'S' => format!("{}", ctx.backup_sb),
            // print_pathname(fs, dir, ino) with e2fsck's arguments.
            'p' => paths(pc.ino.unwrap_or(0), 0),
            'q' => paths(pc.dir.unwrap_or(0), 0),
            'P' => paths(pc.ino2.unwrap_or(0), pc.dirent.as_ref().map_or(0, |d| d.0)),
            'Q' => paths(pc.dir.unwrap_or(0), pc.ino.unwrap_or(0)),
            'D' => {
                let f = it.next().unwrap_or(' ');
                match (&pc.dirent, f) {
                    (Some(d), 'i') => format!("{}", d.0),
                    (Some(d), 'n') => String::from_utf8_lossy(&d.1).into_owned(),
                    (Some(d), 'r') => format!("{}", d.2),
                    (Some(d), 'l') => format!("{}", d.3),
                    (Some(d), 't') => format!("{}", d.4),
                    _ => String::new(),
                }
            }
            'I' => {
                let f = it.next().unwrap_or(' ');
                match (&pc.inode, f) {
                    (Some(i), 's') => format!("{}", i.size),
                    (Some(i), 'S') => format!("{}", i.extra_isize),
                    (Some(i), 'b') => format!("{}", i.blocks),
                    (Some(i), 'l') => format!("{}", i.links),
                    (Some(i), 'm') => format!("0{:o}", i.mode),
                    (Some(i), 'M') => crate::time::ctime(i64::from(i.mtime)),
                    (Some(i), 'F') => format!("{}", i.faddr),
                    (Some(i), 'f') => format!("{}", i.file_acl),
                    (Some(i), 'd') => format!("{}", i.size_high),
                    (Some(i), 'u') => format!("{}", i.uid),
                    (Some(i), 'g') => format!("{}", i.gid),
                    (Some(i), 't') => type_name(i.mode),
                    _ => String::new(),
                }
            }
            '%' => String::from("%"),
            other => {
                let mut s = String::from("%");
                s.push(other);
                s
            }
        };
        out.push_str(&s);
    }
    String::from(out.trim_end_matches('\n').trim_start_matches('\n'))
}

/// Progress of a check: the pass and the ownership scan's progress in pass 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckProgress {
    /// The pass being run (1 to 5).
    pub pass: u8,
    /// The scan's progress (pass 1 and 5).
    pub scan: Progress,
    /// Pass 2: directory blocks read and in all (0, 0 before it).
    #[serde(default)]
    pub dir_blocks: (u64, u64),
}

/// Check `fs` as `e2fsck -fn` would. `progress` is called now and then and
/// returns false to cancel (the report then says `complete: false`).
pub fn check(fs: &Fs, progress: &mut dyn FnMut(CheckProgress) -> bool) -> CheckReport {
    let mut checker = Checker::new(fs);
    while !checker.step(fs, CHECK_STEP) {
        if !progress(checker.progress()) {
            break;
        }
    }
    checker.report()
}

/// Work units per [`Checker::step`] in [`check`].
const CHECK_STEP: u64 = 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Done,
    Aborted,
    Cancelled,
}

/// Where a [`Checker`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    /// Superblock, journal and descriptor checks (pass 0).
    Start,
    /// Pass 1: the ownership scan with the per-inode checks.
    Scan,
    /// Passes 1B–1D.
    Duplicates,
    Pass2,
    Pass3,
    Pass4,
    Pass5,
    Finished(Outcome),
}

/// A check that runs a step at a time, so a caller with an event loop (the
/// web worker) can show progress, draw partial results and cancel: make it
/// with [`Checker::new`], call [`Checker::step`] until it returns true, and
/// read [`Checker::report`] whenever (before the end it says
/// `complete: false`). Always hand it the same [`Fs`].
pub struct Checker {
    stage: Stage,
    /// The problem context; inside `pass1` during the scan.
    ctx: Ctx,
    scanner: Scanner,
    pass1: Option<pass1::Pass1>,
    state: State,
    scan: Option<crate::ownership::ScanReport>,
    /// Pass 2 while it runs.
    pass2: Option<dirs::Pass2>,
    /// The file system checked instead of the one handed to [`Checker::step`]
    /// when e2fsck goes on with the backup superblock and descriptors.
    alt: Option<Fs>,
    /// The file system has been opened as e2fsck opens it.
    opened: bool,
}

impl core::fmt::Debug for Checker {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Checker").field("stage", &self.stage).finish_non_exhaustive()
    }
}

impl Checker {
    /// A check of `fs`, not started.
    pub fn new(fs: &Fs) -> Checker {
        let mut ctx = Ctx::new();
        ctx.backup_sb = fs.geo.first_data_block.saturating_add(u64::from(fs.geo.blocks_per_group));
        Checker {
            stage: Stage::Start,
            ctx,
            scanner: Scanner::for_check(fs),
            pass1: None,
            state: State::default(),
            scan: None,
            pass2: None,
            alt: None,
            opened: false,
        }
    }

    /// True when the check has ended (finished or aborted as e2fsck would).
    pub fn is_done(&self) -> bool {
        matches!(self.stage, Stage::Finished(_))
    }

    fn finish(&mut self, fs: &Fs, outcome: Outcome) -> bool {
        if let Some(p1) = self.pass1.take() {
            let (ctx, state) = p1.into_parts();
            self.ctx = ctx;
            self.state = state;
        }
        self.ctx.resolve_paths(fs);
        self.stage = Stage::Finished(outcome);
        true
    }

    /// Do about `budget` units of work (pass 1 counts as the ownership scan
    /// does; each later pass is one step). Returns true when the check has
    /// ended.
    pub fn step(&mut self, fs: &Fs, budget: u64) -> bool {
        let alt = self.alt.take();
        let done = self.step_on(alt.as_ref().unwrap_or(fs), budget);
        if self.alt.is_none() {
            self.alt = alt;
        }
        done
    }

    fn step_on(&mut self, fs: &Fs, budget: u64) -> bool {
        let next = match self.stage {
            Stage::Finished(_) => return true,
            Stage::Start => {
                self.ctx.set_pass("0");
                let opened = core::mem::replace(&mut self.opened, true);
                match if opened { Ok(None) } else { super_checks::open_fs(fs, &mut self.ctx) } {
                    Err(_) => return self.finish(fs, Outcome::Aborted),
                    Ok(None) => {}
                    Ok(Some(backup)) => {
                        // From here on e2fsck checks the backup's view.
                        self.scanner = Scanner::for_check(&backup);
                        self.ctx.backup_sb = backup
                            .geo
                            .first_data_block
                            .saturating_add(u64::from(backup.geo.blocks_per_group));
                        self.alt = Some(backup);
                        self.ctx.backup_in_use = true;
                        return false;
                    }
                }
                let ctx = &mut self.ctx;
                if journal_checks::journal(fs, ctx, ctx.backup_in_use).is_err()
                    || pass1::open_refusal(fs, ctx).is_err()
                {
                    return self.finish(fs, Outcome::Aborted);
                }
                let f = fs.features();
                if f.compat(crate::format::features::COMPAT_HAS_JOURNAL)
                    && f.incompat(crate::format::features::INCOMPAT_RECOVER)
                {
                    ctx.note(
                        "SKIPPING_JOURNAL_RECOVERY",
                        "Warning: skipping journal recovery because doing a read-only filesystem check.",
                    );
                }
                if super_checks::super_block(fs, ctx).is_err()
                    || pass1::pass0(fs, ctx).is_err()
                    || super_checks::super_block_end(fs, ctx).is_err()
                    || resize::check_resize_inode(fs, ctx).is_err()
                {
                    return self.finish(fs, Outcome::Aborted);
                }
                // e2fsck marks the file system valid again after its superblock
                // checks ("valid 'til proven otherwise"): what they refused to
                // fix under -n does not count in the exit code, only what the
                // passes find.
                ctx.invalid = false;
                ctx.set_pass("1");
                let ctx = core::mem::replace(&mut self.ctx, Ctx::new());
                self.pass1 = Some(pass1::Pass1::new(fs, ctx));
                Stage::Scan
            }
            Stage::Scan => {
                let Some(p1) = self.pass1.as_mut() else {
                    return self.finish(fs, Outcome::Aborted);
                };
                match self.scanner.step_with(fs, budget, p1) {
                    // Another file system than the one the check was made for.
                    Err(_) => return self.finish(fs, Outcome::Cancelled),
                    Ok(false) => return false,
                    Ok(true) => {}
                }
                if let Some((_, ino)) = self.scanner.iscan_error() {
                    // "Error while scanning inodes (%i): %m", then e2fsck aborts.
                    let pc = Pctx {
                        ino: Some(ino),
                        s: Some(String::from("Corrupt group descriptor: bad block for inode table")),
                        ..Pctx::default()
                    };
                    let _ = p1.ctx_mut().fix(codes::PR_1_ISCAN_ERROR, &pc);
                    return self.finish(fs, Outcome::Aborted);
                }
                if p1.aborted() || p1.finish(fs).is_err() {
                    return self.finish(fs, Outcome::Aborted);
                }
                if let Some(p1) = self.pass1.take() {
                    let (ctx, state) = p1.into_parts();
                    self.ctx = ctx;
                    self.state = state;
                }
                self.scan = Some(self.scanner.report(fs));
                Stage::Duplicates
            }
            Stage::Duplicates => {
                self.ctx.set_pass("1B");
                let Some(report) = self.scan.as_ref() else {
                    return self.finish(fs, Outcome::Aborted);
                };
                if pass1::duplicates(fs, &mut self.ctx, report, &self.state.dirs).is_err() {
                    return self.finish(fs, Outcome::Aborted);
                }
                Stage::Pass2
            }
            Stage::Pass2 => {
                self.ctx.set_pass("2");
                let mut p = self.pass2.take().unwrap_or_else(|| dirs::Pass2::begin(fs, &mut self.state));
                match p.step(fs, &mut self.ctx, &mut self.state, budget.max(1)) {
                    Err(_) => return self.finish(fs, Outcome::Aborted),
                    Ok(false) => {
                        self.pass2 = Some(p);
                        return false;
                    }
                    Ok(true) => {}
                }
                if p.end(fs, &mut self.ctx, &mut self.state).is_err() {
                    return self.finish(fs, Outcome::Aborted);
                }
                Stage::Pass3
            }
            Stage::Pass3 => {
                self.ctx.set_pass("3");
                if dirs::pass3(fs, &mut self.ctx, &mut self.state).is_err() {
                    return self.finish(fs, Outcome::Aborted);
                }
                Stage::Pass4
            }
            Stage::Pass4 => {
                self.ctx.set_pass("4");
                if dirs::pass4(fs, &mut self.ctx, &mut self.state).is_err() {
                    return self.finish(fs, Outcome::Aborted);
                }
                Stage::Pass5
            }
            Stage::Pass5 => {
                self.ctx.set_pass("5");
                let Some(report) = self.scan.as_ref() else {
                    return self.finish(fs, Outcome::Aborted);
                };
                let mut outcome = match pass5::pass5(fs, &mut self.ctx, report, &self.state) {
                    Ok(()) => Outcome::Done,
                    Err(_) => Outcome::Aborted,
                };
                if outcome == Outcome::Done {
                    // What e2fsck's main does after the passes.
                    self.ctx.set_pass("6");
                    if orphan::end_checks(fs, &mut self.ctx).is_err()
                        || quota::compare(fs, &mut self.ctx, &self.state.quota).is_err()
                    {
                        outcome = Outcome::Aborted;
                    }
                }
                return self.finish(fs, outcome);
            }
        };
        self.stage = next;
        false
    }

    /// Where the check is: the pass about to run or running, and the scan's
    /// progress.
    pub fn progress(&self) -> CheckProgress {
        let scan = self.scanner.progress();
        let pass = match self.stage {
            Stage::Start => 0,
            // The scan reads the bitmaps pass 5 compares at its end; it is
            // still pass 1 as far as the passes' order goes.
            Stage::Scan | Stage::Duplicates => 1,
            Stage::Pass2 => 2,
            Stage::Pass3 => 3,
            Stage::Pass4 => 4,
            Stage::Pass5 | Stage::Finished(_) => 5,
        };
        let dir_blocks = self.pass2.as_ref().map_or((0, 0), |p| p.progress());
        CheckProgress { pass, scan, dir_blocks }
    }

    /// Problems found so far (listed or not).
    pub fn found(&self) -> u64 {
        let ctx = self.pass1.as_ref().map_or(&self.ctx, |p| p.ctx());
        (ctx.findings.len() as u64).saturating_add(ctx.unlisted)
    }

    /// What e2fsck would say, as far as the check has got (`complete: false`
    /// until it has ended).
    pub fn report(&self) -> CheckReport {
        let ctx = self.pass1.as_ref().map_or(&self.ctx, |p| p.ctx());
        let complete = matches!(self.stage, Stage::Finished(Outcome::Done | Outcome::Aborted));
        let mut exit_code = if ctx.invalid { 4 } else { 0 };
        if ctx.fatal.is_some() {
            exit_code |= 8;
        }
        CheckReport {
            exit_code,
            clean: !ctx.invalid && ctx.fatal.is_none(),
            aborted: ctx.fatal.clone(),
            aborted_in: ctx.fatal_pass.map(String::from),
            problems: ctx.findings.clone(),
            unlisted: ctx.unlisted,
            complete,
        }
    }
}

/// What pass 1 learnt about the inodes in use, for passes 2–5 (one entry per
/// inode in use, in inode order: memory is O(inodes in use)).
#[derive(Debug, Default)]
pub(crate) struct State {
    /// Inodes in use, ascending.
    pub used: Vec<u32>,
    /// Their `i_links_count`.
    pub links: Vec<u16>,
    /// Links counted in pass 2.
    pub counted: Vec<u16>,
    /// Their `i_mode`.
    pub mode: Vec<u16>,
    /// EA inodes: references from extended attributes counted in pass 1
    /// (e2fsck's `ea_inode_refs`).
    pub ea_refs: BTreeMap<u32, u64>,
    /// Inodes in bad inode table blocks (e2fsck's `inode_bb_map`: in use,
    /// skipped by pass 4).
    pub bb: alloc::collections::BTreeSet<u32>,
    /// Inodes with `EXT2_IMAGIC_FL` on an `imagic_inodes` file system
    /// (skipped by pass 4).
    pub imagic: alloc::collections::BTreeSet<u32>,
    /// Directory inodes, ascending (a subset of `used`).
    pub dirs: Vec<u32>,
    /// Per directory: parent found in pass 2 (0: none yet) and its `..`.
    pub parent: Vec<u32>,
    /// Per directory: the inode its `..` names.
    pub dotdot: Vec<u32>,
    /// Inodes pass 1 found bad and e2fsck would look at again in pass 2.
    pub bad: Vec<u32>,
    /// Directories to be rebuilt in pass 3A (e2fsck's `dirs_to_hash`).
    pub rehash: alloc::collections::BTreeSet<u32>,
    /// Quota usage counted in pass 1.
    pub quota: quota::Usage,
    /// Where each group's inodes start in `used` (`starts[g]..starts[g + 1]`),
    /// made by [`State::build_index`] when pass 1 ends; empty: none.
    starts: Vec<u32>,
    /// Inodes per group, for `starts`.
    ipg: u32,
}

impl State {
    /// Index `used` by group, so that [`State::index`] looks in one group's
    /// inodes (and finds an inode of a densely used group at once). Memory is
    /// one word per group up to the last inode in use, and never more than
    /// four per inode in use (or 64 Ki): past that, lookups stay binary
    /// searches of the whole list.
    pub(crate) fn build_index(&mut self, ipg: u32) {
        self.starts.clear();
        self.ipg = ipg;
        let (Some(&last), true) = (self.used.last(), ipg != 0) else { return };
        let groups = (last.saturating_sub(1) / ipg) as usize + 1;
        if groups > self.used.len().saturating_mul(4).max(1 << 16) || self.used.len() >= u32::MAX as usize {
            return;
        }
        self.starts.reserve_exact(groups + 1);
        let mut k = 0usize;
        for g in 0..groups {
            // The first inode of group g is g * ipg + 1.
            let first = g as u64 * u64::from(ipg) + 1;
            while k < self.used.len() && u64::from(self.used[k]) < first {
                k += 1;
            }
            self.starts.push(k as u32);
        }
        self.starts.push(self.used.len() as u32);
    }

    pub(crate) fn index(&self, ino: u32) -> Option<usize> {
        if self.starts.is_empty() || ino == 0 {
            return self.used.binary_search(&ino).ok();
        }
        let g = ((ino - 1) / self.ipg) as usize;
        // Past the last group: past the last inode in use.
        let (&lo, &hi) = (self.starts.get(g)?, self.starts.get(g + 1)?);
        let (lo, hi) = (lo as usize, hi as usize);
        let slice = self.used.get(lo..hi)?;
        // In a group used from its first inode on, inode ino is at its offset.
        let guess = ((ino - 1) % self.ipg) as usize;
        if slice.get(guess) == Some(&ino) {
            return Some(lo + guess);
        }
        slice.binary_search(&ino).ok().map(|i| lo + i)
    }
    /// [`State::dir_index`] of the inode at `index` in `used` (`None`: not in
    /// use): directories are exactly the inodes in use with a directory mode,
    /// so only they are looked up.
    pub(crate) fn dir_index_at(&self, index: Option<usize>, ino: u32) -> Option<usize> {
        let i = index?;
        if self.mode.get(i).is_some_and(|&m| m & 0xF000 == 0x4000) {
            self.dir_index(ino)
        } else {
            None
        }
    }
    pub(crate) fn dir_index(&self, ino: u32) -> Option<usize> {
        self.dirs.binary_search(&ino).ok()
    }
    pub(crate) fn is_used(&self, ino: u32) -> bool {
        self.index(ino).is_some()
    }
}
