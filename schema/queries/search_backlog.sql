-- Proposals waiting for search_fold, counted up to $1.
SELECT count(*) FROM (SELECT 1 FROM search_pending LIMIT $1::integer) s
