"""The basic security policy over HTTP: the private editor (the template's text, what is refused,
line breaks kept, suggestions from the latest saved self-assessment, going back to the template),
publishing numbered versions that never change, the public page with its earlier versions, the PDF
(text read back with pdftotext) and the plain text, hostile text shown literally, taking a policy
down."""

import os
import re
import subprocess
import tempfile
import tomllib
import unittest

from sengen_server import SOURCE_DIR, catalogue, html_escape
from toolkit_flow import ALL_DONE, FIRST, Browser, ServerTest, application, csrf_of, declare, forms, japan_day, text_of

JA = catalogue("ja")
EN = catalogue("en")
TEMPLATE = tomllib.loads((SOURCE_DIR / "content" / "policy" / "2026-1.toml").read_text(encoding="utf-8"))

# Text a business might paste, or an attacker might try: markup, entities, quotes, line breaks.
HOSTILE = '<script>alert("x")</script> & <b>太字</b> &amp; \'引用\'\n二行目 <img src=x onerror=alert(1)>'


def section_body(n, lang="ja"):
    return next(s for s in TEMPLATE["sections"] if s["number"] == n)["body"][lang]


def fields_of(editor_html):
    """The editor's fields as the browser would send them unchanged."""
    out = {"csrf": csrf_of(editor_html)}
    for m in re.finditer(r'<input class="input[^"]*" id="f-([a-z_0-9]+)" name="([a-z_0-9]+)" type="text" value="([^"]*)"',
                         editor_html):
        out[m.group(2)] = html_unescape(m.group(3))
    for m in re.finditer(r'<input class="choice-input" type="radio" id="[^"]+" name="([a-z_]+)" value="([^"]*)" checked>',
                         editor_html):
        out[m.group(1)] = m.group(2)
    for m in re.finditer(r'<textarea class="input textarea" id="f-([a-z_0-9]+)" name="([a-z_0-9]+)"[^>]*>\n(.*?)</textarea>',
                         editor_html, re.S):
        out[m.group(2)] = html_unescape(m.group(3))
    return out


def html_unescape(s):
    import html

    return html.unescape(s)


def pdf_text(data: bytes) -> str:
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "policy.pdf")
        with open(path, "wb") as f:
            f.write(data)
        return subprocess.run(["pdftotext", "-enc", "UTF-8", "-raw", path, "-"], capture_output=True, text=True,
                              check=True).stdout


def squash(s):
    return re.sub(r"\s+", "", s)


class PolicyTest(ServerTest):
    def declared(self, address, lang="ja"):
        """A browser signed in as an account with a live declaration: only such an account may
        publish a policy."""
        declare(self.server, application(address))
        b = Browser(self.server, lang)
        b.sign_in(address)
        return b

    def new_policy(self, b):
        created = b.post("/mypage/policies", {"csrf": b.csrf()})
        self.assertEqual(created.status, 303, created.text[:300])
        location = created.header("Location")
        self.assertRegex(location, r"^/mypage/policies/\d+$")
        return location

    def fill(self, b, location, **changes):
        """Posts the editor with the given fields changed (None keeps the page's value)."""
        page = b.get(location)
        self.assertEqual(page.status, 200)
        fields = fields_of(page.text)
        fields.update({k: v for k, v in changes.items() if k not in ("add", "reset")})
        extra = [(k, changes[k]) for k in ("add", "reset") if k in changes]
        return b.post(location, list(fields.items()) + extra)

    def complete(self, b, location, **changes):
        base = dict(policy_business_name="株式会社さくら印刷", policy_assets="customers",
                    policy_established="2026-04-01", policy_representative_title="代表取締役社長",
                    policy_representative_name="佐藤 花子")
        base.update(changes)
        saved = self.fill(b, location, **base)
        self.assertEqual(saved.status, 303, text_of(saved.text)[:2000])
        return saved

    def publish(self, b, location):
        page = b.get(location + "/publish")
        self.assertEqual(page.status, 200, text_of(page.text)[:1500])
        done = b.post(location + "/publish", {"csrf": csrf_of(page.text)})
        self.assertEqual(done.status, 303)
        editor = b.get(location).text
        self.assertIn(html_escape((EN if b.lang == "en" else JA)["policy.flash.published"]), editor)
        m = re.search(r'<a href="(http://127\.0\.0\.1:\d+/policy/([a-z0-9]{10}))">', editor)
        self.assertIsNotNone(m, "no public address on the editor")
        return m.group(1), "/policy/" + m.group(2)


