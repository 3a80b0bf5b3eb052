//! Field tables: every fixed on-disk record is declared once, as data.
//!
//! The [`disk_struct!`] macro turns one declaration (offset, spec name, type) into
//! the Rust struct, a bounds-safe little-endian parser, and a `&[Field]` table.
//! The hex view highlights fields from the table, the journal diff names the
//! fields that changed from it, and the JSON output lists raw fields from it:
//! there is no second copy of any layout.

use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

/// How a field's bytes should be shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    /// Little-endian unsigned integer of the field's size.
    Uint,
    /// Big-endian unsigned integer (jbd2 structures).
    UintBe,
    /// Raw bytes (UUIDs, names, padding).
    Bytes,
    /// An array of little-endian `u32` words.
    Words,
}

/// One named field of an on-disk record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Field {
    /// The name used by the kernel and e2fsprogs (`s_inodes_count`).
    pub name: &'static str,
    /// Byte offset from the start of the record.
    pub offset: usize,
    /// Size in bytes.
    pub size: usize,
    /// How to show the value.
    pub kind: FieldKind,
}

/// A raw field value, for generic display.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum FieldValue {
    /// An integer.
    Uint(u64),
    /// Bytes or words, shown as a list.
    List(Vec<u64>),
}

/// Decode a field from a record's bytes by its table entry. Bytes past the end of
/// `record` read as zero, so short records (128-byte inodes, 32-byte descriptors)
/// decode their missing tail as zero.
pub fn read_field(record: &[u8], f: &Field) -> FieldValue {
    let byte = |i: usize| record.get(f.offset + i).copied().unwrap_or(0);
    match f.kind {
        FieldKind::Uint => {
            let mut v = 0u64;
            for i in (0..f.size.min(8)).rev() {
                v = (v << 8) | u64::from(byte(i));
            }
            FieldValue::Uint(v)
        }
        FieldKind::UintBe => {
            let mut v = 0u64;
            for i in 0..f.size.min(8) {
                v = (v << 8) | u64::from(byte(i));
            }
            FieldValue::Uint(v)
        }
        FieldKind::Bytes => FieldValue::List((0..f.size).map(|i| u64::from(byte(i))).collect()),
        FieldKind::Words => FieldValue::List(
            (0..f.size / 4)
                .map(|w| {
                    let b = |i| u32::from(byte(w * 4 + i));
                    u64::from(b(0) | b(1) << 8 | b(2) << 16 | b(3) << 24)
                })
                .collect(),
        ),
    }
}

/// Every field of a record with its raw value, in table order.
pub fn dump_fields(record: &[u8], table: &[Field]) -> Vec<(&'static str, FieldValue)> {
    table.iter().map(|f| (f.name, read_field(record, f))).collect()
}

/// Names of the fields whose bytes differ between two copies of a record.
pub fn changed_fields(old: &[u8], new: &[u8], table: &[Field]) -> Vec<&'static str> {
    table
        .iter()
        .filter(|f| {
            let r = f.offset..f.offset + f.size;
            old.get(r.clone()) != new.get(r)
        })
        .map(|f| f.name)
        .collect()
}

/// The field that covers byte `offset` of a record, if any.
pub fn field_at(table: &[Field], offset: usize) -> Option<&Field> {
    table.iter().find(|f| offset >= f.offset && offset < f.offset + f.size)
}

/// Types a field can have in a [`disk_struct!`] declaration.
pub trait LeRead: Sized {
    /// Size in bytes.
    const SIZE: usize;
    /// How the field is shown.
    const KIND: FieldKind;
    /// Read from `b[off..off + SIZE]`; missing bytes are zero. Never panics.
    fn read_le(b: &[u8], off: usize) -> Self;
}

fn get(b: &[u8], i: usize) -> u8 {
    b.get(i).copied().unwrap_or(0)
}

