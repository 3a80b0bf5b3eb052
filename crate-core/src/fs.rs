//! Opening a file system: superblock, geometry and group descriptors, read once
//! through an [`Image`] so the same code opens the original or any overlay state.

use alloc::boxed::Box;
use alloc::format;
use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec::Vec;

use crate::error::{Error, Location, Problem, Result, Severity};
use crate::format::features::*;
use crate::format::group_desc::{
    desc_checksum, flag_names, ChecksumKind, ChecksumStatus, Group, GroupDescRaw, BG_BLOCK_UNINIT,
    BG_CHECKSUM_OFFSET, BG_INODE_UNINIT,
};
use crate::format::superblock::*;
use crate::io::{Block, BlockCache, ReadAt};
use crate::layout::Geometry;
use crate::overlay::{Image, Overlay};

/// An opened ext4 file system (one state of the image).
#[derive(Debug, Clone)]
pub struct Fs {
    image: Image,
    /// The superblock's 1024 bytes as read.
    pub sb_raw: Vec<u8>,
    /// The decoded superblock.
    pub sb: Superblock,
    /// Validated geometry.
    pub geo: Geometry,
    /// Problems found while opening.
    pub problems: Vec<Problem>,
    /// The block of the backup superblock this view was opened from
    /// ([`Fs::at_superblock`]), `None` for the primary.
    pub backup_superblock: Option<u64>,
    /// Every group descriptor was checked and its problems are in
    /// [`Fs::problems`] (at open when the table has at most
    /// [`EAGER_DESCRIPTOR_BLOCKS`] blocks, else by [`Fs::check_all_descriptors`]).
    pub descriptors_checked: bool,
}

/// Descriptor tables of at most this many blocks are checked at open (256
/// KiB to 16 MiB of descriptors); bigger ones when asked, so that any image
/// opens with a few reads (a meta_bg table of 131,072 groups is 8,192 blocks
/// spread over the disk).
pub const EAGER_DESCRIPTOR_BLOCKS: u64 = 256;

/// Say what a non-ext4 file looks like, from its first bytes.
fn sniff(head: &[u8], at_1080: Option<u16>) -> Option<&'static str> {
    let starts = |sig: &[u8]| head.starts_with(sig);
    let at = |off: usize, sig: &[u8]| head.get(off..off + sig.len()) == Some(sig);
    Some(if starts(b"\x89PNG\r\n\x1a\n") {
        "a PNG image"
    } else if starts(&[0xFF, 0xD8, 0xFF]) {
        "a JPEG image"
    } else if starts(b"GIF8") {
        "a GIF image"
    } else if starts(b"%PDF") {
        "a PDF document"
    } else if starts(&[0x1F, 0x8B]) {
        "gzip-compressed data: decompress it first (gunzip)"
    } else if starts(&[0xFD, b'7', b'z', b'X', b'Z', 0]) {
        "xz-compressed data: decompress it first (unxz)"
    } else if starts(&[0x28, 0xB5, 0x2F, 0xFD]) {
        "zstd-compressed data: decompress it first (unzstd)"
    } else if starts(b"BZh") {
        "bzip2-compressed data: decompress it first (bunzip2)"
    } else if starts(b"PK\x03\x04") {
        "a ZIP archive: extract the image first"
    } else if starts(b"QFI\xfb") {
        "a qcow2 disk image: convert it first (qemu-img convert -O raw)"
    } else if starts(b"XFSB") {
        "an XFS file system"
    } else if starts(b"hsqs") {
        "a squashfs image"
    } else if at(0x8001, b"CD001") {
        "an ISO 9660 (CD/DVD) image"
    } else if at(3, b"NTFS    ") {
        "an NTFS file system"
    } else if at(0x10040, b"_BHRfS_M") {
        "a btrfs file system"
    } else if at(512, b"EFI PART") {
        "a whole disk with a GPT partition table: extract the ext4 partition first"
    } else if at(510, &[0x55, 0xAA]) && at_1080 != Some(EXT4_MAGIC) {
        "a disk with an MBR partition table (or a FAT file system): extract the ext4 partition first"
    } else if head.iter().all(|&b| b == 0) {
        "all zeros where the superblock should be"
    } else {
        return None;
    })
}

