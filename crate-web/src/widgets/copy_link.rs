//! "Copy link": the current view's address (hash route + `fp=`), for
//! sharing. The address is shown too, so it can be copied by hand where the
//! clipboard is not allowed.

use yew::prelude::*;

use crate::app::use_ctx;
use crate::route::Link;

/// Props.
#[derive(Properties, PartialEq)]
pub struct Props {
    /// The link to share.
    pub link: Link,
}

/// The full address of `link` on this page.
pub fn address(link: &Link) -> String {
    let base = web_sys::window()
        .and_then(|w| w.location().href().ok())
        .map(|h| h.split('#').next().unwrap_or_default().to_string())
        .unwrap_or_default();
    format!("{base}{}", link.to_hash())
}

/// The button.
#[component]
pub fn CopyLink(props: &Props) -> Html {
    let copied = use_state(|| false);
    // A view of a built-in sample names it, so the link opens with no upload.
    let ctx = use_ctx();
    let mut link = props.link.clone();
    if let Some(o) = ctx.state.open() {
        if link.fp.as_ref().is_none_or(|fp| *fp == o.info.fingerprint) {
            link = link.with_sample(o.source.sample().map(str::to_string));
        }
    }
    let url = address(&link);
    let onclick = {
        let (url, copied) = (url.clone(), copied.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(w) = web_sys::window() {
                // The promise is not awaited: the address is also on the button's title.
                let _ = w.navigator().clipboard().write_text(&url);
            }
            copied.set(true);
        })
    };
    html! {
        <button type="button" class="button small copy-link" {onclick} title={url.clone()}
                data-testid="copy-link" data-url={url}>
            { if *copied { "Link copied" } else { "Copy link" } }
        </button>
    }
}
