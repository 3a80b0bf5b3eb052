//! `ext4scope simulate IMAGE --ops OPS [--output OUT] [--design D] [--kernel 6.x|4.14] [--crash end|K]
//! [--json] [--outcomes] [--compare] [--mb-optimize-scan 0|1] [--non-rotational]`: the operations as the kernel would
//! perform them, as a stream of block writes; OUT is the image as a crash
//! after K writes leaves it (without `--crash`: after a clean unmount).

use ext4scope_core::sim::jrn::WriteKind;
use ext4scope_core::sim::outcome::{interesting_points, outcome, CrashOutcome};
use ext4scope_core::sim::{simulate, DataMode, Design, Kernel, Options, Run};
use serde::Serialize;

/// The command's arguments.
pub struct Args<'a> {
    pub image: &'a str,
    pub ops: &'a str,
    pub output: Option<&'a str>,
    pub design: Option<&'a str>,
    pub data: Option<&'a str>,
    pub kernel: Option<&'a str>,
    pub crash: Option<&'a str>,
    pub json: bool,
    pub outcomes: bool,
    pub compare: bool,
    pub restart_commits: bool,
    pub mb_optimize_scan: Option<u8>,
    pub non_rotational: bool,
}

#[derive(Serialize)]
struct Out<'a> {
    #[serde(flatten)]
    run: &'a Run,
    crash_point: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    outcome: Option<CrashOutcome>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    outcomes: Vec<CrashOutcome>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    compare: Vec<DesignRow>,
}

#[derive(Serialize)]
struct DesignRow {
    design: &'static str,
    writes: usize,
    transactions: usize,
    outcomes: Vec<CrashOutcome>,
}

fn script(ops: &str) -> Result<String, String> {
    match ops.strip_prefix('@') {
        Some(file) => std::fs::read_to_string(file).map_err(|e| format!("{file}: {e}")),
        None => Ok(ops.to_string()),
    }
}

fn options(a: &Args, design: Design) -> Result<Options, String> {
    let data = match a.data.unwrap_or("ordered") {
        "ordered" => DataMode::Ordered,
        "journal" => DataMode::Journal,
        "writeback" => DataMode::Writeback,
        d => return Err(format!("--data {d}: expected ordered, journal or writeback")),
    };
    let kernel = match a.kernel {
        None => Kernel::V6,
        Some(k) => Kernel::parse(k).ok_or_else(|| {
            format!("--kernel {k}: expected {}", Kernel::ALL.map(Kernel::name).join(" or "))
        })?,
    };
    let mb_optimize_scan = match a.mb_optimize_scan {
        None => None,
        Some(0) => Some(false),
        Some(1) => Some(true),
        Some(v) => return Err(format!("--mb-optimize-scan {v}: expected 0 or 1")),
    };
    Ok(Options {
        design,
        data,
        kernel,
        restart_commits: a.restart_commits,
        mb_optimize_scan,
        rotational: !a.non_rotational,
        ..Options::default()
    })
}

pub fn run(a: &Args) -> Result<(), String> {
    let fs = crate::open(a.image)?;
    let text = script(a.ops)?;
    let design = match a.design {
        None => Design::Kernel,
        Some(d) => Design::parse(d).ok_or_else(|| {
            format!("--design {d}: expected one of {}", Design::ALL.map(Design::name).join(", "))
        })?,
    };
    let r = simulate(&fs, &text, &options(a, design)?).map_err(|e| format!("{}: {e}", a.image))?;
    let k = match a.crash {
        None => r.len(),
        Some("end") => r.end,
        Some(n) => {
            let k: usize =
                n.parse().map_err(|_| format!("--crash {n}: expected `end` or a number of writes"))?;
            if k > r.len() {
                return Err(format!("--crash {k}: the stream has only {} writes", r.len()));
            }
            k
        }
    };
    if let Some(out) = a.output {
        let state = r.state_at(k).map_err(|e| format!("{}: {e}", a.image))?;
        crate::cmd_journal::write_state(a.image, &state, out)?;
    }
    let at = |run: &Run, k: usize| outcome(run, k).map_err(|e| format!("{}: {e}", a.image));
    let one = if a.crash.is_some() { Some(at(&r, k)?) } else { None };
    let mut many = Vec::new();
    if a.outcomes {
        for p in interesting_points(&r) {
            many.push(at(&r, p)?);
        }
    }
    let mut rows = Vec::new();
    if a.compare {
        for d in Design::ALL {
            // Each restart a transaction boundary, so the crash windows show.
            let opts = Options { restart_commits: true, ..options(a, d)? };
            let rd = simulate(&fs, &text, &opts).map_err(|e| format!("{}: {e}", a.image))?;
            let mut outcomes = Vec::new();
            for p in interesting_points(&rd) {
                outcomes.push(at(&rd, p)?);
            }
            rows.push(DesignRow {
                design: d.name(),
                writes: rd.len(),
                transactions: rd.stream.transactions.len(),
                outcomes,
            });
        }
    }
    if a.json {
        return crate::print_json(&Out {
            run: &r,
            crash_point: k,
            outcome: one,
            outcomes: many,
            compare: rows,
        });
    }
    print_run(&r);
    if let Some(o) = &one {
        outln!("crash after {} write(s):", o.point);
        print_outcome(o);
    }
    if !many.is_empty() {
        outln!("crash points:");
        for o in &many {
            print_outcome(o);
        }
    }
    for row in &rows {
        outln!("design {}: {} writes, {} transactions", row.design, row.writes, row.transactions);
        for o in &row.outcomes {
            print_outcome(o);
        }
    }
    if let Some(out) = a.output {
        outln!("wrote {out}: the image after {k} of {} writes", r.len());
    }
    Ok(())
}

