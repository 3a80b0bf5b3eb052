//! A view of an image was asked for (a reload, a shared link) but no image is
//! open: images never leave the computer, so a link cannot carry one.

use yew::prelude::*;

use crate::app::use_ctx;
use crate::route::Link;
use crate::state::Samples;
use crate::widgets::open_panel::OpenPanel;

/// Props.
#[derive(Properties, PartialEq)]
pub struct Props {
    /// The link that was followed.
    pub link: Link,
}

/// Ask for the image.
#[component]
pub fn NeedImage(props: &Props) -> Html {
    let l = &props.link;
    let ctx = use_ctx();
    if let Some(name) = &l.sample {
        // A link to a built-in sample: the app opens it by itself.
        let (text, failed) = match (&ctx.state.samples, ctx.state.sample_to_open()) {
            (Samples::Failed(e), _) => (format!("The built-in sample {name} could not be listed: {e}"), true),
            (_, Some(Err(_))) => (
                format!("This link names the built-in sample {name}, which this version of ext4scope does not have."),
                true,
            ),
            _ => (format!("Opening the built-in sample {name}…"), false),
        };
        return html! {
            <div class="need-image">
                <h1>{ l.route.title() }</h1>
                <p class={classes!("lede", failed.then_some("bad"))} data-testid="need-image">{ text }</p>
                if failed {
                    <OpenPanel heading="Open an image" />
                }
            </div>
        };
    }
    html! {
        <div class="need-image">
            <h1>{ l.route.title() }</h1>
            <p class="lede" data-testid="need-image">
                { format!("This link shows {} of an ext4 image", l.route.describe()) }
                { match l.crash {
                    crate::route::CrashPoint::Disk => ". ".to_string(),
                    c => format!(", {} (its journal replayed here, never on disk). ", c.words()),
                } }
                { "Images are never uploaded, so the link cannot bring the image with it: open it here." }
            </p>
            if let Some(fp) = &l.fp {
                <p class="muted">
                    { "The link was made for the image with fingerprint " }<code>{ fp }</code>
                    { "; opening it again shows the same view." }
                </p>
            }
            <OpenPanel heading="Open the image" />
        </div>
    }
}
