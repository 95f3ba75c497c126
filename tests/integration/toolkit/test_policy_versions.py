"""Bounded work around published policies, against the real binary: who may publish (only an
account with a live declaration) and what (not a text the current version already says), the
public page listing its versions a page at a time, and the PDF and text of a version made once per
node and then served from the node's cache, with a strong ETag and a long lifetime."""

import http.client
import json
import re
import unittest

from sengen_server import LOOPBACK, catalogue, html_escape, send
from toolkit_flow import Browser, ServerTest, application, csrf_of, declare, new_address, text_of, wait_for_mail

JA = catalogue("ja")
EN = catalogue("en")
PER_PAGE = 20


def counter(metrics: str, name: str, kind: str) -> int:
    m = re.search(rf'^{name}\{{kind="{kind}"\}} (\d+)$', metrics, re.M)
    return int(m.group(1)) if m else 0


class VersionsTest(ServerTest):
    def apply(self, address):
        """Applies through the API and returns the token of the 受付確認 mail (not yet followed)."""
        conn = http.client.HTTPConnection(LOOPBACK, self.server.port, timeout=10, source_address=(new_address(), 0))
        try:
            r = send(conn, "POST", "/api/v1/applications", {"Content-Type": "application/json"},
                     json.dumps(application(address), ensure_ascii=False).encode("utf-8"))
        finally:
            conn.close()
        self.assertEqual(r.status, 202, r.text)
        return wait_for_mail(self.server, address, r"/confirm#([A-Za-z0-9_-]+)").group(1)

    def declared(self, address, lang="ja"):
        """A browser signed in as an account with a live declaration; (browser, declaration ID)."""
        public_id = declare(self.server, application(address))["id"]
        b = Browser(self.server, lang)
        b.sign_in(address)
        return b, public_id

    def draft(self, b, **changes):
        """A complete draft of the signed-in account: its editor's path."""
        created = b.post("/mypage/policies", {"csrf": b.csrf()})
        self.assertEqual(created.status, 303, created.text[:300])
        location = created.header("Location")
        self.save(b, location, **changes)
        return location

    def save(self, b, location, **changes):
        page = b.get(location)
        fields = {"csrf": csrf_of(page.text), "policy_lang": "ja", "policy_business_name": "株式会社さくら印刷",
                  "policy_assets": "own", "policy_established": "2026-04-01",
                  "policy_representative_title": "代表取締役", "policy_representative_name": "佐藤 花子"}
        fields.update(changes)
        saved = b.post(location, fields)
        self.assertEqual(saved.status, 303, text_of(saved.text)[:1000])

    def press_publish(self, b, location):
        """The publish page, and what pressing its button answers (a refused page has no button:
        the request is then sent as a browser would from an older copy of the page)."""
        page = b.get(location + "/publish")
        return page, b.post(location + "/publish", {"csrf": b.csrf()})

    def publish(self, b, location):
        _, done = self.press_publish(b, location)
        self.assertEqual(done.status, 303, text_of(done.text)[:1000])
        return "/policy/" + self.slug(location)

    def slug(self, location):
        return self.server.sql("SELECT slug FROM policies WHERE id = ?", (self.policy_id(location),))[0][0]

    def policy_id(self, location):
        return int(location.rsplit("/", 1)[1])

    def version_count(self, location):
        return self.server.sql("SELECT COUNT(*) FROM policy_versions WHERE policy_id = ?",
                               (self.policy_id(location),))[0][0]


