//! The app's state and its reducer. No browser calls here: native tests cover it.

use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use ext4scope_core::report::{GroupReport, InfoReport};
use ext4scope_core::Error as CoreError;
use serde::{Deserialize, Serialize};

use crate::route::{CrashPoint, ImageRef, Link, Route, SimRef};
use crate::worker::journal::{JournalSummary, ReplayInfo};
use crate::worker::protocol::WorkerError;

/// A shared, immutable value compared by identity: reports are big and do
/// not implement `PartialEq`; a new report is a new `Shared`.
#[derive(Debug)]
pub struct Shared<T>(pub Rc<T>);

impl<T> Shared<T> {
    /// Share a value.
    pub fn new(v: T) -> Self {
        Shared(Rc::new(v))
    }
}

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(self.0.clone())
    }
}

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> Eq for Shared<T> {}

impl<T> std::ops::Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// Groups are fetched from the worker in pages of this many.
pub const GROUP_PAGE: u32 = 256;
/// At most this many pages are kept; the ones farthest from the newest go first.
pub const MAX_GROUP_PAGES: usize = 64;

/// One built-in sample (an entry of `samples/index.json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sample {
    /// Short name.
    pub name: String,
    /// File name under `samples/` (gzip-compressed image).
    pub file: String,
    /// What it shows.
    pub description: String,
    /// Uncompressed size in bytes.
    pub size: u64,
    /// Compressed size in bytes.
    pub compressed_size: u64,
}

/// The list of built-in samples.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Samples {
    /// Being fetched.
    #[default]
    Loading,
    /// Fetched.
    Ready(Shared<Vec<Sample>>),
    /// Could not be fetched.
    Failed(String),
}

/// Where an image came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// The user's file (dropped or picked).
    File,
    /// A built-in sample, by name (links to it carry `sample=NAME`).
    Sample(String),
}

impl Source {
    /// The sample's name, for a built-in sample.
    pub fn sample(&self) -> Option<&str> {
        match self {
            Source::Sample(name) => Some(name),
            Source::File => None,
        }
    }
}

/// What an open is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Downloading a sample from this site.
    Fetching,
    /// Decompressing a sample: bytes so far of the expected total.
    Decompressing {
        /// Bytes decompressed so far.
        done: u64,
        /// Expected size, if known.
        total: Option<u64>,
    },
    /// The worker is reading the superblock and group descriptors.
    Opening,
}

impl Stage {
    /// Words for the progress indicator.
    pub fn label(&self) -> &'static str {
        match self {
            Stage::Fetching => "Fetching the sample",
            Stage::Decompressing { .. } => "Decompressing",
            Stage::Opening => "Reading the superblock and group descriptors",
        }
    }

    /// Fraction done, when known.
    pub fn fraction(&self) -> Option<f64> {
        match *self {
            Stage::Decompressing { done, total: Some(t) } if t > 0 => Some((done as f64 / t as f64).min(1.0)),
            _ => None,
        }
    }
}

/// An open in progress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loading {
    /// Pairs async results with this open; stale results are dropped.
    pub id: u32,
    /// File name.
    pub name: String,
    /// Where it came from.
    pub source: Source,
    /// What it is doing.
    pub stage: Stage,
    /// Fingerprint of the image open before this one: links made for it are
    /// not "for another image" when this one replaces it.
    pub replaces: Option<String>,
}

/// Why an open failed, in words for the error view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// File name.
    pub name: String,
    /// One line: what happened.
    pub title: String,
    /// The core's (or the browser's) message, whole.
    pub message: String,
    /// Where, when known: ("structure", "superblock"), ("byte offset", "1080"), ...
    pub details: Vec<(String, String)>,
    /// What the user can do.
    pub hint: String,
}

impl Failure {
    /// From the worker's error.
    pub fn from_worker(name: &str, error: &WorkerError) -> Failure {
        let mut details = Vec::new();
        let (title, hint) = match error {
            WorkerError::Core { error } => match error {
                CoreError::Corrupt { structure, at, .. } => {
                    details.push(("structure".to_string(), structure.clone()));
                    if let Some(b) = at.block {
                        details.push(("block".to_string(), b.to_string()));
                    }
                    if let Some(o) = at.byte {
                        details.push(("byte offset".to_string(), format!("{o} (0x{o:X})")));
                    }
                    if let Some(g) = at.group {
                        details.push(("group".to_string(), g.to_string()));
                    }
                    (
                        format!("{name} cannot be read as an ext2/3/4 file system"),
                        "Check that this is a raw image of one ext2, ext3 or ext4 file system \
                         (not a whole disk, not compressed, not a qcow2/VMDK container)."
                            .to_string(),
                    )
                }
                CoreError::Io(e) => {
                    details.push(("byte offset".to_string(), format!("{} (0x{:X})", e.offset, e.offset)));
                    details.push(("length".to_string(), e.len.to_string()));
                    (
                        format!("{name} could not be read"),
                        "The browser could not read part of the file. If it is on removable or network \
                         storage, copy it to a local disk and try again."
                            .to_string(),
                    )
                }
                CoreError::Incompatible { .. } => (
                    format!("{name} uses something ext4scope cannot read yet"),
                    "The image is valid but uses a format this inspector does not decode.".to_string(),
                ),
                CoreError::Internal { .. } => (
                    format!("ext4scope failed on {name}"),
                    "This is a bug in ext4scope. The message below says where.".to_string(),
                ),
            },
            other => (
                format!("ext4scope failed on {name}"),
                match other {
                    WorkerError::Crashed { .. } => {
                        "The worker that reads the image stopped. Reload the page and try again."
                    }
                    _ => "This is a bug in ext4scope. Reload the page and try again.",
                }
                .to_string(),
            ),
        };
        Failure { name: name.to_string(), title, message: error.to_string(), details, hint }
    }

