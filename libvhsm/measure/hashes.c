// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Measured direct boot: QEMU hashes the kernel, the initrd and the command
 * line (SHA-256) into the SEV hashes table and places it in the page OVMF's
 * SNP_KERNEL_HASHES section names, at the offset of the footer table's hash
 * table entry; OVMF checks the files it loads against it. The table:
 *
 *   header  GUID 9438d606-4f22-4cc9-b479-a793d411fd21, u16 length (168)
 *   entries GUID, u16 length (50), SHA-256 (32): command line, initrd, kernel
 *
 * padded with zeros to a multiple of 16 bytes (176). The command line is
 * hashed with its terminating NUL (an empty one is the single NUL byte); an
 * absent initrd hashes as the empty string.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include <vhsm/measure.h>

#include "measure_internal.h"
#include "launch_internal.h"

#define TABLE_HDR	(GUID_SIZE + 2)
#define TABLE_ENTRY	(GUID_SIZE + 2 + 32)
#define TABLE_LEN	(TABLE_HDR + 3 * TABLE_ENTRY)
#define TABLE_PADDED	((TABLE_LEN + 15) & ~15)

#define GUID_TABLE	"9438d606-4f22-4cc9-b479-a793d411fd21"
#define GUID_CMDLINE	"97d02dd8-bd20-4c94-aa78-e7714d36ab2a"
#define GUID_INITRD	"44baf731-3a2f-4bd7-9af1-41e29169781d"
#define GUID_KERNEL	"4de79437-abd2-427f-b835-d5b172d2045b"

static uint8_t *table_entry(uint8_t *p, const char *guid, const uint8_t hash[32])
{
	_vm_guid(guid, p);
	_vm_put16(p + GUID_SIZE, TABLE_ENTRY);
	memcpy(p + GUID_SIZE + 2, hash, 32);
	return p + TABLE_ENTRY;
}

int _vm_hashes_page(size_t offset, const struct vhsm_measure_in *in,
		    uint8_t page[VHSM_PAGE_SIZE])
{
	uint8_t *p;

	if (offset > VHSM_PAGE_SIZE - TABLE_PADDED)
		return -ERANGE;
	memset(page, 0, VHSM_PAGE_SIZE);
	p = page + offset;
	_vm_guid(GUID_TABLE, p);
	_vm_put16(p + GUID_SIZE, TABLE_LEN);
	p = table_entry(p + TABLE_HDR, GUID_CMDLINE, in->cmdline_sha256);
	p = table_entry(p, GUID_INITRD, in->initrd_sha256);
	table_entry(p, GUID_KERNEL, in->kernel_sha256);
	return 0;
}

int vhsm_measure_cmdline_hash(const char *append, uint8_t out[32])
{
	size_t len = append ? strlen(append) : 0;

	if (len > VHSM_CMDLINE_MAX)
		return -EFBIG;
	/* the NUL is part of what QEMU hashes */
	return EVP_Digest(append ? append : "", len + 1, out, NULL, EVP_sha256(), NULL) == 1 ?
	       0 : -EIO;
}

#define READ_CHUNK	(1u << 20)

static int hash_fd(int fd, uint64_t max, uint8_t out[32], uint64_t *size)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	uint8_t *buf = malloc(READ_CHUNK);
	uint64_t total = 0;
	ssize_t n;
	int ret = 0;

	if (!ctx || !buf || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
		ret = -ENOMEM;
		goto out;
	}
	while ((n = read(fd, buf, READ_CHUNK)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			goto out;
		}
		total += (uint64_t)n;
		if (total > max) {
			ret = -EFBIG;
			goto out;
		}
		if (EVP_DigestUpdate(ctx, buf, (size_t)n) != 1) {
			ret = -EIO;
			goto out;
		}
	}
	if (EVP_DigestFinal_ex(ctx, out, NULL) != 1)
		ret = -EIO;
	if (size)
		*size = total;
out:
	free(buf);
	EVP_MD_CTX_free(ctx);
	return ret;
}

int vhsm_measure_file_hash(const char *path, uint64_t max, uint8_t out[32], uint64_t *size)
{
	struct stat st;
	int fd, ret;

	if (!path || !out)
		return -EINVAL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st)) {
		ret = -errno;
	} else if (S_ISDIR(st.st_mode)) {
		ret = -EISDIR;
	} else if (S_ISREG(st.st_mode) && (uint64_t)st.st_size > max) {
		ret = -EFBIG;
	} else {
		posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
		ret = hash_fd(fd, max, out, size);
	}
	close(fd);
	return ret;
}
