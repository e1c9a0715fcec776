/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _VHSM_KEY_TYPE_H
#define _VHSM_KEY_TYPE_H

int vhsm_key_type_init(void);
void vhsm_key_type_exit(void);

#endif /* _VHSM_KEY_TYPE_H */
