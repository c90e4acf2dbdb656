/* SPDX-License-Identifier: BSD-2-Clause */
/* HTTP check decisions: expected status, body match, transfer outcome. */

#include <errno.h>

#include "http_priv.h"

#ifndef REG_STARTEND
#error "the body match needs regexec's REG_STARTEND (glibc, BSD libcs)"
#endif

bool
checker_http_status_ok(const struct conf_status_range *r, size_t n, long status)
{
	if (n == 0)
		return status >= 200 && status <= 299;
	for (size_t i = 0; i < n; i++)
		if (status >= r[i].lo && status <= r[i].hi)
			return true;
	return false;
}

int
checker_http_body_compile(regex_t *re, const char *pattern)
{
	return regcomp(re, pattern, REG_EXTENDED | REG_NOSUB | REG_NEWLINE);
}

bool
checker_http_body_match(const regex_t *re, const char *buf, size_t len)
{
	regmatch_t m[1];

	if (buf == NULL)
		buf = "";
	/* regoff_t is signed: a body past its range cannot be searched. */
	if ((regoff_t)len < 0 || (size_t)(regoff_t)len != len)
		return false;
	m[0].rm_so = 0;
	m[0].rm_eo = (regoff_t)len;
	return regexec(re, buf, 1, m, REG_STARTEND) == 0;
}

static void
classify_connect(long os_errno, struct checker_outcome *o)
{
	switch (os_errno) {
	case ECONNREFUSED:
		o->result = CHECKER_CONNECT_REFUSED;
		break;
	case EHOSTUNREACH:
	case ENETUNREACH:
	case EHOSTDOWN:
	case ENETDOWN:
		o->result = CHECKER_UNREACHABLE;
		break;
	case ETIMEDOUT:
		o->result = CHECKER_TIMEOUT;
		break;
	default:
		o->result = CHECKER_CONNECT_ERROR;
		o->detail = (int)os_errno;
		break;
	}
}

void
checker_http_classify(CURLcode code, long os_errno, bool too_big,
    struct checker_outcome *o)
{
	o->result = CHECKER_INTERNAL;
	o->detail = 0;
	/* The kind's own abort shows up as a write error. */
	if (too_big || code == CURLE_FILESIZE_EXCEEDED) {
		o->result = CHECKER_HTTP_TOO_BIG;
		return;
	}
	switch (code) {
	case CURLE_OK:
		o->result = CHECKER_OK;
		break;
	case CURLE_OPERATION_TIMEDOUT:
		o->result = CHECKER_TIMEOUT;
		break;
	case CURLE_COULDNT_CONNECT:
	case CURLE_INTERFACE_FAILED:
		classify_connect(os_errno, o);
		break;
	case CURLE_COULDNT_RESOLVE_HOST:
		/* The name has no address: nothing to connect to. */
		o->result = CHECKER_UNREACHABLE;
		break;
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
		o->result = CHECKER_TLS_VERIFY;
		break;
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CRL_BADFILE:
	case CURLE_SSL_SHUTDOWN_FAILED:
	case CURLE_SSL_ENGINE_NOTFOUND:
	case CURLE_SSL_ENGINE_SETFAILED:
	case CURLE_SSL_ENGINE_INITFAILED:
	case CURLE_SSL_CLIENTCERT:
	case CURLE_USE_SSL_FAILED:
		o->result = CHECKER_TLS_ERROR;
		break;
	case CURLE_UNSUPPORTED_PROTOCOL: /* HTTP/0.9: no status line */
	case CURLE_WEIRD_SERVER_REPLY:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_BAD_CONTENT_ENCODING:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
	case CURLE_HTTP3:
	case CURLE_RANGE_ERROR:
	case CURLE_TOO_MANY_REDIRECTS:
		o->result = CHECKER_HTTP_PROTOCOL;
		break;
	case CURLE_OUT_OF_MEMORY:
		o->detail = ENOMEM;
		break;
	default:
		break;
	}
}
