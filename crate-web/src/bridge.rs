//! The app's side of the worker: start it, send requests, await answers.
//!
//! Each request gets an id; its answer resolves the promise stored under that
//! id. If the worker dies, every waiting request (and every later one) fails
//! with [`WorkerError::Crashed`] instead of hanging. Requests made before the
//! worker says it listens ([`READY`]) wait in a queue: a message posted to a
//! worker whose handler is not installed yet would be lost, and the open of a
//! file dropped right after the page loaded would never be answered.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use js_sys::{Array, Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, ErrorEvent, MessageEvent, Worker};

use crate::worker::protocol::{decode, encode, encode_crashed, Request, Response, WorkerError, READY};

/// Where Trunk puts the worker's loader (`data-loader-shim`).
pub const WORKER_URL: &str = "./worker_loader.js";

type Pending = Rc<RefCell<HashMap<u32, Function>>>;

/// A running worker.
pub struct Bridge {
    worker: Worker,
    next_id: Cell<u32>,
    pending: Pending,
    dead: Rc<RefCell<Option<String>>>,
    /// Messages waiting for the worker to listen; `None` once it does.
    queue: Rc<RefCell<Option<Vec<Array>>>>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(ErrorEvent)>,
}

impl Drop for Bridge {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}

/// The answer to a request the worker will never answer.
fn crashed(message: &str) -> Response {
    Response::Failed { error: WorkerError::Crashed { message: message.to_string() } }
}

impl Bridge {
    /// Start the worker.
    pub fn start() -> Result<Bridge, String> {
        let worker = Worker::new(WORKER_URL).map_err(|e| {
            format!("could not start the worker ({WORKER_URL}): {}", crate::js::js_message(&e))
        })?;
        let pending: Pending = Rc::default();
        let dead: Rc<RefCell<Option<String>>> = Rc::default();

        let queue: Rc<RefCell<Option<Vec<Array>>>> = Rc::new(RefCell::new(Some(Vec::new())));
        let p = pending.clone();
        let (q, w, d0) = (queue.clone(), worker.clone(), dead.clone());
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
            let Some(json) = ev.data().as_string() else { return };
            if json == READY {
                // Send what waited, in order.
                for message in q.borrow_mut().take().unwrap_or_default() {
                    if let Err(e) = w.post_message(&message) {
                        // Nothing will answer: fail every waiting request now.
                        let why = format!("could not send to the worker: {}", crate::js::js_message(&e));
                        *d0.borrow_mut() = Some(why.clone());
                        for (id, resolve) in p.borrow_mut().drain() {
                            let json = encode_crashed(id, &why);
                            let _ = resolve.call1(&JsValue::NULL, &JsValue::from_str(&json));
                        }
                        break;
                    }
                }
                return;
            }
            // Only the id is needed here; the caller decodes the body.
            #[derive(serde::Deserialize)]
            struct Id {
                id: u32,
            }
            let Ok(Id { id }) = serde_json::from_str::<Id>(&json) else { return };
            if let Some(resolve) = p.borrow_mut().remove(&id) {
                let _ = resolve.call1(&JsValue::NULL, &JsValue::from_str(&json));
            }
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));

        let (p, d) = (pending.clone(), dead.clone());
        let on_error = Closure::<dyn FnMut(ErrorEvent)>::new(move |ev: ErrorEvent| {
            ev.prevent_default();
            let message = match ev.message() {
                m if m.is_empty() => "the worker failed to load or stopped".to_string(),
                m => m,
            };
            *d.borrow_mut() = Some(message.clone());
            for (id, resolve) in p.borrow_mut().drain() {
                let json = encode_crashed(id, &message);
                let _ = resolve.call1(&JsValue::NULL, &JsValue::from_str(&json));
            }
        });
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));

        Ok(Bridge {
            worker,
            next_id: Cell::new(1),
            pending,
            dead,
            queue,
            _on_message: on_message,
            _on_error: on_error,
        })
    }

    /// Send a request (with the image Blob for `Open`) and wait for its answer.
    pub async fn call(&self, request: &Request, blob: Option<&Blob>) -> Response {
        if let Some(message) = self.dead.borrow().as_ref() {
            return crashed(message);
        }
        let id = self.next_id.get();
        self.next_id.set(id.wrapping_add(1).max(1));
        let pending = self.pending.clone();
        let promise = Promise::new(&mut |resolve, _reject| {
            pending.borrow_mut().insert(id, resolve);
        });
        let message = Array::new();
        message.push(&JsValue::from_str(&encode(id, request)));
        if let Some(b) = blob {
            message.push(b);
        }
        if let Some(waiting) = self.queue.borrow_mut().as_mut() {
            waiting.push(message);
        } else if let Err(e) = self.worker.post_message(&message) {
            self.pending.borrow_mut().remove(&id);
            return crashed(&format!("could not send to the worker: {}", crate::js::js_message(&e)));
        }
        let answer = JsFuture::from(promise).await.ok().and_then(|v| v.as_string()).unwrap_or_default();
        match decode::<Response>(&answer) {
            Ok(envelope) => envelope.body,
            Err(message) => Response::Failed { error: WorkerError::BadRequest { message } },
        }
    }
}
