//! Signing in and out, sessions in an HttpOnly cookie, the role checks every
//! protected route makes, password hashing, and the cross-site request guard.

use std::sync::OnceLock;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use axum::Json;
use axum::body::Body;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, Request, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bazar_api::account::{KeyCardSignIn, Me, Role, SignIn};
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::client::Client;
use crate::error::AppError;
use crate::extract::JsonBody;
use crate::store::Account;

/// The session cookie's name.
pub const COOKIE: &str = "bazar_session";

/// How long a staff session lasts: one working day.
const STAFF_HOURS: u32 = 12;
/// How long a family's phone stays signed in; revoking the card ends it sooner.
const FAMILY_HOURS: u32 = 24 * 90;

/// 256 random bits as 64 hex digits: session tokens and key-card tokens.
pub fn random_secret() -> String {
    crate::store::random_hex::<32>()
}

/// A new password for a staff account: 20 characters from an alphabet
/// without look-alikes (about 119 bits), easy to type from a printout.
pub fn random_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut out = String::with_capacity(20);
    while out.len() < 20 {
        let mut byte = [0u8; 1];
        getrandom::getrandom(&mut byte).expect("the OS random source works");
        // Rejection sampling keeps every character equally likely.
        let limit = 256 - 256 % ALPHABET.len();
        if usize::from(byte[0]) < limit {
            out.push(char::from(ALPHABET[usize::from(byte[0]) % ALPHABET.len()]));
        }
    }
    out
}

/// What the store keeps of a token: its SHA-256. Tokens carry 256 random
/// bits, so a fast hash is enough.
pub fn hash_token(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Argon2id with OWASP's parameters: 19 MiB, 2 passes, 1 lane.
fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// The PHC string of `password` with a fresh salt. Slow on purpose: call it
/// off the async threads (see [`hash_password_blocking`]).
pub fn hash_password(password: &str) -> String {
    let mut salt = [0u8; 16];
    getrandom::getrandom(&mut salt).expect("the OS random source works");
    let salt = SaltString::encode_b64(&salt).expect("16 bytes make a salt");
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 hashes any password")
        .to_string()
}

/// [`hash_password`] on a blocking thread.
pub async fn hash_password_blocking(password: String) -> String {
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .expect("hashing does not panic")
}

/// Whether `password` matches `hash`, on a blocking thread. Without an
/// account a dummy hash is checked, so unknown usernames take as long.
async fn verify_password(hash: Option<String>, password: String) -> bool {
    static DUMMY: OnceLock<String> = OnceLock::new();
    tokio::task::spawn_blocking(move || {
        let known = hash.is_some();
        let hash = hash.unwrap_or_else(|| DUMMY.get_or_init(|| hash_password(&random_secret())).clone());
        let ok = PasswordHash::new(&hash)
            .map(|parsed| argon2().verify_password(password.as_bytes(), &parsed).is_ok())
            .unwrap_or(false);
        known && ok
    })
    .await
    .unwrap_or(false)
}

/// The session token the browser sent, if any.
pub(crate) fn session_token(headers: &HeaderMap) -> Option<String> {
    cookie(headers, COOKIE)
}

/// The value of the cookie `name` when it is a token: 64 hex digits.
fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_string())
        .filter(|t| t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Whether the request came to us over HTTPS (through a TLS proxy).
pub fn over_https(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"https"))
}

/// The origin printed on cards and labels: `BAZAR_PUBLIC_URL`, or else the
/// one the browser reached us on.
pub fn public_origin(state: &AppState, headers: &HeaderMap) -> String {
    if let Some(url) = &state.public_url {
        return url.clone();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'))
        })
        .unwrap_or("localhost");
    let scheme = if state.over_https(headers) {
        "https"
    } else {
        "http"
    };
    format!("{scheme}://{host}")
}

fn session_cookie(token: &str, hours: u32, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{secure}",
        u64::from(hours) * 3600
    ))
    .expect("a cookie of hex digits is a valid header")
}

