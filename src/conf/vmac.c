/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * use_vmac: the MAC and the name of each instance's macvlan, derived as
 * keepalived 2.2.7 derives them, and the combinations it corrects with a
 * message (unicast needs vmac_xmit_base, strict mode forbids it). Pure.
 */

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf_priv.h"

/* RFC 5798 §7.3: 00-00-5E-00-01-{VRID} (IPv4), 00-00-5E-00-02-{VRID}. */
static const uint8_t rfc_prefix[4] = { 0x00, 0x00, 0x5e, 0x00 };

int
conf_vmac_parse_mac(const char *s, uint8_t mac[6], bool *vrid_last)
{
	const char *p = s;
	size_t n = 0;

	if (s[strspn(s, "0123456789abcdefABCDEF:")] != '\0')
		return -1;
	while (n < 6) {
		char *end;
		unsigned long v = strtoul(p, &end, 16);

		if (end == p || end - p > 2 || v > 0xff)
			return -1;
		mac[n++] = (uint8_t)v;
		if (*end == '\0' || (end[0] == ':' && end[1] == '\0'))
			break;
		if (*end != ':')
			return -1;
		p = end + 1;
	}
	if (n == 5) {
		*vrid_last = true;
		return 0;
	}
	if (n != 6 || p[strcspn(p, ":")] != '\0')
		return -1;
	*vrid_last = false;
	return 0;
}

