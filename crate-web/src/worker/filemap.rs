//! A file's block map as a table the app pages through: one row per leaf
//! extent (extent trees) or per run of contiguous data pointers inside one
//! node (indirect maps), in walk order, each with the node it sits in. The
//! worker builds it once per inode and keeps the last few ([`FileMaps`]), so a
//! file of millions of extents never travels in one message: the inode answer
//! carries the tree with its leaf entries cut to a few per node
//! ([`MapSummary::nodes`] says where and how many), and the app asks for the
//! rows it shows ([`crate::worker::protocol::Request::FileMap`]) and for the
//! row holding a block ([`crate::worker::protocol::Request::FileMapFind`]).

use std::collections::VecDeque;

use ext4scope_core::filemap::{MapItem, MapTree};
use ext4scope_core::format::inode::InodeReport;
use ext4scope_core::Fs;
use serde::Deserialize;

use super::protocol::WorkerError;

/// At most this many rows per page.
pub const MAX_MAP_PAGE: u32 = 1024;
/// Maps kept (the inode shown, and the one before it).
const KEPT: usize = 2;
/// Data entries per node kept in the tree the inode answer carries: the first
/// [`TREE_HEAD`] and the last [`TREE_TAIL`].
pub const TREE_HEAD: usize = 5;
/// See [`TREE_HEAD`].
pub const TREE_TAIL: usize = 4;
/// Data runs the inode answer carries, for the strip (the table has them all).
pub const STRIP_RUNS: usize = 1024;
/// Map blocks the inode answer lists by name (all of them are tree nodes).
pub const LISTED_META: usize = 40;

/// One row of the table (sent packed, [`ROW_BYTES`] each: a few bytes of
/// decoder in the app instead of serde's for a struct).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MapRow {
    /// First logical block.
    pub logical: u64,
    /// First physical block.
    pub physical: u64,
    /// Blocks.
    pub len: u64,
    /// An unwritten extent.
    pub unwritten: bool,
    /// The node it sits in (index into the tree's nodes).
    pub node: u32,
    /// That node's block (`None`: `i_block`).
    pub block: Option<u64>,
    /// That node's level (0: the root in the inode).
    pub level: u32,
}

/// Bytes of a packed [`MapRow`].
pub const ROW_BYTES: usize = 41;
/// Bytes of a packed [`NodeRows`].
pub const NODE_BYTES: usize = 16;

fn u64_at(b: &[u8], at: usize) -> u64 {
    b.get(at..at + 8).and_then(|s| s.try_into().ok()).map_or(0, u64::from_le_bytes)
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    b.get(at..at + 4).and_then(|s| s.try_into().ok()).map_or(0, u32::from_le_bytes)
}

impl MapRow {
    fn pack(&self, out: &mut Vec<u8>) {
        for v in [self.logical, self.physical, self.len, self.block.unwrap_or(u64::MAX)] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(&self.node.to_le_bytes());
        out.extend_from_slice(&self.level.to_le_bytes());
        out.push(u8::from(self.unwritten));
    }

    fn unpack(b: &[u8]) -> MapRow {
        let block = u64_at(b, 24);
        MapRow {
            logical: u64_at(b, 0),
            physical: u64_at(b, 8),
            len: u64_at(b, 16),
            block: (block != u64::MAX).then_some(block),
            node: u32_at(b, 32),
            level: u32_at(b, 36),
            unwritten: b.get(40) == Some(&1),
        }
    }

    fn holds_logical(&self, l: u64) -> bool {
        self.logical <= l && l - self.logical < self.len
    }
    fn holds_physical(&self, p: u64) -> bool {
        self.physical <= p && p - self.physical < self.len
    }
}

/// Rows `start..start + rows.len()` of `total`. On the wire one base64
/// string ([`page_wire`]): a few bytes of decoder in the app instead of
/// serde's for a struct.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MapPage {
    /// The inode.
    pub ino: u32,
    /// Rows in the table.
    pub total: u32,
    /// The first row here.
    pub start: u32,
    /// The rows.
    pub rows: Vec<MapRow>,
}

