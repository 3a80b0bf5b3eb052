//! Milliseconds, for the worker to say how long a slice of work took (the
//! page sizes the next slice on the worker's time, not on the round trip,
//! which also carries the answer's decoding and the drawing).

/// A clock in milliseconds (only differences mean anything).
#[cfg(target_arch = "wasm32")]
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// A clock in milliseconds (only differences mean anything).
#[cfg(not(target_arch = "wasm32"))]
pub fn now_ms() -> f64 {
    use std::sync::OnceLock;
    use std::time::Instant;
    static START: OnceLock<Instant> = OnceLock::new();
    START.get_or_init(Instant::now).elapsed().as_secs_f64() * 1000.0
}