fn clear_cookie(secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{secure}"
    ))
    .expect("a valid header")
}

pub(crate) fn me(account: &Account) -> Me {
    Me {
        role: account.role,
        name: account.name.clone(),
        hub: account.hub_slug.clone(),
        family_id: account.family_id,
    }
}

/// Starts a session for `account_id` and answers with who signed in and the cookie.
async fn start(
    state: &AppState,
    headers: &HeaderMap,
    account_id: i64,
    key_card_id: Option<i64>,
    hours: u32,
) -> Result<Response, AppError> {
    let token = random_secret();
    let old = session_token(headers).map(|t| hash_token(&t));
    let account = state
        .store
        .start_session(
            account_id,
            key_card_id,
            &hash_token(&token),
            old.as_deref(),
            hours,
        )
        .await?;
    let mut response = Json(me(&account)).into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        session_cookie(&token, hours, state.over_https(headers)),
    );
    Ok(response)
}

/// The device cookie's name: a random token a browser gets when it signs
/// an account in, so that later it is known as a device of that account.
pub const DEVICE_COOKIE: &str = "bazar_device";

/// Past this many failures on one username in the window (from anywhere),
/// sign-ins from devices that never signed it in wait this long first.
const SLOW_DOWN: std::time::Duration = std::time::Duration::from_secs(3);

/// How long a sign-in waits for a free hashing slot before answering 429.
const HASH_WAIT: std::time::Duration = std::time::Duration::from_secs(1);

fn device_cookie(token: &str, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{DEVICE_COOKIE}={token}; Path=/api/auth; HttpOnly; SameSite=Strict; Max-Age=31536000{secure}"
    ))
    .expect("a cookie of hex digits is a valid header")
}

/// How long sign-in attempts count (seconds), and how many may fail in it:
/// from one address, and on one username from one address. Failures on one
/// username from anywhere past [`ACCOUNT_FAILURES_BEFORE_SLOW_DOWN`] slow
/// it down. Counted in the database, so every server counts the same.
const ATTEMPT_WINDOW: i64 = 15 * 60;
const FAILURES_PER_ADDRESS: u32 = 10;
const FAILURES_PER_ACCOUNT_ADDRESS: u32 = 5;

fn now_seconds() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// Counts an attempt on each of `keys` before it is made (given back with
/// [`give_back`] when it succeeds), or refuses it with 429.
async fn reserve(state: &AppState, keys: Vec<(String, u32)>) -> Result<Vec<i64>, AppError> {
    if !state.rate_limits {
        return Ok(Vec::new());
    }
    state
        .store
        .reserve_attempts(&keys, now_seconds(), ATTEMPT_WINDOW)
        .await?
        .map_err(|retry_after| AppError::TooManyRequests { retry_after })
}

/// Gives back the attempts [`reserve`] counted: the sign-in succeeded.
async fn give_back(state: &AppState, reserved: &[i64]) -> Result<(), AppError> {
    if !reserved.is_empty() {
        state.store.release_attempts(reserved).await?;
    }
    Ok(())
}

