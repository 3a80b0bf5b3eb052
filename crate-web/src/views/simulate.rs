//! `#/simulate`: operations run by the simulator as the kernel would perform
//! them, as jbd2 transactions; the stream of block writes a device would see,
//! drawn as a timeline (journal writes and home writes apart, transactions
//! marked, flushes and FUA writes flagged, each write's operation named); a
//! crash-point slider over 0..=N that switches the whole app to "the
//! simulated disk after K writes" (the URL's `sim=…&k=K`: every view reads
//! that disk, the journal view walks its journal); the outcome of a crash
//! there (recovery, orphan cleanup at the next mount, e2fsck, each file's
//! data); and the designs side by side, crash point by crash point.
//!
//! The page is not remade when the state changes (the app keys it by the
//! image only): the run and the comparison stay while the slider moves.

use std::cell::Cell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::HtmlCanvasElement;
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::app::{navigate, use_ctx};
use crate::route::{Link, Route, SimRef, DESIGNS, MAX_SIM_OPS};
use crate::state::OpenImage;
use crate::views::keys::use_arrow_keys;
use crate::widgets::copy_link::CopyLink;
use crate::widgets::progress::SLICE_MS;
use crate::worker::protocol::{Request, Response};
use crate::worker::sim::{SimComparison, SimMount, SimOutcome, SimSummary, SimWrite};

/// The operations offered for the built-in sample made for the simulator.
pub const MIGRATE_EXAMPLE: &str = "# The fragmented file has 21 runs: its extent tree needs a leaf block.\n\
chattr +e /var/log/fragmented\nfsync /var/log/fragmented\n";
/// The operations offered for other images.
const OTHER_EXAMPLE: &str = "# chattr +e (or -e) a block-mapped file, then fsync it:\n\
chattr +e /var/log/messages\nfsync /var/log/messages\n";
/// Groups of writes listed around the crash point before the list is cut.
const MAX_GROUPS: usize = 240;
/// Simulator notes listed before the rest fold away.
const NOTES_SHOWN: usize = 4;
/// The strip's height in CSS pixels.
const STRIP_H: f64 = 56.0;

/// Props.
#[derive(Properties, PartialEq)]
pub struct Props {
    /// The open image.
    pub image: OpenImage,
}

#[derive(Clone, PartialEq)]
enum Load<T> {
    Idle,
    Waiting,
    Ready(Rc<T>),
    Failed(String),
}

/// What a write is, in words.
fn what(w: &SimWrite) -> String {
    match w.kind.as_str() {
        "superblock" => "superblock".to_string(),
        "journal_superblock" => "journal superblock".to_string(),
        "descriptor" => "descriptor".to_string(),
        "logged" => {
            format!("logged copy of {}{}", w.home.unwrap_or(0), if w.escaped { " (escaped)" } else { "" })
        }
        "revoke" => "revoke".to_string(),
        "commit" => "commit".to_string(),
        "checkpoint" => format!("checkpoint of {}", w.home.unwrap_or(w.block)),
        "data" => format!("data of inode {}", w.inode.unwrap_or(0)),
        k => k.to_string(),
    }
}

/// Consecutive writes of one kind, transaction and operation.
struct Group {
    start: usize,
    end: usize,
}

fn groups(writes: &[SimWrite]) -> Vec<Group> {
    let mut out: Vec<Group> = Vec::new();
    for (i, w) in writes.iter().enumerate() {
        let joins = out.last().is_some_and(|g| {
            let p = &writes[g.end - 1];
            p.kind == w.kind && p.tid == w.tid && p.op == w.op && !w.flush && !p.fua
        });
        match out.last_mut() {
            Some(g) if joins => g.end = i + 1,
            _ => out.push(Group { start: i, end: i + 1 }),
        }
    }
    out
}

/// The colour class of a write kind (journal writes blue shades, home writes warm).
pub fn kind_class(kind: &str) -> &'static str {
    match kind {
        "journal_superblock" => "w-jsb",
        "descriptor" => "w-desc",
        "logged" => "w-log",
        "revoke" => "w-revoke",
        "commit" => "w-commit",
        "checkpoint" => "w-ckpt",
        "data" => "w-data",
        _ => "w-sb",
    }
}

/// The canvas colours of the strip, by kind (the same hues as the CSS classes).
fn kind_colour(kind: &str) -> &'static str {
    match kind {
        "journal_superblock" => "#6e8fd8",
        "descriptor" => "#4a78d0",
        "logged" => "#2f6fe0",
        "revoke" => "#8a5ad6",
        "commit" => "#12369a",
        "checkpoint" => "#e08a1e",
        "data" => "#2a9d57",
        _ => "#c4432b",
    }
}

