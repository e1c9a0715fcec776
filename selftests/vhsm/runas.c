// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * runas UID GID[,GID...] COMMAND [ARGS]: run COMMAND with the given uid,
 * primary gid and supplementary gids (the first gid is the primary one).
 * A test helper for the guest, which has no user database.
 */
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_GROUPS 16

int main(int argc, char **argv)
{
	gid_t groups[MAX_GROUPS];
	size_t n = 0;
	char *s, *tok, *save = NULL;
	uid_t uid;

	if (argc < 4) {
		fprintf(stderr, "usage: runas UID GID[,GID...] COMMAND [ARGS]\n");
		return 2;
	}
	uid = (uid_t)strtoul(argv[1], NULL, 10);
	for (s = argv[2]; (tok = strtok_r(s, ",", &save)); s = NULL) {
		if (n == MAX_GROUPS) {
			fprintf(stderr, "runas: too many groups\n");
			return 2;
		}
		groups[n++] = (gid_t)strtoul(tok, NULL, 10);
	}
	if (!n || setgroups(n - 1, groups + 1) || setgid(groups[0]) || setuid(uid)) {
		fprintf(stderr, "runas: cannot switch to %s:%s: %s\n", argv[1],
			argv[2], strerror(errno));
		return 2;
	}
	execvp(argv[3], argv + 3);
	fprintf(stderr, "runas: %s: %s\n", argv[3], strerror(errno));
	return 127;
}
