# SPDX-License-Identifier: GPL-2.0
# The simulator, built by userspace/Makefile (paths relative to userspace/).
PROGS += ../bench/sim/daccsim
../bench/sim/daccsim_SRCS := ../bench/sim/daccsim.c ../bench/sim/sim.c
