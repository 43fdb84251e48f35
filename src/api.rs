//! Talking to the server: one function per route, typed by `bazar-api`.

use bazar_api::{ApiError, ErrorCode, Product, ProductDetail};
use gloo_net::http::{Request, Response};
use serde::de::DeserializeOwned;

/// Why a call to the server did not give an answer to show.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FetchError {
    /// No answer at all: offline, or the connection broke.
    #[error("network: {0}")]
    Network(String),
    /// The server answered with an error body.
    #[error("server said {status}: {code:?}")]
    Api { status: u16, code: ErrorCode },
    /// The answer could not be read.
    #[error("unreadable answer: {0}")]
    Decode(String),
}

async fn read<T: DeserializeOwned>(response: Response) -> Result<T, FetchError> {
    if response.ok() {
        return response
            .json::<T>()
            .await
            .map_err(|e| FetchError::Decode(e.to_string()));
    }
    let status = response.status();
    let code = match response.json::<ApiError>().await {
        Ok(body) => body.error.code,
        Err(_) => ErrorCode::Internal,
    };
    Err(FetchError::Api { status, code })
}

async fn get<T: DeserializeOwned>(url: &str) -> Result<T, FetchError> {
    let response = Request::get(url)
        .send()
        .await
        .map_err(|e| FetchError::Network(e.to_string()))?;
    read(response).await
}

/// `GET /api/products`
pub async fn products() -> Result<Vec<Product>, FetchError> {
    get("/api/products").await
}

/// `GET /api/products/{id}`
pub async fn product(id: i64) -> Result<ProductDetail, FetchError> {
    get(&format!("/api/products/{id}")).await
}
