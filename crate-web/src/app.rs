//! The app: state, contexts, the URL, the header and the current view.

use std::rc::Rc;

use gloo::events::EventListener;
use wasm_bindgen::JsValue;
use web_sys::{DragEvent, File};
use yew::prelude::*;

use crate::format;
use crate::route::{CrashPoint, ImageRef, Link, Route};
use crate::services::Services;
use crate::state::{Action, AppState, ImageState, UrlUpdate};
use crate::views;

/// What every view can reach: the state and the services.
#[derive(Clone, PartialEq)]
pub struct Ctx {
    /// The app state.
    pub state: UseReducerHandle<AppState>,
    /// Open files, fetch groups.
    pub services: Rc<Services>,
}

/// Use the app context (always provided by [`App`]).
#[hook]
pub fn use_ctx() -> Ctx {
    // Every component is rendered inside App's ContextProvider.
    use_context::<Ctx>().expect("components render inside App's ContextProvider")
}

/// `location.hash`, or "" outside a page.
pub fn current_hash() -> String {
    web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default()
}

/// Follow a link (a new history entry, like clicking an `<a href>`).
pub fn navigate(link: &Link) {
    if let Some(w) = web_sys::window() {
        let _ = w.location().set_hash(link.to_hash().trim_start_matches('#'));
    }
}

/// Make the URL say what the state says, when the state moved on by itself.
fn sync_url(link: &Link, mode: UrlUpdate) {
    let hash = link.to_hash();
    if mode == UrlUpdate::None || current_hash() == hash {
        return;
    }
    let Some(w) = web_sys::window() else { return };
    match mode {
        UrlUpdate::Push => {
            let _ = w.location().set_hash(hash.trim_start_matches('#'));
        }
        UrlUpdate::Replace => {
            if let Ok(h) = w.history() {
                let _ = h.replace_state_with_url(&JsValue::NULL, "", Some(&hash));
            }
        }
        UrlUpdate::None => {}
    }
}

/// The first file of a drop, if any.
pub fn dropped_file(e: &DragEvent) -> Option<File> {
    e.data_transfer()?.files()?.get(0)
}

/// The whole app.
#[component]
pub fn App() -> Html {
    let state = use_reducer(|| AppState::at(&current_hash()));
    let services = {
        let dispatch = state.dispatcher();
        use_memo((), move |_| Services::new(dispatch))
    };
    {
        let services = services.clone();
        use_effect_with((), move |_| services.load_samples());
    }
    {
        // Back/forward, typed URLs and followed links all arrive here.
        let dispatch = state.dispatcher();
        use_effect_with((), move |_| {
            let listener = web_sys::window().map(|w| {
                EventListener::new(&w, "hashchange", move |_| {
                    dispatch.dispatch(Action::UrlChanged(Link::parse(&current_hash())))
                })
            });
            move || drop(listener)
        });
    }
    use_effect_with((state.link.clone(), state.url_update), |(link, mode)| sync_url(link, *mode));
    {
        // A `sample=NAME` link opens that built-in sample: no upload at all.
        let services = services.clone();
        use_effect_with(state.sample_to_open(), move |want| {
            if let Some(Ok(sample)) = want {
                services.open_sample(sample.clone());
            }
        });
    }
    {
        // A `crash=` link (or the crash-point control) switches the worker's state.
        let services = services.clone();
        let id = state.open().map(|o| o.id);
        let shown = state.open().map(|o| o.sim.clone());
        use_effect_with((id, state.state_to_set()), move |(id, want)| {
            if let (Some(id), Some((crash, sim))) = (id, want) {
                let new_disk = shown.as_ref() != Some(sim);
                services.set_crash(*id, *crash, sim.clone(), new_disk);
            }
        });
    }
    {
        let title = page_title(&state);
        use_effect_with(title, |t| {
            if let Some(d) = web_sys::window().and_then(|w| w.document()) {
                d.set_title(t);
            }
        });
    }

    // A file dropped anywhere on the page opens it.
    let ondragover = Callback::from(|e: DragEvent| e.prevent_default());
    let ondrop = {
        let services = services.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            if let Some(f) = dropped_file(&e) {
                let name = f.name();
                services.open_file(f.into(), name);
            }
        })
    };

    let ctx = Ctx { state: state.clone(), services: services.clone() };
    html! {
        <ContextProvider<Ctx> context={ctx}>
            <div class="app" {ondragover} {ondrop}>
                <a class="skip" href="#main" onclick={skip_to_main()}>{ "Skip to content" }</a>
                <Header />
                <main id="main" class="main" tabindex="-1">
                    if let Some(e) = services.worker_error() {
                        <div class="banner bad" role="alert">{ format!("The image reader could not start: {e}") }</div>
                    }
                    if state.link.route.needs_image() {
                        <views::FingerprintNotice />
                        <views::CrashNotice />
                    }
                    { view(&state) }
                </main>
            </div>
        </ContextProvider<Ctx>>
    }
}

