//! The service center's side: the order queue, pick lists by family, batches
//! and their labels, listing approval, key cards, earnings and payouts.

use serde::{Deserialize, Serialize};

use crate::earnings::Split;
use crate::{Fen, FieldError, Localized, OrderStatus, PaymentMethod, ProductKind};

/// How many of the hub's orders are in one status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "lite", derive(serde_lite::Deserialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatusCount {
    pub status: OrderStatus,
    pub count: u32,
}

/// One order in the queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "lite", derive(serde_lite::Deserialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderSummary {
    pub code: String,
    pub status: OrderStatus,
    pub created_at: String,
    pub customer_name: String,
    pub zone: Localized,
    pub items: u32,
    pub total_fen: Fen,
    /// Why the center should look at it first (`bazar_api::order::flag`):
    /// such orders lead the queue.
    #[serde(default)]
    pub flag: Option<String>,
}

/// `GET /api/center/orders[?status=]`: counts of every status and the orders of one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "lite", derive(serde_lite::Deserialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderQueue {
    pub counts: Vec<StatusCount>,
    pub orders: Vec<OrderSummary>,
}

/// One line of an order as the center sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "lite", derive(serde_lite::Deserialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CenterLine {
    pub line_id: i64,
    pub product_id: i64,
    pub kind: ProductKind,
    pub names: Localized,
    pub unit: Localized,
    pub family_id: i64,
    pub family_names: Localized,
    pub quantity: u32,
    pub unit_price_fen: Fen,
    /// How many of them were collected into batches so far.
    pub collected: u32,
    pub trace_codes: Vec<String>,
}

/// A status change with when and by whom.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "lite", derive(serde_lite::Deserialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CenterEvent {
    pub status: OrderStatus,
    pub at: String,
    pub actor: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// `GET /api/center/orders/{code}`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "lite", derive(serde_lite::Deserialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderDetail {
    pub code: String,
    pub status: OrderStatus,
    pub created_at: String,
    pub customer_name: String,
    pub customer_phone: String,
    pub address: String,
    pub zone: Localized,
    pub payment: PaymentMethod,
    pub subtotal_fen: Fen,
    pub shipping_fen: Fen,
    pub total_fen: Fen,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waybill: Option<String>,
    pub lines: Vec<CenterLine>,
    pub events: Vec<CenterEvent>,
}

/// `POST /api/center/orders/{code}/status`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "lite", derive(serde_lite::Deserialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatusChange {
    pub status: OrderStatus,
    /// The air waybill number; required to ship.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waybill: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub note: Option<String>,
}

/// An air waybill number as the carrier prints it: 6 to 20 letters, digits and dashes.
pub fn normalize_waybill(input: &str) -> Option<String> {
    let w: String = input.trim().to_ascii_uppercase();
    ((6..=20).contains(&w.len()) && w.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')).then_some(w)
}

impl StatusChange {
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        match (&self.status, &self.waybill) {
            (OrderStatus::Shipped, None) => errors.push(FieldError::new("waybill", "required")),
            (_, Some(w)) if normalize_waybill(w).is_none() => {
                errors.push(FieldError::new("waybill", "waybill_format"))
            }
            _ => {}
        }
        if self.note.as_ref().is_some_and(|n| n.chars().count() > 500) {
            errors.push(FieldError::new("note", "too_long"));
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }
}

/// One order line waiting to be collected, in a pick list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "lite", derive(serde_lite::Deserialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PickLine {
    pub line_id: i64,
    pub order_code: String,
    /// What is still to be collected of this line.
    pub quantity: u32,
}

/// One product to collect from a family, with the lines it fills.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "lite", derive(serde_lite::Deserialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PickItem {
    pub product_id: i64,
    pub kind: ProductKind,
    pub names: Localized,
    pub unit: Localized,
    pub quantity: u32,
    pub lines: Vec<PickLine>,
}

/// A family to visit and what to take from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "lite", derive(serde_lite::Deserialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PickFamily {
    pub family_id: i64,
    pub names: Localized,
    pub village: Localized,
    pub stamp: String,
    pub items: Vec<PickItem>,
}

/// `GET /api/center/pick-list[?date=YYYY-MM-DD][&orders=CODE,CODE]`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "lite", derive(serde_lite::Deserialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PickList {
    pub orders: Vec<String>,
    pub families: Vec<PickFamily>,
}

