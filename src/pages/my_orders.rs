//! Orders placed from this phone, each with its tracking link.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::price::Price;
use crate::i18n::use_i18n;
use crate::pages::BackLink;
use crate::state::orders::{pending_order, placed_orders, use_orders};

#[component]
pub fn MyOrders() -> impl IntoView {
    let i18n = use_i18n();
    let orders = use_orders();
    // Re-read when an order is placed.
    let list = move || {
        orders.state.track();
        placed_orders()
    };
    let pending = move || {
        orders.state.track();
        pending_order().is_some()
    };
    view! {
        <main class="page">
            <BackLink />
            <h1 class="section-title">{move || i18n.t().my_orders}</h1>
            <Show when=pending>
                <p class="banner" role="status">{move || i18n.t().pending_banner}</p>
            </Show>
            <Show
                when=move || !list().is_empty()
                fallback=move || view! { <p class="notice">{move || i18n.t().no_orders}</p> }
            >
                <ul class="my-orders">
                    {move || list()
                        .into_iter()
                        .map(|o| {
                            let created = o.created_at.clone();
                            view! {
                                <li>
                                    <A href=format!("/track/{}", o.tracking_token)>
                                        <bdi class="code" dir="ltr">{o.code.clone()}</bdi>
                                        <time>{move || i18n.locale().moment(&created)}</time>
                                        <Price fen=o.total_fen />
                                    </A>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </Show>
        </main>
    }
}
