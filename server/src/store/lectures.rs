//! Live lectures: a trainer's room, its current step, the phones that
//! joined and the steps each finished. In the database, so a trainer on one
//! server and phones on another follow the same room and a restart doesn't
//! end it; every committed change is announced (see `lecture_changed` in the
//! backend) so each server's event streams pass it on.

use bazar_api::tutor::{LectureState, LectureStep, ROOM_CODE_LEN};
use sqlx::FromRow;

use super::{Conn, Db, LectureLimits, LectureMove, LectureReport, Store, int};

/// A room's state and its trainer, read with the counts of its current step.
#[derive(FromRow)]
struct LectureRow {
    code: String,
    hub: String,
    trainer_id: i64,
    lesson: i64,
    step: i64,
    blank: i64,
    joined: i64,
    finished: i64,
}

impl LectureRow {
    fn state(self) -> sqlx::Result<LectureState> {
        Ok(LectureState {
            code: self.code,
            hub: self.hub,
            lesson: int(self.lesson, "lecture lesson")?,
            step: int(self.step, "lecture step")?,
            blank: self.blank != 0,
            joined: int(self.joined, "lecture phones")?,
            finished: int(self.finished, "lecture phones done")?,
        })
    }
}

/// How long ago a room was last touched for it to be closed, as a time
/// modifier (`-6 hours`).
fn closed_before(limits: &LectureLimits) -> String {
    format!("-{} hours", limits.hours)
}

/// The open room `code`, or `None`.
async fn live_room(tx: &mut Conn, code: &str, limits: &LectureLimits) -> sqlx::Result<Option<LectureRow>> {
    sqlx::query_as(concat!(
        "SELECT l.code, h.slug AS hub, l.trainer_id, l.lesson, l.step, l.blank,
                (SELECT COUNT(*) FROM lecture_phone p WHERE p.code = l.code) AS joined,
                (SELECT COUNT(*) FROM lecture_done d
                 WHERE d.code = l.code AND d.lesson = l.lesson AND d.step = l.step) AS finished
         FROM lecture l JOIN hub h ON h.id = l.hub_id
         WHERE l.code = $1 AND l.touched_at > ",
        now_plus!("$2")
    ))
    .bind(code)
    .bind(closed_before(limits))
    .fetch_optional(&mut *tx)
    .await
}

/// Eight random digits: a room code.
pub(super) fn random_room_code() -> String {
    let mut bytes = [0u8; 4];
    getrandom::getrandom(&mut bytes).expect("the OS random source works");
    // 2^32 is not a multiple of 10^8: the first codes are a little more
    // likely, by less than 2.4 %, which costs a guesser nothing useful.
    format!(
        "{:0width$}",
        u32::from_le_bytes(bytes) % 100_000_000,
        width = ROOM_CODE_LEN
    )
}

