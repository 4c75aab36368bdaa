/*
 * cmd-replay.c — `rrec replay`: why was (or wasn't) this call recorded?
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "replay.h"
#include "rrec-tool.h"

#define CHUNK (256 * 1024)

static void
progress (guint64 bytes, gboolean done)
{
	if (!isatty (STDERR_FILENO))
		return;
	if (done)
		fprintf (stderr, "\r%-40s\r", "");
	else
		fprintf (stderr, "\rrrec replay: %.1f MB read", bytes / 1e6);
}

/* Returns FALSE if the file could not be read. */
static gboolean
replay_stream (RrecReplay *r, const char *name, FILE *in, guint64 *total)
{
	g_autofree char *buf = g_malloc (CHUNK);
	size_t n;
	guint64 last = 0;

	while ((n = fread (buf, 1, CHUNK, in)) > 0) {
		*total += n;
		if (*total - last >= 64 * 1024 * 1024) {
			progress (*total, FALSE);
			last = *total;
		}
		if (!rrec_replay_feed (r, name, buf, n))
			break;
	}
	if (ferror (in)) {
		fprintf (stderr, "rrec replay: %s: %s\n", name, g_strerror (errno));
		return FALSE;
	}
	rrec_replay_end_file (r);
	return TRUE;
}

/* DIGITS decimal digits at *P (moved past them), or -1. */
static int
digits (const char **p, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++, (*p)++) {
		if (!g_ascii_isdigit (**p))
			return -1;
		v = v * 10 + (**p - '0');
	}
	return v;
}

/* A time of day "hh:mm:ss.mmm" (§7: hours 0-23, the fraction optional,
 * digits beyond milliseconds cut off) in ms since midnight, or -1: no
 * sign, no blank, no hour 24 or more. */
static gint64
parse_time (const char *text)
{
	const char *p = text;
	int h = digits (&p, g_ascii_isdigit (p[0]) && g_ascii_isdigit (p[1]) ? 2 : 1);
	int m = -1, sec = -1, ms = 0;

	if (h >= 0 && *p == ':' && (p++, m = digits (&p, 2)) >= 0 &&
	    *p == ':' && (p++, sec = digits (&p, 2)) >= 0 && *p == '.') {
		int scale = 100;

		if (!g_ascii_isdigit (*++p))
			return -1;
		for (; g_ascii_isdigit (*p); p++, scale /= 10)
			ms += (*p - '0') * scale;
	}
	if (h < 0 || m < 0 || sec < 0 || *p != '\0' || h > 23 || m > 59 || sec > 59)
		return -1;
	return ((gint64) h * 3600 + m * 60 + sec) * 1000 + ms;
}

