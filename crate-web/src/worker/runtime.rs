//! The worker's message loop: decode a request, let the [`Session`] answer,
//! post the answer back. Messages are `[json, blob?]` arrays (see
//! [`super::protocol`]).

use std::cell::RefCell;

use js_sys::Array;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Blob, DedicatedWorkerGlobalScope, MessageEvent};

use super::file_source::BlobSource;
use super::protocol::{decode, encode, Request, Response, WorkerError, READY};
use super::session::Session;
use ext4scope_core::ReadAt;

thread_local! {
    static SESSION: RefCell<Session> = RefCell::new(Session::new());
}

/// Install the message handler. Called once from the worker's `main`.
pub fn start() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let handler = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
        let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
        let (id, response) = handle(ev.data());
        // Posting a string cannot fail for a live worker; if it does there is
        // no one left to tell.
        let _ = scope.post_message(&JsValue::from_str(&encode(id, &response)));
    });
    scope.set_onmessage(Some(handler.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    handler.forget();
    // Now it listens: the app may send (it held its requests until this).
    let _ = scope.post_message(&JsValue::from_str(READY));
}

fn handle(data: JsValue) -> (u32, Response) {
    let parts: Array = data.dyn_into().unwrap_or_default();
    let json = parts.get(0).as_string().unwrap_or_default();
    let envelope = match decode::<Request>(&json) {
        Ok(e) => e,
        Err(message) => return (0, Response::Failed { error: WorkerError::BadRequest { message } }),
    };
    let source: Option<Box<dyn ReadAt>> = match parts.get(1).dyn_into::<Blob>() {
        Ok(blob) => match BlobSource::new(blob) {
            Ok(s) => Some(Box::new(s)),
            Err(message) => {
                let error = WorkerError::Crashed { message };
                return (envelope.id, Response::Failed { error });
            }
        },
        Err(_) => None,
    };
    let response = SESSION.with(|s| s.borrow_mut().handle(envelope.body, source));
    (envelope.id, response)
}
