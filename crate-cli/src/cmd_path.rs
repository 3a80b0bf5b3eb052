//! `ext4scope path IMAGE INO...` (or `--all`): every path of an inode, from one
//! walk of the tree from the root (like debugfs `ncheck`, without its `//`
//! for the root's children).

use serde::Serialize;

/// What `path --json` prints.
#[derive(Serialize)]
struct PathReport<'a> {
    /// Inode number to its paths.
    paths: std::collections::BTreeMap<u32, &'a [String]>,
    /// Directories read.
    directories: u32,
    /// Problems met on the walk.
    problems: &'a [ext4scope_core::Problem],
}

/// `ext4scope path`.
pub fn run(path: &str, inos: &[String], all: bool, json: bool) -> Result<(), String> {
    let mut wanted = Vec::new();
    for s in inos {
        wanted.push(crate::cmd_inode::parse_ino(s).ok_or_else(|| format!("{s:?} is not an inode number"))?);
    }
    if wanted.is_empty() && !all {
        return Err(String::from("name inode numbers, or --all"));
    }
    let fs = crate::open(path)?;
    let ix = fs.path_index();
    let empty: &[String] = &[];
    let selected: std::collections::BTreeMap<u32, &[String]> = if all {
        ix.paths.iter().map(|(k, v)| (*k, v.as_slice())).collect()
    } else {
        wanted.iter().map(|i| (*i, ix.paths.get(i).map_or(empty, |v| v.as_slice()))).collect()
    };
    if json {
        let report = PathReport { paths: selected, directories: ix.directories, problems: &ix.problems };
        let mut s = serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?;
        s.push('\n');
        return crate::cmd_ls::write_stdout(s.as_bytes());
    }
    let mut missing = Vec::new();
    let mut text = String::new();
    for (ino, paths) in &selected {
        if paths.is_empty() {
            missing.push(*ino);
        }
        for p in *paths {
            text += &format!("{ino}\t{p}\n");
        }
    }
    crate::cmd_ls::write_stdout(text.as_bytes())?;
    for p in &ix.problems {
        eprintln!("ext4scope: {:?}: {}: {}", p.severity, p.structure, p.message);
    }
    if !missing.is_empty() {
        let list: Vec<String> = missing.iter().map(u32::to_string).collect();
        return Err(format!("no path from the root reaches inode {}", list.join(", ")));
    }
    Ok(())
}
