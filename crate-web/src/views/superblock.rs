//! `#/super`: the superblock — sizes, counts, identity, features, checksum,
//! problems, the dumpe2fs -h summary, and what opening it cost.

use ext4scope_core::format::features::FeatureKind;
use ext4scope_core::report::InfoReport;
use ext4scope_core::{Problem, Severity};
use yew::prelude::*;

use crate::format;
use crate::route::{ImageRef, Link, Route};
use crate::state::OpenImage;
use crate::widgets::checksum::Checksum;
use crate::widgets::copy_link::CopyLink;

/// Props.
#[derive(Properties, PartialEq)]
pub struct Props {
    /// The open image.
    pub image: OpenImage,
}

/// A `<dt>/<dd>` pair; `field` names the value for tests and scripts.
fn kv(label: &str, field: &str, value: impl Into<Html>) -> Html {
    html! {
        <>
            <dt>{ label }</dt>
            <dd class="num" data-field={field.to_string()}>{ value.into() }</dd>
        </>
    }
}

/// Bytes, exact and readable: `4194304 B · 4 MiB`.
fn size(n: u64) -> Html {
    html! { <>{ format!("{n} B") }<span class="muted">{ format!(" · {}", format::bytes(n)) }</span></> }
}

/// A count with its share of a total, as text and a meter.
fn usage(label: &str, field: &str, free: u64, total: u64) -> Html {
    let used = total.saturating_sub(free);
    let pct = format::percent(used, total).unwrap_or_default();
    html! {
        <div class="usage">
            <div class="usage-head">
                <span>{ label }</span>
                <span class="num muted">{ format!("{pct} used") }</span>
            </div>
            <meter min="0" max={total.to_string()} value={used.to_string()} aria-label={format!("{label} used")}></meter>
            <div class="usage-foot num">
                <span><span data-field={field.to_string()}>{ free }</span>{ " free" }</span>
                <span>{ format!("of {total}") }</span>
            </div>
        </div>
    }
}

fn kind_name(k: FeatureKind) -> &'static str {
    match k {
        FeatureKind::Compat => "compat",
        FeatureKind::Incompat => "incompat",
        FeatureKind::RoCompat => "ro_compat",
    }
}

fn kind_help(k: FeatureKind) -> &'static str {
    match k {
        FeatureKind::Compat => "compatible: a kernel that does not know it may still read and write",
        FeatureKind::Incompat => "incompatible: a kernel that does not know it must not mount",
        FeatureKind::RoCompat => {
            "read-only compatible: a kernel that does not know it may only mount read-only"
        }
    }
}

fn features(info: &InfoReport) -> Html {
    let groups = [FeatureKind::Compat, FeatureKind::Incompat, FeatureKind::RoCompat].map(|kind| {
        let chips = info
            .feature_bits
            .iter()
            .filter(|f| f.kind == kind)
            .map(|f| {
                let title = if f.known {
                    format!("{} ({} bit 0x{:x})", f.kernel_name, kind_name(kind), f.bit)
                } else {
                    format!("unknown {} bit 0x{:x}: not a feature the kernel defines", kind_name(kind), f.bit)
                };
                html! {
                    <li class={classes!("chip", (!f.known).then_some("unknown"))} title={title}
                        data-feature={f.name.clone()} tabindex="0">
                        { &f.name }
                        if !f.known { <span class="chip-mark">{ " (unknown)" }</span> }
                    </li>
                }
            })
            .collect::<Vec<_>>();
        let empty = chips.is_empty();
        html! {
            <div class="feature-group">
                <h3 title={kind_help(kind)}>{ kind_name(kind) }</h3>
                if empty { <p class="muted small">{ "none" }</p> } else { <ul class="chips">{ for chips }</ul> }
            </div>
        }
    });
    html! { <div class="features">{ for groups }</div> }
}

fn problems(list: &[Problem], fp: &ImageRef) -> Html {
    if list.is_empty() {
        return html! { <p class="ok-text" data-testid="no-problems">{ "No problems found in the superblock and group descriptors." }</p> };
    }
    html! {
        <ul class="problems" data-testid="problems">
            { for list.iter().map(|p| {
                let sev = match p.severity { Severity::Info => "info", Severity::Warning => "warning", Severity::Error => "error" };
                let at = [
                    p.at.block.map(|b| format!("block {b}")),
                    p.at.byte.map(|o| format!("byte {o}")),
                ].into_iter().flatten().collect::<Vec<_>>().join(", ");
                let structure = match p.at.group {
                    Some(g) => html! {
                        <a href={Link::new(Route::Groups { focus: Some(g) }, fp.clone()).to_hash()}>{ &p.structure }</a>
                    },
                    None => html! { { &p.structure } },
                };
                html! {
                    <li class={classes!("problem", sev)}>
                        <span class={classes!("badge", sev)}>{ sev }</span>
                        <strong>{ structure }</strong>
                        if !at.is_empty() { <span class="muted num">{ format!(" ({at})") }</span> }
                        { ": " }{ &p.message }
                    </li>
                }
            }) }
        </ul>
    }
}

