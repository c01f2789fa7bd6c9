-- Plain GROUP BY behind GET /api/v1/stats/timeline?bucket=day: references per day and article.
SELECT (p.received_at AT TIME ZONE 'UTC')::date, pa.article_id, count(*)
  FROM proposal_articles pa
  JOIN proposals p ON p.id = pa.proposal_id
 WHERE p.document_id = :doc_id AND p.status = 'visible'
 GROUP BY 1, 2;