/// "Skip to content" must not change the route: focus `main` instead.
fn skip_to_main() -> Callback<MouseEvent> {
    Callback::from(|e: MouseEvent| {
        e.prevent_default();
        let main = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("main"));
        if let Some(m) = main.and_then(|m| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(m).ok()) {
            let _ = m.focus();
        }
    })
}

fn page_title(state: &AppState) -> String {
    let view = state.link.route.title();
    match &state.image {
        ImageState::Open(o)
            if state.link.route != Route::Home && (o.crash != CrashPoint::Disk || o.sim.is_some()) =>
        {
            format!("{} · {view} · {} · ext4scope", o.name, o.state_words())
        }
        ImageState::Open(o) if state.link.route != Route::Home => format!("{} · {view} · ext4scope", o.name),
        ImageState::Loading(l) => format!("Opening {} · ext4scope", l.name),
        _ => "ext4scope: ext4 image inspector".to_string(),
    }
}

fn view(state: &AppState) -> Html {
    let route = &state.link.route;
    if let Route::NotFound(path) = route {
        return html! { <views::not_found::NotFound path={path.clone()} /> };
    }
    // The guided scenarios need no image of the user's: the list shows with
    // any, a step opens its scenario's sample itself (and keeps its walk
    // while a crash point switches the state).
    match (route, &state.image) {
        (Route::Learn, _) => return html! { <views::learn::LearnList /> },
        (Route::LearnStep { .. }, ImageState::Failed(f)) => {
            return html! { <views::error::ErrorView failure={f.clone()} /> };
        }
        (Route::LearnStep { scenario, step, variant, crash }, image) => {
            let open = match image {
                ImageState::Open(o) => Some((**o).clone()),
                _ => None,
            };
            let key = open.as_ref().map_or_else(|| "none:learn".to_string(), |o| format!("{}:learn", o.id));
            return html! {
                <div class="state-view" {key}>
                    <views::learn::LearnStepView image={open} scenario={scenario.clone()} step={*step} variant={variant.clone()} crash={*crash} />
                </div>
            };
        }
        _ => {}
    }
    match &state.image {
        ImageState::Loading(l) => html! { <views::loading::LoadingView loading={l.clone()} /> },
        ImageState::Failed(f) => html! { <views::error::ErrorView failure={f.clone()} /> },
        ImageState::Empty if route.needs_image() => {
            html! { <views::need_image::NeedImage link={state.link.clone()} /> }
        }
        ImageState::Empty => html! { <views::home::Home /> },
        ImageState::Open(o) => {
            let fp = ImageRef { fp: state.link.fp.clone(), crash: o.crash, sim: o.sim.clone() };
            let inner = match route {
                Route::Superblock => html! { <views::superblock::SuperblockView image={(**o).clone()} /> },
                Route::Groups { focus } => html! {
                    <views::groups::GroupsView image={(**o).clone()} focus={*focus} fp={fp} />
                },
                Route::Group(g) => html! { <views::group::GroupView image={(**o).clone()} group={*g} /> },
                Route::Files(path) => html! {
                    <views::files::FilesView image={(**o).clone()} path={path.clone()} fp={fp} />
                },
                Route::Inode(ino) => html! { <views::inode::InodeView image={(**o).clone()} ino={*ino} /> },
                Route::Block(b) => html! { <views::block::BlockView image={(**o).clone()} block={*b} /> },
                Route::Map => html! { <views::map::MapView image={(**o).clone()} /> },
                Route::Journal => html! { <views::journal::JournalView image={(**o).clone()} /> },
                Route::Transaction(t) => {
                    html! { <views::transaction::TransactionView image={(**o).clone()} sequence={*t} /> }
                }
                Route::Check => html! { <views::check::CheckView image={(**o).clone()} /> },
                Route::Simulate => html! { <views::simulate::SimulateView image={(**o).clone()} /> },
                Route::JournalDiff { from, to } => html! {
                    <views::journal_diff::JournalDiffView image={(**o).clone()} from={*from} to={*to} />
                },
                _ => html! { <views::home::Home /> },
            };
            // Each state of the image gets its views made anew (their effects
            // fetch from the worker, which answers from the new state).
            // All but #/simulate, which keeps its run and comparison while its
            // slider moves the state.
            let key = if *route == Route::Simulate {
                format!("{}:simulate", o.id)
            } else {
                format!("{}:{}", o.id, o.generation)
            };
            html! { <>{ for std::iter::once(html! { <div class="state-view" {key}>{ inner }</div> }) }</> }
        }
    }
}

