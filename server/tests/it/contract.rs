//! The apps read the server's answers with serde-lite (less wasm), the
//! server writes them with serde. Every answer an app reads is fetched here
//! from the real server and read both ways: the two must agree, field by
//! field, or an app would show something other than what the server said.
//! (A photo upload's answer is read both ways in tutor.rs, which makes the
//! photo.)

use std::fmt::Debug;

use crate::common::{Browser, TestServer, read_both};
use bazar_api::account::{Me, Role};
use bazar_api::center::{CenterFamily, Earnings, KeyCard, Label, Listing, OrderDetail, OrderQueue, PickList};
use bazar_api::seller::{Money, Prepare};
use bazar_api::tutor::Lecture;
use bazar_api::{ApiError, FamilyPage, PlacedOrder, Product, ProductDetail, Trace, Tracking, Zone};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

const HUB: &str = "yultuz-bagh";

async fn get<T>(browser: &Browser, path: &str) -> T
where
    T: DeserializeOwned + serde_lite::Deserialize + PartialEq + Debug,
{
    read_both(browser.get(path).await).await
}

#[tokio::test]
async fn the_shop_reads_every_answer_as_the_server_wrote_it() {
    let server = TestServer::start().await;
    let shop = server.browser();
    let products: Vec<Product> = get(&shop, "/api/products").await;
    assert!(products.len() >= 20);
    let _: Vec<Product> = get(&shop, "/api/products?kind=eggs&q=%E9%B8%A1").await;
    let detail: ProductDetail = get(&shop, &format!("/api/products/{}", products[0].id)).await;
    let _: FamilyPage = get(&shop, &format!("/api/families/{}", detail.family.id)).await;
    let zones: Vec<Zone> = get(&shop, "/api/zones").await;

    let placed: PlacedOrder = server.place(&zones[0].code, &[(products[0].id, 1)]).await;
    assert!(placed.pay_to.is_none(), "an optional field left out");
    let _: Tracking = get(&shop, &format!("/api/orders/track/{}", placed.tracking_token)).await;

    let demo: Value = serde_json::from_str(include_str!("../../seed/demo.json")).unwrap();
    let code = demo["batches"][0]["code"].as_str().unwrap();
    let _: Trace = get(&shop, &format!("/api/trace/{code}")).await;

    // Errors, with and without field details.
    let _: ApiError = get(&shop, "/api/trace/ZZZZ2222").await;
    let order = |body: Value| {
        shop.client
            .post(server.url("/api/orders"))
            .header("idempotency-key", crate::common::new_key())
            .json(&body)
            .send()
    };
    let customer = json!({"name": "测试顾客", "phone": crate::common::new_phone(), "address": "北京市朝阳区幸福路1号", "zone": zones[0].code});
    let invalid = json!({"customer": {"name": "", "phone": "1", "address": "", "zone": "x"}, "lines": [], "payment": "on_delivery"});
    let error: ApiError = read_both(order(invalid).await.unwrap()).await;
    assert!(!error.error.fields.is_empty(), "{error:?}");
    // Fewer left than one order may take: asking for one more is sold out.
    server
        .sql(&format!(
            "UPDATE product SET available = 1 WHERE id = {}",
            products[0].id
        ))
        .await;
    let sold_out = json!({"customer": customer, "lines": [{"product_id": products[0].id, "quantity": 2}], "payment": "on_delivery"});
    let error: ApiError = read_both(order(sold_out).await.unwrap()).await;
    assert!(!error.error.sold_out.is_empty(), "{error:?}");
    server.stop().await;
}

#[tokio::test]
async fn the_center_and_the_sellers_read_every_answer_as_the_server_wrote_it() {
    let server = TestServer::start().await;
    let products: Vec<Product> = server.get("/api/products").await.json().await.unwrap();
    let zones: Vec<Zone> = server.get("/api/zones").await.json().await.unwrap();
    let placed = server.place(&zones[0].code, &[(products[0].id, 2)]).await;

    let operator = server.signed_in(HUB, Role::Operator, "contract.ops").await;
    let queue: OrderQueue = get(&operator, "/api/center/orders").await;
    assert!(queue.orders.iter().any(|o| o.code == placed.code));
    let detail: OrderDetail = get(&operator, &format!("/api/center/orders/{}", placed.code)).await;
    let _: PickList = get(
        &operator,
        &format!("/api/center/pick-list?orders={}", placed.code),
    )
    .await;
    let _: Vec<CenterFamily> = get(&operator, "/api/center/families").await;
    let _: Vec<Listing> = get(&operator, "/api/center/listings").await;
    let _: Earnings = get(&operator, "/api/center/earnings").await;
    let line = &detail.lines[0];
    let collect =
        json!({"family_id": line.family_id, "product_id": line.product_id, "line_ids": [line.line_id]});
    let label: Label = read_both(operator.post("/api/center/batches", &collect).await).await;
    let _: Label = get(&operator, &format!("/api/center/batches/{}", label.trace_code)).await;

    let trainer = server.signed_in(HUB, Role::Trainer, "contract.trainer").await;
    let lecture: Lecture = read_both(
        trainer
            .post("/api/lectures", &json!({"lesson": 1, "step": 0}))
            .await,
    )
    .await;
    let _: Lecture = get(&trainer, &format!("/api/lectures/{}", lecture.state.code)).await;

    // A family's phone, signed in with its key card.
    let card: KeyCard = read_both(
        operator
            .post(
                &format!("/api/center/families/{}/key-card", line.family_id),
                &json!({}),
            )
            .await,
    )
    .await;
    let phone = server.browser();
    let token = card.url.split("#key=").nth(1).unwrap();
    let _: Me = read_both(phone.post("/api/auth/key-card", &json!({"token": token})).await).await;
    let _: Vec<Prepare> = get(&phone, "/api/seller/prepare").await;
    let _: Money = get(&phone, "/api/seller/money").await;
    let _: Vec<Listing> = get(&phone, "/api/seller/listings").await;
    server.stop().await;
}