fn verdict_class(v: &str) -> &'static str {
    match v {
        "clean" => "ok",
        "leak" => "warn",
        "data-loss" | "stale-data" => "bad",
        _ => "warn",
    }
}

fn verdict_words(v: &str) -> &'static str {
    match v {
        "clean" => "clean",
        "leak" => "leak",
        "data-loss" => "data loss",
        "stale-data" => "stale data",
        "inconsistent" => "inconsistent",
        _ => "?",
    }
}

/// Draw the strip: one column per write, journal writes in the top half and
/// home writes in the bottom half, commit boundaries as ticks, the crash
/// point as a line.
fn draw_strip(canvas: &HtmlCanvasElement, s: &SimSummary, k: u32) {
    let width = f64::from(canvas.client_width().max(200));
    let ratio = web_sys::window().map(|w| w.device_pixel_ratio()).unwrap_or(1.0).max(1.0);
    canvas.set_width((width * ratio) as u32);
    canvas.set_height((STRIP_H * ratio) as u32);
    let Some(ctx) = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())
    else {
        return;
    };
    let _ = ctx.scale(ratio, ratio);
    ctx.clear_rect(0.0, 0.0, width, STRIP_H);
    let n = s.writes.len().max(1) as f64;
    let pitch = width / n;
    let mid = STRIP_H / 2.0;
    for (i, w) in s.writes.iter().enumerate() {
        ctx.set_fill_style_str(kind_colour(&w.kind));
        let x = i as f64 * pitch;
        let (y, h) = if w.is_journal() { (4.0, mid - 6.0) } else { (mid + 2.0, mid - 6.0) };
        ctx.fill_rect(x, y, (pitch - if pitch > 3.0 { 1.0 } else { 0.0 }).max(0.5), h);
    }
    // Transactions: a tick after each commit (when they are far enough apart to see).
    ctx.set_fill_style_str("#888888");
    let ticks = width / (s.transactions.len().max(1) as f64) >= 6.0;
    for t in s.transactions.iter().filter(|_| ticks) {
        let x = f64::from(t.commit_write + 1) * pitch;
        ctx.fill_rect(x - 0.5, 0.0, 1.0, STRIP_H);
    }
    // The end of the operations.
    ctx.set_fill_style_str("#2a9d57");
    ctx.fill_rect(f64::from(s.end) * pitch - 1.0, 0.0, 2.0, 4.0);
    // The crash point.
    ctx.set_fill_style_str("#c6282d");
    ctx.fill_rect((f64::from(k) * pitch - 1.0).max(0.0), 0.0, 2.0, STRIP_H);
}

