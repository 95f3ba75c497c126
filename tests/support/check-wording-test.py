#!/usr/bin/env python3
"""The rules of check-wording.py on small made-up trees: a refused spelling in a message, a
template or a content file fails; of the terms of use only the current version (the latest
`effective` date) is checked, so that an earlier version declarants agreed to may keep the words it
was agreed with while a new version may not bring them back."""

import unittest
from pathlib import Path

from tree_check import run_on_tree

CHECK = Path(__file__).with_name("check-wording.py")


def terms(version: str, effective: str, body: str) -> str:
    return (f'version = "{version}"\neffective = {effective}\ntitle.ja = "規約"\ntitle.en = "Terms"\n\n'
            f'[[section]]\nheading.ja = "1."\nheading.en = "1."\nbody.ja = "{body}"\nbody.en = "Terms."\n')


def run(files: dict[str, str]) -> int:
    return run_on_tree(CHECK, files)


class Rules(unittest.TestCase):
    def test_a_clean_tree_passes(self):
        self.assertEqual(run({"src/web/i18n/ja.po": 'msgid "a"\nmsgstr "自己宣言IDを取り消しました"\n'}), 0)

    def test_the_refused_spellings_fail_in_messages_templates_and_content(self):
        for name, text in (("src/web/i18n/ja.po", 'msgid "a"\nmsgstr "宣言IDを確かめる"\n'),
                           ("src/web/i18n/ja.po", 'msgid "a"\nmsgstr "取消の理由"\n'),
                           ("src/web/i18n/en.po", 'msgid "a"\nmsgstr "Your e-mail address"\n'),
                           ("src/web/templates/verify.mustache", "<p>取消</p>\n"),
                           ("content/levels.toml", 'summary.ja = "宣言IDで確認"\n')):
            with self.subTest(name=name, text=text):
                self.assertEqual(run({name: text}), 1)

    def test_the_current_terms_are_checked(self):
        for body in ("宣言IDで確認できます。", "運営者は取消を公開します。"):
            with self.subTest(body=body):
                self.assertEqual(run({"content/terms/2026-1.toml": terms("2026-1", "2026-04-01", "宣言します。"),
                                      "content/terms/2026-2.toml": terms("2026-2", "2026-12-07", body)}), 1)

    def test_a_lone_terms_version_is_the_current_one_and_is_checked(self):
        self.assertEqual(run({"content/terms/2026-1.toml": terms("2026-1", "2026-04-01", "宣言IDで確認できます。")}), 1)

    def test_an_earlier_terms_version_keeps_the_words_it_was_agreed_with(self):
        # The current version is the latest effective date, whatever the files are called.
        self.assertEqual(run({"content/terms/2026-1.toml": terms("2026-1", "2026-04-01", "宣言IDと取消を公開します。"),
                              "content/terms/2026-2.toml": terms("2026-2", "2026-12-07", "自己宣言IDと取り消しを公開します。")}),
                         0)
        self.assertEqual(run({"content/terms/b.toml": terms("old", "2026-04-01", "宣言IDを公開します。"),
                              "content/terms/a.toml": terms("new", "2026-12-07", "自己宣言IDを公開します。")}), 0)


if __name__ == "__main__":
    unittest.main()