impl Fs {
    /// Open an image from a host source.
    pub fn open(src: Box<dyn ReadAt>) -> Result<Fs> {
        let mut cache = BlockCache::new(src);
        let len = cache.image_len();
        let magic_byte = SUPERBLOCK_OFFSET + MAGIC_OFFSET as u64;
        if len < SUPERBLOCK_OFFSET + 1024 {
            let msg = if len == 0 {
                String::from(
                    "the file is empty (0 bytes); an ext4 image has its superblock at bytes 1024-2047",
                )
            } else {
                format!(
                    "the file is {len} bytes; an ext4 image needs at least 2048 (superblock at bytes 1024-2047)"
                )
            };
            return Err(Error::corrupt("superblock", Location::byte(SUPERBLOCK_OFFSET), msg));
        }
        let raw = cache.read_bytes(SUPERBLOCK_OFFSET, 1024)?;
        let sb = Superblock::parse(&raw);
        if sb.s_magic != EXT4_MAGIC {
            // Read a little more to tell the user what the file is.
            let head_len = len.min(0x10048) as usize;
            let head = cache.read_bytes(0, head_len).unwrap_or_default();
            let what = sniff(&head, Some(sb.s_magic))
                .map(|w| format!(" The file looks like {w}."))
                .unwrap_or_default();
            return Err(Error::corrupt(
                "superblock",
                Location::byte(magic_byte),
                format!(
                    "not an ext2/3/4 file system: expected the magic number 0xEF53 at byte {magic_byte} (superblock offset 0x38), found 0x{:04X}.{what}",
                    sb.s_magic
                ),
            ));
        }
        let geo = Geometry::from_superblock(&sb)
            .map_err(|m| Error::corrupt("superblock", Location::byte(SUPERBLOCK_OFFSET), m))?;
        cache.set_geometry(geo.block_size, geo.blocks_count);
        Fs::open_image(Image::new(Rc::new(cache)))
    }

    /// Open a state of an image whose cache geometry is already set.
    pub fn open_image(image: Image) -> Result<Fs> {
        let sb_raw = image.read_bytes(SUPERBLOCK_OFFSET, 1024)?;
        let sb = Superblock::parse(&sb_raw);
        if sb.s_magic != EXT4_MAGIC {
            return Err(Error::corrupt(
                "superblock",
                Location::byte(SUPERBLOCK_OFFSET + MAGIC_OFFSET as u64),
                format!("magic number is 0x{:04X}, expected 0xEF53", sb.s_magic),
            ));
        }
        let geo = Geometry::from_superblock(&sb)
            .map_err(|m| Error::corrupt("superblock", Location::byte(SUPERBLOCK_OFFSET), m))?;
        let mut fs = Fs {
            image,
            sb_raw,
            sb,
            geo,
            problems: Vec::new(),
            backup_superblock: None,
            descriptors_checked: false,
        };
        fs.check_superblock();
        if geo.descriptor_blocks() <= EAGER_DESCRIPTOR_BLOCKS {
            fs.check_all_descriptors();
        } else {
            fs.problem(
                Severity::Info,
                "group descriptors",
                Location::block(geo.descriptor_block(0), geo.block_size, 0),
                format!(
                    "{} groups: their {} descriptor blocks are read when a view needs them, not at open; each is checked then (ext4scope info and check read them all)",
                    geo.groups_count,
                    geo.descriptor_blocks()
                ),
            );
        }
        Ok(fs)
    }

    /// The same image with an overlay applied ("the image as of point N").
    pub fn with_overlay(&self, overlay: Rc<Overlay>) -> Result<Fs> {
        Fs::open_image(self.image.with_overlay(overlay))
    }

