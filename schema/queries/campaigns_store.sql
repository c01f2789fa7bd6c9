-- Stores one batch of campaign decisions ($1, JSON; see campaigns_store()).
SELECT campaigns_store($1::jsonb)
