//! The tutor: a lesson runs on the real screens in practice mode. Each step
//! shines a light on the one control to tap (the rest dimmed: a tap there
//! gets a gentle spoken hint), shows its picture and caption, and says it.
//! The replay, help and back buttons never move. Progress is kept, so the
//! tutor resumes where the learner stopped; a lesson ends with a
//! celebration and a check: listing once more with the hints off.

use leptos::prelude::*;
use serde::Serialize;
use wasm_bindgen::JsCast;

use super::bus::{TutorBus, act, tutor_bus};
use super::draft::{Draft, KINDS, PRACTICE_KEY};
use super::lessons::{LESSONS, Lesson, Screen};
use super::sell::Sell;
use super::texts::{SellerTexts, st, texts};
use crate::i18n::{Locale, use_i18n};
use crate::state::storage;

/// Where the learner is, kept on the phone.
#[derive(Debug, Clone, Default, PartialEq, Serialize, serde_lite::Deserialize)]
pub struct Progress {
    pub lesson: u32,
    pub step: u32,
    /// Lessons passed (with the check).
    pub passed: Vec<u32>,
}

pub const PROGRESS_KEY: &str = "bazar.tutor";

/// The narration of `clip` in the reader's language: a trainer's recording
/// for the hub when there is one, else the bundled Uyghur clip, else the
/// phone's own voice for Chinese and English.
pub fn narrate(
    recorded: Option<Recorded>,
    clip: &'static str,
    text: &'static str,
    locale: Locale,
    hub: Option<String>,
) {
    let lang = match locale {
        Locale::Ug => "ug",
        Locale::ZhHans => "zh",
        Locale::En => "en",
    };
    let recorded =
        recorded.is_some_and(|r| r.0.with_untracked(|all| all.contains(&format!("{clip}/{lang}"))));
    let url = if recorded {
        Some(crate::urls::narration(clip, lang, hub.as_deref()))
    } else if locale == Locale::Ug {
        Some(format!("/audio/ug/{clip}.mp3"))
    } else {
        None
    };
    if let Some(synth) = web_sys::window().and_then(|w| w.speech_synthesis().ok()) {
        synth.cancel();
    }
    match url.and_then(|u| web_sys::HtmlAudioElement::new_with_src(&u).ok()) {
        Some(audio) => {
            let _ = audio.play();
        }
        None => super::speak(text, locale),
    }
}

/// The clips the hub's trainers recorded (`clip/lang`).
#[derive(Clone, Copy)]
pub struct Recorded(pub RwSignal<Vec<String>>);

/// Loads which clips are recorded for `hub`, once.
pub fn provide_recorded(hub: Option<String>) {
    let recorded = Recorded(RwSignal::new(Vec::new()));
    provide_context(recorded);
    leptos::task::spawn_local(async move {
        let url = crate::urls::recorded(hub.as_deref());
        if let Ok(text) = crate::api::send::<()>(crate::api::Method::GET, &url, None).await
            && let Some(list) = crate::api::from_json::<Vec<String>>(&text)
        {
            recorded.0.set(list);
        }
    });
}

/// A rectangle on the screen, in CSS pixels.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
struct Rect {
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

fn target_rect(target: &str) -> Option<Rect> {
    let document = web_sys::window()?.document()?;
    let element = document
        .query_selector(&format!("[data-tutor=\"{target}\"]"))
        .ok()??;
    let r = element.get_bounding_client_rect();
    (r.width() > 0.0).then(|| Rect {
        x: r.left() - 6.0,
        y: r.top() - 6.0,
        w: r.width() + 12.0,
        h: r.height() + 12.0,
    })
}

fn scroll_to(target: &str) {
    if let Some(element) = web_sys::window().and_then(|w| w.document()).and_then(|d| {
        d.query_selector(&format!("[data-tutor=\"{target}\"]"))
            .ok()
            .flatten()
    }) {
        let options = web_sys::ScrollIntoViewOptions::new();
        options.set_block(web_sys::ScrollLogicalPosition::Center);
        element.scroll_into_view_with_scroll_into_view_options(&options);
    }
}

/// How a lesson is driven: alone on a phone, following a lecture, or shown
/// in the projector's phone frame.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Alone,
    Follow,
    Frame,
}

