-- Estimated visible untagged proposals per section of their estimated article, from the raw
-- rows. Parameters as stats_section_counts.
SELECT a.section_number, count(*)
  FROM proposal_suggestions s
  JOIN proposals p ON p.id = s.proposal_id
  JOIN articles a ON a.document_id = s.document_id AND a.article_id = s.estimated
 WHERE s.document_id = $1
   AND s.estimated IS NOT NULL
   AND p.status = 'visible'
   AND ($2::text IS NULL OR p.submitter_type = $2)
   AND ($3::text IS NULL OR p.channel = $3)
   AND ($4::text IS NULL OR p.language = $4)
   AND ($5::text IS NULL OR p.submitter_region = $5)
   AND ($6::timestamptz IS NULL OR p.received_at >= $6)
   AND ($7::timestamptz IS NULL OR p.received_at < $7)
 GROUP BY a.section_number
