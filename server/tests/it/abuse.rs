//! What an outside attacker without an account could do, each tried on the
//! real server over HTTP: hoarding orders, guessing and filling lecture
//! rooms, locking staff out, rotating addresses past the throttles, serving
//! an upload as a page, recordings that are pages, cross-site changes,
//! cookies without `Secure` behind TLS, borrowing another family's photo.
//! (Memory and connection floods run against the release binary:
//! tests/abuse/abuse.py.)

use std::net::IpAddr;

use crate::common::{Browser, TestServer, new_key, new_phone};
use bazar_api::account::Role;
use bazar_api::center::{KeyCard, OrderQueue};
use bazar_api::order::{MAX_OPEN_UNPAID_PER_PHONE, MAX_UNPAID};
use bazar_api::seller::Photo;
use bazar_api::tutor::Lecture;
use bazar_api::{ApiError, Product, ProductKind};
use reqwest::StatusCode;
use serde_json::{Value, json};

const HUB: &str = "yultuz-bagh";

async fn products(server: &TestServer) -> Vec<Product> {
    server.get("/api/products").await.json().await.unwrap()
}

fn order(lines: &[(i64, u32)], phone: &str, payment: &str) -> Value {
    json!({
        "customer": {"name": "王小明", "phone": phone, "address": "北京市朝阳区幸福路1号", "zone": "beijing"},
        "lines": lines.iter().map(|(id, q)| json!({"product_id": id, "quantity": q})).collect::<Vec<_>>(),
        "payment": payment
    })
}

async fn post_order(server: &TestServer, body: &Value) -> reqwest::Response {
    server
        .client
        .post(server.url("/api/orders"))
        .header("idempotency-key", new_key())
        .json(body)
        .send()
        .await
        .unwrap()
}

async fn codes(response: reqwest::Response) -> Vec<String> {
    let error: ApiError = response.json().await.unwrap();
    error.error.fields.into_iter().map(|f| f.code).collect()
}

/// A browser whose requests come from `addr` (any of 127.0.0.0/8).
fn browser_at(server: &TestServer, addr: &str) -> Browser {
    Browser {
        base: format!("http://{}", server.addr),
        client: crate::common::client()
            .cookie_store(true)
            .local_address(addr.parse::<IpAddr>().unwrap())
            .build()
            .unwrap(),
    }
}

