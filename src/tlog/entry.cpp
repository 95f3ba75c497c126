// Log entries and the public record they hash (see entry.hpp).
#include "tlog/entry.hpp"

#include <array>
#include <charconv>
#include <cstring>
#include <vector>

#include <sodium.h>

#include "domain/dates.hpp"
#include "domain/identifiers.hpp"
#include "tlog/encoding.hpp"
#include "web/json_text.hpp"

namespace sengen::tlog {
namespace {

constexpr std::string_view kFormat = "sengen-event v1";

struct EventName {
    LogEvent event;
    std::string_view code;
};
constexpr std::array kEvents{
    EventName{LogEvent::Issued, "issued"},
    EventName{LogEvent::DetailsChanged, "details_changed"},
    EventName{LogEvent::LevelChanged, "level_changed"},
    EventName{LogEvent::Stopped, "stopped"},
    EventName{LogEvent::Revoked, "revoked"},
    EventName{LogEvent::Reinstated, "reinstated"},
    EventName{LogEvent::Imported, "imported"},
};

Error bad(std::string detail) { return Error{Error::Kind::Invalid, "tlog.bad_entry", std::move(detail), {}}; }

// The API writes its strings with this escaping too (only '"', '\\' and controls), so the record
// is byte for byte what the API answers.
void json_string(std::string& out, std::string_view s) { web::append_json_string(out, s); }

// The time back from "YYYY-MM-DDTHH:MM:SSZ", by printing it again: one spelling per second.
std::optional<TimePoint> parse_time(std::string_view s) {
    if (s.size() != 20) return std::nullopt;
    auto number = [&](std::size_t at, std::size_t len) {
        int v = -1;
        const auto [end, ec] = std::from_chars(s.data() + at, s.data() + at + len, v);
        return ec == std::errc{} && end == s.data() + at + len ? v : -1;
    };
    const int y = number(0, 4), mo = number(5, 2), d = number(8, 2), h = number(11, 2), mi = number(14, 2),
              se = number(17, 2);
    // Only years a TimePoint holds (nanoseconds from 1970 reach 2262): converting another would
    // overflow before the spelling could be checked (found by fuzz/tlog_formats, with UBSan).
    if (y < 1970 || y > 2261 || mo < 1 || d < 1 || h < 0 || mi < 0 || se < 0) return std::nullopt;
    const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(mo)},
                                          std::chrono::day{static_cast<unsigned>(d)}};
    if (!ymd.ok()) return std::nullopt;
    const TimePoint t =
        std::chrono::sys_days{ymd} + std::chrono::hours{h} + std::chrono::minutes{mi} + std::chrono::seconds{se};
    if (dates::rfc3339_utc(t) != s) return std::nullopt;
    return t;
}

}  // namespace

std::string_view log_event_code(LogEvent e) {
    for (const EventName& n : kEvents)
        if (n.event == e) return n.code;
    return "unknown";
}

std::optional<LogEvent> log_event_from_code(std::string_view code) {
    for (const EventName& n : kEvents)
        if (n.code == code) return n.event;
    return std::nullopt;
}

std::string entry_text(const LogEntry& e) {
    std::string out = e.origin;
    out += '\n';
    out += kFormat;
    out += "\nid ";
    out += e.id;
    out += "\nevent ";
    out += log_event_code(e.event);
    out += "\nlevel ";
    out += std::to_string(e.level);
    out += "\nstatus ";
    out += lifecycle::to_string(e.status);
    out += "\ntime ";
    out += dates::rfc3339_utc(e.time);
    out += "\nrecord ";
    out += base64(e.record);
    out += '\n';
    return out;
}

Result<LogEntry> parse_entry(std::string_view text) {
    std::vector<std::string_view> lines;
    for (std::string_view rest = text; !rest.empty();) {
        const auto eol = rest.find('\n');
        if (eol == std::string_view::npos) return fail(bad("an entry ends in a newline"));
        lines.push_back(rest.substr(0, eol));
        rest.remove_prefix(eol + 1);
    }
    if (lines.size() != 8 || lines[1] != kFormat) return fail(bad("not a sengen-event v1 entry"));
    constexpr std::array<std::string_view, 6> keys{"id ", "event ", "level ", "status ", "time ", "record "};
    std::array<std::string_view, 6> values;
    for (std::size_t i = 0; i < keys.size(); ++i) {
        if (!lines[i + 2].starts_with(keys[i])) return fail(bad("the entry's lines are not in order"));
        values[i] = lines[i + 2].substr(keys[i].size());
    }
    LogEntry e;
    e.origin = std::string(lines[0]);
    if (e.origin.empty()) return fail(bad("the origin is empty"));
    const auto id = DeclarationId::from_stored(std::string(values[0]));
    if (!id) return fail(bad("the ID is not a declaration ID"));
    e.id = id->digits();
    const auto event = log_event_from_code(values[1]);
    if (!event) return fail(bad("unknown event"));
    e.event = *event;
    const auto [end, ec] = std::from_chars(values[2].data(), values[2].data() + values[2].size(), e.level);
    if (ec != std::errc{} || end != values[2].data() + values[2].size() || e.level < 1 ||
        std::to_string(e.level) != values[2])
        return fail(bad("the level is not a positive number"));
    const auto status = lifecycle::status_from_string(values[3]);
    if (!status) return fail(bad("unknown status"));
    e.status = *status;
    const auto time = parse_time(values[4]);
    if (!time) return fail(bad("the time is not RFC 3339 UTC to the second"));
    e.time = *time;
    const auto record = unbase64(values[5]);
    if (!record || record->size() != e.record.size()) return fail(bad("the record hash is not 32 bytes"));
    std::memcpy(e.record.data(), record->data(), e.record.size());
    return e;
}

std::string canonical_record(const PublicDeclaration& p) {
    std::string out = "{\"id\":";
    json_string(out, p.public_id.digits());
    out += ",\"business_name\":";
    json_string(out, p.business_name);
    out += ",\"level\":";
    out += std::to_string(p.level);
    out += ",\"status\":";
    json_string(out, lifecycle::to_string(p.status));
    out += ",\"declared_at\":";
    json_string(out, dates::rfc3339_utc(p.declared_at));
    out += ",\"level_since\":";
    json_string(out, dates::rfc3339_utc(p.level_since));
    out += ",\"policy_url\":";
    if (p.policy_url.empty())
        out += "null";
    else
        json_string(out, p.policy_url);
    out += '}';
    return out;
}

Hash record_hash(std::span<const unsigned char> salt, std::string_view canonical) {
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, salt.data(), salt.size());
    crypto_hash_sha256_update(&st, reinterpret_cast<const unsigned char*>(canonical.data()), canonical.size());
    Hash h{};
    crypto_hash_sha256_final(&st, h.data());
    return h;
}

}  // namespace sengen::tlog
