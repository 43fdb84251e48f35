//! Reading the catalog: live products with their families.

use bazar_api::{Capacity, Family, FamilyPage, FamilySummary, Fen, Product, ProductKind, Trace};
use sqlx::FromRow;

use super::{Conn, ProductFilter, Store, int, parse};

const PRODUCT_COLUMNS: &str = concat!(
    "p.id, p.kind, p.name_ug, p.name_zh, p.name_en, p.unit_ug, p.unit_zh, p.unit_en,
    p.price_fen, p.capacity, p.image, p.max_per_order, CASE WHEN p.paused = 0 THEN ",
    super::available_now!(),
    " ELSE 0 END AS available,
    f.id AS family_id, f.name_ug AS family_name_ug, f.name_zh AS family_name_zh,
    f.name_en AS family_name_en, f.village_ug, f.village_zh, f.village_en, f.photo"
);

#[derive(FromRow)]
struct ProductRow {
    id: i64,
    kind: String,
    #[sqlx(flatten)]
    name: super::Names,
    #[sqlx(flatten)]
    unit: super::Units,
    price_fen: i64,
    capacity: String,
    available: i64,
    image: String,
    max_per_order: Option<i64>,
    family_id: i64,
    #[sqlx(flatten)]
    family_name: super::FamilyNames,
    #[sqlx(flatten)]
    village: super::Villages,
    photo: String,
}

impl TryFrom<ProductRow> for Product {
    type Error = sqlx::Error;

    fn try_from(r: ProductRow) -> sqlx::Result<Product> {
        // The table's CHECK constraints only admit known kinds and
        // capacities; anything else is an error, not a guess.
        let kind = parse(&r.kind, ProductKind::parse, "product kind")?;
        Ok(Product {
            id: r.id,
            kind,
            names: r.name.into(),
            unit: r.unit.into(),
            price_fen: Fen(r.price_fen),
            capacity: parse(&r.capacity, Capacity::parse, "capacity")?,
            available: r.available,
            max_per_order: max_per_order(kind, r.max_per_order),
            image: r.image,
            family: FamilySummary {
                id: r.family_id,
                names: r.family_name.into(),
                village: r.village.into(),
                photo: r.photo,
            },
        })
    }
}

/// A product's own maximum per order, or its kind's.
pub(super) fn max_per_order(kind: ProductKind, own: Option<i64>) -> u32 {
    own.and_then(|n| u32::try_from(n).ok())
        .filter(|n| *n > 0)
        .unwrap_or_else(|| kind.default_max_per_order())
}

#[derive(FromRow)]
struct FamilyRow {
    id: i64,
    #[sqlx(flatten)]
    name: super::Names,
    #[sqlx(flatten)]
    village: super::Villages,
    #[sqlx(flatten)]
    story: super::Stories,
    photo: String,
    stamp: String,
}

impl From<FamilyRow> for Family {
    fn from(r: FamilyRow) -> Family {
        Family {
            id: r.id,
            names: r.name.into(),
            village: r.village.into(),
            story: r.story.into(),
            photo: r.photo,
            stamp: r.stamp,
        }
    }
}

impl Store {
    /// Live products matching `filter`, by id; `week` is the current
    /// week, for what is left of weekly capacities.
    pub async fn live_products(&self, filter: &ProductFilter, week: i64) -> sqlx::Result<Vec<Product>> {
        // Lower case on both sides: SQLite's LIKE ignores ASCII case and
        // PostgreSQL's doesn't.
        let pattern = filter
            .text
            .as_ref()
            .map(|t| format!("%{}%", escape_like(&t.to_lowercase())));
        let sql = format!(
            concat!(
                "SELECT {columns} FROM product p JOIN family f ON f.id = p.family_id
             WHERE ",
                super::listed!(),
                "
               AND ($2 IS NULL OR p.kind = $2)
               AND ($3 IS NULL OR p.family_id = $3)
               AND ($4 IS NULL OR lower(p.name_ug) LIKE $4 ESCAPE '\\' OR lower(p.name_zh) LIKE $4 ESCAPE '\\'
                    OR lower(p.name_en) LIKE $4 ESCAPE '\\' OR lower(f.name_ug) LIKE $4 ESCAPE '\\'
                    OR lower(f.name_zh) LIKE $4 ESCAPE '\\' OR lower(f.name_en) LIKE $4 ESCAPE '\\')
             ORDER BY p.id"
            ),
            columns = PRODUCT_COLUMNS
        );
        let rows: Vec<ProductRow> = sqlx::query_as(&sql)
            .bind(week)
            .bind(filter.kind.map(|k| k.as_str()))
            .bind(filter.family)
            .bind(pattern)
            .fetch_all(&self.pool)
            .await?;
        rows.into_iter().map(Product::try_from).collect()
    }

