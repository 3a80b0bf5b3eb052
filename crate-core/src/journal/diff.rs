//! What a logged block is at its home location, and what it changes: the
//! records of both copies decoded by [`Fs::decode_block_bytes`] (the same
//! field tables as the hex view: no second copy of any layout) and compared
//! field by field; bitmaps as bits set and cleared; directory blocks as
//! entries added, removed and renamed.

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

use crate::decode::DecodedStruct;
use crate::error::Result;
use crate::fields::FieldValue;
use crate::format::dir::{walk_region, EntryRegion, RegionCtx};
use crate::fs::Fs;
use crate::ownership::{OwnerKind, OwnershipMap};

/// Fields named per record in a summary line before "… N more".
const SUMMARY_FIELDS: usize = 8;
/// Summary lines per block before "… N more".
const SUMMARY_LINES: usize = 64;

/// One field that differs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    /// The record (`inode 12`, `group descriptor 3`, `inode 12 extent root extent 0`).
    pub structure: String,
    /// The field (`i_size_lo`).
    pub field: String,
    /// Before (`None`: the record is new).
    pub old: Option<FieldValue>,
    /// After (`None`: the record is gone).
    pub new: Option<FieldValue>,
}

/// A logged block against an earlier copy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlockChange {
    /// Home location.
    pub fs_block: u64,
    /// What it is there, in words (`inode table of group 0 (inodes 13-28)`).
    pub what: String,
    /// Kind of structure.
    pub kind: Option<OwnerKind>,
    /// What it is compared with (`the block on disk`, `its copy in transaction 5`).
    pub against: String,
    /// Both copies are byte for byte the same.
    pub identical: bool,
    /// Bytes that differ.
    pub bytes_changed: usize,
    /// The changes in words, one line per record.
    pub summary: Vec<String>,
    /// Every field that differs.
    pub fields: Vec<FieldChange>,
}

fn show(v: &FieldValue) -> String {
    match v {
        FieldValue::Uint(u) => format!("{u}"),
        FieldValue::List(l) if l.len() <= 16 => {
            let mut s = String::new();
            for x in l {
                s.push_str(&format!("{:02x}", x & 0xFF));
            }
            s
        }
        FieldValue::List(l) => format!("{} bytes", l.len()),
    }
}

/// Fields that change with every write (checksums, sub-second times,
/// versions): listed after the ones that say what happened.
fn noisy(field: &str) -> bool {
    field.contains("csum")
        || field.contains("checksum")
        || field.ends_with("_extra")
        || field == "l_i_version"
        || field == "i_version_hi"
        || field == "i_block"
}

/// An extent record in words: `(logical → physical ×len)`, unwritten marked.
fn extent_words(s: &DecodedStruct) -> Option<String> {
    let get = |n: &str| {
        s.fields.iter().find(|f| f.name == n).and_then(|f| match f.value {
            FieldValue::Uint(u) => Some(u),
            FieldValue::List(_) => None,
        })
    };
    let (lblk, len, hi, lo) = (get("ee_block")?, get("ee_len")?, get("ee_start_hi")?, get("ee_start_lo")?);
    let (len, unwritten) = if len > 32768 { (len - 32768, " unwritten") } else { (len, "") };
    Some(format!("({lblk} → {} ×{len}{unwritten})", hi << 32 | lo))
}

fn by_name(v: &[DecodedStruct]) -> BTreeMap<&str, &DecodedStruct> {
    v.iter().map(|s| (s.name.as_str(), s)).collect()
}

/// Ranges of a sorted list of numbers: `1234, 1240–1243`.
fn ranges(v: &[u64]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < v.len() {
        let mut j = i;
        while j + 1 < v.len() && v[j + 1] == v[j] + 1 {
            j += 1;
        }
        out.push(if i == j { format!("{}", v[i]) } else { format!("{}–{}", v[i], v[j]) });
        i = j + 1;
        if out.len() >= 32 {
            out.push(format!("… {} more", v.len() - i));
            break;
        }
    }
    out.join(", ")
}

