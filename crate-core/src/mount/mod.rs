//! The mount verdict: what Linux 6.18 does when it mounts this image — mounts
//! it read-write, mounts it read-only, or refuses — and the lines it logs, in
//! the kernel's words and order (`EXT4-fs (loop0): …`, `JBD2: …`).
//!
//! The kernel's checks are modelled in `__ext4_fill_super`'s order, each from
//! the core's parsers:
//!
//! - [`superblock`]: `ext4_load_super` (magic, block and cluster size),
//!   `ext4_init_metadata_csum` (checksum type, superblock checksum),
//!   `ext4_inode_info_init`, the casefold encoding, `ext4_feature_set_ok`
//!   (unknown INCOMPAT refuses, unknown RO_COMPAT refuses read-write,
//!   RO_COMPAT_READONLY forces read-only), `ext4_block_group_meta_init`,
//!   `ext4_handle_clustersize`, `ext4_check_geometry`. These run on the raw
//!   superblock, so an image [`Fs::open`] refuses still gets its verdict.
//! - [`groups`]: `ext4_group_desc_init` and `ext4_check_descriptors` (where
//!   bitmaps and tables lie, descriptor checksums: fatal only read-write), and
//!   `ext4_setup_system_zone` (block_validity: metadata overlapping other
//!   metadata or the journal refuses even read-only).
//! - [`journal`]: `ext4_load_journal` (the journal inode, the jbd2
//!   superblock as `journal_check_superblock` checks it, recovery — replayed
//!   with [`crate::journal::Journal::replay`] so later checks read the
//!   recovered image — or its refusal on a read-only device), `noload`.
//! - [`inode`]: `__ext4_iget` for the root and reserved inodes, the root
//!   inode checks, `ext4_orphan_cleanup`.
//! - here: `ext4_setup_super` (revision, state and mount-count warnings),
//!   "recovery complete" and the final "mounted filesystem" line.
//!
//! What is not modelled is said in [`Verdict::incomplete`] (the model stopped
//! and the outcome is a guess) or in a [`Step`] with
//! [`StepStatus::Unmodelled`] (the kernel does more there than the model).
//! Messages name the device `loop0` ([`DEVICE`]). Error lines carry the
//! kernel's `function:line`; where the 6.18 line number is not known the line
//! prints as `?`.

mod groups;
mod inode;
mod journal;
mod superblock;

use alloc::boxed::Box;
use alloc::format;
use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

use crate::format::features::{
    COMPAT_HAS_JOURNAL, INCOMPAT_RECOVER, RO_COMPAT_ORPHAN_PRESENT, RO_COMPAT_QUOTA,
};
use crate::format::superblock::{Superblock, SUPERBLOCK_OFFSET};
use crate::fs::Fs;
use crate::io::{BlockCache, ReadAt};
use crate::layout::Geometry;
use crate::overlay::Image;

/// The device name the messages use (the oracle's loop device, whatever it was).
pub const DEVICE: &str = "loop0";

/// The kernel whose behaviour is modelled.
pub const KERNEL: &str = "6.18";

/// How the device is opened and mounted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Access {
    /// `losetup -r` + `mount -r`: nothing can be written, not even recovery.
    ReadOnlyDevice,
    /// A writable device mounted read-only (`mount -r`): journal recovery
    /// and orphan cleanup still write. (Not in the mount fixtures' oracle;
    /// the journal fixtures' kernel replays were made this way.)
    ReadOnly,
    /// A writable device mounted read-write (`mount -w`).
    ReadWrite,
}

/// The mount options that change the verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MountOptions {
    /// Device and mount mode.
    pub access: Access,
    /// `-o noload`: do not load the journal.
    pub noload: bool,
    /// `-o noblock_validity`: no system zone.
    pub noblock_validity: bool,
    /// The time of the mount (seconds since 1970), for the `s_checkinterval`
    /// warning; `None` leaves that check out.
    pub now: Option<i64>,
}

impl MountOptions {
    /// Default options with this access.
    pub fn new(access: Access) -> Self {
        MountOptions { access, noload: false, noblock_validity: false, now: None }
    }
}

