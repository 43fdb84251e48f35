//! The family's side: what to prepare for the center, the money earned, and
//! the listings it sends for approval.

use serde::{Deserialize, Serialize};

use crate::center::{MAX_PRICE_FEN, Payout};
use crate::earnings::Split;
use crate::{Capacity, Fen, FieldError, Localized, ProductKind};

/// One product the center will come to collect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "lite", derive(serde_lite::Deserialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Prepare {
    pub product_id: i64,
    pub kind: ProductKind,
    pub names: Localized,
    pub unit: Localized,
    pub image: String,
    /// Still to hand over.
    pub quantity: u32,
    /// In how many orders.
    pub orders: u32,
    /// The oldest order's day, YYYY-MM-DD (China time): the center collects
    /// within two days of it.
    pub since: String,
}

/// One of the family's orders and its share of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "lite", derive(serde_lite::Deserialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderShare {
    pub order_code: String,
    /// YYYY-MM-DD, China time.
    pub day: String,
    pub share: Split,
}

/// One month of the family's money.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "lite", derive(serde_lite::Deserialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MonthMoney {
    /// YYYY-MM
    pub month: String,
    pub sold: Split,
}

/// `GET /api/seller/money`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "lite", derive(serde_lite::Deserialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Money {
    pub fee_bp: u32,
    /// The last six months, oldest first; the last is this month.
    pub months: Vec<MonthMoney>,
    /// This month's and last month's orders, newest first.
    pub orders: Vec<OrderShare>,
    pub payouts: Vec<Payout>,
    /// What the center still owes the family.
    pub balance_fen: Fen,
}

/// `POST /api/seller/listings`: what a family wants to sell. Names come from
/// the kind (the center can correct them); the photo from an upload.
/// `POST /api/seller/photos`: the stored photo's name (for
/// [`NewListing::photo`]) and where it is shown from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "lite", derive(serde_lite::Deserialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Photo {
    pub name: String,
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "lite", derive(serde_lite::Deserialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewListing {
    pub kind: ProductKind,
    pub capacity: Capacity,
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 10000))]
    pub quantity: u32,
    pub price_fen: Fen,
    /// The name of a photo uploaded with `POST /api/seller/photos`; without
    /// one the listing shows its kind's picture.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 40))]
    pub photo: Option<String>,
}

impl NewListing {
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        if !(1..=10_000).contains(&self.quantity) {
            errors.push(FieldError::new("quantity", "out_of_range"));
        }
        if !(1..=MAX_PRICE_FEN).contains(&self.price_fen.0) {
            errors.push(FieldError::new("price_fen", "out_of_range"));
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }
}

/// The names a new listing of `kind` gets until the center edits them.
pub fn default_names(kind: ProductKind) -> (Localized, Localized) {
    let l = |ug: &str, zh: &str, en: &str| Localized {
        ug: ug.into(),
        zh: zh.into(),
        en: en.into(),
    };
    match kind {
        ProductKind::Nang => (l("نان", "馕", "Nang"), l("دانە", "个", "piece")),
        ProductKind::Eggs => (l("تۇخۇم", "鸡蛋", "Eggs"), l("دانە", "枚", "egg")),
        ProductKind::Honey => (l("ھەسەل", "蜂蜜", "Honey"), l("بوتۇلكا", "瓶", "jar")),
        ProductKind::Quilt => (l("يوتقان", "被子", "Quilt"), l("دانە", "床", "quilt")),
        ProductKind::DriedFruit => (l("قۇرۇق مېۋە", "干果", "Dried fruit"), l("خالتا", "袋", "bag")),
        ProductKind::Other => (l("باشقا", "其他", "Other"), l("دانە", "件", "item")),
    }
}

/// The price to suggest for a new listing: the median of similar live
/// products' prices, rounded to the nearest 10 fen. `None` without any.
pub fn suggested_price(prices: &[Fen]) -> Option<Fen> {
    let mut sorted: Vec<i64> = prices.iter().map(|p| p.0).filter(|p| *p > 0).collect();
    if sorted.is_empty() {
        return None;
    }
    sorted.sort_unstable();
    let mid = sorted.len() / 2;
    let median = if sorted.len() % 2 == 1 {
        sorted[mid]
    } else {
        (sorted[mid - 1] + sorted[mid]) / 2
    };
    Some(Fen(((median + 5) / 10 * 10).max(10)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listings_are_checked() {
        let mut l = NewListing {
            kind: ProductKind::Eggs,
            capacity: Capacity::Weekly,
            quantity: 30,
            price_fen: Fen(150),
            photo: None,
        };
        assert!(l.validate().is_ok());
        l.quantity = 0;
        l.price_fen = Fen(0);
        let fields: Vec<String> = l.validate().unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["quantity", "price_fen"]);
    }

    #[test]
    fn suggests_the_median_price() {
        assert_eq!(suggested_price(&[]), None);
        assert_eq!(
            suggested_price(&[Fen(2200), Fen(2800), Fen(1500)]),
            Some(Fen(2200))
        );
        assert_eq!(suggested_price(&[Fen(150), Fen(204)]), Some(Fen(180)));
        assert_eq!(suggested_price(&[Fen(3)]), Some(Fen(10)));
    }

    #[test]
    fn every_kind_has_names_in_every_language() {
        for kind in ProductKind::ALL {
            let (names, unit) = default_names(kind);
            for s in [&names.ug, &names.zh, &names.en, &unit.ug, &unit.zh, &unit.en] {
                assert!(!s.is_empty());
            }
        }
    }
}
