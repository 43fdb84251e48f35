//! The app's static files: hashed assets cached for a year, index.html never
//! cached, and every route of the single-page app answered with index.html.

use std::collections::HashMap;
use std::convert::Infallible;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::http::{HeaderValue, Request, Response, StatusCode, header};
use axum::response::IntoResponse;
use tower::ServiceExt;
use tower::util::BoxCloneSyncService;
use tower_http::services::ServeDir;

use bazar_api::pages::{App, is_page};

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const NO_CACHE: &str = "no-cache";
/// Pictures and fonts keep their names across releases, so they may only be
/// reused for a while.
const SHORT: &str = "public, max-age=3600";

/// The service that answers every path outside /api.
pub fn static_files(
    dist: &Path,
    store: crate::Store,
) -> BoxCloneSyncService<Request<Body>, Response<Body>, Infallible> {
    let dist = dist.to_path_buf();
    let files = ServeDir::new(&dist)
        .precompressed_br()
        .precompressed_gzip()
        .append_index_html_on_directories(false);
    let pages = Pages::default();
    BoxCloneSyncService::new(tower::service_fn(move |req: Request<Body>| {
        let files = files.clone();
        let dist = dist.clone();
        let store = store.clone();
        let pages = pages.clone();
        async move {
            let path = req.uri().path().to_string();
            if is_page(&path) {
                let app = App::of(&path);
                // The lecture view shows a learner's screen in a frame of its own.
                let frameable = app == App::Seller;
                let accept_language = req
                    .headers()
                    .get(header::ACCEPT_LANGUAGE)
                    .and_then(|v| v.to_str().ok());
                let product = match product_id(&path) {
                    Some(id) if app == App::Shop => shown_product(&store, id).await,
                    _ => None,
                };
                return Ok::<_, Infallible>(
                    index_html(
                        &pages,
                        &dist.join(app.folder()),
                        frameable,
                        accept_language,
                        product.as_ref(),
                    )
                    .await,
                );
            }
            let mut response = match files.oneshot(req).await {
                Ok(r) => r.map(Body::new),
                Err(never) => match never {},
            };
            if response.status() == StatusCode::NOT_FOUND {
                return Ok(not_found());
            }
            let cache = if is_hashed_asset(&path) {
                IMMUTABLE
            } else if matches!(
                path.as_str(),
                "/sw.js" | "/precache.json" | "/manifest.webmanifest"
            ) {
                // A new release must reach phones on their next visit.
                NO_CACHE
            } else {
                SHORT
            };
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
            if path == "/sw.js" {
                // The worker's own policy: it fetches and caches this origin's files only.
                response.headers_mut().insert(
                    header::CONTENT_SECURITY_POLICY,
                    HeaderValue::from_static("default-src 'self'"),
                );
            }
            Ok(response)
        }
    }))
}

/// Trunk names built files `name-<hash>[_bg].ext`, the hash in 16 hex
/// digits (fewer when it starts with zeros).
fn is_hashed_asset(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or("");
    let stem = file.split('.').next().unwrap_or("");
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(_, hash)| {
        (12..=16).contains(&hash.len()) && hash.bytes().all(|b| b.is_ascii_hexdigit())
    })
}

/// The Content-Security-Policy of the app's page: its own scripts, styles,
/// pictures, fonts and API only; trunk's inline bootstrap runs by the
/// per-response nonce; WebAssembly may be compiled.
pub fn content_security_policy(nonce: &str, frameable: bool) -> String {
    let ancestors = if frameable { "'self'" } else { "'none'" };
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'nonce-{nonce}'; style-src 'self'; \
         img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; manifest-src 'self'; \
         worker-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors {ancestors}"
    )
}

