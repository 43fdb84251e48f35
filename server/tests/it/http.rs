//! The server over HTTP: the contract routes, the static files and their
//! cache headers, and the JSON errors.

use std::io::Read;

use crate::common::TestServer;
use bazar_api::{ApiError, ErrorCode, Health, Product, ProductDetail, ProductKind};
use reqwest::StatusCode;

#[tokio::test]
async fn health_answers_ok() {
    let server = TestServer::start().await;
    let response = server.get("/api/health").await;
    assert_eq!(response.status(), StatusCode::OK);
    let health: Health = response.json().await.unwrap();
    assert_eq!(health.status, "ok");
    server.stop().await;
}

#[tokio::test]
async fn lists_the_seeded_demo_hub() {
    let server = TestServer::start().await;
    let products: Vec<Product> = server.get("/api/products").await.json().await.unwrap();
    assert!(products.len() >= 20, "only {} products", products.len());
    for kind in [
        ProductKind::Nang,
        ProductKind::Eggs,
        ProductKind::Honey,
        ProductKind::Quilt,
        ProductKind::DriedFruit,
    ] {
        assert!(products.iter().any(|p| p.kind == kind), "no {kind:?}");
    }
    let families: std::collections::HashSet<i64> = products.iter().map(|p| p.family.id).collect();
    assert!((10..=15).contains(&families.len()), "{} families", families.len());
    for p in &products {
        assert!(p.price_fen.0 > 0);
        assert!(!p.names.ug.is_empty() && !p.names.zh.is_empty() && !p.names.en.is_empty());
        assert!(!p.family.names.ug.is_empty());
        assert!(p.image.starts_with("/img/"));
    }
    server.stop().await;
}

#[tokio::test]
async fn filters_by_kind_family_and_text() {
    let server = TestServer::start().await;
    let eggs: Vec<Product> = server.get("/api/products?kind=eggs").await.json().await.unwrap();
    assert!(!eggs.is_empty());
    assert!(eggs.iter().all(|p| p.kind == ProductKind::Eggs));

    let family = eggs[0].family.id;
    let theirs: Vec<Product> = server
        .get(&format!("/api/products?family={family}"))
        .await
        .json()
        .await
        .unwrap();
    assert!(theirs.iter().all(|p| p.family.id == family));
    assert!(theirs.iter().any(|p| p.id == eggs[0].id));

    let needle = eggs[0].names.zh.chars().take(2).collect::<String>();
    let found = search(&server, &needle).await;
    assert!(
        found.iter().any(|p| p.id == eggs[0].id),
        "{needle} did not find {}",
        eggs[0].names.zh
    );

    // Latin names are found whatever their case, on either database.
    let shouted = eggs[0].names.en.to_uppercase();
    let found = search(&server, &shouted).await;
    assert!(
        found.iter().any(|p| p.id == eggs[0].id),
        "{shouted} did not find {}",
        eggs[0].names.en
    );

    let none: Vec<Product> = server
        .get("/api/products?q=%25%25nothing%25")
        .await
        .json()
        .await
        .unwrap();
    assert!(none.is_empty());
    server.stop().await;
}

#[tokio::test]
async fn one_product_comes_with_its_family() {
    let server = TestServer::start().await;
    let products: Vec<Product> = server.get("/api/products").await.json().await.unwrap();
    let first = &products[0];
    let detail: ProductDetail = server
        .get(&format!("/api/products/{}", first.id))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(&detail.product, first);
    assert_eq!(detail.family.id, first.family.id);
    assert!(!detail.family.story.zh.is_empty());
    server.stop().await;
}

#[tokio::test]
async fn errors_are_json_with_a_stable_code() {
    let server = TestServer::start().await;
    let long_search = format!("/api/products?q={}", "蛋".repeat(101));
    for (path, status, code) in [
        ("/api/products/999999", StatusCode::NOT_FOUND, ErrorCode::NotFound),
        (
            "/api/products/abc",
            StatusCode::BAD_REQUEST,
            ErrorCode::BadRequest,
        ),
        (
            "/api/products?kind=cheese",
            StatusCode::BAD_REQUEST,
            ErrorCode::BadRequest,
        ),
        (
            "/api/products?family=x",
            StatusCode::BAD_REQUEST,
            ErrorCode::BadRequest,
        ),
        ("/api/nothing-here", StatusCode::NOT_FOUND, ErrorCode::NotFound),
        (
            long_search.as_str(),
            StatusCode::BAD_REQUEST,
            ErrorCode::BadRequest,
        ),
    ] {
        let response = server.get(path).await;
        assert_eq!(response.status(), status, "{path}");
        let body: ApiError = response.json().await.unwrap();
        assert_eq!(body.error.code, code, "{path}");
    }
    server.stop().await;
}

