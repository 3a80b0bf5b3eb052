//! The checks `__ext4_fill_super` makes on the superblock alone, before it
//! reads a descriptor: they run on the raw 1024 bytes (parsed by
//! [`Superblock::parse`]), so an image [`crate::Fs::open`] refuses still gets
//! its verdict.

use alloc::format;
use alloc::vec::Vec;

use super::{Flow, Mount, StepStatus, Stop};
use crate::format::features::*;
use crate::format::superblock::{superblock_checksum, Superblock, EXT4_MAGIC, SUPERBLOCK_OFFSET};
use crate::overlay::Image;

/// `EXT4_MAX_BLOCK_LOG_SIZE - EXT4_MIN_BLOCK_LOG_SIZE`: 64 KiB blocks at most.
const MAX_LOG_BLOCK_SIZE: u32 = 6;
/// `EXT4_MAX_CLUSTER_LOG_SIZE - EXT4_MIN_BLOCK_LOG_SIZE`.
const MAX_LOG_CLUSTER_SIZE: u32 = 20;
/// `sb_set_blocksize` refuses blocks larger than a page: x86-64's 4 KiB pages assumed.
const PAGE_SIZE: u32 = 4096;
/// `EXT4_CRC32C_CHKSUM`.
const CRC32C_CHKSUM: u8 = 1;
/// `EXT4_GOOD_OLD_FIRST_INO`, `EXT4_GOOD_OLD_INODE_SIZE`.
const GOOD_OLD_FIRST_INO: u32 = 11;
const GOOD_OLD_INODE_SIZE: u32 = 128;
/// `EXT4_OS_HURD`.
pub(super) const OS_HURD: u32 = 1;
/// `EXT4_ENC_UTF8_12_1`, the one casefold encoding the kernel knows.
const ENC_UTF8_12_1: u16 = 1;
/// `EXT4_MIN_DESC_SIZE_64BIT`, `EXT4_MAX_DESC_SIZE`.
const MIN_DESC_SIZE_64BIT: u32 = 64;
const MAX_DESC_SIZE: u32 = 1024;

/// `EXT4_FEATURE_INCOMPAT_SUPP` of 6.18.
pub(super) const INCOMPAT_SUPP: u32 = INCOMPAT_FILETYPE
    | INCOMPAT_RECOVER
    | INCOMPAT_META_BG
    | INCOMPAT_EXTENTS
    | INCOMPAT_64BIT
    | INCOMPAT_FLEX_BG
    | INCOMPAT_EA_INODE
    | INCOMPAT_MMP
    | INCOMPAT_INLINE_DATA
    | INCOMPAT_ENCRYPT
    | INCOMPAT_CASEFOLD
    | INCOMPAT_CSUM_SEED
    | INCOMPAT_LARGEDIR;

/// `EXT4_FEATURE_RO_COMPAT_SUPP` of 6.18: not `HAS_SNAPSHOT`, `REPLICA`,
/// `READONLY` (handled on its own) nor `SHARED_BLOCKS`, which e2fsprogs knows.
pub(super) const RO_COMPAT_SUPP: u32 = RO_COMPAT_SPARSE_SUPER
    | RO_COMPAT_LARGE_FILE
    | RO_COMPAT_GDT_CSUM
    | RO_COMPAT_DIR_NLINK
    | RO_COMPAT_EXTRA_ISIZE
    | RO_COMPAT_BTREE_DIR
    | RO_COMPAT_HUGE_FILE
    | RO_COMPAT_BIGALLOC
    | RO_COMPAT_METADATA_CSUM
    | RO_COMPAT_QUOTA
    | RO_COMPAT_PROJECT
    | RO_COMPAT_VERITY
    | RO_COMPAT_ORPHAN_PRESENT;

