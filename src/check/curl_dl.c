/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libcurl, loaded when the first HTTP check is set up rather than linked:
 * most nodes run no HTTP check, and libcurl's dependency chain (nghttp2,
 * libssh2, librtmp, libidn2, libpsl, GSSAPI, LDAP, ...) costs each daemon
 * about 800 kB of Pss for nothing (docs/benchmarks.md, "Memory").
 *
 * http.c calls the libcurl API as written in <curl/curl.h> (with its
 * compile-time option type checks); the functions here have those names
 * and forward to the library's through dlsym(). Nothing else is exported
 * from the executable, so libcurl never binds to these. The variadic ones
 * pass their one argument on by its type, which libcurl encodes in the
 * option's number, as libcurl itself reads it.
 *
 * curl_dl_load() is the only entry that may run before the library is
 * there; http.c calls it before any other, and refuses the check when it
 * fails, with the loader's reason.
 */

#include <dlfcn.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <curl/curl.h>
/* The names <curl/typecheck-gcc.h> defines as checking macros: here they
 * are the functions. */
#undef curl_easy_setopt
#undef curl_easy_getinfo
#undef curl_multi_setopt

#include "vrrpd/log.h"

#include "http_priv.h"

/* The soname of Debian 12's libcurl4 (and every libcurl since 7.16). */
#define CURL_SONAME "libcurl.so.4"

#define CURL_FNS(X)                 \
	X(curl_global_init)         \
	X(curl_global_cleanup)      \
	X(curl_easy_init)           \
	X(curl_easy_cleanup)        \
	X(curl_easy_setopt)         \
	X(curl_easy_getinfo)        \
	X(curl_easy_strerror)       \
	X(curl_free)                \
	X(curl_multi_init)          \
	X(curl_multi_cleanup)       \
	X(curl_multi_add_handle)    \
	X(curl_multi_remove_handle) \
	X(curl_multi_setopt)        \
	X(curl_multi_assign)        \
	X(curl_multi_info_read)     \
	X(curl_multi_socket_action) \
	X(curl_multi_strerror)      \
	X(curl_slist_append)        \
	X(curl_slist_free_all)      \
	X(curl_url)                 \
	X(curl_url_cleanup)         \
	X(curl_url_get)             \
	X(curl_url_set)

static struct {
#define X(f) __typeof__(f) *f;
	CURL_FNS(X)
#undef X
} fn;

static bool loaded;

