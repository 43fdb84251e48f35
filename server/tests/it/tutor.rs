//! The tutor's server side over HTTP: photo uploads (real images only,
//! re-encoded without EXIF or GPS, bombs refused), listings with a photo,
//! narration recorded by trainers, and live lectures over server-sent events.

use std::io::Cursor;
use std::time::Duration;

use crate::common::{Browser, TestServer, read_both};
use bazar_api::account::Role;
use bazar_api::center::Listing;
use bazar_api::seller::Photo;
use bazar_api::tutor::{Lecture, LectureState};
use reqwest::StatusCode;
use serde_json::json;

const HUB: &str = "yultuz-bagh";

async fn family_phone(server: &TestServer, family: i64) -> Browser {
    let operator = server
        .signed_in(HUB, Role::Operator, &format!("ops{family}"))
        .await;
    server.family_phone(&operator, family).await.0
}

/// A JPEG with an EXIF segment that holds a GPS position, as phone cameras write them.
fn camera_jpeg() -> Vec<u8> {
    let image = image::RgbImage::from_fn(1600, 1200, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    });
    let mut plain = Cursor::new(Vec::new());
    image.write_to(&mut plain, image::ImageFormat::Jpeg).unwrap();
    let plain = plain.into_inner();
    let mut exif = b"Exif\0\0MM\0*\0\0\0\x08GPSLatitude 39.4704 N GPSLongitude 75.9897 E".to_vec();
    exif.resize(120, 0);
    let mut out = plain[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&((exif.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(&exif);
    out.extend_from_slice(&plain[2..]);
    out
}

/// A PNG whose header claims 40000 x 40000 pixels: a decompression bomb.
fn bomb_png() -> Vec<u8> {
    fn chunk(kind: &[u8], data: &[u8]) -> Vec<u8> {
        let mut out = (data.len() as u32).to_be_bytes().to_vec();
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        let mut crc = crc32fast::Hasher::new();
        crc.update(kind);
        crc.update(data);
        out.extend_from_slice(&crc.finalize().to_be_bytes());
        out
    }
    let mut ihdr = 40_000u32.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&40_000u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(chunk(b"IHDR", &ihdr));
    png.extend(chunk(b"IDAT", &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]));
    png.extend(chunk(b"IEND", &[]));
    png
}

async fn upload(phone: &Browser, bytes: Vec<u8>, content_type: &str) -> reqwest::Response {
    phone
        .client
        .post(format!("{}/api/seller/photos", phone.base))
        .header("content-type", content_type)
        .body(bytes)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn photos_are_reencoded_without_exif_and_bombs_are_refused() {
    let server = TestServer::start().await;
    let phone = family_phone(&server, 2).await;
    let original = camera_jpeg();
    assert!(original.windows(11).any(|w| w == b"GPSLatitude"));

    let response = upload(&phone, original.clone(), "image/jpeg").await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let photo: Photo = read_both(response).await;
    let name = photo.name;
    assert!(
        name.len() == 36 && name.ends_with(".jpg"),
        "a name the server made: {name}"
    );
    let stored = std::fs::read(server.uploads.join(&name)).unwrap();
    assert!(!stored.windows(4).any(|w| w == b"Exif"), "no EXIF segment");
    assert!(
        !stored.windows(11).any(|w| w == b"GPSLatitude"),
        "no GPS position"
    );
    let back = image::load_from_memory(&stored).unwrap();
    assert_eq!(
        (back.width(), back.height()),
        (1280, 960),
        "shrunk to a phone's size"
    );
    let served = server.get(&photo.url).await;
    assert_eq!(served.status(), 200);
    assert_eq!(served.bytes().await.unwrap().as_ref(), stored.as_slice());

    assert_eq!(
        upload(&phone, bomb_png(), "image/png").await.status(),
        StatusCode::PAYLOAD_TOO_LARGE
    );
    assert_eq!(
        upload(&phone, b"<svg onload=alert(1)>".to_vec(), "image/svg+xml")
            .await
            .status(),
        StatusCode::UNSUPPORTED_MEDIA_TYPE
    );
    assert_eq!(
        upload(&phone, vec![0u8; 13 * 1024 * 1024], "image/jpeg")
            .await
            .status(),
        StatusCode::PAYLOAD_TOO_LARGE
    );
    let nobody = server.browser();
    assert_eq!(
        upload(&nobody, original, "image/jpeg").await.status(),
        StatusCode::UNAUTHORIZED
    );

    // A listing shows the uploaded photo; a made-up name is refused.
    let listing: Listing = phone
        .post(
            "/api/seller/listings",
            &json!({"kind": "eggs", "capacity": "weekly", "quantity": 30, "price_fen": 150, "photo": name}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listing.image, format!("/uploads/{name}"));
    for bad in ["../bazar.db", "0123456789abcdef0123456789abcdef.jpg"] {
        let response = phone
            .post(
                "/api/seller/listings",
                &json!({"kind": "eggs", "capacity": "weekly", "quantity": 30, "price_fen": 150, "photo": bad}),
            )
            .await;
        assert_eq!(response.status(), 422, "{bad}");
    }
    server.stop().await;
}

#[tokio::test]
async fn trainers_record_narration_for_their_hub() {
    let server = TestServer::start().await;
    let trainer = server.signed_in(HUB, Role::Trainer, "trainer.voice").await;
    // The first page of an Ogg Opus stream: its header says it is audio.
    let mut recording = b"OggS\0\x02".to_vec();
    recording.extend_from_slice(&[0; 20]);
    recording.extend_from_slice(&[1, 19]);
    recording.extend_from_slice(b"OpusHead\x01\x01\x38\x01\x80\xbb\0\0\0\0\0");
    let save = |who: &Browser, body: Vec<u8>| {
        who.client
            .post(format!("{}/api/narration/l1-s1/ug", who.base))
            .header("content-type", "audio/ogg")
            .body(body)
            .send()
    };
    assert_eq!(server.get("/api/narration/l1-s1/ug").await.status(), 404);
    assert_eq!(
        save(&trainer, recording.clone()).await.unwrap().status(),
        StatusCode::NO_CONTENT
    );
    let played = server.get("/api/narration/l1-s1/ug?hub=yultuz-bagh").await;
    assert_eq!(played.headers()["content-type"], "audio/ogg");
    assert_eq!(played.bytes().await.unwrap().as_ref(), recording.as_slice());
    let listed: Vec<String> = server.get("/api/narration").await.json().await.unwrap();
    assert_eq!(listed, ["l1-s1/ug"]);

    assert_eq!(
        save(&trainer, b"<html>".to_vec()).await.unwrap().status(),
        StatusCode::UNSUPPORTED_MEDIA_TYPE
    );
    let operator = server.signed_in(HUB, Role::Operator, "not.a.trainer").await;
    assert_eq!(
        save(&operator, recording.clone()).await.unwrap().status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        save(&server.browser(), recording).await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
    server.stop().await;
}

/// Reads server-sent events of `path` into a channel of lecture states.
fn follow(server: &TestServer, path: &str) -> tokio::sync::mpsc::UnboundedReceiver<LectureState> {
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let url = server.url(path);
    tokio::spawn(async move {
        let mut response = reqwest::get(url).await.unwrap();
        assert_eq!(response.headers()["content-type"], "text/event-stream");
        let mut buffer = String::new();
        while let Ok(Some(chunk)) = response.chunk().await {
            buffer.push_str(&String::from_utf8_lossy(&chunk));
            while let Some(end) = buffer.find("\n\n") {
                let event: String = buffer.drain(..end + 2).collect();
                if let Some(data) = event.lines().find_map(|l| l.strip_prefix("data:")) {
                    let _ = tx.send(serde_json::from_str(data.trim()).unwrap());
                }
            }
        }
    });
    rx
}

async fn next(rx: &mut tokio::sync::mpsc::UnboundedReceiver<LectureState>) -> LectureState {
    tokio::time::timeout(Duration::from_secs(1), rx.recv())
        .await
        .expect("an event within a second")
        .unwrap()
}

#[tokio::test]
async fn phones_follow_the_trainers_lecture_live() {
    let server = TestServer::start().await;
    let trainer = server.signed_in(HUB, Role::Trainer, "trainer.live").await;
    let response = trainer
        .post("/api/lectures", &json!({"lesson": 1, "step": 0}))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let lecture: Lecture = response.json().await.unwrap();
    let code = lecture.state.code.clone();
    assert!(code.len() == 8 && lecture.join_url.ends_with(&format!("/seller/join#{code}")));
    assert!(lecture.qr_svg.contains("<svg"));

    let mut phone = follow(&server, &format!("/api/lectures/{code}/events"));
    assert_eq!(next(&mut phone).await.step, 0, "the state at once on connecting");
    let join = json!({"phone": "phone-0001-abcd"});
    assert_eq!(
        server
            .browser()
            .post(&format!("/api/lectures/{code}/join"), &join)
            .await
            .status(),
        204
    );
    assert_eq!(next(&mut phone).await.joined, 1);
    // Joining again after a lost connection counts once.
    server
        .browser()
        .post(&format!("/api/lectures/{code}/join"), &join)
        .await;
    assert_eq!(next(&mut phone).await.joined, 1);

    for step in 1..=3 {
        let moved = trainer
            .post(
                &format!("/api/lectures/{code}/step"),
                &json!({"lesson": 1, "step": step}),
            )
            .await;
        assert_eq!(moved.status(), 200);
        let seen = next(&mut phone).await;
        assert_eq!((seen.lesson, seen.step, seen.finished), (1, step, 0));
    }
    let done = json!({"phone": "phone-0001-abcd", "lesson": 1, "step": 3});
    server
        .browser()
        .post(&format!("/api/lectures/{code}/done"), &done)
        .await;
    assert_eq!(next(&mut phone).await.finished, 1);

    // A phone that reconnects gets where the lecture is now.
    let mut again = follow(&server, &format!("/api/lectures/{code}/events"));
    let now = next(&mut again).await;
    assert_eq!((now.step, now.joined, now.finished), (3, 1, 1));

    // Only the room's trainer moves it; unknown rooms are 404.
    let other = server.signed_in(HUB, Role::Trainer, "trainer.other").await;
    let response = other
        .post(
            &format!("/api/lectures/{code}/step"),
            &json!({"lesson": 1, "step": 0}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let operator = server.signed_in(HUB, Role::Operator, "lecture.ops").await;
    assert_eq!(
        operator
            .post("/api/lectures", &json!({"lesson": 1, "step": 0}))
            .await
            .status(),
        403
    );
    let unknown = if code == "0000" { "0001" } else { "0000" };
    assert_eq!(
        server.get(&format!("/api/lectures/{unknown}")).await.status(),
        404
    );
    assert_eq!(server.get("/api/lectures/abcd/events").await.status(), 404);

    // The room is in the database: a restarted server goes on with it.
    let data = server.stop().await;
    let server = TestServer::start_in(data).await;
    let mut after = follow(&server, &format!("/api/lectures/{code}/events"));
    let now = next(&mut after).await;
    assert_eq!((now.lesson, now.step, now.joined, now.finished), (1, 3, 1, 1));
    server.stop().await;
}
