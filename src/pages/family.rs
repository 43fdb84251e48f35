//! A family's page, reachable by a shareable link: /family/{id}.

use leptos::prelude::*;

use crate::api;
use crate::components::family_card::FamilyCard;
use crate::components::product_card::ProductList;
use crate::i18n::tr;
use crate::pages::BackLink;
use crate::pages::product::id_param;

#[component]
pub fn FamilyPage() -> impl IntoView {
    let id = id_param("id");
    let page = api::json_resource(Signal::derive(move || id().ok().map(crate::urls::family)));
    view! {
        <main class="page">
            <BackLink />
            {crate::loaded!(page, |page: bazar_api::FamilyPage| view! {
                <FamilyCard family=page.family link=false />
                <h2 class="section-title">{tr(|t| t.family_products)}</h2>
                <ProductList products=page.products />
            })}
        </main>
    }
}
