//! Extractors whose rejection is an [`AppError`], so that every handler
//! takes its body, path and query the same way and a malformed one gets the
//! API's JSON error (400, 413, 415 or 422) without a line in the handler.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::error::AppError;

/// A JSON body (`Content-Type: application/json`).
pub struct JsonBody<T>(pub T);

impl<T, S> FromRequest<S> for JsonBody<T>
where
    axum::Json<T>: FromRequest<S, Rejection = JsonRejection>,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, AppError> {
        let axum::Json(value) = axum::Json::<T>::from_request(request, state).await?;
        Ok(JsonBody(value))
    }
}

/// The path's parameters.
pub struct PathOf<T>(pub T);

impl<T, S> FromRequestParts<S> for PathOf<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let axum::extract::Path(value) =
            <axum::extract::Path<T> as FromRequestParts<S>>::from_request_parts(parts, state)
                .await
                .map_err(|e: PathRejection| AppError::from(e))?;
        Ok(PathOf(value))
    }
}

/// The query string's parameters.
pub struct QueryOf<T>(pub T);

impl<T, S> FromRequestParts<S> for QueryOf<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let axum::extract::Query(value) =
            <axum::extract::Query<T> as FromRequestParts<S>>::from_request_parts(parts, state)
                .await
                .map_err(|e: QueryRejection| AppError::from(e))?;
        Ok(QueryOf(value))
    }
}