impl Store {
    /// Opens a room for `trainer_id` of `hub_id` at `start`. Rooms untouched
    /// for `limits.hours` close; the trainer's oldest close so that they
    /// keep at most `limits.per_trainer`; `None` when `limits.rooms` are
    /// open already.
    pub async fn open_lecture(
        &self,
        trainer_id: i64,
        hub_id: i64,
        start: LectureStep,
        limits: LectureLimits,
    ) -> sqlx::Result<Option<LectureState>> {
        let mut tx = self.write().await?;
        let mut closed: Vec<String> = sqlx::query_scalar(concat!(
            "DELETE FROM lecture WHERE touched_at <= ",
            now_plus!("$1"),
            " RETURNING code"
        ))
        .bind(closed_before(&limits))
        .fetch_all(&mut *tx)
        .await?;
        let own: Vec<String> =
            sqlx::query_scalar("SELECT code FROM lecture WHERE trainer_id = $1 ORDER BY touched_at DESC, code")
                .bind(trainer_id)
                .fetch_all(&mut *tx)
                .await?;
        for code in own.into_iter().skip(limits.per_trainer.saturating_sub(1)) {
            sqlx::query("DELETE FROM lecture WHERE code = $1")
                .bind(&code)
                .execute(&mut *tx)
                .await?;
            closed.push(code);
        }
        let open: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM lecture")
            .fetch_one(&mut *tx)
            .await?;
        let mut opened = None;
        // With 10^8 codes and few rooms open the first try almost always does.
        for _ in 0..8 {
            if open >= i64::try_from(limits.rooms).unwrap_or(i64::MAX) {
                break;
            }
            let code = random_room_code();
            let inserted = sqlx::query(concat!(
                "INSERT INTO lecture (code, hub_id, trainer_id, lesson, step, blank, touched_at)
                 VALUES ($1, $2, $3, $4, $5, 0, ",
                now!(),
                ") ON CONFLICT DO NOTHING"
            ))
            .bind(&code)
            .bind(hub_id)
            .bind(trainer_id)
            .bind(i64::from(start.lesson))
            .bind(i64::from(start.step))
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if inserted == 1 {
                opened = live_room(&mut tx, &code, &limits).await?;
                break;
            }
        }
        // Phones following a closed room learn it (their stream ends).
        for code in &closed {
            super::lecture_changed_in(&mut tx, code).await?;
        }
        tx.commit().await?;
        for code in &closed {
            self.lecture_changed(code);
        }
        opened.map(LectureRow::state).transpose()
    }

    /// The open room `code` now, or `None`.
    pub async fn lecture(&self, code: &str, limits: LectureLimits) -> sqlx::Result<Option<LectureState>> {
        let mut conn = self.pool.acquire().await?;
        live_room(&mut conn, code, &limits)
            .await?
            .map(LectureRow::state)
            .transpose()
    }

    /// The trainer moves room `code` to a step (or blanks the projector).
    pub async fn move_lecture(
        &self,
        code: &str,
        trainer_id: i64,
        to: LectureStep,
        limits: LectureLimits,
    ) -> sqlx::Result<LectureMove> {
        let mut tx = self.write().await?;
        let Some(room) = live_room(&mut tx, code, &limits).await? else {
            return Ok(LectureMove::NotFound);
        };
        if room.trainer_id != trainer_id {
            return Ok(LectureMove::NotTrainer);
        }
        sqlx::query(concat!(
            "UPDATE lecture SET lesson = $1, step = $2, blank = $3, touched_at = ",
            now!(),
            " WHERE code = $4"
        ))
        .bind(i64::from(to.lesson))
        .bind(i64::from(to.step))
        .bind(i64::from(to.blank))
        .bind(code)
        .execute(&mut *tx)
        .await?;
        Ok(match self.commit_change(tx, code, &limits).await? {
            Some(now) => LectureMove::Moved(now),
            None => LectureMove::NotFound,
        })
    }

    /// A phone joined room `code` (again: counted once), and with `done`
    /// finished that step.
    pub async fn lecture_report(
        &self,
        code: &str,
        phone: &str,
        done: Option<(u32, u32)>,
        limits: LectureLimits,
    ) -> sqlx::Result<LectureReport> {
        let mut tx = self.write().await?;
        let Some(room) = live_room(&mut tx, code, &limits).await? else {
            return Ok(LectureReport::NotFound);
        };
        let known: Option<i64> =
            sqlx::query_scalar("SELECT CAST(1 AS BIGINT) FROM lecture_phone WHERE code = $1 AND phone = $2")
                .bind(code)
                .bind(phone)
                .fetch_optional(&mut *tx)
                .await?;
        if known.is_none() {
            if room.joined >= i64::try_from(limits.phones).unwrap_or(i64::MAX) {
                return Ok(LectureReport::Full);
            }
            sqlx::query("INSERT INTO lecture_phone (code, phone) VALUES ($1, $2)")
                .bind(code)
                .bind(phone)
                .execute(&mut *tx)
                .await?;
        }
        if let Some((lesson, step)) = done {
            sqlx::query(
                "INSERT INTO lecture_done (code, lesson, step, phone) VALUES ($1, $2, $3, $4)
                 ON CONFLICT DO NOTHING",
            )
            .bind(code)
            .bind(i64::from(lesson))
            .bind(i64::from(step))
            .bind(phone)
            .execute(&mut *tx)
            .await?;
        }
        Ok(match self.commit_change(tx, code, &limits).await? {
            Some(now) => LectureReport::Counted(now),
            None => LectureReport::NotFound,
        })
    }

    /// Commits a change to room `code`, announces it, and answers the room
    /// as it is now.
    async fn commit_change(
        &self,
        mut tx: sqlx::Transaction<'static, Db>,
        code: &str,
        limits: &LectureLimits,
    ) -> sqlx::Result<Option<LectureState>> {
        let room = live_room(&mut tx, code, limits).await?;
        super::lecture_changed_in(&mut tx, code).await?;
        tx.commit().await?;
        self.lecture_changed(code);
        room.map(LectureRow::state).transpose()
    }

    /// Every change to a room, committed by this server or (on PostgreSQL)
    /// another: its code, or an empty text when some may have been missed.
    pub fn lecture_changes(&self) -> tokio::sync::broadcast::Receiver<String> {
        self.lecture_changes.subscribe()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_room_code_is_eight_digits() {
        for _ in 0..100 {
            let code = random_room_code();
            assert!(bazar_api::tutor::is_room_code(&code), "{code}");
        }
    }
}
