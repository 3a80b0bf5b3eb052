#![no_main]
//! A whole image through the simulator and its crash outcomes (see
//! `ext4scope_fuzz::simulate`).

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| ext4scope_fuzz::simulate(data));
