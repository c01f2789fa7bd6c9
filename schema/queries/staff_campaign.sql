-- One campaign for staff ($1 id): document slug, visible members, all members, when it was
-- formed, its representative's id, text and proposed text ('' when none).
SELECT d.slug, c.size, c.members_total,
       to_char(c.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
       p.id, p.text, coalesce(p.proposed_text, '')
  FROM campaigns c
  JOIN documents d ON d.id = c.document_id
  JOIN proposals p ON p.id = c.representative_id
 WHERE c.id = $1::bigint
