-- Counts up to $1 pending proposals into the statistics aggregates; returns how many.
SELECT stats_fold($1::integer)
