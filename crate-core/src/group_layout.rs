//! Where a group's blocks go: its superblock copy, descriptor and reserved
//! GDT blocks, every group's bitmaps and inode table that lie in it (with
//! flex_bg those of a whole flex group), and the data between them; and its
//! bitmaps' free runs as `dumpe2fs` lists them. What the group page draws.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

use crate::format::features::INCOMPAT_FLEX_BG;
use crate::fs::Fs;

/// At most this many pieces in a [`GroupLayout`] (the rest are cut; `truncated` says so).
pub const MAX_PIECES: usize = 2000;

/// What a run of a group's blocks holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PieceKind {
    /// A superblock (primary or backup).
    Superblock,
    /// Group descriptor blocks (a copy of the table, or meta_bg blocks).
    GroupDescriptors,
    /// Reserved GDT blocks (room for online resize).
    ReservedGdt,
    /// Block bitmaps.
    BlockBitmap,
    /// Inode bitmaps.
    InodeBitmap,
    /// Inode tables.
    InodeTable,
    /// No layout metadata: file data, directories, the journal, or free.
    Data,
}

impl PieceKind {
    /// Words for the page.
    pub fn words(self) -> &'static str {
        match self {
            PieceKind::Superblock => "superblock",
            PieceKind::GroupDescriptors => "group descriptors",
            PieceKind::ReservedGdt => "reserved GDT blocks",
            PieceKind::BlockBitmap => "block bitmap",
            PieceKind::InodeBitmap => "inode bitmap",
            PieceKind::InodeTable => "inode table",
            PieceKind::Data => "data (files, directories, journal) or free",
        }
    }
}

/// A run of blocks `first..=last` inside a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Piece {
    /// What it holds.
    pub kind: PieceKind,
    /// First block.
    pub first: u64,
    /// Last block.
    pub last: u64,
    /// Bitmaps and inode tables: the groups they belong to (`first..=last`).
    pub groups: Option<(u32, u32)>,
}

/// One of a group's own metadata structures, wherever it lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnPlace {
    /// Block bitmap, inode bitmap or inode table.
    pub kind: PieceKind,
    /// First block.
    pub first: u64,
    /// Last block.
    pub last: u64,
    /// The group whose blocks hold it (`None`: outside the file system).
    pub holder: Option<u32>,
}

/// Where a group's blocks go, for the group page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupLayout {
    /// The group.
    pub group: u32,
    /// Groups per flex group (`flex_bg`), when the feature is on.
    pub flex_size: Option<u64>,
    /// The group's blocks in order, cut where what they hold changes. Pieces
    /// may overlap on a corrupt image.
    pub pieces: Vec<Piece>,
    /// [`MAX_PIECES`] cut the list.
    pub truncated: bool,
    /// The group's own block bitmap, inode bitmap and inode table.
    pub own: Vec<OwnPlace>,
    /// Blocks per cluster (bits of the block bitmap stand for clusters).
    pub cluster_ratio: u32,
    /// Bits of the block bitmap that stand for clusters of this group (the
    /// last group may be short; the bits past it are padding).
    pub clusters_in_group: u32,
}

/// The layout of group `g`: the superblock copy, descriptor and reserved GDT
/// blocks at its head, every group's bitmaps and inode table that lie in it
/// (with flex_bg, those of the whole flex group sit in its first group), and
/// the data between them.
pub fn group_layout(fs: &Fs, g: u32) -> GroupLayout {
    let geo = &fs.geo;
    let (first, last) = (geo.group_first_block(g), geo.group_last_block(g));
    let itb = u64::from(geo.inode_table_blocks);
    let mut meta: Vec<Piece> = Vec::new();
    let head = geo.group_head(g);
    let clip = |a: u64, b: u64| (a.max(first), b.min(last));
    if let Some(s) = head.superblock {
        meta.push(Piece { kind: PieceKind::Superblock, first: s, last: s, groups: None });
    }
    for (kind, r) in [(PieceKind::GroupDescriptors, head.gdt), (PieceKind::ReservedGdt, head.reserved_gdt)] {
        if let Some((s, n)) = r.filter(|&(_, n)| n > 0) {
            let (a, b) = clip(s, s.saturating_add(n - 1));
            if a <= b {
                meta.push(Piece { kind, first: a, last: b, groups: None });
            }
        }
    }
    let mut own = Vec::new();
    // Groups come in order, so a flex group's bitmaps and tables join up as
    // they are found: three runs per kind rather than one piece per group.
    let mut found: [Vec<Piece>; 3] = [Vec::new(), Vec::new(), Vec::new()];
    for gr in fs.groups() {
        let it_last = gr.inode_table.saturating_add(itb.saturating_sub(1));
        let spans = [
            (PieceKind::BlockBitmap, gr.block_bitmap, gr.block_bitmap),
            (PieceKind::InodeBitmap, gr.inode_bitmap, gr.inode_bitmap),
            (PieceKind::InodeTable, gr.inode_table, it_last),
        ];
        for (i, (kind, a, b)) in spans.into_iter().enumerate() {
            if gr.index == g {
                own.push(OwnPlace { kind, first: a, last: b, holder: geo.group_of_block(a) });
            }
            let (ca, cb) = clip(a, b);
            if ca <= cb {
                push_joined(
                    &mut found[i],
                    Piece { kind, first: ca, last: cb, groups: Some((gr.index, gr.index)) },
                );
            }
        }
    }
    for f in found {
        meta.extend(f);
    }
    meta.sort_by_key(|p| (p.first, p.kind, p.groups));
    let mut merged: Vec<Piece> = Vec::new();
    for p in meta {
        push_joined(&mut merged, p);
    }
    // The gaps between metadata hold data.
    let mut pieces = Vec::new();
    let mut next = first;
    let mut truncated = false;
    for p in merged {
        if pieces.len() + 2 > MAX_PIECES {
            truncated = true;
            break;
        }
        if p.first > next {
            pieces.push(Piece { kind: PieceKind::Data, first: next, last: p.first - 1, groups: None });
        }
        next = next.max(p.last.saturating_add(1));
        pieces.push(p);
    }
    if !truncated && next <= last {
        pieces.push(Piece { kind: PieceKind::Data, first: next, last, groups: None });
    }
    let flex = fs.features().incompat(INCOMPAT_FLEX_BG);
    GroupLayout {
        group: g,
        flex_size: flex.then(|| 1u64.checked_shl(u32::from(fs.sb.s_log_groups_per_flex)).unwrap_or(0)),
        pieces,
        truncated,
        own,
        cluster_ratio: geo.cluster_ratio.max(1),
        clusters_in_group: fs.clusters_in_group(g),
    }
}