/// [`MapPage`] as one base64 string: ino, total, start (u32 LE), then the
/// rows, [`ROW_BYTES`] each.
pub mod page_wire {
    use super::*;

    /// Encode.
    pub fn serialize<S: serde::Serializer>(p: &MapPage, s: S) -> Result<S::Ok, S::Error> {
        let mut b = Vec::with_capacity(12 + p.rows.len() * ROW_BYTES);
        for v in [p.ino, p.total, p.start] {
            b.extend_from_slice(&v.to_le_bytes());
        }
        for r in &p.rows {
            r.pack(&mut b);
        }
        s.serialize_str(&crate::b64::encode(&b))
    }

    /// Decode (a malformed string is an empty page).
    pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<MapPage, D::Error> {
        let b = crate::b64::decode(&String::deserialize(d)?).unwrap_or_default();
        Ok(MapPage {
            ino: u32_at(&b, 0),
            total: u32_at(&b, 4),
            start: u32_at(&b, 8),
            rows: b.get(12..).unwrap_or_default().chunks_exact(ROW_BYTES).map(MapRow::unpack).collect(),
        })
    }
}

/// A tree node's place in the table, and what the inode answer's tree leaves out of it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NodeRows {
    /// Its first row (its rows are consecutive).
    pub first: u32,
    /// Its rows.
    pub count: u32,
    /// Where the cut is in the node's items as sent (`hidden` data entries
    /// were there).
    pub cut: u32,
    /// Data entries left out (0: none).
    pub hidden: u32,
}

/// What the inode answer says about the map beyond its (cut) tree. On the
/// wire one base64 string ([`summary_wire`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MapSummary {
    /// Rows in the table.
    pub rows: u32,
    /// Data runs (contiguous rows merged); the report carries the first [`STRIP_RUNS`].
    pub runs: u64,
    /// Data blocks mapped.
    pub blocks: u64,
    /// Map blocks; the report lists the first [`LISTED_META`].
    pub meta: u64,
    /// One per tree node.
    pub nodes: Vec<NodeRows>,
}

/// [`MapSummary`] as one base64 string: rows (u32 LE), runs, blocks, meta
/// (u64 LE), then per node first, count, cut, hidden (u32 LE).
pub mod summary_wire {
    use super::*;

    /// Encode.
    pub fn serialize<S: serde::Serializer>(m: &MapSummary, s: S) -> Result<S::Ok, S::Error> {
        let mut b = Vec::with_capacity(28 + m.nodes.len() * NODE_BYTES);
        b.extend_from_slice(&m.rows.to_le_bytes());
        for v in [m.runs, m.blocks, m.meta] {
            b.extend_from_slice(&v.to_le_bytes());
        }
        for n in &m.nodes {
            for v in [n.first, n.count, n.cut, n.hidden] {
                b.extend_from_slice(&v.to_le_bytes());
            }
        }
        s.serialize_str(&crate::b64::encode(&b))
    }

    /// Decode (a malformed string is an empty summary).
    pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<MapSummary, D::Error> {
        let b = crate::b64::decode(&String::deserialize(d)?).unwrap_or_default();
        let nodes = b.get(28..).unwrap_or_default().chunks_exact(NODE_BYTES);
        Ok(MapSummary {
            rows: u32_at(&b, 0),
            runs: u64_at(&b, 4),
            blocks: u64_at(&b, 12),
            meta: u64_at(&b, 20),
            nodes: nodes
                .map(|n| NodeRows {
                    first: u32_at(n, 0),
                    count: u32_at(n, 4),
                    cut: u32_at(n, 8),
                    hidden: u32_at(n, 12),
                })
                .collect(),
        })
    }
}

/// What the map table's search box asks for: (logical, physical) from
/// `L 1234`, `1234` or `P 5678`.
pub fn parse_query(q: &str) -> Option<(Option<u64>, Option<u64>)> {
    let q = q.trim();
    let (kind, rest) = match q.chars().next()? {
        'l' | 'L' => ('l', &q[1..]),
        'p' | 'P' => ('p', &q[1..]),
        _ => ('l', q),
    };
    let n: u64 = rest.trim().trim_start_matches('#').replace([',', '_', ' '], "").parse().ok()?;
    Some(if kind == 'l' { (Some(n), None) } else { (None, Some(n)) })
}

