//! The field where a customer types the code stamped on an egg.

use crate::router::use_navigate;
use leptos::prelude::*;

use crate::i18n::tr;

#[component]
pub fn TraceForm(#[prop(optional, into)] initial: String) -> impl IntoView {
    let navigate = use_navigate();
    let (code, set_code) = signal(initial);
    let (invalid, set_invalid) = signal(false);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match bazar_api::trace::normalize_code(&code.get_untracked()) {
            Some(code) => {
                set_invalid.set(false);
                navigate(&format!("/trace/{code}"));
            }
            None => set_invalid.set(true),
        }
    };
    view! {
        <form class="trace-form" on:submit=on_submit role="search">
            <label for="trace-code">{tr(|t| t.trace_title)}</label>
            <div class="field-row">
                <input
                    id="trace-code"
                    name="trace-code"
                    dir="ltr"
                    autocomplete="off"
                    autocapitalize="characters"
                    spellcheck="false"
                    maxlength="12"
                    placeholder="K7MQ-9RTX"
                    aria-invalid=move || invalid.get().to_string()
                    prop:value=code
                    on:input=move |ev| set_code.set(event_target_value(&ev))
                />
                <button type="submit" class="button">{tr(|t| t.trace_button)}</button>
            </div>
            <p class="hint">{tr(|t| t.trace_hint)}</p>
            {move || (invalid.get()).then(|| view! {
                <p class="field-error" role="alert">{tr(|t| t.trace_invalid)}</p>
            })}
        </form>
    }
}
