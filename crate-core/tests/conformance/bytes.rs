//! Annotated byte fixtures: one inode record and one extent tree block, one
//! commented line per field, decoded and checksummed without an image. The
//! bytes are those of inode 12 (`/hello.txt`) and of the level-1 extent block
//! 8458 of inode 15 (`/frag-depth2`) of the `extents` fixture as it was made;
//! debugfs printed the values asserted here.

use ext4scope_core::checksum::crc32c;
use ext4scope_core::format::extent::{
    block_checksum, inode_seed_from, node_capacity, Extent, ExtentHeader, ExtentIdx, EXTENT_MAGIC,
};
use ext4scope_core::format::group_desc::ChecksumKind;
use ext4scope_core::format::inode::{
    flag_names, inode_checksum_with_seed, FileType, InodeRaw, Timestamp, INODE_FIELDS,
};

/// `s_uuid` of the fixture (the checksum seed is crc32c(~0, uuid): no `metadata_csum_seed`).
const UUID: [u8; 16] = [0xe4, 0xe4, 0xe4, 0xe4, 0, 0, 0x40, 0, 0x80, 0, 0, 0, 0, 0, 0, 0x08];

#[rustfmt::skip]
const INODE_12: [u8; 256] = {
    let mut b = [0u8; 256];
    let head: [u8; 0xA0] = [
        0xa4, 0x81,             // 0x00 i_mode = 0o100644 (regular, rw-r--r--)
        0x00, 0x00,             // 0x02 i_uid = 0
        0x16, 0x00, 0x00, 0x00, // 0x04 i_size_lo = 22
        0xd2, 0x90, 0x02, 0x6b, // 0x08 i_atime = 0x6b0290d2
        0xd2, 0x90, 0x02, 0x6b, // 0x0C i_ctime = 0x6b0290d2
        0xd2, 0x90, 0x02, 0x6b, // 0x10 i_mtime = 0x6b0290d2
        0x00, 0x00, 0x00, 0x00, // 0x14 i_dtime = 0
        0x00, 0x00,             // 0x18 i_gid = 0
        0x01, 0x00,             // 0x1A i_links_count = 1
        0x02, 0x00, 0x00, 0x00, // 0x1C i_blocks_lo = 2 (512-byte units)
        0x00, 0x00, 0x08, 0x00, // 0x20 i_flags = 0x80000 EXTENTS_FL
        0x01, 0x00, 0x00, 0x00, // 0x24 l_i_version = 1
        // 0x28 i_block: extent root
        0x0a, 0xf3,             //   eh_magic = 0xF30A
        0x01, 0x00,             //   eh_entries = 1
        0x04, 0x00,             //   eh_max = 4
        0x00, 0x00,             //   eh_depth = 0 (leaf)
        0x00, 0x00, 0x00, 0x00, //   eh_generation = 0
        0x00, 0x00, 0x00, 0x00, //   ee_block = 0
        0x01, 0x00,             //   ee_len = 1
        0x00, 0x00,             //   ee_start_hi = 0
        0x01, 0x22, 0x00, 0x00, //   ee_start_lo = 8705
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, //   unused extent slot 2
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, //   unused extent slot 3
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, //   unused extent slot 4
        0xa5, 0xc4, 0x63, 0xdb, // 0x64 i_generation = 3680748709
        0x00, 0x00, 0x00, 0x00, // 0x68 i_file_acl_lo = 0
        0x00, 0x00, 0x00, 0x00, // 0x6C i_size_high = 0
        0x00, 0x00, 0x00, 0x00, // 0x70 i_obso_faddr = 0
        0x00, 0x00,             // 0x74 l_i_blocks_high = 0
        0x00, 0x00,             // 0x76 l_i_file_acl_high = 0
        0x00, 0x00,             // 0x78 l_i_uid_high = 0
        0x00, 0x00,             // 0x7A l_i_gid_high = 0
        0x25, 0x49,             // 0x7C l_i_checksum_lo = 0x4925
        0x00, 0x00,             // 0x7E l_i_reserved = 0
        0x20, 0x00,             // 0x80 i_extra_isize = 32
        0xd8, 0x6c,             // 0x82 i_checksum_hi = 0x6cd8 (checksum 0x6cd84925)
        0x84, 0x1d, 0xdc, 0x4d, // 0x84 i_ctime_extra = 0x4ddc1d84 (epoch 0, ns 0x4ddc1d84 >> 2)
        0x84, 0x1d, 0xdc, 0x4d, // 0x88 i_mtime_extra
        0x84, 0x1d, 0xdc, 0x4d, // 0x8C i_atime_extra
        0xd2, 0x90, 0x02, 0x6b, // 0x90 i_crtime = 0x6b0290d2
        0x84, 0x1d, 0xdc, 0x4d, // 0x94 i_crtime_extra
        0x00, 0x00, 0x00, 0x00, // 0x98 i_version_hi = 0
        0x00, 0x00, 0x00, 0x00, // 0x9C i_projid = 0
    ];
    let mut i = 0;
    while i < head.len() {
        b[i] = head[i];
        i += 1;
    }
    b // 0xA0..0x100: no in-inode xattrs (zero)
};

