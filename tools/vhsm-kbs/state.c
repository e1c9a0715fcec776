// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The state directory of vhsm-kbs:
 *
 *   DIR/resources/REPO/TYPE/TAG   one resource each, mode 0600
 *   DIR/policy.json               the verifier policy (absent: the default)
 *   DIR/token-key.pem             the token signing key (P-256), mode 0600
 *   DIR/token-pub.pem             its public half, for resource-only servers
 *
 * Directories are created mode 0700. Every file is replaced atomically: it
 * is written to a temporary name in the same directory, fsync()ed, renamed
 * over the old name, and the directory is fsync()ed, so a crash at any point
 * leaves the old contents or the new ones. Temporary names start with '.',
 * which no resource name may, so a crash's leftovers are never served or
 * listed. Everything is opened relative to the state directory's fd with
 * O_NOFOLLOW, after the path components have been checked.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

#include "kbs.h"

#define RES_DIR "resources"

#ifdef VHSM_KBS_FAULT_INJECTION
/* Test builds only: VHSM_KBS_FAULT=POINT kills the process at POINT. */
static void fault(const char *point)
{
	const char *f = getenv("VHSM_KBS_FAULT");

	if (f && !strcmp(f, point))
		raise(SIGKILL);
}
#else
static inline void fault(const char *point)
{
	(void)point;
}
#endif

static bool part_ok(const char *s, size_t n)
{
	size_t i;

	if (!n || n > KBS_PART_MAX || s[0] == '.')
		return false;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
			return false;
	}
	return true;
}

bool kbs_resource_parts_ok(const char *repo, const char *type, const char *tag)
{
	return repo && type && tag && part_ok(repo, strlen(repo)) &&
	       part_ok(type, strlen(type)) && part_ok(tag, strlen(tag));
}

bool kbs_resource_path_ok(const char *path)
{
	const char *a, *b;

	if (!path || !(a = strchr(path, '/')) || !(b = strchr(a + 1, '/')) ||
	    strchr(b + 1, '/'))
		return false;
	return part_ok(path, (size_t)(a - path)) && part_ok(a + 1, (size_t)(b - a - 1)) &&
	       part_ok(b + 1, strlen(b + 1));
}

static int mkdir_at(int dirfd, const char *name)
{
	if (!mkdirat(dirfd, name, 0700))
		return fsync(dirfd) ? -errno : 0;
	return errno == EEXIST ? 0 : -errno;
}

int kbs_state_open(const char *dir, int *dirfd)
{
	int fd, err;

	if (mkdir(dir, 0700) && errno != EEXIST)
		return -errno;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	err = mkdir_at(fd, RES_DIR);
	if (err) {
		close(fd);
		return err;
	}
	*dirfd = fd;
	return 0;
}

