"""The self-assessment over HTTP against the real binary: the questionnaire part by part with
CSRF, field errors that keep the answers, the result page, the PDF (text read back with
pdftotext), the CSV, the JSON API and its problems, and a CSP check of every page.

Usage: assessment_http_test.py SENGEN_BINARY CONTENT_FILE [unittest arguments]"""
import html
import json
import os
import re
import subprocess
import sys
import tempfile
import tomllib
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from server import Client, Server, read_forms  # noqa: E402

BINARY = None
CONTENT = None

# The rule (docs/domain.md §3.1), written out here independently of the server.
POINTS = {"done": 4, "partly": 2, "not_done": 0, "unknown": -1}
PARTS = {1: range(1, 6), 2: range(6, 19), 3: range(19, 26)}


def band(total):
    return "complete" if total >= 100 else "gaps" if total >= 70 else "inadequate" if total >= 50 else "urgent"


# A fixed answer set: a mix of every choice.
ANSWERS = {n: "done" for n in range(1, 26)}
ANSWERS.update({2: "partly", 7: "unknown", 9: "not_done", 12: "partly", 18: "unknown", 21: "not_done",
                24: "partly", 25: "not_done"})
TOTAL = sum(POINTS[a] for a in ANSWERS.values())  # 17*4 + 3*2 + 3*0 + 2*-1 = 72


def q(n):
    return next(x for x in CONTENT["questions"] if x["number"] == n)


def csrf_of(page):
    forms = read_forms(page.text).forms
    return dict(forms[0]["hidden"])["csrf"]


def squash(s):
    return re.sub(r"\s+", "", s)


class ServerTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(BINARY)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def client(self, lang="ja"):
        return Client(self.server, lang)

    def fields(self, csrf, part_from, answers, extra=()):
        f = [("csrf", csrf), ("edition", "2023"), ("from", str(part_from))]
        f += [(f"q{n}", a) for n, a in sorted(answers.items())]
        return f + list(extra)

    def finish(self, c, answers=ANSWERS):
        """Walks all three parts as a browser would and returns the result page."""
        page = c.get("/assessment/part/1")
        self.assertEqual(page.status, 200)
        carried = {}
        for part, target in ((1, "/assessment/part/2"), (2, "/assessment/part/3"), (3, "/assessment/result")):
            forms = read_forms(page.text)
            form = forms.forms[0]
            self.assertEqual(form["action"], target)
            hidden = dict(form["hidden"])
            # What earlier parts answered comes back in hidden fields, unchanged.
            for n, a in carried.items():
                self.assertEqual(hidden.get(f"q{n}"), a, f"answer {n} not carried into part {part}")
            now = {n: answers[n] for n in PARTS[part] if n in answers}
            fields = list(form["hidden"]) + [(f"q{n}", a) for n, a in now.items()]
            page = c.post_form(target, fields)
            carried.update(now)
            if page.status != 200:
                return page
        return page


