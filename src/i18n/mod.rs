//! The app's languages: Uyghur (right-to-left), Chinese and English.
//!
//! Every text the app shows is a field of [`Texts`]; each language is one
//! constant of that struct, so a text missing in any language fails the build.
//! Content people write (product names, stories) comes from the server in all
//! three languages and is picked with [`Locale::lang`].

mod en;
mod ug;
mod zh;

use bazar_api::{Fen, Lang, OrderStatus, ProductKind};
use leptos::prelude::*;

/// Declares a struct of texts (the shop's [`Texts`], the center's and the
/// seller's) and a list of its entries for the catalog tests.
macro_rules! catalog {
    ($name:ident; $($(#[$doc:meta])* $key:ident),* $(,)?) => {
        /// Every text of one part of the app, in one language.
        pub struct $name {
            $($(#[$doc])* pub $key: &'static str,)*
        }

        impl $name {
            /// Every (key, text) pair, for tests.
            pub fn entries(&self) -> Vec<(&'static str, &'static str)> {
                vec![$((stringify!($key), self.$key),)*]
            }
        }
    };
}

pub(crate) use catalog;

catalog! {
    Texts;
    /// The shop's name in the header.
    shop_name,
    /// The promise on the home page.
    promise,
    /// Heading of the product list.
    all_products,
    /// Shown while something loads.
    loading,
    /// Before a family's name on a product card.
    from_family,
    /// Between a price and its unit.
    per_unit,
    /// {n} left (one).
    left_one,
    /// {n} left (other).
    left_other,
    /// {n} left this week (one).
    left_week_one,
    /// {n} left this week (other).
    left_week_other,
    /// Sold out.
    sold_out,
    /// Heading of the family card.
    the_family,
    /// Back link.
    back,
    /// Home link.
    home,
    /// Unknown page.
    not_found,
    /// No answer from the network.
    error_network,
    /// The thing asked for does not exist.
    error_not_found,
    /// The server failed.
    error_server,
    /// The request was refused as malformed.
    error_bad_request,
    /// Too many requests.
    error_too_many,
    /// Try-again button.
    retry,
    /// Label of the language switcher.
    language,
    /// Nothing matches.
    no_products,
    /// Menu button.
    menu,
    /// The basket (button and page title).
    basket,
    /// My orders link and page title.
    my_orders,
    /// Heading over the kind tiles.
    kinds_title,
    /// Kind: nang flatbread.
    kind_nang,
    /// Kind: eggs.
    kind_eggs,
    /// Kind: honey.
    kind_honey,
    /// Kind: quilts.
    kind_quilt,
    /// Kind: dried fruit and nuts.
    kind_dried_fruit,
    /// Kind: other.
    kind_other,
    /// Filter: every kind.
    all_kinds,
    /// Heading over the families on the home page.
    families_title,
    /// Link to the full listing.
    see_all,
    /// Label of the search field.
    search_label,
    /// Placeholder of the search field.
    search_placeholder,
    /// Label of the sort choice.
    sort_label,
    /// Sort: as listed.
    sort_default,
    /// Sort: cheapest first.
    sort_price_asc,
    /// Sort: dearest first.
    sort_price_desc,
    /// Label of a quantity stepper.
    quantity,
    /// Stepper minus button (for screen readers).
    decrease,
    /// Stepper plus button (for screen readers).
    increase,
    /// Add-to-basket button.
    add_to_basket,
    /// Confirmation after adding.
    added_to_basket,
    /// Link to the basket.
    view_basket,
    /// Heading of a family's products.
    family_products,
    /// Link to the family page.
    visit_family,
    /// Empty basket.
    basket_empty,
    /// Remove a basket line.
    remove,
    /// Subtotal label.
    subtotal,
    /// Shipping label.
    shipping,
    /// Total label.
    total,
    /// Label of the delivery zone choice.
    zone_label,
    /// Prompt of the zone choice.
    choose_zone,
    /// Typical delivery time; {n} is a range like 3-5.
    days_range,
    /// A basket line asks for more than is left; {n} is what is left.
    only_left,
    /// A basket line's product is gone.
    no_longer_sold,
    /// Checkout button.
    checkout,
    /// Checkout blocked by flagged lines.
    fix_basket_first,
    /// Link back to the shop.
    continue_shopping,
    /// Checkout page title.
    checkout_title,
    /// Under the checkout title.
    guest_note,
    /// Name field.
    field_name,
    /// Phone field.
    field_phone,
    /// Address field.
    field_address,
    /// Payment choice.
    field_payment,
    /// Payment: on delivery.
    pay_on_delivery,
    /// Payment: bank transfer.
    pay_bank_transfer,
    /// Place-order button.
    place_order,
    /// While the order is sent.
    placing_order,
    /// The order is saved and waits for the network.
    waiting_network,
    /// The order was refused: sold out.
    order_sold_out,
    /// The order was refused: fix the fields.
    order_invalid,
    /// Under the amount on a product page, and when an order asked for more:
    /// `{n}` is the most one order may take.
    per_order_limit,
    /// An order paid on delivery worth more than ¥`{n}`.
    order_unpaid_limit,
    /// A phone with `{n}` unpaid orders open already.
    order_open_unpaid_limit,
    /// Field error: empty.
    err_required,
    /// Field error: not a mobile number.
    err_phone_format,
    /// Field error: too long.
    err_too_long,
    /// Field error: hidden control characters.
    err_invalid_characters,
    /// Field error: unknown zone.
    err_unknown_zone,
    /// Field error: anything else.
    err_invalid,
    /// Confirmation page title.
    thanks_title,
    /// Label of the order code.
    order_code,
    /// Label of the private tracking link.
    tracking_link,
    /// Under the tracking link.
    tracking_link_hint,
    /// Copy button.
    copy_link,
    /// After copying.
    copied,
    /// Button to the tracking page.
    track_order,
    /// After placing, pay on delivery.
    pay_courier_hint,
    /// After placing, bank transfer.
    bank_details,
    /// Who receives a transfer.
    payee,
    /// The bank of the account.
    bank_name,
    /// The account number.
    account,
    /// What to write in the transfer's note.
    transfer_note,
    /// Tracking page title.
    track_title,
    /// Status: placed.
    status_placed,
    /// Status: collecting.
    status_collecting,
    /// Status: at the service center.
    status_at_center,
    /// Status: packed.
    status_packed,
    /// Status: shipped by air.
    status_shipped,
    /// Status: delivered.
    status_delivered,
    /// Status: cancelled.
    status_cancelled,
    /// Air waybill label.
    waybill,
    /// Heading of an order's lines.
    lines_title,
    /// Trace page title and menu entry.
    trace_title,
    /// Under the trace field.
    trace_hint,
    /// Trace look-up button.
    trace_button,
    /// The typed code cannot be one.
    trace_invalid,
    /// No batch with this code.
    trace_not_found,
    /// Heading of a found trace.
    trace_found,
    /// When a batch was collected.
    collected_on,
    /// Village label.
    village,
    /// No orders placed from this phone.
    no_orders,
    /// An order waits for the network.
    pending_banner,
}

/// A language of the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Locale {
    Ug,
    ZhHans,
    En,
}

impl Locale {
    pub const ALL: [Locale; 3] = [Locale::Ug, Locale::ZhHans, Locale::En];

    /// The BCP 47 tag, for `<html lang>` and storage.
    pub fn tag(self) -> &'static str {
        self.lang().tag()
    }

    /// The language's own name, in its own script.
    pub fn native_name(self) -> &'static str {
        match self {
            Locale::Ug => "ئۇيغۇرچە",
            Locale::ZhHans => "中文",
            Locale::En => "English",
        }
    }

    pub fn is_rtl(self) -> bool {
        self == Locale::Ug
    }

    pub fn dir(self) -> &'static str {
        self.lang().dir()
    }

    /// Which language of server content this reader wants first.
    pub fn lang(self) -> Lang {
        match self {
            Locale::Ug => Lang::Ug,
            Locale::ZhHans => Lang::Zh,
            Locale::En => Lang::En,
        }
    }

    pub fn texts(self) -> &'static Texts {
        match self {
            Locale::Ug => &ug::TEXTS,
            Locale::ZhHans => &zh::TEXTS,
            Locale::En => &en::TEXTS,
        }
    }

    /// The app's language for a language of server content.
    pub fn of(lang: Lang) -> Locale {
        match lang {
            Lang::Ug => Locale::Ug,
            Lang::Zh => Locale::ZhHans,
            Lang::En => Locale::En,
        }
    }

    /// Reads a stored tag or a browser language ("zh-CN", "ug-Arab-CN", "en-US").
    pub fn from_tag(tag: &str) -> Option<Locale> {
        Lang::from_tag(tag).map(Locale::of)
    }

    /// The first of the browser's languages the app speaks, else `fallback`
    /// (the server picks the static shell's language by the same rule).
    pub fn negotiate<'a>(preferred: impl IntoIterator<Item = &'a str>, fallback: Locale) -> Locale {
        Lang::negotiate(preferred).map_or(fallback, Locale::of)
    }

    /// Whether `n` takes the "one" form (CLDR: ug and en have one/other,
    /// Chinese has only other).
    pub fn is_one(self, n: i64) -> bool {
        match self {
            Locale::Ug | Locale::En => n == 1,
            Locale::ZhHans => false,
        }
    }

    /// Picks the plural form and fills in `{n}`.
    pub fn plural(self, n: i64, one: &str, other: &str) -> String {
        let form = if self.is_one(n) { one } else { other };
        form.replace("{n}", &n.to_string())
    }

    /// A price as the locale writes it: ¥1,234.00. The sign always comes
    /// first; the caller isolates it with `<bdi>` inside right-to-left text.
    pub fn price(self, fen: Fen) -> String {
        let grouping = match self {
            // Uyghur in China writes Western digits grouped by commas, like Chinese.
            Locale::Ug | Locale::ZhHans | Locale::En => ",",
        };
        format!("¥{}", fen.format_grouped(grouping))
    }
}

