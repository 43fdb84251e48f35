//! The confirmation after an order is placed: its code, what to pay and how,
//! and the private tracking link to bookmark or share. Read from the phone,
//! so it shows even when the network is gone again.

use bazar_api::PaymentMethod;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::components::price::Sums;
use crate::i18n::use_i18n;
use crate::state::orders::placed_orders;

#[component]
pub fn OrderPlaced() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let placed = move || placed_orders().into_iter().find(|o| o.tracking_token == token());
    let (copied, set_copied) = signal(false);
    view! {
        <main class="page">
            {move || match placed() {
                None => view! {
                    <p class="notice">{move || i18n.t().error_not_found}</p>
                    <A href=format!("/track/{}", token()) attr:class="button wide">{move || i18n.t().track_order}</A>
                }
                    .into_any(),
                Some(order) => {
                    let origin = web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default();
                    let link = format!("{origin}/track/{}", order.tracking_token);
                    let to_copy = link.clone();
                    let copy = move |_| {
                        if let Some(w) = web_sys::window() {
                            let _ = w.navigator().clipboard().write_text(&to_copy);
                            set_copied.set(true);
                        }
                    };
                    let payment = order.payment;
                    view! {
                        <section class="confirmation" data-testid="confirmation">
                            <img src="/img/kinds/eggs.svg" width="64" height="64" alt="" />
                            <h1>{move || i18n.t().thanks_title}</h1>
                            <p class="label">{move || i18n.t().order_code}</p>
                            <p class="order-code"><bdi class="code" dir="ltr" data-testid="order-code">{order.code.clone()}</bdi></p>
                            <Sums subtotal=order.subtotal_fen shipping=Some(order.shipping_fen) total=order.total_fen />
                            <p class="hint">
                                {move || match payment {
                                    PaymentMethod::OnDelivery => i18n.t().pay_courier_hint,
                                    PaymentMethod::BankTransfer => i18n.t().bank_details,
                                }}
                            </p>
                            <p class="label">{move || i18n.t().tracking_link}</p>
                            <p class="tracking-link"><bdi dir="ltr"><a href=link.clone() data-testid="tracking-link">{link.clone()}</a></bdi></p>
                            <p class="hint">{move || i18n.t().tracking_link_hint}</p>
                            <div class="button-row">
                                <button type="button" class="button secondary" on:click=copy>
                                    {move || if copied.get() { i18n.t().copied } else { i18n.t().copy_link }}
                                </button>
                                <A href=format!("/track/{}", order.tracking_token) attr:class="button primary">
                                    {move || i18n.t().track_order}
                                </A>
                            </div>
                        </section>
                    }
                        .into_any()
                }
            }}
        </main>
    }
}
