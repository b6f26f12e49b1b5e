-- $1 name, $2 operator (true for merchants that run the installation).
-- Creates the merchant with its default policy and its change-feed counter.
WITH merchant AS (
    INSERT INTO merchants (name, operator) VALUES ($1, $2) RETURNING merchant_id
), policy AS (
    INSERT INTO policies (merchant_id) SELECT merchant_id FROM merchant
), feed AS (
    INSERT INTO change_feed_sequences (merchant_id) SELECT merchant_id FROM merchant
)
SELECT merchant_id FROM merchant;
