// Password policy and Argon2id hashing for operators.
#include "app/passwords.hpp"

#include <sodium.h>

#include <algorithm>
#include <chrono>

#include "domain/text.hpp"
#include "embedded/embedded.hpp"

namespace sengen::app {

namespace {

// OWASP's password storage guidance asks for at least 19 MiB and 2 passes of Argon2id; 64 MiB
// and 2 passes take about a quarter of a second on a small server.
constexpr unsigned long long kOpsLimit = 2;
constexpr std::size_t kMemLimit = std::size_t{64} * 1024 * 1024;
constexpr auto kWaitForSlot = std::chrono::seconds(5);

std::string ascii_lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c); });
    return out;
}

// The names of the software and of the programme it runs, in the spellings people type. Each is
// the first word a guesser tries against any account of this site.
constexpr std::string_view kContextWords[] = {"sengen",   "securityaction",   "security action", "security-action",
                                              "自己宣言", "セキュリティ対策", "せんげん",        "宣言"};

// Words shorter than this, taken from an address, refuse nothing: "ab@example.jp" would
// otherwise forbid every password holding "ab".
constexpr std::size_t kContextWordMin = 4;

Error field_error(const std::string& field, const std::string& code) {
    return Error::invalid({{field, code}}, "operator.password_rejected");
}

}  // namespace

PasswordPolicy PasswordPolicy::embedded() {
    auto text = embedded::find("content/passwords/common-1.txt");
    return PasswordPolicy(text.value_or(std::string_view{}));
}

PasswordPolicy::PasswordPolicy(std::string_view list_text) {
    std::size_t start = 0;
    while (start < list_text.size()) {
        auto end = list_text.find('\n', start);
        if (end == std::string_view::npos) end = list_text.size();
        auto line = list_text.substr(start, end - start);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (!line.empty() && line.front() != '#') common_.insert(ascii_lower(line));
        start = end + 1;
    }
}

Status PasswordPolicy::check(std::string_view password, std::string_view email, const std::string& field) const {
    if (password.size() > kPasswordMaxBytes) return fail(field_error(field, "too_long"));
    if (text::length(password) < kPasswordMinLength) return fail(field_error(field, "too_short"));
    const auto lowered = ascii_lower(password);
    if (common_.contains(lowered)) return fail(field_error(field, "common"));
    if (!email.empty() && lowered == ascii_lower(email)) return fail(field_error(field, "same_as_email"));
    for (const auto& word : context_words(email))
        if (lowered.find(word) != std::string::npos) return fail(field_error(field, "context"));
    return {};
}

std::vector<std::string> PasswordPolicy::context_words(std::string_view email) {
    std::vector<std::string> out(std::begin(kContextWords), std::end(kContextWords));
    const auto at = email.rfind('@');
    if (at == std::string_view::npos) return out;
    const auto local = email.substr(0, at);
    auto domain = email.substr(at + 1);
    domain = domain.substr(0, domain.find('.'));
    for (auto part : {local, domain})
        if (text::length(part) >= kContextWordMin) out.push_back(ascii_lower(part));
    return out;
}

PasswordHasher::PasswordHasher(int concurrent) : slots_(std::clamp(concurrent, 1, 64)) {
    char out[crypto_pwhash_STRBYTES];
    const std::string seed = "not a password anyone has";
    if (crypto_pwhash_str_alg(out, seed.data(), seed.size(), kOpsLimit, kMemLimit, crypto_pwhash_ALG_ARGON2ID13) == 0)
        dummy_ = out;
}

Result<std::string> PasswordHasher::hash(std::string_view password) {
    if (!slots_.try_acquire_for(kWaitForSlot)) return fail(Error::unavailable("operator.busy", "argon2 slots busy"));
    char out[crypto_pwhash_STRBYTES];
    const int rc = crypto_pwhash_str_alg(out, password.data(), password.size(), kOpsLimit, kMemLimit,
                                         crypto_pwhash_ALG_ARGON2ID13);
    slots_.release();
    if (rc != 0) return fail(Error::unavailable("operator.busy", "argon2 out of memory"));
    return std::string(out);
}

Result<bool> PasswordHasher::verify(std::string_view password, const std::string& stored) {
    if (!slots_.try_acquire_for(kWaitForSlot)) return fail(Error::unavailable("operator.busy", "argon2 slots busy"));
    const std::string& against = stored.empty() ? dummy_ : stored;
    const bool ok =
        !against.empty() && crypto_pwhash_str_verify(against.c_str(), password.data(), password.size()) == 0;
    slots_.release();
    return ok && !stored.empty();
}

}  // namespace sengen::app
