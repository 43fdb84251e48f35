//! Where the server listens, which database file it uses and which folder of
//! built app files it serves: from flags or the environment.

use std::net::SocketAddr;
use std::path::PathBuf;

use crate::store::Location;

fn parse_location(value: &str) -> Result<Location, std::convert::Infallible> {
    Ok(Location::parse(value))
}

/// What to do besides serving.
#[derive(Debug, Clone, clap::Subcommand)]
pub enum Command {
    /// Write a consistent copy of the live SQLite database to a new file,
    /// while the server keeps taking orders. Restore by starting a server on
    /// the copy. (PostgreSQL: pg_dump, see README.md.)
    Backup {
        /// The file to write; it must not exist yet.
        to: PathBuf,
    },
    /// Create an account and print its new password once (only its hash
    /// is stored): a platform admin (no hub; it creates hubs and their
    /// operators from the center's screens), or an operator or trainer of a hub.
    CreateAccount {
        /// `admin`, `operator` or `trainer`.
        #[arg(long, value_parser = ["admin", "operator", "trainer"])]
        role: String,
        /// The hub's slug, e.g. `yultuz-bagh` (not for an admin).
        #[arg(long, required_if_eq_any = [("role", "operator"), ("role", "trainer")])]
        hub: Option<String>,
        /// 3 to 32 lowercase letters, digits, `.`, `-` or `_`.
        #[arg(long)]
        username: String,
    },
}

#[derive(Debug, Clone, clap::Parser)]
#[command(name = "bazar-server", version, about = "The Bazar shop server")]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "BAZAR_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// The database: a SQLite file (created and seeded with the demo hub
    /// when missing), or a `postgres://` URL of a PostgreSQL database
    /// (migrated, and seeded when it has no hub).
    #[arg(long, env = "BAZAR_DB", default_value = "bazar.db", value_parser = parse_location)]
    pub db: Location,
    /// The folder of the built app (trunk's dist/).
    #[arg(long, env = "BAZAR_DIST", default_value = "dist")]
    pub dist: PathBuf,
    /// Where families' photos are stored.
    #[arg(long, env = "BAZAR_UPLOADS", default_value = "uploads")]
    pub uploads: PathBuf,
    /// Per-address throttling of trace look-ups: `on` (default) or `off`
    /// (for load tests from one address).
    #[arg(long, env = "BAZAR_RATE_LIMITS", default_value = "on", value_parser = ["on", "off"])]
    pub rate_limits: String,
    /// Proxies in front of the server whose `X-Forwarded-For` names the
    /// client, as CIDRs separated by commas (e.g. `127.0.0.1,10.0.0.0/8`).
    /// Without it every address is the client's own.
    #[arg(long, env = "BAZAR_TRUSTED_PROXIES", default_value = "", value_parser = crate::client::TrustedProxies::parse)]
    pub trusted_proxies: crate::client::TrustedProxies,
    /// The address the public reaches the shop on, e.g.
    /// `https://bazar.example`: printed links use it, and when it is https
    /// cookies are always `Secure` and HSTS is sent.
    #[arg(long, env = "BAZAR_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Whether an empty database gets the demo hub: `on` (default) or `off`
    /// (a real township starting empty; also `--no-demo`).
    #[arg(long, env = "BAZAR_DEMO", default_value = "on", value_parser = ["on", "off"])]
    pub demo: String,
    /// Start on an empty database without the demo hub (as `BAZAR_DEMO=off`).
    #[arg(long)]
    pub no_demo: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

impl Config {
    /// Whether an empty database gets the demo hub.
    pub fn demo(&self) -> bool {
        self.demo == "on" && !self.no_demo
    }
}
