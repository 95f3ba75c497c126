#include "mail/message.hpp"

#include <gtest/gtest.h>

#include "mail_decode.hpp"

using namespace sengen;
using namespace sengen::mail;
using namespace sengen::mail::testing;

namespace {

const TimePoint kDate = from_unix_seconds(1751338445);  // Tue, 01 Jul 2025 02:54:05 UTC

Message sample() {
    return Message{{"sengen", "no-reply@sengen.example.jp"},
                   {"", "owner@example.co.jp"},
                   "受付確認のお知らせ",
                   "山田様\n\nお申し込みを受け付けました。\n",
                   i18n::Lang::Ja};
}

std::string built_text(const Message& m) {
    auto b = build(m, kDate, "abc123");
    if (!b) throw std::runtime_error("build failed: " + b.error().detail);
    return b->text;
}

bool has_field_error(const Error& e, const std::string& field, const std::string& code) {
    for (const auto& f : e.fields)
        if (f.field == field && f.code == code) return true;
    return false;
}

}  // namespace

TEST(MailMessage, has_every_required_header_and_only_crlf_line_ends) {
    const auto text = built_text(sample());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\n') {
            ASSERT_TRUE(i > 0 && text[i - 1] == '\r') << "bare LF at " << i;
        }
        if (text[i] == '\r') {
            ASSERT_TRUE(i + 1 < text.size() && text[i + 1] == '\n') << "bare CR at " << i;
        }
    }
    auto p = split(text);
    EXPECT_EQ(raw_header(p, "Date"), " Tue, 01 Jul 2025 02:54:05 +0000");
    EXPECT_EQ(raw_header(p, "Message-ID"), " <abc123@sengen.example.jp>");
    EXPECT_EQ(raw_header(p, "From"), " \"sengen\" <no-reply@sengen.example.jp>");
    EXPECT_EQ(raw_header(p, "To"), " owner@example.co.jp");
    EXPECT_EQ(raw_header(p, "MIME-Version"), " 1.0");
    EXPECT_EQ(raw_header(p, "Content-Type"), " text/plain; charset=UTF-8");
    EXPECT_EQ(raw_header(p, "Content-Transfer-Encoding"), " base64");
    EXPECT_EQ(raw_header(p, "Content-Language"), " ja");
    EXPECT_TRUE(raw_header(p, "Subject").has_value());
}

TEST(MailMessage, message_id_takes_the_domain_of_the_from_address) {
    auto b = build(sample(), kDate, "0f1e2d3c");
    ASSERT_TRUE(b);
    EXPECT_EQ(b->message_id, "0f1e2d3c@sengen.example.jp");
    EXPECT_EQ(header_value(b->text, "message-id"), "<0f1e2d3c@sengen.example.jp>");
}

TEST(MailMessage, message_id_unique_part_must_be_safe) {
    EXPECT_FALSE(build(sample(), kDate, ""));
    EXPECT_FALSE(build(sample(), kDate, "a>b"));
    EXPECT_FALSE(build(sample(), kDate, "a\r\nBcc: x@y.jp"));
}

TEST(MailMessage, date_follows_rfc5322_in_utc) {
    EXPECT_EQ(format_date(from_unix_seconds(0)), "Thu, 01 Jan 1970 00:00:00 +0000");
    EXPECT_EQ(format_date(from_unix_seconds(951782400)), "Tue, 29 Feb 2000 00:00:00 +0000");
    EXPECT_EQ(format_date(kDate), "Tue, 01 Jul 2025 02:54:05 +0000");
}

TEST(MailMessage, japanese_subject_is_encoded_and_decodes_back) {
    auto p = split(built_text(sample()));
    auto raw = raw_header(p, "Subject");
    ASSERT_TRUE(raw);
    EXPECT_NE(raw->find("=?UTF-8?B?"), std::string::npos);
    EXPECT_EQ(decode_header_text(*raw), "受付確認のお知らせ");
}