/// Signs an operator or trainer in with a username and password.
///
/// Every attempt is counted before its password is hashed (given back when
/// it succeeds), so attempts sent all at once can't outrun the limits: 10
/// failures from one address, 5 on one username from one address. Failures
/// on one username from anywhere past 50 slow it down, but never lock it:
/// a browser that signed the account in before (its device cookie) goes
/// straight through. At most as many hashes run as there are cores; a
/// sign-in that finds none free within a second gets 429.
#[utoipa::path(post, path = "/api/auth/sign-in", request_body = SignIn, responses(
    (status = 200, description = "Signed in; the session cookie is set", body = Me),
    (status = 400, description = "The body is not JSON", body = bazar_api::ApiError),
    (status = 401, description = "Unknown username or wrong password", body = bazar_api::ApiError),
    (status = 415, description = "The body must be application/json", body = bazar_api::ApiError),
    (status = 422, description = "Malformed body", body = bazar_api::ApiError),
    (status = 429, description = "Too many failed sign-ins, or too many at once; see Retry-After", body = bazar_api::ApiError),
))]
pub async fn sign_in(
    State(state): State<AppState>,
    Client(client): Client,
    headers: HeaderMap,
    JsonBody(request): JsonBody<SignIn>,
) -> Result<Response, AppError> {
    let too_many = |retry_after| AppError::TooManyRequests { retry_after };
    let username = request.username.trim().to_ascii_lowercase();
    if username.len() > 64 || request.password.len() > 256 {
        return Err(AppError::Unauthorized);
    }
    let found = state.store.password_of(&username).await?;
    let device = cookie(&headers, DEVICE_COOKIE);
    let known_device = match (&found, &device) {
        (Some((id, _)), Some(token)) => state.store.is_trusted_device(*id, &hash_token(token)).await?,
        _ => false,
    };

    let mut keys = vec![(format!("address:{client}"), FAILURES_PER_ADDRESS)];
    if !known_device {
        keys.push((
            format!("account-address:{username} {client}"),
            FAILURES_PER_ACCOUNT_ADDRESS,
        ));
    }
    let reserved = reserve(&state, keys).await?;
    let account_key = format!("account:{username}");
    if !known_device
        && state.rate_limits
        && state
            .store
            .attempts(&account_key, now_seconds(), ATTEMPT_WINDOW)
            .await?
            >= ACCOUNT_FAILURES_BEFORE_SLOW_DOWN
    {
        tokio::time::sleep(SLOW_DOWN).await;
    }
    let Ok(Ok(hashing)) = tokio::time::timeout(HASH_WAIT, state.hashing.clone().acquire_owned()).await else {
        give_back(&state, &reserved).await?;
        return Err(too_many(1));
    };
    let (id, hash) = match found {
        Some((id, hash)) => (Some(id), Some(hash)),
        None => (None, None),
    };
    let verified = verify_password(hash, request.password).await;
    drop(hashing);
    match (id, verified) {
        (Some(id), true) => {
            give_back(&state, &reserved).await?;
            let mut response = start(&state, &headers, id, None, STAFF_HOURS).await?;
            if !known_device {
                let token = random_secret();
                state.store.trust_device(id, &hash_token(&token)).await?;
                response.headers_mut().append(
                    header::SET_COOKIE,
                    device_cookie(&token, state.over_https(&headers)),
                );
            }
            Ok(response)
        }
        _ => {
            if state.rate_limits {
                state.store.record_attempt(&account_key, now_seconds()).await?;
            }
            tracing::info!(ip = %client, "failed sign-in");
            Err(AppError::Unauthorized)
        }
    }
}

/// See [`sign_in`]: the failures on one username past which it slows down.
const ACCOUNT_FAILURES_BEFORE_SLOW_DOWN: u32 = 50;

/// Signs a family's phone in with the token of its printed key card.
/// Attempts are counted per address before the card is looked up (given
/// back when it works): the token can't be guessed, and no one can lock a
/// family out by failing on purpose.
#[utoipa::path(post, path = "/api/auth/key-card", request_body = KeyCardSignIn, responses(
    (status = 200, description = "Signed in; the session cookie is set", body = Me),
    (status = 400, description = "The body is not JSON", body = bazar_api::ApiError),
    (status = 401, description = "Unknown or revoked card", body = bazar_api::ApiError),
    (status = 415, description = "The body must be application/json", body = bazar_api::ApiError),
    (status = 422, description = "Malformed body", body = bazar_api::ApiError),
    (status = 429, description = "Too many failed sign-ins; see Retry-After", body = bazar_api::ApiError),
))]
pub async fn key_card_sign_in(
    State(state): State<AppState>,
    Client(client): Client,
    headers: HeaderMap,
    JsonBody(request): JsonBody<KeyCardSignIn>,
) -> Result<Response, AppError> {
    let reserved = reserve(&state, vec![(format!("address:{client}"), FAILURES_PER_ADDRESS)]).await?;
    let token = request.token.trim().to_ascii_lowercase();
    let card = if token.len() == 64 {
        state.store.key_card(&hash_token(&token)).await?
    } else {
        None
    };
    match card {
        Some((account, card)) => {
            give_back(&state, &reserved).await?;
            start(&state, &headers, account, Some(card), FAMILY_HOURS).await
        }
        None => Err(AppError::Unauthorized),
    }
}

