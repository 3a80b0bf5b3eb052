//! `#/journal`: the jbd2 journal — its superblock, what recovery would do,
//! and its transactions as a timeline: one column per transaction in log
//! order (older intact ones, the history, first and greyed), one cell per
//! journal block it occupies, coloured by what the block is (descriptor,
//! logged metadata by kind, revoke, commit); checksum failures red, copies a
//! later transaction revokes hatched, uncommitted transactions outlined, the
//! point where recovery stops and the state shown marked.
//!
//! The timeline is a canvas over a scroller as wide as all columns: only the
//! columns in view are drawn, and their transactions are fetched from the
//! worker a page at a time, so a journal of 10,000 transactions costs what
//! fits on the screen.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use ext4scope_core::ownership::OwnerKind;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, HtmlElement, KeyboardEvent};
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::app::{navigate, use_ctx, Ctx};
use crate::route::{CrashPoint, Link, Route};
use crate::state::{JournalInfo, OpenImage};
use crate::widgets::checksum::Checksum;
use crate::widgets::copy_link::CopyLink;
use crate::widgets::download_state::DownloadState;
use crate::worker::journal::{
    cell, cell_words, cells_of, kind_words, JournalSummary, TxSummary, MAX_TX_PAGE,
};
use crate::worker::protocol::{Request, Response};

/// Column pitch (column and gap, CSS pixels): as wide as the view allows for
/// a few transactions, this narrow for many.
const MIN_PITCH: f64 = 18.0;
const MAX_PITCH: f64 = 72.0;

/// Column pitch for `n` transactions in a view `width` wide.
fn pitch_for(n: u32, width: f64) -> f64 {
    if n == 0 {
        return MIN_PITCH;
    }
    (width / f64::from(n)).floor().clamp(MIN_PITCH, MAX_PITCH)
}

/// Column width and gap for a pitch.
fn col_gap(pitch: f64) -> (f64, f64) {
    let w = (pitch - 4.0).min(pitch * 0.7).max(14.0);
    (w, pitch - w)
}
/// Tallest canvas, and its bands: state band at the top, labels at the bottom.
const CANVAS_H: f64 = 300.0;
/// Least room for cells.
const MIN_AREA: f64 = 60.0;
const TOP: f64 = 30.0;
const BOTTOM: f64 = 44.0;
/// Tallest cell.
const MAX_CELL_H: f64 = 12.0;
/// Transactions kept in the page (the ones far from the view go first).
const MAX_KEPT: usize = 8192;

/// Props.
#[derive(Properties, PartialEq)]
pub struct Props {
    /// The open image.
    pub image: OpenImage,
}

/// A transaction with its cells unpacked.
struct Column {
    tx: TxSummary,
    cells: Vec<u8>,
}

/// What the page has fetched.
#[derive(Default)]
struct Timeline {
    total: Option<u32>,
    cols: HashMap<u32, Rc<Column>>,
    /// A page request is on its way.
    busy: bool,
    error: Option<String>,
    /// Bumped on every change (redraws).
    version: u64,
}

fn dark() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .is_some_and(|m| m.matches())
}

/// Colour of a cell code.
pub fn cell_colour(code: u8, dark: bool) -> &'static str {
    match code & cell::CODE {
        cell::DESCRIPTOR => {
            if dark {
                "#c8ced8"
            } else {
                "#3b4252"
            }
        }
        cell::REVOKE => "#c2185b",
        cell::COMMIT => {
            if dark {
                "#ffffff"
            } else {
                "#000000"
            }
        }
        cell::LOGGED => "#a3a8b0",
        cell::UNREADABLE => "#ff9896",
        c if c >= cell::KIND => crate::views::map::colour(OwnerKind::from_code(c - cell::KIND), dark),
        _ => "#888888",
    }
}

fn tx_state(t: &TxSummary) -> (&'static str, &'static str) {
    if t.history {
        ("history", "older transaction, already checkpointed (not replayed)")
    } else if !t.committed {
        ("uncommitted", "no commit block: never replayed")
    } else if t.replayed {
        ("replayed", "committed; recovery replays it")
    } else {
        ("not replayed", "committed, but after the point where recovery stops")
    }
}

fn band_colour(t: &TxSummary) -> &'static str {
    if t.bad > 0 {
        "#e5484d"
    } else if t.history {
        "#9aa1ab"
    } else if !t.committed {
        "#e3b341"
    } else if t.replayed {
        "#2da44e"
    } else {
        "#fb8500"
    }
}

