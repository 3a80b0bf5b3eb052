#![no_main]
//! An extent root and tree block spliced into a base image (see
//! `ext4scope_fuzz::extent_tree`).

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| ext4scope_fuzz::extent_tree(data));
