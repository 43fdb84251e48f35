//! A big minus / count / plus control.

use leptos::prelude::*;

use crate::i18n::tr;

/// Sets `value` between `min` and `max` with two 48 px buttons.
#[component]
pub fn Stepper(
    value: RwSignal<u32>,
    #[prop(into)] max: Signal<u32>,
    #[prop(default = 1)] min: u32,
    /// Called with the new value after each press.
    #[prop(optional, into)]
    on_change: Option<Callback<u32>>,
) -> impl IntoView {
    let change = move |delta: i32| {
        let next = (value.get_untracked() as i64 + i64::from(delta))
            .clamp(i64::from(min), i64::from(max.get_untracked().max(min)));
        value.set(next as u32);
        if let Some(cb) = on_change {
            cb.run(next as u32);
        }
    };
    view! {
        <div class="stepper" role="group" aria-label=tr(|t| t.quantity)>
            <button
                type="button"
                aria-label=tr(|t| t.decrease)
                disabled=move || { value.get() <= min }
                on:click=move |_| change(-1)
            >
                "−"
            </button>
            <output aria-live="polite" dir="ltr">{move || value.get()}</output>
            <button
                type="button"
                aria-label=tr(|t| t.increase)
                disabled=move || { value.get() >= max.get() }
                on:click=move |_| change(1)
            >
                "+"
            </button>
        </div>
    }
}
