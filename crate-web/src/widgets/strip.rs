//! A file's logical address space as a strip (data / unwritten / hole / past
//! EOF), above where its runs sit on the disk.

use ext4scope_core::filemap::DataRun;
use yew::prelude::*;

/// Runs drawn at most (the rest are summarised in words).
const MAX_RUNS: usize = 5000;

/// Props.
#[derive(Properties, PartialEq)]
pub struct Props {
    /// Data runs in logical order.
    pub data: Vec<DataRun>,
    /// File size in bytes.
    pub size: u64,
    /// Block size.
    pub block_size: u32,
    /// Blocks in the file system.
    pub blocks_count: u64,
    /// Runs in the file when `data` holds only the first ones.
    #[prop_or_default]
    pub total: usize,
}

#[derive(Clone, Copy, PartialEq)]
enum Seg {
    Data,
    Unwritten,
    Hole,
    PastEof,
}

impl Seg {
    fn class(self) -> &'static str {
        match self {
            Seg::Data => "seg-data",
            Seg::Unwritten => "seg-unwritten",
            Seg::Hole => "seg-hole",
            Seg::PastEof => "seg-eof",
        }
    }
    fn words(self) -> &'static str {
        match self {
            Seg::Data => "data",
            Seg::Unwritten => "unwritten (reads as zeros)",
            Seg::Hole => "hole (reads as zeros)",
            Seg::PastEof => "allocated past end of file",
        }
    }
}

/// Logical segments `(start, len, kind)`.
fn segments(data: &[DataRun], eof: u64) -> Vec<(u64, u64, Seg)> {
    let mut out = Vec::new();
    let mut at = 0u64;
    for r in data.iter().take(MAX_RUNS) {
        if r.logical > at {
            let end = r.logical.min(eof.max(at));
            if end > at {
                out.push((at, end - at, Seg::Hole));
            }
        }
        let kind = if r.unwritten { Seg::Unwritten } else { Seg::Data };
        let (a, b) = (r.logical, r.logical_end());
        if a < eof {
            out.push((a, b.min(eof) - a, kind));
        }
        if b > eof {
            let s = a.max(eof);
            out.push((s, b - s, Seg::PastEof));
        }
        at = at.max(b);
    }
    if at < eof {
        out.push((at, eof - at, Seg::Hole));
    }
    out
}

fn rect(x: f64, w: f64, class: &'static str, title: String) -> Html {
    html! {
        <rect class={class} x={format!("{x:.3}")} y="0" width={format!("{:.3}", w.max(0.25))} height="1">
            <title>{ title }</title>
        </rect>
    }
}

/// The strips.
#[component]
pub fn Strip(props: &Props) -> Html {
    let bs = u64::from(props.block_size.max(1));
    let eof = props.size.div_ceil(bs);
    let last = props.data.last().map_or(0, |r| r.logical_end());
    let total = eof.max(last).max(1);
    let segs = segments(&props.data, eof);
    let scale = 1000.0 / total as f64;
    let logical = segs.iter().map(|&(s, l, k)| {
        rect(
            s as f64 * scale,
            l as f64 * scale,
            k.class(),
            format!("logical blocks {}-{}: {}", s, s + l - 1, k.words()),
        )
    });
    let disk = props.blocks_count.max(1);
    let pscale = 1000.0 / disk as f64;
    let physical = props.data.iter().take(MAX_RUNS).map(|r| {
        rect(
            r.physical as f64 * pscale,
            r.len as f64 * pscale,
            if r.unwritten { "seg-unwritten" } else { "seg-data" },
            format!(
                "physical blocks {}-{} (logical {}-{})",
                r.physical,
                r.physical + r.len.saturating_sub(1),
                r.logical,
                r.logical_end().saturating_sub(1)
            ),
        )
    });
    let runs = props.data.len().max(props.total);
    let drawn = props.data.len().min(MAX_RUNS);
    let cut = (runs > drawn).then(|| format!("Only the first {drawn} of {runs} runs are drawn."));
    let counts = |k: Seg| segs.iter().filter(|s| s.2 == k).map(|s| s.1).sum::<u64>();
    html! {
        <div class="strips" data-testid="strip">
            <div class="strip-label">
                <span>{ "Logical blocks" }</span>
                <span class="muted num">{ format!("0 … {}", total - 1) }</span>
            </div>
            <svg class="strip" viewBox="0 0 1000 1" preserveAspectRatio="none" role="img"
                 aria-label="The file's logical blocks: data, unwritten, holes, past EOF">
                <rect class="seg-bg" x="0" y="0" width="1000" height="1" />
                { for logical }
            </svg>
            <div class="strip-label">
                <span>{ "Where they are on the disk" }</span>
                <span class="muted num">{ format!("block 0 … {}", disk - 1) }</span>
            </div>
            <svg class="strip" viewBox="0 0 1000 1" preserveAspectRatio="none" role="img"
                 aria-label="Where the file's runs are on the disk">
                <rect class="seg-bg" x="0" y="0" width="1000" height="1" />
                { for physical }
            </svg>
            <div class="legend small">
                { for [Seg::Data, Seg::Unwritten, Seg::Hole, Seg::PastEof].into_iter().map(|k| html! {
                    <span class="legend-item"><span class={classes!("swatch", k.class())}></span>
                        { format!("{} ({} blocks)", k.words(), counts(k)) }</span>
                }) }
            </div>
            if let Some(c) = cut { <p class="muted small">{ c }</p> }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(logical: u64, physical: u64, len: u64, unwritten: bool) -> DataRun {
        DataRun { logical, physical, len, unwritten }
    }

    #[test]
    fn holes_unwritten_and_past_eof() {
        let s = segments(&[run(2, 100, 2, false), run(4, 200, 2, true), run(8, 300, 4, false)], 10);
        let kinds: Vec<_> = s.iter().map(|x| (x.0, x.1, x.2.class())).collect();
        assert_eq!(
            kinds,
            [
                (0, 2, "seg-hole"),
                (2, 2, "seg-data"),
                (4, 2, "seg-unwritten"),
                (6, 2, "seg-hole"),
                (8, 2, "seg-data"),
                (10, 2, "seg-eof"),
            ]
        );
        assert_eq!(segments(&[], 3).len(), 1);
    }
}
