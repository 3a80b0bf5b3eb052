//! Casefolded directories (`casefold` feature, `EXT4_CASEFOLD_FL` on the
//! directory): the kernel hashes and compares names in their folded form,
//! `utf8_casefold` with the `nfdicf` table of its utf8-12.1 encoding — full case
//! folding (Unicode `CaseFolding.txt`, statuses C and F), then canonical
//! decomposition (NFD). A name that is not valid UTF-8 is hashed and compared
//! as its raw bytes (the kernel's behaviour without `strict` encoding).
//!
//! Folding here is `char::to_lowercase` plus the C/F mappings where it differs
//! (final sigma, long s, micro sign, sharp s, ligatures, Greek symbol forms,
//! Cherokee, old Cyrillic), then NFD from `unicode-normalization`.

use alloc::string::String;
use alloc::vec::Vec;
use unicode_normalization::char::{canonical_combining_class, decompose_canonical};

use crate::format::features::INCOMPAT_CASEFOLD;
use crate::format::inode::Inode;
use crate::fs::Fs;

/// `EXT4_CASEFOLD_FL`.
pub const CASEFOLD_FL: u32 = 0x4000_0000;
/// `EXT4_ENCRYPT_FL`.
pub const ENCRYPT_FL: u32 = 0x0000_0800;
/// `s_encoding` of utf8 (the only encoding ext4 defines).
pub const ENCODING_UTF8: u16 = 1;

/// Where case folding differs from `to_lowercase`: (char, folded).
const FOLD: &[(char, &str)] = &[
    ('\u{00B5}', "\u{03BC}"), // micro sign → mu
    ('\u{00DF}', "ss"),
    ('\u{0149}', "\u{02BC}n"),
    ('\u{017F}', "s"),
    ('\u{0345}', "\u{03B9}"),
    ('\u{03C2}', "\u{03C3}"), // final sigma
    ('\u{03D0}', "\u{03B2}"),
    ('\u{03D1}', "\u{03B8}"),
    ('\u{03D5}', "\u{03C6}"),
    ('\u{03D6}', "\u{03C0}"),
    ('\u{03F0}', "\u{03BA}"),
    ('\u{03F1}', "\u{03C1}"),
    ('\u{03F5}', "\u{03B5}"),
    ('\u{1E9B}', "\u{1E61}"),
    ('\u{1E9E}', "ss"),
    ('\u{1FBE}', "\u{03B9}"),
    ('\u{1C80}', "\u{0432}"),
    ('\u{1C81}', "\u{0434}"),
    ('\u{1C82}', "\u{043E}"),
    ('\u{1C83}', "\u{0441}"),
    ('\u{1C84}', "\u{0442}"),
    ('\u{1C85}', "\u{0442}"),
    ('\u{1C86}', "\u{044A}"),
    ('\u{1C87}', "\u{0463}"),
    ('\u{1C88}', "\u{A64B}"),
    ('\u{FB00}', "ff"),
    ('\u{FB01}', "fi"),
    ('\u{FB02}', "fl"),
    ('\u{FB03}', "ffi"),
    ('\u{FB04}', "ffl"),
    ('\u{FB05}', "st"),
    ('\u{FB06}', "st"),
];

fn fold_char(c: char, out: &mut String) {
    if let Some((_, f)) = FOLD.iter().find(|(k, _)| *k == c) {
        out.push_str(f);
        return;
    }
    match c as u32 {
        // Cherokee folds to its capital letters (the only script folded upwards).
        0x13A0..=0x13F5 => out.push(c),
        0x13F8..=0x13FD => out.push(char::from_u32(c as u32 - 8).unwrap_or(c)),
        0xAB70..=0xABBF => out.push(char::from_u32(c as u32 - 0xAB70 + 0x13A0).unwrap_or(c)),
        _ => out.extend(c.to_lowercase()),
    }
}

/// The folded form of `name` (UTF-8 bytes), or `None` when `name` is not UTF-8.
pub fn casefold(name: &[u8]) -> Option<Vec<u8>> {
    let s = core::str::from_utf8(name).ok()?;
    let mut folded = String::with_capacity(s.len());
    for c in s.chars() {
        fold_char(c, &mut folded);
    }
    Some(nfd(&folded).into_bytes())
}

