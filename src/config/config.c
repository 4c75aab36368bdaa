/*
 * config.c — loading and checking the configuration file (behaviour.md §2,
 * C1–C3).
 *
 * GKeyFile reads the values; a line scan of our own runs beside it because
 * GKeyFile forgets where things were: the scan gives every message its line
 * number (C2), sees each key as written (duplicates and localised `key[xx]`
 * included) and so lets every unknown group or key be reported (C1).
 */

#include "rrec-config-private.h"

#include <stdarg.h>
#include <string.h>

#include "rrec-config-data.h"
#include "rrec-filename.h"

G_DEFINE_QUARK (rrec-config-error-quark, rrec_config_error)

#define GROUP_MAIN "remote-recording"
#define APP_PREFIX "app:"
#define DN_PREFIX "dn:"

/* C3 bounds: a day for any timeout, a thousand reconnection attempts. */
#define MAX_TIMEOUT_S 86400u
#define MAX_RECONNECT_ATTEMPTS 1000u

#define DEFAULT_REESTABLISH_TOUT 5u
#define DEFAULT_SETUP_TOUT 10u		/* R25: added option */
#define DEFAULT_RECONNECT_TIMEOUT 10u
#define DEFAULT_RECONNECT_ATTEMPTS 1u
#define MAX_COUNT 1000u	/* R35: added counts, defaults 3 and 0 */

#define ACCEPTED_BOOLEAN "true, false"
#define ACCEPTED_DN_TYPES \
	"extension, routing-point, acd-position, trunk, trunk-group, " \
	"voip-service"
#define ACCEPTED_URI_PATTERN \
	"[sip:|sips:]{PREFIX{D...D}}[{@HOST}], PREFIX of digits, '+', '*', " \
	"'#', 1 to 9 'D'"

static const char *const dn_type_names[] = {
	[RREC_DN_TYPE_EXTENSION] = "extension",
	[RREC_DN_TYPE_ROUTING_POINT] = "routing-point",
	[RREC_DN_TYPE_ACD_POSITION] = "acd-position",
	[RREC_DN_TYPE_TRUNK] = "trunk",
	[RREC_DN_TYPE_TRUNK_GROUP] = "trunk-group",
	[RREC_DN_TYPE_VOIP_SERVICE] = "voip-service",
};

const char *
rrec_dn_type_to_string (RrecDnType type)
{
	g_return_val_if_fail ((guint) type < G_N_ELEMENTS (dn_type_names),
	                      NULL);
	return dn_type_names[type];
}

/* ---- The line scan ---------------------------------------------------- */

/* One group header or key line, in file order. */
typedef struct {
	char *group;
	char *key;		/* NULL for the group header */
	guint line;
} ScanEntry;

static void
scan_entry_free (gpointer p)
{
	ScanEntry *e = p;

	g_free (e->group);
	g_free (e->key);
	g_free (e);
}

typedef struct {
	const char *source;
	GKeyFile *keyfile;
	GPtrArray *entries;	/* ScanEntry, file order */
	GHashTable *lines;	/* "group" or "group\nkey" → first line */
	RrecConfig *config;
} Loader;

static char *
line_key (const char *group, const char *key)
{
	return key != NULL ? g_strconcat (group, "\n", key, NULL)
	                   : g_strdup (group);
}

/* The line of GROUP's header or of KEY in GROUP, 0 when unknown. */
static guint
lookup_line (Loader *l, const char *group, const char *key)
{
	g_autofree char *k = line_key (group, key);

	return GPOINTER_TO_UINT (g_hash_table_lookup (l->lines, k));
}

/*
 * Sets ERROR to "FILE:LINE: [GROUP] KEY: message", leaving out LINE when
 * it is not known and KEY when the message is about the whole group.
 */
static void G_GNUC_PRINTF (6, 7)
set_error_at (Loader *l, GError **error, RrecConfigError code,
              const char *group, const char *key, const char *format, ...)
{
	g_autofree char *message = NULL;
	g_autofree char *where = NULL;
	guint line = lookup_line (l, group, key);
	va_list args;

	if (line == 0 && key != NULL)
		line = lookup_line (l, group, NULL);
	va_start (args, format);
	message = g_strdup_vprintf (format, args);
	va_end (args);
	where = line != 0 ? g_strdup_printf ("%s:%u", l->source, line)
	                  : g_strdup (l->source);
	if (key != NULL)
		g_set_error (error, RREC_CONFIG_ERROR, code, "%s: [%s] %s: %s",
		             where, group, key, message);
	else
		g_set_error (error, RREC_CONFIG_ERROR, code, "%s: [%s]: %s",
		             where, group, message);
}

