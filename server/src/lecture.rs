//! Live lectures: a trainer's room, held in memory (a lecture lasts an hour
//! and nothing in it must outlive a restart), whose current step every phone
//! that joined follows over server-sent events.
//!
//! Bounded on every side: room codes are eight random digits (10^8, so a
//! room is found by its QR code or by being told, not by guessing; look-ups
//! and joins are throttled per address), a trainer has at most
//! [`ROOMS_PER_TRAINER`] rooms open and the server [`MAX_ROOMS`], a room
//! counts at most [`MAX_PHONES`] phones and only the lesson table's steps,
//! and event streams are capped per room and in all.

use std::collections::{BTreeSet, HashMap};
use std::convert::Infallible;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use bazar_api::tutor::{
    Lecture, LectureState, LectureStep, PhoneReport, ROOM_CODE_LEN, is_room_code, is_step,
};
use futures_util::StreamExt;
use tokio::sync::watch;
use tokio_stream::wrappers::WatchStream;

use crate::AppState;
use crate::auth::{Session, Trainer, public_origin};
use crate::client::Client;
use crate::error::AppError;
use crate::extract::{JsonBody, PathOf};

/// A room closes this long after its trainer last moved it.
const ROOM_LIFETIME: Duration = Duration::from_secs(6 * 3600);
/// Rooms one trainer may have open; opening another closes their oldest.
pub const ROOMS_PER_TRAINER: usize = 3;
/// Rooms open on the server in all.
pub const MAX_ROOMS: usize = 1000;
/// Phones counted in one room: a lecture hall, not a stadium.
pub const MAX_PHONES: usize = 500;
/// Event streams open on one room (a phone that reconnects may briefly
/// hold two), and in all.
pub const STREAMS_PER_ROOM: usize = 2 * MAX_PHONES;
pub const MAX_STREAMS: usize = 5000;

struct Room {
    trainer: i64,
    touched: Instant,
    /// Its event streams open now.
    streams: Arc<AtomicUsize>,
    joined: BTreeSet<String>,
    finished: HashMap<(u32, u32), BTreeSet<String>>,
    state: watch::Sender<LectureState>,
}

impl Room {
    /// Sends every phone the counts of the room's current step.
    fn publish(&mut self) {
        let joined = self.joined.len() as u32;
        let finished = &self.finished;
        self.state.send_modify(|s| {
            s.joined = joined;
            s.finished = finished.get(&(s.lesson, s.step)).map_or(0, |f| f.len() as u32);
        });
    }
}

