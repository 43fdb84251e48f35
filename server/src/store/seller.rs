//! The family's side on the store: what to prepare, its money, its listings.

use bazar_api::center::Listing;
use bazar_api::earnings::{Month, Split};
use bazar_api::seller::{Money, MonthMoney, NewListing, OrderShare, Prepare, default_names};
use bazar_api::{Capacity, Fen, ProductKind};
use sqlx::FromRow;

use super::center::{ListingRow, listing_query};
use super::{Account, Store, int, parse};

/// What is left to collect of one product of the family.
#[derive(FromRow)]
struct PrepareRow {
    product_id: i64,
    kind: String,
    #[sqlx(flatten)]
    name: super::Names,
    #[sqlx(flatten)]
    unit: super::Units,
    image: String,
    quantity: i64,
    orders: i64,
    since: String,
}

impl TryFrom<PrepareRow> for Prepare {
    type Error = sqlx::Error;

    fn try_from(r: PrepareRow) -> sqlx::Result<Prepare> {
        Ok(Prepare {
            product_id: r.product_id,
            kind: parse(&r.kind, ProductKind::parse, "product kind")?,
            names: r.name.into(),
            unit: r.unit.into(),
            image: r.image,
            quantity: int(r.quantity, "quantity to prepare")?,
            orders: int(r.orders, "order count")?,
            since: r.since,
        })
    }
}

impl Store {
    /// What the center still has to collect from the family, by product.
    pub async fn to_prepare(&self, family_id: i64) -> sqlx::Result<Vec<Prepare>> {
        let rows = sqlx::query_as::<_, PrepareRow>(
            concat!("SELECT p.id AS product_id, p.kind, p.name_ug, p.name_zh, p.name_en, p.unit_ug, p.unit_zh, p.unit_en,
                    p.image,
                    CAST(SUM(l.quantity - COALESCE((SELECT SUM(quantity) FROM batch_line WHERE order_line_id = l.id), 0)) AS BIGINT)
                        AS quantity,
                    COUNT(DISTINCT o.id) AS orders, MIN(", day_in_china!("o.created_at"), ") AS since
             FROM order_line l JOIN customer_order o ON o.id = l.order_id JOIN product p ON p.id = l.product_id
             WHERE l.family_id = $1 AND o.status IN ('placed', 'collecting')
               AND l.quantity > COALESCE((SELECT CAST(SUM(quantity) AS BIGINT) FROM batch_line WHERE order_line_id = l.id), 0)
             GROUP BY p.id ORDER BY MIN(o.id)"),
        )
        .bind(family_id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(Prepare::try_from).collect()
    }

    /// The family's money: six months, this and last month's orders, payouts, balance.
    pub async fn money(&self, hub_id: i64, family_id: i64) -> sqlx::Result<Money> {
        let this_month: String = sqlx::query_scalar(concat!("SELECT ", this_month_in_china!()))
            .fetch_one(&self.pool)
            .await?;
        let mut month = parse(&this_month, Month::parse, "month")?;
        let mut months = Vec::with_capacity(6);
        for _ in 0..6 {
            months.push(month.to_string());
            month = month.previous();
        }
        months.reverse();
        let last_month = months[4].clone();
        let lines = self.sold_lines(hub_id, Some(family_id), &this_month).await?;
        let payouts = self.payouts(hub_id, Some(family_id)).await?;
        let earned: Split = lines.iter().map(|l| l.split).sum();
        let paid: Fen = payouts.iter().map(|(p, _)| p.amount_fen).sum();
        let mut orders: Vec<OrderShare> = Vec::new();
        for line in lines
            .iter()
            .filter(|l| l.month == this_month || l.month == last_month)
        {
            match orders.iter_mut().find(|o| o.order_code == line.order_code) {
                Some(o) => o.share = o.share + line.split,
                None => orders.push(OrderShare {
                    order_code: line.order_code.clone(),
                    day: line.day.clone(),
                    share: line.split,
                }),
            }
        }
        Ok(Money {
            fee_bp: self.fee_bp(hub_id).await?,
            months: months
                .into_iter()
                .map(|m| MonthMoney {
                    sold: lines.iter().filter(|l| l.month == m).map(|l| l.split).sum(),
                    month: m,
                })
                .collect(),
            orders,
            payouts: payouts.into_iter().map(|(p, _)| p).collect(),
            balance_fen: bazar_api::earnings::balance(earned.net_fen, paid),
        })
    }

    /// The family's own listings, newest first, whatever their status.
    pub async fn family_listings(&self, family_id: i64) -> sqlx::Result<Vec<Listing>> {
        let rows = sqlx::query_as::<_, ListingRow>(&listing_query("p.family_id = $1 ORDER BY p.id DESC"))
            .bind(family_id)
            .fetch_all(&self.pool)
            .await?;
        rows.into_iter().map(Listing::try_from).collect()
    }

    /// A new listing of the family, pending the center's approval.
    /// A new listing of the family: pending until the center approves it,
    /// or, listed by an operator (`by`) for a family without a phone, live
    /// at once and marked with who listed it (and in the audit log).
    pub async fn create_listing(
        &self,
        family_id: i64,
        listing: &NewListing,
        image: &str,
        week: i64,
        by: Option<&Account>,
    ) -> sqlx::Result<Listing> {
        let (names, unit) = default_names(listing.kind);
        let weekly = listing.capacity == Capacity::Weekly;
        let quantity = i64::from(listing.quantity);
        let mut tx = self.write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO product (family_id, kind, name_ug, name_zh, name_en, unit_ug, unit_zh, unit_en,
                                  price_fen, capacity, available, weekly_capacity, week, image, status, listed_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id",
        )
        .bind(family_id)
        .bind(listing.kind.as_str())
        .bind(&names.ug)
        .bind(&names.zh)
        .bind(&names.en)
        .bind(&unit.ug)
        .bind(&unit.zh)
        .bind(&unit.en)
        .bind(listing.price_fen.0)
        .bind(if weekly { "weekly" } else { "stock" })
        .bind(quantity)
        .bind(if weekly { quantity } else { 0 })
        .bind(week)
        .bind(image)
        .bind(if by.is_some() { "live" } else { "pending" })
        .bind(by.map(|a| a.id))
        .fetch_one(&mut *tx)
        .await?;
        let row = sqlx::query_as::<_, ListingRow>(&listing_query("p.id = $1"))
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        let listing = Listing::try_from(row)?;
        if let Some(by) = by {
            let new = serde_json::to_string(&listing).ok();
            let object = format!("product:{id}");
            super::manage::record(&mut tx, Some(by.hub_id), by, &object, "list_for_family", None, new).await?;
        }
        super::catalog_changed_in(&mut tx).await?;
        tx.commit().await?;
        self.catalog_changed();
        Ok(listing)
    }
}
