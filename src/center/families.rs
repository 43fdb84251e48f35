//! The hub's families and their key cards: print one (its QR code signs a
//! phone in), print a new one when a card is lost, or revoke it.

use bazar_api::center::{CenterFamily, KeyCard};
use leptos::prelude::*;

use super::texts::{ct, texts};
use super::{print, show};
use crate::api::{self, FetchError};
use crate::i18n::use_i18n;

#[component]
pub fn Families() -> impl IntoView {
    let families = api::json_resource(Signal::derive(|| Some(crate::urls::CENTER_FAMILIES.to_string())));
    let card = RwSignal::new(None::<KeyCard>);
    let error = RwSignal::new(None::<FetchError>);
    let i18n = use_i18n();
    let issue = move |id: i64| {
        leptos::task::spawn_local(async move {
            match api::post::<_, KeyCard>(&crate::urls::key_card(id), &()).await {
                Ok(c) => {
                    card.set(Some(c));
                    families.refetch();
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let revoke = move |id: i64| {
        leptos::task::spawn_local(async move {
            match api::send::<()>(api::Method::DELETE, &crate::urls::key_card(id), None).await {
                Ok(_) => families.refetch(),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <main class="page wide">
            {move || card.get().map(|c| view! { <CardSheet card=c on_close=move || card.set(None) /> })}
            <h1 class="section-title no-print">{ct(|t| t.families_title)}</h1>
            {move || error.get().map(|e| view! { <p class="form-error" role="alert">{texts(i18n.locale()).error(&e)}</p> })}
            <div class="no-print">
            {show(families, move |list: Vec<CenterFamily>| view! {
                <table class="data-table" data-testid="families">
                    <tbody>
                        {list.into_iter().map(|f| {
                            let village = f.village.clone();
                            let issued = f.card_issued_at.clone();
                            let has_card = issued.is_some();
                            view! {
                                <tr data-family=f.id>
                                    <td><span lang="ug" dir="rtl">{f.names.ug.clone()}</span><br />
                                        <span lang="zh-Hans">{f.names.zh.clone()}</span></td>
                                    <td>{move || village.get(i18n.locale().lang()).to_string()}</td>
                                    <td>{move || match &issued {
                                        Some(at) => format!("{} {}", texts(i18n.locale()).card_since, i18n.locale().moment(at)),
                                        None => texts(i18n.locale()).no_card.to_string(),
                                    }}</td>
                                    <td class="actions">
                                        <button type="button" class="button" data-testid="issue-card" on:click=move |_| issue(f.id)>
                                            {move || if has_card { texts(i18n.locale()).reissue_card } else { texts(i18n.locale()).issue_card }}
                                        </button>
                                        {has_card.then(|| view! {
                                            <button type="button" class="button quiet" data-testid="revoke-card" on:click=move |_| revoke(f.id)>
                                                {ct(|t| t.revoke_card)}
                                            </button>
                                        })}
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            })}
            </div>
        </main>
    }
}

/// The printable card: the family's names, its stamp and the QR code.
#[component]
fn CardSheet(card: KeyCard, on_close: impl Fn() + Send + Sync + 'static) -> impl IntoView {
    view! {
        <section class="key-card-sheet">
            <article class="key-card" data-testid="key-card" data-url=card.url.clone()>
                <h2>{ct(|t| t.card_title)}</h2>
                <div class="qr" inner_html=card.qr_svg.clone()></div>
                <p class="label-family" lang="ug" dir="rtl">{card.names.ug.clone()}</p>
                <p class="label-family" lang="zh-Hans">{card.names.zh.clone()}</p>
                <p lang="zh-Hans">{card.village.zh.clone()} " " <bdi class="code" dir="ltr">{card.stamp.clone()}</bdi></p>
                <p class="card-hint">{ct(|t| t.card_hint)}</p>
            </article>
            <div class="actions no-print">
                <button type="button" class="button primary" on:click=move |_| print()>{ct(|t| t.print)}</button>
                <button type="button" class="button quiet" on:click=move |_| on_close()>{ct(|t| t.back)}</button>
            </div>
        </section>
    }
}
