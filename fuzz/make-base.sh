#!/usr/bin/env bash
# Build the small base images the record-level fuzz targets splice their input
# into (fuzz/base/*.img.gz, committed; the targets embed them). Deterministic:
# fixed UUIDs, hash seed and clock, our own mke2fs.conf, files made by debugfs
# in a fixed order so inode numbers are fixed (the targets rely on them and
# this script checks them).
#
#   bash fuzz/make-base.sh
#
# Needs e2fsprogs (written against 1.47.0), python3, gzip.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
OUT=$HERE/base
WORK=$(mktemp -d /tmp/ext4scope-fuzzbase.XXXXXX)
trap '[ "${KEEP:-0}" = 1 ] || rm -rf "$WORK"' EXIT
export TZ=UTC LC_ALL=C PAGER=cat DEBUGFS_PAGER=__none__ E2FSPROGS_FAKE_TIME=1700000000
cat >"$WORK/mke2fs.conf" <<'CONF'
[defaults]
	base_features = sparse_super,large_file,filetype,dir_index,ext_attr
	default_mntopts = acl,user_xattr
	enable_periodic_fsck = 0
	blocksize = 1024
	inode_size = 256
	inode_ratio = 4096
[fs_types]
	ext4 = {
		features = extent,huge_file,flex_bg,metadata_csum,64bit,dir_nlink,extra_isize
	}
	floppy = {
		inode_ratio = 4096
	}
CONF
export MKE2FS_CONFIG=$WORK/mke2fs.conf
cd "$WORK"
python3 - <<'PY'
open('small', 'wb').write(b''.join(b'small@%04x\n' % i for i in range(300))[:3000])
open('blk', 'wb').write(b'B' * 1024)
open('big', 'wb').write(b''.join(b'frag@%06x\n' % i for i in range(2000))[:20000])
open('val', 'wb').write(b''.join(b'xattr-value-%03d;' % i for i in range(40))[:300])
open('ind', 'wb').write(b'indirect' * (300 * 128))
open('tiny', 'wb').write(b'inline data, under 60 bytes\n')
PY

# mkfs NAME UUID-N FEATURES...
mk() {
    local name=$1 n=$2; shift 2
    rm -f "$name.img"
    truncate -s 1M "$name.img"
    mkfs.ext4 -q -F -t ext4 -g 512 -N 128 -O ^resize_inode "$@" \
        -U "$(printf 'e4e4e4e4-0000-4000-8000-%012d' "$n")" \
        -E hash_seed=5eed5eed-0000-4000-8000-000000000001,root_owner=0:0 "$name.img"
}

# base: 2 groups of 512 1 KiB blocks, metadata_csum, 64bit, no journal.
# Inodes: 12 /file (3 extents-mapped blocks), 13 /dir (one linear block),
# 14 /dir/a, 15 /htree (hash-indexed after e2fsck -D), 16-23 f1..f8
# (even ones deleted, so 18, 20 and 22 are reused below), /frag (depth-1 extent
# tree), /xattr (xattrs in the inode and in a block), symlinks, then the
# htree's fifos.
mk base 1
{
    echo "write small file"
    echo "mkdir dir"
    echo "write small dir/a"
    echo "mkdir htree"
    for i in $(seq 1 12); do echo "write blk f$i"; done
    for i in 2 4 6 8 10 12; do echo "rm f$i"; done
    echo "write big frag"
    echo "write small xattr"
    echo "ea_set xattr user.small hello"
    echo "ea_set -f val xattr user.big"
    echo "ea_set -f val xattr trusted.second"
    echo "symlink fast /file"
    echo "symlink slowlink /$(printf 'y%.0s' $(seq 1 100))"
    echo "cd htree"
    for i in $(seq 1 60); do printf 'mknod entry-with-a-rather-long-name-number-%03d p\n' "$i"; done
} >cmds
debugfs -w -f cmds base.img >/dev/null 2>err
if grep -v '^debugfs [0-9.]* (' err; then echo "make-base.sh: debugfs complained" >&2; exit 1; fi
E2FSCK_TIME=1700000000 e2fsck -fyD base.img >/dev/null 2>&1 || [ $? -le 1 ]
e2fsck -fn base.img >/dev/null 2>&1

# inline: inline_data, one group; inode 12 a file with inline data, 13 an
# inline directory.
mk inline 2 -O inline_data
printf 'write tiny file\nmkdir dir\nwrite tiny dir/a\n' >cmds
debugfs -w -f cmds inline.img >/dev/null 2>err
if grep -v '^debugfs [0-9.]* (' err; then echo "make-base.sh: debugfs complained" >&2; exit 1; fi
e2fsck -fn inline.img >/dev/null 2>&1

# ext2: classic block maps, 128-byte inodes, no checksums; inode 12 a 300 KiB
# file (direct, IND and DIND blocks), 13 a directory.
mk ext2 3 -I 128 -O ^extent,^64bit,^metadata_csum,^flex_bg,^huge_file,^dir_nlink,^extra_isize >/dev/null 2>&1
printf 'write ind file\nmkdir dir\nwrite tiny dir/a\n' >cmds
debugfs -w -f cmds ext2.img >/dev/null 2>err
if grep -v '^debugfs [0-9.]* (' err; then echo "make-base.sh: debugfs complained" >&2; exit 1; fi
e2fsck -fn ext2.img >/dev/null 2>&1

# The inode numbers the targets use.
check() { # IMAGE PATH INODE
    local got
    got=$(debugfs -R "stat $2" "$1" 2>/dev/null | awk '/^Inode:/ {print $2; exit}')
    [ "$got" = "$3" ] || { echo "make-base.sh: $1:$2 is inode $got, expected $3" >&2; exit 1; }
}
check base.img /file 12
check base.img /dir 13
check base.img /htree 15
check base.img /frag 17
check base.img /xattr 19
check inline.img /file 12
check inline.img /dir 13
check ext2.img /file 12
check ext2.img /dir 13
debugfs -R "stat /file" ext2.img 2>/dev/null | grep -q '(DIND)' ||
    { echo "make-base.sh: ext2 /file has no DIND block" >&2; exit 1; }
debugfs -R "stat /htree" base.img 2>/dev/null | grep -q 'Flags: 0x81000' ||
    { echo "make-base.sh: /htree is not hash-indexed" >&2; exit 1; }
debugfs -R "stat /frag" base.img 2>/dev/null | grep -q 'ETB0' ||
    { echo "make-base.sh: /frag has no extent tree block" >&2; exit 1; }
debugfs -R "stat /xattr" base.img 2>/dev/null | grep -q 'File ACL: [1-9]' ||
    { echo "make-base.sh: /xattr has no xattr block" >&2; exit 1; }
debugfs -R "stat /file" inline.img 2>/dev/null | grep -q 'Size of inline data' ||
    { echo "make-base.sh: inline /file is not inline" >&2; exit 1; }

mkdir -p "$OUT"
for n in base inline ext2; do gzip -9 -n -c "$n.img" >"$OUT/$n.img.gz"; done
ls -l "$OUT"
