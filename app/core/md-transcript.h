/* md-transcript.h
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "md-types.h"

G_BEGIN_DECLS

#define MD_TYPE_TRANSCRIPT (md_transcript_get_type ())

G_DECLARE_FINAL_TYPE (MdTranscript, md_transcript, MD, TRANSCRIPT, GObject)

MdTranscript *md_transcript_new        (void);
void          md_transcript_add        (MdTranscript *self,
                                        MdDirection   direction,
                                        const char   *text);
void          md_transcript_add_at     (MdTranscript *self,
                                        guint         t_ms,
                                        MdDirection   direction,
                                        const char   *text);
guint         md_transcript_get_length (MdTranscript *self);
const char   *md_transcript_get_text   (MdTranscript *self,
                                        guint         position,
                                        MdDirection  *direction,
                                        guint        *t_ms);
char         *md_transcript_sanitize   (const char   *text,
                                        gssize        len);

G_END_DECLS
