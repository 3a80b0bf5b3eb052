//! The worker's answers for `#/simulate`: operations run by the core's
//! simulator on the image as on disk, the write stream summarised for the
//! timeline, the outcome of a crash after any prefix of it, and the designs
//! compared crash point by crash point. The runs are kept (a few), so moving
//! the crash point or following a link of the comparison simulates nothing
//! again; the simulated disk after K writes is `Run::state_at(K)`, which the
//! session then treats as the disk (its journal, its crash points, every view).
//!
//! The core's simulator types serialise only and the app must not link the
//! simulator: the app reads these mirrors.

use std::rc::Rc;

use ext4scope_core::sim::jrn::WriteKind;
use ext4scope_core::sim::outcome::{interesting_points, outcome, CrashOutcome, Verdict};
use ext4scope_core::sim::{simulate, Design, Kernel, Options, Run};
use ext4scope_core::Fs;
use serde::{Deserialize, Serialize};

use super::protocol::WorkerError;
use crate::route::SimRef;

/// Runs kept (the one shown and the four designs of a comparison).
const MAX_RUNS: usize = 6;

/// One write of the stream.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimWrite {
    /// The device block written.
    pub block: u64,
    /// What it is: `superblock`, `journal_superblock`, `descriptor`,
    /// `logged` (a logged copy of `home`), `revoke`, `commit`, `checkpoint`
    /// (of `home`), `data` (of `inode`).
    pub kind: String,
    /// The home block of a logged copy or a checkpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub home: Option<u64>,
    /// A logged copy whose first word was escaped (JBD2_FLAG_ESCAPE).
    #[serde(default, skip_serializing_if = "is_false")]
    pub escaped: bool,
    /// The file of a data write.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inode: Option<u32>,
    /// Its transaction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tid: Option<u32>,
    /// The operation that caused it (0-based; the number of operations: the unmount).
    pub op: u32,
    /// A cache flush before it (REQ_PREFLUSH).
    #[serde(default, skip_serializing_if = "is_false")]
    pub flush: bool,
    /// Written with FUA.
    #[serde(default, skip_serializing_if = "is_false")]
    pub fua: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl SimWrite {
    /// True for writes into the journal (home writes are the rest).
    pub fn is_journal(&self) -> bool {
        matches!(self.kind.as_str(), "journal_superblock" | "descriptor" | "logged" | "revoke" | "commit")
    }
}

/// One handle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimHandle {
    /// Its number (1-based).
    pub id: u32,
    /// The transaction it joined.
    pub tid: u32,
    /// The operation.
    pub op: u32,
    /// What the kernel calls it.
    pub name: String,
    /// Blocks it dirtied.
    pub dirtied: Vec<u64>,
    /// Blocks it revoked.
    pub revoked: Vec<u64>,
}

/// One committed transaction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimTx {
    /// Its tid.
    pub tid: u32,
    /// Its handles.
    pub handles: Vec<u32>,
    /// Home blocks logged, in tag order.
    pub logged: Vec<u64>,
    /// Blocks revoked.
    pub revoked: Vec<u64>,
    /// Its first write.
    pub first_write: u32,
    /// Its commit block's write.
    pub commit_write: u32,
    /// The journal superblock write that ended its checkpoint.
    pub checkpointed: Option<u32>,
}

/// A run, for the timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimSummary {
    /// The operations, one text each.
    pub ops: Vec<String>,
    /// The design.
    pub design: String,
    /// Restarts were transaction boundaries.
    pub restart_commits: bool,
    /// Every write, in order (crash points are 0..=len).
    pub writes: Vec<SimWrite>,
    /// Committed transactions.
    pub transactions: Vec<SimTx>,
    /// Handles.
    pub handles: Vec<SimHandle>,
    /// Writes up to here are the operations'; after it, the clean unmount.
    pub end: u32,
    /// What the simulator did that the stream does not say.
    pub notes: Vec<String>,
    /// Temporary inodes: (operation, inode).
    pub temp_inodes: Vec<(u32, u32)>,
    /// The crash points where the outcome can change.
    pub points: Vec<u32>,
}

/// A file's data after the crash and the next mount.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimFile {
    /// Its inode.
    pub inode: u32,
    /// Its path.
    pub path: String,
    /// Data blocks it had.
    pub blocks: u64,
    /// No longer mapped where they were.
    pub unmapped: u64,
    /// Mapped but marked free.
    pub freed: u64,
}

