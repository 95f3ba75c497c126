"""Saved self-assessments over HTTP: "save to My Page" when signed in and when not (the answers
wait in the server-side session through the real mail-link sign-in, and only there), My Page's
list, a saved result, and the comparison with the one saved before it, in Japanese and English."""

import json
import re
import unittest

from sengen_server import catalogue, html_escape
from toolkit_flow import (ALL_DONE, FIRST, POINTS, SECOND, Browser, ServerTest, band, forms, japan_day, text_of,
                          total)

JA = catalogue("ja")
EN = catalogue("en")


class HistoryTest(ServerTest):
    def saved_rows(self):
        return self.server.sql("SELECT account_id, edition, answers, score FROM self_assessments ORDER BY id")

    def account_id(self, address):
        rows = self.server.sql("SELECT id FROM accounts WHERE email_key = ?", (address,))
        return rows[0][0] if rows else None


class SavingSignedOut(HistoryTest):
    def test_answers_wait_in_the_session_only_and_are_saved_after_signing_in_by_mail_link(self):
        b = Browser(self.server)
        page = b.result(FIRST)
        self.assertEqual(page.status, 200)
        self.assertIn(html_escape(JA["assessment.save.button_signin"]), page.text)
        saved = b.save_assessment(FIRST)
        self.assertEqual(saved.status, 303)
        self.assertEqual(saved.header("Location"), "/signin?next=%2Fassessment%2Fsave")
        # Nothing is stored for an anonymous visitor but the session's copy.
        self.assertEqual(self.saved_rows(), [])
        data = self.server.sql("SELECT data FROM sessions WHERE data LIKE '%pending_assessment%'")
        self.assertEqual(len(data), 1)
        pending = json.loads(data[0][0])["pending_assessment"]
        self.assertEqual(pending["edition"], "2023")
        self.assertEqual(json.loads(pending["answers"]), {str(n): a for n, a in FIRST.items()})

        signin = b.get("/signin?next=%2Fassessment%2Fsave")
        self.assertIn(html_escape(JA["signin.pending_assessment"]), signin.text)
        done = b.sign_in("history-wait@example.jp", "/assessment/save")
        self.assertEqual(done.header("Location"), "/assessment/save")
        page = b.get("/assessment/save")
        self.assertEqual(page.status, 200)
        self.assertEqual(self.saved_rows(), [])  # reading the page saves nothing
        form = next(f for f in forms(page.text) if f["action"] == "/assessment/save")
        result = b.post("/assessment/save", list(form["hidden"].items()))
        self.assertEqual(result.status, 303)
        location = result.header("Location")
        self.assertRegex(location, r"^/mypage/assessments/\d+$")

        rows = self.saved_rows()
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0][0], self.account_id("history-wait@example.jp"))
        self.assertEqual(rows[0][1], "2023")
        self.assertEqual(rows[0][3], total(FIRST))
        # The session's copy is gone once saved; asking again saves nothing more.
        self.assertEqual(self.server.sql("SELECT data FROM sessions WHERE data LIKE '%pending_assessment%'"), [])
        again = b.get("/assessment/save")
        self.assertEqual(again.status, 200)
        self.assertIn(html_escape(JA["assessment.saved.nothing.title"]), again.text)
        pressed_again = b.post("/assessment/save", list(form["hidden"].items()))
        self.assertEqual(pressed_again.status, 200)
        self.assertIn(html_escape(JA["assessment.saved.nothing.title"]), pressed_again.text)
        self.assertEqual(len(self.saved_rows()), 1)

        shown = b.get(location)
        self.assertEqual(shown.status, 200)
        self.assertIn(html_escape(JA["assessment.saved.flash"]), shown.text)
        self.assertIn(f'<span class="score-points">{total(FIRST)}', shown.text)

    def test_signing_in_in_another_browser_saves_nothing_and_says_why(self):
        b = Browser(self.server)
        b.save_assessment(ALL_DONE)
        other = Browser(self.server)
        other.sign_in("history-other-browser@example.jp", "/assessment/save")
        page = other.get("/assessment/save")
        self.assertEqual(page.status, 200)
        self.assertIn(html_escape(JA["assessment.saved.nothing.body"]), page.text)
        self.assertNotIn(self.account_id("history-other-browser@example.jp"), [r[0] for r in self.saved_rows()])

    def test_save_without_a_csrf_token_is_refused(self):
        b = Browser(self.server)
        page = b.result(FIRST)
        form = next(f for f in forms(page.text) if f["action"] == "/assessment/save")
        fields = [(k, v) for k, v in form["hidden"].items() if k != "csrf"]
        self.assertEqual(b.post("/assessment/save", fields).status, 403)
        self.assertEqual(self.server.sql("SELECT COUNT(*) FROM sessions WHERE data LIKE '%pending%'"), [(0,)])

    def test_incomplete_answers_are_not_kept_and_show_the_questionnaire(self):
        b = Browser(self.server)
        partial = {n: a for n, a in FIRST.items() if n != 13}
        fields = [("csrf", b.csrf()), ("edition", "2023")] + [(f"q{n}", a) for n, a in partial.items()]
        reply = b.post("/assessment/save", fields)
        self.assertEqual(reply.status, 422)
        self.assertIn('name="q13"', reply.text)
        self.assertEqual(self.server.sql("SELECT COUNT(*) FROM sessions WHERE data LIKE '%pending%'"), [(0,)])


