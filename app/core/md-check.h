/* md-check.h
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "md-types.h"

G_BEGIN_DECLS

#define MD_TYPE_CHECK (md_check_get_type ())

G_DECLARE_FINAL_TYPE (MdCheck, md_check, MD, CHECK, GObject)

MdCheck        *md_check_new                (MdCheckId      id);
MdCheckId       md_check_get_id             (MdCheck       *self);
const char     *md_check_get_id_string      (MdCheck       *self);
MdCheckStatus   md_check_get_status         (MdCheck       *self);
void            md_check_set_status         (MdCheck       *self,
                                             MdCheckStatus  status);
const char     *md_check_get_summary        (MdCheck       *self);
void            md_check_set_summary        (MdCheck       *self,
                                             const char    *summary);
const char     *md_check_get_detail         (MdCheck       *self);
void            md_check_set_detail         (MdCheck       *self,
                                             const char    *detail);
guint           md_check_get_duration_ms    (MdCheck       *self);
void            md_check_set_duration_ms    (MdCheck       *self,
                                             guint          duration_ms);
void            md_check_set_evidence       (MdCheck       *self,
                                             const char    *key,
                                             const char    *value);
const char     *md_check_get_evidence       (MdCheck       *self,
                                             const char    *key);
GStrv           md_check_dup_evidence_keys  (MdCheck       *self);
void            md_check_finish             (MdCheck       *self,
                                             MdCheckStatus  status,
                                             const char    *summary,
                                             const char    *detail);

/* The check with @id in @checks (MdCheck), or NULL; the list keeps its
 * own reference, so the check outlives the call. */
MdCheck        *md_check_list_find          (GListModel    *checks,
                                             MdCheckId      id);

const char     *md_check_id_to_string       (MdCheckId      id);
gboolean        md_check_id_from_string     (const char    *str,
                                             MdCheckId     *id);
const char     *md_check_status_to_string   (MdCheckStatus  status);
const char     *md_check_status_to_symbol   (MdCheckStatus  status,
                                             gboolean       unicode);
gboolean        md_check_status_from_string (const char    *str,
                                             MdCheckStatus *status);

G_END_DECLS
