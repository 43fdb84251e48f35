//! The family's routes under /api/seller: every one needs a phone signed in
//! with the family's key card, and sees only that family's data.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use bazar_api::center::Listing;
use bazar_api::seller::{Money, NewListing, Prepare};

use crate::AppState;
use crate::auth::FamilySession;
use crate::error::AppError;
use crate::extract::JsonBody;
use crate::store::current_week;

pub fn router() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/prepare", get(prepare))
        .route("/money", get(money))
        .route("/listings", get(listings).post(create_listing))
        .route(
            "/products/{id}/count",
            axum::routing::post(crate::manage::family_count),
        )
        .route(
            "/products/{id}/{action}",
            axum::routing::post(crate::manage::family_pause),
        )
}

/// What the center will collect from the family, by product.
#[utoipa::path(get, path = "/api/seller/prepare", responses(
    (status = 200, description = "Products and counts to hand over", body = [Prepare]),
    crate::responses::Families,
))]
async fn prepare(
    State(state): State<AppState>,
    session: FamilySession,
) -> Result<Json<Vec<Prepare>>, AppError> {
    Ok(Json(state.store.to_prepare(session.family_id).await?))
}

/// The family's money: six months, recent orders' shares, payouts, balance.
#[utoipa::path(get, path = "/api/seller/money", responses(
    (status = 200, description = "The family's money", body = Money),
    crate::responses::Families,
))]
async fn money(State(state): State<AppState>, session: FamilySession) -> Result<Json<Money>, AppError> {
    Ok(Json(
        state
            .store
            .money(session.account.hub_id, session.family_id)
            .await?,
    ))
}

/// The family's listings, whatever their status.
#[utoipa::path(get, path = "/api/seller/listings", responses(
    (status = 200, description = "Listings, newest first", body = [Listing]),
    crate::responses::Families,
))]
async fn listings(
    State(state): State<AppState>,
    session: FamilySession,
) -> Result<Json<Vec<Listing>>, AppError> {
    Ok(Json(state.store.family_listings(session.family_id).await?))
}

/// The picture of a new listing of `family_id`: its photo, which only this
/// family (or the center for it) uploaded, so another family's can't be
/// borrowed by guessing or copying its name; else its kind's picture.
pub async fn listing_image(
    state: &AppState,
    family_id: i64,
    listing: &NewListing,
) -> Result<String, AppError> {
    match (&listing.photo, listing.kind) {
        (Some(photo), _) => stored_photo(state, family_id, photo).await,
        (None, bazar_api::ProductKind::Other) => Ok("/img/logo.svg".to_string()),
        (None, kind) => Ok(format!("/img/kinds/{}.svg", kind.as_str())),
    }
}

/// The address of a photo stored as `family_id`'s (by its phone, or by the
/// center for it); a field error `unknown_photo` for any other name.
pub async fn stored_photo(state: &AppState, family_id: i64, photo: &str) -> Result<String, AppError> {
    let stored = crate::photos::is_photo_name(photo)
        && state.store.photo_of(family_id, photo).await?
        && tokio::fs::try_exists(state.uploads.join(photo))
            .await
            .unwrap_or(false);
    if !stored {
        return Err(AppError::Validation(vec![bazar_api::FieldError::new(
            "photo",
            "unknown_photo",
        )]));
    }
    Ok(format!("/uploads/{photo}"))
}

/// Sends a new listing to the center; it stays pending until approved.
#[utoipa::path(post, path = "/api/seller/listings", request_body = NewListing, responses(
    crate::responses::Families, crate::responses::Json, crate::responses::Invalid,
    (status = 201, description = "The pending listing", body = Listing),
))]
async fn create_listing(
    State(state): State<AppState>,
    session: FamilySession,
    JsonBody(listing): JsonBody<NewListing>,
) -> Result<Response, AppError> {
    listing.validate().map_err(AppError::Validation)?;
    let image = listing_image(&state, session.family_id, &listing).await?;
    let created = state
        .store
        .create_listing(session.family_id, &listing, &image, current_week(), None)
        .await?;
    Ok((StatusCode::CREATED, Json(created)).into_response())
}
