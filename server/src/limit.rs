//! Per-address throttling for the routes that must not be hammered (trace
//! look-ups, so codes can't be enumerated): a fixed window per address.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct RateLimiter {
    limit: u32,
    window: Duration,
    enabled: bool,
    seen: Mutex<HashMap<IpAddr, (Instant, u32)>>,
}

impl RateLimiter {
    /// At most `limit` requests per `window` from one address; `enabled =
    /// false` lets everything through (load tests from one address).
    pub fn new(limit: u32, window: Duration, enabled: bool) -> RateLimiter {
        RateLimiter {
            limit,
            window,
            enabled,
            seen: Mutex::new(HashMap::new()),
        }
    }

    /// `Ok` to go on, or `Err(seconds to wait)`.
    pub fn check(&self, addr: IpAddr) -> Result<(), u64> {
        self.check_at(addr, Instant::now())
    }

    fn check_at(&self, addr: IpAddr, now: Instant) -> Result<(), u64> {
        if !self.enabled {
            return Ok(());
        }
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        if seen.len() > 100_000 {
            // Forget windows that are over, so the map cannot grow without end.
            seen.retain(|_, (start, _)| now.duration_since(*start) < self.window);
        }
        let entry = seen.entry(addr).or_insert((now, 0));
        if now.duration_since(entry.0) >= self.window {
            *entry = (now, 0);
        }
        if entry.1 >= self.limit {
            let wait = self.window.saturating_sub(now.duration_since(entry.0));
            return Err(wait.as_secs().max(1));
        }
        entry.1 += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_over_the_limit_until_the_window_ends() {
        let limiter = RateLimiter::new(3, Duration::from_secs(60), true);
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        let t = Instant::now();
        for _ in 0..3 {
            assert_eq!(limiter.check_at(a, t), Ok(()));
        }
        assert_eq!(limiter.check_at(a, t + Duration::from_secs(10)), Err(50));
        assert_eq!(limiter.check_at(b, t), Ok(()), "another address is not affected");
        assert_eq!(limiter.check_at(a, t + Duration::from_secs(60)), Ok(()));
    }

    #[test]
    fn lets_everything_through_when_off() {
        let limiter = RateLimiter::new(1, Duration::from_secs(60), false);
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        for _ in 0..10 {
            assert_eq!(limiter.check(a), Ok(()));
        }
    }
}
