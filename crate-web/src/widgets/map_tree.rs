//! A file's block map drawn as an SVG tree: the extent tree (root in the
//! inode, index nodes, leaves with logical → physical ranges) or the indirect
//! map (the 15 `i_block` slots, IND/DIND/TIND blocks, collapsed runs of data
//! pointers). Holes are rows of their own. Wide levels are collapsed (first
//! few, "… N more", last few) so a 1 GiB file stays readable. Nodes with a
//! block number link to `#/block/B`.

use ext4scope_core::filemap::{MapItem, MapNode, MapTree, NodeKind};
use yew::prelude::*;

use crate::route::{ImageRef, Link, Route};

/// Children shown per node before collapsing (first 3, a placeholder, last 2).
const MAX_CHILDREN: usize = 6;
/// Rows shown per node before collapsing.
const MAX_ROWS: usize = 10;
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
}

/// A box to draw.
enum Shown {
    Node(usize),
    More { count: usize, first: Option<u64>, last: Option<u64> },
}

struct Placed {
    shown: Shown,
    level: usize,
    x: f64,
    rows: Vec<(String, &'static str)>,
    parent: Option<usize>,
}

fn range(a: u64, len: u64) -> String {
    if len <= 1 {
        a.to_string()
    } else {
        format!("{a}-{}", a.saturating_add(len - 1))
    }
}

/// Rows of a node: entries, with holes between them.
fn rows(node: &MapNode) -> Vec<(String, &'static str)> {
    let mut out = Vec::new();
    let mut next_logical: Option<u64> = None;
    let indirect = !matches!(node.kind, NodeKind::ExtentRoot | NodeKind::ExtentBlock | NodeKind::Inline);
    // Slots before the first used one are holes too.
    let mut next_slot: Option<u32> = indirect.then_some(0);
    for item in &node.items {
        match item {
            MapItem::Extent { entry, logical, physical, len, unwritten } => {
                if let Some(n) = next_logical.filter(|n| n < logical) {
                    out.push((format!("   hole L {}", range(n, logical - n)), "hole"));
                }
                let u = if *unwritten { " unwritten" } else { "" };
                out.push((
                    format!("#{entry} L {} → {} ({len}){u}", range(*logical, *len), range(*physical, *len)),
                    if *unwritten { "unwritten" } else { "data" },
                ));
                next_logical = Some(logical.saturating_add(*len));
            }
            MapItem::Index { entry, logical, block, .. } => {
                out.push((format!("#{entry} L ≥{logical} → block {block}"), "index"));
            }
            MapItem::Pointers { slot, logical, physical, len } => {
                if let Some(n) = next_slot.filter(|n| n < slot) {
                    out.push((format!("   slots {} hole", range(u64::from(n), u64::from(slot - n))), "hole"));
                }
                out.push((
                    format!(
                        "slot {} L {} → {}",
                        range(u64::from(*slot), *len),
                        range(*logical, *len),
                        range(*physical, *len)
                    ),
                    "data",
                ));
                next_slot = Some(slot.saturating_add(*len as u32));
            }
            MapItem::Indirect { slot, kind, block, .. } => {
                if let Some(n) = next_slot.filter(|n| n < slot) {
                    out.push((format!("   slots {} hole", range(u64::from(n), u64::from(slot - n))), "hole"));
                }
                out.push((format!("slot {slot} → {} block {block}", kind.name()), "index"));
                next_slot = Some(slot.saturating_add(1));
            }
        }
    }
    if indirect {
        if let Some(n) = next_slot.filter(|&n| n < node.max) {
            out.push((format!("   slots {} empty", range(u64::from(n), u64::from(node.max - n))), "hole"));
        }
    }
    if out.len() > MAX_ROWS {
        let more = out.len() - (MAX_ROWS - 1);
        let tail = out.split_off(out.len() - 4);
        out.truncate(MAX_ROWS - 5);
        out.push((format!("   … {more} more rows …"), "more"));
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
fn place(
    tree: &MapTree,
    n: usize,
    level: usize,
    parent: Option<usize>,
    next_x: &mut f64,
    out: &mut Vec<Placed>,
) -> f64 {
    let me = out.len();
    let node = &tree.nodes[n];
    out.push(Placed { shown: Shown::Node(n), level, x: 0.0, rows: rows(node), parent });
    let kids = children(tree, n);
    let mut xs = Vec::new();
    let shown: Vec<Option<&(usize, u64)>> = if kids.len() > MAX_CHILDREN {
        let mut v: Vec<Option<&(usize, u64)>> = kids[..3].iter().map(Some).collect();
        v.push(None);
        v.extend(kids[kids.len() - 2..].iter().map(Some));
        v
    } else {
        kids.iter().map(Some).collect()
    };
    for k in shown {
        match k {
            Some(&(c, _)) => xs.push(place(tree, c, level + 1, Some(me), next_x, out)),
            None => {
                let hidden = &kids[3..kids.len() - 2];
                let x = *next_x;
                *next_x += NODE_W + GAP_X;
                out.push(Placed {
                    shown: Shown::More {
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
    if tree.nodes.is_empty() {
        return html! { <p class="muted">{ "No block map: this inode has no data blocks." }</p> };
    }
    let mut placed = Vec::new();
    let mut next_x = 0.0;
    place(tree, 0, 0, None, &mut next_x, &mut placed);
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
            Shown::More { count, first, last } => html! {
                <g class="mt-more" data-testid="tree-more">
                    <rect x={format!("{x}")} y={format!("{y}")} width={format!("{NODE_W}")} height={format!("{HEAD_H}")} rx="6" />
                    <text x={format!("{}", x + 10.0)} y={format!("{}", y + 17.0)}>{ format!("… {count} more nodes") }</text>
                    <text class="mt-sub" x={format!("{}", x + 10.0)} y={format!("{}", y + 32.0)}>
                        { format!("blocks {} … {}", first.unwrap_or(0), last.unwrap_or(0)) }
                    </text>
                </g>
            },
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
                let rows = p.rows.iter().enumerate().map(|(r, (text, class))| html! {
                    <text class={classes!("mt-row", *class)} x={format!("{}", x + 10.0)}
                          y={format!("{}", y + HEAD_H + 10.0 + ROW_H * r as f64)}>{ text }</text>
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
