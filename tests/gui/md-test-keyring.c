/* md-test-keyring.c: what the keyring holds, read directly, for the tests
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "md-password-store.h"
#include "md-test-keyring.h"
#include "md-test-utils.h"

/* The app's schema does not match on its name, so that other programs'
 * items with the same attributes would be found too. The tests want
 * exactly the items the app stored, which libsecret always labels with
 * the schema's name ("xdg:schema"): this copy matches on it. */
static const SecretSchema items_schema = {
  MD_PASSWORD_SCHEMA_NAME, SECRET_SCHEMA_NONE,
  {
    { "host", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "username", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
  0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
};

gboolean
md_test_keyring_available (void)
{
  if (g_getenv ("MD_TEST_KEYRING") != NULL)
    return TRUE;

  g_print ("1..0 # SKIP no secret service of the test's own "
           "(tests/gui/run-keyring.sh starts one)\n");
  return FALSE;
}

/* What secret_password_search_sync() does, but on a main context that is
 * kept, not one made for the call and dropped on return. Each item is a
 * D-Bus proxy made on the context of the search; when the item is freed,
 * GIO hands the 8 bytes of its signal subscription to an idle on that
 * context, to be freed there. With the context dropped the idle never runs:
 * LeakSanitizer found them lost. Here it runs at the next search, and till
 * then is held by a context still there. As with the synchronous call, the
 * test's own main context does not run meanwhile. */
GList *
md_test_keyring_list (void)
{
  static GMainContext *context;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GList *items;

  if (context == NULL)
    context = g_main_context_new ();

  g_main_context_push_thread_default (context);
  secret_password_search (&items_schema, SECRET_SEARCH_ALL, NULL,
                          md_test_store_result, &result, NULL);
  while (result == NULL)
    g_main_context_iteration (context, TRUE);
  g_main_context_pop_thread_default (context);

  items = secret_password_search_finish (result, &error);
  g_assert_no_error (error);
  return items;
}

guint
md_test_keyring_count (void)
{
  GList *items = md_test_keyring_list ();
  guint count = g_list_length (items);

  g_list_free_full (items, g_object_unref);
  return count;
}

void
md_test_keyring_clear (void)
{
  g_autoptr(GError) error = NULL;

  secret_password_clear_sync (&items_schema, NULL, &error, NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (md_test_keyring_count (), ==, 0);
}

char *
md_test_keyring_dup_attribute (SecretRetrievable *item,
                               const char        *name)
{
  g_autoptr(GHashTable) attributes = secret_retrievable_get_attributes (item);

  return g_strdup (g_hash_table_lookup (attributes, name));
}
