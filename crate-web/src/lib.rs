//! ext4scope in the browser: a Yew app and a worker that owns the image.
//!
//! The app never parses on-disk structures: it asks the worker, which asks
//! `ext4scope-core`, for reports and draws them. Route parsing, the state
//! reducer, the worker protocol and its session logic build natively, so
//! `cargo test -p ext4scope-web` covers them; the rest needs a browser.

pub mod b64;
pub mod format;
pub mod grid;
pub mod route;
pub mod state;
pub mod worker;

#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(target_arch = "wasm32")]
pub mod bridge;
#[cfg(target_arch = "wasm32")]
pub mod js;
#[cfg(target_arch = "wasm32")]
pub mod samples;
#[cfg(target_arch = "wasm32")]
pub mod services;
#[cfg(target_arch = "wasm32")]
pub mod views;
#[cfg(target_arch = "wasm32")]
pub mod widgets;
