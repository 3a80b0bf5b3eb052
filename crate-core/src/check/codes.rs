//! e2fsck's problem codes, messages, prompts and flags (e2fsprogs v1.47.0).
//!
//! GENERATED FILE, do not edit: regenerate with
//!
//! ```text
//! python3 scripts/gen-e2fsck-problems.py <e2fsprogs-git-dir> v1.47.0
//! ```
//!
//! (the git directory defaults to `/work/.mirror/tytso+e2fsprogs/repo`),
//! from `e2fsck/problem.h`, `problemP.h`, `problem.c` and `message.c` at tag
//! `v1.47.0` (commit `25ad8a431331b4d1d444a70b6079456cc612ac40`).
//!
//! [`PROBLEMS`] is `problem_table[]` sorted by code. Its messages have
//! `message.c`'s `@` abbreviations expanded as `print_e2fsck_message()`
//! expands them (recursively; the first letter is capitalised only when an
//! abbreviation starts the message; `@@` is `@`). The `%` expressions
//! (`%i`, `%b`, `%Is`, `%Dn`, `%N`, ...) are left in for the caller to
//! substitute.

use alloc::string::String;

// ---- Problem flags (problemP.h) ---------------------------------------------

/// `PR_PREEN_OK` from `problemP.h`: Don't need to do preenhalt
pub const PR_PREEN_OK: u32 = 0x000001;
/// `PR_NO_OK` from `problemP.h`: If user answers no, don't make fs invalid
pub const PR_NO_OK: u32 = 0x000002;
/// `PR_NO_DEFAULT` from `problemP.h`: Default to no
pub const PR_NO_DEFAULT: u32 = 0x000004;
/// `PR_MSG_ONLY` from `problemP.h`: Print message only
pub const PR_MSG_ONLY: u32 = 0x000008;
/// `PR_FATAL` from `problemP.h`: Fatal error
pub const PR_FATAL: u32 = 0x001000;
/// `PR_AFTER_CODE` from `problemP.h`: After asking the first question, ask another
pub const PR_AFTER_CODE: u32 = 0x002000;
/// `PR_PREEN_NOMSG` from `problemP.h`: Don't print a message if we're preening
pub const PR_PREEN_NOMSG: u32 = 0x004000;
/// `PR_NOCOLLATE` from `problemP.h`: Don't collate answers for this latch
pub const PR_NOCOLLATE: u32 = 0x008000;
/// `PR_NO_NOMSG` from `problemP.h`: Don't print a message if e2fsck -n
pub const PR_NO_NOMSG: u32 = 0x010000;
/// `PR_PREEN_NO` from `problemP.h`: Use No as an answer if preening
pub const PR_PREEN_NO: u32 = 0x020000;
/// `PR_PREEN_NOHDR` from `problemP.h`: Don't print the preen header
pub const PR_PREEN_NOHDR: u32 = 0x040000;
/// `PR_CONFIG` from `problemP.h`: This problem has been customized from the config file
pub const PR_CONFIG: u32 = 0x080000;
/// `PR_FORCE_NO` from `problemP.h`: Force the answer to be no
pub const PR_FORCE_NO: u32 = 0x100000;
/// `PR_NOT_A_FIX` from `problemP.h`: Yes doesn't mean a problem was fixed
pub const PR_NOT_A_FIX: u32 = 0x200000;
/// `PR_HEADER` from `problemP.h`: Problem is a header marker
pub const PR_HEADER: u32 = 0x400000;

// ---- Latch groups (problem.h) -----------------------------------------------

/// The bits of a problem's flags that name its latch group (`problem.h`).
pub const PR_LATCH_MASK: u32 = 0x0ff0;
/// `PR_LATCH_BLOCK` from `problem.h`: Latch for illegal blocks (pass 1)
pub const PR_LATCH_BLOCK: u32 = 0x0010;
/// `PR_LATCH_BBLOCK` from `problem.h`: Latch for bad block inode blocks (pass 1)
pub const PR_LATCH_BBLOCK: u32 = 0x0020;
/// `PR_LATCH_IBITMAP` from `problem.h`: Latch for pass 5 inode bitmap proc.
pub const PR_LATCH_IBITMAP: u32 = 0x0030;
/// `PR_LATCH_BBITMAP` from `problem.h`: Latch for pass 5 inode bitmap proc.
pub const PR_LATCH_BBITMAP: u32 = 0x0040;
/// `PR_LATCH_RELOC` from `problem.h`: Latch for superblock relocate hint
pub const PR_LATCH_RELOC: u32 = 0x0050;
/// `PR_LATCH_DBLOCK` from `problem.h`: Latch for pass 1b dup block headers
pub const PR_LATCH_DBLOCK: u32 = 0x0060;
/// `PR_LATCH_LOW_DTIME` from `problem.h`: Latch for pass1 orphaned list refugees
pub const PR_LATCH_LOW_DTIME: u32 = 0x0070;
/// `PR_LATCH_TOOBIG` from `problem.h`: Latch for file to big errors
pub const PR_LATCH_TOOBIG: u32 = 0x0080;
/// `PR_LATCH_OPTIMIZE_DIR` from `problem.h`: Latch for optimize directories
pub const PR_LATCH_OPTIMIZE_DIR: u32 = 0x0090;
/// `PR_LATCH_BG_CHECKSUM` from `problem.h`: Latch for block group checksums
pub const PR_LATCH_BG_CHECKSUM: u32 = 0x00a0;
/// `PR_LATCH_OPTIMIZE_EXT` from `problem.h`: Latch for rebuild extents
pub const PR_LATCH_OPTIMIZE_EXT: u32 = 0x00b0;

// ---- Problem codes (problem.h) ----------------------------------------------

/// Block bitmap for group gggg is not in group
///
/// Message: `Block bitmap for group %g is not in group.  (block %b)\n`
/// (in `problem.c`: `@b @B for @g %g is not in @g.  (@b %b)\n`).
/// Prompt: `PROMPT_RELOCATE`; flags: `PR_LATCH_RELOC`.
pub const PR_0_BB_NOT_GROUP: u32 = 0x000001;

/// Inode bitmap for group gggg is not in group
///
/// Message: `Inode bitmap for group %g is not in group.  (block %b)\n`
/// (in `problem.c`: `@i @B for @g %g is not in @g.  (@b %b)\n`).
/// Prompt: `PROMPT_RELOCATE`; flags: `PR_LATCH_RELOC`.
pub const PR_0_IB_NOT_GROUP: u32 = 0x000002;

/// Inode table for group gggg is not in group.  (block nnnn)
///
/// Message: `Inode table for group %g is not in group.  (block %b)\nWARNING: SEVERE DATA LOSS POSSIBLE.\n`
/// (in `problem.c`: `@i table for @g %g is not in @g.  (@b %b)\nWARNING: SEVERE DATA LOSS POSSIBLE.\n`).
/// Prompt: `PROMPT_RELOCATE`; flags: `PR_LATCH_RELOC`.
pub const PR_0_ITABLE_NOT_GROUP: u32 = 0x000003;

/// Superblock corrupt
///
/// Message: `\nThe superblock could not be read or does not describe a valid ext2/ext3/ext4\nfilesystem.  If the device is valid and it really contains an ext2/ext3/ext4\nfilesystem (and not swap or ufs or something else), then the superblock\nis corrupt, and you might try running e2fsck with an alternate superblock:\n    e2fsck -b 8193 <device>\n or\n    e2fsck -b 32768 <device>\n\n`
/// (in `problem.c`: `\nThe @S could not be read or does not describe a valid ext2/ext3/ext4\n@f.  If the @v is valid and it really contains an ext2/ext3/ext4\n@f (and not swap or ufs or something else), then the @S\nis corrupt, and you might try running e2fsck with an alternate @S:\n    e2fsck -b 8193 <@v>\n or\n    e2fsck -b 32768 <@v>\n\n`).
/// Prompt: `PROMPT_NONE`; flags: `0`.
pub const PR_0_SB_CORRUPT: u32 = 0x000004;

/// Filesystem size is wrong
///
/// Message: `The filesystem size (according to the superblock) is %b blocks\nThe physical size of the device is %c blocks\nEither the superblock or the partition table is likely to be corrupt!\n`
/// (in `problem.c`: `The @f size (according to the @S) is %b @bs\nThe physical size of the @v is %c @bs\nEither the @S or the partition table is likely to be corrupt!\n`).
/// Prompt: `PROMPT_ABORT`; flags: `0`.
pub const PR_0_FS_SIZE_WRONG: u32 = 0x000005;

/// Fragments not supported
///
/// Message: `Superblock block_size = %b, fragsize = %c.\nThis version of e2fsck does not support fragment sizes different\nfrom the block size.\n`
/// (in `problem.c`: `@S @b_size = %b, fragsize = %c.\nThis version of e2fsck does not support fragment sizes different\nfrom the @b size.\n`).
/// Prompt: `PROMPT_NONE`; flags: `PR_FATAL`.
pub const PR_0_NO_FRAGMENTS: u32 = 0x000006;

/// Superblock blocks\_per\_group = bbbb, should have been cccc
///
/// Message: `Superblock blocks_per_group = %b, should have been %c\n`
/// (in `problem.c`: `@S @bs_per_group = %b, should have been %c\n`).
/// Prompt: `PROMPT_NONE`; flags: `PR_AFTER_CODE`; then `PR_0_SB_CORRUPT`.
pub const PR_0_BLOCKS_PER_GROUP: u32 = 0x000007;

/// Superblock first\_data\_block = bbbb, should have been cccc
///
/// Message: `Superblock first_data_block = %b, should have been %c\n`
/// (in `problem.c`: `@S first_data_@b = %b, should have been %c\n`).
/// Prompt: `PROMPT_NONE`; flags: `PR_AFTER_CODE`; then `PR_0_SB_CORRUPT`.
pub const PR_0_FIRST_DATA_BLOCK: u32 = 0x000008;

/// Filesystem did not have a UUID; generating one
///
/// Message: `Filesystem did not have a UUID; generating one.\n\n`
/// (in `problem.c`: `@f did not have a UUID; generating one.\n\n`).
/// Prompt: `PROMPT_NONE`; flags: `0`.
pub const PR_0_ADD_UUID: u32 = 0x000009;

/// Relocate hint
///
/// Message: `Note: if several inode or block bitmap blocks or part\nof the inode table require relocation, you may wish to try\nrunning e2fsck with the '-b %S' option first.  The problem\nmay lie only with the primary block group descriptors, and\nthe backup block group descriptors may be OK.\n\n`
/// Prompt: `PROMPT_NONE`; flags: `PR_PREEN_OK | PR_NOCOLLATE`.
pub const PR_0_RELOCATE_HINT: u32 = 0x00000a;

/// Miscellaneous superblock corruption
///
/// Message: `Corruption found in superblock.  (%s = %N).\n`
/// (in `problem.c`: `Corruption found in @S.  (%s = %N).\n`).
/// Prompt: `PROMPT_NONE`; flags: `PR_AFTER_CODE`; then `PR_0_SB_CORRUPT`.
pub const PR_0_MISC_CORRUPT_SUPER: u32 = 0x00000b;

/// Error determining physical device size of filesystem
///
/// Message: `Error determining size of the physical device: %m\n`
/// (in `problem.c`: `Error determining size of the physical @v: %m\n`).
/// Prompt: `PROMPT_NONE`; flags: `PR_FATAL`.
pub const PR_0_GETSIZE_ERROR: u32 = 0x00000c;

/// Inode count in the superblock incorrect
///
/// Message: `Inode count in superblock is %i, should be %j.\n`
/// (in `problem.c`: `@i count in @S is %i, @s %j.\n`).
/// Prompt: `PROMPT_FIX`; flags: `0`.
pub const PR_0_INODE_COUNT_WRONG: u32 = 0x00000d;

/// The Hurd does not support the filetype feature
///
/// Message: `The Hurd does not support the filetype feature.\n`
/// Prompt: `PROMPT_CLEAR`; flags: `0`.
pub const PR_0_HURD_CLEAR_FILETYPE: u32 = 0x00000e;

/// Superblock has an invalid journal (inode inum)
///
/// Message: `Superblock has an invalid journal (inode %i).\n`
/// (in `problem.c`: `@S has an @n @j (@i %i).\n`).
/// Prompt: `PROMPT_CLEAR`; flags: `PR_PREEN_OK`.
pub const PR_0_JOURNAL_BAD_INODE: u32 = 0x00000f;

/// External journal has multiple filesystem users (unsupported)
///
/// Message: `External journal has multiple filesystem users (unsupported).\n`
/// (in `problem.c`: `External @j has multiple @f users (unsupported).\n`).
/// Prompt: `PROMPT_NONE`; flags: `PR_FATAL`.
pub const PR_0_JOURNAL_UNSUPP_MULTIFS: u32 = 0x000010;

/// Can't find external journal
///
/// Message: `Can't find external journal\n`
/// (in `problem.c`: `Can't find external @j\n`).
/// Prompt: `PROMPT_NONE`; flags: `PR_FATAL`.
pub const PR_0_CANT_FIND_JOURNAL: u32 = 0x000011;

/// External journal has bad superblock
///
/// Message: `External journal has bad superblock\n`
/// (in `problem.c`: `External @j has bad @S\n`).
/// Prompt: `PROMPT_NONE`; flags: `PR_FATAL`.
pub const PR_0_EXT_JOURNAL_BAD_SUPER: u32 = 0x000012;

/// Superblock has a bad journal UUID
///
/// Message: `External journal does not support this filesystem\n`
/// (in `problem.c`: `External @j does not support this @f\n`).
/// Prompt: `PROMPT_NONE`; flags: `PR_FATAL`.
pub const PR_0_JOURNAL_BAD_UUID: u32 = 0x000013;

/// Filesystem journal superblock is an unknown type
///
/// Message: `Filesystem journal superblock is unknown type %N (unsupported).\nIt is likely that your copy of e2fsck is old and/or doesn't support this journal format.\nIt is also possible the journal superblock is corrupt.\n`
/// (in `problem.c`: `@f @j @S is unknown type %N (unsupported).\nIt is likely that your copy of e2fsck is old and/or doesn't support this @j format.\nIt is also possible the @j @S is corrupt.\n`).
/// Prompt: `PROMPT_ABORT`; flags: `PR_NO_OK | PR_AFTER_CODE`; then `PR_0_JOURNAL_BAD_SUPER`.
pub const PR_0_JOURNAL_UNSUPP_SUPER: u32 = 0x000014;

/// Journal superblock is corrupt
///
/// Message: `Journal superblock is corrupt.\n`
/// (in `problem.c`: `@j @S is corrupt.\n`).
/// Prompt: `PROMPT_FIX`; flags: `PR_PREEN_OK`.
pub const PR_0_JOURNAL_BAD_SUPER: u32 = 0x000015;

/// Superblock has\_journal flag is clear but has a journal
///
/// Message: `Superblock has_journal flag is clear, but a journal is present.\n`
/// (in `problem.c`: `@S has_@j flag is clear, but a @j is present.\n`).
/// Prompt: `PROMPT_CLEAR`; flags: `PR_PREEN_OK`.
pub const PR_0_JOURNAL_HAS_JOURNAL: u32 = 0x000016;

/// Superblock needs\_recovery flag is set but no journal is present
///
/// Message: `Superblock needs_recovery flag is set, but no journal is present.\n`
/// (in `problem.c`: `@S needs_recovery flag is set, but no @j is present.\n`).
/// Prompt: `PROMPT_CLEAR`; flags: `PR_PREEN_OK`.
pub const PR_0_JOURNAL_RECOVER_SET: u32 = 0x000017;

/// Journal has data, but recovery flag is clear
///
/// Message: `Superblock needs_recovery flag is clear, but journal has data.\n`
/// (in `problem.c`: `@S needs_recovery flag is clear, but @j has data.\n`).
/// Prompt: `PROMPT_NONE`; flags: `0`.
pub const PR_0_JOURNAL_RECOVERY_CLEAR: u32 = 0x000018;

/// Ask if we should clear the journal
///
/// Message: `Clear journal`
/// (in `problem.c`: `Clear @j`).
/// Prompt: `PROMPT_NULL`; flags: `PR_PREEN_NOMSG`.
pub const PR_0_JOURNAL_RESET_JOURNAL: u32 = 0x000019;

/// Filesystem revision is 0, but feature flags are set
///
/// Message: `Filesystem has feature flag(s) set, but is a revision 0 filesystem.  `
/// (in `problem.c`: `@f has feature flag(s) set, but is a revision 0 @f.  `).
/// Prompt: `PROMPT_FIX`; flags: `PR_PREEN_OK | PR_NO_OK`.
pub const PR_0_FS_REV_LEVEL: u32 = 0x00001a;

/// Clearing orphan inode
///
/// Message: `%s orphaned inode %i (uid=%Iu, gid=%Ig, mode=%Im, size=%Is)\n`
/// (in `problem.c`: `%s @o @i %i (uid=%Iu, gid=%Ig, mode=%Im, size=%Is)\n`).
/// Prompt: `PROMPT_NONE`; flags: `0`.
pub const PR_0_ORPHAN_CLEAR_INODE: u32 = 0x000020;

/// Illegal block found in orphaned inode
///
/// Message: `Illegal %B (%b) found in orphaned inode %i.\n`
/// (in `problem.c`: `@I %B (%b) found in @o @i %i.\n`).
/// Prompt: `PROMPT_NONE`; flags: `0`.
pub const PR_0_ORPHAN_ILLEGAL_BLOCK_NUM: u32 = 0x000021;

/// Already cleared block found in orphaned inode
///
/// Message: `Already cleared %B (%b) found in orphaned inode %i.\n`
/// (in `problem.c`: `Already cleared %B (%b) found in @o @i %i.\n`).
/// Prompt: `PROMPT_NONE`; flags: `0`.
pub const PR_0_ORPHAN_ALREADY_CLEARED_BLOCK: u32 = 0x000022;

/// Illegal orphan inode in superblock
///
/// Message: `Illegal orphaned inode %i in superblock.\n`
/// (in `problem.c`: `@I @o @i %i in @S.\n`).
/// Prompt: `PROMPT_NONE`; flags: `0`.
pub const PR_0_ORPHAN_ILLEGAL_HEAD_INODE: u32 = 0x000023;

/// Illegal inode in orphaned inode list
///
/// Message: `Illegal inode %i in orphaned inode list.\n`
/// (in `problem.c`: `@I @i %i in @o @i list.\n`).
/// Prompt: `PROMPT_NONE`; flags: `0`.
pub const PR_0_ORPHAN_ILLEGAL_INODE: u32 = 0x000024;

/// Journal has unsupported read-only feature - abort
///
/// Message: `Journal superblock has an unknown read-only feature flag set.\n`
/// (in `problem.c`: `@j @S has an unknown read-only feature flag set.\n`).
/// Prompt: `PROMPT_ABORT`; flags: `0`.
pub const PR_0_JOURNAL_UNSUPP_ROCOMPAT: u32 = 0x000025;

/// Journal has unsupported incompatible feature - abort
///
/// Message: `Journal superblock has an unknown incompatible feature flag set.\n`
/// (in `problem.c`: `@j @S has an unknown incompatible feature flag set.\n`).
/// Prompt: `PROMPT_ABORT`; flags: `0`.
pub const PR_0_JOURNAL_UNSUPP_INCOMPAT: u32 = 0x000026;

/// Journal version not supported by this e2fsck
///
/// Message: `Journal version not supported by this e2fsck.\n`
/// (in `problem.c`: `@j version not supported by this e2fsck.\n`).
/// Prompt: `PROMPT_ABORT`; flags: `0`.
pub const PR_0_JOURNAL_UNSUPP_VERSION: u32 = 0x000027;

/// Moving journal from /file to hidden inode
///
/// Message: `Moving journal from /%s to hidden inode.\n\n`
/// (in `problem.c`: `Moving @j from /%s to hidden @i.\n\n`).
/// Prompt: `PROMPT_NONE`; flags: `0`.
pub const PR_0_MOVE_JOURNAL: u32 = 0x000028;

/// Error moving journal to hidden file
///
/// Message: `Error moving journal: %m\n\n`
/// (in `problem.c`: `Error moving @j: %m\n\n`).
/// Prompt: `PROMPT_NONE`; flags: `0`.
pub const PR_0_ERR_MOVE_JOURNAL: u32 = 0x000029;

/// Found invalid V2 journal superblock fields
///
/// Message: `Found invalid V2 journal superblock fields (from V1 journal).\nClearing fields beyond the V1 journal superblock...\n\n`
/// (in `problem.c`: `Found @n V2 @j @S fields (from V1 @j).\nClearing fields beyond the V1 @j @S...\n\n`).
/// Prompt: `PROMPT_NONE`; flags: `0`.
pub const PR_0_CLEAR_V2_JOURNAL: u32 = 0x00002a;

/// Run journal anyway
///
/// Message: `Run journal anyway`
/// (in `problem.c`: `Run @j anyway`).
/// Prompt: `PROMPT_NULL`; flags: `0`.
pub const PR_0_JOURNAL_RUN: u32 = 0x00002b;

/// Run journal anyway by default
///
/// Message: `Recovery flag not set in backup superblock, so running journal anyway.\n`
/// (in `problem.c`: `Recovery flag not set in backup @S, so running @j anyway.\n`).
/// Prompt: `PROMPT_NONE`; flags: `0`.
pub const PR_0_JOURNAL_RUN_DEFAULT: u32 = 0x00002c;

/// Backing up journal inode block information
///
/// Message: `Backing up journal inode block information.\n\n`
/// (in `problem.c`: `Backing up @j @i @b information.\n\n`).
/// Prompt: `PROMPT_NONE`; flags: `0`.
pub const PR_0_BACKUP_JNL: u32 = 0x00002d;

/// Filesystem does not have resize\_inode enabled, but s\_reserved\_gdt\_blocks is nnnn; should be zero
///
/// Message: `Filesystem does not have resize_inode enabled, but s_reserved_gdt_blocks\nis %N; should be zero.  `
/// (in `problem.c`: `@f does not have resize_@i enabled, but s_reserved_gdt_@bs\nis %N; @s zero.  `).
/// Prompt: `PROMPT_FIX`; flags: `0`.
pub const PR_0_NONZERO_RESERVED_GDT_BLOCKS: u32 = 0x00002e;

/// Resize\_inode not enabled, but the resize inode is non-zero
///
/// Message: `Resize_inode not enabled, but the resize inode is non-zero.  `
/// (in `problem.c`: `Resize_@i not enabled, but the resize @i is non-zero.  `).
/// Prompt: `PROMPT_CLEAR`; flags: `0`.
pub const PR_0_CLEAR_RESIZE_INODE: u32 = 0x00002f;

/// Resize inode not valid
///
/// Message: `Resize inode not valid.  `
/// (in `problem.c`: `Resize @i not valid.  `).
/// Prompt: `PROMPT_RECREATE`; flags: `0`.
pub const PR_0_RESIZE_INODE_INVALID: u32 = 0x000030;

/// Superblock last mount time is in the future
///
/// Message: `Superblock last mount time (%t,\n\tnow = %T) is in the future.\n`
/// (in `problem.c`: `@S last mount time (%t,\n\tnow = %T) is in the future.\n`).
/// Prompt: `PROMPT_FIX`; flags: `PR_PREEN_OK | PR_NO_OK`.
pub const PR_0_FUTURE_SB_LAST_MOUNT: u32 = 0x000031;

/// Superblock last write time is in the future
///
/// Message: `Superblock last write time (%t,\n\tnow = %T) is in the future.\n`
/// (in `problem.c`: `@S last write time (%t,\n\tnow = %T) is in the future.\n`).
/// Prompt: `PROMPT_FIX`; flags: `PR_PREEN_OK | PR_NO_OK`.
pub const PR_0_FUTURE_SB_LAST_WRITE: u32 = 0x000032;

/// Superblock hint for external superblock should be xxxx
///
/// Message: `Superblock hint for external superblock should be %X.  `
/// (in `problem.c`: `@S hint for external superblock @s %X.  `).
/// Prompt: `PROMPT_FIX`; flags: `PR_PREEN_OK`.
pub const PR_0_EXTERNAL_JOURNAL_HINT: u32 = 0x000033;

/// Adding dirhash hint to filesystem
///
/// Message: `Adding dirhash hint to filesystem.\n\n`
/// (in `problem.c`: `Adding dirhash hint to @f.\n\n`).
/// Prompt: `PROMPT_NONE`; flags: `0`.
pub const PR_0_DIRHASH_HINT: u32 = 0x000034;

/// group descriptor N checksum is invalid, should be yyyy.
///
/// Message: `Group descriptor %g checksum is %04x, should be %04y.  `
/// (in `problem.c`: `@g descriptor %g checksum is %04x, should be %04y.  `).
/// Prompt: `PROMPT_FIX`; flags: `PR_PREEN_OK | PR_LATCH_BG_CHECKSUM`.
pub const PR_0_GDT_CSUM: u32 = 0x000035;

/// Group descriptor N marked uninitialized without feature set.
///
/// Message: `Group descriptor %g marked uninitialized without feature set.\n`
/// (in `problem.c`: `@g descriptor %g marked uninitialized without feature set.\n`).
/// Prompt: `PROMPT_FIX`; flags: `PR_PREEN_OK`.
pub const PR_0_GDT_UNINIT: u32 = 0x000036;

/// Group descriptor N has invalid unused inodes count.
///
/// Message: `Group descriptor %g has invalid unused inodes count %b.  `
/// (in `problem.c`: `@g descriptor %g has invalid unused inodes count %b.  `).
/// Prompt: `PROMPT_FIX`; flags: `PR_PREEN_OK`.
pub const PR_0_GDT_ITABLE_UNUSED: u32 = 0x000038;

/// Last group block bitmap is uninitialized.
///
/// Message: `Last group block bitmap uninitialized.  `
/// (in `problem.c`: `Last @g @b @B uninitialized.  `).
/// Prompt: `PROMPT_FIX`; flags: `PR_PREEN_OK`.
pub const PR_0_BB_UNINIT_LAST: u32 = 0x000039;

/// Journal transaction was corrupt, replay was aborted
///
/// Message: `Journal transaction %i was corrupt, replay was aborted.\n`
/// Prompt: `PROMPT_NONE`; flags: `0`.
pub const PR_0_JNL_TXN_CORRUPT: u32 = 0x00003a;

/// The test\_fs filesystem flag is set and ext4 is available
///
/// Message: `The test_fs flag is set (and ext4 is available).  `
/// Prompt: `PROMPT_CLEAR`; flags: `PR_PREEN_OK`.
pub const PR_0_CLEAR_TESTFS_FLAG: u32 = 0x00003b;

/// Last mount time is in the future (fudged)
///
/// Message: `Superblock last mount time is in the future.\n\t(by less than a day, probably due to the hardware clock being incorrectly set)\n`
/// (in `problem.c`: `@S last mount time is in the future.\n\t(by less than a day, probably due to the hardware clock being incorrectly set)\n`).
/// Prompt: `PROMPT_NONE`; flags: `PR_PREEN_OK | PR_NO_OK`.
pub const PR_0_FUTURE_SB_LAST_MOUNT_FUDGED: u32 = 0x00003c;

/// Last write time is in the future (fudged)
///
/// Message: `Superblock last write time is in the future.\n\t(by less than a day, probably due to the hardware clock being incorrectly set)\n`
/// (in `problem.c`: `@S last write time is in the future.\n\t(by less than a day, probably due to the hardware clock being incorrectly set)\n`).
/// Prompt: `PROMPT_NONE`; flags: `PR_PREEN_OK | PR_NO_OK`.
pub const PR_0_FUTURE_SB_LAST_WRITE_FUDGED: u32 = 0x00003d;

/// One or more block group descriptor checksums are invalid (latch)
///
/// Message: `One or more block group descriptor checksums are invalid.  `
/// (in `problem.c`: `One or more @b @g descriptor checksums are invalid.  `).
/// Prompt: `PROMPT_FIX`; flags: `PR_PREEN_OK`.
pub const PR_0_GDT_CSUM_LATCH: u32 = 0x00003e;

/// Setting free inodes count to right (was wrong)
///
/// Message: `Setting free inodes count to %j (was %i)\n`
/// (in `problem.c`: `Setting free @is count to %j (was %i)\n`).
/// Prompt: `PROMPT_NONE`; flags: `PR_PREEN_NOMSG`.
pub const PR_0_FREE_INODE_COUNT: u32 = 0x00003f;

/// Setting free blocks count to right (was wrong)
///
/// Message: `Setting free blocks count to %c (was %b)\n`
/// (in `problem.c`: `Setting free @bs count to %c (was %b)\n`).
/// Prompt: `PROMPT_NONE`; flags: `PR_PREEN_NOMSG`.
pub const PR_0_FREE_BLOCK_COUNT: u32 = 0x000040;

/// Making quota inode hidden
///
/// Message: `Hiding %U quota inode %i (%Q).\n`
/// (in `problem.c`: `Hiding %U @q @i %i (%Q).\n`).
/// Prompt: `PROMPT_NONE`; flags: `PR_PREEN_OK`.
pub const PR_0_HIDE_QUOTA: u32 = 0x000041;

/// Superblock has invalid MMP block.
///
/// Message: `Superblock has invalid MMP block.  `
/// (in `problem.c`: `@S has invalid MMP block.  `).
/// Prompt: `PROMPT_CLEAR`; flags: `PR_PREEN_OK`.
pub const PR_0_MMP_INVALID_BLK: u32 = 0x000042;

/// Superblock has invalid MMP magic.
///
/// Message: `Superblock has invalid MMP magic.  `
/// (in `problem.c`: `@S has invalid MMP magic.  `).
/// Prompt: `PROMPT_FIX`; flags: `PR_PREEN_OK | PR_NO_OK`.
pub const PR_0_MMP_INVALID_MAGIC: u32 = 0x000043;

/// Opening file system failed
///
/// Message: `ext2fs_open2: %m\n`
/// Prompt: `PROMPT_NONE`; flags: `0`.
pub const PR_0_OPEN_FAILED: u32 = 0x000044;

/// Checking group descriptor failed
///
/// Message: `ext2fs_check_desc: %m\n`
/// Prompt: `PROMPT_NONE`; flags: `0`.
pub const PR_0_CHECK_DESC_FAILED: u32 = 0x000045;

/// Superblock metadata\_csum supersedes uninit\_bg; both feature bits cannot be set simultaneously.
///
/// Message: `Superblock metadata_csum supersedes uninit_bg; both feature bits cannot be set simultaneously.`
/// (in `problem.c`: `@S metadata_csum supersedes uninit_bg; both feature bits cannot be set simultaneously.`).
/// Prompt: `PROMPT_FIX`; flags: `PR_PREEN_OK | PR_NO_OK`.
pub const PR_0_META_AND_GDT_CSUM_SET: u32 = 0x000046;

/// Superblock MMP block checksum does not match MMP block.
///
/// Message: `Superblock MMP block checksum does not match.  `
/// (in `problem.c`: `@S MMP @b checksum does not match.  `).
/// Prompt: `PROMPT_FIX`; flags: `PR_PREEN_OK | PR_NO_OK`.
pub const PR_0_MMP_CSUM_INVALID: u32 = 0x000047;

/// Superblock 64bit filesystem needs extents to access the whole disk
///
/// Message: `Superblock 64bit filesystem needs extents to access the whole disk.  `
/// (in `problem.c`: `@S 64bit @f needs extents to access the whole disk.  `).
/// Prompt: `PROMPT_FIX`; flags: `PR_PREEN_OK | PR_NO_OK`.
pub const PR_0_64BIT_WITHOUT_EXTENTS: u32 = 0x000048;

/// The first\_meta\_bg is too big
///
/// Message: `First_meta_bg is too big.  (%N, max value %g).  `
/// Prompt: `PROMPT_CLEAR`; flags: `0`.
pub const PR_0_FIRST_META_BG_TOO_BIG: u32 = 0x000049;

/// External journal superblock checksum does not match superblock
///
/// Message: `External journal superblock checksum does not match superblock.  `
/// (in `problem.c`: `External @j @S checksum does not match @S.  `).
/// Prompt: `PROMPT_FIX`; flags: `PR_PREEN_OK`.
pub const PR_0_EXT_JOURNAL_SUPER_CSUM_INVALID: u32 = 0x00004a;

/// metadata\_csum\_seed means nothing without metadata\_csum
///
/// Message: `Superblock metadata_csum_seed is not necessary without metadata_csum.`
/// (in `problem.c`: `@S metadata_csum_seed is not necessary without metadata_csum.`).
/// Prompt: `PROMPT_FIX`; flags: `PR_PREEN_OK | PR_NO_OK`.
pub const PR_0_CSUM_SEED_WITHOUT_META_CSUM: u32 = 0x00004b;

