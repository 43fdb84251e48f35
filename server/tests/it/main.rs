//! The server's integration tests, one binary (linking one test binary per
//! file cost more than running them on two cores): each module starts the
//! real router on a random loopback port against a fresh SQLite file and
//! speaks HTTP to it. `logs.rs` stays a binary of its own: it installs the
//! process's one log subscriber.

mod common;

mod abuse;
mod backup;
mod center;
mod contract;
mod http;
mod manage;
mod orders;
mod tidy;
mod tutor;
