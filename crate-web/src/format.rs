//! How numbers and verdicts are written on the page. Presentation only: what
//! the values mean comes from the core's reports.

use ext4scope_core::format::group_desc::{ChecksumKind, ChecksumStatus};

/// `16777216` -> `16 MiB`, `1536` -> `1.5 KiB`, `100` -> `100 bytes`.
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 6] = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
    if n < 1024 {
        return format!("{n} bytes");
    }
    let mut v = n as f64 / 1024.0;
    let mut unit = 0;
    while v >= 1024.0 && unit + 1 < UNITS.len() {
        v /= 1024.0;
        unit += 1;
    }
    let s = if v >= 100.0 || v.fract() == 0.0 { format!("{v:.0}") } else { format!("{v:.1}") };
    format!("{} {}", s.trim_end_matches(".0"), UNITS[unit])
}

/// `a` of `b` as a percentage with one decimal, `None` when `b` is 0.
pub fn percent(a: u64, b: u64) -> Option<String> {
    (b != 0).then(|| format!("{:.1}%", a as f64 * 100.0 / b as f64))
}

/// The algorithm's name.
pub fn checksum_kind(kind: ChecksumKind) -> &'static str {
    match kind {
        ChecksumKind::None => "none",
        ChecksumKind::Crc16 => "crc16",
        ChecksumKind::Crc32c => "crc32c",
    }
}

/// A checksum verdict in words, and a CSS class (`ok`, `bad`, `none`).
pub fn checksum(cs: &ChecksumStatus) -> (&'static str, String) {
    let width = if cs.kind == ChecksumKind::Crc16 { 4 } else { 8 };
    match cs.ok {
        None => ("none", "not checksummed".to_string()),
        Some(true) => ("ok", format!("{} ok", checksum_kind(cs.kind))),
        Some(false) => (
            "bad",
            format!(
                "{} BAD: stored 0x{:0w$x}, computed 0x{:0w$x}",
                checksum_kind(cs.kind),
                cs.stored,
                cs.computed,
                w = width
            ),
        ),
    }
}

/// The same verdict, short enough for a table cell: `crc16 BAD 0012≠abcd`.
pub fn checksum_compact(cs: &ChecksumStatus) -> (&'static str, String) {
    let width = if cs.kind == ChecksumKind::Crc16 { 4 } else { 8 };
    match cs.ok {
        Some(false) => (
            "bad",
            format!("{} BAD {:0w$x}≠{:0w$x}", checksum_kind(cs.kind), cs.stored, cs.computed, w = width),
        ),
        _ => checksum(cs),
    }
}

/// Short forms of the group flags for the group table (the legend and hover
/// text give the kernel names).
pub fn group_flag_short(name: &str) -> &str {
    match name {
        "INODE_UNINIT" => "IU",
        "BLOCK_UNINIT" => "BU",
        "ITABLE_ZEROED" => "IZ",
        other => other,
    }
}

/// What a group flag means, for hover text.
pub fn group_flag_help(name: &str) -> &'static str {
    match name {
        "INODE_UNINIT" => "EXT4_BG_INODE_UNINIT: inode table and bitmap not initialised",
        "BLOCK_UNINIT" => "EXT4_BG_BLOCK_UNINIT: block bitmap not initialised (computed from the layout)",
        "ITABLE_ZEROED" => "EXT4_BG_INODE_ZEROED: inode table has been zeroed",
        _ => "unknown flag bit",
    }
}

/// An inclusive block range, `12` or `12-15`.
pub fn block_range(first: u64, last: u64) -> String {
    if first == last {
        first.to_string()
    } else {
        format!("{first}-{last}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(bytes(0), "0 bytes");
        assert_eq!(bytes(1023), "1023 bytes");
        assert_eq!(bytes(1024), "1 KiB");
        assert_eq!(bytes(1536), "1.5 KiB");
        assert_eq!(bytes(4 << 20), "4 MiB");
        assert_eq!(bytes(16 << 30), "16 GiB");
        assert_eq!(bytes((16 << 30) + (512 << 20)), "16.5 GiB");
        assert_eq!(bytes(200 * 1024 * 1024 + 1), "200 MiB");
        assert_eq!(bytes(u64::MAX), "16 EiB");
    }

    #[test]
    fn percentages() {
        assert_eq!(percent(1, 4).as_deref(), Some("25.0%"));
        assert_eq!(percent(1, 0), None);
    }

    #[test]
    fn checksum_words() {
        assert_eq!(checksum(&ChecksumStatus::NONE), ("none", "not checksummed".to_string()));
        let ok = ChecksumStatus::new(ChecksumKind::Crc32c, 5, 5);
        assert_eq!(checksum(&ok), ("ok", "crc32c ok".to_string()));
        let bad = ChecksumStatus::new(ChecksumKind::Crc16, 0x12, 0xabcd);
        assert_eq!(checksum(&bad), ("bad", "crc16 BAD: stored 0x0012, computed 0xabcd".to_string()));
        let bad = ChecksumStatus::new(ChecksumKind::Crc32c, 1, 2);
        assert_eq!(checksum(&bad).1, "crc32c BAD: stored 0x00000001, computed 0x00000002");
        assert_eq!(checksum_compact(&bad).1, "crc32c BAD 00000001≠00000002");
        assert_eq!(checksum_compact(&ok), checksum(&ok));
    }

    #[test]
    fn ranges_and_flags() {
        assert_eq!(block_range(5, 5), "5");
        assert_eq!(block_range(5, 9), "5-9");
        assert_eq!(group_flag_short("BLOCK_UNINIT"), "BU");
        assert_eq!(group_flag_short("0x10"), "0x10");
    }
}
