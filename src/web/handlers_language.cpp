// The language switch: a plain link (GET /lang/{code}?next=PATH) that only sets a preference, or,
// on a page with a form, a button of that form that sends what was typed along with the choice.
#include "web/errors.hpp"
#include "web/handlers.hpp"

namespace sengen::web::handlers {

// Remembers the language and sends the visitor back to `next` when it is a path on this site.
Response switch_language(Context& ctx) {
    auto chosen = i18n::from_code(ctx.param("code"));
    if (!chosen) return status_response(ctx, 404);
    ctx.switch_lang(*chosen);
    return redirect(safe_local_path(first(ctx.req.query_params(), "next").value_or("/"), "/"));
}

namespace {

// The switch_lang field of a form sent with `method` (its body for POST, its query for GET).
LangSwitch form_lang_switch(Context& ctx, Method method) {
    if (ctx.req.method != method) return LangSwitch::None;
    auto code = first(method == Method::Post ? ctx.req.form_params() : ctx.req.query_params(), "switch_lang");
    if (!code) return LangSwitch::None;
    auto chosen = i18n::from_code(*code);
    if (!chosen) return LangSwitch::None;
    ctx.switch_lang(*chosen);
    return LangSwitch::Posted;
}

}  // namespace

LangSwitch posted_lang_switch(Context& ctx) { return form_lang_switch(ctx, Method::Post); }

LangSwitch queried_lang_switch(Context& ctx) { return form_lang_switch(ctx, Method::Get); }

mustache::data lang_switch_button(const std::string& form_id, const std::string& action) {
    mustache::data d{mustache::data::type::object};
    d.set("form", form_id);
    d.set("action", action);
    return d;
}

}  // namespace sengen::web::handlers
