// SPDX-License-Identifier: GPL-2.0
/*
 * The dacc congestion ops.  For now the window follows Reno; the
 * distance-aware model replaces it.
 */
#include <linux/module.h>
#include <net/tcp.h>

#include "dacc.h"

static struct tcp_congestion_ops dacc_cong_ops __read_mostly = {
	.flags		= TCP_CONG_NON_RESTRICTED,
	.name		= "dacc",
	.owner		= THIS_MODULE,
	.ssthresh	= tcp_reno_ssthresh,
	.cong_avoid	= tcp_reno_cong_avoid,
	.undo_cwnd	= tcp_reno_undo_cwnd,
};

int dacc_cong_register(void)
{
	return tcp_register_congestion_control(&dacc_cong_ops);
}

void dacc_cong_unregister(void)
{
	tcp_unregister_congestion_control(&dacc_cong_ops);
}
