//! Running a township's center from the screens: the platform admin's hubs
//! (`/api/admin`), and a hub's staff, families, delivery zones and audit
//! log (under `/api/center`, for its operators and for an admin working in
//! it). Every change is written to the audit log in its own transaction
//! (see `store/manage.rs`).

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use bazar_api::account::{Me, Role};
use bazar_api::center::{CenterFamily, Listing};
use bazar_api::manage::{
    AuditEntry, Count, FamilyForm, Hub, IMPORT_COLUMNS, ImportReport, MAX_COUNT, MAX_IMPORT_ROWS,
    NewPassword, NewStaff, ProductEdit, StaffMember, WorkIn, ZoneForm,
};
use bazar_api::{FieldError, Localized};
use serde::Deserialize;

use crate::AppState;
use crate::auth::FamilySession;
use crate::auth::{Admin, Operator, hash_password_blocking, hash_token, random_password, session_token};
use crate::center::{csv_of, inert};
use crate::error::AppError;
use crate::extract::{JsonBody, PathOf, QueryOf};
use crate::store::{Account, AuditFilter, FamilyRows, ManageOutcome, Owner, ProductAction, current_week};

/// The largest family list a center may import at once.
pub const MAX_IMPORT_BYTES: usize = 1024 * 1024;

/// `/api/admin`: the platform admin's routes.
pub fn admin_router() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/hubs", get(hubs).post(create_hub))
        .route("/hubs/{slug}/disable", post(disable_hub))
        .route("/hubs/{slug}/enable", post(enable_hub))
        .route("/hubs/{slug}/operators", post(add_operator))
        .route("/hub", post(work_in))
}

/// The hub's management routes, merged into `/api/center`.
pub fn center_router() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/staff", get(staff).post(add_staff))
        .route("/staff/{id}/password", post(reset_password))
        .route("/staff/{id}/disable", post(disable_staff))
        .route("/staff/{id}/enable", post(enable_staff))
        .route("/families", post(register_family))
        .route("/families/{id}", get(family).put(edit_family))
        .route("/families/{id}/retire", post(retire_family))
        .route(
            "/families/{id}/photos",
            post(crate::tutor::upload_family_photo)
                .layer(axum::extract::DefaultBodyLimit::max(crate::photos::MAX_BYTES + 1)),
        )
        .route("/families/{id}/listings", post(list_for_family))
        .route("/families/{id}/photo", post(family_photo))
        .route(
            "/families/import",
            post(import_families).layer(axum::extract::DefaultBodyLimit::max(MAX_IMPORT_BYTES)),
        )
        .route("/families/import-template.csv", get(import_template))
        .route("/zones", get(zones).post(add_zone))
        .route("/zones/{id}", axum::routing::put(edit_zone))
        .route("/zones/{id}/retire", post(retire_zone))
        .route("/products", get(products))
        .route("/products/{id}", axum::routing::put(edit_product))
        .route("/products/{id}/{action}", post(act_on_product))
        .route("/audit", get(audit))
        .route("/audit.csv", get(audit_csv))
}

/// The answer to a change whose outcome the store decided.
fn outcome<T>(outcome: ManageOutcome<T>) -> Result<T, AppError> {
    match outcome {
        ManageOutcome::Done(value) => Ok(value),
        ManageOutcome::NotFound => Err(AppError::NotFound),
        // The form's field is wrong, as a rule would say: it is another's.
        ManageOutcome::Taken(field) => Err(AppError::Validation(vec![FieldError::new(field, "taken")])),
        ManageOutcome::Refused(why) => Err(AppError::Conflict(why.to_string())),
    }
}

fn created_answer<T: serde::Serialize>(value: T) -> Response {
    (
        StatusCode::CREATED,
        [(header::CACHE_CONTROL, "no-store")],
        Json(value),
    )
        .into_response()
}

/// Every hub, with its families and working operators counted.
#[utoipa::path(get, path = "/api/admin/hubs", responses(
    crate::responses::Admins,
    (status = 200, description = "The hubs, oldest first", body = Vec<Hub>),
))]
pub async fn hubs(State(state): State<AppState>, Admin(_admin): Admin) -> Result<Json<Vec<Hub>>, AppError> {
    Ok(Json(state.store.hubs().await?))
}