    /// The image state this file system reads.
    pub fn image(&self) -> &Image {
        &self.image
    }

    /// Read a block (bounds-checked, cached, overlay-aware).
    pub fn block(&self, blk: u64) -> Result<Block> {
        self.image.block(blk)
    }

    /// Block size in bytes.
    pub fn block_size(&self) -> u32 {
        self.geo.block_size
    }

    /// Feature words.
    pub fn features(&self) -> Features {
        self.geo.features
    }

    /// The superblock checksum.
    pub fn superblock_checksum(&self) -> ChecksumStatus {
        if self.sb.has_metadata_csum() {
            ChecksumStatus::new(ChecksumKind::Crc32c, self.sb.s_checksum, superblock_checksum(&self.sb_raw))
        } else {
            ChecksumStatus::NONE
        }
    }

    fn problem(&mut self, severity: Severity, structure: impl Into<String>, at: Location, message: String) {
        self.problems.push(Problem { severity, structure: structure.into(), at, message });
    }

    fn check_superblock(&mut self) {
        let at = Location::byte(SUPERBLOCK_OFFSET);
        let cs = self.superblock_checksum();
        if cs.ok == Some(false) {
            self.problem(
                Severity::Error,
                "superblock",
                Location::byte(SUPERBLOCK_OFFSET + CHECKSUM_OFFSET as u64),
                format!(
                    "superblock checksum does not match (stored 0x{:08x}, computed 0x{:08x})",
                    cs.stored, cs.computed
                ),
            );
        }
        let unsupported = self.features().unsupported_incompat();
        if unsupported != 0 {
            let names: Vec<String> = Features { compat: 0, incompat: unsupported, ro_compat: 0 }.names();
            self.problem(
                Severity::Warning,
                "superblock",
                at,
                format!("incompatible features this inspector does not decode: {}; what it can read is still shown", names.join(" ")),
            );
        }
        let need = self.geo.blocks_count.saturating_mul(u64::from(self.geo.block_size));
        if need > self.image.len() {
            self.problem(
                Severity::Warning,
                "image",
                at,
                format!(
                    "the file system claims {} blocks ({need} bytes) but the image is {} bytes: truncated image; blocks past the end read as errors",
                    self.geo.blocks_count,
                    self.image.len()
                ),
            );
        }
        if u64::from(self.sb.s_inodes_count) != self.geo.inodes_count() {
            self.problem(
                Severity::Warning,
                "superblock",
                at,
                format!(
                    "s_inodes_count is {} but {} groups of {} inodes make {}",
                    self.sb.s_inodes_count,
                    self.geo.groups_count,
                    self.geo.inodes_per_group,
                    self.geo.inodes_count()
                ),
            );
        }
    }

    /// Number of block groups.
    pub fn groups_count(&self) -> u32 {
        self.geo.groups_count
    }

    /// Group `g`'s descriptor, read (through the block cache, so as of this
    /// state) and decoded. Descriptors are not kept: a file system of 4M groups
    /// opens in bounded memory and every state reads its own.
    pub fn group(&self, g: u32) -> Result<Group> {
        if g >= self.geo.groups_count {
            return Err(Error::corrupt(
                "group descriptor",
                Location::default().with_group(g),
                format!("group {g} does not exist ({} groups)", self.geo.groups_count),
            ));
        }
        let (blk, off) = self.geo.descriptor_location(g);
        let at = Location::block(blk, self.geo.block_size, off).with_group(g);
        let block = self.image.block(blk).map_err(|e| {
            Error::corrupt("group descriptor", at, format!("group {g} has no readable descriptor: {e}"))
        })?;
        Ok(self.decode_group(g, at, &block, off))
    }