/// Error initializing quota context
///
/// Message: `Error initializing quota context in support library: %m\n`
/// Prompt: `PROMPT_NULL`; flags: `PR_FATAL`.
pub const PR_0_QUOTA_INIT_CTX: u32 = 0x00004c;

/// Bad required extra isize in superblock
///
/// Message: `Bad required extra isize in superblock (%N).  `
/// (in `problem.c`: `Bad required extra isize in @S (%N).  `).
/// Prompt: `PROMPT_FIX`; flags: `0`.
pub const PR_0_BAD_MIN_EXTRA_ISIZE: u32 = 0x00004d;

/// Bad desired extra isize in superblock
///
/// Message: `Bad desired extra isize in superblock (%N).  `
/// (in `problem.c`: `Bad desired extra isize in @S (%N).  `).
/// Prompt: `PROMPT_FIX`; flags: `0`.
pub const PR_0_BAD_WANT_EXTRA_ISIZE: u32 = 0x00004e;

/// Invalid quota inode number
///
/// Message: `Invalid %U quota inode %i.  `
/// (in `problem.c`: `Invalid %U @q @i %i.  `).
/// Prompt: `PROMPT_FIX`; flags: `0`.
pub const PR_0_INVALID_QUOTA_INO: u32 = 0x00004f;

/// Inode count in the superblock incorrect
///
/// Message: `Superblock would have too many inodes (%N).\n`
/// (in `problem.c`: `@S would have too many inodes (%N).\n`).
/// Prompt: `PROMPT_NONE`; flags: `PR_AFTER_CODE`; then `PR_0_SB_CORRUPT`.
pub const PR_0_INODE_COUNT_BIG: u32 = 0x000050;

/// Meta\_bg and resize\_inode are not compatible, remove resize\_inode
///
/// Message: `Resize_inode and meta_bg features are enabled. Those features are\nnot compatible. Resize inode should be disabled.  `
/// (in `problem.c`: `Resize_@i and meta_bg features are enabled. Those features are\nnot compatible. Resize @i should be disabled.  `).
/// Prompt: `PROMPT_FIX`; flags: `0`.
pub const PR_0_DISABLE_RESIZE_INODE: u32 = 0x000051;

/// Orphan file contains holes
///
/// Message: `Orphan file (inode %i) contains hole at block %b. Terminating orphan file recovery.\n`
/// (in `problem.c`: `Orphan file (@i %i) contains hole at @b %b. Terminating orphan file recovery.\n`).
/// Prompt: `PROMPT_NONE`; flags: `0`.
pub const PR_0_ORPHAN_FILE_HOLE: u32 = 0x000052;

/// Orphan file block has wrong magic
///
/// Message: `Orphan file (inode %i) block %b contains wrong magic. Terminating orphan file recovery.\n`
/// (in `problem.c`: `Orphan file (@i %i) @b %b contains wrong magic. Terminating orphan file recovery.\n`).
/// Prompt: `PROMPT_NONE`; flags: `0`.
pub const PR_0_ORPHAN_FILE_BAD_MAGIC: u32 = 0x000053;

/// Orphan file block has wrong checksum
///
/// Message: `Orphan file (inode %i) block %b contains wrong checksum. Terminating orphan file recovery.\n`
/// (in `problem.c`: `Orphan file (@i %i) @b %b contains wrong checksum. Terminating orphan file recovery.\n`).
/// Prompt: `PROMPT_NONE`; flags: `0`.
pub const PR_0_ORPHAN_FILE_BAD_CHECKSUM: u32 = 0x000054;

/// Orphan file size isn't multiple of blocks size
///
/// Message: `Orphan file (inode %i) size is not multiple of block size. Terminating orphan file recovery.\n`
/// (in `problem.c`: `Orphan file (@i %i) size is not multiple of block size. Terminating orphan file recovery.\n`).
/// Prompt: `PROMPT_NONE`; flags: `0`.
pub const PR_0_ORPHAN_FILE_WRONG_SIZE: u32 = 0x000055;

/// Pass 1: Checking inodes, blocks, and sizes
///
/// Message: `Pass 1: Checking inodes, blocks, and sizes\n`
/// (in `problem.c`: `Pass 1: Checking @is, @bs, and sizes\n`).
/// Prompt: `PROMPT_NONE`; flags: `PR_HEADER`.
pub const PR_1_PASS_HEADER: u32 = 0x010000;

/// Root inode is not a directory
///
/// Message: `Root inode is not a directory.  `
/// (in `problem.c`: `@r is not a @d.  `).
/// Prompt: `PROMPT_CLEAR`; flags: `0`.
pub const PR_1_ROOT_NO_DIR: u32 = 0x010001;

/// Root inode has dtime set
///
/// Message: `Root inode has dtime set (probably due to old mke2fs).  `
/// (in `problem.c`: `@r has dtime set (probably due to old mke2fs).  `).
/// Prompt: `PROMPT_FIX`; flags: `PR_PREEN_OK`.
pub const PR_1_ROOT_DTIME: u32 = 0x010002;

/// Reserved inode has bad mode
///
/// Message: `Reserved inode %i (%Q) has invalid mode.  `
/// (in `problem.c`: `Reserved @i %i (%Q) has @n mode.  `).
/// Prompt: `PROMPT_CLEAR`; flags: `PR_PREEN_OK`.
pub const PR_1_RESERVED_BAD_MODE: u32 = 0x010003;

/// Deleted inode inum has zero dtime
///
/// Message: `Deleted inode %i has zero dtime.  `
/// (in `problem.c`: `@D @i %i has zero dtime.  `).
/// Prompt: `PROMPT_FIX`; flags: `PR_PREEN_OK`.
pub const PR_1_ZERO_DTIME: u32 = 0x010004;

/// Inode inum is in use, but has dtime set
///
/// Message: `Inode %i is in use, but has dtime set.  `
/// (in `problem.c`: `@i %i is in use, but has dtime set.  `).
/// Prompt: `PROMPT_FIX`; flags: `PR_PREEN_OK`.
pub const PR_1_SET_DTIME: u32 = 0x010005;

/// Inode inum is a zero-length directory
///
/// Message: `Inode %i is a zero-length directory.  `
/// (in `problem.c`: `@i %i is a @z @d.  `).
/// Prompt: `PROMPT_CLEAR`; flags: `PR_PREEN_OK`.
pub const PR_1_ZERO_LENGTH_DIR: u32 = 0x010006;

/// Group block bitmap at block conflicts with some other fs block
///
/// Message: `Group %g's block bitmap at %b conflicts with some other fs block.\n`
/// (in `problem.c`: `@g %g's @b @B at %b @C.\n`).
/// Prompt: `PROMPT_RELOCATE`; flags: `0`.
pub const PR_1_BB_CONFLICT: u32 = 0x010007;

/// Group inode bitmap at block conflicts with some other fs block
///
/// Message: `Group %g's inode bitmap at %b conflicts with some other fs block.\n`
/// (in `problem.c`: `@g %g's @i @B at %b @C.\n`).
/// Prompt: `PROMPT_RELOCATE`; flags: `0`.
pub const PR_1_IB_CONFLICT: u32 = 0x010008;

/// Group inode table at block conflicts with some other fs block
///
/// Message: `Group %g's inode table at %b conflicts with some other fs block.\n`
/// (in `problem.c`: `@g %g's @i table at %b @C.\n`).
/// Prompt: `PROMPT_RELOCATE`; flags: `0`.
pub const PR_1_ITABLE_CONFLICT: u32 = 0x010009;

/// Group block bitmap (block) is bad
///
/// Message: `Group %g's block bitmap (%b) is bad.  `
/// (in `problem.c`: `@g %g's @b @B (%b) is bad.  `).
/// Prompt: `PROMPT_RELOCATE`; flags: `0`.
pub const PR_1_BB_BAD_BLOCK: u32 = 0x01000a;

/// Group inode bitmap (block) is bad
///
/// Message: `Group %g's inode bitmap (%b) is bad.  `
/// (in `problem.c`: `@g %g's @i @B (%b) is bad.  `).
/// Prompt: `PROMPT_RELOCATE`; flags: `0`.
pub const PR_1_IB_BAD_BLOCK: u32 = 0x01000b;

/// Inode i\_size is small, should be larger
///
/// Message: `Inode %i, i_size is %Is, should be %N.  `
/// (in `problem.c`: `@i %i, i_size is %Is, @s %N.  `).
/// Prompt: `PROMPT_FIX`; flags: `PR_PREEN_OK`.
pub const PR_1_BAD_I_SIZE: u32 = 0x01000c;

/// Inode i\_blocks is small, should be larger
///
/// Message: `Inode %i, i_blocks is %Ib, should be %N.  `
/// (in `problem.c`: `@i %i, i_@bs is %Ib, @s %N.  `).
/// Prompt: `PROMPT_FIX`; flags: `PR_PREEN_OK`.
pub const PR_1_BAD_I_BLOCKS: u32 = 0x01000d;

/// Illegal block number in inode
///
/// Message: `Illegal %B (%b) in inode %i.  `
/// (in `problem.c`: `@I %B (%b) in @i %i.  `).
/// Prompt: `PROMPT_CLEAR`; flags: `PR_LATCH_BLOCK`.
pub const PR_1_ILLEGAL_BLOCK_NUM: u32 = 0x01000e;

/// Block number overlaps filesystem metadata in inode
///
/// Message: `%B (%b) overlaps filesystem metadata in inode %i.  `
/// (in `problem.c`: `%B (%b) overlaps @f metadata in @i %i.  `).
/// Prompt: `PROMPT_CLEAR`; flags: `PR_LATCH_BLOCK`.
pub const PR_1_BLOCK_OVERLAPS_METADATA: u32 = 0x01000f;

/// Inode has illegal blocks (latch question)
///
/// Message: `Inode %i has illegal block(s).  `
/// (in `problem.c`: `@i %i has illegal @b(s).  `).
/// Prompt: `PROMPT_CLEAR`; flags: `0`.
pub const PR_1_INODE_BLOCK_LATCH: u32 = 0x010010;

/// Too many illegal blocks in inode
///
/// Message: `Too many illegal blocks in inode %i.\n`
/// (in `problem.c`: `Too many illegal @bs in @i %i.\n`).
/// Prompt: `PROMPT_CLEAR_INODE`; flags: `PR_NO_OK`.
pub const PR_1_TOO_MANY_BAD_BLOCKS: u32 = 0x010011;

/// Illegal block number in bad block inode
///
/// Message: `Illegal %B (%b) in bad block inode.  `
/// (in `problem.c`: `@I %B (%b) in bad @b @i.  `).
/// Prompt: `PROMPT_CLEAR`; flags: `PR_LATCH_BBLOCK`.
pub const PR_1_BB_ILLEGAL_BLOCK_NUM: u32 = 0x010012;

/// Bad block inode has illegal blocks (latch question)
///
/// Message: `Bad block inode has illegal block(s).  `
/// (in `problem.c`: `Bad @b @i has illegal @b(s).  `).
/// Prompt: `PROMPT_CLEAR`; flags: `0`.
pub const PR_1_INODE_BBLOCK_LATCH: u32 = 0x010013;

/// Duplicate or bad blocks in use!
///
/// Message: `Duplicate or bad block in use!\n`
/// (in `problem.c`: `Duplicate or bad @b in use!\n`).
/// Prompt: `PROMPT_NONE`; flags: `0`.
pub const PR_1_DUP_BLOCKS_PREENSTOP: u32 = 0x010014;

/// Bad block number used as bad block inode indirect block
///
/// Message: `Bad block %b used as bad block inode indirect block.  `
/// (in `problem.c`: `Bad @b %b used as bad @b @i indirect @b.  `).
/// Prompt: `PROMPT_CLEAR`; flags: `PR_LATCH_BBLOCK`.
pub const PR_1_BBINODE_BAD_METABLOCK: u32 = 0x010015;

/// Inconsistency can't be fixed prompt
///
/// Message: `\nThe bad block inode has probably been corrupted.  You probably\nshould stop now and run e2fsck -c to scan for bad blocks\nin the filesystem.\n`
/// (in `problem.c`: `\nThe bad @b @i has probably been corrupted.  You probably\nshould stop now and run e2fsck -c to scan for bad blocks\nin the @f.\n`).
/// Prompt: `PROMPT_CONTINUE`; flags: `PR_PREEN_NOMSG`.
pub const PR_1_BBINODE_BAD_METABLOCK_PROMPT: u32 = 0x010016;

/// Bad primary block
///
/// Message: `\nIf the block is really bad, the filesystem can not be fixed.\n`
/// (in `problem.c`: `\nIf the @b is really bad, the @f can not be fixed.\n`).
/// Prompt: `PROMPT_NONE`; flags: `PR_AFTER_CODE`; then `PR_1_BAD_PRIMARY_BLOCK_PROMPT`.
pub const PR_1_BAD_PRIMARY_BLOCK: u32 = 0x010017;

/// Bad primary block prompt
///
/// Message: `You can remove this block from the bad block list and hope\nthat the block is really OK.  But there are no guarantees.\n\n`
/// (in `problem.c`: `You can remove this @b from the bad @b list and hope\nthat the @b is really OK.  But there are no guarantees.\n\n`).
/// Prompt: `PROMPT_CLEAR`; flags: `PR_PREEN_NOMSG`.
pub const PR_1_BAD_PRIMARY_BLOCK_PROMPT: u32 = 0x010018;

/// The primary superblock block is on the bad block list
///
/// Message: `The primary superblock (%b) is on the bad block list.\n`
/// (in `problem.c`: `The primary @S (%b) is on the bad @b list.\n`).
/// Prompt: `PROMPT_NONE`; flags: `PR_AFTER_CODE`; then `PR_1_BAD_PRIMARY_BLOCK`.
pub const PR_1_BAD_PRIMARY_SUPERBLOCK: u32 = 0x010019;

/// Bad primary block group descriptors
///
/// Message: `Block %b in the primary group descriptors is on the bad block list\n`
/// (in `problem.c`: `Block %b in the primary @g descriptors is on the bad @b list\n`).
/// Prompt: `PROMPT_NONE`; flags: `PR_AFTER_CODE`; then `PR_1_BAD_PRIMARY_BLOCK`.
pub const PR_1_BAD_PRIMARY_GROUP_DESCRIPTOR: u32 = 0x01001a;

/// Warning: Group number's superblock (block) is bad
///
/// Message: `Warning: Group %g's superblock (%b) is bad.\n`
/// (in `problem.c`: `Warning: Group %g's @S (%b) is bad.\n`).
/// Prompt: `PROMPT_NONE`; flags: `PR_PREEN_OK | PR_PREEN_NOMSG`.
pub const PR_1_BAD_SUPERBLOCK: u32 = 0x01001b;

/// Warning: Group number's copy of the group descriptors has a bad block
///
/// Message: `Warning: Group %g's copy of the group descriptors has a bad block (%b).\n`
/// (in `problem.c`: `Warning: Group %g's copy of the @g descriptors has a bad @b (%b).\n`).
/// Prompt: `PROMPT_NONE`; flags: `PR_PREEN_OK | PR_PREEN_NOMSG`.
pub const PR_1_BAD_GROUP_DESCRIPTORS: u32 = 0x01001c;

/// Block number claimed for no reason in process\_bad\_blocks
///
/// Message: `Programming error?  block #%b claimed for no reason in process_bad_block.\n`
/// (in `problem.c`: `Programming error?  @b #%b claimed for no reason in process_bad_@b.\n`).
/// Prompt: `PROMPT_NONE`; flags: `PR_PREEN_OK`.
pub const PR_1_PROGERR_CLAIMED_BLOCK: u32 = 0x01001d;

/// Allocating number contiguous block(s) in block group number
///
/// Message: `Error allocating %N contiguous block(s) in block group %g for %s: %m\n`
/// (in `problem.c`: `@A %N contiguous @b(s) in @b @g %g for %s: %m\n`).
/// Prompt: `PROMPT_NONE`; flags: `PR_PREEN_OK`.
pub const PR_1_RELOC_BLOCK_ALLOCATE: u32 = 0x01001e;

/// Allocating block buffer for relocating process
///
/// Message: `Error allocating block buffer for relocating %s\n`
/// (in `problem.c`: `@A @b buffer for relocating %s\n`).
/// Prompt: `PROMPT_NONE`; flags: `PR_PREEN_OK`.
pub const PR_1_RELOC_MEMORY_ALLOCATE: u32 = 0x01001f;

/// Relocating group number's information from X to Y
///
/// Message: `Relocating group %g's %s from %b to %c...\n`
/// (in `problem.c`: `Relocating @g %g's %s from %b to %c...\n`).
/// Prompt: `PROMPT_NONE`; flags: `PR_PREEN_OK`.
pub const PR_1_RELOC_FROM_TO: u32 = 0x010020;

/// Relocating group number's information to X
///
/// Message: `Relocating group %g's %s to %c...\n`
/// (in `problem.c`: `Relocating @g %g's %s to %c...\n`).
/// Prompt: `PROMPT_NONE`; flags: `PR_PREEN_OK`.
pub const PR_1_RELOC_TO: u32 = 0x010021;

/// Warning: could not read block number of relocation process
///
/// Message: `Warning: could not read block %b of %s: %m\n`
/// (in `problem.c`: `Warning: could not read @b %b of %s: %m\n`).
/// Prompt: `PROMPT_NONE`; flags: `PR_PREEN_OK`.
pub const PR_1_RELOC_READ_ERR: u32 = 0x010022;

/// Warning: could not write block number of relocation process
///
/// Message: `Warning: could not write block %b for %s: %m\n`
/// (in `problem.c`: `Warning: could not write @b %b for %s: %m\n`).
/// Prompt: `PROMPT_NONE`; flags: `PR_PREEN_OK`.
pub const PR_1_RELOC_WRITE_ERR: u32 = 0x010023;

/// Error allocating inode bitmap
///
/// Message: `Error allocating inode bitmap (%N): %m\n`
/// (in `problem.c`: `@A @i @B (%N): %m\n`).
/// Prompt: `PROMPT_NONE`; flags: `PR_FATAL`.
pub const PR_1_ALLOCATE_IBITMAP_ERROR: u32 = 0x010024;

/// Error allocating block bitmap
///
/// Message: `Error allocating block bitmap (%N): %m\n`
/// (in `problem.c`: `@A @b @B (%N): %m\n`).
/// Prompt: `PROMPT_NONE`; flags: `PR_FATAL`.
pub const PR_1_ALLOCATE_BBITMAP_ERROR: u32 = 0x010025;

/// Error allocating icount link information
///
/// Message: `Error allocating icount link information: %m\n`
/// (in `problem.c`: `@A icount link information: %m\n`).
/// Prompt: `PROMPT_NONE`; flags: `PR_FATAL`.
pub const PR_1_ALLOCATE_ICOUNT: u32 = 0x010026;

/// Error allocating directory block array
///
/// Message: `Error allocating directory block array: %m\n`
/// (in `problem.c`: `@A @d @b array: %m\n`).
/// Prompt: `PROMPT_NONE`; flags: `PR_FATAL`.
pub const PR_1_ALLOCATE_DBCOUNT: u32 = 0x010027;

/// Error while scanning inodes
///
/// Message: `Error while scanning inodes (%i): %m\n`
/// (in `problem.c`: `Error while scanning @is (%i): %m\n`).
/// Prompt: `PROMPT_NONE`; flags: `PR_FATAL`.
pub const PR_1_ISCAN_ERROR: u32 = 0x010028;

/// Error while iterating over blocks in inode
///
/// Message: `Error while iterating over blocks in inode %i: %m\n`
/// (in `problem.c`: `Error while iterating over @bs in @i %i: %m\n`).
/// Prompt: `PROMPT_NONE`; flags: `PR_FATAL`.
pub const PR_1_BLOCK_ITERATE: u32 = 0x010029;

/// Error storing inode count information
///
/// Message: `Error storing inode count information (inode=%i, count=%N): %m\n`
/// (in `problem.c`: `Error storing @i count information (@i=%i, count=%N): %m\n`).
/// Prompt: `PROMPT_NONE`; flags: `PR_FATAL`.
pub const PR_1_ICOUNT_STORE: u32 = 0x01002a;

/// Error storing directory block information
///
/// Message: `Error storing directory block information (inode=%i, block=%b, num=%N): %m\n`
/// (in `problem.c`: `Error storing @d @b information (@i=%i, @b=%b, num=%N): %m\n`).
/// Prompt: `PROMPT_NONE`; flags: `PR_FATAL`.
pub const PR_1_ADD_DBLOCK: u32 = 0x01002b;

/// Error reading inode (for clearing)
///
/// Message: `Error reading inode %i: %m\n`
/// (in `problem.c`: `Error reading @i %i: %m\n`).
/// Prompt: `PROMPT_NONE`; flags: `PR_FATAL`.
pub const PR_1_READ_INODE: u32 = 0x01002c;

/// Suppress messages prompt
///
/// Message: none (an empty message).
/// Prompt: `PROMPT_SUPPRESS`; flags: `PR_NO_OK`.
pub const PR_1_SUPPRESS_MESSAGES: u32 = 0x01002d;

/// Imagic number has imagic flag set when fs doesn't support it
///
/// Message: `Inode %i has imagic flag set.  `
/// (in `problem.c`: `@i %i has imagic flag set.  `).
/// Prompt: `PROMPT_CLEAR`; flags: `0`.
pub const PR_1_SET_IMAGIC: u32 = 0x01002f;

/// Immutable flag set on a device or socket inode
///
/// Message: `Special (device/socket/fifo/symlink) file (inode %i) has immutable\nor append-only flag set.  `
/// (in `problem.c`: `Special (@v/socket/fifo/symlink) file (@i %i) has immutable\nor append-only flag set.  `).
/// Prompt: `PROMPT_CLEAR`; flags: `PR_PREEN_OK | PR_PREEN_NO | PR_NO_OK`.
pub const PR_1_SET_IMMUTABLE: u32 = 0x010030;

/// Non-zero size on on device, fifo or socket inode
///
/// Message: `Special (device/socket/fifo) inode %i has non-zero size.  `
/// (in `problem.c`: `Special (@v/socket/fifo) @i %i has non-zero size.  `).
/// Prompt: `PROMPT_FIX`; flags: `PR_PREEN_OK`.
pub const PR_1_SET_NONZSIZE: u32 = 0x010032;

/// Filesystem has feature flag(s) set, but is a revision 0 filesystem
///
/// Message: `Filesystem has feature flag(s) set, but is a revision 0 filesystem.  `
/// (in `problem.c`: `@f has feature flag(s) set, but is a revision 0 @f.  `).
/// Prompt: `PROMPT_FIX`; flags: `PR_PREEN_OK | PR_NO_OK`.
pub const PR_1_FS_REV_LEVEL: u32 = 0x010033;

/// Journal inode is not in use, but contains data
///
/// Message: `Journal inode is not in use, but contains data.  `
/// (in `problem.c`: `@j @i is not in use, but contains data.  `).
/// Prompt: `PROMPT_CLEAR`; flags: `PR_PREEN_OK`.
pub const PR_1_JOURNAL_INODE_NOT_CLEAR: u32 = 0x010034;

/// Journal is not a regular file
///
/// Message: `Journal is not regular file.  `
/// (in `problem.c`: `@j is not regular file.  `).
/// Prompt: `PROMPT_FIX`; flags: `PR_PREEN_OK`.
pub const PR_1_JOURNAL_BAD_MODE: u32 = 0x010035;

/// Inode that was part of the orphan list
///
/// Message: `Inode %i was part of the orphaned inode list.  `
/// (in `problem.c`: `@i %i was part of the @o @i list.  `).
/// Prompt: `PROMPT_FIX`; flags: `PR_LATCH_LOW_DTIME`.
pub const PR_1_LOW_DTIME: u32 = 0x010036;

/// Inodes that were part of a corrupted orphan linked list found (latch question)
///
/// Message: `Inodes that were part of a corrupted orphan linked list found.  `
/// (in `problem.c`: `@is that were part of a corrupted orphan linked list found.  `).
/// Prompt: `PROMPT_FIX`; flags: `0`.
pub const PR_1_ORPHAN_LIST_REFUGEES: u32 = 0x010037;

/// Error allocating refcount structure
///
/// Message: `Error allocating refcount structure (%N): %m\n`
/// (in `problem.c`: `@A refcount structure (%N): %m\n`).
/// Prompt: `PROMPT_NONE`; flags: `PR_FATAL`.
pub const PR_1_ALLOCATE_REFCOUNT: u32 = 0x010038;

/// Error reading extended attribute block
///
/// Message: `Error reading extended attribute block %b for inode %i.  `
/// (in `problem.c`: `Error reading @a @b %b for @i %i.  `).
/// Prompt: `PROMPT_CLEAR`; flags: `0`.
pub const PR_1_READ_EA_BLOCK: u32 = 0x010039;

/// Inode number has a bad extended attribute block
///
/// Message: `Inode %i has a bad extended attribute block %b.  `
/// (in `problem.c`: `@i %i has a bad @a @b %b.  `).
/// Prompt: `PROMPT_CLEAR`; flags: `0`.
pub const PR_1_BAD_EA_BLOCK: u32 = 0x01003a;

/// Error reading Extended Attribute block while fixing refcount -- abort
///
/// Message: `Error reading extended attribute block %b (%m).  `
/// (in `problem.c`: `Error reading @a @b %b (%m).  `).
/// Prompt: `PROMPT_NONE`; flags: `PR_FATAL`.
pub const PR_1_EXTATTR_READ_ABORT: u32 = 0x01003b;

/// Extended attribute number has reference count incorrect, should be
///
/// Message: `Extended attribute block %b has reference count %r, should be %N.  `
/// (in `problem.c`: `@a @b %b has reference count %r, @s %N.  `).
/// Prompt: `PROMPT_FIX`; flags: `0`.
pub const PR_1_EXTATTR_REFCOUNT: u32 = 0x01003c;

/// Error writing Extended Attribute block while fixing refcount
///
/// Message: `Error writing extended attribute block %b (%m).  `
/// (in `problem.c`: `Error writing @a @b %b (%m).  `).
/// Prompt: `PROMPT_NONE`; flags: `PR_FATAL`.
pub const PR_1_EXTATTR_WRITE_ABORT: u32 = 0x01003d;

/// Extended attribute block has h\_blocks \> 1
///
/// Message: `Extended attribute block %b has h_blocks > 1.  `
/// (in `problem.c`: `@a @b %b has h_@bs > 1.  `).
/// Prompt: `PROMPT_CLEAR`; flags: `0`.
pub const PR_1_EA_MULTI_BLOCK: u32 = 0x01003e;

/// Allocating extended attribute region allocation structure
///
/// Message: `Error allocating extended attribute region allocation structure.  `
/// (in `problem.c`: `@A @a region allocation structure.  `).
/// Prompt: `PROMPT_NONE`; flags: `PR_FATAL`.
pub const PR_1_EA_ALLOC_REGION_ABORT: u32 = 0x01003f;

/// Extended Attribute block number is corrupt (allocation collision)
///
/// Message: `Extended attribute block %b is corrupt (allocation collision).  `
/// (in `problem.c`: `@a @b %b is corrupt (allocation collision).  `).
/// Prompt: `PROMPT_CLEAR`; flags: `0`.
pub const PR_1_EA_ALLOC_COLLISION: u32 = 0x010040;

/// Extended attribute block number is corrupt (invalid name)
///
/// Message: `Extended attribute block %b is corrupt (invalid name).  `
/// (in `problem.c`: `@a @b %b is corrupt (@n name).  `).
/// Prompt: `PROMPT_CLEAR`; flags: `0`.
pub const PR_1_EA_BAD_NAME: u32 = 0x010041;

/// Extended attribute block number is corrupt (invalid value)
///
/// Message: `Extended attribute block %b is corrupt (invalid value).  `
/// (in `problem.c`: `@a @b %b is corrupt (@n value).  `).
/// Prompt: `PROMPT_CLEAR`; flags: `0`.
pub const PR_1_EA_BAD_VALUE: u32 = 0x010042;

/// Inode number is too big (latch question)
///
/// Message: `Inode %i is too big.  `
/// (in `problem.c`: `@i %i is too big.  `).
/// Prompt: `PROMPT_TRUNCATE`; flags: `0`.
pub const PR_1_INODE_TOOBIG: u32 = 0x010043;

/// Problem causes directory to be too big
///
/// Message: `%B (%b) causes directory to be too big.  `
/// (in `problem.c`: `%B (%b) causes @d to be too big.  `).
/// Prompt: `PROMPT_CLEAR`; flags: `PR_LATCH_TOOBIG`.
pub const PR_1_TOOBIG_DIR: u32 = 0x010044;

/// Problem causes file to be too big
///
/// Message: `%B (%b) causes file to be too big.  `
/// Prompt: `PROMPT_CLEAR`; flags: `PR_LATCH_TOOBIG`.
pub const PR_1_TOOBIG_REG: u32 = 0x010045;

/// Problem causes symlink to be too big
///
/// Message: `%B (%b) causes symlink to be too big.  `
/// Prompt: `PROMPT_CLEAR`; flags: `PR_LATCH_TOOBIG`.
pub const PR_1_TOOBIG_SYMLINK: u32 = 0x010046;

/// Inode has INDEX\_FL flag set on filesystem without htree support
///
/// Message: `Inode %i has INDEX_FL flag set on filesystem without htree support.\n`
/// (in `problem.c`: `@i %i has INDEX_FL flag set on @f without htree support.\n`).
/// Prompt: `PROMPT_CLEAR_HTREE`; flags: `PR_PREEN_OK`.
pub const PR_1_HTREE_SET: u32 = 0x010047;

/// Inode number has INDEX\_FL flag set but is on a directory
///
/// Message: `Inode %i has INDEX_FL flag set but is not a directory.\n`
/// (in `problem.c`: `@i %i has INDEX_FL flag set but is not a @d.\n`).
/// Prompt: `PROMPT_CLEAR_HTREE`; flags: `PR_PREEN_OK`.
pub const PR_1_HTREE_NODIR: u32 = 0x010048;

/// htree directory has an invalid root node
///
/// Message: `HTREE directory inode %i has an invalid root node.\n`
/// (in `problem.c`: `@h %i has an @n root node.\n`).
/// Prompt: `PROMPT_CLEAR_HTREE`; flags: `PR_PREEN_OK`.
pub const PR_1_HTREE_BADROOT: u32 = 0x010049;

/// Htree directory has an unsupported hash version
///
/// Message: `HTREE directory inode %i has an unsupported hash version (%N)\n`
/// (in `problem.c`: `@h %i has an unsupported hash version (%N)\n`).
/// Prompt: `PROMPT_CLEAR_HTREE`; flags: `PR_PREEN_OK`.
pub const PR_1_HTREE_HASHV: u32 = 0x01004a;

/// Htree directory uses an Incompatible htree root node flag
///
/// Message: `HTREE directory inode %i uses an incompatible htree root node flag.\n`
/// (in `problem.c`: `@h %i uses an incompatible htree root node flag.\n`).
/// Prompt: `PROMPT_CLEAR_HTREE`; flags: `PR_PREEN_OK`.
pub const PR_1_HTREE_INCOMPAT: u32 = 0x01004b;

/// Htree directory has a tree depth which is too big
///
/// Message: `HTREE directory inode %i has a tree depth (%N) which is too big\n`
/// (in `problem.c`: `@h %i has a tree depth (%N) which is too big\n`).
/// Prompt: `PROMPT_CLEAR_HTREE`; flags: `PR_PREEN_OK`.
pub const PR_1_HTREE_DEPTH: u32 = 0x01004c;

/// Bad block inode has an indirect block number that conflicts with filesystem metadata
///
/// Message: `Bad block inode has an indirect block (%b) that conflicts with\nfilesystem metadata.  `
/// (in `problem.c`: `Bad @b @i has an indirect @b (%b) that conflicts with\n@f metadata.  `).
/// Prompt: `PROMPT_CLEAR`; flags: `PR_LATCH_BBLOCK`.
pub const PR_1_BB_FS_BLOCK: u32 = 0x01004d;

/// Resize inode (re)creation failed
///
/// Message: `Resize inode (re)creation failed: %m.`
/// (in `problem.c`: `Resize @i (re)creation failed: %m.`).
/// Prompt: `PROMPT_CONTINUE`; flags: `0`.
pub const PR_1_RESIZE_INODE_CREATE: u32 = 0x01004e;

/// inode has a extra size i\_extra\_isize which is invalid
///
/// Message: `Inode %i has a extra size (%IS) which is invalid\n`
/// (in `problem.c`: `@i %i has a extra size (%IS) which is @n\n`).
/// Prompt: `PROMPT_FIX`; flags: `PR_PREEN_OK`.
pub const PR_1_EXTRA_ISIZE: u32 = 0x01004f;

