// SPDX-License-Identifier: GPL-2.0
/* One output path for text and JSON (json-c), as iproute2's json_print:
 * every field is printed by one call that knows both of its forms.
 */
#include <stdarg.h>
#include <string.h>

#include "dacc.h"

void out_init(struct out *o, FILE *f, bool json, bool pretty)
{
	memset(o, 0, sizeof(*o));
	o->f = f;
	o->json = json;
	o->pretty = pretty;
}

static void json_attach(struct out *o, const char *key, json_object *v)
{
	json_object *parent = o->depth ? o->stack[o->depth - 1] : NULL;

	if (!parent) {
		json_object_put(v);
		return;
	}
	if (json_object_is_type(parent, json_type_array))
		json_object_array_add(parent, v);
	else
		json_object_object_add(parent, key ? key : "", v);
}

void out_open(struct out *o, const char *key, bool array)
{
	json_object *v;

	if (!o->json || o->depth >= OUT_MAX_DEPTH)
		return;
	v = array ? json_object_new_array() : json_object_new_object();
	if (o->depth)
		json_attach(o, key, json_object_get(v));
	o->stack[o->depth++] = v;
}

void out_close(struct out *o)
{
	int flags = JSON_C_TO_STRING_NOSLASHESCAPE;
	json_object *v;

	if (!o->json || !o->depth)
		return;
	v = o->stack[--o->depth];
	if (!o->depth) {
		flags |= o->pretty ? JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED :
			JSON_C_TO_STRING_PLAIN;
		fprintf(o->f, "%s\n", json_object_to_json_string_ext(v, flags));
		fflush(o->f);
	}
	json_object_put(v);
}

static void text_add(struct out *o, const char *fmt, va_list ap, bool sep)
{
	int n;

	if (sep && o->len && o->line[o->len - 1] != ' ' && o->len < sizeof(o->line) - 1)
		o->line[o->len++] = ' ';
	n = vsnprintf(o->line + o->len, sizeof(o->line) - o->len, fmt, ap);
	if (n > 0)
		o->len += (size_t)n < sizeof(o->line) - o->len ? (size_t)n :
			sizeof(o->line) - o->len - 1;
}

static void text(struct out *o, bool sep, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	text_add(o, fmt, ap, sep);
	va_end(ap);
}

void out_string(struct out *o, const char *key, const char *fmt, const char *v)
{
	if (o->json) {
		if (key)
			json_attach(o, key, json_object_new_string(v));
		return;
	}
	if (fmt)
		text(o, true, fmt, v);
}

void out_u64(struct out *o, const char *key, const char *fmt, uint64_t v)
{
	if (o->json) {
		if (key)
			json_attach(o, key, json_object_new_uint64(v));
		return;
	}
	if (fmt)
		text(o, true, fmt, (unsigned long long)v);
}

void out_raw(struct out *o, const char *s)
{
	if (!o->json)
		text(o, false, "%s", s);
}

void out_nl(struct out *o)
{
	if (o->json)
		return;
	while (o->len && o->line[o->len - 1] == ' ')
		o->len--;
	o->line[o->len] = '\0';
	fprintf(o->f, "%s\n", o->line);
	o->len = 0;
}
