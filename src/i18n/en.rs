//! English.

use super::Texts;

pub const TEXTS: Texts = Texts {
    shop_name: "Bazar",
    promise: "The same food the families eat, traced to the family.",
    all_products: "From the village",
    loading: "Loading…",
    from_family: "by",
    per_unit: "/",
    left_one: "{n} left",
    left_other: "{n} left",
    left_week_one: "{n} left this week",
    left_week_other: "{n} left this week",
    sold_out: "Sold out",
    the_family: "The family",
    back: "Back",
    home: "Home",
    not_found: "This page does not exist.",
    error_network: "No connection. Check your network and try again.",
    error_not_found: "We could not find this.",
    error_server: "Something went wrong on our side. Please try again.",
    error_bad_request: "That request was not valid.",
    retry: "Try again",
    language: "Language",
    no_products: "Nothing here yet.",
};
