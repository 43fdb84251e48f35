//! Every address of the server's API the apps call, built in one place: a
//! route that moves changes here, and a test (`server/tests/it/tidy.rs`)
//! keeps `/api/` out of every other file of the apps.

use bazar_api::ProductKind;

fn encode(text: &str) -> String {
    js_sys::encode_uri_component(text).into()
}

/// `GET /api/products`, optionally of one kind or matching a text.
pub fn products(kind: Option<ProductKind>, q: &str) -> String {
    let mut query = Vec::new();
    if let Some(kind) = kind {
        query.push(format!("kind={}", kind.as_str()));
    }
    if !q.trim().is_empty() {
        query.push(format!("q={}", encode(q.trim())));
    }
    if query.is_empty() {
        "/api/products".to_string()
    } else {
        format!("/api/products?{}", query.join("&"))
    }
}

/// `GET /api/products/{id}`
pub fn product(id: i64) -> String {
    format!("/api/products/{id}")
}

/// `GET /api/families/{id}`
pub fn family(id: i64) -> String {
    format!("/api/families/{id}")
}

/// `GET /api/zones`
pub const ZONES: &str = "/api/zones";

/// `POST /api/orders`
pub const ORDERS: &str = "/api/orders";

/// `GET /api/orders/track/{token}`
pub fn tracking(token: &str) -> String {
    format!("/api/orders/track/{}", encode(token))
}

/// `GET /api/trace/{code}`
pub fn trace(code: &str) -> String {
    format!("/api/trace/{}", encode(code))
}

/// Signing in and out, and who is signed in.
pub const ME: &str = "/api/auth/me";
pub const SIGN_IN: &str = "/api/auth/sign-in";
pub const SIGN_OUT: &str = "/api/auth/sign-out";
pub const KEY_CARD_SIGN_IN: &str = "/api/auth/key-card";

/// The family's side.
pub const SELLER_LISTINGS: &str = "/api/seller/listings";
pub const SELLER_PREPARE: &str = "/api/seller/prepare";
pub const SELLER_MONEY: &str = "/api/seller/money";
pub const SELLER_PHOTOS: &str = "/api/seller/photos";

/// `POST /api/lectures` opens a room.
pub const LECTURES: &str = "/api/lectures";

/// `POST /api/lectures/{code}/step`
pub fn lecture_step(code: &str) -> String {
    format!("/api/lectures/{code}/step")
}

/// `GET /api/lectures/{code}/events`
pub fn lecture_events(code: &str) -> String {
    format!("/api/lectures/{code}/events")
}

/// `POST /api/lectures/{code}/join`
pub fn lecture_join(code: &str) -> String {
    format!("/api/lectures/{code}/join")
}

/// `POST /api/lectures/{code}/done`
pub fn lecture_done(code: &str) -> String {
    format!("/api/lectures/{code}/done")
}

/// `GET` (a hub's, or the first hub's) and `POST` (a trainer's) recording
/// of a clip in a language.
pub fn narration(clip: &str, lang: &str, hub: Option<&str>) -> String {
    match hub {
        Some(hub) => format!("/api/narration/{clip}/{lang}?hub={}", encode(hub)),
        None => format!("/api/narration/{clip}/{lang}"),
    }
}

/// `GET /api/narration`: which clips a hub recorded.
pub fn recorded(hub: Option<&str>) -> String {
    match hub {
        Some(hub) => format!("/api/narration?hub={}", encode(hub)),
        None => "/api/narration".to_string(),
    }
}

/// The service center's routes.
pub const CENTER_BATCHES: &str = "/api/center/batches";
pub const CENTER_FAMILIES: &str = "/api/center/families";
pub const CENTER_PAYOUTS: &str = "/api/center/payouts";
pub const CENTER_PENDING_LISTINGS: &str = "/api/center/listings?status=pending";

/// `GET /api/center/pick-list[?date=]`
pub fn pick_list(date: &str) -> String {
    if date.is_empty() {
        "/api/center/pick-list".to_string()
    } else {
        format!("/api/center/pick-list?date={}", encode(date))
    }
}

/// `GET /api/center/batches/{code}`: a batch's label.
pub fn batch(code: &str) -> String {
    format!("/api/center/batches/{}", encode(code))
}

/// `POST /api/center/listings/{id}/decision`
pub fn listing_decision(id: i64) -> String {
    format!("/api/center/listings/{id}/decision")
}