/// Brand, the open image and the tabs of its views.
#[component]
fn Header() -> Html {
    let ctx = use_ctx();
    let state = &ctx.state;
    let tabs = [
        Route::Superblock,
        Route::Groups { focus: None },
        Route::Files(String::new()),
        Route::Map,
        Route::Journal,
        Route::Check,
        Route::Simulate,
    ];
    let (name, tabs_html) = match &state.image {
        ImageState::Open(o) => {
            let size = format::bytes(o.info.image_len);
            let link_fp = o.at();
            let tabs = tabs
                .iter()
                .map(|r| {
                    // A group's page is under the Groups tab, transactions under Journal.
                    let current = r.same_view(&state.link.route)
                        || matches!((r, &state.link.route), (Route::Groups { .. }, Route::Group(_)))
                        || matches!(
                            (r, &state.link.route),
                            (Route::Journal, Route::Transaction(_) | Route::JournalDiff { .. })
                        );
                    let href = Link::new(r.clone(), link_fp.clone()).to_hash();
                    html! {
                        <a class={classes!("tab", current.then_some("current"))} href={href}
                           aria-current={current.then_some("page")}>{ r.title() }</a>
                    }
                })
                .collect::<Html>();
            (
                html! {
                    <span class="image-name" title={format!("{} bytes, fingerprint {}", o.info.image_len, o.info.fingerprint)}>
                        <span class="name" data-testid="image-name">{ &o.name }</span>
                        <span class="muted">{ size }</span>
                    </span>
                },
                html! { <nav class="tabs" aria-label="Views">{ tabs }</nav> },
            )
        }
        ImageState::Loading(l) => (
            html! { <span class="image-name"><span class="name">{ &l.name }</span><span class="muted">{ "opening…" }</span></span> },
            html! {},
        ),
        _ => (html! {}, html! {}),
    };
    let open_other = matches!(state.image, ImageState::Open(_)) && state.link.route != Route::Home;
    html! {
        <header class="top">
            <a class="brand" href="#/" title="Open another image">
                <span class="logo" aria-hidden="true">{ "▚" }</span>{ "ext4scope" }
            </a>
            { tabs_html }
            <span class="spacer"></span>
            // The guided scenarios: in the header where there is room (no
            // image, or on their own pages); the landing page links them too.
            if !matches!(state.image, ImageState::Open(_)) || matches!(state.link.route, Route::Home | Route::Learn | Route::LearnStep { .. }) {
                <a class={classes!("tab", "learn-tab", matches!(state.link.route, Route::Learn | Route::LearnStep { .. }).then_some("current"))}
                   href="#/learn" data-testid="tab-learn" title="Guided scenarios: journaling and crash consistency">{ "Learn" }</a>
            }
            if matches!(state.image, ImageState::Open(_)) && state.link.route.needs_image() {
                <crate::widgets::crash_control::CrashControl />
            }
            { name }
            if open_other {
                <a class="button small" href="#/">{ "Open another…" }</a>
            }
        </header>
    }
}
