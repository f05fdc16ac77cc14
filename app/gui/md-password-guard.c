/* md-password-guard.c: keeps a typed password out of the accessibility tree
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GTK 4.8 hands a hidden password entry's text, and every character typed
 * into it, to whoever reads the accessibility bus: GetText and the
 * text-changed events carry the password in clear, so a screen reader
 * speaks it and any program on the session can collect it. Later GTK gives
 * placeholders instead. This does the same for one entry: while its text
 * is hidden, the entry holds one placeholder per character and the guard
 * keeps the password itself; shown (the user's choice, with the reveal
 * button), the entry holds the password, as GTK does.
 *
 * It stands in front of the entry's GtkText: each insertion is kept here
 * and replaced by as many placeholders, before any handler connected after
 * it (the accessibility bridge's among them) sees it; each deletion is
 * mirrored. Setting the entry's text from code goes the same way, so the
 * guard is fed whichever way the text arrives; it is read with
 * md_password_guard_get_text(), never from the entry.
 */

#include "md-config.h"

#include <string.h>

#include "md-compat.h"
#include "md-password-guard.h"

/* What the entry holds for each hidden character. */
#define PLACEHOLDER "\u25CF"

struct _MdPasswordGuard
{
  GObject      parent_instance;

  GtkText     *text;      /* weak: the entry's own */
  char        *password;  /* wiped whenever replaced */
  gboolean     replacing; /* our own changes pass through */
};

G_DEFINE_FINAL_TYPE (MdPasswordGuard, md_password_guard, G_TYPE_OBJECT)

static void
set_password (MdPasswordGuard *self,
              char            *password)
{
  md_secret_free (self->password);
  self->password = password;
}

/* The byte offset of character @position, clamped to the end. */
static gsize
byte_offset (const char *text,
             int         position)
{
  glong length = g_utf8_strlen (text, -1);

  if (position < 0 || position > length)
    position = length;

  return g_utf8_offset_to_pointer (text, position) - text;
}

/* @text with bytes [@from, @to) replaced by @insert; no printf, whose
 * buffers would not be wiped. */
static char *
splice (const char *text,
        gsize       from,
        gsize       to,
        const char *insert)
{
  gsize length = strlen (text);
  gsize inserted = strlen (insert);
  char *result = g_malloc (length - (to - from) + inserted + 1);

  memcpy (result, text, from);
  memcpy (result + from, insert, inserted);
  memcpy (result + from + inserted, text + to, length - to + 1);

  return result;
}

static char *
placeholders (glong n_chars)
{
  GString *string = g_string_sized_new (n_chars * strlen (PLACEHOLDER));

  for (glong i = 0; i < n_chars; i++)
    g_string_append (string, PLACEHOLDER);

  return g_string_free (string, FALSE);
}

/* Puts @shown into the entry without the guard taking it for typing. */
static void
replace_entry_text (MdPasswordGuard *self,
                    const char      *shown)
{
  self->replacing = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->text), shown);
  self->replacing = FALSE;
}

static void
on_insert_text (GtkEditable     *editable,
                const char      *new_text,
                int              new_text_length,
                int             *position,
                MdPasswordGuard *self)
{
  g_autofree char *inserted = NULL;
  g_autofree char *masked = NULL;
  gsize at;

  if (self->replacing)
    return;

  inserted = new_text_length < 0 ? g_strdup (new_text) : g_strndup (new_text, new_text_length);
  at = byte_offset (self->password, *position);
  set_password (self, splice (self->password, at, at, inserted));
  md_wipe_str (inserted);

  if (gtk_text_get_visibility (self->text))
    return;

  /* The placeholders go in instead, as one insertion of their own. */
  masked = placeholders (g_utf8_strlen (new_text, new_text_length));
  self->replacing = TRUE;
  gtk_editable_insert_text (editable, masked, -1, position);
  self->replacing = FALSE;
  g_signal_stop_emission_by_name (editable, "insert-text");
}

static void
on_delete_text (GtkEditable     *editable,
                int              start,
                int              end,
                MdPasswordGuard *self)
{
  gsize from, to;

  if (self->replacing)
    return;

  from = byte_offset (self->password, start);
  to = byte_offset (self->password, end);
  if (to <= from)
    return;

  set_password (self, splice (self->password, from, to, ""));
}

/* Shown: the entry holds the password, for the user to read; hidden
 * again: placeholders. */
static void
on_visibility (GtkText         *text,
               GParamSpec      *pspec,
               MdPasswordGuard *self)
{
  if (gtk_text_get_visibility (text))
    {
      replace_entry_text (self, self->password);
    }
  else
    {
      g_autofree char *masked = placeholders (g_utf8_strlen (self->password, -1));

      replace_entry_text (self, masked);
    }
}

static void
md_password_guard_dispose (GObject *object)
{
  MdPasswordGuard *self = (MdPasswordGuard *)object;

  if (self->text != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->text, self);
      g_object_remove_weak_pointer (G_OBJECT (self->text), (gpointer *) &self->text);
      self->text = NULL;
    }

  G_OBJECT_CLASS (md_password_guard_parent_class)->dispose (object);
}

static void
md_password_guard_finalize (GObject *object)
{
  MdPasswordGuard *self = (MdPasswordGuard *)object;

  md_secret_free (self->password);

  G_OBJECT_CLASS (md_password_guard_parent_class)->finalize (object);
}

static void
md_password_guard_class_init (MdPasswordGuardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = md_password_guard_dispose;
  object_class->finalize = md_password_guard_finalize;
}

static void
md_password_guard_init (MdPasswordGuard *self)
{
  self->password = g_strdup ("");
}

/**
 * md_password_guard_new:
 * @editable: a password entry whose text is a #GtkText, such as an
 *   #AdwPasswordEntryRow or a #GtkPasswordEntry, empty
 *
 * Returns: (transfer full): a guard for @editable's text, for as long as
 *   both live
 */
MdPasswordGuard *
md_password_guard_new (GtkEditable *editable)
{
  MdPasswordGuard *self;
  GtkEditable *delegate;

  g_return_val_if_fail (GTK_IS_EDITABLE (editable), NULL);

  delegate = editable;
  while (gtk_editable_get_delegate (delegate) != NULL)
    delegate = gtk_editable_get_delegate (delegate);
  g_return_val_if_fail (GTK_IS_TEXT (delegate), NULL);

  self = g_object_new (MD_TYPE_PASSWORD_GUARD, NULL);
  self->text = GTK_TEXT (delegate);
  g_object_add_weak_pointer (G_OBJECT (self->text), (gpointer *) &self->text);

  g_signal_connect (self->text, "insert-text", G_CALLBACK (on_insert_text), self);
  g_signal_connect (self->text, "delete-text", G_CALLBACK (on_delete_text), self);
  g_signal_connect (self->text, "notify::visibility", G_CALLBACK (on_visibility), self);

  return self;
}

/**
 * md_password_guard_get_text:
 *
 * Returns: the password typed, whatever the entry shows
 */
const char *
md_password_guard_get_text (MdPasswordGuard *self)
{
  g_return_val_if_fail (MD_IS_PASSWORD_GUARD (self), NULL);

  return self->password;
}
