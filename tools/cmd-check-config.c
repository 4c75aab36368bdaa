/*
 * cmd-check-config.c — `rrec check-config FILE`: load a configuration file
 * exactly as the engine will (behaviour.md section 2) and say what it means.
 *
 * The point is to find a bad file before a T-Server is started with it:
 * the same loader, the same messages (C1 warnings, C2 errors), and a
 * summary of the values the engine would run with, defaults included, so
 * that an option left out is visible as the value it falls back to.
 */
#include <stdio.h>
#include <string.h>

#include "rrec/config.h"
#include "rrec-config-private.h"
#include "rrec-tool.h"

#define DN_PREFIX "dn:"

static const char *
yes_no (gboolean b)
{
	return b ? "true" : "false";
}

/*
 * The DNs, in file order.  RrecConfig keeps them in a hash table with no
 * public way to walk it, so the group names come from the file itself,
 * read a second time: the loader has already accepted it, so GKeyFile
 * accepts it too (unless it changed in between, when only the number of
 * DNs is shown).
 */
static void
print_dns (RrecConfig *config, const char *path)
{
	g_autoptr (GKeyFile) keyfile = g_key_file_new ();
	g_auto (GStrv) groups = NULL;

	printf ("dns:                        %u\n", rrec_config_get_n_dns (config));
	if (!g_key_file_load_from_file (keyfile, path, G_KEY_FILE_NONE, NULL))
		return;
	groups = g_key_file_get_groups (keyfile, NULL);
	for (guint i = 0; groups[i] != NULL; i++) {
		const char *dn;
		RrecDnType type;
		gboolean record;

		if (!g_str_has_prefix (groups[i], DN_PREFIX))
			continue;
		dn = groups[i] + strlen (DN_PREFIX);
		if (!rrec_config_lookup_dn (config, dn, &type, &record))
			continue;
		const char *geo = rrec_config_get_dn_geo_location (config, dn);

		printf ("  %-24s  type=%s record=%s%s%s\n", dn,
			rrec_dn_type_to_string (type), yes_no (record),
			geo ? " geo-location=" : "", geo ? geo : "");
	}
}

static void
print_summary (RrecConfig *config, const char *path)
{
	const RrecUriPattern *pattern = rrec_config_get_uri_pattern_parsed (config);
	guint64 n_ports = rrec_config_get_port_count (config);
	guint reestablish = rrec_config_get_reestablish_recording_tout (config);

	printf ("config:                     %s\n", path);
	printf ("server-application:         %s\n",
		rrec_config_get_server_application (config));
	printf ("  reconnect-timeout:        %u s\n",
		rrec_config_get_reconnect_timeout (config));
	printf ("  reconnect-attempts:       %u\n",
		rrec_config_get_reconnect_attempts (config));
	printf ("trunk-group:                %s\n",
		rrec_config_get_trunk_group (config));
	printf ("uri-pattern:                %s\n",
		rrec_config_get_uri_pattern (config));
	if (n_ports > 0) {
		g_autofree char *first = rrec_uri_pattern_port_string (pattern, 0);
		g_autofree char *last = rrec_uri_pattern_port_string (
			pattern, (guint32) (n_ports - 1));
		g_autofree char *uri = rrec_uri_pattern_dial_uri (pattern, 0);

		printf ("  ports:                    %" G_GUINT64_FORMAT
			" (%s to %s)\n", n_ports, first, last);
		printf ("  first dial URI:           %s\n", uri);
	} else {
		printf ("  ports:                    0\n");
	}
	printf ("reestablish-recording-tout: %u s%s\n", reestablish,
		reestablish == 0 ? " (never re-establish)" : "");
	printf ("recording-setup-tout:       %u s\n",
		rrec_config_get_recording_setup_tout (config));
	printf ("recording-filename:         %s\n",
		rrec_config_get_recording_filename (config));
	printf ("record-moh:                 %s\n",
		yes_no (rrec_config_get_record_moh (config)));
	guint alarm = rrec_config_get_recording_failure_alarm (config);
	guint max = rrec_config_get_reestablish_max_attempts (config);
	printf ("recording-failure-alarm:    %u%s\n", alarm,
		alarm == 0 ? " (never)" : " failures in a row");
	printf ("reestablish-max-attempts:   %u%s\n", max,
		max == 0 ? " (no limit)" : " re-dials in a row");
	print_dns (config, path);
}

int
rrec_cmd_check_config (int argc, char **argv)
{
	g_autoptr (GOptionContext) context = NULL;
	g_autoptr (GError) error = NULL;
	g_autoptr (RrecConfig) config = NULL;
	g_auto (GStrv) files = NULL;
	GOptionEntry entries[] = {
		{ G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files,
		  NULL, NULL },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	const char *const *warnings;

	context = g_option_context_new ("FILE - check a configuration file");
	g_option_context_set_summary (context,
		"Loads FILE as the engine would (behaviour.md section 2) and prints\n"
		"what it configures, defaults included.");
	g_option_context_set_description (context,
		"Unknown groups and keys (C1) are warnings on standard error, as\n"
		"FILE:LINE: [GROUP] KEY: ...; they do not change the exit status,\n"
		"since the engine runs with such a file.  A missing or malformed\n"
		"option (C2) is an error on standard error, and nothing is printed\n"
		"on standard output.\n"
		"\n"
		"Exit status: 0 when the engine would start with FILE (warnings or\n"
		"not), 2 for an error in FILE, a FILE that cannot be read, or a\n"
		"usage error.");
	g_option_context_add_main_entries (context, entries, NULL);
	if (!g_option_context_parse (context, &argc, &argv, &error)) {
		g_printerr ("rrec check-config: %s\n", error->message);
		return RREC_EXIT_USAGE;
	}
	if (files == NULL || files[0] == NULL || files[1] != NULL) {
		g_printerr ("rrec check-config: exactly one FILE expected "
			    "(see --help)\n");
		return RREC_EXIT_USAGE;
	}

	config = rrec_config_new_from_file (files[0], &error);
	if (config == NULL) {
		/* The message already names the file, line, group and key. */
		g_printerr ("%s\n", error->message);
		return RREC_EXIT_USAGE;
	}
	warnings = rrec_config_get_warnings (config);
	for (guint i = 0; warnings[i] != NULL; i++)
		g_printerr ("%s\n", warnings[i]);
	print_summary (config, files[0]);
	return RREC_EXIT_OK;
}
