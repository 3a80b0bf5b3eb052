//! The mount verdict against the kernel itself: `tests/fixtures/mount/` holds
//! 31 images, each with one condition that decides what Linux does when
//! mounting it (`make-mount-images.sh` made them and says which), and
//! `expected.json`, what Linux 6.18 did when they were loop-mounted six ways
//! (`ro` = read-only device + `mount -r`, `rw`, each plain, with `noload` and
//! with `noblock_validity`): the outcome from `/proc/mounts` and the kernel's
//! log lines. Every verdict comes from the image bytes alone.

use std::io::Read;
use std::path::PathBuf;
use std::rc::Rc;

use ext4scope_core::mount::{verdict, Access, MountOptions, Outcome, StepStatus, KERNEL};
use serde_json::Value;

fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/mount")
}

fn image(name: &str) -> Vec<u8> {
    let f = std::fs::File::open(fixture_dir().join(format!("{name}.img.gz"))).expect("fixture image");
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(f).read_to_end(&mut out).expect("gunzip");
    out
}

fn expected() -> Value {
    let text = std::fs::read_to_string(fixture_dir().join("expected.json")).expect("expected.json");
    serde_json::from_str(&text).expect("expected.json is JSON")
}

/// Kernel lines no model of the image can produce: (image, case, line, why).
const UNMODELLED: &[(&str, &str, &str, &str)] = &[(
    "clean",
    "ro",
    "EXT4-fs mount: 14 callbacks suppressed",
    "printk rate limiting of the mount messages (ext4_mount_msg_ratelimit, across every mount since boot): \
     the machine's history, not the image",
)];

/// The lines the oracle kept: `make-mount-images.sh` greps dmesg for these.
fn oracle_line(l: &str) -> bool {
    l.starts_with("EXT4-fs") || l.starts_with("JBD2") || l.starts_with("VFS")
}

/// The six ways each image was mounted: (case label, options).
fn cases() -> Vec<(String, MountOptions)> {
    let mut v = Vec::new();
    for opt in ["", "noload", "noblock_validity"] {
        for (mode, access) in [("ro", Access::ReadOnlyDevice), ("rw", Access::ReadWrite)] {
            let label = if opt.is_empty() { String::from(mode) } else { format!("{opt}.{mode}") };
            let opts = MountOptions {
                access,
                noload: opt == "noload",
                noblock_validity: opt == "noblock_validity",
                now: None,
            };
            v.push((label, opts));
        }
    }
    v
}

/// The recorded slot of a case label (`rw`, `noload.ro`).
fn slot<'a>(img: &'a Value, label: &str) -> &'a Value {
    match label.split_once('.') {
        None => &img[label],
        Some((opt, mode)) => &img["options"][opt][mode],
    }
}

#[test]
fn mount_verdicts_equal_the_kernels() {
    let exp = expected();
    let kernel = exp["kernel"].as_str().expect("kernel");
    assert!(kernel.starts_with(KERNEL), "the oracle ran {kernel}, the model is of {KERNEL}");
    let images = exp["images"].as_object().expect("images");
    assert_eq!(images.len(), 31);
    let (mut total, mut outcomes, mut messages) = (0, 0, 0);
    let mut outcome_diffs = Vec::new();
    let mut message_diffs = Vec::new();
    let mut unmodelled_used = vec![false; UNMODELLED.len()];
    for (name, img) in images {
        let bytes: Rc<[u8]> = image(name).into();
        for (label, opts) in cases() {
            let want = slot(img, &label);
            let want_outcome = want["outcome"].as_str().expect("outcome");
            let mut want_lines = Vec::new();
            for l in want["messages"].as_array().expect("messages") {
                let l = l.as_str().expect("a line");
                match UNMODELLED.iter().position(|u| u.0 == name && u.1 == label && u.2 == l) {
                    Some(i) => unmodelled_used[i] = true,
                    None => want_lines.push(l),
                }
            }
            let v = verdict(Box::new(bytes.clone()), &opts);
            assert!(v.incomplete.is_none(), "{name} {label}: {:?}", v.incomplete);
            let got_lines: Vec<&str> =
                v.messages.iter().map(String::as_str).filter(|l| oracle_line(l)).collect();
            total += 1;
            if v.outcome.as_str() == want_outcome {
                outcomes += 1;
            } else {
                outcome_diffs
                    .push(format!("{name} {label}: kernel {want_outcome}, verdict {}", v.outcome.as_str()));
            }
            if got_lines == want_lines {
                messages += 1;
            } else {
                message_diffs.push(format!(
                    "{name} {label}:\n  kernel:  {}\n  verdict: {}",
                    want_lines.join("\n           "),
                    got_lines.join("\n           ")
                ));
            }
        }
    }
    println!("mount verdict: outcome {outcomes}/{total}, messages {messages}/{total}");
    for (u, used) in UNMODELLED.iter().zip(&unmodelled_used) {
        println!("  not modelled: {} {}: {:?} ({})", u.0, u.1, u.2, u.3);
        assert!(used, "UNMODELLED lists a line the oracle does not have: {u:?}");
    }
    for d in outcome_diffs.iter().chain(&message_diffs) {
        println!("{d}");
    }
    assert!(outcome_diffs.is_empty(), "{} outcomes differ from the kernel's", outcome_diffs.len());
    assert!(message_diffs.is_empty(), "{} message lists differ from the kernel's", message_diffs.len());
}

