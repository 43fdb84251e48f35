//! Pieces shared by several pages.

pub mod header;
pub mod load_error;
pub mod price;
