// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fscrypt_ctl: the fscrypt v2 ioctls the guest tests need besides
 * "vhsm-tool fscrypt add" (the guest has no fscrypt(1)):
 *   fscrypt_ctl set-policy DIR IDHEX   v2 policy, AES-256-XTS / AES-256-CTS
 *   fscrypt_ctl status MNT IDHEX       prints present, absent or incomplete
 *   fscrypt_ctl remove MNT IDHEX       FS_IOC_REMOVE_ENCRYPTION_KEY
 * Exit 0 on success, 1 with a message otherwise, 2 for usage.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/fscrypt.h>

static int parse_id(const char *hex, __u8 id[FSCRYPT_KEY_IDENTIFIER_SIZE])
{
	unsigned int v;
	int i;

	if (strlen(hex) != 2 * FSCRYPT_KEY_IDENTIFIER_SIZE)
		return -1;
	for (i = 0; i < FSCRYPT_KEY_IDENTIFIER_SIZE; i++) {
		if (sscanf(hex + 2 * i, "%2x", &v) != 1)
			return -1;
		id[i] = (__u8)v;
	}
	return 0;
}

static int set_policy(int fd, const __u8 *id)
{
	struct fscrypt_policy_v2 p;

	memset(&p, 0, sizeof(p));
	p.version = FSCRYPT_POLICY_V2;
	p.contents_encryption_mode = FSCRYPT_MODE_AES_256_XTS;
	p.filenames_encryption_mode = FSCRYPT_MODE_AES_256_CTS;
	p.flags = FSCRYPT_POLICY_FLAGS_PAD_32;
	memcpy(p.master_key_identifier, id, FSCRYPT_KEY_IDENTIFIER_SIZE);
	return ioctl(fd, FS_IOC_SET_ENCRYPTION_POLICY, &p);
}

static int key_status(int fd, const __u8 *id)
{
	struct fscrypt_get_key_status_arg a;

	memset(&a, 0, sizeof(a));
	a.key_spec.type = FSCRYPT_KEY_SPEC_TYPE_IDENTIFIER;
	memcpy(a.key_spec.u.identifier, id, FSCRYPT_KEY_IDENTIFIER_SIZE);
	if (ioctl(fd, FS_IOC_GET_ENCRYPTION_KEY_STATUS, &a))
		return -1;
	puts(a.status == FSCRYPT_KEY_STATUS_PRESENT ? "present" :
	     a.status == FSCRYPT_KEY_STATUS_ABSENT ? "absent" : "incomplete");
	return 0;
}

static int remove_key(int fd, const __u8 *id)
{
	struct fscrypt_remove_key_arg a;

	memset(&a, 0, sizeof(a));
	a.key_spec.type = FSCRYPT_KEY_SPEC_TYPE_IDENTIFIER;
	memcpy(a.key_spec.u.identifier, id, FSCRYPT_KEY_IDENTIFIER_SIZE);
	if (ioctl(fd, FS_IOC_REMOVE_ENCRYPTION_KEY, &a))
		return -1;
	if (a.removal_status_flags & FSCRYPT_KEY_REMOVAL_STATUS_FLAG_FILES_BUSY)
		fprintf(stderr, "fscrypt_ctl: files still busy; key only partly removed\n");
	return 0;
}

int main(int argc, char **argv)
{
	__u8 id[FSCRYPT_KEY_IDENTIFIER_SIZE];
	int fd, ret;

	if (argc != 4 || parse_id(argv[3], id)) {
		fprintf(stderr, "usage: fscrypt_ctl set-policy|status|remove DIR IDHEX\n");
		return 2;
	}
	fd = open(argv[2], O_RDONLY | O_DIRECTORY);
	if (fd < 0) {
		fprintf(stderr, "fscrypt_ctl: %s: %s\n", argv[2], strerror(errno));
		return 1;
	}
	if (!strcmp(argv[1], "set-policy"))
		ret = set_policy(fd, id);
	else if (!strcmp(argv[1], "status"))
		ret = key_status(fd, id);
	else if (!strcmp(argv[1], "remove"))
		ret = remove_key(fd, id);
	else {
		fprintf(stderr, "fscrypt_ctl: unknown command %s\n", argv[1]);
		close(fd);
		return 2;
	}
	if (ret)
		fprintf(stderr, "fscrypt_ctl %s %s: %s\n", argv[1], argv[2], strerror(errno));
	close(fd);
	return ret ? 1 : 0;
}