/// What the mount ends in (as `/proc/mounts` shows it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// Mounted read-only.
    MountedRo,
    /// Mounted read-write.
    MountedRw,
    /// `mount` fails.
    Refused,
}

impl Outcome {
    /// `mounted-ro`, `mounted-rw` or `refused`.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::MountedRo => "mounted-ro",
            Outcome::MountedRw => "mounted-rw",
            Outcome::Refused => "refused",
        }
    }
}

/// How one check went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepStatus {
    /// Passed.
    Pass,
    /// Passed with a warning (or an error the kernel goes on after).
    Warn,
    /// Failed: the mount stops here.
    Fail,
    /// Not run, because of the options or the state (and why is in the detail).
    Skipped,
    /// The kernel checks more here than the model does.
    Unmodelled,
}

/// One check of the mount, in the order the kernel makes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    /// The kernel function that makes it (`ext4_check_descriptors`).
    pub function: String,
    /// What it checks.
    pub check: String,
    /// How it went.
    pub status: StepStatus,
    /// What was found.
    pub detail: String,
}

/// The verdict for one way of mounting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    /// What the mount ends in.
    pub outcome: Outcome,
    /// The kernel's log lines, in order.
    pub messages: Vec<String>,
    /// Every check made, in order.
    pub steps: Vec<Step>,
    /// Set when the model could not follow the kernel to the end: why, and
    /// that the outcome is a guess.
    pub incomplete: Option<String>,
}

/// The verdicts a tool writer asks for: the image mounted read-only from a
/// read-only device and read-write, and what `-o noblock_validity` and
/// `-o noload` change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MountVerdicts {
    /// The kernel modelled ([`KERNEL`]).
    pub kernel: String,
    /// `losetup -r` + `mount -r`.
    pub ro: Verdict,
    /// `mount -w`.
    pub rw: Verdict,
    /// Both again with `-o noblock_validity`.
    pub noblock_validity: VerdictPair,
    /// Both again with `-o noload`.
    pub noload: VerdictPair,
    /// Where Linux versions other than the one modelled decide differently
    /// for this image, and since when (each a sentence naming the commit).
    #[serde(default)]
    pub versions: Vec<String>,
}

/// How the kernel versions differ for an image whose verdicts are `plain`
/// (read-only and read-write, no options).
fn version_notes(ro: &Verdict, rw: &Verdict) -> Vec<String> {
    let mut v = Vec::new();
    fn failed<'a>(x: &'a Verdict, f: &str) -> Option<&'a Step> {
        x.steps.iter().find(|s| s.function == f && s.status == StepStatus::Fail)
    }
    if let Some(s) = failed(ro, "ext4_setup_system_zone") {
        v.push(format!(
            "{}: Linux 5.9 and later refuse it, read-only too (\"failed to initialize system zone (-117)\"; commit e7bfb5c9bb3d, \"ext4: handle add_system_zone() failure in ext4_setup_system_zone()\", 5.9-rc2, with bf9a379d0980 \"ext4: don't allow overlapping system zones\"). Up to 5.8 overlapping system zones were merged silently and the image mounted. With -o noblock_validity every version mounts it (no system zone is built).",
            s.detail
        ));
    }
    if let Some(s) = failed(ro, "ext4_protect_reserved_inode") {
        v.push(format!(
            "{}: the journal's blocks join the system zone since Linux 5.9 (\"ext4: check journal inode extents more carefully\"); earlier kernels did not check them and mounted the image.",
            s.detail
        ));
    }
    if rw.messages.iter().any(|m| m.contains("unsupported optional features (4000)")) {
        v.push(String::from(
            "RO_COMPAT_SHARED_BLOCKS (0x4000) is known to e2fsprogs but to no Linux version: no kernel mounts such an image read-write.",
        ));
    }
    v
}

/// A read-only and a read-write verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerdictPair {
    /// `losetup -r` + `mount -r`.
    pub ro: Verdict,
    /// `mount -w`.
    pub rw: Verdict,
}

/// [`MountVerdicts`] for the image read from `src`.
pub fn verdicts(src: Box<dyn ReadAt>) -> MountVerdicts {
    verdicts_image(&image_of(src))
}

