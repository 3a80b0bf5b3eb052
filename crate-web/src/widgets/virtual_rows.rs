//! A virtualised list of fixed-height rows: only the rows in view (plus some
//! overscan) are rendered, inside a body as tall as all of them, so a table of
//! 131,072 groups or a directory of 100,000 entries costs what fits on screen.
//!
//! The caller renders `<div ref={scroller} onscroll={onscroll}>` (scrolling,
//! with a height), inside it `<div ref={body}>` and inside that
//! `<div ref={rows_box}>` holding rows `start..end`. Heights and offsets are
//! set through the CSSOM: the page's CSP forbids inline style attributes.

use std::rc::Rc;

use gloo::events::EventListener;
use web_sys::HtmlElement;
use yew::prelude::*;

/// What [`use_virtual_rows`] gives the view.
pub struct VirtualRows {
    /// The scrolling element.
    pub scroller: NodeRef,
    /// The element as tall as all rows.
    pub body: NodeRef,
    /// The element that holds the rendered rows, moved to their place.
    pub rows_box: NodeRef,
    /// First rendered row.
    pub start: u32,
    /// One past the last rendered row.
    pub end: u32,
    /// How many rows the scroller shows (for Page Up/Down).
    pub visible: u32,
    /// For the scroller's `onscroll`.
    pub onscroll: Callback<Event>,
    /// Measure the scroller again (after scrolling it from code).
    pub measure: Rc<dyn Fn()>,
}

/// Set one CSS property of an element.
pub fn set_style(node: &NodeRef, prop: &str, value: &str) {
    if let Some(el) = node.cast::<HtmlElement>() {
        let _ = el.style().set_property(prop, value);
    }
}

/// `n` rows of `row_h` CSS pixels, `overscan` more rendered above and below.
#[hook]
pub fn use_virtual_rows(n: u32, row_h: f64, overscan: u32) -> VirtualRows {
    let scroller = use_node_ref();
    let body = use_node_ref();
    let rows_box = use_node_ref();
    // (first visible row, visible row count), measured from the scroller.
    let window = use_state_eq(|| (0u32, 24u32));
    let measure: Rc<dyn Fn()> = {
        let (scroller, window) = (scroller.clone(), window.clone());
        Rc::new(move || {
            if let Some(el) = scroller.cast::<HtmlElement>() {
                let first = (f64::from(el.scroll_top()) / row_h).floor().max(0.0) as u32;
                let count = (f64::from(el.client_height()) / row_h).ceil() as u32 + 1;
                window.set((first, count.max(1)));
            }
        })
    };
    let onscroll = {
        let measure = measure.clone();
        Callback::from(move |_: Event| measure())
    };
    {
        // Measure once mounted, and again when the window resizes.
        let measure = measure.clone();
        use_effect_with((), move |_| {
            measure();
            let listener = web_sys::window().map(|w| EventListener::new(&w, "resize", move |_| measure()));
            move || drop(listener)
        });
    }
    let (first, count) = *window;
    let start = first.saturating_sub(overscan).min(n);
    let end = first.saturating_add(count).saturating_add(overscan).min(n);
    {
        // The body is as tall as all rows; then measure: the scroller's
        // height depends on the body's.
        let body = body.clone();
        let measure = measure.clone();
        use_effect_with(n, move |n| {
            set_style(&body, "height", &format!("{}px", f64::from(*n) * row_h));
            measure();
        });
    }
    {
        let rows_box = rows_box.clone();
        use_effect_with(start, move |s| {
            set_style(&rows_box, "transform", &format!("translateY({}px)", f64::from(*s) * row_h))
        });
    }
    VirtualRows { scroller, body, rows_box, start, end, visible: count, onscroll, measure }
}