/// A new hub (a township's center). Its first operator is made next, with
/// `POST /api/admin/hubs/{slug}/operators`.
#[utoipa::path(post, path = "/api/admin/hubs", request_body = Hub, responses(
    crate::responses::Admins, crate::responses::Json, crate::responses::Invalid,
    (status = 201, description = "The hub", body = Hub),
))]
pub async fn create_hub(
    State(state): State<AppState>,
    Admin(admin): Admin,
    JsonBody(hub): JsonBody<Hub>,
) -> Result<Response, AppError> {
    hub.validate().map_err(AppError::Validation)?;
    Ok(created_answer(outcome(
        state.store.create_hub(&admin, &hub).await?,
    )?))
}

async fn set_hub(
    state: AppState,
    admin: Account,
    slug: String,
    disabled: bool,
) -> Result<Json<Hub>, AppError> {
    let hub = state.store.set_hub_disabled(&admin, &slug, disabled).await?;
    Ok(Json(hub.ok_or(AppError::NotFound)?))
}

/// Disables a hub: its products leave the shop; its staff and families are
/// signed out and can't sign in until it is enabled again.
#[utoipa::path(post, path = "/api/admin/hubs/{slug}/disable", params(("slug" = String, Path, description = "The hub")), responses(
    crate::responses::Admins, crate::responses::Malformed,
    (status = 200, description = "The hub", body = Hub),
    (status = 404, description = "No such hub", body = bazar_api::ApiError),
))]
pub async fn disable_hub(
    State(state): State<AppState>,
    Admin(admin): Admin,
    PathOf(slug): PathOf<String>,
) -> Result<Json<Hub>, AppError> {
    set_hub(state, admin, slug, true).await
}

/// Enables a disabled hub again.
#[utoipa::path(post, path = "/api/admin/hubs/{slug}/enable", params(("slug" = String, Path, description = "The hub")), responses(
    crate::responses::Admins, crate::responses::Malformed,
    (status = 200, description = "The hub", body = Hub),
    (status = 404, description = "No such hub", body = bazar_api::ApiError),
))]
pub async fn enable_hub(
    State(state): State<AppState>,
    Admin(admin): Admin,
    PathOf(slug): PathOf<String>,
) -> Result<Json<Hub>, AppError> {
    set_hub(state, admin, slug, false).await
}

/// A new account of a hub, its password shown this once.
async fn new_staff(
    state: &AppState,
    by: &Account,
    hub_id: i64,
    staff: NewStaff,
) -> Result<Response, AppError> {
    staff.validate().map_err(AppError::Validation)?;
    let password = random_password();
    let hash = hash_password_blocking(password.clone()).await;
    let member = outcome(state.store.add_staff(by, hub_id, &staff, &hash).await?)?;
    Ok(created_answer(NewPassword {
        id: member.id,
        username: member.username,
        password,
    }))
}

/// A hub's operator, made by the admin (the first of a new hub).
#[utoipa::path(post, path = "/api/admin/hubs/{slug}/operators", request_body = NewStaff,
    params(("slug" = String, Path, description = "The hub")), responses(
    crate::responses::Admins, crate::responses::Json, crate::responses::Invalid,
    (status = 201, description = "The account and its password, shown this once", body = NewPassword),
    (status = 404, description = "No such hub", body = bazar_api::ApiError),
))]
pub async fn add_operator(
    State(state): State<AppState>,
    Admin(admin): Admin,
    PathOf(slug): PathOf<String>,
    JsonBody(staff): JsonBody<NewStaff>,
) -> Result<Response, AppError> {
    if staff.role != Role::Operator {
        return Err(AppError::Validation(vec![FieldError::new(
            "role",
            "not_operator",
        )]));
    }
    let hub_id = state.store.hub_id(&slug).await?.ok_or(AppError::NotFound)?;
    new_staff(&state, &admin, hub_id, staff).await
}

/// The hub the admin works in from now on: the center's routes act on it.
#[utoipa::path(post, path = "/api/admin/hub", request_body = WorkIn, responses(
    crate::responses::Admins, crate::responses::Json,
    (status = 200, description = "Who is signed in, now in that hub", body = Me),
    (status = 404, description = "No such hub", body = bazar_api::ApiError),
))]
pub async fn work_in(
    State(state): State<AppState>,
    headers: HeaderMap,
    Admin(admin): Admin,
    JsonBody(hub): JsonBody<WorkIn>,
) -> Result<Json<Me>, AppError> {
    let token = session_token(&headers).ok_or(AppError::Unauthorized)?;
    state
        .store
        .work_in(&hash_token(&token), &hub.slug)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(Me {
        hub: hub.slug,
        ..crate::auth::me(&admin)
    }))
}

