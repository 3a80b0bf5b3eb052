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
