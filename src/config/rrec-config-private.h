/*
 * rrec-config-private.h — what the engine reads from an RrecConfig beyond
 * the public getters of rrec/config.h.
 */
#pragma once

#include "rrec/config.h"
#include "rrec-filename.h"
#include "rrec-uri-pattern.h"

G_BEGIN_DECLS

/* The parsed uri-pattern: port strings, dial URIs and DNIS matching. */
const RrecUriPattern *rrec_config_get_uri_pattern_parsed (RrecConfig *config);
/* recording-filename compiled (R29): what each dial expands.  A new
 * configuration comes with a new engine, which reads its own. */
const RrecFilenameTemplate *
rrec_config_get_recording_filename_compiled (RrecConfig *config);

G_END_DECLS
