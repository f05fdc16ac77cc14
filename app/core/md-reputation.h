/* md-reputation.h: reading what the mail server says about the sender
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The pure parts of the reputation probe (md-probe-reputation.c), public
 * so that they can be tested without a network.
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

gboolean      md_reputation_address_is_public (GInetAddress *address);
GInetAddress *md_reputation_find_client_ip    (const char   *server_text,
                                               GList        *exclude);
char         *md_reputation_greeting_host     (const char   *greeting_text);

G_END_DECLS
