//! The routes of the app, under one header.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::components::header::Header;
use crate::i18n::{Locale, provide_i18n};
use crate::pages::{
    basket::BasketPage, checkout::Checkout, family::FamilyPage, home::Home, my_orders::MyOrders,
    not_found::NotFound, order::OrderPlaced, product::ProductPage, shop::Shop, trace::TracePage,
    track::Track,
};
use crate::state::{basket::provide_basket, checkout::provide_draft, orders::provide_orders};

#[component]
pub fn App() -> impl IntoView {
    // The shop speaks Chinese to a browser that says nothing better.
    provide_i18n(Locale::ZhHans);
    let basket = provide_basket();
    provide_draft();
    provide_orders(basket);
    view! {
        <Router>
            <Header />
            <Routes fallback=NotFound>
                <Route path=path!("/") view=Home />
                <Route path=path!("/shop") view=Shop />
                <Route path=path!("/product/:id") view=ProductPage />
                <Route path=path!("/family/:id") view=FamilyPage />
                <Route path=path!("/basket") view=BasketPage />
                <Route path=path!("/checkout") view=Checkout />
                <Route path=path!("/order/:token") view=OrderPlaced />
                <Route path=path!("/track/:token") view=Track />
                <Route path=path!("/orders") view=MyOrders />

                <Route path=path!("/trace/:code?") view=TracePage />
            </Routes>
        </Router>
    }
}
