// Segment-by-segment matching: literal segments compare exactly, "{name}" takes one segment,
// "{name...}" at the end takes the rest of the path.
#include "web/router.hpp"

#include <algorithm>
#include <cassert>
#include <iterator>

#include "domain/text.hpp"

namespace sengen::web {

namespace {
// The segments of a path, which starts with '/': "/verify/1" gives "verify" and "1".
std::vector<std::string_view> split(std::string_view path) {
    if (path.empty()) return {};
    return text::split(path.substr(1), '/');
}

bool match_segments(const std::vector<Router::Segment>& ps, const std::vector<std::string_view>& xs,
                    std::vector<std::pair<std::string, std::string>>& params) {
    using Kind = Router::Segment::Kind;
    params.clear();
    for (std::size_t i = 0; i < ps.size(); ++i) {
        const auto& p = ps[i];
        if (p.kind == Kind::Rest) {
            std::string rest;
            for (std::size_t j = i; j < xs.size(); ++j) rest += (j > i ? "/" : "") + std::string(xs[j]);
            if (rest.empty()) return false;
            params.emplace_back(p.text, rest);
            return true;
        }
        if (i >= xs.size()) return false;
        if (p.kind == Kind::Param) {
            if (xs[i].empty()) return false;
            params.emplace_back(p.text, std::string(xs[i]));
        } else if (p.text != xs[i]) {
            return false;
        }
    }
    return ps.size() == xs.size();
}
}  // namespace

// The patterns are split when the router is made; a request's path is split once per match.
Router::Router(std::vector<Route> routes) : routes_(std::move(routes)) {
    for (const auto& r : routes_) {
        assert(!r.pattern.empty() && r.pattern.front() == '/');
        std::vector<Segment> segments;
        for (auto p : split(r.pattern)) {
            const bool var = p.size() > 2 && p.front() == '{' && p.back() == '}';
            if (var && p.size() > 5 && p.substr(p.size() - 4) == "...}")
                segments.push_back({Segment::Kind::Rest, std::string(p.substr(1, p.size() - 5))});
            else if (var)
                segments.push_back({Segment::Kind::Param, std::string(p.substr(1, p.size() - 2))});
            else
                segments.push_back({Segment::Kind::Literal, std::string(p)});
        }
        segments_.push_back(std::move(segments));
    }
    for (std::size_t k = 0; k < segments_.size(); ++k) {
        const auto& s = segments_[k];
        if (s.empty() || s.front().kind != Segment::Kind::Literal)
            any_first_.push_back(k);
        else
            by_first_[s.front().text].push_back(k);
    }
    // Each literal's list also holds the parameter-first routes, merged in table order, so that
    // the first match (and the methods a 405 lists) is what a walk of the whole table finds.
    for (auto& [first, ks] : by_first_) {
        std::vector<std::size_t> merged;
        merged.reserve(ks.size() + any_first_.size());
        std::merge(ks.begin(), ks.end(), any_first_.begin(), any_first_.end(), std::back_inserter(merged));
        ks = std::move(merged);
    }
}

Match Router::match(Method m, std::string_view path) const {
    Match out;
    if (path.empty() || path.front() != '/') return out;
    const auto xs = split(path);
    std::vector<std::pair<std::string, std::string>> params;
    const auto bucket = xs.empty() ? by_first_.end() : by_first_.find(xs.front());
    const auto& candidates = bucket == by_first_.end() ? any_first_ : bucket->second;
    for (std::size_t k : candidates) {
        const auto& r = routes_[k];
        if (!match_segments(segments_[k], xs, params)) continue;
        // HEAD is served by the GET handler (the adapter drops the body).
        if (r.method == m || (m == Method::Head && r.method == Method::Get)) {
            out.route = &r;
            out.pattern = r.pattern;
            out.params = std::move(params);
            out.allowed.clear();
            return out;
        }
        out.allowed.push_back(r.method);
        out.pattern = r.pattern;
    }
    return out;
}

}  // namespace sengen::web