class Questionnaire(ServerTest):
    def test_start_page_says_what_it_is_and_that_nothing_is_stored(self):
        page = self.client().get("/assessment")
        self.assertEqual(page.status, 200)
        self.assertIn("10分", page.text)
        self.assertIn("保存されません", page.text)
        self.assertIn('href="/assessment/part/1"', page.text)

    def test_each_part_shows_its_questions_with_why_and_progress(self):
        c = self.client()
        for part, numbers in PARTS.items():
            page = c.get(f"/assessment/part/{part}")
            self.assertEqual(page.status, 200)
            self.assertIn(f"パート {part} / 3", page.text)
            self.assertIn('aria-current="step"', page.text)
            self.assertEqual(page.text.count("<fieldset"), len(numbers))
            for n in numbers:
                self.assertIn(q(n)["text"]["ja"], page.text)
                self.assertIn(q(n)["why"]["ja"], page.text)
                for choice in POINTS:
                    self.assertIn(f'id="q{n}-{choice}"', page.text)
        self.assertEqual(c.get("/assessment/part/4").status, 404)
        self.assertEqual(c.get("/assessment/part/x").status, 404)

    def test_questions_that_may_not_apply_say_what_to_answer(self):
        # Sole proprietors and businesses without an office, staff or Wi-Fi are told what to answer.
        hinted = {x["number"] for x in CONTENT["questions"] if "not_applicable" in x}
        self.assertTrue({5, 9, 15, 16, 17, 19, 20, 24, 25} <= hinted, hinted)
        for lang, label in (("ja", "当てはまらないとき："), ("en", "If this does not apply:")):
            c = self.client(lang)
            for part, numbers in PARTS.items():
                page = c.get(f"/assessment/part/{part}")
                self.assertEqual(page.status, 200)
                fieldsets = {int(m.group(1)): m.group(0) for m in
                             re.finditer(r'<fieldset class="question[^"]*" id="q(\d+)".*?</fieldset>', page.text, re.S)}
                self.assertEqual(sorted(fieldsets), list(numbers))
                for n in numbers:
                    shown = html.unescape(fieldsets[n])
                    if n in hinted:
                        want = f'<p class="hint not-applicable"><strong>{label}</strong> {q(n)["not_applicable"]["hint"][lang]}</p>'
                        self.assertIn(want, shown, f"question {n} in {lang}")
                    else:
                        self.assertNotIn("not-applicable", shown, f"question {n} in {lang}")

    def test_whole_questionnaire_gives_the_result(self):
        page = self.finish(self.client())
        self.assertEqual(page.status, 200, page.text[:500])
        self.assertIn(f'<span class="score-points">{TOTAL}点</span><span class="score-max">（100点満点）</span>',
                      page.text)
        self.assertEqual(band(TOTAL), "gaps")
        self.assertIn("score-card band-gaps", page.text)
        self.assertIn("できていない対策があります", page.text)

    def test_english_questionnaire_uses_english_texts(self):
        page = self.finish(self.client("en"))
        self.assertEqual(page.status, 200)
        self.assertIn(f'<span class="score-points">{TOTAL}</span><span class="score-max"> out of 100</span>',
                      page.text)
        self.assertIn(q(7)["title"]["en"], page.text)

    def test_unanswered_questions_get_field_errors_and_the_chosen_answers_stay(self):
        c = self.client()
        csrf = csrf_of(c.get("/assessment/part/1"))
        page = c.post_form("/assessment/part/2", self.fields(csrf, 1, {1: "done", 3: "partly"}))
        self.assertEqual(page.status, 422)
        self.assertIn('class="error-summary"', page.text)
        self.assertIn(q(1)["text"]["ja"], page.text)  # still part 1
        for n in (2, 4, 5):
            self.assertIn(f'id="q{n}-error"', page.text)
            self.assertIn(f'href="#q{n}-done"', page.text)
        for n in (1, 3):
            self.assertNotIn(f'id="q{n}-error"', page.text)
        self.assertIn("答えを1つ選んでください", page.text)
        checked = read_forms(page.text).forms[0]["checked"]
        self.assertEqual(checked, {"q1": "done", "q3": "partly"})

    def test_field_errors_are_in_english_for_english_users(self):
        c = self.client("en")
        csrf = csrf_of(c.get("/assessment/part/1"))
        page = c.post_form("/assessment/part/2", self.fields(csrf, 1, {1: "done"}))
        self.assertEqual(page.status, 422)
        self.assertIn("Choose an answer.", page.text)

    def test_going_back_keeps_every_answer(self):
        c = self.client()
        csrf = csrf_of(c.get("/assessment/part/1"))
        part1 = {n: ANSWERS[n] for n in PARTS[1]}
        some_of_part2 = {6: "partly", 7: "unknown"}
        page = c.post_form("/assessment/part/1", self.fields(csrf, 2, {**part1, **some_of_part2}))
        self.assertEqual(page.status, 200)
        form = read_forms(page.text).forms[0]
        self.assertEqual(form["checked"], {f"q{n}": a for n, a in part1.items()})
        hidden = dict(form["hidden"])
        self.assertEqual(hidden["q6"], "partly")
        self.assertEqual(hidden["q7"], "unknown")
        self.assertNotIn('class="error-summary"', page.text)

    def test_switching_language_mid_way_keeps_every_answer(self):
        c = self.client("ja")
        csrf = csrf_of(c.get("/assessment/part/1"))
        part1 = {n: ANSWERS[n] for n in PARTS[1]}
        page = c.post_form("/assessment/part/2", self.fields(csrf, 1, part1))
        self.assertEqual(page.status, 200)
        # The header's switch is a button of the questionnaire form, not a link that would drop it.
        self.assertIn('form="questionnaire" formaction="/assessment/part/2" name="switch_lang" value="en"', page.text)
        chosen = {6: "partly", 9: "not_done"}
        page = c.post_form("/assessment/part/2",
                           self.fields(csrf, 2, {**part1, **chosen}, [("switch_lang", "en")]))
        self.assertEqual(page.status, 200)
        self.assertIn(q(6)["text"]["en"], page.text)
        self.assertIn('<html lang="en">', page.text)
        form = read_forms(page.text).forms[0]
        self.assertEqual(form["checked"], {"q6": "partly", "q9": "not_done"})
        self.assertEqual({k: v for k, v in form["hidden"] if k.startswith("q")}, {f"q{n}": a for n, a in part1.items()})
        self.assertEqual(c.cookie("sengen_lang"), "en")
        self.assertNotIn('class="error-summary"', page.text)

    def test_result_with_a_part_missing_shows_that_part_with_errors(self):
        c = self.client()
        csrf = csrf_of(c.get("/assessment/part/3"))
        answers = {n: "done" for n in list(PARTS[1]) + list(PARTS[3])}
        page = c.post_form("/assessment/result", self.fields(csrf, 3, answers))
        self.assertEqual(page.status, 422)
        self.assertIn("パート 2 / 3", page.text)
        for n in PARTS[2]:
            self.assertIn(f'id="q{n}-error"', page.text)
        hidden = dict(read_forms(page.text).forms[0]["hidden"])
        for n in list(PARTS[1]) + list(PARTS[3]):
            self.assertEqual(hidden[f"q{n}"], "done")

    def test_a_tampered_carried_answer_is_caught_again_on_the_next_step(self):
        c = self.client()
        csrf = csrf_of(c.get("/assessment/part/1"))
        answers = {n: ANSWERS[n] for n in list(PARTS[1]) + list(PARTS[2])}
        answers[3] = "always"
        page = c.post_form("/assessment/part/3", self.fields(csrf, 2, answers))
        self.assertEqual(page.status, 422)
        self.assertIn("パート 1 / 3", page.text)
        self.assertIn('id="q3-error"', page.text)
        self.assertIn("選べる答えではありません", page.text)

    def test_posting_without_the_csrf_token_is_refused(self):
        c = self.client()
        c.get("/assessment/part/1")
        page = c.post_form("/assessment/part/2", [("from", "1"), ("q1", "done")])
        self.assertEqual(page.status, 403)
        page = c.post_form("/assessment/part/2", [("csrf", "0" * 64), ("from", "1"), ("q1", "done")])
        self.assertEqual(page.status, 403)

    def test_an_unknown_edition_is_refused(self):
        c = self.client()
        csrf = csrf_of(c.get("/assessment/part/1"))
        page = c.post_form("/assessment/part/2", [("csrf", csrf), ("edition", "1999"), ("from", "1")])
        self.assertEqual(page.status, 422)

    def test_get_of_the_result_goes_back_to_the_start(self):
        page = self.client().get("/assessment/result")
        self.assertEqual(page.status, 303)
        self.assertEqual(page.header("Location"), "/assessment")


