//! The service center's work on the store: the order queue and lifecycle,
//! pick lists, batches, listing approval, earnings, payouts and the overview.
//! Every query is scoped to the operator's hub.

use std::collections::HashMap;

use bazar_api::center::Listing;
use bazar_api::center::{
    CenterEvent, CenterLine, FamilyEarnings, FamilySales, Label, ListingDecision, ListingStatus, OrderDetail,
    OrderQueue, OrderSummary, Payout, PayoutRequest, PickFamily, PickItem, PickLine, PickList, RejectReason,
    Statement, StatementLine, StatusChange, StatusCount, WeekSales,
};
use bazar_api::earnings::Split;
use bazar_api::{Capacity, Fen, FieldError, OrderStatus, PaymentMethod, ProductKind};
use sqlx::FromRow;

use super::{CollectOutcome, Db, DecisionOutcome, StatusOutcome, Store, int, parse, random_code};

const LISTING_COLUMNS: &str = "p.id, p.family_id, f.name_ug AS family_name_ug, f.name_zh AS family_name_zh,
    f.name_en AS family_name_en, p.kind,
    p.name_ug, p.name_zh, p.name_en, p.unit_ug, p.unit_zh, p.unit_en, p.price_fen, p.capacity,
    CASE WHEN p.capacity = 'weekly' THEN p.weekly_capacity ELSE p.available END AS quantity,
    p.image, p.status, p.reject_reason, p.reject_note, p.updated_at, p.paused, p.retired_at,
    (SELECT a.username FROM account a WHERE a.id = p.listed_by) AS listed_by";

/// A row of [`listing_query`].
#[derive(FromRow)]
pub(super) struct ListingRow {
    id: i64,
    family_id: i64,
    #[sqlx(flatten)]
    family_name: super::FamilyNames,
    kind: String,
    #[sqlx(flatten)]
    name: super::Names,
    #[sqlx(flatten)]
    unit: super::Units,
    price_fen: i64,
    capacity: String,
    quantity: i64,
    image: String,
    status: String,
    reject_reason: Option<String>,
    reject_note: Option<String>,
    updated_at: String,
    paused: i64,
    retired_at: Option<String>,
    listed_by: Option<String>,
}

impl TryFrom<ListingRow> for Listing {
    type Error = sqlx::Error;

    fn try_from(r: ListingRow) -> sqlx::Result<Listing> {
        Ok(Listing {
            id: r.id,
            family_id: r.family_id,
            family_names: r.family_name.into(),
            kind: parse(&r.kind, ProductKind::parse, "product kind")?,
            names: r.name.into(),
            unit: r.unit.into(),
            price_fen: Fen(r.price_fen),
            capacity: parse(&r.capacity, Capacity::parse, "capacity")?,
            quantity: int(r.quantity, "listing quantity")?,
            image: r.image,
            status: parse(&r.status, ListingStatus::parse, "listing status")?,
            reject_reason: r
                .reject_reason
                .as_deref()
                .map(|reason| parse(reason, RejectReason::parse, "reject reason"))
                .transpose()?,
            reject_note: r.reject_note,
            updated_at: r.updated_at,
            paused: r.paused != 0,
            retired: r.retired_at.is_some(),
            listed_by: r.listed_by,
        })
    }
}

/// The listing query with `where_clause` (named columns use the `p.` and
/// `f.` aliases); read its rows as [`ListingRow`].
pub(super) fn listing_query(where_clause: &str) -> String {
    format!(
        "SELECT {LISTING_COLUMNS} FROM product p JOIN family f ON f.id = p.family_id WHERE {where_clause}"
    )
}

/// How many of the hub's orders are in one status.
#[derive(FromRow)]
struct StatusCountRow {
    status: String,
    orders: i64,
}

/// A row of the center's order queue.
#[derive(FromRow)]
struct OrderSummaryRow {
    code: String,
    status: String,
    created_at: String,
    customer_name: String,
    #[sqlx(flatten)]
    zone_name: super::ZoneNames,
    items: Option<i64>,
    total_fen: i64,
    flag: Option<String>,
}

impl TryFrom<OrderSummaryRow> for OrderSummary {
    type Error = sqlx::Error;

    fn try_from(r: OrderSummaryRow) -> sqlx::Result<OrderSummary> {
        Ok(OrderSummary {
            code: r.code,
            status: parse(&r.status, OrderStatus::parse, "order status")?,
            created_at: r.created_at,
            customer_name: r.customer_name,
            zone: r.zone_name.into(),
            items: int(r.items.unwrap_or(0), "item count")?,
            total_fen: Fen(r.total_fen),
            flag: r.flag,
        })
    }
}

/// An order as its detail shows it, without lines and events.
#[derive(FromRow)]
struct OrderDetailRow {
    id: i64,
    code: String,
    status: String,
    created_at: String,
    customer_name: String,
    customer_phone: String,
    address: String,
    #[sqlx(flatten)]
    zone_name: super::ZoneNames,
    payment: String,
    subtotal_fen: i64,
    shipping_fen: i64,
    total_fen: i64,
    waybill: Option<String>,
}

