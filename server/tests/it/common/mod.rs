//! Starts the real server on a random loopback port, on a fresh database and
//! a small fake dist/ folder, for tests that speak HTTP to it.
//!
//! The database is a SQLite file, or with `BAZAR_TEST_STORE=postgres` a new
//! database on the PostgreSQL cluster `BAZAR_TEST_PG` names (scripts/test.sh
//! runs every test both ways).
// Each test binary uses a different part of this module.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::PathBuf;

use bazar_api::PlacedOrder;
use bazar_api::account::Role;
use bazar_server::store::Location;
use bazar_server::{AppState, Store};
use serde_json::json;

/// A fresh UUID for an Idempotency-Key.
pub fn new_key() -> String {
    let t = bazar_server::store::random_token();
    format!(
        "{}-{}-{}-{}-{}",
        &t[0..8],
        &t[8..12],
        &t[12..16],
        &t[16..20],
        &t[20..32]
    )
}

/// Headers a browser sends on the app's own requests: the cross-site guard
/// refuses a change that says neither `Sec-Fetch-Site` nor `Origin`.
pub fn same_origin_headers() -> reqwest::header::HeaderMap {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        "sec-fetch-site",
        reqwest::header::HeaderValue::from_static("same-origin"),
    );
    headers
}

/// A client that sends what a browser sends on the app's own requests.
pub fn client() -> reqwest::ClientBuilder {
    reqwest::Client::builder().default_headers(same_origin_headers())
}

/// A mainland mobile number of its own: orders paid on delivery are limited
/// per phone number, so each test customer has one.
pub fn new_phone() -> String {
    let digits: String = bazar_server::store::random_token()
        .bytes()
        .map(|b| char::from(b'0' + b % 10))
        .take(8)
        .collect();
    format!("139{digits}")
}

/// An HTTP client with a cookie jar: one person's browser.
pub struct Browser {
    pub base: String,
    pub client: reqwest::Client,
}

impl Browser {
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap()
    }

    pub async fn post(&self, path: &str, body: &serde_json::Value) -> reqwest::Response {
        self.client
            .post(format!("{}{path}", self.base))
            .json(body)
            .send()
            .await
            .unwrap()
    }

    pub async fn put(&self, path: &str, body: &serde_json::Value) -> reqwest::Response {
        self.client
            .put(format!("{}{path}", self.base))
            .json(body)
            .send()
            .await
            .unwrap()
    }

    /// A POST of a file's bytes, as `content_type`.
    pub async fn post_bytes(&self, path: &str, content_type: &str, body: Vec<u8>) -> reqwest::Response {
        self.client
            .post(format!("{}{path}", self.base))
            .header(reqwest::header::CONTENT_TYPE, content_type)
            .body(body)
            .send()
            .await
            .unwrap()
    }

    pub async fn delete(&self, path: &str) -> reqwest::Response {
        self.client
            .delete(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap()
    }
}

/// True when the tests run on PostgreSQL.
pub fn on_postgres() -> bool {
    std::env::var("BAZAR_TEST_STORE").as_deref() == Ok("postgres")
}

/// A stopped server's database and folder, to start a server on again.
pub struct Data {
    pub dir: tempfile::TempDir,
    pub db: Location,
}

impl Data {
    /// A new folder and a new database of the store the tests run on.
    pub async fn new() -> Data {
        let dir = tempfile::tempdir().unwrap();
        let db = if on_postgres() {
            let cluster = std::env::var("BAZAR_TEST_PG")
                .expect("BAZAR_TEST_STORE=postgres needs BAZAR_TEST_PG, a postgres:// URL");
            Location::Postgres(bazar_server::store::fresh_database(&cluster).await.unwrap())
        } else {
            Location::Sqlite(dir.path().join("bazar.db"))
        };
        Data { dir, db }
    }
}

pub struct TestServer {
    pub addr: SocketAddr,
    /// Where the server stores photos.
    pub uploads: PathBuf,
    pub client: reqwest::Client,
    pub db: Location,
    dir: tempfile::TempDir,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

impl TestServer {
    /// A server as deployed: rate limits on.
    pub async fn start() -> TestServer {
        TestServer::start_with(Data::new().await, true, true, |s| s).await
    }

