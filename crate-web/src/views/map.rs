//! `#/map`: every block of the disk on a canvas, coloured by what owns it.
//! The worker runs the ownership scan in slices (`Request::Scan` with a
//! budget sized to ~50 ms); each answer carries progress and a bounded summary
//! of the blocks in view, so the map fills in while the page stays
//! responsive. Zoom from the whole disk to single blocks (wheel, buttons,
//! +/−/0 and arrow keys); hover says what a block is, click opens it.

use std::cell::Cell;
use std::rc::Rc;

use ext4scope_core::ownership::{KindCount, OwnerKind, Phase, Progress};
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, KeyboardEvent, WheelEvent};
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::app::{navigate, use_ctx};
use crate::b64;
use crate::format;
use crate::route::{Link, Route};
use crate::state::OpenImage;
use crate::widgets::copy_link::CopyLink;
use crate::worker::inspect::bucket;
use crate::worker::protocol::{Request, Response};

/// Cell size in CSS pixels at the whole-disk view.
const CELL: f64 = 6.0;
const CANVAS_H: f64 = 440.0;

/// Props.
#[derive(Properties, PartialEq)]
pub struct Props {
    /// The open image.
    pub image: OpenImage,
}

/// Colour of a kind on the canvas.
pub fn colour(k: OwnerKind, dark: bool) -> &'static str {
    use OwnerKind::*;
    match k {
        Free => {
            if dark {
                "#232932"
            } else {
                "#e9ecf0"
            }
        }
        BootBlock | Superblock => "#d62728",
        GroupDescriptors => "#ff7f0e",
        ReservedGdt => "#ffbb78",
        BlockBitmap => "#8c564b",
        InodeBitmap => "#c49c94",
        InodeTable => "#9467bd",
        Mmp => "#e7298a",
        Journal => "#17becf",
        ResizeInode | Quota | OrphanFile | BadBlocks | BootLoader | ReservedInode => "#7f7f7f",
        FileData => "#2ca02c",
        DirData => "#1f77b4",
        SymlinkData => "#e377c2",
        OtherData => "#bcbd22",
        ExtentTree | Ind | Dind | Tind => "#f2b701",
        Xattr => "#aec7e8",
    }
}

/// Words for a kind.
pub fn words(k: OwnerKind) -> &'static str {
    use OwnerKind::*;
    match k {
        Free => "free",
        BootBlock => "boot block",
        Superblock => "superblock",
        GroupDescriptors => "group descriptors",
        ReservedGdt => "reserved GDT",
        BlockBitmap => "block bitmap",
        InodeBitmap => "inode bitmap",
        InodeTable => "inode table",
        Mmp => "MMP block",
        Journal => "journal",
        ResizeInode => "resize inode",
        Quota => "quota",
        OrphanFile => "orphan file",
        BadBlocks => "bad blocks list",
        BootLoader => "boot loader",
        ReservedInode => "reserved inode data",
        FileData => "file data",
        DirData => "directory",
        SymlinkData => "symlink target",
        OtherData => "other inode data",
        ExtentTree => "extent tree node",
        Ind => "indirect block",
        Dind => "double indirect block",
        Tind => "triple indirect block",
        Xattr => "xattr block",
    }
}

#[derive(Clone, PartialEq, Default)]
struct Summary {
    start: u64,
    end: u64,
    per: u64,
    packed: Rc<Vec<u8>>,
    cols: usize,
}

#[derive(Clone, PartialEq)]
struct ScanState {
    progress: Option<Progress>,
    by_kind: Vec<KindCount>,
    running: bool,
    error: Option<String>,
}

fn dark() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .is_some_and(|m| m.matches())
}

fn draw(canvas: &HtmlCanvasElement, s: &Summary) {
    let Some(ctx) =
        canvas.get_context("2d").ok().flatten().and_then(|c| c.dyn_into::<CanvasRenderingContext2d>().ok())
    else {
        return;
    };
    let (w, h) = (f64::from(canvas.width()), f64::from(canvas.height()));
    let dark = dark();
    ctx.clear_rect(0.0, 0.0, w, h);
    if s.cols == 0 {
        return;
    }
    let cell = w / s.cols as f64;
    let gap = if cell >= 8.0 { 1.0 } else { 0.0 };
    let n = s.packed.len() / 8;
    for i in 0..n {
        let Some((kind, share, flags, _)) = bucket(&s.packed, i) else { break };
        let (x, y) = ((i % s.cols) as f64 * cell, (i / s.cols) as f64 * cell);
        ctx.set_fill_style_str(colour(OwnerKind::Free, dark));
        ctx.fill_rect(x, y, cell - gap, cell - gap);
        if kind != OwnerKind::Free || share > 0 {
            ctx.set_global_alpha(0.35 + 0.65 * f64::from(share) / 255.0);
            ctx.set_fill_style_str(colour(kind, dark));
            ctx.fill_rect(x, y, cell - gap, cell - gap);
            ctx.set_global_alpha(1.0);
        }
        if flags & 1 != 0 {
            ctx.set_stroke_style_str("#ff0000");
            ctx.stroke_rect(x + 0.5, y + 0.5, cell - 1.0, cell - 1.0);
        }
    }
}

