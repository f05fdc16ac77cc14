/* md-test-keyring.h: what the keyring holds, read directly, for the tests
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsecret/secret.h>

G_BEGIN_DECLS

/* Whether a secret service of the test's own is there: run-keyring.sh
 * starts one and sets MD_TEST_KEYRING. Without it, prints a TAP plan that
 * skips everything and returns FALSE, so that no test ever touches the
 * keyring of the person running it. */
gboolean  md_test_keyring_available     (void);
/* Every item stored under the app's password schema, as
 * SecretRetrievable objects; free with g_list_free_full (g_object_unref). */
GList    *md_test_keyring_list          (void);
guint     md_test_keyring_count         (void);
/* Removes every item of the schema, so that each test starts empty. */
void      md_test_keyring_clear         (void);
/* The value of @name in @item's attributes, or NULL; free it. */
char     *md_test_keyring_dup_attribute (SecretRetrievable *item,
                                         const char        *name);

G_END_DECLS
