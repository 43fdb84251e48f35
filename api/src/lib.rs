//! The Bazar wire contract, shared by the app and the server: the JSON types of
//! every route, money in integer fen, and the validation rules of the domain.
//!
//! Nothing here knows about Leptos or axum, so the rules live once and both
//! sides call them.

pub mod account;
pub mod catalog;
pub mod center;
pub mod earnings;
pub mod error;
pub mod manage;
pub mod money;
pub mod names;
pub mod order;
pub mod pages;
pub mod seller;
pub mod trace;
pub mod tutor;

pub use catalog::{
    Capacity, Family, FamilyPage, FamilySummary, Lang, Localized, Product, ProductDetail, ProductKind,
};
pub use error::{ApiError, ErrorBody, ErrorCode, FieldError};
pub use money::Fen;
pub use order::{
    Customer, LineRequest, OrderRequest, OrderStatus, PaymentInstructions, PaymentMethod, PlacedOrder,
    SoldOutLine, Tracking, TrackingEvent, TrackingLine, Zone,
};
pub use trace::Trace;

/// The health answer of `GET /api/health`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "lite", derive(serde_lite::Deserialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    /// "ok" when the server can read and write its database.
    pub status: String,
    /// The server's version.
    pub version: String,
}
