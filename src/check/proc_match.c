/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Tracked processes, pure part: keepalived's matching rules, the proc
 * connector decoder, the quorum and delay rules and a pid set.
 */

#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/netlink.h>

#include <stdlib.h>
#include <string.h>

#include "proc_priv.h"

void
checker_proc_rule_init(struct checker_proc_rule *r,
    const struct conf_track_process *tp)
{
	memset(r, 0, sizeof(*r));
	r->process = tp->process != NULL ? tp->process : "";
	r->process_len = strlen(r->process);
	if (tp->params != NULL && tp->params[0] != '\0') {
		r->params = tp->params;
		r->params_len = strlen(tp->params);
	}
	/* keepalived: parameters default to an exact match. */
	if (tp->param_match != NULL && strcmp(tp->param_match, "initial") == 0)
		r->match = CHECKER_PROC_PARAMS_INITIAL;
	else if (tp->param_match != NULL &&
	    strcmp(tp->param_match, "partial") == 0)
		r->match = CHECKER_PROC_PARAMS_PARTIAL;
	else if (r->params != NULL)
		r->match = CHECKER_PROC_PARAMS_EXACT;
	r->full_command =
	    tp->full_command || r->match != CHECKER_PROC_PARAMS_NONE;
}

size_t
checker_proc_rule_need(const struct checker_proc_rule *r)
{
	size_t n = r->process_len + 2;

	if (r->params != NULL)
		n += r->params_len + 1;
	return n;
}

bool
checker_proc_match_comm(const struct checker_proc_rule *r, const char *comm,
    size_t len)
{
	const char *nul;
	size_t want = r->process_len;

	if (r->full_command)
		return false;
	if ((nul = memchr(comm, '\0', len)) != NULL)
		len = (size_t)(nul - comm);
	if (len > 0 && comm[len - 1] == '\n')
		len--;
	if (want > CHECKER_PROC_COMM_MAX)
		want = CHECKER_PROC_COMM_MAX;
	return len == want && memcmp(comm, r->process, want) == 0;
}

/* a (alen bytes, NUL read as a space) starts with the string b. */
static bool
args_prefix(const char *a, size_t alen, const char *b, size_t blen)
{
	if (alen < blen)
		return false;
	for (size_t i = 0; i < blen; i++)
		if (a[i] != b[i] && !(a[i] == '\0' && b[i] == ' '))
			return false;
	return true;
}

bool
checker_proc_match_cmdline(const struct checker_proc_rule *r, const char *buf,
    size_t len)
{
	const char *nul, *args;
	size_t alen;

	if (!r->full_command || len == 0)
		return false;
	nul = memchr(buf, '\0', len);
	if ((nul != NULL ? (size_t)(nul - buf) : len) != r->process_len ||
	    memcmp(buf, r->process, r->process_len) != 0)
		return false;
	if (r->match == CHECKER_PROC_PARAMS_NONE)
		return true;
	args = nul != NULL ? nul + 1 : buf + len;
	alen = (size_t)(buf + len - args);
	if (alen > 0 && args[alen - 1] == '\0')
		alen--;
	if (r->params == NULL)
		return r->match != CHECKER_PROC_PARAMS_EXACT || alen == 0;
	if (!args_prefix(args, alen, r->params, r->params_len))
		return false;
	switch (r->match) {
	case CHECKER_PROC_PARAMS_EXACT:
		return alen == r->params_len;
	case CHECKER_PROC_PARAMS_PARTIAL:
		return alen == r->params_len || args[r->params_len] == '\0';
	default:
		return true;
	}
}

bool
checker_proc_parse_stat(const char *buf, size_t len, char *comm, size_t size,
    char *state)
{
	const char *open, *close = NULL;
	size_t n;

	if ((open = memchr(buf, '(', len)) == NULL)
		return false;
	for (const char *p = open; p < buf + len; p++)
		if (*p == ')')
			close = p;
	/* ") S": the state letter follows the name after one space. */
	if (close == NULL || (size_t)(buf + len - close) < 3 || close[1] != ' ')
		return false;
	n = (size_t)(close - open - 1);
	if (n > size - 1)
		n = size - 1;
	memcpy(comm, open + 1, n);
	comm[n] = '\0';
	*state = close[2];
	return true;
}

