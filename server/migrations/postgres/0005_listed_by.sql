-- A product an operator listed for a family without a phone: who listed it
-- (as ../sqlite/0011_listed_by.sql).
ALTER TABLE product ADD COLUMN listed_by BIGINT REFERENCES account(id);