class WhoMayPublish(VersionsTest):
    def assert_refused_as_not_declared(self, b, location, texts):
        page, done = self.press_publish(b, location)
        self.assertEqual(page.status, 200)
        self.assertIn(html_escape(texts["policy.publish.not_declared"]), page.text)
        self.assertNotIn(f'action="{location}/publish"', page.text)  # no button to press
        self.assertEqual(done.status, 403)
        self.assertIn(html_escape(texts["policy.publish.refused_title"]), done.text)
        self.assertIn(html_escape(texts["policy.publish.not_declared"]), done.text)
        self.assertEqual(self.version_count(location), 0)
        self.assertEqual(self.server.sql("SELECT status FROM policies WHERE id = ?", (self.policy_id(location),)),
                         [("draft",)])

    def test_an_account_without_any_declaration_cannot_publish(self):
        b = Browser(self.server)
        b.sign_in("versions-nodecl@example.jp")
        location = self.draft(b)
        self.assert_refused_as_not_declared(b, location, JA)

    def test_an_application_awaiting_confirmation_is_not_enough_and_the_refusal_is_in_english_too(self):
        address = "versions-pending@example.jp"
        self.apply(address)
        b = Browser(self.server, "en")
        b.sign_in(address)
        location = self.draft(b)
        self.assert_refused_as_not_declared(b, location, EN)

    def test_a_stopped_declaration_is_not_enough(self):
        b, public_id = self.declared("versions-stopped@example.jp")
        location = self.draft(b)
        page = b.get(f"/mypage/declarations/{public_id}/stop")
        self.assertEqual(page.status, 200)
        stopped = b.post(f"/mypage/declarations/{public_id}/stop", {"csrf": csrf_of(page.text)})
        self.assertEqual(stopped.status, 303)
        self.assert_refused_as_not_declared(b, location, JA)

    def test_a_declared_account_publishes(self):
        b, _ = self.declared("versions-declared@example.jp")
        location = self.draft(b)
        path = self.publish(b, location)
        self.assertEqual(Browser(self.server).get(path).status, 200)
        self.assertEqual(self.version_count(location), 1)


class SameText(VersionsTest):
    def test_publishing_the_text_of_the_current_version_again_is_refused_until_something_changes(self):
        b, _ = self.declared("versions-same@example.jp")
        location = self.draft(b)
        path = self.publish(b, location)
        # Saving the editor unchanged, or not at all, leaves the text as published.
        self.save(b, location)
        page, done = self.press_publish(b, location)
        self.assertEqual(page.status, 200)
        self.assertIn(html_escape(JA["policy.publish.unchanged"]), page.text)
        self.assertNotIn(f'action="{location}/publish"', page.text)
        self.assertEqual(done.status, 409)
        self.assertIn(html_escape(JA["policy.publish.unchanged"]), done.text)
        self.assertEqual(self.version_count(location), 1)
        # One changed word makes a version.
        self.save(b, location, policy_section_2="社内体制を毎年見直します。")
        self.publish(b, location)
        self.assertEqual(self.version_count(location), 2)
        self.assertIn("社内体制を毎年見直します。", Browser(self.server).get(path).text)

    def test_the_refusal_is_in_english_for_an_english_page(self):
        b, _ = self.declared("versions-same-en@example.jp", "en")
        location = self.draft(b)
        self.publish(b, location)
        _, done = self.press_publish(b, location)
        self.assertEqual(done.status, 409)
        self.assertIn(html_escape(EN["policy.publish.unchanged"]), done.text)


class Pagination(VersionsTest):
    def many_versions(self, address, count):
        """A published policy with `count` versions: the first published through the site, the
        rest written straight into the database as copies of it (publishing is rate-limited)."""
        b, _ = self.declared(address)
        location = self.draft(b)
        path = self.publish(b, location)
        pid = self.policy_id(location)
        for n in range(2, count + 1):
            self.server.sql("INSERT INTO policy_versions (policy_id, number, published_at, document) "
                            "SELECT policy_id, ?, published_at + ?, document FROM policy_versions "
                            "WHERE policy_id = ? AND number = 1", (n, n * 86400, pid))
        self.server.sql("UPDATE policies SET versions = ? WHERE id = ?", (count, pid))
        return path

    def versions_linked(self, page_html, path):
        return [int(n) for n in re.findall(rf'<a href="{re.escape(path)}/(\d+)">', page_html)]

    def test_the_public_page_lists_its_versions_a_page_at_a_time(self):
        path = self.many_versions("versions-many@example.jp", 45)
        reader = Browser(self.server)
        first = reader.get(path)
        self.assertEqual(first.status, 200)
        # The current version (45) is shown, not linked; 44 down to 26 are linked.
        self.assertEqual(self.versions_linked(first.text, path), list(range(44, 25, -1)))
        self.assertIn(f'href="{path}?page=2"', first.text)
        self.assertNotIn("?page=0", first.text)
        self.assertIn(html_escape(JA["policy.public.page_of"].replace("{page}", "1").replace("{pages}", "3")),
                      first.text)
        second = reader.get(path + "?page=2")
        self.assertEqual(second.status, 200)
        self.assertEqual(self.versions_linked(second.text, path), list(range(25, 5, -1)))
        self.assertIn(f'href="{path}"', second.text)
        self.assertIn(f'href="{path}?page=3"', second.text)
        third = reader.get(path + "?page=3")
        self.assertEqual(self.versions_linked(third.text, path), [5, 4, 3, 2, 1])
        self.assertNotIn("?page=4", third.text)
        for junk in ("?page=4", "?page=0", "?page=-1", "?page=x", "?page=99999999999999999999"):
            with self.subTest(query=junk):
                self.assertEqual(reader.get(path + junk).status, 404)

    def test_an_earlier_version_is_shown_with_the_page_of_the_list_asked_for(self):
        path = self.many_versions("versions-earlier@example.jp", 25)
        reader = Browser(self.server)
        page = reader.get(path + "/3?page=2")
        self.assertEqual(page.status, 200)
        self.assertIn(html_escape(JA["policy.public.earlier_note"]), page.text)
        self.assertIn("第3版", page.text)
        linked = self.versions_linked(page.text, path)
        self.assertEqual(linked, [5, 4, 2, 1])  # 3 is the one shown
        self.assertIn(f'href="{path}/3"', page.text)  # back to the first page of the list
        self.assertEqual(reader.get(path + "/26").status, 404)
        self.assertEqual(reader.get(path + "/0").status, 404)


