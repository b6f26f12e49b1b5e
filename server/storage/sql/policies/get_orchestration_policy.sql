-- $1 merchant_id. The policy fields approval, labels and resolution use.
SELECT auto_approve_max_minor, default_carrier, restocking_fee_minor, return_shipping_fee_minor,
       risk_review_threshold_milli, refund_tender_order::text
  FROM policies
 WHERE merchant_id = $1::uuid;
