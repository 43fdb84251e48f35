//! What the app remembers on the phone: the basket, the checkout form, and
//! orders waiting to be sent or already placed. Each lives in localStorage so
//! a reload, a lost connection or a closed tab loses nothing.

pub mod basket;
pub mod checkout;
pub mod orders;
pub mod storage;
