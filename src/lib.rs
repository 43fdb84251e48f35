//! Bazar's apps, compiled to WebAssembly: the shop for city customers
//! (`main.rs`), the service center (`bin/center.rs`) and the sellers' app
//! with its tutor (`bin/seller.rs`), three single-page Leptos apps that share
//! this library (API calls, addresses, languages, components).

pub mod api;
pub mod app;
pub mod center;
pub mod components;
pub mod i18n;
pub mod pages;
pub mod router;
pub mod seller;
pub mod state;
pub mod urls;

/// Replaces the static shell's skeleton with the running shop.
pub fn mount() {
    mount_into_shell(app::App);
    register_service_worker();
}

/// Registers the service worker (`public/sw.js`) that keeps the shop and
/// the lessons working offline.
pub fn register_service_worker() {
    if let Some(window) = web_sys::window() {
        let container = window.navigator().service_worker();
        let _ = container.register("/sw.js");
    }
}

/// Replaces the static shell in `#app` with `app`.
pub fn mount_into_shell<V: leptos::IntoView + 'static>(app: fn() -> V) {
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("app"))
        .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok());
    match root {
        Some(root) => {
            root.set_inner_html("");
            leptos::mount::mount_to(root, app).forget();
        }
        None => leptos::mount::mount_to_body(app),
    }
}

/// The texts of a page's static shell, by language and key: the JSON of its
/// `<script type="application/json" id="shell-texts">` (public/shell.js).
#[cfg(test)]
pub(crate) fn shell_texts(
    html: &str,
) -> std::collections::HashMap<String, std::collections::HashMap<String, String>> {
    let (_, rest) = html
        .split_once(r#"<script type="application/json" id="shell-texts">"#)
        .expect("the shell's texts");
    let (json, _) = rest
        .split_once("</script>")
        .expect("the end of the shell's texts");
    serde_json::from_str(json).expect("the shell's texts are JSON")
}

/// The values of every `name="..."` attribute in `html`, in order.
#[cfg(test)]
pub(crate) fn attribute_values<'a>(html: &'a str, name: &str) -> Vec<&'a str> {
    html.split(&format!("{name}=\""))
        .skip(1)
        .map(|rest| &rest[..rest.find('"').expect("a closing quote")])
        .collect()
}

/// Checks a page's static shell against an app's catalogs (`(tag, entries)`
/// for "ug", "zh", "en"): every `data-t` key has a text in every language,
/// each the catalog's own, and the page is written in `own` language.
/// Returns the keys, in the page's order.
#[cfg(test)]
pub(crate) fn assert_shell_speaks<'a>(
    html: &'a str,
    own: &str,
    catalogs: &[(&str, Vec<(&'static str, &'static str)>)],
) -> Vec<&'a str> {
    let shell = shell_texts(html);
    let keys = attribute_values(html, "data-t");
    assert!(!keys.is_empty(), "no data-t in the page");
    for (tag, entries) in catalogs {
        let text = |key: &str| {
            entries
                .iter()
                .find(|(k, _)| *k == key)
                .unwrap_or_else(|| panic!("no text {key}"))
                .1
        };
        assert_eq!(shell[*tag].len(), keys.len(), "{tag}: one text per key");
        for key in &keys {
            assert_eq!(shell[*tag][*key], text(key), "{key} in {tag}");
            if *tag == own {
                assert!(
                    html.contains(&format!("data-t=\"{key}\">{}<", text(key))),
                    "{key} written in {tag}"
                );
            }
        }
    }
    keys
}
