//! `#/group/G`: one block group. Its layout (superblock copy, descriptor
//! blocks, reserved GDT, bitmaps, inode tables, data; with flex_bg, the
//! metadata of other groups it holds and where its own lives), its two
//! bitmaps drawn as grids, the free counts the descriptor records beside the
//! ones counted from the bits, and the checksums. Prev/next (buttons, ←/→).

use ext4scope_core::decode::GroupBitmaps;
use ext4scope_core::format::bitmap::Bitmap;
use ext4scope_core::format::group_desc::ChecksumStatus;
use ext4scope_core::report::GroupReport;
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::app::{navigate, use_ctx};
use crate::format;
use crate::route::{ImageRef, Link, Route};
use crate::state::{OpenImage, Shared};
use crate::views::keys::use_arrow_keys;
use crate::widgets::bitmap_grid::BitmapGrid;
use crate::widgets::checksum::Checksum;
use crate::widgets::copy_link::CopyLink;
use crate::worker::inspect::{free_runs, runs_text, GroupLayout, Piece, PieceKind};
use crate::worker::protocol::{Request, Response};

/// Free runs listed on the page before "and N more" (the full list is in `data-runs`).
const RUNS_SHOWN: usize = 40;

/// Props.
#[derive(Properties, PartialEq)]
pub struct Props {
    /// The open image.
    pub image: OpenImage,
    /// The group.
    pub group: u32,
}

/// Cell codes of the block grid.
mod bc {
    pub const FREE: u8 = 0;
    pub const DATA: u8 = 1;
    pub const SUPER: u8 = 2;
    pub const GDT: u8 = 3;
    pub const RSV: u8 = 4;
    pub const BBMP: u8 = 5;
    pub const IBMP: u8 = 6;
    pub const ITABLE: u8 = 7;
    pub const PAD: u8 = 8;
    pub const META_FREE: u8 = 9;
}

/// Cell codes of the inode grid.
mod ic {
    pub const FREE: u8 = 0;
    pub const USED: u8 = 1;
    pub const NEVER: u8 = 2;
    pub const USED_PAST: u8 = 3;
}

struct Loaded {
    report: GroupReport,
    detail: GroupBitmaps,
    layout: GroupLayout,
    block_cells: Shared<Vec<u8>>,
    inode_cells: Shared<Vec<u8>>,
    /// Free runs of the block bitmap (cluster indices) and inode bitmap.
    block_runs: Vec<(u32, u32)>,
    inode_runs: Vec<(u32, u32)>,
    /// Inodes past the last one in use (what `bg_itable_unused` should be).
    unused_tail: Option<u32>,
}

#[derive(Clone, PartialEq)]
enum Load {
    Waiting,
    Ready(Shared<Loaded>),
    Failed(String),
}

fn dark() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .is_some_and(|m| m.matches())
}

/// Colours of the block grid's codes (the same as the whole-disk map's).
fn block_palette(dark: bool) -> Vec<&'static str> {
    vec![
        if dark { "#2b323c" } else { "#e3e7ec" },
        "#2ca02c",
        "#d62728",
        "#ff7f0e",
        "#ffbb78",
        "#8c564b",
        "#c49c94",
        "#9467bd",
        if dark { "#0b0d10" } else { "#8a9099" },
        "#ff00aa",
    ]
}

fn inode_palette(dark: bool) -> Vec<&'static str> {
    vec![
        if dark { "#2b323c" } else { "#e3e7ec" },
        if dark { "#4a9be0" } else { "#1f77b4" },
        if dark { "#20252d" } else { "#f3f5f7" },
        "#ff00aa",
    ]
}

fn piece_code(k: PieceKind) -> u8 {
    match k {
        PieceKind::Superblock => bc::SUPER,
        PieceKind::GroupDescriptors => bc::GDT,
        PieceKind::ReservedGdt => bc::RSV,
        PieceKind::BlockBitmap => bc::BBMP,
        PieceKind::InodeBitmap => bc::IBMP,
        PieceKind::InodeTable => bc::ITABLE,
        PieceKind::Data => bc::DATA,
    }
}

