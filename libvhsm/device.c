// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The vhsm device handle: open, close, and the single ioctl(2) call site.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "internal.h"

#ifndef VHSM_LIB_VERSION
#define VHSM_LIB_VERSION "unknown"
#endif

static const char *default_path(void)
{
	const char *env = secure_getenv("VHSM_DEVICE");

	return env && *env ? env : VHSM_DEVICE_PATH;
}

int vhsm_open(struct vhsm **out, const char *path)
{
	struct vhsm *h;
	int err;

	if (!out)
		return -EINVAL;
	*out = NULL;
	if (!path)
		path = default_path();

	h = calloc(1, sizeof(*h));
	if (!h)
		return -ENOMEM;
	h->path = strdup(path);
	if (!h->path) {
		err = -ENOMEM;
		goto err_free;
	}
	h->fd = open(path, O_RDWR | O_CLOEXEC);
	if (h->fd < 0) {
		err = -errno;
		goto err_path;
	}
	*out = h;
	return 0;

err_path:
	free(h->path);
err_free:
	free(h);
	return err;
}

void vhsm_close(struct vhsm *h)
{
	if (!h)
		return;
	close(h->fd);
	free(h->path);
	free(h);
}

const char *vhsm_device_path(const struct vhsm *h)
{
	return h ? h->path : NULL;
}

int _vhsm_ioctl(struct vhsm *h, unsigned long cmd, void *arg)
{
	int ret;

	do {
		ret = ioctl(h->fd, cmd, arg);
	} while (ret < 0 && errno == EINTR);
	return ret < 0 ? -errno : 0;
}

const char *vhsm_library_version(void)
{
	return VHSM_LIB_VERSION;
}
