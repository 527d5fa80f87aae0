# SPDX-License-Identifier: GPL-2.0
# cmocka unit tests, run by `make run-tests` with ASan + UBSan.
TESTS += tests/test_units
tests/test_units_SRCS := tests/test_units.c
