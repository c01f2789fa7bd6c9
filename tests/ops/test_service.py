"""The binary as a service manager sees it: `usynys --version`, `usynys check-config FILE`, and
the sd_notify protocol (READY once it listens, watchdog pings from its event loop, STOPPING on
SIGTERM), spoken to a notification socket of the test's own as systemd would provide one.

Needs USYNYS_SERVER (the usynys binary) and, for the notification cases, USYNYS_DATABASE_URL."""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import unittest
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def binary():
    b = os.environ.get("USYNYS_SERVER")
    if not b:
        raise RuntimeError("USYNYS_SERVER must name the usynys binary")
    return b


def project_version():
    text = (REPO / "CMakeLists.txt").read_text(encoding="utf-8")
    return re.search(r"project\(usynys VERSION ([0-9.]+)", text).group(1)


class CommandLine(unittest.TestCase):
    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="usynys-service-"))

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def config(self, **changes):
        cfg = json.loads((REPO / "config" / "usynys.json").read_text(encoding="utf-8"))
        cfg["documents"]["dir"] = str(REPO / "config" / "documents")
        cfg.update(changes)
        path = self.tmp / "usynys.json"
        path.write_text(json.dumps(cfg), encoding="utf-8")
        return path

    def run_binary(self, *args):
        return subprocess.run([binary(), *map(str, args)], capture_output=True, text=True,
                              timeout=60, env={k: v for k, v in os.environ.items()
                                               if k != "USYNYS_DATABASE_URL"})

    def test_version_is_the_projects(self):
        p = self.run_binary("--version")
        self.assertEqual(p.returncode, 0)
        self.assertEqual(p.stdout, f"usynys {project_version()}\n")

    def test_check_config_reads_every_document_without_a_database(self):
        p = self.run_binary("check-config", self.config())
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("kz-1995: 101 articles in force, 9 sections, languages en kk ru (default)",
                      p.stdout)
        self.assertIn("kz-2026-draft:", p.stdout)
        self.assertIn("map: kz-1995 -> kz-2026-draft", p.stdout)
        self.assertTrue(p.stdout.endswith("ok\n"))

    def test_check_config_names_the_problem(self):
        p = self.run_binary("check-config", self.config(colour="blue"))
        self.assertEqual(p.returncode, 1)
        self.assertIn("unknown key config.colour", p.stderr)
        cfg = json.loads(self.config().read_text())
        docs = self.tmp / "docs"
        shutil.copytree(REPO / "config" / "documents", docs)
        (docs / "kz-constitution.kk.json").write_text("{", encoding="utf-8")
        cfg["documents"]["dir"] = str(docs)
        path = self.tmp / "broken.json"
        path.write_text(json.dumps(cfg), encoding="utf-8")
        p = self.run_binary("check-config", path)
        self.assertEqual(p.returncode, 1)
        self.assertIn("kz-constitution.kk.json", p.stderr)
        self.assertEqual(self.run_binary("check-config").returncode, 2)
        p = self.run_binary("check-config", self.tmp / "missing.json")
        self.assertEqual(p.returncode, 1)
        self.assertIn("missing.json", p.stderr)


class Notifications(unittest.TestCase):
    """A notification socket as systemd gives one (NOTIFY_SOCKET, WATCHDOG_USEC)."""

    def setUp(self):
        if not os.environ.get("USYNYS_DATABASE_URL"):
            raise RuntimeError("USYNYS_DATABASE_URL must be set (scripts/test exports it)")
        self.tmp = Path(tempfile.mkdtemp(prefix="usynys-notify-"))
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.path = str(self.tmp / "notify")
        self.sock.bind(self.path)
        self.sock.settimeout(30)
        cfg = json.loads((REPO / "config" / "usynys.json").read_text(encoding="utf-8"))
        cfg["documents"]["dir"] = str(REPO / "config" / "documents")
        cfg["identifier_key_file"] = str(self.tmp / "identifier.key")
        self.config = self.tmp / "usynys.json"
        self.config.write_text(json.dumps(cfg), encoding="utf-8")

    def tearDown(self):
        self.sock.close()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def start(self, **env):
        full = dict(os.environ, USYNYS_PORT="0", NOTIFY_SOCKET=self.path, **env)
        return subprocess.Popen([binary(), "--config", str(self.config)], stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=full)

    def messages(self, until_text, limit_s=30):
        got = []
        deadline = time.monotonic() + limit_s
        while time.monotonic() < deadline:
            got.append(self.sock.recv(4096).decode())
            if until_text in got[-1]:
                return got
        self.fail(f"no {until_text!r} in {got}")

    def stop(self, proc):
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=60)
        return out.decode("utf-8", "replace")

    def test_ready_once_it_listens_then_stopping_on_sigterm(self):
        proc = self.start()
        try:
            got = self.messages("READY=1")
            self.assertEqual(got, ["READY=1"])
            # READY follows the listening line: the port answers now.
            for raw in proc.stdout:
                m = re.search(r"usynys: listening on [0-9.]+:([0-9]+)", raw.decode())
                if m:
                    break
            port = int(m.group(1))
            with socket.create_connection(("127.0.0.1", port), timeout=10):
                pass
        finally:
            out = self.stop(proc)
        self.assertEqual(proc.returncode, 0, out)
        self.assertIn("STOPPING=1", self.messages("STOPPING=1"))

    def test_the_watchdog_is_pinged_from_the_event_loop(self):
        proc = self.start(WATCHDOG_USEC="200000")
        try:
            self.messages("READY=1")
            start = time.monotonic()
            pings = [m for m in self.messages("WATCHDOG=1") if m == "WATCHDOG=1"]
            pings += [m for m in self.messages("WATCHDOG=1") if m == "WATCHDOG=1"]
            pings += [m for m in self.messages("WATCHDOG=1") if m == "WATCHDOG=1"]
            self.assertEqual(len(pings), 3)
            # Every half interval (100 ms): three pings well inside five seconds.
            self.assertLess(time.monotonic() - start, 5.0)
        finally:
            self.stop(proc)


if __name__ == "__main__":
    unittest.main()