/// `GET /api/center/earnings[?month=]`
pub fn earnings(month: &str) -> String {
    if month.is_empty() {
        "/api/center/earnings".to_string()
    } else {
        format!("/api/center/earnings?month={}", encode(month))
    }
}

/// `GET /api/center/earnings.csv?month=`
pub fn earnings_csv(month: &str) -> String {
    format!("/api/center/earnings.csv?month={}", encode(month))
}

/// `GET /api/center/overview?weeks=`
pub fn overview(weeks: u32) -> String {
    format!("/api/center/overview?weeks={weeks}")
}

/// `POST` (print) and `DELETE` (revoke) a family's key card.
pub fn key_card(family: i64) -> String {
    format!("/api/center/families/{family}/key-card")
}

/// `GET /api/center/orders?status=`
pub fn center_orders(status: bazar_api::OrderStatus) -> String {
    format!("/api/center/orders?status={}", status.as_str())
}

/// `GET /api/center/orders/{code}`
pub fn center_order(code: &str) -> String {
    format!("/api/center/orders/{}", encode(code))
}

/// `POST /api/center/orders/{code}/status`
pub fn order_status(code: &str) -> String {
    format!("/api/center/orders/{}/status", encode(code))
}

/// The platform admin's hubs.
pub const ADMIN_HUBS: &str = "/api/admin/hubs";
/// `POST`: the hub an admin works in.
pub const ADMIN_WORK_IN: &str = "/api/admin/hub";

/// `POST /api/admin/hubs/{slug}/{action}`: `disable`, `enable` or `operators`.
pub fn admin_hub(slug: &str, action: &str) -> String {
    format!("/api/admin/hubs/{}/{action}", encode(slug))
}

/// A hub's staff, zones and audit log.
pub const CENTER_STAFF: &str = "/api/center/staff";
pub const CENTER_ZONES: &str = "/api/center/zones";
pub const FAMILY_IMPORT_TEMPLATE: &str = "/api/center/families/import-template.csv";

/// `POST /api/center/staff/{id}/{action}`: `password`, `disable` or `enable`.
pub fn staff_member(id: i64, action: &str) -> String {
    format!("/api/center/staff/{id}/{action}")
}

/// `PUT /api/center/families/{id}`, or with an action (`retire`) `POST`.
pub fn center_family(id: i64, action: Option<&str>) -> String {
    match action {
        Some(action) => format!("/api/center/families/{id}/{action}"),
        None => format!("/api/center/families/{id}"),
    }
}

/// `POST /api/center/families/import`, as a dry run or for real.
pub fn family_import(dry_run: bool) -> String {
    format!("/api/center/families/import?dry_run={dry_run}")
}

/// `PUT /api/center/zones/{id}`, or with an action (`retire`) `POST`.
pub fn zone(id: i64, action: Option<&str>) -> String {
    match action {
        Some(action) => format!("/api/center/zones/{id}/{action}"),
        None => format!("/api/center/zones/{id}"),
    }
}

/// `GET /api/center/audit` (or `.csv`), filtered.
pub fn audit(csv: bool, actor: &str, object: &str, day: &str) -> String {
    let mut query = Vec::new();
    for (name, value) in [("actor", actor), ("object", object), ("day", day)] {
        if !value.trim().is_empty() {
            query.push(format!("{name}={}", encode(value.trim())));
        }
    }
    let path = if csv {
        "/api/center/audit.csv"
    } else {
        "/api/center/audit"
    };
    format!("{path}?{}", query.join("&"))
}

/// `POST /api/seller/products/{id}/{action}`: `count`, `pause` or `resume`.
pub fn seller_product(id: i64, action: &str) -> String {
    format!("/api/seller/products/{id}/{action}")
}

/// The hub's products, every state.
pub const CENTER_PRODUCTS: &str = "/api/center/products";

/// `PUT /api/center/products/{id}`, or with an action (`pause`, `resume`, `retire`) `POST`.
pub fn center_product(id: i64, action: Option<&str>) -> String {
    match action {
        Some(action) => format!("/api/center/products/{id}/{action}"),
        None => format!("/api/center/products/{id}"),
    }
}

/// `GET /api/center/families/{id}/statement[?month=YYYY-MM]`
pub fn statement(family: i64, month: &str) -> String {
    if month.is_empty() {
        format!("/api/center/families/{family}/statement")
    } else {
        format!("/api/center/families/{family}/statement?month={}", encode(month))
    }
}