#[tokio::test]
async fn openapi_describes_every_route() {
    let server = TestServer::start().await;
    let doc: serde_json::Value = server.get("/api/openapi.json").await.json().await.unwrap();
    let paths = doc["paths"].as_object().unwrap();
    for path in [
        "/api/health",
        "/api/products",
        "/api/products/{id}",
        "/api/openapi.json",
    ] {
        assert!(
            paths.contains_key(path),
            "{path} missing from the OpenAPI document"
        );
    }
    assert!(doc["components"]["schemas"]["Product"].is_object());
    server.stop().await;
}

#[tokio::test]
async fn deep_links_return_the_app_and_assets_are_cached() {
    let server = TestServer::start().await;
    for path in ["/", "/product/12", "/family/3", "/trace/ABCD2345"] {
        let response = server.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(response.headers()["cache-control"], "no-cache", "{path}");
        assert!(
            response.text().await.unwrap().contains("<div id=\"app\">"),
            "{path}"
        );
    }
    let wasm = server.get("/bazar-0123456789abcdef_bg.wasm").await;
    assert_eq!(wasm.status(), StatusCode::OK);
    assert_eq!(
        wasm.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(wasm.headers()["content-type"], "application/wasm");

    let logo = server.get("/img/logo.svg").await;
    assert_eq!(logo.status(), StatusCode::OK);
    assert_eq!(logo.headers()["cache-control"], "public, max-age=3600");

    assert_eq!(
        server.get("/img/missing.svg").await.status(),
        StatusCode::NOT_FOUND
    );
    server.stop().await;
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let server = TestServer::start().await;
    let page = server.get("/product/3").await;
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("a nonce in the policy")
        .to_string();
    assert!(nonce.len() >= 32);
    for part in [
        "object-src 'none'",
        "frame-ancestors 'none'",
        "connect-src 'self'",
        "'wasm-unsafe-eval'",
    ] {
        assert!(csp.contains(part), "{part} missing from {csp}");
    }
    let second = server.get("/").await;
    assert!(
        !second.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains(&nonce),
        "a nonce per response"
    );

    assert!(
        !page.headers().contains_key("strict-transport-security"),
        "plain HTTP gets no HSTS"
    );
    for path in ["/", "/api/products", "/api/zones"] {
        let behind_tls = server
            .client
            .get(server.url(path))
            .header("x-forwarded-proto", "https")
            .send()
            .await
            .unwrap();
        assert_eq!(
            behind_tls.headers()["strict-transport-security"],
            "max-age=31536000; includeSubDomains",
            "{path}"
        );
    }

    for path in ["/", "/api/products", "/img/logo.svg", "/api/nothing"] {
        let response = server.get(path).await;
        let headers = response.headers();
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["referrer-policy"], "no-referrer", "{path}");
        assert_eq!(headers["x-frame-options"], "DENY", "{path}");
        assert!(headers.contains_key("content-security-policy"), "{path}");
    }
    server.stop().await;
}

