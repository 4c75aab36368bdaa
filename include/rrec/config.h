/*
 * config.h — the engine's configuration: one INI file read with GKeyFile
 * (behaviour.md §2).
 *
 * An RrecConfig is loaded once, checked completely, and never changes
 * afterwards: it is reference-counted and may be shared by any number of
 * engines and threads.  A file with an error (C2) gives no RrecConfig at
 * all, so an engine never starts on a bad configuration.
 *
 *     [remote-recording]
 *     server-application = SIPServer_SfB       required
 *     trunk-group = annc                       required
 *     uri-pattern = sip:{+1555{DDD}}{@sip.example.com}   required
 *     reestablish-recording-tout = 5           0 … 86400 s, 0 = never (R25)
 *     recording-setup-tout = 10                1 … 86400 s (R25, added)
 *     recording-filename =                     template (R29), empty = default
 *     record-moh = true                        true | false
 *     recording-failure-alarm = 3              0 … 1000, 0 = never (R35, added)
 *     reestablish-max-attempts = 0             0 … 1000, 0 = no limit (R35, added)
 *
 *     [app:SIPServer_SfB]                      required: named above
 *     reconnect-timeout = 10                   1 … 86400 s (R24)
 *     reconnect-attempts = 1                   0 … 1000 (R24)
 *
 *     [dn:7001]                                any number of them
 *     type = extension                         required, see RrecDnType
 *     record = true                            true | false, default false
 *     geo-location = eu-west                   text, default none (R34, added)
 *
 * Values are taken as written: booleans are exactly `true` or `false`,
 * numbers are plain decimal digits (no sign, no unit, no trailing text),
 * and a value never carries a comment (C3): `record = true # agent` is an
 * error, not `true`.
 *
 * Errors (C2) are RREC_CONFIG_ERROR with a message in compiler style:
 *
 *     rrec.ini:7: [remote-recording] record-moh: 'maybe' is not a boolean (accepted: true, false)
 *
 * Unknown groups and keys (C1) load, but each gives a warning that the
 * caller is expected to show: see rrec_config_get_warnings().
 */
#pragma once

#include "rrec/rrec.h"

G_BEGIN_DECLS

#define RREC_CONFIG_ERROR (rrec_config_error_quark ())
RREC_API GQuark rrec_config_error_quark (void);

typedef enum {
	RREC_CONFIG_ERROR_READ,			/* the file could not be read */
	RREC_CONFIG_ERROR_SYNTAX,		/* not GKeyFile syntax */
	RREC_CONFIG_ERROR_MISSING,		/* a required option is absent */
	RREC_CONFIG_ERROR_INVALID_VALUE,	/* a value is malformed or out of range */
	RREC_CONFIG_ERROR_NO_APP_GROUP,		/* server-application names no [app:...] group */
} RrecConfigError;

/* The `type` of a [dn:NAME] group: the DN types of Configuration Server. */
typedef enum {
	RREC_DN_TYPE_EXTENSION,
	RREC_DN_TYPE_ROUTING_POINT,
	RREC_DN_TYPE_ACD_POSITION,
	RREC_DN_TYPE_TRUNK,
	RREC_DN_TYPE_TRUNK_GROUP,
	RREC_DN_TYPE_VOIP_SERVICE,
} RrecDnType;

/* "extension", "routing-point", … as written in the file. */
RREC_API const char *rrec_dn_type_to_string (RrecDnType type);

typedef struct _RrecConfig RrecConfig;

/*
 * Reads and checks the file at PATH.  Messages name the file as PATH was
 * given.  Returns NULL and sets ERROR on any C2 error.
 */
RREC_API RrecConfig *rrec_config_new_from_file (const char *path,
                                                GError **error);

/*
 * As rrec_config_new_from_file() for LEN bytes of DATA (which need not be
 * NUL-terminated); NAME_FOR_MESSAGES stands for the file name in
 * errors and warnings ("<config>" when NULL).
 */
RREC_API RrecConfig *rrec_config_new_from_data (const char *data,
                                                gsize len,
                                                const char *name_for_messages,
                                                GError **error);

