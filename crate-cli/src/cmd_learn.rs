//! `ext4scope learn` (the scenarios) and `ext4scope learn SCENARIO IMAGE
//! [--variant V] [--json]`: a guided scenario run on its sample image, every
//! step explained from what the simulator did.

use ext4scope_core::sim::scenario::{all, find, walk};

pub fn run(
    scenario: Option<&str>,
    image: Option<&str>,
    variant: Option<&str>,
    json: bool,
) -> Result<(), String> {
    let Some(name) = scenario else {
        if json {
            let list: Vec<_> = all()
                .iter()
                .map(|s| {
                    let variants: Vec<_> = s
                        .variants
                        .iter()
                        .map(|v| {
                            let steps: Vec<&str> = v.steps.unwrap_or(s.steps).to_vec();
                            serde_json::json!({ "name": v.name, "label": v.label, "steps": steps })
                        })
                        .collect();
                    serde_json::json!({
                        "name": s.name, "title": s.title, "sample": s.sample, "summary": s.summary, "variants": variants,
                    })
                })
                .collect();
            return crate::print_json(&serde_json::json!({ "scenarios": list }));
        }
        for s in all() {
            outln!("{:<16} {} (sample {})", s.name, s.title, s.sample);
            outln!("{:<16} {}", "", s.summary);
            let vs: Vec<&str> = s.variants.iter().map(|v| v.name).collect();
            outln!("{:<16} variants: {}", "", vs.join(", "));
        }
        return Ok(());
    };
    let s = find(name).ok_or_else(|| {
        format!("no scenario {name} (known: {})", all().iter().map(|s| s.name).collect::<Vec<_>>().join(", "))
    })?;
    let image = image.ok_or_else(|| {
        format!(
            "learn {name}: give the sample image ({}), e.g. static/samples/{}.img.gz gunzipped",
            s.sample, s.sample
        )
    })?;
    let v = match variant {
        None => 0,
        Some(v) => s.variants.iter().position(|x| x.name == v).ok_or_else(|| {
            format!(
                "--variant {v}: {name} has {}",
                s.variants.iter().map(|x| x.name).collect::<Vec<_>>().join(", ")
            )
        })?,
    };
    let fs = crate::open(image)?;
    let w = walk(&fs, &s, v).map_err(|e| format!("{image}: {e}"))?;
    if json {
        return crate::print_json(&w);
    }
    outln!("{}: {} ({})", s.name, s.title, s.variants[v].label);
    for st in &w.steps {
        outln!();
        outln!("step {}: {}", st.index + 1, st.ops);
        for n in &st.narration {
            outln!("  {n}");
        }
    }
    outln!();
    outln!("crash points:");
    for o in &w.crash_points {
        outln!("  {}", ext4scope_core::sim::scenario::explain(o));
    }
    Ok(())
}
