-- How many proposals too many the unfiltered counts of document $1 hold because of campaigns:
-- a campaign with m visible members counts m - 1 too many for the document, and likewise for
-- each article and section its members reference. Rows: level ('document', 'article',
-- 'section'), key ('' for the document; the article id; the section number), excess.
SELECT 'document', '', coalesce(sum(size) - count(*) FILTER (WHERE size > 0), 0)
  FROM campaigns WHERE document_id = $1
UNION ALL
SELECT 'article', article_id, sum(members) - count(*) FILTER (WHERE members > 0)
  FROM campaign_article_counts WHERE document_id = $1
 GROUP BY article_id
UNION ALL
SELECT 'section', section_number::text, sum(members) - count(*) FILTER (WHERE members > 0)
  FROM campaign_section_counts WHERE document_id = $1
 GROUP BY section_number
