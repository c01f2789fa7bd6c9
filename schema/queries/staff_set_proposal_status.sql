-- Sets a proposal's moderation status ($1 id, $2 'visible' or 'hidden'); the statistics
-- aggregates follow through the stats_status_changed trigger.
UPDATE proposals SET status = $2::text WHERE id = $1::bigint
