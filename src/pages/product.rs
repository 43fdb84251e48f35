//! A product's own page, reachable by a shareable link: /product/{id}.

use bazar_api::ProductDetail;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::api;
use crate::api::FetchError;
use crate::components::header::Header;
use crate::components::load_error::LoadError;
use crate::components::price::Price;
use crate::i18n::use_i18n;
use crate::pages::home::availability;

#[component]
pub fn ProductPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|id| id.parse::<i64>().ok());
    let loaded = LocalResource::new(move || {
        let id = id();
        async move {
            match id {
                Some(id) => api::product(id).await,
                None => Err(FetchError::Api {
                    status: 404,
                    code: bazar_api::ErrorCode::NotFound,
                }),
            }
        }
    });
    view! {
        <Header />
        <main class="page">
            <A href="/" attr:class="back-link">
                <span class="arrow-back" aria-hidden="true">"←"</span>
                {move || i18n.t().back}
            </A>
            <Transition fallback=move || view! { <p class="notice">{move || i18n.t().loading}</p> }>
                {move || {
                    loaded
                        .get()
                        .map(|result| match result {
                            Ok(detail) => view! { <ProductView detail=detail /> }.into_any(),
                            Err(error) => {
                                view! { <LoadError error=error on_retry=move |_| loaded.refetch() /> }.into_any()
                            }
                        })
                }}
            </Transition>
        </main>
    }
}

#[component]
fn ProductView(detail: ProductDetail) -> impl IntoView {
    let i18n = use_i18n();
    let ProductDetail { product, family } = detail;
    let lang = move || i18n.locale().lang();
    let names = product.names.clone();
    let unit = product.unit.clone();
    view! {
        <article class="product-detail" data-testid="product-detail">
            <img class="product-hero" src=product.image.clone() width="320" height="240" alt="" />
            <h1 class="product-title">{move || names.get(lang()).to_string()}</h1>
            <p class="product-price big">
                <Price fen=product.price_fen />
                <span class="unit">" " {move || i18n.t().per_unit} " " {move || unit.get(lang()).to_string()}</span>
            </p>
            <p class="product-left">
                {move || availability(i18n.locale(), i18n.t(), product.capacity, product.available)}
            </p>
            <section class="family-card">
                <h2>{move || i18n.t().the_family}</h2>
                <img src=family.photo.clone() width="96" height="96" alt="" />
                <p class="family-name" lang="ug" dir="rtl">{family.names.ug.clone()}</p>
                <p class="family-name" lang="zh-Hans">{family.names.zh.clone()}</p>
                <p class="family-village">{move || family.village.get(lang()).to_string()}</p>
                <p class="family-story">{move || family.story.get(lang()).to_string()}</p>
            </section>
        </article>
    }
}
