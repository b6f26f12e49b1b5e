-- A return keeps the fees its settlement plan applied (PreviewReturn, Return.plan): the receipt
-- pays the plan even if the policy's fees change in between. NULL: a return created before plans
-- were kept, resolved with the policy's fees of the day, as before. Additive only.
ALTER TABLE returns
    ADD COLUMN plan_restocking_fee_minor      bigint CHECK (plan_restocking_fee_minor >= 0),
    ADD COLUMN plan_return_shipping_fee_minor bigint CHECK (plan_return_shipping_fee_minor >= 0);
