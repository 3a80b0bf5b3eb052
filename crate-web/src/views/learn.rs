//! `#/learn` (the guided scenarios) and `#/learn/NAME/STEP?variant=V` (one
//! step): the step's operations, its generated narration, its writes drawn
//! against the stream, the decoded field changes and what a crash at its
//! end leaves. "Crash here" (and C) switches the whole app to the simulated
//! disk at the step's end (`sim=…&k=K`, as `#/simulate` does); ← → step.
//! A step opens the scenario's built-in sample when another image is open.

use std::rc::Rc;

use yew::platform::spawn_local;
use yew::prelude::*;

use crate::app::{navigate, use_ctx};
use crate::route::{Link, Route};
use crate::state::{Action, OpenImage};
use crate::views::keys::{typing, use_arrow_keys};
use crate::worker::learn::{LearnOutcome, LearnScenario, LearnWalk};
use crate::worker::protocol::{Request, Response};

#[derive(Clone, PartialEq)]
enum Load<T> {
    Waiting,
    Ready(Rc<T>),
    Failed(String),
}

fn verdict_class(v: &str) -> &'static str {
    match v {
        "clean" => "ok",
        "data-loss" | "stale-data" => "bad",
        _ => "warn",
    }
}

/// The scenario list, asked of the worker once per component.
#[hook]
fn use_scenarios() -> Load<Vec<LearnScenario>> {
    let ctx = use_ctx();
    let list = use_state(|| Load::Waiting);
    {
        let list = list.clone();
        use_effect_with((), move |_| {
            spawn_local(async move {
                list.set(match ctx.services.request(Request::Scenarios).await {
                    Response::Scenarios { scenarios } => Load::Ready(Rc::new(scenarios)),
                    Response::Failed { error } => Load::Failed(error.to_string()),
                    other => Load::Failed(format!("unexpected answer: {}", other.kind())),
                });
            });
        });
    }
    (*list).clone()
}

fn step_link(s: &LearnScenario, step: u32, variant: Option<&str>) -> Link {
    let route = Route::LearnStep {
        scenario: s.name.clone(),
        step,
        variant: variant.filter(|v| s.variants.first().is_none_or(|f| f.name != *v)).map(str::to_string),
        crash: None,
    };
    Link::new(route, None::<String>).with_sample(Some(s.sample.clone()))
}

/// `#/learn`.
#[component]
pub fn LearnList() -> Html {
    let body = match use_scenarios() {
        Load::Waiting => html! { <p class="muted">{ "Loading the scenarios…" }</p> },
        Load::Failed(e) => html! { <p class="banner bad">{ e }</p> },
        Load::Ready(list) => html! {
            <ol class="learn-list" data-testid="learn-list">
                { for list.iter().map(|s| html! {
                    <li class="card" data-scenario={s.name.clone()}>
                        <h2><a href={step_link(s, 1, None).to_hash()} data-testid="learn-open">{ s.title.clone() }</a></h2>
                        <p>{ s.summary.clone() }</p>
                        <p class="small muted">
                            { "on the " }<code>{ s.sample.clone() }</code>{ " sample · variants: " }
                            { for s.variants.iter().enumerate().map(|(i, v)| html! {
                                <>{ if i > 0 { " · " } else { "" } }
                                <a href={step_link(s, 1, Some(&v.name)).to_hash()} title={v.label.clone()}>{ v.name.clone() }</a></>
                            }) }
                        </p>
                    </li>
                }) }
            </ol>
        },
    };
    html! {
        <div class="learn-view">
            <div class="title-row">
                <h1>{ "Learn" }</h1>
                <span class="muted">{ "journaling and crash consistency, step by step, on real ext4 structures" }</span>
            </div>
            <p class="lede small">
                { "Each scenario runs a few operations on a built-in sample through the simulator, as the kernel \
                   performs them; every step is explained from the transactions it commits, the blocks they change \
                   and what a crash at its end leaves. Nothing is uploaded." }
            </p>
            { body }
        </div>
    }
}

