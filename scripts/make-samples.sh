#!/usr/bin/env bash
# Make the web app's built-in sample images: static/samples/NAME.img.gz and
# static/samples/index.json (name, description, size, compressed size).
#
#   bash scripts/make-samples.sh
#
# Every image is made by the real tools (mkfs.ext4 -d, debugfs -w), with a
# fixed UUID, hash seed and clock, and gzip -n, so a rerun writes the same
# bytes. Each image must pass e2fsck -fn. Needs e2fsprogs (written against
# 1.47.0), coreutils, gzip. Root is not needed.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=$ROOT/static/samples
FAKE_TIME=1700000000 # 2023-11-14 22:13:20 UTC
export TZ=UTC LC_ALL=C PAGER=cat DEBUGFS_PAGER=__none__
umask 022

for t in mkfs.ext4 debugfs e2fsck gzip truncate touch; do
  command -v "$t" >/dev/null || { echo "make-samples.sh: missing $t (apt-get install e2fsprogs)" >&2; exit 1; }
done

WORK=$(mktemp -d /tmp/ext4scope-samples.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$OUT"

# The fixtures' mke2fs.conf (Debian e2fsprogs 1.47.0 defaults).
export MKE2FS_CONFIG=$ROOT/tests/fixtures/mke2fs.conf
e2() { E2FSPROGS_FAKE_TIME=$FAKE_TIME "$@"; }

# lines N WORD: N numbered lines of text (compresses well, easy to recognise).
lines() { local i; for ((i = 1; i <= $1; i++)); do printf '%s line %05d of %d\n' "$2" "$i" "$1"; done; }

# A small tree: text files, a file big enough for indirect blocks (> 12 blocks
# of 1 KiB), an empty file and directory, nested directories, a symlink.
make_tree() {
  local d=$1
  mkdir -p "$d/etc" "$d/home/alice/notes" "$d/home/bob" "$d/var/log" "$d/empty-dir"
  printf 'ext4scope sample image\nmade by scripts/make-samples.sh\n' >"$d/README"
  printf 'sample\n' >"$d/etc/hostname"
  printf 'root:x:0:0:root:/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\nbob:x:1001:1001::/home/bob:/bin/sh\n' >"$d/etc/passwd"
  lines 40 note >"$d/home/alice/notes/todo.txt"
  lines 900 log >"$d/var/log/messages" # ~27 KiB: direct + indirect blocks on 1 KiB blocks
  lines 3 hello >"$d/home/bob/hello.txt"
  : >"$d/empty-file"
  ln -s ../etc/hostname "$d/home/hostname-link"
  find "$d" -exec touch -h -d @$FAKE_TIME {} +
}

# fix_ctimes IMG: mkfs -d copies each source file's st_ctime (the time the tree
# was made, which touch cannot set), so set the ctime of every in-use inode
# (the root and inodes >= 11) to the fixed clock.
fix_ctimes() {
  local img=$1 count i
  count=$(debugfs -R stats "$img" 2>/dev/null | awk -F: '/^Inode count/ {gsub(/ /, "", $2); print $2}')
  for ((i = 2; i <= count; i++)); do [[ $i == 2 || $i -ge 11 ]] && echo "testi <$i>"; done >"$img.testi"
  debugfs -f "$img.testi" "$img" 2>/dev/null |
    awk -v t=$FAKE_TIME '/is marked in use/ {print "sif <" $2 "> ctime @" t}' >"$img.sif"
  e2 debugfs -w -f "$img.sif" "$img" >/dev/null 2>&1
}

# sample NAME SIZE DESCRIPTION MKFS-ARGS...: mkfs -d, then debugfs edits from
# $WORK/NAME.debugfs, then tune2fs with the arguments in $WORK/NAME.tune2fs; e2fsck -fn must exit $EXPECT_FSCK (0: clean).
declare -a INDEX=()
sample() {
  local name=$1 size=$2 desc=$3
  shift 3
  local img=$WORK/$name.img tree=$WORK/$name.tree
  make_tree "$tree"
  rm -f "$img"
  truncate -s "$size" "$img"
  e2 mkfs.ext4 -q -F -d "$tree" -E hash_seed=5eed5eed-0000-4000-8000-0000000000aa,lazy_itable_init=0 "$@" "$img"
  if [[ -f $WORK/$name.debugfs ]]; then
    e2 debugfs -w -f "$WORK/$name.debugfs" "$img" >/dev/null 2>"$WORK/$name.debugfs.err"
    if grep -v '^debugfs ' "$WORK/$name.debugfs.err" | grep -q .; then
      echo "make-samples.sh: debugfs on $name:" >&2
      cat "$WORK/$name.debugfs.err" >&2
      exit 1
    fi
  fi
  if [[ -f $WORK/$name.tune2fs ]]; then
    # shellcheck disable=SC2046 # the file holds tune2fs arguments
    e2 tune2fs $(cat "$WORK/$name.tune2fs") "$img" >/dev/null
  fi
  fix_ctimes "$img"
  local rc=0
  e2fsck -fn "$img" >"$WORK/$name.fsck" 2>&1 || rc=$?
  if ((rc != ${EXPECT_FSCK:-0})); then
    echo "make-samples.sh: e2fsck -fn $name exits $rc, not ${EXPECT_FSCK:-0}:" >&2
    cat "$WORK/$name.fsck" >&2
    exit 1
  fi
  gzip -n -9 <"$img" >"$OUT/$name.img.gz"
  local bytes gz
  bytes=$(stat -c %s "$img")
  gz=$(stat -c %s "$OUT/$name.img.gz")
  if ((gz > 100 * 1024)); then
    echo "make-samples.sh: $name.img.gz is $gz bytes, over the 100 KiB budget" >&2
    exit 1
  fi
  INDEX+=("$(printf '  {"name": "%s", "file": "%s.img.gz", "description": "%s", "size": %d, "compressed_size": %d}' \
    "$name" "$name" "$desc" "$bytes" "$gz")")
  printf '%-16s %9d bytes, %6d gzipped\n' "$name" "$bytes" "$gz"
}

# debugfs edits: a fifo and a character device, a file removed by debugfs
# (its directory entry stays visible to debugfs ls -d).
cat >"$WORK/ext4-small.debugfs" <<'EOF'
cd /var
mknod fifo p
mknod tty0 c 4 0
cd /var/log
write /dev/null old.log
rm old.log
EOF

sample ext4-small 4M \
  "ext4 with the default features (metadata_csum, 64bit, flex_bg, journal), 4 groups of 1024 1 KiB blocks, a small directory tree" \
  -t ext4 -b 1024 -g 1024 -N 256 -L sample-ext4 -U 5a3c0001-e4f5-4c00-8000-000000000001 -J size=1

sample ext3-indirect 4M \
  "ext3: journal, indirect block maps instead of extents, no flex_bg, 2 groups of 2048 1 KiB blocks" \
  -t ext3 -b 1024 -g 2048 -N 256 -L sample-ext3 -U 5a3c0002-e4f5-4c00-8000-000000000002 -J size=1

# ext3-migrate: an ext3 file system whose files were written with block maps,
# then `tune2fs -O extents` (what one does before `chattr +e`), for the
# simulator (#/simulate). /var/log/fragmented fills the holes left by removing
# every other small file in /spool: 21 extents, more than the inode holds, so
# its extent tree needs a leaf block.
{
  echo "mkdir /spool"
  for ((i = 0; i < 40; i++)); do echo "write $WORK/spool-file /spool/s$i"; done
  for ((i = 0; i < 40; i += 2)); do echo "rm /spool/s$i"; done
  echo "write $WORK/fragmented /var/log/fragmented"
} >"$WORK/ext3-migrate.debugfs"
head -c 2048 /dev/zero | tr '\0' s >"$WORK/spool-file"
lines 2000 fragmented >"$WORK/fragmented" # 59 blocks of 1 KiB
echo "-O extents" >"$WORK/ext3-migrate.tune2fs"

sample ext3-migrate 4M \
  "ext3 written with block maps, then tune2fs -O extents: for the simulator (chattr +e /var/log/fragmented: 21 extents, a leaf block)" \
  -t ext3 -b 1024 -g 2048 -N 256 -L sample-migrate -U 5a3c0006-e4f5-4c00-8000-000000000006 -J size=1

sample ext4-nocsum 16M \
  "ext4 without metadata_csum and 64bit: crc16 group checksums (uninit_bg), 4 groups of 1024 4 KiB blocks" \
  -t ext4 -b 4096 -g 1024 -N 512 -O ^metadata_csum,^64bit,uninit_bg -L sample-nocsum \
  -U 5a3c0003-e4f5-4c00-8000-000000000003 -J size=4

# ext4-broken: the ext4-small tree damaged with debugfs, for "what e2fsck would
# say": a wrong link count, an i_size shorter than the data, a directory entry
# naming an unused inode, a file no directory names, a used block (the last of /var/log/messages) marked free.
cat >"$WORK/ext4-broken.debugfs" <<'EOF'
sif /etc/passwd links_count 3
sif /var/log/messages size 1000
unlink /home/bob/hello.txt
ln <200> /home/alice/ghost
freeb 376
EOF

EXPECT_FSCK=4 sample ext4-broken 4M \
  "ext4-small damaged with debugfs for the checker: a wrong link count, a short i_size, an entry naming an unused inode, an unattached file, a used block marked free (e2fsck -fn exits 4)" \
  -t ext4 -b 1024 -g 1024 -N 256 -L sample-broken -U 5a3c0004-e4f5-4c00-8000-000000000004 -J size=1

# ext4-crash: not made here but by the kernel (tests/fixtures/make-crash-images.sh,
# root: a loop mount copied while mounted), so the journal holds committed
# transactions that were never replayed.
crash=$ROOT/tests/fixtures/crash/kernel-journal.img.gz
cp "$crash" "$OUT/ext4-crash.img.gz"
INDEX+=("$(printf '  {"name": "%s", "file": "%s.img.gz", "description": "%s", "size": %d, "compressed_size": %d}' \
  ext4-crash ext4-crash \
  "written by the Linux kernel and copied while mounted: needs_recovery, three committed transactions (300 files created, their directory removed, 50 more files) still in the journal, never replayed" \
  "$(gzip -dc "$crash" | wc -c)" "$(stat -c %s "$OUT/ext4-crash.img.gz")")")
printf '%-16s %9d bytes, %6d gzipped (kernel-written fixture)\n' ext4-crash "$(gzip -dc "$crash" | wc -c)" "$(stat -c %s "$OUT/ext4-crash.img.gz")"

{
  echo "["
  for ((i = 0; i < ${#INDEX[@]}; i++)); do
    if ((i + 1 < ${#INDEX[@]})); then echo "${INDEX[$i]},"; else echo "${INDEX[$i]}"; fi
  done
  echo "]"
} >"$OUT/index.json"
echo "wrote $OUT/index.json"
