//! Checksums: crc32c (metadata_csum, jbd2 v2/v3) and crc16 (gdt_csum / uninit_bg).
//!
//! ext4 uses crc32c "raw": the register is seeded by the caller and the result is
//! not inverted, so checksums chain (`crc32c(crc32c(seed, a), b) == crc32c(seed, a ++ b)`).

use crc::{Crc, Table};

static CRC16: Crc<u16, SmallCrcTable> = Crc::<u16, SmallCrcTable>::new(&crc::CRC_16_MODBUS);

/// Slice-by-16 tables of the reflected CRC-32C polynomial: `T[0]` is the
/// byte-at-a-time table, `T[k][b]` the CRC of byte `b` followed by `k` zero bytes.
#[cfg(not(target_arch = "wasm32"))]
static CRC32C_TABLES: [[u32; 256]; 16] = crc32c_tables();

/// The same tables built on first use, for wasm32: a constant table is 16 KB
/// of the web worker's download that does not compress, building it takes
/// microseconds. Zero-initialised atomics need no `unsafe` and no data
/// segment; two threads that both build them write the same values.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
mod built {
    use core::sync::atomic::{AtomicBool, AtomicU32, Ordering};

    static TABLES: [[AtomicU32; 256]; 16] = [const { [const { AtomicU32::new(0) }; 256] }; 16];
    static READY: AtomicBool = AtomicBool::new(false);

    pub(super) fn tables() -> &'static [[AtomicU32; 256]; 16] {
        if !READY.load(Ordering::Acquire) {
            let t = super::crc32c_tables();
            for (row, built) in t.iter().zip(&TABLES) {
                for (v, b) in row.iter().zip(built) {
                    b.store(*v, Ordering::Relaxed);
                }
            }
            READY.store(true, Ordering::Release);
        }
        &TABLES
    }
}

/// Table selection by target: gdt_csum (crc16) and jbd2 v1 (crc32_be) are
/// rare and short on the web, so wasm32 uses the crate's byte-at-a-time
/// tables there (0.5 and 1 KB instead of 8 and 16 KB in the download).
#[cfg(not(target_arch = "wasm32"))]
type SmallCrcTable = Table<16>;
#[cfg(target_arch = "wasm32")]
type SmallCrcTable = Table<1>;

const fn crc32c_tables() -> [[u32; 256]; 16] {
    let mut t = [[0u32; 256]; 16];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 { (c >> 1) ^ 0x82F6_3B78 } else { c >> 1 };
            k += 1;
        }
        t[0][i] = c;
        i += 1;
    }
    let mut k = 1;
    while k < 16 {
        let mut i = 0;
        while i < 256 {
            let p = t[k - 1][i];
            t[k][i] = (p >> 8) ^ t[0][(p & 0xFF) as usize];
            i += 1;
        }
        k += 1;
    }
    t
}

/// crc32c over `data`, starting from `seed`, as the kernel's `ext4_chksum`.
///
/// With the `hw-crc` feature (the native CLI), the `crc32c` crate, which
/// uses the CPU's CRC-32C instruction where it has one; otherwise
/// [`crc32c_soft`]. That crate's CRC is the standard one (register inverted
/// before and after), so the raw value is `!crc32c_append(!seed, data)`.
#[inline]
pub fn crc32c(seed: u32, data: &[u8]) -> u32 {
    #[cfg(feature = "hw-crc")]
    {
        !::crc32c::crc32c_append(!seed, data)
    }
    #[cfg(not(feature = "hw-crc"))]
    {
        crc32c_soft(seed, data)
    }
}

