-- $1 merchant_id, $2 evidence_id, $3 offset, $4 length. The bytes [offset, offset + length) of a
-- file, as hex, chunk by chunk in order (each chunk cut to the range).
SELECT encode(substring(data FROM greatest($3::bigint - byte_offset, 0)::integer + 1
                             FOR least(byte_offset + length(data), $3::bigint + $4::bigint)::integer
                                 - greatest(byte_offset, $3::bigint)::integer), 'hex') AS data_hex
  FROM claim_evidence_chunks
 WHERE merchant_id = $1::uuid AND evidence_id = $2::uuid
   AND byte_offset < $3::bigint + $4::bigint
   AND byte_offset + length(data) > $3::bigint
 ORDER BY byte_offset;