class Downloads(VersionsTest):
    def test_a_version_is_rendered_once_then_served_from_the_cache_with_a_strong_etag(self):
        b, _ = self.declared("versions-cache@example.jp")
        location = self.draft(b)
        path = self.publish(b, location)
        before = self.server.get("/metrics").text
        reader = Browser(self.server)
        for kind, file in (("pdf", "policy.pdf"), ("txt", "policy.txt")):
            with self.subTest(kind=kind):
                url = f"{path}/1/{file}"
                one = reader.get(url)
                two = reader.get(url)
                self.assertEqual((one.status, two.status), (200, 200))
                self.assertEqual(one.body, two.body)
                etag = one.header("ETag")
                self.assertRegex(etag or "", r'^"[0-9a-f]{32}"$')
                self.assertEqual(two.header("ETag"), etag)
                self.assertIn("immutable", one.header("Cache-Control"))
                self.assertIn("public", one.header("Cache-Control"))
                again = reader.request("GET", url, headers={"If-None-Match": etag})
                self.assertEqual(again.status, 304)
                self.assertEqual(again.body, b"")
                metrics = self.server.get("/metrics").text
                self.assertEqual(counter(metrics, "sengen_policy_renders_total", kind)
                                 - counter(before, "sengen_policy_renders_total", kind), 1)
                self.assertEqual(counter(metrics, "sengen_policy_cache_hits_total", kind)
                                 - counter(before, "sengen_policy_cache_hits_total", kind), 2)
        self.assertTrue(reader.get(f"{path}/1/policy.pdf").body.startswith(b"%PDF-"))

    def test_a_policy_taken_down_is_gone_even_when_its_downloads_are_cached(self):
        b, _ = self.declared("versions-cache-down@example.jp")
        location = self.draft(b)
        path = self.publish(b, location)
        reader = Browser(self.server)
        self.assertEqual(reader.get(f"{path}/1/policy.pdf").status, 200)
        self.assertEqual(reader.get(f"{path}/1/policy.txt").status, 200)
        page = b.get(location + "/unpublish")
        self.assertEqual(b.post(location + "/unpublish", {"csrf": csrf_of(page.text), "step_down": "no"}).status, 303)
        for file in ("policy.pdf", "policy.txt"):
            r = reader.get(f"{path}/1/{file}")
            self.assertEqual(r.status, 410)
            self.assertEqual(r.header("Cache-Control"), "no-store")
        self.assertEqual(reader.get(f"{path}/2/policy.pdf").status, 410)

    def test_a_version_that_does_not_exist_is_not_found(self):
        b, _ = self.declared("versions-cache-404@example.jp")
        path = self.publish(b, self.draft(b))
        reader = Browser(self.server)
        for p in (f"{path}/2/policy.pdf", f"{path}/0/policy.txt", f"{path}/x/policy.pdf",
                  f"{path}/99999999999999999999/policy.pdf"):
            with self.subTest(path=p):
                self.assertEqual(reader.get(p).status, 404)


if __name__ == "__main__":
    unittest.main()
