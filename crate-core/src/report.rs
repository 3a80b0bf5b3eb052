//! What views and the CLI show: serialisable reports built from the core's types.
//! The CLI's JSON and the worker's messages are these same types.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use serde::{Deserialize, Serialize};

use crate::error::Problem;
use crate::fields::{dump_fields, FieldValue};
use crate::format::features::*;
use crate::format::group_desc::{ChecksumStatus, Group};
use crate::format::superblock::*;
use crate::fs::Fs;
use crate::io::IoStats;
use crate::layout::GroupHead;
use crate::time::ctime;

/// One group, as shown in the group table.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GroupReport {
    /// Group number.
    pub group: u32,
    /// First block.
    pub first_block: u64,
    /// Last block.
    pub last_block: u64,
    /// Superblock copy, GDT, reserved GDT at the group's head.
    pub head: GroupHead,
    /// Block bitmap location.
    pub block_bitmap: u64,
    /// Inode bitmap location.
    pub inode_bitmap: u64,
    /// Inode table location (first block).
    pub inode_table: u64,
    /// Inode table length in blocks.
    pub inode_table_blocks: u32,
    /// Free blocks as recorded.
    pub free_blocks_count: u32,
    /// Free inodes as recorded.
    pub free_inodes_count: u32,
    /// Directories.
    pub used_dirs_count: u32,
    /// Unused inodes.
    pub itable_unused: u32,
    /// Flag names.
    pub flags: Vec<String>,
    /// Block bitmap checksum as stored.
    pub block_bitmap_csum: u32,
    /// Inode bitmap checksum as stored.
    pub inode_bitmap_csum: u32,
    /// The descriptor's checksum.
    pub checksum: ChecksumStatus,
    /// Where the descriptor lives (block).
    pub desc_block: Option<u64>,
    /// Byte offset of the descriptor in the image.
    pub desc_byte: Option<u64>,
}

/// The superblock and group table: what `ext4scope info` prints.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InfoReport {
    /// Block size in bytes.
    pub block_size: u32,
    /// Cluster size in bytes.
    pub cluster_size: u64,
    /// Blocks.
    pub blocks_count: u64,
    /// Reserved blocks.
    pub r_blocks_count: u64,
    /// Inodes.
    pub inodes_count: u32,
    /// Free blocks (superblock).
    pub free_blocks_count: u64,
    /// Free inodes (superblock).
    pub free_inodes_count: u32,
    /// First data block.
    pub first_data_block: u64,
    /// Blocks per group.
    pub blocks_per_group: u32,
    /// Inodes per group.
    pub inodes_per_group: u32,
    /// Inode size.
    pub inode_size: u32,
    /// Group descriptor size.
    pub desc_size: u32,
    /// Number of groups.
    pub groups_count: u32,
    /// UUID as dumpe2fs prints it.
    pub uuid: String,
    /// Volume label.
    pub volume_name: String,
    /// Last mount point.
    pub last_mounted: String,
    /// Feature names in dumpe2fs's spelling.
    pub features: Vec<String>,
    /// Every set feature bit with its kernel name and kind.
    pub feature_bits: Vec<Feature>,
    /// The journal must be replayed (`needs_recovery`).
    pub needs_recovery: bool,
    /// `s_state` in words.
    pub state: String,
    /// Superblock checksum verdict (`null` when not checksummed).
    pub superblock_checksum_ok: Option<bool>,
    /// Superblock checksum details.
    pub superblock_checksum: ChecksumStatus,
    /// Image size in bytes.
    pub image_len: u64,
    /// Identifies this image for shareable links (see [`Fs::fingerprint`]).
    pub fingerprint: String,
    /// `dumpe2fs -h`-style lines (label, value).
    pub summary: Vec<(String, String)>,
    /// Every raw superblock field.
    pub fields: Vec<(String, FieldValue)>,
    /// Each group.
    pub groups: Vec<GroupReport>,
    /// Problems found.
    pub problems: Vec<Problem>,
    /// I/O so far.
    pub io: IoStats,
}

fn time_or_na(t: i64) -> String {
    if t == 0 {
        String::from("n/a")
    } else {
        ctime(t)
    }
}

