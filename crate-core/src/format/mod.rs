//! One file per on-disk structure, named after it.

pub mod bitmap;
pub mod casefold;
pub mod dir;
pub mod dx_hash;
pub mod extent;
pub mod features;
pub mod group_desc;
pub mod htree;
pub mod indirect;
pub mod inline;
pub mod inode;
pub mod journal;
pub mod superblock;
pub mod symlink;
pub mod xattr;
