"""/statistics, its CSV tables and GET /api/v1/statistics: counts of declarations in force by level,
prefecture and industry and of IDs issued per month in Japan, counted once and then served from the
node's cache; server-drawn SVG charts with the same numbers as tables, in ja and en; no personal data."""

import calendar
import datetime
import json
import unittest

from registry_flow import Registry, application, two_star
from sengen_server import SengenServer, catalogue, html_escape

JST = datetime.timezone(datetime.timedelta(hours=9))


def months_ago(n: int) -> tuple[str, int]:
    """The month n months before this one in Japan ("YYYY-MM") and the 15th of it at noon, Unix time."""
    today = datetime.datetime.now(JST)
    year, month = today.year, today.month - n
    while month < 1:
        month += 12
        year -= 1
    return f"{year:04d}-{month:02d}", int(datetime.datetime(year, month, 15, 12, tzinfo=JST).timestamp())


def main_of(html: str) -> str:
    return html.split("<main", 1)[1].split("</main>", 1)[0]


class Statistics(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = SengenServer("--mail-poll-ms", "50").start()
        cls.addClassCleanup(cls.server.close)
        cls.registry = Registry(cls.server)
        a, b, c, d, e = cls.registry.declare_many([
            application(business_name="統計商店甲", prefecture="13", industry="E"),
            two_star(business_name="統計商店乙", prefecture="13", industry="E"),
            application(business_name="統計商店丙", prefecture="27", industry="G"),
            application(business_name="統計商店丁", prefecture="13", industry="E"),
            application(business_name="統計商店戊", prefecture="01", industry="E"),
        ])
        cls.registry.stop(d.public_id)
        cls.month_c, at = months_ago(14)
        cls.registry.set_dates(c.public_id, at, at)
        _, long_ago = months_ago(30)
        cls.registry.set_dates(e.public_id, long_ago, long_ago)
        cls.this_month = months_ago(0)[0]
        cls.names = [x.application["business_name"] for x in (a, b, c, d, e)]
        cls.emails = [x.application["contact_email"] for x in (a, b, c, d, e)]
        # The first request counts; the figures are then this node's for 300 seconds.
        cls.first = cls.server.get("/api/v1/statistics")

    def test_the_api_counts_declarations_in_force_and_ids_issued_per_month(self):
        self.assertEqual(self.first.status, 200, self.first.text)
        self.assertEqual(self.first.header("Content-Type"), "application/json")
        s = json.loads(self.first.body)
        self.assertEqual(list(s), ["computed_at", "in_force", "by_level", "by_prefecture", "by_industry",
                                   "issued_by_month"])
        self.assertEqual(s["in_force"], 4)
        self.assertEqual(s["by_level"], [{"level": 1, "count": 3}, {"level": 2, "count": 1}])
        self.assertEqual(s["by_prefecture"], [{"prefecture": "01", "count": 1}, {"prefecture": "13", "count": 2},
                                              {"prefecture": "27", "count": 1}])
        self.assertEqual(s["by_industry"], [{"industry": "E", "count": 3}, {"industry": "G", "count": 1}])
        months = s["issued_by_month"]
        self.assertEqual(len(months), 24)
        self.assertEqual(months[-1], {"month": self.this_month, "count": 3})  # the stopped one too
        self.assertEqual(months[0]["month"], months_ago(23)[0])
        self.assertIn({"month": self.month_c, "count": 1}, months)
        self.assertEqual(sum(m["count"] for m in months), 4)  # the one of 30 months ago is outside
        for text in self.names + self.emails:
            self.assertNotIn(text, self.first.text)

    def test_figures_are_served_from_the_cache_not_counted_per_request(self):
        self.registry.declare(application(business_name="統計商店己", prefecture="13", industry="E"))
        again = self.server.get("/api/v1/statistics")
        self.assertEqual(again.status, 200)
        self.assertEqual(json.loads(again.body), json.loads(self.first.body))

    def test_the_page_draws_each_table_as_an_svg_chart_with_the_same_numbers_in_a_table(self):
        for lang, tokyo, manufacturing in (("ja", "東京都", "製造業"), ("en", "Tokyo", "Manufacturing")):
            with self.subTest(lang=lang):
                texts = catalogue(lang)
                page = self.server.get("/statistics", {"Accept-Language": lang, "Cookie": f"sengen_lang={lang}"})
                self.assertEqual(page.status, 200)
                html = page.text
                self.assertEqual(page.html_lang(), lang)
                self.assertIn(html_escape(texts["statistics.title"]), html)
                self.assertEqual(html.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img"'), 4)
                for key in ("level", "prefecture", "industry", "month"):
                    self.assertIn(f'aria-labelledby="chart-{key}-title chart-{key}-desc"', html)
                    self.assertIn(f'<title id="chart-{key}-title">{html_escape(texts[f"statistics.{key}.title"])}'
                                  f'</title>', html)
                    self.assertIn(f'href="/statistics/{key}.csv"', html)
                self.assertIn(f'<tr><th scope="row">{tokyo}</th><td class="num">2</td></tr>', html)
                self.assertIn(f'<tr><th scope="row">{manufacturing}</th><td class="num">3</td></tr>', html)
                # A month reads as every date on the site does; the CSV below keeps 2026-04.
                year, month = (int(x) for x in self.this_month.split("-"))
                shown = f"{year}年{month}月" if lang == "ja" else f"{calendar.month_name[month]} {year}"
                self.assertIn(f'<tr><th scope="row">{shown}</th><td class="num">3</td></tr>', html)
                self.assertNotRegex(main_of(html), r">\d{4}-\d{2}<")
                main = main_of(html)
                self.assertNotIn("<script", main)
                self.assertNotIn("style=", main)
                for text in self.names + self.emails:
                    self.assertNotIn(text, html)

    def test_each_table_downloads_as_csv_in_utf8_with_a_bom(self):
        r = self.server.get("/statistics/prefecture.csv", {"Cookie": "sengen_lang=ja"})
        self.assertEqual(r.status, 200)
        self.assertEqual(r.header("Content-Type"), "text/csv; charset=utf-8")
        self.assertIn('filename="statistics-prefecture.csv"', r.header("Content-Disposition"))
        self.assertTrue(r.body.startswith(b"\xef\xbb\xbf"))
        lines = r.body[3:].decode("utf-8").split("\r\n")
        self.assertEqual(lines[0], "prefecture_code,prefecture,count")
        self.assertEqual(len([x for x in lines if x]), 48)  # every prefecture, zeros included
        self.assertIn("13,東京都,2", lines)
        self.assertIn("27,大阪府,1", lines)
        months = self.server.get("/statistics/month.csv").body[3:].decode("utf-8").split("\r\n")
        self.assertEqual(months[0], "month,count")
        self.assertIn(f"{self.this_month},3", months)
        for path in ("/statistics/nothing.csv", "/statistics/level", "/statistics/level.csv.bak"):
            self.assertEqual(self.server.get(path).status, 404, path)

    def test_the_footer_links_to_the_page(self):
        self.assertIn('href="/statistics"', self.server.get("/").text)


if __name__ == "__main__":
    unittest.main(verbosity=2)
