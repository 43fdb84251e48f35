//! The basket: what the customer means to buy, with a copy of each product
//! as last seen so it shows offline too.

use bazar_api::order::{self, MAX_QUANTITY};
use bazar_api::{Fen, LineRequest, Product};
use leptos::prelude::*;
use serde::Serialize;

use super::storage;

const KEY: &str = "bazar.basket";

#[derive(Debug, Clone, PartialEq, Serialize, serde_lite::Deserialize)]
pub struct BasketLine {
    pub product: Product,
    pub quantity: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, serde_lite::Deserialize)]
pub struct Basket {
    pub lines: Vec<BasketLine>,
}

impl Basket {
    /// Adds `quantity` of `product`, merging with a line already there.
    pub fn add(&mut self, product: Product, quantity: u32) {
        match self.lines.iter_mut().find(|l| l.product.id == product.id) {
            Some(line) => {
                line.quantity = (line.quantity + quantity)
                    .min(MAX_QUANTITY)
                    .min(product.order_limit());
                line.product = product;
            }
            None => self.lines.push(BasketLine {
                quantity: quantity.clamp(1, MAX_QUANTITY.min(product.order_limit())),
                product,
            }),
        }
    }

    /// Sets a line's quantity; zero removes it.
    pub fn set_quantity(&mut self, product_id: i64, quantity: u32) {
        if quantity == 0 {
            self.lines.retain(|l| l.product.id != product_id);
        } else if let Some(line) = self.lines.iter_mut().find(|l| l.product.id == product_id) {
            line.quantity = quantity.min(MAX_QUANTITY).min(line.product.order_limit());
        }
    }

    /// Replaces the stored copies with fresher ones (prices, what is left).
    /// A product no longer listed keeps its line, with nothing available.
    pub fn refresh(&mut self, fresh: &[Product]) {
        for line in &mut self.lines {
            match fresh.iter().find(|p| p.id == line.product.id) {
                Some(p) => line.product = p.clone(),
                None => line.product.available = 0,
            }
        }
    }

    pub fn count(&self) -> u32 {
        self.lines.iter().map(|l| l.quantity).sum()
    }

    pub fn subtotal(&self) -> Fen {
        order::subtotal(self.lines.iter().map(|l| (l.quantity, l.product.price_fen)))
    }

    /// Lines asking for more than is left: they must change before checkout.
    pub fn over_available(&self) -> Vec<i64> {
        self.lines
            .iter()
            .filter(|l| i64::from(l.quantity) > l.product.available)
            .map(|l| l.product.id)
            .collect()
    }

    pub fn order_lines(&self) -> Vec<LineRequest> {
        self.lines
            .iter()
            .map(|l| LineRequest {
                product_id: l.product.id,
                quantity: l.quantity,
            })
            .collect()
    }
}

/// The basket in context (a newtype, so it can't be mistaken for another signal).
#[derive(Clone, Copy)]
pub struct BasketHandle(pub RwSignal<Basket>);

pub fn use_basket() -> BasketHandle {
    expect_context::<BasketHandle>()
}

/// Loads the stored basket and saves every change back.
pub fn provide_basket() -> BasketHandle {
    let handle = BasketHandle(storage::persisted(KEY));
    provide_context(handle);
    handle
}

#[cfg(test)]
mod tests {
    use super::*;
    use bazar_api::{Capacity, FamilySummary, Localized, ProductKind};

    fn product(id: i64, price: i64, available: i64) -> Product {
        Product {
            id,
            kind: ProductKind::Eggs,
            names: Localized::default(),
            unit: Localized::default(),
            price_fen: Fen(price),
            capacity: Capacity::Weekly,
            available,
            max_per_order: 6,
            image: String::new(),
            family: FamilySummary {
                id: 1,
                names: Localized::default(),
                village: Localized::default(),
                photo: String::new(),
            },
        }
    }

    #[test]
    fn a_stored_basket_reads_back_whole() {
        let mut b = Basket::default();
        b.add(product(1, 2600, 10), 2);
        b.add(product(2, 450, 0), 1);
        let text = serde_json::to_string(&b).unwrap();
        assert_eq!(crate::api::from_json::<Basket>(&text), Some(b));
        assert_eq!(crate::api::from_json::<Basket>("{\"lines\": 3}"), None);
        // A basket stored before products said their maximum per order
        // still reads, with its kind's maximum.
        let mut old: serde_json::Value = serde_json::from_str(&text).unwrap();
        old["lines"][0]["product"]
            .as_object_mut()
            .unwrap()
            .remove("max_per_order");
        let old = crate::api::from_json::<Basket>(&old.to_string()).unwrap();
        assert_eq!(old.lines[0].product.max_per_order, 0);
        assert_eq!(
            old.lines[0].product.order_limit(),
            ProductKind::Eggs.default_max_per_order()
        );
    }

    #[test]
    fn no_line_takes_more_than_its_product_allows_per_order() {
        let mut b = Basket::default();
        b.add(product(1, 2600, 100), 5);
        b.add(product(1, 2600, 100), 5);
        assert_eq!(b.count(), 6, "eggs: at most 6 boxes an order");
        b.set_quantity(1, 999);
        assert_eq!(b.count(), 6);
        b.add(product(2, 450, 100), 50);
        assert_eq!(b.lines[1].quantity, 6);
    }

    #[test]
    fn adding_merges_and_totals_in_fen() {
        let mut b = Basket::default();
        b.add(product(1, 2600, 10), 2);
        b.add(product(2, 450, 100), 3);
        b.add(product(1, 2600, 10), 1);
        assert_eq!(b.lines.len(), 2);
        assert_eq!(b.count(), 6);
        assert_eq!(b.subtotal(), Fen(3 * 2600 + 3 * 450));
    }

    #[test]
    fn lines_over_what_is_left_are_flagged_after_a_refresh() {
        let mut b = Basket::default();
        b.add(product(1, 2600, 10), 4);
        b.add(product(2, 450, 100), 1);
        assert!(b.over_available().is_empty());
        b.refresh(&[product(1, 2600, 3)]);
        assert_eq!(b.over_available(), vec![1, 2], "2 is no longer listed");
        b.set_quantity(1, 3);
        b.set_quantity(2, 0);
        assert!(b.over_available().is_empty());
        assert_eq!(b.lines.len(), 1);
    }
}