#[test]
fn inode_record_decodes_field_by_field() {
    let r = InodeRaw::parse(&INODE_12);
    assert_eq!(INODE_FIELDS.len(), 32);
    assert_eq!(r.i_mode, 0o100644);
    assert_eq!(FileType::from_mode(r.i_mode), FileType::Regular);
    assert_eq!(r.i_size_lo, 22);
    assert_eq!(r.i_links_count, 1);
    assert_eq!(r.i_blocks_lo, 2);
    assert_eq!(flag_names(r.i_flags), ["EXTENTS_FL"]);
    assert_eq!(r.l_i_version, 1);
    assert_eq!(r.i_generation, 3_680_748_709);
    assert_eq!(r.i_extra_isize, 32);
    assert_eq!(u32::from(r.l_i_checksum_lo) | u32::from(r.i_checksum_hi) << 16, 0x6cd8_4925);
    let t = Timestamp::new(r.i_ctime, Some(r.i_ctime_extra));
    assert_eq!((t.seconds, t.nanos), (0x6b02_90d2, 0x4ddc_1d84 >> 2));
    assert_eq!(t.iso, "2026-11-22T06:50:58.326567777Z");
    assert_eq!(r.i_crtime, 0x6b02_90d2);
    let root = ExtentHeader::parse(&r.i_block);
    assert_eq!((root.eh_magic, root.eh_entries, root.eh_max, root.eh_depth), (EXTENT_MAGIC, 1, 4, 0));
    let e = Extent::parse(&r.i_block[12..]);
    assert_eq!((e.ee_block, e.len(), e.start()), (0, (1, false), 8705));
}

#[test]
fn inode_checksum_covers_number_generation_and_record() {
    let seed = crc32c(!0, &UUID);
    let c = inode_checksum_with_seed(seed, 12, &INODE_12);
    assert_eq!(c.kind, ChecksumKind::Crc32c);
    assert_eq!((c.stored, c.computed, c.ok), (0x6cd8_4925, 0x6cd8_4925, Some(true)));
    // The same record read as another inode number does not match.
    assert_eq!(inode_checksum_with_seed(seed, 13, &INODE_12).ok, Some(false));
    // One changed byte anywhere (here in the unused xattr space) breaks it.
    let mut b = INODE_12;
    b[0xF0] = 1;
    assert_eq!(inode_checksum_with_seed(seed, 12, &b).ok, Some(false));
    // Without i_extra_isize covering i_checksum_hi the checksum is 16 bits.
    let mut b = INODE_12;
    b[0x80] = 0;
    let c = inode_checksum_with_seed(seed, 12, &b);
    assert_eq!(c.stored, 0x4925);
    assert!(c.computed <= 0xFFFF);
}