/// The software crc32c (what the web build runs).
///
/// Slice-by-16 on its own tables. The `crc` crate's `Table<16>` does the same
/// lookups, but its loop (a `const fn`) reads the block byte by byte with a
/// bounds check each: 3.9 instructions per byte against 2.6 here, where each
/// 16-byte block is four little-endian words. The twelve lookups that do not
/// depend on the running CRC are combined first, so only four wait for the
/// previous block (with them first, the loop ran at half the speed). About
/// 1.3-1.5x the crate's speed on 256-byte inode records; the tests compare it
/// with the crate's CRC-32C.
pub fn crc32c_soft(seed: u32, data: &[u8]) -> u32 {
    #[cfg(not(target_arch = "wasm32"))]
    let t = &CRC32C_TABLES;
    #[cfg(not(target_arch = "wasm32"))]
    macro_rules! t {
        ($k:literal, $i:expr) => {
            t[$k][$i]
        };
    }
    #[cfg(target_arch = "wasm32")]
    let t = built::tables();
    #[cfg(target_arch = "wasm32")]
    macro_rules! t {
        ($k:literal, $i:expr) => {
            t[$k][$i].load(core::sync::atomic::Ordering::Relaxed)
        };
    }
    let byte = |v: u32, shift: u32| ((v >> shift) & 0xFF) as usize;
    let word = |c: &[u8], i: usize| match c.get(i..i + 4) {
        Some(&[a, b, c, d]) => u32::from_le_bytes([a, b, c, d]),
        _ => 0,
    };
    let mut crc = seed;
    let mut blocks = data.chunks_exact(16);
    for c in &mut blocks {
        let (a, b, d, e) = (word(c, 0) ^ crc, word(c, 4), word(c, 8), word(c, 12));
        let later = (t!(3, byte(e, 0)) ^ t!(2, byte(e, 8)) ^ t!(1, byte(e, 16)) ^ t!(0, byte(e, 24)))
            ^ (t!(7, byte(d, 0)) ^ t!(6, byte(d, 8)) ^ t!(5, byte(d, 16)) ^ t!(4, byte(d, 24)))
            ^ (t!(11, byte(b, 0)) ^ t!(10, byte(b, 8)) ^ t!(9, byte(b, 16)) ^ t!(8, byte(b, 24)));
        crc =
            later ^ ((t!(15, byte(a, 0)) ^ t!(14, byte(a, 8))) ^ (t!(13, byte(a, 16)) ^ t!(12, byte(a, 24))));
    }
    for &b in blocks.remainder() {
        crc = (crc >> 8) ^ t!(0, byte(crc ^ u32::from(b), 0));
    }
    crc
}

/// An incremental crc32c.
#[derive(Debug, Clone, Copy)]
pub struct Crc32c(u32);

impl Crc32c {
    /// Start from a seed.
    pub fn new(seed: u32) -> Self {
        Crc32c(seed)
    }
    /// Feed bytes.
    pub fn update(&mut self, data: &[u8]) -> &mut Self {
        self.0 = crc32c(self.0, data);
        self
    }
    /// Feed `n` zero bytes (a checksum field treated as zero).
    pub fn zeros(&mut self, n: usize) -> &mut Self {
        const Z: [u8; 8] = [0; 8];
        let mut left = n;
        while left > 0 {
            let k = left.min(8);
            self.update(&Z[..k]);
            left -= k;
        }
        self
    }
    /// The current value.
    pub fn value(&self) -> u32 {
        self.0
    }
}

/// crc16 (the kernel's `crc16`, poly 0x8005 reflected) over `data` from `seed`.
pub fn crc16(seed: u16, data: &[u8]) -> u16 {
    let mut d = CRC16.digest_with_initial(seed.reverse_bits());
    d.update(data);
    d.finalize()
}

static CRC32_BE: Crc<u32, SmallCrcTable> = Crc::<u32, SmallCrcTable>::new(&crc::CRC_32_MPEG_2);

