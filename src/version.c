/*
 * version.c — the library's own version, for hosts that link it
 * dynamically and want to know which one they got.
 */
#include "rrec/rrec.h"

const char *
rrec_version (void)
{
	return RREC_VERSION;
}