/// Extended attribute in inode has a namelen which is invalid
///
/// Message: `Extended attribute in inode %i has a namelen (%N) which is invalid\n`
/// (in `problem.c`: `@a in @i %i has a namelen (%N) which is @n\n`).
/// Prompt: `PROMPT_CLEAR`; flags: `PR_PREEN_OK`.
pub const PR_1_ATTR_NAME_LEN: u32 = 0x010050;

/// Extended attribute in inode has a value offset which is invalid
///
/// Message: `Extended attribute in inode %i has a value offset (%N) which is invalid\n`
/// (in `problem.c`: `@a in @i %i has a value offset (%N) which is @n\n`).
/// Prompt: `PROMPT_CLEAR`; flags: `PR_PREEN_OK`.
pub const PR_1_ATTR_VALUE_OFFSET: u32 = 0x010051;

/// extended attribute in inode has a value block which is invalid
///
/// Message: `Extended attribute in inode %i has a value block (%N) which is invalid (must be 0)\n`
/// (in `problem.c`: `@a in @i %i has a value @b (%N) which is @n (must be 0)\n`).
/// Prompt: `PROMPT_CLEAR`; flags: `PR_PREEN_OK`.
pub const PR_1_ATTR_VALUE_BLOCK: u32 = 0x010052;

/// extended attribute in inode has a value size which is invalid
///
/// Message: `Extended attribute in inode %i has a value size (%N) which is invalid\n`
/// (in `problem.c`: `@a in @i %i has a value size (%N) which is @n\n`).
/// Prompt: `PROMPT_CLEAR`; flags: `PR_PREEN_OK`.
pub const PR_1_ATTR_VALUE_SIZE: u32 = 0x010053;

/// extended attribute in inode has a hash which is invalid
///
/// Message: `Extended attribute in inode %i has a hash (%N) which is invalid\n`
/// (in `problem.c`: `@a in @i %i has a hash (%N) which is @n\n`).
/// Prompt: `PROMPT_CLEAR`; flags: `PR_PREEN_OK`.
pub const PR_1_ATTR_HASH: u32 = 0x010054;

/// inode is a type but it looks like it is really a directory
///
/// Message: `Inode %i is a %It but it looks like it is really a directory.\n`
/// (in `problem.c`: `@i %i is a %It but it looks like it is really a directory.\n`).
/// Prompt: `PROMPT_FIX`; flags: `0`.
pub const PR_1_TREAT_AS_DIRECTORY: u32 = 0x010055;

/// Error while reading extent tree in inode
///
/// Message: `Error while reading over extent tree in inode %i: %m\n`
/// (in `problem.c`: `Error while reading over @x tree in @i %i: %m\n`).
/// Prompt: `PROMPT_CLEAR_INODE`; flags: `0`.
pub const PR_1_READ_EXTENT: u32 = 0x010056;

/// Failure to iterate extents in inode
///
/// Message: `Failed to iterate extents in inode %i\n\t(op %s, blk %b, lblk %c): %m\n`
/// (in `problem.c`: `Failed to iterate extents in @i %i\n\t(op %s, blk %b, lblk %c): %m\n`).
/// Prompt: `PROMPT_CLEAR_INODE`; flags: `0`.
pub const PR_1_EXTENT_ITERATE_FAILURE: u32 = 0x010057;

/// Inode has an invalid extent starting block
///
/// Message: `Inode %i has an invalid extent\n\t(logical block %c, invalid physical block %b, len %N)\n`
/// (in `problem.c`: `@i %i has an @n extent\n\t(logical @b %c, @n physical @b %b, len %N)\n`).
/// Prompt: `PROMPT_CLEAR`; flags: `0`.
pub const PR_1_EXTENT_BAD_START_BLK: u32 = 0x010058;

/// Inode has an invalid extent that ends beyond filesystem
///
/// Message: `Inode %i has an invalid extent\n\t(logical block %c, physical block %b, invalid len %N)\n`
/// (in `problem.c`: `@i %i has an @n extent\n\t(logical @b %c, physical @b %b, @n len %N)\n`).
/// Prompt: `PROMPT_CLEAR`; flags: `0`.
pub const PR_1_EXTENT_ENDS_BEYOND: u32 = 0x010059;

/// inode has EXTENTS\_FL flag set on filesystem without extents support
///
/// Message: `Inode %i has EXTENTS_FL flag set on filesystem without extents support.\n`
/// (in `problem.c`: `@i %i has EXTENTS_FL flag set on @f without extents support.\n`).
/// Prompt: `PROMPT_CLEAR`; flags: `0`.
pub const PR_1_EXTENTS_SET: u32 = 0x01005a;

/// inode is in extents format, but superblock is missing EXTENTS feature
///
/// Message: `Inode %i is in extent format, but superblock is missing EXTENTS feature\n`
/// (in `problem.c`: `@i %i is in extent format, but @S is missing EXTENTS feature\n`).
/// Prompt: `PROMPT_FIX`; flags: `0`.
pub const PR_1_EXTENT_FEATURE: u32 = 0x01005b;

/// inode missing EXTENTS\_FL, but is an extent inode
///
/// Message: `Inode %i missing EXTENT_FL, but is in extents format\n`
/// (in `problem.c`: `@i %i missing EXTENT_FL, but is in extents format\n`).
/// Prompt: `PROMPT_FIX`; flags: `PR_PREEN_OK`.
pub const PR_1_UNSET_EXTENT_FL: u32 = 0x01005c;

/// Fast symlink has EXTENTS\_FL set
///
/// Message: `Fast symlink %i has EXTENT_FL set.  `
/// Prompt: `PROMPT_CLEAR`; flags: `0`.
pub const PR_1_FAST_SYMLINK_EXTENT_FL: u32 = 0x01005d;

/// Extents are out of order
///
/// Message: `Inode %i has out of order extents\n\t(invalid logical block %c, physical block %b, len %N)\n`
/// (in `problem.c`: `@i %i has out of order extents\n\t(@n logical @b %c, physical @b %b, len %N)\n`).
/// Prompt: `PROMPT_CLEAR`; flags: `0`.
pub const PR_1_OUT_OF_ORDER_EXTENTS: u32 = 0x01005e;

/// Extent node header invalid
///
/// Message: `Inode %i has an invalid extent node (blk %b, lblk %c)\n`
/// (in `problem.c`: `@i %i has an invalid extent node (blk %b, lblk %c)\n`).
/// Prompt: `PROMPT_CLEAR`; flags: `0`.
pub const PR_1_EXTENT_HEADER_INVALID: u32 = 0x01005f;

/// Failed to convert subcluster block bitmap
///
/// Message: `Error converting subcluster block bitmap: %m\n`
/// (in `problem.c`: `Error converting subcluster @b @B: %m\n`).
/// Prompt: `PROMPT_NONE`; flags: `PR_FATAL`.
pub const PR_1_CONVERT_SUBCLUSTER: u32 = 0x010061;

/// Quota inode is not a regular file
///
/// Message: `Quota inode is not a regular file.  `
/// (in `problem.c`: `@q @i is not a regular file.  `).
/// Prompt: `PROMPT_CLEAR`; flags: `PR_PREEN_OK`.
pub const PR_1_QUOTA_BAD_MODE: u32 = 0x010062;

/// Quota inode is not in use, but contains data
///
/// Message: `Quota inode is not in use, but contains data.  `
/// (in `problem.c`: `@q @i is not in use, but contains data.  `).
/// Prompt: `PROMPT_CLEAR`; flags: `PR_PREEN_OK`.
pub const PR_1_QUOTA_INODE_NOT_CLEAR: u32 = 0x010063;

/// Quota inode is visible to the user
///
/// Message: `Quota inode is visible to the user.  `
/// (in `problem.c`: `@q @i is visible to the user.  `).
/// Prompt: `PROMPT_CLEAR`; flags: `PR_PREEN_OK`.
pub const PR_1_QUOTA_INODE_NOT_HIDDEN: u32 = 0x010064;

/// The bad block inode looks invalid
///
/// Message: `The bad block inode looks invalid.  `
/// (in `problem.c`: `The bad @b @i looks @n.  `).
/// Prompt: `PROMPT_CLEAR`; flags: `0`.
pub const PR_1_INVALID_BAD_INODE: u32 = 0x010065;

/// Extent has zero length extent
///
/// Message: `Inode %i has zero length extent\n\t(invalid logical block %c, physical block %b)\n`
/// (in `problem.c`: `@i %i has zero length extent\n\t(@n logical @b %c, physical @b %b)\n`).
/// Prompt: `PROMPT_CLEAR`; flags: `0`.
pub const PR_1_EXTENT_LENGTH_ZERO: u32 = 0x010066;

/// inode seems to contain garbage
///
/// Message: `Inode %i seems to contain garbage.  `
/// (in `problem.c`: `@i %i seems to contain garbage.  `).
/// Prompt: `PROMPT_CLEAR`; flags: `0`.
pub const PR_1_INODE_IS_GARBAGE: u32 = 0x010067;

/// inode passes checks, but checksum does not match inode
///
/// Message: `Inode %i passes checks, but checksum does not match inode.  `
/// (in `problem.c`: `@i %i passes checks, but checksum does not match @i.  `).
/// Prompt: `PROMPT_FIX`; flags: `PR_PREEN_OK`.
pub const PR_1_INODE_ONLY_CSUM_INVALID: u32 = 0x010068;

/// Inode extended attribute is corrupt (allocation collision)
///
/// Message: `Inode %i extended attribute is corrupt (allocation collision).  `
/// (in `problem.c`: `@i %i @a is corrupt (allocation collision).  `).
/// Prompt: `PROMPT_CLEAR`; flags: `0`.
pub const PR_1_INODE_EA_ALLOC_COLLISION: u32 = 0x010069;

/// Inode extent block passes checks, but checksum does not match extent
///
/// Message: `Inode %i extent block passes checks, but checksum does not match extent\n\t(logical block %c, physical block %b, len %N)\n`
/// (in `problem.c`: `@i %i extent block passes checks, but checksum does not match extent\n\t(logical @b %c, physical @b %b, len %N)\n`).
/// Prompt: `PROMPT_FIX`; flags: `0`.
pub const PR_1_EXTENT_ONLY_CSUM_INVALID: u32 = 0x01006a;

/// Inode extended attribute block passes checks, but checksum does not match block.
///
/// Message: `Inode %i extended attribute block %b passes checks, but checksum does not match block.  `
/// (in `problem.c`: `@i %i @a @b %b passes checks, but checksum does not match @b.  `).
/// Prompt: `PROMPT_FIX`; flags: `0`.
pub const PR_1_EA_BLOCK_ONLY_CSUM_INVALID: u32 = 0x01006c;

/// Interior extent node level number of inode doesn't first node down
///
/// Message: `Interior extent node level %N of inode %i:\nLogical start %b does not match logical start %c at next level.  `
/// (in `problem.c`: `Interior @x node level %N of @i %i:\nLogical start %b does not match logical start %c at next level.  `).
/// Prompt: `PROMPT_FIX`; flags: `0`.
pub const PR_1_EXTENT_INDEX_START_INVALID: u32 = 0x01006d;

/// Inode end of extent exceeds allowed value
///
/// Message: `Inode %i, end of extent exceeds allowed value\n\t(logical block %c, physical block %b, len %N)\n`
/// (in `problem.c`: `@i %i, end of extent exceeds allowed value\n\t(logical @b %c, physical @b %b, len %N)\n`).
/// Prompt: `PROMPT_CLEAR`; flags: `0`.
pub const PR_1_EXTENT_END_OUT_OF_BOUNDS: u32 = 0x01006e;

/// inode has INLINE\_DATA\_FL flag on filesystem without inline data
///
/// Message: `Inode %i has inline data, but superblock is missing INLINE_DATA feature\n`
/// (in `problem.c`: `@i %i has inline data, but @S is missing INLINE_DATA feature\n`).
/// Prompt: `PROMPT_FIX`; flags: `PR_PREEN_OK`.
pub const PR_1_INLINE_DATA_FEATURE: u32 = 0x01006f;

/// inode has INLINE\_DATA\_FL flag on filesystem without inline data
///
/// Message: `Inode %i has INLINE_DATA_FL flag on filesystem without inline data support.\n`
/// (in `problem.c`: `@i %i has INLINE_DATA_FL flag on @f without inline data support.\n`).
/// Prompt: `PROMPT_CLEAR`; flags: `0`.
pub const PR_1_INLINE_DATA_SET: u32 = 0x010070;

/// Inode block conflicts with critical metadata, skipping block checks
///
/// Message: `Inode %i block %b conflicts with critical metadata, skipping block checks.\n`
/// (in `problem.c`: `@i %i block %b conflicts with critical metadata, skipping block checks.\n`).
/// Prompt: `PROMPT_NONE`; flags: `0`.
pub const PR_1_CRITICAL_METADATA_COLLISION: u32 = 0x010071;

/// Directory inode block \<block\> should be at block \<otherblock\>
///
/// Message: `Directory inode %i block %b should be at block %c.  `
/// (in `problem.c`: `@d @i %i @b %b should be at @b %c.  `).
/// Prompt: `PROMPT_FIX`; flags: `0`.
pub const PR_1_COLLAPSE_DBLOCK: u32 = 0x010072;

/// Directory inode block \<block\> should be at block \<otherblock\>
///
/// Message: `Directory inode %i has extent marked uninitialized at block %c.  `
/// (in `problem.c`: `@d @i %i has @x marked uninitialized at @b %c.  `).
/// Prompt: `PROMPT_FIX`; flags: `PR_PREEN_OK`.
pub const PR_1_UNINIT_DBLOCK: u32 = 0x010073;

/// Inode logical block (physical block) violates cluster allocation
///
/// Message: `Inode %i logical block %b (physical block %c) violates cluster allocation rules.\nWill fix in pass 1B.\n`
/// (in `problem.c`: `@i %i logical @b %b (physical @b %c) violates cluster allocation rules.\nWill fix in pass 1B.\n`).
/// Prompt: `PROMPT_NONE`; flags: `0`.
pub const PR_1_MISALIGNED_CLUSTER: u32 = 0x010074;

/// Inode has INLINE\_DATA\_FL flag but extended attribute not found
///
/// Message: `Inode %i has INLINE_DATA_FL flag but extended attribute not found.  `
/// (in `problem.c`: `@i %i has INLINE_DATA_FL flag but @a not found.  `).
/// Prompt: `PROMPT_TRUNCATE`; flags: `0`.
pub const PR_1_INLINE_DATA_NO_ATTR: u32 = 0x010075;

/// Special (device/socket/fifo) file (inode num) has extents or inline-data flag set
///
/// Message: `Special (device/socket/fifo) file (inode %i) has extents\nor inline-data flag set.  `
/// (in `problem.c`: `Special (@v/socket/fifo) file (@i %i) has extents\nor inline-data flag set.  `).
/// Prompt: `PROMPT_CLEAR`; flags: `PR_PREEN_OK | PR_PREEN_NO | PR_NO_OK`.
pub const PR_1_SPECIAL_EXTENTS_IDATA: u32 = 0x010076;

/// Inode has extent header but inline data flag is set
///
/// Message: `Inode %i has extent header but inline data flag is set.\n`
/// (in `problem.c`: `@i %i has @x header but inline data flag is set.\n`).
/// Prompt: `PROMPT_FIX`; flags: `0`.
pub const PR_1_CLEAR_INLINE_DATA_FOR_EXTENT: u32 = 0x010077;

/// Inode seems to have inline data but extent flag is set
///
/// Message: `Inode %i seems to have inline data but extent flag is set.\n`
/// (in `problem.c`: `@i %i seems to have inline data but @x flag is set.\n`).
/// Prompt: `PROMPT_FIX`; flags: `0`.
pub const PR_1_CLEAR_EXTENT_FOR_INLINE_DATA: u32 = 0x010078;

/// Inode seems to have block map but inline data and extent flags set
///
/// Message: `Inode %i seems to have block map but inline data and extent flags set.\n`
/// (in `problem.c`: `@i %i seems to have @b map but inline data and @x flags set.\n`).
/// Prompt: `PROMPT_FIX`; flags: `0`.
pub const PR_1_CLEAR_EXTENT_INLINE_DATA_FLAGS: u32 = 0x010079;

/// Inode has inline data and extent flags but i\_block contains junk
///
/// Message: `Inode %i has inline data and extent flags set but i_block contains junk.\n`
/// (in `problem.c`: `@i %i has inline data and @x flags set but i_block contains junk.\n`).
/// Prompt: `PROMPT_CLEAR_INODE`; flags: `0`.
pub const PR_1_CLEAR_EXTENT_INLINE_DATA_INODE: u32 = 0x01007a;

/// Bad block list says the bad block list inode is bad
///
/// Message: `Bad block list says the bad block list inode is bad.  `
/// (in `problem.c`: `Bad block list says the bad block list @i is bad.  `).
/// Prompt: `PROMPT_CLEAR_INODE`; flags: `0`.
pub const PR_1_BADBLOCKS_IN_BADBLOCKS: u32 = 0x01007b;

/// Error allocating extent region allocation structure
///
/// Message: `Error allocating extent region allocation structure.  `
/// (in `problem.c`: `@A @x region allocation structure.  `).
/// Prompt: `PROMPT_NONE`; flags: `PR_FATAL`.
pub const PR_1_EXTENT_ALLOC_REGION_ABORT: u32 = 0x01007c;

/// Inode leaf has a duplicate extent mapping
///
/// Message: `Inode %i has a duplicate extent mapping\n\t(logical block %c, invalid physical block %b, len %N)\n`
/// (in `problem.c`: `@i %i has a duplicate @x mapping\n\t(logical @b %c, @n physical @b %b, len %N)\n`).
/// Prompt: `PROMPT_CLEAR`; flags: `0`.
pub const PR_1_EXTENT_COLLISION: u32 = 0x01007d;

/// Error allocating memory for encrypted inode list
///
/// Message: `Error allocating %N bytes of memory for encrypted inode list\n`
/// (in `problem.c`: `@A %N bytes of memory for encrypted @i list\n`).
/// Prompt: `PROMPT_NONE`; flags: `PR_FATAL`.
pub const PR_1_ALLOCATE_ENCRYPTED_INODE_LIST: u32 = 0x01007e;

/// Inode extent tree could be more shallow
///
/// Message: `Inode %i extent tree could be more shallow (%b; could be <= %c)\n`
/// (in `problem.c`: `@i %i @x tree could be more shallow (%b; could be <= %c)\n`).
/// Prompt: `PROMPT_FIX`; flags: `PR_NO_OK | PR_PREEN_NO | PR_PREEN_OK`.
pub const PR_1_EXTENT_BAD_MAX_DEPTH: u32 = 0x01007f;

/// inode num on bigalloc filesystem cannot be block mapped
///
/// Message: `Inode %i on bigalloc filesystem cannot be block mapped.  `
/// (in `problem.c`: `@i %i on bigalloc @f cannot be @b mapped.  `).
/// Prompt: `PROMPT_FIX`; flags: `0`.
pub const PR_1_NO_BIGALLOC_BLOCKMAP_FILES: u32 = 0x010080;

/// Inode has corrupt extent header
///
/// Message: `Inode %i has corrupt extent header.  `
/// (in `problem.c`: `@i %i has corrupt @x header.  `).
/// Prompt: `PROMPT_CLEAR_INODE`; flags: `0`.
pub const PR_1_MISSING_EXTENT_HEADER: u32 = 0x010081;

/// Timestamp(s) on inode beyond 2310-04-04 are likely pre-1970.
///
/// Message: `Timestamp(s) on inode %i beyond 2310-04-04 are likely pre-1970.\n`
/// (in `problem.c`: `Timestamp(s) on @i %i beyond 2310-04-04 are likely pre-1970.\n`).
/// Prompt: `PROMPT_FIX`; flags: `PR_PREEN_OK | PR_NO_OK`.
pub const PR_1_EA_TIME_OUT_OF_RANGE: u32 = 0x010082;

/// Inode has illegal EA value inode
///
/// Message: `Inode %i has illegal extended attribute value inode %N.\n`
/// (in `problem.c`: `@i %i has @I @a value @i %N.\n`).
/// Prompt: `PROMPT_CLEAR`; flags: `PR_PREEN_OK`.
pub const PR_1_ATTR_VALUE_EA_INODE: u32 = 0x010083;

/// Parent inode has invalid EA entry. EA inode does not have EXT4\_EA\_INODE\_FL flag. Delete EA entry?
///
/// Message: `Inode %i has invalid extended attribute. EA inode %N missing EA_INODE flag.\n`
/// (in `problem.c`: `@i %i has @n @a. EA @i %N missing EA_INODE flag.\n`).
/// Prompt: `PROMPT_CLEAR`; flags: `PR_PREEN_OK`.
pub const PR_1_ATTR_NO_EA_INODE_FL: u32 = 0x010085;

/// EA inode for parent inode does not have EXT4\_EA\_INODE\_FL flag
///
/// Message: `EA inode %N for parent inode %i missing EA_INODE flag.\n `
/// (in `problem.c`: `EA @i %N for parent @i %i missing EA_INODE flag.\n `).
/// Prompt: `PROMPT_FIX`; flags: `PR_PREEN_OK`.
pub const PR_1_ATTR_SET_EA_INODE_FL: u32 = 0x010086;

/// Offer to clear uninitialized flag on an extent
///
/// Message: `Inode %i has extent marked uninitialized at block %c (len %N).  `
/// (in `problem.c`: `@i %i has @x marked uninitialized at @b %c (len %N).  `).
/// Prompt: `PROMPT_CLEAR`; flags: `PR_PREEN_OK`.
pub const PR_1_CLEAR_UNINIT_EXTENT: u32 = 0x010087;

/// Casefold flag set on a non-directory
///
/// Message: `Inode %i has the casefold flag set but is not a directory.  `
/// (in `problem.c`: `@i %i has the casefold flag set but is not a directory.  `).
/// Prompt: `PROMPT_CLEAR_FLAG`; flags: `0`.
pub const PR_1_CASEFOLD_NONDIR: u32 = 0x010088;

/// Casefold flag set, but file system is missing the casefold feature
///
/// Message: `Directory %p has the casefold flag, but the\ncasefold feature is not enabled.  `
/// (in `problem.c`: `@d %p has the casefold flag, but the\ncasefold feature is not enabled.  `).
/// Prompt: `PROMPT_CLEAR_FLAG`; flags: `0`.
pub const PR_1_CASEFOLD_FEATURE: u32 = 0x010089;

/// Inode has encrypt flag but no encryption extended attribute
///
/// Message: `Inode %i has encrypt flag but no encryption extended attribute.\n`
/// (in `problem.c`: `@i %i has encrypt flag but no encryption @a.\n`).
/// Prompt: `PROMPT_CLEAR_FLAG`; flags: `0`.
pub const PR_1_MISSING_ENCRYPTION_XATTR: u32 = 0x01008a;

/// Encrypted inode has corrupt encryption extended attribute
///
/// Message: `Encrypted inode %i has corrupt encryption extended attribute.\n`
/// (in `problem.c`: `Encrypted @i %i has corrupt encryption @a.\n`).
/// Prompt: `PROMPT_CLEAR_INODE`; flags: `0`.
pub const PR_1_CORRUPT_ENCRYPTION_XATTR: u32 = 0x01008b;

/// Error allocating memory for casefolded directory list
///
/// No entry in `problem_table[]`: e2fsck reports it as an unhandled error code.
pub const PR_1_ALLOCATE_CASEFOLDED_DIRLIST: u32 = 0x01008c;

/// Htree directory should use SipHash but does not
///
/// Message: `HTREE directory inode %i uses hash version (%N), but should use SipHash (6) \n`
/// (in `problem.c`: `@h %i uses hash version (%N), but should use SipHash (6) \n`).
/// Prompt: `PROMPT_CLEAR_HTREE`; flags: `PR_PREEN_OK`.
pub const PR_1_HTREE_NEEDS_SIPHASH: u32 = 0x01008d;

/// Htree directory uses SipHash but should not
///
/// Message: `HTREE directory inode %i uses SipHash, but should not.  `
/// (in `problem.c`: `@h %i uses SipHash, but should not.  `).
/// Prompt: `PROMPT_CLEAR_HTREE`; flags: `PR_PREEN_OK`.
pub const PR_1_HTREE_CANNOT_SIPHASH: u32 = 0x01008e;

/// Orphan file inode is not a regular file
///
/// Message: `Orphan file inode %i is not regular file.  `
/// (in `problem.c`: `Orphan file @i %i is not regular file.  `).
/// Prompt: `PROMPT_CLEAR`; flags: `PR_PREEN_OK`.
pub const PR_1_ORPHAN_FILE_BAD_MODE: u32 = 0x01008f;

/// Orphan file inode is not in use, but contains data
///
/// Message: `Orphan file inode %i is not in use, but contains data.  `
/// (in `problem.c`: `Orphan file @i %i is not in use, but contains data.  `).
/// Prompt: `PROMPT_CLEAR`; flags: `PR_PREEN_OK`.
pub const PR_1_ORPHAN_FILE_NOT_CLEAR: u32 = 0x010090;

/// Pass 1B: Rescan for duplicate/bad blocks
///
/// Message: `\nRunning additional passes to resolve blocks claimed by more than one inode...\nPass 1B: Rescanning for multiply-claimed blocks\n`
/// (in `problem.c`: `\nRunning additional passes to resolve @bs claimed by more than one @i...\nPass 1B: Rescanning for @m @bs\n`).
/// Prompt: `PROMPT_NONE`; flags: `PR_HEADER`.
pub const PR_1B_PASS_HEADER: u32 = 0x011000;

/// Duplicate/bad block(s) header
///
/// Message: `Multiply-claimed block(s) in inode %i:`
/// (in `problem.c`: `@m @b(s) in @i %i:`).
/// Prompt: `PROMPT_NONE`; flags: `0`.
pub const PR_1B_DUP_BLOCK_HEADER: u32 = 0x011001;

/// Duplicate/bad block(s) in inode
///
/// Message: ` %b`
/// Prompt: `PROMPT_NONE`; flags: `PR_LATCH_DBLOCK | PR_PREEN_NOHDR`.
pub const PR_1B_DUP_BLOCK: u32 = 0x011002;

/// Duplicate/bad block(s) end
///
/// Message: `\n`
/// Prompt: `PROMPT_NONE`; flags: `PR_PREEN_NOHDR`.
pub const PR_1B_DUP_BLOCK_END: u32 = 0x011003;

/// Error while scanning inodes
///
/// Message: `Error while scanning inodes (%i): %m\n`
/// Prompt: `PROMPT_NONE`; flags: `PR_FATAL`.
pub const PR_1B_ISCAN_ERROR: u32 = 0x011004;

/// Error allocating inode bitmap
///
/// Message: `Error allocating inode bitmap (inode_dup_map): %m\n`
/// (in `problem.c`: `@A @i @B (@i_dup_map): %m\n`).
/// Prompt: `PROMPT_NONE`; flags: `PR_FATAL`.
pub const PR_1B_ALLOCATE_IBITMAP_ERROR: u32 = 0x011005;

/// Error while iterating over blocks
///
/// Message: `Error while iterating over blocks in inode %i (%s): %m\n`
/// (in `problem.c`: `Error while iterating over @bs in @i %i (%s): %m\n`).
/// Prompt: `PROMPT_NONE`; flags: `0`.
pub const PR_1B_BLOCK_ITERATE: u32 = 0x011006;

/// Error adjusting EA refcount
///
/// Message: `Error adjusting refcount for extended attribute block %b (inode %i): %m\n`
/// (in `problem.c`: `Error adjusting refcount for @a @b %b (@i %i): %m\n`).
/// Prompt: `PROMPT_NONE`; flags: `0`.
pub const PR_1B_ADJ_EA_REFCOUNT: u32 = 0x011007;

/// Duplicate/bad block range in inode
///
/// Message: ` %b--%c`
/// Prompt: `PROMPT_NONE`; flags: `PR_LATCH_DBLOCK | PR_PREEN_NOHDR`.
pub const PR_1B_DUP_RANGE: u32 = 0x011008;

/// Pass 1C: Scan directories for inodes with dup blocks.
///
/// Message: `Pass 1C: Scanning directories for inodes with multiply-claimed blocks\n`
/// (in `problem.c`: `Pass 1C: Scanning directories for @is with @m @bs\n`).
/// Prompt: `PROMPT_NONE`; flags: `PR_HEADER`.
pub const PR_1C_PASS_HEADER: u32 = 0x012000;

/// Pass 1D: Reconciling duplicate blocks
///
/// Message: `Pass 1D: Reconciling multiply-claimed blocks\n`
/// (in `problem.c`: `Pass 1D: Reconciling @m @bs\n`).
/// Prompt: `PROMPT_NONE`; flags: `PR_HEADER`.
pub const PR_1D_PASS_HEADER: u32 = 0x013000;

/// File has duplicate blocks
///
/// Message: `File %Q (inode #%i, mod time %IM) \n  has %r multiply-claimed block(s), shared with %N file(s):\n`
/// (in `problem.c`: `File %Q (@i #%i, mod time %IM) \n  has %r @m @b(s), shared with %N file(s):\n`).
/// Prompt: `PROMPT_NONE`; flags: `0`.
pub const PR_1D_DUP_FILE: u32 = 0x013001;

/// List of files sharing duplicate blocks
///
/// Message: `\t%Q (inode #%i, mod time %IM)\n`
/// (in `problem.c`: `\t%Q (@i #%i, mod time %IM)\n`).
/// Prompt: `PROMPT_NONE`; flags: `0`.
pub const PR_1D_DUP_FILE_LIST: u32 = 0x013002;

/// File sharing blocks with filesystem metadata
///
/// Message: `\t<filesystem metadata>\n`
/// (in `problem.c`: `\t<@f metadata>\n`).
/// Prompt: `PROMPT_NONE`; flags: `0`.
pub const PR_1D_SHARE_METADATA: u32 = 0x013003;

/// Report of how many duplicate/bad inodes
///
/// Message: `(There are %N inodes containing multiply-claimed blocks.)\n\n`
/// (in `problem.c`: `(There are %N @is containing @m @bs.)\n\n`).
/// Prompt: `PROMPT_NONE`; flags: `0`.
pub const PR_1D_NUM_DUP_INODES: u32 = 0x013004;

/// Duplicated blocks already reassigned or cloned.
///
/// Message: `Multiply-claimed blocks already reassigned or cloned.\n\n`
/// (in `problem.c`: `@m @bs already reassigned or cloned.\n\n`).
/// Prompt: `PROMPT_NONE`; flags: `0`.
pub const PR_1D_DUP_BLOCKS_DEALT: u32 = 0x013005;

/// Clone duplicate/bad blocks?
///
/// Message: none (an empty message).
/// Prompt: `PROMPT_CLONE`; flags: `PR_NO_OK`.
pub const PR_1D_CLONE_QUESTION: u32 = 0x013006;

/// Delete file?
///
/// Message: none (an empty message).
/// Prompt: `PROMPT_DELETE`; flags: `0`.
pub const PR_1D_DELETE_QUESTION: u32 = 0x013007;

/// Couldn't clone file (error)
///
/// Message: `Couldn't clone file: %m\n`
/// Prompt: `PROMPT_NONE`; flags: `0`.
pub const PR_1D_CLONE_ERROR: u32 = 0x013008;

/// Pass 1e: Rebuilding extent trees
///
/// Message: `Pass 1E: Optimizing extent trees\n`
/// (in `problem.c`: `Pass 1E: Optimizing @x trees\n`).
/// Prompt: `PROMPT_NONE`; flags: `PR_HEADER | PR_PREEN_NOMSG`.
pub const PR_1E_PASS_HEADER: u32 = 0x014000;

/// Error rehash directory
///
/// Message: `Failed to optimize extent tree %p (%i): %m\n`
/// (in `problem.c`: `Failed to optimize @x tree %p (%i): %m\n`).
/// Prompt: `PROMPT_NONE`; flags: `0`.
pub const PR_1E_OPTIMIZE_EXT_ERR: u32 = 0x014001;

/// Rebuilding extent trees
///
/// Message: `Optimizing extent trees: `
/// (in `problem.c`: `Optimizing @x trees: `).
/// Prompt: `PROMPT_NONE`; flags: `PR_MSG_ONLY`.
pub const PR_1E_OPTIMIZE_EXT_HEADER: u32 = 0x014002;

/// Rebuilding extent %d
///
/// Message: ` %i`
/// Prompt: `PROMPT_NONE`; flags: `PR_LATCH_OPTIMIZE_EXT | PR_PREEN_NOHDR`.
pub const PR_1E_OPTIMIZE_EXT: u32 = 0x014003;

/// Rebuilding extent tree end
///
/// Message: `\n`
/// Prompt: `PROMPT_NONE`; flags: `PR_PREEN_NOHDR`.
pub const PR_1E_OPTIMIZE_EXT_END: u32 = 0x014004;

