// The short browser label a session list shows (see session.hpp).
#include "domain/session.hpp"

#include <array>
#include <utility>

namespace sengen {

namespace {

// Whether `needle` occurs in `haystack`.
bool has(std::string_view haystack, std::string_view needle) { return haystack.find(needle) != std::string_view::npos; }

// Browsers by the token their User-Agent carries. Order matters: Edge, Opera and Samsung Internet
// also say "Chrome", and Chrome also says "Safari", so the more particular names come first.
constexpr std::array<std::pair<std::string_view, std::string_view>, 9> kBrowsers{{
    {"Edg/", "Edge"},
    {"EdgA/", "Edge"},
    {"EdgiOS/", "Edge"},
    {"OPR/", "Opera"},
    {"SamsungBrowser/", "Samsung Internet"},
    {"Firefox/", "Firefox"},
    {"FxiOS/", "Firefox"},
    {"CriOS/", "Chrome"},
    {"Chrome/", "Chrome"},
}};

// Systems, the same way: Android and iOS devices also claim Linux and Mac OS X.
constexpr std::array<std::pair<std::string_view, std::string_view>, 7> kSystems{{
    {"Android", "Android"},
    {"iPhone", "iPhone"},
    {"iPad", "iPad"},
    {"Windows", "Windows"},
    {"CrOS", "ChromeOS"},
    {"Mac OS X", "macOS"},
    {"Linux", "Linux"},
}};

}  // namespace

std::string browser_label(std::string_view ua) {
    std::string_view browser;
    for (const auto& [token, name] : kBrowsers)
        if (has(ua, token)) {
            browser = name;
            break;
        }
    // Safari names no token of its own beyond "Safari/" and "Version/", which the others share.
    if (browser.empty() && has(ua, "Safari/") && has(ua, "Version/")) browser = "Safari";
    std::string_view system;
    for (const auto& [token, name] : kSystems)
        if (has(ua, token)) {
            system = name;
            break;
        }
    if (browser.empty()) return std::string(system);
    if (system.empty()) return std::string(browser);
    return std::string(browser) + " / " + std::string(system);
}

}  // namespace sengen
