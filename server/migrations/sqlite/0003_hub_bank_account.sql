-- The account a hub receives bank transfers on, shown to customers who pay
-- that way (see server/src/payment.rs).

ALTER TABLE hub ADD COLUMN bank_payee TEXT NOT NULL DEFAULT '';
ALTER TABLE hub ADD COLUMN bank_name TEXT NOT NULL DEFAULT '';
ALTER TABLE hub ADD COLUMN bank_account TEXT NOT NULL DEFAULT '';