/// Props of a step.
#[derive(Properties, PartialEq)]
pub struct StepProps {
    /// The open image, if any.
    pub image: Option<OpenImage>,
    /// The scenario.
    pub scenario: String,
    /// 1-based.
    pub step: u32,
    /// The variant (`None`: the first).
    pub variant: Option<String>,
    /// `crash=K`: show the disk a crash after K writes of the run leaves.
    #[prop_or_default]
    pub crash: Option<u32>,
}

/// `#/learn/NAME/STEP`.
#[component]
pub fn LearnStepView(props: &StepProps) -> Html {
    let ctx = use_ctx();
    let list = use_scenarios();
    let walk = use_state(|| Load::<LearnWalk>::Waiting);
    let scenario = match &list {
        Load::Ready(l) => l.iter().find(|s| s.name == props.scenario).cloned(),
        _ => None,
    };
    let on_sample = scenario
        .as_ref()
        .is_some_and(|s| props.image.as_ref().and_then(|o| o.source.sample()) == Some(&s.sample));
    // Another image (or none): open the scenario's sample (the link names it).
    {
        let (ctx, want) = (ctx.clone(), scenario.as_ref().map(|s| s.sample.clone()));
        use_effect_with((want, on_sample), move |(want, on)| {
            if let (Some(sample), false) = (want, on) {
                if ctx.state.link.sample.as_deref() != Some(sample.as_str()) {
                    let link = ctx.state.link.clone().with_sim(None).with_sample(Some(sample.clone()));
                    let link = Link { fp: None, ..link };
                    if let Some(h) = web_sys::window().and_then(|w| w.history().ok()) {
                        let _ =
                            h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&link.to_hash()));
                    }
                    ctx.state.dispatch(Action::UrlChanged(link));
                }
            }
        });
    }
    let image_id = props.image.as_ref().map(|o| o.id);
    {
        let (ctx, walk) = (ctx.clone(), walk.clone());
        let key = (image_id, on_sample, props.scenario.clone(), props.variant.clone());
        use_effect_with(key, move |(_, on, scenario, variant)| {
            if *on {
                walk.set(Load::Waiting);
                let (scenario, variant) = (scenario.clone(), variant.clone().unwrap_or_default());
                spawn_local(async move {
                    walk.set(match ctx.services.request(Request::Learn { scenario, variant }).await {
                        Response::Learn { walk } => Load::Ready(Rc::from(walk)),
                        Response::Failed { error } => Load::Failed(error.to_string()),
                        other => Load::Failed(format!("unexpected answer: {}", other.kind())),
                    });
                });
            }
        });
    }
    let ready = match (&*walk, on_sample) {
        (Load::Ready(w), true) => Some(w.clone()),
        _ => None,
    };
    let n = ready.as_ref().map_or(0, |w| w.steps.len() as u32);
    let step = props.step.clamp(1, n.max(1));
    let crashed_at = ctx
        .state
        .link
        .sim
        .as_ref()
        .filter(|s| ready.as_ref().is_some_and(|w| w.sim.same_run(s)))
        .map(|s| s.k);
    // Keys: ← → step (back to the disk as on disk), C crashes at the step's end.
    {
        let (link, ready, scenario) = (ctx.state.link.clone(), ready.clone(), scenario.clone());
        let variant = props.variant.clone();
        use_arrow_keys(move |forward| {
            let (Some(_), Some(s)) = (&ready, &scenario) else { return };
            let next = if forward { (step + 1).min(n) } else { step.saturating_sub(1).max(1) };
            if next != step {
                navigate(&Link { fp: link.fp.clone(), ..step_link(s, next, variant.as_deref()) });
            }
        });
    }
    // `crash=K`: the same state as the run's simulated disk after K writes
    // (the link every view understands), replacing the short form.
    {
        let (ctx, link, target) = (ctx.clone(), ctx.state.link.clone(), props.crash);
        let run = ready.as_ref().map(|w| (w.sim.clone(), w.writes.len() as u32));
        let key = (target, run.as_ref().map(|r| r.0.clone()));
        use_effect_with(key, move |_| {
            if let (Some(k), Some((sim, n))) = (target, run) {
                if link.sim.is_none() {
                    let route = match link.route.clone() {
                        Route::LearnStep { crash: _, scenario, step, variant } => {
                            Route::LearnStep { crash: None, scenario, step, variant }
                        }
                        r => r,
                    };
                    let to = link.with_route(route).with_sim(Some(sim.at(k.min(n))));
                    if let Some(h) = web_sys::window().and_then(|w| w.history().ok()) {
                        let _ =
                            h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&to.to_hash()));
                    }
                    ctx.state.dispatch(Action::UrlChanged(to));
                }
            }
        });
    }
    let crash_link = ready.as_ref().zip(scenario.as_ref()).and_then(|(w, s)| {
        let st = w.steps.get(step as usize - 1)?;
        let l = step_link(s, step, props.variant.as_deref());
        Some(Link { fp: ctx.state.link.fp.clone(), ..l }.with_sim(Some(w.sim.at(st.end))))
    });
    {
        let crash_link = crash_link.clone();
        use_effect_with(crash_link, move |crash_link| {
            let crash_link = crash_link.clone();
            let listener = web_sys::window().map(|w| {
                gloo::events::EventListener::new(&w, "keydown", move |e| {
                    let Some(e) = wasm_bindgen::JsCast::dyn_ref::<web_sys::KeyboardEvent>(e) else { return };
                    if e.alt_key() || e.ctrl_key() || e.meta_key() || typing(e) {
                        return;
                    }
                    if e.key() == "c" || e.key() == "C" {
                        if let Some(l) = &crash_link {
                            navigate(l);
                        }
                    }
                })
            });
            move || drop(listener)
        });
    }

    let Some(s) = scenario else {
        return match list {
            Load::Ready(_) => {
                html! { <p class="banner bad" data-testid="learn-error">{ format!("No scenario `{}`. ", props.scenario) }<a href="#/learn">{ "The scenarios" }</a></p> }
            }
            Load::Failed(e) => html! { <p class="banner bad">{ e }</p> },
            Load::Waiting => html! { <p class="muted">{ "Loading the scenarios…" }</p> },
        };
    };
    let variant = props
        .variant
        .clone()
        .unwrap_or_else(|| s.variants.first().map(|v| v.name.clone()).unwrap_or_default());
    let variants = html! {
        <nav class="learn-variants small" aria-label="Variants" data-testid="learn-variants">
            { "Variant: " }
            { for s.variants.iter().map(|v| {
                let current = v.name == variant;
                html! {
                    <a class={classes!("button", "tiny", current.then_some("current"))} aria-current={current.then_some("page")}
                       href={step_link(&s, 1, Some(&v.name)).to_hash()} title={v.label.clone()} data-variant={v.name.clone()}>{ v.name.clone() }</a>
                }
            }) }
            <span class="muted">{ s.variants.iter().find(|v| v.name == variant).map(|v| format!(" · {}", v.label)).unwrap_or_default() }</span>
        </nav>
    };
    let body = match (&*walk, ready.as_ref()) {
        (_, Some(w)) => {
            let blocks = props.image.as_ref().map_or(0, |o| o.info.blocks_count);
            step_html(
                &s,
                w,
                step,
                props.variant.as_deref(),
                crashed_at,
                crash_link.clone(),
                &ctx.state.link,
                blocks,
            )
        }
        (Load::Failed(e), _) => html! { <p class="banner bad" data-testid="learn-error">{ e.clone() }</p> },
        _ => {
            html! { <p class="muted" data-testid="learn-waiting">{ format!("Opening the {} sample and walking the scenario…", s.sample) }</p> }
        }
    };
    html! {
        <div class="learn-view">
            <div class="title-row">
                <h1><a href="#/learn">{ "Learn" }</a>{ " · " }{ s.title.clone() }</h1>
            </div>
            <p class="small">{ s.summary.clone() }</p>
            { variants }
            { body }
        </div>
    }
}

