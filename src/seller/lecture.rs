//! Village lectures. The trainer's projector view: the learner's phone
//! screen in a big phone frame beside the step's picture, its caption in
//! Uyghur and Chinese and the trainer's notes, the room code and its QR code,
//! and how many phones joined and finished; driven by keyboard or a USB
//! clicker. The phones join with the room code and follow the trainer's step
//! live (server-sent events), practising it; a phone that lost the
//! connection rejoins and catches up.

use bazar_api::account::{Me, Role, SignIn};
use bazar_api::tutor::{Lecture, LectureState, LectureStep, PhoneReport, ROOM_CODE_LEN, is_room_code};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

use super::lessons::LESSONS;
use super::texts::{st, texts};
use super::tutor::{LessonRunner, Mode, Recorded, caption_of, narrate, provide_recorded};
use crate::api;
use crate::i18n::{Locale, use_i18n};

/// The trainer's screen: sign in, then run the lecture.
#[component]
pub fn LectureView() -> impl IntoView {
    let me = api::json_resource(Signal::derive(|| Some(crate::urls::ME.to_string())));
    view! {
        {move || match api::decoded::<Option<Me>>(me) {
            None => view! { <p class="big-notice">{st(|t| t.loading)}</p> }.into_any(),
            Some(Ok(Some(m))) if m.role == Role::Trainer => view! { <Projector hub=m.hub.clone() /> }.into_any(),
            _ => view! { <TrainerSignIn on_signed=move || me.refetch() /> }.into_any(),
        }}
    }
}

#[component]
fn TrainerSignIn(on_signed: impl Fn() + Clone + Send + Sync + 'static) -> impl IntoView {
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let failed = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = SignIn {
            username: username.get_untracked(),
            password: password.get_untracked(),
        };
        let on_signed = on_signed.clone();
        leptos::task::spawn_local(async move {
            match api::post::<_, Me>(crate::urls::SIGN_IN, &body).await {
                Ok(_) => on_signed(),
                Err(_) => failed.set(true),
            }
        });
    };
    view! {
        <main class="seller-page">
            <h1 class="seller-title">{st(|t| t.trainer_sign_in)}</h1>
            <form class="form" on:submit=submit>
                <label class="field"><span>{st(|t| t.username)}</span>
                    <input name="username" dir="ltr" autocomplete="username" required prop:value=username
                        on:input=move |ev| username.set(event_target_value(&ev)) /></label>
                <label class="field"><span>{st(|t| t.password)}</span>
                    <input name="password" type="password" dir="ltr" autocomplete="current-password" required prop:value=password
                        on:input=move |ev| password.set(event_target_value(&ev)) /></label>
                {move || failed.get().then(|| view! { <p class="form-error" role="alert">{st(|t| t.sign_in_failed)}</p> })}
                <button type="submit" class="button primary">{st(|t| t.sign_in)}</button>
            </form>
        </main>
    }
}

fn keydown(handler: impl Fn(web_sys::KeyboardEvent) + 'static) {
    let closure = Closure::<dyn Fn(web_sys::KeyboardEvent)>::new(handler);
    if let Some(w) = web_sys::window() {
        let _ = w.add_event_listener_with_callback("keydown", closure.as_ref().unchecked_ref());
        let callback: js_sys::Function = closure.as_ref().clone().unchecked_into();
        on_cleanup(move || {
            if let Some(w) = web_sys::window() {
                let _ = w.remove_event_listener_with_callback("keydown", &callback);
            }
        });
    }
    closure.forget();
}

/// Follows a room's events into `state`; the browser's EventSource
/// reconnects by itself, and the server sends the state again at once.
fn subscribe(code: &str, state: RwSignal<Option<LectureState>>) -> Option<web_sys::EventSource> {
    let source = web_sys::EventSource::new(&crate::urls::lecture_events(code)).ok()?;
    let on_message = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
        if let Some(text) = ev.data().as_string()
            && let Some(s) = crate::api::from_json::<LectureState>(&text)
        {
            state.set(Some(s));
        }
    });
    source.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    let closing = source.clone();
    on_cleanup(move || closing.close());
    Some(source)
}

