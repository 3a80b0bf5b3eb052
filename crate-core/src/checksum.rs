//! Checksums: crc32c (metadata_csum, jbd2 v2/v3) and crc16 (gdt_csum / uninit_bg).
//!
//! ext4 uses crc32c "raw": the register is seeded by the caller and the result is
//! not inverted, so checksums chain (`crc32c(crc32c(seed, a), b) == crc32c(seed, a ++ b)`).

use crc::{Algorithm, Crc, Table};

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

static CRC32C: Crc<u32, Table<16>> = Crc::<u32, Table<16>>::new(&CRC32C_RAW);
static CRC16: Crc<u16, Table<16>> = Crc::<u16, Table<16>>::new(&crc::CRC_16_MODBUS);

/// crc32c over `data`, starting from `seed`, as the kernel's `ext4_chksum`.
pub fn crc32c(seed: u32, data: &[u8]) -> u32 {
    // The crc crate takes the initial value in the algorithm's unreflected form.
    let mut d = CRC32C.digest_with_initial(seed.reverse_bits());
    d.update(data);
    d.finalize()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32c_standard_check_value() {
        // The standard CRC-32C check value for "123456789" is 0xe3069283, which is
        // the raw value XORed with all ones.
        assert_eq!(crc32c(!0, b"123456789") ^ !0, 0xe306_9283);
    }

    #[test]
    fn crc32c_chains() {
        let whole = crc32c(0x1234_5678, b"hello, world");
        let part = crc32c(crc32c(0x1234_5678, b"hello"), b", world");
        assert_eq!(whole, part);
    }

    #[test]
    fn crc16_modbus_check_and_chain() {
        assert_eq!(crc16(0xffff, b"123456789"), 0x4b37);
        assert_eq!(crc16(crc16(0xffff, b"1234"), b"56789"), 0x4b37);
    }
}
