//! The family's money in big numbers: this month and last month, a bar per
//! month for six months (a picture people who don't read can read), each
//! order's share, the payouts and what is still owed.

use bazar_api::seller::Money;
use leptos::prelude::*;

use super::texts::st;
use super::{Hear, show};
use crate::api;
use crate::i18n::use_i18n;

#[component]
pub fn MyMoney() -> impl IntoView {
    let money = api::json_resource(Signal::derive(|| Some(crate::urls::SELLER_MONEY.to_string())));
    let i18n = use_i18n();
    let price = move |fen: bazar_api::Fen| view! { <bdi class="price" dir="ltr">{move || i18n.locale().price(fen)}</bdi> };
    view! {
        <main class="seller-page">
            <h1 class="seller-title"><img src="/img/icons/money.svg" width="56" height="56" alt="" />{st(|t| t.my_money)}</h1>
            <Hear text=st(|t| t.my_money) />
            {show(money, move |m: Money| {
                let this = m.months.last().map(|x| x.sold.net_fen).unwrap_or_default();
                let last = m.months.iter().rev().nth(1).map(|x| x.sold.net_fen).unwrap_or_default();
                let top = m.months.iter().map(|x| x.sold.net_fen.0).max().unwrap_or(0).max(1);
                view! {
                    <div class="money-big">
                        <p><span>{st(|t| t.this_month)}</span><strong data-testid="this-month">{price(this)}</strong></p>
                        <p><span>{st(|t| t.last_month)}</span><strong>{price(last)}</strong></p>
                        <p><span>{st(|t| t.balance)}</span><strong data-testid="balance">{price(m.balance_fen)}</strong></p>
                    </div>
                    <h2 class="seller-subtitle">{st(|t| t.six_months)}</h2>
                    <div class="month-bars" data-testid="month-bars">
                        {m.months.into_iter().map(|month| {
                            let height = (month.sold.net_fen.0 * 100 / top).max(2);
                            view! {
                                <div class="month-bar">
                                    <span class="bar" style:block-size=format!("{height}%")></span>
                                    <bdi dir="ltr">{month.month[5..].to_string()}</bdi>
                                </div>
                            }
                        }).collect_view()}
                    </div>
                    <h2 class="seller-subtitle">{st(|t| t.your_orders)}</h2>
                    <ul class="share-list" data-testid="order-shares">
                        {m.orders.into_iter().map(|o| {
                            let day = o.day.clone();
                            view! {
                                <li>
                                    <bdi>{move || i18n.locale().day(&day)}</bdi>
                                    <bdi class="code" dir="ltr">{o.order_code.clone()}</bdi>
                                    <span>"× " <bdi dir="ltr">{o.share.items}</bdi></span>
                                    <strong>{price(o.share.net_fen)}</strong>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    <h2 class="seller-subtitle">{st(|t| t.paid_to_you)}</h2>
                    <ul class="share-list" data-testid="payouts">
                        {m.payouts.into_iter().map(|p| {
                            let at = p.paid_at.clone();
                            view! { <li><bdi>{move || i18n.locale().moment(&at)}</bdi><strong>{price(p.amount_fen)}</strong></li> }
                        }).collect_view()}
                    </ul>
                }
            })}
        </main>
    }
}
