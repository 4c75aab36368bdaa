/*
 * json-line.h — one JSON object as one line of `rrec replay --json` and
 * `rrec parse` (behaviour.md §7: every control character escaped).
 */
#pragma once

#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include <json-glib/json-glib.h>

#include "rrec/kvlist.h"

/* ROOT as compact JSON text.  json-glib 1.6 writes U+001F raw inside a
 * string (its escaping stops below it), which RFC 8259 forbids; outside
 * strings the compact form has no control character at all, so every one
 * left is escaped here.  Free with g_free(). */
static inline char *
rrec_json_line (JsonNode *root)
{
	g_autoptr (JsonGenerator) gen = json_generator_new ();
	g_autofree char *text = NULL;
	GString *out;

	json_generator_set_root (gen, root);
	text = json_generator_to_data (gen, NULL);
	out = g_string_sized_new (strlen (text) + 1);
	for (const char *p = text; *p; p++) {
		if ((unsigned char) *p < 0x20)
			g_string_append_printf (out, "\\u%04x", (unsigned char) *p);
		else
			g_string_append_c (out, *p);
	}
	return g_string_free (out, FALSE);
}

/*
 * A streaming writer for the same lines without a JsonNode tree: the
 * caller appends members to a GString it reuses.  Its bytes are those of
 * rrec_json_line() on the tree json-glib 1.6's builder would make of the
 * same members (tests/test-json-line.c compares them byte by byte):
 * '"' and '\\' escaped, \b \f \n \r \t in their short form, every other
 * control character and DEL as \u00XX in lower-case hex, every other byte
 * (UTF-8 or not) as it is.
 */
/* g_string_append_len() without its general insertion path. */
static inline void
rrec_json_put (GString *s, const char *bytes, gsize n)
{
	if (G_LIKELY (s->len + n < s->allocated_len)) {
		memcpy (s->str + s->len, bytes, n);
		s->len += n;
		s->str[s->len] = 0;
	} else {
		g_string_append_len (s, bytes, n);
	}
}

/* The bytes a string cannot hold as they are (NUL, its end, is never
 * met: the writer goes by the string's length). */
static const guint8 rrec_json_stop[256] = {
	[0x00 ... 0x1f] = 1, ['"'] = 1, ['\\'] = 1, [0x7f] = 1,
};

#ifdef __SSE2__
/* The bytes of X that rrec_json_stop[] stops at (NUL aside), as bits. */
static inline unsigned
rrec_json_stop_bits (__m128i x)
{
	/* unsigned x <= 0x1f where min (x, 0x1f) is x */
	__m128i ctl = _mm_cmpeq_epi8 (_mm_min_epu8 (x, _mm_set1_epi8 (0x1f)), x);
	__m128i q = _mm_cmpeq_epi8 (x, _mm_set1_epi8 ('"'));
	__m128i b = _mm_cmpeq_epi8 (x, _mm_set1_epi8 ('\\'));
	__m128i d = _mm_cmpeq_epi8 (x, _mm_set1_epi8 (0x7f));

	return (unsigned) _mm_movemask_epi8 (_mm_or_si128 (_mm_or_si128 (ctl, q),
							   _mm_or_si128 (b, d)));
}
#endif

/* The first byte from P on, before END, that a string cannot hold as it
 * is; END when none.  16 or 8 bytes at a time where the string has them,
 * its last ones read again from END back rather than past END (the
 * bytes before P are known to be plain). */
static inline const guchar *
rrec_json_plain_end (const guchar *p, const guchar *end)
{
#ifdef __SSE2__
	if (end - p >= 16) {
		unsigned bits;

		for (; end - p > 16; p += 16) {
			bits = rrec_json_stop_bits (_mm_loadu_si128 ((const __m128i *) p));
			if (bits)
				return p + __builtin_ctz (bits);
		}
		p = end - 16;
		bits = rrec_json_stop_bits (_mm_loadu_si128 ((const __m128i *) p));
		return bits ? p + __builtin_ctz (bits) : end;
	}
	if (end - p >= 8) {
		unsigned bits = rrec_json_stop_bits (
			_mm_loadl_epi64 ((const __m128i *) p)) & 0xff;

		if (bits)
			return p + __builtin_ctz (bits);
		p = end - 8;
		bits = rrec_json_stop_bits (_mm_loadl_epi64 ((const __m128i *) p)) & 0xff;
		return bits ? p + __builtin_ctz (bits) : end;
	}
#endif
	while (p < end && !rrec_json_stop[*p])
		p++;
	return p;
}

static inline void
rrec_json_append_string (GString *s, const char *text)
{
	static const char hex[] = "0123456789abcdef";
	const guchar *p = (const guchar *) text;
	const guchar *end = p + strlen (text);

	g_string_append_c (s, '"');
	for (;;) {
		const guchar *run = p;
		char esc[6] = { '\\', 'u', '0', '0', 0, 0 };
		gsize n = 2;

		p = rrec_json_plain_end (p, end);
		if (p > run)
			rrec_json_put (s, (const char *) run, p - run);
		if (p == end)
			break;
		switch (*p) {
		case '"': case '\\': esc[1] = (char) *p; break;
		case '\b': esc[1] = 'b'; break;
		case '\f': esc[1] = 'f'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		default:
			esc[4] = hex[*p >> 4];
			esc[5] = hex[*p & 15];
			n = 6;
		}
		rrec_json_put (s, esc, n);
		p++;
	}
	g_string_append_c (s, '"');
}