/// [`MountVerdicts`] for this state of an image (see [`verdict_image`]).
pub fn verdicts_image(image: &Image) -> MountVerdicts {
    let one = |access, noload, noblock_validity| {
        verdict_image(image, &MountOptions { access, noload, noblock_validity, now: None })
    };
    let pair = |noload, noblock_validity| VerdictPair {
        ro: one(Access::ReadOnlyDevice, noload, noblock_validity),
        rw: one(Access::ReadWrite, noload, noblock_validity),
    };
    let plain = pair(false, false);
    let versions = version_notes(&plain.ro, &plain.rw);
    MountVerdicts {
        kernel: String::from(KERNEL),
        ro: plain.ro,
        rw: plain.rw,
        noblock_validity: pair(false, true),
        noload: pair(true, false),
        versions,
    }
}

/// What the kernel does when it mounts the image read from `src`.
pub fn verdict(src: Box<dyn ReadAt>, opts: &MountOptions) -> Verdict {
    verdict_image(&image_of(src), opts)
}

/// An image over `src` whose block cache has its superblock's geometry.
fn image_of(src: Box<dyn ReadAt>) -> Image {
    let mut cache = BlockCache::new(src);
    // The block cache needs the geometry to read blocks; set it from the
    // superblock when it makes sense (when it does not, the kernel refuses
    // before reading any block).
    if cache.image_len() >= SUPERBLOCK_OFFSET + 1024 {
        if let Ok(raw) = cache.read_bytes(SUPERBLOCK_OFFSET, 1024) {
            if let Ok(geo) = Geometry::from_superblock(&Superblock::parse(&raw)) {
                cache.set_geometry(geo.block_size, geo.blocks_count);
            }
        }
    }
    Image::new(Rc::new(cache))
}

/// What the kernel does when it mounts this state of an image (an overlay
/// state too: "mounting the image as of crash point N"). The image's block
/// cache must have the geometry of its superblock ([`verdict`] sets it).
pub fn verdict_image(image: &Image, opts: &MountOptions) -> Verdict {
    let mut m = Mount::new(opts);
    let end = run(&mut m, image);
    let outcome = match end {
        Ok(()) if m.sb_rdonly => Outcome::MountedRo,
        Ok(()) => Outcome::MountedRw,
        Err(_) => Outcome::Refused,
    };
    Verdict { outcome, messages: m.messages, steps: m.steps, incomplete: m.incomplete }
}

/// Why the model stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop {
    /// The kernel refuses the mount (its messages are logged).
    Refused,
    /// The model cannot go on ([`Mount::incomplete`] says why).
    Unknown,
}

type Flow<T> = core::result::Result<T, Stop>;

/// `EXT4_VALID_FS`.
const VALID_FS: u16 = 0x1;
/// `EXT4_ERROR_FS`.
const ERROR_FS: u16 = 0x2;
/// `EXT4_FC_REPLAY`.
const FC_REPLAY: u16 = 0x20;
/// `EXT4_MAX_SUPP_REV`.
const MAX_SUPP_REV: u32 = 1;
/// `EXT4_DEFM_JMODE` and its values in `s_default_mount_opts`.
const DEFM_JMODE: u32 = 0x60;
const DEFM_JMODE_DATA: u32 = 0x20;
const DEFM_JMODE_WBACK: u32 = 0x60;
/// `EXT4_DEFM_NOBARRIER`.
const DEFM_NOBARRIER: u32 = 0x100;
/// `EXT4_ERRORS_CONTINUE`, `EXT4_ERRORS_PANIC` (`s_errors`; anything else remounts read-only).
const ERRORS_CONTINUE: u16 = 1;
const ERRORS_PANIC: u16 = 3;

/// Errnos the kernel prints.
const EINVAL: i32 = -22;
const EFSCORRUPTED: i32 = -117;

/// Line numbers of 6.18's error sites, as its error lines print them
/// (`__ext4_fill_super:5544`), read from the oracle's messages. Other sites
/// print `?`.
const LINE_ROOT_IGET: Option<u32> = Some(5544);
/// `ext4_get_journal_inode`'s `ext4_iget`.
const LINE_JOURNAL_IGET: Option<u32> = Some(5842);
/// `ext4_protect_reserved_inode`'s `ext4_iget`.
const LINE_PROTECT_IGET: Option<u32> = Some(160);
/// `ext4_protect_reserved_inode`'s overlap error.
const LINE_PROTECT_OVERLAP: Option<u32> = Some(179);

