//! A price, isolated so the yuan sign stays on its side in right-to-left text.

use bazar_api::Fen;
use leptos::prelude::*;

use crate::i18n::use_i18n;

#[component]
pub fn Price(#[prop(into)] fen: Signal<Fen>) -> impl IntoView {
    let i18n = use_i18n();
    view! { <bdi class="price" dir="ltr">{move || i18n.locale().price(fen.get())}</bdi> }
}