class Result(ServerTest):
    def test_result_page_has_band_chart_review_items_and_ordered_actions(self):
        page = self.finish(self.client())
        self.assertEqual(page.status, 200)
        text = page.text
        self.assertIn("<svg", text)
        self.assertIn("<title id=\"parts-svg-title\">", text)
        self.assertIn("<desc id=\"parts-svg-desc\">", text)
        for part, numbers in PARTS.items():
            self.assertIn(f"{sum(POINTS[ANSWERS[n]] for n in numbers)} / {len(numbers) * 4}", text)
        # Items answered "don't know", listed for review.
        review = text[text.index('class="review-list"'):]
        review = review[:review.index("</ul>")]
        self.assertEqual(re.findall(r'data-question="(\d+)"', review), ["7", "18"])
        # Every answer other than done: lowest points first, then by number.
        actions = text[text.index('class="action-list"'):]
        actions = actions[:actions.index("</ol>")]
        expected = sorted((n for n, a in ANSWERS.items() if a != "done"), key=lambda n: (POINTS[ANSWERS[n]], n))
        self.assertEqual([int(x) for x in re.findall(r'data-question="(\d+)"', actions)], expected)
        self.assertEqual(expected, [7, 18, 9, 21, 25, 2, 12, 24])
        for step in q(7)["steps"]["ja"]:
            self.assertIn(step, actions)
        # Answers travel on to the downloads, to "change my answers" and to "save to My Page".
        forms = read_forms(text).forms
        self.assertEqual({f["action"] for f in forms},
                         {"/assessment/report.pdf", "/assessment/part/1", "/assessment/save"})
        for f in forms:
            hidden = dict(f["hidden"])
            self.assertEqual({n: hidden[f"q{n}"] for n in ANSWERS}, ANSWERS)

    def test_the_result_can_be_shown_again_in_the_other_language(self):
        c = self.client()
        page = self.finish(c)
        form = read_forms(page.text).forms[0]
        again = c.post_form("/assessment/result", list(form["hidden"]) + [("business_name", "テスト"),
                                                                          ("switch_lang", "en")])
        self.assertEqual(again.status, 200)
        self.assertIn(f'<span class="score-points">{TOTAL}</span>', again.text)
        self.assertEqual(read_forms(again.text).forms[0]["text"]["business_name"], "テスト")

    def test_pdf_report_has_selectable_japanese_text_and_the_score(self):
        c = self.client()
        page = self.finish(c)
        form = read_forms(page.text).forms[0]
        pdf = c.post_form("/assessment/report.pdf", list(form["hidden"]) + [("business_name", "有限会社テスト商店")])
        self.assertEqual(pdf.status, 200, pdf.body[:300])
        self.assertEqual(pdf.header("Content-Type"), "application/pdf")
        self.assertRegex(pdf.header("Content-Disposition"), r'^attachment; filename="self-assessment-2023-\d{8}\.pdf"$')
        self.assertTrue(pdf.body.startswith(b"%PDF-"))
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "report.pdf")
            with open(path, "wb") as f:
                f.write(pdf.body)
            text = subprocess.run(["pdftotext", "-enc", "UTF-8", path, "-"], check=True,
                                  capture_output=True).stdout.decode("utf-8")
            pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", path], check=True,
                                                                     capture_output=True, text=True).stdout).group(1))
        flat = squash(text)
        self.assertIn("有限会社テスト商店", flat)
        self.assertIn(f"{TOTAL}点（100点満点）", flat)
        self.assertIn("できていない対策があります", flat)
        self.assertIn("情報セキュリティ自社診断（2023年版）", flat)
        # The day is written as every page writes it (not 2026-04-01), and matches the file name.
        ymd = re.search(r'filename="self-assessment-2023-(\d{4})(\d{2})(\d{2})\.pdf"', pdf.header("Content-Disposition"))
        y, m, d = (int(x) for x in ymd.groups())
        self.assertIn(f"{y}年{m}月{d}日", flat)
        for n in (1, 13, 25):
            self.assertIn(squash(q(n)["text"]["ja"]), flat, f"question {n} text not found in the PDF")
        for step in q(7)["steps"]["ja"]:
            self.assertIn(squash(step), flat)
        self.assertGreaterEqual(pages, 2)

    def test_pdf_in_english(self):
        c = self.client("en")
        page = self.finish(c)
        form = read_forms(page.text).forms[0]
        pdf = c.post_form("/assessment/report.pdf", list(form["hidden"]) + [("business_name", "")])
        self.assertEqual(pdf.status, 200)
        with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
            f.write(pdf.body)
            f.flush()
            text = subprocess.run(["pdftotext", "-enc", "UTF-8", f.name, "-"], check=True,
                                  capture_output=True).stdout.decode("utf-8")
        self.assertIn(f"{TOTAL} out of 100", text)
        self.assertRegex(text, r"\b\d{1,2}\s+(January|February|March|April|May|June|July|August|September|"
                               r"October|November|December)\s+\d{4}\b")
        self.assertIn(squash(q(1)["text"]["en"]), squash(text))

    def test_a_too_long_business_name_is_a_field_error_and_is_kept(self):
        c = self.client()
        page = self.finish(c)
        form = read_forms(page.text).forms[0]
        name = "株式会社" + "あ" * 100
        res = c.post_form("/assessment/report.pdf", list(form["hidden"]) + [("business_name", name)])
        self.assertEqual(res.status, 422)
        self.assertEqual(res.header("Content-Type"), "text/html; charset=utf-8")
        self.assertIn('id="business_name-error"', res.text)
        self.assertIn("長すぎます", res.text)
        self.assertEqual(read_forms(res.text).forms[0]["text"]["business_name"], name)

    def test_a_business_name_with_invisible_or_bidi_characters_is_a_field_error_and_is_kept(self):
        # What one-line fields refuse could make the printed name read as another business's.
        said = {"ja": "使えない文字が含まれています（改行", "en": "characters that cannot be used (line breaks"}
        for lang in ("ja", "en"):
            c = self.client(lang)
            page = self.finish(c)
            form = read_forms(page.text).forms[0]
            for name in ("株式会社\u202eルプンサ", "株式会社\u2028サンプル", "\u3164", "株式\u00ad会社",
                         "株式\u2060会社", "株式会社\U000e0041"):
                with self.subTest(lang=lang, name=ascii(name)):
                    res = c.post_form("/assessment/report.pdf", list(form["hidden"]) + [("business_name", name)])
                    self.assertEqual(res.status, 422)
                    self.assertEqual(res.header("Content-Type"), "text/html; charset=utf-8")
                    self.assertIn('id="business_name-error"', res.text)
                    self.assertIn(said[lang], res.text)
                    self.assertEqual(read_forms(res.text).forms[0]["text"]["business_name"], name)

    def test_csv_has_a_bom_a_header_and_every_answer(self):
        c = self.client()
        page = self.finish(c)
        form = read_forms(page.text).forms[0]
        res = c.post_form("/assessment/answers.csv", list(form["hidden"]))
        self.assertEqual(res.status, 200)
        self.assertEqual(res.header("Content-Type"), "text/csv; charset=utf-8")
        self.assertRegex(res.header("Content-Disposition"), r'filename="self-assessment-2023-\d{8}\.csv"')
        self.assertTrue(res.body.startswith(b"\xef\xbb\xbf"))
        import csv
        import io
        rows = list(csv.reader(io.StringIO(res.body[3:].decode("utf-8"), newline="")))
        self.assertEqual(rows[0], ["番号", "パート", "質問", "答え", "点数", "版"])
        self.assertEqual(len(rows), 26)
        labels = {c["id"]: c["label"]["ja"] for c in CONTENT["choices"]}
        for row in rows[1:]:
            n = int(row[0])
            self.assertEqual(int(row[1]), next(p for p, r in PARTS.items() if n in r))
            self.assertEqual(row[2], q(n)["text"]["ja"])
            self.assertEqual(row[3], labels[ANSWERS[n]])
            self.assertEqual(int(row[4]), POINTS[ANSWERS[n]])
            self.assertEqual(row[5], "2023")
        self.assertIn(b"\r\n", res.body)

    def test_downloads_without_all_answers_are_refused(self):
        c = self.client()
        csrf = csrf_of(c.get("/assessment/part/1"))
        res = c.post_form("/assessment/answers.csv", [("csrf", csrf), ("q1", "done")])
        self.assertEqual(res.status, 422)
        self.assertIn("text/html", res.header("Content-Type"))


