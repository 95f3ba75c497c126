// One-time messages that survive a redirect: kept in the server-side session until shown.
#pragma once
#include <string>

#include "web/app.hpp"

namespace sengen::web {

// Keeps the catalogue message `message_id` for the next page.
void set_flash(Context& ctx, const std::string& message_id);

// Puts the kept message (in the page's language) into the page's data as "flash", and forgets it.
void take_flash(Context& ctx, mustache::data& page);

}  // namespace sengen::web
