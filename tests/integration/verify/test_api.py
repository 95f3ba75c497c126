"""The JSON API v1 contract: every member and type of a declaration, RFC 3339 times, applying and
confirming as the HTML flow does (a claim to a held corporate number becomes a dispute), and
each problem (400, 404, 415, 422, 429) with its
content type, type, title, status, code and errors. The OpenAPI document is valid JSON, lists
the paths, and is exactly the YAML source."""

import calendar
import datetime
import json
import re
import unittest

import yaml

from registry_flow import PRIVATE, Registry, application, declaration_id, mistyped, two_star
from sengen_server import SOURCE_DIR, SengenServer, catalogue, run_sengen

RFC3339_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
DECLARATION_MEMBERS = ["id", "business_name", "level", "status", "declared_at", "level_since", "policy_url", "issuer"]
REQUIRED_FIELDS = {"terms_agreed", "entity_type", "business_name", "business_name_kana", "postal_code", "prefecture",
                   "address", "industry", "employees", "representative_title", "representative_name", "contact_name",
                   "contact_email", "purposes", "level"} | {f"commitment_{n}" for n in range(1, 6)}


class ApiContract(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = SengenServer("--mail-poll-ms", "50").start()
        cls.addClassCleanup(cls.server.close)
        cls.ja, cls.en = catalogue("ja"), catalogue("en")
        cls.registry = Registry(cls.server)
        cls.one, cls.two, cls.stopped, cls.revoked = cls.registry.declare_many([
            application(business_name="一つ星商店", business_name_kana="ヒトツボシショウテン"),
            two_star(business_name="二つ星工業", business_name_kana="フタツボシコウギョウ"),
            application(business_name="停止商店", business_name_kana="テイシショウテン"),
            application(business_name="取消商店", business_name_kana="トリケシショウテン"),
        ])
        cls.registry.stop(cls.stopped.public_id)
        cls.registry.revoke(cls.revoked.public_id, "規約違反")

    def get(self, path, headers=None):
        return self.server.get(path, headers)

    def assert_problem(self, reply, status, type_, code=None):
        self.assertEqual(reply.status, status, reply.text)
        self.assertEqual(reply.header("Content-Type"), "application/problem+json")
        problem = json.loads(reply.body)
        self.assertEqual(problem["type"], type_)
        self.assertEqual(problem["status"], status)
        self.assertIsInstance(problem["title"], str)
        self.assertTrue(problem["title"])
        self.assertIsInstance(problem["detail"], str)
        if code:
            self.assertEqual(problem["code"], code)
        for e in problem.get("errors", []):
            self.assertEqual(set(e), {"field", "code", "message"})
            self.assertTrue(all(isinstance(v, str) and v for v in e.values()), e)
        return problem

    def assert_declaration(self, data, public_id, level, status, policy_url):
        self.assertEqual(list(data)[:len(DECLARATION_MEMBERS)], DECLARATION_MEMBERS)
        self.assertEqual(data["id"], public_id)
        self.assertRegex(data["id"], r"^[1-9]\d{10}$")
        self.assertIsInstance(data["business_name"], str)
        self.assertIs(type(data["level"]), int)
        self.assertEqual(data["level"], level)
        self.assertEqual(data["status"], status)
        for member in ("declared_at", "level_since"):
            self.assertRegex(data[member], RFC3339_UTC)
            when = datetime.datetime.fromisoformat(data[member].replace("Z", "+00:00"))
            self.assertLess(abs((datetime.datetime.now(datetime.timezone.utc) - when).total_seconds()), 600)
        self.assertEqual(data["policy_url"], policy_url)

    # --- GET /api/v1/declarations/{id} ----------------------------------------------------------

    def test_a_declaration_has_exactly_the_documented_members_and_types(self):
        reply = self.get(f"/api/v1/declarations/{self.one.public_id}")
        self.assertEqual(reply.status, 200)
        self.assertEqual(reply.header("Content-Type"), "application/json")
        data = json.loads(reply.body)
        self.assertEqual(list(data), DECLARATION_MEMBERS)
        self.assert_declaration(data, self.one.public_id, 1, "declared", None)
        self.assertEqual(data["business_name"], "一つ星商店")
        two = json.loads(self.get(f"/api/v1/declarations/{self.two.public_id}").body)
        self.assert_declaration(two, self.two.public_id, 2, "declared", "https://example.jp/security-policy")

    def test_stopped_and_revoked_declarations_say_so(self):
        stopped = json.loads(self.get(f"/api/v1/declarations/{self.stopped.public_id}").body)
        self.assertEqual(stopped["status"], "stopped")
        revoked = json.loads(self.get(f"/api/v1/declarations/{self.revoked.public_id}").body)
        self.assertEqual(revoked["status"], "revoked")
        self.assertEqual(list(revoked), DECLARATION_MEMBERS)

    def test_the_times_are_utc_to_the_second(self):
        d = self.registry.declare(application())
        midnight_in_japan = calendar.timegm((2026, 3, 31, 15, 0, 0))
        self.registry.set_dates(d.public_id, midnight_in_japan, midnight_in_japan - 1)
        data = json.loads(self.get(f"/api/v1/declarations/{d.public_id}").body)
        self.assertEqual(data["declared_at"], "2026-03-31T15:00:00Z")
        self.assertEqual(data["level_since"], "2026-03-31T14:59:59Z")

    def test_the_lookup_is_public_to_any_origin_and_briefly_cacheable(self):
        reply = self.get(f"/api/v1/declarations/{self.one.public_id}", {"Origin": "https://shop.example"})
        self.assertEqual(reply.header("Access-Control-Allow-Origin"), "*")
        self.assertEqual(reply.header("Cache-Control"), "public, max-age=60")
        self.assertIsNone(reply.header("Set-Cookie"))
        missing = self.get(f"/api/v1/declarations/{declaration_id(987654321)}")
        self.assertEqual(missing.header("Access-Control-Allow-Origin"), "*")
        self.assertEqual(missing.header("Cache-Control"), "no-store")

    def test_typed_forms_of_the_id_are_accepted_and_answered_with_the_eleven_digits(self):
        p = self.one.public_id
        for typed in (f"{p[:3]}-{p[3:7]}-{p[7:]}", "".join("%EF%BC%9" + c for c in p)):
            reply = self.get(f"/api/v1/declarations/{typed}")
            self.assertEqual(reply.status, 200, typed)
            self.assertEqual(json.loads(reply.body)["id"], p)

    def test_a_malformed_id_and_a_wrong_check_digit_are_400s_of_different_types(self):
        malformed = self.assert_problem(self.get("/api/v1/declarations/12345"), 400, "/problems/malformed-id",
                                        "id.malformed")
        self.assertEqual(malformed["errors"], [{"field": "id", "code": "id_format",
                                                "message": self.ja["field_error.id_format"]}])
        wrong = self.assert_problem(self.get(f"/api/v1/declarations/{mistyped(self.one.public_id)}"), 400,
                                    "/problems/id-check-digit", "id.check_digit")
        self.assertEqual(wrong["errors"][0]["code"], "check_digit")
        self.assertEqual(wrong["detail"], self.ja["field_error.check_digit"])
        en = json.loads(self.get(f"/api/v1/declarations/{mistyped(self.one.public_id)}",
                                 {"Accept-Language": "en"}).body)
        self.assertEqual(en["errors"][0]["message"], self.en["field_error.check_digit"])

    def test_an_unknown_id_is_a_404_problem(self):
        problem = self.assert_problem(self.get(f"/api/v1/declarations/{declaration_id(987654321)}"), 404,
                                      "/problems/not-found", "declaration.not_found")
        self.assertEqual(problem["title"], self.ja["error.404.title"])

    # --- POST /api/v1/applications ---------------------------------------------------------------

    def test_an_application_is_accepted_and_the_confirmation_mail_is_queued(self):
        app = application(business_name="受付テスト商店", lang="en")
        reply = self.registry.apply(app)
        self.assertEqual(reply.status, 202)
        self.assertEqual(reply.header("Content-Type"), "application/json")
        data = json.loads(reply.body)
        self.assertEqual(list(data), ["application_id", "status"])
        self.assertIs(type(data["application_id"]), int)
        self.assertEqual(data["status"], "awaiting_confirmation")
        mail = self.registry.wait_for_mail(app["contact_email"])[0]
        self.assertEqual(str(mail["Subject"]), self.en["mail.receipt.subject"].replace("{site_name}",
                                                                                         self.en["site.name"]))
        self.assertIn("/confirm#", self.registry.body(mail))
        # Not public until confirmed.
        search = self.get("/verify/search?name=%E5%8F%97%E4%BB%98")
        self.assertNotIn("受付テスト商店", search.text)

    def test_the_mail_language_defaults_to_the_request_language(self):
        app = application()
        del app["lang"]
        self.assertEqual(self.registry.post_json("/api/v1/applications", app, self.registry.fresh_address(),
                                                 {"Accept-Language": "en"}).status, 202)
        mail = self.registry.wait_for_mail(app["contact_email"])[0]
        self.assertEqual(mail["Content-Language"], "en")

    def test_confirming_issues_the_declaration_and_again_answers_the_same_without_a_new_id(self):
        app = two_star(business_name="確定テスト工業")
        self.assertEqual(self.registry.apply(app).status, 202)
        token = self.registry.confirmation_token(app["contact_email"])
        first = self.registry.confirm(token)
        self.assertEqual(first.status, 200)
        data = json.loads(first.body)
        self.assertEqual(list(data), DECLARATION_MEMBERS + ["newly_confirmed"])
        self.assertIs(data["newly_confirmed"], True)
        self.assert_declaration(data, data["id"], 2, "declared", "https://example.jp/security-policy")
        again = json.loads(self.registry.confirm(token).body)
        self.assertIs(again["newly_confirmed"], False)
        self.assertEqual(again["id"], data["id"])
        looked_up = json.loads(self.get(f"/api/v1/declarations/{data['id']}").body)
        self.assertEqual(looked_up, {k: v for k, v in data.items() if k != "newly_confirmed"})
        self.assertEqual(len(self.registry.wait_for_mail(app["contact_email"], count=2)), 2)  # 受付確認, 完了

    def test_an_unknown_token_is_a_404_problem_and_a_missing_one_a_422(self):
        self.assert_problem(self.registry.confirm("A" * 43), 404, "/problems/not-found", "confirm.unknown")
        self.assert_problem(self.registry.confirm("short"), 404, "/problems/not-found", "confirm.unknown")
        missing = self.assert_problem(self.registry.post_json("/api/v1/applications/confirm", {}), 422,
                                      "/problems/invalid")
        self.assertEqual([(e["field"], e["code"]) for e in missing["errors"]], [("token", "required")])
        typed = self.assert_problem(self.registry.post_json("/api/v1/applications/confirm", {"token": 5}), 422,
                                    "/problems/invalid")
        self.assertEqual([(e["field"], e["code"]) for e in typed["errors"]], [("token", "invalid_type")])

    def test_a_body_that_is_not_json_is_a_415(self):
        app = json.dumps(application()).encode()
        for content_type in ("text/plain", "application/x-www-form-urlencoded", None,
                             "application/json; charset=iso-8859-1", "application/jsonx"):
            headers = {"Content-Type": content_type} if content_type else {}
            for path in ("/api/v1/applications", "/api/v1/applications/confirm"):
                reply = self.server.request("POST", path, headers, app)
                self.assert_problem(reply, 415, "/problems/unsupported-media-type", "request.unsupported_media_type")
        ok = self.registry.request("POST", "/api/v1/applications",
                                   {"Content-Type": "Application/JSON; charset=UTF-8"},
                                   json.dumps(application()).encode(), self.registry.fresh_address())
        self.assertEqual(ok.status, 202)

    def test_unreadable_bodies_are_400s_and_a_non_object_is_a_422(self):
        bad_utf8 = self.assert_problem(self.registry.post_json("/api/v1/applications", b'{"business_name": "\xff"}'),
                                       400, "/problems/bad-request", "request.malformed")
        self.assertEqual(bad_utf8["errors"][0]["code"], "invalid_utf8")
        for body in (b"{", b"", b'{"a": 1,}', b"{'a': 1}", b"nul"):
            problem = self.assert_problem(self.registry.post_json("/api/v1/applications", body), 400,
                                          "/problems/bad-request", "request.malformed")
            self.assertEqual(problem["errors"], [{"field": "body", "code": "malformed_json",
                                                  "message": self.ja["field_error.malformed_json"]}])
        for body in (b"[]", b'"text"', b"42", b"null"):
            problem = self.assert_problem(self.registry.post_json("/api/v1/applications", body), 422,
                                          "/problems/invalid")
            self.assertEqual([(e["field"], e["code"]) for e in problem["errors"]], [("body", "invalid_type")])

    def test_an_invalid_application_lists_every_field_error_with_messages_in_the_request_language(self):
        for headers, cat in (({}, self.ja), ({"Accept-Language": "en"}, self.en)):
            problem = self.assert_problem(self.registry.post_json("/api/v1/applications", {}, headers=headers), 422,
                                          "/problems/invalid", "application.invalid")
            self.assertEqual(problem["title"], cat["error.422.title"])
            fields = {e["field"] for e in problem["errors"]}
            self.assertTrue(REQUIRED_FIELDS <= fields, REQUIRED_FIELDS - fields)
            for e in problem["errors"]:
                self.assertEqual(e["message"], cat[f"field_error.{e['code']}"])

    def test_members_of_the_wrong_type_are_field_errors_alongside_the_others(self):
        app = application(business_name=5, terms_agreed="yes", purposes="trust", level=1.5, commitments=[1, True],
                          lang="fr")
        del app["address"]
        problem = self.assert_problem(self.registry.apply(app), 422, "/problems/invalid")
        got = {e["field"]: e["code"] for e in problem["errors"]}
        self.assertEqual(got["business_name"], "invalid_type")
        self.assertEqual(got["terms_agreed"], "invalid_type")
        self.assertEqual(got["purposes"], "invalid_type")
        self.assertEqual(got["level"], "invalid_type")
        self.assertEqual(got["commitments"], "invalid_type")
        self.assertEqual(got["lang"], "invalid_choice")
        self.assertEqual(got["address"], "required")

    def test_the_same_checks_as_the_form_apply(self):
        cases = [
            (dict(corporate_number="1234567890123"), "corporate_number", "check_digit"),
            (dict(corporate_number="12345"), "corporate_number", "corporate_number_format"),
            (dict(entity_type="sole_proprietor"), "corporate_number", "not_for_sole_proprietor"),
            (dict(business_name_kana="Ｓａｋｕｒａ漢字"), "business_name_kana", "katakana_only"),
            (dict(postal_code="12345"), "postal_code", "postal_code_format"),
            (dict(contact_email="not-an-address"), "contact_email", "invalid_email"),
            (dict(website="ftp://example.jp/"), "website", "invalid_url"),
            (dict(terms_version="2020-1"), "terms_agreed", "terms_outdated"),
            # An earlier version that is still published is not the one an application agrees to now.
            (dict(terms_version="2026-1"), "terms_agreed", "terms_outdated"),
            (dict(terms_agreed=False), "terms_agreed", "terms_required"),
            (dict(commitments=[1, 2, 4, 5]), "commitment_3", "commitment_required"),
            (dict(level=2), "assessment_date", "required"),
            (dict(level=3), "level", "invalid_choice"),
            (dict(level=-1), "level", "invalid_choice"),
            (dict(prefecture="48"), "prefecture", "invalid_choice"),
        ]
        for change, field, code in cases:
            problem = self.assert_problem(self.registry.apply(application(**change)), 422, "/problems/invalid")
            got = {e["field"]: e["code"] for e in problem["errors"]}
            self.assertEqual(got.get(field), code, (change, got))

    def test_a_claim_to_a_held_corporate_number_is_accepted_like_any_and_confirmed_as_a_dispute(self):
        held = self.one.application["corporate_number"]
        claim = application(corporate_number=held)
        free = application()
        applied, fresh = self.registry.apply(claim), self.registry.apply(free)
        # The answer says nothing about the number: the same status and members as for a free one.
        self.assertEqual((applied.status, fresh.status), (202, 202), applied.text)
        self.assertEqual(json.loads(applied.body).keys(), json.loads(fresh.body).keys())
        self.assertEqual(json.loads(applied.body)["status"], json.loads(fresh.body)["status"])
        confirmed = self.registry.confirm(self.registry.confirmation_token(claim["contact_email"]))
        self.assertEqual(confirmed.status, 202, confirmed.text)
        self.assertEqual(confirmed.header("Content-Type"), "application/json")
        self.assertEqual(json.loads(confirmed.body), {"id": None, "status": "disputed", "newly_confirmed": True})
        # The holder's declaration is as it was.
        self.assertEqual(json.loads(self.get(f"/api/v1/declarations/{self.one.public_id}").body)["status"],
                         "declared")
        # The operator sees the claim, with both sides.
        listed = run_sengen("disputes", "list", "--db", f"sqlite:{self.server.db_path}")
        self.assertEqual(listed.returncode, 0, listed.stderr)
        rows = [line.split("\t") for line in listed.stdout.splitlines()[1:-1]]
        self.assertIn((held, claim["business_name"], claim["contact_email"], self.one.public_id),
                      [(r[2], r[4], r[5], r[6]) for r in rows])

    def test_a_number_with_an_application_awaiting_confirmation_is_answered_as_a_free_one(self):
        pending = application()
        self.assertEqual(self.registry.apply(pending).status, 202)
        second = application(corporate_number=pending["corporate_number"])
        free = application()
        applied, fresh = self.registry.apply(second), self.registry.apply(free)
        # Nothing in the answer tells that the number was applied for already.
        self.assertEqual((applied.status, fresh.status), (202, 202), applied.text)
        self.assertEqual(json.loads(applied.body).keys(), json.loads(fresh.body).keys())
        self.assertEqual(json.loads(applied.body)["status"], json.loads(fresh.body)["status"])
        # The unconfirmed application blocked nothing: the second one confirms into a declaration,
        # and only the first, confirmed later, becomes a claim against it.
        confirmed = json.loads(self.registry.confirm(self.registry.confirmation_token(second["contact_email"])).body)
        self.assertEqual(confirmed["status"], "declared")
        self.assertRegex(confirmed["id"], r"^\d{11}$")
        late = json.loads(self.registry.confirm(self.registry.confirmation_token(pending["contact_email"])).body)
        self.assertEqual(late, {"id": None, "status": "disputed", "newly_confirmed": True})

    def test_too_many_applications_for_one_address_are_a_429_problem(self):
        source = self.registry.fresh_address()
        email = "busy-applicant@example.jp"
        for n in range(5):
            self.assertEqual(self.registry.apply(application(contact_email=email), source).status, 202, n)
        reply = self.registry.apply(application(contact_email=email), source)
        self.assert_problem(reply, 429, "/problems/too-many-requests")
        self.assertEqual(reply.header("Retry-After"), "60")

    def test_guessing_confirmation_tokens_is_limited_per_address(self):
        # A link's token has 256 bits; the limit keeps anyone from even trying many of them.
        source = self.registry.fresh_address()
        guesses = [f"{n:043d}" for n in range(61)]
        for guess in guesses[:60]:
            self.assert_problem(self.registry.confirm(guess, source), 404, "/problems/not-found", "confirm.unknown")
        self.assert_problem(self.registry.confirm(guesses[60], source), 429, "/problems/too-many-requests")
        self.assert_problem(self.registry.confirm(guesses[60]), 404, "/problems/not-found", "confirm.unknown")

    def test_the_api_reads_no_cookie_and_wants_no_csrf_token(self):
        reply = self.registry.post_json("/api/v1/applications", application(),
                                        headers={"Cookie": "sengen_session=" + "x" * 43})
        self.assertEqual(reply.status, 202)
        self.assertIsNone(reply.header("Set-Cookie"))

    def test_nothing_private_is_in_any_api_answer(self):
        for d in (self.one, self.two, self.stopped, self.revoked):
            text = self.get(f"/api/v1/declarations/{d.public_id}").text
            for field, value in PRIVATE.items():
                self.assertNotIn(value, text, field)
            self.assertNotIn(d.application["contact_email"], text)
            self.assertNotIn(d.application["corporate_number"], text)
            self.assertNotIn("規約違反", text)

    # --- the OpenAPI document -------------------------------------------------------------------

    def test_the_openapi_document_is_json_lists_the_paths_and_is_exactly_the_yaml(self):
        reply = self.get("/api/v1/openapi.json")
        self.assertEqual(reply.status, 200)
        self.assertEqual(reply.header("Content-Type"), "application/json")
        document = json.loads(reply.body)
        self.assertTrue(document["openapi"].startswith("3.1"))
        for path, method in (("/api/v1/declarations/{id}", "get"), ("/api/v1/applications", "post"),
                             ("/api/v1/applications/confirm", "post")):
            self.assertIn(method, document["paths"][path])
        source = yaml.safe_load((SOURCE_DIR / "docs" / "api" / "openapi.yaml").read_text(encoding="utf-8"))
        self.assertEqual(document, source, "run scripts/openapi-json.py")
        self.assertEqual(reply.body, (SOURCE_DIR / "docs" / "api" / "openapi.json").read_bytes())

    def test_the_documented_declaration_schema_matches_what_is_served(self):
        document = json.loads(self.get("/api/v1/openapi.json").body)
        schema = document["components"]["schemas"]["Declaration"]
        self.assertEqual(schema["required"], DECLARATION_MEMBERS)
        # record_salt, served last and only while the log is served (tlog.record_salt), is optional.
        self.assertEqual(list(schema["properties"]), DECLARATION_MEMBERS + ["record_salt"])
        self.assertEqual(schema["properties"]["status"]["enum"], ["declared", "stopped", "revoked"])
        served = json.loads(self.get(f"/api/v1/declarations/{self.two.public_id}").body)
        self.assertEqual(list(served), schema["required"])


if __name__ == "__main__":
    unittest.main()