/// `POST /api/center/batches`: what was collected from a family; the
/// lines must all be of this family and product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "lite", derive(serde_lite::Deserialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CollectRequest {
    pub family_id: i64,
    pub product_id: i64,
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 500))]
    pub line_ids: Vec<i64>,
}

/// A collected batch: what its label prints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "lite", derive(serde_lite::Deserialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Label {
    pub trace_code: String,
    pub family_id: i64,
    pub family_names: Localized,
    pub village: Localized,
    pub stamp: String,
    pub kind: ProductKind,
    pub product_names: Localized,
    pub unit: Localized,
    pub quantity: u32,
    /// YYYY-MM-DD, China time.
    pub collected_on: String,
    /// The address the label's QR code opens.
    pub trace_url: String,
    /// The QR code as an SVG document.
    pub qr_svg: String,
}

crate::named! {
    /// Why a listing was sent back: each has an icon and a spoken sentence in the seller app.
    pub enum RejectReason {
        PhotoUnclear = "photo_unclear",
        PriceTooHigh = "price_too_high",
        PriceTooLow = "price_too_low",
        NotSold = "not_sold",
        Other = "other",
    }
}

crate::named! {
    /// Where a listing is: `pending` until the center decides.
    pub enum ListingStatus {
        Draft = "draft",
        Pending = "pending",
        Live = "live",
        Rejected = "rejected",
    }
}

/// A family's product as the center and the family see it, whatever its status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "lite", derive(serde_lite::Deserialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Listing {
    pub id: i64,
    pub family_id: i64,
    pub family_names: Localized,
    pub kind: ProductKind,
    pub names: Localized,
    pub unit: Localized,
    pub price_fen: Fen,
    pub capacity: crate::Capacity,
    /// In stock now, or per week.
    pub quantity: u32,
    pub image: String,
    pub status: ListingStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reject_reason: Option<RejectReason>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reject_note: Option<String>,
    pub updated_at: String,
    /// Not offered until it is resumed (shown as not available now).
    #[serde(default)]
    pub paused: bool,
    /// Left the shop for good; its orders stay.
    #[serde(default)]
    pub retired: bool,
    /// The operator who listed it for a family without a phone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub listed_by: Option<String>,
}

/// `POST /api/center/listings/{id}/decision`: approve (optionally with a
/// corrected price or names) or send back with a reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "lite", derive(serde_lite::Deserialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ListingDecision {
    pub approve: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_fen: Option<Fen>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub names: Option<Localized>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<RejectReason>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 300))]
    pub note: Option<String>,
}

/// The highest price a listing may have: 100 000 yuan.
pub const MAX_PRICE_FEN: i64 = 10_000_000;

impl ListingDecision {
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        if let Some(p) = self.price_fen
            && !(1..=MAX_PRICE_FEN).contains(&p.0)
        {
            errors.push(FieldError::new("price_fen", "out_of_range"));
        }
        if let Some(n) = &self.names {
            for (field, text) in [("names.ug", &n.ug), ("names.zh", &n.zh), ("names.en", &n.en)] {
                if text.trim().is_empty() {
                    errors.push(FieldError::new(field, "required"));
                } else if text.chars().count() > 80 {
                    errors.push(FieldError::new(field, "too_long"));
                }
            }
        }
        if !self.approve && self.reason.is_none() {
            errors.push(FieldError::new("reason", "required"));
        }
        if self.note.as_ref().is_some_and(|n| n.chars().count() > 300) {
            errors.push(FieldError::new("note", "too_long"));
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }
}

/// A family in the center's list, with whether it has a working key card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "lite", derive(serde_lite::Deserialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CenterFamily {
    pub id: i64,
    pub names: Localized,
    pub village: Localized,
    pub stamp: String,
    /// When its current key card was printed; none when it has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card_issued_at: Option<String>,
    /// Its mobile number; empty when it has no phone.
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub story: Localized,
    /// Retired: its products left the shop; its history stays.
    #[serde(default)]
    pub retired: bool,
    /// Its photo's address, or empty.
    #[serde(default)]
    pub photo: String,
}

/// `POST /api/center/families/{id}/key-card`: a new card (any earlier one
/// stops working). The token is shown this once and stored only hashed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "lite", derive(serde_lite::Deserialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KeyCard {
    pub family_id: i64,
    pub names: Localized,
    pub village: Localized,
    pub stamp: String,
    /// The address the card's QR code opens; it signs the phone in.
    pub url: String,
    pub qr_svg: String,
    pub issued_at: String,
}

