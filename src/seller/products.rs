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
    let resource = listings;
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
                            let controls = (status == ListingStatus::Live && !l.retired)
                                .then(|| view! { <Controls listing=l.clone() on_change=move || resource.refetch() /> });
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
                                    {controls}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            })}
        </main>
    }
}

/// A live product's own controls on the family's phone: how many it has
/// (this week, or in stock) with big steppers, and stopping or resuming
/// its sale. Each shows its picture beside its word.
#[component]
fn Controls(listing: Listing, on_change: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let count = RwSignal::new(listing.quantity);
    let id = listing.id;
    let paused = listing.paused;
    let weekly = listing.capacity == bazar_api::Capacity::Weekly;
    let busy = RwSignal::new(false);
    let send = move |url: String, body: Option<bazar_api::manage::Count>| {
        busy.set(true);
        leptos::task::spawn_local(async move {
            if api::send(api::Method::POST, &url, body.as_ref()).await.is_ok() {
                on_change();
            }
            busy.set(false);
        });
    };
    let change = move |by: i64| count.update(|c| *c = (i64::from(*c) + by).clamp(0, 10_000) as u32);
    view! {
        <div class="product-controls" data-product=id class:paused=paused>
            <p class="count-kind">
                <img src=if weekly { "/img/icons/week.svg" } else { "/img/icons/stock.svg" } width="40" height="40" alt="" />
                {if weekly { st(|t| t.per_week) } else { st(|t| t.in_stock) }}
            </p>
            <div class="big-stepper">
                <button type="button" class="step-button" aria-label=st(|t| t.fewer) on:click=move |_| change(-1)>"−"</button>
                <output class="big-number" data-testid="count"><bdi dir="ltr">{move || count.get()}</bdi></output>
                <button type="button" class="step-button" aria-label=st(|t| t.more) on:click=move |_| change(1)>"+"</button>
            </div>
            <button type="button" class="button seller-button" data-testid="save-count" disabled=busy
                on:click=move |_| send(crate::urls::seller_product(id, "count"), Some(bazar_api::manage::Count { count: count.get_untracked() }))>
                <img src="/img/icons/live.svg" width="40" height="40" alt="" />{st(|t| t.save_count)}
            </button>
            <button type="button" class="button seller-button" data-testid="pause" disabled=busy
                on:click=move |_| send(crate::urls::seller_product(id, if paused { "resume" } else { "pause" }), None)>
                <img src=if paused { "/img/icons/resume.svg" } else { "/img/icons/pause.svg" } width="40" height="40" alt="" />
                {if paused { st(|t| t.resume_selling) } else { st(|t| t.pause_selling) }}
            </button>
            {paused.then(|| view! { <p class="paused-now"><img src="/img/icons/pause.svg" width="32" height="32" alt="" />{st(|t| t.paused_now)}</p> })}
        </div>
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
