-- $1 merchant_id. The whole policy, locked for UpdatePolicy (a locking clause on a view locks
-- the rows of its table: the policies row).
SELECT * FROM policy_resources WHERE merchant_id = $1::uuid FOR UPDATE;