/// One lesson on the practice screens. `step` is where it is; `on_done` is
/// called with the step the learner just finished.
#[component]
pub fn LessonRunner(
    lesson: u32,
    step: RwSignal<u32>,
    mode: Mode,
    #[prop(into)] on_done: Callback<u32>,
    #[prop(optional)] hub: Option<String>,
    /// Called when the learner listed alone in the check.
    #[prop(optional, into)]
    on_passed: Option<Callback<()>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let Some(data) = LESSONS.get(lesson as usize) else {
        return view! { <p class="big-notice">"?"</p> }.into_any();
    };
    let bus = TutorBus(RwSignal::new(None));
    provide_context(bus);
    let recorded = use_context::<Recorded>();
    let draft: RwSignal<Draft> = storage::persisted(PRACTICE_KEY);
    let total = data.steps.len() as u32;
    // The check at the end: listing once more with the hints off.
    let checking = RwSignal::new(false);
    let finished = Memo::new(move |_| step.get() >= total);
    let current = move || data.steps.get(step.get() as usize);
    let screen = Memo::new(move |_| match current() {
        Some(s) => s.screen,
        None if checking.get() => Screen::Sell(0),
        None => Screen::Home,
    });
    follow_steps_in_draft(data, draft, screen, move || current().map(|s| s.target));
    let hub_for_say = hub.clone();
    let say = move || {
        if let Some(s) = current() {
            let t = texts(i18n.locale());
            narrate(
                recorded,
                s.clip,
                (s.caption)(t),
                i18n.locale(),
                hub_for_say.clone(),
            );
        }
    };
    let say_now = say.clone();
    Effect::new(move |_| {
        step.track();
        i18n.0.track();
        if mode != Mode::Frame {
            say_now();
        }
    });
    // Doing the step's action moves the lesson on.
    Effect::new(move |_| {
        let Some((id, _)) = bus.0.get() else { return };
        if let Some(s) = data.steps.get(step.get_untracked() as usize)
            && s.target == id
        {
            let done = step.get_untracked();
            on_done.run(done);
        }
    });
    let target = Memo::new(move |_| current().map(|s| s.target));
    let rect = light_on(target);
    let hint = move |_| {
        let t = texts(i18n.locale());
        narrate(recorded, "hint", t.hint_wrong, i18n.locale(), None);
    };
    let hub_help = hub.clone();
    let help = move |_| {
        if let Some(t) = target.get_untracked() {
            scroll_to(t);
        }
        if let Some(s) = current() {
            let t = texts(i18n.locale());
            narrate(recorded, s.clip, (s.caption)(t), i18n.locale(), hub_help.clone());
        }
    };
    let replay = move |_| say();
    let check_sent = Memo::new(move |_| checking.get() && draft.with(|d| d.step >= 5));
    Effect::new(move |_| {
        if check_sent.get()
            && let Some(passed) = on_passed
        {
            passed.run(());
        }
    });
    view! {
        <div class="tutor" data-testid="tutor" data-lesson=lesson data-step=move || step.get()
            class:framed=mode == Mode::Frame>
            <div class="practice-screen">
                {move || match screen.get() {
                    Screen::Playground => view! { <Playground /> }.into_any(),
                    Screen::Home => view! { <PracticeHome /> }.into_any(),
                    Screen::Sell(_) => view! { <Sell practice=true draft=draft /> }.into_any(),
                    Screen::Prepare => view! { <PracticeSample prepare=true /> }.into_any(),
                    Screen::Money => view! { <PracticeSample prepare=false /> }.into_any(),
                }}
            </div>
            {move || match (finished.get(), rect.get()) {
                (false, Some(r)) => spotlight(r, hint).into_any(),
                _ => ().into_any(),
            }}
            {move || (finished.get() && (!checking.get() || check_sent.get())).then(|| {
                let passed = check_sent.get();
                view! {
                    <div class="celebration" data-testid=if passed { "lesson-passed" } else { "lesson-done" }>
                        <img src="/img/icons/star.svg" width="120" height="120" alt="" />
                        <p class="big-notice">{move || {
                            let t = texts(i18n.locale());
                            if passed { t.lesson_passed } else { t.well_done }
                        }}</p>
                        {(data.check && !checking.get() && mode == Mode::Alone).then(|| view! {
                            <button type="button" class="button primary" data-testid="try-alone"
                                on:click=move |_| { draft.set(Draft::default()); checking.set(true); }>
                                <img src="/img/icons/sell.svg" width="40" height="40" alt="" /> {st(|t| t.try_alone)}
                            </button>
                        })}
                        <a class="button quiet" href="/seller/learn">{st(|t| t.learn)}</a>
                    </div>
                }
            })}
            <TutorBar data=data step=step total=total replay=replay help=help />
        </div>
    }
    .into_any()
}

