/*
 * json-check.h — one output line checked as RFC 8259 JSON (behaviour.md
 * §7): json-glib's parser reads it, and since that parser takes control
 * characters inside strings as they are, the line is also checked to hold
 * none raw and to be UTF-8.
 */
#pragma once

#include <json-glib/json-glib.h>

/* Fails the test (WHAT:N names the line) unless LINE is one valid JSON
 * object; returns the parser holding it (unref it). */
static inline JsonParser *
json_check_line (const char *what, guint n, const char *line)
{
	JsonParser *p = json_parser_new ();
	g_autoptr (GError) error = NULL;

	if (!g_utf8_validate (line, -1, NULL))
		g_error ("%s:%u: not UTF-8", what, n);
	for (const char *c = line; *c; c++)
		if ((unsigned char) *c < 0x20)
			g_error ("%s:%u: control character 0x%02x not escaped "
				 "at byte %u", what, n, (unsigned char) *c,
				 (guint) (c - line));
	if (!json_parser_load_from_data (p, line, -1, &error))
		g_error ("%s:%u: not JSON: %s", what, n, error->message);
	if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (p)))
		g_error ("%s:%u: not a JSON object", what, n);
	return p;
}
