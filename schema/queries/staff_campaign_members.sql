-- Members of campaign $1 in id order after id $2 (NULL: from the first), at most $3: id, time
-- received, status, text, proposed text ('' when none).
SELECT p.id, to_char(p.received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
       p.status, p.text, coalesce(p.proposed_text, '')
  FROM campaign_members cm
  JOIN proposals p ON p.id = cm.proposal_id
 WHERE cm.campaign_id = $1::bigint AND ($2::bigint IS NULL OR cm.proposal_id > $2::bigint)
 ORDER BY cm.proposal_id
 LIMIT $3::bigint