int
rrec_cmd_replay (int argc, char **argv)
{
	g_autofree char *config_path = NULL;
	gboolean json = FALSE, strict = FALSE, no_sim = FALSE, trace = FALSE;
	gboolean want_example = FALSE, verbose = FALSE, all_gaps = FALSE;
	gint64 port_limit = -1;
	g_autofree char *state_path = NULL;
	g_autofree char *state_sync = NULL;
	gboolean resume = FALSE;
	g_auto (GStrv) restart_at = NULL;
	GOptionEntry entries[] = {
		{ "state", 0, 0, G_OPTION_ARG_FILENAME, &state_path,
		  "Keep the engine's state in the store STORE, an SQLite file "
		  "or a postgresql:// URI (replaced at the start, kept at the "
		  "end; exit status 2 when another engine holds it)", "STORE" },
		{ "resume", 0, 0, G_OPTION_ARG_NONE, &resume,
		  "With --state: go on from the store instead of replacing it "
		  "(skips the blocks it had processed)", NULL },
		{ "state-sync", 0, 0, G_OPTION_ARG_STRING, &state_sync,
		  "How hard each step is pushed to disk: normal (default: "
		  "survives a crash of the process; PostgreSQL: of its machine), "
		  "full (also a power loss; PostgreSQL: a crash of the server), "
		  "off", "normal|full|off" },
		{ "restart-at", 0, 0, G_OPTION_ARG_STRING_ARRAY, &restart_at,
		  "Restart the engine at that time of the log, on its store, "
		  "reconciled with the simulator (repeatable)", "hh:mm:ss.mmm" },
		{ "config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path,
		  "The T-Server's configuration (default: the built-in example's)",
		  "FILE" },
		{ "json", 'j', 0, G_OPTION_ARG_NONE, &json,
		  "One JSON object per action, then a summary", NULL },
		{ "gaps", 'g', 0, G_OPTION_ARG_NONE, &all_gaps,
		  "The summary lists every gap (default: the 20 longest, and "
		  "how many more)", NULL },
		{ "strict", 's', 0, G_OPTION_ARG_NONE, &strict,
		  "Stop at the first malformed block", NULL },
		{ "no-sim", 0, 0, G_OPTION_ARG_NONE, &no_sim,
		  "No simulated SIP Server: the log carries all SIP-side traffic",
		  NULL },
		{ "example", 'e', 0, G_OPTION_ARG_NONE, &want_example,
		  "Replay the built-in example, whatever standard input is", NULL },
		{ "port-limit", 0, 0, G_OPTION_ARG_INT64, &port_limit,
		  "Use at most N recording ports (to replay the explorer's "
		  "counterexamples)", "N" },
		{ "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose,
		  "Log on stderr every event the engine ignored or rejected, and "
		  "every machine step", NULL },
		{ "trace", 't', 0, G_OPTION_ARG_NONE, &trace,
		  "Show every state change of every machine too", NULL },
		{ NULL }
	};
	g_autoptr (GOptionContext) ctx = g_option_context_new (
		"[LOG…|-] - replay a T-Server log through the engine");
	g_autoptr (GError) error = NULL;
	g_autoptr (RrecConfig) config = NULL;

	g_option_context_add_main_entries (ctx, entries, NULL);
	g_option_context_set_description (ctx,
		"Shows every recording decision the engine takes for the log: legs "
		"dialled,\nrecording started, paused (and why), resumed, "
		"re-established, stopped, errors\nto clients and alarms, each "
		"with the rule behind it, then a summary.\n\n"
		"With no LOG it reads standard input when that is not a terminal, "
		"and\nreplays its built-in example otherwise.\n\n"
		"Exit status: 0 every block was read; 1 a malformed block was "
		"skipped;\n2 usage or configuration error.");
	if (!g_option_context_parse (ctx, &argc, &argv, &error)) {
		fprintf (stderr, "rrec replay: %s\n", error->message);
		return RREC_EXIT_USAGE;
	}

	if (verbose)
		g_setenv ("G_MESSAGES_DEBUG", "rrec", TRUE);
	gboolean example = argc < 2 && (want_example || isatty (STDIN_FILENO));
	if (want_example && argc >= 2) {
		fprintf (stderr, "rrec replay: --example takes no LOG\n");
		return RREC_EXIT_USAGE;
	}
	if (config_path)
		config = rrec_config_new_from_file (config_path, &error);
	else
		config = rrec_config_new_from_data (rrec_example_config,
						    strlen (rrec_example_config),
						    "<built-in example config>",
						    &error);
	if (config == NULL) {
		fprintf (stderr, "rrec replay: %s\n", error->message);
		return RREC_EXIT_USAGE;
	}
	if (port_limit >= 0)
		rrec_config_set_port_limit (config, (guint64) port_limit);
	else if (port_limit < -1) {
		fprintf (stderr, "rrec replay: --port-limit: %" G_GINT64_FORMAT
			 " is not a number of ports\n", port_limit);
		return RREC_EXIT_USAGE;
	}
	for (const char *const *w = rrec_config_get_warnings (config); *w; w++)
		fprintf (stderr, "%s\n", *w);
	if (!config_path && !example)
		fprintf (stderr, "rrec replay: no --config given: using the "
			 "built-in example's configuration\n");

	RrecReplayFlags flags = (json ? RREC_REPLAY_JSON : 0) |
		(strict ? RREC_REPLAY_STRICT : 0) |
		(no_sim ? RREC_REPLAY_NO_SIM : 0) | (trace ? RREC_REPLAY_TRACE : 0) |
		(all_gaps ? RREC_REPLAY_ALL_GAPS : 0);
	g_autoptr (GArray) restarts = g_array_new (FALSE, FALSE, sizeof (gint64));
	for (guint i = 0; restart_at && restart_at[i]; i++) {
		gint64 t = parse_time (restart_at[i]);
		if (t < 0) {
			fprintf (stderr, "rrec replay: --restart-at: '%s' is not "
				 "a time of day hh:mm:ss.mmm (00:00:00 to "
				 "23:59:59.999)\n", restart_at[i]);
			return RREC_EXIT_USAGE;
		}
		g_array_append_val (restarts, t);
	}

	if (state_sync && strcmp (state_sync, "normal") != 0 &&
	    strcmp (state_sync, "full") != 0 && strcmp (state_sync, "off") != 0) {
		fprintf (stderr, "rrec replay: --state-sync: '%s' is not normal, "
			 "full or off\n", state_sync);
		return RREC_EXIT_USAGE;
	}

	/* one write per megabyte of output, not per line or per 4 KiB (issue
	 * #14), and the JSON lines handed to stdio in batches; a terminal
	 * keeps its line buffering, one line at a time */
	if (!isatty (STDOUT_FILENO)) {
		setvbuf (stdout, NULL, _IOFBF, 1 << 20);
		flags |= RREC_REPLAY_BUFFERED;
	}
	RrecReplay *r = rrec_replay_new (config, flags, stdout, stderr);
	guint64 total = 0;
	gboolean read_ok = TRUE;

	if (state_path) {
		g_autoptr (GError) serror = NULL;

		RrecStoreSync sync = RREC_STORE_SYNC_NORMAL;

		if (g_strcmp0 (state_sync, "full") == 0)
			sync = RREC_STORE_SYNC_FULL;
		else if (g_strcmp0 (state_sync, "off") == 0)
			sync = RREC_STORE_SYNC_OFF;
		gboolean ok = resume ?
			rrec_replay_resume_state (r, state_path, sync, &serror) :
			rrec_replay_set_state (r, state_path, sync, &serror);
		if (serror)
			fprintf (stderr, "rrec replay: --state: %s\n", serror->message);
		if (!ok) {
			/* §7: refused, held or out of reach: nothing replayed,
			 * stdout stays empty (the alarm is this error) */
			rrec_replay_free (r);
			return RREC_EXIT_USAGE;
		}
	} else if (resume) {
		fprintf (stderr, "rrec replay: --resume needs --state STORE\n");
		rrec_replay_free (r);
		return RREC_EXIT_USAGE;
	}
	for (guint i = 0; i < restarts->len; i++) {
		if (!rrec_replay_add_restart (r, g_array_index (restarts, gint64, i))) {
			fprintf (stderr, "rrec replay: --restart-at needs a "
				 "state store, and none could be made\n");
			rrec_replay_free (r);
			return RREC_EXIT_USAGE;
		}
	}

	if (example) {
		rrec_replay_feed (r, "<built-in example>", rrec_example_log,
				  strlen (rrec_example_log));
		rrec_replay_end_file (r);
	} else if (argc < 2) {
		read_ok = replay_stream (r, "<stdin>", stdin, &total);
	}
	for (int i = 1; i < argc && read_ok; i++) {
		if (strcmp (argv[i], "-") == 0) {
			read_ok = replay_stream (r, "<stdin>", stdin, &total);
			continue;
		}
		FILE *in = fopen (argv[i], "rb");
		if (in == NULL) {
			fprintf (stderr, "rrec replay: %s: %s\n", argv[i],
				 g_strerror (errno));
			read_ok = FALSE;
			break;
		}
		read_ok = replay_stream (r, argv[i], in, &total);
		fclose (in);
	}
	progress (total, TRUE);
	int status = rrec_replay_finish (r);
	rrec_replay_free (r);
	if (!read_ok)
		return RREC_EXIT_USAGE;
	return status;
}
