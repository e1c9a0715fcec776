// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * token_raw KEY: write the key's token (VHSM_IOC_KEY_TOKEN, 16 bytes) raw to
 * stdout, for `keyctl padd logon DESC @u`. A test helper for the guest until
 * `vhsm-tool keyring export --as token` is merged; KEY is a label or #N.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <vhsm/vhsm.h>

#include "vhsm_test.h"

int main(int argc, char **argv)
{
	struct vhsm_key_token t = { .size = sizeof(t) };
	struct vhsm *h;
	uint32_t handle;
	int fd, ret;

	if (argc != 2) {
		fprintf(stderr, "usage: token_raw KEY\n");
		return 2;
	}
	ret = vhsm_open(&h, vhsm_test_device());
	if (!ret)
		ret = vhsm_key_resolve(h, argv[1], &handle);
	if (ret) {
		fprintf(stderr, "token_raw: %s: %s\n", argv[1], vhsm_strerror(ret));
		return 1;
	}
	vhsm_close(h);
	fd = open(vhsm_test_device(), O_RDWR);
	t.handle = handle;
	if (fd < 0 || ioctl(fd, VHSM_IOC_KEY_TOKEN, &t)) {
		fprintf(stderr, "token_raw: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	close(fd);
	return fwrite(t.token, 1, sizeof(t.token), stdout) == sizeof(t.token) ? 0 : 1;
}
