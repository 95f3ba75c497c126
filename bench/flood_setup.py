"""Prepares a running sengen for bench/flood.sh and prints what the floods need, as shell
assignments: a declaration ID (for /verify/{id}), the path of a published policy's PDF, and a
session cookie with its CSRF token and a self-assessment's report form (for the POST floods).

It goes through the site as a visitor would: applies and confirms through the JSON API, signs in
with the mailed link, writes and publishes a policy, and takes a self-assessment. Standard library
only; it borrows the black-box tests' client (tests/integration/toolkit/toolkit_flow.py).

    /usr/bin/python3 bench/flood_setup.py PORT MAIL_DIR
"""

import re
import shlex
import sys
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "support"))
sys.path.insert(0, str(ROOT / "tests" / "integration" / "toolkit"))

from toolkit_flow import FIRST, Browser, application, csrf_of, declare, forms  # noqa: E402


class Server:
    def __init__(self, port: int, mail_dir: str):
        self.port = port
        self.mail_dir = mail_dir


def main() -> int:
    server = Server(int(sys.argv[1]), sys.argv[2])
    address = "flood-bench@example.jp"
    public_id = declare(server, application(address))["id"]

    owner = Browser(server)
    owner.sign_in(address)
    location = owner.post("/mypage/policies", {"csrf": owner.csrf()}).header("Location")
    page = owner.get(location)
    fields = {"csrf": csrf_of(page.text), "policy_lang": "ja", "policy_business_name": "株式会社ベンチ印刷",
              "policy_assets": "customers", "policy_established": "2026-04-01",
              "policy_representative_title": "代表取締役", "policy_representative_name": "佐藤 花子"}
    assert owner.post(location, fields).status == 303
    assert owner.post(location + "/publish", {"csrf": fields["csrf"]}).status == 303
    slug = re.search(r'href="https?://[^"/]+/policy/([a-z0-9]{10})"', owner.get(location).text).group(1)

    # A visitor with a session: the sign-in form's token, and a self-assessment's report form.
    visitor = Browser(server)
    result = visitor.result(FIRST)
    report = next(f for f in forms(result.text) if f["action"] == "/assessment/report.pdf")
    report_body = urllib.parse.urlencode(list(report["hidden"].items()) + [("business_name", "株式会社ベンチ")])
    signin_csrf = csrf_of(visitor.get("/signin").text)
    signin_body = urllib.parse.urlencode({"csrf": signin_csrf, "next": "/mypage", "email": "flood-target@example.jp"})
    cookie = "; ".join(f"{k}={v}" for k, v in visitor.cookies.items())

    for name, value in (("public_id", public_id), ("policy_pdf", f"/policy/{slug}/1/policy.pdf"),
                        ("cookie", cookie), ("signin_body", signin_body), ("report_body", report_body)):
        print(f"{name}={shlex.quote(value)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
