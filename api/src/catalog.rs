//! The catalog: families, their products and the kinds of food they sell.

use serde::{Deserialize, Serialize};

use crate::Fen;

/// Text people wrote, in each of the shop's languages. The app picks the
/// reader's language and falls back through [`Localized::get`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "lite", derive(serde_lite::Deserialize))]
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

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::Ug, Lang::Zh, Lang::En];

    /// The language a BCP 47 tag names, by its primary subtag ("zh-CN",
    /// "ug-Arab-CN", "en_US"); `None` for one the shop does not speak.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?;
        Lang::ALL
            .into_iter()
            .find(|lang| primary.eq_ignore_ascii_case(lang.code()))
    }

    /// The first of a reader's languages (most wanted first) the shop
    /// speaks. The app asks with the browser's languages, the server with
    /// `Accept-Language` (see [`accept_language`]), so both choose alike.
    pub fn negotiate<'a>(preferred: impl IntoIterator<Item = &'a str>) -> Option<Lang> {
        preferred.into_iter().find_map(Lang::from_tag)
    }

    /// The BCP 47 tag pages and storage use ("zh-Hans": simplified script).
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Ug => "ug",
            Lang::Zh => "zh-Hans",
            Lang::En => "en",
        }
    }

    /// The writing direction: Uyghur's Arabic script runs right to left.
    pub fn dir(self) -> &'static str {
        if self == Lang::Ug { "rtl" } else { "ltr" }
    }

    /// "ug", "zh" or "en": the primary subtag, as in [`Localized`]'s fields.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ug => "ug",
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }
}

/// The language tags of an `Accept-Language` header, most wanted first:
/// by quality, then in the order written; those with `q=0` or a quality
/// that is not a number are left out.
pub fn accept_language(header: &str) -> Vec<&str> {
    let mut tags: Vec<(f32, usize, &str)> = header
        .split(',')
        .enumerate()
        .filter_map(|(i, item)| {
            let mut parts = item.split(';');
            let tag = parts.next()?.trim();
            let q = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())?;
            (q > 0.0 && !tag.is_empty()).then_some((q, i, tag))
        })
        .collect();
    tags.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    tags.into_iter().map(|(_, _, tag)| tag).collect()
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

crate::named! {
    pub enum ProductKind {
        Nang = "nang",
        Eggs = "eggs",
        Honey = "honey",
        Quilt = "quilt",
        DriedFruit = "dried_fruit",
        Other = "other",
    }
}

impl ProductKind {
    /// The most of one product of this kind a customer may order at once,
    /// unless the product sets its own: what a household buys, so that one
    /// order can't take a family's whole week.
    pub fn default_max_per_order(self) -> u32 {
        match self {
            ProductKind::Nang => 30,
            ProductKind::Eggs => 6,
            ProductKind::Honey => 6,
            ProductKind::Quilt => 2,
            ProductKind::DriedFruit => 10,
            ProductKind::Other => 10,
        }
    }
}

crate::named! {
    /// How a product's availability is counted.
    pub enum Capacity {
        /// Things on the shelf (honey, quilts, dried fruit).
        Stock = "stock",
        /// What the family can make or collect in a week (nang, eggs).
        Weekly = "weekly",
    }
}

/// A family as shown on a product card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "lite", derive(serde_lite::Deserialize))]
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
#[cfg_attr(feature = "lite", derive(serde_lite::Deserialize))]
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
    /// The most one order may take (see [`ProductKind::default_max_per_order`]);
    /// 0 in a copy stored before the field existed: see [`Product::order_limit`].
    #[serde(default)]
    pub max_per_order: u32,
    /// Path of the product's picture.
    pub image: String,
    pub family: FamilySummary,
}

impl Product {
    /// The most of this product one order may take.
    pub fn order_limit(&self) -> u32 {
        if self.max_per_order == 0 {
            self.kind.default_max_per_order()
        } else {
            self.max_per_order
        }
    }
}

/// A family with its story, as on the family page and the product page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "lite", derive(serde_lite::Deserialize))]
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
#[cfg_attr(feature = "lite", derive(serde_lite::Deserialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductDetail {
    pub product: Product,
    pub family: Family,
}

/// `GET /api/families/{id}`: the family and its live products.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "lite", derive(serde_lite::Deserialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FamilyPage {
    pub family: Family,
    pub products: Vec<Product>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_are_read_from_tags() {
        assert_eq!(Lang::from_tag("zh-CN"), Some(Lang::Zh));
        assert_eq!(Lang::from_tag("ug-Arab-CN"), Some(Lang::Ug));
        assert_eq!(Lang::from_tag("en_US"), Some(Lang::En));
        assert_eq!(Lang::from_tag("EN"), Some(Lang::En));
        assert_eq!(Lang::from_tag("zh-Hans"), Some(Lang::Zh));
        assert_eq!(Lang::from_tag("fr"), None);
        assert_eq!(Lang::from_tag(""), None);
        assert_eq!(Lang::negotiate(["fr-FR", "de", "en-GB", "zh"]), Some(Lang::En));
        assert_eq!(Lang::negotiate(["fr-FR"]), None);
    }

    #[test]
    fn accept_language_is_ordered_by_quality() {
        assert_eq!(
            accept_language("ug-CN,ug;q=0.9,zh-CN;q=0.8"),
            ["ug-CN", "ug", "zh-CN"]
        );
        assert_eq!(accept_language("en;q=0.2, ug;q=0.8"), ["ug", "en"]);
        assert_eq!(accept_language("ug;q=0, en"), ["en"]);
        assert_eq!(accept_language("fr, de;q=x, en;q=0.5"), ["fr", "en"]);
        assert!(accept_language("").is_empty());
        assert_eq!(
            Lang::negotiate(accept_language("fr-FR, en;q=0.5, ug;q=0.4")),
            Some(Lang::En)
        );
    }

    proptest::proptest! {
        /// Every tag wanted at all comes out, most wanted first, ties in the
        /// order written; unwanted ones (q=0) do not.
        #[test]
        fn accept_language_keeps_every_wanted_tag_in_order(
            entries in proptest::collection::vec(("[a-z]{2}(-[A-Z]{2})?", 0u8..=10), 0..8),
        ) {
            let header = entries
                .iter()
                .map(|(tag, q)| format!("{tag};q={}", f32::from(*q) / 10.0))
                .collect::<Vec<_>>()
                .join(", ");
            let mut wanted: Vec<&(String, u8)> = entries.iter().filter(|(_, q)| *q > 0).collect();
            wanted.sort_by_key(|e| std::cmp::Reverse(e.1));
            let expected: Vec<&str> = wanted.iter().map(|(tag, _)| tag.as_str()).collect();
            proptest::prop_assert_eq!(accept_language(&header), expected);
        }
    }

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
