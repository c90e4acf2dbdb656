/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The instance side of auth_type AH (VRRPv2): adverts leave wrapped in an
 * IPv4 header and an AH built here (the ICV covers the header, so the
 * socket has IP_HDRINCL), and datagrams from the AH socket are verified
 * (ICV, SPI, sequence number) before the advert inside reaches the
 * instance. The codec is vrrp/ah (pure); the sockets are net/socket.
 */

#include <string.h>

#include "instance_priv.h"

void
vrrp_inst_ah_init(struct vrrp_inst *vi)
{
	/* keepalived: the first 8 bytes of auth_pass, zero padded. */
	vrrp_ah_key(vi->ci->auth_pass, vi->ah_key);
	for (int e = 0; e < VRRP_AH_ERR_MAX; e++)
		vi->rl_ah[e].interval_ms = 10000;
}

/*
 * keepalived keeps its counter across a reload; so do we, or the peers
 * would refuse our adverts as replays until they heard one of theirs.
 */
void
vrrp_inst_ah_carry(struct vrrp_inst *vi, const struct vrrp_inst *old)
{
	if (vi->ci->auth_type == VRRP_AUTH_AH &&
	    old->ci->auth_type == VRRP_AUTH_AH)
		vi->ah = old->ah;
}

/* pkt: the advert as it left, decoded back from the datagram. */
static void
debug_tx(struct vrrp_inst *vi, const uint8_t *dgram, size_t len)
{
	struct vrrp_pkt_meta meta = { .ttl = 0 };
	struct vrrp_advert adv;
	struct vrrp_ah_hdr ah;
	const uint8_t *msg;
	size_t mlen;
	char line[256];

	if (vrrp_ah_parse(dgram, len, &meta, &ah, &msg, &mlen) != VRRP_AH_OK)
		return;
	(void)vrrp_pkt_decode(msg, mlen, &meta, &adv);
	log_debug_inst(DBG_PKT, vi->ci->name, "pkt: sent %s ah seq %u",
	    vrrp_pkt_format(&adv, line, sizeof(line)), ah.seq);
}

static void
send_to(struct vrrp_inst *vi, struct vrrp_ah_tx *atx, const uint8_t *msg,
    size_t mlen, const struct addr *dst, uint8_t priority)
{
	uint8_t buf[VRRP_AH_MAX_LEN];
	bool sent;
	int len;

	atx->dst = *dst;
	if ((len = vrrp_ah_encode(atx, msg, mlen, buf, sizeof(buf))) < 0) {
		log_warnx("(%s) cannot build an AH advert: %s; this is a bug",
		    vi->ci->name, vrrp_ah_strerror(-len));
		return;
	}
	sent = net_sock_send_dgram(&vi->sock->ns, dst, buf, (size_t)len) == 0;
	vrrp_inst_sent(vi, sent, priority);
	if (sent && log_debug_on(DBG_PKT, vi->ci->name))
		debug_tx(vi, buf, (size_t)len);
}

void
vrrp_inst_ah_advert(struct vrrp_inst *vi, struct vrrp_pkt_tx *tx)
{
	const struct conf_instance *ci = vi->ci;
	struct vrrp_ah_tx atx = { .src = vi->src, .tos = VRRP_AH_TOS };
	uint8_t msg[VRRP_PKT_MAX_LEN];
	int mlen;

	if (vi->group.af == AF_UNSPEC && ci->npeers == 0)
		return; /* in FAULT (no peer) */
	/* RFC 2338 §5.3.6.3: the Authentication Data is zero with AH. */
	memset(tx->auth_data, 0, sizeof(tx->auth_data));
	tx->dst = vi->group.af != AF_UNSPEC ? vi->group : ci->peers[0].addr;
	if ((mlen = vrrp_pkt_encode(tx, msg, sizeof(msg))) < 0) {
		log_warnx("(%s) cannot encode an advert: %s; this is a bug",
		    ci->name, vrrp_pkt_strerror(-mlen));
		return;
	}
	memcpy(atx.key, vi->ah_key, sizeof(atx.key));
	vrrp_ah_next(&vi->ah, &vi->src, &atx.ip_id, &atx.seq);
	if (vi->group.af != AF_UNSPEC) {
		atx.ttl = VRRP_TTL;
		send_to(vi, &atx, msg, (size_t)mlen, &vi->group, tx->priority);
		return;
	}
	/* keepalived leaves the TTL out of the ICV with unicast peers. */
	atx.ttl = ci->unicast_ttl;
	atx.zero_ttl = true;
	for (size_t i = 0; i < ci->npeers; i++)
		send_to(vi, &atx, msg, (size_t)mlen, &ci->peers[i].addr,
		    tx->priority);
}

/* Counted always, logged once per interval and cause, with the sender. */
static void
rx_ah_error(struct vrrp_inst *vi, enum vrrp_ah_err err,
    const struct vrrp_ah_hdr *ah, const struct vrrp_advert *adv)
{
	char line[256];
	unsigned long more;

	vi->stats.rx_errors[vrrp_ah_counter(err)]++;
	if (log_debug_on(DBG_PKT, vi->ci->name))
		log_debug_inst(DBG_PKT, vi->ci->name,
		    "pkt: dropped (%s) %s ah seq %u", vrrp_ah_strerror(err),
		    vrrp_pkt_format(adv, line, sizeof(line)), ah->seq);
	if (err >= VRRP_AH_ERR_MAX ||
	    !log_ratelimit_ok(&vi->rl_ah[err], util_now_us() / 1000, &more))
		return;
	log_warnx("(%s) advert dropped: %s: %s ah seq %u (%lu more "
		  "suppressed)",
	    vi->ci->name, vrrp_ah_strerror(err),
	    vrrp_pkt_format(adv, line, sizeof(line)), ah->seq, more);
}

void
vrrp_inst_rx_ah(struct vrrp_inst *vi, const uint8_t *dgram, size_t len,
    const struct vrrp_ah_hdr *ah, const struct vrrp_advert *adv)
{
	enum vrrp_ah_err err;

	/* An instance without AH never shares the AH socket; be sure. */
	if (vi->ci->auth_type != VRRP_AUTH_AH) {
		vrrp_inst_rx_error(vi, VRRP_PKT_AUTH_MISMATCH, adv);
		return;
	}
	/* RFC 4302 §3.4.4 before §3.4.3: the number counts once genuine. */
	err = vrrp_ah_verify(dgram, len, vi->ah_key, vi->ci->unicast);
	if (err == VRRP_AH_OK)
		err = vrrp_ah_seq_check(&vi->ah, &adv->meta.src, ah->seq);
	if (err != VRRP_AH_OK) {
		rx_ah_error(vi, err, ah, adv);
		return;
	}
	vrrp_inst_rx(vi, adv);
}
