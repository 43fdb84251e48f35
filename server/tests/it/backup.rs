//! Backups: a copy written while orders keep coming holds every order
//! acknowledged before it began, and a server started on it serves them.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::common::TestServer;
use bazar_api::PlacedOrder;
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
    let copy = server.db.with_file_name("backup.db");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_bazar-server"))
        .arg("--db")
        .arg(&server.db)
        .arg("backup")
        .arg(&copy)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
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

    let restore_dir = tempfile::tempdir().unwrap();
    std::fs::copy(&copy, restore_dir.path().join("bazar.db")).unwrap();
    let restored = TestServer::start_in(restore_dir).await;
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
