//! The JSON routes under /api, and their OpenAPI description.

use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use bazar_api::{
    ApiError, Capacity, ErrorBody, ErrorCode, Family, FamilySummary, FieldError, Health, Localized, Product,
    ProductDetail, ProductKind,
};
use serde::Deserialize;
use utoipa::OpenApi;

use crate::AppState;
use crate::error::AppError;
use crate::store::ProductFilter;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Bazar API",
        description = "The shop of a township e-commerce service center"
    ),
    paths(health, list_products, get_product, openapi_json),
    components(schemas(
        Health,
        Product,
        ProductDetail,
        ProductKind,
        Capacity,
        Family,
        FamilySummary,
        Localized,
        bazar_api::Fen,
        ApiError,
        ErrorBody,
        ErrorCode,
        FieldError
    ))
)]
pub struct ApiDoc;

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/health", get(health))
        .route("/products", get(list_products))
        .route("/products/{id}", get(get_product))
        .route("/openapi.json", get(openapi_json))
        .fallback(|| async { AppError::NotFound })
        .with_state(state)
}

/// Whether the server and its database are usable.
#[utoipa::path(get, path = "/api/health", responses(
    (status = 200, description = "Server and database are usable", body = Health),
    (status = 503, description = "The database does not answer", body = Health),
))]
async fn health(State(state): State<AppState>) -> impl IntoResponse {
    let ok = state.store.ping().await;
    let status = if ok {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let body = Health {
        status: if ok { "ok" } else { "unavailable" }.to_string(),
        version: env!("CARGO_PKG_VERSION").to_string(),
    };
    (status, Json(body))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProductQuery {
    /// Only this kind: nang, eggs, honey, quilt, dried_fruit, other.
    kind: Option<String>,
    /// Only this family's products.
    family: Option<i64>,
    /// Text to find in product or family names, in any language.
    q: Option<String>,
}

/// Live products, optionally by kind, family or search text.
#[utoipa::path(get, path = "/api/products", params(ProductQuery), responses(
    (status = 200, description = "Live products", body = [Product]),
    (status = 400, description = "Unknown kind", body = ApiError),
))]
async fn list_products(
    State(state): State<AppState>,
    query: Result<Query<ProductQuery>, QueryRejection>,
) -> Result<Json<Vec<Product>>, AppError> {
    let Query(query) = query.map_err(|e| AppError::BadRequest(e.body_text()))?;
    let kind = match query.kind.as_deref().filter(|k| !k.is_empty()) {
        None => None,
        Some(k) => {
            Some(ProductKind::parse(k).ok_or_else(|| AppError::BadRequest(format!("unknown kind {k:?}")))?)
        }
    };
    let filter = ProductFilter {
        kind,
        family: query.family,
        text: query.q.map(|q| q.trim().to_string()).filter(|q| !q.is_empty()),
    };
    Ok(Json(state.store.live_products(&filter).await?))
}

/// One live product with its family.
#[utoipa::path(get, path = "/api/products/{id}", params(("id" = i64, Path, description = "Product id")), responses(
    (status = 200, description = "The product and its family", body = ProductDetail),
    (status = 404, description = "No live product with this id", body = ApiError),
))]
async fn get_product(
    State(state): State<AppState>,
    id: Result<Path<i64>, PathRejection>,
) -> Result<Json<ProductDetail>, AppError> {
    let Path(id) = id.map_err(|e| AppError::BadRequest(e.body_text()))?;
    let product = state.store.live_product(id).await?.ok_or(AppError::NotFound)?;
    let family = state
        .store
        .family(product.family.id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(ProductDetail { product, family }))
}

/// This document.
#[utoipa::path(get, path = "/api/openapi.json", responses(
    (status = 200, description = "The OpenAPI document of the API", content_type = "application/json"),
))]
async fn openapi_json() -> impl IntoResponse {
    Json(ApiDoc::openapi())
}
