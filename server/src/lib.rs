//! The Bazar server: the JSON API under /api, on the store, and the app's
//! static files with a single-page fallback.

pub mod api;
pub mod auth;
pub mod catalog;
pub mod center;
pub mod config;
pub mod error;
pub mod headers;
pub mod lecture;
pub mod limit;
pub mod payment;
pub mod photos;
pub mod qr;
pub mod seller;
pub mod store;
pub mod tutor;
pub mod web;

use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, header};
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
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
pub struct AppState(std::sync::Arc<Shared>);

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
    pub trace_limiter: std::sync::Arc<limit::RateLimiter>,
    /// Order placements per address.
    pub order_limiter: std::sync::Arc<limit::RateLimiter>,
    /// Failed sign-ins (passwords and key cards) per address.
    pub sign_in_failures: std::sync::Arc<limit::RateLimiter>,
    /// Failed password sign-ins per username, from any address.
    pub account_failures: std::sync::Arc<limit::RateLimiter<String>>,
    /// Where families' photos are stored (served at /uploads/).
    pub uploads: std::path::PathBuf,
    /// The live lectures of the tutor.
    pub lectures: lecture::Lectures,
    /// Becomes true when the server shuts down: endless answers (the
    /// lectures' event streams) end then, so shutting down never waits on them.
    pub closing: std::sync::Arc<tokio::sync::watch::Sender<bool>>,
    /// The whole live catalog as JSON, with the catalog version and week it
    /// was read at: the home page's and the shop's most asked-for answer.
    pub catalog_cache: catalog::CatalogCache,
}

impl AppState {
    /// Trace look-ups: 30 a minute from one address is plenty for a person
    /// with a basket of eggs, and far too slow to guess codes. Orders: 30 a
    /// minute from one address leaves room for a family's phones behind one
    /// mobile gateway and for retries, and stops a script from emptying the
    /// shelves with fake orders. Sign-ins: 10 failures in 15 minutes from
    /// one address, or 50 on one username from anywhere, make the next wait;
    /// key cards are only limited per address, so no one can lock a family
    /// out (their tokens can't be guessed anyway).
    pub fn new(store: Store, rate_limits: bool) -> AppState {
        let per_minute =
            |n| std::sync::Arc::new(limit::RateLimiter::new(n, Duration::from_secs(60), rate_limits));
        let quarter_hour = Duration::from_secs(15 * 60);
        AppState(std::sync::Arc::new(Shared {
            store,
            trace_limiter: per_minute(30),
            order_limiter: per_minute(30),
            sign_in_failures: std::sync::Arc::new(limit::RateLimiter::new(10, quarter_hour, rate_limits)),
            account_failures: std::sync::Arc::new(limit::RateLimiter::new(50, quarter_hour, rate_limits)),
            uploads: std::path::PathBuf::from("uploads"),
            lectures: lecture::Lectures::default(),
            closing: std::sync::Arc::new(tokio::sync::watch::channel(false).0),
            catalog_cache: Default::default(),
        }))
    }

    /// Stores photos in `dir` instead of `./uploads`.
    pub fn with_uploads(mut self, dir: impl Into<std::path::PathBuf>) -> AppState {
        std::sync::Arc::make_mut(&mut self.0).uploads = dir.into();
        self
    }
}

/// The whole application: tests call this to run the real router.
pub fn app(state: AppState, dist: &std::path::Path) -> Router {
    let uploads = tower_http::services::ServeDir::new(&state.uploads);
    let store = state.store.clone();
    Router::new()
        // Photos keep their random names forever.
        .nest_service(
            "/uploads",
            tower::ServiceBuilder::new()
                .layer(SetResponseHeaderLayer::overriding(
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("public, max-age=31536000, immutable"),
                ))
                .service(uploads),
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
        .layer(headers::SecurityHeadersLayer)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(TraceLayer::new_for_http())
}

/// Serves `app` on `listener` until `shutdown` resolves, then lets running
/// requests finish and closes the database.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    dist: &std::path::Path,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let store = state.store.clone();
    let closing = state.closing.clone();
    let service = app(state, dist).into_make_service_with_connect_info::<std::net::SocketAddr>();
    let result = axum::serve(listener, service)
        .with_graceful_shutdown(async move {
            shutdown.await;
            closing.send_replace(true);
        })
        .await;
    store.close().await;
    result
}