class Api(ServerTest):
    def test_questionnaire_in_both_languages(self):
        res = self.client().get("/api/v1/assessment")
        self.assertEqual(res.status, 200)
        self.assertEqual(res.header("Content-Type"), "application/json")
        doc = json.loads(res.body)
        self.assertEqual(doc["edition"], "2023")
        self.assertEqual([c["id"] for c in doc["choices"]], ["done", "partly", "not_done", "unknown"])
        self.assertEqual([c["points"] for c in doc["choices"]], [4, 2, 0, -1])
        self.assertEqual([(p["part"], p["first"], p["last"], p["max"]) for p in doc["parts"]],
                         [(1, 1, 5, 20), (2, 6, 18, 52), (3, 19, 25, 28)])
        self.assertEqual([x["number"] for x in doc["questions"]], list(range(1, 26)))
        self.assertEqual(doc["questions"][0]["text"], q(1)["text"])

    def test_questionnaire_in_one_language(self):
        doc = json.loads(self.client().get("/api/v1/assessment?lang=en").body)
        self.assertEqual(doc["questions"][4]["text"], q(5)["text"]["en"])
        self.assertEqual(doc["questions"][4]["steps"], q(5)["steps"]["en"])
        res = self.client().get("/api/v1/assessment?lang=fr")
        self.assertEqual(res.status, 422)
        self.assertEqual(res.header("Content-Type"), "application/problem+json")
        self.assertEqual(json.loads(res.body)["errors"][0]["field"], "lang")

    def score(self, body, lang="en"):
        raw = body if isinstance(body, bytes) else json.dumps(body).encode("utf-8")
        return self.client(lang).post_json("/api/v1/assessments/score", raw)

    def test_score(self):
        res = self.score({"answers": {str(n): a for n, a in ANSWERS.items()}})
        self.assertEqual(res.status, 200, res.body)
        doc = json.loads(res.body)
        self.assertEqual(list(doc), ["edition", "score", "max", "band", "parts", "unknown_items", "actions"])
        self.assertEqual(doc["edition"], "2023")
        self.assertEqual(doc["score"], TOTAL)
        self.assertEqual(doc["max"], 100)
        self.assertEqual(doc["band"], band(TOTAL))
        self.assertEqual(doc["parts"], [{"part": p, "score": sum(POINTS[ANSWERS[n]] for n in r), "max": len(r) * 4}
                                        for p, r in PARTS.items()])
        self.assertEqual(doc["unknown_items"], [7, 18])
        self.assertEqual([a["question"] for a in doc["actions"]], [7, 18, 9, 21, 25, 2, 12, 24])
        first = doc["actions"][0]
        self.assertEqual(first, {"question": 7, "answer": "unknown", "points": -1, "title": q(7)["title"]["en"],
                                 "steps": q(7)["steps"]["en"]})

    def test_score_needs_no_csrf_and_no_cookie(self):
        res = self.score({"answers": {str(n): "done" for n in range(1, 26)}})
        self.assertEqual(res.status, 200)
        self.assertIsNone(res.header("Set-Cookie"))
        self.assertEqual(json.loads(res.body)["band"], "complete")

    def test_missing_and_unknown_answers_are_named_one_by_one(self):
        answers = {str(n): "done" for n in range(1, 26)}
        del answers["7"], answers["20"]
        answers["3"] = "sometimes"
        answers["4"] = 4
        res = self.score({"answers": answers})
        self.assertEqual(res.status, 422)
        self.assertEqual(res.header("Content-Type"), "application/problem+json")
        doc = json.loads(res.body)
        self.assertEqual(doc["status"], 422)
        self.assertEqual([(e["field"], e["code"]) for e in doc["errors"]],
                         [("answers.3", "invalid_choice"), ("answers.4", "invalid_choice"),
                          ("answers.7", "required"), ("answers.20", "required")])
        self.assertTrue(all(e["message"] for e in doc["errors"]))

    def test_problem_messages_follow_the_language(self):
        res = self.score({"answers": {}}, lang="ja")
        doc = json.loads(res.body)
        self.assertEqual(len(doc["errors"]), 25)
        self.assertEqual(doc["errors"][0]["message"], "答えを1つ選んでください。")

    def test_malformed_bodies_are_400(self):
        for body in (b'{"answers": {', b"", b"\xff\xfe{}", b'{"answers": {"1": "\xc3\x28"}}'):
            res = self.score(body)
            self.assertEqual(res.status, 400, body)
            self.assertEqual(res.header("Content-Type"), "application/problem+json")
            self.assertEqual(json.loads(res.body)["status"], 400)

    def test_wrong_shapes_are_422(self):
        cases = [([], "body"), ({}, "answers"), ({"answers": ["done"]}, "answers"),
                 ({"answers": {"26": "done"}, "edition": "2023"}, "answers.26"),
                 ({"answers": {}, "edition": "1999"}, "edition")]
        for body, field in cases:
            res = self.score(body)
            self.assertEqual(res.status, 422, body)
            fields = [e["field"] for e in json.loads(res.body)["errors"]]
            self.assertIn(field, fields, body)


