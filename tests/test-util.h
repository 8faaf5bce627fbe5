/* test-util.h: loopback ports and child processes for tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <signal.h>
#include <stdarg.h>
#include <sys/prctl.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

/* A loopback port free now and below the kernel's ephemeral range
 * (32768 up): a port the kernel handed out and took back can go to any
 * outgoing connection of a test running in parallel, and connecting to
 * one with nothing listening can even connect a socket to itself. Nobody
 * is given one of these without asking for it by number. */
static inline guint
test_quiet_port (void)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);

  for (guint tries = 0; tries < 1000; tries++)
    {
      guint port = (guint) g_random_int_range (20000, 32000);
      g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                                G_SOCKET_PROTOCOL_TCP, NULL);
      g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, (guint16) port);

      if (socket != NULL && g_socket_bind (socket, address, TRUE, NULL))
        return port;
    }
  g_error ("no free loopback port between 20000 and 32000");
}

/* In the child, before exec: it gets SIGKILL when the test that started
 * it ends, even by a failed assertion, so no `glossa serve` is left
 * running after an aborted test. */
static inline void
test_die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

/* As g_subprocess_new, for a child that dies with the test. */
static inline GSubprocess *
test_spawn (GSubprocessFlags   flags,
            GError           **error,
            const char        *argv0,
            ...)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (flags);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (gpointer) argv0);
  va_start (args, argv0);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_set_child_setup (launcher, test_die_with_parent, NULL, NULL);
  return g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, error);
}

/* Removes a file, or a folder and all it holds (not following symbolic
 * links); what is not there is fine. */
static inline void
test_rm_rf (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    dir = g_dir_open (path, 0, NULL);
  if (dir == NULL)
    {
      g_remove (path);
      return;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      test_rm_rf (child);
    }
  g_rmdir (path);
}

typedef gboolean (*TestPredicate) (gpointer data);

/* Runs the default main context until `predicate` holds; FALSE after
 * `seconds` (saying so, with `what`, when it is not NULL). */
static inline gboolean
test_wait_for (TestPredicate  predicate,
               gpointer       data,
               double         seconds,
               const char    *what)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);

  while (!predicate (data))
    {
      if (g_get_monotonic_time () > deadline)
        {
          if (what != NULL)
            g_test_message ("timed out waiting for %s", what);
          return FALSE;
        }
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
  return TRUE;
}

/* Runs the default main context for `ms` milliseconds: what is pending,
 * and what comes meanwhile (cancelled requests, closed connections). */
static inline void
test_settle (guint ms)
{
  gint64 until = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < until)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (1000);
    }
}
