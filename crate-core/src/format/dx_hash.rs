//! Directory name hashes for hashed (htree) directories.
//!
//! The hash version comes from the directory's `dx_root_info.hash_version`
//! (the superblock's `s_def_hash_version` only sets it for new directories):
//!
//! | version | name | what it is |
//! | --- | --- | --- |
//! | 0 | `legacy` | the original ext3 "dx hack" hash, no seed |
//! | 1 | `half_md4` | three MD4 rounds over 32-byte chunks, keyed by `s_hash_seed` |
//! | 2 | `tea` | 16 rounds of the Tiny Encryption Algorithm over 16-byte chunks |
//! | 3, 4, 5 | `*_unsigned` | the same with name bytes read as unsigned `char` |
//! | 6 | `siphash` | casefolded + encrypted directories (not computed here) |
//!
//! Versions 0-2 read the name's bytes as *signed* `char` (as x86 compilers
//! did), so names with bytes >= 0x80 hash differently from the unsigned
//! variants. On disk a directory stores 0, 1 or 2; when the superblock has
//! `EXT2_FLAGS_UNSIGNED_HASH` in `s_flags`, the kernel adds 3 (see
//! [`effective_version`]).
//!
//! The final hash has its low bit cleared (the low bit of an index entry's hash
//! marks a hash collision continuing from the previous block), and the value
//! `0xFFFF_FFFE` (end of directory for 32-bit `telldir` cookies) is replaced by
//! `0xFFFF_FFFC`.

use serde::{Deserialize, Serialize};

/// `DX_HASH_LEGACY`.
pub const DX_HASH_LEGACY: u8 = 0;
/// `DX_HASH_HALF_MD4`.
pub const DX_HASH_HALF_MD4: u8 = 1;
/// `DX_HASH_TEA`.
pub const DX_HASH_TEA: u8 = 2;
/// `DX_HASH_LEGACY_UNSIGNED`.
pub const DX_HASH_LEGACY_UNSIGNED: u8 = 3;
/// `DX_HASH_HALF_MD4_UNSIGNED`.
pub const DX_HASH_HALF_MD4_UNSIGNED: u8 = 4;
/// `DX_HASH_TEA_UNSIGNED`.
pub const DX_HASH_TEA_UNSIGNED: u8 = 5;
/// `DX_HASH_SIPHASH`.
pub const DX_HASH_SIPHASH: u8 = 6;

/// `EXT2_FLAGS_SIGNED_HASH` in `s_flags`.
pub const FLAGS_SIGNED_HASH: u32 = 0x0001;
/// `EXT2_FLAGS_UNSIGNED_HASH` in `s_flags`.
pub const FLAGS_UNSIGNED_HASH: u32 = 0x0002;

/// The name of a hash version as e2fsprogs spells it.
pub fn version_name(v: u8) -> &'static str {
    match v {
        DX_HASH_LEGACY => "legacy",
        DX_HASH_HALF_MD4 => "half_md4",
        DX_HASH_TEA => "tea",
        DX_HASH_LEGACY_UNSIGNED => "legacy_unsigned",
        DX_HASH_HALF_MD4_UNSIGNED => "half_md4_unsigned",
        DX_HASH_TEA_UNSIGNED => "tea_unsigned",
        DX_HASH_SIPHASH => "siphash",
        _ => "unknown",
    }
}

/// The version the kernel actually uses for a directory whose root says
/// `on_disk`: the unsigned variant when the superblock's `s_flags` has
/// `EXT2_FLAGS_UNSIGNED_HASH` and the directory uses one of versions 0-2.
pub fn effective_version(on_disk: u8, s_flags: u32) -> u8 {
    if on_disk <= DX_HASH_TEA && s_flags & FLAGS_UNSIGNED_HASH != 0 {
        on_disk + 3
    } else {
        on_disk
    }
}

/// A name's hash pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DxHash {
    /// The major hash (what index entries are sorted by), low bit clear.
    pub major: u32,
    /// The minor hash (0 for `legacy`).
    pub minor: u32,
}

/// Hash `name` with hash version `version` and the superblock's `s_hash_seed`.
/// `None` for versions this module does not compute (`siphash`, unknown).
/// An all-zero seed means "use the default MD4 starting words".
pub fn dx_hash(version: u8, name: &[u8], seed: &[u32; 4]) -> Option<DxHash> {
    let (major, minor) = match version {
        DX_HASH_LEGACY => (legacy(name, true), 0),
        DX_HASH_LEGACY_UNSIGNED => (legacy(name, false), 0),
        DX_HASH_HALF_MD4 | DX_HASH_HALF_MD4_UNSIGNED => {
            let mut state = start_state(seed);
            let signed = version == DX_HASH_HALF_MD4;
            for_chunks(name, 32, |chunk, remaining| {
                let words = pack::<8>(chunk, remaining, signed);
                half_md4_mix(&mut state, &words);
            });
            (state[1], state[2])
        }
        DX_HASH_TEA | DX_HASH_TEA_UNSIGNED => {
            let mut state = start_state(seed);
            let signed = version == DX_HASH_TEA;
            for_chunks(name, 16, |chunk, remaining| {
                let words = pack::<4>(chunk, remaining, signed);
                tea_mix(&mut state, &words);
            });
            (state[0], state[1])
        }
        _ => return None,
    };
    let mut major = major & !1;
    if major == 0x7FFF_FFFF << 1 {
        major = (0x7FFF_FFFF - 1) << 1;
    }
    Some(DxHash { major, minor })
}

