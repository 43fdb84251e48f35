//! Backups: a copy written while orders keep coming holds every order
//! acknowledged before it began, and a server started on it serves them.
//! SQLite's is the server's `backup` command, PostgreSQL's pg_dump and
//! pg_restore.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::common::{Data, TestServer};
use bazar_api::PlacedOrder;
use bazar_server::store::Location;
use serde_json::json;

#[tokio::test]
async fn a_backup_taken_under_load_restores_every_acknowledged_order() {
    let server = Arc::new(TestServer::start_unlimited().await);
    let products: Vec<bazar_api::Product> = server.get("/api/products").await.json().await.unwrap();
    // The product with the most left, so the writers don't run out.
    let plenty = products.iter().max_by_key(|p| p.available).unwrap();
    assert!(plenty.available >= 100);
    let product_id = plenty.id;

    let running = Arc::new(AtomicBool::new(true));
    let acknowledged = Arc::new(std::sync::Mutex::new(Vec::<PlacedOrder>::new()));
    let mut writers = Vec::new();
    for _ in 0..4 {
        let (server, running, acknowledged) = (server.clone(), running.clone(), acknowledged.clone());
        writers.push(tokio::spawn(async move {
            while running.load(Ordering::SeqCst) {
                let key = crate::common::new_key();
                let body = json!({
                    "customer": {"name": "Backup", "phone": crate::common::new_phone(), "address": "Road 1", "zone": "xinjiang"},
                    "lines": [{"product_id": product_id, "quantity": 1}],
                    "payment": "on_delivery"
                });
                let response = server
                    .client
                    .post(server.url("/api/orders"))
                    .header("idempotency-key", key)
                    .json(&body)
                    .send()
                    .await
                    .unwrap();
                if response.status() == 201 {
                    let placed: PlacedOrder = response.json().await.unwrap();
                    acknowledged.lock().unwrap().push(placed);
                } else {
                    // Sold out: this writer is done.
                    assert_eq!(response.status(), 409);
                    break;
                }
            }
        }));
    }
    while acknowledged.lock().unwrap().len() < 20 {
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }

    let before: Vec<PlacedOrder> = acknowledged.lock().unwrap().clone();
    let restore = match &server.db {
        Location::Sqlite(db) => {
            let copy = db.with_file_name("backup.db");
            run(std::process::Command::new(env!("CARGO_BIN_EXE_bazar-server"))
                .arg("--db")
                .arg(db)
                .arg("backup")
                .arg(&copy));
            let dir = tempfile::tempdir().unwrap();
            std::fs::copy(&copy, dir.path().join("bazar.db")).unwrap();
            let db = Location::Sqlite(dir.path().join("bazar.db"));
            Data { dir, db }
        }
        // PostgreSQL's own tools, as README.md shows them.
        Location::Postgres(url) => {
            let dir = tempfile::tempdir().unwrap();
            let dump = dir.path().join("bazar.dump");
            run(std::process::Command::new(pg_tool("pg_dump"))
                .args(["--format=custom", "--file"])
                .arg(&dump)
                .arg(url));
            let target = bazar_server::store::fresh_database(url).await.unwrap();
            run(std::process::Command::new(pg_tool("pg_restore"))
                .args(["--no-owner", "--dbname", &target])
                .arg(&dump));
            Data {
                dir,
                db: Location::Postgres(target),
            }
        }
    };
    // Orders kept coming while the copy was written.
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    running.store(false, Ordering::SeqCst);
    for writer in writers {
        writer.await.unwrap();
    }
    assert!(
        acknowledged.lock().unwrap().len() > before.len(),
        "orders went on during the backup"
    );

    let restored = TestServer::start_in(restore).await;
    for order in &before {
        let response = restored
            .get(&format!("/api/orders/track/{}", order.tracking_token))
            .await;
        assert_eq!(response.status(), 200, "{} lost in the backup", order.code);
        let tracking: bazar_api::Tracking = response.json().await.unwrap();
        assert_eq!(tracking.total_fen, order.total_fen);
    }
    restored.stop().await;
    Arc::into_inner(server).unwrap().stop().await;
}

/// Runs `command`; it must succeed.
fn run(command: &mut std::process::Command) {
    let output = command.output().unwrap();
    assert!(
        output.status.success(),
        "{command:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A PostgreSQL client program: from the server's own folder where
/// `pg_config` names it (Debian keeps them there), else from PATH.
fn pg_tool(name: &str) -> std::path::PathBuf {
    std::process::Command::new("pg_config")
        .arg("--bindir")
        .output()
        .ok()
        .map(|o| std::path::PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()).join(name))
        .filter(|p| p.exists())
        .unwrap_or_else(|| name.into())
}
