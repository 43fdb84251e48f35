//! The tutor's routes: narration trainers record for their hub's learners
//! (`/api/narration`), and the families' photos (`/api/seller/photos`).

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use bazar_api::seller::Photo;
use bazar_api::tutor::is_clip_name;
use serde::Deserialize;

use crate::AppState;
use crate::auth::{FamilySession, Trainer};
use crate::error::AppError;
use crate::extract::{PathOf, QueryOf};
use crate::photos::{self, PhotoError};

/// The longest recording accepted: a minute of speech is far less.
pub const MAX_NARRATION_BYTES: usize = 2 * 1024 * 1024;

/// Everything a hub's recordings may take together: the lesson table's
/// clips in three languages, at a minute of speech each, take far less.
pub const HUB_NARRATION_QUOTA: u64 = 48 * 1024 * 1024;

/// The audio container `bytes` is, as a MIME type: its header is read (not
/// just its first bytes), so a page with an audio signature in front is
/// refused.
fn audio_type(bytes: &[u8]) -> Option<&'static str> {
    if is_webm(bytes) {
        Some("audio/webm")
    } else if is_ogg_audio(bytes) {
        Some("audio/ogg")
    } else if is_mp4(bytes) {
        Some("audio/mp4")
    } else if is_mp3(bytes) {
        Some("audio/mpeg")
    } else if is_wav(bytes) {
        Some("audio/wav")
    } else {
        None
    }
}

/// An EBML header whose DocType is `webm` (what MediaRecorder writes in
/// Chromium and Firefox).
fn is_webm(bytes: &[u8]) -> bool {
    let Some(head) = bytes.strip_prefix(&[0x1A, 0x45, 0xDF, 0xA3]) else {
        return false;
    };
    let head = &head[..head.len().min(64)];
    // DocType is element 0x4282; its size is one byte with the marker bit.
    head.windows(7)
        .any(|w| w[..3] == [0x42, 0x82, 0x84] && &w[3..7] == b"webm")
}

/// An Ogg stream's first page (version 0, beginning of stream) whose first
/// packet opens Opus or Vorbis audio.
fn is_ogg_audio(bytes: &[u8]) -> bool {
    if bytes.len() < 28 || &bytes[..4] != b"OggS" || bytes[4] != 0 || bytes[5] & 0x02 == 0 {
        return false;
    }
    let packet = &bytes[27 + usize::from(bytes[26])..];
    packet.starts_with(b"OpusHead") || packet.starts_with(b"\x01vorbis")
}

/// An ISO base media file: an `ftyp` box of a sane size with an audio or
/// generic brand, followed by another box.
fn is_mp4(bytes: &[u8]) -> bool {
    if bytes.len() < 24 || &bytes[4..8] != b"ftyp" {
        return false;
    }
    let size = u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]) as usize;
    const BRANDS: [&[u8; 4]; 8] = [
        b"M4A ", b"mp42", b"mp41", b"isom", b"iso5", b"iso6", b"dash", b"iso2",
    ];
    let brand_ok = BRANDS.iter().any(|b| &bytes[8..12] == *b);
    let next = bytes.get(size + 4..size + 8);
    brand_ok
        && (16..=256).contains(&size)
        && size.is_multiple_of(4)
        && next.is_some_and(|kind| kind.iter().all(u8::is_ascii_alphanumeric))
}

/// MPEG audio: an optional ID3v2 tag (its size in syncsafe digits), then a
/// valid frame header, and the next frame's header where the first says.
fn is_mp3(bytes: &[u8]) -> bool {
    let mut at = 0;
    if bytes.starts_with(b"ID3") {
        let Some(tag) = bytes.get(6..10) else {
            return false;
        };
        if bytes[3] == 0xFF || tag.iter().any(|b| b & 0x80 != 0) {
            return false;
        }
        at = 10 + tag.iter().fold(0usize, |n, b| (n << 7) | usize::from(*b));
    }
    // Two frames in a row: one frame is 26 ms, no recording of a caption.
    mp3_frame_len(bytes.get(at..).unwrap_or_default())
        .is_some_and(|len| mp3_frame_len(bytes.get(at + len..).unwrap_or_default()).is_some())
}