/// The hub's operators and trainers.
#[utoipa::path(get, path = "/api/center/staff", responses(
    crate::responses::Operators,
    (status = 200, description = "The staff, oldest first", body = Vec<StaffMember>),
))]
pub async fn staff(
    State(state): State<AppState>,
    Operator(op): Operator,
) -> Result<Json<Vec<StaffMember>>, AppError> {
    Ok(Json(state.store.staff(op.hub_id).await?))
}

/// A new operator or trainer of the hub, its password shown this once.
#[utoipa::path(post, path = "/api/center/staff", request_body = NewStaff, responses(
    crate::responses::Operators, crate::responses::Json, crate::responses::Invalid,
    (status = 201, description = "The account and its password, shown this once", body = NewPassword),
))]
pub async fn add_staff(
    State(state): State<AppState>,
    Operator(op): Operator,
    JsonBody(staff): JsonBody<NewStaff>,
) -> Result<Response, AppError> {
    new_staff(&state, &op, op.hub_id, staff).await
}

/// A new password for a staff account of the hub, shown this once; its
/// sessions end.
#[utoipa::path(post, path = "/api/center/staff/{id}/password", params(("id" = i64, Path, description = "The account")), responses(
    crate::responses::Operators, crate::responses::Malformed,
    (status = 200, description = "The new password, shown this once", body = NewPassword),
    (status = 404, description = "No such account in this hub", body = bazar_api::ApiError),
))]
pub async fn reset_password(
    State(state): State<AppState>,
    Operator(op): Operator,
    PathOf(id): PathOf<i64>,
) -> Result<Response, AppError> {
    let password = random_password();
    let hash = hash_password_blocking(password.clone()).await;
    let member = state
        .store
        .reset_password(&op, op.hub_id, id, &hash)
        .await?
        .ok_or(AppError::NotFound)?;
    let answer = NewPassword {
        id,
        username: member.username,
        password,
    };
    Ok(([(header::CACHE_CONTROL, "no-store")], Json(answer)).into_response())
}

async fn set_staff(
    state: AppState,
    op: Account,
    id: i64,
    disabled: bool,
) -> Result<Json<StaffMember>, AppError> {
    Ok(Json(outcome(
        state
            .store
            .set_staff_disabled(&op, op.hub_id, id, disabled)
            .await?,
    )?))
}

/// Disables a staff account of the hub; its sessions end at once. The
/// hub's last working operator can't be disabled.
#[utoipa::path(post, path = "/api/center/staff/{id}/disable", params(("id" = i64, Path, description = "The account")), responses(
    crate::responses::Operators, crate::responses::Malformed,
    (status = 200, description = "The account", body = StaffMember),
    (status = 404, description = "No such account in this hub", body = bazar_api::ApiError),
    (status = 409, description = "The hub's last operator", body = bazar_api::ApiError),
))]
pub async fn disable_staff(
    State(state): State<AppState>,
    Operator(op): Operator,
    PathOf(id): PathOf<i64>,
) -> Result<Json<StaffMember>, AppError> {
    set_staff(state, op, id, true).await
}

/// Enables a disabled staff account of the hub again.
#[utoipa::path(post, path = "/api/center/staff/{id}/enable", params(("id" = i64, Path, description = "The account")), responses(
    crate::responses::Operators, crate::responses::Malformed,
    (status = 200, description = "The account", body = StaffMember),
    (status = 404, description = "No such account in this hub", body = bazar_api::ApiError),
))]
pub async fn enable_staff(
    State(state): State<AppState>,
    Operator(op): Operator,
    PathOf(id): PathOf<i64>,
) -> Result<Json<StaffMember>, AppError> {
    set_staff(state, op, id, false).await
}

/// Registers a family of the hub. Its key card is printed next, with
/// `POST /api/center/families/{id}/key-card`.
#[utoipa::path(post, path = "/api/center/families", request_body = FamilyForm, responses(
    crate::responses::Operators, crate::responses::Json, crate::responses::Invalid,
    (status = 201, description = "The family", body = CenterFamily),
))]
pub async fn register_family(
    State(state): State<AppState>,
    Operator(op): Operator,
    JsonBody(form): JsonBody<FamilyForm>,
) -> Result<Response, AppError> {
    form.validate().map_err(AppError::Validation)?;
    let family = state
        .store
        .register_family(&op, op.hub_id, &form.normalized())
        .await?;
    Ok(created_answer(outcome(family)?))
}