/// The page.
#[component]
pub fn SimulateView(props: &Props) -> Html {
    let ctx = use_ctx();
    let o = &props.image;
    let link = ctx.state.link.clone();
    let at = o.at();
    let sample = o.source.sample().map(str::to_string);
    let example = if sample.as_deref() == Some("ext3-migrate") { MIGRATE_EXAMPLE } else { OTHER_EXAMPLE };
    let spec = link.sim.clone();
    let text = use_state(|| spec.as_ref().map(|s| s.ops.clone()).unwrap_or_else(|| example.to_string()));
    let design =
        use_state(|| spec.as_ref().map(|s| s.design.clone()).unwrap_or_else(|| DESIGNS[0].to_string()));
    let rc = use_state(|| spec.as_ref().is_some_and(|s| s.restart_commits));
    let summary = use_state(|| Load::<SimSummary>::Idle);
    let outcome = use_state(|| Load::<SimOutcome>::Idle);
    let compare = use_state(|| Load::<SimComparison>::Idle);
    // The operations the comparison ran (its links name them).
    let compare_ops = use_state(String::new);
    // The comparison runs in slices: where it is, whether it was cancelled,
    // the cancel flag the loop reads between slices, and which loop is the
    // current one (a new comparison makes an older loop stop on its own).
    let compare_progress = use_state(|| None::<(u32, u32)>);
    let compare_cancelled = use_state(|| false);
    let compare_cancel = use_memo((), |_| Rc::new(Cell::new(false)));
    let compare_gen = use_memo((), |_| Rc::new(Cell::new(0u32)));
    {
        let cancel = (*compare_cancel).clone();
        use_effect_with((), move |_| move || cancel.set(true));
    }
    let canvas = use_node_ref();

    // The run the link names: simulated (or taken from the worker's runs) when it changes.
    let run_key = spec.as_ref().map(|s| s.at(0));
    {
        let (ctx, summary, text, design, rc) =
            (ctx.clone(), summary.clone(), text.clone(), design.clone(), rc.clone());
        use_effect_with((o.id, run_key.clone()), move |(_, key)| {
            if let Some(key) = key.clone() {
                text.set(key.ops.clone());
                design.set(key.design.clone());
                rc.set(key.restart_commits);
                summary.set(Load::Waiting);
                spawn_local(async move {
                    let r = ctx
                        .services
                        .request(Request::Simulate {
                            ops: key.ops.clone(),
                            design: key.design.clone(),
                            restart_commits: key.restart_commits,
                        })
                        .await;
                    summary.set(match r {
                        Response::Simulation { summary } => Load::Ready(Rc::from(summary)),
                        Response::Failed { error } => Load::Failed(error.to_string()),
                        other => Load::Failed(format!("unexpected answer: {}", other.kind())),
                    });
                });
            } else {
                summary.set(Load::Idle);
            }
        });
    }
    // The outcome of the crash point the link names.
    {
        let (ctx, outcome) = (ctx.clone(), outcome.clone());
        use_effect_with((o.id, spec.clone()), move |(_, spec)| {
            if let Some(spec) = spec.clone() {
                outcome.set(Load::Waiting);
                spawn_local(async move {
                    let r = ctx.services.request(Request::SimOutcome { sim: spec }).await;
                    outcome.set(match r {
                        Response::SimOutcome { outcome } => Load::Ready(Rc::from(outcome)),
                        Response::Failed { error } => Load::Failed(error.to_string()),
                        other => Load::Failed(format!("unexpected answer: {}", other.kind())),
                    });
                });
            } else {
                outcome.set(Load::Idle);
            }
        });
    }
    let k = spec.as_ref().map(|s| s.k).unwrap_or(0);
    let ready = match &*summary {
        Load::Ready(s) => Some(s.clone()),
        _ => None,
    };
    {
        let (canvas, ready) = (canvas.clone(), ready.clone());
        use_effect_with((ready.clone(), k), move |_| {
            if let (Some(c), Some(s)) = (canvas.cast::<HtmlCanvasElement>(), ready) {
                draw_strip(&c, &s, k);
            }
        });
    }

    // Go to crash point `k` of the run shown (the whole app follows).
    let goto = {
        let (link, spec) = (link.clone(), spec.clone());
        Rc::new(move |k: u32| {
            if let Some(s) = &spec {
                navigate(&link.clone().with_route(Route::Simulate).with_sim(Some(s.at(k))));
            }
        })
    };
    {
        let (goto, ready) = (goto.clone(), ready.clone());
        use_arrow_keys(move |forward| {
            let Some(s) = &ready else { return };
            let n = s.writes.len() as u32;
            let next = if forward { (k + 1).min(n) } else { k.saturating_sub(1) };
            if next != k {
                goto(next);
            }
        });
    }

    let run = {
        let (ctx, text, design, rc, summary, link) =
            (ctx.clone(), text.clone(), design.clone(), rc.clone(), summary.clone(), link.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (ops, design, restart_commits) = ((*text).clone(), (*design).clone(), *rc);
            let (ctx, summary, link) = (ctx.clone(), summary.clone(), link.clone());
            if ops.len() > MAX_SIM_OPS {
                summary.set(Load::Failed(format!(
                    "the operations are {} bytes long; a link carries at most {MAX_SIM_OPS}",
                    ops.len()
                )));
                return;
            }
            summary.set(Load::Waiting);
            spawn_local(async move {
                let r = ctx
                    .services
                    .request(Request::Simulate { ops: ops.clone(), design: design.clone(), restart_commits })
                    .await;
                match r {
                    Response::Simulation { summary: s } => {
                        // Straight to the operations' end: every transaction committed.
                        let k = s.end;
                        summary.set(Load::Ready(Rc::from(s)));
                        let sim = SimRef { ops, design, restart_commits, k, ..SimRef::default() };
                        navigate(&link.with_route(Route::Simulate).with_sim(Some(sim)));
                    }
                    Response::Failed { error } => summary.set(Load::Failed(error.to_string())),
                    other => summary.set(Load::Failed(format!("unexpected answer: {}", other.kind()))),
                }
            });
        })
    };
    let run_compare = {
        let (ctx, text, compare, compare_ops, progress, cancelled, cancel, gen) = (
            ctx.clone(),
            text.clone(),
            compare.clone(),
            compare_ops.clone(),
            compare_progress.clone(),
            compare_cancelled.clone(),
            (*compare_cancel).clone(),
            (*compare_gen).clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let ops = (*text).clone();
            compare_ops.set(ops.clone());
            compare.set(Load::Waiting);
            progress.set(None);
            cancelled.set(false);
            cancel.set(false);
            let me = gen.get().wrapping_add(1);
            gen.set(me);
            let (ctx, compare, progress, cancel, gen) =
                (ctx.clone(), compare.clone(), progress.clone(), cancel.clone(), gen.clone());
            spawn_local(async move {
                // Slice by slice until the comparison is complete; a cancel
                // is sent as the next request, and the worker forgets it.
                while gen.get() == me {
                    let stop = cancel.get();
                    let r = ctx
                        .services
                        .request(Request::SimCompare {
                            ops: ops.clone(),
                            slice_ms: Some(SLICE_MS as u32),
                            cancel: stop,
                        })
                        .await;
                    if gen.get() != me {
                        break;
                    }
                    match r {
                        Response::SimCompare { comparison } => {
                            if !cancel.get() {
                                compare.set(Load::Ready(Rc::from(comparison)));
                            }
                            break;
                        }
                        Response::SimCompareProgress { done, total, cancelled, .. } => {
                            if stop || cancelled {
                                break;
                            }
                            if !cancel.get() {
                                progress.set(Some((done, total)));
                            }
                        }
                        Response::Failed { error } => {
                            if !cancel.get() {
                                compare.set(Load::Failed(error.to_string()));
                            }
                            break;
                        }
                        other => {
                            compare.set(Load::Failed(format!("unexpected answer: {}", other.kind())));
                            break;
                        }
                    }
                }
            });
        })
    };
    let stop_compare = {
        let (compare, cancelled, cancel) =
            (compare.clone(), compare_cancelled.clone(), (*compare_cancel).clone());
        Callback::from(move |_: MouseEvent| {
            // The page lets go at once (the button comes back); the loop
            // tells the worker, which stops between two steps.
            cancel.set(true);
            cancelled.set(true);
            compare.set(Load::Idle);
        })
    };
    let on_text = {
        let text = text.clone();
        Callback::from(move |e: InputEvent| {
            let t: web_sys::HtmlTextAreaElement = e.target_unchecked_into();
            text.set(t.value());
        })
    };
    let on_design = {
        let design = design.clone();
        Callback::from(move |e: Event| {
            let s: web_sys::HtmlSelectElement = e.target_unchecked_into();
            design.set(s.value());
        })
    };
    let on_rc = {
        let rc = rc.clone();
        Callback::from(move |e: Event| {
            let c: web_sys::HtmlInputElement = e.target_unchecked_into();
            rc.set(c.checked());
        })
    };

    let error = match &*summary {
        Load::Failed(e) => Some(e.clone()),
        _ => None,
    };
    let form = html! {
        <form class="sim-form card" onsubmit={run} data-testid="sim-form">
            <label for="sim-ops">{ "Operations" }<span class="muted small">{ " · one a line or ;-separated: chattr +e/-e PATH, fsync PATH, sync, commit, checkpoint" }</span></label>
            <textarea id="sim-ops" data-testid="sim-ops" rows="3" spellcheck="false"
                      value={(*text).clone()} oninput={on_text}
                      aria-invalid={error.is_some().then_some("true")}
                      aria-describedby={error.is_some().then_some("sim-error")} />
            if let Some(e) = &error {
                <p id="sim-error" class="banner bad" role="alert" data-testid="sim-error">{ e.clone() }</p>
            }
            <div class="sim-controls">
                <label for="sim-design">{ "Design" }</label>
                <select id="sim-design" data-testid="sim-design" onchange={on_design}>
                    { for DESIGNS.iter().map(|d| html! { <option value={*d} selected={*d == design.as_str()}>{ *d }</option> }) }
                </select>
                <label class="check" title="kjournald wins every race: each handle restart is a transaction boundary a crash can fall into">
                    <input type="checkbox" data-testid="sim-rc" checked={*rc} onchange={on_rc} />
                    { " every restart commits" }
                </label>
                <span class="spacer"></span>
                <button type="submit" class="button" data-testid="sim-run" disabled={matches!(*summary, Load::Waiting)}>{ "Run" }</button>
            </div>
            <p class="muted small">
                { "Runs on the image as on disk. Designs of the migration: kernel (Linux 6.x), orphan-list (before the \
                   2022 fix), single-transaction, in-memory-temp. Every restart commits: each handle restart is a \
                   transaction boundary a crash can fall into." }
            </p>
        </form>
    };

    let (body, list) = match (&*summary, &spec) {
        (Load::Ready(s), Some(spec)) => stream_html(s, spec, &canvas, goto.clone()),
        (Load::Waiting, _) => {
            (html! { <p class="muted" data-testid="sim-waiting">{ "Simulating…" }</p> }, html! {})
        }
        _ => (html! {}, html! {}),
    };
    let outcome_html = match (&*outcome, &ready) {
        (Load::Ready(x), Some(s)) => outcome_card(x, s, &at, spec.as_ref()),
        (Load::Waiting, _) => {
            html! { <section class="card"><p class="muted">{ "Working out what a crash here leaves…" }</p></section> }
        }
        (Load::Failed(e), _) => {
            html! { <section class="card"><p class="banner bad">{ format!("No outcome: {e}") }</p></section> }
        }
        _ => html! {},
    };
    let compare_body = match &*compare {
        Load::Idle if *compare_cancelled => html! {
            <p class="muted" data-testid="sim-compare-cancelled">{ "Comparison cancelled." }</p>
        },
        Load::Idle => html! {},
        Load::Waiting => {
            let steps = match *compare_progress {
                Some((done, total)) if total > 0 => format!(" {done} of {total} steps"),
                _ => String::new(),
            };
            html! {
                <p class="muted" data-testid="sim-compare-waiting">
                    { format!("Running every design…{steps}") }
                    { " " }
                    <button type="button" class="button small" onclick={stop_compare} data-testid="sim-compare-cancel">{ "Cancel" }</button>
                </p>
            }
        }
        Load::Failed(e) => html! { <p class="banner bad" data-testid="sim-compare-error">{ e.clone() }</p> },
        Load::Ready(c) => compare_table(c, &link, &compare_ops, spec.as_ref()),
    };
    let journal_note = spec.as_ref().map(|_| {
        html! {
            <p class="muted small">
                { "Every view now reads the simulated disk after these writes: " }
                <a href={Link::new(Route::Superblock, at.clone()).to_hash()}>{ "Superblock" }</a>{ " · " }
                <a href={Link::new(Route::Files("var/log".into()), at.clone()).to_hash()}>{ "Files" }</a>{ " · " }
                <a href={Link::new(Route::Journal, at.clone()).to_hash()}>{ "Journal" }</a>
                { " (walked on this disk: it holds the simulated transactions; the State menu replays them) · " }
                <a href={Link::new(Route::Check, at.clone()).to_hash()}>{ "Check" }</a>
            </p>
        }
    });

    html! {
        <div class="sim-view">
            <div class="title-row">
                <h1>{ "Simulate" }</h1>
                <span class="muted">{ "operations as jbd2 transactions, and what a crash after any write leaves" }</span>
                <span class="spacer"></span>
                if let Some(s) = &spec {
                    <CopyLink link={Link::new(Route::Simulate, at.clone()).with_sim(Some(s.clone()))} />
                }
            </div>
            { form }
            <div class="sim-main">
                { body }
                { outcome_html }
            </div>
            { journal_note.unwrap_or_default() }
            { list }
            <section class="card" aria-labelledby="h-compare" data-testid="sim-compare-card">
                <div class="title-row">
                    <h2 id="h-compare">{ "The designs side by side" }</h2>
                    <span class="spacer"></span>
                    <button type="button" class="button small" onclick={run_compare} data-testid="sim-compare"
                            disabled={matches!(*compare, Load::Waiting)}>{ "Compare the designs" }</button>
                </div>
                <p class="muted small">
                    { "Each design runs the operations above with every restart committing (so the crash windows \
                       show); rows are crash points (writes that reached the disk), cells what recovery, the next \
                       mount's orphan cleanup and e2fsck leave. A cell opens that design's state there." }
                </p>
                { compare_body }
            </section>
        </div>
    }
}

