//! The family's products with their state as a picture, and what the center
//! will come to collect, as pictures and counts.

use bazar_api::center::{Listing, ListingStatus, RejectReason};
use bazar_api::seller::Prepare;
use leptos::prelude::*;

use super::texts::st;
use super::{Hear, big_number, show, t};
use crate::api;
use crate::i18n::use_i18n;

fn status_icon(status: ListingStatus) -> &'static str {
    match status {
        ListingStatus::Live => "/img/icons/live.svg",
        ListingStatus::Rejected => "/img/icons/rejected.svg",
        ListingStatus::Pending | ListingStatus::Draft => "/img/icons/pending.svg",
    }
}

fn reason_icon(reason: RejectReason) -> &'static str {
    match reason {
        RejectReason::PhotoUnclear => "/img/icons/reason-photo.svg",
        RejectReason::PriceTooHigh => "/img/icons/reason-price-high.svg",
        RejectReason::PriceTooLow => "/img/icons/reason-price-low.svg",
        RejectReason::NotSold => "/img/icons/reason-not-sold.svg",
        RejectReason::Other => "/img/icons/reason-other.svg",
    }
}

#[component]
pub fn MyProducts() -> impl IntoView {
    let listings = api::json_resource(Signal::derive(|| Some(crate::urls::SELLER_LISTINGS.to_string())));
    let i18n = use_i18n();
    view! {
        <main class="seller-page">
            <h1 class="seller-title"><img src="/img/icons/products.svg" width="56" height="56" alt="" />{st(|t| t.my_products)}</h1>
            <Hear text=st(|t| t.my_products) />
            {show(listings, move |listings: Vec<Listing>| {
                if listings.is_empty() {
                    return view! { <p class="big-notice">{st(|t| t.no_products)}</p> }.into_any();
                }
                view! {
                    <ul class="seller-cards" data-testid="my-products">
                        {listings.into_iter().map(|l| {
                            let names = l.names.clone();
                            let status = l.status;
                            let reason = l.reject_reason;
                            let note = l.reject_note.clone();
                            view! {
                                <li class="seller-card" data-status=status.as_str()>
                                    <img class="product-picture" src=l.image.clone() width="96" height="96" alt="" />
                                    <div>
                                        <p class="seller-card-name">{move || names.get(i18n.locale().lang()).to_string()}</p>
                                        <p class="big-number-line"><bdi class="price" dir="ltr">{move || i18n.locale().price(l.price_fen)}</bdi></p>
                                    </div>
                                    <div class="status-badge">
                                        <img src=status_icon(status) width="56" height="56" alt="" />
                                        <span>{move || t_status(status)}</span>
                                        {reason.map(|r| view! {
                                            <img src=reason_icon(r) width="56" height="56" alt="" />
                                            <span data-testid="reject-reason">{move || t_reason(r)}</span>
                                            <button type="button" class="hear small" aria-label=st(|t| t.hear)
                                                on:click=move |_| super::speak(super::texts::texts(i18n.locale()).reason(r), i18n.locale())>
                                                <img src="/img/icons/hear.svg" width="32" height="32" alt="" />
                                            </button>
                                        })}
                                        {note.map(|n| view! { <span class="reject-note">{n}</span> })}
                                    </div>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            })}
        </main>
    }
}

fn t_status(status: ListingStatus) -> &'static str {
    t().listing_status(status)
}

fn t_reason(reason: RejectReason) -> &'static str {
    t().reason(reason)
}

#[component]
pub fn ToPrepare() -> impl IntoView {
    let prepare = api::json_resource(Signal::derive(|| Some(crate::urls::SELLER_PREPARE.to_string())));
    let i18n = use_i18n();
    view! {
        <main class="seller-page">
            <h1 class="seller-title"><img src="/img/icons/prepare.svg" width="56" height="56" alt="" />{st(|t| t.to_prepare)}</h1>
            <Hear text=st(|t| t.to_prepare) />
            {show(prepare, move |items: Vec<Prepare>| {
                if items.is_empty() {
                    return view! { <p class="big-notice" data-testid="nothing-to-prepare">{st(|t| t.nothing_to_prepare)}</p> }.into_any();
                }
                view! {
                    <ul class="seller-cards" data-testid="to-prepare">
                        {items.into_iter().map(|p| {
                            let names = p.names.clone();
                            let unit = p.unit.clone();
                            let since = p.since.clone();
                            let orders = p.orders;
                            view! {
                                <li class="seller-card" data-product=p.product_id>
                                    <img class="product-picture" src=p.image.clone() width="96" height="96" alt="" />
                                    <div>
                                        <p class="big-number-line">{big_number(p.quantity)} " " {move || unit.get(i18n.locale().lang()).to_string()}</p>
                                        <p class="seller-card-name">{move || names.get(i18n.locale().lang()).to_string()}</p>
                                        <p>{move || i18n.locale().plural(i64::from(orders), t().in_orders, t().in_orders)}
                                           " · " {st(|t| t.since)} " " <bdi>{move || i18n.locale().day(&since)}</bdi></p>
                                    </div>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            })}
        </main>
    }
}
