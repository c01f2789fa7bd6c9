-- Takes up to $1 proposals waiting for suggestions, oldest first, skipping marks another
-- transaction holds (they stay locked until commit): id, document id, given language ('' when
-- none), text, proposed text ('' when none).
SELECT p.id, p.document_id, coalesce(p.language, ''), p.text, coalesce(p.proposed_text, '')
  FROM proposals p
  JOIN (SELECT proposal_id FROM suggest_pending ORDER BY proposal_id LIMIT $1::integer
          FOR UPDATE SKIP LOCKED) s ON s.proposal_id = p.id
 ORDER BY p.id