/// The kernel state the checks read and change, and what they log.
struct Mount<'a> {
    opts: &'a MountOptions,
    /// `bdev_read_only(sb->s_bdev)`.
    bdev_ro: bool,
    /// `sb_rdonly(sb)`: mounted read-only, or forced there.
    sb_rdonly: bool,
    /// `sbi->s_mount_state` (`EXT4_ERROR_FS` is set by every `ext4_error`).
    mount_state: u16,
    /// `s_errors`: what an error does.
    s_errors: u16,
    messages: Vec<String>,
    steps: Vec<Step>,
    incomplete: Option<String>,
}

impl<'a> Mount<'a> {
    fn new(opts: &'a MountOptions) -> Self {
        Mount {
            opts,
            bdev_ro: opts.access == Access::ReadOnlyDevice,
            sb_rdonly: opts.access != Access::ReadWrite,
            mount_state: 0,
            s_errors: ERRORS_CONTINUE,
            messages: Vec::new(),
            steps: Vec::new(),
            incomplete: None,
        }
    }

    /// `ext4_msg(sb, …)`.
    fn msg(&mut self, text: impl AsRef<str>) {
        self.messages.push(format!("EXT4-fs ({DEVICE}): {}", text.as_ref()));
    }

    /// A jbd2 `printk("JBD2: …")`.
    fn jbd2(&mut self, text: impl AsRef<str>) {
        self.messages.push(format!("JBD2: {}", text.as_ref()));
    }

    /// A `printk` without a prefix the oracle keeps (`pr_err("%s: …", __func__)`).
    fn raw(&mut self, text: impl Into<String>) {
        self.messages.push(text.into());
    }

    /// `__ext4_error(sb, function, line, …)`.
    fn error(&mut self, function: &str, line: Option<u32>, text: impl AsRef<str>) {
        self.messages.push(format!(
            "EXT4-fs error (device {DEVICE}): {function}:{}: comm mount: {}",
            line_text(line),
            text.as_ref()
        ));
        self.handle_error();
    }

    /// `__ext4_error_inode(inode, function, line, block, …)`.
    fn error_inode(
        &mut self,
        function: &str,
        line: Option<u32>,
        ino: u32,
        block: u64,
        text: impl AsRef<str>,
    ) {
        let block = if block != 0 { format!("block {block}: ") } else { String::new() };
        self.messages.push(format!(
            "EXT4-fs error (device {DEVICE}): {function}:{}: inode #{ino}: {block}comm mount: {}",
            line_text(line),
            text.as_ref()
        ));
        self.handle_error();
    }

    /// `__ext4_warning(sb, function, line, …)`.
    fn warning(&mut self, function: &str, line: Option<u32>, text: impl AsRef<str>) {
        self.messages.push(format!(
            "EXT4-fs warning (device {DEVICE}): {function}:{}: {}",
            line_text(line),
            text.as_ref()
        ));
    }

    /// `ext4_handle_error`: the file system has errors now; with
    /// `errors=remount-ro` a read-write mount says so (and goes on: since
    /// 5.x the kernel does not set `SB_RDONLY` here), with `errors=panic`
    /// the machine stops.
    fn handle_error(&mut self) {
        self.mount_state |= ERROR_FS;
        if self.sb_rdonly || self.s_errors == ERRORS_CONTINUE {
            return;
        }
        if self.s_errors == ERRORS_PANIC {
            self.unknown("s_errors is 3 (panic): the kernel panics on this error");
            return;
        }
        self.msg("Remounting filesystem read-only");
    }

    fn step(&mut self, function: &str, check: &str, status: StepStatus, detail: impl Into<String>) {
        self.steps.push(Step {
            function: String::from(function),
            check: String::from(check),
            status,
            detail: detail.into(),
        });
    }

    /// The model cannot follow the kernel from here.
    fn unknown(&mut self, why: impl Into<String>) {
        if self.incomplete.is_none() {
            self.incomplete = Some(why.into());
        }
    }

