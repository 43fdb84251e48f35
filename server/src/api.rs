//! The JSON routes under /api, and their OpenAPI description.

use axum::extract::{Query, State};

use crate::client::Client;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use bazar_api::{
    ApiError, Capacity, Customer, ErrorBody, ErrorCode, Family, FamilyPage, FamilySummary, FieldError,
    Health, LineRequest, Localized, OrderRequest, OrderStatus, PaymentInstructions, PaymentMethod,
    PlacedOrder, Product, ProductDetail, ProductKind, SoldOutLine, Trace, Tracking, TrackingEvent,
    TrackingLine, Zone,
};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use unicode_normalization::UnicodeNormalization;
use utoipa::OpenApi;

use crate::AppState;
use crate::error::AppError;
use crate::extract::{JsonBody, PathOf};
use crate::store::{Placement, ProductFilter, current_week};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Bazar API",
        description = "The shop of a township e-commerce service center"
    ),
    paths(
        health,
        list_products,
        get_product,
        get_family,
        list_zones,
        place_order,
        track_order,
        trace,
        openapi_json,
        crate::auth::sign_in,
        crate::auth::key_card_sign_in,
        crate::auth::who,
        crate::auth::sign_out,
        crate::auth::sign_out_everywhere,
        crate::center::order_queue,
        crate::center::order_detail,
        crate::center::change_status,
        crate::center::pick_list,
        crate::center::collect,
        crate::center::label,
        crate::center::listings,
        crate::center::decide_listing,
        crate::center::families,
        crate::center::issue_key_card,
        crate::center::revoke_key_card,
        crate::center::earnings,
        crate::center::earnings_csv,
        crate::center::payout,
        crate::center::statement,
        crate::center::overview,
        crate::manage::hubs,
        crate::manage::create_hub,
        crate::manage::disable_hub,
        crate::manage::enable_hub,
        crate::manage::add_operator,
        crate::manage::work_in,
        crate::manage::staff,
        crate::manage::add_staff,
        crate::manage::reset_password,
        crate::manage::disable_staff,
        crate::manage::enable_staff,
        crate::manage::register_family,
        crate::manage::family,
        crate::manage::edit_family,
        crate::manage::retire_family,
        crate::manage::list_for_family,
        crate::manage::family_photo,
        crate::tutor::upload_family_photo,
        crate::manage::import_families,
        crate::manage::import_template,
        crate::manage::zones,
        crate::manage::add_zone,
        crate::manage::edit_zone,
        crate::manage::retire_zone,
        crate::manage::products,
        crate::manage::edit_product,
        crate::manage::act_on_product,
        crate::manage::family_count,
        crate::manage::family_pause,
        crate::manage::audit,
        crate::manage::audit_csv,
        crate::seller::prepare,
        crate::seller::money,
        crate::seller::listings,
        crate::seller::create_listing,
        crate::tutor::upload_photo,
        crate::tutor::save_narration,
        crate::tutor::narration,
        crate::tutor::recorded,
        crate::lecture::open,
        crate::lecture::current,
        crate::lecture::step,
        crate::lecture::events,
        crate::lecture::join,
        crate::lecture::done
    ),
    components(schemas(
        Health,
        Product,
        ProductDetail,
        ProductKind,
        Capacity,
        Family,
        FamilyPage,
        FamilySummary,
        Localized,
        bazar_api::Fen,
        ApiError,
        ErrorBody,
        ErrorCode,
        FieldError,
        Zone,
        OrderRequest,
        Customer,
        LineRequest,
        PaymentMethod,
        PaymentInstructions,
        PlacedOrder,
        SoldOutLine,
        Tracking,
        TrackingEvent,
        TrackingLine,
        OrderStatus,
        Trace,
        bazar_api::account::Role,
        bazar_api::account::SignIn,
        bazar_api::account::KeyCardSignIn,
        bazar_api::account::Me,
        bazar_api::center::StatusCount,
        bazar_api::center::OrderSummary,
        bazar_api::center::OrderQueue,
        bazar_api::center::CenterLine,
        bazar_api::center::CenterEvent,
        bazar_api::center::OrderDetail,
        bazar_api::center::StatusChange,
        bazar_api::center::PickLine,
        bazar_api::center::PickItem,
        bazar_api::center::PickFamily,
        bazar_api::center::PickList,
        bazar_api::center::CollectRequest,
        bazar_api::center::Label,
        bazar_api::center::RejectReason,
        bazar_api::center::ListingStatus,
        bazar_api::center::Listing,
        bazar_api::center::ListingDecision,
        bazar_api::center::CenterFamily,
        bazar_api::center::KeyCard,
        bazar_api::center::FamilyEarnings,
        bazar_api::center::Earnings,
        bazar_api::center::StatementLine,
        bazar_api::center::Statement,
        bazar_api::center::PayoutRequest,
        bazar_api::center::Payout,
        bazar_api::center::FamilySales,
        bazar_api::center::WeekSales,
        bazar_api::earnings::Split,
        bazar_api::manage::Hub,
        bazar_api::manage::WorkIn,
        bazar_api::manage::NewStaff,
        bazar_api::manage::StaffMember,
        bazar_api::manage::NewPassword,
        bazar_api::manage::FamilyForm,
        bazar_api::manage::ZoneForm,
        bazar_api::manage::AuditEntry,
        bazar_api::manage::ProductEdit,
        bazar_api::manage::FamilyPhoto,
        bazar_api::manage::Count,
        bazar_api::manage::ImportRow,
        bazar_api::manage::ImportReport,
        bazar_api::seller::Prepare,
        bazar_api::seller::OrderShare,
        bazar_api::seller::MonthMoney,
        bazar_api::seller::Money,
        bazar_api::seller::NewListing,
        bazar_api::tutor::LectureState,
        bazar_api::tutor::Lecture,
        bazar_api::tutor::LectureStep,
        bazar_api::tutor::PhoneReport,
        bazar_api::seller::Photo
    ))
)]
pub struct ApiDoc;