/// One problem e2fsck raises, with its code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimProblem {
    /// As `problem.h` names it.
    pub name: String,
    /// Its code (`0x010017`), when the name is known.
    pub code: Option<String>,
}

/// A crash point's outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimOutcome {
    /// Writes that reached the disk.
    pub point: u32,
    /// Transactions recovery replays.
    pub replayed: Vec<u32>,
    /// What the next mount's orphan cleanup does.
    pub orphan_cleanup: Vec<String>,
    /// `e2fsck -fn` after that mount: exit code.
    pub exit_code: i32,
    /// Its problems, in order.
    pub problems: Vec<SimProblem>,
    /// The problem log codes, sorted (as `--json` has them).
    pub codes: Vec<String>,
    /// The files the operations touched.
    pub files: Vec<SimFile>,
    /// Inodes left in use with no links.
    pub leaked_inodes: Vec<u32>,
    /// `clean`, `leak`, `data-loss` or `inconsistent`.
    pub verdict: String,
    /// What mount does with the crashed disk: read-only, its last log line,
    /// read-write, its last log line.
    #[serde(default)]
    pub mount: SimMount,
}

/// What mount does with a crashed disk (before recovery).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SimMount {
    /// `mounted-ro`, `mounted-rw` or `refused`.
    pub ro: String,
    /// The decisive log line (the last).
    pub ro_says: Option<String>,
    /// The same read-write.
    pub rw: String,
    /// Its decisive line.
    pub rw_says: Option<String>,
}

/// The app's summary of the core's mount outcome.
pub fn mount_of(m: &ext4scope_core::sim::outcome::CrashMount) -> SimMount {
    SimMount {
        ro: m.ro.clone(),
        ro_says: m.ro_messages.last().cloned(),
        rw: m.rw.clone(),
        rw_says: m.rw_messages.last().cloned(),
    }
}

/// One cell of the comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimCell {
    /// The verdict of a crash after that many writes.
    pub verdict: String,
    /// Transactions recovery replays.
    pub replayed: Vec<u32>,
    /// e2fsck's exit code.
    pub exit_code: i32,
    /// The point is one where this design's outcome can change.
    pub interesting: bool,
}

/// One design of the comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimColumn {
    /// Its name.
    pub design: String,
    /// Writes in its stream.
    pub writes: u32,
    /// Where its operations end.
    pub end: u32,
    /// Transactions it committed.
    pub transactions: u32,
    /// One per row (`None`: its stream is shorter).
    pub cells: Vec<Option<SimCell>>,
}

/// The designs side by side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimComparison {
    /// The rows: crash points (writes that reached the disk), every design's
    /// points where the outcome can change.
    pub points: Vec<u32>,
    /// The columns, in [`Design::ALL`] order (run with restarts committing).
    pub designs: Vec<SimColumn>,
}

/// The runs kept.
#[derive(Default)]
pub struct Runs {
    runs: Vec<(SimRef, Rc<Run>)>,
}

impl Runs {
    /// The run of `spec` (its `k` ignored) on `base`, simulated once.
    pub fn get(&mut self, base: &Fs, spec: &SimRef) -> Result<Rc<Run>, WorkerError> {
        if let Some(i) = self.runs.iter().position(|(s, _)| s.same_run(spec)) {
            let r = self.runs.remove(i);
            let run = r.1.clone();
            self.runs.push(r);
            return Ok(run);
        }
        let design = Design::parse(&spec.design).ok_or_else(|| WorkerError::Simulation {
            message: format!(
                "unknown design `{}` (known: {})",
                spec.design,
                Design::ALL.map(Design::name).join(", ")
            ),
        })?;
        let kernel = Kernel::parse(&spec.kernel).ok_or_else(|| WorkerError::Simulation {
            message: format!(
                "unknown kernel `{}` (known: {})",
                spec.kernel,
                Kernel::ALL.map(Kernel::name).join(", ")
            ),
        })?;
        let opts = Options {
            design,
            restart_commits: spec.restart_commits,
            data: super::learn::data_mode(&spec.data)?,
            auto_da_alloc: spec.auto_da_alloc,
            kernel,
            ..Options::default()
        };
        let run = Rc::new(simulate(base, &spec.ops, &opts).map_err(sim_error)?);
        if self.runs.len() >= MAX_RUNS {
            self.runs.remove(0);
        }
        self.runs.push((spec.at(0), run.clone()));
        Ok(run)
    }
}

