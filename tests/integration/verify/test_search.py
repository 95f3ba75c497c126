"""/verify/search: partial matches on the name and its reading (hiragana, katakana, half and full
width), prefecture and level filters, 20 results to a page with links that keep the query, public
fields only, the rate limit, and bad input answered on the form."""

import re
import unittest
import urllib.parse

from registry_flow import PRIVATE, Registry, application, two_star
from sengen_server import SengenServer, catalogue, html_escape

RESULT = re.compile(r'<h3 class="result-name"><a href="/verify/(\d{11})">([^<]*)</a></h3>')


def search_path(**query) -> str:
    return "/verify/search?" + urllib.parse.urlencode(query)


class Search(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = SengenServer("--mail-poll-ms", "50").start()
        cls.addClassCleanup(cls.server.close)
        cls.ja, cls.en = catalogue("ja"), catalogue("en")
        cls.registry = Registry(cls.server)
        paged = [application(business_name=f"ページ送り商会{n:02d}", business_name_kana="ページオクリショウカイ",
                             prefecture="27") for n in range(1, 26)]
        named = [
            two_star(business_name="株式会社さくら印刷", business_name_kana="サクラインサツ", prefecture="13"),
            application(business_name="桜井工業株式会社", business_name_kana="サクライコウギョウ", prefecture="13"),
            application(business_name="ＡＢＣ商事", business_name_kana="エービーシーショウジ", prefecture="01"),
            application(business_name="停止した商店", business_name_kana="テイシシタショウテン", prefecture="13"),
            application(business_name="100%果汁_販売", business_name_kana="カジュウハンバイ", prefecture="13"),
        ]
        declared = cls.registry.declare_many(paged + named)
        cls.paged = {d.public_id: d for d in declared[:25]}
        cls.sakura, cls.sakurai, cls.abc, cls.stopped, cls.juice = declared[25:]
        cls.registry.stop(cls.stopped.public_id)

    def search(self, headers=None, **query):
        reply = self.server.get(search_path(**query), headers)
        self.assertEqual(reply.header("X-Robots-Tag"), "noindex")
        return reply

    def names(self, reply):
        self.assertEqual(reply.status, 200, reply.text[:2000])
        return {name for _, name in RESULT.findall(reply.text)}

    # --- matching ------------------------------------------------------------------------------

    def test_a_partial_business_name_matches(self):
        self.assertEqual(self.names(self.search(name="印刷")), {"株式会社さくら印刷"})

    def test_hiragana_matches_katakana_readings_and_names(self):
        # さくら → サクラ: in the name of one (さくら印刷 folds to サクラ印刷) and the reading of both.
        self.assertEqual(self.names(self.search(name="さくら")), {"株式会社さくら印刷", "桜井工業株式会社"})
        self.assertEqual(self.names(self.search(name="こうぎょう")), {"桜井工業株式会社"})

    def test_a_katakana_reading_matches(self):
        self.assertEqual(self.names(self.search(name="インサツ")), {"株式会社さくら印刷"})

    def test_half_width_katakana_and_full_width_letters_fold_before_matching(self):
        self.assertEqual(self.names(self.search(name="ｻｸﾗｲｺｳ")), {"桜井工業株式会社"})
        self.assertEqual(self.names(self.search(name="abc")), {"ＡＢＣ商事"})
        self.assertEqual(self.names(self.search(name="ＡＢＣ")), {"ＡＢＣ商事"})
        self.assertEqual(self.names(self.search(name="  さくら　印刷 ")), {"株式会社さくら印刷"})

    def test_like_wildcards_typed_by_people_match_only_themselves(self):
        self.assertEqual(self.names(self.search(name="%")), {"100%果汁_販売"})
        self.assertEqual(self.names(self.search(name="_")), {"100%果汁_販売"})
        self.assertEqual(self.names(self.search(name="!")), set())

    def test_a_parameter_given_twice_counts_once_by_its_first_value(self):
        # HTTP parameter pollution: a second copy of a field neither joins nor replaces the first.
        first = "/verify/search?name=" + urllib.parse.quote("印刷") + "&name=" + urllib.parse.quote("桜井")
        self.assertEqual(self.names(self.search_raw(first)), {"株式会社さくら印刷"})
        second = "/verify/search?name=" + urllib.parse.quote("桜井") + "&name=" + urllib.parse.quote("印刷")
        self.assertEqual(self.names(self.search_raw(second)), {"桜井工業株式会社"})
        # A filter given twice, the second time to widen it again, still filters by the first.
        both = "/verify/search?name=" + urllib.parse.quote("さくら") + "&prefecture=01&prefecture=13"
        self.assertEqual(self.names(self.search_raw(both)), set())

    def search_raw(self, path):
        reply = self.server.get(path)
        self.assertEqual(reply.header("X-Robots-Tag"), "noindex")
        return reply

    def test_prefecture_and_level_filter(self):
        tokyo = self.names(self.search(name="", prefecture="13"))
        self.assertEqual(tokyo, {"株式会社さくら印刷", "桜井工業株式会社", "停止した商店", "100%果汁_販売"})
        self.assertEqual(self.names(self.search(name="", level="2")), {"株式会社さくら印刷"})
        self.assertEqual(self.names(self.search(name="さくら", prefecture="13", level="1")), {"桜井工業株式会社"})
        self.assertEqual(self.names(self.search(name="さくら", prefecture="27")), set())

    def test_no_match_says_so(self):
        for headers, cat in (({}, self.ja), ({"Accept-Language": "en"}, self.en)):
            reply = self.search(headers, name="存在しない名前")
            self.assertEqual(reply.status, 200)
            self.assertIn(html_escape(cat["verify.search.none"]), reply.text)
            self.assertEqual(self.names(reply), set())

    # --- what a result shows -------------------------------------------------------------------

    def test_results_show_public_fields_with_the_status_in_words(self):
        reply = self.search(name="停止")
        self.assertEqual(self.names(reply), {"停止した商店"})
        self.assertIn(f'<span class="status status-stopped">{self.ja["verify.status.stopped"]}</span>', reply.text)
        p = self.stopped.public_id
        self.assertIn(f'<span class="id-digits" translate="no"><span class="id-group">{p[:3]}</span>'
                      f'<span class="id-group">{p[3:7]}</span><span class="id-group">{p[7:]}</span></span>', reply.text)
        self.assertIn("テイシシタショウテン", reply.text)
        self.assertIn("東京都", reply.text)
        sakura = self.search(name="さくら印刷")
        self.assertIn(f'<span class="status status-declared">{self.ja["verify.status.declared"]}</span>',
                      sakura.text)
        self.assertIn("★★</span> 二つ星", sakura.text)

    def test_no_private_field_is_ever_in_the_results(self):
        for query in ({"name": ""}, {"name": "", "page": "2"}, {"name": "さくら"}, {"prefecture": "13"}):
            reply = self.search(**query)
            self.assertEqual(reply.status, 200)
            for field, value in PRIVATE.items():
                self.assertNotIn(value, reply.text, field)
                self.assertNotIn(html_escape(value), reply.text, field)
            self.assertNotIn("@example.jp", reply.text)

    # --- pages ---------------------------------------------------------------------------------

    def test_twenty_to_a_page_with_previous_and_next_links_that_keep_the_query(self):
        first = self.search(name="ページ送り", prefecture="27", level="1")
        self.assertEqual(first.status, 200)
        ids_1 = [i for i, _ in RESULT.findall(first.text)]
        self.assertEqual(len(ids_1), 20)
        self.assertIn(html_escape(self.ja["verify.search.count"].replace("{total}", "25").replace("{from}", "1")
                                  .replace("{to}", "20")), first.text)
        self.assertIn('<ol class="results" start="1">', first.text)
        self.assertNotIn('rel="prev"', first.text)
        next_href = re.search(r'<a class="pager-next" rel="next" href="([^"]+)"', first.text).group(1)
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(next_href.replace("&amp;", "&")).query)
        self.assertEqual(query, {"name": ["ページ送り"], "prefecture": ["27"], "level": ["1"], "page": ["2"]})

        second = self.server.get(next_href.replace("&amp;", "&"))
        self.assertEqual(second.status, 200)
        ids_2 = [i for i, _ in RESULT.findall(second.text)]
        self.assertEqual(len(ids_2), 5)
        self.assertIn('<ol class="results" start="21">', second.text)
        self.assertNotIn('rel="next"', second.text)
        prev_href = re.search(r'<a class="pager-prev" rel="prev" href="([^"]+)"', second.text).group(1)
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(prev_href.replace("&amp;", "&")).query)
        self.assertEqual(query["page"], ["1"])
        self.assertEqual(query["name"], ["ページ送り"])
        # Every declaration once, newest first.
        self.assertEqual(sorted(ids_1 + ids_2), sorted(self.paged))
        self.assertEqual(ids_1 + ids_2, sorted(ids_1 + ids_2, reverse=True))
        self.assertIn(html_escape(self.ja["verify.search.page_of"].replace("{page}", "2").replace("{pages}", "2")),
                      second.text)

    def test_a_page_past_the_end_says_there_is_nothing_there_and_links_back(self):
        reply = self.search(name="ページ送り", page="7")
        self.assertEqual(reply.status, 200)
        self.assertEqual(self.names(reply), set())
        self.assertIn(html_escape(self.ja["verify.search.page_empty"]), reply.text)
        self.assertRegex(reply.text, r'rel="prev" href="[^"]*page=2"')

    def test_a_page_number_that_is_not_a_number_is_the_first_page(self):
        for page in ("abc", "-1", "0", "1e9", "９"):
            reply = self.search(name="ページ送り", page=page)
            self.assertEqual(reply.status, 200, page)
            self.assertEqual(len(RESULT.findall(reply.text)), 20, page)

    # --- bad input ----------------------------------------------------------------------------

    def test_bad_filters_are_answered_on_the_form_with_field_errors(self):
        cases = [({"prefecture": "99"}, "invalid_choice"), ({"level": "7"}, "invalid_choice"),
                 ({"name": "あ" * 101}, "too_long"), ({"name": "abc\u202edef"}, "invalid_characters")]
        for query, code in cases:
            reply = self.search(**query)
            self.assertEqual(reply.status, 400, query)
            self.assertIn(html_escape(self.ja[f"field_error.{code}"]), reply.text, query)
            self.assertIn('class="error-summary"', reply.text)
            self.assertIn('aria-invalid="true"', reply.text)
            self.assertEqual(self.names_any(reply), set())

    def names_any(self, reply):
        return {name for _, name in RESULT.findall(reply.text)}

    def test_the_form_without_a_query_searches_nothing(self):
        reply = self.server.get("/verify/search")
        self.assertEqual(reply.status, 200)
        self.assertNotIn('class="search-results"', reply.text)
        self.assertIn('<meta name="robots" content="noindex">', reply.text)

    def test_the_typed_query_is_kept_in_the_form_escaped(self):
        reply = self.search(name='<script>alert("x")</script>', prefecture="13", level="2")
        self.assertEqual(reply.status, 200)
        self.assertIn('value="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"', reply.text)
        self.assertNotIn("<script>", reply.text)
        self.assertIn('<option value="13" selected>', reply.text)
        self.assertIn('<option value="2" selected>', reply.text)


class SearchRateLimit(unittest.TestCase):
    def test_too_many_searches_from_one_address_get_the_429_page_and_others_are_not_affected(self):
        with SengenServer() as server:
            registry = Registry(server)
            busy, other = registry.fresh_address(), registry.fresh_address()
            ja = catalogue("ja")
            for n in range(120):
                reply = registry.request("GET", search_path(name=f"x{n}"), source=busy)
                self.assertEqual(reply.status, 200, n)
            refused = registry.request("GET", search_path(name="x"), source=busy)
            self.assertEqual(refused.status, 429)
            self.assertEqual(refused.html_lang(), "ja")
            self.assertIn(html_escape(ja["error.429.title"]), refused.text)
            self.assertEqual(refused.header("Retry-After"), "60")
            self.assertEqual(refused.header("X-Robots-Tag"), "noindex")
            # The form itself and ID checks are not searches.
            self.assertEqual(registry.request("GET", "/verify/search", source=busy).status, 200)
            self.assertEqual(registry.request("GET", search_path(name="x"), source=other).status, 200)


if __name__ == "__main__":
    unittest.main()