/// The routes under /api but the catalog (see [`catalog`]).
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/health", get(health))
        .route("/products/{id}", get(get_product))
        .route("/families/{id}", get(get_family))
        .route("/zones", get(list_zones))
        .route("/orders", post(place_order))
        .route("/orders/track/{token}", get(track_order))
        .route("/trace/{code}", get(trace))
        .route("/openapi.json", get(openapi_json))
        .merge(private())
        .fallback(|| async { AppError::NotFound })
        .layer(axum::middleware::from_fn(crate::auth::cross_site_guard))
        .layer(tower_http::compression::CompressionLayer::new())
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            crate::REQUEST_TIMEOUT,
        ))
        .with_state(state)
}

/// `GET /api/products`, the most asked-for answer, routed by its full path
/// beside the nested /api router so that none of that router's layers wraps
/// it: it is a GET (nothing for the cross-site guard to check), it brings
/// its own compressed copies, and its database query has the same deadline
/// inside.
pub fn catalog(state: AppState) -> Router {
    Router::new()
        .route("/api/products", get(list_products))
        .with_state(state)
}

/// The routes whose answers depend on who asks: never stored by a cache.
fn private() -> Router<AppState> {
    Router::new()
        .route("/auth/sign-in", post(crate::auth::sign_in))
        .route("/auth/key-card", post(crate::auth::key_card_sign_in))
        .route("/auth/me", get(crate::auth::who))
        .route("/auth/sign-out", post(crate::auth::sign_out))
        .route(
            "/auth/sign-out-everywhere",
            post(crate::auth::sign_out_everywhere),
        )
        .nest("/center", crate::center::router())
        .nest("/admin", crate::manage::admin_router())
        .nest("/seller", crate::seller::router())
        .route(
            "/seller/photos",
            post(crate::tutor::upload_photo)
                .layer(axum::extract::DefaultBodyLimit::max(crate::photos::MAX_BYTES + 1)),
        )
        .route(
            "/narration/{clip}/{lang}",
            get(crate::tutor::narration)
                .post(crate::tutor::save_narration)
                .layer(axum::extract::DefaultBodyLimit::max(
                    crate::tutor::MAX_NARRATION_BYTES + 1,
                )),
        )
        .route("/narration", get(crate::tutor::recorded))
        .nest("/lectures", crate::lecture::router())
        .layer(tower_http::set_header::SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            axum::http::HeaderValue::from_static("no-store"),
        ))
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
    /// Only this kind.
    #[param(value_type = Option<ProductKind>)]
    kind: Option<String>,
    /// Only this family's products.
    family: Option<i64>,
    /// Text to find in product or family names, in any language.
    #[param(max_length = 100)]
    q: Option<String>,
}