    /// From a browser failure before the worker saw the image (fetch, decompress).
    pub fn from_browser(name: &str, what: &str, message: &str) -> Failure {
        Failure {
            name: name.to_string(),
            title: format!("Could not {what} {name}"),
            message: message.to_string(),
            details: Vec::new(),
            hint: "The sample is served by this site; reload the page and try again.".to_string(),
        }
    }
}

/// Group descriptors fetched so far, by page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GroupPages {
    /// Page number -> groups `page*GROUP_PAGE ..`.
    pub pages: BTreeMap<u32, Shared<Vec<GroupReport>>>,
    /// Pages asked for and not answered yet.
    pub pending: BTreeSet<u32>,
    /// Pages that failed, with why.
    pub failed: BTreeMap<u32, String>,
}

impl GroupPages {
    /// The group, if its page is here.
    pub fn get(&self, g: u32) -> Option<&GroupReport> {
        let page = self.pages.get(&(g / GROUP_PAGE))?;
        page.get((g % GROUP_PAGE) as usize)
    }

    /// True when the page needs asking for.
    pub fn wants(&self, page: u32) -> bool {
        !self.pages.contains_key(&page) && !self.pending.contains(&page) && !self.failed.contains_key(&page)
    }
}

/// An open image.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenImage {
    /// Which open this is (for stale group pages).
    pub id: u32,
    /// File name.
    pub name: String,
    /// Where it came from.
    pub source: Source,
    /// Superblock report (its `groups` list is empty; see `groups`).
    pub info: Shared<InfoReport>,
    /// Groups fetched so far.
    pub groups: GroupPages,
    /// The fingerprint the URL asked for, when it differs from this image's.
    pub link_was_for: Option<String>,
    /// The state of the image the worker answers from (`info` is its
    /// superblock; its fingerprint stays the image's on disk).
    pub crash: CrashPoint,
    /// Bumped whenever `crash` changes: views are made anew for each state.
    pub generation: u32,
    /// The simulated disk `crash` applies to (`None`: the image as on disk).
    pub sim: Option<SimRef>,
    /// Writes in that simulation's stream.
    pub sim_writes: Option<u32>,
    /// A crash point asked of the worker and not answered yet.
    pub crash_pending: Option<CrashPoint>,
    /// The simulated disk asked with it.
    pub sim_pending: Option<SimRef>,
    /// The last crash point that could not be set, and why (not asked again).
    pub crash_error: Option<(CrashPoint, String)>,
    /// The simulated disk of that crash point.
    pub sim_error: Option<SimRef>,
    /// What the replay to `crash` did (`None` as on disk).
    pub replay: Option<Shared<ReplayInfo>>,
    /// The journal of the image on disk.
    pub journal: JournalInfo,
}

impl OpenImage {
    /// What links made in views of this image carry: its fingerprint and state.
    pub fn at(&self) -> ImageRef {
        ImageRef { fp: Some(self.info.fingerprint.clone()), crash: self.crash, sim: self.sim.clone() }
    }

    /// The state in words for the header: "simulated: after 17 of 62 writes, after recovery (all)".
    pub fn state_words(&self) -> String {
        match (&self.sim, self.crash) {
            (None, c) => c.words(),
            (Some(s), c) => {
                let n = self.sim_writes.map(|n| format!(" of {n}")).unwrap_or_default();
                let w = if s.k == 1 && self.sim_writes.is_none() { "write" } else { "writes" };
                match c {
                    CrashPoint::Disk => format!("simulated: after {}{n} {w}", s.k),
                    c => format!("simulated: after {}{n} {w}, {}", s.k, c.words()),
                }
            }
        }
    }
}

/// The journal, as far as the app knows it.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum JournalInfo {
    /// Not asked for yet.
    #[default]
    Unknown,
    /// Asked for.
    Loading,
    /// The file system has no journal.
    None,
    /// Its summary.
    Ready(Shared<JournalSummary>),
    /// Could not be read.
    Failed(String),
}

impl JournalInfo {
    /// The summary, when there is one.
    pub fn summary(&self) -> Option<&JournalSummary> {
        match self {
            JournalInfo::Ready(s) => Some(s),
            _ => None,
        }
    }
}