/// One family of the hub.
#[utoipa::path(get, path = "/api/center/families/{id}", params(("id" = i64, Path, description = "The family")), responses(
    crate::responses::Operators, crate::responses::Malformed,
    (status = 200, description = "The family", body = CenterFamily),
    (status = 404, description = "No such family in this hub", body = bazar_api::ApiError),
))]
pub async fn family(
    State(state): State<AppState>,
    Operator(op): Operator,
    PathOf(id): PathOf<i64>,
) -> Result<Json<CenterFamily>, AppError> {
    let family = state.store.center_family(op.hub_id, id).await?;
    Ok(Json(family.ok_or(AppError::NotFound)?))
}

/// Changes a family of the hub.
#[utoipa::path(put, path = "/api/center/families/{id}", request_body = FamilyForm,
    params(("id" = i64, Path, description = "The family")), responses(
    crate::responses::Operators, crate::responses::Json, crate::responses::Invalid,
    (status = 200, description = "The family", body = CenterFamily),
    (status = 404, description = "No such family in this hub", body = bazar_api::ApiError),
))]
pub async fn edit_family(
    State(state): State<AppState>,
    Operator(op): Operator,
    PathOf(id): PathOf<i64>,
    JsonBody(form): JsonBody<FamilyForm>,
) -> Result<Json<CenterFamily>, AppError> {
    form.validate().map_err(AppError::Validation)?;
    let family = state
        .store
        .edit_family(&op, op.hub_id, id, &form.normalized())
        .await?;
    Ok(Json(outcome(family)?))
}

/// Retires a family: its products leave the shop and its key cards stop
/// working; its orders, batches and money stay.
#[utoipa::path(post, path = "/api/center/families/{id}/retire", params(("id" = i64, Path, description = "The family")), responses(
    crate::responses::Operators, crate::responses::Malformed,
    (status = 200, description = "The family", body = CenterFamily),
    (status = 404, description = "No such family in this hub", body = bazar_api::ApiError),
))]
pub async fn retire_family(
    State(state): State<AppState>,
    Operator(op): Operator,
    PathOf(id): PathOf<i64>,
) -> Result<Json<CenterFamily>, AppError> {
    let family = state.store.retire_family(&op, op.hub_id, id).await?;
    Ok(Json(family.ok_or(AppError::NotFound)?))
}

/// Makes a photo uploaded for the family (`POST /api/center/families/{id}/photos`)
/// its picture in the shop.
#[utoipa::path(post, path = "/api/center/families/{id}/photo", request_body = bazar_api::manage::FamilyPhoto,
    params(("id" = i64, Path, description = "The family")), responses(
    crate::responses::Operators, crate::responses::Json, crate::responses::Invalid,
    (status = 200, description = "The family", body = CenterFamily),
    (status = 404, description = "No such family in this hub", body = bazar_api::ApiError),
))]
pub async fn family_photo(
    State(state): State<AppState>,
    Operator(op): Operator,
    PathOf(id): PathOf<i64>,
    JsonBody(body): JsonBody<bazar_api::manage::FamilyPhoto>,
) -> Result<Json<CenterFamily>, AppError> {
    if state.store.center_family(op.hub_id, id).await?.is_none() {
        return Err(AppError::NotFound);
    }
    let image = crate::seller::stored_photo(&state, id, &body.photo).await?;
    let family = state.store.set_family_photo(&op, op.hub_id, id, &image).await?;
    Ok(Json(family.ok_or(AppError::NotFound)?))
}

/// Lists a product for a family without a phone, as its own listing steps
/// would (its photo uploaded first with `POST /api/center/families/{id}/photos`):
/// live at once, marked with the operator who listed it, in the audit log.
#[utoipa::path(post, path = "/api/center/families/{id}/listings", request_body = bazar_api::seller::NewListing,
    params(("id" = i64, Path, description = "The family")), responses(
    crate::responses::Operators, crate::responses::Json, crate::responses::Invalid,
    (status = 201, description = "The live listing", body = Listing),
    (status = 404, description = "No such family in this hub", body = bazar_api::ApiError),
))]
pub async fn list_for_family(
    State(state): State<AppState>,
    Operator(op): Operator,
    PathOf(id): PathOf<i64>,
    JsonBody(listing): JsonBody<bazar_api::seller::NewListing>,
) -> Result<Response, AppError> {
    let family = state.store.center_family(op.hub_id, id).await?;
    if family.is_none_or(|f| f.retired) {
        return Err(AppError::NotFound);
    }
    listing.validate().map_err(AppError::Validation)?;
    let image = crate::seller::listing_image(&state, id, &listing).await?;
    let created = state
        .store
        .create_listing(id, &listing, &image, current_week(), Some(&op))
        .await?;
    Ok(created_answer(created))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// `true`: only say what would happen to every row.
    dry_run: Option<bool>,
}

