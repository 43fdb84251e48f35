//! The service center's routes under /api/center: every one needs a
//! signed-in operator and sees only the operator's hub.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use bazar_api::center::{
    CenterFamily, CollectRequest, Earnings, KeyCard, Label, Listing, ListingDecision, ListingStatus,
    OrderDetail, OrderQueue, Payout, PayoutRequest, PickList, Statement, StatusChange, WeekSales,
    normalize_waybill,
};
use bazar_api::earnings::Month;
use bazar_api::order::normalize_order_code;
use bazar_api::{FieldError, OrderStatus};
use serde::Deserialize;

use crate::AppState;
use crate::auth::{Operator, hash_token, public_origin, random_secret};
use crate::error::AppError;
use crate::extract::{JsonBody, PathOf, QueryOf};
use crate::store::{CollectOutcome, DecisionOutcome, StatusOutcome, current_week};

pub fn router() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/orders", get(order_queue))
        .route("/orders/{code}", get(order_detail))
        .route("/orders/{code}/status", post(change_status))
        .route("/pick-list", get(pick_list))
        .route("/batches", post(collect))
        .route("/batches/{code}", get(label))
        .route("/listings", get(listings))
        .route("/listings/{id}/decision", post(decide_listing))
        .route("/families", get(families))
        .route(
            "/families/{id}/key-card",
            post(issue_key_card).delete(revoke_key_card),
        )
        .route("/earnings", get(earnings))
        .route("/families/{id}/statement", get(statement))
        .route("/earnings.csv", get(earnings_csv))
        .route("/payouts", post(payout))
        .route("/overview", get(overview))
        .merge(crate::manage::center_router())
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QueueQuery {
    /// The status whose orders to list (default `placed`).
    status: Option<OrderStatus>,
}

/// The hub's orders: counts of every status and the orders of one, oldest first.
#[utoipa::path(get, path = "/api/center/orders", params(QueueQuery), responses(
    crate::responses::Operators, crate::responses::Malformed,
    (status = 200, description = "Counts and orders", body = OrderQueue),
))]
async fn order_queue(
    State(state): State<AppState>,
    Operator(op): Operator,
    QueryOf(query): QueryOf<QueueQuery>,
) -> Result<Json<OrderQueue>, AppError> {
    let status = query.status.unwrap_or(OrderStatus::Placed);
    Ok(Json(state.store.order_queue(op.hub_id, status).await?))
}

/// Normalizes an order code from a path; `NotFound` when it can't be one.
fn order_code(code: String) -> Result<String, AppError> {
    normalize_order_code(&code).ok_or(AppError::NotFound)
}

/// Normalizes a trace code from a path; `NotFound` when it can't be one.
fn trace_code(code: String) -> Result<String, AppError> {
    bazar_api::trace::normalize_code(&code).ok_or(AppError::NotFound)
}

/// One of the hub's orders with its customer, lines, batches and events.
#[utoipa::path(get, path = "/api/center/orders/{code}", params(("code" = String, Path, description = "The order code")), responses(
    crate::responses::Operators, crate::responses::Malformed,
    (status = 200, description = "The order", body = OrderDetail),
    (status = 404, description = "No such order in this hub", body = bazar_api::ApiError),
))]
async fn order_detail(
    State(state): State<AppState>,
    Operator(op): Operator,
    PathOf(path): PathOf<String>,
) -> Result<Json<OrderDetail>, AppError> {
    let code = order_code(path)?;
    let detail = state.store.order_detail(op.hub_id, &code).await?;
    Ok(Json(detail.ok_or(AppError::NotFound)?))
}