/// The row holding a block, or the first row after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    /// The row (`None`: no row holds it or comes after it).
    pub row: Option<u32>,
    /// The row holds the block (false: the block is in a hole, `row` is the next one).
    pub exact: bool,
}

struct Built {
    ino: u32,
    rows: Vec<MapRow>,
    /// Rows are in logical order (always, but for a corrupt tree).
    sorted: bool,
    /// Row indices by physical block.
    by_physical: Vec<u32>,
    /// Per node: first row, row count.
    nodes: Vec<(u32, u32)>,
}

fn is_data(item: &MapItem) -> bool {
    matches!(item, MapItem::Extent { .. } | MapItem::Pointers { .. })
}

impl Built {
    fn new(ino: u32, tree: &MapTree) -> Built {
        let mut rows = Vec::new();
        let mut nodes = vec![(0u32, 0u32); tree.nodes.len()];
        // Depth first in on-disk order, as `FileMap::walk` goes: each node's
        // rows are consecutive.
        let mut stack = vec![(0usize, 0usize)];
        while let Some((n, i)) = stack.pop() {
            let Some(node) = tree.nodes.get(n) else { continue };
            if i == 0 {
                nodes[n].0 = rows.len() as u32;
            }
            let Some(item) = node.items.get(i) else { continue };
            stack.push((n, i + 1));
            let row = |logical, physical, len, unwritten| MapRow {
                logical,
                physical,
                len,
                unwritten,
                node: n as u32,
                block: node.block,
                level: node.level,
            };
            match *item {
                MapItem::Extent { logical, physical, len, unwritten, .. } => {
                    rows.push(row(logical, physical, len, unwritten));
                    nodes[n].1 += 1;
                }
                MapItem::Pointers { logical, physical, len, .. } => {
                    rows.push(row(logical, physical, len, false));
                    nodes[n].1 += 1;
                }
                // Children come after their parents: anything else is a cycle.
                MapItem::Index { child: Some(c), .. } | MapItem::Indirect { child: Some(c), .. }
                    if (c as usize) > n =>
                {
                    stack.push((c as usize, 0));
                }
                _ => {}
            }
        }
        let sorted = rows.windows(2).all(|w| w[0].logical <= w[1].logical);
        let mut by_physical: Vec<u32> = (0..rows.len() as u32).collect();
        by_physical.sort_by_key(|&i| rows[i as usize].physical);
        Built { ino, rows, sorted, by_physical, nodes }
    }

    fn find_logical(&self, l: u64) -> Found {
        if self.sorted {
            let i = self.rows.partition_point(|r| r.logical.saturating_add(r.len) <= l);
            return match self.rows.get(i) {
                Some(r) => Found { row: Some(i as u32), exact: r.holds_logical(l) },
                None => Found { row: None, exact: false },
            };
        }
        if let Some(i) = self.rows.iter().position(|r| r.holds_logical(l)) {
            return Found { row: Some(i as u32), exact: true };
        }
        let next = self.rows.iter().enumerate().filter(|(_, r)| r.logical > l).min_by_key(|(_, r)| r.logical);
        Found { row: next.map(|(i, _)| i as u32), exact: false }
    }

    fn find_physical(&self, p: u64) -> Found {
        let k = self.by_physical.partition_point(|&i| self.rows[i as usize].physical <= p);
        // The run starting last at or before p holds it, unless runs overlap
        // (a corrupt map): then look at all of them.
        if let Some(&i) = k.checked_sub(1).and_then(|k| self.by_physical.get(k)) {
            if self.rows[i as usize].holds_physical(p) {
                return Found { row: Some(i), exact: true };
            }
        }
        if let Some(i) = self.rows.iter().position(|r| r.holds_physical(p)) {
            return Found { row: Some(i as u32), exact: true };
        }
        Found { row: self.by_physical.get(k).copied(), exact: false }
    }
}

/// The maps of the last few inodes asked about (of the current state).
#[derive(Default)]
pub struct FileMaps {
    kept: VecDeque<Built>,
}

