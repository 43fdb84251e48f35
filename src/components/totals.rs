//! What an order costs as the basket and checkout show it: the zone chosen,
//! the subtotal, shipping and total, by the rule the server charges
//! (`bazar_api::order::totals`).

use bazar_api::{Fen, Zone};
use leptos::prelude::*;

use crate::api;
use crate::components::price::Sums;
use crate::i18n::{tr, use_i18n};
use crate::state::basket::use_basket;
use crate::state::checkout::use_draft;

/// The zone choice and the subtotal, shipping and total.
#[component]
pub fn Totals() -> impl IntoView {
    let i18n = use_i18n();
    let basket = use_basket();
    let draft = use_draft();
    let zones = api::json_resource(Signal::stored(Some(crate::urls::ZONES.to_string())));
    let zone = move || -> Option<Zone> {
        let code = draft.0.with(|d| d.zone.clone());
        api::decoded::<Vec<Zone>>(zones)
            .and_then(|z| z.ok())
            .and_then(|z| z.into_iter().find(|z| z.code == code))
    };
    // What the server will charge, by the same rule (bazar_api::order::totals).
    let totals = move || {
        let subtotal = basket.0.with(|b| b.subtotal());
        match zone() {
            Some(zone) => zone.totals(subtotal),
            None => bazar_api::order::totals(subtotal, Fen::ZERO, None),
        }
    };
    let subtotal = Signal::derive(move || basket.0.with(|b| b.subtotal()));
    let shipping = Signal::derive(move || totals().shipping);
    let total = Signal::derive(move || totals().total);
    view! {
        <section class="totals" data-testid="totals">
            <label class="field">
                <span>{tr(|t| t.zone_label)}</span>
                <select
                    name="zone"
                    on:change=move |ev| draft.0.update(|d| d.zone = event_target_value(&ev))
                >
                    <option value="" selected=move || draft.0.with(|d| d.zone.is_empty())>
                        {tr(|t| t.choose_zone)}
                    </option>
                    {move || {
                        api::decoded::<Vec<Zone>>(zones)
                            .and_then(|z| z.ok())
                            .unwrap_or_default()
                            .into_iter()
                            .map(|z| {
                                let code = z.code.clone();
                                let selected = move || draft.0.with(|d| d.zone == code);
                                view! {
                                    <option value=z.code.clone() selected=selected>
                                        {z.names.get(i18n.locale().lang()).to_string()}
                                    </option>
                                }
                            })
                            .collect_view()
                    }}
                </select>
            </label>
            {move || zone().map(|z| view! {
                <p class="hint">{i18n.t().days_range.replace("{n}", &format!("{}-{}", z.days_min, z.days_max))}</p>
            })}
            <Sums subtotal=subtotal shipping=Signal::derive(move || zone().map(|_| shipping.get())) total=total />
        </section>
    }
}
