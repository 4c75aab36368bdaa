/*
 * test-config.c — loading the configuration file (behaviour.md §2): the
 * document's example, defaults (C3), warnings (C1) and errors (C2).
 */

#include <string.h>
#include <glib/gstdio.h>

#include "rrec-config-private.h"

/* The example of behaviour.md §2, comments and all. */
static const char example[] =
	"# options of the T-Server application\n"		/* 1 */
	"[remote-recording]\n"
	"# required: the name of the [app:...] group below\n"
	"server-application = SIPServer_SfB\n"
	"# required: the Trunk Group DN that recording legs arrive on\n"
	"trunk-group = annc\n"
	"# required: the range of recording ports\n"
	"uri-pattern = sip:{+1555{DDD}}{@sip.example.com}\n"
	"# seconds, default 5; 0 = never re-establish\n"
	"reestablish-recording-tout = 5\n"			/* 10 */
	"# template, see R29; empty = the default template\n"
	"recording-filename =\n"
	"# default true; false = pause on hold and transfer (R14-R17)\n"
	"record-moh = true\n"
	"\n"
	"# \"Server Info\" of the SIP Server application\n"
	"[app:SIPServer_SfB]\n"
	"# seconds between reconnection attempts, default 10\n"
	"reconnect-timeout = 10\n"
	"# attempts before giving up, default 1\n"		/* 20 */
	"reconnect-attempts = 1\n"
	"\n"
	"# one group per DN: the options of its [TServer] section\n"
	"[dn:7001]\n"
	"# extension | routing-point | acd-position | trunk | trunk-group | voip-service\n"
	"type = extension\n"
	"# default false: mandatory (full-time) recording\n"
	"record = true\n";

/* The smallest valid file: everything optional left out. */
#define MINIMAL \
	"[remote-recording]\n" \
	"server-application = SIP\n" \
	"trunk-group = annc\n" \
	"uri-pattern = sip:{+1555{DDD}}\n" \
	"[app:SIP]\n"

static RrecConfig *
load_ok (const char *text)
{
	g_autoptr (GError) error = NULL;
	RrecConfig *config = rrec_config_new_from_data (text, strlen (text),
	                                                "rrec.ini", &error);

	g_assert_no_error (error);
	g_assert_nonnull (config);
	return config;
}

/* Loads TEXT, expects error CODE and each of the NULL-terminated parts. */
static void
assert_refused (const char *text, RrecConfigError code, ...)
{
	g_autoptr (GError) error = NULL;
	RrecConfig *config = rrec_config_new_from_data (text, strlen (text),
	                                                "rrec.ini", &error);
	const char *part;
	va_list args;

	g_assert_null (config);
	g_assert_error (error, RREC_CONFIG_ERROR, (gint) code);
	va_start (args, code);
	while ((part = va_arg (args, const char *)) != NULL) {
		if (strstr (error->message, part) == NULL)
			g_error ("'%s' lacks '%s'", error->message, part);
	}
	va_end (args);
}

static void
test_document_example (void)
{
	g_autoptr (RrecConfig) config = load_ok (example);
	RrecDnType type = RREC_DN_TYPE_TRUNK;
	gboolean record = FALSE;

	g_assert_cmpstr (rrec_config_get_source_name (config), ==, "rrec.ini");
	g_assert_cmpstr (rrec_config_get_server_application (config), ==,
	                 "SIPServer_SfB");
	g_assert_cmpstr (rrec_config_get_trunk_group (config), ==, "annc");
	g_assert_cmpstr (rrec_config_get_uri_pattern (config), ==,
	                 "sip:{+1555{DDD}}{@sip.example.com}");
	g_assert_cmpuint (rrec_config_get_port_count (config), ==, 1000);
	g_assert_cmpuint (rrec_uri_pattern_get_width (
		rrec_config_get_uri_pattern_parsed (config)), ==, 3);
	g_assert_cmpuint (rrec_config_get_reestablish_recording_tout (config),
	                  ==, 5);
	g_assert_cmpstr (rrec_config_get_recording_filename (config), ==,
	                 "$CALLUUID$_$DN$_$ANI$_$DNIS$_$DATE$_$TIME$");
	g_assert_true (rrec_config_get_record_moh (config));
	g_assert_cmpuint (rrec_config_get_reconnect_timeout (config), ==, 10);
	g_assert_cmpuint (rrec_config_get_reconnect_attempts (config), ==, 1);
	g_assert_cmpuint (rrec_config_get_n_dns (config), ==, 1);
	g_assert_true (rrec_config_lookup_dn (config, "7001", &type, &record));
	g_assert_cmpint (type, ==, RREC_DN_TYPE_EXTENSION);
	g_assert_true (record);
	g_assert_false (rrec_config_lookup_dn (config, "7002", NULL, NULL));
	g_assert_cmpuint (g_strv_length ((GStrv) rrec_config_get_warnings (config)),
	                  ==, 0);
}

