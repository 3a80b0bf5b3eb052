//! `#/files/PATH`: the directory tree from `/`, expanded lazily (a
//! directory's entries are fetched when it opens, page by page as they
//! scroll into view) and virtualised (only the rows in view are in the DOM),
//! so a directory of 100k entries opens as fast as one of ten. The URL's path
//! is expanded and selected; the selection moves with the arrow keys and
//! rewrites the URL. Beside the tree: search by path or inode number,
//! `lost+found`, and in-use inodes no directory reaches (a stepped walk in
//! the worker, with progress and cancel).

use std::cell::{Cell, RefCell};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::rc::Rc;

use ext4scope_core::format::dir::DirFormat;
use ext4scope_core::format::inode::{FileType, ROOT_INO};
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlInputElement, KeyboardEvent};
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::app::{navigate, use_ctx, Ctx};
use crate::format;
use crate::route::{ImageRef, Link, Route};
use crate::state::{Action, OpenImage};
use crate::views::inode::symbolic;
use crate::widgets::copy_link::CopyLink;
use crate::widgets::progress::Progress;
use crate::widgets::virtual_rows::{use_virtual_rows, VirtualRows};
use crate::worker::files::{DirPage, FileEntry, Order, UnreachableReport, WalkPhase};
use crate::worker::protocol::{Request, Response};

/// Entries per request.
const PAGE: u32 = 256;
/// Row height in CSS pixels (must match `.ft-row` in files.css).
const ROW_H: f64 = 28.0;
/// Rows rendered above and below the visible ones.
const OVERSCAN: u32 = 12;
/// Deepest level drawn (a corrupt tree can nest without end).
const MAX_DEPTH: usize = 512;
/// Work units per walk request (about one directory entry or inode each).
const WALK_BUDGET: u64 = 20_000;
/// Unreachable inodes listed on the page.
const UNREACHABLE_ROWS: usize = 500;
/// `lost+found` entries listed on the page.
const LOST_ROWS: u32 = 200;

/// Props.
#[derive(Properties, PartialEq)]
pub struct Props {
    /// The open image.
    pub image: OpenImage,
    /// The path to open and select (no leading `/`; "" for the root).
    pub path: String,
    /// The link's fingerprint (kept in links made here).
    pub fp: ImageRef,
}

/// What is known of one directory.
#[derive(Default)]
struct DirData {
    /// The header of the latest page (its `entries` emptied).
    head: Option<Rc<DirPage>>,
    pages: HashMap<u32, Rc<Vec<FileEntry>>>,
    pending: HashSet<u32>,
    error: Option<String>,
}

impl DirData {
    fn entry(&self, i: u32) -> Option<&FileEntry> {
        self.pages.get(&(i / PAGE))?.get((i % PAGE) as usize)
    }
}

/// The tree's state, shared with the async loaders.
#[derive(Default)]
struct Tree {
    /// The image these directories belong to.
    image: u32,
    /// The order entries are listed in (the pages in `dirs` are in it).
    order: Order,
    dirs: HashMap<u32, DirData>,
    /// Expanded directories by path ("" is the root).
    expanded: BTreeSet<String>,
    /// The selected row's path.
    selected: String,
    /// Scroll this path into view once its row exists.
    reveal: Option<String>,
    /// A message above the tree: (is an error, text).
    notice: Option<(bool, String)>,
    /// Bumped whenever the rows change (a page arrived, a directory opened or closed).
    version: u64,
    /// The flattened rows and the version they were made at (scrolling does not redo them).
    flat: Option<(u64, Rc<Vec<Row>>)>,
}

#[derive(Clone)]
enum RowKind {
    Root,
    Entry(u32),
    Loading,
    Empty,
    Error(String),
}

/// One line of the flattened tree.
#[derive(Clone)]
struct Row {
    depth: u16,
    /// The directory the row belongs to (for `Loading`, the one being loaded).
    dir: u32,
    kind: RowKind,
    /// The path of the directory the row is in.
    parent: Rc<str>,
}

fn join(parent: &str, name: &str) -> String {
    if parent.is_empty() {
        name.to_string()
    } else {
        format!("{parent}/{name}")
    }
}

fn parent_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(p, _)| p)
}

fn flatten(t: &Tree) -> Vec<Row> {
    let mut rows = vec![Row { depth: 0, dir: ROOT_INO, kind: RowKind::Root, parent: Rc::from("") }];
    if t.expanded.contains("") {
        let mut stack = vec![ROOT_INO];
        children(t, ROOT_INO, Rc::from(""), 1, &mut stack, &mut rows);
    }
    rows
}

fn children(t: &Tree, ino: u32, path: Rc<str>, depth: usize, stack: &mut Vec<u32>, rows: &mut Vec<Row>) {
    let d16 = depth.min(usize::from(u16::MAX)) as u16;
    let mk = |kind| Row { depth: d16, dir: ino, kind, parent: path.clone() };
    let Some(d) = t.dirs.get(&ino) else {
        rows.push(mk(RowKind::Loading));
        return;
    };
    if let Some(e) = &d.error {
        rows.push(mk(RowKind::Error(e.clone())));
        return;
    }
    let Some(head) = &d.head else {
        rows.push(mk(RowKind::Loading));
        return;
    };
    if head.total == 0 {
        rows.push(mk(RowKind::Empty));
    }
    for i in 0..head.total {
        rows.push(mk(RowKind::Entry(i)));
        let Some(e) = d.entry(i) else { continue };
        if e.kind != FileType::Directory || depth >= MAX_DEPTH || stack.contains(&e.ino) {
            continue;
        }
        let child = join(&path, &e.name);
        if t.expanded.contains(&child) {
            stack.push(e.ino);
            children(t, e.ino, Rc::from(child), depth + 1, stack, rows);
            stack.pop();
        }
    }
}

