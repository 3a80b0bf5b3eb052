//! `#/check`: what `e2fsck -fn` would say about the state shown (the image as
//! on disk or as of a crash point), problems grouped by pass in e2fsck's
//! order and words, each with e2fsck's problem name and code and links to the
//! inode, block and group it names; beside it, what Linux does when mounting
//! that state read-only and read-write, and what `noblock_validity` and
//! `noload` change.
//!
//! The worker runs the check in slices (`Request::Check` with a budget the
//! page adapts to about 50 ms), keeping it between requests: the page shows
//! progress, can stop (showing what was found so far) and go on, and a visit
//! after the check ended gets its report at once.

use std::cell::Cell;
use std::rc::Rc;

use ext4scope_core::check::{CheckProgress, CheckReport, Finding, Printed};
use ext4scope_core::mount::{MountVerdicts, Outcome, StepStatus, Verdict};
use ext4scope_core::ownership::Phase;
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::app::use_ctx;
use crate::route::{ImageRef, Link, Route};
use crate::state::OpenImage;
use crate::widgets::copy_link::CopyLink;
use crate::widgets::progress::Progress;
use crate::worker::protocol::{Request, Response};

/// Problems drawn before "show more".
const SHOWN: usize = 400;

/// Props.
#[derive(Properties, PartialEq)]
pub struct Props {
    /// The open image.
    pub image: OpenImage,
}

/// Where the check is, as the page knows it.
#[derive(Clone, PartialEq)]
struct Run {
    progress: Option<CheckProgress>,
    found: u64,
    running: bool,
    report: Option<Rc<CheckReport>>,
    error: Option<String>,
}

#[derive(Clone, PartialEq)]
enum MountLoad {
    Waiting,
    Ready(Rc<MountVerdicts>),
    Failed(String),
}

/// e2fsck's header for a pass (its problem table's PR_*_PASS_HEADER
/// messages; written out here so the app does not link the table).
fn pass_title(pass: &str) -> &'static str {
    match pass {
        "0" => "Before the passes: superblock, journal and group descriptors",
        "1" => "Pass 1: Checking inodes, blocks, and sizes",
        "1B" => "Pass 1B: Rescanning for multiply-claimed blocks",
        "1C" => "Pass 1C: Scanning directories for inodes with multiply-claimed blocks",
        "1D" => "Pass 1D: Reconciling multiply-claimed blocks",
        "1E" => "Pass 1E: Optimizing extent trees",
        "2" => "Pass 2: Checking directory structure",
        "3" => "Pass 3: Checking directory connectivity",
        "3A" => "Pass 3A: Optimizing directories",
        "4" => "Pass 4: Checking reference counts",
        "5" => "Pass 5: Checking group summary information",
        "6" => "After the passes: orphan file and quotas",
        _ => "Other",
    }
}

/// The progress bar's label, share done and detail.
fn progress_words(p: &CheckProgress) -> (String, f64, Option<String>) {
    let s = &p.scan;
    if s.phase != Phase::Done && (p.pass <= 1 || p.pass == 5) {
        let detail = match s.phase {
            Phase::Inodes => format!(
                "{} of about {} inodes in use, group {} of {}",
                s.inodes_scanned, s.inodes_expected, s.groups_done, s.groups_total
            ),
            Phase::Resolve => "resolving multiply-claimed blocks".to_string(),
            _ => format!("reading bitmaps: group {} of {}", s.groups_done, s.groups_total),
        };
        (pass_title("1").to_string(), f64::from(s.permille) / 1000.0 * 0.85, Some(detail))
    } else {
        let pass = p.pass.to_string();
        (pass_title(&pass).to_string(), 0.85 + f64::from(p.pass.saturating_sub(1)) * 0.035, None)
    }
}

/// The verdict in words.
fn exit_words(code: i32) -> &'static str {
    match code {
        0 => "clean: no errors",
        4 => "errors left uncorrected",
        8 => "e2fsck would stop: an operational error",
        12 => "e2fsck would stop, with errors left uncorrected",
        _ => "",
    }
}

fn outcome_badge(o: Outcome) -> Html {
    let class = match o {
        Outcome::MountedRw => "ok",
        Outcome::MountedRo => "warn",
        Outcome::Refused => "bad",
    };
    html! { <span class={classes!("badge", class)} data-outcome={o.as_str()}>{ o.as_str() }</span> }
}

