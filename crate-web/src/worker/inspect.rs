//! The worker's answers for the inspector views: inodes, file content, blocks,
//! the block ownership scan and group bitmaps. Free of browser calls: native
//! tests drive it over fixture images.

use ext4scope_core::ownership::{OwnerKind, Scanner};
use ext4scope_core::Fs;

use super::protocol::{Request, Response, WorkerError, MAX_BUCKETS, MAX_CHUNK};
use crate::b64;

/// At most this many scan problems per answer.
const MAX_PROBLEMS: usize = 50;

/// Answer one inspector request for the open `fs`; `scan` is the session's
/// ownership scan (started on the first [`Request::Scan`]).
pub fn answer(fs: &Fs, scan: &mut Option<Scanner>, request: Request) -> Result<Response, WorkerError> {
    Ok(match request {
        Request::Inode { ino } => Response::Inode { report: Box::new(fs.inode_report(ino)?) },
        Request::ReadFile { ino, offset, len } => {
            let inode = fs.inode(ino)?;
            let data = fs.read_file(&inode, offset, len.min(MAX_CHUNK) as usize)?;
            Response::FileChunk { offset, data: b64::encode(&data), size: inode.size() }
        }
        Request::Block { block } => {
            let map = scan.as_mut().map(|s| &*s.map());
            let decoded = fs.decode_block(block, map)?;
            let data = fs.block(block)?;
            let (owner, owner_error) = match fs.owner_of(block, map) {
                Ok(o) => (Some(Box::new(o)), None),
                Err(e) => (None, Some(e.to_string())),
            };
            Response::Block { data: b64::encode(&data), decoded: Box::new(decoded), owner, owner_error }
        }
        Request::Scan { budget, start, end, buckets } => {
            let s = scan.get_or_insert_with(|| Scanner::new(fs));
            let mut error = None;
            if budget > 0 && !s.is_done() {
                if let Err(e) = s.step(fs, budget) {
                    error = Some(e.to_string());
                }
            }
            let progress = s.progress();
            let report_problems = if s.is_done() { s.report(fs).problems } else { Vec::new() };
            let map = s.map();
            let summary = map.summary(start, end, buckets.clamp(1, MAX_BUCKETS));
            let mut packed = Vec::with_capacity(summary.buckets.len() * 8);
            for (i, b) in summary.buckets.iter().enumerate() {
                let a = summary.start + i as u64 * summary.blocks_per_bucket;
                let n = summary.blocks_per_bucket.min(summary.end.saturating_sub(a)).max(1);
                let share = (b.used.min(n) * 255 / n) as u8;
                let flags = u8::from(b.multiply_claimed)
                    | (u8::from(b.bitmap_difference) << 1)
                    | (u8::from(b.used >= n) << 2);
                packed.extend_from_slice(&[b.dominant as u8, share, flags, 0]);
                packed.extend_from_slice(&b.kinds.to_le_bytes());
            }
            Response::Scan {
                progress,
                start: summary.start,
                end: summary.end,
                per: summary.blocks_per_bucket,
                buckets: b64::encode(&packed),
                by_kind: map.blocks_by_kind(),
                problems: report_problems.into_iter().take(MAX_PROBLEMS).collect(),
                error,
            }
        }
        Request::GroupDetail { group } => {
            let report = fs.group_report(group).ok_or_else(|| WorkerError::Core {
                error: ext4scope_core::Error::corrupt(
                    "group descriptor",
                    ext4scope_core::Location::default(),
                    format!(
                        "group {group} does not exist (the file system has {} groups)",
                        fs.geo.groups_count
                    ),
                ),
            })?;
            Response::Group { report: Box::new(report), detail: Box::new(fs.group_bitmaps(group)) }
        }
        other => {
            return Err(WorkerError::BadRequest { message: format!("not an inspector request: {other:?}") })
        }
    })
}

