//! A family's page, reachable by a shareable link: /family/{id}.

use leptos::prelude::*;

use crate::api;
use crate::components::family_card::FamilyCard;
use crate::components::product_card::ProductList;
use crate::i18n::use_i18n;
use crate::pages::BackLink;
use crate::pages::product::id_param;

#[component]
pub fn FamilyPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = id_param("id");
    let page = LocalResource::new(move || {
        let id = id();
        async move { api::family(id?).await }
    });
    view! {
        <main class="page">
            <BackLink />
            {crate::loaded!(page, |page| view! {
                <FamilyCard family=page.family link=false />
                <h2 class="section-title">{move || i18n.t().family_products}</h2>
                <ProductList products=page.products />
            })}
        </main>
    }
}
