//! ext4scope-core: everything ext4scope knows about the on-disk format.
//!
//! No I/O happens here: a host hands [`Fs::open`] a [`ReadAt`], and every read
//! goes through one bounds-checked, counting [`io::BlockCache`] and an optional
//! copy-on-write [`overlay::Overlay`] ("the image as of point N").
#![no_std]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

extern crate alloc;
#[cfg(test)]
extern crate std;

pub mod check;
pub mod checksum;
pub mod decode;
pub mod error;
pub mod fields;
pub mod filemap;
pub mod format;
pub mod fs;
pub mod group_layout;
pub mod io;
pub mod journal;
pub mod layout;
pub mod mount;
pub mod overlay;
pub mod ownership;
pub mod path;
pub mod report;
pub mod sim;
pub mod time;

pub use error::{Error, Location, Problem, Result, Severity};
pub use fs::Fs;
pub use io::{IoStats, ReadAt};
pub use overlay::{Image, Overlay};
