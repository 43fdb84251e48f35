//! The whole catalog, kept in memory as JSON and already compressed.
//!
//! `GET /api/products` without a filter is the most asked-for answer of the
//! shop. It is built once per catalog version (an order, a cancellation or a
//! listing decision moves the version on) and per week, together with its
//! brotli and gzip forms, so a request costs a look-up and a copy of a
//! reference-counted buffer, never a query or a compression.

use std::io::Write;
use std::sync::{Arc, RwLock};

use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};

/// Brotli quality 5 and gzip level 6: a catalog changes with every order, so
/// compressing it must stay well under a millisecond.
const BROTLI_QUALITY: u32 = 5;
const BROTLI_WINDOW: u32 = 22;
const GZIP_LEVEL: u32 = 6;

/// One version of the catalog in the three encodings the server sends.
#[derive(Debug)]
pub struct Encoded {
    version: u64,
    week: i64,
    identity: Bytes,
    br: Bytes,
    gzip: Bytes,
}

/// The catalog cache shared by all requests.
#[derive(Clone, Default)]
pub struct CatalogCache(Arc<RwLock<Option<Arc<Encoded>>>>);

impl CatalogCache {
    /// The cached catalog if it is of this version and week.
    pub fn get(&self, version: u64, week: i64) -> Option<Arc<Encoded>> {
        self.0
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
            .filter(|c| c.version == version && c.week == week)
            .cloned()
    }

    /// Encodes `json` and keeps it as the catalog of this version and week.
    pub fn put(&self, version: u64, week: i64, json: Vec<u8>) -> std::io::Result<Arc<Encoded>> {
        let encoded = Arc::new(Encoded {
            version,
            week,
            br: Bytes::from(brotli(&json)?),
            gzip: Bytes::from(gzip(&json)?),
            identity: Bytes::from(json),
        });
        *self.0.write().unwrap_or_else(|e| e.into_inner()) = Some(encoded.clone());
        Ok(encoded)
    }
}

fn brotli(json: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut w = brotli::CompressorWriter::new(Vec::new(), 4096, BROTLI_QUALITY, BROTLI_WINDOW);
    w.write_all(json)?;
    Ok(w.into_inner())
}

fn gzip(json: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut w = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(GZIP_LEVEL));
    w.write_all(json)?;
    w.finish()
}

/// Which encoding the client takes: brotli, then gzip, then none.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Brotli,
    Gzip,
    Identity,
}

/// Reads `Accept-Encoding` (`br;q=0` refuses brotli; `*` takes anything).
pub fn negotiate(headers: &HeaderMap) -> Encoding {
    let mut brotli = false;
    let mut gzip = false;
    for value in headers.get_all(header::ACCEPT_ENCODING) {
        let Ok(value) = value.to_str() else { continue };
        for item in value.split(',') {
            let mut parts = item.split(';');
            let name = parts.next().unwrap_or("").trim();
            let refused = parts.any(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            if refused {
                continue;
            }
            if name.eq_ignore_ascii_case("br") || name == "*" {
                brotli = true;
            }
            if name.eq_ignore_ascii_case("gzip") || name == "*" {
                gzip = true;
            }
        }
    }
    if brotli {
        Encoding::Brotli
    } else if gzip {
        Encoding::Gzip
    } else {
        Encoding::Identity
    }
}

impl Encoded {
    /// The answer in the client's encoding.
    pub fn response(&self, encoding: Encoding) -> Response {
        let body = match encoding {
            Encoding::Identity => &self.identity,
            Encoding::Brotli => &self.br,
            Encoding::Gzip => &self.gzip,
        };
        json_response(body.clone(), encoding)
    }
}

/// A JSON answer made for one request, compressed as the client takes it.
pub fn respond(json: Vec<u8>, encoding: Encoding) -> std::io::Result<Response> {
    let body = match encoding {
        Encoding::Identity => json,
        Encoding::Brotli => brotli(&json)?,
        Encoding::Gzip => gzip(&json)?,
    };
    Ok(json_response(Bytes::from(body), encoding))
}

fn json_response(body: Bytes, encoding: Encoding) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    let coding = match encoding {
        Encoding::Identity => None,
        Encoding::Brotli => Some("br"),
        Encoding::Gzip => Some("gzip"),
    };
    if let Some(coding) = coding {
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(coding));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn accept(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT_ENCODING, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn negotiation_prefers_brotli_and_respects_refusals() {
        assert_eq!(negotiate(&HeaderMap::new()), Encoding::Identity);
        assert_eq!(negotiate(&accept("gzip, deflate, br, zstd")), Encoding::Brotli);
        assert_eq!(negotiate(&accept("gzip")), Encoding::Gzip);
        assert_eq!(negotiate(&accept("br;q=0, gzip;q=0.5")), Encoding::Gzip);
        assert_eq!(negotiate(&accept("br;q=0,gzip;q=0")), Encoding::Identity);
        assert_eq!(negotiate(&accept("identity")), Encoding::Identity);
        assert_eq!(negotiate(&accept("*")), Encoding::Brotli);
        assert_eq!(negotiate(&accept("BR")), Encoding::Brotli);
    }

    #[test]
    fn every_encoding_holds_the_same_json_and_the_cache_knows_its_version() {
        let cache = CatalogCache::default();
        let json = br#"[{"id":1,"name":"nang"}]"#.repeat(50);
        cache.put(3, 7, json.clone()).unwrap();
        assert!(cache.get(4, 7).is_none(), "another version is not cached");
        assert!(cache.get(3, 8).is_none(), "another week is not cached");
        let encoded = cache.get(3, 7).expect("this version is cached");
        assert_eq!(&encoded.identity[..], &json[..]);
        let mut unbrotli = Vec::new();
        brotli::Decompressor::new(&encoded.br[..], 4096)
            .read_to_end(&mut unbrotli)
            .unwrap();
        assert_eq!(unbrotli, json);
        let mut ungzip = Vec::new();
        flate2::read::GzDecoder::new(&encoded.gzip[..])
            .read_to_end(&mut ungzip)
            .unwrap();
        assert_eq!(ungzip, json);
        assert!(
            encoded.br.len() < json.len() / 4,
            "brotli shrinks repetitive JSON"
        );
    }
}