/// The path and entry of a row (`None` entry for the root and unloaded rows).
fn row_path(t: &Tree, r: &Row) -> Option<(String, Option<FileEntry>)> {
    match r.kind {
        RowKind::Root => Some((String::new(), None)),
        RowKind::Entry(i) => {
            let e = t.dirs.get(&r.dir)?.entry(i)?;
            Some((join(&r.parent, &e.name), Some(e.clone())))
        }
        _ => None,
    }
}

fn find_row(t: &Tree, rows: &[Row], path: &str) -> Option<usize> {
    if path.is_empty() {
        return Some(0);
    }
    let parent = parent_of(path);
    let name = path.rsplit_once('/').map_or(path, |(_, n)| n);
    rows.iter().position(|r| match r.kind {
        RowKind::Entry(i) => {
            &*r.parent == parent
                && t.dirs.get(&r.dir).and_then(|d| d.entry(i)).is_some_and(|e| e.name == name)
        }
        _ => false,
    })
}

fn type_short(t: FileType) -> &'static str {
    match t {
        FileType::Directory => "dir",
        FileType::Regular => "file",
        FileType::Symlink => "symlink",
        FileType::CharDevice => "chr",
        FileType::BlockDevice => "blk",
        FileType::Fifo => "fifo",
        FileType::Socket => "sock",
        FileType::Unknown => "?",
    }
}

fn format_name(f: DirFormat) -> &'static str {
    match f {
        DirFormat::Linear => "linear",
        DirFormat::Htree => "htree (hashed)",
        DirFormat::Inline => "inline",
    }
}

/// What the loaders need.
#[derive(Clone)]
struct Handle {
    tree: Rc<RefCell<Tree>>,
    redraw: UseForceUpdateHandle,
    ctx: Ctx,
}

impl Handle {
    /// Fetch page `page` of directory `ino` unless it is there or on its way.
    fn load(&self, ino: u32, page: u32) {
        {
            let mut t = self.tree.borrow_mut();
            let d = t.dirs.entry(ino).or_default();
            if d.pages.contains_key(&page) || d.pending.contains(&page) || d.error.is_some() {
                return;
            }
            d.pending.insert(page);
        }
        let h = self.clone();
        let (image, order) = {
            let t = self.tree.borrow();
            (t.image, t.order)
        };
        spawn_local(async move {
            let r =
                h.ctx.services.request(Request::Dir { ino, start: page * PAGE, count: PAGE, order }).await;
            let mut t = h.tree.borrow_mut();
            if t.image != image || t.order != order {
                return;
            }
            let d = t.dirs.entry(ino).or_default();
            d.pending.remove(&page);
            match r {
                Response::Dir { page: mut p } => {
                    let entries = std::mem::take(&mut p.entries);
                    d.pages.insert(page, Rc::new(entries));
                    d.head = Some(Rc::new(*p));
                }
                Response::Failed { error } => d.error = Some(error.to_string()),
                other => d.error = Some(format!("unexpected answer: {}", other.kind())),
            }
            t.version += 1;
            drop(t);
            h.redraw.force_update();
        });
    }

    /// Expand the tree down to `path`, select it and scroll to it.
    fn reveal(&self, path: String) {
        let h = self.clone();
        let order = {
            let mut t = self.tree.borrow_mut();
            t.selected = path.clone();
            t.reveal = Some(path.clone());
            t.order
        };
        spawn_local(async move {
            let report =
                match h.ctx.services.request(Request::Lookup { path: format!("/{path}"), order }).await {
                    Response::Lookup { report } => report,
                    Response::Failed { error } => {
                        h.tree.borrow_mut().notice = Some((true, error.to_string()));
                        h.redraw.force_update();
                        return;
                    }
                    other => {
                        h.tree.borrow_mut().notice =
                            Some((true, format!("unexpected answer: {}", other.kind())));
                        h.redraw.force_update();
                        return;
                    }
                };
            let comps: Vec<&str> = path.split('/').filter(|c| !c.is_empty()).collect();
            let n = report.chain.len();
            let found = n - 1 == comps.len();
            {
                let mut t = h.tree.borrow_mut();
                for i in 0..n {
                    if i + 1 < n || report.last_is_dir {
                        t.expanded.insert(comps[..i].join("/"));
                    }
                }
                t.version += 1;
                let reached = comps[..n - 1].join("/");
                t.selected = reached.clone();
                t.reveal = Some(reached);
                t.notice = if found {
                    None
                } else {
                    let why = report.error.as_ref().map(|e| e.to_string()).unwrap_or_else(|| {
                        format!("/{} cannot be shown in the tree (a symlink or . / .. on the way)", path)
                    });
                    Some((true, why))
                };
            }
            for (i, &pos) in report.positions.iter().enumerate() {
                h.load(report.chain[i], 0);
                h.load(report.chain[i], pos / PAGE);
            }
            if report.last_is_dir {
                if let Some(&last) = report.chain.last() {
                    h.load(last, 0);
                }
            }
            h.redraw.force_update();
        });
    }

