/* md-error.h
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define MD_ERROR (md_error_quark ())

typedef enum
{
  MD_ERROR_INVALID_INPUT,   /* the user's settings cannot be used as they are */
  MD_ERROR_PROTOCOL,        /* the server broke the SMTP rules */
  MD_ERROR_MIXED_CODES,     /* a multi-line reply changed its code midway */
  MD_ERROR_REPLY_TOO_LARGE, /* a line or reply passed our caps */
  MD_ERROR_CLOSED,          /* the server closed the connection */
  MD_ERROR_REJECTED,        /* the server answered with an error code */
  MD_ERROR_UNSAFE,          /* we refused to do something unsafe */
  MD_ERROR_TLS,             /* the TLS layer failed */
  MD_ERROR_NOT_SUPPORTED,   /* the server lacks what the step needs */
} MdError;

GQuark md_error_quark (void);

G_END_DECLS
