//! Feature flags (`s_feature_compat`, `s_feature_incompat`, `s_feature_ro_compat`),
//! named as `dumpe2fs` and `tune2fs -O` spell them. Unknown bits are shown the way
//! e2fsprogs shows them (`FEATURE_C12`, `FEATURE_I5`, `FEATURE_R13`), never fatal.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

macro_rules! consts {
    ($($name:ident = $v:expr;)*) => { $( #[allow(missing_docs)] pub const $name: u32 = $v; )* };
}

consts! {
    COMPAT_DIR_PREALLOC = 0x0001;
    COMPAT_IMAGIC_INODES = 0x0002;
    COMPAT_HAS_JOURNAL = 0x0004;
    COMPAT_EXT_ATTR = 0x0008;
    COMPAT_RESIZE_INODE = 0x0010;
    COMPAT_DIR_INDEX = 0x0020;
    COMPAT_LAZY_BG = 0x0040;
    COMPAT_EXCLUDE_BITMAP = 0x0100;
    COMPAT_SPARSE_SUPER2 = 0x0200;
    COMPAT_FAST_COMMIT = 0x0400;
    COMPAT_STABLE_INODES = 0x0800;
    COMPAT_ORPHAN_FILE = 0x1000;

    INCOMPAT_COMPRESSION = 0x0001;
    INCOMPAT_FILETYPE = 0x0002;
    INCOMPAT_RECOVER = 0x0004;
    INCOMPAT_JOURNAL_DEV = 0x0008;
    INCOMPAT_META_BG = 0x0010;
    INCOMPAT_EXTENTS = 0x0040;
    INCOMPAT_64BIT = 0x0080;
    INCOMPAT_MMP = 0x0100;
    INCOMPAT_FLEX_BG = 0x0200;
    INCOMPAT_EA_INODE = 0x0400;
    INCOMPAT_DIRDATA = 0x1000;
    INCOMPAT_CSUM_SEED = 0x2000;
    INCOMPAT_LARGEDIR = 0x4000;
    INCOMPAT_INLINE_DATA = 0x8000;
    INCOMPAT_ENCRYPT = 0x10000;
    INCOMPAT_CASEFOLD = 0x20000;

    RO_COMPAT_SPARSE_SUPER = 0x0001;
    RO_COMPAT_LARGE_FILE = 0x0002;
    RO_COMPAT_BTREE_DIR = 0x0004;
    RO_COMPAT_HUGE_FILE = 0x0008;
    RO_COMPAT_GDT_CSUM = 0x0010;
    RO_COMPAT_DIR_NLINK = 0x0020;
    RO_COMPAT_EXTRA_ISIZE = 0x0040;
    RO_COMPAT_HAS_SNAPSHOT = 0x0080;
    RO_COMPAT_QUOTA = 0x0100;
    RO_COMPAT_BIGALLOC = 0x0200;
    RO_COMPAT_METADATA_CSUM = 0x0400;
    RO_COMPAT_REPLICA = 0x0800;
    RO_COMPAT_READONLY = 0x1000;
    RO_COMPAT_PROJECT = 0x2000;
    RO_COMPAT_SHARED_BLOCKS = 0x4000;
    RO_COMPAT_VERITY = 0x8000;
    RO_COMPAT_ORPHAN_PRESENT = 0x10000;
}

/// Which of the three feature words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeatureKind {
    /// `s_feature_compat`: safe to ignore.
    Compat,
    /// `s_feature_incompat`: must be understood to read.
    Incompat,
    /// `s_feature_ro_compat`: must be understood to write.
    RoCompat,
}

/// (kind, bit, e2fsprogs name, kernel name)
const TABLE: &[(FeatureKind, u32, &str, &str)] = {
    use FeatureKind::*;
    &[
        (Compat, COMPAT_DIR_PREALLOC, "dir_prealloc", "COMPAT_DIR_PREALLOC"),
        (Compat, COMPAT_IMAGIC_INODES, "imagic_inodes", "COMPAT_IMAGIC_INODES"),
        (Compat, COMPAT_HAS_JOURNAL, "has_journal", "COMPAT_HAS_JOURNAL"),
        (Compat, COMPAT_EXT_ATTR, "ext_attr", "COMPAT_EXT_ATTR"),
        (Compat, COMPAT_RESIZE_INODE, "resize_inode", "COMPAT_RESIZE_INODE"),
        (Compat, COMPAT_DIR_INDEX, "dir_index", "COMPAT_DIR_INDEX"),
        (Compat, COMPAT_LAZY_BG, "lazy_bg", "COMPAT_LAZY_BG"),
        (Compat, COMPAT_EXCLUDE_BITMAP, "snapshot_bitmap", "COMPAT_EXCLUDE_BITMAP"),
        (Compat, COMPAT_SPARSE_SUPER2, "sparse_super2", "COMPAT_SPARSE_SUPER2"),
        (Compat, COMPAT_FAST_COMMIT, "fast_commit", "COMPAT_FAST_COMMIT"),
        (Compat, COMPAT_STABLE_INODES, "stable_inodes", "COMPAT_STABLE_INODES"),
        (Compat, COMPAT_ORPHAN_FILE, "orphan_file", "COMPAT_ORPHAN_FILE"),
        (Incompat, INCOMPAT_COMPRESSION, "compression", "INCOMPAT_COMPRESSION"),
        (Incompat, INCOMPAT_FILETYPE, "filetype", "INCOMPAT_FILETYPE"),
        (Incompat, INCOMPAT_RECOVER, "needs_recovery", "INCOMPAT_RECOVER"),
        (Incompat, INCOMPAT_JOURNAL_DEV, "journal_dev", "INCOMPAT_JOURNAL_DEV"),
        (Incompat, INCOMPAT_META_BG, "meta_bg", "INCOMPAT_META_BG"),
        (Incompat, INCOMPAT_EXTENTS, "extent", "INCOMPAT_EXTENTS"),
        (Incompat, INCOMPAT_64BIT, "64bit", "INCOMPAT_64BIT"),
        (Incompat, INCOMPAT_MMP, "mmp", "INCOMPAT_MMP"),
        (Incompat, INCOMPAT_FLEX_BG, "flex_bg", "INCOMPAT_FLEX_BG"),
        (Incompat, INCOMPAT_EA_INODE, "ea_inode", "INCOMPAT_EA_INODE"),
        (Incompat, INCOMPAT_DIRDATA, "dirdata", "INCOMPAT_DIRDATA"),
        (Incompat, INCOMPAT_CSUM_SEED, "metadata_csum_seed", "INCOMPAT_CSUM_SEED"),
        (Incompat, INCOMPAT_LARGEDIR, "large_dir", "INCOMPAT_LARGEDIR"),
        (Incompat, INCOMPAT_INLINE_DATA, "inline_data", "INCOMPAT_INLINE_DATA"),
        (Incompat, INCOMPAT_ENCRYPT, "encrypt", "INCOMPAT_ENCRYPT"),
        (Incompat, INCOMPAT_CASEFOLD, "casefold", "INCOMPAT_CASEFOLD"),
        (RoCompat, RO_COMPAT_SPARSE_SUPER, "sparse_super", "RO_COMPAT_SPARSE_SUPER"),
        (RoCompat, RO_COMPAT_LARGE_FILE, "large_file", "RO_COMPAT_LARGE_FILE"),
        (RoCompat, RO_COMPAT_HUGE_FILE, "huge_file", "RO_COMPAT_HUGE_FILE"),
        (RoCompat, RO_COMPAT_GDT_CSUM, "uninit_bg", "RO_COMPAT_GDT_CSUM"),
        (RoCompat, RO_COMPAT_DIR_NLINK, "dir_nlink", "RO_COMPAT_DIR_NLINK"),
        (RoCompat, RO_COMPAT_EXTRA_ISIZE, "extra_isize", "RO_COMPAT_EXTRA_ISIZE"),
        (RoCompat, RO_COMPAT_QUOTA, "quota", "RO_COMPAT_QUOTA"),
        (RoCompat, RO_COMPAT_BIGALLOC, "bigalloc", "RO_COMPAT_BIGALLOC"),
        (RoCompat, RO_COMPAT_METADATA_CSUM, "metadata_csum", "RO_COMPAT_METADATA_CSUM"),
        (RoCompat, RO_COMPAT_REPLICA, "replica", "RO_COMPAT_REPLICA"),
        (RoCompat, RO_COMPAT_READONLY, "read-only", "RO_COMPAT_READONLY"),
        (RoCompat, RO_COMPAT_PROJECT, "project", "RO_COMPAT_PROJECT"),
        (RoCompat, RO_COMPAT_SHARED_BLOCKS, "shared_blocks", "RO_COMPAT_SHARED_BLOCKS"),
        (RoCompat, RO_COMPAT_VERITY, "verity", "RO_COMPAT_VERITY"),
        (RoCompat, RO_COMPAT_ORPHAN_PRESENT, "orphan_present", "RO_COMPAT_ORPHAN_PRESENT"),
    ]
};

/// Incompat bits this inspector decodes (everything else is shown and warned about).
pub const INCOMPAT_UNDERSTOOD: u32 = INCOMPAT_FILETYPE
    | INCOMPAT_RECOVER
    | INCOMPAT_META_BG
    | INCOMPAT_EXTENTS
    | INCOMPAT_64BIT
    | INCOMPAT_MMP
    | INCOMPAT_FLEX_BG
    | INCOMPAT_EA_INODE
    | INCOMPAT_CSUM_SEED
    | INCOMPAT_LARGEDIR
    | INCOMPAT_INLINE_DATA
    | INCOMPAT_ENCRYPT
    | INCOMPAT_CASEFOLD;

/// One set feature bit, named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Feature {
    /// Which word.
    pub kind: FeatureKind,
    /// The bit value.
    pub bit: u32,
    /// The name in dumpe2fs's spelling (`FEATURE_I5` for unknown bits).
    pub name: String,
    /// The kernel's name (`INCOMPAT_64BIT`), or the same as `name` when unknown.
    pub kernel_name: String,
    /// True when the bit has a known name.
    pub known: bool,
}