/* C3: every option left out takes the document's default. */
static void
test_defaults (void)
{
	g_autoptr (RrecConfig) config = load_ok (MINIMAL);

	g_assert_cmpuint (rrec_config_get_reestablish_recording_tout (config),
	                  ==, 5);
	g_assert_cmpuint (rrec_config_get_recording_setup_tout (config), ==,
	                  10);
	g_assert_cmpstr (rrec_config_get_recording_filename (config), ==,
	                 "$CALLUUID$_$DN$_$ANI$_$DNIS$_$DATE$_$TIME$");
	g_assert_true (rrec_config_get_record_moh (config));
	g_assert_cmpuint (rrec_config_get_reconnect_timeout (config), ==, 10);
	g_assert_cmpuint (rrec_config_get_reconnect_attempts (config), ==, 1);
	g_assert_cmpuint (rrec_config_get_n_dns (config), ==, 0);
	g_assert_cmpstr (rrec_config_get_warnings (config)[0], ==, NULL);
}

static void
test_every_option_set (void)
{
	g_autoptr (RrecConfig) config = load_ok (
		"[remote-recording]\n"
		"server-application = S\n"
		"trunk-group = tg\n"
		"uri-pattern = sips:{{DDDDDDDDD}}{@h}\n"
		"reestablish-recording-tout = 0\n"
		"recording-setup-tout = 86400\n"
		"recording-filename = $CONNID$-$PORT$\n"
		"record-moh = false\n"
		"[app:S]\n"
		"reconnect-timeout = 1\n"
		"reconnect-attempts = 1000\n"
		"[dn:RP1]\n"
		"type = routing-point\n"
		"record = true\n"
		"[dn:9000]\n"
		"type = acd-position\n"
		"[dn:annc]\n"
		"type = trunk-group\n"
		"record = false\n");
	RrecDnType type;
	gboolean record = TRUE;

	g_assert_cmpuint (rrec_config_get_port_count (config), ==, 1000000000);
	g_assert_cmpuint (rrec_config_get_reestablish_recording_tout (config),
	                  ==, 0);
	g_assert_cmpuint (rrec_config_get_recording_setup_tout (config), ==,
	                  86400);
	g_assert_cmpstr (rrec_config_get_recording_filename (config), ==,
	                 "$CONNID$-$PORT$");
	g_assert_false (rrec_config_get_record_moh (config));
	g_assert_cmpuint (rrec_config_get_reconnect_timeout (config), ==, 1);
	g_assert_cmpuint (rrec_config_get_reconnect_attempts (config), ==,
	                  1000);
	g_assert_cmpuint (rrec_config_get_n_dns (config), ==, 3);
	g_assert_true (rrec_config_lookup_dn (config, "RP1", &type, &record));
	g_assert_cmpint (type, ==, RREC_DN_TYPE_ROUTING_POINT);
	g_assert_true (record);
	g_assert_true (rrec_config_lookup_dn (config, "9000", &type, &record));
	g_assert_cmpint (type, ==, RREC_DN_TYPE_ACD_POSITION);
	g_assert_false (record);
	g_assert_true (rrec_config_lookup_dn (config, "annc", &type, NULL));
	g_assert_cmpint (type, ==, RREC_DN_TYPE_TRUNK_GROUP);
	g_assert_cmpstr (rrec_dn_type_to_string (RREC_DN_TYPE_VOIP_SERVICE),
	                 ==, "voip-service");
}

