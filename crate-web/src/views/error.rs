//! When an image cannot be opened: what was expected, what was found, where,
//! and what to try.

use yew::prelude::*;

use crate::state::Failure;
use crate::widgets::open_panel::OpenPanel;

/// Props.
#[derive(Properties, PartialEq)]
pub struct Props {
    /// Why.
    pub failure: Failure,
}

/// The error page.
#[component]
pub fn ErrorView(props: &Props) -> Html {
    let f = &props.failure;
    html! {
        <div class="error-view">
            <section class="card error-card" role="alert" data-testid="error">
                <h1>{ &f.title }</h1>
                <p class="error-message" data-testid="error-message">{ &f.message }</p>
                if !f.details.is_empty() {
                    <dl class="kv">
                        { for f.details.iter().map(|(k, v)| html! {
                            <><dt>{ k }</dt><dd class="num">{ v }</dd></>
                        }) }
                    </dl>
                }
                <p class="muted">{ &f.hint }</p>
            </section>
            <OpenPanel heading="Try another image" />
        </div>
    }
}
