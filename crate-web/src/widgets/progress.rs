//! A progress indicator. It fades in after a moment (CSS), so quick steps
//! do not flash.

use yew::prelude::*;

/// Props.
#[derive(Properties, PartialEq)]
pub struct Props {
    /// What is happening.
    pub label: AttrValue,
    /// Done, 0..=1, when known (otherwise the bar is indeterminate).
    #[prop_or_default]
    pub fraction: Option<f64>,
    /// Smaller text under the bar.
    #[prop_or_default]
    pub detail: Option<AttrValue>,
}

/// The indicator.
#[component]
pub fn Progress(props: &Props) -> Html {
    let bar = match props.fraction {
        Some(f) => {
            let pct = (f.clamp(0.0, 1.0) * 1000.0).round() / 10.0;
            html! { <progress max="100" value={pct.to_string()} aria-label={props.label.clone()}>{ format!("{pct}%") }</progress> }
        }
        None => html! { <progress aria-label={props.label.clone()}></progress> },
    };
    html! {
        <div class="progress" role="status" aria-live="polite" data-testid="progress">
            <div class="progress-label">{ props.label.clone() }</div>
            { bar }
            if let Some(d) = &props.detail {
                <div class="muted small">{ d.clone() }</div>
            }
        </div>
    }
}

/// How long one request of a stepped scan should take, in milliseconds.
pub const SLICE_MS: f64 = 50.0;

/// The next work budget of a stepped scan whose last request of `budget`
/// units took `dt` ms: quadrupled when it was very quick, doubled when quick, halved when slow, so each
/// request takes about [`SLICE_MS`] and the page stays responsive.
pub fn next_budget(budget: u64, dt: f64) -> u64 {
    if dt < SLICE_MS / 8.0 {
        budget.saturating_mul(4).min(1 << 20)
    } else if dt < SLICE_MS / 2.0 {
        budget.saturating_mul(2).min(1 << 20)
    } else if dt > SLICE_MS * 2.0 {
        (budget / 2).max(16)
    } else {
        budget
    }
}
