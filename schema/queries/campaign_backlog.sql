-- Proposals waiting to be compared for campaigns, counted up to $1.
SELECT count(*) FROM (SELECT 1 FROM campaign_pending LIMIT $1::integer) s
