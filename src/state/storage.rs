//! JSON values in localStorage.

use leptos::prelude::*;
use serde::Serialize;
use serde_lite::Deserialize;

fn local() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The value stored under `key`, or `None` when missing or unreadable.
pub fn load<T: Deserialize>(key: &str) -> Option<T> {
    let text = local()?.get_item(key).ok()??;
    crate::api::from_json(&text)
}

/// Stores `value` under `key`. Returns false when storage is unavailable or full.
pub fn save<T: Serialize>(key: &str, value: &T) -> bool {
    let Ok(text) = serde_json::to_string(value) else {
        return false;
    };
    local().is_some_and(|s| s.set_item(key, &text).is_ok())
}

pub fn remove(key: &str) {
    if let Some(s) = local() {
        let _ = s.remove_item(key);
    }
}

/// A signal that starts from the value stored under `key` (or the default)
/// and writes every change back.
pub fn persisted<T>(key: &'static str) -> RwSignal<T>
where
    T: Serialize + Deserialize + Default + Send + Sync + 'static,
{
    let signal = RwSignal::new(load(key).unwrap_or_default());
    Effect::new(move |_| {
        signal.with(|value| save(key, value));
    });
    signal
}