    /// Every group whose descriptor can be read, in order (an unreadable one is
    /// skipped; [`Fs::problems`] says which).
    pub fn groups(&self) -> impl Iterator<Item = Group> + '_ {
        (0..self.geo.groups_count).filter_map(|g| self.group(g).ok())
    }

    fn decode_group(&self, g: u32, at: Location, block: &[u8], off: usize) -> Group {
        let geo = &self.geo;
        let bytes = block.get(off..off + geo.desc_size as usize).unwrap_or(&[]);
        let raw = GroupDescRaw::parse(bytes);
        let checksum = desc_checksum(&self.sb, g, bytes);
        Group {
            index: g,
            at,
            first_block: geo.group_first_block(g),
            last_block: geo.group_last_block(g),
            block_bitmap: raw.block_bitmap(),
            inode_bitmap: raw.inode_bitmap(),
            inode_table: raw.inode_table(),
            free_blocks_count: raw.free_blocks_count(),
            free_inodes_count: raw.free_inodes_count(),
            used_dirs_count: raw.used_dirs_count(),
            itable_unused: raw.itable_unused(),
            flags: raw.bg_flags,
            // Without a group checksum feature, the kernel and e2fsprogs ignore bg_flags.
            flag_names: if checksum.kind == ChecksumKind::None {
                Vec::new()
            } else {
                flag_names(raw.bg_flags)
            },
            block_bitmap_csum: raw.block_bitmap_csum(),
            inode_bitmap_csum: raw.inode_bitmap_csum(),
            checksum,
            raw,
        }
    }

    /// Check every descriptor (checksum, where its bitmaps and table lie),
    /// once: at open for small tables, else when a caller wants them all.
    /// Memory stays bounded on hostile counts: a run of unreadable descriptor
    /// blocks is one problem, and past [`MAX_GROUP_PROBLEMS`] the rest are
    /// counted, not listed.
    pub fn check_all_descriptors(&mut self) {
        if self.descriptors_checked {
            return;
        }
        self.descriptors_checked = true;
        // The note that they were not checked at open goes.
        self.problems.retain(|p| !(p.severity == Severity::Info && p.structure == "group descriptors"));
        let geo = self.geo;
        let mut problems = Vec::new();
        let mut dropped = 0u64;
        let mut listed = 0usize;
        let mut push = |problems: &mut Vec<Problem>, p: Problem| {
            if listed < MAX_GROUP_PROBLEMS {
                listed += 1;
                problems.push(p);
            } else {
                dropped += 1;
            }
        };
        if !geo.features.incompat(INCOMPAT_META_BG) {
            // Classic GDTs are contiguous: warm the cache with the whole table once.
            let (first, _) = geo.descriptor_location(0);
            self.image.cache().prefetch(first, geo.gdt_blocks.min(1 << 16));
        }
        // An unreadable run: (first group, last group, first block, error).
        let mut unreadable: Option<(u32, u32, u64, String)> = None;
        // Runs are few (descriptor blocks past the end of the image form one),
        // so they are listed whatever the count of other problems.
        let flush = |problems: &mut Vec<Problem>, run: &mut Option<(u32, u32, u64, String)>| {
            if let Some((a, z, blk, e)) = run.take() {
                let groups = if a == z { format!("group {a}") } else { format!("groups {a}-{z}") };
                problems.push(Problem {
                    severity: Severity::Error,
                    structure: format!("group descriptor {a}"),
                    at: Location::block(blk, geo.block_size, 0).with_group(a),
                    message: format!("cannot read the descriptor block of {groups}: {e}"),
                });
            }
        };
        let mut g = 0u32;
        while g < geo.groups_count {
            let (blk, off) = geo.descriptor_location(g);
            // The groups whose descriptors share this block.
            let in_block = (geo.descs_per_block - off as u32 / geo.desc_size).min(geo.groups_count - g);
            let block = match self.image.block(blk) {
                Ok(b) => b,
                Err(e) => {
                    let last = g + in_block - 1;
                    match &mut unreadable {
                        Some(run) => run.1 = last,
                        None => unreadable = Some((g, last, blk, format!("{e}"))),
                    }
                    g += in_block;
                    continue;
                }
            };
            flush(&mut problems, &mut unreadable);
            for i in 0..in_block {
                let g = g + i;
                let off = off + (i * geo.desc_size) as usize;
                let at = Location::block(blk, geo.block_size, off).with_group(g);
                let gr = self.decode_group(g, at, &block, off);
                if gr.checksum.ok == Some(false) {
                    push(
                        &mut problems,
                        Problem {
                            severity: Severity::Error,
                            structure: format!("group descriptor {g}"),
                            at: Location::block(blk, geo.block_size, off + 0x1E).with_group(g),
                            message: format!(
                            "group descriptor checksum does not match (stored 0x{:04x}, computed 0x{:04x})",
                            gr.checksum.stored, gr.checksum.computed
                        ),
                        },
                    );
                }
                for (what, b) in [
                    ("block bitmap", gr.block_bitmap),
                    ("inode bitmap", gr.inode_bitmap),
                    ("inode table", gr.inode_table),
                ] {
                    if b < geo.first_data_block || b >= geo.blocks_count {
                        push(
                            &mut problems,
                            Problem {
                                severity: Severity::Error,
                                structure: format!("group descriptor {g}"),
                                at,
                                message: format!(
                                    "{what} at block {b} is outside the file system (0-{})",
                                    geo.blocks_count - 1
                                ),
                            },
                        );
                    } else if !geo.features.incompat(INCOMPAT_FLEX_BG)
                        && (b < gr.first_block || b > gr.last_block)
                    {
                        push(
                            &mut problems,
                            Problem {
                                severity: Severity::Warning,
                                structure: format!("group descriptor {g}"),
                                at,
                                message: format!(
                                    "{what} at block {b} is outside its group ({}-{}) without flex_bg",
                                    gr.first_block, gr.last_block
                                ),
                            },
                        );
                    }
                }
            }
            g += in_block;
        }
        flush(&mut problems, &mut unreadable);
        if dropped > 0 {
            problems.push(Problem {
                severity: Severity::Error,
                structure: String::from("group descriptors"),
                at: Location::default(),
                message: format!("{dropped} more group descriptor problems not listed"),
            });
        }
        self.problems.extend(problems);
    }
}