#[component]
fn Projector(hub: String) -> impl IntoView {
    let i18n = use_i18n();
    provide_recorded(Some(hub.clone()));
    let lecture = RwSignal::new(None::<Lecture>);
    let state = RwSignal::new(None::<LectureState>);
    let lesson = RwSignal::new(1u32);
    let start = move |_| {
        let body = LectureStep {
            lesson: lesson.get_untracked(),
            step: 0,
            blank: false,
        };
        leptos::task::spawn_local(async move {
            if let Ok(l) = api::post::<_, Lecture>(crate::urls::LECTURES, &body).await {
                subscribe(&l.state.code, state);
                state.set(Some(l.state.clone()));
                lecture.set(Some(l));
            }
        });
    };
    let move_to = move |to: LectureStep| {
        let Some(code) = state.with_untracked(|s| s.as_ref().map(|s| s.code.clone())) else {
            return;
        };
        leptos::task::spawn_local(async move {
            if let Ok(s) = api::post::<_, LectureState>(&crate::urls::lecture_step(&code), &to).await {
                state.set(Some(s));
            }
        });
    };
    keydown(move |ev: web_sys::KeyboardEvent| {
        let Some(s) = state.get_untracked() else { return };
        let steps = LESSONS.get(s.lesson as usize).map_or(0, |l| l.steps.len() as u32);
        let to = match ev.key().as_str() {
            "PageDown" | "ArrowRight" | "ArrowDown" | " " | "Enter" => Some(LectureStep {
                lesson: s.lesson,
                step: (s.step + 1).min(steps.saturating_sub(1)),
                blank: false,
            }),
            "PageUp" | "ArrowLeft" | "ArrowUp" => Some(LectureStep {
                lesson: s.lesson,
                step: s.step.saturating_sub(1),
                blank: false,
            }),
            "b" | "B" | "." => Some(LectureStep {
                lesson: s.lesson,
                step: s.step,
                blank: !s.blank,
            }),
            "f" | "F" => {
                if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
                    if doc.fullscreen_element().is_some() {
                        doc.exit_fullscreen();
                    } else if let Some(root) = doc.document_element() {
                        let _ = root.request_fullscreen();
                    }
                }
                None
            }
            _ => None,
        };
        if let Some(to) = to {
            ev.prevent_default();
            move_to(to);
        }
    });
    view! {
        {move || match (lecture.get(), state.get()) {
            (Some(l), Some(s)) => {
                let frame = format!("/seller/learn/{}?frame={}", s.lesson, s.step);
                let zh = caption_of(s.lesson, s.step, texts(Locale::ZhHans));
                let ug = caption_of(s.lesson, s.step, texts(Locale::Ug));
                let total = LESSONS.get(s.lesson as usize).map_or(0, |l| l.steps.len());
                view! {
                    <div class="projector" class:blank=s.blank data-testid="projector">
                        <div class="phone-frame"><iframe src=frame title="phone" data-testid="phone-frame"></iframe></div>
                        <section class="projector-side">
                            <div class="projector-step">
                                {ug.map(|(_, _, picture)| view! { <img src=picture width="200" height="200" alt="" /> })}
                                <bdi class="tutor-count" dir="ltr" data-testid="projector-step">{format!("{} / {}", s.step + 1, total)}</bdi>
                            </div>
                            <p class="projector-caption" lang="ug" dir="rtl">{ug.map(|c| c.0)}</p>
                            <p class="projector-caption" lang="zh-Hans">{zh.map(|c| c.0)}</p>
                            <div class="projector-notes">
                                <h2>{st(|t| t.notes)}</h2>
                                <p>{move || caption_of(s.lesson, s.step, texts(i18n.locale())).map(|c| c.1)}</p>
                            </div>
                            <div class="room">
                                <div class="qr" inner_html=l.qr_svg.clone()></div>
                                <div>
                                    <p>{st(|t| t.room_code)}</p>
                                    <p class="room-code" data-testid="room-code"><bdi dir="ltr">{grouped(&s.code)}</bdi></p>
                                    <p>{st(|t| t.phones_joined)} ": " <bdi data-testid="joined">{s.joined}</bdi></p>
                                    <p>{st(|t| t.phones_done)} ": " <bdi data-testid="finished">{s.finished}</bdi></p>
                                </div>
                            </div>
                            <p class="keys-help">{st(|t| t.keys_help)}</p>
                            <Recorder lesson=s.lesson step=s.step />
                        </section>
                    </div>
                }.into_any()
            }
            _ => view! {
                <main class="seller-page">
                    <h1 class="seller-title">{st(|t| t.lecture_title)}</h1>
                    <div class="lesson-list">
                        {LESSONS.iter().enumerate().map(|(i, l)| {
                            let i = i as u32;
                            view! {
                                <button type="button" class="tile lesson-tile" class:chosen=move || lesson.get() == i
                                    data-testid=format!("pick-lesson-{i}") on:click=move |_| lesson.set(i)>
                                    <img src=l.icon width="80" height="80" alt="" />
                                    <span>{move || (l.title)(texts(i18n.locale()))}</span>
                                </button>
                            }
                        }).collect_view()}
                    </div>
                    <button type="button" class="button primary" data-testid="start-lecture" on:click=start>{st(|t| t.start_lecture)}</button>
                </main>
            }.into_any(),
        }}
    }
}

