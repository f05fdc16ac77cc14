/* md-test-gui.h: start-up, waiting and screenshots for the GUI tests
 *
 * Copyright 2026 The Mail Doctor authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Sets the C locale and starts GTK and libadwaita. Without a display it
 * prints a TAP plan that skips everything and returns FALSE: tools/test
 * runs these tests under Xvfb, a plain `meson test` may have none. */
gboolean   md_test_gui_init        (int          *argc,
                                    char       ***argv);
/* Puts every key of the app's schema back to its default. */
void       md_test_reset_settings  (void);
/* Iterates until nothing is pending, then waits for @widget's next draw. */
void       md_test_flush           (GtkWidget    *widget);
/* Saves what @widget shows as NAME.png under the build's
 * tests/gui/screenshots, for people to look at. */
void       md_test_save_screenshot (GtkWidget    *widget,
                                    const char   *name);
/* The first entry row titled @title under @root. */
AdwEntryRow *md_test_find_entry_row (gpointer    root,
                                     const char *title);
/* Types @text into @row as a user would, replacing what is there. */
void       md_test_type            (AdwEntryRow  *row,
                                    const char   *text);

G_END_DECLS