/// The kernel's `crc32_be` (poly 0x04C11DB7, not reflected, no final XOR) over
/// `data` from `seed`: jbd2's v1 transaction checksum (`JBD2_FEATURE_COMPAT_CHECKSUM`).
pub fn crc32_be(seed: u32, data: &[u8]) -> u32 {
    // CRC-32/MPEG-2 is exactly this register with init 0xFFFFFFFF and no XOR out.
    let mut d = CRC32_BE.digest_with_initial(seed);
    d.update(data);
    d.finalize()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crc::Algorithm;

    /// CRC-32C (Castagnoli), reflected, without the final XOR.
    const CRC32C_RAW: Algorithm<u32> = Algorithm {
        width: 32,
        poly: 0x1edc_6f41,
        init: 0xffff_ffff,
        refin: true,
        refout: true,
        xorout: 0,
        check: 0x1cf9_6d7c, // !0xe3069283 (the standard check value without the final XOR)
        residue: 0,
    };

    #[test]
    fn crc32c_standard_check_value() {
        // The standard CRC-32C check value for "123456789" is 0xe3069283, which is
        // the raw value XORed with all ones.
        assert_eq!(crc32c(!0, b"123456789") ^ !0, 0xe306_9283);
    }

    #[test]
    fn crc32c_equals_the_crc_crate_on_every_length_and_alignment() {
        // The crc crate's CRC-32C (table-driven, byte at a time) takes the
        // initial value unreflected and, with refin = refout, returns the register.
        static REFERENCE: Crc<u32, Table<1>> = Crc::<u32, Table<1>>::new(&CRC32C_RAW);
        let reference = |seed: u32, data: &[u8]| {
            let mut d = REFERENCE.digest_with_initial(seed.reverse_bits());
            d.update(data);
            d.finalize()
        };
        let data: alloc::vec::Vec<u8> =
            (0..600u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
        let mut compared = 0;
        for start in 0..17 {
            for len in (0..=300).chain([511, 512, 583]) {
                let Some(d) = data.get(start..start + len) else { continue };
                for seed in [0, !0, 0x1234_5678, 0x8000_0001] {
                    // Both paths: the one in use (hardware with `hw-crc`) and the software one.
                    assert_eq!(crc32c(seed, d), reference(seed, d), "start {start} len {len} seed {seed:x}");
                    assert_eq!(crc32c_soft(seed, d), reference(seed, d), "soft: start {start} len {len}");
                    compared += 1;
                }
            }
        }
        assert!(compared > 20_000);
    }

    #[test]
    fn built_tables_are_the_constant_ones() {
        // wasm32 reads these (built on first use); natively the constant.
        let built = built::tables();
        for (row, b) in CRC32C_TABLES.iter().zip(built) {
            for (v, a) in row.iter().zip(b) {
                assert_eq!(*v, a.load(core::sync::atomic::Ordering::Relaxed));
            }
        }
        assert_eq!(
            built::tables()[15][255].load(core::sync::atomic::Ordering::Relaxed),
            CRC32C_TABLES[15][255]
        );
    }

    #[test]
    fn crc32c_chains() {
        let whole = crc32c(0x1234_5678, b"hello, world");
        let part = crc32c(crc32c(0x1234_5678, b"hello"), b", world");
        assert_eq!(whole, part);
    }

    #[test]
    fn crc32_be_is_the_kernels() {
        // crc32_be(~0, "123456789") = 0x0376E6E7 (CRC-32/MPEG-2's check value).
        assert_eq!(crc32_be(!0, b"123456789"), 0x0376_e6e7);
        assert_eq!(crc32_be(crc32_be(!0, b"1234"), b"56789"), 0x0376_e6e7);
        // Bit by bit, MSB first, as lib/crc32.c's crc32_be_generic.
        let mut c = 0x1234_5678u32;
        for &b in b"jbd2" {
            c ^= u32::from(b) << 24;
            for _ in 0..8 {
                c = if c & 0x8000_0000 != 0 { (c << 1) ^ 0x04c1_1db7 } else { c << 1 };
            }
        }
        assert_eq!(crc32_be(0x1234_5678, b"jbd2"), c);
    }

    #[test]
    fn crc16_modbus_check_and_chain() {
        assert_eq!(crc16(0xffff, b"123456789"), 0x4b37);
        assert_eq!(crc16(crc16(0xffff, b"1234"), b"56789"), 0x4b37);
    }
}