int
curl_dl_load(char *err, size_t errlen)
{
	void *h;
	const char *missing = NULL;

	if (loaded)
		return 0;
	if ((h = dlopen(CURL_SONAME, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		const char *e = dlerror();

		snprintf(err, errlen, "cannot load %s: %s", CURL_SONAME,
		    e != NULL ? e : "unknown error");
		return -1;
	}
#define X(f)                                                             \
	if ((*(void **)&fn.f = dlsym(h, #f)) == NULL && missing == NULL) \
		missing = #f;
	CURL_FNS(X)
#undef X
	if (missing != NULL) {
		snprintf(err, errlen, "%s has no %s (libcurl older than 7.62)",
		    CURL_SONAME, missing);
		memset(&fn, 0, sizeof(fn));
		dlclose(h);
		return -1;
	}
	loaded = true; /* never unloaded: libcurl keeps global state */
	log_debug(DBG_CHECK, "checks: %s loaded for the HTTP checks",
	    CURL_SONAME);
	return 0;
}

/*
 * The option's argument by the type its number carries: below
 * CURLOPTTYPE_OBJECTPOINT a long, then a data pointer, a function pointer,
 * a curl_off_t, a blob pointer (curl/curl.h; CURLMOPT_* the same).
 */
#define SETOPT_FORWARD(call, obj, opt, ap)                                 \
	do {                                                               \
		if ((long)(opt) < CURLOPTTYPE_OBJECTPOINT)                 \
			return call(obj, opt, va_arg(ap, long));           \
		if ((long)(opt) < CURLOPTTYPE_FUNCTIONPOINT)               \
			return call(obj, opt, va_arg(ap, void *));         \
		if ((long)(opt) < CURLOPTTYPE_OFF_T)                       \
			return call(obj, opt, va_arg(ap, void (*)(void))); \
		if ((long)(opt) < CURLOPTTYPE_BLOB)                        \
			return call(obj, opt, va_arg(ap, curl_off_t));     \
		return call(obj, opt, va_arg(ap, void *));                 \
	} while (0)

static CURLcode
easy_setopt_va(CURL *e, CURLoption opt, va_list ap)
{
	SETOPT_FORWARD(fn.curl_easy_setopt, e, opt, ap);
}

static CURLMcode
multi_setopt_va(CURLM *m, CURLMoption opt, va_list ap)
{
	SETOPT_FORWARD(fn.curl_multi_setopt, m, opt, ap);
}

CURLcode
curl_easy_setopt(CURL *e, CURLoption opt, ...)
{
	va_list ap;
	CURLcode rc;

	va_start(ap, opt);
	rc = easy_setopt_va(e, opt, ap);
	va_end(ap);
	return rc;
}

CURLMcode
curl_multi_setopt(CURLM *m, CURLMoption opt, ...)
{
	va_list ap;
	CURLMcode rc;

	va_start(ap, opt);
	rc = multi_setopt_va(m, opt, ap);
	va_end(ap);
	return rc;
}

/* Every CURLINFO_* argument is a pointer to where the value goes. */
CURLcode
curl_easy_getinfo(CURL *e, CURLINFO info, ...)
{
	va_list ap;
	void *p;

	va_start(ap, info);
	p = va_arg(ap, void *);
	va_end(ap);
	return fn.curl_easy_getinfo(e, info, p);
}

CURLcode
curl_global_init(long flags)
{
	return fn.curl_global_init(flags);
}

void
curl_global_cleanup(void)
{
	fn.curl_global_cleanup();
}

CURL *
curl_easy_init(void)
{
	return fn.curl_easy_init();
}

void
curl_easy_cleanup(CURL *e)
{
	fn.curl_easy_cleanup(e);
}

const char *
curl_easy_strerror(CURLcode code)
{
	return fn.curl_easy_strerror(code);
}

void
curl_free(void *p)
{
	fn.curl_free(p);
}

CURLM *
curl_multi_init(void)
{
	return fn.curl_multi_init();
}

CURLMcode
curl_multi_cleanup(CURLM *m)
{
	return fn.curl_multi_cleanup(m);
}

CURLMcode
curl_multi_add_handle(CURLM *m, CURL *e)
{
	return fn.curl_multi_add_handle(m, e);
}

CURLMcode
curl_multi_remove_handle(CURLM *m, CURL *e)
{
	return fn.curl_multi_remove_handle(m, e);
}

CURLMcode
curl_multi_assign(CURLM *m, curl_socket_t s, void *p)
{
	return fn.curl_multi_assign(m, s, p);
}

CURLMsg *
curl_multi_info_read(CURLM *m, int *left)
{
	return fn.curl_multi_info_read(m, left);
}

CURLMcode
curl_multi_socket_action(CURLM *m, curl_socket_t s, int mask, int *running)
{
	return fn.curl_multi_socket_action(m, s, mask, running);
}

const char *
curl_multi_strerror(CURLMcode code)
{
	return fn.curl_multi_strerror(code);
}

struct curl_slist *
curl_slist_append(struct curl_slist *l, const char *s)
{
	return fn.curl_slist_append(l, s);
}

void
curl_slist_free_all(struct curl_slist *l)
{
	fn.curl_slist_free_all(l);
}

CURLU *
curl_url(void)
{
	return fn.curl_url();
}

void
curl_url_cleanup(CURLU *u)
{
	fn.curl_url_cleanup(u);
}

CURLUcode
curl_url_get(CURLU *u, CURLUPart what, char **part, unsigned int flags)
{
	return fn.curl_url_get(u, what, part, flags);
}

CURLUcode
curl_url_set(CURLU *u, CURLUPart what, const char *part, unsigned int flags)
{
	return fn.curl_url_set(u, what, part, flags);
}
