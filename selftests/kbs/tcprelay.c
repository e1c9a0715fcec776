// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tcprelay PORT: copy bytes between stdin/stdout and 127.0.0.1:PORT until
 * both directions are done. QEMU's user networking runs one per guest
 * connection (guestfwd=...-cmd:tcprelay PORT), so every connection the guest
 * opens to 10.0.2.100:80 reaches the host server on loopback; a chardev
 * target would carry only the first one.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

/* One chunk from @from to @to; 0 at end of stream, -1 on error. */
static int pump(int from, int to)
{
	char buf[16384];
	ssize_t n = read(from, buf, sizeof(buf)), off = 0;

	if (n <= 0)
		return n < 0 && errno == EINTR ? 1 : (int)n;
	while (off < n) {
		ssize_t w = write(to, buf + off, n - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		off += w;
	}
	return 1;
}

int main(int argc, char **argv)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct pollfd p[2];
	int s, in_open = 1;

	if (argc != 2 || !(sa.sin_port = htons((unsigned short)atoi(argv[1])))) {
		fprintf(stderr, "usage: tcprelay PORT\n");
		return 2;
	}
	s = socket(AF_INET, SOCK_STREAM, 0);
	if (s < 0 || connect(s, (struct sockaddr *)&sa, sizeof(sa))) {
		perror("tcprelay: connect");
		return 1;
	}
	for (;;) {
		p[0] = (struct pollfd){ .fd = in_open ? 0 : -1, .events = POLLIN };
		p[1] = (struct pollfd){ .fd = s, .events = POLLIN };
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return 1;
		}
		if (p[0].revents) {
			int r = pump(0, s);

			if (r < 0)
				return 1;
			if (!r) {
				in_open = 0;
				shutdown(s, SHUT_WR);
			}
		}
		if (p[1].revents) {
			int r = pump(s, 1);

			if (r <= 0)
				return r < 0;
		}
	}
}
