//! What the customer typed at checkout, kept on the phone as they type, so
//! nothing is lost to a reload, a call or a dead battery.

use bazar_api::PaymentMethod;
use leptos::prelude::*;
use serde::Serialize;

use super::storage;

const KEY: &str = "bazar.checkout";

#[derive(Debug, Clone, PartialEq, Serialize, serde_lite::Deserialize)]
pub struct CheckoutDraft {
    pub name: String,
    pub phone: String,
    pub address: String,
    pub zone: String,
    pub payment: PaymentMethod,
}

impl Default for CheckoutDraft {
    fn default() -> Self {
        CheckoutDraft {
            name: String::new(),
            phone: String::new(),
            address: String::new(),
            zone: String::new(),
            payment: PaymentMethod::OnDelivery,
        }
    }
}

#[derive(Clone, Copy)]
pub struct DraftHandle(pub RwSignal<CheckoutDraft>);

pub fn use_draft() -> DraftHandle {
    expect_context::<DraftHandle>()
}

pub fn provide_draft() -> DraftHandle {
    let handle = DraftHandle(storage::persisted(KEY));
    provide_context(handle);
    handle
}
