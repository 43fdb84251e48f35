//! Placing orders exactly once, and reading them back for the tracking page.

use bazar_api::order::{self, SoldOutLine};
use bazar_api::{
    Capacity, Fen, OrderRequest, OrderStatus, PaymentMethod, PlacedOrder, ProductKind, Tracking,
    TrackingEvent, TrackingLine, Zone,
};

use sqlx::FromRow;
use tokio::sync::{mpsc, oneshot};

use super::{Conn, Db, Placement, Store, int, parse, random_code, random_token};
use crate::payment::{self, HubAccount};

#[derive(FromRow)]
struct StockRow {
    id: i64,
    family_id: i64,
    hub_id: i64,
    price_fen: i64,
    capacity: String,
    available: i64,
    weekly_capacity: i64,
    week: i64,
    /// 1 when the product can be ordered now (`offered!`).
    offered: i64,
    kind: String,
    max_per_order: Option<i64>,
}

/// The record of an Idempotency-Key.
#[derive(FromRow)]
struct IdempotencyRow {
    body_hash: String,
    status: i64,
    response: String,
}

/// A zone an order is sent to, and what shipping there costs.
#[derive(FromRow)]
struct ZoneChargeRow {
    id: i64,
    shipping_fen: i64,
    free_shipping_from_fen: Option<i64>,
}

/// The account a hub receives bank transfers on.
#[derive(FromRow)]
struct HubAccountRow {
    bank_payee: String,
    bank_name: String,
    bank_account: String,
}

/// A delivery zone as the shop shows it.
#[derive(FromRow)]
struct ZoneRow {
    code: String,
    #[sqlx(flatten)]
    name: super::Names,
    shipping_fen: i64,
    days_min: i64,
    days_max: i64,
    free_shipping_from_fen: Option<i64>,
}

impl TryFrom<ZoneRow> for Zone {
    type Error = sqlx::Error;

    fn try_from(r: ZoneRow) -> sqlx::Result<Zone> {
        Ok(Zone {
            code: r.code,
            names: r.name.into(),
            shipping_fen: Fen(r.shipping_fen),
            days_min: int(r.days_min, "days_min")?,
            days_max: int(r.days_max, "days_max")?,
            free_shipping_from: r.free_shipping_from_fen.map(Fen),
        })
    }
}

/// An order behind a tracking token, with its zone.
#[derive(FromRow)]
struct TrackingRow {
    id: i64,
    code: String,
    status: String,
    subtotal_fen: i64,
    shipping_fen: i64,
    total_fen: i64,
    payment: String,
    waybill: Option<String>,
    zone_code: String,
    #[sqlx(flatten)]
    zone_name: super::ZoneNames,
    zone_shipping_fen: i64,
    days_min: i64,
    days_max: i64,
    free_shipping_from_fen: Option<i64>,
}

/// One of an order's events, as the tracking page shows it.
#[derive(FromRow)]
struct TrackingEventRow {
    status: String,
    at: String,
}

/// A line of a tracked order.
#[derive(FromRow)]
struct TrackingLineRow {
    product_id: i64,
    kind: String,
    #[sqlx(flatten)]
    name: super::Names,
    quantity: i64,
    unit_price_fen: i64,
    family_id: i64,
    #[sqlx(flatten)]
    family_name: super::FamilyNames,
    #[sqlx(flatten)]
    village: super::Villages,
}

impl TryFrom<TrackingLineRow> for TrackingLine {
    type Error = sqlx::Error;

    fn try_from(r: TrackingLineRow) -> sqlx::Result<TrackingLine> {
        Ok(TrackingLine {
            product_id: r.product_id,
            kind: parse(&r.kind, ProductKind::parse, "product kind")?,
            names: r.name.into(),
            quantity: int(r.quantity, "line quantity")?,
            unit_price_fen: Fen(r.unit_price_fen),
            family_id: r.family_id,
            family_names: r.family_name.into(),
            village: r.village.into(),
        })
    }
}

/// An order waiting for the order writer, and where its answer goes.
pub(super) struct Job {
    key: String,
    body_hash: String,
    request: OrderRequest,
    week: i64,
    answer: oneshot::Sender<sqlx::Result<Placement>>,
}

/// The most orders committed together.
const GROUP: usize = 64;