/// A finding's links to what it names.
fn targets(f: &Finding, at: &ImageRef) -> Html {
    let mut parts = Vec::new();
    if let Some(i) = f.inode.filter(|&i| i > 0) {
        parts.push(
            html! { <a href={Link::new(Route::Inode(i), at.clone()).to_hash()}>{ format!("inode {i}") }</a> },
        );
    }
    if let Some(b) = f.block {
        parts.push(
            html! { <a href={Link::new(Route::Block(b), at.clone()).to_hash()}>{ format!("block {b}") }</a> },
        );
    }
    if let Some(g) = f.group {
        parts.push(
            html! { <a href={Link::new(Route::Group(g), at.clone()).to_hash()}>{ format!("group {g}") }</a> },
        );
    }
    parts.into_iter().collect()
}

fn finding(f: &Finding, at: &ImageRef) -> Html {
    let answer = if f.answer { "yes" } else { "no" };
    let kind = if f.fatal {
        html! { <span class="badge bad">{ "fatal" }</span> }
    } else if f.error {
        html! { <span class="badge bad" title="leaves the file system with errors (exit 4)">{ "error" }</span> }
    } else {
        html! { <span class="badge info" title="e2fsck reports it; it does not change the exit code">{ "note" }</span> }
    };
    html! {
        <li class="check-problem" data-testid="check-problem"
            data-code={f.e2fsck_code.clone().unwrap_or_default()} data-name={f.e2fsck.clone().unwrap_or_else(|| f.code.clone())}
            data-pass={f.pass.clone()}>
            <div class="check-line">
                <span class="check-msg">{ &f.message }</span>
                { match f.printed {
                    Printed::Asked => html! { <span class="check-prompt">{ format!(" {}? {answer}", f.prompt) }</span> },
                    Printed::Ignored => html! { <span class="check-prompt">{ " IGNORED." }</span> },
                    Printed::Message => html! {},
                    Printed::Suppressed => html! {
                        <span class="muted small" title="e2fsck -n does not print it; its problem_log records it">{ " (not printed)" }</span>
                    },
                } }
            </div>
            <div class="check-meta small">
                { kind }
                if let Some(name) = &f.e2fsck {
                    <code title="e2fsck's problem name (problem.h)">{ name }</code>
                } else {
                    <code title="ours: e2fsck has no code for it">{ &f.code }</code>
                }
                if let Some(code) = &f.e2fsck_code {
                    <code class="muted" title="e2fsck's problem code, as problem_log writes it">{ code }</code>
                }
                <span class="check-targets">{ targets(f, at) }</span>
            </div>
        </li>
    }
}

/// The problems, grouped by pass in the order e2fsck raises them.
fn problems(report: &CheckReport, at: &ImageRef, limit: usize) -> Html {
    let mut groups: Vec<(&str, Vec<&Finding>)> = Vec::new();
    for f in report.problems.iter().take(limit) {
        match groups.last_mut() {
            Some((p, list)) if *p == f.pass.as_str() => list.push(f),
            _ => groups.push((f.pass.as_str(), vec![f])),
        }
    }
    groups
        .into_iter()
        .map(|(pass, list)| {
            html! {
                <section class="check-pass" data-pass={pass.to_string()}>
                    <h3>{ pass_title(pass) }<span class="muted small">{ format!(" · {}", list.len()) }</span></h3>
                    <ol class="check-list">{ for list.into_iter().map(|f| finding(f, at)) }</ol>
                </section>
            }
        })
        .collect()
}

/// Problems listed, without e2fsck's notes (lines that are not problems).
fn notes_free(r: &CheckReport) -> usize {
    r.problems.iter().filter(|f| f.e2fsck.is_some()).count()
}

/// The report: the verdict, then the problems.
fn report_html(r: &CheckReport, at: &ImageRef, limit: usize, more: Callback<MouseEvent>) -> Html {
    let errors = r.problems.iter().filter(|f| f.error).count();
    let class = match r.exit_code {
        0 => "ok",
        4 => "warn",
        _ => "bad",
    };
    let listed = r.problems.len();
    html! {
        <div data-testid="check-report" data-exit={r.exit_code.to_string()} data-complete={r.complete.to_string()}>
            <p class="check-verdict">
                <span class={classes!("badge", class, "big")} data-testid="check-exit">{ format!("exit {}", r.exit_code) }</span>
                { " " }<strong>{ exit_words(r.exit_code) }</strong>
                if !r.complete {
                    <span class="badge warn">{ "stopped early: partial" }</span>
                }
            </p>
            <p class="muted small">
                { format!("{} problem(s), {errors} of them errors", (notes_free(r) as u64).saturating_add(r.unlisted)) }
                if r.unlisted > 0 { { format!(" ({} not listed)", r.unlisted) } }
                { ". Each is asked as e2fsck -fn asks it: the answer is always no." }
            </p>
            if let Some(why) = &r.aborted {
                <p class="banner bad" data-testid="check-aborted">{ why }</p>
            }
            if listed == 0 && r.complete {
                <p class="ok-text">{ "Nothing to report: e2fsck -fn would print its five passes and exit 0." }</p>
            }
            { problems(r, at, limit) }
            if listed > limit {
                <p><button type="button" class="button small" onclick={more}>
                    { format!("Show {} more of {listed}", (listed - limit).min(SHOWN * 4)) }
                </button></p>
            }
        </div>
    }
}