TEST(MailMessage, plain_ascii_subject_is_written_as_it_is) {
    auto m = sample();
    m.subject = "Your declaration was received";
    auto p = split(built_text(m));
    EXPECT_EQ(raw_header(p, "Subject"), " Your declaration was received");
}

TEST(MailMessage, long_subjects_fold_within_76_columns_without_splitting_characters) {
    // Every length from 1 to 150 characters of a mix of 1-, 2-, 3- and 4-byte characters, in
    // every phase, so that a word boundary falls at every position of a sequence.
    const std::vector<std::string> pieces = {"a", "é", "宣", "言", "🔒", " ", "ー", "Z"};
    for (std::size_t phase = 0; phase < pieces.size(); ++phase) {
        std::string subject;
        for (std::size_t n = 1; n <= 150; ++n) {
            subject += pieces[(n + phase) % pieces.size()];
            if (subject.front() == ' ') continue;
            auto m = sample();
            m.subject = subject;
            auto p = split(built_text(m));
            for (const auto& line : p.header_lines) ASSERT_LE(line.size(), 76u) << line;
            auto raw = raw_header(p, "Subject");
            ASSERT_TRUE(raw);
            EXPECT_EQ(decode_header_text(*raw), subject);
            for (const auto& w : decoded_words(*raw)) ASSERT_TRUE(valid_utf8(w)) << "a word splits a character";
        }
    }
}

TEST(MailMessage, long_ascii_subject_folds_at_spaces_and_unfolds_to_the_same_text) {
    auto m = sample();
    m.subject = "This is a rather long English subject line that certainly needs folding at some space in it";
    auto p = split(built_text(m));
    for (const auto& line : p.header_lines) EXPECT_LE(line.size(), 76u);
    EXPECT_EQ(decode_header_text(*raw_header(p, "Subject")), m.subject);
}

TEST(MailMessage, subject_that_looks_like_an_encoded_word_is_itself_encoded) {
    auto m = sample();
    m.subject = "=?UTF-8?B?5a6j6KiA?=";
    auto p = split(built_text(m));
    EXPECT_EQ(decode_header_text(*raw_header(p, "Subject")), m.subject);
}

TEST(MailMessage, non_ascii_display_names_are_encoded_words) {
    auto m = sample();
    m.from.display_name = "sengen セキュリティ宣言 事務局";
    m.to.display_name = "山田 太郎";
    auto p = split(built_text(m));
    auto from = raw_header(p, "From");
    ASSERT_TRUE(from);
    EXPECT_EQ(from->substr(from->size() - std::string("<no-reply@sengen.example.jp>").size()),
              "<no-reply@sengen.example.jp>");
    std::string name;
    for (const auto& w : decoded_words(*from)) name += w;
    EXPECT_EQ(name, "sengen セキュリティ宣言 事務局");
    std::string to;
    for (const auto& w : decoded_words(*raw_header(p, "To"))) to += w;
    EXPECT_EQ(to, "山田 太郎");
    for (const auto& line : p.header_lines) EXPECT_LE(line.size(), 76u);
}

TEST(MailMessage, ascii_display_name_is_a_quoted_string_with_escapes) {
    auto m = sample();
    m.from.display_name = R"(Example "Co.", Ltd. \ Office)";
    auto p = split(built_text(m));
    EXPECT_EQ(raw_header(p, "From"), R"( "Example \"Co.\", Ltd. \\ Office" <no-reply@sengen.example.jp>)");
}

TEST(MailMessage, body_is_base64_in_lines_of_76_and_decodes_to_crlf_text) {
    auto m = sample();
    m.body = std::string(300, 'x') + "\n日本語の本文です。\r\n最後の行";
    auto p = split(built_text(m));
    std::size_t pos = 0;
    while (pos < p.body.size()) {
        auto eol = p.body.find("\r\n", pos);
        ASSERT_NE(eol, std::string::npos);
        EXPECT_LE(eol - pos, 76u);
        pos = eol + 2;
    }
    EXPECT_EQ(decode_base64(p.body), std::string(300, 'x') + "\r\n日本語の本文です。\r\n最後の行\r\n");
}

