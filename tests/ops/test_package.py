"""The Debian package: cpack builds it from the build tree; it declares its runtime
dependencies and its configuration files, holds what a server needs where Debian expects it,
and unpacked into a clean root its binary runs and its shipped configuration checks out.

Needs USYNYS_BUILD_DIR (a configured and built tree)."""

import json
import os
import shutil
import subprocess
import tempfile
import unittest
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def run(*args, **kw):
    p = subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=900, **kw)
    if p.returncode != 0:
        raise AssertionError(f"{args[0]} exited {p.returncode}: {p.stdout[-2000:]}{p.stderr[-2000:]}")
    return p.stdout


class Package(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        build = os.environ.get("USYNYS_BUILD_DIR")
        if not build:
            raise RuntimeError("USYNYS_BUILD_DIR must name the build tree")
        cls.tmp = Path(tempfile.mkdtemp(prefix="usynys-package-"))
        run("cpack", "-G", "DEB", "-B", cls.tmp / "out", "--config",
            Path(build) / "CPackConfig.cmake")
        debs = sorted((cls.tmp / "out").glob("usynys_*.deb"))
        if len(debs) != 1:
            raise AssertionError(f"cpack made {debs}")
        cls.deb = debs[0]
        cls.root = cls.tmp / "root"
        run("dpkg-deb", "-x", cls.deb, cls.root)
        cls.files = run("dpkg-deb", "-c", cls.deb)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def field(self, name):
        return run("dpkg-deb", "-f", self.deb, name).strip()

    def test_it_declares_its_runtime_dependencies(self):
        self.assertEqual(self.field("Package"), "usynys")
        depends = [d.strip().split(" ")[0] for d in self.field("Depends").split(",")]
        for needed in ["libpqxx-6.4", "libsystemd0", "libicu72", "libssl3", "postgresql-client-15",
                       "python3-psycopg2", "gnuplot-nox", "adduser"]:
            self.assertIn(needed, depends)

    def test_it_holds_the_server_where_debian_expects_it(self):
        for path in ["./usr/bin/usynys", "./etc/usynys/usynys.json", "./etc/usynys/usynys.env",
                     "./lib/systemd/system/usynys.service",
                     "./lib/systemd/system/usynys-report.service",
                     "./lib/systemd/system/usynys-report.timer",
                     "./usr/share/usynys/schema/migrations/0001_", "./usr/share/usynys/schema/queries/",
                     "./usr/share/usynys/documents/kz-constitution.kk.json",
                     "./usr/share/usynys/scripts/migrate.sh", "./usr/share/usynys/scripts/backup",
                     "./usr/share/usynys/scripts/nightly-report",
                     "./usr/share/usynys/scripts/report/usynys_report/cli.py",
                     "./usr/share/usynys/monitoring/usynys-rules.yml",
                     "./usr/share/doc/usynys/README.md"]:
            self.assertIn(path, self.files, path)
        self.assertNotIn("__pycache__", self.files)
        self.assertEqual(oct((self.root / "etc/usynys/usynys.env").stat().st_mode & 0o777), "0o600")

    def test_its_configuration_files_are_conffiles_and_it_makes_its_user(self):
        control = self.tmp / "control"
        run("dpkg-deb", "-e", self.deb, control)
        self.assertEqual((control / "conffiles").read_text().split(),
                         ["/etc/usynys/usynys.json", "/etc/usynys/usynys.env"])
        postinst = (control / "postinst").read_text()
        self.assertIn("adduser --system", postinst)
        self.assertTrue(os.access(control / "postinst", os.X_OK))

    def test_the_unpacked_binary_runs_and_checks_the_shipped_config(self):
        binary = self.root / "usr/bin/usynys"
        version = run(binary, "--version")
        self.assertTrue(version.startswith("usynys "), version)
        self.assertIn(self.field("Version"), version)
        # The shipped config names /usr/share/usynys/documents; here that is inside the root.
        cfg = json.loads((self.root / "etc/usynys/usynys.json").read_text())
        self.assertEqual(cfg["documents"]["dir"], "/usr/share/usynys/documents")
        self.assertEqual(cfg["identifier_key_file"], "/var/lib/usynys/identifier.key")
        cfg["documents"]["dir"] = str(self.root / "usr/share/usynys/documents")
        local = self.tmp / "usynys.json"
        local.write_text(json.dumps(cfg))
        out = run(binary, "check-config", local)
        self.assertIn("kz-1995: 101 articles in force", out)
        self.assertIn("kz-2026-draft:", out)
        self.assertTrue(out.endswith("ok\n"))

    def test_the_units_are_hardened_and_notify(self):
        unit = (self.root / "lib/systemd/system/usynys.service").read_text()
        for line in ["Type=notify", "User=usynys", "WatchdogSec=", "Restart=on-failure",
                     "ProtectSystem=strict", "NoNewPrivileges=true", "PrivateTmp=true",
                     "ReadWritePaths=/var/lib/usynys", "CapabilityBoundingSet=\n",
                     "ExecStart=/usr/bin/usynys --config /etc/usynys/usynys.json"]:
            self.assertIn(line, unit)
        report = (self.root / "lib/systemd/system/usynys-report.service").read_text()
        self.assertIn("User=usynys", report)
        analyze = shutil.which("systemd-analyze")
        self.assertIsNotNone(analyze, "systemd-analyze is not installed (scripts/deps.sh test)")
        if analyze:
            # The units as systemd reads them, in a root holding the unpacked package and this
            # machine's own units (the targets they order against); systemd need not run here.
            units = self.root / "lib/systemd/system"
            for host in Path("/lib/systemd/system").iterdir():
                if not (units / host.name).exists() and (host.is_file() or host.is_symlink()):
                    shutil.copy2(host, units / host.name, follow_symlinks=False)
            for name in ["usynys.service", "usynys-report.service", "usynys-report.timer"]:
                p = subprocess.run([analyze, "verify", "--root", str(self.root),
                                    f"/lib/systemd/system/{name}"],
                                   capture_output=True, text=True, timeout=120)
                self.assertEqual((p.returncode, p.stderr), (0, ""), name)


if __name__ == "__main__":
    unittest.main()
