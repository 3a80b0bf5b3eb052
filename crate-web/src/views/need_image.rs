//! A view of an image was asked for (a reload, a shared link) but no image is
//! open: images never leave the computer, so a link cannot carry one.

use yew::prelude::*;

use crate::route::Link;
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
    html! {
        <div class="need-image">
            <h1>{ l.route.title() }</h1>
            <p class="lede" data-testid="need-image">
                { format!("This link shows the {} view of an ext4 image. ", l.route.title().to_lowercase()) }
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
