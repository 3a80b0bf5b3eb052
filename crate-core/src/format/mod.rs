//! One file per on-disk structure, named after it.

pub mod bitmap;
pub mod features;
pub mod group_desc;
pub mod superblock;
