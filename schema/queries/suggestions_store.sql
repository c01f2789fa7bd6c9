-- Stores computed suggestions ($1 JSON array of {"id","language","articles","scores"}) with
-- model $2 and removes their marks; returns how many were stored.
SELECT suggestions_store($1::jsonb, $2::text)
