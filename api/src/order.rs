//! Orders: what a guest sends to place one, the rules it must pass, the
//! totals, and what the tracking page shows.

use serde::{Deserialize, Serialize};

use crate::{Fen, FieldError, Localized, ProductKind};

/// The most of one product a single order may ask for.
pub const MAX_QUANTITY: u32 = 999;
/// The most lines one order may have.
pub const MAX_LINES: usize = 50;
/// The most an order paid on delivery may be worth (nobody has paid for it
/// yet): ¥1,500, two of the dearest quilts.
pub const MAX_UNPAID: Fen = Fen(150_000);
/// Orders to be paid on delivery that one phone number may have open (not
/// delivered or cancelled) at once.
pub const MAX_OPEN_UNPAID_PER_PHONE: u32 = 3;

/// Why an order is refused although every field is well formed, or why it
/// is shown first to the center. Each names the limit it met.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hoarding {
    /// Line `line` asks for more than the product's `max` per order.
    OverMaxPerOrder { line: usize, max: u32 },
    /// An order paid on delivery worth more than [`MAX_UNPAID`] (its code
    /// names the limit in yuan).
    UnpaidTooDear,
    /// The phone has [`MAX_OPEN_UNPAID_PER_PHONE`] unpaid orders open.
    TooManyOpenUnpaid,
}

impl Hoarding {
    /// The field error the customer sees; its code names the limit.
    pub fn field_error(self) -> FieldError {
        match self {
            Hoarding::OverMaxPerOrder { line, max } => {
                FieldError::new(format!("lines[{line}].quantity"), format!("max_per_order:{max}"))
            }
            // In yuan, as the customer reads it.
            Hoarding::UnpaidTooDear => {
                FieldError::new("payment", format!("unpaid_limit:{}", MAX_UNPAID.0 / 100))
            }
            Hoarding::TooManyOpenUnpaid => FieldError::new(
                "customer.phone",
                format!("open_unpaid_limit:{MAX_OPEN_UNPAID_PER_PHONE}"),
            ),
        }
    }
}

/// Line `line` asking for `quantity` of a product that allows `max` per
/// order: refused when over it.
pub fn over_max_per_order(line: usize, quantity: u32, max: u32) -> Option<Hoarding> {
    (quantity > max).then_some(Hoarding::OverMaxPerOrder { line, max })
}

/// The limits of an order nobody has paid for yet, given its total and how
/// many unpaid orders the phone has open already. Every broken one is named.
pub fn unpaid_limits(total: Fen, payment: PaymentMethod, open_unpaid: u32) -> Vec<Hoarding> {
    let mut found = Vec::new();
    if payment == PaymentMethod::OnDelivery {
        if total > MAX_UNPAID {
            found.push(Hoarding::UnpaidTooDear);
        }
        if open_unpaid >= MAX_OPEN_UNPAID_PER_PHONE {
            found.push(Hoarding::TooManyOpenUnpaid);
        }
    }
    found
}

/// Why the center should look at an order before the others, if it should:
/// an unpaid order from a phone with another one open, or worth more than
/// half the unpaid limit.
pub fn flag(total: Fen, payment: PaymentMethod, open_unpaid: u32) -> Option<&'static str> {
    if payment != PaymentMethod::OnDelivery {
        None
    } else if open_unpaid > 0 {
        Some("repeat_unpaid")
    } else if total.0 * 2 > MAX_UNPAID.0 {
        Some("dear_unpaid")
    } else {
        None
    }
}
/// Length limits of the customer's fields, in characters.
pub const MAX_NAME: usize = 50;
pub const MAX_ADDRESS: usize = 200;