impl Texts {
    /// The name of a kind of food.
    pub fn kind(&self, kind: ProductKind) -> &'static str {
        match kind {
            ProductKind::Nang => self.kind_nang,
            ProductKind::Eggs => self.kind_eggs,
            ProductKind::Honey => self.kind_honey,
            ProductKind::Quilt => self.kind_quilt,
            ProductKind::DriedFruit => self.kind_dried_fruit,
            ProductKind::Other => self.kind_other,
        }
    }

    /// The name of an order's status.
    pub fn status(&self, status: OrderStatus) -> &'static str {
        match status {
            OrderStatus::Placed => self.status_placed,
            OrderStatus::Collecting => self.status_collecting,
            OrderStatus::AtCenter => self.status_at_center,
            OrderStatus::Packed => self.status_packed,
            OrderStatus::Shipped => self.status_shipped,
            OrderStatus::Delivered => self.status_delivered,
            OrderStatus::Cancelled => self.status_cancelled,
        }
    }

    /// What to say about a field the server or the form refused, by its code.
    pub fn field_error(&self, code: &str) -> &'static str {
        match code {
            "required" => self.err_required,
            "phone_format" => self.err_phone_format,
            "too_long" => self.err_too_long,
            "invalid_characters" => self.err_invalid_characters,
            "unknown_zone" => self.err_unknown_zone,
            _ => self.err_invalid,
        }
    }
}

