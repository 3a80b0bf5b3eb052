//! A file's block map as a virtualised table: one row per leaf extent (or run
//! of data pointers in one indirect block) with the node it sits in, fetched
//! from the worker page by page as it scrolls into view, so millions of
//! extents cost what fits on screen. A search box finds the row holding a
//! logical ("L 1234", or a plain number) or physical ("P 5678") block; ↑ ↓,
//! Page Up/Down, Home and End move the highlighted row.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlInputElement};
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::app::use_ctx;
use crate::format;
use crate::route::{ImageRef, Link, Route};
use crate::widgets::virtual_rows::{use_virtual_rows, VirtualRows};
use crate::worker::filemap::{parse_query, MapRow};
use crate::worker::protocol::{Request, Response};

/// Row height in CSS pixels (must match `.xt-row` in inspector.css).
const ROW_H: f64 = 26.0;
/// Rows rendered above and below the visible ones.
const OVERSCAN: u32 = 24;
/// Tables this small are rendered whole (every row in the DOM).
const ALL_RENDERED: u32 = 128;
/// Rows per request.
const PAGE: u32 = 256;

/// Props.
#[derive(Properties, PartialEq)]
pub struct Props {
    /// The inode.
    pub ino: u32,
    /// Rows in the table.
    pub total: u32,
    /// Extent rows (false: runs of an indirect map).
    pub extents: bool,
    /// Fingerprint for the links.
    pub fp: ImageRef,
    /// Scroll to and highlight this row (the second number changes per ask).
    #[prop_or_default]
    pub jump: Option<(u32, u32)>,
}

#[derive(Default)]
struct Pages {
    /// Per page: `None` not asked for, empty while asked for.
    rows: Vec<Option<Rc<Vec<MapRow>>>>,
    failed: Option<String>,
}

/// Scroll `row` into view: to the middle (`centre`), or just enough.
fn scroll_to(scroller: &NodeRef, row: u32, measure: &Rc<dyn Fn()>, centre: bool) {
    if let Some(el) = scroller.cast::<HtmlElement>() {
        let (top, h) = (f64::from(el.scroll_top()), f64::from(el.client_height()));
        let y = f64::from(row) * ROW_H;
        // The sticky head is one row tall.
        if centre {
            el.set_scroll_top((y - h / 2.0 + ROW_H).max(0.0) as i32);
        } else if y < top {
            el.set_scroll_top(y as i32);
        } else if y + 2.0 * ROW_H > top + h {
            el.set_scroll_top((y + 2.0 * ROW_H - h) as i32);
        }
        measure();
    }
}

