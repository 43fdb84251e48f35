//! The top bar of every shop page: the shop's mark and the language switcher.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::{Locale, use_i18n};

#[component]
pub fn Header() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <header class="topbar">
            <A href="/" attr:class="brand">
                <img src="/img/logo.svg" width="36" height="36" alt="" />
                <span class="brand-name">{move || i18n.t().shop_name}</span>
            </A>
            <LanguageSwitcher />
        </header>
    }
}

/// Each language named in its own script; switching needs no reload.
#[component]
pub fn LanguageSwitcher() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <nav class="lang-switch" aria-label=move || i18n.t().language>
            {Locale::ALL
                .into_iter()
                .map(|locale| {
                    view! {
                        <button
                            type="button"
                            lang=locale.tag()
                            dir=locale.dir()
                            aria-pressed=move || (i18n.locale() == locale).to_string()
                            on:click=move |_| i18n.set(locale)
                        >
                            {locale.native_name()}
                        </button>
                    }
                })
                .collect_view()}
        </nav>
    }
}
