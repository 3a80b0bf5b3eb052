//! Helpers shared by the integration tests that hand images to the real
//! tools (e2fsck, the kernel's loop mount).
#![allow(dead_code)]

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output};

use ext4scope_core::fs::Fs;

/// Write `fs` (the image with its overlay) to `path`.
pub fn write_image(fs: &Fs, path: &Path) {
    let mut out = vec![0u8; fs.image().len() as usize];
    ext4scope_core::journal::replay::export(fs, 1 << 20, &mut |off, data| {
        if let Some(d) = data {
            out[off as usize..off as usize + d.len()].copy_from_slice(d);
        }
        Ok(())
    })
    .unwrap();
    std::fs::write(path, out).unwrap();
}

/// `e2fsck -fn -E problem_log` on `img`: exit code and the problem codes it logged.
pub fn e2fsck(img: &Path) -> (i32, BTreeSet<String>) {
    let log = img.with_extension("problems.xml");
    let _ = std::fs::remove_file(&log);
    let out = Command::new("e2fsck")
        .arg("-fn")
        .arg("-E")
        .arg(format!("problem_log={}", log.display()))
        .arg(img)
        .env("TZ", "UTC")
        .output()
        .expect("e2fsck");
    let text = std::fs::read_to_string(&log).unwrap_or_default();
    let codes = text
        .split("<problem code=\"")
        .skip(1)
        .filter_map(|x| x.split('"').next())
        .map(String::from)
        .collect();
    (out.status.code().unwrap_or(-1), codes)
}

/// `mount -t ext4 -o loop IMG MNT` (as root).
pub fn mount_loop(img: &Path, mnt: &Path) -> Output {
    Command::new("mount").arg("-t").arg("ext4").arg("-o").arg("loop").arg(img).arg(mnt).output().unwrap()
}