/// The length of the MPEG-1/2/2.5 Layer III frame `bytes` starts with.
fn mp3_frame_len(bytes: &[u8]) -> Option<usize> {
    let h = bytes.get(..4)?;
    if h[0] != 0xFF || h[1] & 0xE0 != 0xE0 {
        return None;
    }
    let version = (h[1] >> 3) & 0b11; // 3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5
    let layer = (h[1] >> 1) & 0b11; // 1: Layer III
    let bitrate = usize::from(h[2] >> 4);
    let rate = usize::from((h[2] >> 2) & 0b11);
    let padding = usize::from((h[2] >> 1) & 1);
    if version == 1 || layer != 1 || bitrate == 0 || bitrate == 15 || rate == 3 {
        return None;
    }
    const MPEG1_KBPS: [usize; 15] = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
    const MPEG2_KBPS: [usize; 15] = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
    let (kbps, hz, per_frame) = match version {
        3 => (MPEG1_KBPS[bitrate], [44_100, 48_000, 32_000][rate], 144),
        2 => (MPEG2_KBPS[bitrate], [22_050, 24_000, 16_000][rate], 72),
        _ => (MPEG2_KBPS[bitrate], [11_025, 12_000, 8_000][rate], 72),
    };
    Some(per_frame * kbps * 1000 / hz + padding)
}

/// A RIFF WAVE file whose first chunk is a PCM or float `fmt `.
fn is_wav(bytes: &[u8]) -> bool {
    bytes.len() >= 22
        && &bytes[..4] == b"RIFF"
        && &bytes[8..12] == b"WAVE"
        && &bytes[12..16] == b"fmt "
        && matches!(u16::from_le_bytes([bytes[20], bytes[21]]), 1 | 3 | 0xFFFE)
}

fn clip_and_lang((clip, lang): (String, String)) -> Result<(String, String), AppError> {
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
    crate::responses::Trainers, crate::responses::Malformed,
        (status = 204, description = "Saved"),
        (status = 404, description = "Not a clip of the lesson table, or an unknown language", body = bazar_api::ApiError),
        (status = 413, description = "Longer than 2 MB, or the hub's recordings would pass their quota", body = bazar_api::ApiError),
        (status = 415, description = "Not a recording", body = bazar_api::ApiError),
    ))]
pub async fn save_narration(
    State(state): State<AppState>,
    Trainer(account): Trainer,
    PathOf(path): PathOf<(String, String)>,
    body: Bytes,
) -> Result<StatusCode, AppError> {
    let (clip, lang) = clip_and_lang(path)?;
    if body.len() > MAX_NARRATION_BYTES {
        return Err(AppError::PayloadTooLarge);
    }
    let mime = audio_type(&body).ok_or_else(|| {
        AppError::WrongMediaType("the recording is not WebM, Ogg, MP4, MP3 or WAV audio".into())
    })?;
    let others = state
        .store
        .narration_bytes_besides(account.hub_id, &clip, &lang)
        .await?;
    if others + body.len() as u64 > HUB_NARRATION_QUOTA {
        return Err(AppError::TooLarge(
            "the hub's recordings would take more than 48 MB".into(),
        ));
    }
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
    crate::responses::Malformed,
        (status = 200, description = "The recording", content_type = "audio/webm"),
        (status = 404, description = "Nobody recorded it", body = bazar_api::ApiError),
    ))]
pub async fn narration(
    State(state): State<AppState>,
    PathOf(path): PathOf<(String, String)>,
    QueryOf(query): QueryOf<HubQuery>,
) -> Result<Response, AppError> {
    let (clip, lang) = clip_and_lang(path)?;
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
    crate::responses::Malformed,
    (status = 200, description = "Recorded clips", body = [String]),
))]
pub async fn recorded(
    State(state): State<AppState>,
    QueryOf(query): QueryOf<HubQuery>,
) -> Result<Json<Vec<String>>, AppError> {
    check_hub(&query)?;
    Ok(Json(state.store.recorded_clips(query.hub.as_deref()).await?))
}

