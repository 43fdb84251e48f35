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

use crate::i18n::tr;

/// The back link at the top of inner pages; its arrow mirrors in Uyghur.
#[component]
pub fn BackLink(#[prop(into, default = "/".to_string())] href: String) -> impl IntoView {
    view! {
        <a href=href class="back-link" data-testid="back-link">
            <span class="arrow-back" aria-hidden="true">"←"</span>
            {tr(|t| t.back)}
        </a>
    }
}

/// Shows `loading` until the JSON `resource` has an answer, then `ok` with
/// it decoded as `$ty`, or a retryable error. (A plain reactive closure,
/// not `<Transition>`: the suspense machinery costs the download more than
/// it gives these pages.)
#[macro_export]
macro_rules! loaded {
    ($resource:expr, |$value:ident: $ty:ty| $ok:expr) => {{
        use leptos::prelude::*;
        let resource: $crate::api::JsonResource = $resource;
        move || match $crate::api::decoded::<$ty>(resource) {
            None => view! { <p class="notice">{$crate::i18n::tr(|t| t.loading)}</p> }.into_any(),
            Some(Ok($value)) => $ok.into_any(),
            Some(Err(error)) => view! {
                <$crate::components::load_error::LoadError error=error on_retry=move |_| resource.refetch() />
            }
            .into_any(),
        }
    }};
}
