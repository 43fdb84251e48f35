//! The basket: lines with steppers, lines over what is left flagged, shipping
//! by province, and the total, all in integer fen.

use bazar_api::Product;
use leptos::prelude::*;

use crate::api;
use crate::components::price::Price;
use crate::components::stepper::Stepper;
use crate::components::totals::Totals;
use crate::i18n::{tr, use_i18n};
use crate::pages::BackLink;
use crate::state::basket::{BasketLine, use_basket};

#[component]
pub fn BasketPage() -> impl IntoView {
    let basket = use_basket();
    // What is left may have changed since the lines were added.
    let fresh = api::json_resource(Signal::stored(Some(crate::urls::products(None, ""))));
    Effect::new(move |_| {
        if let Some(Ok(list)) = api::decoded::<Vec<Product>>(fresh) {
            basket.0.update(|b| b.refresh(&list));
        }
    });
    // Memos, so the lines are only rebuilt when these answers change.
    let empty = Memo::new(move |_| basket.0.with(|b| b.lines.is_empty()));
    let ready = Memo::new(move |_| basket.0.with(|b| b.over_available().is_empty()));
    view! {
        <main class="page">
            <BackLink href="/shop" />
            <h1 class="section-title">{tr(|t| t.basket)}</h1>
            {move || {
                if empty.get() {
                    return view! {
                        <p class="notice">{tr(|t| t.basket_empty)}</p>
                        <a href="/shop" class="button wide">{tr(|t| t.continue_shopping)}</a>
                    }
                    .into_any();
                }
                view! {
                <ul class="basket-lines" data-testid="basket-lines">
                    <For
                        each=move || basket.0.with(|b| { b.lines.iter().map(|l| l.product.id).collect::<Vec<_>>() })
                        key=|id| *id
                        let:id
                    >
                        <BasketRow id=id />
                    </For>
                </ul>
                <Totals />
                {move || if ready.get() {
                    view! {
                        <a href="/checkout" class="button primary wide">
                            {tr(|t| t.checkout)}
                            " "
                            <span class="arrow-next" aria-hidden="true">"→"</span>
                        </a>
                    }
                    .into_any()
                } else {
                    view! { <p class="field-error" role="alert">{tr(|t| t.fix_basket_first)}</p> }.into_any()
                }}
                }
                .into_any()
            }}
        </main>
    }
}

#[component]
fn BasketRow(id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let basket = use_basket();
    let line = move || {
        basket
            .0
            .with(|b| b.lines.iter().find(|l| l.product.id == id).cloned())
    };
    let quantity = RwSignal::new(line().map(|l| l.quantity).unwrap_or(1));
    let max = Signal::derive(move || {
        line()
            .map(|l| l.product.available.clamp(1, 999) as u32)
            .unwrap_or(1)
            .max(quantity.get())
    });
    let lang = move || i18n.locale().lang();
    view! {
        {move || {
            line()
                .map(|BasketLine { product, quantity: qty }| {
                    let over = i64::from(qty) > product.available;
                    let gone = product.available <= 0;
                    let names = product.names.clone();
                    let family = product.family.names.clone();
                    let left = product.available;
                    view! {
                        <li class="basket-line" class:flagged=over data-testid="basket-line">
                            <img src=product.image.clone() width="80" height="60" alt="" />
                            <div class="basket-line-text">
                                <p class="product-name">{move || names.get(lang()).to_string()}</p>
                                <p class="product-family">{move || family.get(lang()).to_string()}</p>
                                <p><Price fen=product.price_fen.times(qty) /></p>
                                {over.then(|| view! {
                                    <p class="field-error" role="alert">
                                        {move || if gone {
                                            i18n.t().no_longer_sold.to_string()
                                        } else {
                                            i18n.t().only_left.replace("{n}", &left.to_string())
                                        }}
                                    </p>
                                })}
                            </div>
                            <div class="basket-line-actions">
                                <Stepper
                                    value=quantity
                                    max=max
                                    on_change=move |q| basket.0.update(|b| b.set_quantity(id, q))
                                />
                                <button
                                    type="button"
                                    class="link-button"
                                    on:click=move |_| basket.0.update(|b| b.set_quantity(id, 0))
                                >
                                    {tr(|t| t.remove)}
                                </button>
                            </div>
                        </li>
                    }
                })
        }}
    }
}
