# SPDX-License-Identifier: GPL-2.0
# daccd: the daemon that learns per-destination latency profiles.
DACCD_SRCS := daccd/daccd.c daccd/config.c daccd/estimator.c daccd/stamp.c \
	daccd/probe.c daccd/reflector.c daccd/passive.c daccd/kernel.c daccd/state.c \
	daccd/metrics.c daccd/ktel.c daccd/log.c
PROGS += daccd/daccd
daccd/daccd_SRCS := $(DACCD_SRCS)
