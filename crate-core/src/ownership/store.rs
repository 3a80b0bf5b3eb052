//! The bit store and the run store behind an [`OwnershipMap`].

use alloc::boxed::Box;
use alloc::vec;
use alloc::vec::Vec;

use super::OwnerKind;

// ---------------------------------------------------------------------------
// Bitsets
// ---------------------------------------------------------------------------

const CHUNK_WORDS: usize = 512;
const CHUNK_BITS: u64 = (CHUNK_WORDS as u64) * 64;

/// A bitset allocated in 4 KiB chunks on first write (sparse file systems stay small).
#[derive(Debug, Clone, Default)]
pub(super) struct Bits {
    chunks: Vec<Option<Box<[u64]>>>,
    pub(super) len: u64,
}

impl Bits {
    pub(super) fn new(len: u64) -> Bits {
        let n = usize::try_from(len.div_ceil(CHUNK_BITS)).unwrap_or(0);
        let mut chunks = Vec::new();
        chunks.resize_with(n, || None);
        Bits { chunks, len }
    }

    fn word(&self, w: u64) -> u64 {
        let c = (w / CHUNK_WORDS as u64) as usize;
        match self.chunks.get(c) {
            Some(Some(ch)) => ch.get((w % CHUNK_WORDS as u64) as usize).copied().unwrap_or(0),
            _ => 0,
        }
    }

    /// OR `mask` into word `w`; returns the bits of `mask` that were already set.
    pub(super) fn or_word(&mut self, w: u64, mask: u64) -> u64 {
        let c = (w / CHUNK_WORDS as u64) as usize;
        let Some(slot) = self.chunks.get_mut(c) else { return 0 };
        let ch = slot.get_or_insert_with(|| vec![0u64; CHUNK_WORDS].into_boxed_slice());
        match ch.get_mut((w % CHUNK_WORDS as u64) as usize) {
            Some(x) => {
                let old = *x & mask;
                *x |= mask;
                old
            }
            None => 0,
        }
    }

    pub(super) fn get(&self, i: u64) -> bool {
        i < self.len && self.word(i / 64) & (1 << (i % 64)) != 0
    }

    pub(super) fn is_empty(&self) -> bool {
        self.chunks.iter().all(|c| c.as_ref().is_none_or(|c| c.iter().all(|&w| w == 0)))
    }

    /// Mask of bits `[start, end)` within word `w`.
    pub(super) fn mask(w: u64, start: u64, end: u64) -> u64 {
        let lo = (w * 64).max(start) - w * 64;
        let hi = ((w + 1) * 64).min(end) - w * 64;
        if hi <= lo {
            return 0;
        }
        if hi - lo == 64 {
            u64::MAX
        } else {
            ((1u64 << (hi - lo)) - 1) << lo
        }
    }

    pub(super) fn count_range(&self, start: u64, end: u64) -> u64 {
        let end = end.min(self.len);
        if start >= end {
            return 0;
        }
        let mut n = 0u64;
        let mut w = start / 64;
        while w * 64 < end {
            // Skip unallocated chunks quickly.
            let c = (w / CHUNK_WORDS as u64) as usize;
            if matches!(self.chunks.get(c), Some(None)) {
                w = (c as u64 + 1) * CHUNK_WORDS as u64;
                continue;
            }
            n += u64::from((self.word(w) & Self::mask(w, start, end)).count_ones());
            w += 1;
        }
        n
    }

    /// First set bit in `[from, end)`.
    pub(super) fn next_set(&self, from: u64, end: u64) -> Option<u64> {
        let end = end.min(self.len);
        let mut w = from / 64;
        while w * 64 < end {
            let c = (w / CHUNK_WORDS as u64) as usize;
            if matches!(self.chunks.get(c), Some(None)) {
                w = (c as u64 + 1) * CHUNK_WORDS as u64;
                continue;
            }
            let m = self.word(w) & Self::mask(w, from, end);
            if m != 0 {
                return Some(w * 64 + u64::from(m.trailing_zeros()));
            }
            w += 1;
        }
        None
    }