/* TEXT for a message: TAB and other control characters escaped. */
static char *
shown (const char *text)
{
	GString *s = g_string_new (NULL);

	for (const char *c = text; *c; c++)
		if ((guchar) *c < 0x20 || *c == 0x7f)
			g_string_append_printf (s, *c == '\t' ? "\\t" : "\\x%02x",
			                        (guchar) *c);
		else
			g_string_append_c (s, *c);
	return g_string_free (s, FALSE);
}

static void G_GNUC_PRINTF (3, 4)
add_warning (Loader *l, guint line, const char *format, ...)
{
	g_autofree char *message = NULL;
	va_list args;

	va_start (args, format);
	message = g_strdup_vprintf (format, args);
	va_end (args);
	/* Keep the array NULL-terminated: replace the NULL, append a new one. */
	g_ptr_array_index (l->config->warnings,
	                   l->config->warnings->len - 1) =
		g_strdup_printf ("%s:%u: %s", l->source, line, message);
	g_ptr_array_add (l->config->warnings, NULL);
}

/*
 * A configuration is UTF-8 text (§7): a NUL byte (GKeyFile cut the value
 * there), bytes that are not UTF-8 or a control character other than TAB
 * (and the CR of a CRLF line end) are refused with their line and column,
 * so that no message or output ever carries them raw.
 */
static gboolean
check_text (Loader *l, guint line, const char *p, const char *stop,
            GError **error)
{
	const char *bad = NULL;

	if (stop > p && stop[-1] == '\r')
		stop--;
	for (const char *c = p; c < stop; c++)
		if (((guchar) *c < 0x20 && *c != '\t') || *c == 0x7f) {
			g_set_error (error, RREC_CONFIG_ERROR,
			             RREC_CONFIG_ERROR_SYNTAX,
			             "%s:%u: %s (0x%02x) at column %u: a "
			             "configuration is text", l->source, line,
			             *c == '\0' ? "a NUL byte" :
			             "a control character", (guchar) *c,
			             (guint) (c - p + 1));
			return FALSE;
		}
	if (!g_utf8_validate (p, stop - p, &bad)) {
		g_set_error (error, RREC_CONFIG_ERROR, RREC_CONFIG_ERROR_SYNTAX,
		             "%s:%u: byte 0x%02x at column %u is not UTF-8",
		             l->source, line, (guchar) *bad,
		             (guint) (bad - p + 1));
		return FALSE;
	}
	return TRUE;
}

/*
 * Walks DATA line by line as GKeyFile does (leading white space ignored,
 * `#` lines and blank lines skipped), records where each group and key
 * is, and refuses what GKeyFile would refuse, with the line number that
 * GKeyFile's own message lacks.
 */