impl FileMaps {
    fn get(&mut self, fs: &Fs, ino: u32) -> Result<&Built, WorkerError> {
        if let Some(i) = self.kept.iter().position(|b| b.ino == ino) {
            let b = self.kept.remove(i).expect("present");
            self.kept.push_front(b);
        } else {
            let map = fs.file_map(&fs.inode(ino)?);
            self.keep(Built::new(ino, &map.tree));
        }
        Ok(&self.kept[0])
    }

    fn keep(&mut self, b: Built) {
        self.kept.retain(|k| k.ino != b.ino);
        self.kept.push_front(b);
        self.kept.truncate(KEPT);
    }

    /// Build (again) the map of the inode `report` is of, keep it, and cut
    /// the report's tree, runs and map block list to what a page draws.
    pub fn inode(&mut self, report: &mut InodeReport) -> MapSummary {
        let built = Built::new(report.ino, &report.tree);
        let mut summary = MapSummary {
            rows: built.rows.len() as u32,
            runs: report.data.len() as u64,
            blocks: report.data.iter().fold(0u64, |a, r| a.saturating_add(r.len)),
            meta: report.metadata.len() as u64,
            nodes: Vec::with_capacity(report.tree.nodes.len()),
        };
        for (n, node) in report.tree.nodes.iter_mut().enumerate() {
            let (first, count) = built.nodes[n];
            let data = node.items.iter().filter(|i| is_data(i)).count();
            let mut rows = NodeRows { first, count, cut: 0, hidden: 0 };
            if data > TREE_HEAD + TREE_TAIL {
                let mut d = 0;
                let mut kept = Vec::with_capacity(node.items.len() - data + TREE_HEAD + TREE_TAIL);
                for item in node.items.drain(..) {
                    if !is_data(&item) {
                        kept.push(item);
                        continue;
                    }
                    if d == TREE_HEAD {
                        rows.cut = kept.len() as u32;
                    }
                    if d < TREE_HEAD || d >= data - TREE_TAIL {
                        kept.push(item);
                    }
                    d += 1;
                }
                rows.hidden = (data - TREE_HEAD - TREE_TAIL) as u32;
                node.items = kept;
            }
            summary.nodes.push(rows);
        }
        report.data.truncate(STRIP_RUNS);
        report.metadata.truncate(LISTED_META);
        self.keep(built);
        summary
    }

    /// Rows `start..start + count` (at most [`MAX_MAP_PAGE`]) of inode `ino`'s table.
    pub fn page(&mut self, fs: &Fs, ino: u32, start: u32, count: u32) -> Result<MapPage, WorkerError> {
        let b = self.get(fs, ino)?;
        let total = b.rows.len() as u32;
        let start = start.min(total);
        let end = start.saturating_add(count.min(MAX_MAP_PAGE)).min(total);
        Ok(MapPage { ino, total, start, rows: b.rows[start as usize..end as usize].to_vec() })
    }

    /// The row holding logical block `logical` or physical block `physical`
    /// (the first given), or the row after it.
    pub fn find(
        &mut self,
        fs: &Fs,
        ino: u32,
        logical: Option<u64>,
        physical: Option<u64>,
    ) -> Result<Found, WorkerError> {
        let b = self.get(fs, ino)?;
        Ok(match (logical, physical) {
            (Some(l), _) => b.find_logical(l),
            (None, Some(p)) => b.find_physical(p),
            (None, None) => Found { row: None, exact: false },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::parse_query;

    #[test]
    fn search_box_queries() {
        assert_eq!(parse_query("1234"), Some((Some(1234), None)));
        assert_eq!(parse_query(" L 1,234 "), Some((Some(1234), None)));
        assert_eq!(parse_query("l7"), Some((Some(7), None)));
        assert_eq!(parse_query("P 5678"), Some((None, Some(5678))));
        assert_eq!(parse_query("p#9"), Some((None, Some(9))));
        assert_eq!(parse_query("x"), None);
        assert_eq!(parse_query(""), None);
        assert_eq!(parse_query("P"), None);
    }
}
