//! Live lectures: a trainer's room, whose current step every phone that
//! joined follows over server-sent events. Rooms live in the database (see
//! `store/lectures.rs`): a trainer on one server and phones on another
//! follow the same room, and a restart doesn't end a lecture. Each server
//! keeps only a watch channel per room its phones follow, which passes on
//! every change the store announces.
//!
//! Bounded on every side: room codes are eight random digits (10^8, so a
//! room is found by its QR code or by being told, not by guessing; look-ups
//! and joins are throttled per address), a trainer has at most
//! [`ROOMS_PER_TRAINER`] rooms open and all servers [`MAX_ROOMS`], a room
//! counts at most [`MAX_PHONES`] phones and only the lesson table's steps,
//! and event streams are capped per room and in all on each server.

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use bazar_api::tutor::{Lecture, LectureState, LectureStep, PhoneReport, is_room_code, is_step};
use futures_util::StreamExt;
use tokio::sync::{broadcast, watch};
use tokio_stream::wrappers::WatchStream;

use crate::AppState;
use crate::auth::{Session, Trainer, public_origin};
use crate::client::Client;
use crate::error::AppError;
use crate::extract::{JsonBody, PathOf};
use crate::store::{LectureLimits, LectureMove, LectureReport, Store};

/// Rooms one trainer may have open; opening another closes their oldest.
pub const ROOMS_PER_TRAINER: usize = 3;
/// Rooms open in all.
pub const MAX_ROOMS: usize = 1000;
/// Phones counted in one room: a lecture hall, not a stadium.
pub const MAX_PHONES: usize = 500;
/// Event streams open on one room on a server (a phone that reconnects may
/// briefly hold two), and in all.
pub const STREAMS_PER_ROOM: usize = 2 * MAX_PHONES;
pub const MAX_STREAMS: usize = 5000;

/// The limits the store keeps rooms within; a room closes 6 hours after
/// its trainer last moved it.
pub const LIMITS: LectureLimits = LectureLimits {
    per_trainer: ROOMS_PER_TRAINER,
    rooms: MAX_ROOMS,
    phones: MAX_PHONES,
    hours: 6,
};

/// A room this server's phones follow.
struct Watched {
    state: watch::Sender<LectureState>,
    /// Its event streams open now.
    streams: Arc<AtomicUsize>,
}

/// The rooms this server's phones follow, by room code. An entry lives
/// while a stream reads it: at most [`MAX_STREAMS`] of them.
#[derive(Clone, Default)]
pub struct Lectures {
    watched: Arc<Mutex<HashMap<String, Watched>>>,
    /// Event streams open now, on every room.
    streams: Arc<AtomicUsize>,
}

/// One open event stream, counted on its room and in all until dropped.
struct StreamSlot {
    room: Arc<AtomicUsize>,
    all: Arc<AtomicUsize>,
}

impl StreamSlot {
    /// Takes a slot when both counts are under their caps.
    fn take(room: &Arc<AtomicUsize>, all: &Arc<AtomicUsize>) -> Option<StreamSlot> {
        let under = |count: &AtomicUsize, cap: usize| {
            count
                .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| (n < cap).then_some(n + 1))
                .is_ok()
        };
        if !under(all, MAX_STREAMS) {
            return None;
        }
        if !under(room, STREAMS_PER_ROOM) {
            all.fetch_sub(1, Ordering::SeqCst);
            return None;
        }
        Some(StreamSlot {
            room: room.clone(),
            all: all.clone(),
        })
    }
}

