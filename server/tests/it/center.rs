//! The service center and the families over HTTP: who may see and change
//! what, sign-in and its throttling, key cards, the order lifecycle from pick
//! list to delivery, and earnings that reconcile with the orders.

use crate::common::{Browser, TestServer};
use bazar_api::account::{Me, Role};
use bazar_api::center::{
    CenterFamily, Earnings, KeyCard, Label, Listing, ListingStatus, OrderDetail, OrderQueue, PickList,
};
use bazar_api::seller::{Money, Prepare};
use bazar_api::{ApiError, ErrorCode, OrderStatus, Product, ProductKind, Trace, Tracking};
use reqwest::StatusCode;
use serde_json::json;

const HUB: &str = "yultuz-bagh";

/// A second hub with one zone, one family and one product (eggs, 100 in stock).
const OTHER_HUB: &str = "
    INSERT INTO hub (slug, name_ug, name_zh, name_en, fee_bp) VALUES ('other-hub', 'باشقا', '别的乡', 'Other hub', 1000);
    INSERT INTO zone (hub_id, code, name_ug, name_zh, name_en, shipping_fen, days_min, days_max)
        SELECT id, 'beijing', 'بېيجىڭ', '北京', 'Beijing', 1500, 3, 5 FROM hub WHERE slug = 'other-hub';
    INSERT INTO family (hub_id, name_ug, name_zh, name_en, village_ug, village_zh, village_en, stamp)
        SELECT id, 'باشقا ئائىلە', '别家', 'Other family', 'كەنت', '别村', 'Other village', 'ZZ' FROM hub WHERE slug = 'other-hub';
    INSERT INTO product (family_id, kind, name_ug, name_zh, name_en, unit_ug, unit_zh, unit_en, price_fen, capacity, available)
        SELECT id, 'eggs', 'تۇخۇم', '别家鸡蛋', 'Other eggs', 'دانە', '枚', 'egg', 200, 'stock', 100 FROM family WHERE stamp = 'ZZ';
";

async fn products(server: &TestServer) -> Vec<Product> {
    server.get("/api/products").await.json().await.unwrap()
}

async fn error_code(response: reqwest::Response) -> ErrorCode {
    response.json::<ApiError>().await.unwrap().error.code
}

/// Issues a key card for `family` and signs a new phone in with it.
fn token_of(card: &KeyCard) -> String {
    card.url.split("#key=").nth(1).unwrap().to_string()
}

#[tokio::test]
async fn signed_out_requests_get_401_and_other_roles_403() {
    let server = TestServer::start().await;
    let nobody = server.browser();
    // Asking who is signed in is no error: nobody is.
    let me = nobody.get("/api/auth/me").await;
    assert_eq!(me.status(), StatusCode::OK);
    assert_eq!(me.headers()["cache-control"], "no-store");
    assert_eq!(me.json::<Option<Me>>().await.unwrap(), None);
    for path in [
        "/api/center/orders",
        "/api/center/pick-list",
        "/api/center/families",
        "/api/center/earnings",
        "/api/center/earnings.csv",
        "/api/center/listings",
        "/api/center/overview",
        "/api/seller/prepare",
        "/api/seller/money",
        "/api/seller/listings",
    ] {
        let response = nobody.get(path).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{path}");
        assert_eq!(response.headers()["cache-control"], "no-store", "{path}");
        assert_eq!(error_code(response).await, ErrorCode::Unauthorized);
    }
    let response = nobody
        .post("/api/center/payouts", &json!({"family_id": 1, "amount_fen": 100}))
        .await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);

    let trainer = server.signed_in(HUB, Role::Trainer, "trainer.one").await;
    assert_eq!(
        trainer.get("/api/center/orders").await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        trainer.get("/api/seller/money").await.status(),
        StatusCode::FORBIDDEN
    );

    let operator = server.signed_in(HUB, Role::Operator, "operator.one").await;
    assert_eq!(
        operator.get("/api/seller/money").await.status(),
        StatusCode::FORBIDDEN
    );
    let (phone, _) = server.family_phone(&operator, 1).await;
    for path in [
        "/api/center/orders",
        "/api/center/families",
        "/api/center/earnings",
    ] {
        assert_eq!(phone.get(path).await.status(), StatusCode::FORBIDDEN, "{path}");
    }
    server.stop().await;
}

