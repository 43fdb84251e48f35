//! The tracking page behind the private link: each step of the order's life
//! with its time, and each line with the family that supplies it.

use crate::router::use_params;
use bazar_api::{OrderStatus, Tracking};
use leptos::prelude::*;

use crate::api;
use crate::components::price::{Price, Sums};
use crate::i18n::{tr, use_i18n};
use crate::pages::BackLink;

#[component]
pub fn Track() -> impl IntoView {
    let params = use_params();
    let tracking = api::json_resource(Signal::derive(move || {
        params
            .read()
            .get("token")
            .map(|token| crate::urls::tracking(&token))
    }));
    view! {
        <main class="page">
            <BackLink href="/orders" />
            {crate::loaded!(tracking, |tracking: Tracking| view! { <Timeline tracking=tracking /> })}
        </main>
    }
}

#[component]
fn Timeline(tracking: Tracking) -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || i18n.locale().lang();
    let cancelled = tracking.status == OrderStatus::Cancelled;
    let steps: Vec<OrderStatus> = if cancelled {
        tracking.events.iter().map(|e| e.status).collect()
    } else {
        OrderStatus::LIFECYCLE.to_vec()
    };
    let events = tracking.events.clone();
    view! {
        <h1 class="section-title">{tr(|t| t.track_title)}</h1>
        <p class="order-code"><bdi class="code" dir="ltr">{tracking.code.clone()}</bdi></p>
        <ol class="timeline" data-testid="timeline">
            {steps
                .into_iter()
                .map(|status| {
                    let event = events.iter().find(|e| e.status == status).cloned();
                    let done = event.is_some();
                    view! {
                        <li class:done=done class:current=move || status == tracking.status>
                            <span class="dot" aria-hidden="true"></span>
                            <span class="step-name">{move || i18n.t().status(status)}</span>
                            {event.map(|e| {
                                let at = e.at.clone();
                                view! {
                                    <time datetime=e.at.clone()>{move || i18n.locale().moment(&at)}</time>
                                    {e.waybill.map(|w| view! {
                                        <span class="waybill">{tr(|t| t.waybill)} " " <bdi class="code" dir="ltr">{w.clone()}</bdi></span>
                                    })}
                                }
                            })}
                        </li>
                    }
                })
                .collect_view()}
        </ol>
        <h2 class="section-title">{tr(|t| t.lines_title)}</h2>
        <ul class="order-lines">
            {tracking
                .lines
                .into_iter()
                .map(|line| {
                    let names = line.names.clone();
                    let family = line.family_names.clone();
                    let village = line.village.clone();
                    view! {
                        <li>
                            <p class="product-name">
                                {move || names.get(lang()).to_string()} " × " <bdi dir="ltr">{line.quantity}</bdi>
                            </p>
                            <p class="product-family">
                                {tr(|t| t.from_family)} " "
                                <a href=format!("/family/{}", line.family_id)>{move || family.get(lang()).to_string()}</a>
                                " · " {move || village.get(lang()).to_string()}
                            </p>
                            <p><Price fen=line.unit_price_fen.times(line.quantity) /></p>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
        <Sums subtotal=tracking.subtotal_fen shipping=Some(tracking.shipping_fen) total=tracking.total_fen />
    }
}