/// Let the browser run other tasks (input, drawing) before going on.
async fn yield_now() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// The map page.
#[component]
pub fn MapView(props: &Props) -> Html {
    let ctx = use_ctx();
    let total = props.image.info.blocks_count.max(1);
    let fp = props.image.at();
    // The blocks in view: [start, start + span).
    let view = use_state(|| (0u64, total));
    let summary = use_state(Summary::default);
    let scan = use_state(|| ScanState { progress: None, by_kind: Vec::new(), running: true, error: None });
    let hover = use_state(|| None::<String>);
    let canvas = use_node_ref();
    let cancel = use_memo(props.image.id, |_| Rc::new(Cell::new(false)));
    let view_now = use_memo(props.image.id, |_| Rc::new(Cell::new((0u64, total))));
    let cols_now = use_memo(props.image.id, |_| Rc::new(Cell::new(0usize)));

    // The grid for the canvas's width: cols x rows buckets.
    let grid = {
        let canvas = canvas.clone();
        move || -> (usize, usize) {
            let w =
                canvas.cast::<HtmlCanvasElement>().map_or(1200.0, |c| f64::from(c.client_width()).max(100.0));
            ((w / CELL).floor() as usize, (CANVAS_H / CELL).floor() as usize)
        }
    };

    // The scan loop (and summaries of the view).
    let fetch = {
        let (ctx, summary, scan, cancel, view_now, cols_now, grid) = (
            ctx.clone(),
            summary.clone(),
            scan.clone(),
            (*cancel).clone(),
            (*view_now).clone(),
            (*cols_now).clone(),
            grid.clone(),
        );
        Rc::new(move |step: bool| {
            let (ctx, summary, scan, cancel, view_now, cols_now, grid) = (
                ctx.clone(),
                summary.clone(),
                scan.clone(),
                cancel.clone(),
                view_now.clone(),
                cols_now.clone(),
                grid.clone(),
            );
            spawn_local(async move {
                let mut budget: u64 = 256;
                loop {
                    let (start, span) = view_now.get();
                    let (cols, rows) = grid();
                    // One block per cell once zoomed in far enough.
                    let cols = if span < (cols * rows) as u64 { cols.clamp(16, 64) } else { cols };
                    let rows_needed = (span as usize).div_ceil(cols).min(rows).max(1);
                    let buckets = (cols * rows_needed) as u32;
                    let b = if step && !cancel.get() { budget } else { 0 };
                    let t0 = js_sys::Date::now();
                    let r = ctx
                        .services
                        .request(Request::Scan { budget: b, start, end: start + span, buckets })
                        .await;
                    let mut dt = js_sys::Date::now() - t0;
                    match r {
                        Response::Scan {
                            progress,
                            start,
                            end,
                            per,
                            buckets,
                            by_kind,
                            error,
                            worked_ms,
                            ..
                        } => {
                            // Size the next slice on the worker's own time when
                            // it says (the round trip adds decoding and drawing).
                            if worked_ms > 0.0 {
                                dt = worked_ms;
                            }
                            let packed = Rc::new(b64::decode(&buckets).unwrap_or_default());
                            // Columns so that the buckets fill the canvas (bigger
                            // cells for small disks), in whole rows.
                            let n = packed.len() / 8;
                            let cols = crate::grid::fill_cols(n, cols as f64 * CELL, rows as f64 * CELL);
                            cols_now.set(cols);
                            summary.set(Summary { start, end, per, packed, cols });
                            let done = progress.phase == Phase::Done;
                            let running = step && !done && !cancel.get() && error.is_none();
                            scan.set(ScanState { progress: Some(progress), by_kind, running, error });
                            if !running {
                                break;
                            }
                        }
                        Response::Failed { error } => {
                            scan.set(ScanState {
                                progress: None,
                                by_kind: Vec::new(),
                                running: false,
                                error: Some(error.to_string()),
                            });
                            break;
                        }
                        _ => break,
                    }
                    // Aim for slices of SLICE_MS; let the page breathe between them.
                    budget = crate::widgets::progress::next_budget(budget, dt);
                    yield_now().await;
                }
            });
        })
    };
    {
        let fetch = fetch.clone();
        let cancel = (*cancel).clone();
        use_effect_with(props.image.id, move |_| {
            cancel.set(false);
            fetch(true);
            move || cancel.set(true)
        });
    }
    {
        let (canvas, summary) = (canvas.clone(), summary.clone());
        use_effect_with(summary, move |s| {
            if let Some(c) = canvas.cast::<HtmlCanvasElement>() {
                let dpr = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio());
                let w = (f64::from(c.client_width()) * dpr).round() as u32;
                let h = (CANVAS_H * dpr).round() as u32;
                if c.width() != w || c.height() != h {
                    c.set_width(w);
                    c.set_height(h);
                }
                draw(&c, s);
            }
        });
    }

    let set_view = {
        let (view, view_now, fetch, scan) = (view.clone(), (*view_now).clone(), fetch.clone(), scan.clone());
        Rc::new(move |start: u64, span: u64| {
            let span = span.clamp(1, total);
            let start = start.min(total - span);
            view.set((start, span));
            view_now.set((start, span));
            if !scan.running {
                fetch(false);
            }
        })
    };
    let (start, span) = *view;
    let zoom = {
        let set_view = set_view.clone();
        Rc::new(move |factor: f64, around: u64| {
            let new_span = ((span as f64 * factor).round() as u64).clamp(1, total);
            let rel = (around.saturating_sub(start)) as f64 / span as f64;
            let new_start = (around as f64 - rel * new_span as f64).max(0.0) as u64;
            set_view(new_start, new_span);
        })
    };
    // Which block range is under a point of the canvas.
    let at = {
        let (canvas, summary) = (canvas.clone(), summary.clone());
        move |x: f64, y: f64| -> Option<(u64, u64)> {
            let c = canvas.cast::<HtmlCanvasElement>()?;
            let s = &*summary;
            if s.cols == 0 {
                return None;
            }
            let cell = f64::from(c.client_width()) / s.cols as f64;
            let (col, row) = ((x / cell) as usize, (y / cell) as usize);
            if col >= s.cols {
                return None;
            }
            let i = row * s.cols + col;
            let a = s.start.checked_add(i as u64 * s.per)?;
            (a < s.end && i < s.packed.len() / 8).then(|| (a, (a + s.per).min(s.end)))
        }
    };
    let onmousemove = {
        let (at, hover, summary) = (at.clone(), hover.clone(), summary.clone());
        Callback::from(move |e: MouseEvent| {
            let text = at(f64::from(e.offset_x()), f64::from(e.offset_y())).map(|(a, b)| {
                let s = &*summary;
                let i = ((a - s.start) / s.per.max(1)) as usize;
                let (kind, share, flags, mask) = bucket(&s.packed, i).unwrap_or((OwnerKind::Free, 0, 0, 0));
                let kinds: Vec<&str> = OwnerKind::ALL
                    .iter()
                    .filter(|k| mask & (1 << (**k as u32)) != 0)
                    .map(|k| words(*k))
                    .collect();
                let range = if b - a == 1 { format!("Block {a}") } else { format!("Blocks {a}-{}", b - 1) };
                let dup = if flags & 1 != 0 { " · claimed more than once" } else { "" };
                if b - a == 1 {
                    format!("{range}: {}{dup} — click to open", if share > 0 { words(kind) } else { "free" })
                } else {
                    format!(
                        "{range}: mostly {}, {:.0}% in use ({}){dup} — click to open the first",
                        words(kind),
                        f64::from(share) / 2.55,
                        if kinds.is_empty() { "nothing".into() } else { kinds.join(", ") }
                    )
                }
            });
            hover.set(text);
        })
    };
    let onclick = {
        let (at, fp) = (at.clone(), fp.clone());
        Callback::from(move |e: MouseEvent| {
            if let Some((a, _)) = at(f64::from(e.offset_x()), f64::from(e.offset_y())) {
                navigate(&Link::new(Route::Block(a), fp.clone()));
            }
        })
    };
    let onwheel = {
        let (at, zoom) = (at.clone(), zoom.clone());
        Callback::from(move |e: WheelEvent| {
            e.prevent_default();
            let around =
                at(f64::from(e.offset_x()), f64::from(e.offset_y())).map_or(start + span / 2, |r| r.0);
            zoom(if e.delta_y() < 0.0 { 0.5 } else { 2.0 }, around);
        })
    };
    let onkeydown = {
        let (zoom, set_view) = (zoom.clone(), set_view.clone());
        Callback::from(move |e: KeyboardEvent| {
            let mid = start + span / 2;
            let step = (span / 4).max(1);
            match e.key().as_str() {
                "+" | "=" => zoom(0.5, mid),
                "-" | "_" => zoom(2.0, mid),
                "0" => set_view(0, total),
                "ArrowRight" | "ArrowDown" => set_view(start.saturating_add(step), span),
                "ArrowLeft" | "ArrowUp" => set_view(start.saturating_sub(step), span),
                _ => return,
            }
            e.prevent_default();
        })
    };
    let button = |label: &'static str, title: &'static str, f: Rc<dyn Fn()>| {
        html! { <button type="button" class="button small" {title} onclick={Callback::from(move |_| f())}>{ label }</button> }
    };
    let zin = {
        let zoom = zoom.clone();
        Rc::new(move || zoom(0.5, start + span / 2)) as Rc<dyn Fn()>
    };
    let zout = {
        let zoom = zoom.clone();
        Rc::new(move || zoom(2.0, start + span / 2)) as Rc<dyn Fn()>
    };
    let whole = {
        let set_view = set_view.clone();
        Rc::new(move || set_view(0, total)) as Rc<dyn Fn()>
    };

    let s = &*scan;
    let progress = match (&s.progress, s.running) {
        (Some(p), _) if p.phase == Phase::Done => html! {
            <span class="ok-text small" data-testid="map-done">{ format!("Scan complete: {} inodes", p.inodes_scanned) }</span>
        },
        (p, running) => {
            let permille = p.map_or(0, |p| p.permille);
            let cancel_btn = {
                let cancel = (*cancel).clone();
                let scan = scan.clone();
                Callback::from(move |_: MouseEvent| {
                    cancel.set(true);
                    scan.set(ScanState { running: false, ..(*scan).clone() });
                })
            };
            let resume = {
                let (cancel, fetch) = ((*cancel).clone(), fetch.clone());
                Callback::from(move |_: MouseEvent| {
                    cancel.set(false);
                    fetch(true);
                })
            };
            html! {
                <span class="download" data-testid="map-progress">
                    <progress max="1000" value={permille.to_string()} aria-label="Scan progress"></progress>
                    <span class="muted small">{ format!(" {:.1}% · {} of {} inodes ", f64::from(permille) / 10.0, p.map_or(0, |p| p.inodes_scanned), p.map_or(0, |p| p.inodes_expected)) }</span>
                    if running {
                        <button class="button small" onclick={cancel_btn} data-testid="map-cancel">{ "Cancel" }</button>
                    } else {
                        <button class="button small" onclick={resume}>{ "Resume scan" }</button>
                    }
                </span>
            }
        }
    };
    let owned: u64 = s.by_kind.iter().map(|k| k.blocks).sum();
    let legend = {
        let dark = dark();
        let mut items: Vec<(OwnerKind, u64)> = s.by_kind.iter().map(|k| (k.kind, k.blocks)).collect();
        items.push((OwnerKind::Free, total.saturating_sub(owned)));
        html! {
            <div class="legend small" data-testid="map-legend">
                { for items.into_iter().map(|(k, n)| html! {
                    <span class="legend-item" title={k.name()}>
                        <svg width="12" height="12" aria-hidden="true"><rect width="12" height="12" rx="2" fill={colour(k, dark)} /></svg>
                        { format!("{} ({})", words(k), n) }
                    </span>
                }) }
            </div>
        }
    };
    html! {
        <div class="map-view" data-testid="map-view">
            <div class="title-row">
                <h1>{ "Block map" }</h1>
                { progress }
                <span class="spacer"></span>
                <CopyLink link={Link::new(Route::Map, fp.clone())} />
            </div>
            if let Some(e) = &s.error { <p class="banner bad" role="alert">{ e }</p> }
            <div class="map-toolbar">
                { button("+", "Zoom in (+)", zin) }
                { button("−", "Zoom out (−)", zout) }
                { button("Whole disk", "Show every block (0)", whole) }
                <span class="muted small num" data-testid="map-range">
                    { format!("blocks {}-{} of {} ({} per cell)", start, start + span - 1, total, summary.per.max(1)) }
                </span>
                <span class="muted small">{ format!("· {} in use", format::bytes(owned.saturating_mul(u64::from(props.image.info.block_size)))) }</span>
            </div>
            <div class="map-canvas-wrap" tabindex="0" {onkeydown} aria-label="Block map: + and − zoom, arrows move, 0 shows the whole disk">
                <canvas class="map-canvas" ref={canvas} data-testid="map-canvas" {onmousemove} {onclick} {onwheel}></canvas>
            </div>
            <p class="map-hover" data-testid="map-hover">{ (*hover).clone().unwrap_or_else(|| "Point at a cell to see what it holds; click to open it.".to_string()) }</p>
            { legend }
        </div>
    }
}
