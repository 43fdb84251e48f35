//! The architecture's rules, checked on the sources (as rust-analyzer's
//! tidy tests do): what ARCHITECTURE.md promises stays true.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// Every `.rs` file below `dir`, with its text.
fn sources(dir: &str) -> Vec<(PathBuf, String)> {
    fn walk(dir: &Path, out: &mut Vec<(PathBuf, String)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                out.push((path, text));
            }
        }
    }
    let mut out = Vec::new();
    walk(&root().join(dir), &mut out);
    assert!(!out.is_empty(), "{dir} has sources");
    out
}

fn relative(path: &Path) -> String {
    path.strip_prefix(root()).unwrap().display().to_string()
}

/// The names in a Cargo.toml's `[dependencies]` table.
fn dependencies(manifest: &str) -> Vec<String> {
    let text = std::fs::read_to_string(root().join(manifest)).unwrap();
    let table = text.split("[dependencies]").nth(1).unwrap();
    let table = table.split("\n[").next().unwrap();
    table
        .lines()
        .filter_map(|line| line.split_once('=').map(|(name, _)| name.trim().to_string()))
        .filter(|name| !name.is_empty() && !name.starts_with('#'))
        .collect()
}

#[test]
fn only_the_store_speaks_sql() {
    let outside: Vec<String> = sources("server/src")
        .into_iter()
        .filter(|(path, _)| !path.starts_with(root().join("server/src/store")))
        .filter(|(_, text)| text.contains("sqlx::") || text.contains("use sqlx"))
        .map(|(path, _)| relative(&path))
        .collect();
    assert!(
        outside.is_empty(),
        "sqlx used outside server/src/store/: {outside:?}"
    );
}

#[test]
fn the_contract_knows_nothing_of_web_frameworks_or_databases() {
    let deps = dependencies("api/Cargo.toml");
    for forbidden in [
        "leptos",
        "axum",
        "sqlx",
        "tokio",
        "hyper",
        "web-sys",
        "gloo-net",
        "wasm-bindgen",
    ] {
        assert!(
            !deps.iter().any(|d| d == forbidden),
            "bazar-api depends on {forbidden}: {deps:?}"
        );
    }
    assert!(deps.iter().any(|d| d == "serde"), "the table was read: {deps:?}");
}

#[test]
fn the_app_and_the_server_meet_only_in_the_contract() {
    let app = dependencies("Cargo.toml");
    assert!(!app.iter().any(|d| d == "bazar-server"), "{app:?}");
    let server = dependencies("server/Cargo.toml");
    assert!(!server.iter().any(|d| d == "bazar"), "{server:?}");
    for (path, text) in sources("src") {
        assert!(
            !text.contains("bazar_server"),
            "{} uses the server",
            relative(&path)
        );
    }
    for (path, text) in sources("server/src") {
        assert!(
            !text.contains("use bazar::") && !text.contains(" bazar::"),
            "{} uses the app",
            relative(&path)
        );
    }
}

#[test]
fn every_api_address_of_the_apps_is_built_in_one_module() {
    let inline: Vec<String> = sources("src")
        .into_iter()
        .filter(|(path, _)| *path != root().join("src/urls.rs"))
        .filter(|(_, text)| text.contains("\"/api/") || text.contains("\"/api\""))
        .map(|(path, _)| relative(&path))
        .collect();
    assert!(
        inline.is_empty(),
        "/api/ addresses outside src/urls.rs: {inline:?}"
    );
}
