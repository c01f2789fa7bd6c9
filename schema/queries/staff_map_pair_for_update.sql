-- One pair of the article map $1 (older document id) -> $2 (newer), $3 its article, locked for
-- a confirmation: the predecessors in force before it (JSON array) and whether they were
-- confirmed ones.
SELECT to_json(CASE WHEN confirmed IS NOT NULL AND flag IS NULL THEN confirmed
                    ELSE coalesce(suggested, '{}') END)::text,
       confirmed IS NOT NULL AND flag IS NULL
  FROM article_map_pairs
 WHERE from_document_id = $1 AND to_document_id = $2 AND article_id = $3
   FOR UPDATE
