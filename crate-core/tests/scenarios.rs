//! The guided scenarios on the built-in samples (static/samples): the facts
//! each one teaches, asserted from the simulator's outcomes, and narration
//! generated from the decoded changes (it names the blocks the transactions
//! logged).

use std::io::Read;
use std::path::PathBuf;

use ext4scope_core::sim::outcome::Verdict;
use ext4scope_core::sim::scenario::{all, find, walk, Walkthrough};
use ext4scope_core::Fs;

mod common;
use common::{e2fsck, mount_loop, write_image};

fn sample(name: &str) -> Fs {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("../static/samples/{name}.img.gz"));
    let mut v = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display())))
        .read_to_end(&mut v)
        .unwrap();
    Fs::open(Box::new(v)).unwrap()
}

fn run(name: &str, variant: &str) -> Walkthrough {
    let s = find(name).unwrap();
    let v = s
        .variants
        .iter()
        .position(|x| x.name == variant)
        .unwrap_or_else(|| panic!("{name}: no variant {variant}"));
    walk(&sample(s.sample), &s, v).unwrap()
}

fn verdicts(w: &Walkthrough) -> Vec<Verdict> {
    w.crash_points.iter().map(|o| o.verdict).collect()
}

#[test]
fn every_scenario_runs_on_its_sample_and_narrates_its_transactions() {
    for s in all() {
        for v in &s.variants {
            let w = run(s.name, v.name);
            assert_eq!(w.steps.len(), v.steps.unwrap_or(s.steps).len());
            for st in &w.steps {
                assert!(!st.narration.is_empty(), "{} {}: step {} says nothing", s.name, v.name, st.index);
                // Every logged block of the step's transactions is named in its narration.
                for t in w.run.stream.transactions.iter().filter(|t| st.transactions.contains(&t.tid)) {
                    for b in &t.logged {
                        assert!(
                            st.narration.iter().any(|n| n.starts_with(&format!("block {b},"))),
                            "{} {}: block {b} of transaction {} not narrated",
                            s.name,
                            v.name,
                            t.tid
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn migration_designs() {
    let v = verdicts(&run("migration", "kernel"));
    assert!(
        v.contains(&Verdict::Leak) && !v.contains(&Verdict::DataLoss),
        "kernel: leaks, never loses data: {v:?}"
    );
    let w = run("migration", "kernel");
    let leak = w.crash_points.iter().find(|o| o.verdict == Verdict::Leak).unwrap();
    assert!(
        leak.problems.iter().any(|p| p == "PR_1_ZERO_DTIME"),
        "kernel leak: e2fsck's zero dtime: {:?}",
        leak.problems
    );
    let v = verdicts(&run("migration", "orphan-list"));
    assert!(v.contains(&Verdict::DataLoss), "orphan-list: the leaf's data freed by orphan cleanup: {v:?}");
    for d in ["single-transaction", "in-memory-temp"] {
        let v = verdicts(&run("migration", d));
        assert!(v.iter().all(|x| *x == Verdict::Clean), "{d}: every crash point clean: {v:?}");
    }
}

#[test]
fn delalloc_rename_leaves_an_empty_file_without_auto_da_alloc() {
    let fate = |variant: &str| {
        let w = run("delalloc-rename", variant);
        let last = w.steps.last().unwrap();
        let f = last.crash.written.iter().find(|f| f.path == "/home/alice/notes/todo.txt").unwrap().clone();
        (f.content, f.size, last.crash.exit_code)
    };
    assert_eq!(fate("noauto_da_alloc"), ("short", Some(0), 0), "zero-length, and e2fsck finds nothing wrong");
    assert_eq!(fate("auto_da_alloc").0, "as-written");
    assert_eq!(fate("fsync-first").0, "as-written");
}

#[test]
fn revoke_keeps_old_metadata_off_reused_data() {
    let w = run("revoke", "ordered");
    let last = w.steps.last().unwrap();
    let g = last.crash.revoke_guards.iter().find(|g| g.now_data_of.as_deref() == Some("/big"));
    assert!(g.is_some(), "a revoked block now holds /big's data: {:?}", last.crash.revoke_guards);
    assert_eq!(last.crash.written[0].content, "as-written");
}

#[test]
fn a_torn_transaction_is_dropped() {
    let w = run("torn-commit", "ordered");
    let t = &w.run.stream.transactions[0];
    let before = w.crash_points.iter().find(|o| o.point == t.commit_write).unwrap();
    let after = w.crash_points.iter().find(|o| o.point == t.commit_write + 1).unwrap();
    assert!(before.replayed.is_empty(), "no commit block: nothing replayed");
    assert_eq!(after.replayed, vec![t.tid]);
    assert_eq!(after.written[0].content, "as-written");
}

#[test]
fn only_writeback_exposes_stale_data() {
    assert!(verdicts(&run("data-modes", "writeback")).contains(&Verdict::StaleData));
    for m in ["ordered", "journal"] {
        assert!(!verdicts(&run("data-modes", m)).contains(&Verdict::StaleData), "{m}");
    }
}

/// What mount does with each crashed disk: while mounted the superblock
/// says needs_recovery (the mount wrote it), which a read-only device cannot
/// honour (the kernel refuses with "write access unavailable, cannot
/// proceed"), whatever the log holds, while a read-write mount recovers;
/// before the mount's superblock write and after the clean unmount both mount.
#[test]
fn mount_verdicts_at_the_crash_points() {
    let w = run("torn-commit", "ordered");
    let mut saw = (false, false);
    let mut points: Vec<usize> = w.crash_points.iter().map(|o| o.point).collect();
    points.extend([0, w.run.len()]);
    for k in points {
        let o = ext4scope_core::sim::outcome::outcome(&w.run, k).unwrap();
        let needs_recovery = w.run.state_at(k).unwrap().info().needs_recovery;
        saw = (saw.0 || needs_recovery, saw.1 || !needs_recovery);
        assert_eq!(o.mount.rw, "mounted-rw", "point {k}: {:?}", o.mount.rw_messages);
        if needs_recovery {
            assert_eq!(o.mount.ro, "refused", "point {k}: {:?}", o.mount.ro_messages);
            assert!(
                o.mount.ro_messages.iter().any(|m| m.contains("write access unavailable, cannot proceed")),
                "point {k}: {:?}",
                o.mount.ro_messages
            );
        } else {
            assert_eq!(o.mount.ro, "mounted-ro", "point {k}: {:?}", o.mount.ro_messages);
        }
    }
    assert_eq!(saw, (true, true), "points both while mounted and not");
}

/// Each scenario's crash points as the real e2fsck judges them: the disk a
/// crash there leaves, recovered and mounted as the outcome says, written
/// out and checked with `e2fsck -fn -E problem_log`; exit code and problem
/// codes equal the outcome's (skipped when e2fsck is missing).
#[test]
fn every_scenario_crash_point_is_judged_as_e2fsck_judges_it() {
    use ext4scope_core::sim::outcome::{after_mount, outcome};
    use std::collections::BTreeSet;
    if std::process::Command::new("e2fsck").arg("-V").output().is_err() {
        eprintln!("e2fsck missing: skipped");
        return;
    }
    let dir = std::env::temp_dir().join(format!("ext4scope-scenarios-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut judged = 0;
    for s in all() {
        for v in &s.variants {
            let w = run(s.name, v.name);
            let mut points: Vec<usize> = w.steps.iter().map(|st| st.writes.1).collect();
            points.extend(w.crash_points.iter().map(|o| o.point));
            points.sort_unstable();
            points.dedup();
            for k in points {
                let o = outcome(&w.run, k).unwrap();
                let (mounted, _, _) = after_mount(&w.run, k).unwrap();
                let img = dir.join("state.img");
                write_image(&mounted, &img);
                let (rc, codes) = e2fsck(&img);
                let ours: BTreeSet<String> = o.codes.iter().cloned().collect();
                assert_eq!(
                    (rc, codes),
                    (o.exit_code, ours),
                    "{}/{} crash after {k} writes: e2fsck against the outcome",
                    s.name,
                    v.name
                );
                judged += 1;
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    println!("scenario crash points judged by e2fsck as by the checker: {judged}");
}

/// i_disksize and extents in different transactions (6.x): a crash after the
/// commit that took fallocate's extents but before the writeback raised
/// i_disksize leaves unwritten extents past the size the inode records,
/// which e2fsck accepts (the data written before is lost: the file is short).
#[test]
fn eof_extents_land_past_i_disksize() {
    use ext4scope_core::sim::outcome::after_mount;
    let w = run("eof-extents", "6.x");
    let st = &w.steps[2];
    assert_eq!(st.ops, "commit");
    let k = st.writes.1;
    let (mounted, _, _) = after_mount(&w.run, k).unwrap();
    let ino = mounted.lookup("/notes.log").unwrap();
    let inode = mounted.inode(ino).unwrap();
    let bs = u64::from(mounted.geo.block_size);
    let past: Vec<_> =
        mounted.file_map(&inode).data.iter().filter(|r| r.logical * bs >= inode.size()).cloned().collect();
    assert!(
        !past.is_empty() && past.iter().all(|r| r.unwritten),
        "unwritten extents past i_size {}: {past:?}",
        inode.size()
    );
    assert_eq!(st.crash.exit_code, 0, "e2fsck accepts unwritten extents past EOF");
    assert!(st.crash.written.iter().any(|f| f.path == "/notes.log" && f.content == "short"));
}

/// fallocate over delayed allocation, before and after 51e3ae81ec58: the
/// crash right after the commit that follows the first page's writeback.
/// 4.14: the whole 16-block extent initialised (zeroed out), i_disksize
/// 4096: e2fsck's PR_1_BAD_I_SIZE ("i_size is 4096, should be 16384").
/// 6.x: i_disksize 16384 from the fallocate, only the page converted: clean.
#[test]
fn fallocate_over_delalloc_before_and_after_the_2017_fix() {
    use ext4scope_core::check::codes::{hex, PR_1_BAD_I_SIZE};
    use ext4scope_core::sim::outcome::after_mount;
    for (variant, size, extents, codes) in [
        ("4.14", 4096, vec![(0u64, 16u64, false)], vec![hex(PR_1_BAD_I_SIZE)]),
        ("6.x", 16384, vec![(0, 4, false), (4, 12, true)], vec![]),
    ] {
        let w = run("fallocate-delalloc", variant);
        let st = &w.steps[3];
        assert_eq!(st.ops, "commit");
        let (mounted, _, _) = after_mount(&w.run, st.writes.1).unwrap();
        let inode = mounted.inode(mounted.lookup("/notes.log").unwrap()).unwrap();
        let got: Vec<_> =
            mounted.file_map(&inode).data.iter().map(|r| (r.logical, r.len, r.unwritten)).collect();
        assert_eq!((inode.size(), got), (size, extents), "{variant}: size and extents after the crash");
        assert_eq!(st.crash.codes, codes, "{variant}: e2fsck's problem codes");
        assert_eq!(st.crash.exit_code, if codes.is_empty() { 0 } else { 4 }, "{variant}");
    }
    // Depth 1: the extent in the leaf past i_disksize's blocks is out of the
    // bounds the index gives it (e2fsck's scan_extent_node); answered "no",
    // it is skipped, so its blocks are neither counted nor marked in use.
    use ext4scope_core::check::codes::{PR_1_BAD_I_BLOCKS, PR_1_EXTENT_END_OUT_OF_BOUNDS};
    for (variant, size, bad) in [("4.14-leaf", 16384, true), ("6.x-leaf", 28672, false)] {
        let w = run("fallocate-delalloc", variant);
        let st = &w.steps[4];
        assert_eq!(st.ops, "commit");
        let (mounted, _, _) = after_mount(&w.run, st.writes.1).unwrap();
        let inode = mounted.inode(mounted.lookup("/leaf.log").unwrap()).unwrap();
        assert_eq!(inode.size(), size, "{variant}");
        assert_eq!(mounted.file_map(&inode).metadata.len(), 1, "{variant}: one extent leaf");
        let last = mounted.file_map(&inode).data.last().cloned().unwrap();
        if bad {
            assert_eq!((last.logical, last.len, last.unwritten), (12, 16, false), "{variant}");
            assert!(
                st.crash.codes.contains(&hex(PR_1_EXTENT_END_OUT_OF_BOUNDS)),
                "{variant}: {:?}",
                st.crash.codes
            );
            assert!(st.crash.codes.contains(&hex(PR_1_BAD_I_BLOCKS)), "{variant}: {:?}", st.crash.codes);
            assert!(!st.crash.codes.contains(&hex(PR_1_BAD_I_SIZE)), "{variant}: {:?}", st.crash.codes);
        } else {
            assert_eq!((last.logical, last.len, last.unwritten), (16, 12, true), "{variant}");
            assert!(st.crash.codes.is_empty(), "{variant}: {:?}", st.crash.codes);
        }
    }
}

/// As root: the real kernel mounts the disk each scenario's crash points
/// leave (its own recovery and orphan cleanup); after it unmounts, e2fsck
/// says what the outcome predicted, and while mounted every file the
/// operations wrote has the size and the bytes our mounted state gives it.
#[test]
fn the_kernel_mounting_each_scenario_crash_does_what_we_predict() {
    use ext4scope_core::sim::outcome::{after_mount, outcome};
    use std::collections::BTreeSet;
    use std::process::Command;
    let root = Command::new("id").arg("-u").output().map(|o| o.stdout == b"0\n").unwrap_or(false);
    if !root
        || Command::new("e2fsck").arg("-V").output().is_err()
        || !std::path::Path::new("/dev/loop-control").exists()
    {
        eprintln!("not root, no loop devices or no e2fsprogs: kernel comparison skipped");
        return;
    }
    let dir = std::env::temp_dir().join(format!("ext4scope-scenarios-kernel-{}", std::process::id()));
    let mnt = dir.join("mnt");
    std::fs::create_dir_all(&mnt).unwrap();
    let (mut points, mut diffs) = (0, Vec::new());
    for s in all() {
        for v in &s.variants {
            let w = run(s.name, v.name);
            let mut ks: Vec<usize> = w.crash_points.iter().map(|o| o.point).collect();
            ks.extend(w.steps.iter().map(|st| st.writes.1));
            ks.sort_unstable();
            ks.dedup();
            for k in ks {
                let at = format!("{}/{} @{k}", s.name, v.name);
                let o = outcome(&w.run, k).unwrap();
                let (mounted, _, _) = after_mount(&w.run, k).unwrap();
                let img = dir.join("crash.img");
                write_image(&w.run.state_at(k).unwrap(), &img);
                let m = mount_loop(&img, &mnt);
                if !m.status.success() {
                    diffs.push(format!(
                        "{at}: the kernel refused to mount: {}",
                        String::from_utf8_lossy(&m.stderr)
                    ));
                    continue;
                }
                for f in &o.written {
                    let theirs = std::fs::read(mnt.join(f.path.trim_start_matches('/'))).ok();
                    let ours = mounted.lookup(&f.path).ok().map(|ino| {
                        let inode = mounted.inode(ino).unwrap();
                        mounted.read_file(&inode, 0, inode.size() as usize).unwrap()
                    });
                    if theirs != ours {
                        diffs.push(format!(
                            "{at}: {} holds {:?} bytes under the kernel, {:?} in our mounted state",
                            f.path,
                            theirs.as_ref().map(Vec::len),
                            ours.as_ref().map(Vec::len)
                        ));
                    }
                }
                let u = Command::new("umount").arg(&mnt).output().unwrap();
                assert!(u.status.success(), "umount: {}", String::from_utf8_lossy(&u.stderr));
                let (rc, codes) = e2fsck(&img);
                let ours: BTreeSet<String> = o.codes.iter().cloned().collect();
                if (rc, &codes) != (o.exit_code, &ours) {
                    diffs.push(format!(
                        "{at}: after the kernel's mount e2fsck says {rc} {codes:?}, we predicted {} {ours:?}",
                        o.exit_code
                    ));
                }
                points += 1;
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    println!(
        "scenario crash points mounted by the kernel as predicted: {}/{points}",
        points - diffs.len().min(points)
    );
    for d in &diffs {
        println!("  {d}");
    }
    assert!(diffs.is_empty(), "{} disagreements with the kernel", diffs.len());
}
