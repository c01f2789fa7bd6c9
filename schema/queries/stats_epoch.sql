-- The statistics version (stats_epoch): equal in two snapshots when nothing the statistics
-- count changed between them.
SELECT coalesce(sum(changes), 0)::bigint FROM stats_epoch
