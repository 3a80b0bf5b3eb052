#![no_main]
//! A directory block (or inline directory) spliced into a base image (see
//! `ext4scope_fuzz::directory_block`).

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| ext4scope_fuzz::directory_block(data));
