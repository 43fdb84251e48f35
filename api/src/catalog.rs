//! The catalog: families, their products and the kinds of food they sell.

use serde::{Deserialize, Serialize};

use crate::Fen;

/// Text people wrote, in each of the shop's languages. The app picks the
/// reader's language and falls back through [`Localized::get`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Localized {
    pub ug: String,
    pub zh: String,
    pub en: String,
}

/// The languages of the shop, by their BCP 47 tags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    Ug,
    Zh,
    En,
}

impl Localized {
    /// The text in `lang`, or in the first other language that has it. Uyghur
    /// readers fall back to Chinese before English, the others to Chinese or
    /// English before Uyghur script they may not read.
    pub fn get(&self, lang: Lang) -> &str {
        let order = match lang {
            Lang::Ug => [&self.ug, &self.zh, &self.en],
            Lang::Zh => [&self.zh, &self.en, &self.ug],
            Lang::En => [&self.en, &self.zh, &self.ug],
        };
        order
            .into_iter()
            .find(|s| !s.trim().is_empty())
            .map(String::as_str)
            .unwrap_or("")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ProductKind {
    Nang,
    Eggs,
    Honey,
    Quilt,
    DriedFruit,
    Other,
}

impl ProductKind {
    pub const ALL: [ProductKind; 6] = [
        ProductKind::Nang,
        ProductKind::Eggs,
        ProductKind::Honey,
        ProductKind::Quilt,
        ProductKind::DriedFruit,
        ProductKind::Other,
    ];

    /// The name used in URLs, JSON and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            ProductKind::Nang => "nang",
            ProductKind::Eggs => "eggs",
            ProductKind::Honey => "honey",
            ProductKind::Quilt => "quilt",
            ProductKind::DriedFruit => "dried_fruit",
            ProductKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<ProductKind> {
        ProductKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// How a product's availability is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Capacity {
    /// Things on the shelf (honey, quilts, dried fruit).
    Stock,
    /// What the family can make or collect in a week (nang, eggs).
    Weekly,
}

/// A family as shown on a product card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FamilySummary {
    pub id: i64,
    pub names: Localized,
    pub village: Localized,
    /// Path of the family's picture, e.g. `/img/families/f01.svg`.
    pub photo: String,
}

/// A live product as listed in the shop.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Product {
    pub id: i64,
    pub kind: ProductKind,
    pub names: Localized,
    pub unit: Localized,
    pub price_fen: Fen,
    pub capacity: Capacity,
    /// How many can still be ordered (this week, for weekly products).
    pub available: i64,
    /// Path of the product's picture.
    pub image: String,
    pub family: FamilySummary,
}

/// A family with its story, as on the family page and the product page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Family {
    pub id: i64,
    pub names: Localized,
    pub village: Localized,
    pub story: Localized,
    pub photo: String,
    /// The letters stamped on this family's eggs.
    pub stamp: String,
}

/// `GET /api/products/{id}`: one product and the whole family card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductDetail {
    pub product: Product,
    pub family: Family,
}

/// `GET /api/families/{id}`: the family and its live products.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FamilyPage {
    pub family: Family,
    pub products: Vec<Product>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(ug: &str, zh: &str, en: &str) -> Localized {
        Localized {
            ug: ug.into(),
            zh: zh.into(),
            en: en.into(),
        }
    }

    #[test]
    fn picks_the_readers_language() {
        let t = text("نان", "馕", "Nang");
        assert_eq!(t.get(Lang::Ug), "نان");
        assert_eq!(t.get(Lang::Zh), "馕");
        assert_eq!(t.get(Lang::En), "Nang");
    }

    #[test]
    fn falls_back_when_a_language_is_missing() {
        let t = text("", "馕", "Nang");
        assert_eq!(t.get(Lang::Ug), "馕");
        let t = text("نان", "", " ");
        assert_eq!(t.get(Lang::En), "نان");
        assert_eq!(text("", "", "").get(Lang::Zh), "");
    }

    #[test]
    fn kind_names_round_trip() {
        for kind in ProductKind::ALL {
            assert_eq!(ProductKind::parse(kind.as_str()), Some(kind));
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.as_str()));
        }
        assert_eq!(ProductKind::parse("cheese"), None);
    }
}
