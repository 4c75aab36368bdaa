/*
 * rrec.h — the remote-recording control engine of a T-Server.
 *
 * Everything an embedding T-Server sees is declared under include/rrec/.
 */
#pragma once

#include <glib.h>

#include "rrec/version.h"

G_BEGIN_DECLS

#if defined(RREC_COMPILATION) && defined(__GNUC__)
#define RREC_API __attribute__ ((visibility ("default")))
#else
#define RREC_API
#endif

/* The library's version, "MAJOR.MINOR.MICRO", as it was built. */
RREC_API const char *rrec_version (void);

G_END_DECLS