#[tokio::test]
async fn one_guest_order_can_not_empty_the_shop() {
    let server = TestServer::start_unlimited().await;
    let before = products(&server).await;
    let eggs = before
        .iter()
        .find(|p| p.kind == ProductKind::Eggs && p.available > 6)
        .unwrap();
    assert_eq!(eggs.max_per_order, 6, "the product says its maximum");

    // 50 lines of 999, paid on delivery: refused, naming the limit of
    // every line, and nothing is taken.
    let hoard: Vec<(i64, u32)> = before.iter().take(50).map(|p| (p.id, 999)).collect();
    let response = post_order(&server, &order(&hoard, &new_phone(), "on_delivery")).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = codes(response).await;
    assert_eq!(refused.len(), hoard.len(), "{refused:?}");
    assert!(
        refused.iter().all(|c| c.starts_with("max_per_order:")),
        "{refused:?}"
    );
    let after = products(&server).await;
    assert_eq!(
        before.iter().map(|p| p.available).collect::<Vec<_>>(),
        after.iter().map(|p| p.available).collect::<Vec<_>>(),
        "stock untouched"
    );

    // At the edge: the maximum goes through, one more does not.
    let response = post_order(&server, &order(&[(eggs.id, 7)], &new_phone(), "on_delivery")).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(codes(response).await, ["max_per_order:6"]);
    let response = post_order(&server, &order(&[(eggs.id, 6)], &new_phone(), "on_delivery")).await;
    assert_eq!(response.status(), StatusCode::CREATED);

    // Worth more than an unpaid order may be: refused on delivery, taken
    // by bank transfer.
    let dearest = |kind| {
        before
            .iter()
            .filter(|p| p.kind == kind && p.available >= i64::from(p.max_per_order))
            .max_by_key(|p| p.price_fen)
            .unwrap()
    };
    let (quilt, honey) = (dearest(ProductKind::Quilt), dearest(ProductKind::Honey));
    let dear = [(quilt.id, quilt.max_per_order), (honey.id, honey.max_per_order)];
    let total = quilt.price_fen.0 * i64::from(quilt.max_per_order)
        + honey.price_fen.0 * i64::from(honey.max_per_order);
    assert!(total > MAX_UNPAID.0, "the test's order is dear enough");
    let response = post_order(&server, &order(&dear, &new_phone(), "on_delivery")).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        codes(response).await,
        [format!("unpaid_limit:{}", MAX_UNPAID.0 / 100)]
    );
    let response = post_order(&server, &order(&dear, &new_phone(), "bank_transfer")).await;
    assert_eq!(response.status(), StatusCode::CREATED);

    // A few open unpaid orders per phone number; the second one on is
    // flagged and leads the center's queue.
    let phone = new_phone();
    let nang = before.iter().find(|p| p.kind == ProductKind::Nang).unwrap();
    for _ in 0..MAX_OPEN_UNPAID_PER_PHONE {
        let response = post_order(&server, &order(&[(nang.id, 1)], &phone, "on_delivery")).await;
        assert_eq!(response.status(), StatusCode::CREATED);
    }
    let response = post_order(&server, &order(&[(nang.id, 1)], &phone, "on_delivery")).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        codes(response).await,
        [format!("open_unpaid_limit:{MAX_OPEN_UNPAID_PER_PHONE}")]
    );
    let response = post_order(&server, &order(&[(nang.id, 1)], &phone, "bank_transfer")).await;
    assert_eq!(response.status(), StatusCode::CREATED);

    let operator = server.signed_in(HUB, Role::Operator, "hoard.ops").await;
    let queue: OrderQueue = operator.get("/api/center/orders").await.json().await.unwrap();
    let flagged = queue.orders.iter().take_while(|o| o.flag.is_some()).count();
    assert_eq!(
        flagged,
        usize::try_from(MAX_OPEN_UNPAID_PER_PHONE).unwrap() - 1,
        "the repeat orders lead the queue: {:?}",
        queue.orders.iter().map(|o| &o.flag).collect::<Vec<_>>()
    );
    assert!(queue.orders[flagged..].iter().all(|o| o.flag.is_none()));
    server.stop().await;
}

