-- The confirmed references of proposal $1: article id, paragraph, source.
SELECT article_id, paragraph, source FROM proposal_articles WHERE proposal_id = $1
 ORDER BY article_id
