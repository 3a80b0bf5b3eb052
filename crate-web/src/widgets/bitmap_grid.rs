//! A bitmap drawn as a grid on a canvas: one cell per bit (block, cluster or
//! inode), wrapping to the width of the page so 32768 bits fit at 1280×800.
//! The parent says what each cell is (a code into a palette); hover says
//! which block or inode a cell is, click opens it.

use gloo::events::EventListener;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};
use yew::prelude::*;

use crate::grid::bitmap_geometry;
use crate::state::Shared;

/// Props.
#[derive(Properties, PartialEq)]
pub struct Props {
    /// One code per cell, an index into `palette`.
    pub cells: Shared<Vec<u8>>,
    /// A CSS colour per code.
    pub palette: Vec<&'static str>,
    /// About this tall (CSS pixels) for the whole grid; cells stay 2-14 px.
    pub target_height: f64,
    /// Hover text for cell `i`.
    pub describe: Callback<u32, String>,
    /// Cell `i` was clicked.
    pub open: Callback<u32>,
    /// `data-testid` of the canvas.
    pub testid: AttrValue,
    /// Words for screen readers.
    pub label: AttrValue,
    /// Number of the thing bit 0 stands for (a block or an inode), for scripts.
    pub first: u64,
    /// Step between the things consecutive bits stand for (cluster ratio, or 1).
    pub scale: u64,
}

fn draw(canvas: &HtmlCanvasElement, cells: &[u8], palette: &[&str], cell: f64, cols: usize, bg: &str) {
    let Some(ctx) =
        canvas.get_context("2d").ok().flatten().and_then(|c| c.dyn_into::<CanvasRenderingContext2d>().ok())
    else {
        return;
    };
    let dpr = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio());
    let _ = ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0);
    let rows = cells.len().div_ceil(cols.max(1));
    let (w, h) = (cols as f64 * cell, rows as f64 * cell);
    ctx.clear_rect(0.0, 0.0, w + cell, h + cell);
    // Bitmaps come in long runs: one rectangle per run of a row.
    for r in 0..rows {
        let row = &cells[r * cols..((r + 1) * cols).min(cells.len())];
        let mut c = 0;
        while c < row.len() {
            let code = row[c];
            let mut e = c + 1;
            while e < row.len() && row[e] == code {
                e += 1;
            }
            ctx.set_fill_style_str(palette.get(usize::from(code)).copied().unwrap_or("#ff00ff"));
            ctx.fill_rect(c as f64 * cell, r as f64 * cell, (e - c) as f64 * cell, cell);
            c = e;
        }
    }
    // Gaps between cells, once they are big enough to see.
    if cell >= 5.0 {
        ctx.set_fill_style_str(bg);
        for c in 1..cols {
            ctx.fill_rect(c as f64 * cell - 1.0, 0.0, 1.0, h);
        }
        for r in 1..rows {
            ctx.fill_rect(0.0, r as f64 * cell - 1.0, w, 1.0);
        }
    }
}

/// Background colour of the page (for the gaps between cells).
fn background() -> &'static str {
    let dark = web_sys::window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .is_some_and(|m| m.matches());
    if dark {
        "#171b21"
    } else {
        "#ffffff"
    }
}

