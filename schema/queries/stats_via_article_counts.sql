-- Through an article map: per article of the newer document and submitter type, the counted
-- proposals sent against the older document that reference one of the article's predecessors
-- (each proposal once per article), with their first and last time. $1 older document id, $2
-- newer document id, $3 the score from which suggested pairs count (confirmed pairs that still
-- apply always do), then the filters as in stats_article_counts ($4 submitter_type, $5 channel,
-- $6 language, $7 region, $8 from, $9 to).
WITH map AS (
  SELECT m.article_id,
         unnest(CASE WHEN m.confirmed IS NOT NULL AND m.flag IS NULL THEN m.confirmed
                     WHEN m.score >= $3 THEN m.suggested END) AS predecessor
    FROM article_map_pairs m
    JOIN articles a ON a.document_id = m.to_document_id AND a.article_id = m.article_id
   WHERE m.from_document_id = $1 AND m.to_document_id = $2 AND NOT a.repealed
)
SELECT m.article_id, p.submitter_type, count(DISTINCT p.id),
       to_char(min(p.received_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
       to_char(max(p.received_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
  FROM map m
  JOIN proposal_articles pa ON pa.document_id = $1 AND pa.article_id = m.predecessor
  JOIN proposals p ON p.id = pa.proposal_id
 WHERE p.status = 'visible'
   AND ($4::text IS NULL OR p.submitter_type = $4)
   AND ($5::text IS NULL OR p.channel = $5)
   AND ($6::text IS NULL OR p.language = $6)
   AND ($7::text IS NULL OR p.submitter_region = $7)
   AND ($8::timestamptz IS NULL OR p.received_at >= $8)
   AND ($9::timestamptz IS NULL OR p.received_at < $9)
 GROUP BY m.article_id, p.submitter_type
