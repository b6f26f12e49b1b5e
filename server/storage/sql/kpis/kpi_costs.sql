-- $1 merchant_id. The policy's currency and the costs the KPIs price labels and handling at.
SELECT currency_code, return_label_cost_minor, handling_cost_minor
  FROM policies
 WHERE merchant_id = $1::uuid;
