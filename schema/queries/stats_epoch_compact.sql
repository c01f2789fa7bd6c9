-- Merges the statistics version rows of gone backends; how many were merged.
SELECT stats_epoch_compact()