fn messages(v: &Verdict) -> Html {
    html! {
        <pre class="klog">{ for v.messages.iter().map(|m| html! { <>{ m }{ "\n" }</> }) }</pre>
    }
}

fn steps(v: &Verdict) -> Html {
    html! {
        <ol class="mount-steps small">
            { for v.steps.iter().map(|s| {
                let (class, word) = match s.status {
                    StepStatus::Pass => ("ok", "pass"),
                    StepStatus::Warn => ("warn", "warn"),
                    StepStatus::Fail => ("bad", "fail"),
                    StepStatus::Skipped => ("", "skip"),
                    StepStatus::Unmodelled => ("info", "not modelled"),
                };
                html! {
                    <li>
                        <span class={classes!("badge", class)}>{ word }</span>{ " " }
                        <code>{ &s.function }</code>{ ": " }{ &s.check }
                        <div class="muted">{ &s.detail }</div>
                    </li>
                }
            }) }
        </ol>
    }
}

fn verdict_block(label: &str, how: &str, key: &str, v: &Verdict) -> Html {
    html! {
        <div class="mount-verdict" data-testid={format!("mount-{key}")} data-outcome={v.outcome.as_str()}>
            <h3>{ label }{ " " }{ outcome_badge(v.outcome) }</h3>
            <p class="muted small"><code>{ how }</code></p>
            { messages(v) }
            if let Some(why) = &v.incomplete {
                <p class="small banner warn">{ format!("The model stops short of the kernel here ({why}): the outcome is a guess.") }</p>
            }
            <details>
                <summary class="small">{ format!("The checks, in the kernel's order ({})", v.steps.len()) }</summary>
                { steps(v) }
            </details>
        </div>
    }
}

fn mount_html(m: &MountVerdicts) -> Html {
    let option = |name: &str, ro: &Verdict, rw: &Verdict| {
        let same = |a: &Verdict, b: &Verdict| a.outcome == b.outcome && a.messages == b.messages;
        let changed = !same(ro, &m.ro) || !same(rw, &m.rw);
        html! {
            <div class="mount-option" data-option={name.to_string()}>
                <div class="mount-option-row">
                    <code>{ format!("-o {name}") }</code>
                    <span class="muted small">{ "ro" }</span>{ outcome_badge(ro.outcome) }
                    <span class="muted small">{ "rw" }</span>{ outcome_badge(rw.outcome) }
                    if !changed {
                        <span class="muted small">{ "no change" }</span>
                    }
                </div>
                if changed {
                    <details class="small">
                        <summary>{ "what changes: the kernel's log" }</summary>
                        <p class="muted">{ "read-only:" }</p>{ messages(ro) }
                        <p class="muted">{ "read-write:" }</p>{ messages(rw) }
                    </details>
                }
            </div>
        }
    };
    html! {
        <>
            { verdict_block("Read-only", "losetup -r; mount -o ro (nothing can be written, not even recovery)", "ro", &m.ro) }
            { verdict_block("Read-write", "mount -o rw", "rw", &m.rw) }
            <h3>{ "With options" }</h3>
            { option("noblock_validity", &m.noblock_validity.ro, &m.noblock_validity.rw) }
            { option("noload", &m.noload.ro, &m.noload.rw) }
            <p class="muted small">
                { format!("Modelled on Linux {}: ext4_fill_super's checks in order, on this state's bytes. \
                   Since Linux 5.9 the system zone (block_validity) refuses, even read-only, a file system whose \
                   groups' bitmaps or inode tables overlap each other or the journal; earlier kernels mounted \
                   such images read-only. noblock_validity skips that check.", m.kernel) }
            </p>
        </>
    }
}