/// A name byte as the C `char` of the hash version: sign-extended for the
/// signed versions, zero-extended for the unsigned ones.
fn byte_value(b: u8, signed: bool) -> u32 {
    if signed {
        i32::from(b as i8) as u32
    } else {
        u32::from(b)
    }
}

/// The legacy hash: two running values, each step mixes in the byte times a
/// constant and folds values with the top bit set back below 2^31.
fn legacy(name: &[u8], signed: bool) -> u32 {
    let (mut a, mut b) = (0x12A3_FE2Du32, 0x37AB_E8F9u32);
    for &c in name {
        let mut next = b.wrapping_add(a ^ byte_value(c, signed).wrapping_mul(7_152_373));
        if next & 0x8000_0000 != 0 {
            next = next.wrapping_sub(0x7FFF_FFFF);
        }
        b = a;
        a = next;
    }
    a << 1
}

/// Starting words: the seed, or MD4's initial values when the seed is all zero.
fn start_state(seed: &[u32; 4]) -> [u32; 4] {
    if seed.iter().any(|&w| w != 0) {
        *seed
    } else {
        [0x6745_2301, 0xEFCD_AB89, 0x98BA_DCFE, 0x1032_5476]
    }
}

/// Call `f` for each `size`-byte chunk of `name` with the number of bytes left
/// from the chunk's start (the packing pads with that count). Nothing is
/// hashed for an empty name.
fn for_chunks(name: &[u8], size: usize, mut f: impl FnMut(&[u8], usize)) {
    let mut at = 0;
    while at < name.len() {
        let chunk = name.get(at..name.len().min(at + size)).unwrap_or(&[]);
        f(chunk, name.len() - at);
        at += size;
    }
}

/// Pack up to `4 * N` bytes into `N` words, most significant byte first
/// within each word. Unused words (and the unused low bytes of a partly
/// filled word) are filled with the padding word: the remaining length in
/// every byte, so names that differ only in trailing bytes still differ.
fn pack<const N: usize>(chunk: &[u8], remaining: usize, signed: bool) -> [u32; N] {
    let len = remaining as u32;
    let pad = {
        let p = len | (len << 8);
        p | (p << 16)
    };
    let mut words = [pad; N];
    let mut acc = pad;
    let mut w = 0;
    for (i, &c) in chunk.iter().take(4 * N).enumerate() {
        acc = byte_value(c, signed).wrapping_add(acc << 8);
        if i % 4 == 3 {
            if let Some(slot) = words.get_mut(w) {
                *slot = acc;
            }
            w += 1;
            acc = pad;
        }
    }
    // A partly filled word is stored as accumulated; whole-padding words stay.
    if !chunk.len().min(4 * N).is_multiple_of(4) {
        if let Some(slot) = words.get_mut(w) {
            *slot = acc;
        }
    }
    words
}

/// MD4's round functions: selection, majority, parity.
fn md4_f(x: u32, y: u32, z: u32) -> u32 {
    z ^ (x & (y ^ z))
}
fn md4_g(x: u32, y: u32, z: u32) -> u32 {
    (x & y).wrapping_add((x ^ y) & z)
}
fn md4_h(x: u32, y: u32, z: u32) -> u32 {
    x ^ y ^ z
}

/// One chunk through a cut-down MD4: the three rounds of MD4 with 8 steps each
/// (instead of 16) over 8 input words, then added into the state.
fn half_md4_mix(state: &mut [u32; 4], x: &[u32; 8]) {
    const R2: u32 = 0x5A82_7999; // MD4 round 2 constant: sqrt(2) * 2^30
    const R3: u32 = 0x6ED9_EBA1; // MD4 round 3 constant: sqrt(3) * 2^30
    let mut v = *state;
    // Each step updates one of the four words in turn (a, d, c, b).
    fn step(v: &mut [u32; 4], i: usize, f: fn(u32, u32, u32) -> u32, input: u32, s: u32) {
        let t = [0usize, 3, 2, 1][i % 4];
        let (p, q, r) = (v[(t + 1) % 4], v[(t + 2) % 4], v[(t + 3) % 4]);
        v[t] = v[t].wrapping_add(f(p, q, r)).wrapping_add(input).rotate_left(s);
    }
    let round1 = [0usize, 1, 2, 3, 4, 5, 6, 7];
    let shifts1 = [3u32, 7, 11, 19];
    for (i, &k) in round1.iter().enumerate() {
        step(&mut v, i, md4_f, x[k], shifts1[i % 4]);
    }
    let round2 = [1usize, 3, 5, 7, 0, 2, 4, 6];
    let shifts2 = [3u32, 5, 9, 13];
    for (i, &k) in round2.iter().enumerate() {
        step(&mut v, i, md4_g, x[k].wrapping_add(R2), shifts2[i % 4]);
    }
    let round3 = [3usize, 7, 2, 6, 1, 5, 0, 4];
    let shifts3 = [3u32, 9, 11, 15];
    for (i, &k) in round3.iter().enumerate() {
        step(&mut v, i, md4_h, x[k].wrapping_add(R3), shifts3[i % 4]);
    }
    for (s, n) in state.iter_mut().zip(v) {
        *s = s.wrapping_add(n);
    }
}