/// Moves an order one step on (or cancels it before it ships), recording
/// when and by whom; shipping needs the air waybill number.
#[utoipa::path(post, path = "/api/center/orders/{code}/status", request_body = StatusChange,
    params(("code" = String, Path, description = "The order code")), responses(
    crate::responses::Operators, crate::responses::Json, crate::responses::Invalid,
    (status = 200, description = "The order after the change", body = OrderDetail),
    (status = 404, description = "No such order in this hub", body = bazar_api::ApiError),
    (status = 409, description = "The lifecycle does not allow this step now", body = bazar_api::ApiError),
))]
async fn change_status(
    State(state): State<AppState>,
    Operator(op): Operator,
    PathOf(path): PathOf<String>,
    JsonBody(change): JsonBody<StatusChange>,
) -> Result<Json<OrderDetail>, AppError> {
    let code = order_code(path)?;
    change.validate().map_err(AppError::Validation)?;
    let change = StatusChange {
        waybill: change.waybill.as_deref().and_then(normalize_waybill),
        ..change
    };
    let outcome = state
        .store
        .change_status(op.hub_id, &code, &change, &op.actor(), current_week())
        .await?;
    match outcome {
        StatusOutcome::Changed => {}
        StatusOutcome::NotFound => return Err(AppError::NotFound),
        StatusOutcome::Illegal { from } => {
            return Err(AppError::Conflict(format!(
                "an order that is {} can't become {}",
                from.as_str(),
                change.status.as_str()
            )));
        }
    }
    let detail = state.store.order_detail(op.hub_id, &code).await?;
    Ok(Json(detail.ok_or(AppError::NotFound)?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PickQuery {
    /// Only orders placed on this day (YYYY-MM-DD, China time).
    #[param(pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    date: Option<String>,
    /// Only these orders: codes separated by commas.
    orders: Option<String>,
}

pub(crate) fn is_day(s: &str) -> bool {
    let b = s.as_bytes();
    s.is_ascii()
        && b.len() == 10
        && Month::parse(&s[..7]).is_some()
        && b[7] == b'-'
        && matches!(s[8..].parse::<u8>(), Ok(1..=31))
}

/// What to collect from each family (with its village) for the hub's
/// orders that are placed or being collected.
#[utoipa::path(get, path = "/api/center/pick-list", params(PickQuery), responses(
    (status = 200, description = "The pick list by family", body = PickList),
    (status = 400, description = "Malformed date or codes", body = bazar_api::ApiError),
    crate::responses::Operators,
))]
async fn pick_list(
    State(state): State<AppState>,
    Operator(op): Operator,
    QueryOf(query): QueryOf<PickQuery>,
) -> Result<Json<PickList>, AppError> {
    let day = query.date;
    if day.as_deref().is_some_and(|d| !is_day(d)) {
        return Err(AppError::BadRequest("date must be YYYY-MM-DD".into()));
    }
    let mut codes = Vec::new();
    for raw in query
        .orders
        .as_deref()
        .unwrap_or("")
        .split(',')
        .filter(|c| !c.trim().is_empty())
    {
        let code = normalize_order_code(raw)
            .ok_or_else(|| AppError::BadRequest(format!("{raw:?} is not an order code")))?;
        codes.push(code);
    }
    if codes.len() > 200 {
        return Err(AppError::BadRequest("at most 200 orders at once".into()));
    }
    Ok(Json(
        state.store.pick_list(op.hub_id, day.as_deref(), &codes).await?,
    ))
}

/// The label of a batch, with the address its QR code opens.
async fn full_label(
    state: &AppState,
    headers: &HeaderMap,
    hub_id: i64,
    code: &str,
) -> Result<Label, AppError> {
    let mut label = state.store.label(hub_id, code).await?.ok_or(AppError::NotFound)?;
    label.trace_url = format!("{}/trace/{}", public_origin(state, headers), label.trace_code);
    label.qr_svg = crate::qr::svg(&label.trace_url);
    Ok(label)
}

/// Records what was collected from a family: a new batch with a trace code,
/// linked to the order lines it fills. Answers the batch's label.
#[utoipa::path(post, path = "/api/center/batches", request_body = CollectRequest, responses(
    crate::responses::Operators, crate::responses::Json,
    (status = 201, description = "The new batch's label", body = Label),
    (status = 422, description = "Lines unknown, of another family or product, or collected already", body = bazar_api::ApiError),
))]
async fn collect(
    State(state): State<AppState>,
    headers: HeaderMap,
    Operator(op): Operator,
    JsonBody(request): JsonBody<CollectRequest>,
) -> Result<Response, AppError> {
    if request.line_ids.is_empty() || request.line_ids.len() > 500 {
        return Err(AppError::Validation(vec![FieldError::new(
            "line_ids",
            "out_of_range",
        )]));
    }
    let outcome = state
        .store
        .collect(
            op.hub_id,
            request.family_id,
            request.product_id,
            &request.line_ids,
            &op.actor(),
        )
        .await?;
    match outcome {
        CollectOutcome::Collected(code) => {
            let label = full_label(&state, &headers, op.hub_id, &code).await?;
            Ok((StatusCode::CREATED, Json(label)).into_response())
        }
        CollectOutcome::Invalid(errors) => Err(AppError::Validation(errors)),
    }
}

