/* md-watch.c: check again, with back-off, until the server accepts
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A watch alternates between one attempt (a re-check through the
 * diagnosis) and one wait (a timeout source), so exactly one of the two is
 * pending while it runs. Stopping destroys the wait and cancels the attempt
 * with a cancellable of the watch's own: the user's cancellable may never
 * fire when the watch is disposed instead, and an attempt whose answer
 * comes after the run ended recognises that it is stale and is dropped.
 */

#include "md-config.h"

#include <glib/gi18n-lib.h>

#include "md-watch.h"

struct _MdWatch
{
  GObject       parent_instance;

  MdDiagnosis  *diagnosis;
  MdCheckId     check;
  guint         initial_ms;
  guint         max_ms;
  guint         attempts;

  /* Set while a run is in progress. */
  GTask        *task;
  GCancellable *attempt_cancellable;
  GSource      *wait_source;
  GSource      *cancel_source;
  guint         next_delay_ms;
};

G_DEFINE_FINAL_TYPE (MdWatch, md_watch, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ATTEMPTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  ATTEMPT_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void start_attempt (MdWatch *self);

static void
destroy_source (GSource **source)
{
  if (*source == NULL)
    return;

  g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

/* Ends the run: nothing of it stays pending. Returns the run's task, which
 * the caller completes. */
static GTask *
stop_run (MdWatch *self)
{
  destroy_source (&self->wait_source);
  destroy_source (&self->cancel_source);

  if (self->attempt_cancellable != NULL)
    g_cancellable_cancel (self->attempt_cancellable);
  g_clear_object (&self->attempt_cancellable);

  return g_steal_pointer (&self->task);
}

static void
stop_cancelled (MdWatch *self)
{
  g_autoptr(GTask) task = stop_run (self);

  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                           _("Watching was stopped"));
}

static void
md_watch_dispose (GObject *object)
{
  MdWatch *self = (MdWatch *)object;

  /* Only g_object_run_dispose() gets here during a run, since the run's
   * task holds the watch; the caller is still owed its answer. */
  if (self->task != NULL)
    stop_cancelled (self);

  g_clear_object (&self->diagnosis);

  G_OBJECT_CLASS (md_watch_parent_class)->dispose (object);
}

static void
md_watch_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  MdWatch *self = MD_WATCH (object);

  switch (prop_id)
    {
    case PROP_ATTEMPTS:
      g_value_set_uint (value, self->attempts);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
md_watch_class_init (MdWatchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = md_watch_dispose;
  object_class->get_property = md_watch_get_property;

  /**
   * MdWatch:attempts:
   *
   * How many attempts of the current (or last) run have finished.
   */
  properties[PROP_ATTEMPTS] =
    g_param_spec_uint ("attempts", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * MdWatch::attempt-finished:
   * @check: the new result of the watched check
   * @next_delay_ms: how long until the next attempt; 0 when watching ends
   *   because the check passed
   *
   * Emitted on the run's main context after each attempt.
   */
  signals[ATTEMPT_FINISHED] =
    g_signal_new ("attempt-finished",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, MD_TYPE_CHECK, G_TYPE_UINT);
}

static void
md_watch_init (MdWatch *self)
{
  self->initial_ms = MD_WATCH_DEFAULT_INITIAL_MS;
  self->max_ms = MD_WATCH_DEFAULT_MAX_MS;
}

/**
 * md_watch_new:
 * @diagnosis: the diagnosis whose check to run again
 * @check: the check to watch
 *
 * Returns: (transfer full): a new watch, not yet running
 */
MdWatch *
md_watch_new (MdDiagnosis *diagnosis,
              MdCheckId    check)
{
  MdWatch *self;

  g_return_val_if_fail (MD_IS_DIAGNOSIS (diagnosis), NULL);

  self = g_object_new (MD_TYPE_WATCH, NULL);
  self->diagnosis = g_object_ref (diagnosis);
  self->check = check;

  return self;
}

MdCheckId
md_watch_get_check (MdWatch *self)
{
  g_return_val_if_fail (MD_IS_WATCH (self), MD_CHECK_INPUT);

  return self->check;
}

guint
md_watch_get_attempts (MdWatch *self)
{
  g_return_val_if_fail (MD_IS_WATCH (self), 0);

  return self->attempts;
}

static void
set_attempts (MdWatch *self,
              guint    attempts)
{
  if (self->attempts == attempts)
    return;

  self->attempts = attempts;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ATTEMPTS]);
}

/**
 * md_watch_set_intervals:
 * @initial_ms: the wait after the first attempt
 * @max_ms: the longest wait, which the doubling waits stop at
 *
 * Takes effect at the next run.
 */
void
md_watch_set_intervals (MdWatch *self,
                        guint    initial_ms,
                        guint    max_ms)
{
  g_return_if_fail (MD_IS_WATCH (self));
  g_return_if_fail (initial_ms > 0);
  g_return_if_fail (max_ms >= initial_ms);

  self->initial_ms = initial_ms;
  self->max_ms = max_ms;
}

static GSource *
attach_source (MdWatch    *self,
               GSource    *source,
               GSourceFunc func,
               const char *name)
{
  g_source_set_callback (source, func, self, NULL);
  g_source_set_static_name (source, name);
  g_source_attach (source, g_task_get_context (self->task));

  return source;
}

static gboolean
on_wait_over (gpointer user_data)
{
  MdWatch *self = user_data;

  g_assert (MD_IS_WATCH (self));

  g_clear_pointer (&self->wait_source, g_source_unref);
  start_attempt (self);

  return G_SOURCE_REMOVE;
}

static gboolean
on_cancelled (GCancellable *cancellable,
              gpointer      user_data)
{
  MdWatch *self = user_data;

  g_assert (MD_IS_WATCH (self));

  stop_cancelled (self);

  return G_SOURCE_REMOVE;
}

/* Waits as long as planned, and doubles the wait after it, up to the cap. */
static guint
schedule_wait (MdWatch *self)
{
  guint delay_ms = self->next_delay_ms;

  self->next_delay_ms = (guint)MIN ((guint64)delay_ms * 2, (guint64)self->max_ms);
  self->wait_source = attach_source (self, g_timeout_source_new (delay_ms), on_wait_over,
                                     "[md] watch wait");

  return delay_ms;
}

static gboolean
check_works (MdCheck *check)
{
  MdCheckStatus status = md_check_get_status (check);

  return status == MD_CHECK_STATUS_PASS || status == MD_CHECK_STATUS_WARN;
}

static void
attempt_finished (MdWatch *self,
                  GTask   *task,
                  MdCheck *check)
{
  gboolean works = check_works (check);
  guint delay_ms = works ? 0 : schedule_wait (self);
  g_autoptr(GTask) run = NULL;

  set_attempts (self, self->attempts + 1);
  g_signal_emit (self, signals[ATTEMPT_FINISHED], 0, check, delay_ms);

  /* A handler may have stopped the run (by disposing the watch). */
  if (!works || self->task != task)
    return;

  run = stop_run (self);
  g_task_return_boolean (run, TRUE);
}

static void
recheck_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MdWatch *self = g_task_get_source_object (task);
  g_autoptr(MdCheck) check = NULL;
  g_autoptr(GError) error = NULL;

  g_assert (MD_IS_WATCH (self));

  check = md_diagnosis_recheck_finish (MD_DIAGNOSIS (object), result, &error);

  /* The run ended while the attempt was under way. */
  if (self->task != task)
    return;

  g_clear_object (&self->attempt_cancellable);

  if (check == NULL)
    {
      g_autoptr(GTask) run = stop_run (self);

      g_task_return_error (run, g_steal_pointer (&error));
      return;
    }

  attempt_finished (self, task, check);
}

