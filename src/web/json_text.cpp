#include "web/json_text.hpp"

#include "domain/error_codes.hpp"
#include "domain/text.hpp"

namespace sengen::web {

void append_json_string(std::string& out, std::string_view s) {
    static constexpr char hex[] = "0123456789abcdef";
    const auto start = out.size();
    out += '"';
    // One pass: runs of characters that need no escape are copied whole, and each multi-byte
    // sequence is checked as it is passed over.
    std::size_t from = 0;
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x80) {
            const auto n = text::utf8_sequence_at(s, i);
            if (n == 0) {
                // Not UTF-8: nlohmann's writer puts U+FFFD for each bad byte.
                out.resize(start);
                out += nlohmann::json(std::string(s)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
                return;
            }
            i += n;
            continue;
        }
        if (c >= 0x20 && c != '"' && c != '\\') {
            ++i;
            continue;
        }
        out.append(s.data() + from, i - from);
        from = ++i;
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\b':
                out += "\\b";
                break;
            case '\f':
                out += "\\f";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                out += "\\u00";
                out += hex[c >> 4];
                out += hex[c & 0xf];
        }
    }
    out.append(s.data() + from, s.size() - from);
    out += '"';
}

void JsonWriter::separate() {
    if (after_key_) {
        after_key_ = false;
        return;
    }
    if (first_.empty()) return;
    if (!first_.back()) out_ += ',';
    first_.back() = false;
}

JsonWriter& JsonWriter::begin_object() {
    separate();
    out_ += '{';
    first_.push_back(true);
    return *this;
}

JsonWriter& JsonWriter::end_object() {
    out_ += '}';
    if (!first_.empty()) first_.pop_back();
    return *this;
}

JsonWriter& JsonWriter::begin_array() {
    separate();
    out_ += '[';
    first_.push_back(true);
    return *this;
}

JsonWriter& JsonWriter::end_array() {
    out_ += ']';
    if (!first_.empty()) first_.pop_back();
    return *this;
}

JsonWriter& JsonWriter::key(std::string_view name) {
    separate();
    append_json_string(out_, name);
    out_ += ':';
    after_key_ = true;
    return *this;
}

JsonWriter& JsonWriter::value(std::string_view v) {
    separate();
    append_json_string(out_, v);
    return *this;
}

JsonWriter& JsonWriter::value(std::int64_t v) {
    separate();
    out_ += std::to_string(v);
    return *this;
}

JsonWriter& JsonWriter::json(std::string_view written) {
    separate();
    out_ += written;
    return *this;
}

JsonWriter& JsonWriter::value(bool v) {
    separate();
    out_ += v ? "true" : "false";
    return *this;
}

JsonWriter& JsonWriter::null() {
    separate();
    out_ += "null";
    return *this;
}

Response json_response(int status, std::string json_text) {
    return make_response(status, "application/json", std::move(json_text));
}

Response json_response(int status, const nlohmann::ordered_json& j) {
    return json_response(status, j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

std::string JsonWriter::take() {
    std::string out = std::move(out_);
    out_.clear();
    first_.clear();
    after_key_ = false;
    return out;
}

namespace {

// 1 + the commas and opening brackets outside strings: at least the number of values in `body`
// if it is JSON (and whatever it is otherwise: the parser then refuses it).
std::size_t value_bound(std::string_view body) {
    std::size_t n = 1;
    bool in_string = false;
    for (std::size_t i = 0; i < body.size(); ++i) {
        const char c = body[i];
        if (in_string) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == ',' || c == '[' || c == '{') {
            ++n;
        }
    }
    return n;
}

}  // namespace

Status check_json_text(std::string_view body) {
    // nlohmann throws on invalid UTF-8 when the tree is written out again: refused here.
    if (!text::valid_utf8(body)) return fail(Error::invalid({{"body", "invalid_utf8"}}, codes::kRequestMalformed));
    // nlohmann's parser takes a NUL byte for the end of its input and would read "{}\0anything"
    // as {}; JSON never holds a raw NUL (RFC 8259 §7: a string escapes it), so it is malformed.
    if (body.find('\0') != std::string_view::npos) return fail(malformed_json());
    return {};
}

Error too_many_items() { return Error::invalid({{"body", "too_many_items"}}); }

Error malformed_json() { return Error::invalid({{"body", "malformed_json"}}, codes::kRequestMalformed); }

Result<nlohmann::json> parse_json_body(std::string_view body, std::size_t max_values) {
    if (auto ok = check_json_text(body); !ok) return fail(ok.error());
    // Every value but a container's first follows a comma, and each container has one first value:
    // so a body has at most 1 + commas + containers values. Under the limit it is read by the plain
    // parser; only a body that might be over it pays for the counting one below.
    if (value_bound(body) <= max_values) {
        auto doc = nlohmann::json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
        if (doc.is_discarded()) return fail(malformed_json());
        return doc;
    }
    std::size_t values = 0;
    bool over = false;
    using Event = nlohmann::json::parse_event_t;
    // Once over the limit every further event is discarded, so the tree stops growing.
    auto keep = [&](int, Event event, nlohmann::json&) {
        if (!over && (event == Event::value || event == Event::object_start || event == Event::array_start))
            over = ++values > max_values;
        return !over;
    };
    auto doc = nlohmann::json::parse(body.begin(), body.end(), keep, /*allow_exceptions=*/false);
    if (over) return fail(too_many_items());
    if (doc.is_discarded()) return fail(malformed_json());
    return doc;
}

}  // namespace sengen::web
