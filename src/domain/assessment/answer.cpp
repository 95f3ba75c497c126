#include "domain/assessment/answer.hpp"

#include <charconv>

#include <nlohmann/json.hpp>

namespace sengen::assessment {

std::string_view choice_id(Answer a) {
    switch (a) {
        case Answer::Done:
            return "done";
        case Answer::Partly:
            return "partly";
        case Answer::NotDone:
            return "not_done";
        case Answer::Unknown:
            return "unknown";
    }
    return "unknown";
}

std::optional<Answer> parse_choice(std::string_view id) {
    for (auto a : all_answers)
        if (choice_id(a) == id) return a;
    return std::nullopt;
}

int rule_points(Answer a) {
    switch (a) {
        case Answer::Done:
            return 4;
        case Answer::Partly:
            return 2;
        case Answer::NotDone:
            return 0;
        case Answer::Unknown:
            return -1;
    }
    return -1;
}

std::string encode_answers(const Answers& a) {
    std::string out = "{";
    for (const auto& [n, ans] : a) {
        if (out.size() > 1) out += ',';
        out += '"' + std::to_string(n) + "\":\"" + std::string(choice_id(ans)) + '"';
    }
    return out + "}";
}

Result<Answers> decode_answers(std::string_view json) {
    auto bad = [](std::string why) {
        Error e = Error::invalid({{"answers", "stored"}}, "assessment.stored_answers");
        e.detail = std::move(why);
        return fail(std::move(e));
    };
    auto doc = nlohmann::json::parse(json, nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) return bad("stored answers are not a JSON object");
    Answers out;
    for (const auto& [key, value] : doc.items()) {
        int n = 0;
        auto [p, ec] = std::from_chars(key.data(), key.data() + key.size(), n);
        if (ec != std::errc{} || p != key.data() + key.size()) return bad("stored answers: bad key '" + key + "'");
        if (!value.is_string()) return bad("stored answers: value of '" + key + "' is not a string");
        auto a = parse_choice(value.get<std::string>());
        if (!a) return bad("stored answers: unknown choice for '" + key + "'");
        out[n] = *a;
    }
    return out;
}

}  // namespace sengen::assessment
