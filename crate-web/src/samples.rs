//! Built-in samples: fetched from this site (CSP `connect-src 'self'`),
//! decompressed by the browser's `DecompressionStream('gzip')`, and handed to
//! the worker as a `Blob`, exactly like a user's file.

use js_sys::{Array, Object, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, ReadableStreamDefaultReader, ReadableStreamReadResult, ReadableWritablePair, Response};

use crate::js::js_message;
use crate::state::Sample;

/// Where the samples are, relative to the page.
pub const SAMPLES_DIR: &str = "./samples/";

#[wasm_bindgen]
extern "C" {
    /// `DecompressionStream` (bound here: web-sys has it only behind its
    /// unstable-API cfg).
    #[wasm_bindgen(extends = Object)]
    type DecompressionStream;

    #[wasm_bindgen(constructor, catch)]
    fn new(format: &str) -> Result<DecompressionStream, JsValue>;
}

async fn fetch(url: &str) -> Result<Response, String> {
    let window = web_sys::window().ok_or("no window")?;
    let resp = JsFuture::from(window.fetch_with_str(url)).await.map_err(|e| js_message(&e))?;
    let resp: Response = resp.dyn_into().map_err(|_| "fetch did not return a Response".to_string())?;
    if !resp.ok() {
        return Err(format!("{url}: HTTP {} {}", resp.status(), resp.status_text()));
    }
    Ok(resp)
}

/// The sample list (`samples/index.json`).
pub async fn list() -> Result<Vec<Sample>, String> {
    let url = format!("{SAMPLES_DIR}index.json");
    let resp = fetch(&url).await?;
    let text = JsFuture::from(resp.text().map_err(|e| js_message(&e))?).await.map_err(|e| js_message(&e))?;
    serde_json::from_str(&text.as_string().unwrap_or_default()).map_err(|e| format!("{url}: {e}"))
}

/// Which step failed.
pub enum FetchError {
    /// Downloading.
    Fetch(String),
    /// Decompressing.
    Decompress(String),
}

/// Download and decompress a sample; `progress(bytes)` is called as the
/// decompressed bytes arrive.
pub async fn fetch_image(sample: &Sample, mut progress: impl FnMut(u64)) -> Result<Blob, FetchError> {
    let url = format!("{SAMPLES_DIR}{}", sample.file);
    let resp = fetch(&url).await.map_err(FetchError::Fetch)?;
    let body = resp.body().ok_or_else(|| FetchError::Fetch(format!("{url}: empty response")))?;
    let gunzip = DecompressionStream::new("gzip").map_err(|e| FetchError::Decompress(js_message(&e)))?;
    let stream = body.pipe_through(gunzip.unchecked_ref::<ReadableWritablePair>());
    let reader: ReadableStreamDefaultReader = stream.get_reader().unchecked_into();
    let chunks = Array::new();
    let mut done = 0u64;
    loop {
        let r = JsFuture::from(reader.read()).await.map_err(|e| FetchError::Decompress(js_message(&e)))?;
        let r: ReadableStreamReadResult = r.unchecked_into();
        if r.get_done().unwrap_or(true) {
            break;
        }
        let chunk: Uint8Array = r.get_value().unchecked_into();
        done += u64::from(chunk.length());
        chunks.push(&chunk);
        progress(done);
    }
    Blob::new_with_u8_array_sequence(&chunks).map_err(|e| FetchError::Decompress(js_message(&e)))
}
