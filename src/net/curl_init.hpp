// libcurl's global set-up, shared by every adapter that uses it (SMTP mail, HTTP fetches).
#pragma once

namespace sengen::net {

// curl_global_init is not thread-safe: every user calls this, which runs it once, before the
// first handle is made.
void init_curl_once();

}  // namespace sengen::net