static void
test_unknown_key_warns (void)
{
	g_autoptr (RrecConfig) config = load_ok (
		MINIMAL					/* lines 1-5 */
		"reconnect-timout = 3\n"		/* 6: typo */
		"[remote-recording]\n"
		"colour = blue\n"			/* 8 */
		"[dn:7001]\n"
		"type = extension\n"
		"record[de] = true\n"			/* 11 */
		"recrod = true\n");			/* 12 */
	const char *const *w = rrec_config_get_warnings (config);
	RrecDnType type;
	gboolean record = TRUE;

	g_assert_cmpuint (g_strv_length ((GStrv) w), ==, 5);
	g_assert_cmpstr (w[0], ==, "rrec.ini:6: [app:SIP] reconnect-timout: "
	                 "unknown option, ignored");
	g_assert_cmpstr (w[1], ==, "rrec.ini:7: [remote-recording]: group "
	                 "given again, its keys join those of line 1");
	g_assert_cmpstr (w[2], ==, "rrec.ini:8: [remote-recording] colour: "
	                 "unknown option, ignored");
	g_assert_cmpstr (w[3], ==, "rrec.ini:11: [dn:7001] record[de]: "
	                 "unknown option, ignored");
	g_assert_cmpstr (w[4], ==, "rrec.ini:12: [dn:7001] recrod: "
	                 "unknown option, ignored");
	/* Never silently used: the misspelt options changed nothing. */
	g_assert_cmpuint (rrec_config_get_reconnect_timeout (config), ==, 10);
	g_assert_true (rrec_config_lookup_dn (config, "7001", &type, &record));
	g_assert_false (record);
}

static void
test_unknown_group_warns (void)
{
	g_autoptr (RrecConfig) config = load_ok (
		MINIMAL
		"[TServer]\n"			/* 6 */
		"record = true\n"
		"[app:Other]\n"			/* 8 */
		"reconnect-timeout = x\n");
	const char *const *w = rrec_config_get_warnings (config);

	g_assert_cmpuint (g_strv_length ((GStrv) w), ==, 2);
	g_assert_cmpstr (w[0], ==,
	                 "rrec.ini:6: [TServer]: unknown group, ignored");
	g_assert_cmpstr (w[1], ==, "rrec.ini:8: [app:Other]: not the "
	                 "server-application, ignored");
}

static void
test_duplicate_key_warns (void)
{
	g_autoptr (RrecConfig) config = load_ok (
		MINIMAL
		"[remote-recording]\n"
		"record-moh = true\n"		/* 7 */
		"record-moh = false\n");	/* 8 */
	const char *const *w = rrec_config_get_warnings (config);

	g_assert_cmpuint (g_strv_length ((GStrv) w), ==, 2);
	g_assert_cmpstr (w[1], ==, "rrec.ini:8: [remote-recording] "
	                 "record-moh: given again, this value replaces that "
	                 "of line 7");
	g_assert_false (rrec_config_get_record_moh (config));
}

/* R1 names extensions, ACD positions and routing points only. */
static void
test_record_on_trunk_warns (void)
{
	g_autoptr (RrecConfig) config = load_ok (
		MINIMAL
		"[dn:T1]\n"
		"type = trunk\n"
		"record = true\n");		/* 8 */
	const char *const *w = rrec_config_get_warnings (config);
	gboolean record = TRUE;

	g_assert_cmpuint (g_strv_length ((GStrv) w), ==, 1);
	g_assert_cmpstr (w[0], ==, "rrec.ini:8: [dn:T1] record: only "
	                 "extension, acd-position and routing-point DNs "
	                 "trigger recording, ignored for a trunk");
	g_assert_true (rrec_config_lookup_dn (config, "T1", NULL, &record));
	g_assert_false (record);
}

