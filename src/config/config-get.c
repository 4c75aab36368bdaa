/*
 * config-get.c — the getters of a loaded configuration (rrec/config.h and
 * rrec-config-private.h); the loader is config.c.
 */

#include "rrec-config-private.h"

#include "rrec-config-data.h"

const char *
rrec_config_get_source_name (RrecConfig *config)
{
	return config->source;
}

const char *const *
rrec_config_get_warnings (RrecConfig *config)
{
	return (const char *const *) config->warnings->pdata;
}

const char *
rrec_config_get_server_application (RrecConfig *config)
{
	return config->server_application;
}

const char *
rrec_config_get_trunk_group (RrecConfig *config)
{
	return config->trunk_group;
}

const char *
rrec_config_get_uri_pattern (RrecConfig *config)
{
	return config->uri_pattern_text;
}

const RrecFilenameTemplate *
rrec_config_get_recording_filename_compiled (RrecConfig *config)
{
	return config->recording_filename_compiled;
}

const RrecUriPattern *
rrec_config_get_uri_pattern_parsed (RrecConfig *config)
{
	return config->uri_pattern;
}

guint64
rrec_config_get_port_count (RrecConfig *config)
{
	return MIN ((guint64) rrec_uri_pattern_get_n_ports (config->uri_pattern),
	            config->port_limit);
}

guint
rrec_config_get_reestablish_recording_tout (RrecConfig *config)
{
	return config->reestablish_recording_tout;
}

guint
rrec_config_get_recording_setup_tout (RrecConfig *config)
{
	return config->recording_setup_tout;
}

const char *
rrec_config_get_recording_filename (RrecConfig *config)
{
	return config->recording_filename;
}

gboolean
rrec_config_get_record_moh (RrecConfig *config)
{
	return config->record_moh;
}

gboolean
rrec_config_get_record_consult_calls (RrecConfig *config)
{
	return config->record_consult_calls;
}

guint
rrec_config_get_reconnect_timeout (RrecConfig *config)
{
	return config->reconnect_timeout;
}

guint
rrec_config_get_reconnect_attempts (RrecConfig *config)
{
	return config->reconnect_attempts;
}

guint
rrec_config_get_recording_failure_alarm (RrecConfig *config)
{
	return config->recording_failure_alarm;
}

guint
rrec_config_get_reestablish_max_attempts (RrecConfig *config)
{
	return config->reestablish_max_attempts;
}

const char *
rrec_config_get_dn_geo_location (RrecConfig *config, const char *dn)
{
	/* most configurations name none: no look-up (the DN's text, read for
	 * its hash, is in no cache at a recording's START) */
	if (dn == NULL || g_hash_table_size (config->geo_locations) == 0)
		return NULL;
	return g_hash_table_lookup (config->geo_locations, dn);
}

gboolean
rrec_config_lookup_dn (RrecConfig *config, const char *dn, RrecDnType *type,
                       gboolean *record)
{
	const RrecDnEntry *entry;

	if (dn == NULL)
		return FALSE;
	entry = g_hash_table_lookup (config->dns, dn);
	if (entry == NULL)
		return FALSE;
	if (type != NULL)
		*type = entry->type;
	if (record != NULL)
		*record = entry->record;
	return TRUE;
}

guint
rrec_config_get_n_dns (RrecConfig *config)
{
	return g_hash_table_size (config->dns);
}

void
rrec_config_set_port_limit (RrecConfig *config, guint64 n)
{
	g_return_if_fail (config != NULL);
	/* Immutable once shared: an engine must not see its pool shrink. */
	g_return_if_fail (g_atomic_ref_count_compare (&config->ref_count, 1));

	config->port_limit = n;
}