/// A batch's label: family in Uyghur and Chinese, product, date, trace code and QR code.
#[utoipa::path(get, path = "/api/center/batches/{code}", params(("code" = String, Path, description = "The trace code")), responses(
    crate::responses::Operators, crate::responses::Malformed,
    (status = 200, description = "The label", body = Label),
    (status = 404, description = "No such batch in this hub", body = bazar_api::ApiError),
))]
async fn label(
    State(state): State<AppState>,
    headers: HeaderMap,
    Operator(op): Operator,
    PathOf(path): PathOf<String>,
) -> Result<Json<Label>, AppError> {
    let code = trace_code(path)?;
    Ok(Json(full_label(&state, &headers, op.hub_id, &code).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListingQuery {
    /// Which listings (default `pending`).
    status: Option<ListingStatus>,
}

/// The hub's listings in one status, oldest first.
#[utoipa::path(get, path = "/api/center/listings", params(ListingQuery), responses(
    crate::responses::Operators, crate::responses::Malformed,
    (status = 200, description = "Listings", body = [Listing]),
))]
async fn listings(
    State(state): State<AppState>,
    Operator(op): Operator,
    QueryOf(query): QueryOf<ListingQuery>,
) -> Result<Json<Vec<Listing>>, AppError> {
    let status = query.status.unwrap_or(ListingStatus::Pending);
    Ok(Json(state.store.hub_listings(op.hub_id, status).await?))
}

/// Approves a pending listing (optionally correcting price or names) or
/// sends it back with a reason the family sees and hears.
#[utoipa::path(post, path = "/api/center/listings/{id}/decision", request_body = ListingDecision,
    params(("id" = i64, Path, description = "The listing (product) id")), responses(
    crate::responses::Operators, crate::responses::Json, crate::responses::Invalid,
    (status = 200, description = "The listing after the decision", body = Listing),
    (status = 404, description = "No such listing in this hub", body = bazar_api::ApiError),
    (status = 409, description = "The listing is not pending", body = bazar_api::ApiError),
))]
async fn decide_listing(
    State(state): State<AppState>,
    Operator(op): Operator,
    PathOf(id): PathOf<i64>,
    JsonBody(decision): JsonBody<ListingDecision>,
) -> Result<Json<Listing>, AppError> {
    decision.validate().map_err(AppError::Validation)?;
    match state
        .store
        .decide_listing(op.hub_id, id, &decision, current_week())
        .await?
    {
        DecisionOutcome::Decided(listing) => Ok(Json(*listing)),
        DecisionOutcome::NotFound => Err(AppError::NotFound),
        DecisionOutcome::NotPending => Err(AppError::Conflict("the listing is not pending".into())),
    }
}

/// The hub's families and whether each has a working key card.
#[utoipa::path(get, path = "/api/center/families", responses(
    (status = 200, description = "Families", body = [CenterFamily]),
    crate::responses::Operators,
))]
async fn families(
    State(state): State<AppState>,
    Operator(op): Operator,
) -> Result<Json<Vec<CenterFamily>>, AppError> {
    Ok(Json(state.store.hub_families(op.hub_id).await?))
}

/// Prints a new key card for a family: its QR code signs a phone in. Any
/// earlier card stops working and its phones are signed out.
#[utoipa::path(post, path = "/api/center/families/{id}/key-card", params(("id" = i64, Path, description = "The family id")), responses(
    crate::responses::Operators, crate::responses::Malformed,
    (status = 201, description = "The new card; its token is never shown again", body = KeyCard),
    (status = 404, description = "No such family in this hub", body = bazar_api::ApiError),
))]
async fn issue_key_card(
    State(state): State<AppState>,
    headers: HeaderMap,
    Operator(op): Operator,
    PathOf(id): PathOf<i64>,
) -> Result<Response, AppError> {
    let token = random_secret();
    let (family, issued_at) = state
        .store
        .issue_key_card(op.hub_id, id, op.id, &hash_token(&token))
        .await?
        .ok_or(AppError::NotFound)?;
    // The token travels in the fragment, which browsers never send to a server.
    let url = format!("{}/seller#key={token}", public_origin(&state, &headers));
    let card = KeyCard {
        family_id: family.id,
        names: family.names,
        village: family.village,
        stamp: family.stamp,
        qr_svg: crate::qr::svg(&url),
        url,
        issued_at,
    };
    Ok((
        StatusCode::CREATED,
        [(header::CACHE_CONTROL, "no-store")],
        Json(card),
    )
        .into_response())
}

