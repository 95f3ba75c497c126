// Reading the scoring API's body with nlohmann's SAX interface (see score_request.hpp).
#include "web/score_request.hpp"

#include <algorithm>
#include <cstdint>
#include <numeric>

#include <nlohmann/json.hpp>

namespace sengen::web {

namespace {

using Member = ScoreRequestBody::Member;

// Follows the parser's events. Depth 1 is the body's object, depth 2 inside one of its members
// (the answers object, or something else); anything else is only counted.
class Reader {
public:
    using json = nlohmann::json;

    Reader(ScoreRequestBody& out, std::size_t max_values) : out_(out), max_values_(max_values) {
        answers_.reserve(32);  // a self-assessment has 25 questions
    }

    bool over() const { return over_; }
    bool root_object() const { return root_object_; }

    bool null() { return scalar(nullptr); }
    bool boolean(bool) { return scalar(nullptr); }
    bool number_integer(json::number_integer_t) { return scalar(nullptr); }
    bool number_unsigned(json::number_unsigned_t) { return scalar(nullptr); }
    bool number_float(json::number_float_t, const json::string_t&) { return scalar(nullptr); }
    bool string(json::string_t& s) { return scalar(&s); }
    bool binary(json::binary_t&) { return scalar(nullptr); }

    bool start_object(std::size_t) {
        if (!count()) return false;
        if (depth_ == 0) root_object_ = true;
        if (depth_ == 1 && key_ == Key::Answers) {
            out_.answers = Member::Object;
            answers_.clear();
            in_answers_ = true;
        } else {
            container_value(Member::Object);
        }
        ++depth_;
        return true;
    }
    bool end_object() {
        if (--depth_ == 1) in_answers_ = false;
        return true;
    }
    bool start_array(std::size_t) {
        if (!count()) return false;
        container_value(Member::Other);
        ++depth_;
        return true;
    }
    bool end_array() {
        --depth_;
        return true;
    }
    bool key(json::string_t& k) {
        if (depth_ == 1) {
            key_ = k == "edition" ? Key::Edition : k == "answers" ? Key::Answers : Key::Other;
        } else if (depth_ == 2 && in_answers_) {
            answer_key_ = std::move(k);
        }
        return true;
    }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) { return false; }

    // The answers, each name once with its last value, in the names' byte order: sorted by name
    // and then by place, so that the last of a repeated name comes last and replaces the others.
    void finish() {
        std::vector<std::uint32_t> order(answers_.size());
        std::iota(order.begin(), order.end(), 0u);
        std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
            const int c = answers_[a].key.compare(answers_[b].key);
            return c != 0 ? c < 0 : a < b;
        });
        out_.answer_list.reserve(answers_.size());
        for (auto i : order) {
            if (!out_.answer_list.empty() && out_.answer_list.back().key == answers_[i].key)
                out_.answer_list.back() = std::move(answers_[i]);
            else
                out_.answer_list.push_back(std::move(answers_[i]));
        }
    }

private:
    enum class Key { Edition, Answers, Other };

    // One more value; false once past the limit, which stops the parser.
    bool count() {
        over_ = ++values_ > max_values_;
        return !over_;
    }

    // A string (`s`) or another scalar (nullptr).
    bool scalar(json::string_t* s) {
        if (!count()) return false;
        if (depth_ == 1) {
            if (key_ == Key::Edition) {
                out_.edition = s ? Member::String : Member::Other;
                out_.edition_name = s ? std::move(*s) : std::string();
            } else if (key_ == Key::Answers) {
                out_.answers = Member::Other;
            }
        } else if (depth_ == 2 && in_answers_) {
            answers_.push_back({answer_key_, s ? std::optional<std::string>(std::move(*s)) : std::nullopt});
        }
        return true;
    }

    // An object (not the answers) or an array in the place of a value.
    void container_value(Member as) {
        if (depth_ == 1) {
            if (key_ == Key::Edition) {
                out_.edition = Member::Other;
                out_.edition_name.clear();
            }
            if (key_ == Key::Answers) out_.answers = as;
        } else if (depth_ == 2 && in_answers_) {
            answers_.push_back({answer_key_, std::nullopt});
        }
    }

    ScoreRequestBody& out_;
    std::size_t max_values_;
    std::size_t values_ = 0;
    bool over_ = false;
    bool root_object_ = false;
    bool in_answers_ = false;  // directly inside the answers object (depth 2)
    int depth_ = 0;
    Key key_ = Key::Other;
    std::string answer_key_;
    std::vector<assessment::RawAnswer> answers_;
};

}  // namespace

Result<ScoreRequestBody> read_score_request(std::string_view body, std::size_t max_values) {
    if (auto ok = check_json_text(body); !ok) return fail(ok.error());
    ScoreRequestBody out;
    Reader reader(out, max_values);
    const bool read = nlohmann::json::sax_parse(body.begin(), body.end(), &reader);
    if (reader.over()) return fail(too_many_items());
    if (!read) return fail(malformed_json());
    if (!reader.root_object()) return fail(Error::invalid({{"body", "invalid_type"}}));
    reader.finish();
    return out;
}

}  // namespace sengen::web
