//! The one path for bytes: [`ReadAt`] → [`BlockCache`] → (overlay, see `overlay.rs`).
//!
//! The core does no I/O itself. A host (browser worker, CLI, test) hands it a
//! [`ReadAt`]; every read of the image goes through [`BlockCache`], the single
//! bounds-checked choke point, which coalesces neighbouring block reads into one
//! host read and counts reads and bytes.

use alloc::boxed::Box;
use alloc::collections::BTreeMap;
use alloc::format;
use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use core::cell::RefCell;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// A host read failed or asked for bytes outside the image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IoError {
    /// Byte offset of the read.
    pub offset: u64,
    /// Length of the read.
    pub len: u64,
    /// What went wrong, in words.
    pub message: String,
}

/// Random-access, read-only byte source: the only thing a host must provide.
// An image source is never "empty" in a useful sense: `len` is its size.
#[allow(clippy::len_without_is_empty)]
pub trait ReadAt {
    /// Length of the image in bytes.
    fn len(&self) -> u64;
    /// Fill `buf` from byte `offset`. The cache never asks past `len()`.
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> core::result::Result<(), IoError>;
}

impl ReadAt for Vec<u8> {
    fn len(&self) -> u64 {
        self.as_slice().len() as u64
    }
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> core::result::Result<(), IoError> {
        self.as_slice().read_at(offset, buf)
    }
}

impl ReadAt for &[u8] {
    fn len(&self) -> u64 {
        <[u8]>::len(self) as u64
    }
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> core::result::Result<(), IoError> {
        let start = usize::try_from(offset).ok();
        let src =
            start.and_then(|s| s.checked_add(buf.len()).map(|e| (s, e))).and_then(|(s, e)| self.get(s..e));
        match src {
            Some(src) => {
                buf.copy_from_slice(src);
                Ok(())
            }
            None => Err(IoError {
                offset,
                len: buf.len() as u64,
                message: String::from("read past the end of the buffer"),
            }),
        }
    }
}

impl ReadAt for Rc<[u8]> {
    fn len(&self) -> u64 {
        <[u8]>::len(self) as u64
    }
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> core::result::Result<(), IoError> {
        (&self[..]).read_at(offset, buf)
    }
}

/// I/O counters, so tests and benchmarks can see what was read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IoStats {
    /// Number of host reads (`ReadAt::read_at` calls).
    pub reads: u64,
    /// Bytes read from the host.
    pub bytes: u64,
    /// Block requests answered from the cache.
    pub hits: u64,
    /// Block requests that needed a host read.
    pub misses: u64,
}

/// A block shared out of the cache (or an overlay). Cheap to clone.
pub type Block = Rc<[u8]>;

struct Inner {
    /// block number -> (data, last-use tick)
    map: BTreeMap<u64, (Block, u64)>,
    /// last-use tick -> block number (LRU order)
    lru: BTreeMap<u64, u64>,
    tick: u64,
    stats: IoStats,
}

/// Default cache budget in bytes.
pub const DEFAULT_CACHE_BYTES: usize = 32 << 20;

/// The single bounds-checked choke point for image reads.
pub struct BlockCache {
    src: Box<dyn ReadAt>,
    image_len: u64,
    block_size: u32,
    /// Blocks past this number are outside the file system (from the superblock).
    fs_blocks: u64,
    capacity: core::cell::Cell<usize>,
    inner: RefCell<Inner>,
}

impl core::fmt::Debug for BlockCache {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("BlockCache")
            .field("image_len", &self.image_len)
            .field("block_size", &self.block_size)
            .finish()
    }
}

impl BlockCache {
    /// Wrap a host source. Block size starts at 1024 until [`Self::set_geometry`].
    pub fn new(src: Box<dyn ReadAt>) -> Self {
        let image_len = src.len();
        BlockCache {
            src,
            image_len,
            block_size: 1024,
            fs_blocks: u64::MAX,
            capacity: core::cell::Cell::new(DEFAULT_CACHE_BYTES / 1024),
            inner: RefCell::new(Inner {
                map: BTreeMap::new(),
                lru: BTreeMap::new(),
                tick: 0,
                stats: IoStats::default(),
            }),
        }
    }

    /// Set the block size and the file system's block count (from the superblock).
    /// Drops anything cached under the old block size.
    pub fn set_geometry(&mut self, block_size: u32, fs_blocks: u64) {
        self.block_size = block_size.max(1);
        self.fs_blocks = fs_blocks;
        self.capacity.set((DEFAULT_CACHE_BYTES / self.block_size as usize).max(16));
        let mut inner = self.inner.borrow_mut();
        inner.map.clear();
        inner.lru.clear();
    }

    /// Set the cache budget in bytes (blocks beyond it are evicted as the
    /// next ones come in). A shared cache can be given a smaller budget for a
    /// streaming job, e.g. a whole-disk scan that reads each block once.
    pub fn set_budget(&self, bytes: usize) {
        self.capacity.set((bytes / self.block_size as usize).max(16));
    }

    /// Image length in bytes.
    pub fn image_len(&self) -> u64 {
        self.image_len
    }

    /// Current block size.
    pub fn block_size(&self) -> u32 {
        self.block_size
    }

    /// I/O counters so far.
    pub fn stats(&self) -> IoStats {
        self.inner.borrow().stats
    }

