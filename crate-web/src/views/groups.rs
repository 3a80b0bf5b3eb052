//! `#/groups`: the group descriptor table. Virtualised: only the rows in view
//! (plus a margin) are in the DOM, and their groups are fetched from the
//! worker page by page, so 100k+ groups scroll as fast as 4.

use ext4scope_core::report::GroupReport;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlInputElement};
use yew::prelude::*;

use crate::app::{navigate, use_ctx};
use crate::format;
use crate::route::{ImageRef, Link, Route};
use crate::state::{OpenImage, GROUP_PAGE};
use crate::widgets::checksum::Checksum;
use crate::widgets::copy_link::CopyLink;
use crate::widgets::virtual_rows::{use_virtual_rows, VirtualRows};

/// Row height in CSS pixels (must match `.gt-row` in app.css).
const ROW_H: f64 = 30.0;
/// Rows rendered above and below the visible ones.
const OVERSCAN: u32 = 12;

/// Props.
#[derive(Properties, PartialEq)]
pub struct Props {
    /// The open image.
    pub image: OpenImage,
    /// The group to scroll to and highlight.
    pub focus: Option<u32>,
    /// The link's fingerprint (kept in links made here).
    pub fp: ImageRef,
}

/// (heading, hover text, right-aligned)
const COLUMNS: [(&str, &str, bool); 12] = [
    ("Group", "group number", false),
    ("Blocks", "first-last block of the group", false),
    ("Head", "superblock copy and group descriptor blocks at the start of the group", false),
    ("Block bitmap", "bg_block_bitmap", false),
    ("Inode bitmap", "bg_inode_bitmap", false),
    ("Inode table", "bg_inode_table: first block (the length is the same for every group, see above)", false),
    ("Free blocks", "bg_free_blocks_count", true),
    ("Free inodes", "bg_free_inodes_count", true),
    ("Dirs", "bg_used_dirs_count", true),
    ("Unused", "bg_itable_unused: inodes never used at the end of the inode table", true),
    ("Flags", "bg_flags", false),
    ("Checksum", "bg_checksum: crc16 (gdt_csum/uninit_bg) or crc32c (metadata_csum)", false),
];

fn head_text(g: &GroupReport) -> (String, String) {
    let mut short = Vec::new();
    let mut long = Vec::new();
    if let Some(b) = g.head.superblock {
        short.push(if g.group == 0 { "sb" } else { "sb'" });
        long.push(format!("{} superblock at {b}", if g.group == 0 { "primary" } else { "backup" }));
    }
    if let Some((s, n)) = g.head.gdt {
        short.push("gdt");
        long.push(format!("group descriptors at {}", format::block_range(s, s + n.saturating_sub(1))));
    }
    if let Some((s, n)) = g.head.reserved_gdt {
        short.push("rsv");
        long.push(format!("reserved GDT blocks at {}", format::block_range(s, s + n.saturating_sub(1))));
    }
    (short.join(" "), long.join("; "))
}

fn row(g: &GroupReport, focused: bool, fp: &ImageRef) -> Html {
    let (head, head_title) = head_text(g);
    let href = Link::new(Route::Group(g.group), fp.clone()).to_hash();
    let block = |b: u64| html! { <a href={Link::new(Route::Block(b), fp.clone()).to_hash()}>{ b }</a> };
    // A click anywhere on the row opens the group, except on the links in it.
    let onclick = {
        let link = Link::new(Route::Group(g.group), fp.clone());
        Callback::from(move |e: MouseEvent| {
            let on_link = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|el| el.closest("a").ok().flatten())
                .is_some();
            if !on_link {
                navigate(&link);
            }
        })
    };
    let desc_at = match (g.desc_block, g.desc_byte) {
        (Some(b), Some(o)) => format!("descriptor in block {b}, byte {o}"),
        _ => String::new(),
    };
    html! {
        <div class={classes!("gt-row", "link-row", focused.then_some("focus"), (g.checksum.ok == Some(false)).then_some("bad-row"))}
             role="row" data-group={g.group.to_string()} aria-rowindex={(g.group + 2).to_string()} {onclick}>
            <div role="cell" class="num" title={desc_at}><a href={href} data-testid="group-link">{ g.group }</a></div>
            <div role="cell" class="num">{ format::block_range(g.first_block, g.last_block) }</div>
            <div role="cell" class="small" title={head_title}>{ head }</div>
            <div role="cell" class="num">{ block(g.block_bitmap) }</div>
            <div role="cell" class="num">{ block(g.inode_bitmap) }</div>
            <div role="cell" class="num">{ block(g.inode_table) }</div>
            <div role="cell" class="num right">{ g.free_blocks_count }</div>
            <div role="cell" class="num right">{ g.free_inodes_count }</div>
            <div role="cell" class="num right">{ g.used_dirs_count }</div>
            <div role="cell" class="num right">{ g.itable_unused }</div>
            <div role="cell" class="flags">
                { for g.flags.iter().map(|f| html! {
                    <span class="flag" title={format::group_flag_help(f)}>{ format::group_flag_short(f) }</span>
                }) }
            </div>
            <div role="cell"><Checksum status={g.checksum} compact=true /></div>
        </div>
    }
}

