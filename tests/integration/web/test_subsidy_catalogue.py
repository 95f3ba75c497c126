"""The subsidy catalogue in a running server: `serve` loads it at start (the shipped one, or the
file the setting subsidy-catalogue names) and refuses to start on a bad file; SIGHUP reads the file
again, puts a good one in force and refuses a bad one with its problems logged, the old catalogue
staying in force. `sengen catalogue check` answers one line for a good file and one per problem
for a bad one. What is in force is read from the log (the pages and the API that show it are
tested in verify.subsidies)."""

import re
import shutil
import signal
import subprocess
import tempfile
import time
import unittest
from pathlib import Path

from sengen_server import SOURCE_DIR, SengenServer, binary, clean_environment

SHIPPED = SOURCE_DIR / "content" / "subsidies.toml"


def edition(text: str, name: str) -> str:
    return re.sub(r'^edition = "[^"]*"', f'edition = "{name}"', text, count=1, flags=re.M)


def without_last_programme(text: str) -> str:
    return text[: text.rindex("[[programme]]")]


class CatalogueInServe(unittest.TestCase):
    def setUp(self):
        self.dir = Path(tempfile.mkdtemp(prefix="sengen-catalogue-"))
        self.addCleanup(shutil.rmtree, self.dir, True)
        self.file = self.dir / "subsidies.toml"
        self.shipped = SHIPPED.read_text(encoding="utf-8")
        self.programmes = self.shipped.count("[[programme]]")

    def wait_for(self, server: SengenServer, pattern: str, timeout: float = 10.0) -> re.Match:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            m = re.search(pattern, server.log())
            if m:
                return m
            time.sleep(0.05)
        self.fail(f"no log line matching {pattern!r}; the log:\n{server.log()}")

    def test_the_shipped_catalogue_is_in_force_by_default(self):
        with SengenServer() as server:
            self.wait_for(server, rf"subsidy catalogue content/subsidies\.toml: edition \S+, {self.programmes} programmes")

    def test_sighup_refuses_a_bad_file_and_puts_a_good_one_in_force(self):
        self.file.write_text(edition(self.shipped, "it-1"), encoding="utf-8")
        with SengenServer("--subsidy-catalogue", str(self.file)) as server:
            name = re.escape(str(self.file))
            self.wait_for(server, rf"subsidy catalogue {name}: edition it-1, {self.programmes} programmes")

            # A bad file: refused, its problem logged with file and line, the old one in force.
            bad = edition(self.shipped, "it-2").replace('kind = "required"', 'kind = "recommended"', 1)
            self.file.write_text(bad, encoding="utf-8")
            server.send_signal(signal.SIGHUP)
            m = self.wait_for(server, rf"subsidy catalogue {name} refused; edition it-1, {self.programmes} "
                                      rf"programmes \(0 open\) stays in force:\n{name}:(\d+): programme "
                                      r"'[a-z0-9-]+': ask: requirement type 'recommended' is not known")
            line = int(m.group(1))
            self.assertIn('kind = "recommended"', bad.splitlines()[line - 1])
            self.assertEqual(server.get("/healthz").status, 200)
            self.assertNotIn("reloaded", server.log())

            # A good file: in force at once, without a restart.
            self.file.write_text(edition(without_last_programme(self.shipped), "it-3"), encoding="utf-8")
            server.send_signal(signal.SIGHUP)
            self.wait_for(server, rf"subsidy catalogue reloaded from {name}: edition it-3, "
                                  rf"{self.programmes - 1} programmes")

            # A file gone: refused, the last good one stays; the server keeps answering.
            self.file.unlink()
            server.send_signal(signal.SIGHUP)
            self.wait_for(server, rf"refused; edition it-3, {self.programmes - 1} programmes \(0 open\) stays in "
                                  rf"force:\n{name}: cannot read")
            self.assertEqual(server.get("/healthz").status, 200)
            self.assertEqual(server.stop(), 0)

    def test_serve_does_not_start_on_a_bad_file(self):
        self.file.write_text(self.shipped.replace("https://www.pref.gifu.lg.jp/", "http://www.pref.gifu.lg.jp/"),
                             encoding="utf-8")
        server = SengenServer("--subsidy-catalogue", str(self.file))
        try:
            with self.assertRaises(RuntimeError):
                server.start()
            self.assertEqual(server.proc.returncode, 1)
            self.assertRegex(server.log(), re.escape(str(self.file)) +
                             r":\d+: programme 'gifu-smartwork-2022': source 'http://www\.pref\.gifu\.lg\.jp/' is not "
                             r"an https:// address")
        finally:
            server.close()


class CatalogueCheck(unittest.TestCase):
    def check(self, path: Path) -> subprocess.CompletedProcess:
        return subprocess.run([binary(), "catalogue", "check", str(path)], capture_output=True, text=True,
                              env=clean_environment(), timeout=30)

    def test_a_good_file_gives_one_line_and_exit_0(self):
        r = self.check(SHIPPED)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stderr, "")
        self.assertRegex(r.stdout, r"^\S*content/subsidies\.toml: good: edition \S+, \d+ programmes \(\d+ open\)\n$")

    def test_a_bad_file_gives_one_line_per_problem_and_exit_1(self):
        with tempfile.TemporaryDirectory() as d:
            path = Path(d) / "bad.toml"
            text = SHIPPED.read_text(encoding="utf-8")
            text = text.replace('slug = "sakai-digital"', 'slug = "aichi-digital-tech"')
            text = text.replace('name.ja = "デジタル化促進補助金（札幌市）"\n', "")
            path.write_text(text, encoding="utf-8")
            r = self.check(path)
            self.assertEqual(r.returncode, 1)
            self.assertEqual(r.stdout, "")
            lines = r.stderr.splitlines()
            self.assertEqual(len(lines), 2, r.stderr)
            for line in lines:
                self.assertRegex(line, rf"^{re.escape(str(path))}:\d+: ")
            self.assertRegex(r.stderr, r"slug 'aichi-digital-tech' is used twice \(first at line \d+\)")
            self.assertRegex(r.stderr, r"programme 'sapporo-digital': 'name' has no ja text")

    def test_a_missing_file_exits_2(self):
        r = self.check(Path("/nonexistent/subsidies.toml"))
        self.assertEqual(r.returncode, 2)
        self.assertIn("cannot read", r.stderr)


if __name__ == "__main__":
    unittest.main()