static void
test_record_maybe (void)
{
	assert_refused (MINIMAL
	                "[dn:7001]\n"
	                "type = extension\n"
	                "record = maybe\n",
	                RREC_CONFIG_ERROR_INVALID_VALUE,
	                "rrec.ini:8: [dn:7001] record: 'maybe' is not a "
	                "boolean (accepted: true, false)", NULL);
	assert_refused ("[remote-recording]\n"
	                "server-application = SIP\n"
	                "trunk-group = annc\n"
	                "uri-pattern = sip:{+1555{DDD}}\n"
	                "record-moh = True\n"
	                "[app:SIP]\n",
	                RREC_CONFIG_ERROR_INVALID_VALUE,
	                "rrec.ini:5: [remote-recording] record-moh: 'True' is "
	                "not a boolean (accepted: true, false)", NULL);
}

/* R36: record-consult-calls is a boolean, false unless set */
static void
test_record_consult_calls (void)
{
	g_autoptr (RrecConfig) def = load_ok (MINIMAL);
	g_autoptr (RrecConfig) on = load_ok ("[remote-recording]\n"
	                                     "server-application = SIP\n"
	                                     "trunk-group = annc\n"
	                                     "uri-pattern = sip:{+1555{DDD}}\n"
	                                     "record-consult-calls = true\n"
	                                     "[app:SIP]\n");

	g_assert_false (rrec_config_get_record_consult_calls (def));
	g_assert_true (rrec_config_get_record_consult_calls (on));
	assert_refused ("[remote-recording]\n"
	                "server-application = SIP\n"
	                "trunk-group = annc\n"
	                "uri-pattern = sip:{+1555{DDD}}\n"
	                "record-consult-calls = yes\n"
	                "[app:SIP]\n",
	                RREC_CONFIG_ERROR_INVALID_VALUE,
	                "rrec.ini:5: [remote-recording] record-consult-calls: "
	                "'yes' is not a boolean (accepted: true, false)", NULL);
}

static void
test_negative_timeout (void)
{
	assert_refused ("[remote-recording]\n"
	                "server-application = SIP\n"
	                "trunk-group = annc\n"
	                "\n"
	                "reestablish-recording-tout = -1\n"
	                "uri-pattern = sip:{+1555{DDD}}\n"
	                "[app:SIP]\n",
	                RREC_CONFIG_ERROR_INVALID_VALUE,
	                "rrec.ini:5: [remote-recording] "
	                "reestablish-recording-tout: '-1' is not a whole number "
	                "(accepted: seconds from 0 to 86400, 0 = never)", NULL);
}

static void
test_bad_numbers (void)
{
	static const char *const junk[] = { "5s", "five", "+5", "0x10", "1.5",
	                                    "99999999999999999999" };

	for (guint i = 0; i < G_N_ELEMENTS (junk); i++) {
		g_autofree char *text = g_strdup_printf (
			MINIMAL "reconnect-timeout = %s\n", junk[i]);
		g_autofree char *expect = g_strdup_printf (
			"rrec.ini:6: [app:SIP] reconnect-timeout: '%s' is ",
			junk[i]);

		assert_refused (text, RREC_CONFIG_ERROR_INVALID_VALUE, expect,
		                "(accepted: seconds from 1 to 86400)", NULL);
	}
	assert_refused (MINIMAL "reconnect-timeout = 86401\n",
	                RREC_CONFIG_ERROR_INVALID_VALUE,
	                "rrec.ini:6: [app:SIP] reconnect-timeout: '86401' is "
	                "out of range (accepted: seconds from 1 to 86400)",
	                NULL);
	assert_refused (MINIMAL "reconnect-timeout = 0\n",
	                RREC_CONFIG_ERROR_INVALID_VALUE, "'0' is out of range",
	                NULL);
	assert_refused (MINIMAL "reconnect-attempts = 1001\n",
	                RREC_CONFIG_ERROR_INVALID_VALUE,
	                "rrec.ini:6: [app:SIP] reconnect-attempts: '1001' is "
	                "out of range (accepted: a count from 0 to 1000)",
	                NULL);
	assert_refused ("[remote-recording]\n"
	                "server-application = SIP\n"
	                "trunk-group = annc\n"
	                "uri-pattern = sip:{+1555{DDD}}\n"
	                "recording-setup-tout = 0\n"
	                "[app:SIP]\n",
	                RREC_CONFIG_ERROR_INVALID_VALUE,
	                "rrec.ini:5: [remote-recording] recording-setup-tout: "
	                "'0' is out of range (accepted: seconds from 1 to "
	                "86400)", NULL);
}

