#!/usr/bin/env python3
"""The rules of check-no-subsidy-advice.py on small made-up trees: the old advice (a word for subsidy
in an ordinary template or message, or any line saying this registry's ID can be used) still fails,
while the catalogue's own pages and messages may name programmes."""

import unittest
from pathlib import Path

from tree_check import run_on_tree

CHECK = Path(__file__).with_name("check-no-subsidy-advice.py")


def run(files: dict[str, str]) -> int:
    # Every tree has a layout, as the check expects of a real one.
    return run_on_tree(CHECK, {"src/web/templates/layout.mustache": "<p>{{t.site.name}}</p>\n",
                               "src/web/i18n/.keep": ""} | files)


class Rules(unittest.TestCase):
    def test_a_clean_tree_passes(self):
        self.assertEqual(run({}), 0)

    def test_a_subsidy_in_an_ordinary_template_or_message_fails(self):
        self.assertEqual(run({"src/web/templates/confirm_done.mustache": "<p>補助金の申請にどうぞ</p>\n"}), 1)
        self.assertEqual(run({"src/web/i18n/ja.po": 'msgid "mail.done.body"\nmsgstr "助成金の申請に"\n'}), 1)
        self.assertEqual(run({"src/web/i18n/en.po": 'msgid "badge.lead"\nmsgstr "Use it for a subsidy"\n'}), 1)

    def test_a_line_of_a_template_starting_with_a_hash_is_text_and_is_checked(self):
        self.assertEqual(run({"src/web/templates/confirm_done.mustache": "# 補助金の申請にお使いください\n"}), 1)
        self.assertEqual(run({"src/web/i18n/ja.po": '# 補助金のことは書かない\nmsgid "a"\nmsgstr "b"\n'}), 0)

    def test_content_that_pages_show_is_checked_but_the_profile_and_the_catalogue_are_not(self):
        for name in ("content/choices.toml", "content/levels.toml", "content/terms/2026-1.toml",
                     "content/assessment/2023.toml", "src/render/badge.cpp"):
            with self.subTest(name=name):
                self.assertEqual(run({name: 'label.ja = "補助金の申請に必要なため"\n'}), 1)
        self.assertEqual(run({"content/subsidies.toml": 'name.ja = "IT導入補助金"\n',
                              "content/operator/own.toml": 'accepted_for.ja = "県の補助金で記入できます。"\n',
                              "content/choices.toml": '# 補助金はカタログが扱う\ncode = "subsidy"\nlabel.ja = "その他"\n'}),
                         0)

    def test_the_catalogue_pages_and_messages_may_name_programmes(self):
        self.assertEqual(run({"src/web/templates/subsidy.mustache": "<h1>IT導入補助金</h1>\n",
                              "src/web/i18n/ja.po": 'msgid "subsidies.title"\nmsgstr "補助金の一覧"\n',
                              "src/web/templates/mypage.mustache": '<a href="/subsidies">{{t.subsidies.link}}</a>\n'}),
                         0)

    def test_saying_this_registrys_id_can_be_used_fails_even_on_the_catalogue_pages(self):
        for files in ({"src/web/i18n/ja.po": 'msgid "subsidies.lead"\nmsgstr "このIDは補助金の申請に使えます。"\n'},
                      {"src/web/i18n/en.po": 'msgid "subsidies.lead"\nmsgstr "Your ID can be used for the subsidy."\n'},
                      {"src/web/templates/subsidies.mustache": "<p>Use your declaration ID when you apply.</p>\n"}):
            with self.subTest(files=files):
                self.assertEqual(run(files), 1)

    def test_saying_the_id_is_not_accepted_passes(self):
        self.assertEqual(run({"src/web/i18n/ja.po": 'msgid "subsidies.x"\nmsgstr "このサイトの自己宣言IDは使えません。"\n',
                              "src/web/i18n/en.po": 'msgid "subsidies.x"\nmsgstr "This registry\'s ID is not accepted."\n'}),
                         0)


if __name__ == "__main__":
    unittest.main()
