//! An inode's extended attributes: name, value (text when printable, POSIX
//! ACLs decoded, else hex; long values cut with "show all"), where each lives
//! (in the inode, in the xattr block, in an EA inode), the entry hash, the
//! block's header and checksum, and problems.

use std::collections::BTreeSet;

use ext4scope_core::format::xattr::{
    Xattr, XattrPlace, XattrReport, INDEX_POSIX_ACL_ACCESS, INDEX_POSIX_ACL_DEFAULT,
};
use ext4scope_core::Severity;
use yew::prelude::*;

use crate::route::{ImageRef, Link, Route};
use crate::state::Shared;
use crate::widgets::checksum::Checksum;

/// Characters of text shown before "show all".
const TEXT_SHOWN: usize = 160;
/// Bytes of hex shown before "show all".
const HEX_SHOWN: usize = 48;

/// Props.
#[derive(Properties, PartialEq)]
pub struct Props {
    /// The attributes.
    pub report: Shared<XattrReport>,
    /// Fingerprint for links.
    pub fp: ImageRef,
}

/// Bytes as `01 02 ff`.
pub fn hex(v: &[u8]) -> String {
    v.iter().map(|b| format!("{b:02x}")).collect::<Vec<_>>().join(" ")
}

fn is_acl(x: &Xattr) -> bool {
    x.name_index == INDEX_POSIX_ACL_ACCESS || x.name_index == INDEX_POSIX_ACL_DEFAULT
}

fn place(x: &Xattr, block: Option<u64>, fp: &ImageRef) -> (String, Html) {
    let link = |r: Route, t: String| html! { <a href={Link::new(r, fp.clone()).to_hash()}>{ t }</a> };
    let entry = match (x.place, block) {
        (XattrPlace::Inode, _) => html! { <>{ format!("in inode (offset {})", x.entry_offset) }</> },
        (XattrPlace::Block, Some(b)) => html! {
            <>{ "block " }{ link(Route::Block(b), b.to_string()) }<span class="muted">{ format!(" offset {}", x.entry_offset) }</span></>
        },
        (XattrPlace::Block, None) => html! { { "block" } },
    };
    if x.value_inum != 0 {
        let html = html! {
            <>{ "value in EA inode " }{ link(Route::Inode(x.value_inum), x.value_inum.to_string()) }
              <div class="muted small">{ "entry " }{ entry }</div></>
        };
        return ("ea_inode".into(), html);
    }
    let kind = match x.place {
        XattrPlace::Inode => "inode",
        XattrPlace::Block => "block",
    };
    (kind.into(), entry)
}

fn hash_badge(x: &Xattr) -> Html {
    let h = &x.hash;
    match (h.ok, h.computed) {
        (Some(true), _) => {
            html! { <span class="badge ok" title={format!("e_hash 0x{:08x}", h.stored)}>{ "ok" }</span> }
        }
        (Some(false), Some(c)) => html! {
            <span class="badge bad">{ format!("BAD: stored 0x{:08x}, computed 0x{c:08x}", h.stored) }</span>
        },
        (Some(false), None) => {
            html! { <span class="badge bad">{ format!("BAD: 0x{:08x}", h.stored) }</span> }
        }
        (None, _) if h.stored == 0 && x.place == XattrPlace::Inode => html! {
            <span class="badge" title="e_hash 0 in the inode: old kernels did not set it; the kernel does not check it">{ "not set" }</span>
        },
        (None, _) => {
            html! { <span class="badge" title="the value could not be read">{ "not checked" }</span> }
        }
    }
}

/// The value cell: text or hex, cut unless `all`.
fn value(x: &Xattr, all: bool, toggle: Callback<MouseEvent>) -> Html {
    if !x.value_complete && x.value.is_empty() {
        return html! { <span class="bad-text">{ "could not be read (see problems)" }</span> };
    }
    if x.value.is_empty() {
        return html! { <span class="muted">{ "(empty)" }</span> };
    }
    let (text, long, kind) = match &x.value_text {
        Some(t) => {
            let long = t.chars().count() > TEXT_SHOWN;
            let shown = if long && !all { t.chars().take(TEXT_SHOWN).collect::<String>() } else { t.clone() };
            (shown, long, if is_acl(x) { "acl" } else { "text" })
        }
        None => {
            let long = x.value.len() > HEX_SHOWN;
            let shown = if long && !all { hex(&x.value[..HEX_SHOWN]) } else { hex(&x.value) };
            (shown, long, "hex")
        }
    };
    html! {
        <>
            if kind == "acl" { <span class="badge info" title="POSIX ACL, decoded as getfacl writes it">{ "ACL" }</span>{ " " } }
            <code class={classes!("xattr-value", kind)} data-testid="xattr-value">{ text }</code>
            if long && !all { <span class="muted">{ " …" }</span> }
            if long {
                { " " }
                <button type="button" class="button small" onclick={toggle} data-testid="xattr-show-all">
                    { if all { "show less".to_string() } else { format!("show all {} bytes", x.value.len()) } }
                </button>
            }
            if !x.value_complete { <div class="bad-text small">{ "only part of the value could be read" }</div> }
        </>
    }
}

