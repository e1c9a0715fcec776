/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _VHSM_SESSION_H
#define _VHSM_SESSION_H

#include <linux/vhsm.h>

int vhsm_cmd_session_open(struct vhsm_session_open *arg);
int vhsm_cmd_session_import(struct vhsm_session_import *arg);
int vhsm_cmd_session_close(struct vhsm_session_close *arg);

int vhsm_session_init(void);
/* Wipes every open session; call after the device is gone. */
void vhsm_session_exit(void);

#endif /* _VHSM_SESSION_H */