/// Marks every inline script of the page with `nonce`: trunk's module
/// bootstrap and the shell's classic script that picks the reader's language.
fn add_nonce(html: &str, nonce: &str) -> String {
    html.replace(
        "<script type=\"module\">",
        &format!("<script type=\"module\" nonce=\"{nonce}\">"),
    )
    .replace("<script>", &format!("<script nonce=\"{nonce}\">"))
}

/// The static shell in the reader's language. An app's page paints its
/// first screen before the app arrives, in the page's own language (`<html
/// lang>`); its elements marked `data-t="key"` take their text from the JSON
/// of its `<script type="application/json" id="shell-texts">` (the app's own
/// texts, by language). The first language of `Accept-Language` the app
/// speaks picks them, as the app picks from the browser's languages, so the
/// app mounts over the same words (a reader who chose another language in
/// the app gets it from the page's script). Pages without such texts, and
/// readers of the page's own language, get the page as it is.
fn localize_shell<'a>(
    html: &'a str,
    texts: Option<&serde_json::Value>,
    accept_language: Option<&str>,
) -> std::borrow::Cow<'a, str> {
    use std::borrow::Cow;
    let Some(locale) = accept_language.and_then(shell_locale) else {
        return Cow::Borrowed(html);
    };
    let Some((tag_start, tag_end, own)) = html_tag(html) else {
        return Cow::Borrowed(html);
    };
    if own == locale {
        return Cow::Borrowed(html);
    }
    let Some(texts) = texts.and_then(|t| t.get(locale)) else {
        return Cow::Borrowed(html);
    };
    let Some(lang) = bazar_api::Lang::from_tag(locale) else {
        return Cow::Borrowed(html);
    };
    let page = format!(
        "{}<html lang=\"{}\" dir=\"{}\">{}",
        &html[..tag_start],
        lang.tag(),
        lang.dir(),
        &html[tag_end..]
    );
    const MARK: &str = "data-t=\"";
    let mut out = String::with_capacity(page.len() + 1024);
    let mut done = 0;
    while let Some(at) = page[done..].find(MARK).map(|i| done + i) {
        let key_start = at + MARK.len();
        let Some(key_end) = page[key_start..].find('"').map(|i| key_start + i) else {
            break;
        };
        // The element's text runs from the end of its tag to the next tag.
        let Some(text_start) = page[key_end..].find('>').map(|i| key_end + i + 1) else {
            break;
        };
        let text_end = page[text_start..]
            .find('<')
            .map_or(page.len(), |i| text_start + i);
        out.push_str(&page[done..text_start]);
        match texts
            .get(&page[key_start..key_end])
            .and_then(serde_json::Value::as_str)
        {
            Some(text) => out.push_str(&escape_html(text)),
            None => out.push_str(&page[text_start..text_end]),
        }
        done = text_end;
    }
    out.push_str(&page[done..]);
    Cow::Owned(out)
}

/// Where the page's `<html ...>` tag starts and ends, and the language it
/// names ("ug", "zh", "en").
fn html_tag(html: &str) -> Option<(usize, usize, &str)> {
    let start = html.find("<html")?;
    let end = start + html[start..].find('>')? + 1;
    let (_, lang) = html[start..end].split_once("lang=\"")?;
    let lang = lang.split(['"', '-']).next()?;
    Some((start, end, lang))
}

/// The app's language for the shell: the first of `Accept-Language` it
/// speaks ("ug", "zh", "en"), chosen as the app chooses from the browser's
/// languages.
fn shell_locale(accept_language: &str) -> Option<&'static str> {
    bazar_api::Lang::negotiate(bazar_api::catalog::accept_language(accept_language))
        .map(bazar_api::Lang::code)
}

/// `text` for an element's content.
fn escape_html(text: &str) -> String {
    html_escape::encode_text(text).into_owned()
}

/// `text` for an attribute's value between double quotes (quotes escaped too).
fn escape_attribute(text: &str) -> String {
    html_escape::encode_double_quoted_attribute(text).into_owned()
}