/// The slider and the strip (first), the grouped list of writes (second).
fn stream_html(s: &SimSummary, spec: &SimRef, canvas: &NodeRef, goto: Rc<dyn Fn(u32)>) -> (Html, Html) {
    let n = s.writes.len() as u32;
    let k = spec.k.min(n);
    let on_slide = {
        let goto = goto.clone();
        Callback::from(move |e: Event| {
            let i: web_sys::HtmlInputElement = e.target_unchecked_into();
            if let Ok(v) = i.value().parse::<u32>() {
                goto(v);
            }
        })
    };
    let on_strip = {
        let (goto, canvas) = (goto.clone(), canvas.clone());
        Callback::from(move |e: MouseEvent| {
            if let Some(c) = canvas.cast::<HtmlCanvasElement>() {
                let w = f64::from(c.client_width().max(1));
                let x = f64::from(e.offset_x()).clamp(0.0, w);
                goto(((x / w) * f64::from(n)).round() as u32);
            }
        })
    };
    let op_text = |op: u32| s.ops.get(op as usize).cloned().unwrap_or_else(|| "unmount".to_string());
    let last = k.checked_sub(1).and_then(|i| s.writes.get(i as usize));
    let phase = if k == 0 {
        "nothing written yet".to_string()
    } else if k < s.end {
        "during the operations".to_string()
    } else if k == s.end {
        "the operations' end: every transaction committed, nothing checkpointed".to_string()
    } else if k < n {
        "during the clean unmount (checkpoint)".to_string()
    } else {
        "after the clean unmount".to_string()
    };
    let all = groups(&s.writes);
    // The groups around the crash point, when there are many.
    let at_group = all.iter().position(|g| (g.start as u32) >= k).unwrap_or(all.len());
    let (from, to) = if all.len() <= MAX_GROUPS {
        (0, all.len())
    } else {
        let from = at_group.saturating_sub(MAX_GROUPS / 2).min(all.len() - MAX_GROUPS);
        (from, from + MAX_GROUPS)
    };
    let tx_of = |tid: Option<u32>| tid.and_then(|t| s.transactions.iter().find(|x| x.tid == t));
    let rows = all[from..to].iter().enumerate().map(|(gi, g)| {
        let w = &s.writes[g.start];
        let count = g.end - g.start;
        let done = (g.end as u32) <= k;
        let partly = !done && (g.start as u32) < k;
        let blocks: Vec<String> = s.writes[g.start..g.end].iter().take(6).map(|w| match w.home {
            Some(h) if w.kind == "logged" => format!("{}→{}", h, w.block),
            _ => w.block.to_string(),
        }).collect();
        let more = if count > 6 { format!(" … +{}", count - 6) } else { String::new() };
        let range = if count == 1 { format!("#{}", g.start) } else { format!("#{}–{}", g.start, g.end - 1) };
        let boundary = tx_of(w.tid).is_some_and(|t| t.first_write as usize == g.start);
        let here = from + gi == at_group;
        let goto_after = goto.clone();
        let after = g.end as u32;
        let onclick = Callback::from(move |_: MouseEvent| goto_after(after));
        let flags = match (w.flush, s.writes[g.end - 1].fua) {
            (true, true) => "flush · FUA",
            (true, false) => "flush",
            (false, true) => "FUA",
            _ => "",
        };
        html! {
            <>
                if here && k > 0 && (k as usize) < s.writes.len() {
                    <li class="sim-crash-line" aria-hidden="true">{ format!("crash after {k} writes") }</li>
                }
                <li class={classes!("sim-group", if w.is_journal() { "journal" } else { "home" }, done.then_some("done"), partly.then_some("partly"), boundary.then_some("tx-start"))}
                    data-kind={w.kind.clone()} data-start={g.start.to_string()}>
                    <span class="sim-range">{ range }</span>
                    <span class={classes!("sim-kind", kind_class(&w.kind))}>{ if count > 1 { format!("{} ×{count}", what(w).split(" of ").next().unwrap_or("")) } else { what(w) } }</span>
                    <span class="sim-tid">{ w.tid.map(|t| format!("tid {t}")).unwrap_or_default() }</span>
                    <span class="sim-blocks mono">{ format!("block {}{more}", blocks.join(", ")) }</span>
                    <span class="sim-flags">{ flags }</span>
                    <span class="sim-op muted">{ op_text(w.op) }</span>
                    <button type="button" class="button tiny" title={format!("Crash after write #{}", g.end - 1)} {onclick}>{ "crash here" }</button>
                </li>
            </>
        }
    }).collect::<Html>();
    let design_note = format!(
        "design {}{}: {} writes, {} transaction{}, {} handle{}; the operations end after write {}",
        s.design,
        if s.restart_commits { ", every restart commits" } else { "" },
        n,
        s.transactions.len(),
        if s.transactions.len() == 1 { "" } else { "s" },
        s.handles.len(),
        if s.handles.len() == 1 { "" } else { "s" },
        s.end
    );
    let top = html! {
        <section class="card sim-stream" data-testid="sim-stream" data-writes={n.to_string()} data-end={s.end.to_string()}
                 data-transactions={s.transactions.len().to_string()}>
            <h2>{ "The write stream" }</h2>
            <p class="small sim-design-note">{ design_note }</p>
            if !s.notes.is_empty() {
                <ul class="sim-notes small">{ for s.notes.iter().take(NOTES_SHOWN).map(|x| html! { <li>{ x.clone() }</li> }) }</ul>
            }
            if s.notes.len() > NOTES_SHOWN {
                <details class="sim-notes small">
                    <summary>{ format!("{} more notes", s.notes.len() - NOTES_SHOWN) }</summary>
                    <ul>{ for s.notes.iter().skip(NOTES_SHOWN).map(|x| html! { <li>{ x.clone() }</li> }) }</ul>
                </details>
            }
            <div class="sim-slider-row">
                <label for="sim-slider">{ "Crash after" }</label>
                <input id="sim-slider" type="range" min="0" max={n.to_string()} value={k.to_string()}
                       data-testid="sim-slider" onchange={on_slide} aria-valuetext={format!("{k} of {n} writes")} />
                <span class="sim-k" data-testid="sim-k" data-k={k.to_string()}>{ format!("{k} of {n} writes") }</span>
            </div>
            <p class="muted small" data-testid="sim-phase">
                { phase }
                if let Some(w) = last {
                    { format!(" · the last write: #{} {} (block {}){}, from “{}”", k - 1, what(w), w.block,
                        w.tid.map(|t| format!(", tid {t}")).unwrap_or_default(), op_text(w.op)) }
                }
                { " · ← → step" }
            </p>
            <canvas ref={canvas.clone()} class="sim-strip" data-testid="sim-strip" onclick={on_strip}
                    aria-label="The write stream: journal writes above, home writes below, a tick after each commit, the crash point in red"></canvas>
            <p class="sim-legend small">
                { for [("superblock", "superblock"), ("journal_superblock", "journal superblock"), ("descriptor", "descriptor"),
                       ("logged", "logged copy"), ("revoke", "revoke"), ("commit", "commit"), ("checkpoint", "checkpoint"), ("data", "data")]
                    .iter().map(|(k, w)| html! { <span class={classes!("sim-kind", kind_class(k))}>{ *w }</span> }) }
                <span class="muted">{ " · journal writes above the line, home writes below; a tick after each commit (when they fit)" }</span>
            </p>
        </section>
    };
    let list = html! {
        <section class="card sim-list">
            <h2>{ "Every write" }</h2>
            <p class="muted small">{ "grouped by kind, transaction and operation; paler: not on the disk at this crash point" }</p>
            if from > 0 {
                <p class="muted small">{ format!("… {} earlier groups of writes (move the crash point to see them)", from) }</p>
            }
            <ol class="sim-groups" data-testid="sim-groups">{ rows }</ol>
            if to < all.len() {
                <p class="muted small">{ format!("… {} later groups of writes", all.len() - to) }</p>
            }
        </section>
    };
    (top, list)
}

