#![no_main]
//! A fast-commit area scanned and replayed (see `ext4scope_fuzz::fast_commit`).

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| ext4scope_fuzz::fast_commit(data));