/// A line of an order's detail.
#[derive(FromRow)]
struct CenterLineRow {
    line_id: i64,
    product_id: i64,
    kind: String,
    #[sqlx(flatten)]
    name: super::Names,
    #[sqlx(flatten)]
    unit: super::Units,
    family_id: i64,
    #[sqlx(flatten)]
    family_name: super::FamilyNames,
    quantity: i64,
    unit_price_fen: i64,
    collected: i64,
    trace_codes: String,
}

impl TryFrom<CenterLineRow> for CenterLine {
    type Error = sqlx::Error;

    fn try_from(r: CenterLineRow) -> sqlx::Result<CenterLine> {
        Ok(CenterLine {
            line_id: r.line_id,
            product_id: r.product_id,
            kind: parse(&r.kind, ProductKind::parse, "product kind")?,
            names: r.name.into(),
            unit: r.unit.into(),
            family_id: r.family_id,
            family_names: r.family_name.into(),
            quantity: int(r.quantity, "line quantity")?,
            unit_price_fen: Fen(r.unit_price_fen),
            collected: int(r.collected, "collected quantity")?,
            trace_codes: r
                .trace_codes
                .split(',')
                .filter(|c| !c.is_empty())
                .map(String::from)
                .collect(),
        })
    }
}

/// One of an order's events.
#[derive(FromRow)]
struct CenterEventRow {
    status: String,
    at: String,
    actor: String,
    note: Option<String>,
}

impl TryFrom<CenterEventRow> for CenterEvent {
    type Error = sqlx::Error;

    fn try_from(r: CenterEventRow) -> sqlx::Result<CenterEvent> {
        Ok(CenterEvent {
            status: parse(&r.status, OrderStatus::parse, "order status")?,
            at: r.at,
            actor: r.actor,
            note: r.note,
        })
    }
}

/// An order's id and status.
#[derive(FromRow)]
struct OrderStatusRow {
    id: i64,
    status: String,
}

/// What is left to collect of one order line, with its family and product.
#[derive(FromRow)]
struct PickRow {
    line_id: i64,
    order_code: String,
    remaining: i64,
    family_id: i64,
    #[sqlx(flatten)]
    family_name: super::FamilyNames,
    #[sqlx(flatten)]
    village: super::Villages,
    stamp: String,
    product_id: i64,
    kind: String,
    #[sqlx(flatten)]
    name: super::Names,
    #[sqlx(flatten)]
    unit: super::Units,
}

/// An order line about to be collected.
#[derive(FromRow)]
struct CollectLineRow {
    family_id: i64,
    product_id: i64,
    status: String,
    order_id: i64,
    remaining: i64,
}

/// What a batch's label prints.
#[derive(FromRow)]
struct LabelRow {
    trace_code: String,
    family_id: i64,
    #[sqlx(flatten)]
    family_name: super::FamilyNames,
    #[sqlx(flatten)]
    village: super::Villages,
    stamp: String,
    kind: String,
    #[sqlx(flatten)]
    product_name: super::ProductNames,
    #[sqlx(flatten)]
    unit: super::Units,
    quantity: i64,
    collected_on: String,
}

impl TryFrom<LabelRow> for Label {
    type Error = sqlx::Error;

    fn try_from(r: LabelRow) -> sqlx::Result<Label> {
        Ok(Label {
            trace_code: r.trace_code,
            family_id: r.family_id,
            family_names: r.family_name.into(),
            village: r.village.into(),
            stamp: r.stamp,
            kind: parse(&r.kind, ProductKind::parse, "product kind")?,
            product_names: r.product_name.into(),
            unit: r.unit.into(),
            quantity: int(r.quantity, "batch quantity")?,
            collected_on: r.collected_on,
            trace_url: String::new(),
            qr_svg: String::new(),
        })
    }
}

/// A sold line as [`SoldLine`] reads it.
#[derive(FromRow)]
struct SoldLineRow {
    family_id: i64,
    order_code: String,
    month: String,
    day: String,
    quantity: i64,
    unit_price_fen: i64,
}

/// One sold line of a family's month statement.
#[derive(FromRow)]
struct StatementRow {
    product_id: i64,
    kind: String,
    #[sqlx(flatten)]
    name: super::Names,
    #[sqlx(flatten)]
    unit: super::Units,
    image: String,
    quantity: i64,
    unit_price_fen: i64,
}

/// A payout with its month (China time).
#[derive(FromRow)]
struct PayoutRow {
    id: i64,
    family_id: i64,
    amount_fen: i64,
    paid_at: String,
    note: Option<String>,
    month: String,
}

/// What the database gives a new payout.
#[derive(FromRow)]
struct NewPayoutRow {
    id: i64,
    paid_at: String,
}

