# SPDX-License-Identifier: GPL-2.0
# cmocka unit tests, run by `make run-tests` with ASan + UBSan.
TESTS += tests/test_units
tests/test_units_SRCS := tests/test_units.c
TESTS += tests/test_prefix
tests/test_prefix_SRCS := tests/test_prefix.c
TESTS += tests/test_cli
tests/test_cli_SRCS := tests/test_cli.c $(DACC_CLI_SRCS)
TESTS += tests/test_cli_msg
tests/test_cli_msg_SRCS := tests/test_cli_msg.c $(DACC_CLI_SRCS)
TESTS += tests/test_stamp
tests/test_stamp_SRCS := tests/test_stamp.c daccd/stamp.c
TESTS += tests/test_estimator
tests/test_estimator_SRCS := tests/test_estimator.c daccd/estimator.c
TESTS += tests/test_daccd_config
tests/test_daccd_config_SRCS := tests/test_daccd_config.c daccd/config.c
TESTS += tests/test_model
tests/test_model_SRCS := tests/test_model.c ../bench/sim/sim.c
TESTS += tests/test_daccd_state
tests/test_daccd_state_SRCS := tests/test_daccd_state.c daccd/state.c daccd/config.c daccd/estimator.c \
	daccd/log.c
TESTS += tests/test_ktel
tests/test_ktel_SRCS := tests/test_ktel.c daccd/ktel.c
