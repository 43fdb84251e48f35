//! Component tests of the app, run in headless Chromium by wasm-bindgen-test.
#![cfg(target_arch = "wasm32")]

use bazar::components::language::LanguageSwitcher;
use bazar::components::price::Price;
use bazar::i18n::{Locale, provide_i18n, use_i18n};
use bazar_api::Fen;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// Mounts `view` into a fresh element and returns that element.
fn mount<V: IntoView + 'static>(view: impl FnOnce() -> V + 'static) -> web_sys::HtmlElement {
    let host: web_sys::HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&host).unwrap();
    leptos::mount::mount_to(host.clone(), view).forget();
    host
}

async fn tick() {
    leptos::task::tick().await;
}

#[wasm_bindgen_test]
async fn price_is_isolated_and_grouped() {
    web_sys::window()
        .unwrap()
        .local_storage()
        .unwrap()
        .unwrap()
        .set_item("bazar.locale", "ug")
        .unwrap();
    let host = mount(|| {
        provide_i18n(Locale::ZhHans);
        view! { <Price fen=Fen(123_456) /> }
    });
    tick().await;
    let bdi = host.query_selector("bdi.price").unwrap().expect("a <bdi> price");
    assert_eq!(bdi.text_content().unwrap(), "¥1,234.56");
    let html = document().document_element().unwrap();
    assert_eq!(html.get_attribute("dir").as_deref(), Some("rtl"));
    assert_eq!(html.get_attribute("lang").as_deref(), Some("ug"));
}

#[wasm_bindgen_test]
async fn switching_language_flips_direction_and_is_remembered() {
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    storage.set_item("bazar.locale", "zh-Hans").unwrap();
    let host = mount(|| {
        let i18n = provide_i18n(Locale::ZhHans);
        view! {
            <LanguageSwitcher label=bazar::i18n::tr(|t| t.language) />
            <p class="probe">{move || use_i18n().t().back.to_string() + "|" + i18n.locale().tag()}</p>
        }
    });
    tick().await;
    let html = document().document_element().unwrap();
    assert_eq!(html.get_attribute("dir").as_deref(), Some("ltr"));

    let options = host.query_selector_all("select.lang-switch option").unwrap();
    assert_eq!(options.length(), 3);
    let names: Vec<String> = (0..3)
        .map(|i| options.item(i).unwrap().text_content().unwrap())
        .collect();
    assert_eq!(names, ["ئۇيغۇرچە", "中文", "English"]);
    let select: web_sys::HtmlSelectElement = host
        .query_selector("select.lang-switch")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert_eq!(select.value(), "zh-Hans");
    select.set_value("ug");
    select
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    tick().await;

    assert_eq!(html.get_attribute("dir").as_deref(), Some("rtl"));
    assert_eq!(storage.get_item("bazar.locale").unwrap().as_deref(), Some("ug"));
    let probe = host.query_selector(".probe").unwrap().unwrap();
    assert_eq!(probe.text_content().unwrap(), "قايتىش|ug");
    assert_eq!(select.value(), "ug");
}

#[wasm_bindgen_test]
fn the_browser_reads_json_as_serde_does() {
    use bazar::api::from_json;
    use bazar_api::{ApiError, Capacity, FamilySummary, Localized, Product, ProductKind};

    let names = Localized {
        ug: "قاق ئۆرۈك \"ئاق\"".into(),
        zh: "杏干\n\t\\ 🍞".into(),
        en: "Apricots \u{e9} \u{1f35e}".into(),
    };
    let products = vec![Product {
        id: 9_007_199_254_740_991,
        kind: ProductKind::DriedFruit,
        names: names.clone(),
        unit: names.clone(),
        price_fen: Fen(2600),
        capacity: Capacity::Stock,
        available: 0,
        max_per_order: 10,
        image: "/img/products/fruit-1.svg".into(),
        family: FamilySummary {
            id: 3,
            names: names.clone(),
            village: names,
            photo: String::new(),
        },
    }];
    let text = serde_json::to_string(&products).unwrap();
    assert_eq!(from_json::<Vec<Product>>(&text), Some(products));

    // Optional lists left out, and present.
    let text = r#"{"error": {"code": "sold_out", "message": "m", "sold_out": [{"product_id": 2, "requested": 5, "available": -1}]}}"#;
    let by_serde: ApiError = serde_json::from_str(text).unwrap();
    assert_eq!(from_json::<ApiError>(text), Some(by_serde));
    assert!(from_json::<ApiError>(text).unwrap().error.fields.is_empty());

    assert_eq!(from_json::<Vec<i64>>("[-3, 0, 1e3]"), Some(vec![-3, 0, 1000]));
    assert_eq!(from_json::<Option<u32>>("null"), Some(None));
    assert_eq!(
        from_json::<Vec<String>>(r#"["a\u0000b", "\ud83c\udf5e"]"#),
        Some(vec!["a\0b".into(), "🍞".into()])
    );
    // Not JSON, or not the type: nothing, never a wrong value.
    assert_eq!(from_json::<Vec<i64>>("[1,"), None);
    assert_eq!(from_json::<Vec<i64>>("[1.5]"), None);
    assert_eq!(from_json::<u32>("-1"), None);
    assert_eq!(from_json::<ProductKind>(r#""bread""#), None);
    assert_eq!(from_json::<Vec<Product>>(r#"[{"id": 1}]"#), None);
}