/* Starts the line: '{'.  Members follow, then rrec_json_end(). */
static inline void
rrec_json_begin (GString *s)
{
	g_string_append_c (s, '{');
}

/* Ends the object (the caller adds the newline). */
static inline void
rrec_json_end (GString *s)
{
	g_string_append_c (s, '}');
}

static inline void
rrec_json_name (GString *s, const char *name)
{
	if (s->len > 0 && s->str[s->len - 1] != '{')
		g_string_append_c (s, ',');
	rrec_json_append_string (s, name);
	g_string_append_c (s, ':');
}

/*
 * Members after the first whose name is a string literal of plain ASCII
 * (no '"', '\\' or control character): `,"name":` is put at once, the
 * bytes rrec_json_name() writes for such a name after another member,
 * without scanning the name again for each line (issue #14).
 */
#define RREC_JSON_NEXT(name) ",\"" name "\":"
#define rrec_json_next_name(s, name) \
	rrec_json_put ((s), RREC_JSON_NEXT (name), sizeof RREC_JSON_NEXT (name) - 1)
#define rrec_json_next_str(s, name, value) \
	rrec_json_next_str_ ((s), RREC_JSON_NEXT (name), \
			     sizeof RREC_JSON_NEXT (name) - 1, (value))
#define rrec_json_next_int(s, name, value) \
	(rrec_json_next_name ((s), name), rrec_json_append_int ((s), (value)))
#define rrec_json_next_bool(s, name, value) \
	(rrec_json_next_name ((s), name), (value) ? \
	 rrec_json_put ((s), "true", 4) : rrec_json_put ((s), "false", 5))

/* A string member; none when @value is NULL (as the replay always did). */
static inline void
rrec_json_str (GString *s, const char *name, const char *value)
{
	if (value == NULL)
		return;
	rrec_json_name (s, name);
	rrec_json_append_string (s, value);
}

/* As json-glib writes a gint64: decimal, '-' when negative. */
static inline void
rrec_json_append_int (GString *s, gint64 value)
{
	char digits[24];
	char *d = digits + sizeof digits;
	guint64 u = value < 0 ? -(guint64) value : (guint64) value;

	do
		*--d = (char) ('0' + u % 10);
	while ((u /= 10) > 0);
	if (value < 0)
		*--d = '-';
	rrec_json_put (s, d, digits + sizeof digits - d);
}

static inline void
rrec_json_int (GString *s, const char *name, gint64 value)
{
	rrec_json_name (s, name);
	rrec_json_append_int (s, value);
}

/* rrec_json_next_str(): none when @value is NULL, as rrec_json_str(). */
static inline void
rrec_json_next_str_ (GString *s, const char *next, gsize n, const char *value)
{
	if (value == NULL)
		return;
	rrec_json_put (s, next, n);
	rrec_json_append_string (s, value);
}

static inline void
rrec_json_bool (GString *s, const char *name, gboolean value)
{
	rrec_json_name (s, name);
	if (value)
		rrec_json_put (s, "true", 4);
	else
		rrec_json_put (s, "false", 5);
}

/* Up to the first four bytes of KEY: keys that differ there are told
 * apart without a strcmp(), and it costs a few instructions a key. */
static inline guint32
rrec_json_key_sig (const char *key)
{
	const guchar *k = (const guchar *) key;
	guint32 sig = k[0];

	for (guint i = 1; i < 4 && k[i - 1]; i++)
		sig |= (guint32) k[i] << (8 * i);
	return sig;
}

/* A key-value list as an object.  A key that comes again keeps the place
 * of its first occurrence and takes the value of its last (what a
 * JsonObject does with json_builder_set_member_name() on a name it has). */
static inline void
rrec_json_kv (GString *s, const RrecKvList *l)
{
	guint n = rrec_kv_list_length (l);
	guint32 stack[32];
	guint32 *h = n <= G_N_ELEMENTS (stack) ? stack : g_new (guint32, n);

	for (guint i = 0; i < n && n > 1; i++)
		h[i] = rrec_json_key_sig (rrec_kv_list_key (l, i));
	rrec_json_begin (s);
	for (guint i = 0; i < n; i++) {
		const char *key = rrec_kv_list_key (l, i);
		guint last = i;
		gboolean again = FALSE;

		for (guint j = 0; j < i && !again; j++)
			again = h[j] == h[i] &&
				strcmp (rrec_kv_list_key (l, j), key) == 0;
		if (again)
			continue;	/* written at its first place */
		for (guint j = i + 1; j < n; j++)
			if (h[j] == h[i] && strcmp (rrec_kv_list_key (l, j), key) == 0)
				last = j;
		rrec_json_name (s, key);
		switch (rrec_kv_list_kind (l, last)) {
		case RREC_KV_STRING: {
			const char *v = rrec_kv_list_string (l, last);

			if (v)
				rrec_json_append_string (s, v);
			else
				rrec_json_put (s, "null", 4);
			break;
		}
		case RREC_KV_INT:
			rrec_json_append_int (s, rrec_kv_list_int (l, last));
			break;
		case RREC_KV_LIST:
			rrec_json_kv (s, rrec_kv_list_sublist (l, last));
			break;
		}
	}
	rrec_json_end (s);
	if (h != stack)
		g_free (h);
}
