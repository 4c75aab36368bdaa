/*
 * perf-count.c — the hardware's cache misses for `rrec bench`, counted as
 * `perf stat -e cache-misses` counts them: one perf_event_open(2) counter
 * (PERF_COUNT_HW_CACHE_MISSES: last-level misses) on this thread, user
 * space only, switched on around a timed part.
 *
 * Optional: a virtual machine without hardware counters, a kernel whose
 * perf_event_paranoid forbids it, or a system without the call gives no
 * counter.  The bench then says why and reports no miss figure; it never
 * fails for it.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"

#ifdef __linux__
#include <linux/perf_event.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#define RREC_BENCH_PERF 1
#else
#define RREC_BENCH_PERF 0
#endif

static int fd = -2;		/* -2: not tried yet, -1: unavailable */
static char *why_not;

static void
open_counter (void)
{
#if RREC_BENCH_PERF
	struct perf_event_attr attr;

	memset (&attr, 0, sizeof attr);
	attr.size = sizeof attr;
	attr.type = PERF_TYPE_HARDWARE;
	attr.config = PERF_COUNT_HW_CACHE_MISSES;
	attr.disabled = 1;
	attr.exclude_kernel = 1;
	attr.exclude_hv = 1;
	fd = (int) syscall (SYS_perf_event_open, &attr, 0, -1, -1, 0);
	if (fd < 0) {
		int e = errno;

		why_not = g_strdup_printf ("perf_event_open (cache-misses): %s%s",
					   g_strerror (e),
					   e == ENOENT || e == EOPNOTSUPP ?
					   " (no hardware counters here)" :
					   e == EACCES || e == EPERM ?
					   " (see /proc/sys/kernel/perf_event_paranoid)" : "");
		fd = -1;
	}
#else
	why_not = g_strdup ("no perf_event_open on this system");
	fd = -1;
#endif
}

gboolean
bench_misses_available (const char **why)
{
	if (fd == -2)
		open_counter ();
	if (why)
		*why = fd >= 0 ? NULL : why_not;
	return fd >= 0;
}

void
bench_misses_count (gboolean on)
{
#if RREC_BENCH_PERF
	if (bench_misses_available (NULL))
		ioctl (fd, on ? PERF_EVENT_IOC_ENABLE : PERF_EVENT_IOC_DISABLE, 0);
#endif
}

guint64
bench_misses (void)
{
	guint64 n = 0;

	if (bench_misses_available (NULL) &&
	    read (fd, &n, sizeof n) != (ssize_t) sizeof n)
		n = 0;
	return n;
}