impl Drop for StreamSlot {
    fn drop(&mut self) {
        self.room.fetch_sub(1, Ordering::SeqCst);
        self.all.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Lectures {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Watched>> {
        self.watched.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Passes every change the store announces to the streams of the rooms
    /// watched here, until the store closes. Runs for the server's life.
    pub fn follow(&self, store: Store) -> tokio::task::JoinHandle<()> {
        let lectures = self.clone();
        let mut changes = store.lecture_changes();
        tokio::spawn(async move {
            loop {
                let codes: Vec<String> = match changes.recv().await {
                    Ok(code) if !code.is_empty() => vec![code],
                    // Some changes were missed: every watched room again.
                    Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => {
                        lectures.lock().keys().cloned().collect()
                    }
                    Err(broadcast::error::RecvError::Closed) => return,
                };
                for code in codes {
                    if !lectures.lock().contains_key(&code) {
                        continue;
                    }
                    let now = store.lecture(&code, LIMITS).await;
                    let mut watched = lectures.lock();
                    // Rooms nobody here follows any more are forgotten.
                    watched.retain(|_, w| w.state.receiver_count() > 0);
                    match (now, watched.get(&code)) {
                        (Ok(Some(now)), Some(w)) => {
                            w.state.send_replace(now);
                        }
                        // A closed room: its streams keep the last state.
                        (Ok(None), Some(_)) => {
                            watched.remove(&code);
                        }
                        (Err(e), _) => tracing::warn!(error = %e, "could not read a lecture room"),
                        (_, None) => {}
                    }
                }
            }
        })
    }
}

pub fn router() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/", post(open))
        .route("/{code}", get(current))
        .route("/{code}/step", post(step))
        .route("/{code}/events", get(events))
        .route("/{code}/join", post(join))
        .route("/{code}/done", post(done))
}

fn room_code(code: String) -> Result<String, AppError> {
    is_room_code(&code).then_some(code).ok_or(AppError::NotFound)
}

/// A room look-up or join from `client`, throttled by its misses: only a
/// code that is no room counts (a guess is a miss), and an address past
/// its misses is refused even for a room that exists. A classroom behind
/// one gateway joins its room as often as it needs; a guesser is stopped.
async fn throttled<T>(
    state: &AppState,
    client: Client,
    look_up: impl std::future::Future<Output = Result<T, AppError>>,
) -> Result<T, AppError> {
    state
        .room_limiter
        .blocked(&client.0)
        .map_err(|retry_after| AppError::TooManyRequests { retry_after })?;
    let found = look_up.await;
    if matches!(found, Err(AppError::NotFound)) {
        let _ = state.room_limiter.check(client.0);
    }
    found
}

/// 422 unless the lesson table has this step.
fn check_step(lesson: u32, step: u32) -> Result<(), AppError> {
    if is_step(lesson, step) {
        Ok(())
    } else {
        Err(AppError::Validation(vec![bazar_api::FieldError::new(
            "step", "unknown",
        )]))
    }
}

fn lecture(app: &AppState, state: LectureState, headers: &HeaderMap) -> Lecture {
    let join_url = format!("{}/seller/join#{}", public_origin(app, headers), state.code);
    Lecture {
        qr_svg: crate::qr::svg(&join_url),
        join_url,
        state,
    }
}

/// A trainer opens a lecture at a lesson's first step; answers the room code and its QR code.
#[utoipa::path(post, path = "/api/lectures", request_body = LectureStep, responses(
    crate::responses::Trainers, crate::responses::Json,
    (status = 201, description = "The new room", body = Lecture),
    (status = 422, description = "Malformed body, or a step the lessons don't have", body = bazar_api::ApiError),
    (status = 429, description = "Too many rooms open on the server; see Retry-After", body = bazar_api::ApiError),
))]
pub async fn open(
    State(state): State<AppState>,
    headers: HeaderMap,
    Trainer(account): Trainer,
    JsonBody(start): JsonBody<LectureStep>,
) -> Result<Response, AppError> {
    check_step(start.lesson, start.step)?;
    let initial = state
        .store
        .open_lecture(account.id, account.hub_id, start, LIMITS)
        .await?
        .ok_or(AppError::TooManyRequests { retry_after: 60 })?;
    Ok((StatusCode::CREATED, Json(lecture(&state, initial, &headers))).into_response())
}

/// Where a lecture is now.
#[utoipa::path(get, path = "/api/lectures/{code}", params(("code" = String, Path, description = "The room code")), responses(
    crate::responses::Malformed,
    (status = 200, description = "The lecture", body = Lecture),
    (status = 404, description = "No such room", body = bazar_api::ApiError),
    (status = 429, description = "Too many look-ups from this address; see Retry-After", body = bazar_api::ApiError),
))]
pub async fn current(
    State(state): State<AppState>,
    client: Client,
    headers: HeaderMap,
    PathOf(path): PathOf<String>,
) -> Result<Json<Lecture>, AppError> {
    let now = throttled(&state, client, async {
        let code = room_code(path)?;
        state
            .store
            .lecture(&code, LIMITS)
            .await?
            .ok_or(AppError::NotFound)
    })
    .await?;
    Ok(Json(lecture(&state, now, &headers)))
}

/// The trainer moves the lecture to a step (or blanks the projector).
#[utoipa::path(post, path = "/api/lectures/{code}/step", request_body = LectureStep,
    params(("code" = String, Path, description = "The room code")), responses(
    crate::responses::SignedIn, crate::responses::Json, crate::responses::Invalid,
    (status = 200, description = "The lecture after the move", body = LectureState),
    (status = 403, description = "Not this room's trainer", body = bazar_api::ApiError),
    (status = 404, description = "No such room", body = bazar_api::ApiError),
))]
pub async fn step(
    State(state): State<AppState>,
    Session(account): Session,
    PathOf(path): PathOf<String>,
    JsonBody(to): JsonBody<LectureStep>,
) -> Result<Json<LectureState>, AppError> {
    let code = room_code(path)?;
    check_step(to.lesson, to.step)?;
    match state.store.move_lecture(&code, account.id, to, LIMITS).await? {
        LectureMove::Moved(now) => Ok(Json(now)),
        LectureMove::NotFound => Err(AppError::NotFound),
        LectureMove::NotTrainer => Err(AppError::Forbidden),
    }
}