fn placeholder(g: u32, failed: Option<&str>) -> Html {
    html! {
        <div class="gt-row placeholder" role="row" data-group={g.to_string()} aria-rowindex={(g + 2).to_string()}>
            <div role="cell" class="num">{ g }</div>
            <div role="cell" class="muted">{ failed.map(|m| format!("could not read: {m}")).unwrap_or_else(|| "…".to_string()) }</div>
        </div>
    }
}

/// The page.
#[component]
pub fn GroupsView(props: &Props) -> Html {
    let ctx = use_ctx();
    let o = &props.image;
    let n = o.info.groups_count;
    let VirtualRows { scroller, body, rows_box, start, end, onscroll, measure, .. } =
        use_virtual_rows(n, ROW_H, OVERSCAN);
    {
        // Scroll the focused group into the middle of the view.
        let scroller = scroller.clone();
        let measure = measure.clone();
        use_effect_with((props.focus, o.id), move |(focus, _)| {
            if let (Some(g), Some(el)) = (focus, scroller.cast::<HtmlElement>()) {
                let y = f64::from(*g) * ROW_H - f64::from(el.client_height()) / 2.0 + ROW_H;
                el.set_scroll_top(y.max(0.0) as i32);
                measure();
            }
        });
    }
    {
        // Ask for the pages the rendered rows need.
        let services = ctx.services.clone();
        let id = o.id;
        use_effect_with((id, start, end, o.groups.clone()), move |(id, start, end, groups)| {
            if end > start {
                let pages =
                    (start / GROUP_PAGE..=(end - 1) / GROUP_PAGE).filter(|p| groups.wants(*p)).collect();
                services.load_group_pages(*id, pages);
            }
        });
    }

    let rows = (start..end)
        .map(|g| match o.groups.get(g) {
            Some(r) => row(r, props.focus == Some(g), &props.fp),
            None => placeholder(g, o.groups.failed.get(&(g / GROUP_PAGE)).map(String::as_str)),
        })
        .collect::<Html>();

    let fp = props.fp.clone();
    let onsubmit = {
        let fp = fp.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let input = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok())
                .and_then(|f| f.elements().named_item("g"))
                .and_then(|i| i.dyn_into::<HtmlInputElement>().ok());
            if let Some(g) = input.and_then(|i| i.value().trim().parse::<u32>().ok()) {
                let g = g.min(n.saturating_sub(1));
                navigate(&Link::new(Route::Groups { focus: Some(g) }, fp.clone()));
            }
        })
    };

    let group_problems: Vec<_> = o.info.problems.iter().filter(|p| p.at.group.is_some()).collect();
    let i = &o.info;
    html! {
        <div class="groups">
            <div class="title-row">
                <h1>{ "Block groups" }</h1>
                <span class="muted num" data-field="groups_count">{ format!("{n} groups") }</span>
                <span class="muted num">{ format!("{} blocks and {} inodes each", i.blocks_per_group, i.inodes_per_group) }</span>
                if let Some(n) = o.groups.pages.values().next().and_then(|p| p.first()).map(|g| g.inode_table_blocks) {
                    <span class="muted num" data-field="inode_table_blocks">{ format!("inode tables of {n} blocks") }</span>
                }
                <span class="spacer"></span>
                <CopyLink link={Link::new(Route::Groups { focus: props.focus }, o.at())} />
                <form class="jump" {onsubmit}>
                    <label for="jump-g">{ "Go to group" }</label>
                    <input id="jump-g" name="g" type="number" min="0" max={n.saturating_sub(1).to_string()}
                           inputmode="numeric" value={props.focus.map(|g| g.to_string()).unwrap_or_default()} />
                    <button type="submit" class="button small">{ "Go" }</button>
                </form>
            </div>
            if !group_problems.is_empty() {
                <ul class="problems compact">
                    { for group_problems.iter().take(8).map(|p| {
                        let g = p.at.group.unwrap_or(0);
                        html! {
                            <li class="problem error">
                                <a href={Link::new(Route::Groups { focus: Some(g) }, fp.clone()).to_hash()}>{ &p.structure }</a>
                                { ": " }{ &p.message }
                            </li>
                        }
                    }) }
                    if group_problems.len() > 8 {
                        <li class="muted">{ format!("and {} more (see the superblock view)", group_problems.len() - 8) }</li>
                    }
                </ul>
            }
            <p class="gt-legend muted small">
                { "Flags: " }<span class="flag">{ "IU" }</span>{ " INODE_UNINIT · " }
                <span class="flag">{ "BU" }</span>{ " BLOCK_UNINIT · " }
                <span class="flag">{ "IZ" }</span>{ " ITABLE_ZEROED. Head: sb = superblock (sb' backup), gdt = group descriptors, rsv = reserved GDT blocks. Hover a cell for details." }
            </p>
            <div class="gt" ref={scroller} {onscroll} tabindex="0" role="table"
                 aria-label="Group descriptors" aria-rowcount={(n + 1).to_string()} data-testid="group-table">
                <div class="gt-row gt-head" role="row" aria-rowindex="1">
                    { for COLUMNS.iter().map(|(name, title, right)| html! {
                        <div role="columnheader" title={*title} class={classes!(right.then_some("right"))}>{ *name }</div>
                    }) }
                </div>
                <div class="gt-body" ref={body}>
                    <div class="gt-rows" ref={rows_box}>{ rows }</div>
                </div>
            </div>
        </div>
    }
}