crate::named! {
    pub enum PaymentMethod {
        /// Cash or phone payment to the courier.
        OnDelivery = "on_delivery",
        /// A bank transfer quoting the order's reference.
        BankTransfer = "bank_transfer",
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "lite", derive(serde_lite::Deserialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Customer {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 50, pattern = r"\S"))]
    pub name: String,
    /// A mainland mobile number: 11 digits starting with 1[3-9] (spaces,
    /// dashes and a +86 prefix are also accepted).
    #[cfg_attr(feature = "openapi", schema(pattern = r"^1[3-9][0-9]{9}$"))]
    pub phone: String,
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 200, pattern = r"\S")
    )]
    pub address: String,
    /// The delivery zone's code, from `GET /api/zones`.
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 32, pattern = r"^[a-z_]+$")
    )]
    pub zone: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "lite", derive(serde_lite::Deserialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LineRequest {
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub product_id: i64,
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 999))]
    pub quantity: u32,
}

/// `POST /api/orders` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "lite", derive(serde_lite::Deserialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrderRequest {
    pub customer: Customer,
    /// At most 50 lines, each product once.
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 50))]
    pub lines: Vec<LineRequest>,
    pub payment: PaymentMethod,
}

/// The answer to a placed order (201, and the same body on every replay).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "lite", derive(serde_lite::Deserialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlacedOrder {
    /// The public order code, e.g. `BZ-7K3M9QWX`, to quote on the phone or a transfer.
    pub code: String,
    /// The private token of the tracking link.
    pub tracking_token: String,
    pub subtotal_fen: Fen,
    pub shipping_fen: Fen,
    pub total_fen: Fen,
    pub payment: PaymentMethod,
    pub created_at: String,
    /// Where to send a bank transfer (only for `bank_transfer`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pay_to: Option<PaymentInstructions>,
}

/// What a customer paying by transfer must send, and to whom.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "lite", derive(serde_lite::Deserialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentInstructions {
    pub payee: String,
    pub bank: String,
    pub account: String,
    /// What to write in the transfer's note: the order code.
    pub reference: String,
}

/// A delivery zone (`GET /api/zones`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "lite", derive(serde_lite::Deserialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Zone {
    pub code: String,
    pub names: Localized,
    pub shipping_fen: Fen,
    pub days_min: u32,
    pub days_max: u32,
    /// The hub ships free from goods worth this much, if it says so.
    #[serde(default)]
    pub free_shipping_from: Option<Fen>,
}

impl Zone {
    /// What goods worth `subtotal` cost sent to this zone (see [`totals`]).
    pub fn totals(&self, subtotal: Fen) -> Totals {
        totals(subtotal, self.shipping_fen, self.free_shipping_from)
    }
}

crate::named! {
    /// Where an order is in its life.
    pub enum OrderStatus {
        Placed = "placed",
        Collecting = "collecting",
        AtCenter = "at_center",
        Packed = "packed",
        Shipped = "shipped",
        Delivered = "delivered",
        Cancelled = "cancelled",
    }
}

impl OrderStatus {
    /// The steps of a good order's life, in order.
    pub const LIFECYCLE: [OrderStatus; 6] = [
        OrderStatus::Placed,
        OrderStatus::Collecting,
        OrderStatus::AtCenter,
        OrderStatus::Packed,
        OrderStatus::Shipped,
        OrderStatus::Delivered,
    ];

    /// Whether an order may move from `self` to `next`: one step forward, or
    /// cancelled before it is shipped.
    pub fn can_become(self, next: OrderStatus) -> bool {
        let pos = |s| Self::LIFECYCLE.iter().position(|x| *x == s);
        match (pos(self), next) {
            (Some(i), OrderStatus::Cancelled) => i < 4,
            (Some(i), n) => pos(n) == Some(i + 1),
            (None, _) => false,
        }
    }
}

/// One status change, as the tracking page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "lite", derive(serde_lite::Deserialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrackingEvent {
    pub status: OrderStatus,
    /// RFC 3339, UTC.
    pub at: String,
    /// The air waybill number, on `shipped`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waybill: Option<String>,
}

