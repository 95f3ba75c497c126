// Log entries (tlog::entry): the text an entry is, read back exactly and refused in every other
// spelling; the public record as the compact JSON a verifier rebuilds from the API's answer with
// Python's json.dumps; and its salted hash, checked against a value hashlib computed.
#include "tlog/entry.hpp"

#include <gtest/gtest.h>

#include <array>

#include "tlog/encoding.hpp"

#include <array>
#include <string>

#include "domain/identifiers.hpp"

namespace sengen::tlog {
namespace {

using namespace std::chrono;

LogEntry sample() {
    LogEntry e;
    e.origin = "registry.example.jp/log";
    e.id = DeclarationId::make(1, 42).digits();
    e.event = LogEvent::LevelChanged;
    e.level = 2;
    e.status = lifecycle::Status::Declared;
    e.time = sys_days{2026y / May / 10} + 6h + 0min + 7s;
    e.record.fill(0xAB);
    return e;
}

TEST(LogEntry, an_entry_is_its_origin_its_format_and_one_line_per_fact) {
    const std::string text = entry_text(sample());
    EXPECT_EQ(text,
              "registry.example.jp/log\n"
              "sengen-event v1\n"
              "id " +
                  DeclarationId::make(1, 42).digits() +
                  "\n"
                  "event level_changed\n"
                  "level 2\n"
                  "status declared\n"
                  "time 2026-05-10T06:00:07Z\n"
                  "record q6urq6urq6urq6urq6urq6urq6urq6urq6urq6urq6s=\n");
    const auto back = parse_entry(text);
    ASSERT_TRUE(back) << back.error().detail;
    EXPECT_EQ(entry_text(*back), text);
    EXPECT_EQ(back->event, LogEvent::LevelChanged);
    EXPECT_EQ(back->time, sample().time);
}

TEST(LogEntry, every_event_has_a_code_that_reads_back) {
    for (const LogEvent e : {LogEvent::Issued, LogEvent::DetailsChanged, LogEvent::LevelChanged, LogEvent::Stopped,
                             LogEvent::Revoked, LogEvent::Reinstated, LogEvent::Imported}) {
        LogEntry entry = sample();
        entry.event = e;
        const auto back = parse_entry(entry_text(entry));
        ASSERT_TRUE(back) << log_event_code(e);
        EXPECT_EQ(back->event, e);
    }
}

TEST(LogEntry, any_other_spelling_is_refused) {
    const std::string good = entry_text(sample());
    auto with = [&](std::string_view from, std::string_view to) {
        std::string s = good;
        s.replace(s.find(from), from.size(), to);
        return s;
    };
    EXPECT_FALSE(parse_entry(with("sengen-event v1", "sengen-event v2")));
    EXPECT_FALSE(parse_entry(with("level 2", "level 02")));
    EXPECT_FALSE(parse_entry(with("level 2", "level 0")));
    EXPECT_FALSE(parse_entry(with("event level_changed", "event renamed")));
    EXPECT_FALSE(parse_entry(with("status declared", "status certified")));
    EXPECT_FALSE(parse_entry(with("2026-05-10T06:00:07Z", "2026-05-10T06:00:07+00:00")));
    EXPECT_FALSE(parse_entry(with("2026-05-10T06:00:07Z", "2026-02-30T06:00:07Z")));
    EXPECT_FALSE(parse_entry(with("2026-05-10T06:00:07Z", "2026-05-10T24:00:07Z")));
    // Years a time point cannot hold (UBSan reported the overflow; the build of `make check` fails).
    EXPECT_FALSE(parse_entry(with("2026-05-10T06:00:07Z", "0870-12-07T06:00:00Z")));
    EXPECT_FALSE(parse_entry(with("2026-05-10T06:00:07Z", "9999-12-07T06:00:00Z")));
    EXPECT_FALSE(parse_entry(with("2026-05-10T06:00:07Z", "1969-12-31T23:59:59Z")));
    EXPECT_FALSE(parse_entry(with("q6urq6urq6urq6urq6urq6urq6urq6urq6urq6urq6s=", "q6ur")));
    EXPECT_FALSE(parse_entry(with("id 1", "id 2")));  // the check digit no longer fits
    EXPECT_FALSE(parse_entry(with("level 2\nstatus declared", "status declared\nlevel 2")));
    EXPECT_FALSE(parse_entry(good + "extra 1\n"));
    EXPECT_FALSE(parse_entry(good.substr(0, good.size() - 1)));
    EXPECT_FALSE(parse_entry(with("registry.example.jp/log", "")));
    // The record in another spelling of the same bytes, or with a byte outside base64 (found by
    // fuzz/tlog_formats: libsodium's decoder took a byte above 0x7F for a letter).
    EXPECT_FALSE(parse_entry(
        with("q6urq6urq6urq6urq6urq6urq6urq6urq6urq6urq6s=", "q6urq6urq6urq6urq6urq6urq6urq6urq6urq6urq6t=")));
    EXPECT_FALSE(parse_entry(
        with("q6urq6urq6urq6urq6urq6urq6urq6urq6urq6urq6s=", "q6urq6urq6urq6urq6urq6u\xe3q6urq6urq6urq6urq6s=")));
}

TEST(Base64, only_the_one_spelling_base64_writes_is_read) {
    const std::array<unsigned char, 4> bytes{0xAB, 0xAB, 0xAB, 0x01};
    const std::string written = base64(bytes);
    EXPECT_EQ(written, "q6urAQ==");
    EXPECT_EQ(unbase64(written), std::string("\xAB\xAB\xAB\x01"));
    for (const std::string bad : {"q6urAR==", "q6urAQ=", "q6urAQ", "q6ur AQ==",
                                  "q6u\xe3"
                                  "AQ==",
                                  "q6urAQ==\n", "q6-_AQ=="})
        EXPECT_EQ(unbase64(bad), std::nullopt) << bad;
    EXPECT_EQ(unbase64(""), std::string());
}

TEST(LogEntry, the_public_record_is_the_apis_members_as_pythons_compact_json) {
    PublicDeclaration p{
        .public_id = DeclarationId::make(1, 42),
        .business_name = "株式会社\"さくら\"\\印刷\n\x01",
        .business_name_kana = "カブシキガイシャサクラ",  // not in the API's answer, so not hashed
        .prefecture = "13",
        .level = 2,
        .status = lifecycle::Status::Declared,
        .declared_at = sys_days{2026y / April / 1} + 1h + 23min + 45s,
        .level_since = sys_days{2026y / May / 10} + 6h,
        .ended_at = std::nullopt,
        .end_reason = "",
        .policy_url = "",
    };
    // json.dumps(record, ensure_ascii=False, separators=(",", ":")) of the same values:
    EXPECT_EQ(canonical_record(p), "{\"id\":\"" + p.public_id.digits() +
                                       "\",\"business_name\":\"株式会社\\\"さくら\\\"\\\\印刷\\n\\u0001\",\"level\":2,"
                                       "\"status\":\"declared\",\"declared_at\":\"2026-04-01T01:23:45Z\","
                                       "\"level_since\":\"2026-05-10T06:00:00Z\",\"policy_url\":null}");
    p.policy_url = "https://example.jp/policy";
    EXPECT_TRUE(canonical_record(p).ends_with(",\"policy_url\":\"https://example.jp/policy\"}"));
}

TEST(LogEntry, the_record_hash_is_sha256_of_the_salt_then_the_record) {
    std::array<unsigned char, 16> salt{};
    for (std::size_t i = 0; i < salt.size(); ++i) salt[i] = static_cast<unsigned char>(i);
    // hashlib.sha256(bytes(range(16)) + b'{"id":"10000000424"}').hexdigest()
    const Hash h = record_hash(salt, "{\"id\":\"10000000424\"}");
    std::string hex;
    for (const unsigned char c : h) {
        static constexpr char digits[] = "0123456789abcdef";
        hex += digits[c >> 4];
        hex += digits[c & 15];
    }
    EXPECT_EQ(hex, "d68277c1ba8b2b33adb903dd55d0cf8dcbc96a0d41829a2f996c9af6af882aea");
    salt[0] = 1;
    EXPECT_NE(record_hash(salt, "{\"id\":\"10000000424\"}"), h);
}

}  // namespace
}  // namespace sengen::tlog
