/*
 * rrec-config-data.h — what a loaded configuration holds: filled by the
 * loader (config.c), read by the getters (config-get.c).
 */
#pragma once

#include "rrec/config.h"
#include "rrec-filename.h"
#include "rrec-uri-pattern.h"

G_BEGIN_DECLS

typedef struct {
	RrecDnType type;
	gboolean record;
} RrecDnEntry;

struct _RrecConfig {
	gatomicrefcount ref_count;
	char *source;

	char *server_application;
	char *trunk_group;
	RrecUriPattern *uri_pattern;
	char *uri_pattern_text;		/* canonical form */
	guint reestablish_recording_tout;
	guint recording_setup_tout;
	char *recording_filename;	/* never "": the default instead */
	RrecFilenameTemplate *recording_filename_compiled;	/* of it (R29) */
	gboolean record_moh;
	gboolean record_consult_calls;	/* R36 */
	guint recording_failure_alarm;	/* R35 */
	guint reestablish_max_attempts;	/* R35 */

	guint reconnect_timeout;
	guint reconnect_attempts;

	guint64 port_limit;		/* G_MAXUINT64: none */

	GHashTable *dns;		/* name → RrecDnEntry */
	GHashTable *geo_locations;	/* name → its geo-location (R34) */
	GPtrArray *warnings;		/* NULL-terminated strings */
};

G_END_DECLS
