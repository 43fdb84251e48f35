//! /trace and /trace/{code}: the code on an egg leads to the family.

use crate::router::use_params;
use leptos::prelude::*;

use bazar_api::Trace;

use crate::api::{self, FetchError};
use crate::components::trace_form::TraceForm;
use crate::i18n::{tr, use_i18n};
use crate::pages::BackLink;

#[component]
pub fn TracePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params();
    let code = move || params.read().get("code").unwrap_or_default();
    // Only codes that can exist are looked up: the look-ups are throttled.
    let trace = api::json_resource(Signal::derive(move || {
        bazar_api::trace::normalize_code(&code()).map(|code| crate::urls::trace(&code))
    }));
    view! {
        <main class="page">
            <BackLink />
            <h1 class="section-title">{tr(|t| t.trace_title)}</h1>
            {move || view! { <TraceForm initial=code() /> }}
                {move || (!code().is_empty()).then(|| api::decoded::<Trace>(trace)).flatten().map(|result| match result {
                    Ok(found) => {
                        let lang = move || i18n.locale().lang();
                        let (family, village, product) = (found.family_names.clone(), found.village.clone(), found.product_names.clone());
                        view! {
                            <section class="trace-result" data-testid="trace-result">
                                <h2>{tr(|t| t.trace_found)}</h2>
                                <img src=found.photo.clone() width="96" height="96" alt="" />
                                <p class="family-name" lang="ug" dir="rtl">{family.ug.clone()}</p>
                                <p class="family-name" lang="zh-Hans">{family.zh.clone()}</p>
                                <p>{tr(|t| t.village)} ": " {move || village.get(lang()).to_string()}</p>
                                <p>{move || product.get(lang()).to_string()}</p>
                                <p>{tr(|t| t.collected_on)} ": " {move || i18n.locale().day(&found.collected_on)}</p>
                                <a href=format!("/family/{}", found.family_id) class="button secondary">
                                    {tr(|t| t.visit_family)}
                                </a>
                            </section>
                        }.into_any()
                    }
                    Err(FetchError::Api { code: bazar_api::ErrorCode::NotFound, .. }) => {
                        view! { <p class="field-error" role="alert">{tr(|t| t.trace_not_found)}</p> }.into_any()
                    }
                    Err(error) => view! {
                        <crate::components::load_error::LoadError error=error on_retry=move |_| trace.refetch() />
                    }.into_any(),
                })}
        </main>
    }
}