static void
test_comment_after_value (void)
{
	assert_refused (MINIMAL "reconnect-attempts = 3 # three tries\n",
	                RREC_CONFIG_ERROR_INVALID_VALUE,
	                "rrec.ini:6: [app:SIP] reconnect-attempts: '3 # three "
	                "tries' carries a comment (comments are whole lines "
	                "starting with '#')", NULL);
	/* A string would otherwise be silently taken with its comment. */
	assert_refused ("[remote-recording]\n"
	                "server-application = SIP\n"
	                "trunk-group = annc\t# the trunk group\n"
	                "uri-pattern = sip:{+1555{DDD}}\n"
	                "[app:SIP]\n",
	                RREC_CONFIG_ERROR_INVALID_VALUE,
	                "rrec.ini:3: [remote-recording] trunk-group: ",
	                "carries a comment", NULL);
}

/* §7: a configuration is UTF-8 text.  A NUL byte (GKeyFile cut the value
 * there), bytes that are not UTF-8 (a group name), control characters and
 * a TAB inside a key or value are C2 errors naming line and column, never
 * raw bytes; a UTF-8 byte-order mark is skipped; GKeyFile's escapes are
 * not applied: a backslash in a value stays one. */
static void
test_not_text (void)
{
	static const char with_nul[] = MINIMAL "[dn:7001]\ntype = exten\0sion\n";
	g_autoptr (GError) error = NULL;
	RrecConfig *config = rrec_config_new_from_data (with_nul, sizeof with_nul - 1,
	                                                "rrec.ini", &error);

	g_assert_null (config);
	g_assert_error (error, RREC_CONFIG_ERROR, RREC_CONFIG_ERROR_SYNTAX);
	g_assert_cmpstr (error->message, ==, "rrec.ini:7: a NUL byte (0x00) at "
	                 "column 13: a configuration is text");

	assert_refused (MINIMAL "[dn:70\xe9""1]\ntype = extension\n",
	                RREC_CONFIG_ERROR_SYNTAX,
	                "rrec.ini:6: byte 0xe9 at column 7 is not UTF-8", NULL);
	assert_refused (MINIMAL "[dn:7001]\ntype = ext\x1b[2Jension\n",
	                RREC_CONFIG_ERROR_SYNTAX,
	                "rrec.ini:7: a control character (0x1b) at column 11", NULL);
	assert_refused (MINIMAL "[dn:7001]\ntype = ext\rension\n",
	                RREC_CONFIG_ERROR_SYNTAX,
	                "rrec.ini:7: a control character (0x0d) at column 11", NULL);
	assert_refused ("[remote-recording]\nserver-application = SIP\n"
	                "trunk-group = an\tnc\nuri-pattern = sip:{+1555{DDD}}\n"
	                "[app:SIP]\n",
	                RREC_CONFIG_ERROR_INVALID_VALUE,
	                "rrec.ini:3: [remote-recording] trunk-group: a TAB inside "
	                "the value (at character 3)", NULL);
	assert_refused (MINIMAL "[dn:7001]\nty\tpe = extension\n",
	                RREC_CONFIG_ERROR_SYNTAX, "rrec.ini:7: a TAB inside a key", NULL);
	assert_refused (MINIMAL "[dn:\t7001]\n", RREC_CONFIG_ERROR_SYNTAX,
	                "rrec.ini:6: a TAB inside a group name", NULL);

	/* a byte-order mark, CRLF line ends, a TAB around a value: fine */
	g_autoptr (RrecConfig) bom = load_ok ("\xef\xbb\xbf[remote-recording]\r\n"
	                                      "server-application =\tSIP\t\r\n"
	                                      "trunk-group = an\\nc\r\n"
	                                      "uri-pattern = sip:{+1555{DDD}}\r\n"
	                                      "[app:SIP]\r\n");
	g_assert_cmpstr (rrec_config_get_server_application (bom), ==, "SIP");
	g_assert_cmpstr (rrec_config_get_trunk_group (bom), ==, "an\\nc");
}

