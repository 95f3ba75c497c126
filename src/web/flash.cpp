#include "web/flash.hpp"

namespace sengen::web {

void set_flash(Context& ctx, const std::string& message_id) {
    auto data = ctx.session_data();
    data["flash"] = message_id;
    (void)ctx.save_session_data(data);
}

void take_flash(Context& ctx, mustache::data& page) {
    auto data = ctx.session_data();
    if (!data.contains("flash") || !data["flash"].is_string()) return;
    page.set("flash", ctx.text(data["flash"].get<std::string>()));
    data.erase("flash");
    (void)ctx.save_session_data(data);
}

}  // namespace sengen::web
