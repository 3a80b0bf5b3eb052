//! The worker's answers for `#/learn`: the guided scenarios of
//! `ext4scope_core::sim::scenario` (listed with no image open) and one
//! scenario walked in one variant on its sample, summarised in plain types
//! for the app (which does not link the simulator): each step's operations,
//! transactions, handles, decoded block changes (what and summary, not every
//! field), generated narration and the outcome of a crash at its end; the
//! crash points worth trying; the write stream for a strip. The walk also
//! names its run as a [`SimRef`], so "crash here" is an ordinary simulated
//! state (`sim=…&k=K` in links, `SetState` in the worker).

use ext4scope_core::sim::outcome::CrashOutcome;
use ext4scope_core::sim::scenario::{self, Scenario};
use ext4scope_core::sim::{DataMode, Options};
use ext4scope_core::Fs;
use serde::{Deserialize, Serialize};

use super::protocol::WorkerError;
use super::sim::{self as simw, SimFile, SimOutcome, SimProblem, SimWrite};
use crate::route::{SimRef, DATA_MODES};

/// Walks kept (a scenario's variants, switched back and forth).
const MAX_WALKS: usize = 4;

/// One variant of a scenario.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LearnVariant {
    /// Its name in links.
    pub name: String,
    /// What differs, in a line.
    pub label: String,
    /// The operations it runs, one text per step.
    pub steps: Vec<String>,
}

/// A scenario, for the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LearnScenario {
    /// Its name in links.
    pub name: String,
    /// Title.
    pub title: String,
    /// The built-in sample it runs on.
    pub sample: String,
    /// What it shows.
    pub summary: String,
    /// Its variants (the first is the default).
    pub variants: Vec<LearnVariant>,
}

/// A logged block decoded at home: what it is and what changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LearnChange {
    /// Home block.
    pub block: u64,
    /// What it is there.
    pub what: String,
    /// The changes, one line per record (empty: rewritten unchanged).
    pub summary: Vec<String>,
}

/// A file the operations wrote, after the crash and the next mount.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LearnWritten {
    /// Its path after the operations.
    pub path: String,
    /// Its inode, if the name exists.
    pub inode: Option<u32>,
    /// Size the operations gave it.
    pub expected_size: u64,
    /// Size found (`None`: no such name).
    pub size: Option<u64>,
    /// `as-written`, `unchanged`, `short`, `zeros`, `stale` or `missing`.
    pub content: String,
}

/// A revoke record that keeps recovery from copying an old block back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LearnGuard {
    /// The block.
    pub block: u64,
    /// The transaction that logged the old copy.
    pub logged_in: u32,
    /// The transaction whose revoke record skips it.
    pub revoked_in: u32,
    /// Whose data is there now.
    pub now_data_of: Option<String>,
}

/// A crash point's outcome with what the scenarios teach besides
/// `#/simulate`'s: the written files' fate and the revoke guards.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LearnOutcome {
    /// As `#/simulate` shows it.
    pub outcome: SimOutcome,
    /// The files the operations wrote.
    pub written: Vec<LearnWritten>,
    /// Revoke records that matter.
    pub revoke_guards: Vec<LearnGuard>,
    /// In words (`scenario::explain`).
    pub explain: String,
}

/// One step explained.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LearnStep {
    /// Its operations.
    pub ops: String,
    /// Its first write.
    pub first: u32,
    /// One past its last write (the crash point at its end).
    pub end: u32,
    /// Transactions it committed.
    pub transactions: Vec<u32>,
    /// Their handles, by kernel name.
    pub handles: Vec<String>,
    /// Every logged block of those transactions, decoded at home.
    pub changes: Vec<LearnChange>,
    /// The generated explanation.
    pub narration: Vec<String>,
    /// A crash right after its last write.
    pub crash: LearnOutcome,
}

/// A scenario walked in one variant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LearnWalk {
    /// The scenario.
    pub scenario: String,
    /// The variant.
    pub variant: String,
    /// Its run as a simulated state (`k` 0): `sim.at(K)` is the disk after K writes.
    pub sim: SimRef,
    /// The steps.
    pub steps: Vec<LearnStep>,
    /// Crash points worth trying (where the outcome can change), with their outcomes.
    pub crash_points: Vec<LearnOutcome>,
    /// Every write of the stream (the operations', then the clean unmount's).
    pub writes: Vec<SimWrite>,
    /// The write of each commit block.
    pub commits: Vec<u32>,
    /// Writes up to here are the operations'.
    pub end: u32,
}

/// The walks kept.
#[derive(Default)]
pub struct Walks {
    walks: Vec<((String, String), std::rc::Rc<LearnWalk>)>,
}

/// `data=` by its name in links.
pub fn data_mode(name: &str) -> Result<DataMode, WorkerError> {
    match name {
        "ordered" => Ok(DataMode::Ordered),
        "journal" => Ok(DataMode::Journal),
        "writeback" => Ok(DataMode::Writeback),
        d => Err(WorkerError::Simulation {
            message: format!("unknown data mode `{d}` (known: {})", DATA_MODES.join(", ")),
        }),
    }
}

/// The name of a `data=` mode in links.
pub fn data_mode_name(d: DataMode) -> &'static str {
    match d {
        DataMode::Ordered => "ordered",
        DataMode::Journal => "journal",
        DataMode::Writeback => "writeback",
    }
}

/// The simulated state a scenario's run is: its operations text (the steps,
/// one a line, as `scenario::walk` joins them) and its options.
pub fn sim_ref(steps: &[&str], o: &Options) -> SimRef {
    SimRef {
        ops: steps.join("\n"),
        design: o.design.name().to_string(),
        restart_commits: o.restart_commits,
        k: 0,
        data: data_mode_name(o.data).to_string(),
        auto_da_alloc: o.auto_da_alloc,
        kernel: o.kernel.name().to_string(),
    }
}

