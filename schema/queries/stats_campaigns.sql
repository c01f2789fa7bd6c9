-- The largest campaigns of document $1 with at least $2 visible members, at most $3, largest
-- first: id, visible members, the articles they reference (JSON array in document order),
-- first and last time, and the members by channel and by submitter type (JSON objects). No
-- text. Then, on every row, how many campaigns qualify and how many members they hold.
WITH top AS (
  SELECT c.id, c.size
    FROM campaigns c
   WHERE c.document_id = $1 AND c.size >= $2::integer
   ORDER BY c.size DESC, c.id
   LIMIT $3::integer
), totals AS (
  SELECT count(*) AS campaigns, coalesce(sum(c.size), 0) AS members
    FROM campaigns c
   WHERE c.document_id = $1 AND c.size >= $2::integer
)
SELECT t.id, t.size,
       coalesce((SELECT jsonb_agg(a.article_id ORDER BY ar.position)
                   FROM campaign_article_counts a
                   JOIN articles ar ON ar.document_id = a.document_id AND ar.article_id = a.article_id
                  WHERE a.campaign_id = t.id AND a.members > 0), '[]'),
       (SELECT to_char(min(x.first_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
          FROM campaign_cells x WHERE x.campaign_id = t.id AND x.members > 0),
       (SELECT to_char(max(x.last_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
          FROM campaign_cells x WHERE x.campaign_id = t.id AND x.members > 0),
       coalesce((SELECT jsonb_object_agg(y.channel, y.n)
                   FROM (SELECT x.channel, sum(x.members) AS n FROM campaign_cells x
                          WHERE x.campaign_id = t.id GROUP BY x.channel
                         HAVING sum(x.members) > 0) y), '{}'),
       coalesce((SELECT jsonb_object_agg(y.submitter_type, y.n)
                   FROM (SELECT x.submitter_type, sum(x.members) AS n FROM campaign_cells x
                          WHERE x.campaign_id = t.id GROUP BY x.submitter_type
                         HAVING sum(x.members) > 0) y), '{}'),
       totals.campaigns, totals.members
  FROM totals LEFT JOIN top t ON true
 ORDER BY t.size DESC, t.id
