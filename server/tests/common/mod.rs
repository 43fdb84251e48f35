//! Starts the real server on a random loopback port, on a fresh SQLite file
//! and a small fake dist/ folder, for tests that speak HTTP to it.
// Each test binary uses a different part of this module.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::PathBuf;

use bazar_server::{AppState, Store};

pub struct TestServer {
    pub addr: SocketAddr,
    pub client: reqwest::Client,
    pub db: PathBuf,
    dir: tempfile::TempDir,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

impl TestServer {
    /// A server as deployed: rate limits on.
    pub async fn start() -> TestServer {
        TestServer::start_with(tempfile::tempdir().unwrap(), true).await
    }

    /// A server for load from this one address: rate limits off.
    pub async fn start_unlimited() -> TestServer {
        TestServer::start_with(tempfile::tempdir().unwrap(), false).await
    }

    /// Starts on the database already in `dir` (or a new one).
    pub async fn start_in(dir: tempfile::TempDir) -> TestServer {
        TestServer::start_with(dir, true).await
    }

    async fn start_with(dir: tempfile::TempDir, rate_limits: bool) -> TestServer {
        let db = dir.path().join("bazar.db");
        let dist = dir.path().join("dist");
        std::fs::create_dir_all(dist.join("img")).unwrap();
        std::fs::write(
            dist.join("index.html"),
            "<!DOCTYPE html><title>Bazar</title><div id=app></div>",
        )
        .unwrap();
        std::fs::write(dist.join("bazar-0123456789abcdef_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
        // What scripts/precompress.mjs writes beside it (the content only has to be recognisable).
        std::fs::write(dist.join("bazar-0123456789abcdef_bg.wasm.br"), b"brotli bytes").unwrap();
        std::fs::write(
            dist.join("img/logo.svg"),
            "<svg xmlns='http://www.w3.org/2000/svg'/>",
        )
        .unwrap();

        let store = Store::open(&db).await.unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            bazar_server::serve(listener, AppState::new(store, rate_limits), &dist, async {
                let _ = rx.await;
            })
            .await
        });
        TestServer {
            addr,
            client: reqwest::Client::new(),
            db,
            dir,
            shutdown: Some(tx),
            task: Some(task),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    /// Stops the server gracefully, waits for it, and hands back its folder.
    pub async fn stop(mut self) -> tempfile::TempDir {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            task.await.unwrap().unwrap();
        }
        self.dir
    }
}
