-- Every decision's subject is a resource name, "<collection>/<id>", as ListDecisions documents.
-- Return decisions were written under the bare return id; exchange-token ones already used
-- "exchange_tokens/<id>".
UPDATE decisions
   SET subject = 'returns/' || subject
 WHERE kind IN ('return_approval', 'return_resolution')
   AND subject NOT LIKE '%/%';