macro_rules! le_int {
    ($t:ty, $n:expr) => {
        impl LeRead for $t {
            const SIZE: usize = $n;
            const KIND: FieldKind = FieldKind::Uint;
            #[inline]
            fn read_le(b: &[u8], off: usize) -> Self {
                let mut a = [0u8; $n];
                match off.checked_add($n).and_then(|end| b.get(off..end)) {
                    // The whole field is there: one fixed-size copy.
                    Some(s) => a.copy_from_slice(s),
                    // The record ends inside or before the field: missing bytes are zero.
                    None => {
                        for (i, x) in a.iter_mut().enumerate() {
                            *x = off.checked_add(i).map_or(0, |j| get(b, j));
                        }
                    }
                }
                <$t>::from_le_bytes(a)
            }
        }
    };
}
le_int!(u8, 1);
le_int!(u16, 2);
le_int!(u32, 4);
le_int!(u64, 8);

impl<const N: usize> LeRead for [u8; N] {
    const SIZE: usize = N;
    const KIND: FieldKind = FieldKind::Bytes;
    #[inline]
    fn read_le(b: &[u8], off: usize) -> Self {
        let mut a = [0u8; N];
        match off.checked_add(N).and_then(|end| b.get(off..end)) {
            Some(s) => a.copy_from_slice(s),
            None => {
                for (i, x) in a.iter_mut().enumerate() {
                    *x = off.checked_add(i).map_or(0, |j| get(b, j));
                }
            }
        }
        a
    }
}

impl<const N: usize> LeRead for [u32; N] {
    const SIZE: usize = N * 4;
    const KIND: FieldKind = FieldKind::Words;
    #[inline]
    fn read_le(b: &[u8], off: usize) -> Self {
        let mut a = [0u32; N];
        for (i, x) in a.iter_mut().enumerate() {
            *x = off.checked_add(i * 4).map_or(0, |j| u32::read_le(b, j));
        }
        a
    }
}

/// Declare an on-disk record once: struct, parser and field table.
///
/// ```text
/// disk_struct! {
///     /// doc
///     pub struct Thing, THING_FIELDS, size = 8 {
///         0x0 t_a: u32,
///         0x4 t_b: u32,
///     }
/// }
/// ```
#[macro_export]
macro_rules! disk_struct {
    (
        $(#[$m:meta])*
        pub struct $name:ident, $table:ident, size = $size:literal {
            $( $(#[$fm:meta])* $off:literal $field:ident : $ty:ty ),* $(,)?
        }
    ) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $name {
            $( $(#[$fm])* #[doc = concat!("`", stringify!($field), "` at offset ", stringify!($off), ".")] pub $field: $ty, )*
        }

        #[doc = concat!("Field table of [`", stringify!($name), "`].")]
        pub const $table: &[$crate::fields::Field] = &[
            $( $crate::fields::Field {
                name: stringify!($field),
                offset: $off,
                size: <$ty as $crate::fields::LeRead>::SIZE,
                kind: <$ty as $crate::fields::LeRead>::KIND,
            }, )*
        ];

        // Every field lies inside the record, so `parse` may read from the
        // first `size` bytes alone.
        #[allow(clippy::int_plus_one)]
        const _: () = { $( assert!($off + <$ty as $crate::fields::LeRead>::SIZE <= $size); )* };

        impl $name {
            /// Size of the record in bytes.
            pub const SIZE: usize = $size;

            /// Decode from bytes; bytes past the end of `b` read as zero.
            pub fn parse(b: &[u8]) -> Self {
                match b.get(..$size) {
                    // The usual case: the whole record is there, every field
                    // is a fixed-size load from a slice of known length.
                    Some(whole) => Self::parse_from(whole),
                    // A short record: decode from a zero-padded copy.
                    None => {
                        let mut pad = [0u8; $size];
                        if let Some(dst) = pad.get_mut(..b.len()) {
                            dst.copy_from_slice(b);
                        }
                        Self::parse_from(&pad)
                    }
                }
            }

            #[inline]
            fn parse_from(b: &[u8]) -> Self {
                Self { $( $field: <$ty as $crate::fields::LeRead>::read_le(b, $off), )* }
            }
        }
    };
}

/// Check that a table is sorted, non-overlapping and ends at `size` (used by tests).
pub fn table_is_contiguous(table: &[Field], size: usize) -> Result<(), &'static str> {
    let mut at = 0;
    for f in table {
        if f.offset != at {
            return Err(f.name);
        }
        at = f.offset + f.size;
    }
    if at == size {
        Ok(())
    } else {
        Err("size")
    }
}
