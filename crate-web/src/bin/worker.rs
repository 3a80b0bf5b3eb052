//! The worker's entry point (Trunk: `data-bin="worker" data-type="worker"`).

#[cfg(target_arch = "wasm32")]
fn main() {
    ext4scope_web::worker::runtime::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("the ext4scope worker runs in a browser: build it with `trunk build --release`");
    std::process::exit(2);
}