/// The id of a product page's path (`/product/12`).
fn product_id(path: &str) -> Option<i64> {
    path.strip_prefix("/product/")?
        .trim_end_matches('/')
        .parse()
        .ok()
        .filter(|id| *id > 0)
}

/// The live product a product page shows, if the database answers at once.
async fn shown_product(store: &crate::Store, id: i64) -> Option<bazar_api::Product> {
    let lookup = store.live_product(id, crate::store::current_week());
    match tokio::time::timeout(std::time::Duration::from_secs(2), lookup).await {
        Ok(Ok(product)) => product,
        Ok(Err(e)) => {
            tracing::warn!(error = %e, id, "the product page's shell goes without its product");
            None
        }
        Err(_) => None,
    }
}

/// The texts of the shell, by language: the JSON of the page's
/// `<script type="application/json" id="shell-texts">`.
fn shell_texts(html: &str) -> Option<serde_json::Value> {
    let (_, rest) = html.split_once(r#"<script type="application/json" id="shell-texts">"#)?;
    let (json, _) = rest.split_once("</script>")?;
    serde_json::from_str(json).ok()
}

/// A product page's shell: its back link, picture and name where the app
/// puts them, so the picture (the page's largest content) paints before the
/// app arrives and the app mounts over it without a shift.
fn product_shell(
    html: &str,
    texts: Option<&serde_json::Value>,
    product: &bazar_api::Product,
    accept_language: Option<&str>,
) -> Option<String> {
    const MAIN: &str = "<main class=\"page\" aria-busy=\"true\">";
    let locale = accept_language.and_then(shell_locale).unwrap_or("zh");
    let back = texts?.get(locale)?.get("back")?.as_str()?;
    let lang = bazar_api::Lang::from_tag(locale)?;
    let start = html.find(MAIN)?;
    let end = start + html[start..].find("</main>")? + "</main>".len();
    // Every language's name, for the page's script to switch to a language
    // chosen in the app.
    let names: serde_json::Map<String, serde_json::Value> = bazar_api::Lang::ALL
        .into_iter()
        .map(|l| (l.code().to_string(), product.names.get(l).into()))
        .collect();
    let names = serde_json::Value::Object(names).to_string();
    Some(format!(
        "{before}{MAIN}<a href=\"/shop\" class=\"back-link\"><span class=\"arrow-back\" aria-hidden=\"true\">←</span><span data-t=\"back\">{back}</span></a>\
         <article class=\"product-detail\"><img class=\"product-hero\" src=\"{image}\" width=\"320\" height=\"240\" alt=\"\" />\
         <h1 class=\"product-title\" data-names=\"{names}\">{name}</h1></article></main>{after}",
        before = &html[..start],
        back = escape_html(back),
        image = escape_attribute(&product.image),
        names = escape_attribute(&names),
        name = escape_html(product.names.get(lang)),
        after = &html[end..],
    ))
}

/// An app's index.html and its shell texts, as last read: read and parsed
/// again only when the file changes (a new release).
#[derive(Clone)]
struct Page {
    modified: std::time::SystemTime,
    html: Arc<str>,
    texts: Option<Arc<serde_json::Value>>,
}

/// The apps' pages, by path.
#[derive(Clone, Default)]
struct Pages(Arc<Mutex<HashMap<PathBuf, Page>>>);

impl Pages {
    async fn get(&self, path: &Path) -> std::io::Result<Page> {
        let modified = tokio::fs::metadata(path).await?.modified()?;
        let cached = self.0.lock().expect("the page cache").get(path).cloned();
        if let Some(page) = cached.filter(|page| page.modified == modified) {
            return Ok(page);
        }
        let html: Arc<str> = tokio::fs::read_to_string(path).await?.into();
        let texts = shell_texts(&html).map(Arc::new);
        let page = Page {
            modified,
            html,
            texts,
        };
        self.0
            .lock()
            .expect("the page cache")
            .insert(path.to_path_buf(), page.clone());
        Ok(page)
    }
}

async fn index_html(
    pages: &Pages,
    dist: &Path,
    frameable: bool,
    accept_language: Option<&str>,
    product: Option<&bazar_api::Product>,
) -> Response<Body> {
    match pages.get(&dist.join("index.html")).await {
        Ok(page) => {
            let texts = page.texts.as_deref();
            let html = match product.and_then(|p| product_shell(&page.html, texts, p, accept_language)) {
                Some(shell) => std::borrow::Cow::Owned(shell),
                None => std::borrow::Cow::Borrowed(&*page.html),
            };
            let html = localize_shell(&html, texts, accept_language);
            let nonce = crate::store::random_token();
            let csp = HeaderValue::from_str(&content_security_policy(&nonce, frameable))
                .expect("the policy is ASCII");
            let mut response = (
                [
                    (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                    (header::CACHE_CONTROL, NO_CACHE),
                    (header::VARY, "accept-language"),
                ],
                add_nonce(&html, &nonce),
            )
                .into_response();
            response
                .headers_mut()
                .insert(header::CONTENT_SECURITY_POLICY, csp);
            response.headers_mut().insert(
                header::X_FRAME_OPTIONS,
                HeaderValue::from_static(if frameable { "SAMEORIGIN" } else { "DENY" }),
            );
            response
        }
        Err(e) => {
            tracing::error!(error = %e, dist = %dist.display(), "the app is not built: no index.html");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                [(header::CACHE_CONTROL, NO_CACHE)],
                "The app is not built yet: run `make run`.",
            )
                .into_response()
        }
    }
}

fn not_found() -> Response<Body> {
    (
        StatusCode::NOT_FOUND,
        [(header::CACHE_CONTROL, NO_CACHE)],
        "Not found",
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_attributes_are_escaped_for_where_they_go() {
        assert_eq!(escape_html("<b>A & B</b>"), "&lt;b&gt;A &amp; B&lt;/b&gt;");
        let attribute = escape_attribute(r#"x" onerror="alert(1)"#);
        assert!(!attribute.contains('"'), "{attribute}");
        assert_eq!(escape_attribute("/uploads/a.jpg"), "/uploads/a.jpg");
    }

    #[test]
    fn inline_scripts_get_the_nonce() {
        let html = "<head><script type=\"module\">init()</script></head>";
        assert_eq!(
            add_nonce(html, "abc"),
            "<head><script type=\"module\" nonce=\"abc\">init()</script></head>"
        );
        assert!(
            content_security_policy("abc", false)
                .contains("script-src 'self' 'wasm-unsafe-eval' 'nonce-abc'")
        );
        assert!(content_security_policy("abc", false).ends_with("frame-ancestors 'none'"));
        assert!(content_security_policy("abc", true).ends_with("frame-ancestors 'self'"));
    }

    #[test]
    fn the_shell_speaks_the_first_language_the_shop_speaks() {
        assert_eq!(shell_locale("ug-CN,ug;q=0.9,zh-CN;q=0.8"), Some("ug"));
        assert_eq!(shell_locale("en-US,en;q=0.9"), Some("en"));
        assert_eq!(shell_locale("fr-FR, en;q=0.5"), Some("en"));
        assert_eq!(shell_locale("zh-CN,zh;q=0.9,en;q=0.8"), Some("zh"));
        assert_eq!(shell_locale("en;q=0.2, ug;q=0.8"), Some("ug"));
        assert_eq!(shell_locale("ug;q=0, en"), Some("en"));
        assert_eq!(shell_locale("fr, de"), None);
        assert_eq!(shell_locale(""), None);

        let localize = |page, accept_language| {
            localize_shell(page, shell_texts(page).as_ref(), accept_language).into_owned()
        };
        let page = "<html lang=\"zh-Hans\" dir=\"ltr\"><p data-t=\"promise\">中文</p>\
                    <span class=\"x\" data-t=\"kind_eggs\">鸡蛋</span><i data-t=\"other\">留</i>\
                    <script type=\"application/json\" id=\"shell-texts\">{\"ug\":{\"promise\":\"ئا <b>\",\"kind_eggs\":\"تۇخۇم\"}}</script>";
        assert_eq!(localize(page, Some("zh-CN")), page, "Chinese is the page's own");
        assert_eq!(localize(page, None), page);
        let ug = localize(page, Some("ug"));
        assert!(ug.starts_with("<html lang=\"ug\" dir=\"rtl\">"), "{ug}");
        assert!(
            ug.contains("<p data-t=\"promise\">ئا &lt;b&gt;</p>"),
            "escaped: {ug}"
        );
        assert!(ug.contains("data-t=\"kind_eggs\">تۇخۇم</span>"), "{ug}");
        assert!(
            ug.contains("data-t=\"other\">留</i>"),
            "a key without a text keeps its own"
        );
        assert_eq!(localize(page, Some("en")), page, "no English texts in this page");
        let plain = "<html lang=\"zh-Hans\" dir=\"ltr\"><p>center</p>";
        assert_eq!(localize(plain, Some("ug")), plain, "pages without shell texts");
        let seller = "<!DOCTYPE html>\n<html lang=\"ug\" dir=\"rtl\"><span data-t=\"title\">بازار</span>\
                      <script type=\"application/json\" id=\"shell-texts\">{\"zh\":{\"title\":\"巴扎\"}}</script>";
        assert_eq!(
            localize(seller, Some("ug,zh;q=0.5")),
            seller,
            "Uyghur is this page's own"
        );
        let zh = localize(seller, Some("zh-CN"));
        assert!(
            zh.starts_with(
                "<!DOCTYPE html>\n<html lang=\"zh-Hans\" dir=\"ltr\"><span data-t=\"title\">巴扎</span>"
            ),
            "{zh}"
        );
    }

    /// A page is read and its texts parsed once per release: the same page
    /// while the file stays, the new one as soon as it changes.
    #[tokio::test]
    async fn pages_are_read_again_only_when_their_file_changes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("index.html");
        let write = |html: &str, secs: u64| {
            std::fs::write(&path, html).unwrap();
            let file = std::fs::File::options().write(true).open(&path).unwrap();
            file.set_modified(std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs))
                .unwrap();
        };
        let texts = "<script type=\"application/json\" id=\"shell-texts\">{\"en\":{\"a\":\"A\"}}</script>";
        write(&format!("<p>one</p>{texts}"), 1_000);
        let pages = Pages::default();
        let first = pages.get(&path).await.unwrap();
        assert_eq!(first.texts.as_deref().unwrap()["en"]["a"], "A");
        let again = pages.get(&path).await.unwrap();
        assert!(Arc::ptr_eq(&first.html, &again.html), "not read again");
        write("<p>two</p>", 2_000);
        let new = pages.get(&path).await.unwrap();
        assert_eq!(&*new.html, "<p>two</p>");
        assert!(new.texts.is_none());
        std::fs::remove_file(&path).unwrap();
        assert!(pages.get(&path).await.is_err(), "a missing page is an error");
    }

    #[test]
    fn recognises_trunk_hashed_files() {
        assert!(is_hashed_asset("/bazar-0123456789abcdef_bg.wasm"));
        assert!(is_hashed_asset("/bazar-0123456789abcdef.js"));
        assert!(is_hashed_asset("/main-fedcba9876543210.css"));
        assert!(is_hashed_asset("/center/center-f078b188e135dbf_bg.wasm"));
        assert!(!is_hashed_asset("/img/logo.svg"));
        assert!(!is_hashed_asset("/fonts/naskh-ug.woff2"));
        assert!(!is_hashed_asset("/dried-fruit-1.svg"));
    }
}
