//! A file's block map drawn as an SVG tree: the extent tree (root in the
//! inode, index nodes, leaves with logical → physical ranges) or the indirect
//! map (the 15 `i_block` slots, IND/DIND/TIND blocks, collapsed runs of data
//! pointers). Holes are rows of their own. Wide levels are collapsed (first
//! few, "… N more nodes", last few; a click shows [`EXPAND_STEP`] more) and
//! long nodes too ("… N more rows": a click asks the page to show those rows
//! in its table, `on_row`), so a 1 GiB file stays readable and every part of
//! it reachable. Nodes with a block number link to `#/block/B`.

use std::rc::Rc;

use ext4scope_core::filemap::{MapItem, MapNode, MapTree, NodeKind};
use yew::prelude::*;

use crate::worker::filemap::NodeRows;

use crate::route::{ImageRef, Link, Route};

/// Children shown per node before collapsing (first 3, a placeholder, last 2).
const MAX_CHILDREN: usize = 6;
/// Rows shown per node before collapsing.
const MAX_ROWS: usize = 10;
/// Hidden children shown per click on "… N more nodes".
pub const EXPAND_STEP: usize = 16;
const NODE_W: f64 = 290.0;
const GAP_X: f64 = 18.0;
const GAP_Y: f64 = 36.0;
const HEAD_H: f64 = 40.0;
const ROW_H: f64 = 15.0;

/// Props.
#[derive(Properties, PartialEq)]
pub struct Props {
    /// The tree.
    pub tree: MapTree,
    /// Fingerprint for the links.
    pub fp: ImageRef,
    /// Per node: its rows in the page's table and the entries the worker cut.
    #[prop_or_default]
    pub cuts: Rc<Vec<NodeRows>>,
    /// Show table row R (a click on "… N more rows").
    #[prop_or_default]
    pub on_row: Callback<u32>,
}

/// A box to draw.
enum Shown {
    Node(usize),
    More { parent: usize, count: usize, first: Option<u64>, last: Option<u64> },
}

