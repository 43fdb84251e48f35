-- A hub may ship free from goods worth this much (bazar_api::order::totals);
-- NULL: it charges its zones' fees on every order.
ALTER TABLE hub ADD COLUMN free_shipping_from_fen INTEGER CHECK (free_shipping_from_fen IS NULL OR free_shipping_from_fen >= 0);
