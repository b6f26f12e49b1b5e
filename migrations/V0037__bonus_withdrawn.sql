-- A person can withdraw a return's bonus credit before it resolves (docs/policy.md, "Bonus
-- credit"): OverrideDecision DENIED on its `bonus_credit` decision sets this, and the resolution
-- then gives no bonus on any line. The plan (returns.plan) keeps the bonus it quoted.
ALTER TABLE returns ADD COLUMN bonus_withdrawn boolean NOT NULL DEFAULT false;