/// Who is signed in: the account, or `null` when nobody is. Being signed
/// out is a state the apps ask about on every start, not an error (a 401
/// would be logged as one by every browser).
#[utoipa::path(get, path = "/api/auth/me", responses(
    (status = 200, description = "The signed-in account, or null when signed out", body = Option<Me>),
))]
pub async fn who(session: Option<Session>) -> Json<Option<Me>> {
    Json(session.map(|Session(account)| me(&account)))
}

/// Signs this browser out.
#[utoipa::path(post, path = "/api/auth/sign-out", responses(
    (status = 204, description = "Signed out; the cookie is cleared"),
))]
pub async fn sign_out(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, AppError> {
    if let Some(token) = session_token(&headers) {
        state.store.end_session(&hash_token(&token)).await?;
    }
    Ok((
        StatusCode::NO_CONTENT,
        [(header::SET_COOKIE, clear_cookie(state.over_https(&headers)))],
    )
        .into_response())
}

/// Ends every session of the signed-in account, on every device.
#[utoipa::path(post, path = "/api/auth/sign-out-everywhere", responses(
    (status = 204, description = "Every session ended"),
    crate::responses::SignedIn,
))]
pub async fn sign_out_everywhere(
    State(state): State<AppState>,
    headers: HeaderMap,
    Session(account): Session,
) -> Result<Response, AppError> {
    state.store.end_sessions_of(account.id).await?;
    Ok((
        StatusCode::NO_CONTENT,
        [(header::SET_COOKIE, clear_cookie(state.over_https(&headers)))],
    )
        .into_response())
}

/// Any signed-in account; 401 without a live session.
pub struct Session(pub Account);

impl FromRequestParts<AppState> for Session {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let token = session_token(&parts.headers).ok_or(AppError::Unauthorized)?;
        let account = state
            .store
            .session(&hash_token(&token))
            .await?
            .ok_or(AppError::Unauthorized)?;
        Ok(Session(account))
    }
}

/// `Option<Session>`: `None` when signed out (or the session ended); a
/// failing database is still an error.
impl axum::extract::OptionalFromRequestParts<AppState> for Session {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Option<Self>, Self::Rejection> {
        match <Session as FromRequestParts<AppState>>::from_request_parts(parts, state).await {
            Ok(session) => Ok(Some(session)),
            Err(AppError::Unauthorized) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// A signed-in operator, or an admin working in a hub (as its operator);
/// 403 for other roles, 409 for an admin who hasn't chosen a hub.
pub struct Operator(pub Account);

impl FromRequestParts<AppState> for Operator {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let Session(account) = Session::from_request_parts(parts, state).await?;
        match account.role {
            Role::Operator => Ok(Operator(account)),
            Role::Admin if account.hub_id != 0 => Ok(Operator(account)),
            Role::Admin => Err(AppError::Conflict("choose a hub to work in first".into())),
            _ => Err(AppError::Forbidden),
        }
    }
}

/// A signed-in platform admin; 403 for other roles.
pub struct Admin(pub Account);

impl FromRequestParts<AppState> for Admin {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let Session(account) = Session::from_request_parts(parts, state).await?;
        if account.role != Role::Admin {
            return Err(AppError::Forbidden);
        }
        Ok(Admin(account))
    }
}

/// A signed-in trainer; 403 for other roles.
pub struct Trainer(pub Account);

impl FromRequestParts<AppState> for Trainer {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let Session(account) = Session::from_request_parts(parts, state).await?;
        if account.role != Role::Trainer {
            return Err(AppError::Forbidden);
        }
        Ok(Trainer(account))
    }
}

