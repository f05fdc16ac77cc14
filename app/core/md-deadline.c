/* md-deadline.c: a cancellable that also fires after a time limit
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GIO's socket timeouts bound each read, not a step: a server that drips
 * one byte every half second never trips them. So every step gets its own
 * child cancellable, chained to the run's, which a timer cancels when the
 * step's time is up. Callers turn the resulting "cancelled" into "timed
 * out" with md_deadline_fix_error().
 */

#include "md-config.h"

#include <glib/gi18n-lib.h>

#include "md-deadline.h"

struct _MdDeadline
{
  GCancellable *parent;
  GCancellable *cancellable;
  gulong        parent_handler;
  GSource      *timeout_source;
  guint         timeout_ms;
  gboolean      expired;
};

static void
on_parent_cancelled (GCancellable *parent,
                     gpointer      user_data)
{
  GCancellable *child = user_data;

  g_cancellable_cancel (child);
}

static gboolean
on_timeout (gpointer user_data)
{
  MdDeadline *self = user_data;

  g_clear_pointer (&self->timeout_source, g_source_unref);
  self->expired = TRUE;
  g_cancellable_cancel (self->cancellable);

  return G_SOURCE_REMOVE;
}

/**
 * md_deadline_new:
 * @parent: (nullable): the run's cancellable
 * @timeout_ms: the step's time limit; 0 means no limit of its own
 *
 * The timer is attached to the thread-default main context, which must be
 * the one that runs the step.
 */
MdDeadline *
md_deadline_new (GCancellable *parent,
                 guint         timeout_ms)
{
  MdDeadline *self = g_new0 (MdDeadline, 1);

  self->cancellable = g_cancellable_new ();
  self->timeout_ms = timeout_ms;

  if (parent != NULL)
    {
      self->parent = g_object_ref (parent);
      /* Runs at once when the parent is already cancelled. */
      self->parent_handler = g_cancellable_connect (parent, G_CALLBACK (on_parent_cancelled),
                                                    self->cancellable, NULL);
    }

  if (timeout_ms > 0 && !g_cancellable_is_cancelled (self->cancellable))
    {
      self->timeout_source = g_timeout_source_new (timeout_ms);
      g_source_set_callback (self->timeout_source, on_timeout, self, NULL);
      g_source_set_static_name (self->timeout_source, "[md] step deadline");
      g_source_attach (self->timeout_source, g_main_context_get_thread_default ());
    }

  return self;
}

void
md_deadline_free (MdDeadline *self)
{
  if (self == NULL)
    return;

  if (self->timeout_source != NULL)
    {
      g_source_destroy (self->timeout_source);
      g_clear_pointer (&self->timeout_source, g_source_unref);
    }

  if (self->parent != NULL)
    g_cancellable_disconnect (self->parent, self->parent_handler);

  g_clear_object (&self->parent);
  g_clear_object (&self->cancellable);
  g_free (self);
}

GCancellable *
md_deadline_get_cancellable (MdDeadline *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->cancellable;
}

gboolean
md_deadline_expired (MdDeadline *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->expired;
}

guint
md_deadline_get_timeout_ms (MdDeadline *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->timeout_ms;
}

/**
 * md_deadline_check:
 *
 * Returns: %FALSE, with @error set, when the step was cancelled or its time
 *   is up.
 */
gboolean
md_deadline_check (MdDeadline  *self,
                   GError     **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (!g_cancellable_set_error_if_cancelled (self->cancellable, error))
    return TRUE;

  md_deadline_fix_error (self, error);
  return FALSE;
}

/**
 * md_deadline_fix_error:
 *
 * Replaces the "cancelled" error that the deadline's own timer caused with
 * a "timed out" one; a cancellation by the user stays as it is.
 */
void
md_deadline_fix_error (MdDeadline  *self,
                       GError     **error)
{
  g_return_if_fail (self != NULL);

  if (error == NULL || *error == NULL || !self->expired)
    return;

  if (g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_error_matches (*error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_TEMPORARY_FAILURE))
    {
      g_clear_error (error);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                   _("No answer within %.1f seconds"), self->timeout_ms / 1000.0);
    }
}
