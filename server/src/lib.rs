//! The Bazar server: the JSON API under /api, on the store, and the app's
//! static files with a single-page fallback.

pub mod api;
pub mod auth;
pub mod catalog;
pub mod center;
pub mod client;
pub mod config;
pub mod error;
pub mod extract;
pub mod headers;
pub mod lecture;
pub mod limit;
pub mod listen;
pub mod manage;
pub mod payment;
pub mod photos;
pub mod qr;
pub mod responses;
pub mod seller;
pub mod store;
pub mod tutor;
pub mod web;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use tower_http::compression::CompressionLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use config::Config;
pub use store::Store;

/// The largest request body the API accepts. Photo uploads get their own,
/// larger limit on their route.
pub const BODY_LIMIT: usize = 64 * 1024;

/// How long a request may take before the server answers 408.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(20);

/// What every handler can reach. Cloned for every request, so it is one
/// reference-counted pointer to the shared parts.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// The parts of [`AppState`].
#[derive(Clone)]
pub struct Shared {
    pub store: Store,
    /// Trace look-ups per address.
    pub trace_limiter: Arc<limit::RateLimiter>,
    /// Order placements per address.
    pub order_limiter: Arc<limit::RateLimiter>,
    /// Whether the limits are on: sign-in attempts are counted in the
    /// database (shared by every server, see `auth.rs`), the others here.
    pub rate_limits: bool,
    /// Passwords hashed at once (each takes 19 MiB for a moment).
    pub hashing: Arc<tokio::sync::Semaphore>,
    /// Room look-ups and joins per address that found no room (codes
    /// can't be guessed).
    pub room_limiter: Arc<limit::RateLimiter>,
    /// Photos per family an hour.
    pub photo_uploads: Arc<limit::RateLimiter<i64>>,
    /// Photo uploads being read, and being decoded.
    pub photos_reading: Arc<tokio::sync::Semaphore>,
    pub photos_decoding: Arc<tokio::sync::Semaphore>,
    /// Where families' photos are stored (served at /uploads/).
    pub uploads: std::path::PathBuf,
    /// The live lectures of the tutor.
    pub lectures: lecture::Lectures,
    /// Becomes true when the server shuts down: endless answers (the
    /// lectures' event streams) end then, so shutting down never waits on them.
    pub closing: Arc<tokio::sync::watch::Sender<bool>>,
    /// The whole live catalog as JSON, with the catalog version and week it
    /// was read at: the home page's and the shop's most asked-for answer.
    pub catalog_cache: catalog::CatalogCache,
    /// Proxies whose `X-Forwarded-For` names the client (`BAZAR_TRUSTED_PROXIES`).
    pub trusted_proxies: client::TrustedProxies,
    /// The address the public reaches the server on (`BAZAR_PUBLIC_URL`):
    /// when it is https, cookies are always `Secure` and HSTS is sent.
    pub public_url: Option<String>,
}

impl AppState {
    /// Trace look-ups: 30 a minute from one address is plenty for a person
    /// with a basket of eggs, and far too slow to guess codes. Orders: 30 a
    /// minute from one address leaves room for a family's phones behind one
    /// mobile gateway and for retries, and stops a script from emptying the
    /// shelves with fake orders. Sign-ins: 10 failures in 15 minutes from
    /// one address, or 5 on one username from one address, make the next
    /// wait; 50 on one username from anywhere slow that username down for
    /// devices that never signed it in, without locking anyone out; key
    /// cards are only limited per address, so no one can lock a family out
    /// (their tokens can't be guessed anyway). Lecture rooms: 60 look-ups or
    /// joins a minute from one address that find no room; past them, the
    /// address waits (a classroom behind one gateway finds its room and is
    /// never counted).
    pub fn new(store: Store, rate_limits: bool) -> AppState {
        let limiter = |n, window| Arc::new(limit::RateLimiter::new(n, window, rate_limits));
        let minute = Duration::from_secs(60);
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        AppState(Arc::new(Shared {
            store,
            trace_limiter: limiter(30, minute),
            order_limiter: limiter(30, minute),
            rate_limits,
            hashing: Arc::new(tokio::sync::Semaphore::new(cores)),
            room_limiter: limiter(60, minute),
            photo_uploads: Arc::new(limit::RateLimiter::new(
                photos::PER_HOUR,
                Duration::from_secs(3600),
                rate_limits,
            )),
            photos_reading: Arc::new(tokio::sync::Semaphore::new(photos::READING_AT_ONCE)),
            photos_decoding: Arc::new(tokio::sync::Semaphore::new(1)),
            uploads: std::path::PathBuf::from("uploads"),
            lectures: lecture::Lectures::default(),
            closing: Arc::new(tokio::sync::watch::channel(false).0),
            catalog_cache: Default::default(),
            trusted_proxies: client::TrustedProxies::default(),
            public_url: None,
        }))
    }

    /// Stores photos in `dir` instead of `./uploads`.
    pub fn with_uploads(mut self, dir: impl Into<std::path::PathBuf>) -> AppState {
        Arc::make_mut(&mut self.0).uploads = dir.into();
        self
    }

    /// Believes `X-Forwarded-For` from these proxies.
    pub fn with_trusted_proxies(mut self, proxies: client::TrustedProxies) -> AppState {
        Arc::make_mut(&mut self.0).trusted_proxies = proxies;
        self
    }

    /// The public address, e.g. `https://bazar.example`.
    pub fn with_public_url(mut self, url: Option<String>) -> AppState {
        Arc::make_mut(&mut self.0).public_url = url.map(|u| u.trim_end_matches('/').to_string());
        self
    }

    /// Whether the public reaches the server over HTTPS: said by
    /// `BAZAR_PUBLIC_URL`, else by a TLS proxy's `X-Forwarded-Proto`.
    pub fn over_https(&self, headers: &axum::http::HeaderMap) -> bool {
        match &self.public_url {
            Some(url) => url.starts_with("https://"),
            None => auth::over_https(headers),
        }
    }
}

/// The whole application: tests call this to run the real router.
pub fn app(state: AppState, dist: &std::path::Path) -> Router {
    let store = state.store.clone();
    let https = state.public_url.as_ref().map(|url| url.starts_with("https://"));
    Router::new()
        // Photos keep their random names forever.
        .route(
            "/uploads/{name}",
            axum::routing::get(tutor::stored_photo).with_state(state.clone()),
        )
        .fallback_service(web::static_files(dist, store))
        .layer(CompressionLayer::new())
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        // The API compresses and bounds its own routes (the catalog its own way).
        .nest("/api", api::router(state.clone()))
        .merge(api::catalog(state))
        .layer(headers::SecurityHeadersLayer { https })
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(TraceLayer::new_for_http())
}

/// Serves `app` on `listener` until `shutdown` resolves, then lets running
/// requests finish and closes the database. Connections are bounded as
/// [`listen::Limits::for_this_process`] says.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    dist: &std::path::Path,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_with(
        listener,
        state,
        dist,
        listen::Limits::for_this_process(),
        shutdown,
    )
    .await
}

/// [`serve`] within other connection limits.
pub async fn serve_with(
    listener: tokio::net::TcpListener,
    state: AppState,
    dist: &std::path::Path,
    limits: listen::Limits,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let store = state.store.clone();
    let closing = state.closing.clone();
    let trusted = state.trusted_proxies.clone();
    let lectures = state.lectures.follow(store.clone());
    listen::serve(listener, app(state, dist), limits, trusted, async move {
        shutdown.await;
        closing.send_replace(true);
    })
    .await;
    lectures.abort();
    store.close().await;
    Ok(())
}
