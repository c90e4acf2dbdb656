/* SPDX-License-Identifier: BSD-2-Clause */
/* The fleet as the registry shows it: masters per instance and the flags. */

#include <stdlib.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "registry_priv.h"

static int
node_cmp(const void *a, const void *b)
{
	const struct registry_node_rec *const *x = a, *const *y = b;

	return strcmp((*x)->router_id, (*y)->router_id);
}

static int
inst_cmp(const void *a, const void *b)
{
	const struct registry_inst_rec *const *x = a, *const *y = b;
	int r = strcmp((*x)->name, (*y)->name);

	return r != 0 ? r : strcmp((*x)->router_id, (*y)->router_id);
}

void
registry_cluster_sort(struct registry_cluster *c)
{
	if (c->nnodes > 1)
		qsort(c->nodes, c->nnodes, sizeof(c->nodes[0]), node_cmp);
	if (c->ninsts > 1)
		qsort(c->insts, c->ninsts, sizeof(c->insts[0]), inst_cmp);
}

static size_t node_index(const struct registry_cluster *c,
    const char *router_id);

static bool
node_exists(const struct registry_cluster *c, const char *router_id)
{
	return node_index(c, router_id) < c->nnodes;
}

bool
registry_cluster_registered(const struct registry_cluster *c, size_t i)
{
	return i < c->ninsts && node_exists(c, c->insts[i]->router_id);
}

bool
registry_cluster_inst(const struct registry_cluster *c, size_t i,
    struct registry_inst_sum *out)
{
	const struct registry_inst_rec *r;
	size_t j;

	memset(out, 0, sizeof(*out));
	if (i >= c->ninsts)
		return false;
	out->name = c->insts[i]->name;
	out->first = i;
	for (j = i; j < c->ninsts && strcmp(c->insts[j]->name, out->name) == 0;
	     j++) {
		if (!registry_cluster_registered(c, j))
			continue;
		r = c->insts[j];
		out->nlive++;
		if (r->state != VRRP_STATE_MASTER)
			continue;
		if (out->nmasters < REGISTRY_SUM_MASTERS)
			out->masters[out->nmasters] = r->router_id;
		out->nmasters++;
	}
	out->n = j - i;
	return true;
}

