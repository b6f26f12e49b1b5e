-- The database's UTC day, and the last day whose figures are final: a day is rolled up one hour
-- after it ends, so no transaction that began in it can still commit into it.
SELECT to_char((now() AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS today,
       to_char(((now() - interval '1 hour') AT TIME ZONE 'UTC')::date - 1, 'YYYY-MM-DD')
           AS last_final_day;
