//! Running a township's center from the screens: hubs (made by a platform
//! admin), the hub's staff, its families and delivery zones, and the audit
//! log of every change staff make. The rules of each form live here, once;
//! the server refuses what they refuse and the center's screens mark the
//! same fields before sending.

use serde::{Deserialize, Serialize};

use crate::account::{Role, is_username};
use crate::order::check_text;
use crate::{Fen, FieldError, Localized};

/// The longest name of a hub, family, village or zone, in characters.
pub const MAX_NAME: usize = 80;
/// The longest address, bank detail or phone note, in characters.
pub const MAX_DETAIL: usize = 200;
/// The longest story of a family, in characters, per language.
pub const MAX_STORY: usize = 2000;
/// The highest fee a center may take on a family's sales, in basis points (30 %).
pub const MAX_FEE_BP: u32 = 3000;
/// The dearest delivery fee of a zone.
pub const MAX_SHIPPING: Fen = Fen(100_000);
/// The most days a zone's delivery may take.
pub const MAX_DAYS: u32 = 60;
/// The most families one CSV import may bring.
pub const MAX_IMPORT_ROWS: usize = 2000;

/// Whether `slug` can name a hub in addresses: 3 to 32 lowercase Latin
/// letters, digits and inner `-`.
pub fn is_slug(slug: &str) -> bool {
    (3..=32).contains(&slug.len())
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-')
        && !slug.ends_with('-')
}

/// A family's egg stamp as stored: 2 to 4 Latin letters or digits, in
/// capitals (what is stamped on its eggs and printed on its bags). `None`
/// when `input` can't be one.
pub fn normalize_stamp(input: &str) -> Option<String> {
    let stamp: String = input.trim().to_ascii_uppercase();
    ((2..=4).contains(&stamp.len())
        && stamp
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()))
    .then_some(stamp)
}

fn check_localized(field: &str, value: &Localized, max: usize, errors: &mut Vec<FieldError>) {
    for (lang, text) in [("ug", &value.ug), ("zh", &value.zh), ("en", &value.en)] {
        check_text(&format!("{field}.{lang}"), text, max, errors);
    }
}

/// Text that may be left empty, but not too long or with hidden characters.
fn check_optional(field: &str, value: &str, max: usize, errors: &mut Vec<FieldError>) {
    if !value.trim().is_empty() {
        check_text(field, value, max, errors);
    }
}

fn done(errors: Vec<FieldError>) -> Result<(), Vec<FieldError>> {
    if errors.is_empty() { Ok(()) } else { Err(errors) }
}

/// A hub as the admin's list shows it (`GET /api/admin/hubs`), and the
/// body that creates one (`POST /api/admin/hubs`, where `disabled` and the
/// counts are ignored).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "lite", derive(serde_lite::Deserialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Hub {
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 32, pattern = "^[a-z0-9][a-z0-9-]+[a-z0-9]$")
    )]
    pub slug: String,
    pub names: Localized,
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub address: String,
    /// The center's fee on a family's sales, in basis points (800 = 8 %).
    #[cfg_attr(feature = "openapi", schema(maximum = 3000))]
    pub fee_bp: u32,
    /// The account customers who pay by transfer send money to.
    #[serde(default)]
    pub bank_payee: String,
    #[serde(default)]
    pub bank_name: String,
    #[serde(default)]
    pub bank_account: String,
    #[serde(default)]
    pub disabled: bool,
    #[serde(default)]
    pub families: u32,
    #[serde(default)]
    pub operators: u32,
}

impl Hub {
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        if !is_slug(&self.slug) {
            errors.push(FieldError::new("slug", "slug_format"));
        }
        check_localized("names", &self.names, MAX_NAME, &mut errors);
        check_text("address", &self.address, MAX_DETAIL, &mut errors);
        if self.fee_bp > MAX_FEE_BP {
            errors.push(FieldError::new("fee_bp", "out_of_range"));
        }
        check_optional("bank_payee", &self.bank_payee, MAX_DETAIL, &mut errors);
        check_optional("bank_name", &self.bank_name, MAX_DETAIL, &mut errors);
        check_optional("bank_account", &self.bank_account, MAX_DETAIL, &mut errors);
        done(errors)
    }
}

