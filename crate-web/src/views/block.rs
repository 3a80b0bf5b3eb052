//! `#/block/B`: one block in hex (virtualised rows), the fields of the
//! structures the core recognises in it named on hover, who owns it, and
//! prev/next (buttons and ←/→).

use ext4scope_core::decode::BlockDecode;
use ext4scope_core::fields::FieldValue;
use ext4scope_core::ownership::OwnerReport;
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::app::{navigate, use_ctx};
use crate::b64;
use crate::route::{ImageRef, Link, Route};
use crate::state::{OpenImage, Shared};
use crate::views::keys::use_arrow_keys;
use crate::widgets::copy_link::CopyLink;
use crate::worker::protocol::{Request, Response};

const ROW_H: f64 = 20.0;
const VIEW_H: f64 = 520.0;
const PER_ROW: usize = 16;

/// Props.
#[derive(Properties, PartialEq)]
pub struct Props {
    /// The open image.
    pub image: OpenImage,
    /// The block.
    pub block: u64,
}

struct Loaded {
    /// The block these are (the page may already show another: its answer
    /// is on its way, and the old bytes must not be shown under its number).
    block: u64,
    bytes: Vec<u8>,
    decoded: BlockDecode,
    owner: Option<OwnerReport>,
    owner_error: Option<String>,
    /// Per byte: (structure, field) + 1 of the innermost field, 0 for none.
    at: Vec<(u32, u32)>,
}

#[derive(Clone, PartialEq)]
enum Load {
    Waiting,
    Ready(Shared<Loaded>),
    Failed(String),
}

fn index_fields(d: &BlockDecode, len: usize) -> Vec<(u32, u32)> {
    let mut at = vec![(0u32, 0u32); len];
    let mut size = vec![u32::MAX; len];
    for (si, s) in d.structures.iter().enumerate() {
        for (fi, f) in s.fields.iter().enumerate() {
            let (a, n) = (f.offset as usize, f.size as usize);
            for b in a..(a + n).min(len) {
                if f.size <= size[b] {
                    size[b] = f.size;
                    at[b] = (si as u32 + 1, fi as u32);
                }
            }
        }
    }
    at
}

fn value_text(v: &FieldValue) -> String {
    match v {
        FieldValue::Uint(n) => format!("{n} (0x{n:x})"),
        FieldValue::List(l) if l.iter().all(|&b| (0x20..0x7f).contains(&b)) && !l.is_empty() => {
            format!("\"{}\"", l.iter().map(|&b| b as u8 as char).collect::<String>())
        }
        FieldValue::List(l) => {
            let mut s = l.iter().take(32).map(|x| format!("{x:02x}")).collect::<Vec<_>>().join(" ");
            if l.len() > 32 {
                s.push_str(" …");
            }
            s
        }
    }
}

fn owners(o: &OwnerReport, fp: &ImageRef) -> Html {
    let inodes: Vec<String> = o.owners.iter().filter_map(|x| x.inode).map(|i| i.to_string()).collect();
    html! {
        <div data-testid="block-owner" data-inodes={inodes.join(",")} data-scan={o.scan_complete.to_string()}>
            if o.owners.is_empty() {
                <p>{ if o.scan_complete { "Nothing claims this block: it is free." } else { "No layout structure claims it; the map scan says which inode does." } }</p>
            } else {
                <ul class="owner-list">
                    { for o.owners.iter().map(|x| html! {
                        <li>
                            <strong>{ x.kind.name() }</strong>{ " " }
                            if let Some(i) = x.inode {
                                <a href={Link::new(Route::Inode(i), fp.clone()).to_hash()}>{ format!("inode {i}") }</a>
                            }
                            if let Some(l) = x.logical { <span class="muted">{ format!(" logical {l}") }</span> }
                            if let Some(g) = x.group {
                                { " " }<a href={Link::new(Route::Group(g), fp.clone()).to_hash()}>{ format!("group {g}") }</a>
                            }
                            <div class="muted small">{ &x.detail }</div>
                        </li>
                    }) }
                </ul>
            }
            <p class="small muted">
                { match o.bitmap_says_used { Some(true) => "Block bitmap: in use. ", Some(false) => "Block bitmap: free. ", None => "" } }
                if o.multiply_claimed { <span class="badge bad">{ "claimed more than once" }</span> }
                if !o.scan_complete { { "Data owners appear once the " }<a href={Link::new(Route::Map, fp.clone()).to_hash()}>{ "block map" }</a>{ " scan has run." } }
            </p>
        </div>
    }
}

