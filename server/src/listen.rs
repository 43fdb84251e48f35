//! Accepting connections with bounds: a client must send its request head
//! within [`Limits::header_timeout`] (also how long a kept-alive connection
//! may sit idle), at most [`Limits::max_connections`] are open at once and
//! at most [`Limits::per_address`] from one address (an IPv6 /64). A
//! connection over a cap is accepted and closed at once, so the listen
//! queue keeps moving and honest clients get in while a flood waits for
//! its timeout.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpSocket};
use tokio::sync::Semaphore;

use crate::client::{TrustedProxies, throttle_key};

/// The connection bounds of [`serve`].
#[derive(Debug, Clone)]
pub struct Limits {
    /// How long a client has to send a request's head, from the moment the
    /// server waits for it: a new connection, or one kept alive after an
    /// answer (hyper's header-read timeout covers both).
    pub header_timeout: Duration,
    /// Open connections in all.
    pub max_connections: usize,
    /// Open connections from one address (not counted for trusted proxies,
    /// which carry everyone's).
    pub per_address: usize,
}

impl Limits {
    /// 10 s for a request head (a phone on a slow network sends its few
    /// hundred bytes in well under a second); per address, room for forty
    /// browsers behind one carrier-grade NAT (six connections each);
    /// in all, what the process's file limit allows with room for the
    /// database and the uploads.
    pub fn for_this_process() -> Limits {
        let files = raise_file_limit();
        Limits {
            header_timeout: Duration::from_secs(10),
            max_connections: usize::try_from(files.saturating_sub(256))
                .unwrap_or(usize::MAX)
                .clamp(64, 16_384),
            per_address: 256,
        }
    }
}

/// Raises this process's soft limit of open files to its hard limit and
/// answers the limit now.
fn raise_file_limit() -> u64 {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit and setrlimit only read and write the struct passed.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) != 0 {
            return 1024;
        }
        if limit.rlim_cur < limit.rlim_max {
            let raised = libc::rlimit {
                rlim_cur: limit.rlim_max,
                rlim_max: limit.rlim_max,
            };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                limit = raised;
            }
        }
    }
    limit.rlim_cur
}

/// Binds `addr` with a long listen queue (the kernel caps it at somaxconn).
pub fn bind(addr: SocketAddr) -> std::io::Result<TcpListener> {
    let socket = if addr.is_ipv4() {
        TcpSocket::new_v4()?
    } else {
        TcpSocket::new_v6()?
    };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(4096)
}

/// Open connections per address.
#[derive(Default, Clone)]
struct PerAddress(Arc<Mutex<HashMap<IpAddr, usize>>>);

/// One open connection of an address; leaving it counts it out.
struct Counted {
    map: PerAddress,
    key: IpAddr,
}

impl PerAddress {
    fn enter(&self, key: IpAddr, cap: usize) -> Option<Counted> {
        let mut open = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let count = open.entry(key).or_insert(0);
        if *count >= cap {
            return None;
        }
        *count += 1;
        Some(Counted {
            map: self.clone(),
            key,
        })
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        let mut open = self.map.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(count) = open.get_mut(&self.key) {
            *count -= 1;
            if *count == 0 {
                open.remove(&self.key);
            }
        }
    }
}

/// Serves `app` on `listener` within `limits` until `shutdown` resolves,
/// then stops accepting and waits for the open connections' requests to end.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    trusted: TrustedProxies,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) {
    let all = Arc::new(Semaphore::new(limits.max_connections));
    let per_address = PerAddress::default();
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .keep_alive(true);
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of files or memory for a moment: the connections
                    // open now will close; try again shortly.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Ok(permit) = all.clone().try_acquire_owned() else {
            tracing::debug!(%peer, "too many connections: closed");
            continue;
        };
        let counted = if trusted.contains(peer.ip()) {
            None
        } else {
            match per_address.enter(throttle_key(peer.ip()), limits.per_address) {
                Some(counted) => Some(counted),
                None => {
                    tracing::debug!(%peer, "too many connections from one address: closed");
                    continue;
                }
            }
        };
        let _ = stream.set_nodelay(true);
        let router = app.clone();
        let service =
            hyper::service::service_fn(move |mut request: hyper::Request<hyper::body::Incoming>| {
                request.extensions_mut().insert(ConnectInfo(peer));
                tower::ServiceExt::oneshot(router.clone(), request)
            });
        let connection = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            let _ = connection.await;
            drop(counted);
            drop(permit);
        });
    }
    drop(listener);
    graceful.shutdown().await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_open_connections_per_address() {
        let map = PerAddress::default();
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let first = map.enter(a, 2).unwrap();
        let second = map.enter(a, 2).unwrap();
        assert!(map.enter(a, 2).is_none(), "the third is refused");
        assert!(map.enter("10.0.0.2".parse().unwrap(), 2).is_some());
        drop(first);
        assert!(map.enter(a, 2).is_some(), "a closed one makes room");
        drop(second);
    }
}
