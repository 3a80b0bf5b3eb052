//! Parsers for debugfs `stat`, `ex` and `blocks` output as saved in
//! `NAME.inodes.txt` (each command's output preceded by `debugfs: CMD`).

/// One labelled entry of the `BLOCKS:` / `EXTENTS:` list of `stat`, expanded
/// to single blocks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Labelled {
    /// `(IND):N`, `(DIND):N`, `(TIND):N`, `(ETB0):N` -> ("IND", N) ...
    Meta(String, u64),
    /// `(L):P` or one block of `(L-M[u]):P-Q`: (logical, physical, uninit).
    Data(u64, u64, bool),
}

/// One line of `ex`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExLine {
    pub level: u32,
    pub max_level: u32,
    /// 1-based entry number.
    pub entry: u32,
    pub entries: u32,
    pub lstart: u64,
    pub lend: u64,
    /// Physical start (leaf) or child block (index).
    pub pstart: u64,
    /// Physical end (leaf only).
    pub pend: Option<u64>,
    pub len: u64,
    pub uninit: bool,
}

/// What debugfs says about one inode.
#[derive(Debug, Clone, Default)]
pub struct InodeGolden {
    pub ino: u32,
    pub type_name: String,
    pub perm: u16,
    pub flags: u32,
    pub generation: u32,
    pub uid: u32,
    pub gid: u32,
    pub size: u64,
    pub links: u32,
    pub blockcount: u64,
    pub file_acl: u64,
    pub extra_isize: Option<u32>,
    pub checksum: Option<u32>,
    pub inline_size: Option<u64>,
    pub fast_link: Option<String>,
    pub device: Option<(u32, u32)>,
    /// Raw times from `stat` (seconds field, extra field): ctime, atime, mtime, crtime.
    pub times: Vec<(String, u32, Option<u32>)>,
    /// The `BLOCKS:` / `EXTENTS:` list, if printed.
    pub list: Option<Vec<Labelled>>,
    /// `TOTAL: N` after an indirect block list.
    pub total: Option<u64>,
    /// `ex` lines, if `ex` was run.
    pub ex: Option<Vec<ExLine>>,
    /// `blocks` output.
    pub blocks: Vec<u64>,
}

fn num<T: std::str::FromStr>(s: &str, what: &str) -> T {
    s.trim().parse().unwrap_or_else(|_| panic!("debugfs golden: bad number {s:?} for {what}"))
}

fn hex(s: &str) -> u32 {
    u32::from_str_radix(s.trim().trim_start_matches("0x"), 16).unwrap_or_else(|_| panic!("bad hex {s:?}"))
}

fn after<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    line.split_once(key).map(|(_, r)| r.split_whitespace().next().unwrap_or(""))
}

fn range(s: &str) -> (u64, u64) {
    match s.split_once('-') {
        Some((a, b)) => (num(a, "range"), num(b, "range")),
        None => {
            let a = num(s, "range");
            (a, a)
        }
    }
}

/// Parse a `BLOCKS:`/`EXTENTS:` list line.
pub fn parse_list(line: &str) -> Vec<Labelled> {
    let mut out = Vec::new();
    for item in line.split(", ").map(str::trim).filter(|s| !s.is_empty()) {
        let (label, phys) = item
            .strip_prefix('(')
            .and_then(|r| r.split_once("):"))
            .unwrap_or_else(|| panic!("debugfs golden: bad list item {item:?}"));
        if label.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) {
            out.push(Labelled::Meta(label.to_string(), num(phys, "meta block")));
            continue;
        }
        let (label, uninit) = match label.strip_suffix("[u]") {
            Some(l) => (l, true),
            None => (label, false),
        };
        let (l0, l1) = range(label);
        let (p0, p1) = range(phys);
        assert_eq!(l1 - l0, p1 - p0, "debugfs golden: uneven range {item:?}");
        for i in 0..=(l1 - l0) {
            out.push(Labelled::Data(l0 + i, p0 + i, uninit));
        }
    }
    out
}

/// Parse one `ex` line.
pub fn parse_ex(line: &str) -> ExLine {
    let spaced = line.replace('/', " / ");
    let t: Vec<&str> = spaced.split_whitespace().collect();
    let uninit = t.last() == Some(&"Uninit");
    let t = if uninit { &t[..t.len() - 1] } else { &t[..] };
    // lvl / max ent / n lstart - lend pstart [- pend] len
    assert!(
        t.len() >= 11 && t[1] == "/" && t[4] == "/" && t[7] == "-",
        "debugfs golden: bad ex line {line:?}"
    );
    let leaf = t.len() == 13 && t[10] == "-";
    ExLine {
        level: num(t[0], "level"),
        max_level: num(t[2], "max level"),
        entry: num(t[3], "entry"),
        entries: num(t[5], "entries"),
        lstart: num(t[6], "lstart"),
        lend: num(t[8], "lend"),
        pstart: num(t[9], "pstart"),
        pend: leaf.then(|| num(t[11], "pend")),
        len: num(t[t.len() - 1], "len"),
        uninit,
    }
}