/// The text of a CSV file as centers keep them: UTF-8 with or without a
/// byte-order mark, or GB18030 (which GBK is part of), what Excel in China
/// writes. `None` when it is neither.
pub fn decode_csv(bytes: &[u8]) -> Option<String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Some(text.to_string());
    }
    let (text, _, malformed) = encoding_rs::GB18030.decode(bytes);
    (!malformed).then(|| text.into_owned())
}

/// The rows of a family list: each row's line and its form, or why it
/// can't be one. The header names the columns (see `IMPORT_COLUMNS`), in
/// any order; `name_ug`, `name_zh`, `name_en`, the villages and `stamp`
/// are needed.
pub fn family_rows(text: &str) -> Result<FamilyRows, AppError> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|_| AppError::BadRequest("the file is not CSV".into()))?
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect();
    let missing: Vec<&str> = IMPORT_COLUMNS[..7]
        .iter()
        .copied()
        .filter(|c| !header.iter().any(|h| h == c))
        .collect();
    if !missing.is_empty() {
        return Err(AppError::Validation(
            missing
                .into_iter()
                .map(|c| FieldError::new(c, "missing_column"))
                .collect(),
        ));
    }
    let column = |record: &csv::StringRecord, name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .and_then(|i| record.get(i))
            .unwrap_or("")
            .to_string()
    };
    let mut rows = Vec::new();
    for record in reader.records() {
        if rows.len() == MAX_IMPORT_ROWS {
            return Err(AppError::TooLarge(format!(
                "a file may bring at most {MAX_IMPORT_ROWS} families"
            )));
        }
        // The line in the file, as a spreadsheet numbers it (blank lines count).
        let line = match &record {
            Ok(record) => record.position().map(|p| p.line()),
            Err(e) => e.position().map(|p| p.line()),
        };
        let line = u32::try_from(line.unwrap_or(0)).unwrap_or(u32::MAX);
        let Ok(record) = record else {
            rows.push((line, Err(vec![FieldError::new("row", "not_csv")])));
            continue;
        };
        if record.iter().all(|field| field.trim().is_empty()) {
            continue;
        }
        let localized = |prefix: &str| Localized {
            ug: column(&record, &format!("{prefix}_ug")),
            zh: column(&record, &format!("{prefix}_zh")),
            en: column(&record, &format!("{prefix}_en")),
        };
        let form = FamilyForm {
            names: localized("name"),
            village: localized("village"),
            phone: column(&record, "phone"),
            story: localized("story"),
            stamp: column(&record, "stamp"),
        };
        rows.push((line, form.validate().map(|()| form.normalized())));
    }
    Ok(rows)
}

/// Imports a list of families (CSV: UTF-8 with or without BOM, or
/// GB18030/GBK). Every row's fate is answered; a family already registered
/// (the same Latin name and village) is left as it is, so importing a file
/// again creates none. With `dry_run=true` nothing is written.
#[utoipa::path(post, path = "/api/center/families/import", params(ImportQuery),
    request_body(content = String, content_type = "text/csv"), responses(
    crate::responses::Operators, crate::responses::Malformed,
    (status = 200, description = "Every row's fate", body = ImportReport),
    (status = 413, description = "Over 1 MB or 2,000 rows", body = bazar_api::ApiError),
    (status = 415, description = "Neither UTF-8 nor GB18030 text", body = bazar_api::ApiError),
    (status = 422, description = "A needed column is missing", body = bazar_api::ApiError),
))]
pub async fn import_families(
    State(state): State<AppState>,
    Operator(op): Operator,
    QueryOf(query): QueryOf<ImportQuery>,
    body: Bytes,
) -> Result<Json<ImportReport>, AppError> {
    let text = decode_csv(&body)
        .ok_or_else(|| AppError::WrongMediaType("the file is neither UTF-8 nor GB18030 (GBK) text".into()))?;
    let rows = family_rows(&text)?;
    let dry_run = query.dry_run.unwrap_or(false);
    Ok(Json(
        state.store.import_families(&op, op.hub_id, rows, dry_run).await?,
    ))
}

