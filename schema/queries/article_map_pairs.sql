-- The pairs of the article map $1 (older document id) -> $2 (newer), lists as JSON text.
SELECT article_id, to_json(suggested)::text, score, candidates::text, to_json(confirmed)::text,
       confirmed_by, to_char(confirmed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
       reason, flag
  FROM article_map_pairs
 WHERE from_document_id = $1 AND to_document_id = $2
 ORDER BY article_id
