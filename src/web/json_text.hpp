// JSON written straight into a string: for the hot answers of the API (a declaration's lookup,
// a self-assessment's score), where building an nlohmann::json tree first cost more than the work
// itself (docs/adr/0025). Other answers use nlohmann::json; both write the same compact text.
//
//   JsonWriter j;
//   j.begin_object().member("id", "10000000016").key("parts").begin_array();
//   j.begin_object().member("part", 1).end_object();
//   j.end_array().end_object();
//   std::string text = j.take();
//
// The writer puts the commas in; it does not check that objects and arrays are closed in order.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/error.hpp"
#include "web/http.hpp"

namespace sengen::web {

class JsonWriter {
public:
    // A declaration with its issuer is about 300 bytes: one allocation for the whole answer.
    JsonWriter() { out_.reserve(512); }

    JsonWriter& begin_object();
    JsonWriter& end_object();
    JsonWriter& begin_array();
    JsonWriter& end_array();
    JsonWriter& key(std::string_view name);

    JsonWriter& value(std::string_view v);
    JsonWriter& value(const char* v) { return value(std::string_view(v)); }
    JsonWriter& value(std::int64_t v);
    JsonWriter& value(int v) { return value(static_cast<std::int64_t>(v)); }
    JsonWriter& value(bool v);
    JsonWriter& null();
    // A value already written as JSON (by append_json_string or another writer), put in as it is.
    JsonWriter& json(std::string_view written);

    template <typename T>
    JsonWriter& member(std::string_view name, const T& v) {
        return key(name).value(v);
    }
    JsonWriter& null_member(std::string_view name) { return key(name).null(); }

    // The text written; the writer is left empty.
    std::string take();

private:
    void separate();  // a comma before every value of an object or array but the first
    std::string out_;
    std::vector<bool> first_;  // one per open object or array: nothing written in it yet
    bool after_key_ = false;
};

// Appends `s` as a JSON string (RFC 8259 §7): quotation mark, reverse solidus and control
// characters escaped, everything else as is. Invalid UTF-8 becomes U+FFFD, as nlohmann's
// error_handler_t::replace does.
void append_json_string(std::string& out, std::string_view s);

// A 200-style answer of Content-Type application/json with this text, or with this value
// written compactly (invalid UTF-8 replaced).
Response json_response(int status, std::string json_text);
Response json_response(int status, const nlohmann::ordered_json& j);

// The most values (objects, arrays, strings, numbers, ...) a JSON request body may hold: far
// above what an application (about 60) or a self-assessment (about 30) needs, and small enough
// that what a request holds in memory stays a few hundred kilobytes at most.
inline constexpr std::size_t kMaxJsonValues = 1000;

// A JSON request body as a tree. Invalid "request.malformed" with {"body", "invalid_utf8"} or
// {"body", "malformed_json"} (also for a raw NUL byte, which JSON never holds); Invalid with {"body", "too_many_items"}
// past `max_values`, found while parsing: nothing past the limit is kept, so memory is bounded by the limit, not the
// body.
Result<nlohmann::json> parse_json_body(std::string_view body, std::size_t max_values = kMaxJsonValues);

// What parse_json_body checks before parsing (valid UTF-8, no raw NUL byte), and two of its
// errors, for readers that parse a body their own way (web/score_request.hpp).
Status check_json_text(std::string_view body);
Error malformed_json();
Error too_many_items();

}  // namespace sengen::web