/* '#' is a prefix character of a uri-pattern, not a comment. */
static void
test_hash_in_uri_pattern (void)
{
	g_autoptr (RrecConfig) config = load_ok (
		"[remote-recording]\n"
		"server-application = SIP\n"
		"trunk-group = annc\n"
		"uri-pattern = {#31{DD}}\n"
		"[app:SIP]\n");

	g_assert_cmpstr (rrec_config_get_uri_pattern (config), ==,
	                 "sip:{#31{DD}}");
}

static void
test_bad_uri_pattern (void)
{
	assert_refused ("[remote-recording]\n"
	                "server-application = SIP\n"
	                "trunk-group = annc\n"
	                "uri-pattern = sip:{+1555{DDDDDDDDDD}}\n"
	                "[app:SIP]\n",
	                RREC_CONFIG_ERROR_INVALID_VALUE,
	                "rrec.ini:4: [remote-recording] uri-pattern: "
	                "'sip:{+1555{DDDDDDDDDD}}' is not a valid pattern: "
	                "column 12: 10 'D's, at most 9 are allowed",
	                "(accepted: [sip:|sips:]{PREFIX{D...D}}[{@HOST}]",
	                NULL);
}

static void
test_missing_option (void)
{
	assert_refused ("# a comment\n"
	                "[remote-recording]\n"
	                "server-application = SIP\n"
	                "uri-pattern = sip:{+1555{DDD}}\n"
	                "[app:SIP]\n",
	                RREC_CONFIG_ERROR_MISSING,
	                "rrec.ini:2: [remote-recording] trunk-group: required "
	                "option missing (accepted: ", NULL);
	/* No group at all: no line to point at. */
	assert_refused ("[app:SIP]\n", RREC_CONFIG_ERROR_MISSING,
	                "rrec.ini: [remote-recording] server-application: "
	                "required option missing (accepted: the NAME of an "
	                "[app:NAME] group)", NULL);
	assert_refused (MINIMAL "[dn:7001]\nrecord = true\n",
	                RREC_CONFIG_ERROR_MISSING,
	                "rrec.ini:6: [dn:7001] type: required option missing "
	                "(accepted: extension, routing-point, acd-position, "
	                "trunk, trunk-group, voip-service)", NULL);
}

static void
test_empty_required (void)
{
	assert_refused ("[remote-recording]\n"
	                "server-application = SIP\n"
	                "trunk-group =\n"
	                "uri-pattern = sip:{+1555{DDD}}\n"
	                "[app:SIP]\n",
	                RREC_CONFIG_ERROR_INVALID_VALUE,
	                "rrec.ini:3: [remote-recording] trunk-group: is empty "
	                "(accepted: ", NULL);
}

static void
test_missing_app_group (void)
{
	assert_refused ("[remote-recording]\n"
	                "server-application = SIPServer_SfB\n"
	                "trunk-group = annc\n"
	                "uri-pattern = sip:{+1555{DDD}}\n"
	                "[app:SIPServer_A]\n"
	                "[app:SIPServer_B]\n",
	                RREC_CONFIG_ERROR_NO_APP_GROUP,
	                "rrec.ini:2: [remote-recording] server-application: "
	                "'SIPServer_SfB' names no [app:SIPServer_SfB] group "
	                "(accepted: SIPServer_A, SIPServer_B)", NULL);
	assert_refused ("[remote-recording]\n"
	                "server-application = SIP\n"
	                "trunk-group = annc\n"
	                "uri-pattern = sip:{+1555{DDD}}\n",
	                RREC_CONFIG_ERROR_NO_APP_GROUP,
	                "this file has none", NULL);
}

