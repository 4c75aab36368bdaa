/*
 * fuzz.h — the entry points of the libFuzzer targets.
 *
 * Built with -Dfuzzing=true each target is its own libFuzzer program and
 * its entry is LLVMFuzzerTestOneInput.  The regression test
 * (tests/test-fuzz-corpus.c) compiles the same files with FUZZ_ENTRY set
 * to a name of its own and runs every committed corpus file through them,
 * so that each finding stays a test of the normal suite.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#ifndef FUZZ_ENTRY
#define FUZZ_ENTRY LLVMFuzzerTestOneInput
#endif

int FUZZ_ENTRY (const uint8_t *data, size_t size);

/* A broken promise: print it and stop, so that libFuzzer keeps the input
 * (and a g_test run fails). */
#define FUZZ_FAIL(...) do { \
	fprintf (stderr, __VA_ARGS__); \
	fputc ('\n', stderr); \
	abort (); \
} while (0)