/// `POST /api/admin/hub`: the hub an admin works in (the center's routes
/// then act on it, as for its operators).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "lite", derive(serde_lite::Deserialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkIn {
    #[cfg_attr(feature = "openapi", schema(max_length = 32))]
    pub slug: String,
}

/// `POST /api/center/staff` (and `/api/admin/hubs/{slug}/operators`): a new
/// account of the hub, an operator or a trainer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "lite", derive(serde_lite::Deserialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewStaff {
    #[cfg_attr(feature = "openapi", schema(max_length = 32))]
    pub username: String,
    pub role: Role,
}

impl NewStaff {
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        if !is_username(&self.username) {
            errors.push(FieldError::new("username", "username_format"));
        }
        if !matches!(self.role, Role::Operator | Role::Trainer) {
            errors.push(FieldError::new("role", "not_staff"));
        }
        done(errors)
    }
}

/// One of the hub's staff accounts (`GET /api/center/staff`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "lite", derive(serde_lite::Deserialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffMember {
    pub id: i64,
    pub username: String,
    pub role: Role,
    pub created_at: String,
    #[serde(default)]
    pub disabled: bool,
}

/// A new password, shown this once (a new account, or a reset).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "lite", derive(serde_lite::Deserialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewPassword {
    pub id: i64,
    pub username: String,
    pub password: String,
}

/// A family as the center registers and edits it
/// (`POST /api/center/families`, `PUT /api/center/families/{id}`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "lite", derive(serde_lite::Deserialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FamilyForm {
    pub names: Localized,
    pub village: Localized,
    /// Its mobile number, if it has a phone.
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub story: Localized,
    /// The letters stamped on its eggs (2-4 Latin letters or digits).
    #[cfg_attr(feature = "openapi", schema(max_length = 4))]
    pub stamp: String,
}

impl FamilyForm {
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        check_localized("names", &self.names, MAX_NAME, &mut errors);
        check_localized("village", &self.village, MAX_NAME, &mut errors);
        if !self.phone.trim().is_empty() && crate::order::normalize_phone(&self.phone).is_none() {
            errors.push(FieldError::new("phone", "phone_format"));
        }
        for (lang, text) in [
            ("ug", &self.story.ug),
            ("zh", &self.story.zh),
            ("en", &self.story.en),
        ] {
            check_optional(&format!("story.{lang}"), text, MAX_STORY, &mut errors);
        }
        if normalize_stamp(&self.stamp).is_none() {
            errors.push(FieldError::new("stamp", "stamp_format"));
        }
        done(errors)
    }

    /// The form as stored: trimmed, the phone and the stamp in their one
    /// spelling. Call after `validate`.
    pub fn normalized(&self) -> FamilyForm {
        let t = |l: &Localized| Localized {
            ug: l.ug.trim().to_string(),
            zh: l.zh.trim().to_string(),
            en: l.en.trim().to_string(),
        };
        FamilyForm {
            names: t(&self.names),
            village: t(&self.village),
            phone: crate::order::normalize_phone(&self.phone).unwrap_or_default(),
            story: t(&self.story),
            stamp: normalize_stamp(&self.stamp).unwrap_or_default(),
        }
    }

    /// What makes two rows of an import the same family: its Latin name
    /// and village, compared without case or spacing.
    pub fn import_key(&self) -> String {
        let squash = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
        format!("{}|{}", squash(&self.names.en), squash(&self.village.en))
    }
}

impl From<&crate::center::CenterFamily> for FamilyForm {
    /// The form that would register the family as it is.
    fn from(f: &crate::center::CenterFamily) -> FamilyForm {
        FamilyForm {
            names: f.names.clone(),
            village: f.village.clone(),
            phone: f.phone.clone(),
            story: f.story.clone(),
            stamp: f.stamp.clone(),
        }
    }
}

