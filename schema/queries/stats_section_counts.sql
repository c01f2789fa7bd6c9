-- Proposals per section, each proposal once per section, from the raw tables. $1 document id,
-- then the filters as in stats_article_counts.
SELECT a.section_number, count(DISTINCT p.id)
  FROM proposal_articles pa
  JOIN proposals p ON p.id = pa.proposal_id
  JOIN articles a ON a.document_id = pa.document_id AND a.article_id = pa.article_id
 WHERE pa.document_id = $1
   AND p.status = 'visible'
   AND ($2::text IS NULL OR p.submitter_type = $2)
   AND ($3::text IS NULL OR p.channel = $3)
   AND ($4::text IS NULL OR p.language = $4)
   AND ($5::text IS NULL OR p.submitter_region = $5)
   AND ($6::timestamptz IS NULL OR p.received_at >= $6)
   AND ($7::timestamptz IS NULL OR p.received_at < $7)
 GROUP BY a.section_number
