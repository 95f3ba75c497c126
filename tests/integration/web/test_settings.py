"""Settings precedence (defaults < --config file < SENGEN_* environment < flags) and the
refusal of bad settings with exit status 2 and a message that names them."""

import unittest

from sengen_server import LOOPBACK, SengenServer, free_port, port_accepts, run_sengen


def distinct_free_ports(n):
    ports = set()
    while len(ports) < n:
        ports.add(free_port())
    return sorted(ports)


class Precedence(unittest.TestCase):
    def setUp(self):
        self.file_port, self.env_port, self.flag_port = distinct_free_ports(3)

    def start(self, expect_port, env_listen: bool, flag_listen: bool):
        server = SengenServer(port=expect_port, listen_flag=flag_listen,
                              env={"SENGEN_LISTEN": f"{LOOPBACK}:{self.env_port}"} if env_listen else {})
        self.addCleanup(server.close)
        config = server.dir / "sengen.toml"
        config.write_text(f'# settings for the precedence test\nlisten = "{LOOPBACK}:{self.file_port}"\n'
                          f'log-level = "info"\n')
        server.args = ["--config", str(config)]
        server.start()
        return server

    def assert_listens_only_on(self, port):
        for p in (self.file_port, self.env_port, self.flag_port):
            self.assertEqual(port_accepts(p), p == port, f"port {p}")

    def test_a_flag_beats_the_environment_and_the_file(self):
        server = self.start(self.flag_port, env_listen=True, flag_listen=True)
        self.assertEqual(server.get("/healthz").status, 200)
        self.assert_listens_only_on(self.flag_port)

    def test_the_environment_beats_the_file(self):
        server = self.start(self.env_port, env_listen=True, flag_listen=False)
        self.assertEqual(server.get("/healthz").status, 200)
        self.assert_listens_only_on(self.env_port)

    def test_the_file_beats_the_default(self):
        server = self.start(self.file_port, env_listen=False, flag_listen=False)
        self.assertEqual(server.get("/healthz").status, 200)
        self.assert_listens_only_on(self.file_port)

    def test_the_config_file_may_also_come_from_sengen_config(self):
        server = SengenServer(port=self.file_port, listen_flag=False)
        self.addCleanup(server.close)
        config = server.dir / "sengen.toml"
        config.write_text(f'listen = "{LOOPBACK}:{self.file_port}"\n')
        server.extra_env = {"SENGEN_CONFIG": str(config)}
        server.start()
        self.assert_listens_only_on(self.file_port)


class BadSettings(unittest.TestCase):
    def serve(self, *args, env=None, config_text=None):
        """Runs `sengen serve` with settings that must be refused; returns (status, stderr)."""
        server = SengenServer()  # only for its temporary directory
        self.addCleanup(server.close)
        extra = []
        if config_text is not None:
            path = server.dir / "bad.toml"
            path.write_text(config_text)
            extra = ["--config", str(path)]
        defaults = {"--db": f"sqlite:{server.dir}/db.sqlite", "--mail": f"file:{server.dir}/mail",
                    # Should a bad setting be accepted after all, serve on a free port, not 8080.
                    "--listen": f"{LOOPBACK}:{free_port()}"}
        for flag, value in defaults.items():
            if flag not in args:
                extra += [flag, value]
        result = run_sengen("serve", *extra, *args, env=env, cwd=server.dir)
        return result.returncode, result.stderr, server.dir

    def assert_refused(self, status, message, *words):
        self.assertEqual(status, 2, message)
        for w in words:
            self.assertIn(w, message)

    def test_an_invalid_flag_value_exits_2_naming_the_setting_and_the_value(self):
        status, err, _ = self.serve("--read-timeout", "soon")
        self.assert_refused(status, err, "read-timeout", "soon")

    def test_an_invalid_environment_value_exits_2_naming_the_setting_and_the_value(self):
        status, err, _ = self.serve(env={"SENGEN_MAX_BODY_BYTES": "12x"})
        self.assert_refused(status, err, "max-body-bytes", "12x", "SENGEN_MAX_BODY_BYTES")

    def test_an_invalid_file_value_exits_2_naming_the_setting_the_value_and_the_line(self):
        status, err, d = self.serve(config_text='log-level = "info"\nthreads = "many"\n')
        self.assert_refused(status, err, "threads", "many", f"{d}/bad.toml:2")

    def test_every_bad_setting_is_named_at_once(self):
        status, err, _ = self.serve("--listen", "nowhere", "--shutdown-grace", "-1", "--log-level", "loud")
        self.assert_refused(status, err, "listen", "nowhere", "shutdown-grace", "-1", "log-level", "loud")

    def test_a_port_out_of_range_is_refused(self):
        status, err, _ = self.serve("--listen", f"{LOOPBACK}:70000")
        self.assert_refused(status, err, "listen", "70000")

    def test_an_unknown_key_in_the_file_exits_2_naming_the_file_and_line(self):
        status, err, d = self.serve(config_text='# sengen\nlisten = "127.0.0.1:9"\ncolour = "blue"\n')
        self.assert_refused(status, err, f"{d}/bad.toml:3", "colour")

    def test_a_toml_syntax_error_exits_2_naming_the_file_and_line(self):
        status, err, d = self.serve(config_text='threads = 2\nlisten = "127.0.0.1:9\n')
        self.assert_refused(status, err, f"{d}/bad.toml:2")

    def test_a_config_file_that_cannot_be_read_exits_2_naming_it(self):
        status, err, _ = self.serve("--config", "/nonexistent/sengen.toml")
        self.assert_refused(status, err, "/nonexistent/sengen.toml")

    def test_a_secret_setting_is_never_echoed(self):
        status, err, _ = self.serve("--db", "mysql://user:SECRET123@db")
        self.assert_refused(status, err, "setting db")
        self.assertNotIn("SECRET123", err)
        migrate = run_sengen("migrate", env={"SENGEN_DB": "mysql://user:SECRET456@db"})
        self.assert_refused(migrate.returncode, migrate.stderr, "setting db", "SENGEN_DB")
        self.assertNotIn("SECRET456", migrate.stderr)
        status, err, _ = self.serve(config_text='smtp-password = ["SECRET789"]\n')
        self.assert_refused(status, err, "smtp-password")
        self.assertNotIn("SECRET789", err)


if __name__ == "__main__":
    unittest.main()
