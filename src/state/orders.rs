//! Orders on their way to the server, sent exactly once.
//!
//! The checkout saves the order with a fresh Idempotency-Key **before** the
//! first try. The queue then sends it until the server answers: it waits and
//! retries after network errors, 5xx, 408 and 429 (honouring Retry-After),
//! tries again at once when the phone comes back online, and resumes when the
//! app is opened again. The server replays its first answer for a key it has
//! seen, so however often a bad network makes us resend, one order is made.

use bazar_api::{OrderRequest, PlacedOrder};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::Serialize;

use super::basket::BasketHandle;
use super::storage;
use crate::api::{self, FetchError};

const PENDING: &str = "bazar.pending_order";
const PLACED: &str = "bazar.orders";

#[derive(Debug, Clone, PartialEq, Serialize, serde_lite::Deserialize)]
pub struct PendingOrder {
    pub key: String,
    pub request: OrderRequest,
}

/// Where the order being placed is.
#[derive(Debug, Clone, PartialEq)]
pub enum SendState {
    Idle,
    Sending,
    /// No answer yet (offline, server busy); it will be sent again.
    Waiting {
        attempt: u32,
    },
    /// The server said no (sold out, invalid): nothing was ordered.
    Refused(FetchError),
    /// The server placed it.
    Placed(PlacedOrder),
}

/// The order queue in context.
#[derive(Clone, Copy)]
pub struct OrderQueue {
    pub state: RwSignal<SendState>,
    running: RwSignal<bool>,
    /// Set by the `online` event to cut a wait short.
    wake: RwSignal<bool>,
    basket: BasketHandle,
}

pub fn use_orders() -> OrderQueue {
    expect_context::<OrderQueue>()
}

/// A random (version 4) UUID from the browser's cryptographic source.
pub fn new_idempotency_key() -> String {
    let mut b = [0u8; 16];
    if let Some(crypto) = web_sys::window().and_then(|w| w.crypto().ok()) {
        let _ = crypto.get_random_values_with_u8_array(&mut b);
    }
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// Orders placed from this phone, newest first.
pub fn placed_orders() -> Vec<PlacedOrder> {
    storage::load(PLACED).unwrap_or_default()
}

pub fn pending_order() -> Option<PendingOrder> {
    storage::load(PENDING)
}

/// How long to wait before try number `attempt` (1 s, 2 s, 4 s ... 30 s),
/// or what the server asked for.
pub fn backoff_ms(attempt: u32, retry_after_s: Option<u32>) -> u32 {
    let exponential = 1000u32.saturating_mul(1 << attempt.min(5)).min(30_000);
    match retry_after_s {
        Some(s) => s.saturating_mul(1000).clamp(1000, 120_000),
        None => exponential,
    }
}

impl OrderQueue {
    /// Saves `request` as the pending order and starts sending it.
    pub fn place(self, request: OrderRequest) {
        let pending = PendingOrder {
            key: new_idempotency_key(),
            request,
        };
        if !storage::save(PENDING, &pending) {
            leptos::logging::warn!("could not save the pending order; sending it anyway");
        }
        self.run(Some(pending));
    }

    /// Sends the stored pending order, if any.
    pub fn resume(self) {
        if let Some(pending) = pending_order() {
            self.run(Some(pending));
        }
    }

    fn run(self, pending: Option<PendingOrder>) {
        if self.running.get_untracked() {
            self.wake.set(true);
            return;
        }
        let Some(pending) = pending else { return };
        self.running.set(true);
        spawn_local(async move {
            let mut attempt = 0;
            loop {
                self.state.set(SendState::Sending);
                match api::place_order(&pending.key, &pending.request).await {
                    Ok(placed) => {
                        let mut history = placed_orders();
                        history.retain(|o| o.code != placed.code);
                        history.insert(0, placed.clone());
                        storage::save(PLACED, &history);
                        storage::remove(PENDING);
                        self.basket.0.set(Default::default());
                        self.state.set(SendState::Placed(placed));
                        break;
                    }
                    Err(error) if error.is_retryable() => {
                        attempt += 1;
                        self.state.set(SendState::Waiting { attempt });
                        self.sleep(backoff_ms(attempt, error.retry_after())).await;
                    }
                    Err(error) => {
                        storage::remove(PENDING);
                        self.state.set(SendState::Refused(error));
                        break;
                    }
                }
            }
            self.running.set(false);
        });
    }

    /// Waits `ms`, or less if the phone comes back online.
    async fn sleep(self, ms: u32) {
        self.wake.set(false);
        let mut waited = 0;
        while waited < ms && !self.wake.get_untracked() {
            gloo_timers::future::TimeoutFuture::new(250).await;
            waited += 250;
        }
    }
}

/// Provides the queue, resumes an order left pending, and retries at once
/// when the network comes back.
pub fn provide_orders(basket: BasketHandle) -> OrderQueue {
    let queue = OrderQueue {
        state: RwSignal::new(SendState::Idle),
        running: RwSignal::new(false),
        wake: RwSignal::new(false),
        basket,
    };
    provide_context(queue);
    let handle = window_event_listener(leptos::ev::online, move |_| {
        queue.wake.set(true);
        queue.resume();
    });
    on_cleanup(move || handle.remove());
    queue.resume();
    queue
}

impl FetchError {
    /// Whether sending again may succeed: no answer, or a passing problem.
    pub fn is_retryable(&self) -> bool {
        match self {
            FetchError::Network | FetchError::Decode => true,
            FetchError::Api { status, .. } => *status >= 500 || *status == 408 || *status == 429,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_order_reads_back_whole() {
        use bazar_api::{Customer, LineRequest, PaymentMethod};
        let pending = PendingOrder {
            key: "7d0c0f4e-5d7a-4f0e-9a51-0b8f2d1c3e4a".into(),
            request: OrderRequest {
                customer: Customer {
                    name: "顾客".into(),
                    phone: "13800138000".into(),
                    address: "北京市朝阳区幸福路1号".into(),
                    zone: "beijing".into(),
                },
                lines: vec![LineRequest {
                    product_id: 3,
                    quantity: 2,
                }],
                payment: PaymentMethod::BankTransfer,
            },
        };
        let text = serde_json::to_string(&pending).unwrap();
        assert_eq!(crate::api::from_json::<PendingOrder>(&text), Some(pending));
    }

    #[test]
    fn backoff_doubles_up_to_thirty_seconds_and_obeys_retry_after() {
        assert_eq!(backoff_ms(0, None), 1000);
        assert_eq!(backoff_ms(1, None), 2000);
        assert_eq!(backoff_ms(3, None), 8000);
        assert_eq!(backoff_ms(10, None), 30_000);
        assert_eq!(backoff_ms(1, Some(7)), 7000);
        assert_eq!(backoff_ms(1, Some(0)), 1000);
    }
}
