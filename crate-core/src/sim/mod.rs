//! The simulator: ext4 operations modelled as jbd2 transactions.

pub mod jbd2;