static gboolean
scan_lines (Loader *l, const char *data, gsize len, GError **error)
{
	const char *end = data + len;
	const char *p = data;
	g_autofree char *group = NULL;
	guint line = 0;

	while (p < end) {
		const char *nl = memchr (p, '\n', end - p);
		const char *stop = nl != NULL ? nl : end;
		g_autofree char *text = NULL;
		ScanEntry *entry;
		char *eq;

		line++;
		if (!check_text (l, line, p, stop, error))
			return FALSE;
		text = g_strstrip (g_strndup (p, stop - p));
		p = nl != NULL ? nl + 1 : end;

		if (text[0] == '\0' || text[0] == '#')
			continue;

		if (text[0] == '[') {
			char *close = strchr (text, ']');

			if (close == NULL || close[1] != '\0') {
				g_set_error (error, RREC_CONFIG_ERROR,
				             RREC_CONFIG_ERROR_SYNTAX,
				             "%s:%u: '%s' is not a group header "
				             "(accepted: [NAME] alone on its line)",
				             l->source, line, text);
				return FALSE;
			}
			g_free (group);
			group = g_strndup (text + 1, close - text - 1);
			if (strchr (group, '\t') != NULL) {
				g_set_error (error, RREC_CONFIG_ERROR,
				             RREC_CONFIG_ERROR_SYNTAX,
				             "%s:%u: a TAB inside a group name",
				             l->source, line);
				return FALSE;
			}
			entry = g_new0 (ScanEntry, 1);
		} else if ((eq = strchr (text, '=')) != NULL) {
			if (group == NULL) {
				g_set_error (error, RREC_CONFIG_ERROR,
				             RREC_CONFIG_ERROR_SYNTAX,
				             "%s:%u: '%s' comes before any "
				             "[group]", l->source, line, text);
				return FALSE;
			}
			*eq = '\0';
			if (strchr (g_strchomp (text), '\t') != NULL) {
				g_set_error (error, RREC_CONFIG_ERROR,
				             RREC_CONFIG_ERROR_SYNTAX,
				             "%s:%u: a TAB inside a key (TABs may "
				             "only surround keys and values)",
				             l->source, line);
				return FALSE;
			}
			entry = g_new0 (ScanEntry, 1);
			entry->key = g_strdup (text);
		} else {
			g_set_error (error, RREC_CONFIG_ERROR,
			             RREC_CONFIG_ERROR_SYNTAX,
			             "%s:%u: '%s' is neither a [group], a "
			             "'key = value' line nor a '#' comment",
			             l->source, line, text);
			return FALSE;
		}
		entry->group = g_strdup (group);
		entry->line = line;
		g_ptr_array_add (l->entries, entry);
	}
	return TRUE;
}

/* ---- Values ----------------------------------------------------------- */

/*
 * The value of KEY in GROUP, or NULL with no error when it is absent.
 * C3: a value never carries a comment, so `true # always` is refused here
 * rather than read as the string "true # always".
 */
static char *
get_value (Loader *l, const char *group, const char *key, GError **error)
{
	g_autoptr (GError) local = NULL;
	g_autofree char *value = NULL;
	const char *hash;

	if (!g_key_file_has_key (l->keyfile, group, key, NULL))
		return NULL;
	/* as written: GKeyFile's escapes (\n, \t, \s, \\) mean nothing in
	 * a T-Server option, a backslash stays a backslash */
	value = g_key_file_get_value (l->keyfile, group, key, &local);
	if (value == NULL) {
		set_error_at (l, error, RREC_CONFIG_ERROR_INVALID_VALUE,
		              group, key, "%s", local->message);
		return NULL;
	}
	for (hash = strchr (value, '#'); hash != NULL;
	     hash = strchr (hash + 1, '#')) {
		if (hash == value || g_ascii_isspace (hash[-1])) {
			g_autofree char *v = shown (value);

			set_error_at (l, error, RREC_CONFIG_ERROR_INVALID_VALUE,
			              group, key,
			              "'%s' carries a comment (comments are "
			              "whole lines starting with '#')", v);
			return NULL;
		}
	}
	/* blanks around a value are no part of it, TABs as spaces */
	g_strstrip (value);
	if (strchr (value, '\t') != NULL) {
		set_error_at (l, error, RREC_CONFIG_ERROR_INVALID_VALUE,
		              group, key, "a TAB inside the value (at "
		              "character %u)", (guint) (strchr (value, '\t') - value + 1));
		return NULL;
	}
	return g_steal_pointer (&value);
}

/* A required value: absent or empty is an error. */
static char *
get_required (Loader *l, const char *group, const char *key,
              const char *accepted, GError **error)
{
	GError *local = NULL;
	char *value = get_value (l, group, key, &local);

	if (local != NULL) {
		g_propagate_error (error, local);
		return NULL;
	}
	if (value == NULL) {
		set_error_at (l, error, RREC_CONFIG_ERROR_MISSING, group, key,
		              "required option missing (accepted: %s)",
		              accepted);
		return NULL;
	}
	if (value[0] == '\0') {
		set_error_at (l, error, RREC_CONFIG_ERROR_INVALID_VALUE,
		              group, key, "is empty (accepted: %s)", accepted);
		g_free (value);
		return NULL;
	}
	return value;
}

/*
 * A whole number MIN … MAX, DEF when absent.  Only decimal digits: a sign,
 * a unit or trailing text would be a guess at what was meant.
 */
