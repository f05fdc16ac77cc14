/* test-deadline.c
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <locale.h>

#include "md-deadline.h"
#include "md-test-utils.h"

static void
on_cancelled (GCancellable *cancellable,
              gpointer      user_data)
{
  gboolean *flag = user_data;

  *flag = TRUE;
}

static void
test_expires (void)
{
  g_autoptr(MdDeadline) deadline = md_deadline_new (NULL, 50);
  g_autoptr(GError) error = NULL;
  gboolean cancelled = FALSE;
  gint64 start = g_get_monotonic_time ();

  g_cancellable_connect (md_deadline_get_cancellable (deadline), G_CALLBACK (on_cancelled),
                         &cancelled, NULL);
  md_test_wait_until (&cancelled, 2000);

  g_assert_cmpint (g_get_monotonic_time () - start, >=, 45 * 1000);
  g_assert_true (md_deadline_expired (deadline));
  g_assert_false (md_deadline_check (deadline, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
}

static void
test_parent_cancels (void)
{
  g_autoptr(GCancellable) parent = g_cancellable_new ();
  g_autoptr(MdDeadline) deadline = md_deadline_new (parent, 10000);
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (parent);

  g_assert_true (g_cancellable_is_cancelled (md_deadline_get_cancellable (deadline)));
  g_assert_false (md_deadline_expired (deadline));
  g_assert_false (md_deadline_check (deadline, &error));
  /* A user's cancellation stays a cancellation. */
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_parent_already_cancelled (void)
{
  g_autoptr(GCancellable) parent = g_cancellable_new ();
  g_autoptr(MdDeadline) deadline = NULL;

  g_cancellable_cancel (parent);
  deadline = md_deadline_new (parent, 10000);

  g_assert_true (g_cancellable_is_cancelled (md_deadline_get_cancellable (deadline)));
}

static gboolean
set_flag (gpointer user_data)
{
  *(gboolean *)user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
test_free_before_expiry (void)
{
  g_autoptr(GCancellable) parent = g_cancellable_new ();
  MdDeadline *deadline = md_deadline_new (parent, 20);
  gboolean later = FALSE;

  md_deadline_free (deadline);

  /* Past the freed deadline's expiry, neither its timer nor the parent's
   * cancellation may touch it (ASan and valgrind would see it). */
  g_timeout_add (60, set_flag, &later);
  md_test_wait_until (&later, 2000);
  g_cancellable_cancel (parent);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/md/core/deadline/expires", test_expires);
  g_test_add_func ("/md/core/deadline/parent-cancels", test_parent_cancels);
  g_test_add_func ("/md/core/deadline/parent-already-cancelled", test_parent_already_cancelled);
  g_test_add_func ("/md/core/deadline/free-before-expiry", test_free_before_expiry);

  return g_test_run ();
}
