//! The app's static files: hashed assets cached for a year, index.html never
//! cached, and every route of the single-page app answered with index.html.

use std::convert::Infallible;
use std::path::Path;

use axum::body::Body;
use axum::http::{HeaderValue, Request, Response, StatusCode, header};
use axum::response::IntoResponse;
use tower::ServiceExt;
use tower::util::BoxCloneSyncService;
use tower_http::services::ServeDir;

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const NO_CACHE: &str = "no-cache";
/// Pictures and fonts keep their names across releases, so they may only be
/// reused for a while.
const SHORT: &str = "public, max-age=3600";

/// The service that answers every path outside /api.
pub fn static_files(dist: &Path) -> BoxCloneSyncService<Request<Body>, Response<Body>, Infallible> {
    let dist = dist.to_path_buf();
    let files = ServeDir::new(&dist)
        .precompressed_br()
        .precompressed_gzip()
        .append_index_html_on_directories(false);
    BoxCloneSyncService::new(tower::service_fn(move |req: Request<Body>| {
        let files = files.clone();
        let dist = dist.clone();
        async move {
            let path = req.uri().path().to_string();
            if is_app_route(&path) {
                let app = app_of(&path);
                // The lecture view shows a learner's screen in a frame of its own.
                let frameable = app == "seller";
                return Ok::<_, Infallible>(index_html(&dist.join(app), frameable).await);
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

/// Paths without a file extension are the app's own routes (/, /product/12).
fn is_app_route(path: &str) -> bool {
    let last = path.rsplit('/').next().unwrap_or("");
    path == "/" || !last.contains('.') || last.ends_with(".html")
}

/// Which app a page belongs to: the folder of dist/ its index.html is in.
/// The service center's and the sellers' apps are built apart from the
/// shop, so customers never download them.
fn app_of(path: &str) -> &'static str {
    let first = path.trim_start_matches('/').split('/').next().unwrap_or("");
    match first {
        "center" => "center",
        "seller" => "seller",
        _ => "",
    }
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

/// Marks every inline script of the page with `nonce`.
fn add_nonce(html: &str, nonce: &str) -> String {
    html.replace(
        "<script type=\"module\">",
        &format!("<script type=\"module\" nonce=\"{nonce}\">"),
    )
}

async fn index_html(dist: &Path, frameable: bool) -> Response<Body> {
    match tokio::fs::read_to_string(dist.join("index.html")).await {
        Ok(html) => {
            let nonce = crate::store::random_token();
            let csp = HeaderValue::from_str(&content_security_policy(&nonce, frameable))
                .expect("the policy is ASCII");
            let mut response = (
                [
                    (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                    (header::CACHE_CONTROL, NO_CACHE),
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
    fn recognises_app_routes() {
        assert!(is_app_route("/"));
        assert!(is_app_route("/product/12"));
        assert!(is_app_route("/family/3/"));
        assert!(is_app_route("/index.html"));
        assert!(!is_app_route("/img/products/nang-1.svg"));
        assert!(!is_app_route("/bazar-0123456789abcdef_bg.wasm"));
    }

    #[test]
    fn each_app_has_its_own_page() {
        assert_eq!(app_of("/"), "");
        assert_eq!(app_of("/product/3"), "");
        assert_eq!(app_of("/center"), "center");
        assert_eq!(app_of("/center/order/BZ-ABCDEFGH"), "center");
        assert_eq!(app_of("/seller"), "seller");
        assert_eq!(app_of("/centers"), "");
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
