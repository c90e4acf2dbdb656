/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer target for the registry's decoders: any bytes are fed to the
 * node, instance, master and history-entry (transition) decoders. Each either fails with an
 * error code and a phrase and leaves a zeroed record, or gives a record
 * that encodes and decodes back to the same bytes of struct; anything
 * else abort()s. A decoded instance record then goes through the cluster
 * analysis beside a peer, and every flag and edge is rendered.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vrrpd/registry.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char out[REGISTRY_RECORD_MAX];

static bool
all_zero(const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i] != 0)
			return false;
	return true;
}

/* The outcome of one decode: a known code, a phrase when it failed. */
static void
check_err(enum registry_err e, const char *why, const void *rec, size_t n)
{
	if ((unsigned int)e >= REGISTRY_E_MAX)
		abort();
	if (e != REGISTRY_OK && (why[0] == '\0' || !all_zero(rec, n)))
		abort();
}

#define ROUND_TRIP(kind, type, max)                                       \
	static type kind##_rec;                                           \
	static bool fuzz_##kind(const char *buf, size_t size)             \
	{                                                                 \
		static type again;                                        \
		type *rec = &kind##_rec;                                  \
		enum registry_err e;                                      \
		char why[160];                                            \
		int n;                                                    \
                                                                          \
		e = registry_##kind##_decode(buf, size, rec, why,         \
		    sizeof(why));                                         \
		check_err(e, why, rec, sizeof(*rec));                     \
		if (e != REGISTRY_OK)                                     \
			return false;                                     \
		if ((n = registry_##kind##_encode(rec, out, max)) < 0 ||  \
		    registry_##kind##_decode(out, (size_t)n, &again, why, \
			sizeof(why)) != REGISTRY_OK ||                    \
		    memcmp(rec, &again, sizeof(*rec)) != 0)               \
			abort();                                          \
		return true;                                              \
	}

ROUND_TRIP(node, struct registry_node_rec, REGISTRY_RECORD_MAX)
ROUND_TRIP(inst, struct registry_inst_rec, REGISTRY_RECORD_MAX)
ROUND_TRIP(master, struct registry_master_rec, REGISTRY_RECORD_MAX)
ROUND_TRIP(transition, struct registry_transition, REGISTRY_RECORD_MAX)

/* The record, a MASTER peer with its own VIPs, and the node records. */
static void
fuzz_cluster(void)
{
	static struct registry_inst_rec peer;
	static struct registry_sb_state sb;
	static struct registry_report rep;
	struct registry_node_rec nodes[2];
	const struct registry_node_rec *np[2] = { &nodes[0], &nodes[1] };
	const struct registry_inst_rec *ip[2] = { &inst_rec, &peer };
	struct registry_cluster c = { np, 2, ip, 2 };
	char line[512];

	memset(nodes, 0, sizeof(nodes));
	memcpy(nodes[0].router_id, inst_rec.router_id,
	    sizeof(nodes[0].router_id));
	memcpy(nodes[1].router_id, "peer", 5);
	peer = inst_rec;
	memcpy(peer.router_id, "peer", 5);
	peer.state = VRRP_STATE_MASTER;
	peer.priority = (uint8_t)(inst_rec.priority - 1);
	peer.nvips = inst_rec.nvips > 0 ? inst_rec.nvips - 1 : 0;
	memset(&sb, 0, sizeof(sb));
	for (uint64_t now = 0; now <= 600000000; now += 300000000) {
		registry_cluster_analyze(&c, &sb, now, &rep);
		for (size_t i = 0; i < rep.nflags; i++)
			registry_flag_format(&rep.flags[i], line, sizeof(line));
		for (size_t i = 0; i < rep.nevents; i++)
			registry_sb_event_format(&rep.events[i], line,
			    sizeof(line));
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;

	fuzz_node(buf, size);
	if (fuzz_inst(buf, size))
		fuzz_cluster();
	fuzz_master(buf, size);
	fuzz_transition(buf, size);
	return 0;
}