    /// A server for load from this one address: rate limits off.
    pub async fn start_unlimited() -> TestServer {
        TestServer::start_with(Data::new().await, false, true, |s| s).await
    }

    /// Starts on a database that is there already.
    pub async fn start_in(data: Data) -> TestServer {
        TestServer::start_with(data, true, true, |s| s).await
    }

    /// A server as deployed, set up further by `configure` (a proxy in
    /// front, a public address).
    pub async fn start_configured(configure: fn(AppState) -> AppState) -> TestServer {
        TestServer::start_with(Data::new().await, true, true, configure).await
    }

    /// A real township's first start: no demo hub (`BAZAR_DEMO=off`).
    pub async fn start_empty(data: Data) -> TestServer {
        TestServer::start_with(data, true, false, |s| s).await
    }

    async fn start_with(
        Data { dir, db }: Data,
        rate_limits: bool,
        demo: bool,
        configure: fn(AppState) -> AppState,
    ) -> TestServer {
        let dist = dir.path().join("dist");
        std::fs::create_dir_all(dist.join("img")).unwrap();
        // The project's own page, static shell and all.
        std::fs::write(dist.join("index.html"), include_str!("../../../../index.html")).unwrap();
        std::fs::write(dist.join("bazar-0123456789abcdef_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
        // What scripts/precompress.mjs writes beside it (the content only has to be recognisable).
        std::fs::write(dist.join("bazar-0123456789abcdef_bg.wasm.br"), b"brotli bytes").unwrap();
        std::fs::write(
            dist.join("img/logo.svg"),
            "<svg xmlns='http://www.w3.org/2000/svg'/>",
        )
        .unwrap();

        let store = Store::open_with(&db, demo).await.unwrap();
        let dir_uploads = dir.path().join("uploads");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let state = configure(AppState::new(store, rate_limits).with_uploads(dir_uploads));
            bazar_server::serve(listener, state, &dist, async {
                let _ = rx.await;
            })
            .await
        });
        TestServer {
            addr,
            uploads: dir.path().join("uploads"),
            client: client().build().unwrap(),
            db,
            dir,
            shutdown: Some(tx),
            task: Some(task),
        }
    }