/// The list.
#[component]
pub fn XattrList(props: &Props) -> Html {
    let open = use_state(BTreeSet::<usize>::new);
    let r = &*props.report;
    let fp = &props.fp;
    let block = r.block.as_ref().map(|b| b.block);
    let rows = r.entries.iter().enumerate().map(|(i, x)| {
        let all = open.contains(&i);
        let toggle = {
            let open = open.clone();
            Callback::from(move |_: MouseEvent| {
                let mut s = (*open).clone();
                if !s.remove(&i) {
                    s.insert(i);
                }
                open.set(s);
            })
        };
        let (kind, where_html) = place(x, block, fp);
        html! {
            <tr data-testid="xattr" data-name={x.name.clone()} data-size={x.value_size.to_string()} data-place={kind}
                data-value-hex={hex(&x.value)} data-hash={format!("{:?}", x.hash.ok)}>
                <td><code>{ &x.name }</code></td>
                <td class="xattr-value-cell">{ value(x, all, toggle) }</td>
                <td class="num right">{ x.value_size }</td>
                <td>{ where_html }</td>
                <td>{ hash_badge(x) }</td>
            </tr>
        }
    });
    html! {
        <div class="xattrs" data-testid="xattrs">
            <p class="muted small">
                { format!("{} attribute{}", r.entries.len(), if r.entries.len() == 1 { "" } else { "s" }) }
                { format!(" · in-inode space {} bytes", r.in_inode_space) }
                if r.in_inode_space > 0 && !r.in_inode_magic { { " (no xattr header there)" } }
            </p>
            if !r.entries.is_empty() {
                <table class="grid-table xattr-table">
                    <thead><tr>
                        <th>{ "Name" }</th><th>{ "Value" }</th><th class="right">{ "Bytes" }</th><th>{ "Where" }</th>
                        <th title="e_hash: the entry's hash of its name and value">{ "Hash" }</th>
                    </tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
            }
            if let Some(b) = &r.block {
                <dl class="kv xattr-block" data-testid="xattr-block" data-block={b.block.to_string()}>
                    <dt>{ "xattr block" }</dt>
                    <dd class="num"><a href={Link::new(Route::Block(b.block), fp.clone()).to_hash()}>{ b.block }</a></dd>
                    <dt>{ "Shared by" }</dt><dd class="num">{ format!("{} inode{} (h_refcount)", b.refcount, if b.refcount == 1 { "" } else { "s" }) }</dd>
                    <dt>{ "h_hash" }</dt>
                    <dd class="num">
                        if b.hash == b.hash_computed {
                            <span class="badge ok">{ format!("0x{:08x} ok", b.hash) }</span>
                        } else {
                            <span class="badge warn" title="the kernel does not check h_hash; it only helps share blocks">
                                { format!("stored 0x{:08x}, computed 0x{:08x}", b.hash, b.hash_computed) }
                            </span>
                        }
                    </dd>
                    <dt>{ "Checksum" }</dt><dd data-field="xattr-block-checksum"><Checksum status={b.checksum} /></dd>
                </dl>
            }
            if !r.problems.is_empty() {
                <ul class="problems compact" data-testid="xattr-problems">
                    { for r.problems.iter().map(|p| {
                        let sev = match p.severity { Severity::Info => "info", Severity::Warning => "warning", Severity::Error => "error" };
                        html! { <li class={classes!("problem", sev)}><span class={classes!("badge", sev)}>{ sev }</span>{ " " }{ &p.message }</li> }
                    }) }
                </ul>
            }
        </div>
    }
}
