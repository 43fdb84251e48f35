//! A route the app does not know.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::use_i18n;

#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <main class="page">
            <p class="notice">{move || i18n.t().not_found}</p>
            <A href="/" attr:class="button">{move || i18n.t().home}</A>
        </main>
    }
}
