//! The app's languages: Uyghur (right-to-left), Chinese and English.
//!
//! Every text the app shows is a field of [`Texts`]; each language is one
//! constant of that struct, so a text missing in any language fails the build.
//! Content people write (product names, stories) comes from the server in all
//! three languages and is picked with [`Locale::lang`].

mod en;
mod ug;
mod zh;

use bazar_api::{Fen, Lang};
use leptos::prelude::*;

/// Declares [`Texts`] and a list of its entries for the catalog test.
macro_rules! catalog {
    ($($(#[$doc:meta])* $key:ident),* $(,)?) => {
        /// Every text of the app, in one language.
        pub struct Texts {
            $($(#[$doc])* pub $key: &'static str,)*
        }

        impl Texts {
            /// Every (key, text) pair, for tests.
            pub fn entries(&self) -> Vec<(&'static str, &'static str)> {
                vec![$((stringify!($key), self.$key),)*]
            }
        }
    };
}

catalog! {
    /// The shop's name in the header.
    shop_name,
    /// The promise under the name.
    promise,
    /// Heading of the product list on the home page.
    all_products,
    /// Shown while the products load.
    loading,
    /// "by" before a family's name on a product card.
    from_family,
    /// Unit price suffix: "/ {unit}".
    per_unit,
    /// "{n} left" (one form).
    left_one,
    /// "{n} left" (other form).
    left_other,
    /// "{n} left this week" (one form).
    left_week_one,
    /// "{n} left this week" (other form).
    left_week_other,
    /// Sold out.
    sold_out,
    /// The family card heading on the product page.
    the_family,
    /// Back link label.
    back,
    /// Home link label.
    home,
    /// The page does not exist.
    not_found,
    /// No answer from the network.
    error_network,
    /// The thing asked for does not exist (server 404).
    error_not_found,
    /// The server could not do it (5xx or an unreadable answer).
    error_server,
    /// The request was refused as malformed.
    error_bad_request,
    /// Try-again button.
    retry,
    /// Label of the language switcher.
    language,
    /// Nothing matches.
    no_products,
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
        match self {
            Locale::Ug => "ug",
            Locale::ZhHans => "zh-Hans",
            Locale::En => "en",
        }
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
        if self.is_rtl() { "rtl" } else { "ltr" }
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

    /// Reads a stored tag or a browser language ("zh-CN", "ug-Arab-CN", "en-US").
    pub fn from_tag(tag: &str) -> Option<Locale> {
        let primary = tag.split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "ug" => Some(Locale::Ug),
            "zh" => Some(Locale::ZhHans),
            "en" => Some(Locale::En),
            _ => None,
        }
    }

    /// The first of the browser's languages the app speaks, else `fallback`.
    pub fn negotiate<'a>(preferred: impl IntoIterator<Item = &'a str>, fallback: Locale) -> Locale {
        preferred
            .into_iter()
            .find_map(Locale::from_tag)
            .unwrap_or(fallback)
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

    #[test]
    fn every_text_is_present_in_every_language() {
        let reference = Locale::En.texts().entries();
        for locale in Locale::ALL {
            let entries = locale.texts().entries();
            assert_eq!(entries.len(), reference.len());
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
    fn prices_are_grouped_with_the_yuan_sign_first() {
        assert_eq!(Locale::ZhHans.price(Fen(1250)), "¥12.50");
        assert_eq!(Locale::Ug.price(Fen(123_400)), "¥1,234.00");
    }
}
