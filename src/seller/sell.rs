//! Listing something to sell, one decision per screen: what (pictures), a
//! photo (the phone's camera), how many (big steppers and a picture of the
//! count), the price (a big keypad, with what others ask), and a preview
//! exactly as customers see it. The draft is kept after every step, so
//! closing the app loses nothing. In a lesson the same screens run as
//! practice: nothing leaves the phone.

use bazar_api::seller::{NewListing, Photo, default_names, suggested_price};
use bazar_api::{Capacity, Fen, Product, ProductKind};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::bus::{TutorBus, act, tutor_bus};
use super::draft::{DRAFT_KEY, Draft, KINDS, PRACTICE_KEY, PRACTICE_SENT_KEY};
use super::texts::{SellerTexts, st};
use super::{Hear, t};
use crate::api::{self, FetchError};
use crate::i18n::use_i18n;
use crate::state::storage;

/// Screens of the listing, in order; `SENT` after sending.
pub const STEPS: u8 = 5;
const SENT: u8 = 5;

fn kind_name(t: &SellerTexts, kind: ProductKind) -> &'static str {
    match kind {
        ProductKind::Nang => t.kind_nang,
        ProductKind::Eggs => t.kind_eggs,
        ProductKind::Honey => t.kind_honey,
        _ => t.kind_other,
    }
}

fn kind_picture(kind: ProductKind) -> &'static str {
    KINDS
        .iter()
        .find(|k| k.0 == kind)
        .map_or("/img/logo.svg", |k| k.1)
}

/// The listing screens; `practice` keeps everything on the phone.
#[component]
pub fn Sell(
    #[prop(optional)] practice: bool,
    /// The draft to work on (a lesson shares its own); else the stored one.
    #[prop(optional)]
    draft: Option<RwSignal<Draft>>,
) -> impl IntoView {
    let key = if practice { PRACTICE_KEY } else { DRAFT_KEY };
    let draft: RwSignal<Draft> = draft.unwrap_or_else(|| storage::persisted(key));
    let bus = tutor_bus();
    let step = Memo::new(move |_| draft.with(|d| d.step));
    let go = move |to: u8| draft.update(|d| d.step = to);
    view! {
        <main class="seller-page sell" data-testid="sell" data-step=move || step.get()>
            {move || (step.get() < STEPS).then(|| view! {
                <div class="sell-progress" aria-hidden="true">
                    {(0..STEPS).map(|i| view! { <span class="dot" class:done=move || i <= step.get()></span> }).collect_view()}
                    <bdi dir="ltr">{move || format!("{} / {}", step.get() + 1, STEPS)}</bdi>
                </div>
            })}
            {move || match step.get() {
                0 => view! { <What draft=draft /> }.into_any(),
                1 => view! { <Photo draft=draft practice=practice /> }.into_any(),
                2 => view! { <HowMany draft=draft /> }.into_any(),
                3 => view! { <PriceStep draft=draft /> }.into_any(),
                4 => view! { <Preview draft=draft practice=practice /> }.into_any(),
                _ => view! { <Sent draft=draft practice=practice /> }.into_any(),
            }}
            {move || (step.get() > 0 && step.get() < SENT).then(|| view! {
                <button type="button" class="button quiet back-step" data-tutor="back"
                    on:click=move |_| { go(step.get_untracked() - 1); act(bus, "back"); }>
                    <span class="arrow-back" aria-hidden="true">"←"</span> {st(|t| t.back)}
                </button>
            })}
        </main>
    }
}

#[component]
fn What(draft: RwSignal<Draft>) -> impl IntoView {
    let bus: Option<TutorBus> = tutor_bus();
    let i18n = use_i18n();
    view! {
        <h1 class="seller-title">{st(|t| t.what_title)}</h1>
        <Hear text=st(|t| t.what_title) />
        <div class="kind-grid">
            {KINDS.into_iter().map(|(kind, picture, id)| view! {
                <button type="button" class="kind-choice" data-tutor=id
                    class:chosen=move || draft.with(|d| d.kind == Some(kind))
                    on:click=move |_| {
                        draft.update(|d| {
                            d.kind = Some(kind);
                            d.step = 1;
                        });
                        act(bus, id);
                    }>
                    <img src=picture width="96" height="96" alt="" />
                    <span>{move || kind_name(super::texts::texts(i18n.locale()), kind)}</span>
                </button>
            }).collect_view()}
        </div>
    }
}