#[allow(clippy::too_many_arguments)]
fn step_html(
    s: &LearnScenario,
    w: &LearnWalk,
    step: u32,
    variant: Option<&str>,
    crashed_at: Option<u32>,
    crash_link: Option<Link>,
    link: &Link,
    blocks: u64,
) -> Html {
    let n = w.steps.len() as u32;
    let Some(st) = w.steps.get(step as usize - 1) else { return html! {} };
    let nav = |to: u32, label: &str, key: &str| {
        let l = Link { fp: link.fp.clone(), ..step_link(s, to, variant) };
        html! { <a class="button small" href={l.to_hash()} data-testid={key.to_string()}>{ label.to_string() }</a> }
    };
    // The outcome shown: the crash point the app is at when it is one of
    // this step's, else a crash at the step's end.
    let shown = crashed_at
        .and_then(|k| w.crash_points.iter().find(|c| c.outcome.point == k && k >= st.first && k <= st.end))
        .unwrap_or(&st.crash);
    let here = crashed_at == Some(shown.outcome.point);
    let at = link.image_ref();
    let strip = w.writes.iter().enumerate().map(|(i, x)| {
        let i = i as u32;
        let inside = i >= st.first && i < st.end;
        let class = crate::views::simulate::kind_class(&x.kind);
        let title = format!("write #{i}: {} of block {}{}", x.kind, x.block, x.tid.map(|t| format!(", tid {t}")).unwrap_or_default());
        html! { <span class={classes!("learn-w", class, x.is_journal().then_some("j"), (!inside).then_some("out"), w.commits.contains(&i).then_some("commit"))} {title}></span> }
    }).collect::<Html>();
    let steps_nav = (1..=n).map(|i| {
        let l = Link { fp: link.fp.clone(), ..step_link(s, i, variant) };
        html! { <a href={l.to_hash()} class={classes!("learn-step-dot", (i == step).then_some("current"))}
                   aria-current={(i == step).then_some("step")} title={w.steps[i as usize - 1].ops.clone()}>{ i }</a> }
    }).collect::<Html>();
    let points = w.crash_points.iter().filter(|c| c.outcome.point >= st.first && c.outcome.point <= st.end).map(|c| {
        let l = Link { fp: link.fp.clone(), ..step_link(s, step, variant) }.with_sim(Some(w.sim.at(c.outcome.point)));
        html! {
            <a class={classes!("badge", verdict_class(&c.outcome.verdict), (crashed_at == Some(c.outcome.point)).then_some("current"))}
               href={l.to_hash()} title={c.explain.clone()} data-testid="learn-point" data-k={c.outcome.point.to_string()}
               data-verdict={c.outcome.verdict.clone()}>{ format!("{} · {}", c.outcome.point, c.outcome.verdict) }</a>
        }
    }).collect::<Html>();
    html! {
        <>
        <div class="learn-nav" data-testid="learn-nav">
            if step > 1 { { nav(step - 1, "← previous", "learn-prev") } }
            <span class="learn-steps">{ "Step " }{ steps_nav }</span>
            if step < n { { nav(step + 1, "next →", "learn-next") } }
            <span class="spacer"></span>
            <span class="muted small">{ "← → step · C crashes here" }</span>
        </div>
        <section class="card learn-step" data-testid="learn-step" data-step={step.to_string()} data-steps={n.to_string()}
                 data-first={st.first.to_string()} data-end={st.end.to_string()} data-verdict={st.crash.outcome.verdict.clone()}>
            <h2>{ format!("Step {step} of {n}") }</h2>
            <pre class="learn-ops" data-testid="learn-ops">{ st.ops.clone() }</pre>
            <ul class="learn-narration" data-testid="learn-narration">
                { for st.narration.iter().map(|l| html! { <li>{ l.clone() }</li> }) }
            </ul>
            <div class="learn-strip" data-testid="learn-strip" aria-label="The write stream: this step's writes bright, journal writes raised">{ strip }</div>
            { disk_html(w, st.first, st.end, blocks) }
            <p class="muted small">{ format!("writes {}–{} of {} (this step's are bright; journal writes raised; the operations end after write {})",
                st.first, st.end.saturating_sub(1).max(st.first), w.writes.len(), w.end) }</p>
            <p class="small">
                <a href={Link { fp: link.fp.clone(), ..Link::new(Route::Simulate, None::<String>).with_sample(Some(s.sample.clone())) }
                    .with_sim(Some(w.sim.at(st.end))).to_hash()} data-testid="learn-own">{ "Your own: edit these operations in Simulate" }</a>
                <span class="muted">{ " (the whole run, its write stream, every crash point and the designs side by side)" }</span>
            </p>
        </section>
        <div class="learn-main">
            <section class="card" data-testid="learn-changes">
                <h2>{ "What the transactions change" }</h2>
                if st.changes.is_empty() {
                    <p class="muted">{ "No transaction committed in this step." }</p>
                } else {
                    <ul class="learn-changes">
                        { for st.changes.iter().map(|c| html! {
                            <li>
                                <a href={Link::new(Route::Block(c.block), at.clone()).to_hash()} class="mono">{ format!("block {}", c.block) }</a>
                                { format!(" — {}", c.what) }
                                if c.summary.is_empty() { <div class="muted small">{ "rewritten, no field changes" }</div> }
                                { for c.summary.iter().map(|l| html! { <div class="small mono-ish">{ l.clone() }</div> }) }
                            </li>
                        }) }
                    </ul>
                }
            </section>
            { outcome_card(shown, here, crash_link, link) }
        </div>
        <section class="card">
            <h2>{ "Crash points in this step" }</h2>
            <p class="small">{ "Where the outcome can change; each switches the whole app to the simulated disk there." }</p>
            <p class="learn-points">{ points }</p>
        </section>
        </>
    }
}

