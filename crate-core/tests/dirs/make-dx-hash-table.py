#!/usr/bin/env python3
"""Regenerate dx_hash_table.txt: directory name hashes computed by e2fsprogs.

Run from anywhere:  python3 crate-core/tests/dirs/make-dx-hash-table.py
Needs debugfs (e2fsprogs). Each row: version, seed (UUID form, '-' for the
default all-zero seed), name as hex, major hash, minor hash - exactly what
`debugfs -R "dx_hash -h VERSION [-s SEED] NAME"` prints.
"""
import os
import random
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "dx_hash_table.txt")

rng = random.Random(20240517)
names = []
# Every length from 1 to 70: crosses the 16-byte (TEA) and 32-byte (half-MD4) chunks.
for n in range(1, 71):
    names.append(bytes((b"abcdefghijklmnopqrstuvwxyz0123456789-_."[i % 39]) for i in range(n)))
# Long names, up to the 255-byte maximum.
for n in (100, 127, 128, 129, 200, 254, 255):
    names.append(bytes(rng.choice(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") for _ in range(n)))
# High bytes: signed and unsigned char differ. No whitespace, quotes or backslash
# (debugfs's argument parser would split or unquote them), no '/' or NUL.
allowed = [b for b in range(0x21, 0x100) if b not in (0x22, 0x27, 0x5C, 0x2F, 0x7F)]
for n in (1, 2, 3, 4, 5, 7, 8, 15, 16, 17, 31, 32, 33, 64, 255):
    names.append(bytes(rng.choice(allowed) for _ in range(n)))
names.append("café-ünïcødé".encode())
names.append(b"\xff" * 40)
names.append(b"\x80")

seeds = ["-", "5eed5eed-0000-4000-8000-000000000001", "0123abcd-4567-89ef-fedc-ba9876543210"]
cmds = []
rows = []
for seed in seeds:
    for version in range(6):
        for name in names:
            s = "" if seed == "-" else f"-s {seed} "
            cmds.append(b"dx_hash -h %d %s%s\n" % (version, s.encode(), name))
            rows.append((version, seed, name))

res = subprocess.run(["debugfs", "-f", "-"], input=b"".join(cmds), capture_output=True, check=True)
hashes = []
for line in res.stdout.split(b"\n"):
    if line.startswith(b"Hash of "):
        tail = line.rsplit(b" is ", 1)[1]  # b"0x1234 (minor 0x5678)"
        major = int(tail.split()[0], 16)
        minor = int(tail.split(b"minor ")[1].rstrip(b")"), 16)
        hashes.append((major, minor))
if len(hashes) != len(rows):
    sys.exit(f"expected {len(rows)} hashes from debugfs, got {len(hashes)}")

version = subprocess.run(["debugfs", "-V"], capture_output=True).stderr.decode().splitlines()[0]
with open(OUT, "w") as f:
    f.write(f"# dx_hash of {len(rows)} (version, seed, name) triples, from {version}.\n")
    f.write("# Made by make-dx-hash-table.py. Columns: version seed name-hex major minor\n")
    for (v, seed, name), (major, minor) in zip(rows, hashes):
        f.write(f"{v}\t{seed}\t{name.hex()}\t{major:08x}\t{minor:08x}\n")
print(f"wrote {len(rows)} rows to {OUT}")
