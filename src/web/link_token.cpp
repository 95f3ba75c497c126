// Tokens of one-time links in the request body instead of the address (ADR 59).
#include "web/link_token.hpp"

#include <algorithm>

#include "domain/text.hpp"
#include "web/errors.hpp"
#include "web/handlers.hpp"

namespace sengen::web {

bool is_link_page(std::string_view pattern) {
    constexpr std::string_view view = "/view";
    if (pattern.size() > view.size() && pattern.substr(pattern.size() - view.size()) == view)
        pattern.remove_suffix(view.size());
    return std::find(kLinkPages.begin(), kLinkPages.end(), pattern) != kLinkPages.end();
}

namespace handlers {

namespace {

bool token_in_path(const Context& ctx) { return !ctx.param("token").empty(); }

// The link page; `missing`: the code was sent empty. `typed`: what the field held when the
// language was switched, shown again.
Response link_page_with(Context& ctx, const std::string& page, const std::string& title_id, bool missing,
                        const std::string& typed = {}) {
    auto csrf = ctx.csrf_token();
    if (!csrf) return error_response(ctx, csrf.error());
    mustache::data v{mustache::data::type::object};
    v.set("page_title", ctx.text(title_id));
    v.set("csrf", *csrf);
    v.set("action", page + "/view");
    v.set("page_script", std::string("link-token.js"));
    v.set("typed", typed);
    v.set("lang_switch_form", lang_switch_button("link-form", page + "/view"));
    v.set("noindex", true);
    if (missing) {
        v.set("error", ctx.text("link.code.missing"));
        v.set("has_errors", true);
        mustache::data item{mustache::data::type::object};
        item.set("href", std::string("#f-token"));
        item.set("label", ctx.text("link.code.label"));
        item.set("message", ctx.text("link.code.missing"));
        mustache::data list{mustache::data::type::list};
        list.push_back(item);
        v.set("errors", list);
    }
    return ctx.page(missing ? 422 : 200, "link_open", std::move(v));
}

}  // namespace

std::string link_token(const Context& ctx) {
    if (token_in_path(ctx)) return ctx.param("token");
    return std::string(text::trim_wide(first(ctx.req.form_params(), "token").value_or(std::string())));
}

std::string link_action(const Context& ctx, const std::string& page) {
    return token_in_path(ctx) ? page + "/" + ctx.param("token") : page;
}

void set_link_form(const Context& ctx, mustache::data& v, const std::string& page, const std::string& form_id) {
    v.set("action", link_action(ctx, page));
    v.set("form_id", form_id);
    if (token_in_path(ctx)) return;
    v.set("link_token", link_token(ctx));
    v.set("lang_switch_form", lang_switch_button(form_id, page + "/view"));
}

Response link_page(Context& ctx, const std::string& page, const std::string& title_id) {
    return link_page_with(ctx, page, title_id, false);
}

Response link_view(Context& ctx, const std::string& page, const std::string& title_id, Response (*show)(Context&)) {
    // The switch of the link page itself shows that page again; the switch of the page the link
    // shows re-sends that page's form here too (set_link_form), which carries the token hidden.
    const bool switched = posted_lang_switch(ctx) == LangSwitch::Posted;
    const auto token = link_token(ctx);
    if (switched && !first(ctx.req.form_params(), "shown")) return link_page_with(ctx, page, title_id, false, token);
    if (token.empty()) return link_page_with(ctx, page, title_id, true);
    return show(ctx);
}

}  // namespace handlers

}  // namespace sengen::web