/// The static shell comes in the reader's language, and a product page's
/// shell already holds the product's picture and name where the app puts them.
#[tokio::test]
async fn the_static_shell_is_in_the_readers_language_and_shows_the_product() {
    let server = TestServer::start().await;
    let page = |path: String, language: &'static str| {
        let request = server
            .client
            .get(server.url(&path))
            .header("accept-language", language);
        async move {
            let response = request.send().await.unwrap();
            assert_eq!(response.status(), StatusCode::OK);
            assert_eq!(response.headers()["vary"], "accept-language");
            response.text().await.unwrap()
        }
    };
    let zh = page("/".into(), "zh-CN,zh;q=0.9").await;
    assert!(zh.contains("<html lang=\"zh-Hans\" dir=\"ltr\">"));
    assert!(zh.contains("data-t=\"promise\">农户自家吃的食物"));
    let ug = page("/".into(), "ug-CN,ug;q=0.9,zh-CN;q=0.8").await;
    assert!(ug.contains("<html lang=\"ug\" dir=\"rtl\">"));
    assert!(ug.contains("data-t=\"promise\">ئائىلىلەر ئۆزى يەيدىغان يېمەكلىك"));
    assert!(ug.contains("data-t=\"kind_eggs\">تۇخۇم<"));
    let en = page("/".into(), "en-US,en;q=0.9").await;
    assert!(en.contains("data-t=\"kinds_title\">What would you like?<"));

    let product: ProductDetail = server.get("/api/products/1").await.json().await.unwrap();
    let shell = page("/product/1".into(), "ug-CN").await;
    let hero = format!(
        "<img class=\"product-hero\" src=\"{}\" width=\"320\" height=\"240\" alt=\"\" />",
        product.product.image
    );
    assert!(shell.contains(&hero), "{shell}");
    let names = format!(
        "{{&quot;en&quot;:&quot;{}&quot;,&quot;ug&quot;:&quot;{}&quot;,&quot;zh&quot;:&quot;{}&quot;}}",
        product.product.names.en, product.product.names.ug, product.product.names.zh
    );
    let title = format!(
        "<h1 class=\"product-title\" data-names=\"{names}\">{}</h1>",
        product.product.names.ug
    );
    assert!(shell.contains(&title), "{shell}");
    assert!(shell.contains("class=\"back-link\""));
    assert!(shell.contains("<span data-t=\"back\">قايتىش</span>"), "{shell}");
    assert!(
        !shell.contains("data-t=\"promise\""),
        "the home page's shell is replaced"
    );
    let zh = page("/product/1".into(), "zh-CN").await;
    assert!(zh.contains(&format!(
        "<h1 class=\"product-title\" data-names=\"{names}\">{}</h1>",
        product.product.names.zh
    )));
    // Not a live product: the home page's shell, as for any other route.
    let missing = page("/product/999999".into(), "zh-CN").await;
    assert!(missing.contains("data-t=\"promise\""));
    assert!(!missing.contains("product-hero"));
    server.stop().await;
}

#[tokio::test]
async fn precompressed_assets_are_sent_as_they_are() {
    let server = TestServer::start().await;
    let response = server
        .client
        .get(server.url("/bazar-0123456789abcdef_bg.wasm"))
        .header("accept-encoding", "br, gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-encoding"], "br");
    assert_eq!(response.headers()["content-type"], "application/wasm");
    assert_eq!(
        response.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(response.bytes().await.unwrap().as_ref(), b"brotli bytes");
    server.stop().await;
}

#[tokio::test]
async fn json_is_compressed_when_asked() {
    let server = TestServer::start().await;
    let fetch = |path: &'static str, accept: &'static str| {
        let request = server
            .client
            .get(server.url(path))
            .header("accept-encoding", accept);
        async move {
            let response = request.send().await.unwrap();
            assert_eq!(response.status(), StatusCode::OK, "{path}");
            let encoding = response
                .headers()
                .get("content-encoding")
                .map(|v| v.to_str().unwrap().to_string());
            let vary = response
                .headers()
                .get("vary")
                .map(|v| v.to_str().unwrap().to_string());
            (encoding, vary, response.bytes().await.unwrap().to_vec())
        }
    };
    let decode = |encoding: Option<&str>, body: &[u8]| -> Vec<u8> {
        let mut out = Vec::new();
        match encoding {
            Some("br") => brotli::Decompressor::new(body, 4096)
                .read_to_end(&mut out)
                .unwrap(),
            Some("gzip") => flate2::read::GzDecoder::new(body).read_to_end(&mut out).unwrap(),
            None => return body.to_vec(),
            Some(other) => panic!("unexpected encoding {other}"),
        };
        out
    };
    // The catalog (from memory, twice so the second is the cached copy), a
    // filtered catalog and another route: each decodes to the plain answer.
    for path in [
        "/api/products",
        "/api/products",
        "/api/products?kind=eggs",
        "/api/zones",
    ] {
        let (none, _, plain) = fetch(path, "identity").await;
        assert_eq!(none, None, "{path}");
        let plain: serde_json::Value = serde_json::from_slice(&plain).unwrap();
        for (accept, expected) in [("gzip", "gzip"), ("gzip, deflate, br", "br")] {
            let (encoding, vary, body) = fetch(path, accept).await;
            assert_eq!(encoding.as_deref(), Some(expected), "{path} {accept}");
            assert!(
                vary.unwrap_or_default().contains("accept-encoding"),
                "{path} varies"
            );
            let decoded: serde_json::Value =
                serde_json::from_slice(&decode(encoding.as_deref(), &body)).unwrap();
            assert_eq!(decoded, plain, "{path} {accept}");
        }
    }
    server.stop().await;
}

