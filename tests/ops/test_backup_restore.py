"""The backup drill: seed through the real server, back up with scripts/backup, restore with
scripts/restore into a new database of a fresh PostgreSQL cluster, serve it again, and find
every statistic and export equal, and the identifier hashes matching a resubmitted identifier.
A changed backup and a database that is not empty are refused.

Needs USYNYS_DATABASE_URL (a migrated database whose proposal tables it empties) and
USYNYS_SERVER (the usynys binary)."""

import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import unittest
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
KEY = "backup-drill-key-0123456789"


def run(*args, env=None, check=True):
    p = subprocess.run([str(a) for a in args], capture_output=True, text=True, env=env)
    if check and p.returncode != 0:
        raise AssertionError(f"{args[0]} exited {p.returncode}: {p.stdout}{p.stderr}")
    return p


def psql(url, sql):
    return run("psql", url, "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-c", sql).stdout.strip()


class Server:
    """usynys on port 0 over `url`, its key from `key_file`."""

    def __init__(self, url, key_file, workdir):
        cfg = json.loads((REPO / "config" / "usynys.json").read_text(encoding="utf-8"))
        cfg["documents"]["dir"] = str(REPO / "config" / "documents")
        cfg["identifier_key_file"] = str(key_file)
        config = Path(workdir) / f"usynys-{os.getpid()}-{id(self)}.json"
        config.write_text(json.dumps(cfg), encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if k != "USYNYS_IDENTIFIER_KEY"}
        env.update(USYNYS_PORT="0", USYNYS_DATABASE_URL=url)
        self.proc = subprocess.Popen([os.environ["USYNYS_SERVER"], "--config", str(config)],
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, env=env)
        self.port = None
        self.lines = []
        ready = threading.Event()

        def read():
            for raw in self.proc.stdout:
                line = raw.decode("utf-8", "replace").rstrip("\n")
                self.lines.append(line)
                m = re.match(r"usynys: listening on [0-9.]+:([0-9]+)$", line)
                if m and self.port is None:
                    self.port = int(m.group(1))
                    ready.set()
            ready.set()

        self.reader = threading.Thread(target=read, daemon=True)
        self.reader.start()
        if not ready.wait(60) or self.port is None:
            self.stop()
            raise RuntimeError("usynys did not start: " + " | ".join(self.lines[-10:]))

    def call(self, method, path, body=None, token=None):
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", method=method,
                                     data=None if body is None else json.dumps(body).encode())
        if body is not None:
            req.add_header("Content-Type", "application/json")
        if token:
            req.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                data = r.read()
                ct = r.headers.get("Content-Type", "").split(";")[0]
                return json.loads(data) if ct == "application/json" else data
        except urllib.error.HTTPError as e:
            raise AssertionError(f"{method} {path}: {e.code} {e.read().decode()}") from None

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(30)
        self.reader.join(10)


STATISTICS = [
    "/api/v1/stats/coverage?document=kz-1995",
    "/api/v1/stats/coverage?document=kz-1995&submitter_type=party&from=2020-01-01",
    "/api/v1/stats/coverage?document=kz-2026-draft&via=kz-1995",
    "/api/v1/stats/articles?document=kz-1995",
    "/api/v1/stats/articles/33?document=kz-1995",
    "/api/v1/stats/sections?document=kz-1995",
    "/api/v1/stats/timeline?document=kz-1995&bucket=day",
    "/api/v1/stats/campaigns?document=kz-1995",
    "/api/v1/stats/dispositions?document=kz-1995",
]


def snapshot(server, token):
    out = {path: server.call("GET", path) for path in STATISTICS}
    out["export.csv"] = server.call("GET", "/api/v1/export/proposals.csv", token=token)
    out["export.jsonl"] = server.call("GET", "/api/v1/export/proposals.jsonl", token=token)
    out["audit"] = server.call("GET", "/api/v1/audit?limit=500", token=token)
    return out


def until(what, probe, seconds=60):
    import time
    deadline = time.monotonic() + seconds
    while True:
        v = probe()
        if v:
            return v
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