/// The template of a family list: the columns and one example row, in
/// UTF-8 with a byte-order mark so that Excel opens it right.
#[utoipa::path(get, path = "/api/center/families/import-template.csv", responses(
    crate::responses::Operators,
    (status = 200, description = "CSV", content_type = "text/csv"),
))]
pub async fn import_template(Operator(_op): Operator) -> Result<Response, AppError> {
    let example = [
        "تۇرسۇن ئائىلىسى",
        "吐尔逊家",
        "Tursun family",
        "يۇلتۇز باغ",
        "尤勒图兹巴格村",
        "Yultuz Bagh",
        "TRS",
        "",
        "",
        "",
    ];
    let csv = csv_of([
        IMPORT_COLUMNS.map(String::from).to_vec(),
        example.map(String::from).to_vec(),
    ])?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"families.csv\"",
            ),
        ],
        format!("\u{feff}{csv}"),
    )
        .into_response())
}

/// The hub's delivery zones, retired ones too.
#[utoipa::path(get, path = "/api/center/zones", responses(
    crate::responses::Operators,
    (status = 200, description = "The zones in their order", body = Vec<ZoneForm>),
))]
pub async fn zones(
    State(state): State<AppState>,
    Operator(op): Operator,
) -> Result<Json<Vec<ZoneForm>>, AppError> {
    Ok(Json(state.store.hub_zones(op.hub_id).await?))
}

/// A new delivery zone, offered at checkout from now on.
#[utoipa::path(post, path = "/api/center/zones", request_body = ZoneForm, responses(
    crate::responses::Operators, crate::responses::Json, crate::responses::Invalid,
    (status = 201, description = "The zone", body = ZoneForm),
))]
pub async fn add_zone(
    State(state): State<AppState>,
    Operator(op): Operator,
    JsonBody(zone): JsonBody<ZoneForm>,
) -> Result<Response, AppError> {
    zone.validate().map_err(AppError::Validation)?;
    Ok(created_answer(state.store.add_zone(&op, op.hub_id, &zone).await?))
}

/// Changes a zone; orders placed keep the fee they were placed with.
#[utoipa::path(put, path = "/api/center/zones/{id}", request_body = ZoneForm,
    params(("id" = i64, Path, description = "The zone")), responses(
    crate::responses::Operators, crate::responses::Json, crate::responses::Invalid,
    (status = 200, description = "The zone", body = ZoneForm),
    (status = 404, description = "No such zone in this hub", body = bazar_api::ApiError),
))]
pub async fn edit_zone(
    State(state): State<AppState>,
    Operator(op): Operator,
    PathOf(id): PathOf<i64>,
    JsonBody(zone): JsonBody<ZoneForm>,
) -> Result<Json<ZoneForm>, AppError> {
    zone.validate().map_err(AppError::Validation)?;
    let zone = state.store.edit_zone(&op, op.hub_id, id, Some(&zone)).await?;
    Ok(Json(zone.ok_or(AppError::NotFound)?))
}

/// Retires a zone: no longer offered at checkout; its orders keep it.
#[utoipa::path(post, path = "/api/center/zones/{id}/retire", params(("id" = i64, Path, description = "The zone")), responses(
    crate::responses::Operators, crate::responses::Malformed,
    (status = 200, description = "The zone", body = ZoneForm),
    (status = 404, description = "No such zone in this hub", body = bazar_api::ApiError),
))]
pub async fn retire_zone(
    State(state): State<AppState>,
    Operator(op): Operator,
    PathOf(id): PathOf<i64>,
) -> Result<Json<ZoneForm>, AppError> {
    let zone = state.store.edit_zone(&op, op.hub_id, id, None).await?;
    Ok(Json(zone.ok_or(AppError::NotFound)?))
}

/// Every product of the hub's families, in every state.
#[utoipa::path(get, path = "/api/center/products", responses(
    crate::responses::Operators,
    (status = 200, description = "The products, oldest first", body = Vec<Listing>),
))]
pub async fn products(
    State(state): State<AppState>,
    Operator(op): Operator,
) -> Result<Json<Vec<Listing>>, AppError> {
    Ok(Json(state.store.hub_products(op.hub_id).await?))
}

/// Corrects a product: names, unit, price (orders already placed keep
/// theirs) and how many it has in stock, or makes a week.
#[utoipa::path(put, path = "/api/center/products/{id}", request_body = ProductEdit,
    params(("id" = i64, Path, description = "The product")), responses(
    crate::responses::Operators, crate::responses::Json, crate::responses::Invalid,
    (status = 200, description = "The product", body = Listing),
    (status = 404, description = "No such product in this hub", body = bazar_api::ApiError),
))]
pub async fn edit_product(
    State(state): State<AppState>,
    Operator(op): Operator,
    PathOf(id): PathOf<i64>,
    JsonBody(edit): JsonBody<ProductEdit>,
) -> Result<Json<Listing>, AppError> {
    edit.validate().map_err(AppError::Validation)?;
    let product = state
        .store
        .edit_product(&op, op.hub_id, id, &edit, current_week())
        .await?;
    Ok(Json(product.ok_or(AppError::NotFound)?))
}