/// Starts the order writer: it places the orders sent to it in groups, all
/// those waiting when a group starts, in one `BEGIN IMMEDIATE` transaction
/// with one sync to disk (group commit). Each order runs in a savepoint of
/// its own, so one that is refused or fails undoes only itself. Answers go
/// out after the commit: an acknowledged order is on disk.
pub(super) fn spawn_order_writer(
    pool: sqlx::Pool<Db>,
    catalog_changed: impl Fn() + Send + 'static,
) -> mpsc::Sender<Job> {
    let (sender, mut jobs) = mpsc::channel::<Job>(1024);
    tokio::spawn(async move {
        let mut group = Vec::with_capacity(GROUP);
        while jobs.recv_many(&mut group, GROUP).await > 0 {
            let results = place_group(&pool, &group).await;
            if results.iter().any(|r| matches!(r, Ok(Placement::Placed { .. }))) {
                catalog_changed();
            }
            for (job, result) in group.drain(..).zip(results) {
                // The client may have gone; its order stands all the same.
                let _ = job.answer.send(result);
            }
        }
    });
    sender
}

/// Places `jobs` in one transaction; one result each, in order.
async fn place_group(pool: &sqlx::Pool<Db>, jobs: &[Job]) -> Vec<sqlx::Result<Placement>> {
    let failed = |e: &sqlx::Error| -> Vec<sqlx::Result<Placement>> {
        jobs.iter().map(|_| Err(group_failed(e))).collect()
    };
    let mut tx = match Store::begin_orders(pool).await {
        Ok(tx) => tx,
        Err(e) => return failed(&e),
    };
    let mut results = Vec::with_capacity(jobs.len());
    for job in jobs {
        if let Err(e) = sqlx::query("SAVEPOINT one_order").execute(&mut *tx).await {
            return failed(&e);
        }
        let result = place_one(&mut tx, &job.key, &job.body_hash, &job.request, job.week).await;
        if !matches!(result, Ok(Placement::Placed { .. }))
            && let Err(e) = sqlx::query("ROLLBACK TO one_order").execute(&mut *tx).await
        {
            return failed(&e);
        }
        if let Err(e) = sqlx::query("RELEASE one_order").execute(&mut *tx).await {
            return failed(&e);
        }
        results.push(result);
    }
    if results.iter().any(|r| matches!(r, Ok(Placement::Placed { .. })))
        && let Err(e) = super::catalog_changed_in(&mut tx).await
    {
        return failed(&e);
    }
    match tx.commit().await {
        Ok(()) => results,
        // What was refused wrote nothing and stays refused; what was placed is not.
        Err(e) => results
            .into_iter()
            .map(|r| match r {
                Ok(Placement::Placed { .. }) => Err(group_failed(&e)),
                other => other,
            })
            .collect(),
    }
}

/// The error of every order of a group whose transaction failed.
fn group_failed(e: &sqlx::Error) -> sqlx::Error {
    sqlx::Error::Protocol(format!("the orders' transaction failed: {e}"))
}

impl Store {
    /// Places `request` under `key`: the key's record, the stock decrements
    /// and the order commit together or not at all, with the other orders
    /// of its group (see [`spawn_order_writer`]). `body_hash` identifies the
    /// request's content.
    pub async fn place_order(
        &self,
        key: String,
        body_hash: String,
        request: OrderRequest,
        week: i64,
    ) -> sqlx::Result<Placement> {
        let (answer, placed) = oneshot::channel();
        let job = Job {
            key,
            body_hash,
            request,
            week,
            answer,
        };
        self.orders.send(job).await.map_err(|_| sqlx::Error::PoolClosed)?;
        placed.await.map_err(|_| sqlx::Error::PoolClosed)?
    }
}

/// A line taken from stock: its index in the request, the product, its
/// family, the quantity and the unit price.
struct Taken {
    index: usize,
    product_id: i64,
    family_id: i64,
    quantity: u32,
    price_fen: i64,
}

/// What an order is charged, and why the center should look at it first.
struct Charge {
    zone_id: i64,
    totals: order::Totals,
    phone: String,
    flag: Option<&'static str>,
}

/// Places one order inside the caller's transaction: the key's record,
/// the stock, the charge, then the order itself. A refusal returns early,
/// leaving what it took for the caller to roll back.
async fn place_one(
    tx: &mut Conn,
    key: &str,
    body_hash: &str,
    request: &OrderRequest,
    week: i64,
) -> sqlx::Result<Placement> {
    if let Some(seen) = replay(tx, key, body_hash).await? {
        return Ok(seen);
    }
    let (hub_id, taken) = match take_stock(tx, request, week).await? {
        Ok(taken) => taken,
        Err(refused) => return Ok(refused),
    };
    let charge = match charge(tx, hub_id, request, &taken).await? {
        Ok(charge) => charge,
        Err(refused) => return Ok(refused),
    };
    record(tx, key, body_hash, request, hub_id, taken, charge).await
}