/// The simulator's refusals as a person reads them ("line 2: …", "chattr +e
/// /x: the file system has no extents feature (EINVAL)").
pub fn sim_error(e: ext4scope_core::Error) -> WorkerError {
    match e {
        ext4scope_core::Error::Corrupt { structure, message, .. } if structure == "simulator" => {
            let message = message.strip_prefix("script: ").map(str::to_string).unwrap_or(message);
            WorkerError::Simulation { message }
        }
        error => WorkerError::Core { error },
    }
}

fn kind(w: &WriteKind) -> (&'static str, Option<u64>, bool, Option<u32>) {
    match w {
        WriteKind::Superblock => ("superblock", None, false, None),
        WriteKind::JournalSuperblock => ("journal_superblock", None, false, None),
        WriteKind::Descriptor => ("descriptor", None, false, None),
        WriteKind::LoggedCopy { home, escaped } => ("logged", Some(*home), *escaped, None),
        WriteKind::Revoke => ("revoke", None, false, None),
        WriteKind::Commit => ("commit", None, false, None),
        WriteKind::Checkpoint { home } => ("checkpoint", Some(*home), false, None),
        WriteKind::Data { inode, .. } => ("data", None, false, Some(*inode)),
    }
}

/// A run for the timeline.
pub fn summary(run: &Run, restart_commits: bool) -> SimSummary {
    let writes = run
        .stream
        .writes
        .iter()
        .map(|w| {
            let (kind, home, escaped, inode) = kind(&w.what);
            SimWrite {
                block: w.block,
                kind: kind.to_string(),
                home,
                escaped,
                inode,
                tid: w.tid,
                op: w.op as u32,
                flush: w.flush_before,
                fua: w.fua,
            }
        })
        .collect();
    SimSummary {
        ops: run.ops.iter().map(|o| o.text.clone()).collect(),
        design: run.design.name().to_string(),
        restart_commits,
        writes,
        transactions: run
            .stream
            .transactions
            .iter()
            .map(|t| SimTx {
                tid: t.tid,
                handles: t.handles.clone(),
                logged: t.logged.clone(),
                revoked: t.revoked.clone(),
                first_write: t.first_write as u32,
                commit_write: t.commit_write as u32,
                checkpointed: t.checkpointed.map(|c| c as u32),
            })
            .collect(),
        handles: run
            .stream
            .handles
            .iter()
            .map(|h| SimHandle {
                id: h.id,
                tid: h.tid,
                op: h.op as u32,
                name: h.name.clone(),
                dirtied: h.dirtied.clone(),
                revoked: h.revoked.clone(),
            })
            .collect(),
        end: run.end as u32,
        notes: run.notes.clone(),
        temp_inodes: run.temp_inodes.iter().map(|&(o, i)| (o as u32, i)).collect(),
        points: interesting_points(run).into_iter().map(|k| k as u32).collect(),
    }
}

/// `clean`, `leak`, `data-loss`, `stale-data`, `inconsistent` (as the CLI's JSON spells them).
pub fn verdict_name(v: Verdict) -> &'static str {
    match v {
        Verdict::Clean => "clean",
        Verdict::Leak => "leak",
        Verdict::DataLoss => "data-loss",
        Verdict::StaleData => "stale-data",
        Verdict::Inconsistent => "inconsistent",
    }
}

fn outcome_at(run: &Run, k: u32) -> Result<CrashOutcome, WorkerError> {
    if k as usize > run.len() {
        return Err(WorkerError::Simulation {
            message: format!("crash point {k} is past the stream's end ({} writes)", run.len()),
        });
    }
    outcome(run, k as usize).map_err(sim_error)
}

/// The outcome of a crash after `k` writes.
pub fn outcome_view(run: &Run, k: u32) -> Result<SimOutcome, WorkerError> {
    let o = outcome_at(run, k)?;
    let code = |name: &str| {
        ext4scope_core::check::codes::by_name(name).map(|d| ext4scope_core::check::codes::hex(d.code))
    };
    Ok(SimOutcome {
        point: o.point as u32,
        replayed: o.replayed,
        orphan_cleanup: o.orphan_cleanup,
        exit_code: o.exit_code,
        problems: o.problems.iter().map(|n| SimProblem { name: n.clone(), code: code(n) }).collect(),
        codes: o.codes,
        files: o
            .files
            .into_iter()
            .map(|f| SimFile {
                inode: f.inode,
                path: f.path,
                blocks: f.blocks,
                unmapped: f.unmapped,
                freed: f.freed,
            })
            .collect(),
        leaked_inodes: o.leaked_inodes,
        verdict: verdict_name(o.verdict).to_string(),
        mount: mount_of(&o.mount),
    })
}

