//! `#/journal/diff?from=A&to=B`: the blocks that differ between two crash
//! points of the journal, each decoded at its home location in the later
//! state and diffed field by field.

use yew::platform::spawn_local;
use yew::prelude::*;

use crate::app::{navigate, use_ctx};
use crate::route::{CrashPoint, Link, Route};
use crate::state::{OpenImage, Shared};
use crate::views::transaction::change_lines;
use crate::widgets::copy_link::CopyLink;
use crate::worker::journal::{kind_words, DiffPage, MAX_DIFF_PAGE};
use crate::worker::protocol::{Request, Response};

/// Props.
#[derive(Properties, PartialEq)]
pub struct Props {
    /// The open image.
    pub image: OpenImage,
    /// The earlier state.
    pub from: CrashPoint,
    /// The later state.
    pub to: CrashPoint,
}

#[derive(Clone, PartialEq)]
enum Load {
    Waiting,
    Ready(Shared<DiffPage>),
    Failed(String),
}

/// The diff page.
#[component]
pub fn JournalDiffView(props: &Props) -> Html {
    let ctx = use_ctx();
    let o = &props.image;
    let at = o.at();
    let (from, to) = (props.from, props.to);
    let load = use_state(|| Load::Waiting);
    let page = use_state(|| 0u32);
    {
        let (load, page) = (load.clone(), page.clone());
        use_effect_with((from, to), move |_| {
            page.set(0);
            load.set(Load::Waiting);
        });
    }
    {
        let (load, ctx) = (load.clone(), ctx.clone());
        use_effect_with((o.id, from, to, *page), move |&(_, from, to, page)| {
            spawn_local(async move {
                let r = ctx
                    .services
                    .request(Request::JournalDiff {
                        from,
                        to,
                        start: page * MAX_DIFF_PAGE,
                        count: MAX_DIFF_PAGE,
                    })
                    .await;
                load.set(match r {
                    Response::JournalDiff { page } => Load::Ready(Shared::new(*page)),
                    Response::Failed { error } => Load::Failed(error.to_string()),
                    other => Load::Failed(format!("unexpected answer: {}", other.kind())),
                });
            });
        });
    }
    let points: Vec<CrashPoint> = {
        let mut v = vec![CrashPoint::Disk];
        if let Some(s) = o.journal.summary() {
            v.extend(s.crash_points.iter().map(|&n| CrashPoint::After(n)));
        }
        v.push(CrashPoint::All);
        for c in [from, to] {
            if !v.contains(&c) {
                v.push(c);
            }
        }
        v
    };
    let select = |id: &'static str, cur: CrashPoint, other: CrashPoint, is_from: bool| {
        let at = at.clone();
        let onchange = Callback::from(move |e: Event| {
            let sel: web_sys::HtmlSelectElement = e.target_unchecked_into();
            if let Some(c) = CrashPoint::parse(&sel.value()) {
                let route = if is_from {
                    Route::JournalDiff { from: c, to: other }
                } else {
                    Route::JournalDiff { from: other, to: c }
                };
                navigate(&Link::new(route, at.clone()));
            }
        });
        html! {
            <select id={id} data-testid={id} {onchange}>
                { for points.iter().map(|c| html! { <option value={c.value()} selected={*c == cur}>{ c.words() }</option> }) }
            </select>
        }
    };
    let later = at.clone().with_crash(to);
    let head = html! {
        <div class="title-row">
            <h1>{ "Journal diff" }</h1>
            <span class="diff-pick">
                <label for="diff-from">{ "from the image" }</label>{ select("diff-from", from, to, true) }
                <label for="diff-to">{ "to the image" }</label>{ select("diff-to", to, from, false) }
            </span>
            <a class="small" href={Link::new(Route::Journal, at.clone()).to_hash()}>{ "journal" }</a>
            <span class="spacer"></span>
            <CopyLink link={Link::new(Route::JournalDiff { from, to }, at.clone())} />
        </div>
    };
    let p = match &*load {
        Load::Ready(p) if p.from == from && p.to == to => p.clone(),
        Load::Failed(e) => {
            return html! { <div class="diff-view">{ head }<p class="banner bad" role="alert">{ e }</p></div> }
        }
        _ => {
            return html! { <div class="diff-view">{ head }<p class="muted">{ "Replaying and comparing…" }</p></div> }
        }
    };
    let pages = p.total.div_ceil(MAX_DIFF_PAGE).max(1);
    let cur = p.start / MAX_DIFF_PAGE;
    let pager = (pages > 1).then(|| {
        let go = |n: u32| {
            let page = page.clone();
            Callback::from(move |_: MouseEvent| page.set(n))
        };
        html! {
            <span class="pager">
                <button type="button" class="button small" disabled={cur == 0} onclick={go(cur.saturating_sub(1))}>{ "← earlier" }</button>
                <button type="button" class="button small" disabled={cur + 1 >= pages} onclick={go(cur + 1)}>{ "later →" }</button>
            </span>
        }
    });
    html! {
        <div class="diff-view" data-testid="diff-view">
            { head }
            <p class="lede" data-testid="diff-total" data-total={p.total.to_string()}>
                { match p.total {
                    0 => format!("No block differs between the image {} and {}.", from.words(), to.words()),
                    n => format!("{n} block{} differ between the image {} and {}.", if n == 1 { "" } else { "s" }, from.words(), to.words()),
                } }
            </p>
            if p.total > 0 {
                <section class="card wide">
                    <div class="title-row compact">
                        <h2>{ format!("Blocks {}–{} of {}", p.start + 1, p.start + p.changes.len() as u32, p.total) }</h2>
                        <span class="spacer"></span>
                        { pager.clone().unwrap_or_default() }
                    </div>
                    <table class="grid-table logged-table">
                        <thead><tr><th>{ "Block" }</th><th>{ "What it is and what changes" }</th></tr></thead>
                        <tbody>
                            { for p.changes.iter().map(|c| html! {
                                <tr data-testid="diff-row" data-fs-block={c.fs_block.to_string()}>
                                    <td class="num"><a href={Link::new(Route::Block(c.fs_block), later.clone()).to_hash()}>{ c.fs_block }</a></td>
                                    <td class="change">
                                        <div class="what">
                                            { &c.what }
                                            if let Some(k) = c.kind { <span class="muted small">{ format!(" · {}", kind_words(k)) }</span> }
                                        </div>
                                        { change_lines(c, &later) }
                                    </td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                    { pager.unwrap_or_default() }
                </section>
            }
        </div>
    }
}
