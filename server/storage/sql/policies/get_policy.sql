-- $1 merchant_id. The whole policy (the view migrations/R__policy_resource_view.sql defines
-- its columns; storage/policy_store.cc PolicyFromRow reads them by name).
SELECT * FROM policy_resources WHERE merchant_id = $1::uuid;