const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

impl Locale {
    /// A day (and time) as the locale writes it.
    pub fn date(self, year: u32, month: u32, day: u32, time: Option<(u32, u32)>) -> String {
        let month_en = MONTHS_EN
            .get(month.saturating_sub(1) as usize)
            .copied()
            .unwrap_or("");
        let date = match self {
            Locale::ZhHans => format!("{year}年{month}月{day}日"),
            Locale::En => format!("{day} {month_en} {year}"),
            Locale::Ug => format!("{year}-يىلى {month}-ئاينىڭ {day}-كۈنى"),
        };
        match (time, self) {
            (Some((h, m)), Locale::En) => format!("{date}, {h:02}:{m:02}"),
            (Some((h, m)), _) => format!("{date} {h:02}:{m:02}"),
            (None, _) => date,
        }
    }

    /// A `YYYY-MM-DD` day, or the text itself when it is not one.
    pub fn day(self, iso_day: &str) -> String {
        let mut parts = iso_day.splitn(3, '-').map(|p| p.parse::<u32>());
        match (parts.next(), parts.next(), parts.next()) {
            (Some(Ok(y)), Some(Ok(m)), Some(Ok(d))) => self.date(y, m, d, None),
            _ => iso_day.to_string(),
        }
    }

    /// An RFC 3339 moment in the phone's own time zone.
    pub fn moment(self, rfc3339: &str) -> String {
        let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(rfc3339));
        if date.get_time().is_nan() {
            return rfc3339.to_string();
        }
        self.date(
            date.get_full_year(),
            date.get_month() + 1,
            date.get_date(),
            Some((date.get_hours(), date.get_minutes())),
        )
    }
}

