//! The field where a customer types the code stamped on an egg.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::i18n::use_i18n;

#[component]
pub fn TraceForm(#[prop(optional, into)] initial: String) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let (code, set_code) = signal(initial);
    let (invalid, set_invalid) = signal(false);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match bazar_api::trace::normalize_code(&code.get_untracked()) {
            Some(code) => {
                set_invalid.set(false);
                navigate(&format!("/trace/{code}"), Default::default());
            }
            None => set_invalid.set(true),
        }
    };
    view! {
        <form class="trace-form" on:submit=on_submit role="search">
            <label for="trace-code">{move || i18n.t().trace_title}</label>
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
                <button type="submit" class="button">{move || i18n.t().trace_button}</button>
            </div>
            <p class="hint">{move || i18n.t().trace_hint}</p>
            <Show when=move || invalid.get()>
                <p class="field-error" role="alert">{move || i18n.t().trace_invalid}</p>
            </Show>
        </form>
    }
}