/// Stops a family's key cards and signs its phones out.
#[utoipa::path(delete, path = "/api/center/families/{id}/key-card", params(("id" = i64, Path, description = "The family id")), responses(
    crate::responses::Operators, crate::responses::Malformed,
    (status = 204, description = "Revoked"),
    (status = 404, description = "No such family in this hub", body = bazar_api::ApiError),
))]
async fn revoke_key_card(
    State(state): State<AppState>,
    Operator(op): Operator,
    PathOf(id): PathOf<i64>,
) -> Result<StatusCode, AppError> {
    if state.store.revoke_key_cards(op.hub_id, id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(AppError::NotFound)
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MonthQuery {
    /// YYYY-MM (default: this month, China time).
    #[param(pattern = "^[0-9]{4}-(0[1-9]|1[0-2])$")]
    month: Option<String>,
}

fn month(query: MonthQuery) -> Result<String, AppError> {
    match query.month {
        Some(m) if Month::parse(&m).is_some() => Ok(m),
        Some(_) => Err(AppError::BadRequest("month must be YYYY-MM".into())),
        None => {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs() as i64)
                .unwrap_or(0);
            Ok(Month::in_china(now).to_string())
        }
    }
}

async fn earnings_of(state: &AppState, hub_id: i64, month: String) -> Result<Earnings, AppError> {
    let families = state.store.earnings(hub_id, &month).await?;
    Ok(Earnings {
        total: families.iter().map(|f| f.sold).sum(),
        fee_bp: state.store.fee_bp(hub_id).await?,
        month,
        families,
    })
}

/// Every family's month: items sold, gross, the center's fee, net, payouts and balance.
#[utoipa::path(get, path = "/api/center/earnings", params(MonthQuery), responses(
    (status = 200, description = "The month's earnings", body = Earnings),
    (status = 400, description = "Malformed month", body = bazar_api::ApiError),
    crate::responses::Operators,
))]
async fn earnings(
    State(state): State<AppState>,
    Operator(op): Operator,
    QueryOf(query): QueryOf<MonthQuery>,
) -> Result<Json<Earnings>, AppError> {
    let month = month(query)?;
    Ok(Json(earnings_of(&state, op.hub_id, month).await?))
}

/// A family's month on one printed page: its products sold, the split, the
/// month's payouts and the balance.
#[utoipa::path(get, path = "/api/center/families/{id}/statement", params(("id" = i64, Path, description = "The family"), MonthQuery), responses(
    (status = 200, description = "The family's month", body = Statement),
    (status = 400, description = "Malformed month", body = bazar_api::ApiError),
    (status = 404, description = "No such family in this hub", body = bazar_api::ApiError),
    crate::responses::Operators,
))]
async fn statement(
    State(state): State<AppState>,
    Operator(op): Operator,
    PathOf(id): PathOf<i64>,
    QueryOf(query): QueryOf<MonthQuery>,
) -> Result<Json<Statement>, AppError> {
    let month = month(query)?;
    let statement = state.store.statement(op.hub_id, id, &month).await?;
    Ok(Json(statement.ok_or(AppError::NotFound)?))
}

/// A CSV text field, with text that a spreadsheet would run as a formula
/// made inert (the csv crate quotes it).
pub(crate) fn inert(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// Rows as CSV (CRLF line ends, quoted where a field needs it), through the
/// csv crate.
pub(crate) fn csv_of(rows: impl IntoIterator<Item = Vec<String>>) -> Result<String, AppError> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .quote_style(csv::QuoteStyle::Necessary)
        .from_writer(Vec::new());
    for row in rows {
        writer
            .write_record(&row)
            .map_err(|e| AppError::Internal(std::io::Error::other(e)))?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| AppError::Internal(std::io::Error::other(e.to_string())))?;
    String::from_utf8(bytes).map_err(|e| AppError::Internal(std::io::Error::other(e)))
}