/// `s_kbytes_written` scaled as dumpe2fs prints it.
fn lifetime_writes(kb: u64) -> String {
    const UNITS: [(u32, &str); 4] = [(13, "kB"), (23, "MB"), (33, "GB"), (43, "TB")];
    for (i, (limit, unit)) in UNITS.iter().enumerate() {
        if kb < 1u64 << limit {
            if i == 0 {
                return format!("{kb} {unit}");
            }
            let shift = 10 * i as u32;
            return format!("{} {unit}", (kb + (1u64 << (shift - 1))) >> shift);
        }
    }
    // dumpe2fs adds in unsigned 64-bit arithmetic, which wraps near 2^64.
    format!("{} PB", kb.wrapping_add(1u64 << 39) >> 40)
}

fn user(id: u16, kind: &str) -> String {
    if id == 0 {
        format!("{id} ({kind} root)")
    } else {
        format!("{id} ({kind} unknown)")
    }
}

impl Fs {
    /// The dumpe2fs -h header as (label, value) pairs, in dumpe2fs's order and spelling.
    pub fn summary(&self) -> Vec<(String, String)> {
        let sb = &self.sb;
        let f = self.features();
        let mut v: Vec<(String, String)> = Vec::new();
        let mut add = |k: &str, val: String| v.push((k.to_string(), val));
        let name = sb.volume_name();
        add("Filesystem volume name", if name.is_empty() { String::from("<none>") } else { name });
        let lm = sb.last_mounted();
        add("Last mounted on", if lm.is_empty() { String::from("<not available>") } else { lm });
        add("Filesystem UUID", uuid_string(&sb.s_uuid));
        add("Filesystem magic number", format!("0x{:04X}", sb.s_magic));
        add(
            "Filesystem revision #",
            format!(
                "{} ({})",
                sb.s_rev_level,
                if sb.s_rev_level == 0 {
                    "original"
                } else if sb.s_rev_level == 1 {
                    "dynamic"
                } else {
                    "unknown"
                }
            ),
        );
        add("Filesystem features", {
            let n = f.names();
            if n.is_empty() {
                String::from("(none)")
            } else {
                n.join(" ")
            }
        });
        let flags = fs_flags(sb.s_flags);
        if !flags.is_empty() {
            add("Filesystem flags", flags.join(" "));
        }
        let mo = default_mount_opts(sb.s_default_mount_opts);
        add("Default mount options", if mo.is_empty() { String::from("(none)") } else { mo.join(" ") });
        add("Filesystem state", state_string(sb.s_state));
        add("Errors behavior", errors_string(sb.s_errors));
        add("Filesystem OS type", creator_os_string(sb.s_creator_os));
        add("Inode count", sb.s_inodes_count.to_string());
        add("Block count", sb.blocks_count().to_string());
        add("Reserved block count", sb.r_blocks_count().to_string());
        if sb.s_overhead_clusters != 0 {
            add("Overhead clusters", sb.s_overhead_clusters.to_string());
        }
        add("Free blocks", sb.free_blocks_count().to_string());
        add("Free inodes", sb.s_free_inodes_count.to_string());
        add("First block", sb.s_first_data_block.to_string());
        add("Block size", self.geo.block_size.to_string());
        let bigalloc = f.ro_compat(RO_COMPAT_BIGALLOC);
        let cs = sb.cluster_size().unwrap_or(0);
        add(if bigalloc { "Cluster size" } else { "Fragment size" }, cs.to_string());
        if f.incompat(INCOMPAT_64BIT) {
            add("Group descriptor size", sb.s_desc_size.to_string());
        }
        if sb.s_reserved_gdt_blocks != 0 {
            add("Reserved GDT blocks", sb.s_reserved_gdt_blocks.to_string());
        }
        add("Blocks per group", sb.s_blocks_per_group.to_string());
        add(
            if bigalloc { "Clusters per group" } else { "Fragments per group" },
            sb.s_clusters_per_group.to_string(),
        );
        add("Inodes per group", sb.s_inodes_per_group.to_string());
        add("Inode blocks per group", self.geo.inode_table_blocks.to_string());
        if sb.s_raid_stride != 0 {
            add("RAID stride", sb.s_raid_stride.to_string());
        }
        if sb.s_raid_stripe_width != 0 {
            add("RAID stripe width", sb.s_raid_stripe_width.to_string());
        }
        if sb.s_first_meta_bg != 0 {
            add("First meta block group", sb.s_first_meta_bg.to_string());
        }
        if sb.s_log_groups_per_flex != 0 {
            let n = 1u64.checked_shl(u32::from(sb.s_log_groups_per_flex)).unwrap_or(0);
            add("Flex block group size", n.to_string());
        }
        if sb.s_mkfs_time != 0 {
            add("Filesystem created", ctime(time_hi(sb.s_mkfs_time, sb.s_mkfs_time_hi)));
        }
        add("Last mount time", time_or_na(time_hi(sb.s_mtime, sb.s_mtime_hi)));
        add("Last write time", ctime(time_hi(sb.s_wtime, sb.s_wtime_hi)));
        add("Mount count", sb.s_mnt_count.to_string());
        add("Maximum mount count", (sb.s_max_mnt_count as i16).to_string());
        add("Last checked", ctime(time_hi(sb.s_lastcheck, sb.s_lastcheck_hi)));
        if sb.s_checkinterval == 0 {
            add("Check interval", String::from("0 (<none>)"));
        }
        if sb.s_kbytes_written != 0 {
            add("Lifetime writes", lifetime_writes(sb.s_kbytes_written));
        }
        add("Reserved blocks uid", user(sb.s_def_resuid, "user"));
        add("Reserved blocks gid", user(sb.s_def_resgid, "group"));
        if sb.s_rev_level >= 1 {
            add("First inode", sb.s_first_ino.to_string());
            add("Inode size", sb.s_inode_size.to_string());
            if sb.s_min_extra_isize != 0 {
                add("Required extra isize", sb.s_min_extra_isize.to_string());
            }
            if sb.s_want_extra_isize != 0 {
                add("Desired extra isize", sb.s_want_extra_isize.to_string());
            }
        }
        if sb.s_journal_uuid.iter().any(|&b| b != 0) {
            add("Journal UUID", uuid_string(&sb.s_journal_uuid));
        }
        if sb.s_journal_inum != 0 {
            add("Journal inode", sb.s_journal_inum.to_string());
        }
        if sb.s_journal_dev != 0 {
            add("Journal device", format!("0x{:04x}", sb.s_journal_dev));
        }
        if sb.s_last_orphan != 0 {
            add("First orphan inode", sb.s_last_orphan.to_string());
        }
        if f.compat(COMPAT_DIR_INDEX) || sb.s_def_hash_version != 0 {
            add("Default directory hash", String::from(hash_version_name(sb.s_def_hash_version)));
        }
        if sb.s_hash_seed.iter().any(|&w| w != 0) {
            let mut b = [0u8; 16];
            for (i, w) in sb.s_hash_seed.iter().enumerate() {
                b[i * 4..i * 4 + 4].copy_from_slice(&w.to_le_bytes());
            }
            add("Directory Hash Seed", uuid_string(&b));
        }
        if sb.s_jnl_backup_type != 0 {
            add(
                "Journal backup",
                if sb.s_jnl_backup_type == 1 {
                    String::from("inode blocks")
                } else {
                    format!("type {}", sb.s_jnl_backup_type)
                },
            );
        }
        if f.compat(COMPAT_SPARSE_SUPER2) {
            // As dumpe2fs: each nonzero entry of s_backup_bgs (a group number).
            let [a, b] = sb.s_backup_bgs;
            let mut groups = String::new();
            if a != 0 {
                groups = format!("{a} ");
            }
            if b != 0 {
                groups += &b.to_string();
            }
            add("Backup block groups", String::from(groups.trim_end()));
        }
        if sb.has_metadata_csum() {
            add("Checksum type", String::from(if sb.s_checksum_type == 1 { "crc32c" } else { "unknown" }));
            add("Checksum", format!("0x{:08x}", sb.s_checksum));
        }
        if f.incompat(INCOMPAT_CSUM_SEED) {
            add("Checksum seed", format!("0x{:08x}", sb.s_checksum_seed));
        }
        v
    }

