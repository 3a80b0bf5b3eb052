//! The crash-point control in the header: which state of the image every
//! view shows — as on disk, as recovery leaves it after a crash right after
//! transaction N, or after recovery replays the whole log. Choosing one
//! follows a link (`crash=`), so back returns to the previous state.

use yew::prelude::*;

use crate::app::{navigate, use_ctx};
use crate::route::{CrashPoint, Route};
use crate::state::JournalInfo;

/// Crash points listed one by one before the list is thinned out.
const MAX_OPTIONS: usize = 300;

/// The control (nothing when the journal has nothing to replay).
#[component]
pub fn CrashControl() -> Html {
    let ctx = use_ctx();
    let state = &ctx.state;
    let Some(o) = state.open() else { return html! {} };
    let points: &[u32] = match &o.journal {
        JournalInfo::Ready(s) => &s.crash_points,
        _ => &[],
    };
    let shown = o.crash_pending.unwrap_or(o.crash);
    // A simulated disk: said first, with the way back to the image as on disk.
    let sim = o.sim.as_ref().map(|s| {
        let back = state.link.clone().with_sim(None).to_hash();
        let to_sim = state.link.with_route(Route::Simulate).to_hash();
        let n = o.sim_writes.map(|n| format!(" of {n}")).unwrap_or_default();
        html! {
            <span class="sim-state" data-testid="sim-state" data-k={s.k.to_string()}>
                <a class="badge sim" href={to_sim} title={format!("design {}; the operations:\n{}", s.design, s.ops)}>
                    { format!("simulated: after {}{n} writes", s.k) }
                </a>
                <a class="small" href={back} title="The image as on disk" data-testid="sim-leave">{ "×" }</a>
            </span>
        }
    });
    if points.is_empty() && shown == CrashPoint::Disk {
        return html! {
            if let Some(sim) = sim {
                <div class="crash-control replayed" data-testid="crash-control" data-crash={o.crash.value()}>{ sim }</div>
            }
        };
    }
    let mut options: Vec<CrashPoint> = vec![CrashPoint::Disk];
    if points.len() <= MAX_OPTIONS {
        options.extend(points.iter().map(|&n| CrashPoint::After(n)));
    } else {
        // The first and last ones, and the one shown; the journal page reaches the rest.
        let half = MAX_OPTIONS / 2;
        options.extend(points[..half].iter().map(|&n| CrashPoint::After(n)));
        if let CrashPoint::After(n) = shown {
            if !points[..half].contains(&n) && !points[points.len() - half..].contains(&n) {
                options.push(shown);
            }
        }
        options.extend(points[points.len() - half..].iter().map(|&n| CrashPoint::After(n)));
    }
    options.push(CrashPoint::All);
    if !options.contains(&shown) {
        options.insert(1, shown);
    }
    let onchange = {
        let link = state.link.clone();
        Callback::from(move |e: Event| {
            let sel: web_sys::HtmlSelectElement = e.target_unchecked_into();
            if let Some(c) = CrashPoint::parse(&sel.value()) {
                navigate(&link.clone().with_crash(c));
            }
        })
    };
    let error = o.crash_error.as_ref().filter(|(c, _)| *c == state.link.crash);
    let title = match (&o.replay, o.crash) {
        (_, CrashPoint::Disk) => "The image as it is on disk: nothing replayed".to_string(),
        (Some(r), c) => format!(
            "The image {}: {} transaction{} replayed, {} block{} written",
            c.words(),
            r.transactions.len(),
            if r.transactions.len() == 1 { "" } else { "s" },
            r.replayed_blocks,
            if r.replayed_blocks == 1 { "" } else { "s" }
        ),
        (None, c) => format!("The image {}", c.words()),
    };
    html! {
        <div class={classes!("crash-control", (o.crash != CrashPoint::Disk || o.sim.is_some()).then_some("replayed"))}
             data-testid="crash-control" data-crash={o.crash.value()} title={title}>
            if let Some(sim) = sim { { sim } }
            <label for="crash-select">{ "State" }</label>
            <select id="crash-select" data-testid="crash-select" {onchange} disabled={o.crash_pending.is_some()}>
                { for options.iter().map(|c| html! {
                    <option value={c.value()} selected={*c == shown}>{
                        if o.sim.is_some() && *c == CrashPoint::Disk { "as written".to_string() } else { c.words() }
                    }</option>
                }) }
            </select>
            if o.crash_pending.is_some() {
                <span class="muted small" data-testid="crash-pending">{ "replaying…" }</span>
            }
            if let Some((_, e)) = error {
                <span class="badge bad" title={e.clone()} data-testid="crash-error">{ "cannot replay" }</span>
            }
            if (o.crash != CrashPoint::Disk || o.sim.is_some()) && o.crash_pending.is_none() {
                <crate::widgets::download_state::DownloadState compact=true />
            }
        </div>
    }
}
