//! A family's card: picture, name in Uyghur and Chinese, village and story.

use bazar_api::Family;
use leptos::prelude::*;

use crate::i18n::{tr, use_i18n};

#[component]
pub fn FamilyCard(family: Family, #[prop(default = true)] link: bool) -> impl IntoView {
    let i18n = use_i18n();
    let href = format!("/family/{}", family.id);
    let Family {
        names,
        village,
        story,
        photo,
        stamp,
        ..
    } = family;
    view! {
        <section class="family-card" data-testid="family-card">
            <img src=photo width="96" height="96" alt="" />
            <div class="family-names">
                <p class="family-name" lang="ug" dir="rtl">{names.ug.clone()}</p>
                <p class="family-name" lang="zh-Hans">{names.zh.clone()}</p>
                <p class="family-village">
                    {move || village.get(i18n.locale().lang()).to_string()}
                    " · "
                    <bdi class="code" dir="ltr">{stamp}</bdi>
                </p>
            </div>
            <p class="family-story">{move || story.get(i18n.locale().lang()).to_string()}</p>
            {link.then(|| view! {
                <a href=href class="button secondary">
                    {tr(|t| t.visit_family)}
                    " "
                    <span class="arrow-next" aria-hidden="true">"→"</span>
                </a>
            })}
        </section>
    }
}