/// The piece holding `block`.
fn piece_at(pieces: &[Piece], block: u64) -> Option<&Piece> {
    pieces.iter().find(|p| p.first <= block && block <= p.last)
}

fn block_cells(b: &Bitmap, l: &GroupLayout, first_block: u64) -> Vec<u8> {
    let ratio = u64::from(l.cluster_ratio.max(1));
    let mut cells = Vec::with_capacity(b.nbits as usize);
    let mut p = 0usize;
    for i in 0..b.nbits {
        if i >= l.clusters_in_group {
            cells.push(bc::PAD);
            continue;
        }
        let block = first_block.saturating_add(u64::from(i) * ratio);
        // Pieces are in block order: follow them as the bits go.
        while p < l.pieces.len() && l.pieces[p].last < block {
            p += 1;
        }
        let kind = l.pieces.get(p).filter(|x| x.first <= block).map_or(PieceKind::Data, |x| x.kind);
        cells.push(match (b.get(i), kind) {
            (true, k) => piece_code(k),
            (false, PieceKind::Data) => bc::FREE,
            (false, _) => bc::META_FREE,
        });
    }
    cells
}

/// The inode grid's cells, and the inodes past the last one in use.
fn inode_cells(b: &Bitmap, itable_unused: u32) -> (Vec<u8>, Option<u32>) {
    let never_from = b.nbits.saturating_sub(itable_unused);
    let cells = (0..b.nbits)
        .map(|i| match (b.get(i), i >= never_from) {
            (true, false) => ic::USED,
            (true, true) => ic::USED_PAST,
            (false, false) => ic::FREE,
            (false, true) => ic::NEVER,
        })
        .collect();
    let last_used = (0..b.nbits).rev().find(|&i| b.get(i));
    (cells, Some(last_used.map_or(b.nbits, |i| b.nbits - i - 1)))
}

fn load(report: GroupReport, detail: GroupBitmaps, layout: GroupLayout) -> Loaded {
    let (block_cells, block_runs) = match &detail.block {
        Ok(b) => (block_cells(b, &layout, report.first_block), free_runs(&b.bits, layout.clusters_in_group)),
        Err(_) => (Vec::new(), Vec::new()),
    };
    let (inode_cells, inode_runs, unused_tail) = match &detail.inode {
        Ok(b) => {
            let (cells, tail) = inode_cells(b, report.itable_unused);
            (cells, free_runs(&b.bits, b.nbits), tail)
        }
        Err(_) => (Vec::new(), Vec::new(), None),
    };
    Loaded {
        block_cells: Shared::new(block_cells),
        inode_cells: Shared::new(inode_cells),
        block_runs,
        inode_runs,
        unused_tail,
        report,
        detail,
        layout,
    }
}

fn block_link(b: u64, fp: &ImageRef) -> Html {
    html! { <a class="num" href={Link::new(Route::Block(b), fp.clone()).to_hash()}>{ b }</a> }
}

fn range_links(a: u64, z: u64, fp: &ImageRef) -> Html {
    if a == z {
        block_link(a, fp)
    } else {
        html! { <>{ block_link(a, fp) }{ "-" }{ block_link(z, fp) }</> }
    }
}

fn group_link(g: u32, fp: &ImageRef) -> Html {
    html! { <a href={Link::new(Route::Group(g), fp.clone()).to_hash()}>{ format!("group {g}") }</a> }
}

fn groups_text(groups: Option<(u32, u32)>, fp: &ImageRef) -> Html {
    match groups {
        None => html! {},
        Some((a, z)) if a == z => group_link(a, fp),
        Some((a, z)) => html! {
            <>
                <a href={Link::new(Route::Group(a), fp.clone()).to_hash()}>{ format!("groups {a}") }</a>{ "-" }
                <a href={Link::new(Route::Group(z), fp.clone()).to_hash()}>{ z }</a>
            </>
        },
    }
}

