#![no_main]
//! One inode record spliced into a base image (see `ext4scope_fuzz::inode`).

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| ext4scope_fuzz::inode(data));
