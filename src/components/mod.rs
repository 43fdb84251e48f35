//! Pieces shared by several pages.

pub mod family_card;
pub mod header;
pub mod language;
pub mod load_error;
pub mod price;
pub mod product_card;
pub mod stepper;
pub mod totals;
pub mod trace_form;