/// One chunk through TEA: the first two state words are the 64-bit block,
/// the four input words the 128-bit key, 16 cycles, added into the state.
fn tea_mix(state: &mut [u32; 4], key: &[u32; 4]) {
    const DELTA: u32 = 0x9E37_79B9; // TEA's key schedule constant: 2^32 / golden ratio
    let (mut v0, mut v1) = (state[0], state[1]);
    let mut sum = 0u32;
    for _ in 0..16 {
        sum = sum.wrapping_add(DELTA);
        v0 = v0.wrapping_add(
            (v1 << 4).wrapping_add(key[0]) ^ v1.wrapping_add(sum) ^ (v1 >> 5).wrapping_add(key[1]),
        );
        v1 = v1.wrapping_add(
            (v0 << 4).wrapping_add(key[2]) ^ v0.wrapping_add(sum) ^ (v0 >> 5).wrapping_add(key[3]),
        );
    }
    state[0] = state[0].wrapping_add(v0);
    state[1] = state[1].wrapping_add(v1);
}

/// The hash seed words from `s_hash_seed` as read by the superblock parser.
pub fn seed_from_uuid_bytes(b: &[u8; 16]) -> [u32; 4] {
    let w = |i: usize| u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
    [w(0), w(4), w(8), w(12)]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `5eed5eed-0000-4000-8000-000000000001`, the fixtures' hash seed.
    fn fixture_seed() -> [u32; 4] {
        seed_from_uuid_bytes(&[0x5e, 0xed, 0x5e, 0xed, 0, 0, 0x40, 0, 0x80, 0, 0, 0, 0, 0, 0, 1])
    }

    #[test]
    fn matches_debugfs_on_fixture_names() {
        // From `debugfs -R "dx_hash -h ... -s 5eed5eed-... NAME"` and the
        // extents image's `htree` dump.
        let s = fixture_seed();
        let name = b"entry-025-with-a-fairly-long-name-to-fill-the-blocks";
        assert_eq!(dx_hash(1, name, &s), Some(DxHash { major: 0x08dc_3836, minor: 0x4618_2f2f }));
        assert_eq!(dx_hash(2, name, &s), Some(DxHash { major: 0xb34b_d994, minor: 0xdaf2_46c0 }));
        assert_eq!(dx_hash(1, b"hello.txt", &s), Some(DxHash { major: 0x9395_905c, minor: 0xc845_2155 }));
        assert_eq!(dx_hash(0, b"hello", &[0; 4]), Some(DxHash { major: 0x3225_2546, minor: 0 }));
    }

    #[test]
    fn signed_and_unsigned_differ_on_high_bytes() {
        let s = fixture_seed();
        let name = b"caf\xc3\xa9-\xff";
        // debugfs dx_hash -h 0..5 on the same name.
        assert_eq!(dx_hash(0, name, &s).map(|h| h.major), Some(0x65a7_ebe0));
        assert_eq!(dx_hash(1, name, &s).map(|h| (h.major, h.minor)), Some((0x3073_c032, 0x8eef_101f)));
        assert_eq!(dx_hash(2, name, &s).map(|h| (h.major, h.minor)), Some((0xae1b_c2f0, 0x48d5_28ea)));
        assert_eq!(dx_hash(3, name, &s).map(|h| h.major), Some(0xac17_d7e0));
        assert_eq!(dx_hash(4, name, &s).map(|h| (h.major, h.minor)), Some((0x6107_af7c, 0x8b12_3bab)));
        assert_eq!(dx_hash(5, name, &s).map(|h| (h.major, h.minor)), Some((0x5c09_1b12, 0x9694_1f12)));
    }

    #[test]
    fn unsigned_flag_shifts_versions() {
        assert_eq!(effective_version(1, FLAGS_UNSIGNED_HASH), 4);
        assert_eq!(effective_version(1, FLAGS_SIGNED_HASH), 1);
        assert_eq!(effective_version(6, FLAGS_UNSIGNED_HASH), 6);
        assert_eq!(dx_hash(6, b"x", &[0; 4]), None);
        assert_eq!(dx_hash(200, b"x", &[0; 4]), None);
    }

    #[test]
    fn long_and_odd_names_do_not_panic() {
        let long = [0xFFu8; 1000];
        for v in 0..6 {
            for n in [0usize, 1, 3, 4, 5, 15, 16, 17, 31, 32, 33, 255, 1000] {
                let h = dx_hash(v, &long[..n], &[1, 2, 3, 4]).map(|h| h.major);
                assert_eq!(h.map(|x| x & 1), Some(0));
            }
        }
    }
}