/// Internal error: extent tree depth too large
///
/// Message: `Internal error: max extent tree depth too large (%b; expected=%c).\n`
/// Prompt: `PROMPT_NONE`; flags: `PR_FATAL`.
pub const PR_1E_MAX_EXTENT_TREE_DEPTH: u32 = 0x014005;

/// Inode extent tree could be shorter
///
/// Message: `Inode %i extent tree (at level %b) could be shorter.  `
/// (in `problem.c`: `@i %i @x tree (at level %b) could be shorter.  `).
/// Prompt: `PROMPT_OPTIMIZE`; flags: `PR_NO_OK | PR_PREEN_NO | PR_PREEN_OK | PR_NOT_A_FIX`.
pub const PR_1E_CAN_COLLAPSE_EXTENT_TREE: u32 = 0x014006;

/// Inode extent tree could be narrower
///
/// Message: `Inode %i extent tree (at level %b) could be narrower.  `
/// (in `problem.c`: `@i %i @x tree (at level %b) could be narrower.  `).
/// Prompt: `PROMPT_OPTIMIZE`; flags: `PR_NO_OK | PR_PREEN_NO | PR_PREEN_OK | PR_NOT_A_FIX`.
pub const PR_1E_CAN_NARROW_EXTENT_TREE: u32 = 0x014007;

/// Pass 2: Checking directory structure
///
/// Message: `Pass 2: Checking directory structure\n`
/// (in `problem.c`: `Pass 2: Checking @d structure\n`).
/// Prompt: `PROMPT_NONE`; flags: `PR_HEADER`.
pub const PR_2_PASS_HEADER: u32 = 0x020000;

/// Bad inode number for '.'
///
/// Message: `Invalid inode number for '.' in directory inode %i.\n`
/// (in `problem.c`: `@n @i number for '.' in @d @i %i.\n`).
/// Prompt: `PROMPT_FIX`; flags: `0`.
pub const PR_2_BAD_INODE_DOT: u32 = 0x020001;

/// Directory entry has bad inode number
///
/// Message: `Entry '%Dn' in %p (%i) has invalid inode #: %Di.\n`
/// (in `problem.c`: `@E has @n @i #: %Di.\n`).
/// Prompt: `PROMPT_CLEAR`; flags: `0`.
pub const PR_2_BAD_INO: u32 = 0x020002;

/// Directory entry has deleted or unused inode
///
/// Message: `Entry '%Dn' in %p (%i) has deleted/unused inode %Di.  `
/// (in `problem.c`: `@E has @D/unused @i %Di.  `).
/// Prompt: `PROMPT_CLEAR`; flags: `PR_PREEN_OK`.
pub const PR_2_UNUSED_INODE: u32 = 0x020003;

/// Directory entry is link to '.'
///
/// Message: `Entry '%Dn' in %p (%i) is a link to '.'  `
/// (in `problem.c`: `@E @L to '.'  `).
/// Prompt: `PROMPT_CLEAR`; flags: `0`.
pub const PR_2_LINK_DOT: u32 = 0x020004;

/// Directory entry points to inode now located in a bad block
///
/// Message: `Entry '%Dn' in %p (%i) points to inode (%Di) located in a bad block.\n`
/// (in `problem.c`: `@E points to @i (%Di) located in a bad @b.\n`).
/// Prompt: `PROMPT_CLEAR`; flags: `0`.
pub const PR_2_BB_INODE: u32 = 0x020005;

/// Directory entry contains a link to a directory
///
/// Message: `Entry '%Dn' in %p (%i) is a link to directory %P (%Di).\n`
/// (in `problem.c`: `@E @L to @d %P (%Di).\n`).
/// Prompt: `PROMPT_CLEAR`; flags: `0`.
pub const PR_2_LINK_DIR: u32 = 0x020006;

/// Directory entry contains a link to the root directory
///
/// Message: `Entry '%Dn' in %p (%i) is a link to the root inode.\n`
/// (in `problem.c`: `@E @L to the @r.\n`).
/// Prompt: `PROMPT_CLEAR`; flags: `0`.
pub const PR_2_LINK_ROOT: u32 = 0x020007;

/// Directory entry has illegal characters in its name
///
/// Message: `Entry '%Dn' in %p (%i) has illegal characters in its name.\n`
/// (in `problem.c`: `@E has illegal characters in its name.\n`).
/// Prompt: `PROMPT_FIX`; flags: `0`.
pub const PR_2_BAD_NAME: u32 = 0x020008;

/// Missing '.' in directory inode
///
/// Message: `Missing '.' in directory inode %i.\n`
/// (in `problem.c`: `Missing '.' in @d @i %i.\n`).
/// Prompt: `PROMPT_FIX`; flags: `0`.
pub const PR_2_MISSING_DOT: u32 = 0x020009;

/// Missing '..' in directory inode
///
/// Message: `Missing '..' in directory inode %i.\n`
/// (in `problem.c`: `Missing '..' in @d @i %i.\n`).
/// Prompt: `PROMPT_FIX`; flags: `0`.
pub const PR_2_MISSING_DOT_DOT: u32 = 0x02000a;

/// First entry in directory inode doesn't contain '.'
///
/// Message: `First entry '%Dn' (inode=%Di) in directory inode %i (%p) should be '.'\n`
/// (in `problem.c`: `First @e '%Dn' (@i=%Di) in @d @i %i (%p) @s '.'\n`).
/// Prompt: `PROMPT_FIX`; flags: `0`.
pub const PR_2_1ST_NOT_DOT: u32 = 0x02000b;

/// Second entry in directory inode doesn't contain '..'
///
/// Message: `Second entry '%Dn' (inode=%Di) in directory inode %i should be '..'\n`
/// (in `problem.c`: `Second @e '%Dn' (@i=%Di) in @d @i %i @s '..'\n`).
/// Prompt: `PROMPT_FIX`; flags: `0`.
pub const PR_2_2ND_NOT_DOT_DOT: u32 = 0x02000c;

/// i\_faddr should be zero
///
/// Message: `i_faddr for inode %i (%Q) is %IF, should be zero.\n`
/// (in `problem.c`: `i_faddr @F %IF, @s zero.\n`).
/// Prompt: `PROMPT_CLEAR`; flags: `0`.
pub const PR_2_FADDR_ZERO: u32 = 0x02000d;

/// i\_file\_acl should be zero
///
/// Message: `i_file_acl for inode %i (%Q) is %If, should be zero.\n`
/// (in `problem.c`: `i_file_acl @F %If, @s zero.\n`).
/// Prompt: `PROMPT_CLEAR`; flags: `0`.
pub const PR_2_FILE_ACL_ZERO: u32 = 0x02000e;

/// i\_size\_high should be zero
///
/// Message: `i_size_high for inode %i (%Q) is %Id, should be zero.\n`
/// (in `problem.c`: `i_size_high @F %Id, @s zero.\n`).
/// Prompt: `PROMPT_CLEAR`; flags: `0`.
pub const PR_2_DIR_SIZE_HIGH_ZERO: u32 = 0x02000f;

/// i\_frag should be zero
///
/// Message: `i_frag for inode %i (%Q) is %N, should be zero.\n`
/// (in `problem.c`: `i_frag @F %N, @s zero.\n`).
/// Prompt: `PROMPT_CLEAR`; flags: `0`.
pub const PR_2_FRAG_ZERO: u32 = 0x020010;

/// i\_fsize should be zero
///
/// Message: `i_fsize for inode %i (%Q) is %N, should be zero.\n`
/// (in `problem.c`: `i_fsize @F %N, @s zero.\n`).
/// Prompt: `PROMPT_CLEAR`; flags: `0`.
pub const PR_2_FSIZE_ZERO: u32 = 0x020011;

/// inode has bad mode
///
/// Message: `Inode %i (%Q) has invalid mode (%Im).\n`
/// (in `problem.c`: `@i %i (%Q) has @n mode (%Im).\n`).
/// Prompt: `PROMPT_CLEAR`; flags: `0`.
pub const PR_2_BAD_MODE: u32 = 0x020012;

/// directory corrupted
///
/// Message: `Directory inode %i, %B, offset %N: directory corrupted\n`
/// (in `problem.c`: `@d @i %i, %B, offset %N: @d corrupted\n`).
/// Prompt: `PROMPT_SALVAGE`; flags: `0`.
pub const PR_2_DIR_CORRUPTED: u32 = 0x020013;

/// filename too long
///
/// Message: `Directory inode %i, %B, offset %N: filename too long\n`
/// (in `problem.c`: `@d @i %i, %B, offset %N: filename too long\n`).
/// Prompt: `PROMPT_TRUNCATE`; flags: `0`.
pub const PR_2_FILENAME_LONG: u32 = 0x020014;

/// Directory inode has a missing block (hole)
///
/// Message: `Directory inode %i has an unallocated %B.  `
/// (in `problem.c`: `@d @i %i has an unallocated %B.  `).
/// Prompt: `PROMPT_ALLOCATE`; flags: `0`.
pub const PR_2_DIRECTORY_HOLE: u32 = 0x020015;

/// '.' is not NULL terminated
///
/// Message: `'.' directory entry in directory inode %i is not NULL terminated\n`
/// (in `problem.c`: `'.' @d @e in @d @i %i is not NULL terminated\n`).
/// Prompt: `PROMPT_FIX`; flags: `0`.
pub const PR_2_DOT_NULL_TERM: u32 = 0x020016;

/// '..' is not NULL terminated
///
/// Message: `'..' directory entry in directory inode %i is not NULL terminated\n`
/// (in `problem.c`: `'..' @d @e in @d @i %i is not NULL terminated\n`).
/// Prompt: `PROMPT_FIX`; flags: `0`.
pub const PR_2_DOT_DOT_NULL_TERM: u32 = 0x020017;

/// Illegal character device in inode
///
/// Message: `Inode %i (%Q) is an illegal character device.\n`
/// (in `problem.c`: `@i %i (%Q) is an @I character @v.\n`).
/// Prompt: `PROMPT_CLEAR`; flags: `0`.
pub const PR_2_BAD_CHAR_DEV: u32 = 0x020018;

/// Illegal block device in inode
///
/// Message: `Inode %i (%Q) is an illegal block device.\n`
/// (in `problem.c`: `@i %i (%Q) is an @I @b @v.\n`).
/// Prompt: `PROMPT_CLEAR`; flags: `0`.
pub const PR_2_BAD_BLOCK_DEV: u32 = 0x020019;

/// Duplicate '.' entry
///
/// Message: `Entry '%Dn' in %p (%i) is duplicate '.' entry.\n`
/// (in `problem.c`: `@E is duplicate '.' @e.\n`).
/// Prompt: `PROMPT_FIX`; flags: `0`.
pub const PR_2_DUP_DOT: u32 = 0x02001a;

/// Duplicate '..' entry
///
/// Message: `Entry '%Dn' in %p (%i) is duplicate '..' entry.\n`
/// (in `problem.c`: `@E is duplicate '..' @e.\n`).
/// Prompt: `PROMPT_FIX`; flags: `0`.
pub const PR_2_DUP_DOT_DOT: u32 = 0x02001b;

/// Internal error: couldn't find dir\_info
///
/// Message: `Internal error: couldn't find dir_info for %i.\n`
/// Prompt: `PROMPT_NONE`; flags: `PR_FATAL`.
pub const PR_2_NO_DIRINFO: u32 = 0x02001c;

/// Final rec\_len is wrong
///
/// Message: `Entry '%Dn' in %p (%i) has rec_len of %Dr, should be %N.\n`
/// (in `problem.c`: `@E has rec_len of %Dr, @s %N.\n`).
/// Prompt: `PROMPT_FIX`; flags: `0`.
pub const PR_2_FINAL_RECLEN: u32 = 0x02001d;

/// Error allocating icount structure
///
/// Message: `Error allocating icount structure: %m\n`
/// (in `problem.c`: `@A icount structure: %m\n`).
/// Prompt: `PROMPT_NONE`; flags: `PR_FATAL`.
pub const PR_2_ALLOCATE_ICOUNT: u32 = 0x02001e;

/// Error iterating over directory blocks
///
/// Message: `Error iterating over directory blocks: %m\n`
/// (in `problem.c`: `Error iterating over @d @bs: %m\n`).
/// Prompt: `PROMPT_NONE`; flags: `PR_FATAL`.
pub const PR_2_DBLIST_ITERATE: u32 = 0x02001f;

/// Error reading directory block
///
/// Message: `Error reading directory block %b (inode %i): %m\n`
/// (in `problem.c`: `Error reading @d @b %b (@i %i): %m\n`).
/// Prompt: `PROMPT_CONTINUE`; flags: `0`.
pub const PR_2_READ_DIRBLOCK: u32 = 0x020020;

/// Error writing directory block
///
/// Message: `Error writing directory block %b (inode %i): %m\n`
/// (in `problem.c`: `Error writing @d @b %b (@i %i): %m\n`).
/// Prompt: `PROMPT_CONTINUE`; flags: `0`.
pub const PR_2_WRITE_DIRBLOCK: u32 = 0x020021;

/// Error allocating new directory block
///
/// Message: `Error allocating new directory block for inode %i (%s): %m\n`
/// (in `problem.c`: `@A new @d @b for @i %i (%s): %m\n`).
/// Prompt: `PROMPT_NONE`; flags: `0`.
pub const PR_2_ALLOC_DIRBOCK: u32 = 0x020022;

/// Error deallocating inode
///
/// Message: `Error deallocating inode %i: %m\n`
/// (in `problem.c`: `Error deallocating @i %i: %m\n`).
/// Prompt: `PROMPT_NONE`; flags: `PR_FATAL`.
pub const PR_2_DEALLOC_INODE: u32 = 0x020023;

/// Directory entry for '.' is big.  Split?
///
/// Message: `Directory entry for '.' in %p (%i) is big.\n`
/// (in `problem.c`: `@d @e for '.' in %p (%i) is big.\n`).
/// Prompt: `PROMPT_SPLIT`; flags: `PR_NO_OK`.
pub const PR_2_SPLIT_DOT: u32 = 0x020024;

/// Illegal FIFO
///
/// Message: `Inode %i (%Q) is an illegal FIFO.\n`
/// (in `problem.c`: `@i %i (%Q) is an @I FIFO.\n`).
/// Prompt: `PROMPT_CLEAR`; flags: `0`.
pub const PR_2_BAD_FIFO: u32 = 0x020025;

/// Illegal socket
///
/// Message: `Inode %i (%Q) is an illegal socket.\n`
/// (in `problem.c`: `@i %i (%Q) is an @I socket.\n`).
/// Prompt: `PROMPT_CLEAR`; flags: `0`.
pub const PR_2_BAD_SOCKET: u32 = 0x020026;

/// Directory filetype not set
///
/// Message: `Setting filetype for entry '%Dn' in %p (%i) to %N.\n`
/// (in `problem.c`: `Setting filetype for @E to %N.\n`).
/// Prompt: `PROMPT_NONE`; flags: `PR_PREEN_OK | PR_NO_OK | PR_NO_NOMSG`.
pub const PR_2_SET_FILETYPE: u32 = 0x020027;

/// Directory filetype incorrect
///
/// Message: `Entry '%Dn' in %p (%i) has an incorrect filetype (was %Dt, should be %N).\n`
/// (in `problem.c`: `@E has an incorrect filetype (was %Dt, @s %N).\n`).
/// Prompt: `PROMPT_FIX`; flags: `0`.
pub const PR_2_BAD_FILETYPE: u32 = 0x020028;

/// Directory filetype set when it shouldn't be
///
/// Message: `Entry '%Dn' in %p (%i) has filetype set.\n`
/// (in `problem.c`: `@E has filetype set.\n`).
/// Prompt: `PROMPT_CLEAR`; flags: `PR_PREEN_OK`.
pub const PR_2_CLEAR_FILETYPE: u32 = 0x020029;

/// Directory filename can't be zero-length
///
/// Message: `Entry '%Dn' in %p (%i) has a zero-length name.\n`
/// (in `problem.c`: `@E has a @z name.\n`).
/// Prompt: `PROMPT_CLEAR`; flags: `0`.
pub const PR_2_NULL_NAME: u32 = 0x020030;

/// Invalid symlink
///
/// Message: `Symlink %Q (inode #%i) is invalid.\n`
/// (in `problem.c`: `Symlink %Q (@i #%i) is @n.\n`).
/// Prompt: `PROMPT_CLEAR`; flags: `0`.
pub const PR_2_INVALID_SYMLINK: u32 = 0x020031;

/// i\_file\_acl (extended attribute) is bad
///
/// Message: `Extended attribute block for inode %i (%Q) is invalid (%If).\n`
/// (in `problem.c`: `@a @b @F @n (%If).\n`).
/// Prompt: `PROMPT_CLEAR`; flags: `0`.
pub const PR_2_FILE_ACL_BAD: u32 = 0x020032;

/// Filesystem contains large files, but has no such flag in sb
///
/// Message: `Filesystem contains large files, but lacks LARGE_FILE flag in superblock.\n`
/// (in `problem.c`: `@f contains large files, but lacks LARGE_FILE flag in @S.\n`).
/// Prompt: `PROMPT_FIX`; flags: `PR_PREEN_OK`.
pub const PR_2_FEATURE_LARGE_FILES: u32 = 0x020033;

/// Node in HTREE directory not referenced
///
/// Message: `Problem in HTREE directory inode %d: %B not referenced\n`
/// (in `problem.c`: `@p @h %d: %B not referenced\n`).
/// Prompt: `PROMPT_NONE`; flags: `0`.
pub const PR_2_HTREE_NOTREF: u32 = 0x020034;

/// Node in HTREE directory referenced twice
///
/// Message: `Problem in HTREE directory inode %d: %B referenced twice\n`
/// (in `problem.c`: `@p @h %d: %B referenced twice\n`).
/// Prompt: `PROMPT_NONE`; flags: `0`.
pub const PR_2_HTREE_DUPREF: u32 = 0x020035;

/// Node in HTREE directory has bad min hash
///
/// Message: `Problem in HTREE directory inode %d: %B has bad min hash\n`
/// (in `problem.c`: `@p @h %d: %B has bad min hash\n`).
/// Prompt: `PROMPT_NONE`; flags: `0`.
pub const PR_2_HTREE_MIN_HASH: u32 = 0x020036;

/// Node in HTREE directory has bad max hash
///
/// Message: `Problem in HTREE directory inode %d: %B has bad max hash\n`
/// (in `problem.c`: `@p @h %d: %B has bad max hash\n`).
/// Prompt: `PROMPT_NONE`; flags: `0`.
pub const PR_2_HTREE_MAX_HASH: u32 = 0x020037;

/// Clear invalid HTREE directory
///
/// Message: `Invalid HTREE directory inode %d (%q).  `
/// (in `problem.c`: `@n @h %d (%q).  `).
/// Prompt: `PROMPT_CLEAR_HTREE`; flags: `0`.
pub const PR_2_HTREE_CLEAR: u32 = 0x020038;

/// Filesystem has large directories, but has no such flag in superblock
///
/// Message: `Filesystem has large directories, but lacks LARGE_DIR flag in superblock.\n`
/// (in `problem.c`: `@f has large directories, but lacks LARGE_DIR flag in @S.\n`).
/// Prompt: `PROMPT_FIX`; flags: `PR_PREEN_OK`.
pub const PR_2_FEATURE_LARGE_DIRS: u32 = 0x020039;

/// Bad block in htree interior node
///
/// Message: `Problem in HTREE directory inode %d (%q): bad block number %b.\n`
/// (in `problem.c`: `@p @h %d (%q): bad @b number %b.\n`).
/// Prompt: `PROMPT_CLEAR_HTREE`; flags: `0`.
pub const PR_2_HTREE_BADBLK: u32 = 0x02003a;

/// Error adjusting EA refcount
///
/// Message: `Error adjusting refcount for extended attribute block %b (inode %i): %m\n`
/// (in `problem.c`: `Error adjusting refcount for @a @b %b (@i %i): %m\n`).
/// Prompt: `PROMPT_NONE`; flags: `PR_FATAL`.
pub const PR_2_ADJ_EA_REFCOUNT: u32 = 0x02003b;

/// Invalid HTREE root node
///
/// Message: `Problem in HTREE directory inode %d: root node is invalid\n`
/// (in `problem.c`: `@p @h %d: root node is @n\n`).
/// Prompt: `PROMPT_CLEAR_HTREE`; flags: `PR_PREEN_OK`.
pub const PR_2_HTREE_BAD_ROOT: u32 = 0x02003c;

/// Invalid HTREE limit
///
/// Message: `Problem in HTREE directory inode %d: %B has invalid limit (%N)\n`
/// (in `problem.c`: `@p @h %d: %B has @n limit (%N)\n`).
/// Prompt: `PROMPT_CLEAR_HTREE`; flags: `PR_PREEN_OK`.
pub const PR_2_HTREE_BAD_LIMIT: u32 = 0x02003d;

/// Invalid HTREE count
///
/// Message: `Problem in HTREE directory inode %d: %B has invalid count (%N)\n`
/// (in `problem.c`: `@p @h %d: %B has @n count (%N)\n`).
/// Prompt: `PROMPT_CLEAR_HTREE`; flags: `PR_PREEN_OK`.
pub const PR_2_HTREE_BAD_COUNT: u32 = 0x02003e;

/// HTREE interior node has out-of-order hashes in table
///
/// Message: `Problem in HTREE directory inode %d: %B has an unordered hash table\n`
/// (in `problem.c`: `@p @h %d: %B has an unordered hash table\n`).
/// Prompt: `PROMPT_CLEAR_HTREE`; flags: `PR_PREEN_OK`.
pub const PR_2_HTREE_HASH_ORDER: u32 = 0x02003f;

/// Node in HTREE directory has bad depth
///
/// Message: `Problem in HTREE directory inode %d: %B has invalid depth (%N)\n`
/// (in `problem.c`: `@p @h %d: %B has @n depth (%N)\n`).
/// Prompt: `PROMPT_NONE`; flags: `0`.
pub const PR_2_HTREE_BAD_DEPTH: u32 = 0x020040;

/// Duplicate directory entry found
///
/// Message: `Duplicate entry '%Dn' in %p (%i) found.  `
/// (in `problem.c`: `Duplicate @E found.  `).
/// Prompt: `PROMPT_CLEAR`; flags: `0`.
pub const PR_2_DUPLICATE_DIRENT: u32 = 0x020041;

/// Non-unique filename found
///
/// Message: `Entry '%Dn' in %p (%i) has a non-unique filename.\nRename to %s`
/// (in `problem.c`: `@E has a non-unique filename.\nRename to %s`).
/// Prompt: `PROMPT_NULL`; flags: `0`.
pub const PR_2_NON_UNIQUE_FILE: u32 = 0x020042;

/// Duplicate directory entry found
///
/// Message: `Duplicate entry '%Dn' found.\n\tMarking %p (%i) to be rebuilt.\n\n`
/// (in `problem.c`: `Duplicate @e '%Dn' found.\n\tMarking %p (%i) to be rebuilt.\n\n`).
/// Prompt: `PROMPT_NONE`; flags: `0`.
pub const PR_2_REPORT_DUP_DIRENT: u32 = 0x020043;

/// i\_blocks\_hi should be zero
///
/// Message: `i_blocks_hi for inode %i (%Q) is %N, should be zero.\n`
/// (in `problem.c`: `i_blocks_hi @F %N, @s zero.\n`).
/// Prompt: `PROMPT_CLEAR`; flags: `0`.
pub const PR_2_BLOCKS_HI_ZERO: u32 = 0x020044;

/// Unexpected HTREE block
///
/// Message: `Unexpected block in HTREE directory inode %d (%q).\n`
/// (in `problem.c`: `Unexpected @b in @h %d (%q).\n`).
/// Prompt: `PROMPT_CLEAR_HTREE`; flags: `0`.
pub const PR_2_UNEXPECTED_HTREE_BLOCK: u32 = 0x020045;

/// Inode found in group where \_INODE\_UNINIT is set
///
/// Message: `Entry '%Dn' in %p (%i) references inode %Di in group %g where _INODE_UNINIT is set.\n`
/// (in `problem.c`: `@E references @i %Di in @g %g where _INODE_UNINIT is set.\n`).
/// Prompt: `PROMPT_FIX`; flags: `PR_PREEN_OK`.
pub const PR_2_INOREF_BG_INO_UNINIT: u32 = 0x020046;

/// Inode found in group unused inodes area
///
/// Message: `Entry '%Dn' in %p (%i) references inode %Di found in group %g's unused inodes area.\n`
/// (in `problem.c`: `@E references @i %Di found in @g %g's unused inodes area.\n`).
/// Prompt: `PROMPT_FIX`; flags: `PR_PREEN_OK`.
pub const PR_2_INOREF_IN_UNUSED: u32 = 0x020047;

/// i\_file\_acl\_hi should be zero
///
/// Message: `i_file_acl_hi for inode %i (%Q) is %N, should be zero.\n`
/// (in `problem.c`: `i_file_acl_hi @F %N, @s zero.\n`).
/// Prompt: `PROMPT_CLEAR`; flags: `PR_PREEN_OK`.
pub const PR_2_I_FILE_ACL_HI_ZERO: u32 = 0x020048;

/// htree root node fails checksum
///
/// Message: `Problem in HTREE directory inode %d: root node fails checksum.\n`
/// (in `problem.c`: `@p @h %d: root node fails checksum.\n`).
/// Prompt: `PROMPT_CLEAR_HTREE`; flags: `PR_PREEN_OK`.
pub const PR_2_HTREE_ROOT_CSUM_INVALID: u32 = 0x020049;

/// htree node fails checksum
///
/// Message: `Problem in HTREE directory inode %d: internal node fails checksum.\n`
/// (in `problem.c`: `@p @h %d: internal node fails checksum.\n`).
/// Prompt: `PROMPT_CLEAR_HTREE`; flags: `PR_PREEN_OK`.
pub const PR_2_HTREE_NODE_CSUM_INVALID: u32 = 0x02004a;

/// no space in leaf for checksum
///
/// Message: `Directory inode %i, %B, offset %N: directory has no checksum.\n`
/// (in `problem.c`: `@d @i %i, %B, offset %N: @d has no checksum.\n`).
/// Prompt: `PROMPT_FIX`; flags: `PR_PREEN_OK`.
pub const PR_2_LEAF_NODE_MISSING_CSUM: u32 = 0x02004c;

/// dir leaf node passes checks, but fails checksum
///
/// Message: `Directory inode %i, %B: directory passes checks but fails checksum.\n`
/// (in `problem.c`: `@d @i %i, %B: @d passes checks but fails checksum.\n`).
/// Prompt: `PROMPT_FIX`; flags: `PR_PREEN_OK`.
pub const PR_2_LEAF_NODE_ONLY_CSUM_INVALID: u32 = 0x02004d;

/// bad inline directory size
///
/// Message: `Inline directory inode %i size (%N) must be a multiple of 4.\n`
/// (in `problem.c`: `Inline @d @i %i size (%N) must be a multiple of 4.\n`).
/// Prompt: `PROMPT_FIX`; flags: `0`.
pub const PR_2_BAD_INLINE_DIR_SIZE: u32 = 0x02004e;

/// fixing inline dir size failed
///
/// Message: `Fixing size of inline directory inode %i failed.\n`
/// (in `problem.c`: `Fixing size of inline @d @i %i failed.\n`).
/// Prompt: `PROMPT_TRUNCATE`; flags: `0`.
pub const PR_2_FIX_INLINE_DIR_FAILED: u32 = 0x02004f;

/// Encrypted directory entry is too short
///
/// Message: `Encrypted entry '%Dn' in %p (%i) is too short.\n`
/// (in `problem.c`: `Encrypted @E is too short.\n`).
/// Prompt: `PROMPT_CLEAR`; flags: `0`.
pub const PR_2_BAD_ENCRYPTED_NAME: u32 = 0x020050;

/// Encrypted directory contains unencrypted file
///
/// Message: `Encrypted entry '%Dn' in %p (%i) references unencrypted inode %Di.\n`
/// (in `problem.c`: `Encrypted @E references unencrypted @i %Di.\n`).
/// Prompt: `PROMPT_CLEAR`; flags: `0`.
pub const PR_2_UNENCRYPTED_FILE: u32 = 0x020051;

/// Encrypted directory contains file with different encryption policy
///
/// Message: `Encrypted entry '%Dn' in %p (%i) references inode %Di, which has a different encryption policy.\n`
/// (in `problem.c`: `Encrypted @E references @i %Di, which has a different encryption policy.\n`).
/// Prompt: `PROMPT_CLEAR`; flags: `0`.
pub const PR_2_INCONSISTENT_ENCRYPTION_POLICY: u32 = 0x020052;

/// Encoded directory entry has illegal characters in its name
///
/// Message: `Entry '%Dn' in %p (%i) has illegal UTF-8 characters in its name.\n`
/// (in `problem.c`: `@E has illegal UTF-8 characters in its name.\n`).
/// Prompt: `PROMPT_FIX`; flags: `0`.
pub const PR_2_BAD_ENCODED_NAME: u32 = 0x020053;

/// Non-unique filename found, but can't rename
///
/// Message: `Duplicate filename entry '%Dn' in %p (%i) found.  `
/// (in `problem.c`: `Duplicate filename @E found.  `).
/// Prompt: `PROMPT_CLEAR`; flags: `0`.
pub const PR_2_NON_UNIQUE_FILE_NO_RENAME: u32 = 0x020054;

/// Pass 3: Checking directory connectivity
///
/// Message: `Pass 3: Checking directory connectivity\n`
/// (in `problem.c`: `Pass 3: Checking @d connectivity\n`).
/// Prompt: `PROMPT_NONE`; flags: `PR_HEADER`.
pub const PR_3_PASS_HEADER: u32 = 0x030000;

/// Root inode not allocated
///
/// Message: `Root inode not allocated.  `
/// (in `problem.c`: `@r not allocated.  `).
/// Prompt: `PROMPT_ALLOCATE`; flags: `0`.
pub const PR_3_NO_ROOT_INODE: u32 = 0x030001;

/// No room in lost+found
///
/// Message: `No room in lost+found directory.  `
/// (in `problem.c`: `No room in @l @d.  `).
/// Prompt: `PROMPT_EXPAND`; flags: `0`.
pub const PR_3_EXPAND_LF_DIR: u32 = 0x030002;

/// Unconnected directory inode
///
/// Message: `Unconnected directory inode %i (was in %q)\n`
/// (in `problem.c`: `Unconnected @d @i %i (was in %q)\n`).
/// Prompt: `PROMPT_CONNECT`; flags: `0`.
pub const PR_3_UNCONNECTED_DIR: u32 = 0x030003;

/// /lost+found not found
///
/// Message: `/lost+found not found.  `
/// (in `problem.c`: `/@l not found.  `).
/// Prompt: `PROMPT_CREATE`; flags: `PR_PREEN_OK`.
pub const PR_3_NO_LF_DIR: u32 = 0x030004;

/// .. entry is incorrect
///
/// Message: `'..' in %Q (%i) is %P (%j), should be %q (%d).\n`
/// (in `problem.c`: `'..' in %Q (%i) is %P (%j), @s %q (%d).\n`).
/// Prompt: `PROMPT_FIX`; flags: `0`.
pub const PR_3_BAD_DOT_DOT: u32 = 0x030005;

/// Bad or non-existent /lost+found.  Cannot reconnect
///
/// Message: `Bad or non-existent /lost+found.  Cannot reconnect.\n`
/// (in `problem.c`: `Bad or non-existent /@l.  Cannot reconnect.\n`).
/// Prompt: `PROMPT_NONE`; flags: `0`.
pub const PR_3_NO_LPF: u32 = 0x030006;

/// Could not expand /lost+found
///
/// Message: `Could not expand /lost+found: %m\n`
/// (in `problem.c`: `Could not expand /@l: %m\n`).
/// Prompt: `PROMPT_NONE`; flags: `0`.
pub const PR_3_CANT_EXPAND_LPF: u32 = 0x030007;

/// Could not reconnect inode
///
/// Message: `Could not reconnect %i: %m\n`
/// Prompt: `PROMPT_NONE`; flags: `0`.
pub const PR_3_CANT_RECONNECT: u32 = 0x030008;

/// Error while trying to find /lost+found
///
/// Message: `Error while trying to find /lost+found: %m\n`
/// (in `problem.c`: `Error while trying to find /@l: %m\n`).
/// Prompt: `PROMPT_NONE`; flags: `0`.
pub const PR_3_ERR_FIND_LPF: u32 = 0x030009;

/// Error in ext2fs\_new\_block while creating /lost+found
///
/// Message: `ext2fs_new_block: %m while trying to create /lost+found directory\n`
/// (in `problem.c`: `ext2fs_new_@b: %m while trying to create /@l @d\n`).
/// Prompt: `PROMPT_NONE`; flags: `0`.
pub const PR_3_ERR_LPF_NEW_BLOCK: u32 = 0x03000a;

