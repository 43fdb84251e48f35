//! Checkout as a guest: name, mobile, address, province and payment. Errors
//! show next to their field in the reader's language; what was typed is kept
//! on the phone; the order is saved before it is sent and sent exactly once.

use crate::router::use_navigate;
use bazar_api::{Customer, ErrorCode, FieldError, OrderRequest, PaymentMethod};
use leptos::prelude::*;

use crate::api::FetchError;
use crate::components::load_error::{limit_message, message};
use crate::components::totals::Totals;
use crate::i18n::{tr, use_i18n};
use crate::pages::BackLink;
use crate::state::basket::use_basket;
use crate::state::checkout::{CheckoutDraft, use_draft};
use crate::state::orders::{SendState, use_orders};

#[component]
pub fn Checkout() -> impl IntoView {
    let i18n = use_i18n();
    let basket = use_basket();
    let draft = use_draft();
    let orders = use_orders();
    let navigate = use_navigate();
    let (errors, set_errors) = signal(Vec::<FieldError>::new());

    // Once the server has answered, show the confirmation, or the fields
    // and sold-out lines it refused, where they belong.
    Effect::new(move |_| match orders.state.get() {
        SendState::Placed(placed) => {
            orders.state.set(SendState::Idle);
            navigate(&format!("/order/{}", placed.tracking_token));
        }
        SendState::Refused(FetchError::Api { fields, sold_out, .. }) => {
            set_errors.set(fields);
            basket.0.update(|b| {
                for line in &mut b.lines {
                    if let Some(s) = sold_out.iter().find(|s| s.product_id == line.product.id) {
                        line.product.available = s.available;
                    }
                }
            });
        }
        _ => {}
    });

    let busy = move || matches!(orders.state.get(), SendState::Sending | SendState::Waiting { .. });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy() {
            return;
        }
        let CheckoutDraft {
            name,
            phone,
            address,
            zone,
            payment,
        } = draft.0.get_untracked();
        let request = OrderRequest {
            customer: Customer {
                name,
                phone,
                address,
                zone,
            },
            lines: basket.0.with_untracked(|b| b.order_lines()),
            payment,
        };
        if let Err(fields) = request.validate() {
            set_errors.set(fields);
            return;
        }
        if !basket.0.with_untracked(|b| b.over_available().is_empty()) {
            return;
        }
        set_errors.set(Vec::new());
        orders.place(request);
    };

    let error_for = move |field: &'static str| {
        move || {
            errors.with(|e| {
                e.iter()
                    .find(|f| f.field == field)
                    .map(|f| i18n.t().field_error(&f.code))
            })
        }
    };

    view! {
        <main class="page">
            <BackLink href="/basket" />
            <h1 class="section-title">{tr(|t| t.checkout_title)}</h1>
            <p class="hint">{tr(|t| t.guest_note)}</p>
            <form class="checkout" on:submit=submit novalidate>
                <TextField
                    name="name"
                    label=tr(|t| t.field_name)
                    value=Signal::derive(move || draft.0.with(|d| d.name.clone()))
                    on_input=Callback::new(move |v| draft.0.update(|d| d.name = v))
                    error=Signal::derive(error_for("customer.name"))
                    autocomplete="name"
                />
                <TextField
                    name="phone"
                    label=tr(|t| t.field_phone)
                    value=Signal::derive(move || draft.0.with(|d| d.phone.clone()))
                    on_input=Callback::new(move |v| draft.0.update(|d| d.phone = v))
                    error=Signal::derive(error_for("customer.phone"))
                    autocomplete="tel"
                    input_type="tel"
                    ltr=true
                />
                <TextField
                    name="address"
                    label=tr(|t| t.field_address)
                    value=Signal::derive(move || draft.0.with(|d| d.address.clone()))
                    on_input=Callback::new(move |v| draft.0.update(|d| d.address = v))
                    error=Signal::derive(error_for("customer.address"))
                    autocomplete="street-address"
                />
                <Totals />
                {move || error_for("customer.zone")().map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
                <fieldset class="field payment">
                    <legend>{tr(|t| t.field_payment)}</legend>
                    {[PaymentMethod::OnDelivery, PaymentMethod::BankTransfer]
                        .into_iter()
                        .map(|method| {
                            view! {
                                <label class="radio">
                                    <input
                                        type="radio"
                                        name="payment"
                                        prop:checked=move || draft.0.with(|d| d.payment == method)
                                        on:change=move |_| draft.0.update(|d| d.payment = method)
                                    />
                                    <span>
                                        {move || match method {
                                            PaymentMethod::OnDelivery => i18n.t().pay_on_delivery,
                                            PaymentMethod::BankTransfer => i18n.t().pay_bank_transfer,
                                        }}
                                    </span>
                                </label>
                            }
                        })
                        .collect_view()}
                </fieldset>
                <SendStatus />
                <button type="submit" class="button primary wide" disabled=busy data-testid="place-order">
                    {move || if busy() { i18n.t().placing_order } else { i18n.t().place_order }}
                </button>
            </form>
        </main>
    }
}

/// Where the order being sent is, in words.
#[component]
fn SendStatus() -> impl IntoView {
    let i18n = use_i18n();
    let orders = use_orders();
    move || {
        let t = i18n.t();
        match orders.state.get() {
            SendState::Waiting { .. } => Some(
                view! { <p class="banner" role="status" data-testid="order-waiting">{t.waiting_network}</p> }
                    .into_any(),
            ),
            SendState::Refused(error) => {
                let text = match &error {
                    FetchError::Api {
                        code: ErrorCode::SoldOut,
                        ..
                    } => t.order_sold_out.to_string(),
                    FetchError::Api {
                        code: ErrorCode::Validation,
                        fields,
                        ..
                    } => limit_message(t, fields).unwrap_or_else(|| t.order_invalid.to_string()),
                    other => message(t, other),
                };
                Some(view! { <p class="field-error" role="alert">{text}</p> }.into_any())
            }
            _ => None,
        }
    }
}

#[component]
fn TextField(
    name: &'static str,
    label: Signal<&'static str>,
    value: Signal<String>,
    on_input: Callback<String>,
    error: Signal<Option<&'static str>>,
    autocomplete: &'static str,
    #[prop(default = "text")] input_type: &'static str,
    /// Phone numbers read left to right in every language.
    #[prop(default = false)]
    ltr: bool,
) -> impl IntoView {
    let id = format!("field-{name}");
    let error_id = format!("{id}-error");
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <input
                id=id
                name=name
                type=input_type
                autocomplete=autocomplete
                dir=ltr.then_some("ltr")
                aria-invalid=move || error.get().is_some().to_string()
                aria-describedby=error_id.clone()
                prop:value=value
                on:input=move |ev| on_input.run(event_target_value(&ev))
            />
            <p class="field-error" id=error_id role="alert">{error}</p>
        </div>
    }
}