/// Opening the file system from a backup superblock, as libext2fs does when
/// it is given one (`ext2fs_open2` with a superblock block, `e2fsck -b`).
impl Fs {
    /// This image with the superblock at block `sb_block` and the descriptor
    /// table after it taking the places of the primary ones (an overlay over
    /// the same image; blocks are not copied out of it otherwise). As in
    /// libext2fs, with group descriptor checksums the groups' `BLOCK_UNINIT`
    /// and `INODE_UNINIT` flags and `bg_itable_unused` are cleared and the
    /// checksums set again. Fails when the block holds no superblock of this
    /// block size or its descriptors cannot be read.
    pub fn at_superblock(&self, sb_block: u64) -> Result<Fs> {
        let base = self.image.overlay().map(|o| (**o).clone()).unwrap_or_default();
        backup_view(&self.image, base, sb_block)
    }

    /// Open `src` with its superblock at block `sb_block` of `block_size`
    /// bytes ([`Fs::at_superblock`] without opening the primary superblock,
    /// which may be unreadable).
    pub fn open_at_superblock(src: Box<dyn ReadAt>, sb_block: u64, block_size: u32) -> Result<Fs> {
        let mut cache = BlockCache::new(src);
        let off = sb_block.checked_mul(u64::from(block_size)).ok_or_else(|| {
            Error::corrupt("superblock", Location::default(), String::from("no such block"))
        })?;
        let raw = cache.read_bytes(off, 1024)?;
        let sb = Superblock::parse(&raw);
        let at = Location::byte(off);
        if sb.s_magic != EXT4_MAGIC {
            return Err(Error::corrupt("superblock", at, format!("no superblock at block {sb_block}")));
        }
        let geo = Geometry::from_superblock(&sb).map_err(|m| Error::corrupt("superblock", at, m))?;
        if geo.block_size != block_size {
            return Err(Error::corrupt(
                "superblock",
                at,
                format!("block size {} is not {block_size}", geo.block_size),
            ));
        }
        cache.set_geometry(geo.block_size, geo.blocks_count);
        backup_view(&Image::new(Rc::new(cache)), Overlay::new(), sb_block)
    }