/// The image, if any.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum ImageState {
    /// Nothing chosen yet.
    #[default]
    Empty,
    /// Being opened.
    Loading(Loading),
    /// Open.
    Open(Box<OpenImage>),
    /// The last open failed.
    Failed(Failure),
}

/// How the URL should follow a change of `link`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UrlUpdate {
    /// The URL already says it (the change came from the URL).
    #[default]
    None,
    /// A new history entry (back returns to the previous view).
    Push,
    /// Rewrite the current entry (same view, more precise link).
    Replace,
}

/// Everything the views draw.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AppState {
    /// The current link (route + fingerprint), mirrored in `location.hash`.
    pub link: Link,
    /// How the URL should follow `link`.
    pub url_update: UrlUpdate,
    /// The image.
    pub image: ImageState,
    /// Built-in samples.
    pub samples: Samples,
}

/// Everything that changes the state.
#[derive(Debug, Clone)]
pub enum Action {
    /// The URL changed (hashchange, back/forward, a link was followed).
    UrlChanged(Link),
    /// The view moved within itself (a selection): the link becomes
    /// `route` and rewrites the current history entry instead of adding one.
    Refine(Route),
    /// Start opening an image.
    Begin {
        /// A fresh id (see [`Loading::id`]).
        id: u32,
        /// File name.
        name: String,
        /// Where it comes from.
        source: Source,
        /// First stage.
        stage: Stage,
    },
    /// An open moved on.
    Progress {
        /// Which open.
        id: u32,
        /// Now doing.
        stage: Stage,
    },
    /// The worker opened it.
    Opened {
        /// Which open.
        id: u32,
        /// The superblock report.
        info: Box<InfoReport>,
    },
    /// The open failed.
    Failed {
        /// Which open.
        id: u32,
        /// Why.
        failure: Failure,
    },
    /// Group pages were asked for.
    GroupsRequested {
        /// Which open.
        id: u32,
        /// Pages.
        pages: Vec<u32>,
    },
    /// A group page arrived.
    GroupsLoaded {
        /// Which open.
        id: u32,
        /// Page number.
        page: u32,
        /// Its groups.
        groups: Vec<GroupReport>,
    },
    /// A group page failed.
    GroupsFailed {
        /// Which open.
        id: u32,
        /// Page number.
        page: u32,
        /// Why.
        message: String,
    },
    /// The sample list arrived (or did not).
    SamplesLoaded(Result<Vec<Sample>, String>),
    /// "Go on with this image": drop the note that the link was for another.
    DismissFingerprintNotice,
    /// The journal summary was asked for.
    JournalRequested {
        /// Which open.
        id: u32,
    },
    /// The journal summary arrived (`Ok(None)`: no journal).
    JournalLoaded {
        /// Which open.
        id: u32,
        /// The summary, or why not.
        result: Result<Option<Box<JournalSummary>>, String>,
    },
    /// The worker was asked to show crash point `crash`.
    CrashRequested {
        /// Which open.
        id: u32,
        /// The crash point.
        crash: CrashPoint,
        /// Of this simulated disk.
        sim: Option<SimRef>,
    },
    /// The worker shows crash point `crash` now.
    CrashSet {
        /// Which open.
        id: u32,
        /// The crash point.
        crash: CrashPoint,
        /// Of this simulated disk.
        sim: Option<SimRef>,
        /// Writes in that simulation's stream.
        sim_writes: Option<u32>,
        /// The superblock report of that state.
        info: Box<InfoReport>,
        /// What the replay did.
        replay: Box<ReplayInfo>,
    },
    /// Crash point `crash` could not be set.
    CrashFailed {
        /// Which open.
        id: u32,
        /// The crash point.
        crash: CrashPoint,
        /// Of this simulated disk.
        sim: Option<SimRef>,
        /// Why.
        message: String,
    },
}

impl AppState {
    /// The state for a page load at `hash`.
    pub fn at(hash: &str) -> Self {
        AppState { link: Link::parse(hash), ..Default::default() }
    }

    /// The open image, if any.
    pub fn open(&self) -> Option<&OpenImage> {
        match &self.image {
            ImageState::Open(o) => Some(o),
            _ => None,
        }
    }

