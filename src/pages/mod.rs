//! One file per screen.

pub mod basket;
pub mod checkout;
pub mod family;
pub mod home;
pub mod my_orders;
pub mod not_found;
pub mod order;
pub mod product;
pub mod shop;
pub mod trace;
pub mod track;

use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::use_i18n;

/// The back link at the top of inner pages; its arrow mirrors in Uyghur.
#[component]
pub fn BackLink(#[prop(into, default = "/".to_string())] href: String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <A href=href attr:class="back-link" attr:data-testid="back-link">
            <span class="arrow-back" aria-hidden="true">"←"</span>
            {move || i18n.t().back}
        </A>
    }
}

/// Shows `loading` until `resource` has a value, then `ok` or a retryable error.
#[macro_export]
macro_rules! loaded {
    ($resource:expr, |$value:ident| $ok:expr) => {{
        use leptos::prelude::*;
        let resource = $resource;
        let i18n = $crate::i18n::use_i18n();
        view! {
            <Transition fallback=move || view! { <p class="notice">{move || i18n.t().loading}</p> }>
                {move || {
                    resource
                        .get()
                        .map(|result| match result {
                            Ok($value) => $ok.into_any(),
                            Err(error) => view! {
                                <$crate::components::load_error::LoadError error=error on_retry=move |_| resource.refetch() />
                            }
                            .into_any(),
                        })
                }}
            </Transition>
        }
    }};
}
