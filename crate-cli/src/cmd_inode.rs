//! `ext4scope inode IMAGE INO`: one inode decoded, with its block map, as JSON
//! (`--json`, the core's `InodeReport`) or as text in the spirit of debugfs `stat`.

use ext4scope_core::filemap::{FileMap, MapKind, WalkItem};
use ext4scope_core::format::inode::InodeReport;

/// Parse `12` or `<12>`.
pub fn parse_ino(s: &str) -> Option<u32> {
    let t = s.trim();
    let t = t.strip_prefix('<').and_then(|r| r.strip_suffix('>')).unwrap_or(t);
    t.parse().ok()
}

/// `ext4scope inode`.
pub fn run(path: &str, ino: &str, json: bool) -> Result<(), String> {
    let n = parse_ino(ino).ok_or_else(|| format!("{ino:?} is not an inode number (use 12 or <12>)"))?;
    let fs = crate::open(path)?;
    let report = fs.inode_report(n).map_err(|e| format!("{path}: {e}"))?;
    if json {
        return crate::print_json(&report);
    }
    out!("{}", text(&report));
    Ok(())
}

fn time_line(name: &str, t: &ext4scope_core::format::inode::Timestamp) -> String {
    match t.extra {
        Some(x) => format!("{name:>6}: 0x{:08x}:{x:08x} -- {}\n", t.raw, t.iso),
        None => format!("{name:>6}: 0x{:08x} -- {}\n", t.raw, t.iso),
    }
}

/// The block list as debugfs `stat` prints it: `(ETB0):8452, (0-11):1300-1311, (12[u]):40`.
pub fn block_list(map: &FileMap) -> String {
    let mut parts = Vec::new();
    for w in map.walk() {
        match w {
            WalkItem::Meta(m) => {
                let label = match m.kind.name() {
                    "ETB" => format!("ETB{}", m.level),
                    other => other.to_string(),
                };
                parts.push(format!("({label}):{}", m.block));
            }
            WalkItem::Data(r) => {
                let u = if r.unwritten { "[u]" } else { "" };
                if r.len == 1 {
                    parts.push(format!("({}{u}):{}", r.logical, r.physical));
                } else {
                    parts.push(format!(
                        "({}-{}{u}):{}-{}",
                        r.logical,
                        r.logical + r.len - 1,
                        r.physical,
                        r.physical + r.len - 1
                    ));
                }
            }
        }
    }
    parts.join(", ")
}

/// The text form.
pub fn text(r: &InodeReport) -> String {
    let mut s = String::new();
    let flags =
        if r.flag_names.is_empty() { String::new() } else { format!(" ({})", r.flag_names.join(" ")) };
    s += &format!(
        "Inode: {}   Type: {}    Mode:  {}   Flags: 0x{:x}{flags}\n",
        r.ino, r.type_name, r.mode_octal, r.flags
    );
    s += &format!("Generation: {}    Version: 0x{:016x}\n", r.generation, r.version);
    let project = r.projid.map(|p| format!("Project: {p}   ")).unwrap_or_default();
    s += &format!("User: {}   Group: {}   {project}Size: {}\n", r.uid, r.gid, r.size);
    s += &format!("File ACL: {}\n", r.file_acl);
    s += &format!("Links: {}   Blockcount: {}\n", r.links_count, r.blocks);
    s += &time_line("ctime", &r.ctime);
    s += &time_line("atime", &r.atime);
    s += &time_line("mtime", &r.mtime);
    if let Some(c) = &r.crtime {
        s += &time_line("crtime", c);
    }
    if r.dtime != 0 {
        s += &format!(" dtime: 0x{:08x}\n", r.dtime);
    }
    if let Some(next) = r.orphan_next {
        s += &format!("On the orphan list; next orphan inode: {next}\n");
    }
    if let Some(x) = r.extra_isize {
        s += &format!("Size of extra inode fields: {x}\n");
    }
    match r.checksum_ok {
        None => {}
        Some(true) => s += &format!("Inode checksum: 0x{:08x} (ok)\n", r.checksum.stored),
        Some(false) => {
            s += &format!(
                "Inode checksum: 0x{:08x} BAD (computed 0x{:08x})\n",
                r.checksum.stored, r.checksum.computed
            )
        }
    }
    if let Some((major, minor)) = r.device {
        s += &format!("Device major/minor number: {major}:{minor}\n");
    }
    if let Some(n) = r.inline_size {
        s += &format!("Size of inline data: {n}\n");
    }
    let map = FileMap {
        kind: r.map_kind,
        data: r.data.clone(),
        metadata: r.metadata.clone(),
        tree: r.tree.clone(),
        problems: Vec::new(),
    };
    match r.map_kind {
        MapKind::Extents => s += &format!("EXTENTS:\n{}\n", block_list(&map)),
        MapKind::Indirect => {
            s += &format!("BLOCKS:\n{}\n", block_list(&map));
            let total = map.data_blocks() + map.metadata.len() as u64;
            if total > 0 {
                s += &format!("TOTAL: {total}\n");
            }
        }
        MapKind::Inline => s += "Data is inline (i_block and system.data)\n",
        MapKind::None => {}
    }
    if !r.problems.is_empty() {
        s += "Problems:\n";
        for p in &r.problems {
            s += &format!("  [{:?}] {}: {}\n", p.severity, p.structure, p.message);
        }
    }
    s
}