class Editor(PolicyTest):
    def test_a_new_draft_follows_the_template_and_takes_the_declared_business_name(self):
        b = Browser(self.server)
        b.sign_in("policy-new@example.jp")
        location = self.new_policy(b)
        page = b.get(location)
        self.assertEqual(page.status, 200)
        self.assertIn('<meta name="robots" content="noindex">', page.text)
        for n in range(1, 6):
            heading = next(s for s in TEMPLATE["sections"] if s["number"] == n)["heading"]["ja"]
            self.assertIn(f"{n}. {html_escape(heading)}", page.text)
            self.assertIn(html_escape(section_body(n)), page.text)
        self.assertIn(html_escape(JA["policy.status_line.draft"]), page.text)
        mypage = b.get("/mypage")
        self.assertIn(f'href="{location}"', mypage.text)
        self.assertIn(html_escape(JA["policy.status.draft"]), mypage.text)

    def test_only_its_account_can_see_or_change_a_draft(self):
        owner = Browser(self.server)
        owner.sign_in("policy-owner@example.jp")
        location = self.new_policy(owner)
        stranger = Browser(self.server)
        stranger.sign_in("policy-stranger@example.jp")
        self.assertEqual(stranger.get(location).status, 404)
        posted = stranger.post(location, {"csrf": stranger.csrf(), "policy_business_name": "乗っ取り"})
        self.assertEqual(posted.status, 404)
        self.assertEqual(stranger.get(location + "/publish").status, 404)
        anonymous = Browser(self.server)
        r = anonymous.get(location)
        self.assertEqual(r.status, 303)
        self.assertTrue(r.header("Location").startswith("/signin?next="))
        self.assertNotIn("乗っ取り", owner.get(location).text)

    def test_creating_and_saving_need_the_csrf_token(self):
        b = Browser(self.server)
        b.sign_in("policy-csrf@example.jp")
        self.assertEqual(b.post("/mypage/policies", {}).status, 403)
        location = self.new_policy(b)
        self.assertEqual(b.post(location, {"policy_business_name": "x"}).status, 403)

    def test_saving_keeps_what_was_typed_with_its_line_breaks(self):
        b = Browser(self.server)
        b.sign_in("policy-save@example.jp")
        location = self.new_policy(b)
        typed = "当社の経営者は、先頭に立ちます。\r\n\r\n毎年見直します。"
        saved = self.complete(b, location, policy_section_1=typed)
        self.assertEqual(saved.header("Location"), location)
        page = b.get(location)
        self.assertIn(html_escape(JA["policy.flash.saved"]), page.text)
        self.assertIn("当社の経営者は、先頭に立ちます。\n\n毎年見直します。</textarea>", page.text)
        self.assertIn('value="株式会社さくら印刷"', page.text)
        # The rewritten section can go back to the template's wording.
        self.assertIn('name="reset" value="policy_section_1"', page.text)
        back = self.fill(b, location, reset="policy_section_1")
        self.assertEqual(back.header("Location"), location + "#f-policy_section_1")
        self.assertIn(html_escape(section_body(1)) + "</textarea>", b.get(location).text)

    def test_the_preamble_follows_the_business_name_and_the_chosen_assets(self):
        b = Browser(self.server)
        b.sign_in("policy-preamble@example.jp")
        location = self.new_policy(b)
        self.complete(b, location, policy_business_name="有限会社みどり工房", policy_assets="own")
        page = b.get(location).text
        self.assertIn("有限会社みどり工房（以下「当社」といいます。）は、当社の情報資産を", page)
        # The name changes in the preamble too, because it still follows the template.
        self.complete(b, location, policy_business_name="株式会社あおい商会", policy_assets="both")
        page = b.get(location).text
        self.assertIn("株式会社あおい商会（以下「当社」といいます。）は、お客様からお預かりした情報資産と当社の情報資産を", page)
        self.assertNotIn("有限会社みどり工房", page)

    def test_refused_input_shows_field_errors_keeps_what_was_typed_and_saves_nothing(self):
        b = Browser(self.server)
        b.sign_in("policy-refused@example.jp")
        location = self.new_policy(b)
        self.complete(b, location)
        cases = [
            ("policy_section_2", "right-to-left \u202e override", "invalid_characters"),
            ("policy_section_3", "zero\u200bwidth", "invalid_characters"),
            ("policy_preamble", "bell \x07 here", "invalid_characters"),
            ("policy_business_name", "二行の\n名前", "invalid_characters"),
            ("policy_section_4", "あ" * 2001, "too_long"),
            ("policy_representative_name", "名" * 61, "too_long"),
            ("policy_established", "2026-02-30", "invalid_date"),
            ("policy_assets", "everyone", "invalid_choice"),
            ("policy_lang", "fr", "invalid_choice"),
            ("policy_lang", "EN", "invalid_choice"),  # only the codes the form offers, as it spells them
        ]
        for field, value, code in cases:
            with self.subTest(field=field, code=code):
                r = self.fill(b, location, **{field: value})
                self.assertEqual(r.status, 422)
                self.assertIn(f'href="#f-{field}"', r.text)
                self.assertIn(html_escape(JA[f"field_error.{code}"]), r.text)
                if field.startswith("policy_section") or field == "policy_preamble":
                    self.assertIn(html_escape(value.replace("\r\n", "\n")) + "</textarea>", r.text)
        page = b.get(location).text
        self.assertIn('value="株式会社さくら印刷"', page)
        self.assertIn(html_escape(section_body(2)) + "</textarea>", page)
        self.assertIn('value="2026-04-01"', page)

    def test_full_width_digits_in_the_date_are_accepted(self):
        b = Browser(self.server)
        b.sign_in("policy-date@example.jp")
        location = self.new_policy(b)
        self.complete(b, location, policy_established="２０２６／０４／０１")
        self.assertIn('value="2026-04-01"', b.get(location).text)

    def test_weak_answers_suggest_commitments_that_can_be_added_once(self):
        b = Browser(self.server)
        b.sign_in("policy-suggest@example.jp")
        location = self.new_policy(b)
        page = b.get(location).text
        self.assertIn(html_escape(JA["policy.suggest.no_assessment"]), page)
        b.save_assessment(FIRST)  # question 24 "don't know": the incidents suggestion
        page = b.get(location).text
        incidents = next(s for s in TEMPLATE["suggestions"] if s["id"] == "incidents")
        self.assertIn(html_escape(incidents["text"]["ja"]), page)
        self.assertIn('name="add" value="incidents"', page)
        self.assertIn("質問24の答えから", page)
        # Questions answered "done" suggest nothing (every one of "access" is done in FIRST).
        self.assertNotIn('value="access"', page)
        added = self.fill(b, location, add="incidents")
        self.assertEqual(added.status, 303)
        self.assertEqual(added.header("Location"), location + "#f-policy_section_5")
        page = b.get(location).text
        self.assertIn(html_escape(section_body(5)) + "\n" + html_escape(incidents["text"]["ja"]) + "</textarea>", page)
        self.assertNotIn('name="add" value="incidents"', page)
        self.assertIn(html_escape(JA["policy.suggest.added"]), page)
        # Adding it again changes nothing.
        self.fill(b, location, add="incidents")
        self.assertEqual(b.get(location).text.count(html_escape(incidents["text"]["ja"])), 2)  # suggestion + section

    def test_an_all_done_assessment_suggests_nothing(self):
        b = Browser(self.server)
        b.sign_in("policy-alldone@example.jp")
        b.save_assessment(ALL_DONE)
        location = self.new_policy(b)
        page = b.get(location).text
        self.assertIn(html_escape(JA["policy.suggest.none"]), page)
        self.assertNotIn('name="add"', page)

    def test_an_english_policy_uses_the_english_template(self):
        b = Browser(self.server, "en")
        b.sign_in("policy-english@example.jp")
        location = self.new_policy(b)
        page = b.get(location).text
        self.assertIn('value="en" checked', page)
        self.assertIn(html_escape(section_body(1, "en")), page)
        # Switching the policy to Japanese switches the sections that follow the template.
        self.complete(b, location, policy_lang="ja")
        page = b.get(location).text
        self.assertIn(html_escape(section_body(1, "ja")), page)
        self.assertNotIn(html_escape(section_body(1, "en")), page)


