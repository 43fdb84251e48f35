//! The routes of the app, under one header.

use leptos::prelude::*;

use crate::components::header::Header;
use crate::i18n::{Locale, provide_i18n};
use crate::pages::{
    basket::BasketPage, checkout::Checkout, family::FamilyPage, home::Home, my_orders::MyOrders,
    not_found::NotFound, order::OrderPlaced, product::ProductPage, shop::Shop, trace::TracePage,
    track::Track,
};
use crate::router::{Route, Routes, provide_router};
use crate::state::{basket::provide_basket, checkout::provide_draft, orders::provide_orders};

/// The shop's pages; anything else is not found.
static ROUTES: [Route; 10] = [
    Route::new("/", || view! { <Home /> }.into_any()),
    Route::new("/shop", || view! { <Shop /> }.into_any()),
    Route::new("/product/:id", || view! { <ProductPage /> }.into_any()),
    Route::new("/family/:id", || view! { <FamilyPage /> }.into_any()),
    Route::new("/basket", || view! { <BasketPage /> }.into_any()),
    Route::new("/checkout", || view! { <Checkout /> }.into_any()),
    Route::new("/order/:token", || view! { <OrderPlaced /> }.into_any()),
    Route::new("/track/:token", || view! { <Track /> }.into_any()),
    Route::new("/orders", || view! { <MyOrders /> }.into_any()),
    Route::new("/trace/:code?", || view! { <TracePage /> }.into_any()),
];

#[component]
pub fn App() -> impl IntoView {
    // The shop speaks Chinese to a browser that says nothing better.
    provide_i18n(Locale::ZhHans);
    provide_router(bazar_api::pages::App::Shop);
    let basket = provide_basket();
    provide_draft();
    provide_orders(basket);
    view! {
        <Header />
        <Routes routes=&ROUTES fallback=|| view! { <NotFound /> }.into_any() />
    }
}