/// A family uploads a photo of what it sells: checked to be a real image,
/// re-encoded (no EXIF, no GPS), stored under a name the server makes and
/// recorded as the family's. Bounded on every side: photos per family an
/// hour and a month, uploads read at once, and one photo decoded at a time
/// within [`photos::MAX_DECODED_BYTES`].
#[utoipa::path(post, path = "/api/seller/photos",
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "A JPEG, PNG or WebP photo, at most 12 MB"),
    responses(
    crate::responses::Families, crate::responses::Malformed,
        (status = 201, description = "Stored", body = Photo),
        (status = 413, description = "Too large, or too many pixels", body = bazar_api::ApiError),
        (status = 415, description = "Not an image", body = bazar_api::ApiError),
        (status = 429, description = "Too many photos for now; see Retry-After", body = bazar_api::ApiError),
    ))]
pub async fn upload_photo(
    State(state): State<AppState>,
    family: FamilySession,
    body: axum::body::Body,
) -> Result<Response, AppError> {
    store_photo(&state, family.family_id, body).await
}

/// A photo for one of the hub's families, taken by an operator listing for
/// a family without a phone: checked and stored as the family's own.
#[utoipa::path(post, path = "/api/center/families/{id}/photos",
    params(("id" = i64, Path, description = "The family")),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "A JPEG, PNG or WebP photo, at most 12 MB"),
    responses(
    crate::responses::Operators, crate::responses::Malformed,
        (status = 201, description = "Stored", body = Photo),
        (status = 404, description = "No such family in this hub", body = bazar_api::ApiError),
        (status = 413, description = "Too large, or too many pixels", body = bazar_api::ApiError),
        (status = 415, description = "Not an image", body = bazar_api::ApiError),
        (status = 429, description = "Too many photos for now; see Retry-After", body = bazar_api::ApiError),
    ))]
pub async fn upload_family_photo(
    State(state): State<AppState>,
    crate::auth::Operator(op): crate::auth::Operator,
    crate::extract::PathOf(id): crate::extract::PathOf<i64>,
    body: axum::body::Body,
) -> Result<Response, AppError> {
    let family = state.store.center_family(op.hub_id, id).await?;
    if family.is_none_or(|f| f.retired) {
        return Err(AppError::NotFound);
    }
    store_photo(&state, id, body).await
}

/// Checks, re-encodes and stores a photo as `family_id`'s, within the
/// family's quota.
async fn store_photo(state: &AppState, family_id: i64, body: axum::body::Body) -> Result<Response, AppError> {
    let too_many = |retry_after| AppError::TooManyRequests { retry_after };
    state.photo_uploads.check(family_id).map_err(too_many)?;
    let (count, bytes) = state.store.photos_stored_since(family_id, 30).await?;
    if count >= photos::QUOTA_PHOTOS || bytes >= photos::QUOTA_BYTES {
        return Err(too_many(24 * 3600));
    }
    let reading = state
        .photos_reading
        .clone()
        .try_acquire_owned()
        .map_err(|_| too_many(5))?;
    let body = axum::body::to_bytes(body, photos::MAX_BYTES).await.map_err(|e| {
        if std::error::Error::source(&e).is_some_and(|s| s.is::<http_body_util::LengthLimitError>()) {
            AppError::TooLarge(photos::PhotoError::TooLarge.to_string())
        } else {
            AppError::BadRequest("the photo did not arrive whole".into())
        }
    })?;
    // One photo decoded at a time: those waiting hold their bytes, no pixels.
    let decoding = tokio::time::timeout(
        std::time::Duration::from_secs(15),
        state.photos_decoding.clone().acquire_owned(),
    )
    .await
    .map_err(|_| too_many(5))?
    .map_err(|_| too_many(5))?;
    let jpeg = tokio::task::spawn_blocking(move || photos::reencode(&body))
        .await
        .map_err(|_| AppError::BadRequest("the photo could not be read".into()))?
        .map_err(|e| match e {
            PhotoError::TooLarge | PhotoError::TooManyPixels => AppError::TooLarge(e.to_string()),
            PhotoError::NotAnImage => AppError::WrongMediaType(e.to_string()),
        })?;
    drop(decoding);
    drop(reading);
    let stored_bytes = jpeg.len();
    let name = photos::store(&state.uploads, jpeg).await.map_err(|e| {
        tracing::error!(error = %e, "could not store a photo");
        AppError::BadRequest("the photo could not be stored".into())
    })?;
    state.store.record_photo(family_id, &name, stored_bytes).await?;
    let url = format!("/uploads/{name}");
    Ok((StatusCode::CREATED, Json(Photo { name, url })).into_response())
}

