# SPDX-License-Identifier: GPL-2.0
# libdacc: units, netlink client of the dacc family.
LIB_SRCS += lib/units.c
LIB_SRCS += lib/dacc_msg.c lib/dacc_nl.c