class BackupDrill(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.url = os.environ.get("USYNYS_DATABASE_URL")
        if not cls.url or not os.environ.get("USYNYS_SERVER"):
            raise RuntimeError("USYNYS_DATABASE_URL and USYNYS_SERVER must be set (scripts/test)")
        cls.tmp = Path(tempfile.mkdtemp(prefix="usynys-backup-"))
        os.chmod(cls.tmp, 0o755)  # the fresh cluster's owner (postgres, under root) enters it
        cls.cluster = cls.tmp / "pg"
        psql(cls.url, "TRUNCATE proposals, proposal_articles RESTART IDENTITY CASCADE")
        key = cls.tmp / "identifier.key"
        key.write_bytes(KEY.encode())
        name = f"drill-admin-{os.getpid()}-{cls.tmp.name[-6:]}"
        out = run(REPO / "scripts" / "token", "--database-url", cls.url, "create", name, "admin")
        cls.token = out.stdout.strip().splitlines()[-1]
        cls.source = Server(cls.url, key, cls.tmp)
        try:
            cls.seed()
            cls.before = snapshot(cls.source, cls.token)
        finally:
            cls.source.stop()
        cls.backup = cls.tmp / "backup"
        env = dict(os.environ, USYNYS_IDENTIFIER_KEY=KEY)
        cls.backup_run = run(REPO / "scripts" / "backup", "--database-url", cls.url, cls.backup,
                             env=env)
        run(REPO / "scripts" / "pg.sh", "start", cls.cluster)
        admin_url = run(REPO / "scripts" / "pg.sh", "url", cls.cluster).stdout.strip()
        cls.restored_url = admin_url.replace("dbname=usynys", "dbname=restored")
        psql(admin_url.replace("dbname=usynys", "dbname=postgres"), "CREATE DATABASE restored")
        cls.admin_url = admin_url
        cls.restored_key = cls.tmp / "restored" / "identifier.key"
        cls.restore_run = run(REPO / "scripts" / "restore", "--database-url", cls.restored_url,
                              "--key-file", cls.restored_key, cls.backup)
        cls.restored = Server(cls.restored_url, cls.restored_key, cls.tmp)
        cls.after = snapshot(cls.restored, cls.token)  # before any case adds to it

    @classmethod
    def tearDownClass(cls):
        if getattr(cls, "restored", None):
            cls.restored.stop()
        run(REPO / "scripts" / "pg.sh", "stop", cls.cluster, check=False)
        shutil.rmtree(cls.tmp, ignore_errors=True)

    @classmethod
    def seed(cls):
        s = cls.source
        types = ["citizen", "party", "organization", "expert"]
        articles = [["33"], ["41", "42"], ["1"], [], [{"article": "33", "paragraph": "2"}], ["91"]]
        cls.ids = []
        for i in range(60):
            body = {"submitter": {"type": types[i % 4], "name": f"Sender {i % 7}",
                                  "identifier": f"drill-person-{i % 9}"},
                    "language": ["ru", "kk", "en"][i % 3], "channel": ["web", "egov"][i % 2],
                    "articles": articles[i % len(articles)],
                    "text": f"Proposal {i} on the articles of the constitution, variant {i % 5}."}
            cls.ids.append(s.call("POST", "/api/v1/proposals", body)["id"])
        form = "We ask that the right to a referendum on the initiative of citizens be written down"
        for edit in ["", " now", " clearly", " in full"]:
            s.call("POST", "/api/v1/proposals", {"submitter": {"type": "citizen"}, "articles": ["33"],
                                                 "text": form + edit + "."})
        s.call("POST", f"/api/v1/proposals/{cls.ids[3]}/moderation",
               {"status": "hidden", "reason": "drill"}, token=cls.token)
        s.call("PUT", f"/api/v1/proposals/{cls.ids[9]}/articles",
               {"articles": ["12"], "reason": "drill"}, token=cls.token)
        s.call("PUT", f"/api/v1/proposals/{cls.ids[0]}/disposition",
               {"decision": "accepted", "reason": "drill",
                "answered_by": {"document": "kz-2026-draft", "articles": ["1"]}}, token=cls.token)
        until("the campaign", lambda: any(
            c["size"] == 4 for c in s.call("GET", "/api/v1/stats/campaigns")["campaigns"]))
        until("the statistics", lambda: s.call("GET", "/api/v1/stats/coverage")["proposals"] == 63)

    def test_the_backup_holds_its_files_and_checksums(self):
        names = sorted(p.name for p in self.backup.iterdir())
        self.assertEqual(names, ["MANIFEST", "SHA256SUMS", "identifier.key", "usynys.dump",
                                 "usynys.json"])
        self.assertEqual((self.backup / "identifier.key").read_bytes(), KEY.encode())
        self.assertEqual(self.backup.stat().st_mode & 0o777, 0o700)
        self.assertEqual((self.backup / "identifier.key").stat().st_mode & 0o777, 0o600)
        self.assertIn("migration ", (self.backup / "MANIFEST").read_text())
        check = subprocess.run(["sha256sum", "--check", "--quiet", "SHA256SUMS"], cwd=self.backup)
        self.assertEqual(check.returncode, 0)
        self.assertEqual(self.restored_key.read_bytes(), KEY.encode())

    def test_every_statistic_export_and_the_audit_log_are_equal_after_restoring(self):
        after = self.after
        differ = [key for key in self.before if after[key] != self.before[key]]
        self.assertEqual(differ, [], {k: (self.before[k], after[k]) for k in differ[:1]})
        self.assertEqual(self.before["/api/v1/stats/coverage?document=kz-1995"]["proposals"], 63)

    def test_a_resubmitted_identifier_matches_its_restored_hash(self):
        old = self.restored.call("GET", f"/api/v1/proposals/{self.ids[4]}", token=self.token)
        new_id = self.restored.call("POST", "/api/v1/proposals", {
            "submitter": {"type": "citizen", "identifier": "drill-person-4"},
            "articles": ["2"], "text": "Once more, after the restore."})["id"]
        new = self.restored.call("GET", f"/api/v1/proposals/{new_id}", token=self.token)
        self.assertTrue(old["submitter"]["identifier_hash"])
        self.assertEqual(new["submitter"]["identifier_hash"], old["submitter"]["identifier_hash"])

    def test_a_changed_backup_restores_nothing(self):
        bad = self.tmp / "changed"
        shutil.copytree(self.backup, bad)
        with open(bad / "usynys.dump", "r+b") as f:
            f.seek(100)
            byte = f.read(1)
            f.seek(100)
            f.write(bytes([byte[0] ^ 1]))
        psql(self.admin_url.replace("dbname=usynys", "dbname=postgres"), "CREATE DATABASE changed")
        url = self.admin_url.replace("dbname=usynys", "dbname=changed")
        p = run(REPO / "scripts" / "restore", "--database-url", url, "--key-file",
                self.tmp / "changed.key", bad, check=False)
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn("SHA256SUMS", p.stderr)
        self.assertEqual(psql(url, "select count(*) from pg_tables where schemaname = 'public'"), "0")
        self.assertFalse((self.tmp / "changed.key").exists())

    def test_a_database_that_is_not_empty_is_refused(self):
        p = run(REPO / "scripts" / "restore", "--database-url", self.admin_url, "--key-file",
                self.tmp / "other.key", self.backup, check=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn("not empty", p.stderr)
        self.assertEqual(psql(self.admin_url, "select count(*) from proposals"), "0")

    def test_another_key_at_the_destination_is_refused(self):
        other = self.tmp / "wrong.key"
        other.write_bytes(b"another-key-0123456789")
        psql(self.admin_url.replace("dbname=usynys", "dbname=postgres"), "CREATE DATABASE keyed")
        url = self.admin_url.replace("dbname=usynys", "dbname=keyed")
        p = run(REPO / "scripts" / "restore", "--database-url", url, "--key-file", other,
                self.backup, check=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn("another identifier key", p.stderr)
        self.assertEqual(other.read_bytes(), b"another-key-0123456789")

    def test_a_backup_is_not_written_over_a_folder_in_use(self):
        p = run(REPO / "scripts" / "backup", "--database-url", self.url, self.backup,
                env=dict(os.environ, USYNYS_IDENTIFIER_KEY=KEY), check=False)
        self.assertEqual(p.returncode, 2)
        self.assertIn("not empty", p.stderr)


if __name__ == "__main__":
    unittest.main()