/// The reader's language, shared by every component (a newtype so it cannot
/// be confused with another signal in context).
#[derive(Clone, Copy)]
pub struct I18n(pub RwSignal<Locale>);

impl I18n {
    pub fn locale(&self) -> Locale {
        self.0.get()
    }

    pub fn t(&self) -> &'static Texts {
        self.0.get().texts()
    }

    pub fn set(&self, locale: Locale) {
        self.0.set(locale);
    }
}

pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

/// A text of the catalog that follows the reader's language. Every text is
/// the same concrete type (a closure per text would each be compiled into
/// its own copy of the rendering code, and the app is downloaded on slow
/// networks).
pub fn tr(pick: fn(&'static Texts) -> &'static str) -> Signal<&'static str> {
    let i18n = use_i18n();
    Signal::derive(move || pick(i18n.t()))
}

const STORAGE_KEY: &str = "bazar.locale";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The stored choice, else the browser's languages, else `fallback`.
pub fn initial_locale(fallback: Locale) -> Locale {
    if let Some(stored) = storage()
        .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
        .and_then(|t| Locale::from_tag(&t))
    {
        return stored;
    }
    let languages: Vec<String> = web_sys::window()
        .map(|w| {
            w.navigator()
                .languages()
                .iter()
                .filter_map(|v| v.as_string())
                .collect()
        })
        .unwrap_or_default();
    Locale::negotiate(languages.iter().map(String::as_str), fallback)
}

