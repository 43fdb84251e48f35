-- A product an operator listed for a family without a phone: who listed it.
ALTER TABLE product ADD COLUMN listed_by INTEGER REFERENCES account(id);
