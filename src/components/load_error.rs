//! What a page shows when its data could not be loaded, in the reader's language.

use bazar_api::ErrorCode;
use leptos::prelude::*;

use crate::api::FetchError;
use crate::i18n::{Texts, tr, use_i18n};

/// The message for a failed call.
pub fn message(t: &'static Texts, error: &FetchError) -> &'static str {
    match error {
        FetchError::Network => t.error_network,
        FetchError::Api {
            code: ErrorCode::NotFound,
            ..
        } => t.error_not_found,
        FetchError::Api {
            code: ErrorCode::BadRequest | ErrorCode::Validation,
            ..
        } => t.error_bad_request,
        FetchError::Api { .. } | FetchError::Decode => t.error_server,
    }
}

#[component]
pub fn LoadError(error: FetchError, #[prop(into)] on_retry: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="load-error" role="alert">
            <p>{move || message(i18n.t(), &error)}</p>
            <button type="button" class="button" on:click=move |_| on_retry.run(())>
                {tr(|t| t.retry)}
            </button>
        </div>
    }
}
