# SPDX-License-Identifier: GPL-2.0
# Benchmark tools, built by userspace/Makefile (paths relative to userspace/).
PROGS += ../bench/tools/daccperf
../bench/tools/daccperf_SRCS := ../bench/tools/daccperf.c
PROGS += ../bench/tools/daccring
../bench/tools/daccring_SRCS := ../bench/tools/daccring.c