static gboolean
get_uint (Loader *l, const char *group, const char *key, guint def,
          guint min, guint max, const char *accepted, guint *out,
          GError **error)
{
	GError *local = NULL;
	g_autofree char *value = get_value (l, group, key, &local);
	guint64 n = 0;
	gsize i;

	if (local != NULL) {
		g_propagate_error (error, local);
		return FALSE;
	}
	if (value == NULL) {
		*out = def;
		return TRUE;
	}
	for (i = 0; g_ascii_isdigit (value[i]); i++) {
		/* Stop growing past any bound instead of overflowing. */
		if (n <= G_MAXUINT32)
			n = n * 10 + (guint) (value[i] - '0');
	}
	if (i == 0 || value[i] != '\0') {
		set_error_at (l, error, RREC_CONFIG_ERROR_INVALID_VALUE,
		              group, key,
		              "'%s' is not a whole number (accepted: %s)",
		              value, accepted);
		return FALSE;
	}
	if (n < min || n > max) {
		set_error_at (l, error, RREC_CONFIG_ERROR_INVALID_VALUE,
		              group, key, "'%s' is out of range (accepted: %s)",
		              value, accepted);
		return FALSE;
	}
	*out = (guint) n;
	return TRUE;
}

/* Exactly `true` or `false`; DEF when absent. */
static gboolean
get_boolean (Loader *l, const char *group, const char *key, gboolean def,
             gboolean *out, GError **error)
{
	GError *local = NULL;
	g_autofree char *value = get_value (l, group, key, &local);

	if (local != NULL) {
		g_propagate_error (error, local);
		return FALSE;
	}
	if (value == NULL)
		*out = def;
	else if (strcmp (value, "true") == 0)
		*out = TRUE;
	else if (strcmp (value, "false") == 0)
		*out = FALSE;
	else {
		set_error_at (l, error, RREC_CONFIG_ERROR_INVALID_VALUE,
		              group, key,
		              "'%s' is not a boolean (accepted: "
		              ACCEPTED_BOOLEAN ")", value);
		return FALSE;
	}
	return TRUE;
}

/* ---- Groups ----------------------------------------------------------- */

/* The NAMEs of the [app:NAME] groups, for the accepted values of a message. */
static char *
list_app_groups (Loader *l)
{
	g_auto (GStrv) groups = g_key_file_get_groups (l->keyfile, NULL);
	GString *s = g_string_new (NULL);

	for (guint i = 0; groups[i] != NULL; i++) {
		if (!g_str_has_prefix (groups[i], APP_PREFIX))
			continue;
		if (s->len > 0)
			g_string_append (s, ", ");
		g_string_append (s, groups[i] + strlen (APP_PREFIX));
	}
	if (s->len == 0)
		g_string_append (s, "the NAME of an [app:NAME] group; "
		                 "this file has none");
	return g_string_free (s, FALSE);
}