class NoInlineStyleOrScript(ServerTest):
    """CSP forbids inline script and style; no page may rely on them."""

    def check_page(self, res, where):
        import html.parser

        problems = []

        class Checker(html.parser.HTMLParser):
            def __init__(self):
                super().__init__()
                self.in_script = False

            def handle_starttag(self, tag, attrs):
                for name, value in attrs:
                    if name == "style":
                        problems.append(f"{where}: style attribute on <{tag}>")
                    if name.startswith("on"):
                        problems.append(f"{where}: event handler {name} on <{tag}>")
                    if value and value.strip().lower().startswith("javascript:"):
                        problems.append(f"{where}: javascript: URL on <{tag}>")
                if tag == "style":
                    problems.append(f"{where}: <style> element")
                if tag == "script":
                    if "src" not in dict(attrs):
                        problems.append(f"{where}: inline <script>")
                    self.in_script = True

            def handle_endtag(self, tag):
                if tag == "script":
                    self.in_script = False

            def handle_data(self, data):
                if self.in_script and data.strip():
                    problems.append(f"{where}: script content")

        self.assertIn("text/html", res.header("Content-Type"), where)
        Checker().feed(res.text)
        self.assertEqual(problems, [])
        csp = res.header("Content-Security-Policy")
        self.assertIn("script-src 'self'", csp)
        self.assertIn("style-src 'self'", csp)
        self.assertNotIn("unsafe-inline", csp)

    def test_every_page(self):
        for lang in ("ja", "en"):
            c = self.client(lang)
            for path in ("/", "/assessment", "/assessment/part/1", "/assessment/part/2", "/assessment/part/3",
                         "/no-such-page"):
                self.check_page(c.get(path), f"{lang} {path}")
            csrf = csrf_of(c.get("/assessment/part/1"))
            self.check_page(c.post_form("/assessment/part/2", self.fields(csrf, 1, {1: "done"})), f"{lang} errors")
            result = self.finish(c)
            self.assertEqual(result.status, 200)
            self.check_page(result, f"{lang} result")
            form = read_forms(result.text).forms[0]
            self.check_page(c.post_form("/assessment/report.pdf", list(form["hidden"]) + [("business_name", "\x01")]),
                            f"{lang} result with error")


if __name__ == "__main__":
    BINARY = sys.argv[1]
    with open(sys.argv[2], "rb") as f:
        CONTENT = tomllib.load(f)
    unittest.main(argv=[sys.argv[0]] + sys.argv[3:], verbosity=2)
