//! Small helpers over browser values.

use wasm_bindgen::{JsCast, JsValue};

/// The message of a JS exception, or its debug form.
pub fn js_message(v: &JsValue) -> String {
    if let Some(e) = v.dyn_ref::<js_sys::Error>() {
        return String::from(e.message());
    }
    v.as_string().unwrap_or_else(|| format!("{v:?}"))
}
