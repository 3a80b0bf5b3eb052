//! Inodes and file block maps against the real tools: debugfs `stat`/`ex`/`blocks`
//! goldens for every in-use inode of every fixture image, file contents against
//! what the kernel read, annotated byte fixtures, hostile inputs, and a walk of
//! every e2fsprogs test image.

mod golden;

#[path = "conformance/bytes.rs"]
mod bytes;
#[path = "conformance/debugfs.rs"]
mod debugfs;
#[path = "conformance/e2fsprogs.rs"]
mod e2fsprogs;
#[path = "conformance/hostile.rs"]
mod hostile;
#[path = "conformance/inodes.rs"]
mod inodes;
