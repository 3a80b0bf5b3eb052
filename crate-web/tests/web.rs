//! The worker's session and protocol, natively: what the browser worker does
//! with each request, over the committed sample images and non-ext4 files.

use std::io::Read;

use ext4scope_web::route::CrashPoint;
use ext4scope_web::worker::protocol::{decode, encode, Envelope, Request, Response, WorkerError};
use ext4scope_web::worker::session::Session;

fn sample(name: &str) -> Vec<u8> {
    let path = format!("{}/../static/samples/{name}.img.gz", env!("CARGO_MANIFEST_DIR"));
    let gz = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut img = Vec::new();
    flate2::read::GzDecoder::new(&gz[..]).read_to_end(&mut img).expect("gunzip");
    img
}

fn open(bytes: Vec<u8>) -> (Session, Response) {
    let mut s = Session::new();
    let r = s.handle(Request::Open { name: "img".into() }, Some(Box::new(bytes)));
    (s, r)
}

fn open_error(bytes: Vec<u8>) -> String {
    match open(bytes).1 {
        Response::Failed { error: e @ WorkerError::Core { .. } } => e.to_string(),
        other => panic!("expected a core error, got {other:?}"),
    }
}

#[test]
fn every_sample_opens_and_pages_its_groups() {
    for name in ["ext4-small", "ext3-indirect", "ext4-nocsum"] {
        let (mut s, r) = open(sample(name));
        let Response::Info { info } = r else { panic!("{name}: {r:?}") };
        assert!(info.groups.is_empty(), "{name}: info carries no group list");
        assert!(info.groups_count >= 2, "{name}: samples have several groups");
        assert!(info.problems.is_empty(), "{name}: {:?}", info.problems);
        assert!(info.io.bytes < 64 * 1024, "{name}: open read {} bytes", info.io.bytes);

        let Response::Groups { start, groups } = s.handle(Request::Groups { start: 1, count: 1000 }, None)
        else {
            panic!("{name}: groups")
        };
        assert_eq!(start, 1);
        assert_eq!(groups.len() as u32, info.groups_count - 1, "{name}: clamped to the group count");
        assert_eq!(groups[0].group, 1);

        let Response::Groups { start, groups } = s.handle(Request::Groups { start: 9999, count: 5 }, None)
        else {
            panic!("{name}: groups past the end")
        };
        assert_eq!((start, groups.len()), (info.groups_count, 0));
    }
}

#[test]
fn samples_differ_as_described() {
    let info = |n| match open(sample(n)).1 {
        Response::Info { info } => info,
        other => panic!("{other:?}"),
    };
    let small = info("ext4-small");
    assert!(small.features.iter().any(|f| f == "metadata_csum"));
    assert_eq!(small.superblock_checksum_ok, Some(true));
    assert_eq!(small.volume_name, "sample-ext4");
    let ext3 = info("ext3-indirect");
    assert!(!ext3.features.iter().any(|f| f == "extent"));
    assert_eq!(ext3.superblock_checksum_ok, None);
    let nocsum = info("ext4-nocsum");
    assert!(nocsum.features.iter().any(|f| f == "uninit_bg"));
    assert!(!nocsum.features.iter().any(|f| f == "metadata_csum"));
}

#[test]
fn not_ext4_says_what_it_is() {
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.resize(4096, 0);
    let m = open_error(png);
    assert!(m.contains("PNG") && m.contains("0xEF53"), "{m}");

    let m = open_error(Vec::new());
    assert!(m.contains("empty"), "{m}");

    // Random-looking bytes (a fixed LCG, no dependency).
    let mut x = 0x1234_5678u32;
    let noise: Vec<u8> = (0..8192)
        .map(|_| {
            x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            (x >> 24) as u8
        })
        .collect();
    let m = open_error(noise);
    assert!(m.contains("magic number"), "{m}");
}

#[test]
fn truncated_image_opens_with_a_problem() {
    let mut img = sample("ext4-nocsum");
    img.truncate(img.len() / 2);
    let Response::Info { info } = open(img).1 else { panic!("a truncated image still opens") };
    assert!(info.problems.iter().any(|p| p.message.contains("truncated")), "{:?}", info.problems);
}