    /// Open the image as e2fsck does: its primary superblock, or when that
    /// cannot be opened, its first backup ([`Fs::open_backup`]; the view says
    /// so in [`Fs::backup_superblock`]). `src` gives the source afresh for each
    /// attempt. The error is the primary's when both fail.
    pub fn open_or_backup(src: &mut dyn FnMut() -> Box<dyn ReadAt>) -> Result<Fs> {
        match Fs::open(src()) {
            Ok(fs) => Ok(fs),
            Err(e) => Fs::open_backup(src()).map(|(fs, _)| fs).map_err(|_| e),
        }
    }

    /// Open `src` from its first backup superblock, found where e2fsck's
    /// `get_backup_sb` looks when the primary cannot be opened: for each
    /// block size from 1 KiB, in groups 1, 3, 5, 7, 9, 25, 27, … of
    /// `8 * block size` blocks that fit in the image.
    pub fn open_backup(src: Box<dyn ReadAt>) -> Result<(Fs, u64)> {
        let cache = BlockCache::new(src);
        let len = cache.image_len();
        let mut found = None;
        'sizes: for log in 0..7u32 {
            let bs = 1024u64 << log;
            let bpg = bs * 8;
            let limit = len / bs / bpg;
            for grp in backup_groups().take_while(|g| u64::from(*g) <= limit) {
                let blk = u64::from(grp) * bpg + u64::from(bs == 1024);
                let Some(off) = blk.checked_mul(bs) else { break };
                let Ok(raw) = cache.read_bytes(off, 1024) else { continue };
                let sb = Superblock::parse(&raw);
                if sb.s_magic == EXT4_MAGIC && sb.block_size().map(u64::from) == Some(bs) {
                    found = Some((blk, bs as u32));
                    break 'sizes;
                }
            }
        }
        let Some((blk, bs)) = found else {
            return Err(Error::corrupt(
                "superblock",
                Location::byte(SUPERBLOCK_OFFSET),
                String::from("no backup superblock found"),
            ));
        };
        let fs = Fs::open_at_superblock(Box::new(CacheSource(cache)), blk, bs)?;
        Ok((fs, blk))
    }
}

/// A source read through a cache that is not used otherwise.
struct CacheSource(BlockCache);

impl ReadAt for CacheSource {
    fn len(&self) -> u64 {
        self.0.image_len()
    }
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> core::result::Result<(), crate::io::IoError> {
        self.0.read_into(offset, buf).map_err(|e| match e {
            Error::Io(io) => io,
            other => crate::io::IoError { offset, len: buf.len() as u64, message: format!("{other}") },
        })
    }
}

/// The groups that hold superblock backups with sparse_super, ascending (1,
/// then the powers of 3, 5 and 7 merged), as `ext2fs_list_backups` lists them.
pub fn backup_groups() -> impl Iterator<Item = u32> {
    let (mut three, mut five, mut seven) = (1u64, 5u64, 7u64);
    core::iter::from_fn(move || {
        let m = three.min(five).min(seven);
        if m > u64::from(u32::MAX) {
            return None;
        }
        if m == three {
            three *= 3;
        } else if m == five {
            five *= 5;
        } else {
            seven *= 7;
        }
        Some(m as u32)
    })
}