/// Provides the [`I18n`] context and keeps `<html lang dir>` and the stored
/// choice in step with it.
pub fn provide_i18n(fallback: Locale) -> I18n {
    let i18n = I18n(RwSignal::new(initial_locale(fallback)));
    provide_context(i18n);
    Effect::new(move |_| {
        let locale = i18n.locale();
        if let Some(html) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = html.set_attribute("lang", locale.tag());
            let _ = html.set_attribute("dir", locale.dir());
        }
        if let Some(s) = storage() {
            let _ = s.set_item(STORAGE_KEY, locale.tag());
        }
    });
    i18n
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The apps' sources and pages, but the shop's tables of texts.
    fn uses() -> String {
        fn walk(dir: &std::path::Path, out: &mut String) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                let name = path.to_string_lossy().replace('\\', "/");
                // The shop's tables of texts (the center's and the sellers'
                // are `key: "…"` lines, which never read like a use).
                let catalog = ["i18n/ug.rs", "i18n/zh.rs", "i18n/en.rs"]
                    .iter()
                    .any(|c| name.ends_with(c));
                if path.is_dir() {
                    walk(&path, out);
                } else if !catalog && path.extension().is_some_and(|e| e == "rs") {
                    out.push_str(&std::fs::read_to_string(&path).unwrap());
                }
            }
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut out = String::new();
        walk(&root.join("src"), &mut out);
        for page in ["index.html", "center.html", "seller.html"] {
            out.push_str(&std::fs::read_to_string(root.join(page)).unwrap());
        }
        out
    }

    /// Whether `key` is read somewhere: `t.key` in code, `data-t="key"` in a page.
    fn used(uses: &str, key: &str) -> bool {
        let field = format!(".{key}");
        uses.match_indices(&field)
            .any(|(at, _)| !uses[at + field.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '_'))
            || uses.contains(&format!("data-t=\"{key}\""))
    }

    #[test]
    fn every_catalog_key_is_used() {
        let uses = uses();
        let keys = zh::TEXTS
            .entries()
            .into_iter()
            .chain(crate::center::texts::ZH.entries())
            .chain(crate::seller::texts::UG.entries())
            .map(|(key, _)| key);
        let unused: Vec<&str> = keys.filter(|key| !used(&uses, key)).collect();
        assert!(unused.is_empty(), "texts no code uses: {unused:?}");
    }

    /// index.html paints the home page before the app arrives, in the
    /// reader's language: its Chinese is written into the page, every
    /// language sits in its JSON of shell texts. They must be the app's own
    /// texts, or the page would change under the reader's eyes on mount.
    #[test]
    fn the_static_shell_speaks_the_apps_texts() {
        let html = include_str!("../../index.html");
        let shell = crate::shell_texts(html);
        let keys = crate::attribute_values(html, "data-t");
        assert_eq!(
            keys.len(),
            9,
            "brand, promise, title, five kinds, loading: {keys:?}"
        );
        let text = |locale: Locale, key: &str| {
            locale
                .texts()
                .entries()
                .into_iter()
                .find(|(k, _)| *k == key)
                .unwrap_or_else(|| panic!("no text {key}"))
                .1
        };
        for key in &keys {
            let zh = text(Locale::ZhHans, key);
            assert!(
                html.contains(&format!("data-t=\"{key}\">{zh}<")),
                "{key} in Chinese"
            );
        }
        for (locale, tag) in [(Locale::Ug, "ug"), (Locale::ZhHans, "zh"), (Locale::En, "en")] {
            let texts = &shell[tag];
            for key in &keys {
                assert!(texts.contains_key(*key), "{key} missing in {tag}");
            }
            assert!(
                texts.contains_key("back"),
                "the product page's shell needs back in {tag}"
            );
            for (key, shell_text) in texts {
                assert_eq!(shell_text, text(locale, key), "{key} in {tag}");
            }
        }
    }

    #[test]
    fn no_text_is_empty_in_any_language() {
        for locale in Locale::ALL {
            let entries = locale.texts().entries();
            for (key, text) in entries {
                assert!(!text.trim().is_empty(), "{key} is empty in {}", locale.tag());
            }
        }
    }

    #[test]
    fn placeholders_match_across_languages() {
        let en = Locale::En.texts().entries();
        for locale in Locale::ALL {
            for ((key, text), (_, en_text)) in locale.texts().entries().into_iter().zip(en.iter()) {
                assert_eq!(
                    text.contains("{n}"),
                    en_text.contains("{n}"),
                    "{key} in {} has other placeholders than English",
                    locale.tag()
                );
            }
        }
    }

    #[test]
    fn negotiates_from_browser_languages() {
        assert_eq!(Locale::negotiate(["fr-FR", "zh-CN"], Locale::En), Locale::ZhHans);
        assert_eq!(Locale::negotiate(["ug-Arab-CN"], Locale::ZhHans), Locale::Ug);
        assert_eq!(Locale::negotiate(["de"], Locale::ZhHans), Locale::ZhHans);
        assert_eq!(Locale::negotiate([], Locale::Ug), Locale::Ug);
    }

    #[test]
    fn plural_forms_follow_cldr() {
        assert_eq!(Locale::En.plural(1, "{n} left", "{n} left all"), "1 left");
        assert_eq!(Locale::En.plural(2, "{n} one", "{n} other"), "2 other");
        assert_eq!(Locale::ZhHans.plural(1, "{n} one", "{n} other"), "1 other");
        assert_eq!(Locale::Ug.plural(1, "{n} one", "{n} other"), "1 one");
    }

    #[test]
    fn dates_follow_each_locale() {
        assert_eq!(
            Locale::ZhHans.date(2026, 11, 28, Some((9, 5))),
            "2026年11月28日 09:05"
        );
        assert_eq!(
            Locale::En.date(2026, 11, 28, Some((14, 30))),
            "28 Nov 2026, 14:30"
        );
        assert_eq!(Locale::Ug.day("2026-11-28"), "2026-يىلى 11-ئاينىڭ 28-كۈنى");
        assert_eq!(Locale::En.day("soon"), "soon");
    }

    #[test]
    fn prices_are_grouped_with_the_yuan_sign_first() {
        assert_eq!(Locale::ZhHans.price(Fen(1250)), "¥12.50");
        assert_eq!(Locale::Ug.price(Fen(123_400)), "¥1,234.00");
    }
}
