-- Confirms one pair of an article map: $1 older document id, $2 newer, $3 article, $4
-- predecessors (text array literal), $5 actor, $6 reason. Clears any flag.
UPDATE article_map_pairs
   SET confirmed = $4::text[], confirmed_by = $5, confirmed_at = now(), reason = $6, flag = NULL
 WHERE from_document_id = $1 AND to_document_id = $2 AND article_id = $3
RETURNING to_char(confirmed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
