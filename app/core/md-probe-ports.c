/* md-probe-ports.c: which of the mail submission ports answer (net.ports)
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Internet providers often block port 25 for home connections, and some
 * networks block 465 or 587; knowing which ports answer tells "the server
 * is down" from "the way to it is blocked". The ports are probed in
 * parallel; each one only as far as the server's greeting.
 */

#include "md-config.h"

#include <glib/gi18n-lib.h>

#include "md-diagnosis-private.h"
#include "md-smtp-client.h"

#define PORT_TIMEOUT_MS 5000

static const guint ports[] = { 25, 465, 587, 2525 };

typedef struct
{
  MdDiagnosis  *diagnosis;
  MdCheck      *check;
  gint64        started_us;
  guint         n_active;
} Ports;

typedef struct
{
  Ports        *ports;
  MdSmtpClient *client;
  guint         port;
} Probe;

static void
ports_finish (Ports *p)
{
  g_autoptr(GString) open = g_string_new (NULL);
  g_autoptr(GString) closed = g_string_new (NULL);
  g_autofree char *summary = NULL;
  guint n_open = 0;

  for (guint i = 0; i < G_N_ELEMENTS (ports); i++)
    {
      g_autofree char *key = g_strdup_printf ("%u", ports[i]);
      const char *state = md_check_get_evidence (p->check, key);
      GString *list = g_str_has_prefix (state, "smtp") ? open : closed;

      n_open += list == open;
      g_string_append_printf (list, "%s%u", list->len > 0 ? ", " : "", ports[i]);
    }

  if (open->len > 0 && closed->len > 0)
    /* Translators: both %s are lists of port numbers, like "587, 465". */
    summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "The mail server answers on port %s. No mail "
                                            "service answers on %s; internet providers often "
                                            "block port 25.",
                                            "The mail server answers on ports %s. No mail "
                                            "service answers on %s; internet providers often "
                                            "block port 25.", n_open),
                               open->str, closed->str);
  else if (open->len > 0)
    summary = g_strdup_printf (_("The mail server answers on all the usual ports (%s)."),
                               open->str);
  else
    summary = g_strdup (_("No mail service answers on any of the usual ports (25, 465, 587, "
                          "2525). The server may be down, or a firewall blocks the way."));

  md_check_set_duration_ms (p->check, (g_get_monotonic_time () - p->started_us) / 1000);
  md_check_finish (p->check, open->len > 0 ? MD_CHECK_STATUS_PASS : MD_CHECK_STATUS_WARN,
                   summary, NULL);
  _md_diagnosis_emit (p->diagnosis, p->check);
  _md_diagnosis_probe_done (p->diagnosis);

  g_object_unref (p->diagnosis);
  g_object_unref (p->check);
  g_free (p);
}

static void
probe_done (Probe      *probe,
            const char *state)
{
  Ports *p = probe->ports;
  g_autofree char *key = g_strdup_printf ("%u", probe->port);

  md_check_set_evidence (p->check, key, state);
  md_smtp_client_close (probe->client);
  g_object_unref (probe->client);
  g_free (probe);

  if (--p->n_active == 0)
    ports_finish (p);
}

static void
greeting_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Probe *probe = user_data;
  g_autoptr(MdSmtpReply) reply = NULL;

  /* Any well-formed reply, even a 421, means a mail server is there. */
  reply = md_smtp_client_read_greeting_finish (MD_SMTP_CLIENT (object), result, NULL);
  if (reply == NULL)
    probe_done (probe, "open");
  else
    probe_done (probe, probe->port == 465 ? "smtp-tls" : "smtp");
}

static void
read_greeting (Probe *probe)
{
  Ports *p = probe->ports;

  md_smtp_client_read_greeting_async (probe->client, _md_diagnosis_get_cancellable (p->diagnosis),
                                      greeting_cb, probe);
}

static void
tls_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  Probe *probe = user_data;

  if (!md_smtp_client_start_tls_finish (MD_SMTP_CLIENT (object), result, NULL))
    probe_done (probe, "open");
  else
    read_greeting (probe);
}

static void
connect_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Probe *probe = user_data;
  g_autoptr(GError) error = NULL;

  if (!md_smtp_client_connect_finish (MD_SMTP_CLIENT (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
        probe_done (probe, "refused");
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT) ||
               g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        probe_done (probe, "silent");
      else
        probe_done (probe, "error");
      return;
    }

  /* Port 465 speaks TLS from the first byte (RFC 8314). */
  if (probe->port == 465)
    md_smtp_client_start_tls_async (probe->client, NULL,
                                    _md_diagnosis_get_cancellable (probe->ports->diagnosis),
                                    tls_cb, probe);
  else
    read_greeting (probe);
}

static void
probe_start (Ports        *p,
             GInetAddress *address,
             guint         port)
{
  Probe *probe = g_new0 (Probe, 1);
  g_autoptr(GSocketAddress) socket_address = g_inet_socket_address_new (address, port);

  probe->ports = p;
  probe->port = port;
  /* Each probe has a transcript of its own: the report's transcript is the
   * conversation the user's mail program would have. */
  probe->client = md_smtp_client_new (NULL);
  md_smtp_client_set_step_timeout (probe->client,
                                   _md_diagnosis_step_timeout (p->diagnosis, PORT_TIMEOUT_MS));
  p->n_active++;

  md_smtp_client_connect_async (probe->client, socket_address,
                                _md_diagnosis_get_cancellable (p->diagnosis), connect_cb, probe);
}

void
_md_probe_ports_start (MdDiagnosis  *diagnosis,
                       GInetAddress *address)
{
  Ports *p = g_new0 (Ports, 1);
  g_autofree char *ip = g_inet_address_to_string (address);

  _md_diagnosis_probe_started (diagnosis);

  p->diagnosis = g_object_ref (diagnosis);
  p->check = md_check_new (MD_CHECK_NET_PORTS);
  p->started_us = g_get_monotonic_time ();
  md_check_set_evidence (p->check, "address", ip);
  for (guint i = 0; i < G_N_ELEMENTS (ports); i++)
    {
      g_autofree char *key = g_strdup_printf ("%u", ports[i]);

      /* Keeps the keys in port order; every probe replaces its value. */
      md_check_set_evidence (p->check, key, "silent");
    }

  /* Counted up front so that a probe finishing at once cannot end the
   * whole set early. */
  p->n_active = 1;
  for (guint i = 0; i < G_N_ELEMENTS (ports); i++)
    probe_start (p, address, ports[i]);

  if (--p->n_active == 0)
    ports_finish (p);
}