/// The step's writes drawn against the disk: block 0 at the left, the last
/// block at the right; journal writes above the line, home writes below,
/// coloured by kind.
fn disk_html(w: &LearnWalk, first: u32, end: u32, blocks: u64) -> Html {
    if blocks == 0 {
        return html! {};
    }
    let (width, height) = (1000.0_f64, 40.0_f64);
    let mut ticks: Vec<(u64, &str, bool)> = w
        .writes
        .get(first as usize..(end as usize).min(w.writes.len()))
        .unwrap_or_default()
        .iter()
        .map(|x| (x.block, x.kind.as_str(), x.is_journal()))
        .collect();
    ticks.sort_unstable();
    ticks.dedup_by_key(|t| t.0);
    let n = ticks.len();
    let marks = ticks.into_iter().map(|(b, kind, j)| {
        let x = (b.min(blocks - 1) as f64 + 0.5) / blocks as f64 * width;
        let (y, h) = if j { (2.0, 17.0) } else { (21.0, 17.0) };
        let class = crate::views::simulate::kind_class(kind);
        html! { <rect class={class} x={format!("{:.1}", x - 1.0)} y={y.to_string()} width="2" height={h.to_string()}><title>{ format!("block {b}: {kind}") }</title></rect> }
    }).collect::<Html>();
    html! {
        <figure class="learn-disk" data-testid="learn-disk" data-blocks={n.to_string()}>
            <svg viewBox={format!("0 0 {width} {height}")} preserveAspectRatio="none" role="img"
                 aria-label={format!("this step's {n} written blocks against the disk's {blocks}")}>
                <rect class="learn-disk-bg" x="0" y="0" width={width.to_string()} height={height.to_string()} />
                <line class="learn-disk-mid" x1="0" y1="20" x2={width.to_string()} y2="20" />
                { marks }
            </svg>
            <figcaption class="muted small">{ format!("the disk, block 0 to {}: this step's {n} distinct blocks written, journal above the line, home locations below", blocks - 1) }</figcaption>
        </figure>
    }
}