    /// One live product, or `None`.
    pub async fn live_product(&self, id: i64, week: i64) -> sqlx::Result<Option<Product>> {
        let sql = format!(
            concat!(
                "SELECT {columns} FROM product p JOIN family f ON f.id = p.family_id WHERE ",
                super::listed!(),
                " AND p.id = $2"
            ),
            columns = PRODUCT_COLUMNS
        );
        let row: Option<ProductRow> = sqlx::query_as(&sql)
            .bind(week)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(Product::try_from).transpose()
    }

    /// A family's card, or `None`.
    pub async fn family(&self, id: i64) -> sqlx::Result<Option<Family>> {
        let row: Option<FamilyRow> = sqlx::query_as(
            "SELECT id, name_ug, name_zh, name_en, village_ug, village_zh, village_en,
                    story_ug, story_zh, story_en, photo, stamp
             FROM family WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(Family::from))
    }
}

/// A family card with its live products (`GET /api/families/{id}`).
impl Store {
    pub async fn family_with_products(&self, id: i64, week: i64) -> sqlx::Result<Option<FamilyPage>> {
        let Some(family) = self.family(id).await? else {
            return Ok(None);
        };
        let filter = ProductFilter {
            family: Some(id),
            ..ProductFilter::default()
        };
        let products = self.live_products(&filter, week).await?;
        Ok(Some(FamilyPage { family, products }))
    }

    /// The batch behind a trace code, or `None`.
    pub async fn trace(&self, code: &str) -> sqlx::Result<Option<Trace>> {
        let row = sqlx::query_as::<_, TraceRow>(
            "SELECT b.trace_code, f.id AS family_id, f.name_ug AS family_name_ug, f.name_zh AS family_name_zh,
                    f.name_en AS family_name_en, f.village_ug, f.village_zh, f.village_en,
                    f.photo, p.id AS product_id, p.kind, p.name_ug AS product_name_ug,
                    p.name_zh AS product_name_zh, p.name_en AS product_name_en, b.collected_on, b.quantity
             FROM batch b JOIN family f ON f.id = b.family_id JOIN product p ON p.id = b.product_id
             WHERE b.trace_code = $1",
        )
        .bind(code)
        .fetch_optional(&self.pool)
        .await?;
        row.map(Trace::try_from).transpose()
    }
}

#[derive(FromRow)]
struct TraceRow {
    trace_code: String,
    family_id: i64,
    #[sqlx(flatten)]
    family_name: super::FamilyNames,
    #[sqlx(flatten)]
    village: super::Villages,
    photo: String,
    product_id: i64,
    kind: String,
    #[sqlx(flatten)]
    product_name: super::ProductNames,
    collected_on: String,
    quantity: i64,
}

impl TryFrom<TraceRow> for Trace {
    type Error = sqlx::Error;

    fn try_from(r: TraceRow) -> sqlx::Result<Trace> {
        Ok(Trace {
            code: r.trace_code,
            family_id: r.family_id,
            family_names: r.family_name.into(),
            village: r.village.into(),
            photo: r.photo,
            product_id: r.product_id,
            kind: parse(&r.kind, ProductKind::parse, "product kind")?,
            product_names: r.product_name.into(),
            collected_on: r.collected_on,
            quantity: int(r.quantity, "batch quantity")?,
        })
    }
}

/// Escapes LIKE's wildcards so a customer's `%` or `_` matches itself.
fn escape_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

impl Store {
    /// The catalog's version now; read it before reading the catalog.
    pub fn catalog_version(&self) -> u64 {
        self.catalog_version.get()
    }

    /// Marks the catalog changed; call after the change is committed (the
    /// other servers learn of it from `catalog_changed_in`, sent with the
    /// transaction).
    pub(super) fn catalog_changed(&self) {
        self.catalog_version.bump();
    }

    /// True when the database answers a query.
    pub async fn ping(&self) -> bool {
        sqlx::query_scalar::<_, i64>("SELECT CAST(1 AS BIGINT)")
            .fetch_one(&self.pool)
            .await
            .is_ok()
    }
}

/// Starts `week` for product `id` if it is weekly: its whole capacity is
/// available again (see `available_now!` in `mod.rs`).
pub(super) async fn start_week(tx: &mut Conn, id: i64, week: i64) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE product SET available = weekly_capacity, week = $2 WHERE id = $1 AND capacity = 'weekly'",
    )
    .bind(id)
    .bind(week)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::escape_like;

    #[test]
    fn like_wildcards_are_escaped() {
        assert_eq!(escape_like("100%_a\\b"), "100\\%\\_a\\\\b");
        assert_eq!(escape_like("馕"), "馕");
    }
}