/// `ext4_load_super`: the superblock can be read, has the magic number and a
/// block size the kernel takes.
pub(super) fn load_super(m: &mut Mount, image: &Image) -> Flow<(Vec<u8>, Superblock)> {
    const F: &str = "ext4_load_super";
    let raw = match image.read_bytes(SUPERBLOCK_OFFSET, 1024) {
        Ok(raw) => raw,
        Err(e) => {
            m.msg("unable to read superblock");
            m.step(F, "read the superblock", StepStatus::Fail, format!("{e}"));
            return Err(Stop::Refused);
        }
    };
    let sb = Superblock::parse(&raw);
    if sb.s_magic != EXT4_MAGIC {
        m.msg("VFS: Can't find ext4 filesystem");
        m.step(F, "s_magic", StepStatus::Fail, format!("0x{:04X}, not 0xEF53", sb.s_magic));
        return Err(Stop::Refused);
    }
    if sb.s_log_block_size > MAX_LOG_BLOCK_SIZE {
        m.msg(format!("Invalid log block size: {}", sb.s_log_block_size));
        m.step(F, "s_log_block_size", StepStatus::Fail, format!("{} (at most 6)", sb.s_log_block_size));
        return Err(Stop::Refused);
    }
    if sb.s_log_cluster_size > MAX_LOG_CLUSTER_SIZE {
        m.msg(format!("Invalid log cluster size: {}", sb.s_log_cluster_size));
        m.step(F, "s_log_cluster_size", StepStatus::Fail, format!("{} (at most 20)", sb.s_log_cluster_size));
        return Err(Stop::Refused);
    }
    let bs = 1024u32 << sb.s_log_block_size;
    if bs != 1024 {
        if bs > PAGE_SIZE {
            m.msg(format!("bad block size {bs}"));
            m.step(F, "block size", StepStatus::Fail, format!("{bs} bytes is more than a 4 KiB page"));
            return Err(Stop::Refused);
        }
        if image.len() < u64::from(bs) {
            m.msg("Can't read superblock on 2nd try");
            m.step(
                F,
                "block size",
                StepStatus::Fail,
                format!("the device is shorter than one {bs}-byte block"),
            );
            return Err(Stop::Refused);
        }
    }
    m.step(F, "magic and block size", StepStatus::Pass, format!("0xEF53, {bs}-byte blocks"));
    Ok((raw, sb))
}

/// `ext4_init_metadata_csum`: with metadata_csum, a known checksum type and a
/// superblock checksum that matches.
pub(super) fn init_metadata_csum(m: &mut Mount, raw: &[u8], sb: &Superblock) -> Flow<()> {
    const F: &str = "ext4_init_metadata_csum";
    let f = sb.features();
    if f.ro_compat(RO_COMPAT_METADATA_CSUM) && f.ro_compat(RO_COMPAT_GDT_CSUM) {
        m.warning(F, None, "metadata_csum and uninit_bg are redundant flags; please run fsck.");
    }
    if !sb.has_metadata_csum() {
        m.step(F, "superblock checksum", StepStatus::Skipped, "no metadata_csum");
        return Ok(());
    }
    if sb.s_checksum_type != CRC32C_CHKSUM {
        m.msg("VFS: Found ext4 filesystem with unknown checksum algorithm.");
        m.step(
            F,
            "s_checksum_type",
            StepStatus::Fail,
            format!("{} (only 1, crc32c, is known)", sb.s_checksum_type),
        );
        return Err(Stop::Refused);
    }
    let computed = superblock_checksum(raw);
    if computed != sb.s_checksum {
        m.msg("VFS: Found ext4 filesystem with invalid superblock checksum.  Run e2fsck?");
        m.step(
            F,
            "s_checksum",
            StepStatus::Fail,
            format!("stored 0x{:08x}, computed 0x{computed:08x}", sb.s_checksum),
        );
        return Err(Stop::Refused);
    }
    m.step(F, "superblock checksum", StepStatus::Pass, format!("0x{computed:08x}"));
    Ok(())
}