/// One line of a tracked order, with the family that supplies it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "lite", derive(serde_lite::Deserialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrackingLine {
    pub product_id: i64,
    pub kind: ProductKind,
    pub names: Localized,
    pub quantity: u32,
    pub unit_price_fen: Fen,
    pub family_id: i64,
    pub family_names: Localized,
    pub village: Localized,
}

/// `GET /api/orders/track/{token}`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "lite", derive(serde_lite::Deserialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Tracking {
    pub code: String,
    pub status: OrderStatus,
    pub events: Vec<TrackingEvent>,
    pub lines: Vec<TrackingLine>,
    pub zone: Zone,
    pub subtotal_fen: Fen,
    pub shipping_fen: Fen,
    pub total_fen: Fen,
    pub payment: PaymentMethod,
}

/// A product sold out while the order was placed (409 body's `fields`
/// name them as `lines[i]`); this is the line and what is left.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "lite", derive(serde_lite::Deserialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SoldOutLine {
    pub product_id: i64,
    pub requested: u32,
    pub available: i64,
}

/// True for a mainland China mobile number: 11 digits, `1`, then 3-9.
/// Spaces and dashes people type are ignored; `+86`/`0086` is allowed.
pub fn normalize_phone(input: &str) -> Option<String> {
    let digits: String = input
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '\u{a0}'))
        .collect();
    let digits = digits
        .strip_prefix("+86")
        .or_else(|| digits.strip_prefix("0086"))
        .unwrap_or(&digits);
    let bytes = digits.as_bytes();
    let ok = bytes.len() == 11
        && bytes.iter().all(u8::is_ascii_digit)
        && bytes[0] == b'1'
        && (b'3'..=b'9').contains(&bytes[1]);
    ok.then(|| digits.to_string())
}

/// Characters that are never allowed in names and addresses: controls and
/// the bidi overrides that could make text read differently than it is stored.
fn has_forbidden_chars(s: &str) -> bool {
    s.chars().any(|c| {
        (c.is_control() && c != '\n')
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
    })
}

pub(crate) fn check_text(field: &str, value: &str, max: usize, errors: &mut Vec<FieldError>) {
    let trimmed = value.trim();
    let code = if trimmed.is_empty() {
        "required"
    } else if trimmed.chars().count() > max {
        "too_long"
    } else if has_forbidden_chars(trimmed) {
        "invalid_characters"
    } else {
        return;
    };
    errors.push(FieldError {
        field: field.to_string(),
        code: code.to_string(),
    });
}

impl OrderRequest {
    /// Every rule a request must pass before it reaches the database. The
    /// app runs the same function to mark fields before sending.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        check_text("customer.name", &self.customer.name, MAX_NAME, &mut errors);
        if self.customer.phone.trim().is_empty() {
            errors.push(FieldError::new("customer.phone", "required"));
        } else if normalize_phone(&self.customer.phone).is_none() {
            errors.push(FieldError::new("customer.phone", "phone_format"));
        }
        check_text(
            "customer.address",
            &self.customer.address,
            MAX_ADDRESS,
            &mut errors,
        );
        if self.customer.zone.trim().is_empty() {
            errors.push(FieldError::new("customer.zone", "required"));
        }
        if self.lines.is_empty() {
            errors.push(FieldError::new("lines", "required"));
        } else if self.lines.len() > MAX_LINES {
            errors.push(FieldError::new("lines", "too_many"));
        }
        for (i, line) in self.lines.iter().enumerate() {
            if line.quantity == 0 || line.quantity > MAX_QUANTITY {
                errors.push(FieldError::new(format!("lines[{i}].quantity"), "quantity_range"));
            }
            if line.product_id <= 0 {
                errors.push(FieldError::new(
                    format!("lines[{i}].product_id"),
                    "unknown_product",
                ));
            } else if self.lines[..i].iter().any(|l| l.product_id == line.product_id) {
                errors.push(FieldError::new(format!("lines[{i}].product_id"), "duplicate"));
            }
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }
}

