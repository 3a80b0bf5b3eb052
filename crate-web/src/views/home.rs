//! `#/`: what ext4scope is, and where an image comes from.

use yew::prelude::*;

use crate::app::use_ctx;
use crate::route::{Link, Route};
use crate::state::ImageState;
use crate::widgets::open_panel::OpenPanel;

/// The landing page.
#[component]
pub fn Home() -> Html {
    let ctx = use_ctx();
    let current = match &ctx.state.image {
        ImageState::Open(o) => {
            let fp = o.at();
            html! {
                <p class="banner">
                    { "Open now: " }<strong>{ &o.name }</strong>{ " — " }
                    <a href={Link::new(Route::Superblock, fp.clone()).to_hash()}>{ "Superblock" }</a>
                    { " · " }
                    <a href={Link::new(Route::Groups { focus: None }, fp.clone()).to_hash()}>{ "Groups" }</a>
                    { " · " }
                    <a href={Link::new(Route::Files(String::new()), fp.clone()).to_hash()}>{ "Files" }</a>
                    { " · " }
                    <a href={Link::new(Route::Map, fp).to_hash()}>{ "Block map" }</a>
                </p>
            }
        }
        _ => html! {},
    };
    html! {
        <div class="home">
            <h1>{ "Look inside an ext4 image" }</h1>
            <p class="lede">
                { "ext4scope reads ext2, ext3 and ext4 file system images in your browser: the superblock and \
                   every block group with their bitmaps and checksums, the directory tree, every inode with its \
                   extent tree or indirect map and its extended attributes, any block in hex with its fields \
                   named (journal blocks too), who owns every block of the disk, and what is wrong with all of it." }
            </p>
            { current }
            <OpenPanel />
        </div>
    }
}
