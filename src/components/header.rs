//! The top bar of every shop page: the shop's mark, the language choice, the
//! basket with its count, and the menu (links and the trace-code field).

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

use crate::components::trace_form::TraceForm;
use crate::i18n::{Locale, use_i18n};
use crate::state::basket::use_basket;
use crate::state::orders::{SendState, use_orders};

#[component]
pub fn Header() -> impl IntoView {
    let i18n = use_i18n();
    let basket = use_basket();
    let orders = use_orders();
    let (menu_open, set_menu_open) = signal(false);
    // Any navigation closes the menu.
    let location = use_location();
    Effect::new(move |_| {
        location.pathname.track();
        set_menu_open.set(false);
    });
    let count = move || basket.0.with(|b| b.count());
    let waiting = move || matches!(orders.state.get(), SendState::Waiting { .. });
    view! {
        <header class="topbar">
            <A href="/" attr:class="brand">
                <img src="/img/logo.svg" width="36" height="36" alt="" />
                <span class="brand-name">{move || i18n.t().shop_name}</span>
            </A>
            <LanguageSwitcher />
            <A href="/basket" attr:class="icon-button basket-button" attr:aria-label=move || {
                format!("{} ({})", i18n.t().basket, count())
            }>
                <svg width="28" height="28" viewBox="0 0 24 24" aria-hidden="true">
                    <path fill="currentColor" d="M5 9h14l-1.6 10.2a2 2 0 0 1-2 1.8H8.6a2 2 0 0 1-2-1.8zM8.5 9 12 3.5 15.5 9h-2.3L12 7l-1.2 2z" />
                </svg>
                <Show when=move || { count() > 0 }>
                    <span class="badge" data-testid="basket-count">{count}</span>
                </Show>
            </A>
            <button
                type="button"
                class="icon-button"
                aria-label=move || i18n.t().menu
                aria-expanded=move || menu_open.get().to_string()
                on:click=move |_| set_menu_open.update(|o| *o = !*o)
            >
                <svg width="28" height="28" viewBox="0 0 24 24" aria-hidden="true">
                    <path fill="currentColor" d="M3 6h18v2H3zm0 5h18v2H3zm0 5h18v2H3z" />
                </svg>
            </button>
        </header>
        <Show when=move || menu_open.get()>
            <nav class="menu-panel" aria-label=move || i18n.t().menu>
                <A href="/">{move || i18n.t().home}</A>
                <A href="/shop">{move || i18n.t().see_all}</A>
                <A href="/basket">{move || i18n.t().basket}</A>
                <A href="/orders">{move || i18n.t().my_orders}</A>
                <TraceForm />
            </nav>
        </Show>
        <Show when=waiting>
            <p class="banner" role="status">{move || i18n.t().pending_banner}</p>
        </Show>
    }
}

/// Each language named in its own script; switching needs no reload.
#[component]
pub fn LanguageSwitcher() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <select
            class="lang-switch"
            aria-label=move || i18n.t().language
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
