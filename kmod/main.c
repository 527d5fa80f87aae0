// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_dacc: distance-aware congestion control.  Module init and exit tie
 * together the congestion ops, the profile table and the netlink family.
 */
#include <linux/module.h>

#include "dacc.h"

static int __init dacc_init(void)
{
	return dacc_cong_register();
}

static void __exit dacc_exit(void)
{
	dacc_cong_unregister();
}

module_init(dacc_init);
module_exit(dacc_exit);

MODULE_AUTHOR("The dacc authors");
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Distance-aware TCP congestion control");
MODULE_VERSION("0.1");