/// Compare `old` and `new`, two copies of block `blk`.
pub fn block_change(
    fs: &Fs,
    map: Option<&OwnershipMap>,
    blk: u64,
    old: &[u8],
    new: &[u8],
    against: String,
) -> Result<BlockChange> {
    let dn = fs.decode_block_bytes(blk, new, map)?;
    let bytes_changed = old.iter().zip(new.iter()).filter(|(a, b)| a != b).count();
    let mut c = BlockChange {
        fs_block: blk,
        what: dn.what.clone(),
        kind: dn.kind,
        against,
        identical: old == new,
        bytes_changed,
        summary: Vec::new(),
        fields: Vec::new(),
    };
    if c.identical {
        return Ok(c);
    }
    match dn.kind {
        Some(OwnerKind::BlockBitmap) | Some(OwnerKind::InodeBitmap) => {
            bitmap_change(fs, map, blk, old, new, &mut c)?;
            return Ok(c);
        }
        Some(OwnerKind::DirData) => {
            dir_change(fs, map, blk, old, new, &mut c)?;
            if !c.summary.is_empty() {
                return Ok(c);
            }
        }
        _ => {}
    }
    let d_old = fs.decode_block_bytes(blk, old, map)?;
    let (o, n) = (by_name(&d_old.structures), by_name(&dn.structures));
    // Records in block order of the new copy, then the ones that are gone.
    let mut names: Vec<&str> = dn.structures.iter().map(|s| s.name.as_str()).collect();
    names.extend(d_old.structures.iter().map(|s| s.name.as_str()).filter(|x| !n.contains_key(x)));
    for name in names {
        let (so, sn) = (o.get(name), n.get(name));
        let mut parts = Vec::new();
        let fo: BTreeMap<&str, &FieldValue> =
            so.map(|s| s.fields.iter().map(|f| (f.name.as_str(), &f.value)).collect()).unwrap_or_default();
        let fnew: BTreeMap<&str, &FieldValue> =
            sn.map(|s| s.fields.iter().map(|f| (f.name.as_str(), &f.value)).collect()).unwrap_or_default();
        let mut order: Vec<&str> = match (sn, so) {
            (Some(s), _) | (None, Some(s)) => s.fields.iter().map(|f| f.name.as_str()).collect(),
            _ => Vec::new(),
        };
        order.sort_by_key(|f| noisy(f));
        for field in order {
            let (a, b) = (fo.get(field).copied(), fnew.get(field).copied());
            if a == b {
                continue;
            }
            c.fields.push(FieldChange {
                structure: String::from(name),
                field: String::from(field),
                old: a.cloned(),
                new: b.cloned(),
            });
            parts.push(match (a, b) {
                (Some(a), Some(b)) => format!("{field} {} → {}", show(a), show(b)),
                (None, Some(b)) => format!("{field} {}", show(b)),
                (Some(a), None) => format!("{field} was {}", show(a)),
                (None, None) => continue,
            });
        }
        if parts.is_empty() {
            continue;
        }
        let more = parts.len().saturating_sub(SUMMARY_FIELDS);
        parts.truncate(SUMMARY_FIELDS);
        let mut line = match (so, sn) {
            (None, Some(n)) => match extent_words(n) {
                Some(w) => format!("{name} added {w}"),
                None => format!("{name} added: {}", parts.join(", ")),
            },
            (Some(o), None) => match extent_words(o) {
                Some(w) => format!("{name} removed (was {w})"),
                None => format!("{name} removed"),
            },
            (Some(o), Some(n)) if extent_words(o).is_some() => {
                format!(
                    "{name}: {} → {}",
                    extent_words(o).unwrap_or_default(),
                    extent_words(n).unwrap_or_default()
                )
            }
            _ => format!("{name}: {}", parts.join(", ")),
        };
        if more > 0 && !line.contains('×') {
            line.push_str(&format!(", … {more} more"));
        }
        c.summary.push(line);
    }
    if c.summary.len() > SUMMARY_LINES {
        let more = c.summary.len() - SUMMARY_LINES;
        c.summary.truncate(SUMMARY_LINES);
        c.summary.push(format!("… {more} more records changed"));
    }
    if c.summary.is_empty() {
        c.summary.push(format!("{bytes_changed} bytes changed"));
    }
    Ok(c)
}