/// The month's earnings as CSV (UTF-8), one row per family.
#[utoipa::path(get, path = "/api/center/earnings.csv", params(MonthQuery), responses(
    (status = 200, description = "CSV", content_type = "text/csv"),
    (status = 400, description = "Malformed month", body = bazar_api::ApiError),
    crate::responses::Operators,
))]
async fn earnings_csv(
    State(state): State<AppState>,
    Operator(op): Operator,
    QueryOf(query): QueryOf<MonthQuery>,
) -> Result<Response, AppError> {
    let month = month(query)?;
    let earnings = earnings_of(&state, op.hub_id, month.clone()).await?;
    let yuan = |f: bazar_api::Fen| f.format_grouped("");
    let header = [
        "month",
        "family_id",
        "family_zh",
        "family_ug",
        "village_zh",
        "items",
        "gross_yuan",
        "fee_yuan",
        "net_yuan",
        "paid_yuan",
        "balance_yuan",
    ]
    .map(String::from)
    .to_vec();
    let rows = earnings.families.iter().map(|f| {
        vec![
            f.month.clone(),
            f.family_id.to_string(),
            inert(&f.names.zh),
            inert(&f.names.ug),
            inert(&f.village.zh),
            f.sold.items.to_string(),
            yuan(f.sold.gross_fen),
            yuan(f.sold.fee_fen),
            yuan(f.sold.net_fen),
            yuan(f.paid_fen),
            yuan(f.balance_fen),
        ]
    });
    let csv = csv_of(std::iter::once(header).chain(rows))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"earnings-{month}.csv\""),
            ),
        ],
        csv,
    )
        .into_response())
}

/// Records money paid out to a family.
#[utoipa::path(post, path = "/api/center/payouts", request_body = PayoutRequest, responses(
    crate::responses::Operators, crate::responses::Json, crate::responses::Invalid,
    (status = 201, description = "Recorded", body = Payout),
    (status = 404, description = "No such family in this hub", body = bazar_api::ApiError),
))]
async fn payout(
    State(state): State<AppState>,
    Operator(op): Operator,
    JsonBody(request): JsonBody<PayoutRequest>,
) -> Result<Response, AppError> {
    request.validate().map_err(AppError::Validation)?;
    let payout = state
        .store
        .record_payout(op.hub_id, &request, &op.actor())
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((StatusCode::CREATED, Json(payout)).into_response())
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OverviewQuery {
    /// How many weeks back (1 to 52, default 8).
    #[param(minimum = 1, maximum = 52)]
    weeks: Option<u32>,
}

/// Orders and sales per week, and which families supplied them.
#[utoipa::path(get, path = "/api/center/overview", params(OverviewQuery), responses(
    (status = 200, description = "Weeks, oldest first", body = [WeekSales]),
    (status = 400, description = "weeks out of range", body = bazar_api::ApiError),
    crate::responses::Operators,
))]
async fn overview(
    State(state): State<AppState>,
    Operator(op): Operator,
    QueryOf(query): QueryOf<OverviewQuery>,
) -> Result<Json<Vec<WeekSales>>, AppError> {
    let weeks = query.weeks.unwrap_or(8);
    if !(1..=52).contains(&weeks) {
        return Err(AppError::BadRequest("weeks must be 1 to 52".into()));
    }
    Ok(Json(state.store.overview(op.hub_id, weeks).await?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_text_is_quoted_and_inert() {
        let row = |cells: &[&str]| vec![cells.iter().map(|c| inert(c)).collect::<Vec<_>>()];
        assert_eq!(csv_of(row(&["蜂蜜", "12"])).unwrap(), "蜂蜜,12\r\n");
        assert_eq!(csv_of(row(&["a,b"])).unwrap(), "\"a,b\"\r\n");
        assert_eq!(csv_of(row(&["a\"b"])).unwrap(), "\"a\"\"b\"\r\n");
        assert_eq!(csv_of(row(&["=HYPERLINK(1)"])).unwrap(), "'=HYPERLINK(1)\r\n");
        assert_eq!(
            csv_of(row(&["-1+1", "line\nbreak"])).unwrap(),
            "'-1+1,\"line\nbreak\"\r\n"
        );
    }

    #[test]
    fn days() {
        assert!(is_day("2026-11-29"));
        assert!(!is_day("2026-11-32"));
        assert!(!is_day("2026-13-01"));
        assert!(!is_day("20261129"));
        // Found by fuzzing: slicing must not split a character.
        assert!(!is_day("ÛÚ²¹ab"));
        assert!(!is_day("\u{80}\u{80}\u{80}\u{80}\u{80}"));
    }
}