/// Error in ext2fs\_new\_inode while creating /lost+found
///
/// Message: `ext2fs_new_inode: %m while trying to create /lost+found directory\n`
/// (in `problem.c`: `ext2fs_new_@i: %m while trying to create /@l @d\n`).
/// Prompt: `PROMPT_NONE`; flags: `0`.
pub const PR_3_ERR_LPF_NEW_INODE: u32 = 0x03000b;

/// Error in ext2fs\_new\_dir\_block while creating /lost+found
///
/// Message: `ext2fs_new_dir_block: %m while creating new directory block\n`
/// (in `problem.c`: `ext2fs_new_dir_@b: %m while creating new @d @b\n`).
/// Prompt: `PROMPT_NONE`; flags: `0`.
pub const PR_3_ERR_LPF_NEW_DIR_BLOCK: u32 = 0x03000c;

/// Error while writing directory block for /lost+found
///
/// Message: `ext2fs_write_dir_block: %m while writing the directory block for /lost+found\n`
/// (in `problem.c`: `ext2fs_write_dir_@b: %m while writing the @d @b for /@l\n`).
/// Prompt: `PROMPT_NONE`; flags: `0`.
pub const PR_3_ERR_LPF_WRITE_BLOCK: u32 = 0x03000d;

/// Error while adjusting inode count
///
/// Message: `Error while adjusting inode count on inode %i\n`
/// (in `problem.c`: `Error while adjusting @i count on @i %i\n`).
/// Prompt: `PROMPT_NONE`; flags: `0`.
pub const PR_3_ADJUST_INODE: u32 = 0x03000e;

/// Couldn't fix parent directory -- error
///
/// Message: `Couldn't fix parent of inode %i: %m\n\n`
/// (in `problem.c`: `Couldn't fix parent of @i %i: %m\n\n`).
/// Prompt: `PROMPT_NONE`; flags: `0`.
pub const PR_3_FIX_PARENT_ERR: u32 = 0x03000f;

/// Couldn't fix parent directory -- couldn't find it
///
/// Message: `Couldn't fix parent of inode %i: Couldn't find parent directory entry\n\n`
/// (in `problem.c`: `Couldn't fix parent of @i %i: Couldn't find parent @d @e\n\n`).
/// Prompt: `PROMPT_NONE`; flags: `0`.
pub const PR_3_FIX_PARENT_NOFIND: u32 = 0x030010;

/// Error allocating inode bitmap
///
/// Message: `Error allocating inode bitmap (%N): %m\n`
/// (in `problem.c`: `@A @i @B (%N): %m\n`).
/// Prompt: `PROMPT_NONE`; flags: `PR_FATAL`.
pub const PR_3_ALLOCATE_IBITMAP_ERROR: u32 = 0x030011;

/// Error creating root directory
///
/// Message: `Error creating root directory (%s): %m\n`
/// (in `problem.c`: `Error creating root @d (%s): %m\n`).
/// Prompt: `PROMPT_NONE`; flags: `PR_FATAL`.
pub const PR_3_CREATE_ROOT_ERROR: u32 = 0x030012;

/// Error creating lost and found directory
///
/// Message: `Error creating /lost+found directory (%s): %m\n`
/// (in `problem.c`: `Error creating /@l @d (%s): %m\n`).
/// Prompt: `PROMPT_NONE`; flags: `0`.
pub const PR_3_CREATE_LPF_ERROR: u32 = 0x030013;

/// Root inode is not directory; aborting
///
/// Message: `Root inode is not a directory; aborting.\n`
/// (in `problem.c`: `@r is not a @d; aborting.\n`).
/// Prompt: `PROMPT_NONE`; flags: `PR_FATAL`.
pub const PR_3_ROOT_NOT_DIR_ABORT: u32 = 0x030014;

/// Cannot proceed without a root inode.
///
/// Message: `Cannot proceed without a root inode.\n`
/// (in `problem.c`: `Cannot proceed without a @r.\n`).
/// Prompt: `PROMPT_NONE`; flags: `PR_FATAL`.
pub const PR_3_NO_ROOT_INODE_ABORT: u32 = 0x030015;

/// Internal error: couldn't find dir\_info
///
/// Message: `Internal error: couldn't find dir_info for %i.\n`
/// Prompt: `PROMPT_NONE`; flags: `PR_FATAL`.
pub const PR_3_NO_DIRINFO: u32 = 0x030016;

/// Lost+found is not a directory
///
/// Message: `/lost+found is not a directory (ino=%i)\n`
/// (in `problem.c`: `/@l is not a @d (ino=%i)\n`).
/// Prompt: `PROMPT_UNLINK`; flags: `0`.
pub const PR_3_LPF_NOTDIR: u32 = 0x030017;

/// Lost+found has inline data
///
/// Message: `/lost+found has inline data\n`
/// (in `problem.c`: `/@l has inline data\n`).
/// Prompt: `PROMPT_CLEAR`; flags: `0`.
pub const PR_3_LPF_INLINE_DATA: u32 = 0x030018;

/// Cannot allocate lost+found
///
/// Message: `Cannot allocate space for /lost+found.\nPlace lost files in root directory instead`
/// (in `problem.c`: `Cannot allocate space for /@l.\nPlace lost files in root directory instead`).
/// Prompt: `PROMPT_NULL`; flags: `0`.
pub const PR_3_LPF_NO_SPACE: u32 = 0x030019;

/// Insufficient space to recover lost files
///
/// Message: `Insufficient space to recover lost files!\nMove data off the filesystem and re-run e2fsck.\n\n`
/// (in `problem.c`: `Insufficient space to recover lost files!\nMove data off the @f and re-run e2fsck.\n\n`).
/// Prompt: `PROMPT_NONE`; flags: `0`.
pub const PR_3_NO_SPACE_TO_RECOVER: u32 = 0x03001a;

/// Lost+found is encrypted
///
/// Message: `/lost+found is encrypted\n`
/// (in `problem.c`: `/@l is encrypted\n`).
/// Prompt: `PROMPT_CLEAR`; flags: `0`.
pub const PR_3_LPF_ENCRYPTED: u32 = 0x03001b;

/// Recursively looped directory inode
///
/// Message: `Recursively looped directory inode %i (%p)\n`
/// (in `problem.c`: `Recursively looped @d @i %i (%p)\n`).
/// Prompt: `PROMPT_CONNECT`; flags: `0`.
pub const PR_3_LOOPED_DIR: u32 = 0x03001d;

/// Pass 3a: Reindexing directories
///
/// Message: `Pass 3A: Optimizing directories\n`
/// Prompt: `PROMPT_NONE`; flags: `PR_HEADER | PR_PREEN_NOMSG`.
pub const PR_3A_PASS_HEADER: u32 = 0x031000;

/// Error iterating over directories
///
/// Message: `Failed to create dirs_to_hash iterator: %m\n`
/// Prompt: `PROMPT_NONE`; flags: `0`.
pub const PR_3A_OPTIMIZE_ITER: u32 = 0x031001;

/// Error rehash directory
///
/// Message: `Failed to optimize directory %q (%d): %m\n`
/// Prompt: `PROMPT_NONE`; flags: `0`.
pub const PR_3A_OPTIMIZE_DIR_ERR: u32 = 0x031002;

/// Rehashing dir header
///
/// Message: `Optimizing directories: `
/// Prompt: `PROMPT_NONE`; flags: `PR_MSG_ONLY`.
pub const PR_3A_OPTIMIZE_DIR_HEADER: u32 = 0x031003;

/// Rehashing directory %d
///
/// Message: ` %d`
/// Prompt: `PROMPT_NONE`; flags: `PR_LATCH_OPTIMIZE_DIR | PR_PREEN_NOHDR`.
pub const PR_3A_OPTIMIZE_DIR: u32 = 0x031004;

/// Rehashing dir end
///
/// Message: `\n`
/// Prompt: `PROMPT_NONE`; flags: `PR_PREEN_NOHDR`.
pub const PR_3A_OPTIMIZE_DIR_END: u32 = 0x031005;

/// Pass 4: Checking reference counts
///
/// Message: `Pass 4: Checking reference counts\n`
/// Prompt: `PROMPT_NONE`; flags: `PR_HEADER`.
pub const PR_4_PASS_HEADER: u32 = 0x040000;

/// Unattached zero-length inode
///
/// Message: `Unattached zero-length inode %i.  `
/// (in `problem.c`: `@u @z @i %i.  `).
/// Prompt: `PROMPT_CLEAR`; flags: `PR_PREEN_OK | PR_NO_OK`.
pub const PR_4_ZERO_LEN_INODE: u32 = 0x040001;

/// Unattached inode
///
/// Message: `Unattached inode %i\n`
/// (in `problem.c`: `@u @i %i\n`).
/// Prompt: `PROMPT_CONNECT`; flags: `0`.
pub const PR_4_UNATTACHED_INODE: u32 = 0x040002;

/// Inode ref count wrong
///
/// Message: `Inode %i ref count is %Il, should be %N.  `
/// (in `problem.c`: `@i %i ref count is %Il, @s %N.  `).
/// Prompt: `PROMPT_FIX`; flags: `PR_PREEN_OK`.
pub const PR_4_BAD_REF_COUNT: u32 = 0x040003;

/// Inconsistent inode count information cached
///
/// Message: `WARNING: PROGRAMMING BUG IN E2FSCK!\n\tOR SOME BONEHEAD (YOU) IS CHECKING A MOUNTED (LIVE) FILESYSTEM.\ninode_link_info[%i] is %N, inode.i_links_count is %Il.  They should be the same!\n`
/// (in `problem.c`: `WARNING: PROGRAMMING BUG IN E2FSCK!\n\tOR SOME BONEHEAD (YOU) IS CHECKING A MOUNTED (LIVE) FILESYSTEM.\n@i_link_info[%i] is %N, @i.i_links_count is %Il.  They @s the same!\n`).
/// Prompt: `PROMPT_NONE`; flags: `0`.
pub const PR_4_INCONSISTENT_COUNT: u32 = 0x040004;

/// Extended attribute inode ref count wrong
///
/// Message: `Extended attribute inode %i ref count is %N, should be %n. `
/// (in `problem.c`: `@a @i %i ref count is %N, @s %n. `).
/// Prompt: `PROMPT_FIX`; flags: `PR_PREEN_OK`.
pub const PR_4_EA_INODE_REF_COUNT: u32 = 0x040005;

/// directory exceeds max links, but no DIR\_NLINK feature in superblock
///
/// Message: `Directory exceeds max links, but no DIR_NLINK feature in superblock.\n`
/// (in `problem.c`: `@d exceeds max links, but no DIR_NLINK feature in @S.\n`).
/// Prompt: `PROMPT_FIX`; flags: `0`.
pub const PR_4_DIR_NLINK_FEATURE: u32 = 0x040006;

/// Directory ref count set to overflow but it doesn't have to be
///
/// Message: `Directory inode %i ref count set to overflow but could be exact value %N.  `
/// (in `problem.c`: `@d @i %i ref count set to overflow but could be exact value %N.  `).
/// Prompt: `PROMPT_FIX`; flags: `PR_PREEN_OK`.
pub const PR_4_DIR_OVERFLOW_REF_COUNT: u32 = 0x040007;

/// Pass 5: Checking group summary information
///
/// Message: `Pass 5: Checking group summary information\n`
/// (in `problem.c`: `Pass 5: Checking @g summary information\n`).
/// Prompt: `PROMPT_NONE`; flags: `PR_HEADER`.
pub const PR_5_PASS_HEADER: u32 = 0x050000;

/// Padding at end of inode bitmap is not set.
///
/// Message: `Padding at end of inode bitmap is not set. `
/// (in `problem.c`: `Padding at end of @i @B is not set. `).
/// Prompt: `PROMPT_FIX`; flags: `PR_PREEN_OK`.
pub const PR_5_INODE_BMAP_PADDING: u32 = 0x050001;

/// Padding at end of block bitmap is not set.
///
/// Message: `Padding at end of block bitmap is not set. `
/// (in `problem.c`: `Padding at end of @b @B is not set. `).
/// Prompt: `PROMPT_FIX`; flags: `PR_PREEN_OK`.
pub const PR_5_BLOCK_BMAP_PADDING: u32 = 0x050002;

/// Block bitmap differences header
///
/// Message: `Block bitmap differences: `
/// (in `problem.c`: `@b @B differences: `).
/// Prompt: `PROMPT_NONE`; flags: `PR_PREEN_OK | PR_PREEN_NOMSG`.
pub const PR_5_BLOCK_BITMAP_HEADER: u32 = 0x050003;

/// Block not used, but marked in bitmap
///
/// Message: ` -%b`
/// Prompt: `PROMPT_NONE`; flags: `PR_LATCH_BBITMAP | PR_PREEN_OK | PR_PREEN_NOMSG`.
pub const PR_5_BLOCK_UNUSED: u32 = 0x050004;

/// Block used, but not marked used in bitmap
///
/// Message: ` +%b`
/// Prompt: `PROMPT_NONE`; flags: `PR_LATCH_BBITMAP | PR_PREEN_OK | PR_PREEN_NOMSG`.
pub const PR_5_BLOCK_USED: u32 = 0x050005;

/// Block bitmap differences end
///
/// Message: `\n`
/// Prompt: `PROMPT_FIX`; flags: `PR_PREEN_OK | PR_PREEN_NOMSG`.
pub const PR_5_BLOCK_BITMAP_END: u32 = 0x050006;

/// Inode bitmap differences header
///
/// Message: `Inode bitmap differences: `
/// (in `problem.c`: `@i @B differences: `).
/// Prompt: `PROMPT_NONE`; flags: `PR_PREEN_OK | PR_PREEN_NOMSG`.
pub const PR_5_INODE_BITMAP_HEADER: u32 = 0x050007;

/// Inode not used, but marked in bitmap
///
/// Message: ` -%i`
/// Prompt: `PROMPT_NONE`; flags: `PR_LATCH_IBITMAP | PR_PREEN_OK | PR_PREEN_NOMSG`.
pub const PR_5_INODE_UNUSED: u32 = 0x050008;

/// Inode used, but not marked used in bitmap
///
/// Message: ` +%i`
/// Prompt: `PROMPT_NONE`; flags: `PR_LATCH_IBITMAP | PR_PREEN_OK | PR_PREEN_NOMSG`.
pub const PR_5_INODE_USED: u32 = 0x050009;

/// Inode bitmap differences end
///
/// Message: `\n`
/// Prompt: `PROMPT_FIX`; flags: `PR_PREEN_OK | PR_PREEN_NOMSG`.
pub const PR_5_INODE_BITMAP_END: u32 = 0x05000a;

/// Free inodes count for group wrong
///
/// Message: `Free inodes count wrong for group #%g (%i, counted=%j).\n`
/// (in `problem.c`: `Free @is count wrong for @g #%g (%i, counted=%j).\n`).
/// Prompt: `PROMPT_FIX`; flags: `PR_PREEN_OK | PR_PREEN_NOMSG`.
pub const PR_5_FREE_INODE_COUNT_GROUP: u32 = 0x05000b;

/// Directories count for group wrong
///
/// Message: `Directories count wrong for group #%g (%i, counted=%j).\n`
/// (in `problem.c`: `Directories count wrong for @g #%g (%i, counted=%j).\n`).
/// Prompt: `PROMPT_FIX`; flags: `PR_PREEN_OK | PR_PREEN_NOMSG`.
pub const PR_5_FREE_DIR_COUNT_GROUP: u32 = 0x05000c;

/// Free inodes count wrong
///
/// Message: `Free inodes count wrong (%i, counted=%j).\n`
/// (in `problem.c`: `Free @is count wrong (%i, counted=%j).\n`).
/// Prompt: `PROMPT_FIX`; flags: `PR_PREEN_OK | PR_NO_OK | PR_PREEN_NOMSG`.
pub const PR_5_FREE_INODE_COUNT: u32 = 0x05000d;

/// Free blocks count for group wrong
///
/// Message: `Free blocks count wrong for group #%g (%b, counted=%c).\n`
/// (in `problem.c`: `Free @bs count wrong for @g #%g (%b, counted=%c).\n`).
/// Prompt: `PROMPT_FIX`; flags: `PR_PREEN_OK | PR_PREEN_NOMSG`.
pub const PR_5_FREE_BLOCK_COUNT_GROUP: u32 = 0x05000e;

/// Free blocks count wrong
///
/// Message: `Free blocks count wrong (%b, counted=%c).\n`
/// (in `problem.c`: `Free @bs count wrong (%b, counted=%c).\n`).
/// Prompt: `PROMPT_FIX`; flags: `PR_PREEN_OK | PR_NO_OK | PR_PREEN_NOMSG`.
pub const PR_5_FREE_BLOCK_COUNT: u32 = 0x05000f;

/// Programming error: bitmap endpoints don't match
///
/// Message: `PROGRAMMING ERROR: filesystem (#%N) bitmap endpoints (%b, %c) don't match calculated bitmap endpoints (%i, %j)\n`
/// (in `problem.c`: `PROGRAMMING ERROR: @f (#%N) @B endpoints (%b, %c) don't match calculated @B endpoints (%i, %j)\n`).
/// Prompt: `PROMPT_NONE`; flags: `PR_FATAL`.
pub const PR_5_BMAP_ENDPOINTS: u32 = 0x050010;

/// Internal error: fudging end of bitmap
///
/// Message: `Internal error: fudging end of bitmap (%N)\n`
/// Prompt: `PROMPT_NONE`; flags: `PR_FATAL`.
pub const PR_5_FUDGE_BITMAP_ERROR: u32 = 0x050011;

/// Error copying in replacement inode bitmap
///
/// Message: `Error copying in replacement inode bitmap: %m\n`
/// (in `problem.c`: `Error copying in replacement @i @B: %m\n`).
/// Prompt: `PROMPT_NONE`; flags: `PR_FATAL`.
pub const PR_5_COPY_IBITMAP_ERROR: u32 = 0x050012;

/// Error copying in replacement block bitmap
///
/// Message: `Error copying in replacement block bitmap: %m\n`
/// (in `problem.c`: `Error copying in replacement @b @B: %m\n`).
/// Prompt: `PROMPT_NONE`; flags: `PR_FATAL`.
pub const PR_5_COPY_BBITMAP_ERROR: u32 = 0x050013;

/// Block range not used, but marked in bitmap
///
/// Message: ` -(%b--%c)`
/// Prompt: `PROMPT_NONE`; flags: `PR_LATCH_BBITMAP | PR_PREEN_OK | PR_PREEN_NOMSG`.
pub const PR_5_BLOCK_RANGE_UNUSED: u32 = 0x050014;

/// Block range used, but not marked used in bitmap
///
/// Message: ` +(%b--%c)`
/// Prompt: `PROMPT_NONE`; flags: `PR_LATCH_BBITMAP | PR_PREEN_OK | PR_PREEN_NOMSG`.
pub const PR_5_BLOCK_RANGE_USED: u32 = 0x050015;

/// Inode range not used, but marked in bitmap
///
/// Message: ` -(%i--%j)`
/// Prompt: `PROMPT_NONE`; flags: `PR_LATCH_IBITMAP | PR_PREEN_OK | PR_PREEN_NOMSG`.
pub const PR_5_INODE_RANGE_UNUSED: u32 = 0x050016;

/// Inode range used, but not marked used in bitmap
///
/// Message: ` +(%i--%j)`
/// Prompt: `PROMPT_NONE`; flags: `PR_LATCH_IBITMAP | PR_PREEN_OK | PR_PREEN_NOMSG`.
pub const PR_5_INODE_RANGE_USED: u32 = 0x050017;

/// Block in use but group is marked BLOCK\_UNINIT
///
/// Message: `Group %g block(s) in use but group is marked BLOCK_UNINIT\n`
/// (in `problem.c`: `@g %g @b(s) in use but @g is marked BLOCK_UNINIT\n`).
/// Prompt: `PROMPT_FIX`; flags: `PR_PREEN_OK`.
pub const PR_5_BLOCK_UNINIT: u32 = 0x050018;

/// Inode in use but group is marked INODE\_UNINIT
///
/// Message: `Group %g inode(s) in use but group is marked INODE_UNINIT\n`
/// (in `problem.c`: `@g %g @i(s) in use but @g is marked INODE_UNINIT\n`).
/// Prompt: `PROMPT_FIX`; flags: `PR_PREEN_OK`.
pub const PR_5_INODE_UNINIT: u32 = 0x050019;

/// Inode bitmap checksum does not match
///
/// Message: `Group %g inode bitmap does not match checksum.\n`
/// (in `problem.c`: `@g %g @i @B does not match checksum.\n`).
/// Prompt: `PROMPT_FIX`; flags: `PR_LATCH_IBITMAP | PR_PREEN_OK`.
pub const PR_5_INODE_BITMAP_CSUM_INVALID: u32 = 0x05001a;

/// Block bitmap checksum does not match
///
/// Message: `Group %g block bitmap does not match checksum.\n`
/// (in `problem.c`: `@g %g @b @B does not match checksum.\n`).
/// Prompt: `PROMPT_FIX`; flags: `PR_LATCH_BBITMAP | PR_PREEN_OK`.
pub const PR_5_BLOCK_BITMAP_CSUM_INVALID: u32 = 0x05001b;

/// Recreate the journal if E2F\_FLAG\_JOURNAL\_INODE flag is set
///
/// Message: `Recreate journal`
/// (in `problem.c`: `Recreate @j`).
/// Prompt: `PROMPT_NULL`; flags: `PR_PREEN_OK | PR_NO_OK`.
pub const PR_6_RECREATE_JOURNAL: u32 = 0x060001;

/// Update quota information if it is inconsistent
///
/// Message: `Update quota info for quota type %N`
/// Prompt: `PROMPT_NULL`; flags: `PR_PREEN_OK`.
pub const PR_6_UPDATE_QUOTAS: u32 = 0x060002;

/// Error setting block group checksum info
///
/// Message: `Error setting block group checksum info: %m\n`
/// (in `problem.c`: `Error setting @b @g checksum info: %m\n`).
/// Prompt: `PROMPT_NULL`; flags: `PR_FATAL`.
pub const PR_6_SET_BG_CHECKSUM: u32 = 0x060003;

/// Error writing file system info
///
/// Message: `Error writing file system info: %m\n`
/// Prompt: `PROMPT_NULL`; flags: `PR_FATAL`.
pub const PR_6_FLUSH_FILESYSTEM: u32 = 0x060004;

/// Error flushing writes to storage device
///
/// Message: `Error flushing writes to storage device: %m\n`
/// Prompt: `PROMPT_NULL`; flags: `PR_FATAL`.
pub const PR_6_IO_FLUSH: u32 = 0x060005;

/// Error updating quota information
///
/// Message: `Error writing quota info for quota type %N: %m\n`
/// Prompt: `PROMPT_NULL`; flags: `0`.
pub const PR_6_WRITE_QUOTAS: u32 = 0x060006;

/// Orphan file without a journal
///
/// Message: `Superblock has orphan file without journal.\n`
/// (in `problem.c`: `@S has orphan file without @j.\n`).
/// Prompt: `PROMPT_CLEAR`; flags: `PR_PREEN_OK`.
pub const PR_6_ORPHAN_FILE_WITHOUT_JOURNAL: u32 = 0x060007;

/// Orphan file truncation failed
///
/// Message: `Failed to truncate orphan file.\n`
/// Prompt: `PROMPT_NONE`; flags: `0`.
pub const PR_6_ORPHAN_FILE_TRUNC_FAILED: u32 = 0x060008;

/// Failed to initialize orphan file
///
/// Message: `Failed to initialize orphan file.\n`
/// Prompt: `PROMPT_RECREATE`; flags: `PR_PREEN_OK`.
pub const PR_6_ORPHAN_FILE_CORRUPTED: u32 = 0x060009;

/// Cannot fix corrupted orphan file with invalid bitmaps
///
/// Message: `Cannot fix corrupted orphan file with invalid bitmaps.\n`
/// Prompt: `PROMPT_NONE`; flags: `0`.
pub const PR_6_ORPHAN_FILE_BITMAP_INVALID: u32 = 0x06000a;

/// Orphan file creation failed
///
/// Message: `Failed to truncate orphan file (inode %i).\n`
/// (in `problem.c`: `Failed to truncate orphan file (@i %i).\n`).
/// Prompt: `PROMPT_NONE`; flags: `0`.
pub const PR_6_ORPHAN_FILE_CREATE_FAILED: u32 = 0x06000b;

/// Orphan file block contains data
///
/// Message: `Orphan file (inode %i) block %b is not clean.\n`
/// (in `problem.c`: `Orphan file (@i %i) @b %b is not clean.\n`).
/// Prompt: `PROMPT_CLEAR`; flags: `PR_PREEN_OK`.
pub const PR_6_ORPHAN_BLOCK_DIRTY: u32 = 0x06000c;

/// orphan\_present set but orphan file is empty
///
/// Message: `Feature orphan_present is set but orphan file is clean.\n`
/// Prompt: `PROMPT_CLEAR`; flags: `PR_PREEN_OK`.
pub const PR_6_ORPHAN_PRESENT_CLEAN_FILE: u32 = 0x06000d;

/// orphan\_present set but orphan\_file is not
///
/// Message: `Feature orphan_present is set but feature orphan_file is not.\n`
/// Prompt: `PROMPT_CLEAR`; flags: `PR_PREEN_OK`.
pub const PR_6_ORPHAN_PRESENT_NO_FILE: u32 = 0x06000e;

/// Orphan file size isn't multiple of blocks size
///
/// Message: `Orphan file (inode %i) size is not multiple of block size.\n`
/// (in `problem.c`: `Orphan file (@i %i) size is not multiple of block size.\n`).
/// Prompt: `PROMPT_NONE`; flags: `0`.
pub const PR_6_ORPHAN_FILE_WRONG_SIZE: u32 = 0x06000f;

/// Orphan file contains holes
///
/// Message: `Orphan file (inode %i) contains hole at block %b.\n`
/// (in `problem.c`: `Orphan file (@i %i) contains hole at @b %b.\n`).
/// Prompt: `PROMPT_NONE`; flags: `0`.
pub const PR_6_ORPHAN_FILE_HOLE: u32 = 0x060010;

/// The question e2fsck asks about a problem (`problem.c`'s `PROMPT_*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Prompt {
    /// `PROMPT_NONE`: `(no prompt)`.
    None = 0,
    /// `PROMPT_FIX`: `Fix`.
    Fix = 1,
    /// `PROMPT_CLEAR`: `Clear`.
    Clear = 2,
    /// `PROMPT_RELOCATE`: `Relocate`.
    Relocate = 3,
    /// `PROMPT_ALLOCATE`: `Allocate`.
    Allocate = 4,
    /// `PROMPT_EXPAND`: `Expand`.
    Expand = 5,
    /// `PROMPT_CONNECT`: `Connect to /lost+found`.
    Connect = 6,
    /// `PROMPT_CREATE`: `Create`.
    Create = 7,
    /// `PROMPT_SALVAGE`: `Salvage`.
    Salvage = 8,
    /// `PROMPT_TRUNCATE`: `Truncate`.
    Truncate = 9,
    /// `PROMPT_CLEAR_INODE`: `Clear inode`.
    ClearInode = 10,
    /// `PROMPT_ABORT`: `Abort`.
    Abort = 11,
    /// `PROMPT_SPLIT`: `Split`.
    Split = 12,
    /// `PROMPT_CONTINUE`: `Continue`.
    Continue = 13,
    /// `PROMPT_CLONE`: `Clone multiply-claimed blocks`.
    Clone = 14,
    /// `PROMPT_DELETE`: `Delete file`.
    Delete = 15,
    /// `PROMPT_SUPPRESS`: `Suppress messages`.
    Suppress = 16,
    /// `PROMPT_UNLINK`: `Unlink`.
    Unlink = 17,
    /// `PROMPT_CLEAR_HTREE`: `Clear HTree index`.
    ClearHtree = 18,
    /// `PROMPT_RECREATE`: `Recreate`.
    Recreate = 19,
    /// `PROMPT_OPTIMIZE`: `Optimize`.
    Optimize = 20,
    /// `PROMPT_CLEAR_FLAG`: `Clear flag`.
    ClearFlag = 21,
    /// `PROMPT_NULL`: no question (an empty prompt).
    Null = 22,
}

impl Prompt {
    /// The prompt as e2fsck prints it (`prompt[]`); `"(no prompt)"` for [`Prompt::None`].
    pub fn text(self) -> &'static str {
        match self {
            Prompt::None => "(no prompt)",
            Prompt::Fix => "Fix",
            Prompt::Clear => "Clear",
            Prompt::Relocate => "Relocate",
            Prompt::Allocate => "Allocate",
            Prompt::Expand => "Expand",
            Prompt::Connect => "Connect to /lost+found",
            Prompt::Create => "Create",
            Prompt::Salvage => "Salvage",
            Prompt::Truncate => "Truncate",
            Prompt::ClearInode => "Clear inode",
            Prompt::Abort => "Abort",
            Prompt::Split => "Split",
            Prompt::Continue => "Continue",
            Prompt::Clone => "Clone multiply-claimed blocks",
            Prompt::Delete => "Delete file",
            Prompt::Suppress => "Suppress messages",
            Prompt::Unlink => "Unlink",
            Prompt::ClearHtree => "Clear HTree index",
            Prompt::Recreate => "Recreate",
            Prompt::Optimize => "Optimize",
            Prompt::ClearFlag => "Clear flag",
            Prompt::Null => "",
        }
    }

    /// What e2fsck prints in preen mode when it fixes the problem (`preen_msg[]`).
    pub fn preen_text(self) -> &'static str {
        match self {
            Prompt::None => "(NONE)",
            Prompt::Fix => "FIXED",
            Prompt::Clear => "CLEARED",
            Prompt::Relocate => "RELOCATED",
            Prompt::Allocate => "ALLOCATED",
            Prompt::Expand => "EXPANDED",
            Prompt::Connect => "RECONNECTED",
            Prompt::Create => "CREATED",
            Prompt::Salvage => "SALVAGED",
            Prompt::Truncate => "TRUNCATED",
            Prompt::ClearInode => "INODE CLEARED",
            Prompt::Abort => "ABORTED",
            Prompt::Split => "SPLIT",
            Prompt::Continue => "CONTINUING",
            Prompt::Clone => "MULTIPLY-CLAIMED BLOCKS CLONED",
            Prompt::Delete => "FILE DELETED",
            Prompt::Suppress => "SUPPRESSED",
            Prompt::Unlink => "UNLINKED",
            Prompt::ClearHtree => "HTREE INDEX CLEARED",
            Prompt::Recreate => "WILL RECREATE",
            Prompt::Optimize => "WILL OPTIMIZE",
            Prompt::ClearFlag => "FLAG CLEARED",
            Prompt::Null => "",
        }
    }
}

/// One row of e2fsck's `problem_table[]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProblemDef {
    /// The code's name in `problem.h`, e.g. `"PR_1_BAD_I_SIZE"`.
    pub name: &'static str,
    /// The problem code.
    pub code: u32,
    /// The message, `@` abbreviations expanded, `%` expressions left in.
    pub message: &'static str,
    /// The question asked.
    pub prompt: Prompt,
    /// `PR_*` flags, including the latch group (`flags & PR_LATCH_MASK`).
    pub flags: u32,
    /// The problem asked next when `flags` has [`PR_AFTER_CODE`], else 0.
    pub second_code: u32,
}

/// One row of e2fsck's `pr_latch_info[]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LatchDef {
    /// The latch group, a `PR_LATCH_*` value.
    pub latch: u32,
    /// The problem asked once, before the group's first problem.
    pub question: u32,
    /// The problem reported when the group ends, or 0.
    pub end: u32,
}