class SavingSignedIn(HistoryTest):
    def test_saves_at_once_and_my_page_lists_date_edition_score_and_band(self):
        b = Browser(self.server)
        b.sign_in("history-list@example.jp")
        page = b.result(FIRST)
        self.assertIn(html_escape(JA["assessment.save.button"]), page.text)
        first = b.save_assessment(FIRST)
        self.assertEqual(first.status, 303)
        second = b.save_assessment(SECOND)
        self.assertEqual(second.status, 303)
        mypage = b.get("/mypage")
        self.assertEqual(mypage.status, 200)
        rows = re.findall(r"<tr>\s*<th scope=\"row\"><a href=\"(/mypage/assessments/\d+)\">([^<]+)</a></th>(.*?)</tr>",
                          mypage.text, re.S)
        self.assertEqual([r[0] for r in rows], [second.header("Location"), first.header("Location")])
        today = japan_day()
        y, m, d = (int(x) for x in today.split("-"))
        self.assertEqual(rows[0][1], f"{y}年{m}月{d}日")
        for (_, _, cells), answers in zip(rows, (SECOND, FIRST)):
            self.assertIn("情報セキュリティ自社診断（2023年版）", cells)
            score = JA["assessment.result.score_value"].replace("{score}", str(total(answers))).replace("{max}", "100")
            self.assertIn(html_escape(score), cells)
            self.assertIn(html_escape(JA[f"assessment.band.{band(total(answers))}.title"]), cells)
        # The newer one links to a comparison; the first saved has nothing earlier.
        self.assertIn(second.header("Location") + "/compare", rows[0][2])
        self.assertNotIn("/compare", rows[1][2])

    def test_a_saved_result_is_only_shown_to_its_account(self):
        owner = Browser(self.server)
        owner.sign_in("history-owner@example.jp")
        location = owner.save_assessment(FIRST).header("Location")
        self.assertEqual(owner.get(location).status, 200)
        stranger = Browser(self.server)
        stranger.sign_in("history-stranger@example.jp")
        self.assertEqual(stranger.get(location).status, 404)
        self.assertEqual(stranger.get(location + "/compare").status, 404)
        anonymous = Browser(self.server)
        r = anonymous.get(location)
        self.assertEqual(r.status, 303)
        self.assertTrue(r.header("Location").startswith("/signin?next="))
        self.assertEqual(owner.get("/mypage/assessments/abc").status, 404)
        self.assertEqual(owner.get("/mypage/assessments/99999999").status, 404)

    def test_a_saved_result_can_still_be_downloaded_as_pdf(self):
        b = Browser(self.server)
        b.sign_in("history-pdf@example.jp")
        page = b.follow(b.save_assessment(FIRST))
        form = next(f for f in forms(page.text) if f["action"] == "/assessment/report.pdf")
        pdf = b.post("/assessment/report.pdf", list(form["hidden"].items()) + [("business_name", "")])
        self.assertEqual(pdf.status, 200)
        self.assertEqual(pdf.header("Content-Type"), "application/pdf")
        self.assertTrue(pdf.body.startswith(b"%PDF-"))


