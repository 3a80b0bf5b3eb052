//! What the worker does with a request, free of browser calls so native tests
//! drive it over in-memory images. The worker keeps one [`Session`].
//!
//! The session holds the image as on disk and, once a crash point is chosen
//! ([`Request::SetState`]), the state replayed from its journal; every other
//! request reads the current state, so each view shows it unchanged. The
//! caches of a state (ownership scan, directory listings, unreachable walk)
//! are dropped when it changes; the journal (walked on the image as on disk)
//! and its replays are kept.
//!
//! A simulated state ([`Request::SetState`] with `sim`) replaces the disk:
//! the simulator's disk after K writes is what the journal is walked on and
//! replayed over, and what every view reads. Runs are kept ([`sim::Runs`]).

use ext4scope_core::{Fs, ReadAt};

use super::journal::JournalState;
use super::protocol::SimRef;
use super::protocol::{CrashPoint, Request, Response, WorkerError, MAX_CHUNK, MAX_GROUPS_PER_REQUEST};
use super::{filemap, files, inspect, learn, sim};
use crate::b64;

/// The open image, if any.
#[derive(Default)]
pub struct Session {
    /// The image as on disk.
    base: Option<Fs>,
    /// Its fingerprint (links name the image on disk whatever the state).
    fingerprint: String,
    /// The simulated disk (`None`: the image as on disk).
    disk: Option<Fs>,
    /// Which simulation and point `disk` is.
    sim: Option<SimRef>,
    /// Writes in that simulation's stream.
    sim_writes: Option<u32>,
    /// Simulations run on the image as on disk.
    runs: sim::Runs,
    /// Scenarios walked on the image as on disk.
    walks: learn::Walks,
    /// The state replayed to `crash` (`None`: the disk itself).
    state: Option<Fs>,
    /// The crash point the session answers from.
    crash: CrashPoint,
    /// The journal, once asked for (`Some(None)`: the file system has none).
    journal: Option<Option<JournalState>>,
    /// The block ownership scan of the current state, once asked for (kept
    /// when done: its map answers "who owns this block").
    scan: Option<ext4scope_core::ownership::Scanner>,
    /// Recently listed directories of the current state.
    dirs: files::DirCache,
    /// The unreachable-inode walk of the current state, once asked for.
    walk: Option<files::Walk>,
    /// The check of the current state, once asked for.
    check: Option<ext4scope_core::check::Checker>,
    /// The map tables of the last inodes shown, of the current state.
    maps: filemap::FileMaps,
    /// The comparison of the designs under way (sliced requests).
    compare: Option<sim::CompareJob>,
}

impl Session {
    /// No image yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// True when an image is open.
    pub fn is_open(&self) -> bool {
        self.base.is_some()
    }

    /// The crash point the session answers from.
    pub fn crash(&self) -> CrashPoint {
        self.crash
    }

    /// Answer one request. `source` is the Blob that came with the message.
    pub fn handle(&mut self, request: Request, source: Option<Box<dyn ReadAt>>) -> Response {
        match self.answer(request, source) {
            Ok(r) => r,
            Err(error) => Response::Failed { error },
        }
    }

    /// The current state.
    fn fs(&self) -> Result<&Fs, WorkerError> {
        self.state.as_ref().or(self.disk.as_ref()).or(self.base.as_ref()).ok_or(WorkerError::NoImage)
    }

    /// Drop the caches of the current state.
    fn reset_state_caches(&mut self) {
        self.scan = None;
        self.dirs = files::DirCache::default();
        self.walk = None;
        self.check = None;
        self.maps = filemap::FileMaps::default();
    }

    /// The journal of the disk (the image as on disk or the simulated one), opened once.
    fn journal(&mut self) -> Result<(&Fs, Option<&mut JournalState>), WorkerError> {
        let base = self.disk.as_ref().or(self.base.as_ref()).ok_or(WorkerError::NoImage)?;
        if self.journal.is_none() {
            self.journal = Some(JournalState::open(base)?);
        }
        Ok((base, self.journal.as_mut().and_then(Option::as_mut)))
    }