/// e2fsck's `problem_table[]`, sorted by code (410 problems).
pub static PROBLEMS: &[ProblemDef] = &[
    ProblemDef {
        name: "PR_0_BB_NOT_GROUP",
        code: PR_0_BB_NOT_GROUP,
        message: "Block bitmap for group %g is not in group.  (block %b)\n",
        prompt: Prompt::Relocate,
        flags: PR_LATCH_RELOC,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_0_IB_NOT_GROUP",
        code: PR_0_IB_NOT_GROUP,
        message: "Inode bitmap for group %g is not in group.  (block %b)\n",
        prompt: Prompt::Relocate,
        flags: PR_LATCH_RELOC,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_0_ITABLE_NOT_GROUP",
        code: PR_0_ITABLE_NOT_GROUP,
        message: "Inode table for group %g is not in group.  (block %b)\nWARNING: SEVERE DATA LOSS POSSIBLE.\n",
        prompt: Prompt::Relocate,
        flags: PR_LATCH_RELOC,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_0_SB_CORRUPT",
        code: PR_0_SB_CORRUPT,
        message: "\nThe superblock could not be read or does not describe a valid ext2/ext3/ext4\nfilesystem.  If the device is valid and it really contains an ext2/ext3/ext4\nfilesystem (and not swap or ufs or something else), then the superblock\nis corrupt, and you might try running e2fsck with an alternate superblock:\n    e2fsck -b 8193 <device>\n or\n    e2fsck -b 32768 <device>\n\n",
        prompt: Prompt::None,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_0_FS_SIZE_WRONG",
        code: PR_0_FS_SIZE_WRONG,
        message: "The filesystem size (according to the superblock) is %b blocks\nThe physical size of the device is %c blocks\nEither the superblock or the partition table is likely to be corrupt!\n",
        prompt: Prompt::Abort,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_0_NO_FRAGMENTS",
        code: PR_0_NO_FRAGMENTS,
        message: "Superblock block_size = %b, fragsize = %c.\nThis version of e2fsck does not support fragment sizes different\nfrom the block size.\n",
        prompt: Prompt::None,
        flags: PR_FATAL,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_0_BLOCKS_PER_GROUP",
        code: PR_0_BLOCKS_PER_GROUP,
        message: "Superblock blocks_per_group = %b, should have been %c\n",
        prompt: Prompt::None,
        flags: PR_AFTER_CODE,
        second_code: PR_0_SB_CORRUPT,
    },
    ProblemDef {
        name: "PR_0_FIRST_DATA_BLOCK",
        code: PR_0_FIRST_DATA_BLOCK,
        message: "Superblock first_data_block = %b, should have been %c\n",
        prompt: Prompt::None,
        flags: PR_AFTER_CODE,
        second_code: PR_0_SB_CORRUPT,
    },
    ProblemDef {
        name: "PR_0_ADD_UUID",
        code: PR_0_ADD_UUID,
        message: "Filesystem did not have a UUID; generating one.\n\n",
        prompt: Prompt::None,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_0_RELOCATE_HINT",
        code: PR_0_RELOCATE_HINT,
        message: "Note: if several inode or block bitmap blocks or part\nof the inode table require relocation, you may wish to try\nrunning e2fsck with the '-b %S' option first.  The problem\nmay lie only with the primary block group descriptors, and\nthe backup block group descriptors may be OK.\n\n",
        prompt: Prompt::None,
        flags: PR_PREEN_OK | PR_NOCOLLATE,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_0_MISC_CORRUPT_SUPER",
        code: PR_0_MISC_CORRUPT_SUPER,
        message: "Corruption found in superblock.  (%s = %N).\n",
        prompt: Prompt::None,
        flags: PR_AFTER_CODE,
        second_code: PR_0_SB_CORRUPT,
    },
    ProblemDef {
        name: "PR_0_GETSIZE_ERROR",
        code: PR_0_GETSIZE_ERROR,
        message: "Error determining size of the physical device: %m\n",
        prompt: Prompt::None,
        flags: PR_FATAL,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_0_INODE_COUNT_WRONG",
        code: PR_0_INODE_COUNT_WRONG,
        message: "Inode count in superblock is %i, should be %j.\n",
        prompt: Prompt::Fix,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_0_HURD_CLEAR_FILETYPE",
        code: PR_0_HURD_CLEAR_FILETYPE,
        message: "The Hurd does not support the filetype feature.\n",
        prompt: Prompt::Clear,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_0_JOURNAL_BAD_INODE",
        code: PR_0_JOURNAL_BAD_INODE,
        message: "Superblock has an invalid journal (inode %i).\n",
        prompt: Prompt::Clear,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_0_JOURNAL_UNSUPP_MULTIFS",
        code: PR_0_JOURNAL_UNSUPP_MULTIFS,
        message: "External journal has multiple filesystem users (unsupported).\n",
        prompt: Prompt::None,
        flags: PR_FATAL,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_0_CANT_FIND_JOURNAL",
        code: PR_0_CANT_FIND_JOURNAL,
        message: "Can't find external journal\n",
        prompt: Prompt::None,
        flags: PR_FATAL,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_0_EXT_JOURNAL_BAD_SUPER",
        code: PR_0_EXT_JOURNAL_BAD_SUPER,
        message: "External journal has bad superblock\n",
        prompt: Prompt::None,
        flags: PR_FATAL,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_0_JOURNAL_BAD_UUID",
        code: PR_0_JOURNAL_BAD_UUID,
        message: "External journal does not support this filesystem\n",
        prompt: Prompt::None,
        flags: PR_FATAL,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_0_JOURNAL_UNSUPP_SUPER",
        code: PR_0_JOURNAL_UNSUPP_SUPER,
        message: "Filesystem journal superblock is unknown type %N (unsupported).\nIt is likely that your copy of e2fsck is old and/or doesn't support this journal format.\nIt is also possible the journal superblock is corrupt.\n",
        prompt: Prompt::Abort,
        flags: PR_NO_OK | PR_AFTER_CODE,
        second_code: PR_0_JOURNAL_BAD_SUPER,
    },
    ProblemDef {
        name: "PR_0_JOURNAL_BAD_SUPER",
        code: PR_0_JOURNAL_BAD_SUPER,
        message: "Journal superblock is corrupt.\n",
        prompt: Prompt::Fix,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_0_JOURNAL_HAS_JOURNAL",
        code: PR_0_JOURNAL_HAS_JOURNAL,
        message: "Superblock has_journal flag is clear, but a journal is present.\n",
        prompt: Prompt::Clear,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_0_JOURNAL_RECOVER_SET",
        code: PR_0_JOURNAL_RECOVER_SET,
        message: "Superblock needs_recovery flag is set, but no journal is present.\n",
        prompt: Prompt::Clear,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_0_JOURNAL_RECOVERY_CLEAR",
        code: PR_0_JOURNAL_RECOVERY_CLEAR,
        message: "Superblock needs_recovery flag is clear, but journal has data.\n",
        prompt: Prompt::None,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_0_JOURNAL_RESET_JOURNAL",
        code: PR_0_JOURNAL_RESET_JOURNAL,
        message: "Clear journal",
        prompt: Prompt::Null,
        flags: PR_PREEN_NOMSG,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_0_FS_REV_LEVEL",
        code: PR_0_FS_REV_LEVEL,
        message: "Filesystem has feature flag(s) set, but is a revision 0 filesystem.  ",
        prompt: Prompt::Fix,
        flags: PR_PREEN_OK | PR_NO_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_0_ORPHAN_CLEAR_INODE",
        code: PR_0_ORPHAN_CLEAR_INODE,
        message: "%s orphaned inode %i (uid=%Iu, gid=%Ig, mode=%Im, size=%Is)\n",
        prompt: Prompt::None,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_0_ORPHAN_ILLEGAL_BLOCK_NUM",
        code: PR_0_ORPHAN_ILLEGAL_BLOCK_NUM,
        message: "Illegal %B (%b) found in orphaned inode %i.\n",
        prompt: Prompt::None,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_0_ORPHAN_ALREADY_CLEARED_BLOCK",
        code: PR_0_ORPHAN_ALREADY_CLEARED_BLOCK,
        message: "Already cleared %B (%b) found in orphaned inode %i.\n",
        prompt: Prompt::None,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_0_ORPHAN_ILLEGAL_HEAD_INODE",
        code: PR_0_ORPHAN_ILLEGAL_HEAD_INODE,
        message: "Illegal orphaned inode %i in superblock.\n",
        prompt: Prompt::None,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_0_ORPHAN_ILLEGAL_INODE",
        code: PR_0_ORPHAN_ILLEGAL_INODE,
        message: "Illegal inode %i in orphaned inode list.\n",
        prompt: Prompt::None,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_0_JOURNAL_UNSUPP_ROCOMPAT",
        code: PR_0_JOURNAL_UNSUPP_ROCOMPAT,
        message: "Journal superblock has an unknown read-only feature flag set.\n",
        prompt: Prompt::Abort,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_0_JOURNAL_UNSUPP_INCOMPAT",
        code: PR_0_JOURNAL_UNSUPP_INCOMPAT,
        message: "Journal superblock has an unknown incompatible feature flag set.\n",
        prompt: Prompt::Abort,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_0_JOURNAL_UNSUPP_VERSION",
        code: PR_0_JOURNAL_UNSUPP_VERSION,
        message: "Journal version not supported by this e2fsck.\n",
        prompt: Prompt::Abort,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_0_MOVE_JOURNAL",
        code: PR_0_MOVE_JOURNAL,
        message: "Moving journal from /%s to hidden inode.\n\n",
        prompt: Prompt::None,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_0_ERR_MOVE_JOURNAL",
        code: PR_0_ERR_MOVE_JOURNAL,
        message: "Error moving journal: %m\n\n",
        prompt: Prompt::None,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_0_CLEAR_V2_JOURNAL",
        code: PR_0_CLEAR_V2_JOURNAL,
        message: "Found invalid V2 journal superblock fields (from V1 journal).\nClearing fields beyond the V1 journal superblock...\n\n",
        prompt: Prompt::None,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_0_JOURNAL_RUN",
        code: PR_0_JOURNAL_RUN,
        message: "Run journal anyway",
        prompt: Prompt::Null,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_0_JOURNAL_RUN_DEFAULT",
        code: PR_0_JOURNAL_RUN_DEFAULT,
        message: "Recovery flag not set in backup superblock, so running journal anyway.\n",
        prompt: Prompt::None,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_0_BACKUP_JNL",
        code: PR_0_BACKUP_JNL,
        message: "Backing up journal inode block information.\n\n",
        prompt: Prompt::None,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_0_NONZERO_RESERVED_GDT_BLOCKS",
        code: PR_0_NONZERO_RESERVED_GDT_BLOCKS,
        message: "Filesystem does not have resize_inode enabled, but s_reserved_gdt_blocks\nis %N; should be zero.  ",
        prompt: Prompt::Fix,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_0_CLEAR_RESIZE_INODE",
        code: PR_0_CLEAR_RESIZE_INODE,
        message: "Resize_inode not enabled, but the resize inode is non-zero.  ",
        prompt: Prompt::Clear,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_0_RESIZE_INODE_INVALID",
        code: PR_0_RESIZE_INODE_INVALID,
        message: "Resize inode not valid.  ",
        prompt: Prompt::Recreate,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_0_FUTURE_SB_LAST_MOUNT",
        code: PR_0_FUTURE_SB_LAST_MOUNT,
        message: "Superblock last mount time (%t,\n\tnow = %T) is in the future.\n",
        prompt: Prompt::Fix,
        flags: PR_PREEN_OK | PR_NO_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_0_FUTURE_SB_LAST_WRITE",
        code: PR_0_FUTURE_SB_LAST_WRITE,
        message: "Superblock last write time (%t,\n\tnow = %T) is in the future.\n",
        prompt: Prompt::Fix,
        flags: PR_PREEN_OK | PR_NO_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_0_EXTERNAL_JOURNAL_HINT",
        code: PR_0_EXTERNAL_JOURNAL_HINT,
        message: "Superblock hint for external superblock should be %X.  ",
        prompt: Prompt::Fix,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_0_DIRHASH_HINT",
        code: PR_0_DIRHASH_HINT,
        message: "Adding dirhash hint to filesystem.\n\n",
        prompt: Prompt::None,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_0_GDT_CSUM",
        code: PR_0_GDT_CSUM,
        message: "Group descriptor %g checksum is %04x, should be %04y.  ",
        prompt: Prompt::Fix,
        flags: PR_PREEN_OK | PR_LATCH_BG_CHECKSUM,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_0_GDT_UNINIT",
        code: PR_0_GDT_UNINIT,
        message: "Group descriptor %g marked uninitialized without feature set.\n",
        prompt: Prompt::Fix,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_0_GDT_ITABLE_UNUSED",
        code: PR_0_GDT_ITABLE_UNUSED,
        message: "Group descriptor %g has invalid unused inodes count %b.  ",
        prompt: Prompt::Fix,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_0_BB_UNINIT_LAST",
        code: PR_0_BB_UNINIT_LAST,
        message: "Last group block bitmap uninitialized.  ",
        prompt: Prompt::Fix,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_0_JNL_TXN_CORRUPT",
        code: PR_0_JNL_TXN_CORRUPT,
        message: "Journal transaction %i was corrupt, replay was aborted.\n",
        prompt: Prompt::None,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_0_CLEAR_TESTFS_FLAG",
        code: PR_0_CLEAR_TESTFS_FLAG,
        message: "The test_fs flag is set (and ext4 is available).  ",
        prompt: Prompt::Clear,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_0_FUTURE_SB_LAST_MOUNT_FUDGED",
        code: PR_0_FUTURE_SB_LAST_MOUNT_FUDGED,
        message: "Superblock last mount time is in the future.\n\t(by less than a day, probably due to the hardware clock being incorrectly set)\n",
        prompt: Prompt::None,
        flags: PR_PREEN_OK | PR_NO_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_0_FUTURE_SB_LAST_WRITE_FUDGED",
        code: PR_0_FUTURE_SB_LAST_WRITE_FUDGED,
        message: "Superblock last write time is in the future.\n\t(by less than a day, probably due to the hardware clock being incorrectly set)\n",
        prompt: Prompt::None,
        flags: PR_PREEN_OK | PR_NO_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_0_GDT_CSUM_LATCH",
        code: PR_0_GDT_CSUM_LATCH,
        message: "One or more block group descriptor checksums are invalid.  ",
        prompt: Prompt::Fix,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_0_FREE_INODE_COUNT",
        code: PR_0_FREE_INODE_COUNT,
        message: "Setting free inodes count to %j (was %i)\n",
        prompt: Prompt::None,
        flags: PR_PREEN_NOMSG,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_0_FREE_BLOCK_COUNT",
        code: PR_0_FREE_BLOCK_COUNT,
        message: "Setting free blocks count to %c (was %b)\n",
        prompt: Prompt::None,
        flags: PR_PREEN_NOMSG,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_0_HIDE_QUOTA",
        code: PR_0_HIDE_QUOTA,
        message: "Hiding %U quota inode %i (%Q).\n",
        prompt: Prompt::None,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_0_MMP_INVALID_BLK",
        code: PR_0_MMP_INVALID_BLK,
        message: "Superblock has invalid MMP block.  ",
        prompt: Prompt::Clear,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_0_MMP_INVALID_MAGIC",
        code: PR_0_MMP_INVALID_MAGIC,
        message: "Superblock has invalid MMP magic.  ",
        prompt: Prompt::Fix,
        flags: PR_PREEN_OK | PR_NO_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_0_OPEN_FAILED",
        code: PR_0_OPEN_FAILED,
        message: "ext2fs_open2: %m\n",
        prompt: Prompt::None,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_0_CHECK_DESC_FAILED",
        code: PR_0_CHECK_DESC_FAILED,
        message: "ext2fs_check_desc: %m\n",
        prompt: Prompt::None,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_0_META_AND_GDT_CSUM_SET",
        code: PR_0_META_AND_GDT_CSUM_SET,
        message: "Superblock metadata_csum supersedes uninit_bg; both feature bits cannot be set simultaneously.",
        prompt: Prompt::Fix,
        flags: PR_PREEN_OK | PR_NO_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_0_MMP_CSUM_INVALID",
        code: PR_0_MMP_CSUM_INVALID,
        message: "Superblock MMP block checksum does not match.  ",
        prompt: Prompt::Fix,
        flags: PR_PREEN_OK | PR_NO_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_0_64BIT_WITHOUT_EXTENTS",
        code: PR_0_64BIT_WITHOUT_EXTENTS,
        message: "Superblock 64bit filesystem needs extents to access the whole disk.  ",
        prompt: Prompt::Fix,
        flags: PR_PREEN_OK | PR_NO_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_0_FIRST_META_BG_TOO_BIG",
        code: PR_0_FIRST_META_BG_TOO_BIG,
        message: "First_meta_bg is too big.  (%N, max value %g).  ",
        prompt: Prompt::Clear,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_0_EXT_JOURNAL_SUPER_CSUM_INVALID",
        code: PR_0_EXT_JOURNAL_SUPER_CSUM_INVALID,
        message: "External journal superblock checksum does not match superblock.  ",
        prompt: Prompt::Fix,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_0_CSUM_SEED_WITHOUT_META_CSUM",
        code: PR_0_CSUM_SEED_WITHOUT_META_CSUM,
        message: "Superblock metadata_csum_seed is not necessary without metadata_csum.",
        prompt: Prompt::Fix,
        flags: PR_PREEN_OK | PR_NO_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_0_QUOTA_INIT_CTX",
        code: PR_0_QUOTA_INIT_CTX,
        message: "Error initializing quota context in support library: %m\n",
        prompt: Prompt::Null,
        flags: PR_FATAL,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_0_BAD_MIN_EXTRA_ISIZE",
        code: PR_0_BAD_MIN_EXTRA_ISIZE,
        message: "Bad required extra isize in superblock (%N).  ",
        prompt: Prompt::Fix,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_0_BAD_WANT_EXTRA_ISIZE",
        code: PR_0_BAD_WANT_EXTRA_ISIZE,
        message: "Bad desired extra isize in superblock (%N).  ",
        prompt: Prompt::Fix,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_0_INVALID_QUOTA_INO",
        code: PR_0_INVALID_QUOTA_INO,
        message: "Invalid %U quota inode %i.  ",
        prompt: Prompt::Fix,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_0_INODE_COUNT_BIG",
        code: PR_0_INODE_COUNT_BIG,
        message: "Superblock would have too many inodes (%N).\n",
        prompt: Prompt::None,
        flags: PR_AFTER_CODE,
        second_code: PR_0_SB_CORRUPT,
    },
    ProblemDef {
        name: "PR_0_DISABLE_RESIZE_INODE",
        code: PR_0_DISABLE_RESIZE_INODE,
        message: "Resize_inode and meta_bg features are enabled. Those features are\nnot compatible. Resize inode should be disabled.  ",
        prompt: Prompt::Fix,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_0_ORPHAN_FILE_HOLE",
        code: PR_0_ORPHAN_FILE_HOLE,
        message: "Orphan file (inode %i) contains hole at block %b. Terminating orphan file recovery.\n",
        prompt: Prompt::None,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_0_ORPHAN_FILE_BAD_MAGIC",
        code: PR_0_ORPHAN_FILE_BAD_MAGIC,
        message: "Orphan file (inode %i) block %b contains wrong magic. Terminating orphan file recovery.\n",
        prompt: Prompt::None,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_0_ORPHAN_FILE_BAD_CHECKSUM",
        code: PR_0_ORPHAN_FILE_BAD_CHECKSUM,
        message: "Orphan file (inode %i) block %b contains wrong checksum. Terminating orphan file recovery.\n",
        prompt: Prompt::None,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_0_ORPHAN_FILE_WRONG_SIZE",
        code: PR_0_ORPHAN_FILE_WRONG_SIZE,
        message: "Orphan file (inode %i) size is not multiple of block size. Terminating orphan file recovery.\n",
        prompt: Prompt::None,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_PASS_HEADER",
        code: PR_1_PASS_HEADER,
        message: "Pass 1: Checking inodes, blocks, and sizes\n",
        prompt: Prompt::None,
        flags: PR_HEADER,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_ROOT_NO_DIR",
        code: PR_1_ROOT_NO_DIR,
        message: "Root inode is not a directory.  ",
        prompt: Prompt::Clear,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_ROOT_DTIME",
        code: PR_1_ROOT_DTIME,
        message: "Root inode has dtime set (probably due to old mke2fs).  ",
        prompt: Prompt::Fix,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_RESERVED_BAD_MODE",
        code: PR_1_RESERVED_BAD_MODE,
        message: "Reserved inode %i (%Q) has invalid mode.  ",
        prompt: Prompt::Clear,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_ZERO_DTIME",
        code: PR_1_ZERO_DTIME,
        message: "Deleted inode %i has zero dtime.  ",
        prompt: Prompt::Fix,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_SET_DTIME",
        code: PR_1_SET_DTIME,
        message: "Inode %i is in use, but has dtime set.  ",
        prompt: Prompt::Fix,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_ZERO_LENGTH_DIR",
        code: PR_1_ZERO_LENGTH_DIR,
        message: "Inode %i is a zero-length directory.  ",
        prompt: Prompt::Clear,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_BB_CONFLICT",
        code: PR_1_BB_CONFLICT,
        message: "Group %g's block bitmap at %b conflicts with some other fs block.\n",
        prompt: Prompt::Relocate,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_IB_CONFLICT",
        code: PR_1_IB_CONFLICT,
        message: "Group %g's inode bitmap at %b conflicts with some other fs block.\n",
        prompt: Prompt::Relocate,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_ITABLE_CONFLICT",
        code: PR_1_ITABLE_CONFLICT,
        message: "Group %g's inode table at %b conflicts with some other fs block.\n",
        prompt: Prompt::Relocate,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_BB_BAD_BLOCK",
        code: PR_1_BB_BAD_BLOCK,
        message: "Group %g's block bitmap (%b) is bad.  ",
        prompt: Prompt::Relocate,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_IB_BAD_BLOCK",
        code: PR_1_IB_BAD_BLOCK,
        message: "Group %g's inode bitmap (%b) is bad.  ",
        prompt: Prompt::Relocate,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_BAD_I_SIZE",
        code: PR_1_BAD_I_SIZE,
        message: "Inode %i, i_size is %Is, should be %N.  ",
        prompt: Prompt::Fix,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_BAD_I_BLOCKS",
        code: PR_1_BAD_I_BLOCKS,
        message: "Inode %i, i_blocks is %Ib, should be %N.  ",
        prompt: Prompt::Fix,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_ILLEGAL_BLOCK_NUM",
        code: PR_1_ILLEGAL_BLOCK_NUM,
        message: "Illegal %B (%b) in inode %i.  ",
        prompt: Prompt::Clear,
        flags: PR_LATCH_BLOCK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_BLOCK_OVERLAPS_METADATA",
        code: PR_1_BLOCK_OVERLAPS_METADATA,
        message: "%B (%b) overlaps filesystem metadata in inode %i.  ",
        prompt: Prompt::Clear,
        flags: PR_LATCH_BLOCK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_INODE_BLOCK_LATCH",
        code: PR_1_INODE_BLOCK_LATCH,
        message: "Inode %i has illegal block(s).  ",
        prompt: Prompt::Clear,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_TOO_MANY_BAD_BLOCKS",
        code: PR_1_TOO_MANY_BAD_BLOCKS,
        message: "Too many illegal blocks in inode %i.\n",
        prompt: Prompt::ClearInode,
        flags: PR_NO_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_BB_ILLEGAL_BLOCK_NUM",
        code: PR_1_BB_ILLEGAL_BLOCK_NUM,
        message: "Illegal %B (%b) in bad block inode.  ",
        prompt: Prompt::Clear,
        flags: PR_LATCH_BBLOCK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_INODE_BBLOCK_LATCH",
        code: PR_1_INODE_BBLOCK_LATCH,
        message: "Bad block inode has illegal block(s).  ",
        prompt: Prompt::Clear,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_DUP_BLOCKS_PREENSTOP",
        code: PR_1_DUP_BLOCKS_PREENSTOP,
        message: "Duplicate or bad block in use!\n",
        prompt: Prompt::None,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_BBINODE_BAD_METABLOCK",
        code: PR_1_BBINODE_BAD_METABLOCK,
        message: "Bad block %b used as bad block inode indirect block.  ",
        prompt: Prompt::Clear,
        flags: PR_LATCH_BBLOCK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_BBINODE_BAD_METABLOCK_PROMPT",
        code: PR_1_BBINODE_BAD_METABLOCK_PROMPT,
        message: "\nThe bad block inode has probably been corrupted.  You probably\nshould stop now and run e2fsck -c to scan for bad blocks\nin the filesystem.\n",
        prompt: Prompt::Continue,
        flags: PR_PREEN_NOMSG,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_BAD_PRIMARY_BLOCK",
        code: PR_1_BAD_PRIMARY_BLOCK,
        message: "\nIf the block is really bad, the filesystem can not be fixed.\n",
        prompt: Prompt::None,
        flags: PR_AFTER_CODE,
        second_code: PR_1_BAD_PRIMARY_BLOCK_PROMPT,
    },
    ProblemDef {
        name: "PR_1_BAD_PRIMARY_BLOCK_PROMPT",
        code: PR_1_BAD_PRIMARY_BLOCK_PROMPT,
        message: "You can remove this block from the bad block list and hope\nthat the block is really OK.  But there are no guarantees.\n\n",
        prompt: Prompt::Clear,
        flags: PR_PREEN_NOMSG,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_BAD_PRIMARY_SUPERBLOCK",
        code: PR_1_BAD_PRIMARY_SUPERBLOCK,
        message: "The primary superblock (%b) is on the bad block list.\n",
        prompt: Prompt::None,
        flags: PR_AFTER_CODE,
        second_code: PR_1_BAD_PRIMARY_BLOCK,
    },
    ProblemDef {
        name: "PR_1_BAD_PRIMARY_GROUP_DESCRIPTOR",
        code: PR_1_BAD_PRIMARY_GROUP_DESCRIPTOR,
        message: "Block %b in the primary group descriptors is on the bad block list\n",
        prompt: Prompt::None,
        flags: PR_AFTER_CODE,
        second_code: PR_1_BAD_PRIMARY_BLOCK,
    },
    ProblemDef {
        name: "PR_1_BAD_SUPERBLOCK",
        code: PR_1_BAD_SUPERBLOCK,
        message: "Warning: Group %g's superblock (%b) is bad.\n",
        prompt: Prompt::None,
        flags: PR_PREEN_OK | PR_PREEN_NOMSG,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_BAD_GROUP_DESCRIPTORS",
        code: PR_1_BAD_GROUP_DESCRIPTORS,
        message: "Warning: Group %g's copy of the group descriptors has a bad block (%b).\n",
        prompt: Prompt::None,
        flags: PR_PREEN_OK | PR_PREEN_NOMSG,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_PROGERR_CLAIMED_BLOCK",
        code: PR_1_PROGERR_CLAIMED_BLOCK,
        message: "Programming error?  block #%b claimed for no reason in process_bad_block.\n",
        prompt: Prompt::None,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_RELOC_BLOCK_ALLOCATE",
        code: PR_1_RELOC_BLOCK_ALLOCATE,
        message: "Error allocating %N contiguous block(s) in block group %g for %s: %m\n",
        prompt: Prompt::None,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_RELOC_MEMORY_ALLOCATE",
        code: PR_1_RELOC_MEMORY_ALLOCATE,
        message: "Error allocating block buffer for relocating %s\n",
        prompt: Prompt::None,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_RELOC_FROM_TO",
        code: PR_1_RELOC_FROM_TO,
        message: "Relocating group %g's %s from %b to %c...\n",
        prompt: Prompt::None,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_RELOC_TO",
        code: PR_1_RELOC_TO,
        message: "Relocating group %g's %s to %c...\n",
        prompt: Prompt::None,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_RELOC_READ_ERR",
        code: PR_1_RELOC_READ_ERR,
        message: "Warning: could not read block %b of %s: %m\n",
        prompt: Prompt::None,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_RELOC_WRITE_ERR",
        code: PR_1_RELOC_WRITE_ERR,
        message: "Warning: could not write block %b for %s: %m\n",
        prompt: Prompt::None,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_ALLOCATE_IBITMAP_ERROR",
        code: PR_1_ALLOCATE_IBITMAP_ERROR,
        message: "Error allocating inode bitmap (%N): %m\n",
        prompt: Prompt::None,
        flags: PR_FATAL,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_ALLOCATE_BBITMAP_ERROR",
        code: PR_1_ALLOCATE_BBITMAP_ERROR,
        message: "Error allocating block bitmap (%N): %m\n",
        prompt: Prompt::None,
        flags: PR_FATAL,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_ALLOCATE_ICOUNT",
        code: PR_1_ALLOCATE_ICOUNT,
        message: "Error allocating icount link information: %m\n",
        prompt: Prompt::None,
        flags: PR_FATAL,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_ALLOCATE_DBCOUNT",
        code: PR_1_ALLOCATE_DBCOUNT,
        message: "Error allocating directory block array: %m\n",
        prompt: Prompt::None,
        flags: PR_FATAL,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_ISCAN_ERROR",
        code: PR_1_ISCAN_ERROR,
        message: "Error while scanning inodes (%i): %m\n",
        prompt: Prompt::None,
        flags: PR_FATAL,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_BLOCK_ITERATE",
        code: PR_1_BLOCK_ITERATE,
        message: "Error while iterating over blocks in inode %i: %m\n",
        prompt: Prompt::None,
        flags: PR_FATAL,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_ICOUNT_STORE",
        code: PR_1_ICOUNT_STORE,
        message: "Error storing inode count information (inode=%i, count=%N): %m\n",
        prompt: Prompt::None,
        flags: PR_FATAL,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_ADD_DBLOCK",
        code: PR_1_ADD_DBLOCK,
        message: "Error storing directory block information (inode=%i, block=%b, num=%N): %m\n",
        prompt: Prompt::None,
        flags: PR_FATAL,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_READ_INODE",
        code: PR_1_READ_INODE,
        message: "Error reading inode %i: %m\n",
        prompt: Prompt::None,
        flags: PR_FATAL,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_SUPPRESS_MESSAGES",
        code: PR_1_SUPPRESS_MESSAGES,
        message: "",
        prompt: Prompt::Suppress,
        flags: PR_NO_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_SET_IMAGIC",
        code: PR_1_SET_IMAGIC,
        message: "Inode %i has imagic flag set.  ",
        prompt: Prompt::Clear,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_SET_IMMUTABLE",
        code: PR_1_SET_IMMUTABLE,
        message: "Special (device/socket/fifo/symlink) file (inode %i) has immutable\nor append-only flag set.  ",
        prompt: Prompt::Clear,
        flags: PR_PREEN_OK | PR_PREEN_NO | PR_NO_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_SET_NONZSIZE",
        code: PR_1_SET_NONZSIZE,
        message: "Special (device/socket/fifo) inode %i has non-zero size.  ",
        prompt: Prompt::Fix,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_FS_REV_LEVEL",
        code: PR_1_FS_REV_LEVEL,
        message: "Filesystem has feature flag(s) set, but is a revision 0 filesystem.  ",
        prompt: Prompt::Fix,
        flags: PR_PREEN_OK | PR_NO_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_JOURNAL_INODE_NOT_CLEAR",
        code: PR_1_JOURNAL_INODE_NOT_CLEAR,
        message: "Journal inode is not in use, but contains data.  ",
        prompt: Prompt::Clear,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_JOURNAL_BAD_MODE",
        code: PR_1_JOURNAL_BAD_MODE,
        message: "Journal is not regular file.  ",
        prompt: Prompt::Fix,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_LOW_DTIME",
        code: PR_1_LOW_DTIME,
        message: "Inode %i was part of the orphaned inode list.  ",
        prompt: Prompt::Fix,
        flags: PR_LATCH_LOW_DTIME,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_ORPHAN_LIST_REFUGEES",
        code: PR_1_ORPHAN_LIST_REFUGEES,
        message: "Inodes that were part of a corrupted orphan linked list found.  ",
        prompt: Prompt::Fix,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_ALLOCATE_REFCOUNT",
        code: PR_1_ALLOCATE_REFCOUNT,
        message: "Error allocating refcount structure (%N): %m\n",
        prompt: Prompt::None,
        flags: PR_FATAL,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_READ_EA_BLOCK",
        code: PR_1_READ_EA_BLOCK,
        message: "Error reading extended attribute block %b for inode %i.  ",
        prompt: Prompt::Clear,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_BAD_EA_BLOCK",
        code: PR_1_BAD_EA_BLOCK,
        message: "Inode %i has a bad extended attribute block %b.  ",
        prompt: Prompt::Clear,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_EXTATTR_READ_ABORT",
        code: PR_1_EXTATTR_READ_ABORT,
        message: "Error reading extended attribute block %b (%m).  ",
        prompt: Prompt::None,
        flags: PR_FATAL,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_EXTATTR_REFCOUNT",
        code: PR_1_EXTATTR_REFCOUNT,
        message: "Extended attribute block %b has reference count %r, should be %N.  ",
        prompt: Prompt::Fix,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_EXTATTR_WRITE_ABORT",
        code: PR_1_EXTATTR_WRITE_ABORT,
        message: "Error writing extended attribute block %b (%m).  ",
        prompt: Prompt::None,
        flags: PR_FATAL,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_EA_MULTI_BLOCK",
        code: PR_1_EA_MULTI_BLOCK,
        message: "Extended attribute block %b has h_blocks > 1.  ",
        prompt: Prompt::Clear,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_EA_ALLOC_REGION_ABORT",
        code: PR_1_EA_ALLOC_REGION_ABORT,
        message: "Error allocating extended attribute region allocation structure.  ",
        prompt: Prompt::None,
        flags: PR_FATAL,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_EA_ALLOC_COLLISION",
        code: PR_1_EA_ALLOC_COLLISION,
        message: "Extended attribute block %b is corrupt (allocation collision).  ",
        prompt: Prompt::Clear,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_EA_BAD_NAME",
        code: PR_1_EA_BAD_NAME,
        message: "Extended attribute block %b is corrupt (invalid name).  ",
        prompt: Prompt::Clear,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_EA_BAD_VALUE",
        code: PR_1_EA_BAD_VALUE,
        message: "Extended attribute block %b is corrupt (invalid value).  ",
        prompt: Prompt::Clear,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_INODE_TOOBIG",
        code: PR_1_INODE_TOOBIG,
        message: "Inode %i is too big.  ",
        prompt: Prompt::Truncate,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_TOOBIG_DIR",
        code: PR_1_TOOBIG_DIR,
        message: "%B (%b) causes directory to be too big.  ",
        prompt: Prompt::Clear,
        flags: PR_LATCH_TOOBIG,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_TOOBIG_REG",
        code: PR_1_TOOBIG_REG,
        message: "%B (%b) causes file to be too big.  ",
        prompt: Prompt::Clear,
        flags: PR_LATCH_TOOBIG,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_TOOBIG_SYMLINK",
        code: PR_1_TOOBIG_SYMLINK,
        message: "%B (%b) causes symlink to be too big.  ",
        prompt: Prompt::Clear,
        flags: PR_LATCH_TOOBIG,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_HTREE_SET",
        code: PR_1_HTREE_SET,
        message: "Inode %i has INDEX_FL flag set on filesystem without htree support.\n",
        prompt: Prompt::ClearHtree,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_HTREE_NODIR",
        code: PR_1_HTREE_NODIR,
        message: "Inode %i has INDEX_FL flag set but is not a directory.\n",
        prompt: Prompt::ClearHtree,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_HTREE_BADROOT",
        code: PR_1_HTREE_BADROOT,
        message: "HTREE directory inode %i has an invalid root node.\n",
        prompt: Prompt::ClearHtree,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_HTREE_HASHV",
        code: PR_1_HTREE_HASHV,
        message: "HTREE directory inode %i has an unsupported hash version (%N)\n",
        prompt: Prompt::ClearHtree,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_HTREE_INCOMPAT",
        code: PR_1_HTREE_INCOMPAT,
        message: "HTREE directory inode %i uses an incompatible htree root node flag.\n",
        prompt: Prompt::ClearHtree,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_HTREE_DEPTH",
        code: PR_1_HTREE_DEPTH,
        message: "HTREE directory inode %i has a tree depth (%N) which is too big\n",
        prompt: Prompt::ClearHtree,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_BB_FS_BLOCK",
        code: PR_1_BB_FS_BLOCK,
        message: "Bad block inode has an indirect block (%b) that conflicts with\nfilesystem metadata.  ",
        prompt: Prompt::Clear,
        flags: PR_LATCH_BBLOCK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_RESIZE_INODE_CREATE",
        code: PR_1_RESIZE_INODE_CREATE,
        message: "Resize inode (re)creation failed: %m.",
        prompt: Prompt::Continue,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_EXTRA_ISIZE",
        code: PR_1_EXTRA_ISIZE,
        message: "Inode %i has a extra size (%IS) which is invalid\n",
        prompt: Prompt::Fix,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_ATTR_NAME_LEN",
        code: PR_1_ATTR_NAME_LEN,
        message: "Extended attribute in inode %i has a namelen (%N) which is invalid\n",
        prompt: Prompt::Clear,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_ATTR_VALUE_OFFSET",
        code: PR_1_ATTR_VALUE_OFFSET,
        message: "Extended attribute in inode %i has a value offset (%N) which is invalid\n",
        prompt: Prompt::Clear,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_ATTR_VALUE_BLOCK",
        code: PR_1_ATTR_VALUE_BLOCK,
        message: "Extended attribute in inode %i has a value block (%N) which is invalid (must be 0)\n",
        prompt: Prompt::Clear,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_ATTR_VALUE_SIZE",
        code: PR_1_ATTR_VALUE_SIZE,
        message: "Extended attribute in inode %i has a value size (%N) which is invalid\n",
        prompt: Prompt::Clear,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_ATTR_HASH",
        code: PR_1_ATTR_HASH,
        message: "Extended attribute in inode %i has a hash (%N) which is invalid\n",
        prompt: Prompt::Clear,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_TREAT_AS_DIRECTORY",
        code: PR_1_TREAT_AS_DIRECTORY,
        message: "Inode %i is a %It but it looks like it is really a directory.\n",
        prompt: Prompt::Fix,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_READ_EXTENT",
        code: PR_1_READ_EXTENT,
        message: "Error while reading over extent tree in inode %i: %m\n",
        prompt: Prompt::ClearInode,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_EXTENT_ITERATE_FAILURE",
        code: PR_1_EXTENT_ITERATE_FAILURE,
        message: "Failed to iterate extents in inode %i\n\t(op %s, blk %b, lblk %c): %m\n",
        prompt: Prompt::ClearInode,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_EXTENT_BAD_START_BLK",
        code: PR_1_EXTENT_BAD_START_BLK,
        message: "Inode %i has an invalid extent\n\t(logical block %c, invalid physical block %b, len %N)\n",
        prompt: Prompt::Clear,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_EXTENT_ENDS_BEYOND",
        code: PR_1_EXTENT_ENDS_BEYOND,
        message: "Inode %i has an invalid extent\n\t(logical block %c, physical block %b, invalid len %N)\n",
        prompt: Prompt::Clear,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_EXTENTS_SET",
        code: PR_1_EXTENTS_SET,
        message: "Inode %i has EXTENTS_FL flag set on filesystem without extents support.\n",
        prompt: Prompt::Clear,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_EXTENT_FEATURE",
        code: PR_1_EXTENT_FEATURE,
        message: "Inode %i is in extent format, but superblock is missing EXTENTS feature\n",
        prompt: Prompt::Fix,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_UNSET_EXTENT_FL",
        code: PR_1_UNSET_EXTENT_FL,
        message: "Inode %i missing EXTENT_FL, but is in extents format\n",
        prompt: Prompt::Fix,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_FAST_SYMLINK_EXTENT_FL",
        code: PR_1_FAST_SYMLINK_EXTENT_FL,
        message: "Fast symlink %i has EXTENT_FL set.  ",
        prompt: Prompt::Clear,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_OUT_OF_ORDER_EXTENTS",
        code: PR_1_OUT_OF_ORDER_EXTENTS,
        message: "Inode %i has out of order extents\n\t(invalid logical block %c, physical block %b, len %N)\n",
        prompt: Prompt::Clear,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_EXTENT_HEADER_INVALID",
        code: PR_1_EXTENT_HEADER_INVALID,
        message: "Inode %i has an invalid extent node (blk %b, lblk %c)\n",
        prompt: Prompt::Clear,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_CONVERT_SUBCLUSTER",
        code: PR_1_CONVERT_SUBCLUSTER,
        message: "Error converting subcluster block bitmap: %m\n",
        prompt: Prompt::None,
        flags: PR_FATAL,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_QUOTA_BAD_MODE",
        code: PR_1_QUOTA_BAD_MODE,
        message: "Quota inode is not a regular file.  ",
        prompt: Prompt::Clear,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_QUOTA_INODE_NOT_CLEAR",
        code: PR_1_QUOTA_INODE_NOT_CLEAR,
        message: "Quota inode is not in use, but contains data.  ",
        prompt: Prompt::Clear,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_QUOTA_INODE_NOT_HIDDEN",
        code: PR_1_QUOTA_INODE_NOT_HIDDEN,
        message: "Quota inode is visible to the user.  ",
        prompt: Prompt::Clear,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_INVALID_BAD_INODE",
        code: PR_1_INVALID_BAD_INODE,
        message: "The bad block inode looks invalid.  ",
        prompt: Prompt::Clear,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_EXTENT_LENGTH_ZERO",
        code: PR_1_EXTENT_LENGTH_ZERO,
        message: "Inode %i has zero length extent\n\t(invalid logical block %c, physical block %b)\n",
        prompt: Prompt::Clear,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_INODE_IS_GARBAGE",
        code: PR_1_INODE_IS_GARBAGE,
        message: "Inode %i seems to contain garbage.  ",
        prompt: Prompt::Clear,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_INODE_ONLY_CSUM_INVALID",
        code: PR_1_INODE_ONLY_CSUM_INVALID,
        message: "Inode %i passes checks, but checksum does not match inode.  ",
        prompt: Prompt::Fix,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_INODE_EA_ALLOC_COLLISION",
        code: PR_1_INODE_EA_ALLOC_COLLISION,
        message: "Inode %i extended attribute is corrupt (allocation collision).  ",
        prompt: Prompt::Clear,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_EXTENT_ONLY_CSUM_INVALID",
        code: PR_1_EXTENT_ONLY_CSUM_INVALID,
        message: "Inode %i extent block passes checks, but checksum does not match extent\n\t(logical block %c, physical block %b, len %N)\n",
        prompt: Prompt::Fix,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_EA_BLOCK_ONLY_CSUM_INVALID",
        code: PR_1_EA_BLOCK_ONLY_CSUM_INVALID,
        message: "Inode %i extended attribute block %b passes checks, but checksum does not match block.  ",
        prompt: Prompt::Fix,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_EXTENT_INDEX_START_INVALID",
        code: PR_1_EXTENT_INDEX_START_INVALID,
        message: "Interior extent node level %N of inode %i:\nLogical start %b does not match logical start %c at next level.  ",
        prompt: Prompt::Fix,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_EXTENT_END_OUT_OF_BOUNDS",
        code: PR_1_EXTENT_END_OUT_OF_BOUNDS,
        message: "Inode %i, end of extent exceeds allowed value\n\t(logical block %c, physical block %b, len %N)\n",
        prompt: Prompt::Clear,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_INLINE_DATA_FEATURE",
        code: PR_1_INLINE_DATA_FEATURE,
        message: "Inode %i has inline data, but superblock is missing INLINE_DATA feature\n",
        prompt: Prompt::Fix,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_INLINE_DATA_SET",
        code: PR_1_INLINE_DATA_SET,
        message: "Inode %i has INLINE_DATA_FL flag on filesystem without inline data support.\n",
        prompt: Prompt::Clear,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_CRITICAL_METADATA_COLLISION",
        code: PR_1_CRITICAL_METADATA_COLLISION,
        message: "Inode %i block %b conflicts with critical metadata, skipping block checks.\n",
        prompt: Prompt::None,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_COLLAPSE_DBLOCK",
        code: PR_1_COLLAPSE_DBLOCK,
        message: "Directory inode %i block %b should be at block %c.  ",
        prompt: Prompt::Fix,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_UNINIT_DBLOCK",
        code: PR_1_UNINIT_DBLOCK,
        message: "Directory inode %i has extent marked uninitialized at block %c.  ",
        prompt: Prompt::Fix,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_MISALIGNED_CLUSTER",
        code: PR_1_MISALIGNED_CLUSTER,
        message: "Inode %i logical block %b (physical block %c) violates cluster allocation rules.\nWill fix in pass 1B.\n",
        prompt: Prompt::None,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_INLINE_DATA_NO_ATTR",
        code: PR_1_INLINE_DATA_NO_ATTR,
        message: "Inode %i has INLINE_DATA_FL flag but extended attribute not found.  ",
        prompt: Prompt::Truncate,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_SPECIAL_EXTENTS_IDATA",
        code: PR_1_SPECIAL_EXTENTS_IDATA,
        message: "Special (device/socket/fifo) file (inode %i) has extents\nor inline-data flag set.  ",
        prompt: Prompt::Clear,
        flags: PR_PREEN_OK | PR_PREEN_NO | PR_NO_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_CLEAR_INLINE_DATA_FOR_EXTENT",
        code: PR_1_CLEAR_INLINE_DATA_FOR_EXTENT,
        message: "Inode %i has extent header but inline data flag is set.\n",
        prompt: Prompt::Fix,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_CLEAR_EXTENT_FOR_INLINE_DATA",
        code: PR_1_CLEAR_EXTENT_FOR_INLINE_DATA,
        message: "Inode %i seems to have inline data but extent flag is set.\n",
        prompt: Prompt::Fix,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_CLEAR_EXTENT_INLINE_DATA_FLAGS",
        code: PR_1_CLEAR_EXTENT_INLINE_DATA_FLAGS,
        message: "Inode %i seems to have block map but inline data and extent flags set.\n",
        prompt: Prompt::Fix,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_CLEAR_EXTENT_INLINE_DATA_INODE",
        code: PR_1_CLEAR_EXTENT_INLINE_DATA_INODE,
        message: "Inode %i has inline data and extent flags set but i_block contains junk.\n",
        prompt: Prompt::ClearInode,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_BADBLOCKS_IN_BADBLOCKS",
        code: PR_1_BADBLOCKS_IN_BADBLOCKS,
        message: "Bad block list says the bad block list inode is bad.  ",
        prompt: Prompt::ClearInode,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_EXTENT_ALLOC_REGION_ABORT",
        code: PR_1_EXTENT_ALLOC_REGION_ABORT,
        message: "Error allocating extent region allocation structure.  ",
        prompt: Prompt::None,
        flags: PR_FATAL,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_EXTENT_COLLISION",
        code: PR_1_EXTENT_COLLISION,
        message: "Inode %i has a duplicate extent mapping\n\t(logical block %c, invalid physical block %b, len %N)\n",
        prompt: Prompt::Clear,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_ALLOCATE_ENCRYPTED_INODE_LIST",
        code: PR_1_ALLOCATE_ENCRYPTED_INODE_LIST,
        message: "Error allocating %N bytes of memory for encrypted inode list\n",
        prompt: Prompt::None,
        flags: PR_FATAL,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_EXTENT_BAD_MAX_DEPTH",
        code: PR_1_EXTENT_BAD_MAX_DEPTH,
        message: "Inode %i extent tree could be more shallow (%b; could be <= %c)\n",
        prompt: Prompt::Fix,
        flags: PR_NO_OK | PR_PREEN_NO | PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_NO_BIGALLOC_BLOCKMAP_FILES",
        code: PR_1_NO_BIGALLOC_BLOCKMAP_FILES,
        message: "Inode %i on bigalloc filesystem cannot be block mapped.  ",
        prompt: Prompt::Fix,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_MISSING_EXTENT_HEADER",
        code: PR_1_MISSING_EXTENT_HEADER,
        message: "Inode %i has corrupt extent header.  ",
        prompt: Prompt::ClearInode,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_EA_TIME_OUT_OF_RANGE",
        code: PR_1_EA_TIME_OUT_OF_RANGE,
        message: "Timestamp(s) on inode %i beyond 2310-04-04 are likely pre-1970.\n",
        prompt: Prompt::Fix,
        flags: PR_PREEN_OK | PR_NO_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_ATTR_VALUE_EA_INODE",
        code: PR_1_ATTR_VALUE_EA_INODE,
        message: "Inode %i has illegal extended attribute value inode %N.\n",
        prompt: Prompt::Clear,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_ATTR_NO_EA_INODE_FL",
        code: PR_1_ATTR_NO_EA_INODE_FL,
        message: "Inode %i has invalid extended attribute. EA inode %N missing EA_INODE flag.\n",
        prompt: Prompt::Clear,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_ATTR_SET_EA_INODE_FL",
        code: PR_1_ATTR_SET_EA_INODE_FL,
        message: "EA inode %N for parent inode %i missing EA_INODE flag.\n ",
        prompt: Prompt::Fix,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_CLEAR_UNINIT_EXTENT",
        code: PR_1_CLEAR_UNINIT_EXTENT,
        message: "Inode %i has extent marked uninitialized at block %c (len %N).  ",
        prompt: Prompt::Clear,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_CASEFOLD_NONDIR",
        code: PR_1_CASEFOLD_NONDIR,
        message: "Inode %i has the casefold flag set but is not a directory.  ",
        prompt: Prompt::ClearFlag,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_CASEFOLD_FEATURE",
        code: PR_1_CASEFOLD_FEATURE,
        message: "Directory %p has the casefold flag, but the\ncasefold feature is not enabled.  ",
        prompt: Prompt::ClearFlag,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_MISSING_ENCRYPTION_XATTR",
        code: PR_1_MISSING_ENCRYPTION_XATTR,
        message: "Inode %i has encrypt flag but no encryption extended attribute.\n",
        prompt: Prompt::ClearFlag,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_CORRUPT_ENCRYPTION_XATTR",
        code: PR_1_CORRUPT_ENCRYPTION_XATTR,
        message: "Encrypted inode %i has corrupt encryption extended attribute.\n",
        prompt: Prompt::ClearInode,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_HTREE_NEEDS_SIPHASH",
        code: PR_1_HTREE_NEEDS_SIPHASH,
        message: "HTREE directory inode %i uses hash version (%N), but should use SipHash (6) \n",
        prompt: Prompt::ClearHtree,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_HTREE_CANNOT_SIPHASH",
        code: PR_1_HTREE_CANNOT_SIPHASH,
        message: "HTREE directory inode %i uses SipHash, but should not.  ",
        prompt: Prompt::ClearHtree,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_ORPHAN_FILE_BAD_MODE",
        code: PR_1_ORPHAN_FILE_BAD_MODE,
        message: "Orphan file inode %i is not regular file.  ",
        prompt: Prompt::Clear,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1_ORPHAN_FILE_NOT_CLEAR",
        code: PR_1_ORPHAN_FILE_NOT_CLEAR,
        message: "Orphan file inode %i is not in use, but contains data.  ",
        prompt: Prompt::Clear,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1B_PASS_HEADER",
        code: PR_1B_PASS_HEADER,
        message: "\nRunning additional passes to resolve blocks claimed by more than one inode...\nPass 1B: Rescanning for multiply-claimed blocks\n",
        prompt: Prompt::None,
        flags: PR_HEADER,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1B_DUP_BLOCK_HEADER",
        code: PR_1B_DUP_BLOCK_HEADER,
        message: "Multiply-claimed block(s) in inode %i:",
        prompt: Prompt::None,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1B_DUP_BLOCK",
        code: PR_1B_DUP_BLOCK,
        message: " %b",
        prompt: Prompt::None,
        flags: PR_LATCH_DBLOCK | PR_PREEN_NOHDR,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1B_DUP_BLOCK_END",
        code: PR_1B_DUP_BLOCK_END,
        message: "\n",
        prompt: Prompt::None,
        flags: PR_PREEN_NOHDR,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1B_ISCAN_ERROR",
        code: PR_1B_ISCAN_ERROR,
        message: "Error while scanning inodes (%i): %m\n",
        prompt: Prompt::None,
        flags: PR_FATAL,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1B_ALLOCATE_IBITMAP_ERROR",
        code: PR_1B_ALLOCATE_IBITMAP_ERROR,
        message: "Error allocating inode bitmap (inode_dup_map): %m\n",
        prompt: Prompt::None,
        flags: PR_FATAL,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1B_BLOCK_ITERATE",
        code: PR_1B_BLOCK_ITERATE,
        message: "Error while iterating over blocks in inode %i (%s): %m\n",
        prompt: Prompt::None,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1B_ADJ_EA_REFCOUNT",
        code: PR_1B_ADJ_EA_REFCOUNT,
        message: "Error adjusting refcount for extended attribute block %b (inode %i): %m\n",
        prompt: Prompt::None,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1B_DUP_RANGE",
        code: PR_1B_DUP_RANGE,
        message: " %b--%c",
        prompt: Prompt::None,
        flags: PR_LATCH_DBLOCK | PR_PREEN_NOHDR,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1C_PASS_HEADER",
        code: PR_1C_PASS_HEADER,
        message: "Pass 1C: Scanning directories for inodes with multiply-claimed blocks\n",
        prompt: Prompt::None,
        flags: PR_HEADER,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1D_PASS_HEADER",
        code: PR_1D_PASS_HEADER,
        message: "Pass 1D: Reconciling multiply-claimed blocks\n",
        prompt: Prompt::None,
        flags: PR_HEADER,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1D_DUP_FILE",
        code: PR_1D_DUP_FILE,
        message: "File %Q (inode #%i, mod time %IM) \n  has %r multiply-claimed block(s), shared with %N file(s):\n",
        prompt: Prompt::None,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1D_DUP_FILE_LIST",
        code: PR_1D_DUP_FILE_LIST,
        message: "\t%Q (inode #%i, mod time %IM)\n",
        prompt: Prompt::None,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1D_SHARE_METADATA",
        code: PR_1D_SHARE_METADATA,
        message: "\t<filesystem metadata>\n",
        prompt: Prompt::None,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1D_NUM_DUP_INODES",
        code: PR_1D_NUM_DUP_INODES,
        message: "(There are %N inodes containing multiply-claimed blocks.)\n\n",
        prompt: Prompt::None,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1D_DUP_BLOCKS_DEALT",
        code: PR_1D_DUP_BLOCKS_DEALT,
        message: "Multiply-claimed blocks already reassigned or cloned.\n\n",
        prompt: Prompt::None,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1D_CLONE_QUESTION",
        code: PR_1D_CLONE_QUESTION,
        message: "",
        prompt: Prompt::Clone,
        flags: PR_NO_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1D_DELETE_QUESTION",
        code: PR_1D_DELETE_QUESTION,
        message: "",
        prompt: Prompt::Delete,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1D_CLONE_ERROR",
        code: PR_1D_CLONE_ERROR,
        message: "Couldn't clone file: %m\n",
        prompt: Prompt::None,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1E_PASS_HEADER",
        code: PR_1E_PASS_HEADER,
        message: "Pass 1E: Optimizing extent trees\n",
        prompt: Prompt::None,
        flags: PR_HEADER | PR_PREEN_NOMSG,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1E_OPTIMIZE_EXT_ERR",
        code: PR_1E_OPTIMIZE_EXT_ERR,
        message: "Failed to optimize extent tree %p (%i): %m\n",
        prompt: Prompt::None,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1E_OPTIMIZE_EXT_HEADER",
        code: PR_1E_OPTIMIZE_EXT_HEADER,
        message: "Optimizing extent trees: ",
        prompt: Prompt::None,
        flags: PR_MSG_ONLY,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1E_OPTIMIZE_EXT",
        code: PR_1E_OPTIMIZE_EXT,
        message: " %i",
        prompt: Prompt::None,
        flags: PR_LATCH_OPTIMIZE_EXT | PR_PREEN_NOHDR,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1E_OPTIMIZE_EXT_END",
        code: PR_1E_OPTIMIZE_EXT_END,
        message: "\n",
        prompt: Prompt::None,
        flags: PR_PREEN_NOHDR,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1E_MAX_EXTENT_TREE_DEPTH",
        code: PR_1E_MAX_EXTENT_TREE_DEPTH,
        message: "Internal error: max extent tree depth too large (%b; expected=%c).\n",
        prompt: Prompt::None,
        flags: PR_FATAL,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1E_CAN_COLLAPSE_EXTENT_TREE",
        code: PR_1E_CAN_COLLAPSE_EXTENT_TREE,
        message: "Inode %i extent tree (at level %b) could be shorter.  ",
        prompt: Prompt::Optimize,
        flags: PR_NO_OK | PR_PREEN_NO | PR_PREEN_OK | PR_NOT_A_FIX,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_1E_CAN_NARROW_EXTENT_TREE",
        code: PR_1E_CAN_NARROW_EXTENT_TREE,
        message: "Inode %i extent tree (at level %b) could be narrower.  ",
        prompt: Prompt::Optimize,
        flags: PR_NO_OK | PR_PREEN_NO | PR_PREEN_OK | PR_NOT_A_FIX,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_PASS_HEADER",
        code: PR_2_PASS_HEADER,
        message: "Pass 2: Checking directory structure\n",
        prompt: Prompt::None,
        flags: PR_HEADER,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_BAD_INODE_DOT",
        code: PR_2_BAD_INODE_DOT,
        message: "Invalid inode number for '.' in directory inode %i.\n",
        prompt: Prompt::Fix,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_BAD_INO",
        code: PR_2_BAD_INO,
        message: "Entry '%Dn' in %p (%i) has invalid inode #: %Di.\n",
        prompt: Prompt::Clear,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_UNUSED_INODE",
        code: PR_2_UNUSED_INODE,
        message: "Entry '%Dn' in %p (%i) has deleted/unused inode %Di.  ",
        prompt: Prompt::Clear,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_LINK_DOT",
        code: PR_2_LINK_DOT,
        message: "Entry '%Dn' in %p (%i) is a link to '.'  ",
        prompt: Prompt::Clear,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_BB_INODE",
        code: PR_2_BB_INODE,
        message: "Entry '%Dn' in %p (%i) points to inode (%Di) located in a bad block.\n",
        prompt: Prompt::Clear,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_LINK_DIR",
        code: PR_2_LINK_DIR,
        message: "Entry '%Dn' in %p (%i) is a link to directory %P (%Di).\n",
        prompt: Prompt::Clear,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_LINK_ROOT",
        code: PR_2_LINK_ROOT,
        message: "Entry '%Dn' in %p (%i) is a link to the root inode.\n",
        prompt: Prompt::Clear,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_BAD_NAME",
        code: PR_2_BAD_NAME,
        message: "Entry '%Dn' in %p (%i) has illegal characters in its name.\n",
        prompt: Prompt::Fix,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_MISSING_DOT",
        code: PR_2_MISSING_DOT,
        message: "Missing '.' in directory inode %i.\n",
        prompt: Prompt::Fix,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_MISSING_DOT_DOT",
        code: PR_2_MISSING_DOT_DOT,
        message: "Missing '..' in directory inode %i.\n",
        prompt: Prompt::Fix,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_1ST_NOT_DOT",
        code: PR_2_1ST_NOT_DOT,
        message: "First entry '%Dn' (inode=%Di) in directory inode %i (%p) should be '.'\n",
        prompt: Prompt::Fix,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_2ND_NOT_DOT_DOT",
        code: PR_2_2ND_NOT_DOT_DOT,
        message: "Second entry '%Dn' (inode=%Di) in directory inode %i should be '..'\n",
        prompt: Prompt::Fix,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_FADDR_ZERO",
        code: PR_2_FADDR_ZERO,
        message: "i_faddr for inode %i (%Q) is %IF, should be zero.\n",
        prompt: Prompt::Clear,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_FILE_ACL_ZERO",
        code: PR_2_FILE_ACL_ZERO,
        message: "i_file_acl for inode %i (%Q) is %If, should be zero.\n",
        prompt: Prompt::Clear,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_DIR_SIZE_HIGH_ZERO",
        code: PR_2_DIR_SIZE_HIGH_ZERO,
        message: "i_size_high for inode %i (%Q) is %Id, should be zero.\n",
        prompt: Prompt::Clear,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_FRAG_ZERO",
        code: PR_2_FRAG_ZERO,
        message: "i_frag for inode %i (%Q) is %N, should be zero.\n",
        prompt: Prompt::Clear,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_FSIZE_ZERO",
        code: PR_2_FSIZE_ZERO,
        message: "i_fsize for inode %i (%Q) is %N, should be zero.\n",
        prompt: Prompt::Clear,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_BAD_MODE",
        code: PR_2_BAD_MODE,
        message: "Inode %i (%Q) has invalid mode (%Im).\n",
        prompt: Prompt::Clear,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_DIR_CORRUPTED",
        code: PR_2_DIR_CORRUPTED,
        message: "Directory inode %i, %B, offset %N: directory corrupted\n",
        prompt: Prompt::Salvage,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_FILENAME_LONG",
        code: PR_2_FILENAME_LONG,
        message: "Directory inode %i, %B, offset %N: filename too long\n",
        prompt: Prompt::Truncate,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_DIRECTORY_HOLE",
        code: PR_2_DIRECTORY_HOLE,
        message: "Directory inode %i has an unallocated %B.  ",
        prompt: Prompt::Allocate,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_DOT_NULL_TERM",
        code: PR_2_DOT_NULL_TERM,
        message: "'.' directory entry in directory inode %i is not NULL terminated\n",
        prompt: Prompt::Fix,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_DOT_DOT_NULL_TERM",
        code: PR_2_DOT_DOT_NULL_TERM,
        message: "'..' directory entry in directory inode %i is not NULL terminated\n",
        prompt: Prompt::Fix,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_BAD_CHAR_DEV",
        code: PR_2_BAD_CHAR_DEV,
        message: "Inode %i (%Q) is an illegal character device.\n",
        prompt: Prompt::Clear,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_BAD_BLOCK_DEV",
        code: PR_2_BAD_BLOCK_DEV,
        message: "Inode %i (%Q) is an illegal block device.\n",
        prompt: Prompt::Clear,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_DUP_DOT",
        code: PR_2_DUP_DOT,
        message: "Entry '%Dn' in %p (%i) is duplicate '.' entry.\n",
        prompt: Prompt::Fix,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_DUP_DOT_DOT",
        code: PR_2_DUP_DOT_DOT,
        message: "Entry '%Dn' in %p (%i) is duplicate '..' entry.\n",
        prompt: Prompt::Fix,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_NO_DIRINFO",
        code: PR_2_NO_DIRINFO,
        message: "Internal error: couldn't find dir_info for %i.\n",
        prompt: Prompt::None,
        flags: PR_FATAL,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_FINAL_RECLEN",
        code: PR_2_FINAL_RECLEN,
        message: "Entry '%Dn' in %p (%i) has rec_len of %Dr, should be %N.\n",
        prompt: Prompt::Fix,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_ALLOCATE_ICOUNT",
        code: PR_2_ALLOCATE_ICOUNT,
        message: "Error allocating icount structure: %m\n",
        prompt: Prompt::None,
        flags: PR_FATAL,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_DBLIST_ITERATE",
        code: PR_2_DBLIST_ITERATE,
        message: "Error iterating over directory blocks: %m\n",
        prompt: Prompt::None,
        flags: PR_FATAL,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_READ_DIRBLOCK",
        code: PR_2_READ_DIRBLOCK,
        message: "Error reading directory block %b (inode %i): %m\n",
        prompt: Prompt::Continue,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_WRITE_DIRBLOCK",
        code: PR_2_WRITE_DIRBLOCK,
        message: "Error writing directory block %b (inode %i): %m\n",
        prompt: Prompt::Continue,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_ALLOC_DIRBOCK",
        code: PR_2_ALLOC_DIRBOCK,
        message: "Error allocating new directory block for inode %i (%s): %m\n",
        prompt: Prompt::None,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_DEALLOC_INODE",
        code: PR_2_DEALLOC_INODE,
        message: "Error deallocating inode %i: %m\n",
        prompt: Prompt::None,
        flags: PR_FATAL,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_SPLIT_DOT",
        code: PR_2_SPLIT_DOT,
        message: "Directory entry for '.' in %p (%i) is big.\n",
        prompt: Prompt::Split,
        flags: PR_NO_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_BAD_FIFO",
        code: PR_2_BAD_FIFO,
        message: "Inode %i (%Q) is an illegal FIFO.\n",
        prompt: Prompt::Clear,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_BAD_SOCKET",
        code: PR_2_BAD_SOCKET,
        message: "Inode %i (%Q) is an illegal socket.\n",
        prompt: Prompt::Clear,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_SET_FILETYPE",
        code: PR_2_SET_FILETYPE,
        message: "Setting filetype for entry '%Dn' in %p (%i) to %N.\n",
        prompt: Prompt::None,
        flags: PR_PREEN_OK | PR_NO_OK | PR_NO_NOMSG,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_BAD_FILETYPE",
        code: PR_2_BAD_FILETYPE,
        message: "Entry '%Dn' in %p (%i) has an incorrect filetype (was %Dt, should be %N).\n",
        prompt: Prompt::Fix,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_CLEAR_FILETYPE",
        code: PR_2_CLEAR_FILETYPE,
        message: "Entry '%Dn' in %p (%i) has filetype set.\n",
        prompt: Prompt::Clear,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_NULL_NAME",
        code: PR_2_NULL_NAME,
        message: "Entry '%Dn' in %p (%i) has a zero-length name.\n",
        prompt: Prompt::Clear,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_INVALID_SYMLINK",
        code: PR_2_INVALID_SYMLINK,
        message: "Symlink %Q (inode #%i) is invalid.\n",
        prompt: Prompt::Clear,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_FILE_ACL_BAD",
        code: PR_2_FILE_ACL_BAD,
        message: "Extended attribute block for inode %i (%Q) is invalid (%If).\n",
        prompt: Prompt::Clear,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_FEATURE_LARGE_FILES",
        code: PR_2_FEATURE_LARGE_FILES,
        message: "Filesystem contains large files, but lacks LARGE_FILE flag in superblock.\n",
        prompt: Prompt::Fix,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_HTREE_NOTREF",
        code: PR_2_HTREE_NOTREF,
        message: "Problem in HTREE directory inode %d: %B not referenced\n",
        prompt: Prompt::None,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_HTREE_DUPREF",
        code: PR_2_HTREE_DUPREF,
        message: "Problem in HTREE directory inode %d: %B referenced twice\n",
        prompt: Prompt::None,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_HTREE_MIN_HASH",
        code: PR_2_HTREE_MIN_HASH,
        message: "Problem in HTREE directory inode %d: %B has bad min hash\n",
        prompt: Prompt::None,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_HTREE_MAX_HASH",
        code: PR_2_HTREE_MAX_HASH,
        message: "Problem in HTREE directory inode %d: %B has bad max hash\n",
        prompt: Prompt::None,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_HTREE_CLEAR",
        code: PR_2_HTREE_CLEAR,
        message: "Invalid HTREE directory inode %d (%q).  ",
        prompt: Prompt::ClearHtree,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_FEATURE_LARGE_DIRS",
        code: PR_2_FEATURE_LARGE_DIRS,
        message: "Filesystem has large directories, but lacks LARGE_DIR flag in superblock.\n",
        prompt: Prompt::Fix,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_HTREE_BADBLK",
        code: PR_2_HTREE_BADBLK,
        message: "Problem in HTREE directory inode %d (%q): bad block number %b.\n",
        prompt: Prompt::ClearHtree,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_ADJ_EA_REFCOUNT",
        code: PR_2_ADJ_EA_REFCOUNT,
        message: "Error adjusting refcount for extended attribute block %b (inode %i): %m\n",
        prompt: Prompt::None,
        flags: PR_FATAL,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_HTREE_BAD_ROOT",
        code: PR_2_HTREE_BAD_ROOT,
        message: "Problem in HTREE directory inode %d: root node is invalid\n",
        prompt: Prompt::ClearHtree,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_HTREE_BAD_LIMIT",
        code: PR_2_HTREE_BAD_LIMIT,
        message: "Problem in HTREE directory inode %d: %B has invalid limit (%N)\n",
        prompt: Prompt::ClearHtree,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_HTREE_BAD_COUNT",
        code: PR_2_HTREE_BAD_COUNT,
        message: "Problem in HTREE directory inode %d: %B has invalid count (%N)\n",
        prompt: Prompt::ClearHtree,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_HTREE_HASH_ORDER",
        code: PR_2_HTREE_HASH_ORDER,
        message: "Problem in HTREE directory inode %d: %B has an unordered hash table\n",
        prompt: Prompt::ClearHtree,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_HTREE_BAD_DEPTH",
        code: PR_2_HTREE_BAD_DEPTH,
        message: "Problem in HTREE directory inode %d: %B has invalid depth (%N)\n",
        prompt: Prompt::None,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_DUPLICATE_DIRENT",
        code: PR_2_DUPLICATE_DIRENT,
        message: "Duplicate entry '%Dn' in %p (%i) found.  ",
        prompt: Prompt::Clear,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_NON_UNIQUE_FILE",
        code: PR_2_NON_UNIQUE_FILE,
        message: "Entry '%Dn' in %p (%i) has a non-unique filename.\nRename to %s",
        prompt: Prompt::Null,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_REPORT_DUP_DIRENT",
        code: PR_2_REPORT_DUP_DIRENT,
        message: "Duplicate entry '%Dn' found.\n\tMarking %p (%i) to be rebuilt.\n\n",
        prompt: Prompt::None,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_BLOCKS_HI_ZERO",
        code: PR_2_BLOCKS_HI_ZERO,
        message: "i_blocks_hi for inode %i (%Q) is %N, should be zero.\n",
        prompt: Prompt::Clear,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_UNEXPECTED_HTREE_BLOCK",
        code: PR_2_UNEXPECTED_HTREE_BLOCK,
        message: "Unexpected block in HTREE directory inode %d (%q).\n",
        prompt: Prompt::ClearHtree,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_INOREF_BG_INO_UNINIT",
        code: PR_2_INOREF_BG_INO_UNINIT,
        message: "Entry '%Dn' in %p (%i) references inode %Di in group %g where _INODE_UNINIT is set.\n",
        prompt: Prompt::Fix,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_INOREF_IN_UNUSED",
        code: PR_2_INOREF_IN_UNUSED,
        message: "Entry '%Dn' in %p (%i) references inode %Di found in group %g's unused inodes area.\n",
        prompt: Prompt::Fix,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_I_FILE_ACL_HI_ZERO",
        code: PR_2_I_FILE_ACL_HI_ZERO,
        message: "i_file_acl_hi for inode %i (%Q) is %N, should be zero.\n",
        prompt: Prompt::Clear,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_HTREE_ROOT_CSUM_INVALID",
        code: PR_2_HTREE_ROOT_CSUM_INVALID,
        message: "Problem in HTREE directory inode %d: root node fails checksum.\n",
        prompt: Prompt::ClearHtree,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_HTREE_NODE_CSUM_INVALID",
        code: PR_2_HTREE_NODE_CSUM_INVALID,
        message: "Problem in HTREE directory inode %d: internal node fails checksum.\n",
        prompt: Prompt::ClearHtree,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_LEAF_NODE_MISSING_CSUM",
        code: PR_2_LEAF_NODE_MISSING_CSUM,
        message: "Directory inode %i, %B, offset %N: directory has no checksum.\n",
        prompt: Prompt::Fix,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_LEAF_NODE_ONLY_CSUM_INVALID",
        code: PR_2_LEAF_NODE_ONLY_CSUM_INVALID,
        message: "Directory inode %i, %B: directory passes checks but fails checksum.\n",
        prompt: Prompt::Fix,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_BAD_INLINE_DIR_SIZE",
        code: PR_2_BAD_INLINE_DIR_SIZE,
        message: "Inline directory inode %i size (%N) must be a multiple of 4.\n",
        prompt: Prompt::Fix,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_FIX_INLINE_DIR_FAILED",
        code: PR_2_FIX_INLINE_DIR_FAILED,
        message: "Fixing size of inline directory inode %i failed.\n",
        prompt: Prompt::Truncate,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_BAD_ENCRYPTED_NAME",
        code: PR_2_BAD_ENCRYPTED_NAME,
        message: "Encrypted entry '%Dn' in %p (%i) is too short.\n",
        prompt: Prompt::Clear,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_UNENCRYPTED_FILE",
        code: PR_2_UNENCRYPTED_FILE,
        message: "Encrypted entry '%Dn' in %p (%i) references unencrypted inode %Di.\n",
        prompt: Prompt::Clear,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_INCONSISTENT_ENCRYPTION_POLICY",
        code: PR_2_INCONSISTENT_ENCRYPTION_POLICY,
        message: "Encrypted entry '%Dn' in %p (%i) references inode %Di, which has a different encryption policy.\n",
        prompt: Prompt::Clear,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_BAD_ENCODED_NAME",
        code: PR_2_BAD_ENCODED_NAME,
        message: "Entry '%Dn' in %p (%i) has illegal UTF-8 characters in its name.\n",
        prompt: Prompt::Fix,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_2_NON_UNIQUE_FILE_NO_RENAME",
        code: PR_2_NON_UNIQUE_FILE_NO_RENAME,
        message: "Duplicate filename entry '%Dn' in %p (%i) found.  ",
        prompt: Prompt::Clear,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_3_PASS_HEADER",
        code: PR_3_PASS_HEADER,
        message: "Pass 3: Checking directory connectivity\n",
        prompt: Prompt::None,
        flags: PR_HEADER,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_3_NO_ROOT_INODE",
        code: PR_3_NO_ROOT_INODE,
        message: "Root inode not allocated.  ",
        prompt: Prompt::Allocate,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_3_EXPAND_LF_DIR",
        code: PR_3_EXPAND_LF_DIR,
        message: "No room in lost+found directory.  ",
        prompt: Prompt::Expand,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_3_UNCONNECTED_DIR",
        code: PR_3_UNCONNECTED_DIR,
        message: "Unconnected directory inode %i (was in %q)\n",
        prompt: Prompt::Connect,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_3_NO_LF_DIR",
        code: PR_3_NO_LF_DIR,
        message: "/lost+found not found.  ",
        prompt: Prompt::Create,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_3_BAD_DOT_DOT",
        code: PR_3_BAD_DOT_DOT,
        message: "'..' in %Q (%i) is %P (%j), should be %q (%d).\n",
        prompt: Prompt::Fix,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_3_NO_LPF",
        code: PR_3_NO_LPF,
        message: "Bad or non-existent /lost+found.  Cannot reconnect.\n",
        prompt: Prompt::None,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_3_CANT_EXPAND_LPF",
        code: PR_3_CANT_EXPAND_LPF,
        message: "Could not expand /lost+found: %m\n",
        prompt: Prompt::None,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_3_CANT_RECONNECT",
        code: PR_3_CANT_RECONNECT,
        message: "Could not reconnect %i: %m\n",
        prompt: Prompt::None,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_3_ERR_FIND_LPF",
        code: PR_3_ERR_FIND_LPF,
        message: "Error while trying to find /lost+found: %m\n",
        prompt: Prompt::None,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_3_ERR_LPF_NEW_BLOCK",
        code: PR_3_ERR_LPF_NEW_BLOCK,
        message: "ext2fs_new_block: %m while trying to create /lost+found directory\n",
        prompt: Prompt::None,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_3_ERR_LPF_NEW_INODE",
        code: PR_3_ERR_LPF_NEW_INODE,
        message: "ext2fs_new_inode: %m while trying to create /lost+found directory\n",
        prompt: Prompt::None,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_3_ERR_LPF_NEW_DIR_BLOCK",
        code: PR_3_ERR_LPF_NEW_DIR_BLOCK,
        message: "ext2fs_new_dir_block: %m while creating new directory block\n",
        prompt: Prompt::None,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_3_ERR_LPF_WRITE_BLOCK",
        code: PR_3_ERR_LPF_WRITE_BLOCK,
        message: "ext2fs_write_dir_block: %m while writing the directory block for /lost+found\n",
        prompt: Prompt::None,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_3_ADJUST_INODE",
        code: PR_3_ADJUST_INODE,
        message: "Error while adjusting inode count on inode %i\n",
        prompt: Prompt::None,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_3_FIX_PARENT_ERR",
        code: PR_3_FIX_PARENT_ERR,
        message: "Couldn't fix parent of inode %i: %m\n\n",
        prompt: Prompt::None,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_3_FIX_PARENT_NOFIND",
        code: PR_3_FIX_PARENT_NOFIND,
        message: "Couldn't fix parent of inode %i: Couldn't find parent directory entry\n\n",
        prompt: Prompt::None,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_3_ALLOCATE_IBITMAP_ERROR",
        code: PR_3_ALLOCATE_IBITMAP_ERROR,
        message: "Error allocating inode bitmap (%N): %m\n",
        prompt: Prompt::None,
        flags: PR_FATAL,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_3_CREATE_ROOT_ERROR",
        code: PR_3_CREATE_ROOT_ERROR,
        message: "Error creating root directory (%s): %m\n",
        prompt: Prompt::None,
        flags: PR_FATAL,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_3_CREATE_LPF_ERROR",
        code: PR_3_CREATE_LPF_ERROR,
        message: "Error creating /lost+found directory (%s): %m\n",
        prompt: Prompt::None,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_3_ROOT_NOT_DIR_ABORT",
        code: PR_3_ROOT_NOT_DIR_ABORT,
        message: "Root inode is not a directory; aborting.\n",
        prompt: Prompt::None,
        flags: PR_FATAL,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_3_NO_ROOT_INODE_ABORT",
        code: PR_3_NO_ROOT_INODE_ABORT,
        message: "Cannot proceed without a root inode.\n",
        prompt: Prompt::None,
        flags: PR_FATAL,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_3_NO_DIRINFO",
        code: PR_3_NO_DIRINFO,
        message: "Internal error: couldn't find dir_info for %i.\n",
        prompt: Prompt::None,
        flags: PR_FATAL,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_3_LPF_NOTDIR",
        code: PR_3_LPF_NOTDIR,
        message: "/lost+found is not a directory (ino=%i)\n",
        prompt: Prompt::Unlink,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_3_LPF_INLINE_DATA",
        code: PR_3_LPF_INLINE_DATA,
        message: "/lost+found has inline data\n",
        prompt: Prompt::Clear,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_3_LPF_NO_SPACE",
        code: PR_3_LPF_NO_SPACE,
        message: "Cannot allocate space for /lost+found.\nPlace lost files in root directory instead",
        prompt: Prompt::Null,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_3_NO_SPACE_TO_RECOVER",
        code: PR_3_NO_SPACE_TO_RECOVER,
        message: "Insufficient space to recover lost files!\nMove data off the filesystem and re-run e2fsck.\n\n",
        prompt: Prompt::None,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_3_LPF_ENCRYPTED",
        code: PR_3_LPF_ENCRYPTED,
        message: "/lost+found is encrypted\n",
        prompt: Prompt::Clear,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_3_LOOPED_DIR",
        code: PR_3_LOOPED_DIR,
        message: "Recursively looped directory inode %i (%p)\n",
        prompt: Prompt::Connect,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_3A_PASS_HEADER",
        code: PR_3A_PASS_HEADER,
        message: "Pass 3A: Optimizing directories\n",
        prompt: Prompt::None,
        flags: PR_HEADER | PR_PREEN_NOMSG,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_3A_OPTIMIZE_ITER",
        code: PR_3A_OPTIMIZE_ITER,
        message: "Failed to create dirs_to_hash iterator: %m\n",
        prompt: Prompt::None,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_3A_OPTIMIZE_DIR_ERR",
        code: PR_3A_OPTIMIZE_DIR_ERR,
        message: "Failed to optimize directory %q (%d): %m\n",
        prompt: Prompt::None,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_3A_OPTIMIZE_DIR_HEADER",
        code: PR_3A_OPTIMIZE_DIR_HEADER,
        message: "Optimizing directories: ",
        prompt: Prompt::None,
        flags: PR_MSG_ONLY,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_3A_OPTIMIZE_DIR",
        code: PR_3A_OPTIMIZE_DIR,
        message: " %d",
        prompt: Prompt::None,
        flags: PR_LATCH_OPTIMIZE_DIR | PR_PREEN_NOHDR,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_3A_OPTIMIZE_DIR_END",
        code: PR_3A_OPTIMIZE_DIR_END,
        message: "\n",
        prompt: Prompt::None,
        flags: PR_PREEN_NOHDR,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_4_PASS_HEADER",
        code: PR_4_PASS_HEADER,
        message: "Pass 4: Checking reference counts\n",
        prompt: Prompt::None,
        flags: PR_HEADER,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_4_ZERO_LEN_INODE",
        code: PR_4_ZERO_LEN_INODE,
        message: "Unattached zero-length inode %i.  ",
        prompt: Prompt::Clear,
        flags: PR_PREEN_OK | PR_NO_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_4_UNATTACHED_INODE",
        code: PR_4_UNATTACHED_INODE,
        message: "Unattached inode %i\n",
        prompt: Prompt::Connect,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_4_BAD_REF_COUNT",
        code: PR_4_BAD_REF_COUNT,
        message: "Inode %i ref count is %Il, should be %N.  ",
        prompt: Prompt::Fix,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_4_INCONSISTENT_COUNT",
        code: PR_4_INCONSISTENT_COUNT,
        message: "WARNING: PROGRAMMING BUG IN E2FSCK!\n\tOR SOME BONEHEAD (YOU) IS CHECKING A MOUNTED (LIVE) FILESYSTEM.\ninode_link_info[%i] is %N, inode.i_links_count is %Il.  They should be the same!\n",
        prompt: Prompt::None,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_4_EA_INODE_REF_COUNT",
        code: PR_4_EA_INODE_REF_COUNT,
        message: "Extended attribute inode %i ref count is %N, should be %n. ",
        prompt: Prompt::Fix,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_4_DIR_NLINK_FEATURE",
        code: PR_4_DIR_NLINK_FEATURE,
        message: "Directory exceeds max links, but no DIR_NLINK feature in superblock.\n",
        prompt: Prompt::Fix,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_4_DIR_OVERFLOW_REF_COUNT",
        code: PR_4_DIR_OVERFLOW_REF_COUNT,
        message: "Directory inode %i ref count set to overflow but could be exact value %N.  ",
        prompt: Prompt::Fix,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_5_PASS_HEADER",
        code: PR_5_PASS_HEADER,
        message: "Pass 5: Checking group summary information\n",
        prompt: Prompt::None,
        flags: PR_HEADER,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_5_INODE_BMAP_PADDING",
        code: PR_5_INODE_BMAP_PADDING,
        message: "Padding at end of inode bitmap is not set. ",
        prompt: Prompt::Fix,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_5_BLOCK_BMAP_PADDING",
        code: PR_5_BLOCK_BMAP_PADDING,
        message: "Padding at end of block bitmap is not set. ",
        prompt: Prompt::Fix,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_5_BLOCK_BITMAP_HEADER",
        code: PR_5_BLOCK_BITMAP_HEADER,
        message: "Block bitmap differences: ",
        prompt: Prompt::None,
        flags: PR_PREEN_OK | PR_PREEN_NOMSG,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_5_BLOCK_UNUSED",
        code: PR_5_BLOCK_UNUSED,
        message: " -%b",
        prompt: Prompt::None,
        flags: PR_LATCH_BBITMAP | PR_PREEN_OK | PR_PREEN_NOMSG,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_5_BLOCK_USED",
        code: PR_5_BLOCK_USED,
        message: " +%b",
        prompt: Prompt::None,
        flags: PR_LATCH_BBITMAP | PR_PREEN_OK | PR_PREEN_NOMSG,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_5_BLOCK_BITMAP_END",
        code: PR_5_BLOCK_BITMAP_END,
        message: "\n",
        prompt: Prompt::Fix,
        flags: PR_PREEN_OK | PR_PREEN_NOMSG,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_5_INODE_BITMAP_HEADER",
        code: PR_5_INODE_BITMAP_HEADER,
        message: "Inode bitmap differences: ",
        prompt: Prompt::None,
        flags: PR_PREEN_OK | PR_PREEN_NOMSG,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_5_INODE_UNUSED",
        code: PR_5_INODE_UNUSED,
        message: " -%i",
        prompt: Prompt::None,
        flags: PR_LATCH_IBITMAP | PR_PREEN_OK | PR_PREEN_NOMSG,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_5_INODE_USED",
        code: PR_5_INODE_USED,
        message: " +%i",
        prompt: Prompt::None,
        flags: PR_LATCH_IBITMAP | PR_PREEN_OK | PR_PREEN_NOMSG,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_5_INODE_BITMAP_END",
        code: PR_5_INODE_BITMAP_END,
        message: "\n",
        prompt: Prompt::Fix,
        flags: PR_PREEN_OK | PR_PREEN_NOMSG,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_5_FREE_INODE_COUNT_GROUP",
        code: PR_5_FREE_INODE_COUNT_GROUP,
        message: "Free inodes count wrong for group #%g (%i, counted=%j).\n",
        prompt: Prompt::Fix,
        flags: PR_PREEN_OK | PR_PREEN_NOMSG,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_5_FREE_DIR_COUNT_GROUP",
        code: PR_5_FREE_DIR_COUNT_GROUP,
        message: "Directories count wrong for group #%g (%i, counted=%j).\n",
        prompt: Prompt::Fix,
        flags: PR_PREEN_OK | PR_PREEN_NOMSG,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_5_FREE_INODE_COUNT",
        code: PR_5_FREE_INODE_COUNT,
        message: "Free inodes count wrong (%i, counted=%j).\n",
        prompt: Prompt::Fix,
        flags: PR_PREEN_OK | PR_NO_OK | PR_PREEN_NOMSG,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_5_FREE_BLOCK_COUNT_GROUP",
        code: PR_5_FREE_BLOCK_COUNT_GROUP,
        message: "Free blocks count wrong for group #%g (%b, counted=%c).\n",
        prompt: Prompt::Fix,
        flags: PR_PREEN_OK | PR_PREEN_NOMSG,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_5_FREE_BLOCK_COUNT",
        code: PR_5_FREE_BLOCK_COUNT,
        message: "Free blocks count wrong (%b, counted=%c).\n",
        prompt: Prompt::Fix,
        flags: PR_PREEN_OK | PR_NO_OK | PR_PREEN_NOMSG,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_5_BMAP_ENDPOINTS",
        code: PR_5_BMAP_ENDPOINTS,
        message: "PROGRAMMING ERROR: filesystem (#%N) bitmap endpoints (%b, %c) don't match calculated bitmap endpoints (%i, %j)\n",
        prompt: Prompt::None,
        flags: PR_FATAL,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_5_FUDGE_BITMAP_ERROR",
        code: PR_5_FUDGE_BITMAP_ERROR,
        message: "Internal error: fudging end of bitmap (%N)\n",
        prompt: Prompt::None,
        flags: PR_FATAL,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_5_COPY_IBITMAP_ERROR",
        code: PR_5_COPY_IBITMAP_ERROR,
        message: "Error copying in replacement inode bitmap: %m\n",
        prompt: Prompt::None,
        flags: PR_FATAL,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_5_COPY_BBITMAP_ERROR",
        code: PR_5_COPY_BBITMAP_ERROR,
        message: "Error copying in replacement block bitmap: %m\n",
        prompt: Prompt::None,
        flags: PR_FATAL,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_5_BLOCK_RANGE_UNUSED",
        code: PR_5_BLOCK_RANGE_UNUSED,
        message: " -(%b--%c)",
        prompt: Prompt::None,
        flags: PR_LATCH_BBITMAP | PR_PREEN_OK | PR_PREEN_NOMSG,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_5_BLOCK_RANGE_USED",
        code: PR_5_BLOCK_RANGE_USED,
        message: " +(%b--%c)",
        prompt: Prompt::None,
        flags: PR_LATCH_BBITMAP | PR_PREEN_OK | PR_PREEN_NOMSG,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_5_INODE_RANGE_UNUSED",
        code: PR_5_INODE_RANGE_UNUSED,
        message: " -(%i--%j)",
        prompt: Prompt::None,
        flags: PR_LATCH_IBITMAP | PR_PREEN_OK | PR_PREEN_NOMSG,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_5_INODE_RANGE_USED",
        code: PR_5_INODE_RANGE_USED,
        message: " +(%i--%j)",
        prompt: Prompt::None,
        flags: PR_LATCH_IBITMAP | PR_PREEN_OK | PR_PREEN_NOMSG,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_5_BLOCK_UNINIT",
        code: PR_5_BLOCK_UNINIT,
        message: "Group %g block(s) in use but group is marked BLOCK_UNINIT\n",
        prompt: Prompt::Fix,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_5_INODE_UNINIT",
        code: PR_5_INODE_UNINIT,
        message: "Group %g inode(s) in use but group is marked INODE_UNINIT\n",
        prompt: Prompt::Fix,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_5_INODE_BITMAP_CSUM_INVALID",
        code: PR_5_INODE_BITMAP_CSUM_INVALID,
        message: "Group %g inode bitmap does not match checksum.\n",
        prompt: Prompt::Fix,
        flags: PR_LATCH_IBITMAP | PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_5_BLOCK_BITMAP_CSUM_INVALID",
        code: PR_5_BLOCK_BITMAP_CSUM_INVALID,
        message: "Group %g block bitmap does not match checksum.\n",
        prompt: Prompt::Fix,
        flags: PR_LATCH_BBITMAP | PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_6_RECREATE_JOURNAL",
        code: PR_6_RECREATE_JOURNAL,
        message: "Recreate journal",
        prompt: Prompt::Null,
        flags: PR_PREEN_OK | PR_NO_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_6_UPDATE_QUOTAS",
        code: PR_6_UPDATE_QUOTAS,
        message: "Update quota info for quota type %N",
        prompt: Prompt::Null,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_6_SET_BG_CHECKSUM",
        code: PR_6_SET_BG_CHECKSUM,
        message: "Error setting block group checksum info: %m\n",
        prompt: Prompt::Null,
        flags: PR_FATAL,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_6_FLUSH_FILESYSTEM",
        code: PR_6_FLUSH_FILESYSTEM,
        message: "Error writing file system info: %m\n",
        prompt: Prompt::Null,
        flags: PR_FATAL,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_6_IO_FLUSH",
        code: PR_6_IO_FLUSH,
        message: "Error flushing writes to storage device: %m\n",
        prompt: Prompt::Null,
        flags: PR_FATAL,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_6_WRITE_QUOTAS",
        code: PR_6_WRITE_QUOTAS,
        message: "Error writing quota info for quota type %N: %m\n",
        prompt: Prompt::Null,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_6_ORPHAN_FILE_WITHOUT_JOURNAL",
        code: PR_6_ORPHAN_FILE_WITHOUT_JOURNAL,
        message: "Superblock has orphan file without journal.\n",
        prompt: Prompt::Clear,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_6_ORPHAN_FILE_TRUNC_FAILED",
        code: PR_6_ORPHAN_FILE_TRUNC_FAILED,
        message: "Failed to truncate orphan file.\n",
        prompt: Prompt::None,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_6_ORPHAN_FILE_CORRUPTED",
        code: PR_6_ORPHAN_FILE_CORRUPTED,
        message: "Failed to initialize orphan file.\n",
        prompt: Prompt::Recreate,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_6_ORPHAN_FILE_BITMAP_INVALID",
        code: PR_6_ORPHAN_FILE_BITMAP_INVALID,
        message: "Cannot fix corrupted orphan file with invalid bitmaps.\n",
        prompt: Prompt::None,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_6_ORPHAN_FILE_CREATE_FAILED",
        code: PR_6_ORPHAN_FILE_CREATE_FAILED,
        message: "Failed to truncate orphan file (inode %i).\n",
        prompt: Prompt::None,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_6_ORPHAN_BLOCK_DIRTY",
        code: PR_6_ORPHAN_BLOCK_DIRTY,
        message: "Orphan file (inode %i) block %b is not clean.\n",
        prompt: Prompt::Clear,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_6_ORPHAN_PRESENT_CLEAN_FILE",
        code: PR_6_ORPHAN_PRESENT_CLEAN_FILE,
        message: "Feature orphan_present is set but orphan file is clean.\n",
        prompt: Prompt::Clear,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_6_ORPHAN_PRESENT_NO_FILE",
        code: PR_6_ORPHAN_PRESENT_NO_FILE,
        message: "Feature orphan_present is set but feature orphan_file is not.\n",
        prompt: Prompt::Clear,
        flags: PR_PREEN_OK,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_6_ORPHAN_FILE_WRONG_SIZE",
        code: PR_6_ORPHAN_FILE_WRONG_SIZE,
        message: "Orphan file (inode %i) size is not multiple of block size.\n",
        prompt: Prompt::None,
        flags: 0,
        second_code: 0,
    },
    ProblemDef {
        name: "PR_6_ORPHAN_FILE_HOLE",
        code: PR_6_ORPHAN_FILE_HOLE,
        message: "Orphan file (inode %i) contains hole at block %b.\n",
        prompt: Prompt::None,
        flags: 0,
        second_code: 0,
    },
];

