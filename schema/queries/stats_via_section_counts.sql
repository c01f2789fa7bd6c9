-- Through an article map: per section of the newer document, the counted proposals sent against
-- the older document that reference a predecessor of one of its articles (each proposal once
-- per section). Parameters as stats_via_article_counts.
WITH map AS (
  SELECT a.section_number,
         unnest(CASE WHEN m.confirmed IS NOT NULL AND m.flag IS NULL THEN m.confirmed
                     WHEN m.score >= $3 THEN m.suggested END) AS predecessor
    FROM article_map_pairs m
    JOIN articles a ON a.document_id = m.to_document_id AND a.article_id = m.article_id
   WHERE m.from_document_id = $1 AND m.to_document_id = $2 AND NOT a.repealed
)
SELECT m.section_number, count(DISTINCT p.id)
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
 GROUP BY m.section_number
