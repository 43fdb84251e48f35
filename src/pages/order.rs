//! The confirmation after an order is placed: its code, what to pay and how,
//! and the private tracking link to bookmark or share. Read from the phone,
//! so it shows even when the network is gone again.

use crate::router::use_params;
use bazar_api::PaymentMethod;
use leptos::prelude::*;

use crate::components::price::Sums;
use crate::i18n::{tr, use_i18n};
use crate::state::orders::placed_orders;

#[component]
pub fn OrderPlaced() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params();
    let token = move || params.read().get("token").unwrap_or_default();
    let placed = move || placed_orders().into_iter().find(|o| o.tracking_token == token());
    let (copied, set_copied) = signal(false);
    view! {
        <main class="page">
            {move || match placed() {
                None => view! {
                    <p class="notice">{tr(|t| t.error_not_found)}</p>
                    <a href=format!("/track/{}", token()) class="button wide">{tr(|t| t.track_order)}</a>
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
                    let pay_to = order.pay_to.clone();
                    view! {
                        <section class="confirmation" data-testid="confirmation">
                            <img src="/img/kinds/eggs.svg" width="64" height="64" alt="" />
                            <h1>{tr(|t| t.thanks_title)}</h1>
                            <p class="label">{tr(|t| t.order_code)}</p>
                            <p class="order-code"><bdi class="code" dir="ltr" data-testid="order-code">{order.code.clone()}</bdi></p>
                            <Sums subtotal=order.subtotal_fen shipping=Some(order.shipping_fen) total=order.total_fen />
                            <p class="hint">
                                {move || match payment {
                                    PaymentMethod::OnDelivery => i18n.t().pay_courier_hint,
                                    PaymentMethod::BankTransfer => i18n.t().bank_details,
                                }}
                            </p>
                            {pay_to.map(|to| view! {
                                <dl class="pay-to" data-testid="pay-to">
                                    <dt>{tr(|t| t.payee)}</dt>
                                    <dd>{to.payee}</dd>
                                    <dt>{tr(|t| t.bank_name)}</dt>
                                    <dd>{to.bank}</dd>
                                    <dt>{tr(|t| t.account)}</dt>
                                    <dd><bdi class="code" dir="ltr">{to.account}</bdi></dd>
                                    <dt>{tr(|t| t.transfer_note)}</dt>
                                    <dd><bdi class="code" dir="ltr">{to.reference}</bdi></dd>
                                </dl>
                            })}
                            <p class="label">{tr(|t| t.tracking_link)}</p>
                            <p class="tracking-link"><bdi dir="ltr"><a href=link.clone() data-testid="tracking-link">{link.clone()}</a></bdi></p>
                            <p class="hint">{tr(|t| t.tracking_link_hint)}</p>
                            <div class="button-row">
                                <button type="button" class="button secondary" on:click=copy>
                                    {move || if copied.get() { i18n.t().copied } else { i18n.t().copy_link }}
                                </button>
                                <a href=format!("/track/{}", order.tracking_token) class="button primary">
                                    {tr(|t| t.track_order)}
                                </a>
                            </div>
                        </section>
                    }
                        .into_any()
                }
            }}
        </main>
    }
}
