/* md-checking-row.c: one check while a diagnosis runs
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A spinner until the check finishes, then the result as an icon that a
 * screen reader reads in words, and the check's own one-line summary.
 * The icons are the ones the results page uses for the same statuses.
 */

#include "md-config.h"

#include <glib/gi18n-lib.h>

#include "md-checking-row.h"
#include "md-result-row.h"

struct _MdCheckingRow
{
  AdwActionRow  parent_instance;

  MdCheckId     id;
  MdCheck      *check;
  gboolean      finished;
  const char   *status_text;

  GtkStack     *state_stack;
  GtkImage     *status_image;
};

G_DEFINE_FINAL_TYPE (MdCheckingRow, md_checking_row, ADW_TYPE_ACTION_ROW)

/* What each check looks at, for someone who does not know SMTP. */
static const char *
check_title (MdCheckId id)
{
  switch (id)
    {
    case MD_CHECK_INPUT:            return _("Your settings");
    case MD_CHECK_DNS_HOST:         return _("Finding the server");
    case MD_CHECK_DNS_MX:           return _("Your domain’s mail servers");
    case MD_CHECK_NET_PORTS:        return _("Mail ports on your network");
    case MD_CHECK_NET_CONNECT:      return _("Connecting to the server");
    case MD_CHECK_SMTP_GREETING:    return _("The server’s first answer");
    case MD_CHECK_SMTP_EHLO:        return _("What the server offers");
    case MD_CHECK_TLS_HANDSHAKE:    return _("Encryption");
    case MD_CHECK_TLS_CERTIFICATE:  return _("The server’s certificate");
    case MD_CHECK_TLS_VERSIONS:     return _("Encryption versions");
    case MD_CHECK_SMTP_AUTH:        return _("Signing in");
    case MD_CHECK_SMTP_SIZE:        return _("Message size limit");
    case MD_CHECK_SMTP_SEND:        return _("Sending a test message");
    case MD_CHECK_REP_CLIENT_IP:    return _("Your internet address");
    case MD_CHECK_REP_RDNS:         return _("The name of your internet address");
    case MD_CHECK_REP_DNSBL:        return _("Your address on blocklists");
    case MD_CHECK_REP_DNSBL_SERVER: return _("The server on blocklists");
    case MD_CHECK_REP_DNSBL_DOMAIN: return _("Your domain on blocklists");
    case MD_CHECK_AUTH_SPF:         return _("Who may send for your domain (SPF)");
    case MD_CHECK_AUTH_DKIM:        return _("Message signatures (DKIM)");
    case MD_CHECK_AUTH_DMARC:       return _("Your domain’s mail policy (DMARC)");
    case MD_CHECK_AUTH_MTA_STS:     return _("Encryption policy (MTA-STS)");
    case MD_CHECK_ERROR_TEXT:       return _("The error you pasted");
    default:                        return md_check_id_to_string (id);
    }
}

static void
md_checking_row_dispose (GObject *object)
{
  MdCheckingRow *self = (MdCheckingRow *)object;

  g_clear_object (&self->check);

  gtk_widget_dispose_template (GTK_WIDGET (object), MD_TYPE_CHECKING_ROW);

  G_OBJECT_CLASS (md_checking_row_parent_class)->dispose (object);
}

static void
md_checking_row_class_init (MdCheckingRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = md_checking_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/ui/md-checking-row.ui");
  gtk_widget_class_bind_template_child (widget_class, MdCheckingRow, state_stack);
  gtk_widget_class_bind_template_child (widget_class, MdCheckingRow, status_image);
}

static void
md_checking_row_init (MdCheckingRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
md_checking_row_new (MdCheckId id)
{
  MdCheckingRow *self = g_object_new (MD_TYPE_CHECKING_ROW, NULL);

  self->id = id;
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), check_title (id));

  return GTK_WIDGET (self);
}

MdCheckId
md_checking_row_get_id (MdCheckingRow *self)
{
  g_return_val_if_fail (MD_IS_CHECKING_ROW (self), MD_CHECK_INPUT);

  return self->id;
}

MdCheck *
md_checking_row_get_check (MdCheckingRow *self)
{
  g_return_val_if_fail (MD_IS_CHECKING_ROW (self), NULL);

  return self->check;
}

gboolean
md_checking_row_get_finished (MdCheckingRow *self)
{
  g_return_val_if_fail (MD_IS_CHECKING_ROW (self), FALSE);

  return self->finished;
}

const char *
md_checking_row_get_status_text (MdCheckingRow *self)
{
  g_return_val_if_fail (MD_IS_CHECKING_ROW (self), NULL);

  return self->status_text;
}

static void
show_status (MdCheckingRow      *self,
             const MdStatusLook *look,
             const char         *summary)
{
  GtkWidget *image = GTK_WIDGET (self->status_image);

  self->finished = TRUE;
  self->status_text = look->label;

  gtk_image_set_from_icon_name (self->status_image, look->icon_name);
  gtk_widget_set_css_classes (image, (const char *[]) { look->css_class, NULL });
  gtk_widget_set_tooltip_text (image, look->label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (image),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, look->label,
                                  -1);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), summary);
  gtk_stack_set_visible_child_name (self->state_stack, "done");
}

void
md_checking_row_set_check (MdCheckingRow *self,
                           MdCheck       *check)
{
  MdStatusLook look;

  g_return_if_fail (MD_IS_CHECKING_ROW (self));
  g_return_if_fail (MD_IS_CHECK (check));
  g_return_if_fail (md_check_get_id (check) == self->id);

  g_set_object (&self->check, check);
  look = md_status_look (md_check_get_status (check));
  show_status (self, &look, md_check_get_summary (check));
}

void
md_checking_row_set_not_run (MdCheckingRow *self)
{
  MdStatusLook look = md_status_look (MD_CHECK_STATUS_SKIP);

  g_return_if_fail (MD_IS_CHECKING_ROW (self));

  look.label = _("Not checked");
  show_status (self, &look, _("This check did not run"));
}