/// Live products, optionally by kind, family or search text.
#[utoipa::path(get, path = "/api/products", params(ProductQuery), responses(
    (status = 200, description = "Live products", body = [Product]),
    (status = 400, description = "Unknown kind or malformed query", body = ApiError),
))]
async fn list_products(
    State(state): State<AppState>,
    // The request itself rather than a copy of its headers and query.
    request: axum::extract::Request,
) -> Result<Response, AppError> {
    let Query(query) = Query::<ProductQuery>::try_from_uri(request.uri())?;
    let kind = match query.kind.as_deref() {
        None => None,
        Some(k) => {
            Some(ProductKind::parse(k).ok_or_else(|| AppError::BadRequest(format!("unknown kind {k:?}")))?)
        }
    };
    // Uyghur typed on a phone may arrive decomposed; the catalog is stored composed.
    let text = query
        .q
        .map(|q| q.trim().nfc().collect::<String>())
        .filter(|q| !q.is_empty());
    if text.as_ref().is_some_and(|q| q.chars().count() > 100) {
        return Err(AppError::BadRequest(
            "the search text is longer than 100 characters".into(),
        ));
    }
    let filter = ProductFilter {
        kind,
        family: query.family,
        text,
    };
    let week = current_week();
    let encoding = crate::catalog::negotiate(request.headers());
    if filter.kind.is_some() || filter.family.is_some() || filter.text.is_some() {
        let products = live_products(&state, &filter, week).await?;
        let json = serde_json::to_vec(&products).map_err(|e| AppError::BadRequest(e.to_string()))?;
        return Ok(crate::catalog::respond(json, encoding)?);
    }
    // The whole catalog is served from memory until an order, a cancellation
    // or a listing decision changes it (or the week turns).
    let version = state.store.catalog_version();
    if let Some(cached) = state.catalog_cache.get(version, week) {
        return Ok(cached.response(encoding));
    }
    let products = live_products(&state, &filter, week).await?;
    let json = serde_json::to_vec(&products).map_err(|e| AppError::BadRequest(e.to_string()))?;
    Ok(state.catalog_cache.put(version, week, json)?.response(encoding))
}

/// The catalog route skips the router's timeout layer (see `router`): its
/// database query gets the same deadline here.
async fn live_products(
    state: &AppState,
    filter: &ProductFilter,
    week: i64,
) -> Result<Vec<Product>, AppError> {
    tokio::time::timeout(crate::REQUEST_TIMEOUT, state.store.live_products(filter, week))
        .await
        .map_err(|_| AppError::Database(crate::store::Error::PoolTimedOut))?
        .map_err(AppError::from)
}

/// One live product with its family.
#[utoipa::path(get, path = "/api/products/{id}", params(("id" = i64, Path, description = "Product id")), responses(
    (status = 200, description = "The product and its family", body = ProductDetail),
    (status = 400, description = "The id is not a number", body = ApiError),
    (status = 404, description = "No live product with this id", body = ApiError),
))]
async fn get_product(
    State(state): State<AppState>,
    PathOf(id): PathOf<i64>,
) -> Result<Json<ProductDetail>, AppError> {
    let product = state
        .store
        .live_product(id, current_week())
        .await?
        .ok_or(AppError::NotFound)?;
    let family = state
        .store
        .family(product.family.id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(ProductDetail { product, family }))
}

/// A family: names, village, story and live products.
#[utoipa::path(get, path = "/api/families/{id}", params(("id" = i64, Path, description = "Family id")), responses(
    (status = 200, description = "The family and its live products", body = FamilyPage),
    (status = 400, description = "The id is not a number", body = ApiError),
    (status = 404, description = "No such family", body = ApiError),
))]
async fn get_family(
    State(state): State<AppState>,
    PathOf(id): PathOf<i64>,
) -> Result<Json<FamilyPage>, AppError> {
    let page = state.store.family_with_products(id, current_week()).await?;
    Ok(Json(page.ok_or(AppError::NotFound)?))
}

/// Delivery zones with their shipping fee and typical days.
#[utoipa::path(get, path = "/api/zones", responses(
    (status = 200, description = "Delivery zones", body = [Zone]),
))]
async fn list_zones(State(state): State<AppState>) -> Result<Json<Vec<Zone>>, AppError> {
    Ok(Json(state.store.zones().await?))
}

