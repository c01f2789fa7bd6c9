-- Stored proposals holding any of the (channel $1[i], external reference $2[i]) pairs, with
-- their keyed content fingerprints (NULL once the proposal's personal data was purged).
SELECT p.channel, p.external_ref, p.id, p.external_fingerprint,
       to_char(p.received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
  FROM proposals p
  JOIN unnest($1::text[], $2::text[]) AS r (channel, external_ref)
    ON p.channel = r.channel AND p.external_ref = r.external_ref
