-- campaign_excess_totals under whole-day filters, from campaign_daily: $1 document id, then the
-- optional filters $2 submitter type, $3 channel, $4 language ('' for none), $5 from, $6 to (UTC
-- midnights) as in stats_daily_article_counts. A campaign whose matching members number n > 0
-- counts n - 1 too many.
WITH c AS (
  SELECT d.level, d.key, d.campaign_id, sum(d.members) AS n
    FROM campaign_daily d
   WHERE d.document_id = $1
     AND ($2::text IS NULL OR d.submitter_type = $2)
     AND ($3::text IS NULL OR d.channel = $3)
     AND ($4::text IS NULL OR d.language = $4)
     AND ($5::timestamptz IS NULL OR d.day >= ($5::timestamptz AT TIME ZONE 'UTC')::date)
     AND ($6::timestamptz IS NULL OR d.day < ($6::timestamptz AT TIME ZONE 'UTC')::date)
   GROUP BY d.level, d.key, d.campaign_id
)
SELECT c.level, c.key, sum(c.n) - count(*) FILTER (WHERE c.n > 0)
  FROM c GROUP BY c.level, c.key
