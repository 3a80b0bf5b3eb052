#!/bin/bash
# Make hashdirs.img.gz: htree directories hashed with every hash version the
# kernel writes, and xattr values in EA inodes. Needs root (loop mount),
# e2fsprogs and python3. The kernel picks times and generations, so the image
# differs on every run; the tests only rely on what this script creates.
#
#   sudo bash crate-core/tests/dirs/make-hash-image.sh
#
# Layout (1 KiB blocks, metadata_csum, ea_inode, s_flags = unsigned_directory_hash):
#   /md4u   half_md4 (stored 1, hashed as half_md4_unsigned)  300 names, high bytes
#   /teau   tea      (stored 2, hashed as tea_unsigned)        300 names
#   /legacyu legacy  (stored 0, hashed as legacy_unsigned)     300 names
#   /ea      a file with user.huge (5000 bytes, EA inode), user.mid (600 bytes,
#            block), user.small (in the inode)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
img=$work/hashdirs.img
mnt=$work/mnt
mkdir "$mnt"
trap 'umount "$mnt" 2>/dev/null || true; rm -rf "$work"' EXIT

mkfs.ext4 -q -F -b 1024 -N 2048 -O ea_inode -E hash_seed=0badcafe-1234-4321-8765-0123456789ab "$img" 16M
# Unsigned directory hashes (what non-x86 mkfs picks): the kernel hashes with versions 3-5.
debugfs -w -R "ssv flags 2" "$img"

fill() { # dir
    python3 - "$1" <<'PY'
import os, sys
d = sys.argv[1]
os.mkdir(d)
for i in range(300):
    # Bytes >= 0x80 make signed and unsigned hashes differ.
    name = b"n%03d-\xc3\xa9\xff\x80-%s" % (i, b"x" * (i % 40))
    open(os.path.join(d.encode(), name), "wb").close()
PY
}

for step in "half_md4 md4u" "tea teau" "legacy legacyu"; do
    set -- $step
    debugfs -w -R "ssv def_hash_version $1" "$img"
    mount -o loop "$img" "$mnt"
    fill "$mnt/$2"
    umount "$mnt"
done

mount -o loop "$img" "$mnt"
echo hi > "$mnt/ea"
python3 - "$mnt/ea" <<'PY'
import os, sys
f = sys.argv[1]
os.setxattr(f, "user.huge", b"v" * 5000)
os.setxattr(f, "user.mid", b"m" * 600)
os.setxattr(f, "user.small", b"hello")
PY
umount "$mnt"
e2fsck -fn "$img"
gzip -9 -n -c "$img" > "$here/hashdirs.img.gz"
echo "wrote $here/hashdirs.img.gz"