/// `ext4_inode_info_init`: the first inode, the inode size, the extra sizes.
pub(super) fn inode_info_init(m: &mut Mount, sb: &Superblock) -> Flow<()> {
    const F: &str = "ext4_inode_info_init";
    let bs = 1024u32 << sb.s_log_block_size;
    let inode_size = if sb.s_rev_level == 0 {
        GOOD_OLD_INODE_SIZE
    } else {
        if sb.s_first_ino < GOOD_OLD_FIRST_INO {
            m.msg(format!("invalid first ino: {}", sb.s_first_ino));
            m.step(F, "s_first_ino", StepStatus::Fail, format!("{} (below 11)", sb.s_first_ino));
            return Err(Stop::Refused);
        }
        let isz = u32::from(sb.s_inode_size);
        if isz < GOOD_OLD_INODE_SIZE || !isz.is_power_of_two() || isz > bs {
            m.msg(format!("unsupported inode size: {isz}"));
            m.msg(format!("blocksize: {bs}"));
            m.step(F, "s_inode_size", StepStatus::Fail, format!("{isz}"));
            return Err(Stop::Refused);
        }
        isz
    };
    if inode_size > GOOD_OLD_INODE_SIZE && sb.features().ro_compat(RO_COMPAT_EXTRA_ISIZE) {
        let max = inode_size - GOOD_OLD_INODE_SIZE;
        for (name, v) in [("want", sb.s_want_extra_isize), ("min", sb.s_min_extra_isize)] {
            if u32::from(v) > max {
                m.msg(format!("bad s_{name}_extra_isize: {v}"));
                m.step(F, "extra inode size", StepStatus::Fail, format!("s_{name}_extra_isize {v} > {max}"));
                return Err(Stop::Refused);
            }
        }
    }
    m.step(F, "inode size", StepStatus::Pass, format!("{inode_size} bytes"));
    Ok(())
}

/// Mount options stored in the superblock (not parsed here), and
/// `ext4_encoding_init` (casefold's encoding).
pub(super) fn mount_opts_and_encoding(m: &mut Mount, sb: &Superblock) -> Flow<()> {
    if sb.s_mount_opts.iter().any(|&b| b != 0) {
        let opts = crate::format::superblock::c_string(&sb.s_mount_opts);
        m.step(
            "parse_apply_sb_mount_options",
            "s_mount_opts",
            StepStatus::Unmodelled,
            format!("\"{opts}\" is applied by the kernel, not by this model"),
        );
    }
    if sb.features().incompat(INCOMPAT_CASEFOLD) {
        const F: &str = "ext4_encoding_init";
        if sb.s_encoding != ENC_UTF8_12_1 {
            m.msg("Encoding requested by superblock is unknown");
            m.step(
                F,
                "s_encoding",
                StepStatus::Fail,
                format!("{} (only 1, utf8-12.1, is known)", sb.s_encoding),
            );
            return Err(Stop::Refused);
        }
        // As 6.1 words it; not checked against a 6.18 oracle.
        m.msg(format!(
            "Using encoding defined by superblock: utf8-12.1.0 with flags 0x{:x}",
            sb.s_encoding_flags
        ));
        m.step(F, "s_encoding", StepStatus::Pass, "utf8-12.1");
    }
    if sb.s_default_mount_opts & super::DEFM_JMODE == super::DEFM_JMODE_DATA
        && sb.features().incompat(INCOMPAT_ENCRYPT)
    {
        m.msg("encrypted files will use data=ordered instead of data journaling mode");
    }
    Ok(())
}

/// `ext4_check_feature_compatibility`.
pub(super) fn feature_compatibility(m: &mut Mount, sb: &Superblock) -> Flow<()> {
    const F: &str = "ext4_check_feature_compatibility";
    let f = sb.features();
    if sb.s_rev_level == 0 && (f.compat != 0 || f.ro_compat != 0 || f.incompat != 0) {
        m.msg("feature flags set on rev 0 fs, running e2fsck is recommended");
    }
    if sb.s_creator_os == OS_HURD {
        if f.incompat(INCOMPAT_64BIT) {
            m.msg("The Hurd can't support 64-bit file systems");
            m.step(F, "Hurd", StepStatus::Fail, "64bit on a Hurd file system");
            return Err(Stop::Refused);
        }
        if f.incompat(INCOMPAT_EA_INODE) {
            m.msg("ea_inode feature is not supported for Hurd");
            m.step(F, "Hurd", StepStatus::Fail, "ea_inode on a Hurd file system");
            return Err(Stop::Refused);
        }
    }
    let readonly = m.sb_rdonly;
    if !m.feature_set_ok(sb, readonly) {
        return Err(Stop::Refused);
    }
    Ok(())
}