/// Pauses (not offered, shown as not available now), resumes or retires
/// (for good) a product of the hub.
#[utoipa::path(post, path = "/api/center/products/{id}/{action}", params(
    ("id" = i64, Path, description = "The product"),
    ("action" = String, Path, description = "`pause`, `resume` or `retire`"),
), responses(
    crate::responses::Operators, crate::responses::Malformed,
    (status = 200, description = "The product", body = Listing),
    (status = 404, description = "No such product in this hub, or no such action", body = bazar_api::ApiError),
))]
pub async fn act_on_product(
    State(state): State<AppState>,
    Operator(op): Operator,
    PathOf((id, action)): PathOf<(i64, String)>,
) -> Result<Json<Listing>, AppError> {
    let action = ProductAction::parse(&action).ok_or(AppError::NotFound)?;
    let product = state
        .store
        .act_on_product(&op, Owner::Hub(op.hub_id), id, action)
        .await?;
    Ok(Json(product.ok_or(AppError::NotFound)?))
}

/// The family's phone: how many of its product it has now, in stock or
/// this week (what was ordered this week stays ordered).
#[utoipa::path(post, path = "/api/seller/products/{id}/count", request_body = Count,
    params(("id" = i64, Path, description = "The family's product")), responses(
    crate::responses::Families, crate::responses::Json, crate::responses::Invalid,
    (status = 200, description = "The product", body = Listing),
    (status = 404, description = "Not a product of this family", body = bazar_api::ApiError),
))]
pub async fn family_count(
    State(state): State<AppState>,
    session: FamilySession,
    PathOf(id): PathOf<i64>,
    JsonBody(body): JsonBody<Count>,
) -> Result<Json<Listing>, AppError> {
    if body.count > MAX_COUNT {
        return Err(AppError::Validation(vec![FieldError::new(
            "count",
            "out_of_range",
        )]));
    }
    let owner = Owner::Family(session.family_id);
    let product = state
        .store
        .set_count(&session.account, owner, id, body.count, current_week())
        .await?;
    Ok(Json(product.ok_or(AppError::NotFound)?))
}

/// The family's phone: pauses or resumes one of its products.
#[utoipa::path(post, path = "/api/seller/products/{id}/{action}", params(
    ("id" = i64, Path, description = "The family's product"),
    ("action" = String, Path, description = "`pause` or `resume`"),
), responses(
    crate::responses::Families, crate::responses::Malformed,
    (status = 200, description = "The product", body = Listing),
    (status = 404, description = "Not a product of this family, or no such action", body = bazar_api::ApiError),
))]
pub async fn family_pause(
    State(state): State<AppState>,
    session: FamilySession,
    PathOf((id, action)): PathOf<(i64, String)>,
) -> Result<Json<Listing>, AppError> {
    let action = match ProductAction::parse(&action) {
        Some(a @ (ProductAction::Pause | ProductAction::Resume)) => a,
        _ => return Err(AppError::NotFound),
    };
    let owner = Owner::Family(session.family_id);
    let product = state
        .store
        .act_on_product(&session.account, owner, id, action)
        .await?;
    Ok(Json(product.ok_or(AppError::NotFound)?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Only changes by this account (`operator:aynur.ops`).
    #[param(max_length = 64)]
    actor: Option<String>,
    /// Only changes of this object (`family:12`).
    #[param(max_length = 64)]
    object: Option<String>,
    /// Only changes on this day (YYYY-MM-DD, UTC).
    #[param(pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    day: Option<String>,
}

fn audit_filter(query: AuditQuery) -> Result<AuditFilter, AppError> {
    let some = |s: Option<String>| s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let filter = AuditFilter {
        actor: some(query.actor),
        object: some(query.object),
        day: query.day,
    };
    let too_long = [&filter.actor, &filter.object]
        .iter()
        .any(|s| s.as_ref().is_some_and(|s| s.len() > 64));
    // A day given is a day (an empty one too is refused, as documented).
    let bad_day = filter.day.as_deref().is_some_and(|d| !crate::center::is_day(d));
    if too_long || bad_day {
        return Err(AppError::BadRequest(
            "actor and object are at most 64 bytes, day is YYYY-MM-DD".into(),
        ));
    }
    Ok(filter)
}

/// The hub's audit log, newest first (at most 500 entries), filtered by
/// person, object and day.
#[utoipa::path(get, path = "/api/center/audit", params(AuditQuery), responses(
    crate::responses::Operators, crate::responses::Malformed,
    (status = 200, description = "The entries, newest first", body = Vec<AuditEntry>),
))]
pub async fn audit(
    State(state): State<AppState>,
    Operator(op): Operator,
    QueryOf(query): QueryOf<AuditQuery>,
) -> Result<Json<Vec<AuditEntry>>, AppError> {
    Ok(Json(state.store.audit(op.hub_id, &audit_filter(query)?).await?))
}