fn kind_class(k: PieceKind) -> &'static str {
    match k {
        PieceKind::Superblock => "k-super",
        PieceKind::GroupDescriptors => "k-gdt",
        PieceKind::ReservedGdt => "k-rsv",
        PieceKind::BlockBitmap => "k-bbmp",
        PieceKind::InodeBitmap => "k-ibmp",
        PieceKind::InodeTable => "k-itable",
        PieceKind::Data => "k-data",
    }
}

/// The pieces as a bar (SVG: widths as attributes, which the CSP allows) and a table.
fn layout_card(l: &Loaded, fp: &ImageRef) -> Html {
    let r = &l.report;
    let span = (r.last_block - r.first_block + 1) as f64;
    let pieces = &l.layout.pieces;
    let bar = pieces.iter().map(|p| {
        let x = (p.first - r.first_block) as f64 / span * 1000.0;
        let w = ((p.last - p.first + 1) as f64 / span * 1000.0).max(1.5);
        let title = format!("{}: {}", p.kind.words(), format::block_range(p.first, p.last));
        let href = Link::new(Route::Block(p.first), fp.clone()).to_hash();
        html! {
            <a href={href}>
                <rect class={kind_class(p.kind)} x={format!("{x:.2}")} y="0" width={format!("{w:.2}")} height="24">
                    <title>{ title }</title>
                </rect>
            </a>
        }
    });
    let rows = pieces.iter().map(|p| {
        let n = p.last - p.first + 1;
        html! {
            <tr data-testid="piece" data-kind={format!("{:?}", p.kind)} data-first={p.first.to_string()} data-last={p.last.to_string()}
                data-groups={p.groups.map(|(a, z)| format!("{a}-{z}")).unwrap_or_default()}>
                <td><span class={classes!("swatch", kind_class(p.kind))}></span>{ " " }{ p.kind.words() }</td>
                <td class="num">{ range_links(p.first, p.last, fp) }</td>
                <td class="num right">{ n }</td>
                <td>{ groups_text(p.groups, fp) }</td>
            </tr>
        }
    });
    // On a corrupt image two structures may claim the same blocks.
    let overlaps: Vec<(&Piece, &Piece)> = pieces
        .iter()
        .enumerate()
        .flat_map(|(i, a)| pieces[i + 1..].iter().take_while(move |b| b.first <= a.last).map(move |b| (a, b)))
        .take(20)
        .collect();
    let piece_name = |p: &Piece| match p.groups {
        Some((a, z)) if a == z => format!("{} of group {a}", p.kind.words()),
        Some((a, z)) => format!("{} of groups {a}-{z}", p.kind.words()),
        None => p.kind.words().to_string(),
    };
    html! {
        <section class="card wide" aria-labelledby="h-layout">
            <h2 id="h-layout">{ "Layout" }<span class="muted small">{ format!(" blocks {}", format::block_range(r.first_block, r.last_block)) }</span></h2>
            <svg class="group-bar" viewBox="0 0 1000 24" preserveAspectRatio="none" role="img"
                 aria-label="The group's blocks from first to last, coloured by what they hold">{ for bar }</svg>
            <table class="grid-table" data-testid="pieces">
                <thead><tr><th>{ "Holds" }</th><th>{ "Blocks" }</th><th class="right">{ "Count" }</th><th>{ "Of" }</th></tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
            if l.layout.truncated { <p class="muted small">{ "Only the first pieces are listed." }</p> }
            if !overlaps.is_empty() {
                <ul class="problems compact" data-testid="overlaps">
                    { for overlaps.iter().map(|(a, b)| html! {
                        <li class="problem"><span class="badge error">{ "error" }</span>{ " " }
                            { format!("blocks {} hold both the {} and the {}",
                                format::block_range(b.first, b.last.min(a.last)), piece_name(a), piece_name(b)) }
                        </li>
                    }) }
                </ul>
            }
        </section>
    }
}