/// One order line's sales, with its week and family.
#[derive(FromRow)]
struct WeekLineRow {
    week: String,
    order_id: i64,
    family_id: i64,
    #[sqlx(flatten)]
    name: super::Names,
    gross_fen: i64,
}

/// One sold line for the money views: family, order, month, day and its split.
pub(super) struct SoldLine {
    pub family_id: i64,
    pub order_code: String,
    pub month: String,
    pub day: String,
    pub split: Split,
}

impl Store {
    /// The hub's fee rate in basis points.
    pub async fn fee_bp(&self, hub_id: i64) -> sqlx::Result<u32> {
        let bp: i64 = sqlx::query_scalar("SELECT fee_bp FROM hub WHERE id = $1")
            .bind(hub_id)
            .fetch_one(&self.pool)
            .await?;
        Ok(bp.clamp(0, 10_000) as u32)
    }

    /// Counts by status and the orders in `status`, oldest first.
    pub async fn order_queue(&self, hub_id: i64, status: OrderStatus) -> sqlx::Result<OrderQueue> {
        let mut counted: HashMap<OrderStatus, u32> = HashMap::new();
        for r in sqlx::query_as::<_, StatusCountRow>(
            "SELECT status, COUNT(*) AS orders FROM customer_order WHERE hub_id = $1 GROUP BY status",
        )
        .bind(hub_id)
        .fetch_all(&self.pool)
        .await?
        {
            counted.insert(
                parse(&r.status, OrderStatus::parse, "order status")?,
                int(r.orders, "order count")?,
            );
        }
        let counts = OrderStatus::LIFECYCLE
            .into_iter()
            .chain([OrderStatus::Cancelled])
            .map(|s| StatusCount {
                status: s,
                count: counted.get(&s).copied().unwrap_or(0),
            })
            .collect();
        let orders = sqlx::query_as::<_, OrderSummaryRow>(
            "SELECT o.code, o.status, o.created_at, o.customer_name,
                    z.name_ug AS zone_name_ug, z.name_zh AS zone_name_zh, z.name_en AS zone_name_en,
                    (SELECT CAST(SUM(quantity) AS BIGINT) FROM order_line WHERE order_id = o.id) AS items, o.total_fen, o.flag
             FROM customer_order o JOIN zone z ON z.id = o.zone_id
             WHERE o.hub_id = $1 AND o.status = $2 ORDER BY o.flag IS NULL, o.id LIMIT 500",
        )
        .bind(hub_id)
        .bind(status.as_str())
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(OrderSummary::try_from)
        .collect::<sqlx::Result<Vec<_>>>()?;
        Ok(OrderQueue { counts, orders })
    }

    /// One of the hub's orders with its lines, batches and events.
    pub async fn order_detail(&self, hub_id: i64, code: &str) -> sqlx::Result<Option<OrderDetail>> {
        let Some(o) = sqlx::query_as::<_, OrderDetailRow>(
            "SELECT o.id, o.code, o.status, o.created_at, o.customer_name, o.customer_phone, o.address,
                    z.name_ug AS zone_name_ug, z.name_zh AS zone_name_zh, z.name_en AS zone_name_en,
                    o.payment, o.subtotal_fen, o.shipping_fen, o.total_fen, o.waybill
             FROM customer_order o JOIN zone z ON z.id = o.zone_id WHERE o.hub_id = $1 AND o.code = $2",
        )
        .bind(hub_id)
        .bind(code)
        .fetch_optional(&self.pool)
        .await?
        else {
            return Ok(None);
        };
        let order_id = o.id;
        let lines = sqlx::query_as::<_, CenterLineRow>(
            "SELECT l.id AS line_id, l.product_id, p.kind, p.name_ug, p.name_zh, p.name_en,
                    p.unit_ug, p.unit_zh, p.unit_en,
                    f.id AS family_id, f.name_ug AS family_name_ug, f.name_zh AS family_name_zh,
                    f.name_en AS family_name_en, l.quantity, l.unit_price_fen,
                    COALESCE((SELECT CAST(SUM(quantity) AS BIGINT) FROM batch_line WHERE order_line_id = l.id), 0) AS collected,
                    COALESCE((SELECT string_agg(b.trace_code, ',') FROM batch_line bl JOIN batch b ON b.id = bl.batch_id
                              WHERE bl.order_line_id = l.id), '') AS trace_codes
             FROM order_line l JOIN product p ON p.id = l.product_id JOIN family f ON f.id = l.family_id
             WHERE l.order_id = $1 ORDER BY l.id",
        )
        .bind(order_id)
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(CenterLine::try_from)
        .collect::<sqlx::Result<Vec<_>>>()?;
        let events = sqlx::query_as::<_, CenterEventRow>(
            "SELECT status, at, actor, note FROM order_event WHERE order_id = $1 ORDER BY id",
        )
        .bind(order_id)
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(CenterEvent::try_from)
        .collect::<sqlx::Result<Vec<_>>>()?;
        Ok(Some(OrderDetail {
            code: o.code,
            status: parse(&o.status, OrderStatus::parse, "order status")?,
            created_at: o.created_at,
            customer_name: o.customer_name,
            customer_phone: o.customer_phone,
            address: o.address,
            zone: o.zone_name.into(),
            payment: parse(&o.payment, PaymentMethod::parse, "payment method")?,
            subtotal_fen: Fen(o.subtotal_fen),
            shipping_fen: Fen(o.shipping_fen),
            total_fen: Fen(o.total_fen),
            waybill: o.waybill,
            lines,
            events,
        }))
    }