/// The three feature words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Features {
    /// `s_feature_compat`.
    pub compat: u32,
    /// `s_feature_incompat`.
    pub incompat: u32,
    /// `s_feature_ro_compat`.
    pub ro_compat: u32,
}

impl Features {
    /// Every set bit, named, in dumpe2fs's order (compat, incompat, ro_compat; bit order).
    pub fn list(&self) -> Vec<Feature> {
        let mut out = Vec::new();
        for (kind, word, letter) in [
            (FeatureKind::Compat, self.compat, 'C'),
            (FeatureKind::Incompat, self.incompat, 'I'),
            (FeatureKind::RoCompat, self.ro_compat, 'R'),
        ] {
            for i in 0..32 {
                let bit = 1u32 << i;
                if word & bit == 0 {
                    continue;
                }
                match TABLE.iter().find(|t| t.0 == kind && t.1 == bit) {
                    Some(t) => out.push(Feature {
                        kind,
                        bit,
                        name: String::from(t.2),
                        kernel_name: String::from(t.3),
                        known: true,
                    }),
                    None => {
                        let n = format!("FEATURE_{letter}{i}");
                        out.push(Feature { kind, bit, name: n.clone(), kernel_name: n, known: false })
                    }
                }
            }
        }
        out
    }

    /// Names only, as `dumpe2fs` lists them under "Filesystem features".
    pub fn names(&self) -> Vec<String> {
        self.list().into_iter().map(|f| f.name).collect()
    }

    /// compat flag set?
    pub fn compat(&self, bit: u32) -> bool {
        self.compat & bit != 0
    }
    /// incompat flag set?
    pub fn incompat(&self, bit: u32) -> bool {
        self.incompat & bit != 0
    }
    /// ro_compat flag set?
    pub fn ro_compat(&self, bit: u32) -> bool {
        self.ro_compat & bit != 0
    }
    /// Incompat bits set that this inspector does not decode.
    pub fn unsupported_incompat(&self) -> u32 {
        self.incompat & !INCOMPAT_UNDERSTOOD
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_bits_are_named_like_e2fsprogs() {
        let f = Features { compat: 0x80, incompat: 0x20, ro_compat: 0x0004 | 0x2000 };
        assert_eq!(f.names(), ["FEATURE_C7", "FEATURE_I5", "FEATURE_R2", "project"]);
    }
}
