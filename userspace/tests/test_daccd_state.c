// SPDX-License-Identifier: GPL-2.0
/* daccd's state file: what is saved comes back (samples, pushed profile),
 * destinations no longer configured and bad values are skipped, and a
 * corrupt or foreign file changes nothing.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "../daccd/daccd.h"

/* What daccd.c provides to state.c, with a clock the tests set. */
struct daccd D;
static uint64_t mono = 5000000, wall = 1700000000000ULL;

uint64_t now_ms(void)
{
	return mono;
}

uint64_t wall_ms(void)
{
	return wall;
}

static const char conf[] =
	"destinations = (\n"
	"  { prefix = \"10.3.0.0/24\"; targets = [\"10.3.0.2\"]; },\n"
	"  { prefix = \"fd00:13::/64\"; targets = [\"fd00:13::2\"]; }\n"
	");\n";
static char dir[64];

static void setup_dests(void)
{
	char err[256];
	unsigned int i;

	D.cfg = dcfg_parse(conf, "t.conf", err, sizeof(err));
	assert_non_null(D.cfg);
	D.ndests = D.cfg->ndests;
	D.dests = calloc(D.ndests, sizeof(*D.dests));
	for (i = 0; i < D.ndests; i++) {
		D.dests[i].prefix = D.cfg->dests[i].prefix;
		D.dests[i].cfg = &D.cfg->dests[i];
		dacc_prefix_format(&D.dests[i].prefix, D.dests[i].name, sizeof(D.dests[i].name));
		est_init(&D.dests[i].est);
	}
}

static void teardown_dests(void)
{
	free(D.dests);
	dcfg_free(D.cfg);
	memset(&D, 0, sizeof(D));
}

static int setup(void **state)
{
	snprintf(dir, sizeof(dir), "/tmp/daccd-state-XXXXXX");
	assert_non_null(mkdtemp(dir));
	setup_dests();
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	teardown_dests();
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
	return 0;
}

static void write_file(const char *text)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/daccd.state", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* Files in dir other than the state file. */
static int leftovers(void)
{
	struct dirent *e;
	int n = 0;
	DIR *dp = opendir(dir);

	assert_non_null(dp);
	while ((e = readdir(dp)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") &&
		    strcmp(e->d_name, "daccd.state"))
			n++;
	closedir(dp);
	return n;
}

static void test_roundtrip(void **state)
{
	struct dest *d = &D.dests[0];
	unsigned int i;

	for (i = 0; i < 10; i++)
		est_add(&d->est, &D.cfg->est, mono - 10000 + i * 1000, 100000 + i * 10);
	d->pushed = true;
	d->pushed_rtt_us = 100010;
	d->pushed_rttvar_us = 20;
	assert_int_equal(state_save(dir), 0);
	assert_int_equal(leftovers(), 0);	/* the temporary was renamed */

	/* a restart 3 s later, on a monotonic clock that started anew */
	teardown_dests();
	setup_dests();
	mono = 1000000;
	wall += 3000;
	assert_int_equal(state_load(dir), 2);	/* both were saved */
	d = &D.dests[0];
	assert_true(d->pushed);
	assert_int_equal(d->pushed_rtt_us, 100010);
	assert_int_equal(d->pushed_rttvar_us, 20);
	assert_int_equal(d->est.n, 10);
	assert_int_equal(d->est.base_us, 100010);
	/* the newest sample was 4 s before the restart's "now" */
	assert_true(d->est.last_ms == mono - 4000);
	assert_int_equal(D.dests[1].est.n, 0);
	assert_false(D.dests[1].pushed);
}

static void test_skips_bad_entries(void **state)
{
	char text[1024];

	snprintf(text, sizeof(text),
		 "{\"version\":1,\"saved_ms\":%llu,\"destinations\":["
		 "{\"prefix\":\"10.9.0.0/24\",\"pushed\":true,\"pushed_rtt_us\":5000},"
		 "{\"prefix\":\"not a prefix\"},"
		 "{\"prefix\":\"10.3.0.0/24\",\"pushed\":true,\"pushed_rtt_us\":0,"
		 " \"samples\":[[%llu,0],[%llu,99999999],[\"x\",1],[1],[%llu,42000]]},"
		 "{\"prefix\":\"fd00:13::/64\",\"pushed\":true,\"pushed_rtt_us\":7000,"
		 " \"pushed_rttvar_us\":-5}]}",
		 (unsigned long long)wall - 100,
		 (unsigned long long)wall - 1000, (unsigned long long)wall - 1000,
		 (unsigned long long)wall - 500);
	write_file(text);
	assert_int_equal(state_load(dir), 2);
	/* an RTT of 0 is no profile; only the one good sample is kept */
	assert_false(D.dests[0].pushed);
	assert_int_equal(D.dests[0].est.n, 1);
	assert_int_equal(D.dests[0].est.base_us, 42000);
	/* a negative jitter makes the pushed profile invalid */
	assert_false(D.dests[1].pushed);
}

static void test_corrupt(void **state)
{
	static const char *const bad[] = {
		"", "{", "not json", "[]", "{\"version\":2,\"destinations\":[]}",
		"{\"version\":1,\"destinations\":{}}", "{\"version\":1}",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		write_file(bad[i]);
		assert_true(state_load(dir) < 0);
		assert_int_equal(D.dests[0].est.n, 0);
		assert_false(D.dests[0].pushed);
	}
}

static void test_missing(void **state)
{
	assert_int_equal(state_load(dir), 0);
	assert_int_equal(D.dests[0].est.n, 0);
}

static char *slurp(const char *path)
{
	static char buf[4096];
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return NULL;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n < 0 ? 0 : n] = 0;
	return buf;
}

