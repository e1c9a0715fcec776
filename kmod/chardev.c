// SPDX-License-Identifier: GPL-2.0-only
/*
 * /dev/vhsm: one character device, mode 0660, owned by root and the group
 * given by the "group" module parameter.
 *
 * A plain misc device cannot choose its node's group, so vhsm registers its
 * own class and device with a device_type whose devnode callback sets mode and
 * gid; devtmpfs (and udev) create the node with them.
 */
#include <linux/cdev.h>
#include <linux/cred.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/uidgid.h>
#include <linux/vhsm.h>

#include "chardev.h"
#include "compat.h"
#include "ioctl.h"

static unsigned int group;
module_param(group, uint, 0444);
MODULE_PARM_DESC(group, "gid that may open /dev/vhsm (mode 0660); default 0 (root only)");

#define VHSM_DEVNODE_MODE 0660

static VHSM_CLASS_CONST struct class vhsm_class = {
	.name = VHSM_DEVICE_NAME,
};

/* Written in vhsm_chardev_init() before the device is visible; read-only after. */
static dev_t vhsm_devt;
static struct cdev vhsm_cdev;
static struct device *vhsm_device;
static kgid_t vhsm_group;

static const struct file_operations vhsm_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = vhsm_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static char *vhsm_devnode(VHSM_DEVNODE_CONST struct device *dev, umode_t *mode,
			  kuid_t *uid, kgid_t *gid)
{
	if (mode)
		*mode = VHSM_DEVNODE_MODE;
	if (gid)
		*gid = vhsm_group;
	return NULL;
}

static const struct device_type vhsm_device_type = {
	.name = VHSM_DEVICE_NAME,
	.devnode = vhsm_devnode,
};

static void vhsm_device_release(struct device *dev)
{
	kfree(dev);
}

static int device_create_node(void)
{
	struct device *dev;
	int ret;

	dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	if (!dev)
		return -ENOMEM;
	device_initialize(dev);
	dev->devt = vhsm_devt;
	dev->class = &vhsm_class;
	dev->type = &vhsm_device_type;
	dev->release = vhsm_device_release;
	ret = dev_set_name(dev, VHSM_DEVICE_NAME);
	if (ret)
		goto err_put;
	ret = cdev_device_add(&vhsm_cdev, dev);
	if (ret)
		goto err_put;
	vhsm_device = dev;
	return 0;

err_put:
	put_device(dev);
	return ret;
}

/**
 * vhsm_chardev_caller_allowed() - the device node's rule, for callers that
 * reach vhsm without opening it (the kernel keyring entry points)
 *
 * Root, or a member of the group= group, as mode 0660 root:group says of
 * /dev/vhsm. Valid once vhsm_chardev_init() has run.
 */
bool vhsm_chardev_caller_allowed(void)
{
	return uid_eq(current_fsuid(), GLOBAL_ROOT_UID) || in_group_p(vhsm_group);
}

/**
 * vhsm_chardev_init() - create /dev/vhsm
 *
 * Return: 0, -EINVAL when the group parameter is not a valid gid, or the
 * error of the failing registration step.
 */
int vhsm_chardev_init(void)
{
	int ret;

	vhsm_group = make_kgid(&init_user_ns, group);
	if (!gid_valid(vhsm_group)) {
		pr_err("group=%u is not a valid gid\n", group);
		return -EINVAL;
	}

	ret = alloc_chrdev_region(&vhsm_devt, 0, 1, VHSM_DEVICE_NAME);
	if (ret)
		return ret;

	ret = class_register(&vhsm_class);
	if (ret)
		goto err_class;

	cdev_init(&vhsm_cdev, &vhsm_fops);
	vhsm_cdev.owner = THIS_MODULE;
	ret = device_create_node();
	if (ret)
		goto err_device;
	return 0;

err_device:
	class_unregister(&vhsm_class);
err_class:
	unregister_chrdev_region(vhsm_devt, 1);
	return ret;
}

void vhsm_chardev_exit(void)
{
	cdev_device_del(&vhsm_cdev, vhsm_device);
	put_device(vhsm_device);
	vhsm_device = NULL;
	class_unregister(&vhsm_class);
	unregister_chrdev_region(vhsm_devt, 1);
}
