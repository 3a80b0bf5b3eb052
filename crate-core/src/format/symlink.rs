//! Symbolic links: where the target is stored.
//!
//! - **fast**: in `i_block` (up to 59 bytes plus a NUL), when the inode has no
//!   data blocks. The kernel's rule (`ext4_inode_is_fast_symlink`) is "no
//!   blocks counted in `i_blocks` besides an xattr block"; e2fsprogs'
//!   (`ext2fs_is_fast_symlink`) is "`i_size` is 1 to 59". They agree on every
//!   link the kernel or e2fsprogs writes; when they disagree the kernel's rule
//!   wins here and a problem says so.
//! - **slow**: in the first data block, `i_size` bytes (less than a block).
//! - **inline**: with `INLINE_DATA_FL`, in `i_block` and `system.data` like any
//!   inline file.
//! - **encrypted** (`ENCRYPT_FL`): the stored bytes are a ciphertext record,
//!   shown raw.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Problem, Result, Severity};
use crate::format::inode::{FileType, Inode, EA_INODE_FL, INLINE_DATA_FL, I_BLOCK_LEN};
use crate::fs::Fs;

/// `ENCRYPT_FL`.
pub const ENCRYPT_FL: u32 = 0x0000_0800;
/// Longest target the kernel stores (`PATH_MAX` minus the NUL).
pub const TARGET_MAX: u64 = 4095;

/// Where a symlink's target is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SymlinkKind {
    /// In `i_block`.
    Fast,
    /// In the first data block.
    Slow,
    /// Inline data (`i_block` and `system.data`).
    Inline,
}

/// A symlink's target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SymlinkTarget {
    /// Where it is stored.
    pub kind: SymlinkKind,
    /// The target's bytes (`i_size` of them, or what could be read).
    pub bytes: Vec<u8>,
    /// The target, lossy UTF-8.
    pub text: String,
    /// The target is encrypted (`ENCRYPT_FL`): `bytes` is ciphertext.
    pub encrypted: bool,
    /// The block holding a slow link's target.
    pub block: Option<u64>,
    /// Problems.
    pub problems: Vec<Problem>,
}

/// The kernel's rule: no blocks in `i_blocks` besides the xattr block, and no inline data.
pub fn kernel_is_fast(fs: &Fs, inode: &Inode) -> bool {
    if inode.flags() & INLINE_DATA_FL != 0 {
        return false;
    }
    if inode.flags() & EA_INODE_FL != 0 {
        return inode.size() != 0 && inode.size() < I_BLOCK_LEN as u64;
    }
    let cluster = u64::from(fs.block_size()) * u64::from(fs.geo.cluster_ratio.max(1));
    let ea = if inode.file_acl() != 0 { cluster / 512 } else { 0 };
    inode.blocks_512() == ea
}

/// e2fsprogs' rule: `i_size` from 1 to 59.
pub fn e2fsprogs_is_fast(inode: &Inode) -> bool {
    inode.size() != 0 && inode.size() < I_BLOCK_LEN as u64
}

impl Fs {
    /// The target of the symlink `inode`. `Err` when it is not a symlink or
    /// the target cannot be read at all.
    pub fn symlink_target(&self, inode: &Inode) -> Result<SymlinkTarget> {
        let ino = inode.ino;
        let structure = format!("inode {ino} symlink");
        if inode.file_type() != FileType::Symlink {
            return Err(Error::corrupt(
                structure,
                inode.at,
                format!("inode {ino} is not a symlink (i_mode 0{:o})", inode.mode()),
            ));
        }
        let size = inode.size();
        let mut problems = Vec::new();
        let p = |problems: &mut Vec<Problem>, severity, message: String| {
            problems.push(Problem { severity, structure: structure.clone(), at: inode.at, message })
        };
        let encrypted = inode.flags() & ENCRYPT_FL != 0;
        if size == 0 {
            p(&mut problems, Severity::Error, String::from("symlink with i_size 0"));
        }
        if size > TARGET_MAX {
            p(&mut problems, Severity::Error, format!("symlink i_size {size} is over {TARGET_MAX}"));
        }
        let (kind, bytes, block) = if inode.flags() & INLINE_DATA_FL != 0 {
            let n = size.min(TARGET_MAX) as usize;
            (SymlinkKind::Inline, self.read_file(inode, 0, n)?, None)
        } else if kernel_is_fast(self, inode) {
            if !e2fsprogs_is_fast(inode) {
                p(
                    &mut problems,
                    Severity::Warning,
                    format!(
                        "i_blocks is 0 (a fast symlink for the kernel) but i_size {size} is not 1-59 (e2fsprogs reads it as a slow symlink)"
                    ),
                );
            }
            let n = size.min(I_BLOCK_LEN as u64) as usize;
            if size > I_BLOCK_LEN as u64 {
                p(
                    &mut problems,
                    Severity::Error,
                    format!("fast symlink i_size {size} is more than the 60 bytes of i_block"),
                );
            }
            (SymlinkKind::Fast, inode.i_block()[..n].to_vec(), None)
        } else {
            if e2fsprogs_is_fast(inode) {
                p(
                    &mut problems,
                    Severity::Warning,
                    format!(
                        "i_size {size} fits in i_block but i_blocks counts data blocks: the kernel reads a slow symlink, e2fsprogs a fast one"
                    ),
                );
            }
            let bs = u64::from(self.block_size());
            if size >= bs {
                p(
                    &mut problems,
                    Severity::Error,
                    format!("slow symlink i_size {size} is not less than the block size {bs}"),
                );
            }
            let map = self.file_map(inode);
            problems.extend(map.problems.iter().cloned());
            let n = size.min(bs).min(TARGET_MAX) as usize;
            match map.lookup(0) {
                Some((phys, _)) => {
                    let b = self.block(phys)?;
                    (SymlinkKind::Slow, b.get(..n).unwrap_or(&b[..]).to_vec(), Some(phys))
                }
                None => {
                    p(&mut problems, Severity::Error, String::from("slow symlink has no first data block"));
                    (SymlinkKind::Slow, Vec::new(), None)
                }
            }
        };
        if !encrypted && bytes.contains(&0) {
            problems.push(Problem {
                severity: Severity::Warning,
                structure,
                at: inode.at,
                message: String::from("the target has a NUL byte inside i_size"),
            });
        }
        Ok(SymlinkTarget {
            kind,
            text: String::from_utf8_lossy(&bytes).into_owned(),
            bytes,
            encrypted,
            block,
            problems,
        })
    }
}
