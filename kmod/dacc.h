/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tcp_dacc internals shared by the module's files: the congestion ops, the
 * per-namespace profile table and the generic netlink family.
 */
#ifndef _DACC_H
#define _DACC_H

#include <linux/init.h>

int dacc_cong_register(void);
void dacc_cong_unregister(void);

#endif /* _DACC_H */
