// SPDX-License-Identifier: GPL-2.0
/*
 * tcp_dacc: distance-aware congestion control.  Module init and exit tie
 * together the profile table, the netlink family and the congestion ops.
 */
#include <linux/module.h>

#include "dacc.h"

static int __init dacc_init(void)
{
	int err;

	err = dacc_profile_init();
	if (err)
		return err;
	err = dacc_nl_init();
	if (err)
		goto err_profile;
	err = dacc_cong_register();
	if (err)
		goto err_nl;
	return 0;

err_nl:
	dacc_nl_exit();
err_profile:
	dacc_profile_exit();
	return err;
}

static void __exit dacc_exit(void)
{
	dacc_cong_unregister();
	dacc_nl_exit();
	dacc_profile_exit();
}

module_init(dacc_init);
module_exit(dacc_exit);

MODULE_AUTHOR("The dacc authors");
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Distance-aware TCP congestion control");
MODULE_VERSION("0.1");
