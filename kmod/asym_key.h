/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef _VHSM_ASYM_KEY_H
#define _VHSM_ASYM_KEY_H

int vhsm_asym_key_init(void);
void vhsm_asym_key_exit(void);

#endif /* _VHSM_ASYM_KEY_H */
