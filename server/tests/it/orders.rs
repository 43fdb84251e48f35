//! Placing orders over HTTP: exactly once per key, never more than there is,
//! and a clear 4xx for every bad request.

use std::collections::HashSet;

use crate::common::{TestServer, new_key};
use bazar_api::{ApiError, ErrorCode, OrderStatus, PlacedOrder, Product, ProductKind, Trace, Tracking, Zone};
use reqwest::StatusCode;
use serde_json::{Value, json};

fn order_body(product_id: i64, quantity: u32) -> Value {
    json!({
        "customer": {"name": "王小明", "phone": crate::common::new_phone(), "address": "北京市朝阳区幸福路1号", "zone": "beijing"},
        "lines": [{"product_id": product_id, "quantity": quantity}],
        "payment": "on_delivery"
    })
}

async fn post_order(server: &TestServer, key: &str, body: &Value) -> reqwest::Response {
    server
        .client
        .post(server.url("/api/orders"))
        .header("idempotency-key", key)
        .json(body)
        .send()
        .await
        .unwrap()
}

async fn products(server: &TestServer) -> Vec<Product> {
    server.get("/api/products").await.json().await.unwrap()
}

/// The seeded eggs with exactly ten left.
async fn last_ten_eggs(server: &TestServer) -> Product {
    products(server)
        .await
        .into_iter()
        .find(|p| p.kind == ProductKind::Eggs && p.available == 10)
        .expect("the demo hub has eggs with 10 left")
}