/// Unpack one bucket of [`Response::Scan::buckets`]: (dominant kind, used
/// share 0-255, flags, kinds mask).
pub fn bucket(packed: &[u8], i: usize) -> Option<(OwnerKind, u8, u8, u32)> {
    let b = packed.get(i * 8..i * 8 + 8)?;
    Some((OwnerKind::from_code(b[0]), b[1], b[2], u32::from_le_bytes([b[4], b[5], b[6], b[7]])))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::worker::session::Session;
    use std::io::Read;

    fn session(fixture: &str) -> Session {
        let path = format!("{}/../tests/fixtures/images/{fixture}.img.gz", env!("CARGO_MANIFEST_DIR"));
        let gz = std::fs::read(&path).expect("fixture");
        let mut img = Vec::new();
        flate2::read::GzDecoder::new(&gz[..]).read_to_end(&mut img).expect("gunzip");
        let mut s = Session::new();
        s.handle(Request::Open { name: fixture.into() }, Some(Box::new(img)));
        assert!(s.is_open());
        s
    }

    #[test]
    fn inode_and_file_chunks() {
        let mut s = session("extents");
        let Response::Inode { report } = s.handle(Request::Inode { ino: 2 }, None) else { panic!("inode") };
        assert_eq!(report.ino, 2);
        // Root directory content read in two chunks equals one read.
        let r = |s: &mut Session, offset, len| match s.handle(Request::ReadFile { ino: 2, offset, len }, None)
        {
            Response::FileChunk { data, size, .. } => (b64::decode(&data).expect("b64"), size),
            other => panic!("{}", other.kind()),
        };
        let (all, size) = r(&mut s, 0, 1 << 20);
        assert_eq!(all.len() as u64, size);
        let (a, _) = r(&mut s, 0, 100);
        let (b, _) = r(&mut s, 100, 1 << 20);
        assert_eq!([a, b].concat(), all);
        assert!(matches!(s.handle(Request::Inode { ino: 0 }, None), Response::Failed { .. }));
    }

    #[test]
    fn blocks_and_scan_summaries() {
        let mut s = session("default-1k");
        let Response::Block { data, decoded, owner, .. } = s.handle(Request::Block { block: 1 }, None) else {
            panic!("block")
        };
        assert_eq!(b64::decode(&data).map(|d| d.len()), Some(1024));
        assert_eq!(decoded.kind, Some(OwnerKind::Superblock));
        assert!(owner.is_some_and(|o| o.owners.iter().any(|x| x.kind == OwnerKind::Superblock)));
        assert!(matches!(s.handle(Request::Block { block: u64::MAX }, None), Response::Failed { .. }));

        let mut done = false;
        for _ in 0..10_000 {
            match s.handle(Request::Scan { budget: 64, start: 0, end: u64::MAX, buckets: 100 }, None) {
                Response::Scan { progress, buckets, per, start, end, error, .. } => {
                    assert_eq!(error, None);
                    let packed = b64::decode(&buckets).expect("b64");
                    assert_eq!(packed.len() as u64 / 8, (end - start).div_ceil(per));
                    assert!(packed.len() / 8 <= 100);
                    if progress.phase == ext4scope_core::ownership::Phase::Done {
                        done = true;
                        // Block 1 (the superblock) sits in the first bucket.
                        let (_, _, _, kinds) = bucket(&packed, 0).expect("bucket");
                        assert!(kinds & (1 << OwnerKind::Superblock as u32) != 0);
                        break;
                    }
                }
                other => panic!("{}", other.kind()),
            }
        }
        assert!(done, "scan finished");
        // With the scan done, the owner of a data block is known.
        let Response::Block { owner, .. } = s.handle(Request::Block { block: 1 }, None) else { panic!() };
        assert!(owner.is_some_and(|o| o.scan_complete));
    }

    #[test]
    fn group_detail() {
        let mut s = session("default-1k");
        let Response::Group { report, detail } = s.handle(Request::GroupDetail { group: 0 }, None) else {
            panic!("group")
        };
        assert_eq!(report.group, 0);
        let bb = detail.block.expect("block bitmap");
        assert_eq!(bb.recorded_free, report.free_blocks_count);
        assert!(matches!(s.handle(Request::GroupDetail { group: 1 << 30 }, None), Response::Failed { .. }));
    }
}
