/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libvhsm — the C API of vhsm, a virtual HSM for AMD SEV-SNP guests.
 *
 * Every function returns 0 (or a non-negative count) on success and a negative
 * errno on failure; vhsm_strerror() turns that into a sentence that says what
 * to do. The library prints nothing.
 */
#ifndef VHSM_VHSM_H
#define VHSM_VHSM_H

#include <linux/vhsm.h>

#ifdef __cplusplus
extern "C" {
#endif

/* An open /dev/vhsm. Opaque; not shared between threads without locking. */
struct vhsm;

/**
 * vhsm_open() - open the vhsm device
 * @out:  [out] the new handle, to be released with vhsm_close()
 * @path: device path; NULL means $VHSM_DEVICE if set, else /dev/vhsm
 *
 * Return: 0, or -EINVAL (@out is NULL), -ENOENT (no device: module not
 * loaded), -EACCES (caller is not in the device's group), -ENOMEM, or another
 * errno from open(2).
 */
int vhsm_open(struct vhsm **out, const char *path);

/**
 * vhsm_close() - close a handle from vhsm_open(); NULL is accepted
 * @h: the handle
 */
void vhsm_close(struct vhsm *h);

/**
 * vhsm_device_path() - the path the handle was opened with
 * @h: the handle
 *
 * Return: a string owned by @h.
 */
const char *vhsm_device_path(const struct vhsm *h);

/**
 * vhsm_info() - describe the module and its platform (VHSM_IOC_INFO)
 * @h:    the handle
 * @info: [out] filled in; its size field is set by the library
 *
 * Return: 0, or -EINVAL (NULL argument), -ENOTTY (@h is not a vhsm device),
 * -EFAULT, -EPROTO (the module answered with an ABI this library does not
 * understand).
 */
int vhsm_info(struct vhsm *h, struct vhsm_info *info);

/**
 * vhsm_strerror() - describe a negative errno returned by libvhsm
 * @err: the return value (negative errno; positive values are accepted too)
 *
 * Return: a static string; never NULL.
 */
const char *vhsm_strerror(int err);

/**
 * vhsm_library_version() - the library's version string
 *
 * Return: a static string, e.g. "0.1.0".
 */
const char *vhsm_library_version(void);

#ifdef __cplusplus
}
#endif

#endif /* VHSM_VHSM_H */