/// Every inode of an `inodes.txt` golden, in file order.
pub fn parse_inodes(text: &str) -> Vec<InodeGolden> {
    let mut out: Vec<InodeGolden> = Vec::new();
    // Split into (command, output lines).
    let mut sections: Vec<(String, Vec<&str>)> = Vec::new();
    for line in text.lines() {
        if let Some(cmd) = line.strip_prefix("debugfs: ") {
            sections.push((cmd.to_string(), Vec::new()));
        } else if let Some(s) = sections.last_mut() {
            s.1.push(line);
        }
    }
    for (cmd, lines) in sections {
        let (verb, arg) = cmd.split_once(' ').unwrap_or((&cmd, ""));
        let ino: u32 = num(arg.trim().trim_start_matches('<').trim_end_matches('>'), "inode number");
        match verb {
            "stat" => out.push(parse_stat(ino, &lines)),
            "ex" => {
                let g = out.last_mut().filter(|g| g.ino == ino).expect("ex after stat");
                g.ex = Some(
                    lines.iter().skip(1).filter(|l| !l.trim().is_empty()).map(|l| parse_ex(l)).collect(),
                );
            }
            "blocks" => {
                let g = out.last_mut().filter(|g| g.ino == ino).expect("blocks after stat");
                g.blocks = lines.iter().flat_map(|l| l.split_whitespace()).map(|w| num(w, "block")).collect();
            }
            other => panic!("debugfs golden: unexpected command {other}"),
        }
    }
    out
}

fn parse_stat(ino: u32, lines: &[&str]) -> InodeGolden {
    let mut g = InodeGolden { ino, ..Default::default() };
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let l = line.trim_start();
        if let Some(r) = l.strip_prefix("Inode: ") {
            assert_eq!(num::<u32>(r.split_whitespace().next().unwrap_or(""), "ino"), ino);
            let t = r.split_once("Type: ").expect("Type").1;
            g.type_name = t.split("   ").next().unwrap_or("").trim().to_string();
            g.perm = u16::from_str_radix(after(l, "Mode:").expect("Mode"), 8).expect("octal mode");
            g.flags = hex(after(l, "Flags:").expect("Flags"));
        } else if l.starts_with("Generation:") {
            g.generation = num(after(l, "Generation:").expect("gen"), "generation");
        } else if l.starts_with("User:") {
            g.uid = num(after(l, "User:").expect("uid"), "uid");
            g.gid = num(after(l, "Group:").expect("gid"), "gid");
            g.size = num(after(l, "Size:").expect("size"), "size");
        } else if l.starts_with("File ACL:") {
            g.file_acl = num(after(l, "File ACL:").expect("acl"), "file acl");
        } else if l.starts_with("Links:") {
            g.links = num(after(l, "Links:").expect("links"), "links");
            g.blockcount = num(after(l, "Blockcount:").expect("blockcount"), "blockcount");
        } else if let Some(r) = l.strip_prefix("Size of extra inode fields: ") {
            g.extra_isize = Some(num(r, "extra isize"));
        } else if let Some(r) = l.strip_prefix("Inode checksum: ") {
            g.checksum = Some(hex(r));
        } else if let Some(r) = l.strip_prefix("Size of inline data: ") {
            g.inline_size = Some(num(r, "inline size"));
        } else if let Some(r) = l.strip_prefix("Fast link dest: ") {
            g.fast_link = Some(r.trim_matches('"').to_string());
        } else if l.contains("Device major/minor number: ") {
            let r = l.split_once("number: ").expect("dev").1;
            let (maj, min) = r.split_whitespace().next().expect("dev").split_once(':').expect("maj:min");
            g.device = Some((num(maj, "major"), num(min, "minor")));
        } else if let Some((name, r)) = l
            .split_once(": 0x")
            .filter(|(n, _)| matches!(*n, "ctime" | "atime" | "mtime" | "crtime" | "dtime"))
        {
            let v = r.split_whitespace().next().unwrap_or("");
            let (s, x) = match v.split_once(':') {
                Some((s, x)) => (hex(s), Some(hex(x))),
                None => (hex(v), None),
            };
            g.times.push((name.to_string(), s, x));
        } else if l == "BLOCKS:" || l == "EXTENTS:" {
            let mut list = Vec::new();
            while let Some(next) = lines.get(i + 1) {
                if next.starts_with("TOTAL: ") {
                    break;
                }
                list.extend(parse_list(next));
                i += 1;
            }
            g.list = Some(list);
        } else if let Some(r) = l.strip_prefix("TOTAL: ") {
            g.total = Some(num(r, "total"));
        }
        i += 1;
    }
    g
}
