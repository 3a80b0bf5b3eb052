//! Copy-on-write blocks over the image: journal replay and simulated operations
//! write here, never to the user's file. "The image as of point N" is an
//! [`Image`] with a different overlay.

use alloc::collections::BTreeMap;
use alloc::rc::Rc;
use alloc::vec::Vec;

use crate::error::Result;
use crate::io::{Block, BlockCache, IoStats};

/// Blocks that replace the image's blocks.
#[derive(Debug, Clone, Default)]
pub struct Overlay {
    blocks: BTreeMap<u64, Block>,
}

impl Overlay {
    /// An empty overlay (the image as it is).
    pub fn new() -> Self {
        Self::default()
    }
    /// Replace block `blk`.
    pub fn write(&mut self, blk: u64, data: Block) {
        self.blocks.insert(blk, data);
    }
    /// The overlay's copy of `blk`, if any.
    pub fn get(&self, blk: u64) -> Option<&Block> {
        self.blocks.get(&blk)
    }
    /// Block numbers written, ascending.
    pub fn written(&self) -> impl Iterator<Item = u64> + '_ {
        self.blocks.keys().copied()
    }
    /// Number of blocks written.
    pub fn len(&self) -> usize {
        self.blocks.len()
    }
    /// True when nothing is written.
    pub fn is_empty(&self) -> bool {
        self.blocks.is_empty()
    }
}

/// A readable state of the image: the cached base plus an optional overlay.
/// Every parser reads through this, so it works the same on the original and on
/// any replayed or simulated state.
#[derive(Debug, Clone)]
pub struct Image {
    cache: Rc<BlockCache>,
    overlay: Option<Rc<Overlay>>,
}

impl Image {
    /// The image as it is on disk.
    pub fn new(cache: Rc<BlockCache>) -> Self {
        Image { cache, overlay: None }
    }
    /// The same base with an overlay on top.
    pub fn with_overlay(&self, overlay: Rc<Overlay>) -> Self {
        Image { cache: self.cache.clone(), overlay: Some(overlay) }
    }
    /// The overlay, if any.
    pub fn overlay(&self) -> Option<&Rc<Overlay>> {
        self.overlay.as_ref()
    }
    /// The shared cache.
    pub fn cache(&self) -> &Rc<BlockCache> {
        &self.cache
    }
    /// Block size in bytes.
    pub fn block_size(&self) -> u32 {
        self.cache.block_size()
    }
    /// Image length in bytes.
    pub fn len(&self) -> u64 {
        self.cache.image_len()
    }
    /// True for an empty image.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// I/O counters.
    pub fn stats(&self) -> IoStats {
        self.cache.stats()
    }
    /// One block as of this state.
    pub fn block(&self, blk: u64) -> Result<Block> {
        if let Some(b) = self.overlay.as_ref().and_then(|o| o.get(blk)) {
            return Ok(b.clone());
        }
        self.cache.block(blk)
    }
    /// Consecutive blocks as of this state (base reads coalesced).
    pub fn blocks(&self, start: u64, count: u64) -> Result<Vec<Block>> {
        let mut v = self.cache.blocks(start, count)?;
        if let Some(o) = &self.overlay {
            for (i, b) in v.iter_mut().enumerate() {
                if let Some(ob) = o.get(start + i as u64) {
                    *b = ob.clone();
                }
            }
        }
        Ok(v)
    }
    /// Raw bytes at an offset, as of this state (overlay blocks patched in).
    pub fn read_bytes(&self, offset: u64, len: usize) -> Result<Vec<u8>> {
        let mut buf = self.cache.read_bytes(offset, len)?;
        self.patch(offset, &mut buf);
        Ok(buf)
    }
    /// [`Self::read_bytes`] into a buffer the caller owns (and may reuse).
    pub fn read_into(&self, offset: u64, buf: &mut [u8]) -> Result<()> {
        self.cache.read_into(offset, buf)?;
        self.patch(offset, buf);
        Ok(())
    }
    /// Copy the overlay's blocks over `buf`, the bytes read at `offset`.
    fn patch(&self, offset: u64, buf: &mut [u8]) {
        let Some(o) = &self.overlay else { return };
        if buf.is_empty() {
            return;
        }
        let bs = u64::from(self.block_size());
        let end = offset.saturating_add(buf.len() as u64);
        let first = offset / bs;
        let last = end.saturating_sub(1) / bs;
        for (blk, data) in o.blocks.range(first..=last) {
            let bstart = blk * bs;
            let from = offset.max(bstart);
            let to = end.min(bstart + bs);
            if from >= to {
                continue;
            }
            let (d0, d1) = ((from - bstart) as usize, (to - bstart) as usize);
            let (b0, b1) = ((from - offset) as usize, (to - offset) as usize);
            if let (Some(dst), Some(src)) = (buf.get_mut(b0..b1), data.get(d0..d1)) {
                dst.copy_from_slice(src);
            }
        }
    }
}