/// Block 8458: the level-1 index node of inode 15 (generation 220507265).
fn extent_block() -> Vec<u8> {
    #[rustfmt::skip]
    let head: [u8; 84] = [
        0x0a, 0xf3,             // eh_magic = 0xF30A
        0x06, 0x00,             // eh_entries = 6
        0x54, 0x00,             // eh_max = 84 ((1024 - 12) / 12)
        0x01, 0x00,             // eh_depth = 1 (children are leaves)
        0x00, 0x00, 0x00, 0x00, // eh_generation = 0
        0x00, 0x00, 0x00, 0x00, // [0] ei_block = 0
        0x08, 0x21, 0x00, 0x00, // [0] ei_leaf_lo = 8456
        0x00, 0x00, 0x00, 0x00, // [0] ei_leaf_hi = 0, ei_unused = 0
        0xa8, 0x00, 0x00, 0x00, // [1] ei_block = 168
        0x02, 0x50, 0x00, 0x00, // [1] ei_leaf_lo = 20482
        0x00, 0x00, 0x00, 0x00, // [1] ei_leaf_hi, ei_unused
        0x50, 0x01, 0x00, 0x00, // [2] ei_block = 336
        0x04, 0x50, 0x00, 0x00, // [2] ei_leaf_lo = 20484
        0x00, 0x00, 0x00, 0x00, // [2] ei_leaf_hi, ei_unused
        0xf8, 0x01, 0x00, 0x00, // [3] ei_block = 504
        0x06, 0x50, 0x00, 0x00, // [3] ei_leaf_lo = 20486
        0x00, 0x00, 0x00, 0x00, // [3] ei_leaf_hi, ei_unused
        0xa0, 0x02, 0x00, 0x00, // [4] ei_block = 672
        0x08, 0x50, 0x00, 0x00, // [4] ei_leaf_lo = 20488
        0x00, 0x00, 0x00, 0x00, // [4] ei_leaf_hi, ei_unused
        0x48, 0x03, 0x00, 0x00, // [5] ei_block = 840
        0x0a, 0x50, 0x00, 0x00, // [5] ei_leaf_lo = 20490
        0x00, 0x00, 0x00, 0x00, // [5] ei_leaf_hi, ei_unused
    ];
    let mut b = vec![0u8; 1024];
    b[..84].copy_from_slice(&head);
    // 0x3FC: et_checksum = 0xbe452700 (ext4_extent_tail after eh_max entries).
    b[1020..].copy_from_slice(&[0x00, 0x27, 0x45, 0xbe]);
    b
}

#[test]
fn extent_block_decodes_and_its_tail_checksum_verifies() {
    let b = extent_block();
    let h = ExtentHeader::parse(&b);
    assert_eq!((h.eh_magic, h.eh_entries, h.eh_max, h.eh_depth), (EXTENT_MAGIC, 6, 84, 1));
    assert_eq!(node_capacity(b.len()), 84);
    let keys: Vec<(u32, u64)> = (0..6)
        .map(|i| {
            let x = ExtentIdx::parse(&b[12 + 12 * i..]);
            (x.ei_block, x.leaf())
        })
        .collect();
    assert_eq!(keys, [(0, 8456), (168, 20482), (336, 20484), (504, 20486), (672, 20488), (840, 20490)]);
    let seed = inode_seed_from(crc32c(!0, &UUID), 15, 220_507_265);
    let c = block_checksum(seed, &b, 84);
    assert_eq!((c.stored, c.ok), (0xbe45_2700, Some(true)));
    // Another inode's seed (or generation) gives another checksum.
    assert_eq!(block_checksum(inode_seed_from(crc32c(!0, &UUID), 15, 1), &b, 84).ok, Some(false));
    let mut bad = b.clone();
    bad[13] ^= 1;
    assert_eq!(block_checksum(seed, &bad, 84).ok, Some(false));
}
