-- Whether campaign $1 exists (after campaign_lock_shared: no merge can remove it until commit).
SELECT EXISTS (SELECT 1 FROM campaigns WHERE id = $1::bigint)