static void
test_bad_dn_type (void)
{
	assert_refused (MINIMAL "[dn:7001]\n"
	                "type = phone\n",
	                RREC_CONFIG_ERROR_INVALID_VALUE,
	                "rrec.ini:7: [dn:7001] type: 'phone' is not a DN type "
	                "(accepted: extension, routing-point, acd-position, "
	                "trunk, trunk-group, voip-service)", NULL);
	assert_refused (MINIMAL "[dn:]\ntype = extension\n",
	                RREC_CONFIG_ERROR_INVALID_VALUE,
	                "rrec.ini:6: [dn:]: a DN group needs a name", NULL);
}

static void
test_unknown_variable (void)
{
	assert_refused ("[remote-recording]\n"
	                "server-application = SIP\n"
	                "trunk-group = annc\n"
	                "uri-pattern = sip:{+1555{DDD}}\n"
	                "recording-filename = $CALLUUID$_$AGENT$\n"
	                "[app:SIP]\n",
	                RREC_CONFIG_ERROR_INVALID_VALUE,
	                "rrec.ini:5: [remote-recording] recording-filename: "
	                "unknown variable '$AGENT$' (known: $CALLUUID$, "
	                "$CONNID$, $DN$, $ANI$, $DNIS$, $DATE$, $TIME$, "
	                "$PORT$)", NULL);
}

static void
test_syntax (void)
{
	assert_refused ("[remote-recording]\n"
	                "server-application SIP\n",
	                RREC_CONFIG_ERROR_SYNTAX,
	                "rrec.ini:2: 'server-application SIP' is neither a "
	                "[group]", NULL);
	assert_refused ("# top\nrecord = true\n", RREC_CONFIG_ERROR_SYNTAX,
	                "rrec.ini:2: 'record = true' comes before any [group]",
	                NULL);
	assert_refused ("[remote-recording] # main\n",
	                RREC_CONFIG_ERROR_SYNTAX,
	                "rrec.ini:1: '[remote-recording] # main' is not a "
	                "group header", NULL);
}

static void
test_from_file (void)
{
	g_autoptr (GError) error = NULL;
	g_autofree char *path = NULL;
	g_autoptr (RrecConfig) config = NULL;
	RrecConfig *missing;
	int fd;

	fd = g_file_open_tmp ("rrec-config-XXXXXX.ini", &path, &error);
	g_assert_no_error (error);
	g_assert_true (g_close (fd, &error));
	g_assert_true (g_file_set_contents (path, example, -1, &error));
	config = rrec_config_new_from_file (path, &error);
	g_assert_no_error (error);
	g_assert_cmpstr (rrec_config_get_source_name (config), ==, path);
	g_assert_cmpstr (rrec_config_get_trunk_group (config), ==, "annc");

	g_assert_cmpint (g_unlink (path), ==, 0);
	missing = rrec_config_new_from_file (path, &error);
	g_assert_null (missing);
	g_assert_error (error, RREC_CONFIG_ERROR, RREC_CONFIG_ERROR_READ);
	g_assert_true (g_str_has_prefix (error->message, path));
}

/* The test-only cap on the pool; refused once the config is shared. */
static void
test_port_limit (void)
{
	g_autoptr (RrecConfig) config = load_ok (example);
	RrecConfig *shared;

	rrec_config_set_port_limit (config, 2);
	g_assert_cmpuint (rrec_config_get_port_count (config), ==, 2);
	rrec_config_set_port_limit (config, 5000);
	g_assert_cmpuint (rrec_config_get_port_count (config), ==, 1000);
	rrec_config_set_port_limit (config, 0);
	g_assert_cmpuint (rrec_config_get_port_count (config), ==, 0);

	shared = rrec_config_ref (config);
	g_test_expect_message ("rrec", G_LOG_LEVEL_CRITICAL, "*ref_count*");
	rrec_config_set_port_limit (config, 7);
	g_test_assert_expected_messages ();
	g_assert_cmpuint (rrec_config_get_port_count (config), ==, 0);
	rrec_config_unref (shared);
}

