// Supporters on My Page (issue 13 point 6, ADR 42): the owner invites someone by e-mail, sees who
// supports the declaration, ends a support or cancels an invitation; the invitee follows the
// mailed link and accepts; a supporter's My Page lists the businesses it helps. Who may do what is
// decided by app::act_on, never here.
#include <charconv>

#include "domain/error_codes.hpp"
#include "domain/subsidy/readiness.hpp"
#include "web/errors.hpp"
#include "web/flash.hpp"
#include "web/forms.hpp"
#include "web/handlers.hpp"
#include "web/link_token.hpp"
#include "web/policy_view.hpp"
#include "web/supporters_view.hpp"

namespace sengen::web {

namespace {

using K = FieldSpec::Kind;

constexpr support::Right kRights[] = {support::Right::EditDetails, support::Right::PrepareTwoStar};

std::string right_code(support::Right r) { return support::to_string(support::Rights().with(r)); }

std::string level_text(const Context& ctx, int level) {
    const auto& c = ctx.services.registry.content();
    level = std::max(1, std::min(level, c.max_level()));
    return c.level(level).stars + " " + c.level(level).name.in(ctx.lang);
}

std::optional<std::int64_t> id_param(const Context& ctx, std::string_view name) {
    const std::string text = ctx.param(name);
    std::int64_t v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size() || v <= 0) return std::nullopt;
    return v;
}

std::optional<DeclarationId> id_from_path(const Context& ctx) {
    const std::string typed = ctx.param("id");
    auto parsed = DeclarationId::parse(typed);
    if (!parsed.id || parsed.id->digits() != typed) return std::nullopt;
    return *parsed.id;
}

std::string date_text(const Context& ctx, TimePoint t) { return dates::display_japan_date(ctx.lang, t); }

}  // namespace

namespace supporters {

std::string rights_text(const Context& ctx, support::Rights rights) {
    if (rights.empty()) return ctx.text("supporters.rights.none");
    std::string out;
    for (auto r : kRights)
        if (rights.has(r))
            out += (out.empty()                  ? ""
                    : ctx.lang == i18n::Lang::Ja ? "、"
                                                 : ", ") +
                   ctx.text("supporters.rights." + right_code(r));
    return out;
}

std::string actor_text(const Context& ctx, const std::string& actor, std::int64_t viewer, const Names& names) {
    constexpr std::string_view kSupporter = "supporter:";
    if (actor.rfind(kSupporter, 0) != 0) return ctx.text("supporters.by.owner");
    std::int64_t id = 0;
    const auto digits = std::string_view(actor).substr(kSupporter.size());
    std::from_chars(digits.data(), digits.data() + digits.size(), id);
    if (id == viewer) return ctx.text("supporters.by.you");
    if (auto it = names.find(id); it != names.end())
        return ctx.services.catalogue.format(ctx.lang, "supporters.by.named", {{"email", it->second}});
    return ctx.text("supporters.by.someone");
}

Result<Names> add_to_declaration_page(Context& ctx, std::int64_t owner, const Declaration& d, mustache::data& v) {
    if (!ctx.services.supporters || !d.public_id) return Names{};
    auto overview = ctx.services.supporters->overview(owner, *d.public_id);
    if (!overview) return fail(overview.error());
    const std::string base = "/mypage/declarations/" + d.public_id->digits();
    Names names;
    mustache::data live{mustache::data::type::list};
    for (const auto& s : overview->supports) {
        names[s.account_id] = s.email;
        if (s.ended_at) continue;
        mustache::data r{mustache::data::type::object};
        r.set("email", s.email);
        r.set("rights", rights_text(ctx, s.rights));
        r.set("since", date_text(ctx, s.started_at));
        r.set("end_url", base + "/supporters/" + std::to_string(s.id) + "/end");
        live.push_back(r);
    }
    mustache::data pending{mustache::data::type::list};
    for (const auto& i : overview->invitations) {
        mustache::data r{mustache::data::type::object};
        r.set("email", i.email);
        r.set("rights", rights_text(ctx, i.rights));
        r.set("sent", date_text(ctx, i.created_at));
        r.set("cancel_url", base + "/invitations/" + std::to_string(i.id) + "/cancel");
        pending.push_back(r);
    }
    mustache::data section{mustache::data::type::object};
    if (!live.is_empty_list()) section.set("supporters", live);
    if (!pending.is_empty_list()) section.set("invitations", pending);
    if (live.is_empty_list() && pending.is_empty_list()) section.set("none", true);
    if (support::may_invite(d.state.status)) section.set("invite_url", base + "/supporters/invite");
    v.set("support_section", section);
    return names;
}

Status add_prepare_section(Context& ctx, std::int64_t account, const Declaration& d, const support::Access& access,
                           mustache::data& v) {
    // A stopped or revoked declaration is not getting ready for anything.
    if (!d.public_id || !lifecycle::is_live(d.state.status)) return {};
    mustache::data section{mustache::data::type::object};
    if (support::two_star_path(access) == support::TwoStarPath::Prepare && ctx.services.preparing) {
        section.set("may_prepare", true);
        const std::string base = "/mypage/declarations/" + d.public_id->digits();
        auto policies = ctx.services.preparing->policies(account, *d.public_id);
        if (!policies) return fail(policies.error());
        mustache::data list{mustache::data::type::list};
        for (const auto& p : *policies) {
            mustache::data r{mustache::data::type::object};
            r.set("name", p.draft.business_name.empty() ? d.details.business_name : p.draft.business_name);
            r.set("status",
                  policy::is_public(p.status)
                      ? ctx.services.catalogue.format(
                            ctx.lang, "policy.status_line.published",
                            {{"version", policy_view::version_label(ctx.services.catalogue, ctx.lang, p.versions)}})
                      : ctx.text("policy.status_line." + std::string(to_string(p.status))));
            r.set("edit_url", base + "/policies/" + std::to_string(p.id));
            list.push_back(r);
        }
        if (list.is_empty_list())
            section.set("no_policies", true);
        else
            section.set("policies", list);
        section.set("start_url", base + "/policies");
    }
    v.set("prepare_section", section);
    return {};
}

Status add_to_mypage(Context& ctx, std::int64_t account, mustache::data& v) {
    if (!ctx.services.supporters) return {};
    auto supported = ctx.services.supporters->supported_by(account);
    if (!supported) return fail(supported.error());
    if (supported->empty()) return {};
    const auto cat = ctx.services.subsidies ? ctx.services.subsidies->current() : nullptr;
    mustache::data list{mustache::data::type::list};
    for (const auto& [d, s] : *supported) {
        if (!d.public_id) continue;
        mustache::data item{mustache::data::type::object};
        const std::string url = "/mypage/declarations/" + d.public_id->digits();
        item.set("business_name", d.details.business_name);
        item.set("id_grouped", d.public_id->grouped());
        item.set("detail_url", url);
        item.set("level", level_text(ctx, d.state.level));
        item.set("status", ctx.text("status." + std::string(lifecycle::to_string(d.state.status))));
        item.set("status_class", std::string(lifecycle::to_string(d.state.status)));
        item.set("rights", rights_text(ctx, s.rights));
        // Where the supporter prepares the ★★ evidence (ADR 48); the business steps up itself.
        if (support::two_star_path({support::Role::Supporter, s.rights}) == support::TwoStarPath::Prepare &&
            lifecycle::is_live(d.state.status))
            item.set("prepare_url", url + "#prepare-title");
        if (cat) {
            // Readiness in one line: how many programmes of the catalogue this declaration meets.
            const auto facts = subsidy::facts_of(d.state);
            std::size_t met = 0, total = 0;
            for (const auto& p : cat->programmes()) {
                ++total;
                if (subsidy::assess(p, facts).verdict == subsidy::Verdict::Met) ++met;
            }
            item.set("readiness",
                     ctx.services.catalogue.format(ctx.lang, "subsidies.supporter_readiness",
                                                   {{"met", std::to_string(met)}, {"total", std::to_string(total)}}));
            item.set("readiness_url", url + "/subsidies");
        }
        list.push_back(item);
    }
    v.set("supported", list);
    v.set("has_supported", true);
    return {};
}

}  // namespace supporters

