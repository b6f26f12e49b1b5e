-- Whether a charge was raised for the token and what the payment system reported, kept apart
-- from the state: a token may settle while a charge is in flight, and must then still ask for a
-- refund when the charge succeeds.
ALTER TABLE exchange_tokens
    ADD COLUMN charge_raised boolean NOT NULL DEFAULT false,
    ADD COLUMN charge_outcome text NOT NULL DEFAULT ''
        CHECK (charge_outcome IN ('', 'CHARGED', 'CHARGE_FAILED'));