bool
conf_ifname_valid(const char *name)
{
	if (name[0] == '\0' || strlen(name) >= CONF_IFNAMSIZ ||
	    strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return false;
	for (const char *c = name; *c != '\0'; c++)
		if (*c == '/' || *c == ':' || isspace((unsigned char)*c))
			return false;
	return true;
}

/* The MAC the link carries: written, or the RFC's for the family. */
static void
vmac_mac(struct conf *conf, struct conf_instance *in)
{
	struct conf_vmac *v = &in->vmac;
	char text[24];

	if (v->has_mac && v->mac_text == NULL) {
		/* keepalived.conf: kept as text too, for vrrpd -P */
		snprintf(text, sizeof(text), "%02x:%02x:%02x:%02x:%02x",
		    v->mac[0], v->mac[1], v->mac[2], v->mac[3], v->mac[4]);
		if (!v->mac_vrid)
			snprintf(text + 14, sizeof(text) - 14, ":%02x",
			    v->mac[5]);
		v->mac_text = conf_strdup(text);
	}
	if (v->mac_text != NULL) {
		if (conf_vmac_parse_mac(v->mac_text, v->mac, &v->mac_vrid) != 0)
			conf_diag(conf, &v->loc, CONF_ERROR,
			    "instance %s: vmac address \"%s\" is not a MAC "
			    "address (6 octets, or 5 and the VRID)",
			    in->name, v->mac_text);
		else
			v->has_mac = true;
	}
	if (v->has_mac && (v->mac[0] & 1) != 0) {
		conf_diag(conf, &v->loc, CONF_WARNING,
		    "instance %s: VMAC MAC address is multicast; ignored, as "
		    "keepalived does",
		    in->name);
		v->has_mac = false;
	} else if (v->has_mac && memcmp(v->mac, rfc_prefix, 4) == 0 &&
	    (v->mac[4] == 1 || v->mac[4] == 2)) {
		conf_diag(conf, &v->loc, CONF_WARNING,
		    "instance %s: VMAC MAC address may not be an RFC 5798 "
		    "address; ignored, as keepalived does (the RFC's own "
		    "is the default)",
		    in->name);
		v->has_mac = false;
	}
	if (!v->has_mac) {
		free(v->mac_text);
		v->mac_text = NULL;
		memcpy(v->mac, rfc_prefix, 4);
		v->mac[4] = in->family == AF_INET6 ? 2 : 1;
	}
	if (!v->has_mac || v->mac_vrid)
		v->mac[5] = in->vrid;
}

static bool
name_taken(const struct conf *conf, const struct conf_instance *self,
    const char *name)
{
	for (size_t i = 0; i < conf->ninstances; i++) {
		const struct conf_instance *o = &conf->instances[i];

		if (o == self)
			continue;
		if ((o->vmac.on && o->vmac.name[0] != '\0' &&
			strcmp(o->vmac.name, name) == 0) ||
		    strcmp(o->interface, name) == 0)
			return true;
	}
	return strcmp(self->interface, name) == 0;
}

/*
 * keepalived's create_vmac_name(): PREFIX.VRID, else PREFIX1.VRID,
 * PREFIX2.VRID, ...; IPv6 tries PREFIX6.VRID second. The prefix is cut
 * to fit IFNAMSIZ.
 */
static void
derive_name(const struct conf *conf, struct conf_instance *in,
    const char *prefix)
{
	char name[64];
	unsigned int num = 0;

	for (int tries = 0; tries < 1000; tries++) {
		char suffix[16];
		int plen;

		if (num == 0)
			snprintf(suffix, sizeof(suffix), ".%u", in->vrid);
		else
			snprintf(suffix, sizeof(suffix), "%u.%u", num,
			    in->vrid);
		plen = (int)(CONF_IFNAMSIZ - 1 - strlen(suffix));
		snprintf(name, sizeof(name), "%.*s%s", plen, prefix, suffix);
		if (strlen(name) < CONF_IFNAMSIZ &&
		    !name_taken(conf, in, name)) {
			strcpy(in->vmac.name, name);
			return;
		}
		if (in->family == AF_INET6)
			num = num == 0	 ? 6 :
			    num == 6	 ? 1 :
			    num + 1 == 6 ? 7 :
					   num + 1;
		else
			num++;
	}
}

void
conf_vmac_finish(struct conf *conf)
{
	const char *prefix = conf->global.vmac_prefix != NULL ?
	    conf->global.vmac_prefix :
	    "vrrp";

	/* written names first: a derived one never takes one of them */
	for (size_t i = 0; i < conf->ninstances; i++) {
		struct conf_instance *in = &conf->instances[i];
		struct conf_vmac *v = &in->vmac;

		if (!v->on || !v->named)
			continue;
		if (!conf_ifname_valid(v->name)) {
			conf_diag(conf, &v->loc, CONF_ERROR,
			    "instance %s: VMAC interface name \"%s\" is not "
			    "a valid interface name",
			    in->name, v->name);
			v->named = false;
			v->name[0] = '\0';
			continue;
		}
		for (size_t j = 0; j < i; j++) {
			const struct conf_instance *o = &conf->instances[j];

			if (o->vmac.on && o->vmac.named &&
			    strcmp(o->vmac.name, v->name) == 0)
				conf_diag(conf, &v->loc, CONF_ERROR,
				    "instance %s: VMAC interface %s is "
				    "already instance %s's",
				    in->name, v->name, o->name);
		}
		for (size_t j = 0; j < conf->ninstances; j++)
			if (strcmp(conf->instances[j].interface, v->name) == 0)
				conf_diag(conf, &v->loc, CONF_ERROR,
				    "instance %s: VMAC interface %s is the "
				    "interface of instance %s",
				    in->name, v->name, conf->instances[j].name);
	}
	for (size_t i = 0; i < conf->ninstances; i++) {
		struct conf_instance *in = &conf->instances[i];
		struct conf_vmac *v = &in->vmac;

		if (!v->on)
			continue;
		if (in->interface[0] == '\0') {
			conf_diag(conf, &v->loc, CONF_ERROR,
			    "instance %s: use_vmac needs the instance's "
			    "interface (its macvlan is made on it)",
			    in->name);
			continue;
		}
		vmac_mac(conf, in);
		if (!v->named)
			derive_name(conf, in, prefix);
		if (in->unicast && !v->xmit_base) {
			conf_diag(conf, &v->loc, CONF_WARNING,
			    "instance %s: unicast with use_vmac requires "
			    "vmac_xmit_base; set, as keepalived does",
			    in->name);
			v->xmit_base = true;
		}
		if (in->strict && v->xmit_base) {
			conf_diag(conf, &v->loc, CONF_WARNING,
			    "instance %s: strict mode does not allow "
			    "vmac_xmit_base; ignored, as keepalived does",
			    in->name);
			v->xmit_base = false;
		}
	}
}

bool
conf_vmac_equal(const struct conf_vmac *a, const struct conf_vmac *b)
{
	if (a->on != b->on)
		return false;
	return !a->on ||
	    (a->xmit_base == b->xmit_base && strcmp(a->name, b->name) == 0 &&
		memcmp(a->mac, b->mac, sizeof(a->mac)) == 0);
}