/// Records the step's narration in the trainer's own voice, plays it back,
/// and saves it for every learner of the hub.
#[component]
fn Recorder(lesson: u32, step: u32) -> impl IntoView {
    let i18n = use_i18n();
    let clip = LESSONS
        .get(lesson as usize)
        .and_then(|l| l.steps.get(step as usize))
        .map(|s| s.clip);
    let recorder = StoredValue::new_local(None::<web_sys::MediaRecorder>);
    let chunks = StoredValue::new_local(Vec::<web_sys::Blob>::new());
    let recording = RwSignal::new(false);
    let take = StoredValue::new_local(None::<web_sys::Blob>);
    let has_take = RwSignal::new(false);
    let saved = RwSignal::new(false);
    let recorded = use_context::<Recorded>();
    let start = move |_| {
        let Some(media) = web_sys::window().and_then(|w| w.navigator().media_devices().ok()) else {
            return;
        };
        let constraints = web_sys::MediaStreamConstraints::new();
        constraints.set_audio(&wasm_bindgen::JsValue::TRUE);
        let Ok(promise) = media.get_user_media_with_constraints(&constraints) else {
            return;
        };
        leptos::task::spawn_local(async move {
            let Ok(stream) = wasm_bindgen_futures::JsFuture::from(promise).await else {
                return;
            };
            let Ok(stream) = stream.dyn_into::<web_sys::MediaStream>() else {
                return;
            };
            let Ok(rec) = web_sys::MediaRecorder::new_with_media_stream(&stream) else {
                return;
            };
            chunks.set_value(Vec::new());
            let on_data = Closure::<dyn Fn(web_sys::BlobEvent)>::new(move |ev: web_sys::BlobEvent| {
                if let Some(blob) = ev.data() {
                    chunks.update_value(|c| c.push(blob));
                }
            });
            rec.set_ondataavailable(Some(on_data.as_ref().unchecked_ref()));
            on_data.forget();
            let on_stop = Closure::<dyn Fn()>::new(move || {
                let parts = js_sys::Array::new();
                chunks.with_value(|c| {
                    c.iter().for_each(|b| {
                        parts.push(b);
                    })
                });
                take.set_value(web_sys::Blob::new_with_blob_sequence(&parts).ok());
                has_take.set(true);
                let tracks = stream.get_tracks();
                for t in tracks.iter() {
                    if let Ok(t) = t.dyn_into::<web_sys::MediaStreamTrack>() {
                        t.stop();
                    }
                }
            });
            rec.set_onstop(Some(on_stop.as_ref().unchecked_ref()));
            on_stop.forget();
            if rec.start().is_ok() {
                recording.set(true);
                saved.set(false);
                recorder.set_value(Some(rec));
            }
        });
    };
    let stop = move |_| {
        recorder.with_value(|r| {
            if let Some(r) = r {
                let _ = r.stop();
            }
        });
        recording.set(false);
    };
    let listen = move |_| {
        take.with_value(|b| {
            if let Some(url) = b
                .as_ref()
                .and_then(|b| web_sys::Url::create_object_url_with_blob(b).ok())
                && let Ok(audio) = web_sys::HtmlAudioElement::new_with_src(&url)
            {
                let _ = audio.play();
            }
        });
    };
    let save = move |_| {
        let (Some(clip), Some(blob)) = (clip, take.get_value()) else {
            return;
        };
        let lang = match i18n.locale() {
            Locale::Ug => "ug",
            Locale::ZhHans => "zh",
            Locale::En => "en",
        };
        leptos::task::spawn_local(async move {
            let sent = gloo_net::http::Request::post(&crate::urls::narration(clip, lang, None))
                .header("Content-Type", &blob.type_())
                .body(wasm_bindgen::JsValue::from(blob))
                .map(|r| r.send());
            if let Ok(fut) = sent
                && let Ok(response) = fut.await
                && response.ok()
            {
                saved.set(true);
                if let Some(r) = recorded {
                    r.0.update(|all| all.push(format!("{clip}/{lang}")));
                }
            }
        });
    };
    let play_current = move |_| {
        if let Some(clip) = clip
            && let Some((caption, _, _)) = caption_of(lesson, step, texts(i18n.locale()))
        {
            narrate(recorded, clip, caption, i18n.locale(), None);
        }
    };
    view! {
        <div class="recorder">
            <button type="button" class="button quiet" on:click=play_current><img src="/img/icons/hear.svg" width="28" height="28" alt="" /></button>
            {move || if recording.get() {
                view! { <button type="button" class="button primary" on:click=stop>{st(|t| t.stop)}</button> }.into_any()
            } else {
                view! { <button type="button" class="button" on:click=start>{st(|t| t.record)}</button> }.into_any()
            }}
            {move || has_take.get().then(|| view! {
                <button type="button" class="button quiet" on:click=listen>{st(|t| t.listen)}</button>
                <button type="button" class="button primary" on:click=save>{st(|t| t.save)}</button>
            })}
            {move || saved.get().then(|| view! { <span>{st(|t| t.saved)}</span> })}
        </div>
    }
}

