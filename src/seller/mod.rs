//! The sellers' app (served under /seller), for villagers who may not read:
//! big pictures, one thing per screen, every screen read aloud. A family's
//! phone signs in by scanning its printed key card.

pub mod bus;
pub mod draft;
mod lecture;
pub mod lessons;
mod money;
mod products;
pub mod sell;
pub mod texts;
pub mod tutor;

use bazar_api::account::{KeyCardSignIn, Me, Role};
use leptos::prelude::*;

use crate::components::language::LanguageSwitcher;

use crate::api::{self, FetchError, JsonResource};
use crate::i18n::{Locale, provide_i18n, use_i18n};
use crate::router::{Route, Routes, provide_router};
use texts::{st, texts};

/// Replaces the page's shell with the sellers' app.
pub fn mount() {
    crate::mount_into_shell(SellerApp);
    crate::register_service_worker();
}

/// The token of a key card in the address (`/seller#key=...`), taken out
/// of the address at once so it stays out of the history.
fn take_key_from_address() -> Option<String> {
    let window = web_sys::window()?;
    let hash = window.location().hash().ok()?;
    let token = hash.strip_prefix("#key=")?.to_string();
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("/seller"));
    }
    Some(token)
}

#[component]
pub fn SellerApp() -> impl IntoView {
    // Sellers are Uyghur villagers: Uyghur unless the phone asks otherwise.
    provide_i18n(Locale::Ug);
    let key = take_key_from_address();
    let signing_in = RwSignal::new(key.is_some());
    let failed = RwSignal::new(false);
    let me = api::json_resource(Signal::derive(move || {
        (!signing_in.get()).then(|| crate::urls::ME.to_string())
    }));
    if let Some(token) = key {
        leptos::task::spawn_local(async move {
            let result = api::post::<_, Me>(crate::urls::KEY_CARD_SIGN_IN, &KeyCardSignIn { token }).await;
            failed.set(result.is_err());
            signing_in.set(false);
        });
    }
    provide_context(FamilyGate {
        signing_in,
        failed,
        me,
    });
    tutor::provide_recorded(None);
    provide_router(bazar_api::pages::App::Seller);
    view! {
        <SellerBar />
        <Routes routes=&ROUTES fallback=|| view! { <Family><Home /></Family> }.into_any() />
    }
}

/// The sellers' pages; anything else is the home.
static ROUTES: [Route; 9] = [
    Route::new("/seller", || view! { <Family><Home /></Family> }.into_any()),
    Route::new("/seller/sell", || {
        view! { <Family><sell::Sell /></Family> }.into_any()
    }),
    Route::new("/seller/products", || {
        view! { <Family><products::MyProducts /></Family> }.into_any()
    }),
    Route::new("/seller/prepare", || {
        view! { <Family><products::ToPrepare /></Family> }.into_any()
    }),
    Route::new("/seller/money", || {
        view! { <Family><money::MyMoney /></Family> }.into_any()
    }),
    // Learning needs no card: lectures teach people before they sell.
    Route::new("/seller/learn", || view! { <tutor::Lessons /> }.into_any()),
    Route::new("/seller/learn/:lesson", || {
        view! { <tutor::LessonPage /> }.into_any()
    }),
    Route::new("/seller/join", || view! { <lecture::Join /> }.into_any()),
    Route::new("/seller/lecture", || {
        view! { <lecture::LectureView /> }.into_any()
    }),
];

/// Whether this phone is signed in as a family.
#[derive(Clone, Copy)]
struct FamilyGate {
    signing_in: RwSignal<bool>,
    failed: RwSignal<bool>,
    me: JsonResource,
}

/// Shows `children` to a signed-in family, else how to sign in.
#[component]
fn Family(children: ChildrenFn) -> impl IntoView {
    let gate = expect_context::<FamilyGate>();
    move || {
        if gate.signing_in.get() {
            return view! { <main class="seller-page"><p class="big-notice">{st(|t| t.signing_in)}</p></main> }.into_any();
        }
        match api::decoded::<Option<Me>>(gate.me) {
            None => view! { <main class="seller-page"><p class="big-notice">{st(|t| t.loading)}</p></main> }
                .into_any(),
            Some(Ok(Some(account))) if account.role == Role::Family => children().into_any(),
            _ => view! { <ScanCard failed=gate.failed.get() /> }.into_any(),
        }
    }
}

/// Home, the language, and the narration of the screen.
#[component]
fn SellerBar() -> impl IntoView {
    view! {
        <header class="topbar seller-bar">
            <a class="brand" href="/seller" aria-label=st(|t| t.home)>
                <img src="/img/logo.svg" width="40" height="40" alt="" />
                <span class="brand-name">{st(|t| t.title)}</span>
            </a>
            <LanguageSwitcher label=st(|t| t.language) />
        </header>
    }
}

