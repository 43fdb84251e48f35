//! What a page shows when its data could not be loaded, in the reader's language.

use bazar_api::ErrorCode;
use leptos::prelude::*;

use crate::api::FetchError;
use crate::i18n::{Texts, tr, use_i18n};

/// The message for a failed call.
pub fn message(t: &'static Texts, error: &FetchError) -> String {
    let text = match error {
        FetchError::Api {
            code: ErrorCode::TooManyRequests,
            retry_after,
            ..
        } => {
            return t
                .error_too_many
                .replace("{n}", &i64::from(retry_after.unwrap_or(60).max(1)).to_string());
        }
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
    };
    text.to_string()
}

/// What to tell a customer whose order broke a limit that keeps one order
/// from emptying the shop (the codes of `bazar_api::order::Hoarding`, each
/// naming its limit), if it did.
pub fn limit_message(t: &'static Texts, fields: &[bazar_api::FieldError]) -> Option<String> {
    fields.iter().find_map(|f| {
        let code = f.code.as_str();
        // Prefixes, not a search: the shop's download stays small.
        let (text, n) = if let Some(n) = code.strip_prefix("max_per_order:") {
            (t.per_order_limit, n)
        } else if let Some(n) = code.strip_prefix("unpaid_limit:") {
            (t.order_unpaid_limit, n)
        } else {
            (
                t.order_open_unpaid_limit,
                code.strip_prefix("open_unpaid_limit:")?,
            )
        };
        Some(text.replace("{n}", n))
    })
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
