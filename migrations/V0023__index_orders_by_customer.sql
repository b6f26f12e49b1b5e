-- CreateReturn scores each return's risk from the customer's orders of the last 365 days
-- (returns/risk_facts.sql): an index so that read stays proportional to one customer's orders,
-- not the merchant's. Additive only.
CREATE INDEX orders_by_customer ON orders (merchant_id, customer_id, create_time) WHERE customer_id <> '';
