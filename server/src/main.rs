//! Starts the Bazar server: reads the configuration, opens the database and
//! serves until SIGINT or SIGTERM.

use bazar_server::config::Command;
use bazar_server::{AppState, Config, Store};
use clap::Parser;
use tracing_subscriber::EnvFilter;

/// mimalloc: every request allocates a little (headers, routing, futures),
/// and the system allocator spent a tenth of the catalog's time on it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")),
        )
        .init();
    let config = Config::parse();
    if let Some(Command::Backup { to }) = &config.command {
        let store = Store::open_existing(&config.db).await?;
        store.backup(to).await?;
        store.close().await;
        println!("backed up {} to {}", config.db, to.display());
        return Ok(());
    }
    if let Some(Command::CreateAccount { role, hub, username }) = &config.command {
        return create_account(&config, role, hub.as_deref(), username).await;
    }
    let store = Store::open_with(&config.db, config.demo()).await?;
    let listener = bazar_server::listen::bind(config.addr)?;
    tracing::info!(
        addr = %listener.local_addr()?,
        db = %config.db,
        dist = %config.dist.display(),
        "Bazar is serving on http://{}",
        listener.local_addr()?
    );
    let state = AppState::new(store, config.rate_limits == "on")
        .with_uploads(&config.uploads)
        .with_trusted_proxies(config.trusted_proxies.clone())
        .with_public_url(config.public_url.clone());
    bazar_server::serve(listener, state, &config.dist, shutdown_signal()).await?;
    tracing::info!("stopped");
    Ok(())
}

/// Creates an admin or staff account with a random password, printed this once.
async fn create_account(
    config: &Config,
    role: &str,
    hub: Option<&str>,
    username: &str,
) -> anyhow::Result<()> {
    let role = bazar_api::account::Role::parse(role).ok_or_else(|| anyhow::anyhow!("unknown role {role}"))?;
    if !bazar_api::account::is_username(username) {
        anyhow::bail!("a username is 3 to 32 lowercase letters, digits, '.', '-' or '_'");
    }
    let store = Store::open_with(&config.db, config.demo()).await?;
    // 20 letters and digits from the OS random source: about 119 bits.
    let password = bazar_server::auth::random_password();
    let hash = bazar_server::auth::hash_password_blocking(password.clone()).await;
    match hub {
        Some(hub) if role != bazar_api::account::Role::Admin => {
            store.create_staff_account(hub, role, username, &hash).await?;
            println!("{} account {username} of {hub} created.", role.as_str());
        }
        None if role == bazar_api::account::Role::Admin => {
            store.create_admin(username, &hash).await?;
            println!("admin account {username} created.");
        }
        _ => anyhow::bail!("an admin belongs to no hub; an operator or trainer needs --hub"),
    }
    store.close().await;
    println!("Password (shown only now): {password}");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down");
}
