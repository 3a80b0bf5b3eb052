#![no_main]
//! A whole image through the checker (every e2fsck pass) and the mount
//! verdict (see `ext4scope_fuzz::check_mount`).

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| ext4scope_fuzz::check_mount(data));