    /// Moves one of the hub's orders to `next`, if the lifecycle allows it,
    /// recording when and who. A cancelled order gives its stock back.
    pub async fn change_status(
        &self,
        hub_id: i64,
        code: &str,
        change: &StatusChange,
        actor: &str,
        week: i64,
    ) -> sqlx::Result<StatusOutcome> {
        let (next, waybill, note) = (change.status, change.waybill.as_deref(), change.note.as_deref());
        let mut tx = self.write().await?;
        let Some(row) = sqlx::query_as::<_, OrderStatusRow>(
            "SELECT id, status FROM customer_order WHERE hub_id = $1 AND code = $2",
        )
        .bind(hub_id)
        .bind(code)
        .fetch_optional(&mut *tx)
        .await?
        else {
            return Ok(StatusOutcome::NotFound);
        };
        let order_id = row.id;
        let from = parse(&row.status, OrderStatus::parse, "order status")?;
        if !from.can_become(next) {
            return Ok(StatusOutcome::Illegal { from });
        }
        record_status(&mut tx, order_id, next, actor, note).await?;
        if next == OrderStatus::Shipped {
            sqlx::query("UPDATE customer_order SET waybill = $1 WHERE id = $2")
                .bind(waybill)
                .bind(order_id)
                .execute(&mut *tx)
                .await?;
        }
        if next == OrderStatus::Cancelled {
            // What was taken goes back on the shelf; a weekly capacity only
            // while its week lasts.
            sqlx::query(
                "UPDATE product SET available = available + (
                     SELECT CAST(SUM(l.quantity) AS BIGINT) FROM order_line l WHERE l.order_id = $1 AND l.product_id = product.id)
                 WHERE id IN (SELECT product_id FROM order_line WHERE order_id = $1)
                   AND (capacity = 'stock' OR week = $2)",
            )
            .bind(order_id)
            .bind(week)
            .execute(&mut *tx)
            .await?;
        }
        super::catalog_changed_in(&mut tx).await?;
        tx.commit().await?;
        self.catalog_changed();
        Ok(StatusOutcome::Changed)
    }

    /// What is still to collect from each family for the hub's orders that
    /// are placed or being collected: all of them, those placed on `day`
    /// (YYYY-MM-DD, China time), or those with the given codes.
    pub async fn pick_list(
        &self,
        hub_id: i64,
        day: Option<&str>,
        codes: &[String],
    ) -> sqlx::Result<PickList> {
        let mut sql = String::from(
            "SELECT l.id AS line_id, o.code AS order_code,
                    l.quantity - COALESCE((SELECT CAST(SUM(quantity) AS BIGINT) FROM batch_line WHERE order_line_id = l.id), 0)
                        AS remaining,
                    f.id AS family_id, f.name_ug AS family_name_ug, f.name_zh AS family_name_zh,
                    f.name_en AS family_name_en, f.village_ug, f.village_zh, f.village_en, f.stamp,
                    p.id AS product_id, p.kind, p.name_ug, p.name_zh, p.name_en, p.unit_ug, p.unit_zh, p.unit_en
             FROM order_line l JOIN customer_order o ON o.id = l.order_id
             JOIN family f ON f.id = l.family_id JOIN product p ON p.id = l.product_id
             WHERE o.hub_id = $1 AND o.status IN ('placed', 'collecting')",
        );
        let mut next = 2;
        if day.is_some() {
            sql.push_str(concat!(" AND ", day_in_china!("o.created_at"), " = $2"));
            next = 3;
        }
        if !codes.is_empty() {
            let numbers: Vec<String> = (next..next + codes.len()).map(|i| format!("${i}")).collect();
            sql.push_str(&format!(" AND o.code IN ({})", numbers.join(",")));
        }
        sql.push_str(" ORDER BY f.id, p.id, o.id, l.id");
        let mut query = sqlx::query_as::<_, PickRow>(&sql).bind(hub_id);
        if let Some(day) = day {
            query = query.bind(day);
        }
        for code in codes {
            query = query.bind(code);
        }
        let mut list = PickList {
            orders: Vec::new(),
            families: Vec::new(),
        };
        for r in query.fetch_all(&self.pool).await? {
            if r.remaining <= 0 {
                continue;
            }
            let remaining: u32 = int(r.remaining, "quantity to collect")?;
            let order_code = r.order_code;
            if !list.orders.contains(&order_code) {
                list.orders.push(order_code.clone());
            }
            let family_id = r.family_id;
            if list.families.last().is_none_or(|f| f.family_id != family_id) {
                list.families.push(PickFamily {
                    family_id,
                    names: r.family_name.into(),
                    village: r.village.into(),
                    stamp: r.stamp,
                    items: Vec::new(),
                });
            }
            let family = list.families.last_mut().expect("pushed above");
            let product_id = r.product_id;
            if family.items.last().is_none_or(|i| i.product_id != product_id) {
                family.items.push(PickItem {
                    product_id,
                    kind: parse(&r.kind, ProductKind::parse, "product kind")?,
                    names: r.name.into(),
                    unit: r.unit.into(),
                    quantity: 0,
                    lines: Vec::new(),
                });
            }
            let item = family.items.last_mut().expect("pushed above");
            item.quantity += remaining;
            item.lines.push(PickLine {
                line_id: r.line_id,
                order_code,
                quantity: remaining,
            });
        }
        list.orders.sort();
        Ok(list)
    }

    /// Collects what is left of `line_ids` (all of `family_id`'s
    /// `product_id`, in the hub's orders being collected) into a new batch
    /// with a trace code. Orders move to `collecting`, and to `at_center`
    /// once all their lines are collected.
    pub async fn collect(
        &self,
        hub_id: i64,
        family_id: i64,
        product_id: i64,
        line_ids: &[i64],
        actor: &str,
    ) -> sqlx::Result<CollectOutcome> {
        let mut tx = self.write().await?;
        let mut errors = Vec::new();
        let mut taken: Vec<(i64, i64, i64)> = Vec::new();
        for (i, line_id) in line_ids.iter().enumerate() {
            let field = format!("line_ids[{i}]");
            let row = sqlx::query_as::<_, CollectLineRow>(
                "SELECT l.family_id, l.product_id, o.status, o.id AS order_id,
                        l.quantity - COALESCE((SELECT CAST(SUM(quantity) AS BIGINT) FROM batch_line WHERE order_line_id = l.id), 0)
                            AS remaining
                 FROM order_line l JOIN customer_order o ON o.id = l.order_id WHERE l.id = $1 AND o.hub_id = $2",
            )
            .bind(line_id)
            .bind(hub_id)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(row) = row else {
                errors.push(FieldError::new(field, "unknown_line"));
                continue;
            };
            let remaining = row.remaining;
            if row.family_id != family_id || row.product_id != product_id {
                errors.push(FieldError::new(field, "other_family_or_product"));
            } else if !matches!(
                parse(&row.status, OrderStatus::parse, "order status")?,
                OrderStatus::Placed | OrderStatus::Collecting
            ) {
                errors.push(FieldError::new(field, "not_collecting"));
            } else if remaining <= 0 || taken.iter().any(|(id, ..)| id == line_id) {
                errors.push(FieldError::new(field, "collected"));
            } else {
                taken.push((*line_id, row.order_id, remaining));
            }
        }
        if taken.is_empty() && errors.is_empty() {
            errors.push(FieldError::new("line_ids", "required"));
        }
        if !errors.is_empty() {
            return Ok(CollectOutcome::Invalid(errors));
        }
        let code = loop {
            let code = random_code();
            let used: Option<i64> = sqlx::query_scalar("SELECT id FROM batch WHERE trace_code = $1")
                .bind(&code)
                .fetch_optional(&mut *tx)
                .await?;
            if used.is_none() {
                break code;
            }
        };
        let quantity: i64 = taken.iter().map(|(.., q)| q).sum();
        let batch_id: i64 = sqlx::query_scalar(concat!(
            "INSERT INTO batch (trace_code, family_id, product_id, collected_on, quantity)
             VALUES ($1, $2, $3, ",
            today_in_china!(),
            ", $4) RETURNING id"
        ))
        .bind(&code)
        .bind(family_id)
        .bind(product_id)
        .bind(quantity)
        .fetch_one(&mut *tx)
        .await?;
        let mut orders: Vec<i64> = Vec::new();
        for (line_id, order_id, q) in &taken {
            sqlx::query("INSERT INTO batch_line (batch_id, order_line_id, quantity) VALUES ($1, $2, $3)")
                .bind(batch_id)
                .bind(line_id)
                .bind(q)
                .execute(&mut *tx)
                .await?;
            if !orders.contains(order_id) {
                orders.push(*order_id);
            }
        }
        for order_id in orders {
            let status: String = sqlx::query_scalar("SELECT status FROM customer_order WHERE id = $1")
                .bind(order_id)
                .fetch_one(&mut *tx)
                .await?;
            if parse(&status, OrderStatus::parse, "order status")? == OrderStatus::Placed {
                record_status(&mut tx, order_id, OrderStatus::Collecting, actor, None).await?;
            }
            let left: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM order_line l WHERE l.order_id = $1 AND l.quantity >
                 COALESCE((SELECT CAST(SUM(quantity) AS BIGINT) FROM batch_line WHERE order_line_id = l.id), 0)",
            )
            .bind(order_id)
            .fetch_one(&mut *tx)
            .await?;
            if left == 0 {
                record_status(&mut tx, order_id, OrderStatus::AtCenter, actor, None).await?;
            }
        }
        tx.commit().await?;
        Ok(CollectOutcome::Collected(code))
    }

    /// What a batch's label prints (without its address and QR code).
    pub async fn label(&self, hub_id: i64, code: &str) -> sqlx::Result<Option<Label>> {
        let row = sqlx::query_as::<_, LabelRow>(
            "SELECT b.trace_code, f.id AS family_id, f.name_ug AS family_name_ug, f.name_zh AS family_name_zh,
                    f.name_en AS family_name_en, f.village_ug, f.village_zh, f.village_en,
                    f.stamp, p.kind, p.name_ug AS product_name_ug, p.name_zh AS product_name_zh,
                    p.name_en AS product_name_en, p.unit_ug, p.unit_zh, p.unit_en,
                    b.quantity, b.collected_on
             FROM batch b JOIN family f ON f.id = b.family_id JOIN product p ON p.id = b.product_id
             WHERE b.trace_code = $1 AND f.hub_id = $2",
        )
        .bind(code)
        .bind(hub_id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(Label::try_from).transpose()
    }

    /// The hub's listings in `status`, oldest first.
    pub async fn hub_listings(&self, hub_id: i64, status: ListingStatus) -> sqlx::Result<Vec<Listing>> {
        let rows = sqlx::query_as::<_, ListingRow>(&listing_query(
            "f.hub_id = $1 AND p.status = $2 ORDER BY p.updated_at, p.id",
        ))
        .bind(hub_id)
        .bind(status.as_str())
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(Listing::try_from).collect()
    }

    /// Approves (with corrections) or sends back one of the hub's pending listings.
    pub async fn decide_listing(
        &self,
        hub_id: i64,
        id: i64,
        decision: &ListingDecision,
        week: i64,
    ) -> sqlx::Result<DecisionOutcome> {
        let mut tx = self.write().await?;
        let status: Option<String> = sqlx::query_scalar(
            "SELECT p.status FROM product p JOIN family f ON f.id = p.family_id WHERE p.id = $1 AND f.hub_id = $2",
        )
        .bind(id)
        .bind(hub_id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(status) = status else {
            return Ok(DecisionOutcome::NotFound);
        };
        if parse(&status, ListingStatus::parse, "listing status")? != ListingStatus::Pending {
            return Ok(DecisionOutcome::NotPending);
        }
        if decision.approve {
            if let Some(price) = decision.price_fen {
                sqlx::query("UPDATE product SET price_fen = $1 WHERE id = $2")
                    .bind(price.0)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            if let Some(n) = &decision.names {
                sqlx::query("UPDATE product SET name_ug = $1, name_zh = $2, name_en = $3 WHERE id = $4")
                    .bind(n.ug.trim())
                    .bind(n.zh.trim())
                    .bind(n.en.trim())
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            // A weekly product starts its week with its whole capacity.
            super::catalog::start_week(&mut tx, id, week).await?;
            sqlx::query(concat!(
                "UPDATE product SET status = 'live', reject_reason = NULL, reject_note = NULL,
                        week = $1, updated_at = ",
                now!(),
                "
                 WHERE id = $2"
            ))
            .bind(week)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        } else {
            sqlx::query(concat!(
                "UPDATE product SET status = 'rejected', reject_reason = $1, reject_note = $2,
                        updated_at = ",
                now!(),
                "
                 WHERE id = $3"
            ))
            .bind(decision.reason.map(|r| r.as_str()))
            .bind(decision.note.as_deref().map(str::trim).filter(|n| !n.is_empty()))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        }
        let row = sqlx::query_as::<_, ListingRow>(&listing_query("p.id = $1"))
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        let listing = Listing::try_from(row)?;
        super::catalog_changed_in(&mut tx).await?;
        tx.commit().await?;
        self.catalog_changed();
        Ok(DecisionOutcome::Decided(Box::new(listing)))
    }

    /// Every sold line (of orders not cancelled) of the hub, or of one family,
    /// placed up to the end of `until` (YYYY-MM), with its split at the hub's rate.
    pub(super) async fn sold_lines(
        &self,
        hub_id: i64,
        family_id: Option<i64>,
        until: &str,
    ) -> sqlx::Result<Vec<SoldLine>> {
        let rate = self.fee_bp(hub_id).await?;
        let rows = sqlx::query_as::<_, SoldLineRow>(concat!(
            "SELECT l.family_id, o.code AS order_code, ",
            month_in_china!("o.created_at"),
            " AS month,
                    ",
            day_in_china!("o.created_at"),
            " AS day, l.quantity, l.unit_price_fen
             FROM order_line l JOIN customer_order o ON o.id = l.order_id
             WHERE o.hub_id = $1 AND o.status <> 'cancelled' AND ($2 IS NULL OR l.family_id = $2)
               AND ",
            month_in_china!("o.created_at"),
            " <= $3
             ORDER BY o.id DESC, l.id"
        ))
        .bind(hub_id)
        .bind(family_id)
        .bind(until)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|r| -> sqlx::Result<SoldLine> {
                Ok(SoldLine {
                    family_id: r.family_id,
                    order_code: r.order_code,
                    month: r.month,
                    day: r.day,
                    split: Split::line(int(r.quantity, "line quantity")?, Fen(r.unit_price_fen), rate),
                })
            })
            .collect()
    }

    /// Payouts (family, month, amount) of the hub, or of one family.
    pub(super) async fn payouts(
        &self,
        hub_id: i64,
        family_id: Option<i64>,
    ) -> sqlx::Result<Vec<(Payout, String)>> {
        let rows = sqlx::query_as::<_, PayoutRow>(concat!(
            "SELECT p.id, p.family_id, p.amount_fen, p.paid_at, p.note,
                    ",
            month_in_china!("p.paid_at"),
            " AS month
             FROM payout p JOIN family f ON f.id = p.family_id
             WHERE f.hub_id = $1 AND ($2 IS NULL OR p.family_id = $2) ORDER BY p.id DESC"
        ))
        .bind(hub_id)
        .bind(family_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| {
                (
                    Payout {
                        id: r.id,
                        family_id: r.family_id,
                        amount_fen: Fen(r.amount_fen),
                        paid_at: r.paid_at,
                        note: r.note,
                    },
                    r.month,
                )
            })
            .collect())
    }

    /// Every family of the hub in `month`: sold, fee, net, paid and balance.
    pub async fn earnings(&self, hub_id: i64, month: &str) -> sqlx::Result<Vec<FamilyEarnings>> {
        let lines = self.sold_lines(hub_id, None, month).await?;
        let payouts = self.payouts(hub_id, None).await?;
        let families = self.hub_families(hub_id).await?;
        Ok(families
            .into_iter()
            .map(|f| {
                let mine = lines.iter().filter(|l| l.family_id == f.id);
                let sold: Split = mine.clone().filter(|l| l.month == month).map(|l| l.split).sum();
                let earned: Split = mine.map(|l| l.split).sum();
                let paid_to = payouts
                    .iter()
                    .filter(|(p, m)| p.family_id == f.id && m.as_str() <= month);
                let paid_ever: Fen = paid_to.clone().map(|(p, _)| p.amount_fen).sum();
                let paid_fen: Fen = paid_to
                    .filter(|(_, m)| m == month)
                    .map(|(p, _)| p.amount_fen)
                    .sum();
                FamilyEarnings {
                    family_id: f.id,
                    names: f.names,
                    village: f.village,
                    month: month.to_string(),
                    sold,
                    paid_fen,
                    balance_fen: bazar_api::earnings::balance(earned.net_fen, paid_ever),
                }
            })
            .collect())
    }

    /// A family's month on one page: its products sold (split line by line,
    /// as the earnings are), the month's payouts and the balance at its end.
    /// `None` when the family is not the hub's.
    pub async fn statement(&self, hub_id: i64, family_id: i64, month: &str) -> sqlx::Result<Option<Statement>> {
        let Some(family) = self.center_family(hub_id, family_id).await? else {
            return Ok(None);
        };
        let rate = self.fee_bp(hub_id).await?;
        let rows: Vec<StatementRow> = sqlx::query_as(concat!(
            "SELECT l.product_id, p.kind, p.name_ug, p.name_zh, p.name_en, p.unit_ug, p.unit_zh, p.unit_en,
                    p.image, l.quantity, l.unit_price_fen
             FROM order_line l JOIN customer_order o ON o.id = l.order_id JOIN product p ON p.id = l.product_id
             WHERE o.hub_id = $1 AND l.family_id = $2 AND o.status <> 'cancelled' AND ",
            month_in_china!("o.created_at"),
            " = $3 ORDER BY l.id"
        ))
        .bind(hub_id)
        .bind(family_id)
        .bind(month)
        .fetch_all(&self.pool)
        .await?;
        let mut lines: Vec<StatementLine> = Vec::new();
        for r in rows {
            let split = Split::line(int(r.quantity, "line quantity")?, Fen(r.unit_price_fen), rate);
            match lines.iter_mut().find(|l| l.product_id == r.product_id) {
                Some(line) => line.sold = line.sold + split,
                None => lines.push(StatementLine {
                    product_id: r.product_id,
                    kind: parse(&r.kind, ProductKind::parse, "product kind")?,
                    names: r.name.into(),
                    unit: r.unit.into(),
                    image: r.image,
                    sold: split,
                }),
            }
        }
        lines.sort_by_key(|l| std::cmp::Reverse(l.sold.items));
        let earnings = self.earnings(hub_id, month).await?;
        let Some(mine) = earnings.into_iter().find(|e| e.family_id == family_id) else {
            return Ok(None);
        };
        let payouts = self
            .payouts(hub_id, Some(family_id))
            .await?
            .into_iter()
            .filter(|(_, m)| m == month)
            .map(|(p, _)| p)
            .collect();
        let hub: super::Names = sqlx::query_as("SELECT name_ug, name_zh, name_en FROM hub WHERE id = $1")
            .bind(hub_id)
            .fetch_one(&self.pool)
            .await?;
        Ok(Some(Statement {
            family,
            hub: hub.into(),
            month: month.to_string(),
            fee_bp: rate,
            lines,
            sold: mine.sold,
            payouts,
            balance_fen: mine.balance_fen,
        }))
    }

    /// Records a payout to one of the hub's families; `None` when it is not the hub's.
    pub async fn record_payout(
        &self,
        hub_id: i64,
        request: &PayoutRequest,
        actor: &str,
    ) -> sqlx::Result<Option<Payout>> {
        let mut tx = self.write().await?;
        let family: Option<i64> = sqlx::query_scalar("SELECT id FROM family WHERE id = $1 AND hub_id = $2")
            .bind(request.family_id)
            .bind(hub_id)
            .fetch_optional(&mut *tx)
            .await?;
        if family.is_none() {
            return Ok(None);
        }
        let note = request.note.as_deref().map(str::trim).filter(|n| !n.is_empty());
        let row = sqlx::query_as::<_, NewPayoutRow>(concat!(
            "INSERT INTO payout (family_id, amount_fen, paid_at, actor, note)
             VALUES ($1, $2, ",
            now!(),
            ", $3, $4) RETURNING id, paid_at"
        ))
        .bind(request.family_id)
        .bind(request.amount_fen.0)
        .bind(actor)
        .bind(note)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Some(Payout {
            id: row.id,
            family_id: request.family_id,
            amount_fen: request.amount_fen,
            paid_at: row.paid_at,
            note: note.map(String::from),
        }))
    }

    /// Orders and sales of the hub's last `weeks` weeks (Monday to Sunday,
    /// China time), oldest first, with the families that supplied them.
    pub async fn overview(&self, hub_id: i64, weeks: u32) -> sqlx::Result<Vec<WeekSales>> {
        let rows = sqlx::query_as::<_, WeekLineRow>(
            concat!("SELECT ", monday_in_china!("o.created_at"), " AS week, o.id AS order_id,
                    f.id AS family_id, f.name_ug, f.name_zh, f.name_en, l.quantity * l.unit_price_fen AS gross_fen
             FROM order_line l JOIN customer_order o ON o.id = l.order_id JOIN family f ON f.id = l.family_id
             WHERE o.hub_id = $1 AND o.status <> 'cancelled'
               AND o.created_at >= ", now_plus!("$2"), "
             ORDER BY week, f.id"),
        )
        .bind(hub_id)
        .bind(format!("-{} days", weeks * 7 + 7))
        .fetch_all(&self.pool)
        .await?;
        let mut out: Vec<WeekSales> = Vec::new();
        let mut orders_seen = std::collections::HashSet::new();
        for r in rows {
            let week = r.week;
            if out.last().is_none_or(|w| w.week_start != week) {
                out.push(WeekSales {
                    week_start: week.clone(),
                    orders: 0,
                    gross_fen: Fen::ZERO,
                    families: Vec::new(),
                });
            }
            let w = out.last_mut().expect("pushed above");
            if orders_seen.insert(r.order_id) {
                w.orders += 1;
            }
            let gross = Fen(r.gross_fen);
            w.gross_fen = w.gross_fen + gross;
            let family_id = r.family_id;
            match w.families.iter_mut().find(|f| f.family_id == family_id) {
                Some(f) => f.gross_fen = f.gross_fen + gross,
                None => w.families.push(FamilySales {
                    family_id,
                    names: r.name.into(),
                    gross_fen: gross,
                }),
            }
        }
        let keep = weeks as usize;
        if out.len() > keep {
            out.drain(..out.len() - keep);
        }
        Ok(out)
    }
}

/// Sets an order's status and records the event.
async fn record_status(
    tx: &mut sqlx::Transaction<'static, Db>,
    order_id: i64,
    status: OrderStatus,
    actor: &str,
    note: Option<&str>,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE customer_order SET status = $1 WHERE id = $2")
        .bind(status.as_str())
        .bind(order_id)
        .execute(&mut **tx)
        .await?;
    sqlx::query(concat!(
        "INSERT INTO order_event (order_id, status, at, actor, note)
         VALUES ($1, $2, ",
        now!(),
        ", $3, $4)"
    ))
    .bind(order_id)
    .bind(status.as_str())
    .bind(actor)
    .bind(note.map(str::trim).filter(|n| !n.is_empty()))
    .execute(&mut **tx)
    .await?;
    Ok(())
}
