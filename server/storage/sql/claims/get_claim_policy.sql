-- $1 merchant_id. The claim rules (domain/claim_rules.h ClaimPolicy), by the database's clock.
SELECT claim_lost_grace_days, claim_window_days, claim_stolen_window_days,
       claim_damage_window_days, claim_auto_approve_max_minor, claim_max_customer_claims,
       claim_photo_required, claim_min_damage_confidence_milli, claim_resolution_preference,
       epoch_us(now()) AS now_us
  FROM policies
 WHERE merchant_id = $1::uuid;
