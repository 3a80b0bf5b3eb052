//! "Download the replayed image": the image as of the current crash point,
//! streamed from the worker a chunk at a time ([`Request::Export`]) into a
//! Blob, never whole in one message. All-zero chunks come as a length only.

use std::cell::Cell;
use std::rc::Rc;

use js_sys::{Array, Uint8Array};
use wasm_bindgen::JsCast;
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::app::{use_ctx, Ctx};
use crate::b64;
use crate::format;
use crate::route::CrashPoint;
use crate::worker::protocol::{Request, Response, MAX_CHUNK};

/// Props.
#[derive(Properties, PartialEq)]
pub struct Props {
    /// A small button for the header (progress in its title).
    #[prop_or_default]
    pub compact: bool,
}

#[derive(Clone, PartialEq)]
enum Download {
    Idle,
    Running { done: u64, total: u64 },
    Failed(String),
    Done(u64),
}

/// The file name of the image `name` as of `crash`.
pub fn file_name(name: &str, crash: CrashPoint) -> String {
    let stem = name.strip_suffix(".img").unwrap_or(name);
    match crash {
        CrashPoint::Disk => format!("{stem}.img"),
        CrashPoint::After(n) => format!("{stem}-after-{n}.img"),
        CrashPoint::All => format!("{stem}-recovered.img"),
    }
}

fn save(parts: &Array, name: &str) -> Option<()> {
    let blob = web_sys::Blob::new_with_u8_array_sequence(parts).ok()?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
    let doc = web_sys::window()?.document()?;
    let a: web_sys::HtmlAnchorElement = doc.create_element("a").ok()?.dyn_into().ok()?;
    a.set_href(&url);
    a.set_download(name);
    a.click();
    // The browser has started the download from the URL; release it later.
    gloo::timers::callback::Timeout::new(60_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
    Some(())
}

fn start(ctx: Ctx, crash: CrashPoint, name: String, state: UseStateHandle<Download>, cancel: Rc<Cell<bool>>) {
    cancel.set(false);
    spawn_local(async move {
        let parts = Array::new();
        let mut offset = 0u64;
        let mut total = u64::MAX;
        state.set(Download::Running { done: 0, total: 0 });
        while offset < total {
            if cancel.get() {
                state.set(Download::Idle);
                return;
            }
            match ctx.services.request(Request::Export { offset, len: MAX_CHUNK }).await {
                Response::ImageChunk { crash: c, len, data, size, .. } => {
                    if c != crash {
                        state.set(Download::Failed(format!(
                            "the state changed to “{}” while downloading; download again",
                            c.words()
                        )));
                        return;
                    }
                    total = size;
                    if len == 0 {
                        break;
                    }
                    let chunk = match data {
                        Some(d) => match b64::decode(&d) {
                            Some(bytes) if bytes.len() == len as usize => Uint8Array::from(&bytes[..]),
                            _ => {
                                state.set(Download::Failed("the worker sent a malformed chunk".into()));
                                return;
                            }
                        },
                        None => Uint8Array::new_with_length(len),
                    };
                    parts.push(&chunk);
                    offset += u64::from(len);
                    state.set(Download::Running { done: offset, total });
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
        state.set(match save(&parts, &name) {
            Some(()) => Download::Done(offset),
            None => Download::Failed("the browser would not save the file".into()),
        });
    });
}

/// The button (and its progress).
#[component]
pub fn DownloadState(props: &Props) -> Html {
    let ctx = use_ctx();
    let download = use_state(|| Download::Idle);
    let cancel = use_memo((), |_| Rc::new(Cell::new(false)));
    let Some(o) = ctx.state.open() else { return html! {} };
    let (crash, name) = (o.crash, file_name(&o.name, o.crash));
    let label = match crash {
        CrashPoint::Disk => "Download the image".to_string(),
        c => format!("Download the image {}", c.words()),
    };
    let onclick = {
        let (ctx, download, cancel, name) = (ctx.clone(), download.clone(), (*cancel).clone(), name.clone());
        Callback::from(move |_: MouseEvent| {
            start(ctx.clone(), crash, name.clone(), download.clone(), cancel.clone())
        })
    };
    let stop = {
        let cancel = (*cancel).clone();
        Callback::from(move |_: MouseEvent| cancel.set(true))
    };
    let status = match &*download {
        Download::Idle => String::new(),
        Download::Running { done, total } => {
            let pct = if *total > 0 { *done as f64 * 100.0 / *total as f64 } else { 0.0 };
            format!("{pct:.0}% of {}", format::bytes(*total))
        }
        Download::Done(n) => format!("saved {name} ({})", format::bytes(*n)),
        Download::Failed(e) => e.clone(),
    };
    let running = matches!(*download, Download::Running { .. });
    let failed = matches!(*download, Download::Failed(_));
    if props.compact {
        return html! {
            <span class="download-state compact">
                if running {
                    <button type="button" class="button small" onclick={stop} title={format!("{label}: {status}")}
                            data-testid="download-state-cancel">{ format!("⤓ {status} · cancel") }</button>
                } else {
                    <button type="button" class="button small" {onclick} title={format!("{label} ({name}), streamed from the worker; nothing is uploaded. {status}")}
                            data-testid="download-state" aria-label={label.clone()}>{ "⤓" }</button>
                }
            </span>
        };
    }
    html! {
        <span class="download-state">
            if running {
                <button type="button" class="button small" onclick={stop} data-testid="download-state-cancel">{ "Cancel" }</button>
            } else {
                <button type="button" class="button small" {onclick} data-testid="download-state"
                        title={format!("Saves {name}: the image's bytes with the replayed blocks in place, streamed from the worker")}>
                    { label }
                </button>
            }
            if !status.is_empty() {
                <span class={classes!("small", if failed { "bad-text" } else { "muted" })} data-testid="download-state-status">{ format!(" {status}") }</span>
            }
        </span>
    }
}
