/*
 * json-line.h — one JSON object as one line of `rrec replay --json` and
 * `rrec parse` (behaviour.md §7: every control character escaped).
 */
#pragma once

#include <json-glib/json-glib.h>

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