class Comparison(HistoryTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        b = Browser(cls.server)
        b.sign_in("history-compare@example.jp")
        cls.first = b.save_assessment(FIRST).header("Location")
        cls.second = b.save_assessment(SECOND).header("Location")
        cls.browser = b

    def rows(self, page):
        out = {}
        for m in re.finditer(r'<tr class="([^"]*)" data-question="(\d+)">(.*?)</tr>', page, re.S):
            cells = [text_of(c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", m.group(3), re.S)]
            out[int(m.group(2))] = (m.group(1), cells)
        return out

    def test_shows_each_question_before_and_after_with_points_and_the_total_difference_in_japanese(self):
        self.browser.lang = "ja"
        page = self.browser.get(self.second + "/compare")
        self.assertEqual(page.status, 200)
        rows = self.rows(page.text)
        self.assertEqual(sorted(rows), list(range(1, 26)))
        labels = {"done": "実施している", "partly": "一部実施している", "not_done": "実施していない", "unknown": "わからない"}
        changed = 0
        for n in range(1, 26):
            cls, cells = rows[n]
            before, after = FIRST[n], SECOND[n]
            self.assertEqual(cells[2], f"{labels[before]}（{POINTS[before]}点）")
            self.assertEqual(cells[3], f"{labels[after]}（{POINTS[after]}点）")
            diff = POINTS[after] - POINTS[before]
            expected = f"+{diff}点" if diff > 0 else f"-{-diff}点" if diff < 0 else "変わりません"
            self.assertEqual(cells[4], expected, f"question {n}")
            self.assertEqual("is-changed" in cls, before != after, f"question {n}")
            changed += before != after
        text = text_of(page.text)
        self.assertIn(f"答えが変わった質問は{changed}問です。", text)
        diff = total(SECOND) - total(FIRST)
        self.assertIn(f"+{diff}点", text)
        self.assertIn(f"{total(FIRST)}点", text)
        self.assertIn(f"{total(SECOND)}点", text)

    def test_the_comparison_reads_in_english_too(self):
        self.browser.lang = "en"
        try:
            page = self.browser.get(self.second + "/compare")
        finally:
            self.browser.lang = "ja"
        self.assertEqual(page.status, 200)
        self.assertIn('<html lang="en">', page.text)
        self.assertIn(html_escape(EN["assessment.compare.title"]), page.text)
        rows = self.rows(page.text)
        self.assertEqual(rows[7][1][2], "Not done (0)")
        self.assertEqual(rows[7][1][3], "Partly done (2)")
        self.assertEqual(rows[7][1][4], "+2")
        self.assertEqual(rows[24][1][4], "+1")
        self.assertIn(f"+{total(SECOND) - total(FIRST)}", text_of(page.text))

    def test_the_first_saved_assessment_has_nothing_to_compare_with(self):
        page = self.browser.get(self.first + "/compare")
        self.assertEqual(page.status, 200)
        self.assertNotIn("data-question", page.text)
        self.assertIn("最初に保存した自社診断です", text_of(page.text))

    def test_a_saved_result_links_to_its_comparison(self):
        page = self.browser.get(self.second)
        self.assertIn(f'href="{self.second}/compare"', page.text)
        self.assertNotIn("/compare", self.browser.get(self.first).text.split("<main", 1)[1].split("</main>")[0])


if __name__ == "__main__":
    unittest.main()
