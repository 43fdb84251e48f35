//! The error body every route returns for a 4xx or 5xx: a stable code the app
//! translates, a plain English message for logs and other clients, and the
//! fields that were wrong.

use serde::{Deserialize, Serialize};

/// Stable error codes. The app shows each in the user's language; the
/// `message` is only for people reading logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ErrorCode {
    NotFound,
    BadRequest,
    Validation,
    PayloadTooLarge,
    UnsupportedMediaType,
    /// Same Idempotency-Key, other body.
    IdempotencyMismatch,
    /// Some lines are sold out (or no longer sold); `fields` names them.
    SoldOut,
    Conflict,
    /// Not signed in, or the session ended.
    Unauthorized,
    /// Signed in, but this is not the account's to see or change (or a cross-site request).
    Forbidden,
    TooManyRequests,
    Internal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
