//! Passwords and tokens never reach the logs, whatever the log level.

#[path = "it/common/mod.rs"]
mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use bazar_api::account::Role;
use common::TestServer;
use serde_json::json;

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn sign_ins_log_neither_passwords_nor_tokens() {
    let captured = Captured::default();
    let writer = captured.clone();
    tracing_subscriber::fmt()
        // Everything the server side logs; the test's own HTTP client keeps
        // a cookie jar that logs what it stores, which is not the server's doing.
        .with_env_filter(tracing_subscriber::EnvFilter::new(
            "trace,cookie_store=off,reqwest=off",
        ))
        .with_writer(move || writer.clone())
        .init();

    let server = TestServer::start().await;
    server
        .staff(
            "yultuz-bagh",
            Role::Operator,
            "log.ops",
            "log-ops-secret-password",
        )
        .await;
    let browser = server.browser();
    let wrong = browser
        .post(
            "/api/auth/sign-in",
            &json!({"username": "log.ops", "password": "log-ops-wrong-password"}),
        )
        .await;
    assert_eq!(wrong.status(), 401);
    let right = browser
        .post(
            "/api/auth/sign-in",
            &json!({"username": "log.ops", "password": "log-ops-secret-password"}),
        )
        .await;
    assert_eq!(right.status(), 200);
    let cookie = right.headers()["set-cookie"].to_str().unwrap().to_string();
    let session = cookie
        .split(';')
        .next()
        .unwrap()
        .split('=')
        .nth(1)
        .unwrap()
        .to_string();
    let card: bazar_api::center::KeyCard = browser
        .post("/api/center/families/1/key-card", &json!({}))
        .await
        .json()
        .await
        .unwrap();
    let token = card.url.split("#key=").nth(1).unwrap().to_string();
    let phone = server.browser();
    assert_eq!(
        phone
            .post("/api/auth/key-card", &json!({"token": token}))
            .await
            .status(),
        200
    );
    server.stop().await;

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("failed sign-in"), "the log is captured: {logs}");
    for secret in [
        "log-ops-secret-password",
        "log-ops-wrong-password",
        &session,
        &token,
    ] {
        assert!(
            !logs.contains(secret),
            "{secret} is in the logs: {}",
            logs.lines()
                .filter(|l| l.contains(secret))
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}
