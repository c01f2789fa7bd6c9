-- The stored article map $1 (older document id) -> $2 (newer): its method and when it was
-- computed.
SELECT method, to_char(computed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
  FROM article_maps
 WHERE from_document_id = $1 AND to_document_id = $2
