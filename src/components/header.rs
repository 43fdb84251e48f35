//! The top bar of every shop page: the shop's mark, the language choice, the
//! basket with its count, and the menu (links and the trace-code field).

use leptos::prelude::*;

use crate::components::language::LanguageSwitcher;

use crate::components::trace_form::TraceForm;
use crate::i18n::{tr, use_i18n};
use crate::state::basket::use_basket;
use crate::state::orders::{SendState, use_orders};

#[component]
pub fn Header() -> impl IntoView {
    let i18n = use_i18n();
    let basket = use_basket();
    let orders = use_orders();
    let (menu_open, set_menu_open) = signal(false);
    let count = move || basket.0.with(|b| b.count());
    let waiting = move || matches!(orders.state.get(), SendState::Waiting { .. });
    view! {
        <header class="topbar">
            <a href="/" class="brand">
                <img src="/img/logo.svg" width="36" height="36" alt="" />
                <span class="brand-name">{tr(|t| t.shop_name)}</span>
            </a>
            <LanguageSwitcher label=tr(|t| t.language) />
            <a href="/basket" class="icon-button basket-button" aria-label=move || {
                format!("{} ({})", i18n.t().basket, count())
            }>
                <img src="/img/icons/basket.svg" width="28" height="28" alt="" />
                {move || (count() > 0).then(|| view! {
                    <span class="badge" data-testid="basket-count">{count}</span>
                })}
            </a>
            <button
                type="button"
                class="icon-button"
                aria-label=tr(|t| t.menu)
                aria-expanded=move || menu_open.get().to_string()
                on:click=move |_| set_menu_open.update(|o| *o = !*o)
            >
                <img src="/img/icons/menu.svg" width="28" height="28" alt="" />
            </button>
        </header>
        {move || (menu_open.get()).then(|| view! {
            // Following a link (or searching a code) closes the menu.
            <nav class="menu-panel" aria-label=tr(|t| t.menu) on:click=move |ev| {
                let on_link = event_target::<web_sys::Element>(&ev).closest("a").ok().flatten().is_some();
                if on_link {
                    set_menu_open.set(false);
                }
            }>
                <a href="/">{tr(|t| t.home)}</a>
                <a href="/shop">{tr(|t| t.see_all)}</a>
                <a href="/basket">{tr(|t| t.basket)}</a>
                <a href="/orders">{tr(|t| t.my_orders)}</a>
                <TraceForm />
            </nav>
        })}
        {move || (waiting()).then(|| view! {
            <p class="banner" role="status">{tr(|t| t.pending_banner)}</p>
        })}
    }
}
