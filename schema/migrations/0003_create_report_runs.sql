-- One row per run of scripts/nightly-report, failed runs included (when the database could be
-- reached): which day and document it reported on, the fingerprint of the data it read and how
-- it ended. Written by the report script only; the service neither reads nor writes it.

CREATE TABLE report_runs (
  id          bigserial PRIMARY KEY,
  report_date date NOT NULL,
  -- The slug as asked for: no foreign key, a run for an unknown document is recorded too.
  document    text NOT NULL,
  -- Digest of the input (definitions version, document source, counted proposals); NULL when
  -- the run failed before reading the data.
  fingerprint text CHECK (fingerprint ~ '^[0-9a-f]{64}$'),
  status      text NOT NULL CHECK (status IN ('ok', 'failed')),
  started_at  timestamptz NOT NULL,
  duration_ms integer NOT NULL CHECK (duration_ms >= 0),
  error       text,
  CHECK ((status = 'ok') = (error IS NULL)),
  CHECK (status = 'failed' OR fingerprint IS NOT NULL)
);

CREATE INDEX report_runs_document_date ON report_runs (document, report_date, started_at);
