/* md-password-store.c: the password in the system keyring, by choice only
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The only place the GUI keeps a password beyond one check. It is called
 * only when the user switched *Remember password* on; the account page
 * makes sure of that, so that nothing ever asks the keyring otherwise.
 * Under Flatpak libsecret goes through the Secret portal by itself.
 */

#include "md-config.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>

#include "md-compat.h"
#include "md-password-store.h"

/* One password per server and username, as mail programs keep them. */
static const SecretSchema password_schema = {
  MD_PASSWORD_SCHEMA_NAME, SECRET_SCHEMA_DONT_MATCH_NAME,
  {
    { "host", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "username", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
  0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
};

static void
lookup_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  char *found = secret_password_lookup_finish (result, &error);

  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* libsecret's copy is freed its own way; ours is wiped by the caller. */
  g_task_return_pointer (task, g_strdup (found), (GDestroyNotify)md_secret_free);
  secret_password_free (found);
}

void
md_password_store_lookup_async (const char          *host,
                                const char          *username,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (host != NULL);
  g_return_if_fail (username != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, md_password_store_lookup_async);

  secret_password_lookup (&password_schema, cancellable, lookup_cb,
                          g_steal_pointer (&task),
                          "host", host, "username", username, NULL);
}

char *
md_password_store_lookup_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, md_password_store_lookup_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (g_task_get_source_tag (task) == md_password_store_save_async)
    ok = secret_password_store_finish (result, &error);
  else
    ok = secret_password_clear_finish (result, &error) || error == NULL;

  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, ok);
}

void
md_password_store_save_async (const char          *host,
                              const char          *username,
                              const char          *password,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *label = NULL;

  g_return_if_fail (host != NULL);
  g_return_if_fail (username != NULL);
  g_return_if_fail (password != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, md_password_store_save_async);

  /* Translators: how the password appears in the Passwords and Keys app. */
  label = g_strdup_printf (_("Mail Doctor: %s on %s"), username, host);
  secret_password_store (&password_schema, SECRET_COLLECTION_DEFAULT, label, password,
                         cancellable, done_cb, g_steal_pointer (&task),
                         "host", host, "username", username, NULL);
}

gboolean
md_password_store_save_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
md_password_store_clear_async (const char          *host,
                               const char          *username,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (host != NULL);
  g_return_if_fail (username != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, md_password_store_clear_async);

  secret_password_clear (&password_schema, cancellable, done_cb, g_steal_pointer (&task),
                         "host", host, "username", username, NULL);
}

/* Clearing what was never stored is not an error. */
gboolean
md_password_store_clear_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