/// Where descriptor block `i` of the table that follows the superblock at
/// `sb_block` lies (`ext2fs_descriptor_block_loc2` for a backup: with meta_bg
/// the copy in the second group of each meta group, when that group exists).
pub fn backup_descriptor_block(geo: &Geometry, sb_block: u64, i: u64) -> u64 {
    let zero_adjust = u64::from(i == 0 && geo.block_size == 1024 && geo.cluster_ratio > 1);
    let meta = geo.features.incompat(INCOMPAT_META_BG);
    if !meta || i < u64::from(geo.first_meta_bg) {
        return sb_block.saturating_add(i).saturating_add(1);
    }
    let bg = i.saturating_mul(u64::from(geo.descs_per_block));
    let has = |g: u64| u32::try_from(g).is_ok_and(|g| geo.has_super(g));
    let bpg = u64::from(geo.blocks_per_group);
    let mut first = geo.first_data_block.saturating_add(bg.saturating_mul(bpg));
    let mut has_super = u64::from(has(bg));
    if sb_block != geo.first_data_block && first + has_super + bpg < geo.blocks_count {
        first += bpg;
        has_super = u64::from(has(bg + 1));
    }
    first + has_super + zero_adjust
}

fn backup_view(image: &Image, mut ov: Overlay, sb_block: u64) -> Result<Fs> {
    let bs = u64::from(image.block_size());
    let at = Location::block(sb_block, image.block_size(), 0);
    let off = sb_block
        .checked_mul(bs)
        .ok_or_else(|| Error::corrupt("superblock", at, String::from("no such block")))?;
    let raw = image.read_bytes(off, 1024)?;
    let sb = Superblock::parse(&raw);
    if sb.s_magic != EXT4_MAGIC {
        return Err(Error::corrupt("superblock", at, format!("no superblock at block {sb_block}")));
    }
    let geo = Geometry::from_superblock(&sb).map_err(|m| Error::corrupt("superblock", at, m))?;
    if u64::from(geo.block_size) != bs {
        return Err(Error::corrupt("superblock", at, format!("block size {} is not {bs}", geo.block_size)));
    }
    let (pblk, poff) = (SUPERBLOCK_OFFSET / bs, (SUPERBLOCK_OFFSET % bs) as usize);
    let mut head = image.block(pblk)?.to_vec();
    if let Some(dst) = head.get_mut(poff..poff + 1024) {
        dst.copy_from_slice(&raw);
    }
    ov.write(pblk, head.into());
    let csum = sb.has_metadata_csum() || geo.features.ro_compat(RO_COMPAT_GDT_CSUM);
    let ds = geo.desc_size as usize;
    for i in 0..geo.gdt_blocks {
        let mut d = image.block(backup_descriptor_block(&geo, sb_block, i))?.to_vec();
        if csum {
            for k in 0..geo.descs_per_block as usize {
                let g = i * u64::from(geo.descs_per_block) + k as u64;
                let (Ok(g), Some(bytes)) = (u32::try_from(g), d.get_mut(k * ds..(k + 1) * ds)) else { break };
                if g >= geo.groups_count {
                    break;
                }
                let flags =
                    u16::from_le_bytes([bytes[0x12], bytes[0x13]]) & !(BG_BLOCK_UNINIT | BG_INODE_UNINIT);
                bytes[0x12..0x14].copy_from_slice(&flags.to_le_bytes());
                bytes[0x1C..0x1E].fill(0);
                if ds >= 64 && geo.features.incompat(INCOMPAT_64BIT) {
                    bytes[0x32..0x34].fill(0);
                }
                let c = desc_checksum(&sb, g, bytes).computed as u16;
                bytes[BG_CHECKSUM_OFFSET..BG_CHECKSUM_OFFSET + 2].copy_from_slice(&c.to_le_bytes());
            }
        }
        ov.write(geo.descriptor_block(i), d.into());
    }
    let mut fs = Fs::open_image(image.with_overlay(Rc::new(ov)))?;
    fs.backup_superblock = Some(sb_block);
    Ok(fs)
}

/// Group descriptor problems listed at open; more are counted.
pub const MAX_GROUP_PROBLEMS: usize = 1000;