/// What every order code starts with, before its eight trace-alphabet letters.
pub const ORDER_CODE_PREFIX: &str = "BZ-";

/// Reads an order code as an operator types or scans it: with or without
/// the `BZ-` prefix, any case and spacing. `None` when it can't be one.
pub fn normalize_order_code(input: &str) -> Option<String> {
    let trimmed = input.trim();
    let rest = trimmed
        .get(..3)
        .filter(|p| p.eq_ignore_ascii_case(ORDER_CODE_PREFIX))
        .map_or(trimmed, |_| &trimmed[3..]);
    crate::trace::normalize_code(rest).map(|code| format!("{ORDER_CODE_PREFIX}{code}"))
}

/// Sum of `quantity x unit price` over the lines.
pub fn subtotal(lines: impl IntoIterator<Item = (u32, Fen)>) -> Fen {
    lines.into_iter().map(|(qty, price)| price.times(qty)).sum()
}

/// What an order costs: its goods, the shipping charged and their sum. The
/// rule is written here once: the basket shows it, the server charges and
/// stores it, the tracking page shows what was stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Totals {
    pub subtotal: Fen,
    pub shipping: Fen,
    pub total: Fen,
}

/// The totals of goods worth `subtotal` sent to a zone whose fee is `fee`:
/// the fee once per order; nothing to ship an empty basket; nothing from
/// the hub's free-shipping threshold on, when it has one.
pub fn totals(subtotal: Fen, fee: Fen, free_from: Option<Fen>) -> Totals {
    let free = subtotal == Fen::ZERO || free_from.is_some_and(|from| subtotal >= from);
    let shipping = if free { Fen::ZERO } else { fee };
    Totals {
        subtotal,
        shipping,
        total: subtotal + shipping,
    }
}

/// What can still be taken from a product with `available` left when an
/// order asks for `requested`: `Some(left after)` or `None` when it is short.
pub fn take(available: i64, requested: u32) -> Option<i64> {
    let left = available - i64::from(requested);
    (left >= 0).then_some(left)
}

