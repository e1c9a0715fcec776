/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reloading vhsm.ko from a selftest ($VHSM_KO, root only) with the parameters
 * it is loaded with now, read back from sysfs, plus optional overrides (the
 * kernel applies a repeated parameter's last value).
 */
#ifndef VHSM_ATTEST_RELOAD_H
#define VHSM_ATTEST_RELOAD_H

#include <dirent.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "attest_util.h"

#define AT_PARAMS_MAX	4096

/*
 * Parameters computed or changed at run time: not passed to a reload.
 * sim_certs reads as a summary ("N bytes"), not as what was written: the
 * simulated host's table is set again by whoever needs it.
 */
static inline int at_runtime_param(const char *name)
{
	return !strcmp(name, "sim_vcek_pub") || !strcmp(name, "sim_stats") ||
	       !strcmp(name, "sim_fault") || !strcmp(name, "sessions") ||
	       !strcmp(name, "sim_certs");
}

/* "name=value ..." for every load-time parameter the module has now. */
static inline int at_load_params(char *out, size_t cap)
{
	DIR *d = opendir(AT_PARAM_DIR);
	struct dirent *e;
	size_t used = 0;
	char val[512];

	if (!d)
		return -errno;
	out[0] = '\0';
	while ((e = readdir(d))) {
		int n;

		if (e->d_name[0] == '.' || at_runtime_param(e->d_name))
			continue;
		if (at_param(e->d_name, val, sizeof(val)) || !strcmp(val, "(null)"))
			continue;
		n = snprintf(out + used, cap - used, "%s=%s ", e->d_name, val);
		if (n < 0 || (size_t)n >= cap - used) {
			closedir(d);
			return -E2BIG;
		}
		used += n;
	}
	closedir(d);
	return 0;
}

/* rmmod vhsm, waiting briefly for the last file to be closed. */
static inline int at_unload(void)
{
	int i;

	for (i = 0; i < 50; i++) {
		if (!syscall(SYS_delete_module, "vhsm", O_NONBLOCK))
			return 0;
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EBUSY)
			return -errno;
		usleep(100000);
	}
	return -EBUSY;
}

/* insmod $VHSM_KO @params */
static inline int at_load(const char *params)
{
	const char *ko = getenv("VHSM_KO");
	int fd, ret;

	if (!ko)
		return -ENOENT;
	fd = open(ko, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, params, 0) ? -errno : 0;
	close(fd);
	return ret;
}

/* Reload with @base (NULL: the current parameters) followed by @extra. */
static inline int at_reload(const char *base, const char *extra)
{
	char params[2 * AT_PARAMS_MAX];
	int ret;

	if (base) {
		snprintf(params, sizeof(params), "%s", base);
	} else {
		ret = at_load_params(params, AT_PARAMS_MAX);
		if (ret)
			return ret;
	}
	if (extra) {
		strncat(params, " ", sizeof(params) - strlen(params) - 1);
		strncat(params, extra, sizeof(params) - strlen(params) - 1);
	}
	ret = at_unload();
	if (ret && ret != -ENOENT)	/* not loaded is fine */
		return ret;
	return at_load(params);
}

#endif /* VHSM_ATTEST_RELOAD_H */
