// The JSON texts that saved answers, policy drafts and published policy documents are kept as (in
// their tables, and answers also in a session waiting for sign-in), and reading them back. A
// storage format, so it lives beside the adapters and not in the domain, which parses nothing.
#pragma once
#include <string>
#include <string_view>

#include "domain/assessment/answer.hpp"
#include "domain/error.hpp"
#include "domain/policy/draft.hpp"

namespace sengen::codec {

// A compact JSON object {"1":"done",...}. Decoding fails (Invalid, "assessment.stored_answers")
// on anything that is not such an object.
std::string encode_answers(const assessment::Answers& a);
Result<assessment::Answers> decode_answers(std::string_view json);

// Compact JSON objects, and back (Invalid, "policy.stored", on anything else).
std::string encode_draft(const policy::Draft& d);
Result<policy::Draft> decode_draft(std::string_view json);
std::string encode_document(const policy::Document& d);
Result<policy::Document> decode_document(std::string_view json);

}  // namespace sengen::codec
