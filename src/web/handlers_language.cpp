// The language switch: a plain link (GET /lang/{code}?next=PATH) that only sets a preference.
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

LangSwitch posted_lang_switch(Context& ctx) {
    if (ctx.req.method != Method::Post) return LangSwitch::None;
    auto code = first(ctx.req.form_params(), "switch_lang");
    if (!code) return LangSwitch::None;
    auto chosen = i18n::from_code(*code);
    if (!chosen) return LangSwitch::None;
    ctx.switch_lang(*chosen);
    return LangSwitch::Posted;
}

LangSwitch queried_lang_switch(Context& ctx) {
    if (ctx.req.method != Method::Get) return LangSwitch::None;
    auto code = first(ctx.req.query_params(), "switch_lang");
    if (!code) return LangSwitch::None;
    auto chosen = i18n::from_code(*code);
    if (!chosen) return LangSwitch::None;
    ctx.switch_lang(*chosen);
    return LangSwitch::Posted;
}

}  // namespace sengen::web::handlers
