//! A product's own page, reachable by a shareable link: /product/{id}.

use crate::router::use_params;
use bazar_api::ProductDetail;
use leptos::prelude::*;

use crate::api::{self, FetchError};
use crate::components::family_card::FamilyCard;
use crate::components::price::Price;
use crate::components::product_card::availability;
use crate::components::stepper::Stepper;
use crate::i18n::{tr, use_i18n};
use crate::pages::BackLink;
use crate::state::basket::use_basket;

/// The number in a route parameter, or a not-found error to show.
pub fn id_param(name: &'static str) -> impl Fn() -> Result<i64, FetchError> + Copy {
    let params = use_params();
    move || {
        params
            .read()
            .get(name)
            .and_then(|id| id.parse::<i64>().ok())
            .ok_or_else(|| FetchError::api(404, bazar_api::ErrorCode::NotFound))
    }
}

#[component]
pub fn ProductPage() -> impl IntoView {
    let id = id_param("id");
    let detail = api::json_resource(Signal::derive(move || id().ok().map(crate::urls::product)));
    view! {
        <main class="page">
            <BackLink href="/shop" />
            {crate::loaded!(detail, |detail: ProductDetail| view! { <ProductView detail=detail /> })}
        </main>
    }
}

#[component]
fn ProductView(detail: ProductDetail) -> impl IntoView {
    let i18n = use_i18n();
    let basket = use_basket();
    let ProductDetail { product, family } = detail;
    let lang = move || i18n.locale().lang();
    let names = product.names.clone();
    let unit = product.unit.clone();
    let available = product.available.max(0);
    let limit = product.order_limit();
    let quantity = RwSignal::new(1u32);
    let (added, set_added) = signal(false);
    let for_basket = product.clone();
    let add = move |_| {
        basket
            .0
            .update(|b| b.add(for_basket.clone(), quantity.get_untracked()));
        set_added.set(true);
    };
    view! {
        <article class="product-detail" data-testid="product-detail">
            <img class="product-hero" src=product.image.clone() width="320" height="240" alt="" />
            <h1 class="product-title">{move || names.get(lang()).to_string()}</h1>
            <p class="product-price big">
                <Price fen=product.price_fen />
                <span class="unit">" " {tr(|t| t.per_unit)} " " {move || unit.get(lang()).to_string()}</span>
            </p>
            <p class="product-left">
                {move || {
                    let left = availability(i18n.locale(), i18n.t(), product.capacity, product.available);
                    if available > 0 {
                        // What is left, and the most one order may take.
                        format!("{left} · {}", i18n.t().per_order_limit.replace("{n}", &i64::from(limit).to_string()))
                    } else {
                        left
                    }
                }}
            </p>
            {move || (available > 0).then(|| view! {
                <div class="buy-row">
                    <Stepper value=quantity max=available.min(i64::from(limit)) as u32 />
                    <button type="button" class="button primary" on:click=add.clone()>
                        {tr(|t| t.add_to_basket)}
                    </button>
                </div>
            })}
            {move || (added.get()).then(|| view! {
                <p class="added" role="status">
                    {tr(|t| t.added_to_basket)}
                    " · "
                    <a href="/basket">{tr(|t| t.view_basket)}</a>
                </p>
            })}
            <h2 class="section-title">{tr(|t| t.the_family)}</h2>
            <FamilyCard family=family />
        </article>
    }
}
