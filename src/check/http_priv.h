/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The pure half of the HTTP check kind (src/check/http_match.c): what
 * counts as an expected status, whether a body matches, and which outcome
 * a finished libcurl transfer is. No I/O, no clock, no logging, no
 * allocation; the glue in http.c collects the values and calls these.
 */

#ifndef VRRPD_HTTP_PRIV_H
#define VRRPD_HTTP_PRIV_H

#include <curl/curl.h>
#include <regex.h>
#include <stdbool.h>
#include <stddef.h>

#include "vrrpd/checker.h"
#include "vrrpd/conf.h"

/*
 * Response bytes read at most when conf_check.max_size is 0: the same
 * value the configuration model defaults to. The limit counts every byte
 * of the response, status line and headers included.
 */
#define CHECKER_HTTP_MAX_SIZE_DEFAULT (64u * 1024u)

/* Timeout of a run when conf_check.timeout_ms is 0 (as the tcp kind). */
#define CHECKER_HTTP_TIMEOUT_DEFAULT_MS 1000u

/*
 * True when status lies in one of the n inclusive ranges r[0..n-1]; with
 * n == 0 (r may then be NULL) the expected statuses are 200-299. A range
 * with lo > hi matches nothing. Statuses outside 0..65535 never match.
 */
bool checker_http_status_ok(const struct conf_status_range *r, size_t n,
    long status);

/*
 * Compile an expect_body pattern into re: POSIX extended syntax, line
 * anchors (REG_NEWLINE: "^" and "$" also match at the start and end of
 * every line of the body, "." does not match a newline). Returns 0, or
 * regcomp's error code (re is then not to be freed). Allocates inside re:
 * free with regfree().
 */
int checker_http_body_compile(regex_t *re, const char *pattern);

/*
 * True when re (from checker_http_body_compile()) matches somewhere in the len bytes at buf.
 * The len bytes are searched whole (REG_STARTEND): buf may hold NUL bytes,
 * which "." and bracket expressions do not match, and libc needs no NUL at
 * buf[len] (ASan's regexec interceptor reads up to one, so http.c keeps
 * one there). buf may be NULL when len is 0 (an empty body).
 */
bool checker_http_body_match(const regex_t *re, const char *buf, size_t len);

/*
 * The outcome of a transfer that libcurl ended with code, without looking
 * at the HTTP status (that is for CURLE_OK, which gives CHECKER_OK here).
 * os_errno is CURLINFO_OS_ERRNO (the errno of a failed connect, else 0);
 * too_big is true when the kind aborted the transfer for passing
 * max_size. Fills o->result and o->detail as checker.h documents them (the
 * errno for CHECKER_CONNECT_ERROR, ENOMEM for CHECKER_INTERNAL when libcurl
 * ran out of memory, else 0: the caller logs libcurl's own message); leaves
 * o->latency_us alone.
 */
void checker_http_classify(CURLcode code, long os_errno, bool too_big,
    struct checker_outcome *o);

/*
 * Load libcurl (src/check/curl_dl.c: it is opened, not linked), once; the
 * curl_* functions may be called only after it returned 0. -1 with the
 * reason in err otherwise.
 */
int curl_dl_load(char *err, size_t errlen);

#endif /* VRRPD_HTTP_PRIV_H */
