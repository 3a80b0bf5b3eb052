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
                    <a href={Link::new(Route::Map, fp.clone()).to_hash()}>{ "Block map" }</a>
                    { " · " }
                    <a href={Link::new(Route::Simulate, fp).to_hash()}>{ "Simulate" }</a>
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
            <p class="home-sim" data-testid="home-simulate">
                <strong>{ "Simulate" }</strong>
                { ": run chattr +e on a block-mapped file as the kernel does it, as jbd2 transactions, crash after any                    of its writes and see what recovery, the next mount and e2fsck leave, design by design — " }
                <a href={Link::new(Route::Simulate, None::<String>).with_sample(Some("ext3-migrate".into())).to_hash()}>
                    { "try it on the ext3-migrate sample" }
                </a>
                { "." }
            </p>
            <p class="home-learn" data-testid="home-learn">
                <strong>{ "Learn" }</strong>
                { ": journaling and crash consistency taught on real ext4 structures — a migration crash in four \
                   designs, i_size against fallocate, delayed allocation and the empty file, revoke records, a torn \
                   commit, the three data modes; every step explained from the blocks it writes, a crash anywhere — " }
                <a href="#/learn">{ "the guided scenarios" }</a>
                { "." }
            </p>
        </div>
    }
}