    /// `ext4_feature_set_ok(sb, readonly)`: unknown incompat features refuse
    /// every mount; for a read-write one RO_COMPAT_READONLY forces read-only
    /// (and skips the rest), unknown ro_compat features refuse.
    fn feature_set_ok(&mut self, sb: &Superblock, readonly: bool) -> bool {
        superblock::feature_set_ok(self, sb, readonly)
    }
}

fn line_text(line: Option<u32>) -> String {
    match line {
        Some(n) => format!("{n}"),
        None => String::from("?"),
    }
}

/// `__ext4_fill_super` and `ext4_fill_super`, in order.
fn run(m: &mut Mount, image: &Image) -> Flow<()> {
    let (raw, sb) = superblock::load_super(m, image)?;
    superblock::init_metadata_csum(m, &raw, &sb)?;
    m.s_errors = sb.s_errors;
    superblock::inode_info_init(m, &sb)?;
    superblock::mount_opts_and_encoding(m, &sb)?;
    superblock::feature_compatibility(m, &sb)?;
    superblock::block_group_meta_init(m, &sb)?;
    superblock::handle_clustersize(m, &sb)?;
    superblock::check_geometry(m, &sb, image.len())?;
    m.mount_state = sb.s_state & !FC_REPLAY;

    if let Err(e) = Geometry::from_superblock(&sb) {
        m.unknown(format!("the kernel goes on, but this inspector does not open this geometry: {e}"));
        return Err(Stop::Unknown);
    }
    if image.block_size() != sb.block_size().unwrap_or(0) {
        m.unknown(
            "the image's block cache is not set to the superblock's block size (mount::verdict sets it)",
        );
        return Err(Stop::Unknown);
    }
    let fs = match Fs::open_image(image.clone()) {
        Ok(fs) => fs,
        Err(e) => {
            m.unknown(format!("the kernel goes on, but this inspector cannot open the file system: {e}"));
            return Err(Stop::Unknown);
        }
    };
    groups::group_desc_init(m, &fs)?;

    let f = sb.features();
    let mut needs_recovery =
        sb.s_last_orphan != 0 || f.ro_compat(RO_COMPAT_ORPHAN_PRESENT) || f.incompat(INCOMPAT_RECOVER);
    if f.incompat(crate::format::features::INCOMPAT_MMP) && !m.sb_rdonly {
        m.step(
            "ext4_multi_mount_protect",
            "multi-mount protection",
            StepStatus::Unmodelled,
            "the MMP block is not read: a read-write mount waits for it and refuses when another node holds it",
        );
    }

    // The first inode the kernel reads is the journal's: the rest may be in it.
    let has_journal = f.compat(COMPAT_HAS_JOURNAL);
    let mut loaded: Option<journal::Loaded> = None;
    if !m.opts.noload && has_journal {
        let j = journal::load_journal(m, &fs)?;
        if m.bdev_ro {
            needs_recovery = false;
        }
        loaded = Some(j);
    } else if m.opts.noload && !m.sb_rdonly && f.incompat(INCOMPAT_RECOVER) {
        m.msg("required journal recovery suppressed and not mounted read-only");
        m.step(
            "__ext4_fill_super",
            "noload",
            StepStatus::Fail,
            "the journal needs recovery and the mount is read-write",
        );
        return Err(Stop::Refused);
    } else {
        let why = if has_journal { "noload" } else { "no has_journal feature" };
        m.step("__ext4_fill_super", "journal", StepStatus::Skipped, format!("not loaded: {why}"));
        needs_recovery = false;
    }
    // After recovery the kernel reads the recovered blocks.
    let fs = match &loaded {
        Some(j) => j.fs.clone(),
        None => fs,
    };

    // ext4_calculate_overhead: without a loaded journal it still sizes it.
    if loaded.is_none()
        && has_journal
        && sb.s_journal_inum != 0
        && !journal::journal_inode_ok(m, &fs, sb.s_journal_inum)
    {
        m.msg("can't get journal size");
    }

    inode::root(m, &fs)?;
    setup_super(m, &fs.sb, loaded.is_some());
    if m.opts.noblock_validity {
        m.step("ext4_setup_system_zone", "block_validity", StepStatus::Skipped, "noblock_validity");
    } else {
        groups::setup_system_zone(m, &fs)?;
    }
    inode::orphan_cleanup(m, &fs);
    if needs_recovery {
        m.msg("recovery complete");
    }

    let descr = match &loaded {
        Some(j) => j.data_mode,
        None => "out journal",
    };
    let quota = if fs.features().ro_compat(RO_COMPAT_QUOTA) {
        if loaded.is_some() {
            "journalled"
        } else {
            "writeback"
        }
    } else {
        "none"
    };
    let mode = if m.sb_rdonly { "ro" } else { "r/w" };
    m.msg(format!(
        "mounted filesystem {} {mode} with{descr}. Quota mode: {quota}.",
        uuid_text(&fs.sb.s_uuid)
    ));
    m.step("ext4_fill_super", "mounted", StepStatus::Pass, format!("{mode}, with{descr}"));
    if m.incomplete.is_some() {
        return Err(Stop::Unknown);
    }
    Ok(())
}