/// e2fsck's `pr_latch_info[]` (without its `-1` terminator).
pub static LATCHES: &[LatchDef] = &[
    LatchDef { latch: PR_LATCH_BLOCK, question: PR_1_INODE_BLOCK_LATCH, end: 0 },
    LatchDef { latch: PR_LATCH_BBLOCK, question: PR_1_INODE_BBLOCK_LATCH, end: 0 },
    LatchDef { latch: PR_LATCH_IBITMAP, question: PR_5_INODE_BITMAP_HEADER, end: PR_5_INODE_BITMAP_END },
    LatchDef { latch: PR_LATCH_BBITMAP, question: PR_5_BLOCK_BITMAP_HEADER, end: PR_5_BLOCK_BITMAP_END },
    LatchDef { latch: PR_LATCH_RELOC, question: PR_0_RELOCATE_HINT, end: 0 },
    LatchDef { latch: PR_LATCH_DBLOCK, question: PR_1B_DUP_BLOCK_HEADER, end: PR_1B_DUP_BLOCK_END },
    LatchDef { latch: PR_LATCH_LOW_DTIME, question: PR_1_ORPHAN_LIST_REFUGEES, end: 0 },
    LatchDef { latch: PR_LATCH_TOOBIG, question: PR_1_INODE_TOOBIG, end: 0 },
    LatchDef {
        latch: PR_LATCH_OPTIMIZE_DIR,
        question: PR_3A_OPTIMIZE_DIR_HEADER,
        end: PR_3A_OPTIMIZE_DIR_END,
    },
    LatchDef { latch: PR_LATCH_BG_CHECKSUM, question: PR_0_GDT_CSUM_LATCH, end: 0 },
    LatchDef {
        latch: PR_LATCH_OPTIMIZE_EXT,
        question: PR_1E_OPTIMIZE_EXT_HEADER,
        end: PR_1E_OPTIMIZE_EXT_END,
    },
];