/// The file a file input holds.
fn chosen_file(ev: &leptos::ev::Event) -> Option<web_sys::File> {
    let input: web_sys::HtmlInputElement = ev.target()?.dyn_into().ok()?;
    input.files()?.get(0)
}

async fn upload(file: web_sys::File) -> Result<(String, String), FetchError> {
    let photo: Photo = api::post_photo(crate::urls::SELLER_PHOTOS, file).await?;
    Ok((photo.name, photo.url))
}

#[component]
fn Photo(draft: RwSignal<Draft>, practice: bool) -> impl IntoView {
    let bus: Option<TutorBus> = tutor_bus();
    let busy = RwSignal::new(false);
    let failed = RwSignal::new(false);
    let on_file = move |ev: leptos::ev::Event| {
        let Some(file) = chosen_file(&ev) else { return };
        act(bus, "photo-take");
        if practice {
            // Practice never sends the photo anywhere: it is shown from the phone's memory.
            let url = web_sys::Url::create_object_url_with_blob(&file).ok();
            draft.update(|d| {
                d.photo = None;
                d.photo_url = url;
            });
            return;
        }
        busy.set(true);
        failed.set(false);
        leptos::task::spawn_local(async move {
            match upload(file).await {
                Ok((name, url)) => draft.update(|d| {
                    d.photo = Some(name);
                    d.photo_url = Some(url);
                }),
                Err(_) => failed.set(true),
            }
            busy.set(false);
        });
    };
    let camera = move |label: Signal<&'static str>, id: &'static str| {
        view! {
            <label class="button camera-button" data-tutor=id>
                <img src="/img/icons/camera.svg" width="56" height="56" alt="" />
                <span>{label}</span>
                <input type="file" accept="image/*" capture="environment" class="visually-hidden" on:change=on_file />
            </label>
        }
    };
    let has_photo = move || draft.with(|d| d.photo_url.is_some());
    view! {
        <h1 class="seller-title">{st(|t| t.photo_title)}</h1>
        <Hear text=st(|t| t.photo_title) />
        {move || match draft.with(|d| d.photo_url.clone()) {
            Some(url) => view! { <img class="photo-preview" src=url alt="" data-testid="photo-preview" /> }.into_any(),
            None => view! {
                <img class="photo-placeholder" src=move || kind_picture(draft.with(|d| d.kind.unwrap_or(ProductKind::Other)))
                    width="160" height="160" alt="" />
            }.into_any(),
        }}
        {move || busy.get().then(|| view! { <p class="big-notice">{st(|t| t.uploading)}</p> })}
        {move || failed.get().then(|| view! { <p class="big-notice form-error" role="alert">{st(|t| t.upload_failed)}</p> })}
        <div class="sell-actions">
            {move || if has_photo() {
                view! {
                    {camera(st(|t| t.retake), "photo-retake")}
                    <NextButton draft=draft to=2 />
                }.into_any()
            } else {
                camera(st(|t| t.take_photo), "photo-take").into_any()
            }}
        </div>
    }
}

#[component]
fn NextButton(
    draft: RwSignal<Draft>,
    to: u8,
    #[prop(optional, into)] enabled: Option<Signal<bool>>,
) -> impl IntoView {
    let bus = tutor_bus();
    view! {
        <button type="button" class="button primary next-step" data-tutor="next"
            disabled=move || enabled.is_some_and(|e| !e.get())
            on:click=move |_| { draft.update(|d| d.step = to); act(bus, "next"); }>
            {st(|t| t.next)} <span class="arrow-forward" aria-hidden="true">"→"</span>
        </button>
    }
}