/// A real township starts on an empty database (`BAZAR_DEMO=off`, or
/// `--no-demo`): the shop serves with nothing in it, a restart adds no demo
/// hub, and the server's command line won't make staff of a hub that isn't.
#[tokio::test]
async fn a_real_township_starts_on_an_empty_database() {
    let server = TestServer::start_empty(crate::common::Data::new().await).await;
    assert_eq!(server.get("/api/health").await.status(), 200);
    assert_eq!(server.get("/").await.status(), 200);
    let products: Vec<Product> = server.get("/api/products").await.json().await.unwrap();
    assert!(products.is_empty(), "{products:?}");
    let zones: Vec<bazar_api::Zone> = server.get("/api/zones").await.json().await.unwrap();
    assert!(zones.is_empty(), "{zones:?}");
    let data = server.stop().await;

    // The URL itself: its display hides a password.
    let db = match &data.db {
        bazar_server::store::Location::Postgres(url) => url.clone(),
        bazar_server::store::Location::Sqlite(path) => path.display().to_string(),
    };
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_bazar-server"))
        .args(["--db", &db, "--no-demo", "create-account", "--role", "operator"])
        .args(["--hub", "yultuz-bagh", "--username", "first.ops"])
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(said.contains("no hub \"yultuz-bagh\""), "{said}");

    let again = TestServer::start_empty(data).await;
    let products: Vec<Product> = again.get("/api/products").await.json().await.unwrap();
    assert!(products.is_empty(), "still empty after a restart");
    again.stop().await;
}

#[tokio::test]
async fn the_database_runs_in_wal_mode_and_seeds_once() {
    let server = TestServer::start().await;
    let before: Vec<Product> = server.get("/api/products").await.json().await.unwrap();
    let data = server.stop().await;

    if let bazar_server::store::Location::Sqlite(db) = &data.db {
        // Bytes 18 and 19 of an SQLite file are 2 once it is in WAL mode.
        let header = std::fs::read(db).unwrap();
        assert_eq!((header[18], header[19]), (2, 2), "not in WAL mode");
    }

    // A restart on the same database neither seeds again nor loses anything.
    let again = TestServer::start_in(data).await;
    let after: Vec<Product> = again.get("/api/products").await.json().await.unwrap();
    assert_eq!(before, after);
    again.stop().await;
}

/// The limits `/api/openapi.json` documents are the rules' own (a client
/// generated from the document must not be told another number).
#[tokio::test]
async fn the_documented_limits_are_the_rules_limits() {
    use bazar_api::order::{MAX_ADDRESS, MAX_LINES, MAX_NAME, MAX_QUANTITY};
    let server = TestServer::start().await;
    let doc: serde_json::Value = server.get("/api/openapi.json").await.json().await.unwrap();
    let limit = |schema: &str, field: &str, key: &str| {
        doc["components"]["schemas"][schema]["properties"][field][key]
            .as_f64()
            .unwrap_or_else(|| panic!("{schema}.{field} documents no {key}"))
    };
    assert_eq!(limit("OrderRequest", "lines", "maxItems"), MAX_LINES as f64);
    assert_eq!(
        limit("LineRequest", "quantity", "maximum"),
        f64::from(MAX_QUANTITY)
    );
    assert_eq!(limit("Customer", "name", "maxLength"), MAX_NAME as f64);
    assert_eq!(limit("Customer", "address", "maxLength"), MAX_ADDRESS as f64);
    server.stop().await;
}

/// The shop's search for `text`.
async fn search(server: &TestServer, text: &str) -> Vec<Product> {
    server
        .client
        .get(server.url("/api/products"))
        .query(&[("q", text)])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}
