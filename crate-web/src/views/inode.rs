//! `#/inode/N`: every field of an inode decoded (mode, flags by kernel name,
//! times with nanoseconds, sizes, checksum), its block map as a tree and as a
//! logical strip, its data runs, and a streamed download of its content.

use std::cell::Cell;
use std::rc::Rc;

use ext4scope_core::filemap::MapKind;
use ext4scope_core::format::inode::{InodeReport, Timestamp};
use ext4scope_core::format::xattr::XattrReport;
use ext4scope_core::Severity;
use js_sys::{Array, Uint8Array};
use wasm_bindgen::JsCast;
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::app::{navigate, use_ctx};
use crate::b64;
use crate::format;
use crate::route::{Link, Route};
use crate::state::{OpenImage, Shared};
use crate::views::keys::use_arrow_keys;
use crate::widgets::checksum::Checksum;
use crate::widgets::copy_link::CopyLink;
use crate::widgets::map_table::MapTable;
use crate::widgets::map_tree::MapTreeView;
use crate::widgets::strip::Strip;
use crate::widgets::xattrs::XattrList;
use crate::worker::filemap::{MapSummary, NodeRows};
use crate::worker::protocol::{Request, Response, MAX_CHUNK};

/// Props.
#[derive(Properties, PartialEq)]
pub struct Props {
    /// The open image.
    pub image: OpenImage,
    /// The inode.
    pub ino: u32,
}

#[derive(Clone, PartialEq)]
enum Load {
    Waiting,
    Ready(Shared<InodeReport>, Shared<XattrReport>, Shared<MapSummary>, Rc<Vec<NodeRows>>),
    Failed(String),
}

fn kv(label: &str, field: &str, value: impl Into<Html>) -> Html {
    html! {
        <>
            <dt>{ label }</dt>
            <dd class="num" data-field={field.to_string()}>{ value.into() }</dd>
        </>
    }
}

/// `drwxr-xr-x` from `i_mode`.
pub fn symbolic(mode: u16) -> String {
    let t = match mode & 0xF000 {
        0x4000 => 'd',
        0xA000 => 'l',
        0x2000 => 'c',
        0x6000 => 'b',
        0x1000 => 'p',
        0xC000 => 's',
        0x8000 => '-',
        _ => '?',
    };
    let mut s = String::from(t);
    for (i, c) in "rwxrwxrwx".chars().enumerate() {
        let bit = 1 << (8 - i);
        let mut ch = if mode & bit != 0 { c } else { '-' };
        let special = match i {
            2 if mode & 0o4000 != 0 => Some('s'),
            5 if mode & 0o2000 != 0 => Some('s'),
            8 if mode & 0o1000 != 0 => Some('t'),
            _ => None,
        };
        if let Some(sp) = special {
            ch = if ch == '-' { sp.to_ascii_uppercase() } else { sp };
        }
        s.push(ch);
    }
    s
}

fn time_row(name: &str, field: &str, t: Option<&Timestamp>) -> Html {
    match t {
        None => {
            html! { <tr><th>{ name }</th><td class="muted" colspan="3">{ "not in this inode" }</td></tr> }
        }
        Some(t) => html! {
            <tr data-field={field.to_string()}>
                <th>{ name }</th>
                <td class="num">{ &t.iso }</td>
                <td class="num">{ format!("{}.{:09}", t.seconds, t.nanos) }</td>
                <td class="num muted">{
                    match t.extra { Some(x) => format!("0x{:08x}:{:08x}", t.raw, x), None => format!("0x{:08x}", t.raw) }
                }</td>
            </tr>
        },
    }
}