/// A room code as it is read out and typed: two groups of four digits.
pub fn grouped(code: &str) -> String {
    let (head, tail) = code.split_at(code.len().min(4));
    if tail.is_empty() {
        head.to_string()
    } else {
        format!("{head} {tail}")
    }
}

/// A random id this phone keeps for lectures, so rejoining counts once.
fn phone_id() -> String {
    const KEY: &str = "bazar.phone";
    if let Some(id) = crate::state::storage::load::<String>(KEY) {
        return id;
    }
    let mut bytes = [0u8; 12];
    if let Some(crypto) = web_sys::window().and_then(|w| w.crypto().ok()) {
        let _ = crypto.get_random_values_with_u8_array(&mut bytes);
    }
    let id: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    crate::state::storage::save(KEY, &id);
    id
}

/// A phone in the room: the code from the QR code's address or typed on the
/// keypad, then the trainer's step, live, to practise.
#[component]
pub fn Join() -> impl IntoView {
    let from_address = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .map(|h| h.trim_start_matches('#').to_string())
        .filter(|c| is_room_code(c));
    let code = RwSignal::new(from_address.clone().unwrap_or_default());
    let joined = RwSignal::new(None::<String>);
    let failed = RwSignal::new(false);
    let join = move || {
        let c = code.get_untracked();
        leptos::task::spawn_local(async move {
            let report = PhoneReport {
                phone: phone_id(),
                lesson: 0,
                step: 0,
            };
            match api::send(api::Method::POST, &crate::urls::lecture_join(&c), Some(&report)).await {
                Ok(_) => joined.set(Some(c)),
                Err(_) => failed.set(true),
            }
        });
    };
    if from_address.is_some() {
        join();
    }
    let press = move |d: char| {
        failed.set(false);
        code.update(|c| match d {
            '<' => {
                c.pop();
            }
            _ if c.len() < ROOM_CODE_LEN => c.push(d),
            _ => {}
        });
    };
    view! {
        {move || match joined.get() {
            Some(c) => view! { <Follower code=c /> }.into_any(),
            None => view! {
                <main class="seller-page">
                    <h1 class="seller-title"><img src="/img/icons/learn.svg" width="56" height="56" alt="" />{st(|t| t.join_title)}</h1>
                    <super::Hear text=st(|t| t.join_title) />
                    <p class="price-display" data-testid="room-input"><bdi dir="ltr">{move || grouped(&code.get())}</bdi></p>
                    {move || failed.get().then(|| view! { <p class="big-notice form-error" role="alert">{st(|t| t.no_room)}</p> })}
                    <div class="keypad" dir="ltr">
                        {['1','2','3','4','5','6','7','8','9'].into_iter().map(|d| view! {
                            <button type="button" class="key" on:click=move |_| press(d)>{d.to_string()}</button>
                        }).collect_view()}
                        <button type="button" class="key" aria-label=st(|t| t.delete) on:click=move |_| press('<')>"⌫"</button>
                        <button type="button" class="key" on:click=move |_| press('0')>"0"</button>
                        <button type="button" class="key primary" data-testid="join" aria-label=st(|t| t.join)
                            disabled=move || code.with(|c| c.len() != ROOM_CODE_LEN) on:click=move |_| join()>"→"</button>
                    </div>
                </main>
            }.into_any(),
        }}
    }
}

