//! The service center's app (served under /center): the order queue and each
//! order's life, pick lists by family, batches and their trace labels,
//! listing approval, key cards, and every family's earnings. Operators use it
//! on a phone at a family's door and on the desktop at the center.

mod families;
mod listings;
mod manage;
mod money;
mod orders;
mod pick;
pub mod texts;

use bazar_api::account::{Me, Role};
use leptos::prelude::*;

use crate::components::language::LanguageSwitcher;

use crate::api::{self, FetchError, JsonResource};
use crate::i18n::{Locale, provide_i18n, use_i18n};
use crate::router::{Route, Routes, provide_router};
use texts::{ct, texts};

/// Replaces the page's shell with the center's app.
pub fn mount() {
    crate::mount_into_shell(CenterApp);
}

/// The signed-in operator (or admin), for every page.
#[derive(Clone)]
pub struct Operator(pub Me);

/// Who is signed in, to ask again after a change (an admin choosing a hub).
#[derive(Clone, Copy)]
pub struct MeResource(pub JsonResource);

#[component]
pub fn CenterApp() -> impl IntoView {
    provide_i18n(Locale::ZhHans);
    provide_router(bazar_api::pages::App::Center);
    let me = api::json_resource(Signal::derive(|| Some(crate::urls::ME.to_string())));
    provide_context(MeResource(me));
    view! {
            {move || match api::decoded::<Option<Me>>(me) {
                None => view! { <p class="notice">{ct(|t| t.loading)}</p> }.into_any(),
                // An admin works in a hub once it chose one; until then, the hubs.
                Some(Ok(Some(account))) if account.role == Role::Admin && account.hub.is_empty() => {
                    provide_context(Operator(account));
                    view! {
                        <TopBar me=me />
                        <p class="notice page">{ct(|t| t.choose_hub)}</p>
                        <manage::Hubs />
                    }
                    .into_any()
                }
                Some(Ok(Some(account))) if matches!(account.role, Role::Operator | Role::Admin) => {
                    provide_context(Operator(account));
                    view! { <Signed me=me /> }.into_any()
                }
                Some(Ok(Some(_))) => view! {
                    <TopBar me=me />
                    <main class="page"><p class="notice">{ct(|t| t.error_forbidden)}</p></main>
                }
                .into_any(),
                // Signed out, or the answer didn't come.
                Some(Ok(None) | Err(_)) => view! { <SignIn me=me /> }.into_any(),
            }}
    }
}

/// The operators' pages.
static ROUTES: [Route; 14] = [
    Route::new("/center", || view! { <orders::Queue /> }.into_any()),
    Route::new("/center/order/:code", || {
        view! { <orders::OrderPage /> }.into_any()
    }),
    Route::new("/center/pick", || view! { <pick::PickListPage /> }.into_any()),
    Route::new("/center/label/:code", || view! { <pick::LabelPage /> }.into_any()),
    Route::new("/center/listings", || view! { <listings::Listings /> }.into_any()),
    Route::new("/center/families", || view! { <families::Families /> }.into_any()),
    Route::new("/center/earnings", || {
        view! { <money::EarningsPage /> }.into_any()
    }),
    Route::new("/center/overview", || view! { <money::Overview /> }.into_any()),
    Route::new("/center/statement/:id", || {
        view! { <money::StatementPage /> }.into_any()
    }),
    Route::new("/center/products", || view! { <manage::Products /> }.into_any()),
    Route::new("/center/staff", || view! { <manage::Staff /> }.into_any()),
    Route::new("/center/zones", || view! { <manage::Zones /> }.into_any()),
    Route::new("/center/audit", || view! { <manage::Audit /> }.into_any()),
    Route::new("/center/hubs", || view! { <manage::Hubs /> }.into_any()),
];

#[component]
fn Signed(me: JsonResource) -> impl IntoView {
    view! {
        <TopBar me=me />
        <Routes routes=&ROUTES fallback=|| view! { <main class="page"><p class="notice">{ct(|t| t.error_not_found)}</p></main> }.into_any() />
    }
}

