#include "codec/stored_json.hpp"

#include <charconv>
#include <optional>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "domain/lang.hpp"

namespace sengen::codec {

namespace {

nlohmann::json optional_json(const std::optional<std::string>& s) {
    return s ? nlohmann::json(*s) : nlohmann::json(nullptr);
}

}  // namespace

std::string encode_answers(const assessment::Answers& a) {
    std::string out = "{";
    for (const auto& [n, ans] : a) {
        if (out.size() > 1) out += ',';
        out += '"' + std::to_string(n) + "\":\"" + std::string(assessment::choice_id(ans)) + '"';
    }
    return out + "}";
}

Result<assessment::Answers> decode_answers(std::string_view json) {
    auto bad = [](std::string why) {
        Error e = Error::invalid({{"answers", "stored"}}, "assessment.stored_answers");
        e.detail = std::move(why);
        return fail(std::move(e));
    };
    auto doc = nlohmann::json::parse(json, nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) return bad("stored answers are not a JSON object");
    assessment::Answers out;
    for (const auto& [key, value] : doc.items()) {
        int n = 0;
        auto [p, ec] = std::from_chars(key.data(), key.data() + key.size(), n);
        if (ec != std::errc{} || p != key.data() + key.size()) return bad("stored answers: bad key '" + key + "'");
        if (!value.is_string()) return bad("stored answers: value of '" + key + "' is not a string");
        auto a = assessment::parse_choice(value.get<std::string>());
        if (!a) return bad("stored answers: unknown choice for '" + key + "'");
        out[n] = *a;
    }
    return out;
}

std::string encode_draft(const policy::Draft& d) {
    nlohmann::json j = {{"lang", code(d.lang)},
                        {"business_name", d.business_name},
                        {"assets", d.assets},
                        {"established", d.established},
                        {"representative_title", d.representative_title},
                        {"representative_name", d.representative_name},
                        {"preamble", optional_json(d.preamble)}};
    auto& sections = j["sections"] = nlohmann::json::array();
    for (const auto& s : d.sections) sections.push_back(optional_json(s));
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

namespace {

Error stored_error(std::string why) {
    Error e = Error::invalid({{"policy", "stored"}}, "policy.stored");
    e.detail = std::move(why);
    return e;
}

std::string string_at(const nlohmann::json& j, const char* key) {
    auto it = j.find(key);
    if (it == j.end() || !it->is_string()) throw std::runtime_error(std::string("'") + key + "' is not a string");
    return it->get<std::string>();
}

std::optional<std::string> optional_at(const nlohmann::json& j) {
    if (j.is_null()) return std::nullopt;
    if (!j.is_string()) throw std::runtime_error("a text is neither a string nor null");
    return j.get<std::string>();
}

}  // namespace

Result<policy::Draft> decode_draft(std::string_view json) {
    auto j = nlohmann::json::parse(json, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return fail(stored_error("stored draft is not a JSON object"));
    try {
        policy::Draft d;
        d.lang = lang_or_japanese(string_at(j, "lang"));
        d.business_name = string_at(j, "business_name");
        d.assets = string_at(j, "assets");
        d.established = string_at(j, "established");
        d.representative_title = string_at(j, "representative_title");
        d.representative_name = string_at(j, "representative_name");
        d.preamble = optional_at(j.value("preamble", nlohmann::json()));
        auto sections = j.find("sections");
        if (sections == j.end() || !sections->is_array() || sections->size() != policy::kSectionCount)
            throw std::runtime_error("'sections' must be a list of " + std::to_string(policy::kSectionCount));
        for (std::size_t i = 0; i < policy::kSectionCount; ++i) d.sections[i] = optional_at((*sections)[i]);
        return d;
    } catch (const std::exception& e) {
        return fail(stored_error(std::string("stored draft: ") + e.what()));
    }
}

std::string encode_document(const policy::Document& d) {
    nlohmann::ordered_json j = {{"template", d.template_edition},
                                {"lang", code(d.lang)},
                                {"title", d.title},
                                {"business_name", d.business_name},
                                {"preamble", d.preamble}};
    auto& sections = j["sections"] = nlohmann::ordered_json::array();
    for (const auto& s : d.sections) sections.push_back({{"heading", s.heading}, {"body", s.body}});
    j["established"] = d.established;
    j["representative_title"] = d.representative_title;
    j["representative_name"] = d.representative_name;
    j["established_label"] = d.established_label;
    j["revised_label"] = d.revised_label;
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Result<policy::Document> decode_document(std::string_view json) {
    auto j = nlohmann::json::parse(json, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return fail(stored_error("stored policy is not a JSON object"));
    try {
        policy::Document d;
        d.template_edition = string_at(j, "template");
        d.lang = lang_or_japanese(string_at(j, "lang"));
        d.title = string_at(j, "title");
        d.business_name = string_at(j, "business_name");
        d.preamble = string_at(j, "preamble");
        auto sections = j.find("sections");
        if (sections == j.end() || !sections->is_array()) throw std::runtime_error("'sections' is not a list");
        for (const auto& s : *sections) {
            if (!s.is_object()) throw std::runtime_error("a section is not an object");
            d.sections.push_back({string_at(s, "heading"), string_at(s, "body")});
        }
        d.established = string_at(j, "established");
        d.representative_title = string_at(j, "representative_title");
        d.representative_name = string_at(j, "representative_name");
        d.established_label = string_at(j, "established_label");
        d.revised_label = string_at(j, "revised_label");
        return d;
    } catch (const std::exception& e) {
        return fail(stored_error(std::string("stored policy: ") + e.what()));
    }
}

}  // namespace sengen::codec