#[tokio::test]
async fn an_order_is_placed_and_tracked_with_its_families() {
    let server = TestServer::start().await;
    let zones: Vec<Zone> = server.get("/api/zones").await.json().await.unwrap();
    let beijing = zones
        .iter()
        .find(|z| z.code == "beijing")
        .expect("a Beijing zone");
    let all = products(&server).await;
    let (a, b) = (&all[0], &all[3]);
    let body = json!({
        "customer": {"name": "李华", "phone": "+86 139-0000-0000", "address": "上海市浦东新区", "zone": "beijing"},
        "lines": [{"product_id": a.id, "quantity": 2}, {"product_id": b.id, "quantity": 1}],
        "payment": "bank_transfer"
    });
    let response = post_order(&server, &new_key(), &body).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let placed: PlacedOrder = response.json().await.unwrap();
    let subtotal = a.price_fen.0 * 2 + b.price_fen.0;
    assert_eq!(placed.subtotal_fen.0, subtotal);
    assert_eq!(placed.shipping_fen, beijing.shipping_fen);
    assert_eq!(placed.total_fen.0, subtotal + beijing.shipping_fen.0);
    assert!(placed.code.starts_with("BZ-"));
    let pay_to = placed.pay_to.as_ref().expect("a transfer says where to send it");
    assert_eq!(pay_to.reference, placed.code);
    assert!(!pay_to.account.is_empty() && !pay_to.payee.is_empty());
    assert_eq!(placed.tracking_token.len(), 32, "128 bits as hex");

    let tracking: Tracking = server
        .get(&format!("/api/orders/track/{}", placed.tracking_token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(tracking.code, placed.code);
    assert_eq!(tracking.status, OrderStatus::Placed);
    assert_eq!(tracking.events.len(), 1);
    assert_eq!(tracking.lines.len(), 2);
    assert_eq!(tracking.lines[0].family_id, a.family.id);
    assert_eq!(tracking.lines[0].family_names, a.family.names);
    assert_eq!(tracking.total_fen, placed.total_fen);

    let after = products(&server).await;
    let left = |id| after.iter().find(|p| p.id == id).unwrap().available;
    assert_eq!(left(a.id), a.available - 2);
    assert_eq!(left(b.id), b.available - 1);

    assert_eq!(
        server
            .get("/api/orders/track/0123456789abcdef0123456789abcdef")
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    server.stop().await;
}

#[tokio::test]
async fn a_hundred_buyers_for_the_last_ten_eggs() {
    let server = std::sync::Arc::new(TestServer::start_unlimited().await);
    let eggs = last_ten_eggs(&server).await;
    let mut tasks = Vec::new();
    for _ in 0..100 {
        let server = server.clone();
        tasks.push(tokio::spawn(async move {
            post_order(&server, &new_key(), &order_body(eggs.id, 1))
                .await
                .status()
        }));
    }
    let mut placed = 0;
    let mut sold_out = 0;
    for task in tasks {
        match task.await.unwrap() {
            StatusCode::CREATED => placed += 1,
            StatusCode::CONFLICT => sold_out += 1,
            other => panic!("unexpected {other}"),
        }
    }
    assert_eq!((placed, sold_out), (10, 90));
    let after = products(&server).await;
    assert_eq!(after.iter().find(|p| p.id == eggs.id).unwrap().available, 0);

    let response = post_order(&server, &new_key(), &order_body(eggs.id, 1)).await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let error: ApiError = response.json().await.unwrap();
    assert_eq!(error.error.code, ErrorCode::SoldOut);
    assert_eq!(error.error.fields[0].field, "lines[0]");
    assert_eq!(error.error.sold_out[0].available, 0);
    std::sync::Arc::into_inner(server).unwrap().stop().await;
}

#[tokio::test]
async fn one_key_sent_twenty_times_at_once_makes_one_order() {
    let server = std::sync::Arc::new(TestServer::start().await);
    let eggs = last_ten_eggs(&server).await;
    let key = new_key();
    // One customer's body, sent twenty times.
    let body = order_body(eggs.id, 3);
    let mut tasks = Vec::new();
    for _ in 0..20 {
        let (server, key, body) = (server.clone(), key.clone(), body.clone());
        tasks.push(tokio::spawn(async move {
            let response = post_order(&server, &key, &body).await;
            (response.status(), response.text().await.unwrap())
        }));
    }
    let mut bodies = HashSet::new();
    for task in tasks {
        let (status, body) = task.await.unwrap();
        assert_eq!(status, StatusCode::CREATED);
        bodies.insert(body);
    }
    assert_eq!(bodies.len(), 1, "every replay is the identical body");
    let after = products(&server).await;
    assert_eq!(
        after.iter().find(|p| p.id == eggs.id).unwrap().available,
        7,
        "taken once"
    );
    std::sync::Arc::into_inner(server).unwrap().stop().await;
}

#[tokio::test]
async fn a_replay_returns_the_first_answer_and_another_body_is_refused() {
    let server = TestServer::start().await;
    let eggs = last_ten_eggs(&server).await;
    let key = new_key();
    let body = order_body(eggs.id, 2);
    let first = post_order(&server, &key, &body).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let first = first.text().await.unwrap();
    let again = post_order(&server, &key, &body).await;
    assert_eq!(again.status(), StatusCode::CREATED);
    assert_eq!(again.text().await.unwrap(), first);

    let other = post_order(&server, &key, &order_body(eggs.id, 3)).await;
    assert_eq!(other.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let error: ApiError = other.json().await.unwrap();
    assert_eq!(error.error.code, ErrorCode::IdempotencyMismatch);
    let after = products(&server).await;
    assert_eq!(after.iter().find(|p| p.id == eggs.id).unwrap().available, 8);
    server.stop().await;
}

#[tokio::test]
async fn bad_requests_get_a_4xx_json_error_never_a_5xx() {
    let server = TestServer::start_unlimited().await;
    let eggs = last_ten_eggs(&server).await;
    let good = order_body(eggs.id, 1);
    let with = |path: &[&str], value: Value| {
        let mut body = good.clone();
        let mut slot = &mut body;
        for p in path {
            slot = match p.parse::<usize>() {
                Ok(i) => &mut slot[i],
                Err(_) => &mut slot[*p],
            };
        }
        *slot = value;
        body
    };
    let cases: Vec<(Value, StatusCode, ErrorCode, Option<&str>)> = vec![
        (
            with(&["customer", "phone"], json!("12345")),
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::Validation,
            Some("customer.phone"),
        ),
        (
            with(&["customer", "name"], json!("")),
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::Validation,
            Some("customer.name"),
        ),
        (
            with(&["customer", "name"], json!("a\u{202E}b")),
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::Validation,
            Some("customer.name"),
        ),
        (
            with(&["customer", "address"], json!("x".repeat(5000))),
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::Validation,
            Some("customer.address"),
        ),
        (
            with(&["customer", "zone"], json!("atlantis")),
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::Validation,
            Some("customer.zone"),
        ),
        (
            with(&["lines", "0", "quantity"], json!(0)),
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::Validation,
            Some("lines[0].quantity"),
        ),
        (
            with(&["lines", "0", "quantity"], json!(-3)),
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::Validation,
            None,
        ),
        (
            with(&["lines", "0", "quantity"], json!(1e30)),
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::Validation,
            None,
        ),
        (
            with(&["lines", "0", "product_id"], json!(987654)),
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::Validation,
            Some("lines[0].product_id"),
        ),
        (
            with(&["lines"], json!([])),
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::Validation,
            Some("lines"),
        ),
        (
            with(&["payment"], json!("bitcoin")),
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::Validation,
            None,
        ),
    ];
    for (body, status, code, field) in cases {
        let response = post_order(&server, &new_key(), &body).await;
        assert_eq!(response.status(), status, "{body}");
        let error: ApiError = response.json().await.unwrap();
        assert_eq!(error.error.code, code, "{body}");
        if let Some(field) = field {
            assert!(
                error.error.fields.iter().any(|f| f.field == field),
                "{body}: {:?}",
                error.error.fields
            );
        }
    }

    // Markup in a name is stored and shown as text, not refused.
    let script = with(&["customer", "name"], json!("<script>alert(1)</script>"));
    assert_eq!(
        post_order(&server, &new_key(), &script).await.status(),
        StatusCode::CREATED
    );

    let raw = |content_type: &'static str, body: Vec<u8>, key: Option<String>| {
        let mut request = server
            .client
            .post(server.url("/api/orders"))
            .header("content-type", content_type)
            .body(body);
        if let Some(key) = key {
            request = request.header("idempotency-key", key);
        }
        request.send()
    };
    let cases = vec![
        (
            raw("application/json", good.to_string().into_bytes(), None)
                .await
                .unwrap(),
            StatusCode::BAD_REQUEST,
            ErrorCode::BadRequest,
        ),
        (
            raw(
                "application/json",
                good.to_string().into_bytes(),
                Some("not-a-uuid".into()),
            )
            .await
            .unwrap(),
            StatusCode::BAD_REQUEST,
            ErrorCode::BadRequest,
        ),
        (
            raw("text/plain", good.to_string().into_bytes(), Some(new_key()))
                .await
                .unwrap(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::UnsupportedMediaType,
        ),
        (
            raw("application/json", b"{\"customer\":".to_vec(), Some(new_key()))
                .await
                .unwrap(),
            StatusCode::BAD_REQUEST,
            ErrorCode::BadRequest,
        ),
        (
            raw("application/json", vec![0xff, 0xfe, 0x7b], Some(new_key()))
                .await
                .unwrap(),
            StatusCode::BAD_REQUEST,
            ErrorCode::BadRequest,
        ),
        (
            raw("application/json", vec![b' '; 200_000], Some(new_key()))
                .await
                .unwrap(),
            StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::PayloadTooLarge,
        ),
    ];
    for (response, status, code) in cases {
        assert_eq!(response.status(), status);
        let error: ApiError = response.json().await.unwrap();
        assert_eq!(error.error.code, code);
    }
    let after = products(&server).await;
    assert_eq!(
        after.iter().find(|p| p.id == eggs.id).unwrap().available,
        9,
        "only the good order took stock"
    );
    server.stop().await;
}

#[tokio::test]
async fn families_zones_and_trace_codes() {
    let server = TestServer::start().await;
    let first = &products(&server).await[0];
    let page: bazar_api::FamilyPage = server
        .get(&format!("/api/families/{}", first.family.id))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page.family.id, first.family.id);
    assert!(page.products.iter().any(|p| p.id == first.id));
    assert!(page.products.iter().all(|p| p.family.id == first.family.id));
    assert_eq!(
        server.get("/api/families/99999").await.status(),
        StatusCode::NOT_FOUND
    );

    let zones: Vec<Zone> = server.get("/api/zones").await.json().await.unwrap();
    assert!(zones.len() >= 8);
    assert!(
        zones
            .iter()
            .all(|z| z.days_min <= z.days_max && !z.names.zh.is_empty())
    );

    let demo: Value = serde_json::from_str(include_str!("../../seed/demo.json")).unwrap();
    let code = demo["batches"][0]["code"].as_str().unwrap();
    let typed = format!("{}-{}", &code[..4], &code[4..]).to_lowercase();
    let trace: Trace = server
        .get(&format!("/api/trace/{typed}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(trace.code, code);
    assert!(!trace.family_names.ug.is_empty());
    assert!(!trace.village.zh.is_empty());
    assert_eq!(
        server.get("/api/trace/ZZZZ2222").await.status(),
        StatusCode::NOT_FOUND
    );
    server.stop().await;
}

#[tokio::test]
async fn order_placement_is_throttled_by_default() {
    let server = TestServer::start().await;
    let products = products(&server).await;
    let plenty = products.iter().max_by_key(|p| p.available).unwrap();
    for _ in 0..30 {
        let response = post_order(&server, &new_key(), &order_body(plenty.id, 1)).await;
        assert_eq!(response.status(), StatusCode::CREATED);
    }
    let refused = post_order(&server, &new_key(), &order_body(plenty.id, 1)).await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(refused.headers().contains_key("retry-after"));
    let after = products_of(&server, plenty.id).await;
    assert_eq!(after, plenty.available - 30, "the refused order took nothing");
    server.stop().await;
}

async fn products_of(server: &TestServer, id: i64) -> i64 {
    products(server)
        .await
        .into_iter()
        .find(|p| p.id == id)
        .unwrap()
        .available
}

#[tokio::test]
async fn trace_lookups_are_throttled_by_default() {
    let server = TestServer::start().await;
    let mut statuses = Vec::new();
    for _ in 0..31 {
        statuses.push(server.get("/api/trace/ZZZZ2222").await);
    }
    let last = statuses.pop().unwrap();
    assert!(statuses.iter().all(|r| r.status() == StatusCode::NOT_FOUND));
    assert_eq!(last.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = last.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait));
    let error: ApiError = last.json().await.unwrap();
    assert_eq!(error.error.code, ErrorCode::TooManyRequests);
    server.stop().await;
}

#[tokio::test]
async fn the_cached_catalog_follows_every_order_and_cancellation() {
    let server = TestServer::start().await;
    let eggs = last_ten_eggs(&server).await;
    let listed = |products: Vec<Product>| products.into_iter().find(|p| p.id == eggs.id).unwrap().available;
    // Twice, so the second answer comes from memory.
    assert_eq!(listed(products(&server).await), 10);
    assert_eq!(listed(products(&server).await), 10);
    let response = post_order(&server, &new_key(), &order_body(eggs.id, 3)).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let placed: PlacedOrder = response.json().await.unwrap();
    assert_eq!(listed(products(&server).await), 7, "the order shows at once");
    let operator = server
        .signed_in("yultuz-bagh", bazar_api::account::Role::Operator, "cache.ops")
        .await;
    let cancel = operator
        .post(
            &format!("/api/center/orders/{}/status", placed.code),
            &json!({"status": "cancelled"}),
        )
        .await;
    assert_eq!(cancel.status(), StatusCode::OK);
    assert_eq!(listed(products(&server).await), 10, "the cancellation too");
    server.stop().await;
}

/// Free shipping from a threshold, set for the hub in one place: what the
/// basket shows (bazar_api's rule, from the zones' answer), the placed
/// order, the stored row and the tracking page agree, below and above it.
#[tokio::test]
async fn shipping_is_one_rule_for_the_basket_the_order_its_row_and_tracking() {
    let server = TestServer::start().await;
    server.sql("UPDATE hub SET free_shipping_from_fen = 5000").await;
    let zones: Vec<bazar_api::Zone> = server.get("/api/zones").await.json().await.unwrap();
    let zone = zones.iter().find(|z| z.code == "beijing").unwrap();
    assert_eq!(zone.free_shipping_from, Some(bazar_api::Fen(5000)));
    assert!(zone.shipping_fen.0 > 0);
    let all = products(&server).await;
    let cheap = all
        .iter()
        .find(|p| p.price_fen.0 < 5000 && p.available > 0)
        .unwrap();
    let dear = all
        .iter()
        .find(|p| p.price_fen.0 >= 5000 && p.available > 0)
        .unwrap();
    for (product, free) in [(cheap, false), (dear, true)] {
        let basket = zone.totals(product.price_fen);
        assert_eq!(basket.shipping == bazar_api::Fen::ZERO, free);
        let placed = server.place("beijing", &[(product.id, 1)]).await;
        let charged = (placed.subtotal_fen, placed.shipping_fen, placed.total_fen);
        assert_eq!(charged, (basket.subtotal, basket.shipping, basket.total));
        let stored = server
            .integers(&format!(
                "SELECT subtotal_fen, shipping_fen, total_fen FROM customer_order WHERE code = '{}'",
                placed.code
            ))
            .await;
        assert_eq!(stored, [basket.subtotal.0, basket.shipping.0, basket.total.0]);
        let tracking: Tracking = server
            .get(&format!("/api/orders/track/{}", placed.tracking_token))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(
            (tracking.subtotal_fen, tracking.shipping_fen, tracking.total_fen),
            charged
        );
    }
    server.stop().await;
}