static gboolean
load_main_group (Loader *l, GError **error)
{
	RrecConfig *c = l->config;
	g_autoptr (GError) local = NULL;
	g_autofree char *pattern = NULL;
	g_autofree char *filename = NULL;

	c->server_application = get_required (l, GROUP_MAIN,
	                                      "server-application",
	                                      "the NAME of an [app:NAME] group",
	                                      error);
	if (c->server_application == NULL)
		return FALSE;
	c->trunk_group = get_required (l, GROUP_MAIN, "trunk-group",
	                               "the Trunk Group DN of the recording "
	                               "legs", error);
	if (c->trunk_group == NULL)
		return FALSE;

	pattern = get_required (l, GROUP_MAIN, "uri-pattern",
	                        ACCEPTED_URI_PATTERN, error);
	if (pattern == NULL)
		return FALSE;
	c->uri_pattern = rrec_uri_pattern_parse (pattern, &local);
	if (c->uri_pattern == NULL) {
		set_error_at (l, error, RREC_CONFIG_ERROR_INVALID_VALUE,
		              GROUP_MAIN, "uri-pattern",
		              "'%s' is not a valid pattern: %s (accepted: "
		              ACCEPTED_URI_PATTERN ")", pattern,
		              local->message);
		return FALSE;
	}
	c->uri_pattern_text = rrec_uri_pattern_to_string (c->uri_pattern);

	if (!get_uint (l, GROUP_MAIN, "reestablish-recording-tout",
	               DEFAULT_REESTABLISH_TOUT, 0, MAX_TIMEOUT_S,
	               "seconds from 0 to 86400, 0 = never",
	               &c->reestablish_recording_tout, error))
		return FALSE;
	if (!get_uint (l, GROUP_MAIN, "recording-setup-tout",
	               DEFAULT_SETUP_TOUT, 1, MAX_TIMEOUT_S,
	               "seconds from 1 to 86400",
	               &c->recording_setup_tout, error))
		return FALSE;

	filename = get_value (l, GROUP_MAIN, "recording-filename", &local);
	if (local != NULL) {
		g_propagate_error (error, g_steal_pointer (&local));
		return FALSE;
	}
	/* C2 checks it; compiled here, once, not at each dial (R29) */
	c->recording_filename_compiled =
		rrec_filename_template_compile (filename, &local);
	if (c->recording_filename_compiled == NULL) {
		set_error_at (l, error, RREC_CONFIG_ERROR_INVALID_VALUE,
		              GROUP_MAIN, "recording-filename", "%s",
		              local->message);
		return FALSE;
	}
	c->recording_filename = filename != NULL && filename[0] != '\0'
	                        ? g_steal_pointer (&filename)
	                        : g_strdup (RREC_FILENAME_DEFAULT_TEMPLATE);

	if (!get_uint (l, GROUP_MAIN, "recording-failure-alarm",
	               3, 0, MAX_COUNT,
	               "a count from 0 to 1000, 0 = never",
	               &c->recording_failure_alarm, error))
		return FALSE;
	if (!get_uint (l, GROUP_MAIN, "reestablish-max-attempts",
	               0, 0, MAX_COUNT,
	               "a count from 0 to 1000, 0 = no limit",
	               &c->reestablish_max_attempts, error))
		return FALSE;

	return get_boolean (l, GROUP_MAIN, "record-moh", TRUE, &c->record_moh,
	                    error) &&
	       get_boolean (l, GROUP_MAIN, "record-consult-calls", FALSE,
	                    &c->record_consult_calls, error);
}

static gboolean
load_app_group (Loader *l, GError **error)
{
	RrecConfig *c = l->config;
	g_autofree char *group = g_strconcat (APP_PREFIX,
	                                      c->server_application, NULL);

	if (!g_key_file_has_group (l->keyfile, group)) {
		g_autofree char *apps = list_app_groups (l);

		set_error_at (l, error, RREC_CONFIG_ERROR_NO_APP_GROUP,
		              GROUP_MAIN, "server-application",
		              "'%s' names no [%s] group (accepted: %s)",
		              c->server_application, group, apps);
		return FALSE;
	}
	if (!get_uint (l, group, "reconnect-timeout",
	               DEFAULT_RECONNECT_TIMEOUT, 1, MAX_TIMEOUT_S,
	               "seconds from 1 to 86400", &c->reconnect_timeout,
	               error))
		return FALSE;
	return get_uint (l, group, "reconnect-attempts",
	                 DEFAULT_RECONNECT_ATTEMPTS, 0, MAX_RECONNECT_ATTEMPTS,
	                 "a count from 0 to 1000", &c->reconnect_attempts,
	                 error);
}