RREC_API RrecConfig *rrec_config_ref (RrecConfig *config);
RREC_API void rrec_config_unref (RrecConfig *config);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RrecConfig, rrec_config_unref)

/* The name that messages use for the file. */
RREC_API const char *rrec_config_get_source_name (RrecConfig *config);

/*
 * C1: one line per unknown group or key (and per other ignored text, such
 * as a duplicate key or a `record` option on a DN type that R1 does not
 * cover), in file order, NULL-terminated, e.g.
 *
 *     rrec.ini:12: [remote-recording] colour: unknown option, ignored
 *
 * Never NULL; empty when the file is clean.
 */
RREC_API const char *const *rrec_config_get_warnings (RrecConfig *config);

/* [remote-recording] */
RREC_API const char *rrec_config_get_server_application (RrecConfig *config);
RREC_API const char *rrec_config_get_trunk_group (RrecConfig *config);

/* The uri-pattern in canonical form: "sip:{+1555{DDD}}{@sip.example.com}". */
RREC_API const char *rrec_config_get_uri_pattern (RrecConfig *config);

/*
 * The number of recording ports: 10^(number of Ds), capped by the port
 * limit (see rrec_config_set_port_limit()).
 */
RREC_API guint64 rrec_config_get_port_count (RrecConfig *config);

/* Seconds; 0 means a dropped leg is never dialled again (R25). */
RREC_API guint rrec_config_get_reestablish_recording_tout (RrecConfig *config);

/*
 * Seconds a re-dialled leg has to come up before it counts as a drop
 * (R25).  Added option (C3), default 10.
 */
RREC_API guint rrec_config_get_recording_setup_tout (RrecConfig *config);

/*
 * The file-name template (R29).  When the option is empty or absent this
 * is the default template "$CALLUUID$_$DN$_$ANI$_$DNIS$_$DATE$_$TIME$",
 * never "".  Already checked: it names only known variables.
 */
RREC_API const char *rrec_config_get_recording_filename (RrecConfig *config);

/* Default TRUE; FALSE pauses the recording on hold and transfer (R14–R17). */
RREC_API gboolean rrec_config_get_record_moh (RrecConfig *config);

/*
 * Failed starts or re-dials in a row, on any calls, that raise the alarm
 * `recording-failing` (R35).  Added option, default 3; 0 = never.
 */
RREC_API guint rrec_config_get_recording_failure_alarm (RrecConfig *config);

/*
 * Re-dials in a row without an acknowledged START after which a session
 * gives up (R35).  Added option, default 0 = no limit.
 */
RREC_API guint rrec_config_get_reestablish_max_attempts (RrecConfig *config);

/* The `geo-location` option of [dn:DN] (R34), NULL when not set. */
RREC_API const char *rrec_config_get_dn_geo_location (RrecConfig *config,
                                                      const char *dn);

/* [app:<server-application>] */
RREC_API guint rrec_config_get_reconnect_timeout (RrecConfig *config);
RREC_API guint rrec_config_get_reconnect_attempts (RrecConfig *config);

/*
 * Looks DN up among the [dn:NAME] groups, in constant time.  Returns FALSE
 * when DN has no group; otherwise stores its type and its `record` option
 * (either pointer may be NULL).  `record` is always FALSE for the types
 * that R1 does not cover (trunk, trunk-group, voip-service): the file
 * gets a warning for it instead.
 */
RREC_API gboolean rrec_config_lookup_dn (RrecConfig *config,
                                         const char *dn,
                                         RrecDnType *type,
                                         gboolean *record);

/* Number of [dn:NAME] groups. */
RREC_API guint rrec_config_get_n_dns (RrecConfig *config);

/*
 * For tests and verification only: cap the number of recording ports at
 * N (a pool of 0 ports is allowed: every start then fails with
 * no-free-port, R22).  The cap is not a file option, so that a
 * configuration file always means what the document says; `rrec replay`
 * and the explorer set it from their own command line.
 *
 * Allowed only while CONFIG is not shared, i.e. its reference count is
 * still 1 — an RrecConfig is immutable once an engine holds it.
 */
RREC_API void rrec_config_set_port_limit (RrecConfig *config, guint64 n);

G_END_DECLS
