-- Bonus credit (docs/policy.md, "Bonus credit"): credit added when the customer takes store
-- credit or an exchange instead of a refund. Per line: a flat amount per unit plus basis points of
-- what the line paid, separately for store credit and for exchange; at most bonus_cap_per_return_minor
-- per return (0: no cap); none for the categories listed; with bonus_waives_fees a store-credit
-- line keeps no restocking fee. Quoted per line in the plan (return_lines.bonus_credit_minor) and
-- paid at resolution only for lines received OK and not withheld (returns.bonus_credit_minor):
-- on store credit as more credit, on an exchange first against the line's upsell, the rest
-- forfeited, never in cash.
ALTER TABLE policies
    ADD COLUMN store_credit_bonus_minor bigint NOT NULL DEFAULT 0
        CHECK (store_credit_bonus_minor >= 0),
    ADD COLUMN store_credit_bonus_basis_points integer NOT NULL DEFAULT 0
        CHECK (store_credit_bonus_basis_points BETWEEN 0 AND 10000),
    ADD COLUMN exchange_bonus_minor bigint NOT NULL DEFAULT 0 CHECK (exchange_bonus_minor >= 0),
    ADD COLUMN exchange_bonus_basis_points integer NOT NULL DEFAULT 0
        CHECK (exchange_bonus_basis_points BETWEEN 0 AND 10000),
    ADD COLUMN bonus_cap_per_return_minor bigint NOT NULL DEFAULT 0
        CHECK (bonus_cap_per_return_minor >= 0),
    ADD COLUMN bonus_excluded_categories text[] NOT NULL DEFAULT '{}',
    ADD COLUMN bonus_waives_fees boolean NOT NULL DEFAULT false;

-- The bonus the plan quoted for the line if it is received OK.
ALTER TABLE return_lines
    ADD COLUMN bonus_credit_minor bigint NOT NULL DEFAULT 0 CHECK (bonus_credit_minor >= 0);
-- The bonus the resolution gave: in the store credit (part of store_credit_minor), and taken off
-- the exchanges' upsell (upsell_minor is what is left to charge).
ALTER TABLE returns
    ADD COLUMN bonus_credit_minor bigint NOT NULL DEFAULT 0 CHECK (bonus_credit_minor >= 0),
    ADD COLUMN exchange_bonus_minor bigint NOT NULL DEFAULT 0 CHECK (exchange_bonus_minor >= 0);
