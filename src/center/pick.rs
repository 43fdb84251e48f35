//! The pick list: which family gives what, with its village, printable; a
//! "collected" button per product makes the batch and its trace code. And a
//! batch's label for egg cartons and bread bags.

use crate::router::{use_params, use_query};
use bazar_api::center::{CollectRequest, Label, PickFamily, PickItem, PickList};
use leptos::prelude::*;

use super::texts::{ct, texts};
use super::{print, show};
use crate::api::{self, FetchError};
use crate::i18n::use_i18n;

#[component]
pub fn PickListPage() -> impl IntoView {
    let query = use_query();
    let day = Memo::new(move |_| query.read().get("date").unwrap_or_default());
    let resource = api::json_resource(Signal::derive(move || Some(crate::urls::pick_list(&day.get()))));
    let navigate = crate::router::use_navigate();
    view! {
        <main class="page wide">
            <h1 class="section-title">{ct(|t| t.pick_title)}</h1>
            <div class="toolbar no-print">
                <label class="field inline">
                    <span>{ct(|t| t.pick_day)}</span>
                    <input type="date" name="date" prop:value=move || day.get() on:change=move |ev| {
                        let d = event_target_value(&ev);
                        let url = if d.is_empty() { "/center/pick".to_string() } else { format!("/center/pick?date={d}") };
                        navigate(&url);
                    } />
                </label>
                <a class="button quiet" href="/center/pick">{ct(|t| t.pick_everything)}</a>
                <button type="button" class="button" on:click=move |_| print()>{ct(|t| t.print)}</button>
            </div>
            {show(resource, move |list: PickList| {
                if list.families.is_empty() {
                    return view! { <p class="notice">{ct(|t| t.nothing_to_pick)}</p> }.into_any();
                }
                view! {
                    <p class="pick-orders"><bdi dir="ltr">{list.orders.join(" · ")}</bdi></p>
                    <div class="pick-list" data-testid="pick-list">
                        {list.families.into_iter().map(|f| view! { <Stop family=f /> }).collect_view()}
                    </div>
                }.into_any()
            })}
        </main>
    }
}

/// One family to visit. A collected product stays on the list with its
/// trace code (and a link to its labels) until the list is loaded again.
#[component]
fn Stop(family: PickFamily) -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || i18n.locale().lang();
    let village = family.village.clone();
    view! {
        <section class="pick-family" data-family=family.family_id>
            <h2>
                <span lang="ug" dir="rtl">{family.names.ug.clone()}</span>
                " · " <span lang="zh-Hans">{family.names.zh.clone()}</span>
                " " <bdi class="code" dir="ltr">{family.stamp.clone()}</bdi>
            </h2>
            <p class="village">{ct(|t| t.village)} ": " {move || village.get(lang()).to_string()}</p>
            <ul class="pick-items">
                {family.items.into_iter().map(|item| view! {
                    <Item family_id=family.family_id item=item />
                }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn Item(family_id: i64, item: PickItem) -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || i18n.locale().lang();
    let names = item.names.clone();
    let unit = item.unit.clone();
    let collected = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<FetchError>);
    let request = CollectRequest {
        family_id,
        product_id: item.product_id,
        line_ids: item.lines.iter().map(|l| l.line_id).collect(),
    };
    let collect = move |_| {
        let request = request.clone();
        leptos::task::spawn_local(async move {
            match api::post::<_, Label>(crate::urls::CENTER_BATCHES, &request).await {
                Ok(label) => {
                    collected.set(Some(label.trace_code));
                    error.set(None);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <li class="pick-item" data-product=item.product_id>
            <span class="pick-qty"><bdi dir="ltr">{item.quantity}</bdi> " " {move || unit.get(lang()).to_string()}</span>
            <span class="pick-name">{move || names.get(lang()).to_string()}</span>
            <span class="pick-codes"><bdi dir="ltr">
                {item.lines.iter().map(|l| format!("{} ×{}", l.order_code, l.quantity)).collect::<Vec<_>>().join(", ")}
            </bdi></span>
            {move || match collected.get() {
                Some(code) => view! {
                    <span class="collected">{ct(|t| t.collected_as)} " "
                        <a href=format!("/center/label/{code}") data-testid="trace-code"><bdi class="code" dir="ltr">{code.clone()}</bdi></a>
                    </span>
                }.into_any(),
                None => view! {
                    <button type="button" class="button primary no-print" data-testid="collect" on:click=collect.clone()>
                        {ct(|t| t.collect)}
                    </button>
                }.into_any(),
            }}
            {move || error.get().map(|e| view! { <p class="form-error" role="alert">{texts(i18n.locale()).error(&e)}</p> })}
        </li>
    }
}

/// Labels of a batch: family in Uyghur and Chinese, product, date, trace
/// code and its QR code, as many copies as cartons or bags.
#[component]
pub fn LabelPage() -> impl IntoView {
    let params = use_params();
    let label = api::json_resource(Signal::derive(move || {
        params.read().get("code").map(|c| crate::urls::batch(&c))
    }));
    let copies = RwSignal::new(1u32);
    view! {
        <main class="page wide">
            <div class="toolbar no-print">
                <label class="field inline">
                    <span>{ct(|t| t.labels_for)}</span>
                    <input type="number" min="1" max="100" name="copies" prop:value=move || copies.get().to_string()
                        on:input=move |ev| copies.set(event_target_value(&ev).parse().unwrap_or(1).clamp(1, 100)) />
                </label>
                <button type="button" class="button" on:click=move |_| print()>{ct(|t| t.print)}</button>
            </div>
            {show(label, move |label: Label| view! {
                <div class="labels">
                    {move || (0..copies.get()).map(|_| view! { <TraceLabel label=label.clone() /> }).collect_view()}
                </div>
            })}
        </main>
    }
}

#[component]
fn TraceLabel(label: Label) -> impl IntoView {
    view! {
        <article class="trace-label" data-testid="trace-label">
            <div class="qr" inner_html=label.qr_svg.clone()></div>
            <div class="label-text">
                <p class="label-family" lang="ug" dir="rtl">{label.family_names.ug.clone()}</p>
                <p class="label-family" lang="zh-Hans">{label.family_names.zh.clone()}</p>
                <p lang="zh-Hans">{label.product_names.zh.clone()} " · " <bdi lang="ug" dir="rtl">{label.product_names.ug.clone()}</bdi></p>
                <p lang="zh-Hans">{label.village.zh.clone()} " · " <bdi dir="ltr">{label.collected_on.clone()}</bdi></p>
                <p class="label-code"><bdi dir="ltr">{label.trace_code.clone()}</bdi></p>
            </div>
        </article>
    }
}
