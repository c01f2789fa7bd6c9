-- The decided among the proposals dispositions_totals counts (parameters the same), from the
-- standing decisions. Rows: dimension ('all', 'submitter_type', 'channel', 'article'), key,
-- decision, proposals; then ('answered', article id of document $1, '', proposals of any
-- document whose decision names that article as answering them).
WITH d AS (
  SELECT p.id, p.submitter_type, p.channel, pd.decision
    FROM proposal_decisions pd
    JOIN proposals p ON p.id = pd.proposal_id
   WHERE p.document_id = $1 AND p.status = 'visible'
     AND ($2::text IS NULL OR p.submitter_type = $2)
     AND ($3::text IS NULL OR EXISTS (SELECT 1 FROM proposal_articles pa
                                       WHERE pa.proposal_id = p.id AND pa.article_id = $3))
)
SELECT 'all', '', decision, count(*) FROM d GROUP BY decision
UNION ALL
SELECT 'submitter_type', submitter_type, decision, count(*) FROM d GROUP BY submitter_type, decision
UNION ALL
SELECT 'channel', channel, decision, count(*) FROM d GROUP BY channel, decision
UNION ALL
SELECT 'article', pa.article_id, d.decision, count(DISTINCT d.id)
  FROM d JOIN proposal_articles pa ON pa.proposal_id = d.id
 WHERE $3::text IS NULL OR pa.article_id = $3
 GROUP BY pa.article_id, d.decision
UNION ALL
SELECT 'answered', a.article, '', count(*)
  FROM proposal_decisions pd
  JOIN proposals p ON p.id = pd.proposal_id
 CROSS JOIN LATERAL unnest(pd.answered_articles) AS a (article)
 WHERE pd.answered_document_id = $1 AND p.status = 'visible'
   AND ($2::text IS NULL OR p.submitter_type = $2)
   AND ($3::text IS NULL OR a.article = $3)
 GROUP BY a.article