    /// A short identifier of this image for shareable links: crc32c over the
    /// UUID, the image length, the block count and the superblock's write time,
    /// mount count and checksum, as 16 hex digits. Two copies of the same image
    /// match; the same file system after another mount or write does not. The
    /// image's bytes never go into a link, only this.
    pub fn fingerprint(&self) -> String {
        use crate::checksum::crc32c;
        let sb = &self.sb;
        let mut a = crc32c(!0, &sb.s_uuid);
        a = crc32c(a, &self.image().len().to_le_bytes());
        a = crc32c(a, &sb.blocks_count().to_le_bytes());
        let mut b = crc32c(a ^ 0x5a5a_5a5a, &sb.s_wtime.to_le_bytes());
        b = crc32c(b, &sb.s_mnt_count.to_le_bytes());
        b = crc32c(b, &sb.s_checksum.to_le_bytes());
        b = crc32c(b, &sb.free_blocks_count().to_le_bytes());
        format!("{a:08x}{b:08x}")
    }

    /// One group's report.
    pub fn group_report(&self, g: u32) -> Option<GroupReport> {
        self.group(g).ok().map(|gr| self.report_of(&gr))
    }

    fn report_of(&self, gr: &Group) -> GroupReport {
        let g = gr.index;
        GroupReport {
            group: gr.index,
            first_block: gr.first_block,
            last_block: gr.last_block,
            head: self.geo.group_head(g),
            block_bitmap: gr.block_bitmap,
            inode_bitmap: gr.inode_bitmap,
            inode_table: gr.inode_table,
            inode_table_blocks: self.geo.inode_table_blocks,
            free_blocks_count: gr.free_blocks_count,
            free_inodes_count: gr.free_inodes_count,
            used_dirs_count: gr.used_dirs_count,
            itable_unused: gr.itable_unused,
            flags: gr.flag_names.iter().map(|s| String::from(*s)).collect(),
            block_bitmap_csum: gr.block_bitmap_csum,
            inode_bitmap_csum: gr.inode_bitmap_csum,
            checksum: gr.checksum,
            desc_block: gr.at.block,
            desc_byte: gr.at.byte,
        }
    }

