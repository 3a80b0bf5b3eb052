#![no_main]
//! A whole image, as it arrives: open it, build the info report, read every
//! group's bitmaps (see `ext4scope_fuzz::superblock_groups`).

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| ext4scope_fuzz::superblock_groups(data));
