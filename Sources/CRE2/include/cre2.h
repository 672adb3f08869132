// A minimal C face of RE2 (Debian's libre2-dev), for Swift: compile once, full-match many times.
#ifndef CRE2_H
#define CRE2_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cre2_regex cre2_regex;

/// Compiles `pattern` (UTF-8, RE2 syntax, `.` matching newlines as in Prometheus 3). Returns NULL
/// on error and copies RE2's message (NUL-terminated, truncated) into `error`.
cre2_regex *cre2_compile(const char *pattern, size_t length, char *error, size_t error_capacity);

/// 1 when the whole of `text` matches, 0 otherwise. Linear in `length`; thread-safe.
int cre2_full_match(const cre2_regex *regex, const char *text, size_t length);

void cre2_free(cre2_regex *regex);

#ifdef __cplusplus
}
#endif

#endif