/// Where the group's own bitmaps and table live, when not in its own blocks.
fn elsewhere(l: &Loaded, fp: &ImageRef, n_groups: u32) -> Html {
    let g = l.report.group;
    let away: Vec<_> = l.layout.own.iter().filter(|o| o.holder != Some(g)).collect();
    let flex = l.layout.flex_size.filter(|&n| n > 1).map(|n| {
        let a = u64::from(g) / n * n;
        let z = (a + n - 1).min(u64::from(n_groups.saturating_sub(1)));
        (n, a, z)
    });
    if away.is_empty() && flex.is_none() {
        return html! {};
    }
    html! {
        <div class="banner note" data-testid="flex-note">
            if let Some((n, a, z)) = flex {
                <p>
                    { format!("flex_bg: {n} groups share one flex group; group {g} is in flex group {} (groups {a}-{z}), whose bitmaps and inode tables are packed together", u64::from(g) / n) }
                    if a as u32 != g { { " in " }{ group_link(a as u32, fp) } }
                    { "." }
                </p>
            }
            if !away.is_empty() {
                <ul>
                    { for away.iter().map(|o| html! {
                        <li data-testid="own-elsewhere" data-kind={format!("{:?}", o.kind)} data-holder={o.holder.map(|h| h.to_string()).unwrap_or_default()}>
                            { format!("This group's {} is at block ", o.kind.words()) }{ range_links(o.first, o.last, fp) }
                            { ", in " }
                            { match o.holder { Some(h) => group_link(h, fp), None => html! { <strong class="bad-text">{ "no group: outside the file system" }</strong> } } }
                        </li>
                    }) }
                </ul>
            }
        </div>
    }
}

fn count_row(what: &str, key: &str, recorded: u32, computed: Option<u32>, note: &str) -> Html {
    let differs = computed.is_some_and(|c| c != recorded);
    let diff = match computed {
        Some(c) if c != recorded => {
            format!("differs by {}", (i64::from(c) - i64::from(recorded)).abs())
        }
        Some(_) => "equal".to_string(),
        None => "-".to_string(),
    };
    html! {
        <tr class={classes!(differs.then_some("bad-row"))}>
            <th scope="row">{ what }</th>
            <td class="num right" data-field={format!("recorded-{key}")}>{ recorded }</td>
            <td class="num right" data-field={format!("computed-{key}")}>{ computed.map(|c| c.to_string()).unwrap_or_else(|| "-".into()) }</td>
            <td class={classes!(if differs { "bad-text" } else { "muted" })} title={note.to_string()}>{ diff }</td>
        </tr>
    }
}

/// `bg_itable_unused` against the free tail of the inode bitmap: the tail may
/// be longer (inodes freed since), never shorter.
fn unused_row(recorded: u32, tail: Option<u32>) -> Html {
    let bad = tail.is_some_and(|t| t < recorded);
    let verdict = match tail {
        Some(t) if t < recorded => format!("{} in use past it", recorded - t),
        Some(_) => "ok".to_string(),
        None => "-".to_string(),
    };
    html! {
        <tr class={classes!(bad.then_some("bad-row"))}>
            <th scope="row" title="bg_itable_unused: inodes at the end of the table never used. Bitmap: free inodes after the last one in use.">{ "Unused inodes" }</th>
            <td class="num right" data-field="recorded-itable-unused">{ recorded }</td>
            <td class="num right" data-field="computed-itable-unused">{ tail.map(|t| t.to_string()).unwrap_or_else(|| "-".into()) }</td>
            <td class={classes!(if bad { "bad-text" } else { "muted" })} title="no inode past bg_itable_unused is in use">{ verdict }</td>
        </tr>
    }
}