/// Not signed in: a picture of the card and what to do with it.
#[component]
fn ScanCard(failed: bool) -> impl IntoView {
    view! {
        <main class="seller-page">
            <img class="hero-icon" src=if failed { "/img/icons/rejected.svg" } else { "/img/icons/card.svg" }
                width="160" height="160" alt="" />
            <p class="big-notice" data-testid="scan-card">
                {if failed { st(|t| t.card_not_working) } else { st(|t| t.scan_card) }}
            </p>
            <Hear text=if failed { st(|t| t.card_not_working) } else { st(|t| t.scan_card) } />
            <a class="tile learn-tile" href="/seller/learn" data-testid="tile-learn">
                <img src="/img/icons/learn.svg" width="72" height="72" alt="" /><span>{st(|t| t.learn)}</span>
            </a>
        </main>
    }
}

/// The four things a seller does, as big pictures.
#[component]
fn Home() -> impl IntoView {
    view! {
        <main class="seller-page">
            <nav class="tiles" data-testid="seller-home">
                <a class="tile" href="/seller/sell" data-testid="tile-sell">
                    <img src="/img/icons/sell.svg" width="96" height="96" alt="" /><span>{st(|t| t.sell)}</span>
                </a>
                <a class="tile" href="/seller/products" data-testid="tile-products">
                    <img src="/img/icons/products.svg" width="96" height="96" alt="" /><span>{st(|t| t.my_products)}</span>
                </a>
                <a class="tile" href="/seller/prepare" data-testid="tile-prepare">
                    <img src="/img/icons/prepare.svg" width="96" height="96" alt="" /><span>{st(|t| t.to_prepare)}</span>
                </a>
                <a class="tile" href="/seller/money" data-testid="tile-money">
                    <img src="/img/icons/money.svg" width="96" height="96" alt="" /><span>{st(|t| t.my_money)}</span>
                </a>
            </nav>
            <a class="tile learn-tile" href="/seller/learn" data-testid="tile-learn">
                <img src="/img/icons/learn.svg" width="72" height="72" alt="" /><span>{st(|t| t.learn)}</span>
            </a>
        </main>
    }
}

/// Reads `text` aloud with the phone's voice for the language, when it has
/// one; the text is always on the screen too.
pub fn speak(text: &str, locale: Locale) {
    let Some(synth) = web_sys::window().and_then(|w| w.speech_synthesis().ok()) else {
        return;
    };
    if let Ok(utterance) = web_sys::SpeechSynthesisUtterance::new_with_text(text) {
        utterance.set_lang(match locale {
            Locale::Ug => "ug-CN",
            Locale::ZhHans => "zh-CN",
            Locale::En => "en-US",
        });
        synth.cancel();
        synth.speak(&utterance);
    }
}

/// The tap-to-hear button, always in the same place.
#[component]
pub fn Hear(#[prop(into)] text: Signal<&'static str>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <button type="button" class="hear" data-testid="hear" aria-label=st(|t| t.hear)
            on:click=move |_| speak(text.get(), i18n.locale())>
            <img src="/img/icons/hear.svg" width="40" height="40" alt="" />
        </button>
    }
}

/// Shows the resource's answer decoded as `T` with `ok`, or a retry button.
pub fn show<T: serde_lite::Deserialize + 'static, V: IntoView + 'static>(
    resource: JsonResource,
    ok: impl Fn(T) -> V + Send + Sync + 'static,
) -> impl Fn() -> AnyView + Send + Sync + 'static {
    api::shown(
        resource,
        || view! { <p class="big-notice">{st(|t| t.loading)}</p> }.into_any(),
        ok,
        move |error| {
            let message = if error == FetchError::Network {
                st(|t| t.error_network)
            } else {
                st(|t| t.error_server)
            };
            view! {
                <div class="load-error" role="alert">
                    <p class="big-notice">{message}</p>
                    <button type="button" class="button primary" on:click=move |_| resource.refetch()>{st(|t| t.retry)}</button>
                </div>
            }
            .into_any()
        },
    )
}

/// A number in big digits, isolated for right-to-left text.
pub fn big_number(n: impl std::fmt::Display) -> impl IntoView {
    view! { <bdi class="big-number" dir="ltr">{n.to_string()}</bdi> }
}

/// The seller's texts of the current locale.
pub fn t() -> &'static texts::SellerTexts {
    texts(use_i18n().locale())
}
