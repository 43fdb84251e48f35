//! The tutor's routes: narration trainers record for their hub's learners
//! (`/api/narration`), and the families' photos (`/api/seller/photos`).

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use bazar_api::account::Role;
use bazar_api::seller::Photo;
use bazar_api::tutor::is_clip_name;
use serde::Deserialize;

use crate::AppState;
use crate::auth::{FamilySession, Session};
use crate::error::AppError;
use crate::photos::{self, PhotoError};

/// The longest recording accepted: a minute of speech is far less.
pub const MAX_NARRATION_BYTES: usize = 2 * 1024 * 1024;

/// The audio container `bytes` starts like, as a MIME type.
fn audio_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0x1A, 0x45, 0xDF, 0xA3]) {
        Some("audio/webm")
    } else if bytes.starts_with(b"OggS") {
        Some("audio/ogg")
    } else if bytes.len() > 8 && &bytes[4..8] == b"ftyp" {
        Some("audio/mp4")
    } else if bytes.starts_with(b"ID3")
        || bytes.starts_with(&[0xFF, 0xFB])
        || bytes.starts_with(&[0xFF, 0xF3])
    {
        Some("audio/mpeg")
    } else if bytes.starts_with(b"RIFF") && bytes.len() > 12 && &bytes[8..12] == b"WAVE" {
        Some("audio/wav")
    } else {
        None
    }
}

fn clip_and_lang(path: Result<Path<(String, String)>, PathRejection>) -> Result<(String, String), AppError> {
    let Path((clip, lang)) = path?;
    if !is_clip_name(&clip) || !matches!(lang.as_str(), "ug" | "zh" | "en") {
        return Err(AppError::NotFound);
    }
    Ok((clip, lang))
}

/// A trainer saves their recording of a step's narration for their hub.
#[utoipa::path(post, path = "/api/narration/{clip}/{lang}",
    params(("clip" = String, Path, description = "The step's clip name, e.g. l1-s2"), ("lang" = String, Path, description = "ug, zh or en")),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The recording (webm, ogg, mp4, mp3 or wav)"),
    responses(
    (status = 400, description = "Malformed path, query or body", body = bazar_api::ApiError),
        (status = 204, description = "Saved"),
        (status = 401, description = "Not signed in", body = bazar_api::ApiError),
        (status = 403, description = "Not a trainer", body = bazar_api::ApiError),
        (status = 404, description = "Unknown clip or language", body = bazar_api::ApiError),
        (status = 413, description = "Longer than 2 MB", body = bazar_api::ApiError),
        (status = 415, description = "Not a recording", body = bazar_api::ApiError),
    ))]
pub async fn save_narration(
    State(state): State<AppState>,
    Session(account): Session,
    path: Result<Path<(String, String)>, PathRejection>,
    body: Bytes,
) -> Result<StatusCode, AppError> {
    if account.role != Role::Trainer {
        return Err(AppError::Forbidden);
    }
    let (clip, lang) = clip_and_lang(path)?;
    if body.len() > MAX_NARRATION_BYTES {
        return Err(AppError::PayloadTooLarge);
    }
    let mime = audio_type(&body).ok_or(AppError::UnsupportedMediaType)?;
    state
        .store
        .save_narration(account.hub_id, &clip, &lang, mime, &body, account.id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HubQuery {
    /// The hub's slug (default: the first hub).
    #[param(max_length = 64)]
    hub: Option<String>,
}

fn check_hub(query: &HubQuery) -> Result<(), AppError> {
    match &query.hub {
        Some(hub) if hub.len() > 64 => Err(AppError::BadRequest("hub is at most 64 characters".into())),
        _ => Ok(()),
    }
}

/// A hub's recording of a step, to play to its learners.
#[utoipa::path(get, path = "/api/narration/{clip}/{lang}", params(
    ("clip" = String, Path, description = "The step's clip name"), ("lang" = String, Path, description = "ug, zh or en"), HubQuery),
    responses(
    (status = 400, description = "Malformed path, query or body", body = bazar_api::ApiError),
        (status = 200, description = "The recording", content_type = "audio/webm"),
        (status = 404, description = "Nobody recorded it", body = bazar_api::ApiError),
    ))]
pub async fn narration(
    State(state): State<AppState>,
    path: Result<Path<(String, String)>, PathRejection>,
    query: Result<Query<HubQuery>, QueryRejection>,
) -> Result<Response, AppError> {
    let (clip, lang) = clip_and_lang(path)?;
    let Query(query) = query?;
    check_hub(&query)?;
    let (mime, audio) = state
        .store
        .narration(query.hub.as_deref(), &clip, &lang)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((
        [
            (header::CONTENT_TYPE, mime),
            (header::CACHE_CONTROL, "no-cache".to_string()),
        ],
        audio,
    )
        .into_response())
}

/// Which steps a hub recorded, as `clip/lang`.
#[utoipa::path(get, path = "/api/narration", params(HubQuery), responses(
    (status = 400, description = "Malformed path, query or body", body = bazar_api::ApiError),
    (status = 200, description = "Recorded clips", body = [String]),
))]
pub async fn recorded(
    State(state): State<AppState>,
    query: Result<Query<HubQuery>, QueryRejection>,
) -> Result<Json<Vec<String>>, AppError> {
    let Query(query) = query?;
    check_hub(&query)?;
    Ok(Json(state.store.recorded_clips(query.hub.as_deref()).await?))
}

/// A family uploads a photo of what it sells: checked to be a real image,
/// re-encoded (no EXIF, no GPS), stored under a name the server makes.
#[utoipa::path(post, path = "/api/seller/photos",
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "A JPEG, PNG or WebP photo, at most 12 MB"),
    responses(
    (status = 400, description = "Malformed path, query or body", body = bazar_api::ApiError),
        (status = 201, description = "Stored", body = Photo),
        (status = 401, description = "Not signed in", body = bazar_api::ApiError),
        (status = 403, description = "Not a family", body = bazar_api::ApiError),
        (status = 413, description = "Too large, or too many pixels", body = bazar_api::ApiError),
        (status = 415, description = "Not an image", body = bazar_api::ApiError),
    ))]
pub async fn upload_photo(
    State(state): State<AppState>,
    _family: FamilySession,
    body: Bytes,
) -> Result<Response, AppError> {
    let jpeg = tokio::task::spawn_blocking(move || photos::reencode(&body))
        .await
        .map_err(|_| AppError::BadRequest("the photo could not be read".into()))?
        .map_err(|e| match e {
            PhotoError::TooLarge | PhotoError::TooManyPixels => AppError::PayloadTooLarge,
            PhotoError::NotAnImage => AppError::UnsupportedMediaType,
        })?;
    let name = photos::store(&state.uploads, jpeg).await.map_err(|e| {
        tracing::error!(error = %e, "could not store a photo");
        AppError::BadRequest("the photo could not be stored".into())
    })?;
    let url = format!("/uploads/{name}");
    Ok((StatusCode::CREATED, Json(Photo { name, url })).into_response())
}

#[cfg(test)]
mod tests {
    use super::audio_type;

    #[test]
    fn recognises_recordings() {
        assert_eq!(audio_type(&[0x1A, 0x45, 0xDF, 0xA3, 1]), Some("audio/webm"));
        assert_eq!(audio_type(b"OggS\0\x02"), Some("audio/ogg"));
        assert_eq!(audio_type(b"\0\0\0\x20ftypM4A "), Some("audio/mp4"));
        assert_eq!(audio_type(b"<html>"), None);
    }
}
