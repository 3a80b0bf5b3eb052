#!/usr/bin/env bash
# Build the seed corpora fuzz/corpus/<target>/ (generated, not committed):
#
#  * whole-image targets (superblock_groups, image_walk, check_mount): small images made here
#    with mkfs.ext4 (64-256 KiB, one per feature set), the first 256 KiB of each
#    fixture image (truncated images), and the committed regression inputs;
#  * record-level targets: single structures cut out of the base images
#    (fuzz/base) and the fixture images (tests/fixtures/images/*.img.gz), laid
#    out the way each target reads its input (see fuzz/src/lib.rs).
#
#   bash fuzz/seed.sh            # (re)build every corpus
#
# Needs e2fsprogs (mkfs.ext4, debugfs), python3, gzip. Idempotent: the seed
# files are named after their content, so rerunning adds nothing twice, and
# inputs the fuzzer found before are kept.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
CORPUS=$HERE/corpus
FIXTURES=$ROOT/tests/fixtures/images
WORK=$(mktemp -d /tmp/ext4scope-seed.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
export TZ=UTC LC_ALL=C E2FSPROGS_FAKE_TIME=1700000000 PAGER=cat DEBUGFS_PAGER=__none__
for t in mkfs.ext4 debugfs python3 gzip; do
    command -v "$t" >/dev/null || { echo "seed.sh: missing $t" >&2; exit 1; }
done
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

# --- small whole images -----------------------------------------------------
mkdir -p "$WORK/tree/sub" "$WORK/small"
printf 'hello\n' >"$WORK/tree/a"
head -c 5000 /dev/zero | tr '\0' 'z' >"$WORK/tree/sub/b"
ln -s a "$WORK/tree/link"
find "$WORK/tree" -exec touch -h -d @1700000000 {} +
n=0
small() { # SIZE MKFS-ARGS...
    local size=$1; shift
    n=$((n + 1))
    local img=$WORK/small/s$n.img
    truncate -s "$size" "$img"
    if mkfs.ext4 -q -F -t ext4 -U "e4e4e4e4-0000-4000-8000-0000000005$(printf %02d $n)" \
        -E hash_seed=5eed5eed-0000-4000-8000-000000000001,root_owner=0:0 "$@" "$img" >/dev/null 2>&1; then
        :
    else
        echo "seed.sh: note: mkfs.ext4 $* at $size failed; seed skipped" >&2
        rm -f "$img"
    fi
}
small 128K -N 16 -O ^resize_inode
small 128K -N 16 -O ^resize_inode -d "$WORK/tree"
small 256K -N 32 -g 256 -O ^resize_inode -d "$WORK/tree"
small 256K -b 4096 -N 16 -O ^resize_inode -d "$WORK/tree"
small 128K -N 16 -I 128 -O ^extent,^64bit,^metadata_csum,^flex_bg,^huge_file,^dir_nlink,^extra_isize -d "$WORK/tree"
small 256K -N 32 -g 256 -O ^metadata_csum,^64bit,uninit_bg,^resize_inode
small 256K -N 64 -g 256 -O meta_bg,^resize_inode,^64bit
small 256K -N 32 -g 256 -O resize_inode
small 256K -N 16 -O bigalloc,^resize_inode -C 4096
small 128K -N 16 -O inline_data,^resize_inode -d "$WORK/tree"
small 256K -N 16 -O sparse_super2,^resize_inode -g 256
small 64K -N 16 -O ^resize_inode,^metadata_csum,^64bit,^flex_bg

# --- journalled ext3-style images with block-mapped files (the simulator) ----
# 2 MiB with a 1 MiB journal: a direct-only file, one with an IND block, one
# fragmented by removed files (7 runs: an extent leaf), then `tune2fs -O extents`.
mkdir -p "$WORK/sim"
for i in $(seq 1 8); do head -c 3072 /dev/zero | tr '\0' "$i" >"$WORK/sim/h$i"; done
head -c 4000 /dev/zero | tr '\0' d >"$WORK/sim/direct"
head -c 20480 /dev/zero | tr '\0' i >"$WORK/sim/ind"
head -c 20480 /dev/zero | tr '\0' f >"$WORK/sim/frag"
for csum in metadata_csum ^metadata_csum; do
    img=$WORK/sim/sim-${csum#^}.img
    truncate -s 2M "$img"
    if mkfs.ext4 -q -F -b 1024 -N 32 -O ^extent,^64bit,^flex_bg,$csum \
        -U e4e4e4e4-0000-4000-8000-0000000005f0 -E hash_seed=5eed5eed-0000-4000-8000-000000000001,root_owner=0:0 \
        "$img" >/dev/null 2>&1; then
        {
            for i in $(seq 1 8); do echo "write $WORK/sim/h$i h$i"; done
            echo "write $WORK/sim/direct direct"; echo "write $WORK/sim/ind ind"
            for i in 2 4 6 8; do echo "rm h$i"; done
            echo "write $WORK/sim/frag frag"
        } >"$WORK/sim/cmds"
        debugfs -w -f "$WORK/sim/cmds" "$img" >/dev/null 2>&1 && tune2fs -O extents "$img" >/dev/null 2>&1 || true
    fi
done

# --- fixtures, decompressed -------------------------------------------------
mkdir -p "$WORK/fix"
for gz in "$FIXTURES"/*.img.gz; do
    [ -e "$gz" ] || continue
    name=$(basename "$gz" .img.gz)
    gzip -dc "$gz" >"$WORK/fix/$name.img"
done
for b in "$HERE"/base/*.img.gz; do
    gzip -dc "$b" >"$WORK/base-$(basename "$b" .img.gz).img"
done

# Locations of inodes, via debugfs imap: "located at block B, offset 0xO".
# Inodes 1-64 and every inode the fixture's ncheck golden names (at most 400).
for img in "$WORK"/fix/*.img "$WORK"/base-*.img; do
    name=$(basename "$img" .img)
    {
        seq 1 64
        if [ -f "$FIXTURES/$name.ncheck.txt" ]; then
            awk '$1 ~ /^[0-9]+$/ {print $1}' "$FIXTURES/$name.ncheck.txt" | sort -un | head -n 400
        fi
    } | sort -un | sed 's/.*/imap <&>/' >"$WORK/imap.cmd"
    debugfs -f "$WORK/imap.cmd" "$img" 2>/dev/null >"$img.imap" || true
done

# --- journal blocks: transactions written by debugfs (never replayed) -------
# Input = one selector byte (journal features, see journal_block in src/lib.rs)
# + one journal block: the superblock, descriptors, commits, a revoke block.
mkdir -p "$CORPUS/journal_block"
head -c 65536 /dev/zero | tr '\0' 'j' >"$WORK/jdata"
for spec in "v3 0x26 -b 1024" "plain 0x02 -b 4096 -O ^metadata_csum,^64bit"; do
    read -r jname sel opts <<<"$spec"
    jimg=$WORK/journal-$jname.img
    rm -f "$jimg"; truncate -s 16M "$jimg"
    # shellcheck disable=SC2086
    mkfs.ext4 -q -F -O has_journal $opts "$jimg"
    jo=jo; [ "$jname" = v3 ] && jo="jo -c"
    printf '%s\njw -b 300,301,302 jdata\njc\njo\njw -r 301\njc\n' "$jo" >"$WORK/jcmds"
    (cd "$WORK" && debugfs -w -f jcmds "$jimg" >/dev/null 2>&1)
    bs=$(dumpe2fs -h "$jimg" 2>/dev/null | awk -F: '/^Block size/ {print $2+0}')
    for j in 0 1 2 5 6 7; do
        p=$(debugfs -R "bmap <8> $j" "$jimg" 2>/dev/null | tr -d ' \n')
        out=$WORK/jseed
        printf "\\x${sel#0x}" >"$out"
        dd if="$jimg" bs="$bs" skip="$p" count=1 status=none >>"$out"
        cp "$out" "$CORPUS/journal_block/$(sha1sum <"$out" | cut -c1-40)"
    done
done

python3 - "$WORK" "$CORPUS" "$HERE" <<'PY'
import hashlib, os, re, struct, sys, glob
work, corpus, here = sys.argv[1:4]

def put(target, data):
    d = os.path.join(corpus, target)
    os.makedirs(d, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()
    with open(os.path.join(d, name), 'wb') as f:
        f.write(data)

class Img:
    def __init__(self, path):
        self.path = path
        self.f = open(path, 'rb')
        sb = self.read(1024, 1024)
        self.bs = 1024 << struct.unpack_from('<I', sb, 0x18)[0]
        self.isz = struct.unpack_from('<H', sb, 0x58)[0]
        self.incompat = struct.unpack_from('<I', sb, 0x60)[0]
        self.loc = {}
        text = open(path + '.imap').read()
        for m in re.finditer(r'Inode (\d+) is part of block group \d+\s+located at block (\d+), offset 0x([0-9a-f]+)', text):
            self.loc[int(m.group(1))] = int(m.group(2)) * self.bs + int(m.group(3), 16)
    def read(self, off, n):
        self.f.seek(off)
        return self.f.read(n).ljust(n, b'\0')
    def block(self, b):
        return self.read(b * self.bs, self.bs)
    def inode(self, ino):
        return self.read(self.loc[ino], self.isz) if ino in self.loc else None

def le(b, o, n):
    return int.from_bytes(b[o:o + n], 'little')

EXTENTS_FL, INDEX_FL, INLINE_FL = 0x80000, 0x1000, 0x10000000
BASES = ['base', 'inline', 'ext2']      # selector byte % 3, as Base::from_byte
CHOICES = {'base': [12, 13, 15, 17, 19, 21, 23], 'inline': [12, 13], 'ext2': [12, 13]}

bases = {n: Img(os.path.join(work, f'base-{n}.img')) for n in BASES}
fixtures = [Img(p) for p in sorted(glob.glob(os.path.join(work, 'fix', '*.img')))]

# Whole images: the small mkfs images, the base images' first 256 KiB, and each
# fixture's first 256 KiB (a truncated image).
for p in sorted(glob.glob(os.path.join(work, 'small', '*.img'))):
    data = open(p, 'rb').read()
    put('superblock_groups', data); put('image_walk', data); put('check_mount', data); put('simulate', data)
for img in fixtures + list(bases.values()):
    data = img.read(0, 256 << 10)
    put('superblock_groups', data); put('image_walk', data); put('check_mount', data); put('simulate', data)

# simulate: the journalled block-mapped images, whole.
for p in sorted(glob.glob(os.path.join(work, 'sim', '*.img'))):
    put('simulate', open(p, 'rb').read())

# inode: selector + record.
for bi, name in enumerate(BASES):
    for ci, ino in enumerate(CHOICES[name]):
        put('inode', bytes([bi + 3 * ci]) + bases[name].inode(ino))
for img in fixtures:
    for ino, _ in sorted(img.loc.items()):
        rec = img.inode(ino)
        if rec is None or le(rec, 0, 2) == 0:
            continue
        flags = le(rec, 0x20, 4)
        sel = 2 if img.isz == 128 else (1 if flags & INLINE_FL else 0)
        put('inode', bytes([sel]) + rec)

def extent_first_child(rec):
    ib = rec[0x28:0x28 + 60]
    if le(ib, 0, 2) != 0xF30A:
        return None
    if le(ib, 6, 2) > 0 and le(ib, 2, 2) > 0:
        return le(ib, 16, 4) | (le(ib, 20, 2) << 32)
    return None

# extent_tree: root (60 bytes) + one tree block, from 1 KiB-block images.
def extent_seed(img, rec):
    flags = le(rec, 0x20, 4)
    if not flags & EXTENTS_FL:
        return
    root = rec[0x28:0x28 + 60]
    child = extent_first_child(rec)
    put('extent_tree', root + (img.block(child) if child else b''))
    # A depth-2 tree: the level-1 node's first child is the leaf; seed that too.
    if child:
        blk = img.block(child)
        if le(blk, 0, 2) == 0xF30A and le(blk, 6, 2) > 0:
            put('extent_tree', blk[:60] + img.block(le(blk, 16, 4) | (le(blk, 20, 2) << 32)))
for img in fixtures + [bases['base']]:
    if img.bs != 1024:
        continue
    for ino in sorted(img.loc):
        rec = img.inode(ino)
        if rec:
            extent_seed(img, rec)

# indirect_map: i_block + IND block + DIND block, from 1 KiB-block images.
for img in fixtures + [bases['ext2']]:
    if img.bs != 1024:
        continue
    for ino in sorted(img.loc):
        rec = img.inode(ino)
        if not rec or le(rec, 0x20, 4) & (EXTENTS_FL | INLINE_FL) or le(rec, 0, 2) & 0xF000 not in (0x8000, 0x4000):
            continue
        ib = rec[0x28:0x28 + 60]
        ind, dind = le(ib, 48, 4), le(ib, 52, 4)
        if ind == 0:
            continue
        seed = ib + img.block(ind)
        if dind:
            seed += img.block(dind)
        put('indirect_map', seed)

def logical_blocks(img, rec, n):
    """Physical blocks of logical 0..n-1 (depth-0 extent roots, or direct pointers)."""
    ib = rec[0x28:0x28 + 60]
    flags = le(rec, 0x20, 4)
    out = []
    for l in range(n):
        phys = None
        if flags & EXTENTS_FL:
            node = ib
            for _ in range(6):
                if le(node, 0, 2) != 0xF30A:
                    break
                n = min(le(node, 2, 2), (len(node) - 12) // 12)
                if le(node, 6, 2) == 0:
                    for i in range(n):
                        e = 12 * (i + 1)
                        first, ln = le(node, e, 4), le(node, e + 4, 2) & 0x7FFF
                        if first <= l < first + ln:
                            phys = (le(node, e + 8, 4) | (le(node, e + 6, 2) << 32)) + l - first
                    break
                child = None
                for i in range(n):
                    e = 12 * (i + 1)
                    if le(node, e, 4) <= l:
                        child = le(node, e + 4, 4) | (le(node, e + 8, 2) << 32)
                if child is None:
                    break
                node = img.block(child)
        elif l < 12:
            phys = le(ib, 4 * l, 4) or None
        if phys is None:
            return out
        out.append(phys)
    return out

# directory_block: selector + block (0 = checksummed base, 2 = ext2 base), or
# selector 1 + i_block + in-inode xattr area (inline base).
# htree: root block + leaf block. xattr: in-inode area (96 bytes) + xattr block.
for img in fixtures + list(bases.values()):
    csum = bool(struct.unpack_from('<I', img.read(1024, 1024), 0x64)[0] & 0x400)
    for ino in sorted(img.loc):
        rec = img.inode(ino)
        if not rec or le(rec, 0, 2) == 0:
            continue
        mode, flags = le(rec, 0, 2) & 0xF000, le(rec, 0x20, 4)
        if img.isz >= 256 and le(rec, 0x80, 2) == 32:
            area = rec[0xA0:0x100]
            acl = le(rec, 0x68, 4) | (le(rec, 0x76, 2) << 32)
            if area[:4] == b'\0\0\x02\xea' or acl:
                put('xattr', area + (img.block(acl) if acl and img.bs == 1024 else b''))
        if mode != 0x4000:
            continue
        if flags & INLINE_FL:
            put('directory_block', b'\x01' + rec[0x28:0x28 + 60] + (rec[0xA0:0x100] if img.isz >= 256 else b''))
            continue
        if img.bs != 1024:
            continue
        blocks = logical_blocks(img, rec, 4)
        for b in blocks[:3]:
            put('directory_block', (b'\x00' if csum else b'\x02') + img.block(b))
        if flags & INDEX_FL and len(blocks) >= 2:
            put('htree', img.block(blocks[0]) + img.block(blocks[1]))
PY

# The committed regression inputs are seeds too.
if [ -d "$HERE/regressions" ]; then
    for d in "$HERE"/regressions/*/; do
        [ -d "$d" ] || continue
        t=$(basename "$d")
        mkdir -p "$CORPUS/$t"
        cp "$d"* "$CORPUS/$t/" 2>/dev/null || true
    done
fi
for d in "$CORPUS"/*/; do
    printf 'seed.sh: %-18s %4d inputs\n' "$(basename "$d")" "$(find "$d" -type f | wc -l)"
done

# --- journal logs: the first 64 journal blocks of journals with transactions ---
# Input = journal blocks 0-63 (1 KiB each) spliced over Base::Journal's journal
# (see journal_log in src/lib.rs): the base's own journal, the kernel-written
# crash fixture's, and debugfs-written ones with and without checksums.
mkdir -p "$CORPUS/journal_log"
jseed() { # IMAGE: its journal blocks 0-63 as one seed (1 KiB blocks only)
    local img=$1 out=$WORK/jlog j p
    : >"$out"
    for j in $(seq 0 63); do
        p=$(debugfs -R "bmap <8> $j" "$img" 2>/dev/null | tr -d ' \n')
        dd if="$img" bs=1024 skip="$p" count=1 status=none >>"$out"
    done
    cp "$out" "$CORPUS/journal_log/$(sha1sum <"$out" | cut -c1-40)"
}
gzip -dc "$HERE/base/journal.img.gz" >"$WORK/jbase.img"; jseed "$WORK/jbase.img"
gzip -dc "$ROOT/tests/fixtures/crash/kernel-journal.img.gz" >"$WORK/jcrash.img"; jseed "$WORK/jcrash.img"
for opts in "-O ^metadata_csum,^64bit" "-O ^64bit"; do
    jimg=$WORK/jlog.img
    rm -f "$jimg"; truncate -s 16M "$jimg"
    # shellcheck disable=SC2086
    mkfs.ext4 -q -F -b 1024 $opts "$jimg"
    printf 'jo -c\njw -b 300,301,302 jdata\njc\njo -c\njw -r 301\njc\njo\njw -b 310 jdata\njc\n' >"$WORK/jcmds"
    (cd "$WORK" && debugfs -w -f jcmds "$jimg" >/dev/null 2>&1)
    jseed "$jimg"
done

# --- fast-commit areas: the kernel-written fixtures' areas -------------------
# Input = the expected tid byte + up to 16 fast-commit blocks of 4 KiB (see
# fast_commit in src/lib.rs).
mkdir -p "$CORPUS/fast_commit"
for gz in "$ROOT"/tests/fixtures/fastcommit/*.img.gz; do
    img=$WORK/fc.img
    gzip -dc "$gz" >"$img"
    maxlen=$(dumpe2fs -h "$img" 2>/dev/null | awk -F: '/^Total journal blocks/ {print $2+0}')
    nfc=$(dumpe2fs -h "$img" 2>/dev/null | awk -F: '/^Fast commit length/ {print $2+0}')
    [ -n "$nfc" ] && [ "$nfc" -gt 0 ] || nfc=256
    first=$((maxlen - nfc + 1))
    tid=$(debugfs -R "logdump" "$img" 2>/dev/null | awk '/^Found expected sequence/ {s=$4} END {gsub(",", "", s); print s + 1}')
    out=$WORK/fcseed
    printf "\\x$(printf %02x $((tid % 256)))" >"$out"
    for j in $(seq "$first" $((first + 15))); do
        p=$(debugfs -R "bmap <8> $j" "$img" 2>/dev/null | tr -d ' \n')
        [ -n "$p" ] && [ "$p" != 0 ] || break
        dd if="$img" bs=4096 skip="$p" count=1 status=none >>"$out"
    done
    cp "$out" "$CORPUS/fast_commit/$(sha1sum <"$out" | cut -c1-40)"
done