/// The problem with this code.
pub fn by_code(code: u32) -> Option<&'static ProblemDef> {
    PROBLEMS.binary_search_by_key(&code, |p| p.code).ok().map(|i| &PROBLEMS[i])
}

/// The problem with this `problem.h` name, e.g. `"PR_1_BAD_I_SIZE"`.
pub fn by_name(name: &str) -> Option<&'static ProblemDef> {
    PROBLEMS.iter().find(|p| p.name == name)
}

/// A code as e2fsck's problem log writes it: `0x` and six lower-case hex digits.
pub fn hex(code: u32) -> String {
    alloc::format!("0x{code:06x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_sorted_and_unique() {
        assert!(PROBLEMS.windows(2).all(|w| w[0].code < w[1].code));
        for p in PROBLEMS {
            assert_eq!(by_code(p.code).map(|q| q.name), Some(p.name));
            assert_eq!(by_name(p.name).map(|q| q.code), Some(p.code));
        }
    }

    #[test]
    fn counts() {
        // problem.h at v1.47.0 defines 411 codes; problem_table[] has 410 of them.
        assert_eq!(PROBLEMS.len(), 410);
        assert_eq!(LATCHES.len(), 11);
    }

    #[test]
    fn bad_i_size() {
        let p = by_code(0x01000c).unwrap();
        assert_eq!(p.name, "PR_1_BAD_I_SIZE");
        assert_eq!(p.code, PR_1_BAD_I_SIZE);
        assert!(p.message.starts_with("Inode %i, i_size is %Is, should be %N."));
        assert_eq!(p.prompt, Prompt::Fix);
        assert_ne!(p.flags & PR_PREEN_OK, 0);
        assert_eq!(hex(0x01000c), "0x01000c");
        assert_eq!(hex(PR_0_BB_NOT_GROUP), "0x000001");
        assert!(by_code(0).is_none());
        assert!(by_name("PR_NO_SUCH_PROBLEM").is_none());
    }

    #[test]
    fn abbreviations() {
        // @E nests @e; capitalised because it starts the message.
        let p = by_code(PR_2_BAD_INO).unwrap();
        assert_eq!(p.message, "Entry '%Dn' in %p (%i) has invalid inode #: %Di.\n");
        // Only the abbreviation that starts the message is capitalised.
        let p = by_code(PR_0_BB_NOT_GROUP).unwrap();
        assert_eq!(p.message, "Block bitmap for group %g is not in group.  (block %b)\n");
        let p = by_code(PR_0_FS_SIZE_WRONG).unwrap();
        assert!(p.message.starts_with("The filesystem size (according to the superblock) is %b blocks\n"));
        assert!(PROBLEMS.iter().all(|p| !p.message.contains('@')));
    }

    #[test]
    fn latches() {
        let block = LATCHES.iter().find(|l| l.latch == PR_LATCH_BLOCK).unwrap();
        assert_eq!(block.question, PR_1_INODE_BLOCK_LATCH);
        assert_eq!(block.end, 0);
        let ibitmap = LATCHES.iter().find(|l| l.latch == PR_LATCH_IBITMAP).unwrap();
        assert_eq!((ibitmap.question, ibitmap.end), (PR_5_INODE_BITMAP_HEADER, PR_5_INODE_BITMAP_END));
        for l in LATCHES {
            assert_eq!(l.latch & !PR_LATCH_MASK, 0);
            assert!(by_code(l.question).is_some());
            assert!(l.end == 0 || by_code(l.end).is_some());
        }
        let p = by_code(PR_1_ILLEGAL_BLOCK_NUM).unwrap();
        assert_eq!(p.flags & PR_LATCH_MASK, PR_LATCH_BLOCK);
    }

    #[test]
    fn prompts() {
        assert_eq!(Prompt::None.text(), "(no prompt)");
        assert_eq!(Prompt::Fix.text(), "Fix");
        assert_eq!(Prompt::Clear.text(), "Clear");
        assert_eq!(Prompt::Fix.preen_text(), "FIXED");
    }
}