TEST(MailMessage, line_breaks_in_the_subject_are_refused_not_repaired) {
    for (const std::string& bad :
         std::vector<std::string>{"件名\r\nBcc: victim@example.jp", "件名\nBcc: victim@example.jp", "件名\rX", "a\tb",
                                  std::string("a\0b", 3), "a\x7f", "a\xc2\x85", "a\xe2\x80\xa8"}) {
        auto m = sample();
        m.subject = bad;
        auto b = build(m, kDate, "id");
        ASSERT_FALSE(b) << "accepted a subject with a control character";
        EXPECT_EQ(b.error().kind, Error::Kind::Invalid);
        EXPECT_TRUE(has_field_error(b.error(), "subject", "control_character"));
    }
}

TEST(MailMessage, line_breaks_in_display_names_are_refused) {
    auto m = sample();
    m.to.display_name = "山田\r\nBcc: victim@example.jp";
    auto b = build(m, kDate, "id");
    ASSERT_FALSE(b);
    EXPECT_TRUE(has_field_error(b.error(), "to", "control_character"));
    m = sample();
    m.from.display_name = "sengen\n";
    EXPECT_FALSE(build(m, kDate, "id"));
}

TEST(MailMessage, addresses_with_line_breaks_or_specials_are_refused) {
    for (const std::string& bad : std::vector<std::string>{
             "owner@example.jp\r\nBcc: victim@example.jp", "owner@example.jp\n", "owner@exam\rple.jp",
             "<owner@example.jp>", "owner@example.jp>", "Owner <owner@example.jp>", "own er@example.jp",
             "owner@example.jp,victim@example.jp"}) {
        auto m = sample();
        m.to.address = bad;
        auto b = build(m, kDate, "id");
        ASSERT_FALSE(b) << bad;
        EXPECT_EQ(b.error().kind, Error::Kind::Invalid);
        EXPECT_TRUE(has_field_error(b.error(), "to", "address"));
    }
}

TEST(MailMessage, invalid_utf8_and_empty_subjects_are_refused) {
    auto m = sample();
    m.subject = "\xe5\xae";  // a cut-off character
    EXPECT_TRUE(has_field_error(build(m, kDate, "id").error(), "subject", "invalid_utf8"));
    m.subject = "\xc0\xaf";  // overlong "/"
    EXPECT_TRUE(has_field_error(build(m, kDate, "id").error(), "subject", "invalid_utf8"));
    m.subject = "";
    EXPECT_TRUE(has_field_error(build(m, kDate, "id").error(), "subject", "required"));
    m = sample();
    m.body = "ok\x1b[31m";
    EXPECT_TRUE(has_field_error(build(m, kDate, "id").error(), "body", "control_character"));
}

TEST(MailAddress, accepts_a_practical_set_of_addresses) {
    for (const std::string& ok :
         std::vector<std::string>{"a@b", "owner@example.jp", "first.last+tag@sub.example.co.jp", "o'brien@example.com",
                                  "x_y-z@xn--wgv71a.jp", "no-reply@localhost", std::string(64, 'l') + "@example.jp"})
        EXPECT_TRUE(validate_address(ok)) << ok;
}

