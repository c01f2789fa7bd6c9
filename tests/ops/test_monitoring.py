"""Monitoring: the alerting rules pass `promtool check rules` and fire (or stay quiet) on the
cases of usynys-rules.test.yml; the rules and the Grafana dashboard use only metrics the server
exports (the names registered in service/ops/metrics.cpp)."""

import json
import re
import shutil
import subprocess
import unittest
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
RULES = REPO / "config" / "prometheus" / "usynys-rules.yml"
DASHBOARD = REPO / "config" / "grafana" / "usynys-dashboard.json"
HERE = Path(__file__).resolve().parent


def exported_metrics():
    """Every series name the server can export: gauges and counters as named, histograms with
    their _bucket, _sum and _count series, counters with _total as named."""
    source = (REPO / "service" / "ops" / "metrics.cpp").read_text()
    names = set(re.findall(r'\.Name\("(usynys_[a-z_]+)"\)', source))
    names |= set(re.findall(r'gauge\(\*registry_, "(usynys_[a-z_]+)"', source))
    histograms = set(re.findall(r'BuildHistogram\(\)\s*\.Name\("(usynys_[a-z_]+)"\)', source))
    for h in histograms:
        names |= {h + "_bucket", h + "_sum", h + "_count"}
    return names


def used_metrics(text):
    return set(re.findall(r"\b(usynys_[a-z_]+)\b", text))


class Rules(unittest.TestCase):
    def promtool(self, *args):
        tool = shutil.which("promtool")
        self.assertIsNotNone(tool, "promtool (Debian package prometheus) is not installed")
        p = subprocess.run([tool, *args], capture_output=True, text=True, timeout=120, cwd=HERE)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        return p.stdout

    def test_rules_are_valid(self):
        out = self.promtool("check", "rules", str(RULES))
        self.assertIn("SUCCESS: 5 rules found", out)

    def test_each_alert_fires_on_its_case_and_not_on_a_healthy_server(self):
        self.promtool("test", "rules", "usynys-rules.test.yml")

    def test_rules_name_only_exported_metrics(self):
        text = RULES.read_text()
        # Annotations mention config keys (intake.queue_capacity), not series: only expressions.
        exprs = "\n".join(re.findall(r"expr: (.*(?:\n {10}.*)*)", text))
        used = used_metrics(exprs)
        self.assertTrue(used)
        self.assertLessEqual(used, exported_metrics())


class Dashboard(unittest.TestCase):
    def test_dashboard_is_grafana_json_on_exported_metrics(self):
        dash = json.loads(DASHBOARD.read_text())
        self.assertEqual(dash["uid"], "usynys")
        self.assertTrue(dash["panels"])
        exprs = []
        for panel in dash["panels"]:
            self.assertTrue(panel["title"])
            self.assertTrue(panel["targets"], panel["title"])
            exprs += [t["expr"] for t in panel["targets"]]
        used = set()
        for e in exprs:
            used |= used_metrics(e)
            self.assertIn('instance=~"$instance"', e)
        self.assertLessEqual(used, exported_metrics())
        # Every metric the server exports is on the dashboard, so that a new one is not missed.
        bare = {m for m in exported_metrics() if not m.endswith(("_sum", "_count"))}
        for h in [m[: -len("_bucket")] for m in bare if m.endswith("_bucket")]:
            bare.discard(h)
        self.assertEqual(bare - used, set())


if __name__ == "__main__":
    unittest.main()
