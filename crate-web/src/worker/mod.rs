//! The worker that owns the image: the app posts the `File`/`Blob` to it, it
//! opens an [`ext4scope_core::Fs`] over `Blob.slice` + `FileReaderSync` reads
//! and answers small requests ([`protocol`]).

pub mod filemap;
pub mod files;
pub mod inspect;
pub mod journal;
pub mod learn;
pub mod objects;
pub mod protocol;
pub mod session;
pub mod sim;

pub mod clock;
#[cfg(target_arch = "wasm32")]
pub mod file_source;
#[cfg(target_arch = "wasm32")]
pub mod runtime;