#[component]
fn HowMany(draft: RwSignal<Draft>) -> impl IntoView {
    let bus: Option<TutorBus> = tutor_bus();
    let quantity = Memo::new(move |_| draft.with(|d| d.quantity));
    let picture = move || kind_picture(draft.with(|d| d.kind.unwrap_or(ProductKind::Other)));
    let change = move |by: i64, id: &'static str| {
        draft.update(|d| d.quantity = (i64::from(d.quantity) + by).clamp(1, 10_000) as u32);
        act(bus, id);
    };
    let capacity = move |weekly: bool, icon: &'static str, id: &'static str, label: Signal<&'static str>| {
        view! {
            <button type="button" class="capacity-choice" data-tutor=id
                class:chosen=move || draft.with(|d| d.weekly == weekly)
                on:click=move |_| { draft.update(|d| d.weekly = weekly); act(bus, id); }>
                <img src=icon width="56" height="56" alt="" /><span>{label}</span>
            </button>
        }
    };
    view! {
        <h1 class="seller-title">{st(|t| t.how_many_title)}</h1>
        <Hear text=st(|t| t.how_many_title) />
        <div class="capacity-choices">
            {capacity(true, "/img/icons/week.svg", "capacity-weekly", st(|t| t.per_week))}
            {capacity(false, "/img/icons/stock.svg", "capacity-stock", st(|t| t.in_stock))}
        </div>
        <div class="big-stepper">
            <button type="button" class="step-button" data-tutor="qty-minus" aria-label=st(|t| t.fewer)
                on:click=move |_| change(-1, "qty-minus")>"−"</button>
            <output class="big-number" data-testid="quantity"><bdi dir="ltr">{move || quantity.get()}</bdi></output>
            <button type="button" class="step-button" data-tutor="qty-plus" aria-label=st(|t| t.more)
                on:click=move |_| change(1, "qty-plus")>"+"</button>
        </div>
        <div class="count-picture" aria-hidden="true">
            {move || (0..quantity.get().min(30)).map(|_| view! { <img src=picture() width="28" height="28" alt="" /> }).collect_view()}
            {move || (quantity.get() > 30).then(|| view! { <span class="more-count">"…"</span> })}
        </div>
        <div class="sell-actions"><NextButton draft=draft to=3 /></div>
    }
}

#[component]
fn PriceStep(draft: RwSignal<Draft>) -> impl IntoView {
    let bus: Option<TutorBus> = tutor_bus();
    let i18n = use_i18n();
    let kind = draft.with_untracked(|d| d.kind.unwrap_or(ProductKind::Other));
    let similar = api::json_resource(Signal::derive(move || {
        Some(crate::urls::products(Some(kind), ""))
    }));
    let suggestion = Memo::new(move |_| {
        api::decoded::<Vec<Product>>(similar)
            .and_then(Result::ok)
            .and_then(|products| suggested_price(&products.iter().map(|p| p.price_fen).collect::<Vec<_>>()))
    });
    let price = Memo::new(move |_| draft.with(|d| d.price.clone()));
    let valid = Signal::derive(move || Fen::parse_yuan(&price.get()).is_some_and(|f| f.0 > 0));
    let press = move |key: char| {
        draft.update(|d| {
            let mut next = d.price.clone();
            match key {
                '<' => {
                    next.pop();
                }
                '.' if next.contains('.') || next.is_empty() => {}
                _ => next.push(key),
            }
            if next.is_empty() || Fen::parse_yuan(&next).is_some() || next.ends_with('.') {
                d.price = next;
            }
        });
    };
    let key = move |label: &'static str, value: char, id: &'static str| {
        view! {
            <button type="button" class="key" data-tutor=id on:click=move |_| { press(value); act(bus, id); }>{label}</button>
        }
    };
    view! {
        <h1 class="seller-title">{st(|t| t.price_title)}</h1>
        <Hear text=st(|t| t.price_title) />
        <p class="price-display" data-testid="price"><bdi dir="ltr">"¥ " {move || price.get()}</bdi></p>
        {move || suggestion.get().map(|fen| view! {
            <p class="suggestion">
                <span>{st(|t| t.suggested)} " "</span>
                <bdi class="price" dir="ltr">{move || i18n.locale().price(fen)}</bdi>
                <button type="button" class="button quiet" data-tutor="use-suggested"
                    on:click=move |_| { draft.update(|d| d.price = fen.format_grouped("")); act(bus, "use-suggested"); }>
                    {st(|t| t.use_suggested)}
                </button>
            </p>
        })}
        <div class="keypad" dir="ltr">
            {key("1", '1', "key-1")}{key("2", '2', "key-2")}{key("3", '3', "key-3")}
            {key("4", '4', "key-4")}{key("5", '5', "key-5")}{key("6", '6', "key-6")}
            {key("7", '7', "key-7")}{key("8", '8', "key-8")}{key("9", '9', "key-9")}
            {key(".", '.', "key-dot")}{key("0", '0', "key-0")}
            <button type="button" class="key" data-tutor="key-delete" aria-label=st(|t| t.delete)
                on:click=move |_| { press('<'); act(bus, "key-delete"); }>"⌫"</button>
        </div>
        <div class="sell-actions"><NextButton draft=draft to=4 enabled=valid /></div>
    }
}

