//! Laying out cells on a canvas (the block map, bitmap grids).

/// Largest cell side, CSS pixels: a tiny disk does not become a few huge squares.
pub const MAX_CELL: f64 = 40.0;

/// How many columns of square cells lay `n` cells out over a `w` x `h`
/// area (CSS pixels) with cells as large as fit (at most [`MAX_CELL`]), in
/// whole rows from the top.
pub fn fill_cols(n: usize, w: f64, h: f64) -> usize {
    let n = n.max(1);
    if !(w > 0.0 && h > 0.0) {
        return n;
    }
    let mut cell = (w * h / n as f64).sqrt().min(MAX_CELL);
    let mut cols = 1;
    // Shrinks by 2% a step: from any start it fits long before the bound.
    for _ in 0..5000 {
        cols = ((w / cell).floor() as usize).max(1);
        // Cells are w / cols wide; the rows must fit the height.
        if n.div_ceil(cols) as f64 * (w / cols as f64) <= h + 0.5 {
            break;
        }
        cell *= 0.98;
    }
    cols
}

/// Cell size and columns for `n` cells in `width` CSS pixels, aiming at
/// `target` pixels of height, cells `zoom` times that size: (cell, cols,
/// rows). Columns are a multiple of 8 when there is room, so rows start at
/// round bit numbers.
pub fn bitmap_geometry(width: f64, n: usize, target: f64, zoom: u32) -> (f64, usize, usize) {
    let n = n.max(1);
    let ideal = (width * target / n as f64).sqrt().floor();
    let cell = (ideal.clamp(2.0, 14.0) * f64::from(zoom.max(1))).min(32.0);
    let mut cols = ((width / cell).floor() as usize).max(1);
    if cols >= 16 {
        cols -= cols % 8;
    }
    let cols = cols.min(n);
    (cell, cols, n.div_ceil(cols))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(n: usize, w: f64, h: f64) -> (usize, f64) {
        let cols = fill_cols(n, w, h);
        let cell = w / cols as f64;
        let rows = n.div_ceil(cols);
        assert!(rows as f64 * cell <= h + 0.5, "{n} cells: {cols} cols of {cell} px overflow {h}");
        assert!(cell <= MAX_CELL * 1.1, "{n} cells of {cell} px");
        (cols, cell)
    }

    #[test]
    fn fills_the_area() {
        // 8192 buckets on the block map's 1188 x 438 canvas: most of it used.
        let (cols, cell) = check(8192, 1188.0, 438.0);
        let used = (8192f64 / cols as f64).ceil() * cell * 1188.0;
        assert!(used / (1188.0 * 438.0) > 0.85, "{cols} cols, {cell} px cells use {used}");
        // Tiny and huge counts.
        assert!(check(1, 1188.0, 438.0).1 >= MAX_CELL * 0.9);
        assert!(check(4, 1188.0, 438.0).1 >= MAX_CELL * 0.9);
        assert!(check(50, 1188.0, 438.0).1 >= MAX_CELL * 0.9);
        assert!(check(14_000, 1188.0, 438.0).1 >= 5.0);
        check(40_000, 1188.0, 438.0);
        check(3, 10.0, 1000.0);
        assert_eq!(fill_cols(0, 0.0, 0.0), 1);
        assert!(fill_cols(100, 1000.0, 0.001) >= 1);
        assert_eq!(fill_cols(10, f64::NAN, 5.0), 10);
    }

    #[test]
    fn bitmap_grids_wrap_to_the_width() {
        // 32768 bits on the group page's 1152 px card: whole, under ~480 px, round rows.
        let (cell, cols, rows) = bitmap_geometry(1152.0, 32768, 460.0, 1);
        assert!(cols as f64 * cell <= 1152.0 && cols % 8 == 0, "{cell} {cols}");
        assert!(cols * rows >= 32768 && (rows - 1) * cols < 32768);
        assert!(rows as f64 * cell <= 480.0, "{rows} rows of {cell}");
        // Zoom makes cells bigger and rows more; small bitmaps get big cells.
        let (c2, cols2, _) = bitmap_geometry(1152.0, 32768, 460.0, 2);
        assert_eq!(c2, cell * 2.0);
        assert!(cols2 < cols);
        assert!(bitmap_geometry(1152.0, 832, 140.0, 1).0 >= 12.0);
        // Degenerate sizes stay sane.
        assert_eq!(bitmap_geometry(100.0, 0, 100.0, 1).2, 1);
        assert!(bitmap_geometry(1.0, 10, 1.0, 0).1 >= 1);
    }
}