void
reg_copy(char *dst, size_t size, const char *src)
{
	size_t n = strnlen(src, size - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

struct registry_flag *
reg_flag_new(struct registry_report *rep, enum registry_flag_kind kind,
    const char *name, const char *node)
{
	struct registry_flag *f;

	if (rep->nflags == REGISTRY_FLAGS_MAX) {
		rep->flags_dropped++;
		return NULL;
	}
	f = &rep->flags[rep->nflags++];
	memset(f, 0, sizeof(*f));
	f->kind = kind;
	if (name != NULL)
		reg_copy(f->name, sizeof(f->name), name);
	if (node != NULL)
		reg_copy(f->node, sizeof(f->node), node);
	return f;
}

/* The network of p: host bits cleared; false when p has none or is bad. */
static bool
network(const struct registry_prefix *p, struct registry_prefix *out)
{
	uint8_t *b = (uint8_t *)&out->addr.u;
	size_t len = addr_len(&p->addr);

	*out = *p;
	if (len == 0 || p->prefix > len * 8)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (i * 8 >= p->prefix)
			b[i] = 0;
		else if (i * 8 + 8 > p->prefix)
			b[i] &= (uint8_t)(0xff << (8 - p->prefix % 8));
	}
	return true;
}

int
registry_claim_key(const struct registry_inst_rec *rec, char *buf, size_t size)
{
	struct registry_prefix net;
	char a[INET6_ADDRSTRLEN];
	int n;

	if (rec->subnet.addr.af == AF_UNSPEC || !network(&rec->subnet, &net) ||
	    addr_fmt(&net.addr, a, sizeof(a)) == NULL)
		return -1;
	n = snprintf(buf, size, "%d-%s-%u-%u", rec->family == AF_INET6 ? 6 : 4,
	    a, net.prefix, rec->vrid);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

static bool
same_net(const struct registry_prefix *a, const struct registry_prefix *b,
    struct registry_prefix *net)
{
	struct registry_prefix nb;

	return network(a, net) && network(b, &nb) && net->prefix == nb.prefix &&
	    addr_cmp(&net->addr, &nb.addr) == 0;
}

/*
 * RFC 5798 §5.2.3: one VRID per family names one router on a LAN. The
 * registered records with a subnet are sorted by (family, VRID, network,
 * name); records of two names in one run of equal keys collide. Each pair
 * of names is flagged once, in name order, with its first records.
 */
struct ckey {
	const struct registry_inst_rec *r;
	struct registry_prefix net;
	size_t g; /* the first index of its name */
	size_t i; /* its index */
};

/* A colliding pair: names (their first indexes) and records. */
struct cpair {
	size_t ga, gb, i, j;
};

static int
ckey_net_cmp(const struct ckey *x, const struct ckey *y)
{
	int r;

	if (x->r->family != y->r->family)
		return x->r->family < y->r->family ? -1 : 1;
	if (x->r->vrid != y->r->vrid)
		return x->r->vrid < y->r->vrid ? -1 : 1;
	if (x->net.prefix != y->net.prefix)
		return x->net.prefix < y->net.prefix ? -1 : 1;
	r = addr_cmp(&x->net.addr, &y->net.addr);
	return r < 0 ? -1 : r > 0;
}

static int
ckey_cmp(const void *a, const void *b)
{
	const struct ckey *x = a, *y = b;
	int r = ckey_net_cmp(x, y);

	if (r != 0)
		return r;
	if (x->g != y->g)
		return x->g < y->g ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

static int
cpair_cmp(const void *a, const void *b)
{
	const struct cpair *x = a, *y = b;

	if (x->ga != y->ga)
		return x->ga < y->ga ? -1 : 1;
	if (x->gb != y->gb)
		return x->gb < y->gb ? -1 : 1;
	if (x->i != y->i)
		return x->i < y->i ? -1 : 1;
	return x->j < y->j ? -1 : x->j > y->j;
}

/* The keys of the registered records with a subnet, sorted; *n of them. */
static struct ckey *
collision_keys(const struct registry_cluster *c, size_t *n)
{
	struct ckey *k = calloc(c->ninsts + 1, sizeof(*k));
	struct registry_inst_sum s;

	*n = 0;
	if (k == NULL)
		return NULL;
	for (size_t i = 0; registry_cluster_inst(c, i, &s); i = s.first + s.n)
		for (size_t j = s.first; j < s.first + s.n; j++) {
			struct ckey *e = &k[*n];

			if (!registry_cluster_registered(c, j) ||
			    !network(&c->insts[j]->subnet, &e->net))
				continue;
			e->r = c->insts[j];
			e->g = s.first;
			e->i = j;
			(*n)++;
		}
	qsort(k, *n, sizeof(*k), ckey_cmp);
	return k;
}

static void
collision_flag(const struct registry_cluster *c, const struct cpair *p,
    struct registry_report *rep)
{
	const struct registry_inst_rec *x = c->insts[p->i], *y = c->insts[p->j];
	struct registry_flag *f;
	struct registry_prefix net;

	f = reg_flag_new(rep, REGISTRY_FLAG_VRID_COLLISION, x->name,
	    x->router_id);
	if (f == NULL || !same_net(&x->subnet, &y->subnet, &net))
		return;
	reg_copy(f->other, sizeof(f->other), y->name);
	reg_copy(f->other_node, sizeof(f->other_node), y->router_id);
	f->vrid = x->vrid;
	f->subnet = net;
}

/* Out of memory: no collision is looked for (the other flags still are). */
static void
collisions(const struct registry_cluster *c, struct registry_report *rep)
{
	struct cpair *p = NULL, *q;
	size_t nk, np = 0, cap = 0;
	struct ckey *k = collision_keys(c, &nk);

	for (size_t a = 0; k != NULL && a < nk; a++)
		for (size_t b = a + 1;
		     b < nk && ckey_net_cmp(&k[a], &k[b]) == 0; b++) {
			if (k[a].g == k[b].g)
				continue;
			if (np == cap) {
				cap = cap == 0 ? 16 : cap * 2;
				if ((q = realloc(p, cap * sizeof(*p))) == NULL)
					goto done;
				p = q;
			}
			p[np++] =
			    (struct cpair) { k[a].g, k[b].g, k[a].i, k[b].i };
		}
	if (np > 1)
		qsort(p, np, sizeof(*p), cpair_cmp);
	for (size_t i = 0; i < np; i++)
		if (i == 0 || p[i].ga != p[i - 1].ga || p[i].gb != p[i - 1].gb)
			collision_flag(c, &p[i], rep);
done:
	free(p);
	free(k);
}

static bool
vip_in(const struct registry_vip *v, const struct registry_inst_rec *r)
{
	for (size_t i = 0; i < r->nvips; i++)
		if (r->vips[i].prefix == v->prefix &&
		    addr_cmp(&r->vips[i].addr, &v->addr) == 0)
			return true;
	return false;
}

/* The first VIP only one of a and b has; *on_b says whose. */
static bool
vips_differ(const struct registry_inst_rec *a,
    const struct registry_inst_rec *b, struct registry_prefix *vip, bool *on_b)
{
	for (int side = 0; side < 2; side++) {
		const struct registry_inst_rec *x = side == 0 ? a : b;
		const struct registry_inst_rec *y = side == 0 ? b : a;

		for (size_t i = 0; i < x->nvips; i++) {
			if (vip_in(&x->vips[i], y))
				continue;
			vip->addr = x->vips[i].addr;
			vip->prefix = x->vips[i].prefix;
			*on_b = side == 1;
			return true;
		}
	}
	return false;
}

/* One record against the name's first registered one. */
static void
mismatch(enum registry_flag_kind kind, const struct registry_inst_rec *ref,
    const struct registry_inst_rec *r, struct registry_report *rep)
{
	struct registry_prefix vip = { .prefix = 0 };
	struct registry_flag *f;
	bool on_other = false;

	if (kind == REGISTRY_FLAG_VRID_MISMATCH && r->vrid == ref->vrid)
		return;
	if (kind == REGISTRY_FLAG_VIPS_MISMATCH &&
	    !vips_differ(ref, r, &vip, &on_other))
		return;
	if ((f = reg_flag_new(rep, kind, ref->name, ref->router_id)) == NULL)
		return;
	reg_copy(f->other_node, sizeof(f->other_node), r->router_id);
	f->vrid = ref->vrid;
	f->other_vrid = r->vrid;
	if (kind == REGISTRY_FLAG_VIPS_MISMATCH) {
		f->vip = vip;
		f->vip_on_other = on_other;
	}
}

static void
mismatches(const struct registry_cluster *c, enum registry_flag_kind kind,
    struct registry_report *rep)
{
	const struct registry_inst_rec *ref;
	struct registry_inst_sum s;

	for (size_t i = 0; registry_cluster_inst(c, i, &s); i = s.first + s.n) {
		ref = NULL;
		for (size_t j = s.first; j < s.first + s.n; j++) {
			if (!registry_cluster_registered(c, j))
				continue;
			if (ref == NULL)
				ref = c->insts[j];
			else
				mismatch(kind, ref, c->insts[j], rep);
		}
	}
}

/* A check that is down and only lowers the priority (no fault). */
static const struct registry_part *
failing_check(const struct registry_inst_rec *r)
{
	for (size_t i = 0; i < r->nparts; i++)
		if (r->parts[i].kind == CONF_TRACK_CHECK && !r->parts[i].up &&
		    !r->parts[i].fault)
			return &r->parts[i];
	return NULL;
}

/* The registered record of s, other than insts[skip], of top priority. */
static const struct registry_inst_rec *
highest_other(const struct registry_cluster *c,
    const struct registry_inst_sum *s, size_t skip)
{
	const struct registry_inst_rec *best = NULL;

	for (size_t j = s->first; j < s->first + s->n; j++)
		if (j != skip && registry_cluster_registered(c, j) &&
		    (best == NULL || c->insts[j]->priority > best->priority))
			best = c->insts[j];
	return best;
}

/*
 * keepalived's weight trap: with positive weights a failing check only
 * withholds its bonus, so a node can fail its check and still outrank
 * every peer; VRRP then moves nothing.
 */
static void
weight_traps(const struct registry_cluster *c, struct registry_report *rep)
{
	const struct registry_inst_rec *x, *best;
	const struct registry_part *p;
	struct registry_inst_sum s;
	struct registry_flag *f;

	for (size_t i = 0; registry_cluster_inst(c, i, &s); i = s.first + s.n)
		for (size_t j = s.first; j < s.first + s.n; j++) {
			x = c->insts[j];
			if (x->state == VRRP_STATE_FAULT ||
			    !registry_cluster_registered(c, j) ||
			    (p = failing_check(x)) == NULL ||
			    (best = highest_other(c, &s, j)) == NULL ||
			    x->priority <= best->priority)
				continue;
			f = reg_flag_new(rep, REGISTRY_FLAG_WEIGHT_TRAP,
			    x->name, x->router_id);
			if (f == NULL)
				return;
			reg_copy(f->other, sizeof(f->other), p->name);
			reg_copy(f->other_node, sizeof(f->other_node),
			    best->router_id);
			f->prio = x->priority;
			f->other_prio = best->priority;
		}
}

/* The index of router_id in c->nodes (sorted), or c->nnodes. */
static size_t
node_index(const struct registry_cluster *c, const char *router_id)
{
	size_t lo = 0, hi = c->nnodes, mid;
	int r;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		r = strcmp(router_id, c->nodes[mid]->router_id);
		if (r == 0)
			return mid;
		if (r < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return c->nnodes;
}

/* Out of memory: no silent node is looked for. */
static void
silent_and_stale(const struct registry_cluster *c, struct registry_report *rep)
{
	bool *speaks = calloc(c->nnodes + 1, sizeof(*speaks));
	size_t k;

	for (size_t j = 0; speaks != NULL && j < c->ninsts; j++)
		if ((k = node_index(c, c->insts[j]->router_id)) < c->nnodes)
			speaks[k] = true;
	for (size_t i = 0; speaks != NULL && i < c->nnodes; i++)
		if (!speaks[i])
			reg_flag_new(rep, REGISTRY_FLAG_SILENT_NODE, NULL,
			    c->nodes[i]->router_id);
	free(speaks);
	for (size_t i = 0; i < c->ninsts; i++)
		if (!registry_cluster_registered(c, i))
			reg_flag_new(rep, REGISTRY_FLAG_STALE_RECORD,
			    c->insts[i]->name, c->insts[i]->router_id);
}

void
registry_cluster_analyze(struct registry_cluster *c,
    struct registry_sb_state *sb, uint64_t now_us, struct registry_report *rep)
{
	memset(rep, 0, sizeof(*rep));
	registry_cluster_sort(c);
	reg_sb_pass(c, sb, now_us, rep);
	collisions(c, rep);
	mismatches(c, REGISTRY_FLAG_VRID_MISMATCH, rep);
	mismatches(c, REGISTRY_FLAG_VIPS_MISMATCH, rep);
	weight_traps(c, rep);
	silent_and_stale(c, rep);
}