/* Whoever can write the directory plants symlinks where the state file and
 * the old fixed temporary name would go: the write replaces the link with a
 * file and never writes through it.
 */
static void test_write_symlink(void **state)
{
	char victim[128], link1[128], link2[128], path[128];
	struct stat st;
	FILE *f;

	snprintf(victim, sizeof(victim), "%s/victim", dir);
	f = fopen(victim, "w");
	assert_non_null(f);
	fputs("precious\n", f);
	fclose(f);
	snprintf(link1, sizeof(link1), "%s/.daccd.state.tmp", dir);
	snprintf(link2, sizeof(link2), "%s/daccd.state", dir);
	assert_int_equal(symlink(victim, link1), 0);
	assert_int_equal(symlink(victim, link2), 0);
	assert_int_equal(state_save(dir), 0);
	assert_string_equal(slurp(victim), "precious\n");
	assert_int_equal(lstat(link2, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0644);
	/* a plain name only */
	assert_int_equal(atomic_write(dir, "../x", "y"), -EINVAL);
	assert_int_equal(atomic_write(dir, "", "y"), -EINVAL);
	snprintf(path, sizeof(path), "%s/nodir", dir);
	assert_true(atomic_write(path, "x", "y") < 0);
	/* a state file that is a link is not followed at load either */
	assert_int_equal(unlink(link2), 0);
	assert_int_equal(symlink(victim, link2), 0);
	assert_true(state_load(dir) < 0);
}

static void test_max_age(void **state)
{
	struct dest *d = &D.dests[0];
	unsigned int i;

	for (i = 0; i < 10; i++)
		est_add(&d->est, &D.cfg->est, mono - 10000 + i * 1000, 100000 + i * 10);
	d->pushed = true;
	d->pushed_rtt_us = 100010;
	assert_int_equal(state_save(dir), 0);
	/* a day and a second later: not restored (the default maximum is a day) */
	teardown_dests();
	setup_dests();
	wall += D.cfg->state_max_age_ms + 1000;
	assert_int_equal(state_load(dir), -ESTALE);
	assert_false(D.dests[0].pushed);
	assert_int_equal(D.dests[0].est.n, 0);
	/* a clock set back to before the save: of unknown age, not restored */
	wall -= 2 * (uint64_t)D.cfg->state_max_age_ms;
	assert_int_equal(state_load(dir), -ESTALE);
	assert_false(D.dests[0].pushed);
	/* just under the maximum: restored */
	wall += D.cfg->state_max_age_ms * 2 - 2000;
	assert_int_equal(state_load(dir), 2);
	assert_true(D.dests[0].pushed);
}

static void test_no_saved_ms(void **state)
{
	write_file("{\"version\":1,\"destinations\":[{\"prefix\":\"10.3.0.0/24\",\"pushed\":true,"
		   "\"pushed_rtt_us\":5000}]}");
	assert_int_equal(state_load(dir), -ESTALE);
	assert_false(D.dests[0].pushed);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_roundtrip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_skips_bad_entries, setup, teardown),
		cmocka_unit_test_setup_teardown(test_corrupt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_symlink, setup, teardown),
		cmocka_unit_test_setup_teardown(test_max_age, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_saved_ms, setup, teardown),
	};

	log_level = -1;	/* quiet */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
