//! A route the app does not know.

use leptos::prelude::*;

use crate::i18n::tr;

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <main class="page">
            <p class="notice">{tr(|t| t.not_found)}</p>
            <a href="/" class="button">{tr(|t| t.home)}</a>
        </main>
    }
}