static int write_all(int fd, const uint8_t *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return w < 0 ? -errno : -EIO;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Atomic replace of @name inside the directory @pdir. */
static int write_in(int pdir, const char *name, const void *buf, size_t len,
		    unsigned int mode)
{
	uint8_t r[8];
	char tmp[64];
	int fd, err;

	if (RAND_bytes(r, sizeof(r)) != 1)
		return -EIO;
	snprintf(tmp, sizeof(tmp), ".tmp.%d.%02x%02x%02x%02x%02x%02x%02x%02x", (int)getpid(),
		 r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7]);
	fd = openat(pdir, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	err = fchmod(fd, mode) ? -errno : 0;
	if (!err)
		err = write_all(fd, buf, len);
	fault("after-write");
	if (!err && fsync(fd))
		err = -errno;
	if (close(fd) && !err)
		err = -errno;
	fault("before-rename");
	if (!err && renameat(pdir, tmp, pdir, name))
		err = -errno;
	if (err) {
		unlinkat(pdir, tmp, 0);
		return err;
	}
	fault("after-rename");
	return fsync(pdir) ? -errno : 0;
}

/* Split "a/b/c" at the last '/', creating the directories on the way. */
static int open_parent(int dirfd, const char *rel, bool create, const char **base)
{
	char *copy = strdup(rel), *p, *slash;
	int fd = dup(dirfd), nfd, err = 0;

	if (!copy || fd < 0) {
		free(copy);
		if (fd >= 0)
			close(fd);
		return -ENOMEM;
	}
	*base = rel;
	for (p = copy; (slash = strchr(p, '/')); p = slash + 1) {
		*slash = 0;
		if (create && (err = mkdir_at(fd, p)))
			break;
		nfd = openat(fd, p, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (nfd < 0) {
			err = -errno;
			break;
		}
		close(fd);
		fd = nfd;
		*base = rel + (slash + 1 - copy);
	}
	free(copy);
	if (err) {
		close(fd);
		return err;
	}
	return fd;
}

int kbs_state_write(int dirfd, const char *rel, const void *buf, size_t len,
		    unsigned int mode)
{
	const char *base;
	int pdir = open_parent(dirfd, rel, true, &base), err;

	if (pdir < 0)
		return pdir;
	err = write_in(pdir, base, buf, len, mode);
	close(pdir);
	return err;
}

static int res_rel(const char *path, char *rel, size_t n)
{
	if (!kbs_resource_path_ok(path))
		return -EINVAL;
	snprintf(rel, n, RES_DIR "/%s", path);
	return 0;
}

int kbs_resource_put(int dirfd, const char *path, const void *buf, size_t len)
{
	char rel[3 * KBS_PART_MAX + 16];
	int err = res_rel(path, rel, sizeof(rel));

	if (err)
		return err;
	if (len > KBS_MAX_RESOURCE)
		return -EFBIG;
	return kbs_state_write(dirfd, rel, buf, len, 0600);
}

/* Read all of the regular file @fd (closed here), at most @max bytes. */
static int read_fd(int fd, size_t max, uint8_t **buf, size_t *len)
{
	struct stat st;
	uint8_t *p = NULL;
	size_t got = 0;
	int err = 0;

	if (fstat(fd, &st) || !S_ISREG(st.st_mode))
		err = -ENOENT;
	else if ((size_t)st.st_size > max)
		err = -EFBIG;
	else if (!(p = malloc((size_t)st.st_size + 1)))
		err = -ENOMEM;
	while (!err && got < (size_t)st.st_size) {
		ssize_t r = read(fd, p + got, (size_t)st.st_size - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			err = r < 0 ? -errno : -EIO;
		else
			got += (size_t)r;
	}
	close(fd);
	if (err) {
		free(p);
		return err;
	}
	p[got] = 0;
	*buf = p;
	*len = got;
	return 0;
}

/* Read a regular file below @dirfd, at most @max bytes. */
static int read_at(int dirfd, const char *rel, size_t max, uint8_t **buf, size_t *len)
{
	const char *base;
	int pdir = open_parent(dirfd, rel, false, &base), fd;

	if (pdir < 0)
		return pdir;
	fd = openat(pdir, base, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	close(pdir);
	if (fd < 0)
		return errno == ELOOP ? -ENOENT : -errno;
	return read_fd(fd, max, buf, len);
}

int kbs_resource_get(int dirfd, const char *path, uint8_t **buf, size_t *len)
{
	char rel[3 * KBS_PART_MAX + 16];
	int err = res_rel(path, rel, sizeof(rel));

	return err ? err : read_at(dirfd, rel, KBS_MAX_RESOURCE, buf, len);
}

int kbs_resource_delete(int dirfd, const char *path)
{
	char rel[3 * KBS_PART_MAX + 16];
	const char *base;
	int err = res_rel(path, rel, sizeof(rel)), pdir;

	if (err)
		return err;
	pdir = open_parent(dirfd, rel, false, &base);
	if (pdir < 0)
		return pdir;
	err = unlinkat(pdir, base, 0) ? -errno : 0;
	if (!err && fsync(pdir))
		err = -errno;
	close(pdir);
	return err;
}

struct names {
	char **v;
	size_t n;
};

static void names_free(struct names *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static int names_add(struct names *l, const char *s)
{
	char **nv = realloc(l->v, (l->n + 1) * sizeof(*l->v));

	if (!nv)
		return -ENOMEM;
	l->v = nv;
	if (!(l->v[l->n] = strdup(s)))
		return -ENOMEM;
	l->n++;
	return 0;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Valid names (never a temporary file) in a directory below @fd, sorted. */
static int dir_names(int fd, const char *name, struct names *out)
{
	int dfd = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct dirent *e;
	DIR *d;
	int err = 0;

	memset(out, 0, sizeof(*out));
	if (dfd < 0)
		return -errno;
	d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		return -errno;
	}
	while (!err && (e = readdir(d)))
		if (part_ok(e->d_name, strlen(e->d_name)))
			err = names_add(out, e->d_name);
	closedir(d);
	if (err)
		names_free(out);
	else if (out->n)
		qsort(out->v, out->n, sizeof(*out->v), name_cmp);
	return err;
}

int kbs_resource_list(int dirfd, int (*fn)(void *arg, const char *path), void *arg)
{
	struct names repos, types, tags;
	char rel[3 * KBS_PART_MAX + 16], path[3 * KBS_PART_MAX + 4];
	size_t i, j, k;
	int err = dir_names(dirfd, RES_DIR, &repos);

	for (i = 0; !err && i < repos.n; i++) {
		snprintf(rel, sizeof(rel), RES_DIR "/%s", repos.v[i]);
		if (dir_names(dirfd, rel, &types))
			continue;	/* not a directory */
		for (j = 0; !err && j < types.n; j++) {
			snprintf(rel, sizeof(rel), RES_DIR "/%s/%s", repos.v[i], types.v[j]);
			if (dir_names(dirfd, rel, &tags))
				continue;
			for (k = 0; !err && k < tags.n; k++) {
				snprintf(path, sizeof(path), "%s/%s/%s", repos.v[i],
					 types.v[j], tags.v[k]);
				err = fn(arg, path);
			}
			names_free(&tags);
		}
		names_free(&types);
	}
	names_free(&repos);
	return err;
}

int kbs_policy_set(int dirfd, const char *json, size_t len, char **errmsg)
{
	struct vhsm_policy p;
	int err;

	if (errmsg)
		*errmsg = NULL;
	if (strlen(json) != len)
		return -EINVAL;	/* a NUL inside */
	vhsm_policy_init(&p);
	err = vhsm_policy_parse_json(&p, json, errmsg);
	vhsm_policy_free(&p);
	if (err)
		return err;
	return kbs_state_write(dirfd, "policy.json", json, len, 0600);
}

int kbs_policy_load(int dirfd, struct vhsm_policy *p, bool *found)
{
	uint8_t *buf;
	size_t len;
	int err = read_at(dirfd, "policy.json", 1 << 20, &buf, &len);

	*found = false;
	if (err == -ENOENT) {
		vhsm_policy_init(p);
		return 0;
	}
	if (err)
		return err;
	err = vhsm_policy_from_json((char *)buf, p);
	free(buf);
	*found = !err;
	return err;
}

static int pem_write(int dirfd, const char *name, EVP_PKEY *key, bool priv)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *data;
	long n;
	int err = -EIO;

	if (b && (priv ? PEM_write_bio_PrivateKey(b, key, NULL, NULL, 0, NULL, NULL) :
		  PEM_write_bio_PUBKEY(b, key)) == 1) {
		n = BIO_get_mem_data(b, &data);
		err = kbs_state_write(dirfd, name, data, (size_t)n, priv ? 0600 : 0644);
		if (priv)
			OPENSSL_cleanse(data, (size_t)n);
	}
	BIO_free(b);
	return err;
}

int kbs_token_key_load(int dirfd, bool create, EVP_PKEY **key)
{
	uint8_t *buf = NULL;
	size_t len = 0;
	BIO *b;
	int err = read_at(dirfd, "token-key.pem", 64 * 1024, &buf, &len);

	*key = NULL;
	if (err == -ENOENT && create) {
		EVP_PKEY *k = EVP_EC_gen("P-256");

		if (!k)
			return -EIO;
		err = pem_write(dirfd, "token-key.pem", k, true);
		if (!err)
			err = pem_write(dirfd, "token-pub.pem", k, false);
		if (err)
			EVP_PKEY_free(k);
		else
			*key = k;
		return err;
	}
	if (err)
		return err;
	b = BIO_new_mem_buf(buf, (int)len);
	*key = b ? PEM_read_bio_PrivateKey(b, NULL, NULL, NULL) : NULL;
	BIO_free(b);
	OPENSSL_cleanse(buf, len);
	free(buf);
	return *key ? 0 : -EINVAL;
}

int kbs_read_file(const char *path, size_t max, uint8_t **buf, size_t *len)
{
	size_t cap = 4096, n = 0;
	uint8_t *p, *q;
	int fd;

	if (strcmp(path, "-")) {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		return fd < 0 ? -errno : read_fd(fd, max, buf, len);
	}
	p = malloc(cap + 1);
	while (p) {
		size_t r = fread(p + n, 1, cap - n, stdin);

		n += r;
		if (n > max) {
			free(p);
			return -EFBIG;
		}
		if (!r)
			break;
		if (n == cap) {
			cap *= 2;
			q = realloc(p, cap + 1);
			if (!q)
				free(p);
			p = q;
		}
	}
	if (!p)
		return -ENOMEM;
	p[n] = 0;
	*buf = p;
	*len = n;
	return 0;
}
