//! /trace and /trace/{code}: the code on an egg leads to the family.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::api::{self, FetchError};
use crate::components::trace_form::TraceForm;
use crate::i18n::use_i18n;
use crate::pages::BackLink;

#[component]
pub fn TracePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let code = move || params.read().get("code").unwrap_or_default();
    let trace = LocalResource::new(move || {
        let code = code();
        async move {
            if code.is_empty() {
                return Ok(None);
            }
            match bazar_api::trace::normalize_code(&code) {
                Some(code) => api::trace(&code).await.map(Some),
                None => Err(FetchError::api(404, bazar_api::ErrorCode::NotFound)),
            }
        }
    });
    view! {
        <main class="page">
            <BackLink />
            <h1 class="section-title">{move || i18n.t().trace_title}</h1>
            {move || view! { <TraceForm initial=code() /> }}
            <Transition fallback=move || view! { <p class="notice">{move || i18n.t().loading}</p> }>
                {move || trace.get().map(|result| match result {
                    Ok(None) => ().into_any(),
                    Ok(Some(found)) => {
                        let lang = move || i18n.locale().lang();
                        let (family, village, product) = (found.family_names.clone(), found.village.clone(), found.product_names.clone());
                        view! {
                            <section class="trace-result" data-testid="trace-result">
                                <h2>{move || i18n.t().trace_found}</h2>
                                <img src=found.photo.clone() width="96" height="96" alt="" />
                                <p class="family-name" lang="ug" dir="rtl">{family.ug.clone()}</p>
                                <p class="family-name" lang="zh-Hans">{family.zh.clone()}</p>
                                <p>{move || i18n.t().village} ": " {move || village.get(lang()).to_string()}</p>
                                <p>{move || product.get(lang()).to_string()}</p>
                                <p>{move || i18n.t().collected_on} ": " {move || i18n.locale().day(&found.collected_on)}</p>
                                <A href=format!("/family/{}", found.family_id) attr:class="button secondary">
                                    {move || i18n.t().visit_family}
                                </A>
                            </section>
                        }.into_any()
                    }
                    Err(FetchError::Api { code: bazar_api::ErrorCode::NotFound, .. }) => {
                        view! { <p class="field-error" role="alert">{move || i18n.t().trace_not_found}</p> }.into_any()
                    }
                    Err(error) => view! {
                        <crate::components::load_error::LoadError error=error on_retry=move |_| trace.refetch() />
                    }.into_any(),
                })}
            </Transition>
        </main>
    }
}
