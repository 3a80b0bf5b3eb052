//! A checksum verdict: `crc32c ok`, `crc16 BAD: stored …, computed …`, or
//! `not checksummed`.

use ext4scope_core::format::group_desc::ChecksumStatus;
use yew::prelude::*;

use crate::format;

/// Props.
#[derive(Properties, PartialEq)]
pub struct Props {
    /// The verdict.
    pub status: ChecksumStatus,
    /// Short form for table cells (the full words go to the hover text).
    #[prop_or_default]
    pub compact: bool,
}

/// The verdict as a badge.
#[component]
pub fn Checksum(props: &Props) -> Html {
    let (class, full) = format::checksum(&props.status);
    let text = if props.compact { format::checksum_compact(&props.status).1 } else { full.clone() };
    html! { <span class={classes!("badge", class)} data-checksum={class} title={full}>{ text }</span> }
}
