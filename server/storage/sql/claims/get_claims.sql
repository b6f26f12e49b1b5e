-- $1 merchant_id, $2 claim ids (a uuid[] literal, e.g. '{<id>}'). The claims as the API shows them
-- (storage/claim_store.h), oldest first: one statement for GetClaim and a ListClaims page.
SELECT c.claim_id::text, c.order_id, c.shipment_id::text, c.type, c.state, c.description,
       c.currency_code, c.claim_value_minor, c.resolution, c.refund_minor, c.review_reasons::text,
       c.decision_note, epoch_us(c.create_time) AS create_time_us,
       epoch_us(c.update_time) AS update_time_us, epoch_us(c.resolve_time) AS resolve_time_us,
       c.version,
       (SELECT coalesce(jsonb_agg(jsonb_build_object('order_line_id', cl.order_line_id,
                                                     'quantity', cl.quantity, 'sku', cl.sku)
                                  ORDER BY cl.position), '[]')::text
          FROM claim_lines cl
         WHERE cl.merchant_id = c.merchant_id AND cl.claim_id = c.claim_id) AS lines,
       (SELECT coalesce(jsonb_agg(jsonb_build_object(
                   'evidence_id', e.evidence_id, 'file_name', e.file_name,
                   'content_type', e.content_type, 'state', e.state,
                   'size_bytes', e.received_bytes, 'sha256', e.sha256,
                   'label', e.assessment_label, 'confidence_milli', e.assessment_confidence_milli,
                   'model_version', e.assessment_model, 'create_time_us', epoch_us(e.create_time))
                   ORDER BY e.create_time, e.evidence_id), '[]')::text
          FROM claim_evidence e
         WHERE e.merchant_id = c.merchant_id AND e.claim_id = c.claim_id) AS evidence,
       (SELECT coalesce(jsonb_agg(s.shipment_id ORDER BY s.create_time, s.shipment_id), '[]')::text
          FROM shipments s
         WHERE s.merchant_id = c.merchant_id AND s.claim_id = c.claim_id AND s.purpose = 'RESHIP')
           AS reship_shipment_ids,
       c.policy_version
  FROM claims c
 WHERE c.merchant_id = $1::uuid AND c.claim_id = ANY($2::uuid[])
 ORDER BY c.create_time, c.claim_id;