/// The answer stored under `key` when it was seen before: the same again
/// for the same body, a refusal for another.
async fn replay(tx: &mut Conn, key: &str, body_hash: &str) -> sqlx::Result<Option<Placement>> {
    let Some(row) = sqlx::query_as::<_, IdempotencyRow>(
        "SELECT body_hash, status, response FROM idempotency WHERE key = $1",
    )
    .bind(key)
    .fetch_optional(&mut *tx)
    .await?
    else {
        return Ok(None);
    };
    Ok(Some(if row.body_hash == body_hash {
        Placement::Replayed {
            status: int(row.status, "stored answer status")?,
            body: row.response,
        }
    } else {
        Placement::KeyReused
    }))
}

/// Takes every line from stock (conditional decrements, products in id
/// order), answering the hub they are all from and the lines taken, or the
/// refusal: unknown products, over a maximum per order, sold out, or
/// several hubs.
async fn take_stock(
    tx: &mut Conn,
    request: &OrderRequest,
    week: i64,
) -> sqlx::Result<Result<(i64, Vec<Taken>), Placement>> {
    // Products are locked and updated in id order.
    let mut lines: Vec<(usize, i64, u32)> = request
        .lines
        .iter()
        .enumerate()
        .map(|(i, l)| (i, l.product_id, l.quantity))
        .collect();
    lines.sort_by_key(|(_, id, _)| *id);

    let mut unknown = Vec::new();
    let mut sold_out = Vec::new();
    let mut priced = Vec::new();
    let mut hoarding = Vec::new();
    let mut hub = None;
    for (index, product_id, quantity) in &lines {
        let row: Option<StockRow> = sqlx::query_as(concat!(
            "SELECT p.id, p.family_id, f.hub_id, p.price_fen, p.capacity, p.available,
                    p.weekly_capacity, p.week, p.kind, p.max_per_order,
                    CAST(CASE WHEN ",
            super::offered!(),
            " THEN 1 ELSE 0 END AS BIGINT) AS offered
             FROM product p JOIN family f ON f.id = p.family_id WHERE p.id = $1"
        ))
        .bind(product_id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            unknown.push(*index);
            continue;
        };
        if *hub.get_or_insert(row.hub_id) != row.hub_id {
            return Ok(Err(Placement::UnknownZone));
        }
        let kind = parse(&row.kind, ProductKind::parse, "product kind")?;
        let weekly = parse(&row.capacity, Capacity::parse, "capacity")? == Capacity::Weekly;
        // Checked under the write lock, so it holds when the stock is taken.
        let live = row.offered == 1;
        let max = super::catalog::max_per_order(kind, row.max_per_order);
        if let Some(over) = order::over_max_per_order(*index, *quantity, max) {
            // Not taken: the order is refused for it whatever the stock.
            hoarding.push(over);
            continue;
        }
        let mut available = row.available;
        if weekly && row.week != week {
            // A new week: the family can make its whole capacity again.
            super::catalog::start_week(&mut *tx, row.id, week).await?;
            available = row.weekly_capacity;
        }
        let taken = if live {
            sqlx::query(concat!(
                "UPDATE product SET available = available - $1,
                        updated_at = ",
                now!(),
                "
                 WHERE id = $2 AND status = 'live' AND available >= $1"
            ))
            .bind(i64::from(*quantity))
            .bind(row.id)
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1
        } else {
            false
        };
        if taken {
            priced.push(Taken {
                index: *index,
                product_id: row.id,
                family_id: row.family_id,
                quantity: *quantity,
                price_fen: row.price_fen,
            });
        } else {
            sold_out.push((
                *index,
                SoldOutLine {
                    product_id: row.id,
                    requested: *quantity,
                    available: if live { available } else { 0 },
                },
            ));
        }
    }
    if !unknown.is_empty() {
        return Ok(Err(Placement::UnknownProducts(unknown)));
    }
    if !hoarding.is_empty() {
        // The caller rolls back what was taken; lines are told in the
        // request's order.
        hoarding.sort_by_key(|h| match h {
            order::Hoarding::OverMaxPerOrder { line, .. } => *line,
            _ => usize::MAX,
        });
        return Ok(Err(Placement::Hoarding(hoarding)));
    }
    if !sold_out.is_empty() {
        // The caller rolls back what was taken.
        return Ok(Err(Placement::SoldOut(sold_out)));
    }
    Ok(match hub {
        Some(hub_id) => Ok((hub_id, priced)),
        None => Err(Placement::UnknownProducts(Vec::new())),
    })
}

/// What the order is charged (`bazar_api::order::totals`, the rule the
/// basket showed), or its refusal: a zone the hub doesn't ship to, or over
/// the limits on orders paid on delivery.
async fn charge(
    tx: &mut Conn,
    hub_id: i64,
    request: &OrderRequest,
    taken: &[Taken],
) -> sqlx::Result<Result<Charge, Placement>> {
    let zone = sqlx::query_as::<_, ZoneChargeRow>(
        "SELECT z.id, z.shipping_fen, h.free_shipping_from_fen
             FROM zone z JOIN hub h ON h.id = z.hub_id
             WHERE z.hub_id = $1 AND z.code = $2 AND z.retired_at IS NULL",
    )
    .bind(hub_id)
    .bind(request.customer.zone.trim())
    .fetch_optional(&mut *tx)
    .await?;
    let Some(zone) = zone else {
        return Ok(Err(Placement::UnknownZone));
    };
    let subtotal = order::subtotal(taken.iter().map(|t| (t.quantity, Fen(t.price_fen))));
    let totals = order::totals(
        subtotal,
        Fen(zone.shipping_fen),
        zone.free_shipping_from_fen.map(Fen),
    );
    let phone = order::normalize_phone(&request.customer.phone).unwrap_or_default();
    let open_unpaid: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM customer_order
         WHERE customer_phone = $1 AND payment = 'on_delivery' AND payment_state = 'unpaid'
           AND status NOT IN ('delivered', 'cancelled')",
    )
    .bind(&phone)
    .fetch_one(&mut *tx)
    .await?;
    let open_unpaid = u32::try_from(open_unpaid).unwrap_or(u32::MAX);
    let hoarding = order::unpaid_limits(totals.total, request.payment, open_unpaid);
    if !hoarding.is_empty() {
        // The caller rolls back what was taken.
        return Ok(Err(Placement::Hoarding(hoarding)));
    }
    Ok(Ok(Charge {
        zone_id: zone.id,
        totals,
        phone,
        flag: order::flag(totals.total, request.payment, open_unpaid),
    }))
}

