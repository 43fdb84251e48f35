//! Talking to the server: one function per route, typed by `bazar-api`.

use std::future::Future;
use std::pin::Pin;

use bazar_api::{ApiError, ErrorCode, FieldError, OrderRequest, PlacedOrder, SoldOutLine};
pub use gloo_net::http::Method;
use gloo_net::http::{Request, Response};
use leptos::prelude::*;
use serde_lite::{Deserialize, Intermediate};

/// Why a call to the server did not give an answer to show.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FetchError {
    /// No answer at all: offline, or the connection broke.
    #[error("no answer from the network")]
    Network,
    /// The server answered with an error body.
    #[error("server said {status}: {code:?}")]
    Api {
        status: u16,
        code: ErrorCode,
        fields: Vec<FieldError>,
        sold_out: Vec<SoldOutLine>,
        retry_after: Option<u32>,
    },
    /// The answer could not be read. (No detail is kept: the text of
    /// decoder errors would cost the download more than it tells a customer.)
    #[error("unreadable answer")]
    Decode,
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

/// The error an unsuccessful answer carries.
async fn error_of(response: Response) -> FetchError {
    let status = response.status();
    let retry_after = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.trim().parse().ok());
    let body = match response.text().await {
        Ok(text) => from_json::<ApiError>(&text).map(|b| b.error),
        Err(_) => None,
    };
    FetchError::Api {
        status,
        code: body.as_ref().map_or(ErrorCode::Internal, |b| b.code),
        fields: body.as_ref().map(|b| b.fields.clone()).unwrap_or_default(),
        sold_out: body.map(|b| b.sold_out).unwrap_or_default(),
        retry_after,
    }
}

/// A resource of raw JSON from the server, decoded where it is shown.
///
/// Every page loads through this one concrete type: one resource per
/// answer type would each compile its own copy of the async machinery into
/// the wasm, and the app is downloaded over slow mobile networks.
pub type JsonResource = LocalResource<Result<String, FetchError>>;

type JsonFuture = Pin<Box<dyn Future<Output = Result<String, FetchError>>>>;

/// Loads `url` whenever it changes; `None` is a page that names nothing (404).
pub fn json_resource(url: Signal<Option<String>>) -> JsonResource {
    LocalResource::new(move || -> JsonFuture {
        let url = url.get();
        Box::pin(async move {
            match url {
                Some(url) => get_text(&url).await,
                None => Err(FetchError::api(404, ErrorCode::NotFound)),
            }
        })
    })
}

/// The resource's answer as `T`, once it has one.
pub fn decoded<T: Deserialize>(resource: JsonResource) -> Option<Result<T, FetchError>> {
    resource.get().map(|answer| answer.and_then(|text| decode(&text)))
}

/// Shows the resource's answer decoded as `T` with `ok`; until it comes,
/// `loading`; when it fails, `failed` (which offers to try again). Each app
/// passes its own words, so none carries another's texts.
pub fn shown<T, V>(
    resource: JsonResource,
    loading: impl Fn() -> leptos::prelude::AnyView + Send + Sync + 'static,
    ok: impl Fn(T) -> V + Send + Sync + 'static,
    failed: impl Fn(FetchError) -> leptos::prelude::AnyView + Send + Sync + 'static,
) -> impl Fn() -> leptos::prelude::AnyView + Send + Sync + 'static
where
    T: Deserialize + 'static,
    V: leptos::prelude::IntoView + 'static,
{
    use leptos::prelude::IntoAny;
    move || match decoded::<T>(resource) {
        None => loading(),
        Some(Ok(value)) => ok(value).into_any(),
        Some(Err(error)) => failed(error),
    }
}

/// JSON text as `T`, or `None` when it is not JSON or not a `T`.
///
/// The text becomes serde-lite's one intermediate value, and each type
/// reads itself from that: a type costs the wasm a few lookups, not a serde
/// visitor of its own. In the browser, the browser's own `JSON.parse` reads
/// the text, so no JSON parser is in the download at all.
pub fn from_json<T: Deserialize>(text: &str) -> Option<T> {
    T::deserialize(&parse_json(text)?).ok()
}

#[cfg(target_family = "wasm")]
fn parse_json(text: &str) -> Option<Intermediate> {
    intermediate(&js_sys::JSON::parse(text).ok()?)
}

/// Outside a browser (the native unit tests) serde_json reads the text.
#[cfg(not(target_family = "wasm"))]
fn parse_json(text: &str) -> Option<Intermediate> {
    serde_json::from_str(text).ok()
}