/// The grid.
#[component]
pub fn BitmapGrid(props: &Props) -> Html {
    let canvas = use_node_ref();
    let wrap = use_node_ref();
    let width = use_state_eq(|| 0.0f64);
    let hover = use_state_eq(|| None::<u32>);
    {
        // Measure the width once mounted and whenever the window resizes.
        let (wrap, width) = (wrap.clone(), width.clone());
        use_effect_with((), move |_| {
            let measure = move || {
                if let Some(el) = wrap.cast::<web_sys::HtmlElement>() {
                    width.set(f64::from(el.client_width()));
                }
            };
            measure();
            let listener = web_sys::window().map(|w| EventListener::new(&w, "resize", move |_| measure()));
            move || drop(listener)
        });
    }
    let zoom = use_state_eq(|| 1u32);
    let n = props.cells.len();
    let (cell, cols, rows) = bitmap_geometry(width.max(100.0), n, props.target_height, *zoom);
    {
        let canvas = canvas.clone();
        let cells = props.cells.clone();
        let palette = props.palette.clone();
        use_effect_with(
            (cells, palette, *width, props.target_height, *zoom),
            move |(cells, palette, w, _, _)| {
                if *w <= 0.0 {
                    return;
                }
                if let Some(c) = canvas.cast::<HtmlCanvasElement>() {
                    let dpr = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio());
                    let (css_w, css_h) = (cols as f64 * cell, rows as f64 * cell);
                    // Sizes through the CSSOM: the page's CSP allows no inline styles.
                    let _ = c.style().set_property("width", &format!("{css_w}px"));
                    let _ = c.style().set_property("height", &format!("{css_h}px"));
                    c.set_width((css_w * dpr).round() as u32);
                    c.set_height((css_h * dpr).round() as u32);
                    draw(&c, cells, palette, cell, cols, background());
                }
            },
        );
    }
    let cursor = use_node_ref();
    {
        // Outline the cell under the pointer (placed through the CSSOM).
        let cursor = cursor.clone();
        use_effect_with((*hover, cols, cell.to_bits()), move |(hover, cols, _)| {
            if let Some(el) = cursor.cast::<web_sys::HtmlElement>() {
                let st = el.style();
                match hover {
                    Some(i) => {
                        let (c, r) = (*i as usize % cols.max(&1), *i as usize / cols.max(&1));
                        let _ = st.set_property("left", &format!("{}px", c as f64 * cell - 1.0));
                        let _ = st.set_property("top", &format!("{}px", r as f64 * cell - 1.0));
                        let _ = st.set_property("width", &format!("{}px", cell + 2.0));
                        let _ = st.set_property("height", &format!("{}px", cell + 2.0));
                        let _ = st.set_property("display", "block");
                    }
                    None => {
                        let _ = st.set_property("display", "none");
                    }
                }
            }
        });
    }
    let at = move |e: &MouseEvent| -> Option<u32> {
        let (x, y) = (f64::from(e.offset_x()), f64::from(e.offset_y()));
        if x < 0.0 || y < 0.0 {
            return None;
        }
        let (c, r) = ((x / cell) as usize, (y / cell) as usize);
        let i = r.checked_mul(cols)?.checked_add(c)?;
        (c < cols && i < n).then_some(i as u32)
    };
    let onmousemove = {
        let hover = hover.clone();
        Callback::from(move |e: MouseEvent| hover.set(at(&e)))
    };
    let onmouseleave = {
        let hover = hover.clone();
        Callback::from(move |_: MouseEvent| hover.set(None))
    };
    let onclick = {
        let open = props.open.clone();
        Callback::from(move |e: MouseEvent| {
            if let Some(i) = at(&e) {
                open.emit(i);
            }
        })
    };
    let text = match *hover {
        Some(i) => props.describe.emit(i),
        None => "Point at a cell to see what it is; click to open it.".to_string(),
    };
    let zoom_button = |z: u32, label: &'static str| {
        let zoom = zoom.clone();
        let current = *zoom == z;
        html! {
            <button type="button" class={classes!("button", "small", current.then_some("current"))} aria-pressed={current.to_string()}
                    onclick={Callback::from(move |_: MouseEvent| zoom.set(z))}>{ label }</button>
        }
    };
    html! {
        <div class="bitmap-grid">
            <div class="grid-zoom small">
                <span class="muted">{ format!("{n} cells of {cell} px, {cols} per row ·") }</span>
                { zoom_button(1, "fit") }{ zoom_button(2, "2×") }{ zoom_button(4, "4×") }
            </div>
            <div class="bitmap-wrap" ref={wrap}>
                <canvas class="bitmap-canvas" ref={canvas} role="img" aria-label={props.label.clone()}
                        data-testid={props.testid.clone()} data-cols={cols.to_string()} data-cell={cell.to_string()}
                        data-bits={n.to_string()} data-first={props.first.to_string()} data-scale={props.scale.to_string()}
                        {onmousemove} {onmouseleave} {onclick}></canvas>
                <div class="bitmap-cursor" ref={cursor} aria-hidden="true"></div>
            </div>
            <p class="map-hover small num" data-testid={format!("{}-hover", props.testid)}>{ text }</p>
        </div>
    }
}
