//! What the views can ask for: open a file or a sample, fetch group pages.
//! Each turns browser and worker calls into [`Action`]s on the app state.

use std::cell::Cell;
use std::rc::Rc;

use web_sys::Blob;
use yew::platform::spawn_local;
use yew::UseReducerDispatcher;

use crate::bridge::Bridge;
use crate::route::{CrashPoint, SimRef};
use crate::samples::{self, FetchError};
use crate::state::{Action, AppState, Failure, Sample, Source, Stage, GROUP_PAGE};
use crate::worker::protocol::{Request, Response, WorkerError};

/// Shared by context with every view.
#[derive(Clone)]
pub struct Services {
    bridge: Result<Rc<Bridge>, String>,
    dispatch: UseReducerDispatcher<AppState>,
    next_open: Rc<Cell<u32>>,
}

impl PartialEq for Services {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.next_open, &other.next_open)
    }
}

impl Services {
    /// Start the worker.
    pub fn new(dispatch: UseReducerDispatcher<AppState>) -> Self {
        Services { bridge: Bridge::start().map(Rc::new), dispatch, next_open: Rc::new(Cell::new(1)) }
    }

    fn begin(&self, name: &str, source: Source, stage: Stage) -> u32 {
        let id = self.next_open.get();
        self.next_open.set(id.wrapping_add(1));
        self.dispatch.dispatch(Action::Begin { id, name: name.to_string(), source, stage });
        id
    }

    /// Open a user's file.
    pub fn open_file(&self, blob: Blob, name: String) {
        let id = self.begin(&name, Source::File, Stage::Opening);
        self.open_blob(id, blob, name);
    }

    fn open_blob(&self, id: u32, blob: Blob, name: String) {
        let (bridge, dispatch) = (self.bridge.clone(), self.dispatch.clone());
        let this = self.clone();
        spawn_local(async move {
            let response = match bridge {
                Ok(b) => b.call(&Request::Open { name: name.clone() }, Some(&blob)).await,
                Err(message) => Response::Failed { error: WorkerError::Crashed { message } },
            };
            let opened = matches!(response, Response::Info { .. });
            dispatch.dispatch(match response {
                Response::Info { info } => Action::Opened { id, info },
                Response::Failed { error } => {
                    Action::Failed { id, failure: Failure::from_worker(&name, &error) }
                }
                other => Action::Failed {
                    id,
                    failure: Failure::from_worker(
                        &name,
                        &WorkerError::BadRequest {
                            message: format!("unexpected answer to open: {}", other.kind()),
                        },
                    ),
                },
            });
            if opened {
                // The crash-point control in the header needs the journal's
                // crash points (the log is walked only when it has one).
                this.load_journal(id, false);
            }
        });
    }

    /// Fetch the journal summary of open image `id` (`walk`: walk the log even
    /// when it is empty, for its history).
    pub fn load_journal(&self, id: u32, walk: bool) {
        self.dispatch.dispatch(Action::JournalRequested { id });
        let this = self.clone();
        spawn_local(async move {
            let result = match this.request(Request::Journal { walk }).await {
                Response::Journal { summary } => Ok(summary),
                Response::Failed { error } => Err(error.to_string()),
                other => Err(format!("unexpected answer: {}", other.kind())),
            };
            this.dispatch.dispatch(Action::JournalLoaded { id, result });
        });
    }

    /// Make the worker answer from crash point `crash` of open image `id`
    /// (of simulated disk `sim`; `new_disk`: another disk than the one shown,
    /// whose journal the header then needs).
    pub fn set_crash(&self, id: u32, crash: CrashPoint, sim: Option<SimRef>, new_disk: bool) {
        self.dispatch.dispatch(Action::CrashRequested { id, crash, sim: sim.clone() });
        let this = self.clone();
        spawn_local(async move {
            let request = Request::SetState { crash, sim: sim.clone() };
            let mut set = false;
            this.dispatch.dispatch(match this.request(request).await {
                Response::State { crash, sim, sim_writes, info, replay } => {
                    set = true;
                    Action::CrashSet { id, crash, sim, sim_writes, info, replay }
                }
                Response::Failed { error } => {
                    Action::CrashFailed { id, crash, sim, message: error.to_string() }
                }
                other => Action::CrashFailed {
                    id,
                    crash,
                    sim,
                    message: format!("unexpected answer: {}", other.kind()),
                },
            });
            if set && new_disk {
                this.load_journal(id, false);
            }
        });
    }

    /// Fetch, decompress and open a built-in sample.
    pub fn open_sample(&self, sample: Sample) {
        let name = format!("{}.img", sample.name);
        let id = self.begin(&name, Source::Sample(sample.name.clone()), Stage::Fetching);
        let this = self.clone();
        spawn_local(async move {
            let total = Some(sample.size);
            let d = this.dispatch.clone();
            let progress =
                move |done| d.dispatch(Action::Progress { id, stage: Stage::Decompressing { done, total } });
            match samples::fetch_image(&sample, progress).await {
                Ok(blob) => {
                    this.dispatch.dispatch(Action::Progress { id, stage: Stage::Opening });
                    this.open_blob(id, blob, name);
                }
                Err(e) => {
                    let failure = match e {
                        FetchError::Fetch(m) => Failure::from_browser(&name, "download", &m),
                        FetchError::Decompress(m) => Failure::from_browser(&name, "decompress", &m),
                    };
                    this.dispatch.dispatch(Action::Failed { id, failure });
                }
            }
        });
    }

    /// Fetch group pages for open image `id`.
    pub fn load_group_pages(&self, id: u32, pages: Vec<u32>) {
        if pages.is_empty() {
            return;
        }
        self.dispatch.dispatch(Action::GroupsRequested { id, pages: pages.clone() });
        let (bridge, dispatch) = (self.bridge.clone(), self.dispatch.clone());
        spawn_local(async move {
            for page in pages {
                let request = Request::Groups { start: page * GROUP_PAGE, count: GROUP_PAGE };
                let response = match &bridge {
                    Ok(b) => b.call(&request, None).await,
                    Err(message) => {
                        Response::Failed { error: WorkerError::Crashed { message: message.clone() } }
                    }
                };
                dispatch.dispatch(match response {
                    Response::Groups { groups, .. } => Action::GroupsLoaded { id, page, groups },
                    Response::Failed { error } => {
                        Action::GroupsFailed { id, page, message: error.to_string() }
                    }
                    other => Action::GroupsFailed {
                        id,
                        page,
                        message: format!("unexpected answer: {}", other.kind()),
                    },
                });
            }
        });
    }

    /// Fetch the sample list.
    pub fn load_samples(&self) {
        let dispatch = self.dispatch.clone();
        spawn_local(async move {
            dispatch.dispatch(Action::SamplesLoaded(samples::list().await));
        });
    }

    /// Ask the worker one question (for views that keep their own state).
    pub async fn request(&self, request: Request) -> Response {
        match &self.bridge {
            Ok(b) => b.call(&request, None).await,
            Err(message) => Response::Failed { error: WorkerError::Crashed { message: message.clone() } },
        }
    }

    /// Why the worker could not start, if it could not.
    pub fn worker_error(&self) -> Option<&str> {
        self.bridge.as_ref().err().map(|s| s.as_str())
    }
}
