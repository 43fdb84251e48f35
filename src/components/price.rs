//! Prices, isolated so the yuan sign stays on its side in right-to-left text.

use bazar_api::Fen;
use leptos::prelude::*;

use crate::i18n::{tr, use_i18n};

#[component]
pub fn Price(#[prop(into)] fen: Signal<Fen>) -> impl IntoView {
    let i18n = use_i18n();
    view! { <bdi class="price" dir="ltr">{move || i18n.locale().price(fen.get())}</bdi> }
}

/// Goods, shipping and total, one under the other.
#[component]
pub fn Sums(
    #[prop(into)] subtotal: Signal<Fen>,
    /// `None` until a delivery zone is chosen.
    #[prop(into)]
    shipping: Signal<Option<Fen>>,
    #[prop(into)] total: Signal<Fen>,
) -> impl IntoView {
    view! {
        <dl class="sums">
            <dt>{tr(|t| t.subtotal)}</dt>
            <dd><Price fen=subtotal /></dd>
            <dt>{tr(|t| t.shipping)}</dt>
            <dd>{move || shipping.get().map(|fen| view! { <Price fen=fen /> })}</dd>
            <dt class="total">{tr(|t| t.total)}</dt>
            <dd class="total" data-testid="total"><Price fen=total /></dd>
        </dl>
    }
}
