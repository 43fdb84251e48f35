//! Narration clips trainers recorded, per hub, step and language.

use sqlx::FromRow;

use super::Store;

#[derive(FromRow)]
struct RecordingRow {
    mime: String,
    audio: Vec<u8>,
}

impl Store {
    /// Saves (or replaces) a hub's recording of `clip` in `lang`.
    pub async fn save_narration(
        &self,
        hub_id: i64,
        clip: &str,
        lang: &str,
        mime: &str,
        audio: &[u8],
        trainer: i64,
    ) -> sqlx::Result<()> {
        let mut tx = self.write().await?;
        sqlx::query(concat!(
            "INSERT INTO narration (hub_id, clip, lang, mime, audio, recorded_by, recorded_at)
             VALUES ($1, $2, $3, $4, $5, $6, ",
            now!(),
            ")
             ON CONFLICT (hub_id, clip, lang) DO UPDATE SET
                mime = excluded.mime, audio = excluded.audio,
                recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at"
        ))
        .bind(hub_id)
        .bind(clip)
        .bind(lang)
        .bind(mime)
        .bind(audio)
        .bind(trainer)
        .execute(&mut *tx)
        .await?;
        tx.commit().await
    }

    /// How many bytes the hub's recordings take, but the one of `clip` in
    /// `lang` (which a new recording replaces).
    pub async fn narration_bytes_besides(&self, hub_id: i64, clip: &str, lang: &str) -> sqlx::Result<u64> {
        let bytes: i64 = sqlx::query_scalar(
            "SELECT COALESCE(CAST(SUM(length(audio)) AS BIGINT), 0) FROM narration
             WHERE hub_id = $1 AND NOT (clip = $2 AND lang = $3)",
        )
        .bind(hub_id)
        .bind(clip)
        .bind(lang)
        .fetch_one(&self.pool)
        .await?;
        Ok(u64::try_from(bytes).unwrap_or(0))
    }

    /// The hub's recording of `clip` in `lang`: its type and bytes. The hub
    /// is named by its slug; none means the first hub.
    pub async fn narration(
        &self,
        hub: Option<&str>,
        clip: &str,
        lang: &str,
    ) -> sqlx::Result<Option<(String, Vec<u8>)>> {
        let row = sqlx::query_as::<_, RecordingRow>(
            "SELECT n.mime, n.audio FROM narration n JOIN hub h ON h.id = n.hub_id
             WHERE h.slug = COALESCE($1, (SELECT slug FROM hub ORDER BY id LIMIT 1)) AND n.clip = $2 AND n.lang = $3",
        )
        .bind(hub)
        .bind(clip)
        .bind(lang)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| (r.mime, r.audio)))
    }

    /// Which clips the hub recorded, as `clip/lang`.
    pub async fn recorded_clips(&self, hub: Option<&str>) -> sqlx::Result<Vec<String>> {
        sqlx::query_scalar(
            "SELECT n.clip || '/' || n.lang FROM narration n JOIN hub h ON h.id = n.hub_id
             WHERE h.slug = COALESCE($1, (SELECT slug FROM hub ORDER BY id LIMIT 1)) ORDER BY 1",
        )
        .bind(hub)
        .fetch_all(&self.pool)
        .await
    }
}