#[tokio::test]
async fn an_operator_sees_and_changes_only_their_hub() {
    let server = TestServer::start().await;
    server.sql(OTHER_HUB).await;
    let all = products(&server).await;
    let other_product = all.iter().find(|p| p.family.names.en == "Other family").unwrap();
    let ours = all.iter().find(|p| p.family.id == 1).unwrap();
    let their_order = server.place("beijing", &[(other_product.id, 2)]).await;
    let our_order = server.place("beijing", &[(ours.id, 1)]).await;

    let here = server.signed_in(HUB, Role::Operator, "here.ops").await;
    let there = server.signed_in("other-hub", Role::Operator, "there.ops").await;

    let queue: OrderQueue = here.get("/api/center/orders").await.json().await.unwrap();
    let codes: Vec<&str> = queue.orders.iter().map(|o| o.code.as_str()).collect();
    assert_eq!(codes, [our_order.code.as_str()]);

    // Their order, their family, their batch: 404 for us, as if they did not exist.
    let code = &their_order.code;
    assert_eq!(
        here.get(&format!("/api/center/orders/{code}")).await.status(),
        404
    );
    let response = here
        .post(
            &format!("/api/center/orders/{code}/status"),
            &json!({"status": "cancelled"}),
        )
        .await;
    assert_eq!(response.status(), 404);
    let pick: PickList = here
        .get(&format!("/api/center/pick-list?orders={code}"))
        .await
        .json()
        .await
        .unwrap();
    assert!(pick.families.is_empty(), "no pick list of another hub's order");
    let family = other_product.family.id;
    let response = here
        .post(&format!("/api/center/families/{family}/key-card"), &json!({}))
        .await;
    assert_eq!(response.status(), 404);
    assert_eq!(
        here.delete(&format!("/api/center/families/{family}/key-card"))
            .await
            .status(),
        404
    );
    let response = here
        .post(
            "/api/center/payouts",
            &json!({"family_id": family, "amount_fen": 100}),
        )
        .await;
    assert_eq!(response.status(), 404);
    let families: Vec<CenterFamily> = here.get("/api/center/families").await.json().await.unwrap();
    assert!(families.iter().all(|f| f.id != family));

    // The other hub collects its order: we can't read the label.
    let detail: OrderDetail = there
        .get(&format!("/api/center/orders/{code}"))
        .await
        .json()
        .await
        .unwrap();
    let line = &detail.lines[0];
    let response = there
        .post(
            "/api/center/batches",
            &json!({"family_id": line.family_id, "product_id": line.product_id, "line_ids": [line.line_id]}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let label: Label = response.json().await.unwrap();
    assert_eq!(
        here.get(&format!("/api/center/batches/{}", label.trace_code))
            .await
            .status(),
        404
    );
    // Nor collect their line into a batch of ours.
    let response = here
        .post(
            "/api/center/batches",
            &json!({"family_id": line.family_id, "product_id": line.product_id, "line_ids": [line.line_id]}),
        )
        .await;
    assert_eq!(response.status(), 422);

    // Their pending listing can't be decided by us.
    let (their_phone, _) = server.family_phone(&there, family).await;
    let listing: Listing = their_phone
        .post(
            "/api/seller/listings",
            &json!({"kind": "nang", "capacity": "weekly", "quantity": 20, "price_fen": 300}),
        )
        .await
        .json()
        .await
        .unwrap();
    let pending: Vec<Listing> = here.get("/api/center/listings").await.json().await.unwrap();
    assert!(pending.iter().all(|l| l.id != listing.id));
    let response = here
        .post(
            &format!("/api/center/listings/{}/decision", listing.id),
            &json!({"approve": true}),
        )
        .await;
    assert_eq!(response.status(), 404);
    let earnings: Earnings = here.get("/api/center/earnings").await.json().await.unwrap();
    assert!(earnings.families.iter().all(|f| f.family_id != family));
    server.stop().await;
}

#[tokio::test]
async fn a_family_sees_only_its_own_listings_orders_and_money() {
    let server = TestServer::start().await;
    let operator = server.signed_in(HUB, Role::Operator, "ops").await;
    let all = products(&server).await;
    let a_product = all.iter().find(|p| p.family.id == 1).unwrap();
    let b_product = all.iter().find(|p| p.family.id == 2).unwrap();
    server
        .place("shanghai", &[(a_product.id, 1), (b_product.id, 3)])
        .await;

    let (a, _) = server.family_phone(&operator, 1).await;
    let (b, _) = server.family_phone(&operator, 2).await;

    let a_prepare: Vec<Prepare> = a.get("/api/seller/prepare").await.json().await.unwrap();
    assert_eq!(a_prepare.len(), 1);
    assert_eq!(
        (a_prepare[0].product_id, a_prepare[0].quantity),
        (a_product.id, 1)
    );
    let b_prepare: Vec<Prepare> = b.get("/api/seller/prepare").await.json().await.unwrap();
    assert_eq!(
        (b_prepare[0].product_id, b_prepare[0].quantity),
        (b_product.id, 3)
    );

    let a_money: Money = a.get("/api/seller/money").await.json().await.unwrap();
    let b_money: Money = b.get("/api/seller/money").await.json().await.unwrap();
    assert_eq!(a_money.months.last().unwrap().sold.gross_fen, a_product.price_fen);
    assert_eq!(
        b_money.months.last().unwrap().sold.gross_fen,
        b_product.price_fen.times(3)
    );

    let listing: Listing = a
        .post(
            "/api/seller/listings",
            &json!({"kind": "eggs", "capacity": "weekly", "quantity": 30, "price_fen": 150}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listing.status, ListingStatus::Pending);
    let mine: Vec<Listing> = a.get("/api/seller/listings").await.json().await.unwrap();
    assert!(mine.iter().any(|l| l.id == listing.id) && mine.iter().all(|l| l.family_id == 1));
    let theirs: Vec<Listing> = b.get("/api/seller/listings").await.json().await.unwrap();
    assert!(theirs.iter().all(|l| l.id != listing.id && l.family_id == 2));
    // A pending listing is not in the shop.
    assert!(products(&server).await.iter().all(|p| p.id != listing.id));
    assert_eq!(
        server
            .get(&format!("/api/products/{}", listing.id))
            .await
            .status(),
        404
    );
    server.stop().await;
}

#[tokio::test]
async fn listings_are_approved_with_corrections_or_sent_back_with_a_reason() {
    let server = TestServer::start().await;
    let operator = server.signed_in(HUB, Role::Operator, "ops").await;
    let (phone, _) = server.family_phone(&operator, 3).await;
    let send = |kind: &'static str| {
        let phone = &phone;
        async move {
            phone
                .post(
                    "/api/seller/listings",
                    &json!({"kind": kind, "capacity": "weekly", "quantity": 12, "price_fen": 800}),
                )
                .await
                .json::<Listing>()
                .await
                .unwrap()
        }
    };
    let nang = send("nang").await;
    let eggs = send("eggs").await;
    let response = phone
        .post(
            "/api/seller/listings",
            &json!({"kind": "eggs", "capacity": "weekly", "quantity": 0, "price_fen": -1}),
        )
        .await;
    assert_eq!(response.status(), 422);

    let pending: Vec<Listing> = operator
        .get("/api/center/listings?status=pending")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        pending.iter().map(|l| l.id).collect::<Vec<_>>(),
        [nang.id, eggs.id]
    );

    let response = operator
        .post(
            &format!("/api/center/listings/{}/decision", eggs.id),
            &json!({"approve": false}),
        )
        .await;
    assert_eq!(response.status(), 422, "a rejection needs a reason");
    let rejected: Listing = operator
        .post(
            &format!("/api/center/listings/{}/decision", eggs.id),
            &json!({"approve": false, "reason": "photo_unclear", "note": "请在白天拍照"}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(rejected.status, ListingStatus::Rejected);
    let approved: Listing = operator
        .post(
            &format!("/api/center/listings/{}/decision", nang.id),
            &json!({"approve": true, "price_fen": 650, "names": {"ug": "يېڭى نان", "zh": "新馕", "en": "Fresh nang"}}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (approved.status, approved.price_fen.0),
        (ListingStatus::Live, 650)
    );
    let response = operator
        .post(
            &format!("/api/center/listings/{}/decision", nang.id),
            &json!({"approve": true}),
        )
        .await;
    assert_eq!(response.status(), 409, "only a pending listing is decided");

    // The family sees both outcomes, the reason with it.
    let mine: Vec<Listing> = phone.get("/api/seller/listings").await.json().await.unwrap();
    let seen = mine.iter().find(|l| l.id == eggs.id).unwrap();
    assert_eq!(
        seen.reject_reason,
        Some(bazar_api::center::RejectReason::PhotoUnclear)
    );
    assert_eq!(seen.reject_note.as_deref(), Some("请在白天拍照"));
    // The approved one is in the shop with the corrected price and name, 12 a week.
    let live: Product = server
        .get(&format!("/api/products/{}", nang.id))
        .await
        .json::<bazar_api::ProductDetail>()
        .await
        .unwrap()
        .product;
    assert_eq!(
        (live.names.zh.as_str(), live.price_fen.0, live.available),
        ("新馕", 650, 12)
    );
    server.stop().await;
}

#[tokio::test]
async fn cross_site_requests_are_refused() {
    let server = TestServer::start().await;
    server
        .staff(HUB, Role::Operator, "csrf.ops", "csrf-ops-password")
        .await;
    let body = json!({"username": "csrf.ops", "password": "csrf-ops-password"});
    let send = |header: &'static str, value: &'static str| {
        server
            .client
            .post(server.url("/api/auth/sign-in"))
            .header(header, value)
            .json(&body)
            .send()
    };
    let response = send("origin", "http://evil.example").await.unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(error_code(response).await, ErrorCode::Forbidden);
    assert_eq!(
        send("sec-fetch-site", "cross-site").await.unwrap().status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        send("sec-fetch-site", "same-site").await.unwrap().status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        send("origin", "null").await.unwrap().status(),
        StatusCode::FORBIDDEN
    );
    // The same request from the app's own origin goes through.
    let own = format!("http://{}", server.addr);
    let response = server
        .client
        .post(server.url("/api/auth/sign-in"))
        .header("origin", own)
        .header("sec-fetch-site", "same-origin")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    // Orders too: a page elsewhere can't place them in a visitor's name.
    let response = server
        .client
        .post(server.url("/api/orders"))
        .header("origin", "http://evil.example")
        .header("idempotency-key", crate::common::new_key())
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    server.stop().await;
}

#[tokio::test]
async fn sessions_are_httponly_rotated_and_end_everywhere() {
    let server = TestServer::start().await;
    server
        .staff(HUB, Role::Operator, "session.ops", "session-ops-password")
        .await;
    let body = json!({"username": "Session.Ops ", "password": "session-ops-password"});
    let laptop = server.browser();
    let response = laptop.post("/api/auth/sign-in", &body).await;
    let cookie = response.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && !cookie.contains("Secure"));
    let first = cookie.split(';').next().unwrap().to_string();
    let me: Me = laptop.get("/api/auth/me").await.json().await.unwrap();
    assert_eq!(
        (me.role, me.name.as_str(), me.hub.as_str()),
        (Role::Operator, "session.ops", HUB)
    );

    // Signing in again gives a new token; the old one stops working.
    let response = laptop.post("/api/auth/sign-in", &body).await;
    let second = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    assert_ne!(first, second);
    let stale = server
        .client
        .get(server.url("/api/center/orders"))
        .header("cookie", &first)
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), 401);

    // Behind a TLS proxy the cookie is Secure.
    let response = server
        .client
        .post(server.url("/api/auth/sign-in"))
        .header("x-forwarded-proto", "https")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(
        response.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .contains("; Secure")
    );

    let phone = server.browser();
    assert_eq!(phone.post("/api/auth/sign-in", &body).await.status(), 200);
    assert_eq!(
        laptop
            .post("/api/auth/sign-out-everywhere", &json!({}))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    for device in [&phone, &laptop] {
        let me: Option<Me> = device.get("/api/auth/me").await.json().await.unwrap();
        assert_eq!(me, None, "signed out on every device");
    }

    let response = laptop
        .post(
            "/api/auth/sign-in",
            &json!({"username": "session.ops", "password": "wrong"}),
        )
        .await;
    assert_eq!(response.status(), 401);
    server.stop().await;
}

/// Sign-in failures are counted in the database: servers that share it
/// allow the guesses of one, not one each.
#[tokio::test]
async fn servers_on_one_database_count_sign_in_failures_together() {
    let first = TestServer::start().await;
    let second = first.beside().await;
    first
        .staff(HUB, Role::Trainer, "shared.trainer", "shared-trainer-password")
        .await;
    let guess = json!({"username": "shared.trainer", "password": "guess"});
    // Five failures on one name from one address, split over both servers.
    for (n, server) in [&first, &second, &first, &second, &first].iter().enumerate() {
        let response = server.browser().post("/api/auth/sign-in", &guess).await;
        assert_eq!(response.status(), 401, "failure {n}");
    }
    for server in [&first, &second] {
        let response = server
            .browser()
            .post(
                "/api/auth/sign-in",
                &json!({"username": "shared.trainer", "password": "shared-trainer-password"}),
            )
            .await;
        assert_eq!(
            response.status(),
            StatusCode::TOO_MANY_REQUESTS,
            "the limit is one for both servers"
        );
    }
    second.stop().await;
    first.stop().await;
}

#[tokio::test]
async fn failed_sign_ins_are_throttled_per_address_without_locking_a_family_out() {
    let server = TestServer::start().await;
    server
        .staff(HUB, Role::Operator, "throttle.ops", "throttle-ops-password")
        .await;
    let operator = server.signed_in(HUB, Role::Operator, "card.ops").await;
    let (_, card) = server.family_phone(&operator, 4).await;

    // Ten failures from one address (five on each of two names: five is
    // the limit on one name from one address).
    let attacker = server.browser();
    for username in ["throttle.ops", "nobody.ops"] {
        for _ in 0..5 {
            let response = attacker
                .post(
                    "/api/auth/sign-in",
                    &json!({"username": username, "password": "guess"}),
                )
                .await;
            assert_eq!(response.status(), 401);
        }
    }
    let response = attacker
        .post(
            "/api/auth/sign-in",
            &json!({"username": "throttle.ops", "password": "throttle-ops-password"}),
        )
        .await;
    assert_eq!(
        response.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "even the right password waits"
    );
    assert!(
        response.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse::<u64>()
            .unwrap()
            >= 1
    );
    let response = attacker
        .post("/api/auth/key-card", &json!({"token": "0".repeat(64)}))
        .await;
    assert_eq!(
        response.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "key cards share the address limit"
    );

    // The family's own phone, at another address, still signs in with its card.
    let phone = Browser {
        base: format!("http://{}", server.addr),
        client: crate::common::client()
            .cookie_store(true)
            .local_address("127.0.0.2".parse::<std::net::IpAddr>().unwrap())
            .build()
            .unwrap(),
    };
    let response = phone
        .post("/api/auth/key-card", &json!({"token": token_of(&card)}))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    server.stop().await;
}

#[tokio::test]
async fn key_cards_are_reissued_and_revoked() {
    let server = TestServer::start().await;
    let operator = server.signed_in(HUB, Role::Operator, "cards.ops").await;
    let (phone, card) = server.family_phone(&operator, 5).await;
    assert!(card.qr_svg.contains("<svg") && card.url.contains("/seller#key="));
    assert_eq!(token_of(&card).len(), 64, "256 bits");
    let families: Vec<CenterFamily> = operator.get("/api/center/families").await.json().await.unwrap();
    assert!(
        families
            .iter()
            .find(|f| f.id == 5)
            .unwrap()
            .card_issued_at
            .is_some()
    );
    assert_eq!(phone.get("/api/seller/money").await.status(), 200);

    // A new card: the old one and the phones it signed in stop working.
    let (new_phone, new_card) = server.family_phone(&operator, 5).await;
    assert_eq!(phone.get("/api/seller/money").await.status(), 401);
    let old = server.browser();
    assert_eq!(
        old.post("/api/auth/key-card", &json!({"token": token_of(&card)}))
            .await
            .status(),
        401
    );
    assert_eq!(new_phone.get("/api/seller/money").await.status(), 200);

    // Revoked: no card works and the phone is signed out.
    assert_eq!(
        operator.delete("/api/center/families/5/key-card").await.status(),
        204
    );
    assert_eq!(new_phone.get("/api/seller/money").await.status(), 401);
    assert_eq!(
        old.post("/api/auth/key-card", &json!({"token": token_of(&new_card)}))
            .await
            .status(),
        401
    );
    let families: Vec<CenterFamily> = operator.get("/api/center/families").await.json().await.unwrap();
    assert!(
        families
            .iter()
            .find(|f| f.id == 5)
            .unwrap()
            .card_issued_at
            .is_none()
    );
    server.stop().await;
}

#[tokio::test]
async fn an_order_goes_from_pick_list_to_delivery_and_into_the_families_money() {
    let server = TestServer::start().await;
    let operator = server.signed_in(HUB, Role::Operator, "flow.ops").await;
    let all = products(&server).await;
    let eggs = all
        .iter()
        .find(|p| p.kind == ProductKind::Eggs && p.available >= 6)
        .unwrap();
    let honey = all
        .iter()
        .find(|p| p.kind == ProductKind::Honey && p.family.id != eggs.family.id)
        .unwrap();
    let placed = server.place("shanghai", &[(eggs.id, 6), (honey.id, 1)]).await;
    let code = placed.code.clone();

    let pick: PickList = operator
        .get(&format!("/api/center/pick-list?orders={code}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(pick.orders.as_slice(), std::slice::from_ref(&code));
    assert_eq!(pick.families.len(), 2, "one stop per family");
    let egg_stop = pick
        .families
        .iter()
        .find(|f| f.family_id == eggs.family.id)
        .unwrap();
    assert_eq!(
        (egg_stop.items[0].product_id, egg_stop.items[0].quantity),
        (eggs.id, 6)
    );
    assert!(!egg_stop.village.zh.is_empty());
    let response = operator.get("/api/center/pick-list?date=2026-13-01").await;
    assert_eq!(response.status(), 400);

    // Shipping before it is at the center is refused.
    let response = operator
        .post(
            &format!("/api/center/orders/{code}/status"),
            &json!({"status": "shipped", "waybill": "784-12345675"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);

    let mut trace_codes = Vec::new();
    for stop in &pick.families {
        for item in &stop.items {
            let line_ids: Vec<i64> = item.lines.iter().map(|l| l.line_id).collect();
            let body =
                json!({"family_id": stop.family_id, "product_id": item.product_id, "line_ids": line_ids});
            let response = operator.post("/api/center/batches", &body).await;
            assert_eq!(response.status(), StatusCode::CREATED);
            let label: Label = response.json().await.unwrap();
            assert_eq!(label.quantity, item.quantity);
            assert!(label.trace_url.ends_with(&format!("/trace/{}", label.trace_code)));
            assert!(label.qr_svg.contains("<svg"));
            assert_eq!(
                operator.post("/api/center/batches", &body).await.status(),
                422,
                "collected once"
            );
            trace_codes.push(label.trace_code);
        }
    }
    let detail: OrderDetail = operator
        .get(&format!("/api/center/orders/{code}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(detail.status, OrderStatus::AtCenter, "all lines collected");
    assert!(
        detail
            .lines
            .iter()
            .all(|l| l.collected == l.quantity && l.trace_codes.len() == 1)
    );
    assert!(detail.events.iter().any(|e| e.actor == "operator:flow.ops"));
    let empty: PickList = operator
        .get(&format!("/api/center/pick-list?orders={code}"))
        .await
        .json()
        .await
        .unwrap();
    assert!(empty.families.is_empty());

    let step = |status: &'static str, waybill: Option<&'static str>| {
        let operator = &operator;
        let code = code.clone();
        async move {
            operator
                .post(
                    &format!("/api/center/orders/{code}/status"),
                    &json!({"status": status, "waybill": waybill}),
                )
                .await
        }
    };
    assert_eq!(step("packed", None).await.status(), 200);
    assert_eq!(step("shipped", None).await.status(), 422, "a waybill is needed");
    assert_eq!(step("shipped", Some("784-12345675")).await.status(), 200);
    let tracking: Tracking = server
        .get(&format!("/api/orders/track/{}", placed.tracking_token))
        .await
        .json()
        .await
        .unwrap();
    let seen: Vec<OrderStatus> = tracking.events.iter().map(|e| e.status).collect();
    assert_eq!(
        seen,
        [
            OrderStatus::Placed,
            OrderStatus::Collecting,
            OrderStatus::AtCenter,
            OrderStatus::Packed,
            OrderStatus::Shipped
        ]
    );
    assert_eq!(
        tracking.events.last().unwrap().waybill.as_deref(),
        Some("784-12345675")
    );
    assert_eq!(
        step("cancelled", None).await.status(),
        409,
        "a shipped order can't be cancelled"
    );
    assert_eq!(step("delivered", None).await.status(), 200);
    let queue: OrderQueue = operator
        .get("/api/center/orders?status=delivered")
        .await
        .json()
        .await
        .unwrap();
    assert!(queue.orders.iter().any(|o| o.code == code));
    assert_eq!(
        queue
            .counts
            .iter()
            .find(|c| c.status == OrderStatus::Delivered)
            .unwrap()
            .count,
        1
    );

    for trace in &trace_codes {
        let found: Trace = server
            .get(&format!("/api/trace/{trace}"))
            .await
            .json()
            .await
            .unwrap();
        assert!(found.family_id == eggs.family.id || found.family_id == honey.family.id);
    }

    // The money: the families' shares of this order, the center's fee, and a payout.
    let earnings: Earnings = operator.get("/api/center/earnings").await.json().await.unwrap();
    assert_eq!(
        earnings.total.gross_fen, placed.subtotal_fen,
        "the month reconciles with the order"
    );
    assert_eq!(
        earnings.total.fee_fen.0 + earnings.total.net_fen.0,
        placed.subtotal_fen.0
    );
    let egg_family = earnings
        .families
        .iter()
        .find(|f| f.family_id == eggs.family.id)
        .unwrap();
    assert_eq!(egg_family.sold.items, 6);
    assert_eq!(egg_family.sold.gross_fen, eggs.price_fen.times(6));
    assert_eq!(
        egg_family.sold.fee_fen,
        bazar_api::earnings::fee(eggs.price_fen.times(6), earnings.fee_bp)
    );
    assert_eq!(egg_family.balance_fen, egg_family.sold.net_fen);

    let (phone, _) = server.family_phone(&operator, eggs.family.id).await;
    let response = operator
        .post(
            "/api/center/payouts",
            &json!({"family_id": eggs.family.id, "amount_fen": 100, "note": "现金"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let money: Money = phone.get("/api/seller/money").await.json().await.unwrap();
    assert_eq!(money.orders.len(), 1);
    assert_eq!(money.orders[0].order_code, code);
    assert_eq!(money.orders[0].share.net_fen, egg_family.sold.net_fen);
    assert_eq!(money.payouts.len(), 1);
    assert_eq!(money.balance_fen.0, egg_family.sold.net_fen.0 - 100);
    assert_eq!(money.months.len(), 6);
    let prepare: Vec<Prepare> = phone.get("/api/seller/prepare").await.json().await.unwrap();
    assert!(prepare.is_empty(), "everything was collected");

    let csv = operator.get("/api/center/earnings.csv").await;
    assert!(
        csv.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let csv = csv.text().await.unwrap();
    assert!(csv.starts_with("month,family_id,"));
    assert!(csv.contains(&format!(",{},", eggs.family.id)));
    assert_eq!(
        operator.get("/api/center/earnings?month=2026-13").await.status(),
        400
    );

    let weeks: Vec<bazar_api::center::WeekSales> =
        operator.get("/api/center/overview").await.json().await.unwrap();
    let this_week = weeks.last().unwrap();
    assert_eq!((this_week.orders, this_week.gross_fen), (1, placed.subtotal_fen));
    assert_eq!(this_week.families.len(), 2);
    server.stop().await;
}

#[tokio::test]
async fn a_cancelled_order_gives_its_stock_back() {
    let server = TestServer::start().await;
    let operator = server.signed_in(HUB, Role::Operator, "cancel.ops").await;
    let all = products(&server).await;
    let honey = all.iter().find(|p| p.kind == ProductKind::Honey).unwrap();
    let placed = server.place("beijing", &[(honey.id, 2)]).await;
    let after: Product = server
        .get(&format!("/api/products/{}", honey.id))
        .await
        .json::<bazar_api::ProductDetail>()
        .await
        .unwrap()
        .product;
    assert_eq!(after.available, honey.available - 2);
    let response = operator
        .post(
            &format!("/api/center/orders/{}/status", placed.code),
            &json!({"status": "cancelled", "note": "顾客取消"}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let back: Product = server
        .get(&format!("/api/products/{}", honey.id))
        .await
        .json::<bazar_api::ProductDetail>()
        .await
        .unwrap()
        .product;
    assert_eq!(back.available, honey.available);
    let earnings: Earnings = operator.get("/api/center/earnings").await.json().await.unwrap();
    assert_eq!(earnings.total.gross_fen.0, 0, "a cancelled order earns nothing");
    server.stop().await;
}