/// Writes the order, its lines, its first event and the key's record with
/// the answer, and answers it.
async fn record(
    tx: &mut Conn,
    key: &str,
    body_hash: &str,
    request: &OrderRequest,
    hub_id: i64,
    mut taken: Vec<Taken>,
    charge: Charge,
) -> sqlx::Result<Placement> {
    let order::Totals {
        subtotal,
        shipping,
        total,
    } = charge.totals;

    let now: String = sqlx::query_scalar(concat!("SELECT ", now!()))
        .fetch_one(&mut *tx)
        .await?;
    let code = loop {
        let code = format!("{}{}", order::ORDER_CODE_PREFIX, random_code());
        let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM customer_order WHERE code = $1")
            .bind(&code)
            .fetch_optional(&mut *tx)
            .await?;
        if taken.is_none() {
            break code;
        }
    };
    let token = random_token();
    let hub_account = sqlx::query_as::<_, HubAccountRow>(
        "SELECT bank_payee, bank_name, bank_account FROM hub WHERE id = $1",
    )
    .bind(hub_id)
    .fetch_one(&mut *tx)
    .await
    .map(|r| HubAccount {
        payee: r.bank_payee,
        bank: r.bank_name,
        account: r.bank_account,
    })?;
    let order_id: i64 = sqlx::query_scalar(
        "INSERT INTO customer_order (hub_id, code, tracking_token, customer_name, customer_phone, address,
                                     zone_id, subtotal_fen, shipping_fen, total_fen, payment, created_at, flag)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
    )
    .bind(hub_id)
    .bind(&code)
    .bind(&token)
    .bind(request.customer.name.trim())
    .bind(&charge.phone)
    .bind(request.customer.address.trim())
    .bind(charge.zone_id)
    .bind(subtotal.0)
    .bind(shipping.0)
    .bind(total.0)
    .bind(request.payment.as_str())
    .bind(&now)
    .bind(charge.flag)
    .fetch_one(&mut *tx)
    .await?;

    // Lines keep the customer's order.
    taken.sort_by_key(|t| t.index);
    for line in &taken {
        sqlx::query(
            "INSERT INTO order_line (order_id, product_id, family_id, quantity, unit_price_fen)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(order_id)
        .bind(line.product_id)
        .bind(line.family_id)
        .bind(i64::from(line.quantity))
        .bind(line.price_fen)
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query(
        "INSERT INTO order_event (order_id, status, at, actor) VALUES ($1, 'placed', $2, 'customer')",
    )
    .bind(order_id)
    .bind(&now)
    .execute(&mut *tx)
    .await?;

    let placed = PlacedOrder {
        code: code.clone(),
        tracking_token: token,
        subtotal_fen: subtotal,
        shipping_fen: shipping,
        total_fen: total,
        payment: request.payment,
        created_at: now.clone(),
        pay_to: payment::gateway(request.payment).instructions(&hub_account, &code),
    };
    let body = serde_json::to_string(&placed).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    sqlx::query(
        "INSERT INTO idempotency (key, body_hash, status, response, order_id, created_at)
         VALUES ($1, $2, 201, $3, $4, $5)",
    )
    .bind(key)
    .bind(body_hash)
    .bind(&body)
    .bind(order_id)
    .bind(&now)
    .execute(&mut *tx)
    .await?;
    Ok(Placement::Placed { body })
}

impl Store {
    /// The delivery zones of the (first) hub, in their display order.
    pub async fn zones(&self) -> sqlx::Result<Vec<Zone>> {
        let rows = sqlx::query_as::<_, ZoneRow>(
            "SELECT z.code, z.name_ug, z.name_zh, z.name_en, z.shipping_fen, z.days_min, z.days_max,
                    h.free_shipping_from_fen
             FROM zone z JOIN hub h ON h.id = z.hub_id
             WHERE z.hub_id = (SELECT MIN(id) FROM hub) AND z.retired_at IS NULL ORDER BY z.position, z.id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(Zone::try_from).collect()
    }

    /// The order behind a tracking token, or `None`.
    pub async fn tracking(&self, token: &str) -> sqlx::Result<Option<Tracking>> {
        let Some(order) = sqlx::query_as::<_, TrackingRow>(
            "SELECT o.id, o.code, o.status, o.subtotal_fen, o.shipping_fen, o.total_fen, o.payment, o.waybill,
                    z.code AS zone_code, z.name_ug AS zone_name_ug, z.name_zh AS zone_name_zh,
                    z.name_en AS zone_name_en, z.shipping_fen AS zone_shipping_fen, z.days_min, z.days_max,
                    h.free_shipping_from_fen
             FROM customer_order o JOIN zone z ON z.id = o.zone_id JOIN hub h ON h.id = o.hub_id
             WHERE o.tracking_token = $1",
        )
        .bind(token)
        .fetch_optional(&self.pool)
        .await?
        else {
            return Ok(None);
        };
        let order_id = order.id;
        let waybill = order.waybill;
        let events = sqlx::query_as::<_, TrackingEventRow>(
            "SELECT status, at FROM order_event WHERE order_id = $1 ORDER BY id",
        )
        .bind(order_id)
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(|r| -> sqlx::Result<TrackingEvent> {
            let status = parse(&r.status, OrderStatus::parse, "order status")?;
            Ok(TrackingEvent {
                status,
                at: r.at,
                waybill: (status == OrderStatus::Shipped)
                    .then(|| waybill.clone())
                    .flatten(),
            })
        })
        .collect::<sqlx::Result<Vec<_>>>()?;
        let lines = sqlx::query_as::<_, TrackingLineRow>(
            "SELECT l.product_id, p.kind, p.name_ug, p.name_zh, p.name_en, l.quantity, l.unit_price_fen,
                    f.id AS family_id, f.name_ug AS family_name_ug, f.name_zh AS family_name_zh,
                    f.name_en AS family_name_en, f.village_ug, f.village_zh, f.village_en
             FROM order_line l JOIN product p ON p.id = l.product_id JOIN family f ON f.id = l.family_id
             WHERE l.order_id = $1 ORDER BY l.id",
        )
        .bind(order_id)
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(TrackingLine::try_from)
        .collect::<sqlx::Result<Vec<_>>>()?;
        Ok(Some(Tracking {
            code: order.code,
            status: parse(&order.status, OrderStatus::parse, "order status")?,
            events,
            lines,
            zone: Zone {
                code: order.zone_code,
                names: order.zone_name.into(),
                shipping_fen: Fen(order.zone_shipping_fen),
                days_min: int(order.days_min, "days_min")?,
                days_max: int(order.days_max, "days_max")?,
                free_shipping_from: order.free_shipping_from_fen.map(Fen),
            },
            subtotal_fen: Fen(order.subtotal_fen),
            shipping_fen: Fen(order.shipping_fen),
            total_fen: Fen(order.total_fen),
            payment: parse(&order.payment, PaymentMethod::parse, "payment method")?,
        }))
    }
}

#[cfg(test)]
mod tests {
    use bazar_api::{Customer, LineRequest, PaymentMethod, ProductKind};

    use super::*;
    use crate::store::{ProductFilter, current_week};

    fn request(lines: &[(i64, u32)]) -> OrderRequest {
        OrderRequest {
            customer: Customer {
                name: "王小明".into(),
                phone: "13800138000".into(),
                address: "北京市朝阳区幸福路1号".into(),
                zone: "beijing".into(),
            },
            lines: lines
                .iter()
                .map(|&(product_id, quantity)| LineRequest { product_id, quantity })
                .collect(),
            payment: PaymentMethod::OnDelivery,
        }
    }

    fn job(
        key: &str,
        hash: &str,
        request: OrderRequest,
    ) -> (Job, oneshot::Receiver<sqlx::Result<Placement>>) {
        let (answer, receiver) = oneshot::channel();
        let job = Job {
            key: key.into(),
            body_hash: hash.into(),
            request,
            week: current_week(),
            answer,
        };
        (job, receiver)
    }

    /// One group, one transaction: a refused order gives back what it took
    /// and takes nothing from the others; a key seen earlier in the same
    /// group replays (or refuses another body), as it would across groups.
    #[tokio::test]
    async fn a_group_commits_its_orders_and_undoes_only_the_refused() {
        let Some((store, _dir)) = super::super::test_store().await else {
            return;
        };
        let available = |store: Store, id: i64| async move {
            store
                .live_product(id, current_week())
                .await
                .unwrap()
                .unwrap()
                .available
        };
        let listed = |kind| ProductFilter {
            kind: Some(kind),
            family: None,
            text: None,
        };
        let stocked = |kind| {
            let store = store.clone();
            async move {
                let products = store.live_products(&listed(kind), current_week()).await.unwrap();
                products.into_iter().find(|p| p.available >= 2).unwrap().id
            }
        };
        let (eggs, honey) = (
            stocked(ProductKind::Eggs).await,
            stocked(ProductKind::Honey).await,
        );
        let count = || async {
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM customer_order")
                .fetch_one(&store.pool)
                .await
                .unwrap()
        };
        let orders_before = count().await;
        // Less honey than one order may take, so that asking for one more
        // than is left is a sold-out line, not a hoarding order.
        sqlx::query("UPDATE product SET available = 3 WHERE id = $1")
            .bind(honey)
            .execute(&store.pool)
            .await
            .unwrap();
        let (eggs_before, honey_before) = (
            available(store.clone(), eggs).await,
            available(store.clone(), honey).await,
        );

        let group = [
            // Takes eggs, then finds too little honey: refused, eggs given back.
            job(
                "a",
                "ha",
                request(&[(eggs, 2), (honey, u32::try_from(honey_before).unwrap() + 1)]),
            ),
            job("b", "hb", request(&[(eggs, 1)])),
            job("b", "hb", request(&[(eggs, 1)])),
            job("b", "other", request(&[(eggs, 5)])),
            job("c", "hc", request(&[(honey, 1)])),
        ];
        let (jobs, _answers): (Vec<Job>, Vec<_>) = group.into_iter().unzip();
        let results = place_group(&store.pool, &jobs).await;
        let outcome: Vec<&str> = results
            .iter()
            .map(|r| match r.as_ref().unwrap() {
                Placement::Placed { .. } => "placed",
                Placement::Replayed { .. } => "replayed",
                Placement::KeyReused => "key reused",
                Placement::SoldOut(_) => "sold out",
                Placement::UnknownProducts(_) | Placement::UnknownZone => "unknown",
                Placement::Hoarding(_) => "hoarding",
            })
            .collect();
        assert_eq!(
            outcome,
            ["sold out", "placed", "replayed", "key reused", "placed"]
        );
        let (Ok(Placement::Placed { body }), Ok(Placement::Replayed { body: replayed, .. })) =
            (&results[1], &results[2])
        else {
            unreachable!()
        };
        assert_eq!(body, replayed);
        assert_eq!(available(store.clone(), eggs).await, eggs_before - 1);
        assert_eq!(available(store.clone(), honey).await, honey_before - 1);
        assert_eq!(count().await, orders_before + 2, "what was placed is committed");
    }
}
