//! What the worker does with a request, free of browser calls so native tests
//! drive it over in-memory images. The worker keeps one [`Session`].

use ext4scope_core::{Fs, ReadAt};

use super::protocol::{Request, Response, WorkerError, MAX_GROUPS_PER_REQUEST};
use super::{files, inspect};

/// The open image, if any.
#[derive(Default)]
pub struct Session {
    fs: Option<Fs>,
    /// The block ownership scan of `fs`, once asked for (kept when done: its
    /// map answers "who owns this block").
    scan: Option<ext4scope_core::ownership::Scanner>,
    /// Recently listed directories of `fs`.
    dirs: files::DirCache,
    /// The unreachable-inode walk of `fs`, once asked for.
    walk: Option<files::Walk>,
}

impl Session {
    /// No image yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// True when an image is open.
    pub fn is_open(&self) -> bool {
        self.fs.is_some()
    }

    /// Answer one request. `source` is the Blob that came with the message.
    pub fn handle(&mut self, request: Request, source: Option<Box<dyn ReadAt>>) -> Response {
        match self.answer(request, source) {
            Ok(r) => r,
            Err(error) => Response::Failed { error },
        }
    }

    fn fs(&self) -> Result<&Fs, WorkerError> {
        self.fs.as_ref().ok_or(WorkerError::NoImage)
    }

    fn answer(&mut self, request: Request, source: Option<Box<dyn ReadAt>>) -> Result<Response, WorkerError> {
        Ok(match request {
            Request::Open { name: _ } => {
                let source = source.ok_or(WorkerError::NoFile)?;
                // A failed open leaves no image: the old one is gone from the
                // app's point of view too.
                self.fs = None;
                self.scan = None;
                self.dirs = files::DirCache::default();
                self.walk = None;
                let fs = Fs::open(source)?;
                let info = summary_info(&fs);
                self.fs = Some(fs);
                Response::Info { info }
            }
            Request::Info => Response::Info { info: summary_info(self.fs()?) },
            Request::Groups { start, count } => {
                let fs = self.fs()?;
                let total = fs.geo.groups_count;
                let start = start.min(total);
                let end = start.saturating_add(count.min(MAX_GROUPS_PER_REQUEST)).min(total);
                let groups = (start..end).filter_map(|g| fs.group_report(g)).collect();
                Response::Groups { start, groups }
            }
            Request::Close => {
                self.fs = None;
                self.scan = None;
                self.dirs = files::DirCache::default();
                self.walk = None;
                Response::Closed
            }
            Request::Inode { .. }
            | Request::ReadFile { .. }
            | Request::Block { .. }
            | Request::Scan { .. }
            | Request::GroupDetail { .. } => {
                let fs = self.fs.as_ref().ok_or(WorkerError::NoImage)?;
                inspect::answer(fs, &mut self.scan, request)?
            }
            Request::Dir { ino, start, count, order } => {
                let fs = self.fs.as_ref().ok_or(WorkerError::NoImage)?;
                Response::Dir { page: Box::new(self.dirs.page_in(fs, ino, start, count, order)?) }
            }
            Request::Lookup { path, order } => {
                let fs = self.fs.as_ref().ok_or(WorkerError::NoImage)?;
                Response::Lookup { report: Box::new(files::lookup_in(fs, &mut self.dirs, &path, order)) }
            }
            Request::PathOf { ino, budget } => {
                let fs = self.fs.as_ref().ok_or(WorkerError::NoImage)?;
                Response::PathOf {
                    report: Box::new(files::path_of(fs, &mut self.dirs, &mut self.walk, ino, budget)),
                }
            }
            Request::Unreachable { budget } => {
                let fs = self.fs.as_ref().ok_or(WorkerError::NoImage)?;
                let walk = self.walk.get_or_insert_with(|| files::Walk::new(fs));
                if budget > 0 && !walk.is_done() {
                    walk.step(fs, budget);
                }
                Response::Unreachable { report: Box::new(walk.report()) }
            }
        })
    }
}

/// The info report without the group list (which can hold 100k+ groups; the
/// app pages through them with `Request::Groups`).
fn summary_info(fs: &Fs) -> Box<ext4scope_core::report::InfoReport> {
    let mut info = fs.info();
    info.groups = Vec::new();
    Box::new(info)
}
