-- Through an article map: each article in force of the newer document with the predecessors that
-- count (confirmed ones that still apply; else suggested ones with at least the minimum score),
-- as a JSON array, and whether they are confirmed. $1 older document id, $2 newer document id,
-- $3 the minimum score of a suggested pair. Articles whose pair does not count are left out.
SELECT m.article_id,
       to_json(CASE WHEN m.confirmed IS NOT NULL AND m.flag IS NULL THEN m.confirmed
                    ELSE m.suggested END)::text,
       m.confirmed IS NOT NULL AND m.flag IS NULL
  FROM article_map_pairs m
  JOIN articles a ON a.document_id = m.to_document_id AND a.article_id = m.article_id
 WHERE m.from_document_id = $1 AND m.to_document_id = $2 AND NOT a.repealed
   AND ((m.confirmed IS NOT NULL AND m.flag IS NULL) OR m.score >= $3)
