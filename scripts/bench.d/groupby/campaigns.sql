-- Plain GROUP BY behind GET /api/v1/stats/campaigns: visible members per campaign, the largest
-- hundred, over the raw membership and proposal rows.
SELECT cm.campaign_id, count(*)
  FROM campaign_members cm
  JOIN proposals p ON p.id = cm.proposal_id
 WHERE cm.document_id = :doc_id AND p.status = 'visible'
 GROUP BY 1
HAVING count(*) >= 2
 ORDER BY 2 DESC, 1
 LIMIT 100;