/// The table.
#[component]
pub fn MapTable(props: &Props) -> Html {
    let ctx = use_ctx();
    let pages = use_mut_ref(Pages::default);
    let redraw = use_force_update();
    let focus = use_state_eq(|| None::<u32>);
    let note = use_state(|| None::<(bool, String)>);
    let n = props.total;
    let VirtualRows { scroller, body, rows_box, start, end, visible, onscroll, measure } =
        use_virtual_rows(n, ROW_H, if n <= ALL_RENDERED { ALL_RENDERED } else { OVERSCAN });
    {
        // Fetch the pages the rendered rows need.
        let (pages, redraw, services, ino) = (pages.clone(), redraw.clone(), ctx.services.clone(), props.ino);
        use_effect_with((start, end), move |&(start, end)| {
            if end > start {
                for p in start / PAGE..=(end - 1) / PAGE {
                    {
                        let mut pg = pages.borrow_mut();
                        let i = p as usize;
                        if pg.rows.len() <= i {
                            pg.rows.resize(i + 1, None);
                        }
                        if pg.rows[i].is_some() {
                            continue;
                        }
                        pg.rows[i] = Some(Rc::new(Vec::new()));
                    }
                    let (pages, redraw, services) = (pages.clone(), redraw.clone(), services.clone());
                    spawn_local(async move {
                        let answer =
                            services.request(Request::FileMap { ino, start: p * PAGE, count: PAGE }).await;
                        let mut pg = pages.borrow_mut();
                        match answer {
                            Response::FileMap { page } => pg.rows[p as usize] = Some(Rc::new(page.rows)),
                            Response::Failed { error } => pg.failed = Some(error.to_string()),
                            other => pg.failed = Some(format!("unexpected answer: {}", other.kind())),
                        }
                        drop(pg);
                        redraw.force_update();
                    });
                }
            }
        });
    }
    {
        // A row asked for from outside (the tree): scroll to it, highlight it.
        let (scroller, measure, focus) = (scroller.clone(), measure.clone(), focus.clone());
        use_effect_with(props.jump, move |jump| {
            if let Some((row, _)) = *jump {
                focus.set(Some(row));
                scroll_to(&scroller, row, &measure, true);
                if let Some(el) = scroller.cast::<HtmlElement>() {
                    let _ = el.focus();
                    el.scroll_into_view_with_bool(false);
                }
            }
        });
    }
    let row_at = |r: u32| -> Option<MapRow> {
        let pg = pages.borrow();
        pg.rows.get((r / PAGE) as usize)?.as_ref()?.get((r % PAGE) as usize).copied()
    };

    let onsubmit = {
        let (services, ino, focus, note) = (ctx.services.clone(), props.ino, focus.clone(), note.clone());
        let (scroller, measure) = (scroller.clone(), measure.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let input = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok())
                .and_then(|f| f.elements().named_item("q"))
                .and_then(|i| i.dyn_into::<HtmlInputElement>().ok());
            let text = input.map(|i| i.value()).unwrap_or_default();
            let Some((logical, physical)) = parse_query(&text) else {
                note.set(Some((
                    true,
                    format!(
                        "“{}”: type a logical block (L 1234 or 1234) or a physical one (P 5678)",
                        text.trim()
                    ),
                )));
                return;
            };
            let (services, focus, note, scroller, measure) =
                (services.clone(), focus.clone(), note.clone(), scroller.clone(), measure.clone());
            spawn_local(async move {
                let what = match (logical, physical) {
                    (Some(l), _) => format!("Logical block {l}"),
                    (_, Some(p)) => format!("Physical block {p}"),
                    _ => String::new(),
                };
                match services.request(Request::FileMapFind { ino, logical, physical }).await {
                    Response::FileMapFind { row: Some(r), exact, .. } => {
                        focus.set(Some(r));
                        scroll_to(&scroller, r, &measure, true);
                        let where_ = if exact { "is in row" } else { "is not mapped; the next row up is" };
                        note.set(Some((false, format!("{what} {where_} {}.", r + 1))));
                    }
                    Response::FileMapFind { row: None, .. } => {
                        note.set(Some((true, format!("{what} is past the file's last mapped block."))));
                    }
                    Response::Failed { error } => note.set(Some((true, error.to_string()))),
                    other => note.set(Some((true, format!("unexpected answer: {}", other.kind())))),
                }
            });
        })
    };
    let onkeydown = {
        let (focus, scroller, measure) = (focus.clone(), scroller.clone(), measure.clone());
        Callback::from(move |e: KeyboardEvent| {
            if n == 0 || e.alt_key() || e.ctrl_key() || e.meta_key() {
                return;
            }
            let cur = (*focus).unwrap_or(start.saturating_sub(0));
            let page = visible.max(2) - 1;
            let next = match e.key().as_str() {
                "ArrowDown" if focus.is_none() => cur,
                "ArrowDown" => cur.saturating_add(1),
                "ArrowUp" => cur.saturating_sub(1),
                "PageDown" => cur.saturating_add(page),
                "PageUp" => cur.saturating_sub(page),
                "Home" => 0,
                "End" => n - 1,
                _ => return,
            }
            .min(n - 1);
            e.prevent_default();
            focus.set(Some(next));
            scroll_to(&scroller, next, &measure, false);
        })
    };

    let fp = &props.fp;
    let testid = if props.extents { "extent-row" } else { "run-row" };
    let rows = (start..end)
        .map(|r| {
            let focused = *focus == Some(r);
            match row_at(r) {
                Some(m) => {
                    let last = |a: u64| a.saturating_add(m.len.saturating_sub(1));
                    let node = match m.block {
                        Some(b) => html! { <><a href={Link::new(Route::Block(b), fp.clone()).to_hash()}>{ b }</a>{ format!(" · level {}", m.level) }</> },
                        None => html! { { "i_block · level 0" } },
                    };
                    html! {
                        <div class={classes!("xt-row", focused.then_some("focus"))} role="row" aria-rowindex={(r + 2).to_string()}
                             data-testid={testid} data-row={r.to_string()}
                             data-logical={m.logical.to_string()} data-physical={m.physical.to_string()}
                             data-len={m.len.to_string()} data-unwritten={m.unwritten.to_string()}
                             data-node={m.block.map(|b| b.to_string()).unwrap_or_default()}>
                            <div role="cell" class="muted">{ r + 1 }</div>
                            <div role="cell">{ format::block_range(m.logical, last(m.logical)) }</div>
                            <div role="cell"><a href={Link::new(Route::Block(m.physical), fp.clone()).to_hash()}>{ format::block_range(m.physical, last(m.physical)) }</a></div>
                            <div role="cell" class="right">{ m.len }</div>
                            <div role="cell">{ if m.unwritten { "unwritten" } else { "" } }</div>
                            <div role="cell">{ node }</div>
                        </div>
                    }
                }
                None => html! {
                    <div class="xt-row placeholder" role="row">{ pages.borrow().failed.clone().unwrap_or_else(|| "…".into()) }</div>
                },
            }
        })
        .collect::<Html>();
    let what = if props.extents { "leaf extents" } else { "data runs (per indirect block)" };
    html! {
        <div class="map-table">
            <div class="title-row compact">
                <h3 data-testid="map-rows" data-total={n.to_string()}>{ format!("{n} {what}") }</h3>
                <span class="spacer"></span>
                <form class="jump" {onsubmit} data-testid="map-find">
                    <label for="map-q">{ "Find block" }</label>
                    <input id="map-q" name="q" type="search" placeholder="L 1234 or P 5678" autocomplete="off"
                           data-testid="map-find-input" />
                    <button type="submit" class="button small">{ "Find" }</button>
                </form>
            </div>
            if let Some((bad, text)) = &*note {
                <p class={classes!("small", if *bad { "bad-text" } else { "muted" })} data-testid="map-find-result" role="status">{ text }</p>
            }
            <div class="xt" ref={scroller} {onscroll} {onkeydown} tabindex="0" role="table"
                 aria-label={format!("The file's {what}")} aria-rowcount={(n + 1).to_string()} data-testid="map-table">
                <div class="xt-row xt-head" role="row" aria-rowindex="1">
                    <div role="columnheader">{ "#" }</div>
                    <div role="columnheader">{ "Logical" }</div>
                    <div role="columnheader">{ "Physical" }</div>
                    <div role="columnheader" class="right">{ "Blocks" }</div>
                    <div role="columnheader">{ "Flags" }</div>
                    <div role="columnheader">{ if props.extents { "Node (block · level)" } else { "Block (IND/DIND/TIND · level)" } }</div>
                </div>
                <div class="xt-body" ref={body}>
                    <div class="xt-rows" ref={rows_box}>{ rows }</div>
                </div>
            </div>
        </div>
    }
}