/// The timeline index before which recovery stops (after the last
/// transaction it replays), for the tail marker.
fn tail_index(s: &JournalSummary, total: u32) -> Option<u32> {
    s.end.as_ref()?;
    // Replayed transactions open the live log, which follows the history.
    Some((s.history + s.crash_points.len() as u32).min(total))
}

fn draw(
    canvas: &HtmlCanvasElement,
    t: &Timeline,
    s: &JournalSummary,
    scroll: f64,
    pitch: f64,
    crash: CrashPoint,
    hot: Option<u32>,
) {
    let (col_w, gap) = col_gap(pitch);
    let Some(ctx) =
        canvas.get_context("2d").ok().flatten().and_then(|c| c.dyn_into::<CanvasRenderingContext2d>().ok())
    else {
        return;
    };
    let dpr = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio());
    let (w, h) = (f64::from(canvas.width()) / dpr, f64::from(canvas.height()) / dpr);
    let _ = ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0);
    ctx.clear_rect(0.0, 0.0, w, h);
    let dark = dark();
    let total = t.total.unwrap_or(0);
    if total == 0 {
        return;
    }
    let first = (scroll / pitch).floor().max(0.0) as u32;
    let last = (((scroll + w) / pitch).ceil() as u32).min(total);
    let area = h - TOP - BOTTOM;
    // One scale for the columns in view, so their heights compare.
    let tallest =
        (first..last).filter_map(|i| t.cols.get(&i)).map(|c| c.cells.len()).max().unwrap_or(1).max(1);
    let cell_h = (area / tallest as f64).min(MAX_CELL_H);
    let text = if dark { "#c8ced8" } else { "#3b4252" };
    ctx.set_font("10px ui-monospace, monospace");
    for i in first..last {
        let x = f64::from(i) * pitch - scroll + gap / 2.0;
        let Some(c) = t.cols.get(&i) else {
            ctx.set_fill_style_str(if dark { "#232932" } else { "#eef0f3" });
            ctx.fill_rect(x, TOP, col_w, 6.0);
            continue;
        };
        let tx = &c.tx;
        ctx.set_global_alpha(if tx.history { 0.35 } else { 1.0 });
        // State band.
        ctx.set_fill_style_str(band_colour(tx));
        ctx.fill_rect(x, 12.0, col_w, 8.0);
        // Cells, top to bottom in journal order (at least one pixel each).
        let n = c.cells.len();
        let col_h = (cell_h * n as f64).max(6.0);
        let ch = col_h / n.max(1) as f64;
        for (k, &code) in c.cells.iter().enumerate() {
            let y = TOP + k as f64 * ch;
            ctx.set_fill_style_str(cell_colour(code, dark));
            ctx.fill_rect(x, y, col_w, ch.max(1.0));
            if ch >= 3.0 {
                // Thin separators between blocks when there is room.
                ctx.set_fill_style_str(if dark { "#171b21" } else { "#ffffff" });
                ctx.fill_rect(x, y + ch - 0.6, col_w, 0.6);
            }
        }
        // Marks drawn over the cells so compression cannot hide them.
        for (k, &code) in c.cells.iter().enumerate() {
            let y = TOP + k as f64 * ch;
            if code & cell::SKIPPED != 0 {
                ctx.set_fill_style_str(if dark { "#0f1216" } else { "#ffffff" });
                ctx.set_global_alpha(0.55);
                ctx.fill_rect(x + col_w / 2.0, y, col_w / 2.0, ch.max(1.0));
                ctx.set_global_alpha(if tx.history { 0.35 } else { 1.0 });
            }
            if code & cell::BAD != 0 {
                ctx.set_fill_style_str("#ff1a1a");
                ctx.fill_rect(x - 1.0, y - 0.5, col_w + 2.0, ch.max(2.5));
            }
        }
        if !tx.committed && !tx.history {
            // Uncommitted: a dashed outline.
            let _ = ctx.set_line_dash(&js_sys::Array::of2(&3.0.into(), &2.0.into()));
            ctx.set_stroke_style_str("#e3b341");
            ctx.stroke_rect(x - 1.5, TOP - 1.5, col_w + 3.0, col_h + 3.0);
            let _ = ctx.set_line_dash(&js_sys::Array::new());
        }
        if hot == Some(i) {
            ctx.set_stroke_style_str("#1f6feb");
            ctx.set_line_width(2.0);
            ctx.stroke_rect(x - 2.0, 10.0, col_w + 4.0, col_h + TOP - 8.0);
            ctx.set_line_width(1.0);
        }
        // The sequence, rotated, under the column.
        ctx.set_global_alpha(if tx.history { 0.7 } else { 1.0 });
        ctx.save();
        let _ = ctx.translate(x + col_w / 2.0 + 3.5, h - 4.0);
        let _ = ctx.rotate(-std::f64::consts::FRAC_PI_2);
        ctx.set_fill_style_str(text);
        let _ = ctx.fill_text(&tx.sequence.to_string(), 0.0, 0.0);
        ctx.restore();
        ctx.set_global_alpha(1.0);
    }
    // Recovery stops here; and the state the app shows.
    let marker = |idx: u32, colour: &str, label: &str, y: f64| {
        let x = f64::from(idx) * pitch - scroll;
        if x < -1.0 || x > w + 1.0 {
            return;
        }
        ctx.set_stroke_style_str(colour);
        ctx.set_line_width(2.0);
        ctx.begin_path();
        ctx.move_to(x, 2.0);
        ctx.line_to(x, h - BOTTOM + 4.0);
        ctx.stroke();
        ctx.set_line_width(1.0);
        ctx.set_fill_style_str(colour);
        let _ = ctx.fill_text(label, x + 3.0, y);
    };
    if let Some(tail) = tail_index(s, total) {
        let label = match &s.end {
            Some(e) => format!("recovery stops (journal block {})", e.journal_block),
            None => "recovery stops".to_string(),
        };
        marker(tail, "#e5484d", &label, 9.0);
    }
    let state_idx = match crash {
        CrashPoint::Disk => None,
        CrashPoint::All => Some(s.history + s.crash_points.len() as u32),
        CrashPoint::After(n) => s.crash_points.iter().position(|&p| p == n).map(|k| s.history + k as u32 + 1),
    };
    if let Some(i) = state_idx {
        marker(i, "#1f6feb", "shown", h - BOTTOM + 16.0);
    }
}

