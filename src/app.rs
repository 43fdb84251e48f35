//! The routes of the app.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::i18n::{Locale, provide_i18n};
use crate::pages::{home::Home, not_found::NotFound, product::ProductPage};

#[component]
pub fn App() -> impl IntoView {
    // The shop speaks Chinese to a browser that says nothing better.
    provide_i18n(Locale::ZhHans);
    view! {
        <Router>
            <Routes fallback=NotFound>
                <Route path=path!("/") view=Home />
                <Route path=path!("/product/:id") view=ProductPage />
            </Routes>
        </Router>
    }
}
