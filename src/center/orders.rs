//! The order queue by status, and one order: its customer, lines, batches,
//! history, and the step it can take next.

use crate::router::{use_params, use_query};
use bazar_api::center::{OrderDetail, OrderQueue, StatusChange};
use bazar_api::{OrderStatus, PaymentMethod};
use leptos::prelude::*;

use super::texts::{ct, texts};
use super::{money, show};
use crate::api::{self, FetchError};
use crate::i18n::use_i18n;

const ALL: [OrderStatus; 7] = [
    OrderStatus::Placed,
    OrderStatus::Collecting,
    OrderStatus::AtCenter,
    OrderStatus::Packed,
    OrderStatus::Shipped,
    OrderStatus::Delivered,
    OrderStatus::Cancelled,
];

#[component]
pub fn Queue() -> impl IntoView {
    let query = use_query();
    let status = Memo::new(move |_| {
        query
            .read()
            .get("status")
            .and_then(|s| OrderStatus::parse(&s))
            .unwrap_or(OrderStatus::Placed)
    });
    let queue = api::json_resource(Signal::derive(move || {
        Some(crate::urls::center_orders(status.get()))
    }));
    let i18n = use_i18n();
    view! {
        <main class="page wide">
            <h1 class="section-title">{ct(|t| t.nav_orders)}</h1>
            {show(queue, move |q: OrderQueue| {
                let counts = q.counts.clone();
                view! {
                    <nav class="status-tabs" data-testid="status-tabs">
                        {ALL.into_iter().map(|s| {
                            let count = counts.iter().find(|c| c.status == s).map_or(0, |c| c.count);
                            view! {
                                <a href=format!("/center?status={}", s.as_str())
                                    class:current=move || status.get() == s
                                    data-status=s.as_str()>
                                    {move || texts(i18n.locale()).status(s)}
                                    " " <bdi class="count">{count}</bdi>
                                </a>
                            }
                        }).collect_view()}
                    </nav>
                    {if q.orders.is_empty() {
                        view! { <p class="notice">{ct(|t| t.no_orders)}</p> }.into_any()
                    } else {
                        view! {
                            <table class="data-table" data-testid="order-queue">
                                <thead><tr>
                                    <th>{ct(|t| t.order_code)}</th>
                                    <th>{ct(|t| t.placed_at)}</th>
                                    <th>{ct(|t| t.customer)}</th>
                                    <th>{ct(|t| t.zone)}</th>
                                    <th>{ct(|t| t.items)}</th>
                                    <th>{ct(|t| t.total)}</th>
                                </tr></thead>
                                <tbody>
                                    {q.orders.into_iter().map(|o| {
                                        let at = o.created_at.clone();
                                        let zone = o.zone.clone();
                                        view! {
                                            <tr class:flagged=o.flag.is_some()>
                                                <td>
                                                    {o.flag.is_some().then(|| view! {
                                                        <span class="flag" data-testid="order-flag" title=ct(|t| t.flagged)>"⚠ "</span>
                                                    })}
                                                    <a href=format!("/center/order/{}", o.code)><bdi class="code" dir="ltr">{o.code.clone()}</bdi></a>
                                                </td>
                                                <td>{move || i18n.locale().moment(&at)}</td>
                                                <td>{o.customer_name.clone()}</td>
                                                <td>{move || zone.get(i18n.locale().lang()).to_string()}</td>
                                                <td><bdi>{o.items}</bdi></td>
                                                <td>{money(o.total_fen)}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any()
                    }}
                }
            })}
        </main>
    }
}

#[component]
pub fn OrderPage() -> impl IntoView {
    let params = use_params();
    let order = api::json_resource(Signal::derive(move || {
        params.read().get("code").map(|c| crate::urls::center_order(&c))
    }));
    view! {
        <main class="page wide">
            <a href="/center" class="back-link"><span class="arrow-back" aria-hidden="true">"←"</span>{ct(|t| t.back)}</a>
            {show(order, move |o: OrderDetail| view! { <Detail order=o on_change=move || order.refetch() /> })}
        </main>
    }
}

#[component]
fn Detail(order: OrderDetail, on_change: impl Fn() + Clone + Send + Sync + 'static) -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || i18n.locale().lang();
    let zone = order.zone.clone();
    let at = order.created_at.clone();
    let status = order.status;
    let next = OrderStatus::LIFECYCLE
        .iter()
        .position(|s| *s == status)
        .and_then(|i| OrderStatus::LIFECYCLE.get(i + 1).copied());
    let can_cancel = status.can_become(OrderStatus::Cancelled);
    let code = order.code.clone();
    view! {
        <h1 class="section-title"><bdi class="code" dir="ltr">{order.code.clone()}</bdi>
            " · " <span data-testid="order-status">{move || texts(i18n.locale()).status(status)}</span></h1>
        <dl class="facts">
            <dt>{ct(|t| t.customer)}</dt><dd>{order.customer_name.clone()}</dd>
            <dt>{ct(|t| t.phone)}</dt><dd><bdi dir="ltr">{order.customer_phone.clone()}</bdi></dd>
            <dt>{ct(|t| t.address)}</dt><dd>{order.address.clone()}</dd>
            <dt>{ct(|t| t.zone)}</dt><dd>{move || zone.get(lang()).to_string()}</dd>
            <dt>{ct(|t| t.placed_at)}</dt><dd>{move || i18n.locale().moment(&at)}</dd>
            <dt>{ct(|t| t.total)}</dt><dd>{money(order.total_fen)} " ("
                {move || match order.payment {
                    PaymentMethod::OnDelivery => texts(i18n.locale()).pay_on_delivery,
                    PaymentMethod::BankTransfer => texts(i18n.locale()).pay_bank_transfer,
                }} ")"</dd>
            {order.waybill.clone().map(|w| view! {
                <dt>{ct(|t| t.waybill)}</dt><dd><bdi class="code" dir="ltr" data-testid="waybill">{w}</bdi></dd>
            })}
        </dl>
        <h2 class="section-title">{ct(|t| t.lines)}</h2>
        <table class="data-table">
            <thead><tr>
                <th>{ct(|t| t.lines)}</th><th>{ct(|t| t.family)}</th><th>{ct(|t| t.quantity)}</th>
                <th>{ct(|t| t.collected)}</th><th>{ct(|t| t.trace_code)}</th>
            </tr></thead>
            <tbody>
                {order.lines.into_iter().map(|l| {
                    let names = l.names.clone();
                    let family = l.family_names.clone();
                    view! {
                        <tr>
                            <td>{move || names.get(lang()).to_string()}</td>
                            <td>{move || family.get(lang()).to_string()}</td>
                            <td><bdi>{l.quantity}</bdi></td>
                            <td><bdi>{l.collected}</bdi></td>
                            <td>{l.trace_codes.into_iter().map(|c| view! {
                                <a href=format!("/center/label/{c}")><bdi class="code" dir="ltr">{c.clone()}</bdi></a>" "
                            }).collect_view()}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        <StepForm code=code next=next can_cancel=can_cancel on_change=on_change />
        <h2 class="section-title">{ct(|t| t.history)}</h2>
        <ol class="history" data-testid="history">
            {order.events.into_iter().map(|e| {
                let at = e.at.clone();
                view! {
                    <li>
                        <strong>{move || texts(i18n.locale()).status(e.status)}</strong>
                        " · " <time datetime=e.at.clone()>{move || i18n.locale().moment(&at)}</time>
                        " · " <bdi dir="ltr">{e.actor.clone()}</bdi>
                        {e.note.clone().map(|n| view! { " · " <span>{n}</span> })}
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}

/// The next step of the order (with a waybill to ship), or cancelling it.
#[component]
fn StepForm(
    code: String,
    next: Option<OrderStatus>,
    can_cancel: bool,
    on_change: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let waybill = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let error = RwSignal::new(None::<FetchError>);
    let busy = RwSignal::new(false);
    let send = move |status: OrderStatus| {
        let code = code.clone();
        let on_change = on_change.clone();
        let change = StatusChange {
            status,
            waybill: Some(waybill.get_untracked()).filter(|w| !w.trim().is_empty()),
            note: Some(note.get_untracked()).filter(|n| !n.trim().is_empty()),
        };
        if let Err(fields) = change.validate() {
            error.set(Some(FetchError::Api {
                status: 422,
                code: bazar_api::ErrorCode::Validation,
                fields,
                sold_out: Vec::new(),
                retry_after: None,
            }));
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            let url = crate::urls::order_status(&code);
            match api::send(api::Method::POST, &url, Some(&change)).await {
                Ok(_) => {
                    error.set(None);
                    on_change();
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let send_next = send.clone();
    let message = move || {
        error.get().map(|e| {
            let t = texts(i18n.locale());
            let text = match &e {
                FetchError::Api { fields, .. } if !fields.is_empty() => t.field_error(&fields[0].code),
                other => t.error(other),
            };
            view! { <p class="form-error" role="alert">{text}</p> }
        })
    };
    (next.is_some() || can_cancel).then(|| {
        view! {
            <section class="step-form no-print">
                {(next == Some(OrderStatus::Shipped)).then(|| view! {
                    <label class="field">
                        <span>{ct(|t| t.waybill)}</span>
                        <input name="waybill" dir="ltr" autocomplete="off" prop:value=waybill
                            on:input=move |ev| waybill.set(event_target_value(&ev)) />
                    </label>
                })}
                <label class="field">
                    <span>{ct(|t| t.note)}</span>
                    <input name="note" prop:value=note on:input=move |ev| note.set(event_target_value(&ev)) />
                </label>
                {message}
                <div class="actions">
                    {next.map(|status| view! {
                        <button type="button" class="button primary" data-testid="next-step" disabled=busy
                            on:click=move |_| send_next(status)>
                            {ct(|t| t.next_step)} " " {move || texts(i18n.locale()).status(status)}
                        </button>
                    })}
                    {can_cancel.then(|| view! {
                        <button type="button" class="button quiet" data-testid="cancel-order" disabled=busy
                            on:click=move |_| send(OrderStatus::Cancelled)>
                            {ct(|t| t.cancel_order)}
                        </button>
                    })}
                </div>
            </section>
        }
    })
}