#[component]
fn Preview(draft: RwSignal<Draft>, practice: bool) -> impl IntoView {
    let bus: Option<TutorBus> = tutor_bus();
    let i18n = use_i18n();
    let d = draft.get_untracked();
    let kind = d.kind.unwrap_or(ProductKind::Other);
    let (names, unit) = default_names(kind);
    let price = Fen::parse_yuan(&d.price).unwrap_or_default();
    let image = d
        .photo_url
        .clone()
        .unwrap_or_else(|| kind_picture(kind).to_string());
    let failed = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let send = move |_| {
        act(bus, "send");
        let d = draft.get_untracked();
        if practice {
            let mut sent: Vec<Draft> = storage::load(PRACTICE_SENT_KEY).unwrap_or_default();
            sent.push(d);
            storage::save(PRACTICE_SENT_KEY, &sent);
            draft.update(|d| d.step = SENT);
            return;
        }
        let listing = NewListing {
            kind,
            capacity: if d.weekly {
                Capacity::Weekly
            } else {
                Capacity::Stock
            },
            quantity: d.quantity,
            price_fen: price,
            photo: d.photo.clone(),
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            match api::send(api::Method::POST, crate::urls::SELLER_LISTINGS, Some(&listing)).await {
                Ok(_) => draft.update(|d| d.step = SENT),
                Err(_) => failed.set(true),
            }
            busy.set(false);
        });
    };
    let weekly = d.weekly;
    let quantity = d.quantity;
    view! {
        <h1 class="seller-title">{st(|t| t.preview_title)}</h1>
        <Hear text=st(|t| t.preview_title) />
        <article class="product-card preview-card" data-testid="preview">
            <img class="product-image" src=image width="320" height="240" alt="" />
            <div class="product-info">
                <p class="product-name">{move || names.get(i18n.locale().lang()).to_string()}</p>
                <p><bdi class="price" dir="ltr">{move || i18n.locale().price(price)}</bdi>
                   " / " {move || unit.get(i18n.locale().lang()).to_string()}</p>
                <p>
                    <img src=if weekly { "/img/icons/week.svg" } else { "/img/icons/stock.svg" } width="32" height="32" alt="" />
                    " " <bdi dir="ltr">{quantity}</bdi> " "
                    {move || if weekly { t().per_week } else { t().in_stock }}
                </p>
            </div>
        </article>
        {move || failed.get().then(|| view! { <p class="big-notice form-error" role="alert">{st(|t| t.send_failed)}</p> })}
        <div class="sell-actions">
            <button type="button" class="button primary send-button" data-tutor="send" disabled=busy on:click=send>
                <img src="/img/icons/live.svg" width="40" height="40" alt="" /> {st(|t| t.send)}
            </button>
        </div>
    }
}

#[component]
fn Sent(draft: RwSignal<Draft>, practice: bool) -> impl IntoView {
    let text = if practice {
        st(|t| t.practice_sent)
    } else {
        st(|t| t.sent)
    };
    view! {
        <img class="hero-icon" src=if practice { "/img/icons/star.svg" } else { "/img/icons/pending.svg" } width="160" height="160" alt="" />
        <p class="big-notice" data-testid="sent">{text}</p>
        <Hear text=text />
        <div class="sell-actions">
            {(!practice).then(|| view! {
                <a class="button primary" href="/seller/products" on:click=move |_| draft.set(Draft::default())>
                    <img src="/img/icons/products.svg" width="40" height="40" alt="" /> {st(|t| t.my_products)}
                </a>
            })}
            <button type="button" class="button quiet" data-tutor="sell-again" on:click=move |_| draft.set(Draft::default())>
                <img src="/img/icons/sell.svg" width="40" height="40" alt="" /> {st(|t| t.sell)}
            </button>
        </div>
    }
}
