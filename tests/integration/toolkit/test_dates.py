"""Dates shown to people: My Page and /verify/{id} write the same day the same way, in each
language, and the day is the day in Japan (a declaration made at 15:00 UTC was made the next day
there)."""

import calendar
import re
import unittest

from sengen_server import catalogue, html_escape
from toolkit_flow import Browser, ServerTest, application, declare

JA = catalogue("ja")
EN = catalogue("en")


def shown(page: str, label: str) -> str:
    """The value next to the summary row labelled `label`."""
    m = re.search(rf"<dt>{re.escape(html_escape(label))}</dt>\s*<dd[^>]*>([^<]*)</dd>", page)
    assert m, label
    return m.group(1)


class SameDayEverywhere(ServerTest):
    def test_my_page_and_verify_show_the_same_dates_in_the_same_format(self):
        address = "dates-same@example.jp"
        public_id = declare(self.server, application(address))["id"]
        # 2026-03-31 15:00 UTC is midnight on 1 April in Japan; a second before is still 31 March.
        declared_at = calendar.timegm((2026, 3, 31, 15, 0, 0))
        self.server.sql("UPDATE declarations SET declared_at = ?, level_since = ? WHERE public_id = ?",
                        (declared_at, declared_at - 1, public_id))
        for lang, cat, day, before in (("ja", JA, "2026年4月1日", "2026年3月31日"),
                                       ("en", EN, "1 April 2026", "31 March 2026")):
            with self.subTest(lang=lang):
                owner = Browser(self.server, lang)
                owner.sign_in(address)
                mypage = owner.get(f"/mypage/declarations/{public_id}")
                self.assertEqual(mypage.status, 200)
                public = Browser(self.server, lang).get(f"/verify/{public_id}")
                self.assertEqual(public.status, 200)
                for page in (mypage.text, public.text):
                    self.assertEqual(shown(page, cat["verify.row.declared_at"]), day)
                    self.assertEqual(shown(page, cat["verify.row.level_since"]), before)


if __name__ == "__main__":
    unittest.main()
