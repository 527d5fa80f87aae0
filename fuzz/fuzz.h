/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libFuzzer harnesses of the userspace parsers (see fuzz/README).  Each
 * harness is one LLVMFuzzerTestOneInput(); a property that does not hold
 * calls FUZZ_CHECK, which names it on stderr and aborts, so libFuzzer keeps
 * the input as a crash.
 */
#ifndef DACC_FUZZ_H
#define DACC_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define FUZZ_CHECK(cond, ...)						\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "fuzz: %s:%d: %s: ", __FILE__,	\
				__LINE__, #cond);			\
			fprintf(stderr, __VA_ARGS__);			\
			fputc('\n', stderr);				\
			abort();					\
		}							\
	} while (0)

#endif
