//! A listing as far as the seller got, kept on the phone after every step
//! (the real one, and a lesson's practice one), and the kinds it is of.

use bazar_api::ProductKind;
use serde::Serialize;

/// The kinds a seller picks from, with their pictures.
pub const KINDS: [(ProductKind, &str, &str); 4] = [
    (ProductKind::Nang, "/img/kinds/nang.svg", "kind-nang"),
    (ProductKind::Eggs, "/img/kinds/eggs.svg", "kind-eggs"),
    (ProductKind::Honey, "/img/kinds/honey.svg", "kind-honey"),
    (ProductKind::Other, "/img/logo.svg", "kind-other"),
];

/// The listing as far as the seller got.
#[derive(Debug, Clone, PartialEq, Serialize, serde_lite::Deserialize)]
pub struct Draft {
    pub step: u8,
    pub kind: Option<ProductKind>,
    /// The uploaded photo's name (a real listing).
    pub photo: Option<String>,
    /// Where the photo is shown from.
    pub photo_url: Option<String>,
    pub weekly: bool,
    pub quantity: u32,
    /// The price as typed on the keypad, in yuan.
    pub price: String,
}

impl Default for Draft {
    fn default() -> Draft {
        Draft {
            step: 0,
            kind: None,
            photo: None,
            photo_url: None,
            weekly: true,
            quantity: 10,
            price: String::new(),
        }
    }
}

/// The storage keys of the real draft and of practice.
pub const DRAFT_KEY: &str = "bazar.listing_draft";
pub const PRACTICE_KEY: &str = "bazar.practice_draft";
/// Practice listings "sent" in lessons stay on the phone, here.
pub const PRACTICE_SENT_KEY: &str = "bazar.practice_listings";
