/* md-test-utils.h
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A loopback TCP port that was free a moment ago: nothing listens there,
 * so a connection is refused, until a test starts a server on it. */
guint16 md_test_free_port (void);

/* Iterates the default main context until @done returns TRUE, failing the
 * test when @timeout_ms passes first: waits in tests are always bounded. */
void md_test_wait_for (gboolean (*done) (gpointer data),
                       gpointer   data,
                       guint      timeout_ms);

/* The same, until @flag is set. */
void md_test_wait_until (gboolean *flag,
                         guint     timeout_ms);

/* Lets the default main context run for @ms: only for proving that
 * something does not happen. */
void md_test_spin (guint ms);

/* Stores a GAsyncResult into *(GAsyncResult **)user_data. */
void md_test_store_result (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data);

/* Iterates until *result is set (see md_test_store_result). */
GAsyncResult *md_test_wait_result (GAsyncResult **result,
                                   guint          timeout_ms);

/* The deadline for a worker thread to hand an object back (see
 * md_test_wait_finalized): the wait ends as soon as it does, so the deadline
 * only bounds a real hang, and is generous enough for a loaded machine or
 * ASan (test-dns's teardown once waited a fixed 2 s, and failed about one
 * run in twenty). */
#define MD_TEST_RELEASE_TIMEOUT_MS 20000

/* Drops the caller's reference to @object and iterates the default main
 * context until it is finalized, failing after @timeout_ms: work that
 * finished in another thread hands its last references back through the
 * main context. */
void md_test_wait_finalized (gpointer object,
                             guint    timeout_ms);

G_END_DECLS