    /// Read raw bytes (not cached). Used before the block size is known and for
    /// records that straddle blocks. Bounds-checked against the image length.
    pub fn read_bytes(&self, offset: u64, len: usize) -> Result<Vec<u8>> {
        self.check_range(offset, len as u64)?;
        let mut buf = vec![0u8; len];
        self.host_read(offset, &mut buf)?;
        Ok(buf)
    }

    /// Fill `buf` with the bytes at `offset` (not cached): [`Self::read_bytes`]
    /// into a buffer the caller reuses. Bounds-checked against the image length.
    pub fn read_into(&self, offset: u64, buf: &mut [u8]) -> Result<()> {
        self.check_range(offset, buf.len() as u64)?;
        self.host_read(offset, buf)
    }

    fn check_range(&self, offset: u64, len: u64) -> Result<()> {
        match offset.checked_add(len) {
            Some(end) if end <= self.image_len => Ok(()),
            _ => Err(Error::Io(IoError {
                offset,
                len,
                message: format!(
                    "read of {len} bytes at byte {offset} is past the end of the image ({} bytes); is the image truncated?",
                    self.image_len
                ),
            })),
        }
    }

    fn host_read(&self, offset: u64, buf: &mut [u8]) -> Result<()> {
        {
            let mut inner = self.inner.borrow_mut();
            inner.stats.reads += 1;
            inner.stats.bytes += buf.len() as u64;
        }
        self.src.read_at(offset, buf).map_err(Error::Io)
    }

    fn check_block(&self, blk: u64) -> Result<u64> {
        if blk >= self.fs_blocks {
            return Err(Error::Io(IoError {
                offset: blk.saturating_mul(u64::from(self.block_size)),
                len: u64::from(self.block_size),
                message: format!("block {blk} is outside the file system ({} blocks)", self.fs_blocks),
            }));
        }
        let off = blk.checked_mul(u64::from(self.block_size)).ok_or_else(|| {
            Error::Io(IoError {
                offset: u64::MAX,
                len: 0,
                message: format!("block {blk} has no byte offset (overflow)"),
            })
        })?;
        self.check_range(off, u64::from(self.block_size))?;
        Ok(off)
    }

    fn touch(inner: &mut Inner, blk: u64) -> Option<Block> {
        let tick = inner.tick;
        let (data, old) = {
            let e = inner.map.get_mut(&blk)?;
            let old = e.1;
            e.1 = tick;
            (e.0.clone(), old)
        };
        inner.tick += 1;
        inner.lru.remove(&old);
        inner.lru.insert(tick, blk);
        inner.stats.hits += 1;
        Some(data)
    }

    fn insert(&self, inner: &mut Inner, blk: u64, data: Block) {
        let tick = inner.tick;
        inner.tick += 1;
        if let Some((_, old)) = inner.map.insert(blk, (data, tick)) {
            inner.lru.remove(&old);
        }
        inner.lru.insert(tick, blk);
        while inner.map.len() > self.capacity.get() {
            let Some((&t, &b)) = inner.lru.iter().next() else {
                break;
            };
            inner.lru.remove(&t);
            inner.map.remove(&b);
        }
    }

    /// One block, through the cache.
    pub fn block(&self, blk: u64) -> Result<Block> {
        if let Some(b) = Self::touch(&mut self.inner.borrow_mut(), blk) {
            return Ok(b);
        }
        let mut v = self.blocks(blk, 1)?;
        v.pop().ok_or_else(|| Error::internal("empty block run"))
    }

    /// `count` consecutive blocks. Missing neighbours are fetched with one host
    /// read per run, so a table scan costs one read, not one per block.
    pub fn blocks(&self, start: u64, count: u64) -> Result<Vec<Block>> {
        let end = start.checked_add(count).ok_or_else(|| Error::internal("block range overflows"))?;
        // Validate the whole range first: the choke point.
        if count > 0 {
            self.check_block(start)?;
            self.check_block(end - 1)?;
        }
        let bs = self.block_size as usize;
        let mut out: Vec<Option<Block>> = Vec::new();
        {
            let mut inner = self.inner.borrow_mut();
            for b in start..end {
                out.push(Self::touch(&mut inner, b));
            }
        }
        let mut i = 0usize;
        while i < out.len() {
            if out[i].is_some() {
                i += 1;
                continue;
            }
            let mut j = i;
            while j < out.len() && out[j].is_none() {
                j += 1;
            }
            // Host read of blocks start+i .. start+j, capped to 4 MiB per read.
            let max_run = ((4usize << 20) / bs).max(1);
            let mut k = i;
            while k < j {
                let n = (j - k).min(max_run);
                let first = start + k as u64;
                let off = self.check_block(first)?;
                let mut buf = vec![0u8; n * bs];
                self.host_read(off, &mut buf)?;
                let mut inner = self.inner.borrow_mut();
                inner.stats.misses += n as u64;
                for (m, chunk) in buf.chunks_exact(bs).enumerate() {
                    let data: Block = Rc::from(chunk);
                    self.insert(&mut inner, first + m as u64, data.clone());
                    out[k + m] = Some(data);
                }
                k += n;
            }
            i = j;
        }
        out.into_iter().map(|b| b.ok_or_else(|| Error::internal("block run not filled"))).collect()
    }

    /// True when block `blk` is in the cache (no counters touched).
    pub fn is_cached(&self, blk: u64) -> bool {
        self.inner.borrow().map.contains_key(&blk)
    }

    /// Warm the cache with a run of blocks (errors are left for the real read).
    pub fn prefetch(&self, start: u64, count: u64) {
        let _ = self.blocks(start, count);
    }
}