    /// First clear bit in `[from, end)`, or `end`.
    pub(super) fn next_clear(&self, from: u64, end: u64) -> u64 {
        let end = end.min(self.len);
        let mut w = from / 64;
        while w * 64 < end {
            let m = !self.word(w) & Self::mask(w, from, end);
            if m != 0 {
                return w * 64 + u64::from(m.trailing_zeros());
            }
            w += 1;
        }
        end.max(from)
    }

    /// Bits `[i, i + 64)` as a word (bit 0 = bit `i`); bits past the end read 0.
    pub(super) fn bits64(&self, i: u64) -> u64 {
        let w = i / 64;
        let s = i % 64;
        if s == 0 {
            self.word(w)
        } else {
            (self.word(w) >> s) | (self.word(w + 1) << (64 - s))
        }
    }

    pub(super) fn clear_range(&mut self, start: u64, end: u64) {
        let end = end.min(self.len);
        let mut w = start / 64;
        while w * 64 < end {
            let c = (w / CHUNK_WORDS as u64) as usize;
            if let Some(Some(ch)) = self.chunks.get_mut(c) {
                if let Some(x) = ch.get_mut((w % CHUNK_WORDS as u64) as usize) {
                    *x &= !Self::mask(w, start, end);
                }
            }
            w += 1;
        }
    }

    pub(super) fn heap_bytes(&self) -> usize {
        self.chunks.len() * 8 + self.chunks.iter().flatten().count() * CHUNK_WORDS * 8
    }
}

// ---------------------------------------------------------------------------
// Run records
// ---------------------------------------------------------------------------

/// A run of claimed blocks (internal record, 24 bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Run {
    /// Blocks.
    pub(super) len: u32,
    /// Inode number, or first group for layout metadata.
    pub(super) id: u32,
    /// Logical block of the first block (data), or level (block maps), or the index
    /// of the first block within its structure (descriptor tables, inode tables).
    pub(super) logical: u32,
    pub(super) kind: OwnerKind,
    /// `RUN_UNWRITTEN`.
    pub(super) flags: u8,
}

pub(super) const RUN_UNWRITTEN: u8 = 1;

/// Longest run record. Finding what covers a block looks back this far, so a
/// query costs the runs of at most 32768 blocks, whatever the file sizes.
pub(super) const MAX_RUN: u64 = 1 << 15;

/// Key: (first block, insertion number) so several runs may start at one block.
pub(super) type RunKey = (u64, u64);

/// Run records, sorted for queries: a few sorted levels of geometrically
/// decreasing size (merged like a binary counter, so adding `n` runs costs
/// `O(n log n)` in all) and an unsorted tail that [`RunStore::compact`] sorts
/// into a level when someone looks (between scan steps, or at the end). A scan
/// adds runs in inode order, not block order: adding stays cheap, and partial
/// results stay queryable.
#[derive(Debug, Clone, Default)]
pub(super) struct RunStore {
    levels: Vec<Vec<(RunKey, Run)>>,
    tail: Vec<(RunKey, Run)>,
    len: usize,
}

impl RunStore {
    pub(super) fn len(&self) -> usize {
        self.len
    }

    pub(super) fn insert(&mut self, k: RunKey, r: Run) {
        self.tail.push((k, r));
        self.len += 1;
    }

    /// Sort the tail into the levels.
    pub(super) fn compact(&mut self) {
        if self.tail.is_empty() {
            return;
        }
        let mut t = core::mem::take(&mut self.tail);
        t.sort_unstable_by_key(|e| e.0);
        self.levels.push(t);
        while self.levels.len() >= 2 {
            let n = self.levels.len();
            let (a, b) = (self.levels[n - 2].len(), self.levels[n - 1].len());
            if a > 2 * b {
                break;
            }
            let (Some(y), Some(mut x)) = (self.levels.pop(), self.levels.pop()) else { break };
            if x.last().map(|e| e.0) <= y.first().map(|e| e.0) {
                // Disjoint and in order (runs added in block order): concatenate.
                x.extend_from_slice(&y);
                self.levels.push(x);
                continue;
            }
            let mut m = Vec::with_capacity(x.len() + y.len());
            let (mut i, mut j) = (0, 0);
            while let (Some(p), Some(q)) = (x.get(i), y.get(j)) {
                if p.0 <= q.0 {
                    m.push(*p);
                    i += 1;
                } else {
                    m.push(*q);
                    j += 1;
                }
            }
            m.extend_from_slice(x.get(i..).unwrap_or(&[]));
            m.extend_from_slice(y.get(j..).unwrap_or(&[]));
            self.levels.push(m);
        }
    }

