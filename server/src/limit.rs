//! Throttling for the routes that must not be hammered (trace look-ups, so
//! codes can't be enumerated; orders; sign-ins): a fixed window per key, an
//! address or an account.

use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct RateLimiter<K = IpAddr> {
    limit: u32,
    window: Duration,
    enabled: bool,
    seen: Mutex<HashMap<K, (Instant, u32)>>,
}

impl<K: Hash + Eq> RateLimiter<K> {
    /// At most `limit` requests per `window` from one address; `enabled =
    /// false` lets everything through (load tests from one address).
    pub fn new(limit: u32, window: Duration, enabled: bool) -> RateLimiter<K> {
        RateLimiter {
            limit,
            window,
            enabled,
            seen: Mutex::new(HashMap::new()),
        }
    }

    /// Counts one request of `key`: `Ok` to go on, or `Err(seconds to wait)`.
    pub fn check(&self, key: K) -> Result<(), u64> {
        self.check_at(key, Instant::now(), true)
    }

    /// Whether `key` is over its limit now, without counting anything: for
    /// limits on failures, which are counted with [`RateLimiter::hit`].
    pub fn blocked(&self, key: K) -> Result<(), u64> {
        self.check_at(key, Instant::now(), false)
    }

    /// Counts one failure of `key`.
    pub fn hit(&self, key: K) {
        let _ = self.check_at(key, Instant::now(), true);
    }

    fn check_at(&self, addr: K, now: Instant, count: bool) -> Result<(), u64> {
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
        if count {
            entry.1 += 1;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_over_the_limit_until_the_window_ends() {
        let limiter: RateLimiter = RateLimiter::new(3, Duration::from_secs(60), true);
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        let t = Instant::now();
        for _ in 0..3 {
            assert_eq!(limiter.check_at(a, t, true), Ok(()));
        }
        assert_eq!(limiter.check_at(a, t + Duration::from_secs(10), true), Err(50));
        assert_eq!(
            limiter.check_at(b, t, true),
            Ok(()),
            "another address is not affected"
        );
        assert_eq!(limiter.check_at(a, t + Duration::from_secs(60), true), Ok(()));
    }

    #[test]
    fn failures_are_counted_only_when_hit() {
        let limiter: RateLimiter<String> = RateLimiter::new(2, Duration::from_secs(60), true);
        for _ in 0..5 {
            assert_eq!(limiter.blocked("family".into()), Ok(()));
        }
        limiter.hit("family".into());
        limiter.hit("family".into());
        assert!(limiter.blocked("family".into()).is_err());
        assert_eq!(limiter.blocked("other".into()), Ok(()));
    }

    #[test]
    fn lets_everything_through_when_off() {
        let limiter: RateLimiter = RateLimiter::new(1, Duration::from_secs(60), false);
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        for _ in 0..10 {
            assert_eq!(limiter.check(a), Ok(()));
        }
    }
}
