#include "cre2.h"

#include <re2/re2.h>

#include <cstring>
#include <new>

struct cre2_regex {
    RE2 re;
    cre2_regex(const re2::StringPiece &pattern, const RE2::Options &options) : re(pattern, options) {}
};

extern "C" cre2_regex *cre2_compile(const char *pattern, size_t length, char *error, size_t error_capacity) {
    RE2::Options options;
    options.set_log_errors(false);
    options.set_dot_nl(true);
    cre2_regex *r = new (std::nothrow) cre2_regex(re2::StringPiece(pattern, length), options);
    if (r == nullptr) {
        if (error_capacity > 0) std::strncpy(error, "out of memory", error_capacity - 1), error[error_capacity - 1] = 0;
        return nullptr;
    }
    if (!r->re.ok()) {
        if (error_capacity > 0) {
            std::strncpy(error, r->re.error().c_str(), error_capacity - 1);
            error[error_capacity - 1] = 0;
        }
        delete r;
        return nullptr;
    }
    return r;
}

extern "C" int cre2_full_match(const cre2_regex *regex, const char *text, size_t length) {
    return RE2::FullMatch(re2::StringPiece(text, length), regex->re) ? 1 : 0;
}

extern "C" void cre2_free(cre2_regex *regex) { delete regex; }