/// `POST /api/center/families/{id}/photo`: a photo uploaded for the family
/// (`POST /api/center/families/{id}/photos`) becomes its picture in the shop.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "lite", derive(serde_lite::Deserialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FamilyPhoto {
    #[cfg_attr(feature = "openapi", schema(max_length = 64))]
    pub photo: String,
}

/// A delivery zone as the center edits it (`GET/POST /api/center/zones`,
/// `PUT /api/center/zones/{id}`). Orders keep the fee they were placed with.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "lite", derive(serde_lite::Deserialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ZoneForm {
    /// Filled in by the server.
    #[serde(default)]
    pub id: i64,
    /// What checkout names the zone by; filled in by the server.
    #[serde(default)]
    pub code: String,
    pub names: Localized,
    pub shipping_fen: Fen,
    pub days_min: u32,
    pub days_max: u32,
    /// Filled in by the server: no longer offered at checkout.
    #[serde(default)]
    pub retired: bool,
}

impl ZoneForm {
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        check_localized("names", &self.names, MAX_NAME, &mut errors);
        if !(0..=MAX_SHIPPING.0).contains(&self.shipping_fen.0) {
            errors.push(FieldError::new("shipping_fen", "out_of_range"));
        }
        if self.days_max > MAX_DAYS {
            errors.push(FieldError::new("days_max", "out_of_range"));
        }
        if self.days_min > self.days_max {
            errors.push(FieldError::new("days_min", "after_days_max"));
        }
        done(errors)
    }
}

/// The most a product may have in stock, or make in a week.
pub const MAX_COUNT: u32 = 10_000;

/// `PUT /api/center/products/{id}`: what the center corrects of a product.
/// Orders already placed keep the price they were placed at.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "lite", derive(serde_lite::Deserialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductEdit {
    pub names: Localized,
    pub unit: Localized,
    pub price_fen: Fen,
    /// In stock now (a stock product), or made per week (a weekly one).
    pub count: u32,
}

impl ProductEdit {
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        check_localized("names", &self.names, MAX_NAME, &mut errors);
        check_localized("unit", &self.unit, MAX_NAME, &mut errors);
        if !(1..=crate::center::MAX_PRICE_FEN).contains(&self.price_fen.0) {
            errors.push(FieldError::new("price_fen", "out_of_range"));
        }
        if self.count > MAX_COUNT {
            errors.push(FieldError::new("count", "out_of_range"));
        }
        done(errors)
    }
}

/// `POST /api/seller/products/{id}/count` (and the count of a
/// `ProductEdit`): how many the family has, in stock or this week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "lite", derive(serde_lite::Deserialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Count {
    #[cfg_attr(feature = "openapi", schema(maximum = 10000))]
    pub count: u32,
}

/// What is left to order of a weekly product when its weekly count changes
/// from `old_week` to `new_week` in a week where `left` of `old_week` were
/// still to order: what was ordered this week stays ordered, and the rest of
/// the new count is left (never below none).
pub fn weekly_left(old_week: i64, left: i64, new_week: i64) -> i64 {
    let ordered = (old_week - left).max(0);
    (new_week - ordered).max(0)
}

/// One change staff made (`GET /api/center/audit`): who, when, which
/// object, and its values before and after (JSON, as the route took them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "lite", derive(serde_lite::Deserialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    pub id: i64,
    pub at: String,
    /// `role:username` of who made the change.
    pub actor: String,
    /// What changed, e.g. `family:12`, `zone:3`, `account:7`, `hub:aksu`.
    pub object: String,
    /// What was done, e.g. `create`, `edit`, `retire`, `disable`.
    pub action: String,
    #[serde(default)]
    pub old: Option<String>,
    #[serde(default)]
    pub new: Option<String>,
}

