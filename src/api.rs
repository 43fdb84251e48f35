//! Talking to the server: one function per route, typed by `bazar-api`.

use bazar_api::{
    ApiError, ErrorCode, FamilyPage, FieldError, OrderRequest, PlacedOrder, Product, ProductDetail,
    SoldOutLine, Trace, Tracking, Zone,
};
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
    Api {
        status: u16,
        code: ErrorCode,
        fields: Vec<FieldError>,
        sold_out: Vec<SoldOutLine>,
        retry_after: Option<u32>,
    },
    /// The answer could not be read.
    #[error("unreadable answer: {0}")]
    Decode(String),
}

impl FetchError {
    /// An error the app makes itself, as if the server had said it.
    pub fn api(status: u16, code: ErrorCode) -> FetchError {
        FetchError::Api {
            status,
            code,
            fields: Vec::new(),
            sold_out: Vec::new(),
            retry_after: None,
        }
    }

    /// The seconds the server asked us to wait, on 429 or 503.
    pub fn retry_after(&self) -> Option<u32> {
        match self {
            FetchError::Api { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}

async fn read<T: DeserializeOwned>(response: Response) -> Result<T, FetchError> {
    if response.ok() {
        return response
            .json::<T>()
            .await
            .map_err(|e| FetchError::Decode(e.to_string()));
    }
    let status = response.status();
    let retry_after = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.trim().parse().ok());
    let mut error = FetchError::api(status, ErrorCode::Internal);
    if let (
        Ok(body),
        FetchError::Api {
            code,
            fields,
            sold_out,
            retry_after: wait,
            ..
        },
    ) = (response.json::<ApiError>().await, &mut error)
    {
        *code = body.error.code;
        *fields = body.error.fields;
        *sold_out = body.error.sold_out;
        *wait = retry_after;
    } else if let FetchError::Api {
        retry_after: wait, ..
    } = &mut error
    {
        *wait = retry_after;
    }
    Err(error)
}

async fn get<T: DeserializeOwned>(url: &str) -> Result<T, FetchError> {
    let response = Request::get(url)
        .send()
        .await
        .map_err(|e| FetchError::Network(e.to_string()))?;
    read(response).await
}

fn encode(text: &str) -> String {
    js_sys::encode_uri_component(text).into()
}

/// `GET /api/products`, optionally of one kind or matching a text.
pub async fn products(kind: Option<String>, q: Option<String>) -> Result<Vec<Product>, FetchError> {
    let mut query = Vec::new();
    if let Some(kind) = kind.filter(|k| !k.is_empty()) {
        query.push(format!("kind={}", encode(&kind)));
    }
    if let Some(q) = q.filter(|q| !q.trim().is_empty()) {
        query.push(format!("q={}", encode(q.trim())));
    }
    if query.is_empty() {
        get("/api/products").await
    } else {
        get(&format!("/api/products?{}", query.join("&"))).await
    }
}

/// `GET /api/products/{id}`
pub async fn product(id: i64) -> Result<ProductDetail, FetchError> {
    get(&format!("/api/products/{id}")).await
}

/// `GET /api/families/{id}`
pub async fn family(id: i64) -> Result<FamilyPage, FetchError> {
    get(&format!("/api/families/{id}")).await
}

/// `GET /api/zones`
pub async fn zones() -> Result<Vec<Zone>, FetchError> {
    get("/api/zones").await
}

/// `GET /api/orders/track/{token}`
pub async fn tracking(token: &str) -> Result<Tracking, FetchError> {
    get(&format!("/api/orders/track/{}", encode(token))).await
}

/// `GET /api/trace/{code}`
pub async fn trace(code: &str) -> Result<Trace, FetchError> {
    get(&format!("/api/trace/{}", encode(code))).await
}

/// `POST /api/orders` under `key`; the same key and body always give the same order.
pub async fn place_order(key: &str, request: &OrderRequest) -> Result<PlacedOrder, FetchError> {
    let response = Request::post("/api/orders")
        .header("Idempotency-Key", key)
        .json(request)
        .map_err(|e| FetchError::Decode(e.to_string()))?
        .send()
        .await
        .map_err(|e| FetchError::Network(e.to_string()))?;
    read(response).await
}