/// One family's month in the earnings table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "lite", derive(serde_lite::Deserialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FamilyEarnings {
    pub family_id: i64,
    pub names: Localized,
    pub village: Localized,
    /// YYYY-MM
    pub month: String,
    pub sold: Split,
    /// Paid out to the family in this month.
    pub paid_fen: Fen,
    /// Everything earned up to the end of the month minus everything paid.
    pub balance_fen: Fen,
}

/// One product on a family's month statement: how many sold, and its split.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "lite", derive(serde_lite::Deserialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatementLine {
    pub product_id: i64,
    pub kind: ProductKind,
    pub names: Localized,
    pub unit: Localized,
    pub image: String,
    pub sold: Split,
}

/// `GET /api/center/families/{id}/statement?month=YYYY-MM`: a family's
/// month on one printed page, to hand over on the next visit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "lite", derive(serde_lite::Deserialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Statement {
    pub family: CenterFamily,
    pub hub: Localized,
    /// YYYY-MM
    pub month: String,
    /// The center's fee, basis points.
    pub fee_bp: u32,
    /// By product, the most sold first.
    pub lines: Vec<StatementLine>,
    /// The month's sales in all; the same as the month's earnings.
    pub sold: Split,
    /// Paid out in the month.
    pub payouts: Vec<Payout>,
    /// Everything earned up to the end of the month minus everything paid.
    pub balance_fen: Fen,
}

/// `GET /api/center/earnings?month=YYYY-MM`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "lite", derive(serde_lite::Deserialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Earnings {
    pub month: String,
    /// The center's fee, basis points.
    pub fee_bp: u32,
    pub families: Vec<FamilyEarnings>,
    pub total: Split,
}

/// `POST /api/center/payouts`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "lite", derive(serde_lite::Deserialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PayoutRequest {
    pub family_id: i64,
    pub amount_fen: Fen,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub note: Option<String>,
}

impl PayoutRequest {
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        if !(1..=MAX_PRICE_FEN * 100).contains(&self.amount_fen.0) {
            errors.push(FieldError::new("amount_fen", "out_of_range"));
        }
        if self.note.as_ref().is_some_and(|n| n.chars().count() > 200) {
            errors.push(FieldError::new("note", "too_long"));
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }
}

/// A payout to a family.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "lite", derive(serde_lite::Deserialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Payout {
    pub id: i64,
    pub family_id: i64,
    pub amount_fen: Fen,
    pub paid_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// One family's share of a week's sales.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "lite", derive(serde_lite::Deserialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FamilySales {
    pub family_id: i64,
    pub names: Localized,
    pub gross_fen: Fen,
}

/// One week of the hub overview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "lite", derive(serde_lite::Deserialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WeekSales {
    /// The Monday the week starts on, YYYY-MM-DD (China time).
    pub week_start: String,
    pub orders: u32,
    pub gross_fen: Fen,
    pub families: Vec<FamilySales>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipping_needs_a_waybill() {
        let mut change = StatusChange {
            status: OrderStatus::Shipped,
            waybill: None,
            note: None,
        };
        assert_eq!(change.validate().unwrap_err()[0].code, "required");
        change.waybill = Some("12".into());
        assert_eq!(change.validate().unwrap_err()[0].code, "waybill_format");
        change.waybill = Some(" 784-12345675 ".into());
        assert!(change.validate().is_ok());
        assert_eq!(
            normalize_waybill(" 784-12345675 ").as_deref(),
            Some("784-12345675")
        );
        assert_eq!(normalize_waybill("<script>"), None);
    }

    #[test]
    fn a_rejection_needs_a_reason() {
        let decision = ListingDecision {
            approve: false,
            price_fen: None,
            names: None,
            reason: None,
            note: None,
        };
        assert_eq!(decision.validate().unwrap_err()[0].field, "reason");
        let approve = ListingDecision {
            approve: true,
            price_fen: Some(Fen(0)),
            ..decision
        };
        assert_eq!(approve.validate().unwrap_err()[0].field, "price_fen");
    }

    #[test]
    fn payouts_are_positive() {
        let p = PayoutRequest {
            family_id: 1,
            amount_fen: Fen(-5),
            note: None,
        };
        assert!(p.validate().is_err());
        assert!(
            PayoutRequest {
                amount_fen: Fen(500),
                ..p
            }
            .validate()
            .is_ok()
        );
    }
}
