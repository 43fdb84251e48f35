//! The demo township hub that an empty database starts with: fictional
//! families, their products and the delivery zones.

use serde::Deserialize;

use super::Store;
use bazar_api::Localized;

const DEMO: &str = include_str!("../../seed/demo.json");

#[derive(Deserialize)]
struct Demo {
    hub: Hub,
    zones: Vec<Zone>,
    families: Vec<Family>,
    products: Vec<Product>,
    batches: Vec<Batch>,
}

#[derive(Deserialize)]
struct Batch {
    code: String,
    /// Index into `products`.
    product: usize,
    collected_on: String,
    quantity: i64,
}

#[derive(Deserialize)]
struct Hub {
    slug: String,
    names: Localized,
    fee_bp: i64,
    bank: Bank,
}

#[derive(Deserialize)]
struct Bank {
    payee: String,
    bank: String,
    account: String,
}

#[derive(Deserialize)]
struct Zone {
    id: String,
    names: Localized,
    shipping_fen: i64,
    days_min: i64,
    days_max: i64,
}

#[derive(Deserialize)]
struct Family {
    key: String,
    names: Localized,
    village: Localized,
    story: Localized,
    photo: String,
    stamp: String,
}

#[derive(Deserialize)]
struct Product {
    family: String,
    kind: String,
    names: Localized,
    unit: Localized,
    price_fen: i64,
    capacity: String,
    available: i64,
    image: String,
}

/// Seeds the demo hub when the database has no hub at all. Runs in one
/// transaction: a crash half way leaves the database empty, and the next
/// start seeds again.
pub(super) async fn seed_if_empty(store: &Store, week: i64) -> anyhow::Result<()> {
    let demo: Demo = serde_json::from_str(DEMO)?;
    let mut tx = store.write().await?;
    let hubs: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM hub")
        .fetch_one(&mut *tx)
        .await?;
    if hubs > 0 {
        return Ok(());
    }
    let hub_id: i64 = sqlx::query_scalar(
        "INSERT INTO hub (slug, name_ug, name_zh, name_en, fee_bp, bank_payee, bank_name, bank_account)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(&demo.hub.slug)
    .bind(&demo.hub.names.ug)
    .bind(&demo.hub.names.zh)
    .bind(&demo.hub.names.en)
    .bind(demo.hub.fee_bp)
    .bind(&demo.hub.bank.payee)
    .bind(&demo.hub.bank.bank)
    .bind(&demo.hub.bank.account)
    .fetch_one(&mut *tx)
    .await?;

    for (position, zone) in demo.zones.iter().enumerate() {
        sqlx::query(
            "INSERT INTO zone (hub_id, code, name_ug, name_zh, name_en, shipping_fen, days_min, days_max, position)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(hub_id)
        .bind(&zone.id)
        .bind(&zone.names.ug)
        .bind(&zone.names.zh)
        .bind(&zone.names.en)
        .bind(zone.shipping_fen)
        .bind(zone.days_min)
        .bind(zone.days_max)
        .bind(position as i64)
        .execute(&mut *tx)
        .await?;
    }

    let mut family_ids = std::collections::HashMap::new();
    for family in &demo.families {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO family (hub_id, name_ug, name_zh, name_en, village_ug, village_zh, village_en,
                                 story_ug, story_zh, story_en, photo, stamp)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
        )
        .bind(hub_id)
        .bind(&family.names.ug)
        .bind(&family.names.zh)
        .bind(&family.names.en)
        .bind(&family.village.ug)
        .bind(&family.village.zh)
        .bind(&family.village.en)
        .bind(&family.story.ug)
        .bind(&family.story.zh)
        .bind(&family.story.en)
        .bind(&family.photo)
        .bind(&family.stamp)
        .fetch_one(&mut *tx)
        .await?;
        family_ids.insert(family.key.as_str(), id);
    }

    let mut product_ids = Vec::with_capacity(demo.products.len());
    for product in &demo.products {
        let family_id = family_ids
            .get(product.family.as_str())
            .ok_or_else(|| anyhow::anyhow!("demo product of unknown family {}", product.family))?;
        let weekly = if product.capacity == "weekly" {
            product.available
        } else {
            0
        };
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO product (family_id, kind, name_ug, name_zh, name_en, unit_ug, unit_zh, unit_en,
                                  price_fen, capacity, available, weekly_capacity, week, image, status)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 'live') RETURNING id",
        )
        .bind(family_id)
        .bind(&product.kind)
        .bind(&product.names.ug)
        .bind(&product.names.zh)
        .bind(&product.names.en)
        .bind(&product.unit.ug)
        .bind(&product.unit.zh)
        .bind(&product.unit.en)
        .bind(product.price_fen)
        .bind(&product.capacity)
        .bind(product.available)
        .bind(weekly)
        .bind(week)
        .bind(&product.image)
        .fetch_one(&mut *tx)
        .await?;
        product_ids.push((id, *family_id));
    }

    for batch in &demo.batches {
        let (product_id, family_id) = *product_ids
            .get(batch.product)
            .ok_or_else(|| anyhow::anyhow!("demo batch of unknown product {}", batch.product))?;
        sqlx::query(
            "INSERT INTO batch (trace_code, family_id, product_id, collected_on, quantity) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&batch.code)
        .bind(family_id)
        .bind(product_id)
        .bind(&batch.collected_on)
        .bind(batch.quantity)
        .execute(&mut *tx)
        .await?;
    }
    super::catalog_changed_in(&mut tx).await?;
    tx.commit().await?;
    store.catalog_changed();
    tracing::info!(
        families = demo.families.len(),
        products = demo.products.len(),
        "seeded the demo hub"
    );
    Ok(())
}