/// `ext4_feature_set_ok(sb, readonly)`.
pub(super) fn feature_set_ok(m: &mut Mount, sb: &Superblock, readonly: bool) -> bool {
    const F: &str = "ext4_feature_set_ok";
    let f = sb.features();
    let unknown = f.incompat & !INCOMPAT_SUPP;
    if unknown != 0 {
        m.msg(format!("Couldn't mount because of unsupported optional features ({unknown:x})"));
        m.step(F, "s_feature_incompat", StepStatus::Fail, format!("unknown bits 0x{unknown:x}"));
        return false;
    }
    if readonly {
        m.step(
            F,
            "features",
            StepStatus::Pass,
            "every incompat feature known (read-only: ro_compat not checked)",
        );
        return true;
    }
    if f.ro_compat(RO_COMPAT_READONLY) {
        m.msg("filesystem is read-only");
        m.sb_rdonly = true;
        m.step(F, "RO_COMPAT_READONLY", StepStatus::Warn, "mounted read-only");
        return true;
    }
    let unknown = f.ro_compat & !RO_COMPAT_SUPP;
    if unknown != 0 {
        m.msg(format!("couldn't mount RDWR because of unsupported optional features ({unknown:x})"));
        m.step(
            F,
            "s_feature_ro_compat",
            StepStatus::Fail,
            format!("unknown bits 0x{unknown:x} refuse read-write"),
        );
        return false;
    }
    if f.ro_compat(RO_COMPAT_BIGALLOC) && !f.incompat(INCOMPAT_EXTENTS) {
        m.msg("Can't support bigalloc feature without extents feature");
        m.step(F, "bigalloc", StepStatus::Fail, "bigalloc without extent");
        return false;
    }
    m.step(F, "features", StepStatus::Pass, "every feature known");
    true
}

/// `ext4_block_group_meta_init`: descriptor size, blocks and inodes per group.
pub(super) fn block_group_meta_init(m: &mut Mount, sb: &Superblock) -> Flow<()> {
    const F: &str = "ext4_block_group_meta_init";
    let bs = 1024u32 << sb.s_log_block_size;
    if sb.features().incompat(INCOMPAT_64BIT) {
        let d = u32::from(sb.s_desc_size);
        if !(MIN_DESC_SIZE_64BIT..=MAX_DESC_SIZE).contains(&d) || !d.is_power_of_two() {
            m.msg(format!("unsupported descriptor size {d}"));
            m.step(F, "s_desc_size", StepStatus::Fail, format!("{d}"));
            return Err(Stop::Refused);
        }
    }
    let inodes_per_block = bs / sb.inode_size().max(1);
    if inodes_per_block == 0 || sb.s_blocks_per_group == 0 {
        m.msg("VFS: Can't find ext4 filesystem");
        m.step(F, "s_blocks_per_group", StepStatus::Fail, "0 blocks per group");
        return Err(Stop::Refused);
    }
    let ipg = sb.s_inodes_per_group;
    if ipg < inodes_per_block || u64::from(ipg) > u64::from(bs) * 8 {
        m.msg(format!("invalid inodes per group: {ipg}"));
        m.step(F, "s_inodes_per_group", StepStatus::Fail, format!("{ipg}"));
        return Err(Stop::Refused);
    }
    m.step(
        F,
        "group sizes",
        StepStatus::Pass,
        format!("{} blocks, {ipg} inodes per group", sb.s_blocks_per_group),
    );
    Ok(())
}

