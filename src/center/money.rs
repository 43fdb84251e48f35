//! Every family's earnings for a month, exportable as CSV, with payouts; and
//! the hub's weeks in a chart.

use crate::router::{use_params, use_query};
use bazar_api::center::{Earnings, PayoutRequest, Statement, WeekSales};
use leptos::prelude::*;

use super::texts::{ct, texts};
use super::{money, show};
use crate::api::{self, FetchError};
use crate::i18n::use_i18n;

#[component]
pub fn EarningsPage() -> impl IntoView {
    let query = use_query();
    let month = Memo::new(move |_| query.read().get("month").unwrap_or_default());
    let earnings = api::json_resource(Signal::derive(move || Some(crate::urls::earnings(&month.get()))));
    let navigate = crate::router::use_navigate();
    let i18n = use_i18n();
    view! {
        <main class="page wide">
            <h1 class="section-title">{ct(|t| t.earnings_title)}</h1>
            {show(earnings, move |e: Earnings| {
                let csv = crate::urls::earnings_csv(&e.month);
                let families: Vec<(i64, String)> = e.families.iter().map(|f| (f.family_id, f.names.zh.clone())).collect();
                view! {
                    <div class="toolbar">
                        <label class="field inline">
                            <span>{ct(|t| t.month)}</span>
                            <input type="month" name="month" prop:value=e.month.clone() on:change=move |ev| {
                                navigate(&format!("/center/earnings?month={}", event_target_value(&ev)));
                            } />
                        </label>
                        <span>{ct(|t| t.fee_rate)} ": " <bdi dir="ltr">{format!("{}.{:02} %", e.fee_bp / 100, e.fee_bp % 100)}</bdi></span>
                        <a class="button" href=csv download="" rel="external">{ct(|t| t.export_csv)}</a>
                    </div>
                    <table class="data-table" data-testid="earnings">
                        <thead><tr>
                            <th>{ct(|t| t.family)}</th><th>{ct(|t| t.items_sold)}</th><th>{ct(|t| t.gross)}</th>
                            <th>{ct(|t| t.fee)}</th><th>{ct(|t| t.net)}</th><th>{ct(|t| t.paid)}</th><th>{ct(|t| t.balance)}</th>
                        </tr></thead>
                        <tbody>
                            {e.families.into_iter().map(|f| {
                                let names = f.names.clone();
                                view! {
                                    <tr data-family=f.family_id>
                                        <td>{move || names.get(i18n.locale().lang()).to_string()}</td>
                                        <td><bdi>{f.sold.items}</bdi></td>
                                        <td>{money(f.sold.gross_fen)}</td>
                                        <td>{money(f.sold.fee_fen)}</td>
                                        <td>{money(f.sold.net_fen)}</td>
                                        <td>{money(f.paid_fen)}</td>
                                        <td>{money(f.balance_fen)}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                        <tfoot><tr>
                            <th>{ct(|t| t.total)}</th><td><bdi>{e.total.items}</bdi></td><td>{money(e.total.gross_fen)}</td>
                            <td>{money(e.total.fee_fen)}</td><td>{money(e.total.net_fen)}</td><td></td><td></td>
                        </tr></tfoot>
                    </table>
                    <PayoutForm families=families on_done=move || earnings.refetch() />
                }
            })}
        </main>
    }
}

#[component]
fn PayoutForm(
    families: Vec<(i64, String)>,
    on_done: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let family = RwSignal::new(families.first().map_or(0, |f| f.0));
    let amount = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let error = RwSignal::new(None::<FetchError>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(amount_fen) = bazar_api::Fen::parse_yuan(&amount.get_untracked()) else {
            error.set(Some(FetchError::api(422, bazar_api::ErrorCode::Validation)));
            return;
        };
        let request = PayoutRequest {
            family_id: family.get_untracked(),
            amount_fen,
            note: Some(note.get_untracked()).filter(|n| !n.trim().is_empty()),
        };
        let on_done = on_done.clone();
        leptos::task::spawn_local(async move {
            match api::send(api::Method::POST, crate::urls::CENTER_PAYOUTS, Some(&request)).await {
                Ok(_) => {
                    amount.set(String::new());
                    note.set(String::new());
                    error.set(None);
                    on_done();
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <form class="form payout-form no-print" on:submit=submit>
            <h2 class="section-title">{ct(|t| t.pay_out)}</h2>
            <label class="field">
                <span>{ct(|t| t.family)}</span>
                <select name="family" on:change=move |ev| family.set(event_target_value(&ev).parse().unwrap_or(0))>
                    {families.into_iter().map(|(id, name)| view! { <option value=id.to_string()>{name}</option> }).collect_view()}
                </select>
            </label>
            <label class="field">
                <span>{ct(|t| t.amount_yuan)}</span>
                <input name="amount" inputmode="decimal" dir="ltr" prop:value=amount on:input=move |ev| amount.set(event_target_value(&ev)) />
            </label>
            <label class="field">
                <span>{ct(|t| t.note)}</span>
                <input name="payout-note" prop:value=note on:input=move |ev| note.set(event_target_value(&ev)) />
            </label>
            {move || error.get().map(|e| view! { <p class="form-error" role="alert">{texts(i18n.locale()).error(&e)}</p> })}
            <button type="submit" class="button primary">{ct(|t| t.pay_out)}</button>
        </form>
    }
}

/// Orders and sales per week as bars, and the families behind each week.
#[component]
pub fn Overview() -> impl IntoView {
    let weeks = api::json_resource(Signal::derive(|| Some(crate::urls::overview(8))));
    let i18n = use_i18n();
    view! {
        <main class="page wide">
            <h1 class="section-title">{ct(|t| t.overview_title)}</h1>
            {show(weeks, move |weeks: Vec<WeekSales>| {
                let top = weeks.iter().map(|w| w.gross_fen.0).max().unwrap_or(0).max(1);
                let width = 80 * weeks.len().max(1);
                view! {
                    <svg class="chart" viewBox=format!("0 0 {width} 220") role="img" data-testid="chart">
                        {weeks.iter().enumerate().map(|(i, w)| {
                            let h = (w.gross_fen.0 * 180 / top).max(2);
                            let x = i * 80 + 16;
                            view! {
                                <g>
                                    <rect x=x y=200 - h width="48" height=h class="bar" />
                                    <text x=x + 24 y=196 - h text-anchor="middle" class="bar-value">{w.orders}</text>
                                    <text x=x + 24 y="216" text-anchor="middle" class="bar-label">{w.week_start[5..].to_string()}</text>
                                </g>
                            }
                        }).collect_view()}
                    </svg>
                    <table class="data-table">
                        <thead><tr><th>{ct(|t| t.week_of)}</th><th>{ct(|t| t.orders_count)}</th><th>{ct(|t| t.sales)}</th><th>{ct(|t| t.suppliers)}</th></tr></thead>
                        <tbody>
                            {weeks.into_iter().rev().map(|w| {
                                let families = w.families.clone();
                                view! {
                                    <tr>
                                        <td><bdi dir="ltr">{i18n.locale().day(&w.week_start)}</bdi></td>
                                        <td><bdi>{w.orders}</bdi></td>
                                        <td>{money(w.gross_fen)}</td>
                                        <td>{move || families.iter().map(|f| format!("{} {}", f.names.get(i18n.locale().lang()), i18n.locale().price(f.gross_fen))).collect::<Vec<_>>().join(" · ")}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }
            })}
        </main>
    }
}

/// A family's month on one printed page (A5 or A4), in Uyghur with Chinese
/// under it: each product's picture, how many sold and for how much, the
/// center's fee, what the family earns, what was paid and what is still
/// owed, in big numbers, for the operator to hand over on the next visit.
#[component]
pub fn StatementPage() -> impl IntoView {
    let params = use_params();
    let query = use_query();
    let month = Memo::new(move |_| query.read().get("month").unwrap_or_default());
    let statement = api::json_resource(Signal::derive(move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse().ok())
            .map(|id| crate::urls::statement(id, &month.get()))
    }));
    let navigate = crate::router::use_navigate();
    view! {
        <main class="page">
            {show(statement, move |s: Statement| {
                let id = s.family.id;
                let (ug, zh) = (super::texts::UG, super::texts::ZH);
                let both = |u: &'static str, z: &'static str| view! {
                    <span lang="ug" dir="rtl">{u}</span><span class="zh" lang="zh-Hans">{z}</span>
                };
                let sum = move |u: &'static str, z: &'static str, fen: bazar_api::Fen, big: bool| view! {
                    <div class="statement-sum" class:big=big>
                        <dt>{both(u, z)}</dt>
                        <dd>{money(fen)}</dd>
                    </div>
                };
                view! {
                    <div class="toolbar no-print">
                        <label class="field inline">
                            <span>{ct(|t| t.month)}</span>
                            <input type="month" name="month" prop:value=s.month.clone() on:change=move |ev| {
                                navigate(&format!("/center/statement/{id}?month={}", event_target_value(&ev)));
                            } />
                        </label>
                        <button type="button" class="button primary" on:click=move |_| super::print()>{ct(|t| t.print)}</button>
                    </div>
                    <article class="statement" data-testid="statement" lang="ug" dir="rtl">
                        <header>
                            <h1 lang="ug" dir="rtl">{s.family.names.ug.clone()}</h1>
                            <p class="zh" lang="zh-Hans">{s.family.names.zh.clone()}</p>
                            <p>{both(ug.statement, zh.statement)} " " <bdi class="big-month" dir="ltr">{s.month.clone()}</bdi></p>
                            <p><span lang="ug" dir="rtl">{s.hub.ug.clone()}</span> " · " <span lang="zh-Hans">{s.hub.zh.clone()}</span></p>
                        </header>
                        <ul class="statement-lines">
                            {s.lines.into_iter().map(|l| view! {
                                <li data-product=l.product_id>
                                    <img src=l.image.clone() width="72" height="72" alt="" />
                                    <span class="names"><span lang="ug" dir="rtl">{l.names.ug.clone()}</span><span class="zh" lang="zh-Hans">{l.names.zh.clone()}</span></span>
                                    <b class="big-count" dir="ltr">{l.sold.items}</b>
                                    <span lang="ug" dir="rtl">{l.unit.ug.clone()}</span>
                                    <span class="line-money">{money(l.sold.gross_fen)}</span>
                                </li>
                            }).collect_view()}
                        </ul>
                        <dl class="statement-sums">
                            {sum(ug.gross, zh.gross, s.sold.gross_fen, false)}
                            {sum(ug.fee, zh.fee, s.sold.fee_fen, false)}
                            {sum(ug.net, zh.net, s.sold.net_fen, true)}
                            {sum(ug.payouts, zh.payouts, s.payouts.iter().map(|p| p.amount_fen).sum(), false)}
                            {sum(ug.balance, zh.balance, s.balance_fen, true)}
                        </dl>
                    </article>
                }
            })}
        </main>
    }
}