fn counts_card(l: &Loaded, clusters: bool) -> Html {
    let r = &l.report;
    let b = l.detail.block.as_ref().ok();
    let i = l.detail.inode.as_ref().ok();
    let unit = if clusters { "Free clusters" } else { "Free blocks" };
    html! {
        <section class="card" aria-labelledby="h-counts">
            <h2 id="h-counts">{ "Counts" }</h2>
            <table class="summary counts" data-testid="counts">
                <thead><tr><th></th><th class="right">{ "Descriptor" }</th><th class="right">{ "Bitmap" }</th><th></th></tr></thead>
                <tbody>
                    { count_row(unit, "free-blocks", r.free_blocks_count, b.map(|b| b.computed_free), "bg_free_blocks_count against the clear bits of the block bitmap") }
                    { count_row("Free inodes", "free-inodes", r.free_inodes_count, i.map(|i| i.computed_free), "bg_free_inodes_count against the clear bits of the inode bitmap") }
                    { unused_row(r.itable_unused, l.unused_tail) }
                    <tr><th scope="row">{ "Directories" }</th><td class="num right" data-field="used-dirs">{ r.used_dirs_count }</td><td class="muted right">{ "-" }</td><td></td></tr>
                </tbody>
            </table>
            <p class="muted small">{ "Descriptor: what the group descriptor records. Bitmap: counted from the bits. A difference is what e2fsck pass 5 fixes." }</p>
        </section>
    }
}

fn bitmap_checksum(b: &Result<Bitmap, String>, stored: u32, uninit_flag: &str) -> Html {
    match b {
        Ok(b) if b.uninit => {
            html! { <span class="badge info" title={format!("stored 0x{stored:08x}")}>{ format!("not read ({uninit_flag})") }</span> }
        }
        Ok(b) => html! { <Checksum status={b.checksum} /> },
        Err(e) => html! { <span class="badge bad">{ e }</span> },
    }
}

fn descriptor_card(l: &Loaded, fp: &ImageRef, checksum: ChecksumStatus) -> Html {
    let r = &l.report;
    let d = &l.detail;
    html! {
        <section class="card" aria-labelledby="h-desc">
            <h2 id="h-desc">{ "Descriptor and checksums" }</h2>
            <dl class="kv">
                <dt>{ "Descriptor" }</dt>
                <dd class="num" data-field="desc-at">{ match (r.desc_block, r.desc_byte) {
                    (Some(b), Some(o)) => html! { <>{ "block " }{ block_link(b, fp) }{ format!(", byte {o}") }</> },
                    (Some(b), None) => html! { <>{ "block " }{ block_link(b, fp) }</> },
                    _ => html! { "-" },
                } }</dd>
                <dt>{ "Descriptor checksum" }</dt><dd data-field="desc-checksum"><Checksum status={checksum} /></dd>
                <dt>{ "Block bitmap" }</dt>
                <dd class="num">{ "block " }{ block_link(r.block_bitmap, fp) }</dd>
                <dt>{ "Its checksum" }</dt><dd data-field="block-bitmap-checksum">{ bitmap_checksum(&d.block, r.block_bitmap_csum, "BLOCK_UNINIT") }</dd>
                <dt>{ "Inode bitmap" }</dt>
                <dd class="num">{ "block " }{ block_link(r.inode_bitmap, fp) }</dd>
                <dt>{ "Its checksum" }</dt><dd data-field="inode-bitmap-checksum">{ bitmap_checksum(&d.inode, r.inode_bitmap_csum, "INODE_UNINIT") }</dd>
                <dt>{ "Inode table" }</dt>
                <dd class="num">{ range_links(r.inode_table, r.inode_table.saturating_add(u64::from(r.inode_table_blocks).saturating_sub(1)), fp) }</dd>
                <dt>{ "Flags" }</dt>
                <dd data-field="flags">
                    if r.flags.is_empty() { <span class="muted">{ "none" }</span> }
                    { for r.flags.iter().map(|f| html! { <span class="chip" title={format::group_flag_help(f)}>{ f }</span> }) }
                </dd>
            </dl>
        </section>
    }
}

