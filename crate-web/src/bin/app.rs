//! The app's entry point (Trunk: `data-bin="app"`).

#[cfg(target_arch = "wasm32")]
fn main() {
    yew::Renderer::<ext4scope_web::app::App>::new().render();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("the ext4scope app runs in a browser: build it with `trunk build --release`");
    std::process::exit(2);
}