/// The audit log as CSV (UTF-8), filtered as `/api/center/audit`.
#[utoipa::path(get, path = "/api/center/audit.csv", params(AuditQuery), responses(
    crate::responses::Operators, crate::responses::Malformed,
    (status = 200, description = "CSV", content_type = "text/csv"),
))]
pub async fn audit_csv(
    State(state): State<AppState>,
    Operator(op): Operator,
    QueryOf(query): QueryOf<AuditQuery>,
) -> Result<Response, AppError> {
    let entries = state.store.audit(op.hub_id, &audit_filter(query)?).await?;
    let header = ["at", "actor", "object", "action", "old", "new"]
        .map(String::from)
        .to_vec();
    let rows = entries.into_iter().map(|e| {
        vec![
            e.at,
            inert(&e.actor),
            inert(&e.object),
            inert(&e.action),
            inert(e.old.as_deref().unwrap_or("")),
            inert(e.new.as_deref().unwrap_or("")),
        ]
    });
    let csv = csv_of(std::iter::once(header).chain(rows))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"audit.csv\""),
        ],
        csv,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "name_ug,name_zh,name_en,village_ug,village_zh,village_en,stamp,phone\n";

    #[test]
    fn a_list_is_read_from_utf8_with_or_without_bom_and_from_gbk() {
        let text = format!("{HEADER}ئايگۈل,阿依古丽家,Aygul,باغ,巴格村,Bagh,ayg,13800138000\n");
        let plain = decode_csv(text.as_bytes()).unwrap();
        let with_bom = decode_csv(&[b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat()).unwrap();
        // GBK can't write the Uyghur script: a Chinese center's file has the
        // Chinese and Latin columns.
        let chinese = format!("{HEADER}x,阿依古丽家,Aygul,x,巴格村,Bagh,ayg,\n");
        let (gbk, _, unmappable) = encoding_rs::GBK.encode(&chinese);
        assert!(!unmappable);
        assert!(
            std::str::from_utf8(&gbk).is_err(),
            "the test file must not be UTF-8"
        );
        assert_eq!(decode_csv(&gbk).unwrap(), chinese);
        assert_eq!(plain, with_bom);
        let rows = family_rows(&plain).unwrap();
        let form = rows[0].1.as_ref().unwrap();
        assert_eq!(
            (rows[0].0, form.stamp.as_str(), form.names.zh.as_str()),
            (2, "AYG", "阿依古丽家")
        );
        assert_eq!(decode_csv(b"\xff\xfe\x00"), None);
    }

    #[test]
    fn bad_rows_say_why_and_missing_columns_refuse_the_file() {
        let text = format!("{HEADER}a,b,c,d,e,f,TOOLONG,123\n\n,,,,,,,\na,b,c,d,e,f,OK\n");
        let rows = family_rows(&text).unwrap();
        assert_eq!(rows.len(), 2, "blank rows are skipped");
        let errors = rows[0].1.as_ref().unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["phone", "stamp"]);
        assert_eq!(rows[1].0, 5);
        assert!(rows[1].1.is_ok());
        match family_rows("name_zh,stamp\nx,AB\n") {
            Err(AppError::Validation(fields)) => assert_eq!(fields.len(), 5),
            other => panic!("expected missing columns, got {:?}", other.map(|r| r.len())),
        }
    }

    #[test]
    fn a_list_has_at_most_its_limit_of_rows() {
        let row = "a,b,c,d,e,f,AB\n";
        let at_limit = format!("{HEADER}{}", row.repeat(MAX_IMPORT_ROWS));
        assert_eq!(family_rows(&at_limit).unwrap().len(), MAX_IMPORT_ROWS);
        let over = format!("{HEADER}{}", row.repeat(MAX_IMPORT_ROWS + 1));
        assert!(matches!(family_rows(&over), Err(AppError::TooLarge(_))));
    }
}