    /// List entries in `order`: every page is fetched again, the expanded
    /// directories and the selection stay.
    fn set_order(&self, order: Order) {
        let selected = {
            let mut t = self.tree.borrow_mut();
            if t.order == order {
                return;
            }
            t.order = order;
            t.dirs.clear();
            t.version += 1;
            t.selected.clone()
        };
        self.reveal(selected);
        self.redraw.force_update();
    }

    fn toggle(&self, path: &str, ino: u32) {
        let mut t = self.tree.borrow_mut();
        t.version += 1;
        if !t.expanded.remove(path) {
            t.expanded.insert(path.to_string());
            drop(t);
            self.load(ino, 0);
        }
        self.redraw.force_update();
    }
}

#[derive(Clone, PartialEq)]
enum Walk {
    Idle,
    Running(Rc<UnreachableReport>),
    Stopped(Rc<UnreachableReport>),
    Done(Rc<UnreachableReport>),
    Failed(String),
}

/// Step the unreachable walk until it is done or `cancel` is set; stop
/// quietly once the page is gone or shows another image (`live` is the
/// image id the page shows, 0 once it is gone).
fn run_walk(ctx: Ctx, state: UseStateHandle<Walk>, cancel: Rc<Cell<bool>>, live: Rc<Cell<u32>>, image: u32) {
    cancel.set(false);
    spawn_local(async move {
        loop {
            let budget = if cancel.get() { 0 } else { WALK_BUDGET };
            let r = ctx.services.request(Request::Unreachable { budget }).await;
            if live.get() != image {
                return;
            }
            match r {
                Response::Unreachable { report } => {
                    let report = Rc::new(*report);
                    if report.progress.phase == WalkPhase::Done {
                        state.set(Walk::Done(report));
                        return;
                    }
                    if cancel.get() {
                        state.set(Walk::Stopped(report));
                        return;
                    }
                    state.set(Walk::Running(report));
                }
                Response::Failed { error } => {
                    state.set(Walk::Failed(error.to_string()));
                    return;
                }
                other => {
                    state.set(Walk::Failed(format!("unexpected answer: {}", other.kind())));
                    return;
                }
            }
        }
    });
}

/// A path of inode `ino` (no leading `/`), stepping the worker's tree walk
/// when it needs one; `progress` hears how far the walk is.
async fn find_path(ctx: &Ctx, ino: u32, progress: impl Fn(String)) -> Result<String, String> {
    loop {
        match ctx.services.request(Request::PathOf { ino, budget: WALK_BUDGET }).await {
            Response::PathOf { report } if report.pending => {
                if let Some(p) = report.progress {
                    progress(format!(
                        "Looking for inode {ino}: {} of about {} directories read",
                        p.dirs_read, p.dirs_expected
                    ));
                }
            }
            Response::PathOf { report } => {
                return match report.path {
                    Some(p) => Ok(p.trim_start_matches('/').to_string()),
                    None => Err(report.error.unwrap_or_else(|| "no path".into())),
                }
            }
            Response::Failed { error } => return Err(error.to_string()),
            other => return Err(format!("unexpected answer: {}", other.kind())),
        }
    }
}

/// Search: a path, or an inode number (`12` or `#12`).
fn search(h: Handle, fp: ImageRef, q: String, busy: UseStateHandle<Option<String>>) {
    let q = q.trim().to_string();
    if q.is_empty() {
        return;
    }
    let num = q.strip_prefix('#').unwrap_or(&q);
    let Ok(ino) = num.parse::<u32>() else {
        let path = q.trim_start_matches('/').trim_end_matches('/').to_string();
        navigate(&Link::new(Route::Files(path.clone()), fp));
        h.reveal(path);
        return;
    };
    busy.set(Some(format!("Looking for inode {ino}…")));
    spawn_local(async move {
        let b = busy.clone();
        let r = find_path(&h.ctx, ino, move |m| b.set(Some(m))).await;
        busy.set(None);
        match r {
            Ok(path) => {
                navigate(&Link::new(Route::Files(path.clone()), fp));
                h.reveal(path);
            }
            Err(why) => {
                h.tree.borrow_mut().notice = Some((true, format!("Inode {ino}: {why}")));
                h.redraw.force_update();
            }
        }
    });
}

/// Props of [`ShowInFiles`].
#[derive(Properties, PartialEq)]
pub struct ShowProps {
    /// The inode.
    pub ino: u32,
    /// The link's fingerprint.
    pub fp: ImageRef,
}

/// "Show in Files": the Files view opened at a path of the inode.
#[component]
pub fn ShowInFiles(props: &ShowProps) -> Html {
    let ctx = use_ctx();
    let state = use_state(|| None::<String>);
    let onclick = {
        let (ctx, state, ino, fp) = (ctx.clone(), state.clone(), props.ino, props.fp.clone());
        Callback::from(move |_: MouseEvent| {
            let (ctx, state, fp) = (ctx.clone(), state.clone(), fp.clone());
            state.set(Some("Looking…".into()));
            spawn_local(async move {
                let s = state.clone();
                match find_path(&ctx, ino, move |m| s.set(Some(m))).await {
                    Ok(path) => {
                        state.set(None);
                        navigate(&Link::new(Route::Files(path), fp));
                    }
                    Err(why) => state.set(Some(why)),
                }
            });
        })
    };
    html! {
        <>
            if let Some(m) = &*state { <span class="muted small" data-testid="show-in-files-note">{ m }</span> }
            <button type="button" class="button small" {onclick} data-testid="show-in-files">{ "Show in Files" }</button>
        </>
    }
}

