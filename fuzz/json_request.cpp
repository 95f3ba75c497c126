// Fuzz target: the JSON read from requests and from the stored forms that come back from them: a
// body as the API reads it (web::parse_json_body: UTF-8, a raw NUL and the count of values checked),
// the self-assessment score's body (read by events, web/score_request.hpp, and compared with the
// tree), the stored answers and policy drafts, and the JSON string writer of the hot answers
// (web/json_text.hpp). A body that passes the UTF-8 check and parses can be written out again
// without throwing and re-parses to itself; a body that fails the check never parses; every
// string written by append_json_string reads back as the same text.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/assessment.hpp"
#include "codec/stored_json.hpp"
#include "content/edition_loader.hpp"
#include "domain/assessment/answer.hpp"
#include "domain/policy/draft.hpp"
#include "fuzz_check.hpp"
#include "web/http.hpp"
#include "web/json_text.hpp"
#include "web/score_request.hpp"

namespace {

using nlohmann::json;

const sengen::assessment::Edition& edition() {
    static const auto library = sengen::content::load_embedded_editions();
    FUZZ_CHECK(library.has_value());
    return library->current();
}

// The self-assessment API reads its body by events (web/score_request.hpp): it must find what the
// tree holds (every member of "answers" as a raw answer, the edition), or fail as the tree did.
void score(std::string_view body, const sengen::Result<json>& parsed) {
    using Member = sengen::web::ScoreRequestBody::Member;
    const auto read = sengen::web::read_score_request(body);
    if (!parsed || !parsed->is_object()) {
        FUZZ_CHECK(!read);
        if (!parsed)
            FUZZ_CHECK(read.error().code == parsed.error().code &&
                       read.error().fields.front().code == parsed.error().fields.front().code);
        return;
    }
    FUZZ_CHECK(read.has_value());
    const json& doc = *parsed;
    auto edition_member = doc.find("edition");
    FUZZ_CHECK(read->edition == (edition_member == doc.end()   ? Member::Absent
                                 : edition_member->is_string() ? Member::String
                                                               : Member::Other));
    if (read->edition == Member::String) FUZZ_CHECK(read->edition_name == edition_member->get<std::string>());
    auto answers = doc.find("answers");
    FUZZ_CHECK(read->answers == (answers == doc.end()   ? Member::Absent
                                 : answers->is_object() ? Member::Object
                                                        : Member::Other));
    if (read->answers != Member::Object) return;
    std::vector<sengen::assessment::RawAnswer> raw;
    for (const auto& [key, value] : answers->items())
        raw.push_back({key, value.is_string() ? std::optional<std::string>(value.get<std::string>()) : std::nullopt});
    FUZZ_CHECK(raw.size() == read->answer_list.size());
    for (std::size_t i = 0; i < raw.size(); ++i)
        FUZZ_CHECK(raw[i].key == read->answer_list[i].key && raw[i].value == read->answer_list[i].value);
    auto card = sengen::app::score_assessment(edition(), raw);
    if (card) FUZZ_CHECK(!card->parts.empty());
}

void stored_forms(std::string_view body) {
    if (auto answers = sengen::codec::decode_answers(body)) {
        auto again = sengen::codec::decode_answers(sengen::codec::encode_answers(*answers));
        FUZZ_CHECK(again && *again == *answers);
    }
    if (auto draft = sengen::codec::decode_draft(body)) {
        auto again = sengen::codec::decode_draft(sengen::codec::encode_draft(*draft));
        FUZZ_CHECK(again.has_value());
        FUZZ_CHECK(sengen::codec::encode_draft(*again) == sengen::codec::encode_draft(*draft));
    }
    (void)sengen::codec::decode_document(body);
}

void string_writer(std::string_view s) {
    std::string out;
    sengen::web::append_json_string(out, s);
    const auto back = json::parse(out, nullptr, false);
    FUZZ_CHECK(back.is_string());
    if (sengen::web::valid_utf8(s)) FUZZ_CHECK(back.get<std::string>() == s);

    sengen::web::JsonWriter w;
    w.begin_object().member(s, s).key("list").begin_array().value(s).value(std::int64_t{-1}).end_array().end_object();
    const auto doc = json::parse(w.take(), nullptr, false);
    FUZZ_CHECK(doc.is_object() && doc.size() == (s == "list" ? 1u : 2u));  // a key "list" is written twice
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto body = sengen::fuzz::as_text(data, size);
    string_writer(body);
    const bool utf8 = sengen::web::valid_utf8(body);
    const auto parsed = sengen::web::parse_json_body(body);
    // What the reader accepts is exactly one JSON text: never with a raw NUL in it (nlohmann
    // alone stops there), never with bytes that are not UTF-8.
    if (body.find('\0') != std::string_view::npos) FUZZ_CHECK(!parsed);
    score(body, parsed);
    if (!utf8) {
        FUZZ_CHECK(!parsed);
        return 0;
    }
    if (!parsed) return 0;
    const auto& doc = *parsed;
    const std::string text = doc.dump();  // would throw on invalid UTF-8 in a string
    FUZZ_CHECK(json::parse(text) == doc);
    stored_forms(body);
    return 0;
}
