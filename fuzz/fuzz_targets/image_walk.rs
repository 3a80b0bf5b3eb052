#![no_main]
//! A whole image: inodes, orphan chain and a bounded ownership scan (see
//! `ext4scope_fuzz::image_walk`).

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| ext4scope_fuzz::image_walk(data));
