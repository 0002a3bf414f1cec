// Strict C11 declares no POSIX function: the reentrant form would not
// compile, so the call gets a note instead of a fix-it.
// RUN: %check_freethreading_tidy %s freethreading-unsafe-libc-call %t -- -- -std=c11

#include <string.h>
#include <time.h>

int hour(time_t t) {
  struct tm *tm = localtime(&t);
  // CHECK-NOTES: :[[@LINE-1]]:19: warning: function 'localtime' {{.*}}
  // CHECK-NOTES: :[[@LINE-2]]:19: note: no fix-it: 'localtime_r' is not declared here; define _POSIX_C_SOURCE to 200809L before the first include
  return tm->tm_hour;
}

char *first(char *s) {
  return strtok(s, ",");
  // CHECK-NOTES: :[[@LINE-1]]:10: warning: function 'strtok' {{.*}}
  // CHECK-NOTES: :[[@LINE-2]]:10: note: no fix-it: 'strtok_r' is not declared here; define _POSIX_C_SOURCE to 200809L before the first include
}