/// Ask for the first missing transaction in view (one request at a time).
fn load_missing(ctx: &Ctx, tl: &Rc<RefCell<Timeline>>, redraw: &UseForceUpdateHandle, first: u32, last: u32) {
    let start = {
        let t = tl.borrow();
        if t.busy || t.error.is_some() {
            return;
        }
        let end = t.total.map_or(first + 1, |n| last.min(n));
        match (first..end).find(|i| !t.cols.contains_key(i)) {
            Some(i) => i,
            None => return,
        }
    };
    tl.borrow_mut().busy = true;
    let (ctx, tl, redraw) = (ctx.clone(), tl.clone(), redraw.clone());
    spawn_local(async move {
        let r = ctx.services.request(Request::JournalPage { start, count: MAX_TX_PAGE }).await;
        {
            let mut t = tl.borrow_mut();
            t.busy = false;
            match r {
                Response::JournalPage { total, transactions, .. } => {
                    t.total = Some(total);
                    for tx in transactions {
                        let cells = cells_of(&tx);
                        let mut tx = tx;
                        tx.cells = String::new();
                        t.cols.insert(tx.index, Rc::new(Column { tx, cells }));
                    }
                    if t.cols.len() > MAX_KEPT {
                        let mut keys: Vec<u32> = t.cols.keys().copied().collect();
                        keys.sort_by_key(|k| std::cmp::Reverse(k.abs_diff(start)));
                        for k in keys.into_iter().take(t.cols.len() - MAX_KEPT) {
                            t.cols.remove(&k);
                        }
                    }
                }
                Response::Failed { error } => t.error = Some(error.to_string()),
                other => t.error = Some(format!("unexpected answer: {}", other.kind())),
            }
            t.version += 1;
        }
        redraw.force_update();
    });
}

