// Starts the ext4scope app. Trunk writes the hashed names of the app's JS and
// wasm into this tag's data attributes (pattern_script in Trunk.toml), so the
// page needs no inline script and its CSP can forbid them.
const tag = document.querySelector("script[data-ext4scope-js]");
const { default: init } = await import(new URL(tag.dataset.ext4scopeJs, document.baseURI).href);
await init({ module_or_path: new URL(tag.dataset.ext4scopeWasm, document.baseURI).href });