    /// A second server on this server's database (as several servers run
    /// on one PostgreSQL), with a folder of its own.
    pub async fn beside(&self) -> TestServer {
        let data = Data {
            dir: tempfile::tempdir().unwrap(),
            db: self.db.clone(),
        };
        TestServer::start_with(data, true, true, |s| s).await
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    /// An operator or trainer account of `hub` with `password`.
    pub async fn staff(&self, hub: &str, role: Role, username: &str, password: &str) {
        let store = Store::open_existing(&self.db).await.unwrap();
        let hash = bazar_server::auth::hash_password_blocking(password.to_string()).await;
        store
            .create_staff_account(hub, role, username, &hash)
            .await
            .unwrap();
        store.close().await;
    }

    /// Runs SQL on the server's database (to set up what no route makes, like a second hub).
    pub async fn sql(&self, statements: &str) {
        use sqlx::Executor;
        match &self.db {
            Location::Sqlite(path) => {
                let db = sqlx::SqlitePool::connect(&format!("sqlite:{}", path.display()))
                    .await
                    .unwrap();
                db.execute(statements).await.unwrap();
                db.close().await;
            }
            Location::Postgres(url) => {
                let db = sqlx::PgPool::connect(url).await.unwrap();
                db.execute(statements).await.unwrap();
                db.close().await;
            }
        }
    }

    /// The integer columns of the first row `query` answers, read straight
    /// from the server's database.
    pub async fn integers(&self, query: &str) -> Vec<i64> {
        use sqlx::Row;
        match &self.db {
            Location::Sqlite(path) => {
                let db = sqlx::SqlitePool::connect(&format!("sqlite:{}", path.display()))
                    .await
                    .unwrap();
                let row = sqlx::query(query).fetch_one(&db).await.unwrap();
                let values = (0..row.len()).map(|i| row.get::<i64, _>(i)).collect();
                db.close().await;
                values
            }
            Location::Postgres(url) => {
                let db = sqlx::PgPool::connect(url).await.unwrap();
                let row = sqlx::query(query).fetch_one(&db).await.unwrap();
                let values = (0..row.len()).map(|i| row.get::<i64, _>(i)).collect();
                db.close().await;
                values
            }
        }
    }

    /// A browser of its own, with its own cookies.
    pub fn browser(&self) -> Browser {
        Browser {
            base: format!("http://{}", self.addr),
            client: client().cookie_store(true).build().unwrap(),
        }
    }

    /// A browser with a platform admin signed in.
    pub async fn admin(&self, username: &str) -> Browser {
        let password = format!("{username}-correct-horse");
        let store = Store::open_existing(&self.db).await.unwrap();
        let hash = bazar_server::auth::hash_password_blocking(password.clone()).await;
        store.create_admin(username, &hash).await.unwrap();
        store.close().await;
        self.sign_in(username, &password).await
    }

    /// A browser signed in with a username and password.
    pub async fn sign_in(&self, username: &str, password: &str) -> Browser {
        let browser = self.browser();
        let response = browser
            .post(
                "/api/auth/sign-in",
                &json!({"username": username, "password": password}),
            )
            .await;
        assert_eq!(response.status(), 200, "{username} signs in");
        browser
    }

    /// A browser with an operator or trainer signed in.
    pub async fn signed_in(&self, hub: &str, role: Role, username: &str) -> Browser {
        let password = format!("{username}-correct-horse");
        self.staff(hub, role, username, &password).await;
        self.sign_in(username, &password).await
    }

    /// A family's phone, signed in with a key card `operator` prints for it.
    pub async fn family_phone(
        &self,
        operator: &Browser,
        family: i64,
    ) -> (Browser, bazar_api::center::KeyCard) {
        let response = operator
            .post(&format!("/api/center/families/{family}/key-card"), &json!({}))
            .await;
        assert_eq!(response.status(), 201, "the key card is printed");
        let card: bazar_api::center::KeyCard = response.json().await.unwrap();
        let token = card.url.split("#key=").nth(1).unwrap().to_string();
        let phone = self.browser();
        let response = phone.post("/api/auth/key-card", &json!({"token": token})).await;
        assert_eq!(response.status(), 200, "the family's phone signs in");
        let me: bazar_api::account::Me = response.json().await.unwrap();
        assert_eq!((me.role, me.family_id), (Role::Family, Some(family)));
        (phone, card)
    }

    /// Places an order of `lines` (product id, quantity) to `zone`.
    pub async fn place(&self, zone: &str, lines: &[(i64, u32)]) -> PlacedOrder {
        let body = json!({
            "customer": {"name": "测试顾客", "phone": new_phone(), "address": "北京市朝阳区幸福路1号", "zone": zone},
            "lines": lines.iter().map(|(id, q)| json!({"product_id": id, "quantity": q})).collect::<Vec<_>>(),
            "payment": "on_delivery"
        });
        let response = self
            .client
            .post(self.url("/api/orders"))
            .header("idempotency-key", new_key())
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201, "the order is placed");
        response.json().await.unwrap()
    }

    /// Stops the server gracefully, waits for it, and hands back its
    /// folder and database.
    pub async fn stop(mut self) -> Data {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            task.await.unwrap().unwrap();
        }
        Data {
            dir: self.dir,
            db: self.db,
        }
    }
}

/// The answer's body read by serde, as the server writes it, and by
/// serde-lite, as the apps read it: the two must agree (see contract.rs).
pub async fn read_both<T>(response: reqwest::Response) -> T
where
    T: serde::de::DeserializeOwned + serde_lite::Deserialize + PartialEq + std::fmt::Debug,
{
    let url = response.url().to_string();
    let text = response.text().await.unwrap();
    let by_serde: T = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{url}: {e}: {text}"));
    let value: serde_lite::Intermediate = serde_json::from_str(&text).unwrap();
    let by_lite = <T as serde_lite::Deserialize>::deserialize(&value)
        .unwrap_or_else(|e| panic!("{url}: serde-lite cannot read it ({e:?}): {text}"));
    assert_eq!(by_lite, by_serde, "{url}");
    by_serde
}
