// SMTP submission through libcurl. libcurl speaks the protocol, STARTTLS and AUTH; the message
// text (headers included) is ours: libcurl sends it as given and encodes nothing (RFC 2047 is ours).
#include "mail/transport_smtp.hpp"

#include <curl/curl.h>

#include <algorithm>

#include "net/curl_init.hpp"

namespace sengen::mail {

namespace {

struct Upload {
    const std::string* text;
    std::size_t offset = 0;
};

std::size_t read_message(char* buffer, std::size_t size, std::size_t count, void* user) {
    auto* up = static_cast<Upload*>(user);
    const std::size_t n = std::min(size * count, up->text->size() - up->offset);
    std::copy_n(up->text->data() + up->offset, n, buffer);  // bytes, not a C string
    up->offset += n;
    return n;
}

// RFC 4954 §6 replies about authentication (530, 534, 535, 538) mean our settings are wrong,
// not the message: worth retrying once the operator fixes them. Other 5xx replies refuse the
// message itself (RFC 5321 §4.2.1: "permanent negative completion").
bool permanent_refusal(long code) {
    return code >= 500 && code < 600 && code != 530 && code != 534 && code != 535 && code != 538;
}

}  // namespace

SmtpTransport::SmtpTransport(SmtpSettings s) : s_(std::move(s)) {
    const std::string host = s_.host.find(':') != std::string::npos ? "[" + s_.host + "]" : s_.host;
    url_ = std::string(s_.implicit_tls ? "smtps://" : "smtp://") + host + ":" + std::to_string(s_.port);
    net::init_curl_once();
}

std::string SmtpTransport::describe() const {
    std::string d = url_;
    if (s_.implicit_tls)
        d += " (implicit TLS)";
    else
        d += s_.require_starttls ? " (STARTTLS required)" : " (plain, loopback)";
    if (!s_.user.empty()) d += " with AUTH";
    if (!s_.ca_file.empty()) d += ", CA file " + s_.ca_file;
    return d;
}

Status SmtpTransport::send(const Envelope& e) {
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
    if (!curl) return fail(Error::unavailable("mail.smtp", "smtp: cannot create a libcurl handle"));
    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> rcpt(
        curl_slist_append(nullptr, ("<" + e.recipient + ">").c_str()), &curl_slist_free_all);
    const std::string from = "<" + s_.sender + ">";
    Upload up{&e.message};
    char errbuf[CURL_ERROR_SIZE] = "";

    CURL* h = curl.get();
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(h, CURLOPT_URL, url_.c_str());
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, static_cast<long>(s_.connect_timeout.count()));
    curl_easy_setopt(h, CURLOPT_TIMEOUT, static_cast<long>(s_.timeout.count()));
    if (!s_.implicit_tls)
        curl_easy_setopt(h, CURLOPT_USE_SSL, static_cast<long>(s_.require_starttls ? CURLUSESSL_ALL : CURLUSESSL_NONE));
    // Never weakened, not even for tests: a private CA is trusted through smtp-ca-file instead.
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!s_.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, s_.ca_file.c_str());
    if (!s_.user.empty()) {
        curl_easy_setopt(h, CURLOPT_USERNAME, s_.user.c_str());
        curl_easy_setopt(h, CURLOPT_PASSWORD, s_.password.c_str());
    }
    curl_easy_setopt(h, CURLOPT_MAIL_FROM, from.c_str());
    curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt.get());
    curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(h, CURLOPT_READFUNCTION, &read_message);
    curl_easy_setopt(h, CURLOPT_READDATA, &up);
    curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(e.message.size()));

    const CURLcode rc = curl_easy_perform(h);
    if (rc == CURLE_OK) return {};
    long code = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
    // libcurl's messages name the step and the reply code ("RCPT failed: 550"); they never
    // contain the password or the message.
    std::string reason = "smtp: " + std::string(errbuf[0] ? errbuf : curl_easy_strerror(rc));
    if (code > 0) reason += " (last reply " + std::to_string(code) + ")";
    if (permanent_refusal(code) && rc != CURLE_LOGIN_DENIED && rc != CURLE_USE_SSL_FAILED) {
        Error refused = Error::invalid({{"recipient", "refused"}}, "mail.refused");
        refused.detail = reason;
        return fail(std::move(refused));
    }
    return fail(Error::unavailable("mail.smtp", reason));
}

}  // namespace sengen::mail
