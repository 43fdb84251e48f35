//! Orders placed from this phone, each with its tracking link.

use leptos::prelude::*;

use crate::components::price::Price;
use crate::i18n::{tr, use_i18n};
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
            <h1 class="section-title">{tr(|t| t.my_orders)}</h1>
            {move || (pending()).then(|| view! {
                <p class="banner" role="status">{tr(|t| t.pending_banner)}</p>
            })}
            {move || {
                let orders = list();
                if orders.is_empty() {
                    return view! { <p class="notice">{tr(|t| t.no_orders)}</p> }.into_any();
                }
                view! {
                <ul class="my-orders">
                    {orders
                        .into_iter()
                        .map(|o| {
                            let created = o.created_at.clone();
                            view! {
                                <li>
                                    <a href=format!("/track/{}", o.tracking_token)>
                                        <bdi class="code" dir="ltr">{o.code.clone()}</bdi>
                                        <time>{move || i18n.locale().moment(&created)}</time>
                                        <Price fen=o.total_fen />
                                    </a>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
                }
                .into_any()
            }}
        </main>
    }
}