fn entry_cells(e: &FileEntry, fp: &ImageRef) -> Html {
    let ino_link = Link::new(Route::Inode(e.ino), fp.clone()).to_hash();
    html! {
        <>
            <div role="gridcell" class="ft-type">{ type_short(e.kind) }</div>
            <div role="gridcell" class="num ft-mode" title={e.mode.map(|m| format!("{m:o}")).unwrap_or_default()}>
                { e.mode.map(symbolic).unwrap_or_default() }
            </div>
            <div role="gridcell" class="num right" title={e.size.map(format::bytes).unwrap_or_default()}>
                { e.size.map(|s| s.to_string()).unwrap_or_default() }
            </div>
            <div role="gridcell" class="num right">{ e.links.map(|s| s.to_string()).unwrap_or_default() }</div>
            <div role="gridcell" class="num right"><a href={ino_link} tabindex="-1" data-testid="file-ino">{ e.ino }</a></div>
        </>
    }
}

/// The page.
#[component]
pub fn FilesView(props: &Props) -> Html {
    let ctx = use_ctx();
    let o = &props.image;
    let tree = use_mut_ref(Tree::default);
    let redraw = use_force_update();
    let h = Handle { tree: tree.clone(), redraw: redraw.clone(), ctx: ctx.clone() };
    if tree.borrow().image != o.id {
        *tree.borrow_mut() = Tree { image: o.id, ..Tree::default() };
    }
    let busy = use_state(|| None::<String>);
    let walk = use_state(|| Walk::Idle);
    let walk_cancel = use_memo(o.id, |_| Rc::new(Cell::new(false)));
    // The image this page shows (0 once it is gone): async work for another stops.
    let live = use_memo((), |_| Rc::new(Cell::new(0u32)));
    live.set(o.id);
    let lost = use_state(|| None::<Result<Rc<DirPage>, String>>);

    {
        // The URL's path: expand down to it and select it (unless the
        // selection is already there: it moved the URL itself).
        let h = h.clone();
        use_effect_with((props.path.clone(), o.id), move |(path, _)| {
            let already = {
                let t = h.tree.borrow();
                t.selected == *path && t.expanded.contains("")
            };
            if !already {
                {
                    let mut t = h.tree.borrow_mut();
                    t.expanded.insert(String::new());
                    t.version += 1;
                }
                h.load(ROOT_INO, 0);
                h.reveal(path.clone());
            }
        });
    }
    {
        // lost+found, and whether the walk already ran (the worker keeps it).
        let (ctx, lost, walk, live) = (ctx.clone(), lost.clone(), walk.clone(), (*live).clone());
        use_effect_with(o.id, move |&image| {
            lost.set(None);
            walk.set(Walk::Idle);
            spawn_local(async move {
                let r = ctx
                    .services
                    .request(Request::Lookup { path: "/lost+found".into(), order: Order::Name })
                    .await;
                let ino = match r {
                    Response::Lookup { report } => report.ino,
                    _ => None,
                };
                let page = match ino {
                    None => Err("There is no /lost+found.".to_string()),
                    Some(ino) => {
                        match ctx
                            .services
                            .request(Request::Dir { ino, start: 0, count: LOST_ROWS, order: Order::Name })
                            .await
                        {
                            Response::Dir { page } => Ok(Rc::new(*page)),
                            Response::Failed { error } => Err(error.to_string()),
                            other => Err(format!("unexpected answer: {}", other.kind())),
                        }
                    }
                };
                if live.get() != image {
                    return;
                }
                lost.set(Some(page));
                if let Response::Unreachable { report } =
                    ctx.services.request(Request::Unreachable { budget: 0 }).await
                {
                    if live.get() == image && report.progress.phase == WalkPhase::Done {
                        walk.set(Walk::Done(Rc::new(*report)));
                    }
                }
            });
        });
    }

    let rows = {
        let mut t = tree.borrow_mut();
        match &t.flat {
            Some((v, r)) if *v == t.version => r.clone(),
            _ => {
                let r = Rc::new(flatten(&t));
                t.flat = Some((t.version, r.clone()));
                r
            }
        }
    };
    let n = rows.len() as u32;
    let VirtualRows { scroller, body, rows_box, start, end, visible: count, onscroll, measure } =
        use_virtual_rows(n, ROW_H, OVERSCAN);
    {
        let live = (*live).clone();
        let scroller = scroller.clone();
        use_effect_with((), move |_| {
            // The arrow keys work at once, unless something else has the focus.
            let idle = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.active_element())
                .is_none_or(|a| matches!(a.tag_name().as_str(), "BODY" | "MAIN"));
            if let (true, Some(el)) = (idle, scroller.cast::<HtmlElement>()) {
                let _ = el.focus();
            }
            move || live.set(0)
        });
    }
    {
        // Fetch the pages the rendered rows need.
        let h = h.clone();
        let rows = rows.clone();
        use_effect(move || {
            let mut want = Vec::new();
            {
                let t = h.tree.borrow();
                for r in &rows[start as usize..end as usize] {
                    match r.kind {
                        RowKind::Loading => want.push((r.dir, 0)),
                        RowKind::Entry(i) if t.dirs.get(&r.dir).and_then(|d| d.entry(i)).is_none() => {
                            want.push((r.dir, i / PAGE))
                        }
                        _ => {}
                    }
                }
            }
            want.dedup();
            for (d, p) in want {
                h.load(d, p);
            }
        });
    }
    {
        // Scroll a revealed path into the middle of the view once its row exists.
        let (h, rows, scroller, measure) = (h.clone(), rows.clone(), scroller.clone(), measure.clone());
        use_effect(move || {
            let target = h.tree.borrow().reveal.clone();
            if let Some(p) = target {
                let idx = find_row(&h.tree.borrow(), &rows, &p);
                if let (Some(i), Some(el)) = (idx, scroller.cast::<HtmlElement>()) {
                    h.tree.borrow_mut().reveal = None;
                    let y = i as f64 * ROW_H - f64::from(el.client_height()) / 2.0 + ROW_H;
                    el.set_scroll_top(y.max(0.0) as i32);
                    measure();
                }
            }
        });
    }

    // Selecting a row rewrites the URL (no new history entry).
    let select = {
        let (h, dispatch) = (h.clone(), ctx.state.dispatcher());
        Rc::new(move |path: String| {
            h.tree.borrow_mut().selected = path.clone();
            dispatch.dispatch(Action::Refine(Route::Files(path)));
            h.redraw.force_update();
        })
    };

    let onkeydown = {
        let (h, rows, scroller, select, fp) =
            (h.clone(), rows.clone(), scroller.clone(), select.clone(), props.fp.clone());
        Callback::from(move |e: KeyboardEvent| {
            if e.alt_key() || e.ctrl_key() || e.meta_key() {
                return;
            }
            let len = rows.len();
            let cur = {
                let t = h.tree.borrow();
                find_row(&t, &rows, &t.selected).unwrap_or(0)
            };
            let info = |i: usize| row_path(&h.tree.borrow(), &rows[i]);
            let page = count.saturating_sub(2).max(1) as usize;
            let next = match e.key().as_str() {
                "ArrowDown" => Some((cur + 1).min(len - 1)),
                "ArrowUp" => Some(cur.saturating_sub(1)),
                "PageDown" => Some((cur + page).min(len - 1)),
                "PageUp" => Some(cur.saturating_sub(page)),
                "Home" => Some(0),
                "End" => Some(len - 1),
                "ArrowRight" | "ArrowLeft" | "Enter" => {
                    let Some((path, entry)) = info(cur) else { return };
                    let (is_dir, ino) = match &entry {
                        None => (true, ROOT_INO),
                        Some(e) => (e.kind == FileType::Directory, e.ino),
                    };
                    let open = h.tree.borrow().expanded.contains(&path);
                    match e.key().as_str() {
                        "ArrowRight" if is_dir && !open => {
                            h.toggle(&path, ino);
                            None
                        }
                        "ArrowRight" if is_dir => Some((cur + 1).min(len - 1)),
                        "ArrowLeft" if is_dir && open => {
                            h.toggle(&path, ino);
                            None
                        }
                        "ArrowLeft" if !path.is_empty() => {
                            find_row(&h.tree.borrow(), &rows, parent_of(&path))
                        }
                        "Enter" if is_dir => {
                            h.toggle(&path, ino);
                            None
                        }
                        "Enter" => {
                            navigate(&Link::new(Route::Inode(ino), fp.clone()));
                            None
                        }
                        _ => None,
                    }
                }
                _ => return,
            };
            e.prevent_default();
            let Some(i) = next else { return };
            // Skip rows that are not entries (loading, empty) going down or up.
            let Some((path, _)) = info(i) else { return };
            select(path);
            if let Some(el) = scroller.cast::<HtmlElement>() {
                let top = i as f64 * ROW_H;
                let view_top = f64::from(el.scroll_top());
                let view_h = f64::from(el.client_height());
                // The sticky header covers one row.
                if top < view_top + ROW_H {
                    el.set_scroll_top((top - ROW_H).max(0.0) as i32);
                } else if top + ROW_H > view_top + view_h {
                    el.set_scroll_top((top + 2.0 * ROW_H - view_h) as i32);
                }
            }
        })
    };

    let fp = props.fp.clone();
    let (selected, notice, order) = {
        let t = tree.borrow();
        (t.selected.clone(), t.notice.clone(), t.order)
    };
    let set_disk = {
        let h = h.clone();
        Callback::from(move |_: MouseEvent| h.set_order(Order::Disk))
    };
    let set_name = {
        let h = h.clone();
        Callback::from(move |_: MouseEvent| h.set_order(Order::Name))
    };
    let rendered = (start..end)
        .map(|i| {
            let r = &rows[i as usize];
            let t = tree.borrow();
            let indent: Html = (0..r.depth.min(40)).map(|_| html! { <span class="ft-ind"></span> }).collect();
            match &r.kind {
                RowKind::Root | RowKind::Entry(_) => {
                    let (path, entry) = match row_path(&t, r) {
                        Some(x) => x,
                        None => {
                            return html! {
                                <div class="ft-row placeholder" role="row"><div role="gridcell">{ indent }{ "…" }</div></div>
                            }
                        }
                    };
                    let (is_dir, ino) = match &entry {
                        None => (true, ROOT_INO),
                        Some(e) => (e.kind == FileType::Directory, e.ino),
                    };
                    let open = t.expanded.contains(&path);
                    let sel = path == selected;
                    let onclick = {
                        let (select, h, path) = (select.clone(), h.clone(), path.clone());
                        Callback::from(move |_: MouseEvent| {
                            select(path.clone());
                            if is_dir {
                                h.toggle(&path, ino);
                            }
                        })
                    };
                    let toggle = if is_dir {
                        html! { <span class="ft-toggle" aria-hidden="true">{ if open { "▾" } else { "▸" } }</span> }
                    } else {
                        html! { <span class="ft-toggle"></span> }
                    };
                    let bad = entry.as_ref().is_some_and(|e| e.problem.is_some());
                    let (name, title) = match &entry {
                        None => ("/".to_string(), "the root directory (inode 2)".to_string()),
                        Some(e) => (
                            e.name.clone(),
                            match (&e.raw_hex, &e.problem) {
                                (Some(h), _) => format!("not UTF-8; bytes {h}"),
                                (None, Some(p)) => p.clone(),
                                _ => format!("/{path}"),
                            },
                        ),
                    };
                    let cells = match &entry {
                        Some(e) => entry_cells(e, &fp),
                        None => html! {
                            <>
                                <div role="gridcell" class="ft-type">{ "dir" }</div>
                                <div role="gridcell"></div>
                                <div role="gridcell" class="num right">{
                                    t.dirs.get(&ROOT_INO).and_then(|d| d.head.as_ref()).map(|h| h.size.to_string()).unwrap_or_default()
                                }</div>
                                <div role="gridcell"></div>
                                <div role="gridcell" class="num right">
                                    <a href={Link::new(Route::Inode(ROOT_INO), fp.clone()).to_hash()} tabindex="-1">{ ROOT_INO }</a>
                                </div>
                            </>
                        },
                    };
                    html! {
                        <div class={classes!("ft-row", sel.then_some("focus"), bad.then_some("bad-row"), is_dir.then_some("dir"))}
                             role="row" aria-selected={sel.to_string()} aria-expanded={is_dir.then(|| open.to_string())}
                             data-testid="file-row" data-path={path.clone()} data-ino={ino.to_string()}
                             data-name={entry.as_ref().map(|e| e.name.clone())}
                             data-size={entry.as_ref().and_then(|e| e.size).map(|s| s.to_string())}
                             aria-level={(r.depth + 1).to_string()}>
                            <div role="gridcell" class="ft-name" {onclick} title={title}>
                                { indent }{ toggle }
                                <span class="ft-label">{ name }</span>
                                if let Some(t) = entry.as_ref().and_then(|e| e.target.clone()) {
                                    <span class="ft-target" data-testid="link-target">{ format!("→ {t}") }</span>
                                }
                                if entry.as_ref().is_some_and(|e| e.raw_hex.is_some()) { <span class="badge warn">{ "bytes" }</span> }
                                if bad { <span class="badge error">{ "!" }</span> }
                            </div>
                            { cells }
                        </div>
                    }
                }
                RowKind::Loading => html! {
                    <div class="ft-row placeholder" role="row"><div role="gridcell">{ indent }<span class="ft-toggle"></span>{ "reading…" }</div></div>
                },
                RowKind::Empty => html! {
                    <div class="ft-row placeholder" role="row"><div role="gridcell">{ indent }<span class="ft-toggle"></span>{ "(no entries)" }</div></div>
                },
                RowKind::Error(e) => html! {
                    <div class="ft-row placeholder bad-row" role="row"><div role="gridcell">{ indent }<span class="ft-toggle"></span>{ format!("cannot be listed: {e}") }</div></div>
                },
            }
        })
        .collect::<Html>();

    // The directory of the selection: its format, checksums and problems.
    let dir_info = {
        let t = tree.borrow();
        let sel_row = find_row(&t, &rows, &selected).map(|i| &rows[i]);
        let dir = match sel_row.and_then(|r| row_path(&t, r)) {
            Some((_, None)) => Some(ROOT_INO),
            Some((_, Some(e))) if e.kind == FileType::Directory => Some(e.ino),
            _ => sel_row.map(|r| r.dir),
        };
        let head = dir.and_then(|d| t.dirs.get(&d)).and_then(|d| d.head.clone());
        match head {
            None => html! {},
            Some(hd) => html! {
                <div class="ft-dirinfo small" data-testid="dir-info" data-ino={hd.ino.to_string()} data-total={hd.total.to_string()}>
                    <span>{ format!("Directory {}: ", hd.ino) }<b>{ format_name(hd.format) }</b></span>
                    <span class="muted">{ format!("{} entries · {} blocks · {} bytes", hd.total, hd.blocks, hd.size) }</span>
                    if hd.checksums_ok + hd.checksums_bad > 0 {
                        if hd.checksums_bad > 0 {
                            <span class="badge error">{ format!("{} of {} block checksums bad", hd.checksums_bad, hd.checksums_ok + hd.checksums_bad) }</span>
                        } else {
                            <span class="badge ok">{ format!("{} block checksum{} ok", hd.checksums_ok, if hd.checksums_ok == 1 { "" } else { "s" }) }</span>
                        }
                    }
                    if hd.deleted > 0 {
                        <details class="ft-deleted" data-testid="deleted-entries">
                            <summary title="names left in the slack after a live entry: what debugfs ls -d shows in <>">
                                { format!("{} deleted entr{} in slack", hd.deleted, if hd.deleted == 1 { "y" } else { "ies" }) }
                            </summary>
                            <ul>
                                { for hd.deleted_entries.iter().map(|d| html! {
                                    <li data-testid="deleted-entry" data-name={d.name.clone()} data-ino={d.ino.to_string()}>
                                        <span class="ft-label" title={d.raw_hex.clone().map(|h| format!("not UTF-8; bytes {h}")).unwrap_or_default()}>{ &d.name }</span>
                                        { " " }
                                        if d.ino != 0 {
                                            <a href={Link::new(Route::Inode(d.ino), fp.clone()).to_hash()}>{ format!("was inode {}", d.ino) }</a>
                                        } else {
                                            <span class="muted">{ "inode number cleared" }</span>
                                        }
                                        if let Some(b) = d.block {
                                            { " · " }
                                            <a href={Link::new(Route::Block(b), fp.clone()).to_hash()}>{ format!("block {b}") }</a>
                                            <span class="muted">{ format!(" +{}", d.offset) }</span>
                                        }
                                    </li>
                                }) }
                                if hd.deleted as usize > hd.deleted_entries.len() {
                                    <li class="muted">{ format!("and {} more", hd.deleted as usize - hd.deleted_entries.len()) }</li>
                                }
                            </ul>
                        </details>
                    }
                    if let Some(p) = hd.parent { <span class="muted">{ format!(".. → {p}") }</span> }
                    if hd.problem_count > 0 {
                        <ul class="problems compact">
                            { for hd.problems.iter().take(5).map(|p| html! { <li class="problem error">{ &p.message }</li> }) }
                            if hd.problem_count > 5 { <li class="muted">{ format!("and {} more", hd.problem_count - 5) }</li> }
                        </ul>
                    }
                </div>
            },
        }
    };

    let onsubmit = {
        let (h, fp, busy) = (h.clone(), props.fp.clone(), busy.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let input = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok())
                .and_then(|f| f.elements().named_item("q"))
                .and_then(|i| i.dyn_into::<HtmlInputElement>().ok());
            if let Some(i) = input {
                search(h.clone(), fp.clone(), i.value(), busy.clone());
            }
        })
    };

    let lost_html = match &*lost {
        None => html! { <p class="muted small">{ "Reading…" }</p> },
        Some(Err(e)) => html! { <p class="muted small">{ e }</p> },
        Some(Ok(p)) if p.total == 0 => {
            html! { <p class="muted small" data-testid="lost-empty">{ "Empty: e2fsck has put nothing here." }</p> }
        }
        Some(Ok(p)) => html! {
            <>
                <table class="grid-table" data-testid="lost-found">
                    <thead><tr><th>{ "Name" }</th><th>{ "Type" }</th><th class="right">{ "Size" }</th><th class="right">{ "Inode" }</th></tr></thead>
                    <tbody>
                        { for p.entries.iter().map(|e| html! {
                            <tr>
                                <td><a href={Link::new(Route::Files(format!("lost+found/{}", e.name)), fp.clone()).to_hash()}>{ &e.name }</a></td>
                                <td>{ type_short(e.kind) }</td>
                                <td class="num right">{ e.size.map(|s| s.to_string()).unwrap_or_default() }</td>
                                <td class="num right"><a href={Link::new(Route::Inode(e.ino), fp.clone()).to_hash()}>{ e.ino }</a></td>
                            </tr>
                        }) }
                    </tbody>
                </table>
                if p.total > p.entries.len() as u32 {
                    <p class="muted small">{ format!("and {} more (open lost+found in the tree)", p.total - p.entries.len() as u32) }</p>
                }
            </>
        },
    };

    let start_walk = {
        let (ctx, walk, cancel, live, image) =
            (ctx.clone(), walk.clone(), (*walk_cancel).clone(), (*live).clone(), o.id);
        Callback::from(move |_: MouseEvent| {
            walk.set(Walk::Running(Rc::new(UnreachableReport {
                progress: crate::worker::files::WalkProgress {
                    phase: WalkPhase::Tree,
                    dirs_read: 0,
                    dirs_expected: 0,
                    entries: 0,
                    reached: 0,
                    groups_done: 0,
                    groups_total: 0,
                    permille: 0,
                },
                inodes: Vec::new(),
                count: 0,
                problems: Vec::new(),
            })));
            run_walk(ctx.clone(), walk.clone(), cancel.clone(), live.clone(), image)
        })
    };
    let stop_walk = {
        let cancel = (*walk_cancel).clone();
        Callback::from(move |_: MouseEvent| cancel.set(true))
    };
    let unreachable_table = |r: &UnreachableReport| {
        html! {
            <>
                if r.count == 0 {
                    <p class="small ok-text" data-testid="unreachable-none">{ "None: every in-use inode is reached from /." }</p>
                } else {
                    <p class="small" data-testid="unreachable-count">{
                        if r.count == 1 { "1 in-use inode is not reached from / by any entry.".to_string() }
                        else { format!("{} in-use inodes are not reached from / by any entry.", r.count) }
                    }</p>
                    <table class="grid-table" data-testid="unreachable">
                        <thead><tr><th class="right">{ "Inode" }</th><th>{ "Type" }</th><th>{ "Mode" }</th><th class="right">{ "Size" }</th><th class="right">{ "Links" }</th></tr></thead>
                        <tbody>
                            { for r.inodes.iter().take(UNREACHABLE_ROWS).map(|u| html! {
                                <tr data-testid="unreachable-row" data-ino={u.ino.to_string()}>
                                    <td class="num right"><a href={Link::new(Route::Inode(u.ino), fp.clone()).to_hash()}>{ u.ino }</a></td>
                                    <td>{ type_short(u.kind) }</td>
                                    <td class="num">{ symbolic(u.mode) }</td>
                                    <td class="num right">{ u.size }</td>
                                    <td class="num right" title={if u.dtime != 0 { format!("dtime {}", u.dtime) } else { String::new() }}>{ u.links }</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                    if r.count > UNREACHABLE_ROWS as u64 {
                        <p class="muted small">{ format!("The first {UNREACHABLE_ROWS} are listed.") }</p>
                    }
                }
                if !r.problems.is_empty() {
                    <ul class="problems compact">
                        { for r.problems.iter().take(10).map(|p| html! { <li class="problem error">{ &p.message }</li> }) }
                    </ul>
                }
            </>
        }
    };
    let walk_html = match &*walk {
        Walk::Idle => html! {
            <>
                <p class="muted small">{ "In use per the inode bitmaps, yet no directory entry leads to them (e2fsck's \"unattached inodes\"). Finding them reads every directory." }</p>
                <button class="button small" onclick={start_walk} data-testid="unreachable-start">{ "Find unreachable inodes" }</button>
            </>
        },
        Walk::Running(r) => {
            let p = r.progress;
            let detail = match p.phase {
                WalkPhase::Tree => format!(
                    "{} directories of about {} read, {} entries",
                    p.dirs_read, p.dirs_expected, p.entries
                ),
                _ => format!("checking inode bitmaps: group {} of {}", p.groups_done, p.groups_total),
            };
            html! {
                <>
                    <Progress label="Walking the tree" fraction={Some(f64::from(p.permille) / 1000.0)} detail={AttrValue::from(detail)} />
                    <button class="button small" onclick={stop_walk} data-testid="unreachable-cancel">{ "Cancel" }</button>
                </>
            }
        }
        Walk::Stopped(r) => html! {
            <>
                <p class="muted small">{ format!("Stopped after {} directories ({} found so far).", r.progress.dirs_read, r.count) }</p>
                <button class="button small" onclick={start_walk} data-testid="unreachable-start">{ "Continue" }</button>
            </>
        },
        Walk::Done(r) => html! { <div data-testid="unreachable-done">{ unreachable_table(r) }</div> },
        Walk::Failed(e) => html! { <p class="banner bad small">{ e }</p> },
    };

    html! {
        <div class="files-view" data-testid="files-view">
            <div class="title-row">
                <h1>{ "Files" }</h1>
                <span class="muted num ft-where" data-testid="files-selected">{ format!("/{selected}") }</span>
                <span class="spacer"></span>
                <form class="jump" {onsubmit} role="search">
                    <label for="files-q">{ "Path or inode" }</label>
                    <input id="files-q" name="q" type="search" placeholder="/etc/passwd or #12" data-testid="files-search" />
                    <button type="submit" class="button small">{ "Go" }</button>
                </form>
                <CopyLink link={Link::new(Route::Files(selected.clone()), fp.clone())} />
            </div>
            if let Some(b) = &*busy { <p class="muted small" role="status">{ b }</p> }
            if let Some((bad, text)) = notice {
                <p class={classes!("banner", if bad { "bad" } else { "warn" })} role="alert" data-testid="files-notice">{ text }</p>
            }
            <div class="ft-layout">
                <div class="ft-main">
                    <div class="ft-bar">
                        { dir_info }
                        <span class="spacer"></span>
                        <span class="ft-order" role="group" aria-label="Order of entries">
                            <button type="button" class={classes!("button", "small", (order == Order::Disk).then_some("current"))}
                                    aria-pressed={(order == Order::Disk).to_string()} onclick={set_disk}
                                    title="As stored on disk (hash order in htree directories), like debugfs ls" data-testid="order-disk">{ "On disk" }</button>
                            <button type="button" class={classes!("button", "small", (order == Order::Name).then_some("current"))}
                                    aria-pressed={(order == Order::Name).to_string()} onclick={set_name}
                                    title="By name (byte order, like LC_ALL=C ls)" data-testid="order-name">{ "By name" }</button>
                        </span>
                    </div>
                    <div class="ft" ref={scroller} {onscroll} {onkeydown} tabindex="0" role="treegrid"
                         aria-label="Directory tree" aria-rowcount={n.to_string()} data-testid="file-tree">
                        <div class="ft-row ft-head" role="row">
                            <div role="columnheader">{ "Name" }</div>
                            <div role="columnheader" title="type from the inode's i_mode">{ "Type" }</div>
                            <div role="columnheader" title="i_mode">{ "Mode" }</div>
                            <div role="columnheader" class="right" title="i_size in bytes">{ "Size" }</div>
                            <div role="columnheader" class="right" title="i_links_count">{ "Links" }</div>
                            <div role="columnheader" class="right">{ "Inode" }</div>
                        </div>
                        <div class="ft-body" ref={body}>
                            <div class="ft-rows" ref={rows_box}>{ rendered }</div>
                        </div>
                    </div>
                    <p class="muted small">{ "↑↓ move · → open · ← close or go up · Enter opens a directory or a file's inode page. On disk: the order debugfs ls shows (hash order in htree directories)." }</p>
                </div>
                <aside class="ft-side">
                    <section class="card">
                        <h2>{ "lost+found" }</h2>
                        { lost_html }
                    </section>
                    <section class="card" data-testid="unreachable-card">
                        <h2>{ "Unreachable in-use inodes" }</h2>
                        { walk_html }
                    </section>
                </aside>
            </div>
        </div>
    }
}