/// The lecture as server-sent events: its state now, then on every change.
/// A phone that lost the connection reconnects and gets the state at once.
#[utoipa::path(get, path = "/api/lectures/{code}/events", params(("code" = String, Path, description = "The room code")), responses(
    crate::responses::Malformed,
    (status = 200, description = "Events whose data is a LectureState", content_type = "text/event-stream"),
    (status = 404, description = "No such room", body = bazar_api::ApiError),
    (status = 429, description = "Too many look-ups from this address, or too many streams open; see Retry-After", body = bazar_api::ApiError),
))]
pub async fn events(
    State(state): State<AppState>,
    client: Client,
    PathOf(path): PathOf<String>,
) -> Result<Response, AppError> {
    let (receiver, slot) = throttled(&state, client, async {
        let code = room_code(path)?;
        let now = state
            .store
            .lecture(&code, LIMITS)
            .await?
            .ok_or(AppError::NotFound)?;
        let mut watched = state.lectures.lock();
        let room = watched.entry(code).or_insert_with(|| Watched {
            state: watch::channel(now).0,
            streams: Arc::default(),
        });
        let slot = StreamSlot::take(&room.streams, &state.lectures.streams)
            .ok_or(AppError::TooManyRequests { retry_after: 10 })?;
        Ok((room.state.subscribe(), slot))
    })
    .await?;
    let mut closing = state.closing.subscribe();
    let closed = async move {
        let _ = closing.wait_for(|closing| *closing).await;
    };
    let stream = WatchStream::new(receiver)
        .map(move |s| {
            // The slot lives as long as the stream.
            let _slot = &slot;
            Ok::<_, Infallible>(
                Event::default()
                    .json_data(&s)
                    .unwrap_or_else(|_| Event::default()),
            )
        })
        .take_until(closed);
    Ok(Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response())
}

/// Counts a phone in room `path`, and with `done` the step it finished.
async fn report(
    state: &AppState,
    path: String,
    report: PhoneReport,
    done: Option<(u32, u32)>,
) -> Result<StatusCode, AppError> {
    let code = room_code(path)?;
    if !report.is_valid() {
        return Err(AppError::Validation(vec![bazar_api::FieldError::new(
            "phone", "invalid",
        )]));
    }
    match state
        .store
        .lecture_report(&code, &report.phone, done, LIMITS)
        .await?
    {
        LectureReport::Counted(_) => Ok(StatusCode::NO_CONTENT),
        LectureReport::NotFound => Err(AppError::NotFound),
        LectureReport::Full => Err(AppError::TooManyRequests { retry_after: 60 }),
    }
}

/// A phone joins the room (again, after a lost connection: counted once).
#[utoipa::path(post, path = "/api/lectures/{code}/join", request_body = PhoneReport,
    params(("code" = String, Path, description = "The room code")), responses(
    crate::responses::Json,
    (status = 204, description = "Joined"),
    (status = 404, description = "No such room", body = bazar_api::ApiError),
    (status = 422, description = "Malformed phone id", body = bazar_api::ApiError),
    (status = 429, description = "The room is full, or too many joins from this address; see Retry-After", body = bazar_api::ApiError),
))]
pub async fn join(
    State(state): State<AppState>,
    client: Client,
    PathOf(path): PathOf<String>,
    JsonBody(body): JsonBody<PhoneReport>,
) -> Result<StatusCode, AppError> {
    throttled(&state, client, report(&state, path, body, None)).await
}

/// A phone finished practising a step.
#[utoipa::path(post, path = "/api/lectures/{code}/done", request_body = PhoneReport,
    params(("code" = String, Path, description = "The room code")), responses(
    crate::responses::Json,
    (status = 204, description = "Counted"),
    (status = 404, description = "No such room", body = bazar_api::ApiError),
    (status = 422, description = "Malformed phone id, or a step the lessons don't have", body = bazar_api::ApiError),
    (status = 429, description = "The room is full", body = bazar_api::ApiError),
))]
pub async fn done(
    State(state): State<AppState>,
    PathOf(path): PathOf<String>,
    JsonBody(body): JsonBody<PhoneReport>,
) -> Result<StatusCode, AppError> {
    if !is_step(body.lesson, body.step) {
        return Err(AppError::Validation(vec![bazar_api::FieldError::new(
            "step", "unknown",
        )]));
    }
    let done = Some((body.lesson, body.step));
    report(&state, path, body, done).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_streams_are_capped_per_room_and_in_all() {
        let all = Arc::new(AtomicUsize::new(0));
        let room = Arc::new(AtomicUsize::new(0));
        let slots: Vec<StreamSlot> = (0..STREAMS_PER_ROOM)
            .map(|_| StreamSlot::take(&room, &all).unwrap())
            .collect();
        assert!(StreamSlot::take(&room, &all).is_none(), "the room is full");
        let other = Arc::new(AtomicUsize::new(0));
        assert!(StreamSlot::take(&other, &all).is_some(), "another room is not");
        drop(slots);
        assert_eq!(
            room.load(Ordering::SeqCst),
            0,
            "closed streams give their slots back"
        );
        all.store(MAX_STREAMS, Ordering::SeqCst);
        assert!(StreamSlot::take(&other, &all).is_none(), "the server is full");
        assert_eq!(other.load(Ordering::SeqCst), 0, "and counts nothing for it");
    }
}
