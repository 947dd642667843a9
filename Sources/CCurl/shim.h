// libcurl's easy interface for Swift: curl_easy_setopt is variadic, which Swift cannot call, so each
// kind of option gets a typed wrapper here.
#include <curl/curl.h>

typedef size_t (*registratura_curl_read_callback)(char *buffer, size_t size, size_t count, void *user);

static inline CURLcode registratura_curl_set_long(CURL *curl, CURLoption option, long value) { return curl_easy_setopt(curl, option, value); }
static inline CURLcode registratura_curl_set_string(CURL *curl, CURLoption option, const char *value) { return curl_easy_setopt(curl, option, value); }
static inline CURLcode registratura_curl_set_pointer(CURL *curl, CURLoption option, void *value) { return curl_easy_setopt(curl, option, value); }
static inline CURLcode registratura_curl_set_list(CURL *curl, CURLoption option, struct curl_slist *value) { return curl_easy_setopt(curl, option, value); }
static inline CURLcode registratura_curl_set_read(CURL *curl, registratura_curl_read_callback callback) { return curl_easy_setopt(curl, CURLOPT_READFUNCTION, callback); }
static inline CURLcode registratura_curl_response_code(CURL *curl, long *code) { return curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, code); }