/// A legend entry with its colour and count.
fn legend_item(colour: &'static str, words: &str, n: usize) -> Html {
    if n == 0 {
        return html! {};
    }
    html! {
        <span class="legend-item">
            <svg width="12" height="12" aria-hidden="true"><rect width="12" height="12" rx="2" fill={colour} /></svg>
            { format!("{words} ({n})") }
        </span>
    }
}

fn counts_of(cells: &[u8], codes: usize) -> Vec<usize> {
    let mut n = vec![0usize; codes];
    for &c in cells {
        if let Some(x) = n.get_mut(usize::from(c)) {
            *x += 1;
        }
    }
    n
}

/// The free runs as text (dumpe2fs's "Free blocks:" list), shortened on the page.
fn runs_html(testid: &str, label: &str, runs: &[(u32, u32)], base: u64, scale: u64) -> Html {
    let all = runs_text(runs, base, scale);
    let shown =
        if runs.len() > RUNS_SHOWN { runs_text(&runs[..RUNS_SHOWN], base, scale) } else { all.clone() };
    html! {
        <p class="free-runs small num" data-testid={testid.to_string()} data-runs={all}>
            <span class="muted">{ label }</span>{ " " }
            if runs.is_empty() { <span class="muted">{ "none" }</span> } else { { shown } }
            if runs.len() > RUNS_SHOWN { <span class="muted">{ format!(" … and {} more runs", runs.len() - RUNS_SHOWN) }</span> }
        </p>
    }
}

