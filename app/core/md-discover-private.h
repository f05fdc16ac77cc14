/* md-discover-private.h: settings discovery, seams for tests
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "md-discover.h"

G_BEGIN_DECLS

/* md_discover_async() with the guesses probing @starttls_port instead of
 * 587 and @tls_port instead of 465: a test cannot listen on those without
 * root. Finish with md_discover_finish(). */
void _md_discover_with_ports_async (MdKb                *kb,
                                    const char          *email,
                                    guint                timeout_ms,
                                    guint                starttls_port,
                                    guint                tls_port,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);

G_END_DECLS