#[component]
fn Follower(code: String) -> impl IntoView {
    let state = RwSignal::new(None::<LectureState>);
    subscribe(&code, state);
    let hub = Memo::new(move |_| state.with(|s| s.as_ref().map(|s| s.hub.clone())));
    provide_recorded(None);
    let done_at = RwSignal::new(None::<(u32, u32)>);
    view! {
        {move || match state.get() {
            None => view! { <p class="big-notice">{st(|t| t.loading)}</p> }.into_any(),
            Some(s) => {
                let step = RwSignal::new(s.step);
                let lesson = s.lesson;
                let code = code.clone();
                let finished_here = done_at.get() == Some((s.lesson, s.step));
                let on_done = move |done: u32| {
                    done_at.set(Some((lesson, done)));
                    let code = code.clone();
                    leptos::task::spawn_local(async move {
                        let report = PhoneReport { phone: phone_id(), lesson, step: done };
                        let _ = api::send(api::Method::POST, &crate::urls::lecture_done(&code), Some(&report)).await;
                    });
                };
                view! {
                    <div class="follower" data-testid="follower" data-lesson=s.lesson data-step=s.step>
                        {if finished_here {
                            view! {
                                <div class="celebration" data-testid="follower-done">
                                    <img src="/img/icons/star.svg" width="120" height="120" alt="" />
                                    <p class="big-notice">{st(|t| t.waiting_trainer)}</p>
                                </div>
                            }.into_any()
                        } else {
                            view! { <LessonRunner lesson=lesson step=step mode=Mode::Follow on_done=on_done hub=hub.get().unwrap_or_default() /> }.into_any()
                        }}
                    </div>
                }.into_any()
            }
        }}
    }
}
