// The notes: how to do by hand what the check does not rewrite, and why a
// call of a family with a fix-it got none.
// RUN: %check_freethreading_tidy %s freethreading-unsafe-libc-call %t -- -- -std=c11 -D_DEFAULT_SOURCE

#include <locale.h>
#include <netdb.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

void behaviour_changes(const char *host, const char *user) {
  srand(1);
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: function 'srand' uses a hidden global seed shared by all threads; use a random state per object [freethreading-unsafe-libc-call]
  // CHECK-NOTES: :[[@LINE-2]]:3: note: seeding the one global generator changes the sequence of every thread; keep a seed per object for 'rand_r', or use Python's 'random' module
  int r = rand();
  // CHECK-NOTES: :[[@LINE-1]]:11: warning: function 'rand' {{.*}}
  // CHECK-NOTES: :[[@LINE-2]]:11: note: 'rand_r' with a fresh seed would change the sequence every caller sees; keep a seed per object for 'rand_r' (or 'xsubi' for 'erand48'), or call Python's 'random' module
  setenv("TZ", "UTC", 1);
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: function 'setenv' {{.*}}
  // CHECK-NOTES: :[[@LINE-2]]:3: note: the environment is one array for the whole process; set it before any thread starts and read it once at module initialization
  setlocale(LC_NUMERIC, "C");
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: function 'setlocale' {{.*}}
  // CHECK-NOTES: :[[@LINE-2]]:3: note: 'setlocale' changes the locale of every thread, CPython's own conversions included, and even a query races with a change; create a locale with 'newlocale' and install it for this thread with 'uselocale', or use the '_l' functions
  struct hostent *h = gethostbyname(host);
  // CHECK-NOTES: :[[@LINE-1]]:23: warning: function 'gethostbyname' {{.*}}
  // CHECK-NOTES: :[[@LINE-2]]:23: note: the result lives in a static struct; call 'getaddrinfo'/'getnameinfo', which return memory the caller owns
  struct passwd *pw = getpwnam(user);
  // CHECK-NOTES: :[[@LINE-1]]:23: warning: function 'getpwnam' {{.*}}
  // CHECK-NOTES: :[[@LINE-2]]:23: note: the '_r' form needs a caller buffer whose size comes from 'sysconf' ('_SC_GETPW_R_SIZE_MAX' or '_SC_GETGR_R_SIZE_MAX') and reports errors through its return value, so the call must be restructured by hand
  (void)r, (void)h, (void)pw;
}

// The buffer would die with the block, but the pointer is returned.
struct tm *escapes_by_return(const time_t *t) {
  return localtime(t);
  // CHECK-NOTES: :[[@LINE-1]]:10: warning: function 'localtime' {{.*}}
  // CHECK-NOTES: :[[@LINE-2]]:10: note: no fix-it: the result is used after the enclosing block ends; give 'localtime_r' a buffer that lives as long
}

// A NULL string asks mbtowc about its own hidden state.
int stateful(void) {
  return mbtowc(NULL, NULL, 0);
  // CHECK-NOTES: :[[@LINE-1]]:10: warning: function 'mbtowc' {{.*}}
  // CHECK-NOTES: :[[@LINE-2]]:10: note: no fix-it: a NULL string resets or queries the hidden state itself; drop the call once every conversion uses its own 'mbstate_t'
}

#define CURSOR() strtok(NULL, ",")
char *in_macro(void) {
  return CURSOR();
  // CHECK-NOTES: :[[@LINE-1]]:10: warning: function 'strtok' {{.*}}
  // CHECK-NOTES: :[[@LINE-2]]:10: note: no fix-it: the call is in a macro body
}
