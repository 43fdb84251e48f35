//! Throttling for the routes that must not be hammered (trace look-ups, so
//! codes can't be enumerated; orders; sign-ins; lecture rooms): a fixed
//! window per key (a client's address, see [`crate::client`], or an account).
//!
//! Every check is O(1): windows live in a map and, in the order they
//! started, in a queue; windows that are over leave from the queue's front
//! on the next check, and past [`MAX_KEYS`] the oldest window goes first, so
//! rotating keys can neither grow the map without end nor slow it down.

use std::collections::{HashMap, VecDeque};
use std::hash::Hash;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The most keys one limiter remembers. Past it the oldest window is
/// forgotten: a client that rotates through more keys than this within one
/// window gets a fresh count for its oldest one, which costs it as much work
/// as rotating does.
pub const MAX_KEYS: usize = 200_000;

pub struct RateLimiter<K = IpAddr> {
    limit: u32,
    window: Duration,
    enabled: bool,
    windows: Mutex<Windows<K>>,
}

struct Windows<K> {
    counts: HashMap<K, (Instant, u32)>,
    /// Each key of `counts` once, with its window's start, oldest first.
    started: VecDeque<(Instant, K)>,
}

impl<K: Hash + Eq + Clone> RateLimiter<K> {
    /// At most `limit` per `window` for one key; `enabled = false` lets
    /// everything through (load tests from one address).
    pub fn new(limit: u32, window: Duration, enabled: bool) -> RateLimiter<K> {
        RateLimiter {
            limit,
            window,
            enabled,
            windows: Mutex::new(Windows {
                counts: HashMap::new(),
                started: VecDeque::new(),
            }),
        }
    }

    /// Counts one request of `key`: `Ok` to go on, or `Err(seconds to
    /// wait)` when the key has used its window up (then nothing is counted).
    pub fn check(&self, key: K) -> Result<(), u64> {
        self.check_at(key, Instant::now())
    }

    /// Counts an attempt before it is made (a password about to be hashed),
    /// so that attempts sent all at once can't all get in before the first
    /// one fails. [`RateLimiter::release`] gives it back when it succeeded.
    pub fn reserve(&self, key: K) -> Result<(), u64> {
        self.check_at(key, Instant::now())
    }

    /// Gives back one attempt counted by [`RateLimiter::reserve`].
    pub fn release(&self, key: &K) {
        let mut windows = self.lock();
        if let Some((_, count)) = windows.counts.get_mut(key) {
            *count = count.saturating_sub(1);
        }
    }

    /// Whether `key` has used its window up, without counting anything:
    /// for limits on misses, which are counted with [`RateLimiter::check`].
    pub fn blocked(&self, key: &K) -> Result<(), u64> {
        if !self.enabled {
            return Ok(());
        }
        let now = Instant::now();
        let mut windows = self.lock();
        self.expire(&mut windows, now);
        match windows.counts.get(key) {
            Some((start, count)) if *count >= self.limit => {
                let wait = self.window.saturating_sub(now.saturating_duration_since(*start));
                Err(wait.as_secs().max(1))
            }
            _ => Ok(()),
        }
    }

    /// How many `key` has used of its current window.
    pub fn used(&self, key: &K) -> u32 {
        let now = Instant::now();
        let mut windows = self.lock();
        self.expire(&mut windows, now);
        windows.counts.get(key).map_or(0, |(_, count)| *count)
    }

    /// How many keys are remembered now.
    pub fn len(&self) -> usize {
        self.lock().counts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Windows<K>> {
        self.windows.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Forgets the windows that are over, oldest first, and the oldest ones
    /// beyond [`MAX_KEYS`].
    fn expire(&self, windows: &mut Windows<K>, now: Instant) {
        while let Some((start, _)) = windows.started.front() {
            let over = now.saturating_duration_since(*start) >= self.window;
            if !over && windows.counts.len() < MAX_KEYS {
                break;
            }
            if let Some((_, key)) = windows.started.pop_front() {
                windows.counts.remove(&key);
            }
        }
    }

    fn check_at(&self, key: K, now: Instant) -> Result<(), u64> {
        if !self.enabled {
            return Ok(());
        }
        let mut windows = self.lock();
        self.expire(&mut windows, now);
        let Windows { counts, started } = &mut *windows;
        let entry = counts.entry(key).or_insert_with_key(|key| {
            started.push_back((now, key.clone()));
            (now, 0)
        });
        if entry.1 >= self.limit {
            let wait = self.window.saturating_sub(now.saturating_duration_since(entry.0));
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
        let limiter: RateLimiter = RateLimiter::new(3, Duration::from_secs(60), true);
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
    fn a_reserved_attempt_is_given_back() {
        let limiter: RateLimiter<String> = RateLimiter::new(2, Duration::from_secs(60), true);
        for _ in 0..5 {
            limiter.reserve("ops".into()).unwrap();
            limiter.release(&"ops".into());
        }
        assert_eq!(limiter.used(&"ops".into()), 0);
        limiter.reserve("ops".into()).unwrap();
        limiter.reserve("ops".into()).unwrap();
        assert!(limiter.reserve("ops".into()).is_err());
        assert_eq!(limiter.reserve("other".into()), Ok(()));
    }

    #[test]
    fn blocked_counts_nothing() {
        let limiter: RateLimiter<u32> = RateLimiter::new(2, Duration::from_secs(60), true);
        for _ in 0..10 {
            assert_eq!(limiter.blocked(&1), Ok(()));
        }
        limiter.check(1).unwrap();
        limiter.check(1).unwrap();
        assert!(limiter.blocked(&1).is_err());
        assert_eq!(limiter.blocked(&2), Ok(()));
    }

    #[test]
    fn windows_that_are_over_are_forgotten() {
        let limiter: RateLimiter<u32> = RateLimiter::new(1, Duration::from_secs(60), true);
        let t = Instant::now();
        for key in 0..1000 {
            limiter.check_at(key, t).unwrap();
        }
        assert_eq!(limiter.len(), 1000);
        limiter.check_at(5000, t + Duration::from_secs(61)).unwrap();
        assert_eq!(limiter.len(), 1, "only the new window is left");
    }

    #[test]
    fn the_map_never_holds_more_than_max_keys() {
        let limiter: RateLimiter<u32> = RateLimiter::new(1, Duration::from_secs(60), true);
        let t = Instant::now();
        for key in 0..(MAX_KEYS as u32 + 10) {
            limiter.check_at(key, t).unwrap();
        }
        assert_eq!(limiter.len(), MAX_KEYS);
        assert_eq!(
            limiter.check_at(MAX_KEYS as u32 + 9, t),
            Err(60),
            "the newest keys are still counted"
        );
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
