-- Proposals waiting for suggestions, counted up to $1.
SELECT count(*) FROM (SELECT 1 FROM suggest_pending LIMIT $1::integer) s
