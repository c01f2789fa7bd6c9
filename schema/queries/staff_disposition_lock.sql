-- Serialises the decisions on one proposal ($1 'proposal') or one campaign ($1 'campaign'), $2
-- its id, for the rest of the transaction, so that each audit entry names the decision it
-- replaced.
SELECT pg_advisory_xact_lock(CASE WHEN $1::text = 'campaign' THEN 1685024117 ELSE 1685024116 END,
                             ($2::bigint % 2147483647)::integer)
