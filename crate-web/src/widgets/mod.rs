//! Small pieces the views share.

pub mod bitmap_grid;
pub mod checksum;
pub mod copy_link;
pub mod crash_control;
pub mod download_state;
pub mod map_table;
pub mod map_tree;
pub mod open_panel;
pub mod progress;
pub mod strip;
pub mod virtual_rows;
pub mod xattrs;
