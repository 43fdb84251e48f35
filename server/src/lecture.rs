//! Live lectures: a trainer's room, held in memory (a lecture lasts an hour
//! and nothing in it must outlive a restart), whose current step every phone
//! that joined follows over server-sent events.

use std::collections::{BTreeSet, HashMap};
use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use bazar_api::account::Role;
use bazar_api::tutor::{Lecture, LectureState, LectureStep, PhoneReport, is_room_code};
use futures_util::StreamExt;
use tokio::sync::watch;
use tokio_stream::wrappers::WatchStream;

use crate::AppState;
use crate::auth::{Session, public_origin};
use crate::error::AppError;

/// A room closes this long after its trainer last moved it.
const ROOM_LIFETIME: Duration = Duration::from_secs(6 * 3600);

struct Room {
    trainer: i64,
    touched: Instant,
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

fn room_code(path: Result<Path<String>, PathRejection>) -> Result<String, AppError> {
    let Path(code) = path?;
    is_room_code(&code).then_some(code).ok_or(AppError::NotFound)
}

fn lecture(state: LectureState, headers: &HeaderMap) -> Lecture {
    let join_url = format!("{}/seller/join#{}", public_origin(headers), state.code);
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
    (status = 422, description = "Malformed body", body = bazar_api::ApiError),
))]
pub async fn open(
    State(state): State<AppState>,
    headers: HeaderMap,
    Session(account): Session,
    body: Result<Json<LectureStep>, JsonRejection>,
) -> Result<Response, AppError> {
    if account.role != Role::Trainer {
        return Err(AppError::Forbidden);
    }
    let Json(start) = body?;
    let mut rooms = state.lectures.lock();
    rooms.retain(|_, r| r.touched.elapsed() < ROOM_LIFETIME);
    let code = loop {
        let mut bytes = [0u8; 2];
        getrandom::getrandom(&mut bytes).expect("the OS random source works");
        let code = format!("{:04}", u16::from_le_bytes(bytes) % 10_000);
        if !rooms.contains_key(&code) {
            break code;
        }
    };
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
            joined: BTreeSet::new(),
            finished: HashMap::new(),
            state: sender,
        },
    );
    Ok((StatusCode::CREATED, Json(lecture(initial, &headers))).into_response())
}

/// Where a lecture is now.
#[utoipa::path(get, path = "/api/lectures/{code}", params(("code" = String, Path, description = "The room code")), responses(
    (status = 400, description = "Malformed path, query or body", body = bazar_api::ApiError),
    (status = 200, description = "The lecture", body = Lecture),
    (status = 404, description = "No such room", body = bazar_api::ApiError),
))]
pub async fn current(
    State(state): State<AppState>,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
) -> Result<Json<Lecture>, AppError> {
    let code = room_code(path)?;
    let rooms = state.lectures.lock();
    let room = rooms.get(&code).ok_or(AppError::NotFound)?;
    Ok(Json(lecture(room.state.borrow().clone(), &headers)))
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
    path: Result<Path<String>, PathRejection>,
    body: Result<Json<LectureStep>, JsonRejection>,
) -> Result<Json<LectureState>, AppError> {
    let code = room_code(path)?;
    let Json(to) = body?;
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
))]
pub async fn events(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, AppError> {
    let code = room_code(path)?;
    let receiver = {
        let rooms = state.lectures.lock();
        rooms.get(&code).ok_or(AppError::NotFound)?.state.subscribe()
    };
    let mut closing = state.closing.subscribe();
    let closed = async move {
        let _ = closing.wait_for(|closing| *closing).await;
    };
    let stream = WatchStream::new(receiver)
        .map(|s| {
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
    path: Result<Path<String>, PathRejection>,
    body: Result<Json<PhoneReport>, JsonRejection>,
    record: impl FnOnce(&mut Room, PhoneReport),
) -> Result<StatusCode, AppError> {
    let code = room_code(path)?;
    let Json(report) = body?;
    if !report.is_valid() {
        return Err(AppError::Validation(vec![bazar_api::FieldError::new(
            "phone", "invalid",
        )]));
    }
    let mut rooms = state.lectures.lock();
    let room = rooms.get_mut(&code).ok_or(AppError::NotFound)?;
    if room.joined.len() >= 500 && !room.joined.contains(&report.phone) {
        return Err(AppError::TooManyRequests { retry_after: 60 });
    }
    record(room, report);
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
    (status = 429, description = "The room is full", body = bazar_api::ApiError),
))]
pub async fn join(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    body: Result<Json<PhoneReport>, JsonRejection>,
) -> Result<StatusCode, AppError> {
    report(&state, path, body, |room, r| {
        room.joined.insert(r.phone);
    })
}

/// A phone finished practising a step.
#[utoipa::path(post, path = "/api/lectures/{code}/done", request_body = PhoneReport,
    params(("code" = String, Path, description = "The room code")), responses(
    (status = 400, description = "Malformed path, query or body", body = bazar_api::ApiError),
    (status = 415, description = "The body must be application/json", body = bazar_api::ApiError),
    (status = 204, description = "Counted"),
    (status = 404, description = "No such room", body = bazar_api::ApiError),
    (status = 422, description = "Malformed phone id", body = bazar_api::ApiError),
    (status = 429, description = "The room is full", body = bazar_api::ApiError),
))]
pub async fn done(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    body: Result<Json<PhoneReport>, JsonRejection>,
) -> Result<StatusCode, AppError> {
    report(&state, path, body, |room, r| {
        room.joined.insert(r.phone.clone());
        room.finished
            .entry((r.lesson, r.step))
            .or_default()
            .insert(r.phone);
    })
}
