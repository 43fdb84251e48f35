//! The hub's families and their key cards: register a family (its card is
//! offered for printing at once), edit or retire it, import a list of
//! families from a spreadsheet, print a card (its QR code signs a phone
//! in), print a new one when a card is lost, or revoke it.

use bazar_api::center::{CenterFamily, KeyCard};
use bazar_api::manage::{FamilyForm, ImportReport};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::manage::{CallError, Field, NAME_LABELS, Problems, Trio};
use super::texts::{CenterTexts, ct, texts};
use super::{print, show};
use crate::api::{self, FetchError};
use crate::i18n::use_i18n;

#[component]
pub fn Families() -> impl IntoView {
    let families = api::json_resource(Signal::derive(|| Some(crate::urls::CENTER_FAMILIES.to_string())));
    let card = RwSignal::new(None::<KeyCard>);
    let editing = RwSignal::new(None::<CenterFamily>);
    let listing_for = RwSignal::new(None::<i64>);
    let error = RwSignal::new(None::<FetchError>);
    let i18n = use_i18n();
    let issue = move |id: i64| {
        leptos::task::spawn_local(async move {
            match api::post::<_, KeyCard>(&crate::urls::key_card(id), &()).await {
                Ok(c) => {
                    card.set(Some(c));
                    families.refetch();
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let revoke = move |id: i64| {
        leptos::task::spawn_local(async move {
            match api::send::<()>(api::Method::DELETE, &crate::urls::key_card(id), None).await {
                Ok(_) => families.refetch(),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <main class="page wide">
            {move || card.get().map(|c| view! { <CardSheet card=c on_close=move || card.set(None) /> })}
            {move || listing_for.get().map(|id| view! { <ListForFamily family=id on_done=move || listing_for.set(None) /> })}
            <h1 class="section-title no-print">{ct(|t| t.families_title)}</h1>
            {move || error.get().map(|e| view! { <p class="form-error" role="alert">{texts(i18n.locale()).error(&e)}</p> })}
            <div class="no-print">
            {show(families, move |list: Vec<CenterFamily>| view! {
                <table class="data-table" data-testid="families">
                    <tbody>
                        {list.into_iter().map(|f| {
                            let village = f.village.clone();
                            let issued = f.card_issued_at.clone();
                            let has_card = issued.is_some();
                            let edited = f.clone();
                            if f.retired {
                                return view! {
                                    <tr data-family=f.id class="retired">
                                        <td><span lang="zh-Hans">{f.names.zh.clone()}</span></td>
                                        <td colspan="3">{ct(|t| t.retired)}</td>
                                    </tr>
                                }.into_any();
                            }
                            view! {
                                <tr data-family=f.id>
                                    <td><span lang="ug" dir="rtl">{f.names.ug.clone()}</span><br />
                                        <span lang="zh-Hans">{f.names.zh.clone()}</span></td>
                                    <td>{move || village.get(i18n.locale().lang()).to_string()}</td>
                                    <td>{move || match &issued {
                                        Some(at) => format!("{} {}", texts(i18n.locale()).card_since, i18n.locale().moment(at)),
                                        None => texts(i18n.locale()).no_card.to_string(),
                                    }}</td>
                                    <td class="actions">
                                        <button type="button" class="button" data-testid="issue-card" on:click=move |_| issue(f.id)>
                                            {move || if has_card { texts(i18n.locale()).reissue_card } else { texts(i18n.locale()).issue_card }}
                                        </button>
                                        {has_card.then(|| view! {
                                            <button type="button" class="button quiet" data-testid="revoke-card" on:click=move |_| revoke(f.id)>
                                                {ct(|t| t.revoke_card)}
                                            </button>
                                        })}
                                        <button type="button" class="button quiet" data-testid="edit-family" on:click=move |_| editing.set(Some(edited.clone()))>
                                            {ct(|t| t.edit)}
                                        </button>
                                        <a class="button quiet" data-testid="statement" href=format!("/center/statement/{}", f.id)>{ct(|t| t.statement)}</a>
                                        <button type="button" class="button quiet" data-testid="list-for-family" on:click=move |_| {
                                            listing_for.set(Some(f.id));
                                            // The form opens at the top of the page.
                                            if let Some(w) = web_sys::window() { w.scroll_to_with_x_and_y(0.0, 0.0) }
                                        }>
                                            {ct(|t| t.list_for_family)}
                                        </button>
                                    </td>
                                </tr>
                            }.into_any()
                        }).collect_view()}
                    </tbody>
                </table>
            })}
            <FamilyEditor editing=editing on_saved=move |family: CenterFamily, new: bool| {
                families.refetch();
                if new {
                    issue(family.id);
                }
            } />
            <Import on_done=move || families.refetch() />
            </div>
        </main>
    }
}

/// The printable card: the family's names, its stamp and the QR code.
#[component]
fn CardSheet(card: KeyCard, on_close: impl Fn() + Send + Sync + 'static) -> impl IntoView {
    view! {
        <section class="key-card-sheet">
            <article class="key-card" data-testid="key-card" data-url=card.url.clone()>
                <h2>{ct(|t| t.card_title)}</h2>
                <div class="qr" inner_html=card.qr_svg.clone()></div>
                <p class="label-family" lang="ug" dir="rtl">{card.names.ug.clone()}</p>
                <p class="label-family" lang="zh-Hans">{card.names.zh.clone()}</p>
                <p lang="zh-Hans">{card.village.zh.clone()} " " <bdi class="code" dir="ltr">{card.stamp.clone()}</bdi></p>
                <p class="card-hint">{ct(|t| t.card_hint)}</p>
            </article>
            <div class="actions no-print">
                <button type="button" class="button primary" on:click=move |_| print()>{ct(|t| t.print)}</button>
                <button type="button" class="button quiet" on:click=move |_| on_close()>{ct(|t| t.back)}</button>
            </div>
        </section>
    }
}

const VILLAGE_LABELS: [fn(&CenterTexts) -> &'static str; 3] =
    [|t| t.village_ug, |t| t.village_zh, |t| t.village_en];
const STORY_LABELS: [fn(&CenterTexts) -> &'static str; 3] = [|t| t.story_ug, |t| t.story_zh, |t| t.story_en];

/// Registers a family, or edits the one in `editing`; a registered family's
/// key card is printed next (`on_saved` with `true`).
#[component]
fn FamilyEditor(
    editing: RwSignal<Option<CenterFamily>>,
    on_saved: impl Fn(CenterFamily, bool) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let problems = Problems::new();
    let (names, village, story) = (Trio::new(), Trio::new(), Trio::new());
    let (phone, stamp) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let photo = RwSignal::new_local(None::<web_sys::File>);
    let fill = move |form: &FamilyForm| {
        names.set(&form.names);
        village.set(&form.village);
        story.set(&form.story);
        phone.set(form.phone.clone());
        stamp.set(form.stamp.clone());
    };
    Effect::new(move |_| {
        if let Some(family) = editing.get() {
            fill(&FamilyForm::from(&family));
            problems.clear();
        }
    });
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let form = FamilyForm {
            names: names.get(),
            village: village.get(),
            phone: phone.get_untracked(),
            story: story.get(),
            stamp: stamp.get_untracked(),
        };
        if !problems.check(form.validate()) {
            return;
        }
        let id = editing.get_untracked().map(|f| f.id);
        let file = photo.get_untracked();
        leptos::task::spawn_local(async move {
            let saved = match id {
                Some(id) => api::send(
                    api::Method::PUT,
                    &crate::urls::center_family(id, None),
                    Some(&form),
                )
                .await
                .and_then(|text| api::from_json::<CenterFamily>(&text).ok_or(FetchError::Decode)),
                None => api::post::<_, CenterFamily>(crate::urls::CENTER_FAMILIES, &form).await,
            };
            // Its photo, when one was chosen: stored as the family's, then its picture.
            let saved = match (saved, file) {
                (Ok(family), Some(file)) => set_photo(family.id, file).await,
                (saved, _) => saved,
            };
            match saved {
                Ok(family) => {
                    editing.set(None);
                    fill(&FamilyForm::default());
                    photo.set(None);
                    on_saved(family, id.is_none());
                }
                Err(e) => problems.failed(e),
            }
        });
    };
    let retire = move |_| {
        let Some(id) = editing.get_untracked().map(|f| f.id) else {
            return;
        };
        leptos::task::spawn_local(async move {
            match api::post::<_, CenterFamily>(&crate::urls::center_family(id, Some("retire")), &()).await {
                Ok(family) => {
                    editing.set(None);
                    fill(&FamilyForm::default());
                    on_saved(family, false);
                }
                Err(e) => problems.failed(e),
            }
        });
    };
    view! {
        <h2 class="section-title">{move || if editing.get().is_some() { ct(|t| t.edit).get() } else { ct(|t| t.register_family).get() }}</h2>
        <form class="form" on:submit=save data-testid="family-form">
            {names.fields("names", NAME_LABELS, problems)}
            {village.fields("village", VILLAGE_LABELS, problems)}
            <Field label=|t| t.stamp_hint name="stamp" value=stamp problems=problems dir="ltr" />
            <Field label=|t| t.phone_optional name="phone" value=phone problems=problems dir="ltr" kind="tel" />
            {story.fields("story", STORY_LABELS, problems)}
            <label class="field">
                <span>{ct(|t| t.photo)}</span>
                {move || editing.get().filter(|f| !f.photo.is_empty()).map(|f| view! { <img src=f.photo width="96" height="96" alt="" /> })}
                <input type="file" name="family-photo" accept="image/*" capture="environment" on:change=move |ev: leptos::ev::Event| {
                    let input = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok());
                    photo.set(input.and_then(|i| i.files()).and_then(|f| f.get(0)));
                } />
            </label>
            <CallError problems=problems />
            <div class="actions">
                <button type="submit" class="button primary">{ct(|t| t.save)}</button>
                {move || editing.get().is_some().then(|| view! {
                    <button type="button" class="button quiet" data-testid="retire-family" on:click=retire>{ct(|t| t.retire)}</button>
                    <button type="button" class="button quiet" on:click=move |_| { editing.set(None); fill(&FamilyForm::default()); }>{ct(|t| t.back)}</button>
                })}
            </div>
        </form>
    }
}

/// Stores `file` as family `id`'s own photo (from the operator's phone or a file).
async fn upload(id: i64, file: web_sys::File) -> Result<bazar_api::seller::Photo, FetchError> {
    api::post_photo(&crate::urls::center_family(id, Some("photos")), file).await
}

/// Stores `file` as family `id`'s photo and makes it its picture.
async fn set_photo(id: i64, file: web_sys::File) -> Result<CenterFamily, FetchError> {
    let stored = upload(id, file).await?;
    let body = bazar_api::manage::FamilyPhoto { photo: stored.name };
    api::post(&crate::urls::center_family(id, Some("photo")), &body).await
}

/// Imports a list of families from a CSV file: checked first (every row's
/// fate), then imported; a template to fill in.
#[component]
fn Import(on_done: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let file = RwSignal::new_local(None::<web_sys::File>);
    let report = RwSignal::new(None::<ImportReport>);
    let problems = Problems::new();
    let i18n = use_i18n();
    let send = move |dry_run: bool| {
        let Some(chosen) = file.get_untracked() else {
            return;
        };
        problems.clear();
        leptos::task::spawn_local(async move {
            let url = crate::urls::family_import(dry_run);
            match api::post_file::<ImportReport>(&url, "text/csv", chosen).await {
                Ok(r) => {
                    report.set(Some(r));
                    if !dry_run {
                        on_done();
                    }
                }
                Err(e) => problems.failed(e),
            }
        });
    };
    let choose = move |ev: leptos::ev::Event| {
        let input = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok());
        file.set(input.and_then(|i| i.files()).and_then(|f| f.get(0)));
        report.set(None);
    };
    let missing = move || {
        problems
            .fields
            .get()
            .into_iter()
            .filter(|f| f.code == "missing_column")
            .map(|f| f.field)
            .collect::<Vec<_>>()
            .join(", ")
    };
    view! {
        <section class="import" data-testid="import">
            <h2 class="section-title">{ct(|t| t.import_title)}</h2>
            <p>{ct(|t| t.import_hint)} " " <a href=crate::urls::FAMILY_IMPORT_TEMPLATE download="families.csv">{ct(|t| t.import_template)}</a></p>
            <input type="file" name="families" accept=".csv,text/csv" on:change=choose />
            <div class="actions">
                <button type="button" class="button" data-testid="import-check" on:click=move |_| send(true)>{ct(|t| t.import_check)}</button>
                <button type="button" class="button primary" data-testid="import-do" on:click=move |_| send(false)>{ct(|t| t.import_do)}</button>
            </div>
            <CallError problems=problems />
            {move || (!missing().is_empty()).then(|| view! {
                <p class="form-error" role="alert">{ct(|t| t.err_missing_column)} " " <bdi dir="ltr">{missing()}</bdi></p>
            })}
            {move || report.get().map(|r| {
                let t = texts(i18n.locale());
                let summary = t.import_result
                    .replace("{new}", &r.created.to_string())
                    .replace("{exists}", &r.existing.to_string())
                    .replace("{invalid}", &r.invalid.to_string());
                view! {
                    <p class="notice" role="status" data-testid="import-summary">
                        {r.dry_run.then(|| view! { <b>{t.import_checked}</b> " " })}{summary}
                    </p>
                    <table class="data-table">
                        <tbody>
                            {r.rows.into_iter().map(|row| {
                                let fate = match row.fate.as_str() {
                                    "new" => t.fate_new,
                                    "exists" => t.fate_exists,
                                    _ => t.fate_invalid,
                                };
                                let why = row.errors.iter().map(|e| format!("{} {}", e.field, t.field_error(&e.code))).collect::<Vec<_>>().join(" · ");
                                view! {
                                    <tr data-fate=row.fate.clone()>
                                        <td>{t.line} " " {row.line}</td>
                                        <td>{row.name}</td>
                                        <td>{fate}</td>
                                        <td>{why}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }
            })}
        </section>
    }
}

/// Lists a product for a family without a phone: its kind, how many (a
/// week, or in stock), its price and a photo from the operator's phone or a
/// file; live at once, marked with who listed it.
#[component]
fn ListForFamily(family: i64, on_done: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    use bazar_api::seller::NewListing;
    use bazar_api::{Capacity, Fen, ProductKind};
    let problems = Problems::new();
    let kind = RwSignal::new(ProductKind::Honey);
    let weekly = RwSignal::new(false);
    let (count, price) = (RwSignal::new("10".to_string()), RwSignal::new(String::new()));
    let photo = RwSignal::new_local(None::<web_sys::File>);
    let i18n = use_i18n();
    let busy = RwSignal::new(false);
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut listing = NewListing {
            kind: kind.get_untracked(),
            capacity: if weekly.get_untracked() {
                Capacity::Weekly
            } else {
                Capacity::Stock
            },
            quantity: count.get_untracked().trim().parse().unwrap_or(0),
            price_fen: Fen::parse_yuan(&price.get_untracked()).unwrap_or(Fen(0)),
            photo: None,
        };
        if !problems.check(listing.validate()) {
            return;
        }
        let file = photo.get_untracked();
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = async {
                if let Some(file) = file {
                    listing.photo = Some(upload(family, file).await?.name);
                }
                api::post::<_, bazar_api::center::Listing>(
                    &crate::urls::center_family(family, Some("listings")),
                    &listing,
                )
                .await
            }
            .await;
            busy.set(false);
            match result {
                Ok(_) => on_done(),
                Err(e) => problems.failed(e),
            }
        });
    };
    let choose = move |ev: leptos::ev::Event| {
        let input = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok());
        photo.set(input.and_then(|i| i.files()).and_then(|f| f.get(0)));
    };
    view! {
        <section class="list-for-family" data-testid="list-for-family-form">
            <h2 class="section-title">{ct(|t| t.list_for_family)}</h2>
            <form class="form" on:submit=send>
                <label class="field">
                    <span>{ct(|t| t.kind)}</span>
                    <select name="kind" on:change=move |ev| {
                        if let Some(k) = ProductKind::parse(&event_target_value(&ev)) { kind.set(k) }
                    }>
                        {ProductKind::ALL.into_iter().map(|k| view! {
                            <option value=k.as_str() selected=k == ProductKind::Honey>
                                {move || bazar_api::seller::default_names(k).0.get(i18n.locale().lang()).to_string()}
                            </option>
                        }).collect_view()}
                    </select>
                </label>
                <label class="field">
                    <span>{ct(|t| t.count_now)}</span>
                    <select name="capacity" on:change=move |ev| weekly.set(event_target_value(&ev) == "weekly")>
                        <option value="stock">{ct(|t| t.in_stock)}</option>
                        <option value="weekly">{ct(|t| t.per_week)}</option>
                    </select>
                </label>
                <Field label=|t| t.quantity name="quantity" value=count problems=problems dir="ltr" kind="number" />
                <Field label=|t| t.price_yuan name="price_fen" value=price problems=problems dir="ltr" />
                <label class="field">
                    <span>{ct(|t| t.photo)}</span>
                    <input type="file" name="photo" accept="image/*" capture="environment" on:change=choose />
                </label>
                <CallError problems=problems />
                <div class="actions">
                    <button type="submit" class="button primary" disabled=busy>{ct(|t| t.list_for_family)}</button>
                    <button type="button" class="button quiet" on:click=move |_| on_done()>{ct(|t| t.back)}</button>
                </div>
            </form>
        </section>
    }
}