fn identity(r: &InodeReport) -> Html {
    let in_use = match r.in_use {
        Some(true) => html! { <span class="badge ok">{ "in use" }</span> },
        Some(false) => html! { <span class="badge warn">{ "free in the inode bitmap" }</span> },
        None => html! { <span class="badge">{ "bitmap unreadable" }</span> },
    };
    html! {
        <section class="card">
            <h2>{ "Inode" }</h2>
            <dl class="kv">
                { kv("Type", "type", r.type_name.clone()) }
                { kv("Mode", "mode", html! { <><code>{ symbolic(r.mode) }</code>{ format!(" {} (0x{:04x})", r.mode_octal, r.mode) }</> }) }
                { kv("Owner", "uid", format!("uid {} · gid {}", r.uid, r.gid)) }
                { kv("Links", "links", r.links_count.to_string()) }
                { kv("Size", "size", html! { <>{ r.size }<span class="muted">{ format!(" bytes ({})", format::bytes(r.size)) }</span></> }) }
                { kv("i_blocks", "blocks", html! { <>{ r.blocks }<span class="muted">{ format!(" × 512 (raw {})", r.blocks_raw) }</span></> }) }
                { kv("Generation", "generation", r.generation.to_string()) }
                { kv("Version", "version", r.version.to_string()) }
                { kv("xattr block", "file_acl", if r.file_acl == 0 { "none".to_string() } else { r.file_acl.to_string() }) }
                if let Some(p) = r.projid { { kv("Project", "projid", p.to_string()) } }
                if let Some(x) = r.extra_isize { { kv("i_extra_isize", "extra_isize", x.to_string()) } }
                if let Some((ma, mi)) = r.device { { kv("Device", "device", format!("{ma}, {mi}")) } }
                if r.dtime != 0 { { kv("dtime", "dtime", r.dtime.to_string()) } }
                if let Some(n) = r.orphan_next { { kv("Orphan list", "orphan", format!("next {n}")) } }
                { kv("Bitmap", "in_use", in_use) }
                { kv("Checksum", "checksum", html! { <Checksum status={r.checksum} /> }) }
                { kv("Group", "group", r.group.to_string()) }
                { kv("Record", "at", match (r.at.block, r.at.byte) {
                    (Some(b), Some(o)) => format!("block {b}, byte {o}"),
                    (Some(b), None) => format!("block {b}"),
                    _ => String::new(),
                }) }
            </dl>
        </section>
    }
}

fn flags(r: &InodeReport) -> Html {
    html! {
        <section class="card">
            <h2>{ "Flags" }<span class="muted small">{ format!(" i_flags 0x{:08x}", r.flags) }</span></h2>
            if r.flag_names.is_empty() {
                <p class="muted">{ "none" }</p>
            } else {
                <ul class="chips" data-testid="inode-flags">
                    { for r.flag_names.iter().map(|f| html! { <li class="chip" data-flag={f.clone()}>{ f }</li> }) }
                </ul>
            }
            <h2 class="spaced">{ "Times" }</h2>
            <table class="summary times">
                <tbody>
                    { time_row("atime", "atime", Some(&r.atime)) }
                    { time_row("ctime", "ctime", Some(&r.ctime)) }
                    { time_row("mtime", "mtime", Some(&r.mtime)) }
                    { time_row("crtime", "crtime", r.crtime.as_ref()) }
                </tbody>
            </table>
        </section>
    }
}

#[derive(Clone, PartialEq)]
enum Download {
    Idle,
    Running { done: u64, total: u64 },
    Failed(String),
    Done(u64),
}

fn start_download(
    ctx: crate::app::Ctx,
    ino: u32,
    size: u64,
    name: String,
    state: UseStateHandle<Download>,
    cancel: Rc<Cell<bool>>,
) {
    cancel.set(false);
    state.set(Download::Running { done: 0, total: size });
    spawn_local(async move {
        let parts = Array::new();
        let mut offset = 0u64;
        while offset < size {
            if cancel.get() {
                state.set(Download::Idle);
                return;
            }
            let len = MAX_CHUNK.min(u32::try_from(size - offset).unwrap_or(MAX_CHUNK));
            match ctx.services.request(Request::ReadFile { ino, offset, len }).await {
                Response::FileChunk { data, .. } => {
                    let Some(bytes) = b64::decode(&data) else {
                        state.set(Download::Failed("the worker sent a malformed chunk".into()));
                        return;
                    };
                    if bytes.is_empty() {
                        break;
                    }
                    offset += bytes.len() as u64;
                    parts.push(&Uint8Array::from(&bytes[..]));
                    state.set(Download::Running { done: offset, total: size });
                }
                Response::Failed { error } => {
                    state.set(Download::Failed(format!("at byte {offset}: {error}")));
                    return;
                }
                other => {
                    state.set(Download::Failed(format!("unexpected answer: {}", other.kind())));
                    return;
                }
            }
        }
        let saved = (|| {
            let blob = web_sys::Blob::new_with_u8_array_sequence(&parts).ok()?;
            let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
            let doc = web_sys::window()?.document()?;
            let a: web_sys::HtmlAnchorElement = doc.create_element("a").ok()?.dyn_into().ok()?;
            a.set_href(&url);
            a.set_download(&name);
            a.click();
            // The browser has started the download from the URL; release it later.
            gloo::timers::callback::Timeout::new(60_000, move || {
                let _ = web_sys::Url::revoke_object_url(&url);
            })
            .forget();
            Some(())
        })();
        state.set(match saved {
            Some(()) => Download::Done(offset),
            None => Download::Failed("the browser would not save the file".into()),
        });
    });
}