/// The name, the sections, the language and signing out.
#[component]
fn TopBar(me: JsonResource) -> impl IntoView {
    let admin = use_context::<Operator>().is_some_and(|o| o.0.role == Role::Admin);
    let sign_out = move |_| {
        leptos::task::spawn_local(async move {
            let _ = api::send::<()>(api::Method::POST, crate::urls::SIGN_OUT, None).await;
            me.refetch();
        });
    };
    view! {
        <header class="topbar center-bar no-print">
            <a class="brand" href="/center"><img src="/img/logo.svg" width="32" height="32" alt="" />
                <span class="brand-name">{ct(|t| t.title)}</span></a>
            <nav class="center-nav">
                <a href="/center">{ct(|t| t.nav_orders)}</a>
                <a href="/center/pick">{ct(|t| t.nav_pick)}</a>
                <a href="/center/listings">{ct(|t| t.nav_listings)}</a>
                <a href="/center/families">{ct(|t| t.nav_families)}</a>
                <a href="/center/earnings">{ct(|t| t.nav_money)}</a>
                <a href="/center/overview">{ct(|t| t.nav_overview)}</a>
                <a href="/center/products">{ct(|t| t.nav_products)}</a>
                <a href="/center/zones">{ct(|t| t.nav_zones)}</a>
                <a href="/center/staff">{ct(|t| t.nav_staff)}</a>
                <a href="/center/audit">{ct(|t| t.nav_audit)}</a>
                {admin.then(|| view! { <a href="/center/hubs">{ct(|t| t.nav_hubs)}</a> })}
            </nav>
            <LanguageSwitcher label=ct(|t| t.language) />
            <button type="button" class="button quiet" data-testid="sign-out" on:click=sign_out>
                {ct(|t| t.sign_out)}
            </button>
        </header>
    }
}

#[component]
fn SignIn(me: JsonResource) -> impl IntoView {
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<FetchError>);
    let busy = RwSignal::new(false);
    let i18n = use_i18n();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        let body = bazar_api::account::SignIn {
            username: username.get_untracked(),
            password: password.get_untracked(),
        };
        leptos::task::spawn_local(async move {
            match api::post::<_, Me>(crate::urls::SIGN_IN, &body).await {
                Ok(_) => {
                    password.set(String::new());
                    me.refetch();
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    view! {
        <header class="topbar center-bar">
            <span class="brand"><img src="/img/logo.svg" width="32" height="32" alt="" />
                <span class="brand-name">{ct(|t| t.title)}</span></span>
        </header>
        <main class="page narrow">
            <h1 class="section-title">{ct(|t| t.sign_in_title)}</h1>
            <form class="form" on:submit=submit>
                <label class="field">
                    <span>{ct(|t| t.username)}</span>
                    <input name="username" autocomplete="username" dir="ltr" required
                        prop:value=username on:input=move |ev| username.set(event_target_value(&ev)) />
                </label>
                <label class="field">
                    <span>{ct(|t| t.password)}</span>
                    <input name="password" type="password" autocomplete="current-password" dir="ltr" required
                        prop:value=password on:input=move |ev| password.set(event_target_value(&ev)) />
                </label>
                {move || error.get().map(|e| view! {
                    <p class="form-error" role="alert">{texts(i18n.locale()).error(&e)}</p>
                })}
                <button type="submit" class="button primary" disabled=busy>{ct(|t| t.sign_in)}</button>
            </form>
        </main>
    }
}

/// Shows the resource's answer decoded as `T` with `ok`, or a retryable error.
pub fn show<T: serde_lite::Deserialize + 'static, V: IntoView + 'static>(
    resource: JsonResource,
    ok: impl Fn(T) -> V + Send + Sync + 'static,
) -> impl Fn() -> AnyView + Send + Sync + 'static {
    api::shown(
        resource,
        || view! { <p class="notice">{ct(|t| t.loading)}</p> }.into_any(),
        ok,
        move |error| view! { <Failed error=error on_retry=move || resource.refetch() /> }.into_any(),
    )
}

#[component]
pub fn Failed(error: FetchError, on_retry: impl Fn() + Send + Sync + 'static) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="load-error" role="alert">
            <p>{move || texts(i18n.locale()).error(&error)}</p>
            <button type="button" class="button" on:click=move |_| on_retry()>{ct(|t| t.retry)}</button>
        </div>
    }
}

/// A price in the reader's locale, isolated for right-to-left text.
pub fn money(fen: bazar_api::Fen) -> impl IntoView {
    let i18n = use_i18n();
    view! { <bdi class="price" dir="ltr">{move || i18n.locale().price(fen)}</bdi> }
}

/// Opens the browser's print dialog.
pub fn print() {
    if let Some(w) = web_sys::window() {
        let _ = w.print();
    }
}
