//! Directories, htree, paths, symlinks and xattrs against the real tools:
//! debugfs `ls -l` / `ls -d -l` / `htree` / `ncheck` / `dx_hash` goldens and
//! what the kernel saw on a read-only mount (`NAME.files.txt`), for every
//! fixture image; plus hostile directory and xattr bytes.

mod golden;

#[path = "dirs/conformance.rs"]
mod conformance;
#[path = "dirs/dx_hash.rs"]
mod dx_hash;
#[path = "dirs/hashdirs.rs"]
mod hashdirs;
#[path = "dirs/hostile.rs"]
mod hostile;
