//! The security headers every answer carries, set in one pass.
//!
//! One hand-written layer instead of a stack of `SetResponseHeaderLayer`s and
//! a `from_fn` middleware: the catalog is asked for thousands of times a
//! second, and each wrapper around it costs a future and a poll.

use axum::http::{HeaderValue, Request, Response, header};
use pin_project_lite::pin_project;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

/// Adds to every response:
/// - `X-Content-Type-Options: nosniff`;
/// - `Referrer-Policy: no-referrer` (tracking links carry a private token);
/// - `X-Frame-Options: DENY` unless the handler set its own (the sellers'
///   app may be framed by its own lecture view);
/// - `Content-Security-Policy: default-src 'none'; frame-ancestors 'none'`
///   unless the handler set its own (JSON and files are never pages; the
///   apps' pages set their policy);
/// - `Strict-Transport-Security` when the public address is https
///   (`BAZAR_PUBLIC_URL`), or without one when the request came over HTTPS
///   through a proxy (`X-Forwarded-Proto: https`).
#[derive(Clone, Copy, Debug, Default)]
pub struct SecurityHeadersLayer {
    /// What `BAZAR_PUBLIC_URL` says: always https, never, or ask the proxy.
    pub https: Option<bool>,
}

impl<S> tower::Layer<S> for SecurityHeadersLayer {
    type Service = SecurityHeaders<S>;

    fn layer(&self, inner: S) -> SecurityHeaders<S> {
        SecurityHeaders {
            inner,
            https: self.https,
        }
    }
}

#[derive(Clone, Debug)]
pub struct SecurityHeaders<S> {
    inner: S,
    https: Option<bool>,
}

impl<S, B, R> tower::Service<Request<B>> for SecurityHeaders<S>
where
    S: tower::Service<Request<B>, Response = Response<R>>,
{
    type Response = Response<R>;
    type Error = S::Error;
    type Future = SecurityHeadersFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        let over_https = self
            .https
            .unwrap_or_else(|| crate::auth::over_https(request.headers()));
        SecurityHeadersFuture {
            inner: self.inner.call(request),
            over_https,
        }
    }
}

pin_project! {
    pub struct SecurityHeadersFuture<F> {
        #[pin]
        inner: F,
        over_https: bool,
    }
}

impl<F, R, E> Future for SecurityHeadersFuture<F>
where
    F: Future<Output = Result<Response<R>, E>>,
{
    type Output = Result<Response<R>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let mut response = ready!(this.inner.poll(cx))?;
        let headers = response.headers_mut();
        headers.insert(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        );
        headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
        if !headers.contains_key(header::X_FRAME_OPTIONS) {
            headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        }
        if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
            headers.insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'"),
            );
        }
        if *this.over_https {
            headers.insert(
                header::STRICT_TRANSPORT_SECURITY,
                HeaderValue::from_static("max-age=31536000; includeSubDomains"),
            );
        }
        Poll::Ready(Ok(response))
    }
}