/// A stored photo, by the exact name the server gave it, as the JPEG it is
/// (whatever the path's ending asks for).
pub async fn stored_photo(State(state): State<AppState>, Path(name): Path<String>) -> Response {
    if !photos::is_photo_name(&name) {
        return AppError::NotFound.into_response();
    }
    match tokio::fs::read(state.uploads.join(&name)).await {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, "image/jpeg"),
                (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
            ],
            bytes,
        )
            .into_response(),
        Err(_) => AppError::NotFound.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::audio_type;

    /// Two silent MPEG-1 Layer III frames at 128 kbit/s, 44.1 kHz (417 bytes each).
    fn mp3_frames() -> Vec<u8> {
        let mut frame = vec![0u8; 417];
        frame[..4].copy_from_slice(&[0xFF, 0xFB, 0x90, 0x00]);
        [frame.clone(), frame].concat()
    }

    #[test]
    fn recognises_recordings_by_their_headers() {
        let webm = [
            &[0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42, 0x86, 0x81, 0x01][..],
            &[0x42, 0x82, 0x84],
            b"webm",
            &[0x42, 0x87, 0x81, 0x04],
        ]
        .concat();
        assert_eq!(audio_type(&webm), Some("audio/webm"));
        let mut ogg = b"OggS\0\x02".to_vec();
        ogg.extend_from_slice(&[0; 20]);
        ogg.push(1); // one segment
        ogg.push(19);
        ogg.extend_from_slice(b"OpusHead\x01\x01");
        assert_eq!(audio_type(&ogg), Some("audio/ogg"));
        let mp4 = [
            &[0, 0, 0, 0x18][..],
            b"ftypM4A \0\0\0\0M4A isom",
            &[0, 0, 0, 8],
            b"free",
        ]
        .concat();
        assert_eq!(audio_type(&mp4), Some("audio/mp4"));
        assert_eq!(audio_type(&mp3_frames()), Some("audio/mpeg"));
        let tagged = [&b"ID3\x04\0\0\0\0\0\x02"[..], &[0, 0], &mp3_frames()].concat();
        assert_eq!(audio_type(&tagged), Some("audio/mpeg"));
        let wav = [&b"RIFF\0\0\0\0WAVEfmt "[..], &[16, 0, 0, 0, 1, 0]].concat();
        assert_eq!(audio_type(&wav), Some("audio/wav"));
    }

    #[test]
    fn a_page_behind_an_audio_signature_is_refused() {
        assert_eq!(audio_type(b"<html>"), None);
        assert_eq!(audio_type(b"ID3<html><script>alert(1)</script></html>"), None);
        assert_eq!(audio_type(b"\xFF\xFB<html><script>alert(1)</script>"), None);
        assert_eq!(audio_type(b"OggS\0\x02<html>"), None);
        assert_eq!(audio_type(b"\x1A\x45\xDF\xA3<html><body>"), None);
        assert_eq!(audio_type(b"\0\0\0\x20ftyp<html><body>hello</body>"), None);
        assert_eq!(audio_type(b"RIFF\0\0\0\0WAVE<html>"), None);
        assert_eq!(
            audio_type(&mp3_frames()[..420]),
            None,
            "one frame is not a recording"
        );
    }
}
