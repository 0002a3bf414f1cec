// A compatibility header that implements a strong-reference API as a
// function is left alone when the borrowed-reference check does not run
// too: the index of functions that finds it used to be filled by that
// check's matcher only, so this check alone reported the header's
// localtime. The main file's call is still reported and fixed.
// REQUIRES: python311-headers
// RUN: %check_freethreading_tidy %s freethreading-unsafe-libc-call %t -- -- \
// RUN:   -std=c11 -D_DEFAULT_SOURCE -isystem /usr/include/python3.11 -I %inputs/vendored

#include "libc_compat.h"
#include <time.h>

int year(time_t t) {
  return localtime(&t)->tm_year;
  // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: function 'localtime' uses a static 'struct tm' shared by all threads; use 'localtime_r' with a 'struct tm' buffer [freethreading-unsafe-libc-call]
  // CHECK-FIXES: struct tm tm_buf;
  // CHECK-FIXES-NEXT: return localtime_r(&t, &tm_buf)->tm_year;
}
