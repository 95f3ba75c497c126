// Path patterns ("/verify/{id}") to handlers. The table itself is in routes.cpp: one place lists
// every route. The route's pattern is its name in logs and metrics, so no raw path (which may hold
// a token or an ID) reaches them.
#pragma once
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "web/http.hpp"

namespace sengen::web {

struct Context;
using Handler = std::function<Response(Context&)>;
// Answers a slow route's request when it can do so cheaply (a PDF already made and kept), or
// returns nullopt to let the slow handler make it on the pool.
using QuickHandler = std::function<std::optional<Response>(Context&)>;

// Slow: takes long enough (a PDF: tenths of a second) to be handled off the event loop, so that
// the other connections of its thread are not held up (web/server.cpp).
enum class Speed { Fast, Slow };

// Which POSTs outside /api/ may come without the CSRF token. OneClickUnsubscribe: a mail program's
// one-click unsubscription (RFC 8058 §3.2), whose body is exactly "List-Unsubscribe=One-Click" and
// which carries no cookie; the secret token in the route's path is what authorises it, so a site
// that does not know the token cannot forge the request.
enum class Csrf { Required, OneClickUnsubscribe };

struct Route {
    Method method;
    std::string pattern;
    Handler handler;
    Speed speed = Speed::Fast;
    QuickHandler quick = {};  // Slow routes only: tried on the event loop first
    Csrf csrf = Csrf::Required;
};

// Where a request goes. Made once per request and carried from the HTTP adapter (which needs to
// know whether the route is slow) to the pipeline. It points into the router's table, so it is
// valid as long as the router.
struct Match {
    const Route* route = nullptr;                             // null: no route
    std::vector<std::pair<std::string, std::string>> params;  // {name} -> decoded segment
    std::vector<Method> allowed;                              // when the path matched another method only
    std::string_view pattern;                                 // the pattern the path matched, if any

    bool slow() const { return route && route->speed == Speed::Slow; }
};

class Router {
public:
    explicit Router(std::vector<Route> routes);
    Match match(Method m, std::string_view path) const;
    const std::vector<Route>& routes() const { return routes_; }

    // One segment of a pattern: "verify" (literal), "{id}" (param) or "{file...}" (rest).
    struct Segment {
        enum class Kind { Literal, Param, Rest } kind;
        std::string text;  // the literal, or the parameter's name
    };

private:
    std::vector<Route> routes_;
    std::vector<std::vector<Segment>> segments_;  // each route's pattern, split once
    // The routes a path can match, by its first segment, in table order: those whose pattern starts
    // with that literal and those whose pattern starts with a parameter. A path whose first segment
    // no pattern starts with can match only the latter (`any_first_`).
    std::map<std::string, std::vector<std::size_t>, std::less<>> by_first_;
    std::vector<std::size_t> any_first_;
};

}  // namespace sengen::web
