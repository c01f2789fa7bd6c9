-- Takes up to $1 proposals waiting to be compared for campaigns, oldest first, skipping marks
-- another transaction holds: id, document id, text, proposed text ('' when none).
SELECT p.id, p.document_id, p.text, coalesce(p.proposed_text, '')
  FROM proposals p
  JOIN (SELECT proposal_id FROM campaign_pending ORDER BY proposal_id LIMIT $1::integer
          FOR UPDATE SKIP LOCKED) s ON s.proposal_id = p.id
 ORDER BY p.id