static void
start_attempt (MdWatch *self)
{
  g_assert (self->task != NULL);
  g_assert (self->attempt_cancellable == NULL);

  self->attempt_cancellable = g_cancellable_new ();
  md_diagnosis_recheck_async (self->diagnosis, self->check, self->attempt_cancellable,
                              recheck_cb, g_object_ref (self->task));
}

/**
 * md_watch_run_async:
 * @cancellable: (nullable): stops the wait and the attempt in flight at once
 *
 * Runs the watched check at once, then again after each wait while it
 * fails; the waits double from the initial interval up to the maximum.
 * The waits are timeouts on the thread-default main context.
 */
void
md_watch_run_async (MdWatch             *self,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (MD_IS_WATCH (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));
  g_return_if_fail (self->task == NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, md_watch_run_async);

  if (g_task_return_error_if_cancelled (task))
    return;

  set_attempts (self, 0);
  self->next_delay_ms = self->initial_ms;
  self->task = g_steal_pointer (&task);

  if (cancellable != NULL)
    self->cancel_source = attach_source (self, g_cancellable_source_new (cancellable),
                                         (GSourceFunc)(void (*)(void))on_cancelled,
                                         "[md] watch cancelled");

  start_attempt (self);
}

gboolean
md_watch_run_finish (MdWatch       *self,
                     GAsyncResult  *result,
                     GError       **error)
{
  g_return_val_if_fail (MD_IS_WATCH (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
