-- Through an article map: how many pairs with predecessors count, confirmed and suggested.
-- Parameters: $1 older document id, $2 newer document id, $3 as in stats_via_article_counts.
SELECT count(*) FILTER (WHERE m.confirmed IS NOT NULL AND m.flag IS NULL
                          AND cardinality(m.confirmed) > 0),
       count(*) FILTER (WHERE NOT (m.confirmed IS NOT NULL AND m.flag IS NULL)
                          AND m.score >= $3 AND cardinality(m.suggested) > 0)
  FROM article_map_pairs m
  JOIN articles a ON a.document_id = m.to_document_id AND a.article_id = m.article_id
 WHERE m.from_document_id = $1 AND m.to_document_id = $2 AND NOT a.repealed
