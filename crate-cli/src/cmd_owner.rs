//! `ext4scope owner IMAGE BLOCK...`: who claims a block (like debugfs `icheck`,
//! plus the metadata kinds debugfs does not name).

use ext4scope_core::ownership::OwnerReport;

/// `ext4scope owner`. With `layout_only`, no scan: only metadata at fixed places is known.
pub fn run(path: &str, blocks: &[u64], json: bool, layout_only: bool) -> Result<(), String> {
    let fs = crate::open(path)?;
    let map = if layout_only { None } else { Some(crate::cmd_scan::scan_with_progress(&fs)?.into_map()) };
    let mut reports: Vec<OwnerReport> = Vec::with_capacity(blocks.len());
    for &b in blocks {
        reports.push(fs.owner_of(b, map.as_ref()).map_err(|e| format!("{path}: {e}"))?);
    }
    if json {
        return match reports.as_slice() {
            [one] => crate::print_json(one),
            many => crate::print_json(&many),
        };
    }
    outln!("Block\tKind\tInode\tDetail");
    for r in &reports {
        if r.owners.is_empty() {
            let bm = match r.bitmap_says_used {
                Some(true) => " (but the bitmap says in use)",
                _ => "",
            };
            let unknown = if r.scan_complete { "" } else { " (data owners not scanned)" };
            outln!("{}\t<block not found>{bm}{unknown}", r.block);
        }
        for o in &r.owners {
            let ino = o.inode.map(|i| i.to_string()).unwrap_or_else(|| "-".into());
            outln!("{}\t{}\t{ino}\t{}", r.block, o.kind.name(), o.detail);
        }
        if r.multiply_claimed {
            let legal = if r.shared_blocks { " (legal: shared_blocks)" } else { "" };
            outln!("{}\tMULTIPLY CLAIMED{legal}", r.block);
        }
    }
    Ok(())
}