/// A signed-in family, with its id; 403 for other roles.
pub struct FamilySession {
    pub account: Account,
    pub family_id: i64,
}

impl FromRequestParts<AppState> for FamilySession {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let Session(account) = Session::from_request_parts(parts, state).await?;
        match (account.role, account.family_id) {
            (Role::Family, Some(family_id)) => Ok(FamilySession { account, family_id }),
            _ => Err(AppError::Forbidden),
        }
    }
}

/// Lets a request that changes something through only when it says it
/// comes from this site: `Sec-Fetch-Site: same-origin` (every current
/// browser sends it), or an `Origin` of this host (older browsers send it
/// on every POST). A request that says neither, or says another site, is
/// refused: with the SameSite=Strict cookie, no page elsewhere, and no form
/// or `text/plain` request without these headers, can act for a signed-in
/// user.
pub async fn cross_site_guard(request: Request<Body>, next: axum::middleware::Next) -> Response {
    if matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(request).await;
    }
    if same_origin(request.headers()) {
        next.run(request).await
    } else {
        AppError::CrossSite.into_response()
    }
}

/// Whether the browser says this request comes from this site (see
/// [`cross_site_guard`]). What one header says against the other is refused.
fn same_origin(headers: &HeaderMap) -> bool {
    let site = headers
        .get("sec-fetch-site")
        .map(|v| matches!(v.as_bytes(), b"same-origin" | b"none"));
    let origin = headers.get(header::ORIGIN).map(|origin| {
        let host = headers.get(header::HOST).map(HeaderValue::as_bytes);
        let origin = origin.as_bytes();
        let authority = origin
            .strip_prefix(b"https://")
            .or_else(|| origin.strip_prefix(b"http://"));
        authority.is_some() && authority == host
    });
    match (site, origin) {
        (None, None) => false,
        (site, origin) => site.unwrap_or(true) && origin.unwrap_or(true),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_themselves() {
        let hash = hash_password("correct horse battery");
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        let parsed = PasswordHash::new(&hash).unwrap();
        assert!(
            argon2()
                .verify_password(b"correct horse battery", &parsed)
                .is_ok()
        );
        assert!(
            argon2()
                .verify_password(b"correct horse batterY", &parsed)
                .is_err()
        );
        assert_ne!(hash, hash_password("correct horse battery"), "salted");
    }

    #[test]
    fn only_what_says_it_is_from_this_site_may_change_anything() {
        let headers = |pairs: &[(&'static str, &'static str)]| {
            let mut map = HeaderMap::new();
            map.insert(header::HOST, HeaderValue::from_static("shop.example"));
            for (name, value) in pairs {
                map.insert(*name, HeaderValue::from_static(value));
            }
            map
        };
        assert!(same_origin(&headers(&[("sec-fetch-site", "same-origin")])));
        assert!(same_origin(&headers(&[("origin", "https://shop.example")])));
        assert!(same_origin(&headers(&[
            ("sec-fetch-site", "same-origin"),
            ("origin", "http://shop.example")
        ])));
        assert!(!same_origin(&headers(&[])), "neither header");
        assert!(!same_origin(&headers(&[("content-type", "text/plain")])));
        assert!(!same_origin(&headers(&[("sec-fetch-site", "cross-site")])));
        assert!(!same_origin(&headers(&[("origin", "https://evil.example")])));
        assert!(!same_origin(&headers(&[
            ("sec-fetch-site", "same-origin"),
            ("origin", "https://evil.example")
        ])));
        assert!(!same_origin(&headers(&[("origin", "null")])));
    }

    #[test]
    fn reads_the_session_cookie() {
        let token = random_secret();
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_str(&format!("a=1; {COOKIE}={token}; b=2")).unwrap(),
        );
        assert_eq!(session_token(&headers), Some(token));
        headers.insert(header::COOKIE, HeaderValue::from_static("bazar_session=../../x"));
        assert_eq!(session_token(&headers), None);
    }
}