/// Tids as runs: "2, 5–9 (5), 12".
fn runs_of(tids: &[u32]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < tids.len() {
        let mut j = i;
        while j + 1 < tids.len() && tids[j + 1] == tids[j].wrapping_add(1) {
            j += 1;
        }
        parts.push(match j - i {
            0 => tids[i].to_string(),
            1 => format!("{}, {}", tids[i], tids[j]),
            n => format!("{}–{} ({})", tids[i], tids[j], n + 1),
        });
        i = j + 1;
    }
    parts.join(", ")
}

/// What a crash at the chosen point leaves.
fn outcome_card(o: &SimOutcome, s: &SimSummary, at: &crate::route::ImageRef, spec: Option<&SimRef>) -> Html {
    let _ = spec;
    let replayed = if o.replayed.is_empty() {
        "recovery replays nothing".to_string()
    } else {
        format!(
            "recovery replays transaction{} {}",
            if o.replayed.len() == 1 { "" } else { "s" },
            runs_of(&o.replayed)
        )
    };
    let exit = match o.exit_code {
        0 => "0: clean",
        1 => "1: errors corrected",
        4 => "4: errors left uncorrected",
        8 => "8: operational error",
        _ => "",
    };
    let temp: Vec<u32> = s.temp_inodes.iter().map(|&(_, i)| i).collect();
    html! {
        <section class="card sim-outcome" data-testid="sim-outcome" data-verdict={o.verdict.clone()}
                 data-point={o.point.to_string()} data-exit={o.exit_code.to_string()}
                 data-replayed={o.replayed.iter().map(|t| t.to_string()).collect::<Vec<_>>().join(",")}
                 data-codes={o.codes.join(",")}>
            <h2>
                { format!("A crash after {} write{}: ", o.point, if o.point == 1 { "" } else { "s" }) }
                <span class={classes!("badge", "big", verdict_class(&o.verdict))} data-testid="sim-verdict">{ verdict_words(&o.verdict) }</span>
            </h2>
            <ul class="sim-facts">
                <li>{ replayed }</li>
                if o.orphan_cleanup.is_empty() {
                    <li>{ "the next mount's orphan cleanup has nothing to do" }</li>
                } else {
                    { for o.orphan_cleanup.iter().map(|l| html! { <li>{ format!("orphan cleanup at the next mount: {l}") }</li> }) }
                }
                <li data-testid="sim-exit">{ format!("then e2fsck -fn exits {exit}") }</li>
                { mount_facts(&o.mount) }
            </ul>
            if !o.problems.is_empty() {
                <ul class="sim-problems" data-testid="sim-problems">
                    { for o.problems.iter().map(|p| html! {
                        <li><code>{ p.name.clone() }</code>{ " " }<span class="muted mono">{ p.code.clone().unwrap_or_default() }</span></li>
                    }) }
                </ul>
            }
            <table class="sim-files">
                <thead><tr><th>{ "File" }</th><th title="Data blocks it had, still mapped where they were and in use">{ "Kept" }</th><th title="No longer mapped at the same logical block">{ "Unmapped" }</th><th title="Still mapped but marked free in the block bitmap">{ "Freed" }</th></tr></thead>
                <tbody>
                    { for o.files.iter().map(|f| {
                        let kept = f.blocks.saturating_sub(f.unmapped + f.freed);
                        html! {
                            <tr data-testid="sim-file" data-kept={kept.to_string()} data-blocks={f.blocks.to_string()}>
                                <td><a href={Link::new(Route::Inode(f.inode), at.clone()).to_hash()}>{ f.path.clone() }</a></td>
                                <td class={classes!((kept < f.blocks).then_some("bad"))}>{ format!("{kept} of {}", f.blocks) }</td>
                                <td>{ f.unmapped }</td>
                                <td>{ f.freed }</td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
            <p class="small">
                if o.leaked_inodes.is_empty() {
                    { "No inode is left in use without links." }
                } else {
                    { "Left in use with no links (leaked): " }
                    { for o.leaked_inodes.iter().map(|&i| html! {
                        <><a href={Link::new(Route::Inode(i), at.clone()).to_hash()}>{ format!("inode {i}") }</a>{ if temp.contains(&i) { " (the temporary inode) " } else { " " } }</>
                    }) }
                }
            </p>
        </section>
    }
}

/// Rows: crash points; columns: designs; cells: verdicts, each a link to that state.
fn compare_table(c: &SimComparison, link: &Link, ops: &str, shown: Option<&SimRef>) -> Html {
    html! {
        <div class="sim-compare-wrap">
            <table class="sim-compare" data-testid="sim-compare-table">
                <thead>
                    <tr>
                        <th>{ "Crash after" }</th>
                        { for c.designs.iter().map(|d| html! {
                            <th title={format!("{} writes, {} transactions, operations end after write {}", d.writes, d.transactions, d.end)}>
                                { d.design.clone() }<br /><span class="muted small">{ format!("{} writes · {} tx", d.writes, d.transactions) }</span>
                            </th>
                        }) }
                    </tr>
                </thead>
                <tbody>
                    { for c.points.iter().enumerate().map(|(row, &k)| html! {
                        <tr>
                            <th class="mono">{ k }</th>
                            { for c.designs.iter().map(|d| match d.cells.get(row).cloned().flatten() {
                                None => html! { <td class="muted">{ "—" }</td> },
                                Some(cell) => {
                                    let sim = SimRef { ops: ops.to_string(), design: d.design.clone(), restart_commits: true, k, ..SimRef::default() };
                                    let current = shown == Some(&sim);
                                    let href = link.clone().with_route(Route::Simulate).with_sim(Some(sim)).to_hash();
                                    let title = format!("{} writes, design {}: replays {}; e2fsck exits {}",
                                        k, d.design,
                                        if cell.replayed.is_empty() { "nothing".to_string() } else { cell.replayed.iter().map(|t| t.to_string()).collect::<Vec<_>>().join(", ") },
                                        cell.exit_code);
                                    html! {
                                        <td data-design={d.design.clone()} data-k={k.to_string()} data-verdict={cell.verdict.clone()}
                                            class={classes!((!cell.interesting).then_some("between"), current.then_some("current"))}>
                                            <a class={classes!("badge", verdict_class(&cell.verdict))} {href} {title}>{ verdict_words(&cell.verdict) }</a>
                                        </td>
                                    }
                                }
                            }) }
                        </tr>
                    }) }
                </tbody>
            </table>
            <p class="muted small">{ "Paler cells: not a point where that design's outcome can change (the same as the row above it). Outlined: the state shown." }</p>
        </div>
    }
}

/// What mount does with the crashed disk (read-only device, read-write).
pub fn mount_facts(m: &SimMount) -> Html {
    if m.ro.is_empty() {
        return html! {};
    }
    let line = |mode: &str, out: &str, says: &Option<String>, id: &str| {
        html! {
            <li data-testid={id.to_string()} data-outcome={out.to_string()}>
                { format!("mount {mode}: ") }<strong>{ out.to_string() }</strong>
                { for says.iter().map(|l| html! { <>{ " — " }<code class="klog-line">{ l.clone() }</code></> }) }
            </li>
        }
    };
    html! {
        <>
            { line("-o ro (read-only device)", &m.ro, &m.ro_says, "mount-ro-line") }
            { line("read-write (runs recovery)", &m.rw, &m.rw_says, "mount-rw-line") }
        </>
    }
}
