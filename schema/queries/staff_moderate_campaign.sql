-- Sets the status $2 of every member of campaign $1 that has another one, with one audit
-- entry per changed member (actor $3, reason $4), in one statement; the statistics and the
-- campaign counts follow through the status triggers. Returns how many changed and the first
-- and last audit entry written (NULL when none).
WITH members AS (
  SELECT p.id, p.status
    FROM campaign_members cm
    JOIN proposals p ON p.id = cm.proposal_id
   WHERE cm.campaign_id = $1::bigint AND p.status <> $2::text
   ORDER BY p.id
     FOR UPDATE OF p
), changed AS (
  UPDATE proposals p SET status = $2::text
    FROM members m
   WHERE p.id = m.id
  RETURNING p.id, m.status AS old
), audit AS (
  INSERT INTO audit_log (actor, proposal_id, from_status, to_status, reason)
  SELECT $3::text, c.id, c.old, $2::text, $4::text FROM changed c ORDER BY c.id
  RETURNING id
)
SELECT count(*), min(id), max(id) FROM audit