/// The block page.
#[component]
pub fn BlockView(props: &Props) -> Html {
    let ctx = use_ctx();
    let load = use_state(|| Load::Waiting);
    let scroll = use_state(|| 0.0f64);
    let hot = use_state(|| None::<usize>);
    let fp = props.image.at();
    let b = props.block;
    let last = props.image.info.blocks_count.saturating_sub(1);
    {
        let (load, ctx, hot) = (load.clone(), ctx.clone(), hot.clone());
        use_effect_with((props.image.id, b), move |&(_, block)| {
            load.set(Load::Waiting);
            hot.set(None);
            spawn_local(async move {
                load.set(match ctx.services.request(Request::Block { block }).await {
                    Response::Block { data, decoded, owner, owner_error } => match b64::decode(&data) {
                        Some(bytes) => {
                            let at = index_fields(&decoded, bytes.len());
                            Load::Ready(Shared::new(Loaded {
                                block,
                                bytes,
                                decoded: *decoded,
                                owner: owner.map(|o| *o),
                                owner_error,
                                at,
                            }))
                        }
                        None => Load::Failed("the worker sent malformed bytes".into()),
                    },
                    Response::Failed { error } => Load::Failed(error.to_string()),
                    other => Load::Failed(format!("unexpected answer: {}", other.kind())),
                });
            });
        });
    }
    {
        let fp = fp.clone();
        use_arrow_keys(move |fwd| {
            let next = if fwd { (b < last).then(|| b + 1) } else { b.checked_sub(1) };
            if let Some(n) = next {
                navigate(&Link::new(Route::Block(n), fp.clone()));
            }
        });
    }
    // Sizes of the virtualised hex rows, set through the CSSOM (the page's
    // CSP allows no inline styles).
    let inner = use_node_ref();
    let rows_ref = use_node_ref();
    let (n_rows, first_row) = match &*load {
        Load::Ready(l) if l.block == b => {
            let rows = l.bytes.len().div_ceil(PER_ROW);
            (rows, ((*scroll / ROW_H) as usize).saturating_sub(4).min(rows))
        }
        _ => (0, 0),
    };
    {
        let (inner, rows_ref) = (inner.clone(), rows_ref.clone());
        let total = n_rows as f64 * ROW_H;
        let top = first_row as f64 * ROW_H;
        use_effect(move || {
            for (node, prop, v) in [(&inner, "height", total), (&rows_ref, "top", top)] {
                if let Some(el) = node.cast::<web_sys::HtmlElement>() {
                    let _ = el.style().set_property(prop, &format!("{v}px"));
                }
            }
        });
    }
    let head = html! {
        <div class="title-row">
            <h1>{ format!("Block {b}") }</h1>
            <span class="pager">
                if b > 0 { <a class="button small" href={Link::new(Route::Block(b - 1), fp.clone()).to_hash()} title="Previous block (←)">{ "← prev" }</a> }
                if b < last { <a class="button small" href={Link::new(Route::Block(b + 1), fp.clone()).to_hash()} title="Next block (→)">{ "next →" }</a> }
            </span>
            <span class="muted small">{ format!("byte offset {} · of {} blocks", b.saturating_mul(u64::from(props.image.info.block_size)), last + 1) }</span>
            <span class="spacer"></span>
            <CopyLink link={Link::new(Route::Block(b), fp.clone())} />
        </div>
    };
    let l = match &*load {
        Load::Ready(l) if l.block == b => l.clone(),
        Load::Waiting | Load::Ready(_) => {
            return html! { <div>{ head }<p class="muted">{ "Reading the block…" }</p></div> }
        }
        Load::Failed(e) => {
            return html! { <div>{ head }<p class="banner bad" role="alert" data-testid="block-error">{ e }</p></div> }
        }
    };
    let (rows, first) = (n_rows, first_row);
    let count = ((VIEW_H / ROW_H) as usize + 8).min(rows - first);
    let onscroll = {
        let scroll = scroll.clone();
        Callback::from(move |e: Event| {
            if let Some(t) = e.target_dyn_into::<web_sys::Element>() {
                scroll.set(f64::from(t.scroll_top()));
            }
        })
    };
    let hot_field = hot.and_then(|o| l.at.get(o).copied()).filter(|&(s, _)| s > 0);
    let row_html = (first..first + count).map(|r| {
        let base = r * PER_ROW;
        let end = (base + PER_ROW).min(l.bytes.len());
        let cells = (base..end).map(|o| {
            let (s, f) = l.at[o];
            let class = if s == 0 {
                None
            } else if Some((s, f)) == hot_field {
                Some("hot")
            } else if (s + f) % 2 == 0 {
                Some("f0")
            } else {
                Some("f1")
            };
            let onmouseenter = {
                let hot = hot.clone();
                Callback::from(move |_: MouseEvent| hot.set(Some(o)))
            };
            html! {
                <span class={classes!("hex-b", class, (o % PER_ROW == 8).then_some("gap"))} data-off={o.to_string()} {onmouseenter}>
                    { format!("{:02x}", l.bytes[o]) }
                </span>
            }
        });
        let ascii: String = l.bytes[base..end].iter().map(|&c| if (0x20..0x7f).contains(&c) { c as char } else { '.' }).collect();
        html! {
            <div class="hex-row">
                <span class="hex-off">{ format!("{base:05x}") }</span>
                <span class="hex-bytes">{ for cells }</span>
                <span class="hex-asc">{ ascii }</span>
            </div>
        }
    });
    let panel = match hot_field.and_then(|(s, f)| {
        let st = l.decoded.structures.get(s as usize - 1)?;
        Some((st, st.fields.get(f as usize)?))
    }) {
        Some((st, f)) => html! {
            <dl class="kv">
                <dt>{ "Field" }</dt><dd data-testid="field-name"><code>{ &f.name }</code></dd>
                <dt>{ "In" }</dt><dd>{ &st.name }</dd>
                <dt>{ "Bytes" }</dt><dd class="num">{ format!("{}-{} ({} bytes)", f.offset, f.offset + f.size - 1, f.size) }</dd>
                <dt>{ "Value" }</dt><dd class="num" data-testid="field-value">{ value_text(&f.value) }</dd>
            </dl>
        },
        None => {
            html! { <p class="muted small" data-testid="field-name">{ match *hot { Some(o) => format!("Byte {o}: not part of a known field."), None => "Point at a byte to name its field.".to_string() } }</p> }
        }
    };
    let d = &l.decoded;
    html! {
        <div class="block-view" data-testid="block-view" data-block={b.to_string()}>
            { head }
            <p>
                <strong data-testid="block-what">{ &d.what }</strong>
                if d.how == "magic" { <span class="badge warn">{ " recognised by content" }</span> }
            </p>
            <div class="block-layout">
                <div class="hex" data-testid="hex" {onscroll} tabindex="0" aria-label="Block bytes in hex">
                    <div class="hex-inner" ref={inner}>
                        <div class="hex-rows" ref={rows_ref}>{ for row_html }</div>
                    </div>
                </div>
                <div class="field-panel">
                    <section class="card">
                        <h2>{ "Field" }</h2>
                        { panel }
                    </section>
                    <section class="card wide">
                        <h2>{ "Owner" }</h2>
                        { match (&l.owner, &l.owner_error) {
                            (Some(o), _) => owners(o, &fp),
                            (None, Some(e)) => html! { <p class="banner bad">{ e }</p> },
                            _ => html! {},
                        } }
                    </section>
                    if !d.structures.is_empty() {
                        <section class="card wide">
                            <h2>{ format!("{} records", d.structures.len()) }</h2>
                            <ol class="struct-list">
                                { for d.structures.iter().take(300).map(|s| html! { <li>{ format!("{} @{}", s.name, s.offset) }</li> }) }
                            </ol>
                            if d.truncated { <p class="muted small">{ "Only the first fields are named." }</p> }
                        </section>
                    }
                </div>
            </div>
        </div>
    }
}