    fn answer(&mut self, request: Request, source: Option<Box<dyn ReadAt>>) -> Result<Response, WorkerError> {
        Ok(match request {
            Request::Open { name: _ } => {
                let source = source.ok_or(WorkerError::NoFile)?;
                // A failed open leaves no image: the old one is gone from the
                // app's point of view too.
                self.close();
                let fs = open_or_backup(source)?;
                self.fingerprint = fs.fingerprint();
                let info = summary_info(&fs, &self.fingerprint);
                self.base = Some(fs);
                Response::Info { info }
            }
            Request::Info => Response::Info { info: summary_info(self.fs()?, &self.fingerprint) },
            Request::Groups { start, count } => {
                let fs = self.fs()?;
                let total = fs.geo.groups_count;
                let start = start.min(total);
                let end = start.saturating_add(count.min(MAX_GROUPS_PER_REQUEST)).min(total);
                let groups = (start..end).filter_map(|g| fs.group_report(g)).collect();
                Response::Groups { start, groups }
            }
            Request::Close => {
                self.close();
                Response::Closed
            }
            Request::Inode { ino } => {
                let fs = self
                    .state
                    .as_ref()
                    .or(self.disk.as_ref())
                    .or(self.base.as_ref())
                    .ok_or(WorkerError::NoImage)?;
                let mut report = fs.inode_report(ino)?;
                let xattrs = fs.xattrs(&fs.inode(ino)?);
                let map = self.maps.inode(&mut report);
                Response::Inode { report: Box::new(report), xattrs: Box::new(xattrs), map }
            }
            Request::FileMap { ino, start, count } => {
                let fs = self
                    .state
                    .as_ref()
                    .or(self.disk.as_ref())
                    .or(self.base.as_ref())
                    .ok_or(WorkerError::NoImage)?;
                Response::FileMap { page: self.maps.page(fs, ino, start, count)? }
            }
            Request::FileMapFind { ino, logical, physical } => {
                let fs = self
                    .state
                    .as_ref()
                    .or(self.disk.as_ref())
                    .or(self.base.as_ref())
                    .ok_or(WorkerError::NoImage)?;
                let found = self.maps.find(fs, ino, logical, physical)?;
                let total = self.maps.page(fs, ino, 0, 0)?.total;
                Response::FileMapFind { ino, total, row: found.row, exact: found.exact }
            }
            Request::ReadFile { .. }
            | Request::Block { .. }
            | Request::Scan { .. }
            | Request::GroupDetail { .. } => {
                let fs = self
                    .state
                    .as_ref()
                    .or(self.disk.as_ref())
                    .or(self.base.as_ref())
                    .ok_or(WorkerError::NoImage)?;
                inspect::answer(fs, &mut self.scan, request)?
            }
            Request::Dir { ino, start, count, order } => {
                let fs = self
                    .state
                    .as_ref()
                    .or(self.disk.as_ref())
                    .or(self.base.as_ref())
                    .ok_or(WorkerError::NoImage)?;
                Response::Dir { page: Box::new(self.dirs.page_in(fs, ino, start, count, order)?) }
            }
            Request::Lookup { path, order } => {
                let fs = self
                    .state
                    .as_ref()
                    .or(self.disk.as_ref())
                    .or(self.base.as_ref())
                    .ok_or(WorkerError::NoImage)?;
                Response::Lookup { report: Box::new(files::lookup_in(fs, &mut self.dirs, &path, order)) }
            }
            Request::PathOf { ino, budget } => {
                let fs = self
                    .state
                    .as_ref()
                    .or(self.disk.as_ref())
                    .or(self.base.as_ref())
                    .ok_or(WorkerError::NoImage)?;
                Response::PathOf {
                    report: Box::new(files::path_of(fs, &mut self.dirs, &mut self.walk, ino, budget)),
                }
            }
            Request::Unreachable { budget } => {
                let fs = self
                    .state
                    .as_ref()
                    .or(self.disk.as_ref())
                    .or(self.base.as_ref())
                    .ok_or(WorkerError::NoImage)?;
                let walk = self.walk.get_or_insert_with(|| files::Walk::new(fs));
                if budget > 0 && !walk.is_done() {
                    walk.step(fs, budget);
                }
                Response::Unreachable { report: Box::new(walk.report()) }
            }
            Request::Journal { walk } => {
                let (base, j) = self.journal()?;
                Response::Journal { summary: j.map(|j| Box::new(j.summary(base, walk))) }
            }
            Request::JournalPage { start, count } => {
                let (base, j) = self.journal()?;
                let (total, transactions) = j.ok_or_else(no_journal)?.page(base, start, count);
                Response::JournalPage { start, total, transactions }
            }
            Request::Transaction { sequence, start, count } => {
                let (base, j) = self.journal()?;
                let detail = j.ok_or_else(no_journal)?.transaction(base, sequence, start, count)?;
                Response::Transaction { detail: Box::new(detail) }
            }
            Request::JournalDiff { from, to, start, count } => {
                let (base, j) = self.journal()?;
                let page = j.ok_or_else(no_journal)?.diff(base, from, to, start, count)?;
                Response::JournalDiff { page: Box::new(page) }
            }
            Request::SetState { crash, sim } if sim != self.sim => self.set_sim_state(crash, sim)?,
            Request::Simulate { ops, design, restart_commits } => {
                let base = self.base.as_ref().ok_or(WorkerError::NoImage)?;
                let run =
                    self.runs.get(base, &SimRef { ops, design, restart_commits, ..SimRef::default() })?;
                Response::Simulation { summary: Box::new(sim::summary(&run, restart_commits)) }
            }
            Request::SimOutcome { sim: spec } => {
                let base = self.base.as_ref().ok_or(WorkerError::NoImage)?;
                let run = self.runs.get(base, &spec)?;
                Response::SimOutcome { outcome: Box::new(sim::outcome_view(&run, spec.k)?) }
            }
            Request::SimCompare { ops, slice_ms, cancel } => {
                if cancel {
                    let (done, total) = self.compare.take().map_or((0, 0), |j| j.progress());
                    return Ok(Response::SimCompareProgress { done, total, cancelled: true, worked_ms: 0.0 });
                }
                let base = self.base.as_ref().ok_or(WorkerError::NoImage)?;
                if self.compare.as_ref().is_none_or(|j| j.ops() != ops) {
                    self.compare = Some(sim::CompareJob::new(&ops));
                }
                let Some(job) = self.compare.as_mut() else { return Err(WorkerError::NoImage) };
                let t0 = super::clock::now_ms();
                loop {
                    let done = match job.step(&mut self.runs, base) {
                        Ok(d) => d,
                        Err(e) => {
                            self.compare = None;
                            return Err(e);
                        }
                    };
                    if done {
                        let comparison = Box::new(job.result());
                        self.compare = None;
                        return Ok(Response::SimCompare { comparison });
                    }
                    if slice_ms.is_some_and(|ms| super::clock::now_ms() - t0 >= f64::from(ms)) {
                        break;
                    }
                }
                let (done, total) = job.progress();
                Response::SimCompareProgress {
                    done,
                    total,
                    cancelled: false,
                    worked_ms: super::clock::now_ms() - t0,
                }
            }
            Request::SetState { crash, sim: _ } => {
                let (state, replay) = match self.journal()? {
                    (_, None) if crash == CrashPoint::Disk => (None, None),
                    (_, None) => return Err(no_journal()),
                    (base, Some(j)) => {
                        let (state, replay) = j.state(base, crash)?;
                        (state, Some(replay))
                    }
                };
                self.state = state;
                self.crash = crash;
                self.reset_state_caches();
                let replay = replay.unwrap_or_else(nothing_replayed);
                Response::State {
                    crash,
                    sim: self.sim.clone(),
                    sim_writes: self.sim_writes,
                    info: summary_info(self.fs()?, &self.fingerprint),
                    replay: Box::new(replay),
                }
            }
            Request::Scenarios => Response::Scenarios { scenarios: learn::scenarios() },
            Request::Learn { scenario, variant } => {
                let base = self.base.as_ref().ok_or(WorkerError::NoImage)?;
                Response::Learn { walk: Box::new((*self.walks.get(base, &scenario, &variant)?).clone()) }
            }
            Request::Check { budget, report } => {
                let fs = self
                    .state
                    .as_ref()
                    .or(self.disk.as_ref())
                    .or(self.base.as_ref())
                    .ok_or(WorkerError::NoImage)?;
                let checker = self.check.get_or_insert_with(|| ext4scope_core::check::Checker::new(fs));
                let t0 = super::clock::now_ms();
                if budget > 0 {
                    checker.step(fs, budget);
                }
                let worked_ms = super::clock::now_ms() - t0;
                let done = checker.is_done();
                let found = checker.found();
                let report = (done || report).then(|| Box::new(checker.report()));
                Response::Check { worked_ms, progress: checker.progress(), done, found, report }
            }
            Request::MountVerdict => {
                let fs = self.fs()?;
                Response::MountVerdict {
                    verdicts: Box::new(ext4scope_core::mount::verdicts_image(fs.image())),
                }
            }
            Request::Export { offset, len } => {
                let fs = self.fs()?;
                let size = fs.image().len();
                let n = u64::from(len.min(MAX_CHUNK)).min(size.saturating_sub(offset)) as usize;
                let mut buf = vec![0u8; n];
                fs.image().read_into(offset, &mut buf)?;
                let data = buf.iter().any(|&b| b != 0).then(|| b64::encode(&buf));
                Response::ImageChunk { crash: self.crash, offset, len: n as u32, data, size }
            }
        })
    }

