/* SPDX-License-Identifier: BSD-2-Clause */
/* vrrpctl cluster --servers: the registry read from ZooKeeper directly. */

#include <sys/time.h>

#include <stdio.h>

#include <json-c/json.h>

#include "vrrpd/registry.h"
#include "vrrpd/util.h"

#include "vrrpctl.h"

struct json_object *
vrrpctl_cluster_direct(const char *servers, const char *path,
    const struct ctl_req *req, double timeout_s, char *why, size_t whylen)
{
	struct registry_fleet *f;
	struct json_object *o;
	struct timeval tv;

	f = registry_fleet_fetch(servers, path, req->instance, req->history,
	    timeout_s, why, whylen);
	if (f == NULL)
		return NULL;
	gettimeofday(&tv, NULL);
	o = registry_fleet_json(f, "zookeeper", servers, path, NULL,
	    req->instance, req->history, util_now_us(),
	    (uint64_t)tv.tv_sec * 1000 + (uint64_t)tv.tv_usec / 1000);
	registry_fleet_free(f);
	if (o == NULL)
		snprintf(why, whylen, "out of memory");
	return o;
}
