# SPDX-License-Identifier: GPL-2.0
# dacc: the command line tool.
PROGS += dacc/dacc
DACC_CLI_SRCS := dacc/cmd.c dacc/args.c dacc/out.c dacc/print.c
dacc/dacc_SRCS := dacc/dacc.c $(DACC_CLI_SRCS)
