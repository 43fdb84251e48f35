//! ئۇيغۇرچە (Uyghur, Arabic script, right-to-left).

use super::Texts;

pub const TEXTS: Texts = Texts {
    shop_name: "بازار",
    promise: "ئائىلىلەر ئۆزى يەيدىغان يېمەكلىك، ھەر بىرىنى ئائىلىسىگىچە ئىز قوغلىغىلى بولىدۇ.",
    all_products: "يېزىدىن كەلگەن",
    loading: "يۈكلىنىۋاتىدۇ…",
    from_family: "ئائىلە:",
    per_unit: "/",
    left_one: "{n} دانە قالدى",
    left_other: "{n} دانە قالدى",
    left_week_one: "بۇ ھەپتە {n} دانە قالدى",
    left_week_other: "بۇ ھەپتە {n} دانە قالدى",
    sold_out: "سېتىلىپ بولدى",
    the_family: "ئائىلە",
    back: "قايتىش",
    home: "باش بەت",
    not_found: "بۇ بەت تېپىلمىدى.",
    error_network: "تور يوق. تورنى تەكشۈرۈپ قايتا سىناڭ.",
    error_not_found: "تېپىلمىدى.",
    error_server: "مۇلازىمېتىردا خاتالىق كۆرۈلدى. قايتا سىناڭ.",
    error_bad_request: "بۇ تەلەپ ئىناۋەتسىز.",
    retry: "قايتا سىناش",
    language: "تىل",
    no_products: "ھازىرچە مەھسۇلات يوق.",
};
