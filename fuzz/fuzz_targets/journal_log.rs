#![no_main]
//! The journal's log walked, replayed and diffed (see `ext4scope_fuzz::journal_log`).

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| ext4scope_fuzz::journal_log(data));