/// The fate of one row of a family import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "lite", derive(serde_lite::Deserialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportRow {
    /// The row's line in the file (the header is line 1).
    pub line: u32,
    /// The family's name as the row gives it (Chinese, else Latin).
    pub name: String,
    /// `new`, `exists` (already registered: nothing happens) or `invalid`.
    pub fate: String,
    /// Why an invalid row can't be imported.
    #[serde(default)]
    pub errors: Vec<FieldError>,
}

/// `POST /api/center/families/import[?dry_run=true]`: every row's fate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "lite", derive(serde_lite::Deserialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportReport {
    /// True when nothing was written.
    pub dry_run: bool,
    pub created: u32,
    pub existing: u32,
    pub invalid: u32,
    pub rows: Vec<ImportRow>,
}

/// The columns of a family import, in the template's order.
pub const IMPORT_COLUMNS: [&str; 10] = [
    "name_ug",
    "name_zh",
    "name_en",
    "village_ug",
    "village_zh",
    "village_en",
    "stamp",
    "phone",
    "story_ug",
    "story_zh",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn l(s: &str) -> Localized {
        Localized {
            ug: s.into(),
            zh: s.into(),
            en: s.into(),
        }
    }

    fn family() -> FamilyForm {
        FamilyForm {
            names: l("Tursun"),
            village: l("Yultuz"),
            stamp: "ts".into(),
            ..FamilyForm::default()
        }
    }

    fn codes(result: Result<(), Vec<FieldError>>) -> Vec<(String, String)> {
        result
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect()
    }

    #[test]
    fn slugs() {
        assert!(is_slug("aksu-2"));
        assert!(!is_slug("ak"));
        assert!(!is_slug("-aksu"));
        assert!(!is_slug("aksu-"));
        assert!(!is_slug("Aksu"));
        assert!(!is_slug(&"a".repeat(33)));
        assert!(is_slug(&"a".repeat(32)));
    }

    #[test]
    fn stamps_are_two_to_four_capitals_or_digits() {
        assert_eq!(normalize_stamp(" mrz ").as_deref(), Some("MRZ"));
        assert_eq!(normalize_stamp("R2").as_deref(), Some("R2"));
        assert_eq!(normalize_stamp("ABCD").as_deref(), Some("ABCD"));
        assert_eq!(normalize_stamp("A"), None);
        assert_eq!(normalize_stamp("ABCDE"), None);
        assert_eq!(normalize_stamp("鸡蛋"), None);
        assert_eq!(normalize_stamp("A-B"), None);
    }

    #[test]
    fn a_family_needs_names_a_village_and_a_stamp_and_may_leave_the_rest() {
        assert_eq!(family().validate(), Ok(()));
        let bad = FamilyForm {
            names: Localized {
                ug: String::new(),
                ..l("x")
            },
            phone: "12345".into(),
            story: Localized {
                zh: "x".repeat(MAX_STORY + 1),
                ..Localized::default()
            },
            stamp: "TOOLONG".into(),
            ..family()
        };
        assert_eq!(
            codes(bad.validate()),
            [
                ("names.ug".into(), "required".into()),
                ("phone".into(), "phone_format".into()),
                ("story.zh".into(), "too_long".into()),
                ("stamp".into(), "stamp_format".into()),
            ]
        );
        let at_edge = FamilyForm {
            names: l(&"名".repeat(MAX_NAME)),
            story: l(&"x".repeat(MAX_STORY)),
            phone: "+86 138-0013-8000".into(),
            ..family()
        };
        assert_eq!(at_edge.validate(), Ok(()));
        assert_eq!(at_edge.normalized().phone, "13800138000");
        assert_eq!(at_edge.normalized().stamp, "TS");
        let over = FamilyForm {
            names: l(&"名".repeat(MAX_NAME + 1)),
            ..family()
        };
        assert_eq!(codes(over.validate()).len(), 3);
    }

    #[test]
    fn an_import_key_ignores_case_and_spacing() {
        let a = FamilyForm {
            names: l("Tursun  Family"),
            village: l(" Yultuz Bagh"),
            ..family()
        };
        let b = FamilyForm {
            names: l("tursun family"),
            village: l("YULTUZ   BAGH "),
            ..family()
        };
        assert_eq!(a.import_key(), b.import_key());
        assert_ne!(a.import_key(), family().import_key());
    }

    #[test]
    fn hubs_fees_at_their_edge() {
        let hub = Hub {
            slug: "daxi".into(),
            names: l("Daxi"),
            address: "Daxi township".into(),
            fee_bp: MAX_FEE_BP,
            ..Hub::default()
        };
        assert_eq!(hub.validate(), Ok(()));
        let over = Hub {
            fee_bp: MAX_FEE_BP + 1,
            slug: "Da xi".into(),
            ..hub.clone()
        };
        assert_eq!(
            codes(over.validate()),
            [
                ("slug".into(), "slug_format".into()),
                ("fee_bp".into(), "out_of_range".into())
            ]
        );
    }

    #[test]
    fn zones_days_and_fees_at_their_edge() {
        let zone = ZoneForm {
            names: l("Urumqi"),
            shipping_fen: MAX_SHIPPING,
            days_min: MAX_DAYS,
            days_max: MAX_DAYS,
            ..ZoneForm::default()
        };
        assert_eq!(zone.validate(), Ok(()));
        let bad = ZoneForm {
            shipping_fen: Fen(MAX_SHIPPING.0 + 1),
            days_min: 3,
            days_max: 2,
            ..zone.clone()
        };
        assert_eq!(
            codes(bad.validate()),
            [
                ("shipping_fen".into(), "out_of_range".into()),
                ("days_min".into(), "after_days_max".into())
            ]
        );
        let negative = ZoneForm {
            shipping_fen: Fen(-1),
            days_max: MAX_DAYS + 1,
            days_min: 0,
            ..zone
        };
        assert_eq!(codes(negative.validate()).len(), 2);
    }

    #[test]
    fn a_new_weekly_count_keeps_what_was_ordered_this_week() {
        // 20 a week, 5 ordered: 15 left. Now 30 a week: 25 left.
        assert_eq!(weekly_left(20, 15, 30), 25);
        // Down to 4 a week: 5 were ordered already, nothing more.
        assert_eq!(weekly_left(20, 15, 4), 0);
        // Nothing ordered yet: the whole new count.
        assert_eq!(weekly_left(20, 20, 12), 12);
        assert_eq!(weekly_left(0, 0, 0), 0);
    }

    proptest::proptest! {
        #[test]
        fn what_is_left_is_never_negative_nor_more_than_the_count(old in 0i64..10_000, left_share in 0i64..=100, new in 0i64..10_000) {
            let left = old * left_share / 100;
            let after = weekly_left(old, left, new);
            proptest::prop_assert!((0..=new).contains(&after));
            // What was ordered plus what is left is the new count, unless
            // more were ordered than the new count allows.
            proptest::prop_assert_eq!(after + (old - left), new.max(old - left));
        }
    }

    #[test]
    fn product_edits_at_their_edges() {
        let edit = ProductEdit {
            names: l("Eggs"),
            unit: l("egg"),
            price_fen: Fen(crate::center::MAX_PRICE_FEN),
            count: MAX_COUNT,
        };
        assert_eq!(edit.validate(), Ok(()));
        let over = ProductEdit {
            price_fen: Fen(0),
            count: MAX_COUNT + 1,
            ..edit
        };
        assert_eq!(
            codes(over.validate()),
            [
                ("price_fen".into(), "out_of_range".into()),
                ("count".into(), "out_of_range".into())
            ]
        );
    }

    #[test]
    fn staff_are_operators_or_trainers() {
        let ok = NewStaff {
            username: "gulnar.ops".into(),
            role: Role::Trainer,
        };
        assert_eq!(ok.validate(), Ok(()));
        for role in [Role::Family, Role::Admin] {
            let bad = NewStaff { role, ..ok.clone() };
            assert_eq!(codes(bad.validate()), [("role".into(), "not_staff".into())]);
        }
    }
}
