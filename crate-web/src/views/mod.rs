//! One file per page.

pub mod block;
pub mod error;
pub mod group;
pub mod groups;
pub mod home;
pub mod inode;
pub mod keys;
pub mod loading;
pub mod map;
pub mod need_image;
pub mod not_found;
pub mod superblock;

use yew::prelude::*;

use crate::state::OpenImage;

/// When the URL was made for another image than the one open.
pub fn fingerprint_notice(o: &OpenImage) -> Html {
    match &o.link_was_for {
        Some(fp) => html! {
            <p class="banner warn" role="note" data-testid="fp-notice">
                { "This link was made for another image (fingerprint " }<code>{ fp }</code>
                { format!("); it now shows {} (", o.name) }<code>{ &o.info.fingerprint }</code>{ ")." }
            </p>
        },
        None => html! {},
    }
}