    /// Apply one action.
    pub fn apply(&mut self, action: Action) {
        match action {
            Action::UrlChanged(link) => {
                self.link = link;
                self.url_update = UrlUpdate::None;
                self.note_fingerprint();
                // A view of an open sample keeps naming the sample, so the
                // address reopens it anywhere (links inside the app carry
                // only the fingerprint).
                if let ImageState::Open(o) = &self.image {
                    let same_image = self.link.fp.as_ref().is_none_or(|fp| *fp == o.info.fingerprint);
                    if let (Some(name), None, true) = (o.source.sample(), &self.link.sample, same_image) {
                        if self.link.route.needs_image() {
                            self.link.sample = Some(name.to_string());
                            self.url_update = UrlUpdate::Replace;
                        }
                    }
                }
            }
            Action::Refine(route) => {
                if self.link.route != route {
                    self.link.route = route;
                    self.url_update = UrlUpdate::Replace;
                }
            }
            Action::Begin { id, name, source, stage } => {
                let replaces = match &self.image {
                    ImageState::Open(o) => Some(o.info.fingerprint.clone()),
                    ImageState::Loading(l) => l.replaces.clone(),
                    _ => None,
                };
                self.image = ImageState::Loading(Loading { id, name, source, stage, replaces });
            }
            Action::Progress { id, stage } => {
                if let ImageState::Loading(l) = &mut self.image {
                    if l.id == id {
                        l.stage = stage;
                    }
                }
            }
            Action::Opened { id, info } => {
                let ImageState::Loading(l) = &self.image else { return };
                if l.id != id {
                    return;
                }
                let fp = info.fingerprint.clone();
                let replaced = l.replaces.clone();
                let sample = l.source.sample().map(str::to_string);
                self.image = ImageState::Open(Box::new(OpenImage {
                    id,
                    name: l.name.clone(),
                    source: l.source.clone(),
                    info: Shared(Rc::from(info)),
                    groups: GroupPages::default(),
                    link_was_for: None,
                    crash: CrashPoint::Disk,
                    sim: None,
                    sim_writes: None,
                    generation: 0,
                    crash_pending: None,
                    sim_pending: None,
                    crash_error: None,
                    sim_error: None,
                    replay: None,
                    journal: JournalInfo::Unknown,
                }));
                if self.link.route == Route::Home || matches!(self.link.route, Route::NotFound(_)) {
                    // From the landing page to the first view of the image.
                    self.link = Link::new(Route::Superblock, Some(fp)).with_sample(sample);
                    self.url_update = UrlUpdate::Push;
                } else {
                    // A reloaded or shared link: stay on its view, note a
                    // different image, and make the link name this one.
                    if self.link.fp.is_some() && self.link.fp != replaced {
                        self.note_fingerprint();
                    }
                    self.link.fp = Some(fp);
                    self.link.sample = sample;
                    self.url_update = UrlUpdate::Replace;
                }
            }
            Action::Failed { id, failure } => {
                if matches!(&self.image, ImageState::Loading(l) if l.id == id) {
                    self.image = ImageState::Failed(failure);
                }
            }
            Action::GroupsRequested { id, pages } => {
                if let Some(o) = self.open_mut(id) {
                    o.groups.pending.extend(pages);
                }
            }
            Action::GroupsLoaded { id, page, groups } => {
                if let Some(o) = self.open_mut(id) {
                    let g = &mut o.groups;
                    g.pending.remove(&page);
                    g.pages.insert(page, Shared::new(groups));
                    while g.pages.len() > MAX_GROUP_PAGES {
                        // Drop the page farthest from the one that just came.
                        let far = g.pages.keys().copied().max_by_key(|p| p.abs_diff(page));
                        match far {
                            Some(p) => g.pages.remove(&p),
                            None => break,
                        };
                    }
                }
            }
            Action::GroupsFailed { id, page, message } => {
                if let Some(o) = self.open_mut(id) {
                    o.groups.pending.remove(&page);
                    o.groups.failed.insert(page, message);
                }
            }
            Action::SamplesLoaded(r) => {
                self.samples = match r {
                    Ok(v) => Samples::Ready(Shared::new(v)),
                    Err(e) => Samples::Failed(e),
                };
            }
            Action::DismissFingerprintNotice => {
                if let ImageState::Open(o) = &mut self.image {
                    o.link_was_for = None;
                }
            }
            Action::JournalRequested { id } => {
                if let Some(o) = self.open_mut(id) {
                    if !matches!(o.journal, JournalInfo::Ready(_)) {
                        o.journal = JournalInfo::Loading;
                    }
                }
            }
            Action::JournalLoaded { id, result } => {
                if let Some(o) = self.open_mut(id) {
                    o.journal = match result {
                        Ok(Some(s)) => JournalInfo::Ready(Shared(Rc::from(s))),
                        Ok(None) => JournalInfo::None,
                        Err(e) => JournalInfo::Failed(e),
                    };
                }
            }
            Action::CrashRequested { id, crash, sim } => {
                if let Some(o) = self.open_mut(id) {
                    o.crash_pending = Some(crash);
                    o.sim_pending = sim;
                }
            }
            Action::CrashSet { id, crash, sim, sim_writes, info, replay } => {
                if let Some(o) = self.open_mut(id) {
                    o.crash_pending = None;
                    o.sim_pending = None;
                    o.crash_error = None;
                    o.sim_error = None;
                    if o.crash != crash || o.sim != sim {
                        o.generation = o.generation.wrapping_add(1);
                    }
                    if o.sim != sim {
                        // Another disk: another journal.
                        o.journal = JournalInfo::Unknown;
                    }
                    o.crash = crash;
                    o.sim = sim;
                    o.sim_writes = sim_writes;
                    o.info = Shared(Rc::from(info));
                    o.replay = (crash != CrashPoint::Disk).then(|| Shared(Rc::from(replay)));
                    // Descriptors differ between states.
                    o.groups = GroupPages::default();
                }
            }
            Action::CrashFailed { id, crash, sim, message } => {
                if let Some(o) = self.open_mut(id) {
                    o.crash_pending = None;
                    o.sim_pending = None;
                    o.crash_error = Some((crash, message));
                    o.sim_error = sim;
                }
            }
        }
    }