/// `ext4_handle_clustersize`.
pub(super) fn handle_clustersize(m: &mut Mount, sb: &Superblock) -> Flow<()> {
    const F: &str = "ext4_handle_clustersize";
    let bs = 1024u64 << sb.s_log_block_size;
    let cs = 1024u64 << sb.s_log_cluster_size;
    let bpg = u64::from(sb.s_blocks_per_group);
    let fail = |m: &mut Mount, text: alloc::string::String| {
        m.msg(&text);
        m.step(F, "cluster size", StepStatus::Fail, text);
        Err(Stop::Refused)
    };
    if sb.features().ro_compat(RO_COMPAT_BIGALLOC) {
        if cs < bs {
            return fail(m, format!("cluster size ({cs}) smaller than block size ({bs})"));
        }
        let cpg = u64::from(sb.s_clusters_per_group);
        if cpg > bs * 8 {
            return fail(m, format!("#clusters per group too big: {cpg}"));
        }
        if bpg != cpg * (cs / bs) {
            return fail(m, format!("blocks per group ({bpg}) and clusters per group ({cpg}) inconsistent"));
        }
    } else {
        if cs != bs {
            return fail(m, format!("fragment/cluster size ({cs}) != block size ({bs})"));
        }
        if bpg > bs * 8 {
            return fail(m, format!("#blocks per group too big: {bpg}"));
        }
    }
    m.step(F, "cluster size", StepStatus::Pass, format!("{cs}-byte clusters"));
    Ok(())
}

/// `ext4_check_geometry`: reserved GDT blocks, the device size, the first
/// data block, the group count, the inode count.
pub(super) fn check_geometry(m: &mut Mount, sb: &Superblock, device_len: u64) -> Flow<()> {
    const F: &str = "ext4_check_geometry";
    let bs = 1024u64 << sb.s_log_block_size;
    let fail = |m: &mut Mount, text: alloc::string::String| {
        m.msg(&text);
        m.step(F, "geometry", StepStatus::Fail, text);
        Err(Stop::Refused)
    };
    if u64::from(sb.s_reserved_gdt_blocks) > bs / 4 {
        return fail(
            m,
            format!("Number of reserved GDT blocks insanely large: {}", sb.s_reserved_gdt_blocks),
        );
    }
    let blocks = sb.blocks_count();
    let device_blocks = device_len / bs;
    if device_blocks != 0 && blocks > device_blocks {
        return fail(
            m,
            format!("bad geometry: block count {blocks} exceeds size of device ({device_blocks} blocks)"),
        );
    }
    let fdb = u64::from(sb.s_first_data_block);
    if fdb >= blocks {
        return fail(
            m,
            format!("bad geometry: first data block {fdb} is beyond end of filesystem ({blocks})"),
        );
    }
    let bigalloc_ratio =
        sb.features().ro_compat(RO_COMPAT_BIGALLOC) && sb.s_log_cluster_size > sb.s_log_block_size;
    if fdb == 0 && sb.s_log_block_size == 0 && !bigalloc_ratio {
        return fail(
            m,
            alloc::string::String::from(
                "bad geometry: first data block is 0 with a 1k block and cluster size",
            ),
        );
    }
    let bpg = u64::from(sb.s_blocks_per_group);
    let groups = (blocks - fdb).div_ceil(bpg);
    let desc_per_block = bs / u64::from(sb.desc_size().max(1));
    if groups > (1u64 << 32) - desc_per_block {
        return fail(
            m,
            format!(
                "groups count too large: {groups} (block count {blocks}, first data block {fdb}, blocks per group {bpg})"
            ),
        );
    }
    let inodes = groups * u64::from(sb.s_inodes_per_group);
    if inodes != u64::from(sb.s_inodes_count) {
        return fail(m, format!("inodes count not valid: {} vs {inodes}", sb.s_inodes_count));
    }
    m.step(F, "geometry", StepStatus::Pass, format!("{blocks} blocks in {groups} groups, {inodes} inodes"));
    Ok(())
}
