//! A real township from an empty database, over HTTP: the platform admin
//! makes a hub and its operator; the operator registers families by hand and
//! by CSV, edits zones and staff; every change is in the audit log; and
//! nobody reaches another hub's families, zones or staff.

use crate::common::{Browser, Data, TestServer};
use bazar_api::account::{Me, Role};
use bazar_api::center::{CenterFamily, OrderDetail};
use bazar_api::manage::{AuditEntry, Hub, ImportReport, NewPassword, StaffMember, ZoneForm};
use bazar_api::{ApiError, ErrorCode, Product, Zone};
use reqwest::StatusCode;
use serde_json::{Value, json};

const HUB: &str = "yultuz-bagh";

fn hub_body(slug: &str) -> Value {
    json!({
        "slug": slug,
        "names": {"ug": "داشى", "zh": "大西村", "en": "Daxi"},
        "address": "Daxi township, Kashgar",
        "fee_bp": 600,
        "bank_payee": "Daxi township e-commerce center",
        "bank_name": "Agricultural Bank of China, Kashgar",
        "bank_account": "6228 4800 0000 0000 000",
    })
}

fn family_body(en: &str, stamp: &str) -> Value {
    json!({
        "names": {"ug": format!("{en} ئائىلىسى"), "zh": format!("{en}家"), "en": en},
        "village": {"ug": "داشى", "zh": "大西村", "en": "Daxi"},
        "phone": "",
        "stamp": stamp,
    })
}

fn zone_body(en: &str, fee: i64) -> Value {
    json!({
        "names": {"ug": en, "zh": en, "en": en},
        "shipping_fen": fee,
        "days_min": 2,
        "days_max": 4,
    })
}

async fn code_of(response: reqwest::Response) -> ErrorCode {
    response.json::<ApiError>().await.unwrap().error.code
}

/// The family list of the import tests: `rows` families of which those
/// at the positions in `bad` have something wrong, with a header.
fn family_list(rows: usize, bad: &[usize]) -> String {
    let mut csv = String::from("name_ug,name_zh,name_en,village_ug,village_zh,village_en,stamp,phone\n");
    for i in 0..rows {
        let stamp = format!("F{i:02}");
        let line = match bad.iter().position(|b| *b == i) {
            // No Chinese name; a stamp too long; a wrong phone; a Uyghur
            // village missing; a stamp that is another row's.
            Some(0) => format!("ئائىلە {i},,Family {i},يېزا,大西村,Daxi,{stamp},\n"),
            Some(1) => format!("ئائىلە {i},{i}号家,Family {i},يېزا,大西村,Daxi,TOOLONG,\n"),
            Some(2) => format!("ئائىلە {i},{i}号家,Family {i},يېزا,大西村,Daxi,{stamp},12345\n"),
            Some(3) => format!("ئائىلە {i},{i}号家,Family {i},,大西村,Daxi,{stamp},\n"),
            Some(_) => format!("ئائىلە {i},{i}号家,Family {i},يېزا,大西村,Daxi,F00,\n"),
            None => format!(
                "ئائىلە {i},{i}号家,Family {i},يېزا,大西村,Daxi,{stamp},13800138{:03}\n",
                i
            ),
        };
        csv.push_str(&line);
    }
    csv
}

/// The first admin as README says: made by the server's command line on
/// the empty database, its password printed once.
fn create_admin_by_command_line(data: &Data, username: &str) -> String {
    let db = match &data.db {
        bazar_server::store::Location::Postgres(url) => url.clone(),
        bazar_server::store::Location::Sqlite(path) => path.display().to_string(),
    };
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_bazar-server"))
        .args(["--db", &db, "--no-demo", "create-account", "--role", "admin"])
        .args(["--username", username])
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{said} {}",
        String::from_utf8_lossy(&output.stderr)
    );
    said.lines()
        .find_map(|l| l.strip_prefix("Password (shown only now): "))
        .unwrap_or_else(|| panic!("no password in {said}"))
        .to_string()
}

async fn families(operator: &Browser) -> Vec<CenterFamily> {
    operator.get("/api/center/families").await.json().await.unwrap()
}