    /// Another disk (a simulated one, or back to the image as on disk), then
    /// crash point `crash` of its journal. Nothing changes when either fails.
    fn set_sim_state(&mut self, crash: CrashPoint, sim: Option<SimRef>) -> Result<Response, WorkerError> {
        let base = self.base.as_ref().ok_or(WorkerError::NoImage)?;
        let (disk, writes) = match &sim {
            None => (None, None),
            Some(spec) => {
                let run = self.runs.get(base, spec)?;
                if spec.k as usize > run.len() {
                    return Err(WorkerError::Simulation {
                        message: format!(
                            "crash point {} is past the stream's end ({} writes)",
                            spec.k,
                            run.len()
                        ),
                    });
                }
                (Some(run.state_at(spec.k as usize).map_err(sim::sim_error)?), Some(run.len() as u32))
            }
        };
        let on = disk.as_ref().unwrap_or(base);
        let mut journal = JournalState::open(on)?;
        let (state, replay) = match &mut journal {
            None if crash == CrashPoint::Disk => (None, nothing_replayed()),
            None => return Err(no_journal()),
            Some(j) => j.state(on, crash)?,
        };
        let info = summary_info(state.as_ref().unwrap_or(on), &self.fingerprint);
        self.disk = disk;
        self.sim = sim;
        self.sim_writes = writes;
        self.journal = Some(journal);
        self.state = state;
        self.crash = crash;
        self.reset_state_caches();
        Ok(Response::State {
            crash,
            sim: self.sim.clone(),
            sim_writes: writes,
            info,
            replay: Box::new(replay),
        })
    }

