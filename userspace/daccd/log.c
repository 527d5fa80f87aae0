// SPDX-License-Identifier: GPL-2.0
/* daccd: structured logs, one logfmt line per event on stderr (the journal
 * takes stderr of a systemd service as is).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "daccd.h"

int log_level = LOG_INFO_;

const char *log_esc(const char *s)
{
	static char bufs[8][256 * 4 + 8];
	static unsigned int next;
	char *b = bufs[next++ % 8], *o = b;
	size_t i;

	if (!s)
		return "(null)";
	for (i = 0; s[i] && i < 256; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch == '"' || ch == '\\') {
			*o++ = '\\';
			*o++ = (char)ch;
		} else if (ch == '\n') {
			*o++ = '\\';
			*o++ = 'n';
		} else if (ch < 0x20 || ch == 0x7f) {
			o += sprintf(o, "\\x%02x", ch);
		} else {
			*o++ = (char)ch;
		}
	}
	if (s[i])
		o += sprintf(o, "...");
	*o = 0;
	return b;
}

void dlog(int level, const char *fmt, ...)
{
	static const char *const names[] = { "error", "warning", "info", "debug" };
	struct timespec ts;
	struct tm tm;
	char t[32];
	va_list ap;

	if (level > log_level)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(t, sizeof(t), "%Y-%m-%dT%H:%M:%S", &tm);
	fprintf(stderr, "ts=%s.%03ldZ level=%s ", t, ts.tv_nsec / 1000000, names[level]);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fflush(stderr);
}