    /// The crash point the link asks for, when the worker shows another and
    /// is not already switching (and it has not failed before).
    pub fn crash_to_set(&self) -> Option<CrashPoint> {
        self.state_to_set().map(|(c, _)| c)
    }

    /// The crash point and simulated disk the link asks for, when the worker
    /// shows another and is not already switching (and it has not failed before).
    pub fn state_to_set(&self) -> Option<(CrashPoint, Option<SimRef>)> {
        let o = self.open()?;
        if !self.link.route.needs_image() || o.crash_pending.is_some() {
            return None;
        }
        let (want, sim) = (self.link.crash, &self.link.sim);
        if (want == o.crash && *sim == o.sim)
            || o.crash_error.as_ref().is_some_and(|(c, _)| *c == want && o.sim_error == *sim)
        {
            return None;
        }
        Some((want, sim.clone()))
    }

    /// The link's state failed to be set (said above every view).
    pub fn link_state_failed(&self) -> Option<&str> {
        let o = self.open()?;
        match &o.crash_error {
            Some((c, e)) if *c == self.link.crash && o.sim_error == self.link.sim => Some(e),
            _ => None,
        }
    }

    /// The built-in sample the link asks for, when it is not already open or
    /// opening (a followed `sample=` link opens it with no upload). `Err`
    /// says the name is not one of the samples.
    pub fn sample_to_open(&self) -> Option<Result<Sample, String>> {
        let name = self.link.sample.as_deref()?;
        if !self.link.route.needs_image() {
            return None;
        }
        let current = match &self.image {
            // One open at a time: the link is looked at again when it ends.
            ImageState::Loading(_) => return None,
            ImageState::Open(o) => o.source.sample(),
            // A sample that failed is not fetched again in a loop.
            ImageState::Failed(f) => f.name.strip_suffix(".img"),
            ImageState::Empty => None,
        };
        if current == Some(name) {
            return None;
        }
        let Samples::Ready(list) = &self.samples else { return None };
        Some(list.iter().find(|s| s.name == name).cloned().ok_or_else(|| name.to_string()))
    }

    fn open_mut(&mut self, id: u32) -> Option<&mut OpenImage> {
        match &mut self.image {
            ImageState::Open(o) if o.id == id => Some(o),
            _ => None,
        }
    }

    /// Remember whether the link names another image than the open one.
    fn note_fingerprint(&mut self) {
        let link_fp = self.link.fp.clone();
        if let ImageState::Open(o) = &mut self.image {
            o.link_was_for = link_fp.filter(|fp| *fp != o.info.fingerprint);
        }
    }
}

#[cfg(target_arch = "wasm32")]
impl yew::Reducible for AppState {
    type Action = Action;
    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        next.apply(action);
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::worker::protocol::{Request, Response};
    use crate::worker::session::Session;
    use ext4scope_core::report::InfoReport;

