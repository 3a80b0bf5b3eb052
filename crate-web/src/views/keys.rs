//! Keyboard navigation shared by the inspector views.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use web_sys::KeyboardEvent;
use yew::prelude::*;

/// True when the key went to a text field (which keeps its arrows).
pub fn typing(e: &KeyboardEvent) -> bool {
    let Some(t) = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return false };
    matches!(t.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT") || t.has_attribute("contenteditable")
}

/// The newest arrow-key callback of a component.
type Latest = Rc<RefCell<Option<Box<dyn Fn(bool)>>>>;

/// Call `f(forward)` on ←/→ (without modifiers, outside text fields).
#[hook]
pub fn use_arrow_keys<F: Fn(bool) + 'static>(f: F) {
    let latest: Latest = use_mut_ref(|| None);
    *latest.borrow_mut() = Some(Box::new(f));
    use_effect_with((), move |_| {
        let listener = web_sys::window().map(|w| {
            EventListener::new_with_options(
                &w,
                "keydown",
                EventListenerOptions::enable_prevent_default(),
                move |e| {
                    let Some(e) = e.dyn_ref::<KeyboardEvent>() else { return };
                    if e.alt_key() || e.ctrl_key() || e.meta_key() || e.shift_key() || typing(e) {
                        return;
                    }
                    let forward = match e.key().as_str() {
                        "ArrowRight" => true,
                        "ArrowLeft" => false,
                        _ => return,
                    };
                    e.prevent_default();
                    if let Some(f) = latest.borrow().as_ref() {
                        f(forward);
                    }
                },
            )
        });
        move || drop(listener)
    });
}
