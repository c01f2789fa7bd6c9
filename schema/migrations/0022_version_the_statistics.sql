-- A version of what the statistics count, so that a server may keep an answer and serve it again
-- for as long as nothing it counts has changed, on every instance, without giving up that a
-- committed proposal is counted in the next answer.
--
-- Every statement that changes what the statistics count (proposals and their status, article
-- references, campaigns) adds 1 to its backend's row; the version is the sum over the rows,
-- which grows with each such commit and with nothing else. A fold moves counts between the
-- pending marks and the aggregates without changing any answer, and leaves the version alone.
-- One row per backend: concurrent writers never wait for each other here. A reader that sees the
-- same sum in two snapshots knows that no such commit came between them.

CREATE TABLE stats_epoch (
  backend integer PRIMARY KEY,
  changes bigint NOT NULL CHECK (changes >= 0)
);

COMMENT ON TABLE stats_epoch IS
  'What the statistics count changed this often: one row per backend process that changed it; the sum is the statistics version (stats_epoch.sql). Rows of gone backends are merged into row 0 (stats_epoch_compact); never truncated.';
COMMENT ON COLUMN stats_epoch.backend IS
  'pg_backend_pid() of the backend that made the changes; 0 for those of backends gone.';
COMMENT ON COLUMN stats_epoch.changes IS 'Statements that changed a counted table.';

CREATE FUNCTION stats_epoch_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO stats_epoch AS e (backend, changes) VALUES (pg_backend_pid(), 1)
  ON CONFLICT (backend) DO UPDATE SET changes = e.changes + 1;
  RETURN NULL;
END $$;

COMMENT ON FUNCTION stats_epoch_bump() IS
  'After a statement on a counted table: one more change for this backend (stats_epoch).';

-- Merges the rows of backends that are gone into row 0; the sum stays as it was. A backend that
-- got a gone one's process id meanwhile keeps its row: its lock makes this wait, then the row is
-- merged with its changes.
CREATE FUNCTION stats_epoch_compact() RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  merged integer;
  total bigint;
BEGIN
  WITH gone AS (
    DELETE FROM stats_epoch
     WHERE backend <> 0
       AND backend NOT IN (SELECT pid FROM pg_stat_activity WHERE pid IS NOT NULL)
    RETURNING changes
  )
  SELECT count(*), coalesce(sum(changes), 0) INTO merged, total FROM gone;
  IF merged > 0 THEN
    INSERT INTO stats_epoch AS e (backend, changes) VALUES (0, total)
    ON CONFLICT (backend) DO UPDATE SET changes = e.changes + EXCLUDED.changes;
  END IF;
  RETURN merged;
END $$;

COMMENT ON FUNCTION stats_epoch_compact() IS
  'Merges the stats_epoch rows of backends no longer running into row 0, keeping the sum; returns how many rows were merged. Run at start-up.';

-- One statement trigger per counted table, named <table>_change_statistics.
DO $$
DECLARE
  t record;
BEGIN
  FOR t IN SELECT * FROM (VALUES
      ('proposals', 'proposals and their status'),
      ('proposal_articles', 'article references'),
      ('campaigns', 'campaigns (unique counts)'),
      ('campaign_members', 'campaign members'),
      ('campaign_article_counts', 'campaign counts per article'),
      ('campaign_section_counts', 'campaign counts per section'),
      ('campaign_daily', 'campaign counts per day')) AS c (name, what)
  LOOP
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I '
                   'FOR EACH STATEMENT EXECUTE FUNCTION stats_epoch_bump()',
                   t.name || '_change_statistics', t.name);
    EXECUTE format('COMMENT ON TRIGGER %I ON %I IS %L', t.name || '_change_statistics', t.name,
                   'After any change to ' || t.what
                   || ', TRUNCATE included: the statistics version moves (stats_epoch_bump).');
  END LOOP;
END $$;
