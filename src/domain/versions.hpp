// Dated versions of one kind of content, by id: the questionnaire's editions, the policy
// template's editions. The current one is the one with the latest date (YYYY-MM-DD, so text order
// is date order). T has the members `id` and `date`.
#pragma once
#include <algorithm>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "domain/error.hpp"

namespace sengen {

// Whether `id` may name a version of content or an entry in it (an edition, a policy template's
// asset or suggestion): 1 to 32 ASCII letters, digits, '-', '_' or '.'. Such ids are stored with
// what was agreed to or answered, and appear in URLs.
inline bool valid_content_id(std::string_view id) {
    if (id.empty() || id.size() > 32) return false;
    return std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '_' ||
               c == '.';
    });
}

template <typename T>
class Versions {
public:
    // `kind` names one version in the problems reported ("questionnaire edition"): an id used
    // twice, or no version at all.
    static Result<Versions> build(std::vector<T> items, std::string_view kind) {
        Versions v;
        std::string problems;
        for (auto& item : items) {
            if (v.items_.count(item.id)) {
                problems += std::string(kind) + " '" + item.id + "' is defined twice\n";
                continue;
            }
            if (v.current_.empty() || item.date > v.items_.at(v.current_).date) v.current_ = item.id;
            const std::string id = item.id;
            v.items_.emplace(id, std::move(item));
        }
        if (v.items_.empty()) problems += "no " + std::string(kind) + " found\n";
        if (!problems.empty()) {
            Error e = Error::invalid({{"content", "invalid"}}, "content.invalid");
            e.detail = problems;
            return fail(std::move(e));
        }
        return v;
    }

    const T& current() const { return items_.at(current_); }
    const T* find(std::string_view id) const {
        auto it = items_.find(id);
        return it == items_.end() ? nullptr : &it->second;
    }
    const std::map<std::string, T, std::less<>>& all() const { return items_; }

private:
    std::map<std::string, T, std::less<>> items_;
    std::string current_;
};

}  // namespace sengen