static gboolean
load_dn_group (Loader *l, const char *group, GError **error)
{
	const char *name = group + strlen (DN_PREFIX);
	g_autofree char *type = NULL;
	RrecDnEntry *entry;
	gboolean record;
	guint t;

	if (name[0] == '\0') {
		set_error_at (l, error, RREC_CONFIG_ERROR_INVALID_VALUE, group,
		              NULL, "a DN group needs a name (accepted: "
		              "[dn:NAME])");
		return FALSE;
	}
	type = get_required (l, group, "type", ACCEPTED_DN_TYPES, error);
	if (type == NULL)
		return FALSE;
	for (t = 0; t < G_N_ELEMENTS (dn_type_names); t++)
		if (strcmp (type, dn_type_names[t]) == 0)
			break;
	if (t == G_N_ELEMENTS (dn_type_names)) {
		set_error_at (l, error, RREC_CONFIG_ERROR_INVALID_VALUE, group,
		              "type", "'%s' is not a DN type (accepted: "
		              ACCEPTED_DN_TYPES ")", type);
		return FALSE;
	}
	if (!get_boolean (l, group, "record", FALSE, &record, error))
		return FALSE;

	/* R1 names the DNs whose `record` makes recording mandatory. */
	if (record && t != RREC_DN_TYPE_EXTENSION &&
	    t != RREC_DN_TYPE_ROUTING_POINT && t != RREC_DN_TYPE_ACD_POSITION) {
		add_warning (l, lookup_line (l, group, "record"),
		             "[%s] record: only extension, acd-position and "
		             "routing-point DNs trigger recording, ignored for "
		             "a %s", group, type);
		record = FALSE;
	}

	/* R34: passed to SIP Server with each START this DN owns */
	g_autoptr (GError) local = NULL;
	g_autofree char *geo = get_value (l, group, "geo-location", &local);
	if (local != NULL) {
		g_propagate_error (error, g_steal_pointer (&local));
		return FALSE;
	}
	if (geo && *geo)
		g_hash_table_replace (l->config->geo_locations, g_strdup (name),
		                      g_steal_pointer (&geo));

	entry = g_new0 (RrecDnEntry, 1);
	entry->type = t;
	entry->record = record;
	g_hash_table_replace (l->config->dns, g_strdup (name), entry);
	return TRUE;
}

/* ---- C1: everything the file says that the engine will not use -------- */

static gboolean
is_known_key (const char *group, const char *key, const char *app_group)
{
	static const char *const main_keys[] = {
		"server-application", "trunk-group", "uri-pattern",
		"reestablish-recording-tout", "recording-setup-tout",
		"recording-filename", "record-moh", "recording-failure-alarm",
		"reestablish-max-attempts", "record-consult-calls", NULL,
	};
	static const char *const app_keys[] = {
		"reconnect-timeout", "reconnect-attempts", NULL,
	};
	static const char *const dn_keys[] = { "type", "record",
		"geo-location", NULL };

	if (strcmp (group, GROUP_MAIN) == 0)
		return g_strv_contains (main_keys, key);
	if (strcmp (group, app_group) == 0)
		return g_strv_contains (app_keys, key);
	return g_strv_contains (dn_keys, key);
}

static void
collect_warnings (Loader *l)
{
	g_autofree char *app_group = g_strconcat (APP_PREFIX,
	                                          l->config->server_application,
	                                          NULL);
	g_autoptr (GHashTable) ignored = g_hash_table_new (g_str_hash,
	                                                   g_str_equal);

	for (guint i = 0; i < l->entries->len; i++) {
		ScanEntry *e = g_ptr_array_index (l->entries, i);
		g_autofree char *k = line_key (e->group, e->key);
		guint first = lookup_line (l, e->group, e->key);

		if (g_hash_table_contains (ignored, e->group))
			continue;
		if (e->key == NULL) {
			if (first != e->line)
				add_warning (l, e->line, "[%s]: group given "
				             "again, its keys join those of "
				             "line %u", e->group, first);
			else if (g_str_has_prefix (e->group, APP_PREFIX) &&
			         strcmp (e->group, app_group) != 0) {
				add_warning (l, e->line, "[%s]: not the "
				             "server-application, ignored",
				             e->group);
				g_hash_table_add (ignored, e->group);
			} else if (strcmp (e->group, GROUP_MAIN) != 0 &&
			           strcmp (e->group, app_group) != 0 &&
			           !g_str_has_prefix (e->group, DN_PREFIX)) {
				add_warning (l, e->line, "[%s]: unknown group, "
				             "ignored", e->group);
				g_hash_table_add (ignored, e->group);
			}
			continue;
		}
		if (!is_known_key (e->group, e->key, app_group))
			add_warning (l, e->line, "[%s] %s: unknown option, "
			             "ignored", e->group, e->key);
		else if (first != e->line)
			add_warning (l, e->line, "[%s] %s: given again, this "
			             "value replaces that of line %u",
			             e->group, e->key, first);
	}
}

/* ---- Loading ---------------------------------------------------------- */

