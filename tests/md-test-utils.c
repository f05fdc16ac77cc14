/* md-test-utils.c
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "md-test-utils.h"

guint16
md_test_free_port (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  g_socket_bind (socket, any, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);

  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static gboolean
on_wait_timeout (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

void
md_test_wait_for (gboolean (*done) (gpointer data),
                  gpointer   data,
                  guint      timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, on_wait_timeout, &timed_out);

  while (!done (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (id);

  g_assert_false (timed_out);
}

static gboolean
flag_is_set (gpointer data)
{
  return *(gboolean *)data;
}

void
md_test_wait_until (gboolean *flag,
                    guint     timeout_ms)
{
  md_test_wait_for (flag_is_set, flag, timeout_ms);
}

static void
set_flag (gpointer data)
{
  *(gboolean *)data = TRUE;
}

void
md_test_spin (guint ms)
{
  gboolean spun = FALSE;

  g_timeout_add_once (ms, set_flag, &spun);
  md_test_wait_until (&spun, ms + 1000);
}

void
md_test_store_result (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  GAsyncResult **out = user_data;

  g_assert_null (*out);
  *out = g_object_ref (result);
}

GAsyncResult *
md_test_wait_result (GAsyncResult **result,
                     guint          timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, on_wait_timeout, &timed_out);

  while (*result == NULL && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (id);

  g_assert_false (timed_out);
  return *result;
}

static gboolean
is_null (gpointer data)
{
  return *(gpointer *)data == NULL;
}

void
md_test_wait_finalized (gpointer object,
                        guint    timeout_ms)
{
  gpointer weak = object;

  g_assert_true (G_IS_OBJECT (object));

  g_object_add_weak_pointer (object, &weak);
  g_object_unref (object);
  md_test_wait_for (is_null, &weak, timeout_ms);
}