fn bitmap_change(
    fs: &Fs,
    map: Option<&OwnershipMap>,
    blk: u64,
    old: &[u8],
    new: &[u8],
    c: &mut BlockChange,
) -> Result<()> {
    let r = fs.owner_of(blk, map)?;
    let o = r.owners.iter().find(|o| matches!(o.kind, OwnerKind::BlockBitmap | OwnerKind::InodeBitmap));
    let Some(o) = o else { return Ok(()) };
    let g = u64::from(o.group.unwrap_or(0));
    let geo = &fs.geo;
    let (bits, base, what) = if o.kind == OwnerKind::BlockBitmap {
        let cpg = u64::from(fs.clusters_per_group());
        let ratio = u64::from(geo.cluster_ratio.max(1));
        (cpg, geo.first_data_block + g * cpg * ratio, "blocks")
    } else {
        (u64::from(geo.inodes_per_group), g * u64::from(geo.inodes_per_group) + 1, "inodes")
    };
    let ratio = if o.kind == OwnerKind::BlockBitmap { u64::from(geo.cluster_ratio.max(1)) } else { 1 };
    let (mut set, mut cleared) = (Vec::new(), Vec::new());
    for i in 0..bits.min(8 * new.len() as u64) {
        let (byte, bit) = ((i / 8) as usize, i % 8);
        let a = old.get(byte).is_some_and(|x| x >> bit & 1 == 1);
        let b = new.get(byte).is_some_and(|x| x >> bit & 1 == 1);
        if a != b {
            let n = base + i * ratio;
            if b {
                set.push(n)
            } else {
                cleared.push(n)
            }
        }
    }
    let mut parts = Vec::new();
    if !set.is_empty() {
        parts.push(format!("+{}", ranges(&set)));
    }
    if !cleared.is_empty() {
        parts.push(format!("−{}", ranges(&cleared)));
    }
    let kind = if o.kind == OwnerKind::BlockBitmap { "block bitmap" } else { "inode bitmap" };
    c.summary.push(if parts.is_empty() {
        format!("{kind}: only bits past the group's {bits} {what} changed")
    } else {
        format!("{kind}: {} ({} {what} in use, {} freed)", parts.join(", "), set.len(), cleared.len())
    });
    for (list, v) in [(&set, 1u64), (&cleared, 0u64)] {
        for &n in list.iter().take(4096) {
            c.fields.push(FieldChange {
                structure: String::from(kind),
                field: format!("{} {n}", &what[..what.len() - 1]),
                old: Some(FieldValue::Uint(1 - v)),
                new: Some(FieldValue::Uint(v)),
            });
        }
    }
    Ok(())
}

fn dir_change(
    fs: &Fs,
    map: Option<&OwnershipMap>,
    blk: u64,
    old: &[u8],
    new: &[u8],
    c: &mut BlockChange,
) -> Result<()> {
    let r = fs.owner_of(blk, map)?;
    let ino = r.owners.iter().find(|o| o.kind == OwnerKind::DirData).and_then(|o| o.inode).unwrap_or(0);
    let ctx = RegionCtx {
        ino,
        block_size: fs.block_size(),
        logical: None,
        physical: Some(blk),
        base_byte: None,
        offset_base: 0,
        region: EntryRegion::Block,
        csum_tail: fs.sb.has_metadata_csum(),
        deleted: false,
        inodes_count: fs.sb.s_inodes_count,
    };
    let live = |b: &[u8]| -> Vec<(String, u32)> {
        walk_region(b, &ctx).entries.into_iter().filter(|e| e.inode != 0).map(|e| (e.name, e.inode)).collect()
    };
    let (a, b) = (live(old), live(new));
    let removed: Vec<&(String, u32)> = a.iter().filter(|x| !b.contains(x)).collect();
    let added: Vec<&(String, u32)> = b.iter().filter(|x| !a.contains(x)).collect();
    let mut lines = Vec::new();
    for (name, i) in &added {
        // The same inode leaving under another name in this block: a rename.
        if let Some((old_name, _)) = removed.iter().find(|(_, j)| j == i) {
            lines.push(format!("directory: entry '{old_name}' renamed '{name}' (inode {i})"));
        } else {
            lines.push(format!("directory: entry '{name}' added → inode {i}"));
        }
    }
    for (name, i) in &removed {
        if !added.iter().any(|(_, j)| j == i) {
            lines.push(format!("directory: entry '{name}' removed (was inode {i})"));
        }
    }
    let more = lines.len().saturating_sub(SUMMARY_LINES);
    lines.truncate(SUMMARY_LINES);
    if more > 0 {
        lines.push(format!("… {more} more entries"));
    }
    c.summary.extend(lines);
    Ok(())
}
