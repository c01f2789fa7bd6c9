-- Proposals waiting for stats_fold and for search_fold, each counted up to $1.
SELECT (SELECT count(*) FROM (SELECT 1 FROM stats_pending LIMIT $1::integer) s) AS stats,
       (SELECT count(*) FROM (SELECT 1 FROM search_pending LIMIT $1::integer) s) AS search
