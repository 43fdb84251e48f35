//! Ways to pay. Each is a [`PaymentGateway`]: what the customer is told
//! after placing an order. Online gateways (WeChat Pay, Alipay) plug in here
//! later, with their own state changes; the order flow does not change.

use bazar_api::{PaymentInstructions, PaymentMethod};

/// The account a hub receives transfers on.
#[derive(Debug, Clone, Default)]
pub struct HubAccount {
    pub payee: String,
    pub bank: String,
    pub account: String,
}

pub trait PaymentGateway: Send + Sync {
    fn method(&self) -> PaymentMethod;
    /// What the customer must do to pay `order_code`, if anything before delivery.
    fn instructions(&self, hub: &HubAccount, order_code: &str) -> Option<PaymentInstructions>;
}

/// Cash or phone payment to the courier: nothing to do beforehand.
pub struct OnDelivery;

impl PaymentGateway for OnDelivery {
    fn method(&self) -> PaymentMethod {
        PaymentMethod::OnDelivery
    }

    fn instructions(&self, _: &HubAccount, _: &str) -> Option<PaymentInstructions> {
        None
    }
}

/// A bank transfer to the hub's account, quoting the order code.
pub struct BankTransfer;

impl PaymentGateway for BankTransfer {
    fn method(&self) -> PaymentMethod {
        PaymentMethod::BankTransfer
    }

    fn instructions(&self, hub: &HubAccount, order_code: &str) -> Option<PaymentInstructions> {
        Some(PaymentInstructions {
            payee: hub.payee.clone(),
            bank: hub.bank.clone(),
            account: hub.account.clone(),
            reference: order_code.to_string(),
        })
    }
}

/// The gateway behind a payment method.
pub fn gateway(method: PaymentMethod) -> &'static dyn PaymentGateway {
    const GATEWAYS: [&dyn PaymentGateway; 2] = [&OnDelivery, &BankTransfer];
    GATEWAYS
        .into_iter()
        .find(|g| g.method() == method)
        .expect("every payment method has a gateway")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_transfer_quotes_the_order_code_and_delivery_needs_nothing() {
        let hub = HubAccount {
            payee: "Center".into(),
            bank: "Bank".into(),
            account: "6222 0000".into(),
        };
        let told = gateway(PaymentMethod::BankTransfer)
            .instructions(&hub, "BZ-ABCDEFGH")
            .unwrap();
        assert_eq!(told.reference, "BZ-ABCDEFGH");
        assert_eq!(told.account, "6222 0000");
        assert_eq!(
            gateway(PaymentMethod::OnDelivery).instructions(&hub, "BZ-ABCDEFGH"),
            None
        );
    }
}
