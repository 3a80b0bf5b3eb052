#![no_main]
//! An in-inode xattr area and xattr block spliced into a base image (see
//! `ext4scope_fuzz::xattr`).

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| ext4scope_fuzz::xattr(data));