/* One cn_msg of plen bytes at p: true when it was well formed. */
static bool
decode_cn(const unsigned char *p, size_t plen, checker_proc_ev_fn *fn,
    void *arg)
{
	const size_t hdr = offsetof(struct proc_event, event_data);
	struct checker_proc_ev ev;
	struct proc_event pe;
	struct cn_msg cn;
	uint32_t what;
	size_t need;

	if (plen < sizeof(cn))
		return false;
	memcpy(&cn, p, sizeof(cn));
	if (cn.id.idx != CN_IDX_PROC || cn.id.val != CN_VAL_PROC)
		return true;
	if (cn.len > plen - sizeof(cn) || cn.len < hdr)
		return false;
	p += sizeof(cn);
	memset(&pe, 0, sizeof(pe));
	memcpy(&what, p, sizeof(what));
	switch (what) {
	case PROC_EVENT_NONE:
		need = sizeof(pe.event_data.ack);
		break;
	case PROC_EVENT_FORK:
		need = sizeof(pe.event_data.fork);
		break;
	case PROC_EVENT_EXEC:
		need = sizeof(pe.event_data.exec);
		break;
	case PROC_EVENT_COMM:
		need = sizeof(pe.event_data.comm);
		break;
	case PROC_EVENT_EXIT:
		/* The first two fields: older kernels send fewer. */
		need = 2 * sizeof(pe.event_data.exit.process_pid);
		break;
	default:
		return true;
	}
	if (cn.len - hdr < need)
		return false;
	memcpy(&pe.event_data, p + hdr, need);
	memset(&ev, 0, sizeof(ev));
	switch (what) {
	case PROC_EVENT_NONE:
		ev.kind = CHECKER_PROC_EV_ACK;
		ev.seq = cn.seq;
		ev.ack = cn.ack;
		ev.err = pe.event_data.ack.err;
		break;
	case PROC_EVENT_FORK:
		ev.kind = CHECKER_PROC_EV_FORK;
		ev.pid = pe.event_data.fork.child_pid;
		ev.tgid = pe.event_data.fork.child_tgid;
		ev.parent_tgid = pe.event_data.fork.parent_tgid;
		break;
	case PROC_EVENT_EXEC:
		ev.kind = CHECKER_PROC_EV_EXEC;
		ev.pid = pe.event_data.exec.process_pid;
		ev.tgid = pe.event_data.exec.process_tgid;
		break;
	case PROC_EVENT_COMM:
		ev.kind = CHECKER_PROC_EV_COMM;
		ev.pid = pe.event_data.comm.process_pid;
		ev.tgid = pe.event_data.comm.process_tgid;
		memcpy(ev.comm, pe.event_data.comm.comm, sizeof(ev.comm) - 1);
		break;
	default:
		ev.kind = CHECKER_PROC_EV_EXIT;
		ev.pid = pe.event_data.exit.process_pid;
		ev.tgid = pe.event_data.exit.process_tgid;
		break;
	}
	fn(arg, &ev);
	return true;
}

size_t
checker_proc_decode(const void *buf, size_t len, checker_proc_ev_fn *fn,
    void *arg)
{
	const unsigned char *b = buf;
	struct nlmsghdr nh;
	size_t off = 0, bad = 0;

	while (len - off >= sizeof(nh)) {
		memcpy(&nh, b + off, sizeof(nh));
		if (nh.nlmsg_len < NLMSG_HDRLEN || nh.nlmsg_len > len - off)
			return bad + 1;
		if (nh.nlmsg_type != NLMSG_NOOP &&
		    nh.nlmsg_type != NLMSG_ERROR &&
		    !decode_cn(b + off + NLMSG_HDRLEN,
			nh.nlmsg_len - NLMSG_HDRLEN, fn, arg))
			bad++;
		if (NLMSG_ALIGN(nh.nlmsg_len) >= len - off)
			break;
		off += NLMSG_ALIGN(nh.nlmsg_len);
	}
	return bad;
}

bool
checker_proc_quorum_met(unsigned int count, uint32_t quorum,
    uint32_t quorum_max)
{
	/* keepalived: quorum_max 0 is "fail if the process runs at all". */
	if (quorum_max == 0)
		return count == 0;
	return quorum <= count && count <= quorum_max;
}

enum checker_proc_step
checker_proc_step(bool up, bool met, bool pending, uint32_t up_delay_ms,
    uint32_t down_delay_ms, uint32_t *delay_ms)
{
	uint32_t d = met ? up_delay_ms : down_delay_ms;

	if (met == up)
		return pending ? CHECKER_PROC_CANCEL : CHECKER_PROC_KEEP;
	if (pending)
		return CHECKER_PROC_KEEP;
	if (d == 0)
		return CHECKER_PROC_CHANGE;
	*delay_ms = d;
	return CHECKER_PROC_ARM;
}

/* The index of pid in s, or where it would go. */
static size_t
set_find(const struct checker_proc_set *s, pid_t pid)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->pids[mid] < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

bool
checker_proc_set_has(const struct checker_proc_set *s, pid_t pid)
{
	size_t i = set_find(s, pid);

	return i < s->n && s->pids[i] == pid;
}

int
checker_proc_set_add(struct checker_proc_set *s, pid_t pid)
{
	size_t i = set_find(s, pid);

	if (i < s->n && s->pids[i] == pid)
		return 0;
	if (s->n == s->cap) {
		size_t cap = s->cap == 0 ? 8 : s->cap * 2;
		pid_t *p = reallocarray(s->pids, cap, sizeof(*p));

		if (p == NULL)
			return -1;
		s->pids = p;
		s->cap = cap;
	}
	memmove(&s->pids[i + 1], &s->pids[i], (s->n - i) * sizeof(*s->pids));
	s->pids[i] = pid;
	s->n++;
	return 1;
}

bool
checker_proc_set_del(struct checker_proc_set *s, pid_t pid)
{
	size_t i = set_find(s, pid);

	if (i >= s->n || s->pids[i] != pid)
		return false;
	memmove(&s->pids[i], &s->pids[i + 1],
	    (s->n - i - 1) * sizeof(*s->pids));
	s->n--;
	return true;
}

void
checker_proc_set_clear(struct checker_proc_set *s)
{
	s->n = 0;
}

void
checker_proc_set_free(struct checker_proc_set *s)
{
	free(s->pids);
	s->pids = NULL;
	s->n = s->cap = 0;
}