fn outcome_card(o: &LearnOutcome, here: bool, crash_link: Option<Link>, link: &Link) -> Html {
    let x = &o.outcome;
    let at = link.image_ref();
    let back = link.clone().with_sim(None).to_hash();
    html! {
        <section class="card learn-outcome" data-testid="learn-outcome" data-verdict={x.verdict.clone()} data-point={x.point.to_string()}
                 data-exit={x.exit_code.to_string()}>
            <h2>
                { if here { format!("The crash after write {}: ", x.point) } else { format!("A crash at the end of the step (after write {}): ", x.point) } }
                <span class={classes!("badge", "big", verdict_class(&x.verdict))} data-testid="learn-verdict">{ x.verdict.clone() }</span>
            </h2>
            <ul class="sim-facts small">
                <li>{ if x.replayed.is_empty() { "recovery replays nothing".to_string() } else {
                    format!("recovery replays transaction(s) {}", x.replayed.iter().map(|t| t.to_string()).collect::<Vec<_>>().join(", ")) } }</li>
                if x.orphan_cleanup.is_empty() {
                    <li>{ "the next mount's orphan cleanup has nothing to do" }</li>
                } else {
                    { for x.orphan_cleanup.iter().map(|l| html! { <li>{ format!("orphan cleanup at the next mount: {l}") }</li> }) }
                }
                <li data-testid="learn-exit">{ format!("e2fsck -fn then exits {}", x.exit_code) }</li>
                { crate::views::simulate::mount_facts(&x.mount) }
                { for x.problems.iter().map(|p| html! { <li><code>{ p.name.clone() }</code>{ " " }<span class="muted mono">{ p.code.clone().unwrap_or_default() }</span></li> }) }
                { for x.files.iter().map(|f| html! { <li>{ format!("{}: {} of {} data blocks kept ({} freed, {} unmapped)", f.path, f.blocks.saturating_sub(f.unmapped + f.freed), f.blocks, f.freed, f.unmapped) }</li> }) }
                { for o.written.iter().map(|f| html! { <li data-testid="learn-written">{ format!("{} is {} ({}; the operations gave it {} bytes)", f.path, f.content,
                    f.size.map_or("no such file".to_string(), |s| format!("{s} bytes on disk")), f.expected_size) }</li> }) }
                { for o.revoke_guards.iter().map(|g| html! { <li>{ format!("the revoke record of transaction {} keeps recovery from copying transaction {}'s old block {} {}",
                    g.revoked_in, g.logged_in, g.block, g.now_data_of.as_deref().map(|p| format!("over {p}'s data")).unwrap_or_else(|| "back".into())) }</li> }) }
                if !x.leaked_inodes.is_empty() {
                    <li>{ "leaked (in use, no links): " }{ for x.leaked_inodes.iter().map(|&i| html! { <><a href={Link::new(Route::Inode(i), at.clone()).to_hash()}>{ format!("inode {i}") }</a>{ " " }</> }) }</li>
                }
            </ul>
            <p class="learn-crash">
                if here {
                    <span class="badge sim" data-testid="learn-crashed">{ format!("the app shows the simulated disk after {} writes", x.point) }</span>
                    { " " }
                    <a href={Link::new(Route::Inode(2), at.clone()).to_hash()}>{ "Inodes" }</a>{ " · " }
                    <a href={Link::new(Route::Journal, at.clone()).to_hash()}>{ "Journal" }</a>{ " · " }
                    <a href={Link::new(Route::Check, at.clone()).to_hash()}>{ "Check" }</a>{ " · " }
                    <a href={back} data-testid="learn-uncrash">{ "back to the disk as on disk" }</a>
                } else if let Some(l) = crash_link {
                    <a class="button" href={l.to_hash()} data-testid="learn-crash">{ "Crash here (C)" }</a>
                    <span class="muted small">{ " switches every view to the disk a crash here leaves" }</span>
                }
            </p>
        </section>
    }
}