/// The page.
#[component]
pub fn SuperblockView(props: &Props) -> Html {
    let o = &props.image;
    let i: &InfoReport = &o.info;
    let fs_bytes = i.blocks_count.saturating_mul(u64::from(i.block_size));
    let label = if i.volume_name.is_empty() { "(no label)".to_string() } else { i.volume_name.clone() };
    let state_class = if i.state == "clean" { "ok" } else { "warn" };
    html! {
        <div class="superblock">
            <div class="title-row">
                <h1>
                    <span data-field="volume_name" class={classes!(i.volume_name.is_empty().then_some("muted"))}>{ label }</span>
                </h1>
                <span class="num muted" data-field="uuid" title="Filesystem UUID">{ &i.uuid }</span>
                <span class="spacer"></span>
                <span class={classes!("badge", state_class)} data-field="state" title="s_state">{ &i.state }</span>
                if i.needs_recovery {
                    <span class="badge warn" data-field="needs_recovery" title="INCOMPAT_RECOVER: the journal must be replayed">{ "needs recovery" }</span>
                }
                <span title="Superblock checksum (s_checksum)"><Checksum status={i.superblock_checksum} /></span>
                <CopyLink link={Link::new(Route::Superblock, props.image.at())} />
            </div>

            <div class="cards">
                <section class="card" aria-labelledby="h-size">
                    <h2 id="h-size">{ "Size" }</h2>
                    <dl class="kv">
                        { kv("Image", "image_len", size(i.image_len)) }
                        { kv("File system", "fs_bytes", size(fs_bytes)) }
                        { kv("Block size", "block_size", i.block_size) }
                        if i.cluster_size != u64::from(i.block_size) {
                            { kv("Cluster size", "cluster_size", i.cluster_size) }
                        }
                        { kv("Blocks", "blocks_count", i.blocks_count) }
                        { kv("Reserved blocks", "r_blocks_count", i.r_blocks_count) }
                        { kv("First block", "first_data_block", i.first_data_block) }
                        { kv("Inodes", "inodes_count", i.inodes_count) }
                        { kv("Inode size", "inode_size", i.inode_size) }
                    </dl>
                </section>

                <section class="card" aria-labelledby="h-groups">
                    <h2 id="h-groups">{ "Groups" }</h2>
                    <dl class="kv">
                        { kv("Block groups", "groups_count", html! {
                            <a href={Link::new(Route::Groups { focus: None }, props.image.at()).to_hash()}>{ i.groups_count }</a>
                        }) }
                        { kv("Blocks per group", "blocks_per_group", i.blocks_per_group) }
                        { kv("Inodes per group", "inodes_per_group", i.inodes_per_group) }
                        { kv("Descriptor size", "desc_size", i.desc_size) }
                    </dl>
                    { usage("Blocks", "free_blocks_count", i.free_blocks_count, i.blocks_count) }
                    { usage("Inodes", "free_inodes_count", u64::from(i.free_inodes_count), u64::from(i.inodes_count)) }
                </section>

                <section class="card" aria-labelledby="h-id">
                    <h2 id="h-id">{ "Identity" }</h2>
                    <dl class="kv">
                        { kv("Label", "label", if i.volume_name.is_empty() { "<none>".to_string() } else { i.volume_name.clone() }) }
                        { kv("UUID", "uuid_full", i.uuid.clone()) }
                        { kv("Last mounted on", "last_mounted", if i.last_mounted.is_empty() { "<not available>".to_string() } else { i.last_mounted.clone() }) }
                        { kv("State", "state_text", i.state.clone()) }
                        { kv("Needs recovery", "needs_recovery_text", if i.needs_recovery { "yes" } else { "no" }) }
                        { kv("Checksum", "sb_checksum", html! { <Checksum status={i.superblock_checksum} /> }) }
                        { kv("Fingerprint", "fingerprint", html! { <code title="for shareable links">{ &i.fingerprint }</code> }) }
                    </dl>
                </section>

            </div>

            <div class="cards">
                <section class="card span-2" aria-labelledby="h-features">
                    <h2 id="h-features">{ "Features" }</h2>
                    { features(i) }
                </section>

                <section class="card" aria-labelledby="h-io">
                    <h2 id="h-io">{ "I/O to open" }</h2>
                    <p class="muted small">{ "What the browser read from the image to open it, through the block cache." }</p>
                    <dl class="kv">
                        { kv("Reads", "io_reads", i.io.reads) }
                        { kv("Bytes read", "io_bytes", html! { <>{ i.io.bytes }<span class="muted">{ format!(" ({})", format::bytes(i.io.bytes)) }</span></> }) }
                        { kv("Share of the image", "io_share", format::percent(i.io.bytes, i.image_len).unwrap_or_else(|| "-".into())) }
                        { kv("Cache hits / misses", "io_cache", format!("{} / {}", i.io.hits, i.io.misses)) }
                    </dl>
                </section>
            </div>

            <section class="card wide" aria-labelledby="h-problems">
                <h2 id="h-problems">{ format!("Problems ({})", i.problems.len()) }</h2>
                { problems(&i.problems, &props.image.at()) }
            </section>

            <section class="card wide" aria-labelledby="h-summary">
                <h2 id="h-summary">{ "Summary" }<span class="muted small">{ " as dumpe2fs -h prints it" }</span></h2>
                <table class="summary" data-testid="summary">
                    <tbody>
                        { for i.summary.iter().map(|(k, v)| html! {
                            <tr data-key={k.clone()}><th scope="row">{ k }</th><td class="num">{ v }</td></tr>
                        }) }
                    </tbody>
                </table>
            </section>
        </div>
    }
}