/// Every scenario, in teaching order.
pub fn scenarios() -> Vec<LearnScenario> {
    scenario::all()
        .iter()
        .map(|s| LearnScenario {
            name: s.name.to_string(),
            title: s.title.to_string(),
            sample: s.sample.to_string(),
            summary: s.summary.to_string(),
            variants: s
                .variants
                .iter()
                .map(|v| LearnVariant {
                    name: v.name.to_string(),
                    label: v.label.to_string(),
                    steps: v.steps.unwrap_or(s.steps).iter().map(|x| x.to_string()).collect(),
                })
                .collect(),
        })
        .collect()
}

fn find(name: &str) -> Result<Scenario, WorkerError> {
    scenario::find(name).ok_or_else(|| WorkerError::Simulation {
        message: format!(
            "no scenario `{name}` (known: {})",
            scenario::all().iter().map(|s| s.name).collect::<Vec<_>>().join(", ")
        ),
    })
}

/// A crash outcome in the app's terms.
pub fn outcome_of(o: &CrashOutcome) -> LearnOutcome {
    let code = |name: &str| {
        ext4scope_core::check::codes::by_name(name).map(|d| ext4scope_core::check::codes::hex(d.code))
    };
    LearnOutcome {
        outcome: SimOutcome {
            point: o.point as u32,
            replayed: o.replayed.clone(),
            orphan_cleanup: o.orphan_cleanup.clone(),
            exit_code: o.exit_code,
            problems: o.problems.iter().map(|n| SimProblem { name: n.clone(), code: code(n) }).collect(),
            codes: o.codes.clone(),
            files: o
                .files
                .iter()
                .map(|f| SimFile {
                    inode: f.inode,
                    path: f.path.clone(),
                    blocks: f.blocks,
                    unmapped: f.unmapped,
                    freed: f.freed,
                })
                .collect(),
            leaked_inodes: o.leaked_inodes.clone(),
            verdict: simw::verdict_name(o.verdict).to_string(),
            mount: simw::mount_of(&o.mount),
        },
        written: o
            .written
            .iter()
            .map(|w| LearnWritten {
                path: w.path.clone(),
                inode: w.inode,
                expected_size: w.expected_size,
                size: w.size,
                content: w.content.to_string(),
            })
            .collect(),
        revoke_guards: o
            .revoke_guards
            .iter()
            .map(|g| LearnGuard {
                block: g.block,
                logged_in: g.logged_in,
                revoked_in: g.revoked_in,
                now_data_of: g.now_data_of.clone(),
            })
            .collect(),
        explain: scenario::explain(o),
    }
}

/// Walk scenario `name` in variant `variant` (its name; empty: the first) on
/// `base`, which must be the scenario's sample.
pub fn walk(base: &Fs, name: &str, variant: &str) -> Result<LearnWalk, WorkerError> {
    let s = find(name)?;
    let vi = if variant.is_empty() {
        0
    } else {
        s.variants.iter().position(|v| v.name == variant).ok_or_else(|| WorkerError::Simulation {
            message: format!(
                "{name} has no variant `{variant}` (known: {})",
                s.variants.iter().map(|v| v.name).collect::<Vec<_>>().join(", ")
            ),
        })?
    };
    let v = &s.variants[vi];
    let w = scenario::walk(base, &s, vi).map_err(simw::sim_error)?;
    let sim = sim_ref(v.steps.unwrap_or(s.steps), &v.options);
    let stream = simw::summary(&w.run, v.options.restart_commits);
    Ok(LearnWalk {
        scenario: w.scenario.to_string(),
        variant: w.variant.to_string(),
        sim,
        steps: w
            .steps
            .iter()
            .map(|st| LearnStep {
                ops: st.ops.clone(),
                first: st.writes.0 as u32,
                end: st.writes.1 as u32,
                transactions: st.transactions.clone(),
                handles: st.handles.clone(),
                changes: st
                    .changes
                    .iter()
                    .map(|c| LearnChange {
                        block: c.fs_block,
                        what: c.what.clone(),
                        summary: c.summary.clone(),
                    })
                    .collect(),
                narration: st.narration.clone(),
                crash: outcome_of(&st.crash),
            })
            .collect(),
        crash_points: w.crash_points.iter().map(outcome_of).collect(),
        commits: stream.transactions.iter().map(|t| t.commit_write).collect(),
        end: stream.end,
        writes: stream.writes,
    })
}

impl Walks {
    /// Scenario `name` in `variant` on `base`, walked once.
    pub fn get(
        &mut self,
        base: &Fs,
        name: &str,
        variant: &str,
    ) -> Result<std::rc::Rc<LearnWalk>, WorkerError> {
        let key = (name.to_string(), variant.to_string());
        if let Some(i) = self.walks.iter().position(|(k, _)| *k == key) {
            let hit = self.walks.remove(i);
            let w = hit.1.clone();
            self.walks.push(hit);
            return Ok(w);
        }
        let w = std::rc::Rc::new(walk(base, name, variant)?);
        if self.walks.len() >= MAX_WALKS {
            self.walks.remove(0);
        }
        self.walks.push((key, w.clone()));
        Ok(w)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_apps_data_modes_are_the_simulators() {
        use ext4scope_core::sim::DataMode;
        for (i, d) in [DataMode::Ordered, DataMode::Journal, DataMode::Writeback].into_iter().enumerate() {
            assert_eq!(super::data_mode_name(d), crate::route::DATA_MODES[i]);
            assert_eq!(super::data_mode(crate::route::DATA_MODES[i]).ok(), Some(d));
        }
        assert!(super::data_mode("unordered").is_err());
    }
}