fn what(w: &WriteKind) -> String {
    match w {
        WriteKind::Superblock => "superblock".into(),
        WriteKind::JournalSuperblock => "journal superblock".into(),
        WriteKind::Descriptor => "journal descriptor".into(),
        WriteKind::LoggedCopy { home, escaped } => {
            format!("logged copy of block {home}{}", if *escaped { " (escaped)" } else { "" })
        }
        WriteKind::Revoke => "journal revoke".into(),
        WriteKind::Commit => "journal commit".into(),
        WriteKind::Checkpoint { home } => format!("checkpoint of block {home}"),
        WriteKind::Data { inode, zeroout: false } => format!("data of inode {inode}"),
        WriteKind::Data { inode, zeroout: true } => format!("zeros for inode {inode} (ext4_ext_zeroout)"),
    }
}

fn print_run(r: &Run) {
    outln!(
        "design {}: {} writes ({} by the operations, then the clean unmount)",
        r.design.name(),
        r.len(),
        r.end
    );
    for n in &r.notes {
        outln!("  note: {n}");
    }
    for t in &r.stream.transactions {
        let handles: Vec<String> = t
            .handles
            .iter()
            .filter_map(|h| r.stream.handles.iter().find(|x| x.id == *h))
            .map(|h| format!("{} (op {})", h.name, h.op + 1))
            .collect();
        outln!(
            "transaction {}: logged {:?}, revoked {:?}; handles: {}",
            t.tid,
            t.logged,
            t.revoked,
            handles.join("; ")
        );
    }
    for w in &r.stream.writes {
        let flags = match (w.flush_before, w.fua) {
            (true, true) => " [flush, FUA]",
            (true, false) => " [flush]",
            (false, true) => " [FUA]",
            _ => "",
        };
        let tid = w.tid.map(|t| format!(" tid {t}")).unwrap_or_default();
        let op = r.ops.get(w.op).map(|o| o.text.as_str()).unwrap_or("unmount");
        outln!("  {:>5}  block {:>8}  {}{tid}{flags}  ({op})", w.index, w.block, what(&w.what));
    }
}

fn print_outcome(o: &CrashOutcome) {
    let files: Vec<String> = o
        .files
        .iter()
        .map(|f| format!("{} {}/{} blocks kept", f.path, f.blocks - f.unmapped - f.freed, f.blocks))
        .collect();
    let written: Vec<String> = o
        .written
        .iter()
        .map(|w| {
            format!(
                "{} {} ({} of {} bytes)",
                w.path,
                w.content,
                w.size.map_or("-".into(), |s| s.to_string()),
                w.expected_size
            )
        })
        .collect();
    let guards: Vec<String> = o
        .revoke_guards
        .iter()
        .map(|g| {
            format!(
                "block {} (logged in {}, revoked in {}{})",
                g.block,
                g.logged_in,
                g.revoked_in,
                g.now_data_of.as_deref().map(|p| format!(", now data of {p}")).unwrap_or_default()
            )
        })
        .collect();
    outln!(
        "  after {:>5} writes: {:?}, replays {:?}, e2fsck exit {} {:?}, leaked {:?}; {}{}{}{}",
        o.point,
        o.verdict,
        o.replayed,
        o.exit_code,
        o.problems,
        o.leaked_inodes,
        files.join(", "),
        if o.orphan_cleanup.is_empty() {
            String::new()
        } else {
            format!("; orphan cleanup: {}", o.orphan_cleanup.join("; "))
        },
        if written.is_empty() { String::new() } else { format!("; written: {}", written.join(", ")) },
        if guards.is_empty() {
            String::new()
        } else {
            format!("; revokes that matter: {}", guards.join(", "))
        }
    );
}
