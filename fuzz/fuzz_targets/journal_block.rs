#![no_main]
//! One jbd2 journal block with chosen journal features (see
//! `ext4scope_fuzz::journal_block`).

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| ext4scope_fuzz::journal_block(data));