async fn audit(operator: &Browser, query: &str) -> Vec<AuditEntry> {
    let response = operator.get(&format!("/api/center/audit{query}")).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

/// A new operator of `hub`, made by `admin`, signed in.
async fn new_operator(server: &TestServer, admin: &Browser, hub: &str, username: &str) -> Browser {
    let response = admin
        .post(
            &format!("/api/admin/hubs/{hub}/operators"),
            &json!({"username": username, "role": "operator"}),
        )
        .await;
    assert_eq!(response.status(), 201);
    let made: NewPassword = response.json().await.unwrap();
    server.sign_in(username, &made.password).await
}

#[tokio::test]
async fn an_admin_starts_a_real_hub_from_an_empty_database() {
    let data = Data::new().await;
    // The database is made by the first command; it has no hub.
    let password = create_admin_by_command_line(&data, "platform.admin");
    let server = TestServer::start_empty(data).await;
    let admin = server.sign_in("platform.admin", &password).await;
    let me: Option<Me> = admin.get("/api/auth/me").await.json().await.unwrap();
    assert_eq!(me.map(|m| (m.role, m.hub)), Some((Role::Admin, String::new())));
    // An admin acts in a hub only after choosing one.
    let response = admin.get("/api/center/orders").await;
    assert_eq!(response.status(), StatusCode::CONFLICT);

    // A hub: its form is checked, its slug is its own.
    let mut bad = hub_body("Da xi");
    bad["fee_bp"] = json!(3001);
    bad["names"]["zh"] = json!("");
    let response = admin.post("/api/admin/hubs", &bad).await;
    assert_eq!(response.status(), 422);
    let fields: Vec<String> = response
        .json::<ApiError>()
        .await
        .unwrap()
        .error
        .fields
        .into_iter()
        .map(|f| f.field)
        .collect();
    assert_eq!(fields, ["slug", "names.zh", "fee_bp"]);
    let response = admin.post("/api/admin/hubs", &hub_body("daxi")).await;
    assert_eq!(response.status(), 201);
    let hub: Hub = response.json().await.unwrap();
    assert_eq!(
        (hub.slug.as_str(), hub.fee_bp, hub.families, hub.disabled),
        ("daxi", 600, 0, false)
    );
    let response = admin.post("/api/admin/hubs", &hub_body("daxi")).await;
    assert_eq!(response.status(), 422);
    let fields = response.json::<ApiError>().await.unwrap().error.fields;
    assert_eq!(
        (fields[0].field.as_str(), fields[0].code.as_str()),
        ("slug", "taken")
    );

    // Its first operator, whose password is shown once; only operators here.
    let response = admin
        .post(
            "/api/admin/hubs/daxi/operators",
            &json!({"username": "daxi.trainer", "role": "trainer"}),
        )
        .await;
    assert_eq!(response.status(), 422);
    let response = admin
        .post(
            "/api/admin/hubs/nowhere/operators",
            &json!({"username": "nobody.ops", "role": "operator"}),
        )
        .await;
    assert_eq!(response.status(), 404);
    let operator = new_operator(&server, &admin, "daxi", "daxi.ops").await;
    let me: Option<Me> = operator.get("/api/auth/me").await.json().await.unwrap();
    assert_eq!(
        me.map(|m| (m.role, m.hub)),
        Some((Role::Operator, "daxi".to_string()))
    );
    // An operator makes no hubs and sees no list of them.
    assert_eq!(
        operator.post("/api/admin/hubs", &hub_body("mine")).await.status(),
        403
    );
    assert_eq!(operator.get("/api/admin/hubs").await.status(), 403);

    // Two families by hand; a stamp is one family's.
    for (en, stamp) in [("Tursun", "trs"), ("Aygul", "AYG")] {
        let response = operator
            .post("/api/center/families", &family_body(en, stamp))
            .await;
        assert_eq!(response.status(), 201, "{en}");
        let family: CenterFamily = response.json().await.unwrap();
        assert_eq!(family.stamp, stamp.to_uppercase());
    }
    let response = operator
        .post("/api/center/families", &family_body("Another", "TRS"))
        .await;
    assert_eq!(response.status(), 422);
    let fields = response.json::<ApiError>().await.unwrap().error.fields;
    assert_eq!(
        (fields[0].field.as_str(), fields[0].code.as_str()),
        ("stamp", "taken")
    );
    let response = operator
        .post("/api/center/families", &family_body("Nobody", "TOOLONG"))
        .await;
    assert_eq!(response.status(), 422);

    // A zone, which the shop offers at once.
    let response = operator
        .post("/api/center/zones", &zone_body("Beijing", 1800))
        .await;
    assert_eq!(response.status(), 201);
    let zones: Vec<Zone> = server.get("/api/zones").await.json().await.unwrap();
    assert_eq!(zones.iter().map(|z| z.shipping_fen.0).collect::<Vec<_>>(), [1800]);

    // Ten families by CSV: a dry run first writes nothing.
    let list = family_list(10, &[]);
    let response = operator
        .post_bytes(
            "/api/center/families/import?dry_run=true",
            "text/csv",
            list.clone().into_bytes(),
        )
        .await;
    assert_eq!(response.status(), 200);
    let report: ImportReport = response.json().await.unwrap();
    assert_eq!((report.dry_run, report.created, report.invalid), (true, 10, 0));
    assert_eq!(families(&operator).await.len(), 2);
    let report: ImportReport = operator
        .post_bytes("/api/center/families/import", "text/csv", list.into_bytes())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!((report.dry_run, report.created), (false, 10));
    assert_eq!(families(&operator).await.len(), 12);

    // A key card for a new family, printed at once.
    let family = families(&operator).await[2].id;
    let response = operator
        .post(&format!("/api/center/families/{family}/key-card"), &json!({}))
        .await;
    assert_eq!(response.status(), 201);

    // The admin works in the hub as its operator.
    let me: Me = admin
        .post("/api/admin/hub", &json!({"slug": "daxi"}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me.hub, "daxi");
    assert_eq!(families(&admin).await.len(), 12);
    let hubs: Vec<Hub> = admin.get("/api/admin/hubs").await.json().await.unwrap();
    assert_eq!(
        hubs.iter().map(|h| (h.families, h.operators)).collect::<Vec<_>>(),
        [(12, 1)]
    );

    // Every change is in the hub's log, once, by whom it was made.
    let log = audit(&operator, "").await;
    let count = |object: &str, action: &str| {
        log.iter()
            .filter(|e| e.object.starts_with(object) && e.action == action)
            .count()
    };
    assert_eq!(count("family:", "create"), 2);
    assert_eq!(count("family:", "import"), 10);
    assert_eq!(count("zone:", "create"), 1);
    assert_eq!(count("account:", "create"), 1);
    assert!(
        log.iter()
            .filter(|e| e.action != "create" || !e.object.starts_with("account:"))
            .all(|e| e.actor == "operator:daxi.ops")
    );
    server.stop().await;
}

#[tokio::test]
async fn a_family_list_imports_once_whatever_its_encoding() {
    let server = TestServer::start().await;
    let admin = server.admin("list.admin").await;
    for slug in ["bom-hub", "gb-hub"] {
        assert_eq!(admin.post("/api/admin/hubs", &hub_body(slug)).await.status(), 201);
    }
    let bom = new_operator(&server, &admin, "bom-hub", "bom.ops").await;
    let gb = new_operator(&server, &admin, "gb-hub", "gb.ops").await;

    // 100 rows, 5 of them bad, each with its reason.
    let bad = [7, 23, 41, 66, 90];
    let list = family_list(100, &bad);
    let utf8_bom = [b"\xEF\xBB\xBF".as_slice(), list.as_bytes()].concat();
    let report: ImportReport = bom
        .post_bytes("/api/center/families/import", "text/csv", utf8_bom.clone())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!((report.created, report.existing, report.invalid), (95, 0, 5));
    let invalid: Vec<(u32, String)> = report
        .rows
        .iter()
        .filter(|r| r.fate == "invalid")
        .map(|r| {
            (
                r.line,
                r.errors
                    .iter()
                    .map(|e| format!("{}:{}", e.field, e.code))
                    .collect::<Vec<_>>()
                    .join(" "),
            )
        })
        .collect();
    assert_eq!(
        invalid,
        [
            (9, "names.zh:required".to_string()),
            (25, "stamp:stamp_format".to_string()),
            (43, "phone:phone_format".to_string()),
            (68, "village.ug:required".to_string()),
            (92, "stamp:taken".to_string()),
        ]
    );
    assert_eq!(families(&bom).await.len(), 95);
    // The same file again: nothing new.
    let again: ImportReport = bom
        .post_bytes("/api/center/families/import", "text/csv", utf8_bom)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!((again.created, again.existing, again.invalid), (0, 95, 5));
    assert_eq!(families(&bom).await.len(), 95);

    // The same list as GB18030 (what Excel in China writes; GBK is its
    // Chinese part) gives the same families in the other hub.
    let (gb18030, _, unmappable) = encoding_rs::GB18030.encode(&list);
    assert!(!unmappable && std::str::from_utf8(&gb18030).is_err());
    let report: ImportReport = gb
        .post_bytes("/api/center/families/import", "text/csv", gb18030.into_owned())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!((report.created, report.invalid), (95, 5));
    let shape = |f: Vec<CenterFamily>| {
        f.into_iter()
            .map(|f| (f.names, f.village, f.stamp, f.phone))
            .collect::<Vec<_>>()
    };
    assert_eq!(shape(families(&bom).await), shape(families(&gb).await));

    // Neither UTF-8 nor GB18030; a file without the needed columns; over the size.
    let response = gb
        .post_bytes("/api/center/families/import", "text/csv", vec![0x81, 0x20, 0xff])
        .await;
    assert_eq!(response.status(), 415);
    let response = gb
        .post_bytes(
            "/api/center/families/import",
            "text/csv",
            b"name_zh,stamp\nx,AB\n".to_vec(),
        )
        .await;
    assert_eq!(response.status(), 422);
    let response = gb
        .post_bytes(
            "/api/center/families/import",
            "text/csv",
            vec![b'a'; bazar_server::manage::MAX_IMPORT_BYTES + 1],
        )
        .await;
    assert_eq!(response.status(), 413);
    // The template has the columns and opens in Excel as UTF-8.
    let template = gb.get("/api/center/families/import-template.csv").await;
    assert_eq!(template.status(), 200);
    let bytes = template.bytes().await.unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBFname_ug,name_zh,name_en,village_ug"));
    let report: ImportReport = gb
        .post_bytes(
            "/api/center/families/import?dry_run=true",
            "text/csv",
            bytes.to_vec(),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!((report.created, report.invalid), (1, 0), "{report:?}");
    server.stop().await;
}

#[tokio::test]
async fn staff_families_and_zones_stay_inside_their_hub() {
    let server = TestServer::start().await;
    let admin = server.admin("guard.admin").await;
    assert_eq!(
        admin
            .post("/api/admin/hubs", &hub_body("other-hub"))
            .await
            .status(),
        201
    );
    let there = new_operator(&server, &admin, "other-hub", "there.ops").await;
    let here = server.signed_in(HUB, Role::Operator, "here.ops").await;
    let trainer = server.signed_in(HUB, Role::Trainer, "here.trainer").await;
    let (phone, _) = server.family_phone(&here, 1).await;
    let nobody = server.browser();

    let zone: ZoneForm = here
        .get("/api/center/zones")
        .await
        .json::<Vec<ZoneForm>>()
        .await
        .unwrap()
        .remove(0);
    let staff: Vec<StaffMember> = here.get("/api/center/staff").await.json().await.unwrap();
    let trainer_id = staff.iter().find(|s| s.username == "here.trainer").unwrap().id;
    let family = json!(family_body("Guard", "GRD"));
    let zone_form = zone_body("Guard zone", 500);

    // Every route: signed out 401; a trainer or a family 403; another hub's
    // operator 404 on our objects; the admin's routes 403 for operators.
    let gets = [
        "/api/center/staff".to_string(),
        "/api/center/zones".to_string(),
        "/api/center/audit".to_string(),
        "/api/center/audit.csv".to_string(),
        "/api/center/families/1".to_string(),
        "/api/center/families/import-template.csv".to_string(),
    ];
    for path in &gets {
        assert_eq!(nobody.get(path).await.status(), 401, "{path}");
        assert_eq!(trainer.get(path).await.status(), 403, "{path}");
        assert_eq!(phone.get(path).await.status(), 403, "{path}");
    }
    assert_eq!(there.get("/api/center/families/1").await.status(), 404);
    let posts = [
        (
            "/api/center/staff".to_string(),
            json!({"username": "sneaky.trainer", "role": "trainer"}),
        ),
        (format!("/api/center/staff/{trainer_id}/password"), json!({})),
        (format!("/api/center/staff/{trainer_id}/disable"), json!({})),
        (format!("/api/center/staff/{trainer_id}/enable"), json!({})),
        ("/api/center/families".to_string(), family.clone()),
        ("/api/center/families/1/retire".to_string(), json!({})),
        ("/api/center/zones".to_string(), zone_form.clone()),
        (format!("/api/center/zones/{}/retire", zone.id), json!({})),
        ("/api/admin/hubs".to_string(), hub_body("sneaky")),
        ("/api/admin/hubs/other-hub/disable".to_string(), json!({})),
        (
            "/api/admin/hubs/other-hub/operators".to_string(),
            json!({"username": "sneaky.ops", "role": "operator"}),
        ),
        ("/api/admin/hub".to_string(), json!({"slug": "other-hub"})),
    ];
    for (path, body) in &posts {
        assert_eq!(nobody.post(path, body).await.status(), 401, "{path}");
        assert_eq!(trainer.post(path, body).await.status(), 403, "{path}");
        assert_eq!(phone.post(path, body).await.status(), 403, "{path}");
        let foreign = there.post(path, body).await.status();
        let expected = if path.starts_with("/api/admin") {
            403
        } else if path.contains("/staff/") || path.contains("/families/1") || path.contains("/zones/") {
            404
        } else {
            // Made in their own hub (checked below).
            201
        };
        assert_eq!(foreign.as_u16(), expected, "{path}");
    }
    for (path, body) in [
        ("/api/center/families/1".to_string(), family.clone()),
        (format!("/api/center/zones/{}", zone.id), zone_form.clone()),
    ] {
        assert_eq!(nobody.put(&path, &body).await.status(), 401, "{path}");
        assert_eq!(trainer.put(&path, &body).await.status(), 403, "{path}");
        assert_eq!(there.put(&path, &body).await.status(), 404, "{path}");
    }
    // What they made is theirs, not ours.
    let ours: Vec<CenterFamily> = families(&here).await;
    let theirs: Vec<CenterFamily> = families(&there).await;
    assert!(ours.iter().all(|f| f.stamp != "GRD") && theirs.iter().any(|f| f.stamp == "GRD"));
    let our_staff: Vec<StaffMember> = here.get("/api/center/staff").await.json().await.unwrap();
    assert!(our_staff.iter().all(|s| s.username != "sneaky.trainer"));
    let their_zones: Vec<ZoneForm> = there.get("/api/center/zones").await.json().await.unwrap();
    assert_eq!(their_zones.len(), 1);
    // Nothing of ours changed: the trainer still signs in, the family and
    // the zone are as they were.
    let family_one: CenterFamily = here.get("/api/center/families/1").await.json().await.unwrap();
    assert!(!family_one.retired);
    let zones: Vec<ZoneForm> = here.get("/api/center/zones").await.json().await.unwrap();
    assert_eq!(zones[0], zone);
    assert_eq!(
        trainer.get("/api/center/staff").await.status(),
        403,
        "the trainer's session lives"
    );
    // Another hub's log has none of our entries, ours none of theirs.
    assert!(
        audit(&here, "")
            .await
            .iter()
            .all(|e| e.actor != "operator:there.ops")
    );

    // A hub's last working operator stays; with a second one, the first can
    // be disabled, and its session ends at once.
    let theirs: Vec<StaffMember> = there.get("/api/center/staff").await.json().await.unwrap();
    let first = theirs.iter().find(|s| s.username == "there.ops").unwrap().id;
    let response = there
        .post(&format!("/api/center/staff/{first}/disable"), &json!({}))
        .await;
    assert_eq!(response.status(), 409);
    let response = there
        .post(
            "/api/center/staff",
            &json!({"username": "there.two", "role": "operator"}),
        )
        .await;
    assert_eq!(response.status(), 201);
    let second: NewPassword = response.json().await.unwrap();
    let two = server.sign_in("there.two", &second.password).await;
    let response = two
        .post(&format!("/api/center/staff/{first}/disable"), &json!({}))
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        there.get("/api/center/staff").await.status(),
        401,
        "disabled: signed out at once"
    );
    let response = server
        .browser()
        .post(
            "/api/auth/sign-in",
            &json!({"username": "there.ops", "password": "there.ops-correct-horse"}),
        )
        .await;
    assert_eq!(response.status(), 401);
    // A new password, shown once: the old one stops working.
    let response = two
        .post(&format!("/api/center/staff/{}/password", second.id), &json!({}))
        .await;
    let reset: NewPassword = response.json().await.unwrap();
    assert_eq!(
        two.get("/api/center/staff").await.status(),
        401,
        "a reset ends the sessions"
    );
    let response = server
        .browser()
        .post(
            "/api/auth/sign-in",
            &json!({"username": "there.two", "password": second.password}),
        )
        .await;
    assert_eq!(response.status(), 401);
    let two = server.sign_in("there.two", &reset.password).await;
    // Nobody raises a role: staff are made operators or trainers only.
    let response = two
        .post(
            "/api/center/staff",
            &json!({"username": "boss.admin", "role": "admin"}),
        )
        .await;
    assert_eq!(code_of(response).await, ErrorCode::Validation);

    // A disabled hub: its products leave the shop, its staff are signed out.
    assert_eq!(
        two.post("/api/center/families", &family_body("Their", "THR"))
            .await
            .status(),
        201
    );
    let response = admin.post("/api/admin/hubs/other-hub/disable", &json!({})).await;
    let hub: Hub = response.json().await.unwrap();
    assert!(hub.disabled);
    assert_eq!(two.get("/api/center/staff").await.status(), 401);
    let response = admin.post("/api/admin/hubs/other-hub/enable", &json!({})).await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        admin
            .post("/api/admin/hubs/nowhere/disable", &json!({}))
            .await
            .status(),
        404
    );
    server.stop().await;
}

#[tokio::test]
async fn a_retired_family_or_zone_leaves_the_shop_and_orders_keep_what_they_paid() {
    let server = TestServer::start().await;
    let operator = server.signed_in(HUB, Role::Operator, "retire.ops").await;
    let products: Vec<Product> = server.get("/api/products").await.json().await.unwrap();
    let of_one: Vec<i64> = products
        .iter()
        .filter(|p| p.family.id == 1)
        .map(|p| p.id)
        .collect();
    let other = products.iter().find(|p| p.family.id != 1).unwrap().id;
    let order = server.place("beijing", &[(of_one[0], 1)]).await;

    // A zone's fee changes: the order placed keeps what it paid.
    let zones: Vec<ZoneForm> = operator.get("/api/center/zones").await.json().await.unwrap();
    let beijing = zones
        .iter()
        .find(|z| z.names.en.contains("Beijing"))
        .unwrap()
        .clone();
    let mut dearer = json!(beijing);
    dearer["shipping_fen"] = json!(beijing.shipping_fen.0 + 700);
    let response = operator
        .put(&format!("/api/center/zones/{}", beijing.id), &dearer)
        .await;
    assert_eq!(response.status(), 200);
    let detail: OrderDetail = operator
        .get(&format!("/api/center/orders/{}", order.code))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(detail.shipping_fen, order.shipping_fen);
    let shop_zones: Vec<Zone> = server.get("/api/zones").await.json().await.unwrap();
    let shown = shop_zones
        .iter()
        .find(|z| z.names.en == beijing.names.en)
        .unwrap();
    assert_eq!(shown.shipping_fen.0, beijing.shipping_fen.0 + 700);
    // An edit is logged with the values before and after.
    let log = audit(&operator, &format!("?object=zone:{}", beijing.id)).await;
    assert_eq!(log.len(), 1);
    let old: Value = serde_json::from_str(log[0].old.as_deref().unwrap()).unwrap();
    let new: Value = serde_json::from_str(log[0].new.as_deref().unwrap()).unwrap();
    assert_eq!(
        (old["shipping_fen"].as_i64(), new["shipping_fen"].as_i64()),
        (Some(beijing.shipping_fen.0), Some(beijing.shipping_fen.0 + 700))
    );

    // A retired zone is no longer offered, and no order can use it.
    let response = operator
        .post(&format!("/api/center/zones/{}/retire", beijing.id), &json!({}))
        .await;
    assert!(response.json::<ZoneForm>().await.unwrap().retired);
    let shop_zones: Vec<Zone> = server.get("/api/zones").await.json().await.unwrap();
    assert!(shop_zones.iter().all(|z| z.names.en != beijing.names.en));
    let response = server
        .client
        .post(server.url("/api/orders"))
        .header("Idempotency-Key", crate::common::new_key())
        .json(&json!({
            "customer": {"name": "王芳", "phone": crate::common::new_phone(), "address": "北京市朝阳区1号", "zone": beijing.code},
            "lines": [{"product_id": other, "quantity": 1}],
            "payment": "on_delivery",
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);

    // A retired family: its products leave the shop, an order for one is
    // refused as sold out, and its order and key card history stay.
    let response = operator.post("/api/center/families/1/retire", &json!({})).await;
    assert!(response.json::<CenterFamily>().await.unwrap().retired);
    let products: Vec<Product> = server.get("/api/products").await.json().await.unwrap();
    assert!(products.iter().all(|p| p.family.id != 1));
    assert_eq!(
        server.get(&format!("/api/products/{}", of_one[0])).await.status(),
        404
    );
    let live_zone = shop_zones[0].code.clone();
    let response = server
        .client
        .post(server.url("/api/orders"))
        .header("Idempotency-Key", crate::common::new_key())
        .json(&json!({
            "customer": {"name": "王芳", "phone": crate::common::new_phone(), "address": "北京市朝阳区1号", "zone": live_zone},
            "lines": [{"product_id": of_one[0], "quantity": 1}],
            "payment": "on_delivery",
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 409);
    let detail = operator.get(&format!("/api/center/orders/{}", order.code)).await;
    assert_eq!(detail.status(), 200);
    let response = operator.post("/api/center/families/1/key-card", &json!({})).await;
    assert_eq!(response.status(), 404, "no key card for a retired family");

    // The log as CSV: one row per entry, the values as JSON, whatever they hold.
    let mut form = family_body("=HYPERLINK(1)", "EVL");
    form["names"]["zh"] = json!("=HYPERLINK(1), \"quoted\"");
    assert_eq!(operator.post("/api/center/families", &form).await.status(), 201);
    let entries = audit(&operator, "").await;
    let csv = operator.get("/api/center/audit.csv").await.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    assert_eq!(
        reader.headers().unwrap(),
        vec!["at", "actor", "object", "action", "old", "new"]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), entries.len());
    let created: Value = serde_json::from_str(&rows[0][5]).unwrap();
    assert_eq!(created["names"]["zh"], "=HYPERLINK(1), \"quoted\"");
    assert_eq!((&rows[0][1], &rows[0][3]), ("operator:retire.ops", "create"));
    for day in ["2026-13-45", "", "2026-12-2"] {
        let status = operator
            .get(&format!("/api/center/audit?day={day}"))
            .await
            .status();
        assert_eq!(status, 400, "{day:?}");
    }
    server.stop().await;
}

#[tokio::test]
async fn a_product_is_corrected_counted_and_paused_by_its_hub_and_its_family_only() {
    use bazar_api::Capacity;
    use bazar_api::center::Listing;
    let server = TestServer::start().await;
    let operator = server.signed_in(HUB, Role::Operator, "product.ops").await;
    let trainer = server.signed_in(HUB, Role::Trainer, "product.trainer").await;
    let admin = server.admin("product.admin").await;
    assert_eq!(
        admin.post("/api/admin/hubs", &hub_body("far-hub")).await.status(),
        201
    );
    let there = new_operator(&server, &admin, "far-hub", "far.ops").await;
    let products: Vec<Product> = server.get("/api/products").await.json().await.unwrap();
    let weekly = products
        .iter()
        .find(|p| p.capacity == Capacity::Weekly)
        .unwrap()
        .clone();
    let neighbour = products
        .iter()
        .find(|p| p.family.id != weekly.family.id)
        .unwrap()
        .clone();
    let (phone, _) = server.family_phone(&operator, weekly.family.id).await;
    let order = server.place("beijing", &[(weekly.id, 2)]).await;
    let shop = |id: i64| {
        let server = &server;
        async move {
            let response = server.get(&format!("/api/products/{id}")).await;
            let status = response.status();
            let detail = response.json::<Value>().await.unwrap_or_default();
            (status, detail["product"].clone())
        }
    };

    // The family says how many it makes this week: what was ordered stays ordered.
    let path = format!("/api/seller/products/{}/count", weekly.id);
    let response = phone.post(&path, &json!({"count": 10})).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<Listing>().await.unwrap().quantity, 10);
    assert_eq!(shop(weekly.id).await.1["available"], 8);
    assert_eq!(phone.post(&path, &json!({"count": 10_000})).await.status(), 200);
    assert_eq!(phone.post(&path, &json!({"count": 10_001})).await.status(), 422);
    assert_eq!(phone.post(&path, &json!({"count": 10})).await.status(), 200);

    // It pauses the product: still in the shop, not available now, refused at checkout.
    let pause = format!("/api/seller/products/{}/pause", weekly.id);
    let response = phone.post(&pause, &json!({})).await;
    assert!(response.json::<Listing>().await.unwrap().paused);
    let (status, shown) = shop(weekly.id).await;
    assert_eq!((status.as_u16(), shown["available"].as_i64()), (200, Some(0)));
    let response = server
        .client
        .post(server.url("/api/orders"))
        .header("Idempotency-Key", crate::common::new_key())
        .json(&json!({
            "customer": {"name": "王芳", "phone": crate::common::new_phone(), "address": "北京市朝阳区1号", "zone": "beijing"},
            "lines": [{"product_id": weekly.id, "quantity": 1}],
            "payment": "on_delivery",
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 409);
    let resume = format!("/api/seller/products/{}/resume", weekly.id);
    assert_eq!(phone.post(&resume, &json!({})).await.status(), 200);
    assert_eq!(shop(weekly.id).await.1["available"], 8);

    // Only its own products; it retires nothing.
    for path in [
        format!("/api/seller/products/{}/pause", neighbour.id),
        format!("/api/seller/products/{}/count", neighbour.id),
        format!("/api/seller/products/{}/retire", weekly.id),
    ] {
        assert_eq!(
            phone.post(&path, &json!({"count": 1})).await.status(),
            404,
            "{path}"
        );
    }
    let edit = json!({
        "names": {"ug": "تۇخۇم", "zh": "土鸡蛋", "en": "Eggs"},
        "unit": {"ug": "دانە", "zh": "枚", "en": "egg"},
        "price_fen": weekly.price_fen.0 + 50,
        "count": 12,
    });
    let edit_path = format!("/api/center/products/{}", weekly.id);
    for (who, status) in [
        (&server.browser(), 401),
        (&trainer, 403),
        (&phone, 403),
        (&there, 404),
    ] {
        assert_eq!(who.put(&edit_path, &edit).await.status(), status);
        let act = format!("/api/center/products/{}/pause", weekly.id);
        assert_eq!(who.post(&act, &json!({})).await.status(), status);
    }
    assert_eq!(
        there
            .get("/api/center/products")
            .await
            .json::<Vec<Listing>>()
            .await
            .unwrap()
            .len(),
        0
    );
    assert_eq!(
        operator
            .post(&format!("/api/center/products/{}/explode", weekly.id), &json!({}))
            .await
            .status(),
        404
    );

    // The center corrects the price and the count: the order placed keeps
    // its price, the shop shows the new one, the log both.
    let response = operator.put(&edit_path, &edit).await;
    assert_eq!(response.status(), 200);
    let edited: Listing = response.json().await.unwrap();
    assert_eq!(
        (edited.price_fen.0, edited.quantity, edited.names.zh.as_str()),
        (weekly.price_fen.0 + 50, 12, "土鸡蛋")
    );
    assert_eq!(shop(weekly.id).await.1["price_fen"], weekly.price_fen.0 + 50);
    let detail: OrderDetail = operator
        .get(&format!("/api/center/orders/{}", order.code))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(detail.lines[0].unit_price_fen, weekly.price_fen);
    let log = audit(&operator, &format!("?object=product:{}", weekly.id)).await;
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["edit", "resume", "pause", "count", "count", "count"]);
    let old: Value = serde_json::from_str(log[0].old.as_deref().unwrap()).unwrap();
    let new: Value = serde_json::from_str(log[0].new.as_deref().unwrap()).unwrap();
    assert_eq!(
        (old["price_fen"].as_i64(), new["price_fen"].as_i64()),
        (Some(weekly.price_fen.0), Some(weekly.price_fen.0 + 50))
    );
    assert!(log.iter().skip(1).all(|e| e.actor.starts_with("family:")));
    let mut bad = edit.clone();
    bad["price_fen"] = json!(0);
    assert_eq!(operator.put(&edit_path, &bad).await.status(), 422);

    // Retired: out of the shop for good.
    let response = operator
        .post(&format!("/api/center/products/{}/retire", weekly.id), &json!({}))
        .await;
    assert!(response.json::<Listing>().await.unwrap().retired);
    assert_eq!(shop(weekly.id).await.0, 404);
    let listed: Vec<Product> = server.get("/api/products").await.json().await.unwrap();
    assert!(listed.iter().all(|p| p.id != weekly.id));
    let all: Vec<Listing> = operator.get("/api/center/products").await.json().await.unwrap();
    assert!(all.iter().any(|p| p.id == weekly.id && p.retired));
    server.stop().await;
}

#[tokio::test]
async fn a_familys_month_statement_adds_up_with_its_earnings() {
    use bazar_api::center::{Earnings, Statement};
    let server = TestServer::start().await;
    let operator = server.signed_in(HUB, Role::Operator, "statement.ops").await;
    let admin = server.admin("statement.admin").await;
    assert_eq!(
        admin.post("/api/admin/hubs", &hub_body("far-hub")).await.status(),
        201
    );
    let there = new_operator(&server, &admin, "far-hub", "far.ops").await;
    let products: Vec<Product> = server.get("/api/products").await.json().await.unwrap();
    let family = products[0].family.id;
    let mine: Vec<&Product> = products
        .iter()
        .filter(|p| p.family.id == family)
        .take(2)
        .collect();
    server.place("beijing", &[(mine[0].id, 3)]).await;
    server.place("beijing", &[(mine[0].id, 1)]).await;
    if let Some(second) = mine.get(1) {
        server.place("beijing", &[(second.id, 2)]).await;
    }
    let response = operator
        .post(
            "/api/center/payouts",
            &json!({"family_id": family, "amount_fen": 500}),
        )
        .await;
    assert_eq!(response.status(), 201);

    let path = format!("/api/center/families/{family}/statement");
    let statement: Statement = operator.get(&path).await.json().await.unwrap();
    let earnings: Earnings = operator.get("/api/center/earnings").await.json().await.unwrap();
    let row = earnings.families.iter().find(|f| f.family_id == family).unwrap();
    assert_eq!(
        (statement.month.as_str(), statement.sold),
        (earnings.month.as_str(), row.sold)
    );
    assert_eq!(statement.balance_fen, row.balance_fen);
    assert_eq!(
        statement
            .lines
            .iter()
            .map(|l| l.sold)
            .sum::<bazar_api::earnings::Split>(),
        row.sold
    );
    assert_eq!(statement.lines[0].product_id, mine[0].id, "the most sold first");
    assert_eq!(statement.lines[0].sold.items, 4);
    assert_eq!(statement.payouts.iter().map(|p| p.amount_fen.0).sum::<i64>(), 500);
    assert_eq!(statement.family.names, mine[0].family.names);
    // Another month has nothing sold; another hub's operator finds nothing.
    let earlier: Statement = operator
        .get(&format!("{path}?month=2020-01"))
        .await
        .json()
        .await
        .unwrap();
    assert!(earlier.lines.is_empty() && earlier.sold.items == 0);
    assert_eq!(operator.get(&format!("{path}?month=2020-13")).await.status(), 400);
    assert_eq!(there.get(&path).await.status(), 404);
    assert_eq!(server.browser().get(&path).await.status(), 401);
    server.stop().await;
}

#[tokio::test]
async fn an_operator_lists_for_a_family_without_a_phone() {
    use bazar_api::center::Listing;
    use bazar_api::seller::Photo;
    let server = TestServer::start().await;
    let operator = server.signed_in(HUB, Role::Operator, "assist.ops").await;
    let admin = server.admin("assist.admin").await;
    assert_eq!(
        admin.post("/api/admin/hubs", &hub_body("far-hub")).await.status(),
        201
    );
    let there = new_operator(&server, &admin, "far-hub", "far.ops").await;
    let family = 2;
    let image = image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([x as u8 * 4, y as u8 * 5, 90]));
    let mut png = std::io::Cursor::new(Vec::new());
    image.write_to(&mut png, image::ImageFormat::Png).unwrap();
    let png = png.into_inner();

    // The photo, taken with the operator's phone, is stored as the family's.
    let photos = format!("/api/center/families/{family}/photos");
    let response = there.post_bytes(&photos, "image/png", png.clone()).await;
    assert_eq!(response.status(), 404, "another hub's family");
    let response = operator.post_bytes(&photos, "image/png", png).await;
    assert_eq!(response.status(), 201);
    let photo: Photo = response.json().await.unwrap();

    // It becomes the family's picture in the shop (only a photo of the family's).
    let set = format!("/api/center/families/{family}/photo");
    assert_eq!(
        there.post(&set, &json!({"photo": photo.name})).await.status(),
        404
    );
    let unknown = json!({"photo": "0123456789abcdef0123456789abcdef.jpg"});
    assert_eq!(operator.post(&set, &unknown).await.status(), 422);
    let response = operator.post(&set, &json!({"photo": photo.name})).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<CenterFamily>().await.unwrap().photo, photo.url);
    let page: Value = server
        .get(&format!("/api/families/{family}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["family"]["photo"], photo.url.as_str());

    let body =
        json!({"kind": "honey", "quantity": 12, "capacity": "stock", "price_fen": 6800, "photo": photo.name});
    let path = format!("/api/center/families/{family}/listings");
    assert_eq!(there.post(&path, &body).await.status(), 404);
    assert_eq!(server.browser().post(&path, &body).await.status(), 401);
    let mut bad = body.clone();
    bad["photo"] = json!("0123456789abcdef0123456789abcdef.jpg");
    assert_eq!(
        operator.post(&path, &bad).await.status(),
        422,
        "a photo not the family's"
    );
    let response = operator.post(&path, &body).await;
    assert_eq!(response.status(), 201);
    let listing: Listing = response.json().await.unwrap();
    assert_eq!(listing.listed_by.as_deref(), Some("assist.ops"));
    assert_eq!((listing.family_id, listing.quantity), (family, 12));
    // Live at once: the shop sells it; the family's own list shows who listed it.
    let shown: Value = server
        .get(&format!("/api/products/{}", listing.id))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(shown["product"]["available"], 12);
    let (phone, _) = server.family_phone(&operator, family).await;
    let own: Vec<Listing> = phone.get("/api/seller/listings").await.json().await.unwrap();
    let mine = own.iter().find(|l| l.id == listing.id).unwrap();
    assert_eq!(mine.listed_by.as_deref(), Some("assist.ops"));
    let log = audit(&operator, &format!("?object=product:{}", listing.id)).await;
    assert_eq!(
        log.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(),
        ["list_for_family"]
    );
    let log = audit(&operator, &format!("?object=family:{family}")).await;
    assert_eq!(
        log.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(),
        ["photo"]
    );
    server.stop().await;
}

/// The newest entry of the hub's log, after checking that exactly one was
/// added since `before` entries, for `object` and `action`.
async fn one_more(operator: &Browser, before: &mut usize, object: &str, action: &str) -> AuditEntry {
    let log = audit(operator, "").await;
    assert_eq!(log.len(), *before + 1, "{object} {action}: exactly one entry");
    *before = log.len();
    let newest = log[0].clone();
    assert_eq!((newest.object.as_str(), newest.action.as_str()), (object, action));
    assert_eq!(newest.actor, "operator:audit.ops");
    newest
}

fn json_of(text: Option<&str>) -> Value {
    serde_json::from_str(text.unwrap_or("null")).unwrap()
}

#[tokio::test]
async fn every_change_staff_make_leaves_exactly_one_audit_entry() {
    use bazar_api::center::Listing;
    let server = TestServer::start().await;
    let operator = server.signed_in(HUB, Role::Operator, "audit.ops").await;
    let mut seen = audit(&operator, "").await.len();

    let response = operator
        .post(
            "/api/center/staff",
            &json!({"username": "audit.trainer", "role": "trainer"}),
        )
        .await;
    let trainer: NewPassword = response.json().await.unwrap();
    let account = format!("account:{}", trainer.id);
    let entry = one_more(&operator, &mut seen, &account, "create").await;
    assert_eq!(json_of(entry.new.as_deref())["role"], "trainer");
    for action in ["password", "disable", "enable"] {
        let status = operator
            .post(&format!("/api/center/staff/{}/{action}", trainer.id), &json!({}))
            .await
            .status();
        assert_eq!(status, 200);
        let logged = if action == "password" {
            "reset_password"
        } else {
            action
        };
        one_more(&operator, &mut seen, &account, logged).await;
    }

    let response = operator
        .post("/api/center/families", &family_body("Audit", "AUD"))
        .await;
    let family: CenterFamily = response.json().await.unwrap();
    let object = format!("family:{}", family.id);
    let entry = one_more(&operator, &mut seen, &object, "create").await;
    assert_eq!(json_of(entry.new.as_deref())["stamp"], "AUD");
    let response = operator
        .put(
            &format!("/api/center/families/{}", family.id),
            &family_body("Audited", "AUD"),
        )
        .await;
    assert_eq!(response.status(), 200);
    let entry = one_more(&operator, &mut seen, &object, "edit").await;
    assert_eq!(json_of(entry.old.as_deref())["names"]["en"], "Audit");
    assert_eq!(json_of(entry.new.as_deref())["names"]["en"], "Audited");
    let body = json!({"kind": "eggs", "quantity": 30, "capacity": "weekly", "price_fen": 150});
    let response = operator
        .post(&format!("/api/center/families/{}/listings", family.id), &body)
        .await;
    let listing: Listing = response.json().await.unwrap();
    let product = format!("product:{}", listing.id);
    one_more(&operator, &mut seen, &product, "list_for_family").await;
    let edit = json!({"names": {"ug": "تۇخۇم", "zh": "鸡蛋", "en": "Eggs"}, "unit": {"ug": "دانە", "zh": "枚", "en": "egg"}, "price_fen": 160, "count": 25});
    assert_eq!(
        operator
            .put(&format!("/api/center/products/{}", listing.id), &edit)
            .await
            .status(),
        200
    );
    let entry = one_more(&operator, &mut seen, &product, "edit").await;
    assert_eq!(
        (
            json_of(entry.old.as_deref())["price_fen"].as_i64(),
            json_of(entry.new.as_deref())["price_fen"].as_i64()
        ),
        (Some(150), Some(160))
    );
    for action in ["pause", "resume", "retire"] {
        let status = operator
            .post(
                &format!("/api/center/products/{}/{action}", listing.id),
                &json!({}),
            )
            .await
            .status();
        assert_eq!(status, 200);
        one_more(&operator, &mut seen, &product, action).await;
    }
    assert_eq!(
        operator
            .post(&format!("/api/center/families/{}/retire", family.id), &json!({}))
            .await
            .status(),
        200
    );
    one_more(&operator, &mut seen, &object, "retire").await;

    let list =
        "name_ug,name_zh,name_en,village_ug,village_zh,village_en,stamp\nئا,一家,One,كەنت,村,Village,ONE\n";
    let report: ImportReport = operator
        .post_bytes(
            "/api/center/families/import",
            "text/csv",
            list.as_bytes().to_vec(),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(report.created, 1);
    let log = audit(&operator, "").await;
    assert_eq!((log.len(), log[0].action.as_str()), (seen + 1, "import"));
    seen += 1;
    // A dry run writes nothing, not even to the log.
    let report: ImportReport = operator
        .post_bytes(
            "/api/center/families/import?dry_run=true",
            "text/csv",
            list.replace("One,", "Two,").replace("ONE", "TWO").into_bytes(),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(report.created, 1);
    assert_eq!(audit(&operator, "").await.len(), seen);

    let response = operator
        .post("/api/center/zones", &zone_body("Audit zone", 900))
        .await;
    let zone: ZoneForm = response.json().await.unwrap();
    let object = format!("zone:{}", zone.id);
    one_more(&operator, &mut seen, &object, "create").await;
    assert_eq!(
        operator
            .put(
                &format!("/api/center/zones/{}", zone.id),
                &zone_body("Audit zone", 950)
            )
            .await
            .status(),
        200
    );
    let entry = one_more(&operator, &mut seen, &object, "edit").await;
    assert_eq!(json_of(entry.new.as_deref())["shipping_fen"], 950);
    assert_eq!(
        operator
            .post(&format!("/api/center/zones/{}/retire", zone.id), &json!({}))
            .await
            .status(),
        200
    );
    let entry = one_more(&operator, &mut seen, &object, "retire").await;
    assert_eq!(
        (
            json_of(entry.old.as_deref())["retired"].as_bool(),
            json_of(entry.new.as_deref())["retired"].as_bool()
        ),
        (Some(false), Some(true))
    );

    // A refused change leaves nothing.
    assert_eq!(
        operator
            .post("/api/center/families", &family_body("Taken", "AUD"))
            .await
            .status(),
        422
    );
    assert_eq!(audit(&operator, "").await.len(), seen);
    // The log filters by person and by object.
    let by_object = audit(&operator, &format!("?object={object}")).await;
    assert_eq!(by_object.len(), 3);
    let by_person = audit(&operator, "?actor=operator:audit.ops").await;
    assert_eq!(by_person.len(), seen);
    assert!(audit(&operator, "?actor=operator:nobody").await.is_empty());
    server.stop().await;
}
