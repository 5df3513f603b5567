//! Rules.
pub mod data;