/// Entering a step puts the listing screens where that step needs them
/// (the practice draft at the step's screen, with the lesson's kind, its
/// picture for a photo and a price once they are due): a phone that joins
/// a lecture half way gets what earlier steps chose.
fn follow_steps_in_draft(
    data: &'static Lesson,
    draft: RwSignal<Draft>,
    screen: Memo<Screen>,
    target: impl Fn() -> Option<&'static str> + Send + Sync + 'static,
) {
    let lesson_kind = data
        .steps
        .iter()
        .find_map(|s| KINDS.iter().find(|k| k.2 == s.target))
        .map(|k| (k.0, k.1));
    Effect::new(move |_| {
        let Screen::Sell(sell_step) = screen.get() else {
            return;
        };
        let needs_photo = sell_step >= 1 && target() != Some("photo-take");
        draft.update(|d| {
            if sell_step == 0 && d.step != 0 {
                *d = Draft::default();
            }
            d.step = sell_step;
            if sell_step >= 1 && d.kind.is_none() {
                d.kind = lesson_kind.map(|k| k.0);
            }
            if needs_photo && d.photo_url.is_none() {
                d.photo_url = lesson_kind.map(|k| k.1.to_string());
            }
            if sell_step >= 4 && d.price.is_empty() {
                d.price = "5".into();
            }
        });
    });
}

/// Where the light falls: the step's control, followed as the page moves
/// (scrolled to when the step starts, measured again every 100 ms).
fn light_on(target: Memo<Option<&'static str>>) -> RwSignal<Option<Rect>> {
    let rect = RwSignal::new(None::<Rect>);
    Effect::new(move |_| {
        if let Some(t) = target.get() {
            // After the screen has drawn the step.
            leptos::task::spawn_local(async move {
                gloo_timers::future::TimeoutFuture::new(50).await;
                scroll_to(t);
                rect.set(target_rect(t));
            });
        }
    });
    let interval = leptos::prelude::set_interval_with_handle(
        move || rect.set(target.get_untracked().and_then(target_rect)),
        std::time::Duration::from_millis(100),
    )
    .ok();
    on_cleanup(move || {
        if let Some(handle) = interval {
            handle.clear();
        }
    });
    rect
}

/// The light on the control at `r`, and the dimmed screen around it, which
/// catches wrong taps with `hint`.
fn spotlight(r: Rect, hint: impl Fn(leptos::ev::MouseEvent) + Copy + Send + Sync + 'static) -> impl IntoView {
    view! {
        <div class="spotlight" data-testid="spotlight"
            style:left=format!("{}px", r.x) style:top=format!("{}px", r.y)
            style:width=format!("{}px", r.w) style:height=format!("{}px", r.h)></div>
        <div class="dim" style:left="0" style:top="0" style:right="0" style:height=format!("{}px", r.y.max(0.0)) on:click=hint></div>
        <div class="dim" style:left="0" style:top=format!("{}px", r.y + r.h) style:right="0" style:bottom="0" on:click=hint></div>
        <div class="dim" style:left="0" style:top=format!("{}px", r.y) style:width=format!("{}px", r.x.max(0.0)) style:height=format!("{}px", r.h) on:click=hint></div>
        <div class="dim" style:left=format!("{}px", r.x + r.w) style:top=format!("{}px", r.y) style:right="0" style:height=format!("{}px", r.h) on:click=hint></div>
    }
}