    /// A session with the smallest committed sample open.
    fn session() -> Session {
        let gz = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../static/samples/ext4-small.img.gz"))
            .expect("static/samples/ext4-small.img.gz (scripts/make-samples.sh)");
        let mut img = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&gz[..]), &mut img).expect("gunzip");
        let mut s = Session::new();
        s.handle(Request::Open { name: "x".into() }, Some(Box::new(img)));
        assert!(s.is_open());
        s
    }

    /// A real report from it.
    fn info() -> Box<InfoReport> {
        match session().handle(Request::Info, None) {
            Response::Info { info } => info,
            other => panic!("info failed: {other:?}"),
        }
    }

    fn begin(s: &mut AppState, id: u32) {
        s.apply(Action::Begin { id, name: format!("img{id}"), source: Source::File, stage: Stage::Opening });
    }

    #[test]
    fn opening_from_home_pushes_the_superblock_view() {
        let mut s = AppState::at("#/");
        begin(&mut s, 1);
        assert!(matches!(s.image, ImageState::Loading(ref l) if l.name == "img1"));
        let info = info();
        let fp = info.fingerprint.clone();
        s.apply(Action::Opened { id: 1, info });
        assert_eq!(s.link, Link::new(Route::Superblock, Some(fp)));
        assert_eq!(s.url_update, UrlUpdate::Push);
        let o = s.open().expect("open");
        assert_eq!(o.name, "img1");
        assert_eq!(o.link_was_for, None);
    }

    #[test]
    fn reloaded_link_keeps_its_view_and_notes_another_image() {
        let mut s = AppState::at("#/groups?g=2&fp=0000000000000000");
        assert_eq!(s.link.route, Route::Groups { focus: Some(2) });
        begin(&mut s, 7);
        let info = info();
        let fp = info.fingerprint.clone();
        s.apply(Action::Opened { id: 7, info });
        assert_eq!(s.link, Link::new(Route::Groups { focus: Some(2) }, Some(fp.clone())));
        assert_eq!(s.url_update, UrlUpdate::Replace);
        assert_eq!(s.open().and_then(|o| o.link_was_for.clone()).as_deref(), Some("0000000000000000"));
        // Following a link of this image clears the note.
        s.apply(Action::UrlChanged(Link::new(Route::Superblock, Some(fp))));
        assert_eq!(s.open().and_then(|o| o.link_was_for.clone()), None);
        assert_eq!(s.url_update, UrlUpdate::None);
    }

    #[test]
    fn same_image_link_is_not_noted() {
        let info = info();
        let mut s = AppState::at(&format!("#/super?fp={}", info.fingerprint));
        begin(&mut s, 1);
        s.apply(Action::Opened { id: 1, info });
        assert_eq!(s.open().and_then(|o| o.link_was_for.clone()), None);
    }

    #[test]
    fn replacing_an_image_on_its_own_link_is_not_noted() {
        let mut s = AppState::at("#/");
        begin(&mut s, 1);
        s.apply(Action::Opened { id: 1, info: info() });
        s.apply(Action::UrlChanged(s.link.with_route(Route::Groups { focus: None })));
        // A second image (here: the same bytes under a changed fingerprint).
        begin(&mut s, 2);
        let mut other = info();
        other.fingerprint = "1111111111111111".into();
        s.apply(Action::Opened { id: 2, info: other });
        assert_eq!(s.link.route, Route::Groups { focus: None });
        assert_eq!(s.link.fp.as_deref(), Some("1111111111111111"));
        assert_eq!(s.open().and_then(|o| o.link_was_for.clone()), None);
    }

    #[test]
    fn stale_results_are_dropped() {
        let mut s = AppState::at("#/");
        begin(&mut s, 1);
        begin(&mut s, 2);
        s.apply(Action::Progress { id: 1, stage: Stage::Fetching });
        assert!(matches!(s.image, ImageState::Loading(ref l) if l.id == 2 && l.stage == Stage::Opening));
        s.apply(Action::Opened { id: 1, info: info() });
        assert!(matches!(s.image, ImageState::Loading(_)));
        let failure = Failure::from_worker("img1", &WorkerError::NoImage);
        s.apply(Action::Failed { id: 1, failure });
        assert!(matches!(s.image, ImageState::Loading(_)));
        s.apply(Action::Opened { id: 2, info: info() });
        assert!(s.open().is_some());
        // Group pages of another open are ignored too.
        s.apply(Action::GroupsLoaded { id: 1, page: 0, groups: Vec::new() });
        assert!(s.open().map(|o| o.groups.pages.is_empty()).unwrap_or(false));
    }

    #[test]
    fn failure_replaces_loading_and_says_where() {
        let mut s = AppState::at("#/");
        begin(&mut s, 3);
        let error = WorkerError::Core {
            error: ext4scope_core::Error::corrupt(
                "superblock",
                ext4scope_core::Location::byte(1080),
                "not an ext2/3/4 file system: expected the magic number 0xEF53",
            ),
        };
        s.apply(Action::Failed { id: 3, failure: Failure::from_worker("x.png", &error) });
        let ImageState::Failed(f) = &s.image else { panic!("not failed: {:?}", s.image) };
        assert_eq!(f.title, "x.png cannot be read as an ext2/3/4 file system");
        assert!(f.message.contains("0xEF53"), "{}", f.message);
        assert!(f.details.contains(&("byte offset".to_string(), "1080 (0x438)".to_string())));
        assert_eq!(s.link.route, Route::Home);
    }

    #[test]
    fn group_pages_track_pending_and_evict_far_pages() {
        let mut s = AppState::at("#/");
        begin(&mut s, 1);
        s.apply(Action::Opened { id: 1, info: info() });
        s.apply(Action::GroupsRequested { id: 1, pages: vec![0, 1] });
        let g = &s.open().expect("open").groups;
        assert!(!g.wants(0) && !g.wants(1) && g.wants(2));
        s.apply(Action::GroupsFailed { id: 1, page: 1, message: "boom".into() });
        let g = &s.open().expect("open").groups;
        assert!(!g.wants(1), "failed pages are not retried in a loop");
        assert_eq!(g.failed.get(&1).map(String::as_str), Some("boom"));

        let groups = match session().handle(Request::Groups { start: 0, count: 4 }, None) {
            Response::Groups { groups, .. } => groups,
            other => panic!("{other:?}"),
        };
        s.apply(Action::GroupsLoaded { id: 1, page: 0, groups: groups.clone() });
        let o = s.open().expect("open");
        assert_eq!(o.groups.get(3).map(|g| g.group), Some(3));
        assert!(o.groups.get(4).is_none());
        assert!(o.groups.pending.is_empty());

        for page in 1..=(MAX_GROUP_PAGES as u32 + 10) {
            s.apply(Action::GroupsLoaded { id: 1, page, groups: groups.clone() });
        }
        let pages = &s.open().expect("open").groups.pages;
        assert_eq!(pages.len(), MAX_GROUP_PAGES);
        // The newest page's neighbourhood stays; page 0 (farthest) went first.
        assert!(!pages.contains_key(&0));
        assert!(pages.contains_key(&(MAX_GROUP_PAGES as u32 + 10)));
    }

    #[test]
    fn samples_list() {
        let mut s = AppState::default();
        assert_eq!(s.samples, Samples::Loading);
        s.apply(Action::SamplesLoaded(Err("HTTP 404".into())));
        assert_eq!(s.samples, Samples::Failed("HTTP 404".into()));
        let list: Vec<Sample> = serde_json::from_str(
            &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../static/samples/index.json"))
                .expect("index.json"),
        )
        .expect("index.json parses as the app reads it");
        assert!(list.len() >= 2);
        for sample in &list {
            let path = format!("{}/../static/samples/{}", env!("CARGO_MANIFEST_DIR"), sample.file);
            let len = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
            assert_eq!(len, sample.compressed_size, "{path}");
        }
        s.apply(Action::SamplesLoaded(Ok(list)));
        assert!(matches!(s.samples, Samples::Ready(ref v) if v.len() >= 2));
    }

    fn sample_list() -> Vec<Sample> {
        serde_json::from_str(
            &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../static/samples/index.json"))
                .expect("index.json"),
        )
        .expect("index.json parses")
    }

    #[test]
    fn sample_links_open_the_sample_once() {
        let mut s = AppState::at("#/inode/12?fp=0123456789abcdef&sample=ext4-small");
        // Nothing to open until the list says what the sample is.
        assert_eq!(s.sample_to_open(), None);
        s.apply(Action::SamplesLoaded(Ok(sample_list())));
        let want = s.sample_to_open().expect("a sample to open").expect("a known sample");
        assert_eq!(want.name, "ext4-small");
        s.apply(Action::Begin {
            id: 1,
            name: "ext4-small.img".into(),
            source: Source::Sample(want.name.clone()),
            stage: Stage::Fetching,
        });
        assert_eq!(s.sample_to_open(), None, "not twice while it opens");
        let info = info();
        let fp = info.fingerprint.clone();
        s.apply(Action::Opened { id: 1, info });
        assert_eq!(s.sample_to_open(), None, "not again once open");
        assert_eq!(s.link.route, Route::Inode(12));
        assert_eq!(s.link.sample.as_deref(), Some("ext4-small"));
        assert_eq!(s.link.to_hash(), format!("#/inode/12?fp={fp}&sample=ext4-small"));
        // The link was made for the same sample but another fingerprint: noted.
        assert_eq!(s.open().and_then(|o| o.link_was_for.clone()).as_deref(), Some("0123456789abcdef"));
        s.apply(Action::DismissFingerprintNotice);
        assert_eq!(s.open().and_then(|o| o.link_was_for.clone()), None);

        // Links inside the app carry the fingerprint only; the URL keeps the sample.
        s.apply(Action::UrlChanged(Link::new(Route::Map, Some(fp.clone()))));
        assert_eq!(s.link.sample.as_deref(), Some("ext4-small"));
        assert_eq!(s.url_update, UrlUpdate::Replace);
        // Another sample asked for by a link: opened in place of this one.
        s.apply(Action::UrlChanged(Link::parse("#/super?sample=ext3-indirect")));
        assert_eq!(s.sample_to_open().and_then(Result::ok).map(|x| x.name).as_deref(), Some("ext3-indirect"));
        // An unknown name is an error the view can show, not a fetch.
        s.apply(Action::UrlChanged(Link::parse("#/super?sample=no-such-sample")));
        assert_eq!(s.sample_to_open(), Some(Err("no-such-sample".to_string())));
        // The landing page never opens anything by itself.
        s.apply(Action::UrlChanged(Link::parse("#/?sample=ext3-indirect")));
        assert_eq!(s.sample_to_open(), None);
    }

    #[test]
    fn a_users_file_drops_the_sample_from_the_link() {
        let mut s = AppState::at("#/groups?sample=ext4-small");
        s.apply(Action::SamplesLoaded(Ok(sample_list())));
        s.apply(Action::Begin {
            id: 1,
            name: "ext4-small.img".into(),
            source: Source::Sample("ext4-small".into()),
            stage: Stage::Fetching,
        });
        s.apply(Action::Opened { id: 1, info: info() });
        begin(&mut s, 2);
        let mut other = info();
        other.fingerprint = "1111111111111111".into();
        s.apply(Action::Opened { id: 2, info: other });
        assert_eq!(s.link.to_hash(), "#/groups?fp=1111111111111111");
        assert_eq!(s.sample_to_open(), None);
        // A failed sample is not fetched again by the same link.
        let mut f = AppState::at("#/super?sample=ext4-small");
        f.apply(Action::SamplesLoaded(Ok(sample_list())));
        f.apply(Action::Begin {
            id: 1,
            name: "ext4-small.img".into(),
            source: Source::Sample("ext4-small".into()),
            stage: Stage::Fetching,
        });
        let failure = Failure::from_browser("ext4-small.img", "download", "HTTP 404");
        f.apply(Action::Failed { id: 1, failure });
        assert_eq!(f.sample_to_open(), None);
    }

    #[test]
    fn stage_progress() {
        assert_eq!(Stage::Decompressing { done: 1, total: Some(4) }.fraction(), Some(0.25));
        assert_eq!(Stage::Decompressing { done: 9, total: Some(4) }.fraction(), Some(1.0));
        assert_eq!(Stage::Decompressing { done: 1, total: Some(0) }.fraction(), None);
        assert_eq!(Stage::Opening.fraction(), None);
    }

    #[test]
    fn crash_points_follow_the_link_through_the_worker() {
        let gz = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/fixtures/crash/kernel-journal.img.gz"
        ))
        .expect("crash fixture");
        let mut img = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&gz[..]), &mut img).expect("gunzip");
        let mut w = Session::new();
        let Response::Info { info } = w.handle(Request::Open { name: "k.img".into() }, Some(Box::new(img)))
        else {
            panic!("open")
        };
        let fp = info.fingerprint.clone();
        // A shared link into the state after transaction 2, reloaded.
        let mut s = AppState::at(&format!("#/inode/12?fp={fp}&crash=2"));
        assert_eq!(s.link.crash, CrashPoint::After(2));
        assert_eq!(s.crash_to_set(), None, "nothing open yet");
        begin(&mut s, 1);
        s.apply(Action::Opened { id: 1, info });
        assert_eq!(s.open().map(|o| o.crash), Some(CrashPoint::Disk));
        assert_eq!(s.crash_to_set(), Some(CrashPoint::After(2)));
        s.apply(Action::CrashRequested { id: 1, crash: CrashPoint::After(2), sim: None });
        assert_eq!(s.crash_to_set(), None, "not twice while the worker replays");
        let Response::State { crash, info, replay, .. } =
            w.handle(Request::SetState { crash: CrashPoint::After(2), sim: None }, None)
        else {
            panic!("state")
        };
        s.apply(Action::GroupsLoaded { id: 1, page: 0, groups: Vec::new() });
        s.apply(Action::CrashSet { id: 1, crash, sim: None, sim_writes: None, info, replay });
        let o = s.open().expect("open");
        assert_eq!((o.crash, o.generation, o.crash_pending), (CrashPoint::After(2), 1, None));
        assert!(o.groups.pages.is_empty(), "another state's descriptors are dropped");
        assert_eq!(o.info.fingerprint, fp, "still the image on disk");
        assert_eq!(o.link_was_for, None);
        assert_eq!(o.at(), ImageRef { fp: Some(fp.clone()), crash: CrashPoint::After(2), sim: None });
        assert_eq!(s.crash_to_set(), None);
        assert_eq!(s.link.to_hash(), format!("#/inode/12?fp={fp}&crash=2"));
        // Links made in the views carry the state.
        assert_eq!(Link::new(Route::Map, o.at()).to_hash(), format!("#/map?fp={fp}&crash=2"));
        // Another crash point chosen; one the worker refuses is not asked again.
        s.apply(Action::UrlChanged(Link::parse(&format!("#/files/?fp={fp}&crash=9"))));
        assert_eq!(s.crash_to_set(), Some(CrashPoint::After(9)));
        s.apply(Action::CrashRequested { id: 1, crash: CrashPoint::After(9), sim: None });
        let Response::Failed { error } =
            w.handle(Request::SetState { crash: CrashPoint::After(9), sim: None }, None)
        else {
            panic!("9 is no crash point")
        };
        s.apply(Action::CrashFailed {
            id: 1,
            crash: CrashPoint::After(9),
            sim: None,
            message: error.to_string(),
        });
        assert_eq!(s.crash_to_set(), None);
        assert_eq!(s.open().map(|o| o.crash), Some(CrashPoint::After(2)));
        // Back (the URL without crash=): the image as on disk again.
        s.apply(Action::UrlChanged(Link::parse(&format!("#/files/?fp={fp}"))));
        assert_eq!(s.crash_to_set(), Some(CrashPoint::Disk));
        // The landing page switches nothing.
        s.apply(Action::UrlChanged(Link::parse("#/")));
        assert_eq!(s.crash_to_set(), None);
        // Stale answers of another open are ignored.
        s.apply(Action::JournalLoaded { id: 5, result: Ok(None) });
        assert_eq!(s.open().map(|o| o.journal.clone()), Some(JournalInfo::Unknown));
    }

    #[test]
    fn refine_rewrites_the_current_entry() {
        let mut s = AppState::at("#/files/a?fp=0123456789abcdef");
        s.apply(Action::Refine(Route::Files("a/b".into())));
        assert_eq!(s.link.route, Route::Files("a/b".into()));
        assert_eq!(s.link.fp.as_deref(), Some("0123456789abcdef"));
        assert_eq!(s.url_update, UrlUpdate::Replace);
        // The same route again changes nothing.
        s.url_update = UrlUpdate::None;
        s.apply(Action::Refine(Route::Files("a/b".into())));
        assert_eq!(s.url_update, UrlUpdate::None);
    }
}
