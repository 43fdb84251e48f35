//! Listing approval: each pending listing with its photo and price; approve
//! (the price can be corrected) or send back with a reason the family sees.

use bazar_api::Capacity;
use bazar_api::center::{Listing, ListingDecision, RejectReason};
use leptos::prelude::*;

use super::texts::{ct, texts};
use super::{money, show};
use crate::api::{self, FetchError};
use crate::i18n::use_i18n;

#[component]
pub fn Listings() -> impl IntoView {
    let pending = api::json_resource(Signal::derive(|| {
        Some(crate::urls::CENTER_PENDING_LISTINGS.to_string())
    }));
    view! {
        <main class="page wide">
            <h1 class="section-title">{ct(|t| t.listings_title)}</h1>
            {show(pending, move |listings: Vec<Listing>| {
                if listings.is_empty() {
                    return view! { <p class="notice">{ct(|t| t.no_listings)}</p> }.into_any();
                }
                view! {
                    <ul class="listing-queue" data-testid="listing-queue">
                        {listings.into_iter().map(|l| view! { <Pending listing=l on_done=move || pending.refetch() /> }).collect_view()}
                    </ul>
                }.into_any()
            })}
        </main>
    }
}

#[component]
fn Pending(listing: Listing, on_done: impl Fn() + Clone + Send + Sync + 'static) -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || i18n.locale().lang();
    let price = RwSignal::new(listing.price_fen.format_grouped(""));
    let reason = RwSignal::new(RejectReason::PhotoUnclear);
    let note = RwSignal::new(String::new());
    let error = RwSignal::new(None::<FetchError>);
    let id = listing.id;
    let original = listing.price_fen;
    let decide = move |approve: bool| {
        let on_done = on_done.clone();
        let price_fen = match bazar_api::Fen::parse_yuan(&price.get_untracked()) {
            Some(p) => Some(p).filter(|p| *p != original),
            None if approve => {
                error.set(Some(FetchError::api(422, bazar_api::ErrorCode::Validation)));
                return;
            }
            None => None,
        };
        let decision = ListingDecision {
            approve,
            price_fen: if approve { price_fen } else { None },
            names: None,
            reason: (!approve).then(|| reason.get_untracked()),
            note: Some(note.get_untracked()).filter(|n| !approve && !n.trim().is_empty()),
        };
        leptos::task::spawn_local(async move {
            match api::send(
                api::Method::POST,
                &crate::urls::listing_decision(id),
                Some(&decision),
            )
            .await
            {
                Ok(_) => on_done(),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let reject = decide.clone();
    let names = listing.names.clone();
    let family = listing.family_names.clone();
    let unit = listing.unit.clone();
    view! {
        <li class="listing-card" data-listing=listing.id>
            <img src=listing.image.clone() width="120" height="120" alt="" />
            <div class="listing-facts">
                <p class="product-name">{move || names.get(lang()).to_string()}</p>
                <p>{ct(|t| t.family)} ": " {move || family.get(lang()).to_string()}</p>
                <p>{money(listing.price_fen)} " / " {move || unit.get(lang()).to_string()}
                    " · " <bdi dir="ltr">{listing.quantity}</bdi> " "
                    {move || match listing.capacity {
                        Capacity::Weekly => texts(i18n.locale()).per_week,
                        Capacity::Stock => texts(i18n.locale()).in_stock,
                    }}</p>
            </div>
            <div class="listing-actions">
                <label class="field inline">
                    <span>{ct(|t| t.price_yuan)}</span>
                    <input name="price" inputmode="decimal" dir="ltr" prop:value=price
                        on:input=move |ev| price.set(event_target_value(&ev)) />
                </label>
                <button type="button" class="button primary" data-testid="approve" on:click=move |_| decide(true)>
                    {ct(|t| t.approve)}
                </button>
                <label class="field inline">
                    <span>{ct(|t| t.reason)}</span>
                    <select name="reason" on:change=move |ev| {
                        if let Some(r) = RejectReason::parse(&event_target_value(&ev)) {
                            reason.set(r);
                        }
                    }>
                        {RejectReason::ALL.into_iter().map(|r| view! {
                            <option value=r.as_str()>{move || texts(i18n.locale()).reason(r)}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label class="field inline">
                    <span>{ct(|t| t.note)}</span>
                    <input name="reject-note" prop:value=note on:input=move |ev| note.set(event_target_value(&ev)) />
                </label>
                <button type="button" class="button quiet" data-testid="reject" on:click=move |_| reject(false)>
                    {ct(|t| t.reject)}
                </button>
                {move || error.get().map(|e| view! { <p class="form-error" role="alert">{texts(i18n.locale()).error(&e)}</p> })}
            </div>
        </li>
    }
}