/// The inode page.
#[component]
pub fn InodeView(props: &Props) -> Html {
    let ctx = use_ctx();
    let load = use_state(|| Load::Waiting);
    // A table row the tree asked to show: (row, ask number).
    let jump = use_state(|| None::<(u32, u32)>);
    let download = use_state(|| Download::Idle);
    let cancel = use_memo((), |_| Rc::new(Cell::new(false)));
    let fp = props.image.at();
    {
        let (load, ctx, download, cancel) = (load.clone(), ctx.clone(), download.clone(), (*cancel).clone());
        use_effect_with((props.image.id, props.ino), move |&(_, ino)| {
            load.set(Load::Waiting);
            download.set(Download::Idle);
            cancel.set(true);
            spawn_local(async move {
                load.set(match ctx.services.request(Request::Inode { ino }).await {
                    Response::Inode { report, xattrs, map } => {
                        let nodes = Rc::new(map.nodes.clone());
                        Load::Ready(Shared::new(*report), Shared::new(*xattrs), Shared::new(map), nodes)
                    }
                    Response::Failed { error } => Load::Failed(error.to_string()),
                    other => Load::Failed(format!("unexpected answer: {}", other.kind())),
                });
            });
        });
    }
    let ino = props.ino;
    let max_ino = props.image.info.inodes_count;
    {
        let fp = fp.clone();
        use_arrow_keys(move |forward| {
            let next = if forward {
                ino.checked_add(1).filter(|&n| n <= max_ino)
            } else {
                ino.checked_sub(1).filter(|&n| n > 0)
            };
            if let Some(n) = next {
                navigate(&Link::new(Route::Inode(n), fp.clone()));
            }
        });
    }
    let nav = html! {
        <span class="pager">
            if ino > 1 {
                <a class="button small" href={Link::new(Route::Inode(ino - 1), fp.clone()).to_hash()} title="Previous inode (←)">{ "← prev" }</a>
            }
            if ino < max_ino {
                <a class="button small" href={Link::new(Route::Inode(ino + 1), fp.clone()).to_hash()} title="Next inode (→)">{ "next →" }</a>
            }
        </span>
    };
    let head = html! {
        <div class="title-row">
            <h1>{ format!("Inode {ino}") }</h1>
            { nav }
            <span class="spacer"></span>
            <crate::views::files::ShowInFiles ino={ino} fp={fp.clone()} />
            <CopyLink link={Link::new(Route::Inode(ino), fp.clone())} />
        </div>
    };
    let r = match &*load {
        Load::Waiting => {
            return html! { <div class="inode-view">{ head }<p class="muted" data-testid="inode-loading">{ "Reading the inode…" }</p></div> }
        }
        Load::Failed(e) => {
            return html! {
                <div class="inode-view">{ head }<p class="banner bad" role="alert" data-testid="inode-error">{ e }</p></div>
            }
        }
        Load::Ready(r, x, m, n) => (r.clone(), x.clone(), m.clone(), n.clone()),
    };
    let (r, xattrs, map, cuts) = r;

    let problems = (!r.problems.is_empty()).then(|| html! {
        <ul class="problems compact" data-testid="inode-problems">
            { for r.problems.iter().map(|p| {
                let sev = match p.severity { Severity::Info => "info", Severity::Warning => "warning", Severity::Error => "error" };
                html! { <li class="problem"><span class={classes!("badge", sev)}>{ sev }</span>{ &p.message }</li> }
            }) }
        </ul>
    });

    let info = &props.image.info;
    let map_title = match r.map_kind {
        MapKind::Extents => "Extent tree",
        MapKind::Indirect => "Indirect block map",
        MapKind::Inline => "Inline data",
        MapKind::None => "Block map",
    };
    let total_rows = map.0.rows;
    let on_row = {
        let jump = jump.clone();
        Callback::from(move |row: u32| jump.set(Some((row, jump.map_or(0, |j| j.1 + 1)))))
    };
    let metadata = (!r.metadata.is_empty()).then(|| html! {
        <p class="small">
            <span class="muted">{ format!("{} map block{}: ", map.0.meta, if map.0.meta == 1 { "" } else { "s" }) }</span>
            { for r.metadata.iter().take(40).map(|m| html! {
                <><a href={Link::new(Route::Block(m.block), fp.clone()).to_hash()}>{ format!("{}{} {}", m.kind.name(), m.level, m.block) }</a>{ " " }</>
            }) }
            if map.0.meta > r.metadata.len() as u64 { <span class="muted">{ "… (all in the tree and the table's node column)" }</span> }
        </p>
    });

    let dl = {
        let name = format!("inode-{ino}.bin");
        let (ctx, state, cancel2, size) = (ctx.clone(), download.clone(), (*cancel).clone(), r.size);
        let start = Callback::from(move |_: MouseEvent| {
            start_download(ctx.clone(), ino, size, name.clone(), state.clone(), cancel2.clone())
        });
        let stop = {
            let cancel = (*cancel).clone();
            Callback::from(move |_: MouseEvent| cancel.set(true))
        };
        let is_file = matches!(
            r.file_type,
            ext4scope_core::format::inode::FileType::Regular
                | ext4scope_core::format::inode::FileType::Directory
                | ext4scope_core::format::inode::FileType::Symlink
        );
        match &*download {
            _ if !is_file => html! {},
            Download::Idle => html! {
                <button class="button small" onclick={start} data-testid="download">{ format!("Download content ({})", format::bytes(r.size)) }</button>
            },
            Download::Running { done, total } => html! {
                <span class="download">
                    <progress max={total.to_string()} value={done.to_string()}></progress>
                    <span class="muted small">{ format!(" {} of {} ", format::bytes(*done), format::bytes(*total)) }</span>
                    <button class="button small" onclick={stop}>{ "Cancel" }</button>
                </span>
            },
            Download::Done(n) => {
                html! { <span class="ok-text small" data-testid="download-done">{ format!("Saved {} bytes. ", n) }<button class="button small" onclick={start}>{ "Again" }</button></span> }
            }
            Download::Failed(e) => {
                html! { <span class="banner bad small">{ format!("Download failed {e}. ") }<button class="button small" onclick={start}>{ "Retry" }</button></span> }
            }
        }
    };

    html! {
        <div class="inode-view" data-testid="inode-view" data-ino={ino.to_string()}>
            { head }
            { problems }
            <div class="cards two">
                { identity(&r) }
                { flags(&r) }
            </div>
            <section class="card wide">
                <div class="title-row compact">
                    <h2>{ map_title }</h2>
                    <span class="muted small">{ {
                        let (blocks, runs) = (map.0.blocks, map.0.runs);
                        format!("{blocks} data block{} in {runs} run{}", if blocks == 1 { "" } else { "s" }, if runs == 1 { "" } else { "s" })
                    } }</span>
                    if let Some(n) = r.inline_size { <span class="muted small">{ format!("{n} bytes inline") }</span> }
                    <span class="spacer"></span>
                    { dl }
                </div>
                if !matches!(r.map_kind, MapKind::None | MapKind::Inline) {
                    <Strip data={r.data.clone()} size={r.size} block_size={info.block_size} blocks_count={info.blocks_count}
                           total={map.0.runs as usize} />
                }
                <MapTreeView key={format!("{}-{ino}", props.image.id)} tree={r.tree.clone()} fp={fp.clone()}
                             {cuts} {on_row} />
                { metadata }
                if total_rows > 0 {
                    <MapTable key={format!("{}-{ino}", props.image.id)} {ino} total={total_rows}
                              extents={r.map_kind == MapKind::Extents} fp={fp.clone()} jump={*jump} />
                }
            </section>
            <section class="card wide" aria-labelledby="h-xattrs">
                <h2 id="h-xattrs">{ "Extended attributes" }</h2>
                <XattrList report={xattrs.clone()} fp={fp.clone()} />
            </section>
            <section class="card wide">
                <details>
                    <summary>{ format!("All {} raw fields", r.fields.len()) }</summary>
                    <table class="summary raw-fields">
                        <tbody>
                            { for r.fields.iter().map(|(k, v)| html! {
                                <tr><th><code>{ k }</code></th><td class="num">{ match v {
                                    ext4scope_core::fields::FieldValue::Uint(n) => format!("{n} (0x{n:x})"),
                                    ext4scope_core::fields::FieldValue::List(l) => l.iter().map(|x| format!("{x:x}")).collect::<Vec<_>>().join(" "),
                                } }</td></tr>
                            }) }
                        </tbody>
                    </table>
                </details>
            </section>
        </div>
    }
}
