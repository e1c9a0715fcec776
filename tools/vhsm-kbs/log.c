// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The decision log: one JSON object per line on stderr, with the time in
 * RFC 3339 UTC first. Lines are written with one write(2) each so threads
 * never interleave them. Nothing secret is ever put in a line (no resource
 * bytes, no token, no nonce).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kbs.h"

void kbs_log(json_t *line)
{
	char ts[32], *s = NULL, *l;
	struct tm tm;
	time_t now = time(NULL);
	json_t *o = json_object();
	size_t n;

	gmtime_r(&now, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (o && !json_object_set_new(o, "time", json_string(ts)) &&
	    !json_object_update(o, line))
		s = json_dumps(o, JSON_COMPACT);
	n = s ? strlen(s) : 0;
	l = s ? malloc(n + 2) : NULL;
	if (l) {
		memcpy(l, s, n);
		l[n] = '\n';
		if (write(STDERR_FILENO, l, n + 1) < 0)
			n = 0;	/* nowhere left to report it */
		free(l);
	}
	free(s);
	json_decref(o);
	json_decref(line);
}