/// Every open lecture, by room code.
#[derive(Clone, Default)]
pub struct Lectures {
    rooms: Arc<Mutex<HashMap<String, Room>>>,
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
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Room>> {
        self.rooms.lock().unwrap_or_else(|e| e.into_inner())
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
fn throttled<T>(
    state: &AppState,
    client: Client,
    look_up: impl FnOnce() -> Result<T, AppError>,
) -> Result<T, AppError> {
    state
        .room_limiter
        .blocked(&client.0)
        .map_err(|retry_after| AppError::TooManyRequests { retry_after })?;
    let found = look_up();
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

/// A new room code, not in use: eight random digits. A few tries at most
/// (with 10^8 codes and at most [`MAX_ROOMS`] rooms, the first try almost
/// always does), so opening a room never loops.
fn new_code(rooms: &HashMap<String, Room>) -> Option<String> {
    (0..8).find_map(|_| {
        let mut bytes = [0u8; 4];
        getrandom::getrandom(&mut bytes).expect("the OS random source works");
        // 2^32 is not a multiple of 10^8: the first codes are a little more
        // likely, by less than 2.4 %, which costs a guesser nothing useful.
        let code = format!(
            "{:0width$}",
            u32::from_le_bytes(bytes) % 100_000_000,
            width = ROOM_CODE_LEN
        );
        (!rooms.contains_key(&code)).then_some(code)
    })
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
    (status = 400, description = "Malformed path, query or body", body = bazar_api::ApiError),
    (status = 415, description = "The body must be application/json", body = bazar_api::ApiError),
    (status = 201, description = "The new room", body = Lecture),
    (status = 401, description = "Not signed in", body = bazar_api::ApiError),
    (status = 403, description = "Not a trainer", body = bazar_api::ApiError),
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
    let mut rooms = state.lectures.lock();
    rooms.retain(|_, r| r.touched.elapsed() < ROOM_LIFETIME);
    let mut own: Vec<(Instant, String)> = rooms
        .iter()
        .filter(|(_, r)| r.trainer == account.id)
        .map(|(code, r)| (r.touched, code.clone()))
        .collect();
    own.sort();
    for (_, code) in own.iter().take((own.len() + 1).saturating_sub(ROOMS_PER_TRAINER)) {
        rooms.remove(code);
    }
    if rooms.len() >= MAX_ROOMS {
        return Err(AppError::TooManyRequests { retry_after: 60 });
    }
    let code = new_code(&rooms).ok_or(AppError::TooManyRequests { retry_after: 1 })?;
    let initial = LectureState {
        code: code.clone(),
        hub: account.hub_slug.clone(),
        lesson: start.lesson,
        step: start.step,
        blank: false,
        joined: 0,
        finished: 0,
    };
    let (sender, _) = watch::channel(initial.clone());
    rooms.insert(
        code,
        Room {
            trainer: account.id,
            touched: Instant::now(),
            streams: Arc::default(),
            joined: BTreeSet::new(),
            finished: HashMap::new(),
            state: sender,
        },
    );
    drop(rooms);
    Ok((StatusCode::CREATED, Json(lecture(&state, initial, &headers))).into_response())
}

/// Where a lecture is now.
#[utoipa::path(get, path = "/api/lectures/{code}", params(("code" = String, Path, description = "The room code")), responses(
    (status = 400, description = "Malformed path, query or body", body = bazar_api::ApiError),
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
    let now = throttled(&state, client, || {
        let code = room_code(path)?;
        let rooms = state.lectures.lock();
        let room = rooms.get(&code).ok_or(AppError::NotFound)?;
        Ok(room.state.borrow().clone())
    })?;
    Ok(Json(lecture(&state, now, &headers)))
}

/// The trainer moves the lecture to a step (or blanks the projector).
#[utoipa::path(post, path = "/api/lectures/{code}/step", request_body = LectureStep,
    params(("code" = String, Path, description = "The room code")), responses(
    (status = 400, description = "Malformed path, query or body", body = bazar_api::ApiError),
    (status = 415, description = "The body must be application/json", body = bazar_api::ApiError),
    (status = 422, description = "Invalid fields", body = bazar_api::ApiError),
    (status = 200, description = "The lecture after the move", body = LectureState),
    (status = 401, description = "Not signed in", body = bazar_api::ApiError),
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
    let mut rooms = state.lectures.lock();
    let room = rooms.get_mut(&code).ok_or(AppError::NotFound)?;
    if room.trainer != account.id {
        return Err(AppError::Forbidden);
    }
    room.touched = Instant::now();
    room.state.send_modify(|s| {
        s.lesson = to.lesson;
        s.step = to.step;
        s.blank = to.blank;
    });
    room.publish();
    let now = room.state.borrow().clone();
    Ok(Json(now))
}

/// The lecture as server-sent events: its state now, then on every change.
/// A phone that lost the connection reconnects and gets the state at once.
#[utoipa::path(get, path = "/api/lectures/{code}/events", params(("code" = String, Path, description = "The room code")), responses(
    (status = 400, description = "Malformed path, query or body", body = bazar_api::ApiError),
    (status = 200, description = "Events whose data is a LectureState", content_type = "text/event-stream"),
    (status = 404, description = "No such room", body = bazar_api::ApiError),
    (status = 429, description = "Too many look-ups from this address, or too many streams open; see Retry-After", body = bazar_api::ApiError),
))]
pub async fn events(
    State(state): State<AppState>,
    client: Client,
    PathOf(path): PathOf<String>,
) -> Result<Response, AppError> {
    let (receiver, slot) = throttled(&state, client, || {
        let code = room_code(path)?;
        let rooms = state.lectures.lock();
        let room = rooms.get(&code).ok_or(AppError::NotFound)?;
        let slot = StreamSlot::take(&room.streams, &state.lectures.streams)
            .ok_or(AppError::TooManyRequests { retry_after: 10 })?;
        Ok((room.state.subscribe(), slot))
    })?;
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

fn report(
    state: &AppState,
    path: String,
    report: PhoneReport,
    record: impl FnOnce(&mut Room, PhoneReport) -> Result<(), AppError>,
) -> Result<StatusCode, AppError> {
    let code = room_code(path)?;
    if !report.is_valid() {
        return Err(AppError::Validation(vec![bazar_api::FieldError::new(
            "phone", "invalid",
        )]));
    }
    let mut rooms = state.lectures.lock();
    let room = rooms.get_mut(&code).ok_or(AppError::NotFound)?;
    if room.joined.len() >= MAX_PHONES && !room.joined.contains(&report.phone) {
        return Err(AppError::TooManyRequests { retry_after: 60 });
    }
    record(room, report)?;
    room.publish();
    Ok(StatusCode::NO_CONTENT)
}

/// A phone joins the room (again, after a lost connection: counted once).
#[utoipa::path(post, path = "/api/lectures/{code}/join", request_body = PhoneReport,
    params(("code" = String, Path, description = "The room code")), responses(
    (status = 400, description = "Malformed path, query or body", body = bazar_api::ApiError),
    (status = 415, description = "The body must be application/json", body = bazar_api::ApiError),
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
    throttled(&state, client, || {
        report(&state, path, body, |room, r| {
            room.joined.insert(r.phone);
            Ok(())
        })
    })
}

/// A phone finished practising a step.
#[utoipa::path(post, path = "/api/lectures/{code}/done", request_body = PhoneReport,
    params(("code" = String, Path, description = "The room code")), responses(
    (status = 400, description = "Malformed path, query or body", body = bazar_api::ApiError),
    (status = 415, description = "The body must be application/json", body = bazar_api::ApiError),
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
    report(&state, path, body, |room, r| {
        if !is_step(r.lesson, r.step) {
            return Err(AppError::Validation(vec![bazar_api::FieldError::new(
                "step", "unknown",
            )]));
        }
        room.joined.insert(r.phone.clone());
        room.finished
            .entry((r.lesson, r.step))
            .or_default()
            .insert(r.phone);
        Ok(())
    })
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

    #[test]
    fn a_new_code_is_eight_digits_and_never_one_in_use() {
        let mut rooms = HashMap::new();
        for _ in 0..100 {
            let code = new_code(&rooms).unwrap();
            assert!(is_room_code(&code), "{code}");
            assert!(!rooms.contains_key(&code));
            rooms.insert(
                code,
                Room {
                    trainer: 1,
                    touched: Instant::now(),
                    streams: Arc::default(),
                    joined: BTreeSet::new(),
                    finished: HashMap::new(),
                    state: watch::channel(LectureState::default()).0,
                },
            );
        }
    }
}
