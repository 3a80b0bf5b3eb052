//! The checker against e2fsck itself on e2fsprogs' own corruption suite: for
//! every `$E2FSPROGS_TESTS/f_*/image.gz`, the exit code `e2fsck -fn` gave and
//! the set of problem codes it raised (`tests/peer/e2fsck-fn.txt`, recorded
//! from e2fsprogs 1.47.0 by `tests/peer/e2fsck-oracle.sh`), against ours.
//!
//! Prints both figures, "same exit code: N/M" and "same problem codes: K/M",
//! and every disagreement by name with the codes on each side. The figures
//! must not fall below the floors below (raise them as the checker grows).

use std::collections::BTreeSet;
use std::io::Read;
use std::path::PathBuf;

use ext4scope_core::check::{check, CheckReport, Checker};
use ext4scope_core::Fs;

/// Lowest acceptable agreement, in images (of those e2fsck finished on).
const EXIT_FLOOR: usize = 190;
const CODES_FLOOR: usize = 183;
const FIXTURE_EXIT_FLOOR: usize = 59;
const FIXTURE_CODES_FLOOR: usize = 59;

fn tests_dir() -> PathBuf {
    std::env::var_os("E2FSPROGS_TESTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/e2fsprogs-tests"))
}

struct Expect {
    name: String,
    exit: Option<i32>,
    why_not: Option<String>,
    codes: BTreeSet<String>,
}

fn expectations(file: &str) -> Vec<Expect> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/peer").join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let mut w = l.split_whitespace();
            let name = w.next().unwrap_or_default().to_string();
            let rc = w.next().unwrap_or_default();
            let (exit, why_not) = match rc.parse::<i32>() {
                Ok(n) => (Some(n), None),
                Err(_) => (None, Some(rc.to_string())),
            };
            Expect { name, exit, why_not, codes: w.map(String::from).collect() }
        })
        .collect()
}

fn run(img: Vec<u8>) -> CheckReport {
    match Fs::open_or_backup(&mut || Box::new(img.clone())) {
        Ok(fs) => {
            let whole = check(&fs, &mut |_| true);
            // The same check a few units at a time (as the web worker runs
            // it) says the same, with progress that never goes back.
            let mut stepped = Checker::new(&fs);
            let mut last = (0u8, 0u32);
            let mut steps = 0u32;
            let mut dir_blocks = 0u64;
            while !stepped.step(&fs, 7) {
                let p = stepped.progress();
                assert!(!stepped.report().complete, "a report before the end is partial");
                assert!(p.scan.permille >= last.1, "progress went back: {last:?} then {p:?}");
                // Pass 2 goes a few directory blocks at a time, forward.
                if p.pass == 2 {
                    assert!(p.dir_blocks.0 >= dir_blocks && p.dir_blocks.0 <= p.dir_blocks.1, "{p:?}");
                    assert!(p.dir_blocks.0 - dir_blocks <= 7, "more than the budget in one step: {p:?}");
                    dir_blocks = p.dir_blocks.0;
                }
                last = (p.pass, p.scan.permille);
                steps += 1;
                assert!(steps < 10_000_000, "the stepped check does not end");
            }
            assert_eq!(stepped.report(), whole, "stepped and whole checks differ");
            whole
        }
        Err(e) => CheckReport::unopenable(&e),
    }
}

/// Agreement of the checker with e2fsck on a list of images.
struct Agreement {
    total: usize,
    same_exit: usize,
    same_codes: usize,
}

/// Check every image of `list` (found as `dir/NAME/image.gz` or `dir/NAME`)
/// and print each disagreement.
fn compare(dir: &std::path::Path, list: Vec<Expect>, per_test_dir: bool) -> Agreement {
    let mut a = Agreement { total: 0, same_exit: 0, same_codes: 0 };
    let mut skipped = Vec::new();
    let mut exit_diffs = Vec::new();
    let mut code_diffs = Vec::new();
    for e in list {
        let path = if per_test_dir { dir.join(&e.name).join("image.gz") } else { dir.join(&e.name) };
        let Ok(f) = std::fs::File::open(&path) else {
            skipped.push(format!("{}: no image", e.name));
            continue;
        };
        let Some(want_exit) = e.exit else {
            skipped.push(format!("{}: e2fsck {}", e.name, e.why_not.as_deref().unwrap_or("")));
            continue;
        };
        let mut img = Vec::new();
        if flate2::read::GzDecoder::new(f).read_to_end(&mut img).is_err() {
            skipped.push(format!("{}: does not decompress", e.name));
            continue;
        }
        a.total += 1;
        let r = run(img);
        // A fatal problem ends e2fsck before its problem_log records it.
        let ours: BTreeSet<String> =
            r.problems.iter().filter(|p| !p.fatal).filter_map(|p| p.e2fsck_code.clone()).collect();
        if r.exit_code == want_exit {
            a.same_exit += 1;
        } else {
            exit_diffs.push(format!(
                "{}: e2fsck {want_exit}, ours {}{}",
                e.name,
                r.exit_code,
                r.aborted.as_deref().map(|a| format!(" ({a})")).unwrap_or_default()
            ));
        }
        if ours == e.codes {
            a.same_codes += 1;
        } else {
            let missing: Vec<&String> = e.codes.difference(&ours).collect();
            let extra: Vec<&String> = ours.difference(&e.codes).collect();
            code_diffs.push(format!("{}: missing {missing:?}, extra {extra:?}", e.name));
        }
    }
    println!("exit-code disagreements ({}):", exit_diffs.len());
    for d in &exit_diffs {
        println!("  {d}");
    }
    println!("problem-code disagreements ({}):", code_diffs.len());
    for d in &code_diffs {
        println!("  {d}");
    }
    println!("not compared ({}):", skipped.len());
    for s in &skipped {
        println!("  {s}");
    }
    println!("same exit code: {}/{}", a.same_exit, a.total);
    println!("same problem codes: {}/{}", a.same_codes, a.total);
    a
}

#[test]
fn checker_agrees_with_e2fsck_on_the_peer_suite() {
    let dir = tests_dir();
    assert!(dir.is_dir(), "e2fsprogs tests not found at {} (set E2FSPROGS_TESTS)", dir.display());
    let a = compare(&dir, expectations("e2fsck-fn.txt"), true);
    assert!(a.total >= 150, "only {} peer images compared", a.total);
    assert!(a.same_exit >= EXIT_FLOOR, "same exit code on {}/{}, floor {EXIT_FLOOR}", a.same_exit, a.total);
    assert!(
        a.same_codes >= CODES_FLOOR,
        "same problem codes on {}/{}, floor {CODES_FLOOR}",
        a.same_codes,
        a.total
    );
}

/// The project's own fixtures (made by mkfs, debugfs and the kernel), against
/// e2fsck -fn as recorded by tests/peer/fixtures-oracle.sh.
#[test]
fn checker_agrees_with_e2fsck_on_the_fixtures() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
    let a = compare(&dir, expectations("fixtures-e2fsck-fn.txt"), false);
    assert!(a.total >= 50, "only {} fixtures compared", a.total);
    assert!(
        a.same_exit >= FIXTURE_EXIT_FLOOR,
        "same exit code on {}/{}, floor {FIXTURE_EXIT_FLOOR}",
        a.same_exit,
        a.total
    );
    assert!(
        a.same_codes >= FIXTURE_CODES_FLOOR,
        "same problem codes on {}/{}, floor {FIXTURE_CODES_FLOOR}",
        a.same_codes,
        a.total
    );
}
