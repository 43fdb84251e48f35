//! The home page: the promise, the kinds of food as big tiles, a trace-code
//! field, some of the families and the food of the village.

use bazar_api::{FamilySummary, ProductKind};
use leptos::prelude::*;

use crate::api;
use crate::components::product_card::ProductList;
use crate::components::trace_form::TraceForm;
use crate::i18n::{tr, use_i18n};

const KINDS: [ProductKind; 5] = [
    ProductKind::Nang,
    ProductKind::Eggs,
    ProductKind::Honey,
    ProductKind::Quilt,
    ProductKind::DriedFruit,
];

#[component]
pub fn Home() -> impl IntoView {
    let i18n = use_i18n();
    let products = api::json_resource(Signal::stored(Some(crate::urls::products(None, ""))));
    view! {
        <main class="page">
            <p class="promise">{tr(|t| t.promise)}</p>
            <h1 class="section-title">{tr(|t| t.kinds_title)}</h1>
            <ul class="kind-tiles">
                {KINDS
                    .into_iter()
                    .map(|kind| {
                        view! {
                            <li>
                                <a href=format!("/shop?kind={}", kind.as_str()) class="kind-tile">
                                    <img src=format!("/img/kinds/{}.svg", kind.as_str()) width="64" height="64" alt="" />
                                    <span>{move || i18n.t().kind(kind)}</span>
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            // Above the catalog, so nothing jumps down when the catalog arrives.
            <section class="panel">
                <TraceForm />
            </section>
            {crate::loaded!(products, |list: Vec<bazar_api::Product>| {
                let families = families_of(&list);
                let first = a_taste_of_each_kind(list, 6);
                view! {
                    <h2 class="section-title">{tr(|t| t.families_title)}</h2>
                    <ul class="family-strip">
                        {families.into_iter().take(6).map(|f| view! { <FamilyChip family=f /> }).collect_view()}
                    </ul>
                    <h2 class="section-title">{tr(|t| t.all_products)}</h2>
                    <ProductList products=first />
                    <a href="/shop" class="button wide">
                        {tr(|t| t.see_all)}
                        " "
                        <span class="arrow-next" aria-hidden="true">"→"</span>
                    </a>
                }
            })}
        </main>
    }
}

/// Up to `n` products, taking the kinds in turn, so the home page shows
/// eggs and honey as well as nang.
fn a_taste_of_each_kind(products: Vec<bazar_api::Product>, n: usize) -> Vec<bazar_api::Product> {
    let mut by_kind: Vec<Vec<bazar_api::Product>> = KINDS
        .iter()
        .map(|kind| products.iter().filter(|p| p.kind == *kind).cloned().collect())
        .collect();
    let mut picked = Vec::with_capacity(n);
    while picked.len() < n && by_kind.iter().any(|k| !k.is_empty()) {
        for kind in by_kind.iter_mut().filter(|k| !k.is_empty()) {
            if picked.len() < n {
                picked.push(kind.remove(0));
            }
        }
    }
    picked
}

/// Each family once, in the order their products come.
fn families_of(products: &[bazar_api::Product]) -> Vec<FamilySummary> {
    let mut seen = Vec::<FamilySummary>::new();
    for p in products {
        if !seen.iter().any(|f| f.id == p.family.id) {
            seen.push(p.family.clone());
        }
    }
    seen
}

#[component]
fn FamilyChip(family: FamilySummary) -> impl IntoView {
    let i18n = use_i18n();
    let FamilySummary {
        id,
        names,
        village,
        photo,
    } = family;
    view! {
        <li>
            <a href=format!("/family/{id}") class="family-chip">
                <img src=photo width="64" height="64" alt="" loading="lazy" />
                <span class="family-chip-name">{move || names.get(i18n.locale().lang()).to_string()}</span>
                <span class="family-chip-village">{move || village.get(i18n.locale().lang()).to_string()}</span>
            </a>
        </li>
    }
}
