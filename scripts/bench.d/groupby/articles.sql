-- Plain GROUP BY behind GET /api/v1/stats/articles: per article and submitter type.
SELECT pa.article_id, p.submitter_type, count(*), min(p.received_at), max(p.received_at)
  FROM proposal_articles pa
  JOIN proposals p ON p.id = pa.proposal_id
 WHERE p.document_id = :doc_id AND p.status = 'visible'
 GROUP BY 1, 2;
