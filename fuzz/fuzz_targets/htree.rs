#![no_main]
//! An htree root and leaf spliced into a base image (see `ext4scope_fuzz::htree`).

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| ext4scope_fuzz::htree(data));
