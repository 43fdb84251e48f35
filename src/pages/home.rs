//! The home page: the promise and the products of the village, fetched from the API.

use bazar_api::{Capacity, Product};
use leptos::prelude::*;
use leptos_router::components::A;

use crate::api;
use crate::components::header::Header;
use crate::components::load_error::LoadError;
use crate::components::price::Price;
use crate::i18n::{Locale, Texts, use_i18n};

#[component]
pub fn Home() -> impl IntoView {
    let i18n = use_i18n();
    let products = LocalResource::new(api::products);
    view! {
        <Header />
        <main class="page">
            <p class="promise">{move || i18n.t().promise}</p>
            <h1 class="section-title">{move || i18n.t().all_products}</h1>
            <Transition fallback=move || view! { <p class="notice">{move || i18n.t().loading}</p> }>
                {move || {
                    products
                        .get()
                        .map(|result| match result {
                            Ok(list) if list.is_empty() => {
                                view! { <p class="notice">{move || i18n.t().no_products}</p> }.into_any()
                            }
                            Ok(list) => view! { <ProductList products=list /> }.into_any(),
                            Err(error) => {
                                view! { <LoadError error=error on_retry=move |_| products.refetch() /> }.into_any()
                            }
                        })
                }}
            </Transition>
        </main>
    }
}

#[component]
fn ProductList(products: Vec<Product>) -> impl IntoView {
    view! {
        <ul class="product-list" data-testid="product-list">
            <For each=move || products.clone() key=|p| p.id let:product>
                <ProductCard product=product />
            </For>
        </ul>
    }
}

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
fn ProductCard(product: Product) -> impl IntoView {
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
            <A href=href>
                <img class="product-image" src=image width="320" height="240" alt="" loading="lazy" />
                <div class="product-text">
                    <h2 class="product-name">{move || names.get(i18n.locale().lang()).to_string()}</h2>
                    <p class="product-family">
                        {move || i18n.t().from_family} " "
                        {move || family.names.get(i18n.locale().lang()).to_string()}
                    </p>
                    <p class="product-price">
                        <Price fen=price_fen />
                        <span class="unit">
                            " " {move || i18n.t().per_unit} " " {move || unit.get(i18n.locale().lang()).to_string()}
                        </span>
                    </p>
                    <p class="product-left">
                        {move || availability(i18n.locale(), i18n.t(), capacity, available)}
                    </p>
                </div>
            </A>
        </li>
    }
}
