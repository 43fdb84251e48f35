//! A product in a list: picture, name, family, price and what is left.

use bazar_api::{Capacity, Product};
use leptos::prelude::*;

use crate::components::price::Price;
use crate::i18n::{Locale, Texts, tr, use_i18n};

/// How many are left, in the reader's words.
pub fn availability(locale: Locale, t: &Texts, capacity: Capacity, available: i64) -> String {
    if available <= 0 {
        return t.sold_out.to_string();
    }
    match capacity {
        Capacity::Weekly => locale.plural(available, t.left_week_one, t.left_week_other),
        Capacity::Stock => locale.plural(available, t.left_one, t.left_other),
    }
}

#[component]
pub fn ProductList(#[prop(into)] products: Signal<Vec<Product>>) -> impl IntoView {
    move || {
        if products.with(Vec::is_empty) {
            return view! { <p class="notice">{tr(|t| t.no_products)}</p> }.into_any();
        }
        view! {
            <ul class="product-list" data-testid="product-list">
                <For each=move || products.get() key=|p| p.id let:product>
                    <ProductCard product=product />
                </For>
            </ul>
        }
        .into_any()
    }
}

#[component]
pub fn ProductCard(product: Product) -> impl IntoView {
    let i18n = use_i18n();
    let href = format!("/product/{}", product.id);
    let Product {
        names,
        unit,
        family,
        image,
        price_fen,
        capacity,
        available,
        ..
    } = product;
    view! {
        <li class="product-card">
            <a href=href>
                <img class="product-image" src=image width="320" height="240" alt="" loading="lazy" />
                <div class="product-text">
                    <h2 class="product-name">{move || names.get(i18n.locale().lang()).to_string()}</h2>
                    <p class="product-family">
                        {tr(|t| t.from_family)}
                        " "
                        {move || family.names.get(i18n.locale().lang()).to_string()}
                    </p>
                    <p class="product-price">
                        <Price fen=price_fen />
                        <span class="unit">
                            " " {tr(|t| t.per_unit)} " " {move || unit.get(i18n.locale().lang()).to_string()}
                        </span>
                    </p>
                    <p class="product-left" class:sold-out=move || { available <= 0 }>
                        {move || availability(i18n.locale(), i18n.t(), capacity, available)}
                    </p>
                </div>
            </a>
        </li>
    }
}
