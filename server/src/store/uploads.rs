//! Which family stored which photo, and how much a family stored lately.

use sqlx::FromRow;

use super::Store;

#[derive(FromRow)]
struct StoredRow {
    photos: i64,
    total_bytes: i64,
}

impl Store {
    /// Records that `family_id` stored the photo `name` of `bytes` bytes.
    pub async fn record_photo(&self, family_id: i64, name: &str, bytes: usize) -> sqlx::Result<()> {
        let mut tx = self.write().await?;
        sqlx::query("INSERT INTO photo (name, family_id, bytes) VALUES ($1, $2, $3)")
            .bind(name)
            .bind(family_id)
            .bind(i64::try_from(bytes).unwrap_or(i64::MAX))
            .execute(&mut *tx)
            .await?;
        tx.commit().await
    }

    /// Whether `name` is a photo `family_id` stored.
    pub async fn photo_of(&self, family_id: i64, name: &str) -> sqlx::Result<bool> {
        let found: Option<i64> =
            sqlx::query_scalar("SELECT CAST(1 AS BIGINT) FROM photo WHERE name = $1 AND family_id = $2")
                .bind(name)
                .bind(family_id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(found.is_some())
    }

    /// How many photos, and how many bytes, `family_id` stored in the last
    /// `days` days.
    pub async fn photos_stored_since(&self, family_id: i64, days: u32) -> sqlx::Result<(u32, u64)> {
        let stored = sqlx::query_as::<_, StoredRow>(concat!(
            "SELECT COUNT(*) AS photos, COALESCE(CAST(SUM(bytes) AS BIGINT), 0) AS total_bytes FROM photo
             WHERE family_id = $1 AND created_at >= ",
            now_plus!("$2")
        ))
        .bind(family_id)
        .bind(format!("-{days} days"))
        .fetch_one(&self.pool)
        .await?;
        Ok((
            u32::try_from(stored.photos).unwrap_or(u32::MAX),
            u64::try_from(stored.total_bytes).unwrap_or(0),
        ))
    }
}
