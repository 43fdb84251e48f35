//! The listing: food by kind and by search text, sorted as the customer likes.
//! The URL holds the choice (/shop?kind=eggs&q=蜂蜜&sort=price_asc), so it can be shared.

use crate::router::{use_navigate, use_query};
use bazar_api::ProductKind;
use leptos::prelude::*;

use crate::api;
use crate::components::product_card::ProductList;
use crate::i18n::{tr, use_i18n};
use crate::pages::BackLink;

#[component]
pub fn Shop() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query();
    let navigate = use_navigate();
    let kind = move || query.read().get("kind").and_then(|k| ProductKind::parse(&k));
    let text = move || query.read().get("q").unwrap_or_default();
    let sort = move || query.read().get("sort").unwrap_or_default();
    let products = api::json_resource(Signal::derive(move || {
        Some(crate::urls::products(kind(), &text()))
    }));
    let (typed, set_typed) = signal(text());

    let go = move |kind: Option<ProductKind>, q: String, sort: String| {
        let mut parts = Vec::new();
        if let Some(k) = kind {
            parts.push(format!("kind={}", k.as_str()));
        }
        if !q.trim().is_empty() {
            parts.push(format!(
                "q={}",
                String::from(js_sys::encode_uri_component(q.trim()))
            ));
        }
        if !sort.is_empty() {
            parts.push(format!("sort={sort}"));
        }
        let url = if parts.is_empty() {
            "/shop".to_string()
        } else {
            format!("/shop?{}", parts.join("&"))
        };
        navigate(&url);
    };

    view! {
        <main class="page">
            <BackLink />
            <form
                class="search"
                role="search"
                on:submit=move |ev| {
                    ev.prevent_default();
                    go(kind(), typed.get_untracked(), sort());
                }
            >
                <label class="visually-hidden" for="search">{tr(|t| t.search_label)}</label>
                <input
                    id="search"
                    type="search"
                    enterkeyhint="search"
                    placeholder=tr(|t| t.search_placeholder)
                    prop:value=typed
                    on:input=move |ev| set_typed.set(event_target_value(&ev))
                />
                <button type="submit" class="button">{tr(|t| t.search_label)}</button>
            </form>
            <div class="chips" role="group">
                {std::iter::once(None)
                    .chain(ProductKind::ALL.into_iter().filter(|k| *k != ProductKind::Other).map(Some))
                    .map(|k| {
                        view! {
                            <button
                                type="button"
                                class="chip"
                                aria-pressed=move || (kind() == k).to_string()
                                on:click=move |_| go(k, text(), sort())
                            >
                                {move || match k {
                                    Some(k) => i18n.t().kind(k),
                                    None => i18n.t().all_kinds,
                                }}
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
            <label class="sort">
                {tr(|t| t.sort_label)}
                <select on:change=move |ev| go(kind(), text(), event_target_value(&ev))>
                    <option value="" selected=move || sort().is_empty()>{tr(|t| t.sort_default)}</option>
                    <option value="price_asc" selected=move || sort() == "price_asc">{tr(|t| t.sort_price_asc)}</option>
                    <option value="price_desc" selected=move || sort() == "price_desc">{tr(|t| t.sort_price_desc)}</option>
                </select>
            </label>
            {crate::loaded!(products, |list: Vec<bazar_api::Product>| {
                let mut list = list;
                // One key for both orders: one copy of the sort in the wasm.
                let sign = match sort().as_str() {
                    "price_asc" => 1,
                    "price_desc" => -1,
                    _ => 0,
                };
                if sign != 0 {
                    // The id makes every key distinct: unstable sorting gives the same
                    // order as stable, with less code in the download.
                    list.sort_unstable_by_key(|p| (sign * p.price_fen.0, p.id));
                }
                view! { <ProductList products=list /> }
            })}
        </main>
    }
}