#[test]
fn steps_end_where_the_mount_ends() {
    let bytes: Rc<[u8]> = image("clean").into();
    let v = verdict(Box::new(bytes.clone()), &MountOptions::new(Access::ReadWrite));
    assert_eq!(v.outcome, Outcome::MountedRw);
    assert!(v.steps.iter().all(|s| s.status != StepStatus::Fail), "{:#?}", v.steps);
    assert_eq!(v.steps.last().map(|s| s.function.as_str()), Some("ext4_fill_super"));
    let json = serde_json::to_value(&v).expect("serialises");
    assert_eq!(json["outcome"], "mounted-rw");

    let bytes: Rc<[u8]> = image("gd-csum-bad").into();
    let v = verdict(Box::new(bytes), &MountOptions::new(Access::ReadWrite));
    assert_eq!(v.outcome, Outcome::Refused);
    let last = v.steps.last().expect("steps");
    assert_eq!((last.function.as_str(), last.status), ("ext4_check_descriptors", StepStatus::Fail));
}

#[test]
fn a_crash_point_is_mounted_as_recovered() {
    // needs-recovery mounted from the state after recovery: nothing to recover,
    // so a read-only device mounts it.
    use ext4scope_core::journal::Journal;
    use ext4scope_core::Fs;
    let bytes: Rc<[u8]> = image("needs-recovery").into();
    let fs = Fs::open(Box::new(bytes)).expect("opens");
    let j = Journal::open(&fs).expect("journal").expect("has one");
    let log = j.log_for_replay(&fs);
    let r = j.replay(&fs, &log, None).expect("replays");
    let after = fs.with_overlay(Rc::new(r.overlay)).expect("replayed state");
    let v = ext4scope_core::mount::verdict_image(after.image(), &MountOptions::new(Access::ReadOnlyDevice));
    assert_eq!(v.outcome, Outcome::MountedRo, "{:#?}", v.messages);
    assert_eq!(
        v.messages,
        ["EXT4-fs (loop0): mounted filesystem e4e4e4e4-0000-4000-8000-00000000a001 ro with ordered data mode. Quota mode: none."]
    );
}

#[test]
fn journal_fixtures_mount_read_only_as_the_kernel_did() {
    // tests/fixtures/journal: each image was mounted read-only from a writable
    // loop device by Linux 6.18 (NAME.kernel-replay.txt). The README says which
    // mounts failed: a commit block with a bad checksum in its header, and a
    // logged block whose tag checksum fails. A commit block damaged past its
    // header is taken for a torn one and the log replayed on.
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/journal");
    let refused = ["dbg-bad-commit", "dbg-bad-block"];
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("journal fixtures")
        .filter_map(|e| e.ok()?.file_name().to_str()?.strip_suffix(".img.gz").map(String::from))
        .collect();
    names.sort();
    assert!(names.len() >= 10);
    for name in &names {
        let f = std::fs::File::open(dir.join(format!("{name}.img.gz"))).expect("image");
        let mut bytes = Vec::new();
        flate2::read::GzDecoder::new(f).read_to_end(&mut bytes).expect("gunzip");
        let v = verdict(Box::new(bytes), &MountOptions::new(Access::ReadOnly));
        let want = if refused.contains(&name.as_str()) { Outcome::Refused } else { Outcome::MountedRo };
        assert_eq!(v.outcome, want, "{name}: {:#?}", v.messages);
        assert!(
            v.messages.iter().any(|l| l.ends_with("INFO: recovery required on readonly filesystem")),
            "{name}"
        );
        if name == "dbg-partial-commit" {
            assert!(v
                .messages
                .iter()
                .any(|l| l.starts_with("JBD2: Find incomplete commit block in transaction 2")));
        }
    }
}

/// Where other kernel versions decide differently, the verdicts say so: the
/// 5.9 system-zone check that refuses overlapping bitmaps, SHARED_BLOCKS
/// unknown to every kernel; nothing for a clean image.
#[test]
fn version_notes_name_what_changed_across_kernels() {
    let notes = |name: &str| ext4scope_core::mount::verdicts(Box::new(image(name))).versions;
    let shared = notes("shared-bbitmap-shared-blocks");
    assert!(
        shared.iter().any(|n| n.contains("Linux 5.9 and later refuse it") && n.contains("Up to 5.8")),
        "{shared:?}"
    );
    assert!(shared.iter().any(|n| n.contains("RO_COMPAT_SHARED_BLOCKS")), "{shared:?}");
    assert!(notes("shared-bbitmap").iter().any(|n| n.contains("5.9")));
    assert!(notes("clean").is_empty());
    assert!(notes("ro-compat-shared-blocks").iter().all(|n| !n.contains("5.9")));
}
