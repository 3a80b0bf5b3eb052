//! A link to a view that does not exist.

use yew::prelude::*;

/// Props.
#[derive(Properties, PartialEq)]
pub struct Props {
    /// What was asked for.
    pub path: AttrValue,
}

/// The page.
#[component]
pub fn NotFound(props: &Props) -> Html {
    html! {
        <div class="not-found">
            <h1>{ "No such view" }</h1>
            <p>{ "There is no view at " }<code>{ format!("#{}", props.path) }</code>{ "." }</p>
            <p><a href="#/">{ "Go to the start page" }</a></p>
        </div>
    }
}
