//! While an image is being fetched, decompressed or opened.

use yew::prelude::*;

use crate::format;
use crate::state::{Loading, Stage};
use crate::widgets::progress::Progress;

/// Props.
#[derive(Properties, PartialEq)]
pub struct Props {
    /// The open in progress.
    pub loading: Loading,
}

/// The progress page.
#[component]
pub fn LoadingView(props: &Props) -> Html {
    let l = &props.loading;
    let detail = match l.stage {
        Stage::Decompressing { done, total: Some(t) } => {
            Some(format!("{} of {}", format::bytes(done), format::bytes(t)))
        }
        Stage::Decompressing { done, total: None } => Some(format::bytes(done)),
        _ => None,
    };
    html! {
        <div class="loading">
            <h1>{ format!("Opening {}", l.name) }</h1>
            <Progress label={l.stage.label()} fraction={l.stage.fraction()} detail={detail.map(AttrValue::from)} />
        </div>
    }
}