    fn close(&mut self) {
        self.base = None;
        self.disk = None;
        self.sim = None;
        self.sim_writes = None;
        self.runs = sim::Runs::default();
        self.compare = None;
        self.walks = learn::Walks::default();
        self.state = None;
        self.crash = CrashPoint::Disk;
        self.journal = None;
        self.fingerprint.clear();
        self.reset_state_caches();
    }
}

fn nothing_replayed() -> super::journal::ReplayInfo {
    super::journal::ReplayInfo {
        transactions: Vec::new(),
        replayed_blocks: 0,
        distinct_blocks: 0,
        revoke_hits: 0,
        revokes: 0,
        bad_checksums: 0,
        next_sequence: 0,
        e2fsck: Vec::new(),
        problems: Vec::new(),
    }
}

fn no_journal() -> WorkerError {
    WorkerError::Core {
        error: ext4scope_core::Error::corrupt(
            "journal",
            ext4scope_core::Location::default(),
            "the file system has no journal",
        ),
    }
}

/// The info report without the group list (which can hold 100k+ groups; the
/// app pages through them with `Request::Groups`), under the fingerprint of
/// the image on disk.
fn summary_info(fs: &Fs, fingerprint: &str) -> Box<ext4scope_core::report::InfoReport> {
    let mut info = fs.info();
    if !fingerprint.is_empty() {
        info.fingerprint = fingerprint.to_string();
    }
    Box::new(info)
}

/// One image read by several attempts to open it.
struct Shared(std::rc::Rc<dyn ReadAt>);

impl ReadAt for Shared {
    fn len(&self) -> u64 {
        self.0.len()
    }
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> Result<(), ext4scope_core::io::IoError> {
        self.0.read_at(offset, buf)
    }
}

/// Open the image; when its primary superblock cannot be used, from the
/// first backup that can, as e2fsck does (the view says so first among its
/// problems). The error is the primary's when no backup opens either.
fn open_or_backup(source: Box<dyn ReadAt>) -> Result<Fs, WorkerError> {
    let shared: std::rc::Rc<dyn ReadAt> = std::rc::Rc::from(source);
    let primary = match Fs::open(Box::new(Shared(shared.clone()))) {
        Ok(fs) => return Ok(fs),
        Err(e) => e,
    };
    match Fs::open_backup(Box::new(Shared(shared))) {
        Ok((mut fs, blk)) => {
            let problem = ext4scope_core::Problem {
                severity: ext4scope_core::Severity::Error,
                structure: String::from("superblock"),
                at: ext4scope_core::Location { byte: Some(1024), ..Default::default() },
                message: format!(
                    "the primary superblock cannot be used ({primary}); everything here is read through the \
                     backup superblock at block {blk} and its group descriptors, as e2fsck does (e2fsck -b {blk})"
                ),
            };
            fs.problems.insert(0, problem);
            Ok(fs)
        }
        Err(_) => Err(primary.into()),
    }
}