/// The week (Monday to Sunday, China time) a moment falls in, counted from
/// the Unix epoch: weekly capacities start again when it changes.
pub fn week_index(unix_seconds: i64) -> i64 {
    const CHINA_OFFSET: i64 = 8 * 3600;
    let days = (unix_seconds + CHINA_OFFSET).div_euclid(86_400);
    // 1970-01-01 was a Thursday: shift so weeks start on Monday.
    (days + 3).div_euclid(7)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn order_codes_are_read_with_or_without_their_prefix() {
        assert_eq!(
            normalize_order_code("BZ-5WB6HG8C").as_deref(),
            Some("BZ-5WB6HG8C")
        );
        assert_eq!(
            normalize_order_code(" bz-5wb6 hg8c").as_deref(),
            Some("BZ-5WB6HG8C")
        );
        assert_eq!(normalize_order_code("5WB6HG8C").as_deref(), Some("BZ-5WB6HG8C"));
        assert_eq!(normalize_order_code("BZ-5WB6"), None);
        assert_eq!(normalize_order_code("ب"), None);
    }

    fn request() -> OrderRequest {
        OrderRequest {
            customer: Customer {
                name: "王小明".into(),
                phone: "138 0013 8000".into(),
                address: "北京市朝阳区幸福路1号".into(),
                zone: "beijing".into(),
            },
            lines: vec![LineRequest {
                product_id: 1,
                quantity: 2,
            }],
            payment: PaymentMethod::OnDelivery,
        }
    }

    fn codes(r: &OrderRequest) -> Vec<(String, String)> {
        r.validate()
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect()
    }

    #[test]
    fn a_good_request_passes() {
        assert_eq!(request().validate(), Ok(()));
    }

    #[test]
    fn phones_are_mainland_mobiles() {
        assert_eq!(normalize_phone("13800138000").as_deref(), Some("13800138000"));
        assert_eq!(
            normalize_phone("+86 139-0000-0000").as_deref(),
            Some("13900000000")
        );
        assert_eq!(
            normalize_phone("0086 19912345678").as_deref(),
            Some("19912345678")
        );
        for bad in [
            "12800138000",
            "1380013800",
            "138001380001",
            "abc",
            "",
            "٠١٣٨٠٠١٣٨٠٠",
        ] {
            assert_eq!(normalize_phone(bad), None, "{bad}");
        }
    }

    #[test]
    fn every_bad_field_is_named() {
        let mut r = request();
        r.customer.name = "  ".into();
        r.customer.phone = "12345".into();
        r.customer.address = "x".repeat(MAX_ADDRESS + 1);
        r.customer.zone = String::new();
        r.lines = vec![
            LineRequest {
                product_id: 1,
                quantity: 0,
            },
            LineRequest {
                product_id: 1,
                quantity: 1000,
            },
        ];
        assert_eq!(
            codes(&r),
            [
                ("customer.name", "required"),
                ("customer.phone", "phone_format"),
                ("customer.address", "too_long"),
                ("customer.zone", "required"),
                ("lines[0].quantity", "quantity_range"),
                ("lines[1].quantity", "quantity_range"),
                ("lines[1].product_id", "duplicate"),
            ]
            .map(|(a, b)| (a.to_string(), b.to_string()))
        );
    }

    #[test]
    fn bidi_overrides_and_controls_are_refused_but_markup_is_just_text() {
        let mut r = request();
        r.customer.name = "abc\u{202E}def".into();
        assert_eq!(codes(&r), [("customer.name".into(), "invalid_characters".into())]);
        r.customer.name = "<script>alert(1)</script>".into();
        assert_eq!(r.validate(), Ok(()));
        r.customer.name = "ئايگۈل".into();
        assert_eq!(r.validate(), Ok(()));
    }

    #[test]
    fn empty_orders_are_refused() {
        let mut r = request();
        r.lines.clear();
        assert_eq!(codes(&r), [("lines".into(), "required".into())]);
    }

    #[test]
    fn lifecycle_moves_one_step_at_a_time() {
        use OrderStatus::*;
        assert!(Placed.can_become(Collecting));
        assert!(Shipped.can_become(Delivered));
        assert!(!Placed.can_become(Shipped));
        assert!(!Delivered.can_become(Placed));
        assert!(Packed.can_become(Cancelled));
        assert!(!Shipped.can_become(Cancelled));
        assert!(!Cancelled.can_become(Placed));
        for s in OrderStatus::LIFECYCLE {
            assert_eq!(OrderStatus::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn weeks_start_on_monday_china_time() {
        // 2026-11-29 15:59:59 UTC is Sunday 23:59:59 in China; one second later is Monday.
        let sunday_night = 1_795_967_999;
        assert_eq!(week_index(sunday_night) + 1, week_index(sunday_night + 1));
        assert_eq!(week_index(sunday_night - 6 * 86_400), week_index(sunday_night));
    }

    #[test]
    fn a_hoarding_order_is_refused_naming_each_limit() {
        let on_delivery = PaymentMethod::OnDelivery;
        assert_eq!(over_max_per_order(0, 6, 6), None);
        assert_eq!(
            over_max_per_order(1, 7, 6),
            Some(Hoarding::OverMaxPerOrder { line: 1, max: 6 })
        );
        assert!(unpaid_limits(MAX_UNPAID, on_delivery, MAX_OPEN_UNPAID_PER_PHONE - 1).is_empty());
        assert_eq!(
            unpaid_limits(Fen(MAX_UNPAID.0 + 1), on_delivery, MAX_OPEN_UNPAID_PER_PHONE),
            vec![Hoarding::UnpaidTooDear, Hoarding::TooManyOpenUnpaid]
        );
        assert!(
            unpaid_limits(Fen(MAX_UNPAID.0 * 3), PaymentMethod::BankTransfer, 9).is_empty(),
            "a paid order is worth what it is worth"
        );
        let error = Hoarding::OverMaxPerOrder { line: 3, max: 6 }.field_error();
        assert_eq!(
            (error.field.as_str(), error.code.as_str()),
            ("lines[3].quantity", "max_per_order:6")
        );
        assert_eq!(Hoarding::UnpaidTooDear.field_error().code, "unpaid_limit:1500");
        assert_eq!(
            Hoarding::TooManyOpenUnpaid.field_error().code,
            "open_unpaid_limit:3"
        );
    }

    #[test]
    fn unpaid_orders_that_look_like_hoarding_are_flagged() {
        let on_delivery = PaymentMethod::OnDelivery;
        assert_eq!(flag(Fen(5_000), on_delivery, 0), None);
        assert_eq!(flag(Fen(5_000), on_delivery, 1), Some("repeat_unpaid"));
        assert_eq!(flag(Fen(MAX_UNPAID.0 / 2), on_delivery, 0), None);
        assert_eq!(
            flag(Fen(MAX_UNPAID.0 / 2 + 1), on_delivery, 0),
            Some("dear_unpaid")
        );
        assert_eq!(flag(Fen(MAX_UNPAID.0), PaymentMethod::BankTransfer, 2), None);
    }

    proptest! {
        #[test]
        fn subtotal_is_the_sum_of_lines(lines in proptest::collection::vec((1u32..=MAX_QUANTITY, 1i64..10_000_000), 0..MAX_LINES)) {
            let expected: i64 = lines.iter().map(|(q, p)| i64::from(*q) * p).sum();
            prop_assert_eq!(subtotal(lines.iter().map(|(q, p)| (*q, Fen(*p)))).0, expected);
        }

        #[test]
        fn shipping_is_charged_once_and_the_total_adds_up(
            sub in 1i64..1_000_000_000,
            fee in 0i64..100_000,
            from in proptest::option::of(0i64..1_000_000),
        ) {
            let t = totals(Fen(sub), Fen(fee), from.map(Fen));
            prop_assert_eq!(t.total, t.subtotal + t.shipping, "what the schema checks");
            let free = from.is_some_and(|from| sub >= from);
            prop_assert_eq!(t.shipping, if free { Fen::ZERO } else { Fen(fee) });
            prop_assert_eq!(totals(Fen::ZERO, Fen(fee), None).total, Fen::ZERO);
        }

        #[test]
        fn take_never_goes_below_zero(available in 0i64..10_000, requested in 0u32..20_000) {
            match take(available, requested) {
                Some(left) => { prop_assert!(left >= 0); prop_assert_eq!(left + i64::from(requested), available); }
                None => prop_assert!(i64::from(requested) > available),
            }
        }

        #[test]
        fn taking_one_by_one_sells_exactly_what_there_is(available in 0i64..200, buyers in 0usize..400) {
            let mut left = available;
            let mut sold = 0;
            for _ in 0..buyers {
                if let Some(l) = take(left, 1) { left = l; sold += 1; }
            }
            prop_assert_eq!(sold, available.min(buyers as i64));
            prop_assert!(left >= 0);
        }

        #[test]
        fn a_week_has_seven_days(t in 0i64..4_000_000_000) {
            let w = week_index(t);
            prop_assert!(week_index(t + 7 * 86_400) == w + 1);
        }

        #[test]
        fn a_quantity_is_refused_exactly_when_over_its_maximum(quantity in 1u32..=MAX_QUANTITY, max in 1u32..=100) {
            prop_assert_eq!(over_max_per_order(0, quantity, max).is_some(), quantity > max);
        }

        #[test]
        fn unpaid_orders_within_the_limits_pass(total in 0i64..=MAX_UNPAID.0, open in 0..MAX_OPEN_UNPAID_PER_PHONE) {
            prop_assert!(unpaid_limits(Fen(total), PaymentMethod::OnDelivery, open).is_empty());
        }
    }
}
