//! `#/journal/T`: one transaction — every block it logged with its home
//! location, what that block is there and what the transaction changes in it
//! (field by field, against the block as the transactions before it left it),
//! checksums, the blocks it revokes, its commit; ← → step through the log.

use yew::platform::spawn_local;
use yew::prelude::*;

use crate::app::{navigate, use_ctx};
use crate::route::{CrashPoint, ImageRef, Link, Route};
use crate::state::{OpenImage, Shared};
use crate::views::keys::use_arrow_keys;
use crate::widgets::copy_link::CopyLink;
use crate::worker::journal::{kind_words, MetaBlockInfo, TxDetail, MAX_BLOCK_PAGE};
use crate::worker::protocol::{Request, Response};
use ext4scope_core::journal::diff::BlockChange;

/// Revoked block numbers listed before "… more".
const REVOKED_SHOWN: usize = 200;

/// Props.
#[derive(Properties, PartialEq)]
pub struct Props {
    /// The open image.
    pub image: OpenImage,
    /// The transaction's sequence.
    pub sequence: u32,
}

#[derive(Clone, PartialEq)]
enum Load {
    Waiting,
    Ready(Shared<TxDetail>),
    Failed(String),
}

/// A summary line with `inode N` made links.
pub fn linkify(line: &str, at: &ImageRef) -> Html {
    let mut out: Vec<Html> = Vec::new();
    let mut rest = line;
    while let Some(i) = rest.find("inode ") {
        let after = &rest[i + "inode ".len()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let (before, num) = (&rest[..i], &after[..digits]);
        match num.parse::<u32>() {
            Ok(n) if n > 0 => {
                out.push(html! { { before.to_string() } });
                let href = Link::new(Route::Inode(n), at.clone()).to_hash();
                out.push(html! { <a href={href}>{ format!("inode {n}") }</a> });
                rest = &after[digits..];
            }
            _ => {
                out.push(html! { { format!("{before}inode ") } });
                rest = after;
            }
        }
    }
    out.push(html! { { rest.to_string() } });
    html! { <>{ for out }</> }
}

/// What a change says, as lines (with links).
pub fn change_lines(c: &BlockChange, at: &ImageRef) -> Html {
    if c.identical {
        return html! { <span class="muted">{ format!("identical to {}", c.against) }</span> };
    }
    html! {
        <>
            <ul class="change-lines">
                { for c.summary.iter().map(|l| html! { <li>{ linkify(l, at) }</li> }) }
            </ul>
            <div class="muted small">{ format!("{} byte{} differ from {}", c.bytes_changed, if c.bytes_changed == 1 { "" } else { "s" }, c.against) }</div>
        </>
    }
}

fn meta_link(m: &MetaBlockInfo, at: &ImageRef) -> Html {
    let ok = match m.checksum_ok {
        Some(true) => html! { <span class="ok-text small">{ " ✓" }</span> },
        Some(false) => html! { <span class="bad-text small">{ " checksum BAD" }</span> },
        None => html! {},
    };
    match m.fs_block {
        Some(b) => html! {
            <span class="meta-block">
                <a href={Link::new(Route::Block(b), at.clone()).to_hash()} title={format!("file-system block {b}")}>{ format!("journal block {}", m.journal_block) }</a>
                { ok }
            </span>
        },
        None => {
            html! { <span class="meta-block">{ format!("journal block {}", m.journal_block) }{ ok }</span> }
        }
    }
}

/// The transaction page.
#[component]
pub fn TransactionView(props: &Props) -> Html {
    let ctx = use_ctx();
    let o = &props.image;
    let at = o.at();
    let seq = props.sequence;
    let load = use_state(|| Load::Waiting);
    let page = use_state(|| 0u32);
    {
        let load = load.clone();
        let page = page.clone();
        use_effect_with(seq, move |_| {
            page.set(0);
            load.set(Load::Waiting);
        });
    }
    {
        let (load, ctx) = (load.clone(), ctx.clone());
        use_effect_with((o.id, seq, *page), move |&(_, sequence, page)| {
            spawn_local(async move {
                let start = page * MAX_BLOCK_PAGE;
                load.set(
                    match ctx
                        .services
                        .request(Request::Transaction { sequence, start, count: MAX_BLOCK_PAGE })
                        .await
                    {
                        Response::Transaction { detail } => Load::Ready(Shared::new(*detail)),
                        Response::Failed { error } => Load::Failed(error.to_string()),
                        other => Load::Failed(format!("unexpected answer: {}", other.kind())),
                    },
                );
            });
        });
    }
    let (prev, next) = match &*load {
        Load::Ready(d) if d.summary.sequence == seq => (d.prev, d.next),
        _ => (None, None),
    };
    {
        let at = at.clone();
        use_arrow_keys(move |forward| {
            if let Some(n) = if forward { next } else { prev } {
                navigate(&Link::new(Route::Transaction(n), at.clone()));
            }
        });
    }
    let head = html! {
        <div class="title-row">
            <h1>{ format!("Transaction {seq}") }</h1>
            <span class="pager">
                if let Some(p) = prev { <a class="button small" href={Link::new(Route::Transaction(p), at.clone()).to_hash()} title="Previous transaction (←)" data-testid="tx-prev">{ format!("← {p}") }</a> }
                if let Some(n) = next { <a class="button small" href={Link::new(Route::Transaction(n), at.clone()).to_hash()} title="Next transaction (→)" data-testid="tx-next">{ format!("{n} →") }</a> }
            </span>
            <a class="small" href={Link::new(Route::Journal, at.clone()).to_hash()}>{ "all transactions" }</a>
            <span class="spacer"></span>
            <CopyLink link={Link::new(Route::Transaction(seq), at.clone())} />
        </div>
    };
    let d = match &*load {
        Load::Ready(d) if d.summary.sequence == seq => d.clone(),
        Load::Failed(e) => {
            return html! { <div class="tx-view">{ head }<p class="banner bad" role="alert" data-testid="tx-error">{ e }</p></div> }
        }
        _ => {
            return html! { <div class="tx-view">{ head }<p class="muted">{ "Reading the transaction…" }</p></div> }
        }
    };
    let t = &d.summary;
    let (state, badge) = if t.history {
        ("history: an older transaction outside the log, already checkpointed", "")
    } else if !t.committed {
        ("uncommitted: no commit block, recovery never replays it", "warn")
    } else if t.replayed {
        ("committed; recovery replays it", "ok")
    } else {
        ("committed, but after the point where recovery stops: not replayed", "warn")
    };
    // Home blocks and inodes are linked in the state this transaction leaves.
    let after = if t.replayed { at.clone().with_crash(CrashPoint::After(seq)) } else { at.clone() };
    let commit = match (t.commit_time, t.commit_nsec) {
        (Some(s), n) => {
            format!("{} ({}.{:09})", ext4scope_core::time::iso8601(s, n.unwrap_or(0)), s, n.unwrap_or(0))
        }
        _ => "not committed".to_string(),
    };
    let revoked = html! {
        <>
            { for d.revoked.iter().take(REVOKED_SHOWN).enumerate().map(|(i, b)| html! {
                <>{ if i > 0 { ", " } else { "" } }<a href={Link::new(Route::Block(*b), after.clone()).to_hash()} data-testid="revoked-block">{ b }</a></>
            }) }
            if (t.revoked as usize) > REVOKED_SHOWN { <span class="muted">{ format!(" … {} more", t.revoked as usize - REVOKED_SHOWN) }</span> }
        </>
    };
    let pages = d.total.div_ceil(MAX_BLOCK_PAGE).max(1);
    let cur = d.start / MAX_BLOCK_PAGE;
    let pager = (pages > 1).then(|| {
        let go = |p: u32| {
            let page = page.clone();
            Callback::from(move |_: MouseEvent| page.set(p))
        };
        html! {
            <span class="pager">
                <button type="button" class="button small" disabled={cur == 0} onclick={go(cur.saturating_sub(1))}>{ "← earlier blocks" }</button>
                <button type="button" class="button small" disabled={cur + 1 >= pages} onclick={go(cur + 1)} data-testid="blocks-next">{ "later blocks →" }</button>
            </span>
        }
    });
    let rows = d.blocks.iter().map(|b| {
        let home = Link::new(Route::Block(b.fs_block), after.clone()).to_hash();
        let copy = b.copy_block.map(|c| Link::new(Route::Block(c), at.clone()).to_hash());
        let tag = match b.checksum_ok {
            Some(true) => html! { <span class="ok-text">{ "ok" }</span> },
            Some(false) => html! { <span class="bad-text">{ "BAD" }</span> },
            None => html! { <span class="muted">{ "—" }</span> },
        };
        let what = match (&b.change, &b.error) {
            (Some(c), _) => html! {
                <>
                    <div class="what">
                        { &c.what }
                        if let Some(k) = c.kind { <span class="muted small">{ format!(" · {}", kind_words(k)) }</span> }
                    </div>
                    { change_lines(c, &after) }
                </>
            },
            (None, Some(e)) => html! { <span class="bad-text">{ e }</span> },
            _ => html! {},
        };
        html! {
            <tr data-testid="logged-row" data-fs-block={b.fs_block.to_string()} data-journal-block={b.journal_block.to_string()}
                data-flags={format!("0x{:x}", b.flags)} class={classes!(b.skipped.is_some().then_some("skipped"), (b.checksum_ok == Some(false)).then_some("bad"))}>
                <td class="num muted">{ b.index + 1 }</td>
                <td class="num"><a href={home} title="The block at its home location, in the state after this transaction">{ b.fs_block }</a></td>
                <td class="num">
                    { match copy { Some(h) => html! { <a href={h} title="The logged copy in the journal">{ b.journal_block }</a> }, None => html! { { b.journal_block } } } }
                </td>
                <td class="num small">
                    { format!("0x{:x}", b.flags) }
                    if !b.flag_names.is_empty() { <div class="muted">{ b.flag_names.join(", ") }</div> }
                </td>
                <td>{ tag }</td>
                <td class="change">
                    { what }
                    if let Some(sk) = &b.skipped { <div class="warn-text small">{ sk }</div> }
                </td>
            </tr>
        }
    });
    let prev_point = if t.history || !t.replayed {
        None
    } else {
        Some(match d.against.strip_prefix("the block after transaction ").and_then(|n| n.parse().ok()) {
            Some(n) => CrashPoint::After(n),
            None => CrashPoint::Disk,
        })
    };
    html! {
        <div class="tx-view" data-testid="tx-view" data-seq={seq.to_string()}>
            { head }
            <div class="cards two">
                <section class="card">
                    <h2>{ "Transaction" }</h2>
                    <dl class="kv">
                        <dt>{ "State" }</dt><dd><span class={classes!("badge", badge)} data-testid="tx-state">{ state }</span></dd>
                        <dt>{ "Journal blocks" }</dt><dd class="num">{ format!("{}–{}", t.start, t.end.saturating_sub(1)) }</dd>
                        <dt>{ "Logged" }</dt><dd class="num" data-testid="tx-total">{ format!("{} block{}", d.total, if d.total == 1 { "" } else { "s" }) }</dd>
                        <dt>{ "Descriptors" }</dt><dd>{ for d.descriptors.iter().map(|m| meta_link(m, &at)) }</dd>
                        if !d.revoke_blocks.is_empty() {
                            <dt>{ "Revoke blocks" }</dt><dd>{ for d.revoke_blocks.iter().map(|m| meta_link(m, &at)) }</dd>
                        }
                        <dt>{ "Commit" }</dt>
                        <dd data-testid="tx-commit">
                            { match &d.commit { Some(m) => meta_link(m, &at), None => html! { <span class="warn-text">{ "no commit block" }</span> } } }
                        </dd>
                        <dt>{ "Committed at" }</dt><dd class="num" data-testid="tx-time">{ commit }</dd>
                    </dl>
                </section>
                <section class="card">
                    <h2>{ "Revokes and replay" }</h2>
                    <dl class="kv">
                        <dt>{ "Revoked" }</dt>
                        <dd class="num" data-testid="tx-revoked" data-count={t.revoked.to_string()}>
                            if t.revoked == 0 { <span class="muted">{ "none" }</span> } else { { revoked } }
                        </dd>
                        <dt>{ "Compared with" }</dt><dd data-testid="tx-against">{ &d.against }</dd>
                        <dt>{ "Decoded in" }</dt><dd>{ format!("the image {}", d.decoded_in.words()) }</dd>
                        if t.skipped > 0 {
                            <dt>{ "Not replayed" }</dt><dd>{ format!("{} logged cop{} revoked by a later transaction", t.skipped, if t.skipped == 1 { "y" } else { "ies" }) }</dd>
                        }
                    </dl>
                    <p class="actions">
                        if t.replayed {
                            <a class="button small" data-testid="crash-here" href={Link::new(Route::Transaction(seq), at.clone()).with_crash(CrashPoint::After(seq)).to_hash()}>
                                { format!("Show the image after transaction {seq}") }
                            </a>
                        }
                        if let Some(p) = prev_point {
                            <a class="button small" href={Link::new(Route::JournalDiff { from: p, to: CrashPoint::After(seq) }, at.clone()).to_hash()}>
                                { "Every block it changes" }
                            </a>
                        }
                    </p>
                </section>
            </div>
            <section class="card wide">
                <div class="title-row compact">
                    <h2>{ format!("Logged blocks {}–{} of {}", d.start + u32::from(!d.blocks.is_empty()), d.start + d.blocks.len() as u32, d.total) }</h2>
                    <span class="spacer"></span>
                    { pager.clone().unwrap_or_default() }
                </div>
                if t.replayed {
                    <p class="muted small">{ format!("FS blocks and inodes open in the image after transaction {seq}; journal blocks in the image shown now.") }</p>
                }
                <table class="grid-table logged-table" data-testid="logged-table">
                    <thead><tr>
                        <th>{ "#" }</th><th title="Where recovery writes it">{ "FS block" }</th><th title="Where the copy is in the journal">{ "Journal block" }</th>
                        <th>{ "Flags" }</th><th title="The descriptor tag's checksum over the copy">{ "Tag checksum" }</th><th>{ "What it is and what changes" }</th>
                    </tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
                { pager.unwrap_or_default() }
            </section>
        </div>
    }
}
