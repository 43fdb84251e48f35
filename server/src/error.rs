//! One error type for every handler, turned into the JSON error body in one place.

use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bazar_api::{ApiError, ErrorCode, FieldError, SoldOutLine};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("invalid fields")]
    Validation(Vec<FieldError>),
    #[error("the body must be JSON (Content-Type: application/json)")]
    UnsupportedMediaType,
    /// A body of the wrong kind, and what was expected.
    #[error("{0}")]
    WrongMediaType(String),
    #[error("the body is too large")]
    PayloadTooLarge,
    /// Too large, and why.
    #[error("{0}")]
    TooLarge(String),
    #[error("this Idempotency-Key was used for another order")]
    KeyReused,
    #[error("some lines are sold out")]
    SoldOut(Vec<FieldError>, Vec<SoldOutLine>),
    #[error("sign in first")]
    Unauthorized,
    #[error("not allowed for this account")]
    Forbidden,
    #[error("cross-site requests are refused")]
    CrossSite,
    #[error("{0}")]
    Conflict(String),
    #[error("too many requests")]
    TooManyRequests { retry_after: u64 },
    #[error("database: {0}")]
    Database(#[from] crate::store::Error),
    #[error("internal: {0}")]
    Internal(#[from] std::io::Error),
}

impl From<JsonRejection> for AppError {
    fn from(rejection: JsonRejection) -> AppError {
        match rejection {
            JsonRejection::MissingJsonContentType(_) => AppError::UnsupportedMediaType,
            JsonRejection::JsonDataError(e) => AppError::Validation(vec![FieldError::new(
                "body",
                format!("invalid: {}", e.body_text()),
            )]),
            JsonRejection::BytesRejection(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                AppError::PayloadTooLarge
            }
            other => AppError::BadRequest(other.body_text()),
        }
    }
}

impl From<PathRejection> for AppError {
    fn from(rejection: PathRejection) -> AppError {
        AppError::BadRequest(rejection.body_text())
    }
}

impl From<QueryRejection> for AppError {
    fn from(rejection: QueryRejection) -> AppError {
        AppError::BadRequest(rejection.body_text())
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let message = self.to_string();
        let (status, code) = match &self {
            AppError::NotFound => (StatusCode::NOT_FOUND, ErrorCode::NotFound),
            AppError::BadRequest(_) => (StatusCode::BAD_REQUEST, ErrorCode::BadRequest),
            AppError::Validation(_) => (StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::Validation),
            AppError::UnsupportedMediaType => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                ErrorCode::UnsupportedMediaType,
            ),
            AppError::WrongMediaType(_) => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                ErrorCode::UnsupportedMediaType,
            ),
            AppError::PayloadTooLarge | AppError::TooLarge(_) => {
                (StatusCode::PAYLOAD_TOO_LARGE, ErrorCode::PayloadTooLarge)
            }
            AppError::KeyReused => (StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::IdempotencyMismatch),
            AppError::SoldOut(..) => (StatusCode::CONFLICT, ErrorCode::SoldOut),
            AppError::Unauthorized => (StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized),
            AppError::Forbidden | AppError::CrossSite => (StatusCode::FORBIDDEN, ErrorCode::Forbidden),
            AppError::Conflict(_) => (StatusCode::CONFLICT, ErrorCode::Conflict),
            AppError::TooManyRequests { .. } => (StatusCode::TOO_MANY_REQUESTS, ErrorCode::TooManyRequests),
            AppError::Database(e) => {
                tracing::error!(error = %e, "database error");
                (StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::Internal)
            }
            AppError::Internal(e) => {
                tracing::error!(error = %e, "internal error");
                (StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::Internal)
            }
        };
        let mut body = ApiError::new(code, message);
        let retry_after = match &self {
            AppError::TooManyRequests { retry_after } => Some(*retry_after),
            _ => None,
        };
        match self {
            AppError::Database(_) | AppError::Internal(_) => {
                body.error.message = "internal error".to_string()
            }
            AppError::BadRequest(detail) => body.error.message = detail,
            AppError::Validation(fields) => body.error.fields = fields,
            AppError::SoldOut(fields, lines) => {
                body.error.fields = fields;
                body.error.sold_out = lines;
            }
            _ => {}
        }
        let mut response = (status, Json(body)).into_response();
        if let Some(value) = retry_after.and_then(|s| HeaderValue::from_str(&s.to_string()).ok()) {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        response
    }
}