/// Canonical decomposition (NFD), as `unicode-normalization`'s `nfd()` computes
/// it: each character fully decomposed, then every run of non-starters
/// (combining class ≠ 0) stably sorted by class. Written out because `nfd()`'s
/// iterator picks canonical or compatibility decomposition at run time, which
/// links the compatibility tables too (about 60 KB of the web worker's wasm).
fn nfd(s: &str) -> String {
    let mut out: Vec<(u8, char)> = Vec::with_capacity(s.len());
    for c in s.chars() {
        decompose_canonical(c, |d| out.push((canonical_combining_class(d), d)));
    }
    // Insertion sort, stable: a run of combining marks is a few characters
    // (a name has at most 255 bytes), and a slice sort would be another 4 KB.
    for i in 1..out.len() {
        let mut j = i;
        while j > 0 && out[i].0 != 0 && out[j - 1].0 > out[i].0 {
            j -= 1;
        }
        if j < i {
            let p = out.remove(i);
            out.insert(j, p);
        }
    }
    out.into_iter().map(|p| p.1).collect()
}

/// True when names in `dir` are casefolded (and not also encrypted, whose
/// hashes are stored in the entries and not computed here).
pub fn is_casefolded(fs: &Fs, dir: &Inode) -> bool {
    fs.sb.s_feature_incompat & INCOMPAT_CASEFOLD != 0 && dir.flags() & CASEFOLD_FL != 0
}

/// The bytes the kernel hashes for `name` in `dir`.
pub fn hash_input<'a>(fs: &Fs, dir: &Inode, name: &'a [u8]) -> alloc::borrow::Cow<'a, [u8]> {
    if is_casefolded(fs, dir) {
        if let Some(f) = casefold(name) {
            return alloc::borrow::Cow::Owned(f);
        }
    }
    alloc::borrow::Cow::Borrowed(name)
}

/// Whether the entry name `entry` matches a looked-up `name` in `dir`: equal
/// bytes, or in a casefolded directory equal folded forms.
pub fn names_match(casefolded: bool, entry: &[u8], name: &[u8]) -> bool {
    if entry == name {
        return true;
    }
    casefolded && matches!((casefold(entry), casefold(name)), (Some(a), Some(b)) if a == b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(s: &str) -> String {
        String::from_utf8(casefold(s.as_bytes()).expect("utf-8")).expect("utf-8 out")
    }

    #[test]
    fn nfd_is_unicode_normalizations_nfd() {
        use unicode_normalization::UnicodeNormalization;
        let same = |t: &str| assert_eq!(nfd(t), t.nfd().collect::<String>(), "{:?}", t);
        // Every scalar value alone, and after a starter and a combining mark.
        for c in (0..0x11_0000u32).filter_map(char::from_u32) {
            same(c.encode_utf8(&mut [0; 4]));
            same(&alloc::format!("a{c}\u{301}{c}\u{316}b"));
        }
        // Runs of non-starters out of canonical order, with precomposed letters
        // and Hangul between them.
        same("a\u{301}\u{316}\u{302}\u{327}e\u{360}\u{35C}x\u{1D165}\u{1D16D}\u{301}");
        same("\u{1E0B}\u{323}\u{1E69}\u{0344}\u{0F73}\u{0F75}\u{0F81}\u{D55C}\u{AC00}\u{301}");
        same("Ǻ\u{309A}\u{302}ΐ\u{1FD3}\u{345}\u{301}\u{314}");
        same("");
    }

    #[test]
    fn folds_like_the_kernel() {
        assert_eq!(f("File_Name_77"), "file_name_77");
        assert_eq!(f("STRASSE"), f("straße"));
        assert_eq!(f("Straße"), "strasse");
        // Precomposed and decomposed accents fold to one form (NFD).
        assert_eq!(f("CAFÉ"), "cafe\u{301}");
        assert_eq!(f("cafe\u{301}"), "cafe\u{301}");
        assert_eq!(f("ΣΊΣΥΦΟΣ"), f("σίσυφος"));
        assert_eq!(f("ﬁle"), "file");
        assert_eq!(f("\u{212A}elvin"), "kelvin"); // Kelvin sign
        assert_eq!(f("\u{13F8}"), "\u{13F0}");
        assert_eq!(f("\u{13F0}\u{13A0}"), f("\u{13F8}\u{AB70}"));
        assert_eq!(casefold(b"\xff\xfe"), None);
        assert!(names_match(true, b"File_Name_1", b"file_name_1"));
        assert!(!names_match(false, b"File_Name_1", b"file_name_1"));
        assert!(names_match(false, b"\xff", b"\xff"));
        assert!(!names_match(true, b"\xff", b"\xfe"));
    }
}