/// A value from `JSON.parse` as serde-lite's intermediate value. Numbers
/// with no fraction become integers: every integer on the wire (ids, fen,
/// counts) is far below 2^53, where a JavaScript number is still exact.
#[cfg(target_family = "wasm")]
pub fn intermediate(value: &wasm_bindgen::JsValue) -> Option<Intermediate> {
    use serde_lite::{Map, Number};
    use wasm_bindgen::JsCast;
    const EXACT: f64 = 9_007_199_254_740_992.0;
    if value.is_null() {
        return Some(Intermediate::None);
    }
    if let Some(b) = value.as_bool() {
        return Some(Intermediate::Bool(b));
    }
    if let Some(n) = value.as_f64() {
        let number = if n.fract() == 0.0 && n.abs() <= EXACT {
            Number::SignedInt(n as i64)
        } else {
            Number::Float(n)
        };
        return Some(Intermediate::Number(number));
    }
    if let Some(text) = value.as_string() {
        return Some(Intermediate::String(text.into()));
    }
    if js_sys::Array::is_array(value) {
        let array: &js_sys::Array = value.unchecked_ref();
        return array
            .iter()
            .map(|item| intermediate(&item))
            .collect::<Option<Vec<_>>>()
            .map(Intermediate::Array);
    }
    if !value.is_object() {
        return None;
    }
    let mut map = Map::new();
    for entry in js_sys::Object::entries(value.unchecked_ref()).iter() {
        let entry: js_sys::Array = entry.unchecked_into();
        map.insert_with_owned_key(entry.get(0).as_string()?, intermediate(&entry.get(1))?);
    }
    Some(Intermediate::Map(map))
}

fn decode<T: Deserialize>(text: &str) -> Result<T, FetchError> {
    from_json(text).ok_or(FetchError::Decode)
}

async fn get_text(url: &str) -> Result<String, FetchError> {
    fetch_text(Request::get(url).build().map_err(|_| FetchError::Decode)?).await
}

/// Sends `request`: the text of a successful answer, or the error an
/// unsuccessful one carries.
async fn fetch_text(request: Request) -> Result<String, FetchError> {
    let response = request.send().await.map_err(|_| FetchError::Network)?;
    if response.ok() {
        return response.text().await.map_err(|_| FetchError::Network);
    }
    Err(error_of(response).await)
}

/// Sends `body` as JSON with `method` (or nothing when `None`) and answers
/// the response's text: the center's and the seller's changes.
pub async fn send<B: serde::Serialize>(
    method: Method,
    url: &str,
    body: Option<&B>,
) -> Result<String, FetchError> {
    let builder = gloo_net::http::RequestBuilder::new(url).method(method);
    let request = match body {
        Some(body) => builder.json(body).map_err(|_| FetchError::Decode)?,
        None => builder.build().map_err(|_| FetchError::Decode)?,
    };
    fetch_text(request).await
}

/// [`send`] with a JSON body, the answer decoded as `T`.
pub async fn post<B: serde::Serialize, T: Deserialize>(url: &str, body: &B) -> Result<T, FetchError> {
    decode(&send(Method::POST, url, Some(body)).await?)
}

/// `POST`s a file's bytes as `content_type`, the answer decoded as `T`:
/// a photo, a family list.
pub async fn post_file<T: Deserialize>(
    url: &str,
    content_type: &str,
    file: web_sys::File,
) -> Result<T, FetchError> {
    let request = Request::post(url)
        .header("Content-Type", content_type)
        .body(wasm_bindgen::JsValue::from(file))
        .map_err(|_| FetchError::Decode)?;
    decode(&fetch_text(request).await?)
}

/// `POST`s a photo the phone chose (a camera's file may name no type: it
/// is a JPEG), the answer decoded as `T`.
pub async fn post_photo<T: Deserialize>(url: &str, file: web_sys::File) -> Result<T, FetchError> {
    let content_type = match file.type_() {
        t if t.is_empty() => "image/jpeg".to_string(),
        t => t,
    };
    post_file(url, &content_type, file).await
}

/// `POST /api/orders` under `key`; the same key and body always give the same order.
pub async fn place_order(key: &str, request: &OrderRequest) -> Result<PlacedOrder, FetchError> {
    let request = Request::post(crate::urls::ORDERS)
        .header("Idempotency-Key", key)
        .json(request)
        .map_err(|_| FetchError::Decode)?;
    decode(&fetch_text(request).await?)
}