/// Every design on `ops`, restarts committing (so the crash windows show):
/// the outcome after each design's interesting points, for every design.
pub fn compare(runs: &mut Runs, base: &Fs, ops: &str) -> Result<SimComparison, WorkerError> {
    let mut job = CompareJob::new(ops);
    while !job.step(runs, base)? {}
    Ok(job.result())
}

/// [`compare`] in steps, so that the page can stop it between two requests
/// (each step is one design's run or one crash point's outcome).
pub struct CompareJob {
    ops: String,
    /// The designs run so far, in [`Design::ALL`] order.
    runs: Vec<(Design, Rc<Run>)>,
    /// The rows, once every design has run.
    points: Vec<u32>,
    /// The columns done.
    designs: Vec<SimColumn>,
    /// The cells of the column being filled.
    cells: Vec<Option<SimCell>>,
    /// That column's design's interesting points.
    own: Option<Vec<usize>>,
}

impl CompareJob {
    /// Nothing done yet.
    pub fn new(ops: &str) -> Self {
        CompareJob {
            ops: ops.to_string(),
            runs: Vec::new(),
            points: Vec::new(),
            designs: Vec::new(),
            cells: Vec::new(),
            own: None,
        }
    }

    /// The operations compared.
    pub fn ops(&self) -> &str {
        &self.ops
    }

    /// (steps done, steps in all): the runs, then one step per cell (the
    /// cells are known once every design has run).
    pub fn progress(&self) -> (u32, u32) {
        let n = Design::ALL.len() as u32;
        let cells = (self.designs.len() * self.points.len() + self.cells.len()) as u32;
        let total = n + if self.runs.len() < Design::ALL.len() { 0 } else { n * self.points.len() as u32 };
        (self.runs.len() as u32 + cells, total)
    }

    /// One step; true when the comparison is complete.
    pub fn step(&mut self, runs: &mut Runs, base: &Fs) -> Result<bool, WorkerError> {
        if let Some(&d) = Design::ALL.get(self.runs.len()) {
            let spec = SimRef {
                ops: self.ops.clone(),
                design: d.name().to_string(),
                restart_commits: true,
                ..SimRef::default()
            };
            self.runs.push((d, runs.get(base, &spec)?));
            if self.runs.len() == Design::ALL.len() {
                let mut points: Vec<u32> =
                    self.runs.iter().flat_map(|(_, r)| interesting_points(r)).map(|k| k as u32).collect();
                points.sort_unstable();
                points.dedup();
                self.points = points;
            }
            return Ok(self.is_done());
        }
        let Some((d, run)) = self.runs.get(self.designs.len()) else { return Ok(true) };
        if let Some(&k) = self.points.get(self.cells.len()) {
            let cell = if k as usize > run.len() {
                None
            } else {
                let o = outcome_at(run, k)?;
                Some(SimCell {
                    verdict: verdict_name(o.verdict).to_string(),
                    replayed: o.replayed,
                    exit_code: o.exit_code,
                    interesting: self
                        .own
                        .get_or_insert_with(|| interesting_points(run))
                        .contains(&(k as usize)),
                })
            };
            self.cells.push(cell);
        }
        if self.cells.len() == self.points.len() {
            self.designs.push(SimColumn {
                design: d.name().to_string(),
                writes: run.len() as u32,
                end: run.end as u32,
                transactions: run.stream.transactions.len() as u32,
                cells: std::mem::take(&mut self.cells),
            });
            self.own = None;
        }
        Ok(self.is_done())
    }

    fn is_done(&self) -> bool {
        self.runs.len() == Design::ALL.len() && self.designs.len() == Design::ALL.len()
    }

    /// The comparison (complete once [`CompareJob::step`] said so).
    pub fn result(&self) -> SimComparison {
        SimComparison { points: self.points.clone(), designs: self.designs.clone() }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_apps_design_names_are_the_simulators() {
        let names = ext4scope_core::sim::Design::ALL.map(ext4scope_core::sim::Design::name);
        assert_eq!(names, crate::route::DESIGNS);
    }
}