/// The caption bar: the picture, one line, the dots, and the three buttons
/// that never move.
#[component]
fn TutorBar(
    data: &'static Lesson,
    step: RwSignal<u32>,
    total: u32,
    replay: impl Fn(leptos::ev::MouseEvent) + 'static,
    help: impl Fn(leptos::ev::MouseEvent) + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let caption = move || {
        data.steps
            .get(step.get() as usize)
            .map(|s| (s.caption)(texts(i18n.locale())))
            .unwrap_or_else(|| texts(i18n.locale()).well_done)
    };
    let pictogram = move || {
        data.steps
            .get(step.get() as usize)
            .map_or("/img/icons/star.svg", |s| s.pictogram)
    };
    view! {
        <div class="tutor-bar" data-testid="tutor-bar">
            <img class="tutor-picture" src=pictogram width="64" height="64" alt="" />
            <p class="tutor-caption" data-testid="caption">{caption}</p>
            <div class="tutor-dots">
                {(0..total).map(|i| view! { <span class="dot" aria-hidden="true" class:done=move || i < step.get() class:now=move || i == step.get()></span> }).collect_view()}
                // A wrapper without its own direction, so "end" is the reader's end.
                <span class="tutor-count">
                    <bdi dir="ltr" data-testid="step-count">{move || format!("{} / {}", (step.get() + 1).min(total), total)}</bdi>
                </span>
            </div>
            <div class="tutor-buttons">
                <button type="button" class="tutor-button" data-testid="tutor-back" aria-label=st(|t| t.back)
                    disabled=move || step.get() == 0 on:click=move |_| step.update(|s| *s = s.saturating_sub(1))>
                    <span class="arrow-back" aria-hidden="true">"←"</span>
                </button>
                <button type="button" class="tutor-button" data-testid="replay" aria-label=st(|t| t.replay) on:click=replay>
                    <img src="/img/icons/hear.svg" width="36" height="36" alt="" />
                </button>
                <button type="button" class="tutor-button" data-testid="help" aria-label=st(|t| t.help) on:click=help>"?"</button>
            </div>
        </div>
    }
}

/// Lesson 0's playground: tap, scroll, go back, take a photo.
#[component]
fn Playground() -> impl IntoView {
    let bus = tutor_bus();
    let photo = RwSignal::new(None::<String>);
    view! {
        <div class="playground">
            <button type="button" class="button quiet playground-back" data-tutor="l0-back" on:click=move |_| act(bus, "l0-back")>
                <span class="arrow-back" aria-hidden="true">"←"</span> {st(|t| t.back)}
            </button>
            <button type="button" class="button primary playground-tap" data-tutor="l0-tap" on:click=move |_| act(bus, "l0-tap")>
                {st(|t| t.playground_button)}
            </button>
            <div class="playground-long" aria-hidden="true"></div>
            <button type="button" class="button primary playground-scroll" data-tutor="l0-scroll" on:click=move |_| act(bus, "l0-scroll")>
                {st(|t| t.playground_button)}
            </button>
            <label class="button camera-button" data-tutor="photo-take">
                <img src="/img/icons/camera.svg" width="56" height="56" alt="" />
                <span>{st(|t| t.take_photo)}</span>
                <input type="file" accept="image/*" capture="environment" class="visually-hidden"
                    on:change=move |ev| {
                        let file = ev.target()
                            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                            .and_then(|i| i.files())
                            .and_then(|f| f.get(0));
                        if let Some(file) = file {
                            photo.set(web_sys::Url::create_object_url_with_blob(&file).ok());
                            act(bus, "photo-take");
                        }
                    } />
            </label>
            {move || photo.get().map(|url| view! { <img class="photo-preview" src=url alt="" /> })}
        </div>
    }
}

/// The seller home as practice: the same tiles, nothing real behind them.
#[component]
fn PracticeHome() -> impl IntoView {
    let bus = tutor_bus();
    let tile = move |id: &'static str, icon: &'static str, label: Signal<&'static str>| {
        view! {
            <button type="button" class="tile" data-tutor=id on:click=move |_| act(bus, id)>
                <img src=icon width="96" height="96" alt="" /><span>{label}</span>
            </button>
        }
    };
    view! {
        <nav class="tiles">
            {tile("tile-sell", "/img/icons/sell.svg", st(|t| t.sell))}
            {tile("tile-products", "/img/icons/products.svg", st(|t| t.my_products))}
            {tile("tile-prepare", "/img/icons/prepare.svg", st(|t| t.to_prepare))}
            {tile("tile-money", "/img/icons/money.svg", st(|t| t.my_money))}
        </nav>
    }
}