fn facts(s: &JournalSummary, fp: &crate::route::ImageRef) -> Html {
    let sb = &s.superblock;
    let block_link = |b: Option<u64>, text: String| match b {
        Some(b) => html! { <a href={Link::new(Route::Block(b), fp.clone()).to_hash()}>{ text }</a> },
        None => html! { { text } },
    };
    let ok = |v: bool| if v { "yes" } else { "no" };
    html! {
        <section class="card" data-testid="journal-super">
            <h2>{ "Journal superblock" }</h2>
            <dl class="kv">
                <dt>{ "Location" }</dt><dd data-field="j-location">{ &s.location }</dd>
                <dt>{ "Superblock" }</dt><dd class="num">{ block_link(s.superblock_block, format!("v{} · block {}", sb.version, s.superblock_block.map_or("?".to_string(), |b| b.to_string()))) }</dd>
                <dt>{ "Features" }</dt>
                <dd>
                    if sb.features.is_empty() { <span class="muted">{ "none" }</span> }
                    <ul class="chips" data-testid="j-features">
                        { for sb.features.iter().map(|f| html! { <li class="chip" data-feature={f.clone()}>{ f }</li> }) }
                    </ul>
                </dd>
                <dt title="s_start: the first log block (0: the journal is empty)">{ "s_start" }</dt><dd class="num" data-field="j-start">{ sb.start }</dd>
                <dt title="s_sequence: the first transaction expected in the log">{ "s_sequence" }</dt><dd class="num" data-field="j-sequence">{ sb.sequence }</dd>
                <dt title="s_maxlen: blocks in the journal">{ "s_maxlen" }</dt><dd class="num" data-field="j-maxlen">{ format!("{} blocks of {} bytes", sb.maxlen, sb.block_size) }</dd>
                <dt title="s_first: the first log block">{ "s_first" }</dt><dd class="num">{ sb.first }</dd>
                <dt>{ "Checksum" }</dt>
                <dd data-field="j-checksum" title={format!("s_checksum_type {}", sb.checksum_type)}>
                    <Checksum status={sb.checksum} />
                </dd>
                <dt title="s_errno">{ "Errno" }</dt><dd class="num">{ sb.errno }</dd>
                <dt>{ "UUID" }</dt><dd class="num">{ &sb.uuid }</dd>
                <dt>{ "Users" }</dt><dd class="num">{ sb.nr_users }</dd>
                <dt title="INCOMPAT_RECOVER in the file system superblock">{ "needs_recovery" }</dt><dd data-field="j-needs-recovery">{ ok(s.needs_recovery) }</dd>
                <dt>{ "Tag size" }</dt><dd class="num">{ format!("{} bytes", sb.tag_bytes) }</dd>
                if sb.num_fc_blocks > 0 {
                    <dt>{ "Fast-commit blocks" }</dt><dd class="num">{ sb.num_fc_blocks }</dd>
                }
            </dl>
        </section>
    }
}

fn verdict(s: &JournalSummary, fp: &crate::route::ImageRef, crash: CrashPoint) -> Html {
    let bad =
        s.end.as_ref().is_some_and(|e| e.error.is_some() || e.failed_commit.is_some()) || s.refused.is_some();
    html! {
        <section class="card" data-testid="journal-verdict">
            <h2>{ "Recovery" }</h2>
            <ul class={classes!("verdict", bad.then_some("bad"))}>
                { for s.verdict.iter().map(|v| html! { <li data-testid="verdict-line">{ v }</li> }) }
            </ul>
            <dl class="kv">
                <dt>{ "Transactions" }</dt>
                <dd class="num" data-testid="j-counts" data-live={s.live.to_string()} data-history={s.history.to_string()}>
                    { format!("{} in the log", s.live) }
                    if s.history > 0 { { format!(", {} older ones intact in the ring (history)", s.history) } }
                </dd>
                <dt>{ "Log" }</dt>
                <dd class="num">{ format!("{} of {} ring blocks", s.log_blocks, s.ring) }</dd>
                if let Some(e) = &s.end {
                    <dt>{ "End of log" }</dt>
                    <dd class="num" data-testid="j-end" data-block={e.journal_block.to_string()}>
                        { format!("journal block {} ", e.journal_block) }
                        if let Some(b) = s.end_block {
                            { "(" }<a href={Link::new(Route::Block(b), fp.clone()).to_hash()}>{ format!("block {b}") }</a>{ ")" }
                        }
                    </dd>
                }
            </dl>
            if !s.crash_points.is_empty() {
                <p class="actions">
                    <a class="button small" href={Link::new(Route::Journal, fp.clone()).with_crash(CrashPoint::All).to_hash()}
                       data-testid="show-recovered">{ "Show the image after recovery" }</a>
                    <a class="button small" href={Link::new(Route::JournalDiff { from: CrashPoint::Disk, to: CrashPoint::All }, fp.clone()).to_hash()}>
                        { "What recovery changes" }
                    </a>
                    if crash != CrashPoint::Disk { <DownloadState /> }
                </p>
            }
            if s.problems_total > 0 {
                <details>
                    <summary>{ format!("{} problem{}", s.problems_total, if s.problems_total == 1 { "" } else { "s" }) }</summary>
                    <ul class="problems compact">
                        { for s.problems.iter().map(|p| html! { <li class="problem">{ format!("{}: {}", p.structure, p.message) }</li> }) }
                    </ul>
                </details>
            }
            if let Some(fc) = &s.fast_commit {
                { fast_commit_area(fc) }
            }
        </section>
    }
}