    pub(super) fn get_mut(&mut self, k: &RunKey) -> Option<&mut Run> {
        if let Some(e) = self.tail.iter_mut().find(|e| e.0 == *k) {
            return Some(&mut e.1);
        }
        for l in self.levels.iter_mut() {
            if let Ok(i) = l.binary_search_by_key(k, |e| e.0) {
                return l.get_mut(i).map(|e| &mut e.1);
            }
        }
        None
    }

    /// Every run, in no particular order.
    pub(super) fn iter(&self) -> impl Iterator<Item = &(RunKey, Run)> {
        self.levels.iter().flatten().chain(self.tail.iter())
    }

    /// Runs with keys in `[lo, hi)`, in key order.
    pub(super) fn range(&self, lo: RunKey, hi: RunKey) -> MergeIter<'_> {
        let mut cursors: Vec<&[(RunKey, Run)]> = Vec::with_capacity(self.levels.len());
        for l in &self.levels {
            let a = l.partition_point(|e| e.0 < lo);
            let b = l.partition_point(|e| e.0 < hi);
            if let Some(sl) = l.get(a..b) {
                if !sl.is_empty() {
                    cursors.push(sl);
                }
            }
        }
        let mut extra: Vec<(RunKey, Run)> =
            self.tail.iter().filter(|e| e.0 >= lo && e.0 < hi).copied().collect();
        extra.sort_unstable_by_key(|e| e.0);
        MergeIter { cursors, extra, extra_pos: 0 }
    }

    /// Runs starting at or before `hi` (exclusive key) and not before `floor`, in
    /// descending key order: for finding what covers a block.
    pub(super) fn covering(&self, floor: u64, hi: RunKey) -> Vec<(RunKey, Run)> {
        let mut v: Vec<(RunKey, Run)> = self.range((floor, 0), hi).collect();
        v.reverse();
        v
    }
}

/// Key-ordered merge of sorted slices.
pub(super) struct MergeIter<'a> {
    cursors: Vec<&'a [(RunKey, Run)]>,
    extra: Vec<(RunKey, Run)>,
    extra_pos: usize,
}

impl Iterator for MergeIter<'_> {
    type Item = (RunKey, Run);
    fn next(&mut self) -> Option<(RunKey, Run)> {
        let mut best: Option<(usize, RunKey)> = None;
        for (i, c) in self.cursors.iter().enumerate() {
            if let Some(e) = c.first() {
                if best.is_none_or(|b| e.0 < b.1) {
                    best = Some((i, e.0));
                }
            }
        }
        let extra = self.extra.get(self.extra_pos);
        match (best, extra) {
            (Some((_, k)), Some(x)) if x.0 < k => {
                self.extra_pos += 1;
                Some(*x)
            }
            (None, Some(x)) => {
                self.extra_pos += 1;
                Some(*x)
            }
            (Some((i, _)), _) => {
                let c = self.cursors.get_mut(i)?;
                let (first, rest) = c.split_first()?;
                *c = rest;
                Some(*first)
            }
            (None, None) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bitset_ranges() {
        let mut b = Bits::new(200_000);
        for w in 0..3 {
            b.or_word(w, u64::MAX);
        }
        assert_eq!(b.count_range(0, 200_000), 192);
        assert_eq!(b.count_range(10, 130), 120);
        assert_eq!(b.next_set(192, 200_000), None);
        assert_eq!(b.next_clear(5, 200_000), 192);
        assert_eq!(b.bits64(190), 0b11);
        b.clear_range(64, 128);
        assert_eq!(b.count_range(0, 200_000), 128);
        assert!(!b.get(100) && b.get(130));
        assert!(b.next_set(64, 128).is_none());
    }
}
