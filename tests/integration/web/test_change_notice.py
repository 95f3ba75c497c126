"""The mail that tells a declarant its details changed names each changed field by the label the
forms show, in the declarant's language, never by the field's code. The real binary, mailing
through a real SMTP server on loopback."""

import re
import unittest

from sengen_server import catalogue
from smtp_flow import Visitor, application, body, declare, edit_form_fields, start_sink_and_server


class ChangeNotice(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        start_sink_and_server(cls)

    def change(self, lang, address):
        visitor = Visitor(self.server, lang=lang)
        public_id = declare(self.server, self.sink, application(address, lang=lang), visitor)
        page = visitor.get(f"/mypage/declarations/{public_id}/edit")
        self.assertEqual(page.status, 200)
        changes = {"phone": "03-1234-5678", "business_name_kana": "ヘンコウゴ"}
        fields = [(k, changes.get(k, v)) for k, v in edit_form_fields(page.text)]
        saved = visitor.post(f"/mypage/declarations/{public_id}/edit", fields)
        self.assertEqual(saved.status, 303, saved.text[:500])
        mails = self.sink.wait_for(address, count=3)  # receipt, declared, changed
        return body(mails[-1])

    def check(self, lang, address, separator):
        words = catalogue(lang)
        text = self.change(lang, address)
        # In the order of the form, joined as the language writes a list.
        self.assertIn(words["field.business_name_kana.label"] + separator + words["field.phone.label"], text)
        for code in ("phone", "business_name_kana"):
            self.assertIsNone(re.search(rf"\b{code}\b", text), text)

    def test_japanese_labels(self):
        self.check("ja", "notice-ja@example.jp", "、")

    def test_english_labels(self):
        self.check("en", "notice-en@example.jp", ", ")


if __name__ == "__main__":
    unittest.main()