/// Whether `key` looks like a UUID (8-4-4-4-12 hex digits).
fn is_uuid(key: &str) -> bool {
    let groups: Vec<&str> = key.split('-').collect();
    groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Places a guest order exactly once per `Idempotency-Key`.
#[utoipa::path(post, path = "/api/orders", request_body = OrderRequest,
    params(("Idempotency-Key" = String, Header, pattern = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$", description = "A UUID made by the client for this order; retries send the same")),
    responses(
        (status = 201, description = "Placed (or the first answer replayed for a retry)", body = PlacedOrder),
        (status = 400, description = "Missing or malformed Idempotency-Key, or malformed JSON", body = ApiError),
        (status = 409, description = "Some lines are sold out; nothing was taken", body = ApiError),
        (status = 413, description = "Body too large", body = ApiError),
        (status = 415, description = "Body is not JSON", body = ApiError),
        (status = 422, description = "Invalid fields, or the key was used for another order", body = ApiError),
        (status = 429, description = "Too many orders from this address; see Retry-After", body = ApiError),
    ))]
async fn place_order(
    State(state): State<AppState>,
    Client(client): Client,
    headers: HeaderMap,
    JsonBody(request): JsonBody<OrderRequest>,
) -> Result<Response, AppError> {
    state
        .order_limiter
        .check(client)
        .map_err(|retry_after| AppError::TooManyRequests { retry_after })?;
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(|k| k.trim().to_ascii_lowercase())
        .filter(|k| is_uuid(k))
        .ok_or_else(|| AppError::BadRequest("an Idempotency-Key header with a UUID is required".into()))?;
    request.validate().map_err(AppError::Validation)?;
    let canonical = serde_json::to_vec(&request).map_err(|e| AppError::BadRequest(e.to_string()))?;
    let hash: String = Sha256::digest(&canonical)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();

    let (status, body) = match state
        .store
        .place_order(key, hash, request, current_week())
        .await?
    {
        Placement::Placed { body } => (StatusCode::CREATED, body),
        Placement::Replayed { status, body } => {
            (StatusCode::from_u16(status).unwrap_or(StatusCode::CREATED), body)
        }
        Placement::KeyReused => return Err(AppError::KeyReused),
        Placement::SoldOut(lines) => {
            let fields = lines
                .iter()
                .map(|(i, _)| FieldError::new(format!("lines[{i}]"), "sold_out"))
                .collect();
            return Err(AppError::SoldOut(
                fields,
                lines.into_iter().map(|(_, l)| l).collect(),
            ));
        }
        Placement::UnknownProducts(indexes) => {
            let mut fields: Vec<FieldError> = indexes
                .iter()
                .map(|i| FieldError::new(format!("lines[{i}].product_id"), "unknown_product"))
                .collect();
            if fields.is_empty() {
                fields.push(FieldError::new("lines", "required"));
            }
            return Err(AppError::Validation(fields));
        }
        Placement::UnknownZone => {
            return Err(AppError::Validation(vec![FieldError::new(
                "customer.zone",
                "unknown_zone",
            )]));
        }
        Placement::Hoarding(limits) => {
            return Err(AppError::Validation(
                limits.into_iter().map(|h| h.field_error()).collect(),
            ));
        }
    };
    Ok((status, [(header::CONTENT_TYPE, "application/json")], body).into_response())
}

/// The status timeline and lines of an order, by its private tracking token.
#[utoipa::path(get, path = "/api/orders/track/{token}", params(("token" = String, Path, description = "The tracking token from the order's answer")), responses(
    (status = 200, description = "The order's timeline and lines", body = Tracking),
    (status = 404, description = "No order with this token", body = ApiError),
))]
async fn track_order(
    State(state): State<AppState>,
    PathOf(token): PathOf<String>,
) -> Result<Json<Tracking>, AppError> {
    let token = token.to_ascii_lowercase();
    if token.len() != 32 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(AppError::NotFound);
    }
    Ok(Json(
        state.store.tracking(&token).await?.ok_or(AppError::NotFound)?,
    ))
}

/// The family, village, product and collection day behind a stamped trace code.
/// Rate-limited per address, so codes can't be enumerated.
#[utoipa::path(get, path = "/api/trace/{code}", params(("code" = String, Path, description = "The 8-letter code on the egg or bag")), responses(
    (status = 200, description = "The batch", body = Trace),
    (status = 404, description = "No batch with this code", body = ApiError),
    (status = 429, description = "Too many look-ups from this address; see Retry-After", body = ApiError),
))]
async fn trace(
    State(state): State<AppState>,
    Client(client): Client,
    PathOf(code): PathOf<String>,
) -> Result<Json<Trace>, AppError> {
    state
        .trace_limiter
        .check(client)
        .map_err(|retry_after| AppError::TooManyRequests { retry_after })?;
    let code = bazar_api::trace::normalize_code(&code).ok_or(AppError::NotFound)?;
    Ok(Json(state.store.trace(&code).await?.ok_or(AppError::NotFound)?))
}

/// This document.
#[utoipa::path(get, path = "/api/openapi.json", responses(
    (status = 200, description = "The OpenAPI document of the API", content_type = "application/json"),
))]
async fn openapi_json() -> impl IntoResponse {
    Json(ApiDoc::openapi())
}

#[cfg(test)]
mod tests {
    use super::is_uuid;

    #[test]
    fn recognises_uuids() {
        assert!(is_uuid("3f2b8c1e-9a4d-4e2f-8b1a-0c9d8e7f6a5b"));
        assert!(!is_uuid("3f2b8c1e9a4d4e2f8b1a0c9d8e7f6a5b"));
        assert!(!is_uuid("3f2b8c1e-9a4d-4e2f-8b1a-0c9d8e7f6a5g"));
        assert!(!is_uuid("1"));
    }
}