/// The check page.
#[component]
pub fn CheckView(props: &Props) -> Html {
    let ctx = use_ctx();
    let at = props.image.at();
    let run = use_state(|| Run { progress: None, found: 0, running: true, report: None, error: None });
    let mount = use_state(|| MountLoad::Waiting);
    let limit = use_state(|| SHOWN);
    let cancel = use_memo(props.image.id, |_| Rc::new(Cell::new(false)));

    // The check loop: step, adapt the budget, show progress; the report at the end.
    let go = {
        let (ctx, run, cancel) = (ctx.clone(), run.clone(), (*cancel).clone());
        Rc::new(move || {
            let (ctx, run, cancel) = (ctx.clone(), run.clone(), cancel.clone());
            cancel.set(false);
            spawn_local(async move {
                let mut budget: u64 = 256;
                loop {
                    let stop = cancel.get();
                    let t0 = js_sys::Date::now();
                    let r = ctx
                        .services
                        .request(Request::Check { budget: if stop { 0 } else { budget }, report: stop })
                        .await;
                    let mut dt = js_sys::Date::now() - t0;
                    match r {
                        Response::Check { progress, done, found, report, worked_ms } => {
                            // The worker's own time sizes the next slice.
                            if worked_ms > 0.0 {
                                dt = worked_ms;
                            }
                            let running = !done && !stop;
                            run.set(Run {
                                progress: Some(progress),
                                found,
                                running,
                                report: report.map(|r| Rc::new(*r)),
                                error: None,
                            });
                            if !running {
                                break;
                            }
                        }
                        Response::Failed { error } => {
                            run.set(Run {
                                progress: None,
                                found: 0,
                                running: false,
                                report: None,
                                error: Some(error.to_string()),
                            });
                            break;
                        }
                        other => {
                            run.set(Run {
                                progress: None,
                                found: 0,
                                running: false,
                                report: None,
                                error: Some(format!("unexpected answer to check: {}", other.kind())),
                            });
                            break;
                        }
                    }
                    budget = crate::widgets::progress::next_budget(budget, dt);
                }
            });
        })
    };
    {
        let (go, cancel) = (go.clone(), (*cancel).clone());
        use_effect_with(props.image.id, move |_| {
            go();
            move || cancel.set(true)
        });
    }
    {
        let (ctx, mount) = (ctx.clone(), mount.clone());
        use_effect_with(props.image.id, move |_| {
            spawn_local(async move {
                mount.set(match ctx.services.request(Request::MountVerdict).await {
                    Response::MountVerdict { verdicts } => MountLoad::Ready(Rc::new(*verdicts)),
                    Response::Failed { error } => MountLoad::Failed(error.to_string()),
                    other => MountLoad::Failed(format!("unexpected answer: {}", other.kind())),
                });
            });
        });
    }

    let stop = {
        let cancel = (*cancel).clone();
        Callback::from(move |_: MouseEvent| cancel.set(true))
    };
    let resume = {
        let go = go.clone();
        Callback::from(move |_: MouseEvent| go())
    };
    let more = {
        let limit = limit.clone();
        Callback::from(move |_: MouseEvent| limit.set(*limit + SHOWN * 4))
    };

    let state_words = if props.image.sim.is_some() {
        props.image.state_words()
    } else {
        format!("the image {}", props.image.crash.words())
    };
    let check_body = if let Some(e) = &run.error {
        html! { <p class="banner bad" role="alert">{ format!("The check could not run: {e}") }</p> }
    } else if run.running {
        let (label, fraction, detail) = run
            .progress
            .as_ref()
            .map(progress_words)
            .unwrap_or_else(|| ("Starting the check".to_string(), 0.0, None));
        let detail = format!(
            "{}{} problem(s) so far",
            detail.map(|d| format!("{d} · ")).unwrap_or_default(),
            run.found
        );
        html! {
            <div data-testid="check-running">
                <Progress label={label} fraction={Some(fraction)} detail={Some(AttrValue::from(detail))} />
                <p><button type="button" class="button small" onclick={stop} data-testid="check-stop">{ "Stop" }</button></p>
            </div>
        }
    } else if let Some(r) = &run.report {
        html! {
            <>
                if !r.complete {
                    <p><button type="button" class="button small" onclick={resume} data-testid="check-resume">{ "Go on checking" }</button></p>
                }
                { report_html(r, &at, *limit, more) }
            </>
        }
    } else {
        html! { <p class="muted">{ "Waiting for the worker…" }</p> }
    };
    let mount_body = match &*mount {
        MountLoad::Waiting => html! { <p class="muted">{ "Working out what mount would do…" }</p> },
        MountLoad::Failed(e) => html! { <p class="banner bad">{ format!("No verdict: {e}") }</p> },
        MountLoad::Ready(m) => mount_html(m),
    };

    html! {
        <div class="check-view">
            <div class="title-row">
                <h1>{ "Check" }</h1>
                <span class="muted">{ state_words }</span>
                <span class="spacer"></span>
                <CopyLink link={Link::new(Route::Check, at.clone())} />
            </div>
            <div class="check-cols">
                <section class="card" aria-labelledby="h-fsck" data-testid="check-card">
                    <h2 id="h-fsck">{ "What e2fsck would say" }<span class="muted small">{ " · e2fsck -fn" }</span></h2>
                    { check_body }
                </section>
                <section class="card" aria-labelledby="h-mount" data-testid="mount-card">
                    <h2 id="h-mount">{ "What mount would do" }</h2>
                    { mount_body }
                </section>
            </div>
        </div>
    }
}