/* R29: the template is compiled with the configuration, the default one
 * for an empty option; each configuration has its own (a new one, as a
 * reload makes, names files by its own template). */
static void
test_filename_compiled (void)
{
	static const struct {
		const char *option, *name;
		gboolean port;
	} cases[] = {
		{ "", "U_7001_+1415_7002_2024-05-06_13-45-09", FALSE },
		{ "$CONNID$-$PORT$", "00f1a2b3c4d5e6f7-+1555007", TRUE },
		{ "a b/$DN$$ANI$", "a_b_7001+1415", FALSE },
	};
	RrecFilenameValues v = {
		.call_uuid = "U", .conn_id = "00f1a2b3c4d5e6f7", .dn = "7001",
		.ani = "+1415", .dnis = "7002", .port = "+1555007",
		.clock_set = TRUE, .clock = { 2024, 5, 6, 13, 45, 9 },
	};

	for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
		g_autofree char *text = g_strdup_printf (
			"[remote-recording]\n"
			"server-application = S\n"
			"trunk-group = tg\n"
			"uri-pattern = sip:{+1555{DDD}}{@h}\n"
			"recording-filename = %s\n"
			"[app:S]\n", cases[i].option);
		g_autoptr (RrecConfig) config = load_ok (text);
		const RrecFilenameTemplate *t =
			rrec_config_get_recording_filename_compiled (config);
		char name[RREC_FILENAME_MAX_LEN + 1];

		g_assert_nonnull (t);
		rrec_filename_template_expand (t, &v, name);
		g_assert_cmpstr (name, ==, cases[i].name);
		g_assert_cmpint (rrec_filename_template_uses_port (t), ==,
		                 cases[i].port);
	}
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);

	g_test_add_func ("/config/C2/document-example", test_document_example);
	g_test_add_func ("/config/C3/defaults", test_defaults);
	g_test_add_func ("/config/C2/every-option-set", test_every_option_set);
	g_test_add_func ("/config/C2/not-text", test_not_text);
	g_test_add_func ("/config/C1/unknown-key-warns", test_unknown_key_warns);
	g_test_add_func ("/config/C1/unknown-group-warns",
	                 test_unknown_group_warns);
	g_test_add_func ("/config/C1/duplicate-key-warns",
	                 test_duplicate_key_warns);
	g_test_add_func ("/config/C1/R1/record-on-trunk-warns",
	                 test_record_on_trunk_warns);
	g_test_add_func ("/config/C2/record-maybe", test_record_maybe);
	g_test_add_func ("/config/R36/record-consult-calls",
	                 test_record_consult_calls);
	g_test_add_func ("/config/C2/negative-timeout", test_negative_timeout);
	g_test_add_func ("/config/C2/bad-numbers", test_bad_numbers);
	g_test_add_func ("/config/C2/comment-after-value",
	                 test_comment_after_value);
	g_test_add_func ("/config/C3/hash-in-uri-pattern",
	                 test_hash_in_uri_pattern);
	g_test_add_func ("/config/C2/bad-uri-pattern", test_bad_uri_pattern);
	g_test_add_func ("/config/C2/missing-option", test_missing_option);
	g_test_add_func ("/config/C2/empty-required", test_empty_required);
	g_test_add_func ("/config/C2/missing-app-group", test_missing_app_group);
	g_test_add_func ("/config/C2/bad-dn-type", test_bad_dn_type);
	g_test_add_func ("/config/C2/unknown-variable", test_unknown_variable);
	g_test_add_func ("/config/R29/filename-compiled",
	                 test_filename_compiled);
	g_test_add_func ("/config/C2/syntax", test_syntax);
	g_test_add_func ("/config/C2/from-file", test_from_file);
	g_test_add_func ("/config/R22/port-limit", test_port_limit);

	return g_test_run ();
}