    /// The info report with every readable group's descriptor (dumpe2fs's
    /// whole output; a reader of 100k+ groups pages with [`Fs::group_report`]).
    pub fn info_with_groups(&self) -> InfoReport {
        InfoReport { groups: self.groups().map(|g| self.report_of(&g)).collect(), ..self.info() }
    }

    /// The info report: superblock, features and problems, without the group list.
    pub fn info(&self) -> InfoReport {
        let sb = &self.sb;
        let f = self.features();
        let cs = self.superblock_checksum();
        InfoReport {
            block_size: self.geo.block_size,
            cluster_size: u64::from(self.geo.block_size) * u64::from(self.geo.cluster_ratio),
            blocks_count: sb.blocks_count(),
            r_blocks_count: sb.r_blocks_count(),
            inodes_count: sb.s_inodes_count,
            free_blocks_count: sb.free_blocks_count(),
            free_inodes_count: sb.s_free_inodes_count,
            first_data_block: self.geo.first_data_block,
            blocks_per_group: self.geo.blocks_per_group,
            inodes_per_group: self.geo.inodes_per_group,
            inode_size: self.geo.inode_size,
            desc_size: self.geo.desc_size,
            groups_count: self.geo.groups_count,
            uuid: uuid_string(&sb.s_uuid),
            volume_name: sb.volume_name(),
            last_mounted: sb.last_mounted(),
            features: f.names(),
            feature_bits: f.list(),
            needs_recovery: f.incompat(INCOMPAT_RECOVER),
            state: state_string(sb.s_state),
            superblock_checksum_ok: cs.ok,
            superblock_checksum: cs,
            image_len: self.image().len(),
            fingerprint: self.fingerprint(),
            summary: self.summary(),
            fields: dump_fields(&self.sb_raw, SUPERBLOCK_FIELDS)
                .into_iter()
                .map(|(k, v)| (String::from(k), v))
                .collect(),
            groups: Vec::new(),
            problems: self.problems.clone(),
            io: self.image().stats(),
        }
    }
}