TEST(MailAddress, refuses_what_is_not_a_plain_addr_spec) {
    const std::string label63(63, 'd');
    const std::string long_domain = label63 + "." + label63 + "." + label63 + "." + std::string(61, 'd');  // 253
    for (const std::string& bad : std::vector<std::string>{"",
                                                           "@example.jp",
                                                           "owner@",
                                                           "owner",
                                                           "owner@@example.jp",
                                                           "a@b@example.jp",
                                                           ".owner@example.jp",
                                                           "owner.@example.jp",
                                                           "ow..ner@example.jp",
                                                           "owner@example..jp",
                                                           "owner@-example.jp",
                                                           "owner@example-.jp",
                                                           "owner@example.jp.",
                                                           "owner@exa_mple.jp",
                                                           "owner@[127.0.0.1]",
                                                           "\"quoted\"@example.jp",
                                                           "オーナー@example.jp",
                                                           "owner@例え.jp",
                                                           "owner@example.jp ",
                                                           " owner@example.jp",
                                                           "own(er)@example.jp",
                                                           std::string(65, 'l') + "@example.jp",
                                                           "owner@" + std::string(64, 'd') + ".jp",
                                                           "o@" + long_domain})
        EXPECT_FALSE(validate_address(bad)) << bad;
    EXPECT_EQ(("o@" + long_domain).size(), 255u);
}

TEST(MailAddress, parses_mailboxes_as_written_in_settings) {
    auto a = parse_mailbox("sengen <no-reply@localhost>");
    ASSERT_TRUE(a);
    EXPECT_EQ(a->display_name, "sengen");
    EXPECT_EQ(a->address, "no-reply@localhost");
    auto b = parse_mailbox("  \"sengen \\\"事務局\\\"\" <info@example.jp> ");
    ASSERT_TRUE(b);
    EXPECT_EQ(b->display_name, "sengen \"事務局\"");
    auto c = parse_mailbox("info@example.jp");
    ASSERT_TRUE(c);
    EXPECT_EQ(c->display_name, "");
    EXPECT_FALSE(parse_mailbox("sengen <no-reply@localhost"));
    EXPECT_FALSE(parse_mailbox("sengen\r\nBcc: x@y.jp <no-reply@localhost>"));
    EXPECT_FALSE(parse_mailbox("sengen <no-reply@localhost>\r\nBcc: x@y.jp"));
}

TEST(MailMessage, header_value_unfolds_continuation_lines) {
    const std::string msg = "Subject: a\r\n b\r\n\tc\r\nTo: x@y.jp\r\n\r\nSubject: body\r\n";
    EXPECT_EQ(header_value(msg, "subject"), "a b\tc");
    EXPECT_EQ(header_value(msg, "To"), "x@y.jp");
    EXPECT_EQ(header_value(msg, "From"), std::nullopt);
}

// RFC 2369 §3.2 and RFC 8058 §3.1: a mail that can be stopped says where, in the header, with the
// one-click POST body; the address is one unfolded token in angle brackets.
TEST(MailMessage, an_unsubscribe_address_adds_list_unsubscribe_and_its_one_click_post) {
    auto m = sample();
    m.unsubscribe_url = "https://sengen.example.jp/subsidies/unsubscribe/" + std::string(43, 'A');
    const auto text = built_text(m);
    EXPECT_NE(text.find("\r\nList-Unsubscribe: <" + m.unsubscribe_url + ">\r\n"), std::string::npos) << text;
    EXPECT_NE(text.find("\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"), std::string::npos) << text;
    EXPECT_EQ(built_text(sample()).find("List-Unsubscribe"), std::string::npos);
}

TEST(MailMessage, an_unsubscribe_address_that_could_break_the_header_is_refused) {
    for (const std::string& bad :
         std::vector<std::string>{"ftp://example.jp/x", "https://example.jp/a b", "https://example.jp/a>b",
                                  "https://example.jp/\r\nBcc: x@example.jp", "https://example.jp/a,b",
                                  "https://example.jp/" + std::string(1000, 'a'), "https://例え.jp/"}) {
        auto m = sample();
        m.unsubscribe_url = bad;
        auto b = build(m, kDate, "abc123");
        ASSERT_FALSE(b) << bad;
        EXPECT_TRUE(has_field_error(b.error(), "unsubscribe_url", "invalid")) << bad;
    }
}
