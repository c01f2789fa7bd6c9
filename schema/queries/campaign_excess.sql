-- campaign_excess_totals under filters, from the raw rows of campaign members: $1 document id,
-- then the optional filters submitter_type, channel, language, region, from, to as in
-- stats_article_counts; $8 true: an untagged member also counts for its estimated article.
WITH m AS (
  SELECT cm.campaign_id, p.id
    FROM campaign_members cm
    JOIN proposals p ON p.id = cm.proposal_id
   WHERE cm.document_id = $1
     AND p.status = 'visible'
     AND ($2::text IS NULL OR p.submitter_type = $2)
     AND ($3::text IS NULL OR p.channel = $3)
     AND ($4::text IS NULL OR p.language = $4)
     AND ($5::text IS NULL OR p.submitter_region = $5)
     AND ($6::timestamptz IS NULL OR p.received_at >= $6)
     AND ($7::timestamptz IS NULL OR p.received_at < $7)
), r AS (
  SELECT m.campaign_id, m.id, pa.article_id
    FROM m JOIN proposal_articles pa ON pa.proposal_id = m.id
  UNION ALL
  SELECT m.campaign_id, m.id, s.estimated
    FROM m JOIN proposal_suggestions s ON s.proposal_id = m.id
   WHERE $8::boolean AND s.estimated IS NOT NULL
)
SELECT 'document', '', count(*) - count(DISTINCT campaign_id) FROM m
UNION ALL
SELECT 'article', r.article_id, count(*) - count(DISTINCT r.campaign_id)
  FROM r GROUP BY r.article_id
UNION ALL
SELECT 'section', a.section_number::text, count(DISTINCT r.id) - count(DISTINCT r.campaign_id)
  FROM r JOIN articles a ON a.document_id = $1 AND a.article_id = r.article_id
 GROUP BY a.section_number