/// What to prepare, or the money, with sample numbers for practice.
#[component]
fn PracticeSample(prepare: bool) -> impl IntoView {
    let bus = tutor_bus();
    let i18n = use_i18n();
    view! {
        <div class="practice-sample">
            <button type="button" class="button quiet" data-tutor="home" on:click=move |_| act(bus, "home")>
                <img src="/img/logo.svg" width="40" height="40" alt="" /> {st(|t| t.home)}
            </button>
            <p class="sample-tag">{st(|t| t.sample)}</p>
            {if prepare {
                view! {
                    <h1 class="seller-title"><img src="/img/icons/prepare.svg" width="56" height="56" alt="" />{st(|t| t.to_prepare)}</h1>
                    <div class="seller-card">
                        <img class="product-picture" src="/img/kinds/nang.svg" width="96" height="96" alt="" />
                        <p class="big-number-line"><bdi class="big-number" dir="ltr">"20"</bdi></p>
                    </div>
                }.into_any()
            } else {
                view! {
                    <h1 class="seller-title"><img src="/img/icons/money.svg" width="56" height="56" alt="" />{st(|t| t.my_money)}</h1>
                    <div class="money-big"><p><span>{st(|t| t.this_month)}</span>
                        <strong><bdi class="price" dir="ltr">{move || i18n.locale().price(bazar_api::Fen(18_400))}</bdi></strong></p></div>
                }.into_any()
            }}
        </div>
    }
}

/// The lessons, with a star for each passed, resuming where the learner stopped.
#[component]
pub fn Lessons() -> impl IntoView {
    let progress: RwSignal<Progress> = storage::persisted(PROGRESS_KEY);
    let i18n = use_i18n();
    view! {
        <main class="seller-page">
            <h1 class="seller-title"><img src="/img/icons/learn.svg" width="56" height="56" alt="" />{st(|t| t.learn)}</h1>
            <super::Hear text=st(|t| t.learn) />
            <nav class="lesson-list" data-testid="lessons">
                {LESSONS.iter().enumerate().map(|(i, lesson)| {
                    let i = i as u32;
                    view! {
                        <a class="tile lesson-tile" href=format!("/seller/learn/{i}") data-testid=format!("lesson-{i}")>
                            <img src=lesson.icon width="80" height="80" alt="" />
                            <span>{move || (lesson.title)(texts(i18n.locale()))}</span>
                            {move || progress.with(|p| p.passed.contains(&i)).then(|| view! {
                                <img class="lesson-star" src="/img/icons/star.svg" width="36" height="36" alt="✓" />
                            })}
                        </a>
                    }
                }).collect_view()}
            </nav>
        </main>
    }
}

/// One lesson alone on a phone, resuming at the saved step.
#[component]
pub fn LessonPage() -> impl IntoView {
    let params = crate::router::use_params();
    let lesson = params.with_untracked(|p| p.get("lesson").and_then(|l| l.parse::<u32>().ok()).unwrap_or(0));
    // The projector's phone frame shows a step as it is, and keeps no progress.
    let query = crate::router::use_query();
    if let Some(frame) = query.with_untracked(|q| q.get("frame").and_then(|s| s.parse::<u32>().ok())) {
        let step = RwSignal::new(frame);
        return view! { <LessonRunner lesson=lesson step=step mode=Mode::Frame on_done=|_| {} /> }.into_any();
    }
    let progress: RwSignal<Progress> = storage::persisted(PROGRESS_KEY);
    let start = progress.with_untracked(|p| if p.lesson == lesson { p.step } else { 0 });
    let step = RwSignal::new(start);
    Effect::new(move |_| {
        let s = step.get();
        progress.update(|p| {
            p.lesson = lesson;
            p.step = s;
        });
    });
    let total = LESSONS.get(lesson as usize).map_or(0, |l| l.steps.len() as u32);
    let on_done = move |done: u32| {
        step.set(done + 1);
        if done + 1 >= total && !LESSONS[lesson as usize].check {
            progress.update(|p| {
                if !p.passed.contains(&lesson) {
                    p.passed.push(lesson);
                }
            });
        }
    };
    // A lesson with a check is passed once the learner listed alone.
    let on_passed = move |_| {
        progress.update(|p| {
            if !p.passed.contains(&lesson) {
                p.passed.push(lesson);
            }
        });
    };
    view! { <LessonRunner lesson=lesson step=step mode=Mode::Alone on_done=on_done on_passed=on_passed /> }
        .into_any()
}

/// The caption of a step in a language, for the projector's notes.
pub fn caption_of(
    lesson: u32,
    step: u32,
    t: &SellerTexts,
) -> Option<(&'static str, &'static str, &'static str)> {
    let s = LESSONS.get(lesson as usize)?.steps.get(step as usize)?;
    Some(((s.caption)(t), (s.note)(t), s.pictogram))
}
