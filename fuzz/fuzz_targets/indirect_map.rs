#![no_main]
//! An indirect block map spliced into a base image (see
//! `ext4scope_fuzz::indirect_map`).

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| ext4scope_fuzz::indirect_map(data));