static RrecConfig *
config_new (const char *source)
{
	RrecConfig *c = g_new0 (RrecConfig, 1);

	g_atomic_ref_count_init (&c->ref_count);
	c->source = g_strdup (source);
	c->port_limit = G_MAXUINT64;
	c->dns = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
	                                g_free);
	c->geo_locations = g_hash_table_new_full (g_str_hash, g_str_equal,
	                                          g_free, g_free);
	c->warnings = g_ptr_array_new_with_free_func (g_free);
	g_ptr_array_add (c->warnings, NULL);
	return c;
}

static void
config_free (RrecConfig *c)
{
	g_free (c->source);
	g_free (c->server_application);
	g_free (c->trunk_group);
	rrec_uri_pattern_free (c->uri_pattern);
	g_free (c->uri_pattern_text);
	g_free (c->recording_filename);
	rrec_filename_template_free (c->recording_filename_compiled);
	g_hash_table_unref (c->dns);
	g_hash_table_unref (c->geo_locations);
	g_ptr_array_unref (c->warnings);
	g_free (c);
}

static gboolean
load (Loader *l, const char *data, gsize len, GError **error)
{
	g_autoptr (GError) local = NULL;
	g_auto (GStrv) groups = NULL;

	/* a UTF-8 byte-order mark (Windows editors write one) is no text */
	if (len >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0) {
		data += 3;
		len -= 3;
	}
	if (!scan_lines (l, data, len, error))
		return FALSE;
	for (guint i = 0; i < l->entries->len; i++) {
		ScanEntry *e = g_ptr_array_index (l->entries, i);
		char *k = line_key (e->group, e->key);

		if (!g_hash_table_contains (l->lines, k))
			g_hash_table_insert (l->lines, k,
			                     GUINT_TO_POINTER (e->line));
		else
			g_free (k);
	}

	if (!g_key_file_load_from_data (l->keyfile, data, len,
	                                G_KEY_FILE_NONE, &local)) {
		g_set_error (error, RREC_CONFIG_ERROR, RREC_CONFIG_ERROR_SYNTAX,
		             "%s: %s", l->source, local->message);
		return FALSE;
	}

	if (!load_main_group (l, error) || !load_app_group (l, error))
		return FALSE;
	groups = g_key_file_get_groups (l->keyfile, NULL);
	for (guint i = 0; groups[i] != NULL; i++)
		if (g_str_has_prefix (groups[i], DN_PREFIX) &&
		    !load_dn_group (l, groups[i], error))
			return FALSE;

	collect_warnings (l);
	return TRUE;
}

RrecConfig *
rrec_config_new_from_data (const char *data, gsize len,
                           const char *name_for_messages, GError **error)
{
	Loader l = { 0 };
	RrecConfig *config;
	gboolean ok;

	g_return_val_if_fail (data != NULL || len == 0, NULL);
	g_return_val_if_fail (error == NULL || *error == NULL, NULL);

	l.source = name_for_messages != NULL ? name_for_messages : "<config>";
	l.keyfile = g_key_file_new ();
	l.entries = g_ptr_array_new_with_free_func (scan_entry_free);
	l.lines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
	                                 NULL);
	l.config = config_new (l.source);

	ok = load (&l, data != NULL ? data : "", len, error);

	g_key_file_free (l.keyfile);
	g_ptr_array_unref (l.entries);
	g_hash_table_unref (l.lines);
	config = l.config;
	if (!ok) {
		config_free (config);
		return NULL;
	}
	return config;
}

RrecConfig *
rrec_config_new_from_file (const char *path, GError **error)
{
	g_autoptr (GError) local = NULL;
	g_autofree char *data = NULL;
	gsize len;

	g_return_val_if_fail (path != NULL, NULL);
	g_return_val_if_fail (error == NULL || *error == NULL, NULL);

	if (!g_file_get_contents (path, &data, &len, &local)) {
		g_set_error (error, RREC_CONFIG_ERROR, RREC_CONFIG_ERROR_READ,
		             "%s: %s", path, local->message);
		return NULL;
	}
	return rrec_config_new_from_data (data, len, path, error);
}

RrecConfig *
rrec_config_ref (RrecConfig *config)
{
	g_return_val_if_fail (config != NULL, NULL);

	g_atomic_ref_count_inc (&config->ref_count);
	return config;
}

void
rrec_config_unref (RrecConfig *config)
{
	if (config != NULL && g_atomic_ref_count_dec (&config->ref_count))
		config_free (config);
}