#[tokio::test]
async fn lecture_rooms_can_not_be_guessed_filled_or_hoarded() {
    let server = TestServer::start().await;
    let trainer = server.signed_in(HUB, Role::Trainer, "rooms.trainer").await;
    let open = |step: Value| {
        let trainer = &trainer;
        async move { trainer.post("/api/lectures", &step).await }
    };
    let response = open(json!({"lesson": 1, "step": 0})).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let first: Lecture = response.json().await.unwrap();
    assert_eq!(first.state.code.len(), 8, "10^8 codes");
    assert!(
        first.join_url.ends_with(&first.state.code),
        "the QR code carries it"
    );

    // Steps the lessons don't have are refused (lesson 1 has 9 steps).
    assert_eq!(
        open(json!({"lesson": 1, "step": 9})).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        open(json!({"lesson": 7, "step": 0})).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let code = &first.state.code;
    let phone = server.browser();
    let report = |lesson: u32, step: u32| json!({"phone": "phone-0001", "lesson": lesson, "step": step});
    assert_eq!(
        phone
            .post(&format!("/api/lectures/{code}/join"), &report(0, 0))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        phone
            .post(&format!("/api/lectures/{code}/done"), &report(1, 8))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        phone
            .post(&format!("/api/lectures/{code}/done"), &report(1, 9))
            .await
            .status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "a step that doesn't exist is not counted"
    );
    assert_eq!(
        phone
            .post(&format!("/api/lectures/{code}/done"), &report(4_000_000, 7))
            .await
            .status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );

    // A trainer keeps at most three rooms: the fourth closes the oldest.
    for _ in 0..3 {
        assert_eq!(
            open(json!({"lesson": 0, "step": 0})).await.status(),
            StatusCode::CREATED
        );
    }
    assert_eq!(
        phone.get(&format!("/api/lectures/{code}")).await.status(),
        StatusCode::NOT_FOUND
    );

    // A classroom behind one gateway: a hundred phones join the trainer's
    // room and follow it, never counted.
    let room: Lecture = trainer
        .post("/api/lectures", &json!({"lesson": 2, "step": 0}))
        .await
        .json()
        .await
        .unwrap();
    let classroom = browser_at(&server, "127.0.0.8");
    for n in 0..100 {
        let phone = json!({"phone": format!("classroom-{n:03}"), "lesson": 0, "step": 0});
        let joined = classroom
            .post(&format!("/api/lectures/{}/join", room.state.code), &phone)
            .await;
        assert_eq!(joined.status(), StatusCode::NO_CONTENT, "phone {n}");
    }

    // Misses from one address are throttled: guessing gets nowhere.
    let guesser = browser_at(&server, "127.0.0.9");
    let mut statuses = Vec::new();
    for n in 0..61u32 {
        statuses.push(
            guesser
                .get(&format!("/api/lectures/{:08}", n * 7919))
                .await
                .status(),
        );
    }
    assert!(
        statuses[..60].iter().all(|s| *s == StatusCode::NOT_FOUND),
        "{statuses:?}"
    );
    assert_eq!(statuses[60], StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        guesser
            .post("/api/lectures/12345678/join", &report(0, 0))
            .await
            .status(),
        StatusCode::TOO_MANY_REQUESTS,
        "joins share the limit"
    );
    server.stop().await;
}

#[tokio::test]
async fn nobody_can_lock_a_staff_account_out() {
    let server = TestServer::start().await;
    server
        .staff(HUB, Role::Operator, "target.ops", "target-ops-password")
        .await;
    let sign_in = |browser: &Browser, password: &str| {
        let body = json!({"username": "target.ops", "password": password});
        let browser = browser.client.clone();
        let url = format!("{}/api/auth/sign-in", browser_base(&server));
        async move { browser.post(url).json(&body).send().await.unwrap() }
    };
    // The operator's own browser signs in once: a known device from now on.
    let own = browser_at(&server, "127.0.0.40");
    let response = sign_in(&own, "target-ops-password").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response
            .headers()
            .get_all("set-cookie")
            .iter()
            .any(|c| c.to_str().unwrap().starts_with("bazar_device=")),
        "a device cookie"
    );

    // Five wrong passwords from one address, then that address is refused
    // for this username.
    let attacker = browser_at(&server, "127.0.0.50");
    for _ in 0..5 {
        assert_eq!(
            sign_in(&attacker, "guess").await.status(),
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        sign_in(&attacker, "guess").await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        sign_in(&attacker, "target-ops-password").await.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "not even the right password from there"
    );

    // 50 more from ten other addresses: the username has failed 55 times.
    for n in 0..10 {
        let attacker = browser_at(&server, &format!("127.0.0.{}", 60 + n));
        for _ in 0..5 {
            assert_eq!(
                sign_in(&attacker, "guess").await.status(),
                StatusCode::UNAUTHORIZED
            );
        }
    }
    // The right password still works: from a new address (slowed down),
    // and from the operator's own browser.
    let elsewhere = browser_at(&server, "127.0.0.90");
    assert_eq!(
        sign_in(&elsewhere, "target-ops-password").await.status(),
        StatusCode::OK
    );
    assert_eq!(
        sign_in(&own, "target-ops-password").await.status(),
        StatusCode::OK
    );
    server.stop().await;
}

fn browser_base(server: &TestServer) -> String {
    format!("http://{}", server.addr)
}

#[tokio::test]
async fn throttles_count_an_ipv6_64_and_believe_only_trusted_proxies() {
    let behind_proxy = TestServer::start_configured(|state| {
        state.with_trusted_proxies(bazar_server::client::TrustedProxies::parse("127.0.0.1").unwrap())
    })
    .await;
    let trace_from = |server: &TestServer, forwarded: String| {
        let request = server
            .client
            .get(server.url("/api/trace/ZZZZ2222"))
            .header("x-forwarded-for", forwarded);
        async move { request.send().await.unwrap().status() }
    };
    // 30 look-ups from 30 addresses of one /64: the 31st is refused.
    for n in 0..30 {
        assert_eq!(
            trace_from(&behind_proxy, format!("2001:db8:1:2::{n:x}")).await,
            StatusCode::NOT_FOUND
        );
    }
    assert_eq!(
        trace_from(&behind_proxy, "2001:db8:1:2:ffff::1".into()).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // Another subscriber, and another IPv4 client behind the proxy, are not.
    assert_eq!(
        trace_from(&behind_proxy, "2001:db8:1:3::1".into()).await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        trace_from(&behind_proxy, "203.0.113.7, 127.0.0.1".into()).await,
        StatusCode::NOT_FOUND,
        "the client is the last address the trusted proxies didn't add"
    );
    behind_proxy.stop().await;

    // Without a trusted proxy the header is anyone's to write: ignored.
    let direct = TestServer::start().await;
    for n in 0..30 {
        assert_eq!(
            trace_from(&direct, format!("198.51.100.{n}")).await,
            StatusCode::NOT_FOUND
        );
    }
    assert_eq!(
        trace_from(&direct, "198.51.100.200".into()).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    direct.stop().await;
}

async fn family_phone(server: &TestServer, family: i64) -> Browser {
    let operator = server
        .signed_in(HUB, Role::Operator, &format!("abuse.ops{family}"))
        .await;
    server.family_phone(&operator, family).await.0
}

fn small_png() -> Vec<u8> {
    let image = image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([x as u8 * 4, y as u8 * 5, 90]));
    let mut out = std::io::Cursor::new(Vec::new());
    image.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

async fn upload(phone: &Browser, bytes: Vec<u8>) -> reqwest::Response {
    phone
        .client
        .post(format!("{}/api/seller/photos", phone.base))
        .header("content-type", "application/octet-stream")
        .body(bytes)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn uploads_are_served_as_what_they_are_and_only_to_their_family() {
    let server = TestServer::start().await;
    let (first, second) = (family_phone(&server, 1).await, family_phone(&server, 2).await);
    let response = upload(&first, small_png()).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let photo: Photo = response.json().await.unwrap();

    // Only the exact stored name, as the JPEG it is.
    let get = |path: String| {
        server
            .client
            .get(server.url(&path))
            .header("accept-encoding", "identity")
            .send()
    };
    let response = get(photo.url.clone()).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "image/jpeg");
    assert_eq!(response.headers()["x-content-type-options"], "nosniff");
    for other in [
        format!("{}.html", photo.url),
        photo.url.replace(".jpg", ".html"),
        format!("{}.part", photo.url),
        "/uploads/0123456789abcdef0123456789abcdef.jpg".to_string(),
    ] {
        let response = get(other.clone()).await.unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{other}");
        assert_ne!(response.headers()["content-type"], "text/html", "{other}");
    }

    // Another family can't list it; its own can.
    let listing =
        json!({"kind": "eggs", "capacity": "weekly", "quantity": 20, "price_fen": 2500, "photo": photo.name});
    let response = second.post("/api/seller/listings", &listing).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(codes(response).await, ["unknown_photo"]);
    assert_eq!(
        first.post("/api/seller/listings", &listing).await.status(),
        StatusCode::CREATED
    );

    // What is not a photo is told so.
    let response = upload(&first, b"<html><script>alert(1)</script></html>".to_vec()).await;
    assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let error: ApiError = response.json().await.unwrap();
    assert!(
        error.error.message.contains("not a photo"),
        "{}",
        error.error.message
    );
    server.stop().await;
}

/// Two silent MPEG-1 Layer III frames.
fn mp3() -> Vec<u8> {
    let mut frame = vec![0u8; 417];
    frame[..4].copy_from_slice(&[0xFF, 0xFB, 0x90, 0x00]);
    [frame.clone(), frame].concat()
}

#[tokio::test]
async fn narration_must_be_audio_of_a_step_the_lessons_have() {
    let server = TestServer::start().await;
    let trainer = server.signed_in(HUB, Role::Trainer, "voice.trainer").await;
    let record = |clip: &str, bytes: Vec<u8>| {
        trainer
            .client
            .post(format!("{}/api/narration/{clip}/ug", trainer.base))
            .header("content-type", "application/octet-stream")
            .body(bytes)
            .send()
    };
    let response = record("l1-s2", b"ID3<html><script>alert(1)</script></html>".to_vec())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(
        record("made-up-clip", mp3()).await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        record("l1-s9", mp3()).await.unwrap().status(),
        StatusCode::NOT_FOUND,
        "lesson 1 has nine steps"
    );
    assert_eq!(
        record("l1-s8", mp3()).await.unwrap().status(),
        StatusCode::NO_CONTENT
    );
    let response = server.get("/api/narration/l1-s8/ug").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "audio/mpeg");
    server.stop().await;
}

#[tokio::test]
async fn a_change_must_say_it_comes_from_this_site() {
    let server = TestServer::start().await;
    // The operator's own cookie, sent by a client that says nothing of
    // where the request comes from (as a form or a text/plain request from
    // another site would be, in a browser that sends neither header).
    server
        .staff(HUB, Role::Operator, "guard.ops", "guard.ops-correct-horse")
        .await;
    let bare = reqwest::Client::new();
    let session = server
        .client
        .post(server.url("/api/auth/sign-in"))
        .json(&json!({"username": "guard.ops", "password": "guard.ops-correct-horse"}))
        .send()
        .await
        .unwrap();
    let session = session.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let response = bare
        .post(server.url("/api/center/families/1/key-card"))
        .header("cookie", &session)
        .header("content-type", "text/plain")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let response = bare
        .post(server.url("/api/center/families/1/key-card"))
        .header("cookie", &session)
        .header("origin", format!("http://{}", server.addr))
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        StatusCode::CREATED,
        "an Origin of this host is enough"
    );
    server.stop().await;
}

#[tokio::test]
async fn an_https_public_address_makes_cookies_secure_and_sends_hsts() {
    let server =
        TestServer::start_configured(|state| state.with_public_url(Some("https://bazar.example/".into())))
            .await;
    server
        .staff(HUB, Role::Operator, "tls.ops", "tls-ops-password")
        .await;
    // No X-Forwarded-Proto: the proxy in front may not say it.
    let response = server
        .client
        .post(server.url("/api/auth/sign-in"))
        .json(&json!({"username": "tls.ops", "password": "tls-ops-password"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let cookies: Vec<&str> = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|c| c.to_str().unwrap())
        .collect();
    assert_eq!(cookies.len(), 2, "{cookies:?}");
    assert!(cookies.iter().all(|c| c.contains("; Secure")), "{cookies:?}");
    assert!(response.headers().contains_key("strict-transport-security"));
    let session = cookies[0].split(';').next().unwrap().to_string();
    let card: KeyCard = server
        .client
        .post(server.url("/api/center/families/1/key-card"))
        .header("cookie", session)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        card.url.starts_with("https://bazar.example/seller#key="),
        "{}",
        card.url
    );
    server.stop().await;
}