class Publishing(PolicyTest):
    def test_an_incomplete_draft_cannot_be_published_and_says_what_is_missing(self):
        b = Browser(self.server)
        b.sign_in("policy-incomplete@example.jp")
        location = self.new_policy(b)
        page = b.get(location + "/publish")
        self.assertEqual(page.status, 422)
        for field in ("policy_business_name", "policy_assets", "policy_established", "policy_representative_title",
                      "policy_representative_name"):
            self.assertIn(f'href="{location}#f-{field}"', page.text)
        self.assertNotIn('action="' + location + '/publish"', page.text)  # no button to press
        refused = b.post(location + "/publish", {"csrf": b.csrf()})
        self.assertEqual(refused.status, 422)
        policy_id = int(location.rsplit("/", 1)[1])
        self.assertEqual(self.server.sql("SELECT COUNT(*) FROM policy_versions WHERE policy_id = ?", (policy_id,)),
                         [(0,)])

    def test_an_emptied_section_must_be_written_or_put_back_before_publishing(self):
        b = Browser(self.server)
        b.sign_in("policy-emptied@example.jp")
        location = self.new_policy(b)
        self.complete(b, location, policy_section_3="")
        page = b.get(location + "/publish")
        self.assertEqual(page.status, 422)
        self.assertIn(f'href="{location}#f-policy_section_3"', page.text)

    def test_publishing_makes_numbered_versions_on_a_stable_public_address(self):
        b = self.declared("policy-publish@example.jp")
        location = self.new_policy(b)
        self.complete(b, location, policy_section_1="第1版の経営者の責任です。")
        preview = b.get(location + "/publish")
        self.assertIn("第1版の経営者の責任です。", preview.text)
        self.assertIn(html_escape(JA["policy.publish.lead"].replace("{version}", "第1版")), preview.text)
        absolute, path = self.publish(b, location)
        self.assertTrue(absolute.startswith(self.server.origin))
        public = Browser(self.server).get(path)
        self.assertEqual(public.status, 200)
        self.assertNotIn('name="robots"', public.text)
        self.assertIn("<h1 class=\"policy-doc-title\">情報セキュリティ基本方針</h1>", public.text)
        self.assertIn("第1版の経営者の責任です。", public.text)
        self.assertIn("株式会社さくら印刷（以下「当社」といいます。）は、お客様からお預かりした情報資産を", public.text)
        self.assertIn("制定日：2026年4月1日", public.text)
        self.assertIn("代表取締役社長　佐藤 花子", public.text)
        self.assertNotIn("改定日", public.text)

        # Editing the draft changes nothing public until it is published again.
        self.complete(b, location, policy_section_1="第2版の経営者の責任です。")
        self.assertIn("第1版の経営者の責任です。", Browser(self.server).get(path).text)
        self.publish(b, location)
        current = Browser(self.server).get(path)
        self.assertIn("第2版の経営者の責任です。", current.text)
        self.assertNotIn("第1版の経営者の責任です。", current.text)
        today = japan_day()
        y, m, d = (int(x) for x in today.split("-"))
        self.assertIn(f"改定日：{y}年{m}月{d}日", current.text)
        self.assertIn(f'href="{path}/1"', current.text)
        first = Browser(self.server).get(path + "/1")
        self.assertEqual(first.status, 200)
        self.assertIn("第1版の経営者の責任です。", first.text)
        self.assertIn(html_escape(JA["policy.public.earlier_note"]), first.text)
        self.assertIn(f'href="{path}"', first.text)
        self.assertEqual(Browser(self.server).get(path + "/3").status, 404)
        rows = self.server.sql("SELECT number FROM policy_versions ORDER BY number")
        self.assertIn((2,), rows)

    def test_hostile_text_is_shown_literally_with_its_line_breaks(self):
        b = self.declared("policy-hostile@example.jp")
        location = self.new_policy(b)
        self.complete(b, location, policy_business_name='<i>株式会社</i> "&"', policy_section_4=HOSTILE)
        _, path = self.publish(b, location)
        page = Browser(self.server).get(path).text
        self.assertNotIn("<script>alert", page)
        self.assertNotIn("<img src=x", page)
        self.assertNotIn("<b>太字</b>", page)
        self.assertIn('<p class="policy-text">' + html_escape(HOSTILE) + "</p>", page)
        self.assertIn(html_escape('<i>株式会社</i> "&"'), page)
        self.assertIn("Content-Security-Policy", str(Browser(self.server).get(path).headers))

    def test_the_pdf_and_the_text_hold_the_policy_as_published(self):
        b = self.declared("policy-downloads@example.jp")
        location = self.new_policy(b)
        long_section = "\n".join(f"{i}行目：当社は、この約束を守ります。" for i in range(1, 60))
        self.complete(b, location, policy_section_4=HOSTILE, policy_section_5=long_section)
        _, path = self.publish(b, location)
        pdf = Browser(self.server).get(path + "/1/policy.pdf")
        self.assertEqual(pdf.status, 200)
        self.assertEqual(pdf.header("Content-Type"), "application/pdf")
        self.assertIn('attachment; filename="security-policy-1.pdf"', pdf.header("Content-Disposition"))
        text = squash(pdf_text(pdf.body))
        for expected in ("情報セキュリティ基本方針", "株式会社さくら印刷", "1.経営者の責任", "5.違反および事故への対応",
                         squash(section_body(1)), squash(HOSTILE), "59行目：当社は、この約束を守ります。",
                         "制定日：2026年4月1日", "代表取締役社長佐藤花子", "第1版", "2ページ"):
            self.assertIn(expected, text)
        plain = Browser(self.server).get(path + "/1/policy.txt")
        self.assertEqual(plain.status, 200)
        self.assertEqual(plain.header("Content-Type"), "text/plain; charset=utf-8")
        body = plain.body.decode("utf-8")
        self.assertTrue(body.startswith("情報セキュリティ基本方針\n\n株式会社さくら印刷（以下「当社」といいます。）"))
        self.assertIn("\n4. 法令および契約上の要求事項の遵守\n" + HOSTILE + "\n", body)
        self.assertIn("\n制定日：2026年4月1日\n株式会社さくら印刷\n代表取締役社長　佐藤 花子\n", body)
        self.assertIn(self.server.origin + path, body)

    def test_an_english_policy_is_published_in_english(self):
        b = self.declared("policy-published-en@example.jp", "en")
        location = self.new_policy(b)
        self.complete(b, location, policy_business_name="Sakura Printing Co., Ltd.",
                      policy_representative_title="President", policy_representative_name="Hanako Sato")
        _, path = self.publish(b, location)
        reader = Browser(self.server, "ja")  # a Japanese reader sees the English policy in Japanese chrome
        page = reader.get(path).text
        self.assertIn('<article class="policy-doc" lang="en">', page)
        self.assertIn("Basic Information Security Policy", page)
        self.assertIn("Established: 1 April 2026", page)
        self.assertIn("Hanako Sato, President", page)
        self.assertIn(html_escape(JA["policy.public.pdf"]), page)
        text = squash(pdf_text(reader.get(path + "/1/policy.pdf").body))
        self.assertIn(squash("Sakura Printing Co., Ltd. (\"the Company\") believes"), text)
        self.assertIn("Page1", text)

    def test_drafts_and_unknown_addresses_are_not_public(self):
        b = Browser(self.server)
        b.sign_in("policy-notpublic@example.jp")
        location = self.new_policy(b)
        slug = self.server.sql("SELECT slug FROM policies WHERE id = ?", (int(location.rsplit("/", 1)[1]),))[0][0]
        anonymous = Browser(self.server)
        for path in (f"/policy/{slug}", f"/policy/{slug}/1", f"/policy/{slug}/1/policy.pdf", "/policy/nosuchslug",
                     "/policy/x", "/policy/" + "a" * 500, "/policy/%00%01", "/policy/ABCDEFGHJK"):
            with self.subTest(path=path):
                r = anonymous.get(path)
                self.assertEqual(r.status, 404)
                self.assertEqual(r.header("X-Robots-Tag"), "noindex")