/// The fast-commit area: what the scan accepted and every tag, as the
/// kernel's replay would take them (the core's `FastCommitArea`, as JSON).
fn fast_commit_area(fc: &serde_json::Value) -> Html {
    let num = |k: &str| fc.get(k).and_then(|v| v.as_u64()).unwrap_or(0);
    let commits = fc.get("commits").and_then(|c| c.as_array()).map_or(0, Vec::len);
    let stop = fc.get("stop").and_then(|v| v.as_str()).unwrap_or("");
    let tags: Vec<serde_json::Value> = fc.get("tags").and_then(|t| t.as_array()).cloned().unwrap_or_default();
    let value = |v: &serde_json::Value| -> String {
        let Some(o) = v.as_object() else { return v.to_string() };
        o.iter()
            .filter(|(k, _)| *k != "kind" && *k != "name_bytes" && *k != "raw")
            .map(|(k, x)| match x {
                serde_json::Value::String(s) => format!("{k} \"{s}\""),
                serde_json::Value::Array(a) => format!("{k} ({} bytes)", a.len()),
                other => format!("{k} {other}"),
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let first = num("first");
    let last = first + num("count").saturating_sub(1);
    html! {
        <details class="fc-area" data-testid="fast-commit" open={commits > 0}>
            <summary>{ format!("Fast-commit area: journal blocks {first}–{last}, {commits} fast commit{} of transaction {} ({} tags replayed)",
                if commits == 1 { "" } else { "s" }, num("expected_tid"), num("replay_tags")) }</summary>
            <p class="small muted">{ format!("Where the scan ends (the rest is not replayed): {stop}") }</p>
            if !tags.is_empty() {
                <table class="grid-table small" data-testid="fc-tags">
                    <thead><tr><th>{ "Journal block" }</th><th>{ "Offset" }</th><th>{ "Tag" }</th><th>{ "Value" }</th><th>{ "Replayed" }</th></tr></thead>
                    <tbody>
                        { for tags.iter().take(512).map(|t| {
                            let replayed = t.get("replayed").and_then(|v| v.as_bool()).unwrap_or(false);
                            html! {
                                <tr data-testid="fc-tag" class={if replayed { "" } else { "muted" }}>
                                    <td class="num">{ t.get("block").map(|v| v.to_string()).unwrap_or_default() }</td>
                                    <td class="num">{ t.get("offset").map(|v| v.to_string()).unwrap_or_default() }</td>
                                    <td><code>{ t.get("name").and_then(|v| v.as_str()).unwrap_or("?") }</code></td>
                                    <td>{ t.get("value").map(value).unwrap_or_default() }</td>
                                    <td>{ if replayed { "yes" } else { "no" } }</td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
                if tags.len() > 512 { <p class="small muted">{ format!("… {} more tags", tags.len() - 512) }</p> }
            }
        </details>
    }
}

fn legend(t: &Timeline) -> Html {
    let dark = dark();
    let mut codes: Vec<u8> = vec![cell::DESCRIPTOR, cell::REVOKE, cell::COMMIT];
    let mut seen: Vec<u8> = t.cols.values().flat_map(|c| c.cells.iter().map(|x| x & cell::CODE)).collect();
    seen.sort_unstable();
    seen.dedup();
    for c in seen {
        if !codes.contains(&c) {
            codes.push(c);
        }
    }
    let name = |c: u8| match c {
        cell::DESCRIPTOR => "descriptor".to_string(),
        cell::REVOKE => "revoke".to_string(),
        cell::COMMIT => "commit".to_string(),
        cell::LOGGED => "other metadata".to_string(),
        cell::UNREADABLE => "unreadable".to_string(),
        c if c >= cell::KIND => kind_words(OwnerKind::from_code(c - cell::KIND)).to_string(),
        _ => "?".to_string(),
    };
    html! {
        <div class="legend small" data-testid="timeline-legend">
            { for codes.into_iter().map(|c| html! {
                <span class="legend-item">
                    <svg width="12" height="12" aria-hidden="true"><rect width="12" height="12" rx="2" fill={cell_colour(c, dark)} /></svg>
                    { name(c) }
                </span>
            }) }
            <span class="legend-item"><span class="tl-key bad"></span>{ "checksum fails" }</span>
            <span class="legend-item"><span class="tl-key skipped"></span>{ "revoked later (not replayed)" }</span>
            <span class="legend-item"><span class="tl-key band replayed"></span>{ "replayed" }</span>
            <span class="legend-item"><span class="tl-key band uncommitted"></span>{ "uncommitted" }</span>
            <span class="legend-item"><span class="tl-key band history"></span>{ "history" }</span>
        </div>
    }
}

/// The journal page.
#[component]
pub fn JournalView(props: &Props) -> Html {
    let ctx = use_ctx();
    let o = &props.image;
    let fp = o.at();
    let tl = use_mut_ref(Timeline::default);
    let redraw = use_force_update();
    let scroll = use_state(|| 0.0f64);
    let width = use_state(|| 1200.0f64);
    let hot = use_state(|| None::<(u32, Option<usize>)>);
    let scroller = use_node_ref();
    let inner = use_node_ref();
    let canvas = use_node_ref();
    // The summary with the log walked (the header's may not have walked an empty journal).
    let summary = match &ctx.state.open().map(|x| x.journal.clone()) {
        Some(JournalInfo::Ready(s)) => Some(s.clone()),
        _ => None,
    };
    let walked = summary.as_ref().is_some_and(|s| s.walked);
    {
        let ctx = ctx.clone();
        let id = o.id;
        let state = ctx.state.open().map(|x| x.journal.clone());
        use_effect_with((id, walked), move |&(id, walked)| {
            if !walked && !matches!(state, Some(JournalInfo::Loading) | Some(JournalInfo::None)) {
                ctx.services.load_journal(id, true);
            }
        });
    }
    // Measure the scroller; fetch what is in view; draw.
    let total = tl.borrow().total;
    let version = tl.borrow().version;
    let pitch = pitch_for(total.unwrap_or(0), *width);
    // As tall as the longest transaction fetched needs, up to CANVAS_H.
    let canvas_h = {
        let longest = tl.borrow().cols.values().map(|c| c.cells.len()).max().unwrap_or(0);
        (TOP + BOTTOM + (longest as f64 * MAX_CELL_H).max(MIN_AREA)).min(CANVAS_H).round()
    };
    {
        let (scroller, width) = (scroller.clone(), width.clone());
        use_effect(move || {
            if let Some(el) = scroller.cast::<HtmlElement>() {
                let w = f64::from(el.client_width());
                if (w - *width).abs() > 0.5 && w > 0.0 {
                    width.set(w);
                }
            }
        });
    }
    {
        let (ctx, tl, redraw) = (ctx.clone(), tl.clone(), redraw.clone());
        let (s, w) = (*scroll, *width);
        use_effect_with((walked, s as i64, w as i64, version, pitch as i64), move |_| {
            if walked {
                let first = (s / pitch).floor().max(0.0) as u32;
                let last = ((s + w) / pitch).ceil() as u32 + 4;
                load_missing(&ctx, &tl, &redraw, first, last);
            }
        });
    }
    {
        let inner = inner.clone();
        let n = total.unwrap_or(0);
        use_effect_with((n, pitch as i64, canvas_h as i64), move |&(n, _, _)| {
            if let Some(el) = inner.cast::<HtmlElement>() {
                let _ = el.style().set_property("width", &format!("{}px", f64::from(n) * pitch + 120.0));
                let _ = el.style().set_property("height", &format!("{canvas_h}px"));
            }
        });
    }
    {
        let (canvas, tl, summary) = (canvas.clone(), tl.clone(), summary.clone());
        let (s, w, crash, hot_col) = (*scroll, *width, o.crash, hot.map(|h| h.0));
        use_effect_with(
            (version, s as i64, w as i64, crash, hot_col, summary.is_some(), pitch as i64),
            move |_| {
                if let (Some(c), Some(sum)) = (canvas.cast::<HtmlCanvasElement>(), summary.as_ref()) {
                    let dpr = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio());
                    let (cw, ch) = ((w * dpr).round() as u32, (canvas_h * dpr).round() as u32);
                    if c.width() != cw || c.height() != ch {
                        c.set_width(cw);
                        c.set_height(ch);
                    }
                    let _ = c.style().set_property("width", &format!("{w}px"));
                    let _ = c.style().set_property("height", &format!("{canvas_h}px"));
                    draw(&c, &tl.borrow(), sum, s, pitch, crash, hot_col);
                }
            },
        );
    }

    let head = html! {
        <div class="title-row">
            <h1>{ "Journal" }</h1>
            <span class="muted small">{ format!("the log as recovery reads it; the image shown is {}", if o.sim.is_some() { o.state_words() } else { o.crash.words() }) }</span>
            <span class="spacer"></span>
            <form class="jump" onsubmit={{
                let fp = fp.clone();
                Callback::from(move |e: SubmitEvent| {
                    e.prevent_default();
                    let form: web_sys::HtmlFormElement = e.target_unchecked_into();
                    let v = form.elements().named_item("t").and_then(|i| i.dyn_into::<web_sys::HtmlInputElement>().ok()).map(|i| i.value());
                    if let Some(n) = v.and_then(|v| v.trim().parse::<u32>().ok()) {
                        navigate(&Link::new(Route::Transaction(n), fp.clone()));
                    }
                })
            }}>
                <label for="jump-t">{ "Transaction" }</label>
                <input id="jump-t" name="t" type="number" min="0" inputmode="numeric" />
                <button type="submit" class="button small">{ "Open" }</button>
            </form>
            <CopyLink link={Link::new(Route::Journal, fp.clone())} />
        </div>
    };
    let s = match (&o.journal, &summary) {
        (_, Some(s)) => s.clone(),
        (JournalInfo::None, _) => {
            return html! { <div class="journal-view">{ head }<p class="lede" data-testid="no-journal">{ "This file system has no journal (no has_journal feature, no journal inode)." }</p></div> }
        }
        (JournalInfo::Failed(e), _) => {
            return html! { <div class="journal-view">{ head }<p class="banner bad" role="alert">{ e }</p></div> }
        }
        _ => {
            return html! { <div class="journal-view">{ head }<p class="muted">{ "Reading the journal…" }</p></div> }
        }
    };
    let t = tl.borrow();
    let onscroll = {
        let scroll = scroll.clone();
        Callback::from(move |e: Event| {
            if let Some(el) = e.target_dyn_into::<web_sys::Element>() {
                scroll.set(f64::from(el.scroll_left()));
            }
        })
    };
    let at = {
        let tl = tl.clone();
        let (s, w) = (*scroll, *width);
        move |x: f64, y: f64| -> Option<(u32, Option<usize>)> {
            let t = tl.borrow();
            let i = ((x + s) / pitch).floor() as u32;
            let c = t.cols.get(&i)?;
            let area = canvas_h - TOP - BOTTOM;
            // The scale the columns in view are drawn at (see `draw`).
            let first = (s / pitch).floor().max(0.0) as u32;
            let last = (((s + w) / pitch).ceil() as u32).min(t.total.unwrap_or(0));
            let tallest =
                (first..last).filter_map(|k| t.cols.get(&k)).map(|c| c.cells.len()).max().unwrap_or(1);
            let cell_h = (area / tallest.max(1) as f64).min(MAX_CELL_H);
            let n = c.cells.len();
            let ch = (cell_h * n as f64).max(6.0) / n.max(1) as f64;
            let k = ((y - TOP) / ch).floor();
            Some((i, (k >= 0.0 && (k as usize) < n).then_some(k as usize)))
        }
    };
    let onmousemove = {
        let (at, hot) = (at.clone(), hot.clone());
        Callback::from(move |e: MouseEvent| hot.set(at(f64::from(e.offset_x()), f64::from(e.offset_y()))))
    };
    let onmouseleave = {
        let hot = hot.clone();
        Callback::from(move |_: MouseEvent| hot.set(None))
    };
    let onclick = {
        let (tl, fp) = (tl.clone(), fp.clone());
        Callback::from(move |e: MouseEvent| {
            if let Some((i, _)) = at(f64::from(e.offset_x()), f64::from(e.offset_y())) {
                if let Some(c) = tl.borrow().cols.get(&i) {
                    navigate(&Link::new(Route::Transaction(c.tx.sequence), fp.clone()));
                }
            }
        })
    };
    let onkeydown = {
        let scroller = scroller.clone();
        Callback::from(move |e: KeyboardEvent| {
            let Some(el) = scroller.cast::<HtmlElement>() else { return };
            let step = match e.key().as_str() {
                "ArrowRight" => pitch,
                "ArrowLeft" => -pitch,
                "PageDown" => f64::from(el.client_width()) * 0.9,
                "PageUp" => -f64::from(el.client_width()) * 0.9,
                "Home" => -1e12,
                "End" => 1e12,
                _ => return,
            };
            e.prevent_default();
            el.set_scroll_left((f64::from(el.scroll_left()) + step).max(0.0) as i32);
        })
    };
    let hover_text = match *hot {
        Some((i, k)) => t.cols.get(&i).map(|c| {
            let tx = &c.tx;
            let (state, _) = tx_state(tx);
            let mut line = format!(
                "Transaction {} ({state}): {} logged block{}, {} descriptor{}, {} revoke block{}",
                tx.sequence,
                tx.blocks,
                if tx.blocks == 1 { "" } else { "s" },
                tx.descriptors,
                if tx.descriptors == 1 { "" } else { "s" },
                tx.revoke_blocks,
                if tx.revoke_blocks == 1 { "" } else { "s" },
            );
            if let Some(k) = k {
                let jb = {
                    let ring = s.ring.max(1);
                    let first = s.superblock.first;
                    first + (tx.start.saturating_sub(first) + k as u32) % ring
                };
                line.push_str(&format!(" — journal block {jb}: {}", cell_words(c.cells[k])));
            }
            line.push_str(" — click to open");
            line
        }),
        None => None,
    };
    // The transactions in view, as a table (the canvas for the eye, this for reading).
    let first = (*scroll / pitch).floor().max(0.0) as u32;
    let last = (((*scroll + *width) / pitch).ceil() as u32).min(t.total.unwrap_or(0));
    let rows = (first..last).filter_map(|i| t.cols.get(&i).cloned()).collect::<Vec<_>>();
    let time = |tx: &TxSummary| {
        tx.commit_time
            .map_or(String::new(), |secs| ext4scope_core::time::iso8601(secs, tx.commit_nsec.unwrap_or(0)))
    };
    let table = html! {
        <table class="grid-table tx-table" data-testid="tx-table">
            <thead><tr>
                <th>{ "Sequence" }</th><th>{ "State" }</th><th class="num">{ "Logged" }</th><th class="num">{ "Descriptors" }</th>
                <th class="num">{ "Revoke blocks" }</th><th class="num">{ "Revoked" }</th><th>{ "Journal blocks" }</th><th>{ "Committed" }</th><th>{ "Checksums" }</th>
            </tr></thead>
            <tbody>
                { for rows.iter().map(|c| {
                    let tx = &c.tx;
                    let (state, help) = tx_state(tx);
                    html! {
                        <tr data-testid="tx-row" data-seq={tx.sequence.to_string()} data-state={state} data-blocks={tx.blocks.to_string()}
                            class={classes!(tx.history.then_some("history"))}>
                            <td><a href={Link::new(Route::Transaction(tx.sequence), fp.clone()).to_hash()}>{ tx.sequence }</a></td>
                            <td title={help}><span class={classes!("badge", match state { "replayed" => "ok", "history" => "", _ => "warn" })}>{ state }</span></td>
                            <td class="num">{ tx.blocks }</td>
                            <td class="num">{ tx.descriptors }</td>
                            <td class="num">{ tx.revoke_blocks }</td>
                            <td class="num">{ tx.revoked }
                                if tx.skipped > 0 { <span class="muted">{ format!(" ({} copies skipped)", tx.skipped) }</span> }
                            </td>
                            <td class="num">{ format!("{}–{}", tx.start, tx.end.saturating_sub(1)) }</td>
                            <td class="num">{ time(tx) }</td>
                            <td>{ match (tx.bad, tx.checksum_ok) {
                                (0, Some(true)) => html! { <span class="ok-text">{ "ok" }</span> },
                                (0, _) => html! { <span class="muted">{ "—" }</span> },
                                (n, _) => html! { <span class="bad-text">{ format!("{n} BAD") }</span> },
                            } }</td>
                        </tr>
                    }
                }) }
            </tbody>
        </table>
    };
    let n_total = t.total.unwrap_or(s.live + s.history);
    html! {
        <div class="journal-view" data-testid="journal-view">
            { head }
            <section class="card timeline-card">
                <h2>
                    { "Timeline" }
                    <span class="muted small" data-testid="timeline-count" data-total={n_total.to_string()}>
                        { format!(" {n_total} transaction{} · one column each, one cell per journal block", if n_total == 1 { "" } else { "s" }) }
                    </span>
                </h2>
                if n_total == 0 {
                    <p class="muted" data-testid="timeline-empty">{ "No transaction in the journal: nothing logged since the last checkpoint, and no older one left intact in the ring." }</p>
                } else {
                    <div class="tl-scroll" ref={scroller.clone()} {onscroll} tabindex="0" {onkeydown}
                         aria-label="Journal timeline: one column per transaction; ← → and Page Up/Down scroll, click a column to open it">
                        <div class="tl-inner" ref={inner}>
                            <canvas class="tl-canvas" ref={canvas} data-testid="timeline-canvas" data-pitch={pitch.to_string()}
                                    {onmousemove} {onmouseleave} {onclick}></canvas>
                        </div>
                    </div>
                    <p class="map-hover" data-testid="timeline-hover">{ hover_text.unwrap_or_else(|| "Point at a column to see its transaction and blocks; click to open it.".to_string()) }</p>
                    { legend(&t) }
                    if let Some(e) = &t.error { <p class="banner bad" role="alert">{ e }</p> }
                }
            </section>
            <div class="cards two spaced">
                { verdict(&s, &fp, o.crash) }
                { facts(&s, &fp) }
            </div>
            if n_total > 0 {
                <section class="card wide">
                    <h2>{ format!("Transactions in view ({}–{} of {n_total})", first + u32::from(last > first), last) }</h2>
                    { table }
                </section>
            }
        </div>
    }
}