/// The page.
#[component]
pub fn GroupView(props: &Props) -> Html {
    let ctx = use_ctx();
    let load_state = use_state(|| Load::Waiting);
    let g = props.group;
    let info = props.image.info.clone();
    let n_groups = info.groups_count;
    let fp = props.image.at();
    {
        let (load_state, ctx) = (load_state.clone(), ctx.clone());
        use_effect_with((props.image.id, g), move |&(_, group)| {
            load_state.set(Load::Waiting);
            spawn_local(async move {
                load_state.set(match ctx.services.request(Request::GroupDetail { group }).await {
                    Response::Group { report, detail, layout } => {
                        Load::Ready(Shared::new(load(*report, *detail, *layout)))
                    }
                    Response::Failed { error } => Load::Failed(error.to_string()),
                    other => Load::Failed(format!("unexpected answer: {}", other.kind())),
                });
            });
        });
    }
    {
        let fp = fp.clone();
        use_arrow_keys(move |forward| {
            let next = if forward { g.checked_add(1).filter(|&n| n < n_groups) } else { g.checked_sub(1) };
            if let Some(n) = next {
                navigate(&Link::new(Route::Group(n), fp.clone()));
            }
        });
    }
    let ipg = info.inodes_per_group;
    let first_ino = u64::from(g) * u64::from(ipg) + 1;
    let head = html! {
        <div class="title-row">
            <h1>{ format!("Group {g}") }</h1>
            <span class="pager">
                if g > 0 { <a class="button small" href={Link::new(Route::Group(g - 1), fp.clone()).to_hash()} title="Previous group (←)" data-testid="prev-group">{ "← prev" }</a> }
                if g + 1 < n_groups { <a class="button small" href={Link::new(Route::Group(g + 1), fp.clone()).to_hash()} title="Next group (→)" data-testid="next-group">{ "next →" }</a> }
            </span>
            <span class="muted small num">{ format!("of {n_groups} · inodes {}-{}", first_ino, first_ino + u64::from(ipg).saturating_sub(1)) }</span>
            <a class="small" href={Link::new(Route::Groups { focus: Some(g) }, fp.clone()).to_hash()}>{ "in the group table" }</a>
            <span class="spacer"></span>
            <CopyLink link={Link::new(Route::Group(g), fp.clone())} />
        </div>
    };
    let l = match &*load_state {
        Load::Waiting => {
            return html! { <div class="group-view">{ head }<p class="muted">{ "Reading the group…" }</p></div> }
        }
        Load::Failed(e) => {
            return html! { <div class="group-view">{ head }<p class="banner bad" role="alert" data-testid="group-error">{ e }</p></div> }
        }
        Load::Ready(l) => l.clone(),
    };
    let r = &l.report;
    let dark = dark();
    let clusters = l.layout.cluster_ratio > 1;
    let ratio = u64::from(l.layout.cluster_ratio.max(1));

    let block_grid = match &l.detail.block {
        Err(e) => html! { <p class="banner bad">{ format!("The block bitmap cannot be read: {e}") }</p> },
        Ok(b) => {
            let palette = block_palette(dark);
            let n = counts_of(&l.block_cells, palette.len());
            let describe = {
                let (l, first) = (l.clone(), r.first_block);
                Callback::from(move |i: u32| {
                    let block = first.saturating_add(u64::from(i) * ratio);
                    let unit = if ratio > 1 {
                        format!("Cluster {i} (blocks {block}-{})", block + ratio - 1)
                    } else {
                        format!("Block {block}")
                    };
                    let code = l.block_cells.get(i as usize).copied().unwrap_or(bc::PAD);
                    let what = match code {
                        bc::PAD => "past the end of the file system (padding, set)".to_string(),
                        bc::FREE => "free".to_string(),
                        _ => {
                            let p = piece_at(&l.layout.pieces, block);
                            let of = match p.and_then(|p| p.groups) {
                                Some((a, z)) if a == z => format!(" of group {a}"),
                                Some((a, z)) => format!(" of groups {a}-{z}"),
                                None => String::new(),
                            };
                            let kind = p.map_or("data", |p| p.kind.words());
                            if code == bc::META_FREE {
                                format!("FREE in the bitmap, but it holds the {kind}{of}")
                            } else if code == bc::DATA {
                                "in use: data (file, directory, journal…)".to_string()
                            } else {
                                format!("in use: {kind}{of}")
                            }
                        }
                    };
                    format!("{unit}, bit {i}: {what} — click to open")
                })
            };
            let open = {
                let (fp, first) = (fp.clone(), r.first_block);
                Callback::from(move |i: u32| {
                    navigate(&Link::new(Route::Block(first.saturating_add(u64::from(i) * ratio)), fp.clone()))
                })
            };
            html! {
                <>
                    if b.uninit {
                        <p class="banner note small" data-testid="block-uninit">
                            <strong>{ "BLOCK_UNINIT" }</strong>
                            { ": the bitmap block was never written, so it is not read; drawn as the kernel computes it: the superblock copy and descriptor blocks at the group's head in use, and its own bitmaps and inode table where they lie inside it; the rest free." }
                        </p>
                    }
                    <div class="legend small">
                        { legend_item(palette[bc::FREE as usize], "free", n[bc::FREE as usize]) }
                        { legend_item(palette[bc::DATA as usize], "data", n[bc::DATA as usize]) }
                        { legend_item(palette[bc::SUPER as usize], "superblock", n[bc::SUPER as usize]) }
                        { legend_item(palette[bc::GDT as usize], "group descriptors", n[bc::GDT as usize]) }
                        { legend_item(palette[bc::RSV as usize], "reserved GDT", n[bc::RSV as usize]) }
                        { legend_item(palette[bc::BBMP as usize], "block bitmaps", n[bc::BBMP as usize]) }
                        { legend_item(palette[bc::IBMP as usize], "inode bitmaps", n[bc::IBMP as usize]) }
                        { legend_item(palette[bc::ITABLE as usize], "inode tables", n[bc::ITABLE as usize]) }
                        { legend_item(palette[bc::PAD as usize], "past the end", n[bc::PAD as usize]) }
                        { legend_item(palette[bc::META_FREE as usize], "metadata marked free!", n[bc::META_FREE as usize]) }
                    </div>
                    <BitmapGrid cells={l.block_cells.clone()} palette={palette} target_height={460.0}
                        describe={describe} open={open} testid="block-bitmap" label={format!("Block bitmap of group {g}")}
                        first={r.first_block} scale={ratio} />
                    { runs_html("free-blocks", "Free blocks:", &l.block_runs, r.first_block, ratio) }
                </>
            }
        }
    };
    let inode_grid = match &l.detail.inode {
        Err(e) => html! { <p class="banner bad">{ format!("The inode bitmap cannot be read: {e}") }</p> },
        Ok(b) => {
            let palette = inode_palette(dark);
            let n = counts_of(&l.inode_cells, palette.len());
            let describe = {
                let l = l.clone();
                Callback::from(move |i: u32| {
                    let ino = first_ino + u64::from(i);
                    let what = match l.inode_cells.get(i as usize).copied().unwrap_or(ic::FREE) {
                        ic::USED => "in use",
                        ic::FREE => "free",
                        ic::NEVER => "free, never used (past bg_itable_unused)",
                        _ => "IN USE, but past bg_itable_unused",
                    };
                    format!("Inode {ino}, bit {i}: {what} — click to open")
                })
            };
            let open = {
                let fp = fp.clone();
                Callback::from(move |i: u32| {
                    if let Ok(ino) = u32::try_from(first_ino + u64::from(i)) {
                        navigate(&Link::new(Route::Inode(ino), fp.clone()));
                    }
                })
            };
            html! {
                <>
                    if b.uninit {
                        <p class="banner note small" data-testid="inode-uninit">
                            <strong>{ "INODE_UNINIT" }</strong>
                            { ": the inode bitmap and table were never written; the kernel treats every inode as free, as drawn." }
                        </p>
                    }
                    <div class="legend small">
                        { legend_item(palette[ic::USED as usize], "in use", n[ic::USED as usize]) }
                        { legend_item(palette[ic::FREE as usize], "free", n[ic::FREE as usize]) }
                        { legend_item(palette[ic::NEVER as usize], "never used (bg_itable_unused)", n[ic::NEVER as usize]) }
                        { legend_item(palette[ic::USED_PAST as usize], "in use past bg_itable_unused!", n[ic::USED_PAST as usize]) }
                    </div>
                    <BitmapGrid cells={l.inode_cells.clone()} palette={palette} target_height={140.0}
                        describe={describe} open={open} testid="inode-bitmap" label={format!("Inode bitmap of group {g}")}
                        first={first_ino} scale={1} />
                    { runs_html("free-inodes", "Free inodes:", &l.inode_runs, first_ino, 1) }
                </>
            }
        }
    };

    html! {
        <div class="group-view" data-testid="group-view" data-group={g.to_string()}>
            { head }
            { elsewhere(&l, &fp, n_groups) }
            <div class="cards two">
                { descriptor_card(&l, &fp, r.checksum) }
                { counts_card(&l, clusters) }
            </div>
            { layout_card(&l, &fp) }
            <section class="card wide" aria-labelledby="h-bbmp">
                <h2 id="h-bbmp">
                    { if clusters { "Block bitmap (one cell per cluster)" } else { "Block bitmap" } }
                    <span class="muted small">{ format!(" {} bits at block {}", l.detail.block.as_ref().map_or(0, |b| b.nbits), r.block_bitmap) }</span>
                </h2>
                { block_grid }
            </section>
            <section class="card wide" aria-labelledby="h-ibmp">
                <h2 id="h-ibmp">
                    { "Inode bitmap" }
                    <span class="muted small">{ format!(" {} bits at block {}", l.detail.inode.as_ref().map_or(0, |b| b.nbits), r.inode_bitmap) }</span>
                </h2>
                { inode_grid }
            </section>
        </div>
    }
}