/// A row of a node: text, class, the table row it shows or starts (data
/// rows and "more" rows), the table rows it stands for.
type Row = (String, &'static str, Option<u32>, u32);

struct Placed {
    shown: Shown,
    level: usize,
    x: f64,
    rows: Vec<Row>,
    parent: Option<usize>,
}

fn range(a: u64, len: u64) -> String {
    if len <= 1 {
        a.to_string()
    } else {
        format!("{a}-{}", a.saturating_add(len - 1))
    }
}

/// Rows of a node: entries, with holes between them; `cut` says where the
/// worker left entries out and which table rows they are.
fn rows(node: &MapNode, cut: Option<NodeRows>) -> Vec<Row> {
    let mut out: Vec<Row> = Vec::new();
    let mut next_logical: Option<u64> = None;
    let indirect = !matches!(node.kind, NodeKind::ExtentRoot | NodeKind::ExtentBlock | NodeKind::Inline);
    // Slots before the first used one are holes too.
    let mut next_slot: Option<u32> = indirect.then_some(0);
    // The table row of the next data entry.
    let mut row_no = cut.map_or(0, |c| c.first);
    for (i, item) in node.items.iter().enumerate() {
        if let Some(c) = cut.filter(|c| c.hidden > 0 && c.cut as usize == i) {
            out.push((format!("   … {} more rows …", c.hidden), "more", Some(row_no), c.hidden));
            row_no += c.hidden;
            next_logical = None;
            next_slot = None;
        }
        match item {
            MapItem::Extent { entry, logical, physical, len, unwritten } => {
                if let Some(n) = next_logical.filter(|n| n < logical) {
                    out.push((format!("   hole L {}", range(n, logical - n)), "hole", None, 0));
                }
                let u = if *unwritten { " unwritten" } else { "" };
                out.push((
                    format!("#{entry} L {} → {} ({len}){u}", range(*logical, *len), range(*physical, *len)),
                    if *unwritten { "unwritten" } else { "data" },
                    Some(row_no),
                    1,
                ));
                row_no += 1;
                next_logical = Some(logical.saturating_add(*len));
            }
            MapItem::Index { entry, logical, block, .. } => {
                out.push((format!("#{entry} L ≥{logical} → block {block}"), "index", None, 0));
            }
            MapItem::Pointers { slot, logical, physical, len } => {
                if let Some(n) = next_slot.filter(|n| n < slot) {
                    out.push((
                        format!("   slots {} hole", range(u64::from(n), u64::from(slot - n))),
                        "hole",
                        None,
                        0,
                    ));
                }
                out.push((
                    format!(
                        "slot {} L {} → {}",
                        range(u64::from(*slot), *len),
                        range(*logical, *len),
                        range(*physical, *len)
                    ),
                    "data",
                    Some(row_no),
                    1,
                ));
                row_no += 1;
                next_slot = Some(slot.saturating_add(*len as u32));
            }
            MapItem::Indirect { slot, kind, block, .. } => {
                if let Some(n) = next_slot.filter(|n| n < slot) {
                    out.push((
                        format!("   slots {} hole", range(u64::from(n), u64::from(slot - n))),
                        "hole",
                        None,
                        0,
                    ));
                }
                out.push((format!("slot {slot} → {} block {block}", kind.name()), "index", None, 0));
                next_slot = Some(slot.saturating_add(1));
            }
        }
    }
    if indirect {
        if let Some(n) = next_slot.filter(|&n| n < node.max) {
            out.push((
                format!("   slots {} empty", range(u64::from(n), u64::from(node.max - n))),
                "hole",
                None,
                0,
            ));
        }
    }
    if out.len() > MAX_ROWS {
        let tail = out.split_off(out.len() - 4);
        let middle = out.split_off(MAX_ROWS - 5);
        let target = middle.iter().find_map(|r| r.2);
        let span: u32 = middle.iter().map(|r| r.3).sum();
        let more = if span > 0 { span as usize } else { middle.len() };
        out.push((format!("   … {more} more rows …"), "more", target, span));
        out.extend(tail);
    }
    out
}

fn children(tree: &MapTree, n: usize) -> Vec<(usize, u64)> {
    let Some(node) = tree.nodes.get(n) else { return Vec::new() };
    node.items
        .iter()
        .filter_map(|i| match i {
            MapItem::Index { child: Some(c), block, .. }
            | MapItem::Indirect { child: Some(c), block, .. } => Some((*c as usize, *block)),
            _ => None,
        })
        // Nodes come parents first: a child index at or before its parent is a cycle.
        .filter(|(c, _)| *c > n && *c < tree.nodes.len())
        .collect()
}

/// Lay out the shown boxes: leaves left to right, parents centred over children.
#[allow(clippy::too_many_arguments)]
fn place(
    tree: &MapTree,
    cuts: &[NodeRows],
    extra: &[usize],
    n: usize,
    level: usize,
    parent: Option<usize>,
    next_x: &mut f64,
    out: &mut Vec<Placed>,
) -> f64 {
    let me = out.len();
    let node = &tree.nodes[n];
    out.push(Placed { shown: Shown::Node(n), level, x: 0.0, rows: rows(node, cuts.get(n).copied()), parent });
    let kids = children(tree, n);
    let mut xs = Vec::new();
    // The first 3 (and as many more as clicks asked for), the last 2.
    let head = (3 + extra.get(n).copied().unwrap_or(0)).min(kids.len().saturating_sub(2));
    let shown: Vec<Option<&(usize, u64)>> = if kids.len() > MAX_CHILDREN && head < kids.len() - 2 {
        let mut v: Vec<Option<&(usize, u64)>> = kids[..head].iter().map(Some).collect();
        v.push(None);
        v.extend(kids[kids.len() - 2..].iter().map(Some));
        v
    } else {
        kids.iter().map(Some).collect()
    };
    for k in shown {
        match k {
            Some(&(c, _)) => xs.push(place(tree, cuts, extra, c, level + 1, Some(me), next_x, out)),
            None => {
                let hidden = &kids[head..kids.len() - 2];
                let x = *next_x;
                *next_x += NODE_W + GAP_X;
                out.push(Placed {
                    shown: Shown::More {
                        parent: n,
                        count: hidden.len(),
                        first: hidden.first().map(|h| h.1),
                        last: hidden.last().map(|h| h.1),
                    },
                    level: level + 1,
                    x,
                    rows: Vec::new(),
                    parent: Some(me),
                });
                xs.push(x);
            }
        }
    }
    let x = match (xs.first(), xs.last()) {
        (Some(a), Some(b)) => (a + b) / 2.0,
        _ => {
            let x = *next_x;
            *next_x += NODE_W + GAP_X;
            x
        }
    };
    out[me].x = x;
    x
}

fn node_title(node: &MapNode) -> String {
    match node.kind {
        NodeKind::ExtentRoot => format!("extent root, depth {}", node.depth.unwrap_or(0)),
        NodeKind::ExtentBlock if node.depth == Some(0) => "extent leaf".to_string(),
        NodeKind::ExtentBlock => format!("extent index (depth {})", node.depth.unwrap_or(0)),
        NodeKind::IndirectRoot => "12 direct, IND, DIND, TIND".to_string(),
        NodeKind::Ind => "IND".to_string(),
        NodeKind::Dind => "DIND".to_string(),
        NodeKind::Tind => "TIND".to_string(),
        NodeKind::Inline => "inline data".to_string(),
    }
}

/// The tree.
#[component]
pub fn MapTreeView(props: &Props) -> Html {
    let tree = &props.tree;
    // Per node: hidden children shown by clicks.
    let extra = use_state(Vec::<usize>::new);
    if tree.nodes.is_empty() {
        return html! { <p class="muted">{ "No block map: this inode has no data blocks." }</p> };
    }
    let mut placed = Vec::new();
    let mut next_x = 0.0;
    place(tree, &props.cuts, &extra, 0, 0, None, &mut next_x, &mut placed);
    let levels = placed.iter().map(|p| p.level).max().unwrap_or(0) + 1;
    let mut level_h = vec![HEAD_H; levels];
    for p in &placed {
        let h = HEAD_H + ROW_H * p.rows.len() as f64 + 6.0;
        level_h[p.level] = level_h[p.level].max(h);
    }
    let mut level_y = vec![0.0; levels];
    for l in 1..levels {
        level_y[l] = level_y[l - 1] + level_h[l - 1] + GAP_Y;
    }
    let width = (next_x - GAP_X).max(NODE_W) + 2.0;
    let height = level_y[levels - 1] + level_h[levels - 1] + 2.0;
    let heights: Vec<f64> = placed.iter().map(|p| HEAD_H + ROW_H * p.rows.len() as f64 + 6.0).collect();

    let edges = placed.iter().enumerate().filter_map(|(i, p)| {
        let parent = &placed[p.parent?];
        let (x1, y1) = (parent.x + NODE_W / 2.0, level_y[parent.level] + heights[p.parent?]);
        let (x2, y2) = (p.x + NODE_W / 2.0, level_y[p.level]);
        let my = (y1 + y2) / 2.0;
        let _ = i;
        Some(html! {
            <path class="mt-edge" d={format!("M{x1:.1},{y1:.1} C{x1:.1},{my:.1} {x2:.1},{my:.1} {x2:.1},{y2:.1}")} />
        })
    });
    let boxes = placed.iter().enumerate().map(|(i, p)| {
        let (x, y, h) = (p.x + 1.0, level_y[p.level] + 1.0, heights[i]);
        match &p.shown {
            Shown::More { parent, count, first, last } => {
                // A link, so that Enter opens it too; the click never navigates.
                let onclick = {
                    let (extra, parent) = (extra.clone(), *parent);
                    Callback::from(move |e: MouseEvent| {
                        e.prevent_default();
                        let mut m = (*extra).clone();
                        if m.len() <= parent {
                            m.resize(parent + 1, 0);
                        }
                        m[parent] += EXPAND_STEP;
                        extra.set(m);
                    })
                };
                html! {
                    <a class="mt-more" href="#" data-testid="tree-more" data-count={count.to_string()} role="button" {onclick}>
                        <title>{ "Show more of these nodes" }</title>
                        <rect x={format!("{x}")} y={format!("{y}")} width={format!("{NODE_W}")} height={format!("{HEAD_H}")} rx="6" />
                        <text x={format!("{}", x + 10.0)} y={format!("{}", y + 17.0)}>{ format!("… {count} more nodes") }</text>
                        <text class="mt-sub" x={format!("{}", x + 10.0)} y={format!("{}", y + 32.0)}>
                            { format!("blocks {} … {} · click: {} more", first.unwrap_or(0), last.unwrap_or(0), EXPAND_STEP.min(*count)) }
                        </text>
                    </a>
                }
            }
            Shown::Node(n) => {
                let node = &tree.nodes[*n];
                let cs = match node.checksum.ok {
                    Some(true) => " · csum ok",
                    Some(false) => " · csum BAD",
                    None => "",
                };
                let sub = format!("{}/{} entries{cs}", node.entries, node.max);
                let head = match node.block {
                    Some(b) => format!("block {b}"),
                    None => "i_block".to_string(),
                };
                let bad = node.checksum.ok == Some(false);
                let rows = p.rows.iter().enumerate().map(|(r, (text, class, target, _))| {
                    let (tx, ty) = (format!("{}", x + 10.0), format!("{}", y + HEAD_H + 10.0 + ROW_H * r as f64));
                    match target.filter(|_| *class == "more") {
                        // A link to the rows in the table (not inside the node's link).
                        Some(t) => {
                            let onclick = {
                                let (on_row, t) = (props.on_row.clone(), t);
                                Callback::from(move |e: MouseEvent| {
                                    e.prevent_default();
                                    on_row.emit(t)
                                })
                            };
                            html! {
                                <text class="mt-row more open" x={tx} y={ty} data-testid="tree-more-rows"
                                      data-row={t.to_string()} {onclick}>
                                    <title>{ "Show these rows in the table" }</title>
                                    { text }
                                </text>
                            }
                        }
                        None => html! { <text class={classes!("mt-row", *class)} x={tx} y={ty}>{ text }</text> },
                    }
                });
                let body = html! {
                    <>
                        <rect class={classes!("mt-box", bad.then_some("bad"))} x={format!("{x}")} y={format!("{y}")}
                              width={format!("{NODE_W}")} height={format!("{h}")} rx="6" />
                        <text class="mt-head" x={format!("{}", x + 10.0)} y={format!("{}", y + 16.0)}>
                            { format!("{head} · {}", node_title(node)) }
                        </text>
                        <text class="mt-sub" x={format!("{}", x + 10.0)} y={format!("{}", y + 31.0)}>{ sub }</text>
                        { for rows }
                    </>
                };
                match node.block {
                    Some(b) => html! {
                        <a class="mt-node" href={Link::new(Route::Block(b), props.fp.clone()).to_hash()}
                           data-testid="tree-node" data-block={b.to_string()}>
                            <title>{ format!("Open block {b}") }</title>
                            { body }
                        </a>
                    },
                    None => html! { <g class="mt-node root" data-testid="tree-root">{ body }</g> },
                }
            }
        }
    });
    html! {
        <div class="map-tree" data-testid="map-tree">
            <svg width={format!("{width:.0}")} height={format!("{height:.0}")}
                 viewBox={format!("0 0 {width:.0} {height:.0}")} role="img"
                 aria-label="The file's block map as a tree">
                { for edges }
                { for boxes }
            </svg>
        </div>
    }
}
