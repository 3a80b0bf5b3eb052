//! Where an image comes from: a drop zone with a file picker, and the
//! built-in samples. Nothing is uploaded: the file stays in the browser.

use web_sys::{DragEvent, HtmlInputElement};
use yew::prelude::*;

use crate::app::{dropped_file, use_ctx};
use crate::format;
use crate::state::{Sample, Samples};

/// Props.
#[derive(Properties, PartialEq)]
pub struct Props {
    /// The drop zone's heading.
    #[prop_or(AttrValue::Static("Open an ext4 image"))]
    pub heading: AttrValue,
}

/// Drop zone + file picker + samples.
#[component]
pub fn OpenPanel(props: &Props) -> Html {
    html! {
        <div class="open-panel">
            <DropZone heading={props.heading.clone()} />
            <SampleList />
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct DropProps {
    heading: AttrValue,
}

#[component]
fn DropZone(props: &DropProps) -> Html {
    let ctx = use_ctx();
    let over = use_state(|| false);
    let onchange = {
        let services = ctx.services.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Some(f) = input.files().and_then(|l| l.get(0)) {
                let name = f.name();
                services.open_file(f.into(), name);
            }
            // Picking the same file again must fire `change` again.
            input.set_value("");
        })
    };
    let set = |v: bool| {
        let over = over.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            over.set(v);
        })
    };
    // Open here and stop, so the app's page-wide drop does not open it twice.
    let ondrop = {
        let over = over.clone();
        let services = ctx.services.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            e.stop_propagation();
            over.set(false);
            if let Some(f) = dropped_file(&e) {
                let name = f.name();
                services.open_file(f.into(), name);
            }
        })
    };
    html! {
        <label class={classes!("dropzone", (*over).then_some("over"))}
               ondragenter={set(true)} ondragover={set(true)} ondragleave={set(false)} {ondrop}>
            <input id="file-input" class="visually-hidden" type="file" {onchange}
                   aria-describedby="dropzone-help" data-testid="file-input" />
            <span class="dropzone-icon" aria-hidden="true">{ "⬇" }</span>
            <span class="dropzone-title">{ props.heading.clone() }</span>
            <span id="dropzone-help" class="muted">
                { "Drop a file here or " }<span class="link-like">{ "choose one" }</span>
                { ": a raw ext2/3/4 image of any size (a 16 GiB image opens at once)." }
            </span>
            <span class="privacy">
                { "The image stays on this computer: it is read in your browser, never uploaded." }
            </span>
        </label>
    }
}

#[component]
fn SampleList() -> Html {
    let ctx = use_ctx();
    let body = match &ctx.state.samples {
        Samples::Loading => html! { <p class="muted">{ "Loading the list of samples…" }</p> },
        Samples::Failed(e) => {
            html! { <p class="muted">{ format!("The samples are not available: {e}") }</p> }
        }
        Samples::Ready(list) => {
            list.iter().map(|s| html! { <SampleItem sample={s.clone()} /> }).collect::<Html>()
        }
    };
    html! {
        <section class="samples" aria-labelledby="samples-h">
            <h2 id="samples-h">{ "Or try a sample" }</h2>
            <ul class="sample-list">{ body }</ul>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct SampleProps {
    sample: Sample,
}

#[component]
fn SampleItem(props: &SampleProps) -> Html {
    let ctx = use_ctx();
    let s = &props.sample;
    let onclick = {
        let services = ctx.services.clone();
        let s = s.clone();
        Callback::from(move |_| services.open_sample(s.clone()))
    };
    html! {
        <li>
            <button class="sample" {onclick} data-sample={s.name.clone()}>
                <span class="sample-name">{ &s.name }</span>
                <span class="sample-size muted">
                    { format!("{} ({} download)", format::bytes(s.size), format::bytes(s.compressed_size)) }
                </span>
                <span class="sample-desc">{ &s.description }</span>
            </button>
        </li>
    }
}
