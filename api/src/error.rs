//! The error body every route returns for a 4xx or 5xx: a stable code the app
//! translates, a plain English message for logs and other clients, and the
//! fields that were wrong.

use serde::{Deserialize, Serialize};

/// Stable error codes. The app shows each in the user's language; the
/// `message` is only for people reading logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "lite", derive(serde_lite::Deserialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ErrorCode {
    #[serde(rename = "not_found")]
    NotFound,
    #[serde(rename = "bad_request")]
    BadRequest,
    #[serde(rename = "validation")]
    Validation,
    #[serde(rename = "payload_too_large")]
    PayloadTooLarge,
    #[serde(rename = "unsupported_media_type")]
    UnsupportedMediaType,
    /// Same Idempotency-Key, other body.
    #[serde(rename = "idempotency_mismatch")]
    IdempotencyMismatch,
    /// Some lines are sold out (or no longer sold); `fields` names them.
    #[serde(rename = "sold_out")]
    SoldOut,
    #[serde(rename = "conflict")]
    Conflict,
    /// Not signed in, or the session ended.
    #[serde(rename = "unauthorized")]
    Unauthorized,
    /// Signed in, but this is not the account's to see or change (or a cross-site request).
    #[serde(rename = "forbidden")]
    Forbidden,
    #[serde(rename = "too_many_requests")]
    TooManyRequests,
    #[serde(rename = "internal")]
    Internal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "lite", derive(serde_lite::Deserialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    /// The field's name in the request body, e.g. `customer.phone`.
    pub field: String,
    /// A stable code for what is wrong with it, e.g. `required`, `phone_format`.
    pub code: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            code: code.into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "lite", derive(serde_lite::Deserialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub code: ErrorCode,
    pub message: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
    /// On `sold_out`: what each short line asked for and what is left.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sold_out: Vec<crate::SoldOutLine>,
}

/// `{"error": {...}}`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "lite", derive(serde_lite::Deserialize))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiError {
    pub error: ErrorBody,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError {
            error: ErrorBody {
                code,
                message: message.into(),
                fields: Vec::new(),
                sold_out: Vec::new(),
            },
        }
    }
}
