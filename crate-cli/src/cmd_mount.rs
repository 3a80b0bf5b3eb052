//! `ext4scope mount IMAGE [--ro | --rw] [--noload] [--noblock-validity] [--json]`:
//! what Linux 6.18 does when it mounts the image — from a read-only device
//! with `mount -r`, and read-write — and the lines it logs.

use std::collections::BTreeMap;
use std::fs::File;

use ext4scope_core::mount::{self, Access, MountOptions, StepStatus, Verdict};

/// The verdict for the image at `path` (read from raw bytes: an image the
/// core cannot open still gets one).
fn verdict_of(path: &str, opts: &MountOptions) -> Result<Verdict, String> {
    let file = File::open(path).map_err(|e| format!("{path}: {e}"))?;
    let len = file.metadata().map_err(|e| format!("{path}: {e}"))?.len();
    Ok(mount::verdict(Box::new(crate::FileSource { file, len }), opts))
}

/// `ext4scope mount`.
pub fn run(
    path: &str,
    ro: bool,
    rw: bool,
    noload: bool,
    noblock_validity: bool,
    json: bool,
) -> Result<(), String> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()
        .and_then(|d| i64::try_from(d.as_secs()).ok());
    let accesses: Vec<Access> = match (ro, rw) {
        (true, false) => vec![Access::ReadOnlyDevice],
        (false, true) => vec![Access::ReadWrite],
        _ => vec![Access::ReadOnlyDevice, Access::ReadWrite],
    };
    let mut verdicts: BTreeMap<&'static str, Verdict> = BTreeMap::new();
    for access in accesses {
        let opts = MountOptions { access, noload, noblock_validity, now };
        let key = match access {
            Access::ReadOnlyDevice => "ro",
            Access::ReadOnly => "ro-mount",
            Access::ReadWrite => "rw",
        };
        verdicts.insert(key, verdict_of(path, &opts)?);
    }
    if json {
        return crate::print_json(&verdicts);
    }
    let mut opts = Vec::new();
    if noload {
        opts.push("noload");
    }
    if noblock_validity {
        opts.push("noblock_validity");
    }
    let with = if opts.is_empty() { String::new() } else { format!(" -o {}", opts.join(",")) };
    for (key, v) in &verdicts {
        let how = match *key {
            "ro" => "losetup -r + mount -r",
            "ro-mount" => "mount -r",
            _ => "mount -w",
        };
        outln!("{how}{with}: {} (Linux {})", v.outcome.as_str(), mount::KERNEL);
        for m in &v.messages {
            outln!("  {m}");
        }
        if let Some(why) = &v.incomplete {
            outln!("  (the model stops short of the kernel: {why}; the outcome is a guess)");
        }
        outln!("  checks:");
        for s in &v.steps {
            let status = match s.status {
                StepStatus::Pass => "pass",
                StepStatus::Warn => "warn",
                StepStatus::Fail => "FAIL",
                StepStatus::Skipped => "skip",
                StepStatus::Unmodelled => "n/m ",
            };
            outln!("    {status}  {}: {}: {}", s.function, s.check, s.detail);
        }
    }
    Ok(())
}

/// `ext4scope mount-verdict IMAGE [--json]`: the read-only-device and
/// read-write verdicts, and what `-o noblock_validity` and `-o noload` change:
/// `{"ro": {"outcome", "messages"}, "rw": {…}, "options": {"noblock_validity":
/// {"ro", "rw"}, "noload": {"ro", "rw"}}}`.
pub fn run_verdict(path: &str, json: bool) -> Result<(), String> {
    let file = File::open(path).map_err(|e| format!("{path}: {e}"))?;
    let len = file.metadata().map_err(|e| format!("{path}: {e}"))?.len();
    let v = mount::verdicts(Box::new(crate::FileSource { file, len }));
    let one = |v: &Verdict| serde_json::json!({ "outcome": v.outcome.as_str(), "messages": v.messages });
    let pair = |p: &mount::VerdictPair| serde_json::json!({ "ro": one(&p.ro), "rw": one(&p.rw) });
    let report = serde_json::json!({
        "ro": one(&v.ro),
        "rw": one(&v.rw),
        "options": { "noblock_validity": pair(&v.noblock_validity), "noload": pair(&v.noload) },
        "kernel": v.kernel,
        "versions": v.versions,
    });
    if json {
        return crate::print_json(&report);
    }
    let show = |label: &str, v: &serde_json::Value| {
        outln!("{label}: {}", v["outcome"].as_str().unwrap_or(""));
        for m in v["messages"].as_array().into_iter().flatten() {
            outln!("  {}", m.as_str().unwrap_or(""));
        }
    };
    show("ro (losetup -r + mount -r)", &report["ro"]);
    show("rw (mount -w)", &report["rw"]);
    for o in ["noblock_validity", "noload"] {
        show(&format!("-o {o}, ro"), &report["options"][o]["ro"]);
        show(&format!("-o {o}, rw"), &report["options"][o]["rw"]);
    }
    for n in &v.versions {
        outln!("other kernels: {n}");
    }
    Ok(())
}
