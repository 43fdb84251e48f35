//! The language switcher of all three apps.

use leptos::prelude::*;

use crate::i18n::{Locale, use_i18n};

/// Each language named in its own script; switching needs no reload. The
/// one switcher of the three apps: each names it in its own texts (`label`).
#[component]
pub fn LanguageSwitcher(label: Signal<&'static str>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <select
            class="lang-switch"
            aria-label=label
            on:change=move |ev| {
                if let Some(locale) = Locale::from_tag(&event_target_value(&ev)) {
                    i18n.set(locale);
                }
            }
        >
            {Locale::ALL
                .into_iter()
                .map(|locale| {
                    view! {
                        <option
                            value=locale.tag()
                            lang=locale.tag()
                            selected=move || i18n.locale() == locale
                        >
                            {locale.native_name()}
                        </option>
                    }
                })
                .collect_view()}
        </select>
    }
}
