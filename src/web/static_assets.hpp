// Static files (src/web/static/, embedded) with strong ETags and caching headers.
#pragma once
#include <map>
#include <string>
#include <string_view>

#include "web/http.hpp"

namespace sengen::web {

class StaticAssets {
public:
    StaticAssets();
    // 200 with the file, 304 when If-None-Match matches, 404 when there is no such file.
    Response serve(const Request& req, const std::string& relative_path) const;
    // A short hash of all assets together, added to asset URLs so that a new release is fetched.
    static std::string_view version();

private:
    struct Asset {
        std::string_view bytes;
        std::string etag;
        std::string content_type;
    };
    std::map<std::string, Asset, std::less<>> assets_;
};

}  // namespace sengen::web
