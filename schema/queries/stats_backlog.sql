-- Proposals waiting for stats_fold, counted up to $1.
SELECT count(*) FROM (SELECT 1 FROM stats_pending LIMIT $1::integer) s
