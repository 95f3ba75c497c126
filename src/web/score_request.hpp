// The body of POST /api/v1/assessments/score, read from its text by nlohmann's SAX parser, without
// building a tree. Reading it as a tree (parse_json_body) was about 40% of the request's cost. The
// outcome is the tree's in every case: the same errors and the same answers (a unit test compares
// the two over many bodies).
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "domain/assessment/scoring.hpp"
#include "domain/error.hpp"
#include "web/json_text.hpp"

namespace sengen::web {

struct ScoreRequestBody {
    // A top-level member as the last of its name holds it (a repeated name keeps its last value,
    // as in the tree).
    enum class Member { Absent, String, Object, Other };
    Member edition = Member::Absent;
    std::string edition_name;  // when edition is a String
    Member answers = Member::Absent;
    // When answers is an Object: each name once, with its last value (nullopt when not a string),
    // in the byte order of the names (the tree's std::map order).
    std::vector<assessment::RawAnswer> answer_list;
};

// The errors of parse_json_body (invalid_utf8, malformed_json, too_many_items past `max_values`),
// then Invalid {"body", "invalid_type"} when the body is not an object.
Result<ScoreRequestBody> read_score_request(std::string_view body, std::size_t max_values = kMaxJsonValues);

}  // namespace sengen::web