#[test]
fn requests_without_an_image_fail_clearly() {
    let mut s = Session::new();
    for r in [Request::Info, Request::Groups { start: 0, count: 1 }] {
        match s.handle(r, None) {
            Response::Failed { error: WorkerError::NoImage } => {}
            other => panic!("{other:?}"),
        }
    }
    match s.handle(Request::Open { name: "x".into() }, None) {
        Response::Failed { error: WorkerError::NoFile } => {}
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_failed_open_drops_the_previous_image() {
    let (mut s, _) = open(sample("ext4-small"));
    assert!(s.is_open());
    s.handle(Request::Open { name: "bad".into() }, Some(Box::new(vec![0u8; 4096])));
    assert!(!s.is_open());
    let (mut s, _) = open(sample("ext4-small"));
    assert!(matches!(s.handle(Request::Close, None), Response::Closed));
    assert!(!s.is_open());
}

#[test]
fn messages_round_trip_as_json() {
    let (mut s, r) = open(sample("ext4-small"));
    let json = encode(42, &r);
    let back: Envelope<Response> = decode(&json).expect("decode");
    assert_eq!(back.id, 42);
    let (Response::Info { info: a }, Response::Info { info: b }) = (&r, &back.body) else { panic!() };
    assert_eq!(serde_json::to_string(a).ok(), serde_json::to_string(b).ok());

    let g = s.handle(Request::Groups { start: 0, count: 2 }, None);
    let back: Envelope<Response> = decode(&encode(1, &g)).expect("decode groups");
    assert!(matches!(back.body, Response::Groups { start: 0, ref groups } if groups.len() == 2));

    for req in [
        Request::Open { name: "a \"b\"".into() },
        Request::Info,
        Request::Groups { start: 3, count: 4 },
        Request::Close,
    ] {
        let back: Envelope<Request> = decode(&encode(7, &req)).expect("decode request");
        assert_eq!(back, Envelope { id: 7, body: req });
    }
    let err = Response::Failed { error: WorkerError::Crashed { message: "gone".into() } };
    let back: Envelope<Response> = decode(&encode(9, &err)).expect("decode error");
    assert!(
        matches!(back.body, Response::Failed { error: WorkerError::Crashed { ref message } } if message == "gone")
    );
    assert!(decode::<Request>("{nope").is_err());
}

/// Steps the worker's check of the current state `budget` units at a time
/// until it ends; returns the report and how many requests it took.
fn check_to_end(s: &mut Session, budget: u64) -> (ext4scope_core::check::CheckReport, u32) {
    let mut last = 0u8;
    for round in 1..10_000u32 {
        match s.handle(Request::Check { budget, report: false }, None) {
            Response::Check { progress, done, found, report, .. } => {
                assert!(progress.pass >= last, "the passes go forward");
                last = progress.pass;
                if done {
                    let report = report.expect("a finished check carries its report");
                    assert_eq!(found as usize, report.problems.len() + report.unlisted as usize);
                    return (*report, round);
                }
                assert!(report.is_none(), "no report before the end unless asked");
            }
            other => panic!("check: {other:?}"),
        }
    }
    panic!("the check never ended")
}

#[test]
fn the_broken_sample_checks_as_e2fsck_says() {
    let (mut s, _) = open(sample("ext4-broken"));
    let (report, rounds) = check_to_end(&mut s, 8);
    assert!(rounds > 3, "a small budget takes several requests ({rounds})");
    assert_eq!(report.exit_code, 4);
    assert!(report.complete && !report.clean);
    let mut names: Vec<_> = report.problems.iter().filter_map(|p| p.e2fsck.as_deref()).collect();
    names.sort_unstable();
    names.dedup();
    // What `e2fsck -fn -E problem_log` raised on this sample when it was made
    // (scripts/make-samples.sh checks the exit code on every rebuild).
    assert_eq!(
        names,
        [
            "PR_1_BAD_I_SIZE",
            "PR_2_INOREF_BG_INO_UNINIT",
            "PR_2_UNUSED_INODE",
            "PR_4_BAD_REF_COUNT",
            "PR_4_UNATTACHED_INODE",
            "PR_5_BLOCK_BITMAP_END",
            "PR_5_BLOCK_BITMAP_HEADER",
            "PR_5_BLOCK_USED",
            "PR_5_FREE_BLOCK_COUNT",
            "PR_5_FREE_BLOCK_COUNT_GROUP",
        ]
    );
    // Asking again after the end answers the same report without work.
    let (again, rounds) = check_to_end(&mut s, 0);
    assert_eq!(rounds, 1);
    assert_eq!(again.problems.len(), report.problems.len());

    // A clean sample is clean; with an unbounded budget each request runs
    // one stage (start, scan, duplicates, passes 2 to 5), so the page can
    // show the pass between them.
    let (mut s, _) = open(sample("ext4-small"));
    let (report, rounds) = check_to_end(&mut s, u64::MAX);
    assert_eq!((report.exit_code, report.problems.len(), rounds), (0, 0, 7), "{:?}", report.problems);
}

#[test]
fn a_partial_report_on_request_and_a_fresh_check_per_state() {
    let (mut s, _) = open(sample("ext4-crash"));
    let Response::Check { done, report, .. } = s.handle(Request::Check { budget: 0, report: true }, None)
    else {
        panic!("check")
    };
    assert!(!done);
    assert!(!report.expect("asked for").complete);
    let (on_disk, _) = check_to_end(&mut s, 64);

    // Replayed to the end, the crash image is another state: its check starts over.
    let r = s.handle(Request::SetState { crash: CrashPoint::All, sim: None }, None);
    assert!(matches!(r, Response::State { .. }), "{r:?}");
    let Response::Check { done, .. } = s.handle(Request::Check { budget: 0, report: false }, None) else {
        panic!("check")
    };
    assert!(!done, "a new state has a new check");
    let (replayed, _) = check_to_end(&mut s, 64);
    assert!(on_disk.complete && replayed.complete);
    // The kernel's crash image is consistent once its log is replayed.
    assert_eq!(replayed.exit_code, 0, "{:?}", replayed.problems);
}

#[test]
fn mount_verdicts_of_the_current_state() {
    use ext4scope_core::mount::Outcome;
    let verdicts = |s: &mut Session| match s.handle(Request::MountVerdict, None) {
        Response::MountVerdict { verdicts } => verdicts,
        other => panic!("{other:?}"),
    };
    let (mut s, _) = open(sample("ext4-small"));
    let v = verdicts(&mut s);
    assert_eq!((v.ro.outcome, v.rw.outcome), (Outcome::MountedRo, Outcome::MountedRw));

    // The crash image needs recovery: a read-only device cannot replay it.
    let (mut s, _) = open(sample("ext4-crash"));
    let v = verdicts(&mut s);
    assert_eq!(v.ro.outcome, Outcome::Refused, "{:?}", v.ro.messages);
    assert!(v.ro.messages.iter().any(|m| m.contains("write access unavailable")), "{:?}", v.ro.messages);
    assert_eq!(v.rw.outcome, Outcome::MountedRw);
    assert_eq!(v.noload.ro.outcome, Outcome::MountedRo, "noload skips the journal");
    // Replayed, nothing is left to recover.
    let _ = s.handle(Request::SetState { crash: CrashPoint::All, sim: None }, None);
    let v = verdicts(&mut s);
    assert_eq!(v.ro.outcome, Outcome::MountedRo, "{:?}", v.ro.messages);
}

#[test]
fn a_zeroed_primary_superblock_opens_from_its_backup() {
    // 1 KiB blocks, 8192 per group: the first backup is where e2fsck looks, block 8193.
    let mut img = sample("ext4-crash");
    img[1024..2048].fill(0);
    let (mut s, r) = open(img);
    let Response::Info { info } = r else { panic!("{r:?}") };
    let first = info.problems.first().expect("the view says it reads the backup");
    assert!(first.message.contains("backup superblock at block 8193"), "{}", first.message);
    assert!(first.message.contains("0xEF53"), "and why the primary is not used: {}", first.message);
    assert_eq!(info.groups_count, 2);
    // A primary that cannot be used with no backup where e2fsck looks stays an error.
    let mut img = sample("ext4-small");
    img[1024..2048].fill(0);
    assert!(open_error(img).contains("0xEF53"));
    // The check reads the same view, as e2fsck -fn on the image does.
    let (report, _) = check_to_end(&mut s, u64::MAX);
    assert!(report.complete);
}

/// `#/simulate`'s example: the fragmented file of the ext3-migrate sample.
const MIGRATE: &str = "chattr +e /var/log/fragmented; fsync /var/log/fragmented";
/// EXT4_EXTENTS_FL.
const EXTENTS_FL: u32 = 0x80000;

fn sim_at(ops: &str, design: &str, restart_commits: bool, k: u32) -> ext4scope_web::route::SimRef {
    ext4scope_web::route::SimRef {
        ops: ops.into(),
        design: design.into(),
        restart_commits,
        k,
        ..Default::default()
    }
}

fn simulation(s: &mut Session, ops: &str, design: &str) -> ext4scope_web::worker::sim::SimSummary {
    match s.handle(Request::Simulate { ops: ops.into(), design: design.into(), restart_commits: false }, None)
    {
        Response::Simulation { summary } => *summary,
        other => panic!("{other:?}"),
    }
}

fn inode_flags(s: &mut Session, ino: u32) -> u32 {
    match s.handle(Request::Inode { ino }, None) {
        Response::Inode { report, .. } => report.flags,
        other => panic!("{other:?}"),
    }
}

fn fragmented_ino(s: &mut Session) -> u32 {
    match s.handle(Request::Lookup { path: "/var/log/fragmented".into(), order: Default::default() }, None) {
        Response::Lookup { report } => report.ino.expect("the sample has /var/log/fragmented"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_simulation_streams_one_transaction_per_fsync() {
    let (mut s, _) = open(sample("ext3-migrate"));
    let one = simulation(&mut s, MIGRATE, "kernel");
    // The mount's superblock, then one transaction: journal superblock,
    // revoke, descriptor, 6 logged blocks, commit; then the unmount.
    assert_eq!((one.writes.len(), one.end, one.transactions.len()), (20, 11, 1));
    assert_eq!(one.ops, ["chattr +e /var/log/fragmented", "fsync /var/log/fragmented"]);
    let t = &one.transactions[0];
    assert_eq!(one.writes[t.commit_write as usize].kind, "commit");
    let commit = &one.writes[t.commit_write as usize];
    assert!(commit.flush && commit.fua && commit.tid == Some(t.tid));
    assert_eq!(one.writes[0].kind, "superblock");
    assert!(one.writes[..one.end as usize].iter().filter(|w| w.tid.is_some()).all(|w| w.is_journal()));
    assert!(one.writes[one.end as usize..].iter().any(|w| w.kind == "checkpoint"));
    assert!(one.notes.iter().any(|n| n.contains("1 leaf block")), "{:?}", one.notes);
    assert_eq!(one.points.first(), Some(&0));
    assert_eq!(one.points.last(), Some(&20));
    let two = simulation(
        &mut s,
        "chattr +e /var/log/messages; fsync /var/log/messages\nchattr +e /var/log/fragmented; fsync /var/log/fragmented",
        "kernel",
    );
    assert_eq!(two.transactions.len(), 2, "a transaction per fsync");
    assert!(two.writes.len() > one.writes.len());
}

#[test]
fn a_simulated_state_is_the_disk_every_view_reads() {
    let (mut s, r) = open(sample("ext3-migrate"));
    let Response::Info { info: disk_info } = r else { panic!() };
    let ino = fragmented_ino(&mut s);
    assert_eq!(inode_flags(&mut s, ino) & EXTENTS_FL, 0, "block-mapped on disk");
    let run = simulation(&mut s, MIGRATE, "kernel");
    let set = |s: &mut Session, k: u32, crash: CrashPoint| match s
        .handle(Request::SetState { crash, sim: Some(sim_at(MIGRATE, "kernel", false, k)) }, None)
    {
        Response::State { sim, sim_writes, info, .. } => {
            assert_eq!(sim.map(|x| x.k), Some(k));
            assert_eq!(sim_writes, Some(run.writes.len() as u32));
            assert_eq!(info.fingerprint, disk_info.fingerprint, "links name the image on disk");
            info
        }
        other => panic!("{other:?}"),
    };
    // Before anything: the file as on disk.
    set(&mut s, 0, CrashPoint::Disk);
    assert_eq!(inode_flags(&mut s, ino) & EXTENTS_FL, 0);
    // The operations' end: committed in the journal, not yet at home.
    let at_end = set(&mut s, run.end, CrashPoint::Disk);
    assert!(at_end.features.iter().any(|f| f == "needs_recovery"), "{:?}", at_end.features);
    assert_eq!(inode_flags(&mut s, ino) & EXTENTS_FL, 0, "the inode table is not written yet");
    // That disk's journal holds the simulated transaction; replayed, the file has extents.
    let Response::Journal { summary: Some(j) } = s.handle(Request::Journal { walk: false }, None) else {
        panic!("journal")
    };
    assert_eq!(j.crash_points, vec![run.transactions[0].tid]);
    set(&mut s, run.end, CrashPoint::All);
    assert_ne!(inode_flags(&mut s, ino) & EXTENTS_FL, 0, "after recovery");
    // After the clean unmount the checkpoint wrote it home.
    let unmounted = set(&mut s, run.writes.len() as u32, CrashPoint::Disk);
    assert!(!unmounted.features.iter().any(|f| f == "needs_recovery"));
    assert_ne!(inode_flags(&mut s, ino) & EXTENTS_FL, 0);
    // The check reads that state too: a clean unmount leaves a clean file system.
    let (report, _) = check_to_end(&mut s, u64::MAX);
    assert_eq!(report.exit_code, 0, "{:?}", report.problems);
    // Back to the image as on disk.
    let Response::State { sim: None, .. } =
        s.handle(Request::SetState { crash: CrashPoint::Disk, sim: None }, None)
    else {
        panic!()
    };
    assert_eq!(inode_flags(&mut s, ino) & EXTENTS_FL, 0);
    // Past the end is refused, and nothing changes.
    let r = s.handle(
        Request::SetState { crash: CrashPoint::Disk, sim: Some(sim_at(MIGRATE, "kernel", false, 999)) },
        None,
    );
    let Response::Failed { error } = r else { panic!("{r:?}") };
    assert!(error.to_string().contains("past the stream's end (20 writes)"), "{error}");
    assert_eq!(inode_flags(&mut s, ino) & EXTENTS_FL, 0);
}

#[test]
fn crash_outcomes_and_the_designs_compared() {
    let (mut s, _) = open(sample("ext3-migrate"));
    let outcome = |s: &mut Session, k| match s
        .handle(Request::SimOutcome { sim: sim_at(MIGRATE, "kernel", false, k) }, None)
    {
        Response::SimOutcome { outcome } => outcome,
        other => panic!("{other:?}"),
    };
    let o = outcome(&mut s, 0);
    assert_eq!((o.verdict.as_str(), o.exit_code, o.replayed.len()), ("clean", 0, 0));
    assert_eq!(o.files.len(), 1);
    assert_eq!(
        (o.files[0].path.as_str(), o.files[0].blocks, o.files[0].unmapped),
        ("/var/log/fragmented", 59, 0)
    );
    // Without restarts committing, the kernel's migration is one transaction: clean everywhere.
    assert_eq!(outcome(&mut s, 11).verdict, "clean");
    assert_eq!(outcome(&mut s, 11).replayed, vec![2]);

    let Response::SimCompare { comparison: c } =
        s.handle(Request::SimCompare { ops: MIGRATE.into(), slice_ms: None, cancel: false }, None)
    else {
        panic!("compare")
    };
    let names: Vec<&str> = c.designs.iter().map(|d| d.design.as_str()).collect();
    assert_eq!(names, ext4scope_web::route::DESIGNS);
    let verdicts = |d: &str| -> Vec<String> {
        let col = c.designs.iter().find(|x| x.design == d).expect("design");
        assert_eq!(col.cells.len(), c.points.len());
        col.cells.iter().flatten().map(|x| x.verdict.clone()).collect()
    };
    let kernel = verdicts("kernel");
    assert!(kernel.iter().all(|v| v != "data-loss"), "{kernel:?}");
    assert!(kernel.iter().any(|v| v == "leak"), "the kernel's windows leak the temporary inode: {kernel:?}");
    assert!(verdicts("orphan-list").iter().any(|v| v == "data-loss"), "orphan cleanup frees the leaf's data");
    for d in ["single-transaction", "in-memory-temp"] {
        assert!(verdicts(d).iter().all(|v| v == "clean"), "{d}: {:?}", verdicts(d));
    }
    let kcol = &c.designs[0];
    assert!(kcol.transactions > 1, "restarts commit in the comparison");
    // A cell's point reopens as a state of that design's run (kept: no new simulation).
    let k = c.points[c.points.len() / 2];
    let r = s.handle(
        Request::SetState { crash: CrashPoint::All, sim: Some(sim_at(MIGRATE, "orphan-list", true, k)) },
        None,
    );
    assert!(matches!(r, Response::State { .. }), "{r:?}");
}

/// The comparison in slices (one step per request with `slice_ms: 0`) comes
/// out the same as in one request; a cancel drops it in the worker, so the
/// next request starts over.
#[test]
fn the_designs_compared_in_slices_and_cancelled() {
    let (mut s, _) = open(sample("ext3-migrate"));
    let ask = |s: &mut Session, slice_ms, cancel| {
        s.handle(Request::SimCompare { ops: MIGRATE.into(), slice_ms, cancel }, None)
    };
    let Response::SimCompare { comparison: whole } = ask(&mut s, None, false) else { panic!("compare") };
    let mut seen = Vec::new();
    let sliced = loop {
        match ask(&mut s, Some(0), false) {
            Response::SimCompareProgress { done, total, cancelled: false, .. } => seen.push((done, total)),
            Response::SimCompare { comparison } => break comparison,
            other => panic!("{other:?}"),
        }
    };
    assert_eq!(sliced, whole);
    let steps = 4 + 4 * whole.points.len() as u32;
    assert_eq!(seen.len() as u32, steps - 1, "one step a request: {seen:?}");
    assert_eq!(seen.last(), Some(&(steps - 1, steps)));
    assert!(seen.windows(2).all(|w| w[0].0 + 1 == w[1].0));
    // Cancelled after three steps: the worker forgets it.
    for _ in 0..3 {
        assert!(matches!(ask(&mut s, Some(0), false), Response::SimCompareProgress { .. }));
    }
    let Response::SimCompareProgress { done: 3, cancelled: true, .. } = ask(&mut s, None, true) else {
        panic!("cancel")
    };
    let Response::SimCompareProgress { done: 1, cancelled: false, .. } = ask(&mut s, Some(0), false) else {
        panic!("starts over")
    };
}

#[test]
fn simulation_errors_say_what_to_change() {
    let err = |s: &mut Session, ops: &str| match s
        .handle(Request::Simulate { ops: ops.into(), design: "kernel".into(), restart_commits: false }, None)
    {
        Response::Failed { error: WorkerError::Simulation { message } } => message,
        other => panic!("{other:?}"),
    };
    let (mut s, _) = open(sample("ext3-migrate"));
    assert_eq!(
        err(&mut s, "sync\nchattr +x /a"),
        "line 2: `chattr`: only +e and -e are simulated (got `+x`)"
    );
    assert!(err(&mut s, "chattr +e /nope").contains("/nope"), "{}", err(&mut s, "chattr +e /nope"));
    // Writing into a block-mapped file is not modelled: the error says so.
    assert!(err(&mut s, "write /var/log/messages 0 10").contains("not modelled yet"));
    let r = s.handle(
        Request::Simulate { ops: "sync".into(), design: "nope".into(), restart_commits: false },
        None,
    );
    assert!(
        matches!(&r, Response::Failed { error: WorkerError::Simulation { message } } if message.contains("orphan-list")),
        "{r:?}"
    );
    // The ext3 sample has no extents feature: chattr +e is EINVAL there, as in the kernel.
    let (mut s, _) = open(sample("ext3-indirect"));
    assert!(err(&mut s, "chattr +e /var/log/messages").contains("no extents feature (EINVAL)"));
}

#[test]
fn sim_requests_round_trip_through_json() {
    let req =
        Request::SetState { crash: CrashPoint::After(2), sim: Some(sim_at(MIGRATE, "orphan-list", true, 7)) };
    let back: Envelope<Request> = decode(&encode(3, &req)).expect("decodes");
    assert_eq!(back.body, req);
    // An old-style SetState (no sim) still decodes.
    let old: Envelope<Request> =
        decode(r#"{"id":1,"body":{"set_state":{"crash":"disk"}}}"#).expect("decodes");
    assert_eq!(old.body, Request::SetState { crash: CrashPoint::Disk, sim: None });
    let (mut s, _) = open(sample("ext3-migrate"));
    let r = s.handle(
        Request::Simulate { ops: MIGRATE.into(), design: "kernel".into(), restart_commits: false },
        None,
    );
    let json = encode(1, &r);
    assert!(json.len() < 8 * 1024, "a compact summary: {} bytes", json.len());
    let back: Envelope<Response> = decode(&json).expect("decodes");
    assert_eq!(back.body.kind(), "simulation");
}

// ------------------------------------------------------------------ #/learn

fn learn(s: &mut Session, scenario: &str, variant: &str) -> ext4scope_web::worker::learn::LearnWalk {
    match s.handle(Request::Learn { scenario: scenario.into(), variant: variant.into() }, None) {
        Response::Learn { walk } => *walk,
        other => panic!("{scenario}/{variant}: {other:?}"),
    }
}

#[test]
fn the_scenarios_are_listed_with_no_image_open() {
    let mut s = Session::new();
    let Response::Scenarios { scenarios } = s.handle(Request::Scenarios, None) else { panic!("scenarios") };
    let core = ext4scope_core::sim::scenario::all();
    assert_eq!(scenarios.len(), core.len());
    for (a, b) in scenarios.iter().zip(&core) {
        assert_eq!((a.name.as_str(), a.sample.as_str(), a.title.as_str()), (b.name, b.sample, b.title));
        let names: Vec<&str> = a.variants.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(names, b.variants.iter().map(|v| v.name).collect::<Vec<_>>());
        for (v, w) in a.variants.iter().zip(&b.variants) {
            assert_eq!(v.steps, w.steps.unwrap_or(b.steps), "{}/{}: the steps it runs", a.name, v.name);
        }
    }
    // A walk needs the sample open.
    let r = s.handle(Request::Learn { scenario: "migration".into(), variant: String::new() }, None);
    assert!(matches!(r, Response::Failed { error: WorkerError::NoImage }), "{r:?}");
}

#[test]
fn every_scenario_and_variant_walks_on_its_sample_as_the_core_walks_it() {
    use ext4scope_core::sim::scenario;
    for sc in scenario::all() {
        let bytes = sample(sc.sample);
        let (mut s, _) = open(bytes.clone());
        let fs = ext4scope_core::Fs::open(Box::new(bytes)).expect("the sample opens");
        for (vi, v) in sc.variants.iter().enumerate() {
            let at = format!("{}/{}", sc.name, v.name);
            let got = learn(&mut s, sc.name, v.name);
            let want = scenario::walk(&fs, &sc, vi).expect("the core walks it");
            assert_eq!((got.scenario.as_str(), got.variant.as_str()), (sc.name, v.name));
            assert_eq!(got.steps.len(), want.steps.len(), "{at}");
            for (g, w) in got.steps.iter().zip(&want.steps) {
                assert_eq!(g.ops, w.ops, "{at}");
                assert_eq!((g.first as usize, g.end as usize), w.writes, "{at}: {}", g.ops);
                assert_eq!(g.transactions, w.transactions, "{at}: {}", g.ops);
                assert_eq!(g.handles, w.handles, "{at}: {}", g.ops);
                assert_eq!(g.narration, w.narration, "{at}: {}", g.ops);
                let changes: Vec<(u64, &str)> =
                    w.changes.iter().map(|c| (c.fs_block, c.what.as_str())).collect();
                assert_eq!(g.changes.iter().map(|c| (c.block, c.what.as_str())).collect::<Vec<_>>(), changes);
                let verdict = ext4scope_web::worker::sim::verdict_name(w.crash.verdict);
                assert_eq!(g.crash.outcome.verdict, verdict, "{at}: {}", g.ops);
                assert_eq!(g.crash.outcome.point as usize, w.crash.point);
                assert_eq!(g.crash.outcome.exit_code, w.crash.exit_code);
                assert_eq!(g.crash.outcome.replayed, w.crash.replayed);
                assert_eq!(g.crash.written.len(), w.crash.written.len());
                assert_eq!(g.crash.revoke_guards.len(), w.crash.revoke_guards.len());
                assert_eq!(g.crash.explain, scenario::explain(&w.crash));
            }
            let points = |o: &[ext4scope_web::worker::learn::LearnOutcome]| {
                o.iter().map(|c| (c.outcome.point, c.outcome.verdict.clone())).collect::<Vec<_>>()
            };
            let want_points: Vec<(u32, String)> = want
                .crash_points
                .iter()
                .map(|c| (c.point as u32, ext4scope_web::worker::sim::verdict_name(c.verdict).to_string()))
                .collect();
            assert_eq!(points(&got.crash_points), want_points, "{at}");
            assert_eq!(got.writes.len(), want.run.len(), "{at}");
            assert_eq!(got.end as usize, want.run.end, "{at}");
        }
    }
}

/// "Crash here": the walk's run as a simulated state is the same run, so
/// `SetState` and `SimOutcome` with `sim.at(step end)` give the step's
/// outcome — data modes and auto_da_alloc included, which only the new
/// link fields carry.
#[test]
fn a_scenario_step_as_a_simulated_state_is_the_walks_run() {
    use ext4scope_core::sim::scenario;
    for sc in scenario::all() {
        let (mut s, _) = open(sample(sc.sample));
        for v in &sc.variants {
            let at = format!("{}/{}", sc.name, v.name);
            let w = learn(&mut s, sc.name, v.name);
            assert_eq!(w.sim.data, ext4scope_web::worker::learn::data_mode_name(v.options.data), "{at}");
            assert_eq!(w.sim.auto_da_alloc, v.options.auto_da_alloc, "{at}");
            let mut points: Vec<(u32, &str)> =
                w.steps.iter().map(|st| (st.end, st.crash.outcome.verdict.as_str())).collect();
            points.extend(w.crash_points.iter().map(|c| (c.outcome.point, c.outcome.verdict.as_str())));
            for (k, verdict) in points {
                let spec = w.sim.at(k);
                match s.handle(Request::SimOutcome { sim: spec.clone() }, None) {
                    Response::SimOutcome { outcome } => assert_eq!(outcome.verdict, verdict, "{at} at {k}"),
                    other => panic!("{at} at {k}: {other:?}"),
                }
                // The link round-trips, and the worker shows that disk.
                let link =
                    ext4scope_web::route::Link::new(ext4scope_web::route::Route::Superblock, None::<String>)
                        .with_sim(Some(spec.clone()));
                assert_eq!(
                    ext4scope_web::route::Link::parse(&link.to_hash()).sim,
                    Some(spec.clone()),
                    "{at}"
                );
            }
            let end = w.steps.last().map_or(0, |st| st.end);
            match s.handle(Request::SetState { crash: CrashPoint::Disk, sim: Some(w.sim.at(end)) }, None) {
                Response::State { sim, sim_writes, .. } => {
                    assert_eq!(sim, Some(w.sim.at(end)));
                    assert_eq!(sim_writes, Some(w.writes.len() as u32), "{at}: the same stream");
                }
                other => panic!("{at}: {other:?}"),
            }
        }
    }
}

#[test]
fn the_migration_teaches_data_loss_for_orphan_list_and_a_leak_for_the_kernel() {
    let (mut s, _) = open(sample("ext3-migrate"));
    let verdicts = |w: &ext4scope_web::worker::learn::LearnWalk| {
        w.crash_points.iter().map(|c| c.outcome.verdict.clone()).collect::<Vec<_>>()
    };
    let kernel = learn(&mut s, "migration", "kernel");
    assert!(
        verdicts(&kernel).iter().any(|v| v == "leak") && !verdicts(&kernel).iter().any(|v| v == "data-loss")
    );
    let orphan = learn(&mut s, "migration", "orphan-list");
    assert!(verdicts(&orphan).iter().any(|v| v == "data-loss"));
    assert_eq!(orphan.steps[0].crash.outcome.verdict, "data-loss");
    // Unknown names say what is known.
    for (sc, v) in [("nope", ""), ("migration", "nope")] {
        match s.handle(Request::Learn { scenario: sc.into(), variant: v.into() }, None) {
            Response::Failed { error: WorkerError::Simulation { message } } => {
                assert!(message.contains("known: "), "{message}")
            }
            other => panic!("{other:?}"),
        }
    }
}

/// An image made now by `mkfs.ext4 -b 1024 -d` (extra mkfs `args`) from a
/// directory holding `sparse`: `n` one-block pieces of data, each after a
/// one-block hole. With extents that is `n` leaf extents (depth 2 past
/// about 340); block-mapped, `n` one-slot runs under IND/DIND blocks.
fn sparse_image(tag: &str, n: u64, args: &[&str]) -> Option<Vec<u8>> {
    use std::io::{Seek, SeekFrom, Write};
    use std::process::Command;
    if Command::new("mkfs.ext4").arg("-V").output().is_err() {
        eprintln!("mkfs.ext4 missing: skipped");
        return None;
    }
    let dir = std::env::temp_dir().join(format!("ext4scope-web-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("d")).expect("temp dir");
    let mut f = std::fs::File::create(dir.join("d/sparse")).expect("create");
    for i in 0..n {
        f.seek(SeekFrom::Start(2 * i * 1024 + 1024)).expect("seek");
        f.write_all(&[(i % 251) as u8 + 1; 1024]).expect("write");
    }
    drop(f);
    let img = dir.join("img");
    std::fs::File::create(&img).and_then(|f| f.set_len(64 << 20)).expect("image file");
    let out = Command::new("mkfs.ext4")
        .args(["-q", "-F", "-b", "1024"])
        .args(args)
        .arg("-d")
        .arg(dir.join("d"))
        .arg(&img)
        .output()
        .expect("mkfs.ext4");
    assert!(out.status.success(), "mkfs.ext4: {}", String::from_utf8_lossy(&out.stderr));
    let bytes = std::fs::read(&img).expect("read image");
    let _ = std::fs::remove_dir_all(&dir);
    Some(bytes)
}

/// Every row of inode `ino`'s map table, paged as the app pages it.
fn all_rows(s: &mut Session, ino: u32, page: u32) -> Vec<ext4scope_web::worker::filemap::MapRow> {
    let mut out = Vec::new();
    loop {
        match s.handle(Request::FileMap { ino, start: out.len() as u32, count: page }, None) {
            Response::FileMap { page: p } => {
                assert_eq!(p.start as usize, out.len());
                let rows = p.rows;
                assert!(rows.len() <= ext4scope_web::worker::filemap::MAX_MAP_PAGE as usize);
                let done = rows.is_empty();
                out.extend(rows);
                if done {
                    assert_eq!(out.len(), p.total as usize);
                    return out;
                }
            }
            other => panic!("{other:?}"),
        }
    }
}

fn find(s: &mut Session, ino: u32, logical: Option<u64>, physical: Option<u64>) -> (Option<u32>, bool) {
    match s.handle(Request::FileMapFind { ino, logical, physical }, None) {
        Response::FileMapFind { row, exact, .. } => (row, exact),
        other => panic!("{other:?}"),
    }
}

/// (logical, physical, len, unwritten, node block, node level).
type CoreRow = (u64, u64, u64, bool, Option<u64>, u32);

/// The core's own full map of `ino`: (logical, physical, len, unwritten,
/// node block, node level) per leaf entry in walk order.
fn core_rows(img: &[u8], ino: u32) -> (Vec<CoreRow>, usize) {
    use ext4scope_core::filemap::MapItem;
    let fs = ext4scope_core::Fs::open(Box::new(img.to_vec())).expect("open");
    let map = fs.file_map(&fs.inode(ino).expect("inode"));
    let mut out = Vec::new();
    // Depth first, entries in on-disk order (the order debugfs ex lists them).
    fn visit(tree: &ext4scope_core::filemap::MapTree, n: usize, out: &mut Vec<CoreRow>) {
        let node = &tree.nodes[n];
        for item in &node.items {
            match *item {
                MapItem::Extent { logical, physical, len, unwritten, .. } => {
                    out.push((logical, physical, len, unwritten, node.block, node.level))
                }
                MapItem::Pointers { logical, physical, len, .. } => {
                    out.push((logical, physical, len, false, node.block, node.level))
                }
                MapItem::Index { child: Some(c), .. } | MapItem::Indirect { child: Some(c), .. } => {
                    visit(tree, c as usize, out)
                }
                _ => {}
            }
        }
    }
    visit(&map.tree, 0, &mut out);
    (out, map.tree.nodes.len())
}

#[test]
fn a_file_of_thousands_of_extents_pages_and_searches() {
    const N: u64 = 5000;
    let Some(img) = sparse_image("extents", N, &[]) else { return };
    let (want, nodes) = core_rows(&img, 12);
    assert_eq!(want.len() as u64, N, "one extent per data block");
    let (mut s, _) = open(img);
    let answer = s.handle(Request::Inode { ino: 12 }, None);
    let json = encode(1, &answer);
    assert!(json.len() < 160_000, "inode answer {} bytes", json.len());
    let Response::Inode { report, map, .. } = answer else { panic!() };
    // The summary travels packed: the app decodes what the worker meant.
    match decode::<Response>(&json).expect("decodes").body {
        Response::Inode { map: back, .. } => assert_eq!(back, map),
        other => panic!("{other:?}"),
    }
    assert_eq!(report.tree.nodes[0].depth, Some(2), "depth 2");
    assert_eq!((map.rows as u64, map.nodes.len()), (N, nodes));
    assert_eq!((map.runs, map.blocks), (N, N));
    // The tree sent is cut: a few entries per leaf, the rest counted.
    let sent: usize = report.tree.nodes.iter().map(|n| n.items.len()).sum();
    assert!(sent < 61 * 10 + 100, "{sent} entries sent");
    let mut hidden = 0u64;
    for (k, nr) in map.nodes.iter().enumerate() {
        let node = &report.tree.nodes[k];
        if nr.hidden > 0 {
            assert_eq!(node.items.len(), 9, "node {k}");
            assert_eq!(nr.cut, 5);
        }
        hidden += u64::from(nr.hidden);
        // A node's rows are its entries, consecutive in the table.
        for r in nr.first..nr.first + nr.count {
            assert_eq!(want[r as usize].4, node.block, "row {r} sits in node {k}");
        }
    }
    let shown: usize = report
        .tree
        .nodes
        .iter()
        .map(|n| {
            n.items.iter().filter(|i| matches!(i, ext4scope_core::filemap::MapItem::Extent { .. })).count()
        })
        .sum();
    assert_eq!(shown as u64 + hidden, N);

    // Paged in odd sizes, the table is the core's map, row for row.
    for page in [1000, 333, 5000] {
        let rows = all_rows(&mut s, 12, page);
        let got: Vec<_> =
            rows.iter().map(|r| (r.logical, r.physical, r.len, r.unwritten, r.block, r.level)).collect();
        assert_eq!(got, want, "page size {page}");
    }
    assert!(want.iter().all(|w| w.5 == 2 && w.4.is_some()), "leaves at level 2");

    // A page survives the JSON round trip as the app receives it.
    let page = s.handle(Request::FileMap { ino: 12, start: 10, count: 50 }, None);
    match decode::<Response>(&encode(3, &page)).expect("decodes").body {
        Response::FileMap { page: p } => {
            assert_eq!((p.ino, p.start, p.total as u64, p.rows.len()), (12, 10, N, 50));
            let got: Vec<_> = p
                .rows
                .iter()
                .map(|r| (r.logical, r.physical, r.len, r.unwritten, r.block, r.level))
                .collect();
            assert_eq!(got, want[10..60]);
        }
        other => panic!("{other:?}"),
    }

    // Search: every extent's logical and physical block, and the holes.
    for (i, w) in want.iter().enumerate().step_by(7) {
        assert_eq!(find(&mut s, 12, Some(w.0), None), (Some(i as u32), true), "L {}", w.0);
        assert_eq!(find(&mut s, 12, None, Some(w.1)), (Some(i as u32), true), "P {}", w.1);
        // The hole before each extent: the next row.
        assert_eq!(find(&mut s, 12, Some(w.0 - 1), None), (Some(i as u32), false));
    }
    assert_eq!(find(&mut s, 12, Some(u64::MAX), None), (None, false));
    // Block 1 (the superblock) is not in the file: the row of the lowest physical block after it.
    let lowest = (0..want.len()).min_by_key(|&i| want[i].1).expect("rows") as u32;
    assert_eq!(find(&mut s, 12, None, Some(1)), (Some(lowest), false));
    // Past the end, pages are empty; other inodes have their own tables.
    match s.handle(Request::FileMap { ino: 12, start: 1 << 30, count: 10 }, None) {
        Response::FileMap { page } => assert!(page.rows.is_empty() && page.total as u64 == N),
        other => panic!("{other:?}"),
    }
    assert_eq!(all_rows(&mut s, 2, 100).len(), 1, "the root directory: one extent");
    assert!(matches!(
        s.handle(Request::FileMap { ino: 0, start: 0, count: 1 }, None),
        Response::Failed { .. }
    ));
}

#[test]
fn a_huge_sparse_block_mapped_file_pages_its_runs() {
    const N: u64 = 3000;
    let Some(img) = sparse_image("indirect", N, &["-O", "^extent,^flex_bg,^64bit"]) else { return };
    let (want, nodes) = core_rows(&img, 12);
    assert_eq!(want.len() as u64, N, "one run per data block");
    let (mut s, _) = open(img);
    let Response::Inode { report, map, .. } = s.handle(Request::Inode { ino: 12 }, None) else { panic!() };
    assert_eq!(report.map_kind, ext4scope_core::filemap::MapKind::Indirect);
    assert_eq!((map.rows as u64, map.nodes.len()), (N, nodes));
    assert!(map.nodes.iter().any(|n| n.hidden > 0), "IND blocks are cut");
    let rows = all_rows(&mut s, 12, 700);
    let got: Vec<_> =
        rows.iter().map(|r| (r.logical, r.physical, r.len, r.unwritten, r.block, r.level)).collect();
    assert_eq!(got, want);
    // Runs under the DIND block sit in IND blocks at level 2.
    assert!(want.iter().any(|w| w.5 == 2), "past 12 + 256 blocks: under the DIND block");
    assert!(want.iter().take(6).all(|w| w.4.is_none() && w.5 == 0), "direct slots in i_block");
    for (i, w) in want.iter().enumerate().step_by(11) {
        assert_eq!(find(&mut s, 12, Some(w.0), None), (Some(i as u32), true));
        assert_eq!(find(&mut s, 12, None, Some(w.1)), (Some(i as u32), true));
    }
}