namespace handlers {

namespace {

const FieldSpec kEmailField{"supporter_email", K::Email, true, "off", "email", 254, nullptr, ""};

Response invite_form(Context& ctx, const Declaration& d, const FormValues& values, support::Rights rights,
                     const std::vector<FieldError>& errors) {
    auto csrf = ctx.csrf_token();
    if (!csrf) return error_response(ctx, csrf.error());
    mustache::data v{mustache::data::type::object};
    v.set("page_title", ctx.text("supporters.invite.title"));
    v.set("csrf", *csrf);
    v.set("business_name", d.details.business_name);
    v.set("detail_url", "/mypage/declarations/" + d.public_id->digits());
    v.set("action", ctx.req.path);
    v.set("field", field_view(ctx, kEmailField, values, errors));
    mustache::data options{mustache::data::type::list};
    for (auto r : kRights) {
        mustache::data o{mustache::data::type::object};
        o.set("value", right_code(r));
        o.set("label", ctx.text("supporters.rights." + right_code(r)));
        if (rights.has(r)) o.set("checked", true);
        options.push_back(o);
    }
    v.set("rights", options);
    v.set("lang_switch_form", lang_switch_button("invite-form", ctx.req.path));
    if (!errors.empty()) {
        v.set("has_errors", true);
        v.set("errors", error_list(ctx, errors));
    }
    return ctx.page(errors.empty() ? 200 : 422, "supporters_invite", std::move(v));
}

}  // namespace

Response mypage_supporter_invite(Context& ctx) {
    if (!ctx.services.supporters) return status_response(ctx, 404);
    auto account = ctx.account_id();
    if (!account) return sign_in_first(ctx.req.path);
    auto id = id_from_path(ctx);
    if (!id) return error_response(ctx, Error::not_found(codes::kDeclarationNotFound));
    auto acting = ctx.services.declarations.acting(*account, *id, support::Action::ManageSupport);
    if (!acting) return error_response(ctx, acting.error());
    const Declaration& d = acting->declaration;
    if (!support::may_invite(d.state.status))
        return error_response(ctx, Error::illegal_transition("declaration.not_declared"));
    // Both ticked at first: the owner unticks what it keeps for itself.
    if (ctx.req.method == Method::Get) return invite_form(ctx, d, FormValues::object(), support::default_rights(), {});
    const auto posted = ctx.req.form_params();
    FormValues values = FormValues::object();
    read_fields(posted, {kEmailField}, values);
    support::Rights rights;
    for (const auto& [name, value] : posted)
        if (name == "rights")
            for (auto r : kRights)
                if (value == right_code(r)) rights = rights.with(r);
    if (posted_lang_switch(ctx) == LangSwitch::Posted) return invite_form(ctx, d, values, rights, {});
    auto ok = ctx.services.supporters->invite(*account, *id, value_of(values, "supporter_email"), rights, ctx.caller());
    if (!ok) {
        if (ok.error().kind == Error::Kind::Invalid) return invite_form(ctx, d, values, rights, ok.error().fields);
        return error_response(ctx, ok.error());
    }
    set_flash(ctx, "supporters.flash.invited");
    return redirect("/mypage/declarations/" + id->digits());
}

Response mypage_supporter_end(Context& ctx) {
    if (!ctx.services.supporters) return status_response(ctx, 404);
    auto account = ctx.account_id();
    if (!account) return sign_in_first(ctx.req.path);
    auto id = id_from_path(ctx);
    auto support_id = id_param(ctx, "support");
    if (!id || !support_id) return error_response(ctx, Error::not_found(codes::kDeclarationNotFound));
    if (auto ok = ctx.services.supporters->end(*account, *id, *support_id, ctx.caller()); !ok)
        return error_response(ctx, ok.error());
    set_flash(ctx, "supporters.flash.ended");
    return redirect("/mypage/declarations/" + id->digits());
}

Response mypage_invitation_cancel(Context& ctx) {
    if (!ctx.services.supporters) return status_response(ctx, 404);
    auto account = ctx.account_id();
    if (!account) return sign_in_first(ctx.req.path);
    auto id = id_from_path(ctx);
    auto invitation = id_param(ctx, "invitation");
    if (!id || !invitation) return error_response(ctx, Error::not_found(codes::kDeclarationNotFound));
    if (auto ok = ctx.services.supporters->cancel(*account, *id, *invitation, ctx.caller()); !ok)
        return error_response(ctx, ok.error());
    set_flash(ctx, "supporters.flash.cancelled");
    return redirect("/mypage/declarations/" + id->digits());
}

namespace {

Response invitation_unknown(Context& ctx, const Error& e) {
    if (e.code != codes::kSupportInvitationUnknown) return error_response(ctx, e);
    return ctx.message_page(404, {.title = ctx.text("supporters.accept.unknown.title"),
                                  .body = ctx.text("supporters.accept.unknown.body"),
                                  .link = "/signin",
                                  .link_text = ctx.text("supporters.accept.unknown.signin"),
                                  .noindex = true});
}

}  // namespace

// The link mailed to the invitee: a page with a button, so that a mail scanner fetching the URL
// accepts nothing.
Response support_invitation_show(Context& ctx) {
    if (!ctx.services.supporters) return status_response(ctx, 404);
    auto pending = ctx.services.supporters->invitation_for(link_token(ctx));
    if (!pending) return invitation_unknown(ctx, pending.error());
    auto csrf = ctx.csrf_token();
    if (!csrf) return error_response(ctx, csrf.error());
    mustache::data v{mustache::data::type::object};
    v.set("page_title", ctx.text("supporters.accept.title"));
    v.set("csrf", *csrf);
    v.set("business_name", pending->declaration.details.business_name);
    if (pending->declaration.public_id) v.set("id_grouped", pending->declaration.public_id->grouped());
    v.set("email", pending->invitation.email);
    v.set("rights", supporters::rights_text(ctx, pending->invitation.rights));
    v.set("expires", dates::display_japan_date(ctx.lang, pending->invitation.expires_at));
    set_link_form(ctx, v, "/support", "support-form");
    v.set("noindex", true);
    return ctx.page(200, "supporters_accept", std::move(v));
}

Response support_invitation_accept(Context& ctx) {
    if (!ctx.services.supporters) return status_response(ctx, 404);
    auto accepted = ctx.services.supporters->accept(link_token(ctx), ctx.caller());
    if (!accepted) return invitation_unknown(ctx, accepted.error());
    // Following the link proves the address: the supporter is signed in as its own account.
    if (auto ok = ctx.sign_in(accepted->account_id); !ok) return error_response(ctx, ok.error());
    set_flash(ctx, "supporters.flash.accepted");
    return redirect(accepted->declaration.public_id
                        ? "/mypage/declarations/" + accepted->declaration.public_id->digits()
                        : std::string("/mypage"));
}

}  // namespace handlers

}  // namespace sengen::web