/// `ext4_setup_super`: a revision above 1 forces read-only; a read-write
/// mount warns about an unchecked file system, errors, the mount count and
/// the check interval (the first that applies).
fn setup_super(m: &mut Mount, sb: &Superblock, journal: bool) {
    const F: &str = "ext4_setup_super";
    if sb.s_rev_level > MAX_SUPP_REV {
        m.msg("revision level too high, forcing read-only mode");
        m.sb_rdonly = true;
        m.step(F, "s_rev_level", StepStatus::Warn, format!("revision {}: read-only", sb.s_rev_level));
        return;
    }
    if m.sb_rdonly {
        m.step(F, "state and mount count", StepStatus::Skipped, "read-only mount");
        return;
    }
    let max = sb.s_max_mnt_count as i16;
    let warning = if m.mount_state & VALID_FS == 0 {
        Some("warning: mounting unchecked fs, running e2fsck is recommended")
    } else if m.mount_state & ERROR_FS != 0 {
        Some("warning: mounting fs with errors, running e2fsck is recommended")
    } else if max > 0 && sb.s_mnt_count >= max as u16 {
        Some("warning: maximal mount count reached, running e2fsck is recommended")
    } else if sb.s_checkinterval != 0 {
        let last = crate::format::superblock::time_hi(sb.s_lastcheck, sb.s_lastcheck_hi);
        match m.opts.now {
            Some(now) if last.saturating_add(i64::from(sb.s_checkinterval)) <= now => {
                Some("warning: checktime reached, running e2fsck is recommended")
            }
            Some(_) => None,
            None => {
                m.step(F, "s_checkinterval", StepStatus::Skipped, "no mount time given");
                None
            }
        }
    } else {
        None
    };
    match warning {
        Some(w) => {
            m.msg(w);
            m.step(F, "state and mount count", StepStatus::Warn, w);
        }
        None => m.step(
            F,
            "state and mount count",
            StepStatus::Pass,
            if journal { "clean" } else { "clean, no journal" },
        ),
    }
}

/// `%pU`: the 16 bytes as 8-4-4-4-12 lowercase hex.
fn uuid_text(u: &[u8; 16]) -> String {
    let mut s = String::with_capacity(36);
    for (i, b) in u.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            s.push('-');
        }
        s.push_str(&format!("{b:02x}"));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_prints_as_the_kernels_pu() {
        let u = [0xe4, 0xe4, 0xe4, 0xe4, 0, 0, 0x40, 0, 0x80, 0, 0, 0, 0, 0, 0xa0, 0x01];
        assert_eq!(uuid_text(&u), "e4e4e4e4-0000-4000-8000-00000000a001");
        assert_eq!(uuid_text(&[0; 16]), "00000000-0000-0000-0000-000000000000");
    }

    #[test]
    fn a_short_image_is_refused_with_the_kernels_words() {
        let v = verdict(Box::new(alloc::vec![0u8; 1000]), &MountOptions::new(Access::ReadWrite));
        assert_eq!(v.outcome, Outcome::Refused);
        assert_eq!(v.messages, ["EXT4-fs (loop0): unable to read superblock"]);
    }
}
