//! One file per page.

pub mod block;
pub mod check;
pub mod error;
pub mod files;
pub mod group;
pub mod groups;
pub mod home;
pub mod inode;
pub mod journal;
pub mod journal_diff;
pub mod keys;
pub mod learn;
pub mod loading;
pub mod map;
pub mod need_image;
pub mod not_found;
pub mod simulate;
pub mod superblock;
pub mod transaction;

use yew::prelude::*;

use crate::app::use_ctx;
use crate::state::{Action, ImageState};

/// When the URL was made for another image than the one open: say so above
/// every view, and offer to go on with this image or open the right one.
#[component]
pub fn FingerprintNotice() -> Html {
    let ctx = use_ctx();
    let ImageState::Open(o) = &ctx.state.image else { return html! {} };
    let Some(fp) = &o.link_was_for else { return html! {} };
    let go_on = {
        let dispatch = ctx.state.dispatcher();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::DismissFingerprintNotice))
    };
    // Opening another image keeps this view (see `Loading::replaces`).
    let open_other = {
        let services = ctx.services.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            if let Some(f) = input.files().and_then(|l| l.get(0)) {
                let name = f.name();
                services.open_file(f.into(), name);
            }
            input.set_value("");
        })
    };
    html! {
        <div class="banner warn fp-notice" role="alert" data-testid="fp-notice">
            <p>
                { "This link was made for another image (fingerprint " }<code>{ fp }</code>
                { format!("). The image open here, {}, does not match (fingerprint ", o.name) }
                <code>{ &o.info.fingerprint }</code>
                { "): what this view shows may differ from what the link's author saw." }
            </p>
            <p class="actions">
                <button type="button" class="button small" onclick={go_on} data-testid="fp-go-on">
                    { "Go on with this image" }
                </button>
                <label class="button small" data-testid="fp-open-other">
                    { "Open the right image…" }
                    <input class="visually-hidden" type="file" onchange={open_other}
                           data-testid="fp-file-input" />
                </label>
            </p>
        </div>
    }
}

/// While the worker replays the journal to another crash point, and when it
/// could not: said above every view.
#[component]
pub fn CrashNotice() -> Html {
    let ctx = use_ctx();
    let ImageState::Open(o) = &ctx.state.image else { return html! {} };
    if let Some(c) = o.crash_pending {
        let words = match &o.sim_pending {
            Some(s) if o.sim.as_ref() != Some(s) => format!("Simulating: the disk after {} writes…", s.k),
            _ => format!("Replaying the journal: the image {}…", c.words()),
        };
        return html! { <div class="banner" role="status" data-testid="crash-notice">{ words }</div> };
    }
    match (ctx.state.link_state_failed(), &o.crash_error) {
        (Some(e), Some((c, _))) => {
            let asked = match &o.sim_error {
                Some(s) => format!("the simulated disk after {} writes, {}", s.k, c.words()),
                None => format!("the image {}", c.words()),
            };
            let now =
                if o.sim.is_some() { o.state_words() } else { format!("the image {}", o.crash.words()) };
            html! {
                <div class="banner bad" role="alert" data-testid="crash-notice">
                    { format!("The state asked for ({asked}) cannot be shown: {e}. This view shows {}.", now) }
                </div>
            }
        }
        _ => html! {},
    }
}
