//! Sign-in attempts counted against their limits, shared by every server on
//! the database. Times are seconds since 1970 from the caller's clock.

use super::Store;

impl Store {
    /// Counts one attempt on each of `keys` (a key and its limit per
    /// `window` seconds) if none has reached its limit, and answers the
    /// attempts' ids, to give back with [`Store::release_attempts`] when
    /// the attempt succeeded. Otherwise counts nothing and answers the
    /// seconds until the first full key has room again.
    pub async fn reserve_attempts(
        &self,
        keys: &[(String, u32)],
        now: i64,
        window: i64,
    ) -> sqlx::Result<Result<Vec<i64>, u64>> {
        let mut tx = self.write().await?;
        sqlx::query("DELETE FROM sign_in_attempt WHERE at <= $1")
            .bind(now - window)
            .execute(&mut *tx)
            .await?;
        for (key, limit) in keys {
            let (count, oldest): (i64, Option<i64>) =
                sqlx::query_as("SELECT COUNT(*), MIN(at) FROM sign_in_attempt WHERE key = $1")
                    .bind(key)
                    .fetch_one(&mut *tx)
                    .await?;
            if count >= i64::from(*limit) {
                tx.commit().await?;
                let wait = oldest.map_or(window, |at| at + window - now);
                return Ok(Err(u64::try_from(wait).unwrap_or(0).max(1)));
            }
        }
        let mut ids = Vec::with_capacity(keys.len());
        for (key, _) in keys {
            let id: i64 = sqlx::query_scalar("INSERT INTO sign_in_attempt (key, at) VALUES ($1, $2) RETURNING id")
                .bind(key)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
            ids.push(id);
        }
        tx.commit().await?;
        Ok(Ok(ids))
    }

    /// Gives back attempts counted by [`Store::reserve_attempts`].
    pub async fn release_attempts(&self, ids: &[i64]) -> sqlx::Result<()> {
        let mut tx = self.write().await?;
        for id in ids {
            sqlx::query("DELETE FROM sign_in_attempt WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await
    }

    /// Counts one attempt on `key` whatever its count.
    pub async fn record_attempt(&self, key: &str, now: i64) -> sqlx::Result<()> {
        let mut tx = self.write().await?;
        sqlx::query("INSERT INTO sign_in_attempt (key, at) VALUES ($1, $2)")
            .bind(key)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await
    }

    /// The attempts on `key` within the last `window` seconds.
    pub async fn attempts(&self, key: &str, now: i64, window: i64) -> sqlx::Result<u32> {
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sign_in_attempt WHERE key = $1 AND at > $2")
            .bind(key)
            .bind(now - window)
            .fetch_one(&self.pool)
            .await?;
        Ok(u32::try_from(count).unwrap_or(u32::MAX))
    }
}