class TakingDown(PolicyTest):
    def test_an_unpublished_policy_is_gone_and_can_be_published_again_as_a_new_version(self):
        b = self.declared("policy-takedown@example.jp")
        location = self.new_policy(b)
        self.complete(b, location)
        _, path = self.publish(b, location)
        page = b.get(location + "/unpublish")
        self.assertEqual(page.status, 200)
        self.assertNotIn('name="step_down" value="yes"', page.text)  # nothing cites it
        done = b.post(location + "/unpublish", {"csrf": csrf_of(page.text), "step_down": "no"})
        self.assertEqual(done.status, 303)
        for p in (path, path + "/1", path + "/1/policy.pdf", path + "/1/policy.txt"):
            r = Browser(self.server).get(p)
            self.assertEqual(r.status, 410, p)
        self.assertIn(html_escape(JA["policy.gone.title"]), Browser(self.server).get(path).text)
        self.assertIn(html_escape(JA["policy.status.unpublished"]), b.get("/mypage").text)
        self.publish(b, location)
        again = Browser(self.server).get(path)
        self.assertEqual(again.status, 200)
        self.assertIn('href="' + path + '/1"', again.text)
        self.assertIn("第2版", again.text)

    def test_a_draft_cannot_be_unpublished(self):
        b = Browser(self.server)
        b.sign_in("policy-draft-down@example.jp")
        location = self.new_policy(b)
        r = b.post(location + "/unpublish", {"csrf": b.csrf(), "step_down": "yes"})
        self.assertEqual(r.status, 303)
        self.assertEqual(r.header("Location"), location)
        status = self.server.sql("SELECT status FROM policies WHERE id = ?", (int(location.rsplit("/", 1)[1]),))
        self.assertEqual(status, [("draft",)])


if __name__ == "__main__":
    unittest.main()