/// Runs of clear (free) bits among the first `n` bits of a bitmap, as
/// `(first, last)` bit indices.
pub fn free_runs(bits: &[u8], n: u32) -> Vec<(u32, u32)> {
    let mut runs = Vec::new();
    let mut start: Option<u32> = None;
    let mut i = 0u32;
    while i < n {
        let byte = bits.get((i / 8) as usize).copied().unwrap_or(0xFF);
        // A whole byte that does not change the state is skipped at once.
        if i & 7 == 0 && i + 8 <= n && (byte == 0xFF && start.is_none() || byte == 0 && start.is_some()) {
            i += 8;
            continue;
        }
        let used = byte & (1 << (i % 8)) != 0;
        match (used, start) {
            (false, None) => start = Some(i),
            (true, Some(s)) => {
                runs.push((s, i - 1));
                start = None;
            }
            _ => {}
        }
        i += 1;
    }
    if let Some(s) = start {
        runs.push((s, n - 1));
    }
    runs
}

/// Runs as dumpe2fs lists them (`5-9, 12`), bit `i` standing for
/// `base + i * scale` (a cluster's first block, an inode number).
pub fn runs_text(runs: &[(u32, u32)], base: u64, scale: u64) -> String {
    let at = |i: u32| base.saturating_add(u64::from(i).saturating_mul(scale));
    let mut s = String::new();
    for (k, &(a, b)) in runs.iter().enumerate() {
        if k > 0 {
            s.push_str(", ");
        }
        if a == b {
            s.push_str(&at(a).to_string());
        } else {
            s.push_str(&format!("{}-{}", at(a), at(b)));
        }
    }
    s
}

/// Append `p`, or extend the last piece when `p` continues it: same kind,
/// the next block, the next group.
fn push_joined(v: &mut Vec<Piece>, p: Piece) {
    if let Some(q) = v.last_mut() {
        let next_group = match (q.groups, p.groups) {
            (Some((_, a)), Some((b, _))) => a.checked_add(1) == Some(b),
            _ => false,
        };
        if q.kind == p.kind && next_group && q.last.checked_add(1) == Some(p.first) {
            q.last = p.last;
            q.groups = q.groups.zip(p.groups).map(|((a, _), (_, b))| (a, b));
            return;
        }
    }
    v.push(p);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_runs_of_bits() {
        // Bits 0-2 used, 3-9 free, 10 used, 11 free, 12-15 used, 16-23 free (n = 24).
        let bits = [0b0000_0111, 0b1111_0100, 0x00];
        assert_eq!(free_runs(&bits, 24), [(3, 9), (11, 11), (16, 23)]);
        assert_eq!(free_runs(&bits, 20), [(3, 9), (11, 11), (16, 19)]);
        assert_eq!(free_runs(&[0xFF, 0xFF], 16), []);
        assert_eq!(free_runs(&[0, 0], 16), [(0, 15)]);
        // Past the bytes given, bits count as used.
        assert_eq!(free_runs(&[0], 12), [(0, 7)]);
        assert_eq!(runs_text(&[(3, 9), (11, 11)], 100, 16), "148-244, 276");
        assert_eq!(runs_text(&[], 1, 1), "");
    }
}
